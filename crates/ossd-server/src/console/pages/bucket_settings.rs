//! A bucket's configuration editors: versioning, ACL, CORS, Referer, lifecycle and the bucket
//! policy. Each one is the ordinary request — GET to show, PUT (or DELETE) `?versioning`,
//! `?acl`, `?cors`, `?referer`, `?lifecycle`, `?policy` to change — with the document edited
//! as the server stores it (XML, JSON for the policy); a refusal is shown beside the editor with
//! the text that was sent, so nothing typed is lost (docs/protocol/cors.md,
//! docs/protocol/versioning.md#configuration, docs/protocol/policy.md).

use askama::Template;
use bytes::Bytes;
use http::{Method, StatusCode};

use super::buckets::{put_versioning, unreadable};
use super::{Layout, Visit};
use crate::console::caller::{CallError, ConsoleCaller};
use crate::console::doc;
use crate::console::{ROOT, html};
use crate::transport::response::Resp;

/// A configuration document kind and its editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Cors,
    Referer,
    Lifecycle,
    Policy,
}

impl Kind {
    const ALL: [Kind; 4] = [Kind::Cors, Kind::Referer, Kind::Lifecycle, Kind::Policy];

    fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.query() == s)
    }

    /// The sub-resource (and the editor's id).
    fn query(self) -> &'static str {
        match self {
            Kind::Cors => "cors",
            Kind::Referer => "referer",
            Kind::Lifecycle => "lifecycle",
            Kind::Policy => "policy",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Kind::Cors => "CORS rules",
            Kind::Referer => "Referer (hotlink protection)",
            Kind::Lifecycle => "Lifecycle rules",
            Kind::Policy => "Bucket policy (JSON)",
        }
    }

    /// Whether the document can be deleted (OSS has no DeleteBucketReferer).
    fn deletable(self) -> bool {
        self != Kind::Referer
    }

    /// What the editor starts from when the bucket has no such document.
    fn example(self, bucket: &str) -> String {
        match self {
            Kind::Cors => {
                "<CORSConfiguration>\n  <CORSRule>\n    <AllowedOrigin>*</AllowedOrigin>\n    \
<AllowedMethod>GET</AllowedMethod>\n    <AllowedHeader>*</AllowedHeader>\n    \
<MaxAgeSeconds>100</MaxAgeSeconds>\n  </CORSRule>\n</CORSConfiguration>"
                    .to_owned()
            }
            Kind::Referer => {
                "<RefererConfiguration>\n  <AllowEmptyReferer>true</AllowEmptyReferer>\n  \
<RefererList/>\n</RefererConfiguration>"
                    .to_owned()
            }
            Kind::Lifecycle => "<LifecycleConfiguration>\n  <Rule>\n    <ID>expire-tmp</ID>\n    \
<Prefix>tmp/</Prefix>\n    <Status>Enabled</Status>\n    <Expiration>\n      <Days>7</Days>\n    \
</Expiration>\n  </Rule>\n</LifecycleConfiguration>"
                .to_owned(),
            Kind::Policy => format!(
                "{{\n  \"Version\": \"1\",\n  \"Statement\": [\n    {{\n      \"Effect\": \"Allow\",\n      \
\"Action\": [\"oss:GetObject\"],\n      \"Principal\": [\"*\"],\n      \
\"Resource\": [\"acs:oss:*:*:{bucket}/public/*\"]\n    }}\n  ]\n}}"
            ),
        }
    }
}

/// One document editor.
struct Editor {
    id: &'static str,
    title: &'static str,
    /// The text in the textarea.
    text: String,
    /// Whether the bucket has the document now.
    present: bool,
    deletable: bool,
    /// Reading it was refused, or the last change was.
    error: Option<CallError>,
    saved: bool,
}

/// The settings page.
#[derive(Template)]
#[template(path = "console/bucket_settings.html")]
struct SettingsPage {
    layout: Layout,
    bucket: String,
    versioning: Result<String, CallError>,
    acl: Result<String, CallError>,
    editors: Vec<Editor>,
    /// The section a change was just made in, or refused in.
    notice: Option<Notice>,
}

/// The outcome of a change to versioning or the ACL.
struct Notice {
    section: &'static str,
    error: Option<CallError>,
}

/// A change that was refused: the section and what was sent.
struct Refused {
    kind: Option<Kind>,
    section: &'static str,
    text: String,
    error: CallError,
}

/// GET `buckets/B/settings[?saved=K]`.
pub(crate) async fn show(v: &Visit<'_>, bucket: &str) -> Resp {
    let saved = v.query.text("saved");
    let notice = ["versioning", "acl"]
        .into_iter()
        .find(|s| *s == saved)
        .map(|section| Notice {
            section,
            error: None,
        });
    render(v, bucket, StatusCode::OK, None, notice, saved).await
}

