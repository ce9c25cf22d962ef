use std::cell::UnsafeCell;
use std::hint::spin_loop;
use std::sync::atomic::AtomicBool;
use std::sync::atomic::Ordering::{Acquire, Release};
use std::thread;

struct Mailbox {
    letter: UnsafeCell<[u64; 4]>,
    full: AtomicBool,
}

// SAFETY: `letter` is written once, by one sender, before `full` is set,
// and read only after an Acquire load has seen `full == true`.
unsafe impl Sync for Mailbox {}

impl Mailbox {
    fn send(&self, letter: [u64; 4]) {
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
        let mailbox = Mailbox { letter: UnsafeCell::new([0; 4]), full: AtomicBool::new(false) };
        let received = thread::scope(|s| {
            s.spawn(|| mailbox.send(letter));
            s.spawn(|| mailbox.receive()).join().unwrap()
        });
        if received != letter {
            torn += 1;
        }
    }
    println!("2000 letters delivered, {torn} seen half-written");
}
