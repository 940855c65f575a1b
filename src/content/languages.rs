//! Which file is in which language, and what a build in one language reads.
//!
//! A translation lives beside its source with the language's tag before
//! `.md` (`rules.en.md`, a bundle's `index.en.md`, a section's
//! `_index.en.md`), the way Zola and Hugo name them. A site in several
//! languages is loaded once per language: the default language reads the
//! files without a tag, another language reads its translations under the
//! sources' names, so slugs, sections, listings, feeds, calendars and
//! search come out per language from the one pipeline. What relates the
//! languages (which page translates which, the rule that a translation is
//! never less gated than its source, which translations are missing or
//! older than their source) is here too, made once every language is
//! loaded.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use super::model::{Item, Site};
use super::walk::{Origin, RawFile, Walk};
use super::{CONTENT_DIR, frontmatter::DateValue};
use crate::diagnostics::{Diagnostic, codes};
use crate::tiers::Tier;

/// The language one load is for.
#[derive(Debug, Clone)]
pub struct Lang {
    /// Its BCP 47 tag as the config writes it (`zh-CN`, `en`).
    pub tag: String,
    /// The URL prefix of its pages: `""` for the default language, `/en`
    /// for the others.
    pub prefix: String,
    /// Whether it is the site's default language (the files without a tag).
    pub default: bool,
    /// The tags of the site's other languages, which mark translations.
    pub others: Vec<String>,
}

impl Lang {
    /// The only language of a site that lists no other.
    pub fn single(tag: &str) -> Lang {
        Lang {
            tag: tag.to_string(),
            prefix: String::new(),
            default: true,
            others: Vec::new(),
        }
    }

    /// Every language of `config`, the default first.
    pub fn all(config: &crate::config::Config) -> Vec<Lang> {
        let others: Vec<String> = config.languages.keys().cloned().collect();
        config
            .language_list()
            .into_iter()
            .enumerate()
            .map(|(i, (tag, prefix))| Lang {
                tag,
                prefix,
                default: i == 0,
                others: others.clone(),
            })
            .collect()
    }

    /// The translation a content path names, as (the source's path, the
    /// tag): `rules.en.md` → (`rules.md`, `en`); `None` for a file in the
    /// default language.
    pub fn split<'a>(&'a self, rel: &str) -> Option<(String, &'a str)> {
        let stem = rel.strip_suffix(".md")?;
        let (base, tag) = stem.rsplit_once('.')?;
        if base.ends_with('/') || base.is_empty() {
            return None;
        }
        let tag = self.others.iter().find(|t| t.eq_ignore_ascii_case(tag))?;
        Some((format!("{base}.md"), tag.as_str()))
    }
}

