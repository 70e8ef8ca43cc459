//! ListObjects v1/v2 and ListObjectVersions, including `encoding-type=url`.

use ossd_proto::xml::{
    DeleteMarkerInfo, ListObjectsResult, ListObjectsV2Result, ListVersionsResult, ObjectSummary,
    Owner, VersionEntry, VersionInfo, VersionMarker, url_encode,
};
use ossd_types::{ETag, ObjectType, StorageClass};

const DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
const ETAG: &str = "5B3C1A2E053D763E1B002CC607C5A0FE";

fn object(key: &str) -> ObjectSummary {
    ObjectSummary {
        key: key.to_owned(),
        last_modified_ms: 1_330_072_952_000,
        etag: ETag::from_inner(ETAG),
        object_type: ObjectType::Normal,
        size: 344_606,
        storage_class: StorageClass::Standard,
        restore_info: None,
    }
}

fn owner() -> Owner {
    Owner {
        id: "0022012".to_owned(),
        display_name: "user-example".to_owned(),
    }
}

const CONTENTS: &str = "<Contents><Key>fun/test.jpg</Key>\
    <LastModified>2012-02-24T08:42:32.000Z</LastModified>\
    <ETag>\"5B3C1A2E053D763E1B002CC607C5A0FE\"</ETag><Type>Normal</Type><Size>344606</Size>\
    <StorageClass>Standard</StorageClass>\
    <Owner><ID>0022012</ID><DisplayName>user-example</DisplayName></Owner></Contents>";

fn v1() -> ListObjectsResult {
    ListObjectsResult {
        name: "oss-example".to_owned(),
        prefix: "fun/".to_owned(),
        marker: String::new(),
        max_keys: 100,
        delimiter: "/".to_owned(),
        encoding_url: false,
        next_marker: Some("fun/test.jpg".to_owned()),
        contents: vec![object("fun/test.jpg")],
        owner: owner(),
        common_prefixes: vec!["fun/movie/".to_owned()],
    }
}

#[test]
fn v1_matches_the_spec_example() {
    let expected = format!(
        "{DECL}<ListBucketResult><Name>oss-example</Name><Prefix>fun/</Prefix><Marker></Marker>\
         <MaxKeys>100</MaxKeys><Delimiter>/</Delimiter><IsTruncated>true</IsTruncated>\
         <NextMarker>fun/test.jpg</NextMarker>{CONTENTS}\
         <CommonPrefixes><Prefix>fun/movie/</Prefix></CommonPrefixes></ListBucketResult>"
    );
    assert_eq!(v1().to_xml(), expected);
}

#[test]
fn v1_not_truncated_has_no_next_marker() {
    let mut list = v1();
    list.next_marker = None;
    let xml = list.to_xml();
    assert!(xml.contains("<IsTruncated>false</IsTruncated><Contents>"));
    assert!(!xml.contains("NextMarker"));
}

#[test]
fn v1_url_encoding_covers_exactly_the_listed_fields() {
    let mut list = v1();
    list.encoding_url = true;
    list.name = "b".to_owned();
    list.prefix = "a b/".to_owned();
    list.marker = "m+1".to_owned();
    list.delimiter = "/".to_owned();
    list.next_marker = Some("ü&".to_owned());
    list.contents = vec![object("a b/c~d.e_f-g%h")];
    list.common_prefixes = vec!["a b/é/".to_owned()];
    let xml = list.to_xml();
    for part in [
        "<Prefix>a%20b%2F</Prefix>",
        "<Marker>m%2B1</Marker>",
        "<Delimiter>%2F</Delimiter>",
        "<EncodingType>url</EncodingType><IsTruncated>true</IsTruncated>",
        "<NextMarker>%C3%BC%26</NextMarker>",
        "<Key>a%20b%2Fc~d.e_f-g%25h</Key>",
        "<CommonPrefixes><Prefix>a%20b%2F%C3%A9%2F</Prefix></CommonPrefixes>",
        "<Name>b</Name>",
    ] {
        assert!(xml.contains(part), "{part} missing in {xml}");
    }
    assert!(!xml.contains('+'));
}

#[test]
fn v1_escapes_keys_without_encoding() {
    let mut list = v1();
    list.contents = vec![object("a&b<c>\"d\"")];
    assert!(list.to_xml().contains("<Key>a&amp;b&lt;c&gt;\"d\"</Key>"));
}

fn v2() -> ListObjectsV2Result {
    ListObjectsV2Result {
        name: "b".to_owned(),
        prefix: String::new(),
        start_after: None,
        continuation_token: None,
        max_keys: 100,
        delimiter: String::new(),
        encoding_url: false,
        next_continuation_token: None,
        fetch_owner: false,
        contents: vec![object("fun/test.jpg")],
        owner: owner(),
        common_prefixes: vec![],
    }
}

#[test]
fn v2_minimal_omits_owner_and_optional_fields() {
    let expected = format!(
        "{DECL}<ListBucketResult><Name>b</Name><Prefix></Prefix><MaxKeys>100</MaxKeys>\
         <Delimiter></Delimiter><IsTruncated>false</IsTruncated><KeyCount>1</KeyCount>\
         <Contents><Key>fun/test.jpg</Key><LastModified>2012-02-24T08:42:32.000Z</LastModified>\
         <ETag>\"5B3C1A2E053D763E1B002CC607C5A0FE\"</ETag><Type>Normal</Type><Size>344606</Size>\
         <StorageClass>Standard</StorageClass></Contents></ListBucketResult>"
    );
    assert_eq!(v2().to_xml(), expected);
}

