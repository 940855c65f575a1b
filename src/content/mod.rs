//! The `Site` model and how it is loaded from `content/`.
//!
//! Everything downstream (templates, feeds, calendars, search) reads this
//! model and never the disk; nothing here knows about HTML layout. Loading
//! is a pipeline of steps, each in its own file, so that a step can be read,
//! tested and changed without the others in view:
//!
//! - `walk`: which files are content, and reading them (front matter split
//!   off, UTF-8 checked);
//! - `section` and `page`: a file's front matter becomes a typed
//!   [`Section`] or [`Page`] (kind, URL, tier, date, title), with every
//!   problem on its line (`fields` holds what both share);
//! - `event`: an event's front matter becomes a validated
//!   [`crate::calendar::EventTime`];
//! - `model`: the types, and the indexes that relate them (by source, by
//!   slug, files, section order);
//! - `checks`: the checks that need the whole site (duplicate outputs,
//!   anchors, references between pages, URLs in front matter);
//! - `media`: the size and thumbnail of each image a page shows;
//! - `patch`: `serve`'s shortcut, an edited page replaced in a loaded site.
//!
//! This file only puts the steps in order ([`load`]) and renders the
//! Markdown of every page against the finished indexes.

pub mod frontmatter;
pub mod paths;

mod checks;
pub mod data;
mod event;
mod fields;
pub mod languages;
mod media;
mod model;
mod page;
mod patch;
mod plugins;
pub mod repo;
mod section;
mod walk;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::{self, Config};
use crate::diagnostics::{Diagnostic, codes, did_you_mean};
use crate::images::ProbeCache;
use crate::markdown::{self, MdOptions, Rendered, Resolved};
use crate::tiers::{Audience, Tiers};
use walk::{BundleFiles, RawFile, Walk};

pub use checks::{check_site_links, is_safe_url};
pub use event::event_status;
pub use model::{ContentFile, Item, Kind, KindData, Page, Section, Site, Source};
pub use patch::{Patched, patch};
pub use repo::{Repository, load_config};
pub use walk::{CONTENT_DIR, STATIC_DIR, is_ignored, is_junk};

/// How much of a repository's root README becomes the site's description
/// when no `hearth.toml` gives one.
pub const DESCRIPTION_CHARS: usize = 300;

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
    /// Where decoded images are remembered between loads: `serve` keeps
    /// one for its life; a single build decodes each image once anyway.
    pub images: Option<Arc<ProbeCache>>,
}

/// Loads `site`: config, content, Markdown; returns the model and warnings,
/// or every error found. The theme's checks of the config are not made
/// here (content does not know the theme): `build::load` adds them.
pub fn load(site: &Path, opts: &LoadOptions) -> Result<(Site, Vec<Diagnostic>), Vec<Diagnostic>> {
    load_with(site, repo::load_config(site)?, Vec::new(), opts)
}

/// Loads `site` with its config already read. `config_warnings` are what
/// the layers above found wrong in it (UI strings the theme does not
/// know): they are kept with the site's own diagnostics, so a `serve`
/// patch reports them again as a fresh load would.
pub fn load_with(
    site: &Path,
    config: Config,
    config_warnings: Vec<Diagnostic>,
    opts: &LoadOptions,
) -> Result<(Site, Vec<Diagnostic>), Vec<Diagnostic>> {
    let lang = languages::Lang::all(&config).remove(0);
    load_language(site, config, config_warnings, opts, &lang, None)
}

