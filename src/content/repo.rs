//! Repository mode: a folder of GitHub-style Markdown served as it is.
//!
//! Most communities keep their knowledge in a repository written for
//! GitHub: a `README.md` in every folder, no front matter, relative links
//! between files, links to folders and to files such as `OWNERS`. Such a
//! folder (no `hearth.toml`, no `content/`), or a site whose config says
//! `content_dir = "."`, is read here the way GitHub shows it:
//!
//! - every folder that holds Markdown is a section, its `_index.md`,
//!   `README.md` (any case) or `index.md` its index;
//! - hidden files, `.git*`, dependency and build folders and the paths
//!   `[repository] exclude` names are never read or published;
//! - every other file is a candidate: published only when a page links to
//!   it or embeds it (or `[repository] include` names it), so `go.mod` and
//!   `Makefile` stay out of the site unless a page points at them.
//!
//! This file also makes the config of a repository that has none
//! ([`load_config`]): its title, description and language come from the
//! root README, its address from `CNAME` or the git remote.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use super::checks;
use super::model::{Item, KindData, Site, Source};
use super::walk::{Walk, is_ignored};
use super::{DESCRIPTION_CHARS, markdown_fixed};
use crate::config::{self, Config};
use crate::diagnostics::{Diagnostic, codes};
use crate::markdown::{self, Rendered, Resolved};

/// What repository mode knows about the repository besides its pages:
/// every folder, what was left unread, and where the repository is on the
/// web. Links resolve against it (a folder without Markdown, a file in
/// `.github/`) after the pages and files of the site itself.
#[derive(Debug, Clone, Default)]
pub struct Repository {
    /// Every folder walked, repository-relative (`""` is the root).
    pub dirs: BTreeSet<String>,
    /// Paths not read (hidden, dependency and build folders, excluded):
    /// they exist in the repository but the site has no page or file for
    /// them.
    pub skipped: Vec<String>,
    /// Files `[repository] include` publishes whether or not a page links
    /// to them.
    pub included: BTreeSet<String>,
    /// The repository's web address (`repo_url`, no trailing slash) and
    /// branch, when known.
    pub web: Option<(String, String)>,
}

impl Repository {
    /// The web address of `path` in the repository (`tree/` for a folder,
    /// `blob/` for a file), when the repository's address is known.
    pub fn web_url(&self, path: &str, folder: bool) -> Option<String> {
        let (url, branch) = self.web.as_ref()?;
        let kind = if folder { "tree" } else { "blob" };
        let path = crate::content::paths::encode_path(path);
        Some(format!(
            "{url}/{kind}/{branch}/{}",
            path.trim_start_matches('/')
        ))
    }

    /// Whether `path` lies in what the walk did not read.
    pub fn is_skipped(&self, path: &str) -> bool {
        self.skipped
            .iter()
            .any(|s| path == s || path.starts_with(&format!("{s}/")))
    }
}

/// Folders of dependencies, caches and build output: never content,
/// whatever they hold (`node_modules` alone holds thousands of READMEs).
pub const PLUMBING_DIRS: &[&str] = &[
    "node_modules",
    "bower_components",
    "vendor",
    "_site",
    "public",
    "target",
    "dist",
    "build",
    "__pycache__",
    "venv",
];

/// Whether a file is Markdown as GitHub renders it (`.md`, `.markdown`,
/// any case).
pub fn is_markdown(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown")
}

/// A folder's index in repository mode, best first: Hearth's own
/// `_index.md` (which may give the folder a kind), then `README.md` as
/// GitHub shows it under the file list, then `index.md` as Jekyll and
/// MkDocs take it. `None` for any other name.
fn index_rank(name: &str) -> Option<u8> {
    let lower = name.to_ascii_lowercase();
    let stem = lower
        .strip_suffix(".md")
        .or_else(|| lower.strip_suffix(".markdown"))?;
    match stem {
        "_index" if name.starts_with('_') => Some(0),
        "readme" => Some(1),
        "index" => Some(2),
        _ => None,
    }
}

/// Whether a folder should be looked at all: `include` may name a path
/// below a folder the built-in rules skip (`.well-known/**`).
fn included_below(dir: &str, include: &[Glob]) -> bool {
    include.iter().any(|g| g.may_match_below(dir))
}

