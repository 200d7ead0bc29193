//! 提案 (`proposals` kind) on the `proposals` fixture: a 提案's page with every field and its
//! 答复, the list by 届次·次会议 in natural 提案号 order, the 类别 and 办理状态 pages, a
//! member's 提案, feeds, sitemap and search, and a non-public 提案 absent from every output.

use crate::support::*;

/// The marker written in the non-public 提案's title, number, body and reply.
const SECRET: &str = "ZQX7";
const SECRET_FILE: &str = "content/ti-an/2026-01-12-mi-mi.md";

fn built() -> SiteTest {
    let site = SiteTest::fixture("proposals");
    site.build(&[]);
    site
}

/// Byte offset of `needle` in `hay`, or a failure naming both.
fn at(hay: &str, needle: &str) -> usize {
    hay.find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not found in:\n{hay}"))
}

#[test]
fn proposal_page_shows_every_field_and_the_reply_apart() {
    let site = built();
    let html = site.read("ti-an/dian-ti/index.html");
    for text in [
        "<dt>提案号</dt><dd>第12号</dd>",
        "<a href=\"/members/wang-yi/\">王一</a>、无名氏",
        "<a href=\"/ti-an/categories/cheng-xiang-jian-she/\">城乡建设</a>",
        "<dt>届次</dt><dd>十二届五次会议</dd>",
        "2026年1月10日",
        "<dt>主办单位</dt><dd>区住建局</dd>",
        "<dt>会办单位</dt><dd>区财政局、区民政局</dd>",
        "<a class=\"status status-ban-li-zhong\" href=\"/ti-an/status/ban-li-zhong/\">办理中</a>",
        "重点提案",
    ] {
        assert!(html.contains(text), "`{text}` missing:\n{html}");
    }
    // No member page has the second name: it stays plain text.
    assert!(!html.contains(">无名氏</a>"), "{html}");
    assert!(!html.contains("优秀提案"), "{html}");
    // The 案由 comes first, then the 答复 in its own section.
    let case = at(&html, "老旧小区加装电梯的案由");
    let reply = at(&html, "<section class=\"proposal-reply\"");
    let answer = at(&html, "答复正文：今年已加装电梯二十部。");
    assert!(case < reply && reply < answer, "{html}");
    assert!(
        html.contains("<p class=\"signature\">区住建局</p>"),
        "{html}"
    );
    // A 提案 without the marker has no reply section.
    let plain = site.read("ti-an/yang-lao/index.html");
    assert!(plain.contains("居家养老的案由"), "{plain}");
    assert!(!plain.contains("proposal-reply"), "{plain}");
    // A group proposal shows its group.
    let group = site.read("ti-an/jiao-yu/index.html");
    assert!(
        group.contains("<dt>集体提案</dt><dd>民盟区委会</dd>"),
        "{group}"
    );
    assert!(group.contains("优秀提案"), "{group}");
}

#[test]
fn list_groups_by_session_newest_first_with_numbers_in_natural_order() {
    let site = built();
    let html = site.read("ti-an/index.html");
    let newer = at(&html, "<h2>十二届五次会议</h2>");
    let older = at(&html, "<h2>十二届四次会议</h2>");
    assert!(newer < older, "{html}");
    let (n9, n12, n101) = (
        at(&html, "第9号"),
        at(&html, "第12号"),
        at(&html, "第101号"),
    );
    assert!(
        newer < n9 && n9 < n12 && n12 < n101 && n101 < older,
        "{html}"
    );
    assert!(at(&html, "第3号") > older, "{html}");
    // Each row: number, title, proposers or group, status.
    assert!(html.contains("王一、无名氏"), "{html}");
    assert!(html.contains("<td>民盟区委会</td>"), "{html}");
    assert!(html.contains("李二（工商联）"), "{html}");
    assert!(
        html.contains("<span class=\"status\">立案</span>"),
        "{html}"
    );
}

