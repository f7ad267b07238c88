//! The figures everyone is judged by (SPEC section 5), computed from
//! demands as they stand on a day. The formulas are written out in
//! `docs/METRICS.md`; each is unit-tested against a hand count.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::calendar::Calendar;
use crate::demands::model::{Demand, Outcome, Rating, State};

crate::text_enum!("figures-by",
    /// How the figures group demands.
    pub enum GroupBy {
        Department => "department",
        Category => "category",
        /// The enterprise's investor country.
        Country => "country",
        District => "district",
    }
);

/// A rate as counted: `part` of `whole` (no rate when `whole` is 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Rate {
    pub part: u64,
    pub whole: u64,
}

impl Rate {
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
    crate::demands::model::parse_date_text(s?)
}

/// What the figures need to know of one demand beyond its fields, fixed
/// when it is saved (the database counts them without the calendar).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Facts {
    /// Signed for by the end of its sign-for deadline.
    pub signed_on_time: Option<bool>,
    /// Replied by the end of its reply deadline.
    pub replied_on_time: Option<bool>,
    /// Working days from assignment to reply.
    pub handling_days: Option<u32>,
}

impl Facts {
    pub fn of(d: &Demand, calendar: &Calendar) -> Facts {
        let on_time = |at: Option<crate::db::Timestamp>, due: Option<&str>| {
            Some(at?.local_date() <= date(due)?)
        };
        Facts {
            signed_on_time: on_time(d.signed_at, d.sign_for_due.as_deref()),
            replied_on_time: on_time(d.replied_at, d.reply_due.as_deref()),
            handling_days: match (d.assigned_at, d.replied_at) {
                (Some(a), Some(r)) => {
                    Some(calendar.working_days_between(a.local_date(), r.local_date()))
                }
                _ => None,
            },
        }
    }
}

/// The counts behind the figures of a group of demands. The database sums
/// the same conditions (`store::figure_counts`); counts of groups add up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub demands: u64,
    pub assigned: u64,
    /// Assigned, sign-for deadline passed; and of those, signed for in time.
    pub response_due: u64,
    pub responded: u64,
    /// Assigned and replied or past the reply deadline; and replied in time.
    pub reply_counted: u64,
    pub replied_on_time: u64,
    /// Closed after an answer; and resolved.
    pub closed: u64,
    pub resolved: u64,
    pub rated: u64,
    pub satisfied: u64,
    pub returned: u64,
    /// Replied (a reopened demand's earlier reply counts); and reopened.
    pub replied: u64,
    pub reopened: u64,
    /// How many replied demands took each number of working days.
    pub days: BTreeMap<u32, u64>,
}

impl Counts {
    /// Counts one demand as it stands on `today`.
    pub fn add(&mut self, d: &Demand, facts: Facts, today: NaiveDate) {
        let before_today = |due: &Option<String>| date(due.as_deref()).is_some_and(|d| d < today);
        let assigned = d.assigned_at.is_some();
        let count = |yes: bool| u64::from(yes);
        self.demands += 1;
        self.assigned += count(assigned);
        let response_due = assigned && before_today(&d.sign_for_due);
        self.response_due += count(response_due);
        self.responded += count(response_due && facts.signed_on_time == Some(true));
        self.reply_counted +=
            count(assigned && (d.replied_at.is_some() || before_today(&d.reply_due)));
        self.replied_on_time +=
            count(assigned && d.replied_at.is_some() && facts.replied_on_time == Some(true));
        let closed = d.state == State::Closed && d.closure.is_some();
        self.closed += count(closed);
        self.resolved += count(closed && d.outcome == Some(Outcome::Resolved));
        self.rated += count(d.rating.is_some());
        self.satisfied += count(d.rating.is_some() && d.rating != Some(Rating::Unsatisfied));
        self.returned += count(assigned && d.return_count > 0);
        self.replied += count(d.replied_at.is_some() || d.reopen_count > 0);
        self.reopened += count(d.reopen_count > 0);
        if let (true, Some(_), Some(days)) = (assigned, d.replied_at, facts.handling_days) {
            *self.days.entry(days).or_default() += 1;
        }
    }

