//! Parameter checks, error mapping and XML bodies of the AWS STS Query API.

use super::*;
use ossd_iam::Denial;

/// Parameters from pairs.
fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// AssumeRole parameters plus `extra`.
fn assume(extra: &[(&str, &str)]) -> BTreeMap<String, String> {
    let mut p = params(&[
        ("Action", "AssumeRole"),
        ("Version", AWS_STS_VERSION),
        ("RoleArn", "arn:aws:iam::123456789012:role/demo"),
        ("RoleSessionName", "alice"),
    ]);
    p.extend(params(extra));
    p
}

/// The code and message of a parse failure.
fn refused(p: &BTreeMap<String, String>) -> (AwsCode, String) {
    match parse(p) {
        Err(e) => (e.code, e.message),
        Ok(call) => panic!("accepted: {call:?}"),
    }
}

#[test]
fn parses_the_three_actions() {
    let call = parse(&assume(&[
        ("DurationSeconds", "900"),
        ("ExternalId", "ext-1"),
        ("Policy", "{}"),
        ("Tags.member.1.Key", "team"),
        ("Tags.member.1.Value", "x y"),
    ]))
    .unwrap_or_else(|e| panic!("{e}"));
    let AwsStsCall::AssumeRole(a, arns) = call else {
        panic!("not AssumeRole");
    };
    assert_eq!(
        a.role_arn.as_deref(),
        Some("arn:aws:iam::123456789012:role/demo")
    );
    assert_eq!(a.role_session_name.as_deref(), Some("alice"));
    assert_eq!(a.duration_seconds.as_deref(), Some("900"));
    assert_eq!(a.external_id.as_deref(), Some("ext-1"));
    assert_eq!(a.policy.as_deref(), Some("{}"));
    assert!(arns.is_empty());
    let call = parse(&assume(&[
        (
            "PolicyArns.member.2.arn",
            "arn:aws:iam::aws:policy/AliyunOSSReadOnlyAccess",
        ),
        (
            "PolicyArns.member.1.arn",
            "arn:aws:iam::123:policy/CustomOne",
        ),
    ]))
    .unwrap_or_else(|e| panic!("{e}"));
    let AwsStsCall::AssumeRole(_, arns) = call else {
        panic!("not AssumeRole");
    };
    assert_eq!(
        arns,
        [
            "arn:aws:iam::123:policy/CustomOne",
            "arn:aws:iam::aws:policy/AliyunOSSReadOnlyAccess"
        ]
    );
    let who = params(&[
        ("Action", "GetCallerIdentity"),
        ("Version", AWS_STS_VERSION),
    ]);
    assert!(matches!(parse(&who), Ok(AwsStsCall::GetCallerIdentity)));
    let token = params(&[
        ("Action", "GetSessionToken"),
        ("Version", AWS_STS_VERSION),
        ("DurationSeconds", "3600"),
    ]);
    assert!(matches!(
        parse(&token),
        Ok(AwsStsCall::GetSessionToken {
            duration: Some(3600)
        })
    ));
}

