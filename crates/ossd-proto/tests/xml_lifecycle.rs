//! Lifecycle configuration: the bodies the SDKs send, validation, and the document written back.

use ossd_proto::xml::LifecycleConfiguration;
use ossd_types::StorageClass;
use ossd_types::lifecycle::{
    AgeLimit, Expiration, FilterNot, LifecycleFilter, LifecycleRule, RuleForm, Transition,
};

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
            newer_noncurrent: None,
            form: RuleForm::Prefix,
            abort_uploads: Some(AgeLimit::Days(2)),
            transitions: vec![],
            noncurrent_transitions: vec![],
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
        err(&rule("<Date>2025-01-01T08:00:00.000Z</Date>")),
        invalid("Date")
    );
    let date_and_days = rule("<Days>1</Days><Date>2025-01-01T00:00:00.000Z</Date>");
    assert_eq!(err(&date_and_days), invalid("Expiration"));
}

#[test]
fn rule_level_errors() {
    let head = "<ID>r</ID><Prefix/>";
    let days = "<Expiration><Days>1</Days></Expiration>";
    assert_eq!(
        err(&config(&[&format!("{head}{days}")])),
        Some(("MalformedXML", None))
    );
    // S3 (s3-tests test_lifecycle_invalid_status): a status other than Enabled/Disabled,
    // lowercase included, is MalformedXML.
    for status in ["On", "enabled", "disabled"] {
        let bad_status = format!("{head}<Status>{status}</Status>{days}");
        assert_eq!(err(&config(&[&bad_status])), Some(("MalformedXML", None)));
    }
    let no_action = format!("{head}<Status>Enabled</Status>");
    assert_eq!(err(&config(&[&no_action])), invalid("Rule"));
    let tag_abort = format!(
        "{head}<Status>Enabled</Status><Tag><Key>k</Key><Value>v</Value></Tag>\
         <AbortMultipartUpload><Days>1</Days></AbortMultipartUpload>"
    );
    assert_eq!(err(&config(&[&tag_abort])), invalid("Tag"));
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

/// A rule of `body` (its head given) as the only rule of a configuration.
fn one(body: &str) -> Vec<u8> {
    config(&[&format!(
        "<ID>r</ID><Prefix>p/</Prefix><Status>Enabled</Status>{body}"
    )])
}

fn transition(limit: &str, class: &str) -> String {
    format!("<Transition>{limit}<StorageClass>{class}</StorageClass></Transition>")
}

#[test]
fn transitions_round_trip() -> TestResult {
    // As oss2 and alibabacloud-oss-v2 write them: Days, CreatedBeforeDate, the access-time flag.
    let body = one(&format!(
        "<Expiration><Days>30</Days></Expiration>{}{}\
         <NoncurrentVersionExpiration><NoncurrentDays>40</NoncurrentDays></NoncurrentVersionExpiration>\
         <NoncurrentVersionTransition><NoncurrentDays>12</NoncurrentDays><StorageClass>IA</StorageClass>\
         </NoncurrentVersionTransition>",
        transition("<Days>10</Days>", "IA").replace(
            "</StorageClass>",
            "</StorageClass><IsAccessTime>false</IsAccessTime>"
        ),
        transition("<Days>20</Days>", "ColdArchive"),
    ));
    let parsed = LifecycleConfiguration::parse(&body)?;
    let rule = parsed.rules.first().ok_or("no rule")?;
    let mut ia = Transition::new(AgeLimit::Days(10), StorageClass::Ia);
    ia.is_access_time = Some(false);
    assert_eq!(
        rule.transitions,
        [
            ia,
            Transition::new(AgeLimit::Days(20), StorageClass::ColdArchive)
        ]
    );
    assert_eq!(
        rule.noncurrent_transitions,
        [Transition::new(AgeLimit::Days(12), StorageClass::Ia)]
    );
    let xml = parsed.to_xml();
    assert!(xml.contains(
        "<Transition><Days>10</Days><StorageClass>IA</StorageClass>\
         <IsAccessTime>false</IsAccessTime></Transition>"
    ));
    assert!(xml.contains(
        "<NoncurrentVersionTransition><NoncurrentDays>12</NoncurrentDays>\
         <StorageClass>IA</StorageClass></NoncurrentVersionTransition>"
    ));
    assert_eq!(LifecycleConfiguration::parse(xml.as_bytes())?, parsed);
    // A rule of transitions only, by date (ali-oss), with its expiration an earlier date.
    let dated = one(&format!(
        "<Expiration><CreatedBeforeDate>2020-02-17T00:00:00.000Z</CreatedBeforeDate></Expiration>{}",
        transition(
            "<CreatedBeforeDate>2020-02-18T00:00:00.000Z</CreatedBeforeDate>",
            "IA"
        )
    ));
    assert!(LifecycleConfiguration::parse(&dated).is_ok());
    assert!(
        LifecycleConfiguration::parse(&one(&transition("<Days>1</Days>", "DeepColdArchive")))
            .is_ok()
    );
    Ok(())
}

#[test]
fn transition_constraints() {
    let exp = |d: u32| format!("<Expiration><Days>{d}</Days></Expiration>");
    let ia = |days: &str| transition(&format!("<Days>{days}</Days>"), "IA");
    // (rule body, the argument named by the InvalidArgument); the first three as oss2's
    // test_put_lifecycle_days_less_than_transition_days and _invalid_transitions send them.
    let cases = [
        (format!("{}{}", exp(3), ia("4")), "Transition"),
        (format!("{}{}", exp(4), ia("4")), "Transition"),
        (
            format!(
                "{}{}{}",
                exp(6),
                ia("5"),
                transition("<Days>2</Days>", "Archive")
            ),
            "Transition",
        ),
        (transition("<Days>5</Days>", "Standard"), "StorageClass"),
        (transition("<Days>5</Days>", "Cold"), "StorageClass"),
        (format!("{}{}", ia("5"), ia("6")), "StorageClass"),
        (transition("", "IA"), "Transition"),
        (ia("0"), "Days"),
    ];
    for (body, name) in &cases {
        assert_eq!(err(&one(body)), invalid(name), "{body}");
    }
    // oss2 test_lifecycle_storage_transitions_mixed: Days and CreatedBeforeDate mixed.
    let mixed = one(&format!(
        "<Expiration><CreatedBeforeDate>2016-12-25T00:00:00.000Z</CreatedBeforeDate></Expiration>{}",
        transition("<Days>356</Days>", "IA")
    ));
    assert_eq!(err(&mixed), Some(("InvalidRequest", None)));
    // A date transition after the expiration date (later date = fewer objects) is refused.
    let date_order = one(&format!(
        "<Expiration><CreatedBeforeDate>2016-12-25T00:00:00.000Z</CreatedBeforeDate></Expiration>{}",
        transition(
            "<CreatedBeforeDate>2016-12-20T00:00:00.000Z</CreatedBeforeDate>",
            "IA"
        )
    ));
    assert_eq!(err(&date_order), invalid("Transition"));
    // oss2 test_lifecycle_veriong_wrong: noncurrent Archive before noncurrent IA.
    let noncurrent = one(
        "<NoncurrentVersionTransition><NoncurrentDays>20</NoncurrentDays><StorageClass>IA</StorageClass>\
         </NoncurrentVersionTransition><NoncurrentVersionTransition><NoncurrentDays>12</NoncurrentDays>\
         <StorageClass>Archive</StorageClass></NoncurrentVersionTransition>",
    );
    assert_eq!(err(&noncurrent), invalid("NoncurrentVersionTransition"));
    let access_time = one(&transition("<Days>5</Days>", "IA").replace(
        "</StorageClass>",
        "</StorageClass><IsAccessTime>true</IsAccessTime>",
    ));
    assert_eq!(err(&access_time), invalid("IsAccessTime"));
}

#[test]
fn s3_forms() -> TestResult {
    // boto3: Filter with a prefix, a tag, or And; AbortIncompleteMultipartUpload; S3 classes;
    // Expiration/Date.
    let body = config(&[
        "<ID>a</ID><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status>\
         <AbortIncompleteMultipartUpload><DaysAfterInitiation>2</DaysAfterInitiation>\
         </AbortIncompleteMultipartUpload>",
        "<ID>b</ID><Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter><Status>Enabled</Status>\
         <Expiration><Date>2017-09-27T00:00:00Z</Date></Expiration>",
        "<ID>c</ID><Filter><And><Prefix>x/</Prefix><Tag><Key>k</Key><Value>v</Value></Tag>\
         <Tag><Key>j</Key><Value>w</Value></Tag><ObjectSizeGreaterThan>5</ObjectSizeGreaterThan>\
         </And></Filter><Status>Enabled</Status>\
         <Transition><Days>1</Days><StorageClass>GLACIER</StorageClass></Transition>",
    ]);
    let parsed = LifecycleConfiguration::parse(&body)?;
    let [a, b, c] = parsed.rules.as_slice() else {
        return Err("three rules".into());
    };
    assert_eq!(
        (a.prefix.as_str(), a.abort_uploads),
        ("logs/", Some(AgeLimit::Days(2)))
    );
    assert_eq!(a.filter, None);
    assert_eq!(b.tags, [("k".to_owned(), "v".to_owned())]);
    assert_eq!(
        b.expiration,
        Some(Expiration::After(AgeLimit::OnDate(1_506_470_400_000)))
    );
    assert_eq!((c.prefix.as_str(), c.tags.len()), ("x/", 2));
    assert_eq!(c.filter.as_ref().and_then(|f| f.size_greater_than), Some(5));
    assert_eq!(
        c.transitions.first().map(|t| t.class),
        Some(StorageClass::Archive)
    );
    let filter = |and, prefix| RuleForm::Filter { and, prefix };
    assert_eq!(
        [a.form, b.form, c.form],
        [
            filter(false, true),
            filter(false, false),
            filter(true, true)
        ]
    );
    assert_eq!(
        c.transitions.first().and_then(|t| t.s3_class),
        Some("GLACIER")
    );
    // OSS's document is OSS's form (a top-level prefix, tags, OSS's class names) ...
    let xml = parsed.to_xml();
    assert!(xml.contains("<Date>2017-09-27T00:00:00.000Z</Date>"));
    assert!(xml.contains("<ID>a</ID><Prefix>logs/</Prefix>"));
    assert!(xml.contains("<StorageClass>Archive</StorageClass>"));
    // ... and the stored form reads back to the same rules, S3's forms included.
    let stored = parsed.to_stored_xml();
    assert!(stored.contains("<ID>a</ID><Filter><Prefix>logs/</Prefix></Filter>"));
    assert_eq!(LifecycleConfiguration::parse(stored.as_bytes())?, parsed);
    let two_prefixes = config(&[
        "<ID>a</ID><Prefix>a/</Prefix><Filter><Prefix>b/</Prefix></Filter><Status>Enabled</Status>\
         <Expiration><Days>1</Days></Expiration>",
    ]);
    assert_eq!(err(&two_prefixes), Some(("MalformedXML", None)));
    // A top-level Prefix makes the older form, even with OSS's <Filter> beside it.
    let oss = LifecycleConfiguration::parse(&one(
        "<Expiration><Days>1</Days></Expiration><Filter><ObjectSizeLessThan>9</ObjectSizeLessThan></Filter>",
    ))?;
    assert_eq!(oss.rules.first().map(|r| r.form), Some(RuleForm::Prefix));
    Ok(())
}

#[test]
fn newer_noncurrent_versions() -> TestResult {
    let rule = |n: &str| {
        one(&format!(
            "<NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays>\
             <NewerNoncurrentVersions>{n}</NewerNoncurrentVersions></NoncurrentVersionExpiration>"
        ))
    };
    let parsed = LifecycleConfiguration::parse(&rule("5"))?;
    assert_eq!(
        parsed.rules.first().and_then(|r| r.newer_noncurrent),
        Some(5)
    );
    let transition = |n: &str| {
        one(&format!(
            "<NoncurrentVersionTransition><NoncurrentDays>1</NoncurrentDays>\
             <StorageClass>IA</StorageClass><NewerNoncurrentVersions>{n}</NewerNoncurrentVersions>\
             </NoncurrentVersionTransition>"
        ))
    };
    let parsed = LifecycleConfiguration::parse(&transition("7"))?;
    let newer = |c: &LifecycleConfiguration| {
        c.rules
            .first()
            .and_then(|r| r.noncurrent_transitions.first())
            .and_then(|t| t.newer_noncurrent)
    };
    assert_eq!(newer(&parsed), Some(7));
    assert_eq!(err(&transition("0")), invalid("NewerNoncurrentVersions"));
    // OSS's document has no NewerNoncurrentVersions; the stored form keeps it.
    assert!(!parsed.to_xml().contains("NewerNoncurrentVersions"));
    let stored = LifecycleConfiguration::parse(parsed.to_stored_xml().as_bytes())?;
    assert_eq!(newer(&stored), Some(7));
    assert!(LifecycleConfiguration::parse(&rule("100")).is_ok());
    assert_eq!(err(&rule("0")), invalid("NewerNoncurrentVersions"));
    assert_eq!(err(&rule("101")), invalid("NewerNoncurrentVersions"));
    assert_eq!(err(&rule("x")), Some(("MalformedXML", None)));
    Ok(())
}

#[test]
fn rule_tags_are_not_limited_in_number_or_length() {
    let with_tag = |k: &str, v: &str| {
        one(&format!(
            "<Tag><Key>{k}</Key><Value>{v}</Value></Tag><Expiration><Days>1</Days></Expiration>"
        ))
    };
    let oss_check = |body: &[u8]| {
        LifecycleConfiguration::parse(body)
            .and_then(|c| c.check_oss_tags())
            .err()
            .map(|e| e.code.as_str())
    };
    // oss2 test_lifecycle_object_tagging_exceptions_*: long keys and values are accepted...
    assert_eq!(oss_check(&with_tag(&"a".repeat(129), "v")), None);
    assert_eq!(oss_check(&with_tag("k", &"a".repeat(257))), None);
    // ...as are 19 tags...
    let many: String = (1..20)
        .map(|i| format!("<Tag><Key>k{i}</Key><Value>v{i}</Value></Tag>"))
        .collect();
    let many = one(&format!("{many}<Expiration><Days>1</Days></Expiration>"));
    assert_eq!(oss_check(&many), None);
    // ...but in the OSS dialect not characters outside letters, digits and ` +-=._:/`, in the
    // rule's tags or in a Not's.
    assert_eq!(oss_check(&with_tag("%&amp;", "v")), Some("InvalidTag"));
    assert_eq!(oss_check(&with_tag("k", ")%")), Some("InvalidTag"));
    assert!(
        LifecycleConfiguration::parse(&with_tag("k", ")%")).is_ok(),
        "S3 allows more"
    );
    let not = one("<Expiration><Days>1</Days></Expiration>\
        <Filter><Not><Prefix>x</Prefix><Tag><Key>a@b</Key><Value>v</Value></Tag></Not></Filter>");
    assert_eq!(oss_check(&not), Some("InvalidTag"));
    assert_eq!(oss_check(&with_tag("a b+-=._:/中", "1 2")), None);
    // Empty or repeated keys are refused in both dialects.
    assert_eq!(err(&with_tag("", "v")), invalid("Key"));
    let twice = one(
        "<Tag><Key>k</Key><Value>1</Value></Tag><Tag><Key>k</Key><Value>2</Value></Tag>\
        <Expiration><Days>1</Days></Expiration>",
    );
    assert_eq!(err(&twice), invalid("Key"));
}

#[test]
fn overlap_of_same_actions() -> TestResult {
    let rule = |id: &str, prefix: &str, action: &str| {
        format!("<ID>{id}</ID><Prefix>{prefix}</Prefix><Status>Enabled</Status>{action}")
    };
    let date = "<Expiration><Date>2016-12-25T00:00:00.000Z</Date></Expiration>";
    // oss2 test_lifecycle_overlap_exception.
    let overlap =
        LifecycleConfiguration::parse(&config(&[&rule("a", "p/", date), &rule("b", "p/2", date)]))?;
    let e = overlap.check_overlap().err().ok_or("overlap accepted")?;
    assert_eq!(e.code.as_str(), "InvalidArgument");
    assert_eq!(e.message, "Overlap for same action type Expiration");
    // Disjoint prefixes, different actions, or different transition classes are fine.
    let fine = LifecycleConfiguration::parse(&config(&[
        &rule("a", "p/", date),
        &rule("b", "q/", date),
        &rule(
            "c",
            "p/",
            "<Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>",
        ),
        &rule("d", "p/", &transition("<Days>1</Days>", "IA")),
        &rule("e", "p/x", &transition("<Days>2</Days>", "Archive")),
    ]))?;
    assert!(fine.check_overlap().is_ok());
    let same_class = LifecycleConfiguration::parse(&config(&[
        &rule("d", "p/", &transition("<Days>1</Days>", "IA")),
        &rule("e", "", &transition("<Days>2</Days>", "IA")),
    ]))?;
    let e = same_class.check_overlap().err().ok_or("overlap accepted")?;
    assert_eq!(e.message, "Overlap for same action type Transition");
    Ok(())
}
