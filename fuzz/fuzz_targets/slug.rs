#![no_main]
//! Fuzz target: see `tongxin::fuzzing::slug`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| tongxin::fuzzing::slug(data));