#[test]
fn category_and_status_pages_list_their_proposals_and_the_list_links_them() {
    let site = built();
    let list = site.read("ti-an/index.html");
    for (url, label) in [
        ("/ti-an/categories/she-hui-shi-ye/", "社会事业（2）"),
        ("/ti-an/categories/cheng-xiang-jian-she/", "城乡建设（1）"),
        ("/ti-an/status/yi-ban-jie/", "已办结（2）"),
        ("/ti-an/status/ban-li-zhong/", "办理中（1）"),
        ("/ti-an/status/li-an/", "立案（1）"),
    ] {
        assert!(
            list.contains(&format!("<a href=\"{url}\">{label}</a>")),
            "{url} {label}:\n{list}"
        );
    }
    let social = site.read("ti-an/categories/she-hui-shi-ye/index.html");
    assert!(social.contains("/ti-an/jiao-yu/") && social.contains("/ti-an/yang-lao/"));
    assert!(!social.contains("/ti-an/dian-ti/"), "{social}");
    assert!(social.contains("类别 · 共 2 件提案"), "{social}");
    assert!(social.contains("<span aria-current=\"page\">社会事业（2）</span>"));
    let done = site.read("ti-an/status/yi-ban-jie/index.html");
    assert!(done.contains("/ti-an/jiao-yu/") && done.contains("/ti-an/yang-lao/"));
    assert!(!done.contains("/ti-an/qu-nian/"), "{done}");
    // Only the non-public 提案 has 并案 or 经济建设: neither page exists.
    assert!(!site.exists("ti-an/status/bing-an/index.html"));
    assert!(!site.exists("ti-an/categories/jing-ji-jian-she/index.html"));
}

#[test]
fn member_profile_lists_the_proposals_naming_them() {
    let site = built();
    let wang = site.read("members/wang-yi/index.html");
    let section = &wang[at(&wang, "提交的提案")..];
    assert!(section.contains("/ti-an/yang-lao/") && section.contains("/ti-an/dian-ti/"));
    // In list order: 第9号 before 第12号.
    assert!(at(section, "/ti-an/yang-lao/") < at(section, "/ti-an/dian-ti/"));
    let li = site.read("members/li-er/index.html");
    assert!(li.contains("/ti-an/qu-nian/"), "{li}");
    // A group 提案 (民盟区委会) lists on nobody's profile; a member without 提案 has no list.
    let zhang = site.read("members/zhang-san/index.html");
    assert!(!zhang.contains("提交的提案"), "{zhang}");
    assert!(!wang.contains("/ti-an/jiao-yu/"), "{wang}");
}

#[test]
fn feed_sitemap_and_search_hold_public_proposals() {
    let site = built();
    let feed = site.read("ti-an/rss.xml");
    assert_eq!(feed.matches("<item>").count(), 4, "{feed}");
    assert!(feed.contains("/ti-an/dian-ti/"), "{feed}");
    let sitemap = site.read("sitemap.xml");
    for path in [
        "/ti-an/",
        "/ti-an/dian-ti/",
        "/ti-an/categories/she-hui-shi-ye/",
        "/ti-an/status/yi-ban-jie/",
    ] {
        assert!(
            sitemap.contains(&format!("{path}</loc>")),
            "{path}:\n{sitemap}"
        );
    }
    let index: String = walkdir(&site.public().join("search"))
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap_or_default())
        .collect();
    assert!(
        index.contains("关于加装电梯的提案"),
        "search lacks a public 提案"
    );
}

/// Every output file of a build (HTML, XML, JSON shards, the lot), read as text.
fn all_outputs(site: &SiteTest) -> Vec<(String, String)> {
    walkdir(&site.public())
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            let rel = p.strip_prefix(site.public()).unwrap().display().to_string();
            (rel, String::from_utf8_lossy(&bytes).into_owned())
        })
        .collect()
}