#[test]
fn v2_full_with_fetch_owner_and_encoding() {
    let mut list = v2();
    list.prefix = "d ir/".to_owned();
    list.start_after = Some("x y".to_owned());
    list.continuation_token = Some("tok/1".to_owned());
    list.delimiter = "/".to_owned();
    list.encoding_url = true;
    list.next_continuation_token = Some("n=1".to_owned());
    list.fetch_owner = true;
    list.common_prefixes = vec!["d ir/s/".to_owned()];
    let expected = format!(
        "{DECL}<ListBucketResult><Name>b</Name><Prefix>d%20ir%2F</Prefix><StartAfter>x%20y</StartAfter>\
         <ContinuationToken>tok%2F1</ContinuationToken><MaxKeys>100</MaxKeys><Delimiter>%2F</Delimiter>\
         <EncodingType>url</EncodingType><IsTruncated>true</IsTruncated>\
         <NextContinuationToken>n%3D1</NextContinuationToken><KeyCount>2</KeyCount>\
         {}<CommonPrefixes><Prefix>d%20ir%2Fs%2F</Prefix></CommonPrefixes></ListBucketResult>",
        CONTENTS.replace("fun/test.jpg", "fun%2Ftest.jpg")
    );
    assert_eq!(list.to_xml(), expected);
}

#[test]
fn url_encode_is_strict_rfc3986() {
    assert_eq!(url_encode("AZaz09-._~"), "AZaz09-._~");
    assert_eq!(
        url_encode(" !\"#$%&'()*+,/:;=?@[]"),
        "%20%21%22%23%24%25%26%27%28%29%2A%2B%2C%2F%3A%3B%3D%3F%40%5B%5D"
    );
    assert_eq!(url_encode("\u{1}\n中"), "%01%0A%E4%B8%AD");
}

fn versions() -> ListVersionsResult {
    let owner = Owner::new("12345125285864390");
    ListVersionsResult {
        name: "oss-example".to_owned(),
        prefix: String::new(),
        key_marker: "example".to_owned(),
        version_id_marker: "CAEQ1".to_owned(),
        max_keys: 100,
        delimiter: String::new(),
        encoding_url: false,
        next_marker: Some(VersionMarker {
            key: "example".to_owned(),
            version_id: "CAEQ2".to_owned(),
        }),
        entries: vec![
            VersionEntry::DeleteMarker(DeleteMarkerInfo {
                key: "example".to_owned(),
                version_id: "CAEQ3".to_owned(),
                is_latest: true,
                last_modified_ms: 1_554_794_848_000,
                owner: owner.clone(),
            }),
            VersionEntry::Version(VersionInfo {
                key: "example".to_owned(),
                version_id: "CAEQ4".to_owned(),
                is_latest: false,
                last_modified_ms: 1_554_794_848_000,
                etag: ETag::from_inner("250F8A0AE989679A22926A875F0A2BCF"),
                object_type: ObjectType::Normal,
                size: 93731,
                storage_class: StorageClass::Standard,
                restore_info: None,
                owner,
            }),
        ],
        common_prefixes: vec!["dir/".to_owned()],
    }
}

#[test]
fn list_versions_matches_the_spec_example() {
    let owner =
        "<Owner><ID>12345125285864390</ID><DisplayName>12345125285864390</DisplayName></Owner>";
    let expected = format!(
        "{DECL}<ListVersionsResult><Name>oss-example</Name><Prefix></Prefix><KeyMarker>example</KeyMarker>\
         <VersionIdMarker>CAEQ1</VersionIdMarker><MaxKeys>100</MaxKeys><Delimiter></Delimiter>\
         <IsTruncated>true</IsTruncated><NextKeyMarker>example</NextKeyMarker>\
         <NextVersionIdMarker>CAEQ2</NextVersionIdMarker>\
         <DeleteMarker><Key>example</Key><VersionId>CAEQ3</VersionId><IsLatest>true</IsLatest>\
         <LastModified>2019-04-09T07:27:28.000Z</LastModified>{owner}</DeleteMarker>\
         <Version><Key>example</Key><VersionId>CAEQ4</VersionId><IsLatest>false</IsLatest>\
         <LastModified>2019-04-09T07:27:28.000Z</LastModified>\
         <ETag>\"250F8A0AE989679A22926A875F0A2BCF\"</ETag><Type>Normal</Type><Size>93731</Size>\
         <StorageClass>Standard</StorageClass>{owner}</Version>\
         <CommonPrefixes><Prefix>dir/</Prefix></CommonPrefixes></ListVersionsResult>"
    );
    assert_eq!(versions().to_xml(), expected);
}

#[test]
fn list_versions_url_encoding() {
    let mut list = versions();
    list.encoding_url = true;
    list.prefix = "a b".to_owned();
    list.key_marker = "k/1".to_owned();
    list.delimiter = "/".to_owned();
    list.next_marker = Some(VersionMarker {
        key: "k/2".to_owned(),
        version_id: "v=".to_owned(),
    });
    list.version_id_marker = "v=".to_owned();
    let xml = list.to_xml();
    for part in [
        "<Prefix>a%20b</Prefix>",
        "<KeyMarker>k%2F1</KeyMarker>",
        "<VersionIdMarker>v=</VersionIdMarker>",
        "<Delimiter>%2F</Delimiter>",
        "<NextKeyMarker>k%2F2</NextKeyMarker><NextVersionIdMarker>v=</NextVersionIdMarker>",
        "<EncodingType>url</EncodingType>",
        "<CommonPrefixes><Prefix>dir%2F</Prefix></CommonPrefixes>",
    ] {
        assert!(xml.contains(part), "{part} missing in {xml}");
    }
    let not_truncated = ListVersionsResult {
        next_marker: None,
        ..versions()
    }
    .to_xml();
    assert!(not_truncated.contains("<IsTruncated>false</IsTruncated><DeleteMarker>"));
}
