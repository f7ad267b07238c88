//! What a demand is, its states, and the one table of which step may
//! follow which. Services ask [`State::after`] before every change; any
//! other step is refused with `invalid_transition`.

use chrono::NaiveDate;

use serde::Serialize;

use crate::db::Timestamp;
use crate::error::{Code, FieldError, Problems, Result};
use crate::fields;
use crate::i18n::Locale;

crate::text_enum!("demand-state",
    /// Where a demand is in its workflow.
    pub enum State {
        /// Written by or for an enterprise, not yet looked at.
        Submitted => "submitted",
        /// Taken up by a coordinator, not yet sent to a department.
        Accepted => "accepted",
        /// Refused by a coordinator, with a reason the enterprise sees.
        Rejected => "rejected",
        /// Sent to a lead department that has not signed for it.
        Assigned => "assigned",
        /// Sent back by the lead department before signing for it.
        Returned => "returned",
        /// Signed for; the department is working on it.
        InProgress => "in_progress",
        /// A question to the enterprise is open; the reply clock is paused.
        AwaitingEnterprise => "awaiting_enterprise",
        /// Answered; the enterprise may rate the answer.
        Replied => "replied",
        /// Rated unsatisfied; a coordinator decides to reopen or close.
        Unsatisfied => "unsatisfied",
        Closed => "closed",
        /// A duplicate that follows another demand's answer.
        Merged => "merged",
    }
);

/// A step of the workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Accept,
    Reject,
    Assign,
    SignFor,
    Return,
    /// The coordinator sends a returned demand to the same department again.
    Insist,
    Ask,
    Answer,
    RequestExtension,
    DecideExtension,
    Reply,
    Rate {
        satisfied: bool,
    },
    /// No rating within the feedback window.
    CloseUnrated,
    Reopen,
    Close,
    Merge,
    /// The reply of the common problem the demand belongs to reaches it,
    /// wherever it stood in the workflow.
    AnswerAsMember,
}

impl State {
    /// The state after `step`, or `invalid_transition`.
    pub fn after(self, step: Step) -> Result<State, FieldError> {
        use State::*;
        let next = match (self, step) {
            (Submitted, Step::Accept) => Some(Accepted),
            (Submitted, Step::Reject) => Some(Rejected),
            (Accepted | Returned, Step::Assign) => Some(Assigned),
            (Returned, Step::Insist) => Some(Assigned),
            (Assigned, Step::SignFor) => Some(InProgress),
            (Assigned, Step::Return) => Some(Returned),
            (InProgress, Step::Ask) => Some(AwaitingEnterprise),
            (AwaitingEnterprise, Step::Answer) => Some(InProgress),
            (InProgress | AwaitingEnterprise, Step::RequestExtension) => Some(self),
            (InProgress | AwaitingEnterprise, Step::DecideExtension) => Some(self),
            (InProgress, Step::Reply) => Some(Replied),
            (Replied, Step::Rate { satisfied: true }) => Some(Closed),
            (Replied, Step::Rate { satisfied: false }) => Some(Unsatisfied),
            (Replied, Step::CloseUnrated) => Some(Closed),
            (Unsatisfied, Step::Reopen) => Some(InProgress),
            (Unsatisfied, Step::Close) => Some(Closed),
            (
                Submitted | Accepted | Assigned | Returned | InProgress | AwaitingEnterprise,
                Step::Merge,
            ) => Some(Merged),
            (
                Submitted | Accepted | Assigned | Returned | InProgress | AwaitingEnterprise,
                Step::AnswerAsMember,
            ) => Some(Replied),
            _ => None,
        };
        next.ok_or_else(|| {
            FieldError::general(Code::InvalidTransition).with_message("state", &self.message_id())
        })
    }

    /// Still to be handled by someone (not ended).
    pub fn is_open(self) -> bool {
        !matches!(self, State::Rejected | State::Closed | State::Merged)
    }

    /// Where a department works on it (deadlines run).
    pub fn is_with_department(self) -> bool {
        matches!(
            self,
            State::Assigned | State::InProgress | State::AwaitingEnterprise
        )
    }
}

crate::text_enum!("demand-priority",
    pub enum Priority {
        Normal => "normal",
        /// Replied the same working day.
        Urgent => "urgent",
    }
);

crate::text_enum!("demand-source",
    /// How the demand reached the city.
    pub enum Source {
        Portal => "portal",
        Visit => "visit",
        Symposium => "symposium",
        Phone => "phone",
        Api => "api",
        Import => "import",
    }
);

