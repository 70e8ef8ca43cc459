//! `--seed seed.toml`: the declarative initial state of an emulator (format in
//! docs/emulator.md, example in examples/seed.toml). [`Seed::load`] reads and checks the file
//! and the object files it names (kept in memory, so a reset restores the same bytes even if
//! the files change); [`Seed::apply`] creates everything through the real store and RAM code.

use std::path::{Path, PathBuf};

use bytes::Bytes;
use ossd_iam::{
    ActionError, Entity, GroupName, Iam, NewGroup, NewPolicy, NewRole, NewUser, PolicyDocument,
    PolicyName, PolicyRef, PolicyType, RamCall, RoleName, SessionDuration, UserName, text,
};
use ossd_meta::BucketRecord;
use ossd_store::{Store, WriteSpec};
use ossd_types::{BucketAcl, BucketName, ObjectAcl, ObjectKey, StorageClass, VersioningState};
use serde::Deserialize;

use super::dev::trust_account_policy;
use super::ram::{Holder, RootRam};
use crate::BucketDefaults;

/// The seed file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seed {
    /// Buckets, created first.
    #[serde(default)]
    pub buckets: Vec<SeedBucket>,
    /// Custom policies, created before the identities that use them.
    #[serde(default)]
    pub policies: Vec<SeedPolicy>,
    /// Groups.
    #[serde(default)]
    pub groups: Vec<SeedGroup>,
    /// RAM users.
    #[serde(default)]
    pub users: Vec<SeedUser>,
    /// Roles.
    #[serde(default)]
    pub roles: Vec<SeedRole>,
    /// Objects, written last.
    #[serde(default)]
    pub objects: Vec<SeedObject>,
}

/// A bucket.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedBucket {
    /// Bucket name.
    pub name: String,
    /// `private` (default), `public-read` or `public-read-write`.
    #[serde(default)]
    pub acl: Option<String>,
    /// `Enabled` or `Suspended`; absent: never enabled.
    #[serde(default)]
    pub versioning: Option<String>,
    /// `Standard` (default), `IA`, `Archive`, `ColdArchive`, ...
    #[serde(default)]
    pub storage_class: Option<String>,
}

impl SeedBucket {
    /// A private, standard, unversioned bucket named `name`.
    pub fn private(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            acl: None,
            versioning: None,
            storage_class: None,
        }
    }
}

/// A custom policy.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedPolicy {
    /// PolicyName.
    pub name: String,
    /// The policy document (JSON text).
    pub document: String,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
}

/// A group.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedGroup {
    /// GroupName.
    pub name: String,
    /// Attached policies: names of the seed's custom policies or of system policies.
    #[serde(default)]
    pub policies: Vec<String>,
}

/// A RAM user.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedUser {
    /// UserName.
    pub name: String,
    /// DisplayName.
    #[serde(default)]
    pub display_name: Option<String>,
    /// AccessKeys with fixed ids and secrets (at most 2).
    #[serde(default)]
    pub keys: Vec<SeedKey>,
    /// Attached policies (custom names from this seed, else system policies).
    #[serde(default)]
    pub policies: Vec<String>,
    /// Groups the user joins.
    #[serde(default)]
    pub groups: Vec<String>,
}

/// An AccessKey pair.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedKey {
    /// AccessKeyId.
    pub id: String,
    /// AccessKeySecret.
    pub secret: String,
}

impl std::fmt::Debug for SeedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SeedKey")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// A role.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedRole {
    /// RoleName.
    pub name: String,
    /// The trust policy (JSON text); or set `trust_account`.
    #[serde(default)]
    pub trust_policy: Option<String>,
    /// Trust every identity of this account (the console's "current account" trust).
    #[serde(default)]
    pub trust_account: bool,
    /// MaxSessionDuration in seconds (3600 to 43200).
    #[serde(default)]
    pub max_session_duration: Option<u32>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Attached policies.
    #[serde(default)]
    pub policies: Vec<String>,
}

