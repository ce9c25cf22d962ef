//! Fit: an output block with sections (`[any order]`, `[interleaved by]`, `[optional]`,
//! `[repeat]`) against the printed lines.
//!
//! A search over the block's items in order, each trying every number of printed lines it
//! could take, with the positions that cannot lead to a match remembered. An interleaved
//! section sorts the lines it takes into groups by its key, and fits each group's items to
//! that group's lines in order. The result pairs every expected line with the printed line
//! it matched, which is what diffs, bless and the page read.

use std::collections::HashSet;
use std::ops::Range;

use regex::Regex;

use crate::book::pattern::sections::{Group, Item};
use crate::book::pattern::{Expected, Line};

/// How a block matched: which printed line each expected line took, and what each `...`
/// took.
#[derive(Debug, Default, Clone)]
pub(crate) struct Fit {
    /// (expected line, printed line).
    pub(crate) pairs: Vec<(usize, usize)>,
    /// (the `...` line, the printed lines it took).
    pub(crate) skipped: Vec<(usize, Range<usize>)>,
}

impl Fit {
    fn merge(&mut self, other: Fit) {
        self.pairs.extend(other.pairs);
        self.skipped.extend(other.skipped);
    }
}

/// The fit of `printed` to a block with sections, if it matches.
pub(crate) fn fit(expected: &Expected, printed: &[String]) -> Option<Fit> {
    let all: Vec<usize> = (0..printed.len()).collect();
    Fitter {
        lines: &expected.lines,
        printed,
    }
    .sequence(&expected.items, &all)
}

struct Fitter<'a> {
    lines: &'a [Line],
    printed: &'a [String],
}

