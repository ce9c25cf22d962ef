//! Finding a book's chapters: `src/SUMMARY.md` in mdBook's own reading, so that chapter
//! numbers (and with them listing numbers) are the ones mdBook shows.

use std::path::Path;
use std::sync::Arc;

use mdbook_summary::{SummaryItem, parse_summary};

use super::diag::{BookErrors, Diag};
use super::{Book, Chapter, Settings, parse};
use crate::util::text::line_range;

/// Reads `SUMMARY.md` and every chapter it names, and parses all listings. Any problem is
/// returned as findings that name the file and line; nothing is written either way.
pub(crate) fn load(root: &Path) -> Result<Book, BookErrors> {
    let summary_path = "src/SUMMARY.md";
    let summary_source: Arc<str> = match std::fs::read_to_string(root.join(summary_path)) {
        Ok(s) => s.into(),
        Err(e) => {
            return Err(BookErrors(vec![Diag::new(
                summary_path,
                &Arc::from(""),
                0..0,
                format!("cannot read {}: {e}", root.join(summary_path).display()),
            )]));
        }
    };
    let summary = parse_summary(&summary_source).map_err(|e| {
        BookErrors(vec![Diag::new(
            summary_path,
            &summary_source,
            0..0,
            format!("mdBook cannot parse the summary: {e:#}"),
        )])
    })?;

    let mut entries = Vec::new();
    let mut numbered = Vec::new();
    collect(&summary.prefix_chapters, "P", &mut entries);
    for item in &summary.numbered_chapters {
        if let SummaryItem::Link(link) = item {
            let label = link
                .number
                .as_ref()
                .and_then(|n| n.first())
                .map_or_else(|| "?".to_string(), |n| n.to_string());
            collect(std::slice::from_ref(item), &label, &mut numbered);
        }
    }
    entries.extend(numbered);
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

    let mut errors = Vec::new();
    let mut chapters = Vec::new();
    for (title, location, label) in entries {
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
                let line = summary_source
                    .lines()
                    .position(|l| l.contains(&format!("({location})")))
                    .map_or(1, |i| i + 1);
                errors.push(
                    Diag::new(
                        summary_path,
                        &summary_source,
                        line_range(&summary_source, line),
                        format!("cannot read chapter {path}: {e}"),
                    )
                    .label("named here"),
                );
            }
        }
    }
    if !errors.is_empty() {
        return Err(BookErrors(errors));
    }
    let settings = settings(root)?;
    parse::parse_book(root, chapters, settings)
}

/// The engine's settings from `book.toml` (`[preprocessor.listings]`); absent means defaults.
fn settings(root: &Path) -> Result<Settings, BookErrors> {
    let path = "book.toml";
    let text = match std::fs::read_to_string(root.join(path)) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Settings::default()),
        Err(e) => {
            return Err(BookErrors(vec![Diag::new(
                path,
                &Arc::from(""),
                0..0,
                format!("cannot read {}: {e}", root.join(path).display()),
            )]));
        }
    };
    let source: Arc<str> = text.into();
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

/// Flattens summary items (and their nested sub-chapters) into (title, location, label);
/// sub-chapters share their parent's label, so their listings number on from the parent's.
fn collect(items: &[SummaryItem], label: &str, out: &mut Vec<(String, String, String)>) {
    for item in items {
        if let SummaryItem::Link(link) = item {
            if let Some(location) = &link.location {
                out.push((
                    link.name.clone(),
                    location.to_string_lossy().into_owned(),
                    label.to_string(),
                ));
            }
            collect(&link.nested_items, label, out);
        }
    }
}

/// `ch04-threads.md` → `ch04-threads`; `part1/intro.md` → `part1-intro`.
fn slug(location: &str) -> String {
    location
        .trim_end_matches(".md")
        .replace(['/', '\\'], "-")
        .to_ascii_lowercase()
}
