//! Bucket lifecycle runs: applying the `?lifecycle` rules (in the background every
//! `--lifecycle-interval`, or at once from the admin endpoint). The configuration handlers are
//! in `handlers::lifecycle_config`.

mod runner;

pub(crate) use runner::{BucketReport, run_now};
pub use runner::{LifecycleRuns, spawn_worker, spawn_worker_when};
