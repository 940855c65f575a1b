//! A folder of content becomes a [`Section`]: its kind, URL, tier and
//! title, from its `_index.md` when it has one and from its name when not.
//!
//! Sections are built one after another, parents first (the walk sorts
//! them so), because a section's URL and tier extend its parent's.

use std::collections::{BTreeMap, HashMap};

use super::fields::{check_top_keys, resolve_tier, typed};
use super::frontmatter::SectionFm;
use super::model::{Kind, SECTION_KINDS, Section, Source};
use super::walk::RawFile;
use crate::config::Config;
use crate::diagnostics::{Diagnostic, SourceText, codes, did_you_mean};
use crate::markdown::Rendered;
use crate::spanned;
use crate::text::slugify;
use crate::tiers::{Tier, Tiers};

/// Builds every section, `dirs` in walk order (parents before children),
/// taking each one's `_index.md` out of `raws`. Returns the sections (the
/// root first) and, for each content-relative folder, its section's index.
pub(super) fn build_sections(
    config: &Config,
    tiers: &Tiers,
    dirs: &[String],
    prefix: &str,
    indexes: &HashMap<String, String>,
    raws: &mut BTreeMap<String, RawFile>,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Section>, HashMap<String, usize>) {
    let mut sections: Vec<Section> = Vec::new();
    let mut by_dir: HashMap<String, usize> = HashMap::new();
    // dirs are sorted so that parents come before children (walk order).
    for dir in dirs {
        let index_rel = match indexes.get(dir) {
            Some(rel) => rel.clone(),
            None if dir.is_empty() => "_index.md".to_string(),
            None => format!("{dir}/_index.md"),
        };
        let raw = raws.remove(&index_rel);
        // A translation's own file name (`_index.en.md`), for diagnostics.
        let file = match raw.as_ref().and_then(|r| r.origin.as_ref()) {
            Some(o) => o.file.clone(),
            None => config.source_file(&index_rel),
        };
        let text = raw.as_ref().map(|r| r.text.clone()).unwrap_or_default();
        let body_offset = raw.as_ref().map(|r| r.body_offset).unwrap_or(0);
        let src_text = SourceText::new(&text);
        let node = raw.as_ref().and_then(|r| r.node.as_ref());
        let before = diags.len();
        let fm: SectionFm = typed(node, &file, &src_text, diags);
        check_top_keys(
            node,
            &[spanned::struct_fields::<SectionFm>()],
            &file,
            &src_text,
            "section",
            None,
            diags,
        );
        if config.is_repository() {
            super::page::forget_foreign_fields(diags, before);
        }

        let parent = if dir.is_empty() {
            None
        } else {
            let parent_dir = dir.rsplit_once('/').map(|(p, _)| p).unwrap_or("");
            by_dir.get(parent_dir).copied()
        };
        let folder = dir.rsplit('/').next().unwrap_or("");
        let kind = if dir.is_empty() {
            Kind::Home
        } else {
            match &fm.kind {
                Some(k) => match Kind::section_from_name(&k.value) {
                    Some(kind) => kind,
                    None => {
                        let help = match did_you_mean(&k.value, SECTION_KINDS.iter().copied()) {
                            Some(s) => format!("did you mean \"{s}\"?"),
                            None => {
                                format!("a section's kind is one of: {}", SECTION_KINDS.join(", "))
                            }
                        };
                        diags.push(
                            Diagnostic::error(
                                &file,
                                codes::FM_INVALID,
                                format!("unknown section kind `{}`", k.value),
                            )
                            .at(&src_text, k.span.clone())
                            .with_help(help),
                        );
                        Kind::Section
                    }
                },
                // In a repository a folder's name says nothing of what it
                // holds (`events/` may be talks from 2017): a kind only
                // when `[repository] kinds` asks for one.
                None if config.is_repository() => {
                    asked_kind(config, dir, Kind::section_from_name, SECTION_KINDS, diags)
                        .unwrap_or(Kind::Section)
                }
                None => Kind::section_from_name(folder).unwrap_or(Kind::Section),
            }
        };
        let (path, parent_tier) = match parent {
            None => (format!("{prefix}/"), Tier::PUBLIC),
            Some(p) => {
                let seg = match slugify(folder) {
                    Some(s) => s,
                    None => {
                        diags.push(
                            Diagnostic::error(
                                config.source_file(dir),
                                codes::BAD_PATH,
                                format!("folder name `{folder}` gives an empty URL"),
                            )
                            .with_help("rename the folder using letters or digits"),
                        );
                        "section".into()
                    }
                };
                (format!("{}{seg}/", sections[p].path), sections[p].tier)
            }
        };
        let tier = resolve_tier(
            tiers,
            fm.tier.as_ref(),
            parent_tier,
            &file,
            &src_text,
            parent.map(|p| sections[p].src.file.as_str()),
            diags,
        );
        let title = fm.title.clone().unwrap_or_else(|| {
            if dir.is_empty() {
                config.title.clone()
            } else {
                folder.to_string()
            }
        });
        let idx = sections.len();
        by_dir.insert(dir.clone(), idx);
        if let Some(p) = parent {
            sections[p].subsections.push(idx);
        }
        sections.push(Section {
            src: Source {
                rel: index_rel,
                file,
                text,
                body_offset,
                first_line: 1,
                body_at: None,
            },
            fm,
            kind,
            title,
            dir: dir.clone(),
            parent,
            path,
            tier,
            pages: Vec::new(),
            subsections: Vec::new(),
            md: Rendered::default(),
        });
    }
    (sections, by_dir)
}

/// The kind `[repository] kinds` gives the folder or file `path`, if any;
/// a kind that is not one of `names` is an error on its line of
/// `hearth.toml` (and no kind).
pub(super) fn asked_kind(
    config: &Config,
    path: &str,
    parse: fn(&str) -> Option<Kind>,
    names: &[&str],
    diags: &mut Vec<Diagnostic>,
) -> Option<Kind> {
    let k = config
        .repository
        .kinds
        .get(path)
        .or_else(|| config.repository.kinds.get(&format!("{path}/")))?;
    match parse(&k.value) {
        Some(kind) => Some(kind),
        None => {
            let help = match did_you_mean(&k.value, names.iter().copied()) {
                Some(s) => format!("did you mean \"{s}\"?"),
                None => format!("the kinds here are: {}", names.join(", ")),
            };
            let d = Diagnostic::error(
                crate::config::FILE,
                codes::CONFIG_INVALID,
                format!(
                    "`repository.kinds`: `{}` is not a kind of `{path}`",
                    k.value
                ),
            )
            .with_help(help);
            diags.push(config.place(d, &k.span));
            None
        }
    }
}
