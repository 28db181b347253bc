//! Export timings (filled in below).
fn main() {}
