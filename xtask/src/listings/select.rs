//! Select: which listings a run of `test-listings` checks (filters and `--shard`).

use crate::book::{Book, Chapter, Listing};
use crate::util::hash::fnv1a;

/// `--shard K/N`: the K-th of N stable parts of the book.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    index: u32,
    count: u32,
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("`{s}`: write a shard as K/N with 1 <= K <= N, e.g. 2/4");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count): (u32, u32) = (k.parse().map_err(|_| bad())?, n.parse().map_err(|_| bad())?);
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// A listing belongs to a shard by a hash of its id: stable when other listings are added
    /// or moved, and every listing is in exactly one shard.
    pub(crate) fn contains(&self, id: &str) -> bool {
        fnv1a(id.bytes()) % u64::from(self.count) == u64::from(self.index - 1)
    }
}

/// Whether filter `f` names this listing or its chapter (by slug, `src/` path or file name).
fn names(book: &Book, listing: &Listing, f: &str) -> bool {
    let c = &book.chapters[listing.chapter];
    listing.id == f || names_chapter(c, f)
}

fn names_chapter(c: &Chapter, f: &str) -> bool {
    c.slug == f || c.path == f || c.path.trim_start_matches("src/") == f
}

/// Which listings the filters and the shard select, in book order.
pub(crate) fn select(book: &Book, filters: &[String], shard: Option<Shard>) -> Result<Vec<usize>, String> {
    for f in filters {
        let known =
            book.listings.iter().any(|l| &l.id == f) || book.chapters.iter().any(|c| names_chapter(c, f));
        if !known {
            let chapters: Vec<&str> = book.chapters.iter().map(|c| c.slug.as_str()).collect();
            return Err(format!(
                "`{f}` names no listing and no chapter; chapters are: {}",
                chapters.join(", ")
            ));
        }
    }
    Ok((0..book.listings.len())
        .filter(|&i| {
            let l = &book.listings[i];
            let by_filter = filters.is_empty() || filters.iter().any(|f| names(book, l, f));
            by_filter && shard.is_none_or(|s| s.contains(&l.id))
        })
        .collect())
}
