//! The command line: clap definitions, flags → options, printing diagnostics, exit codes.
//!
//! Output goes through [`crate::console`]: a reader that closes the pipe early (`| head`) is a
//! normal end and the command keeps its exit status; any other failure to write standard output
//! (a full disk) is an error, exit 1. Nothing here panics on a closed or full stream.

use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};

use crate::build::{BuildOptions, CheckOptions, OldOutputPolicy, build, check_inspected, today_in};
use crate::config::BaseUrl;
use crate::console::{errln, outln};
use crate::error::{Diagnostic, Error, Level, Result};
use crate::import::{ImportOptions, Imported, import};
use crate::scaffold;

mod zh;

/// 同心 tongxin：为政协门户网站生成静态网站。
#[derive(Debug, Parser)]
#[command(name = "tongxin", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 在“目录”中创建一个可直接构建的新站点
    #[command(
        after_help = "示例：\n  tongxin init 青山区政协网站\n  cd 青山区政协网站 && tongxin build"
    )]
    Init {
        /// 新站点目录（必须不存在或为空）
        #[arg(value_name = "目录")]
        dir: PathBuf,
        #[command(flatten)]
        site: SiteArgs,
        #[command(flatten)]
        today: TodayArg,
    },
    /// 构建站点，输出到 public/（或 --output-dir）
    #[command(
        after_help = "示例：\n  tongxin build\n  tongxin build --output-dir /var/www/html --base-url https://www.qszx.gov.cn/"
    )]
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// 输出目录（默认为站点下的 public/）
        #[arg(long, value_name = "目录")]
        output_dir: Option<PathBuf>,
        /// 替换 config.toml 中的 base_url
        #[arg(long, value_name = "网址", value_parser = parse_base_url)]
        base_url: Option<BaseUrl>,
        /// 同时发布草稿（draft = true）
        #[arg(long)]
        drafts: bool,
        /// 同时发布日期在今天之后的页面
        #[arg(long)]
        future: bool,
        #[command(flatten)]
        today: TodayArg,
    },
    /// 构建并在本机提供网站预览，修改文件后自动重新生成并刷新浏览器
    #[command(after_help = "示例：\n  tongxin serve\n  tongxin serve --port 0 --open")]
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// 端口（0 表示自动选择空闲端口）
        #[arg(long, value_name = "端口", default_value_t = 1111)]
        port: u16,
        /// 监听地址
        #[arg(long, value_name = "地址", default_value = "127.0.0.1")]
        interface: String,
        /// 启动后在浏览器中打开
        #[arg(long)]
        open: bool,
        /// 同时发布草稿（draft = true）
        #[arg(long)]
        drafts: bool,
        /// 允许从其他电脑使用编辑后台（监听非本机地址时；需要在终端设置密码）
        #[arg(long)]
        allow_remote: bool,
        #[command(flatten)]
        today: TodayArg,
    },
    /// 在内存中构建并报告全部问题，不写任何文件
    #[command(
        after_help = "示例：\n  tongxin check\n  tongxin check --format json > 检查结果.json\n  tongxin check --format html --output 检查报告.html"
    )]
    Check {
        #[command(flatten)]
        site: SiteArgs,
        #[command(flatten)]
        report: ReportArgs,
        /// 同时联网检查外部链接（失败、出错或已永久跳转的报告为警告）
        #[arg(long)]
        external: bool,
        #[command(flatten)]
        today: TodayArg,
    },
    /// Deletes a previous output moved aside by a build (run by `build` itself, detached).
    #[command(name = "__remove-old-output", hide = true)]
    RemoveOldOutput { path: PathBuf },
    /// 在“栏目”中新建一篇草稿，填好【】中的内容、删去 draft 一行后发布
    #[command(
        after_help = "示例：\n  tongxin new news/yaowen 区政协召开常委会议\n  tongxin new members 张明 --sector 工商联 --committee 提案委员会"
    )]
    New {
        /// content/ 下的栏目路径，如 news/yaowen
        #[arg(value_name = "栏目")]
        section: String,
        /// 标题（委员页面写姓名）
        #[arg(value_name = "标题")]
        title: String,
        /// 委员的界别（新建委员页面时必填，须是 config.toml 中列出的）
        #[arg(long, value_name = "界别")]
        sector: Option<String>,
        /// 委员所在的专委会（可选）
        #[arg(long, value_name = "专委会")]
        committee: Option<String>,
        #[command(flatten)]
        site: SiteArgs,
        #[command(flatten)]
        today: TodayArg,
    },
    /// 把 Word/WPS 文档（.docx）导入为栏目中的一篇草稿：正文、标题、加粗、列表、表格和图片
    #[command(
        after_help = "示例：\n  tongxin import 稿件.docx --section news/yaowen\n  tongxin import 会议纪要.docx --section news/yaowen --today 2026-11-20\n\n标题取自文档属性中的标题、“标题”样式或第一个标题段落；日期取自“日期：”行，没有时用今天。\n图片保存在页面旁边；旧版 .doc/.wps 文件请先“另存为” .docx。"
    )]
    Import(ImportArgs),
}

