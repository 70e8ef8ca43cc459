//! Emptying the server for `POST /-/admin/reset`: every bucket (multipart uploads, every object
//! version and delete marker, then the bucket and its configuration), and every RAM entity of
//! the account (custom policies, groups, users with their keys, roles, extra root keys) except
//! the configured root AccessKey. All through the store's and RAM's own delete paths, so the
//! data of removed objects is reclaimed as usual.

use ossd_iam::{
    ActionError, GroupName, Iam, KeyRef, PolicyName, PolicyRef, RamAction, RamCall, RoleName,
    UserName,
};
use ossd_meta::{ListUploadsQuery, ListVersionsQuery};
use ossd_store::Store;

use super::ram::{Holder, RootRam};

/// Items handled per listing round (each round lists from the start again: what was listed
/// has been deleted).
const BATCH: usize = 1000;

/// Why emptying stopped.
#[derive(Debug, thiserror::Error)]
pub enum ResetError {
    /// The object store failed.
    #[error("reset: {0}")]
    Store(String),
    /// A RAM action failed.
    #[error("reset: {action}: {code}: {message}")]
    Ram {
        /// The action.
        action: String,
        /// Its error code.
        code: String,
        /// Its error message.
        message: String,
    },
}

fn store_err(e: impl std::fmt::Display) -> ResetError {
    ResetError::Store(e.to_string())
}

fn ram_err(action: RamAction) -> impl FnOnce(ActionError) -> ResetError {
    move |e| {
        let (code, message) = super::ram::code_and_message(&e);
        ResetError::Ram {
            action: action.name().to_owned(),
            code,
            message,
        }
    }
}

/// Deletes every bucket of `account` with everything in it.
pub(crate) async fn empty_buckets(
    store: &Store,
    account: &str,
    now_ms: i64,
) -> Result<usize, ResetError> {
    let mut removed = 0;
    loop {
        let (buckets, _) = store
            .buckets()
            .list(account, "", "", BATCH)
            .await
            .map_err(store_err)?;
        if buckets.is_empty() {
            return Ok(removed);
        }
        for b in buckets {
            empty_bucket(store, &b.name, now_ms).await?;
            store.buckets().delete(&b.name).await.map_err(store_err)?;
            removed += 1;
        }
    }
}

/// Aborts every upload and deletes every version of `bucket`.
async fn empty_bucket(store: &Store, bucket: &str, now_ms: i64) -> Result<(), ResetError> {
    loop {
        let query = ListUploadsQuery {
            bucket: bucket.to_owned(),
            prefix: String::new(),
            delimiter: None,
            key_marker: String::new(),
            upload_id_marker: String::new(),
            max_uploads: BATCH,
        };
        let page = store.list_uploads(&query).await.map_err(store_err)?;
        if page.uploads.is_empty() {
            break;
        }
        for u in page.uploads {
            store
                .abort_multipart(bucket, &u.key, &u.upload_id)
                .await
                .map_err(store_err)?;
        }
    }
    loop {
        let query = ListVersionsQuery {
            bucket: bucket.to_owned(),
            prefix: String::new(),
            delimiter: None,
            key_marker: String::new(),
            version_id_marker: String::new(),
            max_keys: BATCH,
        };
        let page = store.list_versions(&query).await.map_err(store_err)?;
        if page.versions.is_empty() {
            return Ok(());
        }
        for v in page.versions {
            let r = &v.record;
            store
                .delete_object(bucket, &r.key, Some(&r.version_id), now_ms)
                .await
                .map_err(store_err)?;
        }
    }
}

