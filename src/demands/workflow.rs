//! The workflow's steps. Each one locks the demand, checks who may take it
//! (the permission module) and whether it may follow the current state
//! (`State::after`), changes it, and records the change as an event in the
//! same transaction. Deadlines are counted on the working-day calendar.

use chrono::NaiveDate;
use serde::Serialize;

use crate::app::App;
use crate::auth::permission::{Action, allows};
use crate::auth::{Actor, authorize};
use crate::calendar::Calendar;
use crate::db::events;
use crate::db::{Timestamp, Tx};
use crate::demands::categories::{self, SlaKind, SlaPolicy};
use crate::demands::model::{
    Closure, Deadlines, Demand, DemandFacts, EntryKind, Outcome, Priority, Rating, Step, date_text,
    parse_date_text,
};
use crate::demands::service::{check_category, entity, facts};
use crate::demands::store;
use crate::error::{Code, Error, FieldError, Problems, Result};
use crate::i18n::Locale;
use crate::notifications::model::{Kind, Recipients};

/// A demand locked for one step.
struct Open {
    app: App,
    tx: Tx,
    before: Demand,
    /// Co-departments before the step, and after it when the step set them.
    co: Vec<i64>,
    co_after: Option<Vec<i64>>,
    facts: DemandFacts,
    now: Timestamp,
    /// Read once per step, when first needed.
    calendar: Option<Calendar>,
}

/// A demand as its events record it: with its co-departments.
#[derive(Serialize)]
struct Recorded<'a> {
    #[serde(flatten)]
    demand: &'a Demand,
    co_department_ids: &'a [i64],
}

/// Locks the demand and checks that the actor may see it and take `action`.
async fn open(
    app: &App,
    actor: &Actor,
    id: i64,
    action: fn(DemandFacts) -> Action,
) -> Result<Open> {
    let mut tx = app.db.begin().await?;
    let before = store::get_for_update(&mut tx, id)
        .await?
        .ok_or(Error::NotFound)?;
    let co = store::co_departments(&mut tx, id).await?;
    let facts = facts(actor, &before, &co);
    if !allows(actor, Action::ViewDemand(facts)) {
        return Err(Error::NotFound);
    }
    authorize(actor, action(facts))?;
    Ok(Open {
        app: app.clone(),
        tx,
        before,
        co,
        co_after: None,
        facts,
        now: app.now(),
        calendar: None,
    })
}

impl Open {
    /// The demand as it will be after `step`, or `invalid_transition`.
    fn next(&self, step: Step) -> Result<Demand> {
        let state = self
            .before
            .state
            .after(step)
            .map_err(|e| Error::Invalid(vec![e]))?;
        Ok(Demand {
            state,
            ..self.before.clone()
        })
    }

    /// Saves `after`, records the step as an event, and commits.
    async fn finish(mut self, actor: &Actor, action: &str, after: Demand) -> Result<Demand> {
        // Only a replied demand's handling days need the calendar.
        let calendar = if after.assigned_at.is_some() && after.replied_at.is_some() {
            self.calendar().await?
        } else {
            Calendar::default()
        };
        let facts = crate::demands::figures::Facts::of(&after, &calendar);
        let saved = store::save(&mut self.tx, &after, facts, self.now).await?;
        let before = Recorded {
            demand: &self.before,
            co_department_ids: &self.co,
        };
        let after = Recorded {
            demand: &saved,
            co_department_ids: self.co_after.as_deref().unwrap_or(&self.co),
        };
        events::record(
            &mut self.tx,
            actor,
            self.now,
            entity(saved.id),
            action,
            Some(&before),
            Some(&after),
        )
        .await?;
        self.tx.commit().await?;
        Ok(saved)
    }

    async fn entry(&mut self, actor: &Actor, kind: EntryKind, body: &str) -> Result<()> {
        store::add_entry(
            &mut self.tx,
            self.before.id,
            kind,
            actor.user_id,
            actor.department_id,
            body,
            self.now,
        )
        .await?;
        Ok(())
    }

    /// Tells people of this step, in the same transaction.
    async fn notify(&mut self, to: Recipients, kind: Kind) -> Result<()> {
        let subject = ("demand", self.before.id);
        crate::notifications::service::send(
            &self.app,
            &mut self.tx,
            &to,
            kind,
            subject,
            &self.before.title,
            self.now,
        )
        .await?;
        Ok(())
    }

