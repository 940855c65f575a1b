//! RFC 5545 (iCalendar) writer: plain data in, a `String` out.
//!
//! Output is deterministic (same input, same bytes): events keep the given
//! order, time zones are sorted by name, and nothing depends on the clock or
//! on hash order. Every line ends in CRLF and is folded at 75 octets.

use std::collections::BTreeMap;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use super::event::EventTime;
use super::parse::CalendarDuration;
use super::recurrence::{add_days, ics_date, ics_datetime, ics_utc, resolve};
use super::vtimezone::vtimezone_lines;

/// Folds one content line (given without its CRLF) for iCalendar output.
///
/// Physical lines are at most 75 octets; continuation lines begin with a
/// single space, which counts toward the 75. Breaks fall only between
/// characters, never inside a UTF-8 sequence, so each physical line is valid
/// UTF-8 on its own (RFC 5545 §3.1 asks for this). Lines are joined with
/// CRLF + space and the result has no trailing CRLF. Unfolding (removing
/// every CRLF followed by one space) restores the input exactly.
///
/// The input must not contain CR or LF (use [`escape_text`] for values);
/// they are passed through unchanged, as folding is not the place to
/// silently alter content.
pub fn fold_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 24);
    fold_into(&mut out, line);
    out
}

/// [`fold_line`] appended to `out`: a feed of 1,500 events writes its lines
/// straight into the file rather than through a string each.
fn fold_into(out: &mut String, line: &str) {
    const LIMIT: usize = 75;
    out.reserve(line.len() + line.len() / 24);
    // Bytes on the physical line being written (its folding space included).
    let mut used = 0;
    let mut rest = line;
    loop {
        let room = LIMIT - used;
        if rest.len() <= room {
            out.push_str(rest);
            return;
        }
        // Everything up to the last character boundary that fits.
        let mut end = room;
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        // A continuation that starts with the folding space plus a content
        // space is valid, but some clients strip both: when the fold falls
        // on blanks (an indented code line, two spaces after a full stop),
        // fold before the character ahead of them instead, so the
        // continuation starts with it. The line keeps at least a character.
        if rest[end..].starts_with([' ', '\t']) {
            let head = rest[..end].trim_end_matches([' ', '\t']);
            if let Some(c) = head.chars().next_back() {
                let at = head.len() - c.len_utf8();
                if used + at >= 2 {
                    end = at;
                }
            }
        }
        out.push_str(&rest[..end]);
        out.push_str("\r\n ");
        used = 1;
        rest = &rest[end..];
    }
}

/// Escapes a value of type TEXT (RFC 5545 §3.3.11).
///
/// Backslash, semicolon and comma are backslash-escaped; every line break
/// (`\r\n`, `\n` or a lone `\r`) becomes the two characters `\n`. Other
/// control characters are removed because TEXT may not contain them and
/// clients reject or mangle files that do; tabs are kept.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    escape_into(&mut out, s);
    out
}

/// [`escape_text`] appended to `out`.
fn escape_into(out: &mut String, s: &str) {
    // Byte by byte, copying the runs between the few bytes that change:
    // the text is mostly Chinese, three bytes a character, none of them
    // special (U+0080..U+009F, the one control range beyond ASCII, is
    // 0xC2 followed by 0x80..=0x9F).
    let b = s.as_bytes();
    out.reserve(s.len());
    let (mut run, mut i) = (0, 0);
    while i < b.len() {
        let (len, with) = match b[i] {
            b'\\' => (1, "\\\\"),
            b';' => (1, "\\;"),
            b',' => (1, "\\,"),
            b'\r' if b.get(i + 1) == Some(&b'\n') => (2, "\\n"),
            b'\r' | b'\n' => (1, "\\n"),
            b'\t' => {
                i += 1;
                continue;
            }
            0x00..=0x1F | 0x7F => (1, ""),
            0xC2 if matches!(b.get(i + 1), Some(0x80..=0x9F)) => (2, ""),
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&s[run..i]);
        out.push_str(with);
        i += len;
        run = i;
    }
    out.push_str(&s[run..]);
}

/// A parameter value (e.g. `CN=`): quoted when it contains `:`, `;` or `,`.
/// Double quotes cannot appear in parameter values at all, so they become
/// single quotes; control characters are dropped.
fn param_value(s: &str) -> String {
    let clean: String = s
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| if c == '"' { '\'' } else { c })
        .collect();
    if clean.contains([':', ';', ',']) {
        format!("\"{clean}\"")
    } else {
        clean
    }
}

/// A URI value: not escaped (escaping would change the URI), only stripped
/// of characters that could break the line structure.
fn uri_value(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).collect()
}

/// Whether an event is going ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EventStatus {
    /// Going ahead as published: `STATUS:CONFIRMED`.
    #[default]
    Scheduled,
    /// Not happening: `STATUS:CANCELLED`; clients show it struck through or
    /// hide it, which is what subscribers need to notice.
    Cancelled,
    /// Not happening at the published time, new time not yet known.
    ///
    /// RFC 5545 has no "postponed", so this is written as
    /// `STATUS:TENTATIVE` (the event stays visible, marked as uncertain,
    /// rather than disappearing like a cancellation) and the summary gets
    /// [`IcsCalendar::postponed_prefix`] so people see why. When the new
    /// date is known, publish it as `Scheduled` with a higher `sequence`.
    Postponed,
}

