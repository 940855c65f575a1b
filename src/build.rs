//! Orchestration: load → render (parallel) → stage → commit atomically.
//!
//! The whole site is written into a staging folder beside the target and
//! swapped into place only when everything succeeded, so a failed or killed
//! build leaves the previous site untouched. Output is deterministic: paths
//! are sorted and nothing depends on hash-map order or the clock unless asked.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::content::{self, LoadOptions, Site};
use crate::diagnostics::{Diagnostic, codes};
use crate::outputs::access::Record;
use crate::outputs::{self, Artifact};
use crate::render::{Asset, Job, Prepared, PreparedData, Renderer};
use crate::tiers::Tier;
use crate::timings::Phases;

/// Options of one build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// What to load.
    pub load: LoadOptions,
    /// "Now", for upcoming/past views and `hearth.now`.
    pub now: jiff::Timestamp,
}

/// Files published as they are: site path → source and who may fetch it.
pub type Copies = BTreeMap<String, (Asset, Tier)>;

/// What a build produced, before it is written anywhere.
pub struct Output {
    /// Generated files by site path (`/events/x/index.html`).
    pub files: BTreeMap<String, Vec<u8>>,
    /// Files copied as they are.
    pub copies: Copies,
    /// Warnings found on the way.
    pub warnings: Vec<Diagnostic>,
}

/// Where generated files go as soon as they are made, so a large site is
/// never held in memory whole: a staging folder for `build`, a map for
/// `serve`, nowhere for `check`.
pub trait Sink: Sync {
    /// Takes one generated file.
    fn put(&self, artifact: Artifact) -> Result<(), Diagnostic>;
}

/// Keeps every file in memory (`serve`, tests).
#[derive(Default)]
pub struct MemorySink(std::sync::Mutex<BTreeMap<String, Vec<u8>>>);

