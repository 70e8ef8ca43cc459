//! RAM parameters into a [`RamCall`]: the decoded RPC parameters (values always arrive as strings,
//! docs/protocol/ram.md#ram-api-general-rules) read by name, required or optional, as integers,
//! booleans and enums, failing with the RAM error of the first bad parameter
//! (docs/protocol/ram.md#ram-error-codes). The names an action is authorized on are required
//! first, then each parameter is checked in the order the action reads it; value rules (name
//! syntax, lengths, policy documents) are the constructors of `ossd-iam`'s typed values. What
//! `ossd-iam` checks only after reading an entity (an AccessKey's `Status` and
//! `UserAccessKeyId`, after its owner) stays as sent.

use ossd_iam::{
    AccountAlias, ActionError, GroupName, GroupUpdate, KeyRef, NewGroup, NewPolicy,
    NewPolicyVersion, NewRole, NewUser, Page, PolicyDocument, PolicyName, PolicyRef, PolicyType,
    Problem, RamAction, RamCall, RamNames, RoleName, RoleUpdate, SessionDuration, UserName,
    UserUpdate, VersionId, text,
};
use std::collections::BTreeMap;

/// The `RotateStrategy` that makes room by deleting the oldest non-default version.
const ROTATE: &str = "DeleteOldestNonDefaultVersionWhenLimitExceeded";

