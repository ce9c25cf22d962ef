//! Arrivals: when printed lines came, against the lower bounds an output block sets
//! (`[after 500ms]`, `[after +200ms]`).
//!
//! Only lower bounds, and only what is sure on a loaded machine. A line is read some time
//! after it was printed, so "read at t" proves "printed by t" and a bound since the start
//! checks the read time. A gap is checked from the earliest moment the line before could
//! have been printed (the engine's read before the one that brought it had not seen it):
//! a late read of either line never makes a gap look shorter than it was.

use std::time::Duration;

use crate::book::pattern::{Arrival, Expected, Line};
use crate::listings::matcher::Op;

/// Checks the arrival bounds of a block that matched, with `ops` its alignment and
/// `arrivals` the (earliest, read) times of the printed lines. The error says which line
/// came too early.
pub(crate) fn check(
    expected: &Expected,
    ops: &[Op],
    arrivals: &[(Duration, Duration)],
) -> Result<(), String> {
    let printed_of = |i: usize| {
        ops.iter().find_map(|op| match op {
            Op::Same(e, j) if *e == i => Some(*j),
            _ => None,
        })
    };
    for &(i, bound) in &expected.arrivals {
        let Some(j) = printed_of(i) else { continue };
        let Some(&(_, read)) = arrivals.get(j) else {
            continue;
        };
        let line = expected.lines[i].as_written();
        match bound {
            Arrival::SinceStart(d) if read < d => {
                return Err(format!(
                    "printed `{line}` {} after it started, before its `[after {}]`",
                    secs(read),
                    secs(d)
                ));
            }
            Arrival::SincePrevious(d) => {
                let previous = (0..i)
                    .rev()
                    .find(|&k| matches!(expected.lines[k], Line::Literal(_) | Line::Pattern(..)))
                    .and_then(printed_of)
                    .and_then(|k| arrivals.get(k));
                if let Some(&(earliest, _)) = previous
                    && read.saturating_sub(earliest) < d
                {
                    return Err(format!(
                        "printed `{line}` at most {} after the line before it, before its `[after +{}]`",
                        secs(read.saturating_sub(earliest)),
                        secs(d)
                    ));
                }
            }
            Arrival::SinceStart(_) => {}
        }
    }
    Ok(())
}

fn secs(d: Duration) -> String {
    format!("{:.3}s", d.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::book::Order;
    use crate::listings::matcher::compare;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn verdict(block: &str, printed: &[&str], arrivals: &[(u64, u64)]) -> Result<(), String> {
        let e = Expected::parse(block).unwrap();
        let printed: Vec<String> = printed.iter().map(|s| s.to_string()).collect();
        let c = compare(&e, &printed, Order::Listed);
        assert!(c.matched);
        let arrivals: Vec<_> = arrivals.iter().map(|&(a, b)| (ms(a), ms(b))).collect();
        check(&e, &c.ops, &arrivals)
    }

    #[test]
    fn a_line_cannot_come_before_its_sleep_ends() {
        let block = "start\ndone [after 500ms]\n";
        assert!(verdict(block, &["start", "done"], &[(0, 1), (1, 520)]).is_ok());
        assert!(
            verdict(block, &["start", "done"], &[(0, 1), (1, 3000)]).is_ok(),
            "late is fine"
        );
        let early = verdict(block, &["start", "done"], &[(0, 1), (1, 120)]).unwrap_err();
        assert!(
            early.contains("printed `done` 0.120s after it started, before its `[after 0.500s]`"),
            "{early}"
        );
    }

    #[test]
    fn gaps_are_measured_from_the_earliest_the_line_before_could_have_come() {
        let block = "tick 1\ntick 2 [after +200ms]\n";
        assert!(verdict(block, &["tick 1", "tick 2"], &[(0, 5), (5, 210)]).is_ok());
        // Both lines read together, late: the first could have come at 0, so a gap of 300ms
        // is possible and the check passes.
        assert!(verdict(block, &["tick 1", "tick 2"], &[(0, 300), (0, 300)]).is_ok());
        // Read together soon after an earlier read: they came within 50ms of each other.
        let close = verdict(block, &["tick 1", "tick 2"], &[(250, 300), (250, 300)]).unwrap_err();
        assert!(
            close.contains("at most 0.050s after the line before it"),
            "{close}"
        );
    }

    #[test]
    fn bounds_are_written_back_as_they_were_and_are_not_part_of_the_line() {
        let e = Expected::parse("a [after 2s]\nb [N] [after +150ms]\n").unwrap();
        assert_eq!(e.lines[0].as_written(), "a");
        assert_eq!(e.written(0), "a [after 2s]");
        assert_eq!(e.written(1), "b [N] [after +150ms]");
        assert!(e.lines[1].matches("b 7"));
        for bad in [
            "a [after soon]\n",
            "a [after 0ms]\n",
            "[any order]\na\n[end] [after 1s]\n",
        ] {
            assert!(Expected::parse(bad).is_err(), "{bad}");
        }
    }
}
