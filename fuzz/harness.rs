//! The fuzz harnesses, shared by the cargo-fuzz targets in `fuzz_targets/`
//! and by `tests/fuzz_regressions.rs` (which replays the corpus and every
//! crash reproducer on stable Rust in plain `cargo test`).
//!
//! Each function takes the raw fuzzer input, never panics on its own except
//! through an `assert!` of an invariant, and returns nothing: a panic (in
//! Hearth or in an assertion here) is the finding.
//!
//! Input layouts (seed files under `fuzz/corpus/<target>/` follow them):
//!
//! - `frontmatter`: a whole Markdown file (UTF-8, lossily decoded).
//! - `markdown`: byte 0 = option flags (see [`md_options_byte`]), the rest is
//!   the Markdown body.
//! - `rrule`: byte 0 = which fixed start / zone / end / all-day; the rest is
//!   text whose first line is the RRULE and whose further lines are exdates.
//! - `ics_text`: arbitrary text, escaped and folded.

use std::borrow::Cow;

use hearth::calendar::{
    self, CalendarDuration, EventEnd, EventTime, IcsCalendar, IcsEvent, LinkText, LinkTime,
    LocalTime,
};
use hearth::content::frontmatter::{
    self, ActivityFm, ChapterFm, EventFm, Format, MemberFm, PageFm, SectionFm,
};
use hearth::diagnostics::{Diagnostic, SourceText, codes};
use hearth::markdown::{self, MdOptions, Resolved};
use hearth::spanned::{self, Node, NodeKind, Span};

/// A harness: runs one fuzzer input.
pub type Harness = fn(&[u8]);

/// Every target: its directory name under `fuzz/corpus/` and its harness.
pub const TARGETS: &[(&str, Harness)] = &[
    ("frontmatter", frontmatter),
    ("markdown", markdown),
    ("rrule", rrule),
    ("ics_text", ics_text),
];

fn text(data: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(data)
}

// ---------------------------------------------------------------------------
// 1. Front matter

/// Splits a file into front matter and body, parses the front matter at its
/// file offset, and reads it as every kind of front matter; also parses the
/// whole input as TOML and as YAML. Checks offsets and spans.
pub fn frontmatter(data: &[u8]) {
    let file = text(data);
    let file = file.as_ref();
    let src = SourceText::new(file);
    match frontmatter::split(file) {
        Err(unclosed) => {
            assert!(unclosed.span.end <= file.len(), "unclosed fence span");
            place(&src, unclosed.span);
        }
        Ok(split) => {
            assert!(split.body_offset <= file.len());
            assert_eq!(&file[split.body_offset..], split.body, "body offset");
            if let Some((front, format)) = split.front {
                let off = split.front_offset;
                assert_eq!(&file[off..off + front.len()], front, "front offset");
                assert!(off + front.len() <= split.body_offset);
                match frontmatter::parse(front, format, off) {
                    Ok(node) => {
                        check_node(&node, file, off..off + front.len());
                        deserialize_all(&node, &src);
                    }
                    Err(errors) => {
                        assert!(!errors.is_empty(), "an Err without errors");
                        for e in errors {
                            check_span(&e.span, file, off..off + front.len(), "syntax error");
                            place(&src, e.span);
                        }
                    }
                }
            }
        }
    }
    // The whole input as each syntax (hearth.toml goes through parse_toml too).
    let whole = SourceText::new(file);
    for format in [Format::Toml, Format::Yaml] {
        let parsed = match format {
            Format::Toml => spanned::parse_toml(file),
            Format::Yaml => spanned::parse_yaml(file),
        };
        match parsed {
            Ok(node) => {
                check_node(&node, file, 0..file.len());
                deserialize_all(&node, &whole);
            }
            Err(errors) => {
                for e in errors {
                    check_span(&e.span, file, 0..file.len(), "syntax error");
                    place(&whole, e.span);
                }
            }
        }
    }
}

/// Reads a tree as each front matter struct, the way the build does (top
/// keys unchecked, then checked), and places every problem in the source.
fn deserialize_all(node: &Node, src: &SourceText<'_>) {
    fn one<'a, T: serde::Deserialize<'a>>(node: &'a Node, src: &SourceText<'_>) {
        for check_top in [false, true] {
            let (value, unknown) = spanned::from_node::<T>(node, check_top);
            if let Err(e) = value
                && let Some(span) = e.span
            {
                place(src, span);
            }
            for k in unknown {
                place(src, k.span);
            }
        }
    }
    one::<PageFm>(node, src);
    one::<EventFm>(node, src);
    one::<SectionFm>(node, src);
    one::<ActivityFm>(node, src);
    one::<MemberFm>(node, src);
    one::<ChapterFm>(node, src);
    // An event's times, as the build reads them from its front matter.
    let (fm, _) = spanned::from_node::<EventFm>(node, false);
    if let Ok(fm) = fm {
        event_from_fm(&fm);
    }
}