/// The call of `action` with the decoded parameters, or the error for the first bad one.
pub fn parse(action: RamAction, params: &BTreeMap<String, String>) -> Result<RamCall, ActionError> {
    let p = Params(params);
    use RamAction as A;
    use RamCall as C;
    Ok(match action {
        A::CreateUser => {
            let user_name = p.user("UserName")?;
            let profile = p.profile("")?;
            C::CreateUser(NewUser {
                user_name,
                display_name: profile.display_name,
                comments: profile.comments,
                email: profile.email,
                mobile_phone: profile.mobile_phone,
            })
        }
        A::GetUser => C::GetUser {
            user_name: p.user("UserName")?,
        },
        A::UpdateUser => {
            let user_name = p.user("UserName")?;
            let new_user_name = p.opt_with("NewUserName", UserName::new)?;
            let new = p.profile("New")?;
            C::UpdateUser(UserUpdate {
                user_name,
                new_user_name,
                // An empty `New*` value clears the field.
                new_display_name: new.display_name.or(p.empty("NewDisplayName")),
                new_comments: new.comments.or(p.empty("NewComments")),
                new_email: new.email.or(p.empty("NewEmail")),
                new_mobile_phone: new.mobile_phone.or(p.empty("NewMobilePhone")),
            })
        }
        A::ListUsers => C::ListUsers(p.page()?),
        A::DeleteUser => C::DeleteUser {
            user_name: p.user("UserName")?,
        },
        A::CreateAccessKey => C::CreateAccessKey {
            user_name: p.opt_with("UserName", UserName::new)?,
        },
        A::ListAccessKeys => C::ListAccessKeys {
            user_name: p.opt_with("UserName", UserName::new)?,
        },
        A::UpdateAccessKey => C::UpdateAccessKey {
            key: p.key_ref()?,
            status: p.raw("Status").map(str::to_owned),
        },
        A::DeleteAccessKey => C::DeleteAccessKey(p.key_ref()?),
        A::GetAccessKeyLastUsed => C::GetAccessKeyLastUsed(p.key_ref()?),
        A::CreateGroup => {
            let group_name = p.group("GroupName")?;
            let comments = p.opt("Comments").unwrap_or_default();
            let comments = text::comments("Comments", comments)?;
            C::CreateGroup(NewGroup {
                group_name,
                comments: Some(comments).filter(|c| !c.is_empty()),
            })
        }
        A::GetGroup => C::GetGroup {
            group_name: p.group("GroupName")?,
        },
        A::UpdateGroup => {
            let group_name = p.group("GroupName")?;
            let new_group_name = p.opt_with("NewGroupName", GroupName::new)?;
            let new_comments = p.raw_with("NewComments", text::comments)?;
            C::UpdateGroup(GroupUpdate {
                group_name,
                new_group_name,
                new_comments,
            })
        }
        A::ListGroups => C::ListGroups(p.page()?),
        A::DeleteGroup => C::DeleteGroup {
            group_name: p.group("GroupName")?,
        },
        A::AddUserToGroup | A::RemoveUserFromGroup => {
            p.required("UserName")?;
            p.required("GroupName")?;
            let (user_name, group_name) = (p.user("UserName")?, p.group("GroupName")?);
            if action == A::AddUserToGroup {
                C::AddUserToGroup {
                    user_name,
                    group_name,
                }
            } else {
                C::RemoveUserFromGroup {
                    user_name,
                    group_name,
                }
            }
        }
        A::ListGroupsForUser => C::ListGroupsForUser {
            user_name: p.user("UserName")?,
        },
        A::ListUsersForGroup => {
            p.required("GroupName")?;
            let page = p.page()?;
            C::ListUsersForGroup {
                group_name: p.group("GroupName")?,
                page,
            }
        }
        A::CreateRole => {
            let role_name = p.role("RoleName")?;
            let trust = p.required("AssumeRolePolicyDocument")?;
            let trust_policy = PolicyDocument::trust(trust)?;
            let description = p.opt("Description").unwrap_or_default();
            let description = text::description("Description", description)?;
            let max_session_duration = p.opt_with("MaxSessionDuration", SessionDuration::parse)?;
            let allow_console_login = p.bool("AllowConsoleLogin")?;
            C::CreateRole(NewRole {
                role_name,
                trust_policy,
                description: Some(description).filter(|d| !d.is_empty()),
                max_session_duration,
                allow_console_login,
            })
        }
        A::GetRole => C::GetRole {
            role_name: p.role("RoleName")?,
        },
        A::UpdateRole => {
            let role_name = p.role("RoleName")?;
            let new_trust_policy = p.opt_with("NewAssumeRolePolicyDocument", |_, v| {
                PolicyDocument::trust(v)
            })?;
            let new_description = p.raw_with("NewDescription", text::description)?;
            let new_max_session_duration =
                p.opt_with("NewMaxSessionDuration", SessionDuration::parse)?;
            let new_allow_console_login = p.bool("NewAllowConsoleLogin")?;
            C::UpdateRole(RoleUpdate {
                role_name,
                new_trust_policy,
                new_description,
                new_max_session_duration,
                new_allow_console_login,
            })
        }
        A::ListRoles => C::ListRoles(p.page()?),
        A::DeleteRole => C::DeleteRole {
            role_name: p.role("RoleName")?,
        },
        A::CreatePolicy => {
            let policy_name = p.policy_name()?;
            let document = PolicyDocument::identity(p.required("PolicyDocument")?)?;
            let description = p.opt("Description").unwrap_or_default();
            let description = text::description("Description", description)?;
            C::CreatePolicy(NewPolicy {
                policy_name,
                document,
                description: Some(description).filter(|d| !d.is_empty()),
            })
        }
        A::GetPolicy => C::GetPolicy(p.policy_ref()?),
        A::ListPolicies => {
            let max_items = p.max_items()?;
            let policy_type = p.policy_type()?;
            let marker = p.marker();
            C::ListPolicies {
                policy_type,
                page: Page { marker, max_items },
            }
        }
        A::UpdatePolicyDescription => {
            let policy_name = p.policy_name()?;
            let description = p.raw("NewDescription").unwrap_or_default();
            let description = text::description("NewDescription", description)?;
            C::UpdatePolicyDescription {
                policy_name,
                description,
            }
        }
        A::DeletePolicy => {
            let policy_name = p.policy_name()?;
            let cascading = p.bool("CascadingDelete")?.unwrap_or(false);
            C::DeletePolicy {
                policy_name,
                cascading,
            }
        }
        A::CreatePolicyVersion => {
            let policy_name = p.policy_name()?;
            let document = PolicyDocument::identity(p.required("PolicyDocument")?)?;
            let set_as_default = p.bool("SetAsDefault")?.unwrap_or(false);
            let rotate = match p.opt("RotateStrategy") {
                None | Some("None") => false,
                Some(ROTATE) => true,
                Some(_) => return Err(incorrect("RotateStrategy")),
            };
            C::CreatePolicyVersion(NewPolicyVersion {
                policy_name,
                document,
                set_as_default,
                rotate,
            })
        }
        A::GetPolicyVersion => {
            let policy = p.policy_ref()?;
            let version = VersionId::new(p.required("VersionId")?)?;
            C::GetPolicyVersion { policy, version }
        }
        A::ListPolicyVersions => C::ListPolicyVersions(p.policy_ref()?),
        A::DeletePolicyVersion | A::SetDefaultPolicyVersion => {
            let policy_name = p.policy_name()?;
            let version = VersionId::new(p.required("VersionId")?)?;
            if action == A::DeletePolicyVersion {
                C::DeletePolicyVersion {
                    policy_name,
                    version,
                }
            } else {
                C::SetDefaultPolicyVersion {
                    policy_name,
                    version,
                }
            }
        }
        A::AttachPolicyToUser | A::DetachPolicyFromUser => {
            let policy = p.attached_policy("UserName")?;
            let user_name = p.user("UserName")?;
            if action == A::AttachPolicyToUser {
                C::AttachPolicyToUser { policy, user_name }
            } else {
                C::DetachPolicyFromUser { policy, user_name }
            }
        }
        A::AttachPolicyToGroup | A::DetachPolicyFromGroup => {
            let policy = p.attached_policy("GroupName")?;
            let group_name = p.group("GroupName")?;
            if action == A::AttachPolicyToGroup {
                C::AttachPolicyToGroup { policy, group_name }
            } else {
                C::DetachPolicyFromGroup { policy, group_name }
            }
        }
        A::AttachPolicyToRole | A::DetachPolicyFromRole => {
            let policy = p.attached_policy("RoleName")?;
            let role_name = p.role("RoleName")?;
            if action == A::AttachPolicyToRole {
                C::AttachPolicyToRole { policy, role_name }
            } else {
                C::DetachPolicyFromRole { policy, role_name }
            }
        }
        A::ListPoliciesForUser => C::ListPoliciesForUser {
            user_name: p.user("UserName")?,
        },
        A::ListPoliciesForGroup => C::ListPoliciesForGroup {
            group_name: p.group("GroupName")?,
        },
        A::ListPoliciesForRole => C::ListPoliciesForRole {
            role_name: p.role("RoleName")?,
        },
        A::ListEntitiesForPolicy => C::ListEntitiesForPolicy(p.policy_ref()?),
        A::GetAccountAlias => C::GetAccountAlias,
        A::SetAccountAlias => C::SetAccountAlias {
            alias: AccountAlias::new(p.raw("AccountAlias").unwrap_or_default())?,
        },
        A::ClearAccountAlias => C::ClearAccountAlias,
        A::SimulatePrincipalPolicy => C::SimulatePrincipalPolicy(simulation(&p)?),
    })
}

