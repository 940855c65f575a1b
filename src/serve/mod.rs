//! `hearth serve`: load the site in memory, serve it over HTTP, apply every
//! change and reload the browser tabs it touched.
//!
//! Authors preview what `hearth build` would publish, so correctness comes
//! first, then speed: an edit of an existing page is patched into the
//! loaded site (`content::patch` reads that file only and promises the model
//! a fresh load gives), any other change loads the site again on a
//! background thread while the last good one stays served, and files are
//! rendered when a browser asks for them (`serve/preview.rs`) with the
//! functions `hearth build` uses. A failed change keeps the last good site
//! on screen and shows its diagnostics in an overlay and the terminal.
//! Nothing is written to `public/`.
//!
//! Why these building blocks:
//! - HTTP is a small hand-written HTTP/1.1 server on `std::net` (`serve/http.rs`),
//!   one thread per connection. The server only talks to a browser on the
//!   author's machine and needs GET/HEAD, keep-alive and one long-lived
//!   streaming response for server-sent events. `tiny_http` can stream only
//!   through a blocking `Read` adaptor and is lightly maintained; `hyper`
//!   would bring an async runtime into a synchronous code base. A few hundred
//!   lines with hard limits (header size, timeouts, connection count) are
//!   easier to audit than either.
//! - File watching uses `notify`, the cross-platform watcher that cargo-watch,
//!   Zola and mdBook use. Debouncing is done here (`serve/watch.rs`) rather than with
//!   a debouncer crate because editor temp files must be filtered out before
//!   an event counts as a change.
//! - Ctrl-C uses `ctrlc`, so that an interrupt ends `run` normally and the
//!   process exits with 0 instead of dying from the signal.

mod http;
mod preview;
mod watch;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::build::{self, Output};
use crate::content::LoadOptions;
use crate::diagnostics::{self, Diagnostic, Format};
use crate::images::ProbeCache;
use crate::render::Asset;

/// What `hearth serve` was asked to do; `main.rs` fills it from the flags.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site folder (with `hearth.toml`).
    pub site: PathBuf,
    /// Address to listen on; loopback by default so a preview is not public.
    pub bind: IpAddr,
    /// Port to listen on; 0 picks a free one (handy for tests and scripts).
    pub port: u16,
    /// Preview the site as this tier sees it.
    pub audience: Option<String>,
    /// Include drafts, as authors usually want while writing.
    pub drafts: bool,
    /// Open the browser once the first build finished.
    pub open: bool,
    /// Colour the terminal diagnostics (decided by the caller, who knows the terminal).
    pub color: bool,
}