/// An object.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedObject {
    /// Bucket (declared in the seed or created otherwise before).
    pub bucket: String,
    /// Object key.
    pub key: String,
    /// A local file, relative to the seed file.
    #[serde(default)]
    pub path: Option<PathBuf>,
    /// Inline UTF-8 content.
    #[serde(default)]
    pub content: Option<String>,
    /// Content-Type.
    #[serde(default)]
    pub content_type: Option<String>,
    /// The bytes, read at load time.
    #[serde(skip)]
    pub data: Bytes,
}

/// Why a seed file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// The file (or an object file it names) cannot be read.
    #[error("reading {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Not valid TOML of the seed format.
    #[error("parsing {path}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// The parser's message.
        message: String,
    },
    /// A declared value is invalid.
    #[error("seed: {0}")]
    Invalid(String),
    /// The store refused something.
    #[error("seed: {what}: {code}: {message}")]
    Refused {
        /// What was being created.
        what: String,
        /// The error code.
        code: String,
        /// The error message.
        message: String,
    },
}

impl SeedError {
    fn rpc(what: impl Into<String>, e: ActionError) -> Self {
        let (code, message) = super::ram::code_and_message(&e);
        Self::Refused {
            what: what.into(),
            code,
            message,
        }
    }

    fn store(what: impl Into<String>, e: impl std::fmt::Display) -> Self {
        Self::Refused {
            what: what.into(),
            code: "InternalError".to_owned(),
            message: e.to_string(),
        }
    }
}

