//! A consistent copy of metadata and data while serving: with reclamation paused, the metadata
//! store writes a point-in-time snapshot, then every blob that snapshot references is
//! hard-linked (blobs are immutable, so a link is a copy) or, across file systems, copied and
//! synced. Blobs written after the snapshot are not copied; blobs freed meanwhile are deleted
//! once the pause ends.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use ossd_meta::{MetaError, MetaSnapshot};

use crate::{Store, StoreError};

/// Name of the metadata snapshot inside a backup directory.
pub const META_FILE: &str = "meta.sqlite";
/// Directory of the blob files inside a backup directory (the blob store's layout below it).
pub const BLOBS_DIR: &str = "blobs";

/// One data file written into a backup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupFile {
    /// Path relative to the backup directory (`blobs/objects/xx/yy/<id>`).
    pub relative: PathBuf,
    /// Size in bytes.
    pub size: u64,
    /// Hard-linked rather than copied.
    pub linked: bool,
}

/// What [`Store::backup_into`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreBackup {
    /// The metadata snapshot's summary (`meta.sqlite` in the backup directory).
    pub meta: MetaSnapshot,
    /// The blob files, one per referenced blob.
    pub blobs: Vec<BackupFile>,
}

impl Store {
    /// Writes `dest/meta.sqlite` (a snapshot) and `dest/blobs/...` (every blob it references)
    /// while the store keeps serving. `dest` must exist and should be empty.
    pub async fn backup_into(&self, dest: &Path) -> Result<StoreBackup, StoreError> {
        let pause = self.pause_reclamation();
        let result = self.backup_paused(dest).await;
        pause.release().await;
        result
    }

    async fn backup_paused(&self, dest: &Path) -> Result<StoreBackup, StoreError> {
        let meta = self
            .meta
            .backup_to(&dest.join(META_FILE))
            .await
            .map_err(|e| match e {
                MetaError::NotSupported(_) => StoreError::BackupNotSupported,
                other => StoreError::Meta(other),
            })?;
        let mut sources = Vec::with_capacity(meta.blobs.len());
        for id in &meta.blobs {
            let file = self
                .blobs
                .local_file(id)
                .ok_or(StoreError::BackupNotSupported)?;
            sources.push(file);
        }
        let dest = dest.join(BLOBS_DIR);
        let blobs = tokio::task::spawn_blocking(move || copy_blobs(&sources, &dest))
            .await
            .map_err(StoreError::BackupTask)??;
        Ok(StoreBackup { meta, blobs })
    }
}

/// Links (or copies) each blob file under `dest`, keeping its relative path; syncs copies and
/// the directories created.
fn copy_blobs(sources: &[ossd_blob::BlobFile], dest: &Path) -> Result<Vec<BackupFile>, StoreError> {
    let mut out = Vec::with_capacity(sources.len());
    let mut dirs = BTreeSet::new();
    for src in sources {
        let target = dest.join(&src.relative);
        if let Some(parent) = target.parent()
            && dirs.insert(parent.to_path_buf())
        {
            fs::create_dir_all(parent).map_err(io("create", parent))?;
        }
        let linked = link_or_copy(&src.path, &target)?;
        let size = fs::metadata(&target).map_err(io("stat", &target))?.len();
        out.push(BackupFile {
            relative: Path::new(BLOBS_DIR).join(&src.relative),
            size,
            linked,
        });
    }
    for dir in dirs.iter().chain(std::iter::once(&dest.to_path_buf())) {
        if dir.exists() {
            fs::File::open(dir)
                .and_then(|d| d.sync_all())
                .map_err(io("sync", dir))?;
        }
    }
    Ok(out)
}

/// Hard-links `src` to `dst` (same file system), else copies and syncs; returns whether linked.
fn link_or_copy(src: &Path, dst: &Path) -> Result<bool, StoreError> {
    if fs::hard_link(src, dst).is_ok() {
        return Ok(true);
    }
    fs::copy(src, dst).map_err(io("copy", src))?;
    fs::File::open(dst)
        .and_then(|f| f.sync_all())
        .map_err(io("sync", dst))?;
    Ok(false)
}

fn io(op: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> StoreError {
    let path = path.to_path_buf();
    move |source| StoreError::Backup { op, path, source }
}