/// `tongxin import`'s arguments.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// 要导入的 .docx 文件
    #[arg(value_name = "文件")]
    file: PathBuf,
    /// content/ 下的栏目路径，如 news/yaowen（不写时用第一个新闻栏目）
    #[arg(long, value_name = "栏目")]
    section: Option<String>,
    #[command(flatten)]
    site: SiteArgs,
    #[command(flatten)]
    today: TodayArg,
}

#[derive(Debug, clap::Args)]
pub struct SiteArgs {
    /// 站点根目录
    #[arg(long, value_name = "目录", default_value = ".")]
    pub root: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct TodayArg {
    /// 以此日期（YYYY-MM-DD）作为“今天”
    #[arg(long, value_name = "日期", value_parser = parse_date)]
    pub today: Option<NaiveDate>,
}

/// How `check` reports: the format, and the file to write instead of standard output.
#[derive(Debug, Clone, clap::Args)]
pub struct ReportArgs {
    /// 输出格式：text、json，或 html（可打印的检查报告）
    #[arg(
        long,
        value_name = "格式",
        value_enum,
        default_value_t = Format::Text,
        hide_possible_values = true
    )]
    pub format: Format,
    /// 写入此文件，而不是输出到屏幕
    #[arg(long, value_name = "文件")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    // A printable report in Chinese (`crate::report`). A doc comment here would be printed
    // by `check --help`.
    Html,
}

fn parse_base_url(s: &str) -> std::result::Result<BaseUrl, String> {
    BaseUrl::parse(s)
}

fn parse_date(s: &str) -> std::result::Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| match e.kind() {
        // Written right, but no such day (2026-13-01, 2026-02-30).
        chrono::format::ParseErrorKind::OutOfRange => format!("日期 `{s}` 不存在"),
        _ => format!("`{s}` 不是 YYYY-MM-DD 格式的日期"),
    })
}

/// Today for a command that reads no config (`init`): `--today`, else today in +08:00.
fn today_default(arg: &TodayArg) -> NaiveDate {
    arg.today
        .unwrap_or_else(|| today_in(crate::config::Timezone::default().offset))
}

/// Parses arguments, runs, prints errors, and maps outcomes to SPEC's exit codes.
pub fn main() -> ExitCode {
    use clap::{CommandFactory, FromArgMatches};
    let parsed = zh::localized(Cli::command())
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => return clap_exit(&e.apply::<zh::Chinese>()),
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            errln!("{e}");
            ExitCode::from(1)
        }
    }
}

/// Prints help, the version or a usage error as clap would, with clap's exit code; but help or
/// version that cannot be written (a full disk) is exit 1, as for every command's output.
fn clap_exit(e: &clap::error::Error<zh::Chinese>) -> ExitCode {
    let code = ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
    let text = zh::chinese_usage(&e.render().to_string());
    let printed = if e.use_stderr() {
        errln!("{}", text.trim_end());
        Ok(())
    } else {
        outln!("{}", text.trim_end())
    };
    match printed {
        Err(err) if err.kind() != io::ErrorKind::BrokenPipe => {
            errln!("error: 无法写入标准输出：{err}");
            ExitCode::from(1)
        }
        _ => code,
    }
}

