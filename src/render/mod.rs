//! The Tera environment and the context of every page.
//!
//! The built-in theme is embedded in the binary so `hearth` works from any
//! folder; a site's `themes/NAME/` and `templates/` override it template by
//! template. Each page's context is prepared once, from values computed once
//! (cards for listings, navigation per reader tier), and shared by reference
//! (Tera values are reference-counted).
//!
//! This module decides nothing about visibility: it asks [`crate::tiers`].

pub mod context;
mod kinds;
mod partial;
mod sidebar;

pub use kinds::EventWhen;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use include_dir::{Dir, include_dir};
use serde::Serialize;
use tera::{Context, Tera, Value};

use crate::content::{Item, Kind, KindData, Page, Section, Site, paths};
use crate::diagnostics::{Diagnostic, SourceText, codes, did_you_mean};
use crate::i18n::Strings;
use crate::tiers::{Audience, Listing, Tier};

/// The built-in theme: templates and static files.
pub static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Where a static file of the theme comes from.
#[derive(Debug, Clone)]
pub enum Asset {
    /// Embedded in the binary.
    Embedded(&'static [u8]),
    /// A file on disk.
    Disk(PathBuf),
}

/// The loaded templates and theme static files.
pub struct Renderer {
    tera: std::sync::Arc<Tera>,
    /// What `partial()` rendered (see [`partial`]).
    partials: std::sync::Arc<partial::Partials>,
    /// Template name → file it came from, for diagnostics.
    origins: HashMap<String, (String, String)>,
    /// Theme static files by output path (`style.css`).
    pub theme_static: BTreeMap<String, Asset>,
}

impl Renderer {
    /// Loads the built-in theme, the configured theme and the site's overrides.
    pub fn new(site: &Site) -> Result<Renderer, Vec<Diagnostic>> {
        let mut templates: BTreeMap<String, (String, String, String)> = BTreeMap::new();
        let mut theme_static = BTreeMap::new();
        collect_embedded(&DEFAULT_THEME, &mut templates, &mut theme_static);
        let mut diags = Vec::new();
        if let Some(theme) = &site.config.theme
            && theme.value != "default"
        {
            // In repository mode Hearth's own folders are under `.hearth/`.
            let own = site.config.own_root(&site.root);
            let dir = own.join("themes").join(&theme.value);
            if !paths::is_safe_segment(&theme.value) || !dir.is_dir() {
                let available: Vec<String> = std::fs::read_dir(own.join("themes"))
                    .map(|rd| {
                        rd.filter_map(|e| e.ok())
                            .map(|e| e.file_name().to_string_lossy().into_owned())
                            .collect()
                    })
                    .unwrap_or_default();
                let help = match did_you_mean(&theme.value, available.iter().map(String::as_str)) {
                    Some(s) => format!("did you mean \"{s}\"?"),
                    None => "put the theme in themes/NAME/ (with templates/ and static/), or remove `theme` to use the built-in one".into(),
                };
                let d = Diagnostic::error(
                    crate::config::FILE,
                    codes::CONFIG_INVALID,
                    format!("theme `{}` not found in themes/", theme.value),
                )
                .with_help(help);
                diags.push(site.config.place(d, &theme.span));
                return Err(diags);
            }
            collect_disk(
                &site.root,
                &dir.join("templates"),
                &mut templates,
                &mut diags,
            );
            collect_static(&dir.join("static"), &mut theme_static);
        }
        collect_disk(
            &site.root,
            &site.config.own_root(&site.root).join("templates"),
            &mut templates,
            &mut diags,
        );
        let mut tera = Tera::new();
        let mut origins = HashMap::new();
        for (name, (_, file, source)) in &templates {
            origins.insert(name.clone(), (file.clone(), source.clone()));
        }
        register_filters(&mut tera);
        register_load_data(&mut tera, &site.root);
        let partials = std::sync::Arc::new(partial::Partials::default());
        partials.register(&mut tera);
        if let Err(e) = tera.add_raw_templates(
            templates
                .iter()
                .map(|(n, (s, _, _))| (n.as_str(), s.as_str())),
        ) {
            diags.push(template_diagnostic(&e, &origins, codes::TEMPLATE_SYNTAX));
        }
        if !diags.is_empty() {
            return Err(diags);
        }
        let tera = std::sync::Arc::new(tera);
        partials.attach(&tera);
        Ok(Renderer {
            tera,
            partials,
            origins,
            theme_static,
        })
    }

    /// Whether a template exists.
    pub fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// Renders `template` with `ctx` into the bytes of the file: Tera
    /// writes only strings, so the output is UTF-8 without checking it again
    /// (which was 3% of a build's instructions).
    pub fn render(&self, template: &str, ctx: &Context) -> Result<Vec<u8>, Diagnostic> {
        let mut out = Vec::with_capacity(16 * 1024);
        partial::clear_failure();
        self.tera.render_to(template, ctx, &mut out).map_err(|e| {
            // A partial that failed is reported at its own line, not at the
            // `partial()` call that Tera names.
            match partial::take_failure() {
                Some(inner) => {
                    let mut d = template_diagnostic(&inner, &self.origins, codes::TEMPLATE_RENDER);
                    if d.message.contains("not found") || d.message.contains("not defined") {
                        d = d.with_help(
                            "a template rendered by `partial()` sees only the arguments of the call and `hearth`: pass what it reads, as in `partial(name=\"partials/card.html\", card=card, page=page)`",
                        );
                    }
                    d
                }
                None => template_diagnostic(&e, &self.origins, codes::TEMPLATE_RENDER),
            }
        })?;
        Ok(out)
    }

    /// Forgets what `partial()` rendered: `serve` keeps a renderer while
    /// the site changes under it, and the texts of earlier versions would
    /// only pile up (they are never wrong: see [`partial`]).
    pub fn forget_partials(&self) {
        self.partials.clear();
    }

    /// With `HEARTH_TIMINGS`, how many `partial()` calls there were and how
    /// many rendered (the rest reused a text).
    pub fn report_partials(&self) {
        if crate::timings::enabled() {
            let (calls, renders, bytes) = self.partials.counts();
            eprintln!(
                "hearth:   partial() {calls} calls, {renders} rendered, {:.1} MiB of text kept",
                bytes as f64 / (1 << 20) as f64
            );
            for (name, kept, reused) in self.partials.uses() {
                eprintln!("hearth:     {name:<28} {kept:>7} kept, {reused:>7} reuses");
            }
        }
    }
}

fn collect_embedded(
    dir: &'static Dir<'static>,
    templates: &mut BTreeMap<String, (String, String, String)>,
    statics: &mut BTreeMap<String, Asset>,
) {
    for f in dir.files() {
        let p = f.path().to_string_lossy().replace('\\', "/");
        if let Some(name) = p.strip_prefix("templates/") {
            if let Some(text) = f.contents_utf8() {
                templates.insert(
                    name.to_string(),
                    (
                        text.to_string(),
                        format!("(built-in theme) templates/{name}"),
                        text.to_string(),
                    ),
                );
            }
        } else if let Some(name) = p.strip_prefix("static/") {
            statics.insert(name.to_string(), Asset::Embedded(f.contents()));
        }
    }
    for d in dir.dirs() {
        collect_embedded(d, templates, statics);
    }
}

fn collect_disk(
    root: &Path,
    dir: &Path,
    templates: &mut BTreeMap<String, (String, String, String)>,
    diags: &mut Vec<Diagnostic>,
) {
    if !dir.is_dir() {
        return;
    }
    for entry in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let name = rel.to_string_lossy().replace('\\', "/");
        let shown = entry
            .path()
            .strip_prefix(root)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        match std::fs::read_to_string(entry.path()) {
            Ok(text) => {
                templates.insert(name, (text.clone(), shown, text));
            }
            Err(e) => diags.push(Diagnostic::error(
                shown,
                codes::IO,
                format!("cannot read template: {e}"),
            )),
        }
    }
}

