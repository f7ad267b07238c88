//! Metrics, periods, units, and the rules of an entry.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::db::Timestamp;
use crate::error::{Code, FieldError, Problems, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    Revenue,
    OutputValue,
    TaxPaid,
    Exports,
    Imports,
    Employees,
    NewInvestment,
}

crate::text_column!(Metric);

impl Metric {
    pub const ALL: [Metric; 7] = [
        Metric::Revenue,
        Metric::OutputValue,
        Metric::TaxPaid,
        Metric::Exports,
        Metric::Imports,
        Metric::Employees,
        Metric::NewInvestment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Metric::Revenue => "revenue",
            Metric::OutputValue => "output_value",
            Metric::TaxPaid => "tax_paid",
            Metric::Exports => "exports",
            Metric::Imports => "imports",
            Metric::Employees => "employees",
            Metric::NewInvestment => "new_investment",
        }
    }

    pub fn parse(s: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.as_str() == s.trim())
    }

    /// Money is counted in a currency; employees in persons.
    pub fn is_money(self) -> bool {
        self != Metric::Employees
    }

    pub fn message_id(self) -> String {
        format!("metric-{}", self.as_str().replace('_', "-"))
    }
}

/// The scale a value is written in (万元 is `ten_thousand` of CNY).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    One,
    Thousand,
    TenThousand,
    Million,
    HundredMillion,
    Persons,
}

crate::text_column!(Unit);

impl Unit {
    pub const ALL: [Unit; 6] = [
        Unit::One,
        Unit::Thousand,
        Unit::TenThousand,
        Unit::Million,
        Unit::HundredMillion,
        Unit::Persons,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Unit::One => "one",
            Unit::Thousand => "thousand",
            Unit::TenThousand => "ten_thousand",
            Unit::Million => "million",
            Unit::HundredMillion => "hundred_million",
            Unit::Persons => "persons",
        }
    }

    pub fn parse(s: &str) -> Option<Unit> {
        Unit::ALL.into_iter().find(|u| u.as_str() == s.trim())
    }

    pub fn factor(self) -> f64 {
        match self {
            Unit::One | Unit::Persons => 1.0,
            Unit::Thousand => 1e3,
            Unit::TenThousand => 1e4,
            Unit::Million => 1e6,
            Unit::HundredMillion => 1e8,
        }
    }

    pub fn message_id(self) -> String {
        format!("unit-{}", self.as_str().replace('_', "-"))
    }
}

/// A reporting period: a year, or a quarter of a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Period {
    pub year: i32,
    /// 1–4, or `None` for the whole year.
    pub quarter: Option<u8>,
}

impl Period {
    /// "2025" or "2025-Q3" (also "2025Q3", "2025 q3").
    pub fn parse(field: &'static str, raw: &str, today: NaiveDate) -> Result<Period, FieldError> {
        let compact: String = raw.trim().to_ascii_uppercase().replace([' ', '-'], "");
        let (year, quarter) = match compact.split_once('Q') {
            Some((y, q)) => (y, Some(q)),
            None => (compact.as_str(), None),
        };
        let invalid = || FieldError::new(field, Code::PeriodInvalid);
        let year: i32 = year.parse().map_err(|_| invalid())?;
        let quarter = match quarter {
            None => None,
            Some(q) => Some(
                q.parse::<u8>()
                    .ok()
                    .filter(|q| (1..=4).contains(q))
                    .ok_or_else(invalid)?,
            ),
        };
        if year < 1990 || year > today.year() {
            return Err(FieldError::new(field, Code::PeriodOutOfRange));
        }
        let current_quarter = (today.month0() / 3 + 1) as u8;
        if year == today.year() && quarter.is_some_and(|q| q > current_quarter) {
            return Err(FieldError::new(field, Code::PeriodOutOfRange));
        }
        Ok(Period { year, quarter })
    }

