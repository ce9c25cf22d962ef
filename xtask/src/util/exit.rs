//! How a command ends: the exit statuses of the contract. Every layer returns them; the
//! one place an error becomes one is `book::report_error`, which knows the book's diagnostics.

use std::process::ExitCode;

/// The exit status of a command (`shared/design/listings.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything selected passed (or the command did what it was asked).
    Ok,
    /// A listing failed, or `extract --check` found `listings/` out of date.
    Failed,
    /// The book is malformed, or the command was misused; nothing was written.
    Malformed,
    /// Ctrl-C or SIGTERM.
    Interrupted,
}

impl Exit {
    /// The number the shell sees.
    pub fn code(self) -> u8 {
        match self {
            Exit::Ok => 0,
            Exit::Failed => 1,
            Exit::Malformed => 2,
            Exit::Interrupted => 130,
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit.code())
    }
}

/// A command used in a way it refuses (an unknown filter, `--bless` under CI): exit 2 with
/// this message.
#[derive(Debug)]
pub(crate) struct Misuse(pub(crate) String);

impl std::fmt::Display for Misuse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Misuse {}
