//! API-level tests of `ossd-iam` over `MemoryMeta` (and `SqliteMeta` in `sqlite`).

mod api {
    pub mod attach;
    pub mod authz;
    pub mod common;
    pub mod groups;
    pub mod import;
    pub mod keys;
    pub mod policies;
    pub mod roles;
    pub mod secrets;
    pub mod seed;
    pub mod sqlite;
    pub mod sts;
    pub mod tokens;
    pub mod users;
}
