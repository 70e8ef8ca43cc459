//! The `ossd` binary.
fn main() {}
