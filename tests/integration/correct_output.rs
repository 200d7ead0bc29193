//! Faults other generators' users reported, replayed: each test is named after what broke.

use crate::support::*;

#[test]
fn taxonomy_default_is_zhuanti_with_feeds() {
    let site = SiteTest::fixture("basic");
    let config = std::fs::read_to_string(site.root.join("config.toml")).unwrap();
    let without: String = config.split("[taxonomies]").next().unwrap().to_string();
    site.write("config.toml", &without);
    site.build(&[]);
    let index = site.read("tags/index.html");
    assert!(index.contains("<title>专题"), "{index}");
    assert!(site.exists("tags/wei-yuan-lv-zhi/rss.xml"));
}

#[test]
fn footnote_named_main_does_not_take_the_themes_main_id() {
    let site = SiteTest::fixture("basic");
    site.write(
        "content/news/yaowen/2026-08-01-zhu-jie.md",
        "+++\ntitle = \"注解\"\n+++\n## Main\n\n## 1\n\n正文[^main][^1]\n\n[^main]: 注一\n\n[^1]: 注二\n",
    );
    site.build(&[]);
    let html = site.read("news/yaowen/zhu-jie/index.html");
    for id in ["main", "1", "fn-main", "fn-1", "main-1"] {
        let n = html.matches(&format!("id=\"{id}\"")).count();
        assert_eq!(n, 1, "id {id} appears {n} times");
    }
}

/// A page whose summary links relatively and uses a reference and a footnote defined below
/// `<!-- more -->`, on a site published under a sub-path.
fn site_with_linked_summary() -> SiteTest {
    let site = SiteTest::fixture("basic");
    let config = std::fs::read_to_string(site.root.join("config.toml")).unwrap();
    site.write(
        "config.toml",
        &config.replace(
            "base_url = \"https://zx.example.gov.cn\"",
            "base_url = \"https://zx.example.gov.cn/zx/\"",
        ),
    );
    site.write(
        "content/news/yaowen/2026-08-01-lian-jie.md",
        "+++\ntitle = \"链接\"\npinned = true\n+++\n据[有关部门][bm]介绍[^a]，详见[前文](../chang-wei-hui/)和![图](tu.png)。\n\n<!-- more -->\n\n正文。\n\n[bm]: /news/\n\n[^a]: 注释。\n",
    );
    site.write("content/news/yaowen/tu.png", "png");
    site
}

#[test]
fn relative_links_in_feeds_resolve_against_the_page() {
    let site = site_with_linked_summary();
    site.build(&[]);
    let xml = site.read("rss.xml");
    let feed = feed_rs::parser::parse(xml.as_bytes()).unwrap();
    let item = feed
        .entries
        .iter()
        .find(|e| e.title.as_ref().is_some_and(|t| t.content == "链接"))
        .expect("item");
    let html = &item.summary.as_ref().unwrap().content;
    let page = "https://zx.example.gov.cn/zx/news/yaowen/lian-jie/";
    for want in [
        "href=\"https://zx.example.gov.cn/zx/news/yaowen/chang-wei-hui/\"".to_string(),
        "href=\"https://zx.example.gov.cn/zx/news/\"".to_string(),
        format!("href=\"{page}#fn-a\""),
    ] {
        assert!(html.contains(&want), "{want} not in {html}");
    }
    // Every href and src in feed HTML is a full URL.
    for attr in ["href=\"", "src=\""] {
        for part in html.split(attr).skip(1) {
            assert!(part.starts_with("https://"), "{attr}{part}");
        }
    }
}

#[test]
fn summary_before_more_keeps_references_defined_later() {
    let site = site_with_linked_summary();
    site.build(&[]);
    // The home page shows the pinned page's summary.
    let home = site.read("index.html");
    let start = home.find("class=\"summary\"").expect("headline summary");
    let region = &home[start..start + home[start..].find("</div>").unwrap()];
    assert!(
        !region.contains("[有关部门]") && !region.contains("[^a]"),
        "{region}"
    );
    assert!(region.contains("href=\"/zx/news/\""), "{region}");
    assert!(
        region.contains("href=\"/zx/news/yaowen/chang-wei-hui/\""),
        "{region}"
    );
}

