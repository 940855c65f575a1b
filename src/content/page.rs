//! A Markdown file becomes a [`Page`]: its kind, URL, tier, date, title,
//! tags, aliases and the fields of its kind, each checked where it is
//! written.
//!
//! A page needs only its own file and the sections (for its URL, tier and
//! default kind), so pages are built in parallel, and `serve` rebuilds one
//! page the same way when it is saved.

use std::collections::HashMap;
use std::path::Path;

use super::CONTENT_DIR;
use super::event::event_time;
use super::fields::{check_top_keys, resolve_tier, typed};
use super::frontmatter::{ActivityFm, ChapterFm, DateValue, EventFm, MemberFm, PageFm};
use super::model::{Kind, KindData, PAGE_KINDS, Page, Section, Source};
use super::paths;
use super::walk::{BundleFiles, RawFile};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, SourceText, codes, did_you_mean};
use crate::markdown::Rendered;
use crate::spanned;
use crate::tiers::Tiers;

#[allow(clippy::too_many_arguments)]
pub(super) fn build_page(
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
