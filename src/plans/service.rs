//! Plans, their goals and KPIs: who may do what, checks, events.
//! Tasks and their reports are in `tasks.rs`.

use chrono::NaiveDate;
use serde::Serialize;

use super::instructions::{Instruction, Subject};
use super::kpi::{self, Current, Source};
use super::model::{
    Direction, Goal, GoalDraft, Horizon, Kpi, KpiDraft, KpiValue, KpiValueDraft, Plan, PlanDraft,
    PlanStatus,
};
use super::store;
use crate::app::App;
use crate::auth::{Action, Actor, authorize};
use crate::db::events::{self, Entity};
use crate::db::{Conn, Timestamp};
use crate::demands::model::{date_text, parse_date_text};
use crate::error::{Code, Error, FieldError, Problems, Result};

pub fn plan_entity(id: i64) -> Entity {
    Entity::new("plan", id)
}

pub fn goal_entity(id: i64) -> Entity {
    Entity::new("plan_goal", id)
}

pub fn kpi_entity(id: i64) -> Entity {
    Entity::new("goal_kpi", id)
}

/// A city date typed into `field`: required, YYYY-MM-DD.
pub(crate) fn day(p: &mut Problems, field: &'static str, raw: &str) -> Option<NaiveDate> {
    let raw = raw.trim();
    if raw.is_empty() {
        p.add(FieldError::new(field, Code::Required));
        return None;
    }
    let parsed = parse_date_text(raw);
    if parsed.is_none() {
        p.add(FieldError::new(field, Code::InvalidDate));
    }
    parsed
}

/// A decimal as typed ("1,200.5", "-3"), kept as text exactly.
pub(crate) fn decimal(p: &mut Problems, field: &'static str, raw: &str) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() {
        p.add(FieldError::new(field, Code::Required));
        return None;
    }
    let (sign, digits) = match raw.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", raw),
    };
    p.check(crate::enterprises::model::parse_amount(field, digits))
        .map(|v| if v == "0" { v } else { format!("{sign}{v}") })
}

/// A step the plan's status does not allow.
pub(crate) fn not_now(status: PlanStatus) -> Error {
    Error::Invalid(vec![
        FieldError::general(Code::InvalidTransition).with_message("state", &status.message_id()),
    ])
}

/// How long a horizon's period may be, in days.
fn fits(horizon: Horizon, days: i64) -> bool {
    match horizon {
        Horizon::Short => days <= 366,
        Horizon::Medium => (365..=3 * 366).contains(&days),
        Horizon::Long => days >= 3 * 365,
    }
}

struct ValidPlan {
    title: String,
    summary: Option<String>,
    horizon: Horizon,
    starts_on: String,
    ends_on: String,
    key_areas: String,
    key_industries: String,
}

fn parse_plan(d: &PlanDraft) -> Result<ValidPlan> {
    let mut p = Problems::default();
    let title = crate::fields::text(&mut p, "title", Some(&d.title), 200);
    if title.is_none() {
        p.add(FieldError::new("title", Code::Required));
    }
    let summary = crate::fields::text(&mut p, "summary", d.summary.as_deref(), 10_000);
    let horizon = match Horizon::parse(&d.horizon) {
        Some(h) => Some(h),
        None if d.horizon.trim().is_empty() => {
            p.add(FieldError::new("horizon", Code::Required));
            None
        }
        None => {
            p.add(FieldError::new("horizon", Code::InvalidChoice));
            None
        }
    };
    let starts = day(&mut p, "starts_on", &d.starts_on);
    let ends = day(&mut p, "ends_on", &d.ends_on);
    if let (Some(s), Some(e)) = (starts, ends) {
        if e < s {
            p.add(FieldError::new("ends_on", Code::DateOutOfRange));
        } else if let Some(h) = horizon
            && !fits(h, (e - s).num_days() + 1)
        {
            p.add(FieldError::new("horizon", Code::PlanHorizonMismatch));
        }
    }
    let areas: Vec<String> = d
        .key_areas
        .iter()
        .flat_map(|a| a.lines())
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(str::to_string)
        .collect();
    if areas.iter().any(|a| a.chars().count() > 200) {
        p.add(FieldError::new("key_areas", Code::TooLong).with("max", 200));
    }
    let mut industries: Vec<String> = d
        .key_industries
        .iter()
        .flat_map(|i| i.split([',', '，', ' ', '\n']))
        .map(str::trim)
        .filter(|i| !i.is_empty())
        .map(str::to_string)
        .collect();
    industries.dedup();
    for code in &industries {
        if crate::reference::industry(code).is_none() {
            p.add(FieldError::new("key_industries", Code::InvalidChoice).with("value", code));
        }
    }
    p.finish()?;
    Ok(ValidPlan {
        title: title.unwrap_or_default(),
        summary,
        horizon: horizon.unwrap_or(Horizon::Short),
        starts_on: starts.map(date_text).unwrap_or_default(),
        ends_on: ends.map(date_text).unwrap_or_default(),
        key_areas: areas.join("\n"),
        key_industries: industries.join(","),
    })
}

