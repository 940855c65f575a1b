//! A small HTTP/1.1 server for the preview: GET and HEAD, keep-alive, pretty
//! URLs, the site's 404 page, server-sent events for live reload.
//!
//! It answers only from the in-memory build output: a request path is looked
//! up as a key of that output, never joined onto a folder, so no path can
//! reach a file the build did not produce. Hard limits (header size,
//! timeouts, connection count) keep a stray client from wedging it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};

use super::{Shared, Snapshot, Status};
use crate::diagnostics::Diagnostic;
use crate::text::escape_html;

/// Everything the preview adds lives below this path; built sites never use it.
const INTERNAL: &str = "/__hearth/";
/// The live-reload client, served at `/__hearth/live.js`.
const LIVE_JS: &str = include_str!("live.js");
/// Request line plus headers, at most.
const MAX_HEAD: usize = 16 * 1024;
/// A request body we are willing to read and discard.
const MAX_BODY: usize = 64 * 1024;
/// Open connections, at most (browsers open about six per tab).
const MAX_CONNECTIONS: usize = 256;
/// How long an idle keep-alive connection or a slow write may take.
const IO_TIMEOUT: Duration = Duration::from_secs(30);
/// How often an idle event stream sends a comment, to notice closed tabs.
const KEEPALIVE: Duration = Duration::from_secs(15);

/// Characters to escape when a decoded path goes back into a `Location`.
const PATH_SET: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// Accepts connections forever, one thread each.
pub(super) fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    let active = Arc::new(AtomicUsize::new(0));
    for conn in listener.incoming() {
        let stream = match conn {
            Ok(s) => s,
            Err(_) => {
                // Out of file descriptors and the like: back off, keep going.
                std::thread::sleep(Duration::from_millis(20));
                continue;
            }
        };
        if active.load(Ordering::SeqCst) >= MAX_CONNECTIONS {
            continue;
        }
        active.fetch_add(1, Ordering::SeqCst);
        let guard = Active(Arc::clone(&active));
        let s = Arc::clone(&shared);
        let _ = std::thread::Builder::new()
            .name("hearth-conn".into())
            .spawn(move || {
                let _guard = guard;
                handle(stream, &s);
            });
    }
}

/// Counts a connection while it lives.
struct Active(Arc<AtomicUsize>);

impl Drop for Active {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

struct Request {
    head: bool,
    target: String,
    keep_alive: bool,
}

enum ReadError {
    /// The client went away or stayed idle: close quietly.
    Closed,
    /// A malformed request: answer with this status, then close.
    Bad(u16, &'static str),
}

/// Serves requests on one connection until it closes.
fn handle(stream: TcpStream, shared: &Shared) {
    let _ = stream.set_read_timeout(Some(IO_TIMEOUT));
    let _ = stream.set_write_timeout(Some(IO_TIMEOUT));
    let _ = stream.set_nodelay(true);
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let mut out = stream;
    loop {
        let req = match read_request(&mut reader) {
            Ok(r) => r,
            Err(ReadError::Closed) => return,
            Err(ReadError::Bad(status, msg)) => {
                let resp = Response::text(status, msg);
                let _ = write_response(&mut out, &resp, false, false);
                return;
            }
        };
        match route(shared, &req.target) {
            Routed::Events => {
                if req.head {
                    let resp = Response {
                        status: 200,
                        content_type: "text/event-stream",
                        body: Vec::new(),
                        extra: Vec::new(),
                    };
                    let _ = write_response(&mut out, &resp, true, false);
                } else {
                    events(&mut out, shared);
                }
                return;
            }
            Routed::Reply(resp) => {
                if write_response(&mut out, &resp, req.head, req.keep_alive).is_err()
                    || !req.keep_alive
                {
                    return;
                }
            }
        }
    }
}

/// Reads one line of the request head, within the remaining `budget`.
fn read_line(r: &mut BufReader<TcpStream>, budget: &mut usize) -> Result<Vec<u8>, ReadError> {
    let mut line = Vec::new();
    let n = r
        .by_ref()
        .take(*budget as u64)
        .read_until(b'\n', &mut line)
        .map_err(|_| ReadError::Closed)?;
    if !line.ends_with(b"\n") {
        return Err(if n > 0 && n == *budget {
            ReadError::Bad(431, "request head too large")
        } else {
            ReadError::Closed
        });
    }
    *budget -= n;
    line.pop();
    if line.ends_with(b"\r") {
        line.pop();
    }
    Ok(line)
}

fn read_request(r: &mut BufReader<TcpStream>) -> Result<Request, ReadError> {
    let mut budget = MAX_HEAD;
    // Tolerate blank lines before the request line (RFC 9112 §2.2).
    let mut line = read_line(r, &mut budget)?;
    while line.is_empty() {
        line = read_line(r, &mut budget)?;
    }
    let line = String::from_utf8(line).map_err(|_| ReadError::Bad(400, "bad request line"))?;
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ReadError::Bad(400, "bad request line"));
    };
    let http11 = match version {
        "HTTP/1.1" => true,
        "HTTP/1.0" => false,
        _ => return Err(ReadError::Bad(505, "only HTTP/1.x is supported")),
    };
    let mut keep_alive = http11;
    let mut length = 0usize;
    loop {
        let h = read_line(r, &mut budget)?;
        if h.is_empty() {
            break;
        }
        let h = String::from_utf8_lossy(&h);
        let Some((name, value)) = h.split_once(':') else {
            return Err(ReadError::Bad(400, "bad header line"));
        };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "connection" => {
                let v = value.to_ascii_lowercase();
                if v.split(',').any(|t| t.trim() == "close") {
                    keep_alive = false;
                } else if v.split(',').any(|t| t.trim() == "keep-alive") {
                    keep_alive = true;
                }
            }
            "content-length" => {
                length = value
                    .parse()
                    .map_err(|_| ReadError::Bad(400, "bad Content-Length"))?;
            }
            "transfer-encoding" => {
                return Err(ReadError::Bad(
                    501,
                    "chunked request bodies are not supported",
                ));
            }
            _ => {}
        }
    }
    let head = match method {
        "GET" => false,
        "HEAD" => true,
        _ => return Err(ReadError::Bad(405, "only GET and HEAD are supported")),
    };
    if length > MAX_BODY {
        return Err(ReadError::Bad(413, "request body too large"));
    }
    if length > 0 {
        let copied = std::io::copy(&mut r.by_ref().take(length as u64), &mut std::io::sink())
            .map_err(|_| ReadError::Closed)?;
        if copied < length as u64 {
            return Err(ReadError::Closed);
        }
    }
    Ok(Request {
        head,
        target: target.to_string(),
        keep_alive,
    })
}