    async fn calendar(&mut self) -> Result<Calendar> {
        if let Some(calendar) = &self.calendar {
            return Ok(calendar.clone());
        }
        let calendar = crate::calendar::service::load(&mut self.tx).await?;
        self.calendar = Some(calendar.clone());
        Ok(calendar)
    }

    /// The SLA policy of the demand's category.
    async fn policy(&mut self, category_id: Option<i64>) -> Result<SlaPolicy> {
        let kind = match category_id {
            Some(id) => categories::get_row(&mut self.tx, id)
                .await?
                .map(|c| c.sla_kind)
                .unwrap_or(SlaKind::Enquiry),
            None => SlaKind::Enquiry,
        };
        categories::policy_rows(&mut self.tx)
            .await?
            .into_iter()
            .find(|p| p.kind == kind)
            .ok_or_else(|| Error::Internal(anyhow::anyhow!("no SLA policy for {}", kind.as_str())))
    }

    fn today(&self) -> NaiveDate {
        self.now.local_date()
    }
}

/// A reason or text the step needs: trimmed, required, at most `max`.
fn required_text(field: &'static str, text: &str, max: usize) -> Result<String> {
    let mut p = Problems::default();
    let value = crate::fields::text(&mut p, field, Some(text), max);
    if value.is_none() {
        p.add(FieldError::new(field, Code::Required));
    }
    p.finish()?;
    Ok(value.expect("checked"))
}

fn triage(_: DemandFacts) -> Action {
    Action::TriageDemands
}

/// Takes a submitted demand up, fixing its category if needed.
pub async fn accept(app: &App, actor: &Actor, id: i64, category_id: Option<i64>) -> Result<Demand> {
    let mut o = open(app, actor, id, triage).await?;
    let mut after = o.next(Step::Accept)?;
    if let Some(c) = category_id {
        let mut p = Problems::default();
        check_category(&mut o.tx, &mut p, c).await?;
        p.finish()?;
        after.category_id = Some(c);
    }
    after.accepted_at = Some(o.now);
    o.finish(actor, "accept", after).await
}

/// Refuses a demand; the enterprise sees the reason.
pub async fn reject(app: &App, actor: &Actor, id: i64, reason: &str) -> Result<Demand> {
    let o = open(app, actor, id, triage).await?;
    let mut after = o.next(Step::Reject)?;
    after.reject_reason = Some(required_text("reason", reason, 2000)?);
    after.rejected_at = Some(o.now);
    after.closed_at = Some(o.now);
    o.finish(actor, "reject", after).await
}

/// Sends a demand to a lead department (and co-departments). Without a
/// lead, the category's default lead (the responsibility matrix) is used.
/// Deadlines are counted from today on the working-day calendar.
pub async fn assign(
    app: &App,
    actor: &Actor,
    id: i64,
    lead: Option<i64>,
    co: &[i64],
) -> Result<Demand> {
    let mut o = open(app, actor, id, triage).await?;
    let mut after = o.next(Step::Assign)?;
    let mut p = Problems::default();
    if after.category_id.is_none() {
        p.add(FieldError::new("category_id", Code::Required));
    }
    let lead = match lead {
        Some(l) => Some(l),
        None => match after.category_id {
            Some(c) => categories::get_row(&mut o.tx, c)
                .await?
                .and_then(|c| c.lead_department_id),
            None => None,
        },
    };
    match lead {
        None => p.add(FieldError::new("lead_department_id", Code::Required)),
        Some(l) => {
            p.check(
                crate::org::service::check_assignable(&mut o.tx, "lead_department_id", l).await,
            );
        }
    }
    let mut co: Vec<i64> = co.iter().copied().filter(|c| Some(*c) != lead).collect();
    co.sort_unstable();
    co.dedup();
    for c in &co {
        p.check(crate::org::service::check_assignable(&mut o.tx, "co_department_ids", *c).await);
    }
    p.finish()?;
    schedule(&mut o, &mut after).await?;
    after.lead_department_id = lead;
    store::set_co_departments(&mut o.tx, id, &co).await?;
    o.co_after = Some(co.clone());
    let departments = lead.into_iter().chain(co.iter().copied()).collect();
    o.notify(Recipients::Departments(departments), Kind::Assigned)
        .await?;
    o.finish(actor, "assign", after).await
}

