//! Sections of an output block: runs of lines with an order of their own.
//!
//! A section opens with a directive line and closes with `[end]`:
//!
//! - `[any order]`: the lines of the section, each once, in any order.
//! - `[interleaved by KEY]`: lines that contain the same text where `KEY` (literal text and
//!   patterns, such as `worker [N]`) matches form a group (one thread, one task); each group
//!   keeps its order, groups interleave freely.
//! - `[optional]`: the lines of the section in order, or a prefix of them, or none (what a
//!   thread cut off when `main` returns prints).
//! - `[repeat M to N]`: the lines of the section, in order, repeated M to N times.
//!
//! `[optional]` and `[repeat]` may sit inside `[interleaved by]` (their lines then share
//! one group); nothing else nests. The block is compiled into [`Item`]s that refer to its
//! lines by index, so the lines keep their place for diffs, bless and the page.

use regex::Regex;

use super::{Line, fragment_regex};

/// A directive line, recognised.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Directive {
    AnyOrder,
    Interleaved(String),
    Optional,
    Repeat(u32, u32),
    End,
}

impl Directive {
    /// The directive a line is, if it is one.
    pub(crate) fn parse(line: &str) -> Option<Result<Directive, String>> {
        let inner = line.strip_prefix('[')?.strip_suffix(']')?;
        Some(match inner {
            "any order" => Ok(Directive::AnyOrder),
            "optional" => Ok(Directive::Optional),
            "end" => Ok(Directive::End),
            _ => {
                if let Some(key) = inner.strip_prefix("interleaved by ") {
                    Ok(Directive::Interleaved(key.to_string()))
                } else if let Some(range) = inner.strip_prefix("repeat ") {
                    repeat_range(range).map(|(m, n)| Directive::Repeat(m, n))
                } else {
                    return None;
                }
            }
        })
    }
}

/// `M to N` of `[repeat M to N]`.
fn repeat_range(range: &str) -> Result<(u32, u32), String> {
    let bad = || format!("malformed `[repeat {range}]`: write `[repeat 0 to 9]`, from 0 to 1000");
    let (m, n) = range.split_once(" to ").ok_or_else(bad)?;
    let (m, n): (u32, u32) = (m.parse().map_err(|_| bad())?, n.parse().map_err(|_| bad())?);
    if m > n || n == 0 || n > 1000 {
        return Err(bad());
    }
    Ok((m, n))
}

/// A piece of an output block, in order; indices are into `Expected::lines`.
#[derive(Debug, Clone)]
pub(crate) enum Item {
    /// One literal or pattern line.
    Line(usize),
    /// `...`.
    Any(usize),
    /// `[any order]`: its lines, each once, in any order.
    AnyOrder { lines: Vec<usize> },
    /// `[interleaved by KEY]`: each group in order, groups interleaved.
    Interleaved { key: Regex, groups: Vec<Group> },
    /// `[optional]`: a prefix of its lines.
    Optional { lines: Vec<usize> },
    /// `[repeat M to N]`: its lines, M to N times.
    Repeat { min: u32, max: u32, lines: Vec<usize> },
}

/// The lines of one group of an interleaved section: those whose key is `key`.
#[derive(Debug, Clone)]
pub(crate) struct Group {
    pub(crate) key: String,
    pub(crate) items: Vec<Item>,
}

/// Whether the block has sections at all (a block without is matched line by line).
pub(crate) fn has_sections(items: &[Item]) -> bool {
    items.iter().any(|i| !matches!(i, Item::Line(_) | Item::Any(_)))
}

/// Reads the structure of a block's lines.
pub(crate) fn items(lines: &[Line]) -> Result<Vec<Item>, String> {
    let mut at = 0;
    let mut items = Vec::new();
    while at < lines.len() {
        let i = at;
        at += 1;
        match &lines[i] {
            Line::Any => items.push(Item::Any(i)),
            Line::Directive(d, _) => items.push(section(d, lines, i, &mut at, false)?),
            _ => items.push(Item::Line(i)),
        }
    }
    Ok(items)
}

