//! Demand pages: the list (the coordinator's queue, a department's inbox,
//! an enterprise's own demands), writing a demand, and a demand's page
//! with its timeline and a form for each step the reader may take.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use crate::app::App;
use crate::auth::permission::{Action, allows};
use crate::auth::{Actor, Role};
use crate::demands::api::ListParams;
use crate::demands::categories::{self, Category};
use crate::demands::model::{Demand, DemandDraft, Priority, Source, State as DemandState};
use crate::demands::service;
use crate::demands::workflow::{DueStatus, StepRequest, due_status};
use crate::error::{Error, FieldError, Result};
use crate::i18n::Locale;
use crate::org::Department;
use crate::web::context::{Ctx, RequestContext};
use crate::web::extract::{Pairs, Path, Query};
use crate::web::imports::ExportParams;
use crate::web::page::{Choice, FormErrors, Page, download, render};

pub fn pages() -> Router<App> {
    Router::new()
        .route("/demands", get(list_page).post(submit_form))
        .route("/demands/new", get(new_page))
        .route("/demands/export", get(export_file))
        .route("/demands/{id}", get(show_page))
        .route("/demands/{id}/steps", post(step_form))
}

/// Names of departments and categories, loaded once per page.
struct Names {
    departments: Vec<Department>,
    categories: std::sync::Arc<Vec<Category>>,
    locale: Locale,
}

impl Names {
    async fn load(app: &App, actor: &Actor, locale: Locale) -> Result<Names> {
        // Retired departments too: old demands still name them.
        let departments = if allows(actor, Action::ViewOrganisation) {
            crate::org::service::list(app, actor, true).await?
        } else {
            Vec::new()
        };
        Ok(Names {
            departments,
            categories: categories::list(app, actor).await?,
            locale,
        })
    }

    fn department(&self, id: Option<i64>) -> String {
        id.and_then(|id| self.departments.iter().find(|d| d.id == id))
            .map(|d| d.name(self.locale).to_string())
            .unwrap_or_default()
    }

    fn category(&self, id: Option<i64>) -> String {
        id.and_then(|id| self.categories.iter().find(|c| c.id == id))
            .map(|c| c.name(self.locale).to_string())
            .unwrap_or_default()
    }
}

fn due_label(page: &Page, status: Option<DueStatus>) -> (String, &'static str) {
    match status {
        None => (String::new(), ""),
        Some(DueStatus::OnTime) => (page.t("due-on-time"), "ok"),
        Some(DueStatus::DueSoon) => (page.t("due-soon"), "warn"),
        Some(DueStatus::Due) => (page.t("due-today"), "warn"),
        Some(DueStatus::Overdue) => (page.t("due-overdue"), "late"),
    }
}

struct Row {
    id: i64,
    title: String,
    enterprise: String,
    state: String,
    category: String,
    department: String,
    due: String,
    due_label: String,
    due_class: &'static str,
    urgent: bool,
    supervised: bool,
}

#[derive(Template)]
#[template(path = "demands/list.html")]
struct ListPage {
    page: Page,
    views: Vec<(String, String, bool)>,
    states: Vec<Choice>,
    overdue: bool,
    rows: Vec<Row>,
    next: Option<String>,
    export_query: String,
    can_submit: bool,
}

/// Preset filters: what each role works from.
fn views(actor: &Actor) -> Vec<(&'static str, &'static str)> {
    match actor.role {
        Role::Admin | Role::Coordinator => vec![
            ("submitted,returned,unsatisfied", "demands-view-queue"),
            (
                "assigned,in_progress,awaiting_enterprise",
                "demands-view-with-departments",
            ),
            ("", "demands-view-all"),
        ],
        Role::Officer => vec![
            ("assigned", "demands-view-to-sign-for"),
            (
                "in_progress,awaiting_enterprise",
                "demands-view-in-progress",
            ),
            ("", "demands-view-all"),
        ],
        _ => vec![("", "demands-view-all")],
    }
}

