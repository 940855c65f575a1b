//! Which files are content, and reading them.
//!
//! The walk decides once what a site's source is: Markdown files become
//! pages or section indexes, folders with an `index.md` become bundles,
//! everything else is a file published beside its page or section. Editor
//! leftovers and hidden files are never content; `serve`'s watcher asks the
//! same rules here so a change it ignores is one the build would ignore.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use super::frontmatter;
use crate::diagnostics::{Diagnostic, SourceText, codes};
use crate::spanned::Node;

/// Site folder layout names.
pub const CONTENT_DIR: &str = crate::config::CONTENT_DIR;
/// Static files copied as they are.
pub const STATIC_DIR: &str = "static";

/// A Markdown file as read: its text and parsed front matter, before it
/// is known to be a page or a section's index.
pub(super) struct RawFile {
    pub(super) rel: String,
    /// The site-relative path diagnostics name (`content/a.md`, or `a.md`
    /// in repository mode).
    pub(super) file: String,
    pub(super) text: String,
    pub(super) body_offset: usize,
    pub(super) node: Option<Node>,
    /// The file could not be read, or its front matter not parsed (already
    /// reported): what it says is unknown, so nothing is reported missing
    /// from it (such as a title) until that is fixed.
    pub(super) unread: bool,
    /// Made from a data record, not a Markdown file: the data file's
    /// site-relative path (diagnostics name it), the line `text` starts
    /// on there, and where the record's body field is.
    pub(super) origin: Option<Origin>,
}

/// Where a page made from a data record came from.
#[derive(Debug, Clone)]
pub(super) struct Origin {
    /// The data file, site-relative (`data/members.csv`).
    pub(super) file: String,
    /// The file's line number of the record's first line.
    pub(super) first_line: usize,
    /// The body field, in `text`.
    pub(super) body_at: Option<crate::spanned::Span>,
}

/// A bundle folder (content-relative) and its files (bundle-relative).
pub(super) type BundleFiles = (String, Vec<String>);

/// What the walk of `content/` found, by content-relative path.
pub(super) struct Walk {
    /// Content-relative folders that are sections (not bundles), root first.
    pub(super) dirs: Vec<String>,
    /// Every Markdown file (content-relative).
    pub(super) markdown: Vec<String>,
    /// Page files with their bundle, if any.
    pub(super) pages: Vec<(String, Option<BundleFiles>)>,
    /// Non-Markdown files (content-relative).
    pub(super) assets: BTreeSet<String>,
    /// Each section folder's index file when it is not `_index.md`
    /// (repository mode: `README.md`, `index.md`).
    pub(super) indexes: HashMap<String, String>,
}

/// A relative path with forward slashes on every system, or `None` when
/// it is not UTF-8 (the walk reports that).
fn rel_string(path: &Path) -> Option<String> {
    let s = path.to_str()?;
    Some(s.replace('\\', "/"))
}

/// What editors and systems leave beside the files people write: backups
/// (`x.md~`), swap and lock files (`.x.md.swp`, `#x.md#`), files saved
/// under a temporary name and renamed into place (`x.md.tmp`, Chromium's
/// `.crswap`), Vim's probe `4913` (then 5036, 5159, …), and `.DS_Store`.
///
/// Never published, and a change to one never rebuilds: the walk and the
/// `serve` watcher both ask here, so a file the preview ignores is one the
/// build ignores too.
pub fn is_leftover(name: &str) -> bool {
    name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swo")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".crswap")
        || name == ".DS_Store"
        || is_vim_probe(name)
}

/// Vim checks that it may create files in a folder with `4913`, then
/// 5036, 5159, … while that name is taken.
fn is_vim_probe(name: &str) -> bool {
    name.parse::<u32>()
        .is_ok_and(|n| n >= 4913 && (n - 4913) % 123 == 0)
}

/// Never content: hidden names (`.git`, `.obsidian`, `.x.md.swp`) and
/// leftovers. Also the rule for templates and themes.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.') || is_leftover(name)
}

