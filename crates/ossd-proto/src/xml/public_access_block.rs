//! `<PublicAccessBlockConfiguration>`, the body of Put/GetBucketPublicAccessBlock and
//! Put/GetPublicAccessBlock in both dialects (docs/protocol/buckets.md#block-public-access):
//! OSS has one `BlockPublicAccess` flag (OSS API reference, PutBucketPublicAccessBlock), S3
//! four (S3 API reference, PutPublicAccessBlock). Stored as the S3 form, which holds both.

use ossd_policy::PublicAccessBlock;
use ossd_types::BucketConfig;

use super::reader::{MAX_CONFIG_BODY_BYTES, Node, parse_document};
use super::writer::XmlWriter;
use crate::dialect::Dialect;
use crate::error::OssError;

/// The root element of the document in both dialects.
const ROOT: &str = "PublicAccessBlockConfiguration";
/// The S3 elements, in the order of the S3 API reference.
const S3_FLAGS: [&str; 4] = [
    "BlockPublicAcls",
    "IgnorePublicAcls",
    "BlockPublicPolicy",
    "RestrictPublicBuckets",
];

/// A bucket's (or an account's) Block Public Access configuration.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PublicAccessBlockConfiguration(pub PublicAccessBlock);

impl PublicAccessBlockConfiguration {
    /// Parses a PUT body of `dialect`. OSS: `BlockPublicAccess` (optional, `false` when
    /// absent, as documented) sets all four settings. S3: each of the four elements,
    /// `false` when absent. A value other than `true` / `false` (in any case) is
    /// `MalformedXML`.
    pub fn parse(body: &[u8], dialect: Dialect) -> Result<Self, OssError> {
        let root = parse_document(body, MAX_CONFIG_BODY_BYTES, ROOT)?;
        match dialect {
            Dialect::Oss => Ok(Self(PublicAccessBlock::from_oss(flag(
                &root,
                "BlockPublicAccess",
            )?))),
            Dialect::S3 => Self::parse_s3_node(&root),
        }
    }

    fn parse_s3_node(root: &Node) -> Result<Self, OssError> {
        let [acls, ignore, policy, restrict] = S3_FLAGS;
        Ok(Self(PublicAccessBlock {
            block_public_acls: flag(root, acls)?,
            ignore_public_acls: flag(root, ignore)?,
            block_public_policy: flag(root, policy)?,
            restrict_public_buckets: flag(root, restrict)?,
        }))
    }

    /// The GET document of `dialect`: OSS's `BlockPublicAccess` is `true` when all four
    /// settings are on ([`PublicAccessBlock::blocks_all`]).
    pub fn to_xml(&self, dialect: Dialect) -> String {
        let b = self.0;
        let mut w = XmlWriter::new();
        w.node(ROOT, |w| match dialect {
            Dialect::Oss => {
                w.elem_plain("BlockPublicAccess", text(b.blocks_all()));
            }
            Dialect::S3 => {
                let values = [
                    b.block_public_acls,
                    b.ignore_public_acls,
                    b.block_public_policy,
                    b.restrict_public_buckets,
                ];
                for (name, value) in S3_FLAGS.into_iter().zip(values) {
                    w.elem_plain(name, text(value));
                }
            }
        });
        w.finish()
    }
}

/// `true` / `false` as the SDKs write and read them (botocore reads only lowercase `true`).
const fn text(value: bool) -> &'static str {
    if value { "true" } else { "false" }
}

/// An optional boolean element: absent is `false`; `true` / `false` in any case, as oss2 writes
/// Python's `True` / `False` (its `put_bucket_public_access_block` sends `str(bool)`).
fn flag(root: &Node, name: &str) -> Result<bool, OssError> {
    match root.child_text(name)?.map(str::trim) {
        None => Ok(false),
        Some(v) if v.eq_ignore_ascii_case("false") => Ok(false),
        Some(v) if v.eq_ignore_ascii_case("true") => Ok(true),
        Some(_) => Err(OssError::malformed_xml()),
    }
}

impl BucketConfig for PublicAccessBlockConfiguration {
    const KIND: &'static str = "publicAccessBlock";
    type DecodeError = OssError;

    fn decode(stored: &str) -> Result<Self, OssError> {
        Self::parse(stored.as_bytes(), Dialect::S3)
    }

    fn encode(&self) -> Option<String> {
        Some(self.to_xml(Dialect::S3))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OSS_ON: &[u8] = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><PublicAccessBlockConfiguration><BlockPublicAccess>true</BlockPublicAccess></PublicAccessBlockConfiguration>";

    #[test]
    fn oss_body_sets_all_four() {
        let c = PublicAccessBlockConfiguration::parse(OSS_ON, Dialect::Oss);
        assert_eq!(
            c,
            Ok(PublicAccessBlockConfiguration(PublicAccessBlock::ALL))
        );
        let off = b"<PublicAccessBlockConfiguration><BlockPublicAccess>false</BlockPublicAccess></PublicAccessBlockConfiguration>";
        let c = PublicAccessBlockConfiguration::parse(off, Dialect::Oss);
        assert_eq!(c, Ok(PublicAccessBlockConfiguration::default()));
        let python = b"<PublicAccessBlockConfiguration><BlockPublicAccess>True</BlockPublicAccess></PublicAccessBlockConfiguration>";
        let c = PublicAccessBlockConfiguration::parse(python, Dialect::Oss);
        assert_eq!(
            c,
            Ok(PublicAccessBlockConfiguration(PublicAccessBlock::ALL))
        );
        let empty = b"<PublicAccessBlockConfiguration/>";
        let c = PublicAccessBlockConfiguration::parse(empty, Dialect::Oss);
        assert_eq!(c, Ok(PublicAccessBlockConfiguration::default()));
    }

    #[test]
    fn s3_body_reads_each_flag() {
        let body = b"<PublicAccessBlockConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>false</IgnorePublicAcls><RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>";
        let Ok(c) = PublicAccessBlockConfiguration::parse(body, Dialect::S3) else {
            panic!("parse");
        };
        assert!(c.0.block_public_acls && c.0.restrict_public_buckets);
        assert!(!c.0.ignore_public_acls && !c.0.block_public_policy);
        let doc = c.to_xml(Dialect::S3);
        assert!(
            doc.ends_with("<PublicAccessBlockConfiguration><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>false</IgnorePublicAcls><BlockPublicPolicy>false</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>"),
            "{doc}"
        );
        assert!(
            c.to_xml(Dialect::Oss)
                .contains("<BlockPublicAccess>false</BlockPublicAccess>")
        );
    }

    #[test]
    fn bad_values_and_roots_are_malformed() {
        let bad = b"<PublicAccessBlockConfiguration><BlockPublicAccess>yes</BlockPublicAccess></PublicAccessBlockConfiguration>";
        assert!(PublicAccessBlockConfiguration::parse(bad, Dialect::Oss).is_err());
        let wrong_root = b"<Other><BlockPublicAccess>true</BlockPublicAccess></Other>";
        assert!(PublicAccessBlockConfiguration::parse(wrong_root, Dialect::Oss).is_err());
        assert!(PublicAccessBlockConfiguration::parse(b"not xml", Dialect::S3).is_err());
    }

    #[test]
    fn stored_form_round_trips() {
        let c = PublicAccessBlockConfiguration(PublicAccessBlock::ALL);
        let Some(stored) = c.encode() else {
            panic!("encode");
        };
        assert_eq!(PublicAccessBlockConfiguration::decode(&stored), Ok(c));
        assert!(
            c.to_xml(Dialect::Oss)
                .contains("<BlockPublicAccess>true</BlockPublicAccess>")
        );
    }
}
