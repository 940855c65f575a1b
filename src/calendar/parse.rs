//! Parsing of the values people write in front matter: dates and times,
//! durations and time zone names.
//!
//! Everything here is hand-written rather than delegated to a general
//! date parser because the error messages are the product: a person who
//! typed `2026-02-30` or `Asia/Shangai` should be told exactly which part is
//! wrong and what to write instead.

use std::fmt;

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{Offset, TimeZone};
use jiff::{SignedDuration, Timestamp};

use super::error::{CalendarError, err};

/// A point in time as written in front matter, before it is placed in the
/// event's time zone.
///
/// The three forms are kept apart because they mean different things: a
/// date is an all-day value, a wall-clock time is interpreted in the event's
/// zone (so it follows that zone's DST rules), and a value with an explicit
/// offset is an exact instant that is merely displayed in the event's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalTime {
    /// A calendar date without a time: an all-day value.
    Date(Date),
    /// A wall-clock date and time, interpreted in the event's time zone.
    DateTime(DateTime),
    /// An exact instant, written with `Z` or a UTC offset.
    Exact(Timestamp),
}

impl LocalTime {
    /// Whether this value is date-only, which makes an event all-day.
    pub fn is_date(&self) -> bool {
        matches!(self, LocalTime::Date(_))
    }

    /// The wall-clock reading of this value in `tz`: dates become midnight,
    /// exact instants are converted. Used to anchor recurrence expansion,
    /// which works on wall-clock time.
    pub fn to_datetime_in(&self, tz: &TimeZone) -> DateTime {
        match *self {
            LocalTime::Date(d) => d.to_datetime(Time::midnight()),
            LocalTime::DateTime(dt) => dt,
            LocalTime::Exact(ts) => tz.to_datetime(ts),
        }
    }
}

impl fmt::Display for LocalTime {
    /// Formats the value the way it is accepted by [`parse_local`], so error
    /// messages quote values in a form the user can paste back.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            LocalTime::Date(d) => write!(f, "{}", d),
            LocalTime::DateTime(dt) => write!(f, "{}", fmt_datetime_minutes(dt)),
            LocalTime::Exact(ts) => write!(f, "{}", ts),
        }
    }
}

/// `2026-03-07T20:00` (seconds only when they are not zero).
pub(crate) fn fmt_datetime_minutes(dt: DateTime) -> String {
    if dt.second() == 0 {
        format!("{}T{:02}:{:02}", dt.date(), dt.hour(), dt.minute())
    } else {
        format!(
            "{}T{:02}:{:02}:{:02}",
            dt.date(),
            dt.hour(),
            dt.minute(),
            dt.second()
        )
    }
}

/// A length of time in the two units RFC 5545 distinguishes: nominal days
/// (which follow the wall clock, so "1 day" across a DST change is 23 or 25
/// real hours) and exact seconds.
///
/// jiff's `Span` could express this, but it also allows months and years,
/// fractional units and negative values, none of which an event length or a
/// refresh interval may have; a dedicated type keeps those out by
/// construction and formats itself as a valid RFC 5545 `DURATION`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct CalendarDuration {
    days: u32,
    seconds: u32,
}

/// About 100 years: far more than any event lasts, small enough that no
/// arithmetic on it can overflow.
const MAX_DAYS: u64 = 36_525;
const MAX_SECONDS: u64 = MAX_DAYS * 86_400;

impl CalendarDuration {
    /// A duration of whole wall-clock days plus exact seconds. Returns
    /// `None` past roughly 100 years, a limit that keeps later arithmetic
    /// free of overflow.
    pub fn new(days: u32, seconds: u32) -> Option<Self> {
        if u64::from(days) > MAX_DAYS || u64::from(seconds) > MAX_SECONDS {
            return None;
        }
        Some(CalendarDuration { days, seconds })
    }

