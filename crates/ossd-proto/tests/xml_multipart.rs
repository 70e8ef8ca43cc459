//! Multipart documents: Initiate, Complete (request and result), ListParts, ListMultipartUploads.

use ossd_proto::xml::{
    CompleteMultipartUpload, CompleteMultipartUploadResult, CompletePart,
    InitiateMultipartUploadResult, ListMultipartUploadsResult, ListPartsResult,
    MAX_COMPLETE_BODY_BYTES, Owner, PartSummary, UploadSummary,
};
use ossd_types::{ETag, StorageClass};

const DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

fn code(body: &[u8]) -> &'static str {
    CompleteMultipartUpload::parse(body)
        .err()
        .map_or("ok", |e| e.code.as_str())
}

fn part(n: u32, etag: &str) -> CompletePart {
    CompletePart {
        part_number: n,
        etag: etag.to_owned(),
        checksum: None,
    }
}

#[test]
fn complete_parts_carry_s3_checksums() {
    let body = "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"A\"</ETag>\
                <ChecksumSHA256> x= </ChecksumSHA256></Part></CompleteMultipartUpload>";
    let parsed = CompleteMultipartUpload::parse(body.as_bytes()).map(|c| c.parts);
    assert_eq!(
        parsed
            .ok()
            .and_then(|p| p.into_iter().next())
            .and_then(|p| p.checksum),
        Some(("SHA256".to_owned(), "x=".to_owned()))
    );
}

#[test]
fn initiate_result() {
    let mut r = InitiateMultipartUploadResult {
        bucket: "oss-example".to_owned(),
        key: "multipart.data".to_owned(),
        upload_id: "0004B9894A22E5B1888A1E29F8236E2D".to_owned(),
        encoding_url: false,
    };
    let expected = format!(
        "{DECL}<InitiateMultipartUploadResult><Bucket>oss-example</Bucket><Key>multipart.data</Key>\
         <UploadId>0004B9894A22E5B1888A1E29F8236E2D</UploadId></InitiateMultipartUploadResult>"
    );
    assert_eq!(r.to_xml(), expected);
    r.encoding_url = true;
    r.key = "dir/a b".to_owned();
    let xml = r.to_xml();
    assert!(xml.contains("<Key>dir%2Fa%20b</Key><UploadId>0004B9894A22E5B1888A1E29F8236E2D</UploadId><EncodingType>url</EncodingType>"), "{xml}");
}

#[test]
fn complete_parses_pretty_and_compact_bodies() {
    let pretty = br#"<?xml version="1.0" encoding="UTF-8"?>
<CompleteMultipartUpload>
  <Part><PartNumber>1</PartNumber><ETag>"3349DC700140D7F86A0784842780E2AC"</ETag></Part>
  <Part><PartNumber> 2 </PartNumber><ETag>&quot;8EFDA8BE206636A695359836FE0A0E0A&quot;</ETag></Part>
</CompleteMultipartUpload>"#;
    let expected = vec![
        part(1, "3349DC700140D7F86A0784842780E2AC"),
        part(2, "8EFDA8BE206636A695359836FE0A0E0A"),
    ];
    assert_eq!(
        CompleteMultipartUpload::parse(pretty).map(|c| c.parts),
        Ok(expected)
    );
    let compact = b"<CompleteMultipartUpload><Part><PartNumber>3</PartNumber><ETag>abc</ETag></Part></CompleteMultipartUpload>";
    assert_eq!(
        CompleteMultipartUpload::parse(compact).map(|c| c.parts),
        Ok(vec![part(3, "abc")])
    );
}

#[test]
fn complete_checks_order_and_numbers() {
    let body = |parts: &[u32]| {
        let inner: String = parts
            .iter()
            .map(|n| format!("<Part><PartNumber>{n}</PartNumber><ETag>\"E\"</ETag></Part>"))
            .collect();
        format!("<CompleteMultipartUpload>{inner}</CompleteMultipartUpload>").into_bytes()
    };
    assert_eq!(code(&body(&[1, 3, 10000])), "ok");
    assert_eq!(code(&body(&[2, 1])), "InvalidPartOrder");
    assert_eq!(code(&body(&[1, 1])), "InvalidPartOrder");
    assert_eq!(code(&body(&[0])), "InvalidArgument");
    assert_eq!(code(&body(&[10001])), "InvalidArgument");
    assert_eq!(code(&body(&[])), "MalformedXML");
}

