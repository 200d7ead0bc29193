//! The 政协 content model on the `content_model` fixture: members by 界别 and 专委会 in 姓氏笔画
//! order, profiles, pinned news, scheduling, 文史 series and the home page.

use crate::support::*;

/// The visible texts of `class="name"` spans (member cards), in page order.
fn card_names(html: &str) -> Vec<String> {
    html.split("class=\"name\">")
        .skip(1)
        .map(|s| s[..s.find('<').unwrap()].to_string())
        .collect()
}

/// Positions of `needles` in `hay`, asserting each is present and they come in this order.
fn assert_in_order(hay: &str, needles: &[&str]) {
    let mut last = 0;
    for n in needles {
        let at = hay[last..]
            .find(n)
            .unwrap_or_else(|| panic!("`{n}` missing or out of order"));
        last += at + n.len();
    }
}

fn built() -> SiteTest {
    let site = SiteTest::fixture("content_model");
    site.build(&[]);
    site
}

#[test]
fn members_are_grouped_by_sector_in_config_order_then_by_strokes() {
    let site = built();
    let html = site.read("members/index.html");
    assert_eq!(
        card_names(&html),
        ["白云", "丁一", "王芳", "李强", "张明", "方圆"]
    );
    assert_in_order(
        &html,
        &[
            ">中国共产党</a></h2>",
            ">工商联</a></h2>",
            ">教育界</a></h2>",
        ],
    );
    assert!(
        !html.contains(">文化艺术界</a></h2>"),
        "a sector without members has no group"
    );
}

#[test]
fn sector_and_committee_pages_list_their_members() {
    let site = built();
    assert_eq!(
        card_names(&site.read("sectors/gong-shang-lian/index.html")),
        ["丁一", "王芳", "李强", "张明"]
    );
    assert_eq!(
        card_names(&site.read("committees/ti-an-wei-yuan-hui/index.html")),
        ["李强", "张明"]
    );
    assert_eq!(
        card_names(&site.read("committees/wen-shi-he-xue-xi-wei-yuan-hui/index.html")),
        ["丁一", "方圆"]
    );
    assert!(!site.exists("sectors/wen-hua-yi-shu-jie/index.html"));
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("https://mx.example.gov.cn/sectors/gong-shang-lian/"));
    assert!(sitemap.contains("https://mx.example.gov.cn/committees/ti-an-wei-yuan-hui/"));
}

#[test]
fn member_profile_shows_fields_placeholder_and_the_news_naming_them() {
    let site = built();
    let html = site.read("members/zhang-ming/index.html");
    assert!(
        html.contains("<dt>界别</dt><dd><a href=\"/sectors/gong-shang-lian/\">工商联</a></dd>")
    );
    assert!(html.contains(
        "<dt>专委会</dt><dd><a href=\"/committees/ti-an-wei-yuan-hui/\">提案委员会</a></dd>"
    ));
    assert!(
        html.contains("<dt>职务</dt><dd>委员</dd>")
            && html.contains("<dt>届次</dt><dd>第九届</dd>")
    );
    assert!(
        html.contains("src=\"/tongxin/member-placeholder.svg\""),
        "a neutral placeholder without photo"
    );
    assert!(site.exists("tongxin/member-placeholder.svg"));
    assert_in_order(&html, &["相关报道", "普通新闻二", "置顶新闻"]);
    let wang = site.read("members/wang-fang/index.html");
    assert!(
        !wang.contains("相关报道"),
        "no list when no news names the member"
    );
    let news = site.read("news/yaowen/xin-de-zhi-ding/index.html");
    assert!(news.contains(
        "<a href=\"/members/zhang-ming/\">张明</a> <a href=\"/members/ding-yi/\">丁一</a>"
    ));
}

#[test]
fn pinned_news_lead_their_section_and_the_home_page() {
    let site = built();
    let list = site.read("news/yaowen/index.html");
    assert_in_order(&list, &["置顶新闻", "置顶旧闻", "普通新闻二", "普通新闻一"]);
    let home = site.read("index.html");
    let headline = &home[home.find("class=\"headline\"").unwrap()..];
    assert!(
        headline[..headline.find("</section>").unwrap()].contains("置顶新闻"),
        "most recent pinned is the headline"
    );
}

