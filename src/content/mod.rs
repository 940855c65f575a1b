//! The `Site` model: walking `content/`, front matter per kind, sections,
//! pages, permalinks, tiers resolved, Markdown rendered and links checked.
//!
//! Everything downstream (templates, feeds, calendars) reads this model and
//! never the disk; nothing here knows about HTML layout.

pub mod frontmatter;
pub mod paths;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::{self, Config};
use crate::diagnostics::{Diagnostic, SourceText, codes, did_you_mean};
use crate::markdown::{self, MdOptions, Rendered, Resolved};
use crate::spanned::{self, Node, Spanned};
use crate::tiers::{Audience, Tier, TierError, Tiers};
use frontmatter::{ActivityFm, ChapterFm, DateValue, EventFm, MemberFm, PageFm, SectionFm, SortBy};

/// What a page or section is, which picks its template and typed fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// The root section.
    Home,
    /// Why the community gathers.
    Mission,
    /// What it believes.
    Values,
    /// Numbered rules with stable anchors.
    Rules,
    /// Questions and answers.
    Faq,
    /// A section of events.
    Events,
    /// One event.
    Event,
    /// The archive of recaps.
    Activities,
    /// One recap.
    Activity,
    /// The member directory.
    Members,
    /// One member.
    Member,
    /// The list of chapters.
    Chapters,
    /// One chapter.
    Chapter,
    /// A plain page.
    Page,
    /// A plain section listing its pages.
    Section,
}

impl Kind {
    /// The name templates see (`page.kind`), as serde writes it.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Home => "home",
            Kind::Mission => "mission",
            Kind::Values => "values",
            Kind::Rules => "rules",
            Kind::Faq => "faq",
            Kind::Events => "events",
            Kind::Event => "event",
            Kind::Activities => "activities",
            Kind::Activity => "activity",
            Kind::Members => "members",
            Kind::Member => "member",
            Kind::Chapters => "chapters",
            Kind::Chapter => "chapter",
            Kind::Page => "page",
            Kind::Section => "section",
        }
    }

    /// The template named after the kind (the theme falls back to `page.html`/`section.html`).
    pub fn template(self) -> &'static str {
        match self {
            Kind::Home => "index.html",
            Kind::Mission => "mission.html",
            Kind::Values => "values.html",
            Kind::Rules => "rules.html",
            Kind::Faq => "faq.html",
            Kind::Events => "events.html",
            Kind::Event => "event.html",
            Kind::Activities => "activities.html",
            Kind::Activity => "activity.html",
            Kind::Members => "members.html",
            Kind::Member => "member.html",
            Kind::Chapters => "chapters.html",
            Kind::Chapter => "chapter.html",
            Kind::Page => "page.html",
            Kind::Section => "section.html",
        }
    }

    /// The kind of the pages inside a section of this kind.
    fn item(self) -> Kind {
        match self {
            Kind::Events => Kind::Event,
            Kind::Activities => Kind::Activity,
            Kind::Members => Kind::Member,
            Kind::Chapters => Kind::Chapter,
            _ => Kind::Page,
        }
    }

    fn section_from_name(name: &str) -> Option<Kind> {
        Some(match name {
            "events" => Kind::Events,
            "activities" => Kind::Activities,
            "members" => Kind::Members,
            "chapters" => Kind::Chapters,
            "page" | "section" => Kind::Section,
            _ => return None,
        })
    }

    fn page_from_name(name: &str) -> Option<Kind> {
        Some(match name {
            "mission" => Kind::Mission,
            "values" => Kind::Values,
            "rules" => Kind::Rules,
            "faq" => Kind::Faq,
            "page" => Kind::Page,
            "event" | "events" => Kind::Event,
            "activity" | "activities" => Kind::Activity,
            "member" | "members" => Kind::Member,
            "chapter" | "chapters" => Kind::Chapter,
            _ => return None,
        })
    }
}

const SECTION_KINDS: &[&str] = &[
    "events",
    "activities",
    "members",
    "chapters",
    "page",
    "section",
];
const PAGE_KINDS: &[&str] = &[
    "mission", "values", "rules", "faq", "page", "event", "activity", "member", "chapter",
];

/// The fields of a kind beyond the common ones.
#[derive(Debug, Clone)]
pub enum KindData {
    /// No extra fields.
    None,
    /// Event fields and the validated time (absent when the times had errors).
    Event(Box<EventFm>, Option<Box<crate::calendar::EventTime>>),
    /// Recap fields.
    Activity(Box<ActivityFm>),
    /// Profile fields.
    Member(Box<MemberFm>),
    /// Chapter fields.
    Chapter(Box<ChapterFm>),
}

/// Where an item came from, for diagnostics and edit links.
#[derive(Debug, Clone)]
pub struct Source {
    /// Content-relative path with forward slashes (`events/night.md`).
    pub rel: String,
    /// Site-relative path (`content/events/night.md`), as diagnostics show it.
    pub file: String,
    /// The whole file text.
    pub text: String,
    /// Where the Markdown body starts in `text`.
    pub body_offset: usize,
}

impl Source {
    /// The Markdown body.
    pub fn body(&self) -> &str {
        &self.text[self.body_offset..]
    }
}

/// A page: one Markdown file, or a bundle folder's `index.md`.
#[derive(Debug, Clone)]
pub struct Page {
    /// Its file.
    pub src: Source,
    /// Common front matter.
    pub fm: PageFm,
    /// What it is.
    pub kind: Kind,
    /// The kind's own fields.
    pub data: KindData,
    /// Display title (front matter, else first heading, else file name).
    pub title: String,
    /// The section it is in.
    pub section: usize,
    /// Last URL segment.
    pub slug: String,
    /// URL path below the base URL, e.g. `/events/night/` (not encoded).
    pub path: String,
    /// Publication date.
    pub date: Option<DateValue>,
    /// Effective tier after cascade.
    pub tier: Tier,
    /// Bundle folder (site-absolute) and its files (bundle-relative), for copying.
    pub bundle: Option<(PathBuf, Vec<String>)>,
    /// Rendered Markdown.
    pub md: Rendered,
    /// Tags as written, deduplicated.
    pub tags: Vec<String>,
    /// Alias paths, cleaned.
    pub aliases: Vec<String>,
}

/// A section: a folder of pages, with an optional `_index.md`.
#[derive(Debug, Clone)]
pub struct Section {
    /// Its `_index.md` (empty text when the folder has none).
    pub src: Source,
    /// Front matter.
    pub fm: SectionFm,
    /// What it holds.
    pub kind: Kind,
    /// Display title.
    pub title: String,
    /// Content-relative folder (`events`; empty for the root).
    pub dir: String,
    /// Parent section.
    pub parent: Option<usize>,
    /// URL path, e.g. `/events/`.
    pub path: String,
    /// Effective tier.
    pub tier: Tier,
    /// Its pages, sorted by `sort_by`.
    pub pages: Vec<usize>,
    /// Its subsections, by weight then title.
    pub subsections: Vec<usize>,
    /// Rendered Markdown of `_index.md`.
    pub md: Rendered,
}

/// A file in content/ that is copied as it is.
#[derive(Debug, Clone)]
pub struct ContentFile {
    /// Where it is on disk.
    pub src: PathBuf,
    /// Its URL path (not encoded), e.g. `/activities/walk/photo-1.jpg`.
    pub path: String,
    /// The tier of the page or section it belongs to.
    pub tier: Tier,
    /// The page it belongs to, for bundle assets.
    pub page: Option<usize>,
}

/// A page or section, by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    /// Index into `Site::pages`.
    Page(usize),
    /// Index into `Site::sections`.
    Section(usize),
}

/// Options that change what is loaded.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Include pages with `draft = true`.
    pub drafts: bool,
    /// Replace `base_url` (e.g. for previews).
    pub base_url: Option<String>,
    /// Build for one tier only (`--audience`): pages above it are not written.
    pub audience: Option<String>,
    /// Replace `[deploy] host` (`hearth build --host`).
    pub host: Option<String>,
    /// A build to publish: without `audience`, the host decides who it is
    /// for ([`Tiers::publish_audience`]). Previews (`serve`, `check`) see
    /// every page, marked.
    pub publish: bool,
}

