//! How progress rolls up and how a task's status is decided.
//!
//! **Progress.** A task without sub-tasks has the percent of its lead
//! unit's latest progress report (0 before the first). A task with
//! sub-tasks has the weighted average of its sub-tasks' progress, each
//! counting by its weight (Decidim's accountability rule); a goal has the
//! weighted average of its top-level tasks, and a plan the plain average of
//! its goals. All of it is recomputed on every change.
//!
//! **Status**, on a given city day:
//! - *done* when progress reaches 100;
//! - *late* when the due day has passed and it is not done;
//! - *not started* before its start day while nothing is reported;
//! - *at risk* when a milestone's day has passed undone, or when progress
//!   trails the share of its period already spent by more than
//!   [`AT_RISK_GAP`] points (half the time gone, under a quarter done);
//! - *on track* otherwise.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::model::TaskStatus;

/// Points by which progress may trail the time spent before a task is at risk.
pub const AT_RISK_GAP: f64 = 25.0;

/// What the rule needs of one task.
#[derive(Debug, Clone)]
pub struct Node {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub weight: f64,
    /// The reported percent (used when the task has no sub-tasks).
    pub reported: f64,
    pub starts_on: NaiveDate,
    pub due_on: NaiveDate,
    /// Days of its milestones not done yet.
    pub open_milestones: Vec<NaiveDate>,
}

/// A task's computed standing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Standing {
    pub progress: f64,
    pub status: TaskStatus,
}

/// The weighted average of `(progress, weight)`; equal weights when they
/// sum to nothing.
pub fn weighted(parts: &[(f64, f64)]) -> f64 {
    if parts.is_empty() {
        return 0.0;
    }
    let total: f64 = parts.iter().map(|&(_, w)| w.max(0.0)).sum();
    let value = if total > 0.0 {
        parts.iter().map(|&(p, w)| p * w.max(0.0)).sum::<f64>() / total
    } else {
        parts.iter().map(|&(p, _)| p).sum::<f64>() / parts.len() as f64
    };
    // One decimal is all anyone reads; it also keeps 99.99999 from
    // passing for unfinished.
    (value * 10.0).round() / 10.0
}

pub fn status(node: &Node, progress: f64, today: NaiveDate) -> TaskStatus {
    if progress >= 100.0 {
        return TaskStatus::Done;
    }
    if today > node.due_on {
        return TaskStatus::Late;
    }
    if today < node.starts_on && progress <= 0.0 {
        return TaskStatus::NotStarted;
    }
    if node.open_milestones.iter().any(|&d| d < today) {
        return TaskStatus::AtRisk;
    }
    let period = (node.due_on - node.starts_on).num_days().max(1) as f64;
    let spent = (today - node.starts_on).num_days().clamp(0, period as i64) as f64;
    if spent / period * 100.0 - progress > AT_RISK_GAP {
        TaskStatus::AtRisk
    } else {
        TaskStatus::OnTrack
    }
}

/// Every task's standing and the goal's progress (from its top-level tasks).
pub fn roll_up(nodes: &[Node], today: NaiveDate) -> (HashMap<i64, Standing>, f64) {
    let mut children: HashMap<Option<i64>, Vec<&Node>> = HashMap::new();
    for n in nodes {
        children.entry(n.parent_id).or_default().push(n);
    }
    let mut out = HashMap::new();
    fn visit(
        node: &Node,
        children: &HashMap<Option<i64>, Vec<&Node>>,
        today: NaiveDate,
        out: &mut HashMap<i64, Standing>,
    ) -> f64 {
        let progress = match children.get(&Some(node.id)) {
            Some(kids) if !kids.is_empty() => {
                let parts: Vec<(f64, f64)> = kids
                    .iter()
                    .map(|k| (visit(k, children, today, out), k.weight))
                    .collect();
                weighted(&parts)
            }
            _ => node.reported.clamp(0.0, 100.0),
        };
        out.insert(
            node.id,
            Standing {
                progress,
                status: status(node, progress, today),
            },
        );
        progress
    }
    let top: Vec<(f64, f64)> = children
        .get(&None)
        .map(|list| {
            list.iter()
                .map(|n| (visit(n, &children, today, &mut out), n.weight))
                .collect()
        })
        .unwrap_or_default();
    (out, weighted(&top))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn node(id: i64, parent: Option<i64>, weight: f64, reported: f64) -> Node {
        Node {
            id,
            parent_id: parent,
            weight,
            reported,
            starts_on: day("2026-01-01"),
            due_on: day("2026-12-31"),
            open_milestones: Vec::new(),
        }
    }

    #[test]
    fn a_parent_is_the_weighted_average_of_its_children() {
        // 1 ─┬─ 2 (weight 3, 40%)
        //    └─ 3 (weight 1, 100%)      4 (weight 1, 0%)
        let nodes = vec![
            node(1, None, 2.0, 0.0),
            node(2, Some(1), 3.0, 40.0),
            node(3, Some(1), 1.0, 100.0),
            node(4, None, 1.0, 0.0),
        ];
        let (standing, goal) = roll_up(&nodes, day("2026-03-01"));
        assert_eq!(standing[&1].progress, 55.0); // (3×40 + 1×100) / 4
        assert_eq!(standing[&3].status, TaskStatus::Done);
        // The goal: (2×55 + 1×0) / 3 = 36.67, one decimal.
        assert_eq!(goal, 36.7);
    }

    #[test]
    fn status_follows_dates_reports_and_milestones() {
        let mut n = node(1, None, 1.0, 0.0);
        n.starts_on = day("2026-03-01");
        n.due_on = day("2026-06-30");
        assert_eq!(status(&n, 0.0, day("2026-02-01")), TaskStatus::NotStarted);
        assert_eq!(status(&n, 10.0, day("2026-03-20")), TaskStatus::OnTrack);
        // Half the period gone, 20% done: more than 25 points behind.
        assert_eq!(status(&n, 20.0, day("2026-05-01")), TaskStatus::AtRisk);
        assert_eq!(status(&n, 30.0, day("2026-05-01")), TaskStatus::OnTrack);
        assert_eq!(status(&n, 99.0, day("2026-07-01")), TaskStatus::Late);
        assert_eq!(status(&n, 100.0, day("2026-07-01")), TaskStatus::Done);
        n.open_milestones = vec![day("2026-04-15")];
        assert_eq!(status(&n, 60.0, day("2026-04-16")), TaskStatus::AtRisk);
        assert_eq!(status(&n, 60.0, day("2026-04-15")), TaskStatus::OnTrack);
    }

    #[test]
    fn zero_weights_count_equally() {
        assert_eq!(weighted(&[(50.0, 0.0), (100.0, 0.0)]), 75.0);
        assert_eq!(weighted(&[]), 0.0);
    }
}
