//! Match: what a run printed against what its output block expects.
//!
//! Expected lines are literal except for the contract's patterns (`[..]`, `[N]`, `[ELAPSED]`,
//! `[ADDR]`, and `...` alone on a line). A mismatch is explained by an alignment of expected
//! and printed lines, which is also what bless rewrites from: lines that matched keep their
//! patterns, only the rest changes.

use super::fit::{self, augment};
use crate::book::Order;
use crate::book::pattern::{Expected, Line};

/// How a printed output relates to an expected one.
#[derive(Debug)]
pub(crate) struct Comparison {
    pub(crate) matched: bool,
    /// Expected and printed lines side by side: what a failure shows and bless rewrites from.
    pub(crate) ops: Vec<Op>,
}

/// One step of an alignment.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Op {
    /// Expected line `.0` matched printed line `.1`.
    Same(usize, usize),
    /// A `...` line (`.0`) took printed lines `.1` (possibly none).
    Skipped(usize, std::ops::Range<usize>),
    /// Expected line with no printed counterpart.
    Missing(usize),
    /// Printed line that nothing expected.
    Extra(usize),
    /// A line of the block that opens or closes a section (`[any order]`, `[end]`): it
    /// stands for no printed line.
    Marker(usize),
}

/// Above this many expected×printed cells an alignment is not computed line by line; the
/// failure shows a plain text diff instead. Book outputs are far below it.
const ALIGN_LIMIT: usize = 4_000_000;

/// Compares printed lines (already normalised) with an expectation.
pub(crate) fn compare(expected: &Expected, printed: &[String], order: Order) -> Comparison {
    if expected.has_sections() {
        compare_sections(expected, printed)
    } else if order == Order::Any {
        compare_unordered(expected, printed)
    } else {
        compare_ordered(expected, printed)
    }
}

/// A block with sections: the verdict and, when it matched, the ops from the fit; when it
/// did not, the ops of an ordered alignment of its lines (sections read as plain lines),
/// which shows what differs and keeps the section lines for bless.
fn compare_sections(expected: &Expected, printed: &[String]) -> Comparison {
    let Some(fit) = fit::fit(expected, printed) else {
        let exp = &expected.lines;
        let ops = if exp.len().saturating_mul(printed.len() + 1) > ALIGN_LIMIT {
            (0..exp.len())
                .map(Op::Missing)
                .chain((0..printed.len()).map(Op::Extra))
                .collect()
        } else {
            align(exp, printed)
        };
        return Comparison { matched: false, ops };
    };
    // In printed order; each section's markers just before its first line.
    let mut ops: Vec<(usize, usize, Op)> = fit
        .pairs
        .iter()
        .map(|&(i, j)| (j, i, Op::Same(i, j)))
        .chain(
            fit.skipped
                .iter()
                .map(|(i, r)| (r.start, *i, Op::Skipped(*i, r.clone()))),
        )
        .collect();
    for (i, line) in expected.lines.iter().enumerate() {
        if matches!(line, Line::Directive(..)) {
            // After every printed line that an earlier line of the block took.
            let at = ops
                .iter()
                .filter(|(_, e, _)| *e < i)
                .filter_map(|(_, _, op)| match op {
                    Op::Same(_, j) => Some(j + 1),
                    Op::Skipped(_, taken) => Some(taken.end),
                    _ => None,
                })
                .max()
                .unwrap_or(0);
            ops.push((at, i, Op::Marker(i)));
        }
    }
    ops.sort_by_key(|(j, i, _)| (*j, *i));
    Comparison {
        matched: true,
        ops: ops.into_iter().map(|(_, _, op)| op).collect(),
    }
}

fn compare_ordered(expected: &Expected, printed: &[String]) -> Comparison {
    let exp = &expected.lines;
    let placed = place_ordered(exp, printed);
    let matched = placed.is_some();
    if exp.len().saturating_mul(printed.len() + 1) > ALIGN_LIMIT {
        // Too big to align: a match keeps the placement that decided it (so a recording still
        // knows which lines were fixed); a failure shows everything printed as extra and
        // everything expected as missing.
        let ops = placed.unwrap_or_else(|| {
            (0..exp.len())
                .map(Op::Missing)
                .chain((0..printed.len()).map(Op::Extra))
                .collect()
        });
        return Comparison { matched, ops };
    }
    let ops = align(exp, printed);
    debug_assert_eq!(
        matched,
        ops.iter().all(|op| matches!(op, Op::Same(..) | Op::Skipped(..))),
        "the alignment disagrees with the verdict: {ops:?}"
    );
    Comparison { matched, ops }
}

