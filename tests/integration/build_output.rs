//! The basic fixture's output: URLs, visibility rules, Markdown, templates, base URL.

use crate::support::*;

#[test]
fn every_expected_url_exists() {
    let site = SiteTest::fixture("basic");
    site.build(&[]);
    for file in [
        "index.html",
        "404.html",
        "rss.xml",
        "sitemap.xml",
        "robots.txt",
        "images/hall.svg",
        "archive/index.html",
        "news/index.html",
        "news/page/2/index.html",
        "news/rss.xml",
        "news/yaowen/index.html",
        "news/yaowen/page/2/index.html",
        "news/yaowen/rss.xml",
        "news/yaowen/chang-wei-hui/index.html",
        "news/yaowen/yaml-page/index.html",
        "news/tongzhi/index.html",
        "news/tongzhi/hui-yi-tong-zhi/index.html",
        "members/index.html",
        "members/zhang-san/index.html",
        "wenshi/index.html",
        "wenshi/lao-jie/index.html",
        "wenshi/rss.xml",
        "tags/index.html",
        "tags/wei-yuan-lv-zhi/index.html",
        "tags/wei-yuan-lv-zhi/rss.xml",
        "tags/chang-wei-hui-yi/index.html",
    ] {
        assert!(site.exists(file), "missing {file}");
    }
    // The theme's CSS is published under its fingerprinted name only.
    assert!(!site.exists("style.css"));
    let css = site.asset("style.css");
    assert!(
        site.read("index.html")
            .contains(&format!("href=\"/{css}\""))
    );
    let hash = &css["style.".len()..css.len() - ".css".len()];
    let other = tongxin::assets::fingerprinted_name("style.css", site.read(&css).as_bytes());
    assert_eq!(
        other, css,
        "the hash is that of the published bytes ({hash})"
    );
    assert!(!site.exists("news/yaowen/page/3/index.html"));
    assert!(
        !site.exists("members/rss.xml"),
        "a section without dated pages has no feed"
    );
}

#[test]
fn chinese_file_name_gives_pinyin_url() {
    let site = SiteTest::fixture("basic");
    site.build(&[]);
    let html = site.read("news/yaowen/qu-zheng-xie-zhao-kai-dang-zu-hui-yi/index.html");
    assert!(html.contains("区政协召开党组会议"));
}

#[test]
fn drafts_and_future_pages_are_left_out_unless_asked() {
    let site = SiteTest::fixture("basic");
    site.build(&[]);
    assert!(!site.exists("news/yaowen/cao-gao/index.html"));
    assert!(!site.exists("news/yaowen/wei-lai/index.html"));
    let all = walkdir(&site.public());
    for f in all
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html" || e == "xml"))
    {
        let text = std::fs::read_to_string(f).unwrap();
        assert!(
            !text.contains("尚未发布的草稿"),
            "draft leaked into {}",
            f.display()
        );
        assert!(
            !text.contains("未来的新闻"),
            "future page leaked into {}",
            f.display()
        );
    }
    site.build(&["--drafts", "--future"]);
    assert!(site.exists("news/yaowen/cao-gao/index.html"));
    assert!(site.exists("news/yaowen/wei-lai/index.html"));
}

#[test]
fn expired_notice_keeps_its_page_but_leaves_lists() {
    let site = SiteTest::fixture("basic");
    site.build(&[]);
    assert!(
        site.read("news/tongzhi/guo-qi-tong-zhi/index.html")
            .contains("已经过期的通知")
    );
    assert!(
        !site
            .read("news/tongzhi/index.html")
            .contains("已经过期的通知")
    );
    assert!(!site.read("archive/index.html").contains("已经过期的通知"));
    // One visibility rule: what leaves lists leaves the sitemap too.
    assert!(
        !site
            .read("sitemap.xml")
            .contains("/news/tongzhi/guo-qi-tong-zhi/")
    );
}

#[test]
fn sections_list_subsection_pages_paginated_pinned_first() {
    let site = SiteTest::fixture("basic");
    site.build(&[]);
    let first = site.read("news/yaowen/index.html");
    let pinned = first
        .find("区政协召开党组会议")
        .expect("pinned page on page 1");
    let newest = first
        .find("委员视察重点项目")
        .expect("newest page on page 1");
    assert!(pinned < newest, "pinned page must lead the list");
    assert!(first.contains("href=\"/news/yaowen/page/2/\""));
    let second = site.read("news/yaowen/page/2/index.html");
    assert!(second.contains("区政协召开常委会议"));
    // The parent section lists its subsections' pages too.
    let news = site.read("news/index.html") + &site.read("news/page/2/index.html");
    assert!(news.contains("关于召开全体会议的通知"));
    assert!(news.contains("区政协召开常委会议"));
}

#[test]
fn every_internal_link_resolves() {
    let site = SiteTest::fixture("basic");
    site.build(&[]);
    assert_eq!(
        broken_internal_links(&site.public(), ""),
        Vec::<(String, String)>::new()
    );
}

