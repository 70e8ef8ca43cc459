//! Conformance: buckets and their configuration documents.

use super::fixtures::{bucket_record, make_bucket, put};
use crate::{BucketRecord, BucketSwap, ConfigSwap, MetaError, MetaStore};
use ossd_types::{BucketAcl, VersioningState};

/// Create, read, and the duplicate-name error (for any owner).
pub async fn bucket_create_get_duplicate(store: &dyn MetaStore) {
    let record = bucket_record("cf-create", "owner-create");
    store.create_bucket(record.clone()).await.expect("create");
    assert_eq!(
        store.get_bucket("cf-create").await.expect("get"),
        Some(record)
    );
    let again = store
        .create_bucket(bucket_record("cf-create", "other"))
        .await;
    assert!(
        matches!(again, Err(MetaError::BucketAlreadyExists)),
        "{again:?}"
    );
    assert_eq!(
        store.get_bucket("cf-missing").await.expect("get missing"),
        None
    );
}

/// A bucket created with configuration documents has them at once; a taken name writes
/// neither the record nor the documents.
pub async fn bucket_create_with_configs(store: &dyn MetaStore) {
    let record = bucket_record("cf-create-cfg", "owner-cfg");
    let configs = vec![
        ("publicAccessBlock".to_owned(), "a".to_owned()),
        ("ownershipControls".to_owned(), "b".to_owned()),
    ];
    store
        .create_bucket_with_configs(record.clone(), configs)
        .await
        .expect("create");
    assert_eq!(
        store.get_bucket("cf-create-cfg").await.expect("get"),
        Some(record)
    );
    let get = |kind: &'static str| store.get_bucket_config("cf-create-cfg", kind);
    assert_eq!(
        get("publicAccessBlock").await.expect("get"),
        Some("a".to_owned())
    );
    assert_eq!(
        get("ownershipControls").await.expect("get"),
        Some("b".to_owned())
    );
    let again = store
        .create_bucket_with_configs(
            bucket_record("cf-create-cfg", "other"),
            vec![("publicAccessBlock".to_owned(), "c".to_owned())],
        )
        .await;
    assert!(
        matches!(again, Err(MetaError::BucketAlreadyExists)),
        "{again:?}"
    );
    assert_eq!(
        get("publicAccessBlock").await.expect("get"),
        Some("a".to_owned())
    );
    assert_eq!(
        store
            .get_bucket("cf-create-cfg")
            .await
            .expect("get")
            .map(|b| b.owner),
        Some("owner-cfg".to_owned())
    );
}

/// Update replaces the record; updating a missing bucket fails.
pub async fn bucket_update(store: &dyn MetaStore) {
    store
        .create_bucket(bucket_record("cf-update", "o"))
        .await
        .expect("create");
    let mut record = bucket_record("cf-update", "o");
    record.acl = BucketAcl::PublicRead;
    record.versioning = VersioningState::Enabled;
    store.update_bucket(record.clone()).await.expect("update");
    assert_eq!(
        store.get_bucket("cf-update").await.expect("get"),
        Some(record)
    );
    let missing = store
        .update_bucket(bucket_record("cf-update-missing", "o"))
        .await;
    assert!(
        matches!(missing, Err(MetaError::NoSuchBucket)),
        "{missing:?}"
    );
}

