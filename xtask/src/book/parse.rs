//! Parse: chapters → listings, their files and their expected runs.
//!
//! Every code block is found with pulldown-cmark (so that fences inside lists, quotes or
//! indented code are read as a Markdown reader reads them) with its byte range kept, so that
//! every finding names `src/FILE.md:LINE` and bless can replace an output block in place.
//! All findings of all chapters are collected before giving up, so that an author sees every
//! mistake in one run.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use std::time::Duration;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use super::diag::{BookErrors, Diag};
use super::pattern::Expected;
use super::{BlockKind, Book, Chapter, CodeBlock, DEFAULT_TIMEOUT, Listing, OutputBlock, SourceFile, Stream};
use crate::util::text::{LineIndex, line_range};

/// Parses every chapter into listings and checks the rules that span chapters (unique ids,
/// cross-references that resolve).
pub(crate) fn parse_book(
    root: &Path,
    mut chapters: Vec<Chapter>,
    settings: super::Settings,
) -> Result<Book, BookErrors> {
    let mut errors = Vec::new();
    let mut listings: Vec<Listing> = Vec::new();
    let mut references = Vec::new();
    for (index, chapter) in chapters.iter_mut().enumerate() {
        let parsed = parse_chapter(index, chapter);
        errors.extend(parsed.errors);
        references.extend(parsed.references);
        let offset = listings.len();
        chapter.blocks = parsed
            .blocks
            .into_iter()
            .map(|mut b| {
                match &mut b.kind {
                    BlockKind::Listing { listing, .. }
                    | BlockKind::Output { listing, .. }
                    | BlockKind::Stdin { listing, .. } => *listing += offset,
                    BlockKind::Other { .. } => {}
                }
                b
            })
            .collect();
        listings.extend(parsed.listings);
    }

    let mut first_seen: HashMap<&str, &Listing> = HashMap::new();
    for listing in &listings {
        if let Some(first) = first_seen.get(listing.id.as_str()) {
            let chapter = &chapters[listing.chapter];
            let range = line_range(&chapter.source, listing.line);
            errors.push(
                Diag::new(
                    &chapter.path,
                    &chapter.source,
                    range,
                    format!("duplicate listing id `{}`", listing.id),
                )
                .label("second listing with this id")
                .note(format!(
                    "first used at {}:{}; ids name crates and anchors, so they are unique in the book",
                    chapters[first.chapter].path, first.line
                )),
            );
        } else {
            first_seen.insert(&listing.id, listing);
        }
    }
    for r in references {
        if !first_seen.contains_key(r.id.as_str()) {
            let chapter = &chapters[r.chapter];
            errors.push(
                Diag::new(
                    &chapter.path,
                    &chapter.source,
                    r.range,
                    format!("reference to unknown listing `{}`", r.id),
                )
                .label("no listing has this id"),
            );
        }
    }

    if errors.is_empty() {
        Ok(Book {
            root: root.to_path_buf(),
            chapters,
            listings,
            settings,
        })
    } else {
        Err(BookErrors(errors))
    }
}

/// A cross-reference from prose, `[](listing:ID)`.
struct Reference {
    chapter: usize,
    id: String,
    range: Range<usize>,
}

struct ParsedChapter {
    listings: Vec<Listing>,
    /// Chapter-local listing indexes: `parse_book` makes them the book's.
    blocks: Vec<CodeBlock>,
    references: Vec<Reference>,
    errors: Vec<Diag>,
}

/// A fenced code block with the facts the rules below need.
pub(crate) struct Block {
    pub(crate) lang: String,
    pub(crate) attrs: Vec<Attr>,
    /// The whole block, fences included.
    pub(crate) range: Range<usize>,
    /// Its content lines.
    pub(crate) content: Range<usize>,
    pub(crate) text: String,
    pub(crate) indent: String,
}

/// One `key` or `key=value` of an info string.
#[derive(Debug, Clone)]
pub(crate) struct Attr {
    pub(crate) key: String,
    pub(crate) value: Option<String>,
}

/// The listing that output blocks attach to: the last one seen with only prose after it.
struct Open {
    listing: usize,
    has_output: bool,
}

