//! The lines of a block of code as the page shows them: highlighted, hidden or not, with
//! their callout, and for a listing that changes an earlier one (`base=ID`), which lines it
//! adds and which of the base's it removes, computed here with `similar`.

use std::fmt::Write;

use similar::{Algorithm, DiffTag, capture_diff_slices};

use super::Target;
use crate::book::Syntax;
use crate::render::html::{CalloutAt, callout};

/// How a line relates to the listing's base.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Change {
    Same,
    Added,
    /// A line of the base that the listing no longer has: shown in the "changes" view only,
    /// never copied.
    Removed,
}

/// One line of code on the page.
#[derive(Debug, Clone)]
pub(super) struct Line {
    /// The highlighted line, callout marker already taken out.
    pub(super) html: String,
    /// A `# ` line: compiled, shown on the site only on demand, left out of the ePub.
    pub(super) hidden: bool,
    pub(super) callout: Option<u32>,
    pub(super) change: Change,
}

/// The lines of `raw` (a block as written), highlighted as `highlighted` (the lines of the
/// extracted code, which has the same line count).
pub(super) fn lines(raw: &str, syntax: Syntax, highlighted: &[String]) -> Vec<Line> {
    raw.lines()
        .enumerate()
        .map(|(i, raw_line)| {
            let hidden = syntax == Syntax::Rust
                && crate::book::hidden_line(raw_line).is_some_and(|(hidden, _)| hidden);
            let (_, callout) = crate::book::strip_callout(raw_line, syntax);
            Line {
                html: highlighted.get(i).cloned().unwrap_or_default(),
                hidden,
                callout,
                change: Change::Same,
            }
        })
        .collect()
}

/// `new`'s lines with the lines it adds against `old` marked, and `old`'s lines it removes
/// put in their place. Lines are compared as compiled (`old_code`, `new_code`: hidden-line
/// prefixes and callouts removed), so that hiding a line or adding a callout is no change.
pub(super) fn against(old: Vec<Line>, old_code: &str, new: Vec<Line>, new_code: &str) -> Vec<Line> {
    let old_text: Vec<&str> = old_code.lines().collect();
    let new_text: Vec<&str> = new_code.lines().collect();
    let mut out = Vec::with_capacity(new.len());
    for op in capture_diff_slices(Algorithm::Myers, &old_text, &new_text) {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        if matches!(tag, DiffTag::Delete | DiffTag::Replace) {
            out.extend(old[old_range].iter().map(|l| Line {
                // The base's callouts belong to the base's prose.
                callout: None,
                change: Change::Removed,
                ..l.clone()
            }));
        }
        let change = if tag == DiffTag::Equal {
            Change::Same
        } else {
            Change::Added
        };
        out.extend(new[new_range].iter().map(|l| Line { change, ..l.clone() }));
    }
    out
}

/// The lines as HTML inside `<code>`, and how many hidden lines the ePub leaves out. On the
/// site a hidden line is in the page (the copy button copies it; `listings.js` shows it on
/// demand). A line with a class of its own holds its newline, so that hiding it leaves no
/// blank line.
pub(super) fn to_html(lines: &[Line], target: Target) -> (String, usize) {
    let mut html = String::new();
    let mut left_out = 0;
    for line in lines {
        if line.hidden && target == Target::Epub {
            left_out += usize::from(line.change != Change::Removed);
            continue;
        }
        let mut class = String::from("line");
        if line.hidden {
            class.push_str(" hidden-line");
        }
        match line.change {
            Change::Same => {}
            Change::Added => class.push_str(" line-added"),
            Change::Removed => class.push_str(" line-removed"),
        }
        let _ = write!(html, "<span class=\"{class}\">{}", line.html);
        if let Some(n) = line.callout {
            html.push_str(&callout(n, CalloutAt::Code));
        }
        html.push_str(if class == "line" { "</span>\n" } else { "\n</span>" });
    }
    (html, left_out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(raw: &str) -> Vec<Line> {
        let code = crate::book::extract_code(raw, Syntax::Rust);
        lines(
            raw,
            Syntax::Rust,
            &code.lines().map(str::to_string).collect::<Vec<_>>(),
        )
    }

    fn show(lines: &[Line]) -> Vec<String> {
        lines
            .iter()
            .map(|l| {
                let mark = match l.change {
                    Change::Same => ' ',
                    Change::Added => '+',
                    Change::Removed => '-',
                };
                format!("{mark}{}{}", if l.hidden { "#" } else { "" }, l.html)
            })
            .collect()
    }

    #[test]
    fn changes_are_computed_on_the_code_as_compiled() {
        let old = "fn helper() {}\nfn main() {\n    a(); // <1>\n}\n";
        let new = "# fn helper() {}\nfn main() {\n    b();\n}\n";
        let diff = against(
            plain(old),
            &crate::book::extract_code(old, Syntax::Rust),
            plain(new),
            &crate::book::extract_code(new, Syntax::Rust),
        );
        assert_eq!(
            show(&diff),
            [" #fn helper() {}", " fn main() {", "-    a();", "+    b();", " }"],
            "hiding a line is no change; a changed line is removed then added"
        );
        assert!(diff[2].callout.is_none(), "the base's callout is not shown");
    }

    #[test]
    fn the_epub_leaves_hidden_lines_out_and_counts_them() {
        let lines = plain("# use std::thread;\nfn main() {}\n");
        let (site, _) = to_html(&lines, Target::Site);
        assert_eq!(
            site,
            "<span class=\"line hidden-line\">use std::thread;\n</span><span class=\"line\">fn main() {}</span>\n"
        );
        let (epub, left_out) = to_html(&lines, Target::Epub);
        assert_eq!(
            (epub.as_str(), left_out),
            ("<span class=\"line\">fn main() {}</span>\n", 1)
        );
    }
}
