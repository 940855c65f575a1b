//! When an event happens: start, end, zone, recurrence and exceptions,
//! validated once at construction, then expanded into concrete occurrences.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ZonedDateTime};

use super::error::{CalendarError, EventField, err};
use super::parse::{CalendarDuration, LocalTime, fmt_datetime_minutes};
use super::recurrence::{Expander, Rule, add_days, resolve, weekday_name};

/// How the end of an event was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventEnd {
    /// An end point. For all-day events this is the *last day* of the event
    /// (inclusive, as people say "12–14 December"); it is converted to the
    /// exclusive form calendars use.
    At(LocalTime),
    /// A length from the start (days keep the wall-clock time).
    After(CalendarDuration),
}

/// Length of a timed event written without an end.
///
/// One hour: calendar apps show a zero-length event as a sliver that is
/// easy to miss, and "add to calendar" services require an end. The
/// default is flagged by [`EventTime::has_explicit_end`] so pages can show
/// just "20:00" rather than an invented "20:00–21:00".
pub const DEFAULT_TIMED_LENGTH: SignedDuration = SignedDuration::from_hours(1);

/// One concrete happening of an event.
///
/// For all-day occurrences `start` is the start of the first day and `end`
/// the start of the day after the last (exclusive), both in the event's
/// zone; use [`Occurrence::first_day`] and [`Occurrence::last_day`] to get
/// the dates people expect to see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// When it starts, in the event's zone.
    pub start: ZonedDateTime,
    /// When it ends (exclusive), in the event's zone.
    pub end: ZonedDateTime,
    /// Whether this is a whole-day occurrence (show dates, not times).
    pub all_day: bool,
}

impl Occurrence {
    /// The local date on which the occurrence starts.
    pub fn first_day(&self) -> Date {
        self.start.date()
    }

    /// The last local date the occurrence covers (inclusive): for all-day
    /// occurrences the day before the exclusive end, for timed ones the
    /// date of the last instant before `end`.
    pub fn last_day(&self) -> Date {
        if self.end.timestamp() <= self.start.timestamp() {
            return self.start.date();
        }
        if self.all_day {
            return add_days(self.end.date(), -1).unwrap_or(self.start.date());
        }
        let last = self
            .end
            .checked_sub(SignedDuration::from_nanos(1))
            .unwrap_or_else(|_| self.end.clone());
        last.date()
    }
}

/// An event's timing, validated: the end is not before the start, the
/// recurrence rule fits the start, and every exception date is one of the
/// occurrences.
///
/// Everything a page or the iCalendar writer needs is derived from this;
/// it knows nothing about files or the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventTime {
    start_local: DateTime,
    start: ZonedDateTime,
    end: ZonedDateTime,
    all_day: bool,
    all_day_days: i64,
    tz: TimeZone,
    rule: Option<Rule>,
    exdates: Vec<DateTime>,
    explicit_end: bool,
}