fn collect_static(dir: &Path, statics: &mut BTreeMap<String, Asset>) {
    if !dir.is_dir() {
        return;
    }
    for entry in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if entry.file_type().is_file()
            && let Ok(rel) = entry.path().strip_prefix(dir)
        {
            statics.insert(
                rel.to_string_lossy().replace('\\', "/"),
                Asset::Disk(entry.path().to_path_buf()),
            );
        }
    }
}

fn template_diagnostic(
    e: &tera::Error,
    origins: &HashMap<String, (String, String)>,
    code: &'static str,
) -> Diagnostic {
    let report = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => Some(r),
        _ => None,
    };
    match report {
        Some(r) => {
            let (file, source) = origins
                .get(r.filename())
                .cloned()
                .unwrap_or_else(|| (r.filename().to_string(), String::new()));
            let span = r.span();
            let mut d = match unknown_string_key(r.message(), &source, &span.range) {
                Some((key, help)) => Diagnostic::error(
                    file.clone(),
                    code,
                    format!("template: `hearth.i18n.{key}` is not a UI string"),
                )
                .with_help(help),
                None => Diagnostic::error(file.clone(), code, format!("template: {}", r.message()))
                    .with_help("fix the template at this line; docs/templates.md lists the variables each template gets"),
            };
            if !source.is_empty() {
                let src = SourceText::new(&source);
                let start = span.range.start.min(source.len());
                let end = span.range.end.min(source.len()).max(start);
                d = d.at(&src, start..end);
            } else {
                d = d.at_line(span.start_line, span.start_col + 1);
            }
            d
        }
        None => Diagnostic::error("templates", code, format!("template: {e}"))
            .with_help("check template names and `extends`/`include` targets"),
    }
}

/// For Tera's "Field `KEY` is not defined" on a `hearth.i18n` lookup: the
/// key and a help that names the nearest key, instead of the whole table.
fn unknown_string_key(
    message: &str,
    source: &str,
    range: &std::ops::Range<usize>,
) -> Option<(String, String)> {
    let key = message
        .strip_prefix("Field `")?
        .split('`')
        .next()?
        .to_string();
    let before = source.get(..range.start.min(source.len()))?;
    if !before.ends_with("i18n.") {
        return None;
    }
    let help = match crate::diagnostics::did_you_mean(&key, crate::i18n::Strings::known_keys()) {
        Some(k) => {
            format!("did you mean `{k}`? The keys are listed in docs/configuration.md#strings")
        }
        None => {
            "use a key from docs/configuration.md#strings, or add it to [strings] in hearth.toml"
                .into()
        }
    };
    Some((key, help))
}

/// `load_data(path="data/x.csv")`: a data file as rows or values, for a
/// table on a page (as Zola's `load_data`). Read once per build, whatever
/// many pages ask; the path is from the site folder and may not leave it.
fn register_load_data(tera: &mut Tera, root: &Path) {
    let root = root.to_path_buf();
    let cache: std::sync::Arc<std::sync::Mutex<HashMap<String, Value>>> = Default::default();
    tera.register_function("load_data", move |kwargs: tera::Kwargs, _: &tera::State| {
        let path: String = kwargs.must_get("path")?;
        if let Some(v) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&path) {
            return Ok(v.clone());
        }
        let v = crate::content::data::read_value(&root, &path).map_err(tera::Error::message)?;
        let v = Value::from_serializable(&v);
        cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path, v.clone());
        Ok(v)
    });
}

fn register_filters(tera: &mut Tera) {
    // `urlencode` for share links and query strings built in templates.
    tera.register_filter("urlencode", |s: &str, _: tera::Kwargs, _: &tera::State| {
        percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
    });
    // `title_html` for bilingual titles ("读书会 · Book Club"), which the
    // theme shows on every page, card and menu item: one native call
    // instead of a split, a join and an include per title (a fifth of the
    // template time of a large site).
    tera.register_filter(
        "title_html",
        |s: &str, _: tera::Kwargs, state: &tera::State| title_html(s, state.autoescaping_enabled()),
    );
}

/// `中文 · English` as `<span class="t-main">中文</span> <span
/// class="t-sub">English</span>` (everything after the first ` · ` is the
/// subtitle), any other title as it is; escaped unless autoescaping is off.
fn title_html(title: &str, escape: bool) -> tera::Value {
    let mut out = Vec::with_capacity(title.len() + 64);
    let put = |text: &str, out: &mut Vec<u8>| {
        if escape {
            let _ = tera::escape_html(text, out);
        } else {
            out.extend_from_slice(text.as_bytes());
        }
    };
    match title.split_once(" · ") {
        Some((main, sub)) => {
            out.extend_from_slice(b"<span class=\"t-main\">");
            put(main, &mut out);
            out.extend_from_slice(b"</span> <span class=\"t-sub\">");
            put(sub, &mut out);
            out.extend_from_slice(b"</span>");
        }
        None => put(title, &mut out),
    }
    tera::Value::safe_string(&String::from_utf8_lossy(&out))
}

/// One page of output to render.
#[derive(Debug, Clone)]
pub enum Job {
    /// A page.
    Page(usize),
    /// A section's listing page (1-based pagination index).
    Section(usize, usize),
    /// The list of tags (1-based pagination index).
    Tags(usize),
    /// One tag's listing page (tag index, 1-based pagination index).
    Tag(usize, usize),
    /// A redirect from an old path.
    Alias(usize, String),
    /// A month calendar of an events section (section, year, month).
    Month(usize, i16, i8),
    /// The 404 page.
    NotFound,
}

/// Everything one job needs to render, and where its file goes.
pub struct JobContext {
    /// Site path of the file (`/events/x/index.html`).
    pub out: String,
    /// Who may fetch the file.
    pub tier: Tier,
    /// The template to render.
    pub template: String,
    /// Its context.
    pub ctx: Context,
    /// The source file, for diagnostics.
    pub source: String,
}

/// A tag with the pages its audience may list.
#[derive(Debug, Clone, Serialize)]
pub struct Tag {
    /// As first written.
    pub name: String,
    /// URL segment.
    pub slug: String,
    /// Pages with the tag, newest first.
    #[serde(skip)]
    pub pages: Vec<usize>,
}

/// A listing entry, as templates see it.
#[derive(Debug, Clone, Serialize)]
struct Card<'a> {
    title: &'a str,
    /// `None` when the page is not written for this build's audience.
    url: Option<String>,
    permalink: String,
    kind: Kind,
    locked: bool,
    tier: &'a crate::tiers::TierInfo,
    date: Option<String>,
    date_display: Option<String>,
    description: Option<&'a str>,
    summary: Option<&'a str>,
    tags: Vec<TagLink>,
    /// A recap's first photo or a member's avatar (never on locked cards).
    image: Option<Value>,
    /// A chapter's city and when it meets (chapter cards only).
    city: Option<&'a str>,
    meets: Option<&'a str>,
}

/// A tag as a page shows it: linked when it has a tag page.
#[derive(Debug, Clone, Serialize)]
pub struct TagLink {
    /// As first written.
    pub name: String,
    /// Its tag page, if the build has one.
    pub url: Option<String>,
}

/// A navigation item or subsection link.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// Title.
    pub title: String,
    /// URL.
    pub url: String,
    /// Shown with a lock: the reader may not open it.
    pub locked: bool,
}

/// An entry of `nav`: a [`Link`] with what every page's header and footer
/// would otherwise work out in the template for each item (a prefix test
/// and a split per item and page, a tenth of the theme's time per page).
#[derive(Debug, Clone, Serialize)]
pub struct NavItem {
    /// Title.
    pub title: String,
    /// The title before its first ` · ` (the main half of a bilingual
    /// title), for short lists such as the footer's.
    pub short: String,
    /// URL.
    pub url: String,
    /// Shown with a lock: the reader may not open it.
    pub locked: bool,
    /// The output rendered is this item's page or lies under it.
    pub current: bool,
}

/// Listing pages either side of the current one in `paginator.pages`.
const PAGER_WINDOW: usize = 2;

/// A view of the site with what every context needs: cheap to make, so
/// that `serve` can keep one per change and render only the pages asked for.
pub struct Prepared<'s> {
    site: &'s Site,
    data: &'s PreparedData,
}

