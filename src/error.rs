//! The one error type of the service layer. Web code maps it to HTTP once
//! (`web::errors`); the CLI prints it. Codes are stable snake_case strings
//! that clients may rely on; people read them translated (`error-*` messages).

use std::borrow::Cow;

use serde::Serialize;

macro_rules! codes {
    ($($variant:ident => $text:literal,)*) => {
        /// Stable error codes. Each has an `error-…` message in every locale.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code { $($variant,)* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $text,)* }
            }
        }
    };
}

codes! {
    Required => "required",
    TooLong => "too_long",
    InvalidChoice => "invalid_choice",
    InvalidFormat => "invalid_format",
    InvalidBody => "invalid_body",
    InvalidQuery => "invalid_query",
    ControlCharacter => "control_character",
    MethodNotAllowed => "method_not_allowed",
    DaysOutOfRange => "days_out_of_range",
    NumberOutOfRange => "number_out_of_range",
    UserNotFound => "user_not_found",
    LastAdmin => "last_admin",
    UsccLength => "uscc_length",
    UsccInvalid => "uscc_invalid",
    UsccCheckFailed => "uscc_check_failed",
    UsccTaken => "uscc_taken",
    InvalidNumber => "invalid_number",
    InvalidDate => "invalid_date",
    DateOutOfRange => "date_out_of_range",
    CurrencyInvalid => "currency_invalid",
    TagNotFound => "tag_not_found",
    ContactUserMismatch => "contact_user_mismatch",
    PeriodInvalid => "period_invalid",
    PeriodOutOfRange => "period_out_of_range",
    UnitMismatch => "unit_mismatch",
    FileUnreadable => "file_unreadable",
    FileEmpty => "file_empty",
    FileFormatUnknown => "file_format_unknown",
    FileTypeRefused => "file_type_refused",
    FileContentMismatch => "file_content_mismatch",
    FileTooLarge => "file_too_large",
    FileIsEmpty => "file_is_empty",
    ColumnMissing => "column_missing",
    DuplicateInFile => "duplicate_in_file",
    VisitNeedsOneEnterprise => "visit_needs_one_enterprise",
    OfficialsRequired => "officials_required",
    OfficialInvalid => "official_invalid",
    AttendeeInvalid => "attendee_invalid",
    UsernameInvalid => "username_invalid",
    UsernameTaken => "username_taken",
    PasswordTooShort => "password_too_short",
    PasswordMismatch => "password_mismatch",
    CurrentPasswordWrong => "current_password_wrong",
    LoginFailed => "login_failed",
    LoginThrottled => "login_throttled",
    AccountDisabled => "account_disabled",
    CannotDisableSelf => "cannot_disable_self",
    DepartmentNotFound => "department_not_found",
    DepartmentRetired => "department_retired",
    DepartmentParentInvalid => "department_parent_invalid",
    DepartmentHasActiveChildren => "department_has_active_children",
    DepartmentHasUsers => "department_has_users",
    EnterpriseNotFound => "enterprise_not_found",
    OfficerNeedsDepartment => "officer_needs_department",
    EnterpriseUserNeedsEnterprise => "enterprise_user_needs_enterprise",
    CountryInvalid => "country_invalid",
    NameRequired => "name_required",
    TokenNotFound => "token_not_found",
    JobNotDead => "job_not_dead",
    CsrfFailed => "csrf_failed",
    InvalidTransition => "invalid_transition",
    CategoryParentInvalid => "category_parent_invalid",
    CategoryNotFound => "category_not_found",
    EngagementInvalid => "engagement_invalid",
    ExtensionNotLater => "extension_not_later",
    NotAWorkingDay => "not_a_working_day",
    NoExtensionRequested => "no_extension_requested",
    MergeTargetInvalid => "merge_target_invalid",
    GlossaryTermTooShort => "glossary_term_too_short",
    GlossaryKeyTaken => "glossary_key_taken",
    CommonProblemMemberInvalid => "common_problem_member_invalid",
    PlanHorizonMismatch => "plan_horizon_mismatch",
    KpiTargetWrongWay => "kpi_target_wrong_way",
    KpiFed => "kpi_fed",
    KpiHasValues => "kpi_has_values",
    TaskParentInvalid => "task_parent_invalid",
    TaskProgressFromChildren => "task_progress_from_children",
    LinkTargetNotFound => "link_target_not_found",
    Unauthenticated => "unauthenticated",
    Forbidden => "forbidden",
    NotFound => "not_found",
    Internal => "internal",
}

