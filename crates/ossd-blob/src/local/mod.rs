//! [`LocalFs`]: blobs as files in a local directory, written durably (temp file → fsync → rename
//! → fsync directory) and read by range, with all file I/O on tokio's blocking pool.

mod batch;
mod dirs;
mod layout;
mod perms;
mod read;
mod sink;
mod writer;

use std::fs;
use std::io;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use tokio::task::spawn_blocking;

use crate::{BlobError, BlobReader, BlobStore, BlobWrite, id};
use layout::Layout;
use read::{FileStream, open_range};
use writer::LocalWriter;

/// Largest chunk a [`LocalFs`] read yields.
pub const READ_CHUNK: usize = read::CHUNK;

/// A [`BlobStore`] in a local directory: `objects/xx/yy/<id>`, and `tmp/` for writes in progress.
#[derive(Clone, Debug)]
pub struct LocalFs {
    layout: Arc<Layout>,
}

impl LocalFs {
    /// Opens (creating if needed) the store at `root` and removes unfinished writes from `tmp/`.
    pub fn open(root: impl AsRef<Path>) -> Result<Self, BlobError> {
        Ok(Self {
            layout: Arc::new(Layout::create(root.as_ref(), None)?),
        })
    }

    /// Opens (creating if needed) a store that other processes write at the same time (several
    /// nodes on one shared directory, docs/scale-out.md): only temp files untouched for `grace`
    /// are removed from `tmp/`, as their writer is gone. Ids are 128 random bits, so writers
    /// never pick the same name.
    pub fn open_shared(root: impl AsRef<Path>, grace: Duration) -> Result<Self, BlobError> {
        Ok(Self {
            layout: Arc::new(Layout::create(root.as_ref(), Some(grace))?),
        })
    }

    /// The store's root directory.
    pub fn root(&self) -> &Path {
        self.layout.root()
    }
}

#[async_trait]
impl BlobStore for LocalFs {
    fn writer(&self, inline_threshold: usize) -> Box<dyn BlobWrite> {
        Box::new(LocalWriter::new(self.layout.clone(), inline_threshold))
    }

    async fn open(&self, id: &str, offset: u64, len: u64) -> Result<BlobReader, BlobError> {
        let id = id::check(id)?.to_owned();
        let path = self.layout.blob_path(&id)?;
        let file = spawn_blocking(move || open_range(&path, &id, offset, len)).await??;
        Ok(BlobReader::new(FileStream::new(file, len)))
    }

    async fn delete(&self, ids: &[String]) -> Result<(), BlobError> {
        let paths = ids
            .iter()
            .map(|id| self.layout.blob_path(id::check(id)?))
            .collect::<Result<Vec<_>, _>>()?;
        spawn_blocking(move || remove_all(&paths)).await?
    }

    async fn list(&self) -> Result<Vec<String>, BlobError> {
        let layout = self.layout.clone();
        spawn_blocking(move || layout.list(None)).await?
    }

    async fn list_older_than(&self, age: Duration) -> Result<Vec<String>, BlobError> {
        let layout = self.layout.clone();
        spawn_blocking(move || layout.list(Some(age))).await?
    }

    fn local_file(&self, id: &str) -> Option<crate::BlobFile> {
        let path = self.layout.blob_path(id::check(id).ok()?).ok()?;
        let relative = path.strip_prefix(self.layout.root()).ok()?.to_path_buf();
        Some(crate::BlobFile { path, relative })
    }
}

/// Removes every file, skipping missing ones; reports the first failure after trying all.
fn remove_all(paths: &[std::path::PathBuf]) -> Result<(), BlobError> {
    let mut first_error = None;
    for path in paths {
        match fs::remove_file(path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => {
                tracing::warn!(path = %path.display(), error = %e, "could not delete blob");
                first_error.get_or_insert(BlobError::io("delete", path)(e));
            }
            _ => {}
        }
    }
    first_error.map_or(Ok(()), Err)
}