/// A plan with its progress: the plain average of its goals'.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PlanSummary {
    #[serde(flatten)]
    pub plan: Plan,
    pub progress: f64,
    pub goals: usize,
}

pub async fn list(app: &App, actor: &Actor) -> Result<Vec<PlanSummary>> {
    authorize(actor, Action::ViewPlans)?;
    let mut conn = app.db.pool().acquire().await?;
    let plans = store::plans(&mut conn).await?;
    let progress = store::goal_progress(&mut conn).await?;
    Ok(plans
        .into_iter()
        .map(|plan| {
            let goals: Vec<(f64, f64)> = progress
                .iter()
                .filter(|(id, _)| *id == plan.id)
                .map(|&(_, p)| (p, 1.0))
                .collect();
            PlanSummary {
                progress: super::rollup::weighted(&goals),
                goals: goals.len(),
                plan,
            }
        })
        .collect())
}

pub async fn create(app: &App, actor: &Actor, draft: &PlanDraft) -> Result<Plan> {
    authorize(actor, Action::ManagePlans)?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let v = parse_plan(draft)?;
    let plan = store::insert_plan(
        &mut tx,
        &Plan {
            id: 0,
            title: v.title,
            summary: v.summary,
            horizon: v.horizon,
            starts_on: v.starts_on,
            ends_on: v.ends_on,
            key_areas: v.key_areas,
            key_industries: v.key_industries,
            status: PlanStatus::Draft,
            approved_by: None,
            approved_at: None,
            created_by: actor.user_id,
            created_at: now,
            updated_at: now,
        },
        now,
    )
    .await?;
    events::record(
        &mut tx,
        actor,
        now,
        plan_entity(plan.id),
        "create",
        None::<&()>,
        Some(&plan),
    )
    .await?;
    tx.commit().await?;
    Ok(plan)
}

/// The plan, locked for a change; closed plans are not changed.
pub(crate) async fn open_plan(conn: &mut Conn, id: i64) -> Result<Plan> {
    let plan = store::plan_for_update(conn, id)
        .await?
        .ok_or(Error::NotFound)?;
    if plan.status == PlanStatus::Closed {
        return Err(not_now(plan.status));
    }
    Ok(plan)
}

pub async fn update(app: &App, actor: &Actor, id: i64, draft: &PlanDraft) -> Result<Plan> {
    authorize(actor, Action::ManagePlans)?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let before = open_plan(&mut tx, id).await?;
    let v = parse_plan(draft)?;
    let after = Plan {
        title: v.title,
        summary: v.summary,
        horizon: v.horizon,
        starts_on: v.starts_on,
        ends_on: v.ends_on,
        key_areas: v.key_areas,
        key_industries: v.key_industries,
        ..before.clone()
    };
    let saved = store::save_plan(&mut tx, &after, now).await?;
    super::tasks::roll(&mut tx, id, now.local_date()).await?;
    events::record(
        &mut tx,
        actor,
        now,
        plan_entity(id),
        "update",
        Some(&before),
        Some(&saved),
    )
    .await?;
    tx.commit().await?;
    Ok(saved)
}