crate::text_enum!("demand-outcome",
    pub enum Outcome {
        Resolved => "resolved",
        PartlyResolved => "partly_resolved",
        /// Cannot be done; the reply gives the policy basis.
        Explained => "explained",
    }
);

crate::text_enum!("demand-rating",
    pub enum Rating {
        Satisfied => "satisfied",
        BasicallySatisfied => "basically_satisfied",
        Unsatisfied => "unsatisfied",
    }
);

crate::text_enum!("demand-closure",
    /// How a demand ended.
    pub enum Closure {
        Rated => "rated",
        NotRated => "not_rated",
        /// A coordinator closed it after an unsatisfied rating.
        ByCoordinator => "by_coordinator",
    }
);

crate::text_enum!("demand-entry",
    pub enum EntryKind {
        /// Staff only.
        Note => "note",
        /// A co-department's contribution; staff only.
        Input => "input",
        /// A leader's instruction (批示); staff only, shown first.
        Instruction => "instruction",
        /// To the enterprise; it pauses the reply clock.
        Question => "question",
        Answer => "answer",
    }
);

impl EntryKind {
    /// Whether the enterprise sees entries of this kind.
    pub fn is_public(self) -> bool {
        matches!(self, EntryKind::Question | EntryKind::Answer)
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Demand {
    pub id: i64,
    pub enterprise_id: i64,
    pub contact_id: Option<i64>,
    pub title: String,
    pub body: String,
    pub lang: String,
    pub category_id: Option<i64>,
    pub priority: Priority,
    pub source: Source,
    pub engagement_id: Option<i64>,
    #[schema(value_type = Option<String>)]
    pub confidential_at: Option<Timestamp>,
    pub state: State,
    pub lead_department_id: Option<i64>,
    pub submitted_by: Option<i64>,
    #[schema(value_type = String)]
    pub submitted_at: Timestamp,
    #[schema(value_type = Option<String>)]
    pub accepted_at: Option<Timestamp>,
    #[schema(value_type = Option<String>)]
    pub rejected_at: Option<Timestamp>,
    pub reject_reason: Option<String>,
    #[schema(value_type = Option<String>)]
    pub assigned_at: Option<Timestamp>,
    pub sign_for_due: Option<String>,
    #[schema(value_type = Option<String>)]
    pub signed_at: Option<Timestamp>,
    pub signed_by: Option<i64>,
    #[schema(value_type = Option<String>)]
    pub returned_at: Option<Timestamp>,
    pub return_reason: Option<String>,
    pub reply_due: Option<String>,
    #[schema(value_type = Option<String>)]
    pub paused_at: Option<Timestamp>,
    pub extension_requested_due: Option<String>,
    pub extension_reason: Option<String>,
    #[schema(value_type = Option<String>)]
    pub replied_at: Option<Timestamp>,
    pub replied_by: Option<i64>,
    pub outcome: Option<Outcome>,
    pub reply: Option<String>,
    pub reply_lang: Option<String>,
    pub policy_basis: Option<String>,
    pub feedback_due: Option<String>,
    pub rating: Option<Rating>,
    pub rating_reason: Option<String>,
    #[schema(value_type = Option<String>)]
    pub rated_at: Option<Timestamp>,
    #[schema(value_type = Option<String>)]
    pub closed_at: Option<Timestamp>,
    pub closure: Option<Closure>,
    pub close_note: Option<String>,
    pub reopen_count: i64,
    pub return_count: i64,
    pub merged_into: Option<i64>,
    #[schema(value_type = Option<String>)]
    pub supervised_at: Option<Timestamp>,
    #[schema(value_type = String)]
    pub created_at: Timestamp,
    #[schema(value_type = String)]
    pub updated_at: Timestamp,
}

impl Demand {
    pub fn is_confidential(&self) -> bool {
        self.confidential_at.is_some()
    }

    pub fn deadlines(&self) -> Deadlines<'_> {
        Deadlines::of(
            self.state,
            &self.paused_at,
            &self.sign_for_due,
            &self.reply_due,
        )
    }

    /// The permission module's view of this demand for one actor.
    pub fn facts(&self, co_departments: &[i64], actor_department: Option<i64>) -> DemandFacts {
        let department = |d: Option<i64>| d.is_some() && d == actor_department;
        DemandFacts {
            enterprise_id: self.enterprise_id,
            actor_leads: department(self.lead_department_id),
            actor_co_handles: actor_department.is_some_and(|d| co_departments.contains(&d)),
            confidential: self.is_confidential(),
        }
    }
}

/// A demand as a list page shows it: a row's worth, without the texts.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Summary {
    pub id: i64,
    pub enterprise_id: i64,
    pub title: String,
    pub category_id: Option<i64>,
    pub priority: Priority,
    pub state: State,
    pub lead_department_id: Option<i64>,
    pub sign_for_due: Option<String>,
    pub reply_due: Option<String>,
    pub paused_at: Option<Timestamp>,
    /// Kept from the enterprise, as on the whole demand.
    pub supervised_at: Option<Timestamp>,
}

