//! The console's start page: who is signed in, what the identity may list, and where to go.

use askama::Template;
use bytes::Bytes;
use http::{Method, StatusCode};

use super::{Layout, Visit};
use crate::console::caller::CallError;
use crate::console::html;
use crate::transport::response::Resp;

/// The start page.
#[derive(Template)]
#[template(path = "console/home.html")]
struct HomePage {
    layout: Layout,
    /// How many buckets ListBuckets returned, or why it was refused.
    buckets: Result<usize, CallError>,
}

/// GET `/-/console/`.
pub(crate) async fn show(v: &Visit<'_>) -> Resp {
    let buckets = v
        .caller()
        .oss(Method::GET, None, None, &[], &[], Bytes::new())
        .await
        .map(|reply| {
            String::from_utf8_lossy(&reply.body)
                .matches("<Bucket>")
                .count()
        });
    let page = HomePage {
        layout: v.layout("", "Home"),
        buckets,
    };
    html::render(StatusCode::OK, &page)
}
