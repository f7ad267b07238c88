//! Visit and symposium pages and `/api/v1/engagements`.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::App;
use crate::auth::permission::{Action, allows};
use crate::engagements::model::{EngagementDraft, EngagementKind, EngagementRecord, FollowUp};
use crate::engagements::service;
use crate::error::{Code, Error, FieldError, Result};
use crate::web::context::{Ctx, RequestContext};
use crate::web::errors::ErrorBody;
use crate::web::extract::{Json, Pairs, Path, Query};
use crate::web::page::{Choice, FormErrors, Page, render};

pub fn pages() -> Router<App> {
    Router::new()
        .route("/engagements", get(list_page).post(create_form))
        .route("/engagements/new", get(new_page))
        .route("/engagements/{id}", get(show_page).post(update_form))
        .route("/engagements/{id}/edit", get(edit_page))
        .route("/engagements/{id}/follow-ups", post(follow_up_form))
        .route("/follow-ups/{id}/done", post(follow_up_done_form))
}

pub fn api() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(api_list, api_create))
        .routes(routes!(api_get, api_update))
        .routes(routes!(api_add_follow_up))
        .routes(routes!(api_follow_up_done))
}

const PAGE_SIZE: i64 = 50;

#[derive(Deserialize, IntoParams, Default)]
pub struct ListParams {
    /// visit or symposium.
    pub kind: Option<String>,
    pub enterprise: Option<i64>,
    /// The id of the last engagement of the previous page.
    pub after: Option<i64>,
}

impl ListParams {
    fn kind(&self) -> Result<Option<EngagementKind>> {
        match self.kind.as_deref().filter(|k| !k.is_empty()) {
            None => Ok(None),
            Some(k) => EngagementKind::parse(k)
                .map(Some)
                .ok_or(Error::field("kind", Code::InvalidChoice)),
        }
    }
}

pub struct Row {
    pub id: i64,
    pub month: String,
    /// The first row of its month (the list shows a month heading there).
    pub new_month: bool,
    pub held_on: String,
    pub kind: String,
    pub purpose: String,
    pub enterprises: Vec<(i64, String)>,
}

#[derive(Template)]
#[template(path = "engagements/list.html")]
struct ListPage {
    page: Page,
    rows: Vec<Row>,
    kinds: Vec<Choice>,
    can_manage: bool,
    next: Option<String>,
}

/// Names of the enterprises `ids` the viewer may see, in the order of `ids`
/// (one query however many there are).
async fn enterprise_names(app: &App, ctx: &RequestContext, ids: &[i64]) -> Vec<(i64, String)> {
    let Ok(actor) = ctx.actor() else {
        return Vec::new();
    };
    let mut names = crate::enterprises::service::names(app, actor, ctx.locale, ids)
        .await
        .unwrap_or_default();
    ids.iter()
        .filter_map(|id| names.remove(id).map(|name| (*id, name)))
        .collect()
}

async fn list_page(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Query(params): Query<ListParams>,
) -> Result<Response> {
    let actor = ctx.actor()?;
    let kind = params.kind()?;
    let list = service::list(
        &app,
        actor,
        kind,
        params.enterprise,
        params.after,
        PAGE_SIZE,
    )
    .await?;
    let links =
        service::enterprises_of(&app, actor, &list.iter().map(|e| e.id).collect::<Vec<_>>())
            .await?;
    let page = Page::new(&app, &ctx, "engagements-title");
    let all_ids: Vec<i64> = links.iter().map(|(_, id)| *id).collect();
    let names = enterprise_names(&app, &ctx, &all_ids).await;
    let mut rows = Vec::new();
    for e in &list {
        let ids: Vec<i64> = links
            .iter()
            .filter(|(g, _)| *g == e.id)
            .map(|(_, id)| *id)
            .collect();
        let month: String = e.held_on.chars().take(7).collect();
        let new_month = rows.last().is_none_or(|r: &Row| r.month != month);
        rows.push(Row {
            id: e.id,
            new_month,
            month,
            held_on: e.held_on.clone(),
            kind: page.t(&e.kind.message_id()),
            purpose: e.purpose.clone().unwrap_or_default(),
            enterprises: ids
                .iter()
                .filter_map(|id| names.iter().find(|(n, _)| n == id).cloned())
                .collect(),
        });
    }
    let next = (list.len() as i64 == PAGE_SIZE)
        .then(|| {
            list.last().map(|e| {
                let kind = kind
                    .map(|k| format!("kind={}&", k.as_str()))
                    .unwrap_or_default();
                format!("/engagements?{kind}after={}", e.id)
            })
        })
        .flatten();
    let mut kinds = vec![Choice {
        value: String::new(),
        label: page.t("filter-any"),
        selected: kind.is_none(),
    }];
    kinds.extend(EngagementKind::ALL.into_iter().map(|k| Choice {
        value: k.as_str().into(),
        label: page.t(&k.message_id()),
        selected: kind == Some(k),
    }));
    Ok(render(&ListPage {
        can_manage: allows(actor, Action::ManageEngagements),
        page,
        rows,
        kinds,
        next,
    }))
}