fn event_from_fm(fm: &EventFm) {
    let Some(start) = &fm.start else { return };
    let tz = match &fm.timezone {
        Some(t) => calendar::parse_tz(&t.value),
        None => calendar::parse_tz("Asia/Shanghai"),
    };
    let (Ok(tz), Ok(start)) = (tz, calendar::parse_local(&start.value)) else {
        return;
    };
    let end = match (&fm.end, &fm.duration) {
        (Some(e), _) => calendar::parse_local(&e.value).ok().map(EventEnd::At),
        (None, Some(d)) => calendar::parse_duration(&d.value).ok().map(EventEnd::After),
        (None, None) => None,
    };
    let rule = fm
        .repeat
        .as_ref()
        .and_then(|r| calendar::parse_rrule(&r.value, &start, &tz).ok());
    let exdates: Vec<LocalTime> = fm
        .exdates
        .iter()
        .filter_map(|x| calendar::parse_local(&x.value).ok())
        .collect();
    if let Ok(ev) = EventTime::new(start, end, fm.all_day, tz, rule, &exdates) {
        use_event(&ev);
    }
}

/// Places a diagnostic at `span` (what the build does with every error).
fn place(src: &SourceText<'_>, span: Span) {
    let _ = Diagnostic::error("fuzz.md", codes::FM_INVALID, "fuzz").at(src, span);
}

fn check_span(span: &Span, file: &str, within: Span, what: &str) {
    assert!(
        span.start <= span.end,
        "{what}: reversed span {span:?} (allowed {within:?})"
    );
    assert!(
        within.start <= span.start && span.end <= within.end,
        "{what}: span {span:?} outside {within:?}"
    );
    assert!(
        file.is_char_boundary(span.start) && file.is_char_boundary(span.end),
        "{what}: span {span:?} splits a character"
    );
}

fn check_node(node: &Node, file: &str, within: Span) {
    check_span(&node.span, file, within.clone(), "node");
    match &node.kind {
        NodeKind::Array(items) => items
            .iter()
            .for_each(|n| check_node(n, file, within.clone())),
        NodeKind::Table(entries) => entries.iter().for_each(|(k, v)| {
            check_span(&k.span, file, within.clone(), "key");
            check_node(v, file, within.clone());
        }),
        _ => {}
    }
}

// ---------------------------------------------------------------------------
// 2. Markdown

/// The options byte 0 of a `markdown` input selects.
pub fn md_options_byte(flags: u8) -> (bool, bool, bool, bool, bool, &'static str) {
    (
        flags & 1 != 0,                              // numbered_rules
        flags & 2 != 0,                              // faq
        flags & 4 != 0,                              // safe_html
        flags & 8 != 0,                              // smart_punctuation
        flags & 16 != 0,                             // external_links_new_tab
        if flags & 32 != 0 { "events" } else { "" }, // source_dir
    )
}

/// A fixed little site: some pages, a locked page, a draft, some files, and
/// everything else missing.
fn resolve(target: &str) -> Resolved {
    let page = |locked: Option<&str>| Resolved::Page {
        url: format!(
            "/{}/",
            target.trim_end_matches(".md").trim_end_matches("/_index")
        ),
        locked: locked.map(str::to_string),
        source: target.to_string(),
    };
    match target {
        "rules.md"
        | "faq.md"
        | "about.md"
        | "events/_index.md"
        | "members/anna-weber.md"
        | "chapters/chengdu.md"
        | "events/saturday-sharing-night.md" => page(None),
        "events/reading-festival-2026.md" => page(None),
        t if t.starts_with("core/") => page(Some("core")),
        t if t.contains("draft") => Resolved::Draft,
        t if t.ends_with(".jpg") || t.ends_with(".png") || t.ends_with(".pdf") => {
            if t.contains("missing") {
                Resolved::Missing(None)
            } else {
                Resolved::File(format!("/files/{t}"))
            }
        }
        t if t.ends_with(".md") && t.len() % 3 == 0 => page(None),
        _ => Resolved::Missing(None),
    }
}

