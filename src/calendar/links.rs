//! "Add to calendar" links for people who do not subscribe to the feed.
//!
//! No service documents these URLs formally; the parameters used are the
//! long-stable ones. What each can say about a repeating event differs, and
//! a link must never put a cancelled date in someone's calendar:
//!
//! - **Google** (`render?action=TEMPLATE`) takes a rule in `recur`
//!   (`RRULE:…`) and a zone in `ctz`, so [`google_calendar_link`] adds the
//!   series, from the occurrence the page shows (normally the next) on. It
//!   has no documented way to pass exception dates, so when one lies ahead
//!   the series ends just before it (the page and the `.ics` feed show the
//!   rest); a `COUNT` becomes the `UNTIL` of the last occurrence, since the
//!   linked series starts later than the event does.
//! - **Outlook** (`deeplink/compose`) has no recurrence parameter at all:
//!   its links add the one occurrence shown.
//! - **Yahoo** (`calendar.yahoo.com/?v=60`) repeats by `RPAT` (every *n*
//!   days, weeks, months or years, nothing finer) until `REND` (a date),
//!   with times in UTC: [`yahoo_calendar_link`] adds the series only when
//!   the rule says no more than that and the zone's offset never changes
//!   during it (a UTC series would drift an hour at every DST change);
//!   otherwise the occurrence shown.

use jiff::civil::Date;
use jiff::{Timestamp, ZonedDateTime};

use super::event::{EventTime, Occurrence};
use super::recurrence::{Frequency, Rule, Until, add_days, ics_date, ics_datetime, ics_utc};

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

/// Everything but RFC 3986 unreserved characters (letters, digits, `-`,
/// `_`, `.`, `~`).
const QUERY_SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes a query component, so the result is safe in any
/// attribute or URL position.
fn encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, QUERY_SET).to_string()
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

/// How an event continues from one of its occurrences: that occurrence
/// and the rule that produces it and the ones after it, up to the first
/// exception date ahead (see the module's notes). `None` when nothing
/// repeats after it.
fn series_from(event: &EventTime, anchor: &Occurrence) -> Option<Rule> {
    let rule = event.rule()?;
    let from = anchor.start.timestamp();
    let anchor_local = anchor.start.datetime();
    let next_exception = event
        .exdates()
        .iter()
        .copied()
        .find(|x| *x > anchor_local)
        .and_then(|x| event.tz().to_ambiguous_timestamp(x).compatible().ok());
    let last_before = |until: Timestamp| {
        event
            .occurrences(from, until, super::MAX_COUNT as usize)
            .into_iter()
            .rfind(|o| o.start.timestamp() < until)
    };
    let until_of = |o: &Occurrence| {
        if o.all_day {
            Until::Date(o.first_day())
        } else {
            Until::Instant(o.start.timestamp())
        }
    };
    let last = match (next_exception, rule.is_finite()) {
        (Some(x), _) => last_before(x),
        (None, true) => last_before(Timestamp::MAX),
        (None, false) => return Some(rule.clone()),
    }?;
    if last.start.timestamp() <= from {
        return None;
    }
    Some(rule.ending_at(until_of(&last)))
}

/// The Google Calendar link of an event whose page shows `shown`: the
/// series from `shown` on when the event repeats, else that occurrence.
pub fn google_calendar_link(text: &LinkText<'_>, event: &EventTime, shown: &Occurrence) -> String {
    let series = series_from(event, shown);
    google_calendar_url(text, &LinkTime::from_occurrence(shown), series.as_ref())
}

/// The Outlook.com link of an event whose page shows `shown`: that
/// occurrence only, since Outlook's link cannot repeat.
pub fn outlook_link(text: &LinkText<'_>, shown: &Occurrence) -> String {
    outlook_url(text, &LinkTime::from_occurrence(shown))
}

/// The Yahoo Calendar link of an event whose page shows `shown`: the series
/// from `shown` on when Yahoo can say it exactly (see the module's notes),
/// else that occurrence.
pub fn yahoo_calendar_link(text: &LinkText<'_>, event: &EventTime, shown: &Occurrence) -> String {
    let repeat = series_from(event, shown).and_then(|rule| yahoo_repeat(event, shown, &rule));
    let time = LinkTime::from_occurrence(shown);
    let mut params = vec![("v", "60".to_string()), ("title", text.summary.to_string())];
    match &time {
        LinkTime::AllDay {
            first_day,
            end_exclusive,
        } => {
            params.push(("st", ics_date(*first_day)));
            params.push(("et", ics_date(*end_exclusive)));
            params.push(("dur", "allday".to_string()));
        }
        LinkTime::Timed { start, end } => {
            params.push(("st", ics_utc(start.timestamp())));
            params.push(("et", ics_utc(end.timestamp())));
        }
    }
    params.push(("desc", text.details.to_string()));
    params.push(("in_loc", text.location.to_string()));
    if let Some((pattern, end)) = repeat {
        params.push(("RPAT", pattern));
        params.push(("REND", end.map(ics_date).unwrap_or_default()));
    }
    query("https://calendar.yahoo.com/", &params)
}

