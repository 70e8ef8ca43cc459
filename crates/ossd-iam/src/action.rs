//! [`RamAction`] and [`StsAction`]: the actions ossd implements, by name (the RAM and STS API
//! references: <https://api.aliyun.com/document/Ram/2015-05-01/overview>,
//! <https://api.aliyun.com/document/Sts/2015-04-01/overview>). Anything else is
//! `InvalidAction.NotFound`.

/// Defines an action enum with its wire names.
macro_rules! actions {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)*
        }

        impl $name {
            /// Every action.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)*];

            /// The action's name, e.g. `CreateUser`.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Self::$variant => stringify!($variant),)*
                }
            }

            /// The action named `name` (exact spelling), if ossd implements it.
            pub fn parse(name: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|a| a.name() == name)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

actions! {
    /// A RAM action (`Version=2015-05-01`).
    RamAction {
        /// CreateUser.
        CreateUser,
        /// GetUser.
        GetUser,
        /// UpdateUser.
        UpdateUser,
        /// ListUsers.
        ListUsers,
        /// DeleteUser.
        DeleteUser,
        /// CreateAccessKey.
        CreateAccessKey,
        /// ListAccessKeys.
        ListAccessKeys,
        /// UpdateAccessKey.
        UpdateAccessKey,
        /// DeleteAccessKey.
        DeleteAccessKey,
        /// GetAccessKeyLastUsed.
        GetAccessKeyLastUsed,
        /// CreateGroup.
        CreateGroup,
        /// GetGroup.
        GetGroup,
        /// UpdateGroup.
        UpdateGroup,
        /// ListGroups.
        ListGroups,
        /// DeleteGroup.
        DeleteGroup,
        /// AddUserToGroup.
        AddUserToGroup,
        /// RemoveUserFromGroup.
        RemoveUserFromGroup,
        /// ListGroupsForUser.
        ListGroupsForUser,
        /// ListUsersForGroup.
        ListUsersForGroup,
        /// CreateRole.
        CreateRole,
        /// GetRole.
        GetRole,
        /// UpdateRole.
        UpdateRole,
        /// ListRoles.
        ListRoles,
        /// DeleteRole.
        DeleteRole,
        /// CreatePolicy.
        CreatePolicy,
        /// GetPolicy.
        GetPolicy,
        /// ListPolicies.
        ListPolicies,
        /// UpdatePolicyDescription.
        UpdatePolicyDescription,
        /// DeletePolicy.
        DeletePolicy,
        /// CreatePolicyVersion.
        CreatePolicyVersion,
        /// GetPolicyVersion.
        GetPolicyVersion,
        /// ListPolicyVersions.
        ListPolicyVersions,
        /// DeletePolicyVersion.
        DeletePolicyVersion,
        /// SetDefaultPolicyVersion.
        SetDefaultPolicyVersion,
        /// AttachPolicyToUser.
        AttachPolicyToUser,
        /// AttachPolicyToGroup.
        AttachPolicyToGroup,
        /// AttachPolicyToRole.
        AttachPolicyToRole,
        /// DetachPolicyFromUser.
        DetachPolicyFromUser,
        /// DetachPolicyFromGroup.
        DetachPolicyFromGroup,
        /// DetachPolicyFromRole.
        DetachPolicyFromRole,
        /// ListPoliciesForUser.
        ListPoliciesForUser,
        /// ListPoliciesForGroup.
        ListPoliciesForGroup,
        /// ListPoliciesForRole.
        ListPoliciesForRole,
        /// ListEntitiesForPolicy.
        ListEntitiesForPolicy,
        /// GetAccountAlias.
        GetAccountAlias,
        /// SetAccountAlias.
        SetAccountAlias,
        /// ClearAccountAlias.
        ClearAccountAlias,
        /// SimulatePrincipalPolicy: an ossd extension, the decision for a principal
        /// (docs/protocol/ram.md#simulateprincipalpolicy-ossd-extension).
        SimulatePrincipalPolicy,
    }
}

impl RamAction {
    /// Whether the action changes state (everything but the `Get*` and `List*` reads).
    pub const fn is_mutation(self) -> bool {
        !matches!(
            self,
            Self::GetUser
                | Self::ListUsers
                | Self::ListAccessKeys
                | Self::GetAccessKeyLastUsed
                | Self::GetGroup
                | Self::ListGroups
                | Self::ListGroupsForUser
                | Self::ListUsersForGroup
                | Self::GetRole
                | Self::ListRoles
                | Self::GetPolicy
                | Self::ListPolicies
                | Self::GetPolicyVersion
                | Self::ListPolicyVersions
                | Self::ListPoliciesForUser
                | Self::ListPoliciesForGroup
                | Self::ListPoliciesForRole
                | Self::ListEntitiesForPolicy
                | Self::GetAccountAlias
                | Self::SimulatePrincipalPolicy
        )
    }

    /// Whether the action pages its result with `MaxItems` / `Marker`.
    pub const fn is_paged(self) -> bool {
        matches!(
            self,
            Self::ListUsers
                | Self::ListGroups
                | Self::ListRoles
                | Self::ListPolicies
                | Self::ListUsersForGroup
        )
    }
}

actions! {
    /// An STS action (`Version=2015-04-01`).
    StsAction {
        /// AssumeRole: temporary credentials of a role.
        AssumeRole,
        /// GetCallerIdentity: who signed the request.
        GetCallerIdentity,
    }
}

impl StsAction {
    /// Whether the action issues credentials (and so is audited).
    pub const fn is_mutation(self) -> bool {
        matches!(self, Self::AssumeRole)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_reads_are_not_mutations() {
        for a in RamAction::ALL {
            assert_eq!(RamAction::parse(a.name()), Some(*a));
            let read = a.name().starts_with("Get")
                || a.name().starts_with("List")
                || a.name().starts_with("Simulate");
            assert_eq!(a.is_mutation(), !read, "{a}");
        }
        assert_eq!(RamAction::ALL.len(), 48);
        assert_eq!(RamAction::parse("createuser"), None);
        assert_eq!(StsAction::parse("AssumeRole"), Some(StsAction::AssumeRole));
        assert!(!StsAction::GetCallerIdentity.is_mutation());
    }
}
