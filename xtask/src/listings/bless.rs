//! Bless: rewrite failing output blocks from what the programs printed, one atomic write per
//! chapter, and only when the chapter did not change on disk while the listings ran.

use std::collections::BTreeMap;

use anyhow::Result;

use super::verdict::{Failure, Verdict};
use crate::book::{Book, Expected};
use crate::util::fs::write_atomic;
use crate::util::text::splice;

/// Rewrites the output blocks that failed from what was printed, one atomic write per
/// chapter. Nothing is written if the book changed on disk since it was read.
pub(crate) fn bless(book: &Book, verdicts: &[Verdict]) -> Result<()> {
    let mut by_chapter: BTreeMap<usize, Vec<(std::ops::Range<usize>, String)>> = BTreeMap::new();
    let mut empty = Vec::new();
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
        if Expected::parse(&text).is_err() {
            empty.push(format!("{}:{}", book.chapters[l.chapter].path, block.line));
        }
        by_chapter
            .entry(l.chapter)
            .or_default()
            .push((block.content.clone(), text));
    }
    let mut blessed = 0;
    for (chapter, edits) in by_chapter {
        let c = &book.chapters[chapter];
        let path = book.root.join(&c.path);
        let on_disk = std::fs::read_to_string(&path)?;
        if on_disk != *c.source {
            eprintln!(
                "warning: {} changed while the listings ran; not blessed, run again",
                c.path
            );
            continue;
        }
        let count = edits.len();
        let text = splice(&c.source, edits);
        write_atomic(&path, text.as_bytes())?;
        blessed += count;
        println!("blessed {count} output block(s) in {}", c.path);
    }
    for at in empty {
        eprintln!(
            "warning: {at}: the blessed block holds no literal word (the program printed none); the book will not parse until it does"
        );
    }
    if blessed > 0 {
        println!(
            "review the changes with `git diff src/` before committing: bless writes what the programs printed"
        );
    }
    Ok(())
}
