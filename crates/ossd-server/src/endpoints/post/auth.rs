//! Who signed a PostObject form (docs/protocol/post-object.md#signatures): V1 (`OSSAccessKeyId`,
//! `policy`, `Signature`), V4 (`x-oss-signature-version`, `x-oss-credential`, `x-oss-date`,
//! `x-oss-signature`, `policy`), either with `x-oss-security-token` for STS credentials, or nobody
//! (anonymous).

use ossd_iam::{Caller, Iam};
use ossd_proto::dialect::Dialect;
use ossd_proto::error::OssError;
use ossd_sig::{Scope, SigningKeyCache, V4_ALGORITHM};

use super::form::Fields;
use crate::pipeline::auth::credential_error;
use crate::pipeline::errors::sig_error;

/// A verified form: the caller and, when signed, the policy field (Base64) the signature covers.
#[derive(Debug)]
pub(super) struct Signed {
    /// Who sent the form.
    pub caller: Caller,
    /// The `policy` field; `None` for an anonymous form.
    pub policy: Option<String>,
    /// The V4 fields the policy must name (`x-oss-*` for OSS, `x-amz-*` for S3); empty for
    /// V1/V2 and anonymous forms.
    pub v4_fields: &'static [&'static str],
    /// The dialect of the form: S3 for `x-amz-*`/`AWSAccessKeyId` signatures.
    pub dialect: Option<Dialect>,
}

/// The V4 fields an OSS V4 form's policy must name.
const OSS_V4_FIELDS: &[&str] = &["x-oss-signature-version", "x-oss-credential", "x-oss-date"];
/// The V4 fields an S3 V4 form's policy must name.
const AWS_V4_FIELDS: &[&str] = &["x-amz-algorithm", "x-amz-credential", "x-amz-date"];

fn missing(name: &str) -> OssError {
    OssError::invalid_argument(format!(
        "Bucket POST must contain a field named '{name}'. If it is specified, please check the order of the fields."
    ))
}

/// Verifies the form's signature fields and resolves its credentials; a V4 form must be
/// signed for `region`, its signing key taken from `keys`.
pub(super) async fn authenticate(
    iam: &Iam,
    keys: &SigningKeyCache,
    fields: &Fields,
    region: &str,
) -> Result<Signed, OssError> {
    let field = |name: &'static str| fields.get(name).ok_or_else(|| missing(name));
    if fields.get("x-amz-algorithm").is_some() || fields.get("awsaccesskeyid").is_some() {
        return authenticate_aws(iam, fields, region).await;
    }
    let token = fields.get("x-oss-security-token");
    let v4_fields = [
        "x-oss-signature-version",
        "x-oss-credential",
        "x-oss-signature",
    ];
    if v4_fields.iter().any(|f| fields.get(f).is_some()) {
        let version = field("x-oss-signature-version")?;
        if version != V4_ALGORITHM {
            return Err(OssError::invalid_argument(format!(
                "Invalid signature version: {version}"
            )));
        }
        let credential = field("x-oss-credential")?;
        let date = field("x-oss-date")?;
        let signature = field("x-oss-signature")?;
        let policy = field("policy")?;
        let (ak, scope) =
            Scope::parse_credential(credential).map_err(OssError::invalid_argument)?;
        crate::pipeline::auth::check_signing_region(&scope.region, region, true)?;
        // The signing key's date is the first 8 characters of x-oss-date
        // (docs/protocol/post-object.md#signatures).
        let scope = Scope::new(date.get(..8).unwrap_or(date), scope.region, scope.product);
        let resolved = iam
            .resolve(&ak, token)
            .await
            .map_err(|e| credential_error(e, &ak))?;
        ossd_sig::verify_post_policy_v4(&resolved.secret, &scope, policy, signature, keys)
            .map_err(|e| sig_error(&e, Some(&ak)))?;
        return Ok(Signed {
            caller: resolved.caller,
            policy: Some(policy.to_owned()),
            v4_fields: OSS_V4_FIELDS,
            dialect: Some(Dialect::Oss),
        });
    }
    let v1_fields = ["ossaccesskeyid", "policy", "signature"];
    if !v1_fields.iter().any(|f| fields.get(f).is_some()) {
        return Ok(Signed {
            caller: Caller::Anonymous,
            policy: None,
            v4_fields: &[],
            dialect: None,
        });
    }
    let ak = field("ossaccesskeyid").map_err(|_| missing("OSSAccessKeyId"))?;
    let policy = field("policy")?;
    let signature = field("signature").map_err(|_| missing("Signature"))?;
    let resolved = iam
        .resolve(ak, token)
        .await
        .map_err(|e| credential_error(e, ak))?;
    ossd_sig::verify_post_policy_v1(&resolved.secret, policy, signature)
        .map_err(|e| sig_error(&e, Some(ak)))?;
    Ok(Signed {
        caller: resolved.caller,
        policy: Some(policy.to_owned()),
        v4_fields: &[],
        dialect: Some(Dialect::Oss),
    })
}

/// An S3 browser POST (docs/protocol/s3-signatures.md#browser-post-signatures): V4 (`x-amz-algorithm`,
/// `x-amz-credential`, `x-amz-date`, `x-amz-signature`) or V2 (`AWSAccessKeyId`, `signature`),
/// with `x-amz-security-token` for temporary credentials. A missing field is 400
/// `InvalidArgument`, a bad signature or key 403, as S3 answers.
async fn authenticate_aws(iam: &Iam, fields: &Fields, region: &str) -> Result<Signed, OssError> {
    let token = fields.get("x-amz-security-token");
    let policy = fields.get("policy").ok_or_else(|| missing("policy"))?;
    if let Some(algorithm) = fields.get("x-amz-algorithm") {
        if algorithm != "AWS4-HMAC-SHA256" {
            return Err(OssError::invalid_argument(format!(
                "Invalid x-amz-algorithm: {algorithm}"
            )));
        }
        let credential = fields
            .get("x-amz-credential")
            .ok_or_else(|| missing("x-amz-credential"))?;
        let signature = fields
            .get("x-amz-signature")
            .ok_or_else(|| missing("x-amz-signature"))?;
        let (ak, scope) =
            Scope::parse_aws_credential(credential).map_err(OssError::invalid_argument)?;
        if scope.region != "us-east-1" {
            crate::pipeline::auth::check_signing_region(&scope.region, region, true)?;
        }
        let resolved = iam
            .resolve(&ak, token)
            .await
            .map_err(|e| credential_error(e, &ak))?;
        ossd_sig::verify_post_policy_aws_v4(policy, signature, &resolved.secret, &scope)
            .map_err(|e| sig_error(&e, Some(&ak)))?;
        return Ok(Signed {
            caller: resolved.caller,
            policy: Some(policy.to_owned()),
            v4_fields: AWS_V4_FIELDS,
            dialect: Some(Dialect::S3),
        });
    }
    let ak = fields.get("awsaccesskeyid").unwrap_or_default();
    let signature = fields
        .get("signature")
        .ok_or_else(|| missing("signature"))?;
    let resolved = iam
        .resolve(ak, token)
        .await
        .map_err(|e| credential_error(e, ak))?;
    ossd_sig::verify_post_policy_aws_v2(policy, signature, &resolved.secret)
        .map_err(|e| sig_error(&e, Some(ak)))?;
    Ok(Signed {
        caller: resolved.caller,
        policy: Some(policy.to_owned()),
        v4_fields: &[],
        dialect: Some(Dialect::S3),
    })
}
