//! Signature V2 (`OSS2`) string to sign (docs/protocol/signatures.md#v2-signature): header form and
//! presigned URL form.

use crate::encode::uri_encode;
use crate::view::SigningView;

/// Builds the V2 string to sign; `date` is the `Date` header (or `x-oss-expires` for URLs),
/// `additional` the normalised additional header names, `presigned` drops `x-oss-signature`.
pub fn v2_string_to_sign(
    view: &SigningView,
    date: &str,
    additional: &[String],
    presigned: bool,
) -> String {
    let mut out = format!(
        "{}\n{}\n{}\n{}\n",
        view.method,
        view.header_or_empty("content-md5"),
        view.header_or_empty("content-type"),
        date
    );
    out.push_str(&canonical_headers(view, additional));
    out.push_str(&additional.join(";"));
    out.push('\n');
    out.push_str(&uri_encode(&view.resource_path()));
    out.push_str(&canonical_query(view, presigned));
    out
}

/// `name:value\n` for every `x-oss-*` header and every additional header, sorted by name.
fn canonical_headers(view: &SigningView, additional: &[String]) -> String {
    let mut headers: Vec<(String, &str)> = view
        .headers
        .iter()
        .map(|(n, v)| (n.to_ascii_lowercase(), v.trim()))
        .filter(|(n, _)| n.starts_with("x-oss-") || additional.contains(n))
        .collect();
    headers.sort_by(|a, b| a.0.cmp(&b.0));
    headers.iter().map(|(n, v)| format!("{n}:{v}\n")).collect()
}

/// `?` + every query parameter, key and value strictly encoded, sorted; `""` if there are none.
fn canonical_query(view: &SigningView, presigned: bool) -> String {
    let mut pairs: Vec<(String, String)> = view
        .query
        .iter()
        .filter(|p| !(presigned && p.key == "x-oss-signature"))
        .map(|p| (uri_encode(&p.key), uri_encode(&p.value)))
        .collect();
    pairs.sort();
    let mut out = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        out.push_str(k);
        if !v.is_empty() {
            out.push('=');
            out.push_str(v);
        }
    }
    out
}

/// Parses the part after `OSS2 `: `AccessKeyId:<ak>[,AdditionalHeaders:<h;h>],Signature:<sig>`.
/// Returns (access key id, raw additional headers, signature).
pub(crate) fn parse_header(rest: &str) -> Result<(String, String, String), String> {
    let fields = crate::fields::split_fields(rest, ':')?;
    let ak = fields.required("AccessKeyId")?;
    let sig = fields.required("Signature")?;
    let additional = fields.get("AdditionalHeaders").unwrap_or("");
    Ok((ak.to_owned(), additional.to_owned(), sig.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::QueryParam;

    #[test]
    fn string_to_sign_shape() {
        let query = QueryParam::parse_query("acl&x-oss-signature=zz&b=a%2Fb");
        let headers = vec![
            (
                "date".to_owned(),
                "Wed, 15 Jan 2025 08:30:00 GMT".to_owned(),
            ),
            ("range".to_owned(), "bytes=0-1".to_owned()),
            ("x-oss-meta-a".to_owned(), " 1 ".to_owned()),
        ];
        let view = SigningView {
            method: "GET",
            bucket: Some("b"),
            key: Some("a b/c"),
            query: &query,
            headers: &headers,
            raw_path: "/b/a%20b/c",
            body_sha256: None,
        };
        let sts = v2_string_to_sign(&view, "D", &["range".to_owned()], true);
        assert_eq!(
            sts,
            "GET\n\n\nD\nrange:bytes=0-1\nx-oss-meta-a:1\nrange\n%2Fb%2Fa%20b%2Fc?acl&b=a%2Fb"
        );
        let sts = v2_string_to_sign(&view, "D", &[], false);
        assert!(sts.ends_with("?acl&b=a%2Fb&x-oss-signature=zz"), "{sts}");
    }

    #[test]
    fn header_fields() {
        let parsed = parse_header("AccessKeyId:ak,AdditionalHeaders:range,Signature:c2ln");
        assert_eq!(parsed, Ok(("ak".into(), "range".into(), "c2ln".into())));
        assert!(parse_header("AccessKeyId:ak").is_err());
        assert!(parse_header("garbage").is_err());
    }
}
