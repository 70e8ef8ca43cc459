//! RestoreObject (`POST /<key>?restore`) and the archive state it changes, as the Alibaba Cloud
//! OSS API reference describes it (RestoreObject:
//! <https://www.alibabacloud.com/help/en/oss/developer-reference/restoreobject>).
//!
//! An Archive, Cold Archive or Deep Cold Archive version is frozen: GetObject and copies refuse
//! it (403 `InvalidObjectState`) until a restore has finished, and again once the restored copy
//! expires. ossd keeps one copy of the bytes whatever the class, so a restore only records times
//! in the version's record ([`RestoreState`]): it is in progress for [`RESTORE_DELAY_MS`] (on the
//! server's clock, which `--dev` can move), then readable for `Days` days (a day is
//! `--lifecycle-day-seconds`). States are compared with the clock when read; nothing runs in the
//! background (docs/limits.md).

use http::StatusCode;
use ossd_meta::{ObjectRecord, RestoreState, RestoreStatus};
use ossd_proto::error::{OssCode, OssError};
use ossd_proto::time_fmt::rfc1123;
use ossd_proto::xml::{MAX_RESTORE_BODY_BYTES, RestoreRequest, RestoreTier};
use ossd_store::StoreError;
use ossd_types::StorageClass;

use crate::AppState;
use crate::handlers::put::version_header;
use crate::handlers::read_checked_body;
use crate::pipeline::ctx::Ctx;
use crate::pipeline::errors::store_error;
use crate::transport::body::RequestBody;
use crate::transport::response::{Resp, set, status};

/// How long a restore is in progress before the object is readable: long enough for a client
/// to see `ongoing-request="true"` and `RestoreAlreadyInProgress`, short enough for local use.
pub(super) const RESTORE_DELAY_MS: i64 = 2_000;

/// Attempts at the read-modify-write when a concurrent metadata change wins the race.
const UPDATE_ATTEMPTS: usize = 3;

/// The most `Days` for Archive objects (1–7, OSS error page 0016-00000708).
const MAX_ARCHIVE_DAYS: u32 = 7;
/// The most `Days` for Cold Archive and Deep Cold Archive objects (1–365, page 0016-00000704).
const MAX_COLD_DAYS: u32 = 365;

/// `POST /<key>?restore`.
pub(super) async fn restore_object(
    state: &AppState,
    ctx: &Ctx,
    body: RequestBody,
) -> Result<Resp, OssError> {
    let raw = read_checked_body(ctx, body, MAX_RESTORE_BODY_BYTES).await?;
    let request = RestoreRequest::parse(&raw)?;
    for _ in 0..UPDATE_ATTEMPTS {
        let rec = state
            .store
            .head_object(ctx.bucket(), ctx.key(), ctx.version_id())
            .await
            .map_err(|e| store_error(e, ctx))?;
        let plan = plan(&rec, &request, now_ms(state), day_ms(state))?;
        let mut resp = status(plan.status);
        if let Some(tier) = plan.restore.tier.as_deref() {
            set(&mut resp, "x-oss-object-restore-priority", tier);
        }
        version_header(&mut resp, ctx, &rec);
        let mut updated = rec;
        updated.restore = Some(plan.restore);
        match state.store.update_record(updated).await {
            Ok(()) => return Ok(resp),
            // The revision changed under us (or the version went away): look again.
            Err(StoreError::NoSuchKey) => continue,
            Err(e) => return Err(store_error(e, ctx)),
        }
    }
    Err(OssError::internal_error())
}

/// What a RestoreObject does to a version: the answer's status and the new restore state.
#[derive(Debug, PartialEq, Eq)]
struct Plan {
    status: StatusCode,
    restore: RestoreState,
}

