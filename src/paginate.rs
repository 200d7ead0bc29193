//! Paging: split a list into pagers at `/base/`, `/base/page/2/`, … Each pager sees only its slice.

/// One pager: its number, its URL path and the range of the list it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pager {
    /// 1-based.
    pub index: usize,
    /// Site-absolute path: `/news/` for the first, `/news/page/2/` after.
    pub path: String,
    pub range: std::ops::Range<usize>,
}

/// Pagers for `len` items at `per` a page under `base` (`/news/`). An empty list has one pager.
pub fn paginate(base: &str, len: usize, per: usize) -> Vec<Pager> {
    let per = per.max(1);
    let count = len.div_ceil(per).max(1);
    (1..=count)
        .map(|index| Pager {
            index,
            path: pager_path(base, index),
            range: ((index - 1) * per)..(index * per).min(len),
        })
        .collect()
}

pub fn pager_path(base: &str, index: usize) -> String {
    if index == 1 {
        base.to_string()
    } else {
        format!("{base}page/{index}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_and_paths() {
        let p = paginate("/news/", 31, 15);
        assert_eq!(p.len(), 3);
        assert_eq!(p[0].path, "/news/");
        assert_eq!(p[2].path, "/news/page/3/");
        assert_eq!(p[2].range, 30..31);
        let empty = paginate("/tags/", 0, 10);
        assert_eq!(empty.len(), 1);
        assert_eq!(empty[0].range, 0..0);
    }
}