/// What to send back.
pub(super) struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    pub extra: Vec<(&'static str, String)>,
}

impl Response {
    #[cfg(test)]
    fn header(&self, name: &str) -> Option<&str> {
        self.extra
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(status: u16, msg: &str) -> Response {
        Response {
            status,
            content_type: "text/plain; charset=utf-8",
            body: format!("{msg}\n").into_bytes(),
            extra: if status == 405 {
                vec![("Allow", "GET, HEAD".into())]
            } else {
                Vec::new()
            },
        }
    }
}

pub(super) enum Routed {
    Reply(Response),
    /// The live-reload event stream, which keeps the connection.
    Events,
}

/// Answers a request target from the current snapshot.
pub(super) fn route(shared: &Shared, target: &str) -> Routed {
    // Absolute-form targets (proxies) carry scheme and host; keep the path.
    let target = match target
        .strip_prefix("http://")
        .or_else(|| target.strip_prefix("https://"))
    {
        Some(rest) => rest.find('/').map(|i| &rest[i..]).unwrap_or("/"),
        None => target,
    };
    let target = target.split('#').next().unwrap_or("");
    let (raw_path, query) = match target.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (target, None),
    };
    if !raw_path.starts_with('/') {
        return Routed::Reply(Response::text(400, "bad request target"));
    }
    let Ok(path) = percent_decode_str(raw_path).decode_utf8() else {
        return Routed::Reply(Response::text(400, "the path is not UTF-8"));
    };
    let path = path.into_owned();
    if path.contains('\0')
        || path.starts_with("//")
        || path.split('/').any(|s| s == "." || s == "..")
    {
        return Routed::Reply(Response::text(400, "bad path"));
    }

    if let Some(name) = path.strip_prefix(INTERNAL) {
        return internal(shared, name);
    }

    let snap = shared.status().good.clone();
    let Some(snap) = snap else {
        return Routed::Reply(not_built_yet(shared));
    };
    let key = if path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.clone()
    };
    if let Some(resp) = file(shared, &snap, &key, 200) {
        return Routed::Reply(resp);
    }
    if !path.ends_with('/') && has(&snap, &format!("{path}/index.html")) {
        let mut location = utf8_percent_encode(&path, PATH_SET).to_string();
        location.push('/');
        if let Some(q) = query.filter(|q| q.bytes().all(|b| b.is_ascii_graphic())) {
            location.push('?');
            location.push_str(q);
        }
        let mut resp = Response::text(301, &format!("moved to {location}"));
        resp.extra.push(("Location", location));
        return Routed::Reply(resp);
    }
    Routed::Reply(
        file(shared, &snap, "/404.html", 404)
            .unwrap_or_else(|| Response::text(404, &format!("not found: {path}"))),
    )
}

