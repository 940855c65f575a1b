//! The single error type of the calendar module.

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
        }
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
