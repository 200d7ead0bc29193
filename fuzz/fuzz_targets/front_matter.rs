#![no_main]
//! Fuzz target: see `tongxin::fuzzing::front_matter`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| tongxin::fuzzing::front_matter(data));