/// Deadlines from today: signing for, and the reply.
async fn schedule(o: &mut Open, after: &mut Demand) -> Result<()> {
    let calendar = o.calendar().await?;
    let policy = o.policy(after.category_id).await?;
    let today = o.today();
    let reply_days = if after.priority == Priority::Urgent {
        policy.urgent_reply_days
    } else {
        policy.reply_days
    };
    after.assigned_at = Some(o.now);
    after.signed_at = None;
    after.signed_by = None;
    after.sign_for_due = Some(date_text(
        calendar.add_working_days(today, policy.sign_for_days as u32),
    ));
    after.reply_due = Some(date_text(
        calendar.add_working_days(today, reply_days as u32),
    ));
    Ok(())
}

/// The coordinator sends a returned demand to the same department again,
/// saying why.
pub async fn insist(app: &App, actor: &Actor, id: i64, note: &str) -> Result<Demand> {
    let mut o = open(app, actor, id, triage).await?;
    let note = required_text("note", note, 2000)?;
    let mut after = o.next(Step::Insist)?;
    schedule(&mut o, &mut after).await?;
    o.entry(actor, EntryKind::Note, &note).await?;
    let lead = after.lead_department_id.into_iter().collect();
    o.notify(Recipients::Departments(lead), Kind::Assigned)
        .await?;
    o.finish(actor, "insist", after).await
}

/// The lead department acknowledges the demand and starts on it.
pub async fn sign_for(app: &App, actor: &Actor, id: i64) -> Result<Demand> {
    let o = open(app, actor, id, Action::HandleDemand).await?;
    let mut after = o.next(Step::SignFor)?;
    after.signed_at = Some(o.now);
    after.signed_by = actor.user_id;
    o.finish(actor, "sign_for", after).await
}

/// The lead department sends it back before signing for it (退单).
pub async fn return_to_coordinator(
    app: &App,
    actor: &Actor,
    id: i64,
    reason: &str,
) -> Result<Demand> {
    let mut o = open(app, actor, id, Action::HandleDemand).await?;
    let mut after = o.next(Step::Return)?;
    after.return_reason = Some(required_text("reason", reason, 2000)?);
    after.returned_at = Some(o.now);
    after.return_count += 1;
    o.notify(Recipients::Coordinators, Kind::Returned).await?;
    o.finish(actor, "return", after).await
}

/// A question to the enterprise; the reply clock stops until it answers.
pub async fn ask(app: &App, actor: &Actor, id: i64, question: &str) -> Result<Demand> {
    let mut o = open(app, actor, id, Action::HandleDemand).await?;
    let question = required_text("question", question, 5000)?;
    let mut after = o.next(Step::Ask)?;
    after.paused_at = Some(o.now);
    o.entry(actor, EntryKind::Question, &question).await?;
    o.notify(Recipients::Enterprise(after.enterprise_id), Kind::Question)
        .await?;
    o.finish(actor, "ask", after).await
}

/// The enterprise answers; the reply deadline moves by the working days
/// it took.
pub async fn answer(app: &App, actor: &Actor, id: i64, text: &str) -> Result<Demand> {
    let mut o = open(app, actor, id, Action::AnswerDemand).await?;
    let text = required_text("answer", text, 5000)?;
    let mut after = o.next(Step::Answer)?;
    let calendar = o.calendar().await?;
    if let (Some(paused), Some(due)) = (
        after.paused_at,
        after.reply_due.as_deref().and_then(parse_date_text),
    ) {
        let moved = calendar.extend_for_pause(due, paused.local_date(), o.today());
        after.reply_due = Some(date_text(moved));
    }
    after.paused_at = None;
    o.entry(actor, EntryKind::Answer, &text).await?;
    o.finish(actor, "answer", after).await
}

/// The lead department asks for a later reply deadline.
pub async fn request_extension(
    app: &App,
    actor: &Actor,
    id: i64,
    new_due: &str,
    reason: &str,
) -> Result<Demand> {
    let mut o = open(app, actor, id, Action::HandleDemand).await?;
    let mut after = o.next(Step::RequestExtension)?;
    let mut p = Problems::default();
    let reason = crate::fields::text(&mut p, "reason", Some(reason), 2000);
    if reason.is_none() {
        p.add(FieldError::new("reason", Code::Required));
    }
    let calendar = o.calendar().await?;
    let current = after.reply_due.as_deref().and_then(parse_date_text);
    match crate::calendar::service::parse_day("new_due", new_due) {
        Err(e) => p.add(e),
        Ok(d) if current.is_some_and(|c| d <= c) => p.add(
            FieldError::new("new_due", Code::ExtensionNotLater)
                .with("due", after.reply_due.clone().unwrap_or_default()),
        ),
        Ok(d) if !calendar.is_working_day(d) => {
            p.add(FieldError::new("new_due", Code::NotAWorkingDay))
        }
        Ok(d) => after.extension_requested_due = Some(date_text(d)),
    }
    p.finish()?;
    after.extension_reason = reason;
    o.finish(actor, "request_extension", after).await
}

