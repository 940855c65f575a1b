//! Event times, recurrence and iCalendar (RFC 5545) output.
//!
//! This module turns what people write in front matter into validated event
//! times, expands repeating events into occurrences, describes them in
//! words, and writes `.ics` feeds and "add to calendar" links. It knows
//! nothing about pages, Markdown, HTML or files: callers pass strings in,
//! get values or [`CalendarError`]s (message + help, and for an event the
//! [`EventField`] it is about) back, and attach the file and line themselves.
//!
//! The pieces, in the order a build uses them:
//!
//! 1. Parsing: [`parse_local`], [`parse_duration`], [`parse_tz`],
//!    [`parse_rrule`].
//! 2. Validation and expansion: [`EventTime::new`],
//!    [`EventTime::occurrences`], [`EventTime::describe`].
//! 3. Output: [`write_calendar`] (with [`fold_line`] and [`escape_text`]
//!    exposed for testing), the "add to calendar" links
//!    ([`google_calendar_link`], [`outlook_link`], [`yahoo_calendar_link`]:
//!    each as much of a repeating event as its service can express).
//!
//! All time-zone work uses jiff and its tz database; see `recurrence.rs`
//! for why recurrence is implemented here instead of using the `rrule`
//! crate. Nothing here panics on any input, and all output is
//! deterministic.
mod describe;
mod error;
mod event;
mod ics;
mod links;
mod parse;
mod recurrence;
mod vtimezone;

pub use describe::zone_name;
pub use error::{CalendarError, EventField};
pub use event::{DEFAULT_TIMED_LENGTH, EventEnd, EventTime, Occurrence};
pub use ics::{
    EventStatus, IcsCalendar, IcsEvent, Organizer, escape_text, event_text, fold_line,
    write_calendar, write_calendar_of,
};
pub use links::{
    LinkText, LinkTime, google_calendar_link, google_calendar_url, outlook_link,
    outlook_office_url, outlook_url, yahoo_calendar_link,
};
pub use parse::{CalendarDuration, LocalTime, parse_duration, parse_local, parse_tz};
pub use recurrence::{ByDay, Frequency, MAX_COUNT, MAX_INTERVAL, Rule, Until, parse_rrule};

#[cfg(test)]
mod tests {
    //! Robustness: every parser returns an error (never panics) on
    //! arbitrary input, and the writer's text helpers keep their invariants.
    use super::*;

