# Liaison ユーザーインターフェース、日本語。
app-name = Liaison
skip-to-content = 本文へスキップ
footer-text = Liaison — 外資系企業へのサービスと育成支援
language-label = 言語
nav-label = メインナビゲーション
nav-home = ホーム
nav-enterprises = 企業
nav-my-enterprise = 自社情報
nav-departments = 部門
nav-users = ユーザー
nav-jobs = バックグラウンドジョブ
nav-audit = 監査ログ
nav-profile = プロフィール
nav-logout = ログアウト

# 役割
role-admin = 管理者
role-leader = 幹部
role-coordinator = コーディネーター
role-officer = 担当職員
role-enterprise = 企業ユーザー
role-viewer = 閲覧者

# 部門の種類
department-kind-city = 市
department-kind-bureau = 局・弁公室
department-kind-division = 処
department-kind-district = 区
department-kind-committee = 管理委員会

# ジョブの状態
job-state-queued = 待機中
job-state-running = 実行中
job-state-done = 完了
job-state-dead = 停止（再試行を断念）

# 共通語
action-save = 保存
action-filter = 絞り込み
action-retire = 廃止
action-reinstate = 復元
action-disable = アカウントを無効化
action-enable = アカウントを有効化
action-revoke = 取り消し
action-retry = 再試行
choice-none = — なし —
list-empty = まだ何もありません。
notice-saved = 保存しました。
status-active = 有効
status-disabled = 無効
status-retired = 廃止済み

# 項目
field-username = ユーザー名
field-password = パスワード
field-display-name = 氏名
field-email = メールアドレス
field-role = 役割
field-department = 部門
field-enterprise = 企業
field-language = 言語
field-name = 名称
field-name-zh = 名称（中国語）
field-name-ja = 名称（日本語）
field-name-ko = 名称（韓国語）
field-name-en = 名称（英語）
field-kind = 種類
field-parent = 上位組織
field-country = 投資元の国・地域
field-status = 状態
field-actions = 操作
field-search = 検索
field-current-password = 現在のパスワード
field-new-password = 新しいパスワード
field-confirm-password = 新しいパスワード（確認）
field-token-name = トークン名
field-token-prefix = 先頭文字
field-token-days = 有効期間（日）
field-expires = 有効期限
field-last-used = 最終使用日時

# ログイン
login-title = ログイン
login-intro = 管理者から発行されたアカウントでログインしてください。
login-submit = ログイン

# ホーム
home-title = ホーム
home-count-enterprises = 企業
home-count-departments = 部門
home-enterprise-welcome = ようこそ。{ $name } としてログインしています。

# プロフィール
profile-title = プロフィール
profile-password-heading = パスワードの変更
profile-password-submit = パスワードを変更
profile-password-changed = パスワードを変更しました。もう一度ログインしてください。
profile-language-heading = 言語
profile-tokens-heading = API トークン
profile-tokens-intro = プログラムはトークンを使用して、お客様に代わって Liaison API を呼び出します（Authorization: Bearer …）。使用しなくなったトークンは取り消してください。
profile-tokens-none = API トークンはありません。
profile-token-issue = トークンを発行
profile-token-issued = トークンを発行しました。
profile-token-once = このトークンを今すぐコピーしてください。再度表示されることはありません。
profile-token-revoked = トークンを取り消しました。
token-active = 有効
token-expired = 期限切れ
token-revoked = 取り消し済み

# 部門
departments-title = 部門
departments-new-title = 部門の新規作成
departments-edit-title = 部門の編集
departments-no-parent = — 最上位 —
departments-show-retired = 廃止された部門を表示
departments-hide-retired = 廃止された部門を非表示
departments-is-retired = この部門は廃止されています。記録から参照されているため保持しています。
departments-hierarchy-help = 階層は 市 › 局・弁公室 › 処、および 区 › 管理委員会 です。部門を移動するには、新しい上位組織を選択します。
departments-retire-heading = 廃止
departments-retire-help = 廃止された部門は履歴を保持しますが、新たな人員や業務は受け付けません。先に配下の組織と人員を移動または廃止してください。

