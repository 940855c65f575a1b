//! The checks that need the whole site: two files writing one output, a
//! link to an anchor that does not exist, an id that names no member,
//! chapter, role or event, a file a page names that is not there, and a
//! URL in front matter that is not a link.
//!
//! They run after every page is built and indexed, and again after every
//! `serve` patch (a page edit can break a link in another page), so each
//! one reads only the model and costs a lookup per reference.

use super::STATIC_DIR;
use super::model::{Item, Kind, KindData, Page, Site, Source};
use super::paths;
use crate::diagnostics::{Diagnostic, Related, SourceText, codes, did_you_mean};
use crate::spanned::Spanned;

/// What each cross-file check found in its last run over the whole site,
/// kept in the site so that a `serve` patch can check again only what the
/// pages it replaced can change. The per-item checks keep the index of the
/// item each finding is about (a page, or for links `pages.len()` plus a
/// section's), in the order a whole run gives them.
#[derive(Debug, Default, Clone)]
pub(super) struct Checked {
    pub paths: Vec<Diagnostic>,
    pub links: Vec<(usize, Diagnostic)>,
    pub references: Vec<(usize, Diagnostic)>,
    pub urls: Vec<(usize, Diagnostic)>,
    pub images: Vec<Diagnostic>,
}

impl Checked {
    /// Every finding, in the order of a whole run (paths, links,
    /// references, URLs, images).
    pub fn all(&self) -> impl Iterator<Item = &Diagnostic> {
        self.paths
            .iter()
            .chain(self.links.iter().map(|(_, d)| d))
            .chain(self.references.iter().map(|(_, d)| d))
            .chain(self.urls.iter().map(|(_, d)| d))
            .chain(self.images.iter())
    }
}

/// Replaces item `at`'s findings in `list` (sorted by item) with `found`.
pub(super) fn replace_findings(
    list: &mut Vec<(usize, Diagnostic)>,
    at: usize,
    found: Vec<Diagnostic>,
) {
    let start = list.partition_point(|(i, _)| *i < at);
    let end = start + list[start..].partition_point(|(i, _)| *i == at);
    list.splice(start..end, found.into_iter().map(|d| (at, d)));
}

/// Runs `check` on each item of `items`, each finding tagged with its item.
pub(super) fn per_item<T>(
    items: impl Iterator<Item = T>,
    mut check: impl FnMut(T, &mut Vec<Diagnostic>),
) -> Vec<(usize, Diagnostic)> {
    let mut out = Vec::new();
    let mut found = Vec::new();
    for (i, item) in items.enumerate() {
        check(item, &mut found);
        out.extend(found.drain(..).map(|d| (i, d)));
    }
    out
}