/// The walk of a repository: sections, pages and candidate files, as
/// [`super::walk::classify`] gives them for `content/`, and what the
/// repository holds besides.
pub(super) fn walk_repository(
    root: &Path,
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> (Walk, Repository) {
    let globs = |list: &[crate::spanned::Spanned<String>]| -> Vec<Glob> {
        list.iter().map(|g| Glob::new(&g.value)).collect()
    };
    let include = globs(&config.repository.include);
    let exclude = globs(&config.repository.exclude);
    let mut repo = Repository::default();
    repo.dirs.insert(String::new());
    let mut markdown: Vec<String> = Vec::new();
    let mut assets: BTreeSet<String> = BTreeSet::new();
    let mut skipped: Vec<String> = Vec::new();
    let walker = walkdir::WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            let Some(rel) = e
                .path()
                .strip_prefix(root)
                .ok()
                .and_then(|p| p.to_str())
                .map(|s| s.replace('\\', "/"))
            else {
                return true;
            };
            let name = e.file_name().to_string_lossy();
            let dir = e.file_type().is_dir();
            let plumbing = is_ignored(&name) || (dir && PLUMBING_DIRS.contains(&name.as_ref()));
            if include.iter().any(|g| g.matches(&rel)) {
                return true;
            }
            if plumbing && dir && included_below(&rel, &include) {
                return true;
            }
            !(plumbing || exclude.iter().any(|g| g.matches(&rel)))
        });
    let root_canon = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let p = e
                    .path()
                    .and_then(|p| p.strip_prefix(root).ok())
                    .map(|p| p.display().to_string())
                    .unwrap_or_default();
                diags.push(Diagnostic::error(p, codes::IO, format!("cannot read: {e}")));
                continue;
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        let Some(rel) = entry
            .path()
            .strip_prefix(root)
            .ok()
            .and_then(|p| p.to_str())
            .map(|s| s.replace('\\', "/"))
        else {
            diags.push(
                Diagnostic::warning(
                    entry.path().display().to_string(),
                    codes::BAD_PATH,
                    "file name is not valid UTF-8: it is not published",
                )
                .with_help("rename the file using UTF-8 characters"),
            );
            continue;
        };
        let ft = entry.file_type();
        if ft.is_symlink() {
            // Only files inside the repository, never a folder (a loop, or
            // a way out of the repository).
            match std::fs::canonicalize(entry.path()) {
                Ok(t) if t.starts_with(&root_canon) && t.is_file() => {}
                _ => {
                    skipped.push(rel);
                    continue;
                }
            }
        }
        if ft.is_dir() {
            repo.dirs.insert(rel);
            continue;
        }
        let name = rel.rsplit('/').next().unwrap_or(&rel);
        if include.iter().any(|g| g.matches(&rel)) {
            repo.included.insert(rel.clone());
        }
        if is_markdown(name) {
            markdown.push(rel);
        } else {
            assets.insert(rel);
        }
    }
    // What the filter kept out: the hidden and plumbing names at each
    // level, as prefixes (the walk never lists what is inside them).
    collect_skipped(root, "", &repo.dirs, &include, &exclude, &mut skipped);
    repo.skipped = skipped;

    // Sections: the root and every folder with Markdown somewhere below.
    let mut with_markdown: BTreeSet<String> = BTreeSet::new();
    with_markdown.insert(String::new());
    for md in &markdown {
        let mut p = md.as_str();
        while let Some((dir, _)) = p.rsplit_once('/') {
            if !with_markdown.insert(dir.to_string()) {
                break;
            }
            p = dir;
        }
    }
    // Walk order: parents before children (section building needs it).
    let mut dirs: Vec<String> = vec![String::new()];
    dirs.extend(
        repo.dirs
            .iter()
            .filter(|d| !d.is_empty() && with_markdown.contains(*d))
            .cloned(),
    );
    let mut indexes: HashMap<String, String> = HashMap::new();
    let mut best: HashMap<String, u8> = HashMap::new();
    for md in &markdown {
        let (dir, name) = md.rsplit_once('/').unwrap_or(("", md.as_str()));
        if let Some(rank) = index_rank(name)
            && best.get(dir).is_none_or(|&b| rank < b)
        {
            best.insert(dir.to_string(), rank);
            indexes.insert(dir.to_string(), md.clone());
        }
    }
    let index_files: BTreeSet<&String> = indexes.values().collect();
    let pages: Vec<(String, Option<super::walk::BundleFiles>)> = markdown
        .iter()
        .filter(|m| !index_files.contains(m))
        .map(|m| (m.clone(), None))
        .collect();
    let walk = Walk {
        dirs,
        markdown,
        pages,
        assets,
        indexes,
    };
    (walk, repo)
}

