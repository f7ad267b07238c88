//! The figures everyone is judged by (SPEC section 5), computed from
//! demands as they stand on a day. The formulas are written out in
//! `docs/METRICS.md`; each is unit-tested against a hand count.

use chrono::NaiveDate;
use serde::Serialize;

use crate::calendar::Calendar;
use crate::demands::model::{Demand, Outcome, Rating, State};

/// A rate as counted: `part` of `whole` (no rate when `whole` is 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Rate {
    pub part: u64,
    pub whole: u64,
}

impl Rate {
    fn of(part: usize, whole: usize) -> Rate {
        Rate {
            part: part as u64,
            whole: whole as u64,
        }
    }

    /// Percent with one decimal, or `None` when nothing was counted.
    pub fn percent(self) -> Option<f64> {
        (self.whole > 0).then(|| (self.part as f64 * 1000.0 / self.whole as f64).round() / 10.0)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Figures {
    /// Demands counted (all states).
    pub demands: u64,
    pub response: Rate,
    pub on_time_reply: Rate,
    pub resolution: Rate,
    pub satisfaction: Rate,
    pub returned: Rate,
    pub reopened: Rate,
    /// Working days from assignment to reply, of replied demands.
    pub median_days: Option<f64>,
    pub p90_days: Option<u32>,
}

impl Figures {
    /// The six rates in the order the figures table shows them.
    pub fn rates(&self) -> Vec<Rate> {
        vec![
            self.response,
            self.on_time_reply,
            self.resolution,
            self.satisfaction,
            self.returned,
            self.reopened,
        ]
    }
}

fn date(s: Option<&str>) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s?, "%Y-%m-%d").ok()
}

/// The figures of `demands` on `today`.
pub fn compute(demands: &[Demand], calendar: &Calendar, today: NaiveDate) -> Figures {
    let assigned: Vec<&Demand> = demands.iter().filter(|d| d.assigned_at.is_some()).collect();

    // Response: of assigned demands whose sign-for deadline has passed,
    // those signed for by the end of that day.
    let response_due: Vec<(&Demand, NaiveDate)> = assigned
        .iter()
        .filter_map(|d| date(d.sign_for_due.as_deref()).map(|due| (*d, due)))
        .filter(|(_, due)| *due < today)
        .collect();
    let responded = response_due
        .iter()
        .filter(|(d, due)| d.signed_at.is_some_and(|s| s.local_date() <= *due))
        .count();

    // On time: of demands replied or whose reply deadline has passed, those
    // replied by the end of the deadline day.
    let reply_counted: Vec<(&Demand, Option<NaiveDate>)> = assigned
        .iter()
        .map(|d| (*d, date(d.reply_due.as_deref())))
        .filter(|(d, due)| d.replied_at.is_some() || due.is_some_and(|due| due < today))
        .collect();
    let on_time = reply_counted
        .iter()
        .filter(|(d, due)| match (d.replied_at, due) {
            (Some(at), Some(due)) => at.local_date() <= *due,
            _ => false,
        })
        .count();

    // Resolution: of closed demands that were answered, those resolved.
    let closed: Vec<&Demand> = demands
        .iter()
        .filter(|d| d.state == State::Closed && d.closure.is_some())
        .collect();
    let resolved = closed
        .iter()
        .filter(|d| d.outcome == Some(Outcome::Resolved))
        .count();

    // Satisfaction: of rated demands, satisfied or basically satisfied.
    let rated: Vec<&Demand> = demands.iter().filter(|d| d.rating.is_some()).collect();
    let satisfied = rated
        .iter()
        .filter(|d| d.rating != Some(Rating::Unsatisfied))
        .count();

    let returned = assigned.iter().filter(|d| d.return_count > 0).count();
    let replied: Vec<&Demand> = demands
        .iter()
        // A reopened demand's earlier reply counts even before it is answered again.
        .filter(|d| d.replied_at.is_some() || d.reopen_count > 0)
        .collect();
    let reopened = replied.iter().filter(|d| d.reopen_count > 0).count();

    let mut days: Vec<u32> = demands
        .iter()
        .filter_map(|d| match (d.assigned_at, d.replied_at) {
            (Some(a), Some(r)) => {
                Some(calendar.working_days_between(a.local_date(), r.local_date()))
            }
            _ => None,
        })
        .collect();
    days.sort_unstable();
    Figures {
        demands: demands.len() as u64,
        response: Rate::of(responded, response_due.len()),
        on_time_reply: Rate::of(on_time, reply_counted.len()),
        resolution: Rate::of(resolved, closed.len()),
        satisfaction: Rate::of(satisfied, rated.len()),
        returned: Rate::of(returned, assigned.len()),
        reopened: Rate::of(reopened, replied.len()),
        median_days: median(&days),
        p90_days: percentile(&days, 90),
    }
}