/// Never published from `static/`: leftovers and `.git`. Other dotfiles
/// are kept there, since hosts serve `.well-known/` from it.
pub fn is_junk(name: &str) -> bool {
    name == ".git" || is_leftover(name)
}

/// Walks `content/` in name order: the folders that are sections, the
/// Markdown files, the pages (bundles with their files) and every other
/// file. Symbolic links are followed only to files inside the site, so a
/// build never publishes what is outside it.
pub(super) fn walk_content(site: &Path, content: &Path, diags: &mut Vec<Diagnostic>) -> Walk {
    if !content.is_dir() {
        diags.push(
            Diagnostic::warning(
                CONTENT_DIR,
                codes::IO,
                "there is no content/ folder; the site has only its home page",
            )
            .with_help("create content/_index.md for the home page"),
        );
        return classify(vec![String::new()], Vec::new(), Vec::new(), diags);
    }
    let site_canon = std::fs::canonicalize(site).unwrap_or_else(|_| site.to_path_buf());
    let mut sections: Vec<String> = Vec::new();
    let mut bundles: Vec<String> = Vec::new();
    let mut files: Vec<String> = Vec::new();
    let walker = walkdir::WalkDir::new(content)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let p = e
                    .path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default();
                diags.push(Diagnostic::error(p, codes::IO, format!("cannot read: {e}")));
                continue;
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        let rel_path = entry.path().strip_prefix(content).unwrap_or(entry.path());
        let Some(rel) = rel_string(rel_path) else {
            diags.push(
                Diagnostic::error(
                    format!("{CONTENT_DIR}/{}", rel_path.to_string_lossy()),
                    codes::BAD_PATH,
                    "file name is not valid UTF-8",
                )
                .with_help("rename the file using UTF-8 characters"),
            );
            continue;
        };
        let ft = entry.file_type();
        if ft.is_symlink() {
            match std::fs::canonicalize(entry.path()) {
                Ok(target) if target.starts_with(&site_canon) => {
                    if target.is_dir() {
                        diags.push(
                            Diagnostic::warning(
                                format!("{CONTENT_DIR}/{rel}"),
                                codes::BAD_PATH,
                                "symbolic link to a folder is not followed",
                            )
                            .with_help("move the folder into content/ instead of linking it"),
                        );
                        continue;
                    }
                }
                _ => {
                    diags.push(
                        Diagnostic::error(
                            format!("{CONTENT_DIR}/{rel}"),
                            codes::BAD_PATH,
                            "symbolic link points outside the site folder (or nowhere)",
                        )
                        .with_help("copy the file into the site instead of linking to it"),
                    );
                    continue;
                }
            }
        }
        if ft.is_dir() {
            if entry.path().join("index.md").is_file() {
                bundles.push(rel);
            } else {
                sections.push(rel);
            }
        } else {
            files.push(rel);
        }
    }
    let mut dirs = vec![String::new()];
    dirs.extend(sections);
    classify(dirs, bundles, files, diags)
}

