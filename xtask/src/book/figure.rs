//! Figures: a `figure` block's attributes and body, read into a [`Figure`].
//!
//! A chart or table takes its data from listings' recorded runs: each line of its body names
//! a listing and a regex whose named groups pick fields out of the lines that run printed.
//! Attributes say which field plays which part (`x=threads y=speedup`). A `diagram` figure's
//! body is ASCII art, drawn with svgbob. What can be checked without a run (an unknown kind,
//! a field that no data line gives, a regex that does not compile) is checked here; what
//! needs the run is checked by [`super::figure_data`].

use std::ops::Range;

use regex::Regex;

use super::finding::Finding;
use super::scan::{Attr, Block, split_words};

/// A numbered figure of a chapter: "Figure 3-1".
#[derive(Debug, Clone)]
pub(crate) struct Figure {
    pub(crate) id: String,
    /// Index into [`super::Book::chapters`].
    pub(crate) chapter: usize,
    /// Line of the opening fence (1-based).
    pub(crate) line: usize,
    /// Position among its chapter's figures, from 1.
    pub(crate) number: usize,
    pub(crate) caption: String,
    pub(crate) kind: FigureKind,
    /// Axis titles (charts): `x-label`, `y-label`; default the fields' names.
    pub(crate) x_label: Option<String>,
    pub(crate) y_label: Option<String>,
    /// Where a chart or table's data comes from, one per body line.
    pub(crate) sources: Vec<Source>,
    /// A diagram's ASCII art (the body as written).
    pub(crate) art: String,
}

/// What a figure draws and which fields play which part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FigureKind {
    /// Points `(x, y)`, one line per series; `ideal` adds the diagonal through the first point.
    Line {
        x: String,
        y: String,
        series: Option<String>,
        ideal: bool,
    },
    /// One cluster of bars per `group`, one bar per `bar` in it, `value` high; `log` puts
    /// the values on a logarithmic axis (speedups of 1.5x and 50x in one chart).
    Bar {
        group: String,
        bar: String,
        value: String,
        log: bool,
    },
    /// A table: a row per `rows` value, a column per `columns` value, `cell` in between.
    Table {
        rows: String,
        columns: String,
        cell: String,
    },
    /// A lane per `lane` value; each `event` (`start`, `wait`, `stop`) at time `at`.
    Timeline { lane: String, at: String, event: String },
    /// ASCII art drawn as a diagram; no data.
    Diagram,
}

impl FigureKind {
    /// The fields that every data line must give.
    pub(crate) fn fields(&self) -> Vec<&str> {
        match self {
            FigureKind::Line { x, y, series, .. } => {
                let mut fields = vec![x.as_str(), y.as_str()];
                fields.extend(series.as_deref());
                fields
            }
            FigureKind::Bar {
                group, bar, value, ..
            } => vec![group, bar, value],
            FigureKind::Table { rows, columns, cell } => vec![rows, columns, cell],
            FigureKind::Timeline { lane, at, event } => vec![lane, at, event],
            FigureKind::Diagram => Vec::new(),
        }
    }

    /// The fields whose values must be numbers.
    pub(crate) fn numeric(&self) -> Vec<&str> {
        match self {
            FigureKind::Line { x, y, .. } => vec![x, y],
            FigureKind::Bar { value, .. } => vec![value],
            FigureKind::Timeline { at, .. } => vec![at],
            FigureKind::Table { .. } | FigureKind::Diagram => Vec::new(),
        }
    }
}

/// One body line of a chart or table: `LISTING[#N] [field="value" ...] /REGEX/`.
#[derive(Debug, Clone)]
pub(crate) struct Source {
    pub(crate) listing: String,
    /// Which output block's run, from 0 (`#1` in the chapter).
    pub(crate) output: usize,
    /// Fields given on the line, the same for every match.
    pub(crate) constants: Vec<(String, String)>,
    /// Matched against each printed line; a line that matches is one record.
    pub(crate) regex: LazyRegex,
    /// The body line in the chapter: where findings about its data point.
    pub(crate) range: Range<usize>,
}

const KINDS: &str = "line, bar, table, timeline, diagram";
const ATTRS: &[&str] = &[
    "id", "kind", "caption", "x", "y", "series", "ideal", "log", "group", "bar", "value", "rows", "columns",
    "cell", "lane", "at", "event", "x-label", "y-label",
];

