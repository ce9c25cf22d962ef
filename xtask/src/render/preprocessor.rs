//! The in-process preprocessor: mdBook hands it the book once per renderer, and it replaces
//! every chapter's Markdown with the marked-up text ([`super::markup`]).

use std::sync::Arc;

use anyhow::{Result, bail};
use mdbook_driver::book::{Book as MdBook, BookItem, Chapter as MdChapter};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};

use super::fill::Fills;
use super::highlight::Highlighter;
use super::markup::{Figures, Markup, Ran, Target};
use crate::book::Book;
use crate::book::recording::Recordings;

/// Name of the preprocessor table in `book.toml`.
pub(crate) const PREPROCESSOR: &str = "listings";

/// Every chapter's Markdown, marked up for the renderer that asked.
pub(crate) struct ListingsPreprocessor {
    pub(crate) book: Arc<Book>,
    pub(crate) highlighter: Arc<Highlighter>,
    pub(crate) recordings: Arc<Recordings>,
    /// The listings archive's file name at the site's root, when the site has one.
    pub(crate) archive: Option<String>,
    pub(crate) figures: Arc<Figures>,
    /// The site's placeholders' fragments (see [`Fills`]), put back once mdBook has written
    /// the pages.
    pub(crate) fills: Arc<Fills>,
}

impl Preprocessor for ListingsPreprocessor {
    fn name(&self) -> &str {
        PREPROCESSOR
    }

    fn run(&self, ctx: &PreprocessorContext, mut book: MdBook) -> Result<MdBook> {
        let target = if ctx.renderer == super::epub::NAME {
            Target::Epub
        } else {
            Target::Site
        };
        let source_url = ctx
            .config
            .get::<String>(&format!("preprocessor.{PREPROCESSOR}.listing-base-url"))
            .ok()
            .flatten();
        let ran = Ran {
            recordings: &self.recordings,
            figures: &self.figures,
        };
        let markup = Markup::new(&self.book, &self.highlighter, ran, source_url, target)
            .with_archive(self.archive.clone())
            .with_fills((target == Target::Site).then_some(&*self.fills));
        // Every chapter's markup at once, in parallel: highlighting is most of the work.
        let mut marked: Vec<Option<String>> = {
            use rayon::prelude::*;
            (0..self.book.chapters.len())
                .into_par_iter()
                .map(|i| Some(markup.chapter(i)))
                .collect()
        };
        let mut error = None;
        book.for_each_mut(|item| {
            if let BookItem::Chapter(chapter) = item
                && let Err(e) = self.replace(&markup, &mut marked, chapter)
            {
                error.get_or_insert(e);
            }
        });
        error.map_or(Ok(book), Err)
    }
}

impl ListingsPreprocessor {
    /// Gives `chapter` its marked-up text, taken from `marked` (or made now, if mdBook
    /// holds a chapter twice). Chapters the model does not have (a draft) are left alone.
    fn replace(&self, markup: &Markup, marked: &mut [Option<String>], chapter: &mut MdChapter) -> Result<()> {
        let Some(path) = &chapter.path else {
            return Ok(());
        };
        let path = format!("src/{}", path.to_string_lossy().replace('\\', "/"));
        let Some(index) = markup.chapter_index(&path) else {
            return Ok(());
        };
        if *chapter.content != *self.book.chapters[index].source {
            // Something before us (an `{{#include}}`) changed the text the listings were
            // read from: offsets would be wrong.
            bail!("{path} was changed by another preprocessor; listings cannot be marked up");
        }
        chapter.content = marked[index].take().unwrap_or_else(|| markup.chapter(index));
        Ok(())
    }
}
