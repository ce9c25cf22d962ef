//! Markup: a chapter's Markdown with every code block replaced by HTML: numbered,
//! captioned, highlighted listings ([`listing`]); outputs shown as terminal output with
//! "differs between runs" marks instead of matcher syntax, and badges that say what was
//! checked ([`output`]); tab groups (here); cross-references as "Listing 4-2" links and
//! callout badges in prose ([`refs`]).
//!
//! The same HTML serves the site and the ePub, except where the ePub (no JavaScript, XHTML)
//! needs otherwise: tab groups become one panel after another.

mod figure;
mod lines;
mod listing;
mod output;
mod refs;

use std::collections::HashMap;
use std::fmt::Write;
use std::ops::Range;

use super::figure::Drawing;
use super::fill::Fills;
use super::highlight::Highlighter;
use super::html::escape;
use crate::book::recording::Recordings;
use crate::book::{BlockKind, Book, Chapter, CodeBlock, Listing};

/// Who reads the HTML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// The site: mdBook turns `.md` links into `.html`; JavaScript makes tab groups.
    Site,
    /// The ePub: XHTML, links to `.xhtml`, no scripts.
    Epub,
}

/// Everything needed to mark up any chapter of a book.
pub(crate) struct Markup<'a> {
    book: &'a Book,
    highlighter: &'a Highlighter,
    /// Where a listing's crate can be browsed: `<base>/<chapter>/<id>`.
    source_url: Option<String>,
    target: Target,
    by_id: HashMap<&'a str, usize>,
    /// What the listings printed when they passed: outputs show it instead of their pattern.
    recordings: &'a Recordings,
    /// The listings archive's file name at the site's root, linked from each chapter's
    /// first listing (on the site: the ePub does not hold it).
    archive: Option<String>,
    /// Every figure of the book, drawn (in the order of `Book::figures`).
    drawings: &'a [Drawing],
    /// Where the site's heavy fragments go while mdBook renders placeholders for them.
    fills: Option<&'a Fills>,
}

/// What ran: the recorded runs, and the figures drawn from them.
#[derive(Clone, Copy)]
pub(crate) struct Ran<'a> {
    pub(crate) recordings: &'a Recordings,
    pub(crate) figures: &'a Figures,
}

/// The figures of a book as drawn.
#[derive(Debug, Default)]
pub(crate) struct Figures {
    pub(crate) drawings: Vec<Drawing>,
    /// The ePub's SVG files: path in the ePub, contents.
    pub(crate) epub_files: Vec<(String, String)>,
}

/// A replacement of a range of the chapter by HTML.
type Edit = (Range<usize>, String);

/// One replaced code block.
struct Piece {
    range: Range<usize>,
    html: String,
    /// The index of the listing the block belongs to, when that listing is tabbed: blocks
    /// of different tabbed listings next to each other become one tab group.
    tabbed_listing: Option<usize>,
}

