use loom::cell::UnsafeCell;
use loom::sync::Arc;
use loom::sync::atomic::{AtomicBool, Ordering::Relaxed};
use loom::thread;

struct Mailbox {
    letter: UnsafeCell<u64>,
    full: AtomicBool,
}

// SAFETY (claimed, and wrong): the model's one sender writes `letter` before setting `full`, and
// the receiver reads it only after seeing `full`. The `Relaxed` flag breaks the second half.
unsafe impl Sync for Mailbox {}

impl Mailbox {
    fn send(&self, letter: u64) {
        self.letter.with_mut(|p| unsafe { *p = letter });
        self.full.store(true, Relaxed);
    }

    fn receive(&self) -> u64 {
        while !self.full.load(Relaxed) {
            thread::yield_now();
        }
        self.letter.with(|p| unsafe { *p })
    }
}

fn main() {
    loom::model(|| {
        let mailbox =
            Arc::new(Mailbox { letter: UnsafeCell::new(0), full: AtomicBool::new(false) });
        let sender = mailbox.clone();
        let t = thread::spawn(move || sender.send(42));
        assert_eq!(mailbox.receive(), 42);
        t.join().unwrap();
    });
    println!("the mailbox is sound");
}
