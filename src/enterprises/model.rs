//! What an enterprise is (so far).

use serde::Serialize;

use crate::db::Timestamp;
use crate::error::{Code, FieldError, Problems, Result};
use crate::i18n::Locale;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Enterprise {
    pub id: i64,
    pub name_zh: Option<String>,
    pub name_ja: Option<String>,
    pub name_ko: Option<String>,
    pub name_en: Option<String>,
    pub country: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Enterprise {
    /// The name in `locale`, else the first name the enterprise has.
    pub fn name(&self, locale: Locale) -> &str {
        let preferred = match locale {
            Locale::ZhCn => &self.name_zh,
            Locale::Ja => &self.name_ja,
            Locale::Ko => &self.name_ko,
            Locale::En => &self.name_en,
        };
        [
            preferred,
            &self.name_zh,
            &self.name_en,
            &self.name_ja,
            &self.name_ko,
        ]
        .into_iter()
        .find_map(|n| n.as_deref().filter(|s| !s.is_empty()))
        .unwrap_or("")
    }
}

#[derive(Debug, Clone, Default)]
pub struct EnterpriseDraft {
    pub name_zh: Option<String>,
    pub name_ja: Option<String>,
    pub name_ko: Option<String>,
    pub name_en: Option<String>,
    pub country: String,
}

pub const MAX_NAME: usize = 200;

impl EnterpriseDraft {
    /// Trims names, requires at least one, and an ISO 3166-1 alpha-2 country code.
    pub fn parse(&self) -> Result<EnterpriseDraft> {
        let mut problems = Problems::default();
        let mut clean = |field: &'static str, v: &Option<String>| {
            let v = v
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string);
            if v.as_ref().is_some_and(|s| s.chars().count() > MAX_NAME) {
                problems.add(FieldError::new(field, Code::TooLong).with("max", MAX_NAME));
            }
            v
        };
        let out = EnterpriseDraft {
            name_zh: clean("name_zh", &self.name_zh),
            name_ja: clean("name_ja", &self.name_ja),
            name_ko: clean("name_ko", &self.name_ko),
            name_en: clean("name_en", &self.name_en),
            country: self.country.trim().to_ascii_uppercase(),
        };
        if [&out.name_zh, &out.name_ja, &out.name_ko, &out.name_en]
            .iter()
            .all(|n| n.is_none())
        {
            problems.add(FieldError::new("name_zh", Code::NameRequired));
        }
        if !crate::reference::is_country(&out.country) {
            problems.add(FieldError::new("country", Code::CountryInvalid));
        }
        problems.finish()?;
        Ok(out)
    }
}
