# Liaison 사용자 인터페이스, 한국어.
app-name = Liaison
skip-to-content = 본문 바로가기
footer-text = Liaison — 외자기업 서비스 및 육성 지원
language-label = 언어
nav-label = 주 메뉴
nav-home = 홈
nav-enterprises = 기업
nav-my-enterprise = 우리 기업
nav-departments = 부서
nav-users = 사용자
nav-jobs = 백그라운드 작업
nav-audit = 감사 기록
nav-profile = 내 정보
nav-logout = 로그아웃

# 역할
role-admin = 관리자
role-leader = 간부
role-coordinator = 코디네이터
role-officer = 담당 직원
role-enterprise = 기업 사용자
role-viewer = 열람자

# 부서 유형
department-kind-city = 시
department-kind-bureau = 국/판공실
department-kind-division = 처
department-kind-district = 구
department-kind-committee = 관리위원회

# 작업 상태
job-state-queued = 대기 중
job-state-running = 실행 중
job-state-done = 완료
job-state-dead = 중단됨(재시도 포기)

# 공통 용어
action-save = 저장
action-filter = 필터
action-retire = 폐지
action-reinstate = 복원
action-disable = 계정 비활성화
action-enable = 계정 활성화
action-revoke = 취소
action-retry = 재시도
choice-none = — 없음 —
list-empty = 아직 항목이 없습니다.
notice-saved = 저장되었습니다.
status-active = 활성
status-disabled = 비활성
status-retired = 폐지됨

# 항목
field-username = 사용자 이름
field-password = 비밀번호
field-display-name = 이름
field-email = 이메일
field-role = 역할
field-department = 부서
field-enterprise = 기업
field-language = 언어
field-name = 명칭
field-name-zh = 명칭(중국어)
field-name-ja = 명칭(일본어)
field-name-ko = 명칭(한국어)
field-name-en = 명칭(영어)
field-kind = 유형
field-parent = 상위 기관
field-country = 투자자 국가 또는 지역
field-status = 상태
field-actions = 작업
field-search = 검색
field-current-password = 현재 비밀번호
field-new-password = 새 비밀번호
field-confirm-password = 새 비밀번호 확인
field-token-name = 토큰 이름
field-token-prefix = 시작 문자
field-token-days = 유효 기간(일)
field-expires = 만료
field-last-used = 마지막 사용

# 로그인
login-title = 로그인
login-intro = 관리자가 발급한 계정으로 로그인하세요.
login-submit = 로그인

# 홈
home-title = 홈
home-count-enterprises = 기업
home-count-departments = 부서
home-enterprise-welcome = 환영합니다. { $name }(으)로 로그인되어 있습니다.

# 내 정보
profile-title = 내 정보
profile-password-heading = 비밀번호 변경
profile-password-submit = 비밀번호 변경
profile-password-changed = 비밀번호가 변경되었습니다. 다시 로그인하세요.
profile-language-heading = 언어
profile-tokens-heading = API 토큰
profile-tokens-intro = 프로그램은 토큰을 사용하여 사용자를 대신해 Liaison API를 호출합니다(Authorization: Bearer …). 더 이상 사용하지 않는 토큰은 취소하세요.
profile-tokens-none = API 토큰이 없습니다.
profile-token-issue = 토큰 발급
profile-token-issued = 토큰이 발급되었습니다.
profile-token-once = 지금 이 토큰을 복사하세요. 다시 표시되지 않습니다.
profile-token-revoked = 토큰이 취소되었습니다.
token-active = 활성
token-expired = 만료됨
token-revoked = 취소됨

# 부서
departments-title = 부서
departments-new-title = 새 부서
departments-edit-title = 부서 편집
departments-no-parent = — 최상위 —
departments-show-retired = 폐지된 부서 표시
departments-hide-retired = 폐지된 부서 숨기기
departments-is-retired = 이 부서는 폐지되었습니다. 기록에서 참조하고 있으므로 보존됩니다.
departments-hierarchy-help = 계층 구조는 시 › 국/판공실 › 처, 그리고 구 › 관리위원회입니다. 부서를 이동하려면 새 상위 기관을 선택하세요.
departments-retire-heading = 폐지
departments-retire-help = 폐지된 부서는 이력을 유지하지만 새로운 인원이나 업무를 받지 않습니다. 먼저 하위 기관과 인원을 이동하거나 폐지하세요.

