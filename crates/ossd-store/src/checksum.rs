//! S3 flexible checksums of stored data (docs/protocol/s3-chunked.md#checksum-algorithms,
//! #multipart-checksums): the checksum a body was verified against (or computed while it was
//! read) handed to the store, the stored form, and the checksum of a completed multipart object.

use std::sync::{Arc, OnceLock};

use ossd_meta::{PartRecord, StoredChecksum, UploadChecksum};
use ossd_sig::checksum::{Checksum, ChecksumAlgorithm, composite_checksum, full_object_checksum};

use crate::{BodyStream, StoreError};

/// The checksum of a request body, known once the body has been read to its end: whoever reads
/// the body sets it, the store reads it after the body ended and before the commit. Empty when
/// the body carried none and none was computed.
#[derive(Debug, Clone, Default)]
pub struct BodyChecksum(Arc<OnceLock<(Checksum, bool)>>);

impl BodyChecksum {
    /// An empty slot.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records the checksum the client sent and the body was verified against (the first
    /// value set wins).
    pub fn set(&self, checksum: Checksum) {
        let _ = self.0.set((checksum, true));
    }

    /// Records a checksum computed over a body that carried none (the first value set wins).
    pub fn set_computed(&self, checksum: Checksum) {
        let _ = self.0.set((checksum, false));
    }

    /// The body's checksum, once set.
    pub fn get(&self) -> Option<&Checksum> {
        self.0.get().map(|(c, _)| c)
    }

    /// Whether the checksum was the client's (not computed).
    pub(crate) fn sent(&self) -> bool {
        self.0.get().is_some_and(|(_, sent)| *sent)
    }

    /// The stored form of the body's checksum (a FULL_OBJECT value of the bytes).
    pub(crate) fn stored(&self) -> Option<StoredChecksum> {
        self.get().map(|c| StoredChecksum {
            algorithm: c.algorithm().name().to_owned(),
            value: c.to_base64(),
            composite: false,
        })
    }
}

/// `body` with its `algorithm` checksum put in `slot` when it ends well (the data the store
/// copies itself: UploadPartCopy into an upload with a chosen algorithm).
pub(crate) fn hashing(
    body: BodyStream,
    algorithm: ChecksumAlgorithm,
    slot: BodyChecksum,
) -> BodyStream {
    use futures_util::StreamExt;
    let state = (body, Some(algorithm.hasher()), slot);
    Box::pin(futures_util::stream::unfold(
        state,
        |(mut body, mut hasher, slot)| async move {
            match body.next().await {
                Some(Ok(chunk)) => {
                    if let Some(h) = hasher.as_mut() {
                        h.update(&chunk);
                    }
                    Some((Ok(chunk), (body, hasher, slot)))
                }
                Some(Err(e)) => Some((Err(e), (body, None, slot))),
                None => {
                    if let Some(h) = hasher.take() {
                        slot.set_computed(h.finish());
                    }
                    None
                }
            }
        },
    ))
}

/// A stored whole-data checksum as a value (`None` for a composite one, or one not readable).
pub fn parse_stored(stored: &StoredChecksum) -> Option<Checksum> {
    if stored.composite {
        return None;
    }
    let algorithm = ChecksumAlgorithm::from_name(&stored.algorithm)?;
    Checksum::from_base64(algorithm, &stored.value).ok()
}

/// Whether a part's checksum may be stored for an upload initiated with `chosen`: any when the
/// upload chose none, else one of the chosen algorithm (S3 refuses a part with another or none).
pub(crate) fn check_part(
    chosen: Option<&UploadChecksum>,
    part: Option<&StoredChecksum>,
    sent: bool,
) -> Result<(), StoreError> {
    let Some(chosen) = chosen else {
        return Ok(());
    };
    match part {
        Some(p) if p.algorithm == chosen.algorithm => Ok(()),
        _ => Err(StoreError::InvalidRequest(format!(
            "Checksum Type mismatch occurred, expected checksum Type: {}, actual checksum Type: {}",
            chosen.algorithm.to_ascii_lowercase(),
            part.filter(|_| sent)
                .map_or("null".to_owned(), |p| p.algorithm.to_ascii_lowercase())
        ))),
    }
}

