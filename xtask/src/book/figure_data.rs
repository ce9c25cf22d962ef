//! A figure's data, taken from the recorded runs of its listings: each data line's regex over
//! the lines its run printed, each match a record, the records arranged as the kind needs.
//!
//! A mistake found here (a pattern the run never printed, a value that is not a number) is a
//! diagnostic at the data line, like every other mistake of a chapter. A listing with no
//! recorded run yet is not a mistake: the figure is [`FigureData::Missing`] and the page says
//! so.

use std::collections::HashMap;
use std::ops::Range;

use super::Book;
use super::diag::BookErrors;
use super::figure::{Figure, FigureKind, Source};
use super::finding::Finding;

/// What a figure draws.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum FigureData {
    /// No recorded run of this listing yet (`build --no-test` before any test).
    Missing {
        listing: String,
    },
    Line(Vec<Series>),
    Bar(Grid<f64>),
    Table(Grid<String>),
    Timeline(Vec<Lane>),
    Diagram,
}

/// A line of a line chart.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Series {
    pub(crate) name: String,
    pub(crate) points: Vec<(f64, f64)>,
}

/// Values by row and column, both in the order first seen: a bar chart's groups and bars, a
/// table's rows and columns.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Grid<T> {
    pub(crate) rows: Vec<String>,
    pub(crate) columns: Vec<String>,
    /// `cells[row][column]`.
    pub(crate) cells: Vec<Vec<Option<T>>>,
}

/// A thread or task of a timeline: its spans in time order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Lane {
    pub(crate) name: String,
    pub(crate) spans: Vec<Span>,
}

/// A stretch of a lane: running or waiting from `from` to `to`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Span {
    pub(crate) from: f64,
    pub(crate) to: f64,
    pub(crate) waiting: bool,
}

/// The printed lines of a listing's recorded run for one of its output blocks, if recorded.
pub(crate) type Lines<'a> = dyn Fn(&str, usize) -> Option<&'a [String]> + 'a;

/// Every figure's data, in the order of [`Book::figures`], or every mistake found.
pub(crate) fn figure_data(book: &Book, lines: &Lines<'_>) -> Result<Vec<FigureData>, BookErrors> {
    let mut errors = Vec::new();
    let mut data = Vec::new();
    for figure in &book.figures {
        let chapter = &book.chapters[figure.chapter];
        match one(figure, lines) {
            Ok(d) => data.push(d),
            Err((range, finding)) => errors.push(finding.at(chapter, range)),
        }
    }
    if errors.is_empty() {
        Ok(data)
    } else {
        Err(BookErrors(errors))
    }
}

/// A record: the fields of one matched line.
type Record = HashMap<String, String>;

/// A figure's data, or what is wrong and at which data line.
fn one(figure: &Figure, lines: &Lines<'_>) -> Result<FigureData, (Range<usize>, Finding)> {
    if figure.kind == FigureKind::Diagram {
        return Ok(FigureData::Diagram);
    }
    let mut records = Vec::new();
    for source in &figure.sources {
        let Some(printed) = lines(&source.listing, source.output) else {
            return Ok(FigureData::Missing {
                listing: source.listing.clone(),
            });
        };
        let at = |f: Finding| (source.range.clone(), f);
        let found = matches(source, printed).map_err(at)?;
        for record in &found {
            numbers(&figure.kind, record).map_err(at)?;
        }
        records.extend(found.into_iter().map(|r| (source, r)));
    }
    arrange(&figure.kind, &records).map_err(|(source, f)| (source.range.clone(), f))
}

/// The records of one data line: every printed line its regex matches.
fn matches(source: &Source, printed: &[String]) -> Result<Vec<Record>, Finding> {
    let regex = (source.regex.get()).map_err(|e| Finding::new(format!("malformed regex: {e}")))?;
    let names = &source.regex.names;
    let mut records = Vec::new();
    for line in printed {
        let Some(caps) = regex.captures(line) else {
            continue;
        };
        let mut record: Record = source.constants.iter().cloned().collect();
        for name in names {
            if let Some(m) = caps.name(name) {
                record.insert(name.to_string(), m.as_str().to_string());
            }
        }
        records.push(record);
    }
    if records.is_empty() {
        let shown: Vec<String> = printed.iter().take(6).map(|l| format!("    {l}")).collect();
        let more = if printed.len() > 6 { "\n    ..." } else { "" };
        return Err(Finding::new(format!(
            "no line of `{}`'s recorded run matches this regex",
            source.listing
        ))
        .label("the data this figure needs is not in the run")
        .note(format!("the run printed:\n{}{more}", shown.join("\n"))));
    }
    Ok(records)
}

/// Checks that a record's numeric fields are numbers.
fn numbers(kind: &FigureKind, record: &Record) -> Result<(), Finding> {
    for field in kind.numeric() {
        let value = record.get(field).map(String::as_str).unwrap_or_default();
        let Some(n) = number(value) else {
            return Err(
                Finding::new(format!("field `{field}` is `{value}`, not a number"))
                    .label("a chart's values must be numbers")
                    .note("capture only the digits: `(?<speedup>[0-9.]+)x`, not `(?<speedup>.+)`"),
            );
        };
        if matches!(kind, FigureKind::Bar { log: true, .. }) && n <= 0.0 {
            return Err(Finding::new(format!("field `{field}` is `{value}`, not above 0"))
                .label("a `log` axis has no place for zero or less"));
        }
    }
    Ok(())
}

