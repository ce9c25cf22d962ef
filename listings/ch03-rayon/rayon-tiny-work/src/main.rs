use rayon::prelude::*;
use std::hint::black_box;
use std::time::{Duration, Instant};

fn main() {
    let numbers: Vec<u64> = (0..1_000).collect();
    const ROUNDS: u32 = 1_000;

    let start = Instant::now();
    let mut total = 0;
    for _ in 0..ROUNDS {
        total += black_box(&numbers).iter().sum::<u64>();
    }
    let sequential = start.elapsed() / ROUNDS;

    let start = Instant::now();
    let mut total_par = 0;
    for _ in 0..ROUNDS {
        total_par += black_box(&numbers).par_iter().sum::<u64>();
    }
    let parallel = start.elapsed() / ROUNDS;

    assert_eq!(total, total_par);
    println!("sum of 1000 numbers, sequential: {sequential:.2?}");
    println!("sum of 1000 numbers, rayon:      {parallel:.2?}");
    let ratio = parallel.as_secs_f64() / sequential.as_secs_f64();
    println!("rayon takes {ratio:.0} times as long");
    let verdict = |claim| if claim { "yes" } else { "no" };
    println!("rayon more than 5 times slower here: {}", verdict(ratio > 5.0));
    let under_a_ms = parallel < Duration::from_millis(1);
    println!("one round trip through the pool under a millisecond: {}", verdict(under_a_ms));
}
