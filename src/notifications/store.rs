//! SQL for notifications and their recipients.

use crate::db::{Conn, Timestamp};
use crate::notifications::model::{Kind, Notification, Recipients};

const COLUMNS: &str = "id, user_id, kind, subject_type, subject_id, title, created_at, read_at";

/// One who is to be told, and whether they can be emailed.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Recipient {
    pub id: i64,
    pub email: Option<String>,
}

impl Recipient {
    fn has_email(&self) -> bool {
        self.email.as_deref().is_some_and(|e| !e.trim().is_empty())
    }
}

/// The active accounts that `to` names, without those who muted `kind`.
pub async fn recipients(
    conn: &mut Conn,
    to: &Recipients,
    kind: Kind,
) -> sqlx::Result<Vec<Recipient>> {
    let not_muted = "AND disabled_at IS NULL AND NOT EXISTS (SELECT 1 FROM notification_mutes m \
                     WHERE m.user_id = users.id AND m.kind = $1)";
    match to {
        Recipients::Departments(ids) if ids.is_empty() => Ok(Vec::new()),
        Recipients::Departments(ids) => {
            let list: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 2)).collect();
            let sql = format!(
                "SELECT id, email FROM users WHERE role = 'officer' AND department_id IN ({}) {not_muted} ORDER BY id",
                list.join(", ")
            );
            let mut q = sqlx::query_as(&sql).bind(kind);
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
            sqlx::query_as(&format!(
                "SELECT id, email FROM users WHERE role = $2 {not_muted} ORDER BY id"
            ))
            .bind(kind)
            .bind(role)
            .fetch_all(conn)
            .await
        }
        Recipients::Enterprise(e) => {
            sqlx::query_as(&format!(
                "SELECT id, email FROM users WHERE role = 'enterprise' AND enterprise_id = $2 {not_muted} ORDER BY id"
            ))
            .bind(kind)
            .bind(*e)
            .fetch_all(conn)
            .await
        }
    }
}

/// Writes one notice per recipient; with `by_mail`, those with an address
/// are queued for email too.
pub async fn insert(
    conn: &mut Conn,
    users: &[Recipient],
    kind: Kind,
    subject: (&str, i64),
    title: &str,
    now: Timestamp,
    by_mail: bool,
) -> sqlx::Result<()> {
    for chunk in users.chunks(100) {
        let rows: Vec<String> = chunk
            .iter()
            .enumerate()
            .map(|(i, user)| {
                let mail = if by_mail && user.has_email() {
                    "'pending', $5"
                } else {
                    "NULL, NULL"
                };
                format!("(${}, $1, $2, $3, $4, $5, {mail})", i + 6)
            })
            .collect();
        let sql = format!(
            "INSERT INTO notifications (user_id, kind, subject_type, subject_id, title, created_at, \
             mail_state, mail_next_at) VALUES {}",
            rows.join(", ")
        );
        let mut q = sqlx::query(&sql)
            .bind(kind)
            .bind(subject.0)
            .bind(subject.1)
            .bind(title)
            .bind(now);
        for user in chunk {
            q = q.bind(user.id);
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

/// The unread count of the user `u` as a subquery, for a query that reads
/// the user anyway (the session behind every page).
pub const UNREAD_OF_USER_U: &str =
    "(SELECT COUNT(*) FROM notifications n WHERE n.user_id = u.id AND n.read_at IS NULL)";

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

/// A notice waiting to be emailed, with what its email needs.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct QueuedMail {
    pub id: i64,
    pub kind: Kind,
    pub subject_type: String,
    pub subject_id: i64,
    pub title: String,
    pub mail_attempts: i64,
    pub email: String,
    pub display_name: String,
    pub locale: Option<String>,
}

impl QueuedMail {
    pub fn href(&self) -> String {
        crate::notifications::model::href(&self.subject_type, self.subject_id)
    }
}

/// Emails due now, oldest first. A recipient who lost their address since
/// is skipped here and given up by [`drop_unaddressed`].
pub async fn queued_mail(
    conn: &mut Conn,
    now: Timestamp,
    limit: i64,
) -> sqlx::Result<Vec<QueuedMail>> {
    sqlx::query_as(
        "SELECT n.id, n.kind, n.subject_type, n.subject_id, n.title, n.mail_attempts, u.email, \
         u.display_name, u.locale FROM notifications n JOIN users u ON u.id = n.user_id \
         WHERE n.mail_state = 'pending' AND n.mail_next_at <= $1 AND u.email IS NOT NULL \
         AND u.email <> '' ORDER BY n.mail_next_at, n.id LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Gives up the queued emails of recipients who lost their address or
/// their account since.
pub async fn drop_unaddressed(conn: &mut Conn, now: Timestamp) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE notifications SET mail_state = 'failed', mail_error = 'no address' \
         WHERE mail_state = 'pending' AND mail_next_at <= $1 AND user_id IN \
         (SELECT id FROM users WHERE email IS NULL OR email = '' OR disabled_at IS NOT NULL)",
    )
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Takes a due email for one sender until `until`; false when another
/// sender took it first.
pub async fn claim_mail(
    conn: &mut Conn,
    id: i64,
    now: Timestamp,
    until: Timestamp,
) -> sqlx::Result<bool> {
    let claimed = sqlx::query(
        "UPDATE notifications SET mail_next_at = $1 WHERE id = $2 AND mail_state = 'pending' \
         AND mail_next_at <= $3",
    )
    .bind(until)
    .bind(id)
    .bind(now)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(claimed == 1)
}

pub async fn mail_sent(conn: &mut Conn, id: i64, now: Timestamp) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE notifications SET mail_state = 'sent', mailed_at = $1, mail_attempts = mail_attempts + 1, \
         mail_next_at = NULL, mail_error = NULL WHERE id = $2",
    )
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records a failed try: queued again at `retry_at`, or given up.
pub async fn mail_failed(
    conn: &mut Conn,
    id: i64,
    attempts: i64,
    error: &str,
    give_up: bool,
    retry_at: Timestamp,
) -> sqlx::Result<()> {
    let error: String = error.chars().take(1000).collect();
    sqlx::query(
        "UPDATE notifications SET mail_state = $1, mail_attempts = $2, mail_error = $3, mail_next_at = $4 \
         WHERE id = $5",
    )
    .bind(if give_up { "failed" } else { "pending" })
    .bind(attempts)
    .bind(error)
    .bind((!give_up).then_some(retry_at))
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn mail_due_count(conn: &mut Conn, now: Timestamp) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT 1 FROM notifications WHERE mail_state = 'pending' \
         AND mail_next_at <= $1 LIMIT 1) due",
    )
    .bind(now)
    .fetch_one(conn)
    .await
}
