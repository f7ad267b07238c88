//! Supervision (督办) of tasks, run by the same periodic job as demands'
//! and with the same exactly-once rule: every live plan is rolled up to
//! today (so tasks turn late on their own) and its fed KPIs' values are
//! recorded for the day, and each task due within
//! `demands.due_soon_days` working days, or past due, gets one notice to
//! its lead unit per level and due day, claimed in `task_notices` in the
//! transaction that sends it.

use super::model::{PlanStatus, TaskStatus};
use super::store;
use super::tasks::{roll, task_entity};
use crate::app::App;
use crate::auth::Actor;
use crate::db::events;
use crate::demands::model::{date_text, parse_date_text};
use crate::notifications::model::{Kind, Recipients};

/// Rolls every live plan up to today, then sends the notices due; returns
/// how many went out.
pub async fn supervise(app: &App) -> anyhow::Result<usize> {
    let today = app.now().local_date();
    let plans = {
        let mut conn = app.db.pool().acquire().await?;
        store::live_plans(&mut conn).await?
    };
    for plan_id in plans {
        let mut tx = app.db.begin().await?;
        let Some(plan) = store::plan_for_update(&mut tx, plan_id).await? else {
            continue;
        };
        // Closed since the list was read: left as it was closed.
        if matches!(plan.status, PlanStatus::Approved | PlanStatus::InForce) {
            roll(&mut tx, plan_id, today).await?;
            super::kpi::snapshot(&mut tx, plan_id, app.now()).await?;
        }
        tx.commit().await?;
    }
    let due = {
        let mut conn = app.db.pool().acquire().await?;
        let calendar = crate::calendar::service::load(&mut conn).await?;
        let until = calendar.add_working_days(today, app.config.demands.due_soon_days);
        store::due_by(&mut conn, &date_text(until)).await?
    };
    let system = Actor::system();
    let mut sent = 0;
    for task in due {
        let Some(due_on) = parse_date_text(&task.due_on) else {
            continue;
        };
        let (level, kind) = if due_on < today {
            ("overdue", Kind::Overdue)
        } else {
            ("due_soon", Kind::DueSoon)
        };
        let now = app.now();
        let mut tx = app.db.begin().await?;
        // Done or moved since the list was read: nothing to say.
        let Some(current) = store::task(&mut tx, task.id).await? else {
            continue;
        };
        if current.status == TaskStatus::Done || current.due_on != task.due_on {
            continue;
        }
        if !store::claim_notice(&mut tx, task.id, level, &task.due_on, now).await? {
            continue;
        }
        crate::notifications::service::send(
            app,
            &mut tx,
            &Recipients::Departments(vec![current.lead_department_id]),
            kind,
            ("plan_task", task.id),
            &current.title,
            now,
        )
        .await
        .map_err(anyhow::Error::from)?;
        events::record(
            &mut tx,
            &system,
            now,
            task_entity(task.id),
            "supervise",
            None::<&()>,
            Some(&serde_json::json!({"level": level, "due_on": task.due_on})),
        )
        .await?;
        tx.commit().await?;
        sent += 1;
    }
    Ok(sent)
}
