//! Every `RpcSigError` maps to the HTTP status, code and message of
//! docs/protocol/rpc.md#v1-authentication-order, #common-error-codes.
#![allow(clippy::unwrap_used)]

use ossd_sig::rpc::RpcSigError;

#[test]
fn status_code_and_message_per_spec() {
    let sts = "GET&%2F&A%3D1".to_owned();
    let table: Vec<(RpcSigError, u16, &str, String)> = vec![
        (RpcSigError::Missing { name: "RoleArn" }, 400, "MissingRoleArn", "RoleArn is mandatory for this action.".into()),
        (RpcSigError::Missing { name: "SecurityToken" }, 400, "MissingSecurityToken", "SecurityToken is mandatory for this action.".into()),
        (
            RpcSigError::MissingParameter { name: "x-acs-date" },
            400,
            "MissingParameter",
            "The input parameter \"x-acs-date\" that is mandatory for processing this request is not supplied.".into(),
        ),
        (RpcSigError::InvalidParameter { name: "Action or Version" }, 400, "InvalidParameter", "The specified parameter \"Action or Version\" is not valid.".into()),
        (RpcSigError::IncompleteSignature("x"), 400, "IncompleteSignature", "The request signature does not conform to Aliyun standards.".into()),
        (
            RpcSigError::SignatureDoesNotMatch { string_to_sign: sts.clone() },
            400,
            "SignatureDoesNotMatch",
            format!("Specified signature is not matched with our calculation. server string to sign is:{sts}"),
        ),
        (
            RpcSigError::PayloadHashMismatch { string_to_sign: sts.clone() },
            400,
            "SignatureDoesNotMatch",
            format!("Specified signature is not matched with our calculation. server string to sign is:{sts}"),
        ),
        (RpcSigError::SignatureNonceUsed, 400, "SignatureNonceUsed", "Specified signature nonce was used already.".into()),
        (RpcSigError::TimestampExpired, 400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.".into()),
        (RpcSigError::TimestampFormat, 400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.".into()),
        (RpcSigError::AccessKeyNotFound, 404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.".into()),
        (RpcSigError::AccessKeyInactive, 400, "InvalidAccessKeyId.Inactive", "Specified access key is disabled.".into()),
        (RpcSigError::SecurityTokenMalformed, 400, "InvalidSecurityToken.Malformed", "Specified SecurityToken is malformed.".into()),
        (
            RpcSigError::SecurityTokenMismatch,
            400,
            "InvalidSecurityToken.MismatchWithAccessKey",
            "Specified SecurityToken mismatch with the AccessKey.".into(),
        ),
        (RpcSigError::SecurityTokenExpired, 400, "InvalidSecurityToken.Expired", "Specified SecurityToken is expired.".into()),
        (RpcSigError::InvalidSignatureMethod, 400, "InvalidSignatureMethod", "Specified signature method is not supported.".into()),
    ];
    for (err, status, code, message) in table {
        let (s, c, m) = err.code();
        assert_eq!(
            (s, c.as_ref(), m.as_str()),
            (status, code, message.as_str()),
            "{err:?}"
        );
        assert_eq!(
            (err.status(), err.code_name().as_ref(), err.message()),
            (s, c.as_ref(), m.clone())
        );
        assert!(!err.to_string().is_empty());
    }
}
