//! Storage chosen from the URL: SQLite (embedded default) or PostgreSQL.
//!
//! There is one query path: every query is written once, in SQL both
//! databases accept, and run through sqlx's `Any` driver. Two rules keep that
//! true (see docs/ARCHITECTURE.md): times are stored as fixed-width UTC text
//! ([`Timestamp`]), and flags are nullable timestamps (`disabled_at`), never
//! booleans. Only `store.rs` files and this module contain SQL.

pub mod events;
mod grouped;
mod timestamp;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyPool, Executor};

pub use grouped::{BoxFuture, GroupCommit, Work};
pub use timestamp::Timestamp;

pub type Tx = sqlx::Transaction<'static, Any>;
pub type Conn = sqlx::AnyConnection;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database URL that Liaison knows how to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

impl DatabaseUrl {
    pub fn parse(url: &str) -> Result<DatabaseUrl, String> {
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            let path = path.split('?').next().unwrap_or_default();
            if path.is_empty() || path == ":memory:" {
                return Err("expected sqlite://PATH to a database file".into());
            }
            return Ok(DatabaseUrl::Sqlite(PathBuf::from(path)));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DatabaseUrl::Postgres(url.to_string()));
        }
        let scheme = url.split_once(':').map(|(s, _)| s).unwrap_or(url);
        Err(format!(
            "unsupported database scheme \"{scheme}\": use sqlite://PATH or postgres://USER@HOST/DATABASE"
        ))
    }
}

/// The connection pool and which database is behind it.
#[derive(Clone)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    grouped: GroupCommit,
}

impl Db {
    /// Opens (and for SQLite creates) the database, checking that it answers.
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        sqlx::any::install_default_drivers();
        let parsed = DatabaseUrl::parse(url).map_err(anyhow::Error::msg)?;
        let (connect_url, backend, max) = match &parsed {
            DatabaseUrl::Sqlite(path) => {
                prepare_data_dir(path)?;
                (
                    format!("sqlite://{}?mode=rwc", path.display()),
                    Backend::Sqlite,
                    // Eight for readers, one kept by the group-commit writer.
                    9,
                )
            }
            DatabaseUrl::Postgres(url) => (url.clone(), Backend::Postgres, 16),
        };
        let options = AnyConnectOptions::from_str(&connect_url)
            .with_context(|| format!("invalid database URL {}", crate::config::redact_url(url)))?;
        let pool = AnyPoolOptions::new()
            .max_connections(max)
            .acquire_timeout(Duration::from_secs(5))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside the writer; FULL makes a
                        // commit durable before we answer success. Reads go
                        // through a memory map (no copy per page read) and a
                        // 16 MiB page cache per connection: lists and figures
                        // touch the same index pages request after request.
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                             PRAGMA busy_timeout = 10000; PRAGMA synchronous = FULL; \
                             PRAGMA mmap_size = 1073741824; PRAGMA cache_size = -16384; \
                             PRAGMA temp_store = MEMORY;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect_lazy_with(options);
        let grouped = GroupCommit::start(pool.clone(), backend);
        let db = Db {
            pool,
            backend,
            grouped,
        };
        db.pool.acquire().await.map_err(|e| {
            anyhow::anyhow!(
                "cannot connect to the database at {}: {}",
                crate::config::redact_url(url),
                describe_connect_error(&e)
            )
        })?;
        Ok(db)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Begins a transaction that will write. On SQLite it takes the write
    /// lock at once (`BEGIN IMMEDIATE`): a deferred transaction that reads
    /// and then writes fails outright, without waiting, when another writer
    /// committed in between, whereas waiting for the lock honours the busy
    /// timeout. PostgreSQL's row locks need no such help.
    pub async fn begin(&self) -> sqlx::Result<Tx> {
        begin(&self.pool, self.backend).await
    }

    /// Group commit: see [`GroupCommit`]. For many small independent writes
    /// that must each be durable before they are acknowledged.
    pub fn grouped(&self) -> &GroupCommit {
        &self.grouped
    }

    /// Applies the embedded migrations of this backend that have not run yet.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator
            .run(&self.pool)
            .await
            .context("database migration failed")?;
        Ok(())
    }

    /// Refreshes the query planner's statistics after large changes
    /// (imports) and periodically. PostgreSQL's autovacuum does this itself;
    /// SQLite needs to be asked.
    pub async fn refresh_statistics(&self) -> anyhow::Result<()> {
        if self.backend == Backend::Sqlite {
            // A sampled ANALYZE: good statistics in milliseconds, even on
            // large tables (a plain ANALYZE reads every row).
            let mut conn = self.pool.acquire().await?;
            sqlx::query("PRAGMA analysis_limit = 1000")
                .execute(&mut *conn)
                .await?;
            sqlx::query("ANALYZE").execute(&mut *conn).await?;
        }
        Ok(())
    }

    /// True when the database answers a trivial query.
    pub async fn is_ready(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

async fn begin(pool: &AnyPool, backend: Backend) -> sqlx::Result<Tx> {
    match backend {
        Backend::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await,
        Backend::Postgres => pool.begin().await,
    }
}

fn prepare_data_dir(db_file: &Path) -> anyhow::Result<()> {
    let dir = match db_file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir)
        .map_err(|e| anyhow::anyhow!("cannot create data directory {}: {e}", dir.display()))?;
    // Creating the directory can succeed where writing into it does not.
    let probe = dir.join(".liaison-write-check");
    std::fs::write(&probe, b"ok")
        .map_err(|e| anyhow::anyhow!("data directory {} is not writable: {e}", dir.display()))?;
    let _ = std::fs::remove_file(probe);
    Ok(())
}