/// Reads one Markdown file of a repository as GitHub shows it: bytes
/// that are not UTF-8 become `�` and front matter that cannot be read is
/// skipped (GitHub shows the page either way, so a hub built from the
/// repository must too). Each is a warning at its place, not an error
/// that blocks the hub; front matter never closed is taken as Markdown.
pub(super) fn read_markdown(root: &Path, rel: &str) -> (super::walk::RawFile, Vec<Diagnostic>) {
    use crate::diagnostics::{Severity, SourceText};
    let mut diags = Vec::new();
    let bytes = match std::fs::read(root.join(rel)) {
        Ok(b) => b,
        Err(e) => {
            diags.push(Diagnostic::error(
                rel,
                codes::IO,
                format!("cannot read: {e}"),
            ));
            let (mut raw, _) = super::walk::split_file_as(rel, rel, String::new());
            raw.unread = true;
            return (raw, diags);
        }
    };
    let mut text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let src = SourceText::new(&lossy);
            diags.push(
                Diagnostic::warning(
                    rel,
                    codes::INVALID_UTF8,
                    format!(
                        "invalid UTF-8 at byte offset {at}: shown as `\u{fffd}`, as GitHub does"
                    ),
                )
                .at(&src, at..at)
                .with_help(
                    "save the file as UTF-8 (in most editors: File → Save with Encoding → UTF-8)",
                ),
            );
            lossy
        }
    };
    if text.starts_with('\u{feff}') {
        text.replace_range(..3, "");
    }
    let (mut raw, split_diags) = super::walk::split_file_as(rel, rel, text);
    for mut d in split_diags {
        if d.severity == Severity::Error {
            d.severity = Severity::Warning;
            if d.code == codes::FM_UNCLOSED {
                // GitHub shows it all as Markdown (a rule, then text).
                raw.body_offset = 0;
                raw.unread = false;
                d.message
                    .push_str(": the page shows it as Markdown, as GitHub does");
            } else {
                d.message
                    .push_str(": the page is shown without its front matter, as GitHub shows it");
            }
        }
        diags.push(d);
    }
    (raw, diags)
}

/// Records, folder by folder, the entries the walk's filter kept out.
fn collect_skipped(
    root: &Path,
    dir: &str,
    dirs: &BTreeSet<String>,
    include: &[Glob],
    exclude: &[Glob],
    out: &mut Vec<String>,
) {
    let Ok(rd) = std::fs::read_dir(if dir.is_empty() {
        root.to_path_buf()
    } else {
        root.join(dir)
    }) else {
        return;
    };
    let mut names: Vec<(String, bool)> = rd
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_string();
            let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
            Some((name, is_dir))
        })
        .collect();
    names.sort();
    for (name, is_dir) in names {
        let rel = if dir.is_empty() {
            name.clone()
        } else {
            format!("{dir}/{name}")
        };
        if is_dir && dirs.contains(&rel) {
            collect_skipped(root, &rel, dirs, include, exclude, out);
            continue;
        }
        let plumbing = is_ignored(&name) || (is_dir && PLUMBING_DIRS.contains(&name.as_str()));
        let excluded = exclude.iter().any(|g| g.matches(&rel));
        if (plumbing || excluded) && !include.iter().any(|g| g.matches(&rel)) {
            out.push(rel);
        }
    }
}

/// One `include` or `exclude` pattern: `*` matches within a name, `**`
/// any number of folders, `?` one character. A pattern without `/`
/// matches a name at any depth (`*.pdf`, `drafts`); one with `/` is a
/// path from the repository root (`archive/2019/**`). A pattern that
/// matches a folder matches everything in it.
#[derive(Debug, Clone)]
pub struct Glob {
    parts: Vec<String>,
    anchored: bool,
}

