//! What a contact is and the rules its fields keep.

use serde::Serialize;

use crate::db::Timestamp;
use crate::error::{Problems, Result};
use crate::fields;
use crate::i18n::Locale;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Contact {
    pub id: i64,
    pub enterprise_id: i64,
    pub name: String,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub preferred_locale: Option<String>,
    pub primary_since: Option<Timestamp>,
    pub user_id: Option<i64>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub removed_at: Option<Timestamp>,
}

impl Contact {
    pub fn is_primary(&self) -> bool {
        self.primary_since.is_some()
    }
}

/// A contact's fields as typed.
#[derive(Debug, Clone, Default)]
pub struct ContactDraft {
    pub name: String,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub preferred_locale: Option<String>,
    pub primary: bool,
}

#[derive(Debug, Clone)]
pub struct ValidContact {
    pub name: String,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub preferred_locale: Option<Locale>,
    pub primary: bool,
}

impl ContactDraft {
    pub fn from_contact(c: &Contact) -> ContactDraft {
        ContactDraft {
            name: c.name.clone(),
            title: c.title.clone(),
            phone: c.phone.clone(),
            email: c.email.clone(),
            preferred_locale: c.preferred_locale.clone(),
            primary: c.is_primary(),
        }
    }

    pub fn parse(&self) -> Result<ValidContact> {
        let mut p = Problems::default();
        let name = fields::text(&mut p, "name", Some(&self.name), 100);
        if name.is_none() {
            p.add(crate::error::FieldError::new(
                "name",
                crate::error::Code::Required,
            ));
        }
        let title = fields::text(&mut p, "title", self.title.as_deref(), 100);
        let phone = p
            .check(fields::phone("phone", self.phone.as_deref()))
            .flatten();
        let email = p
            .check(fields::email("email", self.email.as_deref()))
            .flatten();
        let preferred_locale = p
            .check(crate::users::model::parse_locale(
                "preferred_locale",
                self.preferred_locale.as_deref(),
            ))
            .flatten();
        p.finish()?;
        Ok(ValidContact {
            name: name.expect("checked"),
            title,
            phone,
            email,
            preferred_locale,
            primary: self.primary,
        })
    }
}
