//! A Markdown file becomes a [`Page`]: its kind, URL, tier, date, title,
//! tags, aliases and the fields of its kind, each checked where it is
//! written.
//!
//! A page needs only its own file and the sections (for its URL, tier and
//! default kind), so pages are built in parallel, and `serve` rebuilds one
//! page the same way when it is saved.

use std::collections::HashMap;
use std::path::Path;

use super::event::event_time;
use super::fields::{check_top_keys, resolve_tier, typed};
use super::frontmatter::{ActivityFm, ChapterFm, DateValue, EventFm, MemberFm, PageFm};
use super::model::{Kind, KindData, PAGE_KINDS, Page, Section, Source};
use super::paths;
use super::walk::{BundleFiles, RawFile};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, SourceText, codes, did_you_mean};
use crate::markdown::Rendered;
use crate::spanned::{self, Node};
use crate::text::slugify;
use crate::tiers::Tiers;

/// What building a page needs besides its own file: the site's settings and
/// the sections already built (a page's URL, tier and default kind come
/// from its section). Shared, read-only, by every page of a load and by a
/// `serve` patch, which must build a page exactly as a load does.
pub(super) struct PageContext<'a> {
    /// The site folder: a bundle's files are published from below it.
    pub(super) root: &'a Path,
    /// The site's settings (its time zone dates events without their own).
    pub(super) config: &'a Config,
    /// The tier ladder a page's `tier` is checked against.
    pub(super) tiers: &'a Tiers,
    /// Every section, the root first.
    pub(super) sections: &'a [Section],
    /// Content-relative folder → its section's index in `sections`.
    pub(super) section_by_dir: &'a HashMap<String, usize>,
    /// Whether pages marked `draft = true` are built (`--drafts`).
    pub(super) drafts: bool,
}

