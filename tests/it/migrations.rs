//! Both backends' migrations produce the same tables and columns.

use std::collections::BTreeSet;

use liaison::db::Db;

use crate::helpers::TestDb;

async fn sqlite_columns(db: &Db) -> BTreeSet<(String, String)> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx_%'",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    rows.into_iter().collect()
}

async fn postgres_columns(db: &Db) -> BTreeSet<(String, String)> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text FROM information_schema.columns \
         WHERE table_schema = 'public' AND table_name NOT LIKE '_sqlx_%'",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    rows.into_iter().collect()
}

#[tokio::test]
async fn both_backends_have_the_same_tables_and_columns() {
    let sqlite_dir = tempfile::tempdir().unwrap();
    let sqlite = Db::connect(&format!(
        "sqlite://{}",
        sqlite_dir.path().join("m.db").display()
    ))
    .await
    .unwrap();
    sqlite.migrate().await.unwrap();
    sqlite.migrate().await.unwrap();
    let sqlite_schema = sqlite_columns(&sqlite).await;
    assert!(sqlite_schema.contains(&("events".into(), "after_json".into())));

    let (pg_db, url) = TestDb::create().await;
    if !pg_db.is_postgres() {
        eprintln!(
            "LIAISON_TEST_DATABASE_URL is not set: comparing with PostgreSQL is left to the PostgreSQL run"
        );
        return;
    }
    let pg = Db::connect(&url).await.unwrap();
    pg.migrate().await.unwrap();
    let pg_schema = postgres_columns(&pg).await;
    pg.close().await;
    let only_sqlite: Vec<_> = sqlite_schema.difference(&pg_schema).collect();
    let only_pg: Vec<_> = pg_schema.difference(&sqlite_schema).collect();
    assert!(
        only_sqlite.is_empty() && only_pg.is_empty(),
        "only in SQLite: {only_sqlite:?}; only in PostgreSQL: {only_pg:?}"
    );
}
