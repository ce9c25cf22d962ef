use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::thread;
use std::time::{Duration, Instant};

fn busy_for(duration: Duration) {
    let start = Instant::now();
    while start.elapsed() < duration {
        std::hint::spin_loop();
    }
}

fn main() {
    let cores = thread::available_parallelism().unwrap().get();
    let ticks = Arc::new(AtomicU32::new(0));

    let t = ticks.clone();
    let ticker = thread::spawn(move || {
        let period = Duration::from_millis(20);
        let start = Instant::now();
        let mut worst = Duration::ZERO;
        for i in 1..=10 {
            let due = start + period * i;
            thread::sleep(due.saturating_duration_since(Instant::now()));
            worst = worst.max(due.elapsed());
            t.fetch_add(1, Ordering::Relaxed);
        }
        worst
    });

    let spinners: Vec<_> = (0..cores + 1)
        .map(|_| {
            let t = ticks.clone();
            thread::spawn(move || {
                let before = t.load(Ordering::Relaxed);
                busy_for(Duration::from_millis(300));
                t.load(Ordering::Relaxed) - before
            })
        })
        .collect();

    let fewest = spinners.into_iter().map(|s| s.join().unwrap()).min().unwrap();
    let worst = ticker.join().unwrap();
    println!("{} spinning threads on {cores} cores", cores + 1);
    println!("every spinner saw at least {fewest} of the 10 ticks while it spun");
    println!("the ticker ran while the cores were busy: {}", fewest > 0);
    println!("worst lateness of a tick: {worst:.1?}");
}