fn describe_connect_error(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::PoolTimedOut => "no answer within 5 seconds".into(),
        sqlx::Error::Io(io) => io.to_string(),
        other => other.to_string(),
    }
}

/// Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern, so that
/// searched text matches literally.
pub fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The values of a query built from only the conditions given (so that
/// each condition can use its index): each value added returns its
/// numbered placeholder, and `bind` binds them all in order.
#[derive(Default, Clone)]
pub struct Params(Vec<Param>);

#[derive(Clone)]
enum Param {
    Text(String),
    Int(i64),
}

impl Params {
    pub fn text(&mut self, value: impl Into<String>) -> String {
        self.0.push(Param::Text(value.into()));
        format!("${}", self.0.len())
    }

    pub fn int(&mut self, value: i64) -> String {
        self.0.push(Param::Int(value));
        format!("${}", self.0.len())
    }

    pub fn bind<'q, O>(
        self,
        mut query: sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>> {
        for p in self.0 {
            query = match p {
                Param::Text(s) => query.bind(s),
                Param::Int(i) => query.bind(i),
            };
        }
        query
    }

    /// [`Params::bind`] for a statement that returns no rows.
    pub fn bind_statement<'q>(
        self,
        mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        for p in self.0 {
            query = match p {
                Param::Text(s) => query.bind(s),
                Param::Int(i) => query.bind(i),
            };
        }
        query
    }
}

/// The rows of `sql`, whose `IN ({in})` is filled with `values`, 500 of
/// them per query (the databases limit how many values one query binds).
pub async fn select_in<T, V>(conn: &mut Conn, sql: &str, values: &[V]) -> sqlx::Result<Vec<T>>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
    V: for<'q> sqlx::Encode<'q, Any> + sqlx::Type<Any> + Clone + Send + 'static,
{
    let mut found = Vec::new();
    for chunk in values.chunks(500) {
        let sql = sql.replace("{in}", &placeholders(chunk.len()));
        let mut query = sqlx::query_as::<_, T>(&sql);
        for value in chunk {
            query = query.bind(value.clone());
        }
        found.extend(query.fetch_all(&mut *conn).await?);
    }
    Ok(found)
}

/// "$1, $2, …, $n" for an `IN (…)` list of `n` bound values.
pub fn placeholders(n: usize) -> String {
    (1..=n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// True when `e` is a unique-constraint violation (same on both backends).
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

/// Stores an enum with `as_str`/`parse` as a text column on both backends.
#[macro_export]
macro_rules! text_column {
    ($t:ty) => {
        impl sqlx::Type<sqlx::Any> for $t {
            fn type_info() -> sqlx::any::AnyTypeInfo {
                <String as sqlx::Type<sqlx::Any>>::type_info()
            }
        }
        impl<'q> sqlx::Encode<'q, sqlx::Any> for $t {
            fn encode_by_ref(
                &self,
                buf: &mut <sqlx::Any as sqlx::Database>::ArgumentBuffer<'q>,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <String as sqlx::Encode<'q, sqlx::Any>>::encode(self.as_str().to_string(), buf)
            }
        }
        impl<'r> sqlx::Decode<'r, sqlx::Any> for $t {
            fn decode(
                value: <sqlx::Any as sqlx::Database>::ValueRef<'r>,
            ) -> Result<Self, sqlx::error::BoxDynError> {
                let text = <String as sqlx::Decode<'r, sqlx::Any>>::decode(value)?;
                <$t>::parse(&text)
                    .ok_or_else(|| format!("unknown {} {:?}", stringify!($t), text).into())
            }
        }
    };
}

/// An enum kept as text, with its list, its codes, parsing, the message id
/// of its label (`{prefix}-{code with dashes}`) and the column mapping:
///
/// ```ignore
/// text_enum!("demand-priority", pub enum Priority { Normal => "normal", Urgent => "urgent" });
/// ```
#[macro_export]
macro_rules! text_enum {
    ($prefix:literal, $(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        $vis enum $name { $($(#[$vmeta])* $variant,)+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)+ }
            }

            pub fn parse(s: &str) -> Option<$name> {
                let s = s.trim();
                $name::ALL.iter().copied().find(|v| v.as_str() == s)
            }

            pub fn message_id(self) -> String {
                format!("{}-{}", $prefix, self.as_str().replace('_', "-"))
            }
        }

        $crate::text_column!($name);
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_choose_the_backend() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://./data/x.db"),
            Ok(DatabaseUrl::Sqlite(PathBuf::from("./data/x.db")))
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:///var/lib/x.db"),
            Ok(DatabaseUrl::Sqlite(PathBuf::from("/var/lib/x.db")))
        );
        assert!(matches!(
            DatabaseUrl::parse("postgres://u@h/d"),
            Ok(DatabaseUrl::Postgres(_))
        ));
        let err = DatabaseUrl::parse("mysql://u@h/d").unwrap_err();
        assert!(err.contains("\"mysql\""), "{err}");
        assert!(DatabaseUrl::parse("sqlite://").is_err());
    }
}
