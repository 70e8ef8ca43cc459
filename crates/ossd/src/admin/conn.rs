//! Connection settings of `ossd admin` and the object commands: the endpoint, the credentials
//! (flags, environment or `<data-dir>/identity.json`) and the CA file for HTTPS.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::identity::Identity;

/// Global flags shared by every `ossd admin` command.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct ConnArgs {
    /// Server address (http:// or https://).
    #[arg(
        long,
        env = "OSSD_ENDPOINT",
        default_value = "http://127.0.0.1:9000",
        global = true
    )]
    pub endpoint: String,
    /// AccessKey id to sign with (default: the root key in <data-dir>/identity.json).
    #[arg(long, env = "OSSD_ACCESS_KEY_ID", global = true)]
    pub access_key_id: Option<String>,
    /// AccessKey secret to sign with.
    #[arg(
        long,
        env = "OSSD_ACCESS_KEY_SECRET",
        hide_env_values = true,
        global = true
    )]
    pub access_key_secret: Option<Secret>,
    /// STS security token, when signing with temporary (`STS.`) credentials.
    #[arg(
        long,
        env = "OSSD_SECURITY_TOKEN",
        hide_env_values = true,
        global = true
    )]
    pub security_token: Option<Secret>,
    /// Data directory of a local server, to read its root credentials from identity.json.
    #[arg(
        long,
        env = "OSSD_DATA_DIR",
        default_value = "ossd-data",
        global = true
    )]
    pub data_dir: PathBuf,
    /// PEM file of the CA (or self-signed certificate) that signs the server's certificate.
    #[arg(long, env = "OSSD_CA_FILE", global = true)]
    pub ca_file: Option<PathBuf>,
    /// JSON output: the raw response (`ossd admin`), or one object per line (object commands).
    #[arg(long, global = true)]
    pub json: bool,
}

/// A secret string whose `Debug` output is redacted.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(String);

impl Secret {
    /// The secret text.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self(s.to_owned()))
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Self(s)
    }
}

/// The credentials requests are signed with.
#[derive(Debug, Clone)]
pub(crate) struct Credentials {
    /// AccessKey id.
    pub access_key_id: String,
    /// AccessKey secret.
    pub secret: Secret,
    /// STS token for temporary credentials.
    pub security_token: Option<Secret>,
}

impl ConnArgs {
    /// The credentials from the flags/environment, else from `<data-dir>/identity.json`.
    pub(crate) fn credentials(&self) -> anyhow::Result<Credentials> {
        let id = self.access_key_id.clone().filter(|s| !s.is_empty());
        let secret = self.access_key_secret.clone().filter(|s| !s.0.is_empty());
        let token = self.security_token.clone().filter(|s| !s.0.is_empty());
        match (id, secret) {
            (Some(access_key_id), Some(secret)) => Ok(Credentials {
                access_key_id,
                secret,
                security_token: token,
            }),
            (None, None) => {
                let identity = read_identity(&self.data_dir)?;
                Ok(Credentials {
                    access_key_id: identity.root_access_key_id,
                    secret: Secret(identity.root_access_key_secret),
                    security_token: None,
                })
            }
            _ => bail!(
                "set both --access-key-id and --access-key-secret \
                 (OSSD_ACCESS_KEY_ID / OSSD_ACCESS_KEY_SECRET), or neither"
            ),
        }
    }

    /// Root certificate files to trust for HTTPS: `--ca-file`, else the development certificate
    /// of `<data-dir>` when present.
    pub(crate) fn ca_files(&self) -> Vec<PathBuf> {
        match &self.ca_file {
            Some(path) => vec![path.clone()],
            None => {
                let dev = self.data_dir.join("tls").join("dev-cert.pem");
                if dev.is_file() { vec![dev] } else { Vec::new() }
            }
        }
    }
}

/// Reads the root credentials written by `ossd serve`.
fn read_identity(dir: &Path) -> anyhow::Result<Identity> {
    let path = dir.join("identity.json");
    let bytes = std::fs::read(&path).with_context(|| {
        format!(
            "no credentials given and cannot read {} (set OSSD_ACCESS_KEY_ID and \
             OSSD_ACCESS_KEY_SECRET, or --data-dir to the server's data directory)",
            path.display()
        )
    })?;
    serde_json::from_slice(&bytes).with_context(|| format!("parsing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(dir: &Path) -> ConnArgs {
        ConnArgs {
            endpoint: "http://127.0.0.1:9000".to_owned(),
            access_key_id: None,
            access_key_secret: None,
            security_token: None,
            data_dir: dir.to_path_buf(),
            ca_file: None,
            json: false,
        }
    }

    #[test]
    fn identity_file_is_the_default() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let body = r#"{"account_id":"1234567890123456","root_access_key_id":"LTAIroot","root_access_key_secret":"s3cret"}"#;
        std::fs::write(dir.path().join("identity.json"), body)?;
        let creds = args(dir.path()).credentials()?;
        assert_eq!(creds.access_key_id, "LTAIroot");
        assert_eq!(creds.secret.expose(), "s3cret");
        assert!(!format!("{creds:?}").contains("s3cret"));
        Ok(())
    }

    #[test]
    fn flags_win_and_must_come_in_pairs() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let mut a = args(dir.path());
        assert!(a.credentials().is_err(), "no identity file");
        a.access_key_id = Some("LTAIuser".to_owned());
        assert!(a.credentials().is_err(), "id without secret");
        a.access_key_secret = Some(Secret("x".to_owned()));
        assert_eq!(a.credentials()?.access_key_id, "LTAIuser");
        Ok(())
    }
}