impl MemorySink {
    /// The files, by site path.
    pub fn into_files(self) -> BTreeMap<String, Vec<u8>> {
        self.0.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for MemorySink {
    fn put(&self, artifact: Artifact) -> Result<(), Diagnostic> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(artifact.path, artifact.bytes);
        Ok(())
    }
}

/// Drops every file: `check` renders everything to find errors, writes nothing.
pub struct Discard;

impl Sink for Discard {
    fn put(&self, _: Artifact) -> Result<(), Diagnostic> {
        Ok(())
    }
}

/// What a build made besides the generated files it handed to its sink.
pub struct Produced {
    /// The loaded site.
    pub site: Site,
    /// How many files were generated (rendered or made, not copied).
    pub generated: usize,
    /// Files to copy as they are (theme and site static files, page files).
    pub copies: Copies,
    /// Every published file with its tier, generated and copied.
    pub record: Record,
    /// Files and bytes of everything published, host files included.
    pub footprint: outputs::deploy::Footprint,
    /// Warnings found on the way.
    pub warnings: Vec<Diagnostic>,
    /// Missing and outdated translations.
    pub translations: content::languages::Report,
    /// The other languages: tag, pages and sections of each.
    pub languages: Vec<(String, usize, usize)>,
}

/// Loads and renders the site in memory; writes nothing.
pub fn run(site_dir: &Path, opts: &BuildOptions) -> Result<(Site, Output), Vec<Diagnostic>> {
    let sink = MemorySink::default();
    let produced = produce(site_dir, opts, &sink)?;
    Ok((
        produced.site,
        Output {
            files: sink.into_files(),
            copies: produced.copies,
            warnings: produced.warnings,
        },
    ))
}

/// What `hearth build` reports after a build.
pub struct Built {
    /// The loaded site.
    pub site: Site,
    /// Files written (generated and copied).
    pub files: usize,
    /// Files and bytes written, and where they are.
    pub footprint: outputs::deploy::Footprint,
    /// Warnings found on the way.
    pub warnings: Vec<Diagnostic>,
    /// What was gated and what the host must apply, for people.
    pub gating: Option<String>,
    /// The other languages: tag, pages and sections of each.
    pub languages: Vec<(String, usize, usize)>,
}

/// Builds the site into `out`: every file goes into a staging folder as it
/// is rendered, and the folder replaces `out` only when all of them
/// succeeded.
pub fn build_to(
    site_dir: &Path,
    opts: &BuildOptions,
    out: &Path,
) -> Result<Built, Vec<Diagnostic>> {
    let staging = Staging::create(out).map_err(|d| vec![d])?;
    let produced = produce(site_dir, opts, &staging)?;
    let mut clock = Phases::start();
    staging.copy(&produced.copies).map_err(|d| vec![d])?;
    staging.finish().map_err(|d| vec![d])?;
    clock.lap("copy + swap");
    let files = produced.generated + produced.copies.len();
    let gating = outputs::hosts::summary(&produced.site);
    Ok(Built {
        site: produced.site,
        files,
        footprint: produced.footprint,
        warnings: produced.warnings,
        gating,
        languages: produced.languages,
    })
}

/// Loads the site as a build sees it: the config, the theme's checks of it
/// (UI strings it does not know), then the content. `build` and `serve`
/// both load through here, so both report the same problems.
pub fn load(
    site_dir: &Path,
    opts: &LoadOptions,
) -> Result<(Site, Vec<Diagnostic>), Vec<Diagnostic>> {
    let config = content::load_config(site_dir)?;
    let theme_warnings = crate::i18n::unknown_keys(&config);
    content::load_with(site_dir, config, theme_warnings, opts)
}

/// Loads every language of the site: the default language's site, then
/// one site per other language (`[languages]`), related to each other
/// (which page translates which; a translation less gated than its source
/// is an error). Errors of every language come back together.
pub fn load_all(site_dir: &Path, opts: &LoadOptions) -> Result<Languages, Vec<Diagnostic>> {
    let (mut site, mut warnings) = load(site_dir, opts)?;
    if site.config.languages.is_empty() {
        return Ok(Languages {
            site,
            others: Vec::new(),
            warnings,
            report: content::languages::Report::default(),
        });
    }
    let langs = content::languages::Lang::all(&site.config);
    let fallback = std::sync::Arc::new(content::languages::Fallback::of(&site));
    let mut errors = Vec::new();
    let mut others = Vec::new();
    for lang in &langs[1..] {
        match content::load_language(
            site_dir,
            site.config.clone(),
            Vec::new(),
            opts,
            lang,
            Some(fallback.clone()),
        ) {
            Ok((s, w)) => {
                // The config's own warnings were the default language's.
                warnings.extend(w.into_iter().filter(|d| d.file != crate::config::FILE));
                others.push(s);
            }
            Err(d) => errors.extend(
                d.into_iter()
                    .filter(|d| d.file != crate::config::FILE || d.is_error()),
            ),
        }
    }
    if !errors.is_empty() {
        errors.extend(warnings);
        crate::diagnostics::sort(&mut errors);
        errors.dedup_by(|a, b| {
            a.code == b.code && a.file == b.file && a.line == b.line && a.message == b.message
        });
        return Err(errors);
    }
    let mut all = vec![site];
    all.append(&mut others);
    let (translations, problems, report) = content::languages::relate(&all, site_dir);
    if problems.iter().any(Diagnostic::is_error) {
        let mut problems = problems;
        problems.extend(warnings);
        return Err(problems);
    }
    warnings.extend(problems);
    let translations = std::sync::Arc::new(translations);
    for s in &mut all {
        s.translations = translations.clone();
    }
    site = all.remove(0);
    crate::diagnostics::sort(&mut warnings);
    warnings.dedup_by(|a, b| {
        a.code == b.code && a.file == b.file && a.line == b.line && a.message == b.message
    });
    Ok(Languages {
        site,
        others: all,
        warnings,
        report,
    })
}

/// Every language of a site, loaded and related.
pub struct Languages {
    /// The default language's site.
    pub site: Site,
    /// The other languages' sites, in `[languages]` order.
    pub others: Vec<Site>,
    /// Warnings of every language.
    pub warnings: Vec<Diagnostic>,
    /// Missing and outdated translations (`hearth check --translations`).
    pub report: content::languages::Report,
}

/// Renders every output of the site into `sink`.
pub fn produce(
    site_dir: &Path,
    opts: &BuildOptions,
    sink: &dyn Sink,
) -> Result<Produced, Vec<Diagnostic>> {
    let mut clock = Phases::start();
    let Languages {
        site,
        others,
        mut warnings,
        report: translations,
    } = load_all(site_dir, &opts.load)?;
    clock.lap("load");
    let audience = site.audience;
    let renderer = Renderer::new(&site)?;
    clock.lap("templates");
    let data = PreparedData::new(&site, audience, opts.now);
    let prepared = Prepared::new(&site, &data);
    let jobs = prepared.jobs();
    clock.lap("prepare");
    // The site's own static files win over generated ones of the same name
    // (a hand-written robots.txt); generated files win over the theme's.
    let own_static: rustc_hash::FxHashSet<String> =
        site.static_files.iter().map(|r| format!("/{r}")).collect();
    // What was generated, and what the host is asked to take (counted as
    // files are made, on both cores, rather than afterwards on one).
    let generated = std::sync::Mutex::new((Vec::new(), outputs::deploy::Footprint::default()));
    let put = |artifact: Artifact| -> Result<(), Diagnostic> {
        if own_static.contains(&artifact.path) {
            return Ok(());
        }
        let entry = (artifact.path.clone(), artifact.tier);
        let size = artifact.bytes.len() as u64;
        sink.put(artifact)?;
        let mut g = generated.lock().unwrap_or_else(|e| e.into_inner());
        g.1.add(&entry.0, size);
        g.0.push(entry);
        Ok(())
    };
    // Pages and the site-wide artifacts are independent: make them side by
    // side so neither core waits for the other's stragglers.
    let (mut errors, artifacts): (Vec<Diagnostic>, Result<Vec<Diagnostic>, Diagnostic>) =
        rayon::join(
            || {
                jobs.par_iter()
                    .filter_map(|job| {
                        match render_job(&site, &renderer, &prepared, job) {
                            Ok(Some(artifact)) => put(artifact),
                            Ok(None) => Ok(()),
                            Err(d) => Err(d),
                        }
                        .err()
                    })
                    .collect()
            },
            || artifacts(&site, data.event_times(&site), &put),
        );
    clock.lap("render");
    template_times::report();
    renderer.report_partials();
    match artifacts {
        Ok(w) => warnings.extend(w),
        Err(e) => errors.push(e),
    }
    // Every other language, into the same sink: its pages and its feeds,
    // calendars, tags and search under its prefix.
    for other in &others {
        match Renderer::new(other) {
            Ok(r) => {
                let d = PreparedData::new(other, other.audience, opts.now);
                let p = Prepared::new(other, &d);
                let (mut e, a): (Vec<Diagnostic>, Result<Vec<Diagnostic>, Diagnostic>) =
                    rayon::join(
                        || {
                            p.jobs()
                                .par_iter()
                                .filter_map(|job| {
                                    match render_job(other, &r, &p, job) {
                                        Ok(Some(artifact)) => put(artifact),
                                        Ok(None) => Ok(()),
                                        Err(d) => Err(d),
                                    }
                                    .err()
                                })
                                .collect()
                        },
                        || self::artifacts(other, d.event_times(other), &put),
                    );
                match a {
                    Ok(w) => warnings.extend(w),
                    Err(d) => e.push(d),
                }
                errors.extend(e);
            }
            Err(e) => errors.extend(e),
        }
    }
    if !errors.is_empty() {
        crate::diagnostics::sort(&mut errors);
        // Many pages share a template: one error per template line is enough.
        errors.dedup_by(|a, b| {
            a.code == b.code && a.file == b.file && a.line == b.line && a.message == b.message
        });
        return Err(errors);
    }
    let (mut generated, mut footprint) = generated.into_inner().unwrap_or_else(|e| e.into_inner());
    generated.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut copies = copies(site_dir, &site, &renderer);
    // Another language's files are its source's (the same path), unless
    // only it has them; a file both have is served at the stricter tier.
    for other in &others {
        for f in other.files.values() {
            if !other.tiers.is_written(other.audience, f.tier) {
                continue;
            }
            match copies.get_mut(&f.path) {
                Some((_, t)) => *t = site.tiers.higher(*t, f.tier),
                None => {
                    copies.insert(f.path.clone(), (Asset::Disk(f.src.clone()), f.tier));
                }
            }
        }
    }
    copies.retain(|path, _| {
        generated
            .binary_search_by(|g| g.0.as_str().cmp(path))
            .is_err()
    });
    let mut files = generated.len();
    let record = Record::new(
        generated
            .into_iter()
            .chain(copies.iter().map(|(p, (_, t))| (p.clone(), *t))),
    );
    clock.lap("record");
    if let Some(w) = outputs::hosts::unenforced(&site) {
        warnings.push(w);
    }
    // Links by a path from the site's root can only be checked now that
    // every path the build writes is known (feeds, calendars, theme files);
    // the access manifest and the host's rules (not themselves part of the
    // record) are made from the record beside them.
    let (mut broken, host_files) = rayon::join(
        || {
            let mut broken = content::check_site_links(&site, &|p| record.contains(p));
            for other in &others {
                broken.extend(content::check_site_links(other, &|p| record.contains(p)));
            }
            broken
        },
        || outputs::hosts::files(&site, &record),
    );
    if !broken.is_empty() {
        // With the load's warnings: `check` reports every problem at once.
        broken.append(&mut warnings);
        return Err(broken);
    }
    let host_files = host_files.map_err(|d| vec![d])?;
    for mut artifact in host_files {
        if let Some((asset, _)) = copies.remove(&artifact.path) {
            artifact.bytes = with_own_rules(&artifact, &asset).map_err(|d| vec![d])?;
        }
        files += 1;
        footprint.add(&artifact.path, artifact.bytes.len() as u64);
        sink.put(artifact).map_err(|d| vec![d])?;
    }
    clock.lap("host rules");
    for (path, (asset, _)) in &copies {
        footprint.add(path, asset_size(asset));
    }
    warnings.extend(outputs::deploy::check(&site, &footprint));
    clock.lap("footprint");
    // Freeing every prepared card and page value takes tens of milliseconds
    // on a large site: a thread does it while the files are copied and the
    // folder swapped in (a process that exits meanwhile leaves it to the OS).
    std::thread::spawn(move || drop((jobs, data, renderer)));
    crate::diagnostics::sort(&mut warnings);
    Ok(Produced {
        site,
        generated: files,
        copies,
        record,
        footprint,
        warnings,
        translations,
        languages: others
            .iter()
            .map(|o| (o.lang.tag.clone(), o.pages.len(), o.sections.len()))
            .collect(),
    })
}

/// The size of a file copied as it is (0 when it cannot be read: the copy
/// itself then fails and says why).
fn asset_size(asset: &Asset) -> u64 {
    match asset {
        Asset::Embedded(bytes) => bytes.len() as u64,
        Asset::Disk(p) => std::fs::metadata(p).map(|m| m.len()).unwrap_or(0),
    }
}

/// A host rule file that the site's own `static/` also has: Netlify's
/// `_redirects` and `_headers` are kept, after Hearth's (the first matching
/// rule wins, so the gated paths stay gated); any other file would replace
/// what gates the site, so the build stops.
fn with_own_rules(hearth: &Artifact, own: &Asset) -> Result<Vec<u8>, Diagnostic> {
    let refuse = || {
        Diagnostic::error(
            format!("static{}", hearth.path),
            codes::HOST_RULE,
            format!(
                "static{} would replace the file that gates this site's tiers",
                hearth.path
            ),
        )
        .with_help("remove it from static/; Hearth writes it from [deploy] in hearth.toml")
    };
    if !matches!(hearth.path.as_str(), "/_redirects" | "/_headers") {
        return Err(refuse());
    }
    let own = match own {
        Asset::Embedded(b) => b.to_vec(),
        Asset::Disk(p) => std::fs::read(p).map_err(|e| {
            Diagnostic::error(
                format!("static{}", hearth.path),
                codes::IO,
                format!("cannot read static{}: {e}", hearth.path),
            )
            .with_help("check the file's permissions")
        })?,
    };
    let mut bytes = hearth.bytes.clone();
    bytes.extend_from_slice(
        format!("\n# The site's own static{} follows.\n", hearth.path).as_bytes(),
    );
    bytes.extend_from_slice(&own);
    Ok(bytes)
}

/// Renders one job: its file and who may fetch it, `None` when it writes
/// nothing for the build's audience.
pub fn render_job(
    site: &Site,
    renderer: &Renderer,
    prepared: &Prepared,
    job: &Job,
) -> Result<Option<Artifact>, Diagnostic> {
    let Some(crate::render::JobContext {
        out,
        tier,
        template,
        ctx,
        source,
    }) = prepared.context(job)
    else {
        return Ok(None);
    };
    let template = if renderer.has(&template) {
        template
    } else {
        match fallback_template(&template) {
            Some(f) if renderer.has(f) => f.to_string(),
            _ => {
                return Err(Diagnostic::error(
                    source,
                    codes::TEMPLATE_MISSING,
                    format!("template `{template}` does not exist"),
                )
                .with_help(
                    "add it to templates/, or remove `template` from the front matter to use the kind's own",
                ));
            }
        }
    };
    let started = std::time::Instant::now();
    let html = renderer.render(&template, &ctx)?;
    let took = started.elapsed();
    template_times::add(&template, took, html.len());
    check_limits(&site.config.build, &source, &out, html.len(), took)?;
    Ok(Some(Artifact::new(out, html, tier)))
}

pub use crate::outputs::Emit;

/// Time spent in each template (with `HEARTH_TIMINGS`): which layout a
/// theme change should look at first.
mod template_times {
    use std::collections::BTreeMap;
    use std::sync::Mutex;

