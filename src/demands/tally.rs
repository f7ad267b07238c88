//! Running totals behind the city-wide figures.
//!
//! Summing a year of demands one by one takes most of a second at a
//! million demands, and the figures page is opened all day. So each write
//! to a demand also moves its share of `demand_tallies`: one row per
//! grouping, city month of submission, confidentiality and number of
//! handling days, holding the same counts as `Counts`. A period's figures
//! are then its whole months read from the tallies plus the days at its
//! edges counted from the demands.
//!
//! Only two counts depend on the day they are read: whether a sign-for and
//! a reply deadline has passed. The tallies count every deadline as passed,
//! and the few demands whose deadline is today or later are taken back out
//! when the figures are read (they are found through two small indexes).
//!
//! The tallies are derived: `rebuild` makes them again from the demands,
//! and a database whose tallies were never built gets them when it opens.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};

use crate::auth::permission::DemandScope;
use crate::db::{Backend, Conn, Params, Timestamp};
use crate::demands::figures::{Counts, Facts, GroupBy};
use crate::demands::model::{Closure, Demand, Outcome, Rating, State};
use crate::demands::store;
pub use crate::enterprises::model::Place;

/// The counts a tally row keeps, in the order of [`Share`]'s array.
const COUNTERS: [&str; 14] = [
    "demands",
    "assigned",
    "response_due",
    "responded",
    "reply_counted",
    "replied_on_time",
    "closed",
    "resolved",
    "rated",
    "satisfied",
    "returned",
    "replied",
    "reopened",
    "timed",
];

type Share = [i64; 14];

/// What the tallies count of one demand.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Standing {
    submitted_at: Timestamp,
    lead_department_id: Option<i64>,
    category_id: Option<i64>,
    confidential_at: Option<Timestamp>,
    state: State,
    closure: Option<Closure>,
    outcome: Option<Outcome>,
    rating: Option<Rating>,
    assigned_at: Option<Timestamp>,
    sign_for_due: Option<String>,
    signed_on_time: Option<i64>,
    replied_at: Option<Timestamp>,
    reply_due: Option<String>,
    replied_on_time: Option<i64>,
    handling_days: Option<i64>,
    return_count: i64,
    reopen_count: i64,
    #[sqlx(flatten)]
    place: Place,
}

const STANDING_COLUMNS: &str = "d.submitted_at, d.lead_department_id, d.category_id, \
     d.confidential_at, d.state, d.closure, d.outcome, d.rating, d.assigned_at, d.sign_for_due, \
     d.signed_on_time, d.replied_at, d.reply_due, d.replied_on_time, d.handling_days, \
     d.return_count, d.reopen_count, e.country, e.district";

const STANDING_FROM: &str = "demands d LEFT JOIN enterprises e ON e.id = d.enterprise_id";

impl Standing {
    /// `d` as saved with `facts`, its enterprise at `place`.
    pub fn of(d: &Demand, facts: Facts, place: Place) -> Standing {
        Standing {
            submitted_at: d.submitted_at,
            lead_department_id: d.lead_department_id,
            category_id: d.category_id,
            confidential_at: d.confidential_at,
            state: d.state,
            closure: d.closure,
            outcome: d.outcome,
            rating: d.rating,
            assigned_at: d.assigned_at,
            sign_for_due: d.sign_for_due.clone(),
            signed_on_time: facts.signed_on_time.map(i64::from),
            replied_at: d.replied_at,
            reply_due: d.reply_due.clone(),
            replied_on_time: facts.replied_on_time.map(i64::from),
            handling_days: facts.handling_days.map(i64::from),
            return_count: d.return_count,
            reopen_count: d.reopen_count,
            place,
        }
    }

    /// This standing once its handling days are counted.
    pub fn with_handling_days(&self, days: u32) -> Standing {
        Standing {
            handling_days: Some(i64::from(days)),
            ..self.clone()
        }
    }

    pub fn place(&self) -> Place {
        self.place.clone()
    }

