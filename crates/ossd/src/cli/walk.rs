//! The files under a local directory, for `cp -r` and `sync`: regular files (symbolic links to
//! files followed, links to directories not, so no cycles), with size and modification time.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::Context;

/// One local file.
#[derive(Debug, Clone)]
pub(crate) struct LocalFile {
    /// Its path.
    pub path: PathBuf,
    /// Its `/`-separated path relative to the walked directory.
    pub rel: String,
    /// Size in bytes.
    pub size: u64,
    /// Last modification.
    pub modified: SystemTime,
}

/// Every file under `dir`, sorted by relative path.
pub(crate) fn files(dir: &Path) -> anyhow::Result<Vec<LocalFile>> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let entries = std::fs::read_dir(&current)
            .with_context(|| format!("reading {}", current.display()))?;
        for entry in entries {
            let entry = entry.with_context(|| format!("reading {}", current.display()))?;
            let path = entry.path();
            let kind = entry.file_type()?;
            if kind.is_dir() {
                pending.push(path);
                continue;
            }
            let meta = match std::fs::metadata(&path) {
                Ok(m) if m.is_file() => m,
                // A dangling link, a link to a directory, a socket …: not a file to copy.
                _ => continue,
            };
            out.push(LocalFile {
                rel: super::paths::relative_key(dir, &path)?,
                path,
                size: meta.len(),
                modified: meta.modified()?,
            });
        }
    }
    out.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_files_only() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        std::fs::create_dir_all(dir.path().join("a/b"))?;
        std::fs::write(dir.path().join("a/b/c.txt"), "ccc")?;
        std::fs::write(dir.path().join("top"), "t")?;
        std::os::unix::fs::symlink(dir.path().join("a"), dir.path().join("loop"))?;
        let found = files(dir.path())?;
        let rels: Vec<_> = found.iter().map(|f| (f.rel.as_str(), f.size)).collect();
        assert_eq!(rels, [("a/b/c.txt", 3), ("top", 1)]);
        Ok(())
    }
}
