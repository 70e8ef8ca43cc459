//! [`RecordCursor`]s over a [`BucketState`]: one over current versions, one over all versions.
//! Both yield records without inline bytes ([`ObjectRecord::without_inline`]), as every backend's
//! listings do.

use super::state::BucketState;
use crate::listing::{RecordCursor, key_successor, prefix_successor};
use crate::{MetaError, ObjectRecord};
use std::ops::Bound;

/// The key range of a cursor: from `from` (inclusive) up to `end` (exclusive, `None` = unbounded).
#[derive(Debug)]
struct Range {
    from: Vec<u8>,
    end: Option<Vec<u8>>,
}

impl Range {
    /// The range of keys starting with `prefix`.
    fn of_prefix(prefix: &str) -> Self {
        let from = prefix.as_bytes().to_vec();
        Self {
            end: prefix_successor(&from),
            from,
        }
    }

    /// The bounds for a `BTreeMap::range` call.
    fn bounds(&self) -> (Bound<&[u8]>, Bound<&[u8]>) {
        let end = self
            .end
            .as_deref()
            .map_or(Bound::Unbounded, Bound::Excluded);
        (Bound::Included(self.from.as_slice()), end)
    }

    /// Whether `from` already lies past the end.
    fn is_empty(&self) -> bool {
        self.end
            .as_deref()
            .is_some_and(|end| self.from.as_slice() >= end)
    }
}

/// Yields the latest non-marker version of each key with the prefix, in key order.
#[derive(Debug)]
pub(super) struct CurrentCursor<'a> {
    bucket: &'a BucketState,
    range: Range,
}

impl<'a> CurrentCursor<'a> {
    /// A cursor over the current versions of `bucket` whose keys start with `prefix`.
    pub(super) fn new(bucket: &'a BucketState, prefix: &str) -> Self {
        Self {
            bucket,
            range: Range::of_prefix(prefix),
        }
    }
}

impl RecordCursor for CurrentCursor<'_> {
    fn seek(&mut self, from: &[u8]) -> Result<(), MetaError> {
        self.range.from = from.to_vec();
        Ok(())
    }

    fn next(&mut self) -> Result<Option<ObjectRecord>, MetaError> {
        if self.range.is_empty() {
            return Ok(None);
        }
        let Some(key) = self
            .bucket
            .current
            .range::<[u8], _>(self.range.bounds())
            .next()
        else {
            return Ok(None);
        };
        self.range.from = key_successor(key);
        let latest = self.bucket.versions.get(key).and_then(|v| v.last());
        latest
            .map(|r| Some(r.without_inline()))
            .ok_or_else(|| MetaError::corrupt("the current index names a key without versions"))
    }
}

/// Yields every version of each key with the prefix: keys in order, newest version first.
#[derive(Debug)]
pub(super) struct VersionsCursor<'a> {
    bucket: &'a BucketState,
    range: Range,
    /// The versions of the key being walked (oldest first) and how many remain to yield.
    pending: Option<(&'a [ObjectRecord], usize)>,
}

impl<'a> VersionsCursor<'a> {
    /// A cursor over all versions in `bucket` whose keys start with `prefix`.
    pub(super) fn new(bucket: &'a BucketState, prefix: &str) -> Self {
        Self {
            bucket,
            range: Range::of_prefix(prefix),
            pending: None,
        }
    }

    /// Moves to the next key in range, if any.
    fn advance_key(&mut self) -> bool {
        if self.range.is_empty() {
            return false;
        }
        let bucket = self.bucket;
        let Some((key, versions)) = bucket.versions.range::<[u8], _>(self.range.bounds()).next()
        else {
            return false;
        };
        self.range.from = key_successor(key);
        self.pending = Some((versions.as_slice(), versions.len()));
        true
    }
}

impl RecordCursor for VersionsCursor<'_> {
    fn seek(&mut self, from: &[u8]) -> Result<(), MetaError> {
        self.range.from = from.to_vec();
        self.pending = None;
        Ok(())
    }

    fn seek_after_version(&mut self, key: &[u8], version_id: &str) -> Result<bool, MetaError> {
        let bucket = self.bucket;
        let Some(versions) = bucket.versions.get(key) else {
            return Ok(false);
        };
        let Some(index) = versions.iter().position(|v| v.version_id == version_id) else {
            return Ok(false);
        };
        self.range.from = key_successor(key);
        self.pending = Some((versions.as_slice(), index));
        Ok(true)
    }

    fn next(&mut self) -> Result<Option<ObjectRecord>, MetaError> {
        loop {
            if let Some((versions, left)) = self.pending.as_mut()
                && *left > 0
            {
                *left -= 1;
                return Ok(versions.get(*left).map(ObjectRecord::without_inline));
            }
            if !self.advance_key() {
                return Ok(None);
            }
        }
    }
}