    pub fn label(self) -> String {
        match self.quarter {
            Some(q) => format!("{}-Q{q}", self.year),
            None => self.year.to_string(),
        }
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Indicator {
    pub id: i64,
    pub enterprise_id: i64,
    pub period: String,
    pub metric: Metric,
    pub value: String,
    pub unit: Unit,
    pub currency: Option<String>,
    pub reported_by_enterprise_at: Option<Timestamp>,
    pub entered_by: Option<i64>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Indicator {
    /// The value in ones (or persons), for charts and comparisons.
    pub fn base_value(&self) -> f64 {
        self.value.parse::<f64>().unwrap_or(0.0) * self.unit.factor()
    }
}

/// One entry as typed.
#[derive(Debug, Clone, Default)]
pub struct IndicatorDraft {
    pub period: String,
    pub metric: String,
    pub value: String,
    pub unit: Option<String>,
    pub currency: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ValidIndicator {
    pub period: Period,
    pub metric: Metric,
    pub value: String,
    pub unit: Unit,
    pub currency: Option<String>,
}

impl IndicatorDraft {
    pub fn parse(&self, today: NaiveDate) -> Result<ValidIndicator> {
        let mut p = Problems::default();
        let period = p.check(Period::parse("period", &self.period, today));
        let metric = Metric::parse(&self.metric);
        if metric.is_none() {
            p.add(FieldError::new("metric", Code::InvalidChoice));
        }
        let value = p.check(crate::enterprises::model::parse_amount(
            "value",
            &self.value,
        ));
        let unit = match self
            .unit
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
        {
            None => metric.map(|m| {
                if m.is_money() {
                    Unit::TenThousand
                } else {
                    Unit::Persons
                }
            }),
            Some(u) => Unit::parse(u),
        };
        match (metric, unit) {
            (_, None) => p.add(FieldError::new("unit", Code::InvalidChoice)),
            (Some(m), Some(u)) if m.is_money() == (u == Unit::Persons) => {
                p.add(FieldError::new("unit", Code::UnitMismatch))
            }
            _ => {}
        }
        let currency = self
            .currency
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_ascii_uppercase);
        match (metric, &currency) {
            (Some(m), None) if m.is_money() => p.add(FieldError::new("currency", Code::Required)),
            (_, Some(c)) if c.len() != 3 || !c.bytes().all(|b| b.is_ascii_uppercase()) => {
                p.add(FieldError::new("currency", Code::CurrencyInvalid))
            }
            _ => {}
        }
        p.finish()?;
        let metric = metric.expect("checked");
        Ok(ValidIndicator {
            period: period.expect("checked"),
            metric,
            value: value.expect("checked"),
            unit: unit.expect("checked"),
            currency: currency.filter(|_| metric.is_money()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
    }

    #[test]
    fn periods() {
        assert_eq!(Period::parse("p", "2025", today()).unwrap().label(), "2025");
        assert_eq!(
            Period::parse("p", " 2025 q3 ", today()).unwrap().label(),
            "2025-Q3"
        );
        assert_eq!(
            Period::parse("p", "2026-Q4", today()).unwrap().label(),
            "2026-Q4"
        );
        assert_eq!(
            Period::parse("p", "2027", today()).unwrap_err().code,
            Code::PeriodOutOfRange
        );
        assert_eq!(
            Period::parse("p", "2025-Q5", today()).unwrap_err().code,
            Code::PeriodInvalid
        );
        assert!(
            Period::parse("p", "2025-Q1", today()).unwrap()
                < Period::parse("p", "2025-Q2", today()).unwrap()
        );
    }

    #[test]
    fn money_needs_a_currency_and_people_are_persons() {
        let draft = IndicatorDraft {
            period: "2025".into(),
            metric: "revenue".into(),
            value: "1200.5".into(),
            ..Default::default()
        };
        let err = draft.parse(today()).unwrap_err().field_errors();
        assert_eq!(err[0].field.as_deref(), Some("currency"));
        let ok = IndicatorDraft {
            currency: Some("cny".into()),
            ..draft
        }
        .parse(today())
        .unwrap();
        assert_eq!(
            (ok.unit, ok.currency.as_deref()),
            (Unit::TenThousand, Some("CNY"))
        );
        let people = IndicatorDraft {
            period: "2025".into(),
            metric: "employees".into(),
            value: "860".into(),
            unit: Some("million".into()),
            ..Default::default()
        };
        assert_eq!(
            people.parse(today()).unwrap_err().field_errors()[0].code,
            Code::UnitMismatch
        );
    }
}
