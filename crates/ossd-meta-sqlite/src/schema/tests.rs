//! Upgrading a database written by an earlier schema: v5's back-fill of `current`'s listing
//! columns must give the listings the records gave before.

use super::apply;
use crate::SqliteMeta;
use crate::codec::encode;
use ossd_meta::conformance::fixtures::object;
use ossd_meta::{Bytes, DataRef, ListEntry, ListQuery, MetaStore, ObjectRecord, RestoreState};
use ossd_types::{ObjectType, StorageClass};
use rusqlite::{Connection, params};

/// Writes `records` (versions in order, newest last per key) as schema v4's writer did: the
/// record JSON in `versions`, and `current` pointing at each key's newest non-marker version.
fn write_v4(conn: &Connection, records: &[ObjectRecord]) {
    conn.execute(
        "INSERT INTO buckets VALUES ('b', 'owner', 0, 'private', 'Standard', 'r', 'Enabled')",
        [],
    )
    .expect("bucket");
    conn.execute("INSERT INTO bucket_stats (bucket) VALUES ('b')", [])
        .expect("stats");
    for (seq, record) in records.iter().enumerate() {
        let mut record = record.clone();
        let row = encode(&mut record).expect("encode");
        conn.execute(
            "INSERT INTO versions (bucket, key, seq, version_id, is_marker, doc, inline)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                record.bucket,
                record.key.as_bytes(),
                i64::try_from(seq).expect("seq"),
                record.version_id,
                record.delete_marker,
                row.doc,
                row.inline
            ],
        )
        .expect("version");
        let id = conn.last_insert_rowid();
        let key = record.key.as_bytes();
        if record.delete_marker {
            conn.execute("DELETE FROM current WHERE bucket = 'b' AND key = ?1", [key])
                .expect("unset");
        } else {
            conn.execute(
                "INSERT INTO current (bucket, key, version_row) VALUES ('b', ?1, ?2)
                 ON CONFLICT (bucket, key) DO UPDATE SET version_row = excluded.version_row",
                params![key, id],
            )
            .expect("set");
        }
    }
}

/// Versions of every object type and storage class, with and without a restore, inline and
/// not, overwritten and deleted.
fn records() -> Vec<ObjectRecord> {
    let types = [
        ObjectType::Normal,
        ObjectType::Multipart,
        ObjectType::Appendable,
        ObjectType::Symlink,
    ];
    let classes = [
        StorageClass::Standard,
        StorageClass::Ia,
        StorageClass::Archive,
        StorageClass::ColdArchive,
        StorageClass::DeepColdArchive,
    ];
    let mut out = Vec::new();
    for (i, object_type) in types.into_iter().enumerate() {
        for (j, storage_class) in classes.into_iter().enumerate() {
            let mut r = object("b", &format!("k/{i}{j} é \"<&>\""), &format!("v{i}{j}"));
            r.object_type = object_type;
            r.storage_class = storage_class;
            r.size = u64::try_from(i * 1000 + j).expect("size");
            r.etag = format!("ETAG{i}{j}-3");
            out.push(r);
        }
    }
    let mut restored = object("b", "restored", "v1");
    restored.storage_class = StorageClass::ColdArchive;
    restored.restore = Some(RestoreState {
        ready_ms: 1,
        expiry_ms: 2,
        tier: Some("Bulk".to_owned()),
    });
    out.push(restored);
    let mut restoring = object("b", "restoring", "v1");
    restoring.storage_class = StorageClass::Archive;
    restoring.restore = Some(RestoreState {
        ready_ms: i64::MAX,
        expiry_ms: i64::MAX,
        tier: None,
    });
    out.push(restoring);
    let mut ancient = object("b", "ancient", "v1");
    ancient.last_modified_ms = -86_400_123;
    ancient.size = u64::try_from(i64::MAX).expect("size");
    out.push(ancient);
    let mut inline = object("b", "inline", "v1");
    inline.data = DataRef::Inline(Bytes::from_static(b"hello"));
    out.push(inline);
    out.push(object("b", "overwritten", "v1"));
    let mut newer = object("b", "overwritten", "v2");
    newer.size = 77;
    out.push(newer);
    out.push(object("b", "deleted", "v1"));
    let mut marker = object("b", "deleted", "v2");
    marker.delete_marker = true;
    out.push(marker);
    out
}

/// The listing the records give: each key's newest version unless it is a delete marker.
fn expected(records: &[ObjectRecord]) -> Vec<ListEntry> {
    let mut latest = std::collections::BTreeMap::new();
    for r in records {
        latest.insert(r.key.clone(), r.clone());
    }
    let mut entries: Vec<ListEntry> = latest
        .into_values()
        .filter(|r| !r.delete_marker)
        .map(ListEntry::from)
        .collect();
    entries.sort_by(|a, b| a.key.as_bytes().cmp(b.key.as_bytes()));
    entries
}

fn query() -> ListQuery {
    ListQuery {
        bucket: "b".to_owned(),
        max_keys: 1000,
        ..ListQuery::default()
    }
}

#[tokio::test]
async fn v4_database_upgrades_to_the_same_listing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("meta.db");
    let records = records();
    {
        let mut conn = Connection::open(&path).expect("open");
        apply(&mut conn, 0, 4).expect("schema v4");
        write_v4(&conn, &records);
    }
    let store = SqliteMeta::open(&path).expect("upgrade");
    let page = store.list_objects(&query()).await.expect("list");
    assert_eq!(page.objects, expected(&records));

    // The upgraded rows go on changing as fresh ones: deleting the newest version of a key
    // makes the older one current again, listing columns and all.
    let mut newest = records.clone();
    store
        .delete_object("b", "overwritten", Some("v2"), "m1", 0)
        .await
        .expect("delete v2");
    newest.retain(|r| !(r.key == "overwritten" && r.version_id == "v2"));
    let page = store.list_objects(&query()).await.expect("list");
    assert_eq!(page.objects, expected(&newest));
}

#[test]
fn unknown_spelling_fails_the_upgrade() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("meta.db");
    {
        let mut conn = Connection::open(&path).expect("open");
        apply(&mut conn, 0, 4).expect("schema v4");
        write_v4(&conn, &[object("b", "k", "v1")]);
        conn.execute(
            "UPDATE versions SET doc = json_set(doc, '$.storage_class', 'Glacier')",
            [],
        )
        .expect("corrupt");
    }
    assert!(SqliteMeta::open(&path).is_err());
    let conn = Connection::open(&path).expect("reopen");
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .expect("version");
    assert_eq!(version, 4, "the failed migration rolled back");
}
