//! Splitting front matter from Markdown, and the typed front matter of each kind.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

use crate::spanned::{self, Node, Spanned, SyntaxError};

/// Which syntax a front matter block is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Between `+++` lines (Zola's convention).
    Toml,
    /// Between `---` lines (Jekyll and Hugo's).
    Yaml,
}

/// A file split into front matter and body, with byte offsets into the file.
#[derive(Debug)]
pub struct Split<'a> {
    /// The front matter text (between the fences), if any.
    pub front: Option<(&'a str, Format)>,
    /// Byte offset of the front matter text in the file.
    pub front_offset: usize,
    /// The Markdown body.
    pub body: &'a str,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
}

/// A fence that was opened and never closed.
#[derive(Debug, PartialEq, Eq)]
pub struct Unclosed {
    /// The fence, `+++` or `---`.
    pub fence: &'static str,
    /// Byte range of the opening fence.
    pub span: std::ops::Range<usize>,
}

/// Splits `text` (already without a byte-order mark).
///
/// A file without an opening fence is all body. Fences may carry trailing
/// spaces and CRLF line ends, as editors on every system write them.
pub fn split(text: &str) -> Result<Split<'_>, Unclosed> {
    let (fence, format) = if is_fence_line(text, "+++") {
        ("+++", Format::Toml)
    } else if is_fence_line(text, "---") {
        ("---", Format::Yaml)
    } else {
        return Ok(Split {
            front: None,
            front_offset: 0,
            body: text,
            body_offset: 0,
        });
    };
    let first_end = text.find('\n').map(|i| i + 1).unwrap_or(text.len());
    let mut pos = first_end;
    while pos < text.len() {
        let line_end = text[pos..]
            .find('\n')
            .map(|i| pos + i + 1)
            .unwrap_or(text.len());
        let line = text[pos..line_end].trim_end_matches(['\n', '\r', ' ', '\t']);
        if line == fence {
            return Ok(Split {
                front: Some((&text[first_end..pos], format)),
                front_offset: first_end,
                body: &text[line_end..],
                body_offset: line_end,
            });
        }
        pos = line_end;
    }
    Err(Unclosed {
        fence,
        span: 0..fence.len(),
    })
}

fn is_fence_line(text: &str, fence: &str) -> bool {
    text.strip_prefix(fence)
        .map(|rest| {
            let line = rest.split('\n').next().unwrap_or("");
            line.trim_end_matches(['\r', ' ', '\t']).is_empty()
        })
        .unwrap_or(false)
}

/// Parses a front matter block into a spanned tree whose spans are file offsets.
pub fn parse(front: &str, format: Format, offset: usize) -> Result<Node, Vec<SyntaxError>> {
    let mut node = match format {
        Format::Toml => spanned::parse_toml(front),
        Format::Yaml => spanned::parse_yaml(front),
    }
    .map_err(|errs| {
        errs.into_iter()
            .map(|mut e| {
                e.span = e.span.start + offset..e.span.end + offset;
                e
            })
            .collect::<Vec<_>>()
    })?;
    node.shift(offset);
    Ok(node)
}

/// The syntax a front matter block that failed to parse as `written` is
/// really in, when it parses cleanly as the other one into fields: YAML
/// between `+++` (people coming from Jekyll or Hugo keep their fences'
/// habit but not their syntax, or the reverse) gives one error that says
/// so, instead of one TOML error per line.
pub fn other_format(front: &str, written: Format) -> Option<Format> {
    let other = match written {
        Format::Toml => Format::Yaml,
        Format::Yaml => Format::Toml,
    };
    let node = parse(front, other, 0).ok()?;
    let fields = node.entries();
    (!fields.is_empty()).then_some(other)
}

/// A date, or a date with a time, as written in front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateValue {
    /// The calendar date.
    pub date: jiff::civil::Date,
    /// The time of day, when given.
    pub time: Option<jiff::civil::Time>,
    /// The UTC offset in seconds, when given.
    pub offset: Option<i32>,
}

