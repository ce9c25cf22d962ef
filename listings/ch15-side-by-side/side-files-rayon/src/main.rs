use rayon::prelude::*;
use std::collections::HashMap;
use std::fs;
use std::path::PathBuf;
use std::time::Duration;
use std::time::Instant;

/// The input: FILES text files of WORDS_PER_FILE words each.
const FILES: u64 = 48;
const WORDS_PER_FILE: u64 = 40_000;

/// Write the input files into `data/`, in the working directory; return their paths.
fn write_files() -> Vec<PathBuf> {
    const SYLLABLES: [&str; 8] = ["ka", "lo", "mi", "ne", "ru", "si", "ta", "vo"];
    fs::create_dir_all("data").unwrap();
    let mut paths = Vec::new();
    for file in 0..FILES {
        let mut x = 0x2545_F491_4F6C_DD1D ^ (file + 1); // a different seed for every file
        let mut text = String::new();
        for i in 0..WORDS_PER_FILE {
            x ^= x << 13; // xorshift64: cheap, reproducible pseudo-random numbers
            x ^= x >> 7;
            x ^= x << 17;
            let rank = (x % 512).min(x >> 16 & 511).min(x >> 32 & 511); // low ranks are common
            let syllables = [rank / 64, rank / 8 % 8, rank % 8].map(|s| SYLLABLES[s as usize]);
            let word = syllables.concat();
            if i % 10 == 0 {
                text.push_str(&word[..1].to_uppercase()); // a sentence starts with a capital
                text.push_str(&word[1..]);
            } else {
                text.push_str(&word);
            }
            text.push_str(if i % 10 == 9 { ".\n" } else { " " });
        }
        let path = PathBuf::from(format!("data/part-{file:02}.txt"));
        fs::write(&path, text).unwrap();
        paths.push(path);
    }
    paths
}

/// Parse and compute: count the words of one text, ignoring case and punctuation.
fn count_words(text: &str) -> HashMap<String, u64> {
    let mut counts = HashMap::new();
    for word in text.split_whitespace() {
        let word = word.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
        if !word.is_empty() {
            *counts.entry(word).or_insert(0) += 1;
        }
    }
    counts
}

/// Aggregate: add one file's counts to the totals.
fn merge(totals: &mut HashMap<String, u64>, counts: HashMap<String, u64>) {
    for (word, n) in counts {
        *totals.entry(word).or_insert(0) += n;
    }
}

/// The aggregate in one line: words, distinct words, the three most common.
fn describe(totals: &HashMap<String, u64>) -> String {
    let words: u64 = totals.values().sum();
    let mut by_count: Vec<(&String, &u64)> = totals.iter().collect();
    by_count.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let top: Vec<String> = by_count[..3].iter().map(|(w, n)| format!("{w} {n}")).collect();
    format!("{words} words, {} distinct, most common: {}", totals.len(), top.join(", "))
}

/// The yardstick: the sequential pipeline, timed.
fn sequential_baseline(paths: &[PathBuf]) -> (HashMap<String, u64>, Duration) {
    let start = Instant::now();
    let mut totals = HashMap::new();
    for path in paths {
        merge(&mut totals, count_words(&fs::read_to_string(path).unwrap()));
    }
    (totals, start.elapsed())
}

/// Check the totals against the baseline; print the aggregate, both times and the speedup.
fn report(
    model: &str,
    workers: usize,
    totals: &HashMap<String, u64>,
    elapsed: Duration,
    baseline: (HashMap<String, u64>, Duration),
) {
    let (expected, sequential) = baseline;
    assert!(*totals == expected, "{model} got a different aggregate");
    let (time, sequential) = (elapsed.as_secs_f64(), sequential.as_secs_f64());
    println!("{}", describe(totals));
    print!("model: {model}  workload: mixed  workers: {workers}  time: {time:.3} s  ");
    println!("sequential: {sequential:.3} s  speedup: {:.2}x", sequential / time);
}

fn main() {
    let paths = write_files();
    let baseline = sequential_baseline(&paths);
    let start = Instant::now();
    let totals = paths
        .par_iter()
        .map(|path| count_words(&fs::read_to_string(path).unwrap()))
        .reduce(HashMap::new, |mut totals, counts| {
            merge(&mut totals, counts);
            totals
        });
    let elapsed = start.elapsed();
    report("rayon", rayon::current_num_threads(), &totals, elapsed, baseline);
}
