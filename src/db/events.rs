//! The append-only event log. Every state change calls [`record`] inside the
//! transaction that makes the change, so the log and the data cannot disagree.
//! Timelines and the audit trail are read from here.

use serde::Serialize;
use serde_json::Value;

use crate::auth::Actor;
use crate::db::{Conn, Timestamp};

/// What an event is about: a kind of entity and its id.
#[derive(Debug, Clone, Copy)]
pub struct Entity {
    pub kind: &'static str,
    pub id: i64,
}

impl Entity {
    pub const fn new(kind: &'static str, id: i64) -> Entity {
        Entity { kind, id }
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Event {
    pub id: i64,
    pub at: Timestamp,
    pub actor_user_id: Option<i64>,
    pub actor_name: String,
    pub entity_type: String,
    pub entity_id: i64,
    pub action: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
}

/// Appends one event. `before` and `after` are the entity's state as JSON.
pub async fn record(
    conn: &mut Conn,
    actor: &Actor,
    at: Timestamp,
    entity: Entity,
    action: &str,
    before: Option<&impl Serialize>,
    after: Option<&impl Serialize>,
) -> anyhow::Result<()> {
    let change = Change {
        entity,
        action: action.to_string(),
        before: to_json(before)?,
        after: to_json(after)?,
    };
    record_all(conn, actor, at, &[change]).await
}

/// One change for [`record_all`]: the entity, the action and its states as JSON.
pub struct Change {
    pub entity: Entity,
    pub action: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl Change {
    pub fn new(
        entity: Entity,
        action: &str,
        before: Option<&impl Serialize>,
        after: Option<&impl Serialize>,
    ) -> anyhow::Result<Change> {
        Ok(Change {
            entity,
            action: action.to_string(),
            before: to_json(before)?,
            after: to_json(after)?,
        })
    }
}

/// Appends many events by one actor at one time, in multi-row statements
/// (bulk imports write thousands; one statement each would be as many round
/// trips to the database).
pub async fn record_all(
    conn: &mut Conn,
    actor: &Actor,
    at: Timestamp,
    changes: &[Change],
) -> anyhow::Result<()> {
    const COLUMNS: usize = 8;
    for chunk in changes.chunks(500) {
        let rows: Vec<String> = (0..chunk.len())
            .map(|r| {
                let params: Vec<String> = (1..=COLUMNS)
                    .map(|c| format!("${}", r * COLUMNS + c))
                    .collect();
                format!("({})", params.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO events (at, actor_user_id, actor_name, entity_type, entity_id, action, before_json, \
             after_json) VALUES {}",
            rows.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for change in chunk {
            query = query
                .bind(at)
                .bind(actor.user_id)
                .bind(actor.username.as_str())
                .bind(change.entity.kind)
                .bind(change.entity.id)
                .bind(change.action.as_str())
                .bind(change.before.as_deref())
                .bind(change.after.as_deref());
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

fn to_json(value: Option<&impl Serialize>) -> anyhow::Result<Option<String>> {
    Ok(match value {
        Some(v) => Some(serde_json::to_string(v)?),
        None => None,
    })
}

/// Events about one entity, oldest first.
pub async fn for_entity(conn: &mut Conn, entity: Entity) -> anyhow::Result<Vec<Event>> {
    Ok(sqlx::query_as::<_, Event>(
        "SELECT id, at, actor_user_id, actor_name, entity_type, entity_id, action, before_json, \
         after_json FROM events WHERE entity_type = $1 AND entity_id = $2 ORDER BY id",
    )
    .bind(entity.kind)
    .bind(entity.id)
    .fetch_all(conn)
    .await?)
}

/// The newest events of all kinds, for the audit page.
pub async fn latest(conn: &mut Conn, limit: i64) -> anyhow::Result<Vec<Event>> {
    Ok(sqlx::query_as::<_, Event>(
        "SELECT id, at, actor_user_id, actor_name, entity_type, entity_id, action, before_json, \
         after_json FROM events ORDER BY id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// Parses a stored JSON column back into a value (for pages and the API).
pub fn json(column: &Option<String>) -> Option<Value> {
    column.as_deref().and_then(|s| serde_json::from_str(s).ok())
}