/// Why the server could not start; every case is a usage problem (exit code 2).
#[derive(Debug)]
pub enum ServeError {
    /// Another program listens on the port: the author should pick another.
    PortBusy(SocketAddr),
    /// The address could not be bound for another reason (not local, no permission).
    Bind(SocketAddr, std::io::Error),
    /// The folder is not a site, or "now" cannot be resolved.
    Site(String),
    /// The watcher or the signal handler could not be set up.
    Setup(String),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::PortBusy(a) => write!(
                f,
                "port {} on {} is already in use; pick another with --port, e.g. --port {}",
                a.port(),
                a.ip(),
                a.port().checked_add(1).unwrap_or(1111)
            ),
            ServeError::Bind(a, e) => write!(
                f,
                "cannot listen on {a}: {e}; choose another address with --bind or another port with --port"
            ),
            ServeError::Site(m) | ServeError::Setup(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for ServeError {}

/// One successful build, published to all requests.
pub(crate) struct Snapshot {
    /// Unique per server run and build, so open pages know whether they are stale.
    pub id: String,
    /// The files, exactly as `hearth build` would write them.
    pub view: View,
}

impl Snapshot {
    /// The file at site path `key` (`None`: no such file; `Err`: it failed to render).
    pub fn get(&self, key: &str) -> Option<Result<Vec<u8>, Diagnostic>> {
        let asset = |a: &Asset| match a {
            Asset::Embedded(b) => Some(b.to_vec()),
            // Copied files are read when asked for; one deleted since the
            // build is simply not there (a rebuild is on its way).
            Asset::Disk(p) => std::fs::read(p).ok(),
        };
        match &self.view {
            View::Built(o) => match o.files.get(key) {
                Some(b) => Some(Ok(b.clone())),
                None => asset(&o.copies.get(key)?.0).map(Ok),
            },
            View::Live(l) => {
                let got = l.lock().unwrap_or_else(|e| e.into_inner()).get(key)?;
                match got {
                    Ok(preview::Served::Bytes(b)) => Some(Ok(b.to_vec())),
                    Ok(preview::Served::Copy(a)) => asset(&a).map(Ok),
                    Err(d) => Some(Err(d)),
                }
            }
        }
    }

    /// Whether there is a file at `key`.
    pub fn has(&self, key: &str) -> bool {
        match &self.view {
            View::Built(o) => o.files.contains_key(key) || o.copies.contains_key(key),
            View::Live(l) => l.lock().unwrap_or_else(|e| e.into_inner()).has(key),
        }
    }

    /// Every path, sorted.
    pub fn paths(&self) -> Vec<String> {
        match &self.view {
            View::Built(o) => {
                let mut v: Vec<String> = o.files.keys().chain(o.copies.keys()).cloned().collect();
                v.sort();
                v
            }
            View::Live(l) => l.lock().unwrap_or_else(|e| e.into_inner()).paths(),
        }
    }
}

/// Where a snapshot's files come from.
pub(crate) enum View {
    /// A finished build held in memory (the server's unit tests).
    #[cfg_attr(not(test), allow(dead_code))]
    Built(Output),
    /// The live preview, rendering files as they are asked for.
    Live(Arc<Mutex<preview::Preview>>),
}

/// What the last finished build left behind, shared by the builder and the server.
pub(crate) struct Status {
    /// Counts finished builds (good or failed); SSE clients wait for it to move.
    pub seq: u64,
    /// The site being served: the last successful build.
    pub good: Option<Arc<Snapshot>>,
    /// Errors of the last build; empty when it succeeded.
    pub errors: Vec<Diagnostic>,
    /// Whether a build is running now.
    pub building: bool,
    /// How long the last finished build took.
    pub elapsed_ms: u128,
}

/// State shared by the builder, the watcher and the connection threads.
pub(crate) struct Shared {
    status: Mutex<Status>,
    /// Signalled whenever `status.seq` moves.
    pub changed: Condvar,
    /// `--audience`, shown in the preview badge.
    pub audience: Option<String>,
    dirty: Mutex<Vec<String>>,
    wake: Condvar,
    rebuild: AtomicBool,
}

impl Shared {
    /// The status, even if a thread panicked while holding the lock: the
    /// server must keep answering.
    pub fn status(&self) -> MutexGuard<'_, Status> {
        self.status.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Asks for a rebuild; changes that arrive during a build are coalesced
    /// into one more build after it.
    fn request_rebuild(&self, changed: Vec<String>) {
        let mut d = self.dirty.lock().unwrap_or_else(|e| e.into_inner());
        d.extend(changed);
        self.rebuild.store(true, Ordering::SeqCst);
        self.wake.notify_all();
    }

    /// Waits for a rebuild request and takes the changed paths.
    fn take_rebuild(&self) -> Vec<String> {
        let mut d = self.dirty.lock().unwrap_or_else(|e| e.into_inner());
        while !self.rebuild.swap(false, Ordering::SeqCst) {
            d = self.wake.wait(d).unwrap_or_else(|e| e.into_inner());
        }
        std::mem::take(&mut *d)
    }
}

/// Serves the site until Ctrl-C (or SIGTERM); returns `Ok` then, so the
/// process exits with 0.
pub fn run(opts: &ServeOptions) -> Result<(), ServeError> {
    // A folder of Markdown without hearth.toml is served in repository mode.
    if !opts.site.join(crate::config::FILE).is_file()
        && crate::content::repo::detect(&opts.site).is_none()
    {
        return Err(ServeError::Site(format!(
            "{} has no {} and no Markdown file at its root: serve a site folder or a repository of Markdown, or create a hub with `hearth init`",
            opts.site.display(),
            crate::config::FILE
        )));
    }
    // Validate SOURCE_DATE_EPOCH once so a typo is a clear startup error;
    // each build resolves "now" again, as a fresh `hearth build` would.
    build::resolve_now(None).map_err(ServeError::Site)?;

    let addr = SocketAddr::new(opts.bind, opts.port);
    let listener = TcpListener::bind(addr).map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => ServeError::PortBusy(addr),
        _ => ServeError::Bind(addr, e),
    })?;
    let local = listener
        .local_addr()
        .map_err(|e| ServeError::Bind(addr, e))?;
    let base_url = base_url(local);

    let (stop_tx, stop_rx) = std::sync::mpsc::channel::<()>();
    ctrlc::set_handler(move || {
        let _ = stop_tx.send(());
    })
    .map_err(|e| ServeError::Setup(format!("cannot handle Ctrl-C: {e}")))?;

    let shared = Arc::new(Shared {
        status: Mutex::new(Status {
            seq: 0,
            good: None,
            errors: Vec::new(),
            building: false,
            elapsed_ms: 0,
        }),
        changed: Condvar::new(),
        audience: opts.audience.clone(),
        dirty: Mutex::new(Vec::new()),
        wake: Condvar::new(),
        rebuild: AtomicBool::new(false),
    });

