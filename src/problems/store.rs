//! The common problems' SQL.

use super::model::{CommonProblem, Member, ProblemState};
use crate::db::{Conn, Timestamp, select_in};

const COLUMNS: &str = "id, title, summary, lead_department_id, due_on, state, reply, policy_basis, \
     replied_at, replied_by, closed_at, created_by, created_at, updated_at";

pub struct NewProblem<'a> {
    pub title: &'a str,
    pub summary: Option<&'a str>,
    pub lead_department_id: i64,
    pub due_on: &'a str,
    pub created_by: Option<i64>,
}

pub async fn insert(
    conn: &mut Conn,
    p: &NewProblem<'_>,
    now: Timestamp,
) -> sqlx::Result<CommonProblem> {
    sqlx::query_as(&format!(
        "INSERT INTO common_problems (title, summary, lead_department_id, due_on, state, \
         created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, 'open', $5, $6, $6) \
         RETURNING {COLUMNS}"
    ))
    .bind(p.title)
    .bind(p.summary)
    .bind(p.lead_department_id)
    .bind(p.due_on)
    .bind(p.created_by)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
}

pub async fn get(conn: &mut Conn, id: i64) -> sqlx::Result<Option<CommonProblem>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM common_problems WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
}

/// Reads a problem and locks it until the transaction ends (an UPDATE locks
/// on both backends).
pub async fn get_for_update(conn: &mut Conn, id: i64) -> sqlx::Result<Option<CommonProblem>> {
    sqlx::query_as(&format!(
        "UPDATE common_problems SET updated_at = updated_at WHERE id = $1 RETURNING {COLUMNS}"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
}

/// Newest first, with member and enterprise counts.
pub async fn list(
    conn: &mut Conn,
    state: Option<ProblemState>,
) -> sqlx::Result<Vec<(CommonProblem, i64, i64)>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        problem: CommonProblem,
        demands: i64,
        enterprises: i64,
    }
    let filter = if state.is_some() {
        "WHERE p.state = $1"
    } else {
        ""
    };
    let sql = format!(
        "SELECT p.id, p.title, p.summary, p.lead_department_id, p.due_on, p.state, p.reply, \
         p.policy_basis, p.replied_at, p.replied_by, p.closed_at, p.created_by, p.created_at, \
         p.updated_at, \
         (SELECT COUNT(*) FROM common_problem_members m WHERE m.problem_id = p.id) AS demands, \
         (SELECT COUNT(DISTINCT d.enterprise_id) FROM common_problem_members m \
          JOIN demands d ON d.id = m.demand_id WHERE m.problem_id = p.id) AS enterprises \
         FROM common_problems p {filter} ORDER BY p.id DESC"
    );
    let mut query = sqlx::query_as::<_, Row>(&sql);
    if let Some(state) = state {
        query = query.bind(state.as_str());
    }
    Ok(query
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|r| (r.problem, r.demands, r.enterprises))
        .collect())
}

pub async fn members(conn: &mut Conn, problem_id: i64) -> sqlx::Result<Vec<Member>> {
    sqlx::query_as(
        "SELECT d.id AS demand_id, d.enterprise_id, d.title, d.lang, d.state, d.rating \
         FROM common_problem_members m JOIN demands d ON d.id = m.demand_id \
         WHERE m.problem_id = $1 ORDER BY d.id",
    )
    .bind(problem_id)
    .fetch_all(&mut *conn)
    .await
}

/// Which of these demands already belong to a common problem.
pub async fn memberships(conn: &mut Conn, demand_ids: &[i64]) -> sqlx::Result<Vec<(i64, i64)>> {
    select_in(
        conn,
        "SELECT demand_id, problem_id FROM common_problem_members WHERE demand_id IN ({in})",
        demand_ids,
    )
    .await
}

pub async fn add_member(
    conn: &mut Conn,
    problem_id: i64,
    demand_id: i64,
    now: Timestamp,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO common_problem_members (demand_id, problem_id, added_at) VALUES ($1, $2, $3)",
    )
    .bind(demand_id)
    .bind(problem_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn remove_member(conn: &mut Conn, problem_id: i64, demand_id: i64) -> sqlx::Result<u64> {
    Ok(
        sqlx::query("DELETE FROM common_problem_members WHERE problem_id = $1 AND demand_id = $2")
            .bind(problem_id)
            .bind(demand_id)
            .execute(&mut *conn)
            .await?
            .rows_affected(),
    )
}

pub async fn save(
    conn: &mut Conn,
    p: &CommonProblem,
    now: Timestamp,
) -> sqlx::Result<CommonProblem> {
    sqlx::query_as(&format!(
        "UPDATE common_problems SET title = $1, summary = $2, lead_department_id = $3, due_on = $4, \
         state = $5, reply = $6, policy_basis = $7, replied_at = $8, replied_by = $9, closed_at = $10, \
         updated_at = $11 WHERE id = $12 RETURNING {COLUMNS}"
    ))
    .bind(&p.title)
    .bind(&p.summary)
    .bind(p.lead_department_id)
    .bind(&p.due_on)
    .bind(p.state)
    .bind(&p.reply)
    .bind(&p.policy_basis)
    .bind(p.replied_at)
    .bind(p.replied_by)
    .bind(p.closed_at)
    .bind(now)
    .bind(p.id)
    .fetch_one(&mut *conn)
    .await
}

/// Open demands not yet in a common problem, newest first: what proposals
/// are made from.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Candidate {
    pub id: i64,
    pub enterprise_id: i64,
    pub title: String,
    pub body: String,
    pub lang: String,
    pub state: String,
}

pub async fn open_unassigned_demands(conn: &mut Conn, limit: i64) -> sqlx::Result<Vec<Candidate>> {
    sqlx::query_as(
        "SELECT d.id, d.enterprise_id, d.title, d.body, d.lang, d.state FROM demands d \
         WHERE d.state IN ('submitted', 'accepted', 'assigned', 'returned', 'in_progress', \
         'awaiting_enterprise') \
         AND NOT EXISTS (SELECT 1 FROM common_problem_members m WHERE m.demand_id = d.id) \
         ORDER BY d.id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&mut *conn)
    .await
}
