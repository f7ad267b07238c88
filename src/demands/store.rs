//! SQL for demands, their co-departments and entries.

use std::collections::BTreeMap;

use crate::auth::permission::DemandScope;
use crate::db::{Conn, Params, Timestamp};
use crate::demands::categories::{Category, SlaKind, SlaPolicy, ValidCategory};
use crate::demands::figures::{Counts, Facts, GroupBy};
use crate::demands::model::{Demand, Entry, EntryKind, State, Summary, ValidDemand};
use crate::demands::tally::{self, Place, Standing};

const COLUMNS: &str = "id, enterprise_id, contact_id, title, body, lang, category_id, priority, source, \
     engagement_id, confidential_at, state, lead_department_id, submitted_by, submitted_at, accepted_at, \
     rejected_at, reject_reason, assigned_at, sign_for_due, signed_at, signed_by, returned_at, return_reason, \
     reply_due, paused_at, extension_requested_due, extension_reason, replied_at, replied_by, outcome, reply, \
     reply_lang, policy_basis, feedback_due, rating, rating_reason, rated_at, closed_at, closure, close_note, \
     reopen_count, return_count, merged_into, supervised_at, created_at, updated_at";

/// Writes a new demand, and counts it in the tallies under its
/// enterprise's `place`.
pub async fn insert(
    conn: &mut Conn,
    v: &ValidDemand,
    place: Place,
    submitted_by: Option<i64>,
    now: Timestamp,
) -> sqlx::Result<Demand> {
    let created: Demand = sqlx::query_as(&format!(
        "INSERT INTO demands (enterprise_id, contact_id, title, body, lang, category_id, priority, source, \
         engagement_id, confidential_at, state, submitted_by, submitted_at, reopen_count, return_count, \
         created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 0, 0, $13, $13) RETURNING {COLUMNS}"
    ))
    .bind(v.enterprise_id)
    .bind(v.contact_id)
    .bind(&v.title)
    .bind(&v.body)
    .bind(v.lang.tag())
    .bind(v.category_id)
    .bind(v.priority)
    .bind(v.source)
    .bind(v.engagement_id)
    .bind(v.confidential.then_some(now))
    .bind(State::Submitted)
    .bind(submitted_by)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    let counted = Standing::of(&created, Facts::default(), place);
    tally::restate(conn, None, Some(&counted)).await?;
    Ok(created)
}

