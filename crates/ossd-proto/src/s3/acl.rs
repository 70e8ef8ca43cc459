//! S3 ACL grants and OSS's canned ACLs (docs/s3.md#acls): OSS keeps one canned ACL per bucket
//! and object, S3 a list of grants. Grants to the AllUsers group decide the canned ACL; a grant
//! to a single account may only name the owner, who always has full control (others are given
//! access by policies), and is not kept.

use crate::error::{OssCode, OssError};
use crate::xml::reader::parse_document;
use crate::xml::{MAX_CONFIG_BODY_BYTES, XmlWriter};

use super::headers::ALL_USERS;

/// The XML Schema instance namespace `xsi:type` comes from.
const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// The canned ACL an S3 `AccessControlPolicy` document amounts to: a WRITE (or FULL_CONTROL)
/// grant to AllUsers is `public-read-write`, a READ grant `public-read`, anything else
/// `private`. The document is searched, not validated: OSS-dialect parsing is not involved.
pub fn canned_from_grants(doc: &str) -> &'static str {
    let mut read = false;
    let mut write = false;
    for grant in doc.split("<Grant>").skip(1) {
        let grant = grant.split("</Grant>").next().unwrap_or_default();
        if !grant.contains(ALL_USERS) {
            continue;
        }
        let permission = grant
            .split("<Permission>")
            .nth(1)
            .and_then(|p| p.split("</Permission>").next())
            .unwrap_or_default()
            .trim();
        match permission {
            "READ" => read = true,
            "WRITE" | "FULL_CONTROL" => write = true,
            _ => {}
        }
    }
    if write {
        "public-read-write"
    } else if read {
        "public-read"
    } else {
        "private"
    }
}

/// Checks that an S3 PutBucketAcl / PutObjectAcl body is a well-formed `AccessControlPolicy`
/// document within the configuration size limit before its grants are read: anything else is
/// 400 `MalformedACLError` (S3 API reference, "Error responses"), and a body over
/// [`MAX_CONFIG_BODY_BYTES`] is `EntityTooLarge`, so a truncated or foreign body never
/// changes the ACL.
pub fn check_acl_document(body: &[u8]) -> Result<(), OssError> {
    match parse_document(body, MAX_CONFIG_BODY_BYTES, "AccessControlPolicy") {
        Ok(_) => Ok(()),
        Err(e) if e.code == OssCode::EntityTooLarge => Err(e),
        Err(_) => Err(OssError::new(OssCode::MalformedACLError)),
    }
}

/// A grantee of an `AccessControlPolicy` document that names no account of this server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnknownGrantee {
    /// A `CanonicalUser` whose `<ID>` is not the owner's (S3: 400 `InvalidArgument`).
    Id(String),
    /// An `AmazonCustomerByEmail` grantee (S3: 400 `UnresolvableGrantByEmailAddress`).
    Email(String),
}

/// Checks the grantees of an S3 `AccessControlPolicy` document before its canned ACL is applied:
/// a canonical user must be `owner_id`, the one account a grant can name on this server, and an
/// e-mail address never resolves (accounts have none here). S3 refuses a grant to an id or
/// address it does not know rather than drop it (ceph/s3-tests' `test_bucket_acl_grant_nonexist_user`
/// and `test_bucket_acl_grant_email_not_exist`); group grantees are read by
/// [`canned_from_grants`].
pub fn check_grantees(doc: &str, owner_id: &str) -> Result<(), UnknownGrantee> {
    for grant in doc.split("<Grant>").skip(1) {
        let grant = grant.split("</Grant>").next().unwrap_or_default();
        if let Some(email) = element(grant, "EmailAddress") {
            return Err(UnknownGrantee::Email(email.to_owned()));
        }
        match element(grant, "ID") {
            Some(id) if id != owner_id => return Err(UnknownGrantee::Id(id.to_owned())),
            _ => {}
        }
    }
    Ok(())
}

/// Checks the grantees of the `x-amz-grant-*` headers (`id="…"`, `emailAddress="…"`, `uri="…"`,
/// comma-separated) by the rule of [`check_grantees`].
pub fn check_grant_headers(
    headers: &[(String, String)],
    owner_id: &str,
) -> Result<(), UnknownGrantee> {
    let grants = headers
        .iter()
        .filter(|(k, _)| k.starts_with("x-amz-grant-"));
    for (_, value) in grants {
        for grantee in value.split(',') {
            let Some((kind, v)) = grantee.split_once('=') else {
                continue;
            };
            let v = v.trim().trim_matches('"');
            match kind.trim().to_ascii_lowercase().as_str() {
                "emailaddress" => return Err(UnknownGrantee::Email(v.to_owned())),
                "id" if v != owner_id => return Err(UnknownGrantee::Id(v.to_owned())),
                _ => {}
            }
        }
    }
    Ok(())
}

impl From<UnknownGrantee> for OssError {
    /// S3's answers: 400 `InvalidArgument` ("Invalid id") for an id, 400
    /// `UnresolvableGrantByEmailAddress` for an e-mail address.
    fn from(e: UnknownGrantee) -> Self {
        match e {
            UnknownGrantee::Id(id) => {
                OssError::invalid_argument_value("Invalid id", "CanonicalUser/ID", &id)
            }
            UnknownGrantee::Email(_) => OssError::new(OssCode::UnresolvableGrantByEmailAddress),
        }
    }
}

