//! Rendering: each output (page, pager, term, feed, sitemap …) is a [`Job`]; [`plan::Plan`]
//! gives each job its whole [`Input`], and [`Renderer`] turns an input into bytes and the
//! artifacts the caller folds into search and `check` (a page's text, heading ids, ids written
//! twice). Nothing leaves a render any other way.
//!
//! A job's fingerprint is the hash of its input, its template and the globals every template
//! sees ([`Renderer::fingerprint`]): `serve` renders again only the jobs whose fingerprint
//! changed. As the renderer reads nothing but the input, the fingerprint cannot miss a thing.

pub mod attachments;
pub mod plan;
pub mod templates;
pub mod views;

use std::hash::{DefaultHasher, Hash, Hasher};

use chrono::FixedOffset;
use serde::Serialize;
use tera::Context;

use crate::assets::Assets;
use crate::config::{BaseUrl, Config};
use crate::content::members::GroupKind;
use crate::content::{PageId, SectionId, Site};
use crate::error::{Code, Diagnostic, Error, Pos, Result};
use crate::feed::{self, Channel, Item};
use crate::markdown::{self, Heading, MarkdownOptions};
use crate::paginate::Pager;
use crate::sitemap::{self, Entry};
use plan::{Here, HtmlContext};
use templates::{Templates, error_to_diagnostic};
use views::{ConfigView, Link, PageView, SharedSection, Summary};

/// Sets what every template sees — `config`, `nav`, `base_path` and `taxonomies` — and keeps a
/// hash of it, with the rest of what every render reads (Markdown options, offset), in
/// [`Templates::globals`].
pub fn set_globals(
    templates: &mut Templates,
    site: &Site,
    config: &Config,
    base: &BaseUrl,
    md: MarkdownOptions,
    assets: &Assets,
) {
    #[derive(Serialize)]
    struct Globals<'a> {
        config: ConfigView<'a>,
        nav: Vec<Link<'a>>,
        base_path: &'a str,
        taxonomies: Vec<Link<'a>>,
        footer_pages: Vec<Link<'a>>,
    }
    let globals = Globals {
        config: ConfigView::new(config, base),
        nav: views::nav(site, base),
        base_path: &base.path,
        footer_pages: views::footer_pages(site, base),
        taxonomies: site
            .taxonomies
            .iter()
            .map(|t| Link {
                title: &t.config.title,
                url: base.href(&t.path),
            })
            .collect(),
    };
    let mut h = DefaultHasher::new();
    serde_json::to_vec(&globals)
        .unwrap_or_default()
        .hash(&mut h);
    (md, config.offset().local_minus_utc(), assets).hash(&mut h);
    templates.globals = h.finish();
    register_asset_url(&mut templates.tera, &base.path, assets);
    let context = templates.tera.global_context();
    context.insert("config", &globals.config);
    context.insert("nav", &globals.nav);
    context.insert("base_path", &globals.base_path);
    context.insert("taxonomies", &globals.taxonomies);
    context.insert("footer_pages", &globals.footer_pages);
}

/// `asset_url(path="style.css")`: the URL under `base_path` of a theme file, fingerprinted
/// where the theme's CSS and JS are (see [`crate::assets`]); other paths as written.
fn register_asset_url(tera: &mut tera::Tera, base_path: &str, assets: &Assets) {
    let (base_path, assets) = (base_path.to_string(), assets.clone());
    tera.register_function(
        "asset_url",
        move |kwargs: tera::Kwargs, _: &tera::State| -> tera::TeraResult<String> {
            let path = kwargs.must_get::<&str>("path")?;
            let rel = path.trim_start_matches('/');
            Ok(format!("{base_path}/{}", assets.published(rel)))
        },
    );
}

