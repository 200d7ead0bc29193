//! Fingerprinted theme assets: the theme's CSS and JS files are published as
//! `NAME.HASH.EXT` (HASH: the first 10 hex digits of the XXH3-128 of the bytes published), so a
//! server may let browsers keep them forever; templates name them with `asset_url`.

use std::collections::BTreeMap;

/// Per output path of a theme CSS or JS file (`style.css`), its fingerprinted path
/// (`style.0123456789.css`). Files a site's `static/` puts in place of the theme's are hashed
/// as published.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Assets(pub BTreeMap<String, String>);

/// How many hex digits of the hash a fingerprinted name carries.
pub const HASH_DIGITS: usize = 10;

/// Whether a theme file at `rel` is fingerprinted: CSS and JS (they are what a page loads on
/// every visit; images keep their names, so `url(...)` in CSS stays as written).
pub fn is_fingerprinted(rel: &str) -> bool {
    rel.rsplit_once('.')
        .is_some_and(|(_, ext)| ext == "css" || ext == "js")
}

/// `dir/name.ext` with the hash of `bytes` before its extension: `dir/name.HASH.ext`. The
/// file stays in its folder, so relative references inside it still resolve.
pub fn fingerprinted_name(rel: &str, bytes: &[u8]) -> String {
    let hash = format!("{:032x}", twox_hash::XxHash3_128::oneshot(bytes));
    let hash = &hash[..HASH_DIGITS];
    match rel.rsplit_once('.') {
        Some((stem, ext)) if !stem.ends_with('/') && !stem.is_empty() => {
            format!("{stem}.{hash}.{ext}")
        }
        _ => format!("{rel}.{hash}"),
    }
}

impl Assets {
    /// The published path of `rel`: fingerprinted when it is a theme asset, else as written.
    pub fn published<'a>(&'a self, rel: &'a str) -> &'a str {
        self.0.get(rel).map_or(rel, String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_the_hash_before_the_extension() {
        let a = fingerprinted_name("tongxin/search.js", b"var a;");
        assert!(
            a.starts_with("tongxin/search.") && a.ends_with(".js"),
            "{a}"
        );
        assert_eq!(a.len(), "tongxin/search..js".len() + HASH_DIGITS);
        assert_eq!(a, fingerprinted_name("tongxin/search.js", b"var a;"));
        assert_ne!(a, fingerprinted_name("tongxin/search.js", b"var b;"));
        assert!(is_fingerprinted("style.css") && is_fingerprinted("tongxin/reader.js"));
        assert!(!is_fingerprinted("tongxin/emblem.svg"));
        let assets = Assets([("style.css".to_string(), "style.x.css".to_string())].into());
        assert_eq!(assets.published("style.css"), "style.x.css");
        assert_eq!(assets.published("tongxin/emblem.svg"), "tongxin/emblem.svg");
    }
}
