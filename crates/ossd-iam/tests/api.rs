//! API-level tests of `ossd-iam` over `MemoryMeta` (and `SqliteMeta` in `sqlite`).
// Test code: a panic is a failed test.
#![allow(clippy::expect_used)]

mod api {
    pub(crate) mod attach;
    pub(crate) mod authz;
    pub(crate) mod common;
    pub(crate) mod groups;
    pub(crate) mod import;
    pub(crate) mod keys;
    pub(crate) mod policies;
    pub(crate) mod roles;
    pub(crate) mod secrets;
    pub(crate) mod seed;
    pub(crate) mod simulate;
    pub(crate) mod sqlite;
    pub(crate) mod sts;
    pub(crate) mod tokens;
    pub(crate) mod users;
}
