//! The routes of the bucket, object, signed-URL and audit pages (docs/console.md#buckets,
//! #objects, #signed-urls, #audit). A bucket's pages live under `buckets/<bucket>/`; object
//! keys travel in the query string, so any key is addressable.

use super::{Visit, assume, audit, bucket_settings, buckets, objects, presign, transfer};
use crate::transport::response::Resp;

/// The page for `segs` (the path below `/-/console/`, split at `/`), if it is one of these.
pub(crate) async fn route(v: &Visit<'_>, get: bool, segs: &[&str]) -> Option<Resp> {
    Some(match (get, segs) {
        (true, ["buckets"]) => buckets::list(v).await,
        (false, ["buckets"]) => buckets::create(v).await,
        (true, ["open-bucket"]) => buckets::open(v),
        (true, ["buckets", b]) => objects::browse(v, b).await,
        (false, ["buckets", b, "delete"]) => buckets::delete(v, b).await,
        (true, ["buckets", b, "versions"]) => objects::versions(v, b).await,
        (true, ["buckets", b, "object"]) => objects::detail(v, b).await,
        (false, ["buckets", b, "object", "delete"]) => objects::delete(v, b).await,
        (true, ["buckets", b, "download"]) => transfer::download(v, b).await,
        (false, ["buckets", b, "multipart", op]) => transfer::multipart(v, b, op).await,
        (true, ["buckets", b, "settings"]) => bucket_settings::show(v, b).await,
        (false, ["buckets", b, "settings", section]) => {
            bucket_settings::change(v, b, section).await
        }
        (true, ["presign"]) => presign::form(v),
        (false, ["presign"]) => presign::make(v),
        (true, ["audit"]) => audit::show(v).await,
        (false, ["assume-role"]) => {
            // A role typed in by ARN (the roles page's form): its name is the ARN's last part.
            let arn = v.form.text("role_arn");
            let name = arn.rsplit_once(":role/").map_or(arn, |(_, n)| n);
            assume::assume(v, name).await
        }
        _ => return None,
    })
}