/// Compare-and-set of bucket records: replaces only the expected record, reports the current
/// one otherwise; missing bucket; renaming refused.
pub async fn bucket_swap(store: &dyn MetaStore) {
    let original = bucket_record("cf-bswap", "o");
    store.create_bucket(original.clone()).await.expect("create");
    let mut public = original.clone();
    public.acl = BucketAcl::PublicRead;
    let swapped = store.swap_bucket(&original, public.clone()).await;
    assert_eq!(swapped.expect("swap"), BucketSwap::Swapped);
    let get = || store.get_bucket("cf-bswap");
    assert_eq!(get().await.expect("get"), Some(public.clone()));

    let mut versioned = original.clone();
    versioned.versioning = VersioningState::Enabled;
    let stale = store.swap_bucket(&original, versioned).await.expect("swap");
    assert_eq!(stale, BucketSwap::Changed(Box::new(public.clone())));
    assert_eq!(get().await.expect("get"), Some(public.clone()));

    let mut both = public.clone();
    both.versioning = VersioningState::Enabled;
    let swapped = store.swap_bucket(&public, both.clone()).await;
    assert_eq!(swapped.expect("swap"), BucketSwap::Swapped);
    assert_eq!(get().await.expect("get"), Some(both.clone()));

    let mut renamed = both.clone();
    renamed.name = "cf-bswap-renamed".to_owned();
    let refused = store.swap_bucket(&both, renamed).await;
    assert!(
        matches!(refused, Err(MetaError::NotSupported(_))),
        "{refused:?}"
    );
    assert_eq!(get().await.expect("get"), Some(both));

    let absent = bucket_record("cf-bswap-missing", "o");
    let missing = store.swap_bucket(&absent, absent.clone()).await;
    assert!(
        matches!(missing, Err(MetaError::NoSuchBucket)),
        "{missing:?}"
    );
}

/// Concurrent read-modify-write of one bucket record through [`MetaStore::swap_bucket`] loses no
/// update: every change of every task lands (counted in `created_ms`), and the fields only one
/// task sets keep its value.
pub async fn bucket_swap_concurrent(store: &dyn MetaStore) {
    const EACH: i64 = 10;
    let start = bucket_record("cf-bswap-race", "o");
    store.create_bucket(start.clone()).await.expect("create");
    tokio::join!(
        change_bucket(store, EACH, |b| b.acl = BucketAcl::PublicReadWrite),
        change_bucket(store, EACH, |b| b.versioning = VersioningState::Enabled),
        change_bucket(store, EACH, |_| ()),
        change_bucket(store, EACH, |_| ())
    );
    let end = store
        .get_bucket("cf-bswap-race")
        .await
        .expect("get")
        .expect("bucket");
    assert_eq!(end.created_ms, start.created_ms + 4 * EACH, "{end:?}");
    assert_eq!(end.acl, BucketAcl::PublicReadWrite);
    assert_eq!(end.versioning, VersioningState::Enabled);
}

/// Applies `change` and adds one to `created_ms`, `times` times, each a read, a yield and a
/// swap retried over the current record on conflicts.
async fn change_bucket(store: &dyn MetaStore, times: i64, change: fn(&mut BucketRecord)) {
    let mut current = store
        .get_bucket("cf-bswap-race")
        .await
        .expect("get")
        .expect("bucket");
    for _ in 0..times {
        loop {
            let mut next = current.clone();
            change(&mut next);
            next.created_ms += 1;
            tokio::task::yield_now().await;
            match store
                .swap_bucket(&current, next.clone())
                .await
                .expect("swap")
            {
                BucketSwap::Swapped => {
                    current = next;
                    break;
                }
                BucketSwap::Changed(now) => current = *now,
            }
        }
    }
}

