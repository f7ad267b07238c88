//! Login throttling over a sliding window, from the `login_failures` table.
//!
//! Three limits, chosen so that an attacker cannot lock a real user out for
//! good: failures for one account *from one address* lock only that pair;
//! an address that fails on many different accounts is slowed as a whole
//! (password spraying); and a very high count for one account from
//! everywhere (a botnet) pauses that account for the rest of the window only.
//! A success clears the pair's failures. Every lock ends when the window
//! slides past the failures that caused it.

use chrono::Duration;

use crate::app::App;
use crate::db::{Conn, Timestamp};
use crate::error::{Error, Result};

pub(crate) async fn check(conn: &mut Conn, app: &App, username: &str, address: &str) -> Result<()> {
    let cfg = &app.config.auth;
    let now = app.now();
    let since = now - Duration::minutes(cfg.login_window_minutes);
    let window = Duration::minutes(cfg.login_window_minutes);

    let pair: Vec<Timestamp> = sqlx::query_scalar(
        "SELECT at FROM login_failures WHERE username = $1 AND address = $2 AND at > $3 ORDER BY at DESC",
    )
    .bind(username)
    .bind(address)
    .bind(since)
    .fetch_all(&mut *conn)
    .await?;
    if let Some(at) = nth_newest(&pair, cfg.login_max_failures_per_account_address) {
        return Err(throttled(now, at + window));
    }

    let accounts: i64 = sqlx::query_scalar(
        "SELECT COUNT(DISTINCT username) FROM login_failures WHERE address = $1 AND at > $2 AND username <> $3",
    )
    .bind(address)
    .bind(since)
    .bind(username)
    .fetch_one(&mut *conn)
    .await?;
    if accounts >= cfg.login_max_accounts_per_address {
        return Err(throttled(now, now + window));
    }

    let everywhere: Vec<Timestamp> = sqlx::query_scalar(
        "SELECT at FROM login_failures WHERE username = $1 AND at > $2 ORDER BY at DESC LIMIT $3",
    )
    .bind(username)
    .bind(since)
    .bind(cfg.login_max_failures_per_account)
    .fetch_all(&mut *conn)
    .await?;
    if let Some(at) = nth_newest(&everywhere, cfg.login_max_failures_per_account) {
        return Err(throttled(now, at + window));
    }
    Ok(())
}

pub(crate) async fn record_failure(
    conn: &mut Conn,
    app: &App,
    username: &str,
    address: &str,
) -> Result<()> {
    sqlx::query("INSERT INTO login_failures (username, address, at) VALUES ($1, $2, $3)")
        .bind(username)
        .bind(address)
        .bind(app.now())
        .execute(conn)
        .await?;
    Ok(())
}

pub(crate) async fn clear(conn: &mut Conn, username: &str, address: &str) -> Result<()> {
    sqlx::query("DELETE FROM login_failures WHERE username = $1 AND address = $2")
        .bind(username)
        .bind(address)
        .execute(conn)
        .await?;
    Ok(())
}

pub(crate) async fn purge_old(conn: &mut Conn, app: &App) -> Result<u64> {
    let since = app.now() - Duration::minutes(app.config.auth.login_window_minutes);
    let done = sqlx::query("DELETE FROM login_failures WHERE at <= $1")
        .bind(since)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// With failures newest first, the one whose ageing out lifts the limit.
fn nth_newest(newest_first: &[Timestamp], limit: i64) -> Option<Timestamp> {
    let limit = usize::try_from(limit).ok()?;
    (newest_first.len() >= limit).then(|| newest_first[limit - 1])
}

fn throttled(now: Timestamp, until: Timestamp) -> Error {
    let seconds = (until.0 - now.0).num_seconds().max(1);
    Error::Throttled {
        retry_after_minutes: (seconds + 59) / 60,
    }
}