#[test]
fn s3_complete_takes_the_last_entry_of_a_repeated_number() {
    let body = |parts: &[(u32, &str)]| {
        let inner: String = parts
            .iter()
            .map(|(n, e)| format!("<Part><PartNumber>{n}</PartNumber><ETag>\"{e}\"</ETag></Part>"))
            .collect();
        format!("<CompleteMultipartUpload>{inner}</CompleteMultipartUpload>").into_bytes()
    };
    let listed = |b: &[u8]| {
        CompleteMultipartUpload::parse_s3(b)
            .map(|c| {
                c.parts
                    .into_iter()
                    .map(|p| (p.part_number, p.etag))
                    .collect::<Vec<_>>()
            })
            .map_err(|e| e.code.as_str().to_owned())
    };
    let twice = body(&[(1, "B"), (1, "A"), (2, "C")]);
    assert_eq!(
        listed(&twice),
        Ok(vec![(1, "A".to_owned()), (2, "C".to_owned())])
    );
    // The OSS dialect keeps refusing a repeated number.
    assert_eq!(code(&twice), "InvalidPartOrder");
    assert_eq!(
        listed(&body(&[(2, "B"), (1, "A")])),
        Err("InvalidPartOrder".to_owned())
    );
    assert_eq!(
        listed(&body(&[(1, "A"), (2, "B"), (1, "A")])),
        Err("InvalidPartOrder".to_owned())
    );
    assert_eq!(listed(&body(&[])), Err("MalformedXML".to_owned()));
}

#[test]
fn complete_malformed() {
    for bad in [
        &b"<CompleteMultipartUpload><Part><ETag>x</ETag></Part></CompleteMultipartUpload>"[..],
        b"<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>",
        b"<CompleteMultipartUpload><Part><PartNumber>one</PartNumber><ETag>x</ETag></Part></CompleteMultipartUpload>",
        b"<CompleteMultipartUpload><Part><PartNumber>-1</PartNumber><ETag>x</ETag></Part></CompleteMultipartUpload>",
        b"<CompleteMultipartUpload><Part><PartNumber>99999999999</PartNumber><ETag>x</ETag></Part></CompleteMultipartUpload>",
        b"<Complete><Part><PartNumber>1</PartNumber><ETag>x</ETag></Part></Complete>",
        b"",
    ] {
        assert_eq!(code(bad), "MalformedXML", "{}", String::from_utf8_lossy(bad));
    }
    let mut huge = b"<CompleteMultipartUpload>".to_vec();
    huge.resize(MAX_COMPLETE_BODY_BYTES + 1, b' ');
    assert_eq!(code(&huge), "EntityTooLarge");
}

#[test]
fn complete_accepts_ten_thousand_parts() {
    let inner: String = (1..=10_000)
        .map(|n| format!("  <Part>\n    <PartNumber>{n}</PartNumber>\n    <ETag>\"3349DC700140D7F86A0784842780E2AC\"</ETag>\n  </Part>\n"))
        .collect();
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CompleteMultipartUpload>\n{inner}</CompleteMultipartUpload>"
    );
    assert!(body.len() < MAX_COMPLETE_BODY_BYTES);
    assert_eq!(
        CompleteMultipartUpload::parse(body.as_bytes()).map(|c| c.parts.len()),
        Ok(10_000)
    );
}

#[test]
fn complete_result() {
    let r = CompleteMultipartUploadResult {
        encoding_url: true,
        location: "http://oss-example.oss-cn-hangzhou.aliyuncs.com/multipart.data".to_owned(),
        bucket: "oss-example".to_owned(),
        key: "multipart.data".to_owned(),
        etag: ETag::from_inner("B864DB6A936D376F9F8D3ED3BBE540DD-3"),
        checksum: None,
    };
    let expected = format!(
        "{DECL}<CompleteMultipartUploadResult><EncodingType>url</EncodingType>\
         <Location>http://oss-example.oss-cn-hangzhou.aliyuncs.com/multipart.data</Location>\
         <Bucket>oss-example</Bucket><Key>multipart.data</Key>\
         <ETag>\"B864DB6A936D376F9F8D3ED3BBE540DD-3\"</ETag></CompleteMultipartUploadResult>"
    );
    assert_eq!(r.to_xml(), expected);
    let plain = CompleteMultipartUploadResult {
        encoding_url: false,
        key: "a b".to_owned(),
        ..r
    };
    assert!(
        plain
            .to_xml()
            .contains("<CompleteMultipartUploadResult><Location>")
    );
    assert!(plain.to_xml().contains("<Key>a b</Key>"));
    let with_checksum = CompleteMultipartUploadResult {
        checksum: Some(ossd_proto::xml::ChecksumElement {
            algorithm: "CRC32".to_owned(),
            value: "WgDhBQ==".to_owned(),
            checksum_type: "FULL_OBJECT",
        }),
        ..plain
    };
    assert!(with_checksum.to_xml().ends_with(
        "<ChecksumCRC32>WgDhBQ==</ChecksumCRC32><ChecksumType>FULL_OBJECT</ChecksumType>\
         </CompleteMultipartUploadResult>"
    ));
}

