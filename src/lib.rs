//! tongxin (同心): a static site generator for the public website of a CPPCC (政协) committee.
//!
//! The build is a pipeline of plain data — see [`build`] for the recipe:
//! config → source files → front matter → resolved site → rendered outputs → disk or memory.

pub mod assets;
pub mod build;
pub mod check;
pub mod cli;
pub mod config;
pub mod console;
pub mod content;
pub mod dates;
pub mod error;
pub mod feed;
pub mod fs;
#[doc(hidden)]
pub mod fuzzing;
pub mod images;
pub mod import;
pub mod lookalike;
pub mod markdown;
pub mod output;
pub mod paginate;
pub mod paste;
pub mod progress;
pub mod reads;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod sitemap;

pub use build::{BuildOptions, BuildSummary, build, build_in_memory, check};
pub use error::{Diagnostic, Error, Level};
