//! The access record: every file a build wrote with the lowest tier that may
//! fetch it, and the path rules that every host's configuration is written
//! from.
//!
//! Why rules come from the files a build actually wrote rather than from a
//! list worked out again from the model: an output added later (a new feed,
//! a search shard, a thumbnail) cannot be forgotten by the rules, because it
//! reaches the record through the same sink that writes it. The rules are
//! then checked against the record, file by file, before any host's text is
//! written: a rule set that would serve one file below its tier fails the
//! build instead of reaching a server.
//!
//! A rule is either a folder (the folder, everything below it, and the
//! folder's URL without its trailing slash) or a file (that path; for a
//! page's `index.html`, also the page's URL with and without the slash).
//! A folder is gated at the lowest tier of the files in it, so a folder rule
//! never hides a file from a reader who may see it, and tiers only rise
//! deeper down: the most specific matching rule is always the strictest,
//! which is what lets first-match hosts (Netlify), longest-match hosts
//! (nginx) and every-match hosts (Caddy) all enforce the same table.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::tiers::{Tier, Tiers};

/// What a build wrote: site path → the tier that may fetch it.
#[derive(Debug, Default, Clone)]
pub struct Record {
    files: BTreeMap<String, Tier>,
}

impl Record {
    /// Builds the record from `(site path, tier)` pairs as the sink saw them.
    pub fn new(files: impl IntoIterator<Item = (String, Tier)>) -> Record {
        Record {
            files: files.into_iter().collect(),
        }
    }

    /// Every written file with its tier, sorted by path.
    pub fn files(&self) -> impl Iterator<Item = (&str, Tier)> {
        self.files.iter().map(|(p, t)| (p.as_str(), *t))
    }

    /// Whether the build wrote `path`.
    pub fn contains(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    /// Whether anything gated was written at all.
    pub fn has_gated(&self) -> bool {
        self.files.values().any(|t| t.is_gated())
    }
}

/// How a rule matches request paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Match {
    /// The folder (path ends in `/`), everything below it, and the folder
    /// without its trailing slash.
    Folder,
    /// This file; for `…/index.html` also its folder with and without `/`.
    File,
}

/// One gated path, the unit every host's rules are written from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// Site path, decoded (not percent-encoded), base path not included.
    pub path: String,
    /// Folder or file.
    pub matches: Match,
    /// The lowest tier that may fetch what it covers.
    pub tier: Tier,
}

impl Rule {
    /// Every request path (decoded, normalised) this rule covers exactly,
    /// besides what lies below a folder: the forms a host must list when
    /// it cannot express "this folder without its slash" by itself.
    pub fn exact_forms(&self) -> Vec<String> {
        match self.matches {
            Match::Folder => vec![self.path.trim_end_matches('/').to_string()],
            Match::File => match self.path.strip_suffix("index.html") {
                Some(dir) if dir.ends_with('/') => vec![
                    self.path.clone(),
                    dir.to_string(),
                    dir.trim_end_matches('/').to_string(),
                ],
                _ => vec![self.path.clone()],
            },
        }
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect()
    }

    /// Whether a normalised, decoded request path falls under this rule.
    pub fn covers(&self, path: &str) -> bool {
        match self.matches {
            Match::Folder => {
                path.starts_with(&self.path) || path == self.path.trim_end_matches('/')
            }
            Match::File => self.exact_forms().iter().any(|f| f == path),
        }
    }
}

/// The folders of a site path, outermost first, without the root:
/// `/a/b/c.html` → `/a/`, `/a/b/`.
fn folders(path: &str) -> Vec<&str> {
    path.match_indices('/')
        .map(|(i, _)| &path[..=i])
        .filter(|f| *f != "/")
        .collect()
}

/// The gated-path rules for what a build wrote, most specific first, or
/// why they cannot be right (a bug: the record is its own proof).
pub fn rules(tiers: &Tiers, record: &Record) -> Result<Vec<Rule>, String> {
    // The lowest tier of anything in each folder (hashed: 145,000 folders
    // at 100,000 pages; the rules are sorted below).
    let mut lowest: rustc_hash::FxHashMap<&str, Tier> = rustc_hash::FxHashMap::default();
    for (path, tier) in record.files() {
        for f in folders(path) {
            lowest
                .entry(f)
                .and_modify(|t| *t = tiers.lower(*t, tier))
                .or_insert(tier);
        }
    }
    let mut rules = Vec::new();
    for (&folder, &tier) in &lowest {
        if !tier.is_gated() {
            continue;
        }
        let chain = folders(folder);
        let parent = chain.len().checked_sub(2).map(|i| chain[i]);
        let parent_tier = parent.and_then(|p| lowest.get(p)).copied();
        // A folder whose parent is gated at the same tier is already covered.
        if parent_tier != Some(tier) {
            rules.push(Rule {
                path: folder.to_string(),
                matches: Match::Folder,
                tier,
            });
        }
    }
    let mut files = Vec::new();
    let folder_rules = Index::new(tiers, &rules);
    for (path, tier) in record.files() {
        if tier.is_gated() && folder_rules.tier_of(path) != tier {
            files.push(Rule {
                path: path.to_string(),
                matches: Match::File,
                tier,
            });
        }
    }
    rules.extend(files);
    sort_most_specific_first(&mut rules);
    verify(tiers, &rules, record)?;
    Ok(rules)
}