impl Seed {
    /// Reads and checks `path`; object paths are relative to its directory.
    pub fn load(path: &Path) -> Result<Self, SeedError> {
        let read = |p: &Path| {
            std::fs::read(p).map_err(|source| SeedError::Read {
                path: p.to_path_buf(),
                source,
            })
        };
        let text = String::from_utf8(read(path)?).map_err(|_| SeedError::Parse {
            path: path.to_path_buf(),
            message: "not UTF-8".to_owned(),
        })?;
        let mut seed: Seed = toml::from_str(&text).map_err(|e| SeedError::Parse {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        for o in &mut seed.objects {
            o.data = match (&o.path, &o.content) {
                (Some(p), None) => Bytes::from(read(&base.join(p))?),
                (None, Some(c)) => Bytes::from(c.clone().into_bytes()),
                _ => {
                    return Err(SeedError::Invalid(format!(
                        "object {}/{}: give exactly one of `path` and `content`",
                        o.bucket, o.key
                    )));
                }
            };
        }
        seed.check()?;
        Ok(seed)
    }

    /// Checks names and enumerations before anything is applied.
    fn check(&self) -> Result<(), SeedError> {
        let invalid = |m: String| Err(SeedError::Invalid(m));
        for b in &self.buckets {
            if BucketName::new(&b.name).is_err() {
                return invalid(format!("invalid bucket name {:?}", b.name));
            }
            bucket_settings(b)?;
        }
        for o in &self.objects {
            if ObjectKey::new(&o.key).is_err() {
                return invalid(format!("invalid object key {:?}", o.key));
            }
        }
        for r in &self.roles {
            if r.trust_account == r.trust_policy.is_some() {
                return invalid(format!(
                    "role {}: give exactly one of `trust_policy` and `trust_account = true`",
                    r.name
                ));
            }
        }
        Ok(())
    }

    /// Creates everything declared: buckets, policies, groups, users (keys, policies, groups),
    /// roles, objects. Runs on an empty server (start, or after a reset); an entity that already
    /// exists (a restart with a data directory) is kept as it is. Buckets get the server's
    /// `defaults` (docs/emulator.md).
    pub async fn apply(
        &self,
        store: &Store,
        iam: &Iam,
        region: &str,
        now: time::OffsetDateTime,
        defaults: BucketDefaults,
    ) -> Result<(), SeedError> {
        let now_ms = now.unix_timestamp().saturating_mul(1000);
        for b in &self.buckets {
            create_bucket(store, iam.account_id(), region, b, now_ms, defaults).await?;
        }
        let ram = RootRam::new(iam, now);
        self.apply_ram(&ram, iam).await?;
        for o in &self.objects {
            put_object(store, o, now_ms).await?;
        }
        Ok(())
    }

    async fn apply_ram(&self, ram: &RootRam<'_>, iam: &Iam) -> Result<(), SeedError> {
        for p in &self.policies {
            let what = || format!("policy {}", p.name);
            let new = new_policy(p).map_err(|e| SeedError::rpc(what(), e))?;
            ram.call_tolerating(&RamCall::CreatePolicy(new), Entity::Policy)
                .await
                .map_err(|e| SeedError::rpc(what(), e))?;
        }
        for g in &self.groups {
            let what = || format!("group {}", g.name);
            let group_name =
                GroupName::new("GroupName", &g.name).map_err(|e| SeedError::rpc(what(), e))?;
            let new = NewGroup {
                group_name,
                comments: None,
            };
            ram.call_tolerating(&RamCall::CreateGroup(new), Entity::Group)
                .await
                .map_err(|e| SeedError::rpc(what(), e))?;
            self.attach(ram, Holder::Group, &g.name, &g.policies)
                .await?;
        }
        for u in &self.users {
            let what = || format!("user {}", u.name);
            let new = new_user(u).map_err(|e| SeedError::rpc(what(), e))?;
            ram.call_tolerating(&RamCall::CreateUser(new), Entity::User)
                .await
                .map_err(|e| SeedError::rpc(what(), e))?;
            for k in &u.keys {
                iam.ensure_user_key(&u.name, &k.id, &k.secret)
                    .await
                    .map_err(|e| SeedError::rpc(format!("key {} of {}", k.id, u.name), e))?;
            }
            self.attach(ram, Holder::User, &u.name, &u.policies).await?;
            for g in &u.groups {
                let member = || -> Result<RamCall, ActionError> {
                    Ok(RamCall::AddUserToGroup {
                        user_name: UserName::new("UserName", &u.name)?,
                        group_name: GroupName::new("GroupName", g)?,
                    })
                };
                let call = member().map_err(|e| SeedError::rpc(what(), e))?;
                ram.call_tolerating(&call, Entity::UserGroup)
                    .await
                    .map_err(|e| SeedError::rpc(what(), e))?;
            }
        }
        for r in &self.roles {
            let what = || format!("role {}", r.name);
            let new = new_role(r, iam.account_id()).map_err(|e| SeedError::rpc(what(), e))?;
            ram.call_tolerating(&RamCall::CreateRole(new), Entity::Role)
                .await
                .map_err(|e| SeedError::rpc(what(), e))?;
            self.attach(ram, Holder::Role, &r.name, &r.policies).await?;
        }
        Ok(())
    }

    /// Attaches `policies` to the `kind` (User, Group, Role) `name`: names of this seed's
    /// custom policies are Custom, others System.
    async fn attach(
        &self,
        ram: &RootRam<'_>,
        holder: Holder,
        name: &str,
        policies: &[String],
    ) -> Result<(), SeedError> {
        let kind = holder.word();
        for policy in policies {
            let what = || format!("{kind} {name}: policy {policy}");
            let custom = self.policies.iter().any(|p| &p.name == policy);
            let policy_type = if custom {
                PolicyType::Custom
            } else {
                PolicyType::System
            };
            let attach = || -> Result<RamCall, ActionError> {
                let policy = PolicyRef {
                    name: PolicyName::new("PolicyName", policy)?,
                    policy_type,
                };
                holder.attach(policy, name)
            };
            let call = attach().map_err(|e| SeedError::rpc(what(), e))?;
            ram.call_tolerating(&call, holder.attached())
                .await
                .map_err(|e| SeedError::rpc(what(), e))?;
        }
        Ok(())
    }
}

/// `value`, or 400 `Missing{param}` when empty.
fn required<'a>(param: &str, value: &'a str) -> Result<&'a str, ActionError> {
    if value.is_empty() {
        return Err(ActionError::Missing {
            param: param.to_owned(),
        });
    }
    Ok(value)
}

