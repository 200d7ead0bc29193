//! CPU time of building the search index alone, for profiling its changes on a busy machine.
//!
//! ```sh
//! cargo run --release --example index_time -- SITE_DIR [ROUNDS]
//! ```
//!
//! Loads SITE_DIR (`--today 2026-11-20`), renders every page's text once, then builds the index
//! ROUNDS times (default 5) into nothing and prints, per round, the process's CPU seconds (user
//! + system, from `/proc/self/stat`, in clock ticks of 10 ms) and the wall seconds.

use std::path::PathBuf;
use std::time::Instant;

#[path = "common/search_site.rs"]
mod search_site;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = PathBuf::from(args.first().expect("SITE_DIR"));
    let rounds: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(5);
    let site = search_site::SearchSite::load(&root);
    let docs = site.documents();
    for round in 1..=rounds {
        let (cpu, wall) = (cpu_seconds(), Instant::now());
        let bytes = std::sync::atomic::AtomicUsize::new(0);
        let stats = tongxin::search::build::<()>(&docs, &|_, b| {
            bytes.fetch_add(b.len(), std::sync::atomic::Ordering::Relaxed);
            Ok(())
        })
        .expect("index");
        println!(
            "round {round}: cpu {:.2} s, wall {:.2} s, {} files, {} bytes",
            cpu_seconds() - cpu,
            wall.elapsed().as_secs_f64(),
            stats.files,
            bytes.into_inner()
        );
    }
}

/// User + system seconds of this process so far.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // Fields 14 and 15 of the file (utime, stime); `after` starts at field 3.
    (ticks(11) + ticks(12)) / 100.0
}
