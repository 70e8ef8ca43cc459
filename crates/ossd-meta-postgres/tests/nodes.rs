//! Several nodes (several `PgMeta` pools) on one database: concurrent writers stay consistent,
//! and schema migrations run once and refuse a newer schema.
#![allow(clippy::expect_used)]

mod common;

use ossd_meta::conformance::fixtures::{make_bucket, object};
use ossd_meta::{ListEntry, ListQuery, MetaError, MetaStore, Precondition};
use ossd_meta_postgres::PgMeta;
use ossd_types::VersioningState;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writers_on_three_nodes_keep_one_latest_and_exact_figures() {
    let Some(url) = common::fresh_database().await else {
        return;
    };
    // Three nodes connect (and migrate) at once.
    let (a, b, c) = tokio::join!(
        PgMeta::connect(&url),
        PgMeta::connect(&url),
        PgMeta::connect(&url)
    );
    let nodes = [a.expect("node a"), b.expect("node b"), c.expect("node c")];
    make_bucket(&nodes[0], "nodes", VersioningState::Enabled).await;
    let mut tasks = tokio::task::JoinSet::new();
    for (n, node) in nodes.iter().enumerate() {
        for i in 0..20 {
            let node = node.clone();
            tasks.spawn(async move {
                let record = object("nodes", &format!("k{}", i % 4), &format!("v-{n}-{i:02}"));
                node.put_object(record, Precondition::None).await
            });
        }
    }
    while let Some(done) = tasks.join_next().await {
        done.expect("task").expect("put");
    }
    let stats = nodes[1].bucket_stats("nodes").await.expect("stats");
    assert_eq!(stats.object_count(), 60);
    let page = nodes[2]
        .list_objects(&ListQuery {
            bucket: "nodes".to_owned(),
            max_keys: 100,
            ..ListQuery::default()
        })
        .await
        .expect("list");
    assert_eq!(page.objects.len(), 4);
    for record in &page.objects {
        let latest = nodes[0]
            .get_object("nodes", &record.key, None)
            .await
            .expect("get")
            .expect("exists");
        assert_eq!(ListEntry::from(latest), *record);
    }

    // Only one of concurrent "create if absent" writes wins, across nodes.
    let mut tasks = tokio::task::JoinSet::new();
    for (n, node) in nodes.iter().enumerate() {
        let node = node.clone();
        tasks.spawn(async move {
            let record = object("nodes", "once", &format!("once-{n}"));
            node.put_object(record, Precondition::NotExists).await
        });
    }
    let mut won = 0;
    while let Some(done) = tasks.join_next().await {
        match done.expect("task") {
            Ok(_) => won += 1,
            Err(MetaError::PreconditionFailed(_)) => {}
            Err(e) => panic!("unexpected {e}"),
        }
    }
    assert_eq!(won, 1);
}

#[tokio::test]
async fn migrations_run_once_and_refuse_a_newer_schema() {
    let Some(url) = common::fresh_database().await else {
        return;
    };
    PgMeta::connect(&url).await.expect("first connect migrates");
    PgMeta::connect(&url)
        .await
        .expect("second connect finds it done");
    let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .expect("connect");
    let driver = tokio::spawn(connection);
    let row = client
        .query_one("SELECT version FROM ossd_schema", &[])
        .await
        .expect("version");
    let version: i32 = row.get(0);
    assert_eq!(
        usize::try_from(version).ok(),
        Some(ossd_meta_postgres::schema_version())
    );
    client
        .batch_execute("UPDATE ossd_schema SET version = version + 1")
        .await
        .expect("bump");
    drop(client);
    let _ = driver.await;
    match PgMeta::connect(&url).await {
        Err(MetaError::SchemaTooNew { found, supported }) => assert!(found > supported),
        other => panic!("expected SchemaTooNew, got {other:?}"),
    }
}
