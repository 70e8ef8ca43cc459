//! The condition keys of a request (`acs:SourceIp`, `acs:SecureTransport`, `acs:CurrentTime`,
//! `acs:UserAgent`, `acs:Referer`, `oss:Prefix`, `oss:Delimiter`, `s3:max-keys`, ACL headers, and
//! for S3 requests the `s3:x-amz-*` header keys), as the policy engine reads them.

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

/// Adds the S3 header keys ([`ossd_policy::keys::S3_HEADER_KEYS`]) from an S3 request's headers
/// as sent (`wire`): each key is set only when its header is present, so a condition on a header
/// the request lacks never matches (docs/protocol/iam-grammar.md#condition-keys).
pub(crate) fn with_s3_headers(
    mut ctx: RequestContext,
    wire: Option<&[(String, String)]>,
) -> RequestContext {
    let Some(wire) = wire else {
        return ctx;
    };
    for key in ossd_policy::keys::S3_HEADER_KEYS {
        let Some(header) = key.strip_prefix("s3:") else {
            continue;
        };
        let Some((_, value)) = wire.iter().find(|(k, _)| k == header) else {
            continue;
        };
        let value = match header {
            "x-amz-copy-source" => copy_source_key(value),
            _ => value.trim().to_owned(),
        };
        ctx.set(key, [value]);
    }
    ctx
}

/// `s3:x-amz-copy-source` as AWS's examples compare it: `bucket/key`, percent-decoded, without a
/// leading `/` or a `?versionId=` (IAM: "Amazon S3 condition key examples").
fn copy_source_key(value: &str) -> String {
    let raw = value.trim();
    let raw = raw.split_once("?versionId=").map_or(raw, |(path, _)| path);
    let decoded = percent_encoding::percent_decode_str(raw).decode_utf8_lossy();
    decoded.trim_start_matches('/').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s3_header_keys_come_from_the_headers_as_sent() {
        let wire = vec![
            (
                "x-amz-copy-source".to_owned(),
                "/src/public%2Ffoo?versionId=3".to_owned(),
            ),
            ("x-amz-metadata-directive".to_owned(), "COPY".to_owned()),
            ("x-amz-grant-full-control".to_owned(), "id=owner".to_owned()),
        ];
        let ctx = with_s3_headers(RequestContext::new(), Some(&wire));
        assert_eq!(
            ctx.get("s3:x-amz-copy-source"),
            Some(&["src/public/foo".to_owned()][..])
        );
        assert_eq!(
            ctx.get("s3:x-amz-metadata-directive"),
            Some(&["COPY".to_owned()][..])
        );
        assert_eq!(
            ctx.get("s3:x-amz-grant-full-control"),
            Some(&["id=owner".to_owned()][..])
        );
        assert_eq!(ctx.get("s3:x-amz-grant-read"), None);
        assert_eq!(ctx.get("s3:x-amz-server-side-encryption"), None);
        // an OSS request (no wire headers) gets none of them
        let oss = with_s3_headers(RequestContext::new(), None);
        assert_eq!(oss.get("s3:x-amz-copy-source"), None);
    }
}