#[test]
fn expired_only_tag_has_no_page_count_or_sitemap_entry() {
    let site = SiteTest::fixture("basic");
    site.write(
        "content/news/tongzhi/2026-01-06-bao-ming.md",
        "+++\ntitle = \"报名通知\"\nexpires = 2026-02-01\n[taxonomies]\ntags = [\"报名\"]\n+++\n正文。\n",
    );
    site.build(&[]);
    assert!(!site.read("tags/index.html").contains("报名"));
    assert!(!site.exists("tags/bao-ming/index.html"));
    let sitemap = site.read("sitemap.xml");
    assert!(!sitemap.contains("/tags/bao-ming/"), "{sitemap}");
    assert!(!sitemap.contains("/news/tongzhi/bao-ming/"), "{sitemap}");
    // The expired page keeps its own URL.
    assert!(site.exists("news/tongzhi/bao-ming/index.html"));
}

#[test]
fn site_without_tags_writes_no_empty_tags_page() {
    let site = SiteTest::fixture("basic");
    for file in [
        "content/news/yaowen/2026-06-01-yaml-page.md",
        "content/news/yaowen/2026-03-01-chang-wei-hui.md",
    ] {
        let text = std::fs::read_to_string(site.root.join(file)).unwrap();
        let kept: Vec<&str> = text
            .lines()
            .filter(|l| {
                !l.contains("tags") && l.trim() != "[taxonomies]" && l.trim() != "taxonomies:"
            })
            .collect();
        site.write(file, &(kept.join("\n") + "\n"));
    }
    site.build(&[]);
    assert!(!site.exists("tags/index.html"));
    assert!(!site.read("sitemap.xml").contains("/tags/"));
}

#[test]
fn summary_in_feed_does_not_cut_a_latin_name() {
    let site = SiteTest::fixture("basic");
    let body = "委".repeat(115) + "由Zhangsan同志作说明，会议审议通过了有关报告";
    site.write(
        "content/news/yaowen/2026-08-01-shuo-ming.md",
        &format!("+++\ntitle = \"说明\"\n+++\n{body}\n"),
    );
    site.build(&[]);
    let xml = site.read("rss.xml");
    assert!(xml.contains("由…"), "{xml}");
    assert!(!xml.contains("Zhan…"), "{xml}");
}

