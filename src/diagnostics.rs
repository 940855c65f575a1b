//! One `Diagnostic` type for every problem Hearth finds, and its renderers.
//!
//! Contributors fix what they can locate: every diagnostic names the file, the
//! line and the column, says what was expected and suggests a fix. The same
//! value renders for a terminal (`human`), for GitHub pull requests
//! (`github` workflow annotations) and for tools (`json`, one object a line).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// Stable diagnostic codes, documented in `docs/diagnostics.md`.
///
/// Codes never change meaning once published, so people can search for them.
pub mod codes {
    /// `hearth.toml` is missing or unreadable.
    pub const CONFIG_MISSING: &str = "H0100";
    /// `hearth.toml` is not valid TOML.
    pub const CONFIG_SYNTAX: &str = "H0101";
    /// A key in `hearth.toml` that Hearth does not know.
    pub const CONFIG_UNKNOWN_KEY: &str = "H0102";
    /// A value in `hearth.toml` of the wrong type or form.
    pub const CONFIG_INVALID: &str = "H0103";
    /// A brand colour that fails WCAG AA contrast as text (a warning).
    pub const BRAND_CONTRAST: &str = "H0104";
    /// A front matter block opened but never closed.
    pub const FM_UNCLOSED: &str = "H0201";
    /// Front matter that is not valid TOML or YAML.
    pub const FM_SYNTAX: &str = "H0202";
    /// A front matter field that this kind of page does not have.
    pub const FM_UNKNOWN_FIELD: &str = "H0203";
    /// A front matter value of the wrong type or form.
    pub const FM_INVALID: &str = "H0204";
    /// A field this kind of page needs is missing.
    pub const FM_MISSING: &str = "H0205";
    /// A date that is not a real date.
    pub const FM_DATE: &str = "H0206";
    /// A file that is not UTF-8 text.
    pub const INVALID_UTF8: &str = "H0207";
    /// A slug, path or alias that is empty or escapes the site.
    pub const BAD_PATH: &str = "H0208";
    /// A page with no title (no `title`, no `# heading`; a warning).
    pub const NO_TITLE: &str = "H0209";
    /// A link to a page that does not exist.
    pub const BROKEN_LINK: &str = "H0301";
    /// A link to an anchor that does not exist on its page.
    pub const BROKEN_ANCHOR: &str = "H0302";
    /// Two sources that would write the same output file.
    pub const DUPLICATE_PATH: &str = "H0303";
    /// An image or file referenced but not found.
    pub const MISSING_FILE: &str = "H0304";
    /// An image without alternative text.
    pub const MISSING_ALT: &str = "H0305";
    /// Repository mode: a link to a path of the repository the site does
    /// not publish (a folder without README, `.github/`), with no
    /// `repo_url` to send it to.
    pub const UNPUBLISHED: &str = "H0306";
    /// Repository mode: Liquid (`{% include %}`, `{{ site.title }}`) in a
    /// file Jekyll would run it on; the site shows it as text.
    pub const LIQUID: &str = "H0307";
    /// Repository mode: an anchor that matches only when case is ignored.
    pub const ANCHOR_CASE: &str = "H0308";
    /// A tier id that is not in `[[tiers]]`.
    pub const UNKNOWN_TIER: &str = "H0401";
    /// A page whose tier is lower than its section's.
    pub const TIER_LOWERED: &str = "H0402";
    /// A member id that no member page has.
    pub const UNKNOWN_MEMBER: &str = "H0403";
    /// A chapter id that no chapter page has.
    pub const UNKNOWN_CHAPTER: &str = "H0404";
    /// A role id that is not in `[[roles]]`.
    pub const UNKNOWN_ROLE: &str = "H0405";
    /// An activity's `event` that is not an event page.
    pub const UNKNOWN_EVENT: &str = "H0406";
    /// Gated pages that no host named in `[deploy]` can enforce (a warning).
    pub const TIERS_UNENFORCED: &str = "H0407";
    /// A gated path the host's rules cannot express safely.
    pub const HOST_RULE: &str = "H0408";
    /// A build the named host would refuse to deploy: too many files, a
    /// file or a site too large (a warning).
    pub const DEPLOY_LIMIT: &str = "H0409";
    /// A data file or record that cannot become a page.
    pub const DATA_INVALID: &str = "H0701";
    /// A translation readable by more people than its source.
    pub const TRANSLATION_LESS_GATED: &str = "H0801";
    /// A plugin that failed, or a problem it reports.
    pub const PLUGIN: &str = "H0702";
    /// An event time, duration or exception date that is not valid.
    pub const EVENT_TIME: &str = "H0601";
    /// An event that ends before it starts.
    pub const EVENT_END: &str = "H0602";
    /// An unknown time zone.
    pub const EVENT_TZ: &str = "H0603";
    /// A repeat rule (RRULE) that is not valid.
    pub const EVENT_RRULE: &str = "H0604";
    /// A calendar feed whose coming events alone pass `[build]
    /// max_calendar_kb` (a warning).
    pub const CALENDAR_SIZE: &str = "H0605";
    /// A template that does not parse.
    pub const TEMPLATE_SYNTAX: &str = "H0501";
    /// A template that fails while rendering a page.
    pub const TEMPLATE_RENDER: &str = "H0502";
    /// A page that asks for a template that does not exist.
    pub const TEMPLATE_MISSING: &str = "H0503";
    /// A page over the size limit or the render-time budget.
    pub const RESOURCE_LIMIT: &str = "H0504";
    /// A file that could not be read or written.
    pub const IO: &str = "H0901";
    /// An output folder Hearth refuses to write to.
    pub const OUTPUT_REFUSED: &str = "H0902";
}