/// A figure block read, before it is numbered: the figure, or the first mistake and where
/// (`None`: the block's first line).
pub(crate) fn figure_block(block: &Block, line: usize) -> Result<Figure, (Option<Range<usize>>, Finding)> {
    let attrs = Attrs(&block.attrs);
    attrs.check().map_err(|f| (None, f))?;
    let id = attrs.required("id").map_err(|f| (None, f))?;
    check_figure_id(&id).map_err(|f| (None, f))?;
    let caption = attrs.required("caption").map_err(|f| (None, f))?;
    let kind = kind(&attrs).map_err(|f| (None, f))?;
    let mut figure = Figure {
        id,
        chapter: 0,
        line,
        number: 0,
        caption,
        x_label: attrs.get("x-label"),
        y_label: attrs.get("y-label"),
        sources: Vec::new(),
        art: String::new(),
        kind,
    };
    if figure.kind == FigureKind::Diagram {
        if block.text.trim().is_empty() {
            return Err((
                None,
                Finding::new("a `diagram` figure needs its drawing as the block's body"),
            ));
        }
        figure.art = block.text.clone();
        return Ok(figure);
    }
    figure.sources = sources(block, &figure.kind)?;
    Ok(figure)
}

/// Figure ids name anchors (`#figure-ID`) and appear in references: like listing ids.
fn check_figure_id(id: &str) -> Result<(), Finding> {
    let ok = id
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && id.starts_with(|c: char| c.is_ascii_lowercase());
    if ok {
        Ok(())
    } else {
        Err(Finding::new(format!(
            "bad figure id `{id}`: use lower-case letters, digits and dashes, starting with a letter"
        )))
    }
}

/// Reads every body line of a chart or table; blank lines are skipped.
fn sources(block: &Block, kind: &FigureKind) -> Result<Vec<Source>, (Option<Range<usize>>, Finding)> {
    let mut sources = Vec::new();
    let mut offset = block.content.start;
    for raw in block.text.split_inclusive('\n') {
        let range = offset..offset + raw.trim_end().len();
        offset += raw.len();
        if raw.trim().is_empty() {
            continue;
        }
        let source = data_line(raw.trim(), kind, range.clone()).map_err(|f| (Some(range.clone()), f))?;
        sources.push(source);
    }
    if sources.is_empty() {
        let finding = Finding::new("a figure without data lines")
            .note("each line of the body is `LISTING-ID /REGEX/`: which listing's run, and what to take from its lines");
        return Err((None, finding));
    }
    Ok(sources)
}

/// `LISTING[#N] [field="value" ...] /REGEX/`.
fn data_line(line: &str, kind: &FigureKind, range: Range<usize>) -> Result<Source, Finding> {
    let syntax =
        || Finding::new("malformed data line").label("expected `LISTING-ID [field=\"value\" ...] /REGEX/`");
    let slash = unquoted_slash(line).ok_or_else(syntax)?;
    let pattern = line[slash + 1..].strip_suffix('/').ok_or_else(syntax)?;
    let mut words =
        split_words(&line[..slash]).map_err(|e| Finding::new(format!("malformed data line: {e}")))?;
    if words.is_empty() {
        return Err(syntax());
    }
    let target = words.remove(0);
    let (listing, output) = match target.split_once('#') {
        Some((id, n)) => (id.to_string(), output_number(n)?),
        None => (target, 0),
    };
    let constants = words
        .into_iter()
        .map(|w| match w.split_once('=') {
            Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
            _ => Err(Finding::new(format!(
                "malformed field `{w}`: write `name=\"value\"`"
            ))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let regex =
        LazyRegex::parse(pattern).map_err(|e| Finding::new(format!("malformed regex: {}", one_line(&e))))?;
    for field in kind.fields() {
        let given = regex.names.iter().any(|n| n == field) || constants.iter().any(|(k, _)| k == field);
        if !given {
            return Err(
                Finding::new(format!("this data line gives no field `{field}`")).label(format!(
                    "add a group `(?<{field}>...)` to the regex, or `{field}=\"...\"` before it"
                )),
            );
        }
    }
    Ok(Source {
        listing,
        output,
        constants,
        regex,
        range,
    })
}

/// A data line's regex, checked when the chapter is read and compiled when a figure's data is
/// taken from a run: compiling every figure's regexes cost a warm `test-listings`, which draws
/// no figure, a tenth of its time.
#[derive(Debug, Clone)]
pub(crate) struct LazyRegex {
    pattern: String,
    /// Its named groups, in order.
    pub(crate) names: Vec<String>,
    compiled: std::sync::OnceLock<Result<Regex, String>>,
}

impl LazyRegex {
    /// The regex `pattern`, parsed (not compiled), or what is wrong with it.
    fn parse(pattern: &str) -> Result<LazyRegex, String> {
        let hir = regex_syntax::Parser::new()
            .parse(pattern)
            .map_err(|e| e.to_string())?;
        let mut names = Vec::new();
        capture_names(&hir, &mut names);
        Ok(LazyRegex {
            pattern: pattern.to_string(),
            names,
            compiled: std::sync::OnceLock::new(),
        })
    }

    /// The compiled regex, or why it would not compile (one too big for the regex crate's
    /// limits parses but does not compile).
    pub(crate) fn get(&self) -> Result<&Regex, String> {
        self.compiled
            .get_or_init(|| Regex::new(&self.pattern).map_err(|e| one_line(&e.to_string())))
            .as_ref()
            .map_err(Clone::clone)
    }
}

/// The names of the capture groups of `hir`, in the order they open.
fn capture_names(hir: &regex_syntax::hir::Hir, names: &mut Vec<String>) {
    use regex_syntax::hir::HirKind;
    match hir.kind() {
        HirKind::Capture(cap) => {
            if let Some(name) = &cap.name {
                names.push(name.to_string());
            }
            capture_names(&cap.sub, names);
        }
        HirKind::Repetition(rep) => capture_names(&rep.sub, names),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => {
            subs.iter().for_each(|sub| capture_names(sub, names));
        }
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => {}
    }
}

/// `#N` after a listing id: which of its output blocks, from 1.
fn output_number(n: &str) -> Result<usize, Finding> {
    match n.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n - 1),
        _ => Err(Finding::new(format!(
            "malformed output number `#{n}`: `#1` is the listing's first output block"
        ))),
    }
}

/// The first `/` outside double quotes: where the regex starts.
fn unquoted_slash(line: &str) -> Option<usize> {
    let mut quoted = false;
    for (i, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '/' if !quoted => return Some(i),
            _ => {}
        }
    }
    None
}

