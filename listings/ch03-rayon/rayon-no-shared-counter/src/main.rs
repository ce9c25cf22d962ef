use rayon::prelude::*;

fn main() {
    let mut primes = 0;
    (1..100u64).into_par_iter().for_each(|n| {
        if n > 1 && (2..n).all(|d| n % d != 0) {
            primes += 1;
        }
    });
    println!("{primes} primes below 100");
}
