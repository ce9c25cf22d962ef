//! The ePub 3 renderer: every chapter in order as XHTML, a navigation document, a cover,
//! metadata from `book.toml`, code highlighted and outputs marked up at build time (ePub
//! readers run no JavaScript).
//!
//! Written on epub-builder rather than mdbook-epub, whose output fails epubcheck and which
//! pulls in an HTTP stack. What epubcheck needs, and epub-builder's template does not do by
//! itself: chapters named `.xhtml`, a `Text` landmark, and no `dc:creator` from the
//! template (its ids collide with the language's), so the creator is written as metadata of
//! our own.

use std::fmt::Write;
use std::sync::Arc;

use anyhow::{Context, Result};
use epub_builder::{EpubBuilder, EpubContent, EpubVersion, MetadataOpfV3, ReferenceType, ZipLibrary};
use mdbook_driver::book::BookItem;
use mdbook_renderer::{RenderContext, Renderer};
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag};

use super::highlight::Highlighter;
use super::html::escape;

/// The renderer's name, and the `[output.epub]` table of `book.toml`.
pub(crate) const NAME: &str = "epub";

/// Renders the book, already marked up by the preprocessor, as one `.epub` file.
pub(crate) struct EpubRenderer {
    pub(crate) highlighter: Arc<Highlighter>,
    pub(crate) figures: Arc<super::markup::Figures>,
}

/// A document of the ePub, in reading order.
struct Doc {
    file: String,
    title: String,
    body: String,
    level: i32,
}

/// The ePub being written, and what every page of it repeats.
struct Writer {
    epub: EpubBuilder<ZipLibrary>,
    title: String,
    language: String,
}

impl Renderer for EpubRenderer {
    fn name(&self) -> &str {
        NAME
    }

    fn render(&self, ctx: &RenderContext) -> Result<()> {
        let mut docs = Vec::new();
        let mut part = 0;
        let site = ctx
            .config
            .get::<String>("output.html.site-url")
            .ok()
            .flatten()
            .filter(|url| url.contains("://"));
        collect(&ctx.book.items, &mut docs, &mut part, site.as_deref());
        let mut writer = Writer::new(ctx)?;
        // The book's own `theme/epub.css`, or the one this engine was built with.
        let own = std::fs::read_to_string(ctx.root.join("theme/epub.css")).ok();
        let base = own.as_deref().unwrap_or(include_str!("../../../theme/epub.css"));
        let css = format!("{base}\n{}", self.highlighter.epub_css());
        writer
            .epub
            .stylesheet(css.as_bytes())
            .context("adding the stylesheet")?;
        writer.cover(ctx.config.book.description.as_deref().unwrap_or_default())?;
        for (path, svg) in &self.figures.epub_files {
            writer
                .epub
                .add_resource(path, svg.as_bytes(), "image/svg+xml")
                .with_context(|| format!("adding {path}"))?;
        }
        for (n, doc) in docs.iter().enumerate() {
            writer.page(doc, n == 0)?;
        }

        std::fs::create_dir_all(&ctx.destination)
            .with_context(|| format!("creating {}", ctx.destination.display()))?;
        let path = ctx.destination.join(format!("{}.epub", file_stem(&writer.title)));
        let mut bytes = Vec::new();
        writer.epub.generate(&mut bytes).context("generating the ePub")?;
        crate::util::fs::write_atomic(&path, &bytes)
            .with_context(|| format!("writing {}", path.display()))?;
        Ok(())
    }
}

impl Writer {
    /// An ePub 3 with the book's metadata from `book.toml`.
    fn new(ctx: &RenderContext) -> Result<Writer> {
        let book = &ctx.config.book;
        let title = book.title.clone().unwrap_or_else(|| "Untitled".into());
        let language = book.language.clone().unwrap_or_else(|| "en".into());
        let zip = ZipLibrary::new().context("starting the ePub's zip archive")?;
        let mut epub = EpubBuilder::new(zip).context("starting the ePub")?;
        epub.epub_version(EpubVersion::V30);
        epub.set_title(title.clone());
        epub.add_language(language.clone());
        for author in &book.authors {
            epub.add_metadata_opf(Box::new(MetadataOpfV3::new(
                "dcterms:creator".into(),
                author.clone(),
            )));
        }
        if let Some(d) = &book.description {
            epub.add_description(d.clone());
        }
        epub.set_generator("cargo xtask build (epub-builder)");
        Ok(Writer {
            epub,
            title,
            language,
        })
    }

