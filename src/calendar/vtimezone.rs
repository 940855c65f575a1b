//! `VTIMEZONE` components generated from jiff's time zone database.
//!
//! A `TZID` in an event is only a label; RFC 5545 requires the calendar to
//! define it, and some clients (Outlook in particular) use the definition
//! rather than their own database. The definition is built from the real
//! transitions in the span the events use, so it is exact there. Where the
//! transitions follow a yearly pattern ("last Sunday of March") they are
//! written as an `RRULE`; when the zone keeps following that pattern after
//! the span, the rule is left open so that clients extrapolate correctly;
//! irregular transitions are listed with `RDATE`.

use jiff::civil::{DateTime, Weekday};
use jiff::tz::{Offset, TimeZone};
use jiff::{SignedDuration, Timestamp};

use super::ics::escape_text;
use super::recurrence::{ics_datetime, ics_utc, weekday_code};

/// Upper bound on transitions described, which keeps a pathological range
/// from producing an enormous component.
const MAX_TRANSITIONS: usize = 2_000;

#[derive(Debug, Clone)]
struct Transition {
    at: Timestamp,
    /// Wall-clock time of the transition in the offset before it, which is
    /// how RFC 5545 writes an observance's `DTSTART`.
    local: DateTime,
    from: Offset,
    to: Offset,
    abbreviation: String,
    dst: bool,
}

impl Transition {
    fn key(&self) -> (bool, i32, i32, &str) {
        (
            self.dst,
            self.from.seconds(),
            self.to.seconds(),
            &self.abbreviation,
        )
    }
}

/// `+0100`, or `+053045` when the offset has seconds.
pub(crate) fn fmt_offset(offset: Offset) -> String {
    let total = offset.seconds();
    let sign = if total < 0 { '-' } else { '+' };
    let abs = total.unsigned_abs();
    let (h, m, s) = (abs / 3600, (abs % 3600) / 60, abs % 60);
    if s == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{s:02}")
    }
}

fn transition(tz: &TimeZone, t: &jiff::tz::TimeZoneTransition<'_>) -> Transition {
    let before = t
        .timestamp()
        .checked_sub(SignedDuration::from_secs(1))
        .map(|ts| tz.to_offset(ts))
        .unwrap_or(t.offset());
    Transition {
        at: t.timestamp(),
        local: before.to_datetime(t.timestamp()),
        from: before,
        to: t.offset(),
        abbreviation: t.abbreviation().to_string(),
        dst: t.dst().is_dst(),
    }
}

/// The yearly pattern a transition fits: month, weekday, time, and its
/// position in the month both from the start and (if it is in the last
/// seven days) from the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Shape {
    month: i8,
    weekday: Weekday,
    time: jiff::civil::Time,
    nth: i8,
    last: bool,
}

fn shape(dt: DateTime) -> Shape {
    Shape {
        month: dt.month(),
        weekday: dt.weekday(),
        time: dt.time(),
        nth: (dt.day() - 1) / 7 + 1,
        last: dt.day() + 7 > dt.days_in_month(),
    }
}

/// A maximal run of same-kind transitions one year apart that share a
/// pattern: written as one observance with a yearly RRULE.
struct Run {
    members: Vec<Transition>,
    nth_ok: bool,
    last_ok: bool,
}

impl Run {
    fn new(t: Transition) -> Self {
        Run {
            members: vec![t],
            nth_ok: true,
            last_ok: true,
        }
    }

    fn first(&self) -> Shape {
        shape(self.members[0].local)
    }

    /// Adds `t` if it continues the pattern; returns it back otherwise.
    fn try_push(&mut self, t: Transition) -> Result<(), Transition> {
        let (Some(prev), first) = (self.members.last(), self.first()) else {
            return Err(t);
        };
        let s = shape(t.local);
        let consecutive = t.local.year() == prev.local.year() + 1;
        let same = s.month == first.month && s.weekday == first.weekday && s.time == first.time;
        let nth_ok = self.nth_ok && s.nth == first.nth;
        let last_ok = self.last_ok && s.last && first.last;
        if consecutive && same && (nth_ok || last_ok) {
            self.nth_ok = nth_ok;
            self.last_ok = last_ok;
            self.members.push(t);
            Ok(())
        } else {
            Err(t)
        }
    }

    /// `FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU` (last preferred: it survives
    /// months where the same weekday occurs five times).
    fn rrule_body(&self) -> Option<String> {
        let first = self.first();
        let ordinal = if self.last_ok && first.last {
            -1
        } else if self.nth_ok {
            first.nth
        } else {
            return None;
        };
        Some(format!(
            "FREQ=YEARLY;BYMONTH={};BYDAY={}{}",
            first.month,
            ordinal,
            weekday_code(first.weekday)
        ))
    }