/// Who runs the event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organizer {
    /// Display name (`CN`), if any.
    pub name: Option<String>,
    /// An e-mail address (written as `mailto:`) or a URI such as
    /// `https://...` or `mailto:...`.
    pub contact: String,
}

impl Organizer {
    /// The `ORGANIZER` value: bare e-mail addresses get `mailto:` because
    /// the property is a calendar address (a URI).
    fn address(&self) -> String {
        let c = self.contact.trim();
        let has_scheme = c.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || "+-.".contains(ch))
        });
        if has_scheme {
            uri_value(c)
        } else {
            format!("mailto:{}", uri_value(c))
        }
    }
}

/// Calendar-wide properties of a published feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IcsCalendar {
    /// `PRODID`: identifies the generator, e.g. `-//Hearth//Hearth//EN`.
    pub prodid: String,
    /// The calendar's name, shown by clients when subscribing
    /// (`NAME` and `X-WR-CALNAME`).
    pub name: Option<String>,
    /// A short description (`DESCRIPTION` and `X-WR-CALDESC`).
    pub description: Option<String>,
    /// How often subscribers should re-fetch
    /// (`REFRESH-INTERVAL;VALUE=DURATION` and `X-PUBLISHED-TTL`, the latter
    /// for Outlook and older Apple clients).
    pub refresh: Option<CalendarDuration>,
    /// `X-WR-TIMEZONE`: the zone clients should assume for display; a hint
    /// only, events carry their own zones.
    pub timezone_hint: Option<String>,
    /// Put before the summary of postponed events, e.g. `"Postponed: "` or
    /// `"【延期】"`; the writer does not know the site's language.
    pub postponed_prefix: String,
}

impl IcsCalendar {
    /// A calendar with the given `PRODID`, no name, a 6-hour refresh
    /// interval (often enough for event changes, rare enough to be polite
    /// to a static host) and an English postponed prefix.
    pub fn new(prodid: impl Into<String>) -> Self {
        IcsCalendar {
            prodid: prodid.into(),
            name: None,
            description: None,
            refresh: CalendarDuration::hours(6),
            timezone_hint: None,
            postponed_prefix: "Postponed: ".to_string(),
        }
    }
}

/// One event of a feed.
#[derive(Debug, Clone, PartialEq)]
pub struct IcsEvent {
    /// Globally unique and stable across builds (e.g. page path + site
    /// host); clients use it to update rather than duplicate events.
    pub uid: String,
    /// `DTSTAMP`: when this description was produced; pass the build time
    /// (or a fixed one) so that output is reproducible.
    pub dtstamp: Timestamp,
    /// When it happens.
    pub time: EventTime,
    /// Title.
    pub summary: String,
    /// Plain-text description (no HTML or Markdown).
    pub description: Option<String>,
    /// Page with details.
    pub url: Option<String>,
    /// Where, as text.
    pub location: Option<String>,
    /// Latitude and longitude in degrees; dropped if out of range.
    pub geo: Option<(f64, f64)>,
    /// Whether it goes ahead.
    pub status: EventStatus,
    /// Who runs it.
    pub organizer: Option<Organizer>,
    /// Tags, each written as one `CATEGORIES` value.
    pub categories: Vec<String>,
    /// When the event was last changed.
    pub last_modified: Option<Timestamp>,
    /// Revision number; increase it when the time changes so clients that
    /// track it (Outlook) accept the update.
    pub sequence: Option<u32>,
}

impl IcsEvent {
    /// An event with the required fields and everything else empty.
    pub fn new(
        uid: impl Into<String>,
        dtstamp: Timestamp,
        time: EventTime,
        summary: impl Into<String>,
    ) -> Self {
        IcsEvent {
            uid: uid.into(),
            dtstamp,
            time,
            summary: summary.into(),
            description: None,
            url: None,
            location: None,
            geo: None,
            status: EventStatus::Scheduled,
            organizer: None,
            categories: Vec::new(),
            last_modified: None,
            sequence: None,
        }
    }
}

/// Accumulates folded CRLF-terminated lines.
struct Out {
    text: String,
    /// A property's unfolded line, reused from one property to the next.
    scratch: String,
}

impl Out {
    fn line(&mut self, content: &str) {
        fold_into(&mut self.text, content);
        self.text.push_str("\r\n");
    }

    fn text(&mut self, name: &str, value: &str) {
        let mut line = std::mem::take(&mut self.scratch);
        line.clear();
        line.push_str(name);
        line.push(':');
        escape_into(&mut line, value);
        self.line(&line);
        self.scratch = line;
    }
}

/// How many years of time-zone rules to describe after the start of an
/// event that repeats forever (the RRULEs in the VTIMEZONE continue past
/// that when the zone's rules do).
const OPEN_ENDED_YEARS: i16 = 5;

