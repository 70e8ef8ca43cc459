//! Reading a PostObject form (docs/protocol/post-object.md#request-and-form-fields) with `multer`:
//! the fields before the file are read into memory under fixed bounds; the file part is handed on
//! as a stream, never buffered.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use futures_util::stream;
use multer::{Field, Multipart};
use ossd_proto::error::{OssCode, OssError};
use ossd_store::BodyStream;

/// The most bytes of field names before the file (400 `FieldItemTooLong` beyond).
pub(super) const MAX_FIELD_NAME_BYTES: usize = 8 * 1024;
/// The most bytes of field values before the file (400 `MaxPOSTPreDataLengthExceededError`).
pub(super) const MAX_PRE_DATA_BYTES: usize = 2 * 1024 * 1024;
/// The most fields before the file.
pub(super) const MAX_FIELDS: usize = 1000;

/// The form fields that precede the file: lowercase names, values as sent (first one wins).
#[derive(Debug, Default)]
pub(super) struct Fields(Vec<(String, String)>);

impl Fields {
    /// A field by lowercase name.
    pub(super) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every field.
    pub(super) fn iter(&self) -> impl Iterator<Item = &(String, String)> {
        self.0.iter()
    }

    fn push(&mut self, name: String, value: String) {
        if self.get(&name).is_none() {
            self.0.push((name, value));
        }
    }
}

/// The fields and the file part of a form.
pub(super) struct Form {
    /// The fields before the file.
    pub fields: Fields,
    /// The file part (its body not read yet).
    pub file: Field<'static>,
}

/// 400 `MalformedPOSTRequest`.
fn malformed() -> OssError {
    OssError::with_message(
        OssCode::MalformedPOSTRequest,
        "The body of your POST request is not well-formed multipart/form-data.",
    )
}

/// Reads the fields up to the part named `file`.
pub(super) async fn read(mut multipart: Multipart<'static>) -> Result<Form, OssError> {
    let mut fields = Fields::default();
    let (mut name_bytes, mut value_bytes) = (0usize, 0usize);
    loop {
        let Some(mut field) = multipart.next_field().await.map_err(|_| malformed())? else {
            return Err(OssError::incorrect_number_of_files());
        };
        let name = field.name().unwrap_or_default().to_ascii_lowercase();
        if name == "file" {
            return Ok(Form {
                fields,
                file: field,
            });
        }
        name_bytes += name.len();
        if name_bytes > MAX_FIELD_NAME_BYTES {
            return Err(OssError::field_item_too_long());
        }
        if fields.0.len() >= MAX_FIELDS {
            return Err(OssError::max_post_pre_data_length_exceeded());
        }
        let mut value = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|_| malformed())? {
            value_bytes += chunk.len();
            if value_bytes > MAX_PRE_DATA_BYTES {
                return Err(OssError::max_post_pre_data_length_exceeded());
            }
            value.extend_from_slice(&chunk);
        }
        fields.push(name, String::from_utf8_lossy(&value).into_owned());
    }
}

/// How a file broke the policy's `content-length-range`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub(super) enum LengthViolation {
    /// More bytes than the range allows.
    #[error("the file is larger than content-length-range allows")]
    TooLarge,
    /// Fewer bytes than the range allows.
    #[error("the file is smaller than content-length-range allows")]
    TooSmall,
}

impl LengthViolation {
    /// The violation behind a failed file stream's error, if that is what it was.
    pub(super) fn find(e: &io::Error) -> Option<Self> {
        e.get_ref()?.downcast_ref::<Self>().copied()
    }
}

/// The file's bytes as a store body. With `range = Some((min, max))` the stream fails as soon
/// as more than `max` bytes arrived, or at the end when fewer than `min` did, and raises
/// `violated`: the store then discards what it wrote.
pub(super) fn file_stream(
    file: Field<'static>,
    range: Option<(u64, u64)>,
    violated: Arc<AtomicBool>,
) -> BodyStream {
    let state: (Option<Field<'static>>, u64) = (Some(file), 0);
    Box::pin(stream::unfold(state, move |(file, count)| {
        let violated = Arc::clone(&violated);
        async move {
            let mut file = file?;
            let item = match file.chunk().await {
                Ok(Some(bytes)) => {
                    let count = count + bytes.len() as u64;
                    if range.is_some_and(|(_, max)| count > max) {
                        violated.store(true, Ordering::SeqCst);
                        Err(io::Error::other(LengthViolation::TooLarge))
                    } else {
                        return Some((Ok(bytes), (Some(file), count)));
                    }
                }
                Ok(None) if range.is_some_and(|(min, _)| count < min) => {
                    violated.store(true, Ordering::SeqCst);
                    Err(io::Error::other(LengthViolation::TooSmall))
                }
                Ok(None) => return None,
                Err(e) => Err(io::Error::other(e)),
            };
            Some((item, (None, count)))
        }
    }))
}
