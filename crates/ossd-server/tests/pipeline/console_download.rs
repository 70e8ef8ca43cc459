//! The console's download route and signed-URL generator give out only what the session may read
//! (docs/console.md#no-privileges-of-its-own, #objects, #signed-urls): a RAM user allowed
//! GetObject on one object downloads it and is refused its neighbour; a console session of STS
//! credentials whose session policy allows `prefix/*` reads inside the prefix only. A refusal is
//! the server's AccessDenied on the page, with none of the object's bytes; the URLs the generator
//! makes grant no more, and a tampered one fails its signature.

use bytes::Bytes;
use http_body_util::Full;
use serde_json::json;

use crate::console_browser::Browser;
use crate::support::{Reply, Server};

/// Puts each `(key, body)` in a new bucket as root; returns the bucket.
async fn bucket_with(s: &Server, objects: &[(&str, &str)]) -> anyhow::Result<String> {
    let bucket = s.unique("console-dl");
    s.create_bucket(&bucket, None).await?;
    for (key, body) in objects {
        s.put_object(&bucket, key, body.as_bytes(), &[]).await?;
    }
    Ok(bucket)
}

/// The console's download of `key` in `bucket`.
async fn download(b: &mut Browser<'_>, bucket: &str, key: &str) -> anyhow::Result<Reply> {
    let key = ossd_sig::uri_encode(key);
    b.get(&format!("/-/console/buckets/{bucket}/download?key={key}"))
        .await
}

/// Asserts a download of exactly `body`, as an attachment.
fn assert_downloaded(r: &Reply, body: &str) {
    r.assert_status(200);
    assert_eq!(r.text(), body);
    assert!(
        r.header("content-disposition")
            .is_some_and(|d| d.starts_with("attachment;"))
    );
}

/// Asserts the refusal page: 403, AccessDenied shown, and not a byte of `body`.
fn assert_refused(r: &Reply, body: &str) {
    r.assert_status(403);
    assert!(r.header("content-disposition").is_none());
    let page = r.text();
    assert!(
        page.contains("<code class=\"code\">AccessDenied</code>"),
        "{page}"
    );
    assert!(
        !page.contains(body),
        "the refused object's bytes on the page"
    );
}

/// The signed GET URL the generator shows for `bucket`/`key`.
async fn signed_url(b: &mut Browser<'_>, bucket: &str, key: &str) -> anyhow::Result<String> {
    let csrf = b.csrf.clone();
    let form = [
        ("_csrf", csrf.as_str()),
        ("method", "GET"),
        ("bucket", bucket),
        ("key", key),
        ("expires", "3600"),
    ];
    let page = b
        .send("POST", "/-/console/presign", Some(&form), &[])
        .await?;
    page.assert_status(200);
    let text = page.text();
    let marker = "<textarea id=\"signed-url\"";
    let start = text
        .find(marker)
        .and_then(|i| text[i..].find('>').map(|j| i + j + 1))
        .ok_or_else(|| anyhow::anyhow!("no signed URL in {text}"))?;
    let len = text[start..].find('<').unwrap_or(0);
    Ok(unescape(text[start..start + len].trim()))
}

/// HTML text unescaped (the entities askama writes).
fn unescape(s: &str) -> String {
    s.replace("&#x2f;", "/")
        .replace("&#x2F;", "/")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#38;", "&")
        .replace("&amp;", "&")
}

/// A plain GET of `url` (an absolute URL on this server), no cookies, no signing of its own.
async fn fetch(s: &Server, url: &str) -> anyhow::Result<Reply> {
    let req = http::Request::builder()
        .method("GET")
        .uri(url)
        .header("host", s.authority())
        .body(Full::new(Bytes::new()))?;
    s.send(req).await
}

