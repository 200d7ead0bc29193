//! A hostile site shared by the integration and browser tests: links, raw HTML, front-matter
//! and config values that try to run script (`alert(1)`) in a reader's browser.

use std::path::Path;

/// Markdown bodies, one page each. Links and images must lose their URL; raw HTML must lose
/// everything executable in the default (sanitizing) mode.
pub const BODIES: &[&str] = &[
    "[点击](javascript:alert(1))",
    "[点击](&#106;avascript:alert(1))",
    "<javascript:alert(1)>",
    "[点击](vbscript:msgbox(1))",
    "[点击](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[点击][r]\n\n[r]: javascript:alert(1)",
    "[点击](<javascript:alert(1)>)",
    "[点击](JaVaScRiPt:alert(1))",
    "[点击](jav&#x09;ascript:alert(1))",
    "[点击](javascript&colon;alert(1))",
    "![图](javascript:alert(1))",
    "![图](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[点击](\u{1}javascript:alert(1))",
    "[![图](/a.png)](javascript:alert(1))",
    "[点击](javascript:alert(1) \"标题\")",
    "[点击](&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1))",
    "正文[^1]\n\n[^1]: [注](javascript:alert(1))",
    "## [标题](javascript:alert(1))",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\"></iframe>",
    "<a href=\"jav&#x61;script:alert(1)\">x</a>",
    "<a href=\"javascript&colon;alert(1)\">x</a>",
    "<a href=\"jav&#9;ascript:alert(1)\">x</a>",
    "<object data=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\"></object>",
    "<embed src=\"javascript:alert(1)\">",
    "<form action=\"javascript:alert(1)\"><button formaction=\"javascript:alert(1)\">x</button></form>",
    "<svg><animate attributeName=\"href\" to=\"javascript:alert(1)\"/><a><text>x</text></a></svg>",
    "<base href=\"javascript:alert(1)//\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>x</details>",
    "<style>@import 'javascript:alert(1)';</style>",
    "<p style=\"background:url(javascript:alert(1))\">x</p>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    "<a href=\"&#1;javascript:alert(1)\">x</a>",
    "<img src=\"x\" onerror=\"alert(1)\"",
    "<video><source onerror=\"alert(1)\"></video>",
    "<link rel=import href=\"data:text/html,<script>alert(1)</script>\">",
    "<isindex action=javascript:alert(1) type=image>",
    "<input onfocus=alert(1) autofocus>",
    "<marquee onstart=alert(1)>x</marquee>",
    "<a href=\"vbscript:msgbox(1)\">x</a>",
    "<div style=\"width: expression(alert(1))\">x</div>",
    "<xss onafterscriptexecute=alert(1)><script>1</script>",
    "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
    "<img src=\"javascript:alert(1)\">",
    "<table background=\"javascript:alert(1)\"><tr><td>x</td></tr></table>",
    "<textarea><script>alert(1)</script></textarea>",
    "段落<span onclick=\"alert(1)\">点</span>结束",
    "<a href=\" javascript:alert(1)\">x</a>",
    "<scr<script>ipt>alert(1)</script>",
    "<svg onload=alert(1)>",
    "<!--><script>alert(1)</script>-->",
    "<a href=\"#\" onclick=\"alert(1)\">x</a>",
    "<img src=/images/a.png onload=alert(1)>",
    "<select onchange=alert(1)><option>x</option></select>",
    "<template><script>alert(1)</script></template>",
    "<frameset onload=alert(1)>",
];

/// Front-matter values that reach templates, each in a page of its own.
pub const FIELDS: &[&str] = &[
    "title = \"<script>alert(1)</script>\"",
    "title = \"\\\"><img src=x onerror=alert(1)>\"",
    "description = \"\\\"><svg onload=alert(1)>\"",
    "cover = \"javascript:alert(1)\"",
    "cover = \"\\\" onerror=\\\"alert(1)\"",
    "source = \"<svg onload=alert(1)>\"",
    "author = \"</title><script>alert(1)</script>\"",
    "editor = \"<img src=x onerror=alert(1)>\"",
    "[taxonomies]\ntags = [\"<script>alert(1)</script>标签\"]",
];

const CONFIG: &str = r#"title = "<script>alert(1)</script>区政协"
base_url = "https://zx.example.gov.cn"
description = "\"><svg onload=alert(1)>"

[footer]
organizer = "<img src=x onerror=alert(1)>"
icp = "\"><script>alert(1)</script>"
police = "<svg onload=alert(1)>"
address = "</footer><script>alert(1)</script>"
phone = "javascript:alert(1)"

[members]
sectors = ["工商联"]

[taxonomies]
tags = { title = "专题", feed = true }
"#;

/// Writes the hostile site into `root`.
pub fn write_site(root: &Path) {
    let write = |rel: &str, text: &str| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("config.toml", CONFIG);
    write("content/_index.md", "+++\ntitle = \"首页\"\n+++\n");
    write(
        "content/news/_index.md",
        "+++\ntitle = \"新闻\"\nkind = \"news\"\n+++\n",
    );
    for (i, body) in BODIES.iter().enumerate() {
        write(
            &format!("content/news/2026-01-{:02}-body-{i}.md", i % 28 + 1),
            &format!("+++\ntitle = \"正文 {i}\"\n+++\n前文\n\n{body}\n\n后文\n"),
        );
    }
    for (i, field) in FIELDS.iter().enumerate() {
        let title = if field.starts_with("title") {
            String::new()
        } else {
            format!("title = \"字段 {i}\"\n")
        };
        write(
            &format!("content/news/2026-02-{:02}-field-{i}.md", i + 1),
            &format!("+++\n{title}{field}\n+++\n正文。\n"),
        );
    }
    write(
        "content/members/_index.md",
        "+++\ntitle = \"委员\"\nkind = \"members\"\n+++\n",
    );
    write(
        "content/members/li-si.md",
        "+++\ntitle = \"李四\"\nsector = \"工商联\"\nphoto = \"javascript:alert(1)\"\nposition = \"<script>alert(1)</script>\"\n+++\n简介。\n",
    );
}

/// Lets every page of the hostile site hold unsafe URLs (`allow`, one line added after the
/// opening `+++`). `build` refuses to publish an unsafe URL a page does not allow (SPEC); the
/// tests that look at what the build makes of the payloads call this first.
pub fn allow_unsafe_urls(root: &Path) {
    const ALLOW: &str = "+++\nallow = [{ rule = \"unsafe-url\", reason = \"安全测试\" }]\n";
    for dir in ["content/news", "content/members"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            if path.file_name().is_some_and(|n| n != "_index.md") {
                let allowed = text.replacen("+++\n", ALLOW, 1);
                std::fs::write(&path, allowed).unwrap();
            }
        }
    }
}
