//! Markdown → HTML: CJK-safe heading ids, checked internal links, syntax
//! highlighting with CSS classes, summaries.
//!
//! This module knows nothing of tiers or templates. It resolves links through
//! a callback so the content model stays the one owner of permalinks, and it
//! returns what the site must check afterwards (anchors of other pages are
//! only known once every page is rendered).

use std::collections::HashSet;
use std::fmt::Write as _;
use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use crate::text::{anchor, escape_html, escape_html_text, github_anchor, is_cjk};

mod repository;

/// The CSS class prefix of highlighted tokens (`hl-keyword`), so site styles
/// cannot collide with token classes.
pub const HIGHLIGHT_CLASS: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Loaded on first use only: most pages of a community hub have no code.
static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// How a link written in Markdown resolves.
pub enum Resolved {
    /// An internal page: its URL (root-relative) and its content path, for anchor checks.
    Page {
        /// Root-relative, percent-encoded URL.
        url: String,
        /// The tier's name when the page is not written for this build's
        /// audience: the link becomes a lock placeholder, never a broken link.
        locked: Option<String>,
        /// The content-relative source path of the target.
        source: String,
    },
    /// A file that exists beside a page or in a section folder: its published URL.
    File(String),
    /// A page marked `draft = true` in a build without `--drafts`.
    Draft,
    /// Nothing there; what was most likely meant (a content-relative path),
    /// if anything is close.
    Missing(Option<String>),
    /// Repository mode: a path of the repository the site does not publish
    /// (a folder without Markdown, `.github/`), at its web address.
    Elsewhere(String),
    /// Repository mode: as `Elsewhere`, with no web address known.
    Unpublished,
}

/// What the markdown renderer needs from its caller.
pub struct MdOptions<'a> {
    /// Curly quotes and dashes.
    pub smart_punctuation: bool,
    /// Open external links in a new tab.
    pub external_links_new_tab: bool,
    /// Accessible label for heading anchor links.
    pub anchor_label: &'a str,
    /// Resolves an internal target (already made content-relative) to a URL.
    pub resolve: &'a (dyn Fn(&str) -> Resolved + Sync),
    /// Directory of the source file, content-relative with forward slashes (`events`).
    pub source_dir: &'a str,
    /// Gives top-level list items (and `##` headings) `rule-N` anchors.
    pub numbered_rules: bool,
    /// Origin (`https://host`) that makes root-relative links absolute in `plain`.
    pub origin: &'a str,
    /// The path the site is published under (`/club` for
    /// `https://a.org/club`; empty at a host's root): a link from the root
    /// (`/x/`) is a path in the site, and is written with it (`/club/x/`).
    pub base_path: &'a str,
    /// Makes each `##` question and its answer a collapsible `<details>`.
    pub faq: bool,
    /// Sanitizes the result (raw HTML from untrusted contributors).
    pub safe_html: bool,
    /// GitHub's rules for links and raw HTML (repository mode): `/x` is
    /// the repository's root, every path is checked, `href` and `src` in
    /// HTML are links, kramdown's `markdown="1"` blocks are Markdown.
    pub github_links: bool,
    /// Heading ids by GitHub's algorithm ([`crate::text::github_anchor`]).
    pub github_anchors: bool,
    /// The first `# heading`, when no heading comes before it, is the
    /// page's title: left out of the HTML, given in [`Rendered::title`].
    pub title_heading: bool,
    /// The file has front matter, so Jekyll would run Liquid in it: Liquid
    /// outside code is reported.
    pub liquid: bool,
    /// `{repo_url}/blob/{branch}`, for links that climb above the root.
    pub repo_blob: Option<&'a str>,
    /// Repository mode, a page that is not its folder's index: the folder
    /// a browser resolves the page's relative links from, on a Jekyll site
    /// and on the hub alike, since both give `a/b.md` the URL `…/a/b/`
    /// (`_articles/ar/building-community` for
    /// `_articles/ar/building-community.md`). Tried when GitHub's rule,
    /// from the file's folder, finds nothing.
    pub url_dir: Option<&'a str>,
    /// Repository mode: the page `x.md` for a link to `x/` (the URL Jekyll
    /// gives it), tried after GitHub's rule finds nothing.
    pub jekyll_page: Option<&'a JekyllPage<'a>>,
    /// Anchors to write in another letter case, by (target content path,
    /// empty for this page; anchor as written): the right id, which
    /// GitHub would have found and a browser does not.
    pub anchor_fixes: Option<&'a AnchorFixes>,
}

/// See [`MdOptions::jekyll_page`].
pub type JekyllPage<'a> = dyn Fn(&str) -> Option<Resolved> + Sync + 'a;

/// See [`MdOptions::anchor_fixes`].
pub type AnchorFixes = std::collections::HashMap<(String, String), String>;

/// The anchor to write for `anchor` (decoded) of `target`.
fn fixed_anchor<'x>(opts: &'x MdOptions<'_>, target: &str, anchor: &'x str) -> &'x str {
    opts.anchor_fixes
        .and_then(|f| f.get(&(target.to_string(), anchor.to_string())))
        .map_or(anchor, String::as_str)
}

/// A link into the site, to be checked once all pages are rendered.
#[derive(Debug, Clone)]
pub struct InternalLink {
    /// Content path of the target page; empty for a same-page `#anchor`.
    pub target: String,
    /// The anchor, if any (decoded).
    pub anchor: Option<String>,
    /// Byte range of the link in the Markdown body.
    pub span: Range<usize>,
}