#[test]
fn future_pages_wait_for_their_date() {
    let site = built();
    assert!(!site.exists("news/yaowen/wei-lai/index.html"));
    assert!(!site.read("news/yaowen/index.html").contains("未来新闻"));
    assert!(!site.read("rss.xml").contains("未来新闻"));
    let later = SiteTest::fixture("content_model");
    let out = crate::support::bin()
        .args(["build", "--root"])
        .arg(&later.root)
        .args(["--today", "2026-12-01"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        later.exists("news/yaowen/wei-lai/index.html"),
        "published on its date"
    );
    later.build(&["--future"]);
    assert!(later.exists("news/yaowen/wei-lai/index.html"));
}

#[test]
fn expired_notices_leave_lists_and_feeds_but_keep_their_page() {
    let site = built();
    assert!(
        site.read("news/tongzhi/guo-qi-tong-zhi/index.html")
            .contains("过期通知")
    );
    for file in [
        "news/tongzhi/index.html",
        "index.html",
        "news/tongzhi/rss.xml",
        "rss.xml",
        "archive/index.html",
    ] {
        let text = site.read(file);
        assert!(!text.contains("过期通知"), "expired notice in {file}");
    }
    let home = site.read("index.html");
    assert!(
        home.contains("class=\"notice-list\""),
        "notices are listed compactly"
    );
    assert!(home.contains("有效通知"));
}

#[test]
fn wenshi_series_reads_in_weight_order_with_prev_next_at_both_ends() {
    let site = built();
    let toc = site.read("wenshi/di-yi-ji/index.html");
    assert_in_order(
        &toc,
        &["<ol class=\"toc\">", "第一篇", "第二篇", "第三篇", "</ol>"],
    );
    let top = site.read("wenshi/index.html");
    assert_in_order(&top, &["第一辑", "第一篇", "第二篇", "第三篇"]);
    let first = site.read("wenshi/di-yi-ji/di-yi-pian/index.html");
    assert!(!first.contains("上一篇："));
    assert!(first.contains("下一篇：第二篇"));
    let middle = site.read("wenshi/di-yi-ji/di-er-pian/index.html");
    assert!(middle.contains("上一篇：第一篇") && middle.contains("下一篇：第三篇"));
    let last = site.read("wenshi/di-yi-ji/di-san-pian/index.html");
    assert!(last.contains("上一篇：第二篇") && !last.contains("下一篇："));
    assert!(
        middle.contains("作者：作者2")
            && middle.contains("年代：民国")
            && middle.contains("来源：文史资料")
    );
}

#[test]
fn home_page_has_every_block_linking_to_its_section() {
    let site = built();
    let home = site.read("index.html");
    for link in [
        "href=\"/news/yaowen/\"",
        "href=\"/news/tongzhi/\"",
        "href=\"/members/\"",
        "href=\"/wenshi/\"",
    ] {
        assert!(home.contains(link), "home lacks {link}");
    }
    assert_eq!(
        card_names(&home)[..3],
        ["丁一", "王芳", "方圆"],
        "member strip in stroke order"
    );
    let wenshi = &home[home.find("wenshi-strip").unwrap()..];
    assert_in_order(wenshi, &["第二篇", "第三篇", "第一篇"]);
}

#[test]
fn archive_groups_dated_pages_by_year_and_month() {
    let site = built();
    let html = site.read("archive/index.html");
    assert_in_order(
        &html,
        &[
            "2026年</h2>",
            "2026年6月",
            "普通新闻二",
            "2026年3月",
            "置顶新闻",
            "2025年</h2>",
            "2025年3月",
            "第二篇",
        ],
    );
}

#[test]
fn pinyin_order_is_available_for_members() {
    let site = SiteTest::fixture("content_model");
    site.write(
        "content/members/_index.md",
        "+++\ntitle = \"委员风采\"\nkind = \"members\"\nsort_by = \"pinyin\"\n+++\n",
    );
    site.build(&[]);
    let html = site.read("members/index.html");
    assert_eq!(
        card_names(&html),
        ["白云", "丁一", "李强", "王芳", "张明", "方圆"]
    );
    assert_eq!(
        card_names(&site.read("sectors/gong-shang-lian/index.html")),
        ["丁一", "李强", "王芳", "张明"]
    );
}

#[test]
fn sections_can_sort_by_pinyin() {
    let site = SiteTest::fixture("content_model");
    site.write(
        "content/news/yaowen/_index.md",
        "+++\ntitle = \"政协要闻\"\nweight = 1\nsort_by = \"pinyin\"\n+++\n",
    );
    site.build(&[]);
    let list = site.read("news/yaowen/index.html");
    assert_in_order(&list, &["普通新闻二", "普通新闻一", "置顶旧闻", "置顶新闻"]);
}

#[test]
fn date_filters_give_chinese_dates_and_weekdays() {
    let site = SiteTest::fixture("content_model");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<p id=\"d\">{{ page.date | date_zh }} {{ page.date | weekday_zh }} {{ page.date | date_iso }}</p>{% endblock content %}",
    );
    site.build(&[]);
    let html = site.read("news/yaowen/pu-tong-yi/index.html");
    assert!(
        html.contains("<p id=\"d\">2026年5月1日 星期五 2026-05-01</p>"),
        "{html}"
    );
}
