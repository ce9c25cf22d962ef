use rayon::ThreadPoolBuilder;
use rayon::prelude::*;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

fn work(n: u64) -> u64 {
    thread::sleep(Duration::from_millis(100 * (3 - n))); // later submissions finish sooner
    n * n
}

fn main() {
    let pool = ThreadPoolBuilder::new().num_threads(4).build().unwrap();

    let (done, completed) = mpsc::channel();
    for n in 0..4 {
        let done = done.clone();
        pool.spawn(move || done.send((n, work(n))).unwrap());
    }
    drop(done);
    for (n, result) in completed {
        println!("as completed: work({n}) = {result}");
    }

    let in_order: Vec<u64> = pool.install(|| (0..4).into_par_iter().map(work).collect());
    println!("map, in order: {in_order:?}");
}