    /// The run extended by the zone's next `years` transitions of the same
    /// kind, if they all continue its pattern: then the zone keeps this
    /// rule after the described span and the RRULE can stay open.
    fn extended(&self, tz: &TimeZone, years: usize) -> Option<Run> {
        let last = self.members.last()?;
        let mut probe = Run {
            members: self.members.clone(),
            nth_ok: self.nth_ok,
            last_ok: self.last_ok,
        };
        let key = last.key();
        let next: Vec<Transition> = tz
            .following(last.at)
            .take(years * 4)
            .map(|t| transition(tz, &t))
            .filter(|t| t.key() == key)
            .take(years)
            .collect();
        if next.len() < years {
            return None;
        }
        for t in next {
            probe.try_push(t).ok()?;
        }
        Some(probe)
    }
}

/// The content lines (unfolded, without line ends) of a `VTIMEZONE` for
/// `tz`, exact for every instant in `[from, to]`.
pub(crate) fn vtimezone_lines(
    tz: &TimeZone,
    tzid: &str,
    from: Timestamp,
    to: Timestamp,
) -> Vec<String> {
    let mut transitions: Vec<Transition> = Vec::new();
    let probe = from
        .checked_add(SignedDuration::from_secs(1))
        .unwrap_or(from);
    if let Some(t) = tz.preceding(probe).next() {
        transitions.push(transition(tz, &t));
    }
    for t in tz.following(from).take(MAX_TRANSITIONS) {
        if t.timestamp() > to {
            break;
        }
        if transitions
            .last()
            .is_some_and(|last| last.at >= t.timestamp())
        {
            continue;
        }
        transitions.push(transition(tz, &t));
    }

    let mut lines = vec![
        "BEGIN:VTIMEZONE".to_string(),
        format!("TZID:{}", escape_text(tzid)),
        format!("X-LIC-LOCATION:{}", escape_text(tzid)),
    ];

    if transitions.is_empty() {
        // A zone that has never changed (or whose history jiff does not
        // have): one observance that has always been in effect.
        let info = tz.to_offset_info(from);
        let kind = if info.dst().is_dst() {
            "DAYLIGHT"
        } else {
            "STANDARD"
        };
        let offset = fmt_offset(info.offset());
        lines.extend([
            format!("BEGIN:{kind}"),
            "DTSTART:19700101T000000".to_string(),
            format!("TZOFFSETFROM:{offset}"),
            format!("TZOFFSETTO:{offset}"),
            format!("TZNAME:{}", escape_text(info.abbreviation())),
            format!("END:{kind}"),
        ]);
        lines.push("END:VTIMEZONE".to_string());
        return lines;
    }

    // Group by kind (same offsets, name and DST flag), keeping the order of
    // first appearance; within a group, split into yearly runs.
    let mut groups: Vec<Vec<Transition>> = Vec::new();
    for t in transitions {
        match groups.iter_mut().find(|g| g[0].key() == t.key()) {
            Some(g) => g.push(t),
            None => groups.push(vec![t]),
        }
    }

    // (first instant, lines) per observance, sorted by instant at the end.
    let mut observances: Vec<(Timestamp, Vec<String>)> = Vec::new();
    for group in groups {
        let mut runs: Vec<Run> = Vec::new();
        for t in group {
            let rejected = match runs.last_mut() {
                Some(run) => run.try_push(t).err(),
                None => Some(t),
            };
            if let Some(t) = rejected {
                runs.push(Run::new(t));
            }
        }
        let last_index = runs.len().saturating_sub(1);
        let mut singles: Vec<Transition> = Vec::new();
        for (i, run) in runs.into_iter().enumerate() {
            // Only the group's latest run can still be in force; a single
            // transition becomes a rule only if the zone's future confirms it.
            let extended = if i == last_index {
                run.extended(tz, 2)
            } else {
                None
            };
            let rrule = match &extended {
                Some(longer) => longer.rrule_body(),
                None if run.members.len() >= 2 => run.rrule_body(),
                None => None,
            };
            match rrule {
                Some(body) => {
                    let open = extended.is_some();
                    let first = &run.members[0];
                    let mut obs = observance_head(first);
                    match (open, run.members.last()) {
                        (false, Some(last)) => {
                            obs.push(format!("RRULE:{body};UNTIL={}", ics_utc(last.at)))
                        }
                        _ => obs.push(format!("RRULE:{body}")),
                    }
                    obs.push(observance_end(first));
                    observances.push((first.at, obs));
                }
                None => singles.extend(run.members),
            }
        }
        if let Some(first) = singles.first() {
            let mut obs = observance_head(first);
            if singles.len() > 1 {
                let dates: Vec<String> =
                    singles[1..].iter().map(|t| ics_datetime(t.local)).collect();
                obs.push(format!("RDATE:{}", dates.join(",")));
            }
            obs.push(observance_end(first));
            observances.push((first.at, obs));
        }
    }
    observances.sort_by_key(|(at, _)| *at);
    for (_, obs) in observances {
        lines.extend(obs);
    }
    lines.push("END:VTIMEZONE".to_string());
    lines
}

fn kind(t: &Transition) -> &'static str {
    if t.dst { "DAYLIGHT" } else { "STANDARD" }
}