impl std::ops::Deref for Prepared<'_> {
    type Target = PreparedData;
    fn deref(&self) -> &PreparedData {
        self.data
    }
}

/// What [`Prepared`] computes once per build and audience. It owns
/// everything (no borrow of the site), so a long-lived preview can keep it
/// beside the site; the costly parts (cards, navigation, event times) are
/// made on first use.
pub struct PreparedData {
    audience: Audience,
    strings: Strings,
    /// Full and locked cards per page.
    full_cards: Vec<OnceLock<Value>>,
    locked_cards: Vec<OnceLock<Value>>,
    /// Navigation per reader tier.
    /// The navigation each tier may see, by tier index.
    nav: OnceLock<Vec<Vec<Link>>>,
    /// `nav` as given to templates, by tier index and the set of items
    /// the output lies under (a bit each): a handful of values per site.
    nav_values: Memo<(usize, u64), Value>,
    /// Each section's level of the sidebar tree, by reader tier index.
    sidebar_levels: BySection<std::sync::Arc<sidebar::Level>>,
    /// Each events section's months with events, by section and reader tier index.
    month_lists: BySection<Vec<(i16, i8)>>,
    /// Each events section's upcoming and past events, by section and reader tier index.
    event_orders: BySection<kinds::EventOrder>,
    /// The members each member directory lists, by section and reader tier
    /// index: the count every one of its listing pages shows.
    directory_sizes: BySection<usize>,
    /// Tier details for templates, join links resolved under the base path.
    tier_values: Vec<Value>,
    /// Tags that have a public page, by name.
    pub tags: Vec<Tag>,
    tag_urls: rustc_hash::FxHashMap<String, String>,
    /// The `hearth` value, one copy per worker thread (see [`Prepared::global`]).
    global: Vec<OnceLock<Value>>,
    /// "Now" of this build.
    now: jiff::Timestamp,
    /// Every event's next and last occurrence relative to `now`.
    events: OnceLock<Vec<kinds::EventWhen>>,
    /// Event page → the recap that tells of it.
    recaps: rustc_hash::FxHashMap<usize, usize>,
    /// Who hosts what, and what belongs to which chapter.
    naming: kinds::Naming,
    /// Each page's place in its section's page list.
    position: Vec<Option<usize>>,
    /// `section` of a page's context, per section.
    section_summaries: OnceLock<Vec<Value>>,
    /// The pages each section lists for its reader, computed once rather
    /// than once per listing page (quadratic in a section of 40,000 news).
    section_listed: Vec<OnceLock<Vec<usize>>>,
    /// `page.event` values by (page, reader), built on first use.
    event_cache: Memo<(usize, Tier), Option<Value>>,
}

impl PreparedData {
    /// Where every event stands at "now", in page order, made once: the
    /// events listing's upcoming and past, and the calendar feeds' choice
    /// of what to keep, are the same decision.
    pub fn event_times(&self, site: &Site) -> &[EventWhen] {
        self.events
            .get_or_init(|| Prepared::event_times(site, self.now))
    }

    /// Prepares tags and indexes for `audience`; cards and the rest follow
    /// on first use.
    pub fn new(site: &Site, audience: Audience, now: jiff::Timestamp) -> PreparedData {
        let strings = site.strings.clone();
        // Independent indexes over every page, made side by side: `serve`
        // makes them again after each save, where at 100,000 pages they are
        // most of the time from the save to the page.
        let dates = page_dates(site);
        let ((tags, tag_urls), (recaps, naming)) = rayon::join(
            || {
                let tags = collect_tags(site, audience, &dates);
                let tag_urls = tag_urls(site, &tags);
                (tags, tag_urls)
            },
            || {
                rayon::join(
                    || Prepared::recap_map(site),
                    || kinds::Naming::new(site, &dates),
                )
            },
        );
        PreparedData {
            audience,
            strings,
            full_cards: (0..site.pages.len()).map(|_| OnceLock::new()).collect(),
            locked_cards: (0..site.pages.len()).map(|_| OnceLock::new()).collect(),
            nav: OnceLock::new(),
            nav_values: Memo::default(),
            sidebar_levels: Memo::default(),
            month_lists: Memo::default(),
            event_orders: Memo::default(),
            directory_sizes: Memo::default(),
            tier_values: site
                .tiers
                .all()
                .map(|(_, info)| {
                    let mut info = info.clone();
                    info.join_url = info.join_url.map(|u| asset_url(site, &u));
                    Value::from_serializable(&info)
                })
                .collect(),
            tags,
            tag_urls,
            global: per_thread(),
            now,
            events: OnceLock::new(),
            recaps,
            naming,
            position: {
                let mut pos = vec![None; site.pages.len()];
                for sec in &site.sections {
                    for (k, &p) in sec.pages.iter().enumerate() {
                        pos[p] = Some(k);
                    }
                }
                pos
            },
            section_summaries: OnceLock::new(),
            section_listed: site.sections.iter().map(|_| OnceLock::new()).collect(),
            event_cache: Memo::default(),
        }
    }
}

/// What [`PreparedData::refresh`] changed that decides which files exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refreshed {
    /// The tags or their page counts may differ: [`Prepared::tag_jobs`]
    /// must be listed again.
    pub tags: bool,
    /// An event or the day changed: [`Prepared::month_jobs`] must be
    /// listed again.
    pub months: bool,
}

impl PreparedData {
    /// Brings data prepared for `site` up to date after `serve` patched
    /// it: `replaced` are the pages a patch gave new versions (index, page
    /// as it was), and `now` the new "now". A patch keeps every page's
    /// path, kind, tier, section and aliases, so each index is made again
    /// only when the fields it reads changed on a replaced page, and the
    /// result is what [`PreparedData::new`] gives for the patched site:
    ///
    /// - tags: their pages' tags (all made again), or date and title (the
    ///   order of those tags' pages);
    /// - who hosts what, and chapters ([`kinds::Naming`]): date, hosts and
    ///   chapter of recaps, events and members;
    /// - recaps of events: a recap's `event`;
    /// - a page's place in its section: date, weight and title
    ///   ([`Page::order_fields`], the section's sort);
    /// - cards: the replaced pages' (every card when the tags changed);
    /// - event times, per-page event values, navigation and the global
    ///   context are made again on first use, like after `new`.
    ///
    /// At 100,000 pages this turns the work after a save from the size of
    /// the site into the size of the edit.
    pub fn refresh(
        &mut self,
        site: &Site,
        replaced: &[(usize, Page)],
        now: jiff::Timestamp,
    ) -> Refreshed {
        let reader = match self.audience {
            Audience::Edge => Tier::PUBLIC,
            Audience::Only(t) => t,
        };
        let pairs = || replaced.iter().map(|(i, old)| (*i, old, &site.pages[*i]));
        let tags_changed = pairs()
            .any(|(_, old, new)| site.tiers.may_see(reader, new.tier) && old.tags != new.tags);
        if tags_changed {
            self.tags = collect_tags(site, self.audience, &page_dates(site));
            self.tag_urls = tag_urls(site, &self.tags);
            self.full_cards = (0..site.pages.len()).map(|_| OnceLock::new()).collect();
            self.locked_cards = (0..site.pages.len()).map(|_| OnceLock::new()).collect();
        } else {
            let key = |p: &Page| (p.date.map(|d| d.datetime()), p.title.clone());
            for (_, old, new) in pairs() {
                if key(old) == key(new) || !site.tiers.may_see(reader, new.tier) {
                    continue;
                }
                for t in &new.tags {
                    let Some(slug) = crate::text::slugify(t) else {
                        continue;
                    };
                    if let Ok(k) = self.tags.binary_search_by(|x| x.slug.as_str().cmp(&slug)) {
                        sort_tag_pages(site, &mut self.tags[k].pages);
                    }
                }
            }
            for (i, _, _) in pairs() {
                self.full_cards[i] = OnceLock::new();
                self.locked_cards[i] = OnceLock::new();
            }
        }
        if pairs().any(|(_, old, new)| kinds::Naming::fields(old) != kinds::Naming::fields(new)) {
            self.naming = kinds::Naming::new(site, &page_dates(site));
        }
        let recap_of = |p: &Page| match &p.data {
            KindData::Activity(a) => a.event.as_ref().map(|e| e.value.clone()),
            _ => None,
        };
        if pairs().any(|(_, old, new)| recap_of(old) != recap_of(new)) {
            self.recaps = Prepared::recap_map(site);
        }
        for (_, old, new) in pairs() {
            if old.order_fields() != new.order_fields() {
                let s = new.section;
                for (k, &p) in site.sections[s].pages.iter().enumerate() {
                    self.position[p] = Some(k);
                }
                self.section_listed[s] = OnceLock::new();
            }
        }
        let day = |t: jiff::Timestamp| t.to_zoned_datetime(site.tz.clone()).date();
        let events_changed = pairs().any(|(_, _, new)| new.kind == Kind::Event);
        let months = events_changed || day(self.now) != day(now);
        if events_changed || self.now != now {
            self.events = OnceLock::new();
        }
        self.now = now;
        self.event_cache = Memo::default();
        self.nav = OnceLock::new();
        // Titles, tiers and order feed the menu and the sidebar trees.
        self.nav_values = Memo::default();
        self.sidebar_levels = Memo::default();
        // Event times, "now" and listing order feed these.
        self.month_lists = Memo::default();
        self.event_orders = Memo::default();
        self.directory_sizes = Memo::default();
        self.global = per_thread();
        self.section_summaries = OnceLock::new();
        Refreshed {
            tags: tags_changed,
            months,
        }
    }
}

