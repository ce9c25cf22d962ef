//! Figures drawn at build time: charts from the listings' recorded runs (one file per kind)
//! and diagrams from ASCII art, as SVG, each with a text alternative (its data as a table, or
//! the art as text). The markup ([`super::markup`]) places them under their captions.
//!
//! Drawn here rather than with plotters: plotters lays out text through a font backend
//! (system fonts through font-kit, or a bundled font) and writes fixed colours into every
//! element, while these charts (axes, lines, bars, lanes) need neither: our SVG carries class
//! names, which the site's five themes colour through their stylesheet, and the ePub's files
//! get the light colours in a `<style>` of their own.

mod bar;
mod diagram;
mod line;
mod svg;
mod timeline;

use std::fmt::Write;

use crate::book::{Book, Figure, FigureData, FigureKind, Grid};
use crate::render::html::escape;

/// A figure ready to be placed.
#[derive(Debug, Clone, Default)]
pub(crate) struct Drawing {
    /// The picture, as inline SVG; none for a table, or without data.
    pub(crate) svg: Option<String>,
    /// HTML that says what the picture shows: a chart's data as a table, a diagram's art. A
    /// table figure's body is its table.
    pub(crate) text: Option<String>,
    /// The listing whose run is not recorded yet, when that is why there is no picture.
    pub(crate) missing: Option<String>,
    /// One sentence for `aria-label` and `alt`.
    pub(crate) alt: String,
}

/// Diagrams drawn by earlier builds, as SVG: svgbob takes most of a figure's time, and the
/// art rarely changes.
pub(crate) type Cache = crate::util::disk_cache::DiskCache<String>;

/// Every figure of the book drawn from its data (in the order of [`Book::figures`]), on
/// every core, diagrams through `cache` when there is one.
pub(crate) fn draw_all(book: &Book, data: &[FigureData], cache: Option<&Cache>) -> Vec<Drawing> {
    use rayon::prelude::*;
    book.figures
        .par_iter()
        .zip(data)
        .map(|(f, d)| draw(f, d, cache))
        .collect()
}

/// Where a figure's SVG file goes in the ePub, relative to its chapters.
pub(crate) fn epub_file(figure: &Figure) -> String {
    format!("figures/{}.svg", figure.id)
}

/// An inline SVG made a standalone file (the ePub's), coloured as the light theme.
pub(crate) fn standalone(svg: &str) -> String {
    svg::standalone(svg)
}

fn draw(figure: &Figure, data: &FigureData, cache: Option<&Cache>) -> Drawing {
    let alt = format!("{}. {}", figure.caption, summary(data));
    let mut drawing = Drawing {
        alt: alt.clone(),
        ..Drawing::default()
    };
    let x_title = figure.x_label.clone().unwrap_or_else(|| role(&figure.kind, 0));
    let y_title = figure.y_label.clone().unwrap_or_else(|| role(&figure.kind, 1));
    match (data, &figure.kind) {
        (FigureData::Missing { listing }, _) => drawing.missing = Some(listing.clone()),
        (FigureData::Line(series), FigureKind::Line { ideal, .. }) => {
            let chart = line::LineChart {
                label: &alt,
                x_title: &x_title,
                y_title: &y_title,
                ideal: *ideal,
            };
            drawing.svg = Some(line::draw(&chart, series));
            drawing.text = Some(series_table(&x_title, &y_title, series));
        }
        (FigureData::Bar(grid), FigureKind::Bar { log, .. }) => {
            drawing.svg = Some(bar::draw(&alt, &x_title, &y_title, grid, *log));
            drawing.text = Some(grid_table(&x_title, grid, |v| svg::number(*v)));
        }
        (FigureData::Table(grid), FigureKind::Table { rows, .. }) => {
            drawing.text = Some(grid_table(rows, grid, |s: &String| s.clone()));
        }
        (FigureData::Timeline(lanes), _) => {
            drawing.svg = Some(timeline::draw(&alt, &x_title, lanes));
            drawing.text = Some(lanes_table(&x_title, lanes));
        }
        (FigureData::Diagram, _) => {
            let id = format!("figure-{}", figure.id);
            let draw = || diagram::draw(&id, &alt, &figure.art);
            drawing.svg = Some(match cache {
                Some(cache) => cache.get_or(cache.key((&id, &alt, &figure.art)), draw),
                None => draw(),
            });
            drawing.text = Some(format!(
                "<pre class=\"figure-art\">{}</pre>",
                escape(figure.art.trim_end())
            ));
        }
        _ => {}
    }
    drawing
}

/// The default axis titles: the fields that play the part.
fn role(kind: &FigureKind, axis: usize) -> String {
    let name = match (kind, axis) {
        (FigureKind::Line { x, .. }, 0) => x,
        (FigureKind::Line { y, .. }, _) => y,
        (FigureKind::Bar { group, .. }, 0) => group,
        (FigureKind::Bar { value, .. }, _) => value,
        (FigureKind::Timeline { at, .. }, _) => at,
        (FigureKind::Table { rows, .. }, _) => rows,
        (FigureKind::Diagram, _) => return String::new(),
    };
    name.clone()
}