/// A link or image by a path from the site's root (`/images/poster.png`,
/// `/events/`), to be checked once the build knows every file it writes.
#[derive(Debug, Clone)]
pub struct SiteLink {
    /// The path in the site (decoded, without the base path, query or
    /// fragment): `/images/poster.png`.
    pub path: String,
    /// Whether it was written with the base path already (`/club/x/`).
    pub prefixed: bool,
    /// An image (`![…](…)`), not a link.
    pub image: bool,
    /// Byte range of the link in the Markdown body.
    pub span: Range<usize>,
}

/// A problem found while rendering, located in the Markdown body.
#[derive(Debug, Clone)]
pub struct MdProblem {
    /// Byte range in the body.
    pub span: Range<usize>,
    /// Which diagnostic it is.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
    /// Errors fail the build; warnings don't.
    pub warning: bool,
}

/// A heading, for tables of contents and FAQ views.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The anchor id.
    pub id: String,
    /// Plain text of the heading.
    pub title: String,
}

/// The result of rendering one Markdown body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The body as HTML.
    pub html: String,
    /// Text before `<!-- more -->`, else the first paragraph, as HTML.
    pub summary: String,
    /// Plain text of the summary, for meta descriptions.
    pub summary_text: String,
    /// Every id this body defines (headings, rules, explicit ids).
    pub anchors: Vec<String>,
    /// The headings, in order.
    pub headings: Vec<Heading>,
    /// Links to check against other pages.
    pub links: Vec<InternalLink>,
    /// Links and images by a path from the site's root, to check against
    /// the files the build writes.
    pub site_links: Vec<SiteLink>,
    /// Broken links found while resolving.
    pub problems: Vec<MdProblem>,
    /// Words (CJK characters count as words), for reading time.
    pub words: usize,
    /// Whether any code block was highlighted.
    pub has_code: bool,
    /// The first image's URL, for sharing cards.
    pub first_image: Option<String>,
    /// The body as plain text, links followed by their absolute URL, for
    /// calendar descriptions and other text-only outputs.
    pub plain: String,
    /// Questions and answers of an FAQ page, in order.
    pub faq: Vec<FaqItem>,
    /// The title heading's text, with `title_heading`.
    pub title: Option<String>,
    /// Content paths of the files its links and images name (they are
    /// published).
    pub files: Vec<String>,
}

/// One FAQ entry, for FAQPage structured data.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FaqItem {
    /// The question's anchor id.
    pub id: String,
    /// The question.
    pub question: String,
    /// The answer as plain text.
    pub answer: String,
}

