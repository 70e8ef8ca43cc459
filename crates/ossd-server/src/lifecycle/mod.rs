//! Bucket lifecycle: the `?lifecycle` configuration handlers, and the runs that apply the rules
//! (in the background every `--lifecycle-interval`, or at once from the admin endpoint).

mod config;
mod runner;

pub(crate) use config::{delete, get, put};
pub(crate) use runner::{BucketReport, run_now};
pub use runner::{LifecycleRuns, spawn_worker};
