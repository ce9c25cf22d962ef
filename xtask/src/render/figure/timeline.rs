//! A timeline: one lane per thread or task, a filled bar while it runs, a dashed outline
//! while it waits, time along the bottom. Sequential work is one long lane; threads are lanes
//! side by side; an executor shows tasks taking turns; a deadlock, lanes that wait to the end.

use super::svg::{CHAR, COLOURS, LEFT, RIGHT, Scale, Svg, number};
use crate::book::Lane;

/// Height of one lane, and the space above the first one and below the last.
const LANE: f64 = 34.0;
const TOP: f64 = 36.0;
const FOOT: f64 = 48.0;

/// The lanes as SVG.
pub(super) fn draw(label: &str, x_title: &str, lanes: &[Lane]) -> String {
    let ends = lanes.iter().flat_map(|l| l.spans.iter().map(|s| s.to));
    let end = ends.fold(0.0, f64::max);
    // The lane names sit left of the lanes, so the lanes start after the longest one and
    // never cut a name off.
    let longest = lanes.iter().map(|l| l.name.chars().count()).max().unwrap_or(0);
    let left = (LEFT + 40.0).max(16.0 + CHAR * longest as f64);
    let x = Scale::new(0.0, end, left, RIGHT);
    let height = TOP + LANE * lanes.len() as f64 + FOOT;
    let bottom = TOP + LANE * lanes.len() as f64;
    let mut svg = Svg::new(label, height);
    for t in x.ticks() {
        svg.line((x.at(t), TOP - 6.0), (x.at(t), bottom), "fig-grid");
        svg.text((x.at(t), bottom + 18.0), "middle", "fig-label", &number(t));
    }
    for (i, lane) in lanes.iter().enumerate() {
        let top = TOP + LANE * i as f64;
        svg.text(
            (left - 8.0, top + LANE / 2.0 + 4.0),
            "end",
            "fig-label",
            &lane.name,
        );
        for span in &lane.spans {
            let (from, to) = (x.at(span.from), x.at(span.to));
            let state = if span.waiting { "waits" } else { "runs" };
            let title = format!(
                "{} {state} from {} to {}",
                lane.name,
                number(span.from),
                number(span.to)
            );
            let class = if span.waiting {
                "fig-wait".to_string()
            } else {
                format!("fig-fill-{}", i % COLOURS)
            };
            svg.rect(
                (from, top + 7.0),
                ((to - from).max(1.5), LANE - 14.0),
                &class,
                &title,
            );
        }
    }
    // What filled and outlined mean, along the top.
    svg.rect((left, 10.0), (22.0, 12.0), "fig-fill-0", "running");
    svg.text((left + 28.0, 20.5), "start", "fig-label", "running");
    svg.rect((left + 100.0, 10.0), (22.0, 12.0), "fig-wait", "waiting");
    svg.text((left + 128.0, 20.5), "start", "fig-label", "waiting");
    svg.line((left, bottom), (RIGHT, bottom), "fig-axis");
    svg.text(
        ((left + RIGHT) / 2.0, height - 8.0),
        "middle",
        "fig-title",
        x_title,
    );
    svg.finish()
}