/// Longest path first, files before folders of the same length, so hosts
/// that take the first matching rule see the strictest one first.
fn sort_most_specific_first(rules: &mut [Rule]) {
    rules.sort_by(|a, b| {
        b.path
            .len()
            .cmp(&a.path.len())
            .then(b.matches.cmp(&a.matches))
            .then_with(|| a.path.cmp(&b.path))
    });
}

/// The tier a request path is served at under `rules`: the strictest rule
/// that covers it.
pub fn tier_of(tiers: &Tiers, rules: &[Rule], path: &str) -> Tier {
    rules
        .iter()
        .filter(|r| r.covers(path))
        .fold(Tier::PUBLIC, |t, r| tiers.higher(t, r.tier))
}

/// The rules by the paths they name, for [`tier_of`] on every file of a
/// build: asking each rule in turn is files × rules, which on the tiered
/// 100,000-page hub (150,000 files, thousands of single gated pages) is
/// billions of comparisons, where a path has only its own forms and a
/// handful of folders to look up.
struct Index<'t> {
    tiers: &'t Tiers,
    /// Folder rules by their path (with the trailing slash).
    folders: rustc_hash::FxHashMap<&'t str, Tier>,
    /// Every exact form of every rule (a file's path, a page's URL with and
    /// without its slash, a folder without its slash), strictest tier.
    exact: rustc_hash::FxHashMap<String, Tier>,
}

impl<'t> Index<'t> {
    fn new(tiers: &'t Tiers, rules: &'t [Rule]) -> Index<'t> {
        let mut folders = rustc_hash::FxHashMap::default();
        let mut exact: rustc_hash::FxHashMap<String, Tier> = rustc_hash::FxHashMap::default();
        for r in rules {
            if r.matches == Match::Folder {
                let t = folders.entry(r.path.as_str()).or_insert(r.tier);
                *t = tiers.higher(*t, r.tier);
            }
            for form in r.exact_forms() {
                let t = exact.entry(form).or_insert(r.tier);
                *t = tiers.higher(*t, r.tier);
            }
        }
        Index {
            tiers,
            folders,
            exact,
        }
    }

    /// [`tier_of`], by lookups: the path's exact forms, then each folder
    /// the path is in (a folder rule covers everything below it).
    fn tier_of(&self, path: &str) -> Tier {
        let mut t = self.exact.get(path).copied().unwrap_or(Tier::PUBLIC);
        for (i, _) in path.match_indices('/') {
            if let Some(f) = self.folders.get(&path[..=i]) {
                t = self.tiers.higher(t, *f);
            }
        }
        t
    }
}

/// Checks that every written file, and every URL a page answers to, comes
/// out at exactly its own tier.
pub fn verify(tiers: &Tiers, rules: &[Rule], record: &Record) -> Result<(), String> {
    use rayon::prelude::*;
    let index = Index::new(tiers, rules);
    let files: Vec<(&str, Tier)> = record.files().collect();
    // On both cores (150,000 files at 100,000 pages), and the first wrong
    // file in path order is the one reported, as in one pass.
    match files
        .par_iter()
        .find_map_first(|&(path, tier)| check_served(tiers, &index, path, tier).err())
    {
        Some(why) => Err(why),
        None => Ok(()),
    }
}