    use crate::timings::enabled as on;
    use std::time::Duration;

    /// Pages, time and bytes per template.
    static TIMES: Mutex<BTreeMap<String, (usize, Duration, usize)>> = Mutex::new(BTreeMap::new());

    pub(super) fn add(template: &str, took: Duration, bytes: usize) {
        if on() {
            let mut times = TIMES.lock().unwrap_or_else(|e| e.into_inner());
            let t = times.entry(template.to_string()).or_default();
            t.0 += 1;
            t.1 += took;
            t.2 += bytes;
        }
    }

    pub(super) fn report() {
        if !on() {
            return;
        }
        for (name, (n, took, bytes)) in TIMES.lock().unwrap_or_else(|e| e.into_inner()).iter() {
            eprintln!(
                "hearth:   {name:<24} {n:>6} × {:>7.1} µs = {:>7.1} ms, {:>6} bytes each",
                took.as_secs_f64() * 1e6 / *n as f64,
                took.as_secs_f64() * 1e3,
                bytes / n
            );
        }
    }
}

/// Every site-wide file of the build besides the pages: syntax CSS,
/// calendars, feeds, sitemap, robots.txt, thumbnails, and the search
/// bundles, each with its tier. The search bundles are made beside the
/// rest, and every file goes to `emit` as it is made rather than in one
/// list at the end. (The access manifest and host rules come after
/// everything, from the record of what was written.) Returns the warnings
/// of what was made (a calendar feed past its budget).
pub fn artifacts(
    site: &Site,
    events: &[crate::render::EventWhen],
    emit: &Emit,
) -> Result<Vec<Diagnostic>, Diagnostic> {
    let audience = site.audience;
    let (rest, search) = rayon::join(
        || -> Result<Vec<Diagnostic>, Diagnostic> {
            let warnings = outputs::calendars::calendars_into(site, audience, events, emit)?;
            let mut made: Vec<Artifact> = Vec::new();
            made.extend(outputs::feeds::atom_feeds(site, audience));
            made.extend(outputs::sitemap(site, audience));
            // Once for the whole site, with the default language.
            if site.lang.default {
                made.push(outputs::syntax_css(site)?);
                made.push(outputs::robots(site));
                made.extend(outputs::favicons(site));
            }
            for (path, (bytes, tier)) in &site.thumbs {
                if site.tiers.is_written(audience, *tier) {
                    made.push(Artifact::new(path.clone(), bytes.clone(), *tier));
                }
            }
            made.into_par_iter().try_for_each(emit)?;
            Ok(warnings)
        },
        || crate::search::bundles_into(site, audience, emit),
    );
    let warnings = rest?;
    search?;
    Ok(warnings)
}

/// Files published as they are: the theme's static files, the site's
/// `static/` (which wins over the theme's), and files beside pages that
/// the build's audience may read. Generated files of the same path win
/// over these; the caller drops them.
pub fn copies(site_dir: &Path, site: &Site, renderer: &Renderer) -> Copies {
    let mut copies = Copies::new();
    // Theme and site static files are public by definition: `static/` is
    // for what everyone may fetch (docs/configuration.md).
    for (rel, asset) in &renderer.theme_static {
        copies.insert(format!("/{rel}"), (asset.clone(), Tier::PUBLIC));
    }
    for rel in &site.static_files {
        copies.insert(
            format!("/{rel}"),
            (
                Asset::Disk(
                    site.config
                        .own_root(site_dir)
                        .join(content::STATIC_DIR)
                        .join(rel),
                ),
                Tier::PUBLIC,
            ),
        );
    }
    for f in site.files.values() {
        if site.tiers.is_written(site.audience, f.tier) {
            copies.insert(f.path.clone(), (Asset::Disk(f.src.clone()), f.tier));
        }
    }
    copies
}

/// Fails a page that grew past the size limit or took longer than the
/// render budget (`[build] max_page_mb`, `render_budget_secs`).
fn check_limits(
    limits: &crate::config::BuildConfig,
    source: &str,
    out: &str,
    bytes: usize,
    took: std::time::Duration,
) -> Result<(), Diagnostic> {
    let max = limits.max_page_mb.saturating_mul(1024 * 1024);
    if bytes as u64 > max {
        return Err(Diagnostic::error(
            source,
            codes::RESOURCE_LIMIT,
            format!(
                "{out} would be {} MB, over the limit of {} MB",
                bytes / (1024 * 1024),
                limits.max_page_mb
            ),
        )
        .with_help(
            "split the page, check its template for a runaway loop, or raise [build] max_page_mb",
        ));
    }
    if took.as_secs() >= limits.render_budget_secs {
        return Err(Diagnostic::error(
            source,
            codes::RESOURCE_LIMIT,
            format!(
                "{out} took {} s to render, over the budget of {} s",
                took.as_secs(),
                limits.render_budget_secs
            ),
        )
        .with_help("simplify the page or its template, or raise [build] render_budget_secs"));
    }
    Ok(())
}

/// The built-in template a kind's own template falls back to when a theme
/// lacks it (`events.html` → `section.html`, `event.html` → `page.html`).
pub fn fallback_template(name: &str) -> Option<&'static str> {
    match name {
        "index.html" | "events.html" | "activities.html" | "members.html" | "chapters.html" => {
            Some("section.html")
        }
        "mission.html" | "values.html" | "rules.html" | "faq.html" | "event.html"
        | "activity.html" | "member.html" | "chapter.html" => Some("page.html"),
        _ => None,
    }
}

