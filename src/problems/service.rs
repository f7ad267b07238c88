//! Common problems: proposed from the open demands by clustering,
//! confirmed by a coordinator, answered once by the lead department, the
//! answer delivered to every member demand by a job.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use serde::Serialize;

use super::cluster;
use super::model::{
    CommonProblem, Member, ProblemDraft, ProblemReply, ProblemState, ProblemSummary,
};
use super::similarity::{Profile, Space};
use super::store::{self, NewProblem};
use crate::app::App;
use crate::auth::{Action, Actor, authorize};
use crate::db::events::{self, Entity};
use crate::error::{Code, Error, FieldError, Problems, Result};
use crate::jobs::Job;

pub fn entity(id: i64) -> Entity {
    Entity::new("common_problem", id)
}

/// How many open demands proposals look at (the newest).
const PROPOSAL_WINDOW: i64 = 5000;

pub async fn list(
    app: &App,
    actor: &Actor,
    state: Option<ProblemState>,
) -> Result<Vec<ProblemSummary>> {
    authorize(actor, Action::ViewCommonProblems)?;
    let mut conn = app.db.pool().acquire().await?;
    Ok(store::list(&mut conn, state)
        .await?
        .into_iter()
        .map(|(problem, demands, enterprises)| ProblemSummary {
            problem,
            demands,
            enterprises,
        })
        .collect())
}

pub struct ProblemPage {
    pub problem: CommonProblem,
    pub members: Vec<Member>,
    pub timeline: Vec<events::Event>,
    pub enterprises: usize,
    pub may_reply: bool,
    pub may_manage: bool,
}

pub async fn get(app: &App, actor: &Actor, id: i64) -> Result<ProblemPage> {
    authorize(actor, Action::ViewCommonProblems)?;
    let mut conn = app.db.pool().acquire().await?;
    let problem = store::get(&mut conn, id).await?.ok_or(Error::NotFound)?;
    let members = store::members(&mut conn, id).await?;
    let timeline = events::for_entity(&mut conn, entity(id)).await?;
    let enterprises = members
        .iter()
        .map(|m| m.enterprise_id)
        .collect::<BTreeSet<_>>()
        .len();
    let open = problem.state == ProblemState::Open;
    Ok(ProblemPage {
        may_reply: open
            && crate::auth::permission::allows(
                actor,
                Action::ReplyCommonProblem {
                    lead_department_id: problem.lead_department_id,
                },
            ),
        may_manage: open && crate::auth::permission::allows(actor, Action::ManageCommonProblems),
        problem,
        members,
        timeline,
        enterprises,
    })
}

/// A group of open demands that look like one problem, and why.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Proposal {
    pub demand_ids: Vec<i64>,
    pub titles: Vec<String>,
    pub enterprises: usize,
    /// Glossary concepts every member names (in the reader's language).
    pub shared_concepts: Vec<String>,
}

