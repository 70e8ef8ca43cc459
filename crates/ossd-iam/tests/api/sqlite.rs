//! The same flows over `SqliteMeta` in a temporary directory: the seed flow, persistence across
//! reopening, and concurrent RAM calls sharing the writer's group commit.

use super::common::{ACCT, T0, fixture_on, str_at};
use ossd_iam::{Iam, Keyring};
use ossd_meta::MetaStore;
use ossd_meta_sqlite::SqliteMeta;
use std::sync::Arc;

/// A SQLite store in `dir`.
fn sqlite(dir: &tempfile::TempDir) -> Arc<dyn MetaStore> {
    Arc::new(SqliteMeta::open(dir.path().join("meta.db")).expect("open sqlite"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seed_flow_on_sqlite() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = fixture_on(sqlite(&dir)).await;
    super::seed::run_flow(&f).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn state_survives_reopening_with_the_same_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("master.key");
    let meta = sqlite(&dir);
    let clock = Arc::new(ossd_types::FixedClock::at(T0));
    let iam = Iam::open(
        meta.clone(),
        Keyring::load_or_create(&path).expect("key"),
        ACCT.to_owned(),
        clock.clone(),
    )
    .await
    .expect("open");
    iam.ensure_root_key("LTAIroot", "rootsecret")
        .await
        .expect("root");
    drop(iam);
    drop(meta);
    let meta = sqlite(&dir);
    let iam = Iam::open(
        meta,
        Keyring::load_or_create(&path).expect("key"),
        ACCT.to_owned(),
        clock,
    )
    .await
    .expect("reopen");
    assert_eq!(
        iam.resolve("LTAIroot", None)
            .await
            .expect("root")
            .secret
            .as_str(),
        "rootsecret"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_calls_keep_invariants() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = fixture_on(sqlite(&dir)).await;
    f.root_ok("CreateUser", &[("UserName", "u")]).await;
    for g in 0..8 {
        f.root_ok("CreateGroup", &[("GroupName", &format!("g{g}"))])
            .await;
    }
    let spawn = |action: &'static str, pairs: Vec<(&'static str, String)>| {
        let (iam, root) = (f.iam.clone(), f.root.clone());
        tokio::spawn(async move {
            let params = pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
            let action = ossd_iam::RamAction::parse(action).expect("a RAM action");
            let call = ossd_rpc::ram_call::parse(action, &params)?;
            iam.ram(&root, &call, &ossd_policy::RequestContext::new())
                .await
        })
    };
    let same_user: Vec<_> = (0..8)
        .map(|_| spawn("CreateUser", vec![("UserName", "same".into())]))
        .collect();
    let joins: Vec<_> = (0..8)
        .map(|g| {
            spawn(
                "AddUserToGroup",
                vec![("UserName", "u".into()), ("GroupName", format!("g{g}"))],
            )
        })
        .collect();
    let keys: Vec<_> = (0..5)
        .map(|_| spawn("CreateAccessKey", vec![("UserName", "u".into())]))
        .collect();
    let ok = |handles: Vec<tokio::task::JoinHandle<_>>| async move {
        let mut codes = Vec::new();
        for h in handles {
            let r: Result<ossd_iam::RamOutcome, ossd_iam::ActionError> = h.await.expect("join");
            codes.push(r.err().map(|e| super::common::ram_wire(e).code));
        }
        codes
    };
    let created = ok(same_user).await;
    assert_eq!(
        created.iter().filter(|c| c.is_none()).count(),
        1,
        "{created:?}"
    );
    assert!(
        created
            .iter()
            .flatten()
            .all(|c| c == "EntityAlreadyExists.User")
    );
    let joined = ok(joins).await;
    assert_eq!(
        joined.iter().filter(|c| c.is_none()).count(),
        5,
        "{joined:?}"
    );
    assert!(
        joined
            .iter()
            .flatten()
            .all(|c| c == "LimitExceeded.User.Group")
    );
    let made = ok(keys).await;
    assert_eq!(made.iter().filter(|c| c.is_none()).count(), 2, "{made:?}");
    let listed = f.root_ok("ListGroupsForUser", &[("UserName", "u")]).await;
    assert_eq!(listed["Groups"]["Group"].as_array().map(Vec::len), Some(5));
    let users = f.root_ok("ListUsers", &[]).await;
    assert_eq!(str_at(&users, "/Users/User/0/UserName"), "same");
}