/// The names a call is authorized on, as sent: a call that does not parse is authorized on them
/// before its parameter error is answered ([`ossd_iam::Iam::authorize_ram_names`]).
pub fn names(params: &BTreeMap<String, String>) -> RamNames<'_> {
    let p = Params(params);
    RamNames {
        user: p.opt("UserName"),
        group: p.opt("GroupName"),
        role: p.opt("RoleName"),
        policy: p.opt("PolicyName"),
    }
}

/// 400 `Missing{param}`.
fn missing(param: &str) -> ActionError {
    ActionError::Missing {
        param: param.to_owned(),
    }
}

/// 400 `InvalidParameter.{param}`: not an allowed value.
/// SimulatePrincipalPolicy's parameters (docs/protocol/ram.md#simulateprincipalpolicy-ossd-extension):
/// `UserName`, or `RoleName` with an optional `SessionPolicy`; `ActionName`; `ResourceArn`;
/// `ContextEntries`, a JSON object of condition keys to a value or a list of values.
fn simulation(p: &Params<'_>) -> Result<ossd_iam::Simulation, ActionError> {
    use ossd_iam::{SimulatedPrincipal, Simulation};
    let principal = match p.opt("RoleName") {
        Some(_) if p.opt("UserName").is_none() => SimulatedPrincipal::Role {
            role_name: p.role("RoleName")?,
            session_policy: p.opt("SessionPolicy").map(str::to_owned),
        },
        _ => SimulatedPrincipal::User(p.user("UserName")?),
    };
    let action = p.required("ActionName")?.to_owned();
    let resource = p.required("ResourceArn")?.to_owned();
    let mut context = ossd_policy::RequestContext::new();
    if let Some(raw) = p.opt("ContextEntries") {
        let entries: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(raw).map_err(|_| incorrect("ContextEntries"))?;
        for (key, value) in entries {
            let values: Vec<String> = match value {
                serde_json::Value::Array(items) => items.iter().map(json_text).collect(),
                other => vec![json_text(&other)],
            };
            context.set(&key, values);
        }
    }
    Simulation::new(principal, action, resource, context)
}

/// A context value as text (strings as they are, numbers and booleans as written).
fn json_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn incorrect(param: &str) -> ActionError {
    ActionError::invalid(param, Problem::Incorrect)
}

/// The non-empty profile fields of CreateUser / UpdateUser.
struct Profile {
    display_name: Option<String>,
    comments: Option<String>,
    email: Option<String>,
    mobile_phone: Option<String>,
}

