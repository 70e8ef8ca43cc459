//! The client profile file of `ossd admin` and the object commands (docs/cli.md#profiles):
//! `$XDG_CONFIG_HOME/ossd/config.toml` (else `~/.config/ossd/config.toml`), one TOML table per
//! profile with the connection settings. It holds secrets, so it is read only when no one but
//! its owner can read it (mode 0600, as ssh asks of a private key), and written that way.

pub(crate) mod command;

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The profile used when neither `--profile` nor `OSSD_PROFILE` names one.
pub(crate) const DEFAULT_PROFILE: &str = "default";

/// The settings of one profile; every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Profile {
    /// Server address (`http://…`, `https://…`; without a scheme, https).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// AccessKey id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_key_id: Option<String>,
    /// AccessKey secret.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_key_secret: Option<String>,
    /// STS token of temporary credentials.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security_token: Option<String>,
    /// Region id in the V4 signing scope (`cn-hangzhou`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Signature version; only `v4` is supported.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature_version: Option<String>,
    /// PEM file of the CA that signs the server's certificate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<PathBuf>,
}

/// The settings a profile can hold, by their name in the file and in `ossd config set`.
pub(crate) const KEYS: [&str; 7] = [
    "endpoint",
    "access_key_id",
    "access_key_secret",
    "security_token",
    "region",
    "signature_version",
    "ca_file",
];

/// Settings whose values `ossd config list` does not print.
const SECRET_KEYS: [&str; 2] = ["access_key_secret", "security_token"];

/// Why the profile file cannot be used.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ProfileError {
    /// Neither `XDG_CONFIG_HOME` nor `HOME` is set.
    #[error("cannot find the profile file: neither XDG_CONFIG_HOME nor HOME is set")]
    NoHome,
    /// The file could not be read or written.
    #[error("{action} {path}")]
    Io {
        /// What was being done.
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The file can be read by other users.
    #[error(
        "{path} holds secrets but is readable by others (mode {mode:04o}); \
         run: chmod 600 {path}"
    )]
    Unprotected {
        /// The file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// The file is not valid TOML, or a profile has an unknown setting.
    #[error("parsing {path}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: Box<toml::de::Error>,
    },
    /// `--profile` / `OSSD_PROFILE` names a profile the file does not have.
    #[error(
        "no profile {name:?} in {path} (add one with: ossd config set --profile {name} endpoint URL)"
    )]
    Missing {
        /// The profile asked for.
        name: String,
        /// The file.
        path: PathBuf,
    },
    /// `ossd config set/unset` with a name that is not a setting.
    #[error("unknown setting {0:?}; the settings are: {list}", list = KEYS.join(", "))]
    UnknownKey(String),
    /// A value a setting does not accept.
    #[error("{key}: {reason}")]
    BadValue {
        /// The setting.
        key: &'static str,
        /// What is wrong.
        reason: String,
    },
}

/// The profiles of the file, by name (sorted).
pub(crate) type Profiles = std::collections::BTreeMap<String, Profile>;

/// The path of the profile file: `$XDG_CONFIG_HOME/ossd/config.toml`, else
/// `$HOME/.config/ossd/config.toml` (the XDG Base Directory default).
pub(crate) fn path() -> Result<PathBuf, ProfileError> {
    let var = |name| std::env::var_os(name).filter(|v| !v.is_empty());
    let base = match var("XDG_CONFIG_HOME") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(var("HOME").ok_or(ProfileError::NoHome)?).join(".config"),
    };
    Ok(base.join("ossd").join("config.toml"))
}

/// Reads every profile of the file at `path`; a missing file has none. Refuses a file that
/// others can read.
pub(crate) fn read(path: &Path) -> Result<Profiles, ProfileError> {
    let io = |action| {
        move |source| ProfileError::Io {
            action,
            path: path.to_path_buf(),
            source,
        }
    };
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Profiles::new()),
        Err(e) => return Err(io("reading")(e)),
    };
    check_mode(path)?;
    toml::from_str(&text).map_err(|e| ProfileError::Parse {
        path: path.to_path_buf(),
        source: Box::new(e),
    })
}

/// The profile `name` asked for explicitly (`--profile`, `OSSD_PROFILE`: it must exist), or
/// the `default` profile when there is one.
pub(crate) fn select(
    path: &Path,
    profiles: &Profiles,
    name: Option<&str>,
) -> Result<Option<Profile>, ProfileError> {
    match name {
        Some(name) => profiles
            .get(name)
            .cloned()
            .map(Some)
            .ok_or_else(|| ProfileError::Missing {
                name: name.to_owned(),
                path: path.to_path_buf(),
            }),
        None => Ok(profiles.get(DEFAULT_PROFILE).cloned()),
    }
}

/// Refuses a file whose group or other permission bits are set.
#[cfg(unix)]
fn check_mode(path: &Path) -> Result<(), ProfileError> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(path).map_err(|source| ProfileError::Io {
        action: "reading",
        path: path.to_path_buf(),
        source,
    })?;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(ProfileError::Unprotected {
            path: path.to_path_buf(),
            mode,
        });
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_mode(_path: &Path) -> Result<(), ProfileError> {
    Ok(())
}

