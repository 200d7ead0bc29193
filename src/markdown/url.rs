//! Which URLs an author may publish (SPEC `unsafe-url`): http, https, mailto, tel and relative
//! ones. Everything else — `javascript:`, `vbscript:`, `data:` … — could run code in a reader's
//! browser and is dropped from the output.

/// Schemes a published link or image may use.
pub const ALLOWED_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// True when `url` is relative or uses one of [`ALLOWED_SCHEMES`].
///
/// The URL is judged as a browser would read it, only stricter: HTML character references are
/// decoded (`&#106;avascript:`, `javascript&colon;`), every control character and whitespace is
/// removed (browsers drop tabs and newlines anywhere), and the scheme is compared in lowercase.
pub fn is_safe(url: &str) -> bool {
    match scheme(url) {
        None => true,
        Some(s) => ALLOWED_SCHEMES.contains(&s.as_str()),
    }
}

/// The URL's scheme in lowercase (`javascript`), or `None` for a relative URL.
pub fn scheme(url: &str) -> Option<String> {
    let cleaned: String = decode_references(url)
        .chars()
        .filter(|c| !c.is_control() && !c.is_whitespace() && !is_invisible(*c))
        .collect();
    let (scheme, _) = cleaned.split_once(':')?;
    let mut chars = scheme.chars();
    let starts_with_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let scheme_chars = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    (starts_with_letter && scheme_chars).then(|| scheme.to_ascii_lowercase())
}

/// A URL as written in a page at `page_path` (`/news/a/`), made site-absolute (`/news/b/`)
/// when it is relative; URLs with a scheme, site-absolute and protocol-relative ones are
/// returned as they are. `#x` alone becomes `page_path#x`.
pub fn resolve_against(page_path: &str, url: &str) -> String {
    if url.starts_with('/') || scheme(url).is_some() {
        return url.to_string();
    }
    let split = url.find(['?', '#']).unwrap_or(url.len());
    let (path, rest) = url.split_at(split);
    if path.is_empty() {
        return format!("{page_path}{rest}");
    }
    format!("{}{rest}", resolve_path(page_path, path))
}

/// Where a site-internal link leads, as a percent-decoded URL path under the site (`/news/x/`,
/// `/files/报名表.docx`), without `?query` or `#fragment` and without the base path
/// (`base_path` is `/sub` or empty; a link may already carry it). An empty path is the page's
/// own (`page_path`); a relative one is resolved against it.
pub fn site_path(page_path: &str, base_path: &str, dest: &str) -> String {
    let path_part = dest.split(['#', '?']).next().unwrap_or("");
    let url_path = if path_part.is_empty() {
        page_path.to_string()
    } else if let Some(abs) = path_part.strip_prefix('/') {
        let abs = format!("/{abs}");
        match abs
            .strip_prefix(base_path)
            .filter(|r| !base_path.is_empty() && r.starts_with('/'))
        {
            Some(rest) => rest.to_string(),
            None => abs,
        }
    } else {
        resolve_path(page_path, path_part)
    };
    crate::fs::percent_decode(&url_path).unwrap_or(url_path)
}

/// Resolves a relative URL path against a page's folder, `..` and `.` included.
pub fn resolve_path(page_path: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = page_path.split('/').filter(|p| !p.is_empty()).collect();
    let trailing = rel.ends_with('/') || rel.is_empty();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut out = format!("/{}", parts.join("/"));
    if trailing && out != "/" {
        out.push('/');
    }
    out
}

/// Zero-width and other format characters, which some browsers and editors drop.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}')
}

/// Decodes numeric character references (`&#106;`, `&#x6A;`, with or without `;`) and the named
/// ones that can hide a scheme (`&colon;`, `&Tab;`, `&NewLine;`). Text in Markdown and raw HTML
/// is decoded completely by its parser; this covers values from front matter and config.
fn decode_references(s: &str) -> String {
    const NAMED: [(&str, char); 4] = [
        ("colon;", ':'),
        ("tab;", '\t'),
        ("newline;", '\n'),
        ("nbsp;", ' '),
    ];
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at + 1..];
        if let Some((c, used)) = numeric_reference(rest) {
            out.push(c);
            rest = &rest[used..];
            continue;
        }
        let lower = rest.get(..8).unwrap_or(rest).to_ascii_lowercase();
        match NAMED.iter().find(|(name, _)| lower.starts_with(name)) {
            Some((name, c)) => {
                out.push(*c);
                rest = &rest[name.len()..];
            }
            None => out.push('&'),
        }
    }
    out.push_str(rest);
    out
}

/// `#106;` or `#x6A` at the start of `s`: the character and the bytes it took.
fn numeric_reference(s: &str) -> Option<(char, usize)> {
    let digits = s.strip_prefix('#')?;
    let (radix, digits, prefix) = match digits.strip_prefix(['x', 'X']) {
        Some(hex) => (16, hex, 2),
        None => (10, digits, 1),
    };
    let len = digits
        .bytes()
        .take_while(|b| (*b as char).is_digit(radix))
        .count();
    if len == 0 {
        return None;
    }
    let value = u32::from_str_radix(&digits[..len.min(8)], radix).ok()?;
    let c = char::from_u32(value).unwrap_or('\u{FFFD}');
    let semicolon = usize::from(digits[len..].starts_with(';'));
    Some((c, prefix + len + semicolon))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowed_schemes_and_relative_urls_pass() {
        for url in [
            "https://www.cppcc.gov.cn/",
            "HTTP://x.cn",
            "mailto:zxb@example.cn",
            "tel:0000-00000000",
            "/news/",
            "../diao-yan/",
            "#hui-yi",
            "?q=1",
            "images/a.png",
            "1javascript:x",
            "/path:with:colons",
            "",
        ] {
            assert!(is_safe(url), "{url}");
        }
    }

    #[test]
    fn script_schemes_are_caught_however_written() {
        for url in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "\u{1}javascript:alert(1)",
            "jav\tascript:alert(1)",
            "jav&#9;ascript:alert(1)",
            "&#106;avascript:alert(1)",
            "&#x6A;avascript:alert(1)",
            "&#0000106avascript:alert(1)",
            "jav&#x61;script:alert(1)",
            "javascript&colon;alert(1)",
            "java\u{200B}script:alert(1)",
            "vbscript:msgbox(1)",
            "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
            "file:///etc/passwd",
        ] {
            assert!(!is_safe(url), "{url:?}");
        }
    }

    #[test]
    fn relative_urls_resolve_against_the_page() {
        let page = "/news/yaowen/a/";
        assert_eq!(
            resolve_against(page, "../diao-yan/"),
            "/news/yaowen/diao-yan/"
        );
        assert_eq!(
            resolve_against(page, "img.png?x=1#t"),
            "/news/yaowen/a/img.png?x=1#t"
        );
        assert_eq!(resolve_against(page, "#fn-1"), "/news/yaowen/a/#fn-1");
        assert_eq!(resolve_against(page, "../../../../"), "/");
        for kept in ["/news/", "https://x.cn/a", "mailto:a@b.cn", "//cdn.x/a"] {
            assert_eq!(resolve_against(page, kept), kept);
        }
    }

    #[test]
    fn broken_references_do_not_panic() {
        for s in [
            "&",
            "&#",
            "&#x",
            "&#99999999999;",
            "&#xD800;",
            "&colo",
            "&#1",
        ] {
            let _ = is_safe(s);
        }
    }
}
