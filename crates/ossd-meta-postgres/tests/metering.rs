//! Each metadata operation reports what it asked of the database server (statements sent and
//! time waiting for them) to the installed observer: the source of the server's
//! `ossd_meta_db_roundtrips_total{op}` and `ossd_meta_db_seconds_total{op}`.
#![allow(clippy::expect_used)]

mod common;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ossd_meta::conformance::fixtures::{make_bucket, put};
use ossd_meta::{CommitObserver, MetaStore};
use ossd_types::VersioningState;

/// Round trips and time waited, summed per operation.
#[derive(Default)]
struct Seen(Mutex<BTreeMap<&'static str, (u32, Duration, u32)>>);

impl CommitObserver for Seen {
    fn commit(&self, _mutations: usize, _elapsed: Duration, _ok: bool) {}

    fn db_work(&self, op: &'static str, round_trips: u32, waited: Duration) {
        let mut seen = self.0.lock().expect("lock");
        let entry = seen.entry(op).or_default();
        entry.0 += round_trips;
        entry.1 += waited;
        entry.2 += 1;
    }
}

impl Seen {
    /// (round trips, time waited, calls) of `op` so far.
    fn of(&self, op: &str) -> (u32, Duration, u32) {
        self.0
            .lock()
            .expect("lock")
            .get(op)
            .copied()
            .unwrap_or_default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn put_and_get_report_their_round_trips() {
    let Some((_url, store)) = common::fresh().await else {
        return;
    };
    let seen = Arc::new(Seen::default());
    store.set_commit_observer(seen.clone());

    make_bucket(&store, "metered", VersioningState::Disabled).await;
    put(&store, "metered", "k", "unused").await;
    let (put_trips, put_waited, put_calls) = seen.of("put_object");
    assert_eq!(put_calls, 1);
    // BEGIN, the bucket's row lock, at least one write, COMMIT.
    assert!(put_trips >= 4, "put_object: {put_trips} round trips");
    assert!(put_waited > Duration::ZERO);

    let got = store
        .get_object("metered", "k", None)
        .await
        .expect("get object");
    assert!(got.is_some());
    // A single statement, no transaction.
    let (get_trips, get_waited, get_calls) = seen.of("get_object");
    assert_eq!((get_trips, get_calls), (1, 1));
    assert!(get_waited > Duration::ZERO);

    store
        .get_object("metered", "missing", None)
        .await
        .expect("get missing object");
    assert_eq!(seen.of("get_object").0, 2);
    assert_eq!(seen.of("create_bucket").2, 1);
    // Nothing else was reported under these names.
    assert_eq!(seen.of("put_object").2, 1);
}
