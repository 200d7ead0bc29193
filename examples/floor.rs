//! The floor a static site generator cannot beat: read every Markdown file under
//! `ROOT/content`, drop its front matter, render the body with pulldown-cmark and write one
//! `index.html` per page under `OUT`, on all cores. No templates, no links, no lists, no
//! feeds, no search, no checks. `docs/performance.md` measures `tongxin build` against it.
//!
//! ```sh
//! cargo build --release --example floor
//! target/release/examples/floor ROOT OUT
//! ```
//!
//! Exit status 2 on a usage error, 1 on an I/O error.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [root, out] = args.as_slice() else {
        eprintln!("用法：floor ROOT OUT");
        std::process::exit(2);
    };
    let content = Path::new(root).join("content");
    let mut files = Vec::new();
    if let Err(e) = markdown_files(&content, &mut files) {
        eprintln!("{}: {e}", content.display());
        std::process::exit(1);
    }
    let out = Path::new(out);
    let written = files
        .par_iter()
        .map(|file| page(&content, file, out))
        .collect::<std::io::Result<Vec<()>>>();
    match written {
        Ok(pages) => println!("{} pages → {}", pages.len(), out.display()),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}

/// Every `.md` file under `dir`, depth first.
fn markdown_files(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            markdown_files(&path, files)?;
        } else if path.extension().is_some_and(|e| e == "md") {
            files.push(path);
        }
    }
    Ok(())
}

/// Renders one file into `OUT/<its path without .md>/index.html`.
fn page(content: &Path, file: &Path, out: &Path) -> std::io::Result<()> {
    let text = std::fs::read_to_string(file)?;
    let body = without_front_matter(&text);
    let mut html = String::with_capacity(body.len() * 3 / 2 + 64);
    html.push_str("<!DOCTYPE html><meta charset=\"utf-8\">\n");
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(body));
    let rel = file
        .strip_prefix(content)
        .unwrap_or(file)
        .with_extension("");
    let dir = out.join(rel);
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join("index.html"), html)
}

/// The text after a `+++` or `---` front matter block, or all of it.
fn without_front_matter(text: &str) -> &str {
    for fence in ["+++", "---"] {
        if let Some(rest) = text.strip_prefix(fence) {
            let close = format!("\n{fence}");
            if let Some(end) = rest.find(&close) {
                return &rest[end + close.len()..];
            }
        }
    }
    text
}
