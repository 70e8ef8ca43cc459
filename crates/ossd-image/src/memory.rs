//! Memory accounting of image jobs (docs/limits.md, "Image processing"). Before any pixel is
//! decoded, [`job_memory`] estimates from the header what the plan will allocate at its peak:
//! the decoded source (width × height × channels × bytes per sample, × frames decoded), the
//! decoder's own buffers, the 8-bit copy, each action's input + output + temporaries, the
//! watermarks and the encoder's copies. A job above [`Limits::max_job_memory`] is refused with
//! `ImageTooLarge`; one within it holds that many bytes of the process-wide [`MemoryBudget`]
//! while it runs, so concurrent jobs together stay within the budget.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::budget::Deadline;
use crate::error::ImageError;
use crate::limits::{Limits, Probe};
use crate::plan::{Format, Op, Plan, Report};
use crate::watermark::{Marks, Watermark};
use crate::{geometry, resize, rotate};

/// The default process-wide budget of image memory, and the default per-job limit: 1 GiB.
pub const DEFAULT_MEMORY_BUDGET: u64 = 1 << 30;
/// What every job holds besides pixels: decoder and encoder state, tables, row buffers.
const JOB_OVERHEAD: u64 = 4 << 20;
/// The budget's unit: permits are KiB so that a `u32` count covers 4 TiB.
const UNIT: u64 = 1024;

/// Bytes of `frames` decoded frames of `width`×`height` pixels of `channels` samples of
/// `bytes_per_sample` bytes each.
pub fn decoded_bytes(
    width: u32,
    height: u32,
    channels: u8,
    bytes_per_sample: u8,
    frames: u32,
) -> u64 {
    u64::from(width)
        .saturating_mul(u64::from(height))
        .saturating_mul(u64::from(channels))
        .saturating_mul(u64::from(bytes_per_sample))
        .saturating_mul(u64::from(frames))
}

/// The peak memory, in bytes, of running `plan` on the image `data` with the watermark objects
/// `marks`, from the headers alone. Refused with `ImageTooLarge` above
/// [`Limits::max_job_memory`]; probing errors are those [`crate::process`] gives.
pub fn job_memory(
    data: &[u8],
    plan: &Plan,
    limits: &Limits,
    marks: &Marks,
) -> Result<u64, ImageError> {
    let probe = limits.probe(data)?;
    let bytes = estimate(data, &probe, plan, limits, marks);
    if bytes > limits.max_job_memory {
        return Err(ImageError::TooLarge(format!(
            "Processing this {}x{} image ({}-bit, {} channels) needs about {} MiB; the limit is {} MiB.",
            probe.width,
            probe.height,
            u32::from(probe.bytes_per_sample) * 8,
            probe.channels,
            bytes.div_ceil(1 << 20),
            limits.max_job_memory >> 20
        )));
    }
    Ok(bytes)
}

/// [`job_memory`] for an already probed source.
pub(crate) fn estimate(
    data: &[u8],
    probe: &Probe,
    plan: &Plan,
    limits: &Limits,
    marks: &Marks,
) -> u64 {
    // The source (decoders may copy it) and the watermark objects stay for the whole job.
    let resident = (data.len() as u64)
        .saturating_mul(2)
        .saturating_add(marks.iter().map(|(_, d)| d.len() as u64).sum())
        .saturating_add(JOB_OVERHEAD);
    if plan.report == Some(Report::Info) && plan.ops.is_empty() {
        return resident;
    }
    let (mut peak, mut img) = decode_peak(probe, data);
    // EXIF orientations 5–8 turn the image a quarter: `auto-orient` swaps its sides.
    let quarter = plan.ops.contains(&Op::AutoOrient)
        && crate::report::exif_orientation(data).is_some_and(|o| o >= 5);
    for op in &plan.ops {
        let (stage, out) = op_peak(img, op, limits, marks);
        let out = if *op == Op::AutoOrient && quarter {
            out.sized((out.h, out.w))
        } else {
            out
        };
        peak = peak.max(stage);
        img = out;
    }
    let tail = match plan.report {
        // Flattened onto white: an RGBA copy and the RGB result.
        Some(Report::AverageHue) => img.bytes().saturating_add(img.px().saturating_mul(7)),
        _ => encode_peak(img, plan.format.unwrap_or(probe.format)),
    };
    resident.saturating_add(peak.max(tail))
}

/// An 8-bit RGB (3 bytes a pixel) or RGBA (4) image of known size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Img {
    w: u32,
    h: u32,
    bpp: u64,
}

impl Img {
    fn new(w: u32, h: u32, alpha: bool) -> Self {
        Self {
            w,
            h,
            bpp: if alpha { 4 } else { 3 },
        }
    }