/// The error for a file `verify` finds served at another tier than its own.
fn check_served(tiers: &Tiers, index: &Index, path: &str, tier: Tier) -> Result<(), String> {
    let got = index.tier_of(path);
    if got != tier {
        return Err(format!(
            "{path} would be served at tier `{}` instead of `{}`",
            tiers.info(got).id,
            tiers.info(tier).id
        ));
    }
    if let Some(dir) = path.strip_suffix("index.html").filter(|d| d.ends_with('/')) {
        for url in [dir, dir.trim_end_matches('/')] {
            if !url.is_empty() && !tiers.may_see(index.tier_of(url), tier) {
                return Err(format!("{url} would serve {path} below its tier"));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ladder() -> Tiers {
        let c = crate::config::parse(
            "title='t'\nbase_url='https://a.org'\n[[tiers]]\nid='member'\nname='M'\n[[tiers]]\nid='core'\nname='C'\n",
        )
        .unwrap();
        Tiers::from_config(&c)
    }

    fn record(t: &Tiers, files: &[(&str, &str)]) -> Record {
        Record::new(
            files
                .iter()
                .map(|(p, id)| (p.to_string(), t.lookup(id).unwrap())),
        )
    }

    fn shown(rules: &[Rule], t: &Tiers) -> Vec<String> {
        rules
            .iter()
            .map(|r| format!("{:?} {} {}", r.matches, r.path, t.info(r.tier).id))
            .collect()
    }

    #[test]
    fn a_gated_section_is_one_folder_rule_and_a_stricter_page_inside_gets_its_own() {
        let t = ladder();
        let r = record(
            &t,
            &[
                ("/index.html", "public"),
                ("/handbook/index.html", "member"),
                ("/handbook/hosting/index.html", "member"),
                ("/handbook/hosting/photo one+two.jpg", "member"),
                ("/handbook/budget/index.html", "core"),
                ("/calendar.ics", "public"),
                ("/calendar/member.ics", "member"),
                ("/calendar/core.ics", "core"),
                ("/search/public/index.json", "public"),
                ("/search/member/index.json", "member"),
                ("/search/member/f/0.json", "member"),
            ],
        );
        let rules = rules(&t, &r).unwrap();
        assert_eq!(
            shown(&rules, &t),
            [
                "File /calendar/core.ics core",
                "Folder /handbook/budget/ core",
                "Folder /search/member/ member",
                "Folder /calendar/ member",
                "Folder /handbook/ member",
            ]
        );
        assert_eq!(
            tier_of(&t, &rules, "/handbook"),
            t.lookup("member").unwrap()
        );
        assert_eq!(
            tier_of(&t, &rules, "/handbook/budget"),
            t.lookup("core").unwrap()
        );
        assert_eq!(tier_of(&t, &rules, "/handbookx/"), Tier::PUBLIC);
        assert_eq!(
            tier_of(&t, &rules, "/search/public/index.json"),
            Tier::PUBLIC
        );
    }

    #[test]
    fn a_gated_page_in_a_folder_with_public_files_is_gated_by_its_own_urls() {
        let t = ladder();
        // A gated page `tags` beside public tag pages below it: no folder
        // rule may cover the public ones.
        let r = record(
            &t,
            &[
                ("/tags/index.html", "member"),
                ("/tags/books/index.html", "public"),
            ],
        );
        let rules = rules(&t, &r).unwrap();
        assert_eq!(shown(&rules, &t), ["File /tags/index.html member"]);
        assert_eq!(tier_of(&t, &rules, "/tags/"), t.lookup("member").unwrap());
        assert_eq!(tier_of(&t, &rules, "/tags"), t.lookup("member").unwrap());
        assert_eq!(tier_of(&t, &rules, "/tags/books/"), Tier::PUBLIC);
    }

    #[test]
    fn verification_catches_a_rule_set_that_lets_a_file_through() {
        let t = ladder();
        let r = record(
            &t,
            &[
                ("/handbook/index.html", "member"),
                ("/handbook/budget/index.html", "core"),
            ],
        );
        let mut rules = rules(&t, &r).unwrap();
        rules.retain(|r| r.tier != t.lookup("core").unwrap());
        let err = verify(&t, &rules, &r).unwrap_err();
        assert!(err.contains("/handbook/budget/index.html"), "{err}");
    }

    #[test]
    fn the_index_answers_as_asking_every_rule_does() {
        let t = ladder();
        let r = record(
            &t,
            &[
                ("/index.html", "public"),
                ("/handbook/index.html", "member"),
                ("/handbook/budget/index.html", "core"),
                ("/handbook/budget/plan.pdf", "core"),
                ("/tags/index.html", "member"),
                ("/tags/books/index.html", "public"),
                ("/events/a/index.html", "public"),
                ("/events/b/index.html", "member"),
                ("/events/b/event.ics", "member"),
                ("/calendar/core.ics", "core"),
                ("/calendar/member.ics", "member"),
            ],
        );
        let rules = rules(&t, &r).unwrap();
        let index = Index::new(&t, &rules);
        for path in [
            "/",
            "/index.html",
            "/handbook",
            "/handbook/",
            "/handbook/x",
            "/handbook/budget",
            "/handbook/budget/",
            "/handbook/budget/plan.pdf",
            "/tags",
            "/tags/",
            "/tags/index.html",
            "/tags/books/",
            "/events/b",
            "/events/b/",
            "/events/b/event.ics",
            "/events/a/",
            "/calendar/core.ics",
            "/calendar/",
            "/calendar",
            "/handbookx/",
        ] {
            assert_eq!(index.tier_of(path), tier_of(&t, &rules, path), "{path}");
        }
    }

    #[test]
    fn nothing_gated_means_no_rules() {
        let t = ladder();
        let r = record(&t, &[("/index.html", "public"), ("/a/b.jpg", "public")]);
        assert!(rules(&t, &r).unwrap().is_empty());
        assert!(!r.has_gated());
    }
}
