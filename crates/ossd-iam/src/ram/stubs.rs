//! The RAM actions of the SDKs that ossd does not implement (docs/protocol/ram.md#sdk-only-actions).

/// The SDK actions of docs/protocol/ram.md#sdk-only-actions, answered with `InvalidAction.NotFound` for now.
pub const STUB_ACTIONS: &[&str] = &[
    "BindMFADevice",
    "ChangePassword",
    "CreateLoginProfile",
    "CreateServiceLinkedRole",
    "CreateVirtualMFADevice",
    "DecodeDiagnosticMessage",
    "DeleteLoginProfile",
    "DeleteServiceLinkedRole",
    "DeleteVirtualMFADevice",
    "GetLoginProfile",
    "GetPasswordPolicy",
    "GetSecurityPreference",
    "GetServiceLinkedRoleTemplate",
    "GetUserMFAInfo",
    "ListTagResources",
    "ListVirtualMFADevices",
    "SetPasswordPolicy",
    "SetSecurityPreference",
    "TagResources",
    "UnbindMFADevice",
    "UntagResources",
    "UpdateLoginProfile",
];