impl DateValue {
    /// Parses `2026-11-02`, `2026-11-02T20:00[:00]`, `2026-11-02 20:00`, with an optional offset or `Z`.
    pub fn parse(s: &str) -> Result<DateValue, String> {
        let s = s.trim();
        let (date_part, rest) = match s.find(['T', 't', ' ']) {
            Some(i) => (&s[..i], Some(&s[i + 1..])),
            None => (s, None),
        };
        let date: jiff::civil::Date = parse_date(date_part)?;
        let Some(rest) = rest else {
            return Ok(DateValue {
                date,
                time: None,
                offset: None,
            });
        };
        let (time_part, offset) = split_offset(rest)?;
        let time = parse_time(time_part).map_err(|m| format!("`{s}`: {m}"))?;
        Ok(DateValue {
            date,
            time: Some(time),
            offset,
        })
    }

    /// The civil date-time (midnight when no time was written).
    pub fn datetime(&self) -> jiff::civil::DateTime {
        self.date
            .to_datetime(self.time.unwrap_or(jiff::civil::Time::midnight()))
    }

    /// The instant, reading dates without an offset in `tz`.
    pub fn timestamp(&self, tz: &jiff::tz::TimeZone) -> jiff::Timestamp {
        let dt = self.datetime();
        match self.offset {
            Some(secs) => jiff::tz::Offset::from_seconds(secs)
                .ok()
                .and_then(|o| o.to_timestamp(dt).ok())
                .unwrap_or_else(|| fallback_ts(dt, tz)),
            None => fallback_ts(dt, tz),
        }
    }
}

fn fallback_ts(dt: jiff::civil::DateTime, tz: &jiff::tz::TimeZone) -> jiff::Timestamp {
    tz.to_ambiguous_timestamp(dt)
        .compatible()
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}

fn parse_date(s: &str) -> Result<jiff::civil::Date, String> {
    let parts: Vec<&str> = s.split('-').collect();
    if parts.len() != 3
        || parts[0].len() != 4
        || parts[1].is_empty()
        || parts[1].len() > 2
        || parts[2].is_empty()
        || parts[2].len() > 2
        || !parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()))
    {
        return Err(format!("`{s}` is not a date in the form YYYY-MM-DD"));
    }
    let y: i16 = parts[0].parse().map_err(|_| format!("`{s}`: bad year"))?;
    let m: i8 = parts[1].parse().map_err(|_| format!("`{s}`: bad month"))?;
    let d: i8 = parts[2].parse().map_err(|_| format!("`{s}`: bad day"))?;
    if !(1..=12).contains(&m) {
        return Err(format!("`{s}` has month {m}; months run from 01 to 12"));
    }
    jiff::civil::Date::new(y, m, d)
        .map_err(|_| format!("`{s}` has day {d}, but that month has fewer days"))
}

fn split_offset(rest: &str) -> Result<(&str, Option<i32>), String> {
    if let Some(t) = rest.strip_suffix(['Z', 'z']) {
        return Ok((t, Some(0)));
    }
    if let Some(i) = rest.rfind(['+', '-']) {
        let (t, off) = rest.split_at(i);
        let sign = if off.starts_with('-') { -1 } else { 1 };
        let digits: String = off[1..].chars().filter(|c| *c != ':').collect();
        if digits.len() != 4 || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(format!("`{off}` is not a UTC offset like +08:00"));
        }
        let h: i32 = digits[..2].parse().unwrap_or(0);
        let m: i32 = digits[2..].parse().unwrap_or(0);
        return Ok((t, Some(sign * (h * 3600 + m * 60))));
    }
    Ok((rest, None))
}

fn parse_time(s: &str) -> Result<jiff::civil::Time, String> {
    let s = s.split('.').next().unwrap_or(s);
    let parts: Vec<&str> = s.split(':').collect();
    if !(2..=3).contains(&parts.len())
        || !parts
            .iter()
            .all(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_digit()))
    {
        return Err(format!("`{s}` is not a time in the form HH:MM or HH:MM:SS"));
    }
    let h: i8 = parts[0].parse().unwrap_or(99);
    let m: i8 = parts[1].parse().unwrap_or(99);
    let sec: i8 = parts.get(2).and_then(|p| p.parse().ok()).unwrap_or(0);
    jiff::civil::Time::new(h, m, sec, 0)
        .map_err(|_| format!("`{s}` is not a time of day (00:00 to 23:59)"))
}

impl<'de> Deserialize<'de> for DateValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        DateValue::parse(&s).map_err(|m| serde::de::Error::custom(format!("invalid date: {m}")))
    }
}

