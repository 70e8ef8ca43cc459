//! GetBucketPolicyStatus's response, `<PolicyStatus><IsPublic>…</IsPublic></PolicyStatus>`
//! (OSS API reference, GetBucketPolicyStatus; S3 API reference, GetBucketPolicyStatus).

use super::writer::XmlWriter;

/// The GetBucketPolicyStatus response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PolicyStatus {
    /// `<IsPublic>`: whether the bucket is open to the public (docs/protocol/policy.md#public-policies).
    pub is_public: bool,
}

impl PolicyStatus {
    /// The response document; the boolean is written `true` / `false` as in OSS's sample
    /// response (botocore reads only the lowercase `true` as true).
    pub fn to_xml(self) -> String {
        let mut w = XmlWriter::new();
        w.node("PolicyStatus", |w| {
            w.elem_plain("IsPublic", if self.is_public { "true" } else { "false" });
        });
        w.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document() {
        let doc = PolicyStatus { is_public: true }.to_xml();
        assert!(
            doc.ends_with("<PolicyStatus><IsPublic>true</IsPublic></PolicyStatus>"),
            "{doc}"
        );
        let doc = PolicyStatus { is_public: false }.to_xml();
        assert!(
            doc.ends_with("<PolicyStatus><IsPublic>false</IsPublic></PolicyStatus>"),
            "{doc}"
        );
    }
}