impl Summary {
    pub fn deadlines(&self) -> Deadlines<'_> {
        Deadlines::of(
            self.state,
            &self.paused_at,
            &self.sign_for_due,
            &self.reply_due,
        )
    }
}

/// What a demand's due status is read from.
#[derive(Debug, Clone, Copy)]
pub struct Deadlines<'a> {
    pub state: State,
    pub paused: bool,
    pub sign_for_due: Option<&'a str>,
    pub reply_due: Option<&'a str>,
}

impl<'a> Deadlines<'a> {
    /// The deadline that runs now: signing for, or the reply.
    pub fn current(&self) -> Option<&'a str> {
        if self.state == State::Assigned {
            self.sign_for_due
        } else {
            self.reply_due
        }
    }

    fn of(
        state: State,
        paused_at: &Option<Timestamp>,
        sign_for_due: &'a Option<String>,
        reply_due: &'a Option<String>,
    ) -> Deadlines<'a> {
        Deadlines {
            state,
            paused: paused_at.is_some(),
            sign_for_due: sign_for_due.as_deref(),
            reply_due: reply_due.as_deref(),
        }
    }
}

/// What the permission check needs to know about a demand and the actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemandFacts {
    pub enterprise_id: i64,
    /// The actor is an officer of the lead department.
    pub actor_leads: bool,
    /// The actor is an officer of a co-department.
    pub actor_co_handles: bool,
    pub confidential: bool,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Entry {
    pub id: i64,
    pub demand_id: i64,
    pub kind: EntryKind,
    #[schema(value_type = Option<String>)]
    pub public_at: Option<Timestamp>,
    pub author_id: Option<i64>,
    pub department_id: Option<i64>,
    pub body: String,
    #[schema(value_type = String)]
    pub created_at: Timestamp,
}

/// A new demand as typed.
#[derive(Debug, Clone, Default)]
pub struct DemandDraft {
    pub enterprise_id: Option<i64>,
    pub contact_id: Option<i64>,
    pub title: String,
    pub body: String,
    pub lang: Option<String>,
    pub category_id: Option<i64>,
    pub priority: Option<String>,
    pub source: Option<String>,
    pub engagement_id: Option<i64>,
    pub confidential: bool,
}

#[derive(Debug, Clone)]
pub struct ValidDemand {
    pub enterprise_id: i64,
    pub contact_id: Option<i64>,
    pub title: String,
    pub body: String,
    pub lang: Locale,
    pub category_id: Option<i64>,
    pub priority: Priority,
    pub source: Source,
    pub engagement_id: Option<i64>,
    pub confidential: bool,
}

impl DemandDraft {
    /// Checks the fields; `default_lang` is the writer's language when the
    /// draft names none.
    pub fn parse(&self, default_lang: Locale) -> Result<ValidDemand> {
        let mut p = Problems::default();
        let title = fields::text(&mut p, "title", Some(&self.title), 200);
        if title.is_none() {
            p.add(FieldError::new("title", Code::Required));
        }
        let body = fields::text(&mut p, "body", Some(&self.body), 20_000);
        if body.is_none() {
            p.add(FieldError::new("body", Code::Required));
        }
        let lang = match self
            .lang
            .as_deref()
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            None => Some(default_lang),
            Some(l) => {
                let parsed = Locale::parse(l);
                if parsed.is_none() {
                    p.add(FieldError::new("lang", Code::InvalidChoice));
                }
                parsed
            }
        };
        let priority = choice(
            &mut p,
            "priority",
            self.priority.as_deref(),
            Priority::Normal,
            Priority::parse,
        );
        let source = choice(
            &mut p,
            "source",
            self.source.as_deref(),
            Source::Portal,
            Source::parse,
        );
        if self.enterprise_id.is_none() {
            p.add(FieldError::new("enterprise_id", Code::Required));
        }
        if matches!(source, Some(Source::Visit | Source::Symposium)) && self.engagement_id.is_none()
        {
            p.add(FieldError::new("engagement_id", Code::Required));
        }
        p.finish()?;
        Ok(ValidDemand {
            enterprise_id: self.enterprise_id.expect("checked"),
            contact_id: self.contact_id,
            title: title.expect("checked"),
            body: body.expect("checked"),
            lang: lang.expect("checked"),
            category_id: self.category_id,
            priority: priority.expect("checked"),
            source: source.expect("checked"),
            engagement_id: self.engagement_id,
            confidential: self.confidential,
        })
    }
}

