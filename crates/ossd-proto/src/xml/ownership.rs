//! S3 Object Ownership (docs/s3.md#object-ownership): the `<OwnershipControls>` document of
//! PutBucketOwnershipControls and GetBucketOwnershipControls, and CreateBucket's
//! `x-amz-object-ownership` value (S3 API reference, PutBucketOwnershipControls,
//! OwnershipControlsRule).

use super::reader::{MAX_CONFIG_BODY_BYTES, parse_document};
use super::writer::XmlWriter;
use crate::error::OssError;

/// One of S3's three Object Ownership settings. ossd has one account per server, so every
/// object is the bucket owner's whatever the setting; what differs is whether ACLs apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectOwnership {
    /// ACLs are disabled: writes that carry an ACL other than `bucket-owner-full-control`
    /// and PutBucketAcl/PutObjectAcl are refused, and existing ACLs grant nothing.
    BucketOwnerEnforced,
    /// ACLs apply; objects written with `bucket-owner-full-control` go to the bucket owner.
    BucketOwnerPreferred,
    /// ACLs apply; objects belong to their writer.
    ObjectWriter,
}

impl ObjectOwnership {
    /// Parses the exact S3 spelling; anything else is `None`.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "BucketOwnerEnforced" => Some(Self::BucketOwnerEnforced),
            "BucketOwnerPreferred" => Some(Self::BucketOwnerPreferred),
            "ObjectWriter" => Some(Self::ObjectWriter),
            _ => None,
        }
    }

    /// The S3 spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BucketOwnerEnforced => "BucketOwnerEnforced",
            Self::BucketOwnerPreferred => "BucketOwnerPreferred",
            Self::ObjectWriter => "ObjectWriter",
        }
    }

    /// Whether ACLs are disabled under this setting.
    pub fn acls_disabled(self) -> bool {
        self == Self::BucketOwnerEnforced
    }
}

/// A bucket's ownership controls: S3 documents `Rule` as a list, and every AWS setting is one
/// rule with one `ObjectOwnership`, so exactly one rule is accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OwnershipControls {
    /// The rule's setting.
    pub object_ownership: ObjectOwnership,
}

impl OwnershipControls {
    /// Parses a PutBucketOwnershipControls body: anything but one `<Rule>` with one known
    /// `<ObjectOwnership>` is `MalformedXML`, as S3 answers for a value outside its schema.
    pub fn parse(body: &[u8]) -> Result<Self, OssError> {
        let root = parse_document(body, MAX_CONFIG_BODY_BYTES, "OwnershipControls")?;
        let mut rules = root.children_named("Rule");
        let (Some(rule), None) = (rules.next(), rules.next()) else {
            return Err(OssError::malformed_xml());
        };
        let value = rule.required_text("ObjectOwnership")?;
        let object_ownership =
            ObjectOwnership::parse(value.trim()).ok_or_else(OssError::malformed_xml)?;
        Ok(Self { object_ownership })
    }

    /// The GetBucketOwnershipControls document.
    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.node("OwnershipControls", |w| {
            w.node("Rule", |w| {
                w.elem("ObjectOwnership", self.object_ownership.as_str());
            });
        });
        w.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_setting_and_renders_it_back() {
        for value in [
            "BucketOwnerEnforced",
            "BucketOwnerPreferred",
            "ObjectWriter",
        ] {
            let body = format!(
                "<OwnershipControls xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
                 <Rule><ObjectOwnership>{value}</ObjectOwnership></Rule></OwnershipControls>"
            );
            let parsed = OwnershipControls::parse(body.as_bytes());
            let Ok(parsed) = parsed else {
                panic!("{value} refused: {parsed:?}");
            };
            assert_eq!(parsed.object_ownership.as_str(), value);
            let doc = parsed.to_xml();
            assert!(
                doc.ends_with(&format!(
                    "<OwnershipControls><Rule><ObjectOwnership>{value}</ObjectOwnership>\
                     </Rule></OwnershipControls>"
                )),
                "{doc}"
            );
            assert_eq!(OwnershipControls::parse(doc.as_bytes()).ok(), Some(parsed));
        }
    }

    #[test]
    fn refuses_what_is_not_one_known_rule() {
        let bad = [
            "<OwnershipControls/>",
            "<OwnershipControls><Rule/></OwnershipControls>",
            "<OwnershipControls><Rule><ObjectOwnership>Nobody</ObjectOwnership></Rule></OwnershipControls>",
            "<OwnershipControls><Rule><ObjectOwnership>objectwriter</ObjectOwnership></Rule></OwnershipControls>",
            "<OwnershipControls><Rule><ObjectOwnership>ObjectWriter</ObjectOwnership></Rule>\
             <Rule><ObjectOwnership>ObjectWriter</ObjectOwnership></Rule></OwnershipControls>",
            "<Other><Rule><ObjectOwnership>ObjectWriter</ObjectOwnership></Rule></Other>",
            "<OwnershipControls><Rule><ObjectOwnership>ObjectWriter",
            "",
        ];
        for body in bad {
            let err = OwnershipControls::parse(body.as_bytes()).err();
            assert_eq!(err.map(|e| e.code.as_str()), Some("MalformedXML"), "{body}");
        }
    }

    #[test]
    fn only_enforced_disables_acls() {
        assert!(ObjectOwnership::BucketOwnerEnforced.acls_disabled());
        assert!(!ObjectOwnership::BucketOwnerPreferred.acls_disabled());
        assert!(!ObjectOwnership::ObjectWriter.acls_disabled());
        assert_eq!(ObjectOwnership::parse("BucketOwnerenforced"), None);
    }
}