/// Two sources for one output file is an error shown at both: where each
/// claims the path (its `slug` or alias line, else the top of the file).
/// Either file may be the one a pull request changes, and the reviewer
/// must see the problem on it (`--format github` annotates both files).
/// The main place is the one whose line makes the claim (a `slug` or an
/// alias usually is the change), else the later one.
pub(super) fn check_output_paths<'s>(site: &'s Site, diags: &mut Vec<Diagnostic>) {
    /// Who claims an output: the file, and the line that makes the path.
    struct Claim<'a> {
        who: std::borrow::Cow<'a, str>,
        why: Option<&'a Spanned<String>>,
    }
    // Where a claim is written: its line for content files, the file for
    // static ones.
    let place_of = |c: &Claim<'_>| -> Option<(SourceText<'_>, std::ops::Range<usize>)> {
        let page = site.pages.iter().find(|p| p.src.file == c.who)?;
        let span = c.why.map_or(0..0, |n| n.span.clone());
        Some((page.src.source_text(), span))
    };
    // Every page, section and file claims a path: at 100,000 pages a map
    // sized once, hashed cheaply, whose claims borrow the sources' names.
    let mut seen: rustc_hash::FxHashMap<String, Claim<'s>> = rustc_hash::FxHashMap::default();
    seen.reserve(
        site.pages.len() + site.sections.len() + site.files.len() + site.static_files.len(),
    );
    let mut claim = |out: String, now: Claim<'s>, diags: &mut Vec<Diagnostic>| {
        let Some(first) = seen.get(&out) else {
            seen.insert(out, now);
            return;
        };
        if first.who == now.who {
            return;
        }
        let (main, other) = if first.why.is_some() && now.why.is_none() {
            (first, &now)
        } else {
            (&now, first)
        };
        let mut d = Diagnostic::error(
            main.who.as_ref(),
            codes::DUPLICATE_PATH,
            format!("writes {out}, which {} writes too", other.who),
        )
        .with_help("give one of them a different file name or `slug`");
        let mut related = Related::new(
            other.who.as_ref(),
            format!("writes {out}, which {} writes too", main.who),
        );
        match place_of(main) {
            Some((text, span)) => d = d.at(&text, span),
            None => d = d.at_line(0, 0),
        }
        if let Some((text, span)) = place_of(other) {
            related = related.at(&text, span);
        }
        diags.push(d.with_related(related));
    };
    for s in &site.sections {
        claim(
            format!("{}index.html", s.path),
            Claim {
                who: s.src.file.as_str().into(),
                why: None,
            },
            diags,
        );
    }
    for p in &site.pages {
        claim(
            format!("{}index.html", p.path),
            Claim {
                who: p.src.file.as_str().into(),
                why: p.fm.slug.as_ref(),
            },
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
            claim(
                out,
                Claim {
                    who: p.src.file.as_str().into(),
                    why: alias,
                },
                diags,
            );
        }
    }
    for (rel, f) in &site.files {
        claim(
            f.path.clone(),
            Claim {
                who: site.config.source_file(rel).into(),
                why: None,
            },
            diags,
        );
    }
    for f in &site.static_files {
        claim(
            format!("/{f}"),
            Claim {
                who: format!("{STATIC_DIR}/{f}").into(),
                why: None,
            },
            diags,
        );
    }
}

/// Checks every internal link's anchor against the target's anchors.
///
/// In repository mode a missing anchor is a warning (the repository's own
/// mistake, broken on GitHub too), and one that differs from an anchor
/// only in letter case is a warning of its own that names the right id:
/// GitHub finds it, browsers do not, and the site links to the right one
/// ([`super::repo::fix_anchor_case`]).
pub(super) fn check_links(site: &Site) -> Vec<(usize, Diagnostic)> {
    per_item(site.rendered(), |(src, md), d| {
        check_links_of(site, src, md, d)
    })
}

/// [`check_links`] for the links of one page or section, so that a patch
/// can check the pages it replaced alone.
pub(super) fn check_links_of(
    site: &Site,
    src: &Source,
    md: &crate::markdown::Rendered,
    diags: &mut Vec<Diagnostic>,
) {
    let repository = site.repo.is_some();
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
        let Some(anchors) = site.anchors_of(target) else {
            continue;
        };
        if anchors.iter().any(|a| a == anchor) {
            continue;
        }
        let text = text.get_or_insert_with(|| src.source_text());
        let span = src.body_span(link.span.clone());
        let shown = site.config.source_file(target);
        if repository && let Some(right) = case_only(anchor, anchors) {
            diags.push(
                Diagnostic::warning(
                    &src.file,
                    codes::ANCHOR_CASE,
                    format!(
                        "anchor `#{anchor}` differs from `#{right}` in {shown} only in letter case: GitHub finds it, browsers do not"
                    ),
                )
                .at(text, span)
                .with_help(format!("write `#{right}` (the site already links there)")),
            );
            continue;
        }
        let help = match did_you_mean(anchor, anchors.iter().map(String::as_str)) {
            Some(s) => format!("did you mean `#{s}`?"),
            None if anchors.is_empty() => {
                format!("{shown} has no headings to link to")
            }
            None => format!(
                "anchors in {shown}: {}",
                anchors
                    .iter()
                    .take(12)
                    .map(|a| format!("#{a}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let d = if repository {
            Diagnostic::warning(
                &src.file,
                codes::BROKEN_ANCHOR,
                format!(
                    "anchor `#{anchor}` does not exist in {shown}, so the link is broken on GitHub too"
                ),
            )
        } else {
            Diagnostic::error(
                &src.file,
                codes::BROKEN_ANCHOR,
                format!("anchor `#{anchor}` does not exist in {shown}"),
            )
        };
        diags.push(d.at(text, span).with_help(help));
    }
}

/// The anchor among `anchors` that `anchor` matches only when letter case
/// is ignored (`#Creation` for `#creation`).
pub(super) fn case_only<'a>(anchor: &str, anchors: &'a [String]) -> Option<&'a String> {
    let lower = anchor.to_lowercase();
    anchors.iter().find(|a| a.to_lowercase() == lower)
}

