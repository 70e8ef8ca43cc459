//! Conformance: object writes and reads without versioning, preconditions, in-place updates and
//! the missing-bucket error.

use super::fixtures::{make_bucket, object, put};
use crate::{DataRef, EtagCondition, MetaError, MetaStore, NULL_VERSION, Precondition};
use ossd_types::{ObjectAcl, VersioningState};

/// Put, get (latest and by `null`), overwrite returning the replaced record.
pub async fn object_put_get_overwrite(store: &dyn MetaStore) {
    make_bucket(store, "cf-put", VersioningState::Disabled).await;
    let first = object("cf-put", "a/b.txt", "ignored");
    let out = store
        .put_object(first.clone(), Precondition::None)
        .await
        .expect("put");
    assert_eq!(
        (out.version_id.as_str(), out.replaced.len()),
        (NULL_VERSION, 0)
    );
    let mut stored = first.clone();
    stored.version_id = NULL_VERSION.to_owned();
    assert_eq!(
        store
            .get_object("cf-put", "a/b.txt", None)
            .await
            .expect("get"),
        Some(stored.clone())
    );
    let by_null = store
        .get_object("cf-put", "a/b.txt", Some(NULL_VERSION))
        .await
        .expect("get");
    assert_eq!(by_null, Some(stored.clone()));
    assert_eq!(
        store
            .get_object("cf-put", "a/b.txt", Some("v9"))
            .await
            .expect("get"),
        None
    );
    assert_eq!(
        store.get_object("cf-put", "nope", None).await.expect("get"),
        None
    );
    let second = object("cf-put", "a/b.txt", "ignored");
    let out = store
        .put_object(second.clone(), Precondition::None)
        .await
        .expect("overwrite");
    assert_eq!(
        out.replaced,
        vec![stored],
        "the replaced record is returned"
    );
    let latest = store
        .get_object("cf-put", "a/b.txt", None)
        .await
        .expect("get");
    assert_eq!(latest.map(|r| r.revision), Some(second.revision));
    let inline = DataRef::Inline(bytes::Bytes::from_static(b"hello"));
    let mut small = object("cf-put", "inline", "x");
    small.data = inline.clone();
    store
        .put_object(small, Precondition::None)
        .await
        .expect("put inline");
    let got = store
        .get_object("cf-put", "inline", None)
        .await
        .expect("get")
        .map(|r| r.data);
    assert_eq!(got, Some(inline), "inline data round-trips");
}

/// `ETag` conditions (S3's conditional writes) are checked against the latest version: `If-Match`
/// needs a current version with a listed ETag (`*` any), `If-None-Match` no current version with a
/// listed ETag (`*` none at all); a delete marker counts as no object.
pub async fn object_etag_preconditions(store: &dyn MetaStore) {
    make_bucket(store, "cf-etag", VersioningState::Enabled).await;
    let cond = |m: Option<&str>, n: Option<&str>| {
        Precondition::ETag(EtagCondition {
            if_match: m.map(str::to_owned),
            if_none_match: n.map(str::to_owned),
        })
    };
    let put_if = |v: &'static str, c| store.put_object(object("cf-etag", "k", v), c);
    let failed = |r: Result<_, MetaError>| matches!(r, Err(MetaError::PreconditionFailed(_)));
    assert!(failed(put_if("v0", cond(Some("*"), None)).await), "absent");
    assert!(
        failed(put_if("v0", cond(Some("\"x\""), None)).await),
        "absent"
    );
    put_if("v1", cond(None, Some("*")))
        .await
        .expect("create if absent");
    let etag = "\"5d41402abc4b2a76b9719d911017c592\"";
    assert!(failed(put_if("v2", cond(None, Some("*"))).await), "exists");
    assert!(
        failed(put_if("v2", cond(None, Some(etag))).await),
        "same etag"
    );
    assert!(
        failed(put_if("v2", cond(Some("\"x\""), None)).await),
        "other"
    );
    put_if("v2", cond(Some(etag), None))
        .await
        .expect("if-match");
    put_if("v3", cond(Some("*"), Some("\"x\"")))
        .await
        .expect("both hold");
    store
        .delete_object("cf-etag", "k", None, "m1", 7)
        .await
        .expect("marker");
    assert!(failed(put_if("v4", cond(Some("*"), None)).await), "marker");
    put_if("v4", cond(None, Some("*")))
        .await
        .expect("marker = absent");
    let ids = super::fixtures::version_ids(store, "cf-etag", "k").await;
    assert_eq!(ids, vec!["v4", "m1", "v3", "v2", "v1"]);
}

