//! The V4 credential scope `<yyyymmdd>/<region>/<product>/aliyun_v4_request`
//! (docs/protocol/signatures.md#v4-authorization-header).

/// The fixed last element of a V4 scope.
const TERMINATOR: &str = "aliyun_v4_request";

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
        format!(
            "{}/{}/{}/{TERMINATOR}",
            self.date, self.region, self.product
        )
    }

    /// Renders a credential `<ak>/<scope>`.
    pub fn credential(&self, access_key_id: &str) -> String {
        format!("{access_key_id}/{}", self.render())
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
}