fn parse_chapter(index: usize, chapter: &Chapter) -> ParsedChapter {
    let src = &chapter.source;
    let mut out = ParsedChapter {
        listings: Vec::new(),
        blocks: Vec::new(),
        references: Vec::new(),
        errors: Vec::new(),
    };
    let err = |range: Range<usize>, msg: String| Diag::new(&chapter.path, src, range, msg);

    let scanned = scan(src);
    out.references
        .extend(scanned.references.into_iter().map(|(range, id)| Reference {
            chapter: index,
            id,
            range,
        }));
    // A line that looks like a fence but is not one (a backtick in a backtick fence's info
    // string makes it inline code) would silently drop a listing.
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
            let end = start + line.trim_end().len();
            out.errors.push(
                err(
                    start..end,
                    "this fence is not a code block: its info string contains a backtick".into(),
                )
                .note("Markdown forbids backticks after a ``` fence; fence the block with ~~~ instead"),
            );
        }
    }

    let mut blocks = Vec::new();
    for (range, block) in scanned.blocks {
        match block {
            Ok(b) => blocks.push(b),
            Err(msg) => out.errors.push(err(first_line(src, &range), msg)),
        }
    }

    let lines = LineIndex::new(src);
    let mut open: Option<Open> = None;
    let mut stdin: Option<(String, Range<usize>, Range<usize>)> = None;
    for b in blocks {
        let line = lines.line(b.range.start);
        let at = first_line(src, &b.range);
        if b.lang == "stdin" || b.lang == "output" {
            // stdin/output attach to the open listing; anything else closes it below.
        } else if let Some((_, range, _)) = stdin.take() {
            out.errors.push(
                err(
                    range,
                    "a `stdin` block must come right before an `output` block".into(),
                )
                .label("followed by another code block instead"),
            );
        }
        match b.lang.as_str() {
            "stdin" => {
                if !b.attrs.is_empty() {
                    out.errors
                        .push(err(at.clone(), "a `stdin` block takes no attributes".into()));
                }
                if let Some((_, range, _)) = stdin.replace((b.text.clone(), at.clone(), b.range.clone())) {
                    out.errors
                        .push(err(range, "two `stdin` blocks for one output block".into()));
                }
            }
            "output" => {
                let Some(o) = open.as_mut() else {
                    out.errors.push(
                        err(at, "output block with no listing".into())
                            .label("no listing before it")
                            .note("an output block follows its listing with only prose between"),
                    );
                    stdin = None;
                    continue;
                };
                let input = stdin.take();
                match output_block(&b, line, input.as_ref().map(|s| s.0.clone())) {
                    Ok(block) => {
                        let listing = &mut out.listings[o.listing];
                        if let Err(msg) = check_output_fits(listing, &block) {
                            out.errors.push(err(at, msg));
                        } else {
                            let index = listing.outputs.len();
                            listing.outputs.push(block);
                            if let Some((_, _, range)) = input {
                                out.blocks.push(CodeBlock {
                                    range,
                                    kind: BlockKind::Stdin {
                                        listing: o.listing,
                                        block: index,
                                    },
                                });
                            }
                            out.blocks.push(CodeBlock {
                                range: b.range.clone(),
                                kind: BlockKind::Output {
                                    listing: o.listing,
                                    block: index,
                                },
                            });
                        }
                    }
                    Err(msg) => out.errors.push(err(at, msg)),
                }
                o.has_output = true;
            }
            "rust" | "toml" if b.attrs.iter().any(|a| a.key == "listing") => match listing_block(&b, line) {
                Ok((id, file, flags)) => {
                    let continues = open.as_ref().is_some_and(|o| out.listings[o.listing].id == id);
                    if continues && open.as_ref().is_some_and(|o| o.has_output) {
                        let first = &out.listings[open.as_ref().unwrap().listing];
                        let e = if first.file(&file.path).is_some() {
                            err(at, format!("duplicate listing id `{id}`"))
                                .label("second listing with this id")
                                .note(format!("first used at {}:{}", chapter.path, first.line))
                        } else {
                            err(at, format!("listing `{id}` continues after its output block"))
                                .note("put all blocks of a listing before its output blocks")
                        };
                        out.errors.push(e);
                        continue;
                    }
                    if continues {
                        let index = open.as_ref().unwrap().listing;
                        let listing = &mut out.listings[index];
                        match add_file(listing, file, &flags) {
                            Ok(file) => out.blocks.push(CodeBlock {
                                range: b.range.clone(),
                                kind: BlockKind::Listing { listing: index, file },
                            }),
                            Err(msg) => out.errors.push(err(at, msg)),
                        }
                    } else {
                        let number = out.listings.len() + 1;
                        out.listings.push(Listing {
                            id,
                            chapter: index,
                            line,
                            number,
                            caption: flags.caption,
                            files: vec![file],
                            compile_fail: flags.compile_fail,
                            exclusive: flags.exclusive,
                            no_run: flags.no_run,
                            tab: flags.tab,
                            outputs: Vec::new(),
                        });
                        open = Some(Open {
                            listing: out.listings.len() - 1,
                            has_output: false,
                        });
                        out.blocks.push(CodeBlock {
                            range: b.range.clone(),
                            kind: BlockKind::Listing {
                                listing: out.listings.len() - 1,
                                file: 0,
                            },
                        });
                    }
                }
                Err(msg) => {
                    out.errors.push(err(at, msg));
                    open = None;
                }
            },
            _ => {
                out.blocks.push(CodeBlock {
                    range: b.range.clone(),
                    kind: BlockKind::Other {
                        lang: b.lang.clone(),
                        text: b.text.clone(),
                    },
                });
                if !b.attrs.is_empty() && b.lang == "rust" {
                    let keys: Vec<_> = b.attrs.iter().map(|a| a.key.as_str()).collect();
                    let msg = match keys.iter().find(|k| !LISTING_ATTRS.contains(k)) {
                        Some(k) => unknown_attr(k, LISTING_ATTRS),
                        None => format!(
                            "`{}` needs `listing=ID`; a rust block without it is never compiled",
                            keys[0]
                        ),
                    };
                    out.errors.push(err(at, msg));
                }
                open = None;
            }
        }
    }
    if let Some((_, range, _)) = stdin {
        out.errors.push(err(
            range,
            "a `stdin` block must come right before an `output` block".into(),
        ));
    }

    for listing in &out.listings {
        let range = line_range(src, listing.line);
        if let Err(msg) = check_listing(listing) {
            out.errors.push(err(range, msg));
        }
    }
    out
}

