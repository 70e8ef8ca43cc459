//! Opening: pragmas, the schema version, and refusing a database newer than this build.

use ossd_meta::MetaError;
use ossd_meta_sqlite::{SqliteMeta, schema_version};

#[test]
fn open_sets_wal_and_schema_version() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("meta.db");
    drop(SqliteMeta::open(&path).expect("open"));
    let conn = rusqlite::Connection::open(&path).expect("sqlite");
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .expect("mode");
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .expect("version");
    assert_eq!(mode, "wal");
    assert_eq!(usize::try_from(version).ok(), Some(schema_version()));
    drop(conn);
    drop(SqliteMeta::open(&path).expect("reopen at the current version"));
}

#[test]
fn newer_schema_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("meta.db");
    drop(SqliteMeta::open(&path).expect("open"));
    let conn = rusqlite::Connection::open(&path).expect("sqlite");
    conn.pragma_update(None, "user_version", 999)
        .expect("set version");
    drop(conn);
    let err = SqliteMeta::open(&path).err();
    assert!(
        matches!(
            err,
            Some(MetaError::SchemaTooNew {
                found: 999,
                supported
            }) if supported < 999
        ),
        "{err:?}"
    );
}