#[test]
fn static_file_in_the_search_index_folder_is_a_duplicate_url() {
    let site = SiteTest::fixture("basic");
    site.write("static/search/index/meta.json", "{}");
    let out = site.run("build", &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("static/search/index/meta.json: error[duplicate-url]"),
        "{}",
        stderr(&out)
    );
    let out = site.run("check", &[]);
    assert!(
        stdout(&out).contains("error[duplicate-url]"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn missing_template_and_theme_are_reported_at_their_line() {
    let site = SiteTest::fixture("basic");
    site.write(
        "content/news/yaowen/2026-08-01-mo-ban.md",
        "+++\ntitle = \"模板\"\ntemplate = \"nosuch.html\"\n+++\n正文。\n",
    );
    let out = site.run("check", &[]);
    assert!(
        stdout(&out).contains("content/news/yaowen/2026-08-01-mo-ban.md:3:1: error[template]"),
        "{}",
        stdout(&out)
    );
    let config = std::fs::read_to_string(site.root.join("config.toml")).unwrap();
    site.write("config.toml", &format!("theme = \"nosuch\"\n{config}"));
    let out = site.run("check", &[]);
    assert!(
        stdout(&out).contains("config.toml:1:1: error[config]: 找不到主题"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn non_utf8_config_is_still_a_json_array_from_check() {
    let site = SiteTest::fixture("basic");
    std::fs::write(
        site.root.join("config.toml"),
        b"title = \"\xd5\xfe\xd0\xad\"\n",
    )
    .unwrap();
    let out = site.run("check", &["--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a JSON array");
    assert_eq!(json[0]["file"], "config.toml");
    assert_eq!(json[0]["code"], "config");
}

#[test]
fn utf16_notepad_files_are_read_with_a_warning() {
    let site = SiteTest::fixture("basic");
    let text = "+++\r\ntitle = \"记事本保存的页面\"\r\n+++\r\n正文。\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(
        site.root.join("content/news/yaowen/2026-08-01-unicode.md"),
        bytes,
    )
    .unwrap();
    let out = site.build(&[]);
    assert!(
        stderr(&out).contains("2026-08-01-unicode.md: warning[encoding]"),
        "{}",
        stderr(&out)
    );
    assert!(
        site.read("news/yaowen/unicode/index.html")
            .contains("记事本保存的页面")
    );
}

#[test]
fn sector_with_a_trailing_space_is_trimmed() {
    let site = SiteTest::fixture("basic");
    let text = std::fs::read_to_string(site.root.join("content/members/zhang-san.md")).unwrap();
    site.write(
        "content/members/zhang-san.md",
        &text.replace("sector = \"工商联\"", "sector = \"工商联 \""),
    );
    let out = site.run("check", &[]);
    assert!(!stdout(&out).contains("界别"), "{}", stdout(&out));
}

#[test]
fn a_static_file_on_a_generated_path_is_reported_at_the_static_file() {
    let site = SiteTest::fixture("basic");
    site.write("static/rss.xml", "<rss/>");
    let out = site.run("check", &[]);
    assert!(
        stdout(&out)
            .contains("static/rss.xml: error[duplicate-url]: 与 全站 RSS 输出到同一网址 /rss.xml"),
        "{}",
        stdout(&out)
    );
}

/// Two pages given one `slug`: the clash is reported at the `slug =` line that made it.
#[test]
fn a_slug_clash_is_reported_at_the_slug_line() {
    let site = SiteTest::fixture("basic");
    let page = |title: &str, day: u32| {
        format!("+++\ntitle = \"{title}\"\ndate = 2026-11-{day:02}\nslug = \"same\"\n+++\n正文。\n")
    };
    site.write("content/news/yaowen/a1.md", &page("甲", 1));
    site.write("content/news/yaowen/a2.md", &page("乙", 2));
    let out = site.run("build", &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(
            "content/news/yaowen/a1.md:4:1: error[duplicate-url]: 与 content/news/yaowen/a2.md 输出到同一网址 /news/yaowen/same/"
        ),
        "{}",
        stderr(&out)
    );
}

/// Diagnostics of `check` as `file: code` pairs, errors only.
fn error_codes(site: &SiteTest) -> Vec<String> {
    let out = site.run("check", &["--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    json.as_array()
        .unwrap()
        .iter()
        .filter(|d| d["level"] == "error")
        .map(|d| {
            format!(
                "{}: {}",
                d["file"].as_str().unwrap(),
                d["code"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn a_member_with_a_wrong_sector_is_one_error_not_one_per_news_item() {
    let site = SiteTest::fixture("basic");
    let text = std::fs::read_to_string(site.root.join("content/members/zhang-san.md")).unwrap();
    site.write(
        "content/members/zhang-san.md",
        &text.replace("工商联", "工商"),
    );
    for i in 1..=3 {
        site.write(
            &format!("content/news/yaowen/2026-08-0{i}-x{i}.md"),
            "+++\ntitle = \"新闻\"\nmembers = [\"张三\"]\n+++\n正文。\n",
        );
    }
    assert_eq!(error_codes(&site), ["content/members/zhang-san.md: field"]);
}

/// A news page naming a member whose page is still a draft is told so, not that no such
/// member page exists.
#[test]
fn naming_a_member_whose_page_is_a_draft_says_so() {
    let site = SiteTest::fixture("basic");
    let text = std::fs::read_to_string(site.root.join("content/members/zhang-san.md")).unwrap();
    site.write(
        "content/members/zhang-san.md",
        &text.replace("title = \"张三\"", "title = \"张三\"\ndraft = true"),
    );
    site.write(
        "content/news/yaowen/2026-08-01-x.md",
        "+++\ntitle = \"新闻\"\nmembers = [\"张三\"]\n+++\n正文。\n",
    );
    let report = stdout(&site.run("check", &[]));
    assert!(
        report.contains("content/news/yaowen/2026-08-01-x.md:3:1: error[field]: 委员 `张三` 的页面 content/members/zhang-san.md 还没有发布"),
        "{report}"
    );
    assert!(!report.contains("找不到名为"), "{report}");
}

#[test]
fn a_page_that_fails_to_parse_does_not_make_its_section_empty() {
    let site = SiteTest::fixture("basic");
    site.write(
        "content/wenshi/2025-01-01-lao-jie.md",
        "+++\ntitle = \"坏\n+++\n",
    );
    assert_eq!(
        error_codes(&site),
        ["content/wenshi/2025-01-01-lao-jie.md: front-matter"]
    );
}

#[test]
fn a_misspelt_section_kind_is_one_error() {
    let site = SiteTest::fixture("basic");
    let text = std::fs::read_to_string(site.root.join("content/members/_index.md")).unwrap();
    site.write(
        "content/members/_index.md",
        &text.replace("kind = \"members\"", "kind = \"member\""),
    );
    assert_eq!(error_codes(&site), ["content/members/_index.md: field"]);
}

#[test]
fn check_warns_about_duplicate_ids_in_a_page() {
    let site = SiteTest::fixture("basic");
    site.write(
        "content/news/yaowen/2026-08-01-id.md",
        "+++\ntitle = \"重复\"\n+++\n正文。\n\n<p id=\"main\">段落</p>\n\n<span id=\"x\">一</span><span id=\"x\">二</span>\n",
    );
    let out = site.run("check", &[]);
    let text = stdout(&out);
    assert!(
        text.contains("content/news/yaowen/2026-08-01-id.md:6:4: warning[duplicate-id]: 页面中有多个元素的 id 都是「main」"),
        "{text}"
    );
    assert!(text.contains("「x」"), "{text}");
    // Pages without such ids raise nothing.
    assert_eq!(text.matches("duplicate-id").count(), 2, "{text}");
}

#[test]
fn dates_are_shown_in_the_site_timezone_and_typed_forms_are_read() {
    let site = SiteTest::fixture("basic");
    site.write(
        "content/news/yaowen/2026-08-01-shi-qu.md",
        "+++\ntitle = \"时区\"\ndate = 2026-05-17T15:00:00-07:00\n+++\n正文。\n",
    );
    for (i, typed) in [
        "2024-3-5",
        "2024/3/5",
        "2024.3.5",
        "2024年3月5日",
        "2024年3月5日 9:30",
    ]
    .iter()
    .enumerate()
    {
        site.write(
            &format!("content/news/yaowen/typed-{i}.md"),
            &format!("+++\ntitle = \"写法{i}\"\ndate = \"{typed}\"\n+++\n正文。\n"),
        );
    }
    site.build(&[]);
    let page = site.read("news/yaowen/shi-qu/index.html");
    assert!(page.contains("2026年5月18日"), "{page}");
    assert!(
        page.contains("datetime=\"2026-05-18T06:00:00+08:00\""),
        "{page}"
    );
    for i in 0..5 {
        let page = site.read(&format!("news/yaowen/typed-{i}/index.html"));
        assert!(page.contains("2024年3月5日"), "typed-{i}");
    }
    // The home page's 通知公告 block shows dates the same way.
    let home = site.read("index.html");
    assert!(
        !regex_like_iso_date(&home),
        "an ISO date is shown on the home page"
    );
}

/// True when `2026-01-05` style text appears outside attributes.
fn regex_like_iso_date(html: &str) -> bool {
    html.split('>').any(|part| {
        let text = part.split('<').next().unwrap_or("");
        text.as_bytes().windows(10).any(|w| {
            w[4] == b'-'
                && w[7] == b'-'
                && w.iter()
                    .enumerate()
                    .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit())
        })
    })
}

#[test]
fn a_tag_of_punctuation_only_is_an_error_not_an_underscore_url() {
    let site = SiteTest::fixture("basic");
    site.write(
        "content/news/yaowen/2026-08-01-gan-tan.md",
        "+++\ntitle = \"感叹\"\n[taxonomies]\ntags = [\"！！\"]\n+++\n正文。\n",
    );
    let out = site.run("build", &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("content/news/yaowen/2026-08-01-gan-tan.md:4:")
            && stderr(&out).contains("error[field]: 分类词 `！！` 无法生成网址"),
        "{}",
        stderr(&out)
    );
    // An empty term or a blank one is located at its quotes, not at the title's text.
    site.write(
        "content/news/yaowen/2026-08-01-gan-tan.md",
        "+++\ntitle = \"a\"\n[taxonomies]\ntags = [\"\", \" \", \"协商\"]\n+++\n正文。\n",
    );
    let err = stderr(&site.run("build", &[]));
    for said in [
        "2026-08-01-gan-tan.md:4:9: error[field]: 分类词 `` 无法生成网址",
        "2026-08-01-gan-tan.md:4:13: error[field]: 分类词 ` ` 无法生成网址",
    ] {
        assert!(err.contains(said), "{said}\n{err}");
    }
}
