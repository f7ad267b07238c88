//! Intake and reading: who may write a demand for which enterprise, and
//! what each reader sees of it. The workflow's steps are in `workflow.rs`.

use chrono::NaiveDate;

use crate::app::App;
use crate::auth::permission::{Action, allows, demand_scope};
use crate::auth::{Actor, Role, authorize};
use crate::db::Conn;
use crate::db::events::{self, Entity};
use crate::demands::figures::{Counts, GroupBy};
use crate::demands::model::{Demand, DemandDraft, DemandFacts, Entry, Source, Summary};
use crate::demands::store::{self, Filter};
use crate::enterprises::model::Place;
use crate::error::{Code, Error, FieldError, Problems, Result};

pub(crate) fn entity(id: i64) -> Entity {
    Entity::new("demand", id)
}

/// A demand with what its reader may see around it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct DemandView {
    #[serde(flatten)]
    pub demand: Demand,
    pub co_department_ids: Vec<i64>,
    /// Entries the reader may see (the enterprise: questions and answers).
    pub entries: Vec<Entry>,
    /// Demands merged into this one.
    pub merged_ids: Vec<i64>,
    /// For a merged demand: the answer of the demand it follows.
    pub followed_reply: Option<String>,
}

/// The facts the permission check needs, for this actor.
pub(crate) fn facts(actor: &Actor, demand: &Demand, co: &[i64]) -> DemandFacts {
    let department = (actor.role == Role::Officer)
        .then_some(actor.department_id)
        .flatten();
    demand.facts(co, department)
}

/// Loads a demand the actor may see, or "not found" (a demand the actor may
/// not see does not exist for them).
pub(crate) async fn visible(
    conn: &mut Conn,
    actor: &Actor,
    id: i64,
) -> Result<(Demand, Vec<i64>, DemandFacts)> {
    let demand = store::get(conn, id).await?.ok_or(Error::NotFound)?;
    let co = store::co_departments(conn, id).await?;
    let f = facts(actor, &demand, &co);
    if !allows(actor, Action::ViewDemand(f)) {
        return Err(Error::NotFound);
    }
    Ok((demand, co, f))
}

pub async fn get(app: &App, actor: &Actor, id: i64) -> Result<DemandView> {
    let mut conn = app.db.pool().acquire().await?;
    let (demand, co, f) = visible(&mut conn, actor, id).await?;
    view_of(&mut conn, actor, demand, co, f).await
}

/// What a demand's page shows: the demand as the reader may see it, its
/// timeline, the steps the reader may take now, and the names of the
/// people on the page the reader may know — read once.
pub struct DemandPage {
    pub view: DemandView,
    pub timeline: Vec<events::Event>,
    pub steps: Vec<&'static str>,
    /// Entry authors' names, for readers who see the city's internals.
    pub authors: std::collections::HashMap<i64, String>,
    /// Whether the reader sees the city's internals.
    pub internals: bool,
}

pub async fn page(app: &App, actor: &Actor, id: i64) -> Result<DemandPage> {
    let (view, events, steps, f) = {
        let mut conn = app.db.pool().acquire().await?;
        let (demand, co, f) = visible(&mut conn, actor, id).await?;
        let steps = steps_of(actor, &demand, f);
        let events = events::for_entity(&mut conn, entity(id)).await?;
        let view = view_of(&mut conn, actor, demand, co, f).await?;
        (view, events, steps, f)
    };
    let internals = allows(actor, Action::ViewDemandInternals(f));
    let mut ids: Vec<i64> = events
        .iter()
        .filter_map(|e| e.actor_user_id)
        .chain(view.entries.iter().filter_map(|e| e.author_id))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let people = crate::users::service::display_names(app, actor, &ids).await?;
    let officer_names = app.config.demands.officer_names_for_enterprises;
    let timeline = timeline_of(events, actor, internals, &people, officer_names);
    let authors = if internals {
        people
            .into_iter()
            .map(|(id, (name, _))| (id, name))
            .collect()
    } else {
        Default::default()
    };
    Ok(DemandPage {
        view,
        timeline,
        steps,
        authors,
        internals,
    })
}

async fn view_of(
    conn: &mut Conn,
    actor: &Actor,
    demand: Demand,
    co: Vec<i64>,
    f: DemandFacts,
) -> Result<DemandView> {
    let id = demand.id;
    let internals = allows(actor, Action::ViewDemandInternals(f));
    let entries = store::entries(&mut *conn, id)
        .await?
        .into_iter()
        .filter(|e| internals || e.kind.is_public())
        .map(|mut e| {
            // Who inside wrote it stays inside, as in the timeline.
            if !internals && e.author_id != actor.user_id {
                e.author_id = None;
            }
            e
        })
        .collect();
    let merged_ids = store::merged_into(&mut *conn, id)
        .await?
        .into_iter()
        .map(|d| d.id)
        .collect();
    let mut demand = demand;
    if !internals {
        redact(&mut demand);
    }
    let followed_reply = match demand.merged_into {
        Some(target) => store::get(conn, target).await?.and_then(|t| t.reply),
        None => None,
    };
    Ok(DemandView {
        demand,
        co_department_ids: co,
        entries,
        merged_ids,
        followed_reply,
    })
}