impl Glob {
    /// Parses a pattern as written in `hearth.toml`.
    pub fn new(pattern: &str) -> Glob {
        let p = pattern.trim().trim_start_matches("./");
        let anchored = p.trim_end_matches('/').contains('/') || p.starts_with('/');
        let parts = p
            .trim_matches('/')
            .split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        Glob { parts, anchored }
    }

    /// Whether the repository-relative `path` (or a folder it is in) matches.
    pub fn matches(&self, path: &str) -> bool {
        let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        if self.parts.is_empty() {
            return false;
        }
        if !self.anchored {
            let pat = &self.parts[0];
            return segs.iter().any(|s| segment_match(pat, s));
        }
        // The path or one of its folders.
        (1..=segs.len()).any(|n| parts_match(&self.parts, &segs[..n]))
    }

    /// Whether something below the folder `dir` could match.
    fn may_match_below(&self, dir: &str) -> bool {
        if !self.anchored {
            return true;
        }
        let segs: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
        for (i, seg) in segs.iter().enumerate() {
            match self.parts.get(i) {
                Some(p) if p == "**" => return true,
                Some(p) if segment_match(p, seg) => {}
                _ => return false,
            }
        }
        true
    }
}

/// Pattern segments against path segments, `**` spanning any number.
fn parts_match(pat: &[String], segs: &[&str]) -> bool {
    match pat.split_first() {
        None => segs.is_empty(),
        Some((p, rest)) if p == "**" => (0..=segs.len()).any(|k| parts_match(rest, &segs[k..])),
        Some((p, rest)) => match segs.split_first() {
            Some((s, srest)) => segment_match(p, s) && parts_match(rest, srest),
            None => false,
        },
    }
}

/// One name against one pattern segment (`*`, `?`).
fn segment_match(pat: &str, name: &str) -> bool {
    let p: Vec<char> = pat.chars().collect();
    let n: Vec<char> = name.chars().collect();
    // Iterative wildcard match with one backtrack point.
    let (mut i, mut j) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while j < n.len() {
        if i < p.len() && (p[i] == '?' || p[i] == n[j]) {
            i += 1;
            j += 1;
        } else if i < p.len() && p[i] == '*' {
            star = Some((i, j));
            i += 1;
        } else if let Some((si, sj)) = star {
            i = si + 1;
            j = sj + 1;
            star = Some((si, sj + 1));
        } else {
            return false;
        }
    }
    while i < p.len() && p[i] == '*' {
        i += 1;
    }
    i == p.len()
}

/// The config of `site`: its `hearth.toml`, or, for a folder with neither
/// `hearth.toml` nor `content/` that holds Markdown, a repository-mode
/// config made from the repository ([`repository_config`]). Every command
/// that reads a site loads through here, so `hearth serve .` in a
/// repository works as `hearth build .` does.
pub fn load_config(site: &Path) -> Result<Config, Vec<Diagnostic>> {
    if site.join(config::FILE).exists() || site.join(config::CONTENT_DIR).is_dir() {
        return config::load(site);
    }
    match repository_config(site) {
        Some(c) => Ok(c),
        None => config::load(site).map_err(|mut d| {
            for diag in &mut d {
                if diag.code == codes::CONFIG_MISSING {
                    diag.help = Some(format!(
                        "run Hearth in a site folder (one with {}), create one with `hearth init DIR`, or point it at a repository of Markdown files (docs/repositories.md)",
                        config::FILE
                    ));
                }
            }
            d
        }),
    }
}

/// What the root of a repository says about it, for a config made
/// without `hearth.toml` and for `hearth init --here`.
#[derive(Debug, Clone, PartialEq)]
pub struct Detected {
    /// From the root README's first `# heading`, else the folder's name.
    pub title: String,
    /// The language its README is written in (`zh-CN`, `ja`, `ko`, `en`).
    pub language: String,
    /// `https://` + `CNAME`, else GitHub Pages' address for a GitHub
    /// remote, else a placeholder that says so.
    pub base_url: String,
    /// The remote's web address and the checked-out branch.
    pub web: Option<(String, String)>,
}