impl EventTime {
    /// Builds and validates an event's timing.
    ///
    /// - `start`: a date makes the event all-day; a wall-clock time is read
    ///   in `tz`; an exact instant is converted to `tz`.
    /// - `end`: `None` means one day for all-day events and
    ///   [`DEFAULT_TIMED_LENGTH`] for timed ones. An end before the start is
    ///   an error; an end equal to the start is a valid zero-length event.
    /// - `all_day`: forces all-day; then `start` (and an `At` end) must be
    ///   dates. `false` means "decide from `start`".
    /// - `tz`: must be an IANA zone (it is written as `TZID`).
    /// - `rule`: checked against the start again, so it cannot have been
    ///   parsed for a different start.
    /// - `exdates`: occurrences to skip. Each must match an occurrence: an
    ///   exact start (`2026-03-14T20:00`), or for timed events a plain date
    ///   meaning "that day's occurrence". A mismatch is an error, because a
    ///   silently ignored exception is an event people turn up to in vain.
    pub fn new(
        start: LocalTime,
        end: Option<EventEnd>,
        all_day: bool,
        tz: TimeZone,
        rule: Option<Rule>,
        exdates: &[LocalTime],
    ) -> Result<EventTime, CalendarError> {
        if tz.iana_name().is_none() {
            return Err(err(
                "the event's time zone has no IANA name",
                "use a named zone such as `Europe/Berlin` (parse it with parse_tz)",
            )
            .on(EventField::TimeZone));
        }
        let all_day = all_day || start.is_date();
        if all_day && !start.is_date() {
            return Err(err(
                format!("the event is all-day, but its start `{start}` has a time"),
                "write just the date, e.g. `2026-12-12`, or drop `all_day` to make it a timed event",
            )
            .on(EventField::Start));
        }
        let start_local = start.to_datetime_in(&tz);
        let start_zdt = match start {
            LocalTime::Exact(ts) => Some(ts.to_zoned_datetime(tz.clone())),
            _ => resolve(&tz, start_local),
        }
        .ok_or_else(|| {
            err(
                format!("the start `{start}` is out of range"),
                "check the year",
            )
            .on(EventField::Start)
        })?;

        let out_of_range = || {
            err(
                "the event's end is out of range",
                "check the end date and the duration",
            )
            .on(EventField::End)
        };
        let mut all_day_days = 0;
        let explicit_end = end.is_some();
        let end_zdt = if all_day {
            let days: i64 = match end {
                None => 1,
                Some(EventEnd::At(LocalTime::Date(last))) => {
                    if last < start_local.date() {
                        return Err(err(
                            format!(
                                "the event ends ({last}) before it starts ({})",
                                start_local.date()
                            ),
                            "for all-day events `end` is the last day of the event (inclusive); it \
                             must be on or after the start",
                        )
                        .on(EventField::EndBeforeStart));
                    }
                    start_local
                        .date()
                        .until(last)
                        .map_err(|_| out_of_range())?
                        .get_days() as i64
                        + 1
                }
                Some(EventEnd::At(other)) => {
                    return Err(err(
                        format!("the event is all-day, but its end `{other}` has a time"),
                        "write the last day as a date, e.g. `2026-12-14`",
                    )
                    .on(EventField::End));
                }
                Some(EventEnd::After(d)) => {
                    if d.seconds() != 0 || d.days() == 0 {
                        return Err(err(
                            format!("an all-day event cannot last `{d}`"),
                            "all-day events last whole days: write e.g. `1d` or `3d`, or give the \
                             start a time to make it a timed event",
                        )
                        .on(EventField::End));
                    }
                    i64::from(d.days())
                }
            };
            all_day_days = days;
            let end_date = add_days(start_local.date(), days).ok_or_else(out_of_range)?;
            resolve(&tz, end_date.to_datetime(Time::midnight())).ok_or_else(out_of_range)?
        } else {
            match end {
                None => start_zdt
                    .checked_add(DEFAULT_TIMED_LENGTH)
                    .map_err(|_| out_of_range())?,
                Some(EventEnd::At(LocalTime::Date(d))) => {
                    return Err(err(
                        format!("the end `{d}` is a date, but the start `{start}` has a time"),
                        "give the end a time too, e.g. `2026-01-03T22:00`, or write a length such as \
                         `duration: 2h`",
                    )
                    .on(EventField::End));
                }
                Some(EventEnd::At(LocalTime::DateTime(dt))) => {
                    resolve(&tz, dt).ok_or_else(out_of_range)?
                }
                Some(EventEnd::At(LocalTime::Exact(ts))) => ts.to_zoned_datetime(tz.clone()),
                Some(EventEnd::After(d)) => {
                    let day_shifted = add_days(start_local.date(), i64::from(d.days()))
                        .map(|date| date.to_datetime(start_local.time()))
                        .and_then(|dt| resolve(&tz, dt))
                        .ok_or_else(out_of_range)?;
                    let base = if d.days() == 0 {
                        start_zdt.clone()
                    } else {
                        day_shifted
                    };
                    base.checked_add(d.exact()).map_err(|_| out_of_range())?
                }
            }
        };
        if end_zdt.timestamp() < start_zdt.timestamp() {
            let shown_end = match end {
                Some(EventEnd::At(e)) => e.to_string(),
                _ => fmt_datetime_minutes(end_zdt.datetime()),
            };
            return Err(err(
                format!("the event ends ({shown_end}) before it starts ({start})"),
                "check both dates; an event that runs past midnight ends on the next day, \
                 e.g. start `2026-01-03T22:00`, end `2026-01-04T01:00`",
            )
            .on(EventField::EndBeforeStart));
        }

        if let Some(rule) = &rule {
            rule.check_start(start_local, all_day, &tz)
                .map_err(|e| e.on(EventField::Rule))?;
        }

        let mut event = EventTime {
            start_local,
            start: start_zdt,
            end: end_zdt,
            all_day,
            all_day_days,
            tz,
            rule,
            exdates: Vec::new(),
            explicit_end,
        };
        event.exdates = event.match_exdates(exdates)?;
        Ok(event)
    }

