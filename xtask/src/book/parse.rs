//! Parse: chapters → listings, their files and their expected runs.
//!
//! Each chapter is scanned ([`super::scan`]), then its code blocks are read in order by a
//! [`ChapterParser`], one method per kind of block. All findings of all chapters are
//! collected before giving up, so that an author sees every mistake in one run.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use rayon::prelude::*;

use super::attrs::{ListingBlock, ListingFlags, is_listing, listing_block, not_a_listing, output_block};
use super::diag::{BookErrors, Diag};
use super::figure::{Figure, figure_block};
use super::finding::Finding;
use super::rules::{check_listing, check_output_fits};
use super::scan::{Block, Scan, first_line, scan};
use super::{BlockKind, Book, Chapter, CodeBlock, Listing, OutputBlock, Settings, SourceFile};
use crate::util::text::{LineIndex, line_range};

/// Parses every chapter into listings and checks the rules that span chapters (unique ids,
/// cross-references that resolve).
pub(crate) fn parse_book(
    root: &Path,
    mut chapters: Vec<Chapter>,
    settings: Settings,
) -> Result<Book, BookErrors> {
    let mut errors = Vec::new();
    let mut listings: Vec<Listing> = Vec::new();
    let mut figures: Vec<Figure> = Vec::new();
    let mut references = Vec::new();
    let mut figure_references = Vec::new();
    // Chapters parse independently: on every core, then joined in reading order.
    let parsed: Vec<ParsedChapter> = chapters
        .par_iter()
        .enumerate()
        .map(|(index, chapter)| ChapterParser::parse(index, chapter))
        .collect();
    for (chapter, parsed) in chapters.iter_mut().zip(parsed) {
        errors.extend(parsed.errors);
        references.extend(parsed.references);
        figure_references.extend(parsed.figure_references);
        chapter.blocks = in_book(parsed.blocks, listings.len(), figures.len());
        listings.extend(parsed.listings);
        figures.extend(parsed.figures);
    }
    let (ids, duplicates) = unique_ids(&chapters, &listings);
    errors.extend(duplicates);
    errors.extend(bad_bases(&chapters, &listings, &ids));
    errors.extend(unknown_references(&chapters, &ids, references));
    errors.extend(check_figures(&chapters, &ids, &figures, figure_references));
    if errors.is_empty() {
        Ok(Book {
            root: root.to_path_buf(),
            chapters,
            listings,
            figures,
            settings,
        })
    } else {
        Err(BookErrors(errors))
    }
}

/// A chapter's blocks with its listing and figure indexes made the book's: its first listing
/// is the book's `offset`th, its first figure the `figure_offset`th.
fn in_book(mut blocks: Vec<CodeBlock>, offset: usize, figure_offset: usize) -> Vec<CodeBlock> {
    for block in &mut blocks {
        match &mut block.kind {
            BlockKind::Listing { listing, .. }
            | BlockKind::Output { listing, .. }
            | BlockKind::Stdin { listing, .. } => *listing += offset,
            BlockKind::Figure { figure } => *figure += figure_offset,
            BlockKind::Other { .. } => {}
        }
    }
    blocks
}

/// The first listing of each id, and a finding for every later one: ids name crates and
/// anchors.
fn unique_ids<'a>(
    chapters: &[Chapter],
    listings: &'a [Listing],
) -> (HashMap<&'a str, &'a Listing>, Vec<Diag>) {
    let mut first_seen: HashMap<&str, &Listing> = HashMap::new();
    let mut errors = Vec::new();
    for listing in listings {
        if let Some(first) = first_seen.get(listing.id.as_str()) {
            let chapter = &chapters[listing.chapter];
            let finding = Finding::new(format!("duplicate listing id `{}`", listing.id))
                .label("second listing with this id")
                .note(format!(
                    "first used at {}:{}; ids name crates and anchors, so they are unique in the book",
                    chapters[first.chapter].path, first.line
                ));
            errors.push(finding.at(chapter, line_range(&chapter.source, listing.line)));
        } else {
            first_seen.insert(&listing.id, listing);
        }
    }
    (first_seen, errors)
}

