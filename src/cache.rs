//! Small tables read on nearly every page (departments, demand categories,
//! the working-day calendar), kept in memory so that a list page does not
//! read them again for every request.
//!
//! A table is read again when this instance has changed it (the service
//! that wrote calls [`Cached::forget`] after its commit) and, for changes
//! made by another instance on the same database, once its copy is older
//! than [`MAX_AGE`].

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::calendar::Calendar;
use crate::demands::categories::Category;
use crate::org::Department;

/// How stale another instance's change may be seen here.
pub const MAX_AGE: Duration = Duration::from_secs(5);

/// The tables an instance keeps.
#[derive(Default)]
pub struct Caches {
    /// Every department, retired ones too.
    pub departments: Cached<Vec<Department>>,
    /// Every demand category, in tree order.
    pub categories: Cached<Vec<Category>>,
    pub calendar: Cached<Calendar>,
    /// The glossary in force, ready to find concepts in text.
    pub glossary: Cached<crate::glossary::Matcher>,
}

pub struct Cached<T> {
    slot: RwLock<Option<Kept<T>>>,
    /// Bumped by every `forget`: a copy read before it is not kept.
    generation: AtomicU64,
}

struct Kept<T> {
    value: Arc<T>,
    generation: u64,
    read_at: Instant,
}

impl<T> Default for Cached<T> {
    fn default() -> Self {
        Cached {
            slot: RwLock::new(None),
            generation: AtomicU64::new(0),
        }
    }
}

impl<T> Cached<T> {
    /// The kept copy, or a fresh one from `load` (kept unless a change was
    /// made while it was being read).
    pub async fn get<E, F, Fut>(&self, load: F) -> Result<Arc<T>, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let generation = self.generation.load(Ordering::Acquire);
        if let Some(copy) = self.slot.read().unwrap_or_else(|e| e.into_inner()).as_ref()
            && copy.generation == generation
            && copy.read_at.elapsed() < MAX_AGE
        {
            return Ok(copy.value.clone());
        }
        let read_at = Instant::now();
        let value = Arc::new(load().await?);
        let mut slot = self.slot.write().unwrap_or_else(|e| e.into_inner());
        if self.generation.load(Ordering::Acquire) == generation {
            *slot = Some(Kept {
                value: value.clone(),
                generation,
                read_at,
            });
        }
        Ok(value)
    }

    /// Drops the kept copy: the table has changed.
    pub fn forget(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        *self.slot.write().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_copy_is_kept_until_forgotten_and_one_read_across_a_change_is_not_kept() {
        let cached: Cached<u32> = Cached::default();
        let read = |n: u32| async move { Ok::<_, ()>(n) };
        assert_eq!(*cached.get(|| read(1)).await.unwrap(), 1);
        assert_eq!(*cached.get(|| read(2)).await.unwrap(), 1, "kept");
        cached.forget();
        assert_eq!(*cached.get(|| read(3)).await.unwrap(), 3, "read again");

        // A change lands while a read is under way: that read is answered
        // but not kept, so the next one reads again.
        cached.forget();
        let value = cached
            .get(|| async {
                cached.forget();
                Ok::<_, ()>(4)
            })
            .await
            .unwrap();
        assert_eq!(*value, 4);
        assert_eq!(*cached.get(|| read(5)).await.unwrap(), 5);
        assert_eq!(*cached.get(|| read(6)).await.unwrap(), 5);
    }
}
