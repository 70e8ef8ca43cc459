//! Service and bucket documents: ListBuckets, BucketInfo, location, ACL, CreateBucketConfiguration.

use ossd_proto::xml::{
    AccessControlPolicy, BucketInfo, BucketSummary, CreateBucketConfiguration, DataRedundancyType,
    ListAllMyBucketsResult, LocationConstraint, MAX_CONFIG_BODY_BYTES, Owner,
};
use ossd_types::{BucketAcl, ObjectAcl, StorageClass, VersioningState};

const DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

fn bucket(name: &str) -> BucketSummary {
    BucketSummary {
        name: name.to_owned(),
        creation_date_ms: 1_450_375_963_000,
        location: "oss-cn-shanghai".to_owned(),
        region: "cn-shanghai".to_owned(),
        extranet_endpoint: "oss-cn-shanghai.aliyuncs.com".to_owned(),
        intranet_endpoint: "oss-cn-shanghai-internal.aliyuncs.com".to_owned(),
        storage_class: StorageClass::Standard,
    }
}

#[test]
fn list_buckets_plain() {
    let result = ListAllMyBucketsResult {
        prefix: None,
        marker: None,
        max_keys: None,
        next_marker: None,
        owner: Owner::new("51264"),
        buckets: vec![bucket("app-base-oss")],
    };
    let expected = format!(
        "{DECL}<ListAllMyBucketsResult><Owner><ID>51264</ID><DisplayName>51264</DisplayName></Owner>\
         <Buckets><Bucket><CreationDate>2015-12-17T18:12:43.000Z</CreationDate>\
         <ExtranetEndpoint>oss-cn-shanghai.aliyuncs.com</ExtranetEndpoint>\
         <IntranetEndpoint>oss-cn-shanghai-internal.aliyuncs.com</IntranetEndpoint>\
         <Location>oss-cn-shanghai</Location><Name>app-base-oss</Name><Region>cn-shanghai</Region>\
         <StorageClass>Standard</StorageClass></Bucket></Buckets></ListAllMyBucketsResult>"
    );
    assert_eq!(result.to_xml(), expected);
}

#[test]
fn list_buckets_truncated_with_parameters_and_empty() {
    let result = ListAllMyBucketsResult {
        prefix: Some("p".to_owned()),
        marker: Some(String::new()),
        max_keys: Some(100),
        next_marker: Some("lastName".to_owned()),
        owner: Owner::new("1"),
        buckets: vec![],
    };
    let expected = format!(
        "{DECL}<ListAllMyBucketsResult><Prefix>p</Prefix><Marker></Marker><MaxKeys>100</MaxKeys>\
         <IsTruncated>true</IsTruncated><NextMarker>lastName</NextMarker>\
         <Owner><ID>1</ID><DisplayName>1</DisplayName></Owner><Buckets></Buckets></ListAllMyBucketsResult>"
    );
    assert_eq!(result.to_xml(), expected);
}

fn info(versioning: VersioningState) -> BucketInfo {
    BucketInfo {
        name: "oss-example".to_owned(),
        creation_date_ms: 1_736_929_800_000,
        location: "oss-cn-hangzhou".to_owned(),
        extranet_endpoint: "oss-cn-hangzhou.aliyuncs.com".to_owned(),
        intranet_endpoint: "oss-cn-hangzhou-internal.aliyuncs.com".to_owned(),
        storage_class: StorageClass::Ia,
        data_redundancy_type: DataRedundancyType::Lrs,
        resource_group_id: "rg-default".to_owned(),
        owner: Owner::new("27183473914"),
        acl: BucketAcl::PublicRead,
        comment: String::new(),
        versioning,
        block_public_access: false,
    }
}

#[test]
fn bucket_info_follows_the_spec_order() {
    let expected = format!(
        "{DECL}<BucketInfo><Bucket><AccessMonitor>Disabled</AccessMonitor>\
         <CreationDate>2025-01-15T08:30:00.000Z</CreationDate>\
         <ExtranetEndpoint>oss-cn-hangzhou.aliyuncs.com</ExtranetEndpoint>\
         <IntranetEndpoint>oss-cn-hangzhou-internal.aliyuncs.com</IntranetEndpoint>\
         <Location>oss-cn-hangzhou</Location><StorageClass>IA</StorageClass>\
         <TransferAcceleration>Disabled</TransferAcceleration>\
         <CrossRegionReplication>Disabled</CrossRegionReplication>\
         <DataRedundancyType>LRS</DataRedundancyType><Name>oss-example</Name>\
         <ResourceGroupId>rg-default</ResourceGroupId>\
         <Owner><DisplayName>27183473914</DisplayName><ID>27183473914</ID></Owner>\
         <AccessControlList><Grant>public-read</Grant></AccessControlList><Comment></Comment>\
         <Versioning>Enabled</Versioning>\
         <ServerSideEncryptionRule><SSEAlgorithm>None</SSEAlgorithm></ServerSideEncryptionRule>\
         <BucketPolicy><LogBucket></LogBucket><LogPrefix></LogPrefix></BucketPolicy>\
         <BlockPublicAccess>false</BlockPublicAccess></Bucket></BucketInfo>"
    );
    assert_eq!(info(VersioningState::Enabled).to_xml(), expected);
}

