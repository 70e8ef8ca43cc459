//! RAM on the wire: the JSON bodies of [`RamOutcome`]s as the RAM API reference documents
//! them (<https://api.aliyun.com/document/Ram/2015-05-01/overview>): lists wrapped as
//! `{"Users":{"User":[…]}}` (also when empty), optional strings left out when empty,
//! timestamps as `YYYY-MM-DDThh:mm:ssZ`, `IsTruncated` / `Marker` on paged lists.

use crate::json::timestamp;
use ossd_iam::{
    AccessKey, Attached, Group, Listed, Membership, PolicyVersion, RamOutcome, RamPolicy, Role,
    User,
};
use serde_json::{Map, Value};

/// The response body of `outcome`, without `RequestId`.
pub fn body(outcome: &RamOutcome) -> Value {
    let mut body = Map::new();
    match outcome {
        RamOutcome::UserCreated(u) => {
            body.insert("User".to_owned(), user(u, false));
        }
        RamOutcome::User(u) => {
            body.insert("User".to_owned(), user(u, true));
        }
        RamOutcome::Users(page) => {
            let users = page.items.iter().map(|u| user(u, true)).collect();
            body.insert("Users".to_owned(), wrapped("User", users));
            paged(&mut body, page);
        }
        RamOutcome::AccessKeyCreated(new) => {
            let mut key = access_key(&new.key);
            key.insert(
                "AccessKeySecret".to_owned(),
                new.secret.as_str().to_owned().into(),
            );
            body.insert("AccessKey".to_owned(), Value::Object(key));
        }
        RamOutcome::AccessKeys(keys) => {
            let keys = keys.iter().map(|k| Value::Object(access_key(k))).collect();
            body.insert("AccessKeys".to_owned(), wrapped("AccessKey", keys));
        }
        RamOutcome::AccessKeyLastUsed(used) => {
            let mut last = Map::new();
            if let Some(at) = used {
                last.insert("LastUsedDate".to_owned(), timestamp(*at).into());
            }
            body.insert("AccessKeyLastUsed".to_owned(), Value::Object(last));
        }
        RamOutcome::GroupCreated(g) => {
            body.insert("Group".to_owned(), group(g, false));
        }
        RamOutcome::Group(g) => {
            body.insert("Group".to_owned(), group(g, true));
        }
        RamOutcome::Groups(page) => {
            let groups = page.items.iter().map(|g| group(g, true)).collect();
            body.insert("Groups".to_owned(), wrapped("Group", groups));
            paged(&mut body, page);
        }
        RamOutcome::GroupsForUser(groups) => {
            let groups = groups.iter().map(group_of_user).collect();
            body.insert("Groups".to_owned(), wrapped("Group", groups));
        }
        RamOutcome::UsersForGroup(page) => {
            let users = page.items.iter().map(member).collect();
            body.insert("Users".to_owned(), wrapped("User", users));
            paged(&mut body, page);
        }
        RamOutcome::RoleCreated(r) => {
            body.insert("Role".to_owned(), role(r, RoleShape::Created));
        }
        RamOutcome::Role(r) => {
            body.insert("Role".to_owned(), role(r, RoleShape::Full));
        }
        RamOutcome::RoleUpdated(r) => {
            body.insert("Role".to_owned(), role(r, RoleShape::Updated));
        }
        RamOutcome::Roles(page) => {
            let roles = page
                .items
                .iter()
                .map(|r| role(r, RoleShape::Listed))
                .collect();
            body.insert("Roles".to_owned(), wrapped("Role", roles));
            paged(&mut body, page);
        }
        RamOutcome::Simulated(s) => {
            let decision = match (&s.missing_bucket, &s.denial) {
                (Some(_), _) => "noSuchBucket",
                (None, None) => "allowed",
                (None, Some(d)) if d.explicit => "explicitDeny",
                (None, Some(_)) => "implicitDeny",
            };
            body.insert("EvalDecision".to_owned(), decision.into());
            if let Some(bucket) = &s.missing_bucket {
                body.insert("MissingBucket".to_owned(), bucket.as_str().into());
            }
            if let Some(outcome) = s.outcome {
                body.insert("DecidedBy".to_owned(), decided_by(outcome).into());
            }
            body.insert("EvalActionName".to_owned(), s.action.as_str().into());
            body.insert("EvalResourceName".to_owned(), s.resource.as_str().into());
            if let Some(m) = &s.matched {
                let mut statement = Map::new();
                statement.insert(
                    "PolicyName".to_owned(),
                    m.policy_name.clone().unwrap_or_default().into(),
                );
                statement.insert("StatementIndex".to_owned(), m.statement_index.into());
                if let Some(sid) = &m.sid {
                    statement.insert("Sid".to_owned(), sid.as_str().into());
                }
                body.insert("MatchedStatement".to_owned(), Value::Object(statement));
            }
            if let Some(d) = &s.denial {
                body.insert(
                    "AccessDeniedDetail".to_owned(),
                    crate::error::access_denied_detail(d),
                );
            }
        }
        RamOutcome::AccountAlias(alias) => {
            body.insert("AccountAlias".to_owned(), alias.as_str().into());
        }
        RamOutcome::PolicyCreated(p) => {
            body.insert("Policy".to_owned(), Value::Object(policy(p)));
        }
        RamOutcome::Policy(d) => {
            let mut p = policy(&d.policy);
            p.insert("PolicyDocument".to_owned(), d.document.as_str().into());
            p.insert("AttachmentCount".to_owned(), d.attachment_count.into());
            p.insert("UpdateDate".to_owned(), timestamp(d.policy.updated).into());
            body.insert("Policy".to_owned(), Value::Object(p));
            let default = PolicyVersion {
                id: d.policy.default_version.clone(),
                document: d.document.clone(),
                is_default: true,
                created: d.default_version_created,
            };
            body.insert("DefaultPolicyVersion".to_owned(), version(&default));
        }
        RamOutcome::PolicyUpdated(p) => {
            let mut obj = policy(p);
            obj.insert("UpdateDate".to_owned(), timestamp(p.updated).into());
            body.insert("Policy".to_owned(), Value::Object(obj));
        }
        RamOutcome::Policies(page) => {
            let items = page
                .items
                .iter()
                .map(|c| {
                    let mut obj = policy(&c.policy);
                    obj.insert("AttachmentCount".to_owned(), c.attachment_count.into());
                    obj.insert("UpdateDate".to_owned(), timestamp(c.policy.updated).into());
                    obj.insert("Tags".to_owned(), wrapped("Tag", Vec::new()));
                    Value::Object(obj)
                })
                .collect();
            body.insert("Policies".to_owned(), wrapped("Policy", items));
            paged(&mut body, page);
        }
        RamOutcome::PoliciesAttached(items) => {
            let items = items.iter().map(attached_policy).collect();
            body.insert("Policies".to_owned(), wrapped("Policy", items));
        }
        RamOutcome::PolicyEntities(e) => {
            let users = e.users.iter().map(attached_user).collect();
            let groups = e.groups.iter().map(attached_group).collect();
            let roles = e.roles.iter().map(attached_role).collect();
            body.insert("Users".to_owned(), wrapped("User", users));
            body.insert("Groups".to_owned(), wrapped("Group", groups));
            body.insert("Roles".to_owned(), wrapped("Role", roles));
        }
        RamOutcome::PolicyVersion(v) => {
            body.insert("PolicyVersion".to_owned(), version(v));
        }
        RamOutcome::PolicyVersions(versions) => {
            let items = versions.iter().map(version).collect();
            body.insert("PolicyVersions".to_owned(), wrapped("PolicyVersion", items));
        }
        // `Done`, and whatever a later outcome adds before it is rendered here.
        _ => {}
    }
    Value::Object(body)
}

