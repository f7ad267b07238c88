//! The HTTP edge: routes of every feature, the request-context layer,
//! logging with request ids, static files, health checks and the OpenAPI
//! document. Feature routers live in each feature's `web.rs`.

pub mod audit;
pub mod chart;
pub mod context;
pub mod errors;
pub mod extract;
mod home;
pub mod imports;
pub mod page;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{Request, StatusCode, header};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower::ServiceBuilder;
use tower_http::request_id::{
    MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::TraceLayer;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

use crate::app::App;
use crate::error::Error;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Liaison API",
        description = "The JSON API of Liaison. Authenticate with `Authorization: Bearer <token>` \
            (issue tokens on your profile page or with `liaison user issue-token`). Errors are \
            `{\"errors\":[{\"code\",\"field\",\"detail\"}]}` with stable snake_case codes and \
            details in the caller's language (Accept-Language or account preference)."
    ),
    components(schemas(errors::ErrorBody, errors::ErrorItem)),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Every `/api/v1` route, collected with its OpenAPI description.
fn api_routes() -> OpenApiRouter<App> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(crate::auth::web::api())
        .merge(crate::org::web::api())
        .merge(crate::users::web::api())
        .merge(crate::enterprises::web::api())
        .merge(crate::enterprises::transfer_web::api())
        .merge(crate::contacts::web::api())
        .merge(crate::indicators::web::api())
        .merge(crate::engagements::web::api())
        .merge(crate::attachments::web::api())
        .merge(crate::demands::figures_web::api())
        .merge(crate::demands::api::api())
        .merge(crate::notifications::web::api())
        .merge(crate::jobs::web::api())
        .merge(crate::search::web::api())
        .merge(crate::glossary::web::api())
        .merge(crate::problems::web::api())
        .merge(crate::plans::api::api())
        .merge(crate::plans::book_web::api())
        .merge(audit::api())
}

/// The OpenAPI 3 document, generated from the route annotations.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api_routes().split_for_parts().1
}

pub fn router(app: App) -> Router {
    let (api, openapi) = api_routes().split_for_parts();
    let openapi_json = Arc::new(openapi.to_pretty_json().unwrap_or_default());
    let features = Router::new()
        .merge(home::pages())
        .merge(crate::auth::web::pages())
        .merge(crate::org::web::pages())
        .merge(crate::users::web::pages())
        .merge(crate::enterprises::transfer_web::pages())
        .merge(crate::enterprises::web::pages())
        .merge(crate::contacts::web::pages())
        .merge(crate::indicators::web::pages())
        .merge(crate::engagements::web::pages())
        .merge(crate::attachments::web::pages())
        .merge(crate::demands::figures_web::pages())
        .merge(crate::demands::pages::pages())
        .merge(crate::calendar::web::pages())
        .merge(crate::demands::settings_pages::pages())
        .merge(crate::notifications::web::pages())
        .merge(crate::jobs::web::pages())
        .merge(crate::search::web::pages())
        .merge(crate::glossary::web::pages())
        .merge(crate::problems::web::pages())
        .merge(crate::plans::web::pages())
        .merge(crate::plans::book_web::pages())
        .merge(crate::plans::edit_web::pages())
        .merge(audit::pages())
        .merge(api)
        // Attachments and imported files are the largest bodies; a little
        // room over the file limit is for the multipart framing.
        .layer(axum::extract::DefaultBodyLimit::max(
            (app.config.attachments.max_file_mb as usize + 1) * 1024 * 1024,
        ))
        .fallback(|| async { Error::NotFound })
        .method_not_allowed_fallback(|| async { Error::MethodNotAllowed })
        .layer(from_fn_with_state(app.clone(), context::layer));
    let trace = TraceLayer::new_for_http()
        .make_span_with(|req: &Request<_>| {
            let id = req.extensions().get::<RequestId>().and_then(|id| id.header_value().to_str().ok());
            // The path only: query strings may carry secrets.
            tracing::info_span!("request", id = id.unwrap_or("-"), method = %req.method(), path = req.uri().path())
        })
        .on_request(())
        .on_response(|res: &Response, latency: Duration, _: &tracing::Span| {
            tracing::info!(status = res.status().as_u16(), latency_ms = latency.as_millis() as u64, "response");
        });
    Router::new()
        .merge(features)
        .route(
            "/api/openapi.json",
            get(move || serve_json(openapi_json.clone())),
        )
        .route("/static/app.css", get(stylesheet))
        .route("/static/richtext.js", get(richtext_editor))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(trace)
                .layer(PropagateRequestIdLayer::x_request_id()),
        )
        .with_state(app)
}

async fn serve_json(body: Arc<String>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        body.as_str().to_owned(),
    )
        .into_response()
}

/// A file built into the binary, cached by browsers for an hour.
fn static_file(body: &'static str, content_type: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

async fn stylesheet() -> Response {
    static_file(
        include_str!("../../static/app.css"),
        "text/css; charset=utf-8",
    )
}

async fn richtext_editor() -> Response {
    static_file(
        include_str!("../../static/richtext.js"),
        "text/javascript; charset=utf-8",
    )
}

async fn readyz(State(app): State<App>) -> Response {
    if app.db.is_ready().await {
        (StatusCode::OK, "ready").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
    }
}
