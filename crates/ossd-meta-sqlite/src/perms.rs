//! Private modes for the database files: `meta.sqlite` is created (or narrowed) to 0600 before
//! SQLite opens it. SQLite creates the `-wal` and `-shm` files with the database file's mode, so
//! those follow; ones left by an older version are narrowed too.

use std::io;
use std::path::{Path, PathBuf};

use ossd_meta::MetaError;

use crate::error::SqliteError;

/// Mode of the database file and its companions.
pub(crate) const FILE_MODE: u32 = 0o600;

/// Creates `path` empty with mode 0600 if missing (SQLite takes an empty file for a new
/// database), and narrows it and any existing `-wal` / `-shm` file to 0600.
pub(crate) fn private_files(path: &Path) -> Result<(), MetaError> {
    create(path).map_err(|e| failed("create", path, e))?;
    for file in [
        path.to_path_buf(),
        companion(path, "-wal"),
        companion(path, "-shm"),
    ] {
        match restrict(&file) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => {
                return Err(failed("set the mode of", &file, e));
            }
            _ => {}
        }
    }
    Ok(())
}

fn companion(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn failed(op: &'static str, path: &Path, source: io::Error) -> MetaError {
    SqliteError::Io {
        op,
        path: path.to_path_buf(),
        source,
    }
    .into()
}

#[cfg(unix)]
fn create(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .mode(FILE_MODE)
        .open(path)
        .map(drop)
}

#[cfg(unix)]
fn restrict(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(FILE_MODE))
}

/// Modes are Unix-only; SQLite creates the file itself elsewhere.
#[cfg(not(unix))]
fn create(_path: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(not(unix))]
fn restrict(_path: &Path) -> io::Result<()> {
    Ok(())
}