/// A step in a plan's life: approve (a leader, from draft), put in force
/// and close (coordinators).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Approve,
    PutInForce,
    Close,
}

impl Step {
    pub fn parse(s: &str) -> Option<Step> {
        match s {
            "approve" => Some(Step::Approve),
            "in_force" => Some(Step::PutInForce),
            "close" => Some(Step::Close),
            _ => None,
        }
    }

    fn action(self) -> &'static str {
        match self {
            Step::Approve => "approve",
            Step::PutInForce => "in_force",
            Step::Close => "close",
        }
    }
}

pub async fn step(app: &App, actor: &Actor, id: i64, step: Step) -> Result<Plan> {
    authorize(
        actor,
        if step == Step::Approve {
            Action::ApprovePlan
        } else {
            Action::ManagePlans
        },
    )?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let before = store::plan_for_update(&mut tx, id)
        .await?
        .ok_or(Error::NotFound)?;
    let next = match (step, before.status) {
        (Step::Approve, PlanStatus::Draft) => PlanStatus::Approved,
        (Step::PutInForce, PlanStatus::Approved) => PlanStatus::InForce,
        (Step::Close, PlanStatus::Approved | PlanStatus::InForce) => PlanStatus::Closed,
        (_, status) => return Err(not_now(status)),
    };
    let mut after = before.clone();
    after.status = next;
    if step == Step::Approve {
        after.approved_by = actor.user_id;
        after.approved_at = Some(now);
    }
    let saved = store::save_plan(&mut tx, &after, now).await?;
    events::record(
        &mut tx,
        actor,
        now,
        plan_entity(id),
        step.action(),
        Some(&before),
        Some(&saved),
    )
    .await?;
    tx.commit().await?;
    Ok(saved)
}

fn parse_goal(d: &GoalDraft) -> Result<(String, Option<String>)> {
    let mut p = Problems::default();
    let title = crate::fields::text(&mut p, "title", Some(&d.title), 300);
    if title.is_none() {
        p.add(FieldError::new("title", Code::Required));
    }
    let description = crate::fields::text(&mut p, "description", d.description.as_deref(), 10_000);
    p.finish()?;
    Ok((title.unwrap_or_default(), description))
}

pub async fn add_goal(app: &App, actor: &Actor, plan_id: i64, draft: &GoalDraft) -> Result<Goal> {
    authorize(actor, Action::ManagePlans)?;
    let (title, description) = parse_goal(draft)?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    open_plan(&mut tx, plan_id).await?;
    let goal = store::insert_goal(&mut tx, plan_id, &title, description.as_deref(), now).await?;
    events::record(
        &mut tx,
        actor,
        now,
        goal_entity(goal.id),
        "create",
        None::<&()>,
        Some(&goal),
    )
    .await?;
    tx.commit().await?;
    Ok(goal)
}

pub async fn update_goal(app: &App, actor: &Actor, id: i64, draft: &GoalDraft) -> Result<Goal> {
    authorize(actor, Action::ManagePlans)?;
    let (title, description) = parse_goal(draft)?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let before = store::goal(&mut tx, id).await?.ok_or(Error::NotFound)?;
    open_plan(&mut tx, before.plan_id).await?;
    let saved = store::save_goal(&mut tx, id, &title, description.as_deref(), now).await?;
    events::record(
        &mut tx,
        actor,
        now,
        goal_entity(id),
        "update",
        Some(&before),
        Some(&saved),
    )
    .await?;
    tx.commit().await?;
    Ok(saved)
}