/// The coordinator approves (the new date becomes the deadline, and the
/// enterprise sees it) or denies a requested extension.
pub async fn decide_extension(app: &App, actor: &Actor, id: i64, approve: bool) -> Result<Demand> {
    let mut o = open(app, actor, id, triage).await?;
    let mut after = o.next(Step::DecideExtension)?;
    let Some(requested) = after.extension_requested_due.take() else {
        return Err(Error::Invalid(vec![FieldError::general(
            Code::NoExtensionRequested,
        )]));
    };
    if approve {
        after.reply_due = Some(requested);
    }
    let action = if approve {
        "approve_extension"
    } else {
        "deny_extension"
    };
    let lead = after.lead_department_id.into_iter().collect();
    o.notify(Recipients::Departments(lead), Kind::ExtensionDecision)
        .await?;
    o.finish(actor, action, after).await
}

/// What a department answers.
#[derive(Debug, Clone, Default)]
pub struct ReplyDraft {
    pub outcome: String,
    pub text: String,
    /// The language of the text (the enterprise's, if possible).
    pub lang: Option<String>,
    /// Required when the outcome is "explained": the rule or policy that
    /// prevents it.
    pub policy_basis: Option<String>,
}

/// The lead department's answer; the enterprise's feedback window opens.
pub async fn reply(app: &App, actor: &Actor, id: i64, draft: &ReplyDraft) -> Result<Demand> {
    let mut o = open(app, actor, id, Action::HandleDemand).await?;
    let mut after = o.next(Step::Reply)?;
    let mut p = Problems::default();
    let outcome = Outcome::parse(&draft.outcome);
    if outcome.is_none() {
        let code = if draft.outcome.trim().is_empty() {
            Code::Required
        } else {
            Code::InvalidChoice
        };
        p.add(FieldError::new("outcome", code));
    }
    let text = crate::fields::text(&mut p, "text", Some(&draft.text), 20_000);
    if text.is_none() {
        p.add(FieldError::new("text", Code::Required));
    }
    let basis = crate::fields::text(&mut p, "policy_basis", draft.policy_basis.as_deref(), 5000);
    if outcome == Some(Outcome::Explained) && basis.is_none() {
        p.add(FieldError::new("policy_basis", Code::Required));
    }
    let lang = match draft
        .lang
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        None => Some(after.lang.clone()),
        Some(l) => {
            let parsed = Locale::parse(l).map(|l| l.tag().to_string());
            if parsed.is_none() {
                p.add(FieldError::new("lang", Code::InvalidChoice));
            }
            parsed
        }
    };
    p.finish()?;
    let calendar = o.calendar().await?;
    let policy = o.policy(after.category_id).await?;
    after.outcome = outcome;
    after.reply = text;
    after.reply_lang = lang;
    after.policy_basis = basis;
    after.replied_at = Some(o.now);
    after.replied_by = actor.user_id;
    after.extension_requested_due = None;
    after.feedback_due = Some(date_text(
        calendar.add_working_days(o.today(), policy.feedback_days as u32),
    ));
    o.notify(Recipients::Enterprise(after.enterprise_id), Kind::Replied)
        .await?;
    o.finish(actor, "reply", after).await
}

/// The enterprise rates the reply; "unsatisfied" needs a reason and goes
/// to the coordinator.
pub async fn rate(
    app: &App,
    actor: &Actor,
    id: i64,
    rating: &str,
    reason: Option<&str>,
) -> Result<Demand> {
    let o = open(app, actor, id, Action::RateDemand).await?;
    let mut p = Problems::default();
    let rating_text = rating;
    let rating = Rating::parse(rating);
    if rating.is_none() {
        let code = if rating_text.trim().is_empty() {
            Code::Required
        } else {
            Code::InvalidChoice
        };
        p.add(FieldError::new("rating", code));
    }
    let reason = crate::fields::text(&mut p, "reason", reason, 2000);
    if rating == Some(Rating::Unsatisfied) && reason.is_none() {
        p.add(FieldError::new("reason", Code::Required));
    }
    p.finish()?;
    let rating = rating.expect("checked");
    let satisfied = rating != Rating::Unsatisfied;
    let mut after = o.next(Step::Rate { satisfied })?;
    after.rating = Some(rating);
    after.rating_reason = reason;
    after.rated_at = Some(o.now);
    if satisfied {
        after.closed_at = Some(o.now);
        after.closure = Some(Closure::Rated);
    }
    o.finish(actor, "rate", after).await
}

