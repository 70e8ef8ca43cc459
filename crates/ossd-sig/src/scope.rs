//! The V4 credential scope: `<yyyymmdd>/<region>/<product>/aliyun_v4_request` for OSS
//! (docs/protocol/signatures.md#v4-authorization-header) and
//! `<yyyymmdd>/<region>/<service>/aws4_request` for AWS
//! (docs/protocol/s3-signatures.md#v4-authorization-header).

/// The fixed last element of an OSS V4 scope.
const TERMINATOR: &str = "aliyun_v4_request";

/// The fixed last element of an AWS V4 scope.
const AWS_TERMINATOR: &str = "aws4_request";

/// The AWS services whose V4 signatures ossd verifies: S3 and the STS Query API.
const AWS_SERVICES: &[&str] = &["s3", "sts"];

/// Which signature family a scope belongs to: it decides the terminator and the prefix of the
/// signing key, so that a scope of one family never verifies a signature of the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScopeFamily {
    /// OSS V4: `aliyun_v4_request`, key prefix `aliyun_v4`.
    Oss,
    /// AWS Signature Version 4: `aws4_request`, key prefix `AWS4`.
    Aws,
}

impl ScopeFamily {
    /// The last element of the scope.
    pub fn terminator(self) -> &'static str {
        match self {
            Self::Oss => TERMINATOR,
            Self::Aws => AWS_TERMINATOR,
        }
    }

    /// What the secret is prefixed with to start the signing-key chain.
    pub fn key_prefix(self) -> &'static str {
        match self {
            Self::Oss => "aliyun_v4",
            Self::Aws => "AWS4",
        }
    }
}

/// The message OSS gives for a credential whose region is empty (oss2's
/// `test_sign_v4_no_region` receives it for a URL signed without a region).
const EMPTY_REGION_MESSAGE: &str = "The signing region in credential is invalid.";

/// A V4 credential scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// The scope date, `yyyymmdd`.
    pub date: String,
    /// The bare region id, e.g. `cn-hangzhou`.
    pub region: String,
    /// The product, `oss` (or `oss-cloudbox`).
    pub product: String,
}

impl Scope {
    /// A scope from its parts.
    pub fn new(
        date: impl Into<String>,
        region: impl Into<String>,
        product: impl Into<String>,
    ) -> Self {
        Self {
            date: date.into(),
            region: region.into(),
            product: product.into(),
        }
    }

    /// Renders `<date>/<region>/<product>/aliyun_v4_request`.
    pub fn render(&self) -> String {
        self.render_for(ScopeFamily::Oss)
    }

    /// Renders `<date>/<region>/<product>/<terminator of family>`.
    pub fn render_for(&self, family: ScopeFamily) -> String {
        let mut out = String::new();
        self.push_rendered(&mut out, family);
        out
    }

    /// Appends [`render_for`](Self::render_for)'s text to `out`.
    pub(crate) fn push_rendered(&self, out: &mut String, family: ScopeFamily) {
        let terminator = family.terminator();
        out.reserve(
            self.date.len() + self.region.len() + self.product.len() + terminator.len() + 3,
        );
        out.push_str(&self.date);
        out.push('/');
        out.push_str(&self.region);
        out.push('/');
        out.push_str(&self.product);
        out.push('/');
        out.push_str(terminator);
    }

    /// Renders a credential `<ak>/<scope>`.
    pub fn credential(&self, access_key_id: &str) -> String {
        format!("{access_key_id}/{}", self.render())
    }

    /// Renders an AWS credential `<ak>/<date>/<region>/<service>/aws4_request`.
    pub fn aws_credential(&self, access_key_id: &str) -> String {
        format!("{access_key_id}/{}", self.render_for(ScopeFamily::Aws))
    }

