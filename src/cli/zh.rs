//! The command line in Chinese: help with Chinese headings and defaults, and usage errors
//! (unknown command or option, bad value, missing argument) said in plain Chinese with the
//! suggestion clap found. Levels stay ASCII (`error:`), as in every other message.

use std::fmt::Write as _;

use clap::builder::StyledStr;
use clap::error::{ContextKind, ContextValue, ErrorFormatter, ErrorKind};
use clap::{Arg, ArgAction, Command};

/// Every command's help: what it does, its usage, its arguments and options, its examples.
const TEMPLATE: &str = "{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

/// `cmd` and its subcommands with Chinese help: headings, the help and version flags, defaults
/// written into the help text.
pub fn localized(cmd: Command) -> Command {
    let cmd = cmd
        .help_template(TEMPLATE)
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示帮助"),
        );
    let cmd = if cmd.get_version().is_some() {
        cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本"),
        )
    } else {
        cmd
    };
    cmd.mut_args(localized_arg).mut_subcommands(localized)
}

/// An argument under a Chinese heading, with its default said in Chinese.
fn localized_arg(arg: Arg) -> Arg {
    let heading = if arg.is_positional() {
        "参数"
    } else {
        "选项"
    };
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    let arg = arg.help_heading(heading);
    if defaults.is_empty() || arg.is_hide_default_value_set() {
        return arg;
    }
    let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
    arg.hide_default_value(true)
        .help(format!("{help}（默认：{}）", defaults.join(" ")))
}

/// Clap's English placeholders, in Chinese, wherever clap writes a usage line.
pub fn chinese_usage(text: &str) -> String {
    let mut text = text
        .replace("Usage: ", "用法：")
        .replace("[OPTIONS]", "[选项]")
        .replace("<COMMAND>", "<命令>");
    // Clap ends a heading with an ASCII colon.
    for heading in ["命令", "选项", "参数"] {
        text = text.replace(&format!("\n{heading}:\n"), &format!("\n{heading}：\n"));
    }
    text
}

/// Why a value was refused, in Chinese: our own parsers' reasons as they are, the standard
/// library's number errors translated, any other English dropped (the message still names the
/// option and the value).
fn chinese_reason(reason: &str) -> Option<String> {
    let translated = match reason {
        "invalid digit found in string" => "应为数字",
        "number too large to fit in target type" => "数值太大",
        "number too small to fit in target type" => "数值太小",
        "cannot parse integer from empty string" => "没有写值",
        // Clap's range check: `70000 is not in 0..=65535`.
        _ if reason.contains(" is not in ") => {
            let range = reason.rsplit(" is not in ").next().unwrap_or("");
            let (low, high) = range.split_once("..=")?;
            return Some(format!("应在 {low} 到 {high} 之间"));
        }
        _ if reason.is_ascii() => return None,
        _ => return Some(reason.to_string()),
    };
    Some(translated.to_string())
}

/// Formats usage errors in Chinese.
pub struct Chinese;

