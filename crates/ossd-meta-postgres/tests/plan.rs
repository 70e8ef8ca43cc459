//! The listing statement's plan, as PostgreSQL runs it once prepared (after the fifth execution
//! it may switch to a generic plan): an index range scan, never a sequential scan or a sort.
#![allow(clippy::expect_used)]

mod common;

use ossd_meta::conformance::fixtures::{make_bucket, object};
use ossd_meta::{MetaStore, Precondition};
use ossd_types::VersioningState;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn listing_walks_the_index_when_prepared() {
    let Some(url) = common::fresh_database().await else {
        return;
    };
    let store = ossd_meta_postgres::PgMeta::connect(&url)
        .await
        .expect("connect");
    for bucket in ["plan-a", "plan-b"] {
        make_bucket(&store, bucket, VersioningState::Disabled).await;
        let writes = (0..1200).map(|i| {
            let store = store.clone();
            let record = object(bucket, &format!("dir{}/key-{i:04}", i % 7), "unused");
            async move { store.put_object(record, Precondition::None).await }
        });
        for put in futures_join(writes).await {
            put.expect("put");
        }
    }
    let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .expect("connect for ANALYZE");
    let driver = tokio::spawn(connection);
    client.batch_execute("ANALYZE").await.expect("analyze");
    drop(client);
    let _ = driver.await;

    // Ranges wider than the page, as in production: the first read of a page is max-keys + 1
    // rows, and after a folded common prefix reads start at 2 rows. A plan that does not walk
    // the index in order reads the whole range and sorts it (what a generic plan does).
    for (prefix, limit) in [("", 101), ("", 2), ("dir3/", 2), ("dir", 101)] {
        let plan = store
            .explain_listing("plan-a", prefix, limit)
            .await
            .expect("explain");
        let context = format!("prefix {prefix:?}, limit {limit}:\n{plan}");
        assert!(
            plan.contains("Index Scan using current_versions_pkey"),
            "not an index range scan: {context}"
        );
        assert!(!plan.contains("Sort"), "sorts: {context}");
        assert!(!plan.contains("Seq Scan"), "scans the table: {context}");
        assert!(!plan.contains("$2"), "a generic plan: {context}");
    }
}

/// Runs the futures 8 at a time and returns their outputs.
async fn futures_join<F: std::future::Future + Send + 'static>(
    futures: impl Iterator<Item = F>,
) -> Vec<F::Output>
where
    F::Output: Send + 'static,
{
    let mut outputs = Vec::new();
    let mut running = tokio::task::JoinSet::new();
    for future in futures {
        if running.len() == 8
            && let Some(done) = running.join_next().await
        {
            outputs.push(done.expect("task"));
        }
        running.spawn(future);
    }
    while let Some(done) = running.join_next().await {
        outputs.push(done.expect("task"));
    }
    outputs
}
