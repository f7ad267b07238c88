//! What a task works on: common problems, demands and enterprises (and,
//! once they exist, investment projects). The linked items' pages show the
//! tasks back, to those who may read plans.

use serde::Serialize;

use super::model::Task;
use super::store;
use crate::app::App;
use crate::auth::permission::allows;
use crate::auth::{Action, Actor, authorize};
use crate::db::{Conn, events};
use crate::error::{Code, Error, Result};

crate::text_enum!("task-link",
    pub enum Target {
        CommonProblem => "common_problem",
        Demand => "demand",
        Enterprise => "enterprise",
    }
);

impl Target {
    /// The page of a linked item.
    pub fn href(self, id: i64) -> String {
        match self {
            Target::CommonProblem => format!("/common-problems/{id}"),
            Target::Demand => format!("/demands/{id}"),
            Target::Enterprise => format!("/enterprises/{id}"),
        }
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Link {
    pub task_id: i64,
    #[schema(value_type = String)]
    pub target_type: Target,
    pub target_id: i64,
}

pub async fn of_task(conn: &mut Conn, task_id: i64) -> sqlx::Result<Vec<Link>> {
    sqlx::query_as(
        "SELECT task_id, target_type, target_id FROM task_links WHERE task_id = $1 \
         ORDER BY target_type, target_id",
    )
    .bind(task_id)
    .fetch_all(&mut *conn)
    .await
}

async fn exists(conn: &mut Conn, target: Target, id: i64) -> sqlx::Result<bool> {
    Ok(match target {
        Target::CommonProblem => crate::problems::store::get(conn, id).await?.is_some(),
        Target::Demand => crate::demands::store::get(conn, id).await?.is_some(),
        Target::Enterprise => crate::enterprises::store::get(conn, id).await?.is_some(),
    })
}

/// Links a task to an item, or takes the link away.
pub async fn set(
    app: &App,
    actor: &Actor,
    task_id: i64,
    target: Target,
    target_id: i64,
    linked: bool,
) -> Result<Link> {
    authorize(actor, Action::ManagePlans)?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let task = store::task(&mut tx, task_id)
        .await?
        .ok_or(Error::NotFound)?;
    super::service::open_plan(&mut tx, task.plan_id).await?;
    if !exists(&mut tx, target, target_id).await? {
        return Err(Error::field("target_id", Code::LinkTargetNotFound));
    }
    let sql = if linked {
        "INSERT INTO task_links (task_id, target_type, target_id) VALUES ($1, $2, $3) \
         ON CONFLICT (task_id, target_type, target_id) DO NOTHING"
    } else {
        "DELETE FROM task_links WHERE task_id = $1 AND target_type = $2 AND target_id = $3"
    };
    sqlx::query(sql)
        .bind(task_id)
        .bind(target)
        .bind(target_id)
        .execute(&mut *tx)
        .await?;
    let link = Link {
        task_id,
        target_type: target,
        target_id,
    };
    events::record(
        &mut tx,
        actor,
        now,
        super::tasks::task_entity(task_id),
        if linked { "link" } else { "unlink" },
        None::<&()>,
        Some(&link),
    )
    .await?;
    tx.commit().await?;
    Ok(link)
}

/// The tasks that work on an item, for those who may read plans (nobody
/// else learns of them).
pub async fn tasks_on(app: &App, actor: &Actor, target: Target, id: i64) -> Result<Vec<Task>> {
    if !allows(actor, Action::ViewPlans) {
        return Ok(Vec::new());
    }
    let mut conn = app.db.pool().acquire().await?;
    let ids: Vec<(i64,)> = sqlx::query_as(
        "SELECT task_id FROM task_links WHERE target_type = $1 AND target_id = $2 ORDER BY task_id",
    )
    .bind(target)
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let mut tasks = Vec::new();
    for (task_id,) in ids {
        if let Some(t) = store::task(&mut conn, task_id).await? {
            tasks.push(t);
        }
    }
    Ok(tasks)
}
