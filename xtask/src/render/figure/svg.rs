//! The SVG every chart is made of: a canvas, linear scales with round ticks, axes, a legend.
//!
//! Elements carry classes, never colours: the chart's own `<style>` colours them through the
//! theme's variables (`theme/listings.css`, per mdBook theme, light ones as fallbacks), and
//! text takes the page's colour (`currentColor`). The ePub's files are the same SVG.

use std::fmt::Write;

use crate::render::html::escape;

/// Canvas size in SVG units; the page scales it to the text column.
pub(super) const WIDTH: f64 = 640.0;
pub(super) const HEIGHT: f64 = 340.0;

/// The plot area inside the canvas: room for tick labels left and below, a legend on top.
pub(super) const LEFT: f64 = 64.0;
pub(super) const RIGHT: f64 = WIDTH - 16.0;
pub(super) const TOP: f64 = 40.0;
pub(super) const BOTTOM: f64 = HEIGHT - 48.0;

/// How many series colours the stylesheets define; series past it reuse them.
pub(super) const COLOURS: usize = 6;
/// The width of a character of label text (13 px sans-serif), roughly: what a label needs.
pub(super) const CHAR: f64 = 7.0;

/// An SVG document being written.
pub(super) struct Svg {
    out: String,
}

impl Svg {
    /// An SVG with a text alternative for screen readers (`label`); the figure's data table
    /// follows it on the page.
    pub(super) fn new(label: &str, height: f64) -> Svg {
        let mut out = String::new();
        let _ = write!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"figure-svg\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" aria-label=\"{}\">",
            escape(label)
        );
        let _ = write!(out, "<style>{STYLE}</style>");
        Svg { out }
    }

    pub(super) fn line(&mut self, (x1, y1): (f64, f64), (x2, y2): (f64, f64), class: &str) {
        let _ = write!(
            self.out,
            "<line class=\"{class}\" x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\"/>"
        );
    }

    pub(super) fn rect(&mut self, (x, y): (f64, f64), (w, h): (f64, f64), class: &str, title: &str) {
        let _ = write!(
            self.out,
            "<rect class=\"{class}\" x=\"{x:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{:.1}\"><title>{}</title></rect>",
            w.max(0.0),
            h.max(0.0),
            escape(title)
        );
    }

    pub(super) fn polyline(&mut self, points: &[(f64, f64)], class: &str) {
        let pts: Vec<String> = points.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
        let _ = write!(
            self.out,
            "<polyline class=\"{class}\" points=\"{}\"/>",
            pts.join(" ")
        );
    }

    pub(super) fn dot(&mut self, (x, y): (f64, f64), class: &str, title: &str) {
        let _ = write!(
            self.out,
            "<circle class=\"{class}\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"4\"><title>{}</title></circle>",
            escape(title)
        );
    }

    /// Text; `anchor` is `start`, `middle` or `end`.
    pub(super) fn text(&mut self, (x, y): (f64, f64), anchor: &str, class: &str, text: &str) {
        let _ = write!(
            self.out,
            "<text class=\"{class}\" x=\"{x:.1}\" y=\"{y:.1}\" text-anchor=\"{anchor}\">{}</text>",
            escape(text)
        );
    }

    /// Text turned a quarter left, centred on `(x, y)`: a vertical axis title.
    pub(super) fn vertical_text(&mut self, (x, y): (f64, f64), text: &str) {
        let _ = write!(
            self.out,
            "<text class=\"fig-title\" transform=\"translate({x:.1},{y:.1}) rotate(-90)\" text-anchor=\"middle\">{}</text>",
            escape(text)
        );
    }

    /// A row of swatches and names along the top: which colour is which series.
    pub(super) fn legend(&mut self, names: &[String]) {
        let mut x = LEFT;
        for (i, name) in names.iter().enumerate() {
            self.rect(
                (x, 12.0),
                (12.0, 12.0),
                &format!("fig-fill-{}", i % COLOURS),
                name,
            );
            self.text((x + 17.0, 22.5), "start", "fig-label", name);
            x += 30.0 + 7.5 * name.chars().count() as f64;
        }
    }

    pub(super) fn finish(mut self) -> String {
        self.out.push_str("</svg>");
        self.out
    }
}

/// A linear map from data values to canvas coordinates.
#[derive(Debug, Clone, Copy)]
pub(super) struct Scale {
    pub(super) min: f64,
    pub(super) max: f64,
    from: f64,
    to: f64,
    /// Logarithmic: equal ratios take equal room (`min` above 0).
    log: bool,
}

impl Scale {
    /// Values `min..=max` (widened to round ticks) onto `from..=to`.
    pub(super) fn new(min: f64, max: f64, from: f64, to: f64) -> Scale {
        let (min, max) = if max > min {
            (min, max)
        } else {
            (min - 1.0, min + 1.0)
        };
        let step = step(min, max);
        Scale {
            min: (min / step).floor() * step,
            max: (max / step).ceil() * step,
            from,
            to,
            log: false,
        }
    }

    /// Values `min..=max` (above 0, widened to powers of ten) onto `from..=to`, by ratio.
    pub(super) fn log(min: f64, max: f64, from: f64, to: f64) -> Scale {
        let min = 10f64.powf(min.max(f64::MIN_POSITIVE).log10().floor());
        let max = 10f64.powf(max.max(min).log10().ceil()).max(min * 10.0);
        Scale {
            min,
            max,
            from,
            to,
            log: true,
        }
    }