/// Checks every link and image written as a path from the site's root
/// (`![](/images/poster.png)`, `[表](/files/form.pdf)`, `[活动](/events/)`)
/// against what exists: `written` (the files this build wrote: pages,
/// feeds, calendars, static and theme files, page files) and the pages,
/// sections, aliases and files of the model at every tier (so a build for
/// one audience does not call a link to a gated page missing). A page's
/// URL matches with or without its trailing slash.
///
/// Run by the build once every file is written (`check` too, writing
/// nothing): only then is every generated path known.
pub fn check_site_links(site: &Site, written: &dyn Fn(&str) -> bool) -> Vec<Diagnostic> {
    let mut model: std::collections::HashSet<String> = std::collections::HashSet::new();
    for s in &site.sections {
        model.insert(format!("{}index.html", s.path));
    }
    for p in &site.pages {
        model.insert(format!("{}index.html", p.path));
        for a in &p.aliases {
            model.insert(if a.ends_with('/') {
                format!("{a}index.html")
            } else {
                a.clone()
            });
        }
    }
    model.extend(site.files.values().map(|f| f.path.clone()));
    model.extend(site.static_files.iter().map(|f| format!("/{f}")));
    let exists = |p: &str| {
        let page = if p.ends_with('/') {
            format!("{p}index.html")
        } else {
            format!("{p}/index.html")
        };
        [p, page.as_str()]
            .iter()
            .any(|q| written(q) || model.contains(*q))
    };
    let mut diags = Vec::new();
    for (src, md) in site.rendered() {
        let mut text: Option<SourceText<'_>> = None;
        for link in &md.site_links {
            if exists(&link.path) {
                continue;
            }
            let text = text.get_or_insert_with(|| src.source_text());
            let span = src.body_span(link.span.clone());
            let base = site.config.base_path();
            let shown = if link.prefixed {
                format!("{base}{}", link.path)
            } else {
                link.path.clone()
            };
            let last = link.path.rsplit('/').next().unwrap_or("");
            let file_like = link.image || last.contains('.');
            let near = nearest_site_path(site, &model, &link.path, file_like).map(|n| {
                if link.prefixed {
                    format!("{base}{n}")
                } else {
                    n
                }
            });
            let d = if file_like {
                let help = match near {
                    Some(n) => format!("did you mean `{n}`?"),
                    None => format!(
                        "a path from the site's root names a file in static/ (static{}) or beside a page; put the file there, or fix the path",
                        link.path
                    ),
                };
                Diagnostic::error(
                    &src.file,
                    codes::MISSING_FILE,
                    format!("`{shown}` does not exist"),
                )
                .with_help(help)
            } else {
                let help = match near {
                    Some(n) => format!("did you mean `{n}`?"),
                    None => "link to a page by its file instead, e.g. `@/events/_index.md` or `@/rules.md`: such links are checked and follow the page when it moves".into(),
                };
                Diagnostic::error(
                    &src.file,
                    codes::BROKEN_LINK,
                    format!("link to `{shown}`: no page or file at that path"),
                )
                .with_help(help)
            };
            diags.push(d.at(text, span));
        }
    }
    diags
}