/// Writes `profiles` to `path` with mode 0600 (its directory created with mode 0700): a new
/// file next to it, then renamed over it.
pub(crate) fn write(path: &Path, profiles: &Profiles) -> Result<(), ProfileError> {
    let io = |action, at: &Path| {
        let at = at.to_path_buf();
        move |source| ProfileError::Io {
            action,
            path: at,
            source,
        }
    };
    let text = toml::to_string(profiles).map_err(|e| ProfileError::BadValue {
        key: "profile",
        reason: e.to_string(),
    })?;
    let dir = path.parent().unwrap_or(Path::new("."));
    create_private_dir(dir).map_err(io("creating", dir))?;
    let tmp = dir.join(format!(".config.toml.{}.tmp", std::process::id()));
    let written = private_file(&tmp)
        .and_then(|mut f| f.write_all(text.as_bytes()).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written.map_err(io("writing", path))
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

#[cfg(unix)]
fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

impl Profile {
    /// Sets (`Some`) or removes (`None`) the setting `key`, checking the value.
    pub(crate) fn set(&mut self, key: &str, value: Option<String>) -> Result<(), ProfileError> {
        let value = value.filter(|v| !v.is_empty());
        match key {
            "endpoint" => self.endpoint = value,
            "access_key_id" => self.access_key_id = value,
            "access_key_secret" => self.access_key_secret = value,
            "security_token" => self.security_token = value,
            "region" => self.region = value,
            "signature_version" => {
                self.signature_version = value
                    .map(|v| signature_version(&v).map(str::to_owned))
                    .transpose()?;
            }
            "ca_file" => self.ca_file = value.map(PathBuf::from),
            other => return Err(ProfileError::UnknownKey(other.to_owned())),
        }
        Ok(())
    }

    /// The settings that are set, as `(key, value)`, secrets replaced by `****`.
    pub(crate) fn entries(&self) -> Vec<(&'static str, String)> {
        let values = [
            self.endpoint.clone(),
            self.access_key_id.clone(),
            self.access_key_secret.clone(),
            self.security_token.clone(),
            self.region.clone(),
            self.signature_version.clone(),
            self.ca_file.as_ref().map(|p| p.display().to_string()),
        ];
        KEYS.iter()
            .zip(values)
            .filter_map(|(key, value)| {
                let value = value?;
                match SECRET_KEYS.contains(key) {
                    true => Some((*key, "****".to_owned())),
                    false => Some((*key, value)),
                }
            })
            .collect()
    }
}

/// Checks a signature version: the CLI signs with V4 only (`v4`, `4` or `OSS4-HMAC-SHA256`).
pub(crate) fn signature_version(value: &str) -> Result<&'static str, ProfileError> {
    match value.to_ascii_lowercase().as_str() {
        "v4" | "4" | "oss4-hmac-sha256" => Ok("v4"),
        other => Err(ProfileError::BadValue {
            key: "signature_version",
            reason: format!("{other:?} is not supported; the ossd CLI signs with v4"),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_with_private_mode() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let file = dir.path().join("ossd").join("config.toml");
        assert!(read(&file)?.is_empty(), "a missing file has no profiles");
        let mut p = Profile::default();
        p.set("endpoint", Some("http://h:1".to_owned()))?;
        p.set("access_key_secret", Some("s3cret".to_owned()))?;
        p.set("signature_version", Some("V4".to_owned()))?;
        assert!(p.set("signature_version", Some("v1".to_owned())).is_err());
        assert!(p.set("bogus", None).is_err());
        let profiles = Profiles::from([("work".to_owned(), p.clone())]);
        write(&file, &profiles)?;
        assert_eq!(read(&file)?, profiles);
        assert_eq!(select(&file, &profiles, Some("work"))?, Some(p.clone()));
        assert_eq!(select(&file, &profiles, None)?, None, "no default profile");
        assert!(select(&file, &profiles, Some("home")).is_err());
        assert_eq!(
            p.entries(),
            vec![
                ("endpoint", "http://h:1".to_owned()),
                ("access_key_secret", "****".to_owned()),
                ("signature_version", "v4".to_owned()),
            ]
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&file)?.permissions().mode() & 0o777,
                0o600
            );
            let parent = file.parent().unwrap_or(dir.path());
            assert_eq!(
                std::fs::metadata(parent)?.permissions().mode() & 0o777,
                0o700
            );
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644))?;
            let err = read(&file).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(err.contains("chmod 600"), "{err}");
        }
        Ok(())
    }

    #[test]
    fn unknown_settings_are_refused() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let file = dir.path().join("config.toml");
        write(&file, &Profiles::new())?;
        std::fs::write(&file, "[default]\nendpiont = \"http://h\"\n")?;
        assert!(matches!(read(&file), Err(ProfileError::Parse { .. })));
        Ok(())
    }
}