#[derive(Template)]
#[template(path = "engagements/form.html")]
struct FormPage {
    page: Page,
    id: Option<i64>,
    kinds: Vec<Choice>,
    held_on: String,
    place: String,
    purpose: String,
    guests: String,
    findings: String,
    officials: Vec<Choice>,
    enterprises: Vec<Choice>,
    attendees: Vec<Choice>,
    errors: FormErrors,
}

async fn form_page(
    app: &App,
    ctx: &RequestContext,
    id: Option<i64>,
    draft: &EngagementDraft,
    errors: &[FieldError],
) -> Result<Response> {
    let actor = ctx.actor()?;
    let page = Page::new(
        app,
        ctx,
        if id.is_some() {
            "engagements-edit-title"
        } else {
            "engagements-new-title"
        },
    );
    let kinds = EngagementKind::ALL
        .into_iter()
        .map(|k| Choice {
            value: k.as_str().into(),
            label: page.t(&k.message_id()),
            selected: draft.kind == k.as_str(),
        })
        .collect();
    let staff = crate::users::service::list(app, actor, &Default::default())
        .await
        .unwrap_or_default();
    let officials = staff
        .iter()
        .filter(|u| u.role != crate::auth::Role::Enterprise)
        .map(|u| Choice {
            value: u.id.to_string(),
            label: u.display_name.clone(),
            selected: draft.official_ids.contains(&u.id),
        })
        .collect();
    let query = crate::enterprises::store::ListQuery {
        limit: crate::enterprises::service::MAX_PAGE,
        ..Default::default()
    };
    let mut enterprise_list = crate::enterprises::service::list(app, actor, &query).await?;
    for id in &draft.enterprise_ids {
        if !enterprise_list.iter().any(|e| e.id == *id) {
            if let Ok(e) = crate::enterprises::service::get(app, actor, *id).await {
                enterprise_list.push(e);
            }
        }
    }
    let enterprises = enterprise_list
        .iter()
        .map(|e| Choice {
            value: e.id.to_string(),
            label: e.name(ctx.locale).to_string(),
            selected: draft.enterprise_ids.contains(&e.id),
        })
        .collect();
    let mut attendees = Vec::new();
    for id in &draft.enterprise_ids {
        for c in crate::contacts::service::list(app, actor, *id)
            .await
            .unwrap_or_default()
        {
            attendees.push(Choice {
                value: c.id.to_string(),
                label: c.name.clone(),
                selected: draft.attendee_ids.contains(&c.id),
            });
        }
    }
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    let mut response = render(&FormPage {
        errors: FormErrors::new(app, ctx.locale, errors),
        page,
        id,
        kinds,
        held_on: draft.held_on.clone(),
        place: s(&draft.place),
        purpose: s(&draft.purpose),
        guests: s(&draft.guests),
        // Cleaned here too: the editor puts this into the page as HTML.
        findings: crate::richtext::sanitize(&s(&draft.findings)),
        officials,
        enterprises,
        attendees,
    });
    if !errors.is_empty() {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

fn draft_from(form: &Pairs) -> EngagementDraft {
    let o = |name: &str| Some(form.one(name)).filter(|v| !v.trim().is_empty());
    EngagementDraft {
        kind: form.one("kind"),
        held_on: form.one("held_on"),
        place: o("place"),
        purpose: o("purpose"),
        guests: o("guests"),
        findings: o("findings"),
        official_ids: form.ids("official_ids"),
        enterprise_ids: form.ids("enterprise_ids"),
        attendee_ids: form.ids("attendee_ids"),
    }
}

#[derive(Deserialize)]
struct NewQuery {
    enterprise: Option<i64>,
    kind: Option<String>,
}

async fn new_page(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Query(q): Query<NewQuery>,
) -> Result<Response> {
    let actor = ctx.actor()?;
    crate::auth::authorize(actor, Action::ManageEngagements)?;
    let draft = EngagementDraft {
        kind: q.kind.unwrap_or_else(|| "visit".into()),
        held_on: app.now().0.date_naive().format("%Y-%m-%d").to_string(),
        enterprise_ids: q.enterprise.into_iter().collect(),
        official_ids: actor.user_id.into_iter().collect(),
        ..Default::default()
    };
    form_page(&app, &ctx, None, &draft, &[]).await
}

async fn create_form(State(app): State<App>, Ctx(ctx): Ctx, form: Pairs) -> Result<Response> {
    let draft = draft_from(&form);
    match service::create(&app, ctx.actor()?, &draft).await {
        Ok(r) => Ok(Redirect::to(&format!("/engagements/{}", r.engagement.id)).into_response()),
        Err(Error::Invalid(errors)) => form_page(&app, &ctx, None, &draft, &errors).await,
        Err(e) => Err(e),
    }
}

async fn edit_page(State(app): State<App>, Ctx(ctx): Ctx, Path(id): Path<i64>) -> Result<Response> {
    let actor = ctx.actor()?;
    crate::auth::authorize(actor, Action::ManageEngagements)?;
    let (record, _) = service::get(&app, actor, id).await?;
    form_page(
        &app,
        &ctx,
        Some(id),
        &EngagementDraft::from_record(&record),
        &[],
    )
    .await
}

async fn update_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    form: Pairs,
) -> Result<Response> {
    let draft = draft_from(&form);
    let edit = draft.clone();
    match service::update(&app, ctx.actor()?, id, |d: &mut EngagementDraft| *d = edit).await {
        Ok(_) => Ok(Redirect::to(&format!("/engagements/{id}")).into_response()),
        Err(Error::Invalid(errors)) => form_page(&app, &ctx, Some(id), &draft, &errors).await,
        Err(e) => Err(e),
    }
}

pub struct FollowUpRow {
    pub id: i64,
    pub description: String,
    pub owner: String,
    pub due_on: String,
    pub done: bool,
    pub may_mark: bool,
}

#[derive(Template)]
#[template(path = "engagements/show.html")]
struct ShowPage {
    page: Page,
    record: EngagementRecord,
    kind: String,
    officials: Vec<String>,
    enterprises: Vec<(i64, String)>,
    attendees: Vec<String>,
    follow_ups: Vec<FollowUpRow>,
    owners: Vec<Choice>,
    can_manage: bool,
    attachments: crate::attachments::web::Section,
    errors: FormErrors,
}

async fn show(app: &App, ctx: &RequestContext, id: i64, errors: &[FieldError]) -> Result<Response> {
    let actor = ctx.actor()?;
    let (record, follow_ups) = service::get(app, actor, id).await?;
    let mut page = Page::new(app, ctx, "engagements-title");
    let kind = page.t(&record.engagement.kind.message_id());
    page.title = format!("{kind} · {}", record.engagement.held_on);
    let staff = crate::users::service::list(app, actor, &Default::default())
        .await
        .unwrap_or_default();
    let name_of = |id: i64| {
        staff
            .iter()
            .find(|u| u.id == id)
            .map(|u| u.display_name.clone())
            .unwrap_or_else(|| format!("#{id}"))
    };
    let officials = record.official_ids.iter().map(|id| name_of(*id)).collect();
    let enterprises = enterprise_names(app, ctx, &record.enterprise_ids).await;
    let mut attendees = Vec::new();
    for eid in &record.enterprise_ids {
        for c in crate::contacts::service::list(app, actor, *eid)
            .await
            .unwrap_or_default()
        {
            if record.attendee_ids.contains(&c.id) {
                attendees.push(c.name);
            }
        }
    }
    let can_manage = allows(actor, Action::ManageEngagements);
    let follow_ups = follow_ups
        .into_iter()
        .map(|f: FollowUp| FollowUpRow {
            id: f.id,
            description: f.description,
            owner: f.owner_id.map(name_of).unwrap_or_default(),
            due_on: f.due_on.unwrap_or_default(),
            done: f.done_at.is_some(),
            may_mark: can_manage || (f.owner_id.is_some() && f.owner_id == actor.user_id),
        })
        .collect();
    let mut owners = vec![Choice {
        value: String::new(),
        label: page.t("choice-none"),
        selected: true,
    }];
    owners.extend(
        staff
            .iter()
            .filter(|u| u.role != crate::auth::Role::Enterprise)
            .map(|u| Choice {
                value: u.id.to_string(),
                label: u.display_name.clone(),
                selected: false,
            }),
    );
    let mut response = render(&ShowPage {
        errors: FormErrors::new(app, ctx.locale, errors),
        page,
        record,
        kind,
        officials,
        enterprises,
        attendees,
        follow_ups,
        owners,
        can_manage,
        attachments: crate::attachments::web::Section::load(
            app,
            actor,
            crate::attachments::Owner::Engagement(id),
        )
        .await?,
    });
    if !errors.is_empty() {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

async fn show_page(State(app): State<App>, Ctx(ctx): Ctx, Path(id): Path<i64>) -> Result<Response> {
    show(&app, &ctx, id, &[]).await
}

async fn follow_up_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    form: Pairs,
) -> Result<Response> {
    let owner = form.ids("owner_id").first().copied();
    let due = form.one("due_on");
    match service::add_follow_up(
        &app,
        ctx.actor()?,
        id,
        &form.one("description"),
        owner,
        Some(&due),
    )
    .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/engagements/{id}")).into_response()),
        Err(Error::Invalid(errors)) => show(&app, &ctx, id, &errors).await,
        Err(e) => Err(e),
    }
}

async fn follow_up_done_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    form: Pairs,
) -> Result<Response> {
    let done = form.one("done") != "0";
    let f = service::set_follow_up_done(&app, ctx.actor()?, id, done).await?;
    Ok(Redirect::to(&format!("/engagements/{}", f.engagement_id)).into_response())
}