/// What a screen reader says after the caption.
fn summary(data: &FigureData) -> String {
    match data {
        FigureData::Missing { .. } => "Not drawn: no recorded run yet.".to_string(),
        FigureData::Line(series) => format!(
            "A line chart of {} series; its data follows as a table.",
            series.len()
        ),
        FigureData::Bar(g) => format!(
            "A bar chart: {} groups of {} bars; its data follows as a table.",
            g.rows.len(),
            g.columns.len()
        ),
        FigureData::Table(_) => String::new(),
        FigureData::Timeline(lanes) => format!(
            "A timeline of {} lanes: filled while running, outlined while waiting; its events follow as a table.",
            lanes.len()
        ),
        FigureData::Diagram => "A diagram; it follows as text.".to_string(),
    }
}

/// A table of rows and columns, the corner cell titled `corner`.
fn grid_table<T>(corner: &str, grid: &Grid<T>, show: impl Fn(&T) -> String) -> String {
    let mut html = format!(
        "<table class=\"figure-table\">\n<thead><tr><th>{}</th>",
        escape(corner)
    );
    for c in &grid.columns {
        let _ = write!(html, "<th>{}</th>", escape(c));
    }
    html.push_str("</tr></thead>\n<tbody>\n");
    for (r, row) in grid.rows.iter().enumerate() {
        let _ = write!(html, "<tr><th>{}</th>", escape(row));
        for cell in &grid.cells[r] {
            let _ = write!(
                html,
                "<td>{}</td>",
                cell.as_ref().map(&show).map(|s| escape(&s)).unwrap_or_default()
            );
        }
        html.push_str("</tr>\n");
    }
    html.push_str("</tbody>\n</table>");
    html
}

/// A line chart's points: one row per x, one column per series.
fn series_table(x: &str, y: &str, series: &[crate::book::Series]) -> String {
    let mut grid = Grid {
        rows: Vec::new(),
        columns: series.iter().map(|s| s.name.clone()).collect(),
        cells: Vec::new(),
    };
    for (c, s) in series.iter().enumerate() {
        for &(px, py) in &s.points {
            let key = svg::number(px);
            let r = grid.rows.iter().position(|r| *r == key).unwrap_or_else(|| {
                grid.rows.push(key);
                grid.cells.push(vec![None; series.len()]);
                grid.rows.len() - 1
            });
            grid.cells[r][c] = Some(py);
        }
    }
    if series.len() == 1 {
        grid.columns = vec![y.to_string()];
    }
    grid_table(x, &grid, |v| svg::number(*v))
}

/// A timeline's spans: one row each.
fn lanes_table(at: &str, lanes: &[crate::book::Lane]) -> String {
    let mut html = format!(
        "<table class=\"figure-table\">\n<thead><tr><th>lane</th><th>state</th><th>from ({a})</th><th>to ({a})</th></tr></thead>\n<tbody>\n",
        a = escape(at)
    );
    for lane in lanes {
        for s in &lane.spans {
            let _ = writeln!(
                html,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&lane.name),
                if s.waiting { "waiting" } else { "running" },
                svg::number(s.from),
                svg::number(s.to)
            );
        }
    }
    html.push_str("</tbody>\n</table>");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diagram(art: &str) -> Figure {
        Figure {
            id: "pipe".into(),
            chapter: 0,
            line: 1,
            number: 1,
            caption: "A pipe".into(),
            kind: FigureKind::Diagram,
            x_label: None,
            y_label: None,
            sources: Vec::new(),
            art: art.into(),
        }
    }

    #[test]
    fn a_diagram_drawn_once_is_served_from_the_cache_until_its_art_changes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("figures.json");
        let figure = diagram("+--+    \n|  |--->\n+--+    \n");
        let first = Cache::open(path.clone());
        let drawn = draw(&figure, &FigureData::Diagram, Some(&first)).svg.unwrap();
        assert!(drawn.contains("<svg"), "{drawn}");
        first.save().unwrap();

        // Drawing again gives the same SVG: only an entry svgbob never makes shows that the
        // picture came from the file.
        let mut entries: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let entry = entries.as_object_mut().unwrap().values_mut().next().unwrap();
        *entry = serde_json::json!("<svg>doctored</svg>");
        std::fs::write(&path, serde_json::to_vec(&entries).unwrap()).unwrap();
        let second = Cache::open(path);
        let served = draw(&figure, &FigureData::Diagram, Some(&second)).svg.unwrap();
        assert_eq!(served, "<svg>doctored</svg>");
        let changed = draw(&diagram("+--+\n"), &FigureData::Diagram, Some(&second))
            .svg
            .unwrap();
        assert!(
            changed.contains("<svg") && !changed.contains("doctored"),
            "{changed}"
        );
    }
}
