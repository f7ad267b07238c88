# Liaison user interface, English.
app-name = Liaison
skip-to-content = Skip to content
footer-text = Liaison — serving and cultivating foreign-funded enterprises
language-label = Language
nav-label = Main navigation
nav-home = Home
nav-enterprises = Enterprises
nav-my-enterprise = My enterprise
nav-departments = Departments
nav-users = Users
nav-jobs = Background jobs
nav-audit = Audit trail
nav-profile = My profile
nav-logout = Sign out

# Roles
role-admin = Administrator
role-leader = Leader
role-coordinator = Coordinator
role-officer = Officer
role-enterprise = Enterprise user
role-viewer = Viewer

# Department kinds
department-kind-city = City
department-kind-bureau = Bureau / office
department-kind-division = Division
department-kind-district = District
department-kind-committee = Committee

# Job states
job-state-queued = Queued
job-state-running = Running
job-state-done = Done
job-state-dead = Dead (gave up)

# Common words
action-save = Save
action-filter = Filter
action-retire = Retire
action-reinstate = Reinstate
action-disable = Disable account
action-enable = Enable account
action-revoke = Revoke
action-retry = Retry
choice-none = — none —
list-empty = Nothing here yet.
notice-saved = Saved.
status-active = Active
status-disabled = Disabled
status-retired = Retired

# Fields
field-username = Username
field-password = Password
field-display-name = Name
field-email = Email
field-role = Role
field-department = Department
field-enterprise = Enterprise
field-language = Language
field-name = Name
field-name-zh = Name (Chinese)
field-name-ja = Name (Japanese)
field-name-ko = Name (Korean)
field-name-en = Name (English)
field-kind = Kind
field-parent = Parent unit
field-country = Investor country or region
field-status = Status
field-actions = Actions
field-search = Search
field-current-password = Current password
field-new-password = New password
field-confirm-password = Repeat the new password
field-token-name = Token name
field-token-prefix = Starts with
field-token-days = Valid for (days)
field-expires = Expires
field-last-used = Last used

# Sign-in
login-title = Sign in
login-intro = Sign in with the account your administrator gave you.
login-submit = Sign in

# Home
home-title = Home
home-count-enterprises = Enterprises
home-count-departments = Departments
home-enterprise-welcome = Welcome. You are signed in for { $name }.

# Profile
profile-title = My profile
profile-password-heading = Change password
profile-password-submit = Change password
profile-password-changed = Your password has been changed. Please sign in again.
profile-language-heading = Language
profile-tokens-heading = API tokens
profile-tokens-intro = Programs use a token to call the Liaison API on your behalf (Authorization: Bearer …). Revoke a token you no longer use.
profile-tokens-none = You have no API tokens.
profile-token-issue = Issue token
profile-token-issued = The token has been issued.
profile-token-once = Copy this token now. It will not be shown again.
profile-token-revoked = The token has been revoked.
token-active = Active
token-expired = Expired
token-revoked = Revoked

# Departments
departments-title = Departments
departments-new-title = New department
departments-edit-title = Edit department
departments-no-parent = — top level —
departments-show-retired = Show retired departments
departments-hide-retired = Hide retired departments
departments-is-retired = This department is retired. It is kept because records refer to it.
departments-hierarchy-help = The hierarchy is city › bureau › division and district › committee. Moving a department means choosing a new parent unit.
departments-retire-heading = Retire
departments-retire-help = A retired department keeps its history but takes no new people or work. Move or retire its units and people first.

# Users
users-title = Users
users-new-title = New user
users-edit-title = Edit user
users-all-roles = All roles
users-show-disabled = Include disabled accounts
users-locale-auto = Follow the browser
users-role-help = An officer needs a department; an enterprise user needs an enterprise and sees only that enterprise.
users-password-heading = Set password
users-password-submit = Set password
users-password-set = The password has been set and the user's sessions have ended.
users-access-heading = Access

# Enterprises
enterprises-title = Enterprises

# Jobs
jobs-title = Background jobs
jobs-attempts = Attempts
jobs-last-error = Last error

# Audit
audit-title = Audit trail
audit-at = Time
audit-actor = Who
audit-entity = What
audit-action = Action

# Error pages
error-back-home = Back to the home page
error-title-400 = Bad request
error-title-401 = Please sign in
error-title-403 = Not allowed
error-title-404 = Not found
error-title-405 = Not possible here
error-title-409 = Cannot do that now
error-title-422 = Please check your input
error-title-429 = Too many attempts
error-title-500 = Something went wrong

# Audit trail and job labels
audit-actor-system = System (operator or scheduled job)
entity-user = User
entity-department = Department
entity-enterprise = Enterprise
entity-api-token = API token
entity-job = Background job
entity-system = System
event-action-create = Created
event-action-update = Changed
event-action-move = Moved
event-action-retire = Retired
event-action-reinstate = Reinstated
event-action-login = Signed in
event-action-logout = Signed out
event-action-set-password = Password set by an administrator
event-action-change-password = Password changed
event-action-disable = Disabled
event-action-enable = Enabled
event-action-set-locale = Language chosen
event-action-issue = Issued
event-action-revoke = Revoked
event-action-retry = Retried
event-action-purge = Expired data removed
job-kind-purge-expired = Remove expired sessions and tokens
jobs-when = When
jobs-due = due
jobs-finished = finished

