//! Private modes for everything [`LocalFs`](crate::LocalFs) creates: directories 0700 and files
//! 0600, whatever the process umask (which can only narrow them further), so object data is
//! readable by the server's user alone.

use std::fs::{self, DirBuilder, OpenOptions};
use std::io;
use std::path::Path;

/// Mode of the directories the store creates.
pub(crate) const DIR_MODE: u32 = 0o700;
/// Mode of the files the store creates.
pub(crate) const FILE_MODE: u32 = 0o600;

/// Creates `dir` and its missing parents, each with [`DIR_MODE`]; an existing `dir` is fine.
pub(crate) fn create_dir_all(dir: &Path) -> io::Result<()> {
    builder().recursive(true).create(dir)
}

/// Creates `dir` (its parent must exist) with [`DIR_MODE`].
pub(crate) fn create_dir(dir: &Path) -> io::Result<()> {
    builder().create(dir)
}

/// Sets an existing directory's mode to [`DIR_MODE`] (directories made by older versions).
#[cfg(unix)]
pub(crate) fn restrict_dir(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(dir, fs::Permissions::from_mode(DIR_MODE))
}

/// Modes are Unix-only; nothing to do elsewhere.
#[cfg(not(unix))]
pub(crate) fn restrict_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

/// Options that create a new file with [`FILE_MODE`].
pub(crate) fn new_file_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(FILE_MODE);
    }
    options
}

fn builder() -> DirBuilder {
    let mut builder = DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(DIR_MODE);
    }
    builder
}