    /// The cover image and the page that shows it.
    fn cover(&mut self, description: &str) -> Result<()> {
        let cover = cover_svg(&self.title, description);
        self.epub
            .add_cover_image("cover.svg", cover.as_bytes(), "image/svg+xml")
            .context("adding the cover image")?;
        let cover_page = xhtml(
            &self.title,
            &self.language,
            "<div class=\"cover\"><img src=\"cover.svg\" alt=\"Cover\" /></div>",
        );
        self.epub
            .add_content(
                EpubContent::new("cover.xhtml", cover_page.as_bytes())
                    .title("Cover")
                    .reftype(ReferenceType::Cover),
            )
            .context("adding the cover page")?;
        Ok(())
    }

    /// A document of the book; the first is where reading starts (the `Text` landmark).
    fn page(&mut self, doc: &Doc, first: bool) -> Result<()> {
        let page = xhtml(&doc.title, &self.language, &doc.body);
        let mut content = EpubContent::new(doc.file.clone(), page.as_bytes())
            .title(doc.title.clone())
            .level(doc.level);
        if first {
            content = content.reftype(ReferenceType::Text);
        }
        self.epub
            .add_content(content)
            .with_context(|| format!("adding {}", doc.file))?;
        Ok(())
    }
}

/// Chapters (and part titles) in reading order, converted to XHTML bodies.
/// `site` is the site's address, for links to its files (the listings archive) that are not
/// in the ePub.
fn collect(items: &[BookItem], docs: &mut Vec<Doc>, part: &mut usize, site: Option<&str>) {
    for item in items {
        match item {
            BookItem::Chapter(ch) => {
                let Some(path) = &ch.path else { continue };
                let file = path
                    .to_string_lossy()
                    .replace('\\', "/")
                    .trim_end_matches(".md")
                    .to_string()
                    + ".xhtml";
                let title = match &ch.number {
                    Some(n) => format!("{} {}", n, ch.name),
                    None => ch.name.clone(),
                };
                let level = ch.number.as_ref().map_or(1, |n| n.len() as i32);
                docs.push(Doc {
                    file,
                    title,
                    body: markdown_to_xhtml(&ch.content, site),
                    level,
                });
                collect(&ch.sub_items, docs, part, site);
            }
            BookItem::PartTitle(name) => {
                *part += 1;
                docs.push(Doc {
                    file: format!("part-{part}.xhtml"),
                    title: name.clone(),
                    body: format!("<h1 class=\"part-title\">{}</h1>", escape(name)),
                    level: 1,
                });
            }
            _ => {}
        }
    }
}

/// A chapter's Markdown (already marked up by the preprocessor) as an XHTML body: links to
/// chapters point to `.xhtml` files.
fn markdown_to_xhtml(markdown: &str, site: Option<&str>) -> String {
    let mut options = crate::book::markdown_options();
    options.insert(Options::ENABLE_SMART_PUNCTUATION);
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest = site_file_link(&dest_url, site).unwrap_or_else(|| chapter_link(&dest_url));
            Event::Start(Tag::Link {
                link_type,
                dest_url: dest,
                title,
                id,
            })
        }
        other => other,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

/// A relative link to a file of the site that is not a page (the listings archive), which
/// the ePub does not hold: the site's address for it, when `book.toml` gives one.
fn site_file_link(dest: &str, site: Option<&str>) -> Option<CowStr<'static>> {
    let site = site?;
    let path = dest.split('#').next().unwrap_or_default();
    let page = path.is_empty() || [".md", ".html", ".xhtml"].iter().any(|ext| path.ends_with(ext));
    if page || dest.contains("://") || dest.starts_with("mailto:") || dest.starts_with('/') {
        return None;
    }
    Some(format!("{}/{dest}", site.trim_end_matches('/')).into())
}

