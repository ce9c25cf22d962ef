use loom::cell::UnsafeCell;
use loom::sync::Arc;
use loom::sync::atomic::AtomicBool;
use loom::sync::atomic::Ordering::{Acquire, Release};
use loom::thread;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

struct Mailbox {
    letter: UnsafeCell<u64>,
    full: AtomicBool,
}

// SAFETY: the model's one sender writes `letter` before its Release store to `full`, and the
// receiver reads it only after an Acquire load has seen `full`. (Chapter 13's mailbox also
// enforces the single send; the model leaves that out to stay small.)
unsafe impl Sync for Mailbox {}

impl Mailbox {
    fn send(&self, letter: u64) {
        self.letter.with_mut(|p| unsafe { *p = letter });
        self.full.store(true, Release);
    }

    fn receive(&self) -> u64 {
        while !self.full.load(Acquire) {
            thread::yield_now();
        }
        self.letter.with(|p| unsafe { *p })
    }
}

static EXECUTIONS: AtomicUsize = AtomicUsize::new(0);

fn main() {
    loom::model(|| {
        EXECUTIONS.fetch_add(1, Relaxed);
        let mailbox =
            Arc::new(Mailbox { letter: UnsafeCell::new(0), full: AtomicBool::new(false) });
        let sender = mailbox.clone();
        let t = thread::spawn(move || sender.send(42));
        assert_eq!(mailbox.receive(), 42);
        t.join().unwrap();
    });
    println!("the mailbox is sound in all {} executions", EXECUTIONS.load(Relaxed));
}
