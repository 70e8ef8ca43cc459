//! Emptying the server for `POST /-/admin/reset`: every bucket (multipart uploads, every object
//! version and delete marker, then the bucket and its configuration), and every RAM entity of
//! the account (custom policies, groups, users with their keys, roles, extra root keys) except
//! the configured root AccessKey. All through the store's and RAM's own delete paths, so the
//! data of removed objects is reclaimed as usual.

use ossd_iam::{Iam, RpcError};
use ossd_meta::{ListUploadsQuery, ListVersionsQuery};
use ossd_store::Store;

use super::ram::{RootRam, field};

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

fn ram_err(action: &str) -> impl FnOnce(RpcError) -> ResetError + '_ {
    move |e| ResetError::Ram {
        action: action.to_owned(),
        code: e.code,
        message: e.message,
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
    for role in ram
        .list("ListRoles", &[], "Roles", "Role")
        .await
        .map_err(ram_err("ListRoles"))?
    {
        let name = field(&role, "RoleName");
        detach_all(&ram, "Role", name).await?;
        call(&ram, "DeleteRole", &[("RoleName", name)]).await?;
    }
    for user in ram
        .list("ListUsers", &[], "Users", "User")
        .await
        .map_err(ram_err("ListUsers"))?
    {
        let name = field(&user, "UserName");
        let p = [("UserName", name)];
        let keys = ram
            .list("ListAccessKeys", &p, "AccessKeys", "AccessKey")
            .await
            .map_err(ram_err("ListAccessKeys"))?;
        for k in keys {
            call(
                &ram,
                "DeleteAccessKey",
                &[
                    ("UserName", name),
                    ("UserAccessKeyId", field(&k, "AccessKeyId")),
                ],
            )
            .await?;
        }
        let groups = ram
            .list("ListGroupsForUser", &p, "Groups", "Group")
            .await
            .map_err(ram_err("ListGroupsForUser"))?;
        for g in groups {
            call(
                &ram,
                "RemoveUserFromGroup",
                &[("UserName", name), ("GroupName", field(&g, "GroupName"))],
            )
            .await?;
        }
        detach_all(&ram, "User", name).await?;
        call(&ram, "DeleteUser", &p).await?;
    }
    for group in ram
        .list("ListGroups", &[], "Groups", "Group")
        .await
        .map_err(ram_err("ListGroups"))?
    {
        let name = field(&group, "GroupName");
        detach_all(&ram, "Group", name).await?;
        call(&ram, "DeleteGroup", &[("GroupName", name)]).await?;
    }
    let custom = [("PolicyType", "Custom")];
    for policy in ram
        .list("ListPolicies", &custom, "Policies", "Policy")
        .await
        .map_err(ram_err("ListPolicies"))?
    {
        let name = field(&policy, "PolicyName");
        call(
            &ram,
            "DeletePolicy",
            &[("PolicyName", name), ("CascadingDelete", "true")],
        )
        .await?;
    }
    let root_keys = ram
        .list("ListAccessKeys", &[], "AccessKeys", "AccessKey")
        .await
        .map_err(ram_err("ListAccessKeys"))?;
    for k in root_keys {
        let id = field(&k, "AccessKeyId");
        if id != root_key {
            call(&ram, "DeleteAccessKey", &[("UserAccessKeyId", id)]).await?;
        }
    }
    Ok(())
}

/// Detaches every policy of the `kind` (User, Group, Role) `name`.
async fn detach_all(ram: &RootRam<'_>, kind: &str, name: &str) -> Result<(), ResetError> {
    let list = format!("ListPoliciesFor{kind}");
    let detach = format!("DetachPolicyFrom{kind}");
    let name_param = format!("{kind}Name");
    let policies = ram
        .list(&list, &[(name_param.as_str(), name)], "Policies", "Policy")
        .await
        .map_err(ram_err(&list))?;
    for p in policies {
        let params = [
            ("PolicyType", field(&p, "PolicyType")),
            ("PolicyName", field(&p, "PolicyName")),
            (name_param.as_str(), name),
        ];
        call(ram, &detach, &params).await?;
    }
    Ok(())
}

async fn call(ram: &RootRam<'_>, action: &str, params: &[(&str, &str)]) -> Result<(), ResetError> {
    ram.call(action, params)
        .await
        .map(drop)
        .map_err(ram_err(action))
}
