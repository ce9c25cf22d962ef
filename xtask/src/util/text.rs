//! Small text utilities the stages share: line numbers of byte offsets, and edits applied in
//! one pass.

use std::ops::Range;

/// Byte offset → 1-based line number, by binary search over line starts (chapters are
/// looked up once per block; counting newlines each time would be quadratic).
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// The 1-based line holding byte `offset`.
    pub(crate) fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }
}

/// `text` with each range replaced by its text; ranges must not overlap. One pass, where
/// replacing one range after another would move the rest of the text every time.
pub(crate) fn splice(text: &str, mut edits: Vec<(Range<usize>, String)>) -> String {
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

/// Splits text into lines: line endings normalised, trailing spaces removed, trailing blank
/// lines dropped. Printed output and expected blocks are both read this way.
pub(crate) fn normalize_lines(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = text
        .split('\n')
        .map(|l| l.trim_end_matches([' ', '\t', '\r']).to_string())
        .collect();
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines
}

/// The byte range of the (1-based) line `line`, without its line ending.
pub(crate) fn line_range(source: &str, line: usize) -> Range<usize> {
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

/// A line cut to `max` characters for a report, saying how much was left out.
pub(crate) fn clip(line: &str, max: usize) -> String {
    let count = line.chars().count();
    if count <= max {
        line.to_string()
    } else {
        let cut: String = line.chars().take(max).collect();
        format!("{cut}… ({} more characters)", count - max)
    }
}

/// The first `n` lines, each clipped.
pub(crate) fn head(lines: &[String], n: usize) -> String {
    let shown: Vec<String> = lines.iter().take(n).map(|l| clip(l, CLIP)).collect();
    shown.join("\n")
}

/// The last `n` lines, each clipped, saying how many there were when some are left out.
pub(crate) fn tail(lines: &[String], n: usize) -> String {
    if lines.is_empty() {
        return "(it printed nothing)".into();
    }
    let start = lines.len().saturating_sub(n);
    let mut out = String::new();
    if start > 0 {
        out.push_str(&format!("(last {n} of {} lines printed)\n", lines.len()));
    }
    let shown: Vec<String> = lines[start..].iter().map(|l| clip(l, CLIP)).collect();
    out.push_str(&shown.join("\n"));
    out
}

/// How many characters of a printed line a report shows.
pub(crate) const CLIP: usize = 300;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_of_offsets() {
        let idx = LineIndex::new("ab\ncd\n\nef");
        assert_eq!([0, 2, 3, 5, 6, 7, 8].map(|o| idx.line(o)), [1, 1, 2, 2, 3, 4, 4]);
    }

    #[test]
    fn line_ranges_agree_with_the_line_index() {
        let text = "ab\ncd\n\nef";
        let idx = LineIndex::new(text);
        for line in 1..=4 {
            let r = line_range(text, line);
            assert_eq!(idx.line(r.start), line, "line {line}");
            assert!(!text[r].contains('\n'));
        }
        assert_eq!(&text[line_range(text, 2)], "cd");
    }

    #[test]
    fn clipping_counts_characters() {
        assert_eq!(clip("héllo", 5), "héllo");
        assert_eq!(clip("héllo", 2), "hé… (3 more characters)");
    }

    #[test]
    fn edits_in_one_pass() {
        let edits = vec![(4..5, "X".to_string()), (0..1, "[a]".to_string())];
        assert_eq!(splice("abcdef", edits), "[a]bcdXf");
    }
}