/// Builds the page of one Markdown file (`bundle`: its folder and files,
/// for a bundle's `index.md`). Every problem goes to `diags` and the page
/// is built with a fallback, so one save shows all of a file's mistakes.
/// `Err` carries the content-relative path of a draft left out.
pub(super) fn build_page(
    ctx: &PageContext<'_>,
    raw: RawFile,
    bundle: Option<&BundleFiles>,
    diags: &mut Vec<Diagnostic>,
) -> Result<Page, String> {
    let rel = &raw.rel;
    let file = match &raw.origin {
        Some(o) => o.file.clone(),
        None => raw.file.clone(),
    };
    let first_line = raw.origin.as_ref().map_or(1, |o| o.first_line);
    let src = SourceText::starting_at(&raw.text, first_line);
    let node = raw.node.as_ref();
    let before = diags.len();
    let fm: PageFm = typed(node, &file, &src, diags);
    // A value of the wrong type leaves every common field at its default
    // (reported): a title may be there, so none is said to be missing.
    let fm_read = !diags[before..].iter().any(Diagnostic::is_error);
    if fm.draft && !ctx.drafts {
        return Err(rel.clone());
    }
    let (dir, name) = folder_and_name(rel, bundle);
    let section = *ctx.section_by_dir.get(&dir).unwrap_or(&0);
    let sec = &ctx.sections[section];
    let (date_from_name, stem) = match paths::date_prefix(&name) {
        Some((d, rest)) => (Some(d), rest.to_string()),
        None => (None, name.clone()),
    };
    let kind = if ctx.config.is_repository() && fm.kind.is_none() {
        // A repository's `faq.md` is a file, not a promise of `## questions`:
        // kinds only where `[repository] kinds` asks, else its section's.
        super::section::asked_kind(ctx.config, rel, Kind::page_from_name, PAGE_KINDS, diags)
            .unwrap_or(sec.kind.item())
    } else {
        page_kind(&fm, sec.kind, &stem, &file, &src, diags)
    };
    let written_title = fm
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .or_else(|| first_heading(&raw.text[raw.body_offset..]));
    let untitled = written_title.is_none().then_some(stem.as_str());
    let (data, meant_title) = kind_data(kind, node, ctx.config, &file, &src, untitled, diags);
    let repository = ctx.config.is_repository();
    // A repository's file without a heading is titled by its name, as
    // GitHub lists it: not a mistake there.
    if written_title.is_none() && !meant_title && !raw.unread && fm_read && !repository {
        diags.push(untitled_page(&fm, node, &stem, &file, &src));
    }
    let date = page_date(&fm, &data, date_from_name, &file, diags);
    let slug = page_slug(&fm, &stem, &name, &file, &src, diags);
    let path = format!("{}{slug}/", sec.path);
    let tier = resolve_tier(
        ctx.tiers,
        fm.tier.as_ref(),
        sec.tier,
        &file,
        &src,
        Some(&sec.src.file),
        diags,
    );
    let title = written_title.unwrap_or_else(|| stem.clone());
    let tags = page_tags(&fm, &file, &src, diags);
    let aliases = page_aliases(&fm, &file, &src, diags);
    if repository {
        forget_foreign_fields(diags, before);
    }
    Ok(Page {
        src: Source {
            rel: rel.clone(),
            file,
            text: raw.text,
            body_offset: raw.body_offset,
            first_line,
            body_at: raw.origin.and_then(|o| o.body_at),
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
        bundle: bundle
            .map(|(b, assets)| (ctx.config.content_root(ctx.root).join(b), assets.clone())),
        md: Rendered::default(),
        tags,
        aliases,
    })
}

/// In repository mode front matter was written for another tool (Jekyll's
/// `layout`, `lang`, `redirect_from`): fields Hearth does not know are
/// that tool's, not typos, so their warnings (made from `before` on) go.
pub(super) fn forget_foreign_fields(diags: &mut Vec<Diagnostic>, before: usize) {
    let mine = diags.split_off(before.min(diags.len()));
    diags.extend(
        mine.into_iter()
            .filter(|d| d.code != codes::FM_UNKNOWN_FIELD),
    );
}

/// The folder a page lives in (its section's) and the name its URL comes
/// from: a bundle's folder name, else the file name without `.md`.
fn folder_and_name(rel: &str, bundle: Option<&BundleFiles>) -> (String, String) {
    match bundle {
        Some((b, _)) => match b.rsplit_once('/') {
            Some((d, n)) => (d.to_string(), n.to_string()),
            None => (String::new(), b.clone()),
        },
        None => {
            let (d, f) = rel.rsplit_once('/').unwrap_or(("", rel));
            (d.to_string(), markdown_stem(f).to_string())
        }
    }
}

/// The page's kind: as declared, else what its section holds (`events/` →
/// event), else from its name for the single pages every hub has
/// (`rules.md` → rules).
fn page_kind(
    fm: &PageFm,
    section: Kind,
    stem: &str,
    file: &str,
    src: &SourceText<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Kind {
    match &fm.kind {
        Some(k) => Kind::page_from_name(&k.value).unwrap_or_else(|| {
            let help = match did_you_mean(&k.value, PAGE_KINDS.iter().copied()) {
                Some(s) => format!("did you mean \"{s}\"?"),
                None => format!("a page's kind is one of: {}", PAGE_KINDS.join(", ")),
            };
            diags.push(
                Diagnostic::error(
                    file,
                    codes::FM_INVALID,
                    format!("unknown page kind `{}`", k.value),
                )
                .at(src, k.span.clone())
                .with_help(help),
            );
            Kind::Page
        }),
        None => match section.item() {
            Kind::Page => match stem {
                "mission" | "values" | "rules" | "faq" => {
                    Kind::page_from_name(stem).unwrap_or(Kind::Page)
                }
                _ => Kind::Page,
            },
            item => item,
        },
    }
}

/// A page with no title, from neither `title` nor a `# heading`: listings,
/// the navigation, the browser tab and sharing cards show its file name.
/// A warning, not an error: the page is usable, and `check
/// --deny-warnings` keeps it out of a reviewed site. Placed on an empty
/// `title` when there is one, else at the top of the file.
fn untitled_page(
    fm: &PageFm,
    node: Option<&Node>,
    stem: &str,
    file: &str,
    src: &SourceText<'_>,
) -> Diagnostic {
    let empty = fm.title.is_some();
    let span = node
        .and_then(|n| n.get("title"))
        .map(|t| t.span.clone())
        .filter(|_| empty)
        .unwrap_or(0..0);
    let message = if empty {
        format!("the page's `title` is empty: it is shown as `{stem}`")
    } else {
        format!("the page has no title: it is shown as `{stem}`")
    };
    Diagnostic::warning(file, codes::NO_TITLE, message)
        .at(src, span)
        .with_help("add `title = \"…\"` to the front matter, or start the text with a `# heading`")
}

/// The fields of the page's kind, typed (an event's times validated), and a
/// warning for every top-level field that neither the common fields nor the
/// kind's know; also whether one of those was a misspelt `title` on a page
/// without one (`untitled`: the name it is shown by instead).
fn kind_data(
    kind: Kind,
    node: Option<&Node>,
    config: &Config,
    file: &str,
    src: &SourceText<'_>,
    untitled: Option<&str>,
    diags: &mut Vec<Diagnostic>,
) -> (KindData, bool) {
    let common = spanned::struct_fields::<PageFm>();
    let (data, extra_fields, kind_name): (KindData, &'static [&'static str], &str) = match kind {
        Kind::Event => {
            let fm: EventFm = typed(node, file, src, diags);
            let time = event_time(&fm, config, file, src, diags).map(Box::new);
            (
                KindData::Event(Box::new(fm), time),
                spanned::struct_fields::<EventFm>(),
                "event",
            )
        }
        Kind::Activity => (
            KindData::Activity(Box::new(typed(node, file, src, diags))),
            spanned::struct_fields::<ActivityFm>(),
            "activity",
        ),
        Kind::Member => (
            KindData::Member(Box::new(typed(node, file, src, diags))),
            spanned::struct_fields::<MemberFm>(),
            "member",
        ),
        Kind::Chapter => (
            KindData::Chapter(Box::new(typed(node, file, src, diags))),
            spanned::struct_fields::<ChapterFm>(),
            "chapter",
        ),
        _ => (KindData::None, &[], "page"),
    };
    let meant_title = check_top_keys(
        node,
        &[common, extra_fields],
        file,
        src,
        kind_name,
        untitled,
        diags,
    );
    (data, meant_title)
}

/// The publication date: `date` in front matter, else an event's first
/// start (so event sections sort by when things happen), else a
/// `2026-11-02-` prefix of the file name.
fn page_date(
    fm: &PageFm,
    data: &KindData,
    date_from_name: Option<&str>,
    file: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<DateValue> {
    let event_date = match data {
        KindData::Event(_, Some(t)) => Some(DateValue {
            date: t.start().date(),
            time: (!t.all_day()).then(|| t.start().time()),
            offset: None,
        }),
        _ => None,
    };
    match (&fm.date, date_from_name) {
        (Some(d), _) => Some(d.value),
        (None, _) if event_date.is_some() => event_date,
        (None, Some(d)) => match DateValue::parse(d) {
            Ok(v) => Some(v),
            Err(m) => {
                diags.push(
                    Diagnostic::error(file, codes::FM_DATE, format!("file name date: {m}"))
                        .with_help("rename the file with a real date, e.g. 2026-11-02-title.md"),
                );
                None
            }
        },
        (None, None) => None,
    }
}

/// The last segment of the page's URL: `slug` if it is one safe segment,
/// else the file name (CJK kept); never empty.
fn page_slug(
    fm: &PageFm,
    stem: &str,
    name: &str,
    file: &str,
    src: &SourceText<'_>,
    diags: &mut Vec<Diagnostic>,
) -> String {
    match &fm.slug {
        Some(s) => {
            if !paths::is_safe_segment(&s.value) {
                diags.push(
                    Diagnostic::error(file, codes::BAD_PATH, format!("slug `{}` is not a single URL segment", s.value))
                        .at(src, s.span.clone())
                        .with_help("a slug is one name without `/`, `\\` or `..`, e.g. slug = \"reading-night\""),
                );
                slugify(stem).unwrap_or_else(|| "page".into())
            } else {
                slugify(&s.value).unwrap_or_else(|| s.value.clone())
            }
        }
        None => match slugify(stem) {
            Some(s) => s,
            None => {
                diags.push(
                    Diagnostic::error(file, codes::BAD_PATH, format!("file name `{name}` gives an empty URL"))
                        .with_help("rename the file using letters or digits, or set `slug` in the front matter"),
                );
                "page".into()
            }
        },
    }
}

/// Tags as written (trimmed), the first spelling of each kept when two
/// differ only in ASCII case; a tag with no letter or digit has no URL.
fn page_tags(
    fm: &PageFm,
    file: &str,
    src: &SourceText<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for t in &fm.tags {
        let v = t.value.trim().to_string();
        if slugify(&v).is_none() {
            diags.push(
                Diagnostic::error(
                    file,
                    codes::FM_INVALID,
                    format!("tag `{}` has no letters or digits", t.value),
                )
                .at(src, t.span.clone())
                .with_help("use a word as a tag"),
            );
        } else if !tags.iter().any(|x| x.eq_ignore_ascii_case(&v)) {
            tags.push(v);
        }
    }
    tags
}

/// Old paths that redirect to the page, cleaned to `/a/b/`; a URL or a
/// path that climbs out of the site is refused.
fn page_aliases(
    fm: &PageFm,
    file: &str,
    src: &SourceText<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let mut aliases = Vec::new();
    for a in &fm.aliases {
        match paths::clean_site_path(&a.value) {
            Ok(p) => aliases.push(p),
            Err(m) => diags.push(
                Diagnostic::error(file, codes::BAD_PATH, format!("alias: {m}"))
                    .at(src, a.span.clone())
                    .with_help("an alias is an old path on this site, e.g. \"/old-news/welcome/\""),
            ),
        }
    }
    aliases
}

/// The text of the first `# ` heading, for a page without a `title`.
/// A Markdown file's name without its extension (`.md`, `.markdown`, in
/// any case, as GitHub renders them).
pub(super) fn markdown_stem(name: &str) -> &str {
    for ext in [".md", ".markdown"] {
        if name.len() > ext.len()
            && name.is_char_boundary(name.len() - ext.len())
            && name[name.len() - ext.len()..].eq_ignore_ascii_case(ext)
        {
            return &name[..name.len() - ext.len()];
        }
    }
    name
}

fn first_heading(body: &str) -> Option<String> {
    body.lines()
        .find_map(|l| l.strip_prefix("# "))
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Site;
    use crate::content::testing::{self, CONFIG, codes_of};
    use crate::content::walk::split_file;
    use crate::diagnostics::codes;

    /// A site with the sections pages go into: a plain one, events, and
    /// a handbook only members read.
    fn sections() -> Site {
        testing::site(
            CONFIG,
            &[
                ("_index.md", "+++\ntitle = \"首页\"\n+++\n"),
                ("events/_index.md", "+++\ntitle = \"活动\"\n+++\n"),
                ("handbook/_index.md", "+++\ntier = \"member\"\n+++\n"),
                ("活动/_index.md", ""),
            ],
        )
        .0
    }

    /// Builds the page of one file as a load would, without "no title"
    /// warnings (most pages here have none; [`build_all`] keeps them).
    fn build(site: &Site, rel: &str, text: &str) -> (Result<Page, String>, Vec<Diagnostic>) {
        let (page, mut diags) = build_all(site, rel, text);
        diags.retain(|d| d.code != codes::NO_TITLE);
        (page, diags)
    }

    /// Builds the page of one file as a load would, every diagnostic kept.
    fn build_all(site: &Site, rel: &str, text: &str) -> (Result<Page, String>, Vec<Diagnostic>) {
        let by_dir: HashMap<String, usize> = site
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| (s.dir.clone(), i))
            .collect();
        let ctx = PageContext {
            root: &site.root,
            config: &site.config,
            tiers: &site.tiers,
            sections: &site.sections,
            section_by_dir: &by_dir,
            drafts: false,
        };
        let (raw, mut diags) = split_file(rel, text.to_string());
        let page = build_page(&ctx, raw, None, &mut diags);
        (page, diags)
    }

    fn page(site: &Site, rel: &str, text: &str) -> Page {
        let (page, diags) = build(site, rel, text);
        assert!(diags.is_empty(), "{diags:?}");
        page.expect("not a draft")
    }

    #[test]
    fn title_comes_from_front_matter_then_first_heading_then_file_name() {
        let site = sections();
        let p = page(&site, "a.md", "+++\ntitle = \"读书会\"\n+++\n# 别的\n");
        assert_eq!(p.title, "读书会");
        assert_eq!(page(&site, "b.md", "text\n\n# 第一章 \n").title, "第一章");
        assert_eq!(page(&site, "夜读.md", "no heading\n").title, "夜读");
    }

    #[test]
    fn a_page_without_a_title_warns_once() {
        let site = sections();
        let (p, d) = build_all(&site, "夜读.md", "no heading\n");
        assert_eq!(p.unwrap().title, "夜读");
        assert_eq!(codes_of(&d), [codes::NO_TITLE]);
        assert!(!d[0].is_error());
        assert_eq!(d[0].message, "the page has no title: it is shown as `夜读`");
        assert_eq!((d[0].line, d[0].col), (1, 1));
        // An empty title is none, and the warning is on it.
        let (p, d) = build_all(&site, "a.md", "+++\ntitle = \" \"\n+++\n");
        assert_eq!(p.unwrap().title, "a");
        assert_eq!(codes_of(&d), [codes::NO_TITLE]);
        assert_eq!(
            d[0].message,
            "the page's `title` is empty: it is shown as `a`"
        );
        assert_eq!((d[0].line, d[0].col), (2, 9));
        // A heading is a title.
        let (_, d) = build_all(&site, "b.md", "# 第一章\n");
        assert!(d.is_empty(), "{d:?}");
        // A misspelt `title` is the reason: one warning, which says so.
        let (_, d) = build_all(&site, "c.md", "+++\ntitel = \"读书会\"\n+++\n");
        assert_eq!(codes_of(&d), [codes::FM_UNKNOWN_FIELD]);
        assert_eq!(
            d[0].message,
            "unknown field `titel` for a page, which has no title: it is shown as `c`"
        );
        assert_eq!(d[0].help.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn urls_come_from_section_and_file_name_with_cjk_kept() {
        let site = sections();
        let p = page(&site, "活动/读书会 第1期.md", "");
        assert_eq!(p.slug, "读书会-第1期");
        assert_eq!(p.path, "/活动/读书会-第1期/");
        let p = page(
            &site,
            "events/night.md",
            "+++\nslug = \"Reading Night\"\nstart = 2026-11-28T20:00\n+++\n",
        );
        assert_eq!(p.path, "/events/reading-night/");
    }

    #[test]
    fn unsafe_or_empty_slugs_are_errors_and_fall_back() {
        let site = sections();
        let (p, d) = build(&site, "x.md", "+++\nslug = \"../etc\"\n+++\n");
        assert_eq!(codes_of(&d), [codes::BAD_PATH]);
        assert_eq!((d[0].line, d[0].col), (2, 8));
        assert_eq!(p.unwrap().slug, "x");
        let (p, d) = build(&site, "!!!.md", "");
        assert_eq!(codes_of(&d), [codes::BAD_PATH]);
        assert!(
            d[0].message.contains("gives an empty URL"),
            "{}",
            d[0].message
        );
        assert_eq!(p.unwrap().slug, "page");
    }

    #[test]
    fn kind_comes_from_front_matter_section_or_file_name() {
        let site = sections();
        assert_eq!(page(&site, "rules.md", "").kind, Kind::Rules);
        assert_eq!(page(&site, "handbook/faq.md", "").kind, Kind::Faq);
        assert_eq!(page(&site, "notes.md", "").kind, Kind::Page);
        let ev = page(&site, "events/x.md", "+++\nstart = 2026-11-28\n+++\n");
        assert_eq!(ev.kind, Kind::Event);
        let m = page(
            &site,
            "m.md",
            "+++\nkind = \"member\"\nroles = [\"host\"]\n+++\n",
        );
        assert_eq!(m.kind, Kind::Member);
        let (p, d) = build(&site, "y.md", "+++\nkind = \"evnet\"\n+++\n");
        assert_eq!(codes_of(&d), [codes::FM_INVALID]);
        assert_eq!(d[0].help.as_deref(), Some("did you mean \"event\"?"));
        assert_eq!(p.unwrap().kind, Kind::Page);
    }

    #[test]
    fn dates_come_from_front_matter_file_name_or_event_start() {
        let site = sections();
        let p = page(&site, "2026-11-02-walk.md", "");
        assert_eq!(p.slug, "walk");
        assert_eq!(p.date.unwrap().date.to_string(), "2026-11-02");
        let p = page(
            &site,
            "2026-11-02-walk2.md",
            "+++\ndate = 2025-01-05\n+++\n",
        );
        assert_eq!(p.date.unwrap().date.to_string(), "2025-01-05");
        let ev = page(&site, "events/n.md", "+++\nstart = 2026-11-28T20:00\n+++\n");
        let d = ev.date.unwrap();
        assert_eq!(
            (d.date.to_string(), d.time.map(|t| t.hour())),
            ("2026-11-28".into(), Some(20))
        );
        let (p, d) = build(&site, "2026-13-02-bad.md", "");
        assert_eq!(codes_of(&d), [codes::FM_DATE]);
        assert!(p.unwrap().date.is_none());
    }

    #[test]
    fn tier_is_inherited_and_may_only_rise() {
        let site = sections();
        let member = site.tiers.lookup("member").unwrap();
        assert_eq!(page(&site, "handbook/a.md", "").tier, member);
        assert_eq!(
            page(&site, "b.md", "+++\ntier = \"member\"\n+++\n").tier,
            member
        );
        let (p, d) = build(&site, "handbook/c.md", "+++\ntier = \"public\"\n+++\n");
        assert_eq!(codes_of(&d), [codes::TIER_LOWERED]);
        assert!(
            d[0].message.contains("content/handbook/_index.md"),
            "{}",
            d[0].message
        );
        assert_eq!(
            p.unwrap().tier,
            member,
            "a refused tier keeps the section's"
        );
        let (_, d) = build(&site, "d.md", "+++\ntier = \"membre\"\n+++\n");
        assert_eq!(codes_of(&d), [codes::UNKNOWN_TIER]);
        assert_eq!(d[0].help.as_deref(), Some("did you mean \"member\"?"));
    }

    #[test]
    fn tags_are_deduplicated_and_aliases_cleaned() {
        let site = sections();
        let p = page(
            &site,
            "t.md",
            "+++\ntags = [\" 读书 \", \"Rust\", \"rust\"]\naliases = [\"old/page\", \"/x.html\"]\n+++\n",
        );
        assert_eq!(p.tags, ["读书", "Rust"]);
        assert_eq!(p.aliases, ["/old/page/", "/x.html"]);
        let (p, d) = build(
            &site,
            "u.md",
            "+++\ntags = [\"!!\"]\naliases = [\"https://evil.example/\"]\n+++\n",
        );
        assert_eq!(codes_of(&d), [codes::FM_INVALID, codes::BAD_PATH]);
        let p = p.unwrap();
        assert!(p.tags.is_empty() && p.aliases.is_empty());
    }

    #[test]
    fn drafts_are_left_out_by_path() {
        let site = sections();
        let (p, d) = build(&site, "handbook/wip.md", "+++\ndraft = true\n+++\n");
        assert!(d.is_empty());
        assert_eq!(p.unwrap_err(), "handbook/wip.md");
    }

    #[test]
    fn unknown_fields_warn_with_the_nearest_field_of_the_kind() {
        let site = sections();
        let (p, d) = build(&site, "a.md", "+++\ntitel = \"读书会\"\n+++\n# 读书会\n");
        assert!(p.is_ok());
        assert_eq!(codes_of(&d), [codes::FM_UNKNOWN_FIELD]);
        assert!(!d[0].is_error());
        assert_eq!(d[0].message, "unknown field `titel` for a page");
        // `tier` and `title` are both two plain edits away; a swap is one.
        assert_eq!(d[0].help.as_deref(), Some("did you mean `title`?"));
        let (_, d) = build(
            &site,
            "events/b.md",
            "+++\nstart = 2026-11-28\nhost = [\"lin\"]\n+++\n",
        );
        assert_eq!(d[0].message, "unknown field `host` for an event");
        assert_eq!(d[0].help.as_deref(), Some("did you mean `hosts`?"));
    }
}
