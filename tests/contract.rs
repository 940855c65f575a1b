//! The template contract: every variable docs/templates.md documents is in
//! the context the templates get, and every field Hearth gives them is
//! documented. A site's own templates are written against that page, so a
//! field renamed in `src/render/context.rs` (or a documented one that is
//! gone) must fail here rather than render as nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use hearth::content::{Kind, LoadOptions};
use hearth::render::{Job, Prepared, PreparedData};

fn docs() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/templates.md"))
        .unwrap()
}

/// Every documented variable path, from the tables of "Variables" and
/// "Kind data": `page.title`, `page.event.status`, `section.upcoming`, …
fn documented() -> BTreeSet<String> {
    let docs = docs();
    let start = docs.find("\n## Variables").expect("a Variables chapter");
    let mut out = BTreeSet::new();
    let mut prefix: Option<String> = None;
    for line in docs[start..].lines() {
        if let Some(h) = line.strip_prefix("### ") {
            // `### page.event` tables list fields of page.event.
            let name = h.trim().trim_matches('`');
            prefix = match name {
                "`page.event`" | "page.event" => Some("page.event".into()),
                "page.activity" | "page.member" | "page.chapter" => Some(name.into()),
                _ if h.starts_with("`page.event`") => Some("page.event".into()),
                _ => None,
            };
            for kind in ["page.activity", "page.member", "page.chapter"] {
                if h.contains(&format!("`{kind}`")) {
                    prefix = Some(kind.into());
                }
            }
            if h.starts_with("Home page extras") {
                prefix = Some("section".into());
            }
            continue;
        }
        if line.starts_with("## ") && !line.contains("Kind data") && !line.contains("Variables") {
            break;
        }
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 3 || !cells[1].starts_with('`') {
            continue;
        }
        // Section extras: | kind | `key` | value |
        let (cell, extra) =
            if cells.len() >= 5 && ["`events`", "`activities`", "`members`"].contains(&cells[1]) {
                (cells[2], true)
            } else if cells.len() >= 5 && cells[1].ends_with(".html`") {
                // | `tag.html` | `pages` | … |
                (cells[2], false)
            } else {
                (cells[1], false)
            };
        for name in cell.split(',') {
            let name = name.trim().trim_matches('`');
            if name.is_empty() || name.starts_with('…') || name.contains(' ') {
                continue;
            }
            let path = if extra {
                format!("section.{name}")
            } else {
                match &prefix {
                    Some(p) => format!("{p}.{name}"),
                    None => name.to_string(),
                }
            };
            out.insert(path);
        }
    }
    out
}

/// The contexts of the example site's outputs, as JSON, by template.
fn contexts() -> Vec<(String, serde_json::Value)> {
    let site_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site");
    let (site, _) = hearth::build::load(&site_dir, &LoadOptions::default()).expect("loads");
    let now = jiff::Timestamp::from_second(1_780_000_000).unwrap();
    let data = PreparedData::new(&site, site.audience, now);
    let prepared = Prepared::new(&site, &data);
    let mut out = Vec::new();
    for job in prepared.jobs() {
        let Some(jc) = prepared.context(&job) else {
            continue;
        };
        let mut obj = serde_json::Map::new();
        for key in [
            "hearth",
            "nav",
            "page_tier",
            "current_url",
            "current_permalink",
            "languages",
            "translation_outdated",
            "page",
            "section",
            "month",
            "tags",
            "tag_count",
            "tag",
            "pages",
            "paginator",
            "sidebar",
            "redirect_url",
            "redirect_permalink",
            "redirect_title",
        ] {
            if let Some(v) = jc.ctx.get(key) {
                obj.insert(key.into(), serde_json::to_value(v).unwrap());
            }
        }
        let kind = match job {
            Job::Page(i) => site.pages[i].kind.name().to_string(),
            Job::Section(s, _) => format!("section:{}", site.sections[s].kind.name()),
            _ => jc.template.clone(),
        };
        out.push((kind, serde_json::Value::Object(obj)));
    }
    assert!(out.len() > 50);
    out
}

/// Every key path of `v` under `prefix`, objects only (lists are not
/// descended: their items are documented as cards, links and such).
fn paths(v: &serde_json::Value, prefix: &str, out: &mut BTreeSet<String>) {
    if let serde_json::Value::Object(m) = v {
        for (k, child) in m {
            let p = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            out.insert(p.clone());
            paths(child, &p, out);
        }
    }
}

#[test]
fn every_documented_variable_is_given_and_every_given_one_is_documented() {
    let documented = documented();
    assert!(
        documented.contains("page.title") && documented.contains("page.event.status"),
        "the docs parser found {documented:?}"
    );
    let mut given = BTreeSet::new();
    for (_, ctx) in contexts() {
        paths(&ctx, "", &mut given);
    }
    // Documented but never given (in any output of the example site).
    let missing: Vec<&String> = documented.iter().filter(|d| !given.contains(*d)).collect();
    assert!(
        missing.is_empty(),
        "documented in docs/templates.md but not in any context: {missing:?}"
    );
    // Given but not documented: the typed contexts and the kind data. The
    // free tables (`extra`, `brand`, `[strings]`) and list items are
    // documented as a whole.
    let opaque = [
        "hearth.i18n.",
        "hearth.config.extra.",
        "hearth.config.brand.",
        "page.extra.",
        "section.extra.",
        "hearth.tiers",
        "page_tier.",
        "page.newer.",
        "page.older.",
        "page.event.location.",
        "page.event.chapter.",
        "page.event.recap.",
        "page.activity.event.",
        "page.activity.chapter.",
        "page.member.chapter.",
        "page.member.avatar.",
        "section.mission.",
        "month.prev.",
        "month.next.",
        "tag.",
        "paginator.",
        "section.paginator.",
    ];
    let undocumented: Vec<&String> = given
        .iter()
        .filter(|g| !documented.contains(*g))
        .filter(|g| !opaque.iter().any(|o| g.starts_with(o)))
        .filter(|g| {
            ![
                "page",
                "section",
                "month",
                "hearth.config",
                "hearth.site",
                "page.event",
                "page.activity",
                "page.member",
                "page.chapter",
            ]
            .contains(&g.as_str())
        })
        .collect();
    assert!(
        undocumented.is_empty(),
        "given to templates but not documented in docs/templates.md: {undocumented:?}"
    );
}

#[test]
fn every_kind_of_page_and_section_is_covered() {
    let kinds: BTreeMap<String, usize> =
        contexts()
            .into_iter()
            .fold(BTreeMap::new(), |mut m, (k, _)| {
                *m.entry(k).or_default() += 1;
                m
            });
    for k in [
        Kind::Page,
        Kind::Mission,
        Kind::Values,
        Kind::Rules,
        Kind::Faq,
        Kind::Event,
        Kind::Activity,
        Kind::Member,
        Kind::Chapter,
    ] {
        assert!(
            kinds.contains_key(k.name()),
            "no {} page in {kinds:?}",
            k.name()
        );
    }
    for s in [
        "home",
        "events",
        "activities",
        "members",
        "chapters",
        "section",
    ] {
        assert!(
            kinds.contains_key(&format!("section:{s}")),
            "no {s} section"
        );
    }
    assert!(kinds.contains_key("events-month.html"));
}