/// A finding for every `base=ID` that names no listing, or one that does not come before:
/// a reader meets the base first, and its diff is read against what they have seen.
fn bad_bases(chapters: &[Chapter], listings: &[Listing], ids: &HashMap<&str, &Listing>) -> Vec<Diag> {
    let mut errors = Vec::new();
    for (index, listing) in listings.iter().enumerate() {
        let Some(base) = &listing.base else { continue };
        let finding = match ids.get(base.as_str()) {
            None => Finding::new(format!("`base={base}`: no listing has this id"))
                .label("the listing this one changes must exist"),
            Some(found) => {
                let position = listings
                    .iter()
                    .position(|l| std::ptr::eq(l, *found))
                    .expect("ids index the listings");
                if position < index {
                    continue;
                }
                let what = if position == index {
                    "is this listing itself"
                } else {
                    "comes after it"
                };
                Finding::new(format!("`base={base}` {what}"))
                    .label("a listing changes one that comes before it")
                    .note(format!(
                        "`{base}` is at {}:{}",
                        chapters[found.chapter].path, found.line
                    ))
            }
        };
        let chapter = &chapters[listing.chapter];
        errors.push(finding.at(chapter, line_range(&chapter.source, listing.line)));
    }
    errors
}

/// A finding for every cross-reference whose id no listing of the book has.
fn unknown_references(
    chapters: &[Chapter],
    ids: &HashMap<&str, &Listing>,
    references: Vec<Reference>,
) -> Vec<Diag> {
    references
        .into_iter()
        .filter(|r| !ids.contains_key(r.id.as_str()))
        .map(|r| {
            Finding::new(format!("reference to unknown listing `{}`", r.id))
                .label("no listing has this id")
                .at(&chapters[r.chapter], r.range)
        })
        .collect()
}

/// The rules of figures that span the book: unique ids, data from listings that exist and
/// run, references that resolve.
fn check_figures(
    chapters: &[Chapter],
    ids: &HashMap<&str, &Listing>,
    figures: &[Figure],
    references: Vec<Reference>,
) -> Vec<Diag> {
    let mut errors = Vec::new();
    let mut seen: HashMap<&str, &Figure> = HashMap::new();
    for figure in figures {
        let chapter = &chapters[figure.chapter];
        if let Some(first) = seen.insert(&figure.id, figure) {
            let finding = Finding::new(format!("duplicate figure id `{}`", figure.id))
                .label("second figure with this id")
                .note(format!(
                    "first used at {}:{}",
                    chapters[first.chapter].path, first.line
                ));
            errors.push(finding.at(chapter, line_range(&chapter.source, figure.line)));
        }
        for source in &figure.sources {
            if let Err(finding) = source_runs(ids, &source.listing, source.output) {
                errors.push(finding.at(chapter, source.range.clone()));
            }
        }
    }
    errors.extend(
        references
            .into_iter()
            .filter(|r| !seen.contains_key(r.id.as_str()))
            .map(|r| {
                Finding::new(format!("reference to unknown figure `{}`", r.id))
                    .label("no figure has this id")
                    .at(&chapters[r.chapter], r.range)
            }),
    );
    errors
}

/// A figure's data line names a listing that exists, runs, and has the output block named.
fn source_runs(ids: &HashMap<&str, &Listing>, id: &str, output: usize) -> Result<(), Finding> {
    let Some(listing) = ids.get(id) else {
        return Err(
            Finding::new(format!("figure data from unknown listing `{id}`")).label("no listing has this id")
        );
    };
    if listing.compile_fail || listing.no_run || listing.outputs.is_empty() {
        return Err(
            Finding::new(format!("listing `{id}` is never run, so it has no data"))
                .label("a figure's data comes from a listing's recorded run"),
        );
    }
    if output >= listing.outputs.len() {
        return Err(Finding::new(format!(
            "listing `{id}` has {} output block(s), not {}",
            listing.outputs.len(),
            output + 1
        ))
        .label("`#N` counts the listing's output blocks from 1"));
    }
    Ok(())
}