# 사용자
users-title = 사용자
users-new-title = 새 사용자
users-edit-title = 사용자 편집
users-all-roles = 모든 역할
users-show-disabled = 비활성 계정 포함
users-locale-auto = 브라우저 설정 따르기
users-role-help = 담당 직원은 부서가 있어야 하며, 기업 사용자는 기업이 지정되어야 하고 해당 기업만 볼 수 있습니다.
users-password-heading = 비밀번호 설정
users-password-submit = 비밀번호 설정
users-password-set = 비밀번호가 설정되었으며 해당 사용자의 세션이 종료되었습니다.
users-access-heading = 접근 권한

# 기업
enterprises-title = 기업

# 작업
jobs-title = 백그라운드 작업
jobs-attempts = 시도 횟수
jobs-last-error = 최근 오류

# 감사
audit-title = 감사 기록
audit-at = 시간
audit-actor = 수행자
audit-entity = 대상
audit-action = 작업

# 오류 페이지
error-back-home = 홈으로 돌아가기
error-title-400 = 잘못된 요청
error-title-401 = 로그인하세요
error-title-403 = 권한 없음
error-title-404 = 찾을 수 없음
error-title-405 = 여기서는 할 수 없는 작업입니다
error-title-409 = 지금은 처리할 수 없음
error-title-422 = 입력 내용을 확인하세요
error-title-429 = 시도 횟수 초과
error-title-500 = 오류가 발생했습니다

# 감사 기록 및 작업 이름
audit-actor-system = 시스템(운영 명령 또는 예약 작업)
entity-user = 사용자
entity-department = 부서
entity-enterprise = 기업
entity-api-token = API 토큰
entity-job = 백그라운드 작업
entity-system = 시스템
event-action-create = 생성
event-action-update = 변경
event-action-move = 소속 변경
event-action-retire = 폐지
event-action-reinstate = 복원
event-action-login = 로그인
event-action-logout = 로그아웃
event-action-set-password = 관리자 비밀번호 설정
event-action-change-password = 비밀번호 변경
event-action-disable = 비활성화
event-action-enable = 활성화
event-action-set-locale = 언어 선택
event-action-issue = 발급
event-action-revoke = 취소
event-action-retry = 재시도
event-action-purge = 만료 데이터 삭제
job-kind-purge-expired = 만료된 세션과 토큰 삭제
jobs-when = 시각
jobs-due = 예정
jobs-finished = 종료

# 기업 명부
nav-tags = 태그
enterprises-new-title = 기업 신규 등록
enterprises-edit-title = 기업 편집
enterprises-sort-by = 정렬:
enterprises-sort-name = 이름
enterprises-sort-newest = 최신순
enterprises-sort-employees = 직원 수
enterprises-select = 선택
enterprises-bulk-mode = 선택한 기업에
enterprises-bulk-add = 태그 추가
enterprises-bulk-remove = 태그 삭제
enterprises-bulk-apply = 선택한 기업에 적용
enterprises-tagged = { $count }개 기업을 변경했습니다.
enterprises-timeline = 타임라인
enterprises-names-help = 최소 한 가지 언어로 이름을 입력하세요. 기업이 다른 언어 이름도 쓰면 함께 입력하세요.
enterprise-status-operating = 영업 중
enterprise-status-suspended = 휴업
enterprise-status-closed = 폐업
list-next-page = 다음 페이지
filter-any = — 전체 —
field-uscc = 통일사회신용코드
field-industry = 업종(GB/T 4754)
field-district = 소재 구역
field-tag = 태그
field-tags = 태그
field-employees = 직원 수
field-parent-company = 모회사
field-address = 주소
field-founded-on = 설립일
field-registered-capital = 등록자본금
field-capital-currency = 자본금 통화
field-main-products = 주요 제품
tags-title = 태그
tags-new = 새 태그
entity-tag = 태그
event-action-tag = 태그 추가
event-action-untag = 태그 삭제

# 연락처
contacts-heading = 연락처
contacts-new-title = 연락처 신규 등록
contacts-edit-title = 연락처 편집
contacts-add = 연락처 추가
contacts-remove = 이 연락처 삭제
contacts-back = 기업 페이지로 돌아가기
contacts-primary = 주 담당자
contacts-hidden = 연락처는 개인정보이므로 업무상 필요한 사람에게만 표시됩니다.
field-contact-name = 이름
field-contact-title = 직책
field-phone = 전화번호
field-preferred-language = 선호 언어
field-primary-contact = 기업의 주 담당 연락처
entity-contact = 연락처
event-action-remove = 삭제
event-action-link-user = 계정 연결