/// Values made on first use and shared by every output that asks for
/// them: an event's value, a menu, a section's sidebar level or event
/// order. Looked up under the lock and made outside it, so threads never
/// wait on each other's work (two may make the same value once, alike).
pub(super) struct Memo<K, V>(std::sync::Mutex<rustc_hash::FxHashMap<K, V>>);

impl<K: Eq + std::hash::Hash, V: Clone> Memo<K, V> {
    /// The value for `key`, made by `make` the first time.
    pub(super) fn get_or_make(&self, key: K, make: impl FnOnce() -> V) -> V {
        if let Some(v) = self.0.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return v;
        }
        let v = make();
        if let Ok(mut m) = self.0.lock() {
            m.insert(key, v.clone());
        }
        v
    }
}

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Memo(std::sync::Mutex::new(rustc_hash::FxHashMap::default()))
    }
}

/// Values made once per section and reader, by section index and reader
/// tier index, shared by the section's pages.
type BySection<T> = Memo<(usize, usize), T>;

/// One empty slot per thread of the pool, and one for any other thread.
fn per_thread<T>() -> Vec<OnceLock<T>> {
    (0..=rayon::current_num_threads())
        .map(|_| OnceLock::new())
        .collect()
}

/// Each tag's page URL, by its lowercased name.
fn tag_urls(site: &Site, tags: &[Tag]) -> rustc_hash::FxHashMap<String, String> {
    tags.iter()
        .map(|t| {
            (
                t.name.to_lowercase(),
                site.url(&site.lang_path(&format!("/tags/{}/", t.slug))),
            )
        })
        .collect()
}