    fn px(self) -> u64 {
        u64::from(self.w).saturating_mul(u64::from(self.h))
    }

    fn bytes(self) -> u64 {
        self.px().saturating_mul(self.bpp)
    }

    fn alpha(self) -> bool {
        self.bpp == 4
    }

    fn sized(self, (w, h): (u32, u32)) -> Self {
        Self { w, h, ..self }
    }
}

fn px(w: u64, h: u64) -> u64 {
    w.saturating_mul(h)
}

/// Decoding: the decoder's buffer of the source's own layout (one frame: only the first frame
/// of an animation is decoded), the decoder's working memory, and the 8-bit RGB(A) copy unless
/// the source already is 8-bit RGB(A).
fn decode_peak(p: &Probe, data: &[u8]) -> (u64, Img) {
    let native = decoded_bytes(p.width, p.height, p.channels, p.bytes_per_sample, 1);
    let out = Img::new(p.width, p.height, p.channels == 2 || p.channels == 4);
    let area = out.px();
    let extra = match p.format {
        Format::Png | Format::Bmp => 0,
        // Progressive JPEG keeps every coefficient (i16) of every component until the end.
        Format::Jpg if jpeg_is_progressive(data) => {
            // Colour may be stored as four components (CMYK).
            let components = if p.channels >= 3 { 4 } else { p.channels };
            area.saturating_mul(2 * u64::from(components))
        }
        Format::Jpg => 0,
        // The GIF frame buffer and the WebP canvas (or lossless ARGB words): RGBA, 4 bytes.
        Format::Gif | Format::Webp => area.saturating_mul(4),
        // A TIFF strip or tile may be as large as the image.
        Format::Tiff => native,
    };
    let converted = if p.bytes_per_sample == 1 && (p.channels == 3 || p.channels == 4) {
        0
    } else {
        out.bytes()
    };
    (native.saturating_add(extra).saturating_add(converted), out)
}

/// The peak of one action on `img` (its input is alive until the output is made) and the
/// image it leaves.
fn op_peak(img: Img, op: &Op, limits: &Limits, marks: &Marks) -> (u64, Img) {
    let input = img.bytes();
    let (work, out) = match *op {
        Op::Resize(ref r) => resize_work(img, r),
        Op::Crop(ref c) => {
            let out = img.sized(geometry::crop_size(img.w, img.h, c));
            (out.bytes(), out)
        }
        Op::IndexCrop { axis, len, index } => {
            let out = img.sized(geometry::index_crop_size(img.w, img.h, axis, len, index));
            (out.bytes(), out)
        }
        Op::Circle(r) => {
            let side = geometry::circle_side(img.w, img.h, r);
            let out = Img::new(side, side, true);
            // The square crop, then its RGBA copy.
            (out.px().saturating_mul(img.bpp + 4), out)
        }
        Op::RoundedCorners(_) => {
            let out = Img::new(img.w, img.h, true);
            (out.bytes(), out)
        }
        Op::Rotate(deg) => {
            let (w, h) = rotate::rotated_size(img.w, img.h, deg);
            let out = img.sized((
                u32::try_from(w).unwrap_or(u32::MAX),
                u32::try_from(h).unwrap_or(u32::MAX),
            ));
            let work = match deg % 360 {
                0 | 90 | 180 | 270 => out.bytes(),
                // An RGBA copy of the source, the RGBA result, its RGB copy.
                _ => img
                    .px()
                    .saturating_mul(4)
                    .saturating_add(out.px().saturating_mul(7)),
            };
            (work, out)
        }
        // A rotation or flip into a new buffer.
        Op::AutoOrient => (input, img),
        // A transient buffer and the result.
        Op::Blur { .. } => (input.saturating_mul(2), img),
        Op::Bright(_) | Op::Contrast(_) => (input, img),
        // A Gaussian blur through two f32 buffers (4 bytes a sample), then the result.
        Op::Sharpen(_) => (input.saturating_mul(9), img),
        Op::Watermark(ref w) => {
            // The RGBA copy of the base, the mark, and the RGB copy of the result.
            let base = img.px().saturating_mul(4 + 3);
            (base.saturating_add(mark_peak(img, w, limits, marks)), img)
        }
    };
    (input.saturating_add(work), out)
}

