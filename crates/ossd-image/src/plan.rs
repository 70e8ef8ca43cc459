//! The typed result of parsing `x-oss-process=image/...`: geometry and filter steps run left to
//! right, then output settings, optionally ending in a JSON report.

/// A validated processing request.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    /// Pixel operations, in request order.
    pub ops: Vec<Op>,
    /// `format,<f>`: the output format (default: the source's).
    pub format: Option<Format>,
    /// `quality`: the encoder quality, 1–100 (default: [`crate::DEFAULT_QUALITY`]).
    pub quality: Option<u8>,
    /// `interlace,1`: progressive output (accepted, not applied: the JPEG encoder is baseline).
    pub interlace: bool,
    /// `info` or `average-hue`: answer with JSON instead of an image.
    pub report: Option<Report>,
}

/// One pixel operation.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    /// `resize`.
    Resize(Resize),
    /// `crop`.
    Crop(Crop),
    /// `indexcrop`: slices of `len` px along `axis`, keep slice `index`.
    IndexCrop {
        /// Slice direction.
        axis: Axis,
        /// Slice length in pixels.
        len: u32,
        /// Which slice (0-based); out of range keeps the image.
        index: u32,
    },
    /// `circle,r_<r>`: the incircle of radius `r` (clamped), a 2r×2r square.
    Circle(u32),
    /// `rounded-corners,r_<r>`.
    RoundedCorners(u32),
    /// `rotate,<deg>`: clockwise, 0–360.
    Rotate(u32),
    /// `auto-orient,1`: apply the EXIF orientation.
    AutoOrient,
    /// `blur,r_<r>,s_<s>`.
    Blur {
        /// Radius, 1–50.
        radius: u32,
        /// Sigma, 1–50.
        sigma: u32,
    },
    /// `bright,<v>`: -100–100.
    Bright(i32),
    /// `contrast,<v>`: -100–100.
    Contrast(i32),
    /// `sharpen,<v>`: 50–399.
    Sharpen(u32),
    /// `watermark,image_<b64 key>,...` and/or `text_<b64 text>,...`.
    Watermark(crate::watermark::Watermark),
}

impl Plan {
    /// The keys of the watermark objects the plan needs, in order, without duplicates.
    pub fn watermark_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = Vec::new();
        for op in &self.ops {
            if let Op::Watermark(w) = op
                && let Some(m) = &w.image
                && !keys.contains(&m.key)
            {
                keys.push(m.key.clone());
            }
        }
        keys
    }
}

/// Slice direction of `indexcrop`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Axis {
    /// `x_<len>`: vertical slices, left to right.
    X,
    /// `y_<len>`: horizontal slices, top to bottom.
    Y,
}

/// `resize` parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Resize {
    /// `m`.
    pub mode: Mode,
    /// `w`.
    pub w: Option<u32>,
    /// `h`.
    pub h: Option<u32>,
    /// `l`: the longer side.
    pub l: Option<u32>,
    /// `s`: the shorter side.
    pub s: Option<u32>,
    /// `p`: percentage, 1–1000.
    pub p: Option<u32>,
    /// `limit` (default true): never enlarge.
    pub limit: bool,
    /// `color`: the pad fill, RGB.
    pub color: [u8; 3],
}

/// `resize` modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Fit inside w×h.
    Lfit,
    /// Cover w×h.
    Mfit,
    /// Cover w×h, then centre-crop to it.
    Fill,
    /// Fit inside, then centre on a w×h canvas.
    Pad,
    /// Exactly w×h.
    Fixed,
}

/// `crop` parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Crop {
    /// Offset from the gravity anchor, x.
    pub x: u32,
    /// Offset from the gravity anchor, y.
    pub y: u32,
    /// Width (default: to the edge).
    pub w: Option<u32>,
    /// Height (default: to the edge).
    pub h: Option<u32>,
    /// `g`: the anchor cell.
    pub gravity: Gravity,
}

/// The nine anchor cells of `crop,g_...`: (column, row), each 0, 1 or 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gravity {
    /// 0 west, 1 centre, 2 east.
    pub col: u8,
    /// 0 north, 1 centre, 2 south.
    pub row: u8,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `jpg` (also `jpeg`).
    Jpg,
    /// `png`.
    Png,
    /// `webp`.
    Webp,
    /// `bmp`.
    Bmp,
    /// `gif`.
    Gif,
    /// `tiff`.
    Tiff,
}

impl Format {
    /// The OSS name (`jpg`, `png`, ...), as in `info`'s `Format`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Jpg => "jpg",
            Self::Png => "png",
            Self::Webp => "webp",
            Self::Bmp => "bmp",
            Self::Gif => "gif",
            Self::Tiff => "tiff",
        }
    }

    /// The `Content-Type`.
    pub fn mime(self) -> &'static str {
        match self {
            Self::Jpg => "image/jpeg",
            Self::Png => "image/png",
            Self::Webp => "image/webp",
            Self::Bmp => "image/bmp",
            Self::Gif => "image/gif",
            Self::Tiff => "image/tiff",
        }
    }

    /// Whether the format keeps an alpha channel.
    pub fn has_alpha(self) -> bool {
        !matches!(self, Self::Jpg | Self::Bmp)
    }
}

/// JSON answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Report {
    /// `info`: size, format, dimensions.
    Info,
    /// `average-hue`: `{"RGB":"0xRRGGBB"}`.
    AverageHue,
}