    // Watch before the first build so that edits made while it runs are seen.
    let watch_root = std::fs::canonicalize(&opts.site).unwrap_or_else(|_| opts.site.clone());
    let w = Arc::clone(&shared);
    // Data files may be anywhere in the site: watch those the config names.
    let config = crate::content::load_config(&opts.site).ok();
    let data_files: Vec<String> = config
        .as_ref()
        .map(|c| c.data.iter().map(|d| d.file.value.clone()).collect())
        .unwrap_or_default();
    // In repository mode every folder may hold a page.
    let repository = config.as_ref().is_some_and(|c| c.is_repository());
    let _watcher = watch::start(&watch_root, data_files, repository, move |changed| {
        w.request_rebuild(changed)
    })
    .map_err(|e| ServeError::Setup(format!("cannot watch {}: {e}", opts.site.display())))?;

    let b = Arc::clone(&shared);
    let builder_opts = opts.clone();
    let builder_url = base_url.clone();
    std::thread::Builder::new()
        .name("hearth-build".into())
        .spawn(move || builder(&b, &builder_opts, &builder_url))
        .map_err(|e| ServeError::Setup(format!("cannot start the build thread: {e}")))?;
    shared.request_rebuild(Vec::new());

    let s = Arc::clone(&shared);
    std::thread::Builder::new()
        .name("hearth-http".into())
        .spawn(move || http::accept_loop(listener, s))
        .map_err(|e| ServeError::Setup(format!("cannot start the server thread: {e}")))?;

    let audience = opts
        .audience
        .as_deref()
        .map(|a| format!(" as `{a}`"))
        .unwrap_or_default();
    println!(
        "Serving {}{audience} at {base_url}/ (Ctrl-C to stop)",
        opts.site.display()
    );
    use std::io::Write as _;
    let _ = std::io::stdout().flush();

    // Returns on Ctrl-C; a closed channel (handler gone) also ends the server.
    let _ = stop_rx.recv();
    eprintln!("Stopped.");
    Ok(())
}

/// The URL the site is built under, so absolute links stay on this server.
fn base_url(local: SocketAddr) -> String {
    // Links to 0.0.0.0 or :: do not work in browsers; the machine itself does.
    let host = match local.ip() {
        ip if ip.is_unspecified() => "localhost".to_string(),
        IpAddr::V6(v6) => format!("[{v6}]"),
        IpAddr::V4(v4) => v4.to_string(),
    };
    format!("http://{host}:{}", local.port())
}

/// The builder thread: applies each (coalesced) batch of changes to the
/// preview: an edit of existing pages is patched in (that page is read and
/// rendered again, nothing else), anything else loads the site again while
/// the last good one stays on screen.
fn builder(shared: &Shared, opts: &ServeOptions, base_url: &str) {
    let nonce = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() % 0xffff_ffff)
        .unwrap_or(0);
    let mut builds: u64 = 0;
    let mut opened = !opts.open;
    let mut live: Option<Arc<Mutex<preview::Preview>>> = None;
    // Decoded photos, kept for as long as this server runs: a reload after
    // a save decodes only the images that changed.
    let images = Arc::new(ProbeCache::default());
    loop {
        let changed = shared.take_rebuild();
        shared.status().building = true;
        let started = Instant::now();
        let result = update(&mut live, &changed, opts, base_url, &images);
        let elapsed = started.elapsed();
        let first = builds == 0;
        builds += 1;
        match result {
            Ok((how, warnings)) => {
                report(&warnings, opts);
                let what = if first { "built" } else { how };
                eprintln!(
                    "{what} in {} ms{}",
                    elapsed.as_millis(),
                    describe_changes(&changed)
                );
                let snap = live.as_ref().map(|l| {
                    Arc::new(Snapshot {
                        id: format!("{nonce:x}-{builds}"),
                        view: View::Live(Arc::clone(l)),
                    })
                });
                publish(shared, snap, Vec::new(), elapsed);
            }
            Err(mut diags) => {
                diagnostics::sort(&mut diags);
                report(&diags, opts);
                let errors = diags.iter().filter(|d| d.is_error()).count();
                let keeps = if shared.status().good.is_some() {
                    "still serving the last good build"
                } else {
                    "nothing to serve until it builds"
                };
                eprintln!("build failed: {errors} error(s); {keeps}");
                diags.retain(Diagnostic::is_error);
                if diags.is_empty() {
                    // The overlay needs something to show for a failed build.
                    diags.push(Diagnostic::error(
                        "",
                        diagnostics::codes::IO,
                        "the build failed without saying why",
                    ));
                }
                publish(shared, None, diags, elapsed);
            }
        }
        if !opened {
            opened = true;
            open_browser(&format!("{base_url}/"));
        }
    }
}

