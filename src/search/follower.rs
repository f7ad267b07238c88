//! Keeping the index current from the event log.
//!
//! Every change writes its event in the transaction that makes it
//! (`db::events`), so the log is a durable queue of what the index must
//! catch up on. Each instance follows it with its own index: it reads the
//! events after the position its index recorded, re-reads the items they
//! name and commits them together with the new position. A crash between a
//! change's commit and the index's only means the next run reads those
//! events again.
//!
//! On PostgreSQL, ids come from a sequence and a transaction that took a
//! lower id may commit after one that took a higher: the position only
//! moves past a missing id once it has been missing for [`GAP_PATIENCE`]
//! (long enough for any transaction of ours; after that it was rolled
//! back).

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use tantivy::IndexWriter;

use super::documents;
use super::index::{Generation, Kind};
use super::store::{self, Rows};
use crate::app::App;

/// How long a missing event id is waited for.
const GAP_PATIENCE: Duration = Duration::from_secs(10);
/// Events read per step.
const BATCH: i64 = 2000;
/// Rows read per step of a rebuild.
const REBUILD_BATCH: i64 = 2000;
/// A rebuild starts this many events before the log's end, so that changes
/// committed while it read (with ids taken before it began) are applied.
const REBUILD_REPLAY: i64 = 1000;

/// The follower's state in this process.
#[derive(Default)]
pub struct Follower {
    writer: Option<(u64, IndexWriter)>,
    gaps: BTreeMap<i64, Instant>,
    /// The highest event applied (possibly past the committed position,
    /// while a gap below it is waited for).
    applied_through: i64,
}

/// Brings this instance's index up to the event log; builds it first when
/// there is none. Returns the number of items re-indexed.
pub async fn catch_up(app: &App) -> anyhow::Result<usize> {
    let index = &app.search;
    let mut follower = index.writing.lock().await;
    if index.refresh()? {
        *follower = Follower::default();
    }
    let Some(generation) = index.current() else {
        drop(follower);
        return rebuild(app).await;
    };
    let Some(position) = generation.position()? else {
        drop(follower);
        return rebuild(app).await;
    };
    if follower.writer.as_ref().map(|(n, _)| *n) != Some(generation.number) {
        follower.writer = Some((generation.number, generation.writer(1, 30_000_000)?));
        follower.applied_through = position;
        follower.gaps.clear();
    }
    let mut total = 0;
    let mut position = position;
    loop {
        let mut conn = app.db.pool().acquire().await?;
        let events = store::events_after(&mut conn, position, BATCH).await?;
        drop(conn);
        if events.is_empty() {
            break;
        }
        let full = events.len() as i64 == BATCH;
        let mut changed: HashMap<Kind, Vec<i64>> = HashMap::new();
        for e in events.iter().filter(|e| e.id > follower.applied_through) {
            if let Some(kind) = Kind::of_entity(&e.entity_type) {
                let ids = changed.entry(kind).or_default();
                if !ids.contains(&e.entity_id) {
                    ids.push(e.entity_id);
                }
            }
        }
        let next = follower.advance(position, events.iter().map(|e| e.id), Instant::now());
        let applied = events.last().map_or(position, |e| e.id);
        total += write(app, &generation, &mut follower, changed, next).await?;
        follower.applied_through = follower.applied_through.max(applied);
        if next == position || !full {
            break;
        }
        position = next;
    }
    Ok(total)
}

impl Follower {
    /// The new committed position: past every id read, but not past an id
    /// still missing and not yet given up on.
    fn advance(&mut self, from: i64, ids: impl Iterator<Item = i64>, now: Instant) -> i64 {
        let mut position = from;
        let mut blocked = false;
        for id in ids {
            for missing in position + 1..id {
                let since = *self.gaps.entry(missing).or_insert(now);
                if now.duration_since(since) < GAP_PATIENCE {
                    blocked = true;
                }
            }
            if blocked {
                break;
            }
            position = id;
        }
        self.gaps.retain(|&id, _| id > position);
        position
    }
}

async fn write(
    app: &App,
    generation: &Generation,
    follower: &mut Follower,
    changed: HashMap<Kind, Vec<i64>>,
    position: i64,
) -> anyhow::Result<usize> {
    let matcher = crate::glossary::service::matcher(app).await?;
    let mut removed = Vec::new();
    let mut docs = Vec::new();
    let mut conn = app.db.pool().acquire().await?;
    for (kind, ids) in changed {
        removed.extend(ids.iter().map(|&id| (kind, id)));
        docs.extend(documents::load(&mut conn, kind, &Rows::Ids(ids), &matcher).await?);
    }
    drop(conn);
    let Some((_, writer)) = follower.writer.as_mut() else {
        return Ok(0);
    };
    generation.apply(writer, &removed, &docs, position)?;
    Ok(removed.len())
}

/// Builds a new generation from the database and puts it in use. Searches
/// go on from the old one until the switch.
pub async fn rebuild(app: &App) -> anyhow::Result<usize> {
    let generation = app.search.start_generation()?;
    let matcher = crate::glossary::service::matcher(app).await?;
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
    let mut writer = generation.writer(threads, 400_000_000)?;
    let mut conn = app.db.pool().acquire().await?;
    let position = (store::last_event(&mut conn).await? - REBUILD_REPLAY).max(0);
    let mut count = 0;
    for kind in Kind::ALL {
        let last = store::last_id(&mut conn, kind.table()).await?;
        let mut after = 0;
        while after < last {
            let upto = (after + REBUILD_BATCH).min(last);
            let docs =
                documents::load(&mut conn, kind, &Rows::Range(after, upto), &matcher).await?;
            count += docs.len();
            for doc in &docs {
                writer.add_document(generation.fields_document(doc))?;
            }
            after = upto;
        }
    }
    drop(conn);
    let generation = tokio::task::spawn_blocking(move || -> anyhow::Result<Generation> {
        generation.apply(&mut writer, &[], &[], position)?;
        writer.wait_merging_threads()?;
        Ok(generation)
    })
    .await??;
    let _follower = app.search.writing.lock().await;
    app.search.switch_to(generation)?;
    tracing::info!(items = count, "search index rebuilt");
    Ok(count)
}

/// Runs [`catch_up`] until `stop`, every `interval`.
pub async fn run(app: App, interval: Duration, mut stop: tokio::sync::watch::Receiver<bool>) {
    loop {
        if let Err(e) = catch_up(&app).await {
            tracing::warn!(error = %e, "the search index could not catch up; trying again");
        }
        tokio::select! {
            _ = tokio::time::sleep(interval) => {}
            _ = stop.changed() => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_position_waits_for_a_missing_event_then_moves_past_it() {
        let mut f = Follower::default();
        let start = Instant::now();
        // 13 is missing: a transaction that took it may not have committed.
        assert_eq!(f.advance(10, [11, 12, 14].into_iter(), start), 12);
        assert_eq!(
            f.advance(12, [14, 15].into_iter(), start + Duration::from_secs(1)),
            12
        );
        // It committed: everything read is behind the position.
        assert_eq!(
            f.advance(12, [13, 14, 15].into_iter(), start + Duration::from_secs(2)),
            15
        );
        assert!(f.gaps.is_empty());
        // Another never comes (rolled back): given up after the patience.
        assert_eq!(f.advance(15, [17].into_iter(), start), 15);
        assert_eq!(
            f.advance(
                15,
                [17].into_iter(),
                start + GAP_PATIENCE + Duration::from_secs(1)
            ),
            17
        );
    }
}