/// `resize`: the resampled image, the premultiplied copy of an RGBA source, the intermediate
/// of the two-pass convolution (source width × target height), then the pad canvas or crop.
fn resize_work(img: Img, r: &crate::plan::Resize) -> (u64, Img) {
    let Some(t) = resize::target(r, img.w, img.h) else {
        return (0, img);
    };
    let scaled = img.sized(t.scaled);
    let mut work = scaled.bytes();
    if t.scaled != (img.w, img.h) {
        if img.alpha() {
            work = work.saturating_add(img.bytes());
        }
        work = work
            .saturating_add(px(u64::from(img.w), u64::from(t.scaled.1)).saturating_mul(img.bpp));
    }
    if t.canvas == t.scaled {
        return (work, scaled);
    }
    let out = img.sized(t.canvas);
    let finish = if r.mode == crate::plan::Mode::Pad {
        // The RGBA canvas, the RGBA copy of the scaled image, the RGB copy of the canvas.
        out.px()
            .saturating_mul(4 + 3)
            .saturating_add(scaled.px().saturating_mul(4))
    } else {
        out.bytes()
    };
    (work.saturating_add(finish), out)
}

/// A watermark's mark: the image part (decoded, its own pipeline, scaled), the text part and
/// the canvas that holds both.
fn mark_peak(main: Img, w: &Watermark, limits: &Limits, marks: &Marks) -> u64 {
    let mut total = 0u64;
    let mut sizes: Vec<(u64, u64)> = Vec::new();
    if let Some(m) = &w.image
        && let Some((_, data)) = marks.iter().find(|(k, _)| *k == m.key)
        && let Ok(probe) = limits.probe(data)
    {
        let (mut peak, mut img) = decode_peak(&probe, data);
        if let Some(plan) = &m.process {
            for op in &plan.ops {
                let (stage, out) = op_peak(img, op, limits, &[]);
                peak = peak.max(stage);
                img = out;
            }
        }
        // Kept as RGBA; with `P`, resampled through an f32 RGBA intermediate into a box of
        // `P` percent of the main image.
        let mut held = img.px().saturating_mul(4);
        let mut size = (u64::from(img.w), u64::from(img.h));
        if let Some(p) = m.percent {
            let bw = (u64::from(main.w) * u64::from(p) / 100).max(1);
            let bh = (u64::from(main.h) * u64::from(p) / 100).max(1);
            held = held
                .saturating_add(px(bw, u64::from(img.h)).saturating_mul(16))
                .saturating_add(px(bw, bh).saturating_mul(4 * 2));
            size = (bw, bh);
        }
        total = total.saturating_add(peak).saturating_add(held);
        sizes.push(size);
    }
    if let Some(t) = &w.text {
        let (tw, th) = text_size(t, limits);
        let (rw, rh) = rotate::rotated_size(
            u32::try_from(tw).unwrap_or(u32::MAX),
            u32::try_from(th).unwrap_or(u32::MAX),
            t.rotate,
        );
        // Coverage (1 byte a pixel), the RGBA mark, the rotated RGBA mark.
        total = total
            .saturating_add(px(tw, th).saturating_mul(5))
            .saturating_add(px(rw, rh).saturating_mul(4));
        sizes.push((rw, rh));
    }
    if let [a, b] = sizes[..] {
        let cw =
            a.0.saturating_add(u64::from(w.interval))
                .saturating_add(b.0);
        total = total.saturating_add(px(cw, a.1.max(b.1)).saturating_mul(4));
    }
    total
}

/// The unrotated size of a text mark (with its shadow), or the output limit if the fonts are
/// unavailable.
fn text_size(t: &crate::text::Text, limits: &Limits) -> (u64, u64) {
    match crate::font::Faces::bundled() {
        Ok(faces) => {
            let line = crate::text::layout(faces, &t.text, t.size);
            let d = if t.shadow > 0 {
                crate::text::shadow_offset(t.size)
            } else {
                0
            };
            (
                u64::from(line.width.saturating_add(d)),
                u64::from(line.height.saturating_add(d)),
            )
        }
        Err(_) => (
            u64::from(limits.max_output_side),
            u64::from(limits.max_output_side),
        ),
    }
}

/// Encoding: a copy of the image (or its flattening onto white: RGBA + RGB), the encoder's
/// converted input (RGB for JPEG, RGB(A) plus libwebp's planes for WebP, RGBA + indices for
/// GIF), and the output (at most about the raw size).
fn encode_peak(img: Img, format: Format) -> u64 {
    let area = img.px();
    let copy = if !format.has_alpha() && img.alpha() {
        area.saturating_mul(7)
    } else {
        img.bytes()
    };
    let converted = match format {
        Format::Jpg => area.saturating_mul(3),
        Format::Webp => area.saturating_mul(4 + 4),
        Format::Gif => area.saturating_mul(5),
        Format::Png | Format::Bmp | Format::Tiff => 0,
    };
    img.bytes()
        .saturating_add(copy)
        .saturating_add(converted)
        .saturating_add(area.saturating_mul(4))
}

