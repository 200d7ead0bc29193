//! `serve`'s incremental engine: after every kind of edit, the files it serves must equal a fresh
//! build of the changed site, byte for byte, and small edits must re-render only what shows them.

use std::path::{Path, PathBuf};

use tongxin::serve::{Engine, Report, UpdateKind};
use tongxin::{BuildOptions, build_in_memory};

use crate::support::{TODAY, copy_tree, fixtures};

const BASE: &str = "http://127.0.0.1:1111/";

/// The `incremental` fixture (a cut of the sample site this test owns: news in four
/// sections, members, a 文史 series, tags, search) in a temporary folder.
struct Site {
    _dir: tempfile::TempDir,
    root: PathBuf,
    engine: Engine,
}

fn options(root: &Path) -> BuildOptions {
    let mut opts = BuildOptions::new(root, TODAY.parse().unwrap());
    opts.base_url = Some(BASE.parse().unwrap());
    opts
}

impl Site {
    fn fixture() -> Site {
        Site::of("incremental")
    }

    /// Fixture `name` in a temporary folder, served by a new engine.
    fn of(name: &str) -> Site {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        copy_tree(&fixtures().join(name), &root);
        let (engine, _) = Engine::new(&options(&root)).expect("first build");
        Site {
            _dir: dir,
            root,
            engine,
        }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    /// Tells the engine about changed paths, as the watcher would, and checks the result.
    fn update(&mut self, paths: &[PathBuf]) -> Report {
        let report = self.engine.update(paths, false).expect("update");
        self.assert_same_as_full_build();
        report
    }

    fn assert_same_as_full_build(&self) {
        let (expected, _) = build_in_memory(&options(&self.root)).expect("full build");
        let got = self.engine.files();
        let missing: Vec<&String> = expected.keys().filter(|k| !got.contains_key(*k)).collect();
        let extra: Vec<&String> = got.keys().filter(|k| !expected.contains_key(*k)).collect();
        let differ: Vec<&String> = expected
            .iter()
            .filter(|(k, v)| got.get(*k).is_some_and(|g| &g[..] != v.as_slice()))
            .map(|(k, _)| k)
            .collect();
        assert!(
            missing.is_empty() && extra.is_empty() && differ.is_empty(),
            "served files differ from a full build:\nmissing {missing:?}\nextra {extra:?}\ndiffer {differ:?}"
        );
    }
}

const PAGE: &str = "content/news/yaowen/2025-06-18-jiu-jie-shi-er-ci-chang-wei-hui-yi.md";
const PAGE_OUT: &str = "news/yaowen/jiu-jie-shi-er-ci-chang-wei-hui-yi/index.html";

/// The first page file of a section folder, by name.
fn first_page_in(site: &Site, dir: &str) -> String {
    let mut names: Vec<String> = std::fs::read_dir(site.path(dir))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "_index.md")
        .collect();
    names.sort();
    format!("{dir}/{}", names[0])
}

fn first_other_page(site: &Site) -> String {
    first_page_in(site, "content/news/tian")
}

#[test]
fn body_edit_renders_only_that_page() {
    let mut site = Site::fixture();
    assert_eq!(
        first_page_in(&site, "content/news/yaowen"),
        PAGE,
        "fixture page moved; update the test"
    );
    let text = site.read(PAGE);
    let path = site.write(PAGE, &format!("{text}\n增量生成测试段落：协商议政。\n"));
    let report = site.update(&[path]);
    assert_eq!(report.kind, UpdateKind::Patch);
    assert_eq!(report.rendered, vec![PAGE_OUT.to_string()]);
    let changed: Vec<&str> = report.changes.iter().map(|(p, _)| p.as_str()).collect();
    assert!(changed.contains(&PAGE_OUT), "{changed:?}");
    // The search index learns the new words: some shard and the page's chunk change, and
    // nothing else does.
    assert!(
        changed.iter().any(|p| p.starts_with("search/index/s/")),
        "{changed:?}"
    );
    assert!(
        changed.iter().any(|p| p.starts_with("search/index/p/")),
        "{changed:?}"
    );
    assert!(
        changed
            .iter()
            .all(|p| *p == PAGE_OUT || p.starts_with("search/index/")),
        "{changed:?}"
    );
    // Saving the same text again renders nothing.
    let report = site.update(&[site.path(PAGE)]);
    assert!(report.rendered.is_empty(), "{:?}", report.rendered);
}

