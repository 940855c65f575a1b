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
use crate::outputs;
use crate::render::{Asset, Prepared, Renderer};
use crate::tiers::Audience;

/// Options of one build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// What to load.
    pub load: LoadOptions,
    /// "Now", for upcoming/past views and `hearth.now`.
    pub now: jiff::Timestamp,
}

/// What a build produced, before it is written anywhere.
pub struct Output {
    /// Generated files by site path (`/events/x/index.html`).
    pub files: BTreeMap<String, Vec<u8>>,
    /// Files copied as they are: site path → source.
    pub copies: BTreeMap<String, Asset>,
    /// Warnings found on the way.
    pub warnings: Vec<Diagnostic>,
}

/// Loads and renders the site in memory; writes nothing.
pub fn run(site_dir: &Path, opts: &BuildOptions) -> Result<(Site, Output), Vec<Diagnostic>> {
    let (site, mut warnings) = content::load(site_dir, &opts.load)?;
    let audience = site.audience;
    let renderer = Renderer::new(&site)?;
    let prepared = Prepared::new(&site, audience, opts.now);
    let jobs = prepared.jobs();
    type Rendered = Result<Option<(String, Vec<u8>)>, Diagnostic>;
    let results: Vec<Rendered> = jobs
        .par_iter()
        .map(|job| {
            let Some((out, template, ctx, source)) = prepared.context(job) else {
                return Ok(None);
            };
            let template = if renderer.has(&template) {
                template
            } else {
                match fallback_template(&template) {
                    Some(f) if renderer.has(f) => f.to_string(),
                    _ => {
                        return Err(Diagnostic::error(source, codes::TEMPLATE_MISSING, format!("template `{template}` does not exist"))
                            .with_help("add it to templates/, or remove `template` from the front matter to use the kind's own"));
                    }
                }
            };
            let started = std::time::Instant::now();
            let html = renderer.render(&template, &ctx)?;
            check_limits(&site.config.build, &source, &out, html.len(), started.elapsed())?;
            Ok(Some((out, html.into_bytes())))
        })
        .collect();
    let mut files = BTreeMap::new();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(Some((path, bytes))) => {
                files.insert(path, bytes);
            }
            Ok(None) => {}
            Err(d) => errors.push(d),
        }
    }
    match outputs::syntax_css(&site) {
        Ok((p, b)) => {
            files.insert(p, b);
        }
        Err(d) => errors.push(d),
    }
    if !errors.is_empty() {
        crate::diagnostics::sort(&mut errors);
        // Many pages share a template: one error per template line is enough.
        errors.dedup_by(|a, b| {
            a.code == b.code && a.file == b.file && a.line == b.line && a.message == b.message
        });
        return Err(errors);
    }
    for ((p, b), _) in outputs::calendars::calendars(&site, audience) {
        files.insert(p, b);
    }
    for ((p, b), _) in outputs::feeds::atom_feeds(&site, audience) {
        files.insert(p, b);
    }
    for ((p, b), _) in crate::search::bundles(&site, audience) {
        files.insert(p, b);
    }
    for (p, b) in outputs::sitemap(&site, audience) {
        files.insert(p, b);
    }
    let (p, b) = outputs::robots(&site);
    files.insert(p, b);
    if matches!(audience, Audience::Edge) {
        let (p, b) = outputs::access_manifest(&site, audience);
        files.insert(p, b);
        files.extend(outputs::host_rules(&site, audience));
    }

    let mut copies: BTreeMap<String, Asset> = BTreeMap::new();
    for (rel, asset) in &renderer.theme_static {
        copies.insert(format!("/{rel}"), asset.clone());
    }
    for rel in &site.static_files {
        copies.insert(
            format!("/{rel}"),
            Asset::Disk(site_dir.join(content::STATIC_DIR).join(rel)),
        );
    }
    for f in site.files.values() {
        if site.tiers.is_written(audience, f.tier) {
            copies.insert(f.path.clone(), Asset::Disk(f.src.clone()));
        }
    }
    for (path, (bytes, tier)) in &site.thumbs {
        if site.tiers.is_written(audience, *tier) {
            files.insert(path.clone(), bytes.clone());
        }
    }
    // The site's own static files win over generated ones of the same name
    // (a hand-written robots.txt); generated files win over the theme's.
    for rel in &site.static_files {
        files.remove(&format!("/{rel}"));
    }
    copies.retain(|path, _| !files.contains_key(path));
    crate::diagnostics::sort(&mut warnings);
    Ok((
        site,
        Output {
            files,
            copies,
            warnings,
        },
    ))
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

fn fallback_template(name: &str) -> Option<&'static str> {
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

/// Writes `output` to `out` via a staging folder and an atomic swap.
pub fn commit(output: &Output, out: &Path) -> Result<(), Diagnostic> {
    let io_err = |what: &str, p: &Path, e: std::io::Error| {
        Diagnostic::error("", codes::IO, format!("{what} {}: {e}", p.display()))
            .with_help("check that the output folder's parent is writable and the disk is not full")
    };
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
    let staging = parent.join(format!(".{name}{STAGING_TAG}{}", std::process::id()));
    if staging.exists() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    std::fs::create_dir(&staging).map_err(|e| io_err("cannot create", &staging, e))?;
    let result = write_tree(output, &staging);
    if let Err((p, e)) = result {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(io_err("cannot write", &p, e));
    }
    // Test failpoint: hold the finished staging folder for a while so a test
    // can kill the process at the worst moment (see tests/robustness.rs).
    if let Some(ms) = std::env::var("HEARTH_FAILPOINT_BEFORE_SWAP_MS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
    if out.exists() {
        let old = parent.join(format!(".{name}{OLD_TAG}{}", std::process::id()));
        if let Err(e) = std::fs::rename(&out, &old) {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(io_err("cannot move aside", &out, e));
        }
        if let Err(e) = std::fs::rename(&staging, &out) {
            // Put the previous site back.
            let _ = std::fs::rename(&old, &out);
            let _ = std::fs::remove_dir_all(&staging);
            return Err(io_err("cannot move into place", &out, e));
        }
        let _ = std::fs::remove_dir_all(&old);
    } else if let Err(e) = std::fs::rename(&staging, &out) {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(io_err("cannot move into place", &out, e));
    }
    Ok(())
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

fn write_tree(output: &Output, root: &Path) -> Result<(), (PathBuf, std::io::Error)> {
    let target = |site_path: &str| -> PathBuf {
        let mut p = root.to_path_buf();
        for seg in site_path
            .split('/')
            .filter(|s| !s.is_empty() && *s != "." && *s != "..")
        {
            p.push(seg);
        }
        p
    };
    let mut dirs: Vec<PathBuf> = output
        .files
        .keys()
        .chain(output.copies.keys())
        .filter_map(|k| target(k).parent().map(Path::to_path_buf))
        .collect();
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        std::fs::create_dir_all(d).map_err(|e| (d.clone(), e))?;
    }
    output.files.par_iter().try_for_each(|(path, bytes)| {
        let t = target(path);
        std::fs::write(&t, bytes).map_err(|e| (t, e))
    })?;
    output.copies.par_iter().try_for_each(|(path, asset)| {
        let t = target(path);
        match asset {
            Asset::Embedded(bytes) => std::fs::write(&t, bytes).map_err(|e| (t, e)),
            Asset::Disk(src) => std::fs::copy(src, &t)
                .map(|_| ())
                .map_err(|e| (src.clone(), e)),
        }
    })?;
    Ok(())
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