impl<'s> Prepared<'s> {
    /// The view of `site` with its prepared `data` (made for this same site).
    pub fn new(site: &'s Site, data: &'s PreparedData) -> Prepared<'s> {
        Prepared { site, data }
    }

    fn full_card(&self, i: usize) -> Value {
        self.full_cards[i]
            .get_or_init(|| Value::from_serializable(&self.card(&self.site.pages[i], false)))
            .clone()
    }

    fn locked_card(&self, i: usize) -> Value {
        self.locked_cards[i]
            .get_or_init(|| Value::from_serializable(&self.card(&self.site.pages[i], true)))
            .clone()
    }

    /// `nav` for a reader at tier index `tier` on the output at `current_url`.
    fn nav(&self, tier: usize, current_url: &str) -> Value {
        let all = self.data.nav.get_or_init(|| {
            self.site
                .tiers
                .all()
                .map(|(t, _)| self.nav_for(t))
                .collect()
        });
        let links = &all[tier.min(all.len() - 1)];
        let here = |l: &Link| current_url.starts_with(l.url.as_str());
        let mask = links
            .iter()
            .take(64)
            .enumerate()
            .filter(|(_, l)| here(l))
            .fold(0u64, |m, (i, _)| m | (1 << i));
        let make = || {
            let items: Vec<NavItem> = links
                .iter()
                .map(|l| NavItem {
                    title: l.title.clone(),
                    short: l.title.split(" · ").next().unwrap_or_default().to_string(),
                    url: l.url.clone(),
                    locked: l.locked,
                    current: here(l),
                })
                .collect();
            Value::from_serializable(&items)
        };
        // A menu of more than 64 items has no mask: made for each output.
        if links.len() > 64 {
            return make();
        }
        self.data.nav_values.get_or_make((tier, mask), make)
    }

    /// The `hearth` value for the calling thread. Every page reads it dozens
    /// of times, and each read of a Tera value counts a reference up and
    /// down: with one shared copy both cores wrote the same counters all
    /// build long. A copy per thread keeps that traffic on its own core.
    fn global(&self) -> &Value {
        let slot = rayon::current_thread_index().map_or(0, |i| i + 1);
        self.data.global[slot.min(self.data.global.len() - 1)]
            .get_or_init(|| Value::from_serializable(&self.global_ctx(self.now)))
    }

    fn section_summaries(&self) -> &[Value] {
        self.data.section_summaries.get_or_init(|| {
            (0..self.site.sections.len())
                .map(|s| Value::from_serializable(&self.section_summary(s)))
                .collect()
        })
    }

    pub(super) fn events(&self) -> &[kinds::EventWhen] {
        self.data.event_times(self.site)
    }

    fn card<'a>(&'a self, pg: &'a Page, locked: bool) -> Card<'a> {
        let site = self.site;
        Card {
            title: &pg.title,
            url: site
                .tiers
                .is_written(self.audience, pg.tier)
                .then(|| site.url(&pg.path)),
            permalink: site.permalink(&pg.path),
            kind: pg.kind,
            locked,
            tier: site.tiers.info(pg.tier),
            date: (!locked)
                .then(|| pg.date.map(|d| d.date.to_string()))
                .flatten(),
            date_display: (!locked)
                .then(|| pg.date.map(|d| self.strings.date(d.date)))
                .flatten(),
            description: if locked {
                None
            } else {
                pg.fm.description.as_deref()
            },
            summary: if locked || pg.md.summary.is_empty() {
                None
            } else {
                Some(&pg.md.summary)
            },
            tags: if locked {
                Vec::new()
            } else {
                self.tag_links(&pg.tags)
            },
            image: if locked { None } else { self.card_image(pg) },
            city: match (&pg.data, locked) {
                (KindData::Chapter(c), false) => c.city.as_deref(),
                _ => None,
            },
            meets: match (&pg.data, locked) {
                (KindData::Chapter(c), false) => c.meets.as_deref(),
                _ => None,
            },
        }
    }

    fn tag_links(&self, tags: &[String]) -> Vec<TagLink> {
        tags.iter()
            .map(|t| {
                // Most tags are written in lower case (or in a script
                // without case): those are looked up without a copy.
                let changes = |c: char| {
                    let mut l = c.to_lowercase();
                    !(l.next() == Some(c) && l.next().is_none())
                };
                let key = if t.chars().any(changes) {
                    std::borrow::Cow::Owned(t.to_lowercase())
                } else {
                    std::borrow::Cow::Borrowed(t.as_str())
                };
                TagLink {
                    name: t.clone(),
                    url: self.tag_urls.get(key.as_ref()).cloned(),
                }
            })
            .collect()
    }

    /// The card of page `i` as a reader of tier `reader` may see it.
    fn listed(&self, reader: Tier, i: usize) -> Option<Value> {
        match self.site.tiers.listing(reader, self.site.pages[i].tier) {
            Listing::Full => Some(self.full_card(i)),
            Listing::Locked => Some(self.locked_card(i)),
            Listing::Hidden => None,
        }
    }

    fn section_link(&self, reader: Tier, s: usize) -> Option<Link> {
        let sec = &self.site.sections[s];
        if !self.site.tiers.is_written(self.audience, sec.tier) {
            return None;
        }
        let locked = match self.site.tiers.listing(reader, sec.tier) {
            Listing::Full => false,
            Listing::Locked => true,
            Listing::Hidden => return None,
        };
        Some(Link {
            title: sec.title.clone(),
            url: self.site.url(&sec.path),
            locked,
        })
    }

    fn nav_for(&self, reader: Tier) -> Vec<Link> {
        let site = self.site;
        let root = &site.sections[0];
        // In the order a newcomer reads a community (Kind::reading_rank),
        // unless a `weight` says otherwise; then as readers sort titles.
        let mut items: Vec<(i64, String, Link)> = Vec::new();
        for &s in &root.subsections {
            let sec = &site.sections[s];
            if sec.fm.in_nav == Some(false) {
                continue;
            }
            if let Some(l) = self.section_link(reader, s) {
                let rank = sec.fm.weight.unwrap_or(sec.kind.reading_rank());
                items.push((rank, crate::text::collation_key(&sec.title), l));
            }
        }
        for &p in &root.pages {
            let pg = &site.pages[p];
            let wanted = matches!(
                pg.kind,
                Kind::Mission | Kind::Values | Kind::Rules | Kind::Faq
            ) || pg.fm.extra.get("in_nav").and_then(|v| v.as_bool()) == Some(true);
            if !wanted || !site.tiers.is_written(self.audience, pg.tier) {
                continue;
            }
            let locked = match site.tiers.listing(reader, pg.tier) {
                Listing::Full => false,
                Listing::Locked => true,
                Listing::Hidden => continue,
            };
            items.push((
                pg.fm.weight.unwrap_or(pg.kind.reading_rank()),
                crate::text::collation_key(&pg.title),
                Link {
                    title: pg.title.clone(),
                    url: site.url(&pg.path),
                    locked,
                },
            ));
        }
        items.sort_by(|a, b| (a.0, &a.1, &a.2.title).cmp(&(b.0, &b.1, &b.2.title)));
        items.into_iter().map(|(_, _, l)| l).collect()
    }

    fn global_ctx(&self, now: jiff::Timestamp) -> context::Global<'_> {
        let c = &self.site.config;
        let site = self.site;
        context::Global {
            config: context::ConfigView {
                title: &c.title,
                description: &c.description,
                base_url: &c.base_url.value,
                language: &c.language.value,
                dir: if crate::i18n::is_rtl(&c.language.value) {
                    "rtl"
                } else {
                    "ltr"
                },
                timezone: &c.timezone.value,
                brand: &c.brand,
                roles: &c.roles,
                repo_url: c.repo_url.as_deref(),
                extra: &c.extra,
            },
            site: context::SiteView {
                home_url: site.url(&site.lang_path("/")),
                base_path: c.base_path().to_string(),
                css_url: site.url("/style.css"),
                syntax_css_url: site.url("/syntax.css"),
                js_url: site.url("/hearth.js"),
                feed_url: site.url(&site.lang_path("/atom.xml")),
                search_index_url: crate::search::index_url(site, self.audience),
                calendar_url: site.url(&site.lang_path("/calendar.ics")),
                logo_url: c.brand.logo.as_deref().map(|l| asset_url(site, l)),
                favicon_url: Some(match c.brand.favicon.as_deref() {
                    Some(l) => asset_url(site, l),
                    // Made from the brand (outputs::favicons), or the site's
                    // own static/favicon.svg, which wins over it.
                    None => site.url("/favicon.svg"),
                }),
                tags_url: (!self.tags.is_empty()).then(|| site.url(&site.lang_path("/tags/"))),
                brand_css: brand_css(c),
                image: c
                    .brand
                    .image
                    .as_deref()
                    .or(c.brand.logo.as_deref())
                    .map(|l| absolute_asset(site, l)),
                org_jsonld: org_jsonld(site),
                og_locale: c.language.value.replace('-', "_"),
            },
            tiers: &self.tier_values,
            i18n: self.strings.all(),
            now: now.to_string(),
        }
    }

    /// The file a job writes (`/events/x/index.html`) and who may fetch it,
    /// without rendering it; `None` when it writes nothing for this
    /// audience. [`Prepared::context`] takes both from here, so the path
    /// and the tier a file is recorded with cannot disagree with it.
    pub fn target(&self, job: &Job) -> Option<(String, Tier)> {
        let site = self.site;
        let listing = |base: &str, n: usize| {
            if n <= 1 {
                format!("{base}index.html")
            } else {
                format!("{base}page/{n}/index.html")
            }
        };
        let (out, tier) = match job {
            Job::Page(i) => {
                let pg = &site.pages[*i];
                (format!("{}index.html", pg.path), pg.tier)
            }
            Job::Section(s, n) => {
                let sec = &site.sections[*s];
                (listing(&sec.path, *n), sec.tier)
            }
            Job::Tags(n) => (listing(&site.lang_path("/tags/"), *n), Tier::PUBLIC),
            Job::Tag(t, n) => (
                listing(
                    &site.lang_path(&format!("/tags/{}/", self.tags[*t].slug)),
                    *n,
                ),
                Tier::PUBLIC,
            ),
            Job::Alias(i, from) => {
                let out = if from.ends_with('/') {
                    format!("{from}index.html")
                } else {
                    from.clone()
                };
                (out, site.pages[*i].tier)
            }
            Job::Month(s, y, m) => {
                let sec = &site.sections[*s];
                (
                    format!("{}{}index.html", sec.path, kinds::month_path(*y, *m)),
                    sec.tier,
                )
            }
            Job::NotFound => (site.lang_path("/404.html"), Tier::PUBLIC),
        };
        site.tiers
            .is_written(self.audience, tier)
            .then_some((out, tier))
    }

    /// The site's languages as the switcher and `hreflang` links of one
    /// page see them: each language's version of `item` when it has one,
    /// else that language's home (`translated` false). Empty for a site in
    /// one language.
    fn languages(&self, item: Option<crate::content::Item>) -> Vec<context::LanguageLink> {
        let site = self.site;
        let t = &site.translations;
        if t.langs.len() < 2 {
            return Vec::new();
        }
        let versions = item.and_then(|it| t.of(site, it));
        // `hreflang` names versions only when there are two to name.
        let public_versions = versions.map_or(0, |v| {
            v.by_lang
                .values()
                .filter(|(_, tier)| site.tiers.is_indexable(*tier))
                .count()
        });
        t.langs
            .iter()
            .map(|(tag, prefix)| {
                let found = versions.and_then(|v| v.by_lang.get(tag));
                let path = match found {
                    Some((p, _)) => p.clone(),
                    None => format!("{prefix}/"),
                };
                context::LanguageLink {
                    tag: tag.clone(),
                    name: site.config.language_name(tag),
                    dir: if crate::i18n::is_rtl(tag) {
                        "rtl"
                    } else {
                        "ltr"
                    },
                    url: site.url(&path),
                    permalink: site.permalink(&path),
                    current: *tag == site.lang.tag,
                    translated: found.is_some(),
                    indexable: public_versions > 1
                        && found.is_some_and(|(_, tier)| site.tiers.is_indexable(*tier)),
                }
            })
            .collect()
    }

    /// The source of page `i` when it is a translation older than its
    /// source (its URL, for the "may be out of date" notice).
    fn outdated_source(&self, i: usize) -> Option<String> {
        let site = self.site;
        let pg = &site.pages[i];
        let t = &site.translations;
        if !t.outdated.get(&pg.src.rel)?.contains(&site.lang.tag) {
            return None;
        }
        let default = &t.langs.first()?.0;
        let (path, _) = t.items.get(&pg.src.rel)?.by_lang.get(default)?;
        Some(site.url(path))
    }

    /// The context of one job; `None` when the job writes nothing for this audience.
    pub fn context(&self, job: &Job) -> Option<JobContext> {
        let site = self.site;
        let mut ctx = Context::new();
        ctx.insert_value("hearth", self.global().clone());
        // Not written for this audience: nothing to prepare.
        let (out, written_tier) = self.target(job)?;
        let (template, source, tier) = match job {
            Job::Page(i) => {
                let pg = &site.pages[*i];
                ctx.insert_value("page", self.page_value(*i));
                ctx.insert_value("section", self.section_summaries()[pg.section].clone());
                (self.page_template(pg), pg.src.file.clone(), pg.tier)
            }
            Job::Section(s, n) => {
                let sec = &site.sections[*s];
                let (value, _) = self.section_value(*s, *n);
                ctx.insert_value("section", value);
                (self.section_template(sec), sec.src.file.clone(), sec.tier)
            }
            Job::Tags(n) => {
                let base = site.lang_path("/tags/");
                let (pager, range) =
                    self.paginator(&base, self.tags.len(), tag_list_page_size(site), *n);
                let list: Vec<_> = self.tags[range]
                    .iter()
                    .map(|t| serde_json::json!({"name": t.name, "url": site.url(&site.lang_path(&format!("/tags/{}/", t.slug))), "count": t.pages.len()}))
                    .collect();
                ctx.insert("tags", &list);
                ctx.insert("tag_count", &self.tags.len());
                ctx.insert("paginator", &pager);
                ("tags.html".to_string(), "(tags)".to_string(), Tier::PUBLIC)
            }
            Job::Tag(t, n) => {
                let tag = &self.tags[*t];
                let per = site.config.build.tag_paginate_by.max(1);
                let base = site.lang_path(&format!("/tags/{}/", tag.slug));
                let (pager, range) = self.paginator(&base, tag.pages.len(), per, *n);
                // A tag page is read by the build's audience (the public at the edge).
                let reader = site.tiers.reader(self.audience, Tier::PUBLIC);
                let cards: Vec<Value> = tag.pages[range]
                    .iter()
                    .filter_map(|&p| self.listed(reader, p))
                    .collect();
                ctx.insert_value(
                    "tag",
                    Value::from_serializable(&serde_json::json!({
                        "name": tag.name,
                        "url": site.url(&base),
                        "count": tag.pages.len(),
                    })),
                );
                ctx.insert_value("pages", Value::from(cards));
                ctx.insert("paginator", &pager);
                ("tag.html".to_string(), "(tags)".to_string(), Tier::PUBLIC)
            }
            Job::Alias(i, _) => {
                let pg = &site.pages[*i];
                ctx.insert("redirect_url", &site.url(&pg.path));
                ctx.insert("redirect_permalink", &site.permalink(&pg.path));
                ctx.insert("redirect_title", &pg.title);
                ("alias.html".to_string(), pg.src.file.clone(), pg.tier)
            }
            Job::Month(s, y, m) => {
                let sec = &site.sections[*s];
                let reader = site.tiers.reader(self.audience, sec.tier);
                ctx.insert_value("section", self.section_summaries()[*s].clone());
                ctx.insert_value("month", self.month_value(*s, *y, *m, reader));
                (
                    "events-month.html".to_string(),
                    sec.src.file.clone(),
                    sec.tier,
                )
            }
            Job::NotFound => ("404.html".to_string(), "(404)".to_string(), Tier::PUBLIC),
        };
        let reader = site.tiers.reader(self.audience, tier);
        let here = match job {
            Job::Page(i) => Some(Item::Page(*i)),
            Job::Section(s, _) => Some(Item::Section(*s)),
            _ => None,
        };
        if let Some(here) = here {
            ctx.insert_value(
                "sidebar",
                self.sidebar(reader, here).unwrap_or_else(Value::none),
            );
        }
        let current = out.trim_end_matches("index.html");
        let current_url = site.url(current);
        ctx.insert_value("nav", self.nav(site.tiers.index(reader), &current_url));
        ctx.insert_value(
            "page_tier",
            self.tier_values[site.tiers.index(tier)].clone(),
        );
        ctx.insert("current_url", &current_url);
        ctx.insert("current_permalink", &site.permalink(current));
        let item = match job {
            Job::Page(i) => Some(crate::content::Item::Page(*i)),
            Job::Section(s, 1) => Some(crate::content::Item::Section(*s)),
            _ => None,
        };
        ctx.insert("languages", &self.languages(item));
        ctx.insert(
            "translation_outdated",
            &match job {
                Job::Page(i) => self.outdated_source(*i),
                _ => None,
            },
        );
        Some(JobContext {
            out,
            tier: written_tier,
            template,
            ctx,
            source,
        })
    }

    /// The page's sharing image as an absolute URL: its `image`, else its
    /// first picture; `None` falls back to the brand's in the template.
    fn share_image(&self, pg: &Page) -> Option<String> {
        let site = self.site;
        let dir = pg.src.rel.trim_end_matches("index.md");
        if let Some(img) = &pg.fm.image {
            if let Some(f) = site.files.get(&format!("{dir}{}", img.value)) {
                return Some(site.permalink(&f.path));
            }
            return Some(absolute_asset(site, &img.value));
        }
        if let Some(photo) = self.first_photo_url(pg) {
            return Some(photo);
        }
        let first = pg.md.first_image.as_deref()?;
        Some(if first.starts_with('/') {
            format!("{}{first}", site.config.origin())
        } else if first.contains("://") {
            first.to_string()
        } else {
            format!("{}{first}", site.permalink(&pg.path))
        })
    }

    fn page_template(&self, pg: &Page) -> String {
        match &pg.fm.template {
            Some(t) => t.value.clone(),
            None => pg.kind.template().to_string(),
        }
    }

    fn section_template(&self, sec: &Section) -> String {
        match &sec.fm.template {
            Some(t) => t.value.clone(),
            None => sec.kind.template().to_string(),
        }
    }

    fn section_summary(&self, s: usize) -> context::SectionSummary<'_> {
        let site = self.site;
        let sec = &site.sections[s];
        context::SectionSummary {
            title: &sec.title,
            url: site.url(&sec.path),
            kind: sec.kind,
            ancestors: self.crumbs(s),
        }
    }

    /// Breadcrumbs from the home page down to section `s`.
    fn crumbs(&self, s: usize) -> Vec<context::Crumb<'_>> {
        let site = self.site;
        site.ancestors(s)
            .into_iter()
            .map(|a| context::Crumb {
                title: &site.sections[a].title,
                url: site.url(&site.sections[a].path),
            })
            .collect()
    }

    fn page_value(&self, i: usize) -> Value {
        let site = self.site;
        let pg = &site.pages[i];
        let reader = site.tiers.reader(self.audience, pg.tier);
        let sec = &site.sections[pg.section];
        let pos = self.position[i];
        let neighbour = |p: Option<usize>| p.and_then(|j| self.listed(reader, j));
        // Newer/older links only make sense in a dated sequence (news, recaps).
        let (newer, older) = match pos.filter(|_| pg.date.is_some()) {
            Some(k) => (
                neighbour(k.checked_sub(1).map(|j| sec.pages[j])),
                neighbour(sec.pages.get(k + 1).copied()),
            ),
            None => (None, None),
        };
        // A plugin's page has no file in the repository to edit.
        let from_plugin = pg.src.file.starts_with("plugin `");
        let edit_url = site
            .config
            .repo_url
            .as_ref()
            .filter(|_| !from_plugin)
            .map(|repo| {
                let prefix = site
                    .config
                    .repo_path
                    .as_deref()
                    .map(|p| format!("{}/", p.trim_matches('/')))
                    .unwrap_or_default();
                format!(
                    "{}/edit/{}/{prefix}{}",
                    repo.trim_end_matches('/'),
                    site.config.edit_branch,
                    pg.src.file
                )
            });
        let minutes = pg.md.words.div_ceil(300).max(1);
        let description = pg
            .fm
            .description
            .clone()
            .unwrap_or_else(|| truncate_chars(&pg.md.summary_text, 160));
        let dates = |d: Option<crate::content::frontmatter::DateValue>| {
            d.map(|d| (d.date.to_string(), self.strings.date(d.date)))
                .unzip()
        };
        let (date, date_display) = dates(pg.date);
        let (updated, updated_display) = dates(pg.fm.updated.as_ref().map(|d| d.value));
        let none = Value::none;
        let faq = pg.kind == Kind::Faq;
        // Tera serializes this straight into its own values (the page's HTML
        // is copied once, cards and event data are shared by reference).
        Value::from_serializable(&context::PageView {
            title: &pg.title,
            description,
            content: &pg.md.html,
            summary: &pg.md.summary,
            toc: &pg.md.headings,
            url: site.url(&pg.path),
            permalink: site.permalink(&pg.path),
            path: &pg.path,
            kind: pg.kind.name(),
            date,
            date_display,
            updated,
            updated_display,
            tags: self.tag_links(&pg.tags),
            reading_minutes: minutes,
            reading_time: self
                .strings
                .fill("minutes_read", &[("n", &minutes.to_string())]),
            words: pg.md.words,
            edit_url,
            extra: &pg.fm.extra,
            has_code: pg.md.has_code,
            image: self.share_image(pg),
            newer: newer.unwrap_or_else(none),
            older: older.unwrap_or_else(none),
            event: self.event_value(i, reader).unwrap_or_else(none),
            activity: self.activity_value(i, reader).unwrap_or_else(none),
            member: self.member_value(i, reader).unwrap_or_else(none),
            chapter: self.chapter_value(i, reader).unwrap_or_else(none),
            faq: faq.then_some(pg.md.faq.as_slice()),
            faq_jsonld: faq.then(|| faq_jsonld(site, &pg.md.faq)),
        })
    }

    fn section_value(&self, s: usize, n: usize) -> (Value, usize) {
        let site = self.site;
        let sec = &site.sections[s];
        let reader = site.tiers.reader(self.audience, sec.tier);
        let listed = self.section_listed[s].get_or_init(|| {
            sec.pages
                .iter()
                .copied()
                .filter(|&p| site.tiers.listing(reader, site.pages[p].tier) != Listing::Hidden)
                .collect()
        });
        let per = listing_page_size(sec, site.config.build.max_listing);
        let (pager, range) = if per > 0 {
            self.paginator(&sec.path, listed.len(), per, n)
        } else {
            (None, 0..listed.len())
        };
        let cards: Vec<Value> = listed[range.clone()]
            .iter()
            .filter_map(|&p| self.listed(reader, p))
            .collect();
        let subsections: Vec<Link> = sec
            .subsections
            .iter()
            .filter_map(|&c| self.section_link(reader, c))
            .collect();
        let recent: Vec<Value> = if sec.kind == Kind::Home {
            let mut dated: Vec<usize> = (0..site.pages.len())
                .filter(|&p| site.pages[p].date.is_some() && site.pages[p].kind != Kind::Event)
                .collect();
            dated.sort_by(|&a, &b| {
                site.pages[b]
                    .date
                    .map(|d| d.datetime())
                    .cmp(&site.pages[a].date.map(|d| d.datetime()))
            });
            dated
                .into_iter()
                .filter_map(|p| match site.tiers.listing(reader, site.pages[p].tier) {
                    Listing::Full => Some(self.full_card(p)),
                    _ => None,
                })
                .take(6)
                .collect()
        } else {
            Vec::new()
        };
        let view = context::SectionView {
            title: &sec.title,
            url: site.url(&sec.path),
            kind: sec.kind,
            ancestors: self.crumbs(s),
            description: sec
                .fm
                .description
                .clone()
                .unwrap_or_else(|| truncate_chars(&sec.md.summary_text, 160)),
            content: &sec.md.html,
            toc: &sec.md.headings,
            permalink: site.permalink(&sec.path),
            subsections,
            extra: &sec.fm.extra,
            paginator: pager,
            page_count: listed.len(),
            pages: cards,
            recent,
            own_calendar_url: sec
                .fm
                .calendar
                .then(|| site.permalink(&crate::outputs::calendars::section_feed_path(sec))),
        };
        let mut map = Value::from_serializable(&view)
            .into_map()
            .unwrap_or_default();
        self.section_extras(s, reader, listed, range, &mut map);
        (Value::from(map), listed.len())
    }

    fn paginator(
        &self,
        base: &str,
        total_items: usize,
        per: usize,
        n: usize,
    ) -> (Option<context::Paginator>, std::ops::Range<usize>) {
        let site = self.site;
        let pages = total_items.div_ceil(per).max(1);
        let n = n.clamp(1, pages);
        let url = |k: usize| {
            if k == 1 {
                site.url(base)
            } else {
                site.url(&format!("{base}page/{k}/"))
            }
        };
        let start = (n - 1) * per;
        let range = start.min(total_items)..(start + per).min(total_items);
        if pages == 1 {
            return (None, range);
        }
        // A window (first, last, and two either side of the current page), as
        // pagers show: listing every page number would make a long section's
        // listing cost grow with the square of its length.
        let list = (1..=pages)
            .filter(|&k| k == 1 || k == pages || k.abs_diff(n) <= PAGER_WINDOW)
            .map(|k| context::PagerLink {
                n: k,
                url: url(k),
                current: k == n,
            })
            .collect();
        let label = self.strings.fill(
            "page_of",
            &[("n", &n.to_string()), ("total", &pages.to_string())],
        );
        (
            Some(context::Paginator {
                current: n,
                total: pages,
                prev_url: (n > 1).then(|| url(n - 1)),
                next_url: (n < pages).then(|| url(n + 1)),
                pages: list,
                label,
            }),
            range,
        )
    }

    /// Every job for this build, in a stable order.
    pub fn jobs(&self) -> Vec<Job> {
        let site = self.site;
        // Pages in their sections' order: a page's newer and older
        // neighbours are then the jobs beside it, whose cards are still in
        // the cache, rather than two pages anywhere in memory.
        let mut seen = vec![false; site.pages.len()];
        let mut jobs: Vec<Job> = Vec::with_capacity(site.pages.len());
        for &p in site.sections.iter().flat_map(|sec| &sec.pages) {
            if !std::mem::replace(&mut seen[p], true) {
                jobs.push(Job::Page(p));
            }
        }
        jobs.extend((0..site.pages.len()).filter(|&p| !seen[p]).map(Job::Page));
        for (s, sec) in site.sections.iter().enumerate() {
            let reader = site.tiers.reader(self.audience, sec.tier);
            let count = sec
                .pages
                .iter()
                .filter(|&&p| site.tiers.listing(reader, site.pages[p].tier) != Listing::Hidden)
                .count();
            let pages = match listing_page_size(sec, site.config.build.max_listing) {
                0 => 1,
                per => count.div_ceil(per).max(1),
            };
            jobs.extend((1..=pages).map(|n| Job::Section(s, n)));
        }
        jobs.extend(self.tag_jobs());
        for (i, pg) in site.pages.iter().enumerate() {
            jobs.extend(pg.aliases.iter().map(|a| Job::Alias(i, a.clone())));
        }
        jobs.extend(self.month_jobs());
        jobs.push(Job::NotFound);
        jobs
    }

    /// The jobs of the tag pages (the list of tags, each tag's listing),
    /// in [`Prepared::jobs`]' order: with [`Prepared::month_jobs`], the
    /// only jobs a `serve` patch can change (it keeps every page's path,
    /// tier and aliases), so a preview lists these again and keeps the rest.
    pub fn tag_jobs(&self) -> Vec<Job> {
        let mut jobs = Vec::new();
        if !self.tags.is_empty() {
            let lists = self.tags.len().div_ceil(tag_list_page_size(self.site));
            jobs.extend((1..=lists).map(Job::Tags));
            let per = self.site.config.build.tag_paginate_by.max(1);
            for (t, tag) in self.tags.iter().enumerate() {
                let pages = tag.pages.len().div_ceil(per).max(1);
                jobs.extend((1..=pages).map(|n| Job::Tag(t, n)));
            }
        }
        jobs
    }

    /// The jobs of the month calendars of events sections (the months
    /// around "now" that have events), in [`Prepared::jobs`]' order.
    pub fn month_jobs(&self) -> Vec<Job> {
        let site = self.site;
        let mut jobs = Vec::new();
        for (s, sec) in site.sections.iter().enumerate() {
            if sec.kind == Kind::Events {
                let reader = site.tiers.reader(self.audience, sec.tier);
                jobs.extend(
                    self.months(s, reader)
                        .into_iter()
                        .map(|(y, m)| Job::Month(s, y, m)),
                );
            }
        }
        jobs
    }
}