/// Loads the pages of one language of `site` (`config` is the site's, not
/// yet made the language's). Another language than the default is given
/// the default's pages, which its links to what is not translated go to.
pub fn load_language(
    site: &Path,
    config: Config,
    config_warnings: Vec<Diagnostic>,
    opts: &LoadOptions,
    lang: &languages::Lang,
    fallback: Option<Arc<languages::Fallback>>,
) -> Result<(Site, Vec<Diagnostic>), Vec<Diagnostic>> {
    let config = if lang.default {
        config
    } else {
        config.for_language(&lang.tag)
    };
    let mut diags = Vec::new();
    let settings = settings(config, config_warnings, opts, &mut diags)?;
    let mut clock = crate::timings::Phases::start();
    let config = &settings.config;
    let content = config.content_root(site);
    let (walk, repository) = if config.is_repository() {
        let (w, mut r) = repo::walk_repository(site, config, &mut diags);
        r.web = config.repo_url.as_ref().map(|u| {
            (
                u.trim_end_matches('/').to_string(),
                config.edit_branch.clone(),
            )
        });
        (w, Some(r))
    } else {
        let before = diags.len();
        let w = walk::walk_content(site, &content, &mut diags);
        // A hub made only of data files and plugins needs no content/.
        if !config.data.is_empty() || !config.plugins.is_empty() {
            let mut i = before;
            while i < diags.len() {
                if diags[i].code == codes::IO && !diags[i].is_error() && !content.exists() {
                    diags.remove(i);
                } else {
                    i += 1;
                }
            }
        }
        (w, None)
    };
    clock.lap("walk");
    let static_files = walk::walk_static(&config.own_root(site), &mut diags);

    // Read and split every Markdown file in parallel.
    let parsed: Vec<(RawFile, Vec<Diagnostic>)> = walk
        .markdown
        .par_iter()
        .map(|rel| {
            if config.is_repository() {
                repo::read_markdown(&content, rel)
            } else {
                walk::read_markdown(&content, rel, &config.source_file(rel))
            }
        })
        .collect();
    let mut raws: BTreeMap<String, RawFile> = BTreeMap::new();
    for (raw, d) in parsed {
        diags.extend(d);
        raws.insert(raw.rel.clone(), raw);
    }
    let mut walk = walk;
    languages::select(&mut walk, &mut raws, lang);
    let mut from_data = BTreeSet::new();
    if !settings.config.data.is_empty() && lang.default {
        let pages = data::load(site, &settings.config, &mut diags);
        from_data = data::merge(&mut raws, &mut walk.pages, &mut walk.dirs, pages);
    }
    if !settings.config.plugins.is_empty() && lang.default {
        let added = plugins::run(site, &settings.config, &raws, &mut diags);
        let dirs: Vec<String> = added
            .iter()
            .filter_map(|r| r.rel.rsplit_once('/').map(|(d, _)| d.to_string()))
            .collect();
        let _ = data::merge(
            &mut raws,
            &mut walk.pages,
            &mut walk.dirs,
            data::DataPages {
                raws: added,
                dirs: dirs.iter().flat_map(|d| data::parents(d)).collect(),
                files: Vec::new(),
            },
        );
    }
    clock.lap("read+split");

    let sources = Sources {
        walk,
        raws,
        static_files,
        repository,
    };
    let mut site_model = assemble(
        site,
        settings,
        sources,
        (lang, fallback),
        opts.drafts,
        &mut diags,
        &mut clock,
    );
    site_model.local_diags = diags;
    site_model.from_data = from_data;
    let diags = site_checks(&mut site_model, opts.images.as_deref());
    clock.lap("checks");
    if diags.iter().any(Diagnostic::is_error) {
        Err(diags)
    } else {
        Ok((site_model, diags))
    }
}

/// What a load settles before it reads any content.
struct Settings {
    config: Config,
    tiers: Tiers,
    audience: Audience,
    tz: jiff::tz::TimeZone,
}

/// Applies the options to the config: `--base-url` replaces the config's,
/// `--audience` must name a tier. Warnings about the config go to `diags`;
/// an error ends the load before content is read.
fn settings(
    mut config: Config,
    config_warnings: Vec<Diagnostic>,
    opts: &LoadOptions,
    diags: &mut Vec<Diagnostic>,
) -> Result<Settings, Vec<Diagnostic>> {
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
        config.deploy.host = Some(crate::spanned::Spanned::unplaced(host));
    }
    let tiers = Tiers::from_config(&config);
    diags.extend(config_warnings);
    if config.brand.primary.is_some() || config.brand.accent.is_some() {
        diags.extend(config::brand_contrast_warnings(&config));
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

    Ok(Settings {
        config,
        tiers,
        audience,
        tz,
    })
}

/// What a load read from `content/` and `static/`, before anything is
/// built from it.
struct Sources {
    walk: Walk,
    /// Every Markdown file, split, by content-relative path.
    raws: BTreeMap<String, RawFile>,
    static_files: BTreeSet<String>,
    /// Repository mode: what the repository holds besides.
    repository: Option<repo::Repository>,
}

