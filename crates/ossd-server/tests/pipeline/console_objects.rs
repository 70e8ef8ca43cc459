//! The console's object routes over HTTP (docs/console.md#objects): an upload streamed through
//! `PUT /-/console/buckets/<b>/upload` and a multipart upload through the console's routes land
//! byte for byte, a download streams the object back as an attachment, a refusal is the server's
//! (JSON for the script, a page for the browser), and a PUT without the session's CSRF token is
//! refused before anything is stored.

use bytes::Bytes;
use http_body_util::Full;

use crate::support::{Creds, Reply, Request, Server};

/// A signed-in browser: its cookies and the session's CSRF token.
struct Session<'a> {
    server: &'a Server,
    cookies: String,
    csrf: String,
}

impl<'a> Session<'a> {
    /// Signs in with `creds` through the sign-in form.
    async fn start(server: &'a Server, creds: &Creds) -> anyhow::Result<Self> {
        let mut s = Self {
            server,
            cookies: String::new(),
            csrf: String::new(),
        };
        let form = s
            .send("GET", "/-/console/sign-in", &[], Bytes::new())
            .await?;
        let token = hidden_csrf(&form.text())?;
        let body = format!(
            "_csrf={}&access_key_id={}&access_key_secret={}",
            ossd_sig::uri_encode(&token),
            ossd_sig::uri_encode(&creds.id),
            ossd_sig::uri_encode(&creds.secret)
        );
        let form_type = [("content-type", "application/x-www-form-urlencoded")];
        let r = s
            .send("POST", "/-/console/sign-in", &form_type, Bytes::from(body))
            .await?;
        r.assert_status(303);
        let page = s
            .send("GET", "/-/console/buckets", &[], Bytes::new())
            .await?;
        page.assert_status(200);
        s.csrf = hidden_csrf(&page.text())?;
        Ok(s)
    }