async fn list_page(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Query(params): Query<ListParams>,
) -> Result<Response> {
    let actor = ctx.actor()?;
    let today = app.now().local_date();
    let filter = params.filter(today)?;
    let demands = service::summaries(&app, actor, &filter).await?;
    let page = Page::new(&app, &ctx, "demands-title");
    let names = Names::load(&app, actor, ctx.locale).await?;
    let calendar = crate::calendar::service::calendar(&app, actor).await?;
    let ids: Vec<i64> = demands.iter().map(|d| d.enterprise_id).collect();
    let enterprises = crate::enterprises::service::names(&app, actor, ctx.locale, &ids).await?;
    let soon = app.config.demands.due_soon_days;
    let rows = demands
        .iter()
        .map(|d| {
            let (due_label, due_class) =
                due_label(&page, due_status(d.deadlines(), &calendar, today, soon));
            Row {
                id: d.id,
                title: d.title.clone(),
                enterprise: enterprises
                    .get(&d.enterprise_id)
                    .cloned()
                    .unwrap_or_default(),
                state: page.t(&d.state.message_id()),
                category: names.category(d.category_id),
                department: names.department(d.lead_department_id),
                due: d.reply_due.clone().unwrap_or_default(),
                due_label,
                due_class,
                urgent: d.priority == Priority::Urgent,
                supervised: d.supervised_at.is_some(),
            }
        })
        .collect();
    let chosen = params.state.clone().unwrap_or_default();
    let views = views(actor)
        .into_iter()
        .map(|(states, label)| {
            let href = if states.is_empty() {
                "/demands".to_string()
            } else {
                format!("/demands?state={states}")
            };
            (href, page.t(label), chosen == states)
        })
        .collect();
    let mut states = vec![Choice {
        value: String::new(),
        label: page.t("filter-any"),
        selected: chosen.is_empty(),
    }];
    states.extend(DemandState::ALL.iter().map(|s| Choice {
        value: s.as_str().into(),
        label: page.t(&s.message_id()),
        selected: chosen == s.as_str(),
    }));
    // Every filter the reader set, so the next page and the export keep them.
    let query_without_paging = |extra: &str| {
        let kept = ListParams {
            before: None,
            ..params.clone()
        };
        let mut query = serde_urlencoded::to_string(&kept).unwrap_or_default();
        if !extra.is_empty() {
            if !query.is_empty() {
                query.push('&');
            }
            query.push_str(extra);
        }
        query
    };
    let next = (demands.len() as i64 == filter.limit)
        .then(|| demands.last())
        .flatten()
        .map(|last| {
            format!(
                "/demands?{}",
                query_without_paging(&format!("before={}", last.id))
            )
        });
    let can_submit = match actor.role {
        Role::Enterprise => actor.enterprise_id.is_some(),
        _ => allows(actor, Action::TriageDemands),
    };
    Ok(render(&ListPage {
        views,
        states,
        overdue: params.overdue == Some(true),
        rows,
        next,
        export_query: query_without_paging(""),
        can_submit,
        page,
    }))
}

/// The filtered list as a file (up to 10,000 rows, newest first).
async fn export_file(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Query(params): Query<ListParams>,
    Query(export): Query<ExportParams>,
) -> Result<Response> {
    let actor = ctx.actor()?;
    let format = export.format()?;
    let mut filter = params.filter(app.now().local_date())?;
    filter.limit = 200;
    let names = Names::load(&app, actor, ctx.locale).await?;
    let t = |id: &str| app.i18n.t(ctx.locale, id);
    let mut rows = vec![
        [
            "demand-id",
            "field-title",
            "field-enterprise",
            "field-state",
            "field-category",
            "field-lead-department",
            "field-submitted-at",
            "field-reply-due",
            "field-outcome",
            "field-rating",
        ]
        .iter()
        .map(|h| t(h))
        .collect::<Vec<_>>(),
    ];
    while rows.len() <= 10_000 {
        let batch = service::list(&app, actor, &filter).await?;
        let ids: Vec<i64> = batch.iter().map(|d| d.enterprise_id).collect();
        let enterprises = crate::enterprises::service::names(&app, actor, ctx.locale, &ids).await?;
        rows.extend(batch.iter().map(|d| {
            vec![
                d.id.to_string(),
                d.title.clone(),
                enterprises
                    .get(&d.enterprise_id)
                    .cloned()
                    .unwrap_or_default(),
                t(&d.state.message_id()),
                names.category(d.category_id),
                names.department(d.lead_department_id),
                d.submitted_at.local_minutes(),
                d.reply_due.clone().unwrap_or_default(),
                d.outcome.map(|o| t(&o.message_id())).unwrap_or_default(),
                d.rating.map(|r| t(&r.message_id())).unwrap_or_default(),
            ]
        }));
        match batch.last() {
            Some(last) if batch.len() as i64 == filter.limit => filter.before = Some(last.id),
            _ => break,
        }
    }
    let bytes = crate::sheets::write(format, "demands", &rows)?;
    Ok(download(
        bytes,
        format.content_type(),
        &format!("demands.{}", format.extension()),
    ))
}

