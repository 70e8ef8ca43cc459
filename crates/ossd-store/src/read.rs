//! Reads: the current or a named version, symlink resolution, and byte streams over inline data
//! or a list of blobs, for any byte range.

use std::{io, pin::Pin, sync::Arc};

use bytes::Bytes;
use futures_util::{Stream, StreamExt, TryStreamExt, stream};
use ossd_blob::{BlobError, BlobStore};
use ossd_meta::{DataRef, ObjectRecord, PartRef};
use ossd_types::ObjectType;

use crate::{Store, StoreError};

/// A response body: chunks of object data.
pub type ByteStream = Pin<Box<dyn Stream<Item = io::Result<Bytes>> + Send>>;

/// The result of resolving a GET: the addressed record and, for symlinks, the target's record
/// whose bytes are served.
#[derive(Debug, Clone)]
pub struct ObjectBody {
    /// The addressed record (a symlink's own record for symlinks).
    pub record: ObjectRecord,
    /// The record whose bytes are served (the target for symlinks, else the same record).
    pub data: ObjectRecord,
}

impl ObjectBody {
    /// Whether the addressed record is a symlink served through its target.
    pub fn is_symlink(&self) -> bool {
        self.record.object_type == ObjectType::Symlink
    }

    /// The ETag a GET or HEAD answers with: the target's for a symlink (OSS GetObject/HeadObject:
    /// a link's `Content-Length`, `ETag` and `Content-MD5` are its target's;
    /// docs/protocol/objects.md#symlinks), else the record's own.
    pub fn etag(&self) -> &str {
        &self.data.etag
    }

    /// The `Last-Modified` a GET or HEAD answers with: for a symlink the later of the link's and
    /// its target's (docs/protocol/objects.md#symlinks), else the record's own.
    pub fn last_modified_ms(&self) -> i64 {
        self.record.last_modified_ms.max(self.data.last_modified_ms)
    }
}

impl Store {
    /// The addressed version (latest when `version_id` is `None`), which must exist and not be a
    /// delete marker: a latest delete marker is [`StoreError::CurrentIsDeleteMarker`], a named
    /// one [`StoreError::VersionIsDeleteMarker`] (docs/protocol/versioning.md#version-semantics).
    pub async fn head_object(
        &self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
    ) -> Result<ObjectRecord, StoreError> {
        self.addressed(bucket, key, version_id, Fetch::Whole).await
    }

    /// As [`Store::head_object`], without inline bytes ([`ObjectRecord::without_inline`]): for
    /// responses that only describe the object (HEAD, GetObjectMeta). Never pass the record to
    /// [`Store::read`] or [`Store::update_record`].
    pub async fn head_object_meta(
        &self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
    ) -> Result<ObjectRecord, StoreError> {
        self.addressed(bucket, key, version_id, Fetch::Meta).await
    }

    /// Resolves a GET: the record, and the target's record if it is a symlink.
    pub async fn resolve(
        &self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
    ) -> Result<ObjectBody, StoreError> {
        self.resolve_with(bucket, key, version_id, Fetch::Whole)
            .await
    }

    /// As [`Store::resolve`], both records without inline bytes: for HEAD, which sends no body.
    pub async fn resolve_meta(
        &self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
    ) -> Result<ObjectBody, StoreError> {
        self.resolve_with(bucket, key, version_id, Fetch::Meta)
            .await
    }

    /// One record, whole or without inline bytes.
    async fn fetch(
        &self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
        fetch: Fetch,
    ) -> Result<Option<ObjectRecord>, StoreError> {
        Ok(match fetch {
            Fetch::Whole => self.meta.get_object(bucket, key, version_id).await?,
            Fetch::Meta => self.meta.get_object_meta(bucket, key, version_id).await?,
        })
    }

    /// [`Store::head_object`] with the choice of [`Fetch`].
    async fn addressed(
        &self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
        fetch: Fetch,
    ) -> Result<ObjectRecord, StoreError> {
        match self.fetch(bucket, key, version_id, fetch).await? {
            Some(r) if !r.delete_marker => Ok(r),
            Some(r) if version_id.is_some() => Err(StoreError::VersionIsDeleteMarker(r.version_id)),
            Some(r) => Err(StoreError::CurrentIsDeleteMarker(r.version_id)),
            None if version_id.is_some() => Err(StoreError::NoSuchVersion),
            None => Err(StoreError::NoSuchKey),
        }
    }

