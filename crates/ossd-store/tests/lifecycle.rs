//! The lifecycle engine over MemoryMeta + LocalFs: current and noncurrent expiry, lone delete
//! markers, aborted uploads, storage class transitions, and the data files leaving the disk.
//! One lifecycle day = 1000 ms.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use futures_util::stream;
use ossd_blob::LocalFs;
use ossd_meta::{BucketRecord, ListVersionsQuery, MemoryMeta, MetaStore, ObjectRecord};
use ossd_store::{BodyStream, LifecycleReport, PartUpload, Store, WriteSpec};
use ossd_types::lifecycle::{AgeLimit, Expiration, LifecycleRule, LifecycleTime, Transition};
use ossd_types::{BucketAcl, ObjectAcl, StorageClass, VersioningState};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const DAY: i64 = 1000;

struct Rig {
    dir: tempfile::TempDir,
    meta: Arc<MemoryMeta>,
    store: Store,
}

async fn rig(inline: usize) -> Result<Rig, Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let blobs = Arc::new(LocalFs::open(dir.path().join("blobs"))?);
    let meta = Arc::new(MemoryMeta::new());
    meta.create_bucket(BucketRecord {
        name: "b".into(),
        owner: "1".into(),
        created_ms: 0,
        acl: BucketAcl::Private,
        storage_class: StorageClass::Standard,
        region: "cn-hangzhou".into(),
        versioning: VersioningState::Enabled,
    })
    .await?;
    let store = Store::new(meta.clone(), blobs, inline);
    Ok(Rig { dir, meta, store })
}

fn spec(key: &str) -> WriteSpec {
    WriteSpec {
        bucket: "b".into(),
        key: key.into(),
        headers: vec![],
        user_meta: vec![],
        tags: vec![],
        acl: ObjectAcl::Default,
        storage_class: StorageClass::Standard,
        content_md5: None,
        forbid_overwrite: false,
        etag_condition: Default::default(),
        content_length: None,
        checksum: Default::default(),
    }
}

fn body(len: usize) -> BodyStream {
    Box::pin(stream::iter(vec![Ok(Bytes::from(vec![b'x'; len]))]))
}

impl Rig {
    async fn put(&self, key: &str, day: i64) -> Result<(), Box<dyn std::error::Error>> {
        self.store
            .put_object(spec(key), body(100), day * DAY)
            .await?;
        Ok(())
    }

    /// Starts an upload of `key` at `day` with one 100-byte part.
    async fn upload(&self, key: &str, day: i64) -> Result<String, Box<dyn std::error::Error>> {
        let up = self.store.initiate_multipart(spec(key), day * DAY).await?;
        let part = PartUpload {
            bucket: "b".into(),
            key: key.into(),
            upload_id: up.upload_id.clone(),
            part_number: 1,
            content_md5: None,
            content_length: Some(100),
            checksum: Default::default(),
        };
        self.store.upload_part(part, body(100), day * DAY).await?;
        Ok(up.upload_id)
    }

    async fn apply(
        &self,
        rules: &[LifecycleRule],
        day: i64,
    ) -> Result<LifecycleReport, Box<dyn std::error::Error>> {
        let time = LifecycleTime {
            now_ms: day * DAY,
            day_ms: DAY,
        };
        Ok(self.store.apply_lifecycle("b", rules, time).await?)
    }

    /// Every version's record, in listing order.
    async fn records(&self) -> Result<Vec<ObjectRecord>, Box<dyn std::error::Error>> {
        let query = ListVersionsQuery {
            bucket: "b".into(),
            max_keys: 10_000,
            ..ListVersionsQuery::default()
        };
        let page = self.meta.list_versions(&query).await?;
        Ok(page.versions.into_iter().map(|v| v.record).collect())
    }

    /// `key:version:marker?` for every version, in listing order.
    async fn versions(&self) -> Result<Vec<(String, bool)>, Box<dyn std::error::Error>> {
        let records = self.records().await?;
        Ok(records
            .into_iter()
            .map(|r| (r.key, r.delete_marker))
            .collect())
    }

