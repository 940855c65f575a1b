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
    use crate::calendar::{self, EventEnd};
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
    let tz = match &fm.timezone {
        Some(t) => match calendar::parse_tz(&t.value) {
            Ok(tz) => tz,
            Err(e) => {
                report(&t.span, codes::EVENT_TZ, &e);
                return None;
            }
        },
        None => calendar::parse_tz(&config.timezone.value).ok()?,
    };
    let start = match calendar::parse_local(&start_raw.value) {
        Ok(s) => s,
        Err(e) => {
            report(&start_raw.span, codes::EVENT_TIME, &e);
            return None;
        }
    };
    let end = match (&fm.end, &fm.duration) {
        (Some(_), Some(d)) => {
            diags.push(
                Diagnostic::error(
                    file,
                    codes::EVENT_TIME,
                    "an event has either `end` or `duration`, not both",
                )
                .at(src, d.span.clone())
                .with_help("remove one of them"),
            );
            return None;
        }
        (Some(e), None) => match calendar::parse_local(&e.value) {
            Ok(t) => Some(EventEnd::At(t)),
            Err(err) => {
                report(&e.span, codes::EVENT_TIME, &err);
                return None;
            }
        },
        (None, Some(d)) => match calendar::parse_duration(&d.value) {
            Ok(t) => Some(EventEnd::After(t)),
            Err(err) => {
                report(&d.span, codes::EVENT_TIME, &err);
                return None;
            }
        },
        (None, None) => None,
    };
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
    let mut exdates = Vec::new();
    for x in &fm.exdates {
        match calendar::parse_local(&x.value) {
            Ok(t) => exdates.push(t),
            Err(e) => {
                report(&x.span, codes::EVENT_TIME, &e);
                return None;
            }
        }
    }
    match calendar::EventTime::new(start, end, fm.all_day, tz, rule, &exdates) {
        Ok(t) => Some(t),
        Err(e) => {
            // Place the problem on the field it is about.
            let msg = e.message().to_ascii_lowercase();
            let end_span = fm
                .end
                .as_ref()
                .or(fm.duration.as_ref())
                .map(|x| x.span.clone());
            let (span, code) = if msg.contains("exception") || msg.contains("exdate") {
                (
                    fm.exdates.first().map(|x| x.span.clone()),
                    codes::EVENT_TIME,
                )
            } else if msg.contains("before it starts") {
                (end_span, codes::EVENT_END)
            } else if msg.contains("end") {
                (end_span, codes::EVENT_TIME)
            } else if msg.contains("rule") || msg.contains("repeat") || msg.contains("until") {
                (
                    fm.repeat.as_ref().map(|x| x.span.clone()),
                    codes::EVENT_RRULE,
                )
            } else {
                (None, codes::EVENT_TIME)
            };
            report(&span.unwrap_or(start_raw.span.clone()), code, &e);
            None
        }
    }
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
