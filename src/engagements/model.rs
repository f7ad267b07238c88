//! What an engagement and a follow-up are, and their rules.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::db::Timestamp;
use crate::error::{Code, FieldError, Problems, Result};
use crate::fields;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EngagementKind {
    Visit,
    Symposium,
}

crate::text_column!(EngagementKind);

impl EngagementKind {
    pub const ALL: [EngagementKind; 2] = [EngagementKind::Visit, EngagementKind::Symposium];

    pub fn as_str(self) -> &'static str {
        match self {
            EngagementKind::Visit => "visit",
            EngagementKind::Symposium => "symposium",
        }
    }

    pub fn parse(s: &str) -> Option<EngagementKind> {
        EngagementKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
    }

    pub fn message_id(self) -> String {
        format!("engagement-kind-{}", self.as_str())
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Engagement {
    pub id: i64,
    pub kind: EngagementKind,
    pub held_on: String,
    pub place: Option<String>,
    pub purpose: Option<String>,
    pub guests: Option<String>,
    pub findings: Option<String>,
    pub created_by: Option<i64>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Engagement {
    /// The findings as HTML safe to put in a page (cleaned again on the way
    /// out, so rows written before cleaning existed are safe too).
    pub fn findings_html(&self) -> Option<String> {
        self.findings.as_deref().map(crate::richtext::sanitize)
    }
}

/// An engagement with the people and enterprises linked to it.
#[derive(Debug, Clone, Serialize)]
pub struct EngagementRecord {
    #[serde(flatten)]
    pub engagement: Engagement,
    pub official_ids: Vec<i64>,
    pub enterprise_ids: Vec<i64>,
    pub attendee_ids: Vec<i64>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct FollowUp {
    pub id: i64,
    pub engagement_id: i64,
    pub description: String,
    pub owner_id: Option<i64>,
    pub due_on: Option<String>,
    pub done_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// An engagement as typed.
#[derive(Debug, Clone, Default)]
pub struct EngagementDraft {
    pub kind: String,
    pub held_on: String,
    pub place: Option<String>,
    pub purpose: Option<String>,
    pub guests: Option<String>,
    pub findings: Option<String>,
    pub official_ids: Vec<i64>,
    pub enterprise_ids: Vec<i64>,
    pub attendee_ids: Vec<i64>,
}

#[derive(Debug, Clone)]
pub struct ValidEngagement {
    pub kind: EngagementKind,
    pub held_on: String,
    pub place: Option<String>,
    pub purpose: Option<String>,
    pub guests: Option<String>,
    pub findings: Option<String>,
    pub official_ids: Vec<i64>,
    pub enterprise_ids: Vec<i64>,
    pub attendee_ids: Vec<i64>,
}

fn unique(ids: &[i64]) -> Vec<i64> {
    let mut out = ids.to_vec();
    out.sort_unstable();
    out.dedup();
    out
}

/// A date, not more than a year ahead (planned visits are allowed).
pub fn parse_date(field: &'static str, raw: &str, today: NaiveDate) -> Result<String, FieldError> {
    match NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d") {
        Ok(d) if d <= today + chrono::Duration::days(366) && d.year() >= 1990 => {
            Ok(d.format("%Y-%m-%d").to_string())
        }
        Ok(_) => Err(FieldError::new(field, Code::DateOutOfRange)),
        Err(_) => Err(FieldError::new(field, Code::InvalidDate)),
    }
}

impl EngagementDraft {
    pub fn from_record(r: &EngagementRecord) -> EngagementDraft {
        let e = &r.engagement;
        EngagementDraft {
            kind: e.kind.as_str().into(),
            held_on: e.held_on.clone(),
            place: e.place.clone(),
            purpose: e.purpose.clone(),
            guests: e.guests.clone(),
            findings: e.findings.clone(),
            official_ids: r.official_ids.clone(),
            enterprise_ids: r.enterprise_ids.clone(),
            attendee_ids: r.attendee_ids.clone(),
        }
    }

    pub fn parse(&self, today: NaiveDate) -> Result<ValidEngagement> {
        let mut p = Problems::default();
        let kind = EngagementKind::parse(&self.kind);
        if kind.is_none() {
            p.add(FieldError::new("kind", Code::InvalidChoice));
        }
        let held_on = p.check(parse_date("held_on", &self.held_on, today));
        let place = fields::text(&mut p, "place", self.place.as_deref(), 200);
        let purpose = fields::text(&mut p, "purpose", self.purpose.as_deref(), 2000);
        let guests = fields::text(&mut p, "guests", self.guests.as_deref(), 2000);
        // Findings are rich text: kept as cleaned HTML.
        let findings = fields::text(&mut p, "findings", self.findings.as_deref(), 50_000)
            .map(|f| crate::richtext::sanitize(&f))
            .filter(|f| !f.is_empty());
        let enterprise_ids = unique(&self.enterprise_ids);
        match (kind, enterprise_ids.len()) {
            (Some(EngagementKind::Visit), n) if n != 1 => p.add(FieldError::new(
                "enterprise_ids",
                Code::VisitNeedsOneEnterprise,
            )),
            (Some(EngagementKind::Symposium), 0) => {
                p.add(FieldError::new("enterprise_ids", Code::Required))
            }
            _ => {}
        }
        let official_ids = unique(&self.official_ids);
        if official_ids.is_empty() && guests.is_none() {
            p.add(FieldError::new("official_ids", Code::OfficialsRequired));
        }
        p.finish()?;
        Ok(ValidEngagement {
            kind: kind.expect("checked"),
            held_on: held_on.expect("checked"),
            place,
            purpose,
            guests,
            findings,
            official_ids,
            enterprise_ids,
            attendee_ids: unique(&self.attendee_ids),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_visit_is_to_one_enterprise_by_someone() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        let draft = EngagementDraft {
            kind: "visit".into(),
            held_on: "2026-11-20".into(),
            enterprise_ids: vec![1, 2],
            ..Default::default()
        };
        let errors = draft.parse(today).unwrap_err().field_errors();
        let codes: Vec<Code> = errors.iter().map(|e| e.code).collect();
        assert_eq!(
            codes,
            [Code::VisitNeedsOneEnterprise, Code::OfficialsRequired]
        );
        let ok = EngagementDraft {
            enterprise_ids: vec![1, 1],
            guests: Some("谭市长".into()),
            ..draft
        };
        assert_eq!(ok.parse(today).unwrap().enterprise_ids, [1]);
        assert_eq!(
            parse_date("d", "2031-01-01", today).unwrap_err().code,
            Code::DateOutOfRange
        );
    }
}
