//! S3 ACL grants and OSS's canned ACLs (docs/s3.md#acls): OSS keeps one canned ACL per bucket
//! and object, S3 a list of grants. Grants to the AllUsers group decide the canned ACL; grants
//! to single accounts are not kept (the owner always has full control, and others are given
//! access by policies).

use crate::xml::XmlWriter;

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
}
