//! Where [`LocalFs`](crate::LocalFs) keeps things: `<root>/objects/xx/yy/<id>` for blobs and
//! `<root>/tmp/<id>` for writes in progress (removed when the store is opened: all of them, or
//! in a shared store only those untouched for a grace period).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::dirs::{DurableDirs, fsync_dir, shard_names};
use super::perms;
use crate::BlobError;
use crate::id::{self, ID_LEN};

/// The directories of one store, and which fan-out directories are known durable.
#[derive(Debug)]
pub(crate) struct Layout {
    root: PathBuf,
    objects: PathBuf,
    tmp: PathBuf,
    dirs: DurableDirs,
}

impl Layout {
    /// Creates the directories under `root` (durably, mode 0700), narrows `root`, `objects/` and
    /// `tmp/` to 0700 if an older version made them wider, and empties `tmp/` (with `shared`,
    /// only of entries untouched for that long: other writers may be using the rest).
    pub(crate) fn create(root: &Path, shared: Option<Duration>) -> Result<Self, BlobError> {
        let objects = root.join("objects");
        let tmp = root.join("tmp");
        for dir in [&objects, &tmp] {
            perms::create_dir_all(dir).map_err(BlobError::io("create directory", dir))?;
        }
        for dir in [root, &objects, &tmp] {
            perms::restrict_dir(dir).map_err(BlobError::io("set the mode of", dir))?;
        }
        fsync_dir(root)?;
        let layout = Self {
            root: root.to_path_buf(),
            objects,
            tmp,
            dirs: DurableDirs::new(),
        };
        let removed = layout.clean_tmp(shared)?;
        if removed > 0 {
            tracing::info!(removed, "removed unfinished blob writes");
        }
        Ok(layout)
    }

    /// The store's root directory.
    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    /// Final path of a (validated) id.
    pub(crate) fn blob_path(&self, id: &str) -> Result<PathBuf, BlobError> {
        let (a, b) = shard_names(id)?;
        Ok(self.objects.join(a).join(b).join(id))
    }

    /// Temp path of a write in progress.
    pub(crate) fn temp_path(&self, id: &str) -> PathBuf {
        self.tmp.join(id)
    }

    /// The durably created directory a (validated) id is renamed into.
    pub(crate) fn ensure_blob_dir(&self, id: &str) -> Result<PathBuf, BlobError> {
        self.dirs.ensure(&self.objects, id)
    }

    /// Removes everything in `tmp/` (or what is older than `min_age`); returns how many entries
    /// went.
    fn clean_tmp(&self, min_age: Option<Duration>) -> Result<usize, BlobError> {
        let mut removed = 0;
        for entry in fs::read_dir(&self.tmp).map_err(BlobError::io("list", &self.tmp))? {
            let path = entry.map_err(BlobError::io("list", &self.tmp))?.path();
            if !old_enough(&path, min_age) {
                continue;
            }
            let result = if path.is_dir() {
                fs::remove_dir_all(&path)
            } else {
                fs::remove_file(&path)
            };
            result.map_err(BlobError::io("remove", &path))?;
            removed += 1;
        }
        Ok(removed)
    }

    /// Every well-formed blob id under `objects/` (with `min_age`, only those last modified at
    /// least that long ago); anything else there is logged and skipped.
    pub(crate) fn list(&self, min_age: Option<Duration>) -> Result<Vec<String>, BlobError> {
        let mut ids = Vec::new();
        for top in shard_dirs(&self.objects)? {
            for leaf in shard_dirs(&top)? {
                for name in names(&leaf)? {
                    if id::is_hex(&name, ID_LEN) && leaf.join(&name) == self.blob_path(&name)? {
                        if old_enough(&leaf.join(&name), min_age) {
                            ids.push(name);
                        }
                    } else {
                        tracing::warn!(path = %leaf.join(&name).display(), "unexpected file in blob store");
                    }
                }
            }
        }
        Ok(ids)
    }
}

/// Whether `path` was last modified at least `min_age` ago (always, without `min_age`). A file
/// whose age cannot be read (gone, or a clock in the future) is not old enough.
#[allow(clippy::disallowed_methods)] // file times are the system clock's, whatever the server clock
fn old_enough(path: &Path, min_age: Option<Duration>) -> bool {
    let Some(min_age) = min_age else {
        return true;
    };
    fs::symlink_metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|at| SystemTime::now().duration_since(at).ok())
        .is_some_and(|age| age >= min_age)
}

/// The two-hex-digit subdirectories of `dir`.
fn shard_dirs(dir: &Path) -> Result<Vec<PathBuf>, BlobError> {
    Ok(names(dir)?
        .into_iter()
        .filter(|n| id::is_hex(n, 2))
        .map(|n| dir.join(n))
        .collect())
}

/// The UTF-8 entry names in `dir` (others cannot be ids and are skipped).
fn names(dir: &Path) -> Result<Vec<String>, BlobError> {
    let entries = match fs::read_dir(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotADirectory => return Ok(Vec::new()),
        other => other.map_err(BlobError::io("list", dir))?,
    };
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(BlobError::io("list", dir))?;
        if let Ok(name) = entry.file_name().into_string() {
            names.push(name);
        }
    }
    Ok(names)
}
