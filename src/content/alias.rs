//! Old URLs of a page (`aliases = ["/old/path.html", "/old/dir/"]` in front matter, or a row of
//! `redirects.csv`): where each one's redirect page is written, and the page itself.

use percent_encoding::percent_decode_str;

use crate::config::BaseUrl;

/// One old URL of a page, checked: its site path (percent-decoded, as nginx's `$uri` holds it)
/// and the output file that answers it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Alias {
    /// `/old/path.html`, `/old/dir/`: a path under `base_url`'s path.
    pub url: String,
    /// `old/path.html`, `old/dir/index.html`.
    pub out: String,
}

/// Characters an old URL may not hold: a query or fragment (a static file cannot answer
/// them), spaces, and what an nginx configuration would read as syntax.
const REFUSED: &[char] = &['?', '#', '"', '\'', '\\', '$', '{', '}', ';', '<', '>', '`'];

/// Checks an old URL as written and gives where it is published, or why it cannot be (in
/// Chinese, for a diagnostic). A path ending in `/` or whose last part has no extension is a
/// folder (`index.html` inside).
pub fn parse(written: &str) -> Result<Alias, String> {
    let written = written.trim();
    if !written.starts_with('/') || written.starts_with("//") {
        return Err(format!(
            "旧网址 `{written}` 应以 / 开头，写站内路径，如 /old/page.html"
        ));
    }
    if let Some(c) = written
        .chars()
        .find(|c| REFUSED.contains(c) || c.is_whitespace() || c.is_control())
    {
        return Err(format!("旧网址 `{written}` 含有不能用的字符 `{c}`"));
    }
    let url = percent_decode_str(written)
        .decode_utf8()
        .map_err(|_| format!("旧网址 `{written}` 的百分号编码不是 UTF-8"))?
        .into_owned();
    let inner = url.trim_start_matches('/');
    let dir = inner.is_empty() || inner.ends_with('/');
    let parts: Vec<&str> = inner.trim_end_matches('/').split('/').collect();
    if url == "/" {
        return Err("旧网址不能是网站首页 /".to_string());
    }
    if parts
        .iter()
        .any(|p| p.is_empty() || *p == "." || *p == "..")
        || url.chars().any(|c| REFUSED.contains(&c) || c.is_control())
    {
        return Err(format!("旧网址 `{written}` 含有空的、`.` 或 `..` 路径段"));
    }
    let last = parts.last().copied().unwrap_or("");
    let out = if dir {
        format!("{inner}index.html")
    } else if last.contains('.') {
        inner.to_string()
    } else {
        format!("{inner}/index.html")
    };
    Ok(Alias { url, out })
}

/// The redirect page written at an old URL: a refresh to the page's full URL, its canonical
/// link, and a visible link for browsers that do not follow the refresh.
pub fn redirect_page(to: &str, title: &str) -> String {
    let to = html_escape(to);
    let title = html_escape(title);
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>页面已迁移：{title}</title>\n<link rel=\"canonical\" href=\"{to}\">\n\
         <meta name=\"robots\" content=\"noindex\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={to}\">\n</head>\n<body>\n\
         <p>本页已迁移到新网址：<a href=\"{to}\">{title}</a></p>\n</body>\n</html>\n"
    )
}

/// One old URL and the new URL it answers with a 301.
pub struct MapEntry<'a> {
    pub alias: &'a Alias,
    /// The page's site path.
    pub to: &'a str,
}

/// The nginx `map` from old URLs (under `base`'s path, as `$uri` holds them) to new full URLs
/// for real 301 redirects; a folder alias answers with and without its last `/`.
pub fn nginx_map(base: &BaseUrl, entries: &[MapEntry]) -> String {
    let mut lines = std::collections::BTreeMap::new();
    for e in entries {
        let from = base.href(&e.alias.url);
        let to = base.absolute(e.to);
        if from.len() > 1
            && let Some(bare) = from.strip_suffix('/')
        {
            lines.entry(bare.to_string()).or_insert_with(|| to.clone());
        }
        lines.insert(from, to);
    }
    let mut out = String::from(concat!(
        "# 由 tongxin build 生成：旧网址 → 新网址（301 跳转）。不要发布本文件；\n",
        "# 在 nginx 的 http {} 中 include 它，见 docs/deploy/nginx.conf。\n",
        "map $uri $tongxin_redirect {\n    default \"\";\n",
    ));
    for (from, to) in lines {
        out.push_str(&format!("    \"{from}\" \"{}\";\n", to.replace('"', "%22")));
    }
    out.push_str("}\n");
    out
}

/// The file an office moving from another CMS lists its old URLs in, at the site root:
/// `旧网址,新页面` per line, the new page as its file (`content/news/a.md`) or its URL
/// (`/news/yaowen/a/`).
pub const REDIRECTS_CSV: &str = "redirects.csv";

/// One row of [`REDIRECTS_CSV`]: an old URL, the page it now is, and the row's line.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Imported {
    pub alias: Alias,
    /// `content/news/a.md` or `/news/yaowen/a/`, as written.
    pub page: String,
    pub line: usize,
}

