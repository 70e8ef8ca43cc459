//! Small object responses: CopyObjectResult, CopyPartResult, PostResponse.

use ossd_proto::xml::{CopyObjectResult, CopyPartResult, PostResponse};
use ossd_types::ETag;

const DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
const DEC_28_2018: i64 = 1_545_990_116_000;

#[test]
fn copy_object_result() {
    let r = CopyObjectResult {
        etag: ETag::from_inner("F2064A169EE92E9775EE5324D0B1682A"),
        last_modified_ms: DEC_28_2018,
    };
    let expected = format!(
        "{DECL}<CopyObjectResult><ETag>\"F2064A169EE92E9775EE5324D0B1682A\"</ETag>\
         <LastModified>2018-12-28T09:41:56.000Z</LastModified></CopyObjectResult>"
    );
    assert_eq!(r.to_xml(), expected);
}

#[test]
fn copy_part_result() {
    let r = CopyPartResult {
        last_modified_ms: 1_405_578_474_000,
        etag: ETag::from_inner("5B3C1A2E053D763E1B002CC607C5A0FE"),
    };
    let expected = format!(
        "{DECL}<CopyPartResult><LastModified>2014-07-17T06:27:54.000Z</LastModified>\
         <ETag>\"5B3C1A2E053D763E1B002CC607C5A0FE\"</ETag></CopyPartResult>"
    );
    assert_eq!(r.to_xml(), expected);
}

#[test]
fn post_response() {
    let r = PostResponse {
        bucket: "examplebucket".to_owned(),
        location: "http://examplebucket.oss-cn-hangzhou.aliyuncs.com/user/alice/a.txt".to_owned(),
        key: "user/alice/a.txt".to_owned(),
        etag: ETag::from_inner("5B3C1A2E053D763E1B002CC607C5A0FE"),
    };
    let expected = format!(
        "{DECL}<PostResponse><Bucket>examplebucket</Bucket>\
         <Location>http://examplebucket.oss-cn-hangzhou.aliyuncs.com/user/alice/a.txt</Location>\
         <Key>user/alice/a.txt</Key><ETag>\"5B3C1A2E053D763E1B002CC607C5A0FE\"</ETag></PostResponse>"
    );
    assert_eq!(r.to_xml(), expected);
}
