//! `tongxin import` tests. Documents written by python-docx and the same documents saved by
//! LibreOffice (`tests/fixtures/import/make_docx.py`, run once when the harness starts) are
//! imported into copies of the sample site, which are then built with `--drafts`; each
//! feature is one test per writer. Error cases use files made here and always run.
//!
//! Own harness (libtest-mimic), as the browser tests: where python-docx or LibreOffice is
//! missing, the tests that need them show as `ignored (needs …)`; with `CI` or
//! `TONGXIN_REQUIRE_IMPORT` set they fail instead (`.ci/run` installs both).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Output};
use std::sync::OnceLock;

use libtest_mimic::{Arguments, Completion, Failed, Trial};

mod cases;
mod errors;
mod notices;

const REQUIRE: &str = "TONGXIN_REQUIRE_IMPORT";
/// "Today" for every import: a day after the article's own date, so a date taken from the
/// document and one taken from `--today` differ.
pub const TODAY: &str = "2026-11-25";

/// Who wrote a test document.
#[derive(Clone, Copy, Debug)]
pub enum Writer {
    PythonDocx,
    LibreOffice,
}

impl Writer {
    fn dir(self) -> &'static str {
        match self {
            Writer::PythonDocx => "python-docx",
            Writer::LibreOffice => "libreoffice",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Writer::PythonDocx => "python_docx",
            Writer::LibreOffice => "libreoffice",
        }
    }

    /// Why this writer's documents cannot be made here; `None` when they can.
    fn missing(self) -> Option<String> {
        let python = Command::new("python3")
            .args(["-c", "import docx"])
            .output()
            .is_ok_and(|o| o.status.success());
        if !python {
            return Some("needs python3 with python-docx: pip install python-docx".into());
        }
        let soffice = Command::new("soffice")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        match self {
            Writer::LibreOffice if !soffice => Some(
                "needs LibreOffice: apt-get install --no-install-recommends libreoffice-writer-nogui"
                    .into(),
            ),
            _ => None,
        }
    }

    /// The test document `name` (`article`, `heading`, `findings`) by this writer.
    pub fn doc(self, name: &str) -> PathBuf {
        generated().join(self.dir()).join(format!("{name}.docx"))
    }
}

/// The documents, generated once (by both writers where LibreOffice is there).
pub fn generated() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let out = temp_root().join("docs");
        let mut cmd = Command::new("python3");
        cmd.arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/make_docx.py"))
            .arg(&out);
        if Writer::LibreOffice.missing().is_none() {
            cmd.arg("--libreoffice");
        }
        let started = std::time::Instant::now();
        let done = cmd.output().expect("run make_docx.py");
        assert!(
            done.status.success(),
            "make_docx.py failed: {}",
            String::from_utf8_lossy(&done.stderr)
        );
        eprintln!(
            "import: test documents generated in {} ms",
            started.elapsed().as_millis()
        );
        out
    })
}

/// This harness's temporary folder, removed at the end.
pub fn temp_root() -> PathBuf {
    std::env::temp_dir().join(format!("tongxin-import-{}", std::process::id()))
}

/// A fresh copy of the sample site (this repository's root) named `name`.
pub fn sample_site(name: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = temp_root().join("sites").join(name);
    let _ = std::fs::remove_dir_all(&site);
    for part in ["config.toml", "content", "check", "data", "static"] {
        copy(&root.join(part), &site.join(part));
    }
    site
}

fn copy(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            copy(&e.path(), &to.join(e.file_name()));
        }
    } else if from.is_file() {
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(from, to).unwrap();
    }
}

/// Runs `tongxin ARGS` with `--root site`.
pub fn tongxin(site: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tongxin"))
        .args(args)
        .arg("--root")
        .arg(site)
        .output()
        .expect("run tongxin")
}

/// `tongxin import FILE --section SECTION --today TODAY` in `site`.
pub fn import(site: &Path, file: &Path, section: Option<&str>) -> Output {
    let mut args = vec!["import", file.to_str().unwrap(), "--today", TODAY];
    if let Some(s) = section {
        args.extend(["--section", s]);
    }
    tongxin(site, &args)
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A test that runs `body` when `writer` can make its documents (or always, for `None`).
fn trial(name: String, writer: Option<Writer>, body: Box<dyn Fn() + Send + Sync>) -> Trial {
    Trial::ignorable_test(name, move || {
        if let Some(reason) = writer.and_then(Writer::missing) {
            if std::env::var_os(REQUIRE).is_some() || std::env::var_os("CI").is_some() {
                return Err(Failed::from(format!("{reason} ({REQUIRE} or CI is set)")));
            }
            return Ok(Completion::ignored_with(reason));
        }
        body();
        Ok(Completion::Completed)
    })
}

fn main() -> ExitCode {
    let args = Arguments::from_args();
    let mut trials = Vec::new();
    for writer in [Writer::PythonDocx, Writer::LibreOffice] {
        for (name, test) in cases::ALL {
            let name = format!("{}::{name}", writer.label());
            trials.push(trial(name, Some(writer), Box::new(move || test(writer))));
        }
    }
    for (name, test) in errors::ALL {
        trials.push(trial(format!("errors::{name}"), None, Box::new(test)));
    }
    for (name, test) in notices::ALL {
        trials.push(trial(format!("notices::{name}"), None, Box::new(test)));
    }
    let conclusion = libtest_mimic::run(&args, trials);
    let _ = std::fs::remove_dir_all(temp_root());
    if conclusion.num_ignored > 0 {
        eprintln!(
            "import: {} test(s) IGNORED because python-docx or LibreOffice is missing (see \
             `ignored (needs …)` above); .ci/run installs them, and {REQUIRE}=1 turns that into a failure",
            conclusion.num_ignored
        );
    }
    conclusion.exit_code()
}
