//! Markup: a chapter's Markdown with every code block replaced by HTML: numbered,
//! captioned, highlighted listings; outputs shown as terminal output with "differs between
//! runs" marks instead of matcher syntax; badges that say what was checked; tab groups;
//! cross-references as "Listing 4-2" links; callout badges in prose.
//!
//! The same HTML serves the site and the ePub, except where the ePub (no JavaScript, XHTML)
//! needs otherwise: tab groups become one panel after another.

use std::collections::HashMap;
use std::fmt::Write;
use std::ops::Range;

use anyhow::Result;

use super::highlight::{Highlighter, escape};
use crate::book::pattern::{Line, Segment, segments};
use crate::book::{BlockKind, Book, Listing, OutputBlock, SourceFile, Stream};

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
    hl: &'a Highlighter,
    /// Where a listing's crate can be browsed: `<base>/<chapter>/<id>`.
    source_url: Option<String>,
    target: Target,
    by_id: HashMap<&'a str, usize>,
}

/// One replaced code block.
struct Piece {
    range: Range<usize>,
    html: String,
    /// The listing it belongs to, when it is part of a tabbed listing.
    tab: Option<usize>,
}

impl<'a> Markup<'a> {
    pub(crate) fn new(
        book: &'a Book,
        hl: &'a Highlighter,
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
            hl,
            source_url: source_url.map(|u| u.trim_end_matches('/').to_string()),
            target,
            by_id,
        }
    }

    /// The chapter at `path` (relative to the book root, `src/ch04-threads.md`), if the
    /// model has it.
    pub(crate) fn chapter_index(&self, path: &str) -> Option<usize> {
        self.book.chapters.iter().position(|c| c.path == path)
    }

    /// The chapter's Markdown with code blocks, references and callouts marked up.
    pub(crate) fn chapter(&self, index: usize) -> Result<String> {
        let chapter = &self.book.chapters[index];
        let src: &str = &chapter.source;
        // Code blocks come from the model, as the parser classified them; prose (references,
        // inline code that callouts must skip) is read here.
        let prose = crate::book::scan(src);
        let mut pieces = Vec::new();
        let mut code_ranges = Vec::new();
        for block in &chapter.blocks {
            code_ranges.push(block.range.clone());
            let (html, tab) = match &block.kind {
                BlockKind::Listing { listing, file } => {
                    let l = &self.book.listings[*listing];
                    (self.listing_block(l, &l.files[*file]), tab_of(l, *listing))
                }
                BlockKind::Output { listing, block } => {
                    let l = &self.book.listings[*listing];
                    (self.output_block(l, *block), tab_of(l, *listing))
                }
                BlockKind::Stdin { listing, block } => {
                    let l = &self.book.listings[*listing];
                    let text = l.outputs[*block].stdin.as_deref().unwrap_or_default();
                    (self.stdin_block(text), tab_of(l, *listing))
                }
                BlockKind::Other { lang, text } => (self.illustration(text, lang), None),
            };
            pieces.push(Piece {
                range: block.range.clone(),
                html,
                tab,
            });
        }

        let mut edits: Vec<(Range<usize>, String)> = self.group_tabs(src, pieces);
        for (range, html) in &mut edits {
            end_html_block(src, range.end, html);
        }
        for (range, id) in &prose.references {
            edits.push((range.clone(), self.reference(index, src, range, id)));
        }
        let mut skip: Vec<Range<usize>> = code_ranges;
        skip.extend(prose.literal.iter().cloned());
        skip.extend(prose.references.iter().map(|(r, _)| r.clone()));
        edits.extend(prose_callouts(src, &skip));

        Ok(crate::util::text::splice(src, edits))
    }

    /// Consecutive pieces of tabbed listings (only blank space between) become one group.
    fn group_tabs(&self, src: &str, pieces: Vec<Piece>) -> Vec<(Range<usize>, String)> {
        let mut edits = Vec::new();
        let mut group: Vec<Piece> = Vec::new();
        let flush = |group: &mut Vec<Piece>, edits: &mut Vec<(Range<usize>, String)>| {
            if group.is_empty() {
                return;
            }
            let listings: Vec<usize> = {
                let mut v: Vec<usize> = group.iter().filter_map(|p| p.tab).collect();
                v.dedup();
                v
            };
            let range = group[0].range.start..group[group.len() - 1].range.end;
            if listings.len() < 2 {
                for p in group.drain(..) {
                    edits.push((p.range, p.html));
                }
                return;
            }
            edits.push((range, self.tab_group(&listings, group)));
            group.clear();
        };
        for piece in pieces {
            let joins = piece.tab.is_some()
                && group.last().is_some_and(|last| {
                    last.tab.is_some() && src[last.range.end..piece.range.start].trim().is_empty()
                });
            if !joins {
                flush(&mut group, &mut edits);
            }
            if piece.tab.is_some() {
                group.push(piece);
            } else {
                edits.push((piece.range, piece.html));
            }
        }
        flush(&mut group, &mut edits);
        edits
    }

    fn tab_group(&self, listings: &[usize], pieces: &[Piece]) -> String {
        let mut html = String::from("<div class=\"tab-group\">\n");
        if self.target == Target::Site {
            html.push_str("<div class=\"tab-bar\" role=\"tablist\">");
            for (n, &li) in listings.iter().enumerate() {
                let l = &self.book.listings[li];
                let _ = write!(
                    html,
                    "<button type=\"button\" role=\"tab\" id=\"tab-{id}\" aria-controls=\"panel-{id}\" aria-selected=\"{sel}\">{label}</button>",
                    id = l.id,
                    sel = n == 0,
                    label = escape(l.tab.as_deref().unwrap_or_default()),
                );
            }
            html.push_str("</div>\n");
        }
        for &li in listings {
            let l = &self.book.listings[li];
            let label = escape(l.tab.as_deref().unwrap_or_default());
            match self.target {
                Target::Site => {
                    let _ = writeln!(
                        html,
                        "<div class=\"tab-panel\" role=\"tabpanel\" id=\"panel-{id}\" aria-labelledby=\"tab-{id}\">",
                        id = l.id
                    );
                }
                Target::Epub => {
                    let _ = writeln!(
                        html,
                        "<div class=\"tab-panel\">\n<p class=\"tab-label\">{label}</p>"
                    );
                }
            }
            for p in pieces.iter().filter(|p| p.tab == Some(li)) {
                html.push_str(&p.html);
                html.push('\n');
            }
            html.push_str("</div>\n");
        }
        html.push_str("</div>");
        html
    }

    /// "Listing 4-2".
    pub(crate) fn listing_name(&self, listing: &Listing) -> String {
        format!(
            "Listing {}-{}",
            self.book.chapters[listing.chapter].label, listing.number
        )
    }

    fn listing_block(&self, listing: &Listing, file: &SourceFile) -> String {
        let first = std::ptr::eq(file, &listing.files[0]);
        let mut html = String::new();
        if first {
            let _ = writeln!(html, "<figure class=\"listing\" id=\"{}\">", anchor(&listing.id));
            let _ = write!(
                html,
                "<figcaption class=\"listing-caption\"><span class=\"listing-label\"><a class=\"listing-number\" href=\"#{}\">{}</a>",
                anchor(&listing.id),
                self.listing_name(listing)
            );
            if let Some(caption) = &listing.caption {
                let _ = write!(
                    html,
                    "<span class=\"listing-title\">: {}</span>",
                    inline_markdown(caption)
                );
            }
            if listing.compile_fail {
                html.push_str(&badge("does not compile", "error"));
            }
            if listing.no_run {
                html.push_str(&badge("compiled, not run", "info"));
            }
            html.push_str("</span>");
            if let Some(base) = &self.source_url {
                // Every listing has a "crate" link: the label says whose it is.
                let _ = write!(
                    html,
                    "<a class=\"listing-source\" href=\"{base}/{}/{}\" title=\"The crate this listing is extracted to\" aria-label=\"crate of {}\">crate</a>",
                    self.book.chapters[listing.chapter].slug,
                    listing.id,
                    self.listing_name(listing)
                );
            }
            html.push_str("</figcaption>\n");
        } else {
            html.push_str("<figure class=\"listing listing-continued\">\n");
        }
        if listing.files.len() > 1 {
            let _ = writeln!(html, "<div class=\"listing-file\">{}</div>", escape(&file.path));
        }
        html.push_str(&self.code(&file.raw, &file.lang, true));
        html.push_str("\n</figure>");
        html
    }

    /// Highlighted code: hidden lines dropped, callout markers turned into badges.
    fn code(&self, raw: &str, lang: &str, listing: bool) -> String {
        let rust = lang == "rust";
        let code = crate::book::extract_code(raw, rust);
        let highlighted = self.hl.lines(&code, lang);
        let class = if listing { "listing-code" } else { "illustration" };
        let mut html =
            format!("<pre class=\"{class}\"><code class=\"nohighlight hl-code\" data-lang=\"{lang}\">");
        for (i, raw_line) in raw.lines().enumerate() {
            if rust && crate::book::hidden_line(raw_line).is_some_and(|(hidden, _)| hidden) {
                continue;
            }
            let (_, callout) = crate::book::strip_callout(raw_line, rust);
            let line = highlighted.get(i).map(String::as_str).unwrap_or_default();
            let _ = write!(html, "<span class=\"line\">{line}");
            if let Some(n) = callout {
                html.push_str(&self.callout(n));
            }
            html.push_str("</span>\n");
        }
        html.push_str("</code></pre>");
        html
    }

    fn callout(&self, n: u32) -> String {
        format!("<span class=\"callout\" title=\"callout {n}\">{n}</span>")
    }

    /// Code blocks that are not listings: highlighted, never run.
    fn illustration(&self, text: &str, lang: &str) -> String {
        if lang == "console" {
            return self.console(text);
        }
        let lang = if lang.is_empty() { "text" } else { lang };
        self.code(text, lang, false)
    }

    /// A terminal session: `$ ` lines are commands (highlighted as shell), the rest output.
    fn console(&self, text: &str) -> String {
        let mut html = String::from(
            "<pre class=\"illustration console\"><code class=\"nohighlight hl-code\" data-lang=\"console\">",
        );
        for line in text.lines() {
            match line.strip_prefix("$ ") {
                Some(command) => {
                    let shell = self.hl.lines(&format!("{command}\n"), "bash");
                    let _ = writeln!(
                        html,
                        "<span class=\"line\"><span class=\"prompt\">$ </span>{}</span>",
                        shell.first().map(String::as_str).unwrap_or_default()
                    );
                }
                None => {
                    let _ = writeln!(
                        html,
                        "<span class=\"line console-output\">{}</span>",
                        escape(line)
                    );
                }
            }
        }
        html.push_str("</code></pre>");
        html
    }

    fn stdin_block(&self, text: &str) -> String {
        let mut html = String::from(
            "<div class=\"listing-stdin\">\n<div class=\"output-header\"><span class=\"output-label\">standard input</span></div>\n<pre class=\"output-text\"><code class=\"nohighlight\">",
        );
        for line in text.lines() {
            let _ = writeln!(html, "<span class=\"line\">{}</span>", escape(line));
        }
        html.push_str("</code></pre>\n</div>");
        html
    }

    /// An output block as a terminal shows it, with the command that produces it and badges
    /// for what was checked.
    fn output_block(&self, listing: &Listing, index: usize) -> String {
        let block = &listing.outputs[index];
        let mut html = format!(
            "<div class=\"listing-output\" data-listing=\"{}\">\n<div class=\"output-header\"><code class=\"output-command\">$ {}</code>",
            listing.id,
            escape(&command(listing, block))
        );
        for (text, kind) in badges(listing, block) {
            html.push_str(&badge(&text, kind));
        }
        html.push_str("</div>\n<pre class=\"output-text\"><code class=\"nohighlight\">");
        for line in &block.expected.lines {
            let class = match line {
                Line::Literal(s) | Line::Pattern(s, _) if listing.compile_fail && s.starts_with("error") => {
                    " diag-error"
                }
                Line::Literal(s) | Line::Pattern(s, _)
                    if listing.compile_fail && s.starts_with("warning") =>
                {
                    " diag-warning"
                }
                _ => "",
            };
            let _ = writeln!(html, "<span class=\"line{class}\">{}</span>", expected_line(line));
        }
        html.push_str("</code></pre>\n</div>");
        html
    }

    /// `[](listing:ID)` → "Listing 4-2", linked across chapters; link text an author wrote
    /// is kept.
    fn reference(&self, chapter: usize, src: &str, range: &Range<usize>, id: &str) -> String {
        let Some(&li) = self.by_id.get(id) else {
            return src[range.clone()].to_string();
        };
        let listing = &self.book.listings[li];
        let raw = &src[range.clone()];
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
        let ext = match self.target {
            Target::Site => "md",
            Target::Epub => "xhtml",
        };
        let file = relative(here, there).replace(".md", &format!(".{ext}"));
        let href = if here == there {
            format!("#{}", anchor(id))
        } else {
            format!("{file}#{}", anchor(id))
        };
        format!("[{text}]({href})")
    }
}

