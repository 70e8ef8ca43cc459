//! The audit trail of ossd: every RAM change, every STS AssumeRole (issued or refused), every
//! authorization denial on the OSS API and every administrative action, as one JSON object per
//! line in `<data-dir>/audit/audit.jsonl` (rotated by size) or, without a data directory, in a
//! bounded in-memory ring.
//!
//! Requests only encode a record and hand it to a channel; one writer thread appends, flushes
//! whenever its queue drains, and syncs on rotation and on [`AuditLog::close`].
// A `[dependencies]` entry that the non-test build does not use is an error.
#![cfg_attr(not(test), deny(unused_crate_dependencies))]

mod log;
mod record;
mod rotate;

pub use log::{AuditError, AuditLog, DEFAULT_RING_RECORDS, Sink, dir_in};
pub use record::{AuditRecord, Decision, Kind, Matched, Principal};
pub use rotate::{ACTIVE, Rotation, rotated};