/// After an unsatisfied rating: handled again by the same department, with
/// a new reply deadline (and counted).
pub async fn reopen(app: &App, actor: &Actor, id: i64, note: &str) -> Result<Demand> {
    let mut o = open(app, actor, id, triage).await?;
    let note = required_text("note", note, 2000)?;
    let mut after = o.next(Step::Reopen)?;
    let calendar = o.calendar().await?;
    let policy = o.policy(after.category_id).await?;
    after.reopen_count += 1;
    after.reply_due = Some(date_text(
        calendar.add_working_days(o.today(), policy.reply_days as u32),
    ));
    after.replied_at = None;
    after.replied_by = None;
    after.feedback_due = None;
    o.entry(actor, EntryKind::Note, &note).await?;
    let lead = after.lead_department_id.into_iter().collect();
    o.notify(Recipients::Departments(lead), Kind::Assigned)
        .await?;
    o.finish(actor, "reopen", after).await
}

/// After an unsatisfied rating: closed with the coordinator's note.
pub async fn close(app: &App, actor: &Actor, id: i64, note: &str) -> Result<Demand> {
    let o = open(app, actor, id, triage).await?;
    let mut after = o.next(Step::Close)?;
    after.close_note = Some(required_text("note", note, 2000)?);
    after.closed_at = Some(o.now);
    after.closure = Some(Closure::ByCoordinator);
    o.finish(actor, "close", after).await
}

/// A duplicate follows another open demand's answer.
pub async fn merge(app: &App, actor: &Actor, id: i64, into: i64) -> Result<Demand> {
    let mut o = open(app, actor, id, triage).await?;
    let mut after = o.next(Step::Merge)?;
    let target = if into == id {
        None
    } else {
        store::get(&mut o.tx, into).await?
    };
    match target {
        Some(t) if t.state.is_open() && t.merged_into.is_none() => {}
        _ => return Err(Error::field("into", Code::MergeTargetInvalid)),
    }
    after.merged_into = Some(into);
    after.closed_at = Some(o.now);
    o.finish(actor, "merge", after).await
}

/// The reply of a common problem, given to one of its member demands: the
/// enterprise gets the policy-level answer as its demand's reply and rates
/// it like any other. Done by the common problem's delivery job, as the
/// system; a member already answered or ended is left as it is.
pub async fn answer_as_member(
    app: &App,
    id: i64,
    text: &str,
    policy_basis: Option<&str>,
    replied_by: Option<i64>,
) -> Result<Option<Demand>> {
    let system = Actor::system();
    let mut o = open(app, &system, id, triage).await?;
    let Ok(mut after) = o.next(Step::AnswerAsMember) else {
        return Ok(None);
    };
    let calendar = o.calendar().await?;
    let policy = o.policy(after.category_id).await?;
    after.outcome = Some(if policy_basis.is_some() {
        Outcome::Explained
    } else {
        Outcome::Resolved
    });
    after.reply = Some(text.to_string());
    after.reply_lang = None;
    after.policy_basis = policy_basis.map(str::to_string);
    after.replied_at = Some(o.now);
    after.replied_by = replied_by;
    after.paused_at = None;
    after.extension_requested_due = None;
    after.feedback_due = Some(date_text(
        calendar.add_working_days(o.today(), policy.feedback_days as u32),
    ));
    o.notify(Recipients::Enterprise(after.enterprise_id), Kind::Replied)
        .await?;
    o.finish(&system, "answer_as_member", after).await.map(Some)
}

