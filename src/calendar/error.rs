//! The single error type of the calendar module.
//!
//! An error says what is wrong with a value and how to fix it; when it is
//! about one of several values given together (an event's start, end,
//! rule and exceptions), it also says which one, so the caller can point
//! at the line that wrote it instead of guessing from the wording.

use std::fmt;

/// A problem with a calendar value written by a person (a date, a duration,
/// a time zone, a recurrence rule, ...).
///
/// The module never knows which file or line a value came from, so the error
/// carries only what can be said about the value itself: `message` states
/// what is wrong, `help` says what was expected and how to fix it. The caller
/// adds the location and turns both into its own diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarError {
    message: String,
    help: String,
    field: Option<EventField>,
}

/// Which input of [`crate::calendar::EventTime::new`] a problem is about.
///
/// The values of an event are checked together (an end against its start,
/// exceptions against the rule), so a message alone does not say where the
/// fix goes; this does, and the caller maps it to the field's line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventField {
    /// The start (and `all_day`, which is judged against it).
    Start,
    /// The end or the length, as written.
    End,
    /// The end comes before the start: a problem of the pair, fixed in the
    /// end as people usually do, and worth its own diagnostic code.
    EndBeforeStart,
    /// The time zone.
    TimeZone,
    /// The recurrence rule.
    Rule,
    /// The exception date at this index of the list given.
    Exception(usize),
}

impl CalendarError {
    /// Builds an error from a statement of the problem and a fix-it hint.
    ///
    /// Public so that callers validating related values (for example a
    /// front-matter key that must accompany a date) can report them in the
    /// same shape.
    pub fn new(message: impl Into<String>, help: impl Into<String>) -> Self {
        CalendarError {
            message: message.into(),
            help: help.into(),
            field: None,
        }
    }

    /// The same error, said to be about `field` (see [`EventField`]).
    pub fn on(mut self, field: EventField) -> Self {
        self.field = Some(field);
        self
    }

    /// Which input of an event the error is about; `None` for an error
    /// about the single value a parser was given.
    pub fn field(&self) -> Option<EventField> {
        self.field
    }

    /// What is wrong, quoting the offending value, as one sentence.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// What was expected and how to fix it, meant to be shown under the
    /// message.
    pub fn help(&self) -> &str {
        &self.help
    }
}

impl fmt::Display for CalendarError {
    /// Shows only the message: the help is a separate line in diagnostics,
    /// and joining them here would make it appear twice.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CalendarError {}

/// Shorthand used throughout the module.
pub(crate) fn err(message: impl Into<String>, help: impl Into<String>) -> CalendarError {
    CalendarError::new(message, help)
}
