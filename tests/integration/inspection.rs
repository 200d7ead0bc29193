//! What the 政府网站 inspection fails a site for: 栏目 and home-page freshness by the rules,
//! leaders' names written wrongly, and mixed content. On the `basic` fixture, today 2026-11-20.

use crate::support::*;

/// (file, line, column, level, code, message) of the reported items whose code is in `codes`.
fn found(site: &SiteTest, codes: &[&str]) -> Vec<(String, u64, u64, String, String, String)> {
    let out = site.run("check", &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json array");
    v.as_array()
        .unwrap()
        .iter()
        .filter(|d| codes.contains(&d["code"].as_str().unwrap()))
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap().to_string();
            let n = |k: &str| d[k].as_u64().unwrap();
            (
                s("file"),
                n("line"),
                n("column"),
                s("level"),
                s("code"),
                s("message"),
            )
        })
        .collect()
}

/// Files reported with `code`.
fn files(site: &SiteTest, code: &str) -> Vec<String> {
    found(site, &[code]).into_iter().map(|f| f.0).collect()
}

/// The `basic` fixture with the freshness defaults it relaxes for other tests restored.
fn basic_with_defaults() -> SiteTest {
    let site = SiteTest::fixture("basic");
    let config = std::fs::read_to_string(site.root.join("config.toml")).unwrap();
    let at = config
        .find("\n[check]")
        .expect("the fixture's [check] table");
    site.write("config.toml", &config[..at]);
    for section in ["tongzhi", "yaowen"] {
        let rel = format!("content/news/{section}/_index.md");
        let text = std::fs::read_to_string(site.root.join(&rel)).unwrap();
        assert!(text.contains("freshness_days = 365\n"));
        site.write(&rel, &text.replace("freshness_days = 365\n", ""));
    }
    site
}

/// The `basic` fixture, defaults restored, with a 政协要闻 page two days old: the home page is
/// fresh.
fn fresh_site() -> SiteTest {
    let site = basic_with_defaults();
    site.write(
        "content/news/yaowen/2026-11-18-xin.md",
        "+++\ntitle = \"新闻\"\n+++\n\n正文。\n",
    );
    site
}

#[test]
fn news_sections_default_to_14_days_notices_to_180_others_to_none() {
    let site = fresh_site();
    // 通知公告 (home = "notices") was last updated 2026-02-01: older than 180 days. 文史 (2025)
    // and 委员 have no default; 新闻中心 holds subsections and is judged through them.
    assert_eq!(
        found(&site, &["stale-section"]),
        [(
            "content/news/tongzhi/_index.md".to_string(),
            1,
            1,
            "error".to_string(),
            "stale-section".to_string(),
            "栏目「通知公告」已 292 天未更新，超过 180 天的更新要求".to_string()
        )]
    );
    // A news page 19 days old makes 政协要闻 stale at the default 14 days.
    site.remove("content/news/yaowen/2026-11-18-xin.md");
    site.write(
        "content/news/yaowen/2026-11-01-xin.md",
        "+++\ntitle = \"新闻\"\n+++\n\n正文。\n",
    );
    assert_eq!(
        files(&site, "stale-section"),
        [
            "content/news/tongzhi/_index.md",
            "content/news/yaowen/_index.md"
        ]
    );
}

#[test]
fn a_section_may_set_its_own_days_or_false() {
    let site = fresh_site();
    let notices = "content/news/tongzhi/_index.md";
    let head = "+++\ntitle = \"通知公告\"\nweight = 2\nhome = \"notices\"\n";
    site.write(notices, &format!("{head}freshness_days = 365\n+++\n"));
    assert!(files(&site, "stale-section").is_empty());
    site.write(notices, &format!("{head}freshness_days = 200\n+++\n"));
    let stale = found(&site, &["stale-section"]);
    assert_eq!((stale[0].1, stale[0].2), (5, 1), "at the value written");
    site.write(notices, &format!("{head}freshness_days = false\n+++\n"));
    assert!(files(&site, "stale-section").is_empty());
    site.write(notices, &format!("{head}freshness_days = \"半年\"\n+++\n"));
    let field = found(&site, &["field"]);
    assert_eq!((field[0].1, field[0].3.as_str()), (5, "error"));
    assert!(field[0].5.contains("天数（正整数）或 false"), "{field:?}");
}

#[test]
fn a_finished_topic_has_no_default_an_active_one_does() {
    let site = fresh_site();
    let topic = |active: bool| {
        format!(
            "+++\ntitle = \"全会专题\"\nkind = \"topic\"\nbanner = \"/b.png\"\nactive = {active}\n+++\n"
        )
    };
    site.write("content/zt/_index.md", &topic(false))
        .write(
            "content/zt/bd/_index.md",
            "+++\ntitle = \"会议报道\"\n+++\n",
        )
        .write(
            "content/zt/bd/2026-01-08-bao-dao.md",
            "+++\ntitle = \"报道\"\n+++\n\n正文。\n",
        );
    assert!(!files(&site, "stale-section").contains(&"content/zt/bd/_index.md".to_string()));
    site.write("content/zt/_index.md", &topic(true));
    assert!(files(&site, "stale-section").contains(&"content/zt/bd/_index.md".to_string()));
}

