//! Conformance: put_part racing complete and abort. Whatever order the store applies them in, no
//! part outlives its upload and every blob ends up either referenced or returned to a caller as
//! garbage (exactly once), never both and never neither.

use super::fixtures::{completed_record, make_bucket, part_record, upload_record};
use crate::{MetaError, MetaStore, PartRecord, Precondition};
use ossd_types::VersioningState;

/// Blobs handed to the store, and blobs the store handed back as garbage.
#[derive(Debug, Default)]
struct Ledger {
    written: Vec<String>,
    garbage: Vec<String>,
}

impl Ledger {
    /// Records the outcome of a `put_part` of `blob`: the replaced part is garbage, and so is the
    /// caller's own blob when the upload was gone.
    fn put(&mut self, blob: &str, result: Result<Option<PartRecord>, MetaError>) {
        self.written.push(blob.to_owned());
        match result {
            Ok(replaced) => self.garbage.extend(replaced.map(|p| p.blob)),
            Err(MetaError::NoSuchUpload) => self.garbage.push(blob.to_owned()),
            Err(e) => panic!("put_part: {e:?}"),
        }
    }

    /// Records returned parts as garbage.
    fn parts(&mut self, parts: Vec<PartRecord>) {
        self.garbage.extend(parts.into_iter().map(|p| p.blob));
    }

    /// Checks every written blob: referenced, or returned as garbage exactly once.
    async fn check(&self, store: &dyn MetaStore) {
        let refs = store.blobs_referenced(&self.written).await.expect("refs");
        for (blob, referenced) in self.written.iter().zip(refs) {
            let returned = self.garbage.iter().filter(|g| *g == blob).count();
            assert_eq!(
                returned,
                usize::from(!referenced),
                "blob {blob}: referenced {referenced}, returned as garbage {returned} times"
            );
        }
    }
}

/// Puts part `number` of `upload_id` in `blob`, raw.
async fn put_raw(
    store: &dyn MetaStore,
    (bucket, key, upload_id): (&str, &str, &str),
    number: u32,
    blob: &str,
) -> Result<Option<PartRecord>, MetaError> {
    store
        .put_part(bucket, key, part_record(upload_id, number, blob))
        .await
}

/// Creates the upload `at` (its bucket exists) with parts 1..=3 and returns them.
async fn upload_with_parts(
    store: &dyn MetaStore,
    at: (&str, &str, &str),
    ledger: &mut Ledger,
) -> Vec<PartRecord> {
    store
        .create_upload(upload_record(at.0, at.1, at.2))
        .await
        .expect("create");
    for n in 1..=3 {
        let blob = format!("blob-{}-{n}", at.2);
        let result = put_raw(store, at, n, &blob).await;
        ledger.put(&blob, result);
    }
    let (parts, _) = store
        .list_parts(at.0, at.1, at.2, 0, 100)
        .await
        .expect("parts");
    parts
}

/// Part puts (new numbers and replacements) racing an abort, issued in a few different orders.
pub async fn upload_part_races_abort(store: &dyn MetaStore) {
    let bucket = "cf-uprace-a";
    make_bucket(store, bucket, VersioningState::Disabled).await;
    let mut ledger = Ledger::default();
    for round in 0..3 {
        let id = format!("{bucket}-{round}");
        let at = (bucket, "k", id.as_str());
        upload_with_parts(store, at, &mut ledger).await;
        let blobs = ["r1", "r2", "r3", "r4"].map(|b| format!("blob-{id}-{b}"));
        let puts = async {
            tokio::join!(
                put_raw(store, at, 1, &blobs[0]),
                put_raw(store, at, 4, &blobs[1]),
                put_raw(store, at, 2, &blobs[2]),
                put_raw(store, at, 5, &blobs[3]),
            )
        };
        let abort = async {
            for _ in 0..round {
                tokio::task::yield_now().await;
            }
            store.abort_upload(at.0, at.1, at.2).await
        };
        let ((p1, p2, p3, p4), aborted) = tokio::join!(puts, abort);
        for (blob, result) in blobs.iter().zip([p1, p2, p3, p4]) {
            ledger.put(blob, result);
        }
        ledger.parts(aborted.expect("abort"));
        assert_eq!(store.get_upload(at.0, at.1, at.2).await.expect("get"), None);
    }
    ledger.check(store).await;
}

/// Part puts (replacing chosen parts, adding new ones) racing a completion built from the parts
/// read before: either the completion wins (later puts find no upload) or a replacement wins and
/// the completion fails with `InvalidPart`, leaving the upload to abort. Both orders are issued.
pub async fn upload_part_races_complete(store: &dyn MetaStore) {
    let bucket = "cf-uprace-c";
    make_bucket(store, bucket, VersioningState::Disabled).await;
    let mut ledger = Ledger::default();
    for replace_first in [false, true] {
        let (key, id) = (
            format!("k-{replace_first}"),
            format!("{bucket}-{replace_first}"),
        );
        let at = (bucket, key.as_str(), id.as_str());
        let parts = upload_with_parts(store, at, &mut ledger).await;
        let record = completed_record(&upload_record(at.0, at.1, at.2), &parts[..2], "x");
        let blobs = ["r1", "r2", "r3"].map(|b| format!("blob-{id}-{b}"));
        let (first, second) = if replace_first { (1, 4) } else { (4, 1) };
        let (p1, completed, p2, p3) = tokio::join!(
            put_raw(store, at, first, &blobs[0]),
            store.complete_upload(at.0, at.1, at.2, record.clone(), Precondition::None),
            put_raw(store, at, second, &blobs[1]),
            put_raw(store, at, 3, &blobs[2]),
        );
        for (blob, result) in blobs.iter().zip([p1, p2, p3]) {
            ledger.put(blob, result);
        }
        match completed {
            Ok(outcome) => {
                ledger.parts(outcome.unused_parts);
                let got = store.get_object(at.0, at.1, None).await.expect("get");
                assert_eq!(got.map(|r| r.data), Some(record.data));
            }
            Err(MetaError::InvalidPart) => {
                let parts = store
                    .abort_upload(at.0, at.1, at.2)
                    .await
                    .expect("the upload survives a failed completion");
                ledger.parts(parts);
            }
            Err(e) => panic!("complete: {e:?}"),
        }
        assert_eq!(store.get_upload(at.0, at.1, at.2).await.expect("get"), None);
    }
    ledger.check(store).await;
}