# Enterprise registry
nav-tags = Tags
enterprises-new-title = New enterprise
enterprises-edit-title = Edit enterprise
enterprises-sort-by = Sort by:
enterprises-sort-name = Name
enterprises-sort-newest = Newest
enterprises-sort-employees = Employees
enterprises-select = Select
enterprises-bulk-mode = With the selected
enterprises-bulk-add = Add the tag
enterprises-bulk-remove = Remove the tag
enterprises-bulk-apply = Apply to selected
enterprises-tagged = { $count ->
    [one] One enterprise changed.
   *[other] { $count } enterprises changed.
}
enterprises-timeline = Timeline
enterprises-names-help = Give the name in at least one language; add the others if the enterprise uses them.
enterprise-status-operating = Operating
enterprise-status-suspended = Suspended
enterprise-status-closed = Closed
list-next-page = Next page
filter-any = — any —
field-uscc = Unified social credit code
field-industry = Industry (GB/T 4754)
field-district = District
field-tag = Tag
field-tags = Tags
field-employees = Employees
field-parent-company = Parent company
field-address = Address
field-founded-on = Founded on
field-registered-capital = Registered capital
field-capital-currency = Currency of the capital
field-main-products = Main products
tags-title = Tags
tags-new = New tag
entity-tag = Tag
event-action-tag = Tag added
event-action-untag = Tag removed

# Contacts
contacts-heading = Contacts
contacts-new-title = New contact
contacts-edit-title = Edit contact
contacts-add = Add a contact
contacts-remove = Remove this contact
contacts-back = Back to the enterprise
contacts-primary = Primary
contacts-hidden = Contact details are personal data and are shown only to those whose work needs them.
field-contact-name = Name
field-contact-title = Position
field-phone = Phone
field-preferred-language = Preferred language
field-primary-contact = Primary contact of the enterprise
entity-contact = Contact
event-action-remove = Removed
event-action-link-user = Account linked

# Indicators
indicators-heading = Operating indicators
indicators-record = Record
indicators-reported-by-enterprise = Reported by the enterprise
indicators-entered-by-city = Entered by the city
field-metric = Indicator
field-period = Period (2025 or 2025-Q3)
field-value = Value
field-unit = Unit
field-source = Source
metric-revenue = Revenue
metric-output-value = Output value
metric-tax-paid = Tax paid
metric-exports = Exports
metric-imports = Imports
metric-employees = Employees
metric-new-investment = New investment
unit-one = units
unit-thousand = thousand
unit-ten-thousand = ten thousand (万)
unit-million = million
unit-hundred-million = hundred million (亿)
unit-persons = persons
entity-indicator = Indicator
event-action-record-indicator = Indicator recorded

# Import and export
import-title = Import
import-intro = Upload a CSV or XLSX file with a header row. Headers may be in Chinese, Japanese, Korean or English. A trial run checks every row and imports nothing; a real import is all or nothing.
import-file = File (.csv or .xlsx)
import-dry-run = Trial run: check only, import nothing
import-submit = Upload
import-report = Result
import-done = { $count } rows imported.
import-checked = { $count } rows checked; all are valid.
import-created = { $count } new.
import-updated = { $count } updated.
import-refused = { $count } problems found; nothing was imported.
import-row = Row
import-column = Column
import-reason = Problem
import-ignored = Columns not recognised and ignored:
enterprises-export-xlsx = Export (XLSX)
enterprises-export-csv = Export (CSV)
event-action-import-create = Imported (new)
event-action-import-update = Imported (updated)

# Visits and symposiums
nav-engagements = Visits
engagements-title = Visits and symposiums
engagements-new-title = Record a visit or symposium
engagements-edit-title = Edit the record
engagements-new-visit = Record a visit
engagements-new-symposium = Record a symposium
engagements-heading = Visits and symposiums
engagements-attendees-help = Save first; then the enterprises' contacts can be ticked as attendees.
engagement-kind-visit = Visit
engagement-kind-symposium = Symposium
field-engagement-kind = Kind
field-held-on = Date
field-place = Place
field-enterprises = Enterprises
field-officials = Officials
field-guests = Guests (one per line, e.g. a mayor)
field-attendees = Attending for the enterprises
field-purpose = Purpose
field-findings = Findings / minutes
follow-ups-heading = Follow-ups
field-description = What is to be done
field-owner = Owner
field-due-on = Due
follow-up-add = Add follow-up
follow-up-done = Done
follow-up-open = Open
follow-up-mark-done = Mark done
follow-up-reopen = Reopen
entity-engagement = Visit or symposium
entity-follow-up = Follow-up
event-action-visited = Visited
event-action-symposium = Symposium held
event-action-done = Done
event-action-reopen = Reopened
contacts-export = Export contacts (XLSX; recorded)
event-action-export-contacts = Contacts exported
import-dataset = What the file holds
import-dataset-enterprises = Enterprises
import-dataset-contacts = Contacts
import-dataset-indicators = Operating indicators
import-dataset-enterprises-help = Enterprises: one per row; an enterprise whose credit code is already known is updated.
import-dataset-contacts-help = Contacts: one per row, with the enterprise's credit code; a contact with the same name at that enterprise is updated.
import-dataset-indicators-help = Operating indicators: one figure per row (credit code, period, indicator, value, unit, currency); a figure already recorded for that period is replaced.
indicators-export = Export indicators (XLSX)
attachments-heading = Attachments
attachments-add = Attach a file
attachments-upload = Upload
attachments-remove = Remove
event-action-attach = File attached
event-action-remove-attachment = File removed
field-currency = Currency (ISO 4217)