    /// An exact number of hours, the most common way to state a length.
    /// `None` past roughly 100 years.
    pub fn hours(hours: u32) -> Option<Self> {
        Self::new(0, hours.checked_mul(3600)?)
    }

    /// Nominal days: the time of day is kept across DST changes.
    pub fn days(&self) -> u32 {
        self.days
    }

    /// Exact seconds, added after the days.
    pub fn seconds(&self) -> u32 {
        self.seconds
    }

    /// Whether the duration is empty (a zero-length event).
    pub fn is_zero(&self) -> bool {
        self.days == 0 && self.seconds == 0
    }

    /// The same length as a jiff `Span` (days and seconds), for callers
    /// doing their own arithmetic: jiff also treats span days as wall-clock
    /// days when adding to a zoned date-time.
    pub fn to_span(&self) -> jiff::Span {
        jiff::Span::new()
            .try_days(i64::from(self.days))
            .and_then(|s| s.try_seconds(i64::from(self.seconds)))
            .unwrap_or_default()
    }

    /// The exact-time part as a `SignedDuration`, for timestamp arithmetic.
    pub(crate) fn exact(&self) -> SignedDuration {
        SignedDuration::from_secs(i64::from(self.seconds))
    }

    /// The RFC 5545 `dur-value` form, e.g. `PT6H`, `P1DT2H30M`, `P2W`.
    ///
    /// Follows the grammar strictly (an hour may only be followed by
    /// minutes, and seconds only after minutes), which is why `1h5s`
    /// is written `PT1H0M5S` rather than the shorter but invalid `PT1H5S`.
    pub fn to_ics(&self) -> String {
        if self.is_zero() {
            return "PT0S".to_string();
        }
        if self.seconds == 0 && self.days.is_multiple_of(7) {
            return format!("P{}W", self.days / 7);
        }
        let mut out = String::from("P");
        if self.days > 0 {
            out.push_str(&format!("{}D", self.days));
        }
        if self.seconds > 0 {
            out.push('T');
            let h = self.seconds / 3600;
            let m = (self.seconds % 3600) / 60;
            let s = self.seconds % 60;
            if h > 0 {
                out.push_str(&format!("{h}H"));
                if m > 0 || s > 0 {
                    out.push_str(&format!("{m}M"));
                }
                if s > 0 {
                    out.push_str(&format!("{s}S"));
                }
            } else if m > 0 {
                out.push_str(&format!("{m}M"));
                if s > 0 {
                    out.push_str(&format!("{s}S"));
                }
            } else {
                out.push_str(&format!("{s}S"));
            }
        }
        out
    }
}

impl fmt::Display for CalendarDuration {
    /// Same as [`CalendarDuration::to_ics`]: the only textual form the
    /// module emits, so there is one to test.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_ics())
    }
}

const LOCAL_FORMS: &str = "write a date like `2026-01-03` (all day), a local time like \
     `2026-01-03T20:00` or `2026-01-03 20:00:00`, or an exact time with an offset like \
     `2026-01-03T20:00:00+08:00` or `2026-01-03T12:00:00Z`";