/// `NotExists` and `Revision` are checked against the latest version; a delete marker counts as
/// no object; the error carries the current record.
pub async fn object_preconditions(store: &dyn MetaStore) {
    make_bucket(store, "cf-cond", VersioningState::Enabled).await;
    let put_if = |rec, cond| store.put_object(rec, cond);
    let a = object("cf-cond", "k", "v1");
    put_if(a.clone(), Precondition::NotExists)
        .await
        .expect("create if absent");
    let err = put_if(object("cf-cond", "k", "v2"), Precondition::NotExists).await;
    assert!(
        matches!(&err, Err(MetaError::PreconditionFailed(Some(cur))) if **cur == a),
        "{err:?}"
    );
    let err = put_if(object("cf-cond", "k", "v2"), Precondition::Revision(None)).await;
    assert!(
        matches!(err, Err(MetaError::PreconditionFailed(Some(_)))),
        "{err:?}"
    );
    let err = put_if(
        object("cf-cond", "k", "v2"),
        Precondition::Revision(Some("other".into())),
    )
    .await;
    assert!(
        matches!(err, Err(MetaError::PreconditionFailed(Some(_)))),
        "{err:?}"
    );
    let b = object("cf-cond", "k", "v2");
    put_if(b.clone(), Precondition::Revision(Some(a.revision.clone())))
        .await
        .expect("cas");
    let err = put_if(
        object("cf-cond", "k", "v3"),
        Precondition::Revision(Some(a.revision)),
    )
    .await;
    assert!(
        matches!(err, Err(MetaError::PreconditionFailed(_))),
        "stale revision: {err:?}"
    );
    let err = put_if(
        object("cf-cond", "fresh", "v4"),
        Precondition::Revision(Some(b.revision)),
    )
    .await;
    assert!(
        matches!(err, Err(MetaError::PreconditionFailed(None))),
        "{err:?}"
    );
    put_if(
        object("cf-cond", "fresh", "v5"),
        Precondition::Revision(None),
    )
    .await
    .expect("absent");
    store
        .delete_object("cf-cond", "k", None, "m1", 7)
        .await
        .expect("marker");
    put_if(object("cf-cond", "k", "v6"), Precondition::NotExists)
        .await
        .expect("marker = absent");
    let ids = super::fixtures::version_ids(store, "cf-cond", "k").await;
    assert_eq!(
        ids,
        vec!["v6", "m1", "v2", "v1"],
        "failed puts leave no trace"
    );
}

/// Update in place: same position among versions, condition against that version, missing
/// version and missing bucket.
pub async fn object_update(store: &dyn MetaStore) {
    make_bucket(store, "cf-upd", VersioningState::Enabled).await;
    let v1 = object("cf-upd", "k", "v1");
    store
        .put_object(v1.clone(), Precondition::None)
        .await
        .expect("put");
    put(store, "cf-upd", "k", "v2").await;
    let mut changed = v1.clone();
    changed.acl = ObjectAcl::PublicRead;
    changed.tags = vec![("t".into(), "1".into())];
    let stale = Precondition::Revision(Some("nope".into()));
    let err = store.update_object(changed.clone(), stale).await;
    assert!(
        matches!(err, Err(MetaError::PreconditionFailed(Some(_)))),
        "{err:?}"
    );
    let cond = Precondition::Revision(Some(v1.revision.clone()));
    store
        .update_object(changed.clone(), cond)
        .await
        .expect("update");
    assert_eq!(
        store
            .get_object("cf-upd", "k", Some("v1"))
            .await
            .expect("get"),
        Some(changed)
    );
    let ids = super::fixtures::version_ids(store, "cf-upd", "k").await;
    assert_eq!(
        ids,
        vec!["v2", "v1"],
        "an update keeps the version's position"
    );
    let missing = store
        .update_object(object("cf-upd", "k", "v9"), Precondition::None)
        .await;
    assert!(
        matches!(missing, Err(MetaError::NoSuchVersion)),
        "{missing:?}"
    );
    let missing = store
        .update_object(object("cf-upd-missing", "k", "v1"), Precondition::None)
        .await;
    assert!(
        matches!(missing, Err(MetaError::NoSuchBucket)),
        "{missing:?}"
    );
}

/// Every object operation on a missing bucket fails with `NoSuchBucket`.
pub async fn object_missing_bucket(store: &dyn MetaStore) {
    let b = "cf-no-bucket";
    let put = store
        .put_object(object(b, "k", "v"), Precondition::None)
        .await;
    assert!(matches!(put, Err(MetaError::NoSuchBucket)), "{put:?}");
    let get = store.get_object(b, "k", None).await;
    assert!(matches!(get, Err(MetaError::NoSuchBucket)), "{get:?}");
    let del = store.delete_object(b, "k", None, "m", 1).await;
    assert!(matches!(del, Err(MetaError::NoSuchBucket)), "{del:?}");
    let q = crate::ListQuery {
        bucket: b.into(),
        max_keys: 10,
        ..Default::default()
    };
    let list = store.list_objects(&q).await;
    assert!(matches!(list, Err(MetaError::NoSuchBucket)), "{list:?}");
    let q = crate::ListVersionsQuery {
        bucket: b.into(),
        max_keys: 10,
        ..Default::default()
    };
    let list = store.list_versions(&q).await;
    assert!(matches!(list, Err(MetaError::NoSuchBucket)), "{list:?}");
}
