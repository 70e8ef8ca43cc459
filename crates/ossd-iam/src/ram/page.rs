//! `Marker` / `MaxItems` pagination of list actions (docs/protocol/ram.md#ram-action-semantics): the marker is the last returned
//! key suffix (opaque to clients); `Marker` is present only when `IsTruncated` is true.

use super::{Fail, Page as Wanted};
use crate::Iam;
use crate::store::Stored;
use serde::de::DeserializeOwned;

/// One page of records.
pub(crate) struct Page<T> {
    /// The records, as (key suffix, record).
    pub items: Vec<(String, Stored<T>)>,
    /// The marker of the next page, when more follow.
    pub next: Option<String>,
}

impl Iam {
    /// Up to `wanted.max_items` records under `prefix` after `wanted.marker`.
    pub(crate) async fn page<T: DeserializeOwned>(
        &self,
        prefix: &str,
        wanted: &Wanted,
    ) -> Result<Page<T>, Fail> {
        let max = wanted.max_items;
        let mut items = self
            .store()
            .scan::<T>(prefix, &wanted.marker, max + 1)
            .await?;
        let next = if items.len() > max {
            items.truncate(max);
            items.last().map(|(k, _)| k.clone())
        } else {
            None
        };
        Ok(Page { items, next })
    }
}
