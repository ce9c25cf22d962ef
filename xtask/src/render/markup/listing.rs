//! Listings and other code: the caption (number, title, badges, the crate link), the
//! highlighted code with hidden lines dropped and callout marks, console sessions.

use std::fmt::Write;

use super::{Markup, Target, anchor, lines};
use crate::book::{Listing, SourceFile, Syntax};
use crate::render::html::{Tone, badge, escape};

impl Markup<'_> {
    /// A file of a listing: the first one opens the figure under the listing's caption, the
    /// others continue it. A listing with a base shows its changes against the base's file
    /// of the same path.
    pub(super) fn listing_block(&self, listing: &Listing, file: &SourceFile) -> String {
        let first = std::ptr::eq(file, &listing.files[0]);
        let mut html = if first {
            format!(
                "<figure class=\"listing\" id=\"{}\">\n{}{}",
                anchor(&listing.id),
                self.caption(listing),
                self.base_note(listing)
            )
        } else {
            String::from("<figure class=\"listing listing-continued\">\n")
        };
        if listing.files.len() > 1 {
            let _ = writeln!(html, "<div class=\"listing-file\">{}</div>", escape(&file.path));
        }
        let syntax = Syntax::of(&file.lang);
        let mut code_lines = lines::lines(&file.raw, syntax, &self.highlighter.lines(&file.code, &file.lang));
        let base = self.base_of(listing).and_then(|b| b.file(&file.path));
        if let Some(base) = base {
            let old = lines::lines(&base.raw, syntax, &self.highlighter.lines(&base.code, &base.lang));
            code_lines = lines::against(old, &base.code, code_lines, &file.code);
        }
        let class = if base.is_some() {
            "listing-code listing-diff"
        } else {
            "listing-code"
        };
        let (code, left_out) = lines::to_html(&code_lines, self.target);
        html.push_str(&pre(class, &file.lang, &code));
        if left_out > 0 {
            html.push_str(&self.left_out_note(listing, left_out));
        }
        html.push_str("\n</figure>");
        html
    }

    /// The listing a listing changes, if it names one.
    fn base_of(&self, listing: &Listing) -> Option<&Listing> {
        let base = listing.base.as_deref()?;
        self.by_id.get(base).map(|&i| &self.book.listings[i])
    }

    /// Under the caption of a listing with a base: what it changes, and how the marks read.
    fn base_note(&self, listing: &Listing) -> String {
        let Some(base) = self.base_of(listing) else {
            return String::new();
        };
        format!(
            "<p class=\"listing-base\">Changes against <a href=\"{}\">{}</a>: added lines are marked <span class=\"mark-added\">+</span>, removed ones <span class=\"mark-removed\">\u{2212}</span>.</p>\n",
            self.listing_href(listing.chapter, base),
            self.listing_name(base)
        )
    }

    /// In the ePub, which shows no hidden lines: how many are left out and where the whole
    /// crate is.
    fn left_out_note(&self, listing: &Listing, left_out: usize) -> String {
        let dir = listing.crate_dir(self.book);
        let place = match &self.source_url {
            Some(base) => format!(
                "<a href=\"{base}/{}/{}\">{dir}</a>",
                self.book.chapters[listing.chapter].slug, listing.id
            ),
            None => format!("<code>{dir}</code>"),
        };
        format!(
            "\n<p class=\"listing-note\">{left_out} line{} of this file {} not shown; the whole crate is {place}.</p>",
            if left_out == 1 { "" } else { "s" },
            if left_out == 1 { "is" } else { "are" }
        )
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
        if let Some(archive) = self
            .archive
            .as_ref()
            .filter(|_| listing.number == 1 && self.target == Target::Site)
        {
            let _ = write!(
                html,
                "<a class=\"listing-download\" href=\"{}{archive}\" title=\"Every listing of the book as one workspace: cargo run -p ID\" download>all listings (.tar.gz)</a>",
                self.to_root(listing.chapter)
            );
        }
        html.push_str("</figcaption>\n");
        html
    }

    /// Highlighted code that is not a listing's file: hidden lines as for a listing, callout
    /// markers turned into badges.
    fn code(&self, raw: &str, lang: &str) -> String {
        let syntax = Syntax::of(lang);
        // The code is highlighted with its hidden lines, which it needs to parse as Rust.
        let code = crate::book::extract_code(raw, syntax);
        let lines = lines::lines(raw, syntax, &self.highlighter.lines(&code, lang));
        pre("illustration", lang, &lines::to_html(&lines, self.target).0)
    }

    /// Code blocks that are not listings: highlighted, never run.
    pub(super) fn illustration(&self, text: &str, lang: &str) -> String {
        if lang == "console" {
            return self.console(text);
        }
        let lang = if lang.is_empty() { "text" } else { lang };
        self.code(text, lang)
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

/// A `<pre>` of highlighted lines.
fn pre(class: &str, lang: &str, lines: &str) -> String {
    format!(
        "<pre class=\"{class}\"><code class=\"nohighlight hl-code\" data-lang=\"{lang}\">{lines}</code></pre>"
    )
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