/// A KPI with its history, where its value now comes from, and how far it
/// has come.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct KpiStanding {
    #[serde(flatten)]
    pub kpi: Kpi,
    pub fed: bool,
    pub values: Vec<KpiValue>,
    pub current: Option<Current>,
    /// 0-100 from baseline to target.
    pub progress: Option<f64>,
}

/// The KPIs of these goals, each with its value now.
pub(crate) async fn kpi_standings(
    conn: &mut Conn,
    goal_ids: &[i64],
    today: NaiveDate,
) -> Result<Vec<KpiStanding>> {
    let kpis = store::kpis(conn, goal_ids).await?;
    let ids: Vec<i64> = kpis.iter().map(|k| k.id).collect();
    let values = store::kpi_values(conn, &ids).await?;
    let mut out = Vec::new();
    for kpi in kpis {
        let source = Source::parse(&kpi.source).unwrap_or(Source::Manual);
        let own: Vec<KpiValue> = values
            .iter()
            .filter(|v| v.kpi_id == kpi.id)
            .cloned()
            .collect();
        let current = if source.is_fed() {
            let from = parse_date_text(&kpi.baseline_on).unwrap_or(today);
            kpi::fed(conn, source, kpi.tag_id, from, today)
                .await?
                .map(|value| Current {
                    value,
                    on: date_text(today),
                })
        } else {
            kpi::latest(&own)
        };
        out.push(KpiStanding {
            progress: kpi::progress(&kpi, current.as_ref().map(|c| c.value)),
            fed: source.is_fed(),
            values: own,
            current,
            kpi,
        });
    }
    Ok(out)
}

/// A KPI as typed, checked: everything but the tag's existence, which
/// needs the database.
fn parse_kpi(goal_id: i64, draft: &KpiDraft, now: Timestamp) -> Result<Kpi> {
    let mut p = Problems::default();
    let name = crate::fields::text(&mut p, "name", Some(&draft.name), 200);
    if name.is_none() {
        p.add(FieldError::new("name", Code::Required));
    }
    let unit = crate::fields::text(&mut p, "unit", Some(&draft.unit), 40).unwrap_or_default();
    let direction = crate::demands::model::choice(
        &mut p,
        "direction",
        Some(&draft.direction),
        Direction::Higher,
        Direction::parse,
    );
    let source = crate::demands::model::choice(
        &mut p,
        "source",
        Some(&draft.source),
        Source::Manual,
        Source::parse,
    );
    let baseline = decimal(&mut p, "baseline", &draft.baseline);
    let baseline_on = day(&mut p, "baseline_on", &draft.baseline_on);
    let target = decimal(&mut p, "target", &draft.target);
    let target_on = day(&mut p, "target_on", &draft.target_on);
    if let (Some(b), Some(t)) = (baseline_on, target_on)
        && t <= b
    {
        p.add(FieldError::new("target_on", Code::DateOutOfRange));
    }
    if let (Some(b), Some(t), Some(d)) = (&baseline, &target, direction) {
        let (b, t): (f64, f64) = (b.parse().unwrap_or(0.0), t.parse().unwrap_or(0.0));
        let right_way = match d {
            Direction::Higher => t > b,
            Direction::Lower => t < b,
        };
        if !right_way {
            p.add(FieldError::new("target", Code::KpiTargetWrongWay));
        }
    }
    // Only a count of enterprises can be narrowed to a tag.
    if draft.tag_id.is_some() && source != Some(Source::EnterprisesVisited) {
        p.add(FieldError::new("tag_id", Code::InvalidChoice));
    }
    p.finish()?;
    Ok(Kpi {
        id: 0,
        goal_id,
        name: name.unwrap_or_default(),
        unit,
        direction: direction.unwrap_or(Direction::Higher),
        source: source.unwrap_or(Source::Manual).as_str().to_string(),
        tag_id: draft.tag_id,
        baseline: baseline.unwrap_or_default(),
        baseline_on: baseline_on.map(date_text).unwrap_or_default(),
        target: target.unwrap_or_default(),
        target_on: target_on.map(date_text).unwrap_or_default(),
        created_at: now,
        updated_at: now,
    })
}

