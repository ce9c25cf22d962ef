//! Finding a book's chapters: `src/SUMMARY.md` in mdBook's own reading, so that chapter
//! numbers (and with them listing numbers) are the ones mdBook shows.

use std::path::Path;
use std::sync::Arc;

use mdbook_summary::{Summary, SummaryItem, parse_summary};

use super::diag::{BookErrors, Diag};
use super::{Book, Chapter, Settings, parse};
use crate::util::text::line_range;

const SUMMARY: &str = "src/SUMMARY.md";

/// Reads `SUMMARY.md` and every chapter it names, and parses all listings. Any problem is
/// returned as findings that name the file and line; nothing is written either way.
pub(crate) fn load(root: &Path) -> Result<Book, BookErrors> {
    let source = read(root, SUMMARY).map_err(|e| unreadable(root, SUMMARY, &e))?;
    let summary = parse_summary(&source).map_err(|e| {
        BookErrors(vec![Diag::new(
            SUMMARY,
            &source,
            0..0,
            format!("mdBook cannot parse the summary: {e:#}"),
        )])
    })?;
    let chapters = read_chapters(root, &source, entries(&summary))?;
    let settings = settings(root)?;
    parse::parse_book(root, chapters, settings)
}

fn read(root: &Path, path: &str) -> std::io::Result<Arc<str>> {
    std::fs::read_to_string(root.join(path)).map(Arc::from)
}

/// A file of the book that cannot be read: a finding that names it, with no line to show.
fn unreadable(root: &Path, path: &str, e: &std::io::Error) -> BookErrors {
    BookErrors(vec![Diag::new(
        path,
        &Arc::from(""),
        0..0,
        format!("cannot read {}: {e}", root.join(path).display()),
    )])
}

/// A chapter the summary names, before it is read.
struct Entry {
    title: String,
    /// Relative to `src/`, as the summary writes it.
    location: String,
    /// What its listing numbers start with.
    label: String,
}

/// The summary's chapters in reading order, labelled: prefix chapters `P`, numbered ones by
/// their number, appendices (suffix chapters) `A`, `B`, ….
fn entries(summary: &Summary) -> Vec<Entry> {
    let mut entries = Vec::new();
    collect(&summary.prefix_chapters, "P", &mut entries);
    for item in &summary.numbered_chapters {
        if let SummaryItem::Link(link) = item {
            let label = link
                .number
                .as_ref()
                .and_then(|n| n.first())
                .map_or_else(|| "?".to_string(), |n| n.to_string());
            collect(std::slice::from_ref(item), &label, &mut entries);
        }
    }
    let mut letter = b'A';
    for item in &summary.suffix_chapters {
        if let SummaryItem::Link(_) = item {
            collect(
                std::slice::from_ref(item),
                &(letter as char).to_string(),
                &mut entries,
            );
            letter = letter.saturating_add(1);
        }
    }
    entries
}

/// Flattens summary items (and their nested sub-chapters) into entries; sub-chapters share
/// their parent's label, so their listings number on from the parent's.
fn collect(items: &[SummaryItem], label: &str, out: &mut Vec<Entry>) {
    for item in items {
        if let SummaryItem::Link(link) = item {
            if let Some(location) = &link.location {
                out.push(Entry {
                    title: link.name.clone(),
                    location: location.to_string_lossy().into_owned(),
                    label: label.to_string(),
                });
            }
            collect(&link.nested_items, label, out);
        }
    }
}

/// Reads every chapter; one that cannot be read is a finding at its line of the summary.
fn read_chapters(root: &Path, summary: &Arc<str>, entries: Vec<Entry>) -> Result<Vec<Chapter>, BookErrors> {
    let mut errors = Vec::new();
    let mut chapters = Vec::new();
    for Entry {
        title,
        location,
        label,
    } in entries
    {
        let path = format!("src/{}", location.replace('\\', "/"));
        match std::fs::read_to_string(root.join(&path)) {
            Ok(source) => chapters.push(Chapter {
                slug: slug(&location),
                path,
                title,
                label,
                source: source.into(),
                blocks: Vec::new(),
            }),
            Err(e) => {
                let line = summary
                    .lines()
                    .position(|l| l.contains(&format!("({location})")))
                    .map_or(1, |i| i + 1);
                let diag = Diag::new(
                    SUMMARY,
                    summary,
                    line_range(summary, line),
                    format!("cannot read chapter {path}: {e}"),
                );
                errors.push(diag.label("named here"));
            }
        }
    }
    if errors.is_empty() {
        Ok(chapters)
    } else {
        Err(BookErrors(errors))
    }
}

/// The engine's settings from `book.toml` (`[preprocessor.listings]`); absent means defaults.
fn settings(root: &Path) -> Result<Settings, BookErrors> {
    let path = "book.toml";
    let source = match read(root, path) {
        Ok(source) => source,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Settings::default()),
        Err(e) => return Err(unreadable(root, path, &e)),
    };
    let table: toml::Table = toml::from_str(&source).map_err(|e| {
        let range = e.span().unwrap_or(0..0);
        BookErrors(vec![Diag::new(
            path,
            &source,
            range,
            format!("book.toml is not valid TOML: {}", e.message()),
        )])
    })?;
    let listings = table.get("preprocessor").and_then(|p| p.get("listings"));
    let check_formatting = match listings.and_then(|l| l.get("check-formatting")) {
        None => false,
        Some(toml::Value::Boolean(b)) => *b,
        Some(_) => {
            let at = source.find("check-formatting").unwrap_or(0);
            return Err(BookErrors(vec![Diag::new(
                path,
                &source,
                at..at + "check-formatting".len(),
                "`check-formatting` is `true` or `false`",
            )]));
        }
    };
    Ok(Settings { check_formatting })
}

/// `ch04-threads.md` → `ch04-threads`; `part1/intro.md` → `part1-intro`.
fn slug(location: &str) -> String {
    location
        .trim_end_matches(".md")
        .replace(['/', '\\'], "-")
        .to_ascii_lowercase()
}
