//! Errors that point into the book's Markdown, rendered the way rustc points into code.

use std::fmt;
use std::io::IsTerminal;
use std::ops::Range;
use std::sync::Arc;

use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, termcolor};

/// A finding about a file of the book: an error (malformed book) or a failing listing.
#[derive(Debug, Clone)]
pub struct Diag {
    /// Relative to the book root: `src/ch04-threads.md`.
    pub file: String,
    pub source: Arc<str>,
    /// Byte range the finding is about; rendered with line and column.
    pub range: Range<usize>,
    pub message: String,
    /// Short text under the underlined range.
    pub label: String,
    pub notes: Vec<String>,
}

impl Diag {
    pub fn new(file: &str, source: &Arc<str>, range: Range<usize>, message: impl Into<String>) -> Diag {
        Diag {
            file: file.to_string(),
            source: source.clone(),
            range,
            message: message.into(),
            label: String::new(),
            notes: Vec::new(),
        }
    }

    pub fn label(mut self, label: impl Into<String>) -> Diag {
        self.label = label.into();
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Diag {
        self.notes.push(note.into());
        self
    }

    /// 1-based line of the start of the range.
    pub fn line(&self) -> usize {
        line_of(&self.source, self.range.start)
    }

    /// Renders the finding as an error, with colours when `color` is set.
    pub fn render(&self, color: bool) -> String {
        render(self, color, codespan_reporting::diagnostic::Severity::Error)
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
pub fn stderr_is_terminal() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// 1-based line number of a byte offset.
pub fn line_of(source: &str, offset: usize) -> usize {
    let offset = offset.min(source.len());
    source.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The byte range of the (1-based) line `line`, without its line ending.
pub fn line_range(source: &str, line: usize) -> Range<usize> {
    let mut start = 0;
    for _ in 1..line {
        match source[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return source.len()..source.len(),
        }
    }
    let end = source[start..].find('\n').map_or(source.len(), |i| start + i);
    start..end
}

/// Several findings that stop the engine before it writes anything: a malformed book.
#[derive(Debug)]
pub struct BookErrors(pub Vec<Diag>);

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
    pub fn print(&self) {
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