/// Why an output folder was refused.
pub fn check_output_dir(site_dir: &Path, out: &Path) -> Result<(), Diagnostic> {
    let refuse = |msg: String| {
        Err(Diagnostic::error("", codes::OUTPUT_REFUSED, msg).with_help(
            "choose an output folder that holds only generated files, e.g. public/ (the default)",
        ))
    };
    let site = absolute(site_dir);
    let out_abs = absolute(out);
    if out_abs == site {
        return refuse(format!(
            "refusing to write the site into its own folder {}",
            out.display()
        ));
    }
    if site.starts_with(&out_abs) {
        return refuse(format!(
            "refusing to replace {}: it contains the site folder",
            out.display()
        ));
    }
    for source in [
        crate::content::CONTENT_DIR,
        crate::content::STATIC_DIR,
        "templates",
        "themes",
    ] {
        if out_abs.starts_with(site.join(source)) {
            return refuse(format!(
                "refusing to write into the site's {source}/ folder ({})",
                out.display()
            ));
        }
    }
    if out_abs.parent().is_none() {
        return refuse("refusing to write to the file-system root".into());
    }
    if out_abs.is_dir() {
        for marker in ["content", crate::config::FILE, ".git"] {
            if out_abs.join(marker).exists() {
                return refuse(format!(
                    "refusing to replace {}: it holds `{marker}`, so it looks like a source folder, not a built site",
                    out.display()
                ));
            }
        }
    } else if out_abs.exists() {
        return refuse(format!("{} exists and is not a folder", out.display()));
    }
    Ok(())
}

