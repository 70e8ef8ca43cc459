//! The [`UploadCursor`] over a [`BucketState`]'s uploads (never touching their parts).

use super::state::BucketState;
use crate::listing::{UploadCursor, prefix_successor};
use crate::{MetaError, UploadRecord};
use std::ops::Bound;

/// Yields the uploads of keys with the prefix, in (key, upload id) order.
#[derive(Debug)]
pub(super) struct UploadsCursor<'a> {
    bucket: &'a BucketState,
    /// Uploads strictly after this (key, upload id) come next; `None` when exhausted.
    after: Option<(Vec<u8>, String)>,
    /// The first key past the prefix (`None` = unbounded).
    end: Option<Vec<u8>>,
}

impl<'a> UploadsCursor<'a> {
    /// A cursor over the uploads of `bucket` whose keys start with `prefix`.
    pub(super) fn new(bucket: &'a BucketState, prefix: &str) -> Self {
        Self {
            bucket,
            after: Some((prefix.as_bytes().to_vec(), String::new())),
            end: prefix_successor(prefix.as_bytes()),
        }
    }
}

impl UploadCursor for UploadsCursor<'_> {
    fn seek(&mut self, key: &[u8], after_id: &str) -> Result<(), MetaError> {
        self.after = Some((key.to_vec(), after_id.to_owned()));
        Ok(())
    }

    fn next(&mut self) -> Result<Option<UploadRecord>, MetaError> {
        let Some(after) = self.after.take() else {
            return Ok(None);
        };
        let range = (Bound::Excluded(after), Bound::Unbounded);
        let Some(((key, id), upload)) = self.bucket.uploads.range(range).next() else {
            return Ok(None);
        };
        if self.end.as_ref().is_some_and(|end| key >= end) {
            return Ok(None);
        }
        self.after = Some((key.clone(), id.clone()));
        Ok(Some(upload.record.clone()))
    }
}
