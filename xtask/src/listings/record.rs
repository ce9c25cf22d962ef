//! Record: what a passing run printed, with the parts its output block let vary, for the
//! page to show (see `book::recording`), and the machine the runs were made on.
//!
//! The varying parts come from the alignment that decided the verdict: a line matched by a
//! pattern line varies where its patterns matched, a line taken by `...` varies whole.

use crate::book::Order;
use crate::book::pattern::sections::Directive;
use crate::book::pattern::{Expected, Line};
use crate::book::recording::{Bracket, LineMark, Machine, Part, RecordedOutput};
use crate::listings::matcher::{Comparison, Op};

/// The recording of a run whose printed lines matched (`comparison.matched`).
pub(crate) fn recorded(
    expected: &Expected,
    printed: Vec<String>,
    comparison: &Comparison,
    order: Order,
) -> RecordedOutput {
    debug_assert!(comparison.matched, "only a run that passed is recorded");
    // A line no op names is one a `...` of an unordered block let through: it varies.
    let mut marks = vec![LineMark::Elided; printed.len()];
    for op in &comparison.ops {
        match op {
            Op::Same(i, j) => marks[*j] = mark(&expected.lines[*i], &printed[*j]),
            Op::Skipped(_, taken) => taken.clone().for_each(|j| marks[j] = LineMark::Elided),
            Op::Missing(_) | Op::Extra(_) | Op::Marker(_) => {}
        }
    }
    RecordedOutput {
        brackets: brackets(expected, comparison),
        lines: printed,
        marks,
        unordered: order == Order::Any,
        sections: expected.has_sections(),
    }
}

/// The outermost sections' opening and closing lines, each before the printed line that
/// followed it in this run. The ops are in printed order, each section's marker just before
/// its first line or just after its last.
fn brackets(expected: &Expected, comparison: &Comparison) -> Vec<Bracket> {
    let mut depth = vec![0usize; expected.lines.len()];
    let mut open = 0usize;
    for (i, line) in expected.lines.iter().enumerate() {
        if let Line::Directive(d, _) = line {
            if *d == Directive::End {
                open = open.saturating_sub(1);
                depth[i] = open;
            } else {
                depth[i] = open;
                open += 1;
            }
        }
    }
    let mut at = 0;
    let mut brackets = Vec::new();
    for op in &comparison.ops {
        match op {
            Op::Same(_, j) => at = j + 1,
            Op::Skipped(_, taken) => at = at.max(taken.end),
            Op::Marker(i) if depth[*i] == 0 => brackets.push(Bracket {
                before: at,
                directive: expected.lines[*i].as_written().to_string(),
            }),
            Op::Marker(_) | Op::Missing(_) | Op::Extra(_) => {}
        }
    }
    brackets
}

/// What of a printed line the expected line it matched lets vary.
fn mark(line: &Line, printed: &str) -> LineMark {
    match line {
        Line::Literal(_) => LineMark::Fixed,
        // A section line stands for no printed line, so no op pairs one with a printed line.
        Line::Any | Line::Directive(..) => LineMark::Elided,
        Line::Pattern(..) => LineMark::Parts(
            line.parts(printed)
                .into_iter()
                .map(|(range, p)| Part {
                    start: range.start,
                    end: range.end,
                    token: p.token.to_string(),
                })
                .collect(),
        ),
    }
}

/// This machine, now: cores, CPU model, system, compiler and date. `rustc_version` is what
/// `rustc -vV` printed.
pub(crate) fn this_machine(rustc_version: &str) -> Machine {
    Machine {
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        cpu: cpu_model().unwrap_or_else(|| std::env::consts::ARCH.to_string()),
        os: os_name(),
        rustc: rustc_version
            .lines()
            .next()
            .unwrap_or("rustc (unknown version)")
            .trim()
            .to_string(),
        date: chrono::Utc::now().format("%Y-%m-%d %H:%M").to_string(),
    }
}

