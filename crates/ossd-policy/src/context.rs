//! The condition context of a request: key → values (docs/protocol/policy.md#conditions).

use std::collections::BTreeMap;
use std::net::IpAddr;

use time::OffsetDateTime;

use crate::condition::format_instant;
use crate::keys;

/// Condition key values of one request. Keys compare as described in [`keys`].
///
/// A key with no values is absent. The server sets `oss:Prefix` to `""` for listing calls
/// without a `prefix` parameter (docs/protocol/policy.md#conditions).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestContext {
    /// Normalised key → values.
    values: BTreeMap<String, Vec<String>>,
}

impl RequestContext {
    /// An empty context.
    pub fn new() -> Self {
        Self::default()
    }

    /// A context with `acs:CurrentTime` set to `now`.
    pub fn at(now: OffsetDateTime) -> Self {
        Self::new().with_current_time(now)
    }

    /// Sets `key` to `values`, replacing earlier values; no values removes the key.
    pub fn set<I, S>(&mut self, key: &str, values: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let values: Vec<String> = values.into_iter().map(Into::into).collect();
        let key = keys::normalize(key);
        if values.is_empty() {
            self.values.remove(&key);
        } else {
            self.values.insert(key, values);
        }
        self
    }

    /// Builder form of [`RequestContext::set`].
    pub fn with<I, S>(mut self, key: &str, values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.set(key, values);
        self
    }

    /// The values of `key` (any case), if present.
    pub fn get(&self, key: &str) -> Option<&[String]> {
        self.get_normalized(&keys::normalize(key))
    }

    /// Lookup by an already normalised key.
    pub(crate) fn get_normalized(&self, key: &str) -> Option<&[String]> {
        self.values.get(key).map(Vec::as_slice)
    }

    /// Sets `acs:SourceIp`.
    pub fn with_source_ip(self, ip: IpAddr) -> Self {
        self.with(keys::SOURCE_IP, [ip.to_canonical().to_string()])
    }

    /// Sets `acs:SecureTransport`.
    pub fn with_secure_transport(self, https: bool) -> Self {
        self.with(keys::SECURE_TRANSPORT, [https.to_string()])
    }

    /// Sets `acs:CurrentTime` (RFC 3339, second precision in comparisons) and `aws:EpochTime`
    /// (Unix seconds, docs/protocol/iam-grammar.md#condition-keys).
    pub fn with_current_time(self, now: OffsetDateTime) -> Self {
        let formatted = format_instant(now);
        self.with(keys::CURRENT_TIME, formatted)
            .with(keys::EPOCH_TIME, [now.unix_timestamp().to_string()])
    }

    /// Sets `acs:UserAgent`.
    pub fn with_user_agent(self, user_agent: &str) -> Self {
        self.with(keys::USER_AGENT, [user_agent])
    }

    /// Sets `acs:Referer`.
    pub fn with_referer(self, referer: &str) -> Self {
        self.with(keys::REFERER, [referer])
    }

    /// Sets `acs:AccessId`.
    pub fn with_access_id(self, access_key_id: &str) -> Self {
        self.with(keys::ACCESS_ID, [access_key_id])
    }

    /// Sets `acs:MFAPresent`.
    pub fn with_mfa_present(self, present: bool) -> Self {
        self.with(keys::MFA_PRESENT, [present.to_string()])
    }

    /// Sets `acs:SourceVpc`.
    pub fn with_source_vpc(self, vpc_id: &str) -> Self {
        self.with(keys::SOURCE_VPC, [vpc_id])
    }

    /// Sets `oss:Prefix` (pass `""` when the listing has no `prefix`).
    pub fn with_prefix(self, prefix: &str) -> Self {
        self.with(keys::PREFIX, [prefix])
    }

    /// Sets `oss:Delimiter`.
    pub fn with_delimiter(self, delimiter: &str) -> Self {
        self.with(keys::DELIMITER, [delimiter])
    }

    /// Sets `s3:max-keys` (docs/protocol/iam-grammar.md#condition-keys).
    pub fn with_max_keys(self, max_keys: &str) -> Self {
        self.with(keys::MAX_KEYS, [max_keys])
    }

    /// Sets `oss:x-oss-acl`.
    pub fn with_x_oss_acl(self, acl: &str) -> Self {
        self.with(keys::X_OSS_ACL, [acl])
    }

    /// Sets `oss:x-oss-object-acl`.
    pub fn with_x_oss_object_acl(self, acl: &str) -> Self {
        self.with(keys::X_OSS_OBJECT_ACL, [acl])
    }

    /// Sets `oss:BucketTag/<tag>`.
    pub fn with_bucket_tag(self, tag: &str, value: &str) -> Self {
        self.with(&format!("{}{tag}", keys::BUCKET_TAG_PREFIX), [value])
    }

    /// Sets `oss:ExistingObjectTag/<tag>`.
    pub fn with_existing_object_tag(self, tag: &str, value: &str) -> Self {
        self.with(
            &format!("{}{tag}", keys::EXISTING_OBJECT_TAG_PREFIX),
            [value],
        )
    }

    /// Sets `oss:RequestObjectTag/<tag>`.
    pub fn with_request_object_tag(self, tag: &str, value: &str) -> Self {
        self.with(
            &format!("{}{tag}", keys::REQUEST_OBJECT_TAG_PREFIX),
            [value],
        )
    }

    /// Sets `sts:ExternalId`.
    pub fn with_external_id(self, external_id: &str) -> Self {
        self.with(keys::EXTERNAL_ID, [external_id])
    }

    /// Sets `saml:recipient`.
    pub fn with_saml_recipient(self, recipient: &str) -> Self {
        self.with(keys::SAML_RECIPIENT, [recipient])
    }
}
