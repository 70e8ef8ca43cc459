//! Image processing on download (`x-oss-process=image/...`, spec 19): [`parse`] the request
//! into a [`Plan`], check it against [`Limits`] from the header alone, then [`process`] the
//! bytes on the bounded [`Pool`].

mod encode;
mod error;
mod exec;
mod geometry;
mod limits;
mod params;
mod parse;
mod plan;
mod pool;
mod report;
mod resize;
mod rotate;
mod watermark;

pub use encode::DEFAULT_QUALITY;
pub use error::ImageError;
pub use exec::{Output, process, process_with};
pub use limits::{Limits, Probe};
pub use parse::{MAX_ACTIONS, MAX_LEN, parse};
pub use plan::{Axis, Crop, Format, Gravity, Mode, Op, Plan, Report, Resize};
pub use pool::Pool;
pub use watermark::{MAX_WATERMARKS, Marks, Watermark};
