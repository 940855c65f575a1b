//! What a build weighs, and whether the named host would take it.
//!
//! A deploy that a host refuses fails after the build, on the host's side,
//! with a message about files the organizer never wrote by hand. The build
//! knows every file it wrote and its size, so it warns first, naming the
//! folders that weigh most, when `[deploy] host` names a host with
//! documented limits. The numbers are the hosts' own, as documented (links
//! beside each); they change, so each limit says where it comes from.

use std::collections::BTreeMap;

use crate::config::Host;
use crate::content::Site;
use crate::diagnostics::{Diagnostic, codes};

/// A host's documented limits on what one deploy may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The host, as people call it.
    pub name: &'static str,
    /// Files in one deploy (the plan that limits it most).
    pub files: Option<u64>,
    /// Files in one folder.
    pub files_per_folder: Option<u64>,
    /// Bytes of one file.
    pub file_bytes: Option<u64>,
    /// Bytes of the whole site.
    pub total_bytes: Option<u64>,
    /// Where the numbers are documented.
    pub source: &'static str,
}

const MIB: u64 = 1024 * 1024;

/// The documented limits of `host`, or `None` for a host whose limits are
/// the server's own (nginx, Caddy) or unknown (`static`).
pub fn limits(host: Host) -> Option<Limits> {
    match host {
        // "Cloudflare Pages sites can contain up to 20,000 files on the Free
        // plan" (100,000 on paid plans since 2026-01-23), "the maximum file
        // size for a single Cloudflare Pages site asset is 25 MiB".
        Host::Cloudflare => Some(Limits {
            name: "Cloudflare Pages",
            files: Some(20_000),
            files_per_folder: None,
            file_bytes: Some(25 * MIB),
            total_bytes: None,
            source: "https://developers.cloudflare.com/pages/platform/limits/",
        }),
        // "While Netlify doesn't have a limit on the number of files per
        // deploy, we do have a limit of 54,000 files per directory."
        Host::Netlify => Some(Limits {
            name: "Netlify",
            files: None,
            files_per_folder: Some(54_000),
            file_bytes: None,
            total_bytes: None,
            source: "https://docs.netlify.com/site-deploys/overview/",
        }),
        // "Published GitHub Pages sites may be no larger than 1 GB"; a
        // site published from a repository cannot hold a file over 100 MiB,
        // which GitHub refuses to take in a push.
        Host::Github => Some(Limits {
            name: "GitHub Pages",
            files: None,
            files_per_folder: None,
            file_bytes: Some(100 * MIB),
            total_bytes: Some(1_000_000_000),
            source: "https://docs.github.com/en/pages/getting-started-with-github-pages/github-pages-limits",
        }),
        Host::Nginx | Host::Caddy | Host::Static => None,
    }
}

/// How many of the largest files a footprint names.
const LARGEST: usize = 10;

/// Files and bytes a build wrote, with the folders they are in.
#[derive(Debug, Default, Clone)]
pub struct Footprint {
    /// Files written.
    pub files: u64,
    /// Bytes written.
    pub bytes: u64,
    /// Files and bytes under each top-level folder (`/search/`, `/tags/`;
    /// files at the root under `/`).
    pub by_folder: BTreeMap<String, (u64, u64)>,
    /// Files directly in each folder (for per-folder limits). Hashed: at
    /// 100,000 pages it holds 145,000 folders, most with one `index.html`.
    pub per_folder: rustc_hash::FxHashMap<String, u64>,
    /// The largest files, largest first (at most ten).
    pub largest: Vec<(String, u64)>,
}