fn has(snap: &Snapshot, key: &str) -> bool {
    snap.has(key)
}

/// A file of the build output, with the live-reload script added to HTML.
/// Its `ETag` is a hash of the built bytes, which the live-reload script
/// compares to decide whether its tab needs reloading after a change.
fn file(shared: &Shared, snap: &Snapshot, key: &str, status: u16) -> Option<Response> {
    let body = match snap.get(key)? {
        Ok(b) => b,
        Err(d) => return Some(render_failed(shared, snap, &d)),
    };
    let etag = etag(&body);
    let content_type = content_type(key);
    let body = if content_type.starts_with("text/html") {
        inject(body, &live_tag(shared, &snap.id, &etag))
    } else {
        body
    };
    Some(Response {
        status,
        content_type,
        body,
        extra: vec![("ETag", etag)],
    })
}

/// A page whose template failed: the diagnostic, in the terminal and on the page.
fn render_failed(shared: &Shared, snap: &Snapshot, d: &Diagnostic) -> Response {
    eprint!(
        "{}",
        crate::diagnostics::render(
            std::slice::from_ref(d),
            crate::diagnostics::Format::Human,
            std::path::Path::new(""),
            false
        )
    );
    let text = format!("{}:{}: {}", d.file, d.line, d.message);
    let page = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Render failed</title></head>\
         <body style=\"font:16px system-ui,sans-serif;margin:2rem\"><h1>This page failed to render</h1>\
         <pre>{}</pre></body></html>\n",
        escape_html(&text)
    );
    Response {
        status: 500,
        content_type: "text/html; charset=utf-8",
        body: inject(page.into_bytes(), &live_tag(shared, &snap.id, "")),
        extra: Vec::new(),
    }
}

/// A file's ETag: a hash of its built bytes.
fn etag(bytes: &[u8]) -> String {
    let h = crate::search::fnv1a(bytes, crate::search::FNV_OFFSET);
    format!("\"{h:016x}\"")
}

/// The page shown before the first build succeeded: the script on it shows
/// the errors, if any, and reloads once there is a site.
fn not_built_yet(shared: &Shared) -> Response {
    let page = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
        <title>Building…</title></head><body style=\"font:16px system-ui,sans-serif;margin:2rem\">\
        <p>Hearth is building the site; this page reloads when it is ready.</p></body></html>\n";
    let mut resp = Response {
        status: 503,
        content_type: "text/html; charset=utf-8",
        body: inject(page.as_bytes().to_vec(), &live_tag(shared, "", "")),
        extra: Vec::new(),
    };
    resp.extra.push(("Retry-After", "1".into()));
    resp
}

fn internal(shared: &Shared, name: &str) -> Routed {
    let json = |body: String| Response {
        status: 200,
        content_type: "application/json",
        body: body.into_bytes(),
        extra: Vec::new(),
    };
    match name {
        "events" => Routed::Events,
        "live.js" => Routed::Reply(Response {
            status: 200,
            content_type: "application/javascript",
            body: LIVE_JS.as_bytes().to_vec(),
            extra: Vec::new(),
        }),
        "status" => Routed::Reply(json(status_json(&shared.status()))),
        "manifest" => {
            let snap = shared.status().good.clone();
            let paths = snap.map(|s| s.paths()).unwrap_or_default();
            Routed::Reply(json(serde_json::to_string(&paths).unwrap_or_default()))
        }
        _ => Routed::Reply(Response::text(404, "not found")),
    }
}

/// The last build's outcome, for the overlay and for tools.
pub(super) fn status_json(st: &Status) -> String {
    serde_json::json!({
        "ok": st.seq > 0 && st.errors.is_empty() && st.good.is_some(),
        "build": st.good.as_ref().map(|s| s.id.as_str()),
        "building": st.building,
        "seq": st.seq,
        "elapsed_ms": st.elapsed_ms,
        "diagnostics": st.errors.iter().map(diagnostic_json).collect::<Vec<_>>(),
    })
    .to_string()
}

fn diagnostic_json(d: &Diagnostic) -> serde_json::Value {
    serde_json::json!({
        "file": d.file,
        "line": d.line,
        "col": d.col,
        "severity": d.severity,
        "code": d.code,
        "message": d.message,
        "help": d.help,
        "source": d.source_line,
    })
}

