//! Prose: cross-references `[](listing:ID)` as "Listing 4-2" links that work across
//! chapters and in the ePub, and callout marks `<1>` as the badges the code shows.

use std::ops::Range;

use super::figure::figure_anchor;
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
        let text = link_text(raw).unwrap_or_else(|| self.listing_name(listing));
        format!(
            "[{text}]({})",
            self.href(chapter, listing.chapter, &anchor(id), "md")
        )
    }

    /// `[](figure:ID)` → "Figure 3-1", linked like listings are.
    pub(super) fn figure_reference(
        &self,
        chapter: usize,
        src: &str,
        range: &Range<usize>,
        id: &str,
    ) -> String {
        let raw = &src[range.clone()];
        let Some(figure) = self.book.figures.iter().find(|f| f.id == id) else {
            return raw.to_string();
        };
        let text = link_text(raw).unwrap_or_else(|| self.figure_name(figure));
        format!(
            "[{text}]({})",
            self.href(chapter, figure.chapter, &figure_anchor(id), "md")
        )
    }

    /// A link to a listing written as HTML (inside a figure): "Listing 3-9".
    pub(super) fn listing_link(&self, chapter: usize, listing: &Listing) -> String {
        let href = self.href(chapter, listing.chapter, &anchor(&listing.id), "html");
        format!("<a href=\"{href}\">{}</a>", self.listing_name(listing))
    }

    /// The link from chapter `here` to `#anchor` in chapter `there`. Markdown links name the
    /// `.md` file (mdBook rewrites them); HTML links name the page (`site_ext`).
    fn href(&self, here: usize, there: usize, anchor: &str, site_ext: &str) -> String {
        let here = &self.book.chapters[here].path;
        let there = &self.book.chapters[there].path;
        if here == there {
            return format!("#{anchor}");
        }
        let ext = match self.target {
            Target::Site => site_ext,
            Target::Epub => "xhtml",
        };
        let file = relative(here, there).replace(".md", &format!(".{ext}"));
        format!("{file}#{anchor}")
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
        self.href(from, listing.chapter, &anchor(&listing.id), "html")
    }
}

/// The text an author wrote in `[text](listing:ID)`, if any.
fn link_text(raw: &str) -> Option<String> {
    let text = raw
        .strip_prefix('[')
        .and_then(|r| r.find("](").map(|i| &r[..i]))
        .unwrap_or_default();
    (!text.trim().is_empty()).then(|| text.to_string())
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
