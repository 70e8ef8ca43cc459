//! The listing queries must walk one index in order: no full scan, no sort, no lookup per row;
//! lookups of parts by blob use their index; lookups by version id use `versions_by_id`, except
//! those of the `null` version, which that partial index leaves out (schema v6).

use super::uploads::{UPLOADS_BOUNDED, UPLOADS_OPEN};
use super::versions::{FROM_BOUNDED, FROM_OPEN, SAME_KEY, SEQ_OF, SEQ_OF_NULL};
use super::{CURRENT_BOUNDED, CURRENT_OPEN};
use crate::objects::{GET_BY_ID, GET_NULL, META_BY_ID, META_NULL};
use crate::schema::{open_reader, open_writer};
use crate::txn::SqlTxn;
use rusqlite::{Connection, ToSql};

/// The query plan of `sql` with `values` bound, one line per step.
fn plan(conn: &Connection, sql: &str, values: &[&dyn ToSql]) -> String {
    let mut stmt = conn
        .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
        .expect("prepare");
    let rows = stmt
        .query_map(values, |r| r.get::<_, String>(3))
        .expect("plan");
    rows.map(|r| r.expect("row")).collect::<Vec<_>>().join("\n")
}

#[test]
fn listing_queries_use_ordered_index_ranges() {
    let dir = tempfile::tempdir().expect("tempdir");
    let conn = open_writer(&dir.path().join("plan.db")).expect("open");
    let (b, k, end, n, seq): (&str, &[u8], &[u8], i64, i64) = ("b", b"a", b"b", 10, 5);
    let id = "u1";
    let cases: [(&str, Vec<&dyn ToSql>, &str); 7] = [
        (
            CURRENT_BOUNDED,
            vec![&b, &k, &end, &n],
            "USING PRIMARY KEY (bucket=? AND key>? AND key<?)",
        ),
        (
            CURRENT_OPEN,
            vec![&b, &k, &n],
            "USING PRIMARY KEY (bucket=? AND key>?)",
        ),
        (
            FROM_BOUNDED,
            vec![&b, &k, &end, &n],
            "USING INDEX versions_by_seq (bucket=? AND key>? AND key<?)",
        ),
        (
            FROM_OPEN,
            vec![&b, &k, &n],
            "USING INDEX versions_by_seq (bucket=? AND key>?)",
        ),
        (
            SAME_KEY,
            vec![&b, &k, &seq, &n],
            "USING INDEX versions_by_seq (bucket=? AND key=? AND seq<?)",
        ),
        (
            UPLOADS_BOUNDED,
            vec![&b, &k, &id, &end, &n],
            "USING PRIMARY KEY (bucket=? AND (key,upload_id)>(?,?) AND key<?)",
        ),
        (
            UPLOADS_OPEN,
            vec![&b, &k, &id, &n],
            "USING PRIMARY KEY (bucket=? AND (key,upload_id)>(?,?))",
        ),
    ];
    for (sql, values, expected) in cases {
        let plan = plan(&conn, sql, &values);
        assert!(plan.contains(expected), "{sql}\n{plan}");
        // One range scan, no lookup per row (ListObjects reads `current` alone).
        assert_eq!(plan.lines().count(), 1, "{sql}\n{plan}");
        assert!(
            !plan.contains("TEMP B-TREE"),
            "the query sorts:\n{sql}\n{plan}"
        );
    }
}

#[test]
fn part_queries_use_indexes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let conn = open_writer(&dir.path().join("plan.db")).expect("open");
    let (id, marker, n, blob) = ("u1", 3_i64, 10_i64, "blob-1");
    let parts = plan(&conn, crate::uploads::PARTS_AFTER, &[&id, &marker, &n]);
    assert!(
        parts.contains("USING PRIMARY KEY (upload_id=? AND part_number>?)"),
        "{parts}"
    );
    assert!(!parts.contains("TEMP B-TREE"), "the query sorts:\n{parts}");
    let refs = plan(&conn, crate::objects::BLOB_REFERENCED, &[&blob]);
    assert!(
        refs.contains("USING COVERING INDEX parts_by_blob (blob=?)"),
        "{refs}"
    );
    assert!(refs.contains("USING PRIMARY KEY (blob=?)"), "{refs}");
}

#[test]
fn version_id_lookups_use_the_partial_index_or_versions_by_seq() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("plan.db");
    let writer = open_writer(&path).expect("open");
    // Readers plan with the query planner stability guarantee, the writer without: the literal
    // `version_id <> 'null'` must let both use the partial index.
    let reader = open_reader(&path).expect("reader");
    let (b, k, id): (&str, &[u8], &str) = ("b", b"a", "v1");
    let by_id = [GET_BY_ID, META_BY_ID, SEQ_OF, SqlTxn::FIND_BY_ID];
    let by_null = [GET_NULL, META_NULL, SEQ_OF_NULL, SqlTxn::FIND_NULL];
    for conn in [&writer, &reader] {
        for sql in by_id {
            let plan = plan(conn, sql, &[&b, &k, &id]);
            assert!(
                plan.contains("USING INDEX versions_by_id (bucket=? AND key=? AND version_id=?)"),
                "{sql}\n{plan}"
            );
            assert!(!plan.contains("versions_by_seq"), "{sql}\n{plan}");
        }
        for sql in by_null {
            let plan = plan(conn, sql, &[&b, &k]);
            assert!(
                plan.contains("USING INDEX versions_by_seq (bucket=? AND key=?)"),
                "{sql}\n{plan}"
            );
            assert!(!plan.contains("versions_by_id"), "{sql}\n{plan}");
            assert!(
                !plan.contains("TEMP B-TREE"),
                "the query sorts:\n{sql}\n{plan}"
            );
        }
    }
}
