# Liaison 用户界面，简体中文。
app-name = Liaison 联络
skip-to-content = 跳至正文
footer-text = Liaison — 服务和培育外资企业
language-label = 语言
nav-label = 主导航
nav-home = 首页
nav-enterprises = 企业
nav-my-enterprise = 本企业
nav-departments = 部门
nav-users = 用户
nav-jobs = 后台任务
nav-audit = 审计记录
nav-profile = 个人信息
nav-logout = 退出登录

# 角色
role-admin = 管理员
role-leader = 领导
role-coordinator = 协调员
role-officer = 工作人员
role-enterprise = 企业用户
role-viewer = 观察员

# 部门类型
department-kind-city = 市
department-kind-bureau = 局/办
department-kind-division = 处
department-kind-district = 区
department-kind-committee = 管委会

# 任务状态
job-state-queued = 排队中
job-state-running = 运行中
job-state-done = 已完成
job-state-dead = 已终止（不再重试）

# 常用词
action-save = 保存
action-filter = 筛选
action-retire = 撤销
action-reinstate = 恢复
action-disable = 停用账号
action-enable = 启用账号
action-revoke = 吊销
action-retry = 重试
choice-none = — 无 —
list-empty = 暂无内容。
notice-saved = 已保存。
status-active = 正常
status-disabled = 已停用
status-retired = 已撤销

# 字段
field-username = 用户名
field-password = 密码
field-display-name = 姓名
field-email = 电子邮箱
field-role = 角色
field-department = 部门
field-enterprise = 企业
field-language = 语言
field-name = 名称
field-name-zh = 名称（中文）
field-name-ja = 名称（日文）
field-name-ko = 名称（韩文）
field-name-en = 名称（英文）
field-kind = 类型
field-parent = 上级单位
field-country = 投资方国家或地区
field-status = 状态
field-actions = 操作
field-search = 搜索
field-current-password = 当前密码
field-new-password = 新密码
field-confirm-password = 再次输入新密码
field-token-name = 令牌名称
field-token-prefix = 开头字符
field-token-days = 有效期（天）
field-expires = 到期时间
field-last-used = 最近使用

# 登录
login-title = 登录
login-intro = 请使用管理员为您分配的账号登录。
login-submit = 登录

# 首页
home-title = 首页
home-count-enterprises = 企业
home-count-departments = 部门
home-enterprise-welcome = 欢迎！您当前以 { $name } 的身份登录。

# 个人信息
profile-title = 个人信息
profile-password-heading = 修改密码
profile-password-submit = 修改密码
profile-password-changed = 密码已修改，请重新登录。
profile-language-heading = 语言
profile-tokens-heading = API 令牌
profile-tokens-intro = 程序可使用令牌代表您调用 Liaison API（Authorization: Bearer …）。不再使用的令牌请及时吊销。
profile-tokens-none = 您还没有 API 令牌。
profile-token-issue = 签发令牌
profile-token-issued = 令牌已签发。
profile-token-once = 请立即复制此令牌，它将不会再次显示。
profile-token-revoked = 令牌已吊销。
token-active = 有效
token-expired = 已过期
token-revoked = 已吊销

# 部门
departments-title = 部门
departments-new-title = 新建部门
departments-edit-title = 编辑部门
departments-no-parent = — 顶级 —
departments-show-retired = 显示已撤销的部门
departments-hide-retired = 隐藏已撤销的部门
departments-is-retired = 该部门已撤销。因仍有记录引用该部门，故予以保留。
departments-hierarchy-help = 层级关系为：市 › 局/办 › 处，以及 区 › 管委会。调整部门隶属关系即为其选择新的上级单位。
departments-retire-heading = 撤销
departments-retire-help = 已撤销的部门保留历史记录，但不再接收新的人员或工作。请先调整或撤销其下属单位，并调出其人员。

