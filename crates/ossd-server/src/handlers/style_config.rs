//! Image styles (OSS API reference: PutStyle, GetStyle, ListStyle, DeleteStyle):
//! `PUT|GET|DELETE /?style&styleName=N` and `GET /?style`. All of a bucket's styles are one
//! configuration document ([`Styles`]), changed only by the bucket service's compare-and-set
//! update ([`ossd_store::BucketConfigs::update`]); `x-oss-process=style/<name>` on GetObject is
//! resolved by [`resolve`].

use http::StatusCode;

use ossd_proto::error::{OssCode, OssError};
use ossd_proto::xml::{
    DEFAULT_STYLE_CATEGORY, MAX_STYLE_BODY_BYTES, STYLE_CATEGORIES, Style, Styles,
};
use ossd_store::Update;

use crate::AppState;
use crate::handlers::read_checked_body;
use crate::pipeline::ctx::Ctx;
use crate::pipeline::errors::{store_error, update_error};
use crate::transport::body::RequestBody;
use crate::transport::response::{Resp, ok, status, xml};

/// The most styles a bucket may have.
pub(crate) const MAX_STYLES: usize = 100;
/// The longest style name.
const MAX_NAME_LEN: usize = 64;

/// `PUT /?style&styleName=N[&category=C]`: creates or replaces a style. Empty content is
/// refused; an `image/...` pipeline must parse; other content is stored as sent, as OSS does
/// (oss2's `test_bucket_style_content` stores `csdar5324` and reads it back), and using such a
/// style with `style/<name>` is a 400 then (docs/protocol/image-processing.md#styles).
pub(crate) async fn put(state: &AppState, ctx: &Ctx, body: RequestBody) -> Result<Resp, OssError> {
    let name = style_name(ctx)?;
    let category = style_category(ctx)?;
    let raw = read_checked_body(ctx, body, MAX_STYLE_BODY_BYTES).await?;
    let content = Style::parse_content(&raw)?;
    if content.starts_with("image/") {
        ossd_image::parse(&content)
            .map_err(|e| OssError::invalid_argument_value(&e.to_string(), "Content", &content))?;
    }
    let now = ctx.now_ms();
    update(state, ctx, |styles| {
        if let Some(s) = styles.iter_mut().find(|s| s.name == name) {
            s.content.clone_from(&content);
            s.category = category.to_owned();
            s.modify_ms = now;
            return Ok(true);
        }
        if styles.len() >= MAX_STYLES {
            return Err(OssError::with_message(
                OssCode::TooManyStyles,
                "The number of styles exceeds the limit.",
            ));
        }
        styles.push(Style {
            name: name.to_owned(),
            content: content.clone(),
            category: category.to_owned(),
            create_ms: now,
            modify_ms: now,
        });
        Ok(true)
    })
    .await?;
    Ok(ok())
}

/// `GET /?style&styleName=N`: one style, or 404 `NoSuchStyle`.
pub(crate) async fn get(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    let name = style_name(ctx)?;
    let styles = load(state, ctx).await?;
    let style = styles
        .iter()
        .find(|s| s.name == name)
        .ok_or_else(no_such_style)?;
    Ok(xml(style.to_xml()))
}

/// `GET /?style`: every style of the bucket, sorted by name.
pub(crate) async fn list(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    let mut styles = load(state, ctx).await?;
    styles.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(xml(Style::list_xml(&styles)))
}

/// `DELETE /?style&styleName=N`: 204 whether or not the style existed.
pub(crate) async fn delete(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    let name = style_name(ctx)?;
    update(state, ctx, |styles| {
        let before = styles.len();
        styles.retain(|s| s.name != name);
        Ok(styles.len() != before)
    })
    .await?;
    Ok(status(StatusCode::NO_CONTENT))
}

/// The content of the bucket's style `name`, or 404 `NoSuchStyle`.
pub(crate) async fn resolve(state: &AppState, ctx: &Ctx, name: &str) -> Result<String, OssError> {
    load(state, ctx)
        .await?
        .into_iter()
        .find(|s| s.name == name)
        .map(|s| s.content)
        .ok_or_else(no_such_style)
}

fn no_such_style() -> OssError {
    OssError::with_message(OssCode::NoSuchStyle, "No Such Image Style.")
}

/// The `styleName` parameter: 1–64 characters of letters, digits, `-`, `_` and `.`.
fn style_name(ctx: &Ctx) -> Result<&str, OssError> {
    let name = ctx.query("styleName").unwrap_or_default();
    let valid = !name.is_empty()
        && name.len() <= MAX_NAME_LEN
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if valid {
        Ok(name)
    } else {
        Err(OssError::invalid_argument_value(
            "The style name is invalid.",
            "styleName",
            name,
        ))
    }
}

/// The `category` parameter: `image` (also when absent), `document` or `video` (OSS API
/// reference, PutStyle and GetStyle `Category`).
fn style_category(ctx: &Ctx) -> Result<&'static str, OssError> {
    let Some(sent) = ctx.query("category") else {
        return Ok(DEFAULT_STYLE_CATEGORY);
    };
    STYLE_CATEGORIES
        .into_iter()
        .find(|c| *c == sent)
        .ok_or_else(|| {
            OssError::invalid_argument_value("The style category is invalid.", "category", sent)
        })
}

async fn load(state: &AppState, ctx: &Ctx) -> Result<Vec<Style>, OssError> {
    let styles = state
        .store
        .bucket_configs()
        .get::<Styles>(ctx.bucket())
        .await
        .map_err(|e| store_error(e, ctx))?;
    Ok(styles.unwrap_or_default().0)
}

/// Applies `change` to the bucket's styles (it returns whether it changed anything) and stores
/// the result by compare-and-set: concurrent PutStyle and DeleteStyle never lose one another's
/// update.
async fn update<F>(state: &AppState, ctx: &Ctx, mut change: F) -> Result<(), OssError>
where
    F: FnMut(&mut Vec<Style>) -> Result<bool, OssError>,
{
    state
        .store
        .bucket_configs()
        .update(ctx.bucket(), |current: Option<Styles>| {
            let mut styles = current.unwrap_or_default();
            if !change(&mut styles.0)? {
                return Ok(Update::Keep);
            }
            Ok(Update::Put(styles))
        })
        .await
        .map(|_| ())
        .map_err(|e| update_error(e, ctx))
}