/// The whole site, loaded and checked.
#[derive(Debug)]
pub struct Site {
    /// The site folder.
    pub root: PathBuf,
    /// Validated configuration.
    pub config: Config,
    /// The tier ladder.
    pub tiers: Tiers,
    /// Who this build is for.
    pub audience: Audience,
    /// The site's time zone.
    pub tz: jiff::tz::TimeZone,
    /// Sections; index 0 is the root (home).
    pub sections: Vec<Section>,
    /// Pages, in content-path order.
    pub pages: Vec<Page>,
    /// Content-relative source path → item, for links.
    pub by_source: HashMap<String, Item>,
    /// Slug → pages with that slug, in page order: [`Site::find`] resolves
    /// the member and chapter ids of every event and profile through it,
    /// which a scan of all pages made quadratic in the size of the site.
    pub by_slug: HashMap<String, Vec<usize>>,
    /// Every non-Markdown file in content/ (bundle assets and files beside
    /// pages), by content-relative path, with where it is published.
    pub files: BTreeMap<String, ContentFile>,
    /// Content-relative paths of pages left out as drafts (links to them warn).
    pub drafts: BTreeSet<String>,
    /// Size and thumbnail of each image a page shows (content-relative path).
    pub images: HashMap<String, crate::images::ImageMeta>,
    /// Generated thumbnails: URL path → (JPEG bytes, tier of the original).
    pub thumbs: BTreeMap<String, (Vec<u8>, Tier)>,
    /// Site-relative paths of static files (`static/…`), as output paths.
    pub static_files: BTreeSet<String>,
    /// Diagnostics of single files (front matter, Markdown, the config),
    /// kept so that a patch can replace one file's and keep the others'.
    pub local_diags: Vec<Diagnostic>,
}

impl Site {
    /// A page's or section's URL path.
    pub fn path_of(&self, item: Item) -> &str {
        match item {
            Item::Page(i) => &self.pages[i].path,
            Item::Section(i) => &self.sections[i].path,
        }
    }

    /// Root-relative, percent-encoded URL for a site path (base path included).
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.config.base_path(), paths::encode_path(path))
    }

    /// Absolute URL for a site path.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.config.base_url.value, paths::encode_path(path))
    }

    /// The chain of sections from the root down to `section`.
    pub fn ancestors(&self, section: usize) -> Vec<usize> {
        let mut chain = vec![section];
        let mut cur = section;
        while let Some(p) = self.sections[cur].parent {
            chain.push(p);
            cur = p;
        }
        chain.reverse();
        chain
    }
}

/// Site folder layout names.
pub const CONTENT_DIR: &str = "content";
/// Static files copied as they are.
pub const STATIC_DIR: &str = "static";

struct RawFile {
    rel: String,
    text: String,
    body_offset: usize,
    node: Option<Node>,
}

/// Loads `site`: config, content, Markdown; returns the model and warnings,
/// or every error found.
pub fn load(site: &Path, opts: &LoadOptions) -> Result<(Site, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut config = config::load(site)?;
    let mut diags = Vec::new();
    if let Some(url) = &opts.base_url
        && let Err(m) = config.set_base_url(url)
    {
        return Err(vec![
            Diagnostic::error("", codes::CONFIG_INVALID, format!("--base-url: {m}"))
                .with_help("pass a full URL such as https://club.example.org"),
        ]);
    }
    if let Some(name) = &opts.host {
        let Some(host) = config::Host::parse(name) else {
            let names: Vec<&str> = config::Host::ALL.iter().map(|h| h.name()).collect();
            return Err(vec![
                Diagnostic::error(
                    "",
                    codes::CONFIG_INVALID,
                    format!("--host: unknown host `{name}`"),
                )
                .with_help(match did_you_mean(name, names.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("hosts: {}", names.join(", ")),
                }),
            ]);
        };
        config.deploy.host = Some(Spanned::unplaced(host));
    }
    let tiers = Tiers::from_config(&config);
    for key in config.strings.keys() {
        if !crate::render::i18n::Strings::known_keys().any(|k| k == key) {
            let help = match did_you_mean(key, crate::render::i18n::Strings::known_keys()) {
                Some(k) => format!("did you mean `{k}`?"),
                None => "docs/configuration.md lists the UI string keys".into(),
            };
            let text = std::fs::read_to_string(site.join(config::FILE)).unwrap_or_default();
            let at = text.find(&format!("\n{key}")).map(|i| i + 1).unwrap_or(0);
            diags.push(
                Diagnostic::warning(
                    config::FILE,
                    codes::CONFIG_UNKNOWN_KEY,
                    format!("`[strings]` has no key `{key}`"),
                )
                .at(&SourceText::new(&text), at..at + key.len())
                .with_help(help),
            );
        }
    }
    if config.brand.primary.is_some() || config.brand.accent.is_some() {
        let text = std::fs::read_to_string(site.join(config::FILE)).unwrap_or_default();
        diags.extend(config::brand_contrast_warnings(&config, &text));
    }
    let audience = match &opts.audience {
        None if opts.publish => tiers.publish_audience(config.deploy.host()),
        None => Audience::Edge,
        Some(id) => match tiers.lookup(id) {
            Some(t) => Audience::Only(t),
            None => {
                let ids: Vec<&str> = tiers.ids().collect();
                let help = match did_you_mean(id, ids.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("tiers of this site: {}", ids.join(", ")),
                };
                return Err(vec![
                    Diagnostic::error(
                        config::FILE,
                        codes::UNKNOWN_TIER,
                        format!("--audience: unknown tier `{id}`"),
                    )
                    .with_help(help),
                ]);
            }
        },
    };
    let tz = jiff::tz::db()
        .get(&config.timezone.value)
        .unwrap_or(jiff::tz::TimeZone::UTC);

    let mut clock = crate::build::Phases::start();
    let content = site.join(CONTENT_DIR);
    let walk = walk_content(site, &content, &mut diags);
    clock.lap("walk");
    let static_files = walk_static(site, &mut diags);

    // Read and split every Markdown file in parallel.
    let parsed: Vec<(RawFile, Vec<Diagnostic>)> = walk
        .markdown
        .par_iter()
        .map(|rel| read_markdown(&content, rel))
        .collect();
    let mut raws: BTreeMap<String, RawFile> = BTreeMap::new();
    for (raw, d) in parsed {
        diags.extend(d);
        raws.insert(raw.rel.clone(), raw);
    }
    clock.lap("read+split");

    let mut builder = Builder {
        site,
        config: &config,
        tiers: &tiers,
        diags: &mut diags,
        sections: Vec::new(),
        section_by_dir: HashMap::new(),
    };
    builder.build_sections(&walk.dirs, &mut raws);
    let sections = std::mem::take(&mut builder.sections);
    let section_by_dir = std::mem::take(&mut builder.section_by_dir);

    // Pages: typed front matter per kind, in parallel.
    // Each page takes its file's text (no second copy of the site's text).
    let page_raws: Vec<(RawFile, &Option<BundleFiles>)> = walk
        .pages
        .iter()
        .filter_map(|(rel, bundle)| raws.remove(rel).map(|raw| (raw, bundle)))
        .collect();
    drop(raws);
    let page_results: Vec<(Result<Page, String>, Vec<Diagnostic>)> = page_raws
        .into_par_iter()
        .map(|(raw, bundle)| {
            let mut d = Vec::new();
            let page = build_page(
                site,
                &config,
                &tiers,
                raw,
                bundle.as_ref(),
                &sections,
                &section_by_dir,
                opts.drafts,
                &mut d,
            );
            (page, d)
        })
        .collect();
    let mut pages = Vec::new();
    let mut drafts = BTreeSet::new();
    for (p, d) in page_results {
        diags.extend(d);
        match p {
            Ok(p) => pages.push(p),
            Err(draft) => {
                drafts.insert(draft);
            }
        }
    }

    let mut site_model = Site {
        root: site.to_path_buf(),
        config,
        tiers,
        audience,
        tz,
        sections,
        pages,
        by_source: HashMap::new(),
        by_slug: HashMap::new(),
        files: BTreeMap::new(),
        drafts,
        images: HashMap::new(),
        thumbs: BTreeMap::new(),
        static_files,
        local_diags: Vec::new(),
    };
    clock.lap("front matter");
    index_sources(&mut site_model);
    index_files(&mut site_model, &walk.assets, &section_by_dir);
    render_markdown(&mut site_model, &mut diags);
    clock.lap("markdown");
    site_model.local_diags = diags;
    let diags = site_checks(&mut site_model);
    clock.lap("checks");
    if diags.iter().any(Diagnostic::is_error) {
        Err(diags)
    } else {
        Ok((site_model, diags))
    }
}

/// The checks that look across files, then images and page order: run on
/// the whole site after every load or patch. Returns every diagnostic of
/// the site (the files' own, then these).
fn site_checks(site: &mut Site) -> Vec<Diagnostic> {
    let mut diags = site.local_diags.clone();
    check_output_paths(site, &mut diags);
    check_links(site, &mut diags);
    check_references(site, &mut diags);
    check_urls(site, &mut diags);
    site.images.clear();
    site.thumbs.clear();
    process_images(site, &mut diags);
    sort_sections(site);
    diags
}

/// What [`patch`] did.
pub enum Patched {
    /// The pages were replaced in place: every diagnostic of the site (no errors).
    Done(Vec<Diagnostic>),
    /// The edited files have errors: the site is as it was before.
    Failed(Vec<Diagnostic>),
    /// The change is more than an edit of existing pages: load the site again.
    Reload,
}