/// The existing site path a broken one most likely meant: the same in
/// other letter case, else the nearest in spelling among files (for a
/// file) or page addresses (for a page).
fn nearest_site_path(
    site: &Site,
    model: &std::collections::HashSet<String>,
    path: &str,
    file_like: bool,
) -> Option<String> {
    let mut candidates: Vec<String> = if file_like {
        model
            .iter()
            .filter(|p| !p.ends_with("/index.html"))
            .cloned()
            .collect()
    } else {
        site.pages
            .iter()
            .map(|p| p.path.clone())
            .chain(site.sections.iter().map(|s| s.path.clone()))
            .collect()
    };
    candidates.sort();
    let wanted = if !file_like && !path.ends_with('/') {
        format!("{path}/")
    } else {
        path.to_string()
    };
    let lower = wanted.to_lowercase();
    if let Some(c) = candidates.iter().find(|c| c.to_lowercase() == lower) {
        return Some(c.clone());
    }
    did_you_mean(&wanted, candidates.iter().map(String::as_str)).map(str::to_string)
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
pub(super) fn check_references(site: &Site) -> Vec<(usize, Diagnostic)> {
    let known = Known::new(site);
    per_item(site.pages.iter(), |p, d| known.check(site, p, d))
}

/// The ids a page may name (members, chapters, roles), gathered once for
/// [`check_references`]: a page's references are then checked against
/// them alone, which is what lets a patch check only the pages it replaced
/// (a patch keeps every page's kind and slug, so the ids stay the same).
pub(super) struct Known<'a> {
    members: Ids<'a>,
    chapters: Ids<'a>,
    roles: Ids<'a>,
}

