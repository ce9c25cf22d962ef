//! Small text utilities the stages share: line numbers of byte offsets, and edits applied in
//! one pass.

use std::ops::Range;

/// Byte offset → 1-based line number, by binary search over line starts (chapters are
/// looked up once per block; counting newlines each time would be quadratic).
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// The 1-based line holding byte `offset`.
    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }
}

/// `text` with each range replaced by its text; ranges must not overlap. One pass, where
/// replacing one range after another would move the rest of the text every time.
pub fn splice(text: &str, mut edits: Vec<(Range<usize>, String)>) -> String {
    edits.sort_by_key(|(r, _)| r.start);
    let mut out = String::with_capacity(text.len() + edits.iter().map(|(_, t)| t.len()).sum::<usize>());
    let mut at = 0;
    for (range, replacement) in edits {
        debug_assert!(range.start >= at, "overlapping edits");
        out.push_str(&text[at..range.start]);
        out.push_str(&replacement);
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_of_offsets() {
        let idx = LineIndex::new("ab\ncd\n\nef");
        assert_eq!([0, 2, 3, 5, 6, 7, 8].map(|o| idx.line(o)), [1, 1, 2, 2, 3, 4, 4]);
        assert_eq!(idx.line(0), crate::diag::line_of("ab\ncd\n\nef", 0));
    }

    #[test]
    fn edits_in_one_pass() {
        let edits = vec![(4..5, "X".to_string()), (0..1, "[a]".to_string())];
        assert_eq!(splice("abcdef", edits), "[a]bcdXf");
    }
}
