//! Renders the OSS action map as `ACTIONS.md`, so the documentation comes from the table.

use super::{AclGrant, OssAction, ResourceLevel, oss_actions};

/// The heading and explanation above the table.
const INTRO: &str = "# OSS operation → RAM action → resource

Generated from `src/oss_actions/table.rs` by `tests/actions_md.rs`
(`OSSD_BLESS=1 cargo test -p ossd-policy --test actions_md` rewrites it). Do not edit by hand.

Resources: service `acs:oss:{region}:{callerAcct}:*`, bucket `acs:oss:{region}:{ownerAcct}:{bucket}`,
object `acs:oss:{region}:{ownerAcct}:{bucket}/{key}` (decoded key). With `versionId` the
*versionId action* replaces the plain one. *ACL* tells which canned ACL grants the operation
when no policy decides: `read` (the object's effective ACL is public-read or public-read-write),
`list` (the bucket's ACL is public-read or public-read-write), `write` (the effective ACL is
public-read-write), `-` (never). *S3 action* is the name an IAM-grammar (`2012-10-17`) statement
uses for the same permission (with `versionId`: the S3 name of the versionId action), see
`docs/protocol/iam-grammar.md`.

| Operation | RAM action | versionId action | S3 action | Resource | ACL | Notes |
|---|---|---|---|---|---|---|
";

/// The whole `ACTIONS.md` text.
pub fn actions_markdown() -> String {
    let mut out = INTRO.to_owned();
    for row in oss_actions() {
        out.push_str(&render_row(row));
    }
    out
}

/// One table row.
fn render_row(row: &OssAction) -> String {
    let level = match row.resource {
        ResourceLevel::Service => "service",
        ResourceLevel::Bucket => "bucket",
        ResourceLevel::Object => "object",
    };
    let access = match row.acl {
        AclGrant::Never => "-",
        AclGrant::ObjectRead => "read",
        AclGrant::BucketRead => "list",
        AclGrant::Write => "write",
    };
    let version = row
        .version_action
        .map_or_else(String::new, |a| format!("`{a}`"));
    let s3 = [row.s3_action_for(false), row.s3_action_for(true)];
    let s3 = match s3 {
        [Some(plain), Some(version)] if plain != version => format!("`{plain}` / `{version}`"),
        [Some(plain), _] => format!("`{plain}`"),
        [None, _] => String::new(),
    };
    format!(
        "| {} | `{}` | {} | {} | {} | {} | {} |\n",
        row.operation, row.action, version, s3, level, access, row.notes
    )
}
