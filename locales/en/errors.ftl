# Error messages, English. One per error code (error-<code>).
error-required = This field is required.
error-too-long = This is too long (at most { $max } characters).
error-invalid-choice = Please choose one of the offered values.
error-invalid-format = This is not in a valid format.
error-invalid-body = The request could not be read. Please check its format.
error-username-invalid = A username has 3–40 characters: letters a–z, digits, dot, dash or underscore, starting with a letter or digit.
error-username-taken = This username is already taken.
error-password-too-short = The password must have at least { $min } characters.
error-password-mismatch = The two passwords do not match.
error-current-password-wrong = The current password is not correct.
error-login-failed = Wrong username or password.
error-login-throttled = Too many failed attempts. Please try again in { $minutes ->
    [one] one minute
   *[other] { $minutes } minutes
}.
error-account-disabled = This account is disabled. Please contact your administrator.
error-cannot-disable-self = You cannot disable your own account.
error-department-not-found = There is no such department.
error-department-retired = This department is retired.
error-department-parent-invalid = A department of this kind cannot be placed there (city › bureau › division; district › committee).
error-department-has-active-children = Retire or move the units under this department first.
error-department-has-users = This department still has { $count ->
    [one] one active user
   *[other] { $count } active users
}. Move or disable them first.
error-enterprise-not-found = There is no such enterprise.
error-officer-needs-department = An officer must belong to a department.
error-enterprise-user-needs-enterprise = An enterprise user must belong to an enterprise.
error-country-invalid = Use a two-letter ISO 3166-1 country code, such as JP or KR.
error-name-required = Give at least one name.
error-token-not-found = There is no such token.
error-job-not-dead = Only a dead job can be retried.
error-csrf-failed = The form has expired or did not come from Liaison. Please reload the page and try again.
error-unauthenticated = Please sign in first.
error-forbidden = You are not allowed to do this.
error-not-found = This page or item does not exist, or you cannot see it.
error-internal = Something went wrong on our side. It has been logged; please try again later.
error-invalid-query = A parameter in the address is not valid.
error-control-character = "{ $name }" contains a control character, which is not allowed in text.
error-method-not-allowed = This address does not accept that kind of request.
error-days-out-of-range = Enter a whole number of days from 1 to 3650.
error-user-not-found = There is no user with that name.
error-last-admin = This is the last active administrator. Make someone else an administrator first.
error-uscc-length = A unified social credit code has exactly 18 characters.
error-uscc-invalid = A unified social credit code uses only digits and the capital letters A–Y except I, O, S, V and Z.
error-uscc-check-failed = This unified social credit code is not valid: its last character does not match. Please check it against the business licence.
error-uscc-taken = Another enterprise already has this unified social credit code.
error-invalid-number = Enter a number (digits only, at most four decimals).
error-invalid-date = Enter a date as YYYY-MM-DD, for example 2024-03-31.
error-date-out-of-range = This date is not possible here (in the future or before 1800).
error-currency-invalid = Use a three-letter ISO 4217 currency code, such as CNY, JPY, KRW or USD.
error-tag-not-found = There is no such tag.
error-contact-user-mismatch = Only an enterprise user account of this same enterprise can be linked to its contact.
error-period-invalid = Write the period as a year (2025) or a quarter (2025-Q3).
error-period-out-of-range = This period has not ended yet or is too long ago.
error-unit-mismatch = Employees are counted in persons; money in one of the money units.
error-file-unreadable = The file could not be read. Use CSV (UTF-8) or XLSX.
error-file-empty = The file has no rows.
error-file-format-unknown = Use a file ending in .csv or .xlsx.
error-column-missing = The file needs a column "{ $column }".
error-duplicate-in-file = This credit code is also in row { $row } of the file.
error-visit-needs-one-enterprise = A visit is to exactly one enterprise; choose "symposium" for several.
error-officials-required = Name at least one official or guest who took part.
error-official-invalid = Officials must be active staff accounts (not enterprise users).
error-attendee-invalid = Attendees must be current contacts of the enterprises taking part.
error-file-type-refused = This kind of file is not accepted. Accepted: { $types }
error-file-too-large = The file is larger than { $max } MB.
error-file-is-empty = The file is empty.
error-file-content-mismatch = The file's content is not a { $type } file.
error-invalid-transition = This step is not possible now (the demand is { $state }).
error-category-parent-invalid = Choose a current top-level category as the parent.
error-category-not-found = Choose a current category.
error-engagement-invalid = Choose a visit or symposium this enterprise took part in.
error-extension-not-later = Choose a date after the current deadline ({ $due }).
error-not-a-working-day = Choose a working day.
error-no-extension-requested = No extension has been requested.
error-merge-target-invalid = Choose another demand that is still open.