    /// Parses an AWS credential `<ak>/<yyyymmdd>/<region>/<service>/aws4_request`
    /// (docs/protocol/s3-signatures.md#v4-authorization-header); the service must be `s3` or
    /// `sts` and the region non-empty.
    pub fn parse_aws_credential(credential: &str) -> Result<(String, Scope), String> {
        let invalid = || format!("Invalid credential: {credential}");
        let parts: Vec<&str> = credential.split('/').collect();
        let [ak, date, region, service, terminator] = parts.as_slice() else {
            return Err(invalid());
        };
        let date_ok = date.len() == 8 && date.bytes().all(|b| b.is_ascii_digit());
        let filled = !ak.is_empty() && !region.is_empty();
        if !date_ok || !filled || *terminator != AWS_TERMINATOR {
            return Err(invalid());
        }
        if !AWS_SERVICES.contains(service) {
            return Err(format!(
                "Invalid credential: the service '{service}' is not supported."
            ));
        }
        Ok(((*ak).to_owned(), Scope::new(*date, *region, *service)))
    }

    /// Parses a credential `<ak>/<yyyymmdd>/<region>/<product>/aliyun_v4_request`; an empty
    /// region gets [`EMPTY_REGION_MESSAGE`], other defects `Invalid credential: ...`.
    pub fn parse_credential(credential: &str) -> Result<(String, Scope), String> {
        let invalid = || format!("Invalid credential: {credential}");
        let parts: Vec<&str> = credential.split('/').collect();
        let [ak, date, region, product, terminator] = parts.as_slice() else {
            return Err(invalid());
        };
        let date_ok = date.len() == 8 && date.bytes().all(|b| b.is_ascii_digit());
        let filled = [ak, product].iter().all(|p| !p.is_empty());
        if !date_ok || !filled || *terminator != TERMINATOR {
            return Err(invalid());
        }
        if region.is_empty() {
            return Err(EMPTY_REGION_MESSAGE.to_owned());
        }
        Ok(((*ak).to_owned(), Scope::new(*date, *region, *product)))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn credential_round_trip() {
        let c = "LTAI5t/20250115/cn-hangzhou/oss/aliyun_v4_request";
        let (ak, scope) = Scope::parse_credential(c).unwrap();
        assert_eq!(ak, "LTAI5t");
        assert_eq!(scope.credential(&ak), c);
        for bad in [
            "",
            "ak/20250115/cn-hangzhou/oss",
            "ak/2025011/cn-hangzhou/oss/aliyun_v4_request",
            "ak/20250115/cn-hangzhou/oss/aws4_request",
            "/20250115/cn-hangzhou/oss/aliyun_v4_request",
            "ak/20250115//oss/aliyun_v4_request",
            "ak/x/20250115/cn-hangzhou/oss/aliyun_v4_request",
        ] {
            assert!(Scope::parse_credential(bad).is_err(), "{bad}");
        }
        assert_eq!(
            Scope::parse_credential("ak/20250115//oss/aliyun_v4_request"),
            Err(EMPTY_REGION_MESSAGE.to_owned())
        );
    }

    #[test]
    fn aws_credential_round_trip() {
        let c = "AKIDEXAMPLE/20130524/us-east-1/s3/aws4_request";
        let (ak, scope) = Scope::parse_aws_credential(c).unwrap();
        assert_eq!((ak.as_str(), scope.product.as_str()), ("AKIDEXAMPLE", "s3"));
        assert_eq!(scope.aws_credential(&ak), c);
        assert_eq!(
            scope.render_for(ScopeFamily::Aws),
            "20130524/us-east-1/s3/aws4_request"
        );
        let sts = "AKIDEXAMPLE/20130524/us-east-1/sts/aws4_request";
        assert!(Scope::parse_aws_credential(sts).is_ok());
        for bad in [
            "AKIDEXAMPLE/20130524/us-east-1/s3/aliyun_v4_request",
            "AKIDEXAMPLE/20130524/us-east-1/ec2/aws4_request",
            "AKIDEXAMPLE/20130524//s3/aws4_request",
            "/20130524/us-east-1/s3/aws4_request",
            "AKIDEXAMPLE/2013052/us-east-1/s3/aws4_request",
            "AKIDEXAMPLE/20130524/us-east-1/s3",
        ] {
            assert!(Scope::parse_aws_credential(bad).is_err(), "{bad}");
        }
        // Neither family's parser accepts the other's credential.
        let oss = "LTAI5t/20250115/cn-hangzhou/oss/aliyun_v4_request";
        assert!(Scope::parse_aws_credential(oss).is_err());
        assert!(Scope::parse_credential(c).is_err());
    }
}