/// Applies `changed` to the preview, loading it when there is none yet or
/// the change is more than a page edit. Returns how, and the warnings.
fn update(
    live: &mut Option<Arc<Mutex<preview::Preview>>>,
    changed: &[String],
    opts: &ServeOptions,
    base_url: &str,
    images: &Arc<ProbeCache>,
) -> Result<(&'static str, Vec<Diagnostic>), Vec<Diagnostic>> {
    let now = build::resolve_now(None)
        .map_err(|m| vec![Diagnostic::error("", diagnostics::codes::IO, m)])?;
    let load = LoadOptions {
        drafts: opts.drafts,
        base_url: Some(base_url.to_string()),
        audience: opts.audience.clone(),
        host: None,
        publish: false,
        images: Some(Arc::clone(images)),
    };
    // A bug in a build step must not take the preview down with it.
    let guarded =
        |f: &mut dyn FnMut() -> Result<(&'static str, Vec<Diagnostic>), Vec<Diagnostic>>| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|_| {
                Err(vec![
                    Diagnostic::error(
                        "",
                        diagnostics::codes::IO,
                        "the build crashed (a bug in Hearth)",
                    )
                    .with_help(
                        "the message above says where; please report it with the file you changed",
                    ),
                ])
            })
        };
    if let Some(l) = live.as_ref() {
        let mut p = l.lock().unwrap_or_else(|e| e.into_inner());
        let patched = guarded(&mut || match p.patch(changed, &load, now) {
            Some(r) => r.map(|w| ("patched", w)),
            None => Err(Vec::new()),
        });
        match patched {
            Ok(done) => return Ok(done),
            // A real failure: the preview is unchanged.
            Err(d) if !d.is_empty() => return Err(d),
            Err(_) => {}
        }
    }
    // A full load, while the last good preview keeps answering.
    let mut fresh = None;
    let result = guarded(&mut || {
        let (p, warnings) = preview::Preview::load(&opts.site, &load, now)?;
        fresh = Some(p);
        Ok(("rebuilt", warnings))
    });
    if let Some(p) = fresh {
        match live {
            Some(l) => *l.lock().unwrap_or_else(|e| e.into_inner()) = p,
            None => *live = Some(Arc::new(Mutex::new(p))),
        }
    }
    result
}

fn publish(
    shared: &Shared,
    snap: Option<Arc<Snapshot>>,
    errors: Vec<Diagnostic>,
    elapsed: Duration,
) {
    let mut st = shared.status();
    if snap.is_some() {
        st.good = snap;
    }
    st.errors = errors;
    st.building = false;
    st.elapsed_ms = elapsed.as_millis();
    st.seq += 1;
    drop(st);
    shared.changed.notify_all();
}

fn describe_changes(changed: &[String]) -> String {
    let mut c: Vec<&str> = changed.iter().map(String::as_str).collect();
    c.sort_unstable();
    c.dedup();
    match c.len() {
        0 => String::new(),
        1..=3 => format!(" ({})", c.join(", ")),
        n => format!(" ({}, … {n} files)", c[..2].join(", ")),
    }
}

fn report(diags: &[Diagnostic], opts: &ServeOptions) {
    if diags.is_empty() {
        return;
    }
    let prefix: &Path = opts.site.strip_prefix(".").unwrap_or(&opts.site);
    eprint!(
        "{}",
        diagnostics::render(diags, Format::Human, prefix, opts.color)
    );
}

/// Opens the default browser; failing to is not worth an error.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let child = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Ok(mut c) = child {
        // Reap it in the background so it does not linger as a zombie.
        let _ = std::thread::Builder::new()
            .name("hearth-open".into())
            .spawn(move || {
                let _ = c.wait();
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_is_reachable_from_the_browser() {
        let a: SocketAddr = "127.0.0.1:1111".parse().unwrap();
        assert_eq!(base_url(a), "http://127.0.0.1:1111");
        let a: SocketAddr = "0.0.0.0:8080".parse().unwrap();
        assert_eq!(base_url(a), "http://localhost:8080");
        let a: SocketAddr = "[::1]:9".parse().unwrap();
        assert_eq!(base_url(a), "http://[::1]:9");
    }

    #[test]
    fn changes_are_summarised_on_one_line() {
        assert_eq!(describe_changes(&[]), "");
        let c = vec!["content/a.md".to_string(), "content/a.md".to_string()];
        assert_eq!(describe_changes(&c), " (content/a.md)");
        let many: Vec<String> = (0..5).map(|i| format!("f{i}")).collect();
        assert_eq!(describe_changes(&many), " (f0, f1, … 5 files)");
    }
}
