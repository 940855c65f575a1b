//! Repository mode's Markdown: what GitHub does with the same file that
//! plain CommonMark does not, and what a Jekyll site kept on GitHub needs.
//!
//! - Links follow GitHub's rules: a path from `/` starts at the
//!   repository's root, a folder means its README, any file in the
//!   repository may be linked (and is then published), and a link that
//!   climbs above the root is a path on the repository's web address
//!   (`../../issues`). What is broken on GitHub is a warning here, on its
//!   line; nothing broken is left without one.
//! - Raw HTML's `href` and `src` are links like any other: rewritten to
//!   the site's addresses and checked. `id` and `<a name>` are anchors.
//! - kramdown's `markdown="1"` blocks (Jekyll's default Markdown) are
//!   rendered as Markdown, as the Jekyll site shows them.
//! - Liquid (`{% include %}`, `{{ site.title }}`) in a file Jekyll would
//!   process is reported on its line: Hearth shows it as text, as GitHub
//!   does.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

use super::{
    InternalLink, MdOptions, MdProblem, Rendered, Resolved, decode, encode_fragment, normalize,
};
use crate::diagnostics::codes;
use crate::text::escape_html;

/// A document's link reference definitions by normalised label, so that a
/// `markdown="1"` block parsed on its own still finds `[freenode]` defined
/// at the bottom of the file.
pub(super) type RefDefs = HashMap<String, (String, String)>;

/// How CommonMark compares link labels: case-folded, inner whitespace
/// collapsed.
fn label_key(label: &str) -> String {
    label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The reference definitions of a parsed document, owned.
pub(super) fn refdefs<'i, F>(parser: &Parser<'i, F>) -> RefDefs
where
    F: pulldown_cmark::BrokenLinkCallback<'i>,
{
    parser
        .reference_definitions()
        .iter()
        .map(|(k, v)| {
            (
                label_key(k),
                (
                    v.dest.to_string(),
                    v.title.as_ref().map(|t| t.to_string()).unwrap_or_default(),
                ),
            )
        })
        .collect()
}

/// Prepares a document's events for repository mode: the lines of each
/// HTML block joined into one event (so a tag written over several lines
/// is rewritten whole), and kramdown's `markdown="1"` elements replaced by
/// their HTML tags around their content parsed as Markdown.
pub(super) fn prepare<'a>(
    body: &'a str,
    events: Vec<(Event<'a>, Range<usize>)>,
    options: Options,
    refs: &RefDefs,
) -> Vec<(Event<'a>, Range<usize>)> {
    let mut out = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        let (ev, range) = &events[i];
        if !matches!(ev, Event::Start(Tag::HtmlBlock)) {
            out.push(events[i].clone());
            i += 1;
            continue;
        }
        let mut k = i + 1;
        let mut html = String::new();
        while k < events.len() && !matches!(events[k].0, Event::End(TagEnd::HtmlBlock)) {
            if let Event::Html(h) = &events[k].0 {
                html.push_str(h);
            }
            k += 1;
        }
        let block = range.clone();
        // Only where the HTML is the source as written (not inside a list
        // or a quote, whose markers the parser took off each line).
        let exact = body.get(block.clone()) == Some(html.as_str());
        if exact
            && let Some(open) = kramdown_open(&html)
            && let Some(end) = element_end(body, block.start + open)
        {
            let start = block.start + open;
            // The events the element covers (a blank line inside it ends
            // CommonMark's HTML block early): they must be whole blocks.
            let mut j = k + 1;
            let mut depth = 0i32;
            while j < events.len() && events[j].1.start < end {
                match events[j].0 {
                    Event::Start(_) => depth += 1,
                    Event::End(_) => depth -= 1,
                    _ => {}
                }
                j += 1;
            }
            if depth == 0 {
                let covered_end = events[i..j]
                    .iter()
                    .map(|(_, r)| r.end)
                    .max()
                    .unwrap_or(end)
                    .max(end);
                if !body[block.start..start].trim().is_empty() {
                    out.push((
                        Event::Html(CowStr::from(&body[block.start..start])),
                        block.start..start,
                    ));
                }
                out.extend(expand(body, start, end, options, refs, 0));
                // The rest of a block the element ended in stays HTML.
                if !body[end..covered_end].trim().is_empty() {
                    out.push((
                        Event::Html(CowStr::from(&body[end..covered_end])),
                        end..covered_end,
                    ));
                }
                i = j;
                continue;
            }
        }
        out.push((Event::Start(Tag::HtmlBlock), block.clone()));
        out.push((Event::Html(CowStr::from(html)), block.clone()));
        out.push((Event::End(TagEnd::HtmlBlock), block));
        i = k + 1;
    }
    out
}