/// How bad a problem is: errors fail the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Fails `build` and `check`.
    Error,
    /// Reported; fails only `check --deny-warnings`.
    Warning,
}

/// A problem located in a file, ready to be shown to a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Path relative to the site folder (forward slashes), e.g. `content/faq.md`.
    pub file: String,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column in characters; 0 when unknown.
    pub col: usize,
    /// Error or warning.
    pub severity: Severity,
    /// Stable code such as `H0301`.
    pub code: &'static str,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it, in one sentence.
    pub help: Option<String>,
    /// The offending source line, for the caret display.
    #[serde(skip)]
    pub source_line: Option<String>,
    /// Width of the caret underline, in characters.
    #[serde(skip)]
    pub width: usize,
    /// Other places the same problem is written (the other file of a
    /// conflict), each shown with it: a reviewer must see the problem on
    /// the file the pull request changes, whichever of the two that is.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
}

/// Another place of a problem, with what it says from that place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Related {
    /// Path relative to the site folder.
    pub file: String,
    /// 1-based line; 0 when the whole file.
    pub line: usize,
    /// 1-based column; 0 when unknown.
    pub col: usize,
    /// The problem as it reads from this place.
    pub message: String,
    /// The line's text, for the caret display.
    #[serde(skip)]
    pub source_line: Option<String>,
    /// Width of the caret underline, in characters.
    #[serde(skip)]
    pub width: usize,
}

impl Related {
    /// A place in `file` (the whole file until [`Related::at`] places it).
    pub fn new(file: impl Into<String>, message: impl Into<String>) -> Self {
        Related {
            file: file.into(),
            line: 0,
            col: 0,
            message: message.into(),
            source_line: None,
            width: 1,
        }
    }

    /// Placed at a byte range of `source`, as [`Diagnostic::at`] does.
    pub fn at(mut self, source: &SourceText<'_>, span: std::ops::Range<usize>) -> Self {
        let d = Diagnostic::error(String::new(), "", "").at(source, span);
        self.line = d.line;
        self.col = d.col;
        self.source_line = d.source_line;
        self.width = d.width;
        self
    }
}