/// How a section orders its pages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    /// Newest first.
    #[default]
    Date,
    /// Lowest weight first.
    Weight,
    /// Alphabetical.
    Title,
}

/// Fields every page may have.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PageFm {
    /// Page title (a member's display name on member pages).
    pub title: Option<String>,
    /// One sentence for listings and meta tags.
    pub description: Option<String>,
    /// Publication date; also from a `2026-11-02-` file name prefix.
    pub date: Option<Spanned<DateValue>>,
    /// Last meaningful update.
    pub updated: Option<Spanned<DateValue>>,
    /// Drafts are built only with `--drafts`.
    pub draft: bool,
    /// Last URL segment, instead of the file name.
    pub slug: Option<Spanned<String>>,
    /// Order in sections sorted by weight.
    pub weight: Option<i64>,
    /// Lowest tier that may read the page.
    pub tier: Option<Spanned<String>>,
    /// Tags; each gets a page under `/tags/`.
    pub tags: Vec<Spanned<String>>,
    /// A template other than the kind's own.
    pub template: Option<Spanned<String>>,
    /// Old URLs that redirect here.
    pub aliases: Vec<Spanned<String>>,
    /// The kind, when not implied by the file or section.
    pub kind: Option<Spanned<String>>,
    /// Sharing image (bundle file, static path or URL).
    pub image: Option<Spanned<String>>,
    /// Free table for templates.
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// Fields of a section's `_index.md`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SectionFm {
    /// Section title.
    pub title: Option<String>,
    /// One sentence for listings and meta tags.
    pub description: Option<String>,
    /// What the section holds (`events`, `members`, …); the folder name by default.
    pub kind: Option<Spanned<String>>,
    /// Lowest tier that may read the section and everything in it.
    pub tier: Option<Spanned<String>>,
    /// Page order.
    pub sort_by: SortBy,
    /// Pages per listing page; all on one page when absent.
    pub paginate_by: Option<usize>,
    /// A template other than the kind's own.
    pub template: Option<Spanned<String>>,
    /// Order among sibling sections in navigation.
    pub weight: Option<i64>,
    /// Shown in the site navigation.
    pub in_nav: Option<bool>,
    /// Publish an Atom feed for this section.
    pub feed: bool,
    /// Publish `calendar.ics` of the events in this section (and below):
    /// a working group's meetings, subscribed to on their own.
    pub calendar: bool,
    /// Sharing image.
    pub image: Option<Spanned<String>>,
    /// Free table for templates.
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// Where an event happens.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct Location {
    /// Place name, e.g. a café or "Zoom".
    #[serde(default)]
    pub name: Option<String>,
    /// Street address.
    #[serde(default)]
    pub address: Option<String>,
    /// Online meeting link.
    #[serde(default)]
    pub url: Option<String>,
    /// Latitude and longitude.
    #[serde(default)]
    pub geo: Option<[f64; 2]>,
}

/// Event fields (pages in a section of kind `events`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct EventFm {
    /// Local start (date for all-day events).
    /// A stable identifier for calendar apps (default: from the page's
    /// path); data sources set it from the record's `id`.
    pub uid: Option<String>,
    pub start: Option<Spanned<String>>,
    /// Local end (the last day, inclusive, for all-day events).
    pub end: Option<Spanned<String>>,
    /// Length instead of `end`, e.g. `2h`.
    pub duration: Option<Spanned<String>>,
    /// Whole days, no times.
    pub all_day: bool,
    /// IANA zone; the site's by default.
    pub timezone: Option<Spanned<String>>,
    /// An RRULE, e.g. `FREQ=WEEKLY;BYDAY=SA`.
    pub repeat: Option<Spanned<String>>,
    /// Occurrences that do not happen.
    pub exdates: Vec<Spanned<String>>,
    /// Where.
    pub location: Option<Location>,
    /// Chapter id.
    pub chapter: Option<Spanned<String>>,
    /// Member ids of the hosts.
    pub hosts: Vec<Spanned<String>>,
    /// `scheduled`, `cancelled` or `postponed`.
    pub status: Option<Spanned<String>>,
    /// Sign-up link.
    pub registration: Option<String>,
}

