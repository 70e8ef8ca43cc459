//! Opening the stores behind a server: SQLite + local files + `master.key` in the data
//! directory, or (`--memory`) `MemoryMeta` + `MemoryBlobs` + a generated master key, with
//! nothing written to disk. With `--meta postgres://…` the metadata is in PostgreSQL and the
//! data directory keeps the rest (identity, master key, object data, lock; see
//! docs/operations.md, "PostgreSQL metadata"). All go through the same `MetaStore` /
//! `BlobStore` traits.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, bail};
use ossd_blob::BlobStore;
use ossd_iam::Keyring;
use ossd_meta::MetaStore;

use crate::config::{BlobsBackend, Config, MetaBackend};
use crate::identity::{self, Loaded};

/// The opened stores and the account identity.
pub(crate) struct Opened {
    /// The account and root key.
    pub loaded: Loaded,
    /// Metadata (objects, buckets, IAM).
    pub meta: Arc<dyn MetaStore>,
    /// The same store when it is PostgreSQL: several nodes may share it (docs/scale-out.md).
    pub cluster: Option<ossd_meta_postgres::PgMeta>,
    /// Object data.
    pub blobs: Arc<dyn BlobStore>,
    /// The master key sealing secrets and STS tokens.
    pub keyring: Keyring,
    /// The data directory's lock, held while the server runs (`None` with `--memory` and with
    /// PostgreSQL metadata, where several nodes share the data).
    pub lock: Option<File>,
}

/// How long a blob in a shared store may go without a record before the orphan sweep removes
/// it: far longer than a node takes from finishing a blob to committing its record
/// (docs/scale-out.md, "Blobs").
pub(crate) const SHARED_BLOB_GRACE: std::time::Duration = std::time::Duration::from_secs(3600);

/// Opens the stores `config` asks for.
pub(crate) async fn open(config: &Config) -> anyhow::Result<Opened> {
    let dev = config.emulator.dev;
    if config.emulator.memory {
        return Ok(Opened {
            loaded: identity::in_memory(dev)?,
            meta: Arc::new(ossd_meta::MemoryMeta::new()),
            cluster: None,
            blobs: Arc::new(ossd_blob::MemoryBlobs::new()),
            keyring: Keyring::generate(),
            lock: None,
        });
    }
    let dir = &config.data_dir;
    private_dir(dir)?;
    // SQLite's writer and bucket cache assume they see every write: one process per data
    // directory. PostgreSQL nodes share the database and the object data by design.
    let lock = match &config.meta {
        MetaBackend::Sqlite => Some(lock_data_dir(dir)?),
        MetaBackend::Postgres(_) => None,
    };
    let loaded = identity::load_or_create(dir, dev)?;
    if matches!(config.meta, MetaBackend::Sqlite) {
        tracing::info!(
            object_cache_mib = config.object_cache_bytes >> 20,
            "object cache budget"
        );
    }
    let (meta, cluster): (Arc<dyn MetaStore>, _) = match &config.meta {
        MetaBackend::Sqlite => (
            Arc::new(
                ossd_meta_sqlite::SqliteMeta::open_with(
                    dir.join("meta.sqlite"),
                    &ossd_meta_sqlite::SqliteOptions {
                        object_cache_bytes: config.object_cache_bytes,
                    },
                )
                .context("opening the metadata database")?,
            ),
            None,
        ),
        MetaBackend::Postgres(url) => {
            let pg = ossd_meta_postgres::PgMeta::open((**url).clone())
                .await
                .context("opening the PostgreSQL metadata database")?;
            (Arc::new(pg.clone()), Some(pg))
        }
    };
    let blobs = open_blobs(config.blobs.as_ref(), dir, cluster.is_some()).await?;
    let key_file = config
        .master_key_file
        .clone()
        .unwrap_or_else(|| dir.join("master.key"));
    let keyring = Keyring::load_or_create(&key_file)
        .with_context(|| format!("loading the master key {}", key_file.display()))?;
    Ok(Opened {
        loaded,
        meta,
        cluster,
        blobs,
        keyring,
        lock,
    })
}

/// Opens the object data store: a directory (`<data-dir>/blobs` by default; `shared` when
/// other nodes write it too) or an S3-compatible store, checked with one listing so that a
/// wrong endpoint, bucket or credential fails at startup.
async fn open_blobs(
    backend: Option<&BlobsBackend>,
    data_dir: &Path,
    shared: bool,
) -> anyhow::Result<Arc<dyn BlobStore>> {
    let dir = match backend {
        None => data_dir.join("blobs"),
        Some(BlobsBackend::Dir(dir)) => dir.clone(),
        #[cfg(feature = "s3")]
        Some(BlobsBackend::S3(settings)) => {
            let location = settings.location();
            let store = ossd_blob_s3::S3Blobs::open(settings)
                .with_context(|| format!("opening the S3 blob backend {location}"))?;
            store
                .check()
                .await
                .with_context(|| format!("reaching the S3 blob backend {location}"))?;
            tracing::info!(blobs = %location, "object data in an S3-compatible store");
            return Ok(Arc::new(store));
        }
    };
    let store = if shared {
        ossd_blob::LocalFs::open_shared(&dir, SHARED_BLOB_GRACE)
    } else {
        ossd_blob::LocalFs::open(&dir)
    }
    .with_context(|| format!("opening the object data directory {}", dir.display()))?;
    Ok(Arc::new(store))
}

/// Creates the data directory with mode 0700, or narrows an existing one to 0700: nothing in it
/// is for other users, whatever modes older versions gave the files inside.
fn private_dir(dir: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .with_context(|| format!("creating data directory {}", dir.display()))?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
        .with_context(|| format!("setting the mode of data directory {}", dir.display()))
}

/// Takes `<data-dir>/ossd.lock` for the life of the process (or of `ossd admin restore`): one
/// server per data directory (the SQLite backend's writer and its bucket cache assume they see
/// every write). The kernel releases it when the process ends, however it ends.
pub(crate) fn lock_data_dir(dir: &Path) -> anyhow::Result<File> {
    let path = dir.join(LOCK_FILE);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("opening {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(TryLockError::WouldBlock) => bail!(
            "{} is in use by another ossd process (it holds {}); stop it or use another --data-dir",
            dir.display(),
            path.display()
        ),
        Err(TryLockError::Error(e)) => {
            Err(e).with_context(|| format!("locking {}", path.display()))
        }
    }
}

/// The lock file inside the data directory.
pub(crate) const LOCK_FILE: &str = "ossd.lock";
