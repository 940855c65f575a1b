//! `serve`'s shortcut: edited pages replaced in a loaded site.
//!
//! Saving a page should cost that page, not the site, but the preview must
//! still be exactly what a fresh load gives. So a patch rebuilds the edited
//! pages with the same functions as a load, runs each cross-file check
//! again over everything the edit can change (keeping the rest of the last
//! run's findings), and answers [`Patched::Reload`] whenever it cannot
//! promise that.

use std::collections::{BTreeSet, HashMap};

use super::model::{self, Item, KindData, Page, Site};
use super::{LoadOptions, checks, markdown_diags, markdown_of, media, page, site_checks, walk};
use crate::diagnostics::Diagnostic;

/// What [`patch`] did.
pub enum Patched {
    /// The pages were replaced in place.
    Done {
        /// Every diagnostic of the site (no errors).
        diags: Vec<Diagnostic>,
        /// The pages replaced, by index, as they were before: a caller that
        /// keeps indexes over the site compares them with the new ones to
        /// know which it must make again.
        replaced: Vec<(usize, Page)>,
    },
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
    let mut clock = crate::timings::Phases::start();
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
        if replaced.iter().any(|(j, _)| *j == i) {
            continue;
        }
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
    clock.lap("patch pages");
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
    let diags = recheck(site, &old_pages, opts.images.as_deref());
    clock.lap("patch checks");
    if diags.iter().any(Diagnostic::is_error) {
        // The whole site's checks say exactly what is wrong, as a load
        // would; then the site goes back as it was (the preview keeps the
        // last good one), its findings and order with it.
        let diags = site_checks(site, opts.images.as_deref());
        for (i, page) in old_pages {
            site.pages[i] = page;
        }
        site.local_diags = previous_local;
        site_checks(site, opts.images.as_deref());
        return Patched::Failed(diags);
    }
    Patched::Done {
        diags,
        replaced: old_pages,
    }
}

