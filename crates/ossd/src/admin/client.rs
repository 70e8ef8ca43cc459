//! The signed RPC client: one call per action, plus a helper that follows `Marker` pages.

use anyhow::bail;
use ossd_rpc::{RAM_VERSION, STS_VERSION};
use serde_json::Value;

use super::conn::{ConnArgs, Credentials};
use super::oss_request;
use super::request::{Params, Stamp, form_body, signed_params};
use super::response::{ApiError, parse};
use super::transport::Transport;

/// Page size requested from the list actions (their maximum).
const PAGE_SIZE: &str = "1000";

/// Sends signed RAM and STS requests to one server.
pub(crate) struct Client {
    /// Where requests go.
    transport: Transport,
    /// What they are signed with.
    creds: Credentials,
    /// Region id in the V4 scope of OSS-signed requests.
    region: String,
}

impl Client {
    /// A client for the endpoint and credentials of `conn` (no `--dev` fallback: without
    /// credentials, those of `<data-dir>/identity.json`).
    pub(crate) fn new(conn: &ConnArgs) -> anyhow::Result<Self> {
        let conn = conn.resolve(false)?;
        Ok(Self {
            transport: Transport::new(&conn.endpoint, &conn.ca_files)?,
            creds: conn.creds,
            region: conn.region,
        })
    }

    /// Calls a RAM action.
    pub(crate) async fn ram(&self, action: &str, params: Params) -> anyhow::Result<Value> {
        self.call(RAM_VERSION, action, &params).await
    }

    /// Calls an STS action.
    pub(crate) async fn sts(&self, action: &str, params: Params) -> anyhow::Result<Value> {
        self.call(STS_VERSION, action, &params).await
    }

    /// Calls a RAM list action page by page; returns the first response with every page's items
    /// under `outer.inner` and `IsTruncated: false`.
    pub(crate) async fn ram_list_all(
        &self,
        action: &str,
        params: Params,
        outer: &str,
        inner: &str,
    ) -> anyhow::Result<Value> {
        let mut pages = Vec::new();
        let mut marker: Option<String> = None;
        loop {
            let page_params = params
                .clone()
                .set("MaxItems", PAGE_SIZE)
                .opt("Marker", marker.clone());
            let page = self.ram(action, page_params).await?;
            let next = next_marker(&page);
            pages.push(page);
            match next {
                None => break,
                Some(m) if marker.as_deref() == Some(m.as_str()) => {
                    bail!("{action}: the server repeated the continuation marker")
                }
                Some(m) => marker = Some(m),
            }
        }
        Ok(merge_pages(pages, outer, inner))
    }

    /// POSTs to the administrative path `/-/<path>` (an OSS V4-signed request) and returns its
    /// JSON answer.
    pub(crate) async fn admin_post(
        &self,
        path: &str,
        query: &[(&str, &str)],
    ) -> anyhow::Result<Value> {
        // A client signs with its own real time, which the server checks against its own.
        #[allow(clippy::disallowed_methods)]
        let now = time::OffsetDateTime::now_utc();
        let signed = oss_request::sign(&self.creds, &self.region, "POST", path, query, now);
        let (status, body) = self.transport.send_signed(&signed).await?;
        parse(status, &body)
    }

    /// Sends an OSS V4-signed `method` request to `/-/<path>` and returns its JSON answer,
    /// waiting at most `limit`.
    pub(crate) async fn admin_request(
        &self,
        method: &'static str,
        path: &str,
        query: &[(&str, &str)],
        limit: std::time::Duration,
    ) -> anyhow::Result<Value> {
        // A client signs with its own real time, which the server checks against its own.
        #[allow(clippy::disallowed_methods)]
        let now = time::OffsetDateTime::now_utc();
        let signed = oss_request::sign(&self.creds, &self.region, method, path, query, now);
        let (status, body) = self.transport.send_signed_within(&signed, limit).await?;
        parse(status, &body)
    }

    async fn call(&self, version: &str, action: &str, params: &Params) -> anyhow::Result<Value> {
        let signed = signed_params(action, version, params, &self.creds, &Stamp::now());
        let (status, body) = self.transport.post_form(form_body(&signed)).await?;
        parse(status, &body)
    }
}

/// The marker of the next page when the response says it is truncated.
fn next_marker(page: &Value) -> Option<String> {
    let truncated = page.get("IsTruncated").and_then(Value::as_bool) == Some(true);
    let marker = page
        .get("Marker")
        .and_then(Value::as_str)
        .filter(|m| !m.is_empty());
    marker.filter(|_| truncated).map(str::to_owned)
}

/// The first page with the items of every page under `outer.inner`, `IsTruncated: false` and
/// no `Marker`.
fn merge_pages(pages: Vec<Value>, outer: &str, inner: &str) -> Value {
    let mut pages = pages.into_iter();
    let mut all = match pages.next() {
        Some(Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    let mut items = take_items(all.get_mut(outer), inner);
    for mut page in pages {
        items.append(&mut take_items(page.get_mut(outer), inner));
    }
    let mut list = serde_json::Map::new();
    list.insert(inner.to_owned(), Value::Array(items));
    all.insert(outer.to_owned(), Value::Object(list));
    all.insert("IsTruncated".to_owned(), Value::Bool(false));
    all.remove("Marker");
    Value::Object(all)
}

/// Moves the array under `inner` out of a list wrapper (empty when absent).
fn take_items(wrapper: Option<&mut Value>, inner: &str) -> Vec<Value> {
    wrapper
        .and_then(|w| w.get_mut(inner))
        .map(Value::take)
        .and_then(|v| match v {
            Value::Array(items) => Some(items),
            _ => None,
        })
        .unwrap_or_default()
}

/// Whether `err` is an API error with this code.
pub(super) fn has_code(err: &anyhow::Error, code: &str) -> bool {
    err.downcast_ref::<ApiError>()
        .is_some_and(|e| e.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn markers() {
        assert_eq!(
            next_marker(&json!({"IsTruncated": true, "Marker": "m"})).as_deref(),
            Some("m")
        );
        assert_eq!(
            next_marker(&json!({"IsTruncated": false, "Marker": "m"})),
            None
        );
        assert_eq!(
            next_marker(&json!({"IsTruncated": true, "Marker": ""})),
            None
        );
        assert_eq!(next_marker(&json!({"RequestId": "r"})), None);
    }

    #[test]
    fn pages_are_merged() {
        let pages = vec![
            json!({"RequestId": "1", "IsTruncated": true, "Marker": "m", "Users": {"User": [{"UserName": "a"}]}}),
            json!({"RequestId": "2", "IsTruncated": false, "Users": {"User": [{"UserName": "b"}]}}),
            json!({"RequestId": "3", "Users": {}}),
        ];
        assert_eq!(
            merge_pages(pages, "Users", "User"),
            json!({"RequestId": "1", "IsTruncated": false,
                   "Users": {"User": [{"UserName": "a"}, {"UserName": "b"}]}})
        );
        assert_eq!(
            merge_pages(Vec::new(), "Roles", "Role"),
            json!({"IsTruncated": false, "Roles": {"Role": []}})
        );
    }

    #[test]
    fn codes() {
        let e: anyhow::Error = ApiError {
            status: 404,
            code: "EntityNotExist.Policy".to_owned(),
            message: String::new(),
            request_id: String::new(),
        }
        .into();
        assert!(has_code(&e, "EntityNotExist.Policy"));
        assert!(!has_code(&e, "EntityNotExist.User"));
        assert!(!has_code(&anyhow::anyhow!("io"), "EntityNotExist.Policy"));
    }
}
