//! The task book as a timeline (Gantt chart), drawn as SVG on the server:
//! one row per task, a bar from its start to its due day filled as far as
//! its progress, coloured by status, its milestones as diamonds, and a
//! line at today.

use std::fmt::Write;

use chrono::{Datelike, NaiveDate};

use super::model::TaskStatus;
use crate::richtext::escape;

const LABELS: f64 = 280.0;
const CHART: f64 = 760.0;
const ROW: f64 = 22.0;
const HEAD: f64 = 34.0;

/// One row of the chart.
pub struct Bar {
    /// "1.2 Visit key Japanese enterprises"
    pub label: String,
    pub depth: usize,
    pub starts_on: NaiveDate,
    pub due_on: NaiveDate,
    pub progress: f64,
    pub status: TaskStatus,
    pub milestones: Vec<(NaiveDate, String, bool)>,
}

fn colour(status: TaskStatus) -> &'static str {
    match status {
        TaskStatus::NotStarted => "#8a94a6",
        TaskStatus::OnTrack => "#2e6bb0",
        TaskStatus::AtRisk => "#d97706",
        TaskStatus::Late => "#c62828",
        TaskStatus::Done => "#2e7d32",
    }
}

/// A label cut to fit its column.
fn fit(label: &str, chars: usize) -> String {
    if label.chars().count() <= chars {
        label.to_string()
    } else {
        label.chars().take(chars - 1).chain(['…']).collect()
    }
}

/// The chart over `from..=to`; `caption` names it for screen readers.
pub fn render(
    caption: &str,
    bars: &[Bar],
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> String {
    let days = (to - from).num_days().max(1) as f64;
    let x = |d: NaiveDate| LABELS + ((d - from).num_days() as f64 / days).clamp(0.0, 1.0) * CHART;
    let height = HEAD + ROW * bars.len() as f64 + 8.0;
    let width = LABELS + CHART + 10.0;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="gantt" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="{c}" xmlns="http://www.w3.org/2000/svg" font-size="11"><title>{c}</title>"#,
        c = escape(caption)
    );
    // Months as ticks; years (or, in a short plan, months) labelled.
    let short = days <= 400.0;
    let mut month = NaiveDate::from_ymd_opt(from.year(), from.month(), 1).unwrap_or(from);
    while month <= to {
        let mx = x(month.max(from));
        let labelled = short
            || month.month() == 1
            || month == NaiveDate::from_ymd_opt(from.year(), from.month(), 1).unwrap_or(from);
        let _ = write!(
            svg,
            r##"<line x1="{mx:.1}" y1="{}" x2="{mx:.1}" y2="{height}" stroke="{}" stroke-width="0.5"/>"##,
            if labelled { 4.0 } else { HEAD - 6.0 },
            if month.month() == 1 {
                "#9aa5b5"
            } else {
                "#e3e7ed"
            }
        );
        if labelled {
            let text = if short {
                format!("{}-{:02}", month.year(), month.month())
            } else {
                month.year().to_string()
            };
            let _ = write!(
                svg,
                r##"<text x="{:.1}" y="16" fill="#3b4656">{text}</text>"##,
                mx + 3.0
            );
        }
        month = month
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(to + chrono::Duration::days(1));
    }
    for (i, bar) in bars.iter().enumerate() {
        let y = HEAD + ROW * i as f64;
        let indent = 6.0 + 12.0 * bar.depth as f64;
        let _ = write!(
            svg,
            r##"<text x="{indent:.1}" y="{:.1}" fill="#1d2633"><title>{}</title>{}</text>"##,
            y + 15.0,
            escape(&bar.label),
            escape(&fit(
                &bar.label,
                30usize.saturating_sub(bar.depth * 2).max(8)
            ))
        );
        let (x0, x1) = (x(bar.starts_on), x(bar.due_on + chrono::Duration::days(1)));
        let w = (x1 - x0).max(2.0);
        let fill = colour(bar.status);
        let _ = write!(
            svg,
            r#"<rect x="{x0:.1}" y="{:.1}" width="{w:.1}" height="12" fill="{fill}" fill-opacity="0.25" stroke="{fill}" stroke-width="0.8"><title>{} – {} · {}%</title></rect>"#,
            y + 5.0,
            bar.starts_on,
            bar.due_on,
            bar.progress
        );
        let done = w * bar.progress.clamp(0.0, 100.0) / 100.0;
        if done > 0.0 {
            let _ = write!(
                svg,
                r#"<rect x="{x0:.1}" y="{:.1}" width="{done:.1}" height="12" fill="{fill}"/>"#,
                y + 5.0
            );
        }
        for (day, title, reached) in &bar.milestones {
            let mx = x(*day);
            let my = y + 11.0;
            let _ = write!(
                svg,
                r##"<polygon points="{:.1},{my:.1} {mx:.1},{:.1} {:.1},{my:.1} {mx:.1},{:.1}" fill="{}" stroke="#1d2633" stroke-width="0.6"><title>{day} {}</title></polygon>"##,
                mx - 5.0,
                my - 5.0,
                mx + 5.0,
                my + 5.0,
                if *reached { "#1d2633" } else { "#fff" },
                escape(title)
            );
        }
    }
    if (from..=to).contains(&today) {
        let tx = x(today);
        let _ = write!(
            svg,
            r##"<line x1="{tx:.1}" y1="{}" x2="{tx:.1}" y2="{height}" stroke="#c62828" stroke-dasharray="3 2"/>"##,
            HEAD - 10.0
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn bars_sit_on_their_dates_and_fill_with_progress() {
        let bars = vec![Bar {
            label: "1 <Visit> key enterprises".into(),
            depth: 0,
            starts_on: day("2025-01-01"),
            due_on: day("2025-12-31"),
            progress: 50.0,
            status: TaskStatus::Late,
            milestones: vec![(day("2025-07-01"), "mid-term".into(), false)],
        }];
        let svg = render(
            "plan",
            &bars,
            day("2025-01-01"),
            day("2026-12-31"),
            day("2026-01-10"),
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        // The text is escaped, the bar spans the first of two years (half
        // the chart) and is filled half way, in the colour of late.
        assert!(svg.contains("1 &lt;Visit&gt; key enterprises"));
        assert!(
            svg.contains(
                r##"<rect x="280.0" y="39.0" width="380.5" height="12" fill="#c62828" fill-opacity"##
            ),
            "{svg}"
        );
        assert!(
            svg.contains(r##"width="190.3" height="12" fill="#c62828"/>"##),
            "{svg}"
        );
        assert!(svg.contains("<polygon") && svg.contains("stroke-dasharray"));
        assert!(svg.contains(">2025<") && svg.contains(">2026<"));
    }
}
