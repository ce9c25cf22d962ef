use std::thread;

fn main() {
    let handle = thread::spawn(|| {
        let sum: u64 = (1..=1_000_000u64).map(|n| n * n % 7).sum();
        sum
    });
    println!("main: the sum is being computed elsewhere");
    let sum = handle.join().unwrap();
    println!("main: the thread returned {sum}");
}
