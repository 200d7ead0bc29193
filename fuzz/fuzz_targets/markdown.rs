#![no_main]
//! Fuzz target: see `tongxin::fuzzing::markdown`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| tongxin::fuzzing::markdown(data));
