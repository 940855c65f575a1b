//! An event's front matter becomes a validated
//! [`crate::calendar::EventTime`], every problem placed on the field it
//! comes from.
//!
//! The calendar module knows nothing of files; this is where its values
//! (a start, an end or a duration, a zone, a rule, exception dates) are
//! read from front matter and its errors pointed back at the lines.

use super::frontmatter::EventFm;
use crate::config::Config;
use crate::diagnostics::{Diagnostic, SourceText, codes, did_you_mean};

/// Validates an event's times into an [`crate::calendar::EventTime`], placing
/// every problem on the field it comes from.
pub(super) fn event_time(
    fm: &EventFm,
    config: &Config,
    file: &str,
    src: &SourceText<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Option<crate::calendar::EventTime> {
    use crate::calendar::{self, EventEnd, EventField};
    if let Some(st) = &fm.status
        && event_status(fm).is_none()
    {
        let known = ["scheduled", "cancelled", "postponed"];
        let help = match did_you_mean(&st.value, known) {
            Some(k) => format!("did you mean \"{k}\"?"),
            None => "status is one of: scheduled, cancelled, postponed".into(),
        };
        diags.push(
            Diagnostic::error(
                file,
                codes::FM_INVALID,
                format!("unknown event status `{}`", st.value),
            )
            .at(src, st.span.clone())
            .with_help(help),
        );
    }
    let mut report =
        |span: &std::ops::Range<usize>, code: &'static str, e: &calendar::CalendarError| {
            diags.push(
                Diagnostic::error(file, code, e.message().to_string())
                    .at(src, span.clone())
                    .with_help(e.help().to_string()),
            );
        };
    let Some(start_raw) = &fm.start else {
        diags.push(
            Diagnostic::error(file, codes::FM_MISSING, "an event needs a `start`")
                .at(src, 0..3)
                .with_help("add start = 2026-11-28T20:00 (or a date such as 2026-12-12 for an all-day event)"),
        );
        return None;
    };
    // Every field is read even after one fails, so one run shows all of an
    // event's mistakes: a misspelt zone is reported, and the times are
    // still checked against each other in the site's zone (an end before
    // the start is wrong in any zone). Only what needs a failed value is
    // left out: nothing is checked against a start or rule that did not parse.
    let mut failed = false;
    let tz = match &fm.timezone {
        Some(t) => match calendar::parse_tz(&t.value) {
            Ok(tz) => tz,
            Err(e) => {
                report(&t.span, codes::EVENT_TZ, &e);
                failed = true;
                calendar::parse_tz(&config.timezone.value).ok()?
            }
        },
        None => calendar::parse_tz(&config.timezone.value).ok()?,
    };
    let start = match calendar::parse_local(&start_raw.value) {
        Ok(s) => Some(s),
        Err(e) => {
            report(&start_raw.span, codes::EVENT_TIME, &e);
            None
        }
    };
    let end = match (&fm.end, &fm.duration) {
        (Some(_), Some(d)) => {
            let both = calendar::CalendarError::new(
                "an event has either `end` or `duration`, not both",
                "remove one of them",
            );
            report(&d.span, codes::EVENT_TIME, &both);
            Err(())
        }
        (Some(e), None) => match calendar::parse_local(&e.value) {
            Ok(t) => Ok(Some(EventEnd::At(t))),
            Err(err) => {
                report(&e.span, codes::EVENT_TIME, &err);
                Err(())
            }
        },
        (None, Some(d)) => match calendar::parse_duration(&d.value) {
            Ok(t) => Ok(Some(EventEnd::After(t))),
            Err(err) => {
                report(&d.span, codes::EVENT_TIME, &err);
                Err(())
            }
        },
        (None, None) => Ok(None),
    };
    let mut exdates = Vec::new();
    let mut exdates_ok = true;
    for x in &fm.exdates {
        match calendar::parse_local(&x.value) {
            Ok(t) => exdates.push(t),
            Err(e) => {
                report(&x.span, codes::EVENT_TIME, &e);
                exdates_ok = false;
            }
        }
    }
    let start = start?;
    let rule = match &fm.repeat {
        Some(r) => match calendar::parse_rrule(&r.value, &start, &tz) {
            Ok(rule) => Some(rule),
            Err(e) => {
                report(&r.span, codes::EVENT_RRULE, &e);
                return None;
            }
        },
        None => None,
    };
    let Ok(end) = end else {
        return None;
    };
    if !exdates_ok {
        return None;
    }
    let time = match calendar::EventTime::new(start, end, fm.all_day, tz, rule, &exdates) {
        Ok(t) => Some(t),
        Err(e) => {
            // The error says which field it is about; the field's line is where the fix goes.
            let end = fm.end.as_ref().or(fm.duration.as_ref());
            let (field, code) = match e.field() {
                Some(EventField::End) => (end, codes::EVENT_TIME),
                Some(EventField::EndBeforeStart) => (end, codes::EVENT_END),
                Some(EventField::TimeZone) => (fm.timezone.as_ref(), codes::EVENT_TZ),
                Some(EventField::Rule) => (fm.repeat.as_ref(), codes::EVENT_RRULE),
                Some(EventField::Exception(i)) => (fm.exdates.get(i), codes::EVENT_TIME),
                Some(EventField::Start) | None => (None, codes::EVENT_TIME),
            };
            let span = field.map_or(start_raw.span.clone(), |f| f.span.clone());
            report(&span, code, &e);
            None
        }
    };
    // A time read in the site's zone in place of a misspelt one was only
    // for the checks: the event is not built in the wrong zone.
    time.filter(|_| !failed)
}