    /// [`Store::resolve`] with the choice of [`Fetch`].
    async fn resolve_with(
        &self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
        fetch: Fetch,
    ) -> Result<ObjectBody, StoreError> {
        let record = self.addressed(bucket, key, version_id, fetch).await?;
        if record.object_type != ObjectType::Symlink {
            return Ok(ObjectBody {
                data: record.clone(),
                record,
            });
        }
        let target = record.symlink_target.as_deref().unwrap_or_default();
        match self.fetch(bucket, target, None, fetch).await? {
            Some(t) if t.delete_marker => Err(StoreError::SymlinkTargetNotExist),
            Some(t) if t.object_type == ObjectType::Symlink => Err(StoreError::InvalidTargetType),
            Some(t) => Ok(ObjectBody { record, data: t }),
            None => Err(StoreError::SymlinkTargetNotExist),
        }
    }

    /// Streams bytes `start..end` of `record`. A blob deleted since the record was read (a
    /// concurrent overwrite) gives [`StoreError::DataGone`]: resolve again and retry.
    pub async fn read(
        &self,
        record: &ObjectRecord,
        start: u64,
        end: u64,
    ) -> Result<ByteStream, StoreError> {
        let end = end.min(record.size);
        let start = start.min(end);
        match &record.data {
            DataRef::Inline(bytes) => {
                // `start <= end <= size`; a record whose bytes are shorter serves what it has.
                let end = (end as usize).min(bytes.len());
                let chunk = bytes.slice((start as usize).min(end)..end);
                Ok(Box::pin(stream::once(async move { Ok(chunk) })))
            }
            DataRef::Parts(parts) => self.read_parts(parts, start, end).await,
        }
    }

    async fn read_parts(
        &self,
        parts: &[PartRef],
        start: u64,
        end: u64,
    ) -> Result<ByteStream, StoreError> {
        let segs = segments(parts, start, end);
        let Some((first, rest)) = segs.split_first() else {
            return Ok(Box::pin(stream::empty()));
        };
        let head = self
            .blobs
            .open(&first.0, first.1, first.2)
            .await
            .map_err(|e| match e {
                BlobError::NotFound(_) => StoreError::DataGone,
                other => StoreError::Blob(other),
            })?;
        let blobs: Arc<dyn BlobStore> = self.blobs.clone();
        let tail = stream::iter(rest.to_vec())
            .then(move |(id, off, len)| {
                let blobs = blobs.clone();
                async move { blobs.open(&id, off, len).await.map_err(io::Error::other) }
            })
            .try_flatten();
        Ok(Box::pin(head.chain(tail)))
    }
}

/// How much of a record to read.
#[derive(Debug, Clone, Copy)]
enum Fetch {
    /// The whole record, inline bytes included.
    Whole,
    /// Without inline bytes ([`ossd_meta::MetaStore::get_object_meta`]).
    Meta,
}

/// The (blob, offset, length) pieces of `parts` that cover `start..end` of their concatenation.
fn segments(parts: &[PartRef], start: u64, end: u64) -> Vec<(String, u64, u64)> {
    let mut out = Vec::new();
    let mut pos = 0u64;
    for p in parts {
        let (lo, hi) = (pos, pos + p.size);
        pos = hi;
        if hi <= start || lo >= end {
            continue;
        }
        let from = start.max(lo) - lo;
        let to = end.min(hi) - lo;
        out.push((p.blob.clone(), from, to - from));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_math() {
        let p = |b: &str, s| PartRef {
            blob: b.into(),
            size: s,
        };
        let parts = [p("a", 10), p("b", 5), p("c", 10)];
        assert_eq!(segments(&parts, 0, 25).len(), 3);
        assert_eq!(segments(&parts, 12, 13), vec![("b".into(), 2, 1)]);
        assert_eq!(
            segments(&parts, 8, 17),
            vec![("a".into(), 8, 2), ("b".into(), 0, 5), ("c".into(), 0, 2)]
        );
        assert!(segments(&parts, 25, 25).is_empty());
    }
}