/// A placeholder address for a repository whose address cannot be told:
/// `.invalid` never resolves, so a forgotten `--base-url` shows.
pub const UNKNOWN_BASE_URL: &str = "https://repository.invalid";

/// Reads what a repository's root says about it; `None` when `site` holds
/// no Markdown at its root (then it is not a repository of Markdown).
pub fn detect(site: &Path) -> Option<Detected> {
    let mut root_md: Vec<String> = std::fs::read_dir(site)
        .ok()?
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| is_markdown(n) && !is_ignored(n))
        .collect();
    if root_md.is_empty() {
        return None;
    }
    root_md.sort_by_key(|n| (index_rank(n).unwrap_or(9), n.clone()));
    let readme = std::fs::read_to_string(site.join(&root_md[0])).unwrap_or_default();
    let (_, body) = match super::frontmatter::split(&readme) {
        Ok(s) => ((), &readme[s.body_offset..]),
        Err(_) => ((), readme.as_str()),
    };
    let folder = std::fs::canonicalize(site)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "Hearth".into());
    let title = crate::markdown::first_title(body).unwrap_or(folder);
    let web = git_web(site);
    let base_url = std::fs::read_to_string(site.join("CNAME"))
        .ok()
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty() && !c.contains(['/', ' ']))
        .map(|c| format!("https://{c}"))
        .or_else(|| web.as_ref().and_then(|(url, _)| github_pages(url)))
        .unwrap_or_else(|| UNKNOWN_BASE_URL.to_string());
    Some(Detected {
        title,
        language: language_of(body).to_string(),
        base_url,
        web,
    })
}

/// The config text `hearth init --here` writes and a repository without
/// one is read with: only what was detected, as TOML.
pub fn config_text(d: &Detected) -> String {
    let q = |s: &str| toml::Value::String(s.to_string()).to_string();
    let mut t = format!(
        "title = {}\nbase_url = {}\nlanguage = {}\ncontent_dir = \".\"\n",
        q(&d.title),
        q(&d.base_url),
        q(&d.language)
    );
    if let Some((url, branch)) = &d.web {
        t.push_str(&format!(
            "repo_url = {}\nedit_branch = {}\n",
            q(url),
            q(branch)
        ));
    }
    t
}

/// The config of a repository without `hearth.toml` (see [`detect`]).
pub fn repository_config(site: &Path) -> Option<Config> {
    let d = detect(site)?;
    let mut c = config::parse(&config_text(&d)).ok()?;
    c.from_file = false;
    Some(c)
}

/// GitHub Pages' address for a GitHub repository: `o.github.io` for the
/// repository of that name, else `o.github.io/r`.
fn github_pages(url: &str) -> Option<String> {
    let rest = url.strip_prefix("https://github.com/")?;
    let (owner, name) = rest.split_once('/')?;
    let owner = owner.to_ascii_lowercase();
    if name.eq_ignore_ascii_case(&format!("{owner}.github.io")) {
        Some(format!("https://{owner}.github.io"))
    } else {
        Some(format!("https://{owner}.github.io/{name}"))
    }
}

/// The language of a README by its letters: Chinese for Han without kana,
/// Japanese with kana, Korean for Hangul, else English (the two languages
/// whose UI words Hearth has, and the two tags the rest fall back to).
fn language_of(text: &str) -> &'static str {
    let (mut han, mut kana, mut hangul, mut latin) = (0usize, 0usize, 0usize, 0usize);
    for c in text.chars() {
        match c as u32 {
            0x3040..=0x30FF => kana += 1,
            0xAC00..=0xD7AF => hangul += 1,
            _ if crate::text::is_cjk(c) => han += 1,
            _ if c.is_ascii_alphabetic() => latin += 1,
            _ => {}
        }
    }
    // A word of Latin letters is about five; a CJK character is a word.
    let cjk = han + kana + hangul;
    if cjk * 5 < latin {
        "en"
    } else if kana * 10 > cjk {
        "ja"
    } else if hangul > han {
        "ko"
    } else {
        "zh-CN"
    }
}

