//! The listing algorithm shared by every backend (ListObjects and ListObjectVersions over
//! [`RecordCursor`], ListMultipartUploads over [`UploadCursor`]), written once over ordered cursors
//! each backend implements with its own range scans.
//!
//! Keys are compared as UTF-8 bytes. Keys that contain the delimiter after the prefix fold into one
//! common prefix, which counts once toward `max_keys`; the whole prefix is then skipped with one seek
//! to its successor, so a folded directory costs one seek however many keys it holds.

mod objects;
mod uploads;
mod versions;

pub use objects::list_objects;
pub use uploads::{UploadCursor, list_uploads};
pub use versions::list_versions;

use crate::{ListEntry, MetaError, ObjectRecord};

/// An ordered cursor over object records (or, for ListObjects, over [`ListEntry`]s: only what a
/// listing renders), bounded to one bucket and one key prefix.
///
/// Records come in key byte order; a cursor over versions yields all versions of a key newest
/// first. The cursor ends (returns `None`) past the last key that starts with its prefix.
pub trait RecordCursor<T = ObjectRecord> {
    /// Positions the cursor before the first record whose key is `>= from` (as bytes).
    fn seek(&mut self, from: &[u8]) -> Result<(), MetaError>;
    /// Returns the record under the cursor and advances past it.
    fn next(&mut self) -> Result<Option<T>, MetaError>;
    /// Positions a versions cursor just after version `version_id` of `key` (older versions of
    /// that key come next). Returns false when the cursor cannot (the version is gone, or the
    /// cursor does not support it); the caller then seeks to the key and skips.
    fn seek_after_version(&mut self, key: &[u8], version_id: &str) -> Result<bool, MetaError> {
        let _ = (key, version_id);
        Ok(false)
    }
}

/// What a cursor yields: anything with an object key.
pub trait Keyed {
    /// The object key.
    fn key(&self) -> &str;
}

impl Keyed for ObjectRecord {
    fn key(&self) -> &str {
        &self.key
    }
}

impl Keyed for ListEntry {
    fn key(&self) -> &str {
        &self.key
    }
}

/// A cursor of whole records seen as a cursor of [`ListEntry`]s, for backends whose current
/// versions cursor decodes whole records anyway.
#[derive(Debug)]
pub struct Entries<C>(pub C);

impl<C: RecordCursor> RecordCursor<ListEntry> for Entries<C> {
    fn seek(&mut self, from: &[u8]) -> Result<(), MetaError> {
        self.0.seek(from)
    }

    fn next(&mut self) -> Result<Option<ListEntry>, MetaError> {
        Ok(self.0.next()?.map(ListEntry::from))
    }
}

/// The smallest byte string that sorts after every string starting with `prefix`, or `None` when no
/// such string exists (empty prefix, or only `0xFF` bytes).
pub fn prefix_successor(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut out = prefix.to_vec();
    while let Some(last) = out.pop() {
        if last < u8::MAX {
            out.push(last + 1);
            return Some(out);
        }
    }
    None
}

/// The smallest byte string that sorts strictly after `key`.
pub fn key_successor(key: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(key.len() + 1);
    out.extend_from_slice(key);
    out.push(0);
    out
}

/// The common prefix `key` folds into: `prefix` plus everything up to and including the first
/// `delimiter` after it. `None` when `key` does not start with `prefix`, has no delimiter after it,
/// or the delimiter is empty.
pub fn common_prefix<'k>(key: &'k str, prefix: &str, delimiter: Option<&str>) -> Option<&'k str> {
    let delimiter = delimiter.filter(|d| !d.is_empty())?;
    let rest = key.strip_prefix(prefix)?;
    let at = rest.find(delimiter)?;
    Some(&key[..prefix.len() + at + delimiter.len()])
}

/// The next record of `cursor` if its key starts with `prefix`; `None` past the prefix's range.
fn next_with_prefix<T: Keyed>(
    cursor: &mut dyn RecordCursor<T>,
    prefix: &str,
) -> Result<Option<T>, MetaError> {
    Ok(cursor.next()?.filter(|r| r.key().starts_with(prefix)))
}

/// Seeks `cursor` past every key that starts with `cp` in one step; `false` if no key can follow
/// (never for UTF-8 text, which has no `0xFF` byte).
fn skip_prefix<T>(cursor: &mut dyn RecordCursor<T>, cp: &str) -> Result<bool, MetaError> {
    match prefix_successor(cp.as_bytes()) {
        Some(next) => cursor.seek(&next).map(|()| true),
        None => Ok(false),
    }
}

/// Where a scan starts: after `marker` (exclusive), not before `prefix`, and past the whole common
/// prefix that `marker` itself lies in (that prefix sorts at or before the marker, so it was listed).
fn start_position(prefix: &str, delimiter: Option<&str>, marker: &str) -> Vec<u8> {
    if marker.is_empty() || marker.as_bytes() < prefix.as_bytes() {
        return prefix.as_bytes().to_vec();
    }
    match common_prefix(marker, prefix, delimiter) {
        Some(cp) => {
            prefix_successor(cp.as_bytes()).unwrap_or_else(|| key_successor(marker.as_bytes()))
        }
        None => key_successor(marker.as_bytes()),
    }
}

#[cfg(test)]
mod tests;