#[test]
fn a_home_page_older_than_14_days_is_home_stale() {
    let site = basic_with_defaults();
    // The newest listed page is dated 2026-06-02.
    assert_eq!(
        found(&site, &["home-stale"]),
        [(
            "content/_index.md".to_string(),
            1,
            1,
            "error".to_string(),
            "home-stale".to_string(),
            "首页最新内容已 171 天未更新，超过 14 天的要求".to_string()
        )]
    );
    assert!(files(&fresh_site(), "home-stale").is_empty());
    let config = std::fs::read_to_string(site.root.join("config.toml")).unwrap();
    site.write(
        "config.toml",
        &format!("{config}\n[check]\nhome_freshness_days = 200\n"),
    );
    assert!(files(&site, "home-stale").is_empty());
}

/// The `basic` fixture (home fresh) with a leaders list and `page` as a 政协要闻 page.
fn names_site(page: &str) -> SiteTest {
    let site = fresh_site();
    let config = std::fs::read_to_string(site.root.join("config.toml")).unwrap();
    site.write(
        "config.toml",
        &format!("{config}\n[check]\nleaders = \"check/leaders.toml\"\n"),
    )
    .write(
        "check/leaders.toml",
        "[[leader]]\nname = \"王德明\"\ntitles = [\"主席\", \"县委书记\"]\n\n[[leader]]\nname = \"李强\"\ntitles = [\"秘书长\"]\n",
    )
    .write("content/news/yaowen/2026-11-17-ming.md", page);
    site
}

/// (line, column, message) of each `name` finding, and its level.
fn names(site: &SiteTest) -> Vec<(u64, u64, String, String)> {
    found(site, &["name"])
        .into_iter()
        .map(|f| (f.1, f.2, f.3, f.5))
        .collect()
}

#[test]
fn slips_and_homophones_of_a_leaders_name_beside_a_title_are_name_errors() {
    let site = names_site(
        "+++\ntitle = \"王德敏主席调研\"\n+++\n\n王德民主席出席。会议由主席王德民主持。\n\n县委书记王德明、王德明主席讲话。\n",
    );
    let error = |line, column, wrong: &str| {
        (
            line,
            column,
            "error".to_string(),
            format!("领导姓名「{wrong}」疑似写错，应为「王德明」"),
        )
    };
    assert_eq!(
        names(&site),
        [
            error(2, 10, "王德敏"),
            error(5, 1, "王德民"),
            error(5, 14, "王德民"),
        ]
    );
}

#[test]
fn other_people_sharing_a_surname_are_not_name_errors() {
    let site = names_site(
        "+++\ntitle = \"调研\"\n+++\n\n王建国主席、王德明主席、李明秘书长出席。`王德民主席`\n",
    );
    assert!(names(&site).is_empty(), "{:?}", names(&site));
    // A two-character name: only the same reading counts (李墙 for 李强).
    let site = names_site("+++\ntitle = \"调研\"\n+++\n\n李墙秘书长出席。\n");
    assert_eq!(names(&site).len(), 1);
}

#[test]
fn a_page_may_allow_a_name() {
    let site = names_site(
        "+++\ntitle = \"调研\"\nallow = [{ rule = \"name\", reason = \"另一人，同名不同字\" }]\n+++\n\n王德民主席出席。\n",
    );
    let found = names(&site);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].2, "allowed");
}

#[test]
fn a_broken_leaders_list_is_a_located_config_error() {
    let site = names_site("+++\ntitle = \"调研\"\n+++\n\n王德民主席出席。\n");
    site.write(
        "check/leaders.toml",
        "[[leader]]\nname = \"王德明\"\ntitels = [\"主席\"]\n",
    );
    let config = found(&site, &["config"]);
    assert_eq!(config.len(), 1, "{config:?}");
    assert_eq!(
        (config[0].0.as_str(), config[0].1, config[0].3.as_str()),
        ("check/leaders.toml", 3, "error")
    );
    assert!(config[0].5.starts_with("领导姓名表："), "{config:?}");
    assert!(names(&site).is_empty());
}

#[test]
fn http_images_and_frames_on_an_https_site_are_mixed_content() {
    let page = "+++\ntitle = \"图\"\n+++\n\n![会场](http://img.example.cn/a.png)\n\n<iframe src=\"http://v.example.cn/1\"></iframe>\n\n[链接](http://example.cn/) ![本站](https://img.example.cn/b.png)\n";
    let site = fresh_site();
    site.write("content/news/yaowen/2026-11-17-tu.md", page);
    let mixed: Vec<(u64, u64, String)> = found(&site, &["mixed-content"])
        .into_iter()
        .map(|f| (f.1, f.2, f.3))
        .collect();
    assert_eq!(
        mixed,
        [
            (5, 1, "warning".to_string()),
            (7, 14, "warning".to_string())
        ]
    );
    // An http site: no mixed content, but its address is a config warning at its line.
    let config = std::fs::read_to_string(site.root.join("config.toml")).unwrap();
    site.write(
        "config.toml",
        &config.replace("https://zx.example.gov.cn", "http://zx.example.gov.cn"),
    );
    assert!(files(&site, "mixed-content").is_empty());
    let warned = found(&site, &["config"]);
    assert_eq!(
        warned,
        [(
            "config.toml".to_string(),
            2,
            1,
            "warning".to_string(),
            "config".to_string(),
            "网站地址使用 http://，建议改为 https://".to_string()
        )]
    );
}