/// Renders a Markdown body.
pub fn render(body: &str, opts: &MdOptions<'_>) -> Rendered {
    let mut options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    if opts.smart_punctuation {
        options |= Options::ENABLE_SMART_PUNCTUATION;
    }
    let parser = Parser::new_ext(body, options);
    let events: Vec<(Event<'_>, Range<usize>)> = if opts.github_links {
        let refs = repository::refdefs(&parser);
        let events = parser.into_offset_iter().collect();
        repository::prepare(body, events, options, &refs)
    } else {
        parser.into_offset_iter().collect()
    };

    let mut out = Rendered::default();
    let mut ids = HashSet::new();
    let mut seen_heading = false;
    // Whether the open paragraph has text of its own (not only badges).
    let mut para_text = false;
    let mut image_depth = 0usize;
    // Explicit ids first, so generated ones never take them.
    for (ev, _) in &events {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = ev {
            ids.insert(id.to_string());
        }
    }
    let mut html_events: Vec<Event<'_>> = Vec::with_capacity(events.len());
    let mut summary_end: Option<usize> = None;
    let mut first_para_end: Option<usize> = None;
    let mut para_depth_start: Option<usize> = None;
    let mut list_depth = 0usize;
    // Rules are numbered by their top-level list items when the page has a
    // list (numbering continues across lists, so "rule 3" is unique), else by
    // their `##` headings. Sub-items get `rule-3-2`.
    let rules_by_list = opts.numbered_rules && has_top_level_list(&events);
    let rules_by_heading = opts.numbered_rules && !rules_by_list;
    let mut rule_counters: Vec<usize> = Vec::new();
    let mut top_rule_headings = 0usize;
    let mut text_words = WordCounter::default();
    let mut locked_links: Vec<bool> = Vec::new();
    let mut faq_open: Option<(String, String, usize)> = None;

    let mut i = 0;
    while i < events.len() {
        let (ev, range) = &events[i];
        match ev {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                let end = find_end(&events, i);
                let inner = &events[i + 1..end];
                let title = plain_text(inner.iter().map(|(e, _)| e));
                let lvl = heading_number(*level);
                let id = match id {
                    Some(id) => id.to_string(),
                    None if rules_by_heading && lvl == 2 => {
                        top_rule_headings += 1;
                        unique_id(&format!("rule-{top_rule_headings}"), &mut ids)
                    }
                    None if opts.github_anchors => {
                        let slug = github_anchor(&title);
                        unique_id(if slug.is_empty() { "section" } else { &slug }, &mut ids)
                    }
                    None => unique_id(&anchor(&title), &mut ids),
                };
                let first = !seen_heading;
                seen_heading = true;
                if opts.title_heading && first && lvl == 1 {
                    // The title: shown by the template above the body, so
                    // not repeated; a link to its id lands at the top.
                    out.title = Some(title);
                    out.anchors.push(id);
                    i = end + 1;
                    continue;
                }
                let faq_question = opts.faq && lvl == 2;
                if faq_question {
                    close_faq(&mut faq_open, &mut html_events, &mut out.faq, opts.origin);
                    html_events.push(Event::Html("<details class=\"faq-item\"><summary>".into()));
                }
                let mut open = format!("<h{lvl} id=\"{}\"", escape_html(&id));
                if !classes.is_empty() {
                    let cls: Vec<&str> = classes.iter().map(|c| c.as_ref()).collect();
                    let _ = write!(open, " class=\"{}\"", escape_html(&cls.join(" ")));
                }
                open.push('>');
                html_events.push(Event::Html(open.into()));
                let inner_start = html_events.len();
                for (e, r) in inner {
                    text_words.add(e);
                    push_inline(
                        e.clone(),
                        r,
                        opts,
                        &mut out,
                        &mut html_events,
                        &mut locked_links,
                    );
                }
                let _ = inner_start;
                if faq_question {
                    html_events.push(Event::Html(
                        format!("</h{lvl}></summary>\n<div class=\"faq-answer\">\n").into(),
                    ));
                    faq_open = Some((id.clone(), title.clone(), html_events.len()));
                } else {
                    html_events.push(Event::Html(
                    format!(
                        " <a class=\"heading-anchor\" href=\"#{}\" aria-label=\"{}\">#</a></h{lvl}>\n",
                        escape_html(&encode_fragment(&id)),
                        escape_html(&format!("{}: {}", opts.anchor_label, title))
                    )
                    .into(),
                ));
                }
                out.anchors.push(id.clone());
                out.headings.push(Heading {
                    level: lvl,
                    id,
                    title,
                });
                i = end + 1;
                continue;
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let end = find_end(&events, i);
                let mut code = String::new();
                for (e, _) in &events[i + 1..end] {
                    if let Event::Text(t) = e {
                        code.push_str(t);
                    }
                }
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split([' ', ',', '{']).next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                let (html, highlighted) = highlight(&code, &lang);
                out.has_code |= highlighted;
                html_events.push(Event::Html(html.into()));
                i = end + 1;
                continue;
            }
            Event::Start(Tag::Paragraph) => {
                if para_depth_start.is_none() && first_para_end.is_none() && list_depth == 0 {
                    para_depth_start = Some(html_events.len());
                }
                para_text = false;
                html_events.push(ev.clone());
            }
            Event::End(TagEnd::Paragraph) => {
                html_events.push(ev.clone());
                if para_depth_start.is_some() && first_para_end.is_none() && list_depth == 0 {
                    if opts.github_links && !para_text {
                        // A row of badges is not what the page is about:
                        // the summary is the first paragraph with text.
                        para_depth_start = None;
                    } else {
                        first_para_end = Some(html_events.len());
                    }
                }
            }
            Event::Start(Tag::List(_)) => {
                if rules_by_list && (list_depth > 0 || rule_counters.is_empty()) {
                    rule_counters.push(0);
                }
                list_depth += 1;
                html_events.push(ev.clone());
            }
            Event::End(TagEnd::List(_)) => {
                list_depth = list_depth.saturating_sub(1);
                if rules_by_list && list_depth > 0 {
                    rule_counters.pop();
                }
                html_events.push(ev.clone());
            }
            Event::Start(Tag::Item) if rules_by_list && !rule_counters.is_empty() => {
                if let Some(last) = rule_counters.last_mut() {
                    *last += 1;
                }
                let numbers: Vec<String> = rule_counters.iter().map(|n| n.to_string()).collect();
                let id = unique_id(&format!("rule-{}", numbers.join("-")), &mut ids);
                let label = numbers.join(".");
                html_events.push(Event::Html(
                    format!(
                        "<li id=\"{id}\" class=\"rule\"><a class=\"rule-number\" href=\"#{id}\" aria-label=\"{} {label}\">{label}</a> ",
                        escape_html(opts.anchor_label)
                    )
                    .into(),
                ));
                out.anchors.push(id);
            }
            Event::Html(h) | Event::InlineHtml(h) if h.trim() == "<!-- more -->" => {
                if summary_end.is_none() {
                    summary_end = Some(html_events.len());
                }
            }
            Event::Html(h) | Event::InlineHtml(h) if opts.github_links => {
                // Links in raw HTML are links too (and its ids anchors,
                // which never shift GitHub's heading ids).
                let exact = body.get(range.clone()) == Some(h.as_ref());
                let html = repository::rewrite_html(h, range.start, exact, opts, &mut out);
                html_events.push(match ev {
                    Event::Html(_) => Event::Html(html.into()),
                    _ => Event::InlineHtml(html.into()),
                });
            }
            other => {
                text_words.add(other);
                match other {
                    Event::Start(Tag::Image { .. }) => image_depth += 1,
                    Event::End(TagEnd::Image) => image_depth = image_depth.saturating_sub(1),
                    Event::Text(t) | Event::Code(t) if image_depth == 0 && !t.trim().is_empty() => {
                        para_text = true;
                    }
                    _ => {}
                }
                if let Event::Html(h) | Event::InlineHtml(h) = other {
                    collect_html_ids(h, &mut out.anchors, &mut ids);
                }
                push_inline(
                    other.clone(),
                    range,
                    opts,
                    &mut out,
                    &mut html_events,
                    &mut locked_links,
                );
            }
        }
        i += 1;
    }

    close_faq(&mut faq_open, &mut html_events, &mut out.faq, opts.origin);
    if opts.liquid {
        repository::liquid(body, &events, &mut out);
    }
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, html_events.iter().cloned());
    out.html = if opts.safe_html {
        sanitize(&html)
    } else {
        html
    };
    let summary_range = match (summary_end, para_depth_start, first_para_end) {
        (Some(end), _, _) => Some(0..end),
        (None, Some(s), Some(e)) => Some(s..e),
        _ => None,
    };
    if let Some(r) = summary_range {
        let slice = &html_events[r];
        let mut s = String::new();
        pulldown_cmark::html::push_html(&mut s, without_fragment_links(slice));
        out.summary_text = plain_text(slice.iter());
        let summary = strip_heading_anchors(&s);
        out.summary = if opts.safe_html {
            sanitize(&summary)
        } else {
            summary
        };
    }
    out.words = text_words.words;
    out.plain = plain_with_links(&html_events, opts.origin);
    out
}

