//! Integration tests: fixture sites under `tests/fixtures/` built through the real binary.

mod support;

mod atomic;
mod attachments;
mod build_output;
mod check;
mod content_model;
mod correct_output;
mod deploy_output;
mod dictionary;
mod editor;
mod errors;
mod external;
mod feeds;
mod fuzz_replay;
mod golden;
mod guide;
mod identity;
mod images;
mod incremental;
mod inspection;
mod pipes;
mod portal;
mod proposals;
mod report;
mod robustness;
mod safe_output;
mod sample_site;
mod scaffold;
mod serve;
mod slips;
mod staff_slips;
mod xss;
