//! Render: the site (mdBook's HTML renderer, as a library) and the ePub (our own renderer),
//! both fed by one in-process preprocessor that marks up listings.
//!
//! `book.toml` names the preprocessor `[preprocessor.listings]` and the ePub output
//! `[output.epub]`; registering ours under those names replaces the external commands mdBook
//! would otherwise look for, so nobody installs anything.

pub(crate) mod archive;
mod epub;
mod figure;
mod fill;
mod highlight;
mod html;
mod links;
mod markup;
mod preprocessor;
mod publish;
pub(crate) mod serve;

use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, anyhow, bail};
use mdbook_driver::MDBook;
use mdbook_renderer::{RenderContext, Renderer};

use crate::book::Book;
use crate::book::recording::Recordings;
use highlight::Highlighter;
use markup::Figures;
use preprocessor::ListingsPreprocessor;

/// The file in the tools' state directory that keeps highlighted blocks between builds.
pub(crate) const HIGHLIGHT_CACHE: &str = "highlight-cache.json";
/// The file in the tools' state directory that keeps drawn diagrams between builds.
pub(crate) const FIGURE_CACHE: &str = "figure-cache.json";

/// Where the rendered book goes, relative to the book root.
pub(crate) fn output_dir(root: &Path) -> PathBuf {
    root.join("book")
}

/// What a render found.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rendered {
    /// Output blocks that have no recording, and show their pattern.
    pub(crate) unrecorded: usize,
}

/// Renders the site into `<out>/html` and the ePub into `<out>/epub` (default `book/`), each
/// output block showing what its listing printed when it last passed (the store of
/// recordings `test-listings` keeps), or its pattern when there is no such run; and puts
/// into the site its sitemap and, when `crate_files` gives them, the archive of every
/// listing's crate.
///
/// mdBook would run the two one after the other. Here the site's markup comes first, with
/// every chapter highlighted on every core; then the site renders on this thread while the
/// ePub, whose markup finds every block highlighted already, renders on another.
pub(crate) fn render(
    book: Arc<Book>,
    out: Option<&Path>,
    crate_files: Option<archive::CrateFiles>,
) -> Result<Rendered> {
    init_logging();
    let cache = crate::util::fs::xtask_file(&book.root, HIGHLIGHT_CACHE);
    let highlighter = Arc::new(Highlighter::with_cache(cache)?);
    let recordings = Arc::new(Recordings::load(&book)?);
    let rendered = Rendered {
        unrecorded: recordings.missing(&book),
    };
    let downloads = crate_files.map(|files| files(&book)).transpose()?;
    let shared = Shared {
        book: book.clone(),
        highlighter,
        figures: Arc::new(figures(&book, &recordings, Some(&figure_cache(&book)))?),
        recordings,
        fills: Arc::default(),
    };
    let site = Site {
        out,
        archive: downloads.is_some(),
    };
    let md = load(&shared, &site)?;
    refuse_other_outputs(&book, &md)?;
    let html = md.build_dir_for("html");
    let css = render_both(&md, &shared, &site)?;
    std::fs::write(html.join("syntax.css"), css).context("writing syntax.css")?;
    let site_url = md
        .config
        .get::<String>("output.html.site-url")
        .ok()
        .flatten()
        .unwrap_or_else(|| "/".to_string());
    if let Some(files) = &downloads {
        let stem = archive_stem(&md);
        archive::write(&html.join(format!("{stem}.tar.gz")), &stem, files)?;
    }
    if let Some(xml) = publish::sitemap(&book, &site_url) {
        crate::util::fs::write_atomic(&html.join("sitemap.xml"), xml.as_bytes())?;
    }
    publish::world_readable(&md.root.join(&md.config.build.build_dir))?;
    check_links(&book, &html, site_path(&site_url))?;
    Ok(rendered)
}