/// Renders `data[1..]` with the options `data[0]` selects.
pub fn markdown(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let body = text(rest);
    let body = body.as_ref();
    let (numbered_rules, faq, safe_html, smart_punctuation, new_tab, source_dir) =
        md_options_byte(flags);
    let opts = MdOptions {
        smart_punctuation,
        external_links_new_tab: new_tab,
        anchor_label: if flags & 64 != 0 { "链接" } else { "Link to" },
        resolve: &resolve,
        source_dir,
        numbered_rules,
        origin: "https://example.org",
        base_path: "",
        faq,
        safe_html,
        // Bit 128 (unused by the options above) turns on repository mode:
        // GitHub links and anchors, raw HTML rewriting, kramdown, Liquid.
        github_links: flags & 128 != 0,
        github_anchors: flags & 128 != 0,
        title_heading: flags & 128 != 0,
        liquid: flags & 128 != 0,
        repo_blob: (flags & 128 != 0).then_some("https://example.org/o/r/blob/main"),
        url_dir: None,
        jekyll_page: None,
        anchor_fixes: None,
    };
    let out = markdown::render(body, &opts);
    for link in &out.links {
        check_md_span(&link.span, body, "link");
    }
    for p in &out.problems {
        check_md_span(&p.span, body, "problem");
    }
    for h in &out.headings {
        assert!((1..=6).contains(&h.level));
        assert!(
            out.anchors.contains(&h.id),
            "heading id {:?} not an anchor",
            h.id
        );
    }
}

fn check_md_span(span: &Span, body: &str, what: &str) {
    assert!(
        span.start <= span.end && span.end <= body.len(),
        "{what}: span {span:?} outside the body ({} bytes)",
        body.len()
    );
}

// ---------------------------------------------------------------------------
// 3. RRULE

/// Starts a rule is parsed against.
pub const STARTS: &[&str] = &[
    "2026-03-07T20:00",     // a Saturday evening
    "2026-03-01",           // all-day, first of a month
    "2026-01-31T10:00",     // 31st: months without one
    "2026-03-29T02:30",     // Europe/Berlin spring-forward gap
    "2026-10-25T02:30",     // Europe/Berlin fall-back fold
    "2024-02-29T12:00",     // leap day
    "2026-03-29T01:30:00Z", // an exact instant
    "2026-12-31",           // last day of a year, all-day
];

/// Zones a rule is parsed in.
pub const ZONES: &[&str] = &[
    "Europe/Berlin",
    "Asia/Shanghai",
    "America/New_York",
    "Australia/Lord_Howe", // 30-minute DST shifts
];

/// Parses `rule` for a fixed start and zone, builds the event, expands it
/// over bounded windows, and writes it to iCalendar and a calendar link.
pub fn rrule(data: &[u8]) {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let input = text(rest);
    let mut lines = input.split('\n');
    let rule_text = lines.next().unwrap_or("");
    let exdates: Vec<LocalTime> = lines
        .take(8)
        .filter_map(|l| calendar::parse_local(l).ok())
        .collect();

    let start = calendar::parse_local(STARTS[usize::from(sel & 7)]).expect("fixed start");
    let tz = calendar::parse_tz(ZONES[usize::from((sel >> 3) & 3)]).expect("fixed zone");
    let all_day = sel & 32 != 0;
    let end = match sel >> 6 {
        0 => None,
        1 => CalendarDuration::hours(3).map(EventEnd::After),
        2 => CalendarDuration::new(2, 0).map(EventEnd::After),
        _ => Some(EventEnd::At(start)),
    };

    let Ok(rule) = calendar::parse_rrule(rule_text, &start, &tz) else {
        return;
    };
    // A normalised rule prints as text that parses back to itself.
    let again = rule.to_ics();
    assert_eq!(
        calendar::parse_rrule(&again, &start, &tz).as_ref(),
        Ok(&rule),
        "{rule_text:?} -> {again:?}"
    );
    let _ = rule.is_finite();
    let Ok(ev) = EventTime::new(start, end, all_day, tz, Some(rule), &exdates) else {
        return;
    };
    use_event(&ev);
}