/// A non-empty optional `value` checked by `check` as `param`.
fn optional(
    param: &str,
    value: Option<&String>,
    check: fn(&str, &str) -> Result<String, ActionError>,
) -> Result<Option<String>, ActionError> {
    let value = value.filter(|v| !v.is_empty());
    value.map(|v| check(param, v)).transpose()
}

/// The CreatePolicy call of a declared policy.
fn new_policy(p: &SeedPolicy) -> Result<NewPolicy, ActionError> {
    Ok(NewPolicy {
        policy_name: PolicyName::new("PolicyName", &p.name)?,
        document: PolicyDocument::identity(required("PolicyDocument", &p.document)?)?,
        description: optional("Description", p.description.as_ref(), text::description)?,
    })
}

/// The CreateUser call of a declared user.
fn new_user(u: &SeedUser) -> Result<NewUser, ActionError> {
    let mut new = NewUser::named(UserName::new("UserName", &u.name)?);
    new.display_name = optional("DisplayName", u.display_name.as_ref(), text::display_name)?;
    Ok(new)
}

/// The CreateRole call of a declared role (trusting `account` unless it has a trust policy).
fn new_role(r: &SeedRole, account: &str) -> Result<NewRole, ActionError> {
    let role_name = RoleName::new("RoleName", &r.name)?;
    let trust = match &r.trust_policy {
        Some(t) => t.clone(),
        None => trust_account_policy(account),
    };
    let trust_policy = PolicyDocument::trust(required("AssumeRolePolicyDocument", &trust)?)?;
    let description = optional("Description", r.description.as_ref(), text::description)?;
    let max_session_duration = r
        .max_session_duration
        .map(|d| SessionDuration::new("MaxSessionDuration", d.into()))
        .transpose()?;
    Ok(NewRole {
        role_name,
        trust_policy,
        description,
        max_session_duration,
        allow_console_login: None,
    })
}

/// The ACL, storage class and versioning of a declared bucket.
fn bucket_settings(
    b: &SeedBucket,
) -> Result<(BucketAcl, StorageClass, VersioningState), SeedError> {
    let bad = |what: &str, v: &str| {
        SeedError::Invalid(format!("bucket {}: invalid {what} {v:?}", b.name))
    };
    let acl = match &b.acl {
        Some(a) => BucketAcl::parse(a).map_err(|_| bad("acl", a))?,
        None => BucketAcl::Private,
    };
    let class = match &b.storage_class {
        Some(c) => StorageClass::parse(c).map_err(|_| bad("storage_class", c))?,
        None => StorageClass::Standard,
    };
    let versioning = match b.versioning.as_deref() {
        None => VersioningState::Disabled,
        Some("Enabled") => VersioningState::Enabled,
        Some("Suspended") => VersioningState::Suspended,
        Some(v) => return Err(bad("versioning (Enabled or Suspended)", v)),
    };
    Ok((acl, class, versioning))
}

/// Creates the bucket `b` unless a bucket of that name exists.
pub(super) async fn create_bucket(
    store: &Store,
    account: &str,
    region: &str,
    b: &SeedBucket,
    now_ms: i64,
    defaults: BucketDefaults,
) -> Result<(), SeedError> {
    let (acl, storage_class, versioning) = bucket_settings(b)?;
    let record = BucketRecord {
        name: b.name.clone(),
        owner: account.to_owned(),
        created_ms: now_ms,
        acl,
        storage_class,
        region: region.to_owned(),
        versioning,
    };
    let configs = crate::handlers::new_bucket::emulator_configs(defaults, acl);
    // `false`: it exists already (a restart on the same data directory).
    store
        .buckets()
        .create_with(record, configs)
        .await
        .map(|_| ())
        .map_err(|e| SeedError::store(format!("bucket {}", b.name), e))
}