impl Diagnostic {
    /// An error about a whole file (no line known).
    pub fn error(file: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.into(),
            line: 0,
            col: 0,
            severity: Severity::Error,
            code,
            message: message.into(),
            help: None,
            source_line: None,
            width: 1,
            related: Vec::new(),
        }
    }

    /// A warning about a whole file (no line known).
    pub fn warning(
        file: impl Into<String>,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, code, message)
        }
    }

    /// Adds the fix suggestion.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Locates the diagnostic at a byte range of `source`.
    pub fn at(mut self, source: &SourceText<'_>, span: std::ops::Range<usize>) -> Self {
        let loc = source.locate(span.start);
        self.line = loc.line;
        self.col = loc.col;
        self.source_line = Some(loc.text.to_string());
        let text = source.text;
        let floor = |mut i: usize| {
            i = i.min(text.len());
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let start = floor(span.start);
        let end = floor(span.end.min(loc.line_end)).max(start);
        self.width = text[start..end].chars().count().max(1);
        self
    }

    /// Adds another place of the same problem (see [`Diagnostic::related`]).
    pub fn with_related(mut self, related: Related) -> Self {
        self.related.push(related);
        self
    }

    /// Locates the diagnostic at a 1-based line and column known otherwise.
    pub fn at_line(mut self, line: usize, col: usize) -> Self {
        self.line = line;
        self.col = col;
        self
    }

    /// Whether this diagnostic fails the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// A file's text with a line index, to turn byte offsets into line and column.
/// The index is built on the first lookup: every page is parsed with one at
/// hand, but only a page with a problem needs it.
pub struct SourceText<'a> {
    /// The whole file, or the part of it a diagnostic can point into.
    pub text: &'a str,
    line_starts: std::sync::OnceLock<Vec<usize>>,
    /// The file's line number of `text`'s first line: 1 for a whole file,
    /// more for one record of a data file (a page made from a CSV row
    /// keeps only its row, and its diagnostics still name the row's line).
    first_line: usize,
}

/// A resolved position: 1-based line and column, and the line's text.
pub struct Location<'a> {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub col: usize,
    /// The line's text without its line ending.
    pub text: &'a str,
    /// Byte offset where the line's text ends.
    pub line_end: usize,
}

impl<'a> SourceText<'a> {
    /// Wraps `text`; its line starts are indexed when first needed.
    pub fn new(text: &'a str) -> Self {
        SourceText::starting_at(text, 1)
    }

    /// Wraps `text`, which starts at 1-based line `first_line` of its file.
    pub fn starting_at(text: &'a str, first_line: usize) -> Self {
        SourceText {
            text,
            line_starts: std::sync::OnceLock::new(),
            first_line: first_line.max(1),
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            let mut starts = vec![0];
            starts.extend(memchr_newlines(self.text));
            starts
        })
    }

    /// The position of byte `offset` (clamped to the text and to a char boundary).
    pub fn locate(&self, offset: usize) -> Location<'a> {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line_starts = self.line_starts();
        let idx = match line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = line_starts[idx];
        let mut end = line_starts
            .get(idx + 1)
            .map(|n| n - 1)
            .unwrap_or(self.text.len());
        if end > start && self.text.as_bytes()[end - 1] == b'\r' {
            end -= 1;
        }
        let end = end.max(start);
        let col = self.text[start..offset].chars().count() + 1;
        Location {
            line: idx + self.first_line,
            col,
            text: &self.text[start..end],
            line_end: end,
        }
    }

    /// Byte offset of the start of 1-based `line` (of the file).
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts()
            .get(line.saturating_sub(self.first_line))
            .copied()
            .unwrap_or(self.text.len())
    }
}

fn memchr_newlines(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.bytes()
        .enumerate()
        .filter(|(_, b)| *b == b'\n')
        .map(|(i, _)| i + 1)
}

/// The names a word most likely meant, for "did you mean" help.
///
/// Uses [`crate::text::edit_distance`] (a swap of two letters is one
/// typo), allowing about one typo per three characters.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1) + 1;
    candidates
        .into_iter()
        .map(|c| (crate::text::edit_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

/// Sorts diagnostics by file, line and column, and removes exact repeats.
pub fn sort(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| {
        (&a.file, a.line, a.col, a.severity, a.code, &a.message)
            .cmp(&(&b.file, b.line, b.col, b.severity, b.code, &b.message))
    });
    diags.dedup();
}

/// Output style for diagnostics: for a person at a terminal, for a pull
/// request's annotations, or for another program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Source line with a caret, for people at a terminal.
    Human,
    /// GitHub Actions workflow commands (`::error file=…`).
    Github,
    /// One JSON object per line.
    Json,
}

/// Renders diagnostics in `format`.
///
/// `prefix` is the site folder relative to the repository root, so GitHub
/// annotations point at the right file; `color` adds ANSI colours.
pub fn render(diags: &[Diagnostic], format: Format, prefix: &Path, color: bool) -> String {
    let mut out = String::new();
    for d in diags {
        match format {
            Format::Human => render_human(&mut out, d, prefix, color),
            Format::Github => render_github(&mut out, d, prefix),
            Format::Json => {
                let mut v = serde_json::to_value(d).unwrap_or_default();
                if let Some(obj) = v.as_object_mut() {
                    obj.insert("file".into(), join_prefix(prefix, &d.file).into());
                    if let Some(serde_json::Value::Array(related)) = obj.get_mut("related") {
                        for (r, place) in related.iter_mut().zip(&d.related) {
                            r["file"] = join_prefix(prefix, &place.file).into();
                        }
                    }
                }
                out.push_str(&v.to_string());
                out.push('\n');
            }
        }
    }
    out
}