/// Tags of the pages the build's public aggregates may list.
///
/// A tag name is text too: a tag used only on gated pages gets no public page.
/// Each page's date, by page index, read in one pass in page order: the
/// indexes that sort pages by date look them up here rather than in each
/// page for each comparison (at 100,000 pages, a cache miss each).
fn page_dates(site: &Site) -> Vec<Option<jiff::civil::DateTime>> {
    site.pages
        .iter()
        .map(|pg| pg.date.map(|d| d.datetime()))
        .collect()
}

fn collect_tags(
    site: &Site,
    audience: Audience,
    dates: &[Option<jiff::civil::DateTime>],
) -> Vec<Tag> {
    let reader = match audience {
        Audience::Edge => Tier::PUBLIC,
        Audience::Only(t) => t,
    };
    // Each distinct tag text is slugified once and each tag found by a
    // hash, not once per page and by a tree walk: `serve` does this after
    // every save (100,000 pages carry some 200,000 tags).
    let mut slug_of: rustc_hash::FxHashMap<&str, Option<usize>> = Default::default();
    let mut tags: Vec<Tag> = Vec::new();
    let mut by_slug: rustc_hash::FxHashMap<String, usize> = Default::default();
    for (i, pg) in site.pages.iter().enumerate() {
        if !site.tiers.may_see(reader, pg.tier) {
            continue;
        }
        for t in &pg.tags {
            let k = *slug_of.entry(t.as_str()).or_insert_with(|| {
                let slug = crate::text::slugify(t)?;
                Some(*by_slug.entry(slug.clone()).or_insert_with(|| {
                    tags.push(Tag {
                        name: t.clone(),
                        slug,
                        pages: Vec::new(),
                    });
                    tags.len() - 1
                }))
            });
            if let Some(k) = k {
                tags[k].pages.push(i);
            }
        }
    }
    // In slug order, as the listing of tags shows them.
    tags.sort_unstable_by(|a, b| a.slug.cmp(&b.slug));
    for t in &mut tags {
        sort_tag_pages_by(site, |p| dates[p], &mut t.pages);
    }
    tags
}

