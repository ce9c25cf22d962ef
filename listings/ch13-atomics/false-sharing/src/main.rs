use crossbeam_utils::CachePadded;
use std::hint::black_box;
use std::sync::Barrier;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::thread;
use std::time::{Duration, Instant};

const ROUNDS: u64 = 100_000_000;

#[repr(align(64))]
struct SideBySide {
    a: AtomicU64,
    b: AtomicU64,
}

struct Padded {
    a: CachePadded<AtomicU64>,
    b: CachePadded<AtomicU64>,
}

fn race(a: &AtomicU64, b: &AtomicU64) -> Duration {
    let ready = Barrier::new(3);
    thread::scope(|s| {
        for counter in [a, b] {
            let ready = &ready;
            s.spawn(move || {
                ready.wait();
                for _ in 0..ROUNDS {
                    let v = counter.load(Relaxed);
                    counter.store(black_box(v + 1), Relaxed);
                }
            });
        }
        ready.wait();
        Instant::now()
    })
    .elapsed()
}

fn main() {
    let close = SideBySide { a: AtomicU64::new(0), b: AtomicU64::new(0) };
    let apart =
        Padded { a: CachePadded::new(AtomicU64::new(0)), b: CachePadded::new(AtomicU64::new(0)) };
    let gap = |a: &AtomicU64, b: &AtomicU64| b as *const _ as usize - a as *const _ as usize;
    println!("side by side: counters {} bytes apart", gap(&close.a, &close.b));
    println!("padded:       counters {} bytes apart", gap(&apart.a, &apart.b));

    let t_close = race(&close.a, &close.b);
    let t_apart = race(&apart.a, &apart.b);
    println!("same cache line:      {t_close:.1?}");
    println!("separate cache lines: {t_apart:.1?}");
    println!("same line takes {:.1}x as long", t_close.as_secs_f64() / t_apart.as_secs_f64());
}