/// What a chapter holds that the engine and the renderer care about.
pub(crate) struct Scan {
    /// Every fenced code block, in order, with its range (fences included).
    pub(crate) blocks: Vec<(Range<usize>, Result<Block, String>)>,
    /// Cross-references `[text](listing:ID)`: the link's range and the id.
    pub(crate) references: Vec<(Range<usize>, String)>,
    /// Inline code spans and raw HTML: prose that is not prose (no callout badges there).
    pub(crate) literal: Vec<Range<usize>>,
}

/// Markdown options shared by the engine and the renderer, so both read the same blocks.
pub(crate) fn markdown_options() -> Options {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_FOOTNOTES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_TASKLISTS);
    options.insert(Options::ENABLE_HEADING_ATTRIBUTES);
    options
}

/// Finds the fenced code blocks, listing references and literal spans of a chapter.
pub(crate) fn scan(src: &str) -> Scan {
    let mut scan = Scan {
        blocks: Vec::new(),
        references: Vec::new(),
        literal: Vec::new(),
    };
    let mut current: Option<(String, Range<usize>)> = None;
    let mut text = String::new();
    for (event, range) in Parser::new_ext(src, markdown_options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                current = Some((info.to_string(), range));
                text.clear();
            }
            Event::Text(t) if current.is_some() => text.push_str(&t),
            Event::End(TagEnd::CodeBlock) => {
                if let Some((info, range)) = current.take() {
                    let b = block(src, &info, range.clone(), std::mem::take(&mut text));
                    scan.blocks.push((range, b));
                }
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) | Event::Code(_) | Event::InlineHtml(_) => {
                scan.literal.push(range)
            }
            Event::Start(Tag::HtmlBlock) => scan.literal.push(range),
            Event::Start(Tag::Link { dest_url, .. }) => {
                if let Some(id) = dest_url.strip_prefix("listing:") {
                    scan.references.push((range, id.to_string()));
                }
            }
            _ => {}
        }
    }
    scan
}

