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

/// Creates the file (never overwriting one) with a fresh key, readable by the owner only.
fn create(path: &Path) -> Result<Keyring, IamError> {
    let ring = Keyring::generate();
    let fail = |e: std::io::Error| IamError::MasterKey(format!("creating {}: {e}", path.display()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(fail)?;
    file.write_all(ring.to_file_text().as_bytes())
        .map_err(fail)?;
    file.sync_all().map_err(fail)?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(fail)?;
    }
    tracing::info!(path = %path.display(), "created a new master key");
    Ok(ring)
}
