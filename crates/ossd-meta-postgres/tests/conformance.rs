//! The `ossd-meta` conformance suite against [`ossd_meta_postgres::PgMeta`], one fresh database
//! per test on the harness's throw-away cluster.
#![allow(clippy::expect_used)]

mod common;

ossd_meta::conformance_tests!(match common::fresh().await {
    Some(pair) => pair,
    None => return,
});
