//! `serve`'s shortcut: edited pages replaced in a loaded site.
//!
//! Saving a page should cost that page, not the site, but the preview must
//! still be exactly what a fresh load gives. So a patch rebuilds the edited
//! pages with the same functions as a load, runs every cross-file check
//! again, and answers [`Patched::Reload`] whenever it cannot promise that.

use std::collections::{BTreeSet, HashMap};

use super::model::{Item, Page, Site};
use super::{LoadOptions, markdown_diags, markdown_of, page, site_checks, walk};
use crate::diagnostics::Diagnostic;

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
/// fresh [`super::load`] would, or answers [`Patched::Reload`] when it cannot
/// promise that: a new, deleted or renamed page, a section's `_index.md`, a
/// change of a page's URL, kind, tier, aliases or draft state.
pub fn patch(site: &mut Site, rels: &[String], opts: &LoadOptions) -> Patched {
    if site.repo.is_some() {
        // A repository's page decides which files are published and may
        // retitle its folder: a fresh load is the only promise.
        return Patched::Reload;
    }
    // A plugin answers for the whole site, and a page a data record made
    // or extended is more than its file: reading one file again cannot
    // promise what a load gives, so those are loaded again.
    if !site.config.plugins.is_empty() || rels.iter().any(|r| site.from_data.contains(r)) {
        return Patched::Reload;
    }
    let content = site.config.content_root(&site.root);
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
        let (raw, mut d) = walk::read_markdown(&content, rel, &site.config.source_file(rel));
        let bundle = old
            .bundle
            .as_ref()
            .map(|(_, files)| (rel.trim_end_matches("/index.md").to_string(), files.clone()));
        let ctx = page::PageContext {
            root: &site.root,
            config: &site.config,
            tiers: &site.tiers,
            sections: &site.sections,
            section_by_dir: &section_by_dir,
            drafts: opts.drafts,
        };
        let page = page::build_page(&ctx, raw, bundle.as_ref(), &mut d);
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
    let diags = site_checks(site, opts.images.as_deref());
    if diags.iter().any(Diagnostic::is_error) {
        // Put the site back as it was: the preview keeps the last good one.
        for (i, page) in old_pages {
            site.pages[i] = page;
        }
        site.local_diags = previous_local;
        site_checks(site, opts.images.as_deref());
        return Patched::Failed(diags);
    }
    Patched::Done(diags)
}