/// Decides a RestoreObject on `rec` at `now_ms`: 202 and a new restore for a frozen version,
/// 200 and a later expiry for a restored one, and the OSS errors otherwise.
fn plan(
    rec: &ObjectRecord,
    request: &RestoreRequest,
    now_ms: i64,
    day_ms: i64,
) -> Result<Plan, OssError> {
    let (max_days, tier) = match rec.storage_class {
        StorageClass::Archive => {
            if request.job_parameters {
                return Err(OssError::malformed_xml());
            }
            (MAX_ARCHIVE_DAYS, None)
        }
        StorageClass::ColdArchive => (MAX_COLD_DAYS, Some(tier_or_default(request))),
        StorageClass::DeepColdArchive => {
            let tier = tier_or_default(request);
            if tier == RestoreTier::Bulk {
                return Err(OssError::invalid_argument_value(
                    "The Tier element is invalid.",
                    "Tier",
                    tier.as_str(),
                ));
            }
            (MAX_COLD_DAYS, Some(tier))
        }
        _ => return Err(operation_not_supported()),
    };
    let days = request.days.unwrap_or(1);
    if days > max_days {
        return Err(OssError::invalid_argument_value(
            "The Days element is invalid.",
            "Days",
            &days.to_string(),
        ));
    }
    let span = i64::from(days).saturating_mul(day_ms);
    match rec.restore_status(now_ms) {
        RestoreStatus::InProgress => Err(restore_in_progress()),
        RestoreStatus::Restored { expiry_ms } => {
            let mut restore = rec.restore.clone().unwrap_or(RestoreState {
                ready_ms: now_ms,
                expiry_ms,
                tier: None,
            });
            restore.expiry_ms = expiry_ms.max(now_ms.saturating_add(span));
            Ok(Plan {
                status: StatusCode::OK,
                restore,
            })
        }
        RestoreStatus::Frozen | RestoreStatus::NotArchived => {
            let ready_ms = now_ms.saturating_add(RESTORE_DELAY_MS);
            Ok(Plan {
                status: StatusCode::ACCEPTED,
                restore: RestoreState {
                    ready_ms,
                    expiry_ms: ready_ms.saturating_add(span),
                    tier: tier.map(|t| t.as_str().to_owned()),
                },
            })
        }
    }
}

fn tier_or_default(request: &RestoreRequest) -> RestoreTier {
    request.tier.unwrap_or(RestoreTier::Standard)
}

/// The `x-oss-restore` value of a version that has been restored (or is being restored), if any.
pub(super) fn restore_header(rec: &ObjectRecord, now_ms: i64) -> Option<String> {
    restore_value(rec.restore_status(now_ms))
}

/// The `x-oss-restore` value (a listing's `<RestoreInfo>`) for a restore status, if any.
pub(super) fn restore_value(status: RestoreStatus) -> Option<String> {
    match status {
        RestoreStatus::InProgress => Some("ongoing-request=\"true\"".to_owned()),
        RestoreStatus::Restored { expiry_ms } => Some(format!(
            "ongoing-request=\"false\", expiry-date=\"{}\"",
            rfc1123(expiry_ms)
        )),
        RestoreStatus::Frozen | RestoreStatus::NotArchived => None,
    }
}

/// Refuses to read the bytes of a frozen version (GetObject, copy sources): 403
/// `InvalidObjectState` (OSS error page 0016-00000404).
pub(super) fn check_readable(rec: &ObjectRecord, now_ms: i64) -> Result<(), OssError> {
    if rec.restore_status(now_ms).readable() {
        Ok(())
    } else {
        Err(OssError::with_message(
            OssCode::InvalidObjectState,
            "The operation is not valid for the object's state",
        )
        .with_ec("0016-00000404"))
    }
}

/// The server's current time (movable with `--dev`), Unix ms.
pub(super) fn now_ms(state: &AppState) -> i64 {
    unix_ms(state.clock.now())
}

/// The time the request arrived (the server's clock, read once per request), Unix ms: what a
/// GET or HEAD compares a restore's times with, without reading the clock again
/// (docs/performance.md, "GET/HEAD: moves, clocks and the access line").
pub(super) fn request_ms(ctx: &Ctx) -> i64 {
    unix_ms(ctx.now)
}

