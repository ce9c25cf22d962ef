//! Bless: rewrite failing output blocks from what the programs printed, one atomic write per
//! chapter, and only when the chapter did not change on disk while the listings ran.

use std::collections::BTreeMap;

use anyhow::Result;

use super::verdict::{Failure, Verdict};
use crate::book::diag::{Diag, stderr_is_terminal};
use crate::book::{Book, Expected, OutputBlock};
use crate::util::fs::write_atomic;
use crate::util::text::{line_range, splice};

/// Rewrites the output blocks that failed from what was printed, one atomic write per
/// chapter. Nothing is written if the book changed on disk since it was read.
pub(crate) fn bless(book: &Book, verdicts: &[Verdict]) -> Result<()> {
    let mut warnings = Vec::new();
    let mut blessed = 0;
    for (chapter, edits) in rewrites(book, verdicts) {
        let c = &book.chapters[chapter];
        let path = book.root.join(&c.path);
        let on_disk = std::fs::read_to_string(&path)?;
        if on_disk != *c.source {
            let (first, _) = edits[0];
            warnings.push(
                Diag::new(
                    &c.path,
                    &c.source,
                    line_range(&c.source, first.line),
                    format!(
                        "{} changed while the listings ran; not blessed, run again",
                        c.path
                    ),
                )
                .label("not blessed"),
            );
            continue;
        }
        for (block, text) in &edits {
            if Expected::parse(text).is_err() {
                warnings.push(holds_no_literal_word(book, chapter, block));
            }
        }
        let count = edits.len();
        let edits = edits
            .into_iter()
            .map(|(block, text)| (block.content.clone(), text))
            .collect();
        write_atomic(&path, splice(&c.source, edits).as_bytes())?;
        blessed += count;
        // Stderr, like the warnings: stdout carries the report, JSON lines with `--format json`.
        eprintln!("blessed {count} output block(s) in {}", c.path);
    }
    let color = stderr_is_terminal();
    for warning in warnings {
        eprint!("{}", warning.render_warning(color));
    }
    if blessed > 0 {
        eprintln!(
            "review the changes with `git diff src/` before committing: bless writes what the programs printed"
        );
    }
    Ok(())
}

/// The new text of every output block bless rewrites, by chapter, in book order.
fn rewrites<'a>(book: &'a Book, verdicts: &[Verdict]) -> BTreeMap<usize, Vec<(&'a OutputBlock, String)>> {
    let mut by_chapter: BTreeMap<usize, Vec<(&OutputBlock, String)>> = BTreeMap::new();
    for (i, v) in verdicts.iter().enumerate() {
        let Verdict::Failed(Failure { bless: Some(b), .. }) = v else {
            continue;
        };
        let l = &book.listings[i];
        let block = &l.outputs[b.block];
        let mut text = String::new();
        for line in &b.lines {
            text.push_str(&block.indent);
            text.push_str(line);
            text.push('\n');
        }
        by_chapter.entry(l.chapter).or_default().push((block, text));
    }
    by_chapter
}

/// A blessed block that the parser will refuse: the program printed no literal word, so the
/// block checks nothing. It is written anyway (it is what was printed); the author decides.
fn holds_no_literal_word(book: &Book, chapter: usize, block: &OutputBlock) -> Diag {
    let c = &book.chapters[chapter];
    Diag::new(
        &c.path,
        &c.source,
        line_range(&c.source, block.line),
        "the blessed block holds no literal word (the program printed none); the book will not parse until it does",
    )
    .label("blessed from what the program printed")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::listings::verdict::{Blessed, Detail};

    const CHAPTER: &str = "# One\n\n- In a list:\n\n  ```rust listing=greet\n  fn main() {}\n  ```\n\n  ```output\n  hello\n  ```\n";

    fn failed_with(lines: &[&str]) -> Verdict {
        Verdict::Failed(Failure {
            bless: Some(Blessed {
                block: 0,
                lines: lines.iter().map(|l| l.to_string()).collect(),
            }),
            ..Failure::new(9, "printed something else", Detail::None)
        })
    }

    #[test]
    fn a_block_in_a_list_is_rewritten_with_its_indent() {
        let (dir, book) = crate::listings::book_of_one_chapter(CHAPTER);
        bless(&book, &[failed_with(&["hi", "there"])]).unwrap();
        let now = std::fs::read_to_string(dir.path().join("src/one.md")).unwrap();
        assert_eq!(now, CHAPTER.replace("  hello\n", "  hi\n  there\n"));

        let quoted =
            "# One\n\n> ```rust listing=greet\n> fn main() {}\n> ```\n>\n> ```output\n> hello\n> ```\n";
        let (dir, book) = crate::listings::book_of_one_chapter(quoted);
        bless(&book, &[failed_with(&["hi"])]).unwrap();
        let now = std::fs::read_to_string(dir.path().join("src/one.md")).unwrap();
        assert_eq!(now, quoted.replace("> hello\n", "> hi\n"));
    }

    #[test]
    fn a_chapter_changed_on_disk_is_not_blessed() {
        let (dir, book) = crate::listings::book_of_one_chapter(CHAPTER);
        let edited = format!("{CHAPTER}\nA line added while the listings ran.\n");
        std::fs::write(dir.path().join("src/one.md"), &edited).unwrap();
        bless(&book, &[failed_with(&["hi"])]).unwrap();
        let now = std::fs::read_to_string(dir.path().join("src/one.md")).unwrap();
        assert_eq!(now, edited);
    }

    #[test]
    fn a_block_with_no_literal_word_is_a_warning_pointing_at_it() {
        let (_dir, book) = crate::listings::book_of_one_chapter(CHAPTER);
        let block = &book.listings[0].outputs[0];
        let shown = holds_no_literal_word(&book, 0, block).render_warning(false);
        assert!(
            shown.starts_with("warning: the blessed block holds no literal word"),
            "{shown}"
        );
        assert!(shown.contains("src/one.md:9:1"), "{shown}");
        assert!(shown.contains("blessed from what the program printed"), "{shown}");
    }
}
