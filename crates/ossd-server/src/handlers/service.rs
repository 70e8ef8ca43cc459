//! ListBuckets, with the tag filters.

use ossd_meta::BucketRecord;
use ossd_proto::error::OssError;
use ossd_proto::xml::{
    BucketSummary, BucketTagging, ListAllMyBucketsResult, Owner, Tag, parse_tag_filter,
};
use ossd_store::StoreError;

use crate::AppState;
use crate::pipeline::ctx::Ctx;
use crate::pipeline::errors::store_error;
use crate::pipeline::public_endpoint;
use crate::transport::response::{Resp, xml};

/// Default and largest `max-keys` of ListBuckets.
const DEFAULT_MAX_BUCKETS: usize = 100;
const MAX_MAX_BUCKETS: usize = 1000;

/// `GET /` at service level. With `tag-key` (and `tag-value`) or `tagging` only buckets with
/// those tags are listed, each with its `<Tagging>` (see [`TagFilter`]).
pub(super) async fn list_buckets(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    let prefix = ctx.query("prefix").unwrap_or_default();
    // S3 names the page parameters `continuation-token` and `max-buckets` (docs/s3.md#listbuckets).
    let (marker_name, max_name) = match ctx.dialect {
        ossd_proto::dialect::Dialect::Oss => ("marker", "max-keys"),
        ossd_proto::dialect::Dialect::S3 => ("continuation-token", "max-buckets"),
    };
    let marker = ctx.query(marker_name).unwrap_or_default();
    let max = parse_max_keys(ctx.query(max_name), DEFAULT_MAX_BUCKETS, MAX_MAX_BUCKETS)?;
    let filter = TagFilter::from_query(|k| ctx.query(k))?;
    let owner = state.config.account_id.clone();
    let visible_only = ctx.dialect == ossd_proto::dialect::Dialect::S3
        && !crate::pipeline::auth::is_account_root(state, &ctx.caller);
    let (buckets, tags, truncated) = match &filter {
        None if visible_only => {
            let (buckets, truncated) =
                list_visible(state, ctx, &owner, prefix, marker, max).await?;
            (buckets, Vec::new(), truncated)
        }
        None => {
            let (buckets, truncated) = state
                .store
                .buckets()
                .list(&owner, prefix, marker, max)
                .await
                .map_err(|e| store_error(e, ctx))?;
            (buckets, Vec::new(), truncated)
        }
        Some(f) => list_tagged(state, ctx, &owner, prefix, marker, max, f).await?,
    };
    let next_marker = truncated
        .then(|| buckets.last().map(|b| b.name.clone()))
        .flatten();
    let given = |k: &str| ctx.query(k).map(str::to_owned);
    let endpoint = public_endpoint::reported(&state.config, ctx);
    let result = ListAllMyBucketsResult {
        prefix: given("prefix"),
        marker: given(marker_name),
        max_keys: ctx
            .query(max_name)
            .filter(|v| !v.is_empty())
            .map(|_| max as u32),
        next_marker,
        owner: Owner::new(owner),
        buckets: buckets
            .iter()
            .map(|b| BucketSummary {
                name: b.name.clone(),
                creation_date_ms: b.created_ms,
                location: format!("oss-{}", b.region),
                region: b.region.clone(),
                extranet_endpoint: endpoint.clone(),
                intranet_endpoint: endpoint.clone(),
                storage_class: b.storage_class,
            })
            .collect(),
    };
    Ok(xml(result.to_xml_with_tags(&tags)))
}

/// S3's ListBuckets for a RAM user or role session: the buckets after `marker` that its
/// policies (identity, session and bucket policies, not ACLs) let it list, at most `max`,
/// and whether another follows. S3 lists the buckets a caller owns; in OSS's model every
/// bucket is the account's, so a principal is shown the ones it may use (docs/s3.md#listbuckets).
async fn list_visible(
    state: &AppState,
    ctx: &Ctx,
    owner: &str,
    prefix: &str,
    marker: &str,
    max: usize,
) -> Result<(Vec<BucketRecord>, bool), OssError> {
    let context = crate::pipeline::policy_ctx::oss(
        ctx.conn,
        ctx.now,
        &ctx.headers,
        ossd_proto::op::Operation::ListObjects,
        |_| None,
    );
    let mut found = Vec::new();
    let mut cursor = marker.to_owned();
    loop {
        let (page, more) = state
            .store
            .buckets()
            .list(owner, prefix, &cursor, MAX_MAX_BUCKETS)
            .await
            .map_err(|e| store_error(e, ctx))?;
        if let Some(last) = page.last() {
            cursor.clone_from(&last.name);
        }
        for b in page {
            let policy = crate::handlers::bucket_policy::load(state, &b.name)
                .await
                .map_err(|e| store_error(e, ctx))?;
            if !crate::pipeline::auth::may_list(state, ctx, &b, policy.as_deref(), &context).await {
                continue;
            }
            if found.len() == max {
                return Ok((found, true));
            }
            found.push(b);
        }
        if !more {
            return Ok((found, false));
        }
    }
}

