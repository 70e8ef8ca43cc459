//! `ossd admin restore <backup> --data-dir <dir>`: offline. Verifies the backup against its
//! manifest, copies its files into the data directory (keys with mode 0600), and verifies the
//! copy. Holds the data directory's lock (`ossd.lock`) throughout, so it refuses a directory a
//! server is running on and no server can start on it meanwhile. Refuses a data directory that
//! is not empty unless `--force`, and refuses even then while SQLite's `-wal`/`-shm` files exist
//! (a server was not shut down cleanly).

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use ossd_server::{KEY_FILES, Manifest};

use super::output::count;
use crate::storage::{LOCK_FILE, lock_data_dir};

/// Arguments of `ossd admin restore` (the target is the global `--data-dir`).
#[derive(Debug, clap::Args)]
pub(super) struct RestoreArgs {
    /// The backup directory (written by `ossd admin backup`).
    pub backup: PathBuf,
    /// Replace the metadata, data and keys of a non-empty (stopped) data directory.
    #[arg(long)]
    pub force: bool,
}

/// What the data directory holds that a restore replaces.
const REPLACED: [&str; 6] = [
    "meta.sqlite",
    "meta.sqlite-wal",
    "meta.sqlite-shm",
    "blobs",
    "master.key",
    "identity.json",
];

/// Restores `args.backup` into `data_dir`; prints a summary.
pub(super) fn run(args: &RestoreArgs, data_dir: &Path) -> anyhow::Result<()> {
    let manifest = Manifest::verify(&args.backup)
        .with_context(|| format!("verifying the backup {}", args.backup.display()))?;
    let _lock = prepare(data_dir, args.force)?;
    for file in &manifest.files {
        let rel = file.relative_path()?;
        let (src, dst) = (args.backup.join(&rel), data_dir.join(&rel));
        if let Some(parent) = dst.parent() {
            fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        fs::copy(&src, &dst).with_context(|| format!("copying {}", src.display()))?;
        let is_key = KEY_FILES.iter().any(|k| Path::new(k) == rel);
        if is_key {
            fs::set_permissions(&dst, fs::Permissions::from_mode(0o600))
                .with_context(|| format!("protecting {}", dst.display()))?;
        }
        fs::File::open(&dst)
            .and_then(|f| f.sync_all())
            .with_context(|| format!("syncing {}", dst.display()))?;
        file.check(data_dir)
            .with_context(|| format!("verifying the restored {}", file.path))?;
    }
    fs::File::open(data_dir)
        .and_then(|d| d.sync_all())
        .with_context(|| format!("syncing {}", data_dir.display()))?;
    println!(
        "restored {} ({}, {}) from {} (taken {}) into {}",
        count(manifest.objects, "object", "objects"),
        count(manifest.object_bytes, "byte", "bytes"),
        count(manifest.blob_files, "blob file", "blob files"),
        args.backup.display(),
        manifest.created,
        data_dir.display()
    );
    Ok(())
}

/// Creates the data directory (0700) or checks that it may be overwritten, and takes its lock
/// (returned: held until the restore ends).
fn prepare(data_dir: &Path, force: bool) -> anyhow::Result<fs::File> {
    if !data_dir.exists() {
        fs::create_dir_all(data_dir).with_context(|| format!("creating {}", data_dir.display()))?;
        fs::set_permissions(data_dir, fs::Permissions::from_mode(0o700))
            .with_context(|| format!("protecting {}", data_dir.display()))?;
    }
    let lock = lock_data_dir(data_dir)?;
    let mut entries =
        fs::read_dir(data_dir).with_context(|| format!("reading {}", data_dir.display()))?;
    let empty = !entries.any(|e| e.is_ok_and(|e| e.file_name() != LOCK_FILE));
    if empty {
        return Ok(lock);
    }
    if !force {
        bail!(
            "{} is not empty; restore into a new directory, or stop the server using it and \
             pass --force to replace its metadata, data and keys",
            data_dir.display()
        );
    }
    for busy in ["meta.sqlite-wal", "meta.sqlite-shm"] {
        if data_dir.join(busy).exists() {
            bail!(
                "{} looks in use ({busy} exists): stop the server on it first (a clean \
                 shutdown removes {busy})",
                data_dir.display()
            );
        }
    }
    for name in REPLACED {
        let path = data_dir.join(name);
        let removed = if path.is_dir() {
            fs::remove_dir_all(&path)
        } else {
            fs::remove_file(&path)
        };
        match removed {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(e).with_context(|| format!("removing {}", path.display()));
            }
            _ => {}
        }
    }
    Ok(lock)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_non_empty_and_busy_directories() -> anyhow::Result<()> {
        let tmp = tempfile::tempdir()?;
        let dir = tmp.path().join("data");
        drop(prepare(&dir, false)?);
        assert_eq!(
            fs::metadata(&dir)?.permissions().mode() & 0o777,
            0o700,
            "created owner-only"
        );
        drop(prepare(&dir, false)?);
        let held = prepare(&dir, false)?;
        assert!(
            prepare(&dir, false).is_err(),
            "locked by another restore or a server"
        );
        drop(held);
        fs::write(dir.join("meta.sqlite"), b"x")?;
        fs::create_dir_all(dir.join("blobs/objects"))?;
        fs::create_dir_all(dir.join("audit"))?;
        assert!(prepare(&dir, false).is_err(), "not empty");
        fs::write(dir.join("meta.sqlite-wal"), b"x")?;
        assert!(prepare(&dir, true).is_err(), "in use");
        fs::remove_file(dir.join("meta.sqlite-wal"))?;
        drop(prepare(&dir, true)?);
        assert!(!dir.join("meta.sqlite").exists() && !dir.join("blobs").exists());
        assert!(dir.join("audit").exists(), "the audit trail is kept");
        Ok(())
    }
}