/// Sorts what a walk found into sections, pages and files: folders inside
/// a bundle belong to the bundle, Markdown files are pages (`_index.md`
/// is a section's), every other file is published beside its page or
/// section. `dirs` are the folders that are not bundles, the root (`""`)
/// first; all lists in walk order. Pure, so tests can give a site's
/// layout without a disk.
pub(super) fn classify(
    dirs: Vec<String>,
    bundles: Vec<String>,
    files: Vec<String>,
    diags: &mut Vec<Diagnostic>,
) -> Walk {
    let mut w = Walk {
        dirs,
        markdown: Vec::new(),
        pages: Vec::new(),
        assets: BTreeSet::new(),
        indexes: HashMap::new(),
    };
    // Folders inside a bundle belong to the bundle.
    let in_bundle = |p: &str| -> Option<&String> {
        bundles.iter().find(|b| {
            p.len() > b.len() && p.starts_with(b.as_str()) && p.as_bytes()[b.len()] == b'/'
        })
    };
    w.dirs.retain(|d| in_bundle(d).is_none());
    let mut bundle_assets: HashMap<String, Vec<String>> = HashMap::new();
    for f in files {
        if let Some(b) = in_bundle(&f) {
            let inner = f[b.len() + 1..].to_string();
            if inner == "index.md" {
                continue;
            }
            // A translation of the bundle's page (`index.en.md`): read,
            // and left to the language that is its (content::languages).
            if inner.starts_with("index.") && inner.ends_with(".md") && !inner.contains('/') {
                w.markdown.push(f);
                continue;
            }
            if inner.ends_with(".md") {
                diags.push(
                    Diagnostic::warning(
                        format!("{CONTENT_DIR}/{f}"),
                        codes::BAD_PATH,
                        "a Markdown file inside a page bundle is not a page",
                    )
                    .with_help("move it beside the bundle folder, or rename the bundle's index.md"),
                );
            }
            bundle_assets.entry(b.clone()).or_default().push(inner);
            w.assets.insert(f);
        } else if f.ends_with(".md") {
            w.markdown.push(f.clone());
            if f.rsplit('/').next() != Some("_index.md") {
                w.pages.push((f, None));
            }
        } else {
            w.assets.insert(f);
        }
    }
    for b in bundles {
        let index = format!("{b}/index.md");
        w.markdown.push(index.clone());
        let assets = bundle_assets.remove(&b).unwrap_or_default();
        w.pages.push((index, Some((b, assets))));
    }
    w.pages.sort_by(|a, b| a.0.cmp(&b.0));
    w
}

/// The files of `static/`, published as they are (dotfiles such as
/// `.well-known/` included, editor leftovers not).
pub(super) fn walk_static(site: &Path, diags: &mut Vec<Diagnostic>) -> BTreeSet<String> {
    let dir = site.join(STATIC_DIR);
    let mut out = BTreeSet::new();
    if !dir.is_dir() {
        return out;
    }
    let walker = walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_junk(&e.file_name().to_string_lossy()));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                if let Some(rel) = e.path().strip_prefix(&dir).ok().and_then(rel_string) {
                    out.insert(rel);
                }
            }
            Ok(_) => {}
            Err(e) => diags.push(Diagnostic::error(
                STATIC_DIR,
                codes::IO,
                format!("cannot read: {e}"),
            )),
        }
    }
    out
}

/// Reads one Markdown file of `content/` (content-relative `rel`): a file
/// that cannot be read or is not UTF-8 is an error and an empty page, so the
/// load goes on and reports every other file too.
pub(super) fn read_markdown(content: &Path, rel: &str, file: &str) -> (RawFile, Vec<Diagnostic>) {
    let file = file.to_string();
    let mut diags = Vec::new();
    let empty = |rel: &str| RawFile {
        rel: rel.to_string(),
        file: file.clone(),
        text: String::new(),
        body_offset: 0,
        node: None,
        unread: true,
        origin: None,
    };
    let bytes = match std::fs::read(content.join(rel)) {
        Ok(b) => b,
        Err(e) => {
            diags.push(Diagnostic::error(
                &file,
                codes::IO,
                format!("cannot read: {e}"),
            ));
            return (empty(rel), diags);
        }
    };
    let mut text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let valid = String::from_utf8_lossy(&e.as_bytes()[..at]).into_owned();
            let src = SourceText::new(&valid);
            let d = Diagnostic::error(
                &file,
                codes::INVALID_UTF8,
                format!("invalid UTF-8 at byte offset {at}"),
            )
            .at(&src, at..at)
            .with_help(
                "save the file as UTF-8 (in most editors: File → Save with Encoding → UTF-8)",
            );
            diags.push(d);
            return (empty(rel), diags);
        }
    };
    if text.starts_with('\u{feff}') {
        text.replace_range(..3, "");
    }
    let (raw, d) = split_file_as(rel, &file, text);
    diags.extend(d);
    (raw, diags)
}