/// The web address and branch of a git checkout's `origin` (or only
/// remote), from `.git/config` and `.git/HEAD`: `git@github.com:o/r.git`
/// and `https://github.com/o/r.git` are both `https://github.com/o/r`.
fn git_web(site: &Path) -> Option<(String, String)> {
    let git = site.join(".git");
    let (git_dir, common) = if git.is_file() {
        // A worktree or submodule: `gitdir: PATH`.
        let text = std::fs::read_to_string(&git).ok()?;
        let dir = PathBuf::from(text.trim().strip_prefix("gitdir:")?.trim());
        let dir = if dir.is_absolute() {
            dir
        } else {
            site.join(dir)
        };
        let common = std::fs::read_to_string(dir.join("commondir"))
            .ok()
            .map(|c| dir.join(c.trim()))
            .unwrap_or_else(|| dir.clone());
        (dir, common)
    } else {
        (git.clone(), git)
    };
    let config = std::fs::read_to_string(common.join("config")).ok()?;
    let head = std::fs::read_to_string(git_dir.join("HEAD")).ok()?;
    let branch = head
        .trim()
        .strip_prefix("ref: refs/heads/")
        .unwrap_or("HEAD")
        .to_string();
    let mut remotes: BTreeMap<String, String> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in config.lines() {
        let l = line.trim();
        if let Some(section) = l.strip_prefix('[') {
            current = section
                .strip_prefix("remote \"")
                .and_then(|r| r.split_once('"'))
                .map(|(name, _)| name.to_string());
        } else if let (Some(name), Some((k, v))) = (&current, l.split_once('='))
            && k.trim() == "url"
        {
            remotes.insert(name.clone(), v.trim().to_string());
        }
    }
    let url = remotes
        .get("origin")
        .or_else(|| remotes.values().next())?
        .clone();
    Some((web_address(&url)?, branch))
}

/// A remote's URL as a web address: `https://host/o/r` for the `https`,
/// `ssh://` and `git@host:o/r` forms, without `.git`.
fn web_address(remote: &str) -> Option<String> {
    let r = remote.trim().trim_end_matches('/');
    let r = r.strip_suffix(".git").unwrap_or(r);
    let (host, path) = if let Some(rest) = r
        .strip_prefix("https://")
        .or_else(|| r.strip_prefix("http://"))
    {
        let rest = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
        rest.split_once('/')?
    } else if let Some(rest) = r.strip_prefix("ssh://") {
        let rest = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
        let (host, path) = rest.split_once('/')?;
        (host.split(':').next()?, path)
    } else if let Some((user_host, path)) = r.split_once(':') {
        let host = user_host.rsplit_once('@').map_or(user_host, |(_, h)| h);
        if host.contains('/') || path.starts_with("//") {
            return None;
        }
        (host, path)
    } else {
        return None;
    };
    if host.is_empty() || path.split('/').filter(|s| !s.is_empty()).count() < 2 {
        return None;
    }
    Some(format!("https://{host}/{}", path.trim_matches('/')))
}

// ---- Steps of the load that only a repository takes (called from
// `content::load_language` and `content::markdown_fixed`). ----

/// Repository mode: links to an anchor in other letter case than the
/// heading's id (`#Creation` for `## Creation`) work on GitHub, which
/// finds the id either way; a browser does not. The pages with such links
/// are rendered again with the right ids (and `check_links` warns).
pub(super) fn fix_anchor_case(site: &mut Site) {
    let fixes_of = |src: &Source, md: &Rendered| -> markdown::AnchorFixes {
        let mut fixes = markdown::AnchorFixes::new();
        for link in &md.links {
            let Some(anchor) = &link.anchor else { continue };
            let target = if link.target.is_empty() {
                src.rel.as_str()
            } else {
                &link.target
            };
            let Some(anchors) = site.anchors_of(target) else {
                continue;
            };
            if anchors.contains(anchor) {
                continue;
            }
            if let Some(right) = checks::case_only(anchor, anchors) {
                fixes.insert((link.target.clone(), anchor.clone()), right.clone());
            }
        }
        fixes
    };
    let pages: Vec<(usize, markdown::AnchorFixes)> = site
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| (i, fixes_of(&p.src, &p.md)))
        .filter(|(_, f)| !f.is_empty())
        .collect();
    let sections: Vec<(usize, markdown::AnchorFixes)> = site
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| (i, fixes_of(&s.src, &s.md)))
        .filter(|(_, f)| !f.is_empty())
        .collect();
    let page_md: Vec<(usize, Rendered)> = pages
        .iter()
        .map(|(i, f)| {
            let p = &site.pages[*i];
            (*i, markdown_fixed(site, &p.src, p.kind, Some(f)))
        })
        .collect();
    let section_md: Vec<(usize, Rendered)> = sections
        .iter()
        .map(|(i, f)| {
            let s = &site.sections[*i];
            (*i, markdown_fixed(site, &s.src, s.kind, Some(f)))
        })
        .collect();
    for (i, md) in page_md {
        site.pages[i].md = md;
    }
    for (i, md) in section_md {
        site.sections[i].md = md;
    }
}

