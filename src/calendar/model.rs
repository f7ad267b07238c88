//! Working days. Monday to Friday work and weekends rest, unless the
//! calendar says otherwise: public holidays rest, and adjusted working days
//! (调休, often a Saturday or Sunday) work. The exceptions are data the
//! administrator keeps; nothing here knows a year's holidays.

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// A day off that would otherwise be worked (a public holiday).
    Holiday,
    /// A day worked that would otherwise be off (an adjusted working day).
    Workday,
}

crate::text_column!(DayKind);

impl DayKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DayKind::Holiday => "holiday",
            DayKind::Workday => "workday",
        }
    }

    pub fn parse(s: &str) -> Option<DayKind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "holiday" | "休" | "休息" | "假" | "祝日" | "휴일" => Some(DayKind::Holiday),
            "workday" | "班" | "上班" | "调休上班" | "出勤日" | "근무일" => {
                Some(DayKind::Workday)
            }
            _ => None,
        }
    }
}

/// The calendar: the weekday rule and its exceptions.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    exceptions: HashMap<NaiveDate, DayKind>,
}

/// Deadlines further out than this are refused rather than searched for.
const MAX_SPAN_DAYS: i64 = 3660;

impl Calendar {
    pub fn new(exceptions: impl IntoIterator<Item = (NaiveDate, DayKind)>) -> Calendar {
        Calendar {
            exceptions: exceptions.into_iter().collect(),
        }
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        match self.exceptions.get(&day) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::Workday) => true,
            None => !matches!(day.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// The day itself when it is worked, else the next working day.
    pub fn this_or_next_working_day(&self, day: NaiveDate) -> NaiveDate {
        let mut d = day;
        while !self.is_working_day(d) && (d - day).num_days() < MAX_SPAN_DAYS {
            d += Duration::days(1);
        }
        d
    }

    /// The deadline `n` working days after `start`: the n-th working day
    /// following it. With `n = 0` (same day) it is `start`, or the next
    /// working day when `start` is a day off.
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> NaiveDate {
        if n == 0 {
            return self.this_or_next_working_day(start);
        }
        let mut d = start;
        let mut left = n;
        while left > 0 && (d - start).num_days() < MAX_SPAN_DAYS {
            d += Duration::days(1);
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// Working days in `(from, to]`: how many working days pass from the
    /// end of `from` to the end of `to` (0 when `to` is not after `from`).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        let mut count = 0;
        let mut d = from;
        while d < to && (d - from).num_days() < MAX_SPAN_DAYS {
            d += Duration::days(1);
            if self.is_working_day(d) {
                count += 1;
            }
        }
        count
    }

    /// A deadline moved by a pause (waiting for the enterprise from
    /// `paused_on` to `resumed_on`): by the working days that passed.
    pub fn extend_for_pause(
        &self,
        due: NaiveDate,
        paused_on: NaiveDate,
        resumed_on: NaiveDate,
    ) -> NaiveDate {
        let paused = self.working_days_between(paused_on, resumed_on);
        if paused == 0 {
            due
        } else {
            self.add_working_days(due, paused)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// China's 2026 National Day week: Oct 1–7 off, Sunday Sep 20 and
    /// Saturday Oct 10 worked; New Year 2027 off.
    fn calendar() -> Calendar {
        let mut days: Vec<(NaiveDate, DayKind)> = (1..=7)
            .map(|n| {
                (
                    NaiveDate::from_ymd_opt(2026, 10, n).unwrap(),
                    DayKind::Holiday,
                )
            })
            .collect();
        days.push((d("2026-09-20"), DayKind::Workday));
        days.push((d("2026-10-10"), DayKind::Workday));
        days.push((d("2027-01-01"), DayKind::Holiday));
        Calendar::new(days)
    }

    #[test]
    fn weekends_rest_and_exceptions_win() {
        let c = calendar();
        assert!(c.is_working_day(d("2026-11-20")), "a Friday");
        assert!(!c.is_working_day(d("2026-11-21")), "a Saturday");
        assert!(!c.is_working_day(d("2026-10-05")), "a holiday Monday");
        assert!(
            c.is_working_day(d("2026-10-10")),
            "an adjusted working Saturday"
        );
        assert!(
            c.is_working_day(d("2026-09-20")),
            "an adjusted working Sunday"
        );
    }

    #[test]
    fn deadlines_skip_weekends_and_holidays() {
        let c = calendar();
        // Friday + 1 → Monday.
        assert_eq!(c.add_working_days(d("2026-11-20"), 1), d("2026-11-23"));
        // Wednesday Sep 30 + 1 → the holiday week is skipped, Thursday Oct 8.
        assert_eq!(c.add_working_days(d("2026-09-30"), 1), d("2026-10-08"));
        // + 3 from Sep 30: Oct 8, Oct 9, and the adjusted Saturday Oct 10.
        assert_eq!(c.add_working_days(d("2026-09-30"), 3), d("2026-10-10"));
        // 13 working days from Sep 28 (Mon): 29, 30, Oct 8, 9, 10, 12–16, 19, 20, 21.
        assert_eq!(c.add_working_days(d("2026-09-28"), 13), d("2026-10-21"));
        // The adjusted Sunday counts: Friday Sep 18 + 1 → Sunday Sep 20.
        assert_eq!(c.add_working_days(d("2026-09-18"), 1), d("2026-09-20"));
    }

    #[test]
    fn same_day_deadlines_fall_on_the_next_working_day_when_received_on_a_day_off() {
        let c = calendar();
        assert_eq!(c.add_working_days(d("2026-11-20"), 0), d("2026-11-20"));
        assert_eq!(c.add_working_days(d("2026-11-21"), 0), d("2026-11-23"));
        assert_eq!(c.add_working_days(d("2026-10-03"), 0), d("2026-10-08"));
    }

    #[test]
    fn deadlines_cross_the_year_end() {
        let c = calendar();
        // Wednesday Dec 30 2026 + 2: Thursday Dec 31, then Jan 1 is a
        // holiday and Jan 2–3 a weekend, so Monday Jan 4 2027.
        assert_eq!(c.add_working_days(d("2026-12-30"), 2), d("2027-01-04"));
        assert_eq!(c.working_days_between(d("2026-12-30"), d("2027-01-04")), 2);
    }

    #[test]
    fn pauses_move_the_deadline_by_the_working_days_waited() {
        let c = calendar();
        let due = d("2026-11-25"); // Wednesday
        // Asked Friday Nov 20, answered Tuesday Nov 24: Monday and Tuesday
        // passed, so the deadline moves two working days, to Friday.
        assert_eq!(
            c.extend_for_pause(due, d("2026-11-20"), d("2026-11-24")),
            d("2026-11-27")
        );
        // Answered the same day, or over a weekend only: no change.
        assert_eq!(
            c.extend_for_pause(due, d("2026-11-20"), d("2026-11-20")),
            due
        );
        assert_eq!(
            c.extend_for_pause(due, d("2026-11-20"), d("2026-11-22")),
            due
        );
        // A pause across the holiday week counts only the days worked.
        assert_eq!(c.working_days_between(d("2026-09-30"), d("2026-10-09")), 2);
    }

    #[test]
    fn day_kinds_are_read_in_several_languages() {
        assert_eq!(DayKind::parse("班"), Some(DayKind::Workday));
        assert_eq!(DayKind::parse("Holiday"), Some(DayKind::Holiday));
        assert_eq!(DayKind::parse("sometimes"), None);
    }
}
