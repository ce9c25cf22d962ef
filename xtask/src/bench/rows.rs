//! The table `cargo xtask bench` prints: one row per measurement, against its reference and
//! target, and the medians and ratios the rows are made of.

use std::fmt::Write as _;
use std::time::Duration;

use super::BenchOptions;

/// One row of the table.
pub(super) struct Row {
    name: String,
    ours: Duration,
    reference: Option<(String, Duration)>,
    target: String,
    /// Whether the target was met; `None` for a row that is only reported.
    pub(super) met: Option<bool>,
}

impl Row {
    /// A row whose target is a ratio to its reference: met when ours / reference <= `limit`.
    pub(super) fn within(name: String, ours: Duration, reference: (String, Duration), limit: f64) -> Row {
        Row {
            name,
            ours,
            met: Some(ratio(ours, reference.1) <= limit),
            reference: Some(reference),
            target: format!("<= {limit}x"),
        }
    }

    /// A row measured against a reference and reported, with no target.
    pub(super) fn reported(name: String, ours: Duration, reference: (String, Duration)) -> Row {
        Row {
            name,
            ours,
            reference: Some(reference),
            target: "(reported)".into(),
            met: None,
        }
    }

    /// A row with no reference, met when ours is under `limit`.
    pub(super) fn under(name: String, ours: Duration, limit: Duration, target: &str) -> Row {
        Row {
            name,
            ours,
            reference: None,
            target: target.into(),
            met: Some(ours < limit),
        }
    }
}

/// The median of some times (zero for none).
pub(super) fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    if v.is_empty() {
        return Duration::ZERO;
    }
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2
    }
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-9)
}

/// Seconds, with the precision a reader needs: milliseconds under ten seconds.
pub(super) fn secs(d: Duration) -> String {
    if d < Duration::from_secs(10) {
        format!("{:.3} s", d.as_secs_f64())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// The table of `rows` in Markdown, with `notes` after it.
pub(super) fn table(rows: &[Row], notes: &[String], opts: &BenchOptions) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "\nMedians of {} runs ({} for cold rows), on {} CPUs; ratios are ours / reference, measured in the same run.\n",
        opts.runs,
        opts.cold_runs,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let _ = writeln!(t, "| measurement | ours | reference | ratio | target | met |");
    let _ = writeln!(t, "| --- | ---: | --- | ---: | --- | --- |");
    for r in rows {
        let (reference, ratio_text) = match &r.reference {
            Some((what, d)) => (
                format!("{} ({what})", secs(*d)),
                format!("{:.2}x", ratio(r.ours, *d)),
            ),
            None => ("".into(), "".into()),
        };
        let met = match r.met {
            Some(true) => "yes",
            Some(false) => "NO",
            None => "",
        };
        let _ = writeln!(
            t,
            "| {} | {} | {reference} | {ratio_text} | {} | {met} |",
            r.name,
            secs(r.ours),
            r.target
        );
    }
    for n in notes {
        let _ = writeln!(t, "\n{n}");
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians() {
        let ms = |v: &[u64]| v.iter().map(|&m| Duration::from_millis(m)).collect::<Vec<_>>();
        assert_eq!(median(ms(&[3, 1, 2])), Duration::from_millis(2));
        assert_eq!(median(ms(&[4, 1, 3, 2])), Duration::from_micros(2500));
    }
}