/// Listing by owner with prefix, marker and max, and the "more follow" flag.
pub async fn bucket_list(store: &dyn MetaStore) {
    let owner = "owner-list";
    for name in ["cfl-c", "cfl-a", "cfl-b", "cfl-x-1", "cfl-x-2"] {
        store
            .create_bucket(bucket_record(name, owner))
            .await
            .expect("create");
    }
    store
        .create_bucket(bucket_record("cfl-b2", "someone-else"))
        .await
        .expect("create");
    let names = |v: Vec<crate::BucketRecord>| v.into_iter().map(|b| b.name).collect::<Vec<_>>();
    let (all, more) = store.list_buckets(owner, "", "", 100).await.expect("list");
    assert_eq!(
        (names(all), more),
        (
            vec!["cfl-a", "cfl-b", "cfl-c", "cfl-x-1", "cfl-x-2"]
                .into_iter()
                .map(String::from)
                .collect(),
            false
        )
    );
    let (page, more) = store
        .list_buckets(owner, "cfl-", "cfl-a", 2)
        .await
        .expect("list");
    assert_eq!(
        (names(page), more),
        (vec!["cfl-b".to_owned(), "cfl-c".to_owned()], true)
    );
    let (page, more) = store
        .list_buckets(owner, "cfl-x", "", 1)
        .await
        .expect("list");
    assert_eq!((names(page), more), (vec!["cfl-x-1".to_owned()], true));
    let (page, more) = store
        .list_buckets(owner, "cfl-x", "cfl-x-1", 1)
        .await
        .expect("list");
    assert_eq!((names(page), more), (vec!["cfl-x-2".to_owned()], false));
    let (page, more) = store
        .list_buckets(owner, "cfl-x", "cfl-x-2", 10)
        .await
        .expect("list");
    assert_eq!((page.len(), more), (0, false));
    let (page, _) = store
        .list_buckets(owner, "cfl-b", "", 10)
        .await
        .expect("list");
    assert_eq!(
        names(page),
        vec!["cfl-b".to_owned()],
        "other owners' buckets are not listed"
    );
    let (page, _) = store
        .list_buckets(owner, "", "cfl-0", 1)
        .await
        .expect("list");
    assert_eq!(
        names(page),
        vec!["cfl-a".to_owned()],
        "a marker before all names"
    );
}

/// Delete: missing bucket, not empty (an object, then only a delete marker), then success, and the
/// configuration documents go with the bucket.
pub async fn bucket_delete(store: &dyn MetaStore) {
    let gone = store.delete_bucket("cf-delete").await;
    assert!(matches!(gone, Err(MetaError::NoSuchBucket)), "{gone:?}");
    make_bucket(store, "cf-delete", VersioningState::Enabled).await;
    store
        .put_bucket_config("cf-delete", "cors", Some("<CORS/>".into()))
        .await
        .expect("config");
    let v = put(store, "cf-delete", "k", "v1").await.version_id;
    let full = store.delete_bucket("cf-delete").await;
    assert!(matches!(full, Err(MetaError::BucketNotEmpty)), "{full:?}");
    store
        .delete_object("cf-delete", "k", None, "m1", 5)
        .await
        .expect("marker");
    store
        .delete_object("cf-delete", "k", Some(&v), "unused", 5)
        .await
        .expect("delete version");
    let markers = store.delete_bucket("cf-delete").await;
    assert!(
        matches!(markers, Err(MetaError::BucketNotEmpty)),
        "a delete marker remains: {markers:?}"
    );
    store
        .delete_object("cf-delete", "k", Some("m1"), "unused", 5)
        .await
        .expect("delete marker");
    store
        .delete_bucket("cf-delete")
        .await
        .expect("delete empty bucket");
    assert_eq!(store.get_bucket("cf-delete").await.expect("get"), None);
    make_bucket(store, "cf-delete", VersioningState::Disabled).await;
    let cors = store
        .get_bucket_config("cf-delete", "cors")
        .await
        .expect("config");
    assert_eq!(cors, None, "configuration must not survive the bucket");
}

/// Configuration documents: write, replace, remove, per kind; missing bucket.
pub async fn bucket_config(store: &dyn MetaStore) {
    make_bucket(store, "cf-config", VersioningState::Disabled).await;
    let get = |kind: &'static str| store.get_bucket_config("cf-config", kind);
    assert_eq!(get("cors").await.expect("get"), None);
    store
        .put_bucket_config("cf-config", "cors", Some("a".into()))
        .await
        .expect("put");
    store
        .put_bucket_config("cf-config", "policy", Some("p".into()))
        .await
        .expect("put");
    store
        .put_bucket_config("cf-config", "cors", Some("b".into()))
        .await
        .expect("replace");
    assert_eq!(get("cors").await.expect("get"), Some("b".to_owned()));
    store
        .put_bucket_config("cf-config", "cors", None)
        .await
        .expect("remove");
    assert_eq!(get("cors").await.expect("get"), None);
    assert_eq!(get("policy").await.expect("get"), Some("p".to_owned()));
    let missing = store
        .put_bucket_config("cf-config-missing", "cors", Some("x".into()))
        .await;
    assert!(
        matches!(missing, Err(MetaError::NoSuchBucket)),
        "{missing:?}"
    );
    let missing = store.get_bucket_config("cf-config-missing", "cors").await;
    assert!(
        matches!(missing, Err(MetaError::NoSuchBucket)),
        "{missing:?}"
    );
}