pub async fn get(conn: &mut Conn, id: i64) -> sqlx::Result<Option<Demand>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM demands WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// Reads a demand and locks it until the transaction ends.
pub async fn get_for_update(conn: &mut Conn, id: i64) -> sqlx::Result<Option<Demand>> {
    sqlx::query_as(&format!(
        "UPDATE demands SET updated_at = updated_at WHERE id = $1 RETURNING {COLUMNS}"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Writes every field a workflow step may change, and what the figures
/// count of it (moving its share of the tallies).
pub async fn save(
    conn: &mut Conn,
    d: &Demand,
    facts: Facts,
    now: Timestamp,
) -> sqlx::Result<Demand> {
    let before = tally::standing(conn, d.id).await?;
    let saved: Demand = sqlx::query_as(&format!(
        "UPDATE demands SET category_id = $1, state = $2, lead_department_id = $3, accepted_at = $4, \
         rejected_at = $5, reject_reason = $6, assigned_at = $7, sign_for_due = $8, signed_at = $9, \
         signed_by = $10, returned_at = $11, return_reason = $12, reply_due = $13, paused_at = $14, \
         extension_requested_due = $15, extension_reason = $16, replied_at = $17, replied_by = $18, \
         outcome = $19, reply = $20, reply_lang = $21, policy_basis = $22, feedback_due = $23, rating = $24, \
         rating_reason = $25, rated_at = $26, closed_at = $27, closure = $28, close_note = $29, \
         reopen_count = $30, return_count = $31, merged_into = $32, supervised_at = $33, updated_at = $34, \
         signed_on_time = $36, replied_on_time = $37, handling_days = $38 \
         WHERE id = $35 RETURNING {COLUMNS}"
    ))
    .bind(d.category_id)
    .bind(d.state)
    .bind(d.lead_department_id)
    .bind(d.accepted_at)
    .bind(d.rejected_at)
    .bind(&d.reject_reason)
    .bind(d.assigned_at)
    .bind(&d.sign_for_due)
    .bind(d.signed_at)
    .bind(d.signed_by)
    .bind(d.returned_at)
    .bind(&d.return_reason)
    .bind(&d.reply_due)
    .bind(d.paused_at)
    .bind(&d.extension_requested_due)
    .bind(&d.extension_reason)
    .bind(d.replied_at)
    .bind(d.replied_by)
    .bind(d.outcome)
    .bind(&d.reply)
    .bind(&d.reply_lang)
    .bind(&d.policy_basis)
    .bind(&d.feedback_due)
    .bind(d.rating)
    .bind(&d.rating_reason)
    .bind(d.rated_at)
    .bind(d.closed_at)
    .bind(d.closure)
    .bind(&d.close_note)
    .bind(d.reopen_count)
    .bind(d.return_count)
    .bind(d.merged_into)
    .bind(d.supervised_at)
    .bind(now)
    .bind(d.id)
    .bind(facts.signed_on_time.map(i64::from))
    .bind(facts.replied_on_time.map(i64::from))
    .bind(facts.handling_days.map(i64::from))
    .fetch_one(&mut *conn)
    .await?;
    let place = before.as_ref().map(Standing::place).unwrap_or_default();
    let after = Standing::of(&saved, facts, place);
    tally::restate(conn, before.as_ref(), Some(&after)).await?;
    Ok(saved)
}

pub async fn co_departments(conn: &mut Conn, demand_id: i64) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar(
        "SELECT department_id FROM demand_co_departments WHERE demand_id = $1 ORDER BY department_id",
    )
    .bind(demand_id)
    .fetch_all(conn)
    .await
}

pub async fn set_co_departments(
    conn: &mut Conn,
    demand_id: i64,
    departments: &[i64],
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM demand_co_departments WHERE demand_id = $1")
        .bind(demand_id)
        .execute(&mut *conn)
        .await?;
    for d in departments {
        sqlx::query("INSERT INTO demand_co_departments (demand_id, department_id) VALUES ($1, $2)")
            .bind(demand_id)
            .bind(d)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

const ENTRY_COLUMNS: &str =
    "id, demand_id, kind, public_at, author_id, department_id, body, created_at";

pub async fn entries(conn: &mut Conn, demand_id: i64) -> sqlx::Result<Vec<Entry>> {
    sqlx::query_as(&format!(
        "SELECT {ENTRY_COLUMNS} FROM demand_entries WHERE demand_id = $1 ORDER BY id"
    ))
    .bind(demand_id)
    .fetch_all(conn)
    .await
}

pub async fn add_entry(
    conn: &mut Conn,
    demand_id: i64,
    kind: EntryKind,
    author_id: Option<i64>,
    department_id: Option<i64>,
    body: &str,
    now: Timestamp,
) -> sqlx::Result<Entry> {
    sqlx::query_as(&format!(
        "INSERT INTO demand_entries (demand_id, kind, public_at, author_id, department_id, body, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {ENTRY_COLUMNS}"
    ))
    .bind(demand_id)
    .bind(kind)
    .bind(kind.is_public().then_some(now))
    .bind(author_id)
    .bind(department_id)
    .bind(body)
    .bind(now)
    .fetch_one(conn)
    .await
}

/// A list's filters; every one optional.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub states: Vec<State>,
    pub enterprise_id: Option<i64>,
    pub department_id: Option<i64>,
    pub category_id: Option<i64>,
    /// The enterprise's investor country and district.
    pub country: Option<String>,
    pub district: Option<String>,
    /// Submitted in `[submitted_from, submitted_before)`.
    pub submitted_from: Option<Timestamp>,
    pub submitted_before: Option<Timestamp>,
    /// Open demands whose reply deadline is before this date (overdue).
    pub reply_due_before: Option<String>,
    /// Newest first: the id of the last row of the previous page.
    pub before: Option<i64>,
    pub limit: i64,
}

/// The conditions, each over the demand `d`, whose union is `scope`:
/// `Some(vec![])` for all, `None` when the scope holds nothing. A list runs
/// one index walk per condition, so none of them may be an `OR`.
fn scope_branches(scope: DemandScope, args: &mut Params) -> Option<Vec<String>> {
    match scope {
        DemandScope::All => Some(Vec::new()),
        DemandScope::NotConfidential => Some(vec!["d.confidential_at IS NULL".into()]),
        DemandScope::Department(d) => {
            let p = args.int(d);
            Some(vec![
                format!("d.lead_department_id = {p}"),
                format!(
                    "d.id IN (SELECT demand_id FROM demand_co_departments WHERE department_id = {p})"
                ),
            ])
        }
        DemandScope::Enterprise(e) => Some(vec![format!("d.enterprise_id = {}", args.int(e))]),
        DemandScope::Nothing => None,
    }
}

/// The condition that keeps a scan to `scope` (the branches joined with
/// `OR`): `Some(None)` for all, `None` when the scope holds nothing.
fn scope_condition(scope: DemandScope, args: &mut Params) -> Option<Option<String>> {
    let branches = scope_branches(scope, args)?;
    Some((!branches.is_empty()).then(|| format!("({})", branches.join(" OR "))))
}

const SUMMARY_COLUMNS: &str = "id, enterprise_id, title, category_id, priority, state, \
     lead_department_id, sign_for_due, reply_due, paused_at, supervised_at";

/// Demands in `scope` matching `filter`, newest first, one page.
pub async fn list(
    conn: &mut Conn,
    scope: DemandScope,
    filter: &Filter,
) -> sqlx::Result<Vec<Demand>> {
    select_page(conn, COLUMNS, scope, filter).await
}

/// [`list`] with only what a list page shows of each demand.
pub async fn summaries(
    conn: &mut Conn,
    scope: DemandScope,
    filter: &Filter,
) -> sqlx::Result<Vec<Summary>> {
    select_page(conn, SUMMARY_COLUMNS, scope, filter).await
}

/// `columns` of one page of the demands in `scope` matching `filter`,
/// newest first.
///
/// The page's ids come from one walk down an index per scope branch and per
/// state, each stopping after a page of rows, and the newest page of their
/// union is read in full: the cost follows the page size, not how many
/// demands match (an `OR` or an `IN` over states would make the database
/// sort every match).
async fn select_page<T>(
    conn: &mut Conn,
    columns: &str,
    scope: DemandScope,
    filter: &Filter,
) -> sqlx::Result<Vec<T>>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    let mut args = Params::default();
    let Some(scope_branches) = scope_branches(scope, &mut args) else {
        return Ok(Vec::new());
    };
    let mut states = filter.states.clone();
    if filter.reply_due_before.is_some() {
        // Overdue: open, with a department.
        if states.is_empty() {
            states = State::ALL.to_vec();
        }
        states.retain(|s| s.is_with_department());
        if states.is_empty() {
            return Ok(Vec::new());
        }
    }
    let mut shared: Vec<String> = Vec::new();
    if let Some(e) = filter.enterprise_id {
        shared.push(format!("d.enterprise_id = {}", args.int(e)));
    }
    if let Some(d) = filter.department_id {
        shared.push(format!("d.lead_department_id = {}", args.int(d)));
    }
    if let Some(c) = filter.category_id {
        shared.push(format!("d.category_id = {}", args.int(c)));
    }
    for (column, value) in [("country", &filter.country), ("district", &filter.district)] {
        if let Some(value) = value {
            shared.push(format!(
                "d.enterprise_id IN (SELECT id FROM enterprises WHERE {column} = {})",
                args.text(value.as_str())
            ));
        }
    }
    if let Some(from) = filter.submitted_from {
        shared.push(format!("d.submitted_at >= {}", args.text(from.to_db())));
    }
    if let Some(before) = filter.submitted_before {
        shared.push(format!("d.submitted_at < {}", args.text(before.to_db())));
    }
    if let Some(due) = &filter.reply_due_before {
        shared.push(format!("d.reply_due < {}", args.text(due.as_str())));
    }
    if let Some(before) = filter.before {
        shared.push(format!("d.id < {}", args.int(before)));
    }
    let limit = args.int(filter.limit);
    let state_branches: Vec<Option<String>> = if states.is_empty() {
        vec![None]
    } else {
        states
            .iter()
            .map(|s| Some(format!("d.state = {}", args.text(s.as_str()))))
            .collect()
    };
    let scope_branches: Vec<Option<String>> = if scope_branches.is_empty() {
        vec![None]
    } else {
        scope_branches.into_iter().map(Some).collect()
    };
    let mut walks = Vec::new();
    for scope in &scope_branches {
        for state in &state_branches {
            let conditions: Vec<&str> = scope
                .iter()
                .chain(state)
                .chain(&shared)
                .map(String::as_str)
                .collect();
            let filter_sql = if conditions.is_empty() {
                String::new()
            } else {
                format!("WHERE {}", conditions.join(" AND "))
            };
            walks.push(format!(
                "SELECT id FROM (SELECT d.id FROM demands d {filter_sql} \
                 ORDER BY d.id DESC LIMIT {limit}) AS w{}",
                walks.len()
            ));
        }
    }
    let sql = format!(
        "SELECT {columns} FROM demands WHERE id IN (SELECT id FROM ({}) AS page \
         ORDER BY id DESC LIMIT {limit}) ORDER BY id DESC",
        walks.join(" UNION ")
    );
    args.bind(sqlx::query_as::<_, T>(&sql))
        .fetch_all(conn)
        .await
}

/// Demands merged into `id` (they follow its answer).
pub async fn merged_into(conn: &mut Conn, id: i64) -> sqlx::Result<Vec<Demand>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM demands WHERE merged_into = $1 ORDER BY id"
    ))
    .bind(id)
    .fetch_all(conn)
    .await
}

