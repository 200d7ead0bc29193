//! Faults other generators' users reported, replayed: each test is named after what broke.

use crate::support::*;

#[test]
fn taxonomy_default_is_zhuanti_with_feeds() {
    let site = SiteTest::fixture("basic");
    let config = std::fs::read_to_string(site.root.join("config.toml")).unwrap();
    let without: String = config
        .split("[taxonomies]")
        .next()
        .unwrap()
        .to_string();
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