/// One output to produce.
#[derive(Debug, Clone)]
pub enum Job {
    Page(PageId),
    SectionPager(SectionId, Pager),
    Home,
    TaxonomyIndex(usize),
    TermPager(usize, usize, Pager),
    Archive,
    NotFound,
    SiteFeed,
    SectionFeed(SectionId),
    TermFeed(usize, usize),
    /// A 界别 or 专委会 page: `/sectors/SLUG/`, `/committees/SLUG/`.
    MemberGroup(GroupKind, usize),
    /// A 类别 or 办理状态 page of 提案: `/proposals/status/SLUG/` (an index into
    /// `site.proposals.facets`).
    ProposalFacet(usize),
    /// `/search/`: the search box and results.
    SearchPage,
    Sitemap,
    /// `/sitemap/`: the 网站地图 as a page.
    SitemapPage,
    /// `robots.txt`, pointing to the sitemap (unless `static/robots.txt` replaces it).
    Robots,
    /// The redirect page at a page's old URL: the page and which of its `aliases`.
    Alias(PageId, usize),
    /// The redirect page at an old URL listed in `redirects.csv` (an index into
    /// [`plan::Plan::imported`]).
    Imported(usize),
    /// The nginx `map` of every old URL to its page (see [`plan::REDIRECTS_MAP`]).
    RedirectMap,
}

/// Turns a site-absolute URL path into the file that serves it: `/news/` → `news/index.html`.
pub fn file_of_path(path: &str) -> String {
    let trimmed = path.trim_start_matches('/');
    if trimmed.is_empty() || trimmed.ends_with('/') {
        format!("{trimmed}index.html")
    } else {
        trimmed.to_string()
    }
}

/// The template a job renders with.
#[derive(Debug, Clone, Copy, Hash)]
pub struct TemplateRef<'a> {
    pub name: &'a str,
    /// A template named by front matter: the file and where `template` was written, so that a
    /// missing one is reported there rather than as the theme's mistake.
    pub chosen_in: Option<(&'a str, Pos)>,
}

impl<'a> TemplateRef<'a> {
    pub fn theme(name: &'a str) -> Self {
        TemplateRef {
            name,
            chosen_in: None,
        }
    }

    /// `written` (front matter's `template` in file `rel` at `pos`), else `default`.
    pub fn chosen(
        written: Option<&'a str>,
        default: &'a str,
        rel: &'a str,
        pos: Option<Pos>,
    ) -> Self {
        match written {
            Some(name) => TemplateRef {
                name,
                chosen_in: Some((rel, pos.unwrap_or(Pos::new(1, 1)))),
            },
            None => TemplateRef::theme(default),
        }
    }
}

/// Everything one job's output is made from.
// One input lives per thread for one job: its size does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Hash)]
pub enum Input<'a> {
    Page(PageInput<'a>),
    Html {
        template: TemplateRef<'a>,
        context: HtmlContext<'a>,
    },
    Feed {
        channel: Channel<'a>,
        items: Vec<Item<'a>>,
        /// The summaries the items come from, for the fingerprint to note what it read.
        summaries: Vec<&'a Summary>,
    },
    Sitemap(Vec<Entry<'a>>),
    /// A small text file written as is (`robots.txt`).
    Text(String),
}

impl Input<'_> {
    fn template(&self) -> Option<&TemplateRef<'_>> {
        match self {
            Input::Page(p) => Some(&p.template),
            Input::Html { template, .. } => Some(template),
            Input::Feed { .. } | Input::Sitemap(_) | Input::Text(_) => None,
        }
    }
}

/// A page job: the page's view (its Markdown body still unrendered) and its section.
#[derive(Hash)]
pub struct PageInput<'a> {
    pub template: TemplateRef<'a>,
    pub page: PageView<'a>,
    pub section: &'a SharedSection<'a>,
    pub here: Here<'a>,
    /// Whether search indexes the page (its text becomes an artifact).
    pub searchable: bool,
    /// What the page reads of the image table: the sizes of the images it shows
    /// ([`crate::images::ImageTable::key_for`]).
    pub images: u64,
}