/// A user; `updated`: with `UpdateDate` (all but CreateUser).
fn user(u: &User, updated: bool) -> Value {
    let mut obj = Map::new();
    obj.insert("UserName".to_owned(), u.name.as_str().into());
    obj.insert("UserId".to_owned(), u.id.as_str().into());
    let optional = [
        ("DisplayName", &u.display_name),
        ("Comments", &u.comments),
        ("Email", &u.email),
        ("MobilePhone", &u.mobile_phone),
    ];
    for (name, value) in optional {
        if !value.is_empty() {
            obj.insert(name.to_owned(), value.as_str().into());
        }
    }
    obj.insert("CreateDate".to_owned(), timestamp(u.created).into());
    if updated {
        obj.insert("UpdateDate".to_owned(), timestamp(u.updated).into());
    }
    Value::Object(obj)
}

/// Sets `key` to `value` unless `value` is empty.
fn optional(obj: &mut Map<String, Value>, key: &str, value: &str) {
    if !value.is_empty() {
        obj.insert(key.to_owned(), value.into());
    }
}

/// A group; `updated`: with `UpdateDate` (all but CreateGroup).
fn group(g: &Group, updated: bool) -> Value {
    let mut obj = Map::new();
    obj.insert("GroupName".to_owned(), g.name.as_str().into());
    obj.insert("GroupId".to_owned(), g.id.as_str().into());
    optional(&mut obj, "Comments", &g.comments);
    obj.insert("CreateDate".to_owned(), timestamp(g.created).into());
    if updated {
        obj.insert("UpdateDate".to_owned(), timestamp(g.updated).into());
    }
    Value::Object(obj)
}

