//! Lifecycle configuration: the bodies the SDKs send, validation, and the document written back.

use ossd_proto::xml::LifecycleConfiguration;
use ossd_types::lifecycle::{AgeLimit, Expiration, FilterNot, LifecycleFilter, LifecycleRule};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// A configuration of the given (unescaped) rule bodies.
fn config(rules: &[&str]) -> Vec<u8> {
    let inner: String = rules.iter().map(|r| format!("<Rule>{r}</Rule>")).collect();
    format!("<LifecycleConfiguration>{inner}</LifecycleConfiguration>").into_bytes()
}

/// The error code and argument name of a rejected body.
fn err(body: &[u8]) -> Option<(&'static str, Option<String>)> {
    LifecycleConfiguration::parse(body)
        .err()
        .map(|e| (e.code.as_str(), e.extra("ArgumentName").map(str::to_owned)))
}

fn invalid(name: &str) -> Option<(&'static str, Option<String>)> {
    Some(("InvalidArgument", Some(name.to_owned())))
}

#[test]
fn oss2_body_with_every_action() -> TestResult {
    // As oss2's to_put_bucket_lifecycle writes it (bool as "True", an empty <Filter/>).
    let body = config(&[
        "<ID>all</ID><Prefix>logs/</Prefix><Status>Enabled</Status>\
         <Expiration><Days>1</Days></Expiration>\
         <AbortMultipartUpload><Days>2</Days></AbortMultipartUpload>\
         <NoncurrentVersionExpiration><NoncurrentDays>3</NoncurrentDays></NoncurrentVersionExpiration>\
         <Filter />",
        "<ID>markers</ID><Prefix></Prefix><Status>Disabled</Status>\
         <Expiration><ExpiredObjectDeleteMarker>True</ExpiredObjectDeleteMarker></Expiration>",
    ]);
    let parsed = LifecycleConfiguration::parse(&body)?;
    let expected = vec![
        LifecycleRule {
            id: "all".into(),
            prefix: "logs/".into(),
            enabled: true,
            tags: vec![],
            filter: Some(LifecycleFilter::default()),
            expiration: Some(Expiration::After(AgeLimit::Days(1))),
            noncurrent_days: Some(3),
            abort_uploads: Some(AgeLimit::Days(2)),
        },
        LifecycleRule {
            id: "markers".into(),
            expiration: Some(Expiration::DeleteMarker(true)),
            ..LifecycleRule::default()
        },
    ];
    assert_eq!(parsed.rules, expected);
    assert_eq!(
        LifecycleConfiguration::parse(parsed.to_xml().as_bytes())?,
        parsed
    );
    Ok(())
}

#[test]
fn dates_tags_and_filters_round_trip() -> TestResult {
    // As ali-oss writes it (tags as repeated <Tag>), plus a v2-style <Filter> with <Not>.
    let body = config(&["<ID>t</ID><Prefix>a/</Prefix><Status>Enabled</Status>\
         <Expiration><CreatedBeforeDate>2025-01-01T00:00:00.000Z</CreatedBeforeDate></Expiration>\
         <Tag><Key>k1</Key><Value>v1</Value></Tag><Tag><Key>k2</Key><Value></Value></Tag>\
         <Filter><ObjectSizeGreaterThan>10</ObjectSizeGreaterThan>\
         <Not><Prefix>a/keep/</Prefix><Tag><Key>x</Key><Value>y</Value></Tag></Not></Filter>"]);
    let parsed = LifecycleConfiguration::parse(&body)?;
    let rule = parsed.rules.first().ok_or("no rule")?;
    assert_eq!(
        rule.expiration,
        Some(Expiration::After(AgeLimit::CreatedBefore(
            1_735_689_600_000
        )))
    );
    assert_eq!(rule.tags.len(), 2);
    let not = FilterNot {
        prefix: "a/keep/".into(),
        tag: Some(("x".into(), "y".into())),
    };
    assert_eq!(rule.filter.as_ref().map(|f| f.not.clone()), Some(vec![not]));
    let xml = parsed.to_xml();
    assert!(xml.contains("<CreatedBeforeDate>2025-01-01T00:00:00.000Z</CreatedBeforeDate>"));
    assert!(xml.contains("<ObjectSizeGreaterThan>10</ObjectSizeGreaterThan>"));
    assert_eq!(LifecycleConfiguration::parse(xml.as_bytes())?, parsed);
    Ok(())
}

