//! Upgrading a database written by an earlier schema: v5's back-fill of `current`'s listing
//! columns must give the listings the records gave before; after v6 (`versions_by_id` without the
//! `null` versions) every lookup by version id still finds what it found.

use super::apply;
use crate::SqliteMeta;
use crate::codec::encode;
use ossd_meta::conformance::fixtures::object;
use ossd_meta::conformance::fixtures::{make_bucket, put, set_versioning, version_ids};
use ossd_meta::{
    Bytes, DataRef, ListEntry, ListQuery, ListVersionsQuery, MetaStore, NULL_VERSION, ObjectRecord,
    RestoreState,
};
use ossd_types::{ObjectType, StorageClass, VersioningState};
use rusqlite::{Connection, params};
use std::path::Path;

/// Writes `records` (versions in order, newest last per key) as schema v4's writer did: the
/// record JSON in `versions`, and `current` pointing at each key's newest non-marker version.
fn write_v4(conn: &Connection, records: &[ObjectRecord]) {
    write_v4_bucket(conn, "b", "Enabled", records);
}

/// As [`write_v4`], into a new bucket `bucket` with versioning state `state`.
fn write_v4_bucket(conn: &Connection, bucket: &str, state: &str, records: &[ObjectRecord]) {
    conn.execute(
        "INSERT INTO buckets VALUES (?1, 'owner', 0, 'private', 'Standard', 'r', ?2)",
        [bucket, state],
    )
    .expect("bucket");
    conn.execute("INSERT INTO bucket_stats (bucket) VALUES (?1)", [bucket])
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
                row.inline()
            ],
        )
        .expect("version");
        let id = conn.last_insert_rowid();
        let key = record.key.as_bytes();
        if record.delete_marker {
            conn.execute(
                "DELETE FROM current WHERE bucket = ?1 AND key = ?2",
                params![bucket, key],
            )
            .expect("unset");
        } else {
            conn.execute(
                "INSERT INTO current (bucket, key, version_row) VALUES (?1, ?2, ?3)
                 ON CONFLICT (bucket, key) DO UPDATE SET version_row = excluded.version_row",
                params![bucket, key, id],
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

/// A version of `key` in `bucket` with id `version_id`, a delete marker when `marker`.
fn version(bucket: &str, key: &str, version_id: &str, marker: bool) -> ObjectRecord {
    let mut r = object(bucket, key, version_id);
    r.delete_marker = marker;
    r
}

/// The entries of the index `versions_by_id`, counted in its b-tree (the `dbstat` table,
/// https://www.sqlite.org/dbstat.html: in an index b-tree every cell, interior or leaf, is one
/// entry).
fn by_id_entries(path: &Path) -> i64 {
    let conn = Connection::open(path).expect("open");
    conn.query_row(
        "SELECT coalesce(sum(ncell), 0) FROM dbstat WHERE name = 'versions_by_id'",
        [],
        |r| r.get(0),
    )
    .expect("dbstat")
}

/// Version `version_id` of `key` as `get_object` and as `get_object_meta` read it.
async fn by_id(
    store: &SqliteMeta,
    bucket: &str,
    key: &str,
    version_id: &str,
) -> [Option<ObjectRecord>; 2] {
    let id = Some(version_id);
    let got = store.get_object(bucket, key, id).await.expect("get");
    let meta = store.get_object_meta(bucket, key, id).await.expect("head");
    [got, meta]
}

/// The (key, version id) pairs ListObjectVersions gives after version `version_id` of `key`.
async fn after(store: &SqliteMeta, bucket: &str, key: &str, version_id: &str) -> Vec<String> {
    let query = ListVersionsQuery {
        bucket: bucket.to_owned(),
        key_marker: key.to_owned(),
        version_id_marker: version_id.to_owned(),
        max_keys: 1000,
        ..ListVersionsQuery::default()
    };
    let page = store.list_versions(&query).await.expect("list versions");
    page.versions
        .into_iter()
        .map(|v| format!("{}@{}", v.record.key, v.record.version_id))
        .collect()
}

#[tokio::test]
async fn v5_database_upgrades_with_every_lookup_by_version_id() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("meta.db");
    // Per bucket, each key's versions oldest first. `v` (Enabled) keeps a `null` version from
    // before versioning; `s` (Suspended) has keys whose `null` version is the newest and the
    // oldest; `u` (Disabled) has only `null` versions.
    let buckets = [
        (
            "v",
            "Enabled",
            vec![
                version("v", "k", NULL_VERSION, false),
                version("v", "k", "v1", false),
                version("v", "k", "v2", false),
                version("v", "m", "v1", false),
                version("v", "m", "v2", true),
            ],
        ),
        (
            "s",
            "Suspended",
            vec![
                version("s", "k", "v1", false),
                version("s", "k", "v2", false),
                version("s", "k", NULL_VERSION, false),
                version("s", "old", NULL_VERSION, false),
                version("s", "old", "v3", false),
                version("s", "gone", "v4", false),
                version("s", "gone", NULL_VERSION, true),
            ],
        ),
        (
            "u",
            "Disabled",
            vec![
                version("u", "a", NULL_VERSION, false),
                version("u", "b", NULL_VERSION, false),
            ],
        ),
    ];
    {
        let mut conn = Connection::open(&path).expect("open");
        apply(&mut conn, 0, 4).expect("schema v4");
        for (bucket, state, records) in &buckets {
            write_v4_bucket(&conn, bucket, state, records);
        }
        apply(&mut conn, 4, 5).expect("schema v5");
    }
    assert_eq!(by_id_entries(&path), 14, "v5 indexes every version");
    let store = SqliteMeta::open(&path).expect("upgrade");
    assert_eq!(
        by_id_entries(&path),
        8,
        "v6 indexes the versions not `null`"
    );
    let conn = Connection::open(&path).expect("reopen");
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .expect("version");
    assert_eq!(
        usize::try_from(version).ok(),
        Some(super::current_version())
    );

    for (_, _, records) in &buckets {
        for r in records {
            let (b, k, id) = (r.bucket.as_str(), r.key.as_str(), r.version_id.as_str());
            let expected = Some(r.clone());
            assert_eq!(
                by_id(&store, b, k, id).await,
                [expected.clone(), expected],
                "{b}/{k}@{id}"
            );
        }
    }
    for (b, k, id) in [("v", "m", NULL_VERSION), ("u", "a", "v1"), ("s", "k", "v9")] {
        assert_eq!(by_id(&store, b, k, id).await, [None, None], "{b}/{k}@{id}");
    }

    // ListObjectVersions resumes after a version found by id, `null` or not.
    let cases: [(&str, &str, &str, &[&str]); 6] = [
        ("v", "k", "v1", &["k@null", "m@v2", "m@v1"]),
        ("v", "k", NULL_VERSION, &["m@v2", "m@v1"]),
        (
            "s",
            "gone",
            NULL_VERSION,
            &["gone@v4", "k@null", "k@v2", "k@v1", "old@v3", "old@null"],
        ),
        (
            "s",
            "k",
            NULL_VERSION,
            &["k@v2", "k@v1", "old@v3", "old@null"],
        ),
        ("s", "old", "v3", &["old@null"]),
        ("u", "a", NULL_VERSION, &["b@null"]),
    ];
    for (b, k, id, expected) in cases {
        assert_eq!(
            after(&store, b, k, id).await,
            expected,
            "{b}: after {k}@{id}"
        );
    }

    // The upgraded rows go on changing as fresh ones: a put replaces the `null` version (found
    // through `versions_by_seq`), a delete by id removes it.
    let out = put(&store, "u", "a", "ignored").await;
    assert_eq!(out.version_id, NULL_VERSION);
    assert_eq!(out.replaced.len(), 1, "the old null version is replaced");
    assert_eq!(version_ids(&store, "u", "a").await, [NULL_VERSION]);
    let out = put(&store, "s", "old", "ignored").await;
    assert_eq!(
        out.replaced.len(),
        1,
        "the oldest version, null, is replaced"
    );
    assert_eq!(version_ids(&store, "s", "old").await, [NULL_VERSION, "v3"]);
    let out = store
        .delete_object("v", "k", Some(NULL_VERSION), "m1", 0)
        .await
        .expect("delete null");
    assert_eq!(out.removed.len(), 1);
    assert_eq!(version_ids(&store, "v", "k").await, ["v2", "v1"]);
    assert_eq!(
        by_id_entries(&path),
        8,
        "no write touched a version not `null`"
    );
}

#[tokio::test]
async fn only_versions_not_null_enter_versions_by_id() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("meta.db");
    let store = SqliteMeta::open(&path).expect("open");
    make_bucket(&store, "u", VersioningState::Disabled).await;
    make_bucket(&store, "e", VersioningState::Enabled).await;
    for key in ["a", "b", "c"] {
        put(&store, "u", key, "ignored").await;
        put(&store, "u", key, "ignored").await;
    }
    assert_eq!(by_id_entries(&path), 0, "unversioned puts add no entry");
    put(&store, "e", "a", "v1").await;
    put(&store, "e", "a", "v2").await;
    assert_eq!(by_id_entries(&path), 2, "versioned puts add one entry each");

    // One key of a suspended bucket with a `null` version between versions with ids, and a
    // `null` delete marker in place of the `null` version after that.
    set_versioning(&store, "e", VersioningState::Suspended).await;
    put(&store, "e", "a", "ignored").await;
    assert_eq!(by_id_entries(&path), 2);
    set_versioning(&store, "e", VersioningState::Enabled).await;
    put(&store, "e", "a", "v3").await;
    assert_eq!(by_id_entries(&path), 3);
    assert_eq!(
        version_ids(&store, "e", "a").await,
        ["v3", NULL_VERSION, "v2", "v1"]
    );
    set_versioning(&store, "e", VersioningState::Suspended).await;
    for (id, exists) in [
        ("v1", true),
        ("v2", true),
        (NULL_VERSION, true),
        ("v3", true),
        ("v4", false),
    ] {
        let ids = by_id(&store, "e", "a", id)
            .await
            .map(|r| r.map(|r| r.version_id));
        let expected = exists.then(|| id.to_owned());
        assert_eq!(ids, [expected.clone(), expected], "{id}");
    }
    let out = store
        .delete_object("e", "a", None, "m1", 0)
        .await
        .expect("suspended delete");
    assert_eq!(out.marker_created.as_deref(), Some(NULL_VERSION));
    assert_eq!(
        version_ids(&store, "e", "a").await,
        [NULL_VERSION, "v3", "v2", "v1"]
    );
    let marker = store
        .get_object("e", "a", Some(NULL_VERSION))
        .await
        .expect("get");
    assert!(
        marker.is_some_and(|r| r.delete_marker),
        "the null version is the marker"
    );
    assert_eq!(
        after(&store, "e", "a", NULL_VERSION).await,
        ["a@v3", "a@v2", "a@v1"]
    );
    assert_eq!(by_id_entries(&path), 3);
}
