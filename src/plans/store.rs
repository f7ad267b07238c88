//! The plans' SQL.

use super::model::{Goal, Kpi, KpiValue, Milestone, Plan, Report, Task, TaskStatus};
use crate::db::{Conn, Timestamp, select_in};

const PLAN: &str = "id, title, summary, horizon, starts_on, ends_on, key_areas, key_industries, \
     status, approved_by, approved_at, created_by, created_at, updated_at";
const GOAL: &str = "id, plan_id, title, description, position, progress, created_at, updated_at";
const KPI: &str = "id, goal_id, name, unit, direction, source, tag_id, baseline, baseline_on, \
     target, target_on, created_at, updated_at";
const TASK: &str = "id, plan_id, goal_id, parent_id, title, objective, measures, \
     lead_department_id, starts_on, due_on, weight, progress, status, done_on, position, \
     created_by, created_at, updated_at";

// ---- plans ----

pub async fn insert_plan(conn: &mut Conn, p: &Plan, now: Timestamp) -> sqlx::Result<Plan> {
    sqlx::query_as(&format!(
        "INSERT INTO plans (title, summary, horizon, starts_on, ends_on, key_areas, \
         key_industries, status, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING {PLAN}"
    ))
    .bind(&p.title)
    .bind(&p.summary)
    .bind(p.horizon)
    .bind(&p.starts_on)
    .bind(&p.ends_on)
    .bind(&p.key_areas)
    .bind(&p.key_industries)
    .bind(p.status)
    .bind(p.created_by)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
}

