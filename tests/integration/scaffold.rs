//! `init` and `new`: their output builds, and they refuse to overwrite.

use crate::support::*;

/// `init` writes a site that builds at once, with every config key, a 错敏词 dictionary and a
/// leaders list; `check` flags each placeholder until staff fill it in, and is clean after.
#[test]
fn init_makes_a_site_that_builds_and_flags_its_placeholders() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("新站点");
    let out = bin()
        .arg("init")
        .arg(&site)
        .args(["--today", TODAY])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let config = std::fs::read_to_string(site.join("config.toml")).unwrap();
    for key in [
        "title",
        "base_url",
        "description",
        "language",
        "timezone",
        "theme",
        "paginate_by",
        "feed_limit",
        "organizer",
        "icp",
        "police",
        "site_code",
        "address",
        "phone",
        "conac_image",
        "conac_url",
        "[[links]]",
        "[proposals]",
        "categories",
        "sectors",
        "committees",
        "[taxonomies]",
        "unsafe_html",
        "[search]",
        "words",
        "leaders",
        "home_freshness_days",
        "[images]",
        "max_width",
        "[output]",
        "compress",
    ] {
        assert!(config.contains(key), "config.toml lacks {key}");
    }
    assert!(site.join("check/words.toml").is_file());
    assert!(site.join("check/leaders.toml").is_file());
    let run = |args: &[&str]| {
        bin()
            .args(args)
            .arg("--root")
            .arg(&site)
            .args(["--today", TODAY])
            .output()
            .unwrap()
    };
    let out = run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site.join("public/members/zhang-ming/index.html").is_file());
    assert!(
        site.join("public/wenshi/lao-jie-jiu-shi/index.html")
            .is_file()
    );
    assert!(
        site.join("public/proposals/jia-zhuang-dian-ti/index.html")
            .is_file()
    );
    assert!(
        site.join("public/news/yaowen/quan-ti-hui-yi-kai-mu/index.html")
            .is_file()
    );
    let topic = std::fs::read_to_string(site.join("public/zhuanti/quan-hui/index.html")).unwrap();
    assert!(
        topic.contains("src=\"/images/zhuanti-banner.svg\" alt=\"\" width=\"1200\" height=\"240\""),
        "a 专题 with its banner: {topic}"
    );
    assert_eq!(
        broken_internal_links(&site.join("public"), ""),
        Vec::<(String, String)>::new()
    );
    let out = run(&["check"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "placeholders in the footer are errors"
    );
    let report = stdout(&out);
    for line in [
        "config.toml:15:1: error[footer]: 页脚的ICP备案号还是示例内容「X ICP备00000000号」",
        "config.toml:19:1: error[footer]: 页脚的电话还是示例内容「0000-00000000」",
        "config.toml:4:1: warning[placeholder]: 网站名称还是示例内容「XX区政协」",
        "config.toml:5:1: warning[placeholder]: 网站地址还是示例内容「https://www.example.gov.cn」",
        "content/about/lian-xi.md:5:4: warning[placeholder]: 还有待填写的示例内容「XX」",
    ] {
        assert!(report.contains(line), "{line}\n{report}");
    }
    // The 错敏词 dictionary is in use.
    let page = site.join("content/news/yaowen/2026-11-20-quan-ti-hui-yi-kai-mu.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, format!("{text}\n区政协代表出席。\n")).unwrap();
    assert!(stdout(&run(&["check"])).contains("error[word]"));
    std::fs::write(&page, text).unwrap();
    // Filled in, the site checks clean.
    let filled = config
        .replace("XX区", "青山区")
        .replace("XX路", "青山路")
        .replace("https://www.example.gov.cn", "https://www.qszx.example.cn")
        .replace("X ICP备00000000号", "清ICP备20260123号")
        .replace("X公网安备00000000000000号", "清公网安备12345602000101号")
        .replace("0000000000", "1234000001")
        .replace("0000-00000000", "0123-45678900");
    std::fs::write(site.join("config.toml"), filled).unwrap();
    for rel in [
        "content/about/lian-xi.md",
        "content/wenshi/2026-11-20-lao-jie-jiu-shi.md",
    ] {
        let text = std::fs::read_to_string(site.join(rel)).unwrap();
        std::fs::write(site.join(rel), text.replace("XX", "青山")).unwrap();
    }
    let out = run(&["check"]);
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("共 0 个错误，0 个警告"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn init_refuses_a_non_empty_folder() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("keep.txt"), "x").unwrap();
    let out = bin().arg("init").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("不是空目录"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

/// `new` writes a draft: nothing is published until staff remove `draft`, and then `check`
/// reports every placeholder left in.
#[test]
fn new_writes_a_dated_pinyin_draft_with_placeholders() {
    let site = SiteTest::fixture("basic");
    let out = site.run("new", &["news/yaowen", "区政协召开重庆银行座谈会"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let path = stdout(&out).trim().to_string();
    assert!(path.ends_with("content/news/yaowen/2026-11-20-qu-zheng-xie-zhao-kai-chong-qing-yin-hang-zuo-tan-hui.md"), "{path}");
    assert!(
        stderr(&out).contains("删去 draft = true"),
        "{}",
        stderr(&out)
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("+++\ntitle = \"区政协召开重庆银行座谈会\"\ndraft = true"));
    site.build(&[]);
    let out_page = "news/yaowen/qu-zheng-xie-zhao-kai-chong-qing-yin-hang-zuo-tan-hui/index.html";
    assert!(!site.exists(out_page), "a draft is not published");
    let published: String = text
        .lines()
        .filter(|l| !l.starts_with("draft"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&path, published).unwrap();
    site.build(&[]);
    assert!(site.exists(out_page));
    let report = stdout(&site.run("check", &[]));
    let rel =
        "content/news/yaowen/2026-11-20-qu-zheng-xie-zhao-kai-chong-qing-yin-hang-zuo-tan-hui.md";
    for line in [
        format!("{rel}:4:11: warning[placeholder]: 还有待填写的示例内容「【请填写来源】」"),
        format!("{rel}:5:11: warning[placeholder]: 还有待填写的示例内容「【请填写责任编辑】」"),
        format!("{rel}:13:1: warning[placeholder]: 还有待填写的示例内容「【请在此填写正文】」"),
    ] {
        assert!(report.contains(&line), "{line}\n{report}");
    }
    let again = site.run("new", &["news/yaowen", "区政协召开重庆银行座谈会"]);
    assert_eq!(again.status.code(), Some(1), "refuses to overwrite");
}

/// Run in the site's folder without `--root`, `new` prints the path as staff would type it.
#[test]
fn new_in_the_site_folder_prints_a_path_from_there() {
    let site = SiteTest::fixture("basic");
    let out = bin()
        .current_dir(&site.root)
        .args(["new", "--today", TODAY, "news/yaowen", "区政协召开常委会议"])
        .output()
        .expect("run tongxin");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "content/news/yaowen/2026-11-20-qu-zheng-xie-zhao-kai-chang-wei-hui-yi.md\n"
    );
}

#[test]
fn new_drops_line_breaks_and_control_characters_pasted_into_a_title() {
    let site = SiteTest::fixture("basic");
    let out = site.run("new", &["news/yaowen", "关于召开\u{b}全会的通知\"\n+++\nx"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(stdout(&out).trim()).unwrap();
    assert!(
        text.starts_with("+++\ntitle = \"关于召开 全会的通知\\\" +++ x\"\ndraft = true"),
        "{text}"
    );
    let check = site.run("check", &[]);
    assert!(
        !stdout(&check).contains("front-matter"),
        "{}",
        stdout(&check)
    );
}

#[test]
fn new_in_a_missing_section_fails() {
    let site = SiteTest::fixture("basic");
    let out = site.run("new", &["news/no-such", "标题"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("栏目不存在"), "{}", stderr(&out));
    let out = site.run("new", &["../escape", "标题"]);
    assert_eq!(out.status.code(), Some(1));
    // A title of marks only makes no file name, and the message says what it needs.
    let out = site.run("new", &["news/yaowen", "？？？"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("标题 `？？？` 无法生成文件名：标题里要有汉字、字母或数字"),
        "{}",
        stderr(&out)
    );
}

/// A member needs `--sector` from config (and may take `--committee`); a 文史 article comes
/// after the last one of its series.
#[test]
fn new_member_takes_its_sector_and_wenshi_comes_last_in_its_series() {
    let site = SiteTest::fixture("basic");
    let out = site.run("new", &["members", "王小明"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "content/members: error[field]: 新建委员页面要写明界别\n  提示：加上 --sector 界别，可选：工商联、教育界\n"
    );
    let out = site.run("new", &["members", "王小明", "--sector", "工会"]);
    assert_eq!(
        stderr(&out),
        "content/members: error[field]: 界别「工会」不在 config.toml 的 [members] 列表中\n  提示：--sector 可选：工商联、教育界\n"
    );
    let out = site.run("new", &["news/yaowen", "标题", "--sector", "教育界"]);
    assert_eq!(out.status.code(), Some(1));
    let member = site.run(
        "new",
        &[
            "members",
            "王小明",
            "--sector",
            "教育界",
            "--committee",
            "提案委员会",
        ],
    );
    assert!(member.status.success(), "{}", stderr(&member));
    let path = stdout(&member).trim().to_string();
    assert!(
        path.ends_with("content/members/wang-xiao-ming.md"),
        "{path}"
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("sector = \"教育界\"\ncommittee = \"提案委员会\"\n"),
        "{text}"
    );
    std::fs::write(&path, text.replace("draft = true", "")).unwrap();

    let weights: Vec<i64> = std::fs::read_dir(site.root.join("content/wenshi"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.ends_with("_index.md"))
        .filter_map(|path| {
            let text = std::fs::read_to_string(path).ok()?;
            let line = text.lines().find(|l| l.starts_with("weight = "))?;
            line["weight = ".len()..].trim().parse().ok()
        })
        .collect();
    let wenshi = site.run("new", &["wenshi", "古渡口"]);
    let path = stdout(&wenshi).trim().to_string();
    assert!(
        path.ends_with("content/wenshi/2026-11-20-gu-du-kou.md"),
        "{path}"
    );
    let text = std::fs::read_to_string(&path).unwrap();
    let next = weights.iter().max().map_or(1, |w| w + 1);
    assert!(
        text.contains(&format!("weight = {next}\n")),
        "after {weights:?}: {text}"
    );
    std::fs::write(&path, text.replace("draft = true", "")).unwrap();
    site.build(&[]);
    assert!(
        site.read("members/wang-xiao-ming/index.html")
            .contains("教育界")
    );
    assert!(site.exists("wenshi/gu-du-kou/index.html"));
}