pub async fn list(app: &App, actor: &Actor, filter: &Filter) -> Result<Vec<Demand>> {
    authorize(actor, Action::ListDemands)?;
    let mut conn = app.db.pool().acquire().await?;
    let mut demands = store::list(&mut conn, demand_scope(actor), filter).await?;
    if actor.role == Role::Enterprise {
        demands.iter_mut().for_each(redact);
    }
    Ok(demands)
}

/// The counts behind the figures of the demands the actor may see that were
/// submitted on the city days `from` through `to`, per group in key order.
pub async fn figure_counts(
    app: &App,
    actor: &Actor,
    from: NaiveDate,
    to: NaiveDate,
    by: GroupBy,
) -> Result<Vec<(String, Counts)>> {
    authorize(actor, Action::ViewDemandFigures)?;
    let today = app.now().local_date();
    let mut conn = app.db.pool().acquire().await?;
    Ok(
        crate::demands::tally::figure_counts(&mut conn, demand_scope(actor), from, to, today, by)
            .await?,
    )
}

/// [`list`] with only what a list page shows.
pub async fn summaries(app: &App, actor: &Actor, filter: &Filter) -> Result<Vec<Summary>> {
    authorize(actor, Action::ListDemands)?;
    let mut conn = app.db.pool().acquire().await?;
    let mut rows = store::summaries(&mut conn, demand_scope(actor), filter).await?;
    if actor.role == Role::Enterprise {
        rows.iter_mut().for_each(redact_summary);
    }
    Ok(rows)
}

/// What the enterprise does not see: who handled it inside and the city's
/// internal reasons.
fn redact(d: &mut Demand) {
    d.submitted_by = None;
    d.signed_by = None;
    d.replied_by = None;
    d.return_reason = None;
    d.returned_at = None;
    d.return_count = 0;
    d.extension_requested_due = None;
    d.extension_reason = None;
    d.close_note = None;
    d.supervised_at = None;
}

/// [`redact`] for a list row: of what it holds, only supervision is inside.
fn redact_summary(s: &mut Summary) {
    s.supervised_at = None;
}

/// Writes a demand down. An enterprise user writes for their own
/// enterprise, from the portal; a coordinator writes for any, naming how it
/// came (phone, visit, symposium — with the visit it came from).
pub async fn submit(app: &App, actor: &Actor, draft: &DemandDraft) -> Result<Demand> {
    let mut draft = draft.clone();
    if actor.role == Role::Enterprise {
        // The portal decides these; an enterprise cannot claim a visit.
        draft.enterprise_id = draft.enterprise_id.or(actor.enterprise_id);
        draft.source = Some(Source::Portal.as_str().into());
        draft.engagement_id = None;
    }
    let enterprise_id = draft.enterprise_id.unwrap_or(0);
    authorize(actor, Action::SubmitDemand { enterprise_id })?;
    let valid = draft.parse(actor.locale())?;
    // The links are checked before the write is queued, so the shared
    // writer only writes. Enterprises, contacts and visits are not
    // deleted; a visit's list of enterprises edited in between is a race
    // the demand would have won by arriving a moment earlier.
    let place = check_links(app, &valid).await?;
    // Demands arrive many at a time (the portal, the API, a symposium's
    // worth at once): each is on disk before it is acknowledged, and
    // those arriving together share the flush.
    let (app_, actor) = (app.clone(), actor.clone());
    app.db
        .grouped()
        .write(Box::new(move |conn: &mut Conn| {
            Box::pin(async move {
                let now = app_.now();
                let created = store::insert(conn, &valid, place, actor.user_id, now).await?;
                events::record_all(conn, &actor, now, &submitted(&created)?).await?;
                Ok(created)
            })
        }))
        .await
}

/// The events of a demand written down: on the demand, and on its
/// enterprise, whose own timeline shows it too (as a visit does).
pub(crate) fn submitted(d: &Demand) -> anyhow::Result<[events::Change; 2]> {
    let summary = serde_json::json!({"demand_id": d.id, "title": d.title});
    Ok([
        events::Change::new(entity(d.id), "submit", None::<&()>, Some(d))?,
        events::Change::new(
            Entity::new("enterprise", d.enterprise_id),
            "demand",
            None::<&()>,
            Some(&summary),
        )?,
    ])
}