/// Candidate common problems: the open demands not yet in one, grouped by
/// `liaison cluster`'s code; groups of at least two enterprises, largest
/// first.
pub async fn proposals(
    app: &App,
    actor: &Actor,
    locale: crate::i18n::Locale,
) -> Result<Vec<Proposal>> {
    authorize(actor, Action::ManageCommonProblems)?;
    let candidates = {
        let mut conn = app.db.pool().acquire().await?;
        store::open_unassigned_demands(&mut conn, PROPOSAL_WINDOW).await?
    };
    let matcher = crate::glossary::service::matcher(app).await?;
    let (groups, shared) = tokio::task::spawn_blocking({
        let candidates = candidates.clone();
        let matcher = matcher.clone();
        move || {
            use rayon::prelude::*;
            let profiles: Vec<Profile> = candidates
                .par_iter()
                .map(|c| Profile::read(&matcher, &c.title, &c.body))
                .collect();
            let space = Space::new(&profiles);
            let groups = cluster::groups(&space);
            (groups, profiles)
        }
    })
    .await
    .map_err(|e| Error::Internal(e.into()))?;
    let mut members: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, g) in groups.iter().enumerate() {
        members.entry(*g).or_default().push(i);
    }
    let mut out: Vec<Proposal> = members
        .into_values()
        .filter_map(|list| {
            let enterprises = list
                .iter()
                .map(|&i| candidates[i].enterprise_id)
                .collect::<BTreeSet<_>>()
                .len();
            if enterprises < 2 {
                return None;
            }
            let mut common: Option<BTreeSet<usize>> = None;
            for &i in &list {
                let these: BTreeSet<usize> = shared[i].concepts.iter().map(|&(c, _)| c).collect();
                common = Some(match common {
                    None => these,
                    Some(c) => c.intersection(&these).copied().collect(),
                });
            }
            Some(Proposal {
                demand_ids: list.iter().map(|&i| candidates[i].id).collect(),
                titles: list.iter().map(|&i| candidates[i].title.clone()).collect(),
                enterprises,
                shared_concepts: common
                    .unwrap_or_default()
                    .into_iter()
                    .map(|c| matcher.concepts()[c].label(locale).to_string())
                    .collect(),
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.demand_ids
            .len()
            .cmp(&a.demand_ids.len())
            .then(b.demand_ids[0].cmp(&a.demand_ids[0]))
    });
    Ok(out)
}

struct ValidDraft {
    title: String,
    summary: Option<String>,
    lead_department_id: i64,
    due_on: NaiveDate,
}

fn parse_draft(d: &ProblemDraft, today: NaiveDate) -> Result<ValidDraft> {
    let mut p = Problems::default();
    let title = crate::fields::text(&mut p, "title", Some(&d.title), 200);
    if title.is_none() {
        p.add(FieldError::new("title", Code::Required));
    }
    let summary = crate::fields::text(&mut p, "summary", d.summary.as_deref(), 5000);
    if d.lead_department_id.is_none() {
        p.add(FieldError::new("lead_department_id", Code::Required));
    }
    let due_on = match crate::demands::model::parse_date_text(d.due_on.trim()) {
        None if d.due_on.trim().is_empty() => {
            p.add(FieldError::new("due_on", Code::Required));
            None
        }
        None => {
            p.add(FieldError::new("due_on", Code::InvalidDate));
            None
        }
        Some(day) if day < today => {
            p.add(FieldError::new("due_on", Code::DateOutOfRange));
            None
        }
        Some(day) => Some(day),
    };
    p.finish()?;
    Ok(ValidDraft {
        title: title.unwrap_or_default(),
        summary,
        lead_department_id: d.lead_department_id.unwrap_or_default(),
        due_on: due_on.unwrap_or(today),
    })
}

/// Checks that each demand exists, is open and belongs to no other problem.
async fn check_members(conn: &mut crate::db::Conn, ids: &[i64]) -> Result<()> {
    let mut p = Problems::default();
    let taken: HashMap<i64, i64> = store::memberships(conn, ids).await?.into_iter().collect();
    for &id in ids {
        let demand = crate::demands::store::get(conn, id).await?;
        let ok = demand.is_some_and(|d| d.state.is_open()) && !taken.contains_key(&id);
        if !ok {
            p.add(FieldError::new("demand_ids", Code::CommonProblemMemberInvalid).with("id", id));
        }
    }
    p.finish()
}

/// A coordinator confirms a group (proposed, or put together by hand).
pub async fn create(app: &App, actor: &Actor, draft: &ProblemDraft) -> Result<CommonProblem> {
    authorize(actor, Action::ManageCommonProblems)?;
    let now = app.now();
    let v = parse_draft(draft, now.local_date())?;
    let mut ids: Vec<i64> = draft.demand_ids.clone();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Err(Error::field("demand_ids", Code::Required));
    }
    let mut tx = app.db.begin().await?;
    crate::org::service::check_assignable(&mut tx, "lead_department_id", v.lead_department_id)
        .await
        .map_err(|e| Error::Invalid(vec![e]))?;
    check_members(&mut tx, &ids).await?;
    let due_on = crate::demands::model::date_text(v.due_on);
    let problem = store::insert(
        &mut tx,
        &NewProblem {
            title: &v.title,
            summary: v.summary.as_deref(),
            lead_department_id: v.lead_department_id,
            due_on: &due_on,
            created_by: actor.user_id,
        },
        now,
    )
    .await?;
    for &id in &ids {
        store::add_member(&mut tx, problem.id, id, now).await?;
        join_event(&mut tx, actor, now, id, problem.id, "join_common_problem").await?;
    }
    events::record(
        &mut tx,
        actor,
        now,
        entity(problem.id),
        "create",
        None::<&()>,
        Some(&serde_json::json!({ "problem": &problem, "demand_ids": &ids })),
    )
    .await?;
    crate::notifications::service::send(
        app,
        &mut tx,
        &crate::notifications::model::Recipients::Departments(vec![problem.lead_department_id]),
        crate::notifications::model::Kind::ProblemAssigned,
        ("common_problem", problem.id),
        &problem.title,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(problem)
}

async fn join_event(
    tx: &mut crate::db::Conn,
    actor: &Actor,
    now: crate::db::Timestamp,
    demand_id: i64,
    problem_id: i64,
    action: &str,
) -> Result<()> {
    events::record(
        tx,
        actor,
        now,
        crate::demands::service::entity(demand_id),
        action,
        None::<&()>,
        Some(&serde_json::json!({ "common_problem_id": problem_id })),
    )
    .await?;
    Ok(())
}

/// Adds or removes one member demand while the problem is open.
pub async fn set_member(
    app: &App,
    actor: &Actor,
    id: i64,
    demand_id: i64,
    member: bool,
) -> Result<CommonProblem> {
    authorize(actor, Action::ManageCommonProblems)?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let problem = store::get_for_update(&mut tx, id)
        .await?
        .ok_or(Error::NotFound)?;
    if problem.state != ProblemState::Open {
        return Err(not_now(problem.state));
    }
    let action = if member {
        check_members(&mut tx, &[demand_id]).await?;
        store::add_member(&mut tx, id, demand_id, now).await?;
        "join_common_problem"
    } else {
        if store::remove_member(&mut tx, id, demand_id).await? == 0 {
            return Err(Error::Invalid(vec![
                FieldError::new("demand_id", Code::CommonProblemMemberInvalid)
                    .with("id", demand_id),
            ]));
        }
        "leave_common_problem"
    };
    join_event(&mut tx, actor, now, demand_id, id, action).await?;
    let saved = store::save(&mut tx, &problem, now).await?;
    let change = if member {
        "add_member"
    } else {
        "remove_member"
    };
    events::record(
        &mut tx,
        actor,
        now,
        entity(id),
        change,
        None::<&()>,
        Some(&serde_json::json!({ "demand_id": demand_id })),
    )
    .await?;
    tx.commit().await?;
    Ok(saved)
}

/// The lead department's policy-level answer. It is committed with a job
/// that gives it to every member demand (so a crash cannot lose half of
/// the deliveries); their enterprises are told and rate it.
pub async fn reply(
    app: &App,
    actor: &Actor,
    id: i64,
    reply: &ProblemReply,
) -> Result<CommonProblem> {
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let before = store::get_for_update(&mut tx, id)
        .await?
        .ok_or(Error::NotFound)?;
    authorize(actor, Action::ViewCommonProblems)?;
    authorize(
        actor,
        Action::ReplyCommonProblem {
            lead_department_id: before.lead_department_id,
        },
    )?;
    if before.state != ProblemState::Open {
        return Err(not_now(before.state));
    }
    let mut p = Problems::default();
    let text = crate::fields::text(&mut p, "text", Some(&reply.text), 20_000);
    if text.is_none() {
        p.add(FieldError::new("text", Code::Required));
    }
    let basis = crate::fields::text(&mut p, "policy_basis", reply.policy_basis.as_deref(), 5000);
    p.finish()?;
    let mut after = before.clone();
    after.state = ProblemState::Replied;
    after.reply = text;
    after.policy_basis = basis;
    after.replied_at = Some(now);
    after.replied_by = actor.user_id;
    let saved = store::save(&mut tx, &after, now).await?;
    events::record(
        &mut tx,
        actor,
        now,
        entity(id),
        "reply",
        Some(&before),
        Some(&saved),
    )
    .await?;
    crate::jobs::queue::enqueue(
        &mut tx,
        app,
        &DeliverReply { problem_id: id },
        now,
        Some(&format!("common_problem_reply:{id}")),
    )
    .await?;
    tx.commit().await?;
    Ok(saved)
}

/// The common problem a demand belongs to, for readers of common problems.
pub async fn problem_of(app: &App, actor: &Actor, demand_id: i64) -> Result<Option<CommonProblem>> {
    if !crate::auth::permission::allows(actor, Action::ViewCommonProblems) {
        return Ok(None);
    }
    let mut conn = app.db.pool().acquire().await?;
    let Some((_, problem_id)) = store::memberships(&mut conn, &[demand_id]).await?.pop() else {
        return Ok(None);
    };
    Ok(store::get(&mut conn, problem_id).await?)
}

/// A step the problem's state does not allow now.
fn not_now(state: ProblemState) -> Error {
    Error::Invalid(vec![
        FieldError::general(Code::InvalidTransition).with_message("state", &state.message_id()),
    ])
}

/// A coordinator closes a problem (answered, or not to be pursued).
pub async fn close(app: &App, actor: &Actor, id: i64) -> Result<CommonProblem> {
    authorize(actor, Action::ManageCommonProblems)?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let before = store::get_for_update(&mut tx, id)
        .await?
        .ok_or(Error::NotFound)?;
    if before.state == ProblemState::Closed {
        return Err(not_now(before.state));
    }
    let mut after = before.clone();
    after.state = ProblemState::Closed;
    after.closed_at = Some(now);
    let saved = store::save(&mut tx, &after, now).await?;
    events::record(
        &mut tx,
        actor,
        now,
        entity(id),
        "close",
        Some(&before),
        Some(&saved),
    )
    .await?;
    tx.commit().await?;
    Ok(saved)
}

/// Gives a replied problem's answer to each member demand not yet
/// answered. Idempotent: a member already replied or ended is skipped.
#[derive(Debug, Serialize, serde::Deserialize)]
pub struct DeliverReply {
    pub problem_id: i64,
}

impl Job for DeliverReply {
    const KIND: &'static str = "deliver_common_problem_reply";

    async fn run(&self, app: &App) -> anyhow::Result<()> {
        let (problem, members) = {
            let mut conn = app.db.pool().acquire().await?;
            let problem = store::get(&mut conn, self.problem_id)
                .await?
                .ok_or_else(|| anyhow::anyhow!("common problem {} is gone", self.problem_id))?;
            (problem, store::members(&mut conn, self.problem_id).await?)
        };
        let Some(text) = problem.reply.as_deref() else {
            return Ok(());
        };
        for member in members {
            crate::demands::workflow::answer_as_member(
                app,
                member.demand_id,
                text,
                problem.policy_basis.as_deref(),
                problem.replied_by,
            )
            .await
            .map_err(|e| anyhow::anyhow!("demand {}: {e}", member.demand_id))?;
        }
        Ok(())
    }
}