/// A body edit above `<!-- more -->` changes the page's summary: every list and feed that shows
/// it is rendered again (the engine finds them from what each output read, not from a list).
#[test]
fn body_edit_that_changes_the_summary_renders_the_lists_that_show_it() {
    const MORE: &str = "content/news/yaowen/2026-10-28-jiu-jie-er-shi-ci-chang-wei-hui-yi.md";
    let mut site = Site::fixture();
    let text = site.read(MORE);
    let (head, body) = text[3..].split_once("+++").expect("front matter");
    assert!(
        body.contains("<!-- more -->"),
        "fixture page changed; update the test"
    );
    let edited = format!("+++{head}+++\n\n摘要之前新增的一段话。\n{body}");
    let path = site.write(MORE, &edited);
    let report = site.update(&[path]);
    assert_eq!(report.kind, UpdateKind::Patch);
    for out in ["news/yaowen/index.html", "archive/index.html", "rss.xml"] {
        assert!(
            report.rendered.iter().any(|r| r == out),
            "{out} not in {:?}",
            report.rendered
        );
    }
    assert!(
        !report.rendered.iter().any(|r| r == "members/index.html"),
        "{:?}",
        report.rendered
    );
    // Below `<!-- more -->` the summary stays: only the page itself is rendered.
    let text = site.read(MORE);
    let path = site.write(MORE, &format!("{text}\n结尾新增的一段话。\n"));
    let report = site.update(&[path]);
    assert_eq!(report.rendered.len(), 1, "{:?}", report.rendered);
}

#[test]
fn title_edit_renders_the_lists_that_show_the_page() {
    let mut site = Site::fixture();
    let text = site.read(PAGE);
    let path = site.write(
        PAGE,
        &text.replace("区政协召开九届十二次常委会议", "区政协召开常委会议（已改）"),
    );
    let report = site.update(&[path]);
    assert_eq!(report.kind, UpdateKind::Patch);
    for out in [
        PAGE_OUT,
        "news/yaowen/index.html",
        "archive/index.html",
        "tags/chang-wei-hui-yi/index.html",
    ] {
        assert!(
            report.rendered.iter().any(|r| r == out),
            "{out} not in {:?}",
            report.rendered
        );
    }
    // Lists the page is not in stay as they were.
    for out in [
        "news/tian/index.html",
        "members/index.html",
        "wenshi/index.html",
    ] {
        assert!(
            !report.rendered.iter().any(|r| r == out),
            "{out} in {:?}",
            report.rendered
        );
    }
}

#[test]
fn front_matter_edits_match_a_full_build() {
    let mut site = Site::fixture();
    let text = site.read(PAGE);
    // A new date reorders lists and the search index; a new tag makes a term page.
    let path = site.write(
        PAGE,
        &text
            .replacen("+++\n", "+++\ndate = 2026-11-19\n", 1)
            .replace(
                "tags = [\"常委会议\", \"委员履职\"]",
                "tags = [\"常委会议\", \"委员履职\", \"城市更新\"]",
            ),
    );
    let report = site.update(&[path]);
    assert!(
        report
            .rendered
            .iter()
            .any(|r| r == "tags/cheng-shi-geng-xin/index.html")
    );
    // Pinned.
    let text = site.read(PAGE);
    let path = site.write(PAGE, &text.replacen("+++\n", "+++\npinned = true\n", 1));
    site.update(&[path]);
    // A member moves to another 界别.
    let member = "content/members/ma-li-xin.md";
    let text = site.read(member);
    let sector = text
        .lines()
        .find(|l| l.starts_with("sector"))
        .expect("member has a sector")
        .to_string();
    let other = if sector.contains("教育界") {
        "sector = \"工商联\""
    } else {
        "sector = \"教育界\""
    };
    let path = site.write(member, &text.replace(&sector, other));
    site.update(&[path]);
}