impl Rendered {
    /// What a reader of the command's output must know: how many outputs show their pattern
    /// for want of a recording, and how to get them; `None` when every output has one.
    pub(crate) fn note(&self) -> Option<String> {
        let n = self.unrecorded;
        (n > 0).then(|| {
            format!(
                "{n} output block{s} {have} no recorded run and show{v} {their} pattern: `cargo xtask test-listings` records them",
                s = if n == 1 { "" } else { "s" },
                have = if n == 1 { "has" } else { "have" },
                v = if n == 1 { "s" } else { "" },
                their = if n == 1 { "its" } else { "their" },
            )
        })
    }
}

/// What both renderers' preprocessors read.
#[derive(Clone)]
struct Shared {
    book: Arc<Book>,
    highlighter: Arc<Highlighter>,
    recordings: Arc<Recordings>,
    /// Every figure, drawn from the recordings.
    figures: Arc<Figures>,
    /// The fragments the site's placeholders stand for.
    fills: Arc<fill::Fills>,
}

/// Draws every figure of `book` from its recorded runs, as a build does, and says how many
/// had data: what `cargo xtask bench` times as the figures' own cost.
pub(crate) fn draw_figures(book: &Book) -> Result<(usize, usize)> {
    let figures = figures(book, &Recordings::load(book)?, None)?;
    let drawn = figures.drawings.iter().filter(|d| d.missing.is_none()).count();
    Ok((drawn, figures.drawings.len()))
}

/// The diagrams the last build drew, for this one to reuse.
fn figure_cache(book: &Book) -> figure::Cache {
    figure::Cache::open(crate::util::fs::xtask_file(&book.root, FIGURE_CACHE))
}

/// Every figure drawn from the recorded runs (diagrams taken from `cache` where it has them,
/// and the cache saved). A figure whose listing has no recorded run yet says so on the page;
/// one whose data does not fit its run is a mistake in the chapter.
fn figures(book: &Book, recordings: &Recordings, cache: Option<&figure::Cache>) -> Result<Figures> {
    let lines = |id: &str, output: usize| {
        let recording = recordings.get(id)?;
        recording.outputs.get(output).map(|o| o.lines.as_slice())
    };
    let data = crate::book::figure_data(book, &lines)?;
    let drawings = figure::draw_all(book, &data, cache);
    cache.map_or(Ok(()), figure::Cache::save)?;
    let epub_files = (book.figures.iter().zip(&drawings))
        .filter_map(|(f, d)| Some((figure::epub_file(f), figure::standalone(d.svg.as_deref()?))))
        .collect();
    Ok(Figures { drawings, epub_files })
}

/// Where the output goes, and whether the site holds the listings archive (its pages link
/// to it).
struct Site<'a> {
    out: Option<&'a Path>,
    archive: bool,
}

/// The archive's name: `concurrent-rust-listings` for "Concurrent Rust".
fn archive_stem(md: &MDBook) -> String {
    archive::stem(md.config.book.title.as_deref().unwrap_or("book"))
}

/// The path part of the site's address: `/book/` for `https://example.github.io/book/`,
/// which is what root-relative links on its pages start with.
fn site_path(site_url: &str) -> &str {
    match site_url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => site_url,
    }
}

/// The two renderers are run here rather than by `MDBook::build`: any other output the book
/// asked for would be skipped in silence, so it is an error.
fn refuse_other_outputs(book: &Book, md: &MDBook) -> Result<()> {
    let outputs = md
        .config
        .outputs::<toml::Value>()
        .context("reading the [output] tables of book.toml")?;
    if let Some(other) = outputs
        .keys()
        .find(|k| !["html", epub::NAME].contains(&k.as_str()))
    {
        bail!(
            "{}: `[output.{other}]`: `cargo xtask build` renders the site (`[output.html]`) and \
             the ePub (`[output.{}]`) only",
            book.root.join("book.toml").display(),
            epub::NAME
        );
    }
    Ok(())
}

