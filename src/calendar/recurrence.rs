//! Recurrence rules (RFC 5545 `RRULE`): parsing, validation and expansion.
//!
//! # Why this is written here rather than taken from the `rrule` crate
//!
//! The `rrule` crate implements the whole of RFC 5545 but is built on
//! `chrono` and `chrono-tz`. Hearth already uses `jiff` for every time zone
//! question, and pulling in a second date library *and a second copy of the
//! tz database* would mean two sources of truth that can disagree about an
//! offset (and a noticeably bigger binary), plus conversions at every
//! boundary. Its error messages are also aimed at programmers, while ours
//! are read by people editing front matter.
//!
//! Community events use a small part of the standard: "every Saturday",
//! "first Sunday of the month", "last Friday", "every other week",
//! "until December". This module implements that part carefully:
//! `FREQ=DAILY|WEEKLY|MONTHLY|YEARLY`, `INTERVAL`, `COUNT`, `UNTIL`,
//! `BYDAY` (with ordinals such as `1SU` or `-1FR` for MONTHLY/YEARLY),
//! `BYMONTHDAY` (negative counts from the month's end), `BYMONTH`,
//! `BYSETPOS` and `WKST`, following the expand/limit table of RFC 5545
//! §3.3.10. Everything else (`BYHOUR`, `BYMINUTE`, `BYSECOND`, `BYYEARDAY`,
//! `BYWEEKNO`, sub-daily frequencies) is refused with an error that names the
//! part, so a rule is never silently misread.
//!
//! Expansion happens on wall-clock dates in the event's zone: every
//! occurrence has the start's local time of day, so a weekly 20:00 event in
//! Europe/Berlin stays at 20:00 across DST changes. Only the final step turns
//! a wall-clock time into an instant, with RFC 5545's rule for the two DST
//! edge cases (jiff calls it "compatible"): a time that does not exist
//! because clocks sprang forward is moved later by the length of the gap,
//! and a time that happens twice when clocks fall back means the first one.
//!
//! Two stricter-than-RFC checks keep results well defined: the start must
//! itself be an occurrence of the rule (RFC 5545 leaves the other case
//! undefined, and clients disagree), and `UNTIL` is normalised to the form
//! the start implies (a date for all-day events, a UTC instant otherwise).

use std::fmt;

use jiff::civil::{Date, DateTime, Weekday};
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp};

use super::error::{CalendarError, err};
use super::parse::{LocalTime, fmt_datetime_minutes, parse_local};

/// How often the rule's period repeats. Sub-daily frequencies are not
/// supported: a community event that happens several times a day is better
/// written as separate events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Frequency {
    /// Every `INTERVAL` days.
    Daily,
    /// Every `INTERVAL` weeks (weeks begin on `WKST`).
    Weekly,
    /// Every `INTERVAL` months.
    Monthly,
    /// Every `INTERVAL` years.
    Yearly,
}

impl Frequency {
    /// The RFC 5545 keyword, used when writing the rule back out.
    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Daily => "DAILY",
            Frequency::Weekly => "WEEKLY",
            Frequency::Monthly => "MONTHLY",
            Frequency::Yearly => "YEARLY",
        }
    }
}

/// One `BYDAY` entry: a weekday, optionally with an ordinal such as `1`
/// (first) or `-1` (last) within the month or year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ByDay {
    /// `Some(n)`: the n-th such weekday (negative counts from the end);
    /// `None`: every such weekday.
    pub ordinal: Option<i8>,
    /// The weekday.
    pub weekday: Weekday,
}

/// The end of a rule given by `UNTIL`, already normalised to the event's
/// kind so that writing it back out cannot produce a mismatched form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Until {
    /// For all-day events: the last date that may occur (inclusive).
    Date(Date),
    /// For timed events: the last instant at which an occurrence may start
    /// (inclusive); written in UTC as RFC 5545 requires.
    Instant(Timestamp),
}

/// A parsed, validated and normalised recurrence rule.
///
/// Lists are sorted and deduplicated, so two spellings of the same rule
/// compare equal and are written out identically.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Rule {
    freq: Frequency,
    interval: u32,
    count: Option<u32>,
    until: Option<Until>,
    by_day: Vec<ByDay>,
    by_month_day: Vec<i8>,
    by_month: Vec<i8>,
    by_set_pos: Vec<i16>,
    wkst: Weekday,
}

/// The largest `COUNT` accepted: a daily event for about 27 years. Larger
/// values are almost certainly typos and would make expansion slow.
pub const MAX_COUNT: u32 = 10_000;
/// The largest `INTERVAL` accepted, for the same reason.
pub const MAX_INTERVAL: u32 = 1_000;

impl Rule {
    /// The repetition frequency.
    pub fn freq(&self) -> Frequency {
        self.freq
    }
    /// Periods between occurrences' periods (1 = every period).
    pub fn interval(&self) -> u32 {
        self.interval
    }
    /// Total number of occurrences, counting the start and any that an
    /// exception date later removes (as RFC 5545 counts them).
    pub fn count(&self) -> Option<u32> {
        self.count
    }
    /// The inclusive end of the rule.
    pub fn until(&self) -> Option<Until> {
        self.until
    }
    /// `BYDAY` entries, sorted.
    pub fn by_day(&self) -> &[ByDay] {
        &self.by_day
    }
    /// `BYMONTHDAY` entries (negative = from the month's end), sorted.
    pub fn by_month_day(&self) -> &[i8] {
        &self.by_month_day
    }
    /// `BYMONTH` entries (1-12), sorted.
    pub fn by_month(&self) -> &[i8] {
        &self.by_month
    }
    /// `BYSETPOS` entries, sorted.
    pub fn by_set_pos(&self) -> &[i16] {
        &self.by_set_pos
    }
    /// The first day of the week (`WKST`), which matters for weekly rules
    /// with an interval above 1.
    pub fn week_start(&self) -> Weekday {
        self.wkst
    }
    /// Whether the rule ends (by `COUNT` or `UNTIL`).
    pub fn is_finite(&self) -> bool {
        self.count.is_some() || self.until.is_some()
    }

    /// The same rule ending at `until` instead of its own `COUNT` or
    /// `UNTIL`: for a link that adds the series from a later occurrence on,
    /// where a count would count from the wrong start.
    pub(crate) fn ending_at(&self, until: Until) -> Rule {
        Rule {
            count: None,
            until: Some(until),
            ..self.clone()
        }
    }

    /// The rule in RFC 5545 form without the `RRULE:` prefix, parts in a
    /// fixed order so that output is byte-for-byte stable.
    pub fn to_ics(&self) -> String {
        let mut parts = vec![format!("FREQ={}", self.freq.as_str())];
        match self.until {
            Some(Until::Date(d)) => parts.push(format!("UNTIL={}", ics_date(d))),
            Some(Until::Instant(ts)) => parts.push(format!("UNTIL={}", ics_utc(ts))),
            None => {}
        }
        if let Some(c) = self.count {
            parts.push(format!("COUNT={c}"));
        }
        if self.interval != 1 {
            parts.push(format!("INTERVAL={}", self.interval));
        }
        if !self.by_month.is_empty() {
            parts.push(format!("BYMONTH={}", join(&self.by_month)));
        }
        if !self.by_month_day.is_empty() {
            parts.push(format!("BYMONTHDAY={}", join(&self.by_month_day)));
        }
        if !self.by_day.is_empty() {
            let days: Vec<String> = self
                .by_day
                .iter()
                .map(|d| match d.ordinal {
                    Some(n) => format!("{n}{}", weekday_code(d.weekday)),
                    None => weekday_code(d.weekday).to_string(),
                })
                .collect();
            parts.push(format!("BYDAY={}", days.join(",")));
        }
        if !self.by_set_pos.is_empty() {
            parts.push(format!("BYSETPOS={}", join(&self.by_set_pos)));
        }
        if self.wkst != Weekday::Monday {
            parts.push(format!("WKST={}", weekday_code(self.wkst)));
        }
        parts.join(";")
    }
}