impl ErrorFormatter for Chinese {
    fn format_error(error: &clap::error::Error<Self>) -> StyledStr {
        let get = |kind| error.get(kind).map(context_text).unwrap_or_default();
        let reason = std::error::Error::source(error)
            .and_then(|s| chinese_reason(&s.to_string()))
            .map(|s| format!("：{s}"))
            .unwrap_or_default();
        let message = match error.kind() {
            ErrorKind::InvalidSubcommand => {
                format!("没有 `{}` 这个命令", get(ContextKind::InvalidSubcommand))
            }
            ErrorKind::UnknownArgument => {
                format!("没有 `{}` 这个选项", get(ContextKind::InvalidArg))
            }
            ErrorKind::InvalidValue | ErrorKind::ValueValidation => format!(
                "{} 的值 `{}` 无效{reason}",
                get(ContextKind::InvalidArg),
                get(ContextKind::InvalidValue)
            ),
            ErrorKind::MissingRequiredArgument => {
                format!("缺少 {}", get(ContextKind::InvalidArg))
            }
            ErrorKind::ArgumentConflict => format!(
                "{} 不能和 {} 一起使用",
                get(ContextKind::InvalidArg),
                get(ContextKind::PriorArg)
            ),
            ErrorKind::MissingSubcommand => "请在 tongxin 后写一个命令".to_string(),
            _ => format!("命令行有误{reason}"),
        };
        let mut out = String::new();
        let _ = writeln!(out, "error: {message}");
        for kind in [ContextKind::SuggestedSubcommand, ContextKind::SuggestedArg] {
            if let Some(s) = error.get(kind) {
                let _ = writeln!(out, "  提示：是不是要输入 `{}`？", context_text(s));
            }
        }
        if let Some(valid) = error.get(ContextKind::ValidValue) {
            let _ = writeln!(out, "  可用的值：{}", context_text(valid));
        }
        if let Some(ContextValue::StyledStr(usage)) = error.get(ContextKind::Usage) {
            let _ = writeln!(out, "\n{}", chinese_usage(&usage.to_string()).trim_end());
        }
        let _ = writeln!(
            out,
            "\n运行 `tongxin --help` 查看全部命令，`tongxin 命令 --help` 查看一个命令"
        );
        StyledStr::from(out)
    }
}

/// A context value as text, lists joined with 、.
fn context_text(value: &ContextValue) -> String {
    match value {
        ContextValue::String(s) => s.clone(),
        ContextValue::Strings(list) => list.join("、"),
        ContextValue::StyledStr(s) => s.to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn run(args: &[&str]) -> (ErrorKind, String) {
        let cmd = localized(crate::cli::Cli::command());
        let e = cmd
            .try_get_matches_from(args)
            .unwrap_err()
            .apply::<Chinese>();
        (e.kind(), chinese_usage(&e.render().to_string()))
    }

    #[test]
    fn a_mistyped_command_is_named_with_the_suggestion() {
        let (kind, text) = run(&["tongxin", "bulid"]);
        assert_eq!(kind, ErrorKind::InvalidSubcommand);
        assert!(text.contains("error: 没有 `bulid` 这个命令"), "{text}");
        assert!(text.contains("提示：是不是要输入 `build`？"), "{text}");
        assert!(!text.contains("unrecognized"), "{text}");
    }

    #[test]
    fn unknown_options_and_bad_values_are_said_in_chinese() {
        let (_, text) = run(&["tongxin", "build", "--outpt-dir", "x"]);
        assert!(text.contains("没有 `--outpt-dir` 这个选项"), "{text}");
        assert!(text.contains("`--output-dir`"), "{text}");
        assert!(text.contains("用法：tongxin build"), "{text}");
        let (_, text) = run(&["tongxin", "build", "--today", "2024-13-05"]);
        assert!(text.contains("的值 `2024-13-05` 无效"), "{text}");
        assert!(text.contains("日期 `2024-13-05` 不存在"), "{text}");
        let (_, text) = run(&["tongxin", "build", "--today", "2024.3.5"]);
        assert!(text.contains("YYYY-MM-DD"), "{text}");
    }

    #[test]
    fn help_is_chinese_with_defaults_and_examples() {
        let (kind, text) = run(&["tongxin", "serve", "--help"]);
        assert_eq!(kind, ErrorKind::DisplayHelp);
        for part in [
            "用法：tongxin serve [选项]",
            "选项：",
            "显示帮助",
            "（默认：1111）",
            "示例：",
        ] {
            assert!(text.contains(part), "{part}\n{text}");
        }
        for english in ["Usage:", "Options:", "Print help", "[default:"] {
            assert!(!text.contains(english), "{english}\n{text}");
        }
        let (_, text) = run(&["tongxin", "--help"]);
        assert!(
            text.contains("命令：") && text.contains("显示版本"),
            "{text}"
        );
    }
}