/// The allow-list for `safe_html` (documented in docs/security.md): the
/// elements Markdown and Hearth produce, no scripts, styles, frames, event
/// handlers or `javascript:`/`vbscript:` URLs, and `data:` only for images.
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_tags([
        "details",
        "summary",
        "figure",
        "figcaption",
        "mark",
        "time",
        "span",
        "div",
        "input",
        "section",
    ])
    .add_generic_attributes([
        "id",
        "class",
        "title",
        "lang",
        "dir",
        "aria-label",
        "aria-hidden",
        "data-lang",
        "style",
    ])
    .add_tag_attributes("input", ["type", "checked", "disabled"])
    .add_tag_attributes("time", ["datetime"])
    .add_tag_attributes("ol", ["start"])
    .filter_style_properties(std::collections::HashSet::from(["text-align"]))
    .add_url_schemes(["data"])
    .attribute_filter(|element, attribute, value| {
        let v = value.trim_start().to_ascii_lowercase();
        if v.starts_with("data:") {
            // data: URLs only as image sources (no data:text/html links).
            let image = element == "img" && attribute == "src" && v.starts_with("data:image/");
            return image.then(|| value.into());
        }
        if element == "input" && attribute == "type" && value != "checkbox" {
            return None;
        }
        Some(value.into())
    });
    b
});

/// Cleans rendered HTML with the `safe_html` allow-list.
pub fn sanitize(html: &str) -> String {
    SANITIZER.clean(html).to_string()
}

/// Closes the open FAQ answer, if any, recording its question and answer text.
fn close_faq(
    open: &mut Option<(String, String, usize)>,
    html_events: &mut Vec<Event<'_>>,
    faq: &mut Vec<FaqItem>,
    origin: &str,
) {
    if let Some((id, question, start)) = open.take() {
        let answer = plain_with_links(&html_events[start..], origin);
        html_events.push(Event::Html("</div>\n</details>\n".into()));
        faq.push(FaqItem {
            id,
            question,
            answer,
        });
    }
}

/// Plain text of rendered events: paragraphs separated by blank lines, list
/// items on their own lines, links as "text (https://…)".
fn plain_with_links(events: &[Event<'_>], origin: &str) -> String {
    let mut out = String::new();
    let mut links: Vec<(String, usize)> = Vec::new();
    let absolute = |url: &str| {
        if url.starts_with('/') && !url.starts_with("//") {
            format!("{origin}{url}")
        } else {
            url.to_string()
        }
    };
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => out.push_str(t),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            Event::Start(Tag::Link { dest_url, .. }) => links.push((absolute(dest_url), out.len())),
            Event::End(TagEnd::Link) => {
                if let Some((url, start)) = links.pop()
                    && !url.starts_with('#')
                    && out[start..].trim() != url
                {
                    out.push_str(&format!(" ({url})"));
                }
            }
            Event::Start(Tag::Item) => out.push_str("- "),
            Event::End(TagEnd::Item) | Event::End(TagEnd::TableRow) => out.push('\n'),
            Event::End(
                TagEnd::Paragraph | TagEnd::CodeBlock | TagEnd::BlockQuote(_) | TagEnd::List(_),
            ) => out.push_str("\n\n"),
            Event::Html(h) if h.starts_with("</h") => out.push_str("\n\n"),
            Event::Html(h) if h.starts_with("<pre") => {
                // Highlighted code arrives as HTML: keep its text.
                out.push_str(&strip_tags(h));
                out.push_str("\n\n");
            }
            _ => {}
        }
    }
    let mut text = out.trim().to_string();
    while text.contains("\n\n\n") {
        text = text.replace("\n\n\n", "\n\n");
    }
    text
}

/// Text of an HTML fragment (tags removed, the common entities decoded).
pub fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

