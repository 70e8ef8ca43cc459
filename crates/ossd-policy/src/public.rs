//! Whether a bucket policy is public (GetBucketPolicyStatus `IsPublic`,
//! docs/protocol/policy.md#public-policies): some `Allow` statement names everyone (`*`, which a
//! RAM-grammar statement without `Principal` means) and no test of its `Condition` confines it
//! to callers fixed in advance (a source address block, a source VPC, an AccessKey, a caller ARN
//! or user name, with fixed values).

use crate::document::{Effect, Policy, Statement};

impl Policy {
    /// Whether any statement of this policy grants access to the public
    /// (docs/protocol/policy.md#public-policies).
    pub fn is_public(&self) -> bool {
        self.statements.iter().any(Statement::grants_public)
    }
}

impl Statement {
    /// Whether this statement grants access to the public: an `Allow` to `*` without a
    /// condition that limits it to fixed callers (docs/protocol/policy.md#public-policies).
    /// `Deny` statements never make a policy public.
    pub fn grants_public(&self) -> bool {
        self.effect == Effect::Allow
            && self
                .principal
                .as_ref()
                .is_some_and(crate::principal::PrincipalSpec::names_anyone)
            && !self
                .condition
                .as_ref()
                .is_some_and(crate::condition::ConditionBlock::limits_callers)
    }
}

#[cfg(test)]
mod tests {
    use crate::{Policy, PolicyKind};

    fn public(doc: &str) -> bool {
        match Policy::parse(doc, PolicyKind::Bucket) {
            Ok(policy) => policy.is_public(),
            Err(e) => panic!("{doc}: {e:?}"),
        }
    }

    fn iam(statement: &str) -> String {
        format!(r#"{{"Version":"2012-10-17","Statement":[{statement}]}}"#)
    }

    fn ram(statement: &str) -> String {
        format!(r#"{{"Version":"1","Statement":[{statement}]}}"#)
    }

    const RES: &str = r#""Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"]"#;
    const RAM_RES: &str = r#""Resource":["acs:oss:*:*:b","acs:oss:*:*:b/*"]"#;

    #[test]
    fn star_principal_without_condition_is_public() {
        let s = format!(
            r#"{{"Effect":"Allow","Principal":{{"AWS":"*"}},"Action":"s3:ListBucket",{RES}}}"#
        );
        assert!(public(&iam(&s)));
        let s = format!(
            r#"{{"Effect":"Allow","Principal":["*"],"Action":["oss:GetObject"],{RAM_RES}}}"#
        );
        assert!(public(&ram(&s)));
    }

    #[test]
    fn ram_statement_without_principal_is_public() {
        let s = format!(r#"{{"Effect":"Allow","Action":["oss:PutObject"],{RAM_RES}}}"#);
        assert!(public(&ram(&s)));
    }

    #[test]
    fn fixed_principal_is_not_public() {
        let s = format!(
            r#"{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::s3tenant1:root"}},"Action":"s3:ListBucket",{RES}}}"#
        );
        assert!(!public(&iam(&s)));
        let s = format!(
            r#"{{"Effect":"Allow","Principal":["123456"],"Action":["oss:GetObject"],{RAM_RES}}}"#
        );
        assert!(!public(&ram(&s)));
    }

    #[test]
    fn deny_to_everyone_is_not_public() {
        let s = format!(r#"{{"Effect":"Deny","Principal":"*","Action":"s3:GetObject",{RES}}}"#);
        assert!(!public(&iam(&s)));
    }

    #[test]
    fn source_ip_block_limits_a_star_principal() {
        let s = format!(
            r#"{{"Effect":"Allow","Principal":{{"AWS":"*"}},"Action":"s3:ListBucket",{RES},"Condition":{{"IpAddress":{{"aws:SourceIp":"10.0.0.0/32"}}}}}}"#
        );
        assert!(!public(&iam(&s)));
        let s = format!(
            r#"{{"Effect":"Allow","Principal":["*"],"Action":["oss:GetObject"],{RAM_RES},"Condition":{{"IpAddress":{{"acs:SourceIp":["192.168.0.0/16","10.1.2.3"]}}}}}}"#
        );
        assert!(!public(&ram(&s)));
    }

    #[test]
    fn unlimited_conditions_leave_it_public() {
        for condition in [
            // The whole address space, or a wildcard form.
            r#"{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}"#,
            r#"{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","::/0"]}}"#,
            r#"{"IpAddress":{"aws:SourceIp":"10.*"}}"#,
            // A negated test or one an absent key passes.
            r#"{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}"#,
            r#"{"IpAddressIfExists":{"aws:SourceIp":"10.0.0.0/8"}}"#,
            // A key that does not identify the caller.
            r#"{"StringLike":{"s3:prefix":"public/*"}}"#,
            r#"{"Bool":{"aws:SecureTransport":"true"}}"#,
            // A pattern over a caller key.
            r#"{"StringLike":{"aws:PrincipalArn":"arn:aws:iam::*:user/*"}}"#,
        ] {
            let s = format!(
                r#"{{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",{RES},"Condition":{condition}}}"#
            );
            assert!(public(&iam(&s)), "{condition}");
        }
    }

    #[test]
    fn fixed_caller_keys_limit_a_star_principal() {
        for condition in [
            r#"{"StringEquals":{"aws:PrincipalArn":"arn:aws:iam::1:user/alice"}}"#,
            r#"{"StringEquals":{"aws:username":"alice"}}"#,
            r#"{"StringLike":{"aws:username":"alice"}}"#,
            r#"{"Bool":{"aws:SecureTransport":"true"},"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}"#,
        ] {
            let s = format!(
                r#"{{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",{RES},"Condition":{condition}}}"#
            );
            assert!(!public(&iam(&s)), "{condition}");
        }
        let s = format!(
            r#"{{"Effect":"Allow","Principal":["*"],"Action":["oss:GetObject"],{RAM_RES},"Condition":{{"StringEquals":{{"acs:SourceVpc":"vpc-1","acs:AccessId":"AK1"}}}}}}"#
        );
        assert!(!public(&ram(&s)));
    }

    #[test]
    fn one_public_statement_makes_the_policy_public() {
        let limited = format!(
            r#"{{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",{RES},"Condition":{{"IpAddress":{{"aws:SourceIp":"10.0.0.0/8"}}}}}}"#
        );
        let open =
            format!(r#"{{"Effect":"Allow","Principal":"*","Action":"s3:ListBucket",{RES}}}"#);
        assert!(!public(&iam(&limited)));
        assert!(public(&iam(&format!("{limited},{open}"))));
    }
}
