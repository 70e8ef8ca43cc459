//! Read-modify-write of one bucket configuration document by compare-and-set on the metadata
//! store (`MetaStore::swap_bucket_config`): concurrent updates of the same document (two
//! PutStyle, a partial DeleteBucketTags racing a PutBucketTags) never lose one another's change,
//! on one node or many.

use ossd_meta::ConfigSwap;
use ossd_proto::error::OssError;

use crate::AppState;
use crate::ctx::Ctx;
use crate::errors::meta_error;

/// How many times a change is re-applied after losing a race. Every conflict means another
/// update succeeded, so this ends early only under extreme contention (then 503).
const MAX_ATTEMPTS: usize = 1000;

/// What a change makes of the current document.
pub(crate) enum Change {
    /// Nothing to store.
    Unchanged,
    /// Store this document (`None` removes it).
    Store(Option<String>),
}

/// Applies `change` to the current `kind` document of the request's bucket and stores the
/// result if nothing changed it meanwhile; otherwise applies `change` again to what is there
/// now. Returns whether a document was stored.
pub(crate) async fn update<F>(
    state: &AppState,
    ctx: &Ctx,
    kind: &str,
    mut change: F,
) -> Result<bool, OssError>
where
    F: FnMut(Option<&str>) -> Result<Change, OssError>,
{
    let meta = state.store.meta();
    let mut current = meta
        .get_bucket_config(ctx.bucket(), kind)
        .await
        .map_err(|e| meta_error(e, ctx))?;
    for _ in 0..MAX_ATTEMPTS {
        let Change::Store(doc) = change(current.as_deref())? else {
            return Ok(false);
        };
        match meta
            .swap_bucket_config(ctx.bucket(), kind, current.as_deref(), doc)
            .await
            .map_err(|e| meta_error(e, ctx))?
        {
            ConfigSwap::Swapped => return Ok(true),
            ConfigSwap::Changed(now) => current = now,
        }
    }
    Err(OssError::service_unavailable())
}