/// An absolute, normalised path (without requiring it to exist).
fn absolute(p: &Path) -> PathBuf {
    let base = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    if let Ok(c) = std::fs::canonicalize(&base) {
        return c;
    }
    // Canonicalise the deepest existing ancestor, then append the rest.
    let mut tail = Vec::new();
    let mut cur = base.as_path();
    while !cur.exists() {
        match (cur.parent(), cur.file_name()) {
            (Some(parent), Some(name)) => {
                tail.push(name.to_os_string());
                cur = parent;
            }
            _ => break,
        }
    }
    let mut out = std::fs::canonicalize(cur).unwrap_or_else(|_| cur.to_path_buf());
    for t in tail.into_iter().rev() {
        if t == ".." {
            out.pop();
        } else if t != "." {
            out.push(t);
        }
    }
    out
}

const STAGING_TAG: &str = ".hearth-staging-";
const OLD_TAG: &str = ".hearth-old-";

/// A folder beside the output that a build writes into, swapped into place
/// by [`Staging::finish`]; dropped unfinished (an error), it is removed and
/// the previous site stays as it was.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    /// Folders made so far, so each file costs one `create` and no `mkdir -p`.
    made: std::sync::Mutex<rustc_hash::FxHashSet<PathBuf>>,
    done: bool,
}