/// A group of ListGroupsForUser.
fn group_of_user(m: &Membership<Group>) -> Value {
    let mut obj = Map::new();
    obj.insert("GroupName".to_owned(), m.entity.name.as_str().into());
    obj.insert("GroupId".to_owned(), m.entity.id.as_str().into());
    optional(&mut obj, "Comments", &m.entity.comments);
    obj.insert("JoinDate".to_owned(), timestamp(m.joined).into());
    Value::Object(obj)
}

/// A user of ListUsersForGroup.
fn member(m: &Membership<User>) -> Value {
    let mut obj = Map::new();
    obj.insert("UserName".to_owned(), m.entity.name.as_str().into());
    optional(&mut obj, "DisplayName", &m.entity.display_name);
    obj.insert("JoinDate".to_owned(), timestamp(m.joined).into());
    Value::Object(obj)
}

/// Which fields a role object carries.
#[derive(Clone, Copy, PartialEq, Eq)]
enum RoleShape {
    /// CreateRole.
    Created,
    /// UpdateRole.
    Updated,
    /// GetRole.
    Full,
    /// ListRoles (no trust policy, with Tags).
    Listed,
}

/// A role.
fn role(r: &Role, shape: RoleShape) -> Value {
    let mut obj = Map::new();
    obj.insert("RoleName".to_owned(), r.name.as_str().into());
    obj.insert("RoleId".to_owned(), r.id.as_str().into());
    obj.insert("Arn".to_owned(), r.arn.as_str().into());
    obj.insert("Description".to_owned(), r.description.as_str().into());
    obj.insert(
        "MaxSessionDuration".to_owned(),
        r.max_session_duration.into(),
    );
    obj.insert("AllowConsoleLogin".to_owned(), r.allow_console_login.into());
    obj.insert("CreateDate".to_owned(), timestamp(r.created).into());
    if shape != RoleShape::Listed {
        let trust = r.trust_policy.as_str().into();
        obj.insert("AssumeRolePolicyDocument".to_owned(), trust);
    }
    if shape != RoleShape::Created {
        obj.insert("UpdateDate".to_owned(), timestamp(r.updated).into());
    }
    match shape {
        RoleShape::Full => {
            obj.insert("IsServiceLinkedRole".to_owned(), false.into());
            let principal = format!("{}@role.{}.onaliyunservice.com", r.name, r.account_id);
            obj.insert("RolePrincipalName".to_owned(), principal.into());
        }
        RoleShape::Listed => {
            obj.insert("Tags".to_owned(), wrapped("Tag", Vec::new()));
        }
        RoleShape::Created | RoleShape::Updated => {}
    }
    Value::Object(obj)
}

/// The fields every policy object has.
fn policy(p: &RamPolicy) -> Map<String, Value> {
    let mut obj = Map::new();
    obj.insert("PolicyName".to_owned(), p.name.as_str().into());
    obj.insert("PolicyType".to_owned(), p.policy_type.as_str().into());
    obj.insert("Description".to_owned(), p.description.as_str().into());
    obj.insert(
        "DefaultVersion".to_owned(),
        p.default_version.as_str().into(),
    );
    obj.insert("CreateDate".to_owned(), timestamp(p.created).into());
    obj
}

/// A policy of ListPoliciesFor{User,Group,Role} (no CreateDate).
fn attached_policy(a: &Attached<RamPolicy>) -> Value {
    let p = &a.entity;
    let mut obj = Map::new();
    obj.insert("PolicyName".to_owned(), p.name.as_str().into());
    obj.insert("PolicyType".to_owned(), p.policy_type.as_str().into());
    obj.insert("Description".to_owned(), p.description.as_str().into());
    obj.insert(
        "DefaultVersion".to_owned(),
        p.default_version.as_str().into(),
    );
    obj.insert("AttachDate".to_owned(), timestamp(a.attached).into());
    Value::Object(obj)
}

/// A user of ListEntitiesForPolicy.
fn attached_user(a: &Attached<User>) -> Value {
    let mut obj = Map::new();
    obj.insert("UserName".to_owned(), a.entity.name.as_str().into());
    obj.insert("UserId".to_owned(), a.entity.id.as_str().into());
    optional(&mut obj, "DisplayName", &a.entity.display_name);
    obj.insert("AttachDate".to_owned(), timestamp(a.attached).into());
    Value::Object(obj)
}

/// A group of ListEntitiesForPolicy.
fn attached_group(a: &Attached<Group>) -> Value {
    let mut obj = Map::new();
    obj.insert("GroupName".to_owned(), a.entity.name.as_str().into());
    optional(&mut obj, "Comments", &a.entity.comments);
    obj.insert("AttachDate".to_owned(), timestamp(a.attached).into());
    Value::Object(obj)
}