    /// Resolves each exception to the nominal start of the occurrence it
    /// removes (so matching during expansion is exact and the writer emits
    /// it in the same form as the start).
    fn match_exdates(&self, exdates: &[LocalTime]) -> Result<Vec<DateTime>, CalendarError> {
        if exdates.is_empty() {
            return Ok(Vec::new());
        }
        let Some(rule) = &self.rule else {
            return Err(err(
                "the event has exception dates but does not repeat",
                "exception dates remove occurrences of a repeating event; add a rule or remove them",
            )
            .on(EventField::Exception(0)));
        };
        enum Want {
            Day(Date),
            At(Timestamp),
        }
        let mut wants = Vec::new();
        for (i, x) in exdates.iter().enumerate() {
            let on_this = EventField::Exception(i);
            let want = match (*x, self.all_day) {
                (LocalTime::Date(d), _) => Want::Day(d),
                (_, true) => {
                    return Err(err(
                        format!("the exception `{x}` has a time, but the event is all-day"),
                        "write exception dates of all-day events as dates, e.g. `2026-12-24`",
                    )
                    .on(on_this));
                }
                (LocalTime::DateTime(dt), false) => match resolve(&self.tz, dt) {
                    Some(z) => Want::At(z.timestamp()),
                    None => {
                        return Err(err(
                            format!("the exception `{x}` is out of range"),
                            "check the year",
                        )
                        .on(on_this));
                    }
                },
                (LocalTime::Exact(ts), false) => Want::At(ts),
            };
            wants.push((i, x, want));
        }
        // A rule with COUNT is expanded once from its start (at most
        // MAX_COUNT occurrences, before the last wanted date). Without COUNT
        // each exception is looked up near its own date: a far date such as
        // 9999-12-25 must not mean expanding every week until then.
        let counted: Option<Vec<DateTime>> = rule.count().map(|_| {
            let last_wanted = wants
                .iter()
                .map(|(_, _, w)| match w {
                    Want::Day(d) => *d,
                    Want::At(ts) => self.tz.to_datetime(*ts).date(),
                })
                .max()
                .unwrap_or(self.start_local.date());
            let horizon = add_days(last_wanted, 1).unwrap_or(last_wanted);
            Expander::new(rule, self.start_local, &self.tz, Some(horizon)).collect()
        });

        let mut out = Vec::new();
        for (i, x, want) in wants {
            let near_date = match want {
                Want::Day(d) => d,
                Want::At(t) => self.tz.to_datetime(t).date(),
            };
            // The nominal starts that can match: a start in a DST gap is
            // moved later, at most onto the next day.
            let lo = add_days(near_date, -2).unwrap_or(near_date);
            let hi = add_days(near_date, 1).unwrap_or(near_date);
            let near: Vec<DateTime> = match &counted {
                Some(all) => all
                    .iter()
                    .copied()
                    .filter(|dt| (lo..=hi).contains(&dt.date()))
                    .collect(),
                None => Expander::new(rule, self.start_local, &self.tz, Some(hi))
                    .skip_to(lo)
                    .skip_while(|dt| dt.date() < lo)
                    .take_while(|dt| dt.date() <= hi)
                    .collect(),
            };
            let hit = near.iter().find(|dt| match want {
                Want::Day(d) => dt.date() == d,
                Want::At(t) => self.resolve_nominal(**dt).map(|z| z.timestamp()) == Some(t),
            });
            if let Some(dt) = hit {
                out.push(*dt);
                continue;
            }
            let mut hint = String::new();
            if let Some(same_day) = near.iter().find(|dt| dt.date() == near_date) {
                hint = format!(
                    "; that day's occurrence starts at {:02}:{:02}, so write `{}`",
                    same_day.hour(),
                    same_day.minute(),
                    fmt_datetime_minutes(*same_day)
                );
            } else {
                let (before, after) = match &counted {
                    Some(all) => (
                        all.iter().rev().find(|dt| dt.date() < near_date).copied(),
                        all.iter().find(|dt| dt.date() > near_date).copied(),
                    ),
                    None => {
                        let nearest = |later| {
                            rule.nearest_occurrence(
                                self.start_local,
                                &self.tz,
                                near_date,
                                later,
                                2_000,
                            )
                        };
                        (nearest(false), nearest(true))
                    }
                };
                let show = |dt: DateTime| {
                    if self.all_day {
                        format!("{} {}", weekday_name(dt.weekday()), dt.date())
                    } else {
                        format!(
                            "{} {}",
                            weekday_name(dt.weekday()),
                            fmt_datetime_minutes(dt)
                        )
                    }
                };
                match (before, after) {
                    (Some(b), Some(a)) => {
                        hint = format!("; the nearest occurrences are {} and {}", show(b), show(a));
                    }
                    (Some(b), None) if rule.is_finite() => {
                        hint = format!("; the last occurrence is {}", show(b));
                    }
                    (Some(b), None) => {
                        hint = format!("; the nearest earlier occurrence is {}", show(b));
                    }
                    (None, Some(a)) => hint = format!("; the first occurrence is {}", show(a)),
                    (None, None) => {}
                }
            }
            return Err(err(
                format!("the exception date `{x}` is not an occurrence of this event{hint}"),
                "an exception date must be the exact start of an occurrence (or, for timed \
                 events, just its date); remove it if the rule no longer produces that date",
            )
            .on(EventField::Exception(i)));
        }
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }

    /// The first occurrence's start, in the event's zone.
    pub fn start(&self) -> &ZonedDateTime {
        &self.start
    }

    /// The first occurrence's end (exclusive; for all-day events the start
    /// of the day after the last day).
    pub fn end(&self) -> &ZonedDateTime {
        &self.end
    }

    /// The start as written on the wall clock of the event's zone; the
    /// anchor for recurrence and the form written to `DTSTART`.
    pub fn start_local(&self) -> DateTime {
        self.start_local
    }

    /// For all-day events, the last day (inclusive) of the first
    /// occurrence, as people write it.
    pub fn last_day(&self) -> Date {
        self.first_occurrence().last_day()
    }

    /// Whether the event covers whole days.
    pub fn all_day(&self) -> bool {
        self.all_day
    }

    /// The event's time zone.
    pub fn tz(&self) -> &TimeZone {
        &self.tz
    }

    /// The IANA name of the zone (always present: checked in `new`).
    pub fn tz_name(&self) -> &str {
        self.tz.iana_name().unwrap_or("UTC")
    }

    /// Whether the zone is UTC, in which case times are written with `Z`
    /// rather than a `TZID`.
    pub fn is_utc(&self) -> bool {
        matches!(
            self.tz_name(),
            "UTC"
                | "Etc/UTC"
                | "Etc/UCT"
                | "UCT"
                | "Etc/Universal"
                | "Universal"
                | "Etc/Zulu"
                | "Zulu"
        )
    }

    /// The recurrence rule, if the event repeats.
    pub fn rule(&self) -> Option<&Rule> {
        self.rule.as_ref()
    }

    /// The removed occurrences, as the wall-clock starts the rule produces
    /// (midnight for all-day events), sorted.
    pub fn exdates(&self) -> &[DateTime] {
        &self.exdates
    }

    /// Whether the end was written (rather than defaulted), so a page can
    /// avoid showing an invented end time.
    pub fn has_explicit_end(&self) -> bool {
        self.explicit_end
    }

    /// The first occurrence (the start, even if an exception removes it
    /// from [`EventTime::occurrences`]).
    pub fn first_occurrence(&self) -> Occurrence {
        Occurrence {
            start: self.start.clone(),
            end: self.end.clone(),
            all_day: self.all_day,
        }
    }

    /// The wall-clock start of an occurrence as an instant; the first one
    /// keeps the exact instant given (which matters when an offset picked
    /// the second of two repeated fall-back hours).
    fn resolve_nominal(&self, dt: DateTime) -> Option<ZonedDateTime> {
        if dt == self.start_local {
            Some(self.start.clone())
        } else {
            resolve(&self.tz, dt)
        }
    }