/// Writes a declared object, unless its current version already has these bytes (a restart on
/// a data directory must not add a version each time).
async fn put_object(store: &Store, o: &SeedObject, now_ms: i64) -> Result<(), SeedError> {
    let what = || format!("object {}/{}", o.bucket, o.key);
    let etag = hex::encode_upper(ossd_blob::Checksums::of(&o.data).md5);
    let current = store
        .object_meta(&o.bucket, &o.key, None)
        .await
        .map_err(|e| SeedError::store(what(), e))?;
    if current.is_some_and(|r| !r.delete_marker && r.etag == etag) {
        return Ok(());
    }
    let headers = o
        .content_type
        .iter()
        .map(|t| ("content-type".to_owned(), t.clone()))
        .collect();
    let spec = WriteSpec {
        bucket: o.bucket.clone(),
        key: o.key.clone(),
        headers,
        user_meta: Vec::new(),
        tags: Vec::new(),
        acl: ObjectAcl::Default,
        storage_class: StorageClass::Standard,
        content_md5: None,
        forbid_overwrite: false,
        etag_condition: Default::default(),
        content_length: Some(o.data.len() as u64),
        checksum: Default::default(),
    };
    let body = futures_util::stream::iter([Ok::<_, std::io::Error>(o.data.clone())]);
    store
        .put_object(spec, Box::pin(body), now_ms)
        .await
        .map(drop)
        .map_err(|e| SeedError::store(what(), e))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn loads_objects_from_paths_relative_to_the_seed_and_inline() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("files")).unwrap();
        write(&dir.path().join("files"), "a.bin", "file bytes");
        let seed = write(
            dir.path(),
            "seed.toml",
            r#"
            [[buckets]]
            name = "bk1"
            acl = "public-read"
            versioning = "Enabled"
            [[objects]]
            bucket = "bk1"
            key = "a"
            path = "files/a.bin"
            [[objects]]
            bucket = "bk1"
            key = "b"
            content = "inline"
            [[roles]]
            name = "r"
            trust_account = true
            "#,
        );
        let s = Seed::load(&seed).unwrap();
        assert_eq!(&s.objects[0].data[..], b"file bytes");
        assert_eq!(&s.objects[1].data[..], b"inline");
        let (acl, class, versioning) = bucket_settings(&s.buckets[0]).unwrap();
        assert_eq!(acl, BucketAcl::PublicRead);
        assert_eq!(class, StorageClass::Standard);
        assert_eq!(versioning, VersioningState::Enabled);
    }

    #[test]
    fn refuses_bad_declarations_with_the_reason() {
        let dir = tempfile::tempdir().unwrap();
        let cases = [
            ("[[buckets]]\nname = \"Bad_Name\"\n", "invalid bucket name"),
            (
                "[[buckets]]\nname = \"okb\"\nacl = \"open\"\n",
                "invalid acl",
            ),
            (
                "[[buckets]]\nname = \"okb\"\nversioning = \"On\"\n",
                "invalid versioning",
            ),
            ("[[buket]]\nname = \"okb\"\n", "unknown field"),
            (
                "[[objects]]\nbucket = \"b\"\nkey = \"k\"\n",
                "exactly one of `path` and `content`",
            ),
            (
                "[[objects]]\nbucket = \"b\"\nkey = \"k\"\npath = \"nope.bin\"\n",
                "nope.bin",
            ),
            ("[[roles]]\nname = \"r\"\n", "exactly one of `trust_policy`"),
        ];
        for (text, expected) in cases {
            let path = write(dir.path(), "seed.toml", text);
            let err = Seed::load(&path).unwrap_err().to_string();
            assert!(err.contains(expected), "{text:?}: {err}");
        }
    }

    #[test]
    fn key_secrets_stay_out_of_debug_output() {
        let key = SeedKey {
            id: "LTAI5tExample".to_owned(),
            secret: "s3cr3t-value".to_owned(),
        };
        let shown = format!("{key:?}");
        assert!(shown.contains("LTAI5tExample") && !shown.contains("s3cr3t-value"));
    }
}
