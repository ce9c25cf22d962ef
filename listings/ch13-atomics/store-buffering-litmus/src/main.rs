use std::hint::spin_loop;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;

const TRIALS: usize = 20_000;

fn litmus(store: Ordering, load: Ordering) -> usize {
    let (x, y) = (&AtomicBool::new(false), &AtomicBool::new(false));
    let saw = &[AtomicBool::new(false), AtomicBool::new(false)];
    let (turn, arrived) = (&AtomicUsize::new(0), &AtomicUsize::new(0));
    let both_missed = &AtomicUsize::new(0);
    thread::scope(|s| {
        for me in 0..2 {
            let (mine, other) = if me == 0 { (x, y) } else { (y, x) };
            s.spawn(move || {
                for trial in 0..TRIALS {
                    let mut spins = 0u32;
                    while turn.load(Ordering::SeqCst) != trial {
                        spins += 1; // wait for the starting gun,
                        if spins % 64 == 0 {
                            thread::yield_now(); // letting the other thread run if it must
                        } else {
                            spin_loop();
                        }
                    }
                    mine.store(true, store);
                    saw[me].store(other.load(load), Ordering::Relaxed);
                    if arrived.fetch_add(1, Ordering::SeqCst) == 1 {
                        // Last one here: score the trial, reset, start the next.
                        if !saw[0].load(Ordering::Relaxed) && !saw[1].load(Ordering::Relaxed) {
                            both_missed.fetch_add(1, Ordering::Relaxed);
                        }
                        x.store(false, Ordering::Relaxed);
                        y.store(false, Ordering::Relaxed);
                        arrived.store(0, Ordering::Relaxed);
                        turn.store(trial + 1, Ordering::SeqCst);
                    }
                }
            });
        }
    });
    both_missed.load(Ordering::Relaxed)
}

fn main() {
    let weak = litmus(Ordering::Release, Ordering::Acquire);
    println!("Release/Acquire: both loads saw false in {weak} of {TRIALS} trials");
    let strong = litmus(Ordering::SeqCst, Ordering::SeqCst);
    println!("SeqCst:          both loads saw false in {strong} of {TRIALS} trials");
}