/// The buckets after `marker` whose tags match `filter`, at most `max`, with their tags, and
/// whether another match follows. Every candidate's tags are read (from the bucket-config
/// cache of the SQLite backend); a bucket deleted meanwhile is skipped.
async fn list_tagged(
    state: &AppState,
    ctx: &Ctx,
    owner: &str,
    prefix: &str,
    marker: &str,
    max: usize,
    filter: &TagFilter,
) -> Result<(Vec<BucketRecord>, Vec<BucketTagging>, bool), OssError> {
    let buckets = state.store.buckets();
    let configs = state.store.bucket_configs();
    let mut found = Vec::new();
    let mut tags = Vec::new();
    let mut cursor = marker.to_owned();
    loop {
        let (page, more) = buckets
            .list(owner, prefix, &cursor, MAX_MAX_BUCKETS)
            .await
            .map_err(|e| store_error(e, ctx))?;
        if let Some(last) = page.last() {
            cursor.clone_from(&last.name);
        }
        for b in page {
            let t = match configs.get::<BucketTagging>(&b.name).await {
                Ok(Some(t)) => t,
                Ok(None) | Err(StoreError::NoSuchBucket) => continue,
                Err(e) => return Err(store_error(e, ctx)),
            };
            if !filter.matches(&t) {
                continue;
            }
            if found.len() == max {
                return Ok((found, tags, true));
            }
            found.push(b);
            tags.push(t);
        }
        if !more {
            return Ok((found, tags, false));
        }
    }
}

/// A ListBuckets tag filter. The SDKs document the parameters (alibabacloud-oss-python-sdk-v2
/// `ListBucketsRequest`): `tag-key` lists buckets with that key, `tag-value` (only with
/// `tag-key`) narrows to that pair, `tagging` (`"k1":"v1","k2":"v2"`, not with the other two)
/// requires every pair.
#[derive(Debug, Clone, PartialEq, Eq)]
enum TagFilter {
    /// `tag-key`, optionally with `tag-value`.
    Key { key: String, value: Option<String> },
    /// `tagging`: all of these pairs.
    All(Vec<Tag>),
}

impl TagFilter {
    /// The filter of a request, if any (empty parameters count as absent); 400
    /// `InvalidArgument` for `tag-value` without `tag-key` or `tagging` with either.
    fn from_query<'a>(query: impl Fn(&str) -> Option<&'a str>) -> Result<Option<Self>, OssError> {
        let given = |k: &str| query(k).filter(|v| !v.is_empty());
        let (key, value, tagging) = (given("tag-key"), given("tag-value"), given("tagging"));
        if let Some(raw) = tagging {
            if key.is_some() || value.is_some() {
                return Err(OssError::invalid_argument(
                    "The tagging parameter cannot be used with tag-key or tag-value.",
                ));
            }
            return Ok(Some(Self::All(parse_tag_filter(raw)?)));
        }
        match (key, value) {
            (Some(k), v) => Ok(Some(Self::Key {
                key: k.to_owned(),
                value: v.map(str::to_owned),
            })),
            (None, Some(_)) => Err(OssError::invalid_argument(
                "The tag-value parameter requires tag-key.",
            )),
            (None, None) => Ok(None),
        }
    }

    /// Whether a bucket with these tags is listed.
    fn matches(&self, tags: &BucketTagging) -> bool {
        match self {
            Self::Key { key, value } => match (tags.value(key), value) {
                (Some(have), Some(want)) => have == want,
                (Some(_), None) => true,
                (None, _) => false,
            },
            Self::All(pairs) => tags.has_all(pairs),
        }
    }
}

/// Parses `max-keys`: empty means the default; otherwise 1..=`max`.
pub(super) fn parse_max_keys(
    v: Option<&str>,
    default: usize,
    max: usize,
) -> Result<usize, OssError> {
    match v.filter(|v| !v.is_empty()) {
        None => Ok(default),
        Some(v) => match v.parse::<usize>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => Err(OssError::invalid_argument(format!(
                "Argument max-keys must be an integer between 1 and {max}."
            ))),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(q: &[(&'static str, &'static str)]) -> Result<Option<TagFilter>, OssError> {
        TagFilter::from_query(|k| q.iter().find(|(n, _)| *n == k).map(|(_, v)| *v))
    }

    fn tags(pairs: &[(&str, &str)]) -> BucketTagging {
        BucketTagging {
            tags: pairs
                .iter()
                .map(|(k, v)| Tag {
                    key: (*k).to_owned(),
                    value: (*v).to_owned(),
                })
                .collect(),
        }
    }

    #[test]
    fn filters_from_query() {
        assert_eq!(filter(&[]).ok(), Some(None));
        assert_eq!(filter(&[("tag-key", "")]).ok(), Some(None));
        let key_only = filter(&[("tag-key", "env")]).ok().flatten();
        let pair = filter(&[("tag-key", "env"), ("tag-value", "test")])
            .ok()
            .flatten();
        let all = filter(&[("tagging", r#""env":"test","team":"dev""#)])
            .ok()
            .flatten();
        let one = tags(&[("env", "test")]);
        let both = tags(&[("env", "test"), ("team", "dev")]);
        let prod = tags(&[("env", "prod")]);
        let none = BucketTagging::default();
        for (f, expect) in [
            (&key_only, [true, true, true, false]),
            (&pair, [true, true, false, false]),
            (&all, [false, true, false, false]),
        ] {
            let Some(f) = f else {
                panic!("filter not parsed");
            };
            let got = [&one, &both, &prod, &none].map(|t| f.matches(t));
            assert_eq!(got, expect, "{f:?}");
        }
        assert!(filter(&[("tag-value", "x")]).is_err());
        assert!(filter(&[("tagging", r#""a":"1""#), ("tag-key", "a")]).is_err());
        assert!(filter(&[("tagging", "a:1")]).is_err());
    }
}
