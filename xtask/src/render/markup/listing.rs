//! Listings and other code: the caption (number, title, badges, the crate link), the
//! highlighted code with hidden lines dropped and callout marks, console sessions.

use std::fmt::Write;

use super::{Markup, anchor};
use crate::book::{Listing, SourceFile};
use crate::render::html::{CalloutAt, Tone, badge, callout, escape};

/// What a block of code is on the page, which decides how the stylesheet frames it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CodeKind {
    /// A file of a listing, under its caption.
    Listing,
    /// Code the engine does not test: an example, a shell snippet, a table of data.
    Illustration,
}

impl CodeKind {
    fn class(self) -> &'static str {
        match self {
            CodeKind::Listing => "listing-code",
            CodeKind::Illustration => "illustration",
        }
    }
}

impl Markup<'_> {
    /// A file of a listing: the first one opens the figure under the listing's caption, the
    /// others continue it.
    pub(super) fn listing_block(&self, listing: &Listing, file: &SourceFile) -> String {
        let first = std::ptr::eq(file, &listing.files[0]);
        let mut html = if first {
            format!(
                "<figure class=\"listing\" id=\"{}\">\n{}",
                anchor(&listing.id),
                self.caption(listing)
            )
        } else {
            String::from("<figure class=\"listing listing-continued\">\n")
        };
        if listing.files.len() > 1 {
            let _ = writeln!(html, "<div class=\"listing-file\">{}</div>", escape(&file.path));
        }
        html.push_str(&self.code(&file.raw, &file.lang, CodeKind::Listing));
        html.push_str("\n</figure>");
        html
    }

    /// "Listing 4-2: Title", linked to itself, with badges and the link to its crate.
    fn caption(&self, listing: &Listing) -> String {
        let mut html = format!(
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
            html.push_str(&badge("does not compile", Tone::Error));
        }
        if listing.no_run {
            html.push_str(&badge("compiled, not run", Tone::Info));
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
        html
    }

    /// Highlighted code: hidden lines dropped, callout markers turned into badges.
    fn code(&self, raw: &str, lang: &str, kind: CodeKind) -> String {
        let rust = lang == "rust";
        let code = crate::book::extract_code(raw, rust);
        let highlighted = self.highlighter.lines(&code, lang);
        let mut html = format!(
            "<pre class=\"{}\"><code class=\"nohighlight hl-code\" data-lang=\"{lang}\">",
            kind.class()
        );
        // The code is highlighted with its hidden lines, which it needs to parse as Rust;
        // they are dropped from the page only now.
        for (i, raw_line) in raw.lines().enumerate() {
            if rust && crate::book::hidden_line(raw_line).is_some_and(|(hidden, _)| hidden) {
                continue;
            }
            let (_, mark) = crate::book::strip_callout(raw_line, rust);
            let line = highlighted.get(i).map(String::as_str).unwrap_or_default();
            let _ = write!(html, "<span class=\"line\">{line}");
            if let Some(n) = mark {
                html.push_str(&callout(n, CalloutAt::Code));
            }
            html.push_str("</span>\n");
        }
        html.push_str("</code></pre>");
        html
    }

    /// Code blocks that are not listings: highlighted, never run.
    pub(super) fn illustration(&self, text: &str, lang: &str) -> String {
        if lang == "console" {
            return self.console(text);
        }
        let lang = if lang.is_empty() { "text" } else { lang };
        self.code(text, lang, CodeKind::Illustration)
    }

    /// A terminal session: `$ ` lines are commands (highlighted as shell), the rest output.
    fn console(&self, text: &str) -> String {
        let mut html = String::from(
            "<pre class=\"illustration console\"><code class=\"nohighlight hl-code\" data-lang=\"console\">",
        );
        for line in text.lines() {
            match line.strip_prefix("$ ") {
                Some(command) => {
                    let shell = self.highlighter.lines(&format!("{command}\n"), "bash");
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
}

/// Captions are plain text with `code` spans.
pub(super) fn inline_markdown(text: &str) -> String {
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