/// The cross-file checks after `replaced` pages (index, page as it was)
/// got new versions, giving what [`site_checks`] would: every diagnostic of
/// the site. A patch keeps each page's kind, slug, path, aliases, tier and
/// files, so what a check says about a page it did not replace changes
/// only through what that check reads of the replaced ones; each check is
/// run again over exactly that:
///
/// - output paths: claims are paths, aliases and files, all kept, so the
///   findings are kept (and the check runs again if it had any);
/// - links: the replaced pages' own links, and every link again when one
///   of them changed its anchors;
/// - references (ids and files named in front matter) and URLs: checked
///   per page against the ids of kinds and slugs, which are kept;
/// - images: measured again only when a replaced page names other images;
/// - order: a section is sorted again when a page of it changed its date,
///   weight or title.
fn recheck(
    site: &mut Site,
    replaced: &[(usize, Page)],
    images: Option<&crate::images::ProbeCache>,
) -> Vec<Diagnostic> {
    let mut checked = std::mem::take(&mut site.checked);
    if !checked.paths.is_empty() {
        checked.paths.clear();
        checks::check_output_paths(site, &mut checked.paths);
    }
    if replaced
        .iter()
        .any(|(i, old)| site.pages[*i].md.anchors != old.md.anchors)
    {
        checked.links = checks::check_links(site);
    } else {
        for (i, _) in replaced {
            let page = &site.pages[*i];
            let mut found = Vec::new();
            checks::check_links_of(site, &page.src, &page.md, &mut found);
            checks::replace_findings(&mut checked.links, *i, found);
        }
    }
    let mut known = None;
    for (i, _) in replaced {
        let page = &site.pages[*i];
        let mut found = Vec::new();
        if !matches!(page.data, KindData::None) {
            known
                .get_or_insert_with(|| checks::Known::new(site))
                .check(site, page, &mut found);
        }
        checks::replace_findings(&mut checked.references, *i, found);
        let mut found = Vec::new();
        checks::check_urls_of(page, &mut found);
        checks::replace_findings(&mut checked.urls, *i, found);
    }
    if replaced
        .iter()
        .any(|(i, old)| media::image_names(&site.pages[*i]) != media::image_names(old))
    {
        site.images.clear();
        site.thumbs.clear();
        checked.images.clear();
        media::process_images(site, images, &mut checked.images);
    }
    let resort: BTreeSet<usize> = replaced
        .iter()
        .filter(|(i, old)| site.pages[*i].order_fields() != old.order_fields())
        .map(|(i, _)| site.pages[*i].section)
        .collect();
    for s in resort {
        model::sort_section_pages(site, s);
    }
    site.checked = checked;
    site.local_diags
        .iter()
        .chain(site.checked.all())
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::codes;

    /// What a diagnostic says and where, to compare two runs.
    fn said(diags: &[Diagnostic]) -> Vec<String> {
        let mut out: Vec<String> = diags
            .iter()
            .map(|d| format!("{} {} {}", d.code, d.file, d.message))
            .collect();
        out.sort();
        out
    }

    /// A patch's diagnostics and page order are a fresh load's, edit after
    /// edit, where the checks it keeps from the last run have findings: a
    /// photo without alt text (a reference warning), one that is not an
    /// image (an image warning) and a page with no title.
    #[test]
    fn a_patch_reports_and_orders_what_a_fresh_load_does() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |rel: &str, text: &str| {
            let p = root.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        write(
            "hearth.toml",
            "title = \"T\"\nbase_url = \"https://t.example\"\n",
        );
        write("content/_index.md", "+++\ntitle = \"Home\"\n+++\n");
        write(
            "content/activities/2026-01-01-a/index.md",
            "+++\ntitle = \"A\"\nphotos = [{ file = \"p.jpg\" }]\n+++\nA.\n",
        );
        write("content/activities/2026-01-01-a/p.jpg", "not a JPEG");
        write(
            "content/activities/2026-02-01-b.md",
            "+++\ntitle = \"B\"\n+++\nB.\n",
        );
        write("content/c.md", "No title here.\n");
        let opts = LoadOptions::default();
        let (mut site, first) = super::super::load(root, &opts).unwrap();
        let codes_of = |d: &[Diagnostic]| d.iter().map(|d| d.code).collect::<Vec<_>>();
        for code in [codes::MISSING_ALT, codes::MISSING_FILE, codes::NO_TITLE] {
            assert!(codes_of(&first).contains(&code), "{first:?}");
        }
        let edits = [
            (
                "activities/2026-02-01-b.md",
                "+++\ntitle = \"B\"\n+++\nB, again.\n",
            ),
            // B becomes the older: the section's order changes.
            (
                "activities/2026-02-01-b.md",
                "+++\ntitle = \"B\"\ndate = 2025-12-01\n+++\nB.\n",
            ),
            (
                "activities/2026-01-01-a/index.md",
                "+++\ntitle = \"A\"\nphotos = [{ file = \"p.jpg\", alt = \"P\" }]\n+++\nA.\n",
            ),
            (
                "activities/2026-01-01-a/index.md",
                "+++\ntitle = \"A\"\n+++\nNo photos.\n",
            ),
            ("c.md", "+++\ntitle = \"C\"\n+++\nA title now.\n"),
        ];
        for (rel, text) in edits {
            write(&format!("content/{rel}"), text);
            let Patched::Done { diags, .. } = patch(&mut site, &[rel.to_string()], &opts) else {
                panic!("{rel} is patched");
            };
            let (fresh, fresh_diags) = super::super::load(root, &opts).unwrap();
            assert_eq!(said(&diags), said(&fresh_diags), "after {rel}");
            let order = |s: &Site| -> Vec<Vec<String>> {
                s.sections
                    .iter()
                    .map(|sec| {
                        sec.pages
                            .iter()
                            .map(|&p| s.pages[p].src.rel.clone())
                            .collect()
                    })
                    .collect()
            };
            assert_eq!(order(&site), order(&fresh), "after {rel}");
            assert_eq!(site.images.len(), fresh.images.len(), "after {rel}");
        }
    }
}