/// The page anchor of a listing: `listing-ID`. The prefix keeps it apart from mdBook's
/// heading ids: a listing `http-by-hand` under a heading "HTTP by hand" would otherwise
/// share its id, and a reference would land on the heading.
pub(crate) fn anchor(id: &str) -> String {
    format!("listing-{id}")
}

fn tab_of(listing: &Listing, index: usize) -> Option<usize> {
    listing.tab.as_ref().map(|_| index)
}

fn badge(text: &str, kind: &str) -> String {
    format!("<span class=\"badge badge-{kind}\">{}</span>", escape(text))
}

/// The command a reader types to see this output.
fn command(listing: &Listing, block: &OutputBlock) -> String {
    if listing.compile_fail {
        return format!(
            "cargo build -p {} --features {}",
            listing.id,
            crate::book::COMPILE_FAIL_FEATURE
        );
    }
    let mut cmd = String::new();
    for (k, v) in &block.env {
        let _ = write!(cmd, "{k}={} ", shell_word(v));
    }
    let _ = write!(cmd, "cargo run -p {}", listing.id);
    if let Some(bin) = &block.bin
        && bin != &listing.id
    {
        let _ = write!(cmd, " --bin {bin}");
    }
    if !block.args.is_empty() {
        cmd.push_str(" --");
        for a in &block.args {
            cmd.push(' ');
            cmd.push_str(&shell_word(a));
        }
    }
    match block.stream {
        Stream::Stdout => cmd.push_str(" 2>/dev/null"),
        Stream::Stderr => cmd.push_str(" >/dev/null"),
        Stream::Both => {}
    }
    cmd
}

fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// Badges for what the engine checked about this run.
fn badges(listing: &Listing, block: &OutputBlock) -> Vec<(String, &'static str)> {
    let mut b = Vec::new();
    if listing.compile_fail {
        b.push(("does not compile".to_string(), "error"));
    } else if let Some(k) = block.kill_after {
        b.push((
            format!("still running after {}: stopped", human_duration(k)),
            "warn",
        ));
    } else if block.exit == 101 {
        b.push(("panics (exit status 101)".to_string(), "error"));
    } else if block.exit != 0 {
        b.push((format!("exit status {}", block.exit), "error"));
    }
    if block.unordered {
        b.push(("lines in any order".to_string(), "info"));
    }
    if block.runs > 1 {
        b.push((format!("same output in {} runs", block.runs), "info"));
    }
    if listing.exclusive {
        b.push(("measured alone".to_string(), "info"));
    }
    b
}

fn human_duration(d: std::time::Duration) -> String {
    let ms = d.as_millis();
    if ms.is_multiple_of(1000) {
        format!("{} s", ms / 1000)
    } else {
        format!("{ms} ms")
    }
}

/// An expected line for readers: patterns become "differs between runs" marks.
fn expected_line(line: &Line) -> String {
    match line {
        Line::Literal(s) => escape(s),
        Line::Any => format!(
            "<span class=\"varies varies-lines\" title=\"more lines here, which differ between runs\">{}</span>",
            "⋮"
        ),
        Line::Pattern(s, _) => {
            let mut out = String::new();
            for seg in segments(s) {
                match seg {
                    Segment::Text(t) => out.push_str(&escape(t)),
                    Segment::Pattern(p) => {
                        let _ = write!(
                            out,
                            "<span class=\"varies\" title=\"differs between runs: {}\">{}</span>",
                            p.checks, p.shown
                        );
                    }
                }
            }
            out
        }
    }
}