/// Runs one command; `Err` is printed by [`main`] and exits 1.
fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Init {
            dir,
            site,
            today: t,
        } => run_init(&site.root.join(dir), today_default(&t)),
        Command::Build {
            site,
            output_dir,
            base_url,
            drafts,
            future,
            today: t,
        } => run_build(BuildOptions {
            today: t.today,
            root: site.root,
            output_dir,
            base_url,
            drafts,
            future,
            old_output: OldOutputPolicy::Detach,
            progress: std::io::IsTerminal::is_terminal(&std::io::stderr())
                .then(crate::progress::Progress::on_terminal),
        }),
        Command::Check {
            site,
            report,
            external,
            today: t,
        } => run_check(
            &BuildOptions::for_site(&site.root, t.today),
            &CheckOptions {
                external: external.then(crate::check::external::Settings::from_env),
            },
            &report,
        ),
        Command::Serve {
            site,
            port,
            interface,
            open,
            drafts,
            allow_remote,
            today: t,
        } => {
            let mut build = BuildOptions::for_site(&site.root, t.today);
            build.drafts = drafts;
            crate::serve::serve(crate::serve::ServeOptions {
                build,
                interface,
                port,
                open,
                allow_remote,
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::RemoveOldOutput { path } => Ok(match crate::output::remove_old_output(&path) {
            Ok(()) => ExitCode::SUCCESS,
            Err(_) => ExitCode::from(1),
        }),
        Command::New {
            section,
            title,
            sector,
            committee,
            site,
            today: t,
        } => {
            let args = scaffold::NewPage {
                sector,
                committee,
                today: t.today,
            };
            run_new(&site.root, &section, &title, &args)
        }
        Command::Import(args) => run_import(args),
    }
}

/// `tongxin new`: writes the draft, prints its path and what to do with it.
fn run_new(root: &Path, section: &str, title: &str, args: &scaffold::NewPage) -> Result<ExitCode> {
    let path = scaffold::new_page(root, section, title, args)?;
    // `content/…` rather than `./content/…` when the site is the current folder.
    let shown = path.strip_prefix(".").unwrap_or(&path);
    let printed = outln!("{}", shown.display());
    errln!("已新建草稿：填好【】中的内容、删去 draft = true 一行后才会发布");
    finish(ExitCode::SUCCESS, printed)
}

/// `tongxin init`: scaffolds the site in `target` and says what to do next.
fn run_init(target: &Path, today: NaiveDate) -> Result<ExitCode> {
    scaffold::init(target, today)?;
    let printed = outln!("已在 {} 创建新站点", target.display())
        .and_then(|()| outln!("下一步：cd {} && tongxin build", target.display()));
    finish(ExitCode::SUCCESS, printed)
}

/// `tongxin import`: writes the page, prints its path, then `check`'s findings in it and a
/// count line (stdout); notes on the section chosen, a guessed title or date and images
/// skipped go to stderr. Exit 0 once the page is written, whatever `check` finds (the page is
/// a draft).
fn run_import(args: ImportArgs) -> Result<ExitCode> {
    let done = import(&ImportOptions {
        root: args.site.root,
        file: args.file,
        section: args.section,
        today: args.today.today,
    })?;
    if done.section_defaulted {
        errln!("未指定 --section，已导入到栏目 {}", done.section);
    }
    for note in &done.notes {
        errln!("注意：{note}");
    }
    let printed = print_import(&done);
    finish(ExitCode::SUCCESS, printed)
}

fn print_import(done: &Imported) -> io::Result<()> {
    outln!("{}", done.page)?;
    for image in &done.images {
        outln!("{image}")?;
    }
    if let Some(e) = &done.check_failed {
        outln!("无法检查新页面：{e}")?;
    } else {
        for d in &done.findings {
            outln!("{d}")?;
        }
        let count = |l: Level| done.findings.iter().filter(|d| d.level == l).count();
        outln!(
            "检查新页面：共 {} 个错误，{} 个警告",
            count(Level::Error),
            count(Level::Warning)
        )?;
    }
    errln!("已导入为草稿：核对后删去 draft = true 一行才会发布；用 tongxin serve --drafts 预览");
    Ok(())
}

/// `tongxin build`: builds, prints the warnings to stderr and a one-line summary to stdout.
fn run_build(opts: BuildOptions) -> Result<ExitCode> {
    let started = Instant::now();
    let built = build(&opts);
    if let Some(p) = &opts.progress {
        p.finish();
    }
    let summary = built?;
    for w in &summary.warnings {
        errln!("{w}");
    }
    crate::console::print_findings(&summary.findings);
    let printed = outln!(
        "已生成 {} 个页面、{} 个栏目，共 {} 个文件，用时 {} 毫秒 → {}",
        summary.pages,
        summary.sections,
        summary.files,
        started.elapsed().as_millis(),
        opts.output_dir().display()
    );
    finish(ExitCode::SUCCESS, printed)
}

/// `tongxin check`: prints every diagnostic and the inspection view, or writes them to
/// `output`; exit 1 when one is an error.
fn run_check(
    opts: &BuildOptions,
    check_opts: &CheckOptions,
    report: &ReportArgs,
) -> Result<ExitCode> {
    let (format, output) = (report.format, report.output.as_deref());
    let (diags, home) = check_inspected(opts, check_opts)?;
    let code = if diags.iter().any(Diagnostic::is_error) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    if let Some(path) = output {
        let text = check_text(opts, &diags, home.as_ref(), format);
        std::fs::write(path, text).map_err(|e| Error::io(path, "无法写入检查结果", e))?;
        return finish(code, outln!("检查结果已写入 {}", path.display()));
    }
    if format == Format::Html {
        let text = check_text(opts, &diags, home.as_ref(), format);
        return finish(code, outln!("{text}"));
    }
    finish(code, print_check(&diags, home.as_ref(), format))
}

/// `check`'s diagnostics in `format`, as one text (the text format with the inspection view).
fn check_text(
    opts: &BuildOptions,
    diags: &[Diagnostic],
    home: Option<&crate::check::HomeFreshness>,
    format: Format,
) -> String {
    match format {
        Format::Json => serde_json::to_string_pretty(diags).unwrap_or_else(|_| "[]".into()) + "\n",
        Format::Text => {
            let mut text: String = diags.iter().map(|d| format!("{d}\n")).collect();
            if let Some(home) = home {
                let view = crate::check::inspection::Inspection { diags, home };
                text.push_str(view.to_string().trim_end());
                text.push('\n');
            }
            text.push_str(&summary_line(diags));
            text.push('\n');
            text
        }
        Format::Html => crate::report::render(&report_info(opts), diags),
    }
}

/// The site's title, address and 栏目 for the report; a config that cannot be read leaves
/// placeholders (its error is among the diagnostics).
pub(crate) fn report_info(opts: &BuildOptions) -> crate::report::ReportInfo {
    let config = crate::config::Config::load(&opts.root).ok();
    let date = match (opts.today, &config) {
        (Some(d), _) => d,
        (None, Some(c)) => today_in(c.offset()),
        (None, None) => chrono::Local::now().date_naive(),
    };
    let sections = crate::import::sections::list(&opts.root)
        .into_iter()
        .map(|s| (s.path, s.title))
        .collect();
    crate::report::ReportInfo {
        site_title: config
            .as_ref()
            .map_or("（未能读取网站名称）".into(), |c| c.title.clone()),
        base_url: config.map_or(String::new(), |c| c.base_url.origin_and_path),
        date,
        sections,
    }
}

/// `共 N 个错误，M 个警告，K 处豁免`.
fn summary_line(diags: &[Diagnostic]) -> String {
    let count = |l: Level| diags.iter().filter(|d| d.level == l).count();
    format!(
        "共 {} 个错误，{} 个警告，{} 处豁免",
        count(Level::Error),
        count(Level::Warning),
        count(Level::Allowed)
    )
}

/// The exit status of a command that did its work and then printed: `code` when the output was
/// written or its reader closed the pipe (it had read enough), an error for any other failure.
fn finish(code: ExitCode, printed: io::Result<()>) -> Result<ExitCode> {
    match printed {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(Error::refused(
            "stdout",
            format!("无法写入标准输出：{}", crate::error::io_reason(&e)),
        )),
        _ => Ok(code),
    }
}

/// Prints `check`'s diagnostics as text lines, the inspection view (when the site could be
/// checked whole) and the summary line — kept last, where scripts read it; or as one JSON array,
/// the shape SPEC gives, without the view.
fn print_check(
    diags: &[Diagnostic],
    home: Option<&crate::check::HomeFreshness>,
    format: Format,
) -> io::Result<()> {
    match format {
        Format::Json => {
            let json = serde_json::to_string_pretty(diags).unwrap_or_else(|_| "[]".into());
            outln!("{json}")
        }
        Format::Text => {
            for d in diags {
                outln!("{d}")?;
            }
            if let Some(home) = home {
                let view = crate::check::inspection::Inspection { diags, home };
                outln!("{}", view.to_string().trim_end())?;
            }
            outln!("{}", summary_line(diags))
        }
        Format::Html => Ok(()),
    }
}

impl From<Vec<Diagnostic>> for Error {
    fn from(d: Vec<Diagnostic>) -> Self {
        Error::Site(d)
    }
}