fn unix_ms(t: time::OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

fn day_ms(state: &AppState) -> i64 {
    i64::try_from(state.config.lifecycle_day_secs)
        .unwrap_or(i64::MAX)
        .saturating_mul(1000)
}

/// 400 `OperationNotSupported` for a Standard or IA object (OSS error page 0016-00000702).
fn operation_not_supported() -> OssError {
    OssError::with_message(
        OssCode::OperationNotSupported,
        "The operation is not supported for this resource",
    )
    .with_ec("0016-00000702")
}

/// 409 `RestoreAlreadyInProgress` (OSS error page 0016-00000701).
fn restore_in_progress() -> OssError {
    OssError::with_message(
        OssCode::RestoreAlreadyInProgress,
        "The restore operation is in progress.",
    )
    .with_ec("0016-00000701")
}

#[cfg(test)]
mod tests {
    use super::*;
    use ossd_meta::{DataRef, NULL_VERSION};
    use ossd_types::{ObjectAcl, ObjectType};

    const DAY: i64 = 86_400_000;

    fn record(class: StorageClass) -> ObjectRecord {
        ObjectRecord {
            bucket: "b".to_owned(),
            key: "k".to_owned(),
            version_id: NULL_VERSION.to_owned(),
            revision: "r".to_owned(),
            delete_marker: false,
            size: 1,
            etag: "E".to_owned(),
            crc64: 0,
            last_modified_ms: 0,
            object_type: ObjectType::Normal,
            storage_class: class,
            acl: ObjectAcl::Default,
            headers: Vec::new(),
            user_meta: Vec::new(),
            tags: Vec::new(),
            symlink_target: None,
            data: DataRef::Inline(bytes::Bytes::from_static(b"x")),
            restore: None,
            checksum: None,
            parts: Vec::new(),
        }
    }

    fn days(d: u32) -> RestoreRequest {
        RestoreRequest {
            days: Some(d),
            ..RestoreRequest::default()
        }
    }

    #[test]
    fn archive_lifecycle() -> Result<(), OssError> {
        let mut rec = record(StorageClass::Archive);
        assert!(check_readable(&rec, 0).is_err());
        assert_eq!(restore_header(&rec, 0), None);

        let first = plan(&rec, &days(2), 1_000, DAY)?;
        assert_eq!(first.status, StatusCode::ACCEPTED);
        let ready = 1_000 + RESTORE_DELAY_MS;
        assert_eq!(
            first.restore,
            RestoreState {
                ready_ms: ready,
                expiry_ms: ready + 2 * DAY,
                tier: None,
            }
        );
        rec.restore = Some(first.restore);

        // In progress: refused, and still frozen.
        assert_eq!(
            plan(&rec, &days(2), 1_500, DAY).err().map(|e| e.status),
            Some(409)
        );
        assert!(check_readable(&rec, 1_500).is_err());
        assert_eq!(
            restore_header(&rec, 1_500).as_deref(),
            Some("ongoing-request=\"true\"")
        );

        // Done: readable, and a repeat extends the expiry.
        assert!(check_readable(&rec, ready).is_ok());
        let header = restore_header(&rec, ready).unwrap_or_default();
        assert!(header.starts_with("ongoing-request=\"false\", expiry-date=\""));
        assert!(header.ends_with(" GMT\""));
        let again = plan(&rec, &days(7), ready + DAY, DAY)?;
        assert_eq!(again.status, StatusCode::OK);
        assert_eq!(again.restore.expiry_ms, ready + 8 * DAY);

        // Expired: frozen again, and a new restore starts.
        assert!(check_readable(&rec, ready + 2 * DAY).is_err());
        assert_eq!(restore_header(&rec, ready + 2 * DAY), None);
        let renewed = plan(&rec, &RestoreRequest::default(), ready + 2 * DAY, DAY)?;
        assert_eq!(renewed.status, StatusCode::ACCEPTED);
        assert_eq!(renewed.restore.expiry_ms - renewed.restore.ready_ms, DAY);
        Ok(())
    }

    #[test]
    fn class_rules() -> Result<(), OssError> {
        let code = |class, req: RestoreRequest| {
            plan(&record(class), &req, 0, DAY)
                .err()
                .map(|e| (e.status, e.code.as_str()))
        };
        assert_eq!(
            code(StorageClass::Standard, RestoreRequest::default()),
            Some((400, "OperationNotSupported"))
        );
        assert_eq!(
            code(StorageClass::Ia, RestoreRequest::default()),
            Some((400, "OperationNotSupported"))
        );
        let with_tier = |tier| RestoreRequest {
            days: Some(5),
            job_parameters: true,
            tier: Some(tier),
        };
        assert_eq!(
            code(StorageClass::Archive, with_tier(RestoreTier::Bulk)),
            Some((400, "MalformedXML"))
        );
        assert_eq!(
            code(StorageClass::Archive, days(8)),
            Some((400, "InvalidArgument"))
        );
        assert_eq!(code(StorageClass::ColdArchive, days(365)), None);
        assert_eq!(
            code(StorageClass::ColdArchive, days(366)),
            Some((400, "InvalidArgument"))
        );
        assert_eq!(
            code(StorageClass::DeepColdArchive, with_tier(RestoreTier::Bulk)),
            Some((400, "InvalidArgument"))
        );
        let cold = plan(
            &record(StorageClass::ColdArchive),
            &with_tier(RestoreTier::Expedited),
            0,
            DAY,
        )?;
        assert_eq!(cold.restore.tier.as_deref(), Some("Expedited"));
        let default_tier = plan(
            &record(StorageClass::DeepColdArchive),
            &RestoreRequest::default(),
            0,
            DAY,
        )?;
        assert_eq!(default_tier.restore.tier.as_deref(), Some("Standard"));
        Ok(())
    }

    #[test]
    fn standard_objects_are_always_readable() {
        let rec = record(StorageClass::Standard);
        assert!(check_readable(&rec, 0).is_ok());
        assert_eq!(restore_header(&rec, 0), None);
    }
}