/// A cross-reference from prose, `[](listing:ID)` or `[](figure:ID)`.
pub(super) struct Reference {
    pub(super) chapter: usize,
    pub(super) id: String,
    pub(super) range: Range<usize>,
}

/// What a chapter yields. Listing indexes in `blocks` are the chapter's: `parse_book` makes
/// them the book's.
#[derive(Default)]
struct ParsedChapter {
    listings: Vec<Listing>,
    figures: Vec<Figure>,
    blocks: Vec<CodeBlock>,
    references: Vec<Reference>,
    figure_references: Vec<Reference>,
    errors: Vec<Diag>,
}

/// The listing that output blocks attach to: the last one seen with only prose after it.
#[derive(Clone, Copy)]
struct OpenListing {
    listing: usize,
    has_output: bool,
}

/// A `stdin` block waiting for the output block it feeds.
struct PendingStdin {
    text: String,
    /// Its first line, where findings about it point.
    at: Range<usize>,
    /// The whole block.
    range: Range<usize>,
}

/// Reads one chapter's code blocks in order: a listing's blocks open it, its `stdin` and
/// `output` blocks attach to it, and any other block closes it.
struct ChapterParser<'a> {
    index: usize,
    chapter: &'a Chapter,
    lines: LineIndex,
    out: ParsedChapter,
    open: Option<OpenListing>,
    stdin: Option<PendingStdin>,
}

impl<'a> ChapterParser<'a> {
    /// The chapter's listings and blocks; `index` is its place in the book.
    fn parse(index: usize, chapter: &'a Chapter) -> ParsedChapter {
        let mut parser = ChapterParser {
            index,
            chapter,
            lines: LineIndex::new(&chapter.source),
            out: ParsedChapter::default(),
            open: None,
            stdin: None,
        };
        let scanned = scan(&chapter.source);
        parser.lint_backtick_fences(&scanned);
        let blocks = parser.readable(scanned);
        for block in blocks {
            parser.on_block(block);
        }
        parser.finish()
    }

    /// Where findings about `block` point: its first line.
    fn first_line(&self, block: &Block) -> Range<usize> {
        first_line(&self.chapter.source, &block.range)
    }

    /// Places a finding in this chapter: every finding of the parser goes through here.
    fn report(&mut self, range: Range<usize>, finding: impl Into<Finding>) {
        self.out.errors.push(finding.into().at(self.chapter, range));
    }

    /// A line that looks like a fence but is not one (a backtick in a backtick fence's info
    /// string makes it inline code) would silently drop a listing.
    fn lint_backtick_fences(&mut self, scanned: &Scan) {
        let src = &*self.chapter.source;
        let mut offset = 0;
        for line in src.split_inclusive('\n') {
            let start = offset;
            offset += line.len();
            let trimmed = line.trim_start();
            let inside = |r: &Range<usize>| r.start <= start && start < r.end;
            if trimmed.starts_with("```")
                && trimmed.trim_start_matches('`').contains('`')
                && !scanned.blocks.iter().any(|(r, _)| inside(r))
                && !scanned
                    .literal
                    .iter()
                    .any(|r| inside(r) && !src[r.clone()].starts_with('`'))
            {
                let finding = Finding::new(
                    "this fence is not a code block: its info string contains a backtick",
                )
                .note("Markdown forbids backticks after a ``` fence; fence the block with ~~~ instead");
                self.report(start..start + line.trim_end().len(), finding);
            }
        }
    }