#[test]
fn pages_and_sections_come_and_go() {
    let mut site = Site::fixture();
    // A new page.
    let new = site.write(
        "content/news/yaowen/2026-11-19-xin-ye-mian.md",
        "+++\ntitle = \"新增的一篇要闻\"\n+++\n\n新增页面的正文。\n",
    );
    let report = site.update(std::slice::from_ref(&new));
    assert_eq!(report.kind, UpdateKind::Resolve);
    assert!(
        site.engine
            .files()
            .contains_key("news/yaowen/xin-ye-mian/index.html")
    );
    // Renamed.
    let renamed = site.path("content/news/yaowen/2026-11-19-gai-ming.md");
    std::fs::rename(&new, &renamed).unwrap();
    site.update(&[new, renamed.clone()]);
    assert!(
        !site
            .engine
            .files()
            .contains_key("news/yaowen/xin-ye-mian/index.html")
    );
    // Deleted.
    std::fs::remove_file(&renamed).unwrap();
    site.update(&[renamed]);
    // A whole section renamed, then its title changed.
    let from = site.path("content/news/tian");
    let to = site.path("content/news/ti-an-gong-zuo");
    std::fs::rename(&from, &to).unwrap();
    site.update(&[from, to]);
    assert!(
        site.engine
            .files()
            .contains_key("news/ti-an-gong-zuo/index.html")
    );
    assert!(!site.engine.files().contains_key("news/tian/index.html"));
    let index = "content/news/ti-an-gong-zuo/_index.md";
    let text = site.read(index);
    let path = site.write(index, &text.replacen("title = \"", "title = \"新", 1));
    site.update(&[path]);
    // A new section with a page.
    site.write(
        "content/news/xin/_index.md",
        "+++\ntitle = \"新栏目\"\n+++\n",
    );
    site.write(
        "content/news/xin/2026-11-18-di-yi-pian.md",
        "+++\ntitle = \"新栏目第一篇\"\n+++\n\n正文。\n",
    );
    let report = site.update(&[site.path("content/news/xin")]);
    assert!(
        site.engine
            .files()
            .contains_key("news/xin/di-yi-pian/index.html")
    );
    // Pages elsewhere are not rendered again, though sections after it have moved.
    let elsewhere = |r: &String| r.starts_with("members/") || r.starts_with("wenshi/");
    assert!(
        !report.rendered.iter().any(elsewhere),
        "{:?}",
        report.rendered
    );
    // And removed again.
    std::fs::remove_dir_all(site.path("content/news/xin")).unwrap();
    site.update(&[site.path("content/news/xin")]);
    assert!(!site.engine.files().contains_key("news/xin/index.html"));
}

#[test]
fn template_edit_renders_the_outputs_that_use_it() {
    let mut site = Site::fixture();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let page = std::fs::read_to_string(repo.join("themes/default/templates/page.html")).unwrap();
    let path = site.write(
        "templates/page.html",
        &page.replacen(
            "{% block content %}",
            "{% block content %}{# 本站改过 #}",
            1,
        ),
    );
    let report = site.update(std::slice::from_ref(&path));
    assert!(report.rendered.iter().any(|r| r == PAGE_OUT));
    // Section lists use section.html, not page.html; member profiles use member.html.
    for out in [
        "news/yaowen/index.html",
        "index.html",
        "members/ma-li-xin/index.html",
    ] {
        assert!(
            !report.rendered.iter().any(|r| r == out),
            "{out} in {:?}",
            report.rendered
        );
    }
    // A template that prints something new shows it.
    site.write(
        "templates/page.html",
        &page.replacen(
            "{% block content %}",
            "{% block content %}<!-- 本站模板 -->",
            1,
        ),
    );
    site.update(std::slice::from_ref(&path));
    let served = String::from_utf8_lossy(&site.engine.files()[PAGE_OUT]).into_owned();
    assert!(served.contains("<!-- 本站模板 -->"));
    // Removing the override goes back to the theme's.
    std::fs::remove_dir_all(site.path("templates")).unwrap();
    site.update(&[site.path("templates")]);
}

#[test]
fn static_files_and_config() {
    let mut site = Site::fixture();
    let path = site.write("static/robots.txt", "User-agent: *\n");
    site.update(std::slice::from_ref(&path));
    assert_eq!(&site.engine.files()["robots.txt"][..], b"User-agent: *\n");
    std::fs::remove_file(&path).unwrap();
    site.update(&[path]);
    // Without the site's own, tongxin writes one that names the sitemap.
    let generated = String::from_utf8_lossy(&site.engine.files()["robots.txt"]).into_owned();
    assert!(
        generated.contains("Sitemap: http://127.0.0.1:1111/sitemap.xml"),
        "{generated}"
    );
    let config = site.read("config.toml");
    let path = site.write(
        "config.toml",
        &config.replacen("title = \"", "title = \"（测试）", 1),
    );
    let report = site.update(&[path]);
    assert_eq!(report.kind, UpdateKind::Full);
}

