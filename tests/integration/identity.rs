//! What a 政府网站 inspector looks for on every page: the 网页设计规范 meta tags, the footer
//! identity (ICP linked, 公安备案 linked by its digits with a local icon, 网站标识码, 党政机关
//! 标识), the 网站地图 page and robots.txt, and navigation that shows where the reader is.

use crate::support::{SiteTest, stderr, stdout};

/// The basic fixture with a full footer, a 党政机关标识, 友情链接 and a 隐私声明 page.
fn site() -> SiteTest {
    let site = SiteTest::fixture("basic");
    let config = std::fs::read_to_string(site.root.join("config.toml")).unwrap();
    let config = config.replace(
        "icp = \"测ICP备00000001号\"",
        "icp = \"测ICP备00000001号\"\npolice = \"测公网安备12345602000101号\"\nsite_code = \"1234000001\"\nconac_image = \"/images/conac.png\"\nconac_url = \"https://bszs.conac.cn/sitename?method=show&id=1\"",
    );
    let config = format!(
        "{config}\n[[links]]\ngroup = \"上级政协\"\nitems = [{{ title = \"全国政协\", url = \"https://www.cppcc.gov.cn/\" }}]\n"
    );
    site.write("config.toml", &config);
    site.write("static/images/conac.png", "png");
    site.write(
        "content/about/_index.md",
        "+++\ntitle = \"关于我们\"\n+++\n",
    );
    site.write(
        "content/about/yin-si.md",
        "+++\ntitle = \"隐私声明\"\n+++\n\n本网站不跟踪访问者。\n",
    );
    site
}