/// Narrows what the walk found to the files of `lang`. The default
/// language drops every translation; another language keeps only its
/// translations, each under its source's name (so its URL is the
/// source's, below the language's prefix) and with its own file name for
/// diagnostics and edit links. A section without its own translated
/// `_index` keeps the source's front matter (its kind, tier, cascade and
/// order) and none of its text. Folders with nothing in the language are
/// left out of it.
pub(super) fn select(walk: &mut Walk, raws: &mut BTreeMap<String, RawFile>, lang: &Lang) {
    if lang.others.is_empty() {
        return;
    }
    if lang.default {
        let mut only_translated: BTreeSet<String> = BTreeSet::new();
        raws.retain(|rel, _| {
            if let Some((base, _)) = lang.split(rel) {
                only_translated.insert(base);
                false
            } else {
                true
            }
        });
        walk.pages.retain(|(rel, _)| lang.split(rel).is_none());
        let kept: Vec<&str> = walk
            .pages
            .iter()
            .map(|(r, _)| r.as_str())
            .chain(raws.keys().map(String::as_str))
            .collect();
        // A folder of translations only has no page in the default language.
        let dropped: Vec<String> = walk
            .dirs
            .iter()
            .filter(|d| {
                !d.is_empty()
                    && only_translated.iter().any(|b| under(b, d))
                    && !kept.iter().any(|r| under(r, d))
            })
            .cloned()
            .collect();
        walk.dirs.retain(|d| !dropped.contains(d));
        return;
    }
    // This language's files, by their source's path.
    let mut mine: HashMap<String, RawFile> = HashMap::new();
    let names: Vec<String> = raws.keys().cloned().collect();
    for rel in names {
        if let Some((base, tag)) = lang.split(&rel) {
            let ours = tag == lang.tag;
            let raw = raws.remove(&rel).expect("listed");
            if ours {
                mine.insert(base.clone(), renamed(raw, &base, &rel));
            }
        }
    }
    let mut pages = Vec::new();
    for (rel, bundle) in std::mem::take(&mut walk.pages) {
        match lang.split(&rel) {
            // A translation with no source: a page of this language only.
            Some((base, tag)) if tag == lang.tag => {
                if base.rsplit('/').next() == Some("_index.md")
                    || raws.contains_key(&base)
                    || pages.iter().any(|(r, _)| *r == base)
                {
                    continue;
                }
                if let Some(raw) = mine.remove(&base) {
                    raws.insert(base.clone(), raw);
                    pages.push((base, bundle));
                }
            }
            Some(_) => {}
            None => {
                raws.remove(&rel);
                if let Some(raw) = mine.remove(&rel) {
                    raws.insert(rel.clone(), raw);
                    pages.push((rel, bundle));
                }
            }
        }
    }
    // Sections' translated indexes (a translation of nothing else is
    // left: its source is a draft, or not a page).
    for (base, raw) in mine.drain() {
        if base.rsplit('/').next() == Some("_index.md") {
            raws.insert(base, raw);
        }
    }
    pages.sort_by(|a, b| a.0.cmp(&b.0));
    walk.pages = pages;
    // Sections: the translated `_index`, else the source's front matter.
    for dir in &walk.dirs {
        let idx = if dir.is_empty() {
            "_index.md".to_string()
        } else {
            format!("{dir}/_index.md")
        };
        if let Some(raw) = raws.get_mut(&idx)
            && raw.origin.is_none()
        {
            raw.text.truncate(raw.body_offset);
        }
    }
    let translated_index = |d: &str| {
        let idx = format!("{d}/_index.md");
        raws.get(&idx).is_some_and(|r| r.origin.is_some())
    };
    let keep: Vec<String> = walk
        .dirs
        .iter()
        .filter(|d| {
            d.is_empty()
                || walk.pages.iter().any(|(r, _)| under(r, d))
                || walk
                    .dirs
                    .iter()
                    .any(|sub| (sub == *d || under(sub, d)) && translated_index(sub))
        })
        .cloned()
        .collect();
    walk.dirs = keep;
}

/// Whether content path `rel` is inside folder `dir`.
fn under(rel: &str, dir: &str) -> bool {
    rel.len() > dir.len() && rel.starts_with(dir) && rel.as_bytes()[dir.len()] == b'/'
}

/// A translation read under its source's path, keeping its own file name.
fn renamed(mut raw: RawFile, base: &str, rel: &str) -> RawFile {
    raw.rel = base.to_string();
    raw.origin = Some(Origin {
        file: format!("{CONTENT_DIR}/{rel}"),
        first_line: 1,
        body_at: None,
    });
    raw
}

/// The default language's pages, for the links of another language's
/// pages to what is not translated: `@/rules.md` from an English page goes
/// to the English rules when there are some, else to the source's.
#[derive(Debug, Default)]
pub struct Fallback {
    /// Content path → URL path, tier and anchors of the page or section.
    pub items: HashMap<String, (String, Tier, Vec<String>)>,
    /// Content path → URL path and tier of a published file.
    pub files: HashMap<String, (String, Tier)>,
    /// Member and chapter ids → title, URL path and tier: an English event
    /// hosted by a member whose profile is not translated links to it.
    pub ids: HashMap<(super::Kind, String), (String, String, Tier)>,
}