pub async fn plan(conn: &mut Conn, id: i64) -> sqlx::Result<Option<Plan>> {
    sqlx::query_as(&format!("SELECT {PLAN} FROM plans WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
}

/// Reads a plan and locks it until the transaction ends: every change to
/// a plan's goals and tasks takes this lock first, so roll-ups of one plan
/// happen one at a time.
pub async fn plan_for_update(conn: &mut Conn, id: i64) -> sqlx::Result<Option<Plan>> {
    sqlx::query_as(&format!(
        "UPDATE plans SET updated_at = updated_at WHERE id = $1 RETURNING {PLAN}"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
}

pub async fn plans(conn: &mut Conn) -> sqlx::Result<Vec<Plan>> {
    sqlx::query_as(&format!(
        "SELECT {PLAN} FROM plans ORDER BY starts_on DESC, id DESC"
    ))
    .fetch_all(&mut *conn)
    .await
}

pub async fn save_plan(conn: &mut Conn, p: &Plan, now: Timestamp) -> sqlx::Result<Plan> {
    sqlx::query_as(&format!(
        "UPDATE plans SET title = $1, summary = $2, horizon = $3, starts_on = $4, ends_on = $5, \
         key_areas = $6, key_industries = $7, status = $8, approved_by = $9, approved_at = $10, \
         updated_at = $11 WHERE id = $12 RETURNING {PLAN}"
    ))
    .bind(&p.title)
    .bind(&p.summary)
    .bind(p.horizon)
    .bind(&p.starts_on)
    .bind(&p.ends_on)
    .bind(&p.key_areas)
    .bind(&p.key_industries)
    .bind(p.status)
    .bind(p.approved_by)
    .bind(p.approved_at)
    .bind(now)
    .bind(p.id)
    .fetch_one(&mut *conn)
    .await
}

// ---- goals ----

pub async fn insert_goal(
    conn: &mut Conn,
    plan_id: i64,
    title: &str,
    description: Option<&str>,
    now: Timestamp,
) -> sqlx::Result<Goal> {
    sqlx::query_as(&format!(
        "INSERT INTO plan_goals (plan_id, title, description, position, progress, created_at, \
         updated_at) VALUES ($1, $2, $3, \
         (SELECT COALESCE(MAX(position), 0) + 1 FROM plan_goals WHERE plan_id = $1), 0, $4, $4) \
         RETURNING {GOAL}"
    ))
    .bind(plan_id)
    .bind(title)
    .bind(description)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
}

pub async fn goal(conn: &mut Conn, id: i64) -> sqlx::Result<Option<Goal>> {
    sqlx::query_as(&format!("SELECT {GOAL} FROM plan_goals WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
}

pub async fn goals(conn: &mut Conn, plan_id: i64) -> sqlx::Result<Vec<Goal>> {
    sqlx::query_as(&format!(
        "SELECT {GOAL} FROM plan_goals WHERE plan_id = $1 ORDER BY position, id"
    ))
    .bind(plan_id)
    .fetch_all(&mut *conn)
    .await
}

/// Every plan's goals' progress: (plan id, progress).
pub async fn goal_progress(conn: &mut Conn) -> sqlx::Result<Vec<(i64, f64)>> {
    sqlx::query_as("SELECT plan_id, progress FROM plan_goals ORDER BY plan_id, position")
        .fetch_all(&mut *conn)
        .await
}

pub async fn save_goal(
    conn: &mut Conn,
    id: i64,
    title: &str,
    description: Option<&str>,
    now: Timestamp,
) -> sqlx::Result<Goal> {
    sqlx::query_as(&format!(
        "UPDATE plan_goals SET title = $1, description = $2, updated_at = $3 WHERE id = $4 \
         RETURNING {GOAL}"
    ))
    .bind(title)
    .bind(description)
    .bind(now)
    .bind(id)
    .fetch_one(&mut *conn)
    .await
}

pub async fn set_goal_progress(conn: &mut Conn, id: i64, progress: f64) -> sqlx::Result<()> {
    sqlx::query("UPDATE plan_goals SET progress = $1 WHERE id = $2")
        .bind(progress)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

// ---- KPIs ----

pub async fn insert_kpi(conn: &mut Conn, k: &Kpi, now: Timestamp) -> sqlx::Result<Kpi> {
    sqlx::query_as(&format!(
        "INSERT INTO goal_kpis (goal_id, name, unit, direction, source, tag_id, baseline, \
         baseline_on, target, target_on, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING {KPI}"
    ))
    .bind(k.goal_id)
    .bind(&k.name)
    .bind(&k.unit)
    .bind(k.direction)
    .bind(&k.source)
    .bind(k.tag_id)
    .bind(&k.baseline)
    .bind(&k.baseline_on)
    .bind(&k.target)
    .bind(&k.target_on)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
}

pub async fn save_kpi(conn: &mut Conn, k: &Kpi, now: Timestamp) -> sqlx::Result<Kpi> {
    sqlx::query_as(&format!(
        "UPDATE goal_kpis SET name = $1, unit = $2, direction = $3, source = $4, tag_id = $5, \
         baseline = $6, baseline_on = $7, target = $8, target_on = $9, updated_at = $10 \
         WHERE id = $11 RETURNING {KPI}"
    ))
    .bind(&k.name)
    .bind(&k.unit)
    .bind(k.direction)
    .bind(&k.source)
    .bind(k.tag_id)
    .bind(&k.baseline)
    .bind(&k.baseline_on)
    .bind(&k.target)
    .bind(&k.target_on)
    .bind(now)
    .bind(k.id)
    .fetch_one(&mut *conn)
    .await
}

pub async fn kpi(conn: &mut Conn, id: i64) -> sqlx::Result<Option<Kpi>> {
    sqlx::query_as(&format!("SELECT {KPI} FROM goal_kpis WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
}

pub async fn kpis(conn: &mut Conn, goal_ids: &[i64]) -> sqlx::Result<Vec<Kpi>> {
    select_in(
        conn,
        &format!("SELECT {KPI} FROM goal_kpis WHERE goal_id IN ({{in}}) ORDER BY id"),
        goal_ids,
    )
    .await
}

pub async fn kpi_values(conn: &mut Conn, kpi_ids: &[i64]) -> sqlx::Result<Vec<KpiValue>> {
    select_in(
        conn,
        "SELECT id, kpi_id, value, observed_on, source, entered_by, entered_at FROM kpi_values \
         WHERE kpi_id IN ({in}) ORDER BY observed_on, id",
        kpi_ids,
    )
    .await
}

/// Whether a KPI has a value for this day already.
pub async fn has_value_on(conn: &mut Conn, kpi_id: i64, day: &str) -> sqlx::Result<bool> {
    let found: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM kpi_values WHERE kpi_id = $1 AND observed_on = $2 LIMIT 1")
            .bind(kpi_id)
            .bind(day)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(found.is_some())
}

pub async fn insert_kpi_value(
    conn: &mut Conn,
    kpi_id: i64,
    value: &str,
    observed_on: &str,
    source: Option<&str>,
    entered_by: Option<i64>,
    now: Timestamp,
) -> sqlx::Result<KpiValue> {
    sqlx::query_as(
        "INSERT INTO kpi_values (kpi_id, value, observed_on, source, entered_by, entered_at) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         RETURNING id, kpi_id, value, observed_on, source, entered_by, entered_at",
    )
    .bind(kpi_id)
    .bind(value)
    .bind(observed_on)
    .bind(source)
    .bind(entered_by)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
}

// ---- tasks ----

pub async fn insert_task(conn: &mut Conn, t: &Task, now: Timestamp) -> sqlx::Result<Task> {
    sqlx::query_as(&format!(
        "INSERT INTO plan_tasks (plan_id, goal_id, parent_id, title, objective, measures, \
         lead_department_id, starts_on, due_on, weight, progress, status, position, created_by, \
         created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, $11, \
         (SELECT COALESCE(MAX(position), 0) + 1 FROM plan_tasks WHERE plan_id = $1), $12, $13, $13) \
         RETURNING {TASK}"
    ))
    .bind(t.plan_id)
    .bind(t.goal_id)
    .bind(t.parent_id)
    .bind(&t.title)
    .bind(&t.objective)
    .bind(&t.measures)
    .bind(t.lead_department_id)
    .bind(&t.starts_on)
    .bind(&t.due_on)
    .bind(t.weight)
    .bind(t.status)
    .bind(t.created_by)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
}

pub async fn task(conn: &mut Conn, id: i64) -> sqlx::Result<Option<Task>> {
    sqlx::query_as(&format!("SELECT {TASK} FROM plan_tasks WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
}

/// A plan's tasks in book order (goal, then position).
pub async fn plan_tasks(conn: &mut Conn, plan_id: i64) -> sqlx::Result<Vec<Task>> {
    sqlx::query_as(&format!(
        "SELECT t.{} FROM plan_tasks t JOIN plan_goals g ON g.id = t.goal_id \
         WHERE t.plan_id = $1 ORDER BY g.position, t.position, t.id",
        TASK.replace(", ", ", t.")
    ))
    .bind(plan_id)
    .fetch_all(&mut *conn)
    .await
}

/// Tasks a department leads or works on as a co-unit, by due day; any
/// department's when `department_id` is `None`.
pub async fn department_tasks(
    conn: &mut Conn,
    department_id: Option<i64>,
    status: Option<TaskStatus>,
) -> sqlx::Result<Vec<Task>> {
    let mut filters = Vec::new();
    let mut n = 0;
    let mut next = || {
        n += 1;
        n
    };
    if department_id.is_some() {
        let (a, b) = (next(), next());
        filters.push(format!(
            "(t.lead_department_id = ${a} OR EXISTS (SELECT 1 FROM task_co_units c \
             WHERE c.task_id = t.id AND c.department_id = ${b}))"
        ));
    }
    if status.is_some() {
        filters.push(format!("t.status = ${}", next()));
    }
    let filter = if filters.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", filters.join(" AND "))
    };
    let sql = format!(
        "SELECT t.{} FROM plan_tasks t {filter} ORDER BY t.due_on, t.id",
        TASK.replace(", ", ", t.")
    );
    let mut query = sqlx::query_as::<_, Task>(&sql);
    if let Some(d) = department_id {
        query = query.bind(d).bind(d);
    }
    if let Some(s) = status {
        query = query.bind(s);
    }
    query.fetch_all(&mut *conn).await
}

pub async fn save_task(conn: &mut Conn, t: &Task, now: Timestamp) -> sqlx::Result<Task> {
    sqlx::query_as(&format!(
        "UPDATE plan_tasks SET title = $1, objective = $2, measures = $3, \
         lead_department_id = $4, starts_on = $5, due_on = $6, weight = $7, progress = $8, \
         updated_at = $9 WHERE id = $10 RETURNING {TASK}"
    ))
    .bind(&t.title)
    .bind(&t.objective)
    .bind(&t.measures)
    .bind(t.lead_department_id)
    .bind(&t.starts_on)
    .bind(&t.due_on)
    .bind(t.weight)
    .bind(t.progress)
    .bind(now)
    .bind(t.id)
    .fetch_one(&mut *conn)
    .await
}

/// Writes a computed standing (no `updated_at`: nobody changed the task).
pub async fn set_standing(
    conn: &mut Conn,
    id: i64,
    progress: f64,
    status: TaskStatus,
    done_on: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE plan_tasks SET progress = $1, status = $2, done_on = $3 WHERE id = $4")
        .bind(progress)
        .bind(status)
        .bind(done_on)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The ids of plans that have tasks not done (what the daily sweep
/// re-rolls).
/// Plans approved or in force: the ones supervision rolls up and whose
/// fed KPIs it records.
pub async fn live_plans(conn: &mut Conn) -> sqlx::Result<Vec<i64>> {
    let rows: Vec<(i64,)> =
        sqlx::query_as("SELECT id FROM plans WHERE status IN ('approved', 'in_force') ORDER BY id")
            .fetch_all(&mut *conn)
            .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

pub async fn co_units(conn: &mut Conn, task_ids: &[i64]) -> sqlx::Result<Vec<(i64, i64)>> {
    select_in(
        conn,
        "SELECT task_id, department_id FROM task_co_units WHERE task_id IN ({in}) \
         ORDER BY task_id, department_id",
        task_ids,
    )
    .await
}

pub async fn set_co_units(conn: &mut Conn, task_id: i64, departments: &[i64]) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM task_co_units WHERE task_id = $1")
        .bind(task_id)
        .execute(&mut *conn)
        .await?;
    for d in departments {
        sqlx::query("INSERT INTO task_co_units (task_id, department_id) VALUES ($1, $2)")
            .bind(task_id)
            .bind(d)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub async fn milestones(conn: &mut Conn, task_ids: &[i64]) -> sqlx::Result<Vec<Milestone>> {
    select_in(
        conn,
        "SELECT id, task_id, title, due_on, done_on FROM task_milestones \
         WHERE task_id IN ({in}) ORDER BY task_id, due_on, id",
        task_ids,
    )
    .await
}

pub async fn insert_milestone(
    conn: &mut Conn,
    task_id: i64,
    title: &str,
    due_on: &str,
) -> sqlx::Result<Milestone> {
    sqlx::query_as(
        "INSERT INTO task_milestones (task_id, title, due_on) VALUES ($1, $2, $3) \
         RETURNING id, task_id, title, due_on, done_on",
    )
    .bind(task_id)
    .bind(title)
    .bind(due_on)
    .fetch_one(&mut *conn)
    .await
}

pub async fn milestone(conn: &mut Conn, id: i64) -> sqlx::Result<Option<Milestone>> {
    sqlx::query_as("SELECT id, task_id, title, due_on, done_on FROM task_milestones WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
}

pub async fn set_milestone_done(
    conn: &mut Conn,
    id: i64,
    done_on: Option<&str>,
) -> sqlx::Result<Option<Milestone>> {
    sqlx::query_as(
        "UPDATE task_milestones SET done_on = $1 WHERE id = $2 \
         RETURNING id, task_id, title, due_on, done_on",
    )
    .bind(done_on)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
}

pub async fn reports(conn: &mut Conn, task_id: i64) -> sqlx::Result<Vec<Report>> {
    sqlx::query_as(
        "SELECT r.id, r.task_id, r.kind, r.percent, r.body, r.department_id, r.author_id, \
         u.display_name AS author_name, r.created_at \
         FROM task_reports r LEFT JOIN users u ON u.id = r.author_id \
         WHERE r.task_id = $1 ORDER BY r.id",
    )
    .bind(task_id)
    .fetch_all(&mut *conn)
    .await
}

pub async fn insert_report(conn: &mut Conn, r: &Report) -> sqlx::Result<Report> {
    sqlx::query_as(
        "INSERT INTO task_reports (task_id, kind, percent, body, department_id, author_id, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         RETURNING id, task_id, kind, percent, body, department_id, author_id, created_at",
    )
    .bind(r.task_id)
    .bind(r.kind)
    .bind(r.percent)
    .bind(&r.body)
    .bind(r.department_id)
    .bind(r.author_id)
    .bind(r.created_at)
    .fetch_one(&mut *conn)
    .await
}

/// Open tasks of live plans due by `until` (late ones included).
pub async fn due_by(conn: &mut Conn, until: &str) -> sqlx::Result<Vec<Task>> {
    sqlx::query_as(&format!(
        "SELECT t.{} FROM plan_tasks t JOIN plans p ON p.id = t.plan_id \
         WHERE t.status <> 'done' AND t.due_on <= $1 AND p.status IN ('approved', 'in_force') \
         ORDER BY t.due_on, t.id",
        TASK.replace(", ", ", t.")
    ))
    .bind(until)
    .fetch_all(&mut *conn)
    .await
}

/// Claims a supervision notice; false when it was already sent.
pub async fn claim_notice(
    conn: &mut Conn,
    task_id: i64,
    level: &str,
    due_on: &str,
    now: Timestamp,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO task_notices (task_id, level, due_on, sent_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (task_id, level, due_on) DO NOTHING",
    )
    .bind(task_id)
    .bind(level)
    .bind(due_on)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
