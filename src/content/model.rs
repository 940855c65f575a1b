//! The site's types and the indexes that relate them.
//!
//! Pages and sections live in two vectors and point at each other by index
//! ([`Item`]), so the model is plain data that threads can share and
//! templates can serialize. The indexes (by source path, by slug, the files
//! of a bundle, each section's order) are built here, once, after every page
//! is known: a link, a reference or a listing then costs a map lookup, not a
//! scan of the site.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

use super::frontmatter::{
    ActivityFm, ChapterFm, DateValue, EventFm, MemberFm, PageFm, SectionFm, SortBy,
};
use super::paths;
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::markdown::{self, Rendered};
use crate::text::collation_key;
use crate::tiers::{Audience, Tier, Tiers};

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

    /// Where the kind comes in the order a newcomer reads a community:
    /// why it gathers, what it believes, its rules, then what it does and
    /// who it is, then answers; other sections after. Navigation and
    /// subsection lists sort by `weight` when one is written, else by this.
    pub fn reading_rank(self) -> i64 {
        match self {
            Kind::Home => 0,
            Kind::Mission => 10,
            Kind::Values => 20,
            Kind::Rules => 30,
            Kind::Events | Kind::Event => 40,
            Kind::Activities | Kind::Activity => 50,
            Kind::Members | Kind::Member => 60,
            Kind::Chapters | Kind::Chapter => 70,
            Kind::Faq => 80,
            Kind::Page | Kind::Section => 1000,
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
    pub(super) fn item(self) -> Kind {
        match self {
            Kind::Events => Kind::Event,
            Kind::Activities => Kind::Activity,
            Kind::Members => Kind::Member,
            Kind::Chapters => Kind::Chapter,
            _ => Kind::Page,
        }
    }

    pub(super) fn section_from_name(name: &str) -> Option<Kind> {
        Some(match name {
            "events" => Kind::Events,
            "activities" => Kind::Activities,
            "members" => Kind::Members,
            "chapters" => Kind::Chapters,
            "page" | "section" => Kind::Section,
            _ => return None,
        })
    }

    pub(super) fn page_from_name(name: &str) -> Option<Kind> {
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

/// The kinds a section may declare, for "did you mean" and the list in help.
pub(super) const SECTION_KINDS: &[&str] = &[
    "events",
    "activities",
    "members",
    "chapters",
    "page",
    "section",
];
/// The kinds a page may declare, for "did you mean" and the list in help.
pub(super) const PAGE_KINDS: &[&str] = &[
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
    /// The whole file text (for a page made from a data record: its record,
    /// then its body).
    pub text: String,
    /// Where the Markdown body starts in `text`.
    pub body_offset: usize,
    /// The file's line number of `text`'s first line (1 but for records).
    pub first_line: usize,
    /// A data record's body field, where problems in its Markdown are
    /// shown (the body is unescaped, so offsets inside it do not map back).
    pub body_at: Option<crate::spanned::Span>,
}

impl Source {
    /// The Markdown body.
    pub fn body(&self) -> &str {
        &self.text[self.body_offset..]
    }

    /// The text diagnostics point into, with the file's line numbers.
    pub fn source_text(&self) -> crate::diagnostics::SourceText<'_> {
        crate::diagnostics::SourceText::starting_at(&self.text, self.first_line)
    }

    /// Where a span of the body (relative to the body) is in `text`.
    pub fn body_span(&self, span: crate::spanned::Span) -> crate::spanned::Span {
        match &self.body_at {
            Some(at) => at.clone(),
            None => span.start + self.body_offset..span.end + self.body_offset,
        }
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

impl Page {
    /// What a section's page order reads of a page (date, weight, title):
    /// a patch that leaves these alone keeps every section's order, and a
    /// preview its listings' indexes.
    pub fn order_fields(&self) -> (Option<jiff::civil::DateTime>, Option<i64>, &str) {
        (
            self.date.map(|d| d.datetime()),
            self.fm.weight,
            self.title.as_str(),
        )
    }
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
    pub by_source: rustc_hash::FxHashMap<String, Item>,
    /// Slug → pages with that slug and their kinds, in page order:
    /// [`Site::find`] resolves the member and chapter ids of every event
    /// and profile through it, which a scan of all pages made quadratic in
    /// the size of the site. The kind is kept beside the index so a lookup
    /// does not read a page (at 100,000 pages, a cache miss each).
    pub by_slug: rustc_hash::FxHashMap<String, Vec<(Kind, usize)>>,
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
    /// Content-relative paths of the pages a `[[data]]` record made or
    /// took part in (a Markdown file that extends a record): `serve`
    /// loads the site again when one of them is edited, since the page is
    /// more than its file.
    pub from_data: BTreeSet<String>,
    /// The words of the site's language (`[strings]` applied), made once.
    pub strings: crate::i18n::Strings,
    /// The language this load is of (the only one for most sites).
    pub lang: super::languages::Lang,
    /// In another language than the default, the default's pages, which
    /// links to pages not translated go to.
    pub fallback: Option<std::sync::Arc<super::languages::Fallback>>,
    /// Which page translates which, across the build's languages (empty
    /// until every language is loaded: [`super::languages::relate`]).
    pub translations: std::sync::Arc<super::languages::Translations>,
    /// Repository mode: the repository beside its pages and files (every
    /// folder, what was not read, its web address); `None` for a site
    /// with `content/`.
    pub repo: Option<super::repo::Repository>,
    /// What the cross-file checks found, by check, in the last run over
    /// the whole site: a `serve` patch checks again only what its pages
    /// can change and keeps the rest from here.
    pub(super) checked: super::checks::Checked,
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
        paths::join_encoded(self.config.base_path(), path)
    }

    /// A site-wide output of this language (`/atom.xml` → `/en/atom.xml`):
    /// feeds, calendars, tag pages and search exist once per language.
    pub fn lang_path(&self, path: &str) -> String {
        format!("{}{path}", self.lang.prefix)
    }

    /// Absolute URL for a site path.
    pub fn permalink(&self, path: &str) -> String {
        paths::join_encoded(&self.config.base_url.value, path)
    }

    /// Every page's and section's source with its rendered Markdown: what
    /// the checks of links and the Markdown diagnostics walk.
    pub fn rendered(&self) -> impl Iterator<Item = (&Source, &Rendered)> {
        self.pages
            .iter()
            .map(|p| (&p.src, &p.md))
            .chain(self.sections.iter().map(|s| (&s.src, &s.md)))
    }

    /// The heading ids of the page or section at content path `rel`; in
    /// another language than the default, a page not translated is the
    /// default language's (links to it go there).
    pub fn anchors_of(&self, rel: &str) -> Option<&[String]> {
        match self.by_source.get(rel) {
            Some(Item::Page(i)) => Some(&self.pages[*i].md.anchors),
            Some(Item::Section(i)) => Some(&self.sections[*i].md.anchors),
            None => self
                .fallback
                .as_ref()?
                .items
                .get(rel)
                .map(|(_, _, a)| a.as_slice()),
        }
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
            .find(|(k, _)| *k == kind)
            .map(|&(_, i)| i)
    }

    /// Resolves a front-matter page reference (`@/events/x.md`, or relative to `from`).
    pub fn resolve_ref(&self, from: &Source, target: &str) -> Option<Item> {
        self.by_source.get(&Self::ref_path(from, target)?).copied()
    }

    /// The content path a front-matter reference names (`None` when it
    /// climbs out of `content/`).
    pub fn ref_path(from: &Source, target: &str) -> Option<String> {
        if let Some(rest) = target.strip_prefix("@/") {
            markdown::normalize(rest)
        } else {
            let dir = from.rel.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
            markdown::normalize(&format!("{dir}/{target}"))
        }
    }
}

impl Site {
    /// The page or section a link to the missing content path `target`
    /// (`mission.md`, `FAQ.md`, `events/nite.md`) most likely meant, for
    /// "did you mean": the same path in other letter case; a page that
    /// answers to the URL the target would have had (its `slug` or an
    /// alias, as a renamed page keeps its old address); the page of the
    /// kind the target's name implies (`mission.md` → the `kind =
    /// "mission"` page); a file of the same name in another folder; else the
    /// nearest path in spelling. Only asked when a link is broken.
    pub fn nearest_source(&self, target: &str) -> Option<String> {
        let sources: Vec<&str> = self
            .by_source
            .keys()
            .map(String::as_str)
            .filter(|k| k.ends_with(".md"))
            .collect();
        let lower = target.to_lowercase();
        if let Some(s) = sources.iter().find(|s| s.to_lowercase() == lower) {
            return Some(s.to_string());
        }
        let (dir, name) = target.rsplit_once('/').unwrap_or(("", target));
        let stem = name.strip_suffix(".md").unwrap_or(name);
        let stem = paths::date_prefix(stem).map_or(stem, |(_, rest)| rest);
        let stem = if stem == "_index" { "" } else { stem };
        let unique = |found: Vec<&Page>| match found.as_slice() {
            [only] => Some(only.src.rel.clone()),
            _ => None,
        };
        // The address the target would have had, if its section exists.
        let old_url = self
            .sections
            .iter()
            .find(|sec| sec.dir == dir)
            .and_then(|sec| Some(format!("{}{}/", sec.path, crate::text::slugify(stem)?)));
        if let Some(url) = &old_url {
            let found = unique(
                self.pages
                    .iter()
                    .filter(|p| &p.path == url || p.aliases.contains(url))
                    .collect(),
            );
            if found.is_some() {
                return found;
            }
        }
        if let Some(kind) = Kind::page_from_name(&stem.to_lowercase())
            .filter(|k| matches!(k, Kind::Mission | Kind::Values | Kind::Rules | Kind::Faq))
        {
            let found = unique(self.pages.iter().filter(|p| p.kind == kind).collect());
            if found.is_some() {
                return found;
            }
        }
        let same_name: Vec<&str> = sources
            .iter()
            .copied()
            .filter(|s| {
                s.rsplit('/')
                    .next()
                    .is_some_and(|n| n.to_lowercase() == name.to_lowercase())
            })
            .collect();
        if let [only] = same_name.as_slice() {
            return Some(only.to_string());
        }
        crate::diagnostics::did_you_mean(target, sources.iter().copied()).map(str::to_string)
    }

    /// The content file (`activities/walk/photo-1.jpg`) a link to the
    /// missing `target` most likely meant: the same path in other letter
    /// case, else the nearest in spelling.
    pub fn nearest_file(&self, target: &str) -> Option<String> {
        let lower = target.to_lowercase();
        if let Some(f) = self.files.keys().find(|f| f.to_lowercase() == lower) {
            return Some(f.clone());
        }
        crate::diagnostics::did_you_mean(target, self.files.keys().map(String::as_str))
            .map(str::to_string)
    }
}

/// Indexes pages by source path (links and references resolve through it;
/// a bundle's folder means its page too) and by slug (member and chapter
/// ids), and lists each section's pages.
pub(super) fn index_sources(site: &mut Site) {
    for (i, p) in site.pages.iter().enumerate() {
        site.by_slug
            .entry(p.slug.clone())
            .or_default()
            .push((p.kind, i));
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
        if site.repo.is_some() {
            // A link to a folder means its index page, as on GitHub.
            site.by_source.insert(s.dir.clone(), Item::Section(i));
        }
    }
    for (i, p) in site.pages.iter().enumerate() {
        site.sections[p.section].pages.push(i);
    }
}

/// Gives every content file its URL: bundle assets beside their page, other
/// files beside their section's listing, with the tier of what they belong to.
pub(super) fn index_files(
    site: &mut Site,
    assets: &BTreeSet<String>,
    section_by_dir: &HashMap<String, usize>,
) {
    let content = site.config.content_root(&site.root);
    // A file is published once, where the default language's pages have
    // it: a translation's images are its source's.
    let prefix = site.lang.prefix.clone();
    let shared = |path: String| -> String {
        match path.strip_prefix(prefix.as_str()) {
            Some(rest) if !prefix.is_empty() && !site.lang.default => rest.to_string(),
            _ => path,
        }
    };
    if site.repo.is_some() {
        // A repository's files keep their paths (`/sig-apps/OWNERS`), so a
        // link that works on GitHub names the same file on the site.
        for rel in assets {
            // The tier of the nearest folder that is a section.
            let mut dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
            let tier = loop {
                if let Some(&s) = section_by_dir.get(dir) {
                    break site.sections[s].tier;
                }
                match dir.rsplit_once('/') {
                    Some((up, _)) => dir = up,
                    None if !dir.is_empty() => dir = "",
                    None => break site.sections[0].tier,
                }
            };
            site.files.insert(
                rel.clone(),
                ContentFile {
                    src: content.join(rel),
                    path: format!("/{rel}"),
                    tier,
                    page: None,
                },
            );
        }
        return;
    }
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
                    path: shared(format!("{}{a}", p.path)),
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
                path: shared(format!("{}{name}", sec.path)),
                tier: sec.tier,
                page: None,
            },
        );
    }
}

