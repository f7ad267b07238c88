//! Turning rows into index documents, kind by kind.

use std::collections::HashMap;

use super::index::{Doc, Kind};
use super::store::{self, Rows};
use crate::db::Conn;
use crate::glossary::Matcher;

fn join(parts: impl IntoIterator<Item = Option<String>>) -> String {
    parts
        .into_iter()
        .flatten()
        .filter(|p| !p.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Seconds since 1970 at the start of a stored day (YYYY-MM-DD).
fn day_seconds(day: &str) -> i64 {
    chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .map(|d| d.and_time(chrono::NaiveTime::MIN).and_utc().timestamp())
        .unwrap_or(0)
}

/// The glossary concepts named in a text, by key.
pub fn concept_keys(matcher: &Matcher, text: &str) -> Vec<String> {
    matcher
        .concepts_in(text)
        .into_iter()
        .map(|i| matcher.concepts()[i].key.clone())
        .collect()
}

/// The documents for the rows named; a row that no longer exists (or is
/// removed) has none, which takes it out of the index.
pub async fn load(
    conn: &mut Conn,
    kind: Kind,
    rows: &Rows,
    matcher: &Matcher,
) -> anyhow::Result<Vec<Doc>> {
    Ok(match kind {
        Kind::Enterprise => store::enterprises(conn, rows)
            .await?
            .into_iter()
            .map(|e| Doc {
                enterprises: vec![e.id],
                title: join([e.name_zh, e.name_ja, e.name_ko, e.name_en]).replace('\n', " / "),
                body: join([
                    e.uscc,
                    e.main_products,
                    e.parent_company,
                    e.address,
                    Some(e.country),
                ]),
                ..Doc::new(kind, e.id)
            })
            .collect(),
        Kind::Contact => store::contacts(conn, rows)
            .await?
            .into_iter()
            .map(|c| Doc {
                enterprises: vec![c.enterprise_id],
                title: c.name,
                body: join([c.title, c.email, c.phone]),
                ..Doc::new(kind, c.id)
            })
            .collect(),
        Kind::Engagement => {
            let mut enterprises: HashMap<i64, Vec<i64>> = HashMap::new();
            for link in store::engagement_enterprises(conn, rows).await? {
                enterprises.entry(link.owner).or_default().push(link.target);
            }
            let mut follow_ups: HashMap<i64, Vec<String>> = HashMap::new();
            for t in store::follow_ups(conn, rows).await? {
                follow_ups.entry(t.owner).or_default().push(t.body);
            }
            store::engagements(conn, rows)
                .await?
                .into_iter()
                .map(|e| Doc {
                    enterprises: enterprises.remove(&e.id).unwrap_or_default(),
                    state: e.kind,
                    title: join([e.purpose.clone(), e.place.clone()]).replace('\n', " · "),
                    body: join(
                        [e.findings.as_deref().map(crate::richtext::to_plain_text)]
                            .into_iter()
                            .chain(
                                follow_ups
                                    .remove(&e.id)
                                    .unwrap_or_default()
                                    .into_iter()
                                    .map(Some),
                            ),
                    ),
                    date: day_seconds(&e.held_on),
                    ..Doc::new(kind, e.id)
                })
                .collect()
        }
        Kind::Demand => {
            let mut departments: HashMap<i64, Vec<i64>> = HashMap::new();
            for link in store::demand_co_departments(conn, rows).await? {
                departments.entry(link.owner).or_default().push(link.target);
            }
            let mut public: HashMap<i64, Vec<String>> = HashMap::new();
            let mut internal: HashMap<i64, Vec<String>> = HashMap::new();
            for entry in store::demand_entries(conn, rows).await? {
                let is_public = crate::demands::model::EntryKind::parse(&entry.kind)
                    .is_some_and(|k| k.is_public());
                let into = if is_public {
                    &mut public
                } else {
                    &mut internal
                };
                into.entry(entry.demand_id).or_default().push(entry.body);
            }
            store::demands(conn, rows)
                .await?
                .into_iter()
                .map(|d| {
                    let mut deps = departments.remove(&d.id).unwrap_or_default();
                    deps.extend(d.lead_department_id);
                    let concepts = concept_keys(matcher, &format!("{}\n{}", d.title, d.body));
                    Doc {
                        kind,
                        id: d.id,
                        enterprises: vec![d.enterprise_id],
                        departments: deps,
                        confidential: d.confidential_at.is_some(),
                        state: d.state,
                        lang: d.lang,
                        body: join(
                            [Some(d.body), d.reply, d.policy_basis].into_iter().chain(
                                public
                                    .remove(&d.id)
                                    .unwrap_or_default()
                                    .into_iter()
                                    .map(Some),
                            ),
                        ),
                        internal: internal.remove(&d.id).unwrap_or_default().join("\n"),
                        title: d.title,
                        concepts,
                        date: d.submitted_at.0.timestamp(),
                    }
                })
                .collect()
        }
    })
}