impl Fallback {
    /// What `site` (the default language's) offers to links from the others.
    pub fn of(site: &Site) -> Fallback {
        let mut items = HashMap::new();
        for p in &site.pages {
            items.insert(
                p.src.rel.clone(),
                (p.path.clone(), p.tier, p.md.anchors.clone()),
            );
        }
        for s in &site.sections {
            items.insert(
                s.src.rel.clone(),
                (s.path.clone(), s.tier, s.md.anchors.clone()),
            );
        }
        let files = site
            .files
            .iter()
            .map(|(rel, f)| (rel.clone(), (f.path.clone(), f.tier)))
            .collect();
        let ids = site
            .pages
            .iter()
            .filter(|p| matches!(p.kind, super::Kind::Member | super::Kind::Chapter))
            .map(|p| {
                (
                    (p.kind, p.slug.clone()),
                    (p.title.clone(), p.path.clone(), p.tier),
                )
            })
            .collect();
        Fallback { items, files, ids }
    }
}

/// One page or section in every language it is written in.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Versions {
    /// Tag → (URL path, tier) of the version in that language.
    pub by_lang: BTreeMap<String, (String, Tier)>,
}

/// Which page translates which, across the languages of a build: what
/// the language switcher, `hreflang` links and the sitemap's alternates
/// are made from. Keyed by the source's content path (`rules.md`, or a
/// section's `events/_index.md`).
#[derive(Debug, Default)]
pub struct Translations {
    /// The site's languages in order, the default first: tag and prefix.
    pub langs: Vec<(String, String)>,
    /// Source path → its versions.
    pub items: HashMap<String, Versions>,
    /// Source path → the translations older than their source (tags).
    pub outdated: HashMap<String, BTreeSet<String>>,
}

impl Translations {
    /// The versions of the page or section `item` of `site`.
    pub fn of(&self, site: &Site, item: Item) -> Option<&Versions> {
        let key = match item {
            Item::Page(i) => site.pages[i].src.rel.as_str(),
            // A section's key is its `_index.md` path, also when it has none.
            Item::Section(i) => site.sections[i].src.rel.as_str(),
        };
        self.items.get(key)
    }
}