#[test]
fn every_page_carries_the_design_spec_meta_tags() {
    let site = site();
    let out = site.build(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let article = site.read("news/yaowen/chang-wei-hui/index.html");
    for tag in [
        "<meta name=\"SiteName\" content=\"测试区政协\">",
        "<meta name=\"SiteDomain\" content=\"zx.example.gov.cn\">",
        "<meta name=\"SiteIDCode\" content=\"1234000001\">",
        "<meta name=\"ColumnName\" content=\"政协要闻\">",
        "<meta name=\"ArticleTitle\" content=\"",
        "<meta name=\"PubDate\" content=\"2026-03-01 ",
    ] {
        assert!(article.contains(tag), "{tag}\n{article}");
    }
    let section = site.read("news/index.html");
    assert!(section.contains("<meta name=\"ColumnName\" content=\"新闻中心\">"));
    assert!(
        !section.contains("ArticleTitle"),
        "only articles name an article"
    );
    let home = site.read("index.html");
    assert!(home.contains("<meta name=\"ColumnName\" content=\"首页\">"));
}

#[test]
fn the_footer_carries_the_office_identity_with_local_images_only() {
    let site = site();
    site.build(&[]);
    let page = site.read("news/index.html");
    for part in [
        "<a href=\"https://beian.miit.gov.cn/\">测ICP备00000001号</a>",
        "<a class=\"police\" href=\"https://beian.mps.gov.cn/#/query/webSearch?code=12345602000101\"><img src=\"/tongxin/police.svg\"",
        "网站标识码：1234000001",
        "<a href=\"https://bszs.conac.cn/sitename?method=show&amp;id=1\"><img src=\"/images/conac.png\" alt=\"党政机关网站标识\"",
        "<a href=\"/sitemap/\">网站地图</a>",
        "<a href=\"/about/yin-si/\">隐私声明</a>",
    ] {
        assert!(page.contains(part), "{part}\n{page}");
    }
    assert!(site.exists("tongxin/police.svg"));
    assert!(
        !page.contains("友情链接"),
        "友情链接 belong to the home page only"
    );
    let home = site.read("index.html");
    assert!(
        home.contains("友情链接")
            && home.contains("<a href=\"https://www.cppcc.gov.cn/\">全国政协</a>")
    );
}

/// The 党政机关标识 must be a file the site publishes, and the numbers must look like numbers:
/// an inspector reads a broken footer image or `icp = "待申请"` on every page.
#[test]
fn a_missing_conac_image_and_numbers_without_digits_are_reported() {
    let site = site();
    let report = stdout(&site.run("check", &[]));
    assert!(
        !report.contains("[footer]") && !report.contains("标识图片"),
        "{report}"
    );
    std::fs::remove_file(site.root.join("static/images/conac.png")).unwrap();
    let config = std::fs::read_to_string(site.root.join("config.toml")).unwrap();
    let config = config
        .replace("测ICP备00000001号", "待申请")
        .replace("site_code = \"1234000001\"", "site_code = \"12\"");
    site.write("config.toml", &config);
    let line = |key: &str| {
        let at = config.lines().position(|l| l.starts_with(key)).unwrap();
        format!("config.toml:{}:1", at + 1)
    };
    let out = site.run("check", &[]);
    let report = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{report}");
    for said in [
        format!(
            "{}: error[missing-file]: 找不到页脚的党政机关网站标识图片 /images/conac.png",
            line("conac_image")
        ),
        format!(
            "{}: error[footer]: 页脚的ICP备案号「待申请」不像是真实的编号",
            line("icp")
        ),
        format!(
            "{}: error[footer]: 页脚的网站标识码「12」不像是真实的编号",
            line("site_code")
        ),
    ] {
        assert!(report.contains(&said), "{said}\n{report}");
    }
}

#[test]
fn the_site_map_page_lists_every_section_and_robots_names_the_sitemap() {
    let site = site();
    site.remove("static/robots.txt");
    site.build(&[]);
    let map = site.read("sitemap/index.html");
    for link in [
        "<a href=\"/news/\">",
        "<a href=\"/news/yaowen/\">",
        "<a href=\"/members/\">",
        "<a href=\"/about/\">",
    ] {
        assert!(map.contains(link), "{link}\n{map}");
    }
    assert!(site.read("sitemap.xml").contains("/sitemap/</loc>"));
    assert_eq!(
        site.read("robots.txt"),
        "User-agent: *\nAllow: /\nSitemap: https://zx.example.gov.cn/sitemap.xml\n"
    );
    // A site's own robots.txt replaces the generated one.
    site.write("static/robots.txt", "User-agent: *\nDisallow: /\n");
    site.build(&[]);
    assert_eq!(site.read("robots.txt"), "User-agent: *\nDisallow: /\n");
}

#[test]
fn navigation_marks_where_the_reader_is() {
    let site = site();
    site.build(&[]);
    let article = site.read("news/yaowen/chang-wei-hui/index.html");
    assert!(
        article.contains("<a href=\"/news/\" aria-current=\"true\">"),
        "the 栏目 of an article is marked in the main navigation"
    );
    assert!(
        !article.contains("<li><a href=\"/archive/\">归档</a></li>"),
        "归档 is in the footer"
    );
    let section = site.read("news/yaowen/index.html");
    assert!(section.contains("<aside class=\"side-menu\""), "{section}");
    assert!(section.contains("<a href=\"/news/yaowen/\" aria-current=\"page\">"));
    let home = site.read("index.html");
    assert!(home.contains("<a href=\"/\" aria-current=\"page\">首页</a>"));
}

/// An image named in front matter that the build does not publish — a cover, a 专题 banner —
/// is a `missing-file` error at its line, as a missing image in the text is.
#[test]
fn covers_and_banners_that_are_not_published_are_missing_files() {
    let site = SiteTest::fixture("basic");
    site.write(
        "content/news/yaowen/2026-11-19-feng-mian.md",
        "+++\ntitle = \"封面\"\ncover = \"/images/bu-cun-zai.jpg\"\n+++\n\n正文。\n",
    );
    site.write(
        "content/zhuanti/_index.md",
        "+++\ntitle = \"全会专题\"\nkind = \"topic\"\nbanner = \"/images/mei-you.jpg\"\n+++\n",
    );
    let report = crate::support::stdout(&site.run("check", &[]));
    for line in [
        "content/news/yaowen/2026-11-19-feng-mian.md:3:1: error[missing-file]: 找不到图片 /images/bu-cun-zai.jpg",
        "content/zhuanti/_index.md:4:1: error[missing-file]: 找不到图片 /images/mei-you.jpg",
    ] {
        assert!(report.contains(line), "{line}\n{report}");
    }
}