fn number(value: &str) -> Option<f64> {
    value.trim().parse::<f64>().ok().filter(|n| n.is_finite())
}

fn field<'r>(record: &'r Record, name: &str) -> &'r str {
    record.get(name).map(String::as_str).unwrap_or_default()
}

type Placed<'a> = (&'a Source, Record);
type Misplaced<'a> = (&'a Source, Finding);

/// The records arranged as the kind draws them.
fn arrange<'a>(kind: &FigureKind, records: &[Placed<'a>]) -> Result<FigureData, Misplaced<'a>> {
    let num = |r: &Record, f: &str| number(field(r, f)).unwrap_or_default();
    Ok(match kind {
        FigureKind::Line { x, y, series, .. } => {
            let mut all: Vec<Series> = Vec::new();
            for (_, r) in records {
                let name = series.as_deref().map_or(y.as_str(), |s| field(r, s));
                let at = match all.iter().position(|s| s.name == name) {
                    Some(at) => at,
                    None => {
                        all.push(Series {
                            name: name.to_string(),
                            points: Vec::new(),
                        });
                        all.len() - 1
                    }
                };
                all[at].points.push((num(r, x), num(r, y)));
            }
            FigureData::Line(all)
        }
        FigureKind::Bar {
            group, bar, value, ..
        } => FigureData::Bar(grid(records, group, bar, |r| num(r, value))?),
        FigureKind::Table { rows, columns, cell } => {
            FigureData::Table(grid(records, rows, columns, |r| field(r, cell).to_string())?)
        }
        FigureKind::Timeline { lane, at, event } => FigureData::Timeline(lanes(records, lane, at, event)?),
        FigureKind::Diagram => FigureData::Diagram,
    })
}

/// Records as a grid; two records for one cell are a mistake (which one would be shown?).
fn grid<'a, T>(
    records: &[Placed<'a>],
    row: &str,
    column: &str,
    value: impl Fn(&Record) -> T,
) -> Result<Grid<T>, Misplaced<'a>> {
    let mut g = Grid {
        rows: Vec::new(),
        columns: Vec::new(),
        cells: Vec::new(),
    };
    for (source, r) in records {
        let (rv, cv) = (field(r, row), field(r, column));
        let ri = index_of(&mut g.rows, rv);
        let ci = index_of(&mut g.columns, cv);
        g.cells.resize_with(g.rows.len(), Vec::new);
        for cells in &mut g.cells {
            cells.resize_with(g.columns.len(), || None);
        }
        if g.cells[ri][ci].is_some() {
            let finding = Finding::new(format!("two values for `{row}` = `{rv}` and `{column}` = `{cv}`"))
                .label("this line matches a second time")
                .note("make the regex match one printed line per cell");
            return Err((source, finding));
        }
        g.cells[ri][ci] = Some(value(r));
    }
    Ok(g)
}

fn index_of(names: &mut Vec<String>, name: &str) -> usize {
    names.iter().position(|n| n == name).unwrap_or_else(|| {
        names.push(name.to_string());
        names.len() - 1
    })
}

/// Events as lanes of spans: `start` (or `resume`) opens a running span, `wait` ends it and
/// opens a waiting one, `stop` (or `end`) ends whatever is open.
fn lanes<'a>(records: &[Placed<'a>], lane: &str, at: &str, event: &str) -> Result<Vec<Lane>, Misplaced<'a>> {
    let mut lanes: Vec<Lane> = Vec::new();
    let mut open: Vec<Option<(f64, bool)>> = Vec::new();
    let mut end = f64::MIN;
    for (source, r) in records {
        let name = field(r, lane);
        let i = match lanes.iter().position(|l| l.name == name) {
            Some(i) => i,
            None => {
                lanes.push(Lane {
                    name: name.to_string(),
                    spans: Vec::new(),
                });
                open.push(None);
                lanes.len() - 1
            }
        };
        let t = number(field(r, at)).unwrap_or_default();
        let next = match field(r, event) {
            "start" | "resume" => Some(false),
            "wait" => Some(true),
            "stop" | "end" => None,
            other => {
                let finding = Finding::new(format!("unknown timeline event `{other}`"))
                    .label("an event is `start`, `wait`, `stop` (or `resume`, `end`)");
                return Err((source, finding));
            }
        };
        if let Some((from, waiting)) = open[i].take() {
            lanes[i].spans.push(Span { from, to: t, waiting });
        }
        open[i] = next.map(|waiting| (t, waiting));
        end = end.max(t);
    }
    // A lane still open at the end (a deadlock, a task never finished) runs to the last event.
    for (lane, open) in lanes.iter_mut().zip(open) {
        if let Some((from, waiting)) = open {
            lane.spans.push(Span {
                from,
                to: end,
                waiting,
            });
        }
    }
    Ok(lanes)
}