/// Applies edits of existing page files (content-relative paths) to a
/// loaded site without loading the rest again: `serve` uses it so that
/// saving a page costs that page, not the site. It gives exactly the site a
/// fresh [`load`] would, or answers [`Patched::Reload`] when it cannot
/// promise that: a new, deleted or renamed page, a section's `_index.md`, a
/// change of a page's URL, kind, tier, aliases or draft state.
pub fn patch(site: &mut Site, rels: &[String], opts: &LoadOptions) -> Patched {
    let content = site.root.join(CONTENT_DIR);
    let section_by_dir: HashMap<String, usize> = site
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| (s.dir.clone(), i))
        .collect();
    let mut replaced: Vec<(usize, Page)> = Vec::new();
    let mut local: Vec<Diagnostic> = Vec::new();
    let mut files: BTreeSet<String> = BTreeSet::new();
    for rel in rels {
        let Some(&Item::Page(i)) = site.by_source.get(rel.as_str()) else {
            return Patched::Reload;
        };
        let old = &site.pages[i];
        if !content.join(rel).is_file() {
            return Patched::Reload;
        }
        let (raw, mut d) = read_markdown(&content, rel);
        let bundle = old
            .bundle
            .as_ref()
            .map(|(_, files)| (rel.trim_end_matches("/index.md").to_string(), files.clone()));
        let page = build_page(
            &site.root,
            &site.config,
            &site.tiers,
            raw,
            bundle.as_ref(),
            &site.sections,
            &section_by_dir,
            opts.drafts,
            &mut d,
        );
        let Ok(mut page) = page else {
            return Patched::Reload;
        };
        if page.path != old.path
            || page.slug != old.slug
            || page.section != old.section
            || page.kind != old.kind
            || page.tier != old.tier
            || page.aliases != old.aliases
        {
            return Patched::Reload;
        }
        page.md = markdown_of(site, &page.src, page.kind);
        markdown_diags(&page.src, &page.md, &mut d);
        files.insert(page.src.file.clone());
        local.extend(d);
        replaced.push((i, page));
    }
    if local.iter().any(Diagnostic::is_error) {
        return Patched::Failed(local);
    }
    let previous_local = site.local_diags.clone();
    let mut old_pages = Vec::new();
    for (i, page) in replaced {
        old_pages.push((i, std::mem::replace(&mut site.pages[i], page)));
    }
    site.local_diags.retain(|d| !files.contains(&d.file));
    site.local_diags.extend(local);
    let diags = site_checks(site);
    if diags.iter().any(Diagnostic::is_error) {
        // Put the site back as it was: the preview keeps the last good one.
        for (i, page) in old_pages {
            site.pages[i] = page;
        }
        site.local_diags = previous_local;
        site_checks(site);
        return Patched::Failed(diags);
    }
    Patched::Done(diags)
}

/// A bundle folder (content-relative) and its files (bundle-relative).
type BundleFiles = (String, Vec<String>);

struct Walk {
    /// Content-relative folders that are sections (not bundles), root first.
    dirs: Vec<String>,
    /// Every Markdown file (content-relative).
    markdown: Vec<String>,
    /// Page files with their bundle, if any.
    pages: Vec<(String, Option<BundleFiles>)>,
    /// Non-Markdown files (content-relative).
    assets: BTreeSet<String>,
}

fn rel_string(path: &Path) -> Option<String> {
    let s = path.to_str()?;
    Some(s.replace('\\', "/"))
}

/// Editor and system leftovers that are never published, even from
/// `static/` (where other dotfiles such as `.well-known/` are kept).
pub fn is_junk(name: &str) -> bool {
    name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swo")
        || name.ends_with(".tmp")
        || name.starts_with('#')
        || name == ".DS_Store"
        || name == ".git"
}

/// Editor backups, swap files and hidden files: never content, never
/// published (the `serve` watcher uses the same rule).
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
        || name.starts_with('#')
}

fn walk_content(site: &Path, content: &Path, diags: &mut Vec<Diagnostic>) -> Walk {
    let mut w = Walk {
        dirs: vec![String::new()],
        markdown: Vec::new(),
        pages: Vec::new(),
        assets: BTreeSet::new(),
    };
    if !content.is_dir() {
        diags.push(
            Diagnostic::warning(
                CONTENT_DIR,
                codes::IO,
                "there is no content/ folder; the site has only its home page",
            )
            .with_help("create content/_index.md for the home page"),
        );
        return w;
    }
    let site_canon = std::fs::canonicalize(site).unwrap_or_else(|_| site.to_path_buf());
    let mut bundles: Vec<String> = Vec::new();
    let mut files: Vec<String> = Vec::new();
    let walker = walkdir::WalkDir::new(content)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let p = e
                    .path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default();
                diags.push(Diagnostic::error(p, codes::IO, format!("cannot read: {e}")));
                continue;
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        let rel_path = entry.path().strip_prefix(content).unwrap_or(entry.path());
        let Some(rel) = rel_string(rel_path) else {
            diags.push(
                Diagnostic::error(
                    format!("{CONTENT_DIR}/{}", rel_path.to_string_lossy()),
                    codes::BAD_PATH,
                    "file name is not valid UTF-8",
                )
                .with_help("rename the file using UTF-8 characters"),
            );
            continue;
        };
        let ft = entry.file_type();
        if ft.is_symlink() {
            match std::fs::canonicalize(entry.path()) {
                Ok(target) if target.starts_with(&site_canon) => {
                    if target.is_dir() {
                        diags.push(
                            Diagnostic::warning(
                                format!("{CONTENT_DIR}/{rel}"),
                                codes::BAD_PATH,
                                "symbolic link to a folder is not followed",
                            )
                            .with_help("move the folder into content/ instead of linking it"),
                        );
                        continue;
                    }
                }
                _ => {
                    diags.push(
                        Diagnostic::error(
                            format!("{CONTENT_DIR}/{rel}"),
                            codes::BAD_PATH,
                            "symbolic link points outside the site folder (or nowhere)",
                        )
                        .with_help("copy the file into the site instead of linking to it"),
                    );
                    continue;
                }
            }
        }
        if ft.is_dir() {
            if entry.path().join("index.md").is_file() {
                bundles.push(rel);
            } else {
                w.dirs.push(rel);
            }
        } else {
            files.push(rel);
        }
    }
    // Folders inside a bundle belong to the bundle.
    let in_bundle = |p: &str| -> Option<&String> {
        bundles.iter().find(|b| {
            p.len() > b.len() && p.starts_with(b.as_str()) && p.as_bytes()[b.len()] == b'/'
        })
    };
    w.dirs.retain(|d| in_bundle(d).is_none());
    let mut bundle_assets: HashMap<String, Vec<String>> = HashMap::new();
    for f in files {
        if let Some(b) = in_bundle(&f) {
            let inner = f[b.len() + 1..].to_string();
            if inner == "index.md" {
                continue;
            }
            if inner.ends_with(".md") {
                diags.push(
                    Diagnostic::warning(
                        format!("{CONTENT_DIR}/{f}"),
                        codes::BAD_PATH,
                        "a Markdown file inside a page bundle is not a page",
                    )
                    .with_help("move it beside the bundle folder, or rename the bundle's index.md"),
                );
            }
            bundle_assets.entry(b.clone()).or_default().push(inner);
            w.assets.insert(f);
        } else if f.ends_with(".md") {
            w.markdown.push(f.clone());
            if f.rsplit('/').next() != Some("_index.md") {
                w.pages.push((f, None));
            }
        } else {
            w.assets.insert(f);
        }
    }
    for b in bundles {
        let index = format!("{b}/index.md");
        w.markdown.push(index.clone());
        let assets = bundle_assets.remove(&b).unwrap_or_default();
        w.pages.push((index, Some((b, assets))));
    }
    w.pages.sort_by(|a, b| a.0.cmp(&b.0));
    w
}

fn walk_static(site: &Path, diags: &mut Vec<Diagnostic>) -> BTreeSet<String> {
    let dir = site.join(STATIC_DIR);
    let mut out = BTreeSet::new();
    if !dir.is_dir() {
        return out;
    }
    let walker = walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_junk(&e.file_name().to_string_lossy()));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                if let Some(rel) = e.path().strip_prefix(&dir).ok().and_then(rel_string) {
                    out.insert(rel);
                }
            }
            Ok(_) => {}
            Err(e) => diags.push(Diagnostic::error(
                STATIC_DIR,
                codes::IO,
                format!("cannot read: {e}"),
            )),
        }
    }
    out
}