/// The enterprise exists; the contact is one of its contacts; the visit or
/// symposium is one it took part in; the category is current. Where the
/// enterprise is, for the figures.
async fn check_links(app: &App, v: &crate::demands::model::ValidDemand) -> Result<Place> {
    let mut conn = app.db.pool().acquire().await?;
    let mut p = Problems::default();
    let place = crate::enterprises::service::place(&mut conn, v.enterprise_id).await?;
    if place.is_none() {
        p.add(FieldError::new("enterprise_id", Code::EnterpriseNotFound));
    }
    if let Some(contact) = v.contact_id {
        let of_enterprise = crate::contacts::store::enterprise_of(&mut conn, contact).await?;
        if of_enterprise != Some(v.enterprise_id) {
            p.add(FieldError::new("contact_id", Code::AttendeeInvalid));
        }
    }
    if let Some(engagement) = v.engagement_id {
        let linked = crate::engagements::store::enterprises_of(&mut conn, &[engagement]).await?;
        if !linked.iter().any(|(_, e)| *e == v.enterprise_id) {
            p.add(FieldError::new("engagement_id", Code::EngagementInvalid));
        }
    }
    if let Some(category) = v.category_id {
        check_category(&mut conn, &mut p, category).await?;
    }
    p.finish()?;
    Ok(place.unwrap_or_default())
}

pub(crate) async fn check_category(conn: &mut Conn, p: &mut Problems, id: i64) -> Result<()> {
    match crate::demands::categories::get_row(conn, id).await? {
        Some(c) if c.retired_at.is_none() => {}
        _ => p.add(FieldError::new("category_id", Code::CategoryNotFound)),
    }
    Ok(())
}

/// Steps the enterprise sees on its demand's timeline; the others (notes,
/// inputs, instructions, returns, extension requests) stay inside.
pub const PUBLIC_STEPS: [&str; 13] = [
    "submit",
    "accept",
    "reject",
    "assign",
    "sign_for",
    "ask",
    "answer",
    "approve_extension",
    "reply",
    "rate",
    "reopen",
    "close",
    "close_unrated",
];

/// The demand's events the reader may see, oldest first, each with the
/// name its actor goes by. For the enterprise: public steps only, and the
/// names of the city's people only when `officer_names` is set.
fn timeline_of(
    mut all: Vec<events::Event>,
    actor: &Actor,
    internals: bool,
    people: &std::collections::HashMap<i64, (String, Option<i64>)>,
    officer_names: bool,
) -> Vec<events::Event> {
    for e in &mut all {
        if let Some((name, _)) = e.actor_user_id.and_then(|u| people.get(&u)) {
            e.actor_name = name.clone();
        }
    }
    if internals {
        return all;
    }
    let of_the_enterprise = |user: Option<i64>| {
        user.and_then(|u| people.get(&u))
            .is_some_and(|(_, enterprise)| {
                enterprise.is_some() && *enterprise == actor.enterprise_id
            })
    };
    all.into_iter()
        .filter(|e| PUBLIC_STEPS.contains(&e.action.as_str()))
        .map(|mut e| {
            if !(officer_names || of_the_enterprise(e.actor_user_id)) {
                e.actor_user_id = None;
                e.actor_name = String::new();
            }
            e.before_json = None;
            e.after_json = None;
            e
        })
        .collect()
}

/// Which steps the actor may take on the demand now: allowed for their
/// role and possible from its state. Pages show a form for each.
fn steps_of(actor: &Actor, demand: &Demand, f: DemandFacts) -> Vec<&'static str> {
    use crate::demands::model::Step;
    let triage = Action::TriageDemands;
    let handle = Action::HandleDemand(f);
    let candidates: [(&str, Option<Step>, Action); 17] = [
        ("accept", Some(Step::Accept), triage),
        ("reject", Some(Step::Reject), triage),
        ("assign", Some(Step::Assign), triage),
        ("insist", Some(Step::Insist), triage),
        ("sign_for", Some(Step::SignFor), handle),
        ("return", Some(Step::Return), handle),
        ("ask", Some(Step::Ask), handle),
        ("answer", Some(Step::Answer), Action::AnswerDemand(f)),
        ("request_extension", Some(Step::RequestExtension), handle),
        ("decide_extension", Some(Step::DecideExtension), triage),
        ("reply", Some(Step::Reply), handle),
        (
            "rate",
            Some(Step::Rate { satisfied: true }),
            Action::RateDemand(f),
        ),
        ("reopen", Some(Step::Reopen), triage),
        ("close", Some(Step::Close), triage),
        ("merge", Some(Step::Merge), triage),
        ("instruct", None, Action::InstructOnDemand),
        ("note", None, Action::ContributeToDemand(f)),
    ];
    candidates
        .into_iter()
        .filter(|(name, step, action)| {
            let possible = match step {
                Some(s) => demand.state.after(*s).is_ok(),
                None => demand.state.is_open(),
            };
            let pending = demand.extension_requested_due.is_some();
            let fits = match *name {
                "decide_extension" => pending,
                "request_extension" => !pending,
                _ => true,
            };
            possible && fits && allows(actor, *action)
        })
        .map(|(name, _, _)| name)
        .collect()
}