impl fmt::Display for Rule {
    /// The normalised RFC 5545 form (see [`Rule::to_ics`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_ics())
    }
}

fn join<T: fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

/// `20261212`
pub(crate) fn ics_date(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
}

/// `20260301T150000`
pub(crate) fn ics_datetime(dt: DateTime) -> String {
    format!(
        "{}T{:02}{:02}{:02}",
        ics_date(dt.date()),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

/// `20260301T140000Z`
pub(crate) fn ics_utc(ts: Timestamp) -> String {
    format!("{}Z", ics_datetime(TimeZone::UTC.to_datetime(ts)))
}

pub(crate) fn weekday_code(w: Weekday) -> &'static str {
    match w {
        Weekday::Monday => "MO",
        Weekday::Tuesday => "TU",
        Weekday::Wednesday => "WE",
        Weekday::Thursday => "TH",
        Weekday::Friday => "FR",
        Weekday::Saturday => "SA",
        Weekday::Sunday => "SU",
    }
}

pub(crate) fn weekday_name(w: Weekday) -> &'static str {
    match w {
        Weekday::Monday => "Monday",
        Weekday::Tuesday => "Tuesday",
        Weekday::Wednesday => "Wednesday",
        Weekday::Thursday => "Thursday",
        Weekday::Friday => "Friday",
        Weekday::Saturday => "Saturday",
        Weekday::Sunday => "Sunday",
    }
}

fn parse_weekday(code: &str) -> Option<Weekday> {
    Some(match code {
        "MO" => Weekday::Monday,
        "TU" => Weekday::Tuesday,
        "WE" => Weekday::Wednesday,
        "TH" => Weekday::Thursday,
        "FR" => Weekday::Friday,
        "SA" => Weekday::Saturday,
        "SU" => Weekday::Sunday,
        _ => return None,
    })
}

const SUPPORTED: &str = "supported parts are FREQ (DAILY, WEEKLY, MONTHLY, YEARLY), INTERVAL, COUNT, \
     UNTIL, BYDAY, BYMONTHDAY, BYMONTH, BYSETPOS and WKST, e.g. `FREQ=WEEKLY;BYDAY=SA` or \
     `FREQ=MONTHLY;BYDAY=1SU`";

/// Parses and validates an RFC 5545 recurrence rule for an event starting
/// at `start` in `tz`.
///
/// The start is needed because a rule is only meaningful relative to it:
/// `UNTIL` is checked to be no earlier than the start and normalised to the
/// start's kind (a date for all-day starts, an instant otherwise; a plain
/// date given for a timed event means "through the end of that local day"),
/// and the start must be one of the rule's occurrences. An `RRULE:` prefix
/// and lowercase are accepted; parts may appear in any order.
pub fn parse_rrule(s: &str, start: &LocalTime, tz: &TimeZone) -> Result<Rule, CalendarError> {
    let text = s.trim();
    let body = strip_prefix_ci(text, "RRULE:").unwrap_or(text).trim();
    if body.is_empty() {
        return Err(err("the recurrence rule is empty", SUPPORTED));
    }
    if body.contains(['\n', '\r']) {
        return Err(err(
            "the recurrence rule spans several lines",
            format!("write one rule on one line; {SUPPORTED}"),
        ));
    }

    let mut freq = None;
    let mut interval = None;
    let mut count = None;
    let mut until_raw: Option<String> = None;
    let mut by_day = None;
    let mut by_month_day = None;
    let mut by_month = None;
    let mut by_set_pos = None;
    let mut wkst = None;
    let mut seen: Vec<String> = Vec::new();

    for part in body.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((name, value)) = part.split_once('=') else {
            return Err(err(
                format!("`{part}` in the recurrence rule has no `=`"),
                format!("rule parts are written NAME=VALUE and separated by `;`; {SUPPORTED}"),
            ));
        };
        let name = name.trim().to_ascii_uppercase();
        let value = value.trim();
        if value.is_empty() {
            return Err(err(
                format!("`{name}` in the recurrence rule has no value"),
                SUPPORTED,
            ));
        }
        if seen.contains(&name) {
            return Err(err(
                format!("`{name}` appears twice in the recurrence rule"),
                "give each part once; list several values with commas, e.g. `BYDAY=SA,SU`",
            ));
        }
        seen.push(name.clone());
        let upper = value.to_ascii_uppercase();
        match name.as_str() {
            "FREQ" => {
                freq = Some(match upper.as_str() {
                    "DAILY" => Frequency::Daily,
                    "WEEKLY" => Frequency::Weekly,
                    "MONTHLY" => Frequency::Monthly,
                    "YEARLY" => Frequency::Yearly,
                    "SECONDLY" | "MINUTELY" | "HOURLY" => {
                        return Err(err(
                            format!("`FREQ={upper}` is not supported"),
                            "events repeat at most daily here; for several sessions a day, write \
                             separate events. Use FREQ=DAILY, WEEKLY, MONTHLY or YEARLY",
                        ));
                    }
                    _ => {
                        return Err(err(
                            format!("`FREQ={value}` is not a frequency"),
                            "use FREQ=DAILY, FREQ=WEEKLY, FREQ=MONTHLY or FREQ=YEARLY",
                        ));
                    }
                });
            }
            "INTERVAL" => {
                interval = Some(parse_int_part(&name, value, 1, i64::from(MAX_INTERVAL))? as u32);
            }
            "COUNT" => {
                count = Some(parse_int_part(&name, value, 1, i64::from(MAX_COUNT))? as u32);
            }
            "UNTIL" => until_raw = Some(value.to_string()),
            "BYDAY" => {
                let mut list = Vec::new();
                for item in upper.split(',').map(str::trim) {
                    list.push(parse_by_day(item)?);
                }
                by_day = Some(list);
            }
            "BYMONTHDAY" => {
                let mut list = Vec::new();
                for item in value.split(',').map(str::trim) {
                    let n = parse_int_part(&name, item, -31, 31)?;
                    if n == 0 {
                        return Err(err(
                            "`BYMONTHDAY=0` is not a day of the month",
                            "use 1 to 31, or -1 for the last day, -2 for the day before, ...",
                        ));
                    }
                    list.push(n as i8);
                }
                by_month_day = Some(list);
            }
            "BYMONTH" => {
                let mut list = Vec::new();
                for item in value.split(',').map(str::trim) {
                    list.push(parse_int_part(&name, item, 1, 12)? as i8);
                }
                by_month = Some(list);
            }
            "BYSETPOS" => {
                let mut list = Vec::new();
                for item in value.split(',').map(str::trim) {
                    let n = parse_int_part(&name, item, -366, 366)?;
                    if n == 0 {
                        return Err(err(
                            "`BYSETPOS=0` selects nothing",
                            "use 1 for the first match in each period, -1 for the last, ...",
                        ));
                    }
                    list.push(n as i16);
                }
                by_set_pos = Some(list);
            }
            "WKST" => {
                wkst = Some(parse_weekday(&upper).ok_or_else(|| {
                    err(
                        format!("`WKST={value}` is not a weekday"),
                        "use one of MO, TU, WE, TH, FR, SA, SU",
                    )
                })?);
            }
            "BYHOUR" | "BYMINUTE" | "BYSECOND" => {
                return Err(err(
                    format!("`{name}` is not supported in recurrence rules"),
                    format!(
                        "the time of day comes from the event's start; for several times a day, \
                         write separate events. {SUPPORTED}"
                    ),
                ));
            }
            "BYYEARDAY" | "BYWEEKNO" => {
                return Err(err(
                    format!("`{name}` is not supported in recurrence rules"),
                    format!(
                        "express the dates with BYMONTH plus BYMONTHDAY or BYDAY instead; {SUPPORTED}"
                    ),
                ));
            }
            _ => {
                return Err(err(
                    format!("unknown recurrence rule part `{name}`"),
                    SUPPORTED,
                ));
            }
        }
    }

    let Some(freq) = freq else {
        return Err(err(
            "the recurrence rule has no FREQ",
            format!("every rule starts with FREQ, e.g. `FREQ=WEEKLY;BYDAY=SA`; {SUPPORTED}"),
        ));
    };
    if count.is_some() && until_raw.is_some() {
        return Err(err(
            "the recurrence rule has both COUNT and UNTIL",
            "a rule ends either after a number of times (COUNT) or at a date (UNTIL); keep one",
        ));
    }

    let mut by_day = by_day.unwrap_or_default();
    let mut by_month_day = by_month_day.unwrap_or_default();
    let mut by_month = by_month.unwrap_or_default();
    let mut by_set_pos = by_set_pos.unwrap_or_default();

    // Every position is checked, not only the first one written: with
    // `BYDAY=1SA,-6SA` the impossible -6 went through, and the rule written
    // back out (sorted: `BYDAY=-6SA,1SA`) no longer parsed (found by the
    // rrule fuzz target).
    for ordinal in by_day.iter().filter_map(|d| d.ordinal) {
        match freq {
            Frequency::Daily | Frequency::Weekly => {
                return Err(err(
                    format!(
                        "`BYDAY` with a position (like `{ordinal}SU`) needs FREQ=MONTHLY or FREQ=YEARLY"
                    ),
                    "for FREQ=DAILY or WEEKLY list plain weekdays, e.g. `BYDAY=SA`; for \"first \
                     Sunday of the month\" write `FREQ=MONTHLY;BYDAY=1SU`",
                ));
            }
            Frequency::Monthly if ordinal.abs() > 5 => {
                return Err(err(
                    format!("`BYDAY` position {ordinal} is impossible within a month"),
                    "a month has at most five of each weekday: use 1 to 5, or -1 to -5 from the end",
                ));
            }
            Frequency::Yearly if !by_month.is_empty() && ordinal.abs() > 5 => {
                return Err(err(
                    format!("`BYDAY` position {ordinal} is impossible within a month"),
                    "with BYMONTH the position counts within the month: use 1 to 5 or -1 to -5",
                ));
            }
            _ => {}
        }
    }
    if freq == Frequency::Weekly && !by_month_day.is_empty() {
        return Err(err(
            "`BYMONTHDAY` cannot be combined with FREQ=WEEKLY",
            "use FREQ=MONTHLY;BYMONTHDAY=... for days of the month, or BYDAY for weekdays",
        ));
    }
    if !by_set_pos.is_empty() && by_day.is_empty() && by_month_day.is_empty() && by_month.is_empty()
    {
        return Err(err(
            "`BYSETPOS` needs another BY part to choose from",
            "for example `FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1` is the last weekday of each month",
        ));
    }

    by_day.sort_by_key(|d| (d.ordinal.unwrap_or(0), d.weekday.to_monday_zero_offset()));
    by_day.dedup();
    by_month_day.sort_unstable();
    by_month_day.dedup();
    by_month.sort_unstable();
    by_month.dedup();
    by_set_pos.sort_unstable();
    by_set_pos.dedup();

    let all_day = start.is_date();
    let start_local = start.to_datetime_in(tz);
    let until = match until_raw {
        None => None,
        Some(raw) => Some(parse_until(&raw, all_day, tz)?),
    };

    let rule = Rule {
        freq,
        interval: interval.unwrap_or(1),
        count,
        until,
        by_day,
        by_month_day,
        by_month,
        by_set_pos,
        wkst: wkst.unwrap_or(Weekday::Monday),
    };
    rule.check_start(start_local, all_day, tz)?;
    Ok(rule)
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