    fn occurrence_at(&self, dt: DateTime) -> Option<Occurrence> {
        if self.all_day {
            let start = resolve(&self.tz, dt.date().to_datetime(Time::midnight()))?;
            let end_date = add_days(dt.date(), self.all_day_days)?;
            let end = resolve(&self.tz, end_date.to_datetime(Time::midnight()))?;
            Some(Occurrence {
                start,
                end,
                all_day: true,
            })
        } else {
            let start = self.resolve_nominal(dt)?;
            // RFC 5545: with DTEND, every occurrence has the same exact length.
            let length = self.start.duration_until(&self.end);
            let end = start.checked_add(length).ok()?;
            Some(Occurrence {
                start,
                end,
                all_day: false,
            })
        }
    }

    /// The occurrences that overlap `[from, until)`, in order, at most
    /// `limit` of them, with exception dates removed.
    ///
    /// Overlap (not "starts within") so that an event already under way at
    /// `from` is still listed; a zero-length occurrence counts when its
    /// start is inside the window. Deterministic: the same event and window
    /// always give the same list.
    pub fn occurrences(&self, from: Timestamp, until: Timestamp, limit: usize) -> Vec<Occurrence> {
        let mut out = Vec::new();
        if limit == 0 || until <= from {
            return out;
        }
        let overlaps = |o: &Occurrence| {
            let (s, e) = (o.start.timestamp(), o.end.timestamp());
            s < until && (e > from || (s == e && s >= from))
        };
        let Some(rule) = &self.rule else {
            let only = self.first_occurrence();
            if overlaps(&only) {
                out.push(only);
            }
            return out;
        };
        let until_date = self.tz.to_datetime(until).date();
        let horizon = add_days(until_date, 1).unwrap_or(until_date);
        // Occurrences starting more than the event's length (and a margin for
        // DST shifts) before `from` end before it: the expansion can begin at
        // the period holding the first that may overlap, instead of walking
        // from a start long ago (skip_to still counts them for COUNT).
        let earliest = if self.all_day {
            add_days(self.tz.to_datetime(from).date(), -self.all_day_days)
        } else {
            from.checked_sub(self.start.duration_until(&self.end))
                .ok()
                .map(|t| self.tz.to_datetime(t).date())
        };
        let mut expander = Expander::new(rule, self.start_local, &self.tz, Some(horizon));
        if let Some(lo) = earliest.and_then(|d| add_days(d, -3)) {
            expander = expander.skip_to(lo);
        }
        for dt in expander {
            if self.exdates.binary_search(&dt).is_ok() {
                continue;
            }
            let Some(occ) = self.occurrence_at(dt) else {
                break;
            };
            if occ.start.timestamp() >= until {
                break;
            }
            if overlaps(&occ) {
                out.push(occ);
                if out.len() >= limit {
                    break;
                }
            }
        }
        out
    }

