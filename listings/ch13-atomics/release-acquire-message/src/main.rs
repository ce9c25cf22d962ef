use std::cell::UnsafeCell;
use std::hint::spin_loop;
use std::sync::atomic::AtomicBool;
use std::sync::atomic::Ordering::{Acquire, Relaxed, Release};
use std::thread;

struct Mailbox {
    letter: UnsafeCell<[u64; 4]>,
    claimed: AtomicBool,
    full: AtomicBool,
}

// SAFETY: `letter` is written only by the one `send` that wins the swap on `claimed`, before it
// sets `full`, and read only after an Acquire load has seen `full == true`, when no write can
// follow. So no read ever overlaps the write.
unsafe impl Sync for Mailbox {}

impl Mailbox {
    fn new() -> Self {
        let letter = UnsafeCell::new([0; 4]);
        Mailbox { letter, claimed: AtomicBool::new(false), full: AtomicBool::new(false) }
    }

    fn send(&self, letter: [u64; 4]) {
        if self.claimed.swap(true, Relaxed) {
            panic!("this mailbox takes one letter");
        }
        unsafe { *self.letter.get() = letter };
        self.full.store(true, Release);
    }

    fn receive(&self) -> [u64; 4] {
        while !self.full.load(Acquire) {
            spin_loop();
        }
        unsafe { *self.letter.get() }
    }
}

fn main() {
    let mut torn = 0;
    for round in 0..2_000u64 {
        let letter = [round, round + 1, round + 2, round + 3];
        let mailbox = Mailbox::new();
        let received = thread::scope(|s| {
            s.spawn(|| mailbox.send(letter));
            s.spawn(|| mailbox.receive()).join().unwrap()
        });
        if received != letter {
            torn += 1;
        }
    }
    println!("2000 letters delivered, {torn} seen half-written");
    let mailbox = Mailbox::new();
    mailbox.send([1, 2, 3, 4]);
    let again = thread::scope(|s| s.spawn(|| mailbox.send([5, 6, 7, 8])).join());
    println!("a second send: {}", if again.is_err() { "panicked, letter untouched" } else { "ok" });
    println!("the letter: {:?}", mailbox.receive());
}