#[test]
fn non_public_proposal_appears_in_no_output() {
    let site = SiteTest::fixture("proposals");
    let text = std::fs::read_to_string(site.root.join(SECRET_FILE)).unwrap();
    assert!(text.contains("public = false") && text.matches(SECRET).count() >= 4);
    for flags in [&[][..], &["--drafts", "--future"][..]] {
        site.build(flags);
        let outputs = all_outputs(&site);
        assert!(outputs.len() > 20, "too few outputs: {}", outputs.len());
        // The same search, for a public 提案, finds it: the grep can fail.
        assert!(outputs.iter().any(|(_, t)| t.contains("第101号")));
        let leaks: Vec<&String> = outputs
            .iter()
            .filter(|(_, t)| t.contains(SECRET) || t.contains("mi-mi"))
            .map(|(p, _)| p)
            .collect();
        assert!(leaks.is_empty(), "non-public 提案 in {leaks:?} ({flags:?})");
    }
    // Made public, it is everywhere: the marker really is what the outputs would hold.
    site.write(
        SECRET_FILE,
        &text.replace("public = false", "public = true"),
    );
    site.build(&[]);
    let outputs = all_outputs(&site);
    assert!(site.exists("ti-an/mi-mi/index.html"));
    assert!(site.read("ti-an/rss.xml").contains(SECRET));
    assert!(site.read("sitemap.xml").contains("/ti-an/mi-mi/"));
    assert!(site.read("members/wang-yi/index.html").contains(SECRET));
    assert!(site.exists("ti-an/status/bing-an/index.html"));
    assert!(
        outputs
            .iter()
            .any(|(p, t)| p.starts_with("search/index/") && t.contains(SECRET)),
        "search does not index the made-public 提案"
    );
}