/// The ops of a match, fast, or `None` when the printed lines do not match: segments between
/// `...` lines are placed at their earliest position, which is optimal because each segment
/// is a fixed run of lines; the last segment is placed at the very end.
fn place_ordered(exp: &[Line], printed: &[String]) -> Option<Vec<Op>> {
    let dots: Vec<usize> = (0..exp.len()).filter(|&i| matches!(exp[i], Line::Any)).collect();
    let seg_at = |seg: std::ops::Range<usize>, at: usize| {
        exp[seg].iter().zip(&printed[at..]).all(|(e, p)| e.matches(p))
    };
    let same =
        |seg: std::ops::Range<usize>, at: usize| seg.enumerate().map(move |(k, i)| Op::Same(i, at + k));
    let Some(&last_dots) = dots.last() else {
        return (exp.len() == printed.len() && seg_at(0..exp.len(), 0))
            .then(|| same(0..exp.len(), 0).collect());
    };
    let first = 0..dots[0];
    let last = last_dots + 1..exp.len();
    if first.len() + last.len() > printed.len() || !seg_at(first.clone(), 0) {
        return None;
    }
    let end = printed.len() - last.len();
    if !seg_at(last.clone(), end) {
        return None;
    }
    let mut ops: Vec<Op> = same(first.clone(), 0).collect();
    let mut at = first.len();
    for w in dots.windows(2) {
        let seg = w[0] + 1..w[1];
        let i =
            (at..=end.saturating_sub(seg.len())).find(|&i| i + seg.len() <= end && seg_at(seg.clone(), i))?;
        ops.push(Op::Skipped(w[0], at..i));
        ops.extend(same(seg.clone(), i));
        at = i + seg.len();
    }
    ops.push(Op::Skipped(last_dots, at..end));
    ops.extend(same(last, end));
    Some(ops)
}

/// Score of an expected line that matches a printed line, in units of [`unit`].
const SAME: u32 = 2;
/// Score of an expected line facing a printed line it does not match: a changed line, shown
/// as `-`/`+` in place and rewritten in place by bless (rather than a line dropped here and
/// another added elsewhere).
const CHANGED: u32 = 1;
/// Score of a printed line taken by a `...` line: less than any pair, so that a real match
/// of the same line by a later expected line wins; but among the best alignments, the one
/// whose `...` lines take the most printed lines leaves the fewest unexplained (a `+` in the
/// diff, a literal that bless would pin). A matching output then aligns with no `+` or `-`.
const TAKEN: u32 = 1;

/// What a pair of lines is worth: more than every printed line `...` could take.
fn unit(printed: &[String]) -> u32 {
    u32::try_from(printed.len() + 1).expect("alignments are bounded by ALIGN_LIMIT")
}

/// The score of expected line `line` facing printed line `printed`.
fn pair(line: &Line, printed: &str, unit: u32) -> u32 {
    if line.matches(printed) {
        SAME * unit
    } else {
        CHANGED * unit
    }
}

/// The best alignment of expected and printed lines: a longest common subsequence where
/// "equal" means "the expected line matches the printed one", changed lines pair up, and
/// `...` may take any run of lines. Traced back through the table of [`scores`].
fn align(exp: &[Line], printed: &[String]) -> Vec<Op> {
    let (n, m) = (exp.len(), printed.len());
    let (w, unit) = (m + 1, unit(printed));
    let best = scores(exp, printed);
    let mut ops = Vec::new();
    let (mut i, mut j) = (0, 0);
    let mut skipped_from = None;
    while i < n || j < m {
        if i < n && matches!(exp[i], Line::Directive(..)) {
            ops.push(Op::Marker(i));
            i += 1;
            continue;
        }
        if i < n && matches!(exp[i], Line::Any) {
            let start = *skipped_from.get_or_insert(j);
            if j < m && best[i * w + j] == best[i * w + j + 1] + TAKEN {
                j += 1;
            } else {
                ops.push(Op::Skipped(i, start..j));
                skipped_from = None;
                i += 1;
            }
            continue;
        }
        if i < n && j < m && best[i * w + j] == best[(i + 1) * w + j + 1] + pair(&exp[i], &printed[j], unit) {
            if exp[i].matches(&printed[j]) {
                ops.push(Op::Same(i, j));
            } else {
                ops.push(Op::Missing(i));
                ops.push(Op::Extra(j));
            }
            i += 1;
            j += 1;
        } else if i < n && (j == m || best[i * w + j] == best[(i + 1) * w + j]) {
            ops.push(Op::Missing(i));
            i += 1;
        } else {
            ops.push(Op::Extra(j));
            j += 1;
        }
    }
    ops
}

/// `best[i * (printed.len() + 1) + j]`: the best score aligning `exp[i..]` with
/// `printed[j..]`.
fn scores(exp: &[Line], printed: &[String]) -> Vec<u32> {
    let (n, m) = (exp.len(), printed.len());
    let (w, unit) = (m + 1, unit(printed));
    let mut best = vec![0u32; (n + 1) * w];
    for i in (0..n).rev() {
        for j in (0..=m).rev() {
            let skip_exp = best[(i + 1) * w + j];
            best[i * w + j] = match &exp[i] {
                Line::Any if j < m => skip_exp.max(best[i * w + j + 1] + TAKEN),
                Line::Any | Line::Directive(..) => skip_exp,
                line if j < m => skip_exp
                    .max(best[i * w + j + 1])
                    .max(best[(i + 1) * w + j + 1] + pair(line, &printed[j], unit)),
                _ => skip_exp,
            };
        }
    }
    best
}

