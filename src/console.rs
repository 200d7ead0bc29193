//! Writing to the terminal without panicking: `println!` and `eprintln!` panic when the stream
//! is closed or full (`tongxin check | head`, `> /dev/full`); these helpers report or ignore it.

use std::fmt;
use std::io::{self, Write};

/// Writes one line to the locked standard output and flushes it, so a full disk or a closed
/// pipe is reported here and not lost at exit.
pub fn out_line(line: fmt::Arguments) -> io::Result<()> {
    let mut out = io::stdout().lock();
    writeln!(out, "{line}")?;
    out.flush()
}

/// Writes one line to the locked standard error. Errors are ignored: there is nowhere left to
/// report them, and a message that cannot be shown must not stop the command.
pub fn err_line(line: fmt::Arguments) {
    let mut err = io::stderr().lock();
    let _ = writeln!(err, "{line}");
}

/// `eprintln!` that never panics: one line to standard error, errors ignored.
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::console::err_line(format_args!($($arg)*))
    };
}
pub(crate) use errln;

/// `println!` that returns the write's result instead of panicking.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::console::out_line(format_args!($($arg)*))
    };
}
pub(crate) use outln;

/// How many of `check`'s findings `build` and `serve` print before the count of the rest.
const FINDINGS_SHOWN: usize = 5;

/// SPEC: `build` and `serve` report what `check` would find, to standard error, as warnings:
/// the first few (errors first) and a count of the rest.
pub fn print_findings(findings: &[crate::error::Diagnostic]) {
    let mut shown: Vec<&crate::error::Diagnostic> = findings.iter().collect();
    shown.sort_by_key(|d| !d.is_error());
    for d in shown.iter().take(FINDINGS_SHOWN) {
        let mut w = (*d).clone();
        w.level = crate::error::Level::Warning;
        errln!("{w}");
    }
    let rest = findings.len().saturating_sub(FINDINGS_SHOWN);
    if rest > 0 {
        errln!("另有 {rest} 个问题，运行 tongxin check 查看");
    }
}

/// With `TONGXIN_TRACE` set, prints how long the process has run at each stage of a build or
/// an update, and where the system says (Linux) the CPU time it has used on all cores (user +
/// system, in steps of 10 ms: steadier than wall time on a busy machine) and its peak memory
/// so far, to standard error (for benchmarks).
pub fn trace(stage: &str) {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    let start = *START.get_or_init(std::time::Instant::now);
    if std::env::var_os("TONGXIN_TRACE").is_some() {
        let peak = std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
                let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
                Some(format!("  peak {} MiB", kib / 1024))
            })
            .unwrap_or_default();
        let cpu = std::fs::read_to_string("/proc/self/stat")
            .ok()
            .and_then(|s| {
                // After the command's name in parentheses: fields 3…; utime and stime are 14, 15.
                let fields: Vec<&str> = s.rsplit(')').next()?.split_whitespace().collect();
                let ticks = |i: usize| fields.get(i)?.parse::<u64>().ok();
                Some(format!("  cpu {:>6} ms", (ticks(11)? + ticks(12)?) * 10))
            })
            .unwrap_or_default();
        err_line(format_args!(
            "[trace] {:>8.1} ms{cpu}  {stage}{peak}",
            start.elapsed().as_secs_f64() * 1000.0
        ));
    }
}