fn join_prefix(prefix: &Path, file: &str) -> String {
    // Built-in files ("(built-in theme) …") live in the binary, not the site.
    if prefix.as_os_str().is_empty()
        || prefix == Path::new(".")
        || file.is_empty()
        || file.starts_with('(')
    {
        return file.to_string();
    }
    let mut p = PathBuf::from(prefix);
    p.push(file);
    p.to_string_lossy().replace('\\', "/")
}

fn render_human(out: &mut String, d: &Diagnostic, prefix: &Path, color: bool) {
    let (label, code_color) = match d.severity {
        Severity::Error => ("error", "\x1b[1;31m"),
        Severity::Warning => ("warning", "\x1b[1;33m"),
    };
    let (bold, blue, reset) = if color {
        ("\x1b[1m", "\x1b[1;34m", "\x1b[0m")
    } else {
        ("", "", "")
    };
    let c = if color { code_color } else { "" };
    let _ = writeln!(
        out,
        "{c}{label}[{}]{reset}{bold}: {}{reset}",
        d.code, d.message
    );
    let place = Place {
        file: &d.file,
        line: d.line,
        col: d.col,
        source_line: d.source_line.as_deref(),
        width: d.width,
    };
    render_place(out, &place, "-->", prefix, (blue, c, reset));
    for r in &d.related {
        let place = Place {
            file: &r.file,
            line: r.line,
            col: r.col,
            source_line: r.source_line.as_deref(),
            width: r.width,
        };
        // rustc's mark for another place of the same problem.
        render_place(out, &place, ":::", prefix, (blue, c, reset));
        let _ = writeln!(out, "  {bold}note:{reset} {}", r.message);
    }
    if let Some(help) = &d.help {
        let _ = writeln!(out, "  {bold}help:{reset} {help}");
    }
    out.push('\n');
}

/// A place in a file, as the human format shows it.
struct Place<'a> {
    file: &'a str,
    line: usize,
    col: usize,
    source_line: Option<&'a str>,
    width: usize,
}

/// `  --> file:line:col`, then the line with a caret under the span.
fn render_place(
    out: &mut String,
    p: &Place<'_>,
    mark: &str,
    prefix: &Path,
    (blue, c, reset): (&str, &str, &str),
) {
    let file = join_prefix(prefix, p.file);
    match (p.line, p.col) {
        _ if file.is_empty() => {}
        (0, _) => {
            let _ = writeln!(out, "  {blue}{mark}{reset} {file}");
        }
        (l, 0) => {
            let _ = writeln!(out, "  {blue}{mark}{reset} {file}:{l}");
        }
        (l, col) => {
            let _ = writeln!(out, "  {blue}{mark}{reset} {file}:{l}:{col}");
        }
    }
    if let (Some(src), true) = (p.source_line, p.line > 0) {
        let num = p.line.to_string();
        let pad = " ".repeat(num.len());
        let shown: String = src.replace('\t', "    ");
        let _ = writeln!(out, "{pad} {blue}|{reset}");
        let _ = writeln!(out, "{blue}{num} |{reset} {shown}");
        if p.col > 0 {
            let before: String = src.chars().take(p.col - 1).collect();
            let indent: usize = before
                .chars()
                .map(|ch| if ch == '\t' { 4 } else { display_width(ch) })
                .sum();
            let width: usize = src
                .chars()
                .skip(p.col - 1)
                .take(p.width)
                .map(display_width)
                .sum::<usize>()
                .max(1);
            let _ = writeln!(
                out,
                "{pad} {blue}|{reset} {}{c}{}{reset}",
                " ".repeat(indent),
                "^".repeat(width)
            );
        }
    }
}

/// Terminal columns a character takes: CJK and full-width forms take two.
fn display_width(c: char) -> usize {
    let cp = c as u32;
    let wide = matches!(cp,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF |
        0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF |
        0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x1F300..=0x1F64F |
        0x20000..=0x3FFFD);
    if wide { 2 } else { 1 }
}

