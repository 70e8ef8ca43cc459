//! Running a [`Plan`] on source bytes: probe the header against the limits, decode with
//! `image::Limits` set, apply the operations left to right, then encode or report.
//!
//! Not supported: progressive output (`interlace,1` is accepted and ignored: the `image` JPEG
//! encoder is baseline only); animation (a GIF's first frame is processed).

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageReader, metadata::Orientation};

use crate::budget::Deadline;
use crate::encode::{DEFAULT_QUALITY, encode};
use crate::error::ImageError;
use crate::limits::{Limits, Probe, from_image_format};
use crate::memory::MemoryBudget;
use crate::plan::{Format, Op, Plan, Report};
use crate::watermark::Marks;
use crate::{geometry, report, resize, rotate};

/// A processed response body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// The bytes.
    pub body: Vec<u8>,
    /// Their `Content-Type`.
    pub content_type: &'static str,
}

/// Runs `plan` on the image `data`. CPU-bound: call it from [`crate::Pool::run`].
pub fn process(data: &[u8], plan: &Plan, limits: &Limits) -> Result<Output, ImageError> {
    process_with(data, plan, limits, &[])
}

/// [`process`] with the watermark objects the plan names ([`Plan::watermark_keys`]), within
/// [`Limits::max_job_time`] from now.
pub fn process_with(
    data: &[u8],
    plan: &Plan,
    limits: &Limits,
    marks: &Marks,
) -> Result<Output, ImageError> {
    let deadline = Deadline::after(limits.max_job_time);
    process_until(data, plan, limits, marks, &deadline)
}

/// [`process_with`] that gives up with [`ImageError::TimedOut`] at `deadline`, checked
/// between stages (after decoding, after each action, after encoding). Before decoding, the
/// job's memory ([`crate::job_memory`]) is checked against [`Limits::max_job_memory`] and held
/// from [`MemoryBudget::global`] until the job ends, waiting here (until `deadline`) while
/// other jobs hold it. [`crate::Pool::process`] waits for it before taking a worker instead.
pub fn process_until(
    data: &[u8],
    plan: &Plan,
    limits: &Limits,
    marks: &Marks,
    deadline: &Deadline,
) -> Result<Output, ImageError> {
    deadline.check()?;
    let bytes = crate::memory::job_memory(data, plan, limits, marks)?;
    let _held = MemoryBudget::global().acquire_blocking(bytes, deadline)?;
    process_held(data, plan, limits, marks, deadline)
}

/// [`process_until`] for a job whose memory is already held.
pub(crate) fn process_held(
    data: &[u8],
    plan: &Plan,
    limits: &Limits,
    marks: &Marks,
    deadline: &Deadline,
) -> Result<Output, ImageError> {
    deadline.check()?;
    let probe = limits.probe(data)?;
    if plan.report == Some(Report::Info) && plan.ops.is_empty() {
        return Ok(json(report::info(data, &probe)));
    }
    let (mut img, orientation) = decode(data, &probe, limits)?;
    for op in &plan.ops {
        deadline.check()?;
        img = apply(img, op, orientation, marks, limits)?;
    }
    deadline.check()?;
    if plan.report == Some(Report::AverageHue) {
        return Ok(json(report::average_hue(&img)));
    }
    let format = match plan.format {
        // A GIF output of a non-GIF source keeps the source format
        // (docs/protocol/image-processing.md#actions).
        Some(Format::Gif) if probe.format != Format::Gif => probe.format,
        Some(f) => f,
        None => probe.format,
    };
    let body = encode(&img, format, plan.quality.unwrap_or(DEFAULT_QUALITY))?;
    deadline.check()?;
    if plan.report == Some(Report::Info) {
        let out = limits.probe(&body)?;
        return Ok(json(report::info(&body, &out)));
    }
    Ok(Output {
        body,
        content_type: format.mime(),
    })
}

fn json(body: Vec<u8>) -> Output {
    Output {
        body,
        content_type: "application/json",
    }
}

/// Decodes to 8-bit RGB or RGBA, with the EXIF orientation.
pub(crate) fn decode(
    data: &[u8],
    probe: &Probe,
    limits: &Limits,
) -> Result<(DynamicImage, Orientation), ImageError> {
    let mut reader = ImageReader::new(Cursor::new(data))
        .with_guessed_format()
        .map_err(|_| ImageError::Damaged)?;
    if reader.format().and_then(from_image_format) != Some(probe.format) {
        return Err(ImageError::Damaged);
    }
    reader.limits(limits.decoder_limits());
    let mut decoder = reader.into_decoder().map_err(decode_error)?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let img = DynamicImage::from_decoder(decoder).map_err(decode_error)?;
    let img = if img.color().has_alpha() {
        DynamicImage::ImageRgba8(img.into_rgba8())
    } else {
        DynamicImage::ImageRgb8(img.into_rgb8())
    };
    Ok((img, orientation))
}

fn decode_error(e: image::ImageError) -> ImageError {
    match e {
        image::ImageError::Limits(l) => {
            ImageError::TooLarge(format!("The source image exceeds a limit: {l}."))
        }
        _ => ImageError::Damaged,
    }
}

/// Applies one operation.
pub(crate) fn apply(
    img: DynamicImage,
    op: &Op,
    orientation: Orientation,
    marks: &Marks,
    limits: &Limits,
) -> Result<DynamicImage, ImageError> {
    Ok(match *op {
        Op::Resize(ref r) => resize::apply(img, r, limits)?,
        Op::Crop(ref c) => geometry::crop(&img, c)?,
        Op::IndexCrop { axis, len, index } => geometry::index_crop(&img, axis, len, index),
        Op::Circle(r) => geometry::circle(&img, r),
        Op::RoundedCorners(r) => geometry::rounded(&img, r),
        Op::Rotate(deg) => rotate::rotate(&img, deg, limits)?,
        Op::AutoOrient => {
            let mut img = img;
            img.apply_orientation(orientation);
            img
        }
        Op::Blur { sigma, .. } => img.fast_blur(sigma as f32),
        Op::Bright(v) => img.brighten(v * 128 / 100),
        Op::Contrast(v) => img.adjust_contrast(v as f32),
        Op::Sharpen(v) => img.unsharpen(v as f32 / 100.0, 0),
        Op::Watermark(ref w) => crate::watermark::apply(img, w, marks, limits)?,
    })
}
