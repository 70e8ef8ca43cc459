//! The condition keys of a request (`acs:SourceIp`, `acs:SecureTransport`, `acs:CurrentTime`,
//! `acs:UserAgent`, `acs:Referer`, `oss:Prefix`, `oss:Delimiter`, `s3:max-keys`, ACL headers), as
//! the policy engine reads them.

use std::net::IpAddr;

use ossd_policy::RequestContext;
use ossd_proto::op::Operation;
use time::OffsetDateTime;

/// What the connection tells about a request.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Connection {
    /// The peer address.
    pub source_ip: IpAddr,
    /// Whether the request came over TLS.
    pub secure: bool,
}

/// The context of a non-OSS request (RPC): connection, time, user agent.
pub(crate) fn base(
    conn: Connection,
    now: OffsetDateTime,
    headers: &[(String, String)],
) -> RequestContext {
    let header = |n: &str| {
        headers
            .iter()
            .find(|(k, _)| k == n)
            .map(|(_, v)| v.as_str())
    };
    // `at` sets the time keys (`acs:CurrentTime`, `aws:EpochTime`) once.
    let mut ctx = RequestContext::at(now)
        .with_source_ip(conn.source_ip)
        .with_secure_transport(conn.secure);
    if let Some(ua) = header("user-agent") {
        ctx = ctx.with_user_agent(ua);
    }
    if let Some(r) = header("referer") {
        ctx = ctx.with_referer(r);
    }
    ctx
}

/// The context of an OSS request: the base keys plus listing and ACL keys.
pub(crate) fn oss(
    conn: Connection,
    now: OffsetDateTime,
    headers: &[(String, String)],
    op: Operation,
    query: impl Fn(&str) -> Option<String>,
) -> RequestContext {
    let mut ctx = base(conn, now, headers);
    let header = |n: &str| {
        headers
            .iter()
            .find(|(k, _)| k == n)
            .map(|(_, v)| v.as_str())
    };
    if matches!(
        op,
        Operation::ListObjects
            | Operation::ListObjectsV2
            | Operation::ListObjectVersions
            | Operation::ListMultipartUploads
    ) {
        ctx = ctx.with_prefix(&query("prefix").unwrap_or_default());
        if let Some(d) = query("delimiter").filter(|d| !d.is_empty()) {
            ctx = ctx.with_delimiter(&d);
        }
        // `s3:max-keys` (docs/protocol/iam-grammar.md#condition-keys).
        if let Some(m) = query("max-keys").filter(|m| !m.is_empty()) {
            ctx = ctx.with_max_keys(&m);
        }
    }
    if let Some(acl) = header("x-oss-acl") {
        ctx = ctx.with_x_oss_acl(acl);
    }
    if let Some(acl) = header("x-oss-object-acl") {
        ctx = ctx.with_x_oss_object_acl(acl);
    }
    ctx
}
