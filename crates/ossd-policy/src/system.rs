//! Built-in system policies (docs/protocol/authorization.md#system-policies): read-only,
//! `PolicyType: System`.

/// `(name, description, document)` of every system policy.
const SYSTEM_POLICIES: [(&str, &str, &str); 6] = [
    (
        "AdministratorAccess",
        "Full access to every resource of the account.",
        r#"{"Statement":[{"Action":"*","Effect":"Allow","Resource":"*"}],"Version":"1"}"#,
    ),
    (
        "AliyunOSSFullAccess",
        "Full access to Object Storage Service (OSS).",
        r#"{"Statement":[{"Action":"oss:*","Effect":"Allow","Resource":"*"}],"Version":"1"}"#,
    ),
    (
        "AliyunOSSReadOnlyAccess",
        "Read-only access to Object Storage Service (OSS).",
        r#"{"Statement":[{"Action":["oss:Get*","oss:List*"],"Effect":"Allow","Resource":"*"}],"Version":"1"}"#,
    ),
    (
        "AliyunSTSAssumeRoleAccess",
        "Permission to call AssumeRole of the Security Token Service (STS).",
        r#"{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Resource":"*"}],"Version":"1"}"#,
    ),
    (
        "AliyunRAMFullAccess",
        "Full access to Resource Access Management (RAM): users, groups, roles and policies.",
        r#"{"Statement":[{"Action":"ram:*","Effect":"Allow","Resource":"*"}],"Version":"1"}"#,
    ),
    (
        "AliyunRAMReadOnlyAccess",
        "Read-only access to Resource Access Management (RAM).",
        r#"{"Version":"1","Statement":[{"Action":["ram:Get*","ram:List*","ram:GenerateCredentialReport"],"Resource":"*","Effect":"Allow"}]}"#,
    ),
];

/// Every system policy as `(name, description, document JSON)`
/// (docs/protocol/authorization.md#system-policies).
pub fn system_policies() -> &'static [(&'static str, &'static str, &'static str)] {
    &SYSTEM_POLICIES
}

/// The system policy named `name` (exact spelling), if any.
pub fn system_policy(name: &str) -> Option<(&'static str, &'static str, &'static str)> {
    SYSTEM_POLICIES.iter().copied().find(|(n, _, _)| *n == name)
}

/// The `DefaultVersion` ListPolicies reports for a system policy
/// (docs/protocol/authorization.md#system-policies).
pub fn system_policy_default_version(name: &str) -> Option<&'static str> {
    match name {
        "AliyunRAMReadOnlyAccess" => Some("v3"),
        _ => system_policy(name).map(|_| "v1"),
    }
}
