//! The grammar `image/<action>,<k>_<v>,.../<action>,...`
//! (docs/protocol/image-processing.md#grammar) into a [`Plan`]. Pure: no allocation proportional to
//! anything but the input, no panics on any input.

use crate::error::ImageError;
use crate::params::Params;
use crate::plan::{Axis, Crop, Format, Gravity, Mode, Op, Plan, Report, Resize};

/// The most actions one request may chain.
pub const MAX_ACTIONS: usize = 32;
/// The longest accepted `x-oss-process` value.
pub const MAX_LEN: usize = 4096;
/// The largest `w`, `h`, `l`, `s` of resize and crop (the output limit,
/// docs/protocol/image-processing.md#limits).
const MAX_DIM: u32 = 16384;

/// Parses an `x-oss-process` value that starts with `image/`.
pub fn parse(process: &str) -> Result<Plan, ImageError> {
    if process.len() > MAX_LEN {
        return Err(ImageError::InvalidArgument(
            "The process string is too long.".into(),
        ));
    }
    let Some(body) = process.strip_prefix("image/") else {
        return Err(ImageError::InvalidArgument(
            "The process must start with 'image/'.".into(),
        ));
    };
    let mut plan = Plan::default();
    let actions: Vec<&str> = body.split('/').filter(|a| !a.is_empty()).collect();
    if actions.is_empty() {
        return Err(ImageError::MissingArgument("No image action given.".into()));
    }
    if actions.len() > MAX_ACTIONS {
        return Err(ImageError::InvalidArgument(format!(
            "Too many image actions (at most {MAX_ACTIONS})."
        )));
    }
    for action in actions {
        if plan.report.is_some() {
            return Err(ImageError::InvalidArgument(
                "'info' and 'average-hue' must be the last action.".into(),
            ));
        }
        action_into(&mut plan, action)?;
    }
    Ok(plan)
}

fn action_into(plan: &mut Plan, action: &str) -> Result<(), ImageError> {
    let mut parts = action.split(',');
    let name = parts.next().unwrap_or_default();
    let raw: Vec<&str> = parts.collect();
    let params = |allowed: &[&str]| Params::new(name, &raw, allowed);
    let op = match name {
        "resize" => Op::Resize(resize(&params(&[
            "m", "w", "h", "l", "s", "p", "limit", "color",
        ])?)?),
        // `r` is not in Alibaba's crop reference
        // (<https://www.alibabacloud.com/help/en/doc-detail/44693.htm>) but OSS accepts
        // it (oss2's test_image crops with `r_1` and gets the plain w×h crop): accepted, ignored.
        "crop" => Op::Crop(crop(&params(&["x", "y", "w", "h", "g", "r"])?)?),
        "indexcrop" => indexcrop(&params(&["x", "y", "i"])?)?,
        "circle" => Op::Circle(params(&["r"])?.required_uint("r", 1, 4096)?),
        "rounded-corners" => Op::RoundedCorners(params(&["r"])?.required_uint("r", 1, 4096)?),
        "rotate" => Op::Rotate(params(&[])?.positional_int(0, 360)?.unsigned_abs()),
        "auto-orient" => match params(&[])?.positional_int(0, 1)? {
            1 => Op::AutoOrient,
            _ => return Ok(()),
        },
        "blur" => {
            let p = params(&["r", "s"])?;
            Op::Blur {
                radius: p.required_uint("r", 1, 50)?,
                sigma: p.required_uint("s", 1, 50)?,
            }
        }
        "bright" => Op::Bright(params(&[])?.positional_int(-100, 100)?),
        "contrast" => Op::Contrast(params(&[])?.positional_int(-100, 100)?),
        "sharpen" => Op::Sharpen(params(&[])?.positional_int(50, 399)?.unsigned_abs()),
        "format" => {
            plan.format = Some(format(params(&[])?.positional_str()?)?);
            return Ok(());
        }
        "quality" => {
            let p = params(&["q", "Q"])?;
            let q = p.uint("Q", 1, 100)?.or(p.uint("q", 1, 100)?);
            let q = q.ok_or_else(|| {
                ImageError::MissingArgument("Missing 'q' or 'Q' for 'quality'.".into())
            })?;
            plan.quality = u8::try_from(q).ok();
            return Ok(());
        }
        "interlace" => {
            plan.interlace = params(&[])?.positional_int(0, 1)? == 1;
            return Ok(());
        }
        "info" | "average-hue" => {
            params(&[])?;
            plan.report = Some(if name == "info" {
                Report::Info
            } else {
                Report::AverageHue
            });
            return Ok(());
        }
        "watermark" => {
            let p = params(crate::watermark::PARAMS)?;
            let g = gravity(&p, "watermark", "se")?;
            let marks = plan.ops.iter().filter(|o| matches!(o, Op::Watermark(_)));
            if marks.count() >= crate::watermark::MAX_WATERMARKS {
                return Err(ImageError::InvalidArgument("Too many watermarks.".into()));
            }
            Op::Watermark(crate::watermark::parse(&p, g)?)
        }
        other => {
            return Err(ImageError::InvalidArgument(format!(
                "Unknown image action '{other}'."
            )));
        }
    };
    plan.ops.push(op);
    Ok(())
}

