//! Versioned schema migrations. The version applied lives in the one row of `ossd_schema`;
//! migration `n` (1-based) brings the schema from version `n - 1` to `n`, and all the missing
//! ones run in one transaction that holds that row's lock, so several nodes starting at once
//! migrate once (no advisory lock: CockroachDB has none). Later changes append migrations;
//! never edit a released one.

use crate::error::PgError;
use ossd_meta::MetaError;
use tokio_postgres::Client;
use tokio_postgres::error::SqlState;

/// The migrations, in order; the schema version is the number applied.
const MIGRATIONS: &[&str] = &[
    include_str!("v001_initial.sql"),
    include_str!("v002_leader.sql"),
    include_str!("v003_rpc_nonces.sql"),
    include_str!("v004_key_locks.sql"),
    include_str!("v005_bucket_stats_shards.sql"),
];

/// The table that records the schema version (created before any migration; without the
/// notice that it exists already).
const VERSION_TABLE: &str = "SET client_min_messages = warning;
    CREATE TABLE IF NOT EXISTS ossd_schema (
        id      INT PRIMARY KEY CHECK (id = 0),
        version INT NOT NULL
    );
    INSERT INTO ossd_schema (id, version) VALUES (0, 0) ON CONFLICT (id) DO NOTHING";

/// The schema version this build creates and expects.
pub(crate) fn current_version() -> usize {
    MIGRATIONS.len()
}

/// Applies the migrations the database lacks; refuses a database newer than this build.
pub(crate) async fn migrate(client: &mut Client) -> Result<(), MetaError> {
    // Two nodes creating the version table at once can collide in the catalog; the loser
    // finds the table on its second try.
    let mut tries = 0;
    loop {
        tries += 1;
        match client.batch_execute(VERSION_TABLE).await {
            Ok(()) => break,
            Err(e)
                if tries < 3
                    && e.code().is_some_and(|c| {
                        // The catalog collision shows as any of these, depending on which
                        // catalog row the two creations raced for (the table's row type is
                        // `pg_type`'s: 42710).
                        *c == SqlState::UNIQUE_VIOLATION
                            || *c == SqlState::DUPLICATE_TABLE
                            || *c == SqlState::DUPLICATE_OBJECT
                    }) => {}
            Err(e) => return Err(PgError::Sql(e).into()),
        }
    }
    let tx = client.transaction().await.map_err(PgError::Sql)?;
    let row = tx
        .query_one(
            "SELECT version FROM ossd_schema WHERE id = 0 FOR UPDATE",
            &[],
        )
        .await
        .map_err(PgError::Sql)?;
    let found: i32 = row.try_get(0).map_err(PgError::Sql)?;
    let found = usize::try_from(found).unwrap_or(0);
    if found > MIGRATIONS.len() {
        return Err(MetaError::SchemaTooNew {
            found: found as u64,
            supported: MIGRATIONS.len() as u64,
        });
    }
    for (done, migration) in MIGRATIONS.iter().enumerate().skip(found) {
        tx.batch_execute(migration).await.map_err(PgError::Sql)?;
        let version = i32::try_from(done + 1).map_err(MetaError::backend)?;
        tx.execute(
            "UPDATE ossd_schema SET version = $1 WHERE id = 0",
            &[&version],
        )
        .await
        .map_err(PgError::Sql)?;
        tracing::info!(version, "metadata schema migrated");
    }
    tx.commit().await.map_err(PgError::Sql)?;
    Ok(())
}