#[derive(Template)]
#[template(path = "demands/new.html")]
struct NewPage {
    page: Page,
    on_behalf: bool,
    enterprises: Vec<Choice>,
    sources: Vec<Choice>,
    languages: Vec<Choice>,
    categories: Vec<Choice>,
    priorities: Vec<Choice>,
    title: String,
    body: String,
    engagement_id: String,
    contact_id: String,
    confidential: bool,
    errors: FormErrors,
}

/// The choices of a select that the reader must make deliberately: an empty
/// "choose" first, so a form sent untouched is refused instead of
/// recording the first option.
fn deliberate(page: &Page, rest: impl IntoIterator<Item = Choice>) -> Vec<Choice> {
    let mut all = vec![Choice {
        value: String::new(),
        label: page.t("choice-choose"),
        selected: true,
    }];
    all.extend(rest);
    all
}

fn choices<T: Copy + PartialEq>(
    page: &Page,
    all: &[T],
    chosen: Option<T>,
    code: fn(T) -> &'static str,
    label: fn(T) -> String,
) -> Vec<Choice> {
    all.iter()
        .map(|v| Choice {
            value: code(*v).into(),
            label: page.t(&label(*v)),
            selected: chosen == Some(*v),
        })
        .collect()
}

async fn new_form(
    app: &App,
    ctx: &RequestContext,
    draft: &DemandDraft,
    errors: &[FieldError],
) -> Result<Response> {
    let actor = ctx.actor()?;
    let page = Page::new(app, ctx, "demands-new-title");
    let on_behalf = actor.role != Role::Enterprise;
    if on_behalf {
        crate::auth::authorize(actor, Action::TriageDemands)?;
    }
    let enterprises = if on_behalf {
        let query = crate::enterprises::store::ListQuery {
            limit: 200,
            ..Default::default()
        };
        crate::enterprises::service::list(app, actor, &query)
            .await?
            .into_iter()
            .map(|e| Choice {
                value: e.id.to_string(),
                label: e.name(ctx.locale).to_string(),
                selected: draft.enterprise_id == Some(e.id),
            })
            .collect()
    } else {
        Vec::new()
    };
    let chosen_source = draft.source.as_deref().and_then(Source::parse);
    let sources = choices(
        &page,
        &[Source::Phone, Source::Visit, Source::Symposium, Source::Api],
        chosen_source.or(Some(Source::Phone)),
        Source::as_str,
        Source::message_id,
    );
    let chosen_lang = draft
        .lang
        .as_deref()
        .and_then(Locale::parse)
        .unwrap_or(ctx.locale);
    let languages = Locale::ALL
        .iter()
        .map(|l| Choice {
            value: l.tag().into(),
            label: l.native_name().into(),
            selected: *l == chosen_lang,
        })
        .collect();
    let mut categories = vec![Choice {
        value: String::new(),
        label: page.t("choice-none"),
        selected: draft.category_id.is_none(),
    }];
    categories.extend(
        categories::list(app, actor)
            .await?
            .iter()
            .filter(|c| c.retired_at.is_none())
            .map(|c| Choice {
                value: c.id.to_string(),
                label: if c.parent_id.is_some() {
                    format!("　{}", c.name(ctx.locale))
                } else {
                    c.name(ctx.locale).to_string()
                },
                selected: draft.category_id == Some(c.id),
            }),
    );
    let priorities = choices(
        &page,
        Priority::ALL,
        draft
            .priority
            .as_deref()
            .and_then(Priority::parse)
            .or(Some(Priority::Normal)),
        Priority::as_str,
        Priority::message_id,
    );
    let mut response = render(&NewPage {
        on_behalf,
        enterprises,
        sources,
        languages,
        categories,
        priorities,
        title: draft.title.clone(),
        body: draft.body.clone(),
        engagement_id: draft
            .engagement_id
            .map(|e| e.to_string())
            .unwrap_or_default(),
        contact_id: draft.contact_id.map(|e| e.to_string()).unwrap_or_default(),
        confidential: draft.confidential,
        errors: FormErrors::new(app, ctx.locale, errors),
        page,
    });
    if !errors.is_empty() {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

#[derive(serde::Deserialize, Default)]
struct NewParams {
    enterprise: Option<i64>,
    engagement: Option<i64>,
}

async fn new_page(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Query(params): Query<NewParams>,
) -> Result<Response> {
    let draft = DemandDraft {
        enterprise_id: params.enterprise,
        engagement_id: params.engagement,
        source: params
            .engagement
            .map(|_| Source::Visit.as_str().to_string()),
        ..Default::default()
    };
    new_form(&app, &ctx, &draft, &[]).await
}

fn draft_from(form: &Pairs) -> DemandDraft {
    let opt = |name: &str| Some(form.one(name)).filter(|v| !v.trim().is_empty());
    let id = |name: &str| form.ids(name).first().copied();
    DemandDraft {
        enterprise_id: id("enterprise_id"),
        contact_id: id("contact_id"),
        title: form.one("title"),
        body: form.one("body"),
        lang: opt("lang"),
        category_id: id("category_id"),
        priority: opt("priority"),
        source: opt("source"),
        engagement_id: id("engagement_id"),
        confidential: form.has("confidential"),
    }
}

async fn submit_form(State(app): State<App>, Ctx(ctx): Ctx, form: Pairs) -> Result<Response> {
    let draft = draft_from(&form);
    match service::submit(&app, ctx.actor()?, &draft).await {
        Ok(d) => Ok(Redirect::to(&format!("/demands/{}", d.id)).into_response()),
        Err(Error::Invalid(errors)) => new_form(&app, &ctx, &draft, &errors).await,
        Err(e) => Err(e),
    }
}

struct TimelineRow {
    at: String,
    actor: String,
    action: String,
}

struct EntryRow {
    kind: String,
    css: &'static str,
    author: String,
    at: String,
    body: String,
}

#[derive(Template)]
#[template(path = "demands/show.html")]
struct ShowPage {
    page: Page,
    d: Demand,
    /// Road-map tasks that work on it (for readers of plans).
    linked_tasks: Vec<crate::plans::model::Task>,
    /// Demands like this one, for coordinators (any enterprise, any language).
    similar: Vec<crate::problems::similar::Similar>,
    /// The common problem it belongs to, for staff.
    common_problem: Option<crate::problems::model::CommonProblem>,
    internals: bool,
    state: String,
    priority: String,
    source: String,
    language: String,
    enterprise: String,
    category: String,
    lead: String,
    co: Vec<String>,
    due_label: String,
    due_class: &'static str,
    outcome: String,
    rating: String,
    followed_reply: Option<String>,
    merged_ids: Vec<i64>,
    instructions: Vec<EntryRow>,
    entries: Vec<EntryRow>,
    timeline: Vec<TimelineRow>,
    steps: Vec<&'static str>,
    categories: Vec<Choice>,
    departments: Vec<Choice>,
    outcomes: Vec<Choice>,
    ratings: Vec<Choice>,
    languages: Vec<Choice>,
    attachments: crate::attachments::web::Section,
    errors: FormErrors,
}

impl ShowPage {
    fn may(&self, step: &str) -> bool {
        self.steps.contains(&step)
    }
}

async fn show(app: &App, ctx: &RequestContext, id: i64, errors: &[FieldError]) -> Result<Response> {
    let actor = ctx.actor()?;
    let service::DemandPage {
        view,
        timeline,
        steps,
        authors,
        internals,
    } = service::page(app, actor, id).await?;
    let d = view.demand;
    let mut page = Page::new(app, ctx, "demands-title");
    page.title = format!("#{} {}", d.id, d.title);
    let names = Names::load(app, actor, ctx.locale).await?;
    let calendar = crate::calendar::service::calendar(app, actor).await?;
    let today = app.now().local_date();
    let (due_label, due_class) = due_label(
        &page,
        due_status(
            d.deadlines(),
            &calendar,
            today,
            app.config.demands.due_soon_days,
        ),
    );
    let enterprise = crate::enterprises::service::names(app, actor, ctx.locale, &[d.enterprise_id])
        .await?
        .remove(&d.enterprise_id)
        .unwrap_or_default();
    let user_name = |id: Option<i64>| {
        id.and_then(|id| authors.get(&id))
            .cloned()
            .unwrap_or_default()
    };
    let (instructions, entries): (Vec<_>, Vec<_>) = view
        .entries
        .iter()
        .map(|e| {
            let row = EntryRow {
                kind: page.t(&e.kind.message_id()),
                css: e.kind.as_str(),
                author: user_name(e.author_id),
                at: e.created_at.local_minutes(),
                body: e.body.clone(),
            };
            (e.kind == crate::demands::model::EntryKind::Instruction, row)
        })
        .partition(|(is_instruction, _)| *is_instruction);
    let timeline = timeline
        .into_iter()
        .map(|ev| TimelineRow {
            at: ev.at.local_minutes(),
            actor: ev.actor_name.clone(),
            action: page.label("demand-step", &ev.action),
        })
        .collect();
    let mut categories: Vec<Choice> = names
        .categories
        .iter()
        .filter(|c| c.retired_at.is_none())
        .map(|c| Choice {
            value: c.id.to_string(),
            label: c.name(ctx.locale).to_string(),
            selected: d.category_id == Some(c.id),
        })
        .collect();
    if d.category_id.is_none() {
        categories = deliberate(&page, categories);
    }
    let mut departments = vec![Choice {
        value: String::new(),
        label: page.t("demands-lead-default"),
        selected: true,
    }];
    departments.extend(
        names
            .departments
            .iter()
            .filter(|dep| dep.is_active())
            .map(|dep| Choice {
                value: dep.id.to_string(),
                label: dep.name(ctx.locale).to_string(),
                selected: false,
            }),
    );
    let outcomes = deliberate(
        &page,
        choices(
            &page,
            crate::demands::model::Outcome::ALL,
            None,
            |o| o.as_str(),
            |o| o.message_id(),
        ),
    );
    let ratings = deliberate(
        &page,
        choices(
            &page,
            crate::demands::model::Rating::ALL,
            None,
            |r| r.as_str(),
            |r| r.message_id(),
        ),
    );
    let languages = Locale::ALL
        .iter()
        .map(|l| Choice {
            value: l.tag().into(),
            label: l.native_name().into(),
            selected: l.tag() == d.lang,
        })
        .collect();
    let similar = if crate::auth::permission::allows(actor, crate::auth::Action::TriageDemands) {
        crate::problems::similar::similar_to(app, actor, &d, ctx.locale).await?
    } else {
        Vec::new()
    };
    let common_problem = crate::problems::service::problem_of(app, actor, id).await?;
    let linked_tasks =
        crate::plans::links::tasks_on(app, actor, crate::plans::links::Target::Demand, id).await?;
    let mut response = render(&ShowPage {
        linked_tasks,
        similar,
        common_problem,
        internals,
        state: page.t(&d.state.message_id()),
        priority: page.t(&d.priority.message_id()),
        source: page.t(&d.source.message_id()),
        language: Locale::parse(&d.lang)
            .map(|l| l.native_name().to_string())
            .unwrap_or_default(),
        enterprise,
        category: names.category(d.category_id),
        lead: names.department(d.lead_department_id),
        co: view
            .co_department_ids
            .iter()
            .map(|c| names.department(Some(*c)))
            .collect(),
        due_label,
        due_class,
        outcome: d
            .outcome
            .map(|o| page.t(&o.message_id()))
            .unwrap_or_default(),
        rating: d
            .rating
            .map(|r| page.t(&r.message_id()))
            .unwrap_or_default(),
        followed_reply: view.followed_reply,
        merged_ids: view.merged_ids,
        instructions: instructions.into_iter().map(|(_, r)| r).collect(),
        entries: entries.into_iter().map(|(_, r)| r).collect(),
        timeline,
        steps,
        categories,
        departments,
        outcomes,
        ratings,
        languages,
        attachments: crate::attachments::web::Section::load(
            app,
            actor,
            crate::attachments::Owner::Demand(id),
        )
        .await?,
        errors: FormErrors::new(app, ctx.locale, errors),
        d,
        page,
    });
    if !errors.is_empty() {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

async fn show_page(State(app): State<App>, Ctx(ctx): Ctx, Path(id): Path<i64>) -> Result<Response> {
    show(&app, &ctx, id, &[]).await
}

async fn step_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    form: Pairs,
) -> Result<Response> {
    let outcome = match StepRequest::from_form(&form) {
        Ok(request) => request.apply(&app, ctx.actor()?, id).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(_) => Ok(Redirect::to(&format!("/demands/{id}")).into_response()),
        Err(Error::Invalid(errors)) => show(&app, &ctx, id, &errors).await,
        Err(e) => Err(e),
    }
}