impl<'a> Known<'a> {
    /// The ids of `site`.
    pub(super) fn new(site: &'a Site) -> Known<'a> {
        // Another language's pages may name members and chapters whose pages
        // are only in the default language: their links go there.
        let with_fallback = |kind: Kind| {
            let mut ids = site.ids_of(kind);
            if let Some(fb) = &site.fallback {
                let more: Vec<&str> = fb
                    .ids
                    .keys()
                    .filter(|(k, id)| *k == kind && !ids.contains(&id.as_str()))
                    .map(|(_, id)| id.as_str())
                    .collect();
                ids.extend(more);
                ids.sort_unstable();
            }
            ids
        };
        Known {
            members: Ids::new(with_fallback(Kind::Member)),
            chapters: Ids::new(with_fallback(Kind::Chapter)),
            roles: Ids::new(site.config.roles.iter().map(|r| r.id.as_str()).collect()),
        }
    }

    /// [`check_references`] for one page.
    pub(super) fn check(&self, site: &Site, page: &Page, diags: &mut Vec<Diagnostic>) {
        let Known {
            members,
            chapters,
            roles,
        } = self;
        let src = page.src.source_text();
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
                        members,
                        codes::UNKNOWN_MEMBER,
                        "member",
                        member_fix,
                    ));
                }
                if let Some(c) = &e.chapter {
                    diags.extend(unknown(
                        c,
                        chapters,
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
                        members,
                        codes::UNKNOWN_MEMBER,
                        "member",
                        member_fix,
                    ));
                }
                if let Some(c) = &a.chapter {
                    diags.extend(unknown(
                        c,
                        chapters,
                        codes::UNKNOWN_CHAPTER,
                        "chapter",
                        chapter_fix,
                    ));
                }
                if let Some(ev) = &a.event {
                    let found = site.resolve_ref(&page.src, &ev.value);
                    if !matches!(found, Some(Item::Page(i)) if site.pages[i].kind == Kind::Event) {
                        let is_event = |rel: &String| matches!(site.by_source.get(rel), Some(Item::Page(i)) if site.pages[*i].kind == Kind::Event);
                        let help = match Site::ref_path(&page.src, &ev.value)
                        .filter(|_| found.is_none())
                        .and_then(|p| site.nearest_source(&p))
                        .filter(is_event)
                    {
                        Some(near) => format!("did you mean event = \"@/{near}\"?"),
                        None => "write the event's file path, e.g. event = \"@/events/reading-night.md\"".into(),
                    };
                        diags.push(
                            Diagnostic::error(
                                file,
                                codes::UNKNOWN_EVENT,
                                format!("`event` `{}` is not an event page", ev.value),
                            )
                            .at(&src, ev.span.clone())
                            .with_help(help),
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
                        roles,
                        codes::UNKNOWN_ROLE,
                        "role",
                        "declare it in [[roles]] in hearth.toml",
                    ));
                }
                if let Some(c) = &m.chapter {
                    diags.extend(unknown(
                        c,
                        chapters,
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
                        members,
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
pub(super) fn check_urls(site: &Site) -> Vec<(usize, Diagnostic)> {
    per_item(site.pages.iter(), check_urls_of)
}

/// [`check_urls`] for one page: it reads nothing but the page.
pub(super) fn check_urls_of(page: &Page, diags: &mut Vec<Diagnostic>) {
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
        return;
    }
    let src = page.src.source_text();
    for u in bad {
        let at = page.src.text.find(u).unwrap_or(0);
        diags.push(
            Diagnostic::error(&page.src.file, codes::FM_INVALID, format!("`{u}` is not a web link"))
                .at(&src, at..at + u.len())
                .with_help("links must start with https://, http://, mailto: or tel:, or be a path on this site"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::testing::{self, CONFIG, codes_of};

    /// Runs one check on the site of `files`, which must load cleanly.
    fn run(check: fn(&Site, &mut Vec<Diagnostic>), files: &[(&str, &str)]) -> Vec<Diagnostic> {
        let (site, diags) = testing::site(CONFIG, files);
        assert!(diags.is_empty(), "{diags:?}");
        let mut out = Vec::new();
        check(&site, &mut out);
        out
    }

    #[test]
    fn two_sources_of_one_output_are_an_error_at_both_lines_that_claim_it() {
        let d = run(
            check_output_paths,
            &[
                ("b.md", "+++\ntitle = \"B\"\nslug = \"night\"\n+++\n"),
                ("c.md", "+++\naliases = [\"/night/\"]\n+++\n"),
                ("night.md", ""),
            ],
        );
        assert_eq!(codes_of(&d), [codes::DUPLICATE_PATH, codes::DUPLICATE_PATH]);
        // Two claims written on lines: the later is the main place.
        assert_eq!(d[0].file, "content/c.md");
        assert_eq!(
            d[0].message,
            "writes /night/index.html, which content/b.md writes too"
        );
        assert_eq!((d[0].line, d[0].col), (2, 12), "on the alias");
        let r = &d[0].related[..];
        assert_eq!(r.len(), 1);
        assert_eq!(
            (r[0].file.as_str(), r[0].line, r[0].col),
            ("content/b.md", 3, 8)
        );
        assert_eq!(
            r[0].message,
            "writes /night/index.html, which content/c.md writes too"
        );
        // A claim by file name only: the slug is the main place, the file
        // itself the other (at its top).
        assert_eq!(
            (d[1].file.as_str(), d[1].line, d[1].col),
            ("content/b.md", 3, 8)
        );
        assert_eq!(
            (
                d[1].related[0].file.as_str(),
                d[1].related[0].line,
                d[1].related[0].col
            ),
            ("content/night.md", 1, 1)
        );
        assert!(run(check_output_paths, &[("a.md", ""), ("b.md", "")]).is_empty());
    }

    #[test]
    fn anchors_are_checked_against_the_target_with_a_suggestion() {
        let files = [
            ("guide.md", "# 指南\n\n## 准时到场\n\n## Be kind\n"),
            (
                "a.md",
                "See [r](@/guide.md#be-knd), [ok](@/guide.md#be-kind)\nand [self](#xyz).\n\n## Here\n",
            ),
        ];
        let d = run(
            |s, d| d.extend(check_links(s).into_iter().map(|(_, x)| x)),
            &files,
        );
        assert_eq!(codes_of(&d), [codes::BROKEN_ANCHOR, codes::BROKEN_ANCHOR]);
        assert_eq!(
            d[0].message,
            "anchor `#be-knd` does not exist in content/guide.md"
        );
        assert_eq!(d[0].help.as_deref(), Some("did you mean `#be-kind`?"));
        assert_eq!((d[0].line, d[0].col), (1, 5));
        assert_eq!(d[1].message, "anchor `#xyz` does not exist in content/a.md");
        assert_eq!(d[1].help.as_deref(), Some("anchors in content/a.md: #here"));
        assert_eq!(d[1].line, 2);
    }

    #[test]
    fn a_link_to_a_missing_page_suggests_what_it_meant() {
        let help_for = |files: &[(&str, &str)], link: &str| -> String {
            let mut all = files.to_vec();
            let text = format!("See [it]({link}).\n");
            all.push(("links.md", &text));
            let (_, d) = testing::site(CONFIG, &all);
            let d: Vec<_> = d.iter().filter(|d| d.file == "content/links.md").collect();
            assert_eq!(d.len(), 1, "{link}: {d:?}");
            assert_eq!(d[0].code, codes::BROKEN_LINK);
            d[0].help.clone().unwrap()
        };
        // Other letter case first.
        assert_eq!(
            help_for(&[("faq.md", "# FAQ\n"), ("fax.md", "")], "@/FAQ.md"),
            "did you mean `@/faq.md`?"
        );
        // A renamed page that kept its kind, or its old address.
        assert_eq!(
            help_for(
                &[("why-we-gather.md", "+++\nkind = \"mission\"\n+++\n")],
                "@/mission.md"
            ),
            "did you mean `@/why-we-gather.md`?"
        );
        assert_eq!(
            help_for(
                &[
                    ("events/_index.md", ""),
                    (
                        "events/night.md",
                        "+++\nstart = 2026-11-28\naliases = [\"/events/reading-night/\"]\n+++\n"
                    )
                ],
                "@/events/reading-night.md"
            ),
            "did you mean `@/events/night.md`?"
        );
        // A page that moved to another folder.
        assert_eq!(
            help_for(&[("about/rules.md", "")], "@/rules.md"),
            "did you mean `@/about/rules.md`?"
        );
        // A typo.
        assert_eq!(
            help_for(
                &[
                    ("events/_index.md", ""),
                    ("events/night.md", "+++\nstart = 2026-11-28\n+++\n")
                ],
                "events/nite.md"
            ),
            "did you mean `@/events/night.md`?"
        );
        // Nothing close: how links are written.
        assert!(help_for(&[("faq.md", "")], "@/zzzzzzzz.md").starts_with("check the path"),);
    }

    #[test]
    fn ids_must_name_members_chapters_roles_and_events() {
        let files = [
            ("members/_index.md", ""),
            (
                "members/lin.md",
                "+++\nroles = [\"hots\"]\nchapter = \"shanghai\"\n+++\n",
            ),
            ("chapters/_index.md", ""),
            (
                "chapters/beijing.md",
                "+++\norganizers = [\"lim\"]\ntimezone = \"Asia/Pekin\"\n+++\n",
            ),
            ("events/_index.md", ""),
            (
                "events/night.md",
                "+++\nstart = 2026-11-28T20:00\nhosts = [\"lin\", \"wang\"]\nchapter = \"beijing\"\n+++\n",
            ),
            ("activities/_index.md", ""),
            (
                "activities/walk.md",
                "+++\nevent = \"@/events/nite.md\"\n+++\n",
            ),
        ];
        let d = run(
            |s, d| d.extend(check_references(s).into_iter().map(|(_, x)| x)),
            &files,
        );
        let got: Vec<(&str, &str, &str)> = d
            .iter()
            .map(|d| (d.file.as_str(), d.code, d.help.as_deref().unwrap_or("")))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "content/activities/walk.md",
                    codes::UNKNOWN_EVENT,
                    "did you mean event = \"@/events/night.md\"?"
                ),
                ("content/chapters/beijing.md", codes::EVENT_TZ, got[1].2),
                (
                    "content/chapters/beijing.md",
                    codes::UNKNOWN_MEMBER,
                    "did you mean \"lin\"?"
                ),
                (
                    "content/events/night.md",
                    codes::UNKNOWN_MEMBER,
                    "known members: lin"
                ),
                (
                    "content/members/lin.md",
                    codes::UNKNOWN_ROLE,
                    "did you mean \"host\"?"
                ),
                (
                    "content/members/lin.md",
                    codes::UNKNOWN_CHAPTER,
                    "known chapters: beijing"
                ),
            ]
        );
        assert_eq!(d[3].message, "unknown member `wang`");
        assert_eq!((d[3].line, d[3].col), (3, 17));
    }

    #[test]
    fn files_a_page_names_must_be_in_its_bundle_and_photos_need_alt_text() {
        let files = [
            ("activities/_index.md", ""),
            (
                "activities/walk/index.md",
                "+++\n[[photos]]\nfile = \"a.jpg\"\nalt = \"湖边\"\n[[photos]]\nfile = \"b.jpg\"\n+++\n",
            ),
            ("activities/walk/a.jpg", ""),
            ("members/_index.md", ""),
            ("members/lin.md", "+++\navatar = \"lin.png\"\n+++\n"),
        ];
        let d = run(
            |s, d| d.extend(check_references(s).into_iter().map(|(_, x)| x)),
            &files,
        );
        assert_eq!(
            codes_of(&d),
            [codes::MISSING_FILE, codes::MISSING_ALT, codes::MISSING_FILE]
        );
        assert_eq!(d[0].message, "photo `b.jpg` not found");
        assert!(!d[1].is_error());
        assert_eq!(d[2].message, "avatar `lin.png` not found");
        assert!(
            d[2].help
                .as_deref()
                .unwrap()
                .starts_with("make the page a bundle")
        );
    }

    #[test]
    fn urls_in_front_matter_must_be_links() {
        let files = [
            ("events/_index.md", ""),
            (
                "events/night.md",
                "+++\nstart = 2026-11-28T20:00\nregistration = \"javascript:alert(1)\"\n[location]\nurl = \"https://meet.example/x\"\n+++\n",
            ),
            ("members/_index.md", ""),
            (
                "members/lin.md",
                "+++\n[links]\nsite = \" JavaScript:void(0)\"\nmail = \"mailto:lin@example.org\"\n+++\n",
            ),
        ];
        let d = run(
            |s, d| d.extend(check_urls(s).into_iter().map(|(_, x)| x)),
            &files,
        );
        assert_eq!(codes_of(&d), [codes::FM_INVALID, codes::FM_INVALID]);
        assert_eq!(d[0].message, "`javascript:alert(1)` is not a web link");
        assert_eq!(d[0].line, 3);
        assert_eq!(d[1].file, "content/members/lin.md");
    }

    #[test]
    fn safe_urls_are_web_mail_phone_or_paths() {
        for ok in [
            "https://a.org",
            "HTTP://a.org",
            "mailto:x@y",
            "tel:+86",
            "/a/b",
            "a/b:c",
            "#x",
            "?q=a:b",
        ] {
            assert!(is_safe_url(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            " java\tscript:x",
            "data:text/html,x",
            "vbscript:x",
        ] {
            assert!(!is_safe_url(bad), "{bad}");
        }
    }
}
