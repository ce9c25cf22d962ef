use std::thread;
use std::time::{Duration, Instant};

/// Prints what a task does and when, in milliseconds since `clock` started.
fn log(clock: Instant, task: &str, event: &str) {
    println!("{task}: {event} at {} ms", clock.elapsed().as_millis());
}

/// A task of `steps` steps that waits `pause` milliseconds before each one.
fn task(clock: Instant, name: &str, steps: u32, pause: u64) {
    log(clock, name, "start");
    for _ in 0..steps {
        log(clock, name, "wait");
        thread::sleep(Duration::from_millis(pause));
        log(clock, name, "resume");
    }
    log(clock, name, "stop");
}

fn main() {
    let clock = Instant::now();
    task(clock, "sequential/download", 3, 100);
    task(clock, "sequential/spinner", 4, 60);
    let sequential = clock.elapsed();

    let clock = Instant::now();
    let download = thread::spawn(move || task(clock, "threads/download", 3, 100));
    let spinner = thread::spawn(move || task(clock, "threads/spinner", 4, 60));
    download.join().unwrap();
    spinner.join().unwrap();
    let threads = clock.elapsed();

    println!("one after another: {sequential:.0?}");
    println!("on two threads: {threads:.0?}");
    let verdict = if threads < sequential { "yes" } else { "no" };
    println!("the threads finished first: {verdict}");
}