# 用户
users-title = 用户
users-new-title = 新建用户
users-edit-title = 编辑用户
users-all-roles = 全部角色
users-show-disabled = 包括已停用的账号
users-locale-auto = 跟随浏览器
users-role-help = 工作人员须归属于某个部门；企业用户须关联某家企业，且只能查看该企业。
users-password-heading = 设置密码
users-password-submit = 设置密码
users-password-set = 密码已设置，该用户的所有会话已结束。
users-access-heading = 访问权限

# 企业
enterprises-title = 企业

# 后台任务
jobs-title = 后台任务
jobs-attempts = 尝试次数
jobs-last-error = 最近错误

# 审计
audit-title = 审计记录
audit-at = 时间
audit-actor = 操作人
audit-entity = 对象
audit-action = 操作

# 错误页面
error-back-home = 返回首页
error-title-400 = 请求无效
error-title-401 = 请先登录
error-title-403 = 无权操作
error-title-404 = 未找到
error-title-405 = 此处不支持该操作
error-title-409 = 当前无法执行此操作
error-title-422 = 请检查输入内容
error-title-429 = 尝试次数过多
error-title-500 = 系统出错

# 审计记录与任务名称
audit-actor-system = 系统（运维命令或定时任务）
entity-user = 用户
entity-department = 部门
entity-enterprise = 企业
entity-api-token = API 令牌
entity-job = 后台任务
entity-system = 系统
event-action-create = 创建
event-action-update = 修改
event-action-move = 调整隶属
event-action-retire = 撤销
event-action-reinstate = 恢复
event-action-login = 登录
event-action-logout = 退出登录
event-action-set-password = 管理员设置密码
event-action-change-password = 修改密码
event-action-disable = 停用
event-action-enable = 启用
event-action-set-locale = 选择语言
event-action-issue = 签发
event-action-revoke = 吊销
event-action-retry = 重试
event-action-purge = 清理过期数据
job-kind-purge-expired = 清理过期会话和令牌
jobs-when = 时间
jobs-due = 计划于
jobs-finished = 结束于

# 企业名录
nav-tags = 标签
enterprises-new-title = 新增企业
enterprises-edit-title = 编辑企业
enterprises-sort-by = 排序：
enterprises-sort-name = 名称
enterprises-sort-newest = 最新
enterprises-sort-employees = 员工人数
enterprises-select = 选择
enterprises-bulk-mode = 对所选企业
enterprises-bulk-add = 添加标签
enterprises-bulk-remove = 移除标签
enterprises-bulk-apply = 应用于所选
enterprises-tagged = 已更新 { $count } 家企业。
enterprises-timeline = 时间线
enterprises-names-help = 请至少填写一种语言的名称；企业使用其他语言名称的，请一并填写。
enterprise-status-operating = 在营
enterprise-status-suspended = 停业
enterprise-status-closed = 注销
list-next-page = 下一页
filter-any = — 全部 —
field-uscc = 统一社会信用代码
field-industry = 行业（GB/T 4754）
field-district = 所在区域
field-tag = 标签
field-tags = 标签
field-employees = 员工人数
field-parent-company = 母公司
field-address = 地址
field-founded-on = 成立日期
field-registered-capital = 注册资本
field-capital-currency = 注册资本币种
field-main-products = 主要产品
tags-title = 标签
tags-new = 新增标签
entity-tag = 标签
event-action-tag = 添加标签
event-action-untag = 移除标签

# 联系人
contacts-heading = 联系人
contacts-new-title = 新增联系人
contacts-edit-title = 编辑联系人
contacts-add = 添加联系人
contacts-remove = 删除此联系人
contacts-back = 返回企业页面
contacts-primary = 主要联系人
contacts-hidden = 联系人信息属于个人信息，仅向工作需要的人员显示。
field-contact-name = 姓名
field-contact-title = 职务
field-phone = 电话
field-preferred-language = 常用语言
field-primary-contact = 企业主要联系人
entity-contact = 联系人
event-action-remove = 删除
event-action-link-user = 关联账户

