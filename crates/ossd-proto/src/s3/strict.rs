//! Where S3 is stricter than OSS: requests OSS serves (or reads leniently) that S3 refuses
//! (docs/s3.md#copies, docs/s3.md#keys).

use crate::error::OssError;

/// S3's `x-amz-copy-source-range` (UploadPartCopy) against a source of `size` bytes: exactly
/// `bytes=first-last`, else 400 `InvalidArgument`; `last` inside the source, else 416
/// `InvalidRange` (docs/s3.md#copies). OSS reads the header as a GetObject `Range` and copies
/// the whole source when it is malformed or does not fit.
pub fn copy_source_range(value: &str, size: u64) -> Result<(u64, u64), OssError> {
    let malformed = || {
        OssError::invalid_argument(
            "The x-amz-copy-source-range value must be of the form bytes=first-last where first \
             and last are the zero-based offsets of the first and last bytes to copy",
        )
    };
    let spec = value.trim().strip_prefix("bytes=").ok_or_else(malformed)?;
    let (first, last) = spec.split_once('-').ok_or_else(malformed)?;
    let number = |s: &str| {
        let digits = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        digits.then(|| s.parse::<u64>().ok()).flatten()
    };
    let (Some(first), Some(last)) = (number(first), number(last)) else {
        return Err(malformed());
    };
    if first > last {
        return Err(malformed());
    }
    if last >= size {
        return Err(OssError::invalid_range());
    }
    Ok((first, last))
}

/// Whether S3 refuses `key` as an unparseable URI (400 `InvalidURI`): it holds a C1 control
/// character (U+0080 to U+009F), what a key read as Latin-1 and sent as UTF-8 turns into
/// (docs/s3.md#keys). OSS takes any UTF-8 key.
pub fn unreadable_key(key: &str) -> bool {
    key.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c))
}

/// The 400 `InvalidRequest` of a CopyObject onto itself that would change nothing: same bucket
/// and key, no source version, metadata copied (not `REPLACE`), and no new storage class,
/// encryption or website redirect (docs/s3.md#copies). `header` reads the request's headers in
/// the OSS vocabulary.
pub fn copy_onto_itself<'h>(
    same_object: bool,
    source_version: Option<&str>,
    header: impl Fn(&str) -> Option<&'h str>,
) -> Result<(), OssError> {
    let replaces =
        header("x-oss-metadata-directive").is_some_and(|d| d.eq_ignore_ascii_case("REPLACE"));
    let changes = replaces
        || header("x-oss-storage-class").is_some()
        || header("x-oss-server-side-encryption").is_some()
        || header("x-amz-website-redirect-location").is_some();
    if same_object && source_version.is_none() && !changes {
        return Err(OssError::invalid_request(
            "This copy request is illegal because it is trying to copy an object to itself \
             without changing the object's metadata, storage class, website redirect location or \
             encryption attributes.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::OssCode;

    #[test]
    fn copy_ranges() {
        assert_eq!(copy_source_range("bytes=1-3", 5).ok(), Some((1, 3)));
        assert_eq!(copy_source_range("bytes=0-4", 5).ok(), Some((0, 4)));
        let code = |v: &str| copy_source_range(v, 5).err().map(|e| e.code);
        assert_eq!(code("bytes=0-5"), Some(OssCode::InvalidRange));
        assert_eq!(code("bytes=0-21"), Some(OssCode::InvalidRange));
        for bad in [
            "0-2",
            "bytes=0",
            "bytes=hello-world",
            "bytes=0-bar",
            "bytes=hello-",
            "bytes=0-2,3-5",
            "bytes=3-1",
            "bytes=-2",
            "bytes=2-",
            "bytes=+1-2",
        ] {
            assert_eq!(code(bad), Some(OssCode::InvalidArgument), "{bad}");
        }
    }

    #[test]
    fn keys() {
        assert!(unreadable_key("\u{ae}\u{8a}-"));
        assert!(!unreadable_key("caf\u{e9}/\u{4e2d}\u{6587}\u{a0}"));
    }

    #[test]
    fn copies_onto_itself() {
        let none = |_: &str| None;
        let refused = copy_onto_itself(true, None, none).err().map(|e| e.code);
        assert_eq!(refused, Some(OssCode::InvalidRequest));
        assert!(copy_onto_itself(false, None, none).is_ok());
        assert!(copy_onto_itself(true, Some("v1"), none).is_ok());
        let replace = |h: &str| (h == "x-oss-metadata-directive").then_some("replace");
        assert!(copy_onto_itself(true, None, replace).is_ok());
        let class = |h: &str| (h == "x-oss-storage-class").then_some("IA");
        assert!(copy_onto_itself(true, None, class).is_ok());
    }
}
