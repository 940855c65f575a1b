//! `hearth serve` end to end: the real binary on a temp copy of
//! `tests/fixtures/serve-site`, spoken to over plain HTTP/1.1, edited while it
//! runs, and compared with a fresh `hearth build` of the same folder.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;

/// "Now" for the server's builds: 2026-11-23T12:00:00Z, the `--now` that
/// `common::build` passes to the fresh builds it is compared with.
const NOW_EPOCH: &str = "1795435200";
/// How long the server may take to notice and rebuild (generous: CI has two cores).
const PATIENCE: Duration = Duration::from_secs(20);
/// The tag `hearth serve` adds to HTML; everything else must equal the build.
const LIVE_TAG: &str = "<script src=\"/__hearth/live.js\"";

/// A running `hearth serve`; dropping it kills the process, so a failing
/// test never leaves a server behind.
struct Server {
    child: Child,
    url: String,
    log: Arc<Mutex<String>>,
}

impl Server {
    fn start(site: &Path, extra: &[&str]) -> Server {
        let mut child = serve_command(site, extra)
            .spawn()
            .expect("hearth serve starts");
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel::<String>();
        let out = child.stdout.take().unwrap();
        let err = child.stderr.take().unwrap();
        pump(out, Arc::clone(&log), Some(tx));
        pump(err, Arc::clone(&log), None);
        let mut server = Server {
            child,
            url: String::new(),
            log,
        };
        let deadline = Instant::now() + PATIENCE;
        while server.url.is_empty() {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) => {
                    if let Some(i) = line.find("http://") {
                        let url = line[i..].split_whitespace().next().unwrap();
                        server.url = url.trim_end_matches('/').to_string();
                    }
                }
                Err(_) => panic!("hearth serve did not start:\n{}", server.log()),
            }
        }
        server.wait_status(|s| s["ok"] == true, "the first build");
        server
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// The terminal log once `ok` holds of it. The server prints a build's
    /// outcome before it publishes the new status, but the lines reach this
    /// process through a pipe and a reader thread, so a test that has seen
    /// the status must still wait for the line.
    fn wait_log(&self, ok: impl Fn(&str) -> bool, what: &str) -> String {
        let start = Instant::now();
        loop {
            let log = self.log();
            if ok(&log) {
                return log;
            }
            if start.elapsed() > PATIENCE {
                panic!("timed out waiting for {what} in the log:\n{log}");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// The log once it reports `n` finished builds (the first one included),
    /// whichever way each ended.
    fn log_after_builds(&self, n: usize) -> String {
        self.wait_log(|l| outcomes(l) >= n, &format!("{n} build outcomes"))
    }

    fn get(&self, path: &str) -> Resp {
        request(&self.url, "GET", path)
    }

    fn text(&self, path: &str) -> String {
        String::from_utf8(self.get(path).body).unwrap()
    }

    fn status(&self) -> serde_json::Value {
        serde_json::from_slice(&self.get("/__hearth/status").body).unwrap()
    }

    /// Polls `/__hearth/status` until `ok` holds; returns it.
    fn wait_status(
        &self,
        ok: impl Fn(&serde_json::Value) -> bool,
        what: &str,
    ) -> serde_json::Value {
        let start = Instant::now();
        loop {
            let s = self.status();
            if ok(&s) {
                return s;
            }
            if start.elapsed() > PATIENCE {
                panic!("timed out waiting for {what}; status {s}\n{}", self.log());
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// Waits until no build runs and none finished for a while; returns the
    /// build counter then.
    fn settle(&self) -> serde_json::Value {
        let start = Instant::now();
        let mut last = self.status();
        loop {
            std::thread::sleep(Duration::from_millis(400));
            let now = self.status();
            if now["seq"] == last["seq"] && now["building"] == false {
                return now["seq"].clone();
            }
            if start.elapsed() > PATIENCE {
                panic!("the server never settled; status {now}\n{}", self.log());
            }
            last = now;
        }
    }

    /// Polls `path` until its body contains `needle`; returns how long it took.
    fn wait_text(&self, path: &str, needle: &str) -> Duration {
        let start = Instant::now();
        loop {
            if self.text(path).contains(needle) {
                return start.elapsed();
            }
            if start.elapsed() > PATIENCE {
                panic!(
                    "{path} never showed {needle:?}:\n{}\n--- log ---\n{}",
                    self.text(path),
                    self.log()
                );
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Sends SIGINT (what Ctrl-C sends) and waits for the exit.
    #[cfg(unix)]
    fn interrupt(mut self) -> ExitStatus {
        let pid = self.child.id().to_string();
        let ok = Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success();
        assert!(ok, "kill -INT {pid}");
        wait_with_timeout(&mut self.child, PATIENCE).expect("serve stops on Ctrl-C")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve_command(site: &Path, extra: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_hearth"));
    c.arg("serve")
        .arg(site)
        .args(extra)
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", NOW_EPOCH)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if !extra.contains(&"--port") {
        c.args(["--port", "0"]);
    }
    c
}

/// Copies a pipe into the log (so the child never blocks on a full pipe).
/// How many builds the log reports as finished: built, patched in, rebuilt
/// or failed.
fn outcomes(log: &str) -> usize {
    log.lines()
        .filter(|l| {
            ["built in ", "patched in ", "rebuilt in ", "build failed: "]
                .iter()
                .any(|p| l.starts_with(p))
        })
        .count()
}

fn pump(
    pipe: impl Read + Send + 'static,
    log: Arc<Mutex<String>>,
    lines: Option<std::sync::mpsc::Sender<String>>,
) {
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines() {
            let Ok(line) = line else { break };
            log.lock().unwrap().push_str(&format!("{line}\n"));
            if let Some(tx) = &lines {
                let _ = tx.send(line);
            }
        }
    });
}

fn wait_with_timeout(child: &mut Child, limit: Duration) -> Option<ExitStatus> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if let Some(s) = child.try_wait().unwrap() {
            return Some(s);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A tiny HTTP/1.1 client: one request per connection.
fn request(base: &str, method: &str, path: &str) -> Resp {
    let host = base.trim_start_matches("http://");
    let mut s = TcpStream::connect(host).unwrap_or_else(|e| panic!("connect {host}: {e}"));
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(&raw)));
    let head = String::from_utf8(raw[..split].to_vec()).unwrap();
    let body = raw[split + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let resp = Resp {
        status,
        headers,
        body,
    };
    if method == "GET" {
        let len: usize = resp.header("content-length").unwrap().parse().unwrap();
        assert_eq!(len, resp.body.len(), "{path}: Content-Length matches");
    }
    resp
}

/// Percent-encodes a path the way a browser does (non-ASCII as UTF-8 bytes).
fn encode(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A fresh copy of the fixture site to edit.
fn site_copy() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&fixture("serve-site"), &site);
    (tmp, site)
}

/// Writes a file the way many editors do: a temp file renamed into place.
fn atomic_write(path: &Path, text: &str) {
    let tmp = path.with_file_name(format!(
        ".{}.tmp",
        path.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

/// Writes a file the way Vim does by default: probe file `4913`, a swap
/// file, the original renamed to a `~` backup, a new file, cleanup.
fn vim_write(path: &Path, text: &str) {
    let dir = path.parent().unwrap();
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let swap = dir.join(format!(".{name}.swp"));
    std::fs::write(&swap, b"swap").unwrap();
    let probe = dir.join("4913");
    std::fs::write(&probe, b"").unwrap();
    std::fs::remove_file(&probe).unwrap();
    let backup = dir.join(format!("{name}~"));
    std::fs::rename(path, &backup).unwrap();
    std::fs::write(path, text).unwrap();
    std::fs::remove_file(&backup).unwrap();
    std::fs::remove_file(&swap).unwrap();
}

/// Removes the live-reload tag from served HTML (exactly one must be there).
fn strip_live_tag(path: &str, body: &[u8]) -> Vec<u8> {
    let text = String::from_utf8(body.to_vec()).unwrap();
    assert_eq!(
        text.matches(LIVE_TAG).count(),
        1,
        "{path}: one live-reload tag"
    );
    let start = text.find(LIVE_TAG).unwrap();
    let end = start + text[start..].find("</script>").unwrap() + "</script>".len();
    format!("{}{}", &text[..start], &text[end..]).into_bytes()
}

#[test]
fn serves_pages_with_content_types_pretty_urls_and_404() {
    let (_tmp, site) = site_copy();
    let server = Server::start(&site, &[]);

    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let html = String::from_utf8(home.body).unwrap();
    assert!(html.contains("Serve Fixture Club"), "{html}");
    assert!(html.contains(LIVE_TAG), "live reload is injected");
    assert!(
        html.contains(&format!("{}/", server.url)) && !html.contains("serve.example.org"),
        "links use the local base URL, not the config's"
    );

    for (path, ctype) in [
        (
            "/events/reading-night/event.ics",
            "text/calendar; charset=utf-8",
        ),
        ("/calendar.ics", "text/calendar; charset=utf-8"),
        ("/style.css", "text/css"),
        ("/site.css", "text/css"),
        ("/hearth.js", "application/javascript"),
        ("/atom.xml", "application/atom+xml"),
        ("/sitemap.xml", "application/xml"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/events/reading-night/", "text/html; charset=utf-8"),
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("content-type"), Some(ctype), "{path}");
        let is_html = ctype.starts_with("text/html");
        assert_eq!(
            String::from_utf8_lossy(&r.body).contains(LIVE_TAG),
            is_html,
            "{path}: the script goes into HTML only"
        );
    }
    let ics = server.text("/events/reading-night/event.ics");
    assert!(ics.starts_with("BEGIN:VCALENDAR"), "{ics}");
    assert!(ics.contains("Reading Night"), "{ics}");

    // A Chinese path, percent-encoded as a browser sends it.
    let zh = server.get(&encode("/活动/读书会/"));
    assert_eq!(zh.status, 200);
    assert!(String::from_utf8(zh.body).unwrap().contains("每周六晚上见"));

    // A missing slash redirects; the target is encoded.
    let r = server.get("/events/reading-night");
    assert_eq!(r.status, 301);
    assert_eq!(r.header("location"), Some("/events/reading-night/"));
    let r = server.get(&encode("/活动/读书会"));
    assert_eq!(r.status, 301);
    assert_eq!(r.header("location"), Some(encode("/活动/读书会/").as_str()));

    // Missing pages: the site's own 404 page, with status 404.
    let r = server.get("/no/such/page/");
    assert_eq!(r.status, 404);
    let body = String::from_utf8(r.body).unwrap();
    let built_404 = String::from_utf8(strip_live_tag(
        "/404.html",
        server.get("/404.html").body.as_slice(),
    ))
    .unwrap();
    assert_eq!(
        String::from_utf8(strip_live_tag("404", body.as_bytes())).unwrap(),
        built_404
    );

    // HEAD: same headers, no body.
    let head = request(&server.url, "HEAD", "/events/reading-night/event.ics");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(
        head.header("content-length").unwrap(),
        ics.len().to_string()
    );

    // Nothing outside the build output, however the path is spelled.
    for bad in [
        "/../hearth.toml",
        "/%2e%2e/hearth.toml",
        "/content/about.md",
        "/%2Fetc%2Fpasswd",
        "/hearth.toml",
    ] {
        let r = server.get(bad);
        assert!(r.status == 400 || r.status == 404, "{bad}: {}", r.status);
        assert!(
            !String::from_utf8_lossy(&r.body).contains("base_url"),
            "{bad}"
        );
    }
    assert_eq!(request(&server.url, "POST", "/").status, 405);

    // Built in memory: nothing written into the site folder.
    assert!(!site.join("public").exists(), "serve writes no public/");
}

#[test]
fn edits_rebuild_and_errors_keep_the_last_good_site() {
    let (_tmp, site) = site_copy();
    let server = Server::start(&site, &[]);
    let about = site.join("content/about.md");
    assert!(server.text("/about/").contains("ORIGINAL-ABOUT-TEXT"));

    // A plain in-place write.
    let started = Instant::now();
    std::fs::write(&about, "+++\ntitle = \"About\"\n+++\nFIRST-EDIT text.\n").unwrap();
    server.wait_text("/about/", "FIRST-EDIT");
    let latency = started.elapsed();
    eprintln!("edit-to-served latency (in-place write): {latency:?}");

    // Vim's save dance still ends in exactly the new text.
    let started = Instant::now();
    vim_write(&about, "+++\ntitle = \"About\"\n+++\nVIM-EDIT text.\n");
    server.wait_text("/about/", "VIM-EDIT");
    eprintln!(
        "edit-to-served latency (vim-style save): {:?}",
        started.elapsed()
    );

    // Break the front matter: the status names file and line, the last good
    // page stays up.
    atomic_write(
        &about,
        "+++\ntitle = \"About\ntier = 3\n+++\nBROKEN text.\n",
    );
    let s = server.wait_status(|s| s["ok"] == false, "the failed build");
    let d = &s["diagnostics"][0];
    assert_eq!(d["file"], "content/about.md", "{s}");
    assert_eq!(d["line"], 2, "{s}");
    assert!(d["col"].as_u64().unwrap() > 0, "{s}");
    assert!(d["message"].as_str().unwrap().contains("TOML"), "{s}");
    assert!(d["help"].is_string(), "{s}");
    let page = server.text("/about/");
    assert!(page.contains("VIM-EDIT"), "the last good page is served");
    assert!(!page.contains("BROKEN"));
    server.wait_log(|l| l.contains("content/about.md:2:"), "the failed line");

    // Delete-then-create fixes it.
    std::fs::remove_file(&about).unwrap();
    std::thread::sleep(Duration::from_millis(30));
    std::fs::write(&about, "+++\ntitle = \"About\"\n+++\nFIXED text.\n").unwrap();
    server.wait_status(|s| s["ok"] == true, "the fixed build");
    server.wait_text("/about/", "FIXED");
    assert_eq!(server.status()["diagnostics"].as_array().unwrap().len(), 0);
    server.wait_log(|l| l.contains("patched in "), "the patch");

    // Hidden and temporary files alone do not rebuild.
    let seq = server.settle();
    std::fs::write(site.join("content/.scratch.md.swp"), "x").unwrap();
    std::fs::write(site.join("content/about.md~"), "x").unwrap();
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(server.status()["seq"], seq, "noise triggered a rebuild");
}

#[test]
fn served_tree_equals_a_fresh_build_after_edits() {
    let (tmp, site) = site_copy();
    let server = Server::start(&site, &[]);
    let c = site.join("content");

    std::fs::write(
        c.join("about.md"),
        "+++\ntitle = \"About us\"\n+++\nNew about.\n",
    )
    .unwrap();
    std::fs::write(
        c.join("events/tea-tasting.md"),
        "+++\ntitle = \"Tea Tasting\"\nstart = 2026-12-12T15:00:00\nduration = \"90m\"\n+++\nGreen and oolong.\n",
    )
    .unwrap();
    std::fs::remove_file(c.join("members-only.md")).unwrap();
    std::fs::rename(c.join("活动/读书会.md"), c.join("活动/读书夜.md")).unwrap();
    std::fs::create_dir_all(c.join("news")).unwrap();
    std::fs::write(c.join("news/_index.md"), "+++\ntitle = \"News\"\n+++\n").unwrap();
    std::fs::write(
        c.join("news/2026-11-20-hello.md"),
        "+++\ntitle = \"Hello\"\ndate = 2026-11-20\n+++\nFirst news.\n",
    )
    .unwrap();
    std::fs::write(site.join("static/site.css"), ".fixture { color: teal; }\n").unwrap();
    // A templates/ folder that did not exist when the server started.
    std::fs::create_dir_all(site.join("templates")).unwrap();
    std::fs::write(
        site.join("templates/plain.html"),
        "<!doctype html><html><head><title>{{ page.title }}</title></head><body><h1>{{ page.title }}</h1></body></html>\n",
    )
    .unwrap();
    std::fs::write(
        c.join("plain.md"),
        "+++\ntitle = \"Plain page\"\ntemplate = \"plain.html\"\n+++\n",
    )
    .unwrap();
    let config = std::fs::read_to_string(site.join("hearth.toml")).unwrap();
    atomic_write(
        &site.join("hearth.toml"),
        &config.replace("Serve Fixture Club", "Renamed Fixture Club"),
    );
    // And a template edit after the folder is being watched.
    server.wait_text("/plain/", "<h1>Plain page</h1>");
    std::fs::write(
        site.join("templates/plain.html"),
        "<!doctype html><html><head><title>{{ page.title }}</title></head><body><h2>{{ page.title }}</h2></body></html>\n",
    )
    .unwrap();

    // The fresh build of the folder as it is now, under the same base URL.
    let out = tmp.path().join("fresh");
    let o = build(&site, &out, &["--base-url", &server.url]);
    assert!(o.status.success(), "{}", text(&o));
    // `serve` is a preview, not a host: it writes no host rules.
    let fresh: BTreeMap<String, Vec<u8>> = tree(&out)
        .into_iter()
        .filter(|(rel, _)| !host_only(rel))
        .map(|(rel, bytes)| (format!("/{}", rel.replace('\\', "/")), bytes))
        .collect();
    assert!(fresh.contains_key("/plain/index.html"));
    assert!(fresh.contains_key("/news/hello/index.html"));
    assert!(!fresh.contains_key("/members-only/index.html"));

    // The server gets there by itself (it may still be rebuilding).
    let start = Instant::now();
    let mut last_diff = String::new();
    while start.elapsed() < PATIENCE {
        match served_diff(&server, &fresh) {
            None => {
                eprintln!(
                    "served tree equals the fresh build ({} files) after {:?}",
                    fresh.len(),
                    start.elapsed()
                );
                assert!(!site.join("public").exists());
                return;
            }
            Some(d) => last_diff = d,
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!(
        "served tree differs from a fresh build: {last_diff}\n--- log ---\n{}",
        server.log()
    );
}

/// How the served tree differs from `fresh`, if it does.
fn served_diff(server: &Server, fresh: &BTreeMap<String, Vec<u8>>) -> Option<String> {
    let manifest: Vec<String> =
        serde_json::from_slice(&server.get("/__hearth/manifest").body).unwrap();
    let fresh_paths: Vec<&String> = fresh.keys().collect();
    let served_paths: Vec<&String> = manifest.iter().collect();
    if served_paths != fresh_paths {
        return Some(format!(
            "paths differ:\nserved {served_paths:?}\nfresh  {fresh_paths:?}"
        ));
    }
    for (path, want) in fresh {
        let r = server.get(&encode(path));
        if r.status != 200 {
            return Some(format!("{path}: status {}", r.status));
        }
        let got = if path.ends_with(".html") {
            strip_live_tag(path, &r.body)
        } else {
            r.body
        };
        if &got != want {
            return Some(format!(
                "{path} differs:\nserved {}\nfresh  {}",
                String::from_utf8_lossy(&got),
                String::from_utf8_lossy(want)
            ));
        }
    }
    None
}

#[test]
fn audience_preview_hides_gated_pages_and_shows_the_badge() {
    let (_tmp, site) = site_copy();
    let public = Server::start(&site, &["--audience", "public"]);
    assert_eq!(public.get("/members-only/").status, 404);
    let home = public.text("/");
    assert!(
        home.contains("data-audience=\"public\""),
        "the badge is configured"
    );
    let member = Server::start(&site, &["--audience", "member"]);
    assert!(member.text("/members-only/").contains("MEMBER-ONLY-TEXT"));
    let js = member.text("/__hearth/live.js");
    assert!(js.contains("Previewing as: "), "{js}");
}

#[test]
fn a_busy_port_is_a_usage_error_that_suggests_port() {
    let (_tmp, site) = site_copy();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let mut child = serve_command(&site, &["--port", &port])
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let status = wait_with_timeout(&mut child, PATIENCE);
    if status.is_none() {
        let _ = child.kill();
        let _ = child.wait();
        panic!("serve kept running on a busy port");
    }
    let mut err = String::new();
    stderr.read_to_string(&mut err).unwrap();
    assert_eq!(status.unwrap().code(), Some(2), "{err}");
    assert!(err.contains("--port"), "{err}");
    assert!(err.contains(&port), "{err}");
}

#[cfg(unix)]
#[test]
fn ctrl_c_exits_cleanly() {
    let (_tmp, site) = site_copy();
    let server = Server::start(&site, &[]);
    assert_eq!(server.get("/").status, 200);
    let status = server.interrupt();
    assert_eq!(status.code(), Some(0), "{status:?}");
}

#[test]
fn a_folder_without_hearth_toml_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let o = serve_command(tmp.path(), &[])
        .output()
        .expect("hearth runs");
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("hearth.toml"), "{}", text(&o));
}

/// Edits of existing pages are patched in (only those pages are read again)
/// and pages are rendered when asked for: after titles, dates, tags, hosts,
/// event times and bodies change on the example site, every served file is
/// still the one a fresh `hearth build` writes.
#[test]
fn patched_edits_serve_what_a_fresh_build_writes() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&example_site(), &site);
    // In one language: a site in several reloads every language on an edit
    // (a change may move a page between them), so it patches nothing.
    monolingual(&site);
    let server = Server::start(&site, &[]);
    let c = site.join("content");
    // Render everything once, so stale cached files would show below.
    let before: Vec<String> =
        serde_json::from_slice(&server.get("/__hearth/manifest").body).unwrap();
    for p in before.iter().filter(|p| p.ends_with(".html")) {
        server.get(&encode(p));
    }

    let edit = |rel: &str, from: &str, to: &str| {
        let path = c.join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{rel} has no `{from}`");
        let seq = server.settle().as_u64().unwrap();
        atomic_write(&path, &text.replacen(from, to, 1));
        server.wait_status(
            |s| s["seq"].as_u64().unwrap() > seq && s["ok"] == true,
            &format!("the edit of {rel}"),
        );
    };
    // A news title (listings, tag pages, the home page, neighbours, feeds).
    edit(
        "news/2026-01-02-welcome-2026.md",
        "新年好：2026 年的围炉",
        "新年好：围炉 2026（改）",
    );
    // Its tags: one tag page loses it, a new tag page appears.
    edit("news/2026-01-02-welcome-2026.md", "\"书单\"", "\"新标签\"");
    // An event's time and hosts: event listings, month pages, member pages, calendars.
    edit(
        "events/zine-workshop.md",
        "start = 2026-09-26T14:00:00",
        "start = 2026-12-26T16:30:00",
    );
    edit(
        "events/zine-workshop.md",
        "hosts = [\"song-wenjie\", \"zhou-yutong\"]",
        "hosts = [\"zhou-yutong\"]",
    );
    // A body-only edit with a new heading (anchors, table of contents, search).
    edit(
        "about.md",
        "\n\n",
        "\n\n## 新加的一节\n\n这一段是在预览里加的。\n\n",
    );
    // The first build, then one per edit.
    let log = server.log_after_builds(6);
    assert!(
        log.matches("patched in ").count() >= 5,
        "edits of existing pages are patched, not rebuilt:\n{log}"
    );

    let out = tmp.path().join("fresh");
    let o = build(&site, &out, &["--base-url", &server.url]);
    assert!(o.status.success(), "{}", text(&o));
    // `serve` is a preview, not a host: it writes no host rules.
    let fresh: BTreeMap<String, Vec<u8>> = tree(&out)
        .into_iter()
        .filter(|(rel, _)| !host_only(rel))
        .map(|(rel, bytes)| (format!("/{}", rel.replace('\\', "/")), bytes))
        .collect();
    if let Some(d) = served_diff(&server, &fresh) {
        panic!("served tree differs from a fresh build: {d}");
    }
}

/// The live-reload script reloads a tab only when its own file changed: it
/// compares the ETag of its page. An edit changes the edited page's ETag and
/// leaves an unrelated page's as it was.
#[test]
fn an_edit_changes_the_etag_of_its_page_only() {
    let (_tmp, site) = site_copy();
    let server = Server::start(&site, &[]);
    let etag = |p: &str| server.get(p).header("ETag").map(str::to_string);
    let (about, event) = (etag("/about/"), etag("/events/reading-night/"));
    assert!(about.is_some() && event.is_some());
    let seq = server.settle().as_u64().unwrap();
    atomic_write(
        &site.join("content/about.md"),
        "+++\ntitle = \"About\"\n+++\nETAG-EDIT text.\n",
    );
    server.wait_status(
        |s| s["seq"].as_u64().unwrap() > seq && s["ok"] == true,
        "the edit",
    );
    assert_ne!(etag("/about/"), about, "the edited page is new");
    assert_eq!(
        etag("/events/reading-night/"),
        event,
        "an unrelated page is not"
    );
}

/// Makes a copy of the example site Chinese only: no `[languages]` tables,
/// no `*.en.md` translations.
fn monolingual(site: &std::path::Path) {
    let toml = site.join("hearth.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    let mut out = String::new();
    let mut skipping = false;
    for line in text.lines() {
        if line.starts_with('[') {
            skipping = line.starts_with("[languages");
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
    }
    std::fs::write(&toml, out).unwrap();
    for e in walkdir::WalkDir::new(site.join("content")) {
        let e = e.unwrap();
        if e.file_name().to_string_lossy().ends_with(".en.md") {
            std::fs::remove_file(e.path()).unwrap();
        }
    }
}

/// A hub with every index a patch keeps: tags, a paginated dated news
/// listing with a tie on the date, members sorted by title, chapters by
/// weight, events with hosts and a chapter, a recap with photos that tells
/// of an event, and an anchor another page links to.
fn indexed_site(root: &Path) {
    let photos = example_site().join("content/activities/2026-09-26-zine-workshop");
    let files: &[(&str, &str)] = &[
        (
            "hearth.toml",
            "title = \"Index Club\"\nbase_url = \"https://index.example.org\"\nlanguage = \"en\"\ntimezone = \"Asia/Shanghai\"\n\n[[tiers]]\nid = \"member\"\nname = \"Members\"\njoin_url = \"/join/\"\n\n[deploy]\nhost = \"netlify\"\n",
        ),
        (
            "content/_index.md",
            "+++\ntitle = \"Home\"\n+++\nWelcome.\n",
        ),
        (
            "content/about.md",
            "+++\ntitle = \"About\"\n+++\nWho we are.\n\n## Team {#team}\n\nThe people.\n",
        ),
        (
            "content/mission.md",
            "+++\ntitle = \"Mission · 使命\"\n+++\nWhy we meet.\n",
        ),
        (
            "content/handbook/_index.md",
            "+++\ntitle = \"Handbook\"\n+++\n",
        ),
        (
            "content/handbook/guides/_index.md",
            "+++\ntitle = \"Guides\"\n+++\n",
        ),
        (
            "content/handbook/guides/hosting.md",
            "+++\ntitle = \"Hosting\"\n+++\nHow to host.\n",
        ),
        (
            "content/handbook/guides/reading.md",
            "+++\ntitle = \"Reading\"\n+++\nHow to read.\n",
        ),
        (
            "content/news/_index.md",
            "+++\ntitle = \"News\"\nsort_by = \"date\"\npaginate_by = 2\n+++\n",
        ),
        (
            "content/news/2026-01-01-alpha.md",
            "+++\ntitle = \"Alpha\"\ntags = [\"books\", \"walks\"]\n+++\nFirst.\n",
        ),
        (
            "content/news/2026-02-01-bravo.md",
            "+++\ntitle = \"Bravo\"\ntags = [\"books\"]\n+++\nSecond, see [the team](@/about.md#team).\n",
        ),
        (
            "content/news/2026-03-01-charlie.md",
            "+++\ntitle = \"Charlie\"\ntags = [\"walks\", \"books\"]\n+++\nThird.\n",
        ),
        (
            "content/news/2026-03-01-delta.md",
            "+++\ntitle = \"Delta\"\ntags = [\"books\"]\ntier = \"member\"\n+++\nFourth, members only.\n",
        ),
        (
            "content/members/_index.md",
            "+++\ntitle = \"Members\"\nsort_by = \"title\"\n+++\n",
        ),
        (
            "content/members/ann.md",
            "+++\ntitle = \"Ann\"\nchapter = \"north\"\n+++\nAnn reads.\n",
        ),
        (
            "content/members/bo.md",
            "+++\ntitle = \"Bo\"\nchapter = \"south\"\n+++\nBo walks.\n",
        ),
        (
            "content/chapters/_index.md",
            "+++\ntitle = \"Chapters\"\nsort_by = \"weight\"\n+++\n",
        ),
        (
            "content/chapters/north.md",
            "+++\ntitle = \"North\"\nweight = 10\n+++\nUp there.\n",
        ),
        (
            "content/chapters/south.md",
            "+++\ntitle = \"South\"\nweight = 20\n+++\nDown there.\n",
        ),
        (
            "content/events/_index.md",
            "+++\ntitle = \"Events\"\nsort_by = \"date\"\n+++\n",
        ),
        (
            "content/events/night.md",
            "+++\ntitle = \"Reading night\"\nstart = 2026-12-05T19:00:00\nduration = \"2h\"\nchapter = \"north\"\nhosts = [\"ann\"]\ntags = [\"books\"]\n+++\nBring a book.\n",
        ),
        (
            "content/events/walk.md",
            "+++\ntitle = \"City walk\"\nstart = 2026-10-10T09:00:00\nduration = \"3h\"\nchapter = \"south\"\nhosts = [\"bo\"]\n+++\nGood shoes.\n",
        ),
        (
            "content/activities/_index.md",
            "+++\ntitle = \"Recaps\"\nsort_by = \"date\"\n+++\n",
        ),
        (
            "content/activities/2026-10-10-walk/index.md",
            "+++\ntitle = \"The walk\"\nevent = \"@/events/walk.md\"\nchapter = \"south\"\nhosts = [\"bo\"]\ntags = [\"walks\"]\nphotos = [\n  { file = \"photo-1.jpg\", alt = \"Paper\" },\n  { file = \"photo-2.jpg\", alt = \"Booklets\" },\n]\n+++\nWe walked.\n",
        ),
    ];
    for (rel, text) in files {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    for photo in ["photo-1.jpg", "photo-2.jpg"] {
        std::fs::copy(
            photos.join(photo),
            root.join("content/activities/2026-10-10-walk").join(photo),
        )
        .unwrap();
    }
}

/// The served tree after a fresh build of `site` as it is now (under the
/// server's base URL): `None` when they are equal.
fn diff_with_fresh(server: &Server, site: &Path, out: &Path) -> Option<String> {
    let _ = std::fs::remove_dir_all(out);
    let o = build(site, out, &["--base-url", &server.url]);
    assert!(o.status.success(), "{}", text(&o));
    let fresh: BTreeMap<String, Vec<u8>> = tree(out)
        .into_iter()
        .filter(|(rel, _)| !host_only(rel))
        .map(|(rel, bytes)| (format!("/{}", rel.replace('\\', "/")), bytes))
        .collect();
    served_diff(server, &fresh)
}

/// Each field an index over the site reads, changed alone and patched in
/// (not loaded again), leaves the served tree equal to a fresh build's:
/// a title (cards, the title-sorted members, a tie on the date, the menu,
/// a sidebar tree), a date
/// (listing order, pagination, tag pages), tags (tag pages appear and go),
/// a chapter and hosts (member, chapter and event pages), an event's time
/// (month calendars), a recap's event and photos, a weight, and a new
/// heading (anchors). The server keeps what it can between saves, so each
/// edit is compared on its own, not only the sum of them.
#[test]
fn each_patched_field_serves_what_a_fresh_build_writes() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    indexed_site(&site);
    let server = Server::start(&site, &[]);
    let out = tmp.path().join("fresh");
    if let Some(d) = diff_with_fresh(&server, &site, &out) {
        panic!("before any edit: {d}");
    }
    let c = site.join("content");
    let edits: &[(&str, &str, &str)] = &[
        (
            "news/2026-02-01-bravo.md",
            "\"Bravo\"",
            "\"Bravo, renamed\"",
        ),
        // Charlie and Delta share a date: the title decides their order.
        ("news/2026-03-01-delta.md", "\"Delta\"", "\"Able\""),
        // The menu on every page, and a sidebar tree shared by a folder.
        ("mission.md", "\"Mission · 使命\"", "\"Purpose · 宗旨\""),
        ("handbook/guides/reading.md", "\"Reading\"", "\"Aloud\""),
        (
            "news/2026-01-01-alpha.md",
            "tags = [",
            "date = 2026-04-01\ntags = [",
        ),
        (
            "news/2026-02-01-bravo.md",
            "[\"books\"]",
            "[\"books\", \"maps\"]",
        ),
        ("news/2026-03-01-charlie.md", "\"walks\", ", ""),
        ("members/bo.md", "\"Bo\"", "\"Aaron\""),
        ("members/ann.md", "\"north\"", "\"south\""),
        ("events/night.md", "[\"ann\"]", "[\"ann\", \"bo\"]"),
        (
            "events/night.md",
            "2026-12-05T19:00:00",
            "2027-01-09T19:00:00",
        ),
        ("events/night.md", "\"north\"", "\"south\""),
        (
            "activities/2026-10-10-walk/index.md",
            "@/events/walk.md",
            "@/events/night.md",
        ),
        (
            "activities/2026-10-10-walk/index.md",
            "[\"bo\"]",
            "[\"ann\"]",
        ),
        (
            "activities/2026-10-10-walk/index.md",
            "  { file = \"photo-2.jpg\", alt = \"Booklets\" },\n",
            "",
        ),
        ("chapters/north.md", "weight = 10", "weight = 30"),
        (
            "about.md",
            "Who we are.\n",
            "Who we are.\n\n## History\n\nOld.\n",
        ),
        ("news/2026-02-01-bravo.md", "Second,", "Second, body only,"),
    ];
    for (n, (rel, from, to)) in edits.iter().enumerate() {
        let path = c.join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{rel} has no `{from}`");
        let seq = server.settle().as_u64().unwrap();
        atomic_write(&path, &text.replacen(from, to, 1));
        server.wait_status(
            |s| s["seq"].as_u64().unwrap() > seq && s["ok"] == true,
            &format!("the edit of {rel}"),
        );
        // The first build, then one per edit.
        let log = server.log_after_builds(n + 2);
        assert_eq!(
            log.matches("patched in ").count(),
            n + 1,
            "edit {n} of {rel} is patched, not loaded again:\n{log}"
        );
        if let Some(d) = diff_with_fresh(&server, &site, &out) {
            panic!("after edit {n} ({rel}: {from} -> {to}): {d}");
        }
    }
}

/// A patch checks again what its page can break elsewhere: a heading id
/// another page links to, renamed, fails as a fresh load does (the link is
/// in the other file) and the last good site stays served; so do a broken
/// anchor in the page's own link and an unknown host. Put back, the site is served as a fresh build writes it.
#[test]
fn a_patch_that_breaks_another_page_fails_and_keeps_the_last_good_site() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    indexed_site(&site);
    let server = Server::start(&site, &[]);
    let c = site.join("content");
    let about = std::fs::read_to_string(c.join("about.md")).unwrap();
    let night = std::fs::read_to_string(c.join("events/night.md")).unwrap();
    let bravo = std::fs::read_to_string(c.join("news/2026-02-01-bravo.md")).unwrap();
    let breaks = [
        (
            "about.md",
            &about,
            about.replace("{#team}", "{#crew}"),
            "team",
        ),
        (
            "news/2026-02-01-bravo.md",
            &bravo,
            bravo.replace("#team", "#teams"),
            "teams",
        ),
        (
            "events/night.md",
            &night,
            night.replace("[\"ann\"]", "[\"nobody\"]"),
            "nobody",
        ),
    ];
    for (rel, good, bad, word) in breaks {
        let seq = server.settle().as_u64().unwrap();
        atomic_write(&c.join(rel), &bad);
        let status = server.wait_status(
            |s| s["seq"].as_u64().unwrap() > seq && s["ok"] == false,
            &format!("the breaking edit of {rel}"),
        );
        assert!(
            status.to_string().contains(word),
            "the error names `{word}`: {status}"
        );
        // A fresh build fails too.
        let o = build(&site, &tmp.path().join("failed"), &[]);
        assert!(!o.status.success(), "{}", text(&o));
        assert!(server.text("/about/").contains("id=\"team\""));
        let seq = server.settle().as_u64().unwrap();
        atomic_write(&c.join(rel), good);
        server.wait_status(
            |s| s["seq"].as_u64().unwrap() > seq && s["ok"] == true,
            &format!("{rel} put back"),
        );
    }
    // The first build, three failures and three patches.
    let log = server.log_after_builds(7);
    assert_eq!(
        log.matches("patched in ").count(),
        3,
        "the good edits are patched:\n{log}"
    );
    if let Some(d) = diff_with_fresh(&server, &site, &tmp.path().join("fresh")) {
        panic!("after the site was put back: {d}");
    }
}