fn has_top_level_list(events: &[(Event<'_>, Range<usize>)]) -> bool {
    let mut depth = 0usize;
    for (e, _) in events {
        match e {
            Event::Start(Tag::List(_)) if depth == 0 => return true,
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// A summary's events without the links to an anchor of its own page
/// (`[below](#x)`), keeping their text: a summary is shown on other pages
/// (listings, the home page), where `#x` would point at nothing.
fn without_fragment_links<'e>(events: &'e [Event<'e>]) -> impl Iterator<Item = Event<'e>> + 'e {
    let mut open: Vec<bool> = Vec::new();
    events.iter().filter_map(move |ev| match ev {
        Event::Start(Tag::Link { dest_url, .. }) => {
            let own = dest_url.starts_with('#');
            open.push(own);
            (!own).then(|| ev.clone())
        }
        Event::End(TagEnd::Link) => match open.pop() {
            Some(true) => None,
            _ => Some(ev.clone()),
        },
        _ => Some(ev.clone()),
    })
}

/// Removes the `#` anchor links from a summary, which reads as running text.
fn strip_heading_anchors(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(" <a class=\"heading-anchor\"") {
        out.push_str(&rest[..start]);
        match rest[start..].find("</a>") {
            Some(end) => rest = &rest[start + end + 4..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

fn find_end(events: &[(Event<'_>, Range<usize>)], start: usize) -> usize {
    let mut depth = 0usize;
    for (j, (e, _)) in events.iter().enumerate().skip(start) {
        match e {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
    }
    events.len() - 1
}

/// Rewrites internal links and images, recording what needs checking.
fn push_inline<'a>(
    ev: Event<'a>,
    range: &Range<usize>,
    opts: &MdOptions<'_>,
    out: &mut Rendered,
    html_events: &mut Vec<Event<'a>>,
    locked_links: &mut Vec<bool>,
) {
    match ev {
        Event::Start(Tag::Link {
            link_type: link_type @ pulldown_cmark::LinkType::Email,
            dest_url,
            title,
            id,
        }) => {
            // `<a@b.org>`: an address, written `mailto:` by the HTML
            // writer; never a path to resolve.
            locked_links.push(false);
            html_events.push(Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }));
        }
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let (dest, locked) = rewrite_link(&dest_url, range, opts, out, false);
            locked_links.push(locked.is_some());
            if let Some(tier) = locked {
                html_events.push(Event::Html(
                    format!(
                        "<span class=\"locked-link\" title=\"{}\">",
                        escape_html(&tier)
                    )
                    .into(),
                ));
                return;
            }
            let external = is_external(&dest_url);
            if external && opts.external_links_new_tab {
                let mut a = format!("<a href=\"{}\"", escape_html(&dest));
                if !title.is_empty() {
                    let _ = write!(a, " title=\"{}\"", escape_html(&title));
                }
                a.push_str(" target=\"_blank\" rel=\"noopener\">");
                html_events.push(Event::Html(a.into()));
                return;
            }
            html_events.push(Event::Start(Tag::Link {
                link_type,
                dest_url: dest.into(),
                title,
                id,
            }));
        }
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let (dest, _) = rewrite_link(&dest_url, range, opts, out, true);
            if out.first_image.is_none() {
                out.first_image = Some(dest.clone());
            }
            html_events.push(Event::Start(Tag::Image {
                link_type,
                dest_url: dest.into(),
                title,
                id,
            }));
        }
        Event::End(TagEnd::Link) => {
            if locked_links.pop() == Some(true) {
                html_events.push(Event::Html("</span>".into()));
            } else {
                html_events.push(Event::End(TagEnd::Link));
            }
        }
        other => html_events.push(other),
    }
}

fn is_external(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    lower.starts_with("//")
        || lower.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && scheme != "@"
        })
}

/// Resolves one link destination; returns what to write in the href.
fn rewrite_link(
    dest: &CowStr<'_>,
    range: &Range<usize>,
    opts: &MdOptions<'_>,
    out: &mut Rendered,
    image: bool,
) -> (String, Option<String>) {
    let dest = dest.as_ref();
    if dest.is_empty() || is_external(dest) {
        return (dest.to_string(), None);
    }
    if opts.github_links && !dest.starts_with('#') {
        return repository::rewrite(dest, range, opts, out, image);
    }
    if let Some(anchor) = dest.strip_prefix('#') {
        let decoded = decode(anchor);
        let fixed = fixed_anchor(opts, "", &decoded);
        let href = if fixed == decoded {
            dest.to_string()
        } else {
            format!("#{}", encode_fragment(fixed))
        };
        out.links.push(InternalLink {
            target: String::new(),
            anchor: Some(decoded),
            span: range.clone(),
        });
        return (href, None);
    }
    let (path_part, anchor) = match dest.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (dest, None),
    };
    let (path_part, query) = match path_part.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (path_part, None),
    };
    let decoded = decode(path_part);
    let (target, explicit) = if let Some(rest) = decoded.strip_prefix("@/") {
        (normalize(rest), true)
    } else if decoded.starts_with('/') {
        // From the site's root: a static file, a page's URL, a feed. Read
        // in the site (`/x/` is the site's `/x/`, published under the base
        // path), unless it already starts with the base path; checked once
        // the build knows every file it writes.
        let base = opts.base_path;
        let prefixed =
            !base.is_empty() && (decoded == base || decoded.starts_with(&format!("{base}/")));
        let path = if prefixed {
            let rest = &decoded[base.len()..];
            if rest.is_empty() {
                "/".to_string()
            } else {
                rest.to_string()
            }
        } else {
            decoded.clone()
        };
        out.site_links.push(SiteLink {
            path,
            prefixed,
            image,
            span: range.clone(),
        });
        let href = if prefixed || base.is_empty() {
            dest.to_string()
        } else {
            format!("{base}{dest}")
        };
        return (href, None);
    } else {
        let joined = if opts.source_dir.is_empty() {
            decoded.clone()
        } else {
            format!("{}/{}", opts.source_dir, decoded)
        };
        (normalize(&joined), false)
    };
    let is_md = target.as_deref().is_some_and(|t| t.ends_with(".md"));
    let Some(target) = target else {
        out.problems.push(MdProblem {
            span: range.clone(),
            code: crate::diagnostics::codes::BROKEN_LINK,
            message: format!("link `{dest}` leaves the content folder"),
            help: "link to a page inside content/, e.g. `@/rules.md`".into(),
            warning: false,
        });
        return (dest.to_string(), None);
    };
    if !explicit && !is_md {
        // A relative link to a file beside the page, or to a sibling URL:
        // files that exist get their published URL; names that look like
        // files but are not there are reported.
        if image || decoded.contains('.') {
            match (opts.resolve)(&target) {
                Resolved::File(url) => {
                    out.files.push(target);
                    return (url, None);
                }
                Resolved::Missing(near) => out.problems.push(MdProblem {
                    span: range.clone(),
                    code: crate::diagnostics::codes::MISSING_FILE,
                    message: format!("`{decoded}` does not exist"),
                    help: match near {
                        Some(n) => format!("did you mean `{}`?", relative_to(opts.source_dir, &n)),
                        None => "put the file beside this page (page bundle) or in static/, or fix the name"
                            .into(),
                    },
                    warning: false,
                }),
                _ => {}
            }
        }
        return (dest.to_string(), None);
    }
    match (opts.resolve)(&target) {
        Resolved::Page {
            url,
            source,
            locked,
        } => {
            out.links.push(InternalLink {
                target: source,
                anchor: anchor.map(decode),
                span: range.clone(),
            });
            let mut href = url;
            if let Some(q) = query {
                href.push('?');
                href.push_str(q);
            }
            if let Some(a) = anchor {
                href.push('#');
                href.push_str(&encode_fragment(&decode(a)));
            }
            (href, locked)
        }
        Resolved::File(url) => {
            out.files.push(target);
            (url, None)
        }
        Resolved::Elsewhere(url) => (url, None),
        Resolved::Unpublished => (dest.to_string(), None),
        Resolved::Draft => {
            out.problems.push(MdProblem {
                span: range.clone(),
                code: crate::diagnostics::codes::BROKEN_LINK,
                message: format!("link to `{dest}`: that page is a draft, so it is not published"),
                help: "publish the page (remove `draft = true`), or build with --drafts to preview"
                    .into(),
                warning: true,
            });
            (dest.to_string(), Some("draft".into()))
        }
        Resolved::Missing(near) => {
            let help = match near {
                Some(n) if n.ends_with(".md") => format!("did you mean `@/{n}`?"),
                Some(n) => format!("did you mean `{}`?", relative_to(opts.source_dir, &n)),
                None => "check the path (it is relative to this file, or to content/ with `@/`); the page may have moved".into(),
            };
            out.problems.push(MdProblem {
                span: range.clone(),
                code: crate::diagnostics::codes::BROKEN_LINK,
                message: format!("link to `{dest}`: no page at content/{target}"),
                help,
                warning: false,
            });
            (dest.to_string(), None)
        }
    }
}

/// A content path as a link from a page in `dir` would write it: the bare
/// name for a file beside the page, else `@/` and the path.
fn relative_to(dir: &str, path: &str) -> String {
    match path.rsplit_once('/') {
        Some((d, name)) if d == dir => name.to_string(),
        None if dir.is_empty() => path.to_string(),
        _ => format!("@/{path}"),
    }
}

/// The text of a document's title heading: its first heading when that is
/// a `# heading` (setext `===` too), inline markup reduced to text.
/// Repository mode titles a repository without `hearth.toml` by its root
/// README's.
pub fn first_title(body: &str) -> Option<String> {
    let events: Vec<Event<'_>> =
        Parser::new_ext(body, Options::ENABLE_HEADING_ATTRIBUTES).collect();
    let start = events
        .iter()
        .position(|e| matches!(e, Event::Start(Tag::Heading { .. })))?;
    let Event::Start(Tag::Heading {
        level: HeadingLevel::H1,
        ..
    }) = events[start]
    else {
        return None;
    };
    let end = events[start..]
        .iter()
        .position(|e| matches!(e, Event::End(TagEnd::Heading(_))))?;
    let title = plain_text(events[start + 1..start + end].iter());
    (!title.is_empty()).then_some(title)
}

/// Resolves `.` and `..` in a slash path; `None` if it climbs above the root.
pub fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// Percent-encodes a fragment so non-ASCII anchors survive every validator.
pub fn encode_fragment(s: &str) -> String {
    const FRAGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'<')
        .add(b'>')
        .add(b'`')
        .add(b'#')
        .add(b'%');
    percent_encoding::utf8_percent_encode(s, FRAGMENT).to_string()
}

fn plain_text<'e>(events: impl Iterator<Item = &'e Event<'e>>) -> String {
    let mut s = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    s.trim().to_string()
}

fn unique_id(base: &str, ids: &mut HashSet<String>) -> String {
    if ids.insert(base.to_string()) {
        return base.to_string();
    }
    for n in 1.. {
        let candidate = format!("{base}-{n}");
        if ids.insert(candidate.clone()) {
            return candidate;
        }
    }
    unreachable!("an unused id always exists")
}

/// Records `id="…"` attributes of raw HTML so links to them check out.
fn collect_html_ids(html: &str, anchors: &mut Vec<String>, ids: &mut HashSet<String>) {
    let mut rest = html;
    while let Some(pos) = rest.find(" id=") {
        rest = &rest[pos + 4..];
        let quote = rest.chars().next();
        if let Some(q @ ('"' | '\'')) = quote
            && let Some(end) = rest[1..].find(q)
        {
            let id = &rest[1..1 + end];
            ids.insert(id.to_string());
            anchors.push(id.to_string());
            rest = &rest[1 + end..];
        }
    }
}

/// Highlights a code block; returns its HTML and whether a grammar was used.
fn highlight(code: &str, lang: &str) -> (String, bool) {
    let lang_attr = if lang.is_empty() {
        String::new()
    } else {
        format!(" data-lang=\"{}\"", escape_html(lang))
    };
    let plain = || {
        format!(
            "<pre class=\"code\"{lang_attr}><code>{}</code></pre>\n",
            escape_html_text(code)
        )
    };
    if lang.is_empty() || matches!(lang, "text" | "txt" | "plain") {
        return (plain(), false);
    }
    let ss = &*SYNTAXES;
    let Some(syntax) = ss
        .find_syntax_by_token(lang)
        .or_else(|| ss.find_syntax_by_extension(lang))
    else {
        return (plain(), false);
    };
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, ss, HIGHLIGHT_CLASS);
    for line in LinesWithEndings::from(code) {
        if generator
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            return (plain(), false);
        }
    }
    let body = generator.finalize();
    (
        format!("<pre class=\"code hl\"{lang_attr}><code>{body}</code></pre>\n"),
        true,
    )
}