/// The section opened by directive `d` on line `open`; `at` moves past its `[end]`.
fn section(d: &Directive, lines: &[Line], open: usize, at: &mut usize, nested: bool) -> Result<Item, String> {
    let place = |i: usize| format!("line {} of the block", i + 1);
    let inner = match d {
        Directive::End => return Err(format!("{}: `[end]` closes no section", place(open))),
        Directive::Interleaved(_) | Directive::AnyOrder if nested => {
            return Err(format!(
                "{}: only `[optional]` and `[repeat]` may sit inside `[interleaved by]`",
                place(open)
            ));
        }
        Directive::Interleaved(key) => return interleaved(key, lines, open, at),
        _ => plain_lines(lines, open, at)?,
    };
    if inner.is_empty() {
        return Err(format!("{}: an empty section checks nothing", place(open)));
    }
    Ok(match d {
        Directive::AnyOrder => Item::AnyOrder { lines: inner },
        Directive::Optional => Item::Optional { lines: inner },
        Directive::Repeat(min, max) => Item::Repeat {
            min: *min,
            max: *max,
            lines: inner,
        },
        Directive::Interleaved(_) | Directive::End => unreachable!("handled above"),
    })
}

/// The literal and pattern lines up to the `[end]` of the section opened on line `open`.
fn plain_lines(lines: &[Line], open: usize, at: &mut usize) -> Result<Vec<usize>, String> {
    let mut inner = Vec::new();
    while *at < lines.len() {
        let i = *at;
        *at += 1;
        match &lines[i] {
            Line::Directive(Directive::End, _) => return Ok(inner),
            Line::Directive(..) | Line::Any => {
                return Err(format!(
                    "line {} of the block: `{}` cannot sit inside `{}`",
                    i + 1,
                    lines[i].as_written(),
                    lines[open].as_written()
                ));
            }
            _ => inner.push(i),
        }
    }
    Err(unclosed(lines, open))
}

fn unclosed(lines: &[Line], open: usize) -> String {
    format!(
        "line {} of the block: `{}` has no `[end]`",
        open + 1,
        lines[open].as_written()
    )
}

/// An `[interleaved by KEY]` section: its lines (and nested sections) sorted into groups by
/// the text `KEY` matches in them.
fn interleaved(key: &str, lines: &[Line], open: usize, at: &mut usize) -> Result<Item, String> {
    // The key only sorts lines into groups; the lines themselves hold the words checked.
    if key.trim().is_empty() {
        return Err(format!(
            "line {}: `[interleaved by KEY]` needs a key: the part of a line that names its group, such as `worker [N]`",
            open + 1
        ));
    }
    let regex = fragment_regex(key);
    let mut groups: Vec<Group> = Vec::new();
    let key_of = |i: usize| -> Result<String, String> {
        let written = lines[i].as_written();
        regex.find(written).map(|m| m.as_str().to_string()).ok_or_else(|| {
            format!(
                "line {} of the block: `{written}` does not name its group: `{key}` matches nothing in it (write the group's name literally)",
                i + 1
            )
        })
    };
    while *at < lines.len() {
        let i = *at;
        *at += 1;
        let (group, item) = match &lines[i] {
            Line::Directive(Directive::End, _) if groups.is_empty() => {
                return Err(format!("line {}: an empty section checks nothing", open + 1));
            }
            Line::Directive(Directive::End, _) => {
                return Ok(Item::Interleaved { key: regex, groups });
            }
            Line::Directive(d, _) => {
                let item = section(d, lines, i, at, true)?;
                let inner = match &item {
                    Item::Optional { lines, .. } | Item::Repeat { lines, .. } => lines.clone(),
                    _ => unreachable!("only optional and repeat nest"),
                };
                let keys: Result<Vec<String>, String> = inner.iter().map(|&l| key_of(l)).collect();
                let keys = keys?;
                if keys.iter().any(|k| *k != keys[0]) {
                    return Err(format!(
                        "line {}: the lines of `{}` belong to more than one group",
                        i + 1,
                        lines[i].as_written()
                    ));
                }
                (keys[0].clone(), item)
            }
            Line::Any => {
                return Err(format!(
                    "line {}: `...` cannot sit inside `[interleaved by]`: it belongs to no group",
                    i + 1
                ));
            }
            _ => (key_of(i)?, Item::Line(i)),
        };
        match groups.iter_mut().find(|g| g.key == group) {
            Some(g) => g.items.push(item),
            None => groups.push(Group {
                key: group,
                items: vec![item],
            }),
        }
    }
    Err(unclosed(lines, open))
}