// ---- API ----

#[derive(Serialize, ToSchema)]
pub struct EngagementDto {
    pub id: i64,
    pub kind: EngagementKind,
    /// YYYY-MM-DD.
    pub held_on: String,
    pub place: Option<String>,
    pub purpose: Option<String>,
    pub guests: Option<String>,
    pub findings: Option<String>,
    pub official_ids: Vec<i64>,
    pub enterprise_ids: Vec<i64>,
    pub attendee_ids: Vec<i64>,
}

impl From<EngagementRecord> for EngagementDto {
    fn from(r: EngagementRecord) -> Self {
        let e = r.engagement;
        EngagementDto {
            id: e.id,
            kind: e.kind,
            held_on: e.held_on,
            place: e.place,
            purpose: e.purpose,
            guests: e.guests,
            findings: e.findings,
            official_ids: r.official_ids,
            enterprise_ids: r.enterprise_ids,
            attendee_ids: r.attendee_ids,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct EngagementSummary {
    pub id: i64,
    pub kind: EngagementKind,
    pub held_on: String,
    pub purpose: Option<String>,
}

/// An engagement's fields; on update, absent fields stay as they are.
#[derive(Deserialize, ToSchema, Default)]
pub struct EngagementInput {
    pub kind: Option<String>,
    pub held_on: Option<String>,
    pub place: Option<String>,
    pub purpose: Option<String>,
    pub guests: Option<String>,
    pub findings: Option<String>,
    pub official_ids: Option<Vec<i64>>,
    pub enterprise_ids: Option<Vec<i64>>,
    /// Contacts of the enterprises who attended.
    pub attendee_ids: Option<Vec<i64>>,
}

impl EngagementInput {
    fn apply(self, d: &mut EngagementDraft) {
        if let Some(v) = self.kind {
            d.kind = v;
        }
        if let Some(v) = self.held_on {
            d.held_on = v;
        }
        for (target, v) in [
            (&mut d.place, self.place),
            (&mut d.purpose, self.purpose),
            (&mut d.guests, self.guests),
            (&mut d.findings, self.findings),
        ] {
            if v.is_some() {
                *target = v;
            }
        }
        for (target, v) in [
            (&mut d.official_ids, self.official_ids),
            (&mut d.enterprise_ids, self.enterprise_ids),
            (&mut d.attendee_ids, self.attendee_ids),
        ] {
            if let Some(v) = v {
                *target = v;
            }
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct FollowUpDto {
    pub id: i64,
    pub engagement_id: i64,
    pub description: String,
    pub owner_id: Option<i64>,
    pub due_on: Option<String>,
    pub done: bool,
}

impl From<FollowUp> for FollowUpDto {
    fn from(f: FollowUp) -> Self {
        FollowUpDto {
            done: f.done_at.is_some(),
            id: f.id,
            engagement_id: f.engagement_id,
            description: f.description,
            owner_id: f.owner_id,
            due_on: f.due_on,
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct FollowUpInput {
    pub description: String,
    pub owner_id: Option<i64>,
    /// YYYY-MM-DD.
    pub due_on: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct DoneInput {
    pub done: bool,
}

#[utoipa::path(get, operation_id = "list_engagements", path = "/api/v1/engagements", tag = "engagements", params(ListParams),
    responses((status = 200, body = [EngagementSummary]), (status = 403, body = ErrorBody)))]
async fn api_list(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Query(params): Query<ListParams>,
) -> Result<Json<Vec<EngagementSummary>>> {
    let list = service::list(
        &app,
        ctx.actor()?,
        params.kind()?,
        params.enterprise,
        params.after,
        PAGE_SIZE,
    )
    .await?;
    Ok(Json(
        list.into_iter()
            .map(|e| EngagementSummary {
                id: e.id,
                kind: e.kind,
                held_on: e.held_on,
                purpose: e.purpose,
            })
            .collect(),
    ))
}

#[utoipa::path(post, operation_id = "create_engagement", path = "/api/v1/engagements", tag = "engagements", request_body = EngagementInput,
    responses((status = 201, body = EngagementDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn api_create(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Json(body): Json<EngagementInput>,
) -> Result<(StatusCode, Json<EngagementDto>)> {
    let mut draft = EngagementDraft::default();
    body.apply(&mut draft);
    Ok((
        StatusCode::CREATED,
        Json(service::create(&app, ctx.actor()?, &draft).await?.into()),
    ))
}

#[utoipa::path(get, operation_id = "get_engagement", path = "/api/v1/engagements/{id}", tag = "engagements",
    params(("id" = i64, Path, description = "Engagement id")),
    responses((status = 200, body = EngagementDto), (status = 404, body = ErrorBody)))]
async fn api_get(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
) -> Result<Json<EngagementDto>> {
    Ok(Json(service::get(&app, ctx.actor()?, id).await?.0.into()))
}

#[utoipa::path(patch, operation_id = "update_engagement", path = "/api/v1/engagements/{id}", tag = "engagements", request_body = EngagementInput,
    params(("id" = i64, Path, description = "Engagement id")),
    responses((status = 200, body = EngagementDto), (status = 422, body = ErrorBody)))]
async fn api_update(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Json(body): Json<EngagementInput>,
) -> Result<Json<EngagementDto>> {
    Ok(Json(
        service::update(&app, ctx.actor()?, id, |d: &mut EngagementDraft| {
            body.apply(d)
        })
        .await?
        .into(),
    ))
}

#[utoipa::path(post, operation_id = "add_follow_up", path = "/api/v1/engagements/{id}/follow-ups", tag = "engagements", request_body = FollowUpInput,
    params(("id" = i64, Path, description = "Engagement id")),
    responses((status = 201, body = FollowUpDto), (status = 422, body = ErrorBody)))]
async fn api_add_follow_up(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Json(body): Json<FollowUpInput>,
) -> Result<(StatusCode, Json<FollowUpDto>)> {
    let f = service::add_follow_up(
        &app,
        ctx.actor()?,
        id,
        &body.description,
        body.owner_id,
        body.due_on.as_deref(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(f.into())))
}

#[utoipa::path(put, operation_id = "set_follow_up_done", path = "/api/v1/follow-ups/{id}/done", tag = "engagements", request_body = DoneInput,
    params(("id" = i64, Path, description = "Follow-up id")),
    responses((status = 200, body = FollowUpDto), (status = 403, body = ErrorBody)))]
async fn api_follow_up_done(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Json(body): Json<DoneInput>,
) -> Result<Json<FollowUpDto>> {
    Ok(Json(
        service::set_follow_up_done(&app, ctx.actor()?, id, body.done)
            .await?
            .into(),
    ))
}
