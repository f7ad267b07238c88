//! What a user is, and the rules an account's fields must keep.

use serde::Serialize;

use crate::auth::{Actor, Role};
use crate::db::Timestamp;
use crate::error::{Code, FieldError, Problems};
use crate::i18n::Locale;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub role: Role,
    pub department_id: Option<i64>,
    pub enterprise_id: Option<i64>,
    pub locale: Option<String>,
    #[serde(skip)]
    pub password_hash: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub password_changed_at: Timestamp,
    pub disabled_at: Option<Timestamp>,
}

impl User {
    pub fn actor(&self, privacy: &crate::config::PrivacyConfig) -> Actor {
        Actor {
            user_id: Some(self.id),
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            role: self.role,
            department_id: self.department_id,
            enterprise_id: self.enterprise_id,
            locale: self.locale.as_deref().and_then(Locale::parse),
            sees_personal_data: crate::auth::sees_personal_data(self.role, privacy),
        }
    }

    pub fn profile(&self) -> Profile {
        Profile {
            display_name: self.display_name.clone(),
            email: self.email.clone(),
            role: self.role.as_str().to_string(),
            department_id: self.department_id,
            enterprise_id: self.enterprise_id,
            locale: self.locale.clone(),
        }
    }
}

/// The fields of an account that an administrator edits, as given.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    pub display_name: String,
    pub email: Option<String>,
    pub role: String,
    pub department_id: Option<i64>,
    pub enterprise_id: Option<i64>,
    pub locale: Option<String>,
}

/// A [`Profile`] whose fields have been checked (references are checked by
/// the service, which can see the database).
#[derive(Debug, Clone)]
pub struct ValidProfile {
    pub display_name: String,
    pub email: Option<String>,
    pub role: Role,
    pub department_id: Option<i64>,
    pub enterprise_id: Option<i64>,
    pub locale: Option<Locale>,
}

pub const MAX_DISPLAY_NAME: usize = 100;

pub fn normalise_username(raw: &str) -> String {
    raw.trim().to_lowercase()
}

/// 3–40 characters of a–z, 0–9, `.`, `_`, `-`, starting with a letter or digit.
pub fn parse_username(raw: &str) -> Result<String, FieldError> {
    let name = normalise_username(raw);
    if name.is_empty() {
        return Err(FieldError::new("username", Code::Required));
    }
    let valid_chars = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
    let starts_well = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    if !(3..=40).contains(&name.len()) || !valid_chars || !starts_well {
        return Err(FieldError::new("username", Code::UsernameInvalid));
    }
    Ok(name)
}

pub fn check_password(field: &'static str, password: &str, min: i64) -> Result<(), FieldError> {
    if (password.chars().count() as i64) < min {
        return Err(FieldError::new(field, Code::PasswordTooShort).with("min", min));
    }
    if password.len() > 1024 {
        return Err(FieldError::new(field, Code::TooLong).with("max", 1024));
    }
    Ok(())
}

pub fn parse_locale(field: &'static str, raw: Option<&str>) -> Result<Option<Locale>, FieldError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(tag) => Locale::ALL
            .into_iter()
            .find(|l| l.tag().eq_ignore_ascii_case(tag))
            .map(Some)
            .ok_or(FieldError::new(field, Code::InvalidChoice)),
    }
}

impl Profile {
    pub fn parse(&self) -> Result<ValidProfile, crate::error::Error> {
        let mut problems = Problems::default();
        let display_name = self.display_name.trim().to_string();
        if display_name.is_empty() {
            problems.add(FieldError::new("display_name", Code::Required));
        } else if display_name.chars().count() > MAX_DISPLAY_NAME {
            problems
                .add(FieldError::new("display_name", Code::TooLong).with("max", MAX_DISPLAY_NAME));
        }
        let email = problems
            .check(crate::fields::email("email", self.email.as_deref()))
            .flatten();
        let role = Role::parse(&self.role);
        if role.is_none() {
            problems.add(FieldError::new("role", Code::InvalidChoice));
        }
        let locale = problems
            .check(parse_locale("locale", self.locale.as_deref()))
            .flatten();
        let mut department_id = self.department_id;
        let mut enterprise_id = self.enterprise_id;
        match role {
            Some(Role::Officer) if department_id.is_none() => {
                problems.add(FieldError::new(
                    "department_id",
                    Code::OfficerNeedsDepartment,
                ));
            }
            Some(Role::Enterprise) => {
                department_id = None;
                if enterprise_id.is_none() {
                    problems.add(FieldError::new(
                        "enterprise_id",
                        Code::EnterpriseUserNeedsEnterprise,
                    ));
                }
            }
            _ => {}
        }
        if role != Some(Role::Enterprise) {
            enterprise_id = None;
        }
        problems.finish()?;
        Ok(ValidProfile {
            display_name,
            email,
            role: role.expect("checked above"),
            department_id,
            enterprise_id,
            locale,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(role: &str) -> Profile {
        Profile {
            display_name: "Li Wei".into(),
            role: role.into(),
            ..Profile::default()
        }
    }

    #[test]
    fn usernames() {
        assert_eq!(parse_username("  Li.Wei "), Ok("li.wei".into()));
        assert!(parse_username("ab").is_err());
        assert!(parse_username("-abc").is_err());
        assert!(parse_username("李伟").is_err());
    }

    #[test]
    fn officers_need_a_department_and_enterprise_users_an_enterprise() {
        let err = profile("officer").parse().unwrap_err();
        assert_eq!(err.field_errors()[0].code, Code::OfficerNeedsDepartment);
        let err = profile("enterprise").parse().unwrap_err();
        assert_eq!(
            err.field_errors()[0].code,
            Code::EnterpriseUserNeedsEnterprise
        );
        let ok = Profile {
            enterprise_id: Some(3),
            department_id: Some(2),
            ..profile("enterprise")
        };
        let valid = ok.parse().unwrap();
        assert_eq!((valid.department_id, valid.enterprise_id), (None, Some(3)));
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let bad = Profile {
            display_name: " ".into(),
            email: Some("nobody".into()),
            role: "mayor".into(),
            locale: Some("fr".into()),
            ..Profile::default()
        };
        let errors = bad.parse().unwrap_err().field_errors();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_deref()).collect();
        assert_eq!(
            fields,
            [
                Some("display_name"),
                Some("email"),
                Some("role"),
                Some("locale")
            ]
        );
    }
}