# ユーザー
users-title = ユーザー
users-new-title = ユーザーの新規作成
users-edit-title = ユーザーの編集
users-all-roles = すべての役割
users-show-disabled = 無効なアカウントを含める
users-locale-auto = ブラウザの設定に従う
users-role-help = 担当職員には部門の指定が必要です。企業ユーザーには企業の指定が必要で、その企業の情報のみ閲覧できます。
users-password-heading = パスワードの設定
users-password-submit = パスワードを設定
users-password-set = パスワードを設定し、このユーザーのセッションを終了しました。
users-access-heading = アクセス権限

# 企業
enterprises-title = 企業

# ジョブ
jobs-title = バックグラウンドジョブ
jobs-attempts = 試行回数
jobs-last-error = 直近のエラー

# 監査
audit-title = 監査ログ
audit-at = 日時
audit-actor = 実行者
audit-entity = 対象
audit-action = 操作

# エラーページ
error-back-home = ホームに戻る
error-title-400 = 不正なリクエスト
error-title-401 = ログインしてください
error-title-403 = 権限がありません
error-title-404 = 見つかりません
error-title-405 = ここではできない操作です
error-title-409 = 現在この操作は実行できません
error-title-422 = 入力内容をご確認ください
error-title-429 = 試行回数が多すぎます
error-title-500 = エラーが発生しました

# 監査記録とジョブ名
audit-actor-system = システム（運用コマンドまたは定期ジョブ）
entity-user = ユーザー
entity-department = 部門
entity-enterprise = 企業
entity-api-token = API トークン
entity-job = バックグラウンドジョブ
entity-system = システム
event-action-create = 作成
event-action-update = 変更
event-action-move = 所属変更
event-action-retire = 廃止
event-action-reinstate = 復元
event-action-login = ログイン
event-action-logout = ログアウト
event-action-set-password = 管理者によるパスワード設定
event-action-change-password = パスワード変更
event-action-disable = 無効化
event-action-enable = 有効化
event-action-set-locale = 言語の選択
event-action-issue = 発行
event-action-revoke = 取り消し
event-action-retry = 再試行
event-action-purge = 期限切れデータの削除
job-kind-purge-expired = 期限切れのセッションとトークンの削除
jobs-when = 日時
jobs-due = 予定
jobs-finished = 終了

# 企業名簿
nav-tags = タグ
enterprises-new-title = 企業の新規登録
enterprises-edit-title = 企業の編集
enterprises-sort-by = 並べ替え：
enterprises-sort-name = 名称
enterprises-sort-newest = 新しい順
enterprises-sort-employees = 従業員数
enterprises-select = 選択
enterprises-bulk-mode = 選択した企業に
enterprises-bulk-add = タグを追加
enterprises-bulk-remove = タグを削除
enterprises-bulk-apply = 選択した企業に適用
enterprises-tagged = { $count } 社を更新しました。
enterprises-timeline = タイムライン
enterprises-names-help = 少なくとも 1 つの言語で名称を入力してください。企業が他の言語の名称も使っている場合は併せて入力してください。
enterprise-status-operating = 営業中
enterprise-status-suspended = 休業
enterprise-status-closed = 閉鎖
list-next-page = 次のページ
filter-any = — すべて —
field-uscc = 統一社会信用コード
field-industry = 業種（GB/T 4754）
field-district = 所在区域
field-tag = タグ
field-tags = タグ
field-employees = 従業員数
field-parent-company = 親会社
field-address = 住所
field-founded-on = 設立日
field-registered-capital = 登録資本金
field-capital-currency = 資本金の通貨
field-main-products = 主要製品
tags-title = タグ
tags-new = 新しいタグ
entity-tag = タグ
event-action-tag = タグ追加
event-action-untag = タグ削除

# 連絡先
contacts-heading = 連絡先
contacts-new-title = 連絡先の新規登録
contacts-edit-title = 連絡先の編集
contacts-add = 連絡先を追加
contacts-remove = この連絡先を削除
contacts-back = 企業ページに戻る
contacts-primary = 主担当
contacts-hidden = 連絡先は個人情報のため、業務上必要な人にのみ表示されます。
field-contact-name = 氏名
field-contact-title = 役職
field-phone = 電話番号
field-preferred-language = 希望言語
field-primary-contact = 企業の主担当連絡先
entity-contact = 連絡先
event-action-remove = 削除
event-action-link-user = アカウント関連付け

