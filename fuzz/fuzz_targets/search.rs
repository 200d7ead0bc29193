#![no_main]
//! Fuzz target: see `tongxin::fuzzing::search`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| tongxin::fuzzing::search(data));