#[test]
fn list_parts() {
    let r = ListPartsResult {
        bucket: "b".to_owned(),
        key: "k k".to_owned(),
        upload_id: "ID".to_owned(),
        storage_class: StorageClass::Standard,
        part_number_marker: 0,
        next_part_number_marker: 5,
        max_parts: 1000,
        is_truncated: false,
        encoding_url: false,
        checksum: None,
        owner: None,
        parts: vec![
            PartSummary {
                part_number: 1,
                last_modified_ms: 1_330_072_952_000,
                etag: ETag::from_inner("3349DC700140D7F86A0784842780E2AC"),
                crc64: Some(1_234_567_890),
                size: 6_291_456,
                checksum: None,
            },
            PartSummary {
                part_number: 5,
                last_modified_ms: 0,
                etag: ETag::from_inner("E"),
                crc64: None,
                size: 1,
                checksum: None,
            },
        ],
    };
    let expected = format!(
        "{DECL}<ListPartsResult><Bucket>b</Bucket><Key>k k</Key><UploadId>ID</UploadId>\
         <StorageClass>Standard</StorageClass><PartNumberMarker>0</PartNumberMarker>\
         <NextPartNumberMarker>5</NextPartNumberMarker><MaxParts>1000</MaxParts>\
         <IsTruncated>false</IsTruncated><Part><PartNumber>1</PartNumber>\
         <LastModified>2012-02-24T08:42:32.000Z</LastModified>\
         <ETag>\"3349DC700140D7F86A0784842780E2AC\"</ETag><HashCrc64ecma>1234567890</HashCrc64ecma>\
         <Size>6291456</Size></Part><Part><PartNumber>5</PartNumber>\
         <LastModified>1970-01-01T00:00:00.000Z</LastModified><ETag>\"E\"</ETag><Size>1</Size></Part>\
         </ListPartsResult>"
    );
    assert_eq!(r.to_xml(), expected);
    let encoded = ListPartsResult {
        encoding_url: true,
        ..r.clone()
    }
    .to_xml();
    assert!(encoded.contains("<Key>k%20k</Key>"));
    assert!(
        encoded.contains("<MaxParts>1000</MaxParts><EncodingType>url</EncodingType><IsTruncated>")
    );
    let s3 = ListPartsResult {
        owner: Some(Owner::new("1001")),
        parts: Vec::new(),
        ..r
    }
    .to_xml();
    assert!(
        s3.ends_with(
            "<IsTruncated>false</IsTruncated><Initiator><ID>1001</ID><DisplayName>1001</DisplayName>\
             </Initiator><Owner><ID>1001</ID><DisplayName>1001</DisplayName></Owner></ListPartsResult>"
        ),
        "{s3}"
    );
}

fn uploads() -> ListMultipartUploadsResult {
    ListMultipartUploadsResult {
        bucket: "oss-example".to_owned(),
        key_marker: String::new(),
        upload_id_marker: String::new(),
        next_key_marker: "oss.avi".to_owned(),
        next_upload_id_marker: "0004B99B8E707874FC2D692FA5D77D3F".to_owned(),
        delimiter: String::new(),
        prefix: String::new(),
        max_uploads: 1000,
        is_truncated: false,
        encoding_url: false,
        uploads: vec![UploadSummary {
            key: "multipart.data".to_owned(),
            upload_id: "0004B999EF518A1FE585B0C9360DC4C8".to_owned(),
            initiated_ms: 1_329_970_703_000,
        }],
        common_prefixes: vec!["dir/".to_owned()],
    }
}

#[test]
fn list_multipart_uploads() {
    let expected = format!(
        "{DECL}<ListMultipartUploadsResult><Bucket>oss-example</Bucket><KeyMarker></KeyMarker>\
         <UploadIdMarker></UploadIdMarker><NextKeyMarker>oss.avi</NextKeyMarker>\
         <NextUploadIdMarker>0004B99B8E707874FC2D692FA5D77D3F</NextUploadIdMarker>\
         <Delimiter></Delimiter><Prefix></Prefix><MaxUploads>1000</MaxUploads>\
         <IsTruncated>false</IsTruncated><Upload><Key>multipart.data</Key>\
         <UploadId>0004B999EF518A1FE585B0C9360DC4C8</UploadId>\
         <Initiated>2012-02-23T04:18:23.000Z</Initiated></Upload>\
         <CommonPrefixes><Prefix>dir/</Prefix></CommonPrefixes></ListMultipartUploadsResult>"
    );
    assert_eq!(uploads().to_xml(), expected);
}

#[test]
fn list_multipart_uploads_encoded() {
    let r = ListMultipartUploadsResult {
        encoding_url: true,
        key_marker: "a b".to_owned(),
        next_key_marker: "c/d".to_owned(),
        delimiter: "/".to_owned(),
        prefix: "p q".to_owned(),
        ..uploads()
    };
    let xml = r.to_xml();
    for part in [
        "<KeyMarker>a%20b</KeyMarker>",
        "<NextKeyMarker>c%2Fd</NextKeyMarker>",
        "<Delimiter>%2F</Delimiter><Prefix>p%20q</Prefix>",
        "<MaxUploads>1000</MaxUploads><EncodingType>url</EncodingType><IsTruncated>false</IsTruncated>",
        "<Prefix>dir%2F</Prefix>",
    ] {
        assert!(xml.contains(part), "{part} missing in {xml}");
    }
}
