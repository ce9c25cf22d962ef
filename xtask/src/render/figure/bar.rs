//! A grouped bar chart: one cluster per group (a workload), one bar per series in it (a
//! model), a shared value axis from zero.

use super::svg::{BOTTOM, CHAR, COLOURS, HEIGHT, LEFT, RIGHT, Scale, Svg, TOP, number, x_axis, y_axis};
use crate::book::Grid;

/// The height of a line of label text.
const LINE: f64 = 15.0;

/// A group's name in at most two lines that fit a slot `slot` wide, split between words.
fn wrap(name: &str, slot: f64) -> Vec<String> {
    let fits = (slot * 0.95 / CHAR) as usize;
    if name.chars().count() <= fits {
        return vec![name.to_string()];
    }
    let words: Vec<&str> = name.split(' ').collect();
    // The split that leaves the longer line shortest.
    let best = (1..words.len()).min_by_key(|&i| words[..i].join(" ").len().max(words[i..].join(" ").len()));
    match best {
        Some(i) => vec![words[..i].join(" "), words[i..].join(" ")],
        None => vec![name.to_string()],
    }
}

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
    let groups = grid.rows.len().max(1) as f64;
    let slot = (RIGHT - LEFT) / groups;
    // A group name wider than its slot goes on two lines, and the chart grows to make room.
    let names: Vec<Vec<String>> = grid.rows.iter().map(|n| wrap(n, slot)).collect();
    let height = if names.iter().any(|n| n.len() > 1) {
        HEIGHT + LINE
    } else {
        HEIGHT
    };
    let mut svg = Svg::new(label, height);
    y_axis(&mut svg, &y, y_title);
    let bars = grid.columns.len().max(1) as f64;
    let width = slot * 0.8 / bars;
    for (g, (name, lines)) in grid.rows.iter().zip(&names).enumerate() {
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
        for (l, line) in lines.iter().enumerate() {
            let at = (start + slot * 0.4, BOTTOM + 19.0 + LINE * l as f64);
            svg.text(at, "middle", "fig-label", line);
        }
    }
    x_axis(&mut svg, x_title, height);
    svg.legend(&grid.columns);
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn long_group_names_wrap_between_words_and_short_ones_stay() {
        assert_eq!(wrap("idle", 112.0), ["idle"]);
        assert_eq!(
            wrap("rayon, answer by oneshot", 112.0),
            ["rayon, answer", "by oneshot"]
        );
        assert_eq!(
            wrap("unbreakable_long_identifier_name", 60.0),
            ["unbreakable_long_identifier_name"]
        );
    }
}
