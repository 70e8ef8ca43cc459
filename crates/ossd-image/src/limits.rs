//! Size limits (docs/protocol/image-processing.md#limits) and the header-only probe that enforces
//! them before any pixel is allocated, so a small file claiming 30000×30000 pixels is refused
//! cheaply.

use std::io::Cursor;
use std::time::Duration;

use image::{ImageDecoder, ImageFormat, ImageReader};

use crate::error::ImageError;
use crate::plan::Format;

/// The limits applied to one request. [`Limits::default`] holds the OSS numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest source object, bytes (OSS: 20 MB).
    pub max_source_bytes: u64,
    /// Largest source width or height (OSS: 30,000).
    pub max_source_side: u32,
    /// Largest source width × height (OSS: 250 million).
    pub max_source_pixels: u64,
    /// Largest output width or height (OSS: 16,384).
    pub max_output_side: u32,
    /// Largest output width × height (OSS: 16,777,216).
    pub max_output_pixels: u64,
    /// Largest source side for `rotate` (OSS: 4,096).
    pub max_rotate_side: u32,
    /// Wall-clock budget of one job, queueing included (ossd's own limit: 30 s).
    pub max_job_time: Duration,
    /// Largest memory one job may need, bytes, as estimated from the header
    /// ([`crate::job_memory`]; ossd's own limit: 1 GiB, docs/limits.md).
    pub max_job_memory: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_source_bytes: 20 * 1024 * 1024,
            max_source_side: 30_000,
            max_source_pixels: 250_000_000,
            max_output_side: 16_384,
            max_output_pixels: 16_777_216,
            max_rotate_side: 4_096,
            max_job_time: Duration::from_secs(30),
            max_job_memory: crate::memory::DEFAULT_MEMORY_BUDGET,
        }
    }
}

/// What the header says about a source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Probe {
    /// The source format.
    pub format: Format,
    /// Width, px.
    pub width: u32,
    /// Height, px.
    pub height: u32,
    /// Channels of the decoded pixels (1 gray, 2 gray + alpha, 3 RGB, 4 RGBA).
    pub channels: u8,
    /// Bytes per channel sample of the decoded pixels (1 for 8-bit, 2 for 16-bit, 4 for float).
    pub bytes_per_sample: u8,
}

impl Limits {
    /// Refuses a source larger than [`Limits::max_source_bytes`]; call before reading it.
    pub fn check_source_size(&self, size: u64) -> Result<(), ImageError> {
        if size > self.max_source_bytes {
            return Err(ImageError::TooLarge(format!(
                "The source image is {size} bytes; the limit is {}.",
                self.max_source_bytes
            )));
        }
        Ok(())
    }

    /// Reads only the header of `data`: its format and dimensions, refused above the limits.
    pub fn probe(&self, data: &[u8]) -> Result<Probe, ImageError> {
        self.check_source_size(data.len() as u64)?;
        let mut reader = ImageReader::new(Cursor::new(data))
            .with_guessed_format()
            .map_err(|_| ImageError::Damaged)?;
        // Only the header is read here; the dimensions are checked below, not by the decoder.
        reader.no_limits();
        let format = reader.format().and_then(from_image_format).ok_or_else(|| {
            ImageError::BadRequest("The source object is not a supported image.".into())
        })?;
        let decoder = reader.into_decoder().map_err(|_| ImageError::Damaged)?;
        let (width, height) = decoder.dimensions();
        let color = decoder.color_type();
        let channels = color.channel_count();
        let bytes_per_sample = color.bytes_per_pixel() / channels.max(1);
        let pixels = u64::from(width) * u64::from(height);
        if width.max(height) > self.max_source_side || pixels > self.max_source_pixels {
            return Err(ImageError::TooLarge(format!(
                "The source image is {width}x{height}; the limits are {} px a side and {} px in all.",
                self.max_source_side, self.max_source_pixels
            )));
        }
        if width == 0 || height == 0 {
            return Err(ImageError::Damaged);
        }
        Ok(Probe {
            format,
            width,
            height,
            channels,
            bytes_per_sample,
        })
    }

    /// Refuses an intermediate or final size above the output limits.
    pub fn check_output(&self, width: u64, height: u64) -> Result<(), ImageError> {
        if width.max(height) > u64::from(self.max_output_side)
            || width.saturating_mul(height) > self.max_output_pixels
        {
            return Err(ImageError::TooLarge(format!(
                "The output image would be {width}x{height}; the limits are {} px a side and {} px in all.",
                self.max_output_side, self.max_output_pixels
            )));
        }
        Ok(())
    }

    /// The decoder limits matching these limits: dimensions, and the per-job memory limit as
    /// the allocation budget of what decoders reserve themselves (frame buffers, chunks).
    pub fn decoder_limits(&self) -> image::Limits {
        let mut l = image::Limits::default();
        l.max_image_width = Some(self.max_source_side);
        l.max_image_height = Some(self.max_source_side);
        l.max_alloc = Some(self.max_job_memory);
        l
    }
}

/// The OSS format of an `image` crate format, if supported.
pub(crate) fn from_image_format(f: ImageFormat) -> Option<Format> {
    Some(match f {
        ImageFormat::Jpeg => Format::Jpg,
        ImageFormat::Png => Format::Png,
        ImageFormat::WebP => Format::Webp,
        ImageFormat::Bmp => Format::Bmp,
        ImageFormat::Gif => Format::Gif,
        ImageFormat::Tiff => Format::Tiff,
        _ => None?,
    })
}