/// The parameters of one call.
#[derive(Debug, Clone, Copy)]
struct Params<'a>(&'a BTreeMap<String, String>);

impl<'a> Params<'a> {
    /// The value as sent (possibly empty).
    fn raw(&self, name: &str) -> Option<&'a str> {
        self.0.get(name).map(String::as_str)
    }

    /// A non-empty value.
    fn opt(&self, name: &str) -> Option<&'a str> {
        self.raw(name).filter(|v| !v.is_empty())
    }

    /// `Some("")` when `name` was sent empty.
    fn empty(&self, name: &str) -> Option<String> {
        self.raw(name).filter(|v| v.is_empty()).map(str::to_owned)
    }

    /// A non-empty value, or 400 `Missing{name}`.
    fn required(&self, name: &str) -> Result<&'a str, ActionError> {
        self.opt(name).ok_or_else(|| missing(name))
    }

    /// A non-empty value made a `T` by `make(name, value)`.
    fn opt_with<T>(
        &self,
        name: &str,
        make: impl FnOnce(&str, &str) -> Result<T, ActionError>,
    ) -> Result<Option<T>, ActionError> {
        self.opt(name).map(|v| make(name, v)).transpose()
    }

    /// A value as sent (also empty) made a `T` by `make(name, value)`.
    fn raw_with<T>(
        &self,
        name: &str,
        make: impl FnOnce(&str, &str) -> Result<T, ActionError>,
    ) -> Result<Option<T>, ActionError> {
        self.raw(name).map(|v| make(name, v)).transpose()
    }

    /// A required user name.
    fn user(&self, name: &str) -> Result<UserName, ActionError> {
        UserName::new(name, self.required(name)?)
    }

    /// A required group name.
    fn group(&self, name: &str) -> Result<GroupName, ActionError> {
        GroupName::new(name, self.required(name)?)
    }

    /// A required role name.
    fn role(&self, name: &str) -> Result<RoleName, ActionError> {
        RoleName::new(name, self.required(name)?)
    }

    /// The required `PolicyName`.
    fn policy_name(&self) -> Result<PolicyName, ActionError> {
        PolicyName::new("PolicyName", self.required("PolicyName")?)
    }

    /// `PolicyName` and the required `PolicyType`.
    fn policy_ref(&self) -> Result<PolicyRef, ActionError> {
        let name = self.policy_name()?;
        let policy_type = self.policy_type()?.ok_or_else(|| incorrect("PolicyType"))?;
        Ok(PolicyRef { name, policy_type })
    }

    /// The policy of an attachment call whose target is named by `holder` (required first, as
    /// both names are authorized on); no `ResourceGroupId`.
    fn attached_policy(&self, holder: &str) -> Result<PolicyRef, ActionError> {
        self.required("PolicyName")?;
        self.required(holder)?;
        let policy = self.policy_ref()?;
        if self.opt("ResourceGroupId").is_some() {
            return Err(incorrect("ResourceGroupId"));
        }
        Ok(policy)
    }

    /// `UserName` (if sent) and `UserAccessKeyId` (checked by `ossd-iam` after the owner).
    fn key_ref(&self) -> Result<KeyRef, ActionError> {
        let user_name = self.opt_with("UserName", UserName::new)?;
        let access_key_id = self.opt("UserAccessKeyId").unwrap_or_default().to_owned();
        Ok(KeyRef {
            user_name,
            access_key_id,
        })
    }

    /// `{prefix}DisplayName`, `{prefix}Comments`, `{prefix}Email`, `{prefix}MobilePhone`, each
    /// checked when not empty.
    fn profile(&self, prefix: &str) -> Result<Profile, ActionError> {
        let field = |name: &str, make: fn(&str, &str) -> Result<String, ActionError>| {
            self.opt_with(&format!("{prefix}{name}"), make)
        };
        Ok(Profile {
            display_name: field("DisplayName", text::display_name)?,
            comments: field("Comments", text::comments)?,
            email: field("Email", text::email)?,
            mobile_phone: field("MobilePhone", text::mobile_phone)?,
        })
    }

    /// A boolean (`true`/`false`, any case), or 400 `InvalidParameter.{name}`.
    fn bool(&self, name: &str) -> Result<Option<bool>, ActionError> {
        match self.opt(name) {
            None => Ok(None),
            Some(v) if v.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Some(v) if v.eq_ignore_ascii_case("false") => Ok(Some(false)),
            Some(_) => Err(incorrect(name)),
        }
    }

    /// An integer in `min..=max`, or 400 `InvalidParameter.{name}`.
    fn int(&self, name: &str, min: u32, max: u32) -> Result<Option<u32>, ActionError> {
        let Some(v) = self.opt(name) else {
            return Ok(None);
        };
        match v.parse::<u32>() {
            Ok(n) if (min..=max).contains(&n) => Ok(Some(n)),
            _ => Err(ActionError::invalid(
                name,
                Problem::OutOfRange {
                    min: min.into(),
                    max: max.into(),
                },
            )),
        }
    }

    /// `MaxItems`: 1–1000, default 100.
    fn max_items(&self) -> Result<usize, ActionError> {
        let most = u32::try_from(Page::MAX_ITEMS).unwrap_or(u32::MAX);
        let max = self.int("MaxItems", 1, most)?;
        Ok(max.map_or(Page::DEFAULT_MAX_ITEMS, |n| n as usize))
    }

    /// `Marker` (empty: from the start).
    fn marker(&self) -> String {
        self.raw("Marker").unwrap_or_default().to_owned()
    }

    /// `MaxItems` and `Marker`.
    fn page(&self) -> Result<Page, ActionError> {
        let max_items = self.max_items()?;
        Ok(Page {
            marker: self.marker(),
            max_items,
        })
    }

    /// `PolicyType` (`System` / `Custom`), or 400 `InvalidParameter.PolicyType`.
    fn policy_type(&self) -> Result<Option<PolicyType>, ActionError> {
        match self.opt("PolicyType") {
            None => Ok(None),
            Some(v) => PolicyType::parse(v)
                .map(Some)
                .ok_or_else(|| incorrect("PolicyType")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(action: RamAction, pairs: &[(&str, &str)]) -> Result<RamCall, ActionError> {
        let params = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        parse(action, &params)
    }

    fn code(r: Result<RamCall, ActionError>) -> String {
        match r {
            Ok(c) => format!("ok {}", c.name()),
            Err(e) => crate::error::action(crate::Service::Ram, &e).code,
        }
    }

    #[test]
    fn authorized_names_are_required_before_other_checks() {
        let bad_user = [("UserName", "bad name"), ("PolicyType", "Foo")];
        assert_eq!(
            code(call(RamAction::AttachPolicyToUser, &bad_user)),
            "MissingPolicyName"
        );
        let only_policy = [("PolicyName", "p"), ("PolicyType", "Foo")];
        assert_eq!(
            code(call(RamAction::AttachPolicyToUser, &only_policy)),
            "MissingUserName"
        );
        let both = [
            ("PolicyName", "p"),
            ("UserName", "bad name"),
            ("PolicyType", "Foo"),
        ];
        assert_eq!(
            code(call(RamAction::AttachPolicyToUser, &both)),
            "InvalidParameter.PolicyType"
        );
        let group = [("UserName", "bad name")];
        assert_eq!(
            code(call(RamAction::AddUserToGroup, &group)),
            "MissingGroupName"
        );
    }

    #[test]
    fn values_are_typed() {
        let update = [
            ("UserName", "alice"),
            ("NewComments", ""),
            ("NewEmail", "a@b.io"),
        ];
        let Ok(RamCall::UpdateUser(u)) = call(RamAction::UpdateUser, &update) else {
            panic!("UpdateUser");
        };
        assert_eq!(u.new_comments.as_deref(), Some(""));
        assert_eq!(u.new_email.as_deref(), Some("a@b.io"));
        assert_eq!(u.new_display_name, None);
        let Ok(RamCall::ListUsers(page)) = call(RamAction::ListUsers, &[("Marker", "m")]) else {
            panic!("ListUsers");
        };
        assert_eq!((page.marker.as_str(), page.max_items), ("m", 100));
        for bad in ["0", "1001", "x"] {
            let r = call(RamAction::ListRoles, &[("MaxItems", bad)]);
            assert_eq!(code(r), "InvalidParameter.MaxItems", "{bad}");
        }
        let role = [("RoleName", "r"), ("AssumeRolePolicyDocument", "{")];
        assert_eq!(
            code(call(RamAction::CreateRole, &role)),
            "MalformedPolicyDocument"
        );
        let version = [("PolicyName", "p"), ("VersionId", "v01")];
        assert_eq!(
            code(call(RamAction::DeletePolicyVersion, &version)),
            "InvalidParameter.VersionId.Format"
        );
        assert_eq!(
            code(call(RamAction::GetAccountAlias, &[])),
            "ok GetAccountAlias"
        );
    }
}