/// regex's messages span lines (the pattern, a caret, the reason); a finding's is one line.
fn one_line(message: &str) -> String {
    let last = message.lines().last().unwrap_or(message).trim();
    last.strip_prefix("error: ").unwrap_or(last).to_string()
}

/// A figure's attributes, looked up by name.
struct Attrs<'a>(&'a [Attr]);

impl Attrs<'_> {
    /// Unknown and repeated attributes.
    fn check(&self) -> Result<(), Finding> {
        for (i, attr) in self.0.iter().enumerate() {
            if !ATTRS.contains(&attr.key.as_str()) {
                return Err(Finding::new(format!(
                    "unknown figure attribute `{}`; known: {}",
                    attr.key,
                    ATTRS.join(", ")
                )));
            }
            if self.0[..i].iter().any(|a| a.key == attr.key) {
                return Err(Finding::new(format!("attribute `{}` given twice", attr.key)));
            }
        }
        Ok(())
    }

    fn get(&self, key: &str) -> Option<String> {
        let attr = self.0.iter().find(|a| a.key == key)?;
        attr.value.clone().filter(|v| !v.is_empty())
    }

    fn required(&self, key: &str) -> Result<String, Finding> {
        self.get(key)
            .ok_or_else(|| Finding::new(format!("a figure needs `{key}=...`")))
    }

    fn flag(&self, key: &str) -> bool {
        self.0.iter().any(|a| a.key == key)
    }
}

/// `kind=` and the attributes that kind needs.
fn kind(attrs: &Attrs) -> Result<FigureKind, Finding> {
    let kind = attrs
        .get("kind")
        .ok_or_else(|| Finding::new(format!("a figure needs `kind=...`: one of {KINDS}")))?;
    let need = |key: &str| {
        attrs
            .get(key)
            .ok_or_else(|| Finding::new(format!("a `{kind}` figure needs `{key}=FIELD`")))
    };
    Ok(match kind.as_str() {
        "line" => FigureKind::Line {
            x: need("x")?,
            y: need("y")?,
            series: attrs.get("series"),
            ideal: attrs.flag("ideal"),
        },
        "bar" => FigureKind::Bar {
            group: need("group")?,
            bar: need("bar")?,
            value: need("value")?,
            log: attrs.flag("log"),
        },
        "table" => FigureKind::Table {
            rows: need("rows")?,
            columns: need("columns")?,
            cell: need("cell")?,
        },
        "timeline" => FigureKind::Timeline {
            lane: need("lane")?,
            at: need("at")?,
            event: need("event")?,
        },
        "diagram" => FigureKind::Diagram,
        other => {
            return Err(Finding::new(format!(
                "unknown figure kind `{other}`; known: {KINDS}"
            )));
        }
    })
}