/// The checksum of a multipart object made of `parts` (in order): with an algorithm chosen at
/// initiation, the COMPOSITE (`base64(hash(part checksums))-N`) or FULL_OBJECT (combined CRC)
/// value of it; without one, the FULL_OBJECT value when every part has a CRC of one algorithm;
/// else none.
pub(crate) fn multipart_checksum(
    chosen: Option<&UploadChecksum>,
    parts: &[PartRecord],
) -> Result<Option<StoredChecksum>, StoreError> {
    let values: Option<Vec<Checksum>> = parts
        .iter()
        .map(|p| p.checksum.as_ref().and_then(parse_stored))
        .collect();
    let algorithm = match chosen {
        Some(c) => ChecksumAlgorithm::from_name(&c.algorithm),
        None => values
            .as_ref()
            .and_then(|v| v.first())
            .map(Checksum::algorithm),
    };
    let (Some(algorithm), Some(values)) = (algorithm, values) else {
        return match chosen {
            Some(c) => Err(StoreError::InvalidRequest(format!(
                "The upload was created using a {} checksum. The complete request must \
                 include the checksum for each part.",
                c.algorithm.to_ascii_lowercase()
            ))),
            None => Ok(None),
        };
    };
    if values.iter().any(|v| v.algorithm() != algorithm) {
        return if chosen.is_some() {
            Err(StoreError::InvalidPart)
        } else {
            Ok(None)
        };
    }
    let composite = chosen.is_some_and(|c| c.composite);
    if composite {
        let value = composite_checksum(algorithm, &values).map_err(|_| StoreError::InvalidPart)?;
        return Ok(Some(StoredChecksum {
            algorithm: algorithm.name().to_owned(),
            value,
            composite: true,
        }));
    }
    if !algorithm.is_crc() {
        return Ok(None);
    }
    let combined = full_object_checksum(values.iter().zip(parts.iter().map(|p| p.size)))
        .map_err(|_| StoreError::InvalidPart)?;
    Ok(combined.map(|c| StoredChecksum {
        algorithm: algorithm.name().to_owned(),
        value: c.to_base64(),
        composite: false,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(n: u32, data: &[u8], alg: ChecksumAlgorithm) -> PartRecord {
        let c = alg.checksum(data);
        PartRecord {
            upload_id: "u".to_owned(),
            part_number: n,
            etag: String::new(),
            md5: [0; 16],
            size: data.len() as u64,
            crc64: 0,
            last_modified_ms: 0,
            blob: String::new(),
            checksum: Some(StoredChecksum {
                algorithm: alg.name().to_owned(),
                value: c.to_base64(),
                composite: false,
            }),
        }
    }

    #[test]
    fn full_object_crc_equals_the_crc_of_the_whole() -> Result<(), StoreError> {
        let alg = ChecksumAlgorithm::Crc32;
        let parts = [part(1, b"hello ", alg), part(2, b"world", alg)];
        let chosen = UploadChecksum {
            algorithm: "CRC32".to_owned(),
            composite: false,
        };
        let whole = alg.checksum(b"hello world").to_base64();
        let got = multipart_checksum(Some(&chosen), &parts)?;
        assert_eq!(got.map(|c| c.value), Some(whole.clone()));
        // No algorithm chosen: the parts' common CRC, combined.
        let got = multipart_checksum(None, &parts)?;
        assert_eq!(got.map(|c| (c.value, c.composite)), Some((whole, false)));
        Ok(())
    }

    #[test]
    fn composite_has_the_part_count_and_needs_every_part() -> Result<(), StoreError> {
        let alg = ChecksumAlgorithm::Sha256;
        let parts = [part(1, b"a", alg), part(2, b"b", alg)];
        let chosen = UploadChecksum {
            algorithm: "SHA256".to_owned(),
            composite: true,
        };
        let got = multipart_checksum(Some(&chosen), &parts)?;
        assert!(got.is_some_and(|c| c.composite && c.value.ends_with("-2")));
        let mut missing = parts.to_vec();
        missing[1].checksum = None;
        assert!(multipart_checksum(Some(&chosen), &missing).is_err());
        assert_eq!(multipart_checksum(None, &missing)?, None);
        Ok(())
    }

    #[test]
    fn a_part_must_use_the_chosen_algorithm() {
        let chosen = UploadChecksum {
            algorithm: "SHA1".to_owned(),
            composite: true,
        };
        assert!(check_part(Some(&chosen), None, false).is_err());
        assert!(check_part(None, None, false).is_ok());
    }
}