/// An event's status; `None` for a value Hearth does not know (reported at load).
pub fn event_status(fm: &EventFm) -> Option<crate::calendar::EventStatus> {
    use crate::calendar::EventStatus;
    match fm
        .status
        .as_ref()
        .map(|s| s.value.trim().to_ascii_lowercase())
        .as_deref()
    {
        None | Some("scheduled") | Some("confirmed") => Some(EventStatus::Scheduled),
        Some("cancelled") | Some("canceled") => Some(EventStatus::Cancelled),
        Some("postponed") => Some(EventStatus::Postponed),
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::content::testing::{self, CONFIG};
    use crate::diagnostics::{Diagnostic, codes};

    /// The diagnostics of one event page: (code, line, column).
    fn problems(front: &str) -> Vec<(&'static str, usize, usize)> {
        let text = format!("+++\n{front}+++\n");
        let (_, diags) = testing::site(CONFIG, &[("events/_index.md", ""), ("events/e.md", &text)]);
        diags
            .iter()
            .map(|d: &Diagnostic| (d.code, d.line, d.col))
            .collect()
    }

    #[test]
    fn an_end_before_the_start_is_placed_on_the_end() {
        assert_eq!(
            problems("start = 2026-04-04T14:00\nend = 2026-04-04T13:00\n"),
            [(codes::EVENT_END, 3, 7)]
        );
        assert_eq!(
            problems("start = 2026-04-04\nend = 2026-04-02\n"),
            [(codes::EVENT_END, 3, 7)]
        );
    }

    #[test]
    fn every_problem_of_an_event_is_reported_in_one_run() {
        // A misspelt zone does not hide an end before the start.
        assert_eq!(
            problems(
                "start = 2026-04-04T14:00\nend = 2026-04-04T13:00\ntimezone = \"Asia/Beijing\"\n"
            ),
            [(codes::EVENT_TZ, 4, 12), (codes::EVENT_END, 3, 7)]
        );
        // Nor a bad length, a bad rule or every bad exception date.
        assert_eq!(
            problems(
                "start = 2026-04-04T14:00\nduration = \"two hours\"\ntimezone = \"PST\"\nexdates = [\"x\", \"y\"]\n"
            ),
            [
                (codes::EVENT_TZ, 4, 12),
                (codes::EVENT_TIME, 3, 12),
                (codes::EVENT_TIME, 5, 12),
                (codes::EVENT_TIME, 5, 17)
            ]
        );
        assert_eq!(
            problems("start = 2026-04-04T14:00\ntimezone = \"Berlin\"\nrepeat = \"FREQ=HOURLY\"\n"),
            [(codes::EVENT_TZ, 3, 12), (codes::EVENT_RRULE, 4, 10)]
        );
    }

    #[test]
    fn a_wrong_end_or_length_is_placed_on_it() {
        // A length in hours for an all-day event: once placed on the start,
        // because its message never says "end".
        assert_eq!(
            problems("start = 2026-04-04\nduration = \"3h\"\n"),
            [(codes::EVENT_TIME, 3, 12)]
        );
        assert_eq!(
            problems("start = 2026-04-04T14:00\nend = 2026-04-05\n"),
            [(codes::EVENT_TIME, 3, 7)]
        );
        assert_eq!(
            problems("start = 2026-04-04T14:00\nend = 2026-04-04T15:00\nduration = \"1h\"\n"),
            [(codes::EVENT_TIME, 4, 12)]
        );
    }

    #[test]
    fn exception_problems_are_placed_on_that_exception() {
        let weekly = "start = 2026-01-03T20:00\nrepeat = \"FREQ=WEEKLY\"\n";
        assert_eq!(
            problems(&format!(
                "{weekly}exdates = [\n  \"2026-01-10T20:00\",\n  \"2026-01-12T20:00\",\n]\n"
            )),
            [(codes::EVENT_TIME, 6, 3)],
            "the second exception, not the first"
        );
        assert_eq!(
            problems("start = 2026-01-03T20:00\nexdates = [\"2026-01-10\"]\n"),
            [(codes::EVENT_TIME, 3, 12)]
        );
    }

    #[test]
    fn start_zone_rule_and_status_problems_are_placed_on_their_fields() {
        assert_eq!(problems("title = \"x\"\n"), [(codes::FM_MISSING, 1, 1)]);
        assert_eq!(
            problems("start = 2026-03-01T15:00\ntimezone = \"Europe/Berln\"\n"),
            [(codes::EVENT_TZ, 3, 12)]
        );
        assert_eq!(
            problems("start = 2026-01-03T20:00\nrepeat = \"FREQ=WEEKLY;BYDAY=MO\"\n"),
            [(codes::EVENT_RRULE, 3, 10)]
        );
        assert_eq!(
            problems("start = 2026-01-03T20:00\nall_day = true\n"),
            [(codes::EVENT_TIME, 2, 9)]
        );
        assert_eq!(
            problems("start = 2026-01-03\nstatus = \"canceled!\"\n"),
            [(codes::FM_INVALID, 3, 10)]
        );
    }
}
