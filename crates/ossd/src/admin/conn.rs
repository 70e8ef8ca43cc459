//! Connection settings of `ossd admin` and the object commands: the endpoint, the region of the
//! V4 scope, the credentials and the CA file for HTTPS, from flags and `OSSD_*` variables, the
//! `OSS_*` variables of the Alibaba Cloud tools, the profile file (`crate::profile`),
//! `<data-dir>/identity.json` and the `--dev` defaults, in that order (docs/cli.md#profiles).

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::identity::Identity;
use crate::profile::{self, Profile};

/// Global flags shared by every `ossd admin` command and the object commands. Each setting is
/// taken from its flag or `OSSD_*` variable, else the `OSS_*` variable of the Alibaba Cloud tools,
/// else the profile file, else its default (docs/cli.md#connection-credentials-and-output).
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct ConnArgs {
    /// Server address (http:// or https://; default http://127.0.0.1:9000).
    #[arg(long, env = "OSSD_ENDPOINT", global = true)]
    pub endpoint: Option<String>,
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
    /// Region id in the V4 signing scope (default cn-hangzhou).
    #[arg(long, env = "OSSD_REGION", global = true)]
    pub region: Option<String>,
    /// Profile of the profile file (~/.config/ossd/config.toml) to read settings from
    /// (default: the profile `default`, when there is one).
    #[arg(long, env = "OSSD_PROFILE", global = true)]
    pub profile: Option<String>,
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

/// Where the credentials came from (for hints on an `InvalidAccessKeyId`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CredentialSource {
    /// `--access-key-id`/`--access-key-secret` or `OSSD_ACCESS_KEY_ID`/`OSSD_ACCESS_KEY_SECRET`.
    Flags,
    /// `OSS_ACCESS_KEY_ID`/`OSS_ACCESS_KEY_SECRET`, the variables of the Alibaba Cloud SDKs.
    OssEnv,
    /// A profile of the profile file.
    Profile {
        /// The profile's name.
        name: String,
        /// The file.
        path: PathBuf,
    },
    /// The root key in `<data-dir>/identity.json`.
    IdentityFile,
    /// The documented `--dev` root key, because nothing else named credentials.
    Dev,
}

/// The settings requests are sent with, resolved from every source.
#[derive(Debug, Clone)]
pub(crate) struct Conn {
    /// The endpoint with its scheme, without a trailing `/`.
    pub endpoint: String,
    /// Region id in the V4 scope.
    pub region: String,
    /// The signing credentials.
    pub creds: Credentials,
    /// Where `creds` came from.
    pub source: CredentialSource,
    /// Root certificate files to trust for HTTPS.
    pub ca_files: Vec<PathBuf>,
}

/// The endpoint when no source names one.
const DEFAULT_ENDPOINT: &str = "http://127.0.0.1:9000";
/// The region when no source names one (OSS clients default to it; ossd accepts any).
const DEFAULT_REGION: &str = "cn-hangzhou";

/// The `OSS_*` variables read after the `OSSD_*` ones: the credentials that
/// alibabacloud-oss-v2's `EnvironmentVariableCredentialsProvider` reads, and the region and
/// endpoint that ossutil 2.0 reads
/// (https://www.alibabacloud.com/help/en/oss/developer-reference/ossutil-2-0-new-features).
pub(crate) mod oss_env {
    /// AccessKey id.
    pub(crate) const ACCESS_KEY_ID: &str = "OSS_ACCESS_KEY_ID";
    /// AccessKey secret.
    pub(crate) const ACCESS_KEY_SECRET: &str = "OSS_ACCESS_KEY_SECRET";
    /// STS token.
    pub(crate) const SESSION_TOKEN: &str = "OSS_SESSION_TOKEN";
    /// Endpoint.
    pub(crate) const ENDPOINT: &str = "OSS_ENDPOINT";
    /// Region id.
    pub(crate) const REGION: &str = "OSS_REGION";
}

