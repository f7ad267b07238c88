//! Small bar charts drawn as SVG on the server: readable without
//! JavaScript, printable, and the same in every browser.

use std::fmt::Write;

/// A bar chart of `(label, value)` pairs, labelled with `caption`.
pub fn bars(caption: &str, points: &[(String, f64)]) -> String {
    const WIDTH: f64 = 360.0;
    const HEIGHT: f64 = 140.0;
    const BOTTOM: f64 = 24.0;
    const TOP: f64 = 18.0;
    let max = points.iter().map(|(_, v)| *v).fold(0.0_f64, f64::max);
    let slot = WIDTH / points.len().max(1) as f64;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{}"><title>{}</title>"#,
        crate::richtext::escape(caption),
        crate::richtext::escape(caption)
    );
    // Label every bar when few, else every fourth, so labels never overlap.
    let every = if points.len() <= 8 { 1 } else { 4 };
    for (i, (label, value)) in points.iter().enumerate() {
        let height = if max > 0.0 {
            (value / max) * (HEIGHT - BOTTOM - TOP)
        } else {
            0.0
        };
        let x = i as f64 * slot + slot * 0.15;
        let y = HEIGHT - BOTTOM - height;
        let _ = write!(
            svg,
            r#"<rect x="{x:.1}" y="{y:.1}" width="{:.1}" height="{height:.1}"><title>{}: {}</title></rect>"#,
            slot * 0.7,
            crate::richtext::escape(label),
            compact(*value)
        );
        if i % every == 0 {
            let _ = write!(
                svg,
                r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
                x + slot * 0.35,
                HEIGHT - 8.0,
                crate::richtext::escape(label)
            );
        }
    }
    let _ = write!(
        svg,
        r#"<text x="2" y="12" class="max">{}</text></svg>"#,
        compact(max)
    );
    svg
}

/// 12 345 678 → "12.3M": short labels for axes and tooltips.
pub fn compact(value: f64) -> String {
    let (scaled, suffix) = match value.abs() {
        v if v >= 1e9 => (value / 1e9, "B"),
        v if v >= 1e6 => (value / 1e6, "M"),
        v if v >= 1e3 => (value / 1e3, "k"),
        _ => (value, ""),
    };
    let text = format!("{scaled:.1}");
    format!("{}{suffix}", text.trim_end_matches(".0"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_one_bar_per_point_scaled_to_the_largest() {
        let svg = bars(
            "Revenue <CNY>",
            &[("2025-Q1".into(), 50.0), ("2025-Q2".into(), 100.0)],
        );
        assert_eq!(svg.matches("<rect").count(), 2);
        assert!(svg.contains("Revenue &lt;CNY&gt;"));
        assert!(
            svg.contains(r#"height="98.0""#),
            "the largest bar fills the plot: {svg}"
        );
        assert!(svg.contains(r#"height="49.0""#));
        assert_eq!(compact(12_345_678.0), "12.3M");
        assert_eq!(compact(860.0), "860");
    }
}