/// A role of ListEntitiesForPolicy.
fn attached_role(a: &Attached<Role>) -> Value {
    let r = &a.entity;
    let mut obj = Map::new();
    obj.insert("RoleName".to_owned(), r.name.as_str().into());
    obj.insert("RoleId".to_owned(), r.id.as_str().into());
    obj.insert("Arn".to_owned(), r.arn.as_str().into());
    obj.insert("Description".to_owned(), r.description.as_str().into());
    obj.insert("AttachDate".to_owned(), timestamp(a.attached).into());
    Value::Object(obj)
}

/// A policy version.
fn version(v: &PolicyVersion) -> Value {
    let mut obj = Map::new();
    obj.insert("VersionId".to_owned(), v.id.as_str().into());
    obj.insert("IsDefaultVersion".to_owned(), v.is_default.into());
    obj.insert("PolicyDocument".to_owned(), v.document.as_str().into());
    obj.insert("CreateDate".to_owned(), timestamp(v.created).into());
    Value::Object(obj)
}

/// An AccessKey (never the secret).
fn access_key(k: &AccessKey) -> Map<String, Value> {
    let mut obj = Map::new();
    obj.insert("AccessKeyId".to_owned(), k.id.as_str().into());
    let status = if k.active { "Active" } else { "Inactive" };
    obj.insert("Status".to_owned(), status.into());
    obj.insert("CreateDate".to_owned(), timestamp(k.created).into());
    obj
}

/// `{"Inner":[items]}`, the value of a list's outer key.
fn wrapped(inner: &str, items: Vec<Value>) -> Value {
    let mut list = Map::new();
    list.insert(inner.to_owned(), Value::Array(items));
    Value::Object(list)
}

/// `IsTruncated` and, when truncated, `Marker`.
fn paged<T>(body: &mut Map<String, Value>, page: &Listed<T>) {
    body.insert("IsTruncated".to_owned(), page.marker.is_some().into());
    if let Some(marker) = &page.marker {
        body.insert("Marker".to_owned(), marker.as_str().into());
    }
}

/// What decided a simulation (docs/protocol/ram.md#simulateprincipalpolicy-ossd-extension):
/// `IdentityPolicy`, `SessionPolicy`, `BucketPolicy`, `IdentityAndBucketPolicy` (Deny
/// statements in both), `Acl`, `AccountRoot`, or `None` (nothing allowed it).
fn decided_by(outcome: ossd_policy::Outcome) -> &'static str {
    use ossd_policy::{AllowReason as A, DenyReason as D, Outcome as O};
    match outcome {
        O::Allow(A::IdentityPolicy) | O::Deny(D::IdentityPolicy { .. }) => "IdentityPolicy",
        O::Allow(A::BucketPolicy) | O::Deny(D::BucketPolicy) => "BucketPolicy",
        O::Allow(A::Acl) => "Acl",
        O::Allow(A::AccountRoot) => "AccountRoot",
        O::Deny(D::SessionPolicy { .. }) => "SessionPolicy",
        O::Deny(D::IdentityAndBucketPolicy) => "IdentityAndBucketPolicy",
        O::Deny(D::TrustPolicy { .. }) => "TrustPolicy",
        O::Deny(D::NoAllow { .. } | D::RootCannotAssumeRole) => "None",
        O::Allow(_) | O::Deny(_) => "Other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_lists_keep_their_shape() {
        let page = Listed {
            items: Vec::new(),
            marker: None,
        };
        let body = body(&RamOutcome::Users(page));
        assert_eq!(
            body.to_string(),
            r#"{"IsTruncated":false,"Users":{"User":[]}}"#
        );
        assert_eq!(
            super::body(&RamOutcome::AccessKeyLastUsed(None)).to_string(),
            r#"{"AccessKeyLastUsed":{}}"#
        );
        assert_eq!(super::body(&RamOutcome::Done).to_string(), "{}");
    }

    #[test]
    fn created_users_have_no_update_date() {
        let u = User {
            name: "alice".to_owned(),
            id: "2001".to_owned(),
            display_name: String::new(),
            comments: "c".to_owned(),
            email: String::new(),
            mobile_phone: String::new(),
            created: 0,
            updated: 60,
        };
        let created = body(&RamOutcome::UserCreated(u.clone()));
        assert_eq!(
            created.to_string(),
            r#"{"User":{"Comments":"c","CreateDate":"1970-01-01T00:00:00Z","UserId":"2001","UserName":"alice"}}"#
        );
        let got = body(&RamOutcome::User(u));
        assert_eq!(got["User"]["UpdateDate"], "1970-01-01T00:01:00Z");
    }
}