impl ConnArgs {
    /// Resolves the settings from the flags and `OSSD_*` variables, the `OSS_*` variables, the
    /// profile file, `<data-dir>/identity.json` and, when `dev_fallback`, the `--dev` root key.
    pub(crate) fn resolve(&self, dev_fallback: bool) -> anyhow::Result<Conn> {
        let env = |name: &str| std::env::var(name).ok();
        let profile_path = match profile::path() {
            Ok(path) => Some(path),
            // Without a home there is no profile file; an explicit --profile must fail.
            Err(e) if self.profile.is_some() => return Err(e.into()),
            Err(_) => None,
        };
        self.resolve_with(&env, profile_path.as_deref(), dev_fallback)
    }

    /// [`Self::resolve`] with the environment and the profile file's path given.
    fn resolve_with(
        &self,
        env: &dyn Fn(&str) -> Option<String>,
        profile_path: Option<&Path>,
        dev_fallback: bool,
    ) -> anyhow::Result<Conn> {
        let env = |name: &str| env(name).filter(|v| !v.is_empty());
        let (profile, profile_name) = match profile_path {
            Some(path) => {
                let all = profile::read(path)?;
                let chosen = profile::select(path, &all, self.profile.as_deref())?;
                let name = self
                    .profile
                    .clone()
                    .unwrap_or_else(|| profile::DEFAULT_PROFILE.to_owned());
                (chosen.unwrap_or_default(), (name, path.to_path_buf()))
            }
            None => (
                Profile::default(),
                (profile::DEFAULT_PROFILE.to_owned(), PathBuf::new()),
            ),
        };
        if let Some(version) = &profile.signature_version {
            profile::signature_version(version)?;
        }
        let endpoint = nonempty(self.endpoint.clone())
            .or_else(|| env(oss_env::ENDPOINT))
            .or_else(|| profile.endpoint.clone())
            .unwrap_or_else(|| DEFAULT_ENDPOINT.to_owned());
        let region = nonempty(self.region.clone())
            .or_else(|| env(oss_env::REGION))
            .or_else(|| profile.region.clone())
            .unwrap_or_else(|| DEFAULT_REGION.to_owned());
        let (creds, source) = self.credentials(&env, &profile, profile_name, dev_fallback)?;
        let ca_files = match self.ca_file.clone().or_else(|| profile.ca_file.clone()) {
            Some(path) => vec![path],
            None => {
                let dev = self.data_dir.join("tls").join("dev-cert.pem");
                if dev.is_file() { vec![dev] } else { Vec::new() }
            }
        };
        Ok(Conn {
            endpoint: normalize_endpoint(&endpoint),
            region: scope_region(&region).to_owned(),
            creds,
            source,
            ca_files,
        })
    }

    /// The first source that names credentials: flags or `OSSD_*`, `OSS_*`, the profile,
    /// `<data-dir>/identity.json`, the `--dev` key. A source gives the id and the secret (and
    /// its token, if any) together.
    fn credentials(
        &self,
        env: &dyn Fn(&str) -> Option<String>,
        profile: &Profile,
        (name, path): (String, PathBuf),
        dev_fallback: bool,
    ) -> anyhow::Result<(Credentials, CredentialSource)> {
        let layers = [
            (
                nonempty(self.access_key_id.clone()),
                nonempty(self.access_key_secret.clone().map(|s| s.0)),
                nonempty(self.security_token.clone().map(|s| s.0)),
                CredentialSource::Flags,
                "--access-key-id and --access-key-secret (OSSD_ACCESS_KEY_ID / OSSD_ACCESS_KEY_SECRET)",
            ),
            (
                env(oss_env::ACCESS_KEY_ID),
                env(oss_env::ACCESS_KEY_SECRET),
                env(oss_env::SESSION_TOKEN),
                CredentialSource::OssEnv,
                "OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET",
            ),
            (
                nonempty(profile.access_key_id.clone()),
                nonempty(profile.access_key_secret.clone()),
                nonempty(profile.security_token.clone()),
                CredentialSource::Profile { name, path },
                "access_key_id and access_key_secret in the profile",
            ),
        ];
        for (id, secret, token, source, names) in layers {
            match (id, secret) {
                (Some(access_key_id), Some(secret)) => {
                    let creds = Credentials {
                        access_key_id,
                        secret: Secret(secret),
                        security_token: token.map(Secret),
                    };
                    return Ok((creds, source));
                }
                (None, None) => {}
                _ => bail!("set both {names}, or neither"),
            }
        }
        if dev_fallback && !self.data_dir.join("identity.json").is_file() {
            use ossd_server::emulator::{DEV_ROOT_ACCESS_KEY_ID, DEV_ROOT_ACCESS_KEY_SECRET};
            let dev = Credentials {
                access_key_id: DEV_ROOT_ACCESS_KEY_ID.to_owned(),
                secret: Secret(DEV_ROOT_ACCESS_KEY_SECRET.to_owned()),
                security_token: None,
            };
            return Ok((dev, CredentialSource::Dev));
        }
        let identity = read_identity(&self.data_dir)?;
        let creds = Credentials {
            access_key_id: identity.root_access_key_id,
            secret: Secret(identity.root_access_key_secret),
            security_token: None,
        };
        Ok((creds, CredentialSource::IdentityFile))
    }
}