/// Parses a front-matter date or date-time.
///
/// Accepted: `2026-01-03` (all-day), `2026-01-03T20:00`,
/// `2026-01-03T20:00:00`, `2026-01-03 20:00` (a space instead of `T`, as
/// YAML writes it), and any of the timed forms followed by `Z` or an offset
/// (`+08:00`, `+0800`, `+08`, optionally after a space) which makes the
/// value an exact instant. Fractional seconds are accepted only when zero,
/// because calendars cannot represent anything finer than a second.
pub fn parse_local(s: &str) -> Result<LocalTime, CalendarError> {
    let text = s.trim();
    if text.is_empty() {
        return Err(err("the date is empty", LOCAL_FORMS));
    }
    let bad = |what: &str| {
        err(
            format!("`{text}` is not a date or time I understand: {what}"),
            LOCAL_FORMS,
        )
    };
    let mut cur = Cursor::new(text);

    let year = cur
        .digits(4, 4)
        .ok_or_else(|| bad("it should start with a four-digit year"))?;
    if !cur.eat(b'-') {
        return Err(bad(
            "expected `-` after the year (dates are written year-month-day)",
        ));
    }
    let month = cur
        .digits(1, 2)
        .ok_or_else(|| bad("expected a month number after the year"))?;
    if !cur.eat(b'-') {
        return Err(bad("expected `-` after the month"));
    }
    let day = cur
        .digits(1, 2)
        .ok_or_else(|| bad("expected a day number after the month"))?;
    let date = make_date(text, year, month, day)?;
    if cur.done() {
        return Ok(LocalTime::Date(date));
    }

    if !(cur.eat(b'T') || cur.eat(b't') || cur.eat_spaces()) {
        return Err(bad("expected `T` or a space between the date and the time"));
    }
    let hour = cur
        .digits(1, 2)
        .ok_or_else(|| bad("expected an hour after the date"))?;
    if !cur.eat(b':') {
        return Err(bad("expected `:` between hours and minutes, as in `20:00`"));
    }
    let minute = cur
        .digits(2, 2)
        .ok_or_else(|| bad("expected two-digit minutes, as in `20:00`"))?;
    let mut second = 0;
    if cur.eat(b':') {
        second = cur
            .digits(2, 2)
            .ok_or_else(|| bad("expected two-digit seconds, as in `20:00:00`"))?;
        if cur.eat(b'.') || cur.eat(b',') {
            let start = cur.pos;
            while cur.peek().is_some_and(|b| b.is_ascii_digit()) {
                cur.pos += 1;
            }
            let frac = &text[start..cur.pos];
            if frac.is_empty() {
                return Err(bad(
                    "expected digits after the decimal point of the seconds",
                ));
            }
            if frac.bytes().any(|b| b != b'0') {
                return Err(err(
                    format!("`{text}` has fractions of a second"),
                    "calendars store whole seconds: drop the fraction, e.g. `2026-01-03T20:00:00`",
                ));
            }
        }
    }
    let time = make_time(text, hour, minute, second)?;
    let datetime = date.to_datetime(time);
    if cur.done() {
        return Ok(LocalTime::DateTime(datetime));
    }

    cur.eat_spaces();
    if cur.peek() == Some(b'[') {
        return Err(err(
            format!("`{text}` names a time zone inside the value"),
            "put the zone in the event's `timezone` field and write the time without it, \
             e.g. `2026-01-03T20:00`",
        ));
    }
    let offset = if cur.eat(b'Z') || cur.eat(b'z') {
        Some(0)
    } else if let Some(sign) = cur.peek().filter(|b| *b == b'+' || *b == b'-') {
        cur.pos += 1;
        let sign: i32 = if sign == b'-' { -1 } else { 1 };
        let oh = cur
            .digits(1, 2)
            .ok_or_else(|| bad("expected hours after the offset sign, as in `+08:00`"))?;
        let om = if cur.eat(b':') {
            cur.digits(2, 2)
                .ok_or_else(|| bad("expected two-digit offset minutes, as in `+05:30`"))?
        } else {
            cur.digits(2, 2).unwrap_or(0)
        };
        if oh > 23 || om > 59 {
            return Err(bad("the UTC offset is out of range (at most ±23:59)"));
        }
        Some(sign * (oh * 3600 + om * 60))
    } else {
        None
    };
    let Some(offset_secs) = offset else {
        return Err(bad("unexpected text after the time"));
    };
    if !cur.done() {
        return Err(bad("unexpected text after the UTC offset"));
    }
    let offset =
        Offset::from_seconds(offset_secs).map_err(|_| bad("the UTC offset is out of range"))?;
    let ts = offset
        .to_timestamp(datetime)
        .map_err(|_| bad("the instant is outside the supported range of years"))?;
    Ok(LocalTime::Exact(ts))
}

