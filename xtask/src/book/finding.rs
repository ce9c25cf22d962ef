//! A mistake in a chapter before it is placed: what the parser's helpers return, so that any
//! of them can attach a label or a note, and the file and range are added in one place.

use std::ops::Range;

use super::Chapter;
use super::diag::Diag;

/// What is wrong, without where: the caller that knows the block adds the range ([`Finding::at`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Finding {
    pub(crate) message: String,
    /// Short text under the underlined range.
    pub(crate) label: Option<String>,
    /// A line after the snippet: why the rule exists, or how to fix the mistake.
    pub(crate) note: Option<String>,
}

impl Finding {
    pub(crate) fn new(message: impl Into<String>) -> Finding {
        Finding {
            message: message.into(),
            label: None,
            note: None,
        }
    }

    pub(crate) fn label(mut self, label: impl Into<String>) -> Finding {
        self.label = Some(label.into());
        self
    }

    pub(crate) fn note(mut self, note: impl Into<String>) -> Finding {
        self.note = Some(note.into());
        self
    }

    /// The finding placed at `range` of `chapter`: the diagnostic an author reads.
    pub(crate) fn at(self, chapter: &Chapter, range: Range<usize>) -> Diag {
        let mut diag = Diag::new(&chapter.path, &chapter.source, range, self.message);
        if let Some(label) = self.label {
            diag = diag.label(label);
        }
        if let Some(note) = self.note {
            diag = diag.note(note);
        }
        diag
    }
}

/// Helpers outside the parser (such as `Expected::parse`) give a bare message.
impl From<String> for Finding {
    fn from(message: String) -> Finding {
        Finding::new(message)
    }
}

impl From<&str> for Finding {
    fn from(message: &str) -> Finding {
        Finding::new(message)
    }
}
