//! Secrets never show in `Debug` output nor in stored records; the key file is private.

use super::common::{fixture, str_at};
use super::seed::{assume, session, setup};
use ossd_iam::Keyring;

#[tokio::test]
async fn debug_output_has_no_secrets() {
    let f = fixture().await;
    let user = setup(&f).await;
    let key = f
        .root_ok("CreateAccessKey", &[("UserName", "ramtest")])
        .await;
    let secret = str_at(&key, "/AccessKey/AccessKeySecret");
    let resolved = f
        .iam
        .resolve(&str_at(&key, "/AccessKey/AccessKeyId"), None)
        .await
        .expect("resolve");
    let r = assume(&f, &user.caller, &[]).await;
    let s = session(&f, &r).await;
    let temp_secret = str_at(&r, "/Credentials/AccessKeySecret");
    let token = str_at(&r, "/Credentials/SecurityToken");
    let shown = format!(
        "{resolved:?} {s:?} {:?} {:?} {:?}",
        f.iam,
        Keyring::generate(),
        user
    );
    for hidden in [
        secret.as_str(),
        "rootsecret",
        temp_secret.as_str(),
        token.as_str(),
    ] {
        assert!(!shown.contains(hidden), "{hidden} leaked in {shown}");
    }
    let stored = f.meta.iam_scan("", "", 10_000).await.expect("scan");
    assert!(!stored.is_empty());
    for (k, item) in stored {
        assert!(
            !item.value.contains(&secret) && !item.value.contains("rootsecret"),
            "{k}"
        );
    }
}

#[tokio::test]
async fn key_file_is_created_private_and_reloaded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("master.key");
    let first = Keyring::load_or_create(&path).expect("create");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let again = Keyring::load_or_create(&path).expect("load");
    assert_eq!(first.current_id(), again.current_id());
    let meta: std::sync::Arc<dyn ossd_meta::MetaStore> =
        std::sync::Arc::new(ossd_meta::MemoryMeta::new());
    let clock = std::sync::Arc::new(ossd_types::FixedClock::at(0));
    let open = |ring| ossd_iam::Iam::open(meta.clone(), ring, "1".to_owned(), clock.clone());
    open(first).await.expect("first open");
    open(again).await.expect("the reloaded key matches");
    std::fs::write(&path, "not a key").expect("write");
    assert!(Keyring::load_or_create(&path).is_err());
}
