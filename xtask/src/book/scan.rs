//! Scan: a chapter's Markdown → its fenced code blocks (info string read, closing fence
//! checked), cross-references and literal spans.
//!
//! Every code block is found with pulldown-cmark (so that fences inside lists, quotes or
//! indented code are read as a Markdown reader reads them) with its byte range kept, so that
//! every finding names `src/FILE.md:LINE` and bless can replace an output block in place. The
//! renderer reads chapters through the same options, so both see the same blocks.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use super::finding::Finding;

/// What a chapter holds that the engine and the renderer care about.
pub(crate) struct Scan {
    /// Every fenced code block, in order, with its range (fences included).
    pub(crate) blocks: Vec<(Range<usize>, Result<Block, Finding>)>,
    /// Cross-references `[text](listing:ID)`: the link's range and the id.
    pub(crate) references: Vec<(Range<usize>, String)>,
    /// Cross-references `[text](figure:ID)`: the link's range and the id.
    pub(crate) figure_references: Vec<(Range<usize>, String)>,
    /// Inline code spans and raw HTML: prose that is not prose (no callout badges there).
    pub(crate) literal: Vec<Range<usize>>,
}

/// A fenced code block with the facts the parser's rules need.
#[derive(Debug, Clone)]
pub(crate) struct Block {
    pub(crate) lang: String,
    pub(crate) attrs: Vec<Attr>,
    /// The whole block, fences included.
    pub(crate) range: Range<usize>,
    /// Its content lines.
    pub(crate) content: Range<usize>,
    pub(crate) text: String,
    /// What precedes the fence on its line (list indentation, `>` of a quote), as spaces and
    /// `>`: what bless prefixes every line it writes with.
    pub(crate) indent: String,
}

/// One `key` or `key=value` of an info string.
#[derive(Debug, Clone)]
pub(crate) struct Attr {
    pub(crate) key: String,
    pub(crate) value: Option<String>,
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
        figure_references: Vec::new(),
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
                    let block = read_block(src, &info, range.clone(), std::mem::take(&mut text));
                    scan.blocks.push((range, block));
                }
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) | Event::Code(_) | Event::InlineHtml(_) => {
                scan.literal.push(range)
            }
            Event::Start(Tag::HtmlBlock) => scan.literal.push(range),
            Event::Start(Tag::Link { dest_url, .. }) => {
                if let Some(id) = dest_url.strip_prefix("listing:") {
                    scan.references.push((range, id.to_string()));
                } else if let Some(id) = dest_url.strip_prefix("figure:") {
                    scan.figure_references.push((range, id.to_string()));
                }
            }
            _ => {}
        }
    }
    scan
}

/// The range of a block's first line: where findings about the block point.
pub(crate) fn first_line(src: &str, range: &Range<usize>) -> Range<usize> {
    let end = src[range.start..range.end]
        .find('\n')
        .map_or(range.end, |i| range.start + i);
    range.start..end
}

/// Reads a fenced block's raw lines: its info string, whether it is closed, where its
/// content is.
fn read_block(src: &str, info: &str, range: Range<usize>, text: String) -> Result<Block, Finding> {
    let raw = &src[range.clone()];
    let first_end = raw.find('\n').map_or(raw.len(), |i| i + 1);
    // The range starts at the fence, after any list marker or `>` on its line.
    let line_start = src[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let fence = Fence::of(&src[line_start..range.start], raw[..first_end].trim_end());
    let Some(last_start) = fence.closing_line(raw) else {
        return Err(Finding::new(format!(
            "unterminated code fence: no closing `{}` for this block",
            fence.marker.to_string().repeat(fence.len)
        )));
    };
    let content = range.start + first_end..range.start + last_start;
    let content = content.start.min(content.end)..content.end;
    let (lang, attrs) = info_string(info)?;
    Ok(Block {
        lang,
        attrs,
        range,
        content,
        text,
        indent: fence.indent,
    })
}

/// An opening fence: its character, its length, and what precedes it on its line.
struct Fence {
    marker: char,
    len: usize,
    /// The line's container prefix as a continuation line writes it: `>` and whitespace
    /// kept, a list marker (`-`, `1.`) turned into spaces.
    indent: String,
}

impl Fence {
    /// `prefix` is what precedes the block on its line, `opening` the block's first line.
    fn of(prefix: &str, opening: &str) -> Fence {
        let at = opening.find(['`', '~']).unwrap_or(0);
        let marker = opening[at..].chars().next().unwrap_or('`');
        Fence {
            marker,
            len: opening[at..].chars().take_while(|&c| c == marker).count(),
            indent: (prefix.chars().chain(opening[..at].chars()))
                .map(|c| if c == '>' || c.is_whitespace() { c } else { ' ' })
                .collect(),
        }
    }

    /// Where the closing fence's line starts in the block's text, if it has one:
    /// pulldown-cmark runs an unclosed fence to the end of its container, and the author
    /// must hear about it instead.
    fn closing_line(&self, raw: &str) -> Option<usize> {
        let body = raw.trim_end_matches(['\n', '\r']);
        let last_start = body.rfind('\n').map_or(0, |i| i + 1);
        let last = body[last_start..]
            .trim_start_matches(|c: char| c.is_whitespace() || c == '>')
            .trim_end();
        let closed =
            last_start > 0 && last.chars().all(|c| c == self.marker) && last.chars().count() >= self.len;
        closed.then_some(last_start)
    }
}

/// An info string's language and attributes: `rust listing=a no_run`.
fn info_string(info: &str) -> Result<(String, Vec<Attr>), Finding> {
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
    Ok((lang, attrs))
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

/// The splitter behind both; its error is a fragment that the caller's message completes
/// (`malformed info string: …`), so it is a `String`, not a finding.
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
            ' ' | '\t' | ',' if quoted.is_none() && (c != ',' || commas) => {
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
}