/// Captions are plain text with `code` spans.
fn inline_markdown(text: &str) -> String {
    let mut out = String::new();
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<code>{}</code>", escape(part));
        } else {
            out.push_str(&escape(part));
        }
    }
    out
}

/// `<1>` in prose (outside code, links and raw HTML) → a callout badge like the one in the
/// listing.
fn prose_callouts(src: &str, skip: &[Range<usize>]) -> Vec<(Range<usize>, String)> {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| regex::Regex::new(r"<([0-9]{1,2})>").unwrap());
    re.captures_iter(src)
        .filter_map(|c| {
            let m = c.get(0)?;
            if skip.iter().any(|r| r.start <= m.start() && m.end() <= r.end) {
                return None;
            }
            Some((
                m.range(),
                format!(
                    "<span class=\"callout callout-ref\" title=\"callout {n}\">{n}</span>",
                    n = &c[1]
                ),
            ))
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
    fn patterns_become_marks() {
        let e = crate::book::Expected::parse("took [ELAPSED] for [N] items <ok>\n...\n").unwrap();
        let shown: Vec<String> = e.lines.iter().map(expected_line).collect();
        assert!(
            shown[0].starts_with("took <span class=\"varies\""),
            "{}",
            shown[0]
        );
        assert!(shown[0].contains("&lt;ok&gt;"));
        assert!(!shown.join("").contains("[N]") && !shown.join("").contains("..."));
    }

    #[test]
    fn callouts_in_prose_skip_code() {
        let src = "See <1> and `a <2> b`.";
        let edits = prose_callouts(src, std::slice::from_ref(&(9..18)));
        assert_eq!(edits.len(), 1);
        assert_eq!(edits[0].0, 4..7);
    }
}
