//! Image processing on download (`x-oss-process=image/...`, docs/protocol/image-processing.md):
//! [`parse`] the request into a [`Plan`], check it against [`Limits`] from the header alone
//! (pixels, and the memory the plan will need: [`job_memory`]), then [`process`] the bytes on the
//! bounded [`Pool`] within a time budget ([`Deadline`]) and a process-wide memory budget
//! ([`MemoryBudget`]). Text watermarks are drawn with fonts bundled in the binary
//! (`fonts/README.md`).
// A `[dependencies]` entry that the non-test build does not use is an error.
#![cfg_attr(not(test), deny(unused_crate_dependencies))]

mod b64;
mod budget;
mod encode;
mod error;
mod exec;
mod font;
mod geometry;
mod limits;
mod memory;
mod params;
mod parse;
mod plan;
mod pool;
mod report;
mod resize;
mod rotate;
mod text;
mod watermark;

pub use b64::decode_base64_text;
pub use budget::Deadline;
pub use encode::DEFAULT_QUALITY;
pub use error::ImageError;
pub use exec::{Output, process, process_until, process_with};
pub use font::{DEFAULT_FONT, FONT_NAMES};
pub use limits::{Limits, Probe};
pub use memory::{DEFAULT_MEMORY_BUDGET, MemoryBudget, MemoryPermit, decoded_bytes, job_memory};
pub use parse::{MAX_ACTIONS, MAX_LEN, parse};
pub use plan::{Axis, Crop, Format, Gravity, Mode, Op, Plan, Report, Resize};
pub use pool::{Pool, QUEUED_PER_WORKER};
pub use text::{MAX_TEXT_CHARS, Text};
pub use watermark::{ImageMark, MAX_WATERMARKS, Marks, Watermark};