/// Renders the site on this thread and the ePub on another; returns the site's `syntax.css`,
/// which can only be made once the site's markup has handed out every class.
fn render_both(md: &MDBook, shared: &Shared, output: &Site) -> Result<String> {
    let highlighter = &shared.highlighter;
    let site = mdbook_html::HtmlHandlebars::new();
    let (site_book, site_ctx) = md
        .preprocess_book(&site)
        .context("marking up the book for the site")?;
    let html = md.build_dir_for("html");
    std::thread::scope(|s| -> Result<String> {
        let epub = s.spawn(|| -> Result<String> {
            // `MDBook` is not `Send`: this thread loads its own.
            load(shared, output)?
                .execute_build_process(&epub::EpubRenderer {
                    highlighter: highlighter.clone(),
                    figures: shared.figures.clone(),
                })
                .context("rendering the ePub")?;
            // Every class is known once the site's markup is done: the cache is saved and the
            // stylesheet made while the site is still rendering (and written after it, as the
            // site's renderer starts by emptying its directory).
            highlighter.save_cache()?;
            Ok(highlighter.site_css())
        });
        let mut ctx = RenderContext::new(md.root.clone(), site_book, md.config.clone(), &html);
        ctx.chapter_titles
            .extend(site_ctx.chapter_titles.borrow_mut().drain());
        let site = (site.render(&ctx).context("rendering the site"))
            .and_then(|()| shared.fills.apply(&html).context("filling in the site's pages"));
        let epub = epub
            .join()
            .unwrap_or_else(|_| Err(anyhow!("the ePub renderer panicked")));
        site.and(epub)
    })
}

/// The book as mdBook sees it, with our preprocessor registered and the output directory
/// moved to `site.out` if given.
fn load(shared: &Shared, site: &Site) -> Result<MDBook> {
    let mut md = MDBook::load(&shared.book.root).context("loading the book with mdBook")?;
    if let Some(out) = site.out {
        md.config.build.build_dir = std::path::absolute(out)?;
    }
    let archive = site.archive.then(|| format!("{}.tar.gz", archive_stem(&md)));
    md.with_preprocessor(ListingsPreprocessor {
        book: shared.book.clone(),
        highlighter: shared.highlighter.clone(),
        recordings: shared.recordings.clone(),
        archive,
        figures: shared.figures.clone(),
        fills: shared.fills.clone(),
    });
    Ok(md)
}

/// Fails when a link of the rendered site leads nowhere, naming the page, the chapter it
/// comes from and the link. The site stays written, so the page can be looked at.
fn check_links(book: &Book, html: &Path, site_url: &str) -> Result<()> {
    let mut broken = links::check(html, site_url).context("checking the site's links")?;
    if broken.is_empty() {
        return Ok(());
    }
    let mut message = format!(
        "{} broken link{} in the rendered site ({}):",
        broken.len(),
        if broken.len() == 1 { "" } else { "s" },
        html.display()
    );
    // Chapter pages first: the print page repeats their links, and the chapter names the
    // file to fix.
    broken.sort_by_key(|b| b.page == "print.html" || b.page == "index.html");
    for b in &broken {
        message.push_str("\n  ");
        message.push_str(&b.page);
        if let Some(source) = source_of(book, &b.page) {
            let _ = write!(message, " ({source})");
        }
        let _ = write!(message, ": `{}`: {}", b.link, b.reason);
    }
    Err(anyhow!(message))
}

/// Where a page comes from, for a reader of the error: `from src/ch04-threads.md` for
/// `ch04-threads.html`. mdBook writes the first chapter a second time as `index.html`, and
/// every chapter into `print.html`.
fn source_of(book: &Book, page: &str) -> Option<String> {
    if page == "print.html" {
        return Some("every chapter on one page".to_string());
    }
    if page == "index.html" {
        return book.chapters.first().map(|c| format!("from {}", c.path));
    }
    let md = format!("src/{}.md", page.strip_suffix(".html")?);
    book.chapters
        .iter()
        .find(|c| c.path == md)
        .map(|c| format!("from {}", c.path))
}

/// mdBook reports through `tracing`; without a subscriber its warnings (an unbalanced HTML
/// tag, a broken link) would be lost.
fn init_logging() {
    use std::sync::Once;
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(
                tracing_subscriber::EnvFilter::try_from_env("XTASK_LOG")
                    .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
            )
            .with_target(false)
            .with_writer(std::io::stderr)
            .without_time()
            .try_init();
    });
}