#[test]
fn bucket_info_omits_versioning_when_never_configured() {
    let xml = info(VersioningState::Disabled).to_xml();
    assert!(!xml.contains("<Versioning>"));
    assert!(
        info(VersioningState::Suspended)
            .to_xml()
            .contains("<Versioning>Suspended</Versioning>")
    );
}

#[test]
fn location_constraint() {
    let loc = LocationConstraint {
        location: "oss-cn-hangzhou".to_owned(),
    };
    assert_eq!(
        loc.to_xml(),
        format!("{DECL}<LocationConstraint>oss-cn-hangzhou</LocationConstraint>")
    );
}

#[test]
fn bucket_and_object_acl() {
    let owner = Owner {
        id: "00220120222".to_owned(),
        display_name: "user_example".to_owned(),
    };
    let expected = format!(
        "{DECL}<AccessControlPolicy><Owner><ID>00220120222</ID><DisplayName>user_example</DisplayName>\
         </Owner><AccessControlList><Grant>public-read</Grant></AccessControlList></AccessControlPolicy>"
    );
    assert_eq!(
        AccessControlPolicy::bucket(owner.clone(), BucketAcl::PublicRead).to_xml(),
        expected
    );
    let obj = AccessControlPolicy::object(owner, ObjectAcl::Default).to_xml();
    assert!(obj.contains("<Grant>default</Grant>"));
}

#[test]
fn create_bucket_configuration_parses() {
    let body = b"<CreateBucketConfiguration><StorageClass>Standard</StorageClass>\
                 <DataRedundancyType>LRS</DataRedundancyType></CreateBucketConfiguration>";
    let cfg = CreateBucketConfiguration::parse(body);
    assert_eq!(
        cfg,
        Ok(CreateBucketConfiguration {
            storage_class: Some(StorageClass::Standard),
            data_redundancy_type: Some(DataRedundancyType::Lrs),
        })
    );
    let ns = br#"<?xml version="1.0"?><CreateBucketConfiguration xmlns="http://doc.oss-cn-hangzhou.aliyuncs.com"><StorageClass>IA</StorageClass></CreateBucketConfiguration>"#;
    let cfg = CreateBucketConfiguration::parse(ns);
    assert_eq!(
        cfg.map(|c| (c.storage_class, c.data_redundancy_type)),
        Ok((Some(StorageClass::Ia), None))
    );
    let empty = CreateBucketConfiguration::parse(b"<CreateBucketConfiguration/>");
    assert_eq!(empty, Ok(CreateBucketConfiguration::default()));
}

#[test]
fn create_bucket_configuration_rejects_bad_values() {
    let bad_class =
        b"<CreateBucketConfiguration><StorageClass>Hot</StorageClass></CreateBucketConfiguration>";
    let err = CreateBucketConfiguration::parse(bad_class).err();
    assert_eq!(
        err.as_ref().map(|e| e.code.as_str()),
        Some("InvalidArgument")
    );
    assert_eq!(
        err.as_ref().and_then(|e| e.extra("ArgumentValue")),
        Some("Hot")
    );
    let bad_drt = b"<CreateBucketConfiguration><DataRedundancyType>XRS</DataRedundancyType></CreateBucketConfiguration>";
    assert_eq!(
        code(CreateBucketConfiguration::parse(bad_drt)),
        "InvalidArgument"
    );
    assert_eq!(code(CreateBucketConfiguration::parse(b"")), "MalformedXML");
    assert_eq!(
        code(CreateBucketConfiguration::parse(b"<Other/>")),
        "MalformedXML"
    );
    let huge = vec![b' '; MAX_CONFIG_BODY_BYTES + 1];
    assert_eq!(
        code(CreateBucketConfiguration::parse(&huge)),
        "EntityTooLarge"
    );
}

fn code<T>(r: Result<T, ossd_proto::error::OssError>) -> &'static str {
    r.err().map_or("ok", |e| e.code.as_str())
}
