//! "Add to calendar" links for people who do not subscribe to the feed.
//!
//! Neither service documents these URLs formally; the parameters used are
//! the long-stable ones: Google's `render?action=TEMPLATE` (with `ctz` and
//! `recur`) and Outlook's `deeplink/compose` (no recurrence support, so
//! Outlook links add a single occurrence).

use jiff::ZonedDateTime;
use jiff::civil::Date;

use super::event::{EventTime, Occurrence};
use super::recurrence::{Rule, add_days, ics_date, ics_datetime, ics_utc};

/// The texts placed into the service's "new event" form. Plain text; the
/// services show it as typed. Empty strings are left out of the URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LinkText<'a> {
    /// Event title.
    pub summary: &'a str,
    /// Description, e.g. a short summary plus the page URL. Keep it short:
    /// browsers and services cap URL length at a few thousand characters.
    pub details: &'a str,
    /// Where, as an address the service's map search understands.
    pub location: &'a str,
}

/// When the linked event happens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTime {
    /// A timed event; the zone of `start` is passed to Google as `ctz`.
    Timed {
        /// Start.
        start: ZonedDateTime,
        /// End.
        end: ZonedDateTime,
    },
    /// An all-day event.
    AllDay {
        /// First day.
        first_day: Date,
        /// The day after the last day (exclusive), as both services expect.
        end_exclusive: Date,
    },
}

impl LinkTime {
    /// The time of one occurrence, e.g. the next one, for a link that adds
    /// just that date.
    pub fn from_occurrence(o: &Occurrence) -> Self {
        if o.all_day {
            LinkTime::AllDay {
                first_day: o.first_day(),
                end_exclusive: add_days(o.last_day(), 1).unwrap_or(o.end.date()),
            }
        } else {
            LinkTime::Timed {
                start: o.start.clone(),
                end: o.end.clone(),
            }
        }
    }

    /// The event's first occurrence: the anchor for a series link.
    pub fn from_event(e: &EventTime) -> Self {
        Self::from_occurrence(&e.first_occurrence())
    }
}

/// Percent-encodes a query component: everything but RFC 3986 unreserved
/// characters, so the result is safe in any attribute or URL position.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn query(base: &str, params: &[(&str, String)]) -> String {
    let pairs: Vec<String> = params
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| {
            if *k == "dates" {
                // Google needs the literal `/` between start and end.
                let halves: Vec<String> = v.split('/').map(encode).collect();
                format!("dates={}", halves.join("/"))
            } else {
                format!("{k}={}", encode(v))
            }
        })
        .collect();
    format!("{base}?{}", pairs.join("&"))
}

/// A Google Calendar "create event" link.
///
/// With `recur` (normally `event.rule()`) the link adds the whole series:
/// the times are then given as wall-clock times with `ctz` set to the
/// event's zone, so Google expands the rule in that zone exactly as the
/// feed does (UTC times would shift weekdays and ignore DST). Exception
/// dates cannot be passed; for an event that has some, link the next
/// occurrence instead of the series. Without `recur`, times are given in
/// UTC and cannot be misread.
pub fn google_calendar_url(text: &LinkText<'_>, time: &LinkTime, recur: Option<&Rule>) -> String {
    let (dates, ctz) = match time {
        LinkTime::AllDay {
            first_day,
            end_exclusive,
        } => (
            format!("{}/{}", ics_date(*first_day), ics_date(*end_exclusive)),
            String::new(),
        ),
        LinkTime::Timed { start, end } => {
            let zone = start
                .time_zone()
                .iana_name()
                .unwrap_or_default()
                .to_string();
            if recur.is_some() && !zone.is_empty() {
                let end_local = end.with_time_zone(start.time_zone().clone());
                (
                    format!(
                        "{}/{}",
                        ics_datetime(start.datetime()),
                        ics_datetime(end_local.datetime())
                    ),
                    zone,
                )
            } else {
                (
                    format!(
                        "{}/{}",
                        ics_utc(start.timestamp()),
                        ics_utc(end.timestamp())
                    ),
                    zone,
                )
            }
        }
    };
    let recur = recur
        .map(|r| format!("RRULE:{}", r.to_ics()))
        .unwrap_or_default();
    query(
        "https://calendar.google.com/calendar/render",
        &[
            ("action", "TEMPLATE".to_string()),
            ("text", text.summary.to_string()),
            ("dates", dates),
            ("details", text.details.to_string()),
            ("location", text.location.to_string()),
            ("ctz", ctz),
            ("recur", recur),
        ],
    )
}

/// An Outlook.com (personal accounts) "new event" link for one occurrence.
pub fn outlook_url(text: &LinkText<'_>, time: &LinkTime) -> String {
    outlook(
        "https://outlook.live.com/calendar/deeplink/compose",
        text,
        time,
    )
}

/// The same link for Microsoft 365 work and school accounts, whose
/// calendars live on a different host.
pub fn outlook_office_url(text: &LinkText<'_>, time: &LinkTime) -> String {
    outlook(
        "https://outlook.office.com/calendar/deeplink/compose",
        text,
        time,
    )
}