/// Whether a JPEG's frame is progressive (SOF2, SOF6, SOF10 or SOF14 before the first scan).
fn jpeg_is_progressive(data: &[u8]) -> bool {
    let mut i = 2usize;
    while let (Some(&ff), Some(&m)) = (data.get(i), data.get(i + 1)) {
        if ff != 0xFF {
            return false;
        }
        match m {
            0xFF => i += 1,
            0xC2 | 0xC6 | 0xCA | 0xCE => return true,
            0xDA | 0xD9 => return false,
            0x01 | 0xD0..=0xD8 => i += 2,
            _ => {
                let len = match (data.get(i + 2), data.get(i + 3)) {
                    (Some(&hi), Some(&lo)) => usize::from(u16::from_be_bytes([hi, lo])),
                    _ => return false,
                };
                i = i.saturating_add(2).saturating_add(len);
            }
        }
    }
    false
}

/// A process-wide budget of image memory: jobs hold their estimated bytes from before decoding
/// until they end. Clones share the budget.
#[derive(Debug, Clone)]
pub struct MemoryBudget {
    units: Arc<Semaphore>,
    total: u64,
}

/// Bytes of a [`MemoryBudget`] held by one job, given back when dropped.
#[derive(Debug)]
pub struct MemoryPermit {
    _units: OwnedSemaphorePermit,
    bytes: u64,
}

impl MemoryPermit {
    /// The bytes held (rounded up to whole KiB).
    pub fn bytes(&self) -> u64 {
        self.bytes
    }
}

impl MemoryBudget {
    /// A budget of `total` bytes (rounded down to whole KiB, at most 4 TiB).
    pub fn new(total: u64) -> Self {
        let units = u32::try_from(total / UNIT).unwrap_or(u32::MAX);
        Self {
            units: Arc::new(Semaphore::new(units as usize)),
            total: u64::from(units) * UNIT,
        }
    }

    /// The process-wide budget ([`DEFAULT_MEMORY_BUDGET`]) that [`crate::process_until`]
    /// draws on (a [`crate::Pool`] has a budget of its own).
    pub fn global() -> &'static MemoryBudget {
        static BUDGET: OnceLock<MemoryBudget> = OnceLock::new();
        BUDGET.get_or_init(|| MemoryBudget::new(DEFAULT_MEMORY_BUDGET))
    }

    /// The whole budget, bytes.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Bytes not held by any job now.
    pub fn available(&self) -> u64 {
        self.units.available_permits() as u64 * UNIT
    }

    /// Holds `bytes`, waiting (in arrival order) until other jobs give enough back or
    /// `deadline` passes ([`ImageError::TimedOut`]). More than the whole budget is refused at
    /// once with `ImageTooLarge`.
    pub async fn acquire(
        &self,
        bytes: u64,
        deadline: &Deadline,
    ) -> Result<MemoryPermit, ImageError> {
        let units = self.units_for(bytes)?;
        let wait = self.units.clone().acquire_many_owned(units);
        let permit = match deadline.instant() {
            Some(at) => tokio::time::timeout_at(at.into(), wait)
                .await
                .map_err(|_| deadline.expired())?,
            None => wait.await,
        };
        let permit = permit.map_err(|_| ImageError::Busy)?;
        Ok(self.permit(permit, units))
    }

    /// [`MemoryBudget::acquire`] for a blocking thread: polls until the bytes are free or the
    /// deadline passes.
    pub fn acquire_blocking(
        &self,
        bytes: u64,
        deadline: &Deadline,
    ) -> Result<MemoryPermit, ImageError> {
        let units = self.units_for(bytes)?;
        let mut pause = Duration::from_millis(1);
        loop {
            match self.units.clone().try_acquire_many_owned(units) {
                Ok(permit) => return Ok(self.permit(permit, units)),
                Err(tokio::sync::TryAcquireError::Closed) => return Err(ImageError::Busy),
                Err(tokio::sync::TryAcquireError::NoPermits) => {}
            }
            deadline.check()?;
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(20));
        }
    }

    fn units_for(&self, bytes: u64) -> Result<u32, ImageError> {
        let units = bytes.div_ceil(UNIT);
        match u32::try_from(units) {
            Ok(u) if units.saturating_mul(UNIT) <= self.total => Ok(u),
            _ => Err(ImageError::TooLarge(format!(
                "Processing this image needs about {} MiB; image processing has {} MiB in all.",
                bytes.div_ceil(1 << 20),
                self.total >> 20
            ))),
        }
    }

    fn permit(&self, permit: OwnedSemaphorePermit, units: u32) -> MemoryPermit {
        MemoryPermit {
            _units: permit,
            bytes: u64::from(units) * UNIT,
        }
    }
}