fn read_markdown(content: &Path, rel: &str) -> (RawFile, Vec<Diagnostic>) {
    let file = format!("{CONTENT_DIR}/{rel}");
    let mut diags = Vec::new();
    let empty = |rel: &str| RawFile {
        rel: rel.to_string(),
        text: String::new(),
        body_offset: 0,
        node: None,
    };
    let bytes = match std::fs::read(content.join(rel)) {
        Ok(b) => b,
        Err(e) => {
            diags.push(Diagnostic::error(
                &file,
                codes::IO,
                format!("cannot read: {e}"),
            ));
            return (empty(rel), diags);
        }
    };
    let mut text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let valid = String::from_utf8_lossy(&e.as_bytes()[..at]).into_owned();
            let src = SourceText::new(&valid);
            let d = Diagnostic::error(
                &file,
                codes::INVALID_UTF8,
                format!("invalid UTF-8 at byte offset {at}"),
            )
            .at(&src, at..at)
            .with_help(
                "save the file as UTF-8 (in most editors: File → Save with Encoding → UTF-8)",
            );
            diags.push(d);
            return (empty(rel), diags);
        }
    };
    if text.starts_with('\u{feff}') {
        text.replace_range(..3, "");
    }
    let (node, body_offset) = {
        let src = SourceText::new(&text);
        match frontmatter::split(&text) {
            Err(u) => {
                diags.push(
                    Diagnostic::error(
                        &file,
                        codes::FM_UNCLOSED,
                        format!("front matter opened with `{}` is never closed", u.fence),
                    )
                    .at(&src, u.span)
                    .with_help(format!(
                        "add a line with only `{}` after the last front matter field",
                        u.fence
                    )),
                );
                (None, text.len())
            }
            Ok(split) => match split.front {
                None => (None, split.body_offset),
                Some((front, format)) => {
                    match frontmatter::parse(front, format, split.front_offset) {
                        Ok(node) => (Some(node), split.body_offset),
                        Err(errs) => {
                            let lang = match format {
                                frontmatter::Format::Toml => "TOML",
                                frontmatter::Format::Yaml => "YAML",
                            };
                            for e in errs {
                                // A malformed date is the commonest syntax error: say how to write one.
                                let (code, help) = if e.message.contains("date") {
                                    (
                                        codes::FM_DATE,
                                        "write dates as YYYY-MM-DD (months 01-12), optionally with a time: 2026-11-02T20:00",
                                    )
                                } else if format == frontmatter::Format::Toml {
                                    (
                                        codes::FM_SYNTAX,
                                        "write `key = value`; text values need double quotes, e.g. title = \"读书会\"",
                                    )
                                } else {
                                    (
                                        codes::FM_SYNTAX,
                                        "write `key: value`, indent nested fields with spaces",
                                    )
                                };
                                diags.push(
                                    Diagnostic::error(
                                        &file,
                                        code,
                                        format!("invalid {lang} in front matter: {}", e.message),
                                    )
                                    .at(&src, e.span)
                                    .with_help(help),
                                );
                            }
                            (None, split.body_offset)
                        }
                    }
                }
            },
        }
    };
    (
        RawFile {
            rel: rel.to_string(),
            text,
            body_offset,
            node,
        },
        diags,
    )
}

/// Deserializes a typed struct from front matter, turning problems into diagnostics.
fn typed<'a, T: serde::Deserialize<'a> + Default>(
    node: Option<&'a Node>,
    file: &str,
    src: &SourceText<'_>,
    diags: &mut Vec<Diagnostic>,
) -> T {
    let Some(node) = node else {
        return T::default();
    };
    let (result, unknown) = spanned::from_node::<T>(node, false);
    for u in unknown {
        diags.push(config::unknown_key_diagnostic(
            file,
            src,
            &u,
            codes::FM_UNKNOWN_FIELD,
            false,
        ));
    }
    match result {
        Ok(v) => v,
        Err(e) => {
            let span = e.span.clone().unwrap_or(node.span.clone());
            let (code, help) = if e.message.starts_with("invalid date") {
                (
                    codes::FM_DATE,
                    "write dates as YYYY-MM-DD, optionally with a time: 2026-11-02T20:00",
                )
            } else if e.message.starts_with("missing field") {
                (
                    codes::FM_MISSING,
                    "add the field; docs/front-matter.md lists the fields of each kind",
                )
            } else {
                (
                    codes::FM_INVALID,
                    "docs/front-matter.md shows the expected form of every field",
                )
            };
            let message = if e.path.is_empty() {
                e.message.clone()
            } else {
                format!("`{}`: {}", e.path, e.message)
            };
            diags.push(
                Diagnostic::error(file, code, message)
                    .at(src, span)
                    .with_help(help),
            );
            T::default()
        }
    }
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

fn check_top_keys(
    node: Option<&Node>,
    allowed: &[&'static [&'static str]],
    file: &str,
    src: &SourceText<'_>,
    kind: &str,
    diags: &mut Vec<Diagnostic>,
) {
    let Some(node) = node else { return };
    let all: Vec<&str> = allowed.iter().flat_map(|a| a.iter().copied()).collect();
    for (k, _) in node.entries() {
        if !all.contains(&k.name.as_str()) {
            let help = match did_you_mean(&k.name, all.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("fields of a {kind}: {}", all.join(", ")),
            };
            diags.push(
                Diagnostic::warning(
                    file,
                    codes::FM_UNKNOWN_FIELD,
                    format!("unknown field `{}` for {} {kind}", k.name, article(kind)),
                )
                .at(src, k.span.clone())
                .with_help(help),
            );
        }
    }
}

struct Builder<'a> {
    site: &'a Path,
    config: &'a Config,
    tiers: &'a Tiers,
    diags: &'a mut Vec<Diagnostic>,
    sections: Vec<Section>,
    section_by_dir: HashMap<String, usize>,
}

impl Builder<'_> {
    fn build_sections(&mut self, dirs: &[String], raws: &mut BTreeMap<String, RawFile>) {
        let _ = self.site;
        // dirs are sorted so that parents come before children (walk order).
        for dir in dirs {
            let index_rel = if dir.is_empty() {
                "_index.md".to_string()
            } else {
                format!("{dir}/_index.md")
            };
            let raw = raws.remove(&index_rel);
            let file = format!("{CONTENT_DIR}/{index_rel}");
            let text = raw.as_ref().map(|r| r.text.clone()).unwrap_or_default();
            let body_offset = raw.as_ref().map(|r| r.body_offset).unwrap_or(0);
            let src_text = SourceText::new(&text);
            let node = raw.as_ref().and_then(|r| r.node.as_ref());
            let fm: SectionFm = typed(node, &file, &src_text, self.diags);
            check_top_keys(
                node,
                &[spanned::struct_fields::<SectionFm>()],
                &file,
                &src_text,
                "section",
                self.diags,
            );

            let parent = if dir.is_empty() {
                None
            } else {
                let parent_dir = dir.rsplit_once('/').map(|(p, _)| p).unwrap_or("");
                self.section_by_dir.get(parent_dir).copied()
            };
            let folder = dir.rsplit('/').next().unwrap_or("");
            let kind = if dir.is_empty() {
                Kind::Home
            } else {
                match &fm.kind {
                    Some(k) => match Kind::section_from_name(&k.value) {
                        Some(kind) => kind,
                        None => {
                            let help = match did_you_mean(&k.value, SECTION_KINDS.iter().copied()) {
                                Some(s) => format!("did you mean \"{s}\"?"),
                                None => format!(
                                    "a section's kind is one of: {}",
                                    SECTION_KINDS.join(", ")
                                ),
                            };
                            self.diags.push(
                                Diagnostic::error(
                                    &file,
                                    codes::FM_INVALID,
                                    format!("unknown section kind `{}`", k.value),
                                )
                                .at(&src_text, k.span.clone())
                                .with_help(help),
                            );
                            Kind::Section
                        }
                    },
                    None => Kind::section_from_name(folder).unwrap_or(Kind::Section),
                }
            };
            let (path, parent_tier) = match parent {
                None => ("/".to_string(), Tier::PUBLIC),
                Some(p) => {
                    let seg = match paths::slugify(folder) {
                        Some(s) => s,
                        None => {
                            self.diags.push(
                                Diagnostic::error(
                                    format!("{CONTENT_DIR}/{dir}"),
                                    codes::BAD_PATH,
                                    format!("folder name `{folder}` gives an empty URL"),
                                )
                                .with_help("rename the folder using letters or digits"),
                            );
                            "section".into()
                        }
                    };
                    (
                        format!("{}{seg}/", self.sections[p].path),
                        self.sections[p].tier,
                    )
                }
            };
            let tier = resolve_tier(
                self.tiers,
                fm.tier.as_ref(),
                parent_tier,
                &file,
                &src_text,
                parent.map(|p| self.sections[p].src.file.as_str()),
                self.diags,
            );
            let title = fm.title.clone().unwrap_or_else(|| {
                if dir.is_empty() {
                    self.config.title.clone()
                } else {
                    folder.to_string()
                }
            });
            let idx = self.sections.len();
            self.section_by_dir.insert(dir.clone(), idx);
            if let Some(p) = parent {
                self.sections[p].subsections.push(idx);
            }
            self.sections.push(Section {
                src: Source {
                    rel: index_rel,
                    file,
                    text,
                    body_offset,
                },
                fm,
                kind,
                title,
                dir: dir.clone(),
                parent,
                path,
                tier,
                pages: Vec::new(),
                subsections: Vec::new(),
                md: Rendered::default(),
            });
        }
    }
}