impl Fitter<'_> {
    /// `items` against the printed lines `p` (indices, in order), all of them.
    fn sequence(&self, items: &[Item], p: &[usize]) -> Option<Fit> {
        self.from(items, 0, p, 0, &mut HashSet::new())
    }

    /// `items[i..]` against `p[j..]`; `failed` holds the (i, j) known not to fit.
    fn from(
        &self,
        items: &[Item],
        i: usize,
        p: &[usize],
        j: usize,
        failed: &mut HashSet<(usize, usize)>,
    ) -> Option<Fit> {
        if i == items.len() {
            return (j == p.len()).then(Fit::default);
        }
        if failed.contains(&(i, j)) {
            return None;
        }
        for (taken, piece) in self.candidates(&items[i], &p[j..]) {
            if let Some(mut rest) = self.from(items, i + 1, p, j + taken, failed) {
                rest.merge(piece);
                return Some(rest);
            }
        }
        failed.insert((i, j));
        None
    }

    /// Every way `item` can take the first lines of `p`: how many, and how.
    fn candidates(&self, item: &Item, p: &[usize]) -> Vec<(usize, Fit)> {
        match item {
            Item::Line(l) => (p.get(..1))
                .and_then(|first| self.in_order(&[*l], first))
                .map(|f| (1, f))
                .into_iter()
                .collect(),
            Item::Any(l) => (0..=p.len())
                .rev()
                .map(|k| {
                    let start = p.first().copied().unwrap_or(self.printed.len());
                    let fit = Fit {
                        pairs: Vec::new(),
                        skipped: vec![(*l, start..start + k)],
                    };
                    (k, fit)
                })
                .collect(),
            Item::AnyOrder { lines } => {
                let chunk = p.get(..lines.len());
                chunk
                    .and_then(|c| self.any_order(lines, c))
                    .map(|f| (lines.len(), f))
                    .into_iter()
                    .collect()
            }
            Item::Optional { lines } => (0..=lines.len().min(p.len()))
                .rev()
                .filter_map(|t| self.in_order(&lines[..t], &p[..t]).map(|f| (t, f)))
                .collect(),
            Item::Repeat { min, max, lines } => self.repeats(*min, *max, lines, p),
            Item::Interleaved { key, groups } => self.interleavings(key, groups, p),
        }
    }

    /// `lines` against `p`, one to one, in order.
    fn in_order(&self, lines: &[usize], p: &[usize]) -> Option<Fit> {
        if lines.len() != p.len() {
            return None;
        }
        let all = lines
            .iter()
            .zip(p)
            .all(|(&l, &j)| self.lines[l].matches(&self.printed[j]));
        all.then(|| Fit {
            pairs: lines.iter().copied().zip(p.iter().copied()).collect(),
            skipped: Vec::new(),
        })
    }

    /// `lines` repeated `min` to `max` times at the start of `p`.
    fn repeats(&self, min: u32, max: u32, lines: &[usize], p: &[usize]) -> Vec<(usize, Fit)> {
        let mut found = Vec::new();
        let mut fit = Fit::default();
        for times in 0..=max as usize {
            if times >= min as usize {
                found.push((times * lines.len(), fit.clone()));
            }
            let next = p.get(times * lines.len()..(times + 1) * lines.len());
            match next.and_then(|chunk| self.in_order(lines, chunk)) {
                Some(more) => fit.merge(more),
                None => break,
            }
        }
        // The most repetitions first: a `...` after the section then takes the fewest lines.
        found.reverse();
        found
    }

    /// Each of `lines` takes one of `p`, in any order (a maximum bipartite matching).
    fn any_order(&self, lines: &[usize], p: &[usize]) -> Option<Fit> {
        let candidates: Vec<Vec<usize>> = lines
            .iter()
            .map(|&l| {
                (0..p.len())
                    .filter(|&k| self.lines[l].matches(&self.printed[p[k]]))
                    .collect()
            })
            .collect();
        let owner = assign(&candidates, p.len())?;
        Some(Fit {
            pairs: owner.iter().enumerate().map(|(k, &e)| (lines[e], p[k])).collect(),
            skipped: Vec::new(),
        })
    }

    /// Every number of the first lines of `p` an interleaved section can take.
    fn interleavings(&self, key: &Regex, groups: &[Group], p: &[usize]) -> Vec<(usize, Fit)> {
        // The section's lines all name one of its groups: it ends at the first that does not.
        let keys: Vec<Option<usize>> = p
            .iter()
            .map(|&j| {
                let found = key.find(&self.printed[j])?;
                groups.iter().position(|g| g.key == found.as_str())
            })
            .collect();
        let longest = keys.iter().position(Option::is_none).unwrap_or(p.len());
        (0..=longest)
            .rev()
            .filter_map(|k| self.interleaved(groups, &p[..k], &keys[..k]).map(|f| (k, f)))
            .collect()
    }

    /// Each group's items against the lines of `p` that carry its key (`keys`), in order.
    fn interleaved(&self, groups: &[Group], p: &[usize], keys: &[Option<usize>]) -> Option<Fit> {
        let mut fit = Fit::default();
        for (g, group) in groups.iter().enumerate() {
            let mine: Vec<usize> = p
                .iter()
                .zip(keys)
                .filter(|(_, k)| **k == Some(g))
                .map(|(&j, _)| j)
                .collect();
            fit.merge(self.sequence(&group.items, &mine)?);
        }
        Some(fit)
    }
}

/// A printed line for every expected line, each its own, from `candidates[e]` (the printed
/// lines expected line `e` matches); `n` printed lines, all of which must be taken. Returns
/// the expected line of each printed line.
pub(crate) fn assign(candidates: &[Vec<usize>], n: usize) -> Option<Vec<usize>> {
    let mut owner: Vec<Option<usize>> = vec![None; n];
    let mut visited = vec![usize::MAX; n];
    for e in 0..candidates.len() {
        if !augment(e, e, candidates, &mut owner, &mut visited) {
            return None;
        }
    }
    owner.into_iter().collect()
}

/// Kuhn's augmenting path: finds a printed line for expected line `e`, moving earlier
/// choices along when that frees one. `visited[j] == round` marks the lines this search has
/// tried, so that the marks need no clearing between searches.
pub(crate) fn augment(
    e: usize,
    round: usize,
    candidates: &[Vec<usize>],
    owner: &mut [Option<usize>],
    visited: &mut [usize],
) -> bool {
    for &j in &candidates[e] {
        if visited[j] == round {
            continue;
        }
        visited[j] = round;
        if owner[j].is_none_or(|other| augment(other, round, candidates, owner, visited)) {
            owner[j] = Some(e);
            return true;
        }
    }
    false
}