/// Each expected line takes exactly one printed line (a maximum bipartite matching, since a
/// pattern line may match several); with a `...` line, extra printed lines are allowed.
fn compare_unordered(expected: &Expected, printed: &[String]) -> Comparison {
    let exp: Vec<(usize, &Line)> = expected
        .lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !matches!(l, Line::Any))
        .collect();
    let allow_extra = expected.lines.iter().any(|l| matches!(l, Line::Any));
    // A line with as many candidates as there are expected lines can always be given one of
    // them (the others take at most one each), so keeping that many is exact, and a long
    // output costs one pass per expected line rather than a full table.
    let keep = exp.len();
    let candidates: Vec<Vec<usize>> = exp
        .iter()
        .map(|(_, l)| {
            (0..printed.len())
                .filter(|&j| l.matches(&printed[j]))
                .take(keep)
                .collect()
        })
        .collect();
    let mut owner: Vec<Option<usize>> = vec![None; printed.len()];
    let mut visited: Vec<usize> = vec![usize::MAX; printed.len()];
    for e in 0..exp.len() {
        augment(e, e, &candidates, &mut owner, &mut visited);
    }
    let mut taken: Vec<Option<usize>> = vec![None; exp.len()];
    for (j, o) in owner.iter().enumerate() {
        if let Some(e) = o {
            taken[*e] = Some(j);
        }
    }
    let all_expected = taken.iter().all(Option::is_some);
    let extra: Vec<usize> = (0..printed.len()).filter(|&j| owner[j].is_none()).collect();
    let matched = all_expected && (allow_extra || extra.is_empty());
    let mut ops = Vec::new();
    for (e, t) in taken.iter().enumerate() {
        ops.push(match t {
            Some(j) => Op::Same(exp[e].0, *j),
            None => Op::Missing(exp[e].0),
        });
    }
    if allow_extra {
        let any = expected
            .lines
            .iter()
            .position(|l| matches!(l, Line::Any))
            .unwrap_or(0);
        ops.push(Op::Skipped(any, 0..0));
    } else {
        ops.extend(extra.into_iter().map(Op::Extra));
    }
    Comparison { matched, ops }
}