/// Where in `html` an element with kramdown's `markdown="1"` (or
/// `"block"`, `"span"`) opens, if one does.
fn kramdown_open(html: &str) -> Option<usize> {
    let mut pos = 0;
    while let Some(lt) = html[pos..].find('<') {
        let at = pos + lt;
        if let Some(tag) = parse_tag(&html[at..]) {
            if !tag.closing && markdown_attr(&tag).is_some() {
                return Some(at);
            }
            pos = at + tag.len;
        } else {
            pos = at + 1;
        }
    }
    None
}

/// kramdown's `markdown` attribute, when it asks for Markdown inside.
fn markdown_attr<'t>(tag: &'t HtmlTag<'t>) -> Option<&'t HtmlAttr<'t>> {
    tag.attrs.iter().find(|a| {
        a.name.eq_ignore_ascii_case("markdown")
            && matches!(a.value, Some(v) if v == "1" || v == "block" || v == "span")
    })
}

/// Where the element opening at `start` of `body` ends (after its closing
/// tag), counting nested elements of the same name.
fn element_end(body: &str, start: usize) -> Option<usize> {
    let open = parse_tag(&body[start..])?;
    let name = open.name.to_ascii_lowercase();
    let mut depth = 0usize;
    let mut pos = start;
    while let Some(lt) = body[pos..].find('<') {
        let at = pos + lt;
        match parse_tag(&body[at..]) {
            Some(t) if t.name.eq_ignore_ascii_case(&name) => {
                if t.closing {
                    depth -= 1;
                    if depth == 0 {
                        return Some(at + t.len);
                    }
                } else if !t.self_closing {
                    depth += 1;
                }
                pos = at + t.len;
            }
            Some(t) => pos = at + t.len,
            None => pos = at + 1,
        }
    }
    None
}

/// Elements whose content kramdown reads as text of one paragraph (a
/// `<p markdown="1">` holds no `<p>` of its own).
const SPAN_CONTAINERS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "td",
    "th",
    "dt",
    "dd",
    "a",
    "span",
    "em",
    "strong",
    "summary",
    "figcaption",
    "label",
];

/// The events of the `markdown="1"` element at `start..end` of `body`: its
/// opening tag (without the attribute), its content as Markdown (nested
/// such elements likewise), its closing tag.
fn expand<'a>(
    body: &'a str,
    start: usize,
    end: usize,
    options: Options,
    refs: &RefDefs,
    depth: usize,
) -> Vec<(Event<'a>, Range<usize>)> {
    let mut out = Vec::new();
    let Some(open) = parse_tag(&body[start..end]) else {
        return out;
    };
    let name = open.name.to_ascii_lowercase();
    let mut tag = String::from("<");
    tag.push_str(open.name);
    for a in &open.attrs {
        if a.name.eq_ignore_ascii_case("markdown") {
            continue;
        }
        tag.push(' ');
        tag.push_str(a.raw);
    }
    tag.push('>');
    out.push((Event::Html(CowStr::from(tag)), start..start + open.len));
    let inner_start = start + open.len;
    let close_start = body[..end].rfind("</").unwrap_or(end).max(inner_start);
    let span = SPAN_CONTAINERS.contains(&name.as_str());
    let mut pos = inner_start;
    // Nested `markdown="1"` elements, each expanded in its place.
    let mut cursor = inner_start;
    // Deeper nesting than 8 stays HTML (bounds the recursion).
    while depth < 8 && cursor < close_start {
        let Some(lt) = body[cursor..close_start].find('<') else {
            break;
        };
        let at = cursor + lt;
        match parse_tag(&body[at..close_start]) {
            Some(t) if !t.closing && markdown_attr(&t).is_some() => {
                let Some(e) = element_end(body, at).filter(|&e| e <= close_start) else {
                    break;
                };
                out.extend(markdown_part(body, pos, at, options, refs, span));
                out.extend(expand(body, at, e, options, refs, depth + 1));
                pos = e;
                cursor = e;
            }
            Some(t) => cursor = at + t.len,
            None => cursor = at + 1,
        }
    }
    out.extend(markdown_part(body, pos, close_start, options, refs, span));
    out.push((
        Event::Html(CowStr::from(&body[close_start..end])),
        close_start..end,
    ));
    out
}