fn make_date(text: &str, year: i32, month: i32, day: i32) -> Result<Date, CalendarError> {
    if year < 1 {
        return Err(err(
            format!("`{text}` has year {year:04}"),
            "calendars start at year 0001; check the year",
        ));
    }
    if !(1..=12).contains(&month) {
        return Err(err(
            format!("`{text}` has month {month}, but months run from 1 to 12"),
            "dates are written year-month-day, e.g. `2026-01-03` for 3 January 2026",
        ));
    }
    // Both fit in i8/i16 after the checks above and the 4-digit year limit.
    let first = Date::new(year as i16, month as i8, 1).map_err(|_| {
        err(
            format!("`{text}` is not a valid date"),
            "write the date as year-month-day, e.g. `2026-01-03`",
        )
    })?;
    let last = i32::from(first.days_in_month());
    if day < 1 || day > last {
        return Err(err(
            format!("`{text}` has day {day}, but {year:04}-{month:02} has {last} days"),
            "check the day of the month; dates are written year-month-day",
        ));
    }
    Date::new(year as i16, month as i8, day as i8).map_err(|_| {
        err(
            format!("`{text}` is not a valid date"),
            "write the date as year-month-day, e.g. `2026-01-03`",
        )
    })
}

fn make_time(text: &str, hour: i32, minute: i32, second: i32) -> Result<Time, CalendarError> {
    if hour > 23 || minute > 59 || second > 59 {
        let help = if hour == 24 && minute == 0 && second == 0 {
            "midnight at the end of a day is `00:00` of the next day"
        } else {
            "hours run 00-23, minutes and seconds 00-59, e.g. `20:00` or `09:30:00`"
        };
        return Err(err(format!("`{text}` has an invalid time of day"), help));
    }
    Time::new(hour as i8, minute as i8, second as i8, 0).map_err(|_| {
        err(
            format!("`{text}` has an invalid time of day"),
            "hours run 00-23, minutes and seconds 00-59",
        )
    })
}

/// A tiny byte cursor: enough for the fixed layouts parsed here, and it
/// cannot panic because every access is checked.
pub(crate) struct Cursor<'a> {
    bytes: &'a [u8],
    pub(crate) pos: usize,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Cursor {
            bytes: text.as_bytes(),
            pos: 0,
        }
    }

    pub(crate) fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    pub(crate) fn done(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    pub(crate) fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn eat_spaces(&mut self) -> bool {
        let start = self.pos;
        while self.peek() == Some(b' ') {
            self.pos += 1;
        }
        self.pos > start
    }

    /// Reads between `min` and `max` ASCII digits (`max` ≤ 9, so the value
    /// always fits).
    pub(crate) fn digits(&mut self, min: usize, max: usize) -> Option<i32> {
        let start = self.pos;
        let mut value: i32 = 0;
        while self.pos - start < max {
            match self.peek() {
                Some(b) if b.is_ascii_digit() => {
                    value = value * 10 + i32::from(b - b'0');
                    self.pos += 1;
                }
                _ => break,
            }
        }
        if self.pos - start < min {
            self.pos = start;
            return None;
        }
        Some(value)
    }
}

const DURATION_FORMS: &str = "write a length like `2h`, `90m`, `1h30m`, `1.5h`, `2d` or `1w`, \
     or an ISO 8601 duration like `PT2H` or `P1DT2H`";

