//! `check --format html --output FILE`: a self-contained printable report in Chinese.

use crate::support::{SiteTest, stdout};

#[test]
fn html_report_is_written_escaped_and_counted() {
    let site = SiteTest::fixture("basic");
    site.write(
        "content/news/yaowen/2026-11-15-fa-bu.md",
        "+++\ntitle = \"发布\"\n+++\n\n联系人手机 13812345678。[坏链接](/news/<script>alert(1)</script>/)\n",
    );
    let report = site.root.join("检查报告.html");
    let out = site.run(
        "check",
        &["--format", "html", "--output", report.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stdout(&out).contains("检查结果已写入"), "{}", stdout(&out));
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(
        html.contains("<title>测试区政协网站检查报告</title>"),
        "{html}"
    );
    assert!(html.contains("https://zx.example.gov.cn"));
    assert!(html.contains("2026年11月20日"));
    assert!(
        !html.contains("<script"),
        "a message's markup must be escaped"
    );
    assert!(html.contains("&lt;script&gt;"), "{html}");
    assert!(
        html.contains("<td>个人信息</td><td><code>pii</code></td><td class=\"n\">1</td>"),
        "{html}"
    );
    assert!(
        html.contains("<td>政协要闻</td><td><code>content/news/yaowen</code></td>"),
        "{html}"
    );
    assert!(html.contains("content/news/yaowen/2026-11-15-fa-bu.md"));
    assert!(html.contains("第 5 行第 7 列"), "{html}");
    assert!(html.contains("@media print"));
    for fetching in ["src=", "<link", "@import", "url("] {
        assert!(!html.contains(fetching), "nothing fetched: {fetching}");
    }
    // Text and JSON go to the file too, with the same exit status.
    let json = site.root.join("结果.json");
    let out = site.run(
        "check",
        &["--format", "json", "--output", json.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    let parsed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert!(
        parsed
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "pii")
    );
}
