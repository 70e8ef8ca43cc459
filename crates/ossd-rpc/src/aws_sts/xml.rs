//! The STS XML bodies (docs/protocol/aws-sts.md#assumerole, #getsessiontoken,
//! #getcalleridentity, #errors): `<{Action}Response>` with `<{Action}Result>` and
//! `ResponseMetadata/RequestId`, and `<ErrorResponse>`.

use super::code::AwsError;
use crate::json::timestamp;
use ossd_iam::{Caller, IssuedCredentials};

/// The XML namespace of every STS body.
pub const XMLNS: &str = "https://sts.amazonaws.com/doc/2011-06-15/";

/// `text` with the five XML special characters escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// `<name>text</name>`, escaped.
fn element(name: &str, text: &str) -> String {
    format!("<{name}>{}</{name}>", escape(text))
}

/// The caller's ARN in IAM form (docs/protocol/aws-sts.md#getcalleridentity).
pub fn aws_arn(caller: &Caller) -> String {
    match caller {
        Caller::Anonymous => String::new(),
        Caller::Root { account_id, .. } => format!("arn:aws:iam::{account_id}:root"),
        Caller::User {
            account_id,
            user_name,
            ..
        } => format!("arn:aws:iam::{account_id}:user/{user_name}"),
        Caller::Session {
            account_id,
            role_name,
            session_name,
            ..
        } => format!("arn:aws:sts::{account_id}:assumed-role/{role_name}/{session_name}"),
    }
}

/// `UserId` of GetCallerIdentity: the account, the UserId, or `{role id}:{session}`.
fn user_id(caller: &Caller) -> String {
    match caller {
        Caller::Anonymous => String::new(),
        Caller::Root { account_id, .. } => account_id.clone(),
        Caller::User { user_id, .. } => user_id.clone(),
        Caller::Session {
            role_id,
            session_name,
            ..
        } => format!("{role_id}:{session_name}"),
    }
}

/// A whole response: `<{action}Response><{action}Result>{result}</…><ResponseMetadata>…`.
fn response(action: &str, result: &str, request_id: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<{action}Response xmlns=\"{XMLNS}\">\
         <{action}Result>{result}</{action}Result>\
         <ResponseMetadata>{}</ResponseMetadata></{action}Response>",
        element("RequestId", request_id)
    )
}

/// `<Credentials>` of issued credentials.
fn credentials(c: &IssuedCredentials) -> String {
    format!(
        "<Credentials>{}{}{}{}</Credentials>",
        element("AccessKeyId", &c.access_key_id),
        element("SecretAccessKey", c.secret.as_str()),
        element("SessionToken", &c.security_token),
        element("Expiration", &timestamp(c.expiration)),
    )
}

/// The AssumeRole response; `packed_policy_size` only when a session policy was given.
pub fn assume_role(
    c: &IssuedCredentials,
    packed_policy_size: Option<u32>,
    request_id: &str,
) -> String {
    let mut result = credentials(c);
    if let Caller::Session {
        role_id,
        session_name,
        ..
    } = &c.principal
    {
        result.push_str(&format!(
            "<AssumedRoleUser>{}{}</AssumedRoleUser>",
            element("AssumedRoleId", &format!("{role_id}:{session_name}")),
            element("Arn", &aws_arn(&c.principal)),
        ));
    }
    if let Some(size) = packed_policy_size {
        result.push_str(&element("PackedPolicySize", &size.to_string()));
    }
    if let Some(source) = &c.source_identity {
        result.push_str(&element("SourceIdentity", source));
    }
    response("AssumeRole", &result, request_id)
}

/// The GetSessionToken response.
pub fn session_token(c: &IssuedCredentials, request_id: &str) -> String {
    response("GetSessionToken", &credentials(c), request_id)
}

/// The GetCallerIdentity response.
pub fn caller_identity(caller: &Caller, request_id: &str) -> String {
    let result = format!(
        "{}{}{}",
        element("Arn", &aws_arn(caller)),
        element("UserId", &user_id(caller)),
        element("Account", caller.account_id().unwrap_or_default()),
    );
    response("GetCallerIdentity", &result, request_id)
}

/// The error document.
pub fn error(e: &AwsError, request_id: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse xmlns=\"{XMLNS}\"><Error>{}{}{}</Error>{}</ErrorResponse>",
        element("Type", e.code.error_type()),
        element("Code", e.code.as_str()),
        element("Message", &e.message),
        element("RequestId", request_id),
    )
}