    /// Sends a request with the session's cookies (and keeps the cookies it sets).
    async fn send(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Bytes,
    ) -> anyhow::Result<Reply> {
        let mut req = http::Request::builder()
            .method(method)
            .uri(format!("http://{}{path}", self.server.authority()))
            .header("host", self.server.authority());
        if !self.cookies.is_empty() {
            req = req.header("cookie", self.cookies.as_str());
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let reply = self.server.send(req.body(Full::new(body))?).await?;
        let mut jar: Vec<String> = self
            .cookies
            .split("; ")
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect();
        for set in reply.headers.get_all("set-cookie") {
            let pair = set.to_str()?.split(';').next().unwrap_or_default();
            let name = pair.split('=').next().unwrap_or_default();
            jar.retain(|c| c.split('=').next() != Some(name));
            jar.push(pair.to_owned());
        }
        self.cookies = jar.join("; ");
        Ok(reply)
    }

    /// A state-changing request with the CSRF header.
    async fn change(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Bytes,
    ) -> anyhow::Result<Reply> {
        let csrf = self.csrf.clone();
        let mut all = vec![("x-csrf-token", csrf.as_str())];
        all.extend_from_slice(headers);
        self.send(method, path, &all, body).await
    }
}

/// The first hidden `_csrf` field of a page.
fn hidden_csrf(page: &str) -> anyhow::Result<String> {
    let marker = "name=\"_csrf\" value=\"";
    let start = page
        .find(marker)
        .ok_or_else(|| anyhow::anyhow!("no CSRF field in {page}"))?
        + marker.len();
    let len = page[start..].find('"').unwrap_or(0);
    Ok(page[start..start + len].to_owned())
}

/// `len` bytes of a repeating pattern.
fn payload(len: usize) -> Bytes {
    (0..len)
        .map(|i| (i % 251) as u8)
        .collect::<Vec<u8>>()
        .into()
}

#[tokio::test]
async fn an_upload_streams_through_the_console_and_downloads_as_an_attachment() -> anyhow::Result<()>
{
    let s = Server::start().await?;
    let bucket = s.unique("console-up");
    s.create_bucket(&bucket, None).await?;
    let mut b = Session::start(&s, &s.root).await?;
    let body = payload(3 * 1024 * 1024 + 7);
    let r = b
        .change(
            "PUT",
            &format!("/-/console/buckets/{bucket}/upload?key=dir%2Fa%20b.bin"),
            &[("content-type", "application/x-test")],
            body.clone(),
        )
        .await?;
    r.assert_status(200);
    let etag = r.json()?["etag"].as_str().unwrap_or_default().to_owned();
    let stored = Request::get(&bucket, Some("dir/a b.bin"))
        .v4(&s.root)
        .send(&s)
        .await?;
    stored.assert_status(200);
    assert_eq!(stored.body, body);
    assert_eq!(stored.header("etag"), Some(etag.as_str()));
    assert_eq!(stored.header("content-type"), Some("application/x-test"));
    // While the console is served, objects never run as documents of its origin
    // (docs/console.md#objects-and-the-consoles-origin).
    assert_eq!(stored.header("content-security-policy"), Some("sandbox"));
    assert_eq!(stored.header("x-content-type-options"), Some("nosniff"));

    let dl = b
        .send(
            "GET",
            &format!("/-/console/buckets/{bucket}/download?key=dir%2Fa%20b.bin"),
            &[],
            Bytes::new(),
        )
        .await?;
    dl.assert_status(200);
    assert_eq!(dl.body, body);
    assert_eq!(
        dl.header("content-disposition"),
        Some("attachment; filename=\"a b.bin\"; filename*=UTF-8''a%20b.bin")
    );
    assert_eq!(dl.header("content-type"), Some("application/x-test"));
    Ok(())
}

#[tokio::test]
async fn a_multipart_upload_through_the_console_routes() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let bucket = s.unique("console-mp");
    s.create_bucket(&bucket, None).await?;
    let mut b = Session::start(&s, &s.root).await?;
    let form = [("content-type", "application/x-www-form-urlencoded")];
    let base = format!("/-/console/buckets/{bucket}");
    let r = b
        .change(
            "POST",
            &format!("{base}/multipart/initiate"),
            &form,
            Bytes::from("key=big.bin"),
        )
        .await?;
    r.assert_status(200);
    let upload_id = r.json()?["uploadId"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(!upload_id.is_empty());
    let part1 = payload(5 * 1024 * 1024);
    let part2 = payload(1000);
    for (n, part) in [(1, &part1), (2, &part2)] {
        let path = format!("{base}/part?key=big.bin&uploadId={upload_id}&partNumber={n}");
        b.change("PUT", &path, &[], part.clone())
            .await?
            .assert_status(200);
    }
    let done = b
        .change(
            "POST",
            &format!("{base}/multipart/complete"),
            &form,
            Bytes::from(format!("key=big.bin&uploadId={upload_id}")),
        )
        .await?;
    done.assert_status(200);
    assert!(
        done.json()?["etag"]
            .as_str()
            .is_some_and(|e| e.ends_with("-2\""))
    );
    let stored = Request::get(&bucket, Some("big.bin"))
        .v4(&s.root)
        .send(&s)
        .await?;
    assert_eq!(stored.body, [part1, part2].concat());

    // an abort: the upload is gone, a part for it is refused with the server's code
    let r = b
        .change(
            "POST",
            &format!("{base}/multipart/initiate"),
            &form,
            Bytes::from("key=gone.bin"),
        )
        .await?;
    let upload_id = r.json()?["uploadId"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    b.change(
        "POST",
        &format!("{base}/multipart/abort"),
        &form,
        Bytes::from(format!("key=gone.bin&uploadId={upload_id}")),
    )
    .await?
    .assert_status(200);
    let path = format!("{base}/part?key=gone.bin&uploadId={upload_id}&partNumber=1");
    let refused = b.change("PUT", &path, &[], payload(10)).await?;
    refused.assert_status(404);
    assert_eq!(refused.json()?["Code"], "NoSuchUpload");
    Ok(())
}

#[tokio::test]
async fn a_console_put_needs_the_csrf_token_and_a_session() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let bucket = s.unique("console-csrf");
    s.create_bucket(&bucket, None).await?;
    let mut b = Session::start(&s, &s.root).await?;
    let path = format!("/-/console/buckets/{bucket}/upload?key=x.bin");
    let r = b.send("PUT", &path, &[], payload(100)).await?;
    r.assert_status(403);
    let wrong = [("x-csrf-token", "0000")];
    b.send("PUT", &path, &wrong, payload(100))
        .await?
        .assert_status(403);
    let mut anonymous = Session {
        server: &s,
        cookies: String::new(),
        csrf: String::new(),
    };
    let r = anonymous.send("PUT", &path, &[], payload(100)).await?;
    r.assert_status(303);
    assert_eq!(r.header("location"), Some("/-/console/sign-in"));
    let none = Request::get(&bucket, Some("x.bin"))
        .v4(&s.root)
        .send(&s)
        .await?;
    none.assert_status(404);
    // a download of a missing key: the server's refusal as a page
    let page = b
        .send(
            "GET",
            &format!("/-/console/buckets/{bucket}/download?key=x.bin"),
            &[],
            Bytes::new(),
        )
        .await?;
    page.assert_status(404);
    assert!(page.text().contains("NoSuchKey"), "{}", page.text());
    Ok(())
}