/// POST `buckets/B/settings/K` (`op` = `put` or `delete`; `doc`, `status` or `acl`).
pub(crate) async fn change(v: &Visit<'_>, bucket: &str, section: &str) -> Resp {
    let caller = v.caller();
    let delete = v.form.text("op") == "delete";
    let result: Result<(), Refused> = match section {
        "versioning" => {
            let status = v.form.opt("status").unwrap_or("Enabled");
            put_versioning(v, bucket, status)
                .await
                .map_err(|error| Refused {
                    kind: None,
                    section: "versioning",
                    text: String::new(),
                    error,
                })
        }
        "acl" => {
            let acl = v.form.opt("acl").unwrap_or("private");
            let headers = [("x-oss-acl".to_owned(), acl.to_owned())];
            caller
                .oss(
                    Method::PUT,
                    Some(bucket),
                    None,
                    &[("acl", "")],
                    &headers,
                    Bytes::new(),
                )
                .await
                .map(|_| ())
                .map_err(|error| Refused {
                    kind: None,
                    section: "acl",
                    text: String::new(),
                    error,
                })
        }
        other => match Kind::parse(other) {
            Some(kind) => {
                let text = v.form.get("doc").unwrap_or_default().to_owned();
                write_doc(&caller, bucket, kind, delete, &text)
                    .await
                    .map_err(|error| Refused {
                        kind: Some(kind),
                        section: kind.query(),
                        text,
                        error,
                    })
            }
            None => {
                return super::message(
                    StatusCode::NOT_FOUND,
                    "Not found",
                    "There is no such bucket setting.",
                );
            }
        },
    };
    match result {
        Ok(()) => html::redirect(&format!(
            "{ROOT}buckets/{bucket}/settings?saved={section}#{section}"
        )),
        Err(refused) => {
            let status = StatusCode::from_u16(refused.error.status)
                .ok()
                .filter(|s| s.is_client_error() || s.is_server_error())
                .unwrap_or(StatusCode::BAD_REQUEST);
            let notice = refused.kind.is_none().then(|| Notice {
                section: refused.section,
                error: Some(refused.error.clone()),
            });
            render(v, bucket, status, Some(refused), notice, "").await
        }
    }
}

/// PUT (or DELETE) one configuration document.
async fn write_doc(
    caller: &ConsoleCaller<'_>,
    bucket: &str,
    kind: Kind,
    delete: bool,
    text: &str,
) -> Result<(), CallError> {
    let query = [(kind.query(), "")];
    let (method, body) = if delete && kind.deletable() {
        (Method::DELETE, Bytes::new())
    } else {
        (Method::PUT, Bytes::from(text.to_owned()))
    };
    let content_type = match kind {
        Kind::Policy => "application/json",
        _ => "application/xml",
    };
    let headers = [("content-type".to_owned(), content_type.to_owned())];
    caller
        .oss(method, Some(bucket), None, &query, &headers, body)
        .await
        .map(|_| ())
}

/// Reads every setting and renders the page, with a refused change kept in its editor.
async fn render(
    v: &Visit<'_>,
    bucket: &str,
    status: StatusCode,
    refused: Option<Refused>,
    notice: Option<Notice>,
    saved: &str,
) -> Resp {
    let caller = v.caller();
    let get = |q: &'static str| {
        let caller = &caller;
        async move {
            caller
                .oss(
                    Method::GET,
                    Some(bucket),
                    None,
                    &[(q, "")],
                    &[],
                    Bytes::new(),
                )
                .await
        }
    };
    let versioning = get("versioning")
        .await
        .and_then(|r| doc::versioning_status(&r.body).map_err(|e| unreadable(&e)))
        .map(|s| {
            if s.is_empty() {
                "Off (never enabled)".to_owned()
            } else {
                s
            }
        });
    let acl = get("acl")
        .await
        .and_then(|r| doc::acl_grant(&r.body).map_err(|e| unreadable(&e)));
    let mut editors = Vec::new();
    for kind in Kind::ALL {
        let (text, present, error) = match get(kind.query()).await {
            Ok(r) => (String::from_utf8_lossy(&r.body).into_owned(), true, None),
            // NoSuchCORSConfiguration, NoSuchLifecycle, NoSuchBucketPolicy: start from an example.
            Err(e) if e.status == 404 && e.code != "NoSuchBucket" => {
                (kind.example(bucket), false, None)
            }
            Err(e) => (String::new(), false, Some(e)),
        };
        let mut editor = Editor {
            id: kind.query(),
            title: kind.title(),
            text,
            present,
            deletable: kind.deletable(),
            error,
            saved: saved == kind.query(),
        };
        if let Some(r) = refused.as_ref().filter(|r| r.kind == Some(kind)) {
            editor.text.clone_from(&r.text);
            editor.error = Some(r.error.clone());
        }
        editors.push(editor);
    }
    let page = SettingsPage {
        layout: v.layout("buckets", format!("{bucket} settings")),
        bucket: bucket.to_owned(),
        versioning,
        acl,
        editors,
        notice,
    };
    html::render(status, &page)
}
