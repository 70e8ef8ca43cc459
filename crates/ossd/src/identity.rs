//! The account and its root AccessKey: created at first start (or taken from
//! `OSSD_ROOT_ACCESS_KEY_ID` / `OSSD_ROOT_ACCESS_KEY_SECRET`) and kept in `<data-dir>/identity.json`
//! with owner-only permissions.

use std::{fs, io::Write, path::Path};

use anyhow::{Context, bail};
use rand::Rng;
use serde::{Deserialize, Serialize};

/// The account and its root credentials.
#[derive(Clone, Serialize, Deserialize)]
pub struct Identity {
    /// Numeric account id.
    pub account_id: String,
    /// Root AccessKey id.
    pub root_access_key_id: String,
    /// Root AccessKey secret.
    pub root_access_key_secret: String,
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Identity")
            .field("account_id", &self.account_id)
            .field("root_access_key_id", &self.root_access_key_id)
            .finish_non_exhaustive()
    }
}

/// Whether the identity was created by this start (so its secret should be shown once).
pub struct Loaded {
    /// The identity.
    pub identity: Identity,
    /// Created now.
    pub created: bool,
}

const FILE: &str = "identity.json";

/// Loads the identity from `dir`, creating it on first start; environment keys take precedence.
pub fn load_or_create(dir: &Path) -> anyhow::Result<Loaded> {
    let path = dir.join(FILE);
    let existing: Option<Identity> = match fs::read(&path) {
        Ok(bytes) => Some(
            serde_json::from_slice(&bytes)
                .with_context(|| format!("parsing {}", path.display()))?,
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    let from_env = env_keys()?;
    let created = existing.is_none();
    let mut identity = existing.unwrap_or_else(|| Identity {
        account_id: random_digits(16),
        root_access_key_id: format!("LTAI{}", random_alnum(20)),
        root_access_key_secret: random_alnum(30),
    });
    let changed = match from_env {
        Some((id, secret))
            if id != identity.root_access_key_id || secret != identity.root_access_key_secret =>
        {
            identity.root_access_key_id = id;
            identity.root_access_key_secret = secret;
            true
        }
        _ => false,
    };
    if created || changed {
        write_private(&path, &serde_json::to_vec_pretty(&identity)?)?;
    }
    Ok(Loaded { identity, created })
}

fn env_keys() -> anyhow::Result<Option<(String, String)>> {
    let id = std::env::var("OSSD_ROOT_ACCESS_KEY_ID")
        .ok()
        .filter(|s| !s.is_empty());
    let secret = std::env::var("OSSD_ROOT_ACCESS_KEY_SECRET")
        .ok()
        .filter(|s| !s.is_empty());
    match (id, secret) {
        (Some(i), Some(s)) => Ok(Some((i, s))),
        (None, None) => Ok(None),
        _ => bail!("set both OSSD_ROOT_ACCESS_KEY_ID and OSSD_ROOT_ACCESS_KEY_SECRET, or neither"),
    }
}

/// Writes `data` to `path` readable by the owner only, atomically.
fn write_private(path: &Path, data: &[u8]) -> anyhow::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let tmp = path.with_extension("tmp");
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&tmp)?;
    f.write_all(data)?;
    f.sync_all()?;
    fs::rename(&tmp, path)?;
    Ok(())
}

fn random_alnum(n: usize) -> String {
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..n)
        .map(|_| CHARS[rng.random_range(0..CHARS.len())] as char)
        .collect()
}

fn random_digits(n: usize) -> String {
    let mut rng = rand::rng();
    let first = rng.random_range(1..=9u8);
    std::iter::once(char::from(b'0' + first))
        .chain((1..n).map(|_| char::from(b'0' + rng.random_range(0..=9u8))))
        .collect()
}
