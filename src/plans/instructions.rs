//! Leaders' instructions (批示) on a plan, a goal or a task: kept with it,
//! shown on its page, recorded as an event and sent to those who must act
//! (a task's lead and co-units; for a plan or goal, the coordinators).

use serde::Serialize;

use super::store;
use crate::app::App;
use crate::auth::{Action, Actor, authorize};
use crate::db::events::{self, Entity};
use crate::db::{Conn, Timestamp};
use crate::error::{Code, Error, FieldError, Problems, Result};
use crate::notifications::model::{Kind, Recipients};

/// What an instruction is given on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Plan(i64),
    Goal(i64),
    Task(i64),
}

impl Subject {
    pub fn entity(self) -> Entity {
        match self {
            Subject::Plan(id) => super::service::plan_entity(id),
            Subject::Goal(id) => super::service::goal_entity(id),
            Subject::Task(id) => super::tasks::task_entity(id),
        }
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Instruction {
    pub id: i64,
    pub entity_type: String,
    pub entity_id: i64,
    pub body: String,
    pub author_id: Option<i64>,
    #[sqlx(default)]
    pub author_name: Option<String>,
    #[schema(value_type = String)]
    pub created_at: Timestamp,
}

pub async fn of(conn: &mut Conn, subject: Subject) -> sqlx::Result<Vec<Instruction>> {
    let e = subject.entity();
    sqlx::query_as(
        "SELECT i.id, i.entity_type, i.entity_id, i.body, i.author_id, \
         u.display_name AS author_name, i.created_at \
         FROM plan_instructions i LEFT JOIN users u ON u.id = i.author_id \
         WHERE i.entity_type = $1 AND i.entity_id = $2 ORDER BY i.id",
    )
    .bind(e.kind)
    .bind(e.id)
    .fetch_all(&mut *conn)
    .await
}

pub async fn give(app: &App, actor: &Actor, subject: Subject, body: &str) -> Result<Instruction> {
    authorize(actor, Action::InstructOnPlans)?;
    let mut p = Problems::default();
    let body = crate::fields::text(&mut p, "body", Some(body), 5000);
    if body.is_none() {
        p.add(FieldError::new("body", Code::Required));
    }
    p.finish()?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let (title, to) = match subject {
        Subject::Plan(id) => {
            let plan = store::plan(&mut tx, id).await?.ok_or(Error::NotFound)?;
            (plan.title, Recipients::Coordinators)
        }
        Subject::Goal(id) => {
            let goal = store::goal(&mut tx, id).await?.ok_or(Error::NotFound)?;
            (goal.title, Recipients::Coordinators)
        }
        Subject::Task(id) => {
            let task = store::task(&mut tx, id).await?.ok_or(Error::NotFound)?;
            let mut units = vec![task.lead_department_id];
            units.extend(
                store::co_units(&mut tx, &[id])
                    .await?
                    .into_iter()
                    .map(|(_, d)| d),
            );
            (task.title, Recipients::Departments(units))
        }
    };
    let e = subject.entity();
    let saved: Instruction = sqlx::query_as(
        "INSERT INTO plan_instructions (entity_type, entity_id, body, author_id, created_at) \
         VALUES ($1, $2, $3, $4, $5) \
         RETURNING id, entity_type, entity_id, body, author_id, created_at",
    )
    .bind(e.kind)
    .bind(e.id)
    .bind(body.as_deref())
    .bind(actor.user_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    events::record(
        &mut tx,
        actor,
        now,
        e,
        "instruct",
        None::<&()>,
        Some(&saved),
    )
    .await?;
    crate::notifications::service::send(
        app,
        &mut tx,
        &to,
        Kind::Instruction,
        (e.kind, e.id),
        &title,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(saved)
}
