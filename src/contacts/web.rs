//! Contact pages (under an enterprise) and `/api/v1/enterprises/{id}/contacts`.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::App;
use crate::contacts::model::{Contact, ContactDraft};
use crate::contacts::service;
use crate::error::{Error, FieldError, Result};
use crate::i18n::Locale;
use crate::web::context::{Ctx, RequestContext};
use crate::web::errors::ErrorBody;
use crate::web::extract::{Form, Json, Path};
use crate::web::page::{Choice, FormErrors, Page, render};

pub fn pages() -> Router<App> {
    Router::new()
        .route("/enterprises/{id}/contacts", post(create_form))
        .route("/enterprises/{id}/contacts/new", get(new_page))
        .route(
            "/enterprises/{id}/contacts/{cid}",
            get(edit_page).post(update_form),
        )
        .route("/enterprises/{id}/contacts/{cid}/remove", post(remove_form))
}

pub fn api() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(api_list, api_create))
        .routes(routes!(api_update, api_remove))
        .routes(routes!(api_link_user))
}

/// The contact form as posted.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ContactForm {
    pub name: String,
    pub title: String,
    pub phone: String,
    pub email: String,
    pub preferred_locale: String,
    pub primary: Option<String>,
}

impl ContactForm {
    fn from_contact(c: &Contact) -> ContactForm {
        ContactForm {
            name: c.name.clone(),
            title: c.title.clone().unwrap_or_default(),
            phone: c.phone.clone().unwrap_or_default(),
            email: c.email.clone().unwrap_or_default(),
            preferred_locale: c.preferred_locale.clone().unwrap_or_default(),
            primary: c.is_primary().then(|| "1".into()),
        }
    }

    fn draft(&self) -> ContactDraft {
        let o = |v: &str| Some(v.to_string()).filter(|v| !v.trim().is_empty());
        ContactDraft {
            name: self.name.clone(),
            title: o(&self.title),
            phone: o(&self.phone),
            email: o(&self.email),
            preferred_locale: o(&self.preferred_locale),
            primary: self.primary.is_some(),
        }
    }
}

#[derive(Template)]
#[template(path = "contacts/form.html")]
struct FormPage {
    page: Page,
    enterprise_id: i64,
    contact_id: Option<i64>,
    form: ContactForm,
    locales: Vec<Choice>,
    errors: FormErrors,
}

fn form_page(
    app: &App,
    ctx: &RequestContext,
    enterprise_id: i64,
    contact_id: Option<i64>,
    form: ContactForm,
    errors: &[FieldError],
) -> Response {
    let page = Page::new(
        app,
        ctx,
        if contact_id.is_some() {
            "contacts-edit-title"
        } else {
            "contacts-new-title"
        },
    );
    let mut locales = vec![Choice {
        value: String::new(),
        label: page.t("choice-none"),
        selected: form.preferred_locale.is_empty(),
    }];
    locales.extend(Locale::ALL.into_iter().map(|l| Choice {
        value: l.tag().into(),
        label: l.native_name().into(),
        selected: form.preferred_locale == l.tag(),
    }));
    let mut response = render(&FormPage {
        errors: FormErrors::new(app, ctx.locale, errors),
        page,
        enterprise_id,
        contact_id,
        form,
        locales,
    });
    if !errors.is_empty() {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    response
}

async fn new_page(State(app): State<App>, Ctx(ctx): Ctx, Path(id): Path<i64>) -> Result<Response> {
    crate::auth::authorize(
        ctx.actor()?,
        crate::auth::Action::ManageContacts { enterprise_id: id },
    )?;
    Ok(form_page(&app, &ctx, id, None, ContactForm::default(), &[]))
}

async fn create_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Form(form): Form<ContactForm>,
) -> Result<Response> {
    match service::create(&app, ctx.actor()?, id, &form.draft()).await {
        Ok(_) => Ok(Redirect::to(&format!("/enterprises/{id}#contacts")).into_response()),
        Err(Error::Invalid(errors)) => Ok(form_page(&app, &ctx, id, None, form, &errors)),
        Err(e) => Err(e),
    }
}

async fn edit_page(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path((id, cid)): Path<(i64, i64)>,
) -> Result<Response> {
    let actor = ctx.actor()?;
    crate::auth::authorize(
        actor,
        crate::auth::Action::ManageContacts { enterprise_id: id },
    )?;
    let contact = service::list(&app, actor, id)
        .await?
        .into_iter()
        .find(|c| c.id == cid)
        .ok_or(Error::NotFound)?;
    Ok(form_page(
        &app,
        &ctx,
        id,
        Some(cid),
        ContactForm::from_contact(&contact),
        &[],
    ))
}

async fn update_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path((id, cid)): Path<(i64, i64)>,
    Form(form): Form<ContactForm>,
) -> Result<Response> {
    let draft = form.draft();
    match service::update(&app, ctx.actor()?, id, cid, |d: &mut ContactDraft| {
        *d = draft
    })
    .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/enterprises/{id}#contacts")).into_response()),
        Err(Error::Invalid(errors)) => Ok(form_page(&app, &ctx, id, Some(cid), form, &errors)),
        Err(e) => Err(e),
    }
}

