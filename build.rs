//! Build script: rebuilds the crate when a file of the embedded theme is added, changed or
//! removed. `include_dir!` reads `themes/default/` at compile time, but on stable Rust it cannot
//! tell cargo which files it read, so a new file would otherwise stay out of the binary.

fn main() {
    // A folder here is scanned whole: any file in it newer than the last build reruns this.
    println!("cargo::rerun-if-changed=themes/default");
}