#[test]
fn errors_keep_the_site_and_the_next_good_save_recovers() {
    let mut site = Site::fixture();
    let before = site.engine.files().clone();
    let text = site.read(PAGE);
    let path = site.write(PAGE, &text.replacen("title = \"", "title = ", 1));
    let err = site
        .engine
        .update(std::slice::from_ref(&path), false)
        .expect_err("broken front matter");
    assert!(err.to_string().contains(PAGE), "{err}");
    assert!(
        before == *site.engine.files(),
        "a failed update changed the served files"
    );
    // A second file broken while the first still is: both reported.
    let other = first_other_page(&site);
    let other_text = site.read(&other);
    let other_path = site.write(&other, &other_text.replacen("title = \"", "title = ", 1));
    let err = site
        .engine
        .update(std::slice::from_ref(&other_path), false)
        .expect_err("two broken");
    assert!(
        err.to_string().contains(PAGE) && err.to_string().contains(&other),
        "{err}"
    );
    // Fixing one still reports the other.
    site.write(&other, &other_text);
    let err = site
        .engine
        .update(&[other_path], false)
        .expect_err("one still broken");
    assert!(err.to_string().contains(PAGE), "{err}");
    site.write(PAGE, &text);
    site.update(&[path]);
}

/// A fixed pseudo-random run of mixed edits; after each, the served files equal a full build.
#[test]
fn a_long_run_of_mixed_edits_matches_full_builds() {
    let mut site = Site::fixture();
    let mut seed: u64 = 20261122;
    let mut next = move |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 33) as usize) % n
    };
    let pages = |site: &Site| -> Vec<String> {
        let mut out = Vec::new();
        for dir in [
            "content/news/yaowen",
            "content/news/dongtai",
            "content/news/tongzhi",
        ] {
            for e in std::fs::read_dir(site.path(dir)).unwrap() {
                let name = e.unwrap().file_name().to_string_lossy().into_owned();
                if name != "_index.md" && name.ends_with(".md") {
                    out.push(format!("{dir}/{name}"));
                }
            }
        }
        out.sort();
        out
    };
    let mut edits_seen = std::collections::BTreeSet::new();
    let mut kinds_seen = std::collections::BTreeSet::new();
    for step in 0..32 {
        let list = pages(&site);
        let rel = list[next(list.len())].clone();
        let text = site.read(&rel);
        let edit = next(8);
        let Some((head, body)) = text.strip_prefix("+++").and_then(|t| t.split_once("+++")) else {
            // YAML front matter: only appended to.
            site.write(&rel, &format!("{text}\n第{step}次追加的段落。\n"));
            site.update(&[site.path(&rel)]);
            continue;
        };
        let mut paths = vec![site.path(&rel)];
        match edit {
            // Body: first paragraph (summary) or the end.
            0 => {
                site.write(
                    &rel,
                    &format!("+++{head}+++\n\n第{step}次修改的导语。\n{body}"),
                );
            }
            1 => {
                site.write(&rel, &format!("{text}\n第{step}次追加的段落。\n"));
            }
            // Title, date, pinned, tags.
            2 => {
                site.write(
                    &rel,
                    &text.replacen("title = \"", &format!("title = \"{step}"), 1),
                );
            }
            3 => {
                let day = 1 + next(28);
                let line = format!("+++\ndate = 2026-0{}-{day:02}\n", 1 + next(9));
                let undated: String = text
                    .split_inclusive('\n')
                    .filter(|l| !l.starts_with("date = "))
                    .collect();
                site.write(&rel, &undated.replacen("+++\n", &line, 1));
            }
            4 => {
                let tags = ["协商议政", "提案工作", "委员履职", "城市更新"];
                let tag = tags[next(tags.len())];
                let new = if text.contains("tags = [") {
                    text.replacen("tags = [", &format!("tags = [\"{tag}\", "), 1)
                } else {
                    format!("{text}\n").replacen(
                        "+++\n\n",
                        &format!("[taxonomies]\ntags = [\"{tag}\"]\n+++\n\n"),
                        1,
                    )
                };
                site.write(&rel, &new);
            }
            // Draft, new page, deleted page.
            5 => {
                let toggled = if text.contains("draft = true\n") {
                    text.replacen("draft = true\n", "", 1)
                } else {
                    text.replacen("+++\n", "+++\ndraft = true\n", 1)
                };
                site.write(&rel, &toggled);
            }
            6 => {
                let new = format!(
                    "content/news/dongtai/2026-10-{:02}-bu-chong-{step}.md",
                    1 + next(28)
                );
                site.write(
                    &new,
                    &format!("+++\ntitle = \"补充稿件{step}\"\n+++\n\n补充正文{step}。\n"),
                );
                paths = vec![site.path(&new)];
            }
            _ => {
                std::fs::remove_file(site.path(&rel)).unwrap();
            }
        }
        let report = site
            .engine
            .update(&paths, false)
            .unwrap_or_else(|e| panic!("step {step}, edit {edit} of {rel}: {e}"));
        edits_seen.insert(edit);
        kinds_seen.insert(report.kind);
        site.assert_same_as_full_build();
    }
    assert_eq!(
        edits_seen.len(),
        8,
        "every kind of edit was made: {edits_seen:?}"
    );
    assert!(
        kinds_seen.contains(&UpdateKind::Patch) && kinds_seen.contains(&UpdateKind::Resolve),
        "{kinds_seen:?}"
    );
}

