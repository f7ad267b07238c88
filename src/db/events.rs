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
    sqlx::query(
        "INSERT INTO events (at, actor_user_id, actor_name, entity_type, entity_id, action, \
         before_json, after_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(at)
    .bind(actor.user_id)
    .bind(actor.username.as_str())
    .bind(entity.kind)
    .bind(entity.id)
    .bind(action)
    .bind(to_json(before)?)
    .bind(to_json(after)?)
    .execute(conn)
    .await?;
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
