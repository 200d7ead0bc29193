//! What the search examples share: a site loaded as `tongxin build --today 2026-11-20` loads
//! it, with every page's text rendered once, as the search index reads it.

use std::collections::BTreeMap;
use std::path::Path;

use tongxin::config::BaseUrl;
use tongxin::content::{PageId, Site};

/// A loaded site and its pages' rendered text.
pub struct SearchSite {
    site: Site,
    base: BaseUrl,
    texts: BTreeMap<PageId, String>,
}

impl SearchSite {
    /// Loads the site at `root`. Panics on a site that does not load (these are benchmarks).
    pub fn load(root: &Path) -> SearchSite {
        let today = "2026-11-20".parse().expect("date");
        let config = tongxin::config::Config::load(root).expect("config");
        let loaded = tongxin::content::load::load(root).expect("content");
        let vis = tongxin::content::Visibility {
            today,
            drafts: false,
            future: false,
        };
        let (site, _) = tongxin::content::resolve(loaded.files, loaded.assets, &config, vis);
        let base = config.base_url.clone();
        let md = tongxin::markdown::MarkdownOptions {
            base_path: &base.path,
            unsafe_html: config.markdown.unsafe_html,
            images: None,
            withheld: &site.unpublished,
        };
        let texts = PageId::all(site.pages.len())
            .map(|p| (p, tongxin::markdown::render(&site.pages[p].body, md).text))
            .collect();
        SearchSite { site, base, texts }
    }

    /// Every searchable page as the index reads it, in search id order.
    pub fn documents(&self) -> Vec<tongxin::search::Document<'_>> {
        tongxin::render::search_documents(&self.site, &self.base, |p| self.texts[&p].as_str())
    }
}