#[test]
fn link_to_a_non_public_proposal_is_a_check_error() {
    let site = SiteTest::fixture("proposals");
    site.write(
        "content/ti-an/2026-01-13-yin-yong.md",
        "+++\ntitle = \"引用\"\nproposers = [\"李二\"]\n+++\n\n见[另一件提案](/ti-an/mi-mi/)、\
         [二](../mi-mi)和[三](/ti-an/mi-mi/index.html#da-fu)，及[公开的](/ti-an/)。\n",
    );
    let out = site.run("check", &[]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let said = format!("error[link]: 链接指向不公开的提案 {SECRET_FILE}");
    assert_eq!(text.matches(&said).count(), 3, "{text}");
    // Published, the links are their text alone: the URL would tell what the 提案 is about.
    site.build(&[]);
    let html = site.read("ti-an/yin-yong/index.html");
    assert!(
        html.contains("见另一件提案、二和三，及<a href=\"/ti-an/\">公开的</a>"),
        "{html}"
    );
    assert!(!html.contains("mi-mi"), "{html}");
}

#[test]
fn proposal_fields_are_typed_and_the_hint_lists_them() {
    let site = SiteTest::fixture("proposals");
    site.write(
        "content/ti-an/2026-01-13-cuo.md",
        "+++\ntitle = \"错\"\nproposers = \"王一\"\nexcellent = \"是\"\npublic = 1\nhandler = [\"区住建局\"]\n+++\n\n正文。\n",
    );
    let out = site.run("check", &[]);
    let text = stdout(&out);
    let file = "content/ti-an/2026-01-13-cuo.md";
    for line in [
        format!(
            "{file}:3:1: error[field]: 字段 `proposers` 类型错误：应为字符串数组，实际是字符串"
        ),
        format!(
            "{file}:4:1: error[field]: 字段 `excellent` 类型错误：应为布尔值（true 或 false），实际是字符串"
        ),
        format!(
            "{file}:5:1: error[field]: 字段 `public` 类型错误：应为布尔值（true 或 false），实际是数字"
        ),
        format!("{file}:6:1: error[field]: 未知字段 `handler`"),
    ] {
        assert!(text.contains(&line), "`{line}` missing:\n{text}");
    }
    assert!(
        !text.contains("提案缺少提案人"),
        "one mistake, one error:\n{text}"
    );
    assert!(
        text.contains("extra、number、proposers、group、category、session、handlers、co_handlers、status、key、excellent、public"),
        "{text}"
    );
}

#[test]
fn new_writes_a_proposal_that_checks_as_a_draft() {
    let site = SiteTest::fixture("proposals");
    let out = site.run("new", &["ti-an", "关于测试的提案"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let path = stdout(&out);
    let text = std::fs::read_to_string(site.root.join(path.trim())).unwrap();
    assert!(
        text.contains("status = \"立案\"") && text.contains("draft = true"),
        "{text}"
    );
    let check = site.run("check", &[]);
    assert!(
        !stdout(&check).contains("error[field]"),
        "{}",
        stdout(&check)
    );
}

#[test]
fn nested_proposal_sections_list_under_their_top_section() {
    let site = SiteTest::fixture("proposals");
    // A subsection inherits the kind; its 提案 are in the top section's lists and groups.
    site.write(
        "content/ti-an/jiu-jie/_index.md",
        "+++\ntitle = \"九届\"\n+++\n",
    );
    site.write(
        "content/ti-an/jiu-jie/2024-01-10-gu-ji.md",
        "+++\ntitle = \"关于古迹保护的提案\"\nnumber = \"九届第1号\"\ngroup = \"文化艺术界\"\nsession = \"九届一次会议\"\nstatus = \"已办结\"\n+++\n\n古迹。\n",
    );
    // A 提案 section under a plain one: its pages are under its own path.
    site.write("content/gong-zuo/_index.md", "+++\ntitle = \"工作\"\n+++\n");
    site.write(
        "content/gong-zuo/jian-yi/_index.md",
        "+++\ntitle = \"建议\"\nkind = \"proposals\"\n+++\n",
    );
    site.write(
        "content/gong-zuo/jian-yi/2026-02-01-lu-deng.md",
        "+++\ntitle = \"关于路灯的提案\"\nnumber = \"建议第1号\"\nproposers = [\"张三\"]\nstatus = \"立案\"\n+++\n\n路灯。\n",
    );
    site.build(&[]);
    let top = site.read("ti-an/index.html");
    assert!(top.contains("<h2>九届一次会议</h2>"), "{top}");
    assert!(
        site.read("ti-an/status/yi-ban-jie/index.html")
            .contains("/ti-an/jiu-jie/gu-ji/")
    );
    assert!(!site.exists("ti-an/jiu-jie/status/yi-ban-jie/index.html"));
    let sub = site.read("ti-an/jiu-jie/index.html");
    assert!(
        sub.contains("<a href=\"/ti-an/status/yi-ban-jie/\">已办结（3）</a>"),
        "{sub}"
    );
    assert!(
        site.read("gong-zuo/jian-yi/status/li-an/index.html")
            .contains("/gong-zuo/jian-yi/lu-deng/")
    );
    // Each top section counts only its own 提案.
    assert!(
        top.contains("立案（1）") && !top.contains("lu-deng"),
        "{top}"
    );
    assert!(
        site.read("members/zhang-san/index.html")
            .contains("/gong-zuo/jian-yi/lu-deng/")
    );
}

#[test]
fn a_non_public_proposal_keeps_its_number_to_itself() {
    let site = SiteTest::fixture("proposals");
    site.write(
        "content/ti-an/2026-01-20-chong-fu.md",
        "+++\ntitle = \"重号\"\nnumber = \"ZQX7-001\"\nproposers = [\"李二\"]\n+++\n\n正文。\n",
    );
    let out = site.run("check", &[]);
    let text = stdout(&out);
    assert!(
        text.contains(&format!(
            "content/ti-an/2026-01-20-chong-fu.md:3:1: error[field]: 提案号 `ZQX7-001` 与 {SECRET_FILE} 重复"
        )),
        "{text}"
    );
    // Typed with full-width digits, a number is the same number.
    site.write(
        "content/ti-an/2026-01-21-quan-jiao.md",
        "+++\ntitle = \"全角\"\nnumber = \"第１２号\"\nproposers = [\"李二\"]\n+++\n\n正文。\n",
    );
    let text = stdout(&site.run("check", &[]));
    assert!(
        text.contains("content/ti-an/2026-01-21-quan-jiao.md:3:1: error[field]: 提案号 `第１２号` 与 content/ti-an/2026-01-10-dian-ti.md 重复"),
        "{text}"
    );
}

#[test]
fn a_paged_list_repeats_the_session_heading_on_each_pager() {
    let site = SiteTest::fixture("proposals");
    site.write(
        "content/ti-an/_index.md",
        "+++\ntitle = \"提案\"\nkind = \"proposals\"\npaginate_by = 2\n+++\n",
    );
    site.build(&[]);
    let first = site.read("ti-an/index.html");
    let second = site.read("ti-an/page/2/index.html");
    // 第9号 and 第12号 on the first pager, 第101号 (same session) and 第3号 on the second.
    assert!(first.contains("第9号") && first.contains("第12号") && !first.contains("第101号"));
    assert!(second.contains("<h2>十二届五次会议</h2>") && second.contains("第101号"));
    assert!(second.contains("<h2>十二届四次会议</h2>"), "{second}");
    assert!(first.contains("href=\"/ti-an/page/2/\""), "{first}");
}

/// The fields a page shows beside its text are searchable: a 提案 by its number and its
/// 集体提案, a member by 届次 and 职务. A 提案 that is not public is found by none
/// of its fields, nor by its text.
#[test]
fn fields_shown_on_a_page_are_searchable() {
    let site = SiteTest::fixture("proposals");
    site.write(
        "content/members/zhang-san.md",
        "+++\ntitle = \"张三\"\nsector = \"工商联\"\nterm = \"第十五届\"\nposition = \"常委\"\n+++\n\n没有提案的委员。\n",
    );
    let mut opts = tongxin::BuildOptions::new(site.root.clone(), TODAY.parse().unwrap());
    opts.output_dir = None;
    let (files, _) = tongxin::build_in_memory(&opts).expect("build");
    let read = |p: &str| files.get(p).cloned();
    let chunk = tongxin::search::CHUNK;
    let titles = |query: &str| -> Vec<String> {
        let found = tongxin::search::reader::search(&read, query);
        let mut titles: Vec<String> = found
            .hits
            .iter()
            .map(|&id| {
                let path = format!("search/index/p/{}.json", id as usize / chunk);
                let rows: Vec<Vec<String>> = serde_json::from_slice(&files[&path]).unwrap();
                rows[id as usize % chunk][0].clone()
            })
            .collect();
        titles.sort();
        titles
    };
    assert_eq!(titles("第十五届"), ["张三"]);
    assert_eq!(titles("常委"), ["张三"]);
    assert_eq!(titles("第101号"), ["关于课后服务的提案"]);
    assert_eq!(titles("民盟区委会"), ["关于课后服务的提案"]);
    // Fields are lines of their own: 职务 and the 届次 on the next line make no phrase.
    assert!(titles("常委第十五届").is_empty());
    for hidden in [SECRET, "ZQX7-001", "zqx7"] {
        assert!(titles(hidden).is_empty(), "{hidden}");
    }
}

/// A 附件 in `static/` is published whoever links it: when only a non-public 提案 links it,
/// `check` says so at the link; linked from a public page as well, it is meant to be public.
#[test]
fn a_static_attachment_only_a_non_public_proposal_links_is_an_error() {
    let site = SiteTest::fixture("proposals");
    let text = std::fs::read_to_string(site.root.join(SECRET_FILE)).unwrap();
    site.write(
        SECRET_FILE,
        &format!("{text}\n附件：[名单](/files/fu-jian.docx)\n"),
    );
    site.write("static/files/fu-jian.docx", "not a real docx");
    let line = text.lines().count() + 2;
    let said = format!(
        "{SECRET_FILE}:{line}:4: error[link]: 附件 /files/fu-jian.docx 在 static/ 中，会随网站发布，而链接它的提案不公开"
    );
    let out = site.run("check", &[]);
    assert!(stdout(&out).contains(&said), "{said}\n{}", stdout(&out));
    site.write(
        "content/ti-an/2026-01-13-gong-kai.md",
        "+++\ntitle = \"公开\"\nproposers = [\"李二\"]\n+++\n\n见[附件](/files/fu-jian.docx)。\n",
    );
    let out = site.run("check", &[]);
    assert!(!stdout(&out).contains("会随网站发布"), "{}", stdout(&out));
}