#[test]
fn refuses_what_aws_refuses() {
    use AwsCode::*;
    let cases: Vec<(BTreeMap<String, String>, AwsCode, &str)> = vec![
        (
            params(&[("Version", AWS_STS_VERSION)]),
            MissingAction,
            "Missing Action",
        ),
        (
            params(&[
                ("Action", "GetFederationToken"),
                ("Version", AWS_STS_VERSION),
            ]),
            InvalidAction,
            "Could not find operation GetFederationToken for version 2011-06-15",
        ),
        (
            params(&[("Action", "AssumeRole")]),
            InvalidAction,
            "for version NO_VERSION_SPECIFIED",
        ),
        (
            params(&[("Action", "AssumeRole"), ("Version", AWS_STS_VERSION)]),
            ValidationError,
            "Value null at 'roleArn' failed to satisfy constraint: Member must not be null",
        ),
        (
            assume(&[("RoleArn", "arn:aws:iam::1:r")]),
            ValidationError,
            "Member must have length between 20 and 2048",
        ),
        (
            assume(&[("RoleSessionName", "a")]),
            ValidationError,
            "Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2",
        ),
        (
            assume(&[("RoleSessionName", "a b")]),
            ValidationError,
            "Member must satisfy regular expression pattern",
        ),
        (
            assume(&[("DurationSeconds", "899")]),
            ValidationError,
            "Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
        ),
        (
            assume(&[("DurationSeconds", "43201")]),
            ValidationError,
            "less than or equal to 43200",
        ),
        (
            assume(&[("DurationSeconds", "ten")]),
            ValidationError,
            "Member must be a number",
        ),
        (
            assume(&[("PolicyArns.member.1.arn", "short")]),
            ValidationError,
            "Member must have length between 20 and 2048",
        ),
        (
            assume(&[(
                "PolicyArns.member.x.arn",
                "arn:aws:iam::aws:policy/ReadOnlyAccess",
            )]),
            InvalidParameterValue,
            "PolicyArns.member.x.arn",
        ),
        (
            assume(&[("Tags.member.1.Key", "")]),
            ValidationError,
            "Member must have length between 1 and 128",
        ),
        (
            params(&[
                ("Action", "GetSessionToken"),
                ("Version", AWS_STS_VERSION),
                ("TokenCode", "123456"),
            ]),
            InvalidParameterValue,
            "MFA",
        ),
        (
            params(&[
                ("Action", "GetSessionToken"),
                ("Version", AWS_STS_VERSION),
                ("DurationSeconds", "129601"),
            ]),
            ValidationError,
            "less than or equal to 129600",
        ),
    ];
    for (p, code, text) in cases {
        let (got, message) = refused(&p);
        assert_eq!(got, code, "{p:?}: {message}");
        assert!(message.contains(text), "{p:?}: {message} lacks {text}");
    }
    let many: Vec<(String, String)> = (1..=51)
        .map(|i| (format!("Tags.member.{i}.Key"), format!("k{i}")))
        .collect();
    let mut p = assume(&[]);
    p.extend(many);
    assert_eq!(refused(&p).0, AwsCode::ValidationError);
}

/// A user caller.
fn alice() -> Caller {
    Caller::User {
        account_id: "123".to_owned(),
        user_id: "2001".to_owned(),
        user_name: "alice".to_owned(),
        access_key_id: "LTAIalice".to_owned(),
    }
}

#[test]
fn action_errors_map_to_aws_codes() {
    let call = parse(&assume(&[])).unwrap_or_else(|e| panic!("{e}"));
    let token = AwsStsCall::GetSessionToken { duration: None };
    let denial = Denial {
        action: "sts:AssumeRole".to_owned(),
        resource: "acs:ram:*:123:role/demo".to_owned(),
        principal_type: "SubUser",
        principal_name: "2001".to_owned(),
        principal_owner: "123".to_owned(),
        explicit: false,
        policy_type: None,
        matched: None,
    };
    let cases = [
        (
            &call,
            ActionError::NoPermission(Some(Box::new(denial))),
            AwsCode::AccessDenied,
            "User: arn:aws:iam::123:user/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/demo",
        ),
        (
            &call,
            ActionError::NotExist(ossd_iam::Entity::Role),
            AwsCode::AccessDenied,
            "is not authorized to perform: sts:AssumeRole",
        ),
        (
            &call,
            ActionError::RootCannotAssume,
            AwsCode::AccessDenied,
            "Roles may not be assumed by root accounts.",
        ),
        (
            &call,
            ActionError::Duration { max: 3600 },
            AwsCode::ValidationError,
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
        ),
        (
            &token,
            ActionError::NoPermission(None),
            AwsCode::AccessDenied,
            "Cannot call GetSessionToken with session credentials",
        ),
        (
            &token,
            ActionError::Duration { max: 3600 },
            AwsCode::ValidationError,
            "less than or equal to 3600",
        ),
        (
            &call,
            ActionError::invalid("RoleArn", ossd_iam::Problem::WronglyFormed),
            AwsCode::ValidationError,
            "Request ARN is invalid",
        ),
    ];
    for (c, error, code, text) in cases {
        let wire = action_error(c, &alice(), &error);
        assert_eq!(wire.code, code, "{error:?}");
        assert!(wire.message.contains(text), "{}", wire.message);
    }
    let bad = ossd_policy::Policy::parse("{", ossd_policy::PolicyKind::Session).unwrap_err();
    assert_eq!(
        action_error(&call, &alice(), &ActionError::Policy(bad)).code,
        AwsCode::MalformedPolicyDocument
    );
    let long = format!("{{{}}}", " ".repeat(3000));
    let big = ossd_policy::Policy::parse(&long, ossd_policy::PolicyKind::Session).unwrap_err();
    assert_eq!(
        action_error(&call, &alice(), &ActionError::Policy(big)).code,
        AwsCode::PackedPolicyTooLarge
    );
}