/// Orders each section's pages by its `sort_by` (ties by title, then
/// path, so the order never depends on the file system) and its
/// subsections by weight, then title.
pub(super) fn sort_sections(site: &mut Site) {
    for s in 0..site.sections.len() {
        sort_section_pages(site, s);
    }
    sort_subsections(site);
}

/// Puts section `s`'s pages in its order (`sort_by`, then title, then
/// file): a patch that changes a page's [`Page::order_fields`] sorts its
/// section again with this, and no other.
pub(super) fn sort_section_pages(site: &mut Site, s: usize) {
    let pages = &site.pages;
    {
        let s = &mut site.sections[s];
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
                SortBy::Title => collation_key(&pa.title).cmp(&collation_key(&pb.title)),
            };
            order
                .then_with(|| pa.title.cmp(&pb.title))
                .then_with(|| pa.src.rel.cmp(&pb.src.rel))
        });
    }
}

/// Subsections in reading order (only sections' own fields decide it).
fn sort_subsections(site: &mut Site) {
    // Subsections in reading order: `weight` when written, else the
    // kind's place (Kind::reading_rank), then the title as readers sort it.
    let snapshot: Vec<(i64, String, String)> = site
        .sections
        .iter()
        .map(|s| {
            (
                s.fm.weight.unwrap_or(s.kind.reading_rank()),
                collation_key(&s.title),
                s.title.clone(),
            )
        })
        .collect();
    for s in &mut site.sections {
        s.subsections
            .sort_by(|&a, &b| snapshot[a].cmp(&snapshot[b]));
    }
}