# 경영 지표
indicators-heading = 경영 지표
indicators-record = 기록
indicators-reported-by-enterprise = 기업 자체 보고
indicators-entered-by-city = 시 입력
field-metric = 지표
field-period = 기간(2025 또는 2025-Q3)
field-value = 값
field-unit = 단위
field-source = 출처
metric-revenue = 매출액
metric-output-value = 생산액
metric-tax-paid = 납세액
metric-exports = 수출액
metric-imports = 수입액
metric-employees = 직원 수
metric-new-investment = 신규 투자
unit-one = 단위
unit-thousand = 천
unit-ten-thousand = 만
unit-million = 백만
unit-hundred-million = 억
unit-persons = 명
entity-indicator = 지표
event-action-record-indicator = 지표 기록

# 가져오기와 내보내기
import-title = 가져오기
import-intro = 머리글 행이 있는 CSV 또는 XLSX 파일을 올려 주세요. 머리글은 중국어, 일본어, 한국어, 영어 모두 가능합니다. 시험 실행은 모든 행을 검사하고 아무것도 가져오지 않습니다. 실제 가져오기는 전부 성공하거나 아무것도 가져오지 않습니다.
import-file = 파일(.csv 또는 .xlsx)
import-dry-run = 시험 실행: 확인만 하고 가져오지 않음
import-submit = 올리기
import-report = 결과
import-done = { $count }행을 가져왔습니다.
import-checked = { $count }행을 확인했습니다. 모두 유효합니다.
import-created = 신규 { $count }곳.
import-updated = 갱신 { $count }곳.
import-refused = 문제 { $count }건을 찾았습니다. 아무것도 가져오지 않았습니다.
import-row = 행
import-column = 열
import-reason = 문제
import-ignored = 인식하지 못해 무시한 열:
enterprises-export-xlsx = 내보내기(XLSX)
enterprises-export-csv = 내보내기(CSV)
event-action-import-create = 가져오기(신규)
event-action-import-update = 가져오기(갱신)

# 방문과 좌담회
nav-engagements = 방문
engagements-title = 방문과 좌담회
engagements-new-title = 방문·좌담회 기록
engagements-edit-title = 기록 편집
engagements-new-visit = 방문 기록
engagements-new-symposium = 좌담회 기록
engagements-heading = 방문과 좌담회
engagements-attendees-help = 먼저 저장하세요. 그다음 기업 연락처를 참석자로 선택할 수 있습니다.
engagement-kind-visit = 방문
engagement-kind-symposium = 좌담회
field-engagement-kind = 종류
field-held-on = 날짜
field-place = 장소
field-enterprises = 기업
field-officials = 참석한 간부·직원
field-guests = 내빈(한 줄에 한 명, 예: 시장)
field-attendees = 기업 측 참석자
field-purpose = 목적
field-findings = 파악한 내용 / 회의록
follow-ups-heading = 후속 조치
field-description = 해야 할 일
field-owner = 담당자
field-due-on = 기한
follow-up-add = 후속 조치 추가
follow-up-done = 완료
follow-up-open = 미완료
follow-up-mark-done = 완료로 표시
follow-up-reopen = 다시 열기
entity-engagement = 방문·좌담회
entity-follow-up = 후속 조치
event-action-visited = 방문
event-action-symposium = 좌담회 개최
event-action-done = 완료
event-action-reopen = 다시 열기
contacts-export = 연락처 내보내기(XLSX, 기록됨)
event-action-export-contacts = 연락처 내보내기
import-dataset = 파일 내용
import-dataset-enterprises = 기업
import-dataset-contacts = 담당자
import-dataset-indicators = 경영 지표
import-dataset-enterprises-help = 기업: 한 행에 한 곳. 신용코드가 이미 등록된 기업은 갱신됩니다.
import-dataset-contacts-help = 담당자: 한 행에 한 명, 소속 기업의 신용코드와 함께. 같은 기업의 같은 이름 담당자는 갱신됩니다.
import-dataset-indicators-help = 경영 지표: 한 행에 한 수치(신용코드, 기간, 지표, 값, 단위, 통화). 같은 기간에 이미 등록된 수치는 대체됩니다.
indicators-export = 경영 지표 내보내기(XLSX)
attachments-heading = 첨부 파일
attachments-add = 파일 첨부
attachments-upload = 올리기
attachments-remove = 삭제
event-action-attach = 파일 첨부
event-action-remove-attachment = 파일 삭제
field-currency = 통화(ISO 4217)