/// Writes a complete `VCALENDAR` with a `VTIMEZONE` for every zone used.
///
/// Timed events are written in their zone (`DTSTART;TZID=...`), or with
/// `Z` when the zone is UTC; all-day events as `VALUE=DATE` with an
/// exclusive `DTEND`. `RRULE` is the normalised rule (UNTIL in UTC for timed
/// events) and `EXDATE` uses the same form as `DTSTART`.
pub fn write_calendar(cal: &IcsCalendar, events: &[IcsEvent]) -> String {
    let texts: Vec<String> = events.iter().map(|e| event_text(cal, e)).collect();
    let written: Vec<(&IcsEvent, &str)> = events
        .iter()
        .zip(&texts)
        .map(|(e, t)| (e, t.as_str()))
        .collect();
    write_calendar_of(cal, &written)
}

/// One event's `VEVENT`, as [`write_calendar`] writes it in `cal`. It
/// depends on the calendar only through `postponed_prefix`, so a site
/// whose events are in several feeds (the public one, each tier's, their
/// chapter's) writes each event once and copies it: on the tiered 10,000-page
/// hub that is 1,500 events written instead of 7,100.
pub fn event_text(cal: &IcsCalendar, e: &IcsEvent) -> String {
    let mut out = Out {
        text: String::with_capacity(1024),
        scratch: String::new(),
    };
    write_event(&mut out, cal, e);
    out.text
}

/// [`write_calendar`] of events already written by [`event_text`] (each
/// with the event, for the zones it needs).
pub fn write_calendar_of(cal: &IcsCalendar, events: &[(&IcsEvent, &str)]) -> String {
    let mut out = Out {
        text: String::with_capacity(4096 + events.iter().map(|(_, t)| t.len()).sum::<usize>()),
        scratch: String::new(),
    };
    out.line("BEGIN:VCALENDAR");
    out.line("VERSION:2.0");
    out.text("PRODID", &cal.prodid);
    out.line("CALSCALE:GREGORIAN");
    out.line("METHOD:PUBLISH");
    if let Some(name) = &cal.name {
        out.text("NAME", name);
        out.text("X-WR-CALNAME", name);
    }
    if let Some(desc) = &cal.description {
        out.text("DESCRIPTION", desc);
        out.text("X-WR-CALDESC", desc);
    }
    if let Some(tz) = &cal.timezone_hint {
        out.text("X-WR-TIMEZONE", tz);
    }
    if let Some(refresh) = &cal.refresh {
        out.line(&format!(
            "REFRESH-INTERVAL;VALUE=DURATION:{}",
            refresh.to_ics()
        ));
        out.line(&format!("X-PUBLISHED-TTL:{}", refresh.to_ics()));
    }

    for (tzid, (tz, from, to)) in zone_spans(events.iter().map(|(e, _)| *e)) {
        for line in vtimezone_lines(&tz, &tzid, from, to) {
            out.line(&line);
        }
    }
    for (_, text) in events {
        out.text.push_str(text);
    }
    out.line("END:VCALENDAR");
    out.text
}

/// For each zone written as a TZID: the zone and the span its events need.
fn zone_spans<'e>(
    events: impl Iterator<Item = &'e IcsEvent>,
) -> BTreeMap<String, (TimeZone, Timestamp, Timestamp)> {
    let mut spans: BTreeMap<String, (TimeZone, Timestamp, Timestamp)> = BTreeMap::new();
    for e in events {
        let t = &e.time;
        if t.all_day() || t.is_utc() {
            continue;
        }
        let from = t.start().timestamp();
        let to = coverage_end(e);
        spans
            .entry(t.tz_name().to_string())
            .and_modify(|(_, f, u)| {
                *f = (*f).min(from);
                *u = (*u).max(to);
            })
            .or_insert_with(|| (t.tz().clone(), from, to));
    }
    spans
}

/// The last instant an event's zone must be described for: its last
/// occurrence's end, or for a rule without end a few years past the later
/// of its start and `DTSTAMP`.
fn coverage_end(e: &IcsEvent) -> Timestamp {
    let t = &e.time;
    let cap = t
        .start_local()
        .date()
        .checked_add(200.years())
        .unwrap_or(Date::MAX);
    if let Some(end) = t.last_end(cap) {
        return end.max(t.end().timestamp());
    }
    let base = t.start().timestamp().max(e.dtstamp);
    let base_local = t.tz().to_datetime(base);
    base_local
        .checked_add(OPEN_ENDED_YEARS.years())
        .ok()
        .and_then(|dt| resolve(t.tz(), dt))
        .map_or(Timestamp::MAX, |z| z.timestamp())
}

