//! SQL for notifications and their recipients.

use crate::db::{Conn, Timestamp};
use crate::notifications::model::{Kind, Notification, Recipients};

const COLUMNS: &str = "id, user_id, kind, subject_type, subject_id, title, created_at, read_at";

/// The active accounts that `to` names, without those who muted `kind`.
pub async fn recipients(conn: &mut Conn, to: &Recipients, kind: Kind) -> sqlx::Result<Vec<i64>> {
    let not_muted = "AND disabled_at IS NULL AND NOT EXISTS (SELECT 1 FROM notification_mutes m \
                     WHERE m.user_id = users.id AND m.kind = $1)";
    match to {
        Recipients::Departments(ids) if ids.is_empty() => Ok(Vec::new()),
        Recipients::Departments(ids) => {
            let list: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 2)).collect();
            let sql = format!(
                "SELECT id FROM users WHERE role = 'officer' AND department_id IN ({}) {not_muted} ORDER BY id",
                list.join(", ")
            );
            let mut q = sqlx::query_scalar(&sql).bind(kind);
            for id in ids {
                q = q.bind(*id);
            }
            q.fetch_all(conn).await
        }
        Recipients::Coordinators | Recipients::Leaders => {
            let role = if matches!(to, Recipients::Leaders) {
                "leader"
            } else {
                "coordinator"
            };
            sqlx::query_scalar(&format!(
                "SELECT id FROM users WHERE role = $2 {not_muted} ORDER BY id"
            ))
            .bind(kind)
            .bind(role)
            .fetch_all(conn)
            .await
        }
        Recipients::Enterprise(e) => {
            sqlx::query_scalar(&format!(
                "SELECT id FROM users WHERE role = 'enterprise' AND enterprise_id = $2 {not_muted} ORDER BY id"
            ))
            .bind(kind)
            .bind(*e)
            .fetch_all(conn)
            .await
        }
    }
}

pub async fn insert(
    conn: &mut Conn,
    users: &[i64],
    kind: Kind,
    subject: (&str, i64),
    title: &str,
    now: Timestamp,
) -> sqlx::Result<()> {
    for chunk in users.chunks(100) {
        let rows: Vec<String> = (0..chunk.len())
            .map(|i| format!("(${}, $1, $2, $3, $4, $5)", i + 6))
            .collect();
        let sql = format!(
            "INSERT INTO notifications (user_id, kind, subject_type, subject_id, title, created_at) VALUES {}",
            rows.join(", ")
        );
        let mut q = sqlx::query(&sql)
            .bind(kind)
            .bind(subject.0)
            .bind(subject.1)
            .bind(title)
            .bind(now);
        for u in chunk {
            q = q.bind(*u);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// The user's notifications, newest first.
pub async fn list(
    conn: &mut Conn,
    user_id: i64,
    before: Option<i64>,
    limit: i64,
) -> sqlx::Result<Vec<Notification>> {
    // Newest ids are below i64::MAX, so "before MAX" is the first page.
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM notifications WHERE user_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3"
    ))
    .bind(user_id)
    .bind(before.unwrap_or(i64::MAX))
    .bind(limit)
    .fetch_all(conn)
    .await
}

pub async fn unread_count(conn: &mut Conn, user_id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL")
        .bind(user_id)
        .fetch_one(conn)
        .await
}

/// Marks the user's notifications read: these, or all when `ids` is empty.
pub async fn mark_read(
    conn: &mut Conn,
    user_id: i64,
    ids: &[i64],
    now: Timestamp,
) -> sqlx::Result<u64> {
    let done = if ids.is_empty() {
        sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
            .bind(now)
            .bind(user_id)
            .execute(conn)
            .await?
    } else {
        let list: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 3)).collect();
        let sql = format!(
            "UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL AND id IN ({})",
            list.join(", ")
        );
        let mut q = sqlx::query(&sql).bind(now).bind(user_id);
        for id in ids {
            q = q.bind(*id);
        }
        q.execute(conn).await?
    };
    Ok(done.rows_affected())
}

pub async fn mutes(conn: &mut Conn, user_id: i64) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar("SELECT kind FROM notification_mutes WHERE user_id = $1 ORDER BY kind")
        .bind(user_id)
        .fetch_all(conn)
        .await
}

pub async fn set_mutes(conn: &mut Conn, user_id: i64, kinds: &[Kind]) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM notification_mutes WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    for k in kinds {
        sqlx::query("INSERT INTO notification_mutes (user_id, kind) VALUES ($1, $2)")
            .bind(user_id)
            .bind(*k)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