/// An error stays reported while its cause is there, whatever is saved next.
#[test]
fn errors_stay_until_their_cause_is_fixed() {
    let mut site = Site::fixture();
    let other = first_other_page(&site);
    let other_text = site.read(&other);
    let append =
        |site: &Site, n: usize| site.write(&other, &format!("{other_text}\n第{n}次修改。\n"));
    // A template that does not parse.
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let page = std::fs::read_to_string(repo.join("themes/default/templates/page.html")).unwrap();
    let template = site.write("templates/page.html", &format!("{page}{{% if %}}"));
    let err = site.engine.update(std::slice::from_ref(&template), false);
    assert!(err.is_err(), "broken template accepted");
    let path = append(&site, 1);
    let err = site
        .engine
        .update(&[path], false)
        .expect_err("template still broken");
    assert!(err.to_string().contains("templates/page.html"), "{err}");
    site.write("templates/page.html", &page);
    site.update(&[template]);
    // A page naming a template that does not exist: a render error on that page.
    let text = site.read(PAGE);
    let bad = site.write(
        PAGE,
        &text.replacen("+++\n", "+++\ntemplate = \"no-such.html\"\n", 1),
    );
    let err = site
        .engine
        .update(std::slice::from_ref(&bad), false)
        .expect_err("no template");
    assert!(err.to_string().contains("no-such.html"), "{err}");
    let path = append(&site, 2);
    let err = site
        .engine
        .update(&[path], false)
        .expect_err("page still broken");
    assert!(err.to_string().contains("no-such.html"), "{err}");
    site.write(PAGE, &text);
    site.update(&[bad]);
}