async fn remove_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path((id, cid)): Path<(i64, i64)>,
) -> Result<Response> {
    service::remove(&app, ctx.actor()?, id, cid).await?;
    Ok(Redirect::to(&format!("/enterprises/{id}#contacts")).into_response())
}

// ---- API ----

#[derive(Serialize, ToSchema)]
pub struct ContactDto {
    pub id: i64,
    pub enterprise_id: i64,
    pub name: String,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub preferred_locale: Option<String>,
    pub primary: bool,
    /// The enterprise user account this contact signs in with, if any.
    pub user_id: Option<i64>,
}

impl From<Contact> for ContactDto {
    fn from(c: Contact) -> Self {
        ContactDto {
            primary: c.is_primary(),
            id: c.id,
            enterprise_id: c.enterprise_id,
            name: c.name,
            title: c.title,
            phone: c.phone,
            email: c.email,
            preferred_locale: c.preferred_locale,
            user_id: c.user_id,
        }
    }
}

/// A contact's fields; on update, absent fields stay as they are.
#[derive(Deserialize, ToSchema, Default)]
pub struct ContactInput {
    pub name: Option<String>,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub preferred_locale: Option<String>,
    pub primary: Option<bool>,
}

impl ContactInput {
    fn apply(self, d: &mut ContactDraft) {
        if let Some(v) = self.name {
            d.name = v;
        }
        for (target, v) in [
            (&mut d.title, self.title),
            (&mut d.phone, self.phone),
            (&mut d.email, self.email),
            (&mut d.preferred_locale, self.preferred_locale),
        ] {
            if v.is_some() {
                *target = v;
            }
        }
        if let Some(p) = self.primary {
            d.primary = p;
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct LinkUser {
    /// An enterprise user of the same enterprise, or null to unlink.
    pub user_id: Option<i64>,
}

#[utoipa::path(get, operation_id = "list_contacts", path = "/api/v1/enterprises/{id}/contacts", tag = "enterprises",
    params(("id" = i64, Path, description = "Enterprise id")),
    responses((status = 200, body = [ContactDto]), (status = 403, body = ErrorBody)))]
async fn api_list(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
) -> Result<Json<Vec<ContactDto>>> {
    Ok(Json(
        service::list(&app, ctx.actor()?, id)
            .await?
            .into_iter()
            .map(ContactDto::from)
            .collect(),
    ))
}

#[utoipa::path(post, operation_id = "create_contact", path = "/api/v1/enterprises/{id}/contacts", tag = "enterprises",
    request_body = ContactInput, params(("id" = i64, Path, description = "Enterprise id")),
    responses((status = 201, body = ContactDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn api_create(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Json(body): Json<ContactInput>,
) -> Result<(StatusCode, Json<ContactDto>)> {
    let mut draft = ContactDraft::default();
    body.apply(&mut draft);
    Ok((
        StatusCode::CREATED,
        Json(
            service::create(&app, ctx.actor()?, id, &draft)
                .await?
                .into(),
        ),
    ))
}

#[utoipa::path(patch, operation_id = "update_contact", path = "/api/v1/enterprises/{id}/contacts/{contact_id}", tag = "enterprises",
    request_body = ContactInput,
    params(("id" = i64, Path, description = "Enterprise id"), ("contact_id" = i64, Path, description = "Contact id")),
    responses((status = 200, body = ContactDto), (status = 422, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn api_update(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path((id, contact_id)): Path<(i64, i64)>,
    Json(body): Json<ContactInput>,
) -> Result<Json<ContactDto>> {
    let updated = service::update(
        &app,
        ctx.actor()?,
        id,
        contact_id,
        |d: &mut ContactDraft| body.apply(d),
    )
    .await?;
    Ok(Json(updated.into()))
}

#[utoipa::path(delete, operation_id = "remove_contact", path = "/api/v1/enterprises/{id}/contacts/{contact_id}", tag = "enterprises",
    params(("id" = i64, Path, description = "Enterprise id"), ("contact_id" = i64, Path, description = "Contact id")),
    responses((status = 200, body = ContactDto), (status = 404, body = ErrorBody)))]
async fn api_remove(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path((id, contact_id)): Path<(i64, i64)>,
) -> Result<Json<ContactDto>> {
    Ok(Json(
        service::remove(&app, ctx.actor()?, id, contact_id)
            .await?
            .into(),
    ))
}

#[utoipa::path(put, operation_id = "link_contact_user", path = "/api/v1/enterprises/{id}/contacts/{contact_id}/user", tag = "enterprises",
    request_body = LinkUser,
    params(("id" = i64, Path, description = "Enterprise id"), ("contact_id" = i64, Path, description = "Contact id")),
    responses((status = 200, body = ContactDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn api_link_user(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path((id, contact_id)): Path<(i64, i64)>,
    Json(body): Json<LinkUser>,
) -> Result<Json<ContactDto>> {
    Ok(Json(
        service::link_user(&app, ctx.actor()?, id, contact_id, body.user_id)
            .await?
            .into(),
    ))
}