/// Builds the model from what was read: sections, then pages (in
/// parallel), the indexes, and every page's Markdown rendered against
/// them. The cross-file checks are left to the caller.
fn assemble(
    root: &Path,
    settings: Settings,
    sources: Sources,
    (lang, fallback): (&languages::Lang, Option<Arc<languages::Fallback>>),
    drafts: bool,
    diags: &mut Vec<Diagnostic>,
    clock: &mut crate::timings::Phases,
) -> Site {
    let Settings {
        config,
        tiers,
        audience,
        tz,
    } = settings;
    let Sources {
        walk,
        mut raws,
        static_files,
        repository,
    } = sources;
    let (sections, section_by_dir) = section::build_sections(
        &config,
        &tiers,
        &walk.dirs,
        &lang.prefix,
        &walk.indexes,
        &mut raws,
        diags,
    );

    // Pages: typed front matter per kind, in parallel.
    // Each page takes its file's text (no second copy of the site's text).
    let page_raws: Vec<(RawFile, &Option<BundleFiles>)> = walk
        .pages
        .iter()
        .filter_map(|(rel, bundle)| raws.remove(rel).map(|raw| (raw, bundle)))
        .collect();
    drop(raws);
    let ctx = page::PageContext {
        root,
        config: &config,
        tiers: &tiers,
        sections: &sections,
        section_by_dir: &section_by_dir,
        drafts,
    };
    let page_results: Vec<(Result<Page, String>, Vec<Diagnostic>)> = page_raws
        .into_par_iter()
        .map(|(raw, bundle)| {
            let mut d = Vec::new();
            let page = page::build_page(&ctx, raw, bundle.as_ref(), &mut d);
            (page, d)
        })
        .collect();
    let mut pages = Vec::new();
    let mut left_out = BTreeSet::new();
    for (p, d) in page_results {
        diags.extend(d);
        match p {
            Ok(p) => pages.push(p),
            Err(draft) => {
                left_out.insert(draft);
            }
        }
    }

    let strings = crate::i18n::Strings::for_config(&config);
    let mut site_model = Site {
        root: root.to_path_buf(),
        strings,
        config,
        tiers,
        audience,
        tz,
        sections,
        pages,
        by_source: Default::default(),
        by_slug: Default::default(),
        files: BTreeMap::new(),
        drafts: left_out,
        images: HashMap::new(),
        thumbs: BTreeMap::new(),
        static_files,
        local_diags: Vec::new(),
        lang: lang.clone(),
        fallback,
        translations: Arc::default(),
        repo: repository,
        from_data: BTreeSet::new(),
        checked: Default::default(),
    };
    clock.lap("front matter");
    model::index_sources(&mut site_model);
    model::index_files(&mut site_model, &walk.assets, &section_by_dir);
    render_markdown(&mut site_model, diags);
    if site_model.repo.is_some() {
        repo::fix_anchor_case(&mut site_model);
        repo::repository_titles(&mut site_model);
        repo::publish_used_files(&mut site_model);
    }
    clock.lap("markdown");
    site_model
}

/// The checks that look across files, then images and page order: run on
/// the whole site after every load (a `serve` patch runs them again only
/// over what its pages can change, from the findings kept in
/// `Site::checked`). Returns every diagnostic of the site (the files' own,
/// then these).
fn site_checks(site: &mut Site, images: Option<&ProbeCache>) -> Vec<Diagnostic> {
    // The four checks only read the site: run them side by side (`serve`
    // runs them after every save), then keep their diagnostics in the
    // order one thread would give.
    let view: &Site = site;
    let ((paths, links), (references, urls)) = rayon::join(
        || {
            rayon::join(
                || {
                    let mut d = Vec::new();
                    checks::check_output_paths(view, &mut d);
                    d
                },
                || checks::check_links(view),
            )
        },
        || {
            rayon::join(
                || checks::check_references(view),
                || checks::check_urls(view),
            )
        },
    );
    site.images.clear();
    site.thumbs.clear();
    let mut image_diags = Vec::new();
    media::process_images(site, images, &mut image_diags);
    model::sort_sections(site);
    site.checked = checks::Checked {
        paths,
        links,
        references,
        urls,
        images: image_diags,
    };
    site.local_diags
        .iter()
        .chain(site.checked.all())
        .cloned()
        .collect()
}

