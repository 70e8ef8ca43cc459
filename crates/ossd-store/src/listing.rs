//! Listings (ListObjects, ListObjectVersions, ListMultipartUploads) and the metadata-only read of
//! one version: the metadata store's own, passed through so that the HTTP layer talks to the
//! store alone.

use ossd_meta::{
    ListPage, ListQuery, ListUploadsQuery, ListVersionsQuery, ObjectRecord, UploadsPage,
    VersionsPage,
};

use crate::buckets::meta_err;
use crate::{Store, StoreError};

impl Store {
    /// One page of the current objects (ListObjects, ListObjectsV2).
    pub async fn list_objects(&self, query: &ListQuery) -> Result<ListPage, StoreError> {
        self.meta.list_objects(query).await.map_err(meta_err)
    }

    /// One page of versions and delete markers (ListObjectVersions).
    pub async fn list_versions(
        &self,
        query: &ListVersionsQuery,
    ) -> Result<VersionsPage, StoreError> {
        self.meta.list_versions(query).await.map_err(meta_err)
    }

    /// One page of multipart uploads in progress (ListMultipartUploads).
    pub async fn list_uploads(&self, query: &ListUploadsQuery) -> Result<UploadsPage, StoreError> {
        self.meta.list_uploads(query).await.map_err(meta_err)
    }

    /// The addressed version's record without inline bytes, delete markers included (`None`
    /// when there is no such key or version): for checks that need only the metadata, such as
    /// an object ACL.
    pub async fn object_meta(
        &self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
    ) -> Result<Option<ObjectRecord>, StoreError> {
        self.meta
            .get_object_meta(bucket, key, version_id)
            .await
            .map_err(meta_err)
    }
}
