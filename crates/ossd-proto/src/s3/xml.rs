//! Response documents in S3's form (docs/s3.md#responses): the handlers write OSS's documents,
//! which OSS modelled on S3's and which S3 clients read as they are, except for what this
//! rewrite changes: the S3 namespace on the root element, storage classes in S3's spelling,
//! ETags in lowercase hex, ACLs as grants, and the bucket location as a bare region.

use super::acl::grants_xml;
use super::error::S3_NAMESPACE;
use super::headers::storage_class_to_s3;
use crate::xml::XML_DECLARATION;

/// The S3 form of an OSS response document (one written by this crate's writer: the
/// declaration, a line break, then the root element). `owner` is the account that owns every
/// bucket and upload (S3 names the initiator and owner of each upload in ListMultipartUploads).
pub fn rewrite_xml(doc: &str, owner: &str) -> String {
    let Some(body) = doc
        .strip_prefix(XML_DECLARATION)
        .map(|b| b.trim_start_matches('\n'))
    else {
        return doc.to_owned();
    };
    let mut out = String::with_capacity(doc.len() + 64);
    out.push_str(XML_DECLARATION);
    out.push('\n');
    let body = with_namespace(body);
    let body = replace_values(&body, "StorageClass", |v| storage_class_to_s3(v).to_owned());
    let body = replace_values(&body, "ETag", str::to_ascii_lowercase);
    let body = acl_grants(&body);
    let body = if body.starts_with("<ListAllMyBucketsResult") {
        bucket_page(&body)
    } else if body.starts_with("<ListBucketResult") || body.starts_with("<ListVersionsResult") {
        listing(&body)
    } else if body.starts_with("<ListMultipartUploadsResult") {
        let party = format!("<ID>{owner}</ID><DisplayName>{owner}</DisplayName>");
        body.replace(
            "</UploadId>",
            &format!("</UploadId><Initiator>{party}</Initiator><Owner>{party}</Owner>"),
        )
    } else {
        body
    };
    out.push_str(&location(&body));
    out
}

/// ListBuckets' page token: OSS's `NextMarker` is S3's `ContinuationToken`; OSS's echoes of
/// the request (`Marker`, `MaxKeys`) and `IsTruncated` are not in S3's document.
fn bucket_page(body: &str) -> String {
    let mut body = body.to_owned();
    for name in ["Marker", "MaxKeys", "IsTruncated"] {
        body = remove_element(&body, name);
    }
    body.replacen("<NextMarker>", "<ContinuationToken>", 1)
        .replacen("</NextMarker>", "</ContinuationToken>", 1)
}

/// An object listing as S3 writes it: no `<Delimiter>` when none was given; with
/// `encoding-type=url`, S3 leaves `/` unencoded and does not encode the top-level `Prefix` and
/// `Delimiter` (OSS encodes every byte but the unreserved ones, and those fields too).
fn listing(body: &str) -> String {
    let mut body = body.replacen("<Delimiter></Delimiter>", "", 1);
    if body.contains("<EncodingType>url</EncodingType>") {
        body = body.replace("%2F", "/");
        for name in ["Prefix", "Delimiter"] {
            body = decode_first(&body, name);
        }
    }
    body
}

/// `body` with the text of its first `<name>` element percent-decoded (and escaped again).
fn decode_first(body: &str, name: &str) -> String {
    let (open, close) = (format!("<{name}>"), format!("</{name}>"));
    let Some(start) = body.find(&open).map(|i| i + open.len()) else {
        return body.to_owned();
    };
    let Some(len) = body[start..].find(&close) else {
        return body.to_owned();
    };
    let decoded =
        percent_encoding::percent_decode_str(&body[start..start + len]).decode_utf8_lossy();
    format!(
        "{}{}{}",
        &body[..start],
        crate::xml::escape_key_text(&decoded),
        &body[start + len..]
    )
}

/// `body` without its first `<name>…</name>` element.
fn remove_element(body: &str, name: &str) -> String {
    let (open, close) = (format!("<{name}>"), format!("</{name}>"));
    match (body.find(&open), body.find(&close)) {
        (Some(start), Some(end)) if start < end => {
            format!("{}{}", &body[..start], &body[end + close.len()..])
        }
        _ => body.to_owned(),
    }
}

/// The root start tag with `xmlns` added (unless it has attributes already). S3's browser
/// POST answer (`PostResponse`) has no namespace.
fn with_namespace(body: &str) -> String {
    if body.starts_with("<PostResponse>") {
        return body.to_owned();
    }
    let Some(end) = body.find(['>', ' ', '/']) else {
        return body.to_owned();
    };
    if !body.starts_with('<') || body.as_bytes().get(end) != Some(&b'>') {
        return body.to_owned();
    }
    format!("{} xmlns=\"{S3_NAMESPACE}\"{}", &body[..end], &body[end..])
}

