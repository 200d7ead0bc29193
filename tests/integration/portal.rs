//! The portal parts of the theme (issue 15): the 焦点图 carousel, 专题 landing pages and banners,
//! list styles, attachments and the 政协领导 block and page, on the `portal` fixture.

use crate::support::{SiteTest, stderr, stdout};

/// The part of `html` between the first `start` and the next `end` after it.
fn between<'h>(html: &'h str, start: &str, end: &str) -> &'h str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in:\n{html}"));
    let rest = &html[from..];
    &rest[..rest.find(end).map_or(rest.len(), |e| e + end.len())]
}

/// Where each of `names` first appears in `html`, in the order given.
fn positions(html: &str, names: &[&str]) -> Vec<usize> {
    names
        .iter()
        .map(|n| html.find(n).unwrap_or_else(|| panic!("{n} missing")))
        .collect()
}

fn built() -> SiteTest {
    let site = SiteTest::fixture("portal");
    site.build(&[]);
    site
}

#[test]
fn carousel_shows_the_newest_five_focus_items_first_slide_visible_others_as_links() {
    let site = built();
    let home = site.read("index.html");
    let carousel = between(&home, "<section class=\"carousel\"", "</section>");
    assert!(carousel.contains("aria-roledescription=\"carousel\""));
    assert!(carousel.contains("aria-label=\"焦点图\""));
    assert_eq!(
        carousel.matches("aria-roledescription=\"slide\"").count(),
        5
    );
    for n in 1..=5 {
        assert!(
            carousel.contains(&format!("第 {n} 张，共 5 张")),
            "{carousel}"
        );
    }
    // Newest first; the oldest of six, and news without `focus`, are left out.
    let order = positions(
        carousel,
        &[
            "焦点新闻6",
            "焦点新闻5",
            "焦点新闻4",
            "焦点新闻3",
            "焦点新闻2",
        ],
    );
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert!(!carousel.contains("焦点新闻1<") && !carousel.contains("没有焦点的新闻"));
    // Without JavaScript: the first slide is the current one and its image loads at once with
    // its size; the others' captions are plain links.
    let first = between(carousel, "<div class=\"slide current\"", "</div>");
    assert!(first.contains("width=\"1280\" height=\"720\""), "{first}");
    assert!(!first.contains("loading=\"lazy\""));
    assert_eq!(carousel.matches("class=\"slide current\"").count(), 1);
    assert_eq!(
        carousel
            .matches("<p class=\"slide-caption\"><a href=")
            .count(),
        5
    );
    // The controls are there for the script, hidden until it runs; the script is local.
    for label in ["上一张", "暂停轮播", "下一张"] {
        assert!(carousel.contains(label), "{label}");
    }
    assert!(carousel.contains("class=\"carousel-controls\" hidden"));
    let script = site.asset("tongxin/carousel.js");
    assert!(home.contains(&format!("src=\"/{script}\"")), "{script}");
}

