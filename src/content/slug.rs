//! Slugs: file stems, titles and terms → URL-safe lowercase ASCII, Han characters as toneless pinyin.

use std::collections::HashMap;
use std::sync::LazyLock;

use pinyin::ToPinyin;

/// Words whose characters, read one by one, give the wrong pinyin (`data/pinyin_phrases.txt`).
///
/// The `pinyin` crate gives each character its most common reading, with no notion of words: it
/// reads 长 as zhang, so 长江 would be zhang-jiang. This frozen table of common polyphonic words
/// (and a few single-character defaults such as 长 → chang) corrects that; the longest match at
/// each position wins.
static PHRASES_TXT: &str = include_str!("../../data/pinyin_phrases.txt");

/// The phrase table: first character → (phrase as characters, syllables), longest phrase first.
#[allow(clippy::type_complexity)]
static PHRASES: LazyLock<HashMap<char, Vec<(Vec<char>, Vec<&'static str>)>>> =
    LazyLock::new(|| {
        let mut map: HashMap<char, Vec<(Vec<char>, Vec<&'static str>)>> = HashMap::new();
        for line in PHRASES_TXT
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let Some((word, syllables)) = line.split_once('\t') else {
                continue;
            };
            let chars: Vec<char> = word.chars().collect();
            if let Some(&first) = chars.first() {
                map.entry(first)
                    .or_default()
                    .push((chars, syllables.split(' ').collect()));
            }
        }
        for list in map.values_mut() {
            list.sort_by_key(|(phrase, _)| std::cmp::Reverse(phrase.len()));
        }
        map
    });

/// The longest generated slug, in bytes (all ASCII). A long title or file name would otherwise
/// make a path segment longer than file systems allow (255 bytes): 60 × 长 is 359 bytes of
/// pinyin. Slugs are cut after the last whole syllable or word that fits.
pub const MAX_SLUG_LEN: usize = 100;

/// Normalises any text to a slug as SPEC says, at most [`MAX_SLUG_LEN`] bytes. Returns the empty
/// string when nothing is left.
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for part in slug_parts(text) {
        let sep = usize::from(!slug.is_empty());
        if slug.len() + sep + part.len() > MAX_SLUG_LEN {
            if slug.is_empty() {
                slug.push_str(&part[..MAX_SLUG_LEN]);
            }
            break;
        }
        if sep == 1 {
            slug.push('-');
        }
        slug.push_str(&part);
    }
    slug
}

/// The slug's parts: pinyin syllables and lowercased ASCII words, in order.
fn slug_parts(text: &str) -> Vec<String> {
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
    parts
}

fn phrase_at(chars: &[char]) -> Option<(usize, &'static [&'static str])> {
    PHRASES
        .get(chars.first()?)?
        .iter()
        .find(|(phrase, _)| chars.starts_with(phrase))
        .map(|(phrase, syl)| (phrase.len(), syl.as_slice()))
}

/// Checks a user-written `slug` field: no path separators or `..`, and not empty once normalised.
pub fn check_explicit_slug(raw: &str) -> Result<String, String> {
    if raw.contains('/') || raw.contains('\\') || raw.contains("..") {
        return Err(format!("slug `{raw}` 不能含 `/`、`\\` 或 `..`"));
    }
    let slug = slug_parts(raw).join("-");
    if slug.is_empty() {
        return Err(format!("slug `{raw}` 规范化后为空"));
    }
    if slug.len() > MAX_SLUG_LEN {
        return Err(format!(
            "slug 太长（{} 个字符），最多 {MAX_SLUG_LEN} 个",
            slug.len()
        ));
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
        assert_eq!(
            slugify("长期坚持"),
            "chang-qi-jian-chi",
            "长 defaults to chang"
        );
        assert_eq!(slugify("区政协秘书长"), "qu-zheng-xie-mi-shu-zhang");
        assert_eq!(slugify("调研成长"), "diao-yan-cheng-zhang");
        assert_eq!(
            slugify("重要"),
            "zhong-yao",
            "the crate's reading stands where right"
        );
        assert_eq!(slugify("着力推进"), "zhuo-li-tui-jin");
    }

    #[test]
    fn separators_collapse_and_trim() {
        assert_eq!(slugify("  Hello,  World!! "), "hello-world");
        assert_eq!(slugify("quan-hui_bi mu"), "quan-hui-bi-mu");
        assert_eq!(slugify("——"), "");
    }

    #[test]
    fn long_slugs_are_cut_after_a_whole_syllable() {
        let s = slugify(&"长".repeat(60));
        assert!(s.len() <= MAX_SLUG_LEN && s.len() > MAX_SLUG_LEN - 6, "{s}");
        assert!(s.ends_with("-chang") && !s.ends_with('-'), "{s}");
        assert_eq!(slugify(&"a".repeat(300)).len(), MAX_SLUG_LEN);
        assert!(check_explicit_slug(&"chang-".repeat(30)).is_err());
    }

    #[test]
    fn explicit_slug_rejects_traversal() {
        assert!(check_explicit_slug("../etc").is_err());
        assert!(check_explicit_slug("a/b").is_err());
        assert!(check_explicit_slug("！！").is_err());
        assert_eq!(check_explicit_slug("Quan Hui").unwrap(), "quan-hui");
    }
}
