#![no_main]
//! cargo-fuzz target `frontmatter`: see `fuzz/harness.rs` for the input layout.

#[allow(dead_code)]
#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::frontmatter(data));