/// `body[start..end]` parsed as Markdown, its ranges in `body`. Lines
/// that hold only tags at its start (an avatar `<img>` before the quote)
/// stay HTML: CommonMark would take them as an HTML block and swallow the
/// text that follows, where kramdown reads on. Inside an element that
/// holds text (`span`), the paragraph's own `<p>` is left out.
fn markdown_part<'a>(
    body: &'a str,
    start: usize,
    end: usize,
    options: Options,
    refs: &RefDefs,
    span: bool,
) -> Vec<(Event<'a>, Range<usize>)> {
    let mut out = Vec::new();
    let mut text_start = start;
    for line in body[start..end].split_inclusive('\n') {
        let t = line.trim();
        if t.is_empty() {
            text_start += line.len();
            continue;
        }
        if t.starts_with('<') && only_tags(t) {
            out.push((
                Event::Html(CowStr::from(&body[text_start..text_start + line.len()])),
                text_start..text_start + line.len(),
            ));
            text_start += line.len();
            continue;
        }
        break;
    }
    let text = &body[text_start..end];
    if text.trim().is_empty() {
        return out;
    }
    let refs = refs.clone();
    let callback = move |link: pulldown_cmark::BrokenLink<'_>| {
        refs.get(&label_key(&link.reference))
            .map(|(d, t)| (CowStr::from(d.clone()), CowStr::from(t.clone())))
    };
    let mut events: Vec<(Event<'a>, Range<usize>)> =
        Parser::new_with_broken_link_callback(text, options, Some(callback))
            .into_offset_iter()
            .map(|(e, r)| (e, r.start + text_start..r.end + text_start))
            .collect();
    if span {
        let top_paragraphs = events
            .iter()
            .filter(|(e, _)| matches!(e, Event::Start(Tag::Paragraph)))
            .count();
        if top_paragraphs == 1
            && matches!(events.first(), Some((Event::Start(Tag::Paragraph), _)))
            && matches!(events.last(), Some((Event::End(TagEnd::Paragraph), _)))
        {
            events.remove(0);
            events.pop();
        }
    }
    out.extend(events);
    out
}

/// Whether a line holds HTML tags and nothing else.
fn only_tags(line: &str) -> bool {
    let mut rest = line.trim();
    while !rest.is_empty() {
        if !rest.starts_with('<') {
            return false;
        }
        match parse_tag(rest) {
            Some(t) => rest = rest[t.len..].trim_start(),
            None => return false,
        }
    }
    true
}

/// One HTML tag as written.
#[derive(Debug)]
struct HtmlTag<'s> {
    name: &'s str,
    closing: bool,
    self_closing: bool,
    attrs: Vec<HtmlAttr<'s>>,
    /// Bytes from `<` to after `>`.
    len: usize,
}

/// One attribute as written: `raw` is `name="value"` whole; `value` and
/// `at` (its offset in the tag) without quotes.
#[derive(Debug)]
struct HtmlAttr<'s> {
    name: &'s str,
    value: Option<&'s str>,
    at: usize,
    raw: &'s str,
}

/// Reads the tag at the start of `s` (which starts with `<`), or `None`
/// when it is not one (a `<` in text, a comment).
fn parse_tag(s: &str) -> Option<HtmlTag<'_>> {
    let b = s.as_bytes();
    if b.first() != Some(&b'<') {
        return None;
    }
    let mut i = 1;
    let closing = b.get(1) == Some(&b'/');
    if closing {
        i += 1;
    }
    let name_start = i;
    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'-') {
        i += 1;
    }
    if i == name_start || !b[name_start].is_ascii_alphabetic() {
        return None;
    }
    let name = &s[name_start..i];
    let mut attrs = Vec::new();
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        match b.get(i) {
            None => return None,
            Some(b'>') => {
                return Some(HtmlTag {
                    name,
                    closing,
                    self_closing: false,
                    attrs,
                    len: i + 1,
                });
            }
            Some(b'/') if b.get(i + 1) == Some(&b'>') => {
                return Some(HtmlTag {
                    name,
                    closing,
                    self_closing: true,
                    attrs,
                    len: i + 2,
                });
            }
            _ => {}
        }
        let attr_start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        if i == attr_start {
            // A stray `/` or `=`: step over it.
            i += 1;
            continue;
        }
        let attr_name = &s[attr_start..i];
        let mut j = i;
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        if b.get(j) != Some(&b'=') {
            attrs.push(HtmlAttr {
                name: attr_name,
                value: None,
                at: i,
                raw: attr_name,
            });
            continue;
        }
        j += 1;
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        let (value, at, after) = match b.get(j) {
            Some(&q @ (b'"' | b'\'')) => {
                let end = s[j + 1..].find(q as char)? + j + 1;
                (&s[j + 1..end], j + 1, end + 1)
            }
            Some(_) => {
                let mut e = j;
                while e < b.len() && !b[e].is_ascii_whitespace() && b[e] != b'>' {
                    e += 1;
                }
                (&s[j..e], j, e)
            }
            None => return None,
        };
        attrs.push(HtmlAttr {
            name: attr_name,
            value: Some(value),
            at,
            raw: &s[attr_start..after],
        });
        i = after;
    }
}