/// A photo in an activity recap's bundle.
#[derive(Debug, Clone, Deserialize)]
pub struct Photo {
    /// File name in the bundle.
    pub file: Spanned<String>,
    /// Alternative text (required for accessibility; a warning when missing).
    #[serde(default)]
    pub alt: Option<String>,
    /// Optional caption.
    #[serde(default)]
    pub caption: Option<String>,
}

/// Activity recap fields (pages in a section of kind `activities`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ActivityFm {
    /// The event this recap is of: `@/events/x.md`.
    pub event: Option<Spanned<String>>,
    /// Chapter id.
    pub chapter: Option<Spanned<String>>,
    /// Member ids of the hosts.
    pub hosts: Vec<Spanned<String>>,
    /// Photos in the page bundle.
    pub photos: Vec<Photo>,
}

/// A showcased work on a member's page.
#[derive(Debug, Clone, Deserialize)]
pub struct Showcase {
    /// Name of the work.
    pub title: String,
    /// Image in the member's bundle.
    #[serde(default)]
    pub image: Option<Spanned<String>>,
    /// Where to see it.
    #[serde(default)]
    pub url: Option<String>,
    /// One or two sentences.
    #[serde(default)]
    pub description: Option<String>,
}

/// Member profile fields (pages in a section of kind `members`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct MemberFm {
    /// Role ids from `[[roles]]`.
    pub roles: Vec<Spanned<String>>,
    /// Chapter id.
    pub chapter: Option<Spanned<String>>,
    /// When they joined.
    pub joined: Option<Spanned<DateValue>>,
    /// Avatar image in the bundle.
    pub avatar: Option<Spanned<String>>,
    /// Links by label (website, github, weibo, …).
    pub links: BTreeMap<String, String>,
    /// Works they show.
    pub showcase: Vec<Showcase>,
}

/// Chapter fields (pages in a section of kind `chapters`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ChapterFm {
    /// City, or "online".
    pub city: Option<String>,
    /// The chapter's time zone, when not the site's.
    pub timezone: Option<Spanned<String>>,
    /// Member ids of the organizers.
    pub organizers: Vec<Spanned<String>>,
    /// Where and when they meet, in words.
    pub meets: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_toml_and_yaml_with_offsets() {
        let t = "+++\ntitle = \"a\"\n+++\nbody\n";
        let s = split(t).unwrap();
        assert_eq!(s.front, Some(("title = \"a\"\n", Format::Toml)));
        assert_eq!(&t[s.body_offset..], "body\n");
        let y = "---\r\ntitle: a\r\n---  \r\nbody";
        let s = split(y).unwrap();
        assert_eq!(s.front.unwrap().1, Format::Yaml);
        assert_eq!(s.body, "body");
        assert!(split("+++\ntitle = 1\n").is_err());
        assert!(split("no front matter").unwrap().front.is_none());
        assert!(split("+++").is_err());
    }

    #[test]
    fn the_other_syntax_is_recognised_only_when_it_parses_into_fields() {
        let yaml = "title: 关于我们\ntags: [books, 读书]\ndate: 2026-11-02\n";
        assert!(parse(yaml, Format::Toml, 0).is_err());
        assert_eq!(other_format(yaml, Format::Toml), Some(Format::Yaml));
        let toml = "title = \"关于\"\ntags = [\"a\"]\n";
        assert_eq!(other_format(toml, Format::Yaml), Some(Format::Toml));
        // A TOML mistake is not YAML: unquoted text reads as one YAML string.
        assert_eq!(other_format("title = 读书会\n", Format::Toml), None);
        assert_eq!(
            other_format("title = \"x\"\ntags: [a\n", Format::Toml),
            None
        );
        assert_eq!(other_format("", Format::Toml), None);
    }

    #[test]
    fn dates_are_checked() {
        assert!(DateValue::parse("2026-11-02").is_ok());
        assert!(DateValue::parse("2026-11-02T20:00").unwrap().time.is_some());
        assert_eq!(
            DateValue::parse("2026-11-02T20:00:00+08:00")
                .unwrap()
                .offset,
            Some(8 * 3600)
        );
        assert!(
            DateValue::parse("2026-13-01")
                .unwrap_err()
                .contains("month 13")
        );
        assert!(
            DateValue::parse("2026-02-30")
                .unwrap_err()
                .contains("day 30")
        );
        assert!(DateValue::parse("next friday").is_err());
    }
}