/// Parses an event length or refresh interval.
///
/// Accepted: unit forms such as `2h`, `90m`, `1h30m`, `1h 30m`, `1.5h`,
/// `2d`, `1w` (also spelled out: `2 hours`, `90 min`, and the Chinese
/// units 周/天/小时/分钟/秒), and ISO 8601 / RFC 5545 durations such as
/// `PT2H`, `P1DT2H`, `P2W`. Days and weeks are nominal (they keep the wall
/// clock time across DST changes); hours, minutes and seconds are exact.
/// Years and months are refused because their length depends on the date.
pub fn parse_duration(s: &str) -> Result<CalendarDuration, CalendarError> {
    let text = s.trim();
    if text.is_empty() {
        return Err(err("the duration is empty", DURATION_FORMS));
    }
    if text.starts_with('-') {
        return Err(err(
            format!("`{text}` is negative"),
            "an event cannot last a negative time; write a positive length such as `2h`",
        ));
    }
    let (days, seconds) = if text.starts_with(['P', 'p']) {
        parse_iso_duration(text)?
    } else {
        parse_unit_duration(text)?
    };
    if days > MAX_DAYS || seconds > MAX_SECONDS {
        return Err(err(
            format!("`{text}` is longer than 100 years"),
            "check the number and its unit",
        ));
    }
    // Both are bounded by the limits just checked.
    Ok(CalendarDuration {
        days: days as u32,
        seconds: seconds as u32,
    })
}

fn parse_iso_duration(text: &str) -> Result<(u64, u64), CalendarError> {
    let bad = |what: &str| {
        err(
            format!("`{text}` is not a valid ISO 8601 duration: {what}"),
            DURATION_FORMS,
        )
    };
    let upper = text.to_ascii_uppercase();
    let mut rest = &upper[1..];
    let mut days: u64 = 0;
    let mut seconds: u64 = 0;
    let mut in_time = false;
    let mut seen_any = false;
    let mut last_rank = 0u8;
    while !rest.is_empty() {
        if rest.starts_with('T') {
            if in_time {
                return Err(bad("`T` appears twice"));
            }
            in_time = true;
            rest = &rest[1..];
            if rest.is_empty() {
                return Err(bad("nothing follows `T`"));
            }
            continue;
        }
        let n_len = rest.bytes().take_while(|b| b.is_ascii_digit()).count();
        if n_len == 0 {
            return Err(bad("expected a number"));
        }
        let n: u64 = rest[..n_len]
            .parse()
            .map_err(|_| bad("the number is too large"))?;
        let Some(unit) = rest[n_len..].chars().next() else {
            return Err(bad("the last number has no unit"));
        };
        let (rank, add_days, add_secs) = match (unit, in_time) {
            ('Y', false) | ('M', false) => {
                return Err(err(
                    format!("`{text}` uses years or months"),
                    "their length depends on the date; write days or weeks instead, e.g. `P30D`",
                ));
            }
            ('W', false) => (1, 7, 0),
            ('D', false) => (2, 1, 0),
            ('H', true) => (3, 0, 3600),
            ('M', true) => (4, 0, 60),
            ('S', true) => (5, 0, 1),
            (',' | '.', _) => {
                return Err(bad(
                    "fractions are not supported; use a smaller unit, e.g. `PT90M`",
                ));
            }
            _ => return Err(bad("units are W or D before `T`, and H, M or S after it")),
        };
        if rank <= last_rank {
            return Err(bad("units must appear once each, largest first"));
        }
        last_rank = rank;
        days = n
            .checked_mul(add_days)
            .and_then(|d| d.checked_add(days))
            .ok_or_else(|| bad("the number is too large"))?;
        seconds = n
            .checked_mul(add_secs)
            .and_then(|d| d.checked_add(seconds))
            .ok_or_else(|| bad("the number is too large"))?;
        seen_any = true;
        rest = &rest[n_len + unit.len_utf8()..];
    }
    if !seen_any {
        return Err(bad("it has no amount"));
    }
    Ok((days, seconds))
}

/// Units of the friendly form: (spellings, seconds or days, is_days).
const UNITS: &[(&[&str], u64, bool)] = &[
    (&["w", "wk", "wks", "week", "weeks", "周", "星期"], 7, true),
    (&["d", "day", "days", "天", "日"], 1, true),
    (
        &[
            "h",
            "hr",
            "hrs",
            "hour",
            "hours",
            "小时",
            "时",
            "個小時",
            "个小时",
        ],
        3600,
        false,
    ),
    (
        &["m", "min", "mins", "minute", "minutes", "分钟", "分"],
        60,
        false,
    ),
    (&["s", "sec", "secs", "second", "seconds", "秒"], 1, false),
];

