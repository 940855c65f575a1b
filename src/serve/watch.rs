//! Watching the site's sources and turning bursts of file events into one
//! rebuild request.
//!
//! Editors rarely write a file in place. Vim writes a probe file `4913`, a
//! swap file `.x.md.swp` and a backup `x.md~`; others write `.x.md.tmp` and
//! rename it over `x.md`, or delete the file and create it again. So events
//! about hidden and temporary names are ignored (by the rules the build's
//! walk uses, `content::is_ignored` and `content::is_junk`), renames count when their
//! target is a real file, and events are collected until the folder has been
//! quiet for [`QUIET`] before one rebuild is asked for.

use std::collections::BTreeSet;
use std::path::{Component, Path};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, CreateKind, ModifyKind};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::content;

/// How long the sources must be quiet before a rebuild starts.
/// Editors finish a save (write a temporary file, rename it over the page)
/// within a few milliseconds; 30 ms covers that and leaves most of the
/// 100 ms between a save and the new page for the rebuild itself.
const QUIET: Duration = Duration::from_millis(30);
/// A rebuild starts after this long even if events keep coming.
const MAX_WAIT: Duration = Duration::from_millis(1000);

/// The site folders whose contents feed a build.
const WATCHED_DIRS: &[&str] = &["content", "static", "templates", "themes"];

/// Keeps the watcher alive; dropping it stops watching.
pub(super) struct WatchHandle {
    _thread: std::thread::JoinHandle<()>,
}

/// Starts watching `root` (canonical) and the site-relative `data_files`
/// (`[[data]]` sources, which may be anywhere in the site); `on_change`
/// gets the changed paths, relative to the site, once per burst of changes.
pub(super) fn start(
    root: &Path,
    data_files: Vec<String>,
    repository: bool,
    on_change: impl Fn(Vec<String>) + Send + 'static,
) -> Result<WatchHandle, String> {
    let (tx, rx) = mpsc::channel::<notify::Result<Event>>();
    let mut watcher: RecommendedWatcher =
        notify::recommended_watcher(tx).map_err(|e| e.to_string())?;
    // The root itself only non-recursively: it holds hearth.toml, and seeing
    // a source folder appear there lets us start watching it.
    // In repository mode the whole repository is the content (what the
    // walk skips is filtered out per event).
    let root_mode = if repository {
        RecursiveMode::Recursive
    } else {
        RecursiveMode::NonRecursive
    };
    watcher.watch(root, root_mode).map_err(|e| e.to_string())?;
    for d in WATCHED_DIRS.iter().filter(|_| !repository) {
        let dir = root.join(d);
        if dir.is_dir() {
            watcher
                .watch(&dir, RecursiveMode::Recursive)
                .map_err(|e| format!("{}: {e}", dir.display()))?;
        }
    }
    // A data file's folder, not the file: editors save by writing a new
    // file and renaming it over the old one.
    for f in &data_files {
        if let Some(dir) = root.join(f).parent()
            && dir.is_dir()
            && dir != root
        {
            let _ = watcher.watch(dir, RecursiveMode::NonRecursive);
        }
    }
    let root = root.to_path_buf();
    let thread = std::thread::Builder::new()
        .name("hearth-watch".into())
        .spawn(move || debounce_loop(watcher, &root, &data_files, repository, &rx, on_change))
        .map_err(|e| e.to_string())?;
    Ok(WatchHandle { _thread: thread })
}

