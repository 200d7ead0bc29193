//! Slugs: file stems, titles and terms → URL-safe lowercase ASCII, Han characters as toneless pinyin.

use std::sync::LazyLock;

use pinyin::ToPinyin;

/// Words whose characters the per-character reading gets wrong. Longest match wins.
/// A small frozen table; each entry is a phrase and its syllables.
const PHRASES: &[(&str, &[&str])] = &[
    ("重庆", &["chong", "qing"]),
    ("银行", &["yin", "hang"]),
    ("行长", &["hang", "zhang"]),
    ("长江", &["chang", "jiang"]),
    ("长城", &["chang", "cheng"]),
    ("会计", &["kuai", "ji"]),
    ("音乐", &["yin", "yue"]),
    ("重阳", &["chong", "yang"]),
    ("重新", &["chong", "xin"]),
    ("成长", &["cheng", "zhang"]),
    ("增长", &["zeng", "zhang"]),
    ("校长", &["xiao", "zhang"]),
    ("市长", &["shi", "zhang"]),
    ("区长", &["qu", "zhang"]),
    ("县长", &["xian", "zhang"]),
    ("省长", &["sheng", "zhang"]),
    ("部长", &["bu", "zhang"]),
    ("处长", &["chu", "zhang"]),
    ("科长", &["ke", "zhang"]),
    ("局长", &["ju", "zhang"]),
    ("家长", &["jia", "zhang"]),
    ("单位", &["dan", "wei"]),
    ("调研", &["diao", "yan"]),
    ("调查", &["diao", "cha"]),
    ("提供", &["ti", "gong"]),
    ("供给", &["gong", "ji"]),
    ("给予", &["ji", "yu"]),
    ("参与", &["can", "yu"]),
    ("朝阳", &["chao", "yang"]),
    ("厦门", &["xia", "men"]),
    ("六安", &["lu", "an"]),
    ("蚌埠", &["beng", "bu"]),
    ("番禺", &["pan", "yu"]),
];

/// Normalises any text to a slug as SPEC says. Returns the empty string when nothing is left.
pub fn slugify(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut parts: Vec<String> = Vec::new();
    let mut ascii = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_alphanumeric() {
            ascii.push(c.to_ascii_lowercase());
            i += 1;
            continue;
        }
        if !ascii.is_empty() {
            parts.push(std::mem::take(&mut ascii));
        }
        if let Some((len, syllables)) = phrase_at(&chars[i..]) {
            parts.extend(syllables.iter().map(|s| s.to_string()));
            i += len;
            continue;
        }
        if let Some(p) = c.to_pinyin() {
            parts.push(p.plain().replace('ü', "v"));
        }
        i += 1;
    }
    if !ascii.is_empty() {
        parts.push(ascii);
    }
    parts.join("-")
}

/// The phrase table as characters, built once.
static PHRASE_CHARS: LazyLock<Vec<(Vec<char>, &'static [&'static str])>> = LazyLock::new(|| {
    PHRASES
        .iter()
        .map(|(p, syl)| (p.chars().collect(), *syl))
        .collect()
});

fn phrase_at(chars: &[char]) -> Option<(usize, &'static [&'static str])> {
    PHRASE_CHARS
        .iter()
        .filter(|(phrase, _)| chars.starts_with(phrase))
        .max_by_key(|(phrase, _)| phrase.len())
        .map(|(phrase, syl)| (phrase.len(), *syl))
}

/// Checks a user-written `slug` field: no path separators or `..`, and not empty once normalised.
pub fn check_explicit_slug(raw: &str) -> Result<String, String> {
    if raw.contains('/') || raw.contains('\\') || raw.contains("..") {
        return Err(format!("slug `{raw}` 不能含 `/`、`\\` 或 `..`"));
    }
    let slug = slugify(raw);
    if slug.is_empty() {
        return Err(format!("slug `{raw}` 规范化后为空"));
    }
    Ok(slug)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_examples() {
        assert_eq!(
            slugify("萍乡市政协党建工作综述"),
            "ping-xiang-shi-zheng-xie-dang-jian-gong-zuo-zong-shu"
        );
        assert_eq!(slugify("2024年CPPCC全会"), "2024-nian-cppcc-quan-hui");
        assert_eq!(slugify("民生实事"), "min-sheng-shi-shi");
        assert_eq!(slugify("FAQ"), "faq");
        assert_eq!(slugify("履职"), "lv-zhi");
    }

    #[test]
    fn phrase_table_fixes_polyphones() {
        assert_eq!(slugify("重庆"), "chong-qing");
        assert_eq!(slugify("银行"), "yin-hang");
        assert_eq!(slugify("长江"), "chang-jiang");
    }

    #[test]
    fn separators_collapse_and_trim() {
        assert_eq!(slugify("  Hello,  World!! "), "hello-world");
        assert_eq!(slugify("quan-hui_bi mu"), "quan-hui-bi-mu");
        assert_eq!(slugify("——"), "");
    }

    #[test]
    fn explicit_slug_rejects_traversal() {
        assert!(check_explicit_slug("../etc").is_err());
        assert!(check_explicit_slug("a/b").is_err());
        assert!(check_explicit_slug("！！").is_err());
        assert_eq!(check_explicit_slug("Quan Hui").unwrap(), "quan-hui");
    }
}
