//! Opening the stores behind a server: SQLite + local files + `master.key` in the data
//! directory, or (`--memory`) `MemoryMeta` + `MemoryBlobs` + a generated master key, with
//! nothing written to disk. Both go through the same `MetaStore` / `BlobStore` traits.

use std::sync::Arc;

use anyhow::Context;
use ossd_blob::BlobStore;
use ossd_iam::Keyring;
use ossd_meta::MetaStore;

use crate::config::Config;
use crate::identity::{self, Loaded};

/// The opened stores and the account identity.
pub struct Opened {
    /// The account and root key.
    pub loaded: Loaded,
    /// Metadata (objects, buckets, IAM).
    pub meta: Arc<dyn MetaStore>,
    /// Object data.
    pub blobs: Arc<dyn BlobStore>,
    /// The master key sealing secrets and STS tokens.
    pub keyring: Keyring,
}

/// Opens the stores `config` asks for.
pub fn open(config: &Config) -> anyhow::Result<Opened> {
    let dev = config.emulator.dev;
    if config.emulator.memory {
        return Ok(Opened {
            loaded: identity::in_memory(dev)?,
            meta: Arc::new(ossd_meta::MemoryMeta::new()),
            blobs: Arc::new(ossd_blob::MemoryBlobs::new()),
            keyring: Keyring::generate(),
        });
    }
    let dir = &config.data_dir;
    std::fs::create_dir_all(dir)
        .with_context(|| format!("creating data directory {}", dir.display()))?;
    let loaded = identity::load_or_create(dir, dev)?;
    let meta = ossd_meta_sqlite::SqliteMeta::open(dir.join("meta.sqlite"))
        .context("opening the metadata database")?;
    let blobs =
        ossd_blob::LocalFs::open(dir.join("blobs")).context("opening the data directory")?;
    let keyring =
        Keyring::load_or_create(&dir.join("master.key")).context("loading the master key")?;
    Ok(Opened {
        loaded,
        meta: Arc::new(meta),
        blobs: Arc::new(blobs),
        keyring,
    })
}