#[test]
fn base_url_with_sub_path_prefixes_every_link() {
    let site = SiteTest::fixture("basic");
    site.build(&["--base-url", "https://example.org/sub/"]);
    assert_eq!(
        broken_internal_links(&site.public(), "/sub"),
        Vec::<(String, String)>::new()
    );
    let page = site.read("news/yaowen/chang-wei-hui/index.html");
    assert!(
        page.contains("href=\"/sub/news/tongzhi/hui-yi-tong-zhi/\""),
        "Markdown link under the base path"
    );
    let css = site.asset("style.css");
    assert!(page.contains(&format!("href=\"/sub/{css}\"")), "{css}");
    for link in links(&page) {
        assert!(
            !link.starts_with('/') || link.starts_with("/sub/"),
            "{link}"
        );
    }
    assert!(
        site.read("rss.xml")
            .contains("<link>https://example.org/sub/news/")
    );
    assert!(
        site.read("sitemap.xml")
            .contains("<loc>https://example.org/sub/</loc>")
    );
}

#[test]
fn markdown_features_render() {
    let site = SiteTest::fixture("basic");
    site.build(&[]);
    let page = site.read("news/yaowen/chang-wei-hui/index.html");
    assert!(
        page.contains("<h2 id=\"hui-yi-yi-cheng\">会议议程</h2>"),
        "{page}"
    );
    assert!(page.contains("2026年3月1日"));
    assert!(page.contains("责任编辑：王编辑"));
    let yaml = site.read("news/yaowen/yaml-page/index.html");
    assert!(
        yaml.contains("class=\"hl-"),
        "code is highlighted with classes"
    );
    assert!(
        yaml.contains("2026年6月2日"),
        "YAML datetime is used over the file name"
    );
    assert!(
        yaml.contains("datetime=\"2026-06-02T10:30:00+08:00\""),
        "dates are shown in the configured offset"
    );
    let home = site.read("index.html");
    assert!(
        home.contains(
            "<p>区政协党组召开会议，<a href=\"/news/tongzhi/hui-yi-tong-zhi/\">议程</a>已印发。</p>"
        ),
        "the pinned headline shows its summary"
    );
    assert!(
        !home.contains("会议研究了近期重点工作"),
        "summary stops at <!-- more -->"
    );
    let feed = site.read("rss.xml");
    assert!(feed.contains("区政协党组召开会议，&lt;a href=&quot;https://zx.example.gov.cn/news/tongzhi/hui-yi-tong-zhi/&quot;&gt;"), "feed HTML has absolute links");
    assert!(!feed.contains("会议研究了近期重点工作"));
}

#[test]
fn site_templates_override_theme_templates_by_name() {
    let site = SiteTest::fixture("basic");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<p class=\"own\">{{ page.title }}</p>{% endblock content %}",
    );
    site.build(&[]);
    let page = site.read("news/yaowen/chang-wei-hui/index.html");
    assert!(page.contains("<p class=\"own\">区政协召开常委会议</p>"));
    assert!(
        page.contains("测ICP备00000001号"),
        "base.html still comes from the theme"
    );
}

#[test]
fn taxonomy_pages_list_their_pages() {
    let site = SiteTest::fixture("basic");
    site.build(&[]);
    let index = site.read("tags/index.html");
    assert!(index.contains("href=\"/tags/wei-yuan-lv-zhi/\""));
    let term = site.read("tags/wei-yuan-lv-zhi/index.html");
    assert!(term.contains("区政协召开常委会议") && term.contains("委员视察重点项目"));
}

#[test]
fn archive_groups_by_year_and_month_newest_first() {
    let site = SiteTest::fixture("basic");
    site.build(&[]);
    let html = site.read("archive/index.html");
    let y2026 = html.find("2026年</h2>").unwrap();
    let y2025 = html.find("2025年</h2>").unwrap();
    assert!(y2026 < y2025);
    let june = html.find("2026年6月").unwrap();
    let march = html.find("2026年3月").unwrap();
    assert!(june < march);
}

#[test]
fn output_dir_flag_and_repeatable_output() {
    let site = SiteTest::fixture("basic");
    let out1 = site.root.join("out1");
    let out2 = site.root.join("out2");
    site.build(&["--output-dir", out1.to_str().unwrap()]);
    site.build(&["--output-dir", out2.to_str().unwrap()]);
    assert_eq!(
        snapshot(&out1),
        snapshot(&out2),
        "two builds of one site are identical"
    );
    assert!(!site.public().exists());
}

#[test]
fn theme_css_and_js_stay_under_40_kb() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static");
    let total: u64 = walkdir(&dir)
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "css" || e == "js"))
        .map(|p| std::fs::metadata(p).unwrap().len())
        .sum();
    assert!(total > 10_000, "found the theme's files ({total} bytes)");
    assert!(total < 40 * 1024, "theme CSS + JS is {total} bytes");
}

#[test]
fn pages_carry_the_footer_identity_from_config() {
    let site = SiteTest::fixture("basic");
    site.build(&[]);
    for file in [
        "index.html",
        "news/yaowen/chang-wei-hui/index.html",
        "404.html",
    ] {
        let html = site.read(file);
        assert!(html.contains("主办单位：测试区政协办公室"), "{file}");
        assert!(html.contains("测ICP备00000001号"), "{file}");
        assert!(html.contains("lang=\"zh-CN\""), "{file}");
        assert!(
            html.contains("<a class=\"skip\" href=\"#main\">跳到正文</a>"),
            "{file}"
        );
    }
}
