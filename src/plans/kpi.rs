//! Where a KPI's current value comes from, and how far it has come.
//!
//! A KPI is typed in (its values carry who entered them, when and from
//! what source) or fed from Liaison's own records, counted city-wide over
//! the KPI's period (baseline day to today) whenever it is read. A fed
//! KPI's history is the daily value supervision records ([`snapshot`]):
//! the records it is counted from change, so yesterday's figure cannot be
//! recounted today.

use chrono::NaiveDate;

use super::model::{Kpi, KpiValue};
use super::store;
use crate::auth::Actor;
use crate::auth::permission::DemandScope;
use crate::db::{Conn, Timestamp, events};
use crate::demands::figures::GroupBy;
use crate::demands::model::{date_text, parse_date_text};
use crate::error::Result;

crate::text_enum!("kpi-source",
    pub enum Source {
        Manual => "manual",
        /// Satisfied ratings among rated demands, percent.
        DemandSatisfaction => "demand_satisfaction",
        /// Replies within their deadline among replied demands, percent.
        DemandOnTimeReply => "demand_on_time_reply",
        /// Distinct enterprises visited or met at symposiums.
        EnterprisesVisited => "enterprises_visited",
    }
);

impl Source {
    pub fn is_fed(self) -> bool {
        self != Source::Manual
    }
}

/// A KPI's value now: the latest entered, or the fed figure.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct Current {
    pub value: f64,
    /// The day the value stands for.
    pub on: String,
}

/// Percent of the way from baseline to target (0-100), in whichever
/// direction is better; `None` without a value or with target = baseline.
pub fn progress(kpi: &Kpi, current: Option<f64>) -> Option<f64> {
    let current = current?;
    let baseline: f64 = kpi.baseline.parse().ok()?;
    let target: f64 = kpi.target.parse().ok()?;
    let span = target - baseline;
    if span == 0.0 {
        return None;
    }
    // The direction is checked against baseline and target when the KPI
    // is set, so the way from one to the other is the better way.
    let share = (current - baseline) / span * 100.0;
    Some((share.clamp(0.0, 100.0) * 10.0).round() / 10.0)
}

/// The latest typed value.
pub fn latest(values: &[KpiValue]) -> Option<Current> {
    values
        .iter()
        .max_by(|a, b| a.observed_on.cmp(&b.observed_on).then(a.id.cmp(&b.id)))
        .and_then(|v| {
            Some(Current {
                value: v.value.parse().ok()?,
                on: v.observed_on.clone(),
            })
        })
}

/// A fed KPI's value from the records, over its baseline day to `today`;
/// a count of enterprises only of those with `tag`, when given.
pub async fn fed(
    conn: &mut Conn,
    source: Source,
    tag: Option<i64>,
    from: NaiveDate,
    today: NaiveDate,
) -> sqlx::Result<Option<f64>> {
    let rate = |counts: Vec<(String, crate::demands::figures::Counts)>| {
        let mut all = crate::demands::figures::Counts::default();
        for (_, c) in &counts {
            all.merge(c);
        }
        all.figures()
    };
    Ok(match source {
        Source::Manual => None,
        Source::DemandSatisfaction | Source::DemandOnTimeReply => {
            let counts = crate::demands::tally::figure_counts(
                conn,
                DemandScope::All,
                from,
                today,
                today,
                GroupBy::Department,
            )
            .await?;
            let figures = rate(counts);
            let r = if source == Source::DemandSatisfaction {
                figures.satisfaction
            } else {
                figures.on_time_reply
            };
            r.percent()
        }
        Source::EnterprisesVisited => {
            let (n,): (i64,) = sqlx::query_as(
                "SELECT COUNT(DISTINCT ee.enterprise_id) FROM engagement_enterprises ee \
                 JOIN engagements e ON e.id = ee.engagement_id \
                 WHERE e.held_on >= $1 AND e.held_on <= $2 \
                 AND ($3 IS NULL OR EXISTS (SELECT 1 FROM enterprise_tags t \
                      WHERE t.enterprise_id = ee.enterprise_id AND t.tag_id = $3))",
            )
            .bind(date_text(from))
            .bind(date_text(today))
            .bind(tag)
            .fetch_one(&mut *conn)
            .await?;
            Some(n as f64)
        }
    })
}

/// Records today's value of each fed KPI of a plan, once a day: the
/// caller holds the plan's row lock, so two instances cannot both write
/// it. Returns how many values were recorded.
pub async fn snapshot(conn: &mut Conn, plan_id: i64, now: Timestamp) -> Result<usize> {
    let today = now.local_date();
    let day = date_text(today);
    let goals: Vec<i64> = store::goals(conn, plan_id)
        .await?
        .iter()
        .map(|g| g.id)
        .collect();
    let mut recorded = 0;
    for kpi in store::kpis(conn, &goals).await? {
        let Some(source) = Source::parse(&kpi.source).filter(|s| s.is_fed()) else {
            continue;
        };
        if store::has_value_on(conn, kpi.id, &day).await? {
            continue;
        }
        let from = parse_date_text(&kpi.baseline_on).unwrap_or(today);
        let Some(value) = fed(conn, source, kpi.tag_id, from, today).await? else {
            continue;
        };
        let value = format!("{}", (value * 10.0).round() / 10.0);
        let saved = store::insert_kpi_value(conn, kpi.id, &value, &day, None, None, now).await?;
        events::record(
            conn,
            &Actor::system(),
            now,
            super::service::kpi_entity(kpi.id),
            "record_value",
            None::<&()>,
            Some(&saved),
        )
        .await?;
        recorded += 1;
    }
    Ok(recorded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plans::model::Direction;

    fn kpi(baseline: &str, target: &str, direction: Direction) -> Kpi {
        Kpi {
            id: 1,
            goal_id: 1,
            name: "k".into(),
            unit: "%".into(),
            direction,
            source: "manual".into(),
            tag_id: None,
            baseline: baseline.into(),
            baseline_on: "2025-01-01".into(),
            target: target.into(),
            target_on: "2027-12-31".into(),
            created_at: crate::db::Timestamp(chrono::DateTime::UNIX_EPOCH),
            updated_at: crate::db::Timestamp(chrono::DateTime::UNIX_EPOCH),
        }
    }

    #[test]
    fn progress_runs_from_baseline_to_target_either_way() {
        let up = kpi("80", "95", Direction::Higher);
        assert_eq!(progress(&up, Some(86.0)), Some(40.0));
        assert_eq!(progress(&up, Some(70.0)), Some(0.0));
        assert_eq!(progress(&up, Some(99.0)), Some(100.0));
        assert_eq!(progress(&up, None), None);
        // Fewer working days to approve: lower is better.
        let down = kpi("20", "5", Direction::Lower);
        assert_eq!(progress(&down, Some(14.0)), Some(40.0));
        assert_eq!(progress(&kpi("5", "5", Direction::Higher), Some(5.0)), None);
    }
}