/// Renders the Markdown of one page or section; links resolve against the
/// rest of the site. Public so the micro-benchmarks time the build's own call.
pub fn markdown_of(site: &Site, src: &Source, kind: Kind) -> Rendered {
    markdown_fixed(site, src, kind, None)
}

/// [`markdown_of`] with anchors written in their right letter case.
pub(super) fn markdown_fixed(
    site: &Site,
    src: &Source,
    kind: Kind,
    anchor_fixes: Option<&markdown::AnchorFixes>,
) -> Rendered {
    let anchor_label = site.strings.get("anchor_link");
    let page = |it: Item| Resolved::Page {
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
    };
    let resolve = |target: &str| -> Resolved {
        let item = site
            .by_source
            .get(target)
            .or_else(|| site.by_source.get(target.trim_end_matches('/')));
        match item {
            Some(&it) => page(it),
            None => match site.files.get(target) {
                Some(f) => Resolved::File(site.url(&f.path)),
                None if let Some(fb) = &site.fallback
                    && let Some((path, tier, _)) = fb
                        .items
                        .get(target)
                        .or_else(|| fb.items.get(target.trim_end_matches('/'))) =>
                {
                    Resolved::Page {
                        url: site.url(path),
                        locked: (!site.tiers.is_written(site.audience, *tier))
                            .then(|| site.tiers.info(*tier).name.clone()),
                        source: target.to_string(),
                    }
                }
                None if let Some(fb) = &site.fallback
                    && let Some((path, _)) = fb.files.get(target) =>
                {
                    Resolved::File(site.url(path))
                }
                None if site.drafts.contains(target) => Resolved::Draft,
                None => match &site.repo {
                    Some(repo) => repo::repository_target(site, repo, target),
                    // Only a broken link pays for the search of what it meant.
                    None if target.ends_with(".md") => {
                        Resolved::Missing(site.nearest_source(target))
                    }
                    None => Resolved::Missing(site.nearest_file(target)),
                },
            },
        }
    };
    let jekyll = |target: &str| repo::jekyll_page(site, target).map(|&it| page(it));
    let dir = src.rel.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    let repository = site.repo.is_some();
    let titled = match site.by_source.get(&src.rel) {
        Some(Item::Page(i)) => site.pages[*i].fm.title.is_some(),
        Some(Item::Section(i)) => site.sections[*i].fm.title.is_some(),
        None => false,
    };
    // A page's URL is its file's path without the extension, as Jekyll's.
    let url_dir = match site.by_source.get(&src.rel) {
        Some(Item::Page(_)) if repository => src.rel.rsplit_once('.').map(|(stem, _)| stem),
        _ => None,
    };
    let repo_blob = site
        .repo
        .as_ref()
        .and_then(|r| r.web.as_ref())
        .map(|(url, branch)| format!("{url}/blob/{branch}"));
    let opts = MdOptions {
        smart_punctuation: site.config.markdown.smart_punctuation,
        external_links_new_tab: site.config.markdown.external_links_new_tab,
        anchor_label,
        resolve: &resolve,
        source_dir: dir,
        numbered_rules: kind == Kind::Rules,
        origin: site.config.origin(),
        base_path: site.config.base_path(),
        faq: kind == Kind::Faq,
        safe_html: site.config.markdown.safe_html,
        github_links: repository,
        github_anchors: site.config.github_anchors(),
        title_heading: repository && !titled,
        liquid: repository && src.body_offset > 0,
        repo_blob: repo_blob.as_deref(),
        url_dir,
        jekyll_page: repository.then_some(&jekyll as _),
        anchor_fixes,
    };
    markdown::render(src.body(), &opts)
}

/// The problems Markdown rendering found in one file, as diagnostics.
fn markdown_diags(src: &Source, md: &Rendered, diags: &mut Vec<Diagnostic>) {
    if md.problems.is_empty() {
        return;
    }
    let text = src.source_text();
    for prob in &md.problems {
        let span = src.body_span(prob.span.clone());
        let d = if prob.warning {
            Diagnostic::warning(&src.file, prob.code, &prob.message)
        } else {
            Diagnostic::error(&src.file, prob.code, &prob.message)
        };
        diags.push(d.at(&text, span).with_help(&prob.help));
    }
}