#[test]
fn managed_session_policies_merge_with_the_inline_one() {
    let inline = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}"#;
    let managed = [r#"{"Version":"1","Statement":[{"Effect":"Deny","Action":"oss:PutObject","Resource":"*"}]}"#.to_owned()];
    let merged = merge_session_policies(Some(inline), &managed).unwrap_or_else(|e| panic!("{e}"));
    let policy = ossd_policy::Policy::parse(&merged, ossd_policy::PolicyKind::Session)
        .unwrap_or_else(|e| panic!("{merged}: {e}"));
    assert_eq!(policy.statements().len(), 2);
    assert_eq!(
        merge_session_policies(Some("{"), &[]).map_err(|e| e.code),
        Err(AwsCode::MalformedPolicyDocument)
    );
    assert_eq!(
        merge_session_policies(None, &[r#"{"Version":"1"}"#.to_owned()]).map_err(|e| e.code),
        Err(AwsCode::MalformedPolicyDocument)
    );
    let missing = action_error(
        &parse(&assume(&[])).unwrap_or_else(|e| panic!("{e}")),
        &alice(),
        &ActionError::NotExist(ossd_iam::Entity::Policy),
    );
    assert_eq!(missing.code, AwsCode::InvalidParameterValue);
}

#[test]
fn xml_bodies() {
    let identity = xml::caller_identity(&alice(), "req-1");
    assert!(identity.contains(
        "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>\
         <Arn>arn:aws:iam::123:user/alice</Arn><UserId>2001</UserId><Account>123</Account>\
         </GetCallerIdentityResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>"
    ), "{identity}");
    let session = Caller::Session {
        account_id: "123".to_owned(),
        role_id: "300".to_owned(),
        role_name: "demo".to_owned(),
        session_name: "s<1>".to_owned(),
        session_policy: None,
        expires_at: 1_700_000_900,
        access_key_id: "STS.x".to_owned(),
    };
    let issued = IssuedCredentials {
        access_key_id: "STS.x".to_owned(),
        secret: String::from("sec&ret").into(),
        security_token: "CAIStoken".to_owned(),
        expiration: 1_700_000_900,
        assumed_role_arn: "acs:ram::123:role/demo/s<1>".to_owned(),
        assumed_role_id: "300:s<1>".to_owned(),
        source_identity: None,
        principal: session,
    };
    let body = xml::assume_role(&issued, Some(6), "req-2");
    for part in [
        "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult>",
        "<Credentials><AccessKeyId>STS.x</AccessKeyId><SecretAccessKey>sec&amp;ret</SecretAccessKey>\
         <SessionToken>CAIStoken</SessionToken><Expiration>2023-11-14T22:28:20Z</Expiration></Credentials>",
        "<AssumedRoleUser><AssumedRoleId>300:s&lt;1&gt;</AssumedRoleId>\
         <Arn>arn:aws:sts::123:assumed-role/demo/s&lt;1&gt;</Arn></AssumedRoleUser>",
        "<PackedPolicySize>6</PackedPolicySize></AssumeRoleResult>",
        "<ResponseMetadata><RequestId>req-2</RequestId></ResponseMetadata></AssumeRoleResponse>",
    ] {
        assert!(body.contains(part), "{body} lacks {part}");
    }
    let error = xml::error(&AwsError::with(AwsCode::AccessDenied, "no <way>"), "req-3");
    assert!(error.ends_with(
        "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>\
         <Code>AccessDenied</Code><Message>no &lt;way&gt;</Message></Error>\
         <RequestId>req-3</RequestId></ErrorResponse>"
    ), "{error}");
    assert_eq!(packed_policy_size(""), 0);
    assert_eq!(packed_policy_size(&"x".repeat(2048)), 100);
    assert_eq!(packed_policy_size("x"), 1);
}