    /// Keeps the chapter's references, reports the blocks that cannot be read (unclosed,
    /// malformed info string) and returns the others.
    fn readable(&mut self, scanned: Scan) -> Vec<Block> {
        let index = self.index;
        let placed = |refs: Vec<(Range<usize>, String)>| -> Vec<Reference> {
            (refs.into_iter())
                .map(|(range, id)| Reference {
                    chapter: index,
                    id,
                    range,
                })
                .collect()
        };
        self.out.references = placed(scanned.references);
        self.out.figure_references = placed(scanned.figure_references);
        let mut blocks = Vec::new();
        for (range, block) in scanned.blocks {
            match block {
                Ok(block) => blocks.push(block),
                Err(finding) => self.report(first_line(&self.chapter.source, &range), finding),
            }
        }
        blocks
    }

    fn on_block(&mut self, block: Block) {
        if !matches!(block.lang.as_str(), "stdin" | "output")
            && let Some(stdin) = self.stdin.take()
        {
            let finding = Finding::new("a `stdin` block must come right before an `output` block")
                .label("followed by another code block instead");
            self.report(stdin.at, finding);
        }
        match block.lang.as_str() {
            "stdin" => self.on_stdin(block),
            "output" => self.on_output(block),
            "figure" => self.on_figure(block),
            _ if is_listing(&block) => self.on_listing(block),
            _ => self.on_other(block),
        }
    }

    fn on_stdin(&mut self, block: Block) {
        let at = self.first_line(&block);
        if !block.attrs.is_empty() {
            self.report(at.clone(), "a `stdin` block takes no attributes");
        }
        let stdin = PendingStdin {
            text: block.text,
            at,
            range: block.range,
        };
        if let Some(previous) = self.stdin.replace(stdin) {
            self.report(previous.at, "two `stdin` blocks for one output block");
        }
    }

    fn on_output(&mut self, block: Block) {
        let at = self.first_line(&block);
        let stdin = self.stdin.take();
        let Some(open) = self.open.as_mut() else {
            let finding = Finding::new("output block with no listing")
                .label("no listing before it")
                .note("an output block follows its listing with only prose between");
            self.report(at, finding);
            return;
        };
        open.has_output = true;
        let listing = open.listing;
        let line = self.lines.line(block.range.start);
        let output = output_block(&block, line, stdin.as_ref().map(|s| s.text.clone()))
            .and_then(|output| check_output_fits(&self.out.listings[listing], &output).map(|()| output));
        match output {
            Ok(output) => self.add_output(listing, output, stdin, block.range),
            Err(finding) => self.report(at, finding),
        }
    }

    /// Records an output block (and the `stdin` block before it) as the listing's next.
    fn add_output(
        &mut self,
        listing: usize,
        output: OutputBlock,
        stdin: Option<PendingStdin>,
        range: Range<usize>,
    ) {
        let outputs = &mut self.out.listings[listing].outputs;
        let block = outputs.len();
        outputs.push(output);
        if let Some(stdin) = stdin {
            self.out.blocks.push(CodeBlock {
                range: stdin.range,
                kind: BlockKind::Stdin { listing, block },
            });
        }
        self.out.blocks.push(CodeBlock {
            range,
            kind: BlockKind::Output { listing, block },
        });
    }

    fn on_listing(&mut self, block: Block) {
        let line = self.lines.line(block.range.start);
        let read = match listing_block(&block, line) {
            Ok(read) => read,
            Err(finding) => {
                self.report(self.first_line(&block), finding);
                self.open = None;
                return;
            }
        };
        match &self.open {
            Some(open) if self.out.listings[open.listing].id == read.id => {
                self.continue_listing(*open, &block, read)
            }
            _ => self.start_listing(read, block.range),
        }
    }

    /// A block with a new id: the first block of a listing, which it opens.
    fn start_listing(&mut self, read: ListingBlock, range: Range<usize>) {
        let ListingBlock { id, file, flags } = read;
        let listing = self.out.listings.len();
        self.out.listings.push(Listing {
            id,
            chapter: self.index,
            line: file.line,
            number: listing + 1,
            caption: flags.caption,
            files: vec![file],
            compile_fail: flags.compile_fail,
            exclusive: flags.exclusive,
            no_run: flags.no_run,
            tab: flags.tab,
            base: flags.base,
            outputs: Vec::new(),
        });
        self.open = Some(OpenListing {
            listing,
            has_output: false,
        });
        self.out.blocks.push(CodeBlock {
            range,
            kind: BlockKind::Listing { listing, file: 0 },
        });
    }