/// Reads [`REDIRECTS_CSV`]'s text: blank lines and `#` comments are skipped, and so is a first
/// row whose old URL does not start with `/` (a header such as `旧网址,新页面`). Fields may be
/// quoted with `"`. Bad rows are errors at their line.
pub fn parse_csv(text: &str) -> (Vec<Imported>, Vec<crate::error::Diagnostic>) {
    use crate::error::{Code, Diagnostic};
    let mut rows = Vec::new();
    let mut diags = Vec::new();
    let mut first = true;
    for (i, raw) in text.trim_start_matches('\u{feff}').lines().enumerate() {
        let line = i + 1;
        let row = raw.trim();
        if row.is_empty() || row.starts_with('#') {
            continue;
        }
        let fields: Vec<String> = csv_fields(row);
        let header = first && !fields[0].starts_with('/');
        first = false;
        if header {
            continue;
        }
        let bad = |msg: String| {
            Diagnostic::error(Code::Field, REDIRECTS_CSV, msg)
                .at(line, 1)
                .hint("每行写：旧网址,新页面，如 /old/a.html,content/news/yaowen/a.md")
        };
        let [old, page] = fields.as_slice() else {
            diags.push(bad(format!(
                "应有两列（旧网址,新页面），这一行有 {} 列",
                fields.len()
            )));
            continue;
        };
        match parse(old) {
            Ok(alias) => rows.push(Imported {
                alias,
                page: page.trim().to_string(),
                line,
            }),
            Err(why) => diags.push(bad(why)),
        }
    }
    (rows, diags)
}

/// A CSV row's fields, split at commas outside `"…"` (`""` inside quotes is one `"`).
fn csv_fields(row: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    let mut chars = row.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                fields.last_mut().unwrap().push('"');
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(String::new()),
            _ => fields.last_mut().unwrap().push(c),
        }
    }
    fields.into_iter().map(|f| f.trim().to_string()).collect()
}

/// The page a row of [`REDIRECTS_CSV`] names: by its file or by its URL.
pub fn imported_page(site: &super::Site, row: &Imported) -> Option<super::PageId> {
    if row.page.starts_with('/') {
        let want = row.page.as_str();
        let with_slash = format!("{}/", want.trim_end_matches('/'));
        site.pages
            .iter()
            .position(|p| p.path == want || p.path == with_slash)
            .map(super::PageId::new)
    } else {
        site.page_id(&row.page)
    }
}

/// Rows of [`REDIRECTS_CSV`] naming no page of the site: errors at their line.
pub fn unknown_pages(site: &super::Site, rows: &[Imported]) -> Vec<crate::error::Diagnostic> {
    use crate::error::{Code, Diagnostic};
    rows.iter()
        .filter(|r| imported_page(site, r).is_none())
        .map(|r| {
            Diagnostic::error(
                Code::Field,
                REDIRECTS_CSV,
                format!("找不到新页面 `{}`", r.page),
            )
            .at(r.line, 1)
            .hint("写页面文件（content/news/yaowen/a.md）或它的网址（/news/yaowen/a/）；草稿和未到发布日期的页面不算")
        })
        .collect()
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_urls_become_files_or_folders() {
        let a = parse("/old/path.html").unwrap();
        assert_eq!(
            (a.url.as_str(), a.out.as_str()),
            ("/old/path.html", "old/path.html")
        );
        let a = parse("/old/dir/").unwrap();
        assert_eq!(a.out, "old/dir/index.html");
        assert_eq!(parse("/old/dir").unwrap().out, "old/dir/index.html");
        let a = parse("/%E6%97%A7/a.htm").unwrap();
        assert_eq!((a.url.as_str(), a.out.as_str()), ("/旧/a.htm", "旧/a.htm"));
    }

    #[test]
    fn unsafe_or_unservable_old_urls_are_refused() {
        for bad in [
            "old.html",
            "//evil.example/x",
            "/",
            "/a/../b.html",
            "/a/%2E%2E/b.html",
            "/a//b.html",
            "/show.asp?id=3",
            "/a b.html",
            "/a\";evil.html",
            "/%FF.html",
            "/a/%0A.html",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn csv_rows_are_read_with_their_lines() {
        let text = "旧网址,新页面\n\n# 2019 年的旧站\n/old/a.html,content/news/a.md\n\
                    \"/old/b,c.html\", /news/b/ \n/old/c.html\n/../x.html,content/x.md\n";
        let (rows, diags) = parse_csv(text);
        let got: Vec<(&str, &str, usize)> = rows
            .iter()
            .map(|r| (r.alias.url.as_str(), r.page.as_str(), r.line))
            .collect();
        assert_eq!(
            got,
            [
                ("/old/a.html", "content/news/a.md", 4),
                ("/old/b,c.html", "/news/b/", 5)
            ]
        );
        let lines: Vec<usize> = diags.iter().map(|d| d.line).collect();
        assert_eq!(lines, [6, 7]);
        assert!(diags[0].message.contains("两列"), "{}", diags[0].message);
    }

    #[test]
    fn the_map_is_under_the_base_path_with_full_new_urls() {
        let base = BaseUrl::try_from("https://www.example.gov.cn/zx/".to_string()).unwrap();
        let file = parse("/old/a.html").unwrap();
        let dir = parse("/old/d/").unwrap();
        let map = nginx_map(
            &base,
            &[
                MapEntry {
                    alias: &file,
                    to: "/news/a/",
                },
                MapEntry {
                    alias: &dir,
                    to: "/news/b/",
                },
            ],
        );
        assert!(
            map.contains("    \"/zx/old/a.html\" \"https://www.example.gov.cn/zx/news/a/\";\n")
        );
        assert!(map.contains("    \"/zx/old/d/\" \"https://www.example.gov.cn/zx/news/b/\";\n"));
        assert!(map.contains("    \"/zx/old/d\" \"https://www.example.gov.cn/zx/news/b/\";\n"));
        let page = redirect_page("https://x/a/?q=1&b=<", "政协<会议>");
        assert!(page.contains("url=https://x/a/?q=1&amp;b=&lt;\""));
        assert!(page.contains(">政协&lt;会议&gt;</a>"));
    }
}
