//! Per-bucket figures for GetBucketStat, kept by the metadata store: every write rule of
//! [`crate::versioning`] and [`crate::uploads`] computes a [`StatsDelta`] from what it changed and
//! hands it to [`crate::versioning::VersionTxn::add_stats`] in the same transaction, so the
//! figures are exact and never need a listing.
//!
//! What counts (the GetBucketStat page of the Alibaba Cloud OSS API reference calls `Storage` the
//! bucket's total actual storage and reports delete markers and multipart parts in elements of
//! their own):
//! - every stored version that is not a delete marker, current or not, counts in its storage
//!   class (objects, bytes, billed bytes) and so in `Storage` / `ObjectCount`;
//! - delete markers count only in `DeleteMarkerCount`;
//! - uploads in progress count in `MultipartUploadCount`, their parts in `MultipartPartCount` and
//!   `MultipartPartStorage`, never in `Storage`;
//! - `last_modified_ms` is the latest time carried by a write that changed the figures (a
//!   version's last-modified time, a delete's time, an upload's initiation, a part's upload);
//!   an abort carries no time and leaves it. `0` until the first such write.

use crate::{ObjectRecord, PartRecord};
use ossd_types::StorageClass;

/// The smallest size billed for an object of a class other than Standard: the GetBucketStat page
/// of the Alibaba Cloud OSS API reference bills an IA or Archive object under 64 KB as 64 KB
/// (applied to the cold archive classes alike).
pub const MIN_BILLED_BYTES: u64 = 64 * 1024;

/// The storage classes in the order of [`BucketStats::classes`].
pub const STAT_CLASSES: [StorageClass; 5] = [
    StorageClass::Standard,
    StorageClass::Ia,
    StorageClass::Archive,
    StorageClass::ColdArchive,
    StorageClass::DeepColdArchive,
];

/// The index of `class` in [`STAT_CLASSES`], which lists the classes from the warmest to the
/// coldest.
fn class_index(class: StorageClass) -> usize {
    usize::from(ossd_types::lifecycle::coldness(class))
}

/// The size an object of `size` bytes is billed for outside Standard.
pub fn billed_bytes(size: u64) -> u64 {
    size.max(MIN_BILLED_BYTES)
}

/// The figures of the versions of one storage class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClassStats {
    /// Versions (delete markers excluded).
    pub objects: u64,
    /// Their bytes.
    pub bytes: u64,
    /// Their billed bytes: each at least [`MIN_BILLED_BYTES`].
    pub billed_bytes: u64,
}

/// The figures of one bucket (see the module documentation for what counts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BucketStats {
    /// Per storage class, in the order of [`STAT_CLASSES`].
    pub classes: [ClassStats; 5],
    /// Delete markers.
    pub delete_markers: u64,
    /// Multipart uploads in progress.
    pub uploads: u64,
    /// Parts of the uploads in progress.
    pub parts: u64,
    /// Bytes of those parts.
    pub part_bytes: u64,
    /// When the figures last changed, Unix milliseconds (`0`: never).
    pub last_modified_ms: i64,
}

impl BucketStats {
    /// The figures of `class`.
    pub fn class(&self, class: StorageClass) -> &ClassStats {
        &self.classes[class_index(class)]
    }

    /// `Storage`: bytes of all versions, every class.
    pub fn storage(&self) -> u64 {
        self.classes
            .iter()
            .fold(0, |sum, c| sum.saturating_add(c.bytes))
    }

    /// `ObjectCount`: versions (delete markers excluded), every class.
    pub fn object_count(&self) -> u64 {
        self.classes
            .iter()
            .fold(0, |sum, c| sum.saturating_add(c.objects))
    }

    /// Applies `delta` (counts never go below zero; the time only moves forward, and only when
    /// the delta changes a figure).
    pub fn apply(&mut self, delta: &StatsDelta) {
        if delta.is_empty() {
            return;
        }
        for (have, change) in self.classes.iter_mut().zip(&delta.classes) {
            have.objects = add(have.objects, change.objects);
            have.bytes = add(have.bytes, change.bytes);
            have.billed_bytes = add(have.billed_bytes, change.billed_bytes);
        }
        self.delete_markers = add(self.delete_markers, delta.delete_markers);
        self.uploads = add(self.uploads, delta.uploads);
        self.parts = add(self.parts, delta.parts);
        self.part_bytes = add(self.part_bytes, delta.part_bytes);
        self.last_modified_ms = self.last_modified_ms.max(delta.at_ms);
    }
}

/// `value + change`, clamped to `0..=u64::MAX`.
fn add(value: u64, change: i64) -> u64 {
    if change >= 0 {
        value.saturating_add(change.unsigned_abs())
    } else {
        value.saturating_sub(change.unsigned_abs())
    }
}

/// A signed change of [`ClassStats`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClassDelta {
    /// Change of [`ClassStats::objects`].
    pub objects: i64,
    /// Change of [`ClassStats::bytes`].
    pub bytes: i64,
    /// Change of [`ClassStats::billed_bytes`].
    pub billed_bytes: i64,
}

/// A signed change of [`BucketStats`], computed by a write rule and applied by the backend in
/// the write's transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StatsDelta {
    /// Per storage class, in the order of [`STAT_CLASSES`].
    pub classes: [ClassDelta; 5],
    /// Change of [`BucketStats::delete_markers`].
    pub delete_markers: i64,
    /// Change of [`BucketStats::uploads`].
    pub uploads: i64,
    /// Change of [`BucketStats::parts`].
    pub parts: i64,
    /// Change of [`BucketStats::part_bytes`].
    pub part_bytes: i64,
    /// When the change happened, Unix milliseconds (`0`: the write carries no time).
    pub at_ms: i64,
}

/// Adds `amount` to (`up`) or subtracts it from `field`, saturating (sizes beyond `i64::MAX` do
/// not occur; clamped).
fn bump(field: &mut i64, amount: u64, up: bool) {
    let amount = i64::try_from(amount).unwrap_or(i64::MAX);
    *field = if up {
        field.saturating_add(amount)
    } else {
        field.saturating_sub(amount)
    };
}

impl StatsDelta {
    /// No change, at `at_ms`.
    pub fn at(at_ms: i64) -> Self {
        Self {
            at_ms,
            ..Self::default()
        }
    }

    /// Whether no figure changes (the time alone does not count).
    pub fn is_empty(&self) -> bool {
        let zero = ClassDelta::default();
        self.classes.iter().all(|c| *c == zero)
            && self.delete_markers == 0
            && self.uploads == 0
            && self.parts == 0
            && self.part_bytes == 0
    }

    /// Counts version `record` in (`added`) or out.
    pub fn version(&mut self, record: &ObjectRecord, added: bool) -> &mut Self {
        if record.delete_marker {
            bump(&mut self.delete_markers, 1, added);
        } else {
            let c = &mut self.classes[class_index(record.storage_class)];
            bump(&mut c.objects, 1, added);
            bump(&mut c.bytes, record.size, added);
            bump(&mut c.billed_bytes, billed_bytes(record.size), added);
        }
        self
    }

    /// Counts one upload in (`added`) or out.
    pub fn upload(&mut self, added: bool) -> &mut Self {
        bump(&mut self.uploads, 1, added);
        self
    }

    /// Counts `part` in (`added`) or out.
    pub fn part(&mut self, part: &PartRecord, added: bool) -> &mut Self {
        bump(&mut self.parts, 1, added);
        bump(&mut self.part_bytes, part.size, added);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_indexes_follow_stat_classes() {
        for (i, class) in STAT_CLASSES.iter().enumerate() {
            assert_eq!(class_index(*class), i);
        }
    }
}
