//! The ossd load generator and benchmark.
fn main() {}