/// Which artifacts the caller wants besides the bytes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Wants {
    /// Each searchable page's text.
    pub search_text: bool,
    /// Each page's heading ids and the ids its output holds twice (`check`).
    pub ids: bool,
}

/// One rendered output.
pub struct Rendered {
    pub bytes: Vec<u8>,
    /// For page jobs, what the page's render left for search and `check`.
    pub page: Option<PageArtifacts>,
}

/// What a page's render leaves besides its HTML.
#[derive(Debug, Default)]
pub struct PageArtifacts {
    /// The body's text, if the page is searchable and search text was wanted.
    pub text: Option<String>,
    /// Heading ids, in order (when ids were wanted).
    pub anchors: Vec<String>,
    /// Ids the whole output holds more than once (when ids were wanted).
    pub duplicate_ids: Vec<String>,
}

/// Turns inputs into bytes. Reads nothing but the input, the templates (with their globals) and
/// the options below, which are the same for every job of a build.
pub struct Renderer<'a> {
    pub templates: &'a Templates,
    pub base: &'a BaseUrl,
    pub offset: FixedOffset,
    pub md: MarkdownOptions<'a>,
    pub wants: Wants,
}

impl Renderer<'_> {
    /// The fingerprint of everything `input`'s output is made from. FxHash, because `serve`
    /// hashes every job's input after each save: it is several times faster than SipHash on
    /// these small fields, and inputs are written by staff, not chosen to collide.
    pub fn fingerprint(&self, input: &Input) -> u64 {
        let mut h = rustc_hash::FxHasher::default();
        input.hash(&mut h);
        self.templates.globals.hash(&mut h);
        if let Some(t) = input.template() {
            self.templates.fingerprint(t.name).hash(&mut h);
        }
        h.finish()
    }

    /// Renders one input. A template error comes back as a diagnostic.
    pub fn render(&self, input: &Input) -> Result<Rendered> {
        let bytes = match input {
            Input::Page(page) => return self.render_page(page),
            Input::Html { template, context } => self.render_template(template, context)?,
            Input::Feed { channel, items, .. } => {
                feed::rss(channel, items, self.base, self.offset).into_bytes()
            }
            Input::Sitemap(entries) => sitemap::sitemap(entries, self.base).into_bytes(),
            Input::Text(text) => text.clone().into_bytes(),
        };
        Ok(Rendered { bytes, page: None })
    }

    fn render_page(&self, input: &PageInput) -> Result<Rendered> {
        #[derive(Serialize)]
        struct PageOut<'v> {
            #[serde(flatten)]
            view: &'v PageView<'v>,
            content: &'v str,
            /// 提案: the 答复 after `<!-- reply -->`, as HTML.
            #[serde(skip_serializing_if = "Option::is_none")]
            reply: Option<&'v str>,
            toc: &'v [Heading],
            word_count: usize,
            reading_minutes: usize,
        }
        #[derive(Serialize)]
        struct PageContext<'v> {
            page: PageOut<'v>,
            section: &'v SharedSection<'v>,
            #[serde(flatten)]
            here: &'v Here<'v>,
        }
        let path = Some(input.page.path);
        let (rendered, reply) = if input.page.proposal.is_some() {
            markdown::render_with_reply(input.page.body, self.md, path)
        } else {
            (markdown::render_at(input.page.body, self.md, path), None)
        };
        let count = markdown::TextCount::of(&rendered.text);
        let context = PageContext {
            page: PageOut {
                view: &input.page,
                content: &rendered.html,
                reply: reply.as_deref(),
                toc: &rendered.toc,
                word_count: count.words(),
                reading_minutes: count.reading_minutes(),
            },
            section: input.section,
            here: &input.here,
        };
        let bytes = self.render_template(&input.template, &context)?;
        let mut artifacts = PageArtifacts::default();
        if self.wants.ids {
            artifacts.anchors = rendered.toc.iter().map(|h| h.id.clone()).collect();
            artifacts.duplicate_ids = duplicate_ids(&bytes);
        }
        if self.wants.search_text && input.searchable {
            // Kept until the index is built: without its growth slack (up to half of it).
            let mut text = match crate::paste::without_alignment_spaces(&rendered.text) {
                std::borrow::Cow::Owned(t) => t,
                std::borrow::Cow::Borrowed(_) => rendered.text,
            };
            text.shrink_to_fit();
            artifacts.text = Some(text);
        }
        Ok(Rendered {
            bytes,
            page: Some(artifacts),
        })
    }

    /// Renders into bytes: Tera's `render` would check the whole output is UTF-8 again.
    fn render_template(&self, template: &TemplateRef, context: &impl Serialize) -> Result<Vec<u8>> {
        let error = |e: tera::Error| Error::one(error_to_diagnostic(&e, &self.templates.sources));
        let context = Context::from_serialize(context).map_err(error)?;
        let mut out = Vec::with_capacity(16 * 1024);
        match self
            .templates
            .tera
            .render_to(template.name, &context, &mut out)
        {
            Ok(()) => Ok(out),
            Err(e) => match template.chosen_in {
                Some((rel, pos)) if !self.templates.tera.contains_template(template.name) => {
                    Err(Error::one(
                        Diagnostic::error(
                            Code::Template,
                            rel,
                            format!("找不到 template 字段指定的模板 `{}`", template.name),
                        )
                        .at_pos(pos)
                        .hint("模板应放在 templates/ 或主题的 templates/ 目录中"),
                    ))
                }
                _ => Err(error(e)),
            },
        }
    }
}