/// Everything a page and the feeds do with an event's time.
fn use_event(ev: &EventTime) {
    let first = ev.first_occurrence();
    assert!(
        first.start <= first.end,
        "first occurrence ends before it starts"
    );
    let start = ev.start().timestamp();
    let hours = jiff::SignedDuration::from_hours;
    // (offset of the window from the start, its length, the limit)
    let windows = [(-24, 800 * 24, 50), (0, 24, 5), (3000 * 24, 60 * 24, 10)];
    for (offset, length, limit) in windows {
        // Starts near the ends of jiff's range have no window there.
        let Ok(from) = start.checked_add(hours(offset)) else {
            continue;
        };
        let Ok(until) = from.checked_add(hours(length)) else {
            continue;
        };
        let occ = ev.occurrences(from, until, limit);
        assert!(
            occ.len() <= limit,
            "{} occurrences over the limit {limit}",
            occ.len()
        );
        assert!(
            occ.windows(2).all(|w| w[0].start < w[1].start),
            "occurrences not strictly increasing: {occ:?}"
        );
        for o in &occ {
            assert!(o.start <= o.end, "occurrence ends before it starts: {o:?}");
            assert!(o.first_day() <= o.last_day(), "{o:?}");
            let (s, e) = (o.start.timestamp(), o.end.timestamp());
            assert!(
                s < until && (e > from || (s == e && s >= from)),
                "{o:?} outside the window"
            );
            let _ = LinkTime::from_occurrence(o);
        }
    }
    let _ = ev.describe("en");
    let _ = ev.describe("zh-CN");
    let _ = ev.describe_for("zh", &jiff::tz::TimeZone::UTC);
    let text = LinkText {
        summary: "读书会; Reading, night",
        details: "line 1\nline 2",
        location: "Café",
    };
    let time = LinkTime::from_event(ev);
    let _ = calendar::google_calendar_url(&text, &time, ev.rule());
    let _ = calendar::outlook_url(&text, &time);

    let dtstamp = jiff::Timestamp::from_second(1_767_225_600).expect("fixed dtstamp");
    let event = IcsEvent::new(
        "fuzz@example.org",
        dtstamp,
        ev.clone(),
        "读书会; Reading, night",
    );
    let ics = calendar::write_calendar(&IcsCalendar::new("-//Hearth//Fuzz//EN"), &[event]);
    assert!(ics.ends_with("\r\n"));
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "ics line over 75 octets: {line:?}");
        assert!(!line.contains(['\r', '\n']), "bare line break in {line:?}");
    }
}

// ---------------------------------------------------------------------------
// 4. iCalendar text

/// Escapes and folds arbitrary text, checking RFC 5545's rules and that both
/// steps are reversible.
pub fn ics_text(data: &[u8]) {
    let s = text(data);
    let s = s.as_ref();

    let escaped = calendar::escape_text(s);
    assert_eq!(
        unescape(&escaped),
        expected_text(s),
        "escape_text({s:?}) = {escaped:?}"
    );

    let line = format!("DESCRIPTION:{escaped}");
    check_folded(&line);
    // fold_line on any single line (no CR/LF), e.g. a URI or a parameter.
    let raw: String = s.chars().filter(|c| *c != '\r' && *c != '\n').collect();
    check_folded(&raw);
}

/// What escape_text must keep: line breaks as `\n`, other controls but tab
/// dropped.
fn expected_text(s: &str) -> String {
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    s.chars()
        .filter(|c| *c == '\n' || *c == '\t' || !c.is_control())
        .collect()
}

/// Reverses escape_text, asserting it produced only valid TEXT: no control
/// characters but tab, no unescaped `;` or `,`, and no unknown escapes.
fn unescape(escaped: &str) -> String {
    let mut out = String::with_capacity(escaped.len());
    let mut chars = escaped.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('\\') => out.push('\\'),
                Some(';') => out.push(';'),
                Some(',') => out.push(','),
                Some('n') => out.push('\n'),
                other => panic!("bad escape \\{other:?} in {escaped:?}"),
            },
            ';' | ',' => panic!("unescaped {c:?} in {escaped:?}"),
            c if c.is_control() && c != '\t' => panic!("control {c:?} in {escaped:?}"),
            c => out.push(c),
        }
    }
    out
}

fn check_folded(line: &str) {
    let folded = calendar::fold_line(line);
    for (i, phys) in folded.as_bytes().split(|b| *b == b'\n').enumerate() {
        let phys = phys.strip_suffix(b"\r").unwrap_or(phys);
        assert!(
            phys.len() <= 75,
            "physical line of {} octets: {phys:?}",
            phys.len()
        );
        assert!(
            std::str::from_utf8(phys).is_ok(),
            "physical line splits a character"
        );
        if i > 0 {
            assert!(phys.first() == Some(&b' '), "continuation without a space");
            assert!(phys.len() > 1, "empty continuation line");
        }
    }
    assert_eq!(
        folded.replace("\r\n ", ""),
        line,
        "unfolding does not restore the line"
    );
}