fn io_err(what: &str, p: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::error("", codes::IO, format!("{what} {}: {e}", p.display()))
        .with_help("check that the output folder's parent is writable and the disk is not full")
}

impl Staging {
    /// Makes an empty staging folder beside `out`, after clearing what a
    /// killed build left there.
    pub fn create(out: &Path) -> Result<Staging, Diagnostic> {
        let out = absolute(out);
        let parent = out
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        std::fs::create_dir_all(&parent).map_err(|e| io_err("cannot create", &parent, e))?;
        clean_leftovers(&parent, &name);
        let dir = parent.join(format!(".{name}{STAGING_TAG}{}", std::process::id()));
        if dir.exists() {
            let _ = std::fs::remove_dir_all(&dir);
        }
        std::fs::create_dir(&dir).map_err(|e| io_err("cannot create", &dir, e))?;
        let mut made = rustc_hash::FxHashSet::default();
        made.insert(dir.clone());
        Ok(Staging {
            out,
            dir,
            made: std::sync::Mutex::new(made),
            done: false,
        })
    }

    /// The file a site path goes to (`..` and empty segments dropped).
    fn target(&self, site_path: &str) -> PathBuf {
        let mut p = self.dir.clone();
        for seg in site_path
            .split('/')
            .filter(|s| !s.is_empty() && *s != "." && *s != "..")
        {
            p.push(seg);
        }
        p
    }

