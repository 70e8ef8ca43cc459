//! Several nodes on one database: IAM changes reach every node's change feed (by NOTIFY, and by
//! the generation poll when a notification is missed), and exactly one node holds the leader
//! lease, another taking over when the leader stops renewing it; an RPC nonce recorded by one
//! node is refused by the others.
#![allow(clippy::expect_used)]

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use ossd_meta::{IamWrite, MetaStore};
use ossd_meta_postgres::{Change, ChangeKind, PgMeta};
use tokio::time::{Instant, sleep};

/// Waits up to `within` for `seen` to hold a change matching `f`.
async fn wait_for(seen: &Mutex<Vec<Change>>, within: Duration, f: impl Fn(&Change) -> bool) {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if seen.lock().expect("lock").iter().any(&f) {
            return;
        }
        sleep(Duration::from_millis(20)).await;
    }
    panic!(
        "no matching change within {within:?}: {:?}",
        seen.lock().expect("lock")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn iam_changes_reach_the_other_nodes() {
    let Some(url) = common::fresh_database().await else {
        return;
    };
    let a = PgMeta::connect(&url).await.expect("node a");
    let b = PgMeta::connect(&url).await.expect("node b");
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let feed = b.watch_changes(Duration::from_millis(500), move |c| {
        sink.lock().expect("lock").push(c);
    });
    // The feed reports everything as changed once it listens.
    wait_for(&seen, Duration::from_secs(5), |c| c.key.is_none()).await;
    seen.lock().expect("lock").clear();

    let write = IamWrite::Put {
        key: "acs/test/policy".to_owned(),
        value: "{}".to_owned(),
    };
    a.iam_commit(Vec::new(), vec![write]).await.expect("commit");
    // NOTIFY: the key itself, well before the poll period.
    wait_for(&seen, Duration::from_millis(400), |c| {
        c.kind == ChangeKind::Iam && c.key.as_deref() == Some("acs/test/policy")
    })
    .await;

    // A change whose notification never came (here: the counter moved without one) is caught
    // by the generation poll.
    seen.lock().expect("lock").clear();
    let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .expect("connect");
    let driver = tokio::spawn(connection);
    client
        .batch_execute("UPDATE iam_revision SET last = last + 1 WHERE id = 0")
        .await
        .expect("move the generation");
    wait_for(&seen, Duration::from_secs(2), |c| {
        c.kind == ChangeKind::Iam && c.key.is_none()
    })
    .await;
    drop(client);
    let _ = driver.await;
    feed.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_leader_and_a_takeover_within_the_lease() {
    let Some(url) = common::fresh_database().await else {
        return;
    };
    let lease = Duration::from_secs(2);
    let nodes = [
        PgMeta::connect(&url).await.expect("node a"),
        PgMeta::connect(&url).await.expect("node b"),
        PgMeta::connect(&url).await.expect("node c"),
    ];
    let mut leaders: Vec<_> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| Some(n.lead(format!("node-{i}"), lease)))
        .collect();
    let count = |leaders: &[Option<ossd_meta_postgres::Leadership>]| {
        leaders.iter().flatten().filter(|l| l.is_leader()).count()
    };
    sleep(Duration::from_secs(1)).await;
    assert_eq!(count(&leaders), 1, "exactly one leader");
    for _ in 0..10 {
        sleep(Duration::from_millis(150)).await;
        assert!(count(&leaders) <= 1, "never two leaders");
    }
    // The leader dies without freeing the lease: another node leads within lease + a renewal.
    let first = leaders
        .iter()
        .position(|l| l.as_ref().is_some_and(|l| l.is_leader()))
        .expect("a leader");
    let died = Instant::now();
    leaders[first] = None;
    loop {
        assert!(count(&leaders) <= 1, "never two leaders");
        if count(&leaders) == 1 {
            break;
        }
        assert!(
            died.elapsed() < lease + lease / 3 + Duration::from_secs(1),
            "no takeover within the lease"
        );
        sleep(Duration::from_millis(50)).await;
    }
    // A clean stop frees the lease at once.
    let second = leaders
        .iter()
        .position(|l| l.as_ref().is_some_and(|l| l.is_leader()))
        .expect("a leader");
    let released = Instant::now();
    if let Some(leader) = leaders[second].take() {
        leader.release().await;
    }
    while count(&leaders) == 0 {
        assert!(
            released.elapsed() < lease,
            "no quick takeover after a release"
        );
        sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_nonce_recorded_by_one_node_is_refused_by_the_others_until_it_expires() {
    let Some(url) = common::fresh_database().await else {
        return;
    };
    let a = PgMeta::connect(&url).await.expect("node a");
    let b = PgMeta::connect(&url).await.expect("node b");
    assert!(a.record_nonce("ak:n1", 100, 1000).await.expect("record"));
    assert!(!b.record_nonce("ak:n1", 101, 1001).await.expect("replay"));
    assert!(!a.record_nonce("ak:n1", 999, 1999).await.expect("replay"));
    assert!(b.record_nonce("ak:n2", 101, 1001).await.expect("other"));
    // Once expired, the same nonce is new again (as in the per-node cache).
    assert!(b.record_nonce("ak:n1", 1000, 2000).await.expect("expired"));
    assert!(!a.record_nonce("ak:n1", 1500, 2500).await.expect("replay"));
    // Pruning removes expired rows only.
    assert_eq!(a.prune_nonces(1500).await.expect("prune"), 1);
    assert!(!a.record_nonce("ak:n1", 1500, 2500).await.expect("kept"));
    // Two nodes racing for one nonce: exactly one wins.
    let (x, y) = tokio::join!(
        a.record_nonce("ak:n3", 0, 10),
        b.record_nonce("ak:n3", 0, 10)
    );
    assert!(x.expect("a") ^ y.expect("b"));
}