fn parse_int_part(name: &str, value: &str, min: i64, max: i64) -> Result<i64, CalendarError> {
    let n: i64 = value.parse().map_err(|_| {
        err(
            format!("`{name}={value}` is not a whole number"),
            format!("{name} takes whole numbers from {min} to {max}"),
        )
    })?;
    if n < min || n > max {
        return Err(err(
            format!("`{name}={value}` is out of range"),
            format!("{name} takes whole numbers from {min} to {max}"),
        ));
    }
    Ok(n)
}

fn parse_by_day(item: &str) -> Result<ByDay, CalendarError> {
    let help = "write weekdays as MO, TU, WE, TH, FR, SA, SU, optionally with a position for \
                MONTHLY/YEARLY rules: `1SU` (first Sunday), `-1FR` (last Friday)";
    let code_start = item.len().saturating_sub(2);
    let (num, code) = (item.get(..code_start), item.get(code_start..));
    let (Some(num), Some(code)) = (num, code) else {
        return Err(err(format!("`BYDAY={item}` is not a weekday"), help));
    };
    let Some(weekday) = parse_weekday(code) else {
        return Err(err(format!("`{item}` in BYDAY is not a weekday"), help));
    };
    let ordinal = if num.is_empty() {
        None
    } else {
        let digits = num.strip_prefix(['+', '-']).unwrap_or(num);
        if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err(
                format!("`{item}` in BYDAY has an invalid position"),
                help,
            ));
        }
        let n: i8 = num
            .trim_start_matches('+')
            .parse()
            .map_err(|_| err(format!("`{item}` in BYDAY has an invalid position"), help))?;
        if n == 0 || n.abs() > 53 {
            return Err(err(
                format!("`{item}` in BYDAY has position {n}"),
                "positions run 1 to 5 within a month (or to 53 within a year), or -1 backwards from the end",
            ));
        }
        Some(n)
    };
    Ok(ByDay { ordinal, weekday })
}

fn parse_until(raw: &str, all_day: bool, tz: &TimeZone) -> Result<Until, CalendarError> {
    let upper = raw.to_ascii_uppercase();
    let value = if raw.contains(['-', ':']) {
        parse_local(raw).map_err(|e| {
            err(
                format!("`UNTIL={raw}` is not a date: {}", e.message()),
                "write UNTIL as a date, e.g. `UNTIL=20261231` (or `UNTIL=20261231T230000Z` for a UTC time)",
            )
        })?
    } else {
        parse_compact(&upper).ok_or_else(|| {
            err(
                format!("`UNTIL={raw}` is not a date"),
                "write UNTIL as a date, e.g. `UNTIL=20261231` (or `UNTIL=20261231T230000Z` for a UTC time)",
            )
        })?
    };
    match (value, all_day) {
        (LocalTime::Date(d), true) => Ok(Until::Date(d)),
        (_, true) => Err(err(
            format!("`UNTIL={raw}` has a time, but the event is all-day"),
            "for all-day events UNTIL must be a date, e.g. `UNTIL=20261231`",
        )),
        (LocalTime::Date(d), false) => {
            // Through the end of that day in the event's zone.
            let last = d.to_datetime(jiff::civil::Time::constant(23, 59, 59, 0));
            resolve(tz, last)
                .map(|z| Until::Instant(z.timestamp()))
                .ok_or_else(|| err(format!("`UNTIL={raw}` is out of range"), "check the year"))
        }
        (LocalTime::DateTime(dt), false) => resolve(tz, dt)
            .map(|z| Until::Instant(z.timestamp()))
            .ok_or_else(|| err(format!("`UNTIL={raw}` is out of range"), "check the year")),
        (LocalTime::Exact(ts), false) => Ok(Until::Instant(ts)),
    }
}