fn parse_unit_duration(text: &str) -> Result<(u64, u64), CalendarError> {
    let bad = |what: String| {
        err(
            format!("`{text}` is not a duration I understand: {what}"),
            DURATION_FORMS,
        )
    };
    let mut rest = text;
    let mut days: u64 = 0;
    let mut seconds: u64 = 0;
    let mut seen = [false; 5];
    while !rest.is_empty() {
        rest = rest.trim_start();
        let int_len = rest.bytes().take_while(|b| b.is_ascii_digit()).count();
        let mut num_len = int_len;
        let mut frac_len = 0;
        if rest[int_len..].starts_with('.')
            && rest[int_len + 1..].starts_with(|c: char| c.is_ascii_digit())
        {
            frac_len = rest[int_len + 1..]
                .bytes()
                .take_while(|b| b.is_ascii_digit())
                .count();
            num_len = int_len + 1 + frac_len;
        }
        if int_len == 0 && frac_len == 0 {
            return Err(bad(format!("expected a number at `{rest}`")));
        }
        let number = &rest[..num_len];
        rest = rest[num_len..].trim_start();
        let unit_len = rest
            .char_indices()
            .find(|(_, c)| c.is_ascii_digit() || c.is_whitespace() || *c == '.')
            .map_or(rest.len(), |(i, _)| i);
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        if unit.is_empty() {
            return Err(bad(format!(
                "`{number}` has no unit; add one, e.g. `{number}h` or `{number}m`"
            )));
        }
        let lower = unit.to_lowercase();
        let Some((index, &(_, size, is_days))) = UNITS
            .iter()
            .enumerate()
            .find(|(_, (names, _, _))| names.contains(&lower.as_str()))
        else {
            return Err(bad(format!("unknown unit `{unit}` (use w, d, h, m or s)")));
        };
        if seen[index] {
            return Err(bad(format!("the unit `{unit}` appears twice")));
        }
        seen[index] = true;
        // Fixed-point: value = mantissa / 10^frac_len.
        let digits: String = number.chars().filter(|c| *c != '.').collect();
        let mantissa: u64 = digits
            .parse()
            .map_err(|_| bad(format!("`{number}` is too large")))?;
        let scale = 10u64
            .checked_pow(frac_len as u32)
            .ok_or_else(|| bad(format!("`{number}` has too many decimals")))?;
        let total = mantissa
            .checked_mul(size)
            .ok_or_else(|| bad(format!("`{number}` is too large")))?;
        if total % scale != 0 {
            let help = if is_days {
                "days and weeks must be whole; add hours for the rest, e.g. `1d12h`"
            } else {
                "the result must be a whole number of seconds, e.g. `1.5h` or `1h30m`"
            };
            return Err(err(
                format!("`{text}` has a fraction that does not come out even"),
                help,
            ));
        }
        let value = total / scale;
        if is_days {
            days = days
                .checked_add(value)
                .ok_or_else(|| bad("too large".into()))?;
        } else {
            seconds = seconds
                .checked_add(value)
                .ok_or_else(|| bad("too large".into()))?;
        }
    }
    Ok((days, seconds))
}