/// Every `<name>` element's text replaced by `f(text)`.
fn replace_values(body: &str, name: &str, f: impl Fn(&str) -> String) -> String {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(start) = rest.find(&open) {
        let value_at = start + open.len();
        let Some(len) = rest[value_at..].find(&close) else {
            break;
        };
        out.push_str(&rest[..value_at]);
        out.push_str(&f(&rest[value_at..value_at + len]));
        rest = &rest[value_at + len..];
    }
    out.push_str(rest);
    out
}

/// OSS's `<AccessControlList><Grant>canned</Grant></AccessControlList>` as S3 grants.
fn acl_grants(body: &str) -> String {
    const OPEN: &str = "<AccessControlList><Grant>";
    const CLOSE: &str = "</Grant></AccessControlList>";
    let (Some(start), Some(end)) = (body.find(OPEN), body.find(CLOSE)) else {
        return body.to_owned();
    };
    if end < start {
        return body.to_owned();
    }
    let canned = &body[start + OPEN.len()..end];
    let owner = between(body, "<Owner><ID>", "</ID>").unwrap_or_default();
    format!(
        "{}{}{}",
        &body[..start],
        grants_xml(owner, canned),
        &body[end + CLOSE.len()..]
    )
}

/// GetBucketLocation's `oss-<region>` as the bare region S3 clients sign with.
fn location(body: &str) -> String {
    match between(body, "<LocationConstraint", "</LocationConstraint>") {
        Some(inner) if body.starts_with("<LocationConstraint") => {
            let value = inner.split_once('>').map_or("", |(_, v)| v);
            let region = value.strip_prefix("oss-").unwrap_or(value);
            body.replacen(value, region, 1)
        }
        _ => body.to_owned(),
    }
}

/// The text between the first `open` and the next `close`.
fn between<'a>(s: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = s.find(open)? + open.len();
    let len = s[start..].find(close)?;
    Some(&s[start..start + len])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rw(doc: &str) -> String {
        rewrite_xml(doc, "1001")
    }

    fn doc(body: &str) -> String {
        format!("{XML_DECLARATION}\n{body}")
    }

    #[test]
    fn namespace_and_classes() {
        let out = rw(&doc(
            "<ListBucketResult><Contents><StorageClass>IA</StorageClass></Contents>\
             <Contents><ETag>\"5D41-2\"</ETag><StorageClass>Standard</StorageClass></Contents></ListBucketResult>",
        ));
        assert!(out.contains(&format!("<ListBucketResult xmlns=\"{S3_NAMESPACE}\">")));
        assert!(
            out.contains("<StorageClass>STANDARD_IA</StorageClass>"),
            "{out}"
        );
        assert!(
            out.contains("<StorageClass>STANDARD</StorageClass>"),
            "{out}"
        );
        assert!(out.contains("<ETag>\"5d41-2\"</ETag>"), "{out}");
    }

    #[test]
    fn acl_and_location() {
        let out = rw(&doc(
            "<AccessControlPolicy><Owner><ID>1001</ID><DisplayName>1001</DisplayName></Owner>\
             <AccessControlList><Grant>public-read</Grant></AccessControlList></AccessControlPolicy>",
        ));
        assert!(out.contains("<Permission>READ</Permission>"), "{out}");
        assert!(
            out.contains("<ID>1001</ID><DisplayName>1001</DisplayName></Grantee>"),
            "{out}"
        );
        let out = rw(&doc(
            "<LocationConstraint>oss-cn-hangzhou</LocationConstraint>",
        ));
        assert!(out.ends_with(">cn-hangzhou</LocationConstraint>"), "{out}");
        assert_eq!(rw("not xml"), "not xml");
        let out = rw(&doc(
            "<ListMultipartUploadsResult><UploadIdMarker></UploadIdMarker>\
             <Upload><Key>k</Key><UploadId>u</UploadId></Upload></ListMultipartUploadsResult>",
        ));
        assert!(
            out.contains("<UploadId>u</UploadId><Initiator><ID>1001</ID>"),
            "{out}"
        );
        assert!(
            out.contains("<UploadIdMarker></UploadIdMarker><Upload>"),
            "{out}"
        );
        let out = rw(&doc(
            "<ListAllMyBucketsResult><Marker>a</Marker><MaxKeys>1</MaxKeys>\
             <IsTruncated>true</IsTruncated><NextMarker>b</NextMarker><Owner/></ListAllMyBucketsResult>",
        ));
        assert!(
            out.ends_with(
                "\"><ContinuationToken>b</ContinuationToken><Owner/></ListAllMyBucketsResult>"
            ),
            "{out}"
        );
    }
}
