//! The file half of a write: a temp file written chunk by chunk, then made durable (fsync file →
//! rename into place → fsync directory). Every [`SYNC_EVERY`] bytes it flushes what it has, so the
//! device works while the body is still arriving and the final fsync is short. Dropped
//! unpersisted, it deletes its temp file. Runs only on the blocking pool.

use std::fs::{self, File};
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use super::dirs::fsync_dir;
use super::layout::Layout;
use super::perms;
use crate::{BlobError, id};

/// Bytes written between intermediate flushes of a large blob.
const SYNC_EVERY: u64 = 16 * 1024 * 1024;

/// A temp file being filled.
#[derive(Debug)]
pub(crate) struct Sink {
    layout: Arc<Layout>,
    id: String,
    temp: PathBuf,
    file: File,
    unsynced: u64,
    persisted: bool,
}

impl Sink {
    /// Creates a new, empty temp file (mode 0600) under a fresh id.
    pub(crate) fn create(layout: Arc<Layout>) -> Result<Self, BlobError> {
        let id = id::new_id();
        let temp = layout.temp_path(&id);
        let file = perms::new_file_options()
            .write(true)
            .create_new(true)
            .open(&temp)
            .map_err(BlobError::io("create temp file", &temp))?;
        Ok(Self {
            layout,
            id,
            temp,
            file,
            unsynced: 0,
            persisted: false,
        })
    }

    /// Writes one chunk.
    pub(crate) fn write(&mut self, chunk: &[u8]) -> Result<(), BlobError> {
        self.file
            .write_all(chunk)
            .map_err(BlobError::io("write", &self.temp))?;
        self.unsynced += chunk.len() as u64;
        if self.unsynced >= SYNC_EVERY {
            self.file
                .sync_data()
                .map_err(BlobError::io("fsync", &self.temp))?;
            self.unsynced = 0;
        }
        Ok(())
    }

    /// Makes the blob durable under its id and returns the id.
    pub(crate) fn persist(mut self) -> Result<String, BlobError> {
        self.file
            .sync_all()
            .map_err(BlobError::io("fsync", &self.temp))?;
        let dir = self.layout.ensure_blob_dir(&self.id)?;
        let target = dir.join(&self.id);
        fs::rename(&self.temp, &target).map_err(BlobError::io("rename", &self.temp))?;
        self.persisted = true;
        if let Err(e) = fsync_dir(&dir) {
            // Never report success for a rename that may not survive a crash.
            let _ = fs::remove_file(&target);
            return Err(e);
        }
        Ok(std::mem::take(&mut self.id))
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        if !self.persisted
            && let Err(e) = fs::remove_file(&self.temp)
        {
            tracing::warn!(path = %self.temp.display(), error = %e, "could not remove temp file");
        }
    }
}
