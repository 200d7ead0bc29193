//! What `import` says about a document beyond the page it writes (a title or date it had to
//! guess, images it could not take), and small features read from hand-made documents. The
//! documents are made here with the `zip` crate, so these tests always run.

use std::path::Path;

use super::errors::{input, minimal_docx};
use super::{TODAY, import, sample_site, stderr, stdout};

type Case = (&'static str, fn());

pub const ALL: &[Case] = &[(
    "superscript_and_subscript_are_sup_and_sub",
    superscript_and_subscript_are_sup_and_sub,
)];

/// `word/document.xml` with `body` (paragraph XML) inside `w:body`.
fn document(body: &str) -> String {
    format!(
        "<w:document xmlns:w=\"w\" xmlns:wp=\"wp\" xmlns:a=\"a\" xmlns:pic=\"pic\" xmlns:r=\"r\">\
         <w:body>{body}</w:body></w:document>"
    )
}

/// A paragraph of plain runs, each `(text, run properties)`.
fn para(runs: &[(&str, &str)]) -> String {
    let runs: String = runs
        .iter()
        .map(|(t, pr)| format!("<w:r><w:rPr>{pr}</w:rPr><w:t xml:space=\"preserve\">{t}</w:t></w:r>"))
        .collect();
    format!("<w:p>{runs}</w:p>")
}

/// Paragraphs of plain text.
fn paras(texts: &[&str]) -> String {
    texts.iter().map(|t| para(&[(t, "")])).collect()
}

/// What one import of `parts` (as `name`) into a fresh site gave: stdout, stderr, the page.
struct Run {
    stdout: String,
    stderr: String,
    page: String,
    markdown: String,
}

fn run(name: &str, parts: &[(&str, &str)]) -> Run {
    let site = sample_site(&format!("notice-{name}"));
    let file = input(name, &minimal_docx(parts));
    run_in(&site, &file)
}

fn run_in(site: &Path, file: &Path) -> Run {
    let out = import(site, file, Some("news/yaowen"));
    assert!(out.status.success(), "{}", stderr(&out));
    let page = stdout(&out).lines().next().unwrap().to_string();
    Run {
        markdown: std::fs::read_to_string(site.join(&page)).unwrap(),
        stdout: stdout(&out),
        stderr: stderr(&out),
        page,
    }
}

fn has(hay: &str, needle: &str) {
    assert!(hay.contains(needle), "expected {needle:?} in:\n{hay}");
}

fn superscript_and_subscript_are_sup_and_sub() {
    let body = paras(&["区政协委员视察污水处理厂"]).to_string()
        + &para(&[
            ("新建池体面积1200m", ""),
            ("2", "<w:vertAlign w:val=\"superscript\"/>"),
            ("，日处理H", ""),
            ("2", "<w:vertAlign w:val=\"subscript\"/>"),
            ("O两万吨。", ""),
        ]);
    let r = run("sup.docx", &[("word/document.xml", &document(&body))]);
    has(
        &r.markdown,
        "\n新建池体面积1200m<sup>2</sup>，日处理H<sub>2</sub>O两万吨。\n",
    );
    has(&r.stdout, "检查新页面：共 0 个错误，0 个警告");
    let _ = (&r.stderr, &r.page, TODAY);
}
