//! `ossd serve --dev`: well-known development credentials, documented in docs/emulator.md. They
//! are public, so `--dev` is refused on a non-loopback address unless explicitly allowed.
//!
//! - the account [`DEV_ACCOUNT_ID`] with the root AccessKey [`DEV_ROOT_ACCESS_KEY_ID`] /
//!   [`DEV_ROOT_ACCESS_KEY_SECRET`];
//! - the RAM user `dev` with the AccessKey [`DEV_USER_ACCESS_KEY_ID`] /
//!   [`DEV_USER_ACCESS_KEY_SECRET`] and the system policies `AliyunSTSAssumeRoleAccess` and
//!   `AliyunOSSFullAccess`;
//! - the role `acs:ram::<account>:role/dev`, trusting the account, with `AliyunOSSFullAccess`
//!   and a maximum session of 12 hours.

use ossd_iam::{
    ActionError, Entity, Iam, NewRole, NewUser, PolicyDocument, PolicyName, PolicyRef, PolicyType,
    RamCall, RoleName, SessionDuration, UserName,
};

use super::ram::RootRam;

/// The account id of a `--dev` server.
pub const DEV_ACCOUNT_ID: &str = "1000000000000001";
/// The root AccessKey id of a `--dev` server.
pub const DEV_ROOT_ACCESS_KEY_ID: &str = "LTAI5tDevRootAccessKey01";
/// The root AccessKey secret of a `--dev` server (public: never use `--dev` in production).
pub const DEV_ROOT_ACCESS_KEY_SECRET: &str = "DevRootSecretNotForProduction0";
/// The ready RAM user of a `--dev` server.
pub const DEV_USER_NAME: &str = "dev";
/// The AccessKey id of the `dev` user.
pub const DEV_USER_ACCESS_KEY_ID: &str = "LTAI5tDevUserAccessKey01";
/// The AccessKey secret of the `dev` user.
pub const DEV_USER_ACCESS_KEY_SECRET: &str = "DevUserSecretNotForProduction0";
/// The role of a `--dev` server (`acs:ram::<account>:role/dev`).
pub const DEV_ROLE_NAME: &str = "dev";
/// The dev role's maximum session duration (seconds).
pub const DEV_ROLE_MAX_SESSION: &str = "43200";

/// System policies of the `dev` user.
const DEV_USER_POLICIES: [&str; 2] = ["AliyunSTSAssumeRoleAccess", "AliyunOSSFullAccess"];
/// System policies of the `dev` role.
const DEV_ROLE_POLICIES: [&str; 1] = ["AliyunOSSFullAccess"];

/// The ARN of the dev role in `account`.
pub fn dev_role_arn(account: &str) -> String {
    format!("acs:ram::{account}:role/{DEV_ROLE_NAME}")
}

/// A trust policy letting every identity of `account` assume a role.
pub fn trust_account_policy(account: &str) -> String {
    serde_json::json!({
        "Statement": [{
            "Action": "sts:AssumeRole",
            "Effect": "Allow",
            "Principal": { "RAM": [format!("acs:ram::{account}:root")] },
        }],
        "Version": "1",
    })
    .to_string()
}

/// The system policy `name`.
fn system_policy(name: &str) -> Result<PolicyRef, ActionError> {
    Ok(PolicyRef {
        name: PolicyName::new("PolicyName", name)?,
        policy_type: PolicyType::System,
    })
}

/// Creates (idempotently) the `dev` user, its key and policies, and the `dev` role.
pub(crate) async fn ensure(iam: &Iam, now: time::OffsetDateTime) -> Result<(), ActionError> {
    let ram = RootRam::new(iam, now);
    let user_name = UserName::new("UserName", DEV_USER_NAME)?;
    let mut user = NewUser::named(user_name.clone());
    user.display_name = Some("Development user".to_owned());
    ram.call_tolerating(&RamCall::CreateUser(user), Entity::User)
        .await?;
    iam.ensure_user_key(
        DEV_USER_NAME,
        DEV_USER_ACCESS_KEY_ID,
        DEV_USER_ACCESS_KEY_SECRET,
    )
    .await?;
    for policy in DEV_USER_POLICIES {
        let call = RamCall::AttachPolicyToUser {
            policy: system_policy(policy)?,
            user_name: user_name.clone(),
        };
        ram.call_tolerating(&call, Entity::UserPolicy).await?;
    }
    let role_name = RoleName::new("RoleName", DEV_ROLE_NAME)?;
    let trust = trust_account_policy(iam.account_id());
    let role = NewRole {
        role_name: role_name.clone(),
        trust_policy: PolicyDocument::trust(&trust)?,
        description: Some("Development role (ossd --dev)".to_owned()),
        max_session_duration: Some(SessionDuration::parse(
            "MaxSessionDuration",
            DEV_ROLE_MAX_SESSION,
        )?),
        allow_console_login: None,
    };
    ram.call_tolerating(&RamCall::CreateRole(role), Entity::Role)
        .await?;
    for policy in DEV_ROLE_POLICIES {
        let call = RamCall::AttachPolicyToRole {
            policy: system_policy(policy)?,
            role_name: role_name.clone(),
        };
        ram.call_tolerating(&call, Entity::RolePolicy).await?;
    }
    Ok(())
}
