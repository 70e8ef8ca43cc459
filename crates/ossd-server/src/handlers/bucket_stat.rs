//! GetBucketStat (`GET /?stat`): the figures the metadata store keeps with every write
//! ([`ossd_meta::BucketStats`], read through the bucket service), exact at the time of the request (OSS's may lag by an hour).

use ossd_meta::{BucketStats, ClassStats};
use ossd_proto::error::OssError;
use ossd_proto::xml::{BucketStat, ClassStat};
use ossd_types::StorageClass;

use crate::AppState;
use crate::pipeline::ctx::Ctx;
use crate::pipeline::errors::store_error;
use crate::transport::response::{Resp, xml};

/// `GET /?stat`.
pub(super) async fn get_bucket_stat(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    let stats = state
        .store
        .buckets()
        .stats(ctx.bucket())
        .await
        .map_err(|e| store_error(e, ctx))?;
    Ok(xml(document(&stats).to_xml()))
}

/// The response for `stats`; there are no live channels.
fn document(stats: &BucketStats) -> BucketStat {
    let standard = stats.class(StorageClass::Standard);
    BucketStat {
        storage: stats.storage(),
        object_count: stats.object_count(),
        multipart_upload_count: stats.uploads,
        live_channel_count: 0,
        multipart_part_count: stats.parts,
        multipart_part_storage: stats.part_bytes,
        delete_marker_count: stats.delete_markers,
        last_modified_time: stats.last_modified_ms.div_euclid(1000),
        standard_storage: standard.bytes,
        standard_object_count: standard.objects,
        infrequent_access: class(stats.class(StorageClass::Ia)),
        archive: class(stats.class(StorageClass::Archive)),
        cold_archive: class(stats.class(StorageClass::ColdArchive)),
        deep_cold_archive: class(stats.class(StorageClass::DeepColdArchive)),
    }
}

/// The figures of a class other than Standard: billed and real bytes, objects.
fn class(c: &ClassStats) -> ClassStat {
    ClassStat {
        storage: c.billed_bytes,
        real_storage: c.bytes,
        object_count: c.objects,
    }
}