fn debounce_loop(
    mut watcher: RecommendedWatcher,
    root: &Path,
    data_files: &[String],
    repository: bool,
    rx: &mpsc::Receiver<notify::Result<Event>>,
    on_change: impl Fn(Vec<String>),
) {
    loop {
        let mut changed = BTreeSet::new();
        let mut any = false;
        // Block until something relevant happens.
        while !any {
            match rx.recv() {
                Ok(ev) => {
                    any = absorb(&mut watcher, root, data_files, repository, ev, &mut changed)
                }
                Err(_) => return,
            }
        }
        // Then collect the rest of the burst.
        let started = Instant::now();
        while started.elapsed() < MAX_WAIT {
            match rx.recv_timeout(QUIET) {
                Ok(ev) => {
                    absorb(&mut watcher, root, data_files, repository, ev, &mut changed);
                }
                // A file saved by truncating it and writing it again
                // (Node's writeFile, many editors without atomic save) is
                // empty in between; on a busy machine the write can come
                // after the quiet time. An empty file written a moment ago
                // is waited for a little longer before it is read.
                Err(mpsc::RecvTimeoutError::Timeout)
                    if started.elapsed() < MAX_WAIT && just_emptied(root, &changed) =>
                {
                    continue;
                }
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
        }
        on_change(changed.into_iter().collect());
    }
}

/// Whether one of the changed files is empty and was modified within the
/// last quarter second: likely half-way through being written.
fn just_emptied(root: &Path, changed: &BTreeSet<String>) -> bool {
    changed.iter().any(|rel| {
        std::fs::metadata(root.join(rel)).is_ok_and(|m| {
            m.is_file()
                && m.len() == 0
                && m.modified()
                    .ok()
                    .and_then(|t| t.elapsed().ok())
                    .is_some_and(|age| age < Duration::from_millis(250))
        })
    })
}

/// Records what `ev` changed; true if it may change the build.
fn absorb(
    watcher: &mut RecommendedWatcher,
    root: &Path,
    data_files: &[String],
    repository: bool,
    ev: notify::Result<Event>,
    changed: &mut BTreeSet<String>,
) -> bool {
    let ev = match ev {
        Ok(ev) => ev,
        // Lost events (a queue overflow, a watch removed): a full rebuild
        // is always correct; the empty path asks for one.
        Err(_) => {
            changed.insert(String::new());
            return true;
        }
    };
    if !kind_matters(&ev.kind) {
        return false;
    }
    let mut relevant = false;
    for p in &ev.paths {
        let rel = if repository {
            repository_path(root, p)
        } else {
            relevant_path(root, p, data_files)
        };
        let Some(rel) = rel else {
            continue;
        };
        relevant = true;
        // A source folder created (or re-created) after start: watch it.
        let appeared = matches!(
            ev.kind,
            EventKind::Create(CreateKind::Folder | CreateKind::Any)
                | EventKind::Modify(ModifyKind::Name(_))
        );
        if appeared && !repository && WATCHED_DIRS.contains(&rel.as_str()) && p.is_dir() {
            let _ = watcher.watch(p, RecursiveMode::Recursive);
        }
        changed.insert(rel);
    }
    if ev.paths.is_empty() && ev.need_rescan() {
        changed.insert(String::new());
        return true;
    }
    relevant
}

/// Whether an event of this kind can change what a build reads.
fn kind_matters(kind: &EventKind) -> bool {
    match kind {
        // Reading files (the build itself does) and metadata such as access
        // times change nothing in the output.
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        _ => true,
    }
}

/// The site-relative path of `p` if a change to it matters, else `None`.
fn relevant_path(root: &Path, p: &Path, data_files: &[String]) -> Option<String> {
    let rel = p.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let first = parts.first()?;
    let joined = parts.join("/");
    if data_files
        .iter()
        .any(|f| f.trim_start_matches("./") == joined)
    {
        return Some(joined);
    }
    let source =
        first == crate::config::FILE && parts.len() == 1 || WATCHED_DIRS.contains(&first.as_str());
    // The walk's own rules: a change the build would not read is no change.
    let skipped = if first == content::STATIC_DIR {
        content::is_junk
    } else {
        content::is_ignored
    };
    if !source || parts.iter().any(|s| skipped(s)) {
        return None;
    }
    Some(parts.join("/"))
}

/// Repository mode: the repository-relative path of `p` unless the walk
/// skips it (hidden names, `.git`, dependency and build folders such as
/// `public/`, where a build writes); `.hearth/` is Hearth's own folder.
fn repository_path(root: &Path, p: &Path) -> Option<String> {
    let rel = p.strip_prefix(root).ok()?;
    let mut parts = Vec::new();
    for c in rel.components() {
        let Component::Normal(s) = c else { return None };
        let s = s.to_string_lossy().into_owned();
        // `.hearth/` holds the site's own templates, static files, themes.
        let own = parts.is_empty() && s == crate::config::REPOSITORY_OWN_DIR;
        if !own && content::is_ignored(&s) || content::repo::PLUMBING_DIRS.contains(&s.as_str()) {
            return None;
        }
        parts.push(s);
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sources_matter() {
        let root = Path::new("/site");
        let rel = |p: &str| relevant_path(root, Path::new(p), &["data/members.csv".to_string()]);
        assert_eq!(rel("/site/hearth.toml").as_deref(), Some("hearth.toml"));
        assert_eq!(
            rel("/site/content/活动/读书会.md").as_deref(),
            Some("content/活动/读书会.md")
        );
        assert_eq!(rel("/site/content").as_deref(), Some("content"));
        assert_eq!(
            rel("/site/themes/t/templates/page.html").as_deref(),
            Some("themes/t/templates/page.html")
        );
        assert_eq!(rel("/site/public/index.html"), None);
        assert_eq!(rel("/site/.hearth.toml.swp"), None);
        assert_eq!(rel("/site/content/.x.md.swp"), None);
        assert_eq!(rel("/site/content/4913"), None);
        assert_eq!(rel("/site/themes/t/.git/HEAD"), None);
        assert_eq!(rel("/site/content/x.md.swo"), None, "as the walk skips it");
        assert_eq!(
            rel("/site/static/.well-known/security.txt").as_deref(),
            Some("static/.well-known/security.txt"),
            "the build publishes it, so a change to it rebuilds"
        );
        assert_eq!(rel("/site/static/.git/HEAD"), None);
        assert_eq!(rel("/elsewhere/content/x.md"), None);
        // A [[data]] file is a source wherever it is; its neighbours are not.
        assert_eq!(
            rel("/site/data/members.csv").as_deref(),
            Some("data/members.csv")
        );
        assert_eq!(rel("/site/data/notes.txt"), None);
    }

    #[test]
    fn in_a_repository_every_page_matters_but_plumbing_does_not() {
        let root = Path::new("/repo");
        let rel = |p: &str| repository_path(root, Path::new(p));
        assert_eq!(
            rel("/repo/sig-apps/README.md").as_deref(),
            Some("sig-apps/README.md")
        );
        assert_eq!(rel("/repo/hearth.toml").as_deref(), Some("hearth.toml"));
        assert_eq!(rel("/repo/.git/index"), None);
        assert_eq!(rel("/repo/node_modules/x/README.md"), None);
        assert_eq!(
            rel("/repo/public/index.html"),
            None,
            "the build's own output"
        );
        assert_eq!(rel("/repo/docs/.README.md.swp"), None);
        assert_eq!(rel("/repo"), None);
        assert_eq!(
            rel("/repo/.hearth/templates/page.html").as_deref(),
            Some(".hearth/templates/page.html")
        );
    }

    #[test]
    fn reads_and_metadata_do_not_trigger_builds() {
        use notify::event::{MetadataKind, RenameMode};
        assert!(!kind_matters(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!kind_matters(&EventKind::Modify(ModifyKind::Metadata(
            MetadataKind::AccessTime
        ))));
        assert!(kind_matters(&EventKind::Modify(ModifyKind::Name(
            RenameMode::To
        ))));
        assert!(kind_matters(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
    }
}