/// The range of a block's first line: where findings about the block point.
fn first_line(src: &str, range: &Range<usize>) -> Range<usize> {
    let end = src[range.start..range.end]
        .find('\n')
        .map_or(range.end, |i| range.start + i);
    range.start..end
}

/// Reads a fenced block's raw lines: its info string, whether it is closed, where its
/// content is.
fn block(src: &str, info: &str, range: Range<usize>, text: String) -> Result<Block, String> {
    let raw = &src[range.clone()];
    let first_end = raw.find('\n').map_or(raw.len(), |i| i + 1);
    let opening = raw[..first_end].trim_end();
    let fence_at = opening.find(['`', '~']).unwrap_or(0);
    let fence_char = opening[fence_at..].chars().next().unwrap_or('`');
    let fence_len = opening[fence_at..]
        .chars()
        .take_while(|&c| c == fence_char)
        .count();
    // pulldown-cmark starts a fence in a list item or a quote at the fence itself: what its
    // content lines repeat is what precedes it on its line.
    let line_start = src[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let indent: String = src[line_start..range.start + fence_at]
        .chars()
        .map(|c| if c == '>' || c.is_whitespace() { c } else { ' ' })
        .collect();

    // pulldown-cmark runs an unclosed fence to the end of its container; say so instead.
    let body = raw.trim_end_matches(['\n', '\r']);
    let last_start = body.rfind('\n').map_or(0, |i| i + 1);
    let last = body[last_start..].trim_start_matches(|c: char| c.is_whitespace() || c == '>');
    let closed = last_start > 0
        && last.trim_end().chars().all(|c| c == fence_char)
        && last.trim_end().chars().count() >= fence_len;
    if !closed {
        return Err(format!(
            "unterminated code fence: no closing `{}` for this block",
            fence_char.to_string().repeat(fence_len)
        ));
    }
    let content = range.start + first_end..range.start + last_start;
    let content = content.start.min(content.end)..content.end;

    let words = split_words(info.trim()).map_err(|e| format!("malformed info string: {e}"))?;
    let mut words = words.into_iter();
    let lang = words.next().unwrap_or_default();
    let attrs = words
        .map(|w| match w.split_once('=') {
            Some((k, v)) => Attr {
                key: k.to_string(),
                value: Some(v.to_string()),
            },
            None => Attr { key: w, value: None },
        })
        .collect();
    Ok(Block {
        lang,
        attrs,
        range,
        content,
        text,
        indent,
    })
}

/// Splits an info string on spaces and commas outside double quotes; `\"` and `\\` escape
/// inside quotes.
pub(crate) fn split_words(s: &str) -> Result<Vec<String>, String> {
    split_quoted(s, &['"'], true)
}

/// Splits an `args=` or `env=` value like a shell: on spaces, with words in single or double
/// quotes kept whole. (Markdown has already removed backslash escapes from the info string,
/// so single quotes are how an argument with spaces is written: `args="a 'b c'"`.)
pub(crate) fn split_args(s: &str) -> Result<Vec<String>, String> {
    split_quoted(s, &['"', '\''], false)
}

fn split_quoted(s: &str, quotes: &[char], commas: bool) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quoted: Option<char> = None;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            q if quotes.contains(&q) && quoted.is_none_or(|open| open == q) => {
                quoted = if quoted.is_some() { None } else { Some(q) };
                in_word = true;
            }
            '\\' if quoted.is_some() => match chars.next() {
                Some(e @ ('"' | '\\')) => word.push(e),
                Some(e) => {
                    word.push('\\');
                    word.push(e);
                }
                None => return Err("a `\\` ends the text".into()),
            },
            ' ' | '\t' if quoted.is_none() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            ',' if commas && quoted.is_none() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if let Some(q) = quoted {
        return Err(format!("unclosed quote {q}"));
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

const LISTING_ATTRS: &[&str] = &[
    "listing",
    "caption",
    "file",
    "compile_fail",
    "exclusive",
    "no_run",
    "tab",
];
const OUTPUT_ATTRS: &[&str] = &[
    "exit",
    "kill-after",
    "timeout",
    "args",
    "env",
    "stream",
    "unordered",
    "runs",
    "bin",
];

fn unknown_attr(key: &str, known: &[&str]) -> String {
    format!("unknown attribute `{key}`; known: {}", known.join(", "))
}

/// The attributes of a listing that only its first block may set.
#[derive(Default)]
struct ListingFlags {
    caption: Option<String>,
    compile_fail: bool,
    exclusive: bool,
    no_run: bool,
    tab: Option<String>,
    any: bool,
}

fn listing_block(b: &Block, line: usize) -> Result<(String, SourceFile, ListingFlags), String> {
    let mut id = None;
    let mut path = None;
    let mut flags = ListingFlags::default();
    let mut seen = Vec::new();
    for a in &b.attrs {
        if seen.contains(&a.key.as_str()) {
            return Err(format!("attribute `{}` given twice", a.key));
        }
        seen.push(a.key.as_str());
        let needs_value = |a: &Attr| -> Result<String, String> {
            match &a.value {
                Some(v) if !v.is_empty() => Ok(v.clone()),
                _ => Err(format!("`{}` needs a value: `{}=...`", a.key, a.key)),
            }
        };
        let flag = |a: &Attr| -> Result<bool, String> {
            match &a.value {
                None => Ok(true),
                Some(_) => Err(format!("`{}` takes no value", a.key)),
            }
        };
        match a.key.as_str() {
            "listing" => id = Some(needs_value(a)?),
            "caption" => flags.caption = Some(needs_value(a)?),
            "file" => path = Some(needs_value(a)?),
            "tab" => flags.tab = Some(needs_value(a)?),
            "compile_fail" => flags.compile_fail = flag(a)?,
            "exclusive" => flags.exclusive = flag(a)?,
            "no_run" => flags.no_run = flag(a)?,
            k => return Err(unknown_attr(k, LISTING_ATTRS)),
        }
        if a.key != "listing" && a.key != "file" {
            flags.any = true;
        }
    }
    let id = id.expect("listing blocks have `listing=`");
    check_id(&id)?;
    let path = path.unwrap_or_else(|| "src/main.rs".to_string());
    check_path(&path)?;
    let lang = if path.ends_with(".toml") {
        "toml"
    } else {
        b.lang.as_str()
    };
    if b.lang == "toml" && !path.ends_with(".toml") {
        return Err(format!("a `toml` block holds a `.toml` file, not `{path}`"));
    }
    let code = extract_code(&b.text, lang == "rust");
    let file = SourceFile {
        path,
        lang: lang.to_string(),
        line,
        raw: b.text.clone(),
        code,
    };
    Ok((id, file, flags))
}

/// Listing ids become crate names and anchors: lower-case words joined by dashes.
fn check_id(id: &str) -> Result<(), String> {
    let ok = id
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && id.starts_with(|c: char| c.is_ascii_lowercase())
        && !id.ends_with('-')
        && !id.contains("--");
    if !ok {
        return Err(format!(
            "bad listing id `{id}`: use lower-case letters, digits and single dashes, starting with a letter"
        ));
    }
    // Cargo refuses these package names.
    if [
        "test",
        "core",
        "std",
        "alloc",
        "proc-macro",
        "xtask",
        "build",
        "deps",
        "examples",
        "incremental",
    ]
    .contains(&id)
    {
        return Err(format!("bad listing id `{id}`: cargo reserves this name"));
    }
    Ok(())
}

/// A `file=` path stays inside the crate.
fn check_path(path: &str) -> Result<(), String> {
    let p = Path::new(path);
    let escapes = p.is_absolute()
        || path.starts_with('\\')
        || path.contains(':')
        || p.components()
            .any(|c| !matches!(c, std::path::Component::Normal(_)));
    if escapes || path.is_empty() {
        return Err(format!(
            "`file={path}` must be a relative path inside the crate, such as `src/lib.rs` (no `..`, no absolute path)"
        ));
    }
    if path != "Cargo.toml" && path != "build.rs" && !path.starts_with("src/") {
        return Err(format!(
            "`file={path}`: a listing's files are `Cargo.toml`, `build.rs` or under `src/`"
        ));
    }
    Ok(())
}

/// Adds a later block's file to its listing; returns the file's index.
fn add_file(listing: &mut Listing, file: SourceFile, flags: &ListingFlags) -> Result<usize, String> {
    if flags.any {
        return Err(format!(
            "`caption`, `compile_fail`, `exclusive`, `no_run` and `tab` belong on the first block of listing `{}`",
            listing.id
        ));
    }
    if listing.file(&file.path).is_some() {
        return Err(format!(
            "listing `{}` already has a block for `{}`",
            listing.id, file.path
        ));
    }
    listing.files.push(file);
    Ok(listing.files.len() - 1)
}

/// The code as compiled: hidden lines (`# `) shown to the compiler, callout markers
/// (`// <1>`) removed. Line numbers are kept: line `n` of the code is line `n` of the block.
pub(crate) fn extract_code(text: &str, rust: bool) -> String {
    let mut code = String::with_capacity(text.len());
    for line in text.lines() {
        let line = if rust {
            hidden_line(line).map_or(line.to_string(), |(_, l)| l)
        } else {
            line.to_string()
        };
        let (line, _) = strip_callout(&line, rust);
        code.push_str(line);
        code.push('\n');
    }
    code
}

/// For a Rust line: `Some((hidden, text))` when it uses the hidden-line syntax. `# x` and a
/// lone `#` are hidden; `##x` is shown as `#x` (rustdoc's escape).
pub(crate) fn hidden_line(line: &str) -> Option<(bool, String)> {
    let trimmed = line.trim_start();
    let indent = &line[..line.len() - trimmed.len()];
    if trimmed == "#" {
        Some((true, String::new()))
    } else if let Some(rest) = trimmed.strip_prefix("# ") {
        Some((true, format!("{indent}{rest}")))
    } else if trimmed.starts_with("##") {
        Some((false, format!("{indent}{}", &trimmed[1..])))
    } else {
        None
    }
}

/// Splits a trailing callout marker off a code line: `foo(); // <1>` → (`foo();`, Some(1)).
pub(crate) fn strip_callout(line: &str, rust: bool) -> (&str, Option<u32>) {
    let comment = if rust { "//" } else { "#" };
    let trimmed = line.trim_end();
    if let Some(rest) = trimmed.strip_suffix('>')
        && let Some(open) = rest.rfind('<')
        && let Ok(n) = rest[open + 1..].parse::<u32>()
    {
        let before = rest[..open].trim_end();
        if let Some(code) = before.strip_suffix(comment) {
            return (code.trim_end(), Some(n));
        }
    }
    (line, None)
}

fn output_block(b: &Block, line: usize, stdin: Option<String>) -> Result<OutputBlock, String> {
    let mut block = OutputBlock {
        line,
        content: b.content.clone(),
        indent: b.indent.clone(),
        expected: Expected {
            text: String::new(),
            lines: Vec::new(),
        },
        exit: 0,
        kill_after: None,
        timeout: DEFAULT_TIMEOUT,
        args: Vec::new(),
        env: Vec::new(),
        stream: Stream::Both,
        unordered: false,
        runs: 1,
        bin: None,
        stdin,
    };
    let mut seen = Vec::new();
    let mut timeout_given = false;
    let mut exit_given = false;
    for a in &b.attrs {
        if seen.contains(&a.key.as_str()) {
            return Err(format!("attribute `{}` given twice", a.key));
        }
        seen.push(a.key.as_str());
        let value = || -> Result<&str, String> {
            a.value
                .as_deref()
                .ok_or_else(|| format!("`{}` needs a value: `{}=...`", a.key, a.key))
        };
        match a.key.as_str() {
            "exit" => {
                block.exit = value()?
                    .parse::<i32>()
                    .ok()
                    .filter(|c| (0..=255).contains(c))
                    .ok_or_else(|| {
                        format!(
                            "malformed exit code `{}`: an integer from 0 to 255",
                            value().unwrap_or("")
                        )
                    })?;
                exit_given = true;
            }
            "kill-after" => block.kill_after = Some(duration(value()?)?),
            "timeout" => {
                block.timeout = duration(value()?)?;
                timeout_given = true;
            }
            "args" => block.args = split_args(value()?).map_err(|e| format!("malformed `args`: {e}"))?,
            "env" => {
                for pair in split_args(value()?).map_err(|e| format!("malformed `env`: {e}"))? {
                    match pair.split_once('=') {
                        Some((k, v)) if !k.is_empty() => block.env.push((k.to_string(), v.to_string())),
                        _ => return Err(format!("malformed `env` entry `{pair}`: write `NAME=value`")),
                    }
                }
            }
            "stream" => {
                block.stream = match value()? {
                    "both" => Stream::Both,
                    "stdout" => Stream::Stdout,
                    "stderr" => Stream::Stderr,
                    v => return Err(format!("malformed `stream={v}`: one of both, stdout, stderr")),
                }
            }
            "unordered" => {
                if a.value.is_some() {
                    return Err("`unordered` takes no value".into());
                }
                block.unordered = true;
            }
            "runs" => {
                block.runs = value()?
                    .parse::<u32>()
                    .ok()
                    .filter(|n| (1..=1000).contains(n))
                    .ok_or_else(|| {
                        format!(
                            "malformed `runs={}`: an integer from 1 to 1000",
                            value().unwrap_or("")
                        )
                    })?
            }
            "bin" => block.bin = Some(value()?.to_string()),
            k => return Err(unknown_attr(k, OUTPUT_ATTRS)),
        }
    }
    if let Some(k) = block.kill_after {
        if exit_given {
            return Err("`kill-after` and `exit` contradict: a killed program has no exit status".into());
        }
        if !timeout_given {
            block.timeout = block.timeout.max(k + Duration::from_secs(5));
        } else if k >= block.timeout {
            return Err("`kill-after` must be shorter than `timeout`".into());
        }
    }
    block.expected = Expected::parse(&b.text)?;
    Ok(block)
}

/// `500ms`, `2s`, `1.5s`, `1m`.
pub(crate) fn duration(s: &str) -> Result<Duration, String> {
    let bad = || format!("malformed duration `{s}`: write it like `500ms`, `2s` or `1.5s`");
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .ok_or_else(bad)?;
    let (number, unit) = s.split_at(split);
    let n: f64 = number.parse().map_err(|_| bad())?;
    let secs = match unit {
        "ms" => n / 1000.0,
        "s" => n,
        "m" => n * 60.0,
        _ => return Err(bad()),
    };
    if !(secs > 0.0 && secs <= 3600.0) {
        return Err(format!(
            "duration `{s}` out of range: more than 0 and at most 1 hour"
        ));
    }
    Ok(Duration::from_secs_f64(secs))
}

/// Rules about an output block that depend on its listing.
fn check_output_fits(listing: &Listing, block: &OutputBlock) -> Result<(), String> {
    if listing.no_run {
        return Err(format!(
            "listing `{}` is `no_run`: it is never run, so it has no output block",
            listing.id
        ));
    }
    if listing.compile_fail {
        if !listing.outputs.is_empty() {
            return Err(format!(
                "compile_fail listing `{}` has one output block: the compiler's",
                listing.id
            ));
        }
        let runtime_attr = block.exit != 0
            || block.kill_after.is_some()
            || !block.args.is_empty()
            || !block.env.is_empty()
            || block.stdin.is_some()
            || block.bin.is_some()
            || block.runs != 1
            || block.unordered
            || block.stream != Stream::Both;
        if runtime_attr {
            return Err(format!(
                "compile_fail listing `{}` is never run: its output block holds the compiler's diagnostics and takes no run attributes",
                listing.id
            ));
        }
        if block.expected.error_codes().next().is_none() {
            return Err(
                "the output block of a compile_fail listing must contain an `error[Ennnn]` line: the error it expects"
                    .into(),
            );
        }
    }
    Ok(())
}

/// Rules about a whole listing, checked once all its blocks are known.
fn check_listing(listing: &Listing) -> Result<(), String> {
    if listing.outputs.is_empty() && !listing.no_run {
        return Err(format!(
            "listing `{}` has no output block: add one after it, or mark it `no_run` and say why in the chapter",
            listing.id
        ));
    }
    if listing.no_run && listing.compile_fail {
        return Err(format!(
            "listing `{}` is both `no_run` and `compile_fail`",
            listing.id
        ));
    }
    let bins = listing.binaries();
    if !listing.no_run && bins.is_empty() {
        return Err(format!(
            "listing `{}` has no binary to run (`src/main.rs` or `src/bin/NAME.rs`); a library-only listing is `no_run`",
            listing.id
        ));
    }
    if listing.compile_fail && listing.files.iter().any(|f| f.path == "src/lib.rs") {
        return Err(format!(
            "compile_fail listing `{}` must be a binary: a library would break `cargo build --workspace`",
            listing.id
        ));
    }
    if let Some(manifest) = listing.file("Cargo.toml") {
        check_manifest(listing, &manifest.code)?;
    }
    for o in &listing.outputs {
        if let Some(bin) = &o.bin
            && !bins.contains(bin)
        {
            return Err(format!(
                "output block at line {} runs `bin={bin}`, but listing `{}` builds only: {}",
                o.line,
                listing.id,
                bins.join(", ")
            ));
        }
        if o.bin.is_none() && listing.file("src/main.rs").is_none() && bins.len() > 1 {
            return Err(format!(
                "output block at line {} must say which binary of `{}` to run: `bin=NAME` (one of {})",
                o.line,
                listing.id,
                bins.join(", ")
            ));
        }
    }
    Ok(())
}

/// A listing's own `Cargo.toml` names its package after the listing and takes every
/// dependency from the workspace table: a listing never pins a version of its own.
fn check_manifest(listing: &Listing, text: &str) -> Result<(), String> {
    let doc: toml::Table = toml::from_str(text)
        .map_err(|e| format!("the `Cargo.toml` of `{}` is not valid TOML: {e}", listing.id))?;
    let name = doc
        .get("package")
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str());
    if name != Some(listing.id.as_str()) {
        return Err(format!(
            "the `Cargo.toml` of `{}` must say `name = \"{}\"` in `[package]`",
            listing.id, listing.id
        ));
    }
    for table in ["dependencies", "dev-dependencies", "build-dependencies"] {
        if let Some(deps) = doc.get(table).and_then(|d| d.as_table()) {
            for (dep, spec) in deps {
                let from_workspace = spec.get("workspace").and_then(|w| w.as_bool()) == Some(true);
                if !from_workspace {
                    return Err(format!(
                        "`{dep}` in the `Cargo.toml` of `{}` must be `{dep}.workspace = true`: versions come from the root `[workspace.dependencies]`",
                        listing.id
                    ));
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_on_spaces_and_commas_outside_quotes() {
        assert_eq!(
            split_words(r#"rust listing=a,caption="A b, c" exclusive"#).unwrap(),
            vec!["rust", "listing=a", "caption=A b, c", "exclusive"]
        );
        assert_eq!(split_words(r#"a="x \"y\"""#).unwrap(), vec![r#"a=x "y""#]);
        assert!(split_words(r#"a="x"#).is_err());
        assert_eq!(
            split_args("one 'two three' \"four, five\"").unwrap(),
            vec!["one", "two three", "four, five"]
        );
    }

    #[test]
    fn hidden_lines_and_callouts() {
        let code = extract_code(
            "# use std::thread;\nfn main() { // <1>\n    ##[derive(Debug)]\n#\n}\n",
            true,
        );
        assert_eq!(code, "use std::thread;\nfn main() {\n    #[derive(Debug)]\n\n}\n");
        assert_eq!(strip_callout("x = 1; // <12>", true), ("x = 1;", Some(12)));
        assert_eq!(
            strip_callout("let v = a < b; // x <2", true),
            ("let v = a < b; // x <2", None)
        );
        assert_eq!(
            strip_callout("name = \"x\" # <1>", false),
            ("name = \"x\"", Some(1))
        );
    }

    #[test]
    fn durations() {
        assert_eq!(duration("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(duration("1.5s").unwrap(), Duration::from_millis(1500));
        assert_eq!(duration("2m").unwrap(), Duration::from_secs(120));
        for bad in ["", "5", "ms", "1.2.3s", "5h", "0s", "-1s"] {
            assert!(duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn paths_stay_in_the_crate() {
        assert!(check_path("src/lib.rs").is_ok());
        assert!(check_path("src/bin/worker.rs").is_ok());
        assert!(check_path("Cargo.toml").is_ok());
        for bad in [
            "../x.rs",
            "/etc/passwd",
            "src/../../x.rs",
            "./src/main.rs",
            "C:/x.rs",
            "notes.txt",
        ] {
            assert!(check_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ids() {
        assert!(check_id("spinner-thread").is_ok());
        for bad in ["Spinner", "1st", "a_b", "a-", "a--b", "test", ""] {
            assert!(check_id(bad).is_err(), "{bad}");
        }
    }
}