    fn make_parent(&self, file: &Path) -> Result<(), Diagnostic> {
        let Some(dir) = file.parent() else {
            return Ok(());
        };
        if self
            .made
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(dir)
        {
            return Ok(());
        }
        std::fs::create_dir_all(dir).map_err(|e| io_err("cannot create", dir, e))?;
        self.made
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(dir.to_path_buf());
        Ok(())
    }

    /// Copies the assets in parallel.
    pub fn copy(&self, copies: &Copies) -> Result<(), Diagnostic> {
        copies.par_iter().try_for_each(|(path, (asset, _))| {
            let t = self.target(path);
            self.make_parent(&t)?;
            match asset {
                Asset::Embedded(bytes) => {
                    std::fs::write(&t, bytes).map_err(|e| io_err("cannot write", &t, e))
                }
                Asset::Disk(src) => std::fs::copy(src, &t)
                    .map(|_| ())
                    .map_err(|e| io_err("cannot copy", src, e)),
            }
        })
    }

    /// Swaps the finished folder into place (the previous site moves aside
    /// and is removed after; a failed swap puts it back).
    pub fn finish(mut self) -> Result<(), Diagnostic> {
        // Test failpoint: hold the finished staging folder for a while so a test
        // can kill the process at the worst moment (see tests/robustness.rs).
        if let Some(ms) = std::env::var("HEARTH_FAILPOINT_BEFORE_SWAP_MS")
            .ok()
            .and_then(|v| v.parse().ok())
        {
            std::thread::sleep(std::time::Duration::from_millis(ms));
        }
        let (out, staging) = (&self.out, &self.dir);
        if out.exists() {
            let parent = out.parent().unwrap_or(Path::new("."));
            let name = out.file_name().unwrap_or_default().to_string_lossy();
            let old = parent.join(format!(".{name}{OLD_TAG}{}", std::process::id()));
            std::fs::rename(out, &old).map_err(|e| io_err("cannot move aside", out, e))?;
            if let Err(e) = std::fs::rename(staging, out) {
                // Put the previous site back.
                let _ = std::fs::rename(&old, out);
                return Err(io_err("cannot move into place", out, e));
            }
            self.done = true;
            remove_tree(&old);
        } else {
            std::fs::rename(staging, out).map_err(|e| io_err("cannot move into place", out, e))?;
            self.done = true;
        }
        Ok(())
    }
}