/// Parses an IANA time zone name such as `Europe/Berlin`.
///
/// The rule, and the suggestions for names that are not zones (a city, a
/// clock's abbreviation, an offset, a misspelling), are [`crate::zones`]'s:
/// `hearth.toml` is checked by the same one.
pub fn parse_tz(name: &str) -> Result<TimeZone, CalendarError> {
    crate::zones::parse(name).map_err(|e| err(e.message, e.help))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn local_forms() {
        let dt = date(2026, 1, 3).at(20, 0, 0, 0);
        assert_eq!(
            parse_local("2026-01-03T20:00").unwrap(),
            LocalTime::DateTime(dt)
        );
        assert_eq!(
            parse_local("2026-01-03T20:00:00").unwrap(),
            LocalTime::DateTime(dt)
        );
        assert_eq!(
            parse_local("2026-01-03 20:00").unwrap(),
            LocalTime::DateTime(dt)
        );
        assert_eq!(
            parse_local(" 2026-01-03t20:00:00.000 ").unwrap(),
            LocalTime::DateTime(dt)
        );
        assert_eq!(
            parse_local("2026-01-03").unwrap(),
            LocalTime::Date(date(2026, 1, 3))
        );
        assert_eq!(
            parse_local("2026-1-3").unwrap(),
            LocalTime::Date(date(2026, 1, 3))
        );
        let exact: Timestamp = "2026-01-03T12:00:00Z".parse().unwrap();
        assert_eq!(
            parse_local("2026-01-03T20:00:00+08:00").unwrap(),
            LocalTime::Exact(exact)
        );
        assert_eq!(
            parse_local("2026-01-03T20:00+0800").unwrap(),
            LocalTime::Exact(exact)
        );
        assert_eq!(
            parse_local("2026-01-03 20:00:00 +08").unwrap(),
            LocalTime::Exact(exact)
        );
        assert_eq!(
            parse_local("2026-01-03T12:00:00Z").unwrap(),
            LocalTime::Exact(exact)
        );
        let minus: Timestamp = "2026-01-04T01:30:00Z".parse().unwrap();
        assert_eq!(
            parse_local("2026-01-03T20:00-05:30").unwrap(),
            LocalTime::Exact(minus)
        );
    }

    #[test]
    fn local_errors_are_specific() {
        let e = parse_local("2026-02-30").unwrap_err();
        assert!(e.message().contains("day 30"), "{e}");
        assert!(e.message().contains("28 days"), "{e}");
        let e = parse_local("2026-13-01").unwrap_err();
        assert!(e.message().contains("month 13"), "{e}");
        let e = parse_local("2026-01-03T24:00").unwrap_err();
        assert!(e.help().contains("next day"), "{e:?}");
        let e = parse_local("2026-01-03T20:00[Europe/Berlin]").unwrap_err();
        assert!(e.help().contains("timezone"), "{e:?}");
        let e = parse_local("2026-01-03T20:00:00.5").unwrap_err();
        assert!(e.message().contains("fractions"), "{e:?}");
        for bad in [
            "",
            "   ",
            "tomorrow",
            "03.01.2026",
            "2026/01/03",
            "2026-01-03T2000",
            "2026-01-03T20",
            "2026-01-03T20:00+25:00",
            "2026-01-03T20:00 foo",
            "20260103",
            "2026-01-03T",
            "0000-01-01",
            "2026-01-03T20:00:00.",
            "2026-01-03T20:0",
            "९९९९-01-01",
        ] {
            let e = parse_local(bad).unwrap_err();
            assert!(!e.help().is_empty(), "{bad}");
        }
    }

    #[test]
    fn local_display_round_trips() {
        for s in ["2026-01-03", "2026-01-03T20:00", "2026-01-03T20:00:05"] {
            assert_eq!(parse_local(s).unwrap().to_string(), s);
        }
    }

    #[test]
    fn durations() {
        let d = |s: &str| parse_duration(s).unwrap();
        assert_eq!(d("2h"), CalendarDuration::new(0, 7200).unwrap());
        assert_eq!(d("90m"), CalendarDuration::new(0, 5400).unwrap());
        assert_eq!(d("1h30m"), CalendarDuration::new(0, 5400).unwrap());
        assert_eq!(d("1h 30m"), CalendarDuration::new(0, 5400).unwrap());
        assert_eq!(d("1.5h"), CalendarDuration::new(0, 5400).unwrap());
        assert_eq!(d("2 hours"), CalendarDuration::new(0, 7200).unwrap());
        assert_eq!(d("2小时"), CalendarDuration::new(0, 7200).unwrap());
        assert_eq!(d("90分钟"), CalendarDuration::new(0, 5400).unwrap());
        assert_eq!(d("2d"), CalendarDuration::new(2, 0).unwrap());
        assert_eq!(d("1w"), CalendarDuration::new(7, 0).unwrap());
        assert_eq!(d("1d12h"), CalendarDuration::new(1, 43200).unwrap());
        assert_eq!(d("PT2H"), CalendarDuration::new(0, 7200).unwrap());
        assert_eq!(d("pt1h30m"), CalendarDuration::new(0, 5400).unwrap());
        assert_eq!(d("P1DT2H"), CalendarDuration::new(1, 7200).unwrap());
        assert_eq!(d("P2W"), CalendarDuration::new(14, 0).unwrap());
        assert_eq!(d("PT0S"), CalendarDuration::default());
        for bad in [
            "",
            "2",
            "-2h",
            "2x",
            "2h2h",
            "1.5d",
            "0.1s",
            "P1M",
            "P1Y",
            "PT",
            "P",
            "PT1D",
            "P1H",
            "P1DT",
            "PT1H1H",
            "PT1M1H",
            "1.h",
            "h",
            "99999999999999999999h",
            "1000000d",
            "P1.5H",
            "PT1,5H",
        ] {
            let e = parse_duration(bad).unwrap_err();
            assert!(!e.help().is_empty(), "{bad}");
        }
    }

    #[test]
    fn duration_ics_form_follows_the_grammar() {
        let f = |d: u32, s: u32| CalendarDuration::new(d, s).unwrap().to_ics();
        assert_eq!(f(0, 0), "PT0S");
        assert_eq!(f(0, 6 * 3600), "PT6H");
        assert_eq!(f(0, 5400), "PT1H30M");
        assert_eq!(f(0, 3605), "PT1H0M5S");
        assert_eq!(f(0, 65), "PT1M5S");
        assert_eq!(f(0, 5), "PT5S");
        assert_eq!(f(1, 7200), "P1DT2H");
        assert_eq!(f(3, 0), "P3D");
        assert_eq!(f(14, 0), "P2W");
        assert_eq!(f(0, 25 * 3600), "PT25H");
        assert!(CalendarDuration::new(40_000, 0).is_none());
        let span = CalendarDuration::new(1, 5400).unwrap().to_span();
        assert_eq!((span.get_days(), span.get_seconds()), (1, 5400));
    }

    #[test]
    fn time_zones() {
        assert_eq!(
            parse_tz("Europe/Berlin").unwrap().iana_name(),
            Some("Europe/Berlin")
        );
        assert_eq!(
            parse_tz("europe/berlin").unwrap().iana_name(),
            Some("Europe/Berlin")
        );
        assert!(parse_tz("UTC").is_ok());

        let e = parse_tz("Asia/Shangai").unwrap_err();
        assert!(e.message().contains("Asia/Shangai"), "{e}");
        assert!(
            e.help().contains("did you mean `Asia/Shanghai`"),
            "{}",
            e.help()
        );

        let e = parse_tz("Asia/Beijing").unwrap_err();
        assert!(e.help().contains("`Asia/Shanghai`"), "{}", e.help());

        let e = parse_tz("Berlin").unwrap_err();
        assert!(e.help().contains("`Europe/Berlin`"), "{}", e.help());

        let e = parse_tz("Europ/Berlin").unwrap_err();
        assert!(e.help().contains("`Europe/Berlin`"), "{}", e.help());

        let e = parse_tz("+08:00").unwrap_err();
        assert!(e.message().contains("offset"), "{e}");

        let e = parse_tz("Qwxzv/Plmkj").unwrap_err();
        assert!(!e.help().contains("did you mean"), "{}", e.help());
        assert!(parse_tz("").is_err());
    }
}