#[test]
fn an_image_added_or_replaced_shows_its_new_size_and_is_served_processed() {
    use crate::images::{gradient, jpeg};
    let mut site = Site::fixture();
    let image = site.path("static/images/serve.jpg");
    std::fs::create_dir_all(image.parent().unwrap()).unwrap();
    std::fs::write(&image, jpeg(2000, 1000, gradient)).unwrap();
    let body = site.read(PAGE) + "\n![会场](/images/serve.jpg)\n";
    let page = site.write(PAGE, &body);
    site.update(&[image.clone(), page]);
    let html = String::from_utf8_lossy(&site.engine.files()[PAGE_OUT]).into_owned();
    assert!(html.contains(r#"width="1600" height="800""#), "{html}");
    let served = image::load_from_memory(&site.engine.files()["images/serve.jpg"]).unwrap();
    assert_eq!((served.width(), served.height()), (1600, 800));
    // Replaced by a smaller picture: the page that shows it is rendered again.
    std::fs::write(&image, jpeg(500, 400, gradient)).unwrap();
    let report = site.update(std::slice::from_ref(&image));
    // Only the page that shows it: its summary and every other output read nothing of it.
    assert_eq!(report.rendered, [PAGE_OUT]);
    let html = String::from_utf8_lossy(&site.engine.files()[PAGE_OUT]).into_owned();
    assert!(html.contains(r#"width="500" height="400""#), "{html}");
}

/// A body edit that adds or removes a link to a file in `content/` publishes or withdraws that
/// file, as a full build would (SPEC: such files are published only when a page links them).
#[test]
fn linking_a_file_in_content_publishes_it_and_unlinking_withdraws_it() {
    let mut site = Site::fixture();
    let file = site.write("content/news/yaowen/fu-jian.pdf", "附件");
    let report = site.update(&[file]);
    assert!(
        !site.engine.files().contains_key("news/yaowen/fu-jian.pdf"),
        "{:?}",
        report.changes
    );
    let text = site.read(PAGE);
    let path = site.write(PAGE, &format!("{text}\n[附件](/news/yaowen/fu-jian.pdf)\n"));
    site.update(&[path]);
    assert!(site.engine.files().contains_key("news/yaowen/fu-jian.pdf"));
    let path = site.write(PAGE, &text);
    site.update(&[path]);
    assert!(!site.engine.files().contains_key("news/yaowen/fu-jian.pdf"));
}

/// The portal fixture's fields (焦点图, 专题 `active`, `list`, `leader`) and an attachment's size:
/// every edit is served as a full build would make it.
#[test]
fn portal_edits_match_a_full_build() {
    let mut site = Site::of("portal");
    let edit = |site: &mut Site, rel: &str, from: &str, to: &str| {
        let text = site.read(rel);
        assert!(text.contains(from), "{rel} lacks {from}");
        let path = site.write(rel, &text.replacen(from, to, 1));
        site.update(&[path]);
    };
    let home = |site: &Site| String::from_utf8(site.engine.files()["index.html"].to_vec()).unwrap();
    // 焦点图 off and on again: the carousel follows.
    let focus = "content/news/yaowen/2026-11-06-jiao-dian-6.md";
    edit(&mut site, focus, "focus = true", "focus = false");
    assert!(!home(&site).contains("焦点新闻6</a></p>"));
    edit(&mut site, focus, "focus = false", "focus = true");
    assert!(home(&site).contains("焦点新闻6</a></p>"));
    // A 专题 made inactive leaves the home page; the other one becomes active.
    edit(
        &mut site,
        "content/zhuanti/quanhui/_index.md",
        "active = true",
        "active = false",
    );
    assert!(!home(&site).contains("topic-banners"));
    edit(
        &mut site,
        "content/zhuanti/jiu/_index.md",
        "description",
        "active = true\ndescription",
    );
    assert!(home(&site).contains("alt=\"往年专题\""));
    // List styles change.
    edit(
        &mut site,
        "content/news/tupian/_index.md",
        "\"picture\"",
        "\"summary\"",
    );
    edit(
        &mut site,
        "content/news/yaowen/_index.md",
        "weight = 1",
        "weight = 1\nlist = \"picture\"",
    );
    // Leader order changes.
    edit(
        &mut site,
        "content/members/zhao.md",
        "leader = 1",
        "leader = 7",
    );
    let h = home(&site);
    assert!(h.find("钱副主席").unwrap() < h.find("赵主席").unwrap());
    // An attachment grows: the page that lists it shows the new size.
    let docx = site.write("static/files/bao-ming-biao.docx", &"x".repeat(9000));
    site.update(&[docx]);
}

/// 提案 edits: a status change, a 提案 made non-public and public again, a 类别 moved. Each
/// time the served files equal a full build (the proposals section, its 类别 and 办理状态
/// pages, the member's profile, feeds, sitemap and search).
#[test]
fn proposal_edits_match_full_builds() {
    const A: &str = "content/ti-an/2026-01-10-dian-ti.md";
    const B: &str = "content/ti-an/2026-01-11-yang-lao.md";
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_tree(&fixtures().join("incremental"), &root);
    let config = std::fs::read_to_string(root.join("config.toml")).unwrap();
    let config = format!("{config}\n[proposals]\ncategories = [\"城乡建设\", \"社会事业\"]\n");
    std::fs::write(root.join("config.toml"), config).unwrap();
    let proposal = |title: &str, number: &str, category: &str, status: &str| {
        format!(
            "+++\ntitle = \"{title}\"\nnumber = \"{number}\"\nproposers = [\"马立新\"]\ncategory = \"{category}\"\nsession = \"九届四次会议\"\nstatus = \"{status}\"\n+++\n\n{title}的案由。\n\n<!-- reply -->\n\n答复。\n"
        )
    };
    let files = [
        (
            "content/ti-an/_index.md",
            "+++\ntitle = \"政协提案\"\nkind = \"proposals\"\n+++\n".to_string(),
        ),
        (
            A,
            proposal("关于加装电梯的提案", "第12号", "城乡建设", "办理中"),
        ),
        (
            B,
            proposal("关于居家养老的提案", "第9号", "社会事业", "已办结"),
        ),
    ];
    for (rel, text) in &files {
        std::fs::create_dir_all(root.join(rel).parent().unwrap()).unwrap();
        std::fs::write(root.join(rel), text).unwrap();
    }
    let (engine, _) = Engine::new(&options(&root)).expect("first build");
    let mut site = Site {
        _dir: dir,
        root,
        engine,
    };
    site.assert_same_as_full_build();
    let a = site.read(A);
    let steps = [
        a.replace("办理中", "已办结"),
        a.replace("status = \"办理中\"", "status = \"已办结\"\npublic = false"),
        a.replace("办理中", "已办结"),
        a.replace("城乡建设", "社会事业"),
    ];
    for text in steps {
        let path = site.write(A, &text);
        site.update(&[path]);
    }
    let out = site.engine.files();
    assert!(out.contains_key("ti-an/categories/she-hui-shi-ye/index.html"));
    assert!(!out.contains_key("ti-an/categories/cheng-xiang-jian-she/index.html"));
    let private = site.write(A, &a.replace("status = \"办理中\"", "public = false"));
    site.update(&[private]);
    assert!(!site.engine.files().contains_key("ti-an/dian-ti/index.html"));
    assert!(
        !site
            .engine
            .files()
            .contains_key("ti-an/status/ban-li-zhong/index.html")
    );
}

#[test]
fn a_replaced_theme_css_and_old_urls_follow_edits() {
    let mut site = Site::fixture();
    let css_names = |site: &Site| -> Vec<String> {
        let re = regex::Regex::new(r"^style\.[0-9a-f]{10}\.css$").unwrap();
        site.engine
            .files()
            .keys()
            .filter(|k| re.is_match(k))
            .cloned()
            .collect()
    };
    let before = css_names(&site);
    assert_eq!(before.len(), 1, "{before:?}");
    // The site's own style.css replaces the theme's: a new name, in every page.
    let path = site.write("static/style.css", "body { color: #222; }\n");
    site.update(std::slice::from_ref(&path));
    let after = css_names(&site);
    let expected = tongxin::assets::fingerprinted_name("style.css", b"body { color: #222; }\n");
    assert_eq!(after, std::slice::from_ref(&expected));
    let home = String::from_utf8_lossy(&site.engine.files()["index.html"]).into_owned();
    assert!(home.contains(&format!("href=\"/{expected}\"")));
    // Old URLs come and go with the front matter; a redirects.csv starts over.
    let page = first_other_page(&site);
    let text = site.read(&page);
    let with = text.replacen("+++\n", "+++\naliases = [\"/old/a.html\"]\n", 1);
    let path = site.write(&page, &with);
    site.update(std::slice::from_ref(&path));
    assert!(site.engine.files().contains_key("old/a.html"));
    let path = site.write(&page, &text);
    site.update(std::slice::from_ref(&path));
    assert!(!site.engine.files().contains_key("old/a.html"));
    let path = site.write("redirects.csv", &format!("/old/b.html,{page}\n"));
    let report = site.update(&[path]);
    assert_eq!(report.kind, UpdateKind::Full);
    assert!(site.engine.files().contains_key("old/b.html"));
    let map =
        String::from_utf8_lossy(&site.engine.files()[".tongxin-redirects.nginx.conf"]).into_owned();
    assert!(map.contains("\"/old/b.html\""), "{map}");
}