fn resize(p: &Params<'_>) -> Result<Resize, ImageError> {
    let mode = match p.get("m").unwrap_or("lfit") {
        "lfit" => Mode::Lfit,
        "mfit" => Mode::Mfit,
        "fill" => Mode::Fill,
        "pad" => Mode::Pad,
        "fixed" => Mode::Fixed,
        v => {
            return Err(ImageError::bad_value(
                "resize",
                "m",
                v,
                "lfit, mfit, fill, pad or fixed",
            ));
        }
    };
    let r = Resize {
        mode,
        w: p.uint("w", 1, MAX_DIM)?,
        h: p.uint("h", 1, MAX_DIM)?,
        l: p.uint("l", 1, MAX_DIM)?,
        s: p.uint("s", 1, MAX_DIM)?,
        p: p.uint("p", 1, 1000)?,
        limit: p.flag("limit")?.unwrap_or(true),
        color: p.color("color")?.unwrap_or([255, 255, 255]),
    };
    let sized = r.w.is_some() || r.h.is_some() || r.l.is_some() || r.s.is_some();
    match (sized, r.p) {
        (false, None) => Err(ImageError::MissingArgument(
            "'resize' needs one of w, h, l, s or p.".into(),
        )),
        (true, Some(_)) => Err(ImageError::InvalidArgument(
            "'resize' parameter 'p' cannot be combined with w, h, l or s.".into(),
        )),
        _ => Ok(r),
    }
}

fn crop(p: &Params<'_>) -> Result<Crop, ImageError> {
    Ok(Crop {
        x: p.uint("x", 0, u32::MAX)?.unwrap_or(0),
        y: p.uint("y", 0, u32::MAX)?.unwrap_or(0),
        w: p.uint("w", 1, u32::MAX)?,
        h: p.uint("h", 1, u32::MAX)?,
        gravity: gravity(p, "crop", "nw")?,
    })
}

/// The `g` parameter of `action` (nine cells), `default` when absent.
fn gravity(p: &Params<'_>, action: &str, default: &str) -> Result<Gravity, ImageError> {
    let cell = match p.get("g").unwrap_or(default) {
        "nw" => (0, 0),
        "north" => (1, 0),
        "ne" => (2, 0),
        "west" => (0, 1),
        "center" => (1, 1),
        "east" => (2, 1),
        "sw" => (0, 2),
        "south" => (1, 2),
        "se" => (2, 2),
        v => {
            return Err(ImageError::bad_value(
                action,
                "g",
                v,
                "nw, north, ne, west, center, east, sw, south or se",
            ));
        }
    };
    Ok(Gravity {
        col: cell.0,
        row: cell.1,
    })
}

fn indexcrop(p: &Params<'_>) -> Result<Op, ImageError> {
    let index = p.uint("i", 0, u32::MAX)?.unwrap_or(0);
    let (axis, len) = match (p.uint("x", 1, u32::MAX)?, p.uint("y", 1, u32::MAX)?) {
        (_, Some(y)) => (Axis::Y, y),
        (Some(x), None) => (Axis::X, x),
        (None, None) => {
            return Err(ImageError::MissingArgument(
                "'indexcrop' needs x or y.".into(),
            ));
        }
    };
    Ok(Op::IndexCrop { axis, len, index })
}

fn format(v: &str) -> Result<Format, ImageError> {
    Ok(match v {
        "jpg" | "jpeg" => Format::Jpg,
        "png" => Format::Png,
        "webp" => Format::Webp,
        "bmp" => Format::Bmp,
        "gif" => Format::Gif,
        "tiff" => Format::Tiff,
        _ => {
            return Err(ImageError::bad_value(
                "format",
                "value",
                v,
                "jpg, png, webp, bmp, gif or tiff",
            ));
        }
    })
}
