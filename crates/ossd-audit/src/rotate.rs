//! Size-based rotation of `audit.jsonl`: when the next line would take the active file past
//! `max_bytes`, `audit.jsonl.N` becomes `.N+1` (the oldest beyond `keep` files is removed),
//! `audit.jsonl` becomes `.1`, and a new `audit.jsonl` is started. At most `keep` files exist.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Name of the active file.
pub const ACTIVE: &str = "audit.jsonl";

/// Bytes read per step when reading a file backwards.
const TAIL_BLOCK: u64 = 64 * 1024;

/// Limits of the on-disk trail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rotation {
    /// The active file is rotated before it would grow past this (a single longer line still
    /// gets a file of its own).
    pub max_bytes: u64,
    /// Files kept, the active one included (at least 1).
    pub keep: usize,
}

impl Default for Rotation {
    /// 16 MiB × 5 files.
    fn default() -> Self {
        Self {
            max_bytes: 16 * 1024 * 1024,
            keep: 5,
        }
    }
}

/// The active file, appended to, rotated by size.
#[derive(Debug)]
pub(crate) struct RotatingFile {
    dir: PathBuf,
    rotation: Rotation,
    out: BufWriter<File>,
    size: u64,
}

impl RotatingFile {
    /// Opens (creating, mode 0700/0600) `dir/audit.jsonl` for appending; removes rotated files
    /// beyond `keep` (the limit may have been lowered).
    pub(crate) fn open(dir: &Path, rotation: Rotation) -> io::Result<Self> {
        let rotation = Rotation {
            keep: rotation.keep.max(1),
            max_bytes: rotation.max_bytes.max(1),
        };
        fs::create_dir_all(dir)?;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
        remove_beyond(dir, rotation.keep)?;
        let file = open_active(dir)?;
        let size = file.metadata()?.len();
        Ok(Self {
            dir: dir.to_path_buf(),
            rotation,
            out: BufWriter::new(file),
            size,
        })
    }

    /// Appends one line (a newline is added), rotating first if it would not fit.
    pub(crate) fn write_line(&mut self, line: &str) -> io::Result<()> {
        let len = line.len() as u64 + 1;
        if self.size > 0 && self.size + len > self.rotation.max_bytes {
            self.rotate()?;
        }
        self.out.write_all(line.as_bytes())?;
        self.out.write_all(b"\n")?;
        self.size += len;
        Ok(())
    }

    /// Hands buffered lines to the operating system.
    pub(crate) fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// Flushes and waits for the data to reach the disk.
    pub(crate) fn sync(&mut self) -> io::Result<()> {
        self.out.flush()?;
        self.out.get_ref().sync_data()
    }

    /// The directory of the trail.
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    fn rotate(&mut self) -> io::Result<()> {
        self.sync()?;
        let keep = self.rotation.keep;
        let _ = remove_if_exists(&rotated(&self.dir, keep - 1));
        for n in (1..keep.saturating_sub(1)).rev() {
            let from = rotated(&self.dir, n);
            if from.exists() {
                fs::rename(&from, rotated(&self.dir, n + 1))?;
            }
        }
        let active = self.dir.join(ACTIVE);
        if keep > 1 {
            fs::rename(&active, rotated(&self.dir, 1))?;
        } else {
            remove_if_exists(&active)?;
        }
        self.out = BufWriter::new(open_active(&self.dir)?);
        self.size = 0;
        Ok(())
    }
}

/// Path of rotated file `n` (1 = the most recent).
pub fn rotated(dir: &Path, n: usize) -> PathBuf {
    dir.join(format!("{ACTIVE}.{n}"))
}

/// The last `n` lines of the trail in `dir`, oldest first, reading the active file and then
/// the rotated ones backwards until `n` are found.
pub(crate) fn tail(dir: &Path, n: usize) -> io::Result<Vec<String>> {
    let mut newest_first: Vec<String> = Vec::new();
    let mut index = 0;
    while newest_first.len() < n {
        let path = if index == 0 {
            dir.join(ACTIVE)
        } else {
            rotated(dir, index)
        };
        if !path.exists() {
            if index == 0 {
                index += 1;
                continue;
            }
            break;
        }
        let wanted = n - newest_first.len();
        newest_first.extend(last_lines(&path, wanted)?.into_iter().rev());
        index += 1;
    }
    newest_first.reverse();
    Ok(newest_first)
}

/// The last `n` non-empty lines of one file, oldest first, read from the end in blocks.
fn last_lines(path: &Path, n: usize) -> io::Result<Vec<String>> {
    let mut file = File::open(path)?;
    let mut pos = file.metadata()?.len();
    let mut buf: Vec<u8> = Vec::new();
    loop {
        let newlines = buf.iter().filter(|&&b| b == b'\n').count();
        if pos == 0 || newlines > n {
            break;
        }
        let step = TAIL_BLOCK.min(pos);
        pos -= step;
        file.seek(SeekFrom::Start(pos))?;
        let mut block = vec![0u8; step as usize];
        file.read_exact(&mut block)?;
        block.extend_from_slice(&buf);
        buf = block;
    }
    let text = String::from_utf8_lossy(&buf);
    let mut lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    if pos > 0 && !lines.is_empty() {
        // The first line may be cut; drop it unless it is all we need.
        lines.remove(0);
    }
    let skip = lines.len().saturating_sub(n);
    Ok(lines[skip..].iter().map(|l| (*l).to_owned()).collect())
}