# 経営指標
indicators-heading = 経営指標
indicators-record = 記録
indicators-reported-by-enterprise = 企業による報告
indicators-entered-by-city = 市による入力
field-metric = 指標
field-period = 期間（2025 または 2025-Q3）
field-value = 値
field-unit = 単位
field-source = 出所
metric-revenue = 売上高
metric-output-value = 生産額
metric-tax-paid = 納税額
metric-exports = 輸出額
metric-imports = 輸入額
metric-employees = 従業員数
metric-new-investment = 新規投資
unit-one = 単位
unit-thousand = 千
unit-ten-thousand = 万
unit-million = 百万
unit-hundred-million = 億
unit-persons = 人
entity-indicator = 指標
event-action-record-indicator = 指標の記録

# インポートとエクスポート
import-title = インポート
import-intro = 見出し行のある CSV または XLSX ファイルをアップロードしてください。見出しは中国語・日本語・韓国語・英語のいずれでも構いません。試行はすべての行を検査し、何も取り込みません。本番の取り込みはすべて成功するか、何も取り込まないかのどちらかです。
import-file = ファイル（.csv または .xlsx）
import-dry-run = 試行：確認のみで取り込まない
import-submit = アップロード
import-report = 結果
import-done = { $count } 行を取り込みました。
import-checked = { $count } 行を確認しました。すべて有効です。
import-created = 新規 { $count } 社。
import-updated = 更新 { $count } 社。
import-refused = 問題が { $count } 件見つかりました。何も取り込んでいません。
import-row = 行
import-column = 列
import-reason = 問題
import-ignored = 認識できず無視した列：
enterprises-export-xlsx = エクスポート（XLSX）
enterprises-export-csv = エクスポート（CSV）
event-action-import-create = インポート（新規）
event-action-import-update = インポート（更新）

# 訪問と座談会
nav-engagements = 訪問
engagements-title = 訪問と座談会
engagements-new-title = 訪問・座談会の記録
engagements-edit-title = 記録の編集
engagements-new-visit = 訪問を記録
engagements-new-symposium = 座談会を記録
engagements-heading = 訪問と座談会
engagements-attendees-help = まず保存してください。その後、企業の連絡先を出席者として選べます。
engagement-kind-visit = 訪問
engagement-kind-symposium = 座談会
field-engagement-kind = 種類
field-held-on = 日付
field-place = 場所
field-enterprises = 企業
field-officials = 参加した幹部・職員
field-guests = ゲスト（1 行に 1 人、例：市長）
field-attendees = 企業側の出席者
field-purpose = 目的
field-findings = 把握した内容・議事録
follow-ups-heading = フォローアップ
field-description = 対応すること
field-owner = 担当者
field-due-on = 期限
follow-up-add = フォローアップを追加
follow-up-done = 完了
follow-up-open = 未完了
follow-up-mark-done = 完了にする
follow-up-reopen = 再開
entity-engagement = 訪問・座談会
entity-follow-up = フォローアップ
event-action-visited = 訪問
event-action-symposium = 座談会開催
event-action-done = 完了
event-action-reopen = 再開
contacts-export = 連絡先のエクスポート（XLSX、記録されます）
event-action-export-contacts = 連絡先のエクスポート
import-dataset = ファイルの内容
import-dataset-enterprises = 企業
import-dataset-contacts = 担当者
import-dataset-indicators = 経営指標
import-dataset-enterprises-help = 企業：1 行に 1 社。信用コードが登録済みの企業は更新されます。
import-dataset-contacts-help = 担当者：1 行に 1 人、所属企業の信用コードを添えて。同じ企業の同名の担当者は更新されます。
import-dataset-indicators-help = 経営指標：1 行に 1 つの数値（信用コード、期間、指標、値、単位、通貨）。同じ期間に登録済みの数値は置き換えられます。
indicators-export = 経営指標をエクスポート（XLSX）
attachments-heading = 添付ファイル
attachments-add = ファイルを添付
attachments-upload = アップロード
attachments-remove = 削除
event-action-attach = ファイルを添付
event-action-remove-attachment = ファイルを削除
field-currency = 通貨（ISO 4217）
