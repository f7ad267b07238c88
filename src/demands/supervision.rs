//! Supervision (督办): a periodic job flags demands due soon, due today and
//! overdue, notifies the lead department, escalates demands overdue for
//! `demands.escalate_after_days` working days to the leaders, and closes
//! replies nobody rated in time. Each notice is claimed in
//! `supervision_notices` (one per demand, level and deadline) in the same
//! transaction as its notifications and event, so it goes out exactly once
//! however many instances run the job.

use serde::{Deserialize, Serialize};

use crate::app::App;
use crate::auth::Actor;
use crate::db::events;
use crate::demands::model::{Demand, parse_date_text};
use crate::demands::service::entity;
use crate::demands::store;
use crate::demands::workflow::{DueStatus, close_unrated, due_status};
use crate::jobs::Job;
use crate::notifications::model::{Kind, Recipients};

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct SuperviseDemands {}

impl Job for SuperviseDemands {
    const KIND: &'static str = "supervise_demands";

    async fn run(&self, app: &App) -> anyhow::Result<()> {
        close_unrated(app).await.map_err(anyhow::Error::from)?;
        supervise(app).await?;
        crate::plans::supervision::supervise(app).await?;
        fill_handling_days(app).await?;
        Ok(())
    }
}

/// Demands replied before the figures kept their working days get them,
/// a batch per run (a no-op once all have them).
async fn fill_handling_days(app: &App) -> anyhow::Result<()> {
    let (missing, calendar) = {
        let mut conn = app.db.pool().acquire().await?;
        let missing = store::without_handling_days(&mut conn, 1000).await?;
        if missing.is_empty() {
            return Ok(());
        }
        (missing, crate::calendar::service::load(&mut conn).await?)
    };
    // Writing a derived figure, not a change anyone made: no event.
    let mut tx = app.db.begin().await?;
    for d in missing {
        if let Some(days) = crate::demands::figures::Facts::of(&d, &calendar).handling_days {
            store::set_handling_days(&mut tx, d.id, days).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// The notice a demand's deadline calls for today, if any.
fn notice_for(
    status: DueStatus,
    overdue_days: u32,
    escalate_after: u32,
) -> Option<(&'static str, Kind)> {
    match status {
        DueStatus::OnTime => None,
        DueStatus::DueSoon | DueStatus::Due => Some(("due_soon", Kind::DueSoon)),
        DueStatus::Overdue if overdue_days >= escalate_after => {
            Some(("escalated", Kind::Escalated))
        }
        DueStatus::Overdue => Some(("overdue", Kind::Overdue)),
    }
}

/// Sends today's supervision notices; returns how many went out.
pub async fn supervise(app: &App) -> anyhow::Result<usize> {
    let system = Actor::system();
    let today = app.now().local_date();
    let soon = app.config.demands.due_soon_days;
    let escalate_after = app.config.demands.escalate_after_days;
    let (calendar, due) = {
        let mut conn = app.db.pool().acquire().await?;
        let calendar = crate::calendar::service::load(&mut conn).await?;
        let until = calendar
            .add_working_days(today, soon)
            .format("%Y-%m-%d")
            .to_string();
        (calendar, store::due_by(&mut conn, &until).await?)
    };
    let mut sent = 0;
    for demand in due {
        let Some(status) = due_status(demand.deadlines(), &calendar, today, soon) else {
            continue;
        };
        let deadline = deadline_of(&demand);
        let overdue_days = parse_date_text(&deadline)
            .map(|d| calendar.working_days_between(d, today))
            .unwrap_or(0);
        let Some((level, kind)) = notice_for(status, overdue_days, escalate_after) else {
            continue;
        };
        let mut tx = app.db.begin().await?;
        // The state may have moved on since the list was read.
        let Some(current) = store::get_for_update(&mut tx, demand.id).await? else {
            continue;
        };
        if current.state != demand.state || deadline_of(&current) != deadline {
            continue;
        }
        let now = app.now();
        if !store::claim_notice(&mut tx, demand.id, level, &deadline, now).await? {
            continue;
        }
        let to = if kind == Kind::Escalated {
            Recipients::Leaders
        } else {
            Recipients::Departments(current.lead_department_id.into_iter().collect())
        };
        crate::notifications::service::send(
            app,
            &mut tx,
            &to,
            kind,
            ("demand", demand.id),
            &demand.title,
            now,
        )
        .await
        .map_err(anyhow::Error::from)?;
        if status == DueStatus::Overdue {
            store::mark_supervised(&mut tx, demand.id, now).await?;
        }
        let notice = serde_json::json!({"level": level, "deadline": deadline});
        events::record(
            &mut tx,
            &system,
            now,
            entity(demand.id),
            "supervise",
            None::<&()>,
            Some(&notice),
        )
        .await?;
        tx.commit().await?;
        sent += 1;
    }
    Ok(sent)
}

/// The deadline that runs now: signing for, or the reply.
fn deadline_of(d: &Demand) -> String {
    d.deadlines().current().unwrap_or_default().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overdue_demands_escalate_after_the_configured_working_days() {
        assert_eq!(notice_for(DueStatus::OnTime, 0, 2), None);
        assert_eq!(
            notice_for(DueStatus::Due, 0, 2).map(|n| n.0),
            Some("due_soon")
        );
        assert_eq!(
            notice_for(DueStatus::Overdue, 1, 2).map(|n| n.0),
            Some("overdue")
        );
        assert_eq!(
            notice_for(DueStatus::Overdue, 2, 2).map(|n| n.0),
            Some("escalated")
        );
    }
}