/// The pages search indexes, in id order: dated ones newest first, then the undated.
pub fn search_order(site: &Site) -> Vec<PageId> {
    let mut order: Vec<PageId> = site
        .dated
        .iter()
        .copied()
        .filter(|&p| site.pages[p].searchable)
        .collect();
    order.extend(
        PageId::all(site.pages.len())
            .filter(|&p| site.pages[p].searchable && site.pages[p].date.is_none()),
    );
    order
}

/// Page `p` as search indexes it, with its rendered text.
pub fn search_document<'s>(
    site: &'s Site,
    base: &BaseUrl,
    p: PageId,
    body: &'s str,
) -> crate::search::Document<'s> {
    let page = &site.pages[p];
    crate::search::Document {
        title: &page.meta.title,
        url: base.href(&page.path).into(),
        date: page
            .date
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
            .into(),
        section: &site.sections[page.section].meta.title,
        description: page.meta.description.as_deref().map(String::as_str),
        body,
        fields: page.meta.kind.search_fields().into(),
    }
}

/// Every searchable page as search indexes it, in id order; `text_of(p)` is page p's text.
pub fn search_documents<'s>(
    site: &'s Site,
    base: &BaseUrl,
    text_of: impl Fn(PageId) -> &'s str,
) -> Vec<crate::search::Document<'s>> {
    search_order(site)
        .into_iter()
        .map(|p| search_document(site, base, p, text_of(p)))
        .collect()
}

/// Ids written more than once in an HTML document (`id="x"`, as every writer of ours quotes
/// them), in order of first repeat.
fn duplicate_ids(html: &[u8]) -> Vec<String> {
    const OPEN: &[u8] = b" id=\"";
    let mut seen = std::collections::HashSet::new();
    let mut twice = Vec::new();
    for at in memchr::memmem::find_iter(html, OPEN) {
        let rest = &html[at + OPEN.len()..];
        let id = &rest[..memchr::memchr(b'"', rest).unwrap_or(0)];
        if !seen.insert(id) && !twice.iter().any(|t: &String| t.as_bytes() == id) {
            twice.push(String::from_utf8_lossy(id).into_owned());
        }
    }
    twice
}