    /// The end of the last occurrence, or `None` when the rule never ends
    /// (or runs past `cap`). Used to decide how much time-zone history the
    /// iCalendar writer must describe.
    pub(crate) fn last_end(&self, cap: Date) -> Option<Timestamp> {
        let Some(rule) = &self.rule else {
            return Some(self.end.timestamp());
        };
        if !rule.is_finite() {
            return None;
        }
        let mut last = None;
        let mut expander = Expander::new(rule, self.start_local, &self.tz, Some(cap));
        for dt in expander.by_ref() {
            last = Some(dt);
        }
        if expander.stopped_at_horizon() {
            return None;
        }
        self.occurrence_at(last?).map(|o| o.end.timestamp())
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse::{parse_duration, parse_local, parse_tz};
    use super::super::recurrence::parse_rrule;
    use super::*;
    use jiff::civil::date;

    fn local(s: &str) -> LocalTime {
        parse_local(s).unwrap()
    }

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn errors_say_which_input_they_are_about() {
        let field = |r: Result<EventTime, CalendarError>| r.unwrap_err().field();
        let end = |s: &str| Some(EventEnd::At(local(s)));
        let berlin = "Europe/Berlin";
        let weekly = Some("FREQ=WEEKLY");
        assert_eq!(
            field(event(
                "2026-03-07T20:00",
                end("2026-03-07T19:00"),
                berlin,
                None,
                &[]
            )),
            Some(EventField::EndBeforeStart)
        );
        assert_eq!(
            field(event(
                "2026-03-07T20:00",
                end("2026-03-08"),
                berlin,
                None,
                &[]
            )),
            Some(EventField::End)
        );
        let three_hours = Some(EventEnd::After(parse_duration("3h").unwrap()));
        assert_eq!(
            field(event("2026-03-07", three_hours, berlin, None, &[])),
            Some(EventField::End)
        );
        let ex = ["2026-03-14T20:00", "2026-03-15T20:00"];
        assert_eq!(
            field(event("2026-03-07T20:00", None, berlin, weekly, &ex)),
            Some(EventField::Exception(1))
        );
        assert_eq!(
            field(event("2026-03-07T20:00", None, berlin, None, &ex)),
            Some(EventField::Exception(0))
        );
        let tz = parse_tz(berlin).unwrap();
        let rule = parse_rrule("FREQ=WEEKLY;BYDAY=SA", &local("2026-03-07T20:00"), &tz).unwrap();
        let moved = EventTime::new(local("2026-03-08T20:00"), None, false, tz, Some(rule), &[]);
        assert_eq!(field(moved), Some(EventField::Rule));
        let all_day_at_ten = EventTime::new(
            local("2026-12-12T10:00"),
            None,
            true,
            parse_tz("UTC").unwrap(),
            None,
            &[],
        );
        assert_eq!(field(all_day_at_ten), Some(EventField::Start));
        assert_eq!(parse_local("2026-13-01").unwrap_err().field(), None);
    }

    fn event(
        start: &str,
        end: Option<EventEnd>,
        tz: &str,
        rule: Option<&str>,
        exdates: &[&str],
    ) -> Result<EventTime, CalendarError> {
        let tz = parse_tz(tz)?;
        let st = local(start);
        let rule = rule.map(|r| parse_rrule(r, &st, &tz)).transpose()?;
        let ex: Vec<LocalTime> = exdates.iter().map(|s| local(s)).collect();
        EventTime::new(st, end, false, tz, rule, &ex)
    }

    fn starts(occ: &[Occurrence]) -> Vec<String> {
        occ.iter().map(|o| o.start.to_string()).collect()
    }

    #[test]
    fn weekly_berlin_stays_at_local_2000_across_dst() {
        let ev = event(
            "2026-03-07T20:00",
            None,
            "Europe/Berlin",
            Some("FREQ=WEEKLY;BYDAY=SA"),
            &[],
        )
        .unwrap();
        let occ = ev.occurrences(ts("2026-03-01T00:00Z"), ts("2026-04-05T00:00Z"), 100);
        assert_eq!(
            starts(&occ),
            [
                "2026-03-07T20:00:00+01:00[Europe/Berlin]",
                "2026-03-14T20:00:00+01:00[Europe/Berlin]",
                "2026-03-21T20:00:00+01:00[Europe/Berlin]",
                // The switch to CEST is on Sunday 29 March.
                "2026-03-28T20:00:00+01:00[Europe/Berlin]",
                "2026-04-04T20:00:00+02:00[Europe/Berlin]",
            ]
        );
        let nov = ev.occurrences(ts("2026-10-20T00:00Z"), ts("2026-11-10T00:00Z"), 100);
        assert_eq!(
            starts(&nov),
            [
                "2026-10-24T20:00:00+02:00[Europe/Berlin]",
                "2026-10-31T20:00:00+01:00[Europe/Berlin]",
                "2026-11-07T20:00:00+01:00[Europe/Berlin]",
            ]
        );
        for o in occ.iter().chain(&nov) {
            assert_eq!((o.start.hour(), o.start.minute()), (20, 0));
            assert_eq!(
                o.start.duration_until(&o.end),
                SignedDuration::from_hours(1)
            );
            assert!(!o.all_day);
        }
        assert!(!ev.has_explicit_end());
    }

    #[test]
    fn gap_times_shift_forward_and_folds_take_the_first() {
        // 02:30 does not exist on 29 March 2026 in Berlin: moved to 03:30 CEST.
        let ev = event(
            "2026-03-22T02:30",
            None,
            "Europe/Berlin",
            Some("FREQ=WEEKLY;COUNT=3"),
            &[],
        )
        .unwrap();
        let occ = ev.occurrences(ts("2026-03-01T00:00Z"), ts("2026-05-01T00:00Z"), 10);
        assert_eq!(
            starts(&occ),
            [
                "2026-03-22T02:30:00+01:00[Europe/Berlin]",
                "2026-03-29T03:30:00+02:00[Europe/Berlin]",
                "2026-04-05T02:30:00+02:00[Europe/Berlin]",
            ]
        );
        // 02:30 happens twice on 25 October 2026: the first (CEST) is used.
        let ev = event(
            "2026-10-18T02:30",
            None,
            "Europe/Berlin",
            Some("FREQ=WEEKLY;COUNT=2"),
            &[],
        )
        .unwrap();
        let occ = ev.occurrences(ts("2026-10-01T00:00Z"), ts("2026-11-01T00:00Z"), 10);
        assert_eq!(starts(&occ)[1], "2026-10-25T02:30:00+02:00[Europe/Berlin]");
    }

    #[test]
    fn monthly_first_sunday_and_last_friday() {
        let ev = event(
            "2026-03-01T15:00",
            Some(EventEnd::After(parse_duration("2h").unwrap())),
            "Europe/Berlin",
            Some("FREQ=MONTHLY;BYDAY=1SU"),
            &[],
        )
        .unwrap();
        let occ = ev.occurrences(ts("2026-01-01T00:00Z"), ts("2026-07-01T00:00Z"), 100);
        assert_eq!(
            starts(&occ),
            [
                "2026-03-01T15:00:00+01:00[Europe/Berlin]",
                "2026-04-05T15:00:00+02:00[Europe/Berlin]",
                "2026-05-03T15:00:00+02:00[Europe/Berlin]",
                "2026-06-07T15:00:00+02:00[Europe/Berlin]",
            ]
        );
        let ev = event(
            "2026-01-30T19:00",
            None,
            "Asia/Shanghai",
            Some("FREQ=MONTHLY;BYDAY=-1FR;COUNT=3"),
            &[],
        )
        .unwrap();
        let occ = ev.occurrences(ts("2026-01-01T00:00Z"), ts("2027-01-01T00:00Z"), 100);
        assert_eq!(
            starts(&occ),
            [
                "2026-01-30T19:00:00+08:00[Asia/Shanghai]",
                "2026-02-27T19:00:00+08:00[Asia/Shanghai]",
                "2026-03-27T19:00:00+08:00[Asia/Shanghai]",
            ]
        );
    }

    #[test]
    fn count_until_limit_and_window() {
        let ev = event(
            "2026-03-07T20:00",
            None,
            "Europe/Berlin",
            Some("FREQ=WEEKLY;UNTIL=20260328"),
            &[],
        )
        .unwrap();
        let all = ev.occurrences(ts("2000-01-01T00:00Z"), ts("2100-01-01T00:00Z"), 100);
        assert_eq!(all.len(), 4);
        assert_eq!(
            ev.occurrences(ts("2000-01-01T00:00Z"), ts("2100-01-01T00:00Z"), 2)
                .len(),
            2
        );
        assert!(
            ev.occurrences(ts("2100-01-01T00:00Z"), ts("2000-01-01T00:00Z"), 10)
                .is_empty()
        );
        assert!(
            ev.occurrences(ts("2000-01-01T00:00Z"), ts("2100-01-01T00:00Z"), 0)
                .is_empty()
        );
        // An occurrence under way at `from` is included.
        let mid = ev.occurrences(ts("2026-03-14T19:30Z"), ts("2026-03-14T19:45Z"), 10);
        assert_eq!(starts(&mid), ["2026-03-14T20:00:00+01:00[Europe/Berlin]"]);
        // One that ended exactly at `from` is not.
        assert!(
            ev.occurrences(ts("2026-03-14T20:00Z"), ts("2026-03-15T00:00Z"), 10)
                .is_empty()
        );
        let counted = event(
            "2026-03-07T20:00",
            None,
            "Europe/Berlin",
            Some("FREQ=DAILY;COUNT=5"),
            &["2026-03-08"],
        )
        .unwrap();
        // The exception still counts toward COUNT (RFC 5545).
        assert_eq!(
            counted
                .occurrences(ts("2026-01-01T00:00Z"), ts("2027-01-01T00:00Z"), 100)
                .len(),
            4
        );
    }

    #[test]
    fn exdates_remove_and_validate() {
        let ev = event(
            "2026-03-07T20:00",
            None,
            "Europe/Berlin",
            Some("FREQ=WEEKLY;BYDAY=SA"),
            &["2026-03-14T20:00", "2026-03-21", "2026-03-28T19:00:00Z"],
        )
        .unwrap();
        let occ = ev.occurrences(ts("2026-03-01T00:00Z"), ts("2026-04-12T00:00Z"), 100);
        assert_eq!(
            starts(&occ),
            [
                "2026-03-07T20:00:00+01:00[Europe/Berlin]",
                "2026-04-04T20:00:00+02:00[Europe/Berlin]",
                "2026-04-11T20:00:00+02:00[Europe/Berlin]"
            ]
        );
        assert_eq!(
            ev.exdates(),
            [
                date(2026, 3, 14).at(20, 0, 0, 0),
                date(2026, 3, 21).at(20, 0, 0, 0),
                date(2026, 3, 28).at(20, 0, 0, 0)
            ]
        );

        let e = event(
            "2026-03-07T20:00",
            None,
            "Europe/Berlin",
            Some("FREQ=WEEKLY"),
            &["2026-03-14T19:00"],
        )
        .unwrap_err();
        assert!(e.message().contains("starts at 20:00"), "{}", e.message());
        let e = event(
            "2026-03-07T20:00",
            None,
            "Europe/Berlin",
            Some("FREQ=WEEKLY"),
            &["2026-03-15"],
        )
        .unwrap_err();
        assert!(
            e.message()
                .contains("Saturday 2026-03-14T20:00 and Saturday 2026-03-21T20:00"),
            "{}",
            e.message()
        );
        let e = event(
            "2026-03-07T20:00",
            None,
            "Europe/Berlin",
            Some("FREQ=WEEKLY;COUNT=2"),
            &["2026-03-28"],
        )
        .unwrap_err();
        assert!(e.message().contains("last occurrence"), "{}", e.message());
        let e = event(
            "2026-03-07T20:00",
            None,
            "Europe/Berlin",
            None,
            &["2026-03-14"],
        )
        .unwrap_err();
        assert!(e.message().contains("does not repeat"), "{}", e.message());
        let e = event(
            "2026-03-07",
            None,
            "Europe/Berlin",
            Some("FREQ=WEEKLY"),
            &["2026-03-14T10:00"],
        )
        .unwrap_err();
        assert!(e.message().contains("all-day"), "{}", e.message());
    }

    #[test]
    fn all_day_events_use_exclusive_ends() {
        let ev = EventTime::new(
            local("2026-12-12"),
            Some(EventEnd::At(local("2026-12-14"))),
            false,
            parse_tz("Europe/Berlin").unwrap(),
            None,
            &[],
        )
        .unwrap();
        assert!(ev.all_day());
        assert_eq!(
            ev.start().to_string(),
            "2026-12-12T00:00:00+01:00[Europe/Berlin]"
        );
        assert_eq!(
            ev.end().to_string(),
            "2026-12-15T00:00:00+01:00[Europe/Berlin]"
        );
        assert_eq!(ev.last_day(), date(2026, 12, 14));
        let occ = ev.first_occurrence();
        assert_eq!(
            (occ.first_day(), occ.last_day()),
            (date(2026, 12, 12), date(2026, 12, 14))
        );

        let one = event("2026-12-12", None, "Europe/Berlin", None, &[]).unwrap();
        assert_eq!(one.end().date(), date(2026, 12, 13));
        let two = event(
            "2026-12-12",
            Some(EventEnd::After(parse_duration("2d").unwrap())),
            "Europe/Berlin",
            None,
            &[],
        )
        .unwrap();
        assert_eq!(two.end().date(), date(2026, 12, 14));
        let same = event(
            "2026-12-12",
            Some(EventEnd::At(local("2026-12-12"))),
            "Europe/Berlin",
            None,
            &[],
        )
        .unwrap();
        assert_eq!(same.end().date(), date(2026, 12, 13));

        let yearly = event(
            "2026-12-24",
            Some(EventEnd::At(local("2026-12-26"))),
            "Europe/Berlin",
            Some("FREQ=YEARLY"),
            &[],
        )
        .unwrap();
        let occ = yearly.occurrences(ts("2027-01-01T00:00Z"), ts("2028-01-01T00:00Z"), 10);
        assert_eq!(occ.len(), 1);
        assert_eq!(
            (occ[0].first_day(), occ[0].last_day()),
            (date(2027, 12, 24), date(2027, 12, 26))
        );
        assert!(occ[0].all_day);
    }

    #[test]
    fn end_before_start_and_other_mistakes() {
        let e = event(
            "2026-03-07T20:00",
            Some(EventEnd::At(local("2026-03-07T19:00"))),
            "Europe/Berlin",
            None,
            &[],
        )
        .unwrap_err();
        assert!(
            e.message()
                .contains("ends (2026-03-07T19:00) before it starts (2026-03-07T20:00)"),
            "{}",
            e.message()
        );
        assert!(e.help().contains("next day"));
        let e = event(
            "2026-12-12",
            Some(EventEnd::At(local("2026-12-11"))),
            "Europe/Berlin",
            None,
            &[],
        )
        .unwrap_err();
        assert!(e.message().contains("before it starts"), "{}", e.message());
        let e = event(
            "2026-12-12",
            Some(EventEnd::After(parse_duration("3h").unwrap())),
            "Europe/Berlin",
            None,
            &[],
        )
        .unwrap_err();
        assert!(e.help().contains("whole days"), "{}", e.help());
        let e = event(
            "2026-12-12",
            Some(EventEnd::At(local("2026-12-13T10:00"))),
            "Europe/Berlin",
            None,
            &[],
        )
        .unwrap_err();
        assert!(e.message().contains("has a time"), "{}", e.message());
        let e = event(
            "2026-12-12T10:00",
            Some(EventEnd::At(local("2026-12-13"))),
            "Europe/Berlin",
            None,
            &[],
        )
        .unwrap_err();
        assert!(e.message().contains("is a date"), "{}", e.message());
        let e = EventTime::new(
            local("2026-12-12T10:00"),
            None,
            true,
            parse_tz("UTC").unwrap(),
            None,
            &[],
        )
        .unwrap_err();
        assert!(e.message().contains("all-day"), "{}", e.message());
        let e = EventTime::new(
            local("2026-12-12T10:00"),
            None,
            false,
            TimeZone::fixed(jiff::tz::offset(8)),
            None,
            &[],
        )
        .unwrap_err();
        assert!(e.message().contains("IANA"), "{}", e.message());
        // A rule parsed for another start is re-checked.
        let tz = parse_tz("Europe/Berlin").unwrap();
        let rule = parse_rrule("FREQ=WEEKLY;BYDAY=SA", &local("2026-03-07T20:00"), &tz).unwrap();
        let e = EventTime::new(local("2026-03-08T20:00"), None, false, tz, Some(rule), &[])
            .unwrap_err();
        assert!(
            e.message().contains("not one of the dates"),
            "{}",
            e.message()
        );
        // Zero length is allowed.
        assert!(
            event(
                "2026-03-07T20:00",
                Some(EventEnd::At(local("2026-03-07T20:00"))),
                "Europe/Berlin",
                None,
                &[]
            )
            .is_ok()
        );
    }

    #[test]
    fn durations_and_exact_starts() {
        // "1d" keeps the wall-clock time across the DST change: 23 real hours.
        let ev = event(
            "2026-03-28T12:00",
            Some(EventEnd::After(parse_duration("1d").unwrap())),
            "Europe/Berlin",
            None,
            &[],
        )
        .unwrap();
        assert_eq!(
            ev.end().to_string(),
            "2026-03-29T12:00:00+02:00[Europe/Berlin]"
        );
        let ev = event(
            "2026-03-28T12:00",
            Some(EventEnd::After(parse_duration("24h").unwrap())),
            "Europe/Berlin",
            None,
            &[],
        )
        .unwrap();
        assert_eq!(
            ev.end().to_string(),
            "2026-03-29T13:00:00+02:00[Europe/Berlin]"
        );
        // An offset-qualified start is converted into the event's zone.
        let ev = event(
            "2026-01-03T20:00:00+08:00",
            None,
            "Europe/Berlin",
            None,
            &[],
        )
        .unwrap();
        assert_eq!(
            ev.start().to_string(),
            "2026-01-03T13:00:00+01:00[Europe/Berlin]"
        );
        assert_eq!(ev.start_local(), date(2026, 1, 3).at(13, 0, 0, 0));
    }

    #[test]
    fn far_exception_dates_are_looked_up_near_their_date() {
        // Used to expand every Saturday up to the year 9999 (0.2 s per event
        // in release, seconds in debug): found by the fuzzer.
        let ev = event(
            "2026-03-07T20:00",
            None,
            "Europe/Berlin",
            Some("FREQ=WEEKLY;BYDAY=SA"),
            &["9999-12-25", "2026-03-14T20:00"],
        )
        .unwrap();
        assert_eq!(
            ev.exdates(),
            [
                date(2026, 3, 14).at(20, 0, 0, 0),
                date(9999, 12, 25).at(20, 0, 0, 0)
            ]
        );
        let late = ev.occurrences(ts("9999-12-01T00:00Z"), ts("9999-12-30T00:00Z"), 10);
        assert_eq!(
            starts(&late),
            [
                "9999-12-04T20:00:00+01:00[Europe/Berlin]",
                "9999-12-11T20:00:00+01:00[Europe/Berlin]",
                "9999-12-18T20:00:00+01:00[Europe/Berlin]",
            ]
        );
        // Daily: 2.9 million occurrences before it.
        let daily = event(
            "2026-03-07T20:00",
            None,
            "Europe/Berlin",
            Some("FREQ=DAILY"),
            &["9999-12-29T20:00"],
        )
        .unwrap();
        assert_eq!(daily.exdates(), [date(9999, 12, 29).at(20, 0, 0, 0)]);
        let e = event(
            "2026-03-07T20:00",
            None,
            "Europe/Berlin",
            Some("FREQ=WEEKLY;BYDAY=SA"),
            &["9999-12-25T19:00"],
        )
        .unwrap_err();
        assert!(
            e.message()
                .contains("that day's occurrence starts at 20:00"),
            "{}",
            e.message()
        );
        let e = event(
            "2026-03-07T20:00",
            None,
            "Europe/Berlin",
            Some("FREQ=WEEKLY;BYDAY=SA"),
            &["9999-12-26"],
        )
        .unwrap_err();
        // The next Saturday would be in the year 10000.
        assert!(
            e.message()
                .contains("the nearest earlier occurrence is Saturday 9999-12-25T20:00"),
            "{}",
            e.message()
        );
        let e = event(
            "2026-03-07",
            None,
            "Europe/Berlin",
            Some("FREQ=WEEKLY;UNTIL=20300101"),
            &["9999-12-25"],
        )
        .unwrap_err();
        assert!(
            e.message()
                .contains("the last occurrence is Saturday 2029-12-29"),
            "{}",
            e.message()
        );
        let e = event(
            "2026-03-07",
            None,
            "Europe/Berlin",
            Some("FREQ=MONTHLY;BYDAY=1SA"),
            &["2026-05-09"],
        )
        .unwrap_err();
        assert!(
            e.message().contains(
                "the nearest occurrences are Saturday 2026-05-02 and Saturday 2026-06-06"
            ),
            "{}",
            e.message()
        );
    }

    /// What [`EventTime::occurrences`] gives when the expansion starts at
    /// the first period (no skipping).
    fn occurrences_from_the_start(
        ev: &EventTime,
        from: Timestamp,
        until: Timestamp,
        limit: usize,
    ) -> Vec<Occurrence> {
        let rule = ev.rule().unwrap();
        let horizon = add_days(ev.tz.to_datetime(until).date(), 1);
        let mut out = Vec::new();
        for dt in Expander::new(rule, ev.start_local, &ev.tz, horizon) {
            if ev.exdates.binary_search(&dt).is_ok() {
                continue;
            }
            let Some(occ) = ev.occurrence_at(dt) else {
                break;
            };
            let (s, e) = (occ.start.timestamp(), occ.end.timestamp());
            if s >= until {
                break;
            }
            if s < until && (e > from || (s == e && s >= from)) {
                out.push(occ);
                if out.len() >= limit {
                    break;
                }
            }
        }
        out
    }

    #[test]
    fn skipping_to_the_window_changes_nothing() {
        let rules = [
            "FREQ=DAILY",
            "FREQ=DAILY;INTERVAL=3",
            "FREQ=DAILY;BYDAY=SA,TU",
            "FREQ=WEEKLY;BYDAY=SA",
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=SA,SU;WKST=SU",
            "FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,SA",
            "FREQ=MONTHLY;BYDAY=1SA",
            "FREQ=MONTHLY;INTERVAL=5;BYMONTHDAY=7,-1",
            "FREQ=MONTHLY;BYDAY=SA;BYSETPOS=1,-1",
            "FREQ=YEARLY;INTERVAL=3",
            "FREQ=YEARLY;BYMONTH=3,9;BYDAY=1SA",
            "FREQ=DAILY;UNTIL=20300101T000000Z",
            "FREQ=WEEKLY;BYDAY=SA;COUNT=300",
        ];
        let hours = |h: i64| SignedDuration::from_hours(h);
        for (start, tz) in [
            ("2026-03-07T20:00", "Europe/Berlin"),
            ("2026-03-07T02:30", "Europe/Berlin"),
            ("2026-03-07", "Australia/Lord_Howe"),
        ] {
            for rule in rules {
                let rule = if start.len() == 10 {
                    rule.replace("T000000Z", "")
                } else {
                    rule.to_string()
                };
                for end in [
                    None,
                    Some(EventEnd::After(parse_duration("2d").unwrap())),
                    Some(EventEnd::After(parse_duration("40d").unwrap())),
                ] {
                    let ev = event(start, end, tz, Some(&rule), &[]).unwrap();
                    let s = ev.start().timestamp();
                    for (offset, length) in [
                        (-240, 1),
                        (0, 24),
                        (37 * 24 + 5, 40 * 24),
                        (4000 * 24, 400 * 24),
                    ] {
                        let from = s.checked_add(hours(offset)).unwrap();
                        let until = from.checked_add(hours(length)).unwrap();
                        for limit in [3, 100] {
                            assert_eq!(
                                ev.occurrences(from, until, limit),
                                occurrences_from_the_start(&ev, from, until, limit),
                                "{start} {tz} {rule} {end:?} {offset} {length} {limit}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn last_end_for_vtimezone_coverage() {
        let ev = event(
            "2026-03-07T20:00",
            None,
            "Europe/Berlin",
            Some("FREQ=WEEKLY;COUNT=3"),
            &[],
        )
        .unwrap();
        assert_eq!(ev.last_end(date(2100, 1, 1)), Some(ts("2026-03-21T20:00Z")));
        let open = event(
            "2026-03-07T20:00",
            None,
            "Europe/Berlin",
            Some("FREQ=WEEKLY"),
            &[],
        )
        .unwrap();
        assert_eq!(open.last_end(date(2100, 1, 1)), None);
    }
}