fn resolve_tier(
    tiers: &Tiers,
    declared: Option<&Spanned<String>>,
    inherited: Tier,
    file: &str,
    src: &SourceText<'_>,
    parent_file: Option<&str>,
    diags: &mut Vec<Diagnostic>,
) -> Tier {
    match tiers.resolve(declared.map(|d| d.value.as_str()), inherited) {
        Ok(t) => t,
        Err(TierError::Unknown(near)) => {
            let d = declared.expect("unknown implies declared");
            let help = match near {
                Some(n) => format!("did you mean \"{n}\"?"),
                None => format!(
                    "tiers in hearth.toml: {}",
                    tiers.ids().collect::<Vec<_>>().join(", ")
                ),
            };
            diags.push(
                Diagnostic::error(
                    file,
                    codes::UNKNOWN_TIER,
                    format!("unknown tier `{}`", d.value),
                )
                .at(src, d.span.clone())
                .with_help(help),
            );
            inherited
        }
        Err(TierError::Lowered { inherited }) => {
            let d = declared.expect("lowered implies declared");
            let from = parent_file.unwrap_or("its section");
            diags.push(
                Diagnostic::error(
                    file,
                    codes::TIER_LOWERED,
                    format!(
                        "tier `{}` is lower than `{}`, which {} sets for everything in it",
                        d.value,
                        tiers.info(inherited).id,
                        from
                    ),
                )
                .at(src, d.span.clone())
                .with_help(format!("a page can only raise its section's tier: remove this line, or change the tier in {from}")),
            );
            inherited
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn build_page(
    site: &Path,
    config: &Config,
    tiers: &Tiers,
    raw: RawFile,
    bundle: Option<&BundleFiles>,
    sections: &[Section],
    section_by_dir: &HashMap<String, usize>,
    drafts: bool,
    diags: &mut Vec<Diagnostic>,
) -> Result<Page, String> {
    let rel = &raw.rel;
    let file = format!("{CONTENT_DIR}/{rel}");
    let src = SourceText::new(&raw.text);
    let node = raw.node.as_ref();
    let fm: PageFm = typed(node, &file, &src, diags);
    if fm.draft && !drafts {
        return Err(rel.clone());
    }
    // The folder the page lives in, and the name its URL comes from.
    let (dir, name) = match bundle {
        Some((b, _)) => match b.rsplit_once('/') {
            Some((d, n)) => (d.to_string(), n.to_string()),
            None => (String::new(), b.clone()),
        },
        None => {
            let (d, f) = rel.rsplit_once('/').unwrap_or(("", rel.as_str()));
            (d.to_string(), f.trim_end_matches(".md").to_string())
        }
    };
    let section = *section_by_dir.get(&dir).unwrap_or(&0);
    let sec = &sections[section];
    let (date_from_name, stem) = match paths::date_prefix(&name) {
        Some((d, rest)) => (Some(d), rest.to_string()),
        None => (None, name.clone()),
    };
    let kind = match &fm.kind {
        Some(k) => Kind::page_from_name(&k.value).unwrap_or_else(|| {
            let help = match did_you_mean(&k.value, PAGE_KINDS.iter().copied()) {
                Some(s) => format!("did you mean \"{s}\"?"),
                None => format!("a page's kind is one of: {}", PAGE_KINDS.join(", ")),
            };
            diags.push(
                Diagnostic::error(
                    &file,
                    codes::FM_INVALID,
                    format!("unknown page kind `{}`", k.value),
                )
                .at(&src, k.span.clone())
                .with_help(help),
            );
            Kind::Page
        }),
        None => match sec.kind.item() {
            Kind::Page => match stem.as_str() {
                "mission" | "values" | "rules" | "faq" => {
                    Kind::page_from_name(&stem).unwrap_or(Kind::Page)
                }
                _ => Kind::Page,
            },
            item => item,
        },
    };
    let common = spanned::struct_fields::<PageFm>();
    let (data, extra_fields, kind_name): (KindData, &'static [&'static str], &str) = match kind {
        Kind::Event => {
            let fm: EventFm = typed(node, &file, &src, diags);
            let time = event_time(&fm, config, &file, &src, diags).map(Box::new);
            (
                KindData::Event(Box::new(fm), time),
                spanned::struct_fields::<EventFm>(),
                "event",
            )
        }
        Kind::Activity => (
            KindData::Activity(Box::new(typed(node, &file, &src, diags))),
            spanned::struct_fields::<ActivityFm>(),
            "activity",
        ),
        Kind::Member => (
            KindData::Member(Box::new(typed(node, &file, &src, diags))),
            spanned::struct_fields::<MemberFm>(),
            "member",
        ),
        Kind::Chapter => (
            KindData::Chapter(Box::new(typed(node, &file, &src, diags))),
            spanned::struct_fields::<ChapterFm>(),
            "chapter",
        ),
        _ => (KindData::None, &[], "page"),
    };
    check_top_keys(node, &[common, extra_fields], &file, &src, kind_name, diags);

    // An event without its own `date` is dated by its first start, so event
    // sections sort by when things happen.
    let event_date = match &data {
        KindData::Event(_, Some(t)) => Some(DateValue {
            date: t.start().date(),
            time: (!t.all_day()).then(|| t.start().time()),
            offset: None,
        }),
        _ => None,
    };
    let date = match (&fm.date, date_from_name) {
        (Some(d), _) => Some(d.value),
        (None, _) if event_date.is_some() => event_date,
        (None, Some(d)) => match DateValue::parse(d) {
            Ok(v) => Some(v),
            Err(m) => {
                diags.push(
                    Diagnostic::error(&file, codes::FM_DATE, format!("file name date: {m}"))
                        .with_help("rename the file with a real date, e.g. 2026-11-02-title.md"),
                );
                None
            }
        },
        (None, None) => None,
    };
    let slug = match &fm.slug {
        Some(s) => {
            if !paths::is_safe_segment(&s.value) {
                diags.push(
                    Diagnostic::error(&file, codes::BAD_PATH, format!("slug `{}` is not a single URL segment", s.value))
                        .at(&src, s.span.clone())
                        .with_help("a slug is one name without `/`, `\\` or `..`, e.g. slug = \"reading-night\""),
                );
                paths::slugify(&stem).unwrap_or_else(|| "page".into())
            } else {
                paths::slugify(&s.value).unwrap_or_else(|| s.value.clone())
            }
        }
        None => match paths::slugify(&stem) {
            Some(s) => s,
            None => {
                diags.push(
                    Diagnostic::error(&file, codes::BAD_PATH, format!("file name `{name}` gives an empty URL"))
                        .with_help("rename the file using letters or digits, or set `slug` in the front matter"),
                );
                "page".into()
            }
        },
    };
    let path = format!("{}{slug}/", sec.path);
    let tier = resolve_tier(
        tiers,
        fm.tier.as_ref(),
        sec.tier,
        &file,
        &src,
        Some(&sec.src.file),
        diags,
    );
    let title = fm
        .title
        .clone()
        .or_else(|| first_heading(&raw.text[raw.body_offset..]))
        .unwrap_or_else(|| stem.clone());
    let mut tags: Vec<String> = Vec::new();
    for t in &fm.tags {
        let v = t.value.trim().to_string();
        if paths::slugify(&v).is_none() {
            diags.push(
                Diagnostic::error(
                    &file,
                    codes::FM_INVALID,
                    format!("tag `{}` has no letters or digits", t.value),
                )
                .at(&src, t.span.clone())
                .with_help("use a word as a tag"),
            );
        } else if !tags.iter().any(|x| x.eq_ignore_ascii_case(&v)) {
            tags.push(v);
        }
    }
    let mut aliases = Vec::new();
    for a in &fm.aliases {
        match paths::clean_site_path(&a.value) {
            Ok(p) => aliases.push(p),
            Err(m) => diags.push(
                Diagnostic::error(&file, codes::BAD_PATH, format!("alias: {m}"))
                    .at(&src, a.span.clone())
                    .with_help("an alias is an old path on this site, e.g. \"/old-news/welcome/\""),
            ),
        }
    }
    let _ = config;
    Ok(Page {
        src: Source {
            rel: rel.clone(),
            file,
            text: raw.text,
            body_offset: raw.body_offset,
        },
        fm,
        kind,
        data,
        title,
        section,
        slug,
        path,
        date,
        tier,
        bundle: bundle.map(|(b, assets)| (site.join(CONTENT_DIR).join(b), assets.clone())),
        md: Rendered::default(),
        tags,
        aliases,
    })
}

fn first_heading(body: &str) -> Option<String> {
    body.lines()
        .find_map(|l| l.strip_prefix("# "))
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
}

fn index_sources(site: &mut Site) {
    for (i, p) in site.pages.iter().enumerate() {
        site.by_slug.entry(p.slug.clone()).or_default().push(i);
        site.by_source.insert(p.src.rel.clone(), Item::Page(i));
        if let Some((_, _)) = &p.bundle {
            // A link to the bundle folder itself also means the page.
            if let Some(dir) = p.src.rel.strip_suffix("/index.md") {
                site.by_source.insert(dir.to_string(), Item::Page(i));
            }
        }
    }
    for (i, s) in site.sections.iter().enumerate() {
        site.by_source.insert(s.src.rel.clone(), Item::Section(i));
    }
    for (i, p) in site.pages.iter().enumerate() {
        site.sections[p.section].pages.push(i);
    }
}

/// Two sources for one output file is an error naming both.
fn check_output_paths(site: &Site, diags: &mut Vec<Diagnostic>) {
    // Where each output's claim is written: the line that makes the path
    // (a `slug` or alias), else the top of the file.
    let place_of = |file: &str, needle: Option<&Spanned<String>>| -> (usize, usize) {
        let page = site.pages.iter().find(|p| p.src.file == file);
        match (page, needle) {
            (Some(p), Some(n)) => {
                let loc = SourceText::new(&p.src.text).locate(n.span.start);
                (loc.line, loc.col)
            }
            _ => (1, 1),
        }
    };
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut claim =
        |out: String, who: String, why: Option<&Spanned<String>>, diags: &mut Vec<Diagnostic>| {
            if let Some(first) = seen.get(&out) {
                if first != &who {
                    let (line, col) = if who.starts_with(CONTENT_DIR) {
                        place_of(&who, why)
                    } else {
                        (0, 0)
                    };
                    diags.push(
                        Diagnostic::error(
                            &who,
                            codes::DUPLICATE_PATH,
                            format!("writes {out}, which {first} writes too"),
                        )
                        .at_line(line, col)
                        .with_help("give one of them a different file name or `slug`"),
                    );
                }
            } else {
                seen.insert(out, who);
            }
        };
    for s in &site.sections {
        claim(
            format!("{}index.html", s.path),
            s.src.file.clone(),
            None,
            diags,
        );
    }
    for p in &site.pages {
        claim(
            format!("{}index.html", p.path),
            p.src.file.clone(),
            p.fm.slug.as_ref(),
            diags,
        );
        for a in &p.aliases {
            let out = if a.ends_with('/') {
                format!("{a}index.html")
            } else {
                a.clone()
            };
            let alias =
                p.fm.aliases
                    .iter()
                    .find(|x| paths::clean_site_path(&x.value).as_deref() == Ok(a.as_str()));
            claim(out, p.src.file.clone(), alias, diags);
        }
    }
    for (rel, f) in &site.files {
        claim(f.path.clone(), format!("{CONTENT_DIR}/{rel}"), None, diags);
    }
    for f in &site.static_files {
        claim(format!("/{f}"), format!("{STATIC_DIR}/{f}"), None, diags);
    }
}

/// Gives every content file its URL: bundle assets beside their page, other
/// files beside their section's listing, with the tier of what they belong to.
fn index_files(
    site: &mut Site,
    assets: &BTreeSet<String>,
    section_by_dir: &HashMap<String, usize>,
) {
    let content = site.root.join(CONTENT_DIR);
    for (i, p) in site.pages.iter().enumerate() {
        let Some((_, files)) = &p.bundle else {
            continue;
        };
        let dir = p.src.rel.trim_end_matches("index.md");
        for a in files {
            site.files.insert(
                format!("{dir}{a}"),
                ContentFile {
                    src: content.join(format!("{dir}{a}")),
                    path: format!("{}{a}", p.path),
                    tier: p.tier,
                    page: Some(i),
                },
            );
        }
    }
    for rel in assets {
        if site.files.contains_key(rel) {
            continue;
        }
        let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel.as_str()));
        // A folder inside a draft bundle has no section: its files are not published.
        let Some(&s) = section_by_dir.get(dir) else {
            continue;
        };
        let sec = &site.sections[s];
        site.files.insert(
            rel.clone(),
            ContentFile {
                src: content.join(rel),
                path: format!("{}{name}", sec.path),
                tier: sec.tier,
                page: None,
            },
        );
    }
}