/// A tag's pages, newest first, then by title, then in site order (the
/// order they were found in, which a whole [`collect_tags`] starts from):
/// so sorting a tag's pages again after a page changed its date or title
/// gives what a whole collection gives.
fn sort_tag_pages(site: &Site, pages: &mut [usize]) {
    sort_tag_pages_by(site, |p| site.pages[p].date.map(|d| d.datetime()), pages);
}

/// [`sort_tag_pages`] with each page's date given by `date_of`.
fn sort_tag_pages_by(
    site: &Site,
    date_of: impl Fn(usize) -> Option<jiff::civil::DateTime>,
    pages: &mut [usize],
) {
    pages.sort_by(|&a, &b| {
        date_of(b)
            .cmp(&date_of(a))
            .then_with(|| site.pages[a].title.cmp(&site.pages[b].title))
            .then_with(|| a.cmp(&b))
    });
}

/// A config path or URL as an absolute URL (sharing cards need them).
fn absolute_asset(site: &Site, p: &str) -> String {
    let u = asset_url(site, p);
    if u.starts_with('/') {
        format!("{}{u}", site.config.origin())
    } else {
        u
    }
}

/// schema.org Organization for the home page.
fn org_jsonld(site: &Site) -> String {
    let c = &site.config;
    let v = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": c.title,
        "url": site.permalink(&site.lang_path("/")),
        "description": c.description,
        "logo": c.brand.logo.as_deref().map(|l| absolute_asset(site, l)),
        "slogan": c.brand.tagline,
    });
    v.to_string().replace("</", "<\\/")
}

