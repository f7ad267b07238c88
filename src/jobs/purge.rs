//! The housekeeping job: removes expired sessions and API tokens and login
//! failures that no longer count. Deleting what is already gone is a no-op,
//! so running it twice is harmless.

use serde::{Deserialize, Serialize};

use crate::app::App;
use crate::auth::{Actor, login, tokens};
use crate::db::events::{self, Entity};
use crate::jobs::Job;

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct PurgeExpired {}

#[derive(Serialize)]
struct Purged {
    sessions: u64,
    api_tokens: u64,
    login_failures: u64,
}

impl Job for PurgeExpired {
    const KIND: &'static str = "purge_expired";

    async fn run(&self, app: &App) -> anyhow::Result<()> {
        let mut tx = app.db.begin().await?;
        let now = app.now();
        let (sessions, login_failures) = login::purge(&mut tx, app)
            .await
            .map_err(anyhow::Error::from)?;
        let api_tokens = tokens::purge_expired(&mut tx, now)
            .await
            .map_err(anyhow::Error::from)?;
        if sessions + api_tokens + login_failures > 0 {
            let purged = Purged {
                sessions,
                api_tokens,
                login_failures,
            };
            let entity = Entity::new("system", 0);
            events::record(
                &mut tx,
                &Actor::system(),
                now,
                entity,
                "purge",
                None::<&()>,
                Some(&purged),
            )
            .await?;
        }
        tx.commit().await?;
        app.db.refresh_statistics().await?;
        Ok(())
    }
}