/// Yahoo's `RPAT` (`01Wk`: every week) and `REND` (the last date) for
/// `rule` continuing from `shown`, when they say exactly the same: the rule
/// has no `BY…` part beyond what its start implies, and the zone keeps one
/// offset for the whole series (Yahoo repeats the UTC time).
fn yahoo_repeat(
    event: &EventTime,
    shown: &Occurrence,
    rule: &Rule,
) -> Option<(String, Option<Date>)> {
    let start = shown.start.date();
    let implied_weekday = match rule.by_day() {
        [] => true,
        [only] => {
            only.ordinal.is_none()
                && rule.freq() == Frequency::Weekly
                && only.weekday == start.weekday()
        }
        _ => false,
    };
    let implied_month = match rule.by_month() {
        [] => true,
        [m] => rule.freq() == Frequency::Yearly && *m == start.month(),
        _ => false,
    };
    let implied_day = match rule.by_month_day() {
        [] => true,
        [d] => matches!(rule.freq(), Frequency::Monthly | Frequency::Yearly) && *d == start.day(),
        _ => false,
    };
    if !(implied_weekday && implied_month && implied_day && rule.by_set_pos().is_empty()) {
        return None;
    }
    if rule.interval() > 99 {
        return None;
    }
    let end = match rule.until() {
        Some(Until::Date(d)) => Some(d),
        Some(Until::Instant(ts)) => Some(event.tz().to_datetime(ts).date()),
        None => None,
    };
    let until = match end {
        Some(d) => event
            .tz()
            .to_ambiguous_timestamp(add_days(d, 1)?.to_datetime(jiff::civil::Time::midnight()))
            .compatible()
            .ok()?,
        None => Timestamp::MAX,
    };
    let drifts = event
        .tz()
        .following(shown.start.timestamp())
        .next()
        .is_some_and(|t| t.timestamp() < until);
    if drifts {
        return None;
    }
    let unit = match rule.freq() {
        Frequency::Daily => "Dy",
        Frequency::Weekly => "Wk",
        Frequency::Monthly => "Mh",
        Frequency::Yearly => "Yr",
    };
    Some((format!("{:02}{unit}", rule.interval()), end))
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
    use jiff::Timestamp;

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

    /// An event in `tz` from `start`, repeating by `rule`, without the
    /// dates in `ex`; and its occurrence a page built at `now` shows (the
    /// next one).
    fn series(
        tz: &str,
        start: &str,
        rule: &str,
        ex: &[&str],
        now: &str,
    ) -> (EventTime, Occurrence) {
        let tz = parse_tz(tz).unwrap();
        let st = parse_local(start).unwrap();
        let rule = parse_rrule(rule, &st, &tz).unwrap();
        let ex: Vec<_> = ex.iter().map(|x| parse_local(x).unwrap()).collect();
        let ev = EventTime::new(
            st,
            Some(EventEnd::After(parse_duration("2h").unwrap())),
            false,
            tz,
            Some(rule),
            &ex,
        )
        .unwrap();
        let now: Timestamp = now.parse().unwrap();
        let far: Timestamp = "2100-01-01T00:00:00Z".parse().unwrap();
        let shown = ev.occurrences(now, far, 1).pop().unwrap();
        (ev, shown)
    }

    const PLAIN: LinkText<'static> = LinkText {
        summary: "x",
        details: "",
        location: "",
    };

    #[test]
    fn google_adds_the_series_from_the_occurrence_shown() {
        // Weekly on Saturdays; one exception long past: the series from the
        // next Saturday on, with no end.
        let (ev, shown) = series(
            "Asia/Shanghai",
            "2026-01-03T20:00",
            "FREQ=WEEKLY;BYDAY=SA",
            &["2026-02-14T20:00"],
            "2026-11-23T12:00:00Z",
        );
        assert_eq!(
            google_calendar_link(&PLAIN, &ev, &shown),
            "https://calendar.google.com/calendar/render?action=TEMPLATE&text=x\
             &dates=20261128T200000/20261128T220000&ctz=Asia%2FShanghai\
             &recur=RRULE%3AFREQ%3DWEEKLY%3BBYDAY%3DSA"
        );
    }

    #[test]
    fn google_ends_the_series_before_an_exception_ahead() {
        // 12 December is cancelled: Google's link cannot say so, so the
        // series it adds stops at 5 December (20:00 in Shanghai is 12:00 UTC)
        // rather than put a cancelled evening in someone's calendar.
        let (ev, shown) = series(
            "Asia/Shanghai",
            "2026-01-03T20:00",
            "FREQ=WEEKLY;BYDAY=SA",
            &["2026-02-14T20:00", "2026-12-12T20:00"],
            "2026-11-23T12:00:00Z",
        );
        let url = google_calendar_link(&PLAIN, &ev, &shown);
        assert!(url.contains("&dates=20261128T200000/20261128T220000&ctz=Asia%2FShanghai"));
        assert!(
            url.ends_with("&recur=RRULE%3AFREQ%3DWEEKLY%3BUNTIL%3D20261205T120000Z%3BBYDAY%3DSA"),
            "{url}"
        );
        // Once past it, the whole rest of the series again.
        let (ev, shown) = series(
            "Asia/Shanghai",
            "2026-01-03T20:00",
            "FREQ=WEEKLY;BYDAY=SA",
            &["2026-12-12T20:00"],
            "2026-12-13T00:00:00Z",
        );
        assert!(
            google_calendar_link(&PLAIN, &ev, &shown)
                .ends_with("&dates=20261219T200000/20261219T220000&ctz=Asia%2FShanghai&recur=RRULE%3AFREQ%3DWEEKLY%3BBYDAY%3DSA")
        );
        // The next occurrence is the last before the exception: one date.
        let (ev, shown) = series(
            "Asia/Shanghai",
            "2026-01-03T20:00",
            "FREQ=WEEKLY;BYDAY=SA",
            &["2026-12-12T20:00"],
            "2026-11-30T00:00:00Z",
        );
        let url = google_calendar_link(&PLAIN, &ev, &shown);
        assert!(
            url.contains("&dates=20261205T120000Z/20261205T140000Z"),
            "{url}"
        );
        assert!(!url.contains("recur"), "{url}");
    }

    #[test]
    fn google_counts_a_count_from_the_right_start() {
        // Five Saturdays from 7 March; shown the third (21 March): the
        // link's series ends on the fifth, 4 April (Berlin, summer time).
        let (ev, shown) = series(
            "Europe/Berlin",
            "2026-03-07T20:00",
            "FREQ=WEEKLY;COUNT=5",
            &[],
            "2026-03-20T00:00:00Z",
        );
        let url = google_calendar_link(&PLAIN, &ev, &shown);
        assert!(url.contains("&dates=20260321T200000/20260321T220000&ctz=Europe%2FBerlin"));
        assert!(
            url.ends_with("&recur=RRULE%3AFREQ%3DWEEKLY%3BUNTIL%3D20260404T180000Z"),
            "{url}"
        );
        // The last one shown: that date alone, in UTC.
        let (ev, shown) = series(
            "Europe/Berlin",
            "2026-03-07T20:00",
            "FREQ=WEEKLY;COUNT=5",
            &[],
            "2026-04-01T00:00:00Z",
        );
        let url = google_calendar_link(&PLAIN, &ev, &shown);
        assert!(
            url.ends_with("&dates=20260404T180000Z/20260404T200000Z&ctz=Europe%2FBerlin"),
            "{url}"
        );
    }

    #[test]
    fn outlook_adds_the_occurrence_shown() {
        let (_, shown) = series(
            "Asia/Shanghai",
            "2026-01-03T20:00",
            "FREQ=WEEKLY;BYDAY=SA",
            &[],
            "2026-11-23T12:00:00Z",
        );
        let url = outlook_link(&PLAIN, &shown);
        assert!(
            url.contains(
                "&startdt=2026-11-28T12%3A00%3A00Z&enddt=2026-11-28T14%3A00%3A00Z&allday=false"
            ),
            "{url}"
        );
        assert!(!url.to_ascii_lowercase().contains("recur") && !url.contains("RRULE"));
    }

    #[test]
    fn yahoo_repeats_only_what_it_can_say_exactly() {
        let now = "2026-11-23T12:00:00Z";
        // Weekly in Shanghai (no DST): every week, no end.
        let (ev, shown) = series(
            "Asia/Shanghai",
            "2026-01-03T20:00",
            "FREQ=WEEKLY;BYDAY=SA",
            &[],
            now,
        );
        assert_eq!(
            yahoo_calendar_link(&PLAIN, &ev, &shown),
            "https://calendar.yahoo.com/?v=60&title=x&st=20261128T120000Z&et=20261128T140000Z&RPAT=01Wk"
        );
        // An exception ahead ends it the day before, as for Google.
        let (ev, shown) = series(
            "Asia/Shanghai",
            "2026-01-03T20:00",
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=SA",
            &["2027-01-02T20:00"],
            now,
        );
        assert!(
            yahoo_calendar_link(&PLAIN, &ev, &shown).ends_with("&RPAT=02Wk&REND=20261219"),
            "{}",
            yahoo_calendar_link(&PLAIN, &ev, &shown)
        );
        // Berlin changes its clocks: a UTC series would drift, so one date.
        let (ev, shown) = series("Europe/Berlin", "2026-01-03T20:00", "FREQ=WEEKLY", &[], now);
        let url = yahoo_calendar_link(&PLAIN, &ev, &shown);
        assert!(
            url.ends_with("&st=20261128T190000Z&et=20261128T210000Z"),
            "{url}"
        );
        // "The first Sunday of the month" is finer than RPAT: one date.
        let (ev, shown) = series(
            "Asia/Shanghai",
            "2026-01-04T14:00",
            "FREQ=MONTHLY;BYDAY=1SU",
            &[],
            now,
        );
        assert!(!yahoo_calendar_link(&PLAIN, &ev, &shown).contains("RPAT"));
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