impl Sink for Staging {
    fn put(&self, artifact: Artifact) -> Result<(), Diagnostic> {
        let t = self.target(&artifact.path);
        self.make_parent(&t)?;
        std::fs::write(&t, artifact.bytes).map_err(|e| io_err("cannot write", &t, e))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Writes an in-memory `output` to `out` via a staging folder and an atomic swap.
pub fn commit(output: &Output, out: &Path) -> Result<(), Diagnostic> {
    let staging = Staging::create(out)?;
    // Tiers were recorded when the files were made; the staging folder
    // only needs paths and bytes.
    output
        .files
        .par_iter()
        .try_for_each(|(path, bytes)| staging.put(Artifact::public(path.clone(), bytes.clone())))?;
    staging.copy(&output.copies)?;
    staging.finish()
}

/// Removes a folder of generated files from both cores. Each folder's
/// files are unlinked and its subfolders removed in parallel, then the
/// folder itself: no walk of the whole tree first and no serial pass of
/// `rmdir` after (replacing a 100,000-page site's output took 2.1 s that
/// way, a seventh of the rebuild). Symbolic links are unlinked, never
/// followed.
fn remove_tree(dir: &Path) {
    remove_dir_parallel(dir);
    // Whatever that missed (the tree changed meanwhile, or a folder could
    // not be read).
    if dir.exists() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

fn remove_dir_parallel(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut subdirs = Vec::new();
    for e in entries.flatten() {
        // `file_type` does not follow links: a link to a folder is a file here.
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            subdirs.push(e.path());
        } else {
            let _ = std::fs::remove_file(e.path());
        }
    }
    subdirs.par_iter().for_each(|d| remove_dir_parallel(d));
    let _ = std::fs::remove_dir(dir);
}

/// Removes staging and old folders that a killed build left beside the target.
fn clean_leftovers(parent: &Path, name: &str) {
    let Ok(rd) = std::fs::read_dir(parent) else {
        return;
    };
    let staging = format!(".{name}{STAGING_TAG}");
    let old = format!(".{name}{OLD_TAG}");
    for e in rd.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        let tail = n.strip_prefix(&staging).or_else(|| n.strip_prefix(&old));
        if let Some(pid) = tail
            && pid.chars().all(|c| c.is_ascii_digit())
            && e.path().is_dir()
        {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// "Now" from `--now`, else `SOURCE_DATE_EPOCH`, else the clock.
pub fn resolve_now(flag: Option<&str>) -> Result<jiff::Timestamp, String> {
    if let Some(s) = flag {
        return s.parse::<jiff::Timestamp>().map_err(|e| {
            format!("--now `{s}` is not an RFC 3339 time such as 2026-11-23T12:00:00Z ({e})")
        });
    }
    if let Ok(s) = std::env::var("SOURCE_DATE_EPOCH") {
        let secs: i64 = s
            .trim()
            .parse()
            .map_err(|_| format!("SOURCE_DATE_EPOCH `{s}` is not a number of seconds"))?;
        return jiff::Timestamp::from_second(secs).map_err(|e| format!("SOURCE_DATE_EPOCH: {e}"));
    }
    Ok(jiff::Timestamp::now())
}