/// The common character references of attribute values, decoded.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Raw HTML with every `href` and `src` resolved as a Markdown link from
/// the same file would be, and its `id`s (and `<a name>`s) recorded as
/// anchors. `at` is where `html` starts in the body when it is the source
/// as written (then problems point at the attribute), else where its
/// block starts.
pub(super) fn rewrite_html(
    html: &str,
    at: usize,
    exact: bool,
    opts: &MdOptions<'_>,
    out: &mut Rendered,
) -> String {
    let mut replaced: Vec<(Range<usize>, String)> = Vec::new();
    let mut pos = 0;
    while let Some(lt) = html[pos..].find('<') {
        let start = pos + lt;
        if html[start..].starts_with("<!--") {
            pos = html[start..]
                .find("-->")
                .map_or(html.len(), |e| start + e + 3);
            continue;
        }
        let Some(tag) = parse_tag(&html[start..]) else {
            pos = start + 1;
            continue;
        };
        pos = start + tag.len;
        if tag.closing {
            continue;
        }
        let name = tag.name.to_ascii_lowercase();
        for a in &tag.attrs {
            let Some(value) = a.value else { continue };
            let attr = a.name.to_ascii_lowercase();
            if attr == "id" || (attr == "name" && name == "a") {
                let id = decode_entities(value);
                if !id.is_empty() && !out.anchors.contains(&id) {
                    out.anchors.push(id);
                }
                continue;
            }
            if attr != "href" && attr != "src" {
                continue;
            }
            let dest = decode_entities(value);
            let vstart = start + a.at;
            let span = if exact {
                at + vstart..at + vstart + value.len()
            } else {
                at..at + 1
            };
            let image = name != "a";
            let (href, _) =
                super::rewrite_link(&CowStr::from(dest.as_str()), &span, opts, out, image);
            if href != dest {
                replaced.push((vstart..vstart + value.len(), escape_html(&href)));
            }
        }
    }
    if replaced.is_empty() {
        return html.to_string();
    }
    let mut s = String::with_capacity(html.len() + 32);
    let mut last = 0;
    for (r, v) in replaced {
        s.push_str(&html[last..r.start]);
        s.push_str(&v);
        last = r.end;
    }
    s.push_str(&html[last..]);
    s
}