/// A KPI's tag must be one in use.
async fn check_tag(conn: &mut Conn, tag_id: Option<i64>) -> Result<()> {
    if let Some(tag_id) = tag_id {
        let tag = crate::enterprises::store::tag(conn, tag_id).await?;
        if tag.is_none_or(|t| t.retired_at.is_some()) {
            return Err(Error::field("tag_id", Code::InvalidChoice));
        }
    }
    Ok(())
}

pub async fn add_kpi(app: &App, actor: &Actor, goal_id: i64, draft: &KpiDraft) -> Result<Kpi> {
    authorize(actor, Action::ManagePlans)?;
    let now = app.now();
    let kpi = parse_kpi(goal_id, draft, now)?;
    let mut tx = app.db.begin().await?;
    let goal = store::goal(&mut tx, goal_id)
        .await?
        .ok_or(Error::NotFound)?;
    open_plan(&mut tx, goal.plan_id).await?;
    check_tag(&mut tx, kpi.tag_id).await?;
    let kpi = store::insert_kpi(&mut tx, &kpi, now).await?;
    events::record(
        &mut tx,
        actor,
        now,
        kpi_entity(kpi.id),
        "create",
        None::<&()>,
        Some(&kpi),
    )
    .await?;
    tx.commit().await?;
    Ok(kpi)
}

/// Changes a KPI's definition. Its source stays once it has values: a
/// history typed in and one counted by Liaison are not the same series.
pub async fn update_kpi(app: &App, actor: &Actor, id: i64, draft: &KpiDraft) -> Result<Kpi> {
    authorize(actor, Action::ManagePlans)?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let before = store::kpi(&mut tx, id).await?.ok_or(Error::NotFound)?;
    let goal = store::goal(&mut tx, before.goal_id)
        .await?
        .ok_or(Error::NotFound)?;
    open_plan(&mut tx, goal.plan_id).await?;
    let after = parse_kpi(before.goal_id, draft, before.created_at)?;
    check_tag(&mut tx, after.tag_id).await?;
    if after.source != before.source && !store::kpi_values(&mut tx, &[id]).await?.is_empty() {
        return Err(Error::field("source", Code::KpiHasValues));
    }
    let saved = store::save_kpi(&mut tx, &Kpi { id, ..after }, now).await?;
    events::record(
        &mut tx,
        actor,
        now,
        kpi_entity(id),
        "update",
        Some(&before),
        Some(&saved),
    )
    .await?;
    tx.commit().await?;
    Ok(saved)
}

/// Records a typed KPI's value (who, when, from what source).
pub async fn add_kpi_value(
    app: &App,
    actor: &Actor,
    kpi_id: i64,
    draft: &KpiValueDraft,
) -> Result<KpiValue> {
    authorize(actor, Action::ManagePlans)?;
    let now = app.now();
    let today = now.local_date();
    let mut p = Problems::default();
    let value = decimal(&mut p, "value", &draft.value);
    let observed_on = if draft.observed_on.trim().is_empty() {
        Some(today)
    } else {
        day(&mut p, "observed_on", &draft.observed_on)
    };
    if observed_on.is_some_and(|d| d > today) {
        p.add(FieldError::new("observed_on", Code::DateOutOfRange));
    }
    let source = crate::fields::text(&mut p, "source", draft.source.as_deref(), 500);
    p.finish()?;
    let mut tx = app.db.begin().await?;
    let kpi = store::kpi(&mut tx, kpi_id).await?.ok_or(Error::NotFound)?;
    if Source::parse(&kpi.source).is_some_and(Source::is_fed) {
        return Err(Error::field("value", Code::KpiFed));
    }
    let goal = store::goal(&mut tx, kpi.goal_id)
        .await?
        .ok_or(Error::NotFound)?;
    open_plan(&mut tx, goal.plan_id).await?;
    let saved = store::insert_kpi_value(
        &mut tx,
        kpi_id,
        &value.unwrap_or_default(),
        &observed_on.map(date_text).unwrap_or_default(),
        source.as_deref(),
        actor.user_id,
        now,
    )
    .await?;
    events::record(
        &mut tx,
        actor,
        now,
        kpi_entity(kpi_id),
        "record_value",
        None::<&()>,
        Some(&saved),
    )
    .await?;
    tx.commit().await?;
    Ok(saved)
}