/// Repository mode: a page or folder without a `title` in front matter is
/// titled by its first `# heading` as the renderer found it (setext
/// headings and inline markup included), which the page then does not
/// repeat; the home page's title and the site's description come from the
/// root README when no `hearth.toml` gives them.
pub(super) fn repository_titles(site: &mut Site) {
    for p in &mut site.pages {
        if p.fm.title.is_none()
            && let Some(t) = &p.md.title
        {
            p.title = t.clone();
        }
    }
    for s in &mut site.sections {
        if s.fm.title.is_none()
            && let Some(t) = &s.md.title
        {
            s.title = t.clone();
        }
    }
    if !site.config.from_file {
        site.config.title = site.sections[0].title.clone();
    }
    if site.config.description.is_empty() {
        site.config.description = site.sections[0]
            .md
            .summary_text
            .chars()
            .take(DESCRIPTION_CHARS)
            .collect();
    }
}

/// Repository mode: of the repository's files, only those a published page
/// links to or shows (or `[repository] include` names) are published: a
/// repository holds its build files, scripts and plumbing beside the
/// Markdown, and a site needs none of those unless a page points at them.
pub(super) fn publish_used_files(site: &mut Site) {
    let mut used: BTreeSet<String> = site
        .pages
        .iter()
        .flat_map(|p| p.md.files.iter())
        .chain(site.sections.iter().flat_map(|s| s.md.files.iter()))
        .cloned()
        .collect();
    // Files named in front matter: a sharing image, a recap's photos.
    for p in &site.pages {
        let dir = p.src.rel.rsplit_once('/').map_or("", |(d, _)| d);
        let mut named: Vec<&str> = Vec::new();
        if let Some(img) = &p.fm.image {
            named.push(&img.value);
        }
        if let KindData::Activity(a) = &p.data {
            named.extend(a.photos.iter().map(|ph| ph.file.value.as_str()));
        }
        for n in named {
            let path = match n.strip_prefix('/') {
                Some(root) => markdown::normalize(root),
                None => markdown::normalize(&format!("{dir}/{n}")),
            };
            if let Some(p) = path {
                used.insert(p);
            }
        }
    }
    if let Some(repo) = &site.repo {
        used.extend(repo.included.iter().cloned());
    }
    site.files.retain(|rel, _| used.contains(rel));
}

/// Repository mode: the page `x.md` for a link to `x/` or `x` where the
/// repository has no folder or file `x`. Jekyll sites (GitHub Pages) link
/// pages by the URL Jekyll gives them (`../code-of-conduct/`), which is
/// the URL the hub gives `code-of-conduct.md` too: the link works on the
/// published site, so the hub keeps it working (on GitHub's file view it
/// does not, and never did).
pub(super) fn jekyll_page<'s>(site: &'s Site, target: &str) -> Option<&'s Item> {
    let repo = site.repo.as_ref()?;
    let t = target.trim_end_matches('/');
    let name = t.rsplit('/').next()?;
    if t.is_empty() || name.contains('.') || repo.dirs.contains(t) || site.files.contains_key(t) {
        return None;
    }
    site.by_source.get(&format!("{t}.md"))
}