/// `ch04-threads.md#x` → `ch04-threads.xhtml#x`; other links are kept.
fn chapter_link(dest: &str) -> CowStr<'static> {
    let external = dest.contains("://") || dest.starts_with("mailto:");
    let (path, anchor) = dest.split_once('#').map_or((dest, None), |(p, a)| (p, Some(a)));
    if !external && path.ends_with(".md") {
        let mut out = format!("{}.xhtml", path.trim_end_matches(".md"));
        if let Some(a) = anchor {
            let _ = write!(out, "#{a}");
        }
        return out.into();
    }
    dest.to_string().into()
}

fn xhtml(title: &str, language: &str, body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n\
         <html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"{lang}\" xml:lang=\"{lang}\">\n\
         <head>\n<meta charset=\"UTF-8\" />\n<title>{title}</title>\n\
         <link rel=\"stylesheet\" type=\"text/css\" href=\"stylesheet.css\" />\n</head>\n<body>\n{body}\n</body>\n</html>\n",
        lang = escape(language),
        title = escape(title),
    )
}

/// A typographic cover: the title and the description, no image files needed.
fn cover_svg(title: &str, description: &str) -> String {
    let mut lines = String::new();
    let mut y = 980;
    for line in wrap(description, 38).iter().take(6) {
        let _ = writeln!(
            lines,
            "<text x=\"120\" y=\"{y}\" class=\"sub\">{}</text>",
            escape(line)
        );
        y += 56;
    }
    let mut title_lines = String::new();
    let mut ty = 520;
    for line in wrap(title, 14) {
        let _ = writeln!(
            title_lines,
            "<text x=\"120\" y=\"{ty}\" class=\"title\">{}</text>",
            escape(&line)
        );
        ty += 150;
    }
    format!(
        r##"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="1200" height="1600" viewBox="0 0 1200 1600">
<style>.title {{ font: 700 132px Georgia, 'DejaVu Serif', serif; fill: #fdf6e3; }} .sub {{ font: 40px Georgia, 'DejaVu Serif', serif; fill: #e8dcc0; }}</style>
<rect width="1200" height="1600" fill="#27313b"/>
<rect x="0" y="1380" width="1200" height="220" fill="#b7410e"/>
<g stroke="#b7410e" stroke-width="10" fill="none"><path d="M120 300 h320"/><path d="M120 330 h220"/><path d="M120 360 h420"/></g>
{title_lines}{lines}</svg>
"##
    )
}

fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// "Concurrent Rust" → "concurrent-rust".
pub(crate) fn file_stem(title: &str) -> String {
    let stem: String = title
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    stem.split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chapter_links_point_to_xhtml() {
        assert_eq!(
            &*chapter_link("ch04-threads.md#spinner"),
            "ch04-threads.xhtml#spinner"
        );
        assert_eq!(
            &*chapter_link("https://example.com/a.md"),
            "https://example.com/a.md"
        );
        assert_eq!(&*chapter_link("#local"), "#local");
        let site = Some("https://example.com/book/");
        assert_eq!(
            site_file_link("book-listings.tar.gz", site).as_deref(),
            Some("https://example.com/book/book-listings.tar.gz"),
            "a file of the site that the ePub does not hold"
        );
        for page in [
            "ch04-threads.xhtml#x",
            "ch04.md",
            "#local",
            "https://x.org/a.tar.gz",
        ] {
            assert_eq!(site_file_link(page, site), None, "{page}");
        }
        assert_eq!(site_file_link("book-listings.tar.gz", None), None);
    }

    #[test]
    fn stems() {
        assert_eq!(file_stem("Concurrent Rust"), "concurrent-rust");
        assert_eq!(file_stem("A: B!"), "a-b");
    }
}