impl Code {
    /// The Fluent message id that explains this code to a person.
    pub fn message_id(self) -> String {
        format!("error-{}", self.as_str().replace('_', "-"))
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One problem with the input, tied to a field when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: Option<Cow<'static, str>>,
    pub code: Code,
    /// Values for the message's placeables, e.g. `("min", "10")`.
    pub args: Vec<(&'static str, String)>,
}

impl FieldError {
    /// A problem with a field whose name is known only at run time (a JSON
    /// key or a query parameter named by the caller).
    pub fn named(field: String, code: Code) -> FieldError {
        FieldError {
            field: Some(Cow::Owned(field)),
            code,
            args: Vec::new(),
        }
    }

    pub fn new(field: &'static str, code: Code) -> FieldError {
        FieldError {
            field: Some(Cow::Borrowed(field)),
            code,
            args: Vec::new(),
        }
    }

    pub fn general(code: Code) -> FieldError {
        FieldError {
            field: None,
            code,
            args: Vec::new(),
        }
    }

    pub fn with(mut self, name: &'static str, value: impl ToString) -> FieldError {
        self.args.push((name, value.to_string()));
        self
    }

    /// An argument that is itself a message (a state's name, say), shown
    /// in the reader's language.
    pub fn with_message(self, name: &'static str, message_id: &str) -> FieldError {
        self.with(name, format!("{MESSAGE_ARG}{message_id}"))
    }
}

/// Marks an argument of a [`FieldError`] as a message id to translate.
pub const MESSAGE_ARG: &str = "@message:";

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input is wrong; nothing was changed. (HTTP 422)
    #[error("invalid input: {}", describe(.0))]
    Invalid(Vec<FieldError>),
    /// The request conflicts with the current state. (HTTP 409)
    #[error("conflict: {}", describe(std::slice::from_ref(.0)))]
    Conflict(FieldError),
    #[error("sign-in required")]
    Unauthenticated,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// The address exists but not for this HTTP method. (HTTP 405)
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("too many attempts")]
    Throttled { retry_after_minutes: i64 },
    /// Anything unexpected; logged with its cause, shown to nobody. (HTTP 500)
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        Error::Internal(e.into())
    }
}

impl Error {
    pub fn field(field: &'static str, code: Code) -> Error {
        Error::Invalid(vec![FieldError::new(field, code)])
    }

    /// The problems to show, whatever the kind of error.
    pub fn field_errors(&self) -> Vec<FieldError> {
        match self {
            Error::Invalid(errors) => errors.clone(),
            Error::Conflict(e) => vec![e.clone()],
            Error::Unauthenticated => vec![FieldError::general(Code::Unauthenticated)],
            Error::Forbidden => vec![FieldError::general(Code::Forbidden)],
            Error::NotFound => vec![FieldError::general(Code::NotFound)],
            Error::MethodNotAllowed => vec![FieldError::general(Code::MethodNotAllowed)],
            Error::Throttled {
                retry_after_minutes,
            } => {
                vec![FieldError::general(Code::LoginThrottled).with("minutes", retry_after_minutes)]
            }
            Error::Internal(_) => vec![FieldError::general(Code::Internal)],
        }
    }
}

/// "field: code" pairs, for logs and the CLI's English fallback.
fn describe(errors: &[FieldError]) -> String {
    let parts: Vec<String> = errors
        .iter()
        .map(|e| match &e.field {
            Some(field) => format!("{field}: {}", e.code.as_str()),
            None => e.code.as_str().to_string(),
        })
        .collect();
    parts.join(", ")
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Collects field errors while parsing a form, then fails once with all of them.
#[derive(Default)]
pub struct Problems(Vec<FieldError>);

impl Problems {
    pub fn add(&mut self, e: FieldError) {
        self.0.push(e);
    }

    /// Keeps the value of a parse, or records its error and returns `None`.
    pub fn check<T>(&mut self, r: Result<T, FieldError>) -> Option<T> {
        r.map_err(|e| self.0.push(e)).ok()
    }

    pub fn finish(self) -> Result<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid(self.0))
        }
    }
}