#[test]
fn missing_ids_are_assigned_and_duplicates_refused() -> TestResult {
    let rule = "<Prefix>p</Prefix><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>";
    let with_id = format!("<ID>rule-1</ID>{rule}");
    let parsed = LifecycleConfiguration::parse(&config(&[rule, &with_id, rule]))?;
    let ids: Vec<&str> = parsed.rules.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["rule-2", "rule-1", "rule-3"]);
    assert_eq!(err(&config(&[&with_id, &with_id])), invalid("ID"));
    let long = format!("<ID>{}</ID>{rule}", "x".repeat(256));
    assert_eq!(err(&config(&[&long])), invalid("ID"));
    Ok(())
}

#[test]
fn expiration_needs_exactly_one_choice() {
    let rule = |exp: &str| {
        config(&[&format!(
            "<ID>r</ID><Prefix/><Status>Enabled</Status><Expiration>{exp}</Expiration>"
        )])
    };
    let both =
        rule("<Days>1</Days><CreatedBeforeDate>2025-01-01T00:00:00.000Z</CreatedBeforeDate>");
    assert_eq!(err(&both), invalid("Expiration"));
    assert_eq!(err(&rule("")), invalid("Expiration"));
    let marker_and_days =
        rule("<Days>1</Days><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker>");
    assert_eq!(err(&marker_and_days), invalid("Expiration"));
    assert_eq!(err(&rule("<Days>0</Days>")), invalid("Days"));
    assert_eq!(err(&rule("<Days>x</Days>")), Some(("MalformedXML", None)));
    let not_midnight = rule("<CreatedBeforeDate>2025-01-01T08:00:00.000Z</CreatedBeforeDate>");
    assert_eq!(err(&not_midnight), invalid("CreatedBeforeDate"));
    assert_eq!(
        err(&rule("<Date>2025-01-01T00:00:00.000Z</Date>")),
        invalid("Date")
    );
}

#[test]
fn rule_level_errors() {
    let head = "<ID>r</ID><Prefix/>";
    let days = "<Expiration><Days>1</Days></Expiration>";
    assert_eq!(
        err(&config(&[&format!("{head}{days}")])),
        Some(("MalformedXML", None))
    );
    let bad_status = format!("{head}<Status>On</Status>{days}");
    assert_eq!(err(&config(&[&bad_status])), invalid("Status"));
    let no_action = format!("{head}<Status>Enabled</Status>");
    assert_eq!(err(&config(&[&no_action])), invalid("Rule"));
    let tag_abort = format!(
        "{head}<Status>Enabled</Status><Tag><Key>k</Key><Value>v</Value></Tag>\
         <AbortMultipartUpload><Days>1</Days></AbortMultipartUpload>"
    );
    assert_eq!(err(&config(&[&tag_abort])), invalid("Tag"));
    let transition = format!(
        "{head}<Status>Enabled</Status>{days}\
         <Transition><Days>1</Days><StorageClass>IA</StorageClass></Transition>"
    );
    assert_eq!(err(&config(&[&transition])), invalid("Transition"));
    let sizes = format!(
        "{head}<Status>Enabled</Status>{days}<Filter><ObjectSizeGreaterThan>5</ObjectSizeGreaterThan>\
         <ObjectSizeLessThan>5</ObjectSizeLessThan></Filter>"
    );
    assert_eq!(err(&config(&[&sizes])), invalid("ObjectSizeGreaterThan"));
}

#[test]
fn configuration_level_errors() {
    assert_eq!(
        err(b"<LifecycleConfiguration></LifecycleConfiguration>"),
        Some(("MalformedXML", None))
    );
    assert_eq!(err(b"<Lifecycle/>"), Some(("MalformedXML", None)));
    let rule = "<Prefix/><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>";
    let many: Vec<&str> = std::iter::repeat_n(rule, 1001).collect();
    assert_eq!(
        err(&config(&many)),
        Some(("InvalidArgument", None)),
        "more than 1000 rules"
    );
    let thousand: Vec<&str> = std::iter::repeat_n(rule, 1000).collect();
    assert!(LifecycleConfiguration::parse(&config(&thousand)).is_ok());
}
