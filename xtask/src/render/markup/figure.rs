//! Figures: "Figure 3-1" with its caption, the drawing (inline SVG on the site, an SVG file
//! in the ePub, whose XHTML may not hold inline SVG without a manifest property that
//! epub-builder does not write), its text alternative, and a note when no run is recorded.

use std::fmt::Write;

use super::listing::inline_markdown;
use super::{Markup, Target};
use crate::book::{Figure, FigureKind};
use crate::render::figure::{Drawing, epub_file};
use crate::render::html::escape;

impl Markup<'_> {
    /// A figure block as HTML.
    pub(super) fn figure_block(&self, index: usize) -> String {
        let figure = &self.book.figures[index];
        let drawing = &self.drawings[index];
        let kind = match figure.kind {
            FigureKind::Line { .. } => "line",
            FigureKind::Bar { .. } => "bar",
            FigureKind::Table { .. } => "table",
            FigureKind::Timeline { .. } => "timeline",
            FigureKind::Diagram => "diagram",
        };
        let mut html = format!(
            "<figure class=\"figure figure-{kind}\" id=\"{}\">\n<figcaption class=\"figure-caption\"><a class=\"figure-number\" href=\"#{}\">{}</a><span class=\"figure-title\">: {}</span></figcaption>\n",
            figure_anchor(&figure.id),
            figure_anchor(&figure.id),
            self.figure_name(figure),
            inline_markdown(&figure.caption),
        );
        if let Some(listing) = &drawing.missing {
            let _ = writeln!(
                html,
                "<p class=\"figure-missing\">No data yet: listing <code>{}</code> has no recorded run. <code>cargo xtask build</code> runs the listings, then draws this figure.</p>",
                escape(listing)
            );
        }
        if let Some(svg) = &drawing.svg {
            html.push_str(&self.picture(figure, drawing, svg));
        }
        if let Some(text) = &drawing.text {
            html.push_str(&self.alternative(figure, text));
        }
        html.push_str(&self.sources(figure));
        html.push_str("</figure>");
        html
    }

    /// The picture: inline on the site (themed by its stylesheet), a file in the ePub.
    fn picture(&self, figure: &Figure, drawing: &Drawing, svg: &str) -> String {
        match self.target {
            Target::Site => format!("<div class=\"figure-drawing\">\n{svg}\n</div>\n"),
            Target::Epub => format!(
                "<div class=\"figure-drawing\"><img src=\"{}\" alt=\"{}\"/></div>\n",
                epub_file(figure),
                escape(&drawing.alt)
            ),
        }
    }

    /// A chart's data or a diagram's art, folded away under the picture; a table figure's
    /// table, shown.
    fn alternative(&self, figure: &Figure, text: &str) -> String {
        match figure.kind {
            FigureKind::Table { .. } => format!("{text}\n"),
            FigureKind::Diagram => {
                format!(
                    "<details class=\"figure-data\"><summary>The diagram as text</summary>\n{text}\n</details>\n"
                )
            }
            _ => format!("<details class=\"figure-data\"><summary>The data</summary>\n{text}\n</details>\n"),
        }
    }

    /// Which listings' runs the data comes from, linked.
    fn sources(&self, figure: &Figure) -> String {
        let mut names: Vec<String> = Vec::new();
        for source in &figure.sources {
            let Some(&l) = self.by_id.get(source.listing.as_str()) else {
                continue;
            };
            let listing = &self.book.listings[l];
            let link = self.listing_link(figure.chapter, listing);
            if !names.contains(&link) {
                names.push(link);
            }
        }
        if names.is_empty() {
            return String::new();
        }
        // Each figure names the machines of its own runs: a cached pass may be older than
        // the build, and another listing's run may come from another machine or day.
        let mut machines: Vec<String> = Vec::new();
        for source in &figure.sources {
            let recorded = self
                .recordings
                .get(&source.listing)
                .and_then(|r| r.machine.as_ref());
            if let Some(m) = recorded.map(|m| m.describe())
                && !machines.contains(&m)
            {
                machines.push(m);
            }
        }
        let machine = if machines.is_empty() {
            String::new()
        } else {
            format!(", on {}", escape(&machines.join(" and on ")))
        };
        format!(
            "<p class=\"figure-source\">Data: the recorded run{} of {}{machine}.</p>\n",
            if names.len() == 1 { "" } else { "s" },
            names.join(", ")
        )
    }

    /// "Figure 3-1".
    pub(super) fn figure_name(&self, figure: &Figure) -> String {
        format!(
            "Figure {}-{}",
            self.book.chapters[figure.chapter].label, figure.number
        )
    }
}

/// The page anchor of a figure: `figure-ID`, apart from headings' and listings' ids.
pub(super) fn figure_anchor(id: &str) -> String {
    format!("figure-{id}")
}