/// A deadline as stored: the city day, `2026-11-21`.
pub fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A stored deadline's day.
pub fn parse_date_text(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// A choice from a list of codes, or `default` when empty.
pub fn choice<T: Copy>(
    p: &mut Problems,
    field: &'static str,
    raw: Option<&str>,
    default: T,
    parse: fn(&str) -> Option<T>,
) -> Option<T> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Some(default),
        Some(s) => {
            let parsed = parse(s);
            if parsed.is_none() {
                p.add(FieldError::new(field, Code::InvalidChoice));
            }
            parsed
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_happy_path() {
        let mut s = State::Submitted;
        for step in [
            Step::Accept,
            Step::Assign,
            Step::SignFor,
            Step::Ask,
            Step::Answer,
            Step::RequestExtension,
            Step::DecideExtension,
            Step::Reply,
            Step::Rate { satisfied: true },
        ] {
            s = s.after(step).unwrap();
        }
        assert_eq!(s, State::Closed);
    }

    #[test]
    fn returns_reopens_and_merges() {
        let returned = State::Assigned.after(Step::Return).unwrap();
        assert_eq!(returned, State::Returned);
        assert_eq!(returned.after(Step::Insist).unwrap(), State::Assigned);
        assert_eq!(returned.after(Step::Assign).unwrap(), State::Assigned);
        let unhappy = State::Replied
            .after(Step::Rate { satisfied: false })
            .unwrap();
        assert_eq!(unhappy.after(Step::Reopen).unwrap(), State::InProgress);
        assert_eq!(unhappy.after(Step::Close).unwrap(), State::Closed);
        assert_eq!(
            State::Replied.after(Step::CloseUnrated).unwrap(),
            State::Closed
        );
        assert_eq!(State::InProgress.after(Step::Merge).unwrap(), State::Merged);
    }

    #[test]
    fn every_other_step_is_refused() {
        let refused = [
            (State::Submitted, Step::Assign),
            (State::Submitted, Step::Reply),
            (State::Assigned, Step::Reply),
            (State::InProgress, Step::Return),
            (State::AwaitingEnterprise, Step::Reply),
            (State::Replied, Step::Reopen),
            (State::Closed, Step::Reopen),
            (State::Closed, Step::Merge),
            (State::Rejected, Step::Accept),
            (State::Merged, Step::Reply),
            (State::InProgress, Step::Insist),
            (State::Accepted, Step::SignFor),
        ];
        for (state, step) in refused {
            let e = state.after(step).unwrap_err();
            assert_eq!(e.code, Code::InvalidTransition, "{state:?} {step:?}");
        }
        // Counted: every pair of the table that is allowed, no more.
        let steps = [
            Step::Accept,
            Step::Reject,
            Step::Assign,
            Step::SignFor,
            Step::Return,
            Step::Insist,
            Step::Ask,
            Step::Answer,
            Step::RequestExtension,
            Step::DecideExtension,
            Step::Reply,
            Step::Rate { satisfied: true },
            Step::Rate { satisfied: false },
            Step::CloseUnrated,
            Step::Reopen,
            Step::Close,
            Step::Merge,
            Step::AnswerAsMember,
        ];
        let allowed = State::ALL
            .iter()
            .flat_map(|s| steps.iter().map(move |t| (s, t)))
            .filter(|(s, t)| s.after(**t).is_ok())
            .count();
        assert_eq!(allowed, 31);
    }

    #[test]
    fn a_visit_demand_names_its_visit() {
        let draft = DemandDraft {
            enterprise_id: Some(1),
            title: "電力".into(),
            body: "冬季の電力供給".into(),
            source: Some("visit".into()),
            ..Default::default()
        };
        let errors = draft.parse(Locale::Ja).unwrap_err().field_errors();
        assert_eq!(errors[0].field.as_deref(), Some("engagement_id"));
        let ok = DemandDraft {
            source: Some("portal".into()),
            ..draft
        }
        .parse(Locale::Ja)
        .unwrap();
        assert_eq!((ok.lang, ok.priority), (Locale::Ja, Priority::Normal));
    }
}
