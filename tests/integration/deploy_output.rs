//! Output ready to deploy: `.gz` copies (`[output] compress`), fingerprinted theme assets,
//! redirect pages at old URLs (front matter `aliases` and `redirects.csv`) and the nginx map.

use std::io::Read;

use crate::support::{SiteTest, walkdir};

/// The basic fixture with compression on, two aliases on a page and a `redirects.csv`.
fn deploy_site() -> SiteTest {
    let site = SiteTest::fixture("basic");
    let config = std::fs::read_to_string(site.root.join("config.toml")).unwrap();
    site.write(
        "config.toml",
        &format!("{config}\n[output]\ncompress = true\n"),
    );
    let page = "content/news/yaowen/2026-03-01-chang-wei-hui.md";
    let text = std::fs::read_to_string(site.root.join(page)).unwrap();
    let text = text.replacen(
        "title = \"区政协召开常委会议\"\n",
        "title = \"区政协召开常委会议\"\naliases = [\"/html/2019/0301/12.html\", \"/old/changwei/\"]\n",
        1,
    );
    site.write(page, &text);
    site.write(
        "redirects.csv",
        "旧网址,新页面\n/show.asp/77.html,content/members/zhang-san.md\n\"/old/wenshi\",/wenshi/lao-jie/\n",
    );
    site
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap();
    out
}

#[test]
fn gz_copies_sit_beside_text_files_and_are_the_same_on_every_build() {
    let site = deploy_site();
    site.build(&[]);
    let public = site.public();
    let files = walkdir(&public);
    let mut compressed = 0;
    for path in &files {
        let rel = path
            .strip_prefix(&public)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let bytes = std::fs::read(path).unwrap();
        let gz = public.join(format!("{rel}.gz"));
        let text_kind = ["html", "css", "js", "xml", "json"]
            .iter()
            .any(|k| rel.ends_with(&format!(".{k}")));
        if text_kind && bytes.len() >= tongxin::output::COMPRESS_MIN {
            assert!(gz.is_file(), "{rel} has no .gz");
            assert_eq!(gunzip(&std::fs::read(&gz).unwrap()), bytes, "{rel}.gz");
            compressed += 1;
        } else if !rel.ends_with(".gz") {
            assert!(
                !gz.exists(),
                "{rel} should have no .gz ({} bytes)",
                bytes.len()
            );
        }
    }
    assert!(compressed > 20, "{compressed}");
    assert!(site.exists(&format!("{}.gz", site.asset("style.css"))));
    assert!(site.exists("sitemap.xml.gz") && site.exists("index.html.gz"));
    // Byte for byte the same on a second build into another folder.
    let again = site.outside("again");
    site.build(&["--output-dir", again.to_str().unwrap()]);
    for path in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "gz"))
    {
        let rel = path.strip_prefix(&public).unwrap();
        assert_eq!(
            std::fs::read(path).unwrap(),
            std::fs::read(again.join(rel)).unwrap()
        );
    }
}

#[test]
fn without_compress_no_gz_is_written() {
    let site = SiteTest::fixture("basic");
    site.build(&[]);
    let gz: Vec<_> = walkdir(&site.public())
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "gz"))
        .collect();
    assert!(gz.is_empty(), "{gz:?}");
}

#[test]
fn old_urls_get_redirect_pages_and_an_nginx_map() {
    let site = deploy_site();
    site.build(&["--base-url", "https://zx.example.gov.cn/sub/"]);
    let to = "https://zx.example.gov.cn/sub/news/yaowen/chang-wei-hui/";
    for old in ["html/2019/0301/12.html", "old/changwei/index.html"] {
        let page = site.read(old);
        assert!(page.contains(&format!(
            "<meta http-equiv=\"refresh\" content=\"0; url={to}\">"
        )));
        assert!(page.contains(&format!("<link rel=\"canonical\" href=\"{to}\">")));
        assert!(page.contains(&format!("<a href=\"{to}\">区政协召开常委会议</a>")));
        assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
    }
    let member = site.read("show.asp/77.html");
    assert!(member.contains("url=https://zx.example.gov.cn/sub/members/zhang-san/\""));
    assert!(site.exists("old/wenshi/index.html"));
    let map = site.read(".tongxin-redirects.nginx.conf");
    for line in [
        "map $uri $tongxin_redirect {",
        &format!("    \"/sub/html/2019/0301/12.html\" \"{to}\";"),
        &format!("    \"/sub/old/changwei/\" \"{to}\";"),
        &format!("    \"/sub/old/changwei\" \"{to}\";"),
        "    \"/sub/show.asp/77.html\" \"https://zx.example.gov.cn/sub/members/zhang-san/\";",
        "    \"/sub/old/wenshi\" \"https://zx.example.gov.cn/sub/wenshi/lao-jie/\";",
    ] {
        assert!(map.contains(&format!("{line}\n")), "{line}\n{map}");
    }
    // Not in the sitemap: an old URL is not a page.
    assert!(!site.read("sitemap.xml").contains("changwei"));
}

#[test]
fn an_alias_on_a_real_page_is_a_duplicate_url() {
    let site = SiteTest::fixture("basic");
    let page = "content/news/yaowen/2026-03-01-chang-wei-hui.md";
    let text = std::fs::read_to_string(site.root.join(page)).unwrap();
    site.write(
        page,
        &text.replacen("+++\n", "+++\naliases = [\"/members/zhang-san/\"]\n", 1),
    );
    let out = site.run("build", &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error[duplicate-url]"), "{stderr}");
    assert!(stderr.contains("/members/zhang-san/"), "{stderr}");
}

#[test]
fn bad_aliases_and_csv_rows_are_errors_at_their_lines() {
    let site = SiteTest::fixture("basic");
    let page = "content/news/yaowen/2026-03-01-chang-wei-hui.md";
    let text = std::fs::read_to_string(site.root.join(page)).unwrap();
    site.write(
        page,
        &text.replacen("+++\n", "+++\naliases = [\"/../../etc/x.html\"]\n", 1),
    );
    site.write(
        "redirects.csv",
        "/a.html,content/news/nothing.md\n/b.html\n",
    );
    let out = site.run("build", &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    for line in [
        format!(
            "{page}:2:1: error[field]: 旧网址 `/../../etc/x.html` 含有空的、`.` 或 `..` 路径段"
        ),
        "redirects.csv:1:1: error[field]: 找不到新页面 `content/news/nothing.md`".to_string(),
        "redirects.csv:2:1: error[field]: 应有两列（旧网址,新页面），这一行有 1 列".to_string(),
    ] {
        assert!(stderr.contains(&line), "{line}\n{stderr}");
    }
    assert!(!site.outside("etc").exists());
}
