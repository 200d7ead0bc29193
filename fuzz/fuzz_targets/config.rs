#![no_main]
//! Fuzz target: see `tongxin::fuzzing::config`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| tongxin::fuzzing::config(data));