/// A leader's instruction (批示): shown first on the demand, and the demand
/// is supervised from now on.
pub async fn instruct(app: &App, actor: &Actor, id: i64, text: &str) -> Result<Demand> {
    let mut o = open(app, actor, id, |_| Action::InstructOnDemand).await?;
    let text = required_text("text", text, 5000)?;
    if !o.before.state.is_open() {
        return Err(Error::Invalid(vec![
            FieldError::general(Code::InvalidTransition)
                .with_message("state", &o.before.state.message_id()),
        ]));
    }
    let mut after = o.before.clone();
    after.supervised_at = after.supervised_at.or(Some(o.now));
    o.entry(actor, EntryKind::Instruction, &text).await?;
    let departments = after
        .lead_department_id
        .into_iter()
        .chain(o.co.iter().copied())
        .collect();
    o.notify(Recipients::Departments(departments), Kind::Instruction)
        .await?;
    o.finish(actor, "instruct", after).await
}

/// An internal note (staff only), or a co-department's input.
pub async fn note(app: &App, actor: &Actor, id: i64, text: &str) -> Result<Demand> {
    let mut o = open(app, actor, id, Action::ContributeToDemand).await?;
    let text = required_text("text", text, 5000)?;
    let kind = if o.facts.actor_co_handles && !o.facts.actor_leads {
        EntryKind::Input
    } else {
        EntryKind::Note
    };
    o.entry(actor, kind, &text).await?;
    let after = o.before.clone();
    let action = if kind == EntryKind::Input {
        "input"
    } else {
        "note"
    };
    o.finish(actor, action, after).await
}

/// Closes replied demands whose feedback window has passed as "not rated".
/// Run by the supervision job; returns how many were closed.
pub async fn close_unrated(app: &App) -> Result<usize> {
    let system = Actor::system();
    let today = date_text(app.now().local_date());
    let ids = {
        let mut conn = app.db.pool().acquire().await?;
        store::unrated_past_feedback(&mut conn, &today).await?
    };
    let mut closed = 0;
    for id in ids {
        let o = open(app, &system, id, triage).await?;
        // Another instance may have closed it meanwhile.
        let Ok(mut after) = o.next(Step::CloseUnrated) else {
            continue;
        };
        after.closed_at = Some(o.now);
        after.closure = Some(Closure::NotRated);
        o.finish(&system, "close_unrated", after).await?;
        closed += 1;
    }
    Ok(closed)
}

/// How a deadline stands today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DueStatus {
    OnTime,
    /// Within `due_soon_days` working days of the deadline.
    DueSoon,
    /// Due today.
    Due,
    Overdue,
}

/// The reply deadline's status for a demand with a department, if any.
pub fn due_status(
    d: Deadlines,
    calendar: &Calendar,
    today: NaiveDate,
    soon: u32,
) -> Option<DueStatus> {
    if !d.state.is_with_department() || d.paused {
        return None;
    }
    let due = d.current().and_then(parse_date_text)?;
    Some(if today > due {
        DueStatus::Overdue
    } else if today == due {
        DueStatus::Due
    } else if calendar.working_days_between(today, due) <= soon {
        DueStatus::DueSoon
    } else {
        DueStatus::OnTime
    })
}

/// One step as asked for through the API (`{"action": "accept", ...}`) or
/// a page's form (`action=accept&...`).
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum StepRequest {
    /// Coordinator: take up a submitted demand, fixing its category.
    Accept { category_id: Option<i64> },
    /// Coordinator: refuse it; the enterprise sees the reason.
    Reject { reason: String },
    /// Coordinator: send it to a lead department (default: the category's)
    /// and co-departments.
    Assign {
        lead_department_id: Option<i64>,
        #[serde(default)]
        co_department_ids: Vec<i64>,
    },
    /// Coordinator: send a returned demand to the same department again.
    Insist { note: String },
    /// Lead department: acknowledge it.
    SignFor,
    /// Lead department, before signing for it: send it back.
    Return { reason: String },
    /// Lead department: ask the enterprise (pauses the reply clock).
    Ask { question: String },
    /// The enterprise (or a coordinator for it): answer the question.
    Answer { answer: String },
    /// Lead department: ask for a later reply deadline.
    RequestExtension { new_due: String, reason: String },
    /// Coordinator: approve or deny the requested extension.
    DecideExtension { approve: bool },
    /// Lead department: answer the demand.
    Reply {
        outcome: String,
        text: String,
        lang: Option<String>,
        policy_basis: Option<String>,
    },
    /// The enterprise: rate the reply.
    Rate {
        rating: String,
        reason: Option<String>,
    },
    /// Coordinator, after an unsatisfied rating: handle it again.
    Reopen { note: String },
    /// Coordinator, after an unsatisfied rating: close it.
    Close { note: String },
    /// Coordinator: make it follow another demand's answer.
    Merge { into: i64 },
    /// Leader: an instruction (批示).
    Instruct { text: String },
    /// Staff of the departments and coordinators: an internal note.
    Note { text: String },
}

