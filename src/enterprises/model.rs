//! What an enterprise is, and the rules its fields keep.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::db::Timestamp;
use crate::enterprises::uscc::Uscc;
use crate::error::{Code, FieldError, Problems, Result};
use crate::i18n::Locale;
use crate::reference;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EnterpriseStatus {
    Operating,
    Suspended,
    Closed,
}

crate::text_column!(EnterpriseStatus);

impl EnterpriseStatus {
    pub const ALL: [EnterpriseStatus; 3] = [
        EnterpriseStatus::Operating,
        EnterpriseStatus::Suspended,
        EnterpriseStatus::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EnterpriseStatus::Operating => "operating",
            EnterpriseStatus::Suspended => "suspended",
            EnterpriseStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<EnterpriseStatus> {
        EnterpriseStatus::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
    }

    pub fn message_id(self) -> String {
        format!("enterprise-status-{}", self.as_str())
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Enterprise {
    pub id: i64,
    pub uscc: Option<String>,
    pub name_zh: Option<String>,
    pub name_ja: Option<String>,
    pub name_ko: Option<String>,
    pub name_en: Option<String>,
    pub country: String,
    pub parent_company: Option<String>,
    pub industry_code: Option<String>,
    pub industry_section: Option<String>,
    pub district: Option<String>,
    pub address: Option<String>,
    pub founded_on: Option<String>,
    pub registered_capital: Option<String>,
    pub capital_currency: Option<String>,
    pub employees: Option<i64>,
    pub main_products: Option<String>,
    pub status: EnterpriseStatus,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Enterprise {
    /// The name in `locale`, else the first name the enterprise has.
    pub fn name(&self, locale: Locale) -> &str {
        name_in(
            locale,
            [&self.name_zh, &self.name_ja, &self.name_ko, &self.name_en],
        )
    }
}

/// An enterprise's names, for lists that show nothing else of it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EnterpriseNames {
    pub id: i64,
    pub name_zh: Option<String>,
    pub name_ja: Option<String>,
    pub name_ko: Option<String>,
    pub name_en: Option<String>,
}

impl EnterpriseNames {
    pub fn name(&self, locale: Locale) -> &str {
        name_in(
            locale,
            [&self.name_zh, &self.name_ja, &self.name_ko, &self.name_en],
        )
    }
}

/// The name (of `[zh, ja, ko, en]`) in `locale`, else the first there is:
/// Chinese, English, Japanese, Korean.
fn name_in(locale: Locale, [zh, ja, ko, en]: [&Option<String>; 4]) -> &str {
    let preferred = match locale {
        Locale::ZhCn => zh,
        Locale::Ja => ja,
        Locale::Ko => ko,
        Locale::En => en,
    };
    [preferred, zh, en, ja, ko]
        .into_iter()
        .find_map(|n| n.as_deref().filter(|s| !s.is_empty()))
        .unwrap_or("")
}

/// An enterprise's fields as typed (form, JSON or a spreadsheet row); all
/// text, so that every problem can be reported at once by [`parse`].
///
/// [`parse`]: EnterpriseDraft::parse
#[derive(Debug, Clone, Default)]
pub struct EnterpriseDraft {
    pub uscc: String,
    pub name_zh: Option<String>,
    pub name_ja: Option<String>,
    pub name_ko: Option<String>,
    pub name_en: Option<String>,
    pub country: String,
    pub parent_company: Option<String>,
    pub industry_code: Option<String>,
    pub district: Option<String>,
    pub address: Option<String>,
    pub founded_on: Option<String>,
    pub registered_capital: Option<String>,
    pub capital_currency: Option<String>,
    pub employees: Option<String>,
    pub main_products: Option<String>,
    /// operating (the default), suspended or closed.
    pub status: Option<String>,
}

/// A draft whose fields are all valid.
#[derive(Debug, Clone)]
pub struct ValidEnterprise {
    pub uscc: Uscc,
    pub name_zh: Option<String>,
    pub name_ja: Option<String>,
    pub name_ko: Option<String>,
    pub name_en: Option<String>,
    pub country: String,
    pub parent_company: Option<String>,
    pub industry_code: Option<String>,
    pub industry_section: Option<String>,
    pub district: Option<String>,
    pub address: Option<String>,
    pub founded_on: Option<String>,
    pub registered_capital: Option<String>,
    pub capital_currency: Option<String>,
    pub employees: Option<i64>,
    pub main_products: Option<String>,
    pub status: EnterpriseStatus,
}

impl ValidEnterprise {
    /// What lists sort by: the first name the enterprise has.
    pub fn sort_name(&self) -> String {
        [&self.name_zh, &self.name_en, &self.name_ja, &self.name_ko]
            .into_iter()
            .find_map(|n| n.clone())
            .unwrap_or_default()
    }
}

pub const MAX_NAME: usize = 200;
pub const MAX_ADDRESS: usize = 300;
pub const MAX_PRODUCTS: usize = 2000;
pub const MAX_EMPLOYEES: i64 = 10_000_000;

fn clean(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn text(
    problems: &mut Problems,
    field: &'static str,
    value: &Option<String>,
    max: usize,
) -> Option<String> {
    let value = clean(value);
    if value.as_ref().is_some_and(|v| v.chars().count() > max) {
        problems.add(FieldError::new(field, Code::TooLong).with("max", max));
    }
    value
}

/// A non-negative amount with at most four decimals, as canonical text.
pub fn parse_amount(field: &'static str, raw: &str) -> Result<String, FieldError> {
    let compact: String = raw
        .chars()
        .filter(|c| !matches!(c, ',' | ' ' | '_'))
        .collect();
    let (whole, fraction) = compact.split_once('.').unwrap_or((&compact, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty()
        || !digits(whole)
        || !digits(fraction)
        || fraction.len() > 4
        || whole.len() > 15
    {
        return Err(FieldError::new(field, Code::InvalidNumber));
    }
    let whole = whole.trim_start_matches('0');
    let whole = if whole.is_empty() { "0" } else { whole };
    let fraction = fraction.trim_end_matches('0');
    Ok(if fraction.is_empty() {
        whole.to_string()
    } else {
        format!("{whole}.{fraction}")
    })
}

impl EnterpriseDraft {
    pub fn from_enterprise(e: &Enterprise) -> EnterpriseDraft {
        EnterpriseDraft {
            uscc: e.uscc.clone().unwrap_or_default(),
            name_zh: e.name_zh.clone(),
            name_ja: e.name_ja.clone(),
            name_ko: e.name_ko.clone(),
            name_en: e.name_en.clone(),
            country: e.country.clone(),
            parent_company: e.parent_company.clone(),
            industry_code: e.industry_code.clone(),
            district: e.district.clone(),
            address: e.address.clone(),
            founded_on: e.founded_on.clone(),
            registered_capital: e.registered_capital.clone(),
            capital_currency: e.capital_currency.clone(),
            employees: e.employees.map(|n| n.to_string()),
            main_products: e.main_products.clone(),
            status: Some(e.status.as_str().to_string()),
        }
    }

    /// Checks every field against the rules; `today` bounds the founding date.
    pub fn parse(&self, today: NaiveDate) -> Result<ValidEnterprise> {
        let mut p = Problems::default();
        let uscc = p.check(Uscc::parse("uscc", &self.uscc));
        let name_zh = text(&mut p, "name_zh", &self.name_zh, MAX_NAME);
        let name_ja = text(&mut p, "name_ja", &self.name_ja, MAX_NAME);
        let name_ko = text(&mut p, "name_ko", &self.name_ko, MAX_NAME);
        let name_en = text(&mut p, "name_en", &self.name_en, MAX_NAME);
        if [&name_zh, &name_ja, &name_ko, &name_en]
            .iter()
            .all(|n| n.is_none())
        {
            p.add(FieldError::new("name_zh", Code::NameRequired));
        }
        let country = self.country.trim().to_ascii_uppercase();
        if !reference::is_country(&country) {
            p.add(FieldError::new("country", Code::CountryInvalid));
        }
        let parent_company = text(&mut p, "parent_company", &self.parent_company, MAX_NAME);
        let industry_code = clean(&self.industry_code);
        let industry_section = match &industry_code {
            None => None,
            Some(code) => match reference::industry(code).filter(|i| i.level == "division") {
                Some(division) => Some(division.parent.clone()),
                None => {
                    p.add(FieldError::new("industry_code", Code::InvalidChoice));
                    None
                }
            },
        };
        let district = clean(&self.district);
        if district
            .as_deref()
            .is_some_and(|d| !reference::is_district(d))
        {
            p.add(FieldError::new("district", Code::InvalidChoice));
        }
        let address = text(&mut p, "address", &self.address, MAX_ADDRESS);
        let founded_on = match clean(&self.founded_on) {
            None => None,
            Some(raw) => match NaiveDate::parse_from_str(&raw, "%Y-%m-%d") {
                Ok(date) if date <= today && date.year() >= 1800 => {
                    Some(date.format("%Y-%m-%d").to_string())
                }
                Ok(_) => {
                    p.add(FieldError::new("founded_on", Code::DateOutOfRange));
                    None
                }
                Err(_) => {
                    p.add(FieldError::new("founded_on", Code::InvalidDate));
                    None
                }
            },
        };
        let registered_capital = clean(&self.registered_capital)
            .and_then(|raw| p.check(parse_amount("registered_capital", &raw)));
        let capital_currency = clean(&self.capital_currency).map(|c| c.to_ascii_uppercase());
        match (&capital_currency, &registered_capital) {
            (Some(c), _) if c.len() != 3 || !c.bytes().all(|b| b.is_ascii_uppercase()) => {
                p.add(FieldError::new("capital_currency", Code::CurrencyInvalid));
            }
            (None, Some(_)) => p.add(FieldError::new("capital_currency", Code::Required)),
            _ => {}
        }
        let employees = match clean(&self.employees) {
            None => None,
            Some(raw) => match raw.replace([',', ' '], "").parse::<i64>() {
                Ok(n) if (0..=MAX_EMPLOYEES).contains(&n) => Some(n),
                _ => {
                    p.add(FieldError::new("employees", Code::InvalidNumber));
                    None
                }
            },
        };
        let main_products = text(&mut p, "main_products", &self.main_products, MAX_PRODUCTS);
        let status = match clean(&self.status) {
            None => Some(EnterpriseStatus::Operating),
            Some(raw) => {
                let status = EnterpriseStatus::parse(&raw);
                if status.is_none() {
                    p.add(FieldError::new("status", Code::InvalidChoice));
                }
                status
            }
        };
        p.finish()?;
        Ok(ValidEnterprise {
            uscc: uscc.expect("checked"),
            name_zh,
            name_ja,
            name_ko,
            name_en,
            country,
            parent_company,
            industry_code,
            industry_section,
            district,
            address,
            founded_on,
            registered_capital,
            capital_currency,
            employees,
            main_products,
            status: status.expect("checked"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
    }

    fn valid_draft() -> EnterpriseDraft {
        EnterpriseDraft {
            uscc: "91350100M000100Y43".into(),
            name_ja: Some("大連海岳精密部品有限公司".into()),
            country: "jp".into(),
            industry_code: Some("36".into()),
            district: Some("jinpu".into()),
            founded_on: Some("2004-05-18".into()),
            registered_capital: Some("12,000,000.50".into()),
            capital_currency: Some("usd".into()),
            employees: Some("1,200".into()),
            ..Default::default()
        }
    }

    #[test]
    fn a_good_draft_is_normalised() {
        let v = valid_draft().parse(today()).unwrap();
        assert_eq!(v.country, "JP");
        assert_eq!(v.industry_section.as_deref(), Some("C"));
        assert_eq!(v.registered_capital.as_deref(), Some("12000000.5"));
        assert_eq!(v.capital_currency.as_deref(), Some("USD"));
        assert_eq!(v.employees, Some(1200));
        assert_eq!(v.status, EnterpriseStatus::Operating);
        assert_eq!(v.sort_name(), "大連海岳精密部品有限公司");
    }

    #[test]
    fn every_problem_is_reported_with_its_field() {
        let bad = EnterpriseDraft {
            uscc: "91350100M000100Y44".into(),
            country: "XX".into(),
            industry_code: Some("C".into()),
            district: Some("atlantis".into()),
            founded_on: Some("2030-01-01".into()),
            registered_capital: Some("12e6".into()),
            employees: Some("-4".into()),
            status: Some("bankrupt".into()),
            ..Default::default()
        };
        let errors = bad.parse(today()).unwrap_err().field_errors();
        let got: Vec<(&str, Code)> = errors
            .iter()
            .map(|e| (e.field.as_deref().unwrap(), e.code))
            .collect();
        assert_eq!(
            got,
            [
                ("uscc", Code::UsccCheckFailed),
                ("name_zh", Code::NameRequired),
                ("country", Code::CountryInvalid),
                ("industry_code", Code::InvalidChoice),
                ("district", Code::InvalidChoice),
                ("founded_on", Code::DateOutOfRange),
                ("registered_capital", Code::InvalidNumber),
                ("employees", Code::InvalidNumber),
                ("status", Code::InvalidChoice),
            ]
        );
    }

    #[test]
    fn amounts() {
        assert_eq!(parse_amount("x", "0012.3400").unwrap(), "12.34");
        assert_eq!(parse_amount("x", "5").unwrap(), "5");
        assert!(parse_amount("x", "1.23456").is_err());
        assert!(parse_amount("x", "-1").is_err());
        assert!(parse_amount("x", "").is_err());
    }
}

/// Where an enterprise is, as the demand figures group it: its investor
/// country and its district.
#[derive(Debug, Clone, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct Place {
    pub country: Option<String>,
    pub district: Option<String>,
}

impl Place {
    pub fn of(e: &Enterprise) -> Place {
        Place {
            country: Some(e.country.clone()),
            district: e.district.clone(),
        }
    }
}