fn observance_head(t: &Transition) -> Vec<String> {
    vec![
        format!("BEGIN:{}", kind(t)),
        format!("DTSTART:{}", ics_datetime(t.local)),
        format!("TZOFFSETFROM:{}", fmt_offset(t.from)),
        format!("TZOFFSETTO:{}", fmt_offset(t.to)),
        format!("TZNAME:{}", escape_text(&t.abbreviation)),
    ]
}

fn observance_end(t: &Transition) -> String {
    format!("END:{}", kind(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    /// The observances of a VTIMEZONE as (kind, lines) for easy checks.
    fn blocks(lines: &[String]) -> Vec<(String, Vec<String>)> {
        let mut out = Vec::new();
        let mut cur: Option<(String, Vec<String>)> = None;
        for l in lines {
            if let Some(k) = l.strip_prefix("BEGIN:").filter(|k| *k != "VTIMEZONE") {
                cur = Some((k.to_string(), Vec::new()));
            } else if l.starts_with("END:") && l != "END:VTIMEZONE" {
                out.extend(cur.take());
            } else if let Some((_, body)) = cur.as_mut() {
                body.push(l.clone());
            }
        }
        out
    }

    #[test]
    fn berlin_has_standard_and_daylight_with_open_rules() {
        let tz = TimeZone::get("Europe/Berlin").unwrap();
        let lines = vtimezone_lines(
            &tz,
            "Europe/Berlin",
            ts("2026-03-07T19:00Z"),
            ts("2031-03-07T19:00Z"),
        );
        assert_eq!(lines[0], "BEGIN:VTIMEZONE");
        assert_eq!(lines[1], "TZID:Europe/Berlin");
        let b = blocks(&lines);
        assert_eq!(b.len(), 2, "{lines:#?}");
        let (std_kind, std) = &b[0];
        assert_eq!(std_kind, "STANDARD");
        assert_eq!(
            std,
            &[
                "DTSTART:20251026T030000",
                "TZOFFSETFROM:+0200",
                "TZOFFSETTO:+0100",
                "TZNAME:CET",
                "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
            ]
        );
        let (dst_kind, dst) = &b[1];
        assert_eq!(dst_kind, "DAYLIGHT");
        assert_eq!(
            dst,
            &[
                "DTSTART:20260329T020000",
                "TZOFFSETFROM:+0100",
                "TZOFFSETTO:+0200",
                "TZNAME:CEST",
                "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
            ]
        );
    }

    #[test]
    fn shanghai_is_a_single_standard() {
        let tz = TimeZone::get("Asia/Shanghai").unwrap();
        let lines = vtimezone_lines(
            &tz,
            "Asia/Shanghai",
            ts("2026-01-01T00:00Z"),
            ts("2030-01-01T00:00Z"),
        );
        let b = blocks(&lines);
        assert_eq!(b.len(), 1, "{lines:#?}");
        assert_eq!(b[0].0, "STANDARD");
        assert!(
            b[0].1.contains(&"TZOFFSETTO:+0800".to_string()),
            "{lines:#?}"
        );
        assert!(b[0].1.contains(&"TZNAME:CST".to_string()), "{lines:#?}");
        assert!(!lines.iter().any(|l| l.contains("DAYLIGHT")));
    }

    #[test]
    fn fixed_zone_without_transitions() {
        let tz = TimeZone::get("Etc/GMT-8").unwrap();
        let lines = vtimezone_lines(
            &tz,
            "Etc/GMT-8",
            ts("2026-01-01T00:00Z"),
            ts("2030-01-01T00:00Z"),
        );
        let b = blocks(&lines);
        assert_eq!(b.len(), 1, "{lines:#?}");
        assert!(
            b[0].1.contains(&"TZOFFSETFROM:+0800".to_string()),
            "{lines:#?}"
        );
        assert!(
            b[0].1.contains(&"TZOFFSETTO:+0800".to_string()),
            "{lines:#?}"
        );
    }

    #[test]
    fn rule_changes_close_with_until() {
        // The US moved its DST dates in 2007: two DAYLIGHT rules, the first
        // ending in 2006.
        let tz = TimeZone::get("America/New_York").unwrap();
        let lines = vtimezone_lines(
            &tz,
            "America/New_York",
            ts("2004-01-01T00:00Z"),
            ts("2009-01-01T00:00Z"),
        );
        let rules: Vec<&String> = lines.iter().filter(|l| l.starts_with("RRULE:")).collect();
        assert!(
            rules.contains(
                &&"RRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU;UNTIL=20060402T070000Z".to_string()
            ),
            "{lines:#?}"
        );
        assert!(
            rules.contains(&&"RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU".to_string()),
            "{lines:#?}"
        );
        assert!(
            rules.contains(&&"RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU".to_string()),
            "{lines:#?}"
        );
    }

    #[test]
    fn offsets_format() {
        assert_eq!(fmt_offset(Offset::from_seconds(3600).unwrap()), "+0100");
        assert_eq!(fmt_offset(Offset::from_seconds(-9000).unwrap()), "-0230");
        assert_eq!(fmt_offset(Offset::from_seconds(0).unwrap()), "+0000");
        assert_eq!(fmt_offset(Offset::from_seconds(3661).unwrap()), "+010101");
    }
}