fn median(sorted: &[u32]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2] as f64),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) as f64 / 2.0),
    }
}

/// The nearest-rank percentile: the smallest value with at least `p` % of
/// the values at or below it.
fn percentile(sorted: &[u32], p: usize) -> Option<u32> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    Some(sorted[rank - 1])
}

/// A department's score for the ranking: the weighted mean of its response,
/// resolution and satisfaction rates (in percent), weights from settings.
/// Rates with nothing counted are left out and the weights renormalised.
pub fn score(f: &Figures, weights: [f64; 3]) -> Option<f64> {
    let parts = [f.response, f.resolution, f.satisfaction];
    let (sum, weight) = parts
        .iter()
        .zip(weights)
        .filter_map(|(r, w)| r.percent().map(|p| (p * w, w)))
        .fold((0.0, 0.0), |(s, tw), (v, w)| (s + v, tw + w));
    (weight > 0.0).then(|| (sum / weight * 10.0).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Timestamp;
    use crate::demands::model::Closure;

    fn at(s: &str) -> Option<Timestamp> {
        // Noon in the city, so the city date is the date written.
        Some(Timestamp::parse_db(&format!("{s}T04:00:00.000000Z")).unwrap())
    }

    fn demand(id: i64) -> Demand {
        Demand {
            id,
            enterprise_id: 1,
            contact_id: None,
            title: String::new(),
            body: String::new(),
            lang: "ja".into(),
            category_id: None,
            priority: crate::demands::model::Priority::Normal,
            source: crate::demands::model::Source::Portal,
            engagement_id: None,
            confidential_at: None,
            state: State::Submitted,
            lead_department_id: None,
            submitted_by: None,
            submitted_at: at("2026-11-02").unwrap(),
            accepted_at: None,
            rejected_at: None,
            reject_reason: None,
            assigned_at: None,
            sign_for_due: None,
            signed_at: None,
            signed_by: None,
            returned_at: None,
            return_reason: None,
            reply_due: None,
            paused_at: None,
            extension_requested_due: None,
            extension_reason: None,
            replied_at: None,
            replied_by: None,
            outcome: None,
            reply: None,
            reply_lang: None,
            policy_basis: None,
            feedback_due: None,
            rating: None,
            rating_reason: None,
            rated_at: None,
            closed_at: None,
            closure: None,
            close_note: None,
            reopen_count: 0,
            return_count: 0,
            merged_into: None,
            supervised_at: None,
            created_at: at("2026-11-02").unwrap(),
            updated_at: at("2026-11-02").unwrap(),
        }
    }

    /// Five demands, counted by hand on Friday 2026-11-20 (no holidays):
    /// A assigned Mon 11-02, signed 11-03 (due 11-03), replied 11-05 (due
    ///   11-05), resolved, rated satisfied → closed.
    /// B assigned 11-02, signed 11-04 (late; due 11-03), replied 11-12 (due
    ///   11-05, late), partly resolved, rated unsatisfied, reopened once,
    ///   replied again 11-12, closed by the coordinator.
    /// C assigned 11-16, signed 11-16 (due 11-17), in progress, reply due
    ///   11-19: overdue, not replied.
    /// D assigned 11-19, not signed, sign-for due 11-20 (today: not passed).
    /// E submitted, never assigned.
    fn five() -> Vec<Demand> {
        let mut a = demand(1);
        a.assigned_at = at("2026-11-02");
        a.sign_for_due = Some("2026-11-03".into());
        a.signed_at = at("2026-11-03");
        a.reply_due = Some("2026-11-05".into());
        a.replied_at = at("2026-11-05");
        a.outcome = Some(Outcome::Resolved);
        a.rating = Some(Rating::Satisfied);
        a.state = State::Closed;
        a.closure = Some(Closure::Rated);

        let mut b = demand(2);
        b.assigned_at = at("2026-11-02");
        b.sign_for_due = Some("2026-11-03".into());
        b.signed_at = at("2026-11-04");
        b.reply_due = Some("2026-11-05".into());
        b.replied_at = at("2026-11-12");
        b.outcome = Some(Outcome::PartlyResolved);
        b.rating = Some(Rating::Unsatisfied);
        b.reopen_count = 1;
        b.return_count = 1;
        b.state = State::Closed;
        b.closure = Some(Closure::ByCoordinator);

        let mut c = demand(3);
        c.assigned_at = at("2026-11-16");
        c.sign_for_due = Some("2026-11-17".into());
        c.signed_at = at("2026-11-16");
        c.reply_due = Some("2026-11-19".into());
        c.state = State::InProgress;

        let mut d = demand(4);
        d.assigned_at = at("2026-11-19");
        d.sign_for_due = Some("2026-11-20".into());
        d.reply_due = Some("2026-11-24".into());
        d.state = State::Assigned;

        vec![a, b, c, d, demand(5)]
    }

    #[test]
    fn each_figure_matches_the_hand_count() {
        let f = compute(
            &five(),
            &Calendar::default(),
            NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
        );
        assert_eq!(f.demands, 5);
        // Sign-for deadline passed: A, B, C (D's is today). On time: A, C.
        assert_eq!(f.response, Rate { part: 2, whole: 3 });
        // Replied or reply deadline passed: A, B, C. By the deadline: A.
        assert_eq!(f.on_time_reply, Rate { part: 1, whole: 3 });
        // Closed: A, B. Resolved: A.
        assert_eq!(f.resolution, Rate { part: 1, whole: 2 });
        // Rated: A, B. Satisfied or basically: A.
        assert_eq!(f.satisfaction, Rate { part: 1, whole: 2 });
        // Assigned: A–D. Returned: B.
        assert_eq!(f.returned, Rate { part: 1, whole: 4 });
        // Replied: A, B. Reopened: B.
        assert_eq!(f.reopened, Rate { part: 1, whole: 2 });
        // Working days assigned → replied: A 3 (11-03, 04, 05), B 8
        // (11-03 … 11-12 less the weekend): median 5.5, p90 8.
        assert_eq!(f.median_days, Some(5.5));
        assert_eq!(f.p90_days, Some(8));
        assert_eq!(f.response.percent(), Some(66.7));
    }

    #[test]
    fn the_ranking_score_weighs_the_three_rates() {
        let f = compute(
            &five(),
            &Calendar::default(),
            NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
        );
        // 66.7 × 0.30 + 50 × 0.35 + 50 × 0.35 = 55.01 → 55.0
        assert_eq!(score(&f, [0.30, 0.35, 0.35]), Some(55.0));
        let empty = compute(
            &[],
            &Calendar::default(),
            NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
        );
        assert_eq!(score(&empty, [0.30, 0.35, 0.35]), None);
        assert_eq!(percentile(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90), Some(9));
        assert_eq!(median(&[4]), Some(4.0));
    }
}