impl<'a> Markup<'a> {
    pub(crate) fn new(
        book: &'a Book,
        highlighter: &'a Highlighter,
        ran: Ran<'a>,
        source_url: Option<String>,
        target: Target,
    ) -> Markup<'a> {
        let by_id = book
            .listings
            .iter()
            .enumerate()
            .map(|(i, l)| (l.id.as_str(), i))
            .collect();
        Markup {
            book,
            highlighter,
            source_url: source_url.map(|u| u.trim_end_matches('/').to_string()),
            target,
            by_id,
            recordings: ran.recordings,
            drawings: &ran.figures.drawings,
            archive: None,
            fills: None,
        }
    }

    /// The same markup, giving mdBook placeholders for highlighted code, outputs and
    /// pictures, whose fragments `fills` keeps (see [`Fills`]).
    pub(crate) fn with_fills(mut self, fills: Option<&'a Fills>) -> Markup<'a> {
        self.fills = fills;
        self
    }

    /// The same markup, linking to the listings archive `name` from each chapter's first
    /// listing.
    pub(crate) fn with_archive(mut self, name: Option<String>) -> Markup<'a> {
        self.archive = name;
        self
    }

    /// The chapter at `path` (relative to the book root, `src/ch04-threads.md`), if the
    /// model has it.
    pub(crate) fn chapter_index(&self, path: &str) -> Option<usize> {
        self.book.chapters.iter().position(|c| c.path == path)
    }

    /// The chapter's Markdown with code blocks, references and callouts marked up.
    pub(crate) fn chapter(&self, index: usize) -> String {
        let chapter = &self.book.chapters[index];
        let src: &str = &chapter.source;
        let pieces = chapter.blocks.iter().map(|block| self.piece(block)).collect();
        let mut edits = self.group_tabs(src, pieces);
        for (range, html) in &mut edits {
            end_html_block(src, range.end, html);
        }
        edits.extend(self.prose(index, chapter));
        crate::util::text::splice(src, edits)
    }

    /// A code block as the parser classified it, as HTML.
    fn piece(&self, block: &CodeBlock) -> Piece {
        let (html, listing) = match &block.kind {
            BlockKind::Listing { listing, file } => {
                let l = &self.book.listings[*listing];
                (self.listing_block(l, &l.files[*file]), Some(*listing))
            }
            BlockKind::Output { listing, block } => (
                self.output_block(&self.book.listings[*listing], *block),
                Some(*listing),
            ),
            BlockKind::Stdin { listing, block } => {
                let l = &self.book.listings[*listing];
                let text = l.outputs[*block].stdin.as_deref().unwrap_or_default();
                (output::stdin_block(text), Some(*listing))
            }
            BlockKind::Figure { figure } => (self.figure_block(*figure), None),
            BlockKind::Other { lang, text } => (self.illustration(text, lang), None),
        };
        let tabbed = listing.filter(|&l| self.book.listings[l].tab.is_some());
        Piece {
            range: block.range.clone(),
            html: match self.fills {
                Some(fills) => fills.stand_in(&html),
                None => html,
            },
            tabbed_listing: tabbed,
        }
    }

    /// Output block `index` of `listing`: what its run printed, when the listing passed as
    /// the chapter now writes it, else its pattern.
    fn output_block(&self, listing: &Listing, index: usize) -> String {
        let run = self
            .recordings
            .get(&listing.id)
            .filter(|r| r.outputs.len() == listing.outputs.len())
            .map(|r| output::Run {
                output: &r.outputs[index],
                machine: r.machine.as_ref(),
                across: if listing.compile_fail {
                    "compiler versions"
                } else {
                    "runs"
                },
            });
        output::output_block(listing, index, run, self.target)
    }

    /// The edits to the chapter's prose: references and callout marks. Code blocks come from
    /// the model; what prose holds (references, inline code that callouts must skip) is read
    /// here.
    fn prose(&self, index: usize, chapter: &Chapter) -> Vec<Edit> {
        let src: &str = &chapter.source;
        let prose = crate::book::scan(src);
        let mut edits: Vec<Edit> = prose
            .references
            .iter()
            .map(|(range, id)| (range.clone(), self.reference(index, src, range, id)))
            .collect();
        let mut skip: Vec<Range<usize>> = chapter.blocks.iter().map(|b| b.range.clone()).collect();
        edits.extend(
            (prose.figure_references.iter())
                .map(|(range, id)| (range.clone(), self.figure_reference(index, src, range, id))),
        );
        skip.extend(prose.literal.iter().cloned());
        skip.extend(prose.references.iter().map(|(r, _)| r.clone()));
        skip.extend(prose.figure_references.iter().map(|(r, _)| r.clone()));
        edits.extend(refs::prose_callouts(src, &skip));
        edits
    }

    /// Consecutive pieces of tabbed listings (only blank space between) become one group.
    fn group_tabs(&self, src: &str, pieces: Vec<Piece>) -> Vec<Edit> {
        let mut edits = Vec::new();
        let mut group: Vec<Piece> = Vec::new();
        for piece in pieces {
            let joins = piece.tabbed_listing.is_some()
                && group
                    .last()
                    .is_some_and(|last| src[last.range.end..piece.range.start].trim().is_empty());
            if !joins {
                self.flush(&mut group, &mut edits);
            }
            if piece.tabbed_listing.is_some() {
                group.push(piece);
            } else {
                edits.push((piece.range, piece.html));
            }
        }
        self.flush(&mut group, &mut edits);
        edits
    }

    /// Ends a run of tabbed pieces: one tab group if they come from two listings or more,
    /// else each piece as it is.
    fn flush(&self, group: &mut Vec<Piece>, edits: &mut Vec<Edit>) {
        let mut listings: Vec<usize> = group.iter().filter_map(|p| p.tabbed_listing).collect();
        listings.dedup();
        if listings.len() < 2 {
            edits.extend(group.drain(..).map(|p| (p.range, p.html)));
            return;
        }
        let range = group[0].range.start..group[group.len() - 1].range.end;
        edits.push((range, self.tab_group(&listings, group)));
        group.clear();
    }

    fn tab_group(&self, listings: &[usize], pieces: &[Piece]) -> String {
        let mut html = String::from("<div class=\"tab-group\">\n");
        if self.target == Target::Site {
            html.push_str(&self.tab_bar(listings));
        }
        for &index in listings {
            html.push_str(&self.tab_panel_start(&self.book.listings[index]));
            for p in pieces.iter().filter(|p| p.tabbed_listing == Some(index)) {
                html.push_str(&p.html);
                html.push('\n');
            }
            html.push_str("</div>\n");
        }
        html.push_str("</div>");
        html
    }

    /// The site's row of tab buttons; the first tab is selected.
    fn tab_bar(&self, listings: &[usize]) -> String {
        let mut html = String::from("<div class=\"tab-bar\" role=\"tablist\">");
        for (n, &index) in listings.iter().enumerate() {
            let l = &self.book.listings[index];
            let _ = write!(
                html,
                "<button type=\"button\" role=\"tab\" id=\"tab-{id}\" aria-controls=\"panel-{id}\" aria-selected=\"{sel}\">{label}</button>",
                id = l.id,
                sel = n == 0,
                label = escape(l.tab.as_deref().unwrap_or_default()),
            );
        }
        html.push_str("</div>\n");
        html
    }

    /// The opening of a listing's panel: tied to its button on the site, labelled in the
    /// ePub, where panels follow one another.
    fn tab_panel_start(&self, listing: &Listing) -> String {
        match self.target {
            Target::Site => format!(
                "<div class=\"tab-panel\" role=\"tabpanel\" id=\"panel-{id}\" aria-labelledby=\"tab-{id}\">\n",
                id = listing.id
            ),
            Target::Epub => format!(
                "<div class=\"tab-panel\">\n<p class=\"tab-label\">{}</p>\n",
                escape(listing.tab.as_deref().unwrap_or_default())
            ),
        }
    }

    /// "Listing 4-2".
    fn listing_name(&self, listing: &Listing) -> String {
        format!(
            "Listing {}-{}",
            self.book.chapters[listing.chapter].label, listing.number
        )
    }
}

/// The page anchor of a listing: `listing-ID`. The prefix keeps it apart from mdBook's
/// heading ids: a listing `http-by-hand` under a heading "HTTP by hand" would otherwise
/// share its id, and a reference would land on the heading.
fn anchor(id: &str) -> String {
    format!("listing-{id}")
}

/// Raw HTML in Markdown runs on until a blank line. A paragraph straight after a code block's
/// closing fence is legal Markdown, but after the HTML that replaces the block it would be
/// swallowed and shown as raw text: `html` gets the blank line the Markdown did not need.
fn end_html_block(src: &str, end: usize, html: &mut String) {
    let consumed_newline = src[..end].ends_with('\n');
    let rest = &src[end..];
    let rest = if consumed_newline {
        rest
    } else {
        rest.strip_prefix('\n').unwrap_or(rest)
    };
    if rest.lines().next().is_some_and(|next| !next.trim().is_empty()) {
        html.push_str(if consumed_newline { "\n\n" } else { "\n" });
    }
}