/// `None` for an empty value.
fn nonempty<T: AsRef<str>>(value: Option<T>) -> Option<T> {
    value.filter(|v| !v.as_ref().is_empty())
}

/// The endpoint without a trailing `/`; without a scheme it is https, as in the SDKs.
fn normalize_endpoint(endpoint: &str) -> String {
    let endpoint = endpoint.trim().trim_end_matches('/');
    match endpoint.contains("://") {
        true => endpoint.to_owned(),
        false => format!("https://{endpoint}"),
    }
}

/// The region id of the V4 scope: ali-oss spells regions `oss-cn-hangzhou`, the scope has
/// `cn-hangzhou` (docs/protocol/signatures.md#v4-header-signature).
fn scope_region(region: &str) -> &str {
    region.strip_prefix("oss-").unwrap_or(region)
}

/// Reads the root credentials written by `ossd serve`.
fn read_identity(dir: &Path) -> anyhow::Result<Identity> {
    let path = dir.join("identity.json");
    let bytes = std::fs::read(&path).with_context(|| {
        format!(
            "no credentials given and cannot read {} (set OSSD_ACCESS_KEY_ID and \
             OSSD_ACCESS_KEY_SECRET, a profile with `ossd config set`, or --data-dir to the \
             server's data directory)",
            path.display()
        )
    })?;
    serde_json::from_slice(&bytes).with_context(|| format!("parsing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::profile::Profiles;

    fn args(dir: &Path) -> ConnArgs {
        ConnArgs {
            endpoint: None,
            access_key_id: None,
            access_key_secret: None,
            security_token: None,
            region: None,
            profile: None,
            data_dir: dir.to_path_buf(),
            ca_file: None,
            json: false,
        }
    }

    /// Resolves `a` against the variables `vars` and the profile file `file`.
    fn resolve(
        a: &ConnArgs,
        vars: &[(&str, &str)],
        file: &Path,
        dev: bool,
    ) -> anyhow::Result<Conn> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        a.resolve_with(&|name| vars.get(name).cloned(), Some(file), dev)
    }

    fn profile(id: &str, endpoint: &str) -> anyhow::Result<Profile> {
        let mut p = Profile::default();
        p.set("access_key_id", Some(id.to_owned()))?;
        p.set("access_key_secret", Some(format!("{id}-secret")))?;
        p.set("endpoint", Some(endpoint.to_owned()))?;
        p.set("region", Some("oss-cn-beijing".to_owned()))?;
        Ok(p)
    }

    #[test]
    fn identity_file_then_dev_key() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let file = dir.path().join("config.toml");
        let a = args(dir.path());
        let conn = resolve(&a, &[], &file, true)?;
        assert_eq!(conn.source, CredentialSource::Dev);
        assert_eq!(conn.endpoint, "http://127.0.0.1:9000");
        assert_eq!(conn.region, "cn-hangzhou");
        assert!(resolve(&a, &[], &file, false).is_err(), "admin: no dev key");
        let body = r#"{"account_id":"1234567890123456","root_access_key_id":"LTAIroot","root_access_key_secret":"s3cret"}"#;
        std::fs::write(dir.path().join("identity.json"), body)?;
        let conn = resolve(&a, &[], &file, true)?;
        assert_eq!(conn.source, CredentialSource::IdentityFile);
        assert_eq!(conn.creds.access_key_id, "LTAIroot");
        assert_eq!(conn.creds.secret.expose(), "s3cret");
        assert!(!format!("{:?}", conn.creds).contains("s3cret"));
        Ok(())
    }

    #[test]
    fn credentials_come_in_pairs() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let file = dir.path().join("config.toml");
        let mut a = args(dir.path());
        a.access_key_id = Some("LTAIuser".to_owned());
        assert!(resolve(&a, &[], &file, true).is_err(), "id without secret");
        a.access_key_secret = Some(Secret("x".to_owned()));
        assert_eq!(
            resolve(&a, &[], &file, true)?.creds.access_key_id,
            "LTAIuser"
        );
        let b = args(dir.path());
        let only_id = [(oss_env::ACCESS_KEY_ID, "LTAIoss")];
        assert!(resolve(&b, &only_id, &file, true).is_err());
        Ok(())
    }

    /// flags and OSSD_* > OSS_* > profile > identity.json / --dev, setting by setting; the
    /// credentials (with their token) come from one source.
    #[test]
    fn precedence() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let file = dir.path().join("config.toml");
        let profiles = Profiles::from([
            ("default".to_owned(), profile("LTAIdefault", "http://d:1/")?),
            ("work".to_owned(), profile("LTAIwork", "w.example")?),
        ]);
        profile::write(&file, &profiles)?;
        let mut a = args(dir.path());
        let conn = resolve(&a, &[], &file, true)?;
        assert_eq!(conn.creds.access_key_id, "LTAIdefault");
        assert_eq!(conn.endpoint, "http://d:1");
        assert_eq!(conn.region, "cn-beijing");
        assert!(
            matches!(conn.source, CredentialSource::Profile { ref name, .. } if name == "default")
        );

        a.profile = Some("work".to_owned());
        let conn = resolve(&a, &[], &file, true)?;
        assert_eq!(conn.creds.access_key_id, "LTAIwork");
        assert_eq!(conn.endpoint, "https://w.example", "no scheme: https");

        let oss = [
            (oss_env::ACCESS_KEY_ID, "LTAIoss"),
            (oss_env::ACCESS_KEY_SECRET, "oss-secret"),
            (oss_env::SESSION_TOKEN, "CAIStoken"),
            (oss_env::ENDPOINT, "http://o:2"),
            (oss_env::REGION, "cn-shanghai"),
        ];
        let conn = resolve(&a, &oss, &file, true)?;
        assert_eq!(conn.creds.access_key_id, "LTAIoss");
        assert_eq!(
            conn.creds.security_token.as_ref().map(Secret::expose),
            Some("CAIStoken")
        );
        assert_eq!(conn.source, CredentialSource::OssEnv);
        assert_eq!(
            (conn.endpoint.as_str(), conn.region.as_str()),
            ("http://o:2", "cn-shanghai")
        );

        a.access_key_id = Some("LTAIflag".to_owned());
        a.access_key_secret = Some(Secret("flag-secret".to_owned()));
        a.endpoint = Some("http://f:3".to_owned());
        a.region = Some("cn-qingdao".to_owned());
        let conn = resolve(&a, &oss, &file, true)?;
        assert_eq!(conn.creds.access_key_id, "LTAIflag");
        assert!(
            conn.creds.security_token.is_none(),
            "no token mixed in from OSS_*"
        );
        assert_eq!(conn.source, CredentialSource::Flags);
        assert_eq!(
            (conn.endpoint.as_str(), conn.region.as_str()),
            ("http://f:3", "cn-qingdao")
        );

        a.profile = Some("home".to_owned());
        assert!(
            resolve(&a, &oss, &file, true).is_err(),
            "a named profile must exist"
        );
        Ok(())
    }

    #[test]
    fn ca_file_and_signature_version_from_the_profile() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let file = dir.path().join("config.toml");
        let mut p = Profile::default();
        p.set("ca_file", Some("/etc/ossd/ca.pem".to_owned()))?;
        p.set("signature_version", Some("v4".to_owned()))?;
        profile::write(&file, &Profiles::from([("default".to_owned(), p)]))?;
        let a = args(dir.path());
        let conn = resolve(&a, &[], &file, true)?;
        assert_eq!(conn.ca_files, vec![PathBuf::from("/etc/ossd/ca.pem")]);
        std::fs::write(&file, "[default]\nsignature_version = \"v1\"\n")?;
        assert!(resolve(&a, &[], &file, true).is_err());
        Ok(())
    }
}