#[test]
fn focus_without_a_cover_is_an_error_at_the_field() {
    let site = SiteTest::fixture("portal");
    site.write(
        "content/news/yaowen/2026-11-11-wu-feng-mian.md",
        "+++\ntitle = \"无封面\"\nfocus = true\n+++\n正文。\n",
    );
    let out = site.run("build", &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(
            "content/news/yaowen/2026-11-11-wu-feng-mian.md:3:1: error[field]: 焦点图（focus = true）缺少 `cover` 封面图"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn topic_landing_page_has_banner_description_and_its_columns() {
    let site = built();
    let page = site.read("zhuanti/quanhui/index.html");
    let main = between(&page, "<main", "</main>");
    assert!(main.contains("<h1>全会专题</h1>"));
    assert!(main.contains("九届四次会议的报道和建言。"));
    assert!(main.contains("src=\"/images/banner.svg\" alt=\"\" width=\"1200\" height=\"300\""));
    let order = positions(
        main,
        &["会议报道", "大会开幕", "委员建言", "委员建议养老服务"],
    );
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    // Its 栏目 are news lists of their own, and its pages are news pages.
    assert!(
        site.read("zhuanti/quanhui/baodao/index.html")
            .contains("大会开幕")
    );
    assert!(site.exists("zhuanti/quanhui/baodao/kai-mu/index.html"));
}

/// A 专题 without its banner is one error: its 栏目's news pages, which would be read as plain
/// pages, are not reported too (a `source` reported as unknown sent staff to mend the articles).
#[test]
fn a_topic_without_its_banner_is_one_error_not_one_per_article() {
    let site = SiteTest::fixture("portal");
    let index = "content/zhuanti/quanhui/_index.md";
    let text = std::fs::read_to_string(site.root.join(index)).unwrap();
    site.write(
        index,
        &text.replace("banner = \"/images/banner.svg\"\n", ""),
    );
    site.write(
        "content/zhuanti/quanhui/baodao/2026-01-07-fa-yan.md",
        "+++\ntitle = \"发言\"\nsource = \"区政协办公室\"\n+++\n正文。\n",
    );
    let report = stdout(&site.run("check", &[]));
    let errors: Vec<&str> = report.lines().filter(|l| l.contains(": error[")).collect();
    assert_eq!(
        errors,
        [format!(
            "{index}:1:1: error[field]: 专题栏目缺少必填字段 `banner`（题图）"
        )],
        "{report}"
    );
}

#[test]
fn only_active_topics_have_a_banner_on_the_home_page_and_their_columns_no_blocks() {
    let site = built();
    let home = site.read("index.html");
    let banners = between(&home, "<section class=\"topic-banners\"", "</section>");
    assert!(banners.contains("href=\"/zhuanti/quanhui/\""));
    assert!(banners.contains("alt=\"全会专题\""));
    assert!(!banners.contains("往年专题"));
    assert!(!home.contains("href=\"/zhuanti/quanhui/baodao/\""));
}

#[test]
fn picture_list_is_a_grid_of_cover_thumbnails_with_titles() {
    let site = built();
    let main = between(&site.read("news/tupian/index.html"), "<main", "</main>").to_string();
    let grid = between(&main, "<ul class=\"picture-grid\">", "</ul>");
    assert_eq!(grid.matches("<img ").count(), 2, "{grid}");
    assert!(grid.contains("src=\"/images/tupian-1.svg\" alt=\"\" width=\"800\" height=\"600\""));
    assert!(grid.contains("<span class=\"title\">图片新闻1</span>"));
    assert!(!main.contains("class=\"page-list\""));
}

#[test]
fn summary_list_shows_the_summary_and_title_list_stays_the_default() {
    let site = built();
    let summary = site.read("news/xieshang/index.html");
    let list = between(&summary, "<ul class=\"summary-list\">", "</ul>");
    assert!(list.contains("协商会召开"));
    assert!(list.contains("委员们围绕养老服务协商议政。"), "{list}");
    let plain = site.read("news/yaowen/index.html");
    assert!(plain.contains("<ul class=\"page-list\">"));
    assert!(!plain.contains("summary-list") && !plain.contains("picture-grid"));
}

#[test]
fn a_bad_list_value_is_an_error_naming_the_choices() {
    let site = SiteTest::fixture("portal");
    site.write(
        "content/news/xieshang/_index.md",
        "+++\ntitle = \"协商议政\"\nlist = \"grid\"\n+++\n",
    );
    let out = site.run("build", &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(
            "content/news/xieshang/_index.md:3:1: error[field]: 字段 `list` 的值 `grid` 无效"
        ),
        "{err}"
    );
    assert!(err.contains("可选值：title、summary、picture"), "{err}");
}

#[test]
fn attachments_are_listed_once_each_with_type_and_published_size() {
    let site = built();
    let page = site.read("news/yaowen/tong-zhi/index.html");
    let section = between(&page, "<section class=\"attachments\"", "</section>");
    assert!(section.contains("<h2 id=\"attachments-title\">附件</h2>"));
    let size = |rel: &str| {
        let bytes = std::fs::metadata(site.root.join(rel)).unwrap().len();
        format!("{} KB", bytes.div_ceil(1024))
    };
    let docx = format!(
        "<a href=\"/files/bao-ming-biao.docx\">报名表</a>（DOCX，{}）",
        size("static/files/bao-ming-biao.docx")
    );
    let pdf = format!(
        "<a href=\"/news/yaowen/tong-zhi.pdf\">通知原文</a>（PDF，{}）",
        size("content/news/yaowen/tong-zhi.pdf")
    );
    assert!(section.contains(&docx), "{section}");
    assert!(section.contains(&pdf), "{section}");
    assert_eq!(section.matches("<li>").count(), 2);
    assert!(site.exists("news/yaowen/tong-zhi.pdf"));
    // A page linking no such file has no attachments section.
    assert!(
        !site
            .read("news/yaowen/pu-tong/index.html")
            .contains("attachments")
    );
}

#[test]
fn leaders_show_in_their_order_on_the_home_page_and_the_leaders_page() {
    let site = built();
    let home = site.read("index.html");
    let block = between(
        &home,
        "<section class=\"block leaders-block\"",
        "</section>",
    );
    assert!(block.contains("href=\"/about/leaders/\""), "{block}");
    let order = positions(block, &["赵主席", "钱副主席", "孙秘书长"]);
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert!(block.contains("<span class=\"position\">秘书长</span>"));
    assert!(!block.contains("李委员"));
    let page = site.read("about/leaders/index.html");
    let main = between(&page, "<main", "</main>");
    let order = positions(main, &["赵主席", "钱副主席", "孙秘书长"]);
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert!(!main.contains("李委员"));
}

#[test]
fn leader_order_follows_the_numbers_not_the_files() {
    let site = SiteTest::fixture("portal");
    site.write(
        "content/members/zhao.md",
        "+++\ntitle = \"赵主席\"\nsector = \"工商联\"\nposition = \"主席\"\nleader = 9\n+++\n简介。\n",
    );
    site.build(&[]);
    let home = site.read("index.html");
    let block = between(
        &home,
        "<section class=\"block leaders-block\"",
        "</section>",
    );
    let order = positions(block, &["钱副主席", "孙秘书长", "赵主席"]);
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
}

#[test]
fn a_banner_kept_beside_the_topic_in_content_is_published_with_its_size() {
    let site = SiteTest::fixture("portal");
    site.write(
        "content/zhuanti/jiu/ti-tu.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"960\" height=\"240\"></svg>\n",
    );
    site.write(
        "content/zhuanti/jiu/_index.md",
        "+++\ntitle = \"往年专题\"\nkind = \"topic\"\nbanner = \"/zhuanti/jiu/ti-tu.svg\"\nactive = true\n+++\n",
    );
    site.build(&[]);
    assert!(site.exists("zhuanti/jiu/ti-tu.svg"));
    let home = site.read("index.html");
    assert!(
        home.contains(
            "src=\"/zhuanti/jiu/ti-tu.svg\" alt=\"往年专题\" width=\"960\" height=\"240\""
        ),
        "{}",
        between(&home, "<section class=\"topic-banners\"", "</section>")
    );
}