fn open_active(dir: &Path) -> io::Result<File> {
    OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(dir.join(ACTIVE))
}

/// Removes rotated files numbered `keep` and above.
fn remove_beyond(dir: &Path, keep: usize) -> io::Result<()> {
    let prefix = format!("{ACTIVE}.");
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let Some(n) = name
            .to_str()
            .and_then(|s| s.strip_prefix(&prefix))
            .and_then(|s| s.parse::<usize>().ok())
        else {
            continue;
        };
        if n >= keep {
            remove_if_exists(&entry.path())?;
        }
    }
    Ok(())
}

fn remove_if_exists(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn rotates_by_size_and_keeps_at_most_keep_files() -> io::Result<()> {
        let tmp = tempfile::tempdir()?;
        let rotation = Rotation {
            max_bytes: 100,
            keep: 3,
        };
        let mut f = RotatingFile::open(tmp.path(), rotation)?;
        for i in 0..50 {
            f.write_line(&format!("{{\"n\":{i:04}}}"))?; // 11 bytes + newline
        }
        f.flush()?;
        assert_eq!(
            files(tmp.path()),
            ["audit.jsonl", "audit.jsonl.1", "audit.jsonl.2"]
        );
        for name in files(tmp.path()) {
            let len = fs::metadata(tmp.path().join(&name))?.len();
            assert!(len <= 100, "{name} has {len} bytes");
        }
        // The newest lines are in the active file, in order, across files.
        let last = tail(tmp.path(), 12)?;
        let expected: Vec<String> = (38..50).map(|i| format!("{{\"n\":{i:04}}}")).collect();
        assert_eq!(last, expected);
        Ok(())
    }

    #[test]
    fn keep_one_truncates_and_lowered_keep_prunes() -> io::Result<()> {
        let tmp = tempfile::tempdir()?;
        let mut f = RotatingFile::open(
            tmp.path(),
            Rotation {
                max_bytes: 10,
                keep: 4,
            },
        )?;
        for i in 0..20 {
            f.write_line(&format!("line{i:02}"))?;
        }
        f.flush()?;
        drop(f);
        assert_eq!(files(tmp.path()).len(), 4);
        let mut f = RotatingFile::open(
            tmp.path(),
            Rotation {
                max_bytes: 10,
                keep: 1,
            },
        )?;
        assert_eq!(files(tmp.path()), ["audit.jsonl"]);
        f.write_line("next")?;
        f.write_line("again")?;
        f.flush()?;
        assert_eq!(files(tmp.path()), ["audit.jsonl"]);
        assert_eq!(tail(tmp.path(), 10)?, ["again"]);
        Ok(())
    }

    #[test]
    fn oversized_line_gets_its_own_file_and_reopen_appends() -> io::Result<()> {
        let tmp = tempfile::tempdir()?;
        let rotation = Rotation {
            max_bytes: 8,
            keep: 5,
        };
        let mut f = RotatingFile::open(tmp.path(), rotation)?;
        f.write_line("a")?;
        f.write_line("a-line-longer-than-the-limit")?;
        f.write_line("b")?;
        f.flush()?;
        drop(f);
        let mut f = RotatingFile::open(tmp.path(), rotation)?;
        f.write_line("c")?;
        f.flush()?;
        assert_eq!(
            tail(tmp.path(), 10)?,
            ["a", "a-line-longer-than-the-limit", "b", "c"]
        );
        Ok(())
    }

    #[test]
    fn tail_reads_long_files_backwards_in_blocks() -> io::Result<()> {
        let tmp = tempfile::tempdir()?;
        let mut f = RotatingFile::open(tmp.path(), Rotation::default())?;
        let line = "x".repeat(1000);
        for i in 0..300 {
            f.write_line(&format!("{i:03}{line}"))?;
        }
        f.flush()?;
        let last = tail(tmp.path(), 100)?;
        assert_eq!(last.len(), 100);
        assert!(last[0].starts_with("200"));
        assert!(last[99].starts_with("299"));
        assert_eq!(tail(tmp.path(), 1000)?.len(), 300);
        assert!(tail(tmp.path(), 0)?.is_empty());
        Ok(())
    }

    #[test]
    fn files_are_owner_only() -> io::Result<()> {
        let tmp = tempfile::tempdir()?;
        let dir = tmp.path().join("audit");
        let mut f = RotatingFile::open(&dir, Rotation::default())?;
        f.write_line("x")?;
        f.flush()?;
        let mode = fs::metadata(dir.join(ACTIVE))?.permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let mode = fs::metadata(&dir)?.permissions().mode() & 0o777;
        assert_eq!(mode, 0o700);
        Ok(())
    }
}