/// Deletes every RAM entity of the account and every root AccessKey except `root_key`.
pub(crate) async fn empty_ram(
    iam: &Iam,
    root_key: &str,
    now: time::OffsetDateTime,
) -> Result<(), ResetError> {
    let ram = RootRam::new(iam, now);
    for role in ram.roles().await.map_err(ram_err(RamAction::ListRoles))? {
        let name = role.name.as_str();
        detach_all(&ram, Holder::Role, name).await?;
        let role_name = checked(RamAction::DeleteRole, RoleName::new("RoleName", name))?;
        call(&ram, RamCall::DeleteRole { role_name }).await?;
    }
    for user in ram.users().await.map_err(ram_err(RamAction::ListUsers))? {
        let name = user.name.as_str();
        let user_name = checked(RamAction::DeleteUser, UserName::new("UserName", name))?;
        let keys = ram
            .access_keys(Some(name))
            .await
            .map_err(ram_err(RamAction::ListAccessKeys))?;
        for k in keys {
            let key = KeyRef {
                user_name: Some(user_name.clone()),
                access_key_id: k.id,
            };
            call(&ram, RamCall::DeleteAccessKey(key)).await?;
        }
        let groups = ram
            .groups_of(name)
            .await
            .map_err(ram_err(RamAction::ListGroupsForUser))?;
        for g in groups {
            let action = RamAction::RemoveUserFromGroup;
            let group_name = checked(action, GroupName::new("GroupName", &g.name))?;
            let user_name = user_name.clone();
            let member = RamCall::RemoveUserFromGroup {
                user_name,
                group_name,
            };
            call(&ram, member).await?;
        }
        detach_all(&ram, Holder::User, name).await?;
        call(&ram, RamCall::DeleteUser { user_name }).await?;
    }
    for group in ram.groups().await.map_err(ram_err(RamAction::ListGroups))? {
        let name = group.name.as_str();
        detach_all(&ram, Holder::Group, name).await?;
        let group_name = checked(RamAction::DeleteGroup, GroupName::new("GroupName", name))?;
        call(&ram, RamCall::DeleteGroup { group_name }).await?;
    }
    for policy in ram
        .custom_policies()
        .await
        .map_err(ram_err(RamAction::ListPolicies))?
    {
        let name = PolicyName::new("PolicyName", &policy.name);
        let policy_name = checked(RamAction::DeletePolicy, name)?;
        let delete = RamCall::DeletePolicy {
            policy_name,
            cascading: true,
        };
        call(&ram, delete).await?;
    }
    let root_keys = ram
        .access_keys(None)
        .await
        .map_err(ram_err(RamAction::ListAccessKeys))?;
    for k in root_keys {
        if k.id != root_key {
            let key = KeyRef {
                user_name: None,
                access_key_id: k.id,
            };
            call(&ram, RamCall::DeleteAccessKey(key)).await?;
        }
    }
    Ok(())
}

/// Detaches every policy of the `holder` `name`.
async fn detach_all(ram: &RootRam<'_>, holder: Holder, name: &str) -> Result<(), ResetError> {
    let policies = ram
        .policies_of(holder, name)
        .await
        .map_err(ram_err(holder.list_policies_action()))?;
    for p in policies {
        let detach = || -> Result<RamCall, ActionError> {
            let policy = PolicyRef {
                name: PolicyName::new("PolicyName", &p.name)?,
                policy_type: p.policy_type,
            };
            holder.detach(policy, name)
        };
        let action = match holder {
            Holder::User => RamAction::DetachPolicyFromUser,
            Holder::Group => RamAction::DetachPolicyFromGroup,
            Holder::Role => RamAction::DetachPolicyFromRole,
        };
        call(ram, checked(action, detach())?).await?;
    }
    Ok(())
}

/// A value built for `action`, its error as the action's.
fn checked<T>(action: RamAction, value: Result<T, ActionError>) -> Result<T, ResetError> {
    value.map_err(ram_err(action))
}

/// Runs `call`.
async fn call(ram: &RootRam<'_>, call: RamCall) -> Result<(), ResetError> {
    ram.call(&call)
        .await
        .map(drop)
        .map_err(ram_err(call.action()))
}