/// Renders the Markdown of one page or section; links resolve against the
/// rest of the site. Public so the micro-benchmarks time the build's own call.
pub fn markdown_of(site: &Site, src: &Source, kind: Kind) -> Rendered {
    let anchor_label = if site.config.is_chinese() {
        "链接到此处"
    } else {
        "Link to this section"
    };
    let resolve = |target: &str| -> Resolved {
        let item = site
            .by_source
            .get(target)
            .or_else(|| site.by_source.get(target.trim_end_matches('/')));
        match item {
            Some(&it) => Resolved::Page {
                url: site.url(site.path_of(it)),
                locked: {
                    let tier = match it {
                        Item::Page(i) => site.pages[i].tier,
                        Item::Section(i) => site.sections[i].tier,
                    };
                    (!site.tiers.is_written(site.audience, tier))
                        .then(|| site.tiers.info(tier).name.clone())
                },
                source: match it {
                    Item::Page(i) => site.pages[i].src.rel.clone(),
                    Item::Section(i) => site.sections[i].src.rel.clone(),
                },
            },
            None => match site.files.get(target) {
                Some(f) => Resolved::File(site.url(&f.path)),
                None if site.drafts.contains(target) => Resolved::Draft,
                None => Resolved::Missing,
            },
        }
    };
    let dir = src.rel.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    let opts = MdOptions {
        smart_punctuation: site.config.markdown.smart_punctuation,
        external_links_new_tab: site.config.markdown.external_links_new_tab,
        anchor_label,
        resolve: &resolve,
        source_dir: dir,
        numbered_rules: kind == Kind::Rules,
        origin: site.config.origin(),
        faq: kind == Kind::Faq,
        safe_html: site.config.markdown.safe_html,
    };
    markdown::render(src.body(), &opts)
}

/// The problems Markdown rendering found in one file, as diagnostics.
fn markdown_diags(src: &Source, md: &Rendered, diags: &mut Vec<Diagnostic>) {
    if md.problems.is_empty() {
        return;
    }
    let text = SourceText::new(&src.text);
    for prob in &md.problems {
        let span = prob.span.start + src.body_offset..prob.span.end + src.body_offset;
        let d = if prob.warning {
            Diagnostic::warning(&src.file, prob.code, &prob.message)
        } else {
            Diagnostic::error(&src.file, prob.code, &prob.message)
        };
        diags.push(d.at(&text, span).with_help(&prob.help));
    }
}

fn render_markdown(site: &mut Site, diags: &mut Vec<Diagnostic>) {
    let page_md: Vec<Rendered> = site
        .pages
        .par_iter()
        .map(|p| markdown_of(site, &p.src, p.kind))
        .collect();
    let section_md: Vec<Rendered> = site
        .sections
        .par_iter()
        .map(|s| markdown_of(site, &s.src, s.kind))
        .collect();
    for (p, md) in site.pages.iter_mut().zip(page_md) {
        p.md = md;
    }
    for (s, md) in site.sections.iter_mut().zip(section_md) {
        s.md = md;
    }
    for (src, md) in site
        .pages
        .iter()
        .map(|p| (&p.src, &p.md))
        .chain(site.sections.iter().map(|s| (&s.src, &s.md)))
    {
        markdown_diags(src, md, diags);
    }
}

