//! `liaison cluster`: demands in as JSON Lines, their groups out.
//!
//! In: one object per line, `{"id": …, "title": "…", "body": "…", "lang": "…"}`
//! (`lang` is optional and not needed: the text's scripts say how to read it).
//! Out: one line per input, in input order, `{"id": …, "cluster": "c…"}`;
//! demands about the same problem share a cluster and the others each have
//! their own.

use std::io::{BufRead, Write};

use serde::Deserialize;
use serde_json::Value;

use super::cluster;
use super::similarity::{Profile, Space};
use crate::glossary::Matcher;

#[derive(Deserialize)]
struct Line {
    id: Value,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
}

/// Reads every line first: a bad line stops the run before anything is
/// written, with its line number.
pub fn cluster_lines(
    matcher: &Matcher,
    input: impl BufRead,
    mut output: impl Write,
) -> anyhow::Result<usize> {
    let mut lines = Vec::new();
    for (number, line) in input.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let parsed: Line =
            serde_json::from_str(&line).map_err(|e| anyhow::anyhow!("line {}: {e}", number + 1))?;
        if !(parsed.id.is_string() || parsed.id.is_number()) {
            anyhow::bail!("line {}: \"id\" must be a string or a number", number + 1);
        }
        lines.push(parsed);
    }
    let profiles: Vec<Profile> = {
        use rayon::prelude::*;
        lines
            .par_iter()
            .map(|l| Profile::read(matcher, &l.title, &l.body))
            .collect()
    };
    let groups = cluster::groups(&Space::new(&profiles));
    for (line, group) in lines.iter().zip(&groups) {
        let out = serde_json::json!({ "id": line.id, "cluster": format!("c{}", group + 1) });
        writeln!(output, "{out}")?;
    }
    output.flush()?;
    Ok(lines.len())
}