/// The block bless writes: matched lines keep their patterns, `...` lines stay, expected
/// lines that matched nothing go, printed lines that nothing expected come in as literals.
pub(crate) fn bless(
    expected: &Expected,
    printed: &[String],
    comparison: &Comparison,
    order: Order,
) -> Vec<String> {
    let mut out = Vec::new();
    if order == Order::Any {
        // Keep the author's order for what still matches, then what is new, in printed order.
        let mut extra = Vec::new();
        let mut any = false;
        for op in &comparison.ops {
            match op {
                Op::Same(i, _) => out.push(expected.written(*i)),
                Op::Extra(j) => extra.push(printed[*j].clone()),
                Op::Skipped(..) => any = true,
                Op::Missing(_) | Op::Marker(_) => {}
            }
        }
        out.extend(extra);
        if any {
            out.push("...".to_string());
        }
        return out;
    }
    for op in &comparison.ops {
        match op {
            Op::Same(i, _) | Op::Skipped(i, _) | Op::Marker(i) => out.push(expected.written(*i)),
            Op::Extra(j) => out.push(printed[*j].clone()),
            Op::Missing(_) => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<String> {
        crate::util::text::normalize_lines(s)
    }

    fn check(expected: &str, printed: &str, unordered: bool) -> bool {
        let e = Expected::parse(expected).unwrap();
        compare(&e, &lines(printed), Order::of(unordered)).matched
    }

    #[test]
    fn literal_lines_match_exactly() {
        assert!(check("Answer: 42\n", "Answer: 42\n", false));
        assert!(!check("Answer: 42\n", "Answer: 43\n", false));
        assert!(!check("Answer: 42\n", "Answer: 42\nmore\n", false));
        assert!(!check("Answer: 42\nmore\n", "Answer: 42\n", false));
    }

    #[test]
    fn line_endings_trailing_spaces_and_blank_tail_are_normalised() {
        assert!(check("a b\nc\n", "a b  \r\nc\r\n\n\n", false));
        assert!(
            !check("a b\nc\n", " a b\nc\n", false),
            "leading spaces are significant"
        );
    }

    #[test]
    fn dot_dot_matches_any_text_within_a_line() {
        assert!(check("took [..] to finish\n", "took 3 tries to finish\n", false));
        assert!(check("took [..] to finish\n", "took  to finish\n", false));
        assert!(!check("took [..] to finish\n", "took 3\nto finish\n", false));
        assert!(check("a.b*c [..]\n", "a.b*c (regex chars are literal)\n", false));
        assert!(!check("a.b*c [..]\n", "aXbbc x\n", false));
    }

    #[test]
    fn n_matches_integers_only() {
        assert!(check("id [N]\n", "id 42\n", false));
        assert!(check("id [N]\n", "id -7\n", false));
        assert!(!check("id [N]\n", "id 4.2\n", false));
        assert!(!check("id [N]\n", "id x\n", false));
        assert!(!check("id [N]\n", "id \n", false));
    }

    #[test]
    fn elapsed_matches_durations() {
        for d in ["1.23s", "950ms", "12.5µs", "1.2ns", "3s", "10us"] {
            assert!(check("took [ELAPSED]\n", &format!("took {d}\n"), false), "{d}");
        }
        for d in ["1.23", "fast", "ms", "1.2.3s"] {
            assert!(!check("took [ELAPSED]\n", &format!("took {d}\n"), false), "{d}");
        }
    }

    #[test]
    fn addr_matches_hex_addresses() {
        assert!(check("at [ADDR]\n", "at 0x7ffd5e8c1a2c\n", false));
        assert!(!check("at [ADDR]\n", "at 7ffd5e8c\n", false));
    }

    #[test]
    fn ellipsis_matches_any_number_of_lines() {
        let e = "start\n...\nend\n";
        assert!(check(e, "start\nend\n", false));
        assert!(check(e, "start\na\nb\nc\nend\n", false));
        assert!(!check(e, "start\na\n", false));
        assert!(!check(e, "a\nstart\nend\n", false));
        assert!(check("...\nend\n", "x\ny\nend\n", false));
        assert!(check("a\n...\nb\n...\nc\n", "a\nb\nc\n", false));
        assert!(check("a\n...\nb\n...\nc\n", "a\n1\nb\n2\n3\nc\n", false));
        assert!(!check("a\n...\nb\n...\nc\n", "a\nc\nb\n", false));
    }

    #[test]
    fn unordered_takes_each_line_once() {
        let e = "worker 1 done\nworker 2 done\nall done\n";
        assert!(check(e, "worker 2 done\nworker 1 done\nall done\n", true));
        assert!(check(e, "all done\nworker 1 done\nworker 2 done\n", true));
        assert!(
            !check(e, "worker 1 done\nworker 1 done\nall done\n", true),
            "one printed line per expected line"
        );
        assert!(!check(e, "worker 2 done\nworker 1 done\n", true), "missing line");
        assert!(
            !check(e, "worker 2 done\nworker 1 done\nall done\nextra\n", true),
            "extra line"
        );
        assert!(
            check(
                "worker [N] done\nworker 1 done\n",
                "worker 1 done\nworker 2 done\n",
                true
            ),
            "augmenting path"
        );
        assert!(check("a\n...\n", "b\na\nc\n", true), "... allows extra lines");
    }

    #[test]
    fn bless_keeps_matching_patterns_and_replaces_the_rest() {
        let e = Expected::parse("start [N]\n...\nresult: 42\nbye\n").unwrap();
        let printed = lines("start 7\nnoise\nresult: 43\nbye\n");
        let c = compare(&e, &printed, Order::Listed);
        assert!(!c.matched);
        assert_eq!(
            bless(&e, &printed, &c, Order::Listed),
            vec!["start [N]", "...", "result: 43", "bye"]
        );
        let blessed = Expected::parse(&bless(&e, &printed, &c, Order::Listed).join("\n")).unwrap();
        assert!(compare(&blessed, &printed, Order::Listed).matched);
    }

    #[test]
    fn bless_unordered_keeps_the_authors_order() {
        let e = Expected::parse("b\na\ngone\n").unwrap();
        let printed = lines("a\nnew\nb\n");
        let c = compare(&e, &printed, Order::Any);
        assert_eq!(bless(&e, &printed, &c, Order::Any), vec!["b", "a", "new"]);
    }

    // Sections -------------------------------------------------------------------------

    /// Three workers, each printing its two steps in order, then `all done`.
    const WORKERS: &str = "[interleaved by worker [N]]\nworker 1: step 1\nworker 1: step 2\nworker 2: step 1\nworker 2: step 2\nworker 3: step 1\nworker 3: step 2\n[end]\nall done\n";

    #[test]
    fn interleaved_groups_keep_their_order_and_interleave_freely() {
        for printed in [
            "worker 1: step 1\nworker 1: step 2\nworker 2: step 1\nworker 2: step 2\nworker 3: step 1\nworker 3: step 2\nall done\n",
            "worker 3: step 1\nworker 1: step 1\nworker 2: step 1\nworker 3: step 2\nworker 2: step 2\nworker 1: step 2\nall done\n",
        ] {
            assert!(check(WORKERS, printed, false), "{printed}");
        }
        let swapped = "worker 1: step 1\nworker 2: step 2\nworker 2: step 1\nworker 1: step 2\nworker 3: step 1\nworker 3: step 2\nall done\n";
        assert!(
            !check(WORKERS, swapped, false),
            "a worker's step 2 before its step 1"
        );
        let as_unordered = WORKERS
            .replace("[interleaved by worker [N]]\n", "")
            .replace("[end]\n", "");
        assert!(check(&as_unordered, swapped, true), "which `unordered` accepts");
        for (printed, why) in [
            (
                "worker 1: step 1\nworker 1: step 2\nworker 2: step 1\nworker 2: step 2\nworker 3: step 1\nall done\n",
                "a line missing",
            ),
            (
                "worker 1: step 1\nworker 1: step 2\nworker 2: step 1\nworker 2: step 2\nworker 3: step 1\nworker 3: step 2\nworker 3: step 2\nall done\n",
                "a line twice",
            ),
            (
                "worker 1: step 1\nworker 1: step 2\nworker 2: step 1\nworker 2: step 2\nworker 3: step 1\nall done\nworker 3: step 2\n",
                "a worker after all done",
            ),
            (
                "worker 1: step 1\nworker 1: step 2\nworker 4: step 1\nworker 2: step 1\nworker 2: step 2\nworker 3: step 1\nworker 3: step 2\nall done\n",
                "a worker nobody expects",
            ),
        ] {
            let e = Expected::parse(WORKERS).unwrap();
            let c = compare(&e, &lines(printed), Order::Listed);
            assert!(!c.matched, "{why}");
            assert!(
                c.ops.iter().any(|op| matches!(op, Op::Missing(_) | Op::Extra(_))),
                "{why}: {:?}",
                c.ops
            );
        }
    }

    #[test]
    fn any_order_sections_inside_an_ordered_block() {
        let e = "[any order]\na ready\nb ready\n[end]\nstart\n[any order]\nx [N]\ny\nz\n[end]\n";
        assert!(check(e, "a ready\nb ready\nstart\nx 1\ny\nz\n", false));
        assert!(check(e, "b ready\na ready\nstart\nz\nx 2\ny\n", false));
        assert!(
            !check(e, "a ready\nstart\nb ready\nx 1\ny\nz\n", false),
            "start between the two"
        );
        assert!(!check(e, "a ready\nb ready\nstart\nx 1\ny\n", false), "z missing");
        assert!(
            !check(e, "a ready\nb ready\nstart\nx 1\ny\nz\nz\n", false),
            "z twice"
        );
        assert!(
            !check(e, "start\na ready\nb ready\nx 1\ny\nz\n", false),
            "start first"
        );
    }

    #[test]
    fn optional_lines_are_a_prefix_in_order() {
        let e = "main: done\n[optional]\nspawned: 1\nspawned: 2\nspawned: 3\n[end]\n";
        for printed in [
            "main: done\n",
            "main: done\nspawned: 1\n",
            "main: done\nspawned: 1\nspawned: 2\nspawned: 3\n",
        ] {
            assert!(check(e, printed, false), "{printed}");
        }
        for (printed, why) in [
            ("main: done\nspawned: 2\n", "not a prefix"),
            ("main: done\nspawned: 1\nspawned: 3\n", "a line skipped"),
            ("main: done\nspawned: 2\nspawned: 1\n", "out of order"),
            (
                "main: done\nspawned: 1\nspawned: 2\nspawned: 3\nspawned: 4\n",
                "one more",
            ),
            ("spawned: 1\n", "the line that is not optional"),
        ] {
            assert!(!check(e, printed, false), "{why}");
        }
        assert!(
            check("[optional]\nmaybe\n[end]\nsure\n", "sure\n", false),
            "this line may be missing"
        );
    }

    #[test]
    fn repeated_lines_between_bounds() {
        let e = "start\n[repeat 0 to 3]\ntick [N]\n[end]\nstop\n";
        for k in 0..=3 {
            let printed = format!("start\n{}stop\n", "tick 1\n".repeat(k));
            assert!(check(e, &printed, false), "{k} ticks");
        }
        assert!(
            !check(e, "start\ntick 1\ntick 2\ntick 3\ntick 4\nstop\n", false),
            "4 ticks"
        );
        assert!(!check(e, "start\ntick x\nstop\n", false), "not a tick");
        let pairs = "[repeat 2 to 2]\nping\npong\n[end]\n";
        assert!(check(pairs, "ping\npong\nping\npong\n", false));
        assert!(
            !check(pairs, "ping\nping\npong\npong\n", false),
            "each repetition in order"
        );
        assert!(!check(pairs, "ping\npong\n", false), "at least twice");
    }

    #[test]
    fn a_group_cut_off_prints_a_prefix_of_its_lines() {
        let e = "[interleaved by thread [N]]\nthread 0: 1\nthread 0: 2\n[optional]\nthread 1: 1\nthread 1: 2\n[end]\n[end]\n";
        for printed in [
            "thread 0: 1\nthread 0: 2\n",
            "thread 1: 1\nthread 0: 1\nthread 0: 2\n",
            "thread 0: 1\nthread 1: 1\nthread 0: 2\nthread 1: 2\n",
        ] {
            assert!(check(e, printed, false), "{printed}");
        }
        assert!(
            !check(e, "thread 0: 1\nthread 1: 2\nthread 0: 2\n", false),
            "not a prefix"
        );
        assert!(
            !check(e, "thread 1: 1\nthread 0: 2\nthread 0: 1\n", false),
            "thread 0 out of order"
        );
    }

    #[test]
    fn a_matching_block_with_sections_aligns_cleanly_and_bless_keeps_its_sections() {
        let e = Expected::parse(WORKERS).unwrap();
        let printed = lines(
            "worker 2: step 1\nworker 1: step 1\nworker 1: step 2\nworker 3: step 1\nworker 2: step 2\nworker 3: step 2\nall done\n",
        );
        let c = compare(&e, &printed, Order::Listed);
        assert!(c.matched);
        assert!(
            !c.ops.iter().any(|op| matches!(op, Op::Missing(_) | Op::Extra(_))),
            "{:?}",
            c.ops
        );
        let same: Vec<usize> = c
            .ops
            .iter()
            .filter_map(|op| match op {
                Op::Same(_, j) => Some(*j),
                _ => None,
            })
            .collect();
        assert_eq!(same, (0..7).collect::<Vec<_>>(), "in printed order");
        assert_eq!(c.ops.first(), Some(&Op::Marker(0)));
        let changed = lines(
            "worker 1: step 1\nworker 1: step 2\nworker 2: step 1\nworker 2: step 2\nworker 3: step 1\nworker 3: step 2\nall finished\n",
        );
        let c = compare(&e, &changed, Order::Listed);
        assert!(!c.matched);
        let blessed = bless(&e, &changed, &c, Order::Listed);
        assert_eq!(
            blessed.first().map(String::as_str),
            Some("[interleaved by worker [N]]")
        );
        assert_eq!(blessed.last().map(String::as_str), Some("all finished"));
        assert!(
            compare(
                &Expected::parse(&blessed.join("\n")).unwrap(),
                &changed,
                Order::Listed
            )
            .matched
        );
    }

    #[test]
    fn malformed_sections_are_refused() {
        for bad in [
            "[any order]\na\n",
            "a\n[end]\n",
            "[any order]\n[end]\na\n",
            "[any order]\na\n...\n[end]\n",
            "[any order]\na\n[optional]\nb\n[end]\n[end]\n",
            "[interleaved by worker [N]]\nworker 1\n[any order]\nworker 2\n[end]\n[end]\n",
            "[interleaved by worker [N]]\nworker [N] done\n[end]\n",
            "[interleaved by worker [N]]\nmain done\n[end]\n",
            "[interleaved by ]\n1 done\n[end]\n",
            "[interleaved by w [N]]\nw 1\n[optional]\nw 1\nw 2\n[end]\n[end]\n",
            "[repeat 3 to 1]\na\n[end]\n",
            "[repeat x]\na\n[end]\n",
            "[any order]\n[..]\n[N]\n[end]\n",
        ] {
            assert!(Expected::parse(bad).is_err(), "{bad:?}");
        }
    }

    // Exhaustive agreement over a small alphabet ------------------------------------------

    /// Lines of expected blocks: two words, two patterns and `...`.
    const EXPECTED_LINES: &[&str] = &["a", "b", "[N]", "[..]", "..."];
    /// Lines of printed outputs: the two words, a number and a line nothing names.
    const PRINTED_LINES: &[&str] = &["a", "b", "1", "x"];
    /// The longest block and output tried.
    const MAX_LINES: usize = 4;

    /// Every sequence of up to `max` lines of `alphabet`, the empty one included.
    fn sequences(alphabet: &[&'static str], max: usize) -> Vec<Vec<&'static str>> {
        let mut all = vec![Vec::new()];
        let mut last = vec![Vec::new()];
        for _ in 0..max {
            last = last
                .iter()
                .flat_map(|s: &Vec<&str>| {
                    alphabet.iter().map(move |l| {
                        let mut longer = s.clone();
                        longer.push(*l);
                        longer
                    })
                })
                .collect();
            all.extend(last.iter().cloned());
        }
        all
    }

    /// Whether a printed line matches an expected line of the small alphabet.
    fn reference_line(expected: &str, printed: &str) -> bool {
        match expected {
            "[N]" => printed.parse::<i64>().is_ok(),
            "[..]" | "..." => true,
            word => word == printed,
        }
    }

    /// The reference: does `printed` match `expected`, trying every way to match it.
    fn reference(expected: &[&str], printed: &[&str], unordered: bool) -> bool {
        if unordered {
            let lines: Vec<&str> = expected.iter().copied().filter(|l| *l != "...").collect();
            let extra_allowed = lines.len() < expected.len();
            assign(&lines, printed, &mut vec![false; printed.len()], extra_allowed)
        } else {
            in_order(expected, printed)
        }
    }

    /// Ordered: the first expected line takes the first printed line, or `...` takes any
    /// number of them.
    fn in_order(expected: &[&str], printed: &[&str]) -> bool {
        match expected.split_first() {
            None => printed.is_empty(),
            Some((&"...", rest)) => (0..=printed.len()).any(|k| in_order(rest, &printed[k..])),
            Some((line, rest)) => {
                !printed.is_empty() && reference_line(line, printed[0]) && in_order(rest, &printed[1..])
            }
        }
    }

    /// Unordered: every way to give each expected line a printed line of its own; the printed
    /// lines left over must be none unless `...` allows them.
    fn assign(lines: &[&str], printed: &[&str], used: &mut Vec<bool>, extra_allowed: bool) -> bool {
        let Some((line, rest)) = lines.split_first() else {
            return extra_allowed || used.iter().all(|&u| u);
        };
        (0..printed.len()).any(|j| {
            if used[j] || !reference_line(line, printed[j]) {
                return false;
            }
            used[j] = true;
            let found = assign(rest, printed, used, extra_allowed);
            used[j] = false;
            found
        })
    }

    /// The ops of an ordered comparison are an alignment: every expected line once and every
    /// printed line once, both in order; a `Same` pairs lines that match, a `Skipped` is a
    /// `...` line.
    fn assert_ordered_alignment(e: &Expected, printed: &[String], ops: &[Op], case: &Case) {
        let (mut i, mut j) = (0, 0);
        for op in ops {
            match op {
                Op::Same(a, b) => {
                    assert!(
                        (*a, *b) == (i, j) && e.lines[i].matches(&printed[j]),
                        "{case}: {ops:?}"
                    );
                    (i, j) = (i + 1, j + 1);
                }
                Op::Skipped(a, r) => {
                    assert!(
                        *a == i && r.start == j && matches!(e.lines[i], Line::Any),
                        "{case}: {ops:?}"
                    );
                    (i, j) = (i + 1, r.end);
                }
                Op::Missing(a) => {
                    assert_eq!(*a, i, "{case}: {ops:?}");
                    i += 1;
                }
                Op::Extra(b) => {
                    assert_eq!(*b, j, "{case}: {ops:?}");
                    j += 1;
                }
                Op::Marker(_) => panic!("{case}: a marker in a block without sections: {ops:?}"),
            }
        }
        assert_eq!((i, j), (e.lines.len(), printed.len()), "{case}: {ops:?}");
    }

    /// The ops of an unordered comparison: every expected line but `...` once, as `Same` (with
    /// a printed line of its own that it matches) or `Missing`.
    fn assert_unordered_assignment(e: &Expected, printed: &[String], ops: &[Op], case: &Case) {
        let mut seen = vec![false; e.lines.len()];
        let mut taken = vec![false; printed.len()];
        for op in ops {
            match op {
                Op::Same(i, j) => {
                    assert!(!taken[*j] && e.lines[*i].matches(&printed[*j]), "{case}: {ops:?}");
                    taken[*j] = true;
                    seen[*i] = true;
                }
                Op::Missing(i) => seen[*i] = true,
                Op::Extra(j) => assert!(!taken[*j], "{case}: {ops:?}"),
                Op::Skipped(i, _) => assert!(matches!(e.lines[*i], Line::Any), "{case}: {ops:?}"),
                Op::Marker(_) => panic!("{case}: a marker in a block without sections: {ops:?}"),
            }
        }
        for (i, line) in e.lines.iter().enumerate() {
            assert_eq!(seen[i], !matches!(line, Line::Any), "{case}: line {i} in {ops:?}");
        }
    }

    /// Checks one block against one output: the verdict against the reference, the ops as an
    /// alignment (or assignment) of both, and bless against the verdict.
    fn check_agreement(case: &Case, blessed: &mut Blessed) {
        let (e, printed, unordered) = (case.expected, &case.printed, case.unordered);
        let c = compare(e, printed, Order::of(unordered));
        assert_eq!(c.matched, reference(case.lines, case.out, unordered), "{case}");
        if unordered {
            assert_unordered_assignment(e, printed, &c.ops, case);
        } else {
            assert_ordered_alignment(e, printed, &c.ops, case);
        }
        let rewritten = bless(e, printed, &c, Order::of(unordered));
        if let Some(b) = blessed.parse(&rewritten) {
            assert!(
                compare(b, printed, Order::of(unordered)).matched,
                "{case}: blessed into {rewritten:?}, which does not match"
            );
        }
    }

    /// One block against one output.
    struct Case<'a> {
        expected: &'a Expected,
        lines: &'a [&'a str],
        out: &'a [&'a str],
        printed: Vec<String>,
        unordered: bool,
    }

    impl std::fmt::Display for Case<'_> {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            let order = if self.unordered { "unordered" } else { "ordered" };
            write!(f, "{:?} against {:?} ({order})", self.lines, self.out)
        }
    }

    /// Calls `check` with every block of up to `MAX_LINES` lines of `EXPECTED_LINES` that
    /// parses, against every output of up to `MAX_LINES` lines of `PRINTED_LINES`, ordered
    /// and unordered.
    fn every_small_case(mut check: impl FnMut(&Case)) {
        let outputs = sequences(PRINTED_LINES, MAX_LINES);
        assert_eq!(outputs.len(), 341, "outputs tried");
        let mut blocks = 0;
        for lines in sequences(EXPECTED_LINES, MAX_LINES) {
            let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
            // A block with no literal word is refused by the parser: no listing has one.
            let Ok(expected) = Expected::parse(&text) else {
                continue;
            };
            blocks += 1;
            for out in &outputs {
                for unordered in [false, true] {
                    check(&Case {
                        expected: &expected,
                        lines: &lines,
                        out,
                        printed: out.iter().map(|l| l.to_string()).collect(),
                        unordered,
                    });
                }
            }
        }
        // 781 sequences, less those with neither `a` nor `b` but some line (3^1 + .. + 3^4 = 120):
        // the empty block expects nothing printed.
        assert_eq!(blocks, 781 - 120, "blocks tried");
    }

    /// Blessed blocks, compiled once each (a pattern line compiles a regex).
    #[derive(Default)]
    struct Blessed(std::collections::HashMap<String, Option<Expected>>);

    impl Blessed {
        /// The block of these lines, or `None` when it does not parse (no literal word).
        fn parse(&mut self, lines: &[String]) -> Option<&Expected> {
            let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
            self.0
                .entry(text)
                .or_insert_with_key(|t| Expected::parse(t).ok())
                .as_ref()
        }
    }

    #[test]
    fn verdict_alignment_and_bless_agree_with_a_brute_force_matcher_on_every_small_case() {
        let mut blessed = Blessed::default();
        every_small_case(|case| check_agreement(case, &mut blessed));
    }

    /// What a diff shows and bless rewrites from: a block that matched has no missing or
    /// extra line, one that did not has one; bless leaves a block that matched as it is.
    #[test]
    fn the_alignment_is_clean_exactly_when_the_block_matched() {
        every_small_case(|case| {
            let c = compare(case.expected, &case.printed, Order::of(case.unordered));
            let clean = !c.ops.iter().any(|op| matches!(op, Op::Missing(_) | Op::Extra(_)));
            assert_eq!(c.matched, clean, "{case}: {:?}", c.ops);
            if c.matched && !case.unordered {
                let rewritten = bless(case.expected, &case.printed, &c, Order::Listed);
                assert_eq!(
                    rewritten, case.lines,
                    "{case}: bless changes a block that matched"
                );
            }
        });
    }

    /// The placement used above `ALIGN_LIMIT` matches exactly when the alignment does, and
    /// its ops pair every expected line with the printed line it matched, in order, each
    /// printed line taken once: bless keeps the block as it is from them too.
    #[test]
    fn the_fast_placement_is_an_alignment_on_every_small_case() {
        every_small_case(|case| {
            if case.unordered {
                return;
            }
            let placed = place_ordered(&case.expected.lines, &case.printed);
            let c = compare(case.expected, &case.printed, Order::Listed);
            assert_eq!(placed.is_some(), c.matched, "{case}");
            let Some(ops) = placed else { return };
            let (mut next_line, mut next_printed) = (0, 0);
            for op in &ops {
                match op {
                    Op::Same(i, j) => {
                        assert!(
                            case.expected.lines[*i].matches(&case.printed[*j]),
                            "{case}: {ops:?}"
                        );
                        assert_eq!((*i, *j), (next_line, next_printed), "{case}: {ops:?}");
                        next_printed += 1;
                        next_line = i + 1;
                    }
                    Op::Skipped(i, r) => {
                        assert!(matches!(case.expected.lines[*i], Line::Any), "{case}: {ops:?}");
                        assert_eq!((*i, r.start), (next_line, next_printed), "{case}: {ops:?}");
                        next_printed = r.end;
                        next_line = i + 1;
                    }
                    other => panic!("{case}: {other:?} in a placement"),
                }
            }
            assert_eq!(
                (next_line, next_printed),
                (case.expected.lines.len(), case.printed.len()),
                "{case}"
            );
            let placed = Comparison { matched: true, ops };
            assert_eq!(
                bless(case.expected, &case.printed, &placed, Order::Listed),
                case.lines,
                "{case}"
            );
        });
    }

    /// Above `ALIGN_LIMIT` cells, an ordered comparison still decides by `place_ordered`, and
    /// a match keeps its placement: every line paired where it was printed, each `...` taking
    /// the lines between. Only a failure falls back to everything missing and everything extra.
    #[test]
    fn an_ordered_comparison_too_big_to_align_still_decides() {
        let n = 2001;
        assert!(n * (n + 1) > ALIGN_LIMIT);
        let text: String = (0..n).map(|k| format!("line {k}\n")).collect();
        let e = Expected::parse(&text).unwrap();
        let printed = lines(&text);
        let c = compare(&e, &printed, Order::Listed);
        assert!(c.matched);
        assert_eq!(c.ops, (0..n).map(|k| Op::Same(k, k)).collect::<Vec<_>>());
        let mut other = printed.clone();
        other[1000] = "changed".into();
        let c = compare(&e, &other, Order::Listed);
        assert!(!c.matched);
        assert_eq!(c.ops.len(), 2 * n);
        assert!(c.ops[..n].iter().all(|op| matches!(op, Op::Missing(_))));
        assert!(c.ops[n..].iter().all(|op| matches!(op, Op::Extra(_))));

        // With `...` lines: 2004 expected lines against 3001 printed is over the limit too.
        let printed: Vec<String> = (0..3001).map(|k| format!("line {k}")).collect();
        let mut text: String = (0..1000).map(|k| format!("line {k}\n")).collect();
        text.push_str("...\nline [N]\n...\n");
        text.extend((2000..3001).map(|k| format!("line {k}\n")));
        let dotted = Expected::parse(&text).unwrap();
        assert!(dotted.lines.len() * (printed.len() + 1) > ALIGN_LIMIT);
        let c = compare(&dotted, &printed, Order::Listed);
        assert!(c.matched);
        let mut ops: Vec<Op> = (0..1000).map(|k| Op::Same(k, k)).collect();
        ops.extend([
            Op::Skipped(1000, 1000..1000),
            Op::Same(1001, 1000),
            Op::Skipped(1002, 1001..2000),
        ]);
        ops.extend((0..1001).map(|k| Op::Same(1003 + k, 2000 + k)));
        assert_eq!(c.ops, ops);
    }

    /// An unordered comparison has no table to fall back from: four lines among a million
    /// printed (more cells than `ALIGN_LIMIT`) are found, and one that is not there fails.
    #[test]
    fn an_unordered_comparison_too_big_to_align_still_decides() {
        let e = Expected::parse("w 1\nw 2\nw 3\nw 4\n...\n").unwrap();
        let printed: Vec<String> = (0..1_000_001).map(|k| format!("w {k}")).collect();
        assert!(4 * printed.len() > ALIGN_LIMIT);
        assert!(compare(&e, &printed, Order::Any).matched);
        let absent = Expected::parse("w 1\nw -1\n...\n").unwrap();
        assert!(!compare(&absent, &printed, Order::Any).matched);
    }
}
