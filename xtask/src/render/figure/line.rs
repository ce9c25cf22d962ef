//! A line chart: one polyline per series over a shared x axis, dots at the measured points,
//! and on request the ideal diagonal (y proportional to x through the first point: perfect
//! scaling).

use super::svg::{BOTTOM, COLOURS, HEIGHT, LEFT, RIGHT, Scale, Svg, TOP, number, x_axis, y_axis};
use crate::book::Series;

/// What a line chart needs besides its data.
pub(super) struct LineChart<'a> {
    pub(super) label: &'a str,
    pub(super) x_title: &'a str,
    pub(super) y_title: &'a str,
    pub(super) ideal: bool,
}

/// The chart as SVG.
pub(super) fn draw(chart: &LineChart, series: &[Series]) -> String {
    let points = series.iter().flat_map(|s| s.points.iter().copied());
    let (mut xs, mut ys): (Vec<f64>, Vec<f64>) = points.unzip();
    let ideal = chart.ideal.then(|| ideal_line(series, &xs)).flatten();
    if let Some(line) = &ideal {
        ys.extend(line.iter().map(|p| p.1));
    }
    xs.push(0.0);
    ys.push(0.0);
    let x = Scale::new(fold(&xs, f64::min), fold(&xs, f64::max), LEFT, RIGHT);
    let y = Scale::new(fold(&ys, f64::min), fold(&ys, f64::max), BOTTOM, TOP);
    let mut svg = Svg::new(chart.label, HEIGHT);
    y_axis(&mut svg, &y, chart.y_title);
    for t in x.ticks() {
        svg.line((x.at(t), BOTTOM), (x.at(t), BOTTOM + 5.0), "fig-axis");
        svg.text((x.at(t), BOTTOM + 19.0), "middle", "fig-label", &number(t));
    }
    x_axis(&mut svg, chart.x_title, HEIGHT);
    let place = |(px, py): (f64, f64)| (x.at(px), y.at(py));
    if let Some(line) = &ideal {
        let line: Vec<_> = line.iter().copied().map(place).collect();
        svg.polyline(&line, "fig-ideal");
    }
    for (i, s) in series.iter().enumerate() {
        let colour = i % COLOURS;
        let line: Vec<_> = s.points.iter().copied().map(place).collect();
        svg.polyline(&line, &format!("fig-line-{colour}"));
        for &(px, py) in &s.points {
            let title = format!(
                "{}: {} {}, {} {}",
                s.name,
                chart.x_title,
                number(px),
                chart.y_title,
                number(py)
            );
            svg.dot(place((px, py)), &format!("fig-fill-{colour}"), &title);
        }
    }
    let mut names: Vec<String> = series.iter().map(|s| s.name.clone()).collect();
    if ideal.is_some() {
        names.push("ideal".to_string());
    }
    legend(&mut svg, &names, ideal.is_some());
    svg.finish()
}

/// The series' legend, with a dashed sample for the ideal line.
fn legend(svg: &mut Svg, names: &[String], ideal: bool) {
    let (series, rest) = names.split_at(names.len() - usize::from(ideal));
    svg.legend(series);
    if !rest.is_empty() {
        let x = RIGHT - 70.0;
        svg.line((x, 18.0), (x + 22.0, 18.0), "fig-ideal");
        svg.text((x + 27.0, 22.5), "start", "fig-label", "ideal");
    }
}

/// y = x · (y₀ / x₀) through the first point of the first series, over the x range.
fn ideal_line(series: &[Series], xs: &[f64]) -> Option<Vec<(f64, f64)>> {
    let &(x0, y0) = series.first()?.points.first()?;
    if x0 == 0.0 {
        return None;
    }
    let k = y0 / x0;
    let (lo, hi) = (fold(xs, f64::min), fold(xs, f64::max));
    Some(vec![(lo, lo * k), (hi, hi * k)])
}

fn fold(values: &[f64], f: fn(f64, f64) -> f64) -> f64 {
    values.iter().copied().reduce(f).unwrap_or(0.0)
}
