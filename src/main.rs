//! The `tongxin` binary: parse the command line, run, print, exit.

fn main() -> std::process::ExitCode {
    tongxin::cli::main()
}