/// Counts words for reading time: Latin words by spaces, CJK by characters.
#[derive(Default)]
struct WordCounter {
    words: usize,
}

impl WordCounter {
    fn add(&mut self, ev: &Event<'_>) {
        if let Event::Text(t) | Event::Code(t) = ev {
            let mut in_word = false;
            if t.is_ascii() {
                // Most English text: no character decoding or Unicode tables.
                for b in t.bytes() {
                    let alnum = b.is_ascii_alphanumeric();
                    if alnum && !in_word {
                        self.words += 1;
                    }
                    in_word = alnum;
                }
                return;
            }
            for c in t.chars() {
                if is_cjk(c) {
                    self.words += 1;
                    in_word = false;
                } else if c.is_alphanumeric() {
                    if !in_word {
                        self.words += 1;
                    }
                    in_word = true;
                } else {
                    in_word = false;
                }
            }
        }
    }
}

/// The stylesheet for highlighted code: light by default, dark under
/// `prefers-color-scheme: dark`. Unknown theme names return an error with the valid names.
pub fn highlight_css(light: &str, dark: &str) -> Result<String, (String, Vec<String>)> {
    let themes = syntect::highlighting::ThemeSet::load_defaults();
    let names: Vec<String> = themes.themes.keys().cloned().collect();
    let get = |n: &str| {
        themes
            .themes
            .get(n)
            .ok_or_else(|| (n.to_string(), names.clone()))
    };
    let light_css = syntect::html::css_for_theme_with_class_style(get(light)?, HIGHLIGHT_CLASS)
        .map_err(|_| (light.to_string(), names.clone()))?;
    let dark_css = syntect::html::css_for_theme_with_class_style(get(dark)?, HIGHLIGHT_CLASS)
        .map_err(|_| (dark.to_string(), names.clone()))?;
    let mut css =
        String::from("/* Code highlighting generated by Hearth from syntect themes. */\n");
    css.push_str(&light_css);
    css.push_str("\n@media (prefers-color-scheme: dark) {\n");
    css.push_str(&dark_css);
    css.push_str("}\n");
    Ok(css)
}