#[tokio::test]
async fn a_one_object_user_downloads_that_object_only() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let bucket = bucket_with(&s, &[("allowed.txt", "ALLOWED"), ("secret.txt", "SECRET")]).await?;
    let policy = json!({"Version": "1", "Statement": [{"Effect": "Allow",
        "Action": "oss:GetObject", "Resource": format!("acs:oss:*:*:{bucket}/allowed.txt")}]});
    let user = s.ram_user(Some(&policy)).await?;
    let mut b = Browser::signed_in(&s, &user).await?;
    assert_downloaded(&download(&mut b, &bucket, "allowed.txt").await?, "ALLOWED");
    let refused = download(&mut b, &bucket, "secret.txt").await?;
    assert_refused(&refused, "SECRET");
    assert!(refused.text().contains("AccessDeniedDetail"));

    // The generator's URLs: the allowed object's works without the console; the other's is
    // made (making sends nothing) but refused when used; a tampered URL fails its signature.
    let url = signed_url(&mut b, &bucket, "allowed.txt").await?;
    let got = fetch(&s, &url).await?;
    got.assert_status(200);
    assert_eq!(got.text(), "ALLOWED");
    let other = signed_url(&mut b, &bucket, "secret.txt").await?;
    fetch(&s, &other).await?.assert_error(403, "AccessDenied");
    let moved = url.replace("/allowed.txt?", "/secret.txt?");
    let longer = url.replace("x-oss-expires=3600", "x-oss-expires=604800");
    let (head, sig) = url
        .rsplit_once("x-oss-signature=")
        .ok_or_else(|| anyhow::anyhow!("no signature in {url}"))?;
    let flipped = if sig.starts_with('0') { '1' } else { '0' };
    let resigned = format!("{head}x-oss-signature={flipped}{}", &sig[1..]);
    for tampered in [moved, longer, resigned] {
        assert_ne!(tampered, url);
        let r = fetch(&s, &tampered).await?;
        r.assert_error(403, "SignatureDoesNotMatch");
        assert!(!r.text().contains("SECRET") && !r.text().contains("ALLOWED"));
    }
    Ok(())
}

#[tokio::test]
async fn an_sts_session_limited_to_a_prefix_downloads_inside_it_only() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let bucket = bucket_with(
        &s,
        &[("prefix/in.txt", "INSIDE"), ("outside.txt", "OUTSIDE")],
    )
    .await?;
    let role = json!({"Version": "1", "Statement": [{"Effect": "Allow",
        "Action": "oss:GetObject", "Resource": format!("acs:oss:*:*:{bucket}/*")}]});
    let session = json!({"Version": "1", "Statement": [{"Effect": "Allow",
        "Action": "oss:GetObject", "Resource": format!("acs:oss:*:*:{bucket}/prefix/*")}]});
    let creds = s.sts_session(&role, Some(&session)).await?;
    let mut b = Browser::signed_in(&s, &creds).await?;
    assert_downloaded(&download(&mut b, &bucket, "prefix/in.txt").await?, "INSIDE");
    assert_refused(&download(&mut b, &bucket, "outside.txt").await?, "OUTSIDE");

    let inside = signed_url(&mut b, &bucket, "prefix/in.txt").await?;
    assert!(inside.contains("x-oss-security-token="), "{inside}");
    let got = fetch(&s, &inside).await?;
    got.assert_status(200);
    assert_eq!(got.text(), "INSIDE");
    let outside = signed_url(&mut b, &bucket, "outside.txt").await?;
    fetch(&s, &outside).await?.assert_error(403, "AccessDenied");
    Ok(())
}

#[tokio::test]
async fn without_a_session_there_is_no_download_and_no_url() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let bucket = bucket_with(&s, &[("a.txt", "BYTES")]).await?;
    let mut b = Browser::new(&s);
    let r = download(&mut b, &bucket, "a.txt").await?;
    r.assert_status(303);
    assert_eq!(r.header("location"), Some("/-/console/sign-in"));
    assert!(!r.text().contains("BYTES"));
    b.cookies.push(("ossd_console".to_owned(), "0".repeat(64)));
    let r = download(&mut b, &bucket, "a.txt").await?;
    r.assert_status(303);
    assert!(!r.text().contains("BYTES"));
    let form = [
        ("method", "GET"),
        ("bucket", bucket.as_str()),
        ("key", "a.txt"),
    ];
    let r = b
        .send("POST", "/-/console/presign", Some(&form), &[])
        .await?;
    r.assert_status(303);
    assert!(!r.text().contains("x-oss-signature"));
    Ok(())
}
