//! The errors of image processing. The server maps each variant to its OSS error code and
//! status (docs/protocol/image-processing.md#errors); the `Display` text is the message.

/// Why an image request failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageError {
    /// A bad parameter value or an unknown action: 400 `InvalidArgument`.
    #[error("{0}")]
    InvalidArgument(String),
    /// A required parameter is absent: 400 `MissingArgument`.
    #[error("{0}")]
    MissingArgument(String),
    /// The request cannot apply to this image (crop origin outside it, non-image source): 400
    /// `BadRequest`.
    #[error("{0}")]
    BadRequest(String),
    /// The source or the output exceeds a size limit: 400 `ImageTooLarge`.
    #[error("{0}")]
    TooLarge(String),
    /// The source claims to be an image but cannot be decoded: 400 `ImageDamage`.
    #[error("The image file may be damaged.")]
    Damaged,
    /// An action this server does not implement: 501 `NotImplemented`.
    #[error("{0}")]
    Unsupported(String),
    /// The watermark object cannot be used: 400 `WatermarkError`.
    #[error("{0}")]
    Watermark(String),
    /// The processing pool is full: 503 `ServiceUnavailable`.
    #[error("Image processing is busy, please retry later.")]
    Busy,
    /// The job exceeded its time budget and was abandoned: 503 `ServiceUnavailable`.
    #[error("Image processing exceeded its time budget of {} s and was abandoned.", .0.as_secs_f32())]
    TimedOut(std::time::Duration),
    /// An encoder failed unexpectedly: 500 `InternalError`.
    #[error("Image processing failed: {0}")]
    Internal(String),
}

impl ImageError {
    /// The variant's name, for logs and tests (the OSS code is the server's decision).
    pub fn name(&self) -> &'static str {
        match self {
            Self::InvalidArgument(_) => "InvalidArgument",
            Self::MissingArgument(_) => "MissingArgument",
            Self::BadRequest(_) => "BadRequest",
            Self::TooLarge(_) => "TooLarge",
            Self::Damaged => "Damaged",
            Self::Unsupported(_) => "Unsupported",
            Self::Watermark(_) => "Watermark",
            Self::Busy => "Busy",
            Self::TimedOut(_) => "TimedOut",
            Self::Internal(_) => "Internal",
        }
    }

    /// `InvalidArgument` naming the action and parameter.
    pub(crate) fn bad_value(action: &str, key: &str, value: &str, expected: &str) -> Self {
        Self::InvalidArgument(format!(
            "Invalid value '{value}' for parameter '{key}' of '{action}': expected {expected}."
        ))
    }
}
