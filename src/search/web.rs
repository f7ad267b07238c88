//! The search page (`/search`, the box on every page) and `/api/v1/search`.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::index::Kind;
use super::service::{self, Highlight, Hit, Results, SearchRequest};
use crate::app::App;
use crate::error::{Error, Result};
use crate::richtext::escape;
use crate::web::context::Ctx;
use crate::web::extract::{Json, Query};
use crate::web::page::{FormErrors, Page, render};

pub fn pages() -> Router<App> {
    Router::new().route("/search", get(search_page))
}

pub fn api() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(api_search))
}

#[utoipa::path(get, operation_id = "search", path = "/api/v1/search", tag = "search",
    params(SearchRequest),
    responses((status = 200, description = "Matches the caller may see, grouped by kind, ranked, with the matching words marked (byte ranges)", body = Results),
        (status = 422, body = crate::web::errors::ErrorBody)))]
async fn api_search(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Query(request): Query<SearchRequest>,
) -> Result<Json<Results>> {
    Ok(Json(service::search(&app, ctx.actor()?, &request).await?))
}

/// Text with its marks as HTML: everything escaped, matches in `<mark>`.
fn marked(h: &Highlight) -> String {
    let mut out = String::new();
    let mut at = 0;
    for &[start, end] in &h.marks {
        if start < at
            || end > h.text.len()
            || !h.text.is_char_boundary(start)
            || !h.text.is_char_boundary(end)
        {
            continue;
        }
        out.push_str(&escape(&h.text[at..start]));
        out.push_str("<mark>");
        out.push_str(&escape(&h.text[start..end]));
        out.push_str("</mark>");
        at = end;
    }
    out.push_str(&escape(&h.text[at..]));
    out
}

fn href(hit: &Hit) -> String {
    match hit.kind {
        Kind::Enterprise => format!("/enterprises/{}", hit.id),
        Kind::Contact => format!("/enterprises/{}/contacts", hit.enterprise_id.unwrap_or(0)),
        Kind::Engagement => format!("/engagements/{}", hit.id),
        Kind::Demand => format!("/demands/{}", hit.id),
    }
}

struct HitView {
    href: String,
    title_html: String,
    snippet_html: String,
    note: String,
}

struct GroupView {
    heading: String,
    total: usize,
    hits: Vec<HitView>,
    more: Option<String>,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    page: Page,
    q: String,
    kind: String,
    kinds: Vec<(String, String)>,
    groups: Vec<GroupView>,
    searched: bool,
    building: bool,
    errors: FormErrors,
    next: Option<String>,
}

fn query_string(pairs: &[(&str, String)]) -> String {
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

async fn search_page(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Query(request): Query<SearchRequest>,
) -> Result<Response> {
    let actor = ctx.actor()?;
    let page = Page::new(&app, &ctx, "search-title");
    let q = request.q.trim().to_string();
    let kind = request.kind.clone().unwrap_or_default();
    let mut view = SearchPage {
        kinds: Kind::ALL
            .iter()
            .map(|k| {
                (
                    k.as_str().to_string(),
                    page.t(&format!("search-kind-{}", k.as_str())),
                )
            })
            .collect(),
        page,
        q: q.clone(),
        kind: kind.clone(),
        groups: Vec::new(),
        searched: false,
        building: false,
        errors: FormErrors::default(),
        next: None,
    };
    if q.is_empty() {
        return Ok(render(&view));
    }
    let results = match service::search(&app, actor, &request).await {
        Ok(r) => r,
        Err(Error::Invalid(errors)) => {
            view.errors = FormErrors::new(&app, ctx.locale, &errors);
            return Ok(render(&view));
        }
        Err(e) => return Err(e),
    };
    view.searched = true;
    view.building = results.building;
    let limit = request.limit.unwrap_or(10);
    let offset = request.offset.unwrap_or(0);
    for group in results.groups {
        let k = group.kind.as_str();
        let shown = offset + group.hits.len();
        let more = (kind.is_empty() && group.total > group.hits.len()).then(|| {
            format!(
                "/search?{}",
                query_string(&[("q", q.clone()), ("kind", k.into())])
            )
        });
        if !kind.is_empty() && group.total > shown {
            view.next = Some(format!(
                "/search?{}",
                query_string(&[
                    ("q", q.clone()),
                    ("kind", k.into()),
                    ("offset", shown.to_string()),
                    ("limit", limit.to_string()),
                ])
            ));
        }
        let hits = group
            .hits
            .iter()
            .map(|hit| HitView {
                href: href(hit),
                title_html: marked(&hit.title),
                snippet_html: marked(&hit.snippet),
                note: match hit.kind {
                    Kind::Demand => view.page.label("demand-state", &hit.state),
                    Kind::Engagement => view.page.label("engagement-kind", &hit.state),
                    _ => String::new(),
                },
            })
            .collect();
        view.groups.push(GroupView {
            heading: view.page.t(&format!("search-kind-{k}")),
            total: group.total,
            hits,
            more,
        });
    }
    Ok(render(&view))
}