/// One annotation for the diagnostic's place and one for each related
/// place: GitHub shows an annotation only on the file it names, so a
/// problem of two files must name both for the pull request's file to
/// show it.
fn render_github(out: &mut String, d: &Diagnostic, prefix: &Path) {
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut annotate = |file: &str, line: usize, col: usize, message: &str| {
        let mut props = format!("file={}", gh_prop(&join_prefix(prefix, file)));
        if line > 0 {
            let _ = write!(props, ",line={line}");
        }
        if col > 0 {
            let _ = write!(props, ",col={col}");
        }
        let _ = write!(props, ",title={}", gh_prop(&format!("{} {}", d.code, kind)));
        let mut msg = message.to_string();
        if let Some(h) = &d.help {
            msg.push_str("\nhelp: ");
            msg.push_str(h);
        }
        let _ = writeln!(out, "::{kind} {props}::{}", gh_data(&msg));
    };
    annotate(&d.file, d.line, d.col, &d.message);
    for r in &d.related {
        annotate(&r.file, r.line, r.col, &r.message);
    }
}

fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn gh_prop(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_lines_and_columns_in_characters() {
        let src = SourceText::new("a = 1\r\n标题 = \"x\"\nlast");
        let off = src.text.find("= \"x\"").unwrap();
        let loc = src.locate(off);
        assert_eq!((loc.line, loc.col, loc.text), (2, 4, "标题 = \"x\""));
        assert_eq!(src.locate(src.text.len()).line, 3);
    }

    #[test]
    fn spans_inside_a_character_never_panic() {
        let src = SourceText::new("tags: [读书\n");
        for i in 0..src.text.len() + 3 {
            let d = Diagnostic::error("f", codes::FM_SYNTAX, "m").at(&src, i..i + 2);
            assert!(d.line >= 1 && d.width >= 1);
        }
    }

    #[test]
    fn suggests_the_nearest_name() {
        let keys = ["title", "base_url", "description"];
        assert_eq!(did_you_mean("base_ur", keys), Some("base_url"));
        assert_eq!(did_you_mean("titel", keys), Some("title"));
        assert_eq!(did_you_mean("zzzzzzzz", keys), None);
        // A swap is one typo: `tier` is two edits from `titel`, `title` one.
        assert_eq!(did_you_mean("titel", ["tier", "title"]), Some("title"));
    }

    #[test]
    fn a_problem_of_two_files_is_shown_at_both() {
        let other = SourceText::new("+++\ntitle = \"夜\"\n+++\n");
        let d = Diagnostic::error(
            "content/a.md",
            codes::DUPLICATE_PATH,
            "writes /x/, which content/b.md writes too",
        )
        .at_line(3, 8)
        .with_help("rename one")
        .with_related(
            Related::new("content/b.md", "writes /x/, which content/a.md writes too")
                .at(&other, 4..9),
        );
        assert_eq!(
            render(
                std::slice::from_ref(&d),
                Format::Github,
                Path::new("site"),
                false
            ),
            "::error file=site/content/a.md,line=3,col=8,title=H0303 error::writes /x/, which content/b.md writes too%0Ahelp: rename one\n\
             ::error file=site/content/b.md,line=2,col=1,title=H0303 error::writes /x/, which content/a.md writes too%0Ahelp: rename one\n"
        );
        let human = render(
            std::slice::from_ref(&d),
            Format::Human,
            Path::new(""),
            false,
        );
        assert!(human.contains("  --> content/a.md:3:8\n"), "{human}");
        assert!(
            human.contains("  ::: content/b.md:2:1\n  |\n2 | title = \"夜\"\n  | ^^^^^\n  note: writes /x/, which content/a.md writes too\n"),
            "{human}"
        );
        let json = render(&[d], Format::Json, Path::new("site"), false);
        assert!(
            json.contains("\"related\":[{\"col\":1,\"file\":\"site/content/b.md\",\"line\":2,"),
            "{json}"
        );
    }

    #[test]
    fn github_format_escapes_properties() {
        let d = Diagnostic::error("content/a,b.md", codes::BROKEN_LINK, "no page: x")
            .at_line(3, 5)
            .with_help("fix it");
        let s = render(&[d], Format::Github, Path::new("site"), false);
        assert_eq!(
            s,
            "::error file=site/content/a%2Cb.md,line=3,col=5,title=H0301 error::no page: x%0Ahelp: fix it\n"
        );
    }
}