    /// The counts of `Counts::add`, with every deadline taken as passed.
    fn share(&self) -> Share {
        let assigned = self.assigned_at.is_some();
        let replied = self.replied_at.is_some();
        let response_due = assigned && self.sign_for_due.is_some();
        let closed = self.state == State::Closed && self.closure.is_some();
        let rated = self.rating.is_some();
        [
            true,
            assigned,
            response_due,
            response_due && self.signed_on_time == Some(1),
            assigned && (replied || self.reply_due.is_some()),
            assigned && replied && self.replied_on_time == Some(1),
            closed,
            closed && self.outcome == Some(Outcome::Resolved),
            rated,
            rated && self.rating != Some(Rating::Unsatisfied),
            assigned && self.return_count > 0,
            replied || self.reopen_count > 0,
            self.reopen_count > 0,
            assigned && replied,
        ]
        .map(i64::from)
    }

    fn key(&self, by: GroupBy) -> String {
        let id = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        match by {
            GroupBy::Department => id(self.lead_department_id),
            GroupBy::Category => id(self.category_id),
            GroupBy::Country => self.place.country.clone().unwrap_or_default(),
            GroupBy::District => self.place.district.clone().unwrap_or_default(),
        }
    }

    /// The rows this demand counts in, one per grouping, with its share.
    fn rows(&self) -> impl Iterator<Item = (RowKey, Share)> + '_ {
        let month = month_of(self.submitted_at.local_date());
        let share = self.share();
        [
            GroupBy::Department,
            GroupBy::Category,
            GroupBy::Country,
            GroupBy::District,
        ]
        .into_iter()
        .map(move |by| {
            let key = RowKey {
                by: by.as_str(),
                month: month.clone(),
                key: self.key(by),
                confidential: i64::from(self.confidential_at.is_some()),
                days: self.handling_days.unwrap_or(-1),
            };
            (key, share)
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct RowKey {
    by: &'static str,
    month: String,
    key: String,
    confidential: i64,
    /// Handling days, or -1 for none.
    days: i64,
}

fn month_of(day: NaiveDate) -> String {
    format!("{:04}-{:02}", day.year(), day.month())
}

/// The tally changes that turn `before` into `after` (either may be
/// absent), without the rows that do not change.
fn changes(before: Option<&Standing>, after: Option<&Standing>) -> Vec<(RowKey, Share)> {
    let mut rows: BTreeMap<RowKey, Share> = BTreeMap::new();
    for (standing, sign) in [(before, -1), (after, 1)] {
        for (key, share) in standing.into_iter().flat_map(Standing::rows) {
            let row = rows.entry(key).or_default();
            for (total, n) in row.iter_mut().zip(share) {
                *total += sign * n;
            }
        }
    }
    rows.into_iter()
        .filter(|(_, share)| share.iter().any(|n| *n != 0))
        .collect()
}

/// Adds `rows` to the tallies in one statement (`rows` has distinct keys).
async fn add(conn: &mut Conn, rows: &[(RowKey, Share)]) -> sqlx::Result<()> {
    // Many transactions move the same few rows (this month's groups). On
    // PostgreSQL each would lock them one by one, in different orders when
    // several demands share a transaction (group commit), and two could
    // wait on each other. One lock, held to the commit, orders them all;
    // SQLite's single writer already does.
    if conn.backend_name() == "PostgreSQL" {
        sqlx::query("SELECT pg_advisory_xact_lock(8215401)")
            .execute(&mut *conn)
            .await?;
    }
    for chunk in rows.chunks(500) {
        let mut args = Params::default();
        let values: Vec<String> = chunk
            .iter()
            .map(|(k, share)| {
                let mut v = vec![
                    args.text(k.by),
                    args.text(k.month.clone()),
                    args.text(k.key.clone()),
                    args.int(k.confidential),
                    args.int(k.days),
                ];
                v.extend(share.iter().map(|n| args.int(*n)));
                format!("({})", v.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO demand_tallies (by_group, month, key, confidential, days, {}) VALUES {} \
             ON CONFLICT (by_group, month, key, confidential, days) DO UPDATE SET {}",
            COUNTERS.join(", "),
            values.join(", "),
            COUNTERS
                .map(|c| format!("{c} = demand_tallies.{c} + excluded.{c}"))
                .join(", ")
        );
        args.bind_statement(sqlx::query(&sql))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Moves the tallies from `before` to `after`.
pub async fn restate(
    conn: &mut Conn,
    before: Option<&Standing>,
    after: Option<&Standing>,
) -> sqlx::Result<()> {
    let rows = changes(before, after);
    if rows.is_empty() {
        return Ok(());
    }
    add(conn, &rows).await
}

/// The demand `id` as the tallies count it now.
pub async fn standing(conn: &mut Conn, id: i64) -> sqlx::Result<Option<Standing>> {
    sqlx::query_as(&format!(
        "SELECT {STANDING_COLUMNS} FROM {STANDING_FROM} WHERE d.id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// An enterprise's demands leave the tallies of its old country and
/// district for its new ones. Called after the enterprise is saved.
pub(crate) async fn enterprise_moved(
    conn: &mut Conn,
    enterprise_id: i64,
    before: &Place,
    after: &Place,
) -> sqlx::Result<()> {
    if before == after {
        return Ok(());
    }
    let now: Vec<Standing> = sqlx::query_as(&format!(
        "SELECT {STANDING_COLUMNS} FROM {STANDING_FROM} WHERE d.enterprise_id = $1"
    ))
    .bind(enterprise_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut rows: HashMap<RowKey, Share> = HashMap::new();
    for after in &now {
        let was = Standing {
            place: before.clone(),
            ..after.clone()
        };
        for (key, share) in changes(Some(&was), Some(after)) {
            let row = rows.entry(key).or_default();
            for (total, n) in row.iter_mut().zip(share) {
                *total += n;
            }
        }
    }
    let rows: Vec<_> = rows.into_iter().collect();
    add(conn, &rows).await
}

/// Makes the tallies again from the demands, in one transaction.
pub async fn rebuild(conn: &mut Conn) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM demand_tallies")
        .execute(&mut *conn)
        .await?;
    let mut rows: HashMap<RowKey, Share> = HashMap::new();
    let mut after = 0i64;
    loop {
        let chunk: Vec<(i64, Standing)> = sqlx::query_as::<_, IdStanding>(&format!(
            "SELECT d.id, {STANDING_COLUMNS} FROM {STANDING_FROM} WHERE d.id > $1 \
             ORDER BY d.id LIMIT 20000"
        ))
        .bind(after)
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|r| (r.id, r.standing))
        .collect();
        let Some((last, _)) = chunk.last() else {
            break;
        };
        after = *last;
        for (_, standing) in &chunk {
            for (key, share) in standing.rows() {
                let row = rows.entry(key).or_default();
                for (total, n) in row.iter_mut().zip(share) {
                    *total += n;
                }
            }
        }
    }
    let rows: Vec<_> = rows.into_iter().collect();
    add(conn, &rows).await
}

#[derive(sqlx::FromRow)]
struct IdStanding {
    id: i64,
    #[sqlx(flatten)]
    standing: Standing,
}

/// Builds the tallies of a database that has demands but no tallies yet
/// (one made before they existed). Several instances may open the same
/// database at once: the first builds, the others find them built.
pub async fn build_if_missing(db: &crate::db::Db) -> anyhow::Result<()> {
    async fn missing(conn: &mut Conn) -> sqlx::Result<bool> {
        sqlx::query_scalar(
            "SELECT CAST(CASE WHEN EXISTS (SELECT 1 FROM demands) \
             AND NOT EXISTS (SELECT 1 FROM demand_tallies) THEN 1 ELSE 0 END AS BIGINT)",
        )
        .fetch_one(conn)
        .await
        .map(|n: i64| n == 1)
    }
    if !missing(&mut *db.pool().acquire().await?).await? {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    if db.backend() == Backend::Postgres {
        sqlx::query("LOCK TABLE demand_tallies IN EXCLUSIVE MODE")
            .execute(&mut *tx)
            .await?;
    }
    if missing(&mut tx).await? {
        tracing::info!("building the figures' tallies from the demands");
        rebuild(&mut tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The counts of the demands in `scope` submitted on the city days `from`
/// through `to`, per group (`""` for none) in key order, as they stand on
/// `today`.
pub async fn figure_counts(
    conn: &mut Conn,
    scope: DemandScope,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
    by: GroupBy,
) -> sqlx::Result<Vec<(String, Counts)>> {
    let confidential_too = match scope {
        DemandScope::All => Some(true),
        DemandScope::NotConfidential => Some(false),
        // A department's or an enterprise's share is small: count it.
        _ => None,
    };
    let (Some(confidential_too), Some((first, last))) = (confidential_too, whole_months(from, to))
    else {
        let groups = scan(conn, scope, from, to, today, by).await?;
        return Ok(groups.into_iter().collect());
    };
    let mut groups = tallied(conn, first, last, confidential_too, today, by).await?;
    let day = chrono::Duration::days(1);
    for (a, b) in [(from, first - day), (last + day, to)] {
        if a <= b {
            for (key, counts) in scan(conn, scope, a, b, today, by).await? {
                groups.entry(key).or_default().merge(&counts);
            }
        }
    }
    Ok(groups.into_iter().collect())
}

/// The first and last day of the whole months within `from..=to`.
fn whole_months(from: NaiveDate, to: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    let first_of = |d: NaiveDate| d.with_day(1).expect("every month has a first day");
    let first = if from.day() == 1 {
        from
    } else {
        first_of(from).checked_add_months(chrono::Months::new(1))?
    };
    let after_to = to.succ_opt()?;
    let last = if after_to.day() == 1 {
        to
    } else {
        first_of(to).pred_opt()?
    };
    (first <= last).then_some((first, last))
}

async fn scan(
    conn: &mut Conn,
    scope: DemandScope,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
    by: GroupBy,
) -> sqlx::Result<BTreeMap<String, Counts>> {
    store::figure_counts(
        conn,
        scope,
        Timestamp::city_midnight(from),
        Timestamp::city_midnight(to + chrono::Duration::days(1)),
        &crate::demands::model::date_text(today),
        by,
    )
    .await
}

/// The tallies of the months `first` through `last`, less the deadlines
/// that have not passed by `today`.
async fn tallied(
    conn: &mut Conn,
    first: NaiveDate,
    last: NaiveDate,
    confidential_too: bool,
    today: NaiveDate,
    by: GroupBy,
) -> sqlx::Result<BTreeMap<String, Counts>> {
    let mut args = Params::default();
    let mut clauses = vec![
        format!("by_group = {}", args.text(by.as_str())),
        format!("month >= {}", args.text(month_of(first))),
        format!("month <= {}", args.text(month_of(last))),
    ];
    if !confidential_too {
        clauses.push("confidential = 0".into());
    }
    let sql = format!(
        "SELECT key, days, {} FROM demand_tallies WHERE {} GROUP BY key, days",
        COUNTERS
            .map(|c| format!("CAST(SUM({c}) AS BIGINT) AS {c}"))
            .join(", "),
        clauses.join(" AND ")
    );
    let rows: Vec<store::CountRow> = args
        .bind(sqlx::query_as(&sql))
        .fetch_all(&mut *conn)
        .await?;
    let mut groups = store::CountRow::fold(rows);
    let pending = store::pending_deadlines(conn, &crate::demands::model::date_text(today), by)
        .await?
        .into_iter()
        .filter(|p| {
            let day = p.submitted_at.local_date();
            first <= day && day <= last && (confidential_too || p.confidential_at.is_none())
        });
    for p in pending {
        if let Some(counts) = groups.get_mut(&p.key) {
            counts.take_back_pending(
                p.sign_for_pending == 1,
                p.signed_on_time == Some(1),
                p.reply_pending == 1,
            );
        }
    }
    Ok(groups)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_period_splits_into_its_whole_months_and_edge_days() {
        assert_eq!(
            whole_months(day("2026-01-01"), day("2026-11-22")),
            Some((day("2026-01-01"), day("2026-10-31")))
        );
        assert_eq!(
            whole_months(day("2025-12-15"), day("2026-02-28")),
            Some((day("2026-01-01"), day("2026-02-28")))
        );
        assert_eq!(
            whole_months(day("2024-02-01"), day("2024-02-29")),
            Some((day("2024-02-01"), day("2024-02-29")))
        );
        assert_eq!(whole_months(day("2026-11-02"), day("2026-11-30")), None);
        assert_eq!(whole_months(day("2026-10-31"), day("2026-11-01")), None);
    }
}