/// Resolves a link by GitHub's rules (repository mode); returns what to
/// write in the `href`. See the module documentation.
pub(super) fn rewrite(
    dest: &str,
    range: &Range<usize>,
    opts: &MdOptions<'_>,
    out: &mut Rendered,
    image: bool,
) -> (String, Option<String>) {
    let (path_part, anchor) = match dest.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (dest, None),
    };
    let (path_part, query) = match path_part.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (path_part, None),
    };
    let decoded = decode(path_part);
    let joined = if let Some(rest) = decoded.strip_prefix("@/") {
        rest.to_string()
    } else if let Some(rest) = decoded.strip_prefix('/') {
        // From the repository's root, as GitHub reads it.
        rest.to_string()
    } else if opts.source_dir.is_empty() {
        decoded.clone()
    } else {
        format!("{}/{}", opts.source_dir, decoded)
    };
    let with = |mut href: String, source: Option<&str>| {
        if let Some(q) = query {
            href.push('?');
            href.push_str(q);
        }
        if let Some(a) = anchor {
            let a = decode(a);
            href.push('#');
            let a = source.map_or(a.as_str(), |s| super::fixed_anchor(opts, s, &a));
            href.push_str(&encode_fragment(a));
        }
        href
    };
    let Some(target) = normalize(&joined) else {
        // Above the root: GitHub reads it against the file's web address
        // (`../../issues` from the root README is the repository's issues).
        if let Some(url) = opts
            .repo_blob
            .and_then(|b| above_root(b, opts.source_dir, &decoded))
        {
            return (with(url, None), None);
        }
        out.problems.push(MdProblem {
            span: range.clone(),
            code: codes::BROKEN_LINK,
            message: format!("link `{dest}` climbs above the repository's root"),
            help: "on GitHub such a link is a page of the repository's site (`../../issues`); set `repo_url` in hearth.toml to link there, or link to a full address".into(),
            warning: true,
        });
        return (dest.to_string(), None);
    };
    let relative = !decoded.starts_with('/') && !decoded.starts_with("@/");
    let (target, resolved) = match (opts.resolve)(&target) {
        Resolved::Missing(near) => {
            jekyll_fallback(opts, relative.then_some(decoded.as_str()), target, near)
        }
        found => (target, found),
    };
    match resolved {
        Resolved::Page {
            url,
            locked,
            source,
        } => {
            let href = with(url, Some(&source));
            out.links.push(InternalLink {
                target: source,
                anchor: anchor.map(decode),
                span: range.clone(),
            });
            (href, locked)
        }
        Resolved::File(url) => {
            out.files.push(target);
            (with(url, None), None)
        }
        Resolved::Elsewhere(url) => (with(url, None), None),
        Resolved::Unpublished => {
            out.problems.push(MdProblem {
                span: range.clone(),
                code: codes::UNPUBLISHED,
                message: format!(
                    "link to `{dest}`: `{}` is in the repository but the site does not publish it",
                    if target.is_empty() { "/" } else { &target }
                ),
                help: "set `repo_url` in hearth.toml so such links go to the repository on the web, add a README.md to the folder, or publish the path with `[repository] include`".into(),
                warning: true,
            });
            (dest.to_string(), None)
        }
        Resolved::Draft => {
            out.problems.push(MdProblem {
                span: range.clone(),
                code: codes::BROKEN_LINK,
                message: format!("link to `{dest}`: that page is a draft, so it is not published"),
                help: "publish the page (remove `draft = true`), or build with --drafts to preview"
                    .into(),
                warning: true,
            });
            (dest.to_string(), Some("draft".into()))
        }
        Resolved::Missing(near) => {
            let help = match near {
                Some(n) => format!("did you mean `{}`?", relative_path(opts.source_dir, &n)),
                None => "a relative link starts at this file's folder, one from `/` at the repository's root; fix the path or remove the link".into(),
            };
            let last = target.rsplit('/').next().unwrap_or("");
            let file_like = image || (last.contains('.') && !last.ends_with(".md"));
            let shown = if target.is_empty() { "/" } else { &target };
            out.problems.push(MdProblem {
                span: range.clone(),
                code: if file_like {
                    codes::MISSING_FILE
                } else {
                    codes::BROKEN_LINK
                },
                message: format!(
                    "link to `{dest}`: there is no `{shown}` in the repository, so the link is broken on GitHub too"
                ),
                help,
                warning: true,
            });
            (dest.to_string(), None)
        }
    }
}

/// What a link GitHub cannot follow is on the published Jekyll site,
/// which the hub keeps working: resolved from the page's URL (`url_dir`)
/// as a browser there would, to a page or file, else `x/` as the page
/// `x.md`; from the page's URL first, since that is what a reader of
/// the site follows. `relative` is the link as written, when it is
/// relative. Otherwise the link stays missing.
fn jekyll_fallback(
    opts: &MdOptions<'_>,
    relative: Option<&str>,
    target: String,
    near: Option<String>,
) -> (String, Resolved) {
    let from_url = opts
        .url_dir
        .zip(relative)
        .and_then(|(dir, link)| normalize(&format!("{dir}/{link}")))
        .filter(|t| *t != target);
    if let Some(t) = &from_url
        && let found @ (Resolved::Page { .. } | Resolved::File(_)) = (opts.resolve)(t)
    {
        return (t.clone(), found);
    }
    let Some(jekyll) = opts.jekyll_page else {
        return (target, Resolved::Missing(near));
    };
    for t in from_url.iter().chain([&target]) {
        if let Some(found) = jekyll(t) {
            return (t.clone(), found);
        }
    }
    (target, Resolved::Missing(near))
}

/// A repository path as a relative link from a file in `dir` would write
/// it (`../sig-list.md`).
pub(super) fn relative_path(dir: &str, path: &str) -> String {
    let from: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; from.len() - common];
    parts.extend(&to[common..]);
    if parts.is_empty() {
        "./".to_string()
    } else {
        parts.join("/")
    }
}

