//! Object data files: streamed, hashed (MD5 + CRC-64) durable writes and ranged reads.
//!
//! A [`BlobStore`] keeps immutable blobs named by ids it chooses. A write streams through a
//! [`BlobWrite`] that computes MD5 and CRC-64 in one pass and returns a [`WrittenBlob`]: small
//! bodies inline, larger ones as a durable blob id that metadata may then point at. Reads open a
//! byte range as a [`BlobReader`] stream. [`LocalFs`] is the local-directory store,
//! [`MemoryBlobs`] keeps blobs in memory (`ossd serve --memory`), and
//! [`FaultyStore`] wraps any store to inject failures in tests.
// A `[dependencies]` entry that the non-test build does not use is an error.
#![cfg_attr(not(test), deny(unused_crate_dependencies))]

mod checksum;
mod error;
mod fault;
mod gather;
mod id;
mod local;
mod memory;
mod reader;
mod store;

pub use checksum::{Checksums, Crc64, Digests, crc64, crc64_combine};
pub use error::BlobError;
pub use fault::FaultyStore;
pub use gather::{BATCH, BatchHasher, Gathered, Gathering, Pushed, inline_blob};
pub use local::{LocalFs, READ_CHUNK};
pub use memory::MemoryBlobs;
pub use reader::BlobReader;
pub use store::{BlobFile, BlobStore, BlobWrite, Written, WrittenBlob};
