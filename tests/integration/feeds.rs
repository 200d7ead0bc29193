//! RSS feeds parsed back with a real feed parser, and the sitemap with an XML parser.

use std::collections::BTreeSet;

use crate::support::*;

fn parse(xml: &str) -> feed_rs::model::Feed {
    feed_rs::parser::parse(xml.as_bytes()).expect("feed parses")
}

#[test]
fn site_feed_is_newest_first_limited_with_absolute_links_and_offset_dates() {
    let site = SiteTest::fixture("basic");
    site.build(&[]);
    let xml = site.read("rss.xml");
    let feed = parse(&xml);
    let titles: Vec<String> = feed
        .entries
        .iter()
        .map(|e| e.title.as_ref().unwrap().content.clone())
        .collect();
    assert_eq!(
        titles,
        [
            "委员视察重点项目",
            "区政协召开党组会议",
            "区政协召开常委会议"
        ],
        "feed_limit = 3, newest first"
    );
    let dates: Vec<_> = feed.entries.iter().map(|e| e.published.unwrap()).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]));
    assert_eq!(dates[0].to_rfc3339(), "2026-06-02T02:30:00+00:00");
    assert!(
        xml.contains("<pubDate>Tue, 2 Jun 2026 10:30:00 +0800</pubDate>"),
        "RFC 2822 in the configured offset"
    );
    for e in &feed.entries {
        assert!(e.links[0].href.starts_with("https://zx.example.gov.cn/"));
    }
}

#[test]
fn section_and_term_feeds() {
    let site = SiteTest::fixture("basic");
    site.build(&[]);
    let tongzhi = parse(&site.read("news/tongzhi/rss.xml"));
    let titles: Vec<_> = tongzhi
        .entries
        .iter()
        .map(|e| e.title.as_ref().unwrap().content.as_str())
        .collect();
    assert_eq!(
        titles,
        ["关于召开全体会议的通知"],
        "expired notice leaves the feed"
    );
    let news = parse(&site.read("news/rss.xml"));
    assert_eq!(news.entries.len(), 3);
    let term = parse(&site.read("tags/wei-yuan-lv-zhi/rss.xml"));
    let titles: Vec<_> = term
        .entries
        .iter()
        .map(|e| e.title.as_ref().unwrap().content.as_str())
        .collect();
    assert_eq!(titles, ["委员视察重点项目", "区政协召开常委会议"]);
}

#[test]
fn sitemap_lists_every_page() {
    let site = SiteTest::fixture("basic");
    site.build(&[]);
    let xml = site.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).expect("sitemap parses");
    let locs: BTreeSet<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .map(|n| n.text().unwrap().to_string())
        .collect();
    let public = site.public();
    for file in walkdir(&public) {
        let rel = file
            .strip_prefix(&public)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let Some(dir) = rel.strip_suffix("index.html") else {
            continue;
        };
        // Pagers, the search page and expired pages (which keep their URL but leave every
        // list) are not in the sitemap.
        if dir.contains("/page/") || dir == "search/" || dir.contains("guo-qi") {
            continue;
        }
        let url = format!("https://zx.example.gov.cn/{dir}");
        assert!(locs.contains(&url), "sitemap lacks {url}");
    }
    assert!(
        !locs
            .iter()
            .any(|l| l.contains("cao-gao") || l.contains("guo-qi"))
    );
}
