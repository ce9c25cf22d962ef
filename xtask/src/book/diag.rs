//! Errors that point into the book's Markdown, rendered the way rustc points into code.

use std::fmt;
use std::io::IsTerminal;
use std::ops::Range;
use std::sync::Arc;

use crate::util::exit::{Exit, Misuse};

use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, termcolor};

/// A finding about a file of the book: an error (malformed book), a failing listing, or a
/// warning.
#[derive(Debug, Clone)]
pub(crate) struct Diag {
    /// Relative to the book root: `src/ch04-threads.md`.
    pub(crate) file: String,
    pub(crate) source: Arc<str>,
    /// Byte range the finding is about; rendered with line and column.
    pub(crate) range: Range<usize>,
    pub(crate) message: String,
    /// Short text under the underlined range.
    pub(crate) label: String,
    pub(crate) notes: Vec<String>,
}

impl Diag {
    pub(crate) fn new(
        file: &str,
        source: &Arc<str>,
        range: Range<usize>,
        message: impl Into<String>,
    ) -> Diag {
        Diag {
            file: file.to_string(),
            source: source.clone(),
            range,
            message: message.into(),
            label: String::new(),
            notes: Vec::new(),
        }
    }

    pub(crate) fn label(mut self, label: impl Into<String>) -> Diag {
        self.label = label.into();
        self
    }

    pub(crate) fn note(mut self, note: impl Into<String>) -> Diag {
        self.notes.push(note.into());
        self
    }

    /// 1-based line of the start of the range.
    pub(crate) fn line(&self) -> usize {
        crate::util::text::LineIndex::new(&self.source).line(self.range.start)
    }

    /// Renders the finding as an error, with colours when `color` is set.
    pub(crate) fn render(&self, color: bool) -> String {
        render(self, color, codespan_reporting::diagnostic::Severity::Error)
    }

    /// Renders the finding as a warning (something to fix that stopped nothing), with
    /// colours when `color` is set.
    pub(crate) fn render_warning(&self, color: bool) -> String {
        render(self, color, codespan_reporting::diagnostic::Severity::Warning)
    }
}

impl fmt::Display for Diag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line(), self.message)
    }
}

fn render(d: &Diag, color: bool, severity: codespan_reporting::diagnostic::Severity) -> String {
    let file = SimpleFile::new(d.file.as_str(), &*d.source);
    let end = d.range.end.min(d.source.len());
    let start = d.range.start.min(end);
    let diagnostic = Diagnostic::new(severity)
        .with_message(&d.message)
        .with_labels(vec![Label::primary((), start..end).with_message(&d.label)])
        .with_notes(d.notes.clone());
    let mut buffer = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    let config = term::Config::default();
    term::emit_to_write_style(&mut buffer, &config, &file, &diagnostic)
        .expect("rendering a diagnostic into memory");
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

/// Whether diagnostics and progress go to a terminal that shows colours.
pub(crate) fn stderr_is_terminal() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Several findings that stop the engine before it writes anything: a malformed book.
#[derive(Debug)]
pub(crate) struct BookErrors(pub(crate) Vec<Diag>);

impl fmt::Display for BookErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        write!(f, "the book is malformed: {} error(s)", self.0.len())
    }
}

impl std::error::Error for BookErrors {}

impl BookErrors {
    /// Prints every finding to standard error.
    pub(crate) fn print(&self) {
        let color = stderr_is_terminal();
        for d in &self.0 {
            eprint!("{}", d.render(color));
        }
        eprintln!(
            "error: the book is malformed ({} error{}); nothing was written",
            self.0.len(),
            if self.0.len() == 1 { "" } else { "s" }
        );
    }
}

/// Prints an error that ended a command and says how the command exits: a malformed book is
/// printed as diagnostics pointing into its chapters; anything else with its causes.
pub fn report_error(error: &anyhow::Error) -> Exit {
    if let Some(errors) = error.downcast_ref::<BookErrors>() {
        errors.print();
    } else if let Some(misuse) = error.downcast_ref::<Misuse>() {
        eprintln!("error: {misuse}");
    } else {
        eprintln!("error: {error:#}");
    }
    Exit::Malformed
}
