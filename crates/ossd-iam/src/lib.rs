//! Identity for ossd: accounts, RAM users, AccessKeys (secrets sealed at rest), groups, roles,
//! custom and system policies, attachments; STS session tokens; `resolve()` (credentials → secret
//! + [`Caller`]) and authorization of OSS, RAM and STS requests through `ossd-policy`.
//!
//! All state lives in the metadata store's IAM key-value space (`ossd_meta::MetaStore::iam_*`);
//! the key layout is documented in `store/layout.rs`. Every invariant (unique names, limits,
//! delete conflicts) is enforced by the checks of the same atomic commit that writes, and an
//! action re-runs from its reads when a concurrent change made a check fail.
//!
//! STS tokens are self-contained: `CAIS` + base64 of an AES-256-GCM box of the session claims;
//! the temporary secret is derived from the master key and the temporary AccessKey id, so any
//! node verifies a request without a database read (the role's existence and current policies
//! are still checked, through a cache that every IAM write of this process invalidates).
// A `[dependencies]` entry that the non-test build does not use is an error.
#![cfg_attr(not(test), deny(unused_crate_dependencies))]

mod action;
mod action_error;
mod authorize;
mod cache;
mod caller;
mod codes;
mod denied;
mod error;
mod iam;
mod identity;
mod ids;
mod import;
mod keyfile;
mod keyring;
mod parsed;
mod public_access;
mod ram;
mod resolve;
mod root;
mod session_token;
mod stats;
mod store;
mod sts;
mod token;
mod validate;

pub use action::{RamAction, StsAction};
pub use action_error::{ActionError, Denial, Entity, Problem};
pub use authorize::OssRequest;
pub use caller::Caller;
pub use denied::Denied;
pub use error::IamError;
pub use iam::Iam;
pub use keyring::Keyring;
pub use ram::{
    AccessKey, AccountAlias, Attached, CountedPolicy, Group, GroupName, GroupUpdate, KeyRef,
    Listed, Membership, NewAccessKey, NewGroup, NewPolicy, NewPolicyVersion, NewRole, NewUser,
    Page, PolicyDetail, PolicyDocument, PolicyEntities, PolicyName, PolicyRef, PolicyVersion,
    RamCall, RamNames, RamOutcome, RamPolicy, Role, RoleName, RoleUpdate, STUB_ACTIONS,
    SessionDuration, Simulated, SimulatedBucket, SimulatedPrincipal, Simulation, User, UserName,
    UserUpdate, VersionId, text,
};
pub use resolve::Resolved;
pub use session_token::{
    DEFAULT_SESSION_TOKEN_SECONDS, MAX_ROOT_SESSION_TOKEN_SECONDS, MAX_SESSION_TOKEN_SECONDS,
    MIN_SESSION_TOKEN_SECONDS,
};
pub use stats::IamStats;
pub use store::{KeyStatus, PolicyType, StoreError};
pub use sts::{AssumeRole, IssuedCredentials, StsCall};
pub use token::{TEMP_KEY_PREFIX, TOKEN_PREFIX};
