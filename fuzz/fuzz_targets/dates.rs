#![no_main]
//! Fuzz target: see `tongxin::fuzzing::dates`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| tongxin::fuzzing::dates(data));
