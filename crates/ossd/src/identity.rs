//! The account and its root AccessKey: created at first start (or taken from `OSSD_ACCOUNT_ID`,
//! `OSSD_ROOT_ACCESS_KEY_ID` / `OSSD_ROOT_ACCESS_KEY_SECRET`) and kept in `<data-dir>/identity.json`
//! with owner-only permissions. With `--memory` it is only in memory; with `--dev` it is the
//! documented development account and root key.

use std::{fs, io::Write, path::Path};

use anyhow::{Context, bail};
use rand::Rng;
use serde::{Deserialize, Serialize};

/// The account and its root credentials.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct Identity {
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
pub(crate) struct Loaded {
    /// The identity.
    pub identity: Identity,
    /// Created now.
    pub created: bool,
    /// The root secret came from `OSSD_ROOT_ACCESS_KEY_SECRET`: the operator has it, so it is
    /// not printed.
    pub secret_from_env: bool,
}

const FILE: &str = "identity.json";

impl Identity {
    /// The documented development identity of `--dev`.
    pub(crate) fn dev() -> Self {
        use ossd_server::emulator::{
            DEV_ACCOUNT_ID, DEV_ROOT_ACCESS_KEY_ID, DEV_ROOT_ACCESS_KEY_SECRET,
        };
        Self {
            account_id: DEV_ACCOUNT_ID.to_owned(),
            root_access_key_id: DEV_ROOT_ACCESS_KEY_ID.to_owned(),
            root_access_key_secret: DEV_ROOT_ACCESS_KEY_SECRET.to_owned(),
        }
    }

    /// A new random account and root key.
    fn generate() -> Self {
        Self {
            account_id: random_digits(16),
            root_access_key_id: format!("LTAI{}", random_alnum(20)),
            root_access_key_secret: random_alnum(30),
        }
    }
}

/// The identity of a `--memory` server: the dev identity, or a new random one with the
/// environment's root key if set. Nothing is written.
pub(crate) fn in_memory(dev: bool) -> anyhow::Result<Loaded> {
    let mut identity = if dev {
        warn_env_ignored()?;
        Identity::dev()
    } else {
        Identity::generate()
    };
    let mut secret_from_env = false;
    if !dev && let Some((id, secret)) = env_keys()? {
        identity.root_access_key_id = id;
        identity.root_access_key_secret = secret;
        secret_from_env = true;
    }
    Ok(Loaded {
        identity,
        created: true,
        secret_from_env,
    })
}

/// With `--dev` the root key is the documented one; a configured one is ignored, loudly.
fn warn_env_ignored() -> anyhow::Result<()> {
    if env_keys()?.is_some() {
        tracing::warn!(
            "--dev uses the documented development root AccessKey; OSSD_ROOT_ACCESS_KEY_ID / \
             OSSD_ROOT_ACCESS_KEY_SECRET are ignored"
        );
    }
    Ok(())
}

/// Loads the identity from `dir`, creating it on first start; environment keys take precedence.
/// With `dev`, the identity is the development one: created so on first start, and a data
/// directory made by a non-dev server (another account) is refused.
pub(crate) fn load_or_create(dir: &Path, dev: bool) -> anyhow::Result<Loaded> {
    let path = dir.join(FILE);
    let existing: Option<Identity> = match fs::read(&path) {
        Ok(bytes) => Some(
            serde_json::from_slice(&bytes)
                .with_context(|| format!("parsing {}", path.display()))?,
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    let created = existing.is_none();
    let mut secret_from_env = false;
    let (mut identity, from_env) = if dev {
        warn_env_ignored()?;
        let dev_id = Identity::dev();
        if let Some(found) = &existing
            && found.account_id != dev_id.account_id
        {
            bail!(
                "{} belongs to account {} (created without --dev); use another --data-dir for --dev",
                dir.display(),
                found.account_id
            );
        }
        let keys = (
            dev_id.root_access_key_id.clone(),
            dev_id.root_access_key_secret.clone(),
        );
        (existing.unwrap_or(dev_id), Some(keys))
    } else {
        let keys = env_keys()?;
        secret_from_env = keys.is_some();
        let account = env_account()?;
        let identity = match (existing, account) {
            (Some(found), Some(account)) if found.account_id != account => bail!(
                "{} belongs to account {}, but OSSD_ACCOUNT_ID is {account}",
                dir.display(),
                found.account_id
            ),
            (Some(found), _) => found,
            (None, account) => {
                let mut new = Identity::generate();
                if let Some(account) = account {
                    new.account_id = account;
                }
                new
            }
        };
        (identity, keys)
    };
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
    Ok(Loaded {
        identity,
        created,
        secret_from_env,
    })
}

/// `OSSD_ACCOUNT_ID`: the account id a new data directory gets, so that every node of a cluster
/// (docs/scale-out.md) is the same account; 1 to 20 digits.
fn env_account() -> anyhow::Result<Option<String>> {
    match std::env::var("OSSD_ACCOUNT_ID")
        .ok()
        .filter(|s| !s.is_empty())
    {
        None => Ok(None),
        Some(id) if (1..=20).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_digit()) => {
            Ok(Some(id))
        }
        Some(_) => bail!("OSSD_ACCOUNT_ID must be 1 to 20 digits"),
    }
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