/// Cards per listing page of `sec` (0: one page): its `paginate_by`, else
/// `[build] max_listing`. The events list, member directory and recap
/// archive page their own lists at `max_listing` (their templates show
/// `section.upcoming`/`past`, `members` and `years` rather than `pages`).
fn listing_page_size(sec: &Section, max_listing: usize) -> usize {
    match sec.kind {
        Kind::Events | Kind::Members | Kind::Activities => max_listing,
        _ => sec.fm.paginate_by.unwrap_or(max_listing),
    }
}

/// Tags on one page of the list of all tags: five times `[build]
/// max_listing` (a tag is one short line, a fifth of a card or less), so a
/// hub with ten thousand tags does not send a phone one page of a megabyte.
fn tag_list_page_size(site: &Site) -> usize {
    match site.config.build.max_listing {
        0 => usize::MAX,
        n => n.saturating_mul(5),
    }
}

/// schema.org FAQPage as a JSON string, safe inside `<script>` (no `</`).
fn faq_jsonld(site: &Site, items: &[crate::markdown::FaqItem]) -> String {
    let v = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "inLanguage": site.config.language.value,
        "mainEntity": items.iter().map(|f| serde_json::json!({
            "@type": "Question",
            "name": f.question,
            "acceptedAnswer": {"@type": "Answer", "text": f.answer},
        })).collect::<Vec<_>>(),
    });
    v.to_string().replace("</", "<\\/")
}

fn truncate_chars(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut t: String = s.chars().take(max - 1).collect();
    t.push('…');
    t
}

/// A config path (`/images/logo.svg`) or URL, as a link.
fn asset_url(site: &Site, p: &str) -> String {
    if p.contains("://") || p.starts_with("data:") {
        p.to_string()
    } else {
        site.url(&format!("/{}", p.trim_start_matches('/')))
    }
}

/// CSS custom properties from the brand colours.
fn brand_css(c: &crate::config::Config) -> String {
    let mut css = String::from(":root{");
    if let Some(p) = &c.brand.primary {
        css.push_str(&format!("--brand-primary:{};", p.value));
    }
    if let Some(a) = &c.brand.accent {
        css.push_str(&format!("--brand-accent:{};", a.value));
    }
    css.push('}');
    css
}

/// Whether an item is written for `audience`; used by outputs that copy files.
pub fn written(site: &Site, audience: Audience, item: Item) -> bool {
    let tier = match item {
        Item::Page(i) => site.pages[i].tier,
        Item::Section(i) => site.sections[i].tier,
    };
    site.tiers.is_written(audience, tier)
}

#[cfg(test)]
mod tests {
    use super::{title_html, unknown_string_key};

    #[test]
    fn an_unknown_string_key_names_the_nearest_one() {
        let src = "{{ hearth.i18n.read_mor }} {{ page.titel }}";
        let at = src.find("read_mor").unwrap();
        let (key, help) = unknown_string_key(
            "Field `read_mor` is not defined. Available fields: …",
            src,
            &(at..at + 8),
        )
        .unwrap();
        assert_eq!(key, "read_mor");
        assert!(help.starts_with("did you mean `read_more`?"), "{help}");
        // Other missing fields keep Tera's own message.
        let at = src.find("titel").unwrap();
        assert!(unknown_string_key("Field `titel` is not defined.", src, &(at..at + 5)).is_none());
    }

    fn html(title: &str, escape: bool) -> String {
        title_html(title, escape)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    #[test]
    fn bilingual_titles_split_at_the_first_separator_and_are_escaped() {
        assert_eq!(
            html("读书会 · Book <Club> & \"Co\"", true),
            "<span class=\"t-main\">读书会</span> <span class=\"t-sub\">Book &lt;Club&gt; &amp; &quot;Co&quot;</span>"
        );
        // Later separators stay in the subtitle, as the old partial joined them.
        assert_eq!(
            html("A · B · C", true),
            "<span class=\"t-main\">A</span> <span class=\"t-sub\">B · C</span>"
        );
        assert_eq!(
            html("<script>x</script>", true),
            "&lt;script&gt;x&lt;/script&gt;"
        );
        assert_eq!(html("a<b", false), "a<b");
        assert!(title_html("x", true).is_safe());
    }
}
