//! The two wire dialects ossd speaks over one typed request model (docs/s3.md#the-dialect-rule).

/// Which wire dialect a request came in, and so which one its response is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Dialect {
    /// Alibaba Cloud OSS: `x-oss-*` headers, OSS error documents.
    #[default]
    Oss,
    /// Amazon S3: `x-amz-*` headers, S3 error documents and XML namespace.
    S3,
}

impl Dialect {
    /// The label used in metrics and the access log.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Oss => "oss",
            Self::S3 => "s3",
        }
    }

    /// Whether `key` is a valid object key in this dialect: OSS refuses a leading `\`, S3 takes
    /// it ([`ossd_types::ObjectKey::new_s3`]).
    pub fn valid_key(self, key: &str) -> bool {
        match self {
            Self::Oss => ossd_types::ObjectKey::new(key).is_ok(),
            Self::S3 => ossd_types::ObjectKey::new_s3(key).is_ok(),
        }
    }

    /// The dialect a signed request's scheme belongs to: AWS schemes (`AWS4-HMAC-SHA256`,
    /// `AWS ak:sig`, `X-Amz-Algorithm`, `AWSAccessKeyId`) are S3, everything else OSS. Anonymous
    /// requests keep the listener's dialect (docs/s3.md#the-dialect-rule).
    pub fn of_request(
        authorization: Option<&str>,
        query: &[ossd_sig::QueryParam],
        listener: Dialect,
    ) -> Dialect {
        if let Some(auth) = authorization {
            let auth = auth.trim_start();
            return if auth.starts_with("AWS4-HMAC-SHA256 ") || auth.starts_with("AWS ") {
                Dialect::S3
            } else if auth.starts_with("OSS") {
                Dialect::Oss
            } else {
                listener
            };
        }
        let has = |k: &str| query.iter().any(|p| p.key == k);
        if has("X-Amz-Algorithm") || has("X-Amz-Credential") || has("AWSAccessKeyId") {
            return Dialect::S3;
        }
        if has("OSSAccessKeyId") || has("x-oss-signature-version") || has("x-oss-credential") {
            return Dialect::Oss;
        }
        listener
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ossd_sig::QueryParam;

    #[test]
    fn leading_backslash_is_an_s3_key_only() {
        assert!(Dialect::S3.valid_key("\\$foo.txt"));
        assert!(!Dialect::Oss.valid_key("\\$foo.txt"));
        assert!(!Dialect::S3.valid_key("/a"));
        assert!(Dialect::Oss.valid_key("a\\b"));
    }

    #[test]
    fn signature_decides_then_listener() {
        let none: &[QueryParam] = &[];
        let v4 = Some("AWS4-HMAC-SHA256 Credential=a/20260101/us-east-1/s3/aws4_request, ...");
        assert_eq!(Dialect::of_request(v4, none, Dialect::Oss), Dialect::S3);
        assert_eq!(
            Dialect::of_request(Some("AWS ak:sig"), none, Dialect::Oss),
            Dialect::S3
        );
        assert_eq!(
            Dialect::of_request(Some("OSS ak:sig"), none, Dialect::S3),
            Dialect::Oss
        );
        let presigned = [QueryParam::new("X-Amz-Algorithm", "AWS4-HMAC-SHA256")];
        assert_eq!(
            Dialect::of_request(None, &presigned, Dialect::Oss),
            Dialect::S3
        );
        let v2 = [QueryParam::new("AWSAccessKeyId", "ak")];
        assert_eq!(Dialect::of_request(None, &v2, Dialect::Oss), Dialect::S3);
        let oss = [QueryParam::new("OSSAccessKeyId", "ak")];
        assert_eq!(Dialect::of_request(None, &oss, Dialect::S3), Dialect::Oss);
        assert_eq!(Dialect::of_request(None, none, Dialect::S3), Dialect::S3);
        assert_eq!(Dialect::of_request(None, none, Dialect::Oss), Dialect::Oss);
    }
}
