//! Match: what a run printed against what its output block expects.
//!
//! Expected lines are literal except for the contract's patterns (`[..]`, `[N]`, `[ELAPSED]`,
//! `[ADDR]`, and `...` alone on a line). A mismatch is explained by an alignment of expected
//! and printed lines, which is also what bless rewrites from: lines that matched keep their
//! patterns, only the rest changes.

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
}

/// Above this many expected×printed cells an alignment is not computed line by line; the
/// failure shows a plain text diff instead. Book outputs are far below it.
const ALIGN_LIMIT: usize = 4_000_000;

/// Compares printed lines (already normalised) with an expectation.
pub(crate) fn compare(expected: &Expected, printed: &[String], unordered: bool) -> Comparison {
    if unordered {
        compare_unordered(expected, printed)
    } else {
        compare_ordered(expected, printed)
    }
}

fn compare_ordered(expected: &Expected, printed: &[String]) -> Comparison {
    let exp = &expected.lines;
    let matched = matches_ordered(exp, printed);
    if exp.len().saturating_mul(printed.len() + 1) > ALIGN_LIMIT {
        // Too big to align: everything printed shows as extra, everything expected as missing.
        let mut ops: Vec<Op> = (0..exp.len()).map(Op::Missing).collect();
        ops.extend((0..printed.len()).map(Op::Extra));
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

/// Whether printed lines match, fast: segments between `...` lines are placed at their
/// earliest position, which is optimal because each segment is a fixed run of lines.
fn matches_ordered(exp: &[Line], printed: &[String]) -> bool {
    let segments: Vec<&[Line]> = exp.split(|l| matches!(l, Line::Any)).collect();
    let seg_at = |seg: &[Line], at: usize| seg.iter().zip(&printed[at..]).all(|(e, p)| e.matches(p));
    if segments.len() == 1 {
        return exp.len() == printed.len() && seg_at(exp, 0);
    }
    let first = segments[0];
    let last = segments[segments.len() - 1];
    if first.len() + last.len() > printed.len() || !seg_at(first, 0) {
        return false;
    }
    let end = printed.len() - last.len();
    if !seg_at(last, end) {
        return false;
    }
    let mut at = first.len();
    for seg in &segments[1..segments.len() - 1] {
        match (at..=end.saturating_sub(seg.len())).find(|&i| i + seg.len() <= end && seg_at(seg, i)) {
            Some(i) => at = i + seg.len(),
            None => return false,
        }
    }
    true
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
                Line::Any => skip_exp,
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
    let candidates: Vec<Vec<usize>> = if exp.len().saturating_mul(printed.len()) > ALIGN_LIMIT {
        vec![Vec::new(); exp.len()]
    } else {
        exp.iter()
            .map(|(_, l)| (0..printed.len()).filter(|&j| l.matches(&printed[j])).collect())
            .collect()
    };
    let mut owner: Vec<Option<usize>> = vec![None; printed.len()];
    for e in 0..exp.len() {
        let mut visited = vec![false; printed.len()];
        augment(e, &candidates, &mut owner, &mut visited);
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

/// Kuhn's augmenting path: finds a printed line for expected line `e`, moving earlier
/// choices along when that frees one.
fn augment(e: usize, candidates: &[Vec<usize>], owner: &mut [Option<usize>], visited: &mut [bool]) -> bool {
    for &j in &candidates[e] {
        if visited[j] {
            continue;
        }
        visited[j] = true;
        if owner[j].is_none_or(|other| augment(other, candidates, owner, visited)) {
            owner[j] = Some(e);
            return true;
        }
    }
    false
}

/// The block bless writes: matched lines keep their patterns, `...` lines stay, expected
/// lines that matched nothing go, printed lines that nothing expected come in as literals.
pub(crate) fn bless(
    expected: &Expected,
    printed: &[String],
    comparison: &Comparison,
    unordered: bool,
) -> Vec<String> {
    let mut out = Vec::new();
    if unordered {
        // Keep the author's order for what still matches, then what is new, in printed order.
        let mut extra = Vec::new();
        let mut any = false;
        for op in &comparison.ops {
            match op {
                Op::Same(i, _) => out.push(expected.lines[*i].as_written().to_string()),
                Op::Extra(j) => extra.push(printed[*j].clone()),
                Op::Skipped(..) => any = true,
                Op::Missing(_) => {}
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
            Op::Same(i, _) | Op::Skipped(i, _) => out.push(expected.lines[*i].as_written().to_string()),
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
        compare(&e, &lines(printed), unordered).matched
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
        let c = compare(&e, &printed, false);
        assert!(!c.matched);
        assert_eq!(
            bless(&e, &printed, &c, false),
            vec!["start [N]", "...", "result: 43", "bye"]
        );
        let blessed = Expected::parse(&bless(&e, &printed, &c, false).join("\n")).unwrap();
        assert!(compare(&blessed, &printed, false).matched);
    }

    #[test]
    fn bless_unordered_keeps_the_authors_order() {
        let e = Expected::parse("b\na\ngone\n").unwrap();
        let printed = lines("a\nnew\nb\n");
        let c = compare(&e, &printed, true);
        assert_eq!(bless(&e, &printed, &c, true), vec!["b", "a", "new"]);
    }
}