# 经营指标
indicators-heading = 经营指标
indicators-record = 录入
indicators-reported-by-enterprise = 企业自报
indicators-entered-by-city = 市里录入
field-metric = 指标
field-period = 期间（2025 或 2025-Q3）
field-value = 数值
field-unit = 单位
field-source = 来源
metric-revenue = 营业收入
metric-output-value = 产值
metric-tax-paid = 纳税额
metric-exports = 出口额
metric-imports = 进口额
metric-employees = 员工人数
metric-new-investment = 新增投资
unit-one = 元/个
unit-thousand = 千
unit-ten-thousand = 万
unit-million = 百万
unit-hundred-million = 亿
unit-persons = 人
entity-indicator = 指标
event-action-record-indicator = 录入指标

# 导入与导出
import-title = 导入
import-intro = 上传带表头行的 CSV 或 XLSX 文件。表头可用中文、日文、韩文或英文。试运行会检查每一行但不导入；正式导入要么全部成功，要么全部不导入。
import-file = 文件（.csv 或 .xlsx）
import-dry-run = 试运行：仅检查，不导入
import-submit = 上传
import-report = 结果
import-done = 已导入 { $count } 行。
import-checked = 已检查 { $count } 行，全部有效。
import-created = 新增 { $count } 家。
import-updated = 更新 { $count } 家。
import-refused = 发现 { $count } 个问题，未导入任何数据。
import-row = 行
import-column = 列
import-reason = 问题
import-ignored = 未识别并忽略的列：
enterprises-export-xlsx = 导出（XLSX）
enterprises-export-csv = 导出（CSV）
event-action-import-create = 导入（新增）
event-action-import-update = 导入（更新）

# 走访与座谈会
nav-engagements = 走访
engagements-title = 走访与座谈会
engagements-new-title = 记录走访或座谈会
engagements-edit-title = 编辑记录
engagements-new-visit = 记录走访
engagements-new-symposium = 记录座谈会
engagements-heading = 走访与座谈会
engagements-attendees-help = 请先保存；之后可勾选企业联系人作为参加人员。
engagement-kind-visit = 走访
engagement-kind-symposium = 座谈会
field-engagement-kind = 类型
field-held-on = 日期
field-place = 地点
field-enterprises = 企业
field-officials = 参加领导与工作人员
field-guests = 嘉宾（每行一位，如市长）
field-attendees = 企业参加人员
field-purpose = 目的
field-findings = 了解情况 / 纪要
follow-ups-heading = 后续事项
field-description = 待办事项
field-owner = 负责人
field-due-on = 期限
follow-up-add = 添加后续事项
follow-up-done = 已完成
follow-up-open = 未完成
follow-up-mark-done = 标记完成
follow-up-reopen = 重新打开
entity-engagement = 走访或座谈会
entity-follow-up = 后续事项
event-action-visited = 走访
event-action-symposium = 召开座谈会
event-action-done = 完成
event-action-reopen = 重新打开
contacts-export = 导出联系人（XLSX，将留痕）
event-action-export-contacts = 导出联系人
import-dataset = 文件内容
import-dataset-enterprises = 企业
import-dataset-contacts = 联系人
import-dataset-indicators = 经营指标
import-dataset-enterprises-help = 企业：每行一家；统一社会信用代码已存在的企业将被更新。
import-dataset-contacts-help = 联系人：每行一人，并填写所属企业的统一社会信用代码；同一企业中同名的联系人将被更新。
import-dataset-indicators-help = 经营指标：每行一个数据（信用代码、期间、指标、数值、单位、币种）；同一期间已有的数据将被替换。
indicators-export = 导出经营指标（XLSX）
attachments-heading = 附件
attachments-add = 添加附件
attachments-upload = 上传
attachments-remove = 移除
event-action-attach = 添加了附件
event-action-remove-attachment = 移除了附件
field-currency = 币种（ISO 4217）