/// What the languages' loads are checked for together, and the map that
/// relates them. `sites` are every language's site, the default first.
/// Errors: a translation less gated than its source. `report` collects
/// what `hearth check` lists (missing and outdated translations).
pub fn relate(sites: &[Site], root: &Path) -> (Translations, Vec<Diagnostic>, Report) {
    let mut t = Translations {
        langs: sites
            .iter()
            .map(|s| (s.lang.tag.clone(), s.lang.prefix.clone()))
            .collect(),
        ..Default::default()
    };
    let mut diags = Vec::new();
    for site in sites {
        let tag = &site.lang.tag;
        for p in &site.pages {
            t.items
                .entry(p.src.rel.clone())
                .or_default()
                .by_lang
                .insert(tag.clone(), (p.path.clone(), p.tier));
        }
        for s in &site.sections {
            t.items
                .entry(s.src.rel.clone())
                .or_default()
                .by_lang
                .insert(tag.clone(), (s.path.clone(), s.tier));
        }
    }
    let Some(source) = sites.first() else {
        return (t, diags, Report::default());
    };
    let mut report = Report {
        languages: sites.iter().map(|s| s.lang.tag.clone()).collect(),
        ..Default::default()
    };
    let commits = last_commits(root);
    for site in &sites[1..] {
        let tag = &site.lang.tag;
        for p in &site.pages {
            let Some(&Item::Page(si)) = source.by_source.get(&p.src.rel) else {
                continue;
            };
            let sp = &source.pages[si];
            if !source.tiers.may_see(p.tier, sp.tier) {
                let at = p.fm.tier.as_ref().map(|t| t.span.clone());
                diags.push(less_gated(
                    site,
                    &p.src,
                    at,
                    &sp.src.file,
                    (p.tier, sp.tier),
                ));
            }
            let newer = match (
                changed(&sp.fm.updated, sp.date.as_ref()),
                changed(&p.fm.updated, p.date.as_ref()),
            ) {
                (Some(a), Some(b)) if p.fm.updated.is_some() || sp.fm.updated.is_some() => a > b,
                _ => match (commits.get(&sp.src.file), commits.get(&p.src.file)) {
                    (Some(a), Some(b)) => a > b,
                    _ => false,
                },
            };
            if newer {
                t.outdated
                    .entry(p.src.rel.clone())
                    .or_default()
                    .insert(tag.clone());
                report.outdated.push(Outdated {
                    language: tag.clone(),
                    file: p.src.file.clone(),
                    source: sp.src.file.clone(),
                });
            }
        }
        for s in &site.sections {
            if let Some(&Item::Section(si)) = source.by_source.get(&s.src.rel) {
                let ss = &source.sections[si];
                if s.src.file != ss.src.file && !source.tiers.may_see(s.tier, ss.tier) {
                    let at = s.fm.tier.as_ref().map(|t| t.span.clone());
                    diags.push(less_gated(
                        site,
                        &s.src,
                        at,
                        &ss.src.file,
                        (s.tier, ss.tier),
                    ));
                }
            }
        }
    }
    // Missing: every page of the default language, per other language.
    for p in &source.pages {
        let have = t.items.get(&p.src.rel);
        for site in &sites[1..] {
            if !have.is_some_and(|v| v.by_lang.contains_key(&site.lang.tag)) {
                // A page made from a data record is translated by a
                // Markdown file at its path (`content/members/ann.en.md`).
                let page_file = format!("{CONTENT_DIR}/{}", p.src.rel);
                report.missing.push(Missing {
                    language: site.lang.tag.clone(),
                    source: if p.src.file == page_file {
                        p.src.file.clone()
                    } else {
                        format!("{} ({})", p.src.file, p.src.rel)
                    },
                    expected: translated_name(&page_file, &site.lang.tag),
                });
            }
        }
    }
    // Sections a language has (it has pages in them) whose own index
    // page is not translated: shown with the source's title meanwhile.
    for site in &sites[1..] {
        for s in &site.sections {
            let untranslated = s.src.file == format!("{CONTENT_DIR}/{}", s.src.rel);
            if untranslated && !s.src.text.is_empty() {
                report.missing.push(Missing {
                    language: site.lang.tag.clone(),
                    source: s.src.file.clone(),
                    expected: translated_name(&s.src.file, &site.lang.tag),
                });
            }
        }
    }
    report
        .missing
        .sort_by(|a, b| (&a.language, &a.expected).cmp(&(&b.language, &b.expected)));
    (t, diags, report)
}

/// `content/rules.md` → `content/rules.en.md`.
fn translated_name(file: &str, tag: &str) -> String {
    match file.strip_suffix(".md") {
        Some(stem) => format!("{stem}.{tag}.md"),
        None => file.to_string(),
    }
}

/// When a page last changed by its front matter: `updated`, else its date.
fn changed(
    updated: &Option<crate::spanned::Spanned<DateValue>>,
    date: Option<&DateValue>,
) -> Option<jiff::civil::DateTime> {
    updated
        .as_ref()
        .map(|u| &u.value)
        .or(date)
        .map(DateValue::datetime)
}

/// The error of a translation readable by more people than its source, at
/// its `tier` when it writes one, else at its first line.
fn less_gated(
    site: &Site,
    src: &super::model::Source,
    at: Option<crate::spanned::Span>,
    source: &str,
    (own, src_tier): (Tier, Tier),
) -> Diagnostic {
    let info = site.tiers.info(src_tier);
    let first_line = 0..src.text.find('\n').unwrap_or(src.text.len());
    Diagnostic::error(
        &src.file,
        codes::TRANSLATION_LESS_GATED,
        format!(
            "this translation is readable by `{}` but its source {source} is for `{}` only",
            site.tiers.info(own).id,
            info.id
        ),
    )
    .at(&src.source_text(), at.unwrap_or(first_line))
    .with_help(format!(
        "add `tier = \"{}\"` to its front matter (a translation is never less gated than its source)",
        info.id
    ))
}

