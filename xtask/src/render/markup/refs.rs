//! Prose: cross-references `[](listing:ID)` as "Listing 4-2" links that work across
//! chapters and in the ePub, and callout marks `<1>` as the badges the code shows.

use std::ops::Range;

use super::{Edit, Markup, Target, anchor};
use crate::book::Listing;
use crate::render::html::{CalloutAt, callout};

impl Markup<'_> {
    /// `[](listing:ID)` → "Listing 4-2", linked across chapters; link text an author wrote
    /// is kept.
    pub(super) fn reference(&self, chapter: usize, src: &str, range: &Range<usize>, id: &str) -> String {
        let raw = &src[range.clone()];
        let Some(&index) = self.by_id.get(id) else {
            return raw.to_string();
        };
        let listing = &self.book.listings[index];
        let text = raw
            .strip_prefix('[')
            .and_then(|r| r.find("](").map(|i| &r[..i]))
            .unwrap_or_default();
        let text = if text.trim().is_empty() {
            self.listing_name(listing)
        } else {
            text.to_string()
        };
        let here = &self.book.chapters[chapter].path;
        let there = &self.book.chapters[listing.chapter].path;
        if here == there {
            return format!("[{text}](#{})", anchor(id));
        }
        let ext = match self.target {
            Target::Site => "md",
            Target::Epub => "xhtml",
        };
        let file = relative(here, there).replace(".md", &format!(".{ext}"));
        format!("[{text}]({file}#{})", anchor(id))
    }
}

impl Markup<'_> {
    /// The way from a page of chapter `from` to the site's root: `` or `../`.
    pub(super) fn to_root(&self, from: usize) -> String {
        let path = &self.book.chapters[from].path;
        "../".repeat(path.matches('/').count().saturating_sub(1))
    }

    /// The address of `listing` from a page of chapter `from`, for an HTML link: raw HTML
    /// is not rewritten by mdBook, so the page's own extension is written here.
    pub(super) fn listing_href(&self, from: usize, listing: &Listing) -> String {
        let here = &self.book.chapters[from].path;
        let there = &self.book.chapters[listing.chapter].path;
        if here == there {
            return format!("#{}", anchor(&listing.id));
        }
        let ext = match self.target {
            Target::Site => "html",
            Target::Epub => "xhtml",
        };
        let file = relative(here, there).replace(".md", &format!(".{ext}"));
        format!("{file}#{}", anchor(&listing.id))
    }
}

/// `<1>` in prose (outside code, links and raw HTML) → a callout badge like the one in the
/// listing.
pub(super) fn prose_callouts(src: &str, skip: &[Range<usize>]) -> Vec<Edit> {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| regex::Regex::new(r"<([0-9]{1,2})>").unwrap());
    re.captures_iter(src)
        .filter_map(|c| {
            let m = c.get(0)?;
            if skip.iter().any(|r| r.start <= m.start() && m.end() <= r.end) {
                return None;
            }
            Some((m.range(), callout(&c[1], CalloutAt::Prose)))
        })
        .collect()
}

/// The path of chapter `to` relative to chapter `from` (both relative to the book root).
fn relative(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> = from.split('/').collect::<Vec<_>>();
    let from_dir = &from_dir[..from_dir.len() - 1];
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dir.iter().zip(&to_parts).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; from_dir.len() - common];
    parts.extend(&to_parts[common..]);
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(relative("src/a.md", "src/b.md"), "b.md");
        assert_eq!(relative("src/x/a.md", "src/b.md"), "../b.md");
        assert_eq!(relative("src/a.md", "src/y/b.md"), "y/b.md");
    }

    #[test]
    fn callouts_in_prose_skip_code() {
        let src = "See <1> and `a <2> b`.";
        let edits = prose_callouts(src, std::slice::from_ref(&(9..18)));
        assert_eq!(edits.len(), 1);
        assert_eq!(edits[0].0, 4..7);
    }
}