    pub(super) fn at(&self, v: f64) -> f64 {
        let (v, min, max) = if self.log {
            (v.max(self.min).ln(), self.min.ln(), self.max.ln())
        } else {
            (v, self.min, self.max)
        };
        self.from + (v - min) / (max - min) * (self.to - self.from)
    }

    /// Round values from `min` to `max`, about five of them: 1, 2 and 5 times each power of
    /// ten on a logarithmic scale.
    pub(super) fn ticks(&self) -> Vec<f64> {
        if self.log {
            let mut ticks = Vec::new();
            let mut decade = self.min;
            while decade < self.max * 1.0001 {
                ticks.extend(
                    [1.0, 2.0, 5.0]
                        .map(|k| k * decade)
                        .into_iter()
                        .filter(|t| *t <= self.max * 1.0001),
                );
                decade *= 10.0;
            }
            return ticks;
        }
        let step = step(self.min, self.max);
        let mut ticks = Vec::new();
        let mut v = self.min;
        while v <= self.max + step / 1e6 {
            ticks.push(if v.abs() < step / 1e6 { 0.0 } else { v });
            v += step;
        }
        ticks
    }
}

/// A round step (1, 2 or 5 times a power of ten) giving about five ticks over `min..max`.
fn step(min: f64, max: f64) -> f64 {
    let raw = (max - min) / 5.0;
    let power = 10f64.powf(raw.log10().floor());
    let unit = raw / power;
    let nice = if unit <= 1.0 {
        1.0
    } else if unit <= 2.0 {
        2.0
    } else if unit <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * power
}

/// A number as a tick label or in a data table: no trailing zeros.
pub(super) fn number(v: f64) -> String {
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".to_string() } else { s.to_string() }
}

/// The vertical axis: grid lines at the ticks, their labels, the title.
pub(super) fn y_axis(svg: &mut Svg, y: &Scale, title: &str) {
    for t in y.ticks() {
        let at = y.at(t);
        svg.line((LEFT, at), (RIGHT, at), "fig-grid");
        svg.text((LEFT - 8.0, at + 4.0), "end", "fig-label", &number(t));
    }
    svg.line((LEFT, TOP), (LEFT, BOTTOM), "fig-axis");
    svg.vertical_text((16.0, (TOP + BOTTOM) / 2.0), title);
}

/// The horizontal axis line and its title, along the bottom of a chart `height` tall.
pub(super) fn x_axis(svg: &mut Svg, title: &str, height: f64) {
    svg.line((LEFT, BOTTOM), (RIGHT, BOTTOM), "fig-axis");
    svg.text(((LEFT + RIGHT) / 2.0, height - 8.0), "middle", "fig-title", title);
}

/// How a chart's parts look, carried by every chart so that it reads without the site's
/// stylesheet (the ePub, a book without our theme). Colours come from the theme's variables
/// (`theme/listings.css` sets them for each of mdBook's five themes); the fallbacks are the
/// light theme's. Every selector is under `.figure-svg`, as the style applies to the page.
const STYLE: &str = ".figure-svg .fig-label,.figure-svg .fig-title{fill:currentColor;font:13px sans-serif}\
.figure-svg .fig-title{font-weight:bold}\
.figure-svg .fig-axis{stroke:currentColor;stroke-width:1.5}\
.figure-svg .fig-grid{stroke:var(--fig-grid,#d9dcdf);stroke-width:1}\
.figure-svg .fig-ideal{stroke:var(--fig-muted,#6b6b6b);stroke-width:1.5;stroke-dasharray:6 4;fill:none}\
.figure-svg .fig-wait{fill:none;stroke:var(--fig-muted,#6b6b6b);stroke-width:1.5;stroke-dasharray:4 3}\
.figure-svg polyline{fill:none;stroke-width:2.5}\
.figure-svg .fig-line-0{stroke:var(--fig-0,#1f63a8)}.figure-svg .fig-fill-0{fill:var(--fig-0,#1f63a8)}\
.figure-svg .fig-line-1{stroke:var(--fig-1,#b7410e)}.figure-svg .fig-fill-1{fill:var(--fig-1,#b7410e)}\
.figure-svg .fig-line-2{stroke:var(--fig-2,#2e7d32)}.figure-svg .fig-fill-2{fill:var(--fig-2,#2e7d32)}\
.figure-svg .fig-line-3{stroke:var(--fig-3,#7b3fa0)}.figure-svg .fig-fill-3{fill:var(--fig-3,#7b3fa0)}\
.figure-svg .fig-line-4{stroke:var(--fig-4,#8a6d00)}.figure-svg .fig-fill-4{fill:var(--fig-4,#8a6d00)}\
.figure-svg .fig-line-5{stroke:var(--fig-5,#00707a)}.figure-svg .fig-fill-5{fill:var(--fig-5,#00707a)}";

/// An inline SVG made a file of its own (the ePub's): the XML declaration before it.
pub(super) fn standalone(svg: &str) -> String {
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{svg}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_data() {
        let s = Scale::new(0.0, 3.7, 0.0, 100.0);
        assert_eq!(s.ticks(), vec![0.0, 1.0, 2.0, 3.0, 4.0]);
        let s = Scale::new(1.0, 8.0, 0.0, 100.0);
        assert_eq!((s.min, s.max), (0.0, 8.0));
        let s = Scale::log(1.3, 48.0, 0.0, 100.0);
        assert_eq!(s.ticks(), vec![1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0]);
        assert_eq!(s.at(10.0), 50.0);
        assert_eq!(number(2.50), "2.5");
        assert_eq!(number(3.0), "3");
    }
}