/// Checks every internal link's anchor against the target's anchors.
fn check_links(site: &Site, diags: &mut Vec<Diagnostic>) {
    let anchors_of = |rel: &str| -> Option<&[String]> {
        match site.by_source.get(rel)? {
            Item::Page(i) => Some(&site.pages[*i].md.anchors),
            Item::Section(i) => Some(&site.sections[*i].md.anchors),
        }
    };
    let all = site
        .pages
        .iter()
        .map(|p| (&p.src, &p.md))
        .chain(site.sections.iter().map(|s| (&s.src, &s.md)));
    for (src, md) in all {
        let mut text: Option<SourceText<'_>> = None;
        for link in &md.links {
            let Some(anchor) = &link.anchor else { continue };
            if anchor.is_empty() {
                continue;
            }
            let target = if link.target.is_empty() {
                src.rel.as_str()
            } else {
                link.target.as_str()
            };
            let Some(anchors) = anchors_of(target) else {
                continue;
            };
            if anchors.iter().any(|a| a == anchor) {
                continue;
            }
            let text = text.get_or_insert_with(|| SourceText::new(&src.text));
            let span = link.span.start + src.body_offset..link.span.end + src.body_offset;
            let help = match did_you_mean(anchor, anchors.iter().map(String::as_str)) {
                Some(s) => format!("did you mean `#{s}`?"),
                None if anchors.is_empty() => {
                    format!("content/{target} has no headings to link to")
                }
                None => format!(
                    "anchors in content/{target}: {}",
                    anchors
                        .iter()
                        .take(12)
                        .map(|a| format!("#{a}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            diags.push(
                Diagnostic::error(
                    &src.file,
                    codes::BROKEN_ANCHOR,
                    format!("anchor `#{anchor}` does not exist in content/{target}"),
                )
                .at(text, span)
                .with_help(help),
            );
        }
    }
}

fn sort_sections(site: &mut Site) {
    let pages = &site.pages;
    for s in &mut site.sections {
        let by = s.fm.sort_by;
        s.pages.sort_by(|&a, &b| {
            let (pa, pb) = (&pages[a], &pages[b]);
            let order = match by {
                SortBy::Date => pb
                    .date
                    .map(|d| d.datetime())
                    .cmp(&pa.date.map(|d| d.datetime())),
                SortBy::Weight => pa
                    .fm
                    .weight
                    .unwrap_or(i64::MAX)
                    .cmp(&pb.fm.weight.unwrap_or(i64::MAX)),
                SortBy::Title => pa.title.cmp(&pb.title),
            };
            order
                .then_with(|| pa.title.cmp(&pb.title))
                .then_with(|| pa.src.rel.cmp(&pb.src.rel))
        });
    }
    let snapshot: Vec<(Option<i64>, String)> = site
        .sections
        .iter()
        .map(|s| (s.fm.weight, s.title.clone()))
        .collect();
    for s in &mut site.sections {
        s.subsections.sort_by(|&a, &b| {
            let (wa, ta) = &snapshot[a];
            let (wb, tb) = &snapshot[b];
            wa.unwrap_or(i64::MAX)
                .cmp(&wb.unwrap_or(i64::MAX))
                .then_with(|| ta.cmp(tb))
        });
    }
}

impl Site {
    /// Ids of the pages of one kind (their slugs), e.g. member ids.
    pub fn ids_of(&self, kind: Kind) -> Vec<&str> {
        self.pages
            .iter()
            .filter(|p| p.kind == kind)
            .map(|p| p.slug.as_str())
            .collect()
    }

    /// The page of `kind` with id `id`.
    pub fn find(&self, kind: Kind, id: &str) -> Option<usize> {
        self.by_slug
            .get(id)?
            .iter()
            .copied()
            .find(|&i| self.pages[i].kind == kind)
    }

    /// Resolves a front-matter page reference (`@/events/x.md`, or relative to `from`).
    pub fn resolve_ref(&self, from: &Source, target: &str) -> Option<Item> {
        let path = if let Some(rest) = target.strip_prefix("@/") {
            markdown::normalize(rest)?
        } else {
            let dir = from.rel.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
            markdown::normalize(&format!("{dir}/{target}"))?
        };
        self.by_source.get(&path).copied()
    }
}

/// Ids of one kind, as listed (for suggestions) and as a set (for lookups:
/// a large site checks every host and chapter reference of every page).
struct Ids<'a> {
    list: Vec<&'a str>,
    set: std::collections::HashSet<&'a str>,
}

impl<'a> Ids<'a> {
    fn new(list: Vec<&'a str>) -> Self {
        let set = list.iter().copied().collect();
        Ids { list, set }
    }
}

/// Checks ids that point at other content: members, chapters, roles, events,
/// and files a page names in its front matter (photos, avatar, showcase images).
fn check_references(site: &Site, diags: &mut Vec<Diagnostic>) {
    let members = Ids::new(site.ids_of(Kind::Member));
    let chapters = Ids::new(site.ids_of(Kind::Chapter));
    let roles = Ids::new(site.config.roles.iter().map(|r| r.id.as_str()).collect());
    for page in &site.pages {
        let src = SourceText::new(&page.src.text);
        let file = page.src.file.as_str();
        let unknown =
            |id: &Spanned<String>, known: &Ids, code: &'static str, what: &str, fix: &str| {
                if known.set.contains(id.value.as_str()) {
                    return None;
                }
                let known = &known.list;
                let help = match did_you_mean(&id.value, known.iter().copied()) {
                    Some(s) => format!("did you mean \"{s}\"?"),
                    None if known.is_empty() => format!("there are no {what}s yet: {fix}"),
                    None => format!("known {what}s: {}", known.join(", ")),
                };
                Some(
                    Diagnostic::error(file, code, format!("unknown {what} `{}`", id.value))
                        .at(&src, id.span.clone())
                        .with_help(help),
                )
            };
        let member_fix = "add content/members/ID.md, or fix the id";
        let chapter_fix = "add content/chapters/ID.md, or fix the id";
        let file_in_bundle = |name: &Spanned<String>, what: &str| {
            let exists = match &page.bundle {
                Some((_, assets)) => assets.iter().any(|a| a == &name.value),
                None => false,
            };
            if exists {
                return None;
            }
            {
                let help = if page.bundle.is_some() {
                    format!(
                        "put `{}` in the page's folder beside index.md, or fix the name",
                        name.value
                    )
                } else {
                    "make the page a bundle (a folder with index.md) and put the file beside it"
                        .to_string()
                };
                Some(
                    Diagnostic::error(
                        file,
                        codes::MISSING_FILE,
                        format!("{what} `{}` not found", name.value),
                    )
                    .at(&src, name.span.clone())
                    .with_help(help),
                )
            }
        };
        match &page.data {
            KindData::Event(e, _) => {
                for h in &e.hosts {
                    diags.extend(unknown(
                        h,
                        &members,
                        codes::UNKNOWN_MEMBER,
                        "member",
                        member_fix,
                    ));
                }
                if let Some(c) = &e.chapter {
                    diags.extend(unknown(
                        c,
                        &chapters,
                        codes::UNKNOWN_CHAPTER,
                        "chapter",
                        chapter_fix,
                    ));
                }
            }
            KindData::Activity(a) => {
                for h in &a.hosts {
                    diags.extend(unknown(
                        h,
                        &members,
                        codes::UNKNOWN_MEMBER,
                        "member",
                        member_fix,
                    ));
                }
                if let Some(c) = &a.chapter {
                    diags.extend(unknown(
                        c,
                        &chapters,
                        codes::UNKNOWN_CHAPTER,
                        "chapter",
                        chapter_fix,
                    ));
                }
                if let Some(ev) = &a.event {
                    let found = site.resolve_ref(&page.src, &ev.value);
                    if !matches!(found, Some(Item::Page(i)) if site.pages[i].kind == Kind::Event) {
                        diags.push(
                            Diagnostic::error(file, codes::UNKNOWN_EVENT, format!("`event` `{}` is not an event page", ev.value))
                                .at(&src, ev.span.clone())
                                .with_help("write the event's file path, e.g. event = \"@/events/reading-night.md\""),
                        );
                    }
                }
                for photo in &a.photos {
                    diags.extend(file_in_bundle(&photo.file, "photo"));
                    if photo.alt.as_deref().is_none_or(|t| t.trim().is_empty()) {
                        diags.push(
                            Diagnostic::warning(
                                file,
                                codes::MISSING_ALT,
                                format!("photo `{}` has no alt text", photo.file.value),
                            )
                            .at(&src, photo.file.span.clone())
                            .with_help(
                                "add alt = \"…\" describing the photo for people who cannot see it",
                            ),
                        );
                    }
                }
            }
            KindData::Member(m) => {
                for r in &m.roles {
                    diags.extend(unknown(
                        r,
                        &roles,
                        codes::UNKNOWN_ROLE,
                        "role",
                        "declare it in [[roles]] in hearth.toml",
                    ));
                }
                if let Some(c) = &m.chapter {
                    diags.extend(unknown(
                        c,
                        &chapters,
                        codes::UNKNOWN_CHAPTER,
                        "chapter",
                        chapter_fix,
                    ));
                }
                if let Some(a) = &m.avatar {
                    diags.extend(file_in_bundle(a, "avatar"));
                }
                for work in &m.showcase {
                    if let Some(img) = &work.image {
                        diags.extend(file_in_bundle(img, "showcase image"));
                    }
                }
            }
            KindData::Chapter(c) => {
                if let Some(tz) = &c.timezone
                    && let Err(e) = crate::calendar::parse_tz(&tz.value)
                {
                    diags.push(
                        Diagnostic::error(file, codes::EVENT_TZ, e.message().to_string())
                            .at(&src, tz.span.clone())
                            .with_help(e.help().to_string()),
                    );
                }
                for o in &c.organizers {
                    diags.extend(unknown(
                        o,
                        &members,
                        codes::UNKNOWN_MEMBER,
                        "member",
                        member_fix,
                    ));
                }
            }
            KindData::None => {}
        }
    }
}

/// Measures every image a page shows (gallery photos, avatars, showcase
/// images) and makes thumbnails of the large ones, in parallel.
fn process_images(site: &mut Site, diags: &mut Vec<Diagnostic>) {
    let mut wanted: BTreeSet<String> = BTreeSet::new();
    for p in &site.pages {
        let dir = p.src.rel.trim_end_matches("index.md");
        let mut add = |name: &str| {
            let rel = format!("{dir}{name}");
            if site.files.contains_key(&rel) && crate::images::is_image(name) {
                wanted.insert(rel);
            }
        };
        match &p.data {
            KindData::Activity(a) => a.photos.iter().for_each(|ph| add(&ph.file.value)),
            KindData::Member(m) => {
                if let Some(av) = &m.avatar {
                    add(&av.value);
                }
                for w in &m.showcase {
                    if let Some(img) = &w.image {
                        add(&img.value);
                    }
                }
            }
            _ => {}
        }
    }
    struct Probed {
        rel: String,
        dims: Option<(u32, u32)>,
        thumb: Result<Option<(Vec<u8>, u32, u32)>, String>,
    }
    let results: Vec<Probed> = wanted
        .par_iter()
        .map(|rel| {
            let f = &site.files[rel];
            let (dims, thumb) = crate::images::probe(&f.src);
            Probed {
                rel: rel.clone(),
                dims,
                thumb,
            }
        })
        .collect();
    for Probed { rel, dims, thumb } in results {
        let f = &site.files[&rel];
        let Some((width, height)) = dims else {
            diags.push(
                Diagnostic::warning(
                    format!("{CONTENT_DIR}/{rel}"),
                    codes::MISSING_FILE,
                    "cannot read this image's size",
                )
                .with_help("save it as JPEG, PNG or SVG"),
            );
            continue;
        };
        let thumb = match thumb {
            Ok(Some((bytes, w, h))) => {
                let name = crate::images::thumb_name(rel.rsplit('/').next().unwrap_or(&rel));
                let dir = f.path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
                let path = format!("{dir}/{name}");
                if site.files.values().any(|o| o.path == path) {
                    None
                } else {
                    site.thumbs.insert(path.clone(), (bytes, f.tier));
                    Some((path, w, h))
                }
            }
            Ok(None) => None,
            Err(m) => {
                diags.push(
                    Diagnostic::warning(
                        format!("{CONTENT_DIR}/{rel}"),
                        codes::MISSING_FILE,
                        format!("no thumbnail: {m}"),
                    )
                    .with_help("re-save the image as a standard JPEG or PNG"),
                );
                None
            }
        };
        site.images.insert(
            rel,
            crate::images::ImageMeta {
                width,
                height,
                thumb,
            },
        );
    }
}

/// Validates an event's times into an [`crate::calendar::EventTime`], placing
/// every problem on the field it comes from.
fn event_time(
    fm: &EventFm,
    config: &Config,
    file: &str,
    src: &SourceText<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Option<crate::calendar::EventTime> {
    use crate::calendar::{self, EventEnd};
    if let Some(st) = &fm.status
        && event_status(fm).is_none()
    {
        let known = ["scheduled", "cancelled", "postponed"];
        let help = match did_you_mean(&st.value, known) {
            Some(k) => format!("did you mean \"{k}\"?"),
            None => "status is one of: scheduled, cancelled, postponed".into(),
        };
        diags.push(
            Diagnostic::error(
                file,
                codes::FM_INVALID,
                format!("unknown event status `{}`", st.value),
            )
            .at(src, st.span.clone())
            .with_help(help),
        );
    }
    let mut report =
        |span: &std::ops::Range<usize>, code: &'static str, e: &calendar::CalendarError| {
            diags.push(
                Diagnostic::error(file, code, e.message().to_string())
                    .at(src, span.clone())
                    .with_help(e.help().to_string()),
            );
        };
    let Some(start_raw) = &fm.start else {
        diags.push(
            Diagnostic::error(file, codes::FM_MISSING, "an event needs a `start`")
                .at(src, 0..3)
                .with_help("add start = 2026-11-28T20:00 (or a date such as 2026-12-12 for an all-day event)"),
        );
        return None;
    };
    let tz = match &fm.timezone {
        Some(t) => match calendar::parse_tz(&t.value) {
            Ok(tz) => tz,
            Err(e) => {
                report(&t.span, codes::EVENT_TZ, &e);
                return None;
            }
        },
        None => calendar::parse_tz(&config.timezone.value).ok()?,
    };
    let start = match calendar::parse_local(&start_raw.value) {
        Ok(s) => s,
        Err(e) => {
            report(&start_raw.span, codes::EVENT_TIME, &e);
            return None;
        }
    };
    let end = match (&fm.end, &fm.duration) {
        (Some(_), Some(d)) => {
            diags.push(
                Diagnostic::error(
                    file,
                    codes::EVENT_TIME,
                    "an event has either `end` or `duration`, not both",
                )
                .at(src, d.span.clone())
                .with_help("remove one of them"),
            );
            return None;
        }
        (Some(e), None) => match calendar::parse_local(&e.value) {
            Ok(t) => Some(EventEnd::At(t)),
            Err(err) => {
                report(&e.span, codes::EVENT_TIME, &err);
                return None;
            }
        },
        (None, Some(d)) => match calendar::parse_duration(&d.value) {
            Ok(t) => Some(EventEnd::After(t)),
            Err(err) => {
                report(&d.span, codes::EVENT_TIME, &err);
                return None;
            }
        },
        (None, None) => None,
    };
    let rule = match &fm.repeat {
        Some(r) => match calendar::parse_rrule(&r.value, &start, &tz) {
            Ok(rule) => Some(rule),
            Err(e) => {
                report(&r.span, codes::EVENT_RRULE, &e);
                return None;
            }
        },
        None => None,
    };
    let mut exdates = Vec::new();
    for x in &fm.exdates {
        match calendar::parse_local(&x.value) {
            Ok(t) => exdates.push(t),
            Err(e) => {
                report(&x.span, codes::EVENT_TIME, &e);
                return None;
            }
        }
    }
    match calendar::EventTime::new(start, end, fm.all_day, tz, rule, &exdates) {
        Ok(t) => Some(t),
        Err(e) => {
            // Place the problem on the field it is about.
            let msg = e.message().to_ascii_lowercase();
            let end_span = fm
                .end
                .as_ref()
                .or(fm.duration.as_ref())
                .map(|x| x.span.clone());
            let (span, code) = if msg.contains("exception") || msg.contains("exdate") {
                (
                    fm.exdates.first().map(|x| x.span.clone()),
                    codes::EVENT_TIME,
                )
            } else if msg.contains("before it starts") {
                (end_span, codes::EVENT_END)
            } else if msg.contains("end") {
                (end_span, codes::EVENT_TIME)
            } else if msg.contains("rule") || msg.contains("repeat") || msg.contains("until") {
                (
                    fm.repeat.as_ref().map(|x| x.span.clone()),
                    codes::EVENT_RRULE,
                )
            } else {
                (None, codes::EVENT_TIME)
            };
            report(&span.unwrap_or(start_raw.span.clone()), code, &e);
            None
        }
    }
}

/// An event's status; `None` for a value Hearth does not know (reported at load).
pub fn event_status(fm: &EventFm) -> Option<crate::calendar::EventStatus> {
    use crate::calendar::EventStatus;
    match fm
        .status
        .as_ref()
        .map(|s| s.value.trim().to_ascii_lowercase())
        .as_deref()
    {
        None | Some("scheduled") | Some("confirmed") => Some(EventStatus::Scheduled),
        Some("cancelled") | Some("canceled") => Some(EventStatus::Cancelled),
        Some("postponed") => Some(EventStatus::Postponed),
        Some(_) => None,
    }
}

/// Whether a URL written in front matter may become a link: `http(s):`,
/// `mailto:`, `tel:`, or a path (no other scheme, so no `javascript:`).
pub fn is_safe_url(url: &str) -> bool {
    let u: String = url
        .trim()
        .chars()
        .filter(|c| !c.is_control() && !c.is_whitespace())
        .collect();
    let lower = u.to_ascii_lowercase();
    match lower.split_once(':') {
        Some((scheme, _)) if !scheme.contains(['/', '?', '#']) => {
            matches!(scheme, "http" | "https" | "mailto" | "tel")
        }
        _ => true,
    }
}

/// URLs in front matter that are not links (`javascript:` and the like).
fn check_urls(site: &Site, diags: &mut Vec<Diagnostic>) {
    for page in &site.pages {
        let mut bad: Vec<&str> = Vec::new();
        match &page.data {
            KindData::Event(e, _) => {
                bad.extend(e.registration.as_deref());
                bad.extend(e.location.as_ref().and_then(|l| l.url.as_deref()));
            }
            KindData::Member(m) => {
                bad.extend(m.links.values().map(String::as_str));
                bad.extend(m.showcase.iter().filter_map(|w| w.url.as_deref()));
            }
            _ => {}
        }
        bad.retain(|u| !is_safe_url(u));
        if bad.is_empty() {
            continue;
        }
        let src = SourceText::new(&page.src.text);
        for u in bad {
            let at = page.src.text.find(u).unwrap_or(0);
            diags.push(
                Diagnostic::error(&page.src.file, codes::FM_INVALID, format!("`{u}` is not a web link"))
                    .at(&src, at..at + u.len())
                    .with_help("links must start with https://, http://, mailto: or tel:, or be a path on this site"),
            );
        }
    }
}