/// Compare-and-set of configuration documents: writes only over the expected document, reports
/// the current one otherwise; missing bucket.
pub async fn bucket_config_swap(store: &dyn MetaStore) {
    make_bucket(store, "cf-swap", VersioningState::Disabled).await;
    let swap = |expected: Option<&'static str>, doc: Option<&'static str>| {
        store.swap_bucket_config("cf-swap", "style", expected, doc.map(str::to_owned))
    };
    let get = || store.get_bucket_config("cf-swap", "style");
    assert_eq!(
        swap(None, Some("a")).await.expect("swap"),
        ConfigSwap::Swapped
    );
    assert_eq!(get().await.expect("get"), Some("a".to_owned()));
    let stale = swap(None, Some("b")).await.expect("swap");
    assert_eq!(stale, ConfigSwap::Changed(Some("a".to_owned())));
    let stale = swap(Some("x"), Some("b")).await.expect("swap");
    assert_eq!(stale, ConfigSwap::Changed(Some("a".to_owned())));
    assert_eq!(get().await.expect("get"), Some("a".to_owned()));
    assert_eq!(
        swap(Some("a"), Some("b")).await.expect("swap"),
        ConfigSwap::Swapped
    );
    assert_eq!(
        swap(Some("b"), None).await.expect("swap"),
        ConfigSwap::Swapped
    );
    assert_eq!(get().await.expect("get"), None);
    let stale = swap(Some("b"), Some("c")).await.expect("swap");
    assert_eq!(stale, ConfigSwap::Changed(None));
    assert_eq!(get().await.expect("get"), None);
    let missing = store
        .swap_bucket_config("cf-swap-missing", "style", None, Some("x".into()))
        .await;
    assert!(
        matches!(missing, Err(MetaError::NoSuchBucket)),
        "{missing:?}"
    );
}

/// Concurrent read-modify-write through [`MetaStore::swap_bucket_config`] loses no update.
pub async fn bucket_config_swap_concurrent(store: &dyn MetaStore) {
    make_bucket(store, "cf-swap-race", VersioningState::Disabled).await;
    tokio::join!(
        add_entries(store, "a", 10),
        add_entries(store, "b", 10),
        add_entries(store, "c", 10),
        add_entries(store, "d", 10)
    );
    let doc = store
        .get_bucket_config("cf-swap-race", "style")
        .await
        .expect("get")
        .expect("doc");
    let mut entries: Vec<&str> = doc.split(',').collect();
    entries.sort_unstable();
    entries.dedup();
    assert_eq!(entries.len(), 40, "{doc}");
}

/// Appends `<who><i>` for `i` in `0..times` to the comma-separated document, retrying over the
/// current document on conflicts.
async fn add_entries(store: &dyn MetaStore, who: &str, times: usize) {
    let mut current = store
        .get_bucket_config("cf-swap-race", "style")
        .await
        .expect("get");
    for i in 0..times {
        loop {
            let entry = format!("{who}{i}");
            let doc = match &current {
                Some(d) => format!("{d},{entry}"),
                None => entry,
            };
            let expected = current.as_deref();
            match store
                .swap_bucket_config("cf-swap-race", "style", expected, Some(doc.clone()))
                .await
                .expect("swap")
            {
                ConfigSwap::Swapped => {
                    current = Some(doc);
                    break;
                }
                ConfigSwap::Changed(now) => {
                    current = now;
                    tokio::task::yield_now().await;
                }
            }
        }
    }
}