/// Renders every page's and section's Markdown in parallel, once every
/// page is indexed (links resolve against the whole site), and turns what
/// the renderer found (missing pages, images) into diagnostics.
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
    for (src, md) in site.rendered() {
        markdown_diags(src, md, diags);
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! Sites made in memory for the unit tests of each step: the text of a
    //! `hearth.toml` and a list of files, no disk.

    use super::*;

    /// A small hub: Chinese, one gated tier, two roles.
    pub(crate) const CONFIG: &str = "title = \"围炉读书会\"\nbase_url = \"https://club.example.org\"\nlanguage = \"zh-CN\"\ntimezone = \"Asia/Shanghai\"\n[[tiers]]\nid = \"member\"\nname = \"会员\"\n[[roles]]\nid = \"organizer\"\nname = \"组织者\"\n[[roles]]\nid = \"host\"\nname = \"主持人\"\n";

    /// The site of `files` (content-relative path, text) under `config`,
    /// built and indexed but not checked, with its files' diagnostics
    /// except "no title" warnings: the pages of unit tests are as short as
    /// the test allows, most without a title. [`site_all`] keeps them.
    pub(crate) fn site(config: &str, files: &[(&str, &str)]) -> (Site, Vec<Diagnostic>) {
        let (site, mut diags) = site_all(config, files);
        diags.retain(|d| d.code != crate::diagnostics::codes::NO_TITLE);
        (site, diags)
    }

    /// As [`site`], with every diagnostic.
    /// A folder holding an `index.md` is a bundle, as on disk; non-Markdown
    /// files are published but never read.
    pub(crate) fn site_all(config: &str, files: &[(&str, &str)]) -> (Site, Vec<Diagnostic>) {
        let config = crate::config::parse(config).expect("a valid test config");
        let tiers = Tiers::from_config(&config);
        let tz = jiff::tz::db()
            .get(&config.timezone.value)
            .unwrap_or(jiff::tz::TimeZone::UTC);
        let settings = Settings {
            config,
            tiers,
            audience: Audience::Edge,
            tz,
        };
        let mut folders: BTreeSet<&str> = BTreeSet::new();
        for (rel, _) in files {
            let mut p = *rel;
            while let Some((dir, _)) = p.rsplit_once('/') {
                folders.insert(dir);
                p = dir;
            }
        }
        let is_bundle = |f: &str| files.iter().any(|(r, _)| *r == format!("{f}/index.md"));
        let bundles: Vec<String> = folders
            .iter()
            .filter(|f| is_bundle(f))
            .map(|f| f.to_string())
            .collect();
        let mut dirs = vec![String::new()];
        dirs.extend(
            folders
                .iter()
                .filter(|f| !is_bundle(f))
                .map(|f| f.to_string()),
        );
        let mut paths: Vec<String> = files.iter().map(|(r, _)| r.to_string()).collect();
        paths.sort();
        let mut diags = Vec::new();
        let walk = walk::classify(dirs, bundles, paths, &mut diags);
        let mut raws = BTreeMap::new();
        for rel in &walk.markdown {
            let text = files.iter().find(|(r, _)| r == rel).map(|(_, t)| *t);
            let (raw, d) = walk::split_file(rel, text.unwrap_or_default().to_string());
            diags.extend(d);
            raws.insert(rel.clone(), raw);
        }
        let sources = Sources {
            walk,
            raws,
            static_files: BTreeSet::new(),
            repository: None,
        };
        let mut clock = crate::timings::Phases::start();
        let lang = languages::Lang::single(&settings.config.language.value);
        let site = assemble(
            Path::new("/site"),
            settings,
            sources,
            (&lang, None),
            false,
            &mut diags,
            &mut clock,
        );
        (site, diags)
    }

    /// The codes of `diags`, in order, to compare in one line.
    pub(crate) fn codes_of(diags: &[Diagnostic]) -> Vec<&'static str> {
        diags.iter().map(|d| d.code).collect()
    }
}
