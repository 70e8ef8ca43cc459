//! Conformance: the IAM key-value space (`iam_get`, `iam_scan`, `iam_commit`). Each test uses its
//! own key prefix, so they can share a store.

use crate::{IamCheck, IamItem, IamWrite, MetaError, MetaStore};

/// Commits `writes` with `checks`, expecting success.
async fn commit(store: &dyn MetaStore, checks: Vec<IamCheck>, writes: Vec<IamWrite>) {
    store.iam_commit(checks, writes).await.expect("iam commit");
}

/// The revision of `key`, which must exist.
async fn revision(store: &dyn MetaStore, key: &str) -> u64 {
    let item = store.iam_get(key).await.expect("iam get");
    item.expect("iam item exists").revision
}

/// The keys of a scan.
async fn scan_keys(store: &dyn MetaStore, prefix: &str, after: &str, limit: usize) -> Vec<String> {
    let found = store.iam_scan(prefix, after, limit).await.expect("scan");
    found.into_iter().map(|(k, _)| k).collect()
}

/// Put, get, overwrite (revision grows), delete, and reading a missing key.
pub async fn iam_put_get_delete(store: &dyn MetaStore) {
    assert_eq!(store.iam_get("cfi-a/x").await.expect("get"), None);
    commit(store, vec![], vec![IamWrite::put("cfi-a/x", r#"{"v":1}"#)]).await;
    let first = store.iam_get("cfi-a/x").await.expect("get");
    let first = first.expect("stored");
    assert_eq!(first.value, r#"{"v":1}"#);
    assert!(first.revision >= 1, "{first:?}");
    commit(store, vec![], vec![IamWrite::put("cfi-a/x", r#"{"v":2}"#)]).await;
    let second = store.iam_get("cfi-a/x").await.expect("get");
    let second = second.expect("stored");
    assert_eq!(second.value, r#"{"v":2}"#);
    assert!(second.revision > first.revision, "{first:?} {second:?}");
    commit(store, vec![], vec![IamWrite::delete("cfi-a/x")]).await;
    assert_eq!(store.iam_get("cfi-a/x").await.expect("get"), None);
    commit(store, vec![], vec![IamWrite::delete("cfi-a/never")]).await;
    commit(store, vec![], vec![IamWrite::put("cfi-a/x", "{}")]).await;
    let again = revision(store, "cfi-a/x").await;
    assert!(
        again > second.revision,
        "a re-created key reuses no revision"
    );
}

/// Revision checks: absent, exact match, stale, and an absent check on an existing key.
pub async fn iam_revision_checks(store: &dyn MetaStore) {
    let absent = vec![IamCheck::revision("cfi-r/k", None)];
    commit(store, absent.clone(), vec![IamWrite::put("cfi-r/k", "1")]).await;
    let again = store
        .iam_commit(absent, vec![IamWrite::put("cfi-r/k", "x")])
        .await;
    assert!(
        matches!(again, Err(MetaError::PreconditionFailed(None))),
        "{again:?}"
    );
    let rev = revision(store, "cfi-r/k").await;
    let exact = vec![IamCheck::revision("cfi-r/k", Some(rev))];
    commit(store, exact.clone(), vec![IamWrite::put("cfi-r/k", "2")]).await;
    let stale = store
        .iam_commit(exact, vec![IamWrite::put("cfi-r/k", "3")])
        .await;
    assert!(
        matches!(stale, Err(MetaError::PreconditionFailed(None))),
        "{stale:?}"
    );
    let item = store.iam_get("cfi-r/k").await.expect("get");
    assert_eq!(item.map(|i| i.value), Some("2".to_owned()));
    let missing = vec![IamCheck::revision("cfi-r/none", Some(1))];
    let fails = store.iam_commit(missing, vec![]).await;
    assert!(matches!(fails, Err(MetaError::PreconditionFailed(None))));
}

/// A failed check anywhere in the list writes nothing; checks alone (no writes) are allowed.
pub async fn iam_commit_is_atomic(store: &dyn MetaStore) {
    commit(store, vec![], vec![IamWrite::put("cfi-t/held", "h")]).await;
    let checks = vec![
        IamCheck::revision("cfi-t/new", None),
        IamCheck::revision("cfi-t/held", None),
    ];
    let writes = vec![
        IamWrite::put("cfi-t/new", "n"),
        IamWrite::delete("cfi-t/held"),
    ];
    let failed = store.iam_commit(checks, writes).await;
    assert!(matches!(failed, Err(MetaError::PreconditionFailed(None))));
    assert_eq!(store.iam_get("cfi-t/new").await.expect("get"), None);
    assert!(store.iam_get("cfi-t/held").await.expect("get").is_some());
    commit(store, vec![IamCheck::revision("cfi-t/new", None)], vec![]).await;
}

/// All puts of one commit share one revision; later writes to a key in the same commit win.
pub async fn iam_commit_many_writes(store: &dyn MetaStore) {
    let writes = vec![
        IamWrite::put("cfi-m/a", "1"),
        IamWrite::put("cfi-m/b", "1"),
        IamWrite::put("cfi-m/a", "2"),
        IamWrite::put("cfi-m/c", "1"),
        IamWrite::delete("cfi-m/c"),
    ];
    commit(store, vec![], writes).await;
    let a = store.iam_get("cfi-m/a").await.expect("get").expect("a");
    let b = store.iam_get("cfi-m/b").await.expect("get").expect("b");
    assert_eq!((a.value.as_str(), a.revision), ("2", b.revision));
    assert_eq!(store.iam_get("cfi-m/c").await.expect("get"), None);
}

/// `EmptyPrefix` holds only while no key has the prefix (keys merely sorting near it don't count).
pub async fn iam_empty_prefix(store: &dyn MetaStore) {
    let check = || vec![IamCheck::empty_prefix("cfi-e/group/g1/")];
    commit(store, check(), vec![IamWrite::put("cfi-e/group/g1", "g")]).await;
    commit(
        store,
        check(),
        vec![IamWrite::put("cfi-e/group/g10/u", "x")],
    )
    .await;
    commit(
        store,
        check(),
        vec![IamWrite::put("cfi-e/group/g1/u1", "m")],
    )
    .await;
    let busy = store.iam_commit(check(), vec![]).await;
    assert!(matches!(busy, Err(MetaError::PreconditionFailed(None))));
    commit(store, vec![], vec![IamWrite::delete("cfi-e/group/g1/u1")]).await;
    commit(store, check(), vec![IamWrite::delete("cfi-e/group/g1")]).await;
}

/// Scans: prefix bounds, `after` (inside, before and past the prefix), limit, byte order.
pub async fn iam_scan_prefix_after_limit(store: &dyn MetaStore) {
    let keys = [
        "cfi-s/b",
        "cfi-s/a",
        "cfi-s/a/1",
        "cfi-s/é",
        "cfi-s/Z",
        "cfi-s0",
        "cfi-r",
    ];
    let writes = keys.iter().map(|k| IamWrite::put(*k, *k)).collect();
    commit(store, vec![], writes).await;
    let all = ["cfi-s/Z", "cfi-s/a", "cfi-s/a/1", "cfi-s/b", "cfi-s/é"];
    assert_eq!(scan_keys(store, "cfi-s/", "", 100).await, all);
    assert_eq!(scan_keys(store, "cfi-s/", "", 2).await, all[..2]);
    assert_eq!(scan_keys(store, "cfi-s/", "cfi-s/a", 2).await, all[2..4]);
    assert_eq!(scan_keys(store, "cfi-s/", "cfi-s/b", 9).await, all[4..]);
    assert_eq!(scan_keys(store, "cfi-s/", "a", 9).await, all);
    assert!(scan_keys(store, "cfi-s/", "cfi-t", 9).await.is_empty());
    assert!(scan_keys(store, "cfi-s/", "", 0).await.is_empty());
    assert!(scan_keys(store, "cfi-none/", "", 9).await.is_empty());
    let found = store.iam_scan("cfi-s/b", "", 9).await.expect("scan");
    let item = IamItem {
        value: "cfi-s/b".to_owned(),
        revision: revision(store, "cfi-s/b").await,
    };
    assert_eq!(found, vec![("cfi-s/b".to_owned(), item)]);
}

/// Concurrent compare-and-set increments of one counter lose no update.
pub async fn iam_concurrent_cas(store: &dyn MetaStore) {
    commit(store, vec![], vec![IamWrite::put("cfi-c/n", "0")]).await;
    tokio::join!(
        increment(store, 10),
        increment(store, 10),
        increment(store, 10),
        increment(store, 10)
    );
    let item = store.iam_get("cfi-c/n").await.expect("get").expect("n");
    assert_eq!(item.value, "40");
}

/// Adds one to the counter `cfi-c/n` `times` times, retrying on conflicts.
async fn increment(store: &dyn MetaStore, times: usize) {
    let mut done = 0;
    while done < times {
        let item = store.iam_get("cfi-c/n").await.expect("get").expect("n");
        let n: u64 = item.value.parse().expect("number");
        let check = vec![IamCheck::revision("cfi-c/n", Some(item.revision))];
        let write = vec![IamWrite::put("cfi-c/n", (n + 1).to_string())];
        match store.iam_commit(check, write).await {
            Ok(()) => done += 1,
            Err(MetaError::PreconditionFailed(None)) => tokio::task::yield_now().await,
            Err(e) => panic!("commit: {e}"),
        }
    }
}
