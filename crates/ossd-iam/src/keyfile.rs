//! The master key file: `<data-dir>/master.key`, mode 0600, one `id:hex` line per key (the first
//! line seals, later lines only open: rotation), `#` comments allowed.

use crate::{IamError, Keyring};
use std::io::Write;
use std::path::Path;
use zeroize::Zeroizing;

/// The comment written at the top of a new key file.
pub(crate) const HEADER: &str =
    "# ossd master key: seals AccessKey secrets and STS tokens. Keep it secret; back it up.\n";

/// Loads `path`, or creates it with a fresh key if it does not exist.
pub(crate) fn load_or_create(path: &Path) -> Result<Keyring, IamError> {
    match std::fs::read_to_string(path) {
        Ok(text) => parse(&Zeroizing::new(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => create(path),
        Err(e) => Err(IamError::MasterKey(format!(
            "reading {}: {e}",
            path.display()
        ))),
    }
}

/// Parses the file text.
fn parse(text: &str) -> Result<Keyring, IamError> {
    let mut lines = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'));
    let first = lines.next().ok_or_else(|| bad("no key"))?;
    let (id, key) = parse_line(first)?;
    let mut ring = Keyring::from_bytes(id, *key);
    for line in lines {
        let (id, key) = parse_line(line)?;
        ring = ring.with_previous(id, *key);
    }
    Ok(ring)
}

/// Parses one `id:hex` line.
fn parse_line(line: &str) -> Result<(u32, Zeroizing<[u8; 32]>), IamError> {
    let (id, hex_key) = line.split_once(':').ok_or_else(|| bad("expected id:hex"))?;
    let id = id.trim().parse().map_err(|_| bad("bad key id"))?;
    let mut key = Zeroizing::new([0u8; 32]);
    hex::decode_to_slice(hex_key.trim(), &mut key[..]).map_err(|_| bad("bad key bytes"))?;
    Ok((id, key))
}

/// A malformed-file error.
fn bad(what: &str) -> IamError {
    IamError::MasterKey(format!("malformed key file: {what}"))
}

/// Creates the file (never overwriting one) with a fresh key, readable by the owner only. The
/// key is written to a temp file and published with a hard link, which fails if the file exists:
/// nodes of a cluster starting together on one shared key file (docs/scale-out.md) all end with
/// the key of the first to publish, and never read a half-written file.
fn create(path: &Path) -> Result<Keyring, IamError> {
    let ring = Keyring::generate();
    let fail = |e: std::io::Error| IamError::MasterKey(format!("creating {}: {e}", path.display()));
    let tmp = path.with_extension(format!("tmp-{:016x}", rand::random::<u64>()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = options.open(&tmp).and_then(|mut file| {
        file.write_all(ring.to_file_text().as_bytes())?;
        file.sync_all()
    });
    let published = written.and_then(|()| std::fs::hard_link(&tmp, path));
    // The temp name goes whatever happened; the published file (if any) stays.
    let _ = std::fs::remove_file(&tmp);
    match published {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let text = std::fs::read_to_string(path).map_err(fail)?;
            return parse(&Zeroizing::new(text));
        }
        Err(e) => return Err(fail(e)),
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(fail)?;
    }
    tracing::info!(path = %path.display(), "created a new master key");
    Ok(ring)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn processes_creating_one_key_file_at_once_agree() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("master.key");
        let rings: Vec<Keyring> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8).map(|_| s.spawn(|| load_or_create(&path))).collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap().unwrap())
                .collect()
        });
        let text = rings[0].to_file_text();
        assert!(rings.iter().all(|r| r.to_file_text() == text));
        assert_eq!(load_or_create(&path).unwrap().to_file_text(), text);
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temp file left behind");
    }
}