impl Footprint {
    /// The footprint of these `(site path, size)` pairs.
    pub fn of<'a>(files: impl IntoIterator<Item = (&'a str, u64)>) -> Footprint {
        let mut f = Footprint::default();
        for (path, size) in files {
            f.add(path, size);
        }
        f
    }

    /// Counts one more file. A build adds 150,000 at 100,000 pages, one
    /// after another on the way to writing the host's rules: a folder
    /// already counted costs a lookup, not a new key, and only the ten
    /// largest files are kept (the same ten in any order of adding).
    pub fn add(&mut self, path: &str, size: u64) {
        self.files += 1;
        self.bytes += size;
        let rest = path.trim_start_matches('/');
        let top: std::borrow::Cow<str> = match rest.split_once('/') {
            // `/first/`, a slice of the path when it has one leading slash.
            Some((first, _)) if path.len() - rest.len() == 1 => path[..first.len() + 2].into(),
            Some((first, _)) => format!("/{first}/").into(),
            None => "/".into(),
        };
        match self.by_folder.get_mut(top.as_ref()) {
            Some(e) => {
                e.0 += 1;
                e.1 += size;
            }
            None => {
                self.by_folder.insert(top.into_owned(), (1, size));
            }
        }
        let dir = &path[..path.rfind('/').map_or(0, |i| i + 1)];
        match self.per_folder.get_mut(dir) {
            Some(n) => *n += 1,
            None => {
                self.per_folder.insert(dir.to_string(), 1);
            }
        }
        // Largest first, then by path: a total order, so the ten kept do
        // not depend on the order files were added in.
        let before = |a: (&str, u64), b: (&str, u64)| b.1.cmp(&a.1).then(a.0.cmp(b.0)).is_lt();
        if self.largest.len() == LARGEST
            && !before(
                (path, size),
                (&self.largest[LARGEST - 1].0, self.largest[LARGEST - 1].1),
            )
        {
            return;
        }
        let at = self
            .largest
            .partition_point(|(p, s)| before((p, *s), (path, size)));
        self.largest.insert(at, (path.to_string(), size));
        self.largest.truncate(LARGEST);
    }

    /// `12,345 files, 67.8 MiB`.
    pub fn summary(&self) -> String {
        format!("{} files, {}", thousands(self.files), size(self.bytes))
    }

    /// The folders that weigh most by `key` (files or bytes), as
    /// `/tags/ 3,163 files (31 %)`, at most `n` of them.
    fn biggest(&self, by_bytes: bool, n: usize) -> String {
        let total = if by_bytes { self.bytes } else { self.files }.max(1);
        let mut v: Vec<(&String, u64, u64)> = self
            .by_folder
            .iter()
            .map(|(k, (files, bytes))| (k, *files, *bytes))
            .collect();
        v.sort_by(|a, b| {
            let (x, y) = if by_bytes { (a.2, b.2) } else { (a.1, b.1) };
            y.cmp(&x).then(a.0.cmp(b.0))
        });
        v.into_iter()
            .take(n)
            .map(|(k, files, bytes)| {
                let amount = if by_bytes { bytes } else { files };
                let shown = if by_bytes {
                    size(bytes)
                } else {
                    format!("{} files", thousands(files))
                };
                format!("{k} {shown} ({} %)", amount * 100 / total)
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// `20,000`.
fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1.2 MiB`, `812 KiB`, `90 B`.
fn size(b: u64) -> String {
    if b >= MIB {
        format!("{:.1} MiB", b as f64 / MIB as f64)
    } else if b >= 1024 {
        format!("{} KiB", b / 1024)
    } else {
        format!("{b} B")
    }
}

/// A warning for each limit of the named host that this build passes,
/// naming what weighs most; none when no host is named or it has no
/// documented limits.
pub fn check(site: &Site, footprint: &Footprint) -> Vec<Diagnostic> {
    let Some(host) = site.config.deploy.host.as_ref() else {
        return Vec::new();
    };
    let Some(l) = limits(host.value) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let warn = |message: String, help: String| {
        let d = Diagnostic::warning(crate::config::FILE, codes::DEPLOY_LIMIT, message)
            .with_help(format!("{help} (limits: {})", l.source));
        site.config.place(d, &host.span)
    };
    if let Some(max) = l.files
        && footprint.files > max
    {
        out.push(warn(
            format!(
                "{} would refuse this deploy: {} files, over its limit of {}; most are in {}",
                l.name,
                thousands(footprint.files),
                thousands(max),
                footprint.biggest(false, 3)
            ),
            "fewer listing pages per tag or section, or a plan with a higher limit".into(),
        ));
    }
    if let Some(max) = l.files_per_folder
        && let Some((dir, n)) = footprint
            .per_folder
            .iter()
            .filter(|(_, n)| **n > max)
            .max_by_key(|(dir, n)| (**n, *dir))
    {
        out.push(warn(
            format!(
                "{} would refuse this deploy: {dir} holds {} files, over its limit of {} per folder",
                l.name,
                thousands(*n),
                thousands(max)
            ),
            "split the section into sub-sections".into(),
        ));
    }
    if let Some(max) = l.file_bytes {
        let over: Vec<String> = footprint
            .largest
            .iter()
            .filter(|(_, s)| *s > max)
            .map(|(p, s)| format!("{p} ({})", size(*s)))
            .collect();
        if !over.is_empty() {
            out.push(warn(
                format!(
                    "{} would refuse this deploy: {} over its limit of {} per file",
                    l.name,
                    over.join(", "),
                    size(max)
                ),
                "link large media from elsewhere instead of publishing it with the site".into(),
            ));
        }
    }
    if let Some(max) = l.total_bytes
        && footprint.bytes > max
    {
        out.push(warn(
            format!(
                "{} would refuse this deploy: {}, over its limit of {}; most is in {}",
                l.name,
                size(footprint.bytes),
                size(max),
                footprint.biggest(true, 3)
            ),
            "smaller images, or media hosted elsewhere".into(),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn footprint_counts_folders_and_keeps_the_largest() {
        let f = Footprint::of([
            ("/index.html", 10),
            ("/tags/a/index.html", 20),
            ("/tags/b/index.html", 30),
            ("/search/public/p/0.gz", 500),
        ]);
        assert_eq!((f.files, f.bytes), (4, 560));
        assert_eq!(f.by_folder["/tags/"], (2, 50));
        assert_eq!(f.by_folder["/"], (1, 10));
        assert_eq!(f.per_folder["/tags/a/"], 1);
        assert_eq!(f.largest[0].0, "/search/public/p/0.gz");
        assert_eq!(f.biggest(false, 1), "/tags/ 2 files (50 %)");
        assert_eq!(thousands(41_387), "41,387");
        assert_eq!(f.summary(), "4 files, 560 B");
    }

    #[test]
    fn the_largest_ten_are_the_same_in_any_order_of_adding() {
        // 30 files, sizes with ties, added forwards and backwards (a build
        // adds them from two threads in no fixed order).
        let files: Vec<(String, u64)> = (0..30)
            .map(|i| (format!("/f/{i:02}.bin"), 100 - (i / 3) * 5))
            .collect();
        let forwards = Footprint::of(files.iter().map(|(p, s)| (p.as_str(), *s)));
        let backwards = Footprint::of(files.iter().rev().map(|(p, s)| (p.as_str(), *s)));
        assert_eq!(forwards.largest, backwards.largest);
        let names: Vec<&str> = forwards.largest.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            names[..4],
            ["/f/00.bin", "/f/01.bin", "/f/02.bin", "/f/03.bin"]
        );
        assert_eq!(forwards.largest.len(), 10);
        assert_eq!(forwards.largest[9], ("/f/09.bin".to_string(), 85));
        assert_eq!(forwards.per_folder["/f/"], 30);
        assert_eq!(forwards.by_folder["/f/"], (30, backwards.bytes));
        // A path with doubled slashes counts under its first folder.
        let odd = Footprint::of([("//x/y.html", 1), ("/x/z.html", 2)]);
        assert_eq!(odd.by_folder["/x/"], (2, 3));
    }

    #[test]
    fn a_named_host_warns_past_its_limits_and_names_what_weighs_most() {
        let cfg = "title = \"t\"\nbase_url = \"https://a.org\"\n[deploy]\nhost = \"cloudflare\"\naccess_team = \"https://t.cloudflareaccess.com\"\naccess_aud = \"x\"\n";
        let (site, _) = crate::content::testing::site(cfg, &[]);
        let mut files: Vec<(String, u64)> = (0..20_001)
            .map(|i| (format!("/tags/t{i}/index.html"), 100))
            .collect();
        files.push(("/big.bin".into(), 30 * MIB));
        let f = Footprint::of(files.iter().map(|(p, s)| (p.as_str(), *s)));
        let w = check(&site, &f);
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(
            w[0].message
                .contains("20,002 files, over its limit of 20,000")
        );
        assert!(
            w[0].message.contains("/tags/ 20,001 files (99 %)"),
            "{}",
            w[0].message
        );
        assert!(w[1].message.contains("/big.bin (30.0 MiB)"));
        assert!(w.iter().all(|d| !d.is_error()));
        // Under the limits, or with no host named: nothing to say.
        let small = Footprint::of([("/index.html", 10)]);
        assert!(check(&site, &small).is_empty());
        let (none, _) =
            crate::content::testing::site("title = \"t\"\nbase_url = \"https://a.org\"\n", &[]);
        assert!(check(&none, &f).is_empty());
    }
}