/// Replied demands whose feedback window ended before `today`.
pub async fn unrated_past_feedback(conn: &mut Conn, today: &str) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar(
        "SELECT id FROM demands WHERE state = 'replied' AND feedback_due < $1 ORDER BY id",
    )
    .bind(today)
    .fetch_all(conn)
    .await
}

/// Open demands with a department whose deadline (signing for, or reply) is
/// on or before `until`, and that are not waiting for the enterprise.
pub async fn due_by(conn: &mut Conn, until: &str) -> sqlx::Result<Vec<Demand>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM demands WHERE paused_at IS NULL AND \
         ((state = 'assigned' AND sign_for_due <= $1) OR \
          (state = 'in_progress' AND reply_due <= $1)) ORDER BY id"
    ))
    .bind(until)
    .fetch_all(conn)
    .await
}

/// Records a supervision notice unless the same one was sent already;
/// true when this call recorded it.
pub async fn claim_notice(
    conn: &mut Conn,
    demand_id: i64,
    level: &str,
    due: &str,
    now: Timestamp,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO supervision_notices (demand_id, level, due, sent_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (demand_id, level, due) DO NOTHING",
    )
    .bind(demand_id)
    .bind(level)
    .bind(due)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks a demand supervised (督办) from `now`, if it was not already.
pub async fn mark_supervised(conn: &mut Conn, id: i64, now: Timestamp) -> sqlx::Result<()> {
    sqlx::query("UPDATE demands SET supervised_at = $1 WHERE id = $2 AND supervised_at IS NULL")
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

// ---- categories and SLA policies ----

const CATEGORY_COLUMNS: &str = "id, parent_id, name_zh, name_ja, name_ko, name_en, lead_department_id, \
     sla_kind, retired_at, created_at, updated_at";

pub async fn category(conn: &mut Conn, id: i64) -> sqlx::Result<Option<Category>> {
    sqlx::query_as(&format!(
        "SELECT {CATEGORY_COLUMNS} FROM demand_categories WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

pub async fn categories(conn: &mut Conn) -> sqlx::Result<Vec<Category>> {
    sqlx::query_as(&format!(
        "SELECT {CATEGORY_COLUMNS} FROM demand_categories ORDER BY name_zh, id"
    ))
    .fetch_all(conn)
    .await
}

/// Reads a category and locks it until the transaction ends.
pub async fn category_for_update(conn: &mut Conn, id: i64) -> sqlx::Result<Option<Category>> {
    sqlx::query_as(&format!(
        "UPDATE demand_categories SET updated_at = updated_at WHERE id = $1 RETURNING {CATEGORY_COLUMNS}"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

pub(crate) async fn insert_category(
    conn: &mut Conn,
    v: &ValidCategory,
    now: Timestamp,
) -> sqlx::Result<Category> {
    sqlx::query_as(&format!(
        "INSERT INTO demand_categories (parent_id, name_zh, name_ja, name_ko, name_en, lead_department_id, \
         sla_kind, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) \
         RETURNING {CATEGORY_COLUMNS}"
    ))
    .bind(v.parent_id)
    .bind(&v.name_zh)
    .bind(&v.name_ja)
    .bind(&v.name_ko)
    .bind(&v.name_en)
    .bind(v.lead_department_id)
    .bind(v.sla_kind)
    .bind(now)
    .fetch_one(conn)
    .await
}

pub(crate) async fn update_category(
    conn: &mut Conn,
    id: i64,
    v: &ValidCategory,
    now: Timestamp,
) -> sqlx::Result<Category> {
    sqlx::query_as(&format!(
        "UPDATE demand_categories SET parent_id = $1, name_zh = $2, name_ja = $3, name_ko = $4, \
         name_en = $5, lead_department_id = $6, sla_kind = $7, updated_at = $8 WHERE id = $9 \
         RETURNING {CATEGORY_COLUMNS}"
    ))
    .bind(v.parent_id)
    .bind(&v.name_zh)
    .bind(&v.name_ja)
    .bind(&v.name_ko)
    .bind(&v.name_en)
    .bind(v.lead_department_id)
    .bind(v.sla_kind)
    .bind(now)
    .bind(id)
    .fetch_one(conn)
    .await
}

const POLICY_COLUMNS: &str =
    "kind, sign_for_days, reply_days, urgent_reply_days, feedback_days, updated_at";

pub async fn policy_rows(conn: &mut Conn) -> sqlx::Result<Vec<SlaPolicy>> {
    sqlx::query_as(&format!(
        "SELECT {POLICY_COLUMNS} FROM sla_policies ORDER BY kind"
    ))
    .fetch_all(conn)
    .await
}

/// `days`: sign for, reply, urgent reply, feedback.
pub async fn set_policy(
    conn: &mut Conn,
    kind: SlaKind,
    days: [i64; 4],
    now: Timestamp,
) -> sqlx::Result<SlaPolicy> {
    sqlx::query_as(&format!(
        "UPDATE sla_policies SET sign_for_days = $1, reply_days = $2, urgent_reply_days = $3, \
         feedback_days = $4, updated_at = $5 WHERE kind = $6 RETURNING {POLICY_COLUMNS}"
    ))
    .bind(days[0])
    .bind(days[1])
    .bind(days[2])
    .bind(days[3])
    .bind(now)
    .bind(kind)
    .fetch_one(conn)
    .await
}

/// The grouping as an expression over the demand `d` and its enterprise `e`.
fn group_sql(by: GroupBy) -> &'static str {
    match by {
        GroupBy::Department => "CAST(d.lead_department_id AS TEXT)",
        GroupBy::Category => "CAST(d.category_id AS TEXT)",
        GroupBy::Country => "e.country",
        GroupBy::District => "e.district",
    }
}

/// The counts behind the figures of the demands in `scope` submitted in
/// `[from, to)`, per group (`""` for none) in key order, summed by the database with
/// the conditions of `Counts::add`.
pub async fn figure_counts(
    conn: &mut Conn,
    scope: DemandScope,
    from: Timestamp,
    to: Timestamp,
    today: &str,
    by: GroupBy,
) -> sqlx::Result<BTreeMap<String, Counts>> {
    let mut args = Params::default();
    let today = args.text(today);
    let (from, to) = (args.text(from.to_db()), args.text(to.to_db()));
    let mut clauses = vec![format!(
        "d.submitted_at >= {from} AND d.submitted_at < {to}"
    )];
    match scope_condition(scope, &mut args) {
        None => return Ok(BTreeMap::new()),
        Some(c) => clauses.extend(c),
    }
    let join = match by {
        GroupBy::Country | GroupBy::District => "LEFT JOIN enterprises e ON e.id = d.enterprise_id",
        GroupBy::Department | GroupBy::Category => "",
    };
    let demands = format!("demands d {join} WHERE {}", clauses.join(" AND "));
    let group = format!("COALESCE({}, '')", group_sql(by));
    let assigned = "d.assigned_at IS NOT NULL";
    let closed = "d.state = 'closed' AND d.closure IS NOT NULL";
    let sums = [
        ("assigned", assigned.to_string()),
        (
            "response_due",
            format!("{assigned} AND d.sign_for_due < {today}"),
        ),
        (
            "responded",
            format!("{assigned} AND d.sign_for_due < {today} AND d.signed_on_time = 1"),
        ),
        (
            "reply_counted",
            format!("{assigned} AND (d.replied_at IS NOT NULL OR d.reply_due < {today})"),
        ),
        (
            "replied_on_time",
            format!("{assigned} AND d.replied_at IS NOT NULL AND d.replied_on_time = 1"),
        ),
        ("closed", closed.to_string()),
        ("resolved", format!("{closed} AND d.outcome = 'resolved'")),
        ("rated", "d.rating IS NOT NULL".into()),
        (
            "satisfied",
            "d.rating IS NOT NULL AND d.rating <> 'unsatisfied'".into(),
        ),
        ("returned", format!("{assigned} AND d.return_count > 0")),
        (
            "replied",
            "d.replied_at IS NOT NULL OR d.reopen_count > 0".into(),
        ),
        ("reopened", "d.reopen_count > 0".into()),
    ]
    .map(|(name, condition)| format!("SUM(CASE WHEN {condition} THEN 1 ELSE 0 END) AS {name}"));
    // One pass: sums per group and number of handling days; the days
    // fold into each group's histogram here.
    let sql = format!(
        "SELECT {group} AS key, d.handling_days AS days, COUNT(*) AS demands, {}, \
         SUM(CASE WHEN {assigned} AND d.replied_at IS NOT NULL THEN 1 ELSE 0 END) AS timed \
         FROM {demands} GROUP BY {group}, d.handling_days",
        sums.join(", ")
    );
    let rows: Vec<CountRow> = args
        .bind(sqlx::query_as(&sql))
        .fetch_all(&mut *conn)
        .await?;
    Ok(CountRow::fold(rows))
}

/// A demand whose sign-for or reply deadline is `today` or later: the
/// tallies count it as passed (see `tally`).
#[derive(sqlx::FromRow)]
pub struct Pending {
    pub key: String,
    pub submitted_at: Timestamp,
    pub confidential_at: Option<Timestamp>,
    /// Assigned, sign-for deadline not passed; and signed for in time.
    pub sign_for_pending: i64,
    pub signed_on_time: Option<i64>,
    /// Assigned, not replied, reply deadline not passed.
    pub reply_pending: i64,
}

/// Every demand with a deadline `today` or later, with its group key.
/// These are the open demands of the last few days, found through the
/// two partial deadline indexes.
pub async fn pending_deadlines(
    conn: &mut Conn,
    today: &str,
    by: GroupBy,
) -> sqlx::Result<Vec<Pending>> {
    let join = match by {
        GroupBy::Country | GroupBy::District => "LEFT JOIN enterprises e ON e.id = d.enterprise_id",
        GroupBy::Department | GroupBy::Category => "",
    };
    sqlx::query_as(&format!(
        "SELECT COALESCE({group}, '') AS key, d.submitted_at, d.confidential_at, \
         CAST(CASE WHEN d.assigned_at IS NOT NULL AND d.sign_for_due >= $1 THEN 1 ELSE 0 END AS BIGINT) \
         AS sign_for_pending, d.signed_on_time, \
         CAST(CASE WHEN d.assigned_at IS NOT NULL AND d.replied_at IS NULL AND d.reply_due >= $1 \
         THEN 1 ELSE 0 END AS BIGINT) AS reply_pending \
         FROM demands d {join} WHERE d.sign_for_due >= $1 OR d.reply_due >= $1",
        group = group_sql(by)
    ))
    .bind(today)
    .fetch_all(conn)
    .await
}

/// One group's sums, as `figure_counts` and the tallies select them.
#[derive(sqlx::FromRow)]
pub(crate) struct CountRow {
    pub key: String,
    days: Option<i64>,
    demands: i64,
    assigned: i64,
    response_due: i64,
    responded: i64,
    reply_counted: i64,
    replied_on_time: i64,
    closed: i64,
    resolved: i64,
    rated: i64,
    satisfied: i64,
    returned: i64,
    replied: i64,
    reopened: i64,
    /// Assigned and replied: these enter the histogram of handling days.
    timed: i64,
}

impl CountRow {
    /// Each group's counts: the sum of its rows.
    pub fn fold(rows: Vec<CountRow>) -> BTreeMap<String, Counts> {
        let mut groups: BTreeMap<String, Counts> = BTreeMap::new();
        for row in rows {
            groups
                .entry(row.key.clone())
                .or_default()
                .merge(&row.counts());
        }
        groups
    }

    /// This row's share of its group: its sums, and its handling days if
    /// the row is of replied demands with a known number of days.
    pub fn counts(&self) -> Counts {
        let n = |v: i64| v.max(0) as u64;
        let mut counts = Counts {
            demands: n(self.demands),
            assigned: n(self.assigned),
            response_due: n(self.response_due),
            responded: n(self.responded),
            reply_counted: n(self.reply_counted),
            replied_on_time: n(self.replied_on_time),
            closed: n(self.closed),
            resolved: n(self.resolved),
            rated: n(self.rated),
            satisfied: n(self.satisfied),
            returned: n(self.returned),
            replied: n(self.replied),
            reopened: n(self.reopened),
            days: Default::default(),
        };
        if let Some(days) = self.days.filter(|d| *d >= 0)
            && self.timed > 0
        {
            counts.days.insert(days.max(0) as u32, n(self.timed));
        }
        counts
    }
}

/// Replied demands whose working days were never counted (saved before
/// the figures kept them); the supervision job fills them in.
pub async fn without_handling_days(conn: &mut Conn, limit: i64) -> sqlx::Result<Vec<Demand>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM demands WHERE replied_at IS NOT NULL AND assigned_at IS NOT NULL \
         AND handling_days IS NULL ORDER BY id LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(conn)
    .await
}

pub async fn set_handling_days(conn: &mut Conn, id: i64, days: u32) -> sqlx::Result<()> {
    let before = tally::standing(conn, id).await?;
    sqlx::query("UPDATE demands SET handling_days = $1 WHERE id = $2")
        .bind(i64::from(days))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let after = before.as_ref().map(|b| b.with_handling_days(days));
    tally::restate(conn, before.as_ref(), after.as_ref()).await
}