fn outlook(base: &str, text: &LinkText<'_>, time: &LinkTime) -> String {
    let (start, end, all_day) = match time {
        LinkTime::AllDay {
            first_day,
            end_exclusive,
        } => (first_day.to_string(), end_exclusive.to_string(), "true"),
        LinkTime::Timed { start, end } => (iso_utc(start), iso_utc(end), "false"),
    };
    query(
        base,
        &[
            ("path", "/calendar/action/compose".to_string()),
            ("rru", "addevent".to_string()),
            ("subject", text.summary.to_string()),
            ("startdt", start),
            ("enddt", end),
            ("allday", all_day.to_string()),
            ("body", text.details.to_string()),
            ("location", text.location.to_string()),
        ],
    )
}

/// `2026-03-01T14:00:00Z`
fn iso_utc(z: &ZonedDateTime) -> String {
    let dt = jiff::tz::TimeZone::UTC.to_datetime(z.timestamp());
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        dt.date(),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

#[cfg(test)]
mod tests {
    use super::super::event::EventEnd;
    use super::super::parse::{parse_duration, parse_local, parse_tz};
    use super::super::recurrence::parse_rrule;
    use super::*;

    fn weekly() -> EventTime {
        let tz = parse_tz("Europe/Berlin").unwrap();
        let st = parse_local("2026-03-07T20:00").unwrap();
        let rule = parse_rrule("FREQ=WEEKLY;BYDAY=SA", &st, &tz).unwrap();
        EventTime::new(
            st,
            Some(EventEnd::After(parse_duration("2h").unwrap())),
            false,
            tz,
            Some(rule),
            &[],
        )
        .unwrap()
    }

    const TEXT: LinkText<'static> = LinkText {
        summary: "读书会 & Chat",
        details: "Bring a book.\nhttps://example.org/e/",
        location: "Café Einstein, Berlin",
    };

    #[test]
    fn google_series_uses_local_times_and_ctz() {
        let ev = weekly();
        let url = google_calendar_url(&TEXT, &LinkTime::from_event(&ev), ev.rule());
        assert_eq!(
            url,
            "https://calendar.google.com/calendar/render?action=TEMPLATE\
             &text=%E8%AF%BB%E4%B9%A6%E4%BC%9A%20%26%20Chat\
             &dates=20260307T200000/20260307T220000\
             &details=Bring%20a%20book.%0Ahttps%3A%2F%2Fexample.org%2Fe%2F\
             &location=Caf%C3%A9%20Einstein%2C%20Berlin\
             &ctz=Europe%2FBerlin\
             &recur=RRULE%3AFREQ%3DWEEKLY%3BBYDAY%3DSA"
        );
    }

    #[test]
    fn google_single_uses_utc_and_all_day_dates() {
        let ev = weekly();
        let occ = &ev.occurrences(
            "2026-04-01T00:00Z".parse().unwrap(),
            "2026-05-01T00:00Z".parse().unwrap(),
            1,
        )[0];
        let url = google_calendar_url(
            &LinkText {
                summary: "x",
                ..LinkText::default()
            },
            &LinkTime::from_occurrence(occ),
            None,
        );
        assert_eq!(
            url,
            "https://calendar.google.com/calendar/render?action=TEMPLATE&text=x\
             &dates=20260404T180000Z/20260404T200000Z&ctz=Europe%2FBerlin"
        );
        let fair = EventTime::new(
            parse_local("2026-12-12").unwrap(),
            Some(EventEnd::At(parse_local("2026-12-14").unwrap())),
            false,
            parse_tz("Asia/Shanghai").unwrap(),
            None,
            &[],
        )
        .unwrap();
        let url = google_calendar_url(
            &LinkText {
                summary: "fair",
                ..LinkText::default()
            },
            &LinkTime::from_event(&fair),
            None,
        );
        assert_eq!(
            url,
            "https://calendar.google.com/calendar/render?action=TEMPLATE&text=fair&dates=20261212/20261215"
        );
        let out = outlook_url(
            &LinkText {
                summary: "fair",
                ..LinkText::default()
            },
            &LinkTime::from_event(&fair),
        );
        assert_eq!(
            out,
            "https://outlook.live.com/calendar/deeplink/compose?path=%2Fcalendar%2Faction%2Fcompose\
             &rru=addevent&subject=fair&startdt=2026-12-12&enddt=2026-12-15&allday=true"
        );
    }

    #[test]
    fn outlook_timed_in_utc() {
        let ev = weekly();
        let url = outlook_office_url(&TEXT, &LinkTime::from_event(&ev));
        assert!(url.starts_with("https://outlook.office.com/calendar/deeplink/compose?"));
        assert!(
            url.contains(
                "&startdt=2026-03-07T19%3A00%3A00Z&enddt=2026-03-07T21%3A00%3A00Z&allday=false"
            ),
            "{url}"
        );
        assert!(
            url.contains("&subject=%E8%AF%BB%E4%B9%A6%E4%BC%9A%20%26%20Chat"),
            "{url}"
        );
        assert!(url.contains("&body=Bring%20a%20book.%0A"), "{url}");
        assert!(!url.contains(' ') && !url.contains('"') && !url.contains('<'));
    }
}