    /// A tiny deterministic generator so the "fuzz" cases are reproducible.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[(self.next() % items.len() as u64) as usize]
        }

        fn text(&mut self, alphabet: &[&str], max: u64) -> String {
            let n = self.next() % max;
            (0..n).map(|_| self.pick(alphabet)).collect()
        }
    }

    const DATE_BITS: &[&str] = &[
        "0", "1", "2", "9", "2026", "-", ":", "T", " ", "Z", "+", ".", "08", "12", "31", "59",
        "60", "24", "[", "é", "中", "\n", "t", "z", "-0", "+99",
    ];
    const DATE_SEEDS: &[&str] = &[
        "2026-03-07T20:00",
        "2026-03-07",
        "2026-03-07 20:00:00+08:00",
        "2026-03-29T02:30:00Z",
        "2024-02-29T23:59:59-05:30",
    ];
    const DURATION_BITS: &[&str] = &[
        "1",
        "0",
        "9",
        ".",
        "5",
        "h",
        "m",
        "d",
        "w",
        "s",
        "P",
        "T",
        "H",
        "M",
        "D",
        "W",
        "S",
        "Y",
        " ",
        "-",
        "小时",
        "分",
        "min",
        "hours",
        "99999999999",
    ];
    const RULE_PARTS: &[&str] = &[
        "INTERVAL",
        "COUNT",
        "UNTIL",
        "BYDAY",
        "BYMONTHDAY",
        "BYMONTH",
        "BYSETPOS",
        "WKST",
        "BYHOUR",
        "FREQ",
        "X",
    ];
    const RULE_VALUES: &[&str] = &[
        "1",
        "2",
        "3",
        "-1",
        "53",
        "0",
        "366",
        "12",
        "31",
        "-31",
        "SA",
        "SU",
        "MO",
        "1SU",
        "-1FR",
        "5FR",
        "2SA,4SA",
        "MO,TU,WE,TH,FR",
        "1,15",
        "3,10",
        "20261231",
        "20261231T120000Z",
        "2026-12-31",
        "20250101",
        "周",
        "",
    ];
    const FREQS: &[&str] = &[
        "DAILY", "WEEKLY", "MONTHLY", "YEARLY", "HOURLY", "weekly", "NOPE",
    ];

    /// A date string near a valid one: a seed with a few random edits.
    fn near_date(rng: &mut Rng) -> String {
        let mut s: Vec<char> = rng.pick(DATE_SEEDS).chars().collect();
        for _ in 0..rng.next() % 3 {
            let at = (rng.next() % (s.len() as u64 + 1)) as usize;
            match rng.next() % 3 {
                0 if at < s.len() => {
                    s.remove(at);
                }
                1 => s.splice(at..at, rng.pick(DATE_BITS).chars()).for_each(drop),
                _ if at < s.len() => s[at] = rng.pick(DATE_BITS).chars().next().unwrap_or('0'),
                _ => {}
            }
        }
        s.into_iter().collect()
    }

    /// A rule made of plausible parts in random combinations.
    fn near_rule(rng: &mut Rng) -> String {
        let mut parts = vec![format!("FREQ={}", rng.pick(FREQS))];
        for _ in 0..rng.next() % 4 {
            parts.push(format!(
                "{}={}",
                rng.pick(RULE_PARTS),
                rng.pick(RULE_VALUES)
            ));
        }
        let first = (rng.next() % parts.len() as u64) as usize;
        parts.swap(0, first);
        parts.join(";")
    }

    #[test]
    fn parsers_never_panic() {
        let tz = parse_tz("Europe/Berlin").unwrap();
        let starts = [
            parse_local("2026-03-07T20:00").unwrap(),
            parse_local("2026-03-01").unwrap(),
            parse_local("2026-01-31T10:00").unwrap(),
        ];
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let (mut locals, mut durations, mut rules) = (0, 0, 0);
        for _ in 0..4_000 {
            let s = near_date(&mut rng);
            if let Ok(v) = parse_local(&s) {
                locals += 1;
                // Whatever parses must print back into something that parses.
                assert!(parse_local(&v.to_string()).is_ok(), "{s:?} -> {v}");
            }
            let d = rng.text(DURATION_BITS, 8);
            if let Ok(v) = parse_duration(&d) {
                durations += 1;
                assert_eq!(parse_duration(&v.to_ics()), Ok(v), "{d:?}");
            }
            let r = near_rule(&mut rng);
            for start in &starts {
                if let Ok(rule) = parse_rrule(&r, start, &tz) {
                    rules += 1;
                    // A normalised rule re-parses to itself and can be used.
                    assert_eq!(
                        parse_rrule(&rule.to_ics(), start, &tz).as_ref(),
                        Ok(&rule),
                        "{r:?}"
                    );
                    let ev =
                        EventTime::new(*start, None, false, tz.clone(), Some(rule), &[]).unwrap();
                    let from = ev.start().timestamp();
                    let until = from
                        .checked_add(jiff::SignedDuration::from_hours(24 * 800))
                        .unwrap();
                    let occ = ev.occurrences(from, until, 50);
                    assert!(!occ.is_empty(), "{r:?}: the start is always an occurrence");
                    assert!(
                        occ.windows(2).all(|w| w[0].start < w[1].start),
                        "{r:?}: sorted"
                    );
                    let _ = ev.describe("en");
                    let _ = ev.describe("zh");
                }
            }
        }
        // The generators must reach the success paths too.
        assert!(
            locals > 500 && durations > 50 && rules > 500,
            "{locals} {durations} {rules}"
        );
        for _ in 0..100 {
            let _ = parse_tz(&rng.text(DATE_BITS, 10));
        }
    }

    #[test]
    fn text_helpers_keep_invariants() {
        let alphabet = &[
            "a", " ", "\\", ";", ",", ":", "\n", "\r", "\r\n", "\t", "\u{0}", "\u{7f}", "é", "中",
            "😀", "\"", "ß",
        ];
        let mut rng = Rng(42);
        for _ in 0..2_000 {
            let s = rng.text(alphabet, 200);
            let escaped = escape_text(&s);
            assert!(!escaped.contains(['\r', '\n', '\u{0}', '\u{7f}']), "{s:?}");
            let line = format!("DESCRIPTION:{escaped}");
            let folded = fold_line(&line);
            for phys in folded.as_bytes().split(|b| *b == b'\n') {
                let phys = phys.strip_suffix(b"\r").unwrap_or(phys);
                assert!(phys.len() <= 75);
                assert!(std::str::from_utf8(phys).is_ok());
            }
            assert_eq!(folded.replace("\r\n ", ""), line);
        }
    }
}