    /// A block with the open listing's id: another file of it, unless its output blocks
    /// have begun.
    fn continue_listing(&mut self, open: OpenListing, block: &Block, read: ListingBlock) {
        let at = self.first_line(block);
        let listing = open.listing;
        let first = &mut self.out.listings[listing];
        let added = if open.has_output {
            Err(after_output(first, &read.file, &self.chapter.path))
        } else {
            add_file(first, read.file, &read.flags)
        };
        match added {
            Ok(file) => self.out.blocks.push(CodeBlock {
                range: block.range.clone(),
                kind: BlockKind::Listing { listing, file },
            }),
            Err(finding) => self.report(at, finding),
        }
    }

    /// A figure: numbered among the chapter's figures; it ends the open listing like any
    /// other block.
    fn on_figure(&mut self, block: Block) {
        self.open = None;
        let line = self.lines.line(block.range.start);
        match figure_block(&block, line) {
            Ok(mut figure) => {
                figure.chapter = self.index;
                figure.number = self.out.figures.len() + 1;
                self.out.blocks.push(CodeBlock {
                    range: block.range,
                    kind: BlockKind::Figure {
                        figure: self.out.figures.len(),
                    },
                });
                self.out.figures.push(figure);
            }
            Err((at, finding)) => {
                let at = at.unwrap_or_else(|| self.first_line(&block));
                self.report(at, finding);
            }
        }
    }

    /// Any other block: shown as written, and the end of the open listing.
    fn on_other(&mut self, block: Block) {
        if let Some(finding) = not_a_listing(&block) {
            self.report(self.first_line(&block), finding);
        }
        self.out.blocks.push(CodeBlock {
            range: block.range,
            kind: BlockKind::Other {
                lang: block.lang,
                text: block.text,
            },
        });
        self.open = None;
    }

    /// The rules that need the whole chapter read: a `stdin` block left waiting, and each
    /// listing's own rules.
    fn finish(mut self) -> ParsedChapter {
        if let Some(stdin) = self.stdin.take() {
            self.report(
                stdin.at,
                "a `stdin` block must come right before an `output` block",
            );
        }
        let src = &self.chapter.source;
        let findings: Vec<_> = (self.out.listings.iter())
            .filter_map(|listing| Some((line_range(src, listing.line), check_listing(listing).err()?)))
            .collect();
        for (range, finding) in findings {
            self.report(range, finding);
        }
        self.out
    }
}

/// A block of a listing after the listing's output blocks: either the same file again (the id
/// is reused) or a file that comes too late.
fn after_output(first: &Listing, file: &SourceFile, chapter: &str) -> Finding {
    if first.file(&file.path).is_some() {
        Finding::new(format!("duplicate listing id `{}`", first.id))
            .label("second listing with this id")
            .note(format!("first used at {chapter}:{}", first.line))
    } else {
        Finding::new(format!("listing `{}` continues after its output block", first.id))
            .note("put all blocks of a listing before its output blocks")
    }
}

/// Adds a later block's file to its listing; returns the file's index.
fn add_file(listing: &mut Listing, file: SourceFile, flags: &ListingFlags) -> Result<usize, Finding> {
    if flags.sets_first_block_attrs {
        return Err(Finding::new(format!(
            "`caption`, `compile_fail`, `exclusive`, `no_run`, `tab` and `base` belong on the first block of listing `{}`",
            listing.id
        )));
    }
    if listing.file(&file.path).is_some() {
        return Err(Finding::new(format!(
            "listing `{}` already has a block for `{}`",
            listing.id, file.path
        )));
    }
    listing.files.push(file);
    Ok(listing.files.len() - 1)
}
