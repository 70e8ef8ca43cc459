//! Bucket names, object keys and account ids.

use crate::TypesError;
use std::fmt;

/// The longest object key OSS accepts, in bytes of UTF-8.
pub const MAX_KEY_BYTES: usize = 1023;

/// A bucket name as OSS accepts it when creating: 3–63 characters of `[a-z0-9-]`, starting and ending
/// with a letter or digit.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BucketName(String);

impl BucketName {
    /// Validates `name`.
    pub fn new(name: &str) -> Result<Self, TypesError> {
        let b = name.as_bytes();
        let ok_char = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-';
        let edge = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
        if (3..=63).contains(&b.len())
            && b.iter().all(ok_char)
            && edge(b[0])
            && edge(b[b.len() - 1])
        {
            Ok(Self(name.to_owned()))
        } else {
            Err(TypesError::InvalidBucketName)
        }
    }

    /// A bucket name by S3's general-purpose rules, which also allow `.`: 3–63 lowercase letters,
    /// digits, `-` and `.`, starting and ending with a letter or digit, no `..`, `.-` or `-.`, and
    /// not shaped like an IPv4 address. (A name with a `.` can only be addressed path-style, and
    /// only through the S3 dialect.)
    pub fn new_s3(name: &str) -> Result<Self, TypesError> {
        if !name.contains('.') {
            return Self::new(name);
        }
        let b = name.as_bytes();
        let ok_char =
            |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'-' | b'.');
        let edge = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
        let ip_like = name.split('.').count() == 4
            && name
                .split('.')
                .all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()));
        if (3..=63).contains(&b.len())
            && b.iter().all(ok_char)
            && edge(b[0])
            && edge(b[b.len() - 1])
            && !name.contains("..")
            && !name.contains(".-")
            && !name.contains("-.")
            && !ip_like
        {
            Ok(Self(name.to_owned()))
        } else {
            Err(TypesError::InvalidBucketName)
        }
    }

    /// Whether S3 reserves `name`'s prefix or suffix for its own use (Amazon S3 User Guide,
    /// "General purpose bucket naming rules": no name starts with `xn--`, `sthree-` or
    /// `amzn-s3-demo-`, nor ends with `-s3alias`, `--ol-s3`, `.mrap`, `--x-s3` or
    /// `--table-s3`). S3 refuses to create such a bucket; the names stay valid for addressing,
    /// so a bucket created through OSS keeps working in the S3 dialect.
    pub fn is_s3_reserved(name: &str) -> bool {
        const PREFIXES: [&str; 3] = ["xn--", "sthree-", "amzn-s3-demo-"];
        const SUFFIXES: [&str; 5] = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];
        PREFIXES.iter().any(|p| name.starts_with(p)) || SUFFIXES.iter().any(|s| name.ends_with(s))
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for BucketName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An object key: 1–1023 bytes of UTF-8, not starting with `/` or `\`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectKey(String);

impl ObjectKey {
    /// Validates `key`.
    pub fn new(key: &str) -> Result<Self, TypesError> {
        if key.is_empty()
            || key.len() > MAX_KEY_BYTES
            || key.starts_with('/')
            || key.starts_with('\\')
        {
            return Err(TypesError::InvalidObjectName);
        }
        Ok(Self(key.to_owned()))
    }

    /// Validates `key` by the S3 dialect's rules: OSS's without the ban on a leading `\\`. S3
    /// keys are any UTF-8 ("Naming Amazon S3 objects" lists the backslash among the characters
    /// to avoid, not among refused ones; docs/s3.md#keys). A leading `/` stays refused.
    pub fn new_s3(key: &str) -> Result<Self, TypesError> {
        if key.starts_with('\\') && key.len() <= MAX_KEY_BYTES {
            return Ok(Self(key.to_owned()));
        }
        Self::new(key)
    }

    /// The key as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ObjectKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A numeric account id, as OSS shows it in `Owner/ID` and in ARNs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AccountId(String);

impl AccountId {
    /// Validates a string of 1–20 decimal digits.
    pub fn new(id: &str) -> Result<Self, TypesError> {
        if !id.is_empty() && id.len() <= 20 && id.bytes().all(|c| c.is_ascii_digit()) {
            Ok(Self(id.to_owned()))
        } else {
            Err(TypesError::InvalidValue {
                what: "account id",
                value: id.to_owned(),
            })
        }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s3_reserved_bucket_names() {
        for reserved in [
            "xn--abc",
            "sthree-x",
            "amzn-s3-demo-bucket",
            "b-s3alias",
            "b--ol-s3",
            "b.mrap",
            "b--x-s3",
            "b--table-s3",
        ] {
            assert!(BucketName::is_s3_reserved(reserved), "{reserved}");
        }
        for fine in ["abc", "xn-abc", "my-s3alias-bucket", "s3alias", "a--x-s3b"] {
            assert!(!BucketName::is_s3_reserved(fine), "{fine}");
        }
    }

    #[test]
    fn s3_bucket_names() {
        assert!(BucketName::new_s3("my.bucket.name").is_ok());
        assert!(BucketName::new("my.bucket.name").is_err());
        for bad in ["a..b", "a.-b", "192.168.5.4", ".ab", "ab.", "A.b"] {
            assert!(BucketName::new_s3(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn bucket_names() {
        for ok in ["abc", "a-b", "examplebucket", &"a".repeat(63), "0ab"] {
            assert!(BucketName::new(ok).is_ok(), "{ok}");
        }
        for bad in ["ab", "-ab", "ab-", "Abc", "a_b", "a.b", &"a".repeat(64), ""] {
            assert!(BucketName::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn object_keys() {
        assert!(ObjectKey::new("a/b c+d").is_ok());
        assert!(ObjectKey::new(&"k".repeat(1023)).is_ok());
        assert!(ObjectKey::new(&"k".repeat(1024)).is_err());
        assert!(ObjectKey::new("").is_err());
        assert!(ObjectKey::new("/a").is_err());
        assert!(ObjectKey::new("\\a").is_err());
        assert!(ObjectKey::new_s3("\\a").is_ok());
        assert!(ObjectKey::new_s3("\\$foo.txt").is_ok());
        assert!(ObjectKey::new_s3("\\").is_ok());
        assert!(ObjectKey::new_s3("/a").is_err());
        assert!(ObjectKey::new_s3("").is_err());
        assert!(ObjectKey::new_s3(&format!("\\{}", "k".repeat(1023))).is_err());
    }
}