/// Repository mode: what a link to `target`, which is neither a page nor
/// a file of the site, is in the repository. A folder without Markdown,
/// or a path the walk skipped (`.github/`, an excluded file), exists on
/// GitHub: its web address when `repo_url` is known. Anything else is
/// broken on GitHub too; the help names what it most likely meant (the
/// same path in other letter case, `x.md` for a Jekyll-style `x/`).
pub(super) fn repository_target(site: &Site, repo: &Repository, target: &str) -> Resolved {
    let t = target.trim_end_matches('/');
    let folder = repo.dirs.contains(t);
    let exists = folder || (repo.is_skipped(t) && site.root.join(t).exists());
    if exists {
        return match repo.web_url(t, folder || site.root.join(t).is_dir()) {
            Some(url) => Resolved::Elsewhere(url),
            None => Resolved::Unpublished,
        };
    }
    let lower = t.to_lowercase();
    let near = site
        .by_source
        .keys()
        .chain(site.files.keys())
        .chain(repo.dirs.iter())
        .find(|k| !k.is_empty() && k.to_lowercase() == lower)
        .cloned()
        .or_else(|| {
            let md = format!("{t}.md");
            site.by_source.contains_key(&md).then_some(md)
        })
        .or_else(|| {
            if t.ends_with(".md") {
                site.nearest_source(t)
            } else {
                site.nearest_file(t)
            }
        });
    Resolved::Missing(near)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_names_anywhere_and_paths_from_the_root() {
        let g = Glob::new("*.pdf");
        assert!(g.matches("a.pdf") && g.matches("docs/x/a.pdf"));
        assert!(!g.matches("a.pdfx"));
        let g = Glob::new("archive/**");
        assert!(g.matches("archive/2019/a.md") && g.matches("archive"));
        assert!(!g.matches("docs/archive/a.md"));
        let g = Glob::new("drafts");
        assert!(g.matches("drafts/a.md") && g.matches("x/drafts/b.md"));
        let g = Glob::new("sig-*/meeting-notes-archive/*.md");
        assert!(g.matches("sig-docs/meeting-notes-archive/2017.md"));
        assert!(!g.matches("wg-x/meeting-notes-archive/2017.md"));
        let g = Glob::new("**/OWNERS");
        assert!(g.matches("OWNERS") && g.matches("sig-apps/OWNERS"));
        assert!(Glob::new(".well-known/**").may_match_below(".well-known"));
        assert!(!Glob::new("docs/**").may_match_below(".github"));
        assert!(segment_match("a*b?c", "axxbyc") && !segment_match("a*b?c", "axxbc"));
    }

    #[test]
    fn remotes_become_web_addresses() {
        for (remote, web) in [
            (
                "git@github.com:kubernetes/community.git",
                "https://github.com/kubernetes/community",
            ),
            (
                "https://github.com/github/opensource.guide.git",
                "https://github.com/github/opensource.guide",
            ),
            (
                "ssh://git@gitlab.com:22/group/sub/proj.git",
                "https://gitlab.com/group/sub/proj",
            ),
            ("https://token@github.com/o/r/", "https://github.com/o/r"),
        ] {
            assert_eq!(web_address(remote).as_deref(), Some(web), "{remote}");
        }
        assert_eq!(web_address("/work/mirror/repo"), None);
        assert_eq!(
            github_pages("https://github.com/Kubernetes/community").as_deref(),
            Some("https://kubernetes.github.io/community")
        );
        assert_eq!(
            github_pages("https://github.com/hearth/hearth.github.io").as_deref(),
            Some("https://hearth.github.io")
        );
    }

    #[test]
    fn a_readme_tells_its_language() {
        assert_eq!(language_of("# Kubernetes Community\n\nWelcome!"), "en");
        assert_eq!(
            language_of("# 围炉读书会\n\n每周六晚上一起读书。Join us."),
            "zh-CN"
        );
        assert_eq!(language_of("# 読書会\n\nみんなで本を読みます。"), "ja");
        assert_eq!(language_of("# 독서 모임\n\n함께 책을 읽어요."), "ko");
    }

    #[test]
    fn readme_outranks_index_and_hearths_own_index_outranks_both() {
        assert!(index_rank("_index.md") < index_rank("README.md"));
        assert!(index_rank("readme.md") < index_rank("index.md"));
        assert_eq!(index_rank("Readme.markdown"), Some(1));
        assert_eq!(index_rank("notes.md"), None);
    }
}