/// Splits a file's text (without its byte-order mark) into front matter,
/// parsed, and the offset of its body: what every later step needs of a
/// Markdown file, whether it came from the disk or from a test.
#[cfg(test)]
pub(super) fn split_file(rel: &str, text: String) -> (RawFile, Vec<Diagnostic>) {
    split_file_as(rel, &format!("{CONTENT_DIR}/{rel}"), text)
}

/// [`split_file`] for a file that diagnostics name `file`.
pub(super) fn split_file_as(rel: &str, file: &str, text: String) -> (RawFile, Vec<Diagnostic>) {
    let file = file.to_string();
    let mut diags = Vec::new();
    let (node, body_offset, unread) = {
        let src = SourceText::new(&text);
        match frontmatter::split(&text) {
            Err(u) => {
                diags.push(
                    Diagnostic::error(
                        &file,
                        codes::FM_UNCLOSED,
                        format!("front matter opened with `{}` is never closed", u.fence),
                    )
                    .at(&src, u.span)
                    .with_help(format!(
                        "add a line with only `{}` after the last front matter field",
                        u.fence
                    )),
                );
                (None, text.len(), true)
            }
            Ok(split) => match split.front {
                None => (None, split.body_offset, false),
                Some((front, format)) => {
                    match frontmatter::parse(front, format, split.front_offset) {
                        Ok(node) => (Some(node), split.body_offset, false),
                        Err(_) if frontmatter::other_format(front, format).is_some() => {
                            // One error for the fences, not one per line.
                            let (fence, wrote, other, meant, example) = match format {
                                frontmatter::Format::Toml => {
                                    ("+++", "TOML", "YAML", "---", "title = \"读书会\"")
                                }
                                frontmatter::Format::Yaml => {
                                    ("---", "YAML", "TOML", "+++", "title: 读书会")
                                }
                            };
                            diags.push(
                                Diagnostic::error(
                                    &file,
                                    codes::FM_SYNTAX,
                                    format!("this looks like {other}; use `{meant}` fences (front matter between `{fence}` lines is read as {wrote})"),
                                )
                                .at(&src, 0..fence.len())
                                .with_help(format!(
                                    "replace both `{fence}` lines with `{meant}`, or write the fields as {wrote}, e.g. `{example}`"
                                )),
                            );
                            (None, split.body_offset, true)
                        }
                        Err(errs) => {
                            let lang = match format {
                                frontmatter::Format::Toml => "TOML",
                                frontmatter::Format::Yaml => "YAML",
                            };
                            for e in errs {
                                // A malformed date is the commonest syntax error: say how to write one.
                                let (code, help) = if e.message.contains("date") {
                                    (
                                        codes::FM_DATE,
                                        "write dates as YYYY-MM-DD (months 01-12), optionally with a time: 2026-11-02T20:00",
                                    )
                                } else if format == frontmatter::Format::Toml {
                                    (
                                        codes::FM_SYNTAX,
                                        "write `key = value`; text values need double quotes, e.g. title = \"读书会\"",
                                    )
                                } else {
                                    (
                                        codes::FM_SYNTAX,
                                        "write `key: value`, indent nested fields with spaces",
                                    )
                                };
                                diags.push(
                                    Diagnostic::error(
                                        &file,
                                        code,
                                        format!("invalid {lang} in front matter: {}", e.message),
                                    )
                                    .at(&src, e.span)
                                    .with_help(help),
                                );
                            }
                            (None, split.body_offset, true)
                        }
                    }
                }
            },
        }
    };
    (
        RawFile {
            rel: rel.to_string(),
            file,
            text,
            body_offset,
            node,
            unread,
            origin: None,
        },
        diags,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_leftovers_and_hidden_names_are_never_content() {
        for n in [
            ".foo.md.swp",
            ".foo.md.swx",
            "foo.md.swo",
            "foo.md~",
            "4913",
            "5036",
            ".#foo.md",
            "#foo.md#",
            ".foo.md.tmp",
            "foo.md.tmp",
            "x.crswap",
            ".DS_Store",
            ".git",
            ".obsidian",
        ] {
            assert!(is_ignored(n), "{n}");
        }
        for n in [
            "foo.md",
            "读书会.md",
            "2026",
            "4914",
            "photo.jpg",
            "_index.md",
        ] {
            assert!(!is_ignored(n) && !is_junk(n), "{n}");
        }
        // static/ keeps dotfiles hosts need, never leftovers or .git.
        assert!(!is_junk(".well-known") && !is_junk(".htaccess"));
        assert!(is_junk(".git") && is_junk(".DS_Store") && is_junk("x.css~"));
    }

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn paths_are_sorted_into_sections_bundles_pages_and_files() {
        let mut diags = Vec::new();
        let w = classify(
            strings(&["", "events", "walk/raw"]),
            strings(&["walk"]),
            strings(&[
                "_index.md",
                "events/_index.md",
                "events/night.md",
                "events/map.png",
                "walk/index.md",
                "walk/a.jpg",
                "walk/notes.md",
                "walk/raw/b.jpg",
            ]),
            &mut diags,
        );
        assert_eq!(
            w.dirs,
            ["", "events"],
            "a folder inside a bundle is the bundle's"
        );
        assert_eq!(
            w.markdown,
            [
                "_index.md",
                "events/_index.md",
                "events/night.md",
                "walk/index.md"
            ]
        );
        let pages: Vec<(&str, Option<&BundleFiles>)> = w
            .pages
            .iter()
            .map(|(p, b)| (p.as_str(), b.as_ref()))
            .collect();
        let bundle = (
            "walk".to_string(),
            strings(&["a.jpg", "notes.md", "raw/b.jpg"]),
        );
        assert_eq!(
            pages,
            [("events/night.md", None), ("walk/index.md", Some(&bundle))]
        );
        assert!(w.assets.contains("events/map.png") && w.assets.contains("walk/raw/b.jpg"));
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].file, "content/walk/notes.md");
        assert_eq!(
            diags[0].message,
            "a Markdown file inside a page bundle is not a page"
        );
    }

    #[test]
    fn front_matter_problems_are_placed_and_the_body_kept() {
        let (raw, d) = split_file(
            "a.md",
            "+++\ntitle = \"x\"\ndate = 2026-13-01\n+++\nbody\n".into(),
        );
        assert!(raw.node.is_none());
        assert_eq!(&raw.text[raw.body_offset..], "body\n");
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].code, d[0].line), (codes::FM_DATE, 3));
        let (raw, d) = split_file("b.md", "+++\ntitle = \"x\"\n".into());
        assert_eq!((d[0].code, d[0].line), (codes::FM_UNCLOSED, 1));
        assert_eq!(raw.body_offset, raw.text.len());
    }

    #[test]
    fn yaml_between_toml_fences_is_one_error_on_the_fence() {
        let (raw, d) = split_file(
            "a.md",
            "+++\ntitle: 关于我们\ntags: [books, 读书]\ndate: 2026-11-02\n+++\nbody\n".into(),
        );
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!((d[0].code, d[0].line, d[0].col), (codes::FM_SYNTAX, 1, 1));
        assert_eq!(
            d[0].message,
            "this looks like YAML; use `---` fences (front matter between `+++` lines is read as TOML)"
        );
        assert_eq!(&raw.text[raw.body_offset..], "body\n");
        let (_, d) = split_file("b.md", "---\ntitle = \"x\"\n---\n".into());
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].message
                .starts_with("this looks like TOML; use `+++` fences")
        );
        // A TOML mistake stays a TOML error on its line.
        let (_, d) = split_file("c.md", "+++\ntitle = 读书会\n+++\n".into());
        assert_eq!((d[0].code, d[0].line), (codes::FM_SYNTAX, 2));
        assert!(d[0].message.starts_with("invalid TOML in front matter"));
    }
}