    /// The data files under `blobs/objects`.
    fn files(&self) -> Vec<PathBuf> {
        let mut out = Vec::new();
        walk(&self.dir.path().join("blobs").join("objects"), &mut out);
        out
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn rule(id: &str, prefix: &str) -> LifecycleRule {
    LifecycleRule {
        id: id.into(),
        prefix: prefix.into(),
        enabled: true,
        ..LifecycleRule::default()
    }
}

fn v(key: &str, marker: bool) -> (String, bool) {
    (key.to_owned(), marker)
}

#[tokio::test]
async fn expiry_markers_and_uploads_reclaim_files() -> TestResult {
    let r = rig(0).await?;
    r.put("logs/old", 0).await?;
    r.put("logs/old", 1).await?;
    r.put("logs/new", 3).await?;
    r.put("data/x", 0).await?;
    r.put("gone", 0).await?;
    r.store.delete_object("b", "gone", None, DAY / 2).await?;
    let stale = r.upload("logs/up", 0).await?;
    let fresh = r.upload("logs/fresh", 3).await?;
    assert_eq!(r.files().len(), 7);

    let mut logs = rule("logs", "logs/");
    logs.expiration = Some(Expiration::After(AgeLimit::Days(3)));
    logs.noncurrent_days = Some(2);
    logs.abort_uploads = Some(AgeLimit::Days(2));
    let mut markers = rule("markers", "gone");
    markers.expiration = Some(Expiration::DeleteMarker(true));
    markers.noncurrent_days = Some(1);
    let mut disabled = rule("off", "");
    disabled.enabled = false;
    disabled.expiration = Some(Expiration::After(AgeLimit::Days(1)));
    let rules = [logs, markers, disabled];

    let report = r.apply(&rules, 4).await?;
    let expected = LifecycleReport {
        expired: 1,
        noncurrent_expired: 2,
        markers_removed: 1,
        uploads_aborted: 1,
        transitioned: 0,
        bytes_reclaimed: 300,
    };
    assert_eq!(report, expected);
    // logs/old: a marker over its (now noncurrent) second version; gone/ is gone entirely.
    assert_eq!(
        r.versions().await?,
        [
            v("data/x", false),
            v("logs/new", false),
            v("logs/old", true),
            v("logs/old", false)
        ]
    );
    assert!(r.store.upload("b", "logs/up", &stale).await.is_err());
    assert!(r.store.upload("b", "logs/fresh", &fresh).await.is_ok());
    assert_eq!(
        r.files().len(),
        4,
        "removed versions and parts left the disk"
    );

    // Nothing more is due the same day. Two days later logs/old's data goes, logs/new expires
    // and the second upload is old enough.
    assert_eq!(r.apply(&rules, 4).await?, LifecycleReport::default());
    let later = r.apply(&rules, 6).await?;
    let counts = (
        later.noncurrent_expired,
        later.expired,
        later.uploads_aborted,
    );
    assert_eq!(counts, (1, 1, 1));
    assert_eq!(
        r.versions().await?,
        [
            v("data/x", false),
            v("logs/new", true),
            v("logs/new", false),
            v("logs/old", true)
        ]
    );
    assert_eq!(
        r.files().len(),
        2,
        "data/x and logs/new's noncurrent version"
    );
    Ok(())
}

#[tokio::test]
async fn versions_spanning_pages_are_all_seen() -> TestResult {
    let r = rig(4096).await?;
    for day in 0..1500 {
        r.put("k", day).await?;
    }
    r.put("m", 0).await?;
    r.put("m", 1).await?;
    let mut noncurrent = rule("nc", "");
    noncurrent.noncurrent_days = Some(1);
    let report = r.apply(&[noncurrent], 2000).await?;
    assert_eq!(report.noncurrent_expired, 1499 + 1);
    assert_eq!(r.versions().await?, [v("k", false), v("m", false)]);
    Ok(())
}

/// `key` and storage class of every object version (no markers), in listing order.
async fn classes(r: &Rig) -> Result<Vec<(String, StorageClass)>, Box<dyn std::error::Error>> {
    let records = r.records().await?;
    Ok(records
        .into_iter()
        .filter(|r| !r.delete_marker)
        .map(|r| (r.key, r.storage_class))
        .collect())
}

#[tokio::test]
async fn transitions_move_versions_to_colder_classes() -> TestResult {
    let r = rig(0).await?;
    r.put("logs/a", 0).await?; // noncurrent since day 2
    r.put("logs/a", 2).await?; // current
    r.put("data/x", 0).await?;
    let mut logs = rule("logs", "logs/");
    logs.transitions = vec![
        Transition::new(AgeLimit::Days(1), StorageClass::Ia),
        Transition::new(AgeLimit::Days(3), StorageClass::Archive),
    ];
    logs.noncurrent_transitions = vec![Transition::new(
        AgeLimit::Days(2),
        StorageClass::ColdArchive,
    )];
    logs.expiration = Some(Expiration::After(AgeLimit::Days(10)));
    let rules = [logs];
    use StorageClass::*;

    // Day 3: the current version is 1 day old (IA), the noncurrent one noncurrent for 1 day.
    assert_eq!(r.apply(&rules, 3).await?.transitioned, 1);
    let at3 = classes(&r).await?;
    let want = [
        ("data/x".to_owned(), Standard),
        ("logs/a".to_owned(), Ia),
        ("logs/a".to_owned(), Standard),
    ];
    assert_eq!(at3, want);
    // Day 5: current version 3 days old (Archive), noncurrent 3 days (Cold Archive).
    assert_eq!(r.apply(&rules, 5).await?.transitioned, 2);
    let at5 = classes(&r).await?;
    assert_eq!(
        at5[1..],
        [
            ("logs/a".to_owned(), Archive),
            ("logs/a".to_owned(), ColdArchive)
        ]
    );
    // Nothing colder is due: no more changes, and an archived object must be restored to read.
    assert_eq!(r.apply(&rules, 6).await?, LifecycleReport::default());
    let current = r.store.resolve("b", "logs/a", None).await?;
    assert!(!current.data.restore_status(6 * DAY).readable());
    // Expiration wins over transitions once due.
    let report = r.apply(&rules, 12).await?;
    assert_eq!((report.expired, report.transitioned), (1, 0));
    Ok(())
}
