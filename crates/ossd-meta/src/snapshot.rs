//! [`MetaSnapshot`]: what a consistent copy of the metadata (`MetaStore::backup_to`) holds, so
//! that a backup can copy exactly the data it references.

/// A summary of a metadata snapshot written by [`crate::MetaStore::backup_to`], read from the
/// snapshot itself (so it describes exactly what was copied).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MetaSnapshot {
    /// Buckets.
    pub buckets: u64,
    /// Current objects (latest versions that are not delete markers).
    pub objects: u64,
    /// Object versions and delete markers.
    pub versions: u64,
    /// Total size of the current objects.
    pub object_bytes: u64,
    /// Every blob id a version or an uploaded part references, sorted, without duplicates.
    pub blobs: Vec<String>,
}