/// The trimmed text of the first `<name>` element of `xml`, if any.
fn element<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let rest = xml.split_once(open.as_str())?.1;
    Some(rest.split_once(close.as_str())?.0.trim())
}

/// The `<AccessControlList>` of S3 for an OSS canned ACL: the AllUsers READ (and WRITE) grants
/// the ACL gives, then the owner's FULL_CONTROL. `default` (an object that follows its
/// bucket) lists the owner's grant only.
pub fn grants_xml(owner_id: &str, canned: &str) -> String {
    let mut w = XmlWriter::new();
    let grant = |w: &mut XmlWriter, group: bool, permission: &str| {
        w.node("Grant", |w| {
            let kind = if group { "Group" } else { "CanonicalUser" };
            let attrs = [("xmlns:xsi", XSI), ("xsi:type", kind)];
            w.node_with_attrs("Grantee", &attrs, |w| {
                if group {
                    w.elem("URI", ALL_USERS);
                } else {
                    w.elem("ID", owner_id).elem("DisplayName", owner_id);
                }
            });
            w.elem("Permission", permission);
        });
    };
    // The AllUsers grants first, then the owner's, in the order S3 lists them.
    w.node("AccessControlList", |w| {
        if matches!(canned, "public-read" | "public-read-write") {
            grant(w, true, "READ");
        }
        if canned == "public-read-write" {
            grant(w, true, "WRITE");
        }
        grant(w, false, "FULL_CONTROL");
    });
    let doc = w.finish();
    doc.split_once('\n')
        .map_or(doc.clone(), |(_, body)| body.to_owned())
}

#[cfg(test)]
mod tests {
    #[test]
    fn acl_documents_must_be_well_formed() {
        let good = b"<AccessControlPolicy><Owner><ID>1</ID></Owner><AccessControlList>\
            </AccessControlList></AccessControlPolicy>";
        assert_eq!(check_acl_document(good), Ok(()));
        for bad in [
            &b"<AccessControlPolicy><Owner>"[..],
            b"not xml",
            b"<Other/>",
            b"\xff\xfe",
        ] {
            let err = check_acl_document(bad).unwrap_err();
            assert_eq!(err.code, OssCode::MalformedACLError, "{bad:?}");
        }
        let mut huge = b"<AccessControlPolicy>".to_vec();
        huge.resize(MAX_CONFIG_BODY_BYTES + 1, b' ');
        assert_eq!(
            check_acl_document(&huge).unwrap_err().code,
            OssCode::EntityTooLarge
        );
    }

    use super::*;

    #[test]
    fn grants_round_trip() {
        for canned in ["private", "public-read", "public-read-write"] {
            let doc = grants_xml("1001", canned);
            assert_eq!(canned_from_grants(&doc), canned, "{doc}");
        }
        let doc = grants_xml("1001", "public-read");
        assert!(
            doc.starts_with("<AccessControlList><Grant><Grantee "),
            "{doc}"
        );
        assert!(
            doc.contains("<Permission>FULL_CONTROL</Permission>"),
            "{doc}"
        );
        assert_eq!(canned_from_grants("<AccessControlPolicy/>"), "private");
    }

    #[test]
    fn grantees_must_name_the_owner() {
        // What GetBucketAcl answers passes, whatever the canned ACL.
        for canned in ["private", "public-read", "public-read-write"] {
            assert_eq!(check_grantees(&grants_xml("1001", canned), "1001"), Ok(()));
        }
        let user = |id: &str| {
            format!(
                "<AccessControlPolicy><AccessControlList><Grant><Grantee><ID> {id} </ID></Grantee>\
                 <Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>"
            )
        };
        assert_eq!(check_grantees(&user("1001"), "1001"), Ok(()));
        assert_eq!(
            check_grantees(&user("_foo"), "1001"),
            Err(UnknownGrantee::Id("_foo".to_owned()))
        );
        let email = "<Grant><Grantee><EmailAddress>a@b.c</EmailAddress></Grantee></Grant>";
        assert_eq!(
            check_grantees(email, "1001"),
            Err(UnknownGrantee::Email("a@b.c".to_owned()))
        );
        // The same rule for the x-amz-grant-* headers.
        let headers = |v: &str| vec![("x-amz-grant-read".to_owned(), v.to_owned())];
        let all = "uri=\"http://acs.amazonaws.com/groups/global/AllUsers\"";
        for ok in [all, "id=\"1001\"", "id=1001, uri=\"x\""] {
            assert_eq!(check_grant_headers(&headers(ok), "1001"), Ok(()), "{ok}");
        }
        assert_eq!(
            check_grant_headers(&headers("id=\"1001\", id=\"_foo\""), "1001"),
            Err(UnknownGrantee::Id("_foo".to_owned()))
        );
        assert_eq!(
            check_grant_headers(&headers("emailAddress=\"a@b.c\""), "1001"),
            Err(UnknownGrantee::Email("a@b.c".to_owned()))
        );
        // The Owner element is not a grant.
        let owner_only = "<AccessControlPolicy><Owner><ID>x</ID></Owner></AccessControlPolicy>";
        assert_eq!(check_grantees(owner_only, "1001"), Ok(()));
    }
}