/// The first `model name` of `/proc/cpuinfo`.
fn cpu_model() -> Option<String> {
    let info = std::fs::read_to_string("/proc/cpuinfo").ok()?;
    info.lines()
        .find_map(|l| l.strip_prefix("model name")?.split_once(':'))
        .map(|(_, name)| name.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// `Ubuntu 24.04.1 LTS, Linux 6.8.0-49-generic`: the distribution (`/etc/os-release`) and the
/// kernel (as `uname -sr` says it).
fn os_name() -> String {
    let read = |f: &str| std::fs::read_to_string(f).ok().map(|t| t.trim().to_string());
    let kernel = match (
        read("/proc/sys/kernel/ostype"),
        read("/proc/sys/kernel/osrelease"),
    ) {
        (Some(os), Some(release)) => format!("{os} {release}"),
        _ => std::env::consts::OS.to_string(),
    };
    let pretty = read("/etc/os-release").and_then(|t| {
        t.lines()
            .find_map(|l| l.strip_prefix("PRETTY_NAME="))
            .map(|v| v.trim_matches('"').to_string())
    });
    match pretty {
        Some(distro) => format!("{distro}, {kernel}"),
        None => kernel,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::listings::matcher::compare;

    fn record(expected: &str, printed: &str, unordered: bool) -> RecordedOutput {
        let e = Expected::parse(expected).unwrap();
        let printed = crate::util::text::normalize_lines(printed);
        let c = compare(&e, &printed, Order::of(unordered));
        assert!(c.matched);
        recorded(&e, printed, &c, Order::of(unordered))
    }

    #[test]
    fn literal_lines_are_fixed_patterns_are_parts_and_dots_elide() {
        let r = record(
            "start\n...\ntook [ELAPSED] for [N]\nend\n",
            "start\nnoise 1\nnoise 2\ntook 3ms for 12\nend\n",
            false,
        );
        assert_eq!(r.lines[3], "took 3ms for 12");
        assert_eq!(
            r.marks,
            [
                LineMark::Fixed,
                LineMark::Elided,
                LineMark::Elided,
                LineMark::Parts(vec![
                    Part {
                        start: 5,
                        end: 8,
                        token: "[ELAPSED]".into()
                    },
                    Part {
                        start: 13,
                        end: 15,
                        token: "[N]".into()
                    },
                ]),
                LineMark::Fixed,
            ]
        );
    }

    #[test]
    fn outermost_sections_are_bracketed_where_they_opened_and_closed_in_the_run() {
        let block = "start\n[interleaved by worker [N]]\nworker 1: go\n[optional]\nworker 1: more\n[end]\nworker 2: go\n[end]\n[any order]\nx\ny\n[end]\n";
        let r = record(
            block,
            "start\nworker 2: go\nworker 1: go\nworker 1: more\ny\nx\n",
            false,
        );
        let at: Vec<(usize, &str)> = r
            .brackets
            .iter()
            .map(|b| (b.before, b.directive.as_str()))
            .collect();
        assert_eq!(
            at,
            [
                (1, "[interleaved by worker [N]]"),
                (4, "[end]"),
                (4, "[any order]"),
                (6, "[end]")
            ]
        );
        assert!(r.sections);
        let plain = record("a\n...\nb\n", "a\nx\nb\n", false);
        assert!(plain.brackets.is_empty());
    }

    #[test]
    fn unordered_lines_keep_the_printed_order_and_their_own_marks() {
        let r = record("w [N] done\nall done\n...\n", "all done\nextra\nw 2 done\n", true);
        assert_eq!(r.lines, ["all done", "extra", "w 2 done"]);
        assert!(r.unordered);
        assert_eq!(r.marks[0], LineMark::Fixed);
        assert_eq!(r.marks[1], LineMark::Elided);
        assert!(matches!(&r.marks[2], LineMark::Parts(p) if p.len() == 1 && p[0].start == 2));
    }

    /// Every block of up to three lines of a small alphabet against every output of up to
    /// three lines it matches, ordered and unordered: the recording has a mark per printed
    /// line; a fixed line is a literal line of the block; a line with parts is a pattern line
    /// of the block once its parts are put back as the patterns; only a block with `...` has
    /// elided lines, and every other printed line stands for one expected line.
    #[test]
    fn marks_account_for_every_printed_line_on_every_small_case() {
        const EXPECTED: &[&str] = &["a", "b [N]", "[..]", "..."];
        const PRINTED: &[&str] = &["a", "b 1", "b x", "c"];
        let sequences = |alphabet: &[&'static str]| {
            let mut all: Vec<Vec<&str>> = vec![Vec::new()];
            for len in 1..=3u32 {
                for n in 0..alphabet.len().pow(len) {
                    let digits = (0..len).map(|k| n / alphabet.len().pow(k) % alphabet.len());
                    all.push(digits.map(|d| alphabet[d]).collect());
                }
            }
            all
        };
        let mut checked = 0;
        for block in sequences(EXPECTED) {
            let text: String = block.iter().map(|l| format!("{l}\n")).collect();
            let Ok(e) = Expected::parse(&text) else { continue };
            for out in sequences(PRINTED) {
                let printed: Vec<String> = out.iter().map(|l| l.to_string()).collect();
                for unordered in [false, true] {
                    let c = compare(&e, &printed, Order::of(unordered));
                    if !c.matched {
                        continue;
                    }
                    checked += 1;
                    let r = recorded(&e, printed.clone(), &c, Order::of(unordered));
                    let case = format!("{block:?} / {out:?} unordered={unordered}: {:?}", r.marks);
                    assert_eq!(r.marks.len(), r.lines.len(), "{case}");
                    let mut standing = 0;
                    for (line, mark) in r.lines.iter().zip(&r.marks) {
                        match mark {
                            LineMark::Fixed => assert!(block.contains(&line.as_str()), "{case}"),
                            LineMark::Parts(parts) => {
                                let mut shown = line.clone();
                                for p in parts.iter().rev() {
                                    shown.replace_range(p.start..p.end, &p.token);
                                }
                                assert!(block.contains(&shown.as_str()), "{case}: {shown}");
                            }
                            LineMark::Elided => assert!(block.contains(&"..."), "{case}"),
                        }
                        standing += usize::from(*mark != LineMark::Elided);
                    }
                    let lines = block.iter().filter(|l| **l != "...").count();
                    assert_eq!(standing, lines, "{case}");
                }
            }
        }
        assert!(checked > 500, "{checked} matching cases");
    }

    #[test]
    fn this_machine_names_its_compiler_and_date() {
        let m = this_machine("rustc 1.95.0 (abc 2026-01-01)\nbinary: rustc\n");
        assert_eq!(m.rustc, "rustc 1.95.0 (abc 2026-01-01)");
        assert!(m.cores >= 1);
        assert_eq!(m.date.len(), "2026-12-02 14:03".len(), "{}", m.date);
        assert!(!m.os.is_empty() && !m.cpu.is_empty());
    }
}