/// A plan's overview: its goals with progress and KPIs, and its book.
pub struct PlanPage {
    pub plan: Plan,
    pub progress: f64,
    pub goals: Vec<Goal>,
    pub kpis: Vec<KpiStanding>,
    pub book: Vec<super::tasks::BookRow>,
    pub timeline: Vec<events::Event>,
    pub instructions: Vec<Instruction>,
    pub may_manage: bool,
    pub may_approve: bool,
    pub may_instruct: bool,
}

pub async fn get(app: &App, actor: &Actor, id: i64) -> Result<PlanPage> {
    authorize(actor, Action::ViewPlans)?;
    let today = app.now().local_date();
    let mut conn = app.db.pool().acquire().await?;
    let plan = store::plan(&mut conn, id).await?.ok_or(Error::NotFound)?;
    let goals = store::goals(&mut conn, id).await?;
    let goal_ids: Vec<i64> = goals.iter().map(|g| g.id).collect();
    let kpis = kpi_standings(&mut conn, &goal_ids, today).await?;
    let book = super::tasks::book(&mut conn, id).await?;
    let timeline = events::for_entity(&mut conn, plan_entity(id)).await?;
    let instructions = super::instructions::of(&mut conn, Subject::Plan(id)).await?;
    let progress =
        super::rollup::weighted(&goals.iter().map(|g| (g.progress, 1.0)).collect::<Vec<_>>());
    Ok(PlanPage {
        may_manage: plan.status != PlanStatus::Closed
            && crate::auth::permission::allows(actor, Action::ManagePlans),
        may_approve: plan.status == PlanStatus::Draft
            && crate::auth::permission::allows(actor, Action::ApprovePlan),
        may_instruct: crate::auth::permission::allows(actor, Action::InstructOnPlans),
        plan,
        progress,
        goals,
        kpis,
        book,
        timeline,
        instructions,
    })
}

/// A goal's page: its KPIs with their history, and its tasks.
pub struct GoalPage {
    pub goal: Goal,
    pub plan: Plan,
    pub kpis: Vec<KpiStanding>,
    pub book: Vec<super::tasks::BookRow>,
    pub timeline: Vec<events::Event>,
    pub instructions: Vec<Instruction>,
    pub may_manage: bool,
    pub may_instruct: bool,
}

pub async fn goal(app: &App, actor: &Actor, id: i64) -> Result<GoalPage> {
    authorize(actor, Action::ViewPlans)?;
    let today = app.now().local_date();
    let mut conn = app.db.pool().acquire().await?;
    let goal = store::goal(&mut conn, id).await?.ok_or(Error::NotFound)?;
    let plan = store::plan(&mut conn, goal.plan_id)
        .await?
        .ok_or(Error::NotFound)?;
    let kpis = kpi_standings(&mut conn, &[id], today).await?;
    let book = super::tasks::book(&mut conn, goal.plan_id)
        .await?
        .into_iter()
        .filter(|r| r.task.goal_id == id)
        .collect();
    let timeline = events::for_entity(&mut conn, goal_entity(id)).await?;
    let instructions = super::instructions::of(&mut conn, Subject::Goal(id)).await?;
    Ok(GoalPage {
        may_manage: plan.status != PlanStatus::Closed
            && crate::auth::permission::allows(actor, Action::ManagePlans),
        may_instruct: crate::auth::permission::allows(actor, Action::InstructOnPlans),
        instructions,
        goal,
        plan,
        kpis,
        book,
        timeline,
    })
}
