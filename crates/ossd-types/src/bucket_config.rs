//! The typed bucket configuration documents: each kind (CORS, Referer, lifecycle, policy, image
//! styles, tags, S3 ownership controls) is one text document per bucket in the metadata store,
//! under its [`BucketConfig::KIND`]. The types implement this trait where they are defined (the wire crate
//! for the XML documents, the policy crate for the bucket policy); the bucket service of
//! `ossd-store` reads, writes and updates them generically.

/// A bucket configuration document and its stored form.
pub trait BucketConfig: Sized + Send {
    /// The storage key of the document (`"cors"`, `"referer"`, `"lifecycle"`, `"policy"`,
    /// `"style"`, `"tagging"`, `"ownershipControls"`).
    const KIND: &'static str;
    /// Why a stored text is not a document of this kind.
    type DecodeError: std::error::Error + Send + Sync + 'static;

    /// Reads a stored document. Documents are validated before they are stored, so a failure
    /// means the stored text was written by something else (or an older version).
    fn decode(stored: &str) -> Result<Self, Self::DecodeError>;

    /// The text to store; `None` when this value is the absence of a configuration (an empty
    /// tag set, the default Referer rules, no styles), which removes the document.
    fn encode(&self) -> Option<String>;
}
