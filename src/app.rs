//! `App`: what every service, handler, job and CLI command is given: the
//! database, the settings, the clock, the messages and the small tables
//! kept in memory. Cheap to clone.

use std::sync::Arc;

use crate::cache::Caches;
use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::db::{Db, Timestamp};
use crate::i18n::I18n;

#[derive(Clone)]
pub struct App {
    pub db: Db,
    pub config: Arc<Config>,
    pub clock: Arc<dyn Clock>,
    pub i18n: Arc<I18n>,
    pub cache: Arc<Caches>,
    /// This instance's search index (derived from the database).
    pub search: Arc<crate::search::SearchIndex>,
}

impl App {
    /// Connects to the database named in `config` and applies migrations.
    pub async fn open(config: Config) -> anyhow::Result<App> {
        Self::open_with_clock(config, Arc::new(SystemClock)).await
    }

    pub async fn open_with_clock(config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<App> {
        let i18n = Arc::new(I18n::load()?);
        let db = Db::connect(&config.database_url).await?;
        db.migrate().await?;
        crate::demands::tally::build_if_missing(&db).await?;
        crate::glossary::service::seed_if_empty(&db, Timestamp(clock.now())).await?;
        let search = Arc::new(crate::search::SearchIndex::open(&config.search_dir()));
        Ok(App {
            db,
            config: Arc::new(config),
            clock,
            i18n,
            cache: Arc::default(),
            search,
        })
    }

    pub fn now(&self) -> Timestamp {
        Timestamp(self.clock.now())
    }
}
