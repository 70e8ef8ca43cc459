//! Object data in an S3-compatible store (Ceph RGW, SeaweedFS, Garage, a cloud bucket) through
//! Apache OpenDAL: `--blobs s3://bucket/prefix?endpoint=…` (docs/scale-out.md, "S3-compatible
//! backend").
//!
//! [`S3Blobs`] implements `ossd_blob::BlobStore` with the local store's semantics: write-once
//! blobs under unique ids (UUID v7), MD5 and CRC-64 computed while streaming, multipart uploads
//! with bounded memory for large blobs, ranged reads streamed, batched deletes, and
//! `list_older_than` for the leader's orphan sweep. [`S3Settings`] parses the URL. This crate is
//! separate from `ossd-blob` so that only the binary pays for OpenDAL and its HTTP client.
// A `[dependencies]` entry that the non-test build does not use is an error.
#![cfg_attr(not(test), deny(unused_crate_dependencies))]

mod id;
mod settings;
mod store;
mod writer;

pub use settings::{
    ACCESS_KEY_ENV, DEFAULT_MAX_WRITE, S3Settings, SCHEME, SECRET_KEY_ENV, SettingsError,
};
pub use store::{CONNECT_TIMEOUT, IO_TIMEOUT, REQUEST_TIMEOUT, RETRIES, S3Blobs};
pub use writer::{CONCURRENT_PARTS, PART};