/// `YYYYMMDD`, `YYYYMMDDTHHMMSS` or `YYYYMMDDTHHMMSSZ`.
fn parse_compact(s: &str) -> Option<LocalTime> {
    if !s.is_ascii() {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i32> {
        let part = s.get(r)?;
        if !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let (y, m, d) = (num(0..4)?, num(4..6)?, num(6..8)?);
    let date = Date::new(
        i16::try_from(y).ok()?,
        i8::try_from(m).ok()?,
        i8::try_from(d).ok()?,
    )
    .ok()?;
    if y < 1 {
        return None;
    }
    match s.len() {
        8 => Some(LocalTime::Date(date)),
        15 | 16 => {
            if s.as_bytes().get(8) != Some(&b'T') {
                return None;
            }
            let (hh, mm, ss) = (num(9..11)?, num(11..13)?, num(13..15)?);
            let time = jiff::civil::Time::new(
                i8::try_from(hh).ok()?,
                i8::try_from(mm).ok()?,
                i8::try_from(ss).ok()?,
                0,
            )
            .ok()?;
            let dt = date.to_datetime(time);
            if s.len() == 16 {
                if s.as_bytes().get(15) != Some(&b'Z') {
                    return None;
                }
                Some(LocalTime::Exact(TimeZone::UTC.to_timestamp(dt).ok()?))
            } else {
                Some(LocalTime::DateTime(dt))
            }
        }
        _ => None,
    }
}

/// Wall-clock time to instant with RFC 5545's DST handling: a time in a
/// spring-forward gap moves later by the gap's length, a time in a
/// fall-back fold means its first occurrence. `None` only at the edges of
/// the representable range.
pub(crate) fn resolve(tz: &TimeZone, dt: DateTime) -> Option<jiff::ZonedDateTime> {
    tz.to_ambiguous_zoned_datetime(dt).compatible().ok()
}

pub(crate) fn add_days(d: Date, n: i64) -> Option<Date> {
    d.checked_add(Span::new().try_days(n).ok()?).ok()
}

impl Rule {
    /// Checks the rule against the event start: `UNTIL` kind and order, and
    /// that the start is itself an occurrence. Shared by [`parse_rrule`]
    /// and `EventTime::new` so a rule parsed for one start cannot be
    /// attached to another unchecked.
    pub(crate) fn check_start(
        &self,
        start: DateTime,
        all_day: bool,
        tz: &TimeZone,
    ) -> Result<(), CalendarError> {
        match (self.until, all_day) {
            (Some(Until::Date(u)), true) if u < start.date() => {
                return Err(err(
                    format!(
                        "the rule ends (UNTIL {u}) before the event starts ({})",
                        start.date()
                    ),
                    "UNTIL is the last date the event may happen; it must be on or after the start",
                ));
            }
            (Some(Until::Instant(u)), false) => {
                if let Some(s) = resolve(tz, start)
                    && u < s.timestamp()
                {
                    return Err(err(
                        format!(
                            "the rule ends (UNTIL {}) before the event starts ({})",
                            u.to_zoned_datetime(tz.clone()).strftime("%Y-%m-%d %H:%M"),
                            fmt_datetime_minutes(start)
                        ),
                        "UNTIL is the last time the event may happen; it must be on or after the start",
                    ));
                }
            }
            (Some(Until::Instant(_)), true) => {
                return Err(err(
                    "the rule's UNTIL has a time, but the event is all-day",
                    "for all-day events UNTIL must be a date, e.g. `UNTIL=20261231`",
                ));
            }
            (Some(Until::Date(_)), false) => {
                return Err(err(
                    "the rule's UNTIL is a plain date, but the event has a start time",
                    "parse the rule with the event's start so UNTIL becomes an instant",
                ));
            }
            _ => {}
        }
        let first_period = self.period_dates(start.date(), 0).unwrap_or_default();
        if first_period.contains(&start.date()) {
            return Ok(());
        }
        // Find what the first occurrence would have been, for the hint.
        let mut hint = String::new();
        for k in 0..2_000 {
            let Some(dates) = self.period_dates(start.date(), k) else {
                break;
            };
            if let Some(d) = dates.into_iter().find(|d| *d > start.date()) {
                hint = format!(
                    "; the first date the rule produces after it is {} {d}",
                    weekday_name(d.weekday())
                );
                break;
            }
        }
        Err(err(
            format!(
                "the start, {} {}, is not one of the dates the rule `{}` produces{hint}",
                weekday_name(start.weekday()),
                start.date(),
                self.to_ics()
            ),
            "move the start to the first occurrence (or change the rule): the start date is \
             always the first occurrence",
        ))
    }

    /// The first date of period `k` (counting from the period that holds
    /// `start`), or `None` past the supported range of years.
    fn period_anchor(&self, start: Date, k: i64) -> Option<Date> {
        let step = k.checked_mul(i64::from(self.interval))?;
        match self.freq {
            Frequency::Daily => add_days(start, step),
            Frequency::Weekly => {
                let week_start = add_days(start, -i64::from(start.weekday().since(self.wkst)))?;
                add_days(week_start, step.checked_mul(7)?)
            }
            Frequency::Monthly => {
                let total = i64::from(start.year()) * 12 + i64::from(start.month() - 1) + step;
                let year = total.div_euclid(12);
                let month = total.rem_euclid(12) + 1;
                if !(1..=9999).contains(&year) {
                    return None;
                }
                Date::new(year as i16, month as i8, 1).ok()
            }
            Frequency::Yearly => {
                let year = i64::from(start.year()) + step;
                if !(1..=9999).contains(&year) {
                    return None;
                }
                Date::new(year as i16, 1, 1).ok()
            }
        }
    }

    /// The period (counted as for [`Rule::period_anchor`]) that holds `d`,
    /// or 0 when `d` is in or before the first period. Periods follow each
    /// other without overlap and keep their dates inside them, so no earlier
    /// period produces a date on or after `d`: expansion can start here.
    pub(crate) fn period_of(&self, start: Date, d: Date) -> i64 {
        let days = |from: Date, to: Date| from.until(to).map(|s| i64::from(s.get_days()));
        let week_start = |x: Date| add_days(x, -i64::from(x.weekday().since(self.wkst)));
        let units = match self.freq {
            Frequency::Daily => days(start, d).ok(),
            Frequency::Weekly => match (week_start(start), week_start(d)) {
                (Some(a), Some(b)) => days(a, b).ok().map(|n| n.div_euclid(7)),
                _ => None,
            },
            Frequency::Monthly => Some(
                (i64::from(d.year()) - i64::from(start.year())) * 12 + i64::from(d.month())
                    - i64::from(start.month()),
            ),
            Frequency::Yearly => Some(i64::from(d.year()) - i64::from(start.year())),
        };
        // Unknown (out of range): 0 is always safe, merely slower.
        units.map_or(0, |u| u.div_euclid(i64::from(self.interval.max(1))).max(0))
    }

    /// The period to continue at after period `k` produced no date: the
    /// first that may produce one according to `BYMONTH` (and, for DAILY,
    /// `BYMONTHDAY`), so a sparse rule such as "every 29 February" written
    /// as `FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29` skips the days in between
    /// instead of trying each. Never skips a period that produces a date.
    fn period_after_empty(&self, start: Date, k: i64) -> i64 {
        let next = k.saturating_add(1);
        let Some(anchor) = self.period_anchor(start, next) else {
            return next;
        };
        let target = match self.freq {
            // Every date of a week or month is in one of the BYMONTH months.
            Frequency::Daily | Frequency::Weekly | Frequency::Monthly => self.next_allowed(anchor),
            Frequency::Yearly => anchor,
        };
        self.period_of(start, target).max(next)
    }

    /// The first date on or after `from` in a `BYMONTH` month and, for
    /// DAILY rules, on a `BYMONTHDAY` day: no earlier date can occur.
    /// `from` itself when there is no such filter or none is found soon.
    fn next_allowed(&self, from: Date) -> Date {
        let days = self.freq == Frequency::Daily && !self.by_month_day.is_empty();
        if self.by_month.is_empty() && !days {
            return from;
        }
        let (mut year, mut month) = (from.year(), from.month());
        let mut min_day = from.day();
        // A day of the month recurs within 8 years (29 February); look 50.
        for _ in 0..600 {
            if self.month_ok_number(month) {
                let day = if days {
                    self.by_month_day
                        .iter()
                        .filter_map(|md| month_day(year, month, *md))
                        .map(|d| d.day())
                        .filter(|d| *d >= min_day)
                        .min()
                } else {
                    Some(min_day)
                };
                if let Some(day) = day {
                    return Date::new(year, month, day).unwrap_or(from);
                }
            }
            min_day = 1;
            month += 1;
            if month > 12 {
                month = 1;
                year += 1;
                if year > 9999 {
                    break;
                }
            }
        }
        from
    }

    fn month_ok_number(&self, month: i8) -> bool {
        self.by_month.is_empty() || self.by_month.contains(&month)
    }

    /// Whether an occurrence at `dt` would be past `UNTIL`. Occurrences all
    /// share one wall-clock time, so this is monotonic in `dt`.
    fn past_until(&self, dt: DateTime, tz: &TimeZone) -> bool {
        match self.until {
            Some(Until::Date(u)) => dt.date() > u,
            Some(Until::Instant(u)) => resolve(tz, dt).is_none_or(|z| z.timestamp() > u),
            None => false,
        }
    }

    /// For a rule without `COUNT`: the nearest occurrence (as a wall-clock
    /// start) on a date before `day` (`later == false`) or after it
    /// (`later == true`), looking through at most `max_periods` periods.
    /// Used for hints, so it may give up on very sparse rules.
    pub(crate) fn nearest_occurrence(
        &self,
        start: DateTime,
        tz: &TimeZone,
        day: Date,
        later: bool,
        max_periods: u32,
    ) -> Option<DateTime> {
        if self.count.is_some() {
            return None;
        }
        let s = start.date();
        // Nothing after UNTIL occurs: look back from there at the latest.
        let until_day = match self.until {
            Some(Until::Date(u)) => Some(u),
            Some(Until::Instant(u)) => Some(tz.to_datetime(u).date()),
            None => None,
        };
        let from = match until_day {
            Some(u) if !later && u < day => add_days(u, 1).unwrap_or(u),
            _ => day,
        };
        let mut k = self.period_of(s, from);
        for _ in 0..max_periods {
            let mut dates = self.period_dates(s, k)?;
            if !later {
                dates.reverse();
            }
            for date in dates {
                if (later && date <= day) || (!later && date >= day) {
                    continue;
                }
                let dt = date.to_datetime(start.time());
                if dt < start {
                    // Looking back, every remaining date is earlier still.
                    if later {
                        continue;
                    }
                    return None;
                }
                if self.past_until(dt, tz) {
                    if later {
                        return None;
                    }
                    continue;
                }
                return Some(dt);
            }
            if later {
                k += 1;
            } else if k == 0 {
                return None;
            } else {
                k -= 1;
            }
        }
        None
    }

    /// All dates the rule produces in period `k`, sorted, after BYSETPOS,
    /// including any before the start (the caller drops those). `None`
    /// means the period is out of range and expansion must stop.
    fn period_dates(&self, start: Date, k: i64) -> Option<Vec<Date>> {
        let anchor = self.period_anchor(start, k)?;
        let mut dates = match self.freq {
            Frequency::Daily => {
                let ok = self.month_ok(anchor)
                    && (self.by_month_day.is_empty()
                        || self.by_month_day.iter().any(|md| {
                            month_day(anchor.year(), anchor.month(), *md) == Some(anchor)
                        }))
                    && (self.by_day.is_empty()
                        || self.by_day.iter().any(|b| b.weekday == anchor.weekday()));
                if ok { vec![anchor] } else { Vec::new() }
            }
            Frequency::Weekly => {
                let mut out = Vec::new();
                for i in 0..7 {
                    let Some(d) = add_days(anchor, i) else {
                        continue;
                    };
                    let day_ok = if self.by_day.is_empty() {
                        d.weekday() == start.weekday()
                    } else {
                        self.by_day.iter().any(|b| b.weekday == d.weekday())
                    };
                    if day_ok && self.month_ok(d) {
                        out.push(d);
                    }
                }
                out
            }
            Frequency::Monthly => {
                if !self.month_ok(anchor) {
                    Vec::new()
                } else {
                    self.dates_in_month(anchor.year(), anchor.month(), start, Scope::Month)
                }
            }
            Frequency::Yearly => {
                let year = anchor.year();
                if self.by_month_day.is_empty()
                    && !self.by_day.is_empty()
                    && self.by_month.is_empty()
                {
                    self.by_day_in(anchor, anchor.last_of_year())
                } else {
                    let months: Vec<i8> = if !self.by_month.is_empty() {
                        self.by_month.clone()
                    } else if self.by_month_day.is_empty() && self.by_day.is_empty() {
                        vec![start.month()]
                    } else {
                        (1..=12).collect()
                    };
                    let scope = if self.by_month.is_empty() {
                        Scope::Year
                    } else {
                        Scope::Month
                    };
                    let mut out = Vec::new();
                    for m in months {
                        out.extend(self.dates_in_month(year, m, start, scope));
                    }
                    out
                }
            }
        };
        dates.sort_unstable();
        dates.dedup();
        if !self.by_set_pos.is_empty() {
            let n = dates.len() as i64;
            let mut picked: Vec<Date> = self
                .by_set_pos
                .iter()
                .filter_map(|&p| {
                    let idx = if p > 0 {
                        i64::from(p) - 1
                    } else {
                        n + i64::from(p)
                    };
                    usize::try_from(idx)
                        .ok()
                        .and_then(|i| dates.get(i))
                        .copied()
                })
                .collect();
            picked.sort_unstable();
            picked.dedup();
            dates = picked;
        }
        Some(dates)
    }

    fn month_ok(&self, d: Date) -> bool {
        self.month_ok_number(d.month())
    }

    /// The dates of one month for MONTHLY and YEARLY rules: BYMONTHDAY
    /// expands (BYDAY then limits), otherwise BYDAY expands, otherwise the
    /// start's day of month is used.
    fn dates_in_month(&self, year: i16, month: i8, start: Date, scope: Scope) -> Vec<Date> {
        let Ok(first) = Date::new(year, month, 1) else {
            return Vec::new();
        };
        if !self.by_month_day.is_empty() {
            self.by_month_day
                .iter()
                .filter_map(|md| month_day(year, month, *md))
                .filter(|d| {
                    self.by_day.is_empty()
                        || self.by_day.iter().any(|b| {
                            let (from, to) = match scope {
                                Scope::Month => (first, first.last_of_month()),
                                Scope::Year => (first.first_of_year(), first.last_of_year()),
                            };
                            b.weekday == d.weekday()
                                && b.ordinal
                                    .is_none_or(|n| nth_weekday(from, to, b.weekday, n) == Some(*d))
                        })
                })
                .collect()
        } else if !self.by_day.is_empty() {
            self.by_day_in(first, first.last_of_month())
        } else {
            month_day(year, month, start.day()).into_iter().collect()
        }
    }

    /// Expands BYDAY within `[from, to]`: plain weekdays give every such
    /// day, ordinals pick the n-th from either end.
    fn by_day_in(&self, from: Date, to: Date) -> Vec<Date> {
        let mut out = Vec::new();
        for b in &self.by_day {
            match b.ordinal {
                Some(n) => out.extend(nth_weekday(from, to, b.weekday, n)),
                None => {
                    let mut d = add_days(from, i64::from(b.weekday.since(from.weekday())));
                    while let Some(day) = d {
                        if day > to {
                            break;
                        }
                        out.push(day);
                        d = add_days(day, 7);
                    }
                }
            }
        }
        out
    }
}

#[derive(Clone, Copy)]
enum Scope {
    Month,
    Year,
}

/// Day `md` of the month (negative counts from the end), if it exists.
fn month_day(year: i16, month: i8, md: i8) -> Option<Date> {
    let first = Date::new(year, month, 1).ok()?;
    let dim = first.days_in_month();
    let day = if md > 0 { md } else { dim + md + 1 };
    if day < 1 || day > dim {
        return None;
    }
    Date::new(year, month, day).ok()
}

/// The n-th (negative: from the end) `weekday` within `[from, to]`.
fn nth_weekday(from: Date, to: Date, weekday: Weekday, n: i8) -> Option<Date> {
    let d = if n > 0 {
        let first = add_days(from, i64::from(weekday.since(from.weekday())))?;
        add_days(first, i64::from(n - 1) * 7)?
    } else {
        let last = add_days(to, -i64::from(to.weekday().since(weekday)))?;
        add_days(last, i64::from(n + 1) * 7)?
    };
    (d >= from && d <= to).then_some(d)
}

/// Iterates a rule's occurrences as wall-clock date-times, in order,
/// honouring COUNT and UNTIL but not exception dates (those are removed by
/// the caller, after counting, as RFC 5545 specifies).
pub(crate) struct Expander<'a> {
    rule: &'a Rule,
    start: DateTime,
    tz: &'a TimeZone,
    horizon: Option<Date>,
    period: i64,
    queue: std::vec::IntoIter<Date>,
    emitted: u32,
    done: bool,
    stopped_at_horizon: bool,
    /// Whether an empty period may be followed by a jump over periods that
    /// cannot produce a date ([`Rule::period_after_empty`]); off only in
    /// tests, to check that jumping changes nothing.
    jump_empty: bool,
}

impl<'a> Expander<'a> {
    /// `horizon`: stop once a period begins after this date, which bounds
    /// the work for rules with no end (and for sparse rules such as
    /// 29 February).
    pub(crate) fn new(
        rule: &'a Rule,
        start: DateTime,
        tz: &'a TimeZone,
        horizon: Option<Date>,
    ) -> Self {
        Expander {
            rule,
            start,
            tz,
            horizon,
            period: 0,
            queue: Vec::new().into_iter(),
            emitted: 0,
            done: false,
            stopped_at_horizon: false,
            jump_empty: true,
        }
    }

    /// Expands period by period, without jumping over empty ones.
    #[cfg(test)]
    fn without_jumps(mut self) -> Self {
        self.jump_empty = false;
        self
    }

    /// Starts at the period that holds `from` instead of the first, so that
    /// expanding near a far date does not walk through every period before
    /// it. Occurrences on dates before `from` may or may not be produced;
    /// those from `from` on are exactly as without skipping. A rule with
    /// `COUNT` is still expanded from the start, because every earlier
    /// occurrence counts (at most [`MAX_COUNT`] of them).
    pub(crate) fn skip_to(mut self, from: Date) -> Self {
        if self.rule.count.is_none() && self.period == 0 {
            self.period = self.rule.period_of(self.start.date(), from);
        }
        self
    }

    /// Whether iteration ended because of the horizon (so the rule may go
    /// on) rather than because the rule itself ended.
    pub(crate) fn stopped_at_horizon(&self) -> bool {
        self.stopped_at_horizon
    }
}

impl Iterator for Expander<'_> {
    type Item = DateTime;

    fn next(&mut self) -> Option<DateTime> {
        while !self.done {
            if let Some(date) = self.queue.next() {
                let dt = date.to_datetime(self.start.time());
                if dt < self.start {
                    continue;
                }
                if self.rule.count.is_some_and(|c| self.emitted >= c) {
                    self.done = true;
                    return None;
                }
                if self.rule.past_until(dt, self.tz) {
                    self.done = true;
                    return None;
                }
                self.emitted = self.emitted.saturating_add(1);
                return Some(dt);
            }
            let Some(anchor) = self.rule.period_anchor(self.start.date(), self.period) else {
                self.done = true;
                return None;
            };
            if self.horizon.is_some_and(|h| anchor > h) {
                self.done = true;
                self.stopped_at_horizon = true;
                return None;
            }
            let past_until = match self.rule.until {
                Some(Until::Date(u)) => anchor > u,
                // Every date of this period is later than the local date of
                // UNTIL, so every occurrence would be too.
                Some(Until::Instant(u)) => anchor > self.tz.to_datetime(u).date(),
                None => false,
            };
            if past_until {
                self.done = true;
                return None;
            }
            match self.rule.period_dates(self.start.date(), self.period) {
                Some(dates) => {
                    self.period = if dates.is_empty() && self.jump_empty {
                        self.rule.period_after_empty(self.start.date(), self.period)
                    } else {
                        self.period + 1
                    };
                    self.queue = dates.into_iter();
                }
                None => self.done = true,
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn berlin() -> TimeZone {
        TimeZone::get("Europe/Berlin").unwrap()
    }

    fn local(s: &str) -> LocalTime {
        parse_local(s).unwrap()
    }

    fn dates(rule: &str, start: &str, n: usize) -> Vec<String> {
        let tz = berlin();
        let st = local(start);
        let rule = parse_rrule(rule, &st, &tz).unwrap();
        let start_dt = st.to_datetime_in(&tz);
        Expander::new(&rule, start_dt, &tz, Some(date(2100, 1, 1)))
            .take(n)
            .map(|d| d.date().to_string())
            .collect()
    }

    #[test]
    fn weekly_and_interval() {
        assert_eq!(
            dates("FREQ=WEEKLY;BYDAY=SA", "2026-03-07T20:00", 4),
            ["2026-03-07", "2026-03-14", "2026-03-21", "2026-03-28"]
        );
        assert_eq!(
            dates("FREQ=WEEKLY", "2026-03-07T20:00", 2),
            ["2026-03-07", "2026-03-14"]
        );
        assert_eq!(
            dates("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH", "2026-03-03T19:00", 5),
            [
                "2026-03-03",
                "2026-03-05",
                "2026-03-17",
                "2026-03-19",
                "2026-03-31"
            ]
        );
    }

    #[test]
    fn wkst_changes_biweekly_grouping() {
        // RFC 5545's own example: WKST=MO and WKST=SU give different sets.
        let mo = dates(
            "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO",
            "1997-08-05T09:00",
            10,
        );
        assert_eq!(mo, ["1997-08-05", "1997-08-10", "1997-08-19", "1997-08-24"]);
        let su = dates(
            "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU",
            "1997-08-05T09:00",
            10,
        );
        assert_eq!(su, ["1997-08-05", "1997-08-17", "1997-08-19", "1997-08-31"]);
    }

    #[test]
    fn monthly_ordinals() {
        assert_eq!(
            dates("FREQ=MONTHLY;BYDAY=1SU", "2026-03-01T15:00", 4),
            ["2026-03-01", "2026-04-05", "2026-05-03", "2026-06-07"]
        );
        assert_eq!(
            dates("FREQ=MONTHLY;BYDAY=-1FR", "2026-01-30T19:00", 4),
            ["2026-01-30", "2026-02-27", "2026-03-27", "2026-04-24"]
        );
        // Fifth Friday only exists in some months.
        assert_eq!(
            dates("FREQ=MONTHLY;BYDAY=5FR", "2026-01-30T19:00", 3),
            ["2026-01-30", "2026-05-29", "2026-07-31"]
        );
        // Last weekday of the month.
        assert_eq!(
            dates(
                "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
                "2026-01-30T19:00",
                3
            ),
            ["2026-01-30", "2026-02-27", "2026-03-31"]
        );
        // Friday the 13th.
        assert_eq!(
            dates("FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13", "2026-02-13T19:00", 3),
            ["2026-02-13", "2026-03-13", "2026-11-13"]
        );
    }

    #[test]
    fn monthly_month_days() {
        // The 31st is skipped in shorter months, not moved.
        assert_eq!(
            dates("FREQ=MONTHLY", "2026-01-31T10:00", 3),
            ["2026-01-31", "2026-03-31", "2026-05-31"]
        );
        assert_eq!(
            dates("FREQ=MONTHLY;BYMONTHDAY=-1", "2026-01-31T10:00", 3),
            ["2026-01-31", "2026-02-28", "2026-03-31"]
        );
        assert_eq!(
            dates("FREQ=MONTHLY;BYMONTHDAY=1,15", "2026-01-15T10:00", 3),
            ["2026-01-15", "2026-02-01", "2026-02-15"]
        );
    }

    #[test]
    fn yearly_variants() {
        assert_eq!(
            dates("FREQ=YEARLY", "2024-02-29", 3),
            ["2024-02-29", "2028-02-29", "2032-02-29"]
        );
        assert_eq!(
            dates("FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "2026-03-29T02:00", 3),
            ["2026-03-29", "2027-03-28", "2028-03-26"]
        );
        assert_eq!(
            dates("FREQ=YEARLY;BYDAY=1MO", "2026-01-05", 2),
            ["2026-01-05", "2027-01-04"]
        );
        assert_eq!(
            dates("FREQ=YEARLY;BYDAY=-1MO", "2026-12-28", 2),
            ["2026-12-28", "2027-12-27"]
        );
        assert_eq!(
            dates("FREQ=YEARLY;BYMONTH=1,7", "2026-01-10", 3),
            ["2026-01-10", "2026-07-10", "2027-01-10"]
        );
        assert_eq!(
            dates("FREQ=YEARLY;BYMONTHDAY=1", "2026-01-01", 3),
            ["2026-01-01", "2026-02-01", "2026-03-01"]
        );
    }

    #[test]
    fn daily_limits() {
        assert_eq!(
            dates("FREQ=DAILY;BYDAY=MO,WE", "2026-03-02T08:00", 4),
            ["2026-03-02", "2026-03-04", "2026-03-09", "2026-03-11"]
        );
        assert_eq!(
            dates("FREQ=DAILY;INTERVAL=10;BYMONTH=3", "2026-03-01", 5),
            [
                "2026-03-01",
                "2026-03-11",
                "2026-03-21",
                "2026-03-31",
                "2027-03-06"
            ]
        );
    }

    #[test]
    fn count_and_until() {
        assert_eq!(
            dates("FREQ=WEEKLY;COUNT=3", "2026-03-07T20:00", 10).len(),
            3
        );
        // UNTIL as a UTC instant equal to an occurrence includes it.
        assert_eq!(
            dates("FREQ=WEEKLY;UNTIL=20260321T190000Z", "2026-03-07T20:00", 10),
            ["2026-03-07", "2026-03-14", "2026-03-21"]
        );
        assert_eq!(
            dates("FREQ=WEEKLY;UNTIL=20260321T185959Z", "2026-03-07T20:00", 10),
            ["2026-03-07", "2026-03-14"]
        );
        // A plain date for a timed event means through that local day.
        assert_eq!(
            dates("FREQ=WEEKLY;UNTIL=20260321", "2026-03-07T20:00", 10),
            ["2026-03-07", "2026-03-14", "2026-03-21"]
        );
        assert_eq!(
            dates("FREQ=DAILY;UNTIL=2026-03-09", "2026-03-07", 10),
            ["2026-03-07", "2026-03-08", "2026-03-09"]
        );
    }

    #[test]
    fn until_is_normalised() {
        let tz = berlin();
        let rule = parse_rrule(
            "rrule:freq=weekly;until=20261231;byday=sa",
            &local("2026-03-07T20:00"),
            &tz,
        )
        .unwrap();
        assert_eq!(rule.to_ics(), "FREQ=WEEKLY;UNTIL=20261231T225959Z;BYDAY=SA");
        let rule = parse_rrule("FREQ=WEEKLY;UNTIL=20261231", &local("2026-03-07"), &tz).unwrap();
        assert_eq!(rule.to_ics(), "FREQ=WEEKLY;UNTIL=20261231");
        let rule = parse_rrule(
            "BYSETPOS=-1;BYDAY=FR,MO,TU,WE,TH;FREQ=MONTHLY;WKST=SU;INTERVAL=2",
            &local("2026-01-30"),
            &tz,
        )
        .unwrap();
        assert_eq!(
            rule.to_ics(),
            "FREQ=MONTHLY;INTERVAL=2;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;WKST=SU"
        );
    }

    #[test]
    fn bad_rules_name_the_problem() {
        let tz = berlin();
        let st = local("2026-03-07T20:00");
        let cases: &[(&str, &str)] = &[
            ("", "empty"),
            ("BYDAY=SA", "no FREQ"),
            ("FREQ=HOURLY", "FREQ=HOURLY"),
            ("FREQ=MINUTELY", "FREQ=MINUTELY"),
            ("FREQ=SECONDLY", "FREQ=SECONDLY"),
            ("FREQ=FORTNIGHTLY", "not a frequency"),
            ("FREQ=WEEKLY;BYHOUR=10", "BYHOUR"),
            ("FREQ=WEEKLY;BYMINUTE=10", "BYMINUTE"),
            ("FREQ=WEEKLY;BYSECOND=10", "BYSECOND"),
            ("FREQ=YEARLY;BYYEARDAY=66", "BYYEARDAY"),
            ("FREQ=YEARLY;BYWEEKNO=10", "BYWEEKNO"),
            ("FREQ=WEEKLY;FOO=1", "FOO"),
            ("FREQ=WEEKLY;COUNT=0", "COUNT=0"),
            ("FREQ=WEEKLY;COUNT=x", "COUNT=x"),
            ("FREQ=WEEKLY;COUNT=99999999", "out of range"),
            ("FREQ=WEEKLY;INTERVAL=0", "INTERVAL=0"),
            ("FREQ=WEEKLY;COUNT=3;UNTIL=20261231", "both COUNT and UNTIL"),
            ("FREQ=WEEKLY;BYDAY=1SA", "needs FREQ=MONTHLY"),
            ("FREQ=WEEKLY;BYDAY=XX", "not a weekday"),
            ("FREQ=WEEKLY;BYDAY=", "no value"),
            ("FREQ=WEEKLY;BYDAY=S", "not a weekday"),
            ("FREQ=MONTHLY;BYDAY=6SA", "impossible"),
            // Every position is checked, not only the first.
            ("FREQ=MONTHLY;BYDAY=1SA,-6SA", "position -6 is impossible"),
            ("FREQ=MONTHLY;BYDAY=1SA,-53SA", "position -53 is impossible"),
            (
                "FREQ=YEARLY;BYMONTH=3;BYDAY=1SA,7SA",
                "position 7 is impossible",
            ),
            ("FREQ=WEEKLY;BYDAY=SA,1SU", "needs FREQ=MONTHLY"),
            ("FREQ=MONTHLY;BYDAY=0SA", "position 0"),
            ("FREQ=MONTHLY;BYDAY=+-1SA", "invalid position"),
            ("FREQ=MONTHLY;BYMONTHDAY=0", "BYMONTHDAY=0"),
            ("FREQ=MONTHLY;BYMONTHDAY=32", "out of range"),
            ("FREQ=YEARLY;BYMONTH=13", "out of range"),
            ("FREQ=WEEKLY;BYMONTHDAY=1", "cannot be combined"),
            ("FREQ=MONTHLY;BYSETPOS=1", "needs another BY part"),
            ("FREQ=WEEKLY;WKST=XX", "not a weekday"),
            ("FREQ=WEEKLY;FREQ=DAILY", "twice"),
            ("FREQ", "no `=`"),
            ("FREQ=WEEKLY;UNTIL=2026", "not a date"),
            ("FREQ=WEEKLY;UNTIL=20260230", "not a date"),
            ("FREQ=WEEKLY;UNTIL=20260101", "before the event starts"),
            (
                "FREQ=WEEKLY;UNTIL=20260307T185959Z",
                "before the event starts",
            ),
            ("FREQ=WEEKLY;BYDAY=SU", "not one of the dates"),
            ("FREQ=MONTHLY;BYDAY=1SU", "not one of the dates"),
            ("FREQ=WEEKLY\nCOUNT=2", "several lines"),
        ];
        for (rule, needle) in cases {
            let e = parse_rrule(rule, &st, &tz).expect_err(rule);
            assert!(e.message().contains(needle), "{rule}: {}", e.message());
            assert!(!e.help().is_empty(), "{rule}");
        }
        let e = parse_rrule("FREQ=WEEKLY;BYDAY=SU", &st, &tz).unwrap_err();
        assert!(e.message().contains("Sunday 2026-03-08"), "{}", e.message());
        let e = parse_rrule(
            "FREQ=DAILY;UNTIL=20261231T000000Z",
            &local("2026-03-07"),
            &tz,
        )
        .unwrap_err();
        assert!(e.message().contains("all-day"), "{}", e.message());
    }

    #[test]
    fn jumping_over_empty_periods_changes_nothing() {
        let tz = berlin();
        let rules = [
            ("2024-02-29T12:00", "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29"),
            (
                "2024-02-29T12:00",
                "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;COUNT=20",
            ),
            ("2024-02-29T12:00", "FREQ=DAILY;INTERVAL=3;BYMONTHDAY=29,-1"),
            (
                "2024-02-29T12:00",
                "FREQ=DAILY;INTERVAL=7;BYMONTH=2,3;BYMONTHDAY=29",
            ),
            (
                "2024-02-29",
                "FREQ=DAILY;BYMONTHDAY=29;BYDAY=TH;UNTIL=21000101",
            ),
            ("2026-03-07T20:00", "FREQ=DAILY;BYMONTH=3,12;BYDAY=SA"),
            ("2026-03-07T20:00", "FREQ=DAILY;INTERVAL=5;BYMONTH=3,4,11"),
            (
                "2026-03-31T20:00",
                "FREQ=DAILY;BYMONTHDAY=31,-3;BYMONTH=1,3,12",
            ),
            ("2026-03-07T20:00", "FREQ=WEEKLY;BYMONTH=3;BYDAY=SA,SU"),
            (
                "2026-03-07T20:00",
                "FREQ=WEEKLY;INTERVAL=3;BYMONTH=3,10;BYDAY=SA;WKST=SU",
            ),
            (
                "2026-03-07T20:00",
                "FREQ=WEEKLY;BYMONTH=3;BYDAY=SA;BYSETPOS=-1,1",
            ),
            ("2026-03-07T20:00", "FREQ=MONTHLY;BYMONTH=3,9;BYDAY=1SA"),
            (
                "2026-03-07T20:00",
                "FREQ=MONTHLY;INTERVAL=7;BYMONTH=3,5;BYDAY=SA",
            ),
            ("2024-02-29T12:00", "FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=29"),
            ("2024-02-29T12:00", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29"),
        ];
        for (start, rule) in rules {
            let st = local(start);
            let r = parse_rrule(rule, &st, &tz).unwrap();
            let dt = st.to_datetime_in(&tz);
            for horizon in [date(2030, 1, 1), date(2401, 3, 1)] {
                let fast: Vec<DateTime> = Expander::new(&r, dt, &tz, Some(horizon)).collect();
                let slow: Vec<DateTime> = Expander::new(&r, dt, &tz, Some(horizon))
                    .without_jumps()
                    .collect();
                assert_eq!(fast, slow, "{start} {rule} {horizon}");
                assert!(!fast.is_empty());
            }
        }
        // 29 February only, to the end of the supported range: from about
        // 2.9 million periods tried to a few per year.
        let st = local("2024-02-29T12:00");
        let r = parse_rrule("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;COUNT=10000", &st, &tz).unwrap();
        let n = Expander::new(&r, st.to_datetime_in(&tz), &tz, None).count();
        assert_eq!(n, 1934);
    }

    #[test]
    fn never_panics_on_odd_input() {
        let tz = berlin();
        let st = local("2026-03-07T20:00");
        for rule in [
            "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
            "FREQ=MONTHLY;BYDAY=-5SA;BYSETPOS=366",
            "FREQ=YEARLY;BYDAY=53SA;INTERVAL=1000",
            "FREQ=WEEKLY;UNTIL=99991231T235959Z",
            "FREQ=DAILY;UNTIL=00010101",
            ";;;",
            "=",
            "FREQ==WEEKLY",
            "FREQ=WEEKLY;BYDAY=,,,",
            "FREQ=WEEKLY;BYDAY=周六",
            "FREQ=WEEKLY;UNTIL=２０２６",
            "FREQ=WEEKLY;UNTIL=2026123ÿ",
        ] {
            let _ = parse_rrule(rule, &st, &tz);
        }
        // A rule that runs to the end of the supported range terminates.
        let st = local("9999-12-25");
        let rule = parse_rrule("FREQ=DAILY", &st, &tz).unwrap();
        let n = Expander::new(&rule, st.to_datetime_in(&tz), &tz, None).count();
        assert_eq!(n, 7);
    }

    #[test]
    fn nth_weekday_edges() {
        let (from, to) = (date(2026, 3, 1), date(2026, 3, 31));
        assert_eq!(
            nth_weekday(from, to, Weekday::Sunday, 1),
            Some(date(2026, 3, 1))
        );
        assert_eq!(
            nth_weekday(from, to, Weekday::Sunday, 5),
            Some(date(2026, 3, 29))
        );
        assert_eq!(nth_weekday(from, to, Weekday::Sunday, 6), None);
        assert_eq!(
            nth_weekday(from, to, Weekday::Tuesday, -1),
            Some(date(2026, 3, 31))
        );
        assert_eq!(
            nth_weekday(from, to, Weekday::Monday, -5),
            Some(date(2026, 3, 2))
        );
        assert_eq!(nth_weekday(from, to, Weekday::Monday, -6), None);
    }
}