/// A link above the repository's root, resolved against the web address of
/// the file's folder (`blob` is `{repo_url}/blob/{branch}`) as a browser
/// on GitHub resolves it.
fn above_root(blob: &str, dir: &str, link: &str) -> Option<String> {
    let after_scheme = blob.find("://")? + 3;
    let host_end = blob[after_scheme..]
        .find('/')
        .map_or(blob.len(), |i| after_scheme + i);
    let origin = &blob[..host_end];
    let mut segs: Vec<String> = blob[host_end..]
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    segs.extend(dir.split('/').filter(|s| !s.is_empty()).map(str::to_string));
    for part in link.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                segs.pop();
            }
            p => segs.push(p.to_string()),
        }
    }
    let trailing = if link.ends_with('/') { "/" } else { "" };
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'<')
        .add(b'>')
        .add(b'`')
        .add(b'#')
        .add(b'?')
        .add(b'%');
    let path: Vec<String> = segs
        .iter()
        .map(|s| percent_encoding::utf8_percent_encode(s, SEGMENT).to_string())
        .collect();
    Some(format!("{origin}/{}{trailing}", path.join("/")))
}

/// Liquid (Jekyll's template language) outside code in a file Jekyll
/// would run it on (one with front matter): a warning on each, since the
/// site shows it as written, as GitHub does.
pub(super) fn liquid(body: &str, events: &[(Event<'_>, Range<usize>)], out: &mut Rendered) {
    if !body.contains("{%") && !body.contains("{{") {
        return;
    }
    let code: Vec<Range<usize>> = events
        .iter()
        .filter(|(e, _)| {
            matches!(
                e,
                Event::Code(_) | Event::Start(Tag::CodeBlock(_)) | Event::InlineMath(_)
            )
        })
        .map(|(_, r)| r.clone())
        .collect();
    let in_code = |at: usize| code.iter().any(|r| r.contains(&at));
    let mut pos = 0;
    let mut found = 0;
    while let Some(i) = body[pos..].find('{') {
        let at = pos + i;
        let close = match body.as_bytes().get(at + 1) {
            Some(b'%') => "%}",
            Some(b'{') => "}}",
            _ => {
                pos = at + 1;
                continue;
            }
        };
        let line_end = body[at..].find('\n').map_or(body.len(), |e| at + e);
        let Some(end) = body[at + 2..line_end].find(close).map(|e| at + 2 + e + 2) else {
            pos = at + 2;
            continue;
        };
        pos = end;
        if in_code(at) {
            continue;
        }
        found += 1;
        if found > 20 {
            continue;
        }
        let tag = &body[at..end];
        out.problems.push(MdProblem {
            span: at..end,
            code: codes::LIQUID,
            message: format!(
                "`{tag}` is Liquid, Jekyll's template language: the site shows it as written, as GitHub does"
            ),
            help: "write what it stands for instead (an include's text, the site's title), or put it in backticks to show it as code".into(),
            warning: true,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_read_with_their_attributes() {
        let t = parse_tag("<img src=\"a.png\" alt='x y' hidden data-x=1>rest").unwrap();
        assert_eq!(t.name, "img");
        assert_eq!(t.len, "<img src=\"a.png\" alt='x y' hidden data-x=1>".len());
        let vals: Vec<(&str, Option<&str>)> = t.attrs.iter().map(|a| (a.name, a.value)).collect();
        assert_eq!(
            vals,
            [
                ("src", Some("a.png")),
                ("alt", Some("x y")),
                ("hidden", None),
                ("data-x", Some("1"))
            ]
        );
        assert!(parse_tag("< not a tag").is_none());
        assert!(parse_tag("</p>").unwrap().closing);
        assert!(only_tags("  <img src=x> <br/>"));
        assert!(!only_tags("<img src=x> text"));
    }

    #[test]
    fn relative_paths_and_links_above_the_root() {
        assert_eq!(relative_path("sig-apps", "sig-list.md"), "../sig-list.md");
        assert_eq!(relative_path("", "a/b.md"), "a/b.md");
        assert_eq!(relative_path("a/b", "a/c/d.md"), "../c/d.md");
        assert_eq!(
            above_root("https://github.com/o/r/blob/main", "", "../../issues").as_deref(),
            Some("https://github.com/o/r/issues")
        );
        assert_eq!(
            above_root(
                "https://github.com/o/r/blob/main",
                "docs",
                "../../../pulls/"
            )
            .as_deref(),
            Some("https://github.com/o/r/pulls/")
        );
    }
}
