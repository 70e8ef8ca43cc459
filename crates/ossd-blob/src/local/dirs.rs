//! Durable creation of the fan-out directories `objects/xx/yy`: a new directory is only known to
//! survive a crash once its parent has been fsynced, so each one is created and its parent
//! fsynced before a blob is renamed into it. A bitset remembers which are done in this process.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::BlobError;

/// Which `objects/xx` (256) and `objects/xx/yy` (65,536) directories are known durable.
#[derive(Debug)]
pub(crate) struct DurableDirs {
    top: Bits,
    leaf: Bits,
}

impl DurableDirs {
    /// Nothing known yet.
    pub(crate) fn new() -> Self {
        Self {
            top: Bits::new(1 << 8),
            leaf: Bits::new(1 << 16),
        }
    }

    /// The directory for the (already validated) `id` under `objects`, durably created.
    pub(crate) fn ensure(&self, objects: &Path, id: &str) -> Result<PathBuf, BlobError> {
        let (top_name, leaf_name) = shard_names(id)?;
        let (a, b) = (shard_index(top_name)?, shard_index(leaf_name)?);
        let top = objects.join(top_name);
        if !self.top.get(a) {
            create_durable(objects, &top)?;
            self.top.set(a);
        }
        let leaf = top.join(leaf_name);
        let k = (a << 8) | b;
        if !self.leaf.get(k) {
            create_durable(&top, &leaf)?;
            self.leaf.set(k);
        }
        Ok(leaf)
    }
}

/// The two fan-out directory names of an id: its first and second pair of hex digits.
pub(crate) fn shard_names(id: &str) -> Result<(&str, &str), BlobError> {
    match (id.get(0..2), id.get(2..4)) {
        (Some(a), Some(b)) => Ok((a, b)),
        _ => Err(BlobError::invalid_id(id)),
    }
}

fn shard_index(name: &str) -> Result<usize, BlobError> {
    u8::from_str_radix(name, 16)
        .map(usize::from)
        .map_err(|_| BlobError::invalid_id(name))
}

/// Creates `dir` (mode 0700) if missing and fsyncs `parent` so the new entry survives a crash.
fn create_durable(parent: &Path, dir: &Path) -> Result<(), BlobError> {
    match super::perms::create_dir(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(BlobError::io("create directory", dir)(e)),
    }
    fsync_dir(parent)
}

/// Flushes a directory's entries (creations, renames) to disk.
#[cfg(unix)]
pub(crate) fn fsync_dir(dir: &Path) -> Result<(), BlobError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(BlobError::io("fsync directory", dir))
}

/// Directories cannot be opened for fsync on this platform; renames are durable on their own.
#[cfg(not(unix))]
pub(crate) fn fsync_dir(_dir: &Path) -> Result<(), BlobError> {
    Ok(())
}

/// A fixed-size lock-free bitset; a bit set by one thread is seen by all later readers.
#[derive(Debug)]
struct Bits(Box<[AtomicU64]>);

impl Bits {
    fn new(bits: usize) -> Self {
        Self((0..bits.div_ceil(64)).map(|_| AtomicU64::new(0)).collect())
    }

    fn get(&self, i: usize) -> bool {
        self.0
            .get(i / 64)
            .is_some_and(|w| w.load(Ordering::Acquire) & (1 << (i % 64)) != 0)
    }

    fn set(&self, i: usize) {
        if let Some(w) = self.0.get(i / 64) {
            w.fetch_or(1 << (i % 64), Ordering::Release);
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn ensure_creates_both_levels_once() {
        let root = tempfile::tempdir().unwrap();
        let dirs = DurableDirs::new();
        let id = "ab12ffffffffffffffffffffffffffff";
        let leaf = dirs.ensure(root.path(), id).unwrap();
        assert_eq!(leaf, root.path().join("ab").join("12"));
        assert!(leaf.is_dir());
        assert!(dirs.top.get(0xab) && dirs.leaf.get(0xab12) && !dirs.leaf.get(0xab13));
        assert_eq!(dirs.ensure(root.path(), id).unwrap(), leaf);
    }
}