/// The names of the built-in highlight themes, for "did you mean".
pub fn highlight_theme_names() -> Vec<String> {
    syntect::highlighting::ThemeSet::load_defaults()
        .themes
        .keys()
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts<'a>(resolve: &'a (dyn Fn(&str) -> Resolved + Sync)) -> MdOptions<'a> {
        MdOptions {
            smart_punctuation: false,
            external_links_new_tab: false,
            anchor_label: "Link",
            resolve,
            source_dir: "events",
            numbered_rules: false,
            origin: "https://x.org",
            base_path: "",
            faq: false,
            safe_html: false,
            github_links: false,
            github_anchors: false,
            title_heading: false,
            liquid: false,
            repo_blob: None,
            url_dir: None,
            jekyll_page: None,
            anchor_fixes: None,
        }
    }

    fn resolver(t: &str) -> Resolved {
        match t {
            "rules.md" => Resolved::Page {
                url: "/rules/".into(),
                locked: None,
                source: "rules.md".into(),
            },
            "events/photo.jpg" => Resolved::File("/events/photo.jpg".into()),
            _ => Resolved::Missing(None),
        }
    }

    #[test]
    fn cjk_headings_keep_their_text_and_are_unique() {
        let r = render(
            "## 活动规则\n\n## 活动规则\n\n## Hello, World!\n",
            &opts(&resolver),
        );
        assert_eq!(r.anchors, ["活动规则", "活动规则-1", "hello-world"]);
        assert!(r.html.contains("<h2 id=\"活动规则\">活动规则 <a class=\"heading-anchor\" href=\"#%E6%B4%BB%E5%8A%A8%E8%A7%84%E5%88%99\""));
    }

    #[test]
    fn relative_and_at_links_resolve_and_are_recorded() {
        let r = render(
            "[a](../rules.md#rule-3) [b](@/rules.md) [c](@/gone.md) ![p](photo.jpg)",
            &opts(&resolver),
        );
        assert!(r.html.contains("href=\"/rules/#rule-3\""), "{}", r.html);
        assert!(r.html.contains("href=\"/rules/\""));
        assert_eq!(r.links.len(), 2);
        assert_eq!(r.links[0].anchor.as_deref(), Some("rule-3"));
        assert_eq!(r.problems.len(), 1);
        assert_eq!(r.problems[0].code, crate::diagnostics::codes::BROKEN_LINK);
        assert_eq!(r.first_image.as_deref(), Some("/events/photo.jpg"));
    }

    #[test]
    fn links_from_the_root_are_recorded_and_written_under_the_base_path() {
        let o = MdOptions {
            base_path: "/club",
            ..opts(&resolver)
        };
        let r = render(
            "![p](/images/a%20b.png) [x](/events/?q=1#top) [y](/club/rules/) [z](/club) [w](//cdn.example/x.js)",
            &o,
        );
        assert!(
            r.html.contains("src=\"/club/images/a%20b.png\""),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("href=\"/club/events/?q=1#top\""),
            "{}",
            r.html
        );
        assert!(r.html.contains("href=\"/club/rules/\""), "{}", r.html);
        assert!(r.html.contains("href=\"//cdn.example/x.js\""), "{}", r.html);
        let got: Vec<(&str, bool, bool)> = r
            .site_links
            .iter()
            .map(|l| (l.path.as_str(), l.prefixed, l.image))
            .collect();
        assert_eq!(
            got,
            [
                ("/images/a b.png", false, true),
                ("/events/", false, false),
                ("/rules/", true, false),
                ("/", true, false),
            ]
        );
        assert!(r.problems.is_empty(), "checked by the build, not here");
        // At a host's root, nothing is added.
        let r = render("[x](/events/)", &opts(&resolver));
        assert!(r.html.contains("href=\"/events/\""));
    }

    #[test]
    fn missing_image_is_reported() {
        let r = render("![x](nothere.png)", &opts(&resolver));
        assert_eq!(r.problems[0].code, crate::diagnostics::codes::MISSING_FILE);
    }

    #[test]
    fn a_summary_drops_links_to_its_own_anchors_but_keeps_their_text() {
        let r = render(
            "See [below](#later) and [there](/x/).\n\n## Later\n",
            &opts(&resolver),
        );
        assert_eq!(
            r.summary.trim(),
            "<p>See below and <a href=\"/x/\">there</a>.</p>"
        );
        assert!(
            r.html.contains("<a href=\"#later\">below</a>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn summary_is_first_paragraph_or_more_marker() {
        let r = render("# T\n\nFirst para.\n\nSecond.\n", &opts(&resolver));
        assert_eq!(r.summary.trim(), "<p>First para.</p>");
        let r = render(
            "One.\n\nTwo.\n\n<!-- more -->\n\nThree.\n",
            &opts(&resolver),
        );
        assert_eq!(r.summary.trim(), "<p>One.</p>\n<p>Two.</p>");
    }

    #[test]
    fn code_is_highlighted_with_classes() {
        let r = render("```rust\nfn main() {}\n```\n", &opts(&resolver));
        assert!(r.has_code);
        assert!(r.html.contains("class=\"hl-"), "{}", r.html);
        assert!(!r.html.contains("style="));
    }

    #[test]
    fn rules_are_numbered_with_stable_anchors() {
        let o = MdOptions {
            numbered_rules: true,
            ..opts(&resolver)
        };
        let r = render("1. a\n2. b\n3. c\n   - c1\n   - c2\n", &o);
        assert_eq!(
            r.anchors,
            ["rule-1", "rule-2", "rule-3", "rule-3-1", "rule-3-2"]
        );
    }

    #[test]
    fn safe_html_removes_scripts_handlers_and_bad_urls() {
        let o = MdOptions {
            safe_html: true,
            ..opts(&resolver)
        };
        let md = "## Hi\n\n<script>alert(1)</script><img src=x onerror=alert(1)>\n\n[x](javascript:alert(1)) [y](vbscript:msgbox) <a href=\"data:text/html,<script>alert(1)</script>\">d</a> <iframe src=\"https://evil\"></iframe><style>body{}</style>\n\n![ok](data:image/png;base64,iVBORw0KGgo=)\n\n- [x] done\n\n```rust\nfn main() {}\n```\n";
        let r = render(md, &o);
        for bad in [
            "<script",
            "onerror",
            "javascript:",
            "vbscript:",
            "data:text",
            "<iframe",
            "<style",
        ] {
            assert!(
                !r.html.to_ascii_lowercase().contains(bad),
                "{bad} survived: {}",
                r.html
            );
        }
        assert!(
            r.html
                .contains("src=\"data:image/png;base64,iVBORw0KGgo=\""),
            "{}",
            r.html
        );
        assert!(r.html.contains("<h2 id=\"hi\">"), "{}", r.html);
        assert!(
            r.html.contains("class=\"hl-"),
            "highlighting survives: {}",
            r.html
        );
        assert!(
            r.html.contains("type=\"checkbox\""),
            "task lists survive: {}",
            r.html
        );
    }

    #[test]
    fn faq_questions_become_details() {
        let o = MdOptions {
            faq: true,
            ..opts(&resolver)
        };
        let r = render(
            "Intro.\n\n## 怎么加入？\n\nCome [by](@/rules.md).\n\n## Fees?\n\nNone.\n",
            &o,
        );
        assert_eq!(r.faq.len(), 2);
        assert_eq!(
            (r.faq[0].id.as_str(), r.faq[0].question.as_str()),
            ("怎么加入", "怎么加入？")
        );
        assert_eq!(r.faq[0].answer, "Come by (https://x.org/rules/).");
        // Each question a <details> whose <summary> is the heading (and no
        // anchor link nested in that button), the answer inside.
        insta::assert_snapshot!(r.html);
    }

    #[test]
    fn plain_text_keeps_absolute_links() {
        let r = render(
            "Read [the rules](@/rules.md) and see https://a.org.\n\n- one\n- two\n",
            &opts(&resolver),
        );
        assert_eq!(
            r.plain,
            "Read the rules (https://x.org/rules/) and see https://a.org.\n\n- one\n- two"
        );
    }

    #[test]
    fn cjk_counts_characters_as_words() {
        let r = render("读书会 is fun", &opts(&resolver));
        assert_eq!(r.words, 5);
    }
}