fn write_event(out: &mut Out, cal: &IcsCalendar, e: &IcsEvent) {
    let t = &e.time;
    out.line("BEGIN:VEVENT");
    out.text("UID", &e.uid);
    out.line(&format!("DTSTAMP:{}", ics_utc(e.dtstamp)));
    if t.all_day() {
        out.line(&format!(
            "DTSTART;VALUE=DATE:{}",
            ics_date(t.start_local().date())
        ));
        let end_date = add_days(t.last_day(), 1).unwrap_or(t.end().date());
        out.line(&format!("DTEND;VALUE=DATE:{}", ics_date(end_date)));
    } else if t.is_utc() {
        out.line(&format!("DTSTART:{}", ics_utc(t.start().timestamp())));
        out.line(&format!("DTEND:{}", ics_utc(t.end().timestamp())));
    } else {
        let tzid = param_value(t.tz_name());
        out.line(&format!(
            "DTSTART;TZID={tzid}:{}",
            ics_datetime(t.start_local())
        ));
        // The end's wall-clock reading names the right instant unless it
        // falls in the repeated hour of a fall-back; then write it in UTC.
        let end = t.end();
        let exact =
            resolve(t.tz(), end.datetime()).is_some_and(|z| z.timestamp() == end.timestamp());
        if exact {
            out.line(&format!(
                "DTEND;TZID={tzid}:{}",
                ics_datetime(end.datetime())
            ));
        } else {
            out.line(&format!("DTEND:{}", ics_utc(end.timestamp())));
        }
    }
    if let Some(rule) = t.rule() {
        out.line(&format!("RRULE:{}", rule.to_ics()));
    }
    if !t.exdates().is_empty() {
        if t.all_day() {
            let list: Vec<String> = t.exdates().iter().map(|d| ics_date(d.date())).collect();
            out.line(&format!("EXDATE;VALUE=DATE:{}", list.join(",")));
        } else if t.is_utc() {
            let list: Vec<String> = t
                .exdates()
                .iter()
                .filter_map(|d| resolve(t.tz(), *d))
                .map(|z| ics_utc(z.timestamp()))
                .collect();
            out.line(&format!("EXDATE:{}", list.join(",")));
        } else {
            let list: Vec<String> = t.exdates().iter().map(|d| ics_datetime(*d)).collect();
            out.line(&format!(
                "EXDATE;TZID={}:{}",
                param_value(t.tz_name()),
                list.join(",")
            ));
        }
    }
    let summary = match e.status {
        EventStatus::Postponed => format!("{}{}", cal.postponed_prefix, e.summary),
        _ => e.summary.clone(),
    };
    out.text("SUMMARY", &summary);
    if let Some(d) = &e.description {
        out.text("DESCRIPTION", d);
    }
    if let Some(l) = &e.location {
        out.text("LOCATION", l);
    }
    if let Some((lat, lon)) = e.geo
        && lat.is_finite()
        && lon.is_finite()
        && (-90.0..=90.0).contains(&lat)
        && (-180.0..=180.0).contains(&lon)
    {
        out.line(&format!("GEO:{};{}", fmt_coord(lat), fmt_coord(lon)));
    }
    if let Some(u) = &e.url {
        out.line(&format!("URL:{}", uri_value(u)));
    }
    if let Some(o) = &e.organizer {
        match &o.name {
            Some(name) => out.line(&format!(
                "ORGANIZER;CN={}:{}",
                param_value(name),
                o.address()
            )),
            None => out.line(&format!("ORGANIZER:{}", o.address())),
        }
    }
    if !e.categories.is_empty() {
        let list: Vec<String> = e.categories.iter().map(|c| escape_text(c)).collect();
        out.line(&format!("CATEGORIES:{}", list.join(",")));
    }
    let status = match e.status {
        EventStatus::Scheduled => "CONFIRMED",
        EventStatus::Cancelled => "CANCELLED",
        EventStatus::Postponed => "TENTATIVE",
    };
    out.line(&format!("STATUS:{status}"));
    if let Some(seq) = e.sequence {
        out.line(&format!("SEQUENCE:{seq}"));
    }
    if let Some(lm) = e.last_modified {
        out.line(&format!("LAST-MODIFIED:{}", ics_utc(lm)));
    }
    out.line("END:VEVENT");
}