impl StepRequest {
    /// Takes the step.
    pub async fn apply(&self, app: &App, actor: &Actor, id: i64) -> Result<Demand> {
        match self {
            StepRequest::Accept { category_id } => accept(app, actor, id, *category_id).await,
            StepRequest::Reject { reason } => reject(app, actor, id, reason).await,
            StepRequest::Assign {
                lead_department_id,
                co_department_ids,
            } => assign(app, actor, id, *lead_department_id, co_department_ids).await,
            StepRequest::Insist { note } => insist(app, actor, id, note).await,
            StepRequest::SignFor => sign_for(app, actor, id).await,
            StepRequest::Return { reason } => return_to_coordinator(app, actor, id, reason).await,
            StepRequest::Ask { question } => ask(app, actor, id, question).await,
            StepRequest::Answer { answer: text } => answer(app, actor, id, text).await,
            StepRequest::RequestExtension { new_due, reason } => {
                request_extension(app, actor, id, new_due, reason).await
            }
            StepRequest::DecideExtension { approve } => {
                decide_extension(app, actor, id, *approve).await
            }
            StepRequest::Reply {
                outcome,
                text,
                lang,
                policy_basis,
            } => {
                let draft = ReplyDraft {
                    outcome: outcome.clone(),
                    text: text.clone(),
                    lang: lang.clone(),
                    policy_basis: policy_basis.clone(),
                };
                reply(app, actor, id, &draft).await
            }
            StepRequest::Rate { rating, reason } => {
                rate(app, actor, id, rating, reason.as_deref()).await
            }
            StepRequest::Reopen { note } => reopen(app, actor, id, note).await,
            StepRequest::Close { note } => close(app, actor, id, note).await,
            StepRequest::Merge { into } => merge(app, actor, id, *into).await,
            StepRequest::Instruct { text } => instruct(app, actor, id, text).await,
            StepRequest::Note { text } => note(app, actor, id, text).await,
        }
    }

    /// From a page's form fields.
    pub fn from_form(form: &crate::web::extract::Pairs) -> Result<StepRequest> {
        let text = |name: &str| form.one(name);
        let opt = |name: &str| Some(form.one(name)).filter(|v| !v.trim().is_empty());
        let id = |name: &'static str| -> Result<Option<i64>> {
            match opt(name) {
                None => Ok(None),
                Some(v) => v
                    .trim()
                    .parse()
                    .map(Some)
                    .map_err(|_| Error::field(name, Code::InvalidChoice)),
            }
        };
        Ok(match form.one("action").as_str() {
            "accept" => StepRequest::Accept {
                category_id: id("category_id")?,
            },
            "reject" => StepRequest::Reject {
                reason: text("reason"),
            },
            "assign" => StepRequest::Assign {
                lead_department_id: id("lead_department_id")?,
                co_department_ids: form.ids("co_department_ids"),
            },
            "insist" => StepRequest::Insist { note: text("note") },
            "sign_for" => StepRequest::SignFor,
            "return" => StepRequest::Return {
                reason: text("reason"),
            },
            "ask" => StepRequest::Ask {
                question: text("question"),
            },
            "answer" => StepRequest::Answer {
                answer: text("answer"),
            },
            "request_extension" => StepRequest::RequestExtension {
                new_due: text("new_due"),
                reason: text("reason"),
            },
            "decide_extension" => StepRequest::DecideExtension {
                approve: text("approve") == "1",
            },
            "reply" => StepRequest::Reply {
                outcome: text("outcome"),
                text: text("text"),
                lang: opt("lang"),
                policy_basis: opt("policy_basis"),
            },
            "rate" => StepRequest::Rate {
                rating: text("rating"),
                reason: opt("reason"),
            },
            "reopen" => StepRequest::Reopen { note: text("note") },
            "close" => StepRequest::Close { note: text("note") },
            "merge" => StepRequest::Merge {
                into: id("into")?.ok_or(Error::field("into", Code::Required))?,
            },
            "instruct" => StepRequest::Instruct { text: text("text") },
            "note" => StepRequest::Note { text: text("text") },
            _ => return Err(Error::field("action", Code::InvalidChoice)),
        })
    }
}