/// The time of each content file's last commit, when the site is in a git
/// repository (one `git log` for the whole folder); empty otherwise.
fn last_commits(root: &Path) -> HashMap<String, i64> {
    let mut out = HashMap::new();
    let Ok(o) = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "log",
            "--format=%x00%ct",
            "--name-only",
            "--relative",
            "--",
            CONTENT_DIR,
        ])
        .stderr(std::process::Stdio::null())
        .output()
    else {
        return out;
    };
    if !o.status.success() {
        return out;
    }
    let text = String::from_utf8_lossy(&o.stdout);
    let mut when = 0i64;
    for line in text.lines() {
        if let Some(t) = line.strip_prefix('\0') {
            when = t.trim().parse().unwrap_or(0);
        } else if !line.is_empty() {
            // Newest first: the first time a file is named is its last change.
            out.entry(line.to_string()).or_insert(when);
        }
    }
    out
}

/// What `hearth check` lists about translations.
#[derive(Debug, Default, serde::Serialize)]
pub struct Report {
    /// The site's languages, the default first.
    pub languages: Vec<String>,
    /// Pages of the default language with no translation, per language.
    pub missing: Vec<Missing>,
    /// Translations older than their source.
    pub outdated: Vec<Outdated>,
}

impl Report {
    /// One line for `hearth check`: how many translations are missing and
    /// outdated per language; `None` for a site in one language.
    pub fn summary(&self) -> Option<String> {
        if self.languages.len() < 2 {
            return None;
        }
        let parts: Vec<String> = self.languages[1..]
            .iter()
            .map(|l| {
                let missing = self.missing.iter().filter(|m| &m.language == l).count();
                let old = self.outdated.iter().filter(|m| &m.language == l).count();
                format!("{l}: {missing} missing, {old} outdated")
            })
            .collect();
        Some(format!(
            "translations: {} (hearth check --translations lists them)",
            parts.join("; ")
        ))
    }

    /// The whole report for people, one file per line, by language.
    pub fn human(&self) -> String {
        let mut out = String::new();
        if self.languages.len() < 2 {
            out.push_str("This site has one language; [languages] in hearth.toml adds others.\n");
            return out;
        }
        for l in &self.languages[1..] {
            let missing: Vec<&Missing> = self.missing.iter().filter(|m| &m.language == l).collect();
            let old: Vec<&Outdated> = self.outdated.iter().filter(|m| &m.language == l).collect();
            out.push_str(&format!(
                "{l}: {} missing, {} outdated\n",
                missing.len(),
                old.len()
            ));
            for m in missing {
                out.push_str(&format!(
                    "  missing   {}  (translation of {})\n",
                    m.expected, m.source
                ));
            }
            for o in old {
                out.push_str(&format!(
                    "  outdated  {}  ({} changed after it)\n",
                    o.file, o.source
                ));
            }
        }
        out
    }
}

/// A page not translated into a language.
#[derive(Debug, serde::Serialize)]
pub struct Missing {
    /// The language it is missing in.
    pub language: String,
    /// The source file.
    pub source: String,
    /// The file a translation would be.
    pub expected: String,
}

/// A translation older than its source.
#[derive(Debug, serde::Serialize)]
pub struct Outdated {
    /// Its language.
    pub language: String,
    /// The translation's file.
    pub file: String,
    /// The source's file.
    pub source: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(tag: &str, default: bool) -> Lang {
        Lang {
            tag: tag.into(),
            prefix: if default {
                String::new()
            } else {
                format!("/{tag}")
            },
            default,
            others: vec!["en".into(), "ar".into()],
        }
    }

    #[test]
    fn a_translation_is_named_by_a_configured_tag_only() {
        let l = lang("zh-CN", true);
        assert_eq!(l.split("rules.en.md"), Some(("rules.md".into(), "en")));
        assert_eq!(
            l.split("a/_index.AR.md"),
            Some(("a/_index.md".into(), "ar"))
        );
        assert_eq!(l.split("b/index.en.md"), Some(("b/index.md".into(), "en")));
        assert_eq!(
            l.split("v1.2.md"),
            None,
            "a dot in a name is not a language"
        );
        assert_eq!(l.split("rules.md"), None);
        assert_eq!(l.split("a/.en.md"), None);
    }
}
