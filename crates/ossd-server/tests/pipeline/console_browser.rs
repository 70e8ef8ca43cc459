//! A browser for the console tests (docs/console.md): a cookie jar over HTTP to the in-process
//! server, the sign-in form with its pre-session CSRF token, and the session's CSRF token for
//! state-changing requests (docs/console.md#csrf). The pages work without JavaScript, so this is
//! what a browser with scripts turned off does.

use bytes::Bytes;
use http_body_util::Full;

use crate::support::{Creds, Reply, Server};

/// A browser: the cookies it holds and, once signed in, the session's CSRF token.
pub(crate) struct Browser<'a> {
    server: &'a Server,
    /// The cookie jar, `(name, value)`.
    pub(crate) cookies: Vec<(String, String)>,
    /// The session's CSRF token (empty before [`Browser::signed_in`]).
    pub(crate) csrf: String,
}

impl<'a> Browser<'a> {
    /// A browser without cookies.
    pub(crate) fn new(server: &'a Server) -> Self {
        Self {
            server,
            cookies: Vec::new(),
            csrf: String::new(),
        }
    }

    /// A browser signed in with `creds` through the form, holding the session's CSRF token.
    pub(crate) async fn signed_in(server: &'a Server, creds: &Creds) -> anyhow::Result<Self> {
        let mut b = Self::new(server);
        b.sign_in(creds).await?.assert_status(303);
        let page = b.get("/-/console/buckets").await?;
        page.assert_status(200);
        b.csrf = csrf_of(&page.text())?;
        Ok(b)
    }

    /// Sends a request with the jar's cookies, and keeps the cookies it sets.
    pub(crate) async fn request(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Bytes,
    ) -> anyhow::Result<Reply> {
        let authority = self.server.authority();
        let mut req = http::Request::builder()
            .method(method)
            .uri(format!("http://{authority}{path}"))
            .header("host", authority.as_str());
        if !self.cookies.is_empty() {
            let jar: Vec<String> = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            req = req.header("cookie", jar.join("; "));
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let reply = self.server.send(req.body(Full::new(body))?).await?;
        for set in reply.headers.get_all("set-cookie") {
            let set = set.to_str()?;
            let (pair, attrs) = set.split_once(';').unwrap_or((set, ""));
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            self.cookies.retain(|(name, _)| name != k);
            if !attrs.contains("Max-Age=0") {
                self.cookies.push((k.to_owned(), v.to_owned()));
            }
        }
        Ok(reply)
    }

    /// A GET of `path`.
    pub(crate) async fn get(&mut self, path: &str) -> anyhow::Result<Reply> {
        self.request("GET", path, &[], Bytes::new()).await
    }

    /// Sends `form` (if any) URL-encoded, with `extra` headers.
    pub(crate) async fn send(
        &mut self,
        method: &str,
        path: &str,
        form: Option<&[(&str, &str)]>,
        extra: &[(&str, &str)],
    ) -> anyhow::Result<Reply> {
        let Some(pairs) = form else {
            return self.request(method, path, extra, Bytes::new()).await;
        };
        let body = pairs
            .iter()
            .map(|(k, v)| format!("{}={}", ossd_sig::uri_encode(k), ossd_sig::uri_encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let mut headers = vec![("content-type", "application/x-www-form-urlencoded")];
        headers.extend_from_slice(extra);
        self.request(method, path, &headers, Bytes::from(body))
            .await
    }

    /// A state-changing request carrying the session's CSRF token in its header.
    pub(crate) async fn change(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Bytes,
    ) -> anyhow::Result<Reply> {
        let csrf = self.csrf.clone();
        let mut all = vec![("x-csrf-token", csrf.as_str())];
        all.extend_from_slice(headers);
        self.request(method, path, &all, body).await
    }

    /// The value of cookie `name`, if the jar holds it.
    pub(crate) fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Signs in with `creds` through the form; the reply to its POST.
    pub(crate) async fn sign_in(&mut self, creds: &Creds) -> anyhow::Result<Reply> {
        let form = self.get("/-/console/sign-in").await?;
        let token = csrf_of(&form.text())?;
        let mut fields = vec![
            ("_csrf", token.as_str()),
            ("access_key_id", creds.id.as_str()),
            ("access_key_secret", creds.secret.as_str()),
        ];
        if let Some(t) = &creds.token {
            fields.push(("security_token", t.as_str()));
        }
        self.send("POST", "/-/console/sign-in", Some(&fields), &[])
            .await
    }
}

/// The first hidden `_csrf` field of a page.
pub(crate) fn csrf_of(page: &str) -> anyhow::Result<String> {
    let marker = "name=\"_csrf\" value=\"";
    let start = page
        .find(marker)
        .ok_or_else(|| anyhow::anyhow!("no CSRF field in {page}"))?
        + marker.len();
    let len = page[start..].find('"').unwrap_or(0);
    Ok(page[start..start + len].to_owned())
}
