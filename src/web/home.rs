//! The home page: real counts, chosen by what the actor may see.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use crate::app::App;
use crate::auth::permission::{Action, allows};
use crate::error::Result;
use crate::web::context::Ctx;
use crate::web::page::{Page, render};
use crate::{enterprises, jobs, org, users};

pub fn pages() -> Router<App> {
    Router::new().route("/", get(home))
}

pub struct Count {
    pub label: String,
    pub value: i64,
    pub href: Option<String>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    page: Page,
    counts: Vec<Count>,
    enterprise_name: Option<String>,
}

async fn home(State(app): State<App>, Ctx(ctx): Ctx) -> Result<Response> {
    let actor = ctx.actor()?;
    let page = Page::new(&app, &ctx, "home-title");
    let mut counts = Vec::new();
    let mut enterprise_name = None;
    if let Some(id) = actor
        .enterprise_id
        .filter(|_| actor.is(crate::auth::Role::Enterprise))
    {
        enterprise_name = Some(
            enterprises::service::get(&app, actor, id)
                .await?
                .name(ctx.locale)
                .to_string(),
        );
    } else {
        let n = enterprises::service::count(&app, actor).await?;
        counts.push(Count {
            label: page.t("home-count-enterprises"),
            value: n,
            href: Some("/enterprises".into()),
        });
    }
    if allows(actor, Action::ViewOrganisation) {
        let n = org::service::count_active(&app, actor).await?;
        counts.push(Count {
            label: page.t("home-count-departments"),
            value: n,
            href: Some("/departments".into()),
        });
    }
    if allows(actor, Action::ListUsers) {
        for (role, n) in users::service::count_by_role(&app, actor).await? {
            let label = page.t(&format!("role-{role}"));
            counts.push(Count {
                label,
                value: n,
                href: Some(format!("/users?role={role}")),
            });
        }
    }
    if allows(actor, Action::ViewJobs) {
        for (state, n) in jobs::queue::counts(&app, actor).await? {
            let label = page.t(&format!("job-state-{}", state.as_str()));
            counts.push(Count {
                label,
                value: n,
                href: Some(format!("/admin/jobs?state={}", state.as_str())),
            });
        }
    }
    Ok(render(&HomePage {
        page,
        counts,
        enterprise_name,
    }))
}
