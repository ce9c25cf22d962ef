//! A grouped bar chart: one cluster per group (a workload), one bar per series in it (a
//! model), a shared value axis from zero.

use super::svg::{BOTTOM, COLOURS, HEIGHT, LEFT, RIGHT, Scale, Svg, TOP, number, x_axis, y_axis};
use crate::book::Grid;

/// The chart as SVG; `rows` are the groups, `columns` the bars of each.
/// On a `log` axis, bars rise from its bottom, the power of ten below the smallest value.
pub(super) fn draw(label: &str, x_title: &str, y_title: &str, grid: &Grid<f64>, log: bool) -> String {
    let values: Vec<f64> = grid.cells.iter().flatten().flatten().copied().collect();
    let max = values.iter().copied().fold(0.0, f64::max);
    let y = if log {
        Scale::log(values.iter().copied().fold(f64::MAX, f64::min), max, BOTTOM, TOP)
    } else {
        Scale::new(0.0, max, BOTTOM, TOP)
    };
    let mut svg = Svg::new(label, HEIGHT);
    y_axis(&mut svg, &y, y_title);
    let groups = grid.rows.len().max(1) as f64;
    let slot = (RIGHT - LEFT) / groups;
    let bars = grid.columns.len().max(1) as f64;
    let width = slot * 0.8 / bars;
    for (g, name) in grid.rows.iter().enumerate() {
        let start = LEFT + slot * g as f64 + slot * 0.1;
        for (b, value) in grid.cells[g].iter().enumerate() {
            let Some(value) = value else { continue };
            let top = y.at(*value);
            let title = format!("{name}, {}: {}", grid.columns[b], number(*value));
            let class = format!("fig-fill-{}", b % COLOURS);
            svg.rect(
                (start + width * b as f64, top),
                (width - 2.0, BOTTOM - top),
                &class,
                &title,
            );
        }
        svg.text((start + slot * 0.4, BOTTOM + 19.0), "middle", "fig-label", name);
    }
    x_axis(&mut svg, x_title);
    svg.legend(&grid.columns);
    svg.finish()
}