    /// Adds another group's counts (the whole is the sum of its groups).
    pub fn merge(&mut self, other: &Counts) {
        self.demands += other.demands;
        self.assigned += other.assigned;
        self.response_due += other.response_due;
        self.responded += other.responded;
        self.reply_counted += other.reply_counted;
        self.replied_on_time += other.replied_on_time;
        self.closed += other.closed;
        self.resolved += other.resolved;
        self.rated += other.rated;
        self.satisfied += other.satisfied;
        self.returned += other.returned;
        self.replied += other.replied;
        self.reopened += other.reopened;
        for (days, n) in &other.days {
            *self.days.entry(*days).or_default() += n;
        }
    }

    /// Takes out of counts made as if every deadline had passed a demand
    /// whose sign-for deadline (`sign_for`, and whether it was signed for
    /// in time) or reply deadline (`reply`) has not.
    pub fn take_back_pending(&mut self, sign_for: bool, signed_on_time: bool, reply: bool) {
        let take = |n: &mut u64, yes: bool| *n = n.saturating_sub(u64::from(yes));
        take(&mut self.response_due, sign_for);
        take(&mut self.responded, sign_for && signed_on_time);
        take(&mut self.reply_counted, reply);
    }

    pub fn figures(&self) -> Figures {
        let rate = |part: u64, whole: u64| Rate { part, whole };
        Figures {
            demands: self.demands,
            response: rate(self.responded, self.response_due),
            on_time_reply: rate(self.replied_on_time, self.reply_counted),
            resolution: rate(self.resolved, self.closed),
            satisfaction: rate(self.satisfied, self.rated),
            returned: rate(self.returned, self.assigned),
            reopened: rate(self.reopened, self.replied),
            median_days: median(&self.days),
            p90_days: percentile(&self.days, 90),
        }
    }
}

/// The figures of `demands` on `today`, counted here rather than in the
/// database (the definition the database's sums follow).
pub fn compute(demands: &[Demand], calendar: &Calendar, today: NaiveDate) -> Figures {
    let mut counts = Counts::default();
    for d in demands {
        counts.add(d, Facts::of(d, calendar), today);
    }
    counts.figures()
}

/// The `k`th (from 0) of the values a histogram counts, in order.
fn nth(histogram: &BTreeMap<u32, u64>, k: u64) -> Option<u32> {
    let mut seen = 0;
    for (value, n) in histogram {
        seen += n;
        if k < seen {
            return Some(*value);
        }
    }
    None
}

fn median(histogram: &BTreeMap<u32, u64>) -> Option<f64> {
    let n: u64 = histogram.values().sum();
    match n {
        0 => None,
        _ if n % 2 == 1 => nth(histogram, n / 2).map(f64::from),
        _ => {
            Some((f64::from(nth(histogram, n / 2 - 1)?) + f64::from(nth(histogram, n / 2)?)) / 2.0)
        }
    }
}

/// The nearest-rank percentile: the smallest value with at least `p` % of
/// the values at or below it.
fn percentile(histogram: &BTreeMap<u32, u64>, p: u64) -> Option<u32> {
    let n: u64 = histogram.values().sum();
    let rank = (p * n).div_ceil(100).max(1);
    nth(histogram, rank - 1)
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
        let histogram = |values: &[u32]| {
            let mut h = BTreeMap::new();
            for v in values {
                *h.entry(*v).or_insert(0u64) += 1;
            }
            h
        };
        assert_eq!(
            percentile(&histogram(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), 90),
            Some(9)
        );
        assert_eq!(percentile(&histogram(&[3, 1, 1, 2]), 50), Some(1));
        assert_eq!(median(&histogram(&[4])), Some(4.0));
        assert_eq!(median(&histogram(&[5, 2, 2, 9])), Some(3.5));
        assert_eq!(median(&histogram(&[])), None);
    }
}