/// Six decimals (about 10 cm), trailing zeros trimmed: stable and short.
fn fmt_coord(v: f64) -> String {
    let s = format!("{v:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::super::event::EventEnd;
    use super::super::parse::{LocalTime, parse_duration, parse_local, parse_tz};
    use super::super::recurrence::parse_rrule;
    use super::*;

    fn unfold(s: &str) -> String {
        s.replace("\r\n ", "")
    }

    /// Every physical line of `folded` is ≤ 75 octets, valid UTF-8 on its
    /// own, and continuation lines start with exactly one space.
    fn assert_folded(folded: &str) {
        for (i, phys) in folded.as_bytes().split(|b| *b == b'\n').enumerate() {
            let phys = phys.strip_suffix(b"\r").unwrap_or(phys);
            assert!(phys.len() <= 75, "line {i} has {} octets", phys.len());
            assert!(
                std::str::from_utf8(phys).is_ok(),
                "line {i} splits a UTF-8 sequence"
            );
            if i > 0 && !phys.is_empty() {
                assert!(
                    phys[0] == b' ' || phys.starts_with(b"BEGIN") || phys[0].is_ascii_uppercase(),
                    "line {i}"
                );
            }
        }
    }

    /// Folding and escaping written a character at a time, as RFC 5545
    /// and the rules above state them: what the run-at-a-time versions
    /// must equal.
    fn fold_by_char(line: &str) -> String {
        let mut out = String::new();
        // The physical line being written, its folding space included.
        let mut cur = String::new();
        for ch in line.chars() {
            if cur.len() + ch.len_utf8() > 75 {
                let mut at = cur.len();
                if ch == ' ' || ch == '\t' {
                    let head = cur.trim_end_matches([' ', '\t']);
                    if let Some(c) = head.chars().next_back()
                        && head.len() - c.len_utf8() >= 2
                    {
                        at = head.len() - c.len_utf8();
                    }
                }
                let moved = cur.split_off(at);
                out.push_str(&cur);
                out.push_str("\r\n");
                cur = format!(" {moved}");
            }
            cur.push(ch);
        }
        out.push_str(&cur);
        out
    }

    fn escape_by_char(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' => out.push_str("\\\\"),
                ';' => out.push_str("\\;"),
                ',' => out.push_str("\\,"),
                '\r' if chars.peek() == Some(&'\n') => {
                    chars.next();
                    out.push_str("\\n");
                }
                '\r' | '\n' => out.push_str("\\n"),
                '\t' => out.push('\t'),
                c if c.is_control() => {}
                c => out.push(c),
            }
        }
        out
    }

    #[test]
    fn folding_and_escaping_runs_equal_the_character_rules() {
        let alphabet = [
            "a", "Z", " ", "\t", ",", ";", "\\", "\r", "\n", "\r\n", "\u{0}", "\u{7f}", "\u{85}",
            "\u{9f}", "\u{a0}", "é", "读", "書", "😀", "𠀀", ":",
        ];
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..3000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let len = (x % 240) as usize;
            let mut text = String::new();
            for _ in 0..len {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                text.push_str(alphabet[(x % alphabet.len() as u64) as usize]);
            }
            assert_eq!(escape_text(&text), escape_by_char(&text), "{text:?}");
            let line = escape_text(&text);
            assert_eq!(fold_line(&line), fold_by_char(&line), "{line:?}");
            let mut appended = String::from("X-PREVIOUS:1\r\n");
            fold_into(&mut appended, &line);
            assert_eq!(appended, format!("X-PREVIOUS:1\r\n{}", fold_by_char(&line)));
        }
    }

    #[test]
    fn folds_long_chinese_line_byte_by_byte() {
        let value =
            "社区读书会：我们每周六晚上在柏林见面，一起讨论本周读过的章节，欢迎新朋友加入！"
                .repeat(4);
        let line = format!("DESCRIPTION:{}", escape_text(&value));
        let folded = fold_line(&line);
        let physical: Vec<&str> = folded.split("\r\n").collect();
        assert!(physical.len() > 5);
        for (i, p) in physical.iter().enumerate() {
            let bytes = p.as_bytes();
            assert!(
                bytes.len() <= 75,
                "physical line {i} is {} octets",
                bytes.len()
            );
            assert!(std::str::from_utf8(bytes).is_ok());
            if i > 0 {
                assert_eq!(bytes[0], b' ');
                assert_ne!(bytes.get(1), Some(&b' '), "only one leading space");
            }
            // Chinese characters are 3 octets: a line is only broken early
            // when the next character would not fit.
            if i + 1 < physical.len() {
                let next = physical[i + 1][1..].chars().next().unwrap();
                assert!(bytes.len() + next.len_utf8() > 75, "line {i} broken early");
            }
        }
        assert_eq!(unfold(&folded), line);
        assert!(!folded.ends_with("\r\n"));
    }

    #[test]
    fn folds_never_start_a_continuation_with_a_content_space() {
        // Indented code in an event's text: runs of blanks across the fold.
        for pad in 0..80 {
            for blanks in 1..12 {
                let line = format!(
                    "DESCRIPTION:{}x{}Some(v) => println!(found)\\n{}None",
                    "a".repeat(pad),
                    " ".repeat(blanks),
                    "\t".repeat(blanks)
                );
                let folded = fold_line(&line);
                for (k, phys) in folded.split("\r\n").enumerate() {
                    assert!(phys.len() <= 75);
                    if k > 0 {
                        assert!(
                            !phys.starts_with("  ") && !phys.starts_with(" \t"),
                            "pad {pad}, blanks {blanks}: {phys:?}"
                        );
                    }
                }
                assert_eq!(folded.replace("\r\n ", ""), line);
            }
        }
        for pad in 60..90 {
            let line = format!(
                "DESCRIPTION:{} Tempelhofer Feld and more words here",
                "x".repeat(pad)
            );
            let folded = fold_line(&line);
            for (k, phys) in folded.split("\r\n").enumerate() {
                assert!(phys.len() <= 75);
                if k > 0 {
                    assert!(!phys.starts_with("  "), "pad {pad}: {phys:?}");
                }
            }
            assert_eq!(folded.replace("\r\n ", ""), line);
        }
    }

    #[test]
    fn fold_edges() {
        assert_eq!(fold_line(""), "");
        let exact = "A".repeat(75);
        assert_eq!(fold_line(&exact), exact);
        let one_more = "A".repeat(76);
        assert_eq!(fold_line(&one_more), format!("{}\r\n A", "A".repeat(75)));
        // Continuation lines hold 74 octets after the space.
        let long = "B".repeat(75 + 74 + 1);
        let f = fold_line(&long);
        let parts: Vec<&str> = f.split("\r\n").collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [75, 75, 2]
        );
        // Mixed widths, including 4-octet characters, never split.
        let mixed = "x😀é中".repeat(50);
        let f = fold_line(&mixed);
        assert_folded(&f);
        assert_eq!(unfold(&f), mixed);
        for n in 0..200 {
            let s = "é".repeat(n) + &"a".repeat(n % 7);
            let f = fold_line(&s);
            assert_folded(&f);
            assert_eq!(unfold(&f), s);
        }
    }

    #[test]
    fn escapes_text() {
        assert_eq!(escape_text(r"a\b;c,d"), r"a\\b\;c\,d");
        assert_eq!(
            escape_text("one\ntwo\r\nthree\rfour"),
            r"one\ntwo\nthree\nfour"
        );
        assert_eq!(
            escape_text("tab\there: \"quoted\""),
            "tab\there: \"quoted\""
        );
        assert_eq!(escape_text("bell\u{7}nul\u{0}del\u{7f}"), "bellnuldel");
        assert_eq!(escape_text("北京，上海；广州"), "北京，上海；广州");
        assert_eq!(escape_text(""), "");
        assert_eq!(escape_text(r"\n"), r"\\n");
    }

    #[test]
    fn parameter_values_are_quoted() {
        assert_eq!(param_value("Jane Doe"), "Jane Doe");
        assert_eq!(param_value("Doe, Jane"), "\"Doe, Jane\"");
        assert_eq!(param_value("a:b"), "\"a:b\"");
        assert_eq!(param_value("say \"hi\"; bye"), "\"say 'hi'; bye\"");
        assert_eq!(param_value("line\nbreak"), "linebreak");
    }

    fn berlin_weekly() -> EventTime {
        let tz = parse_tz("Europe/Berlin").unwrap();
        let start = parse_local("2026-03-07T20:00").unwrap();
        let rule = parse_rrule("FREQ=WEEKLY;BYDAY=SA", &start, &tz).unwrap();
        let ex = [
            parse_local("2026-03-14").unwrap(),
            parse_local("2026-04-04T20:00").unwrap(),
        ];
        EventTime::new(
            start,
            Some(EventEnd::After(parse_duration("2h").unwrap())),
            false,
            tz,
            Some(rule),
            &ex,
        )
        .unwrap()
    }

    fn stamp() -> Timestamp {
        "2026-02-01T12:00:00Z".parse().unwrap()
    }

    #[test]
    fn writes_a_timed_recurring_event() {
        let mut cal = IcsCalendar::new("-//Hearth//Hearth//EN");
        cal.name = Some("Berlin, Readers; Club".into());
        cal.timezone_hint = Some("Europe/Berlin".into());
        let mut ev = IcsEvent::new(
            "reading@example.org",
            stamp(),
            berlin_weekly(),
            "Reading club",
        );
        ev.organizer = Some(Organizer {
            name: Some("Doe, Jane".into()),
            contact: "jane@example.org".into(),
        });
        ev.geo = Some((52.52, 13.405));
        ev.url = Some("https://example.org/events/reading/".into());
        ev.categories = vec!["books".into(), "a,b".into()];
        ev.sequence = Some(2);
        let ics = write_calendar(&cal, &[ev]);
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(!ics.replace("\r\n", "").contains('\n'), "bare LF");
        assert!(!ics.replace("\r\n", "").contains('\r'), "bare CR");
        assert_folded(&ics);
        // The whole calendar, read as a calendar app would get it: the
        // zone before the event, both of Berlin's observances, escaped
        // commas and semicolons, the quoted organizer name.
        insta::assert_snapshot!(ics.replace("\r\n", "\n"));
    }

    #[test]
    fn writes_all_day_utc_and_statuses() {
        let tz = parse_tz("Asia/Shanghai").unwrap();
        let fair = EventTime::new(
            parse_local("2026-12-12").unwrap(),
            Some(EventEnd::At(parse_local("2026-12-14").unwrap())),
            false,
            tz.clone(),
            None,
            &[],
        )
        .unwrap();
        let mut a = IcsEvent::new("fair", stamp(), fair, "Book fair");
        a.status = EventStatus::Cancelled;
        let utc = parse_tz("UTC").unwrap();
        let start = parse_local("2026-03-01T14:00").unwrap();
        let rule = parse_rrule("FREQ=DAILY;UNTIL=20260305", &start, &utc).unwrap();
        let call = EventTime::new(
            start,
            None,
            false,
            utc,
            Some(rule),
            &[parse_local("2026-03-02").unwrap()],
        )
        .unwrap();
        let mut b = IcsEvent::new("call", stamp(), call, "Call");
        b.status = EventStatus::Postponed;
        let mut cal = IcsCalendar::new("-//Hearth//Hearth//EN");
        cal.postponed_prefix = "【延期】".into();
        cal.refresh = None;
        let ics = write_calendar(&cal, &[a, b]);
        let lines: Vec<&str> = ics.split("\r\n").collect();
        for expected in [
            "DTSTART;VALUE=DATE:20261212",
            "DTEND;VALUE=DATE:20261215",
            "STATUS:CANCELLED",
            "DTSTART:20260301T140000Z",
            "DTEND:20260301T150000Z",
            "RRULE:FREQ=DAILY;UNTIL=20260305T235959Z",
            "EXDATE:20260302T140000Z",
            "SUMMARY:【延期】Call",
            "STATUS:TENTATIVE",
        ] {
            assert!(lines.contains(&expected), "missing {expected}\n{ics}");
        }
        // Neither all-day nor UTC events need a VTIMEZONE.
        assert!(!ics.contains("VTIMEZONE"));
        assert!(!ics.contains("REFRESH-INTERVAL"));
    }

    #[test]
    fn shanghai_vtimezone_is_standard_only() {
        let tz = parse_tz("Asia/Shanghai").unwrap();
        let start = parse_local("2026-01-30T19:00").unwrap();
        let rule = parse_rrule("FREQ=MONTHLY;BYDAY=-1FR", &start, &tz).unwrap();
        let t = EventTime::new(start, None, false, tz, Some(rule), &[]).unwrap();
        let ics = write_calendar(
            &IcsCalendar::new("-//x//y//EN"),
            &[IcsEvent::new("u", stamp(), t, "S")],
        );
        assert!(ics.contains("BEGIN:STANDARD\r\n"));
        assert!(ics.contains("TZOFFSETTO:+0800\r\n"));
        assert!(!ics.contains("DAYLIGHT"));
        assert!(ics.contains("DTSTART;TZID=Asia/Shanghai:20260130T190000\r\n"));
    }

    #[test]
    fn output_is_deterministic_and_sanitised() {
        let mut ev = IcsEvent::new("x\ny", stamp(), berlin_weekly(), "a\u{0}b");
        ev.url = Some("https://e.org/\r\nX-EVIL:1".into());
        ev.geo = Some((f64::NAN, 1.0));
        ev.description = Some("line one\nline two; with, punctuation \\ and more".into());
        let cal = IcsCalendar::new("p");
        let one = write_calendar(&cal, std::slice::from_ref(&ev));
        let two = write_calendar(&cal, std::slice::from_ref(&ev));
        assert_eq!(one, two);
        assert!(one.contains("UID:x\\ny\r\n"));
        assert!(one.contains("SUMMARY:ab\r\n"));
        assert!(one.contains("URL:https://e.org/X-EVIL:1\r\n"));
        assert!(!one.contains("GEO"));
        let empty = write_calendar(&cal, &[]);
        assert_eq!(
            empty,
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:p\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n\
             REFRESH-INTERVAL;VALUE=DURATION:PT6H\r\nX-PUBLISHED-TTL:PT6H\r\nEND:VCALENDAR\r\n"
        );
        assert!(
            one.contains(
                "DESCRIPTION:line one\\nline two\\; with\\, punctuation \\\\ and more\r\n"
            )
        );
    }

    #[test]
    fn coordinates_are_short_and_stable() {
        assert_eq!(fmt_coord(52.52), "52.52");
        assert_eq!(fmt_coord(-0.0000001), "0");
        assert_eq!(fmt_coord(13.4050001), "13.405");
        assert_eq!(fmt_coord(-33.8688), "-33.8688");
        assert_eq!(fmt_coord(0.0), "0");
    }

    /// A calendar that exercises every feature, written as
    /// `calendar-sample.ics` together with the occurrences this module
    /// computes (`calendar-sample.expected.json`), so that `check_ics.py`
    /// can compare them with an independent implementation.
    ///
    /// The files go to `$HEARTH_CALENDAR_SAMPLE_DIR` when it is set (to run
    /// the check), else to a temporary folder that is removed afterwards: a
    /// test never writes into the source tree, wherever the target dir is.
    #[test]
    fn writes_sample_calendar_for_external_check() {
        let from: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        let until: Timestamp = "2027-07-01T00:00:00Z".parse().unwrap();
        let events = sample_events();
        let mut cal = IcsCalendar::new("-//Hearth//Hearth calendar test//EN");
        cal.name = Some("Hearth sample".into());
        cal.description = Some("Sample feed written by the calendar module's tests".into());
        let ics = write_calendar(&cal, &events);
        assert_folded(&ics);

        let mut json = String::from("{\n");
        json.push_str(&format!(
            "  \"from\": \"{from}\",\n  \"until\": \"{until}\",\n  \"occurrences\": {{\n"
        ));
        for (i, e) in events.iter().enumerate() {
            let starts: Vec<String> = e
                .time
                .occurrences(from, until, 1000)
                .iter()
                .map(|o| {
                    if o.all_day {
                        format!("\"{}\"", o.first_day())
                    } else {
                        format!(
                            "\"{}\"",
                            o.start.timestamp().display_with_offset(o.start.offset())
                        )
                    }
                })
                .collect();
            let comma = if i + 1 < events.len() { "," } else { "" };
            json.push_str(&format!(
                "    \"{}\": [{}]{comma}\n",
                e.uid,
                starts.join(", ")
            ));
        }
        json.push_str("  }\n}\n");

        let scratch = tempfile::tempdir().unwrap();
        let dir = match std::env::var_os("HEARTH_CALENDAR_SAMPLE_DIR") {
            Some(d) => std::path::PathBuf::from(d),
            None => scratch.path().to_path_buf(),
        };
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("calendar-sample.ics"), &ics).unwrap();
        std::fs::write(dir.join("calendar-sample.expected.json"), &json).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.join("calendar-sample.ics")).unwrap(),
            ics
        );
    }

    fn sample_events() -> Vec<IcsEvent> {
        let mk = |uid: &str,
                  start: &str,
                  end: Option<EventEnd>,
                  tz: &str,
                  rule: Option<&str>,
                  ex: &[&str]| {
            let tz = parse_tz(tz).unwrap();
            let st = parse_local(start).unwrap();
            let rule = rule.map(|r| parse_rrule(r, &st, &tz).unwrap());
            let ex: Vec<LocalTime> = ex.iter().map(|s| parse_local(s).unwrap()).collect();
            let t = EventTime::new(st, end, false, tz, rule, &ex).unwrap();
            IcsEvent::new(format!("{uid}@hearth.test"), stamp(), t, uid.to_string())
        };
        let hours = |s: &str| Some(EventEnd::After(parse_duration(s).unwrap()));
        let mut events = vec![
            mk(
                "weekly-berlin",
                "2026-03-07T20:00",
                hours("2h"),
                "Europe/Berlin",
                Some("FREQ=WEEKLY;BYDAY=SA"),
                &["2026-03-14", "2026-10-31T20:00"],
            ),
            mk(
                "first-sunday",
                "2026-03-01T15:00",
                hours("2h"),
                "Europe/Berlin",
                Some("FREQ=MONTHLY;BYDAY=1SU;COUNT=12"),
                &[],
            ),
            mk(
                "last-friday",
                "2026-01-30T19:00",
                hours("90m"),
                "Asia/Shanghai",
                Some("FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20261231"),
                &[],
            ),
            mk(
                "fair",
                "2026-12-12",
                Some(EventEnd::At(parse_local("2026-12-14").unwrap())),
                "Asia/Shanghai",
                None,
                &[],
            ),
            mk(
                "christmas",
                "2026-12-24",
                None,
                "Europe/Berlin",
                Some("FREQ=YEARLY"),
                &[],
            ),
            mk(
                "utc-daily",
                "2026-03-01T14:00",
                None,
                "UTC",
                Some("FREQ=DAILY;COUNT=5"),
                &["2026-03-03"],
            ),
            mk(
                "new-york",
                "2026-03-02T18:30",
                hours("1h"),
                "America/New_York",
                Some("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;UNTIL=20260601"),
                &[],
            ),
            mk(
                "gap",
                "2026-03-22T02:30",
                hours("1h"),
                "Europe/Berlin",
                Some("FREQ=WEEKLY;COUNT=4"),
                &[],
            ),
            mk(
                "fold",
                "2026-10-18T02:30",
                hours("30m"),
                "Europe/Berlin",
                Some("FREQ=WEEKLY;COUNT=3"),
                &[],
            ),
            mk(
                "weekday-setpos",
                "2026-01-30T18:00",
                hours("1h"),
                "Europe/London",
                Some("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=8"),
                &[],
            ),
            mk(
                "single",
                "2026-05-01T10:00:00+08:00",
                None,
                "Europe/Berlin",
                None,
                &[],
            ),
            mk(
                "market",
                "2026-04-04",
                Some(EventEnd::At(parse_local("2026-04-05").unwrap())),
                "Europe/Berlin",
                Some("FREQ=WEEKLY;UNTIL=20260530"),
                &["2026-04-18", "2026-05-02"],
            ),
            mk(
                "yearly-month",
                "2026-03-29T11:00",
                hours("3h"),
                "Europe/Berlin",
                Some("FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"),
                &[],
            ),
        ];
        let long = "我们每周六晚上在柏林见面，一起讨论本周读过的章节。欢迎新朋友加入；请带上你的书，和一颗好奇的心！\n第二行: commas, semicolons; backslash \\ done.";
        events[0].description = Some(long.repeat(2));
        events[0].location = Some("Café Einstein, Kurfürstenstraße 58, Berlin".into());
        events[0].geo = Some((52.5027, 13.3601));
        events[0].organizer = Some(Organizer {
            name: Some("Lesekreis: Berlin, e.V.".into()),
            contact: "mailto:lesekreis@example.org".into(),
        });
        events[0].categories = vec!["读书会".into(), "books".into()];
        events[0].url = Some("https://example.org/events/weekly-berlin/".into());
        events[3].status = EventStatus::Cancelled;
        events[2].status = EventStatus::Postponed;
        events
    }
}