/// Streams the build status as server-sent events until the client leaves.
fn events(out: &mut TcpStream, shared: &Shared) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\
        Cache-Control: no-store\r\nConnection: close\r\n\r\nretry: 1000\n\n";
    if out.write_all(head.as_bytes()).is_err() {
        return;
    }
    let mut seen = None;
    loop {
        let msg = {
            let mut st = shared.status();
            if seen == Some(st.seq) {
                st = match shared.changed.wait_timeout(st, KEEPALIVE) {
                    Ok((g, _)) => g,
                    Err(e) => e.into_inner().0,
                };
            }
            if seen == Some(st.seq) {
                None
            } else {
                seen = Some(st.seq);
                Some(status_json(&st))
            }
        };
        let text = match msg {
            Some(j) => format!("event: status\ndata: {j}\n\n"),
            None => ": keep-alive\n\n".to_string(),
        };
        if out.write_all(text.as_bytes()).is_err() || out.flush().is_err() {
            return;
        }
    }
}

fn write_response(
    out: &mut TcpStream,
    resp: &Response,
    head_only: bool,
    keep_alive: bool,
) -> std::io::Result<()> {
    let mut h = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: {}\r\n",
        resp.status,
        reason(resp.status),
        resp.content_type,
        resp.body.len(),
        if keep_alive { "keep-alive" } else { "close" },
    );
    for (name, value) in &resp.extra {
        h.push_str(name);
        h.push_str(": ");
        h.push_str(value);
        h.push_str("\r\n");
    }
    h.push_str("\r\n");
    let mut buf = h.into_bytes();
    if !head_only {
        buf.extend_from_slice(&resp.body);
    }
    out.write_all(&buf)?;
    out.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        501 => "Not Implemented",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

/// The content type of a site path, from its file name.
pub(super) fn content_type(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or("");
    if name == "atom.xml" {
        return "application/atom+xml";
    }
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css",
        "js" | "mjs" => "application/javascript",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "xml" => "application/xml",
        "ics" => "text/calendar; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "ogg" => "audio/ogg",
        "wasm" => "application/wasm",
        // Host rules such as _redirects and _headers.
        "" if name.starts_with('_') => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The tag that loads the live-reload client; `build` tells it which build
/// the page came from, so it can reload when a newer one exists.
fn live_tag(shared: &Shared, build: &str, etag: &str) -> String {
    let mut tag = format!(
        "<script src=\"{INTERNAL}live.js\" data-build=\"{build}\" data-etag=\"{}\"",
        escape_html(etag)
    );
    if let Some(a) = &shared.audience {
        tag.push_str(" data-audience=\"");
        tag.push_str(&escape_html(a));
        tag.push('"');
    }
    tag.push_str("></script>");
    tag
}

/// Inserts `tag` before the last `</body>`, or at the end if there is none.
pub(super) fn inject(mut html: Vec<u8>, tag: &str) -> Vec<u8> {
    let needle = b"</body";
    let at = html
        .windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
        .unwrap_or(html.len());
    html.splice(at..at, tag.bytes());
    html
}

#[cfg(test)]
mod tests {
    use super::super::Snapshot;
    use super::*;
    use crate::render::Asset;
    use std::collections::BTreeMap;
    use std::sync::atomic::AtomicBool;
    use std::sync::{Condvar, Mutex};

    fn shared_with(files: &[(&str, &str)]) -> Shared {
        let files: BTreeMap<String, Vec<u8>> = files
            .iter()
            .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
            .collect();
        let snap = Snapshot {
            id: "t-1".into(),
            view: super::super::View::Built(crate::build::Output {
                files,
                copies: BTreeMap::from([(
                    "/theme.css".to_string(),
                    (Asset::Embedded(b"body{}"), crate::tiers::Tier::PUBLIC),
                )]),
                warnings: Vec::new(),
            }),
        };
        Shared {
            status: Mutex::new(Status {
                seq: 1,
                good: Some(Arc::new(snap)),
                errors: Vec::new(),
                building: false,
                elapsed_ms: 1,
            }),
            changed: Condvar::new(),
            audience: Some("member".into()),
            dirty: Mutex::new(Vec::new()),
            wake: Condvar::new(),
            rebuild: AtomicBool::new(false),
        }
    }

    fn reply(shared: &Shared, target: &str) -> Response {
        match route(shared, target) {
            Routed::Reply(r) => r,
            Routed::Events => panic!("{target} is the event stream"),
        }
    }

    fn site() -> Shared {
        shared_with(&[
            ("/index.html", "<html><body>home</body></html>"),
            ("/活动/读书会/index.html", "<body>读书</body>"),
            ("/events/x/index.html", "<body>x</body>"),
            ("/events/x/event.ics", "BEGIN:VCALENDAR"),
            ("/404.html", "<body>gone</body>"),
        ])
    }

    #[test]
    fn pretty_urls_and_percent_decoding() {
        let s = site();
        let r = reply(&s, "/%E6%B4%BB%E5%8A%A8/%E8%AF%BB%E4%B9%A6%E4%BC%9A/");
        assert_eq!(r.status, 200);
        assert!(String::from_utf8_lossy(&r.body).contains("读书"));
        let r = reply(&s, "/events/x?a=1");
        assert_eq!(r.status, 301);
        assert_eq!(r.extra, vec![("Location", "/events/x/?a=1".to_string())]);
        let r = reply(&s, "/%E6%B4%BB%E5%8A%A8/%E8%AF%BB%E4%B9%A6%E4%BC%9A");
        assert_eq!(
            r.extra[0].1,
            "/%E6%B4%BB%E5%8A%A8/%E8%AF%BB%E4%B9%A6%E4%BC%9A/"
        );
        let r = reply(&s, "http://127.0.0.1:1/events/x/event.ics");
        assert_eq!(r.content_type, "text/calendar; charset=utf-8");
        assert_eq!(r.body, b"BEGIN:VCALENDAR");
        assert_eq!(reply(&s, "/theme.css").content_type, "text/css");
    }

    #[test]
    fn missing_paths_get_the_404_page_and_traversal_is_refused() {
        let s = site();
        let r = reply(&s, "/nope/");
        assert_eq!(r.status, 404);
        assert!(String::from_utf8_lossy(&r.body).contains("gone"));
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/events/%2E%2E/%2E%2E/x",
            "//evil.example/",
            "/%00",
            "/%FF",
            "nope",
        ] {
            assert_eq!(reply(&s, bad).status, 400, "{bad}");
        }
        assert_eq!(reply(&s, "/etc/passwd").status, 404);
    }

    #[test]
    fn only_html_gets_the_live_reload_script() {
        let s = site();
        let r = reply(&s, "/");
        // The ETag hashes the built bytes, before the script goes in.
        let etag = etag(b"<html><body>home</body></html>");
        assert_eq!(r.header("ETag"), Some(etag.as_str()));
        let html = String::from_utf8(r.body).unwrap();
        assert_eq!(
            html,
            format!(
                "<html><body>home<script src=\"/__hearth/live.js\" data-build=\"t-1\" data-etag=\"{}\" data-audience=\"member\"></script></body></html>",
                etag.replace('"', "&quot;")
            )
        );
        let ics = reply(&s, "/events/x/event.ics");
        assert!(!String::from_utf8_lossy(&ics.body).contains("script"));
        assert_eq!(
            inject(b"<p>no body".to_vec(), "<s>"),
            b"<p>no body<s>".to_vec()
        );
        assert_eq!(
            inject(b"<BODY></BODY>".to_vec(), "<s>"),
            b"<BODY><s></BODY>".to_vec()
        );
    }

    #[test]
    fn internal_endpoints() {
        let s = site();
        let st = reply(&s, "/__hearth/status");
        let v: serde_json::Value = serde_json::from_slice(&st.body).unwrap();
        assert_eq!(v["ok"], true);
        assert_eq!(v["build"], "t-1");
        assert!(matches!(route(&s, "/__hearth/events"), Routed::Events));
        assert_eq!(
            reply(&s, "/__hearth/live.js").content_type,
            "application/javascript"
        );
        let m = reply(&s, "/__hearth/manifest");
        let v: Vec<String> = serde_json::from_slice(&m.body).unwrap();
        assert!(v.contains(&"/theme.css".to_string()));
        assert!(v.contains(&"/index.html".to_string()));
    }

    #[test]
    fn content_types() {
        for (p, t) in [
            ("/a/index.html", "text/html; charset=utf-8"),
            ("/s.css", "text/css"),
            ("/h.js", "application/javascript"),
            ("/p.svg", "image/svg+xml"),
            ("/p.JPG", "image/jpeg"),
            ("/p.png", "image/png"),
            ("/calendar.ics", "text/calendar; charset=utf-8"),
            ("/atom.xml", "application/atom+xml"),
            ("/events/atom.xml", "application/atom+xml"),
            ("/sitemap.xml", "application/xml"),
            ("/search.json", "application/json"),
            ("/robots.txt", "text/plain; charset=utf-8"),
            ("/_redirects", "text/plain; charset=utf-8"),
            ("/blob", "application/octet-stream"),
        ] {
            assert_eq!(content_type(p), t, "{p}");
        }
    }
}
