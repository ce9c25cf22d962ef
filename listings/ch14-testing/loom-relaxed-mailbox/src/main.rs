use loom::cell::UnsafeCell;
use loom::sync::Arc;
use loom::sync::atomic::{AtomicBool, Ordering::Relaxed};
use loom::thread;

struct Mailbox {
    letter: UnsafeCell<u64>,
    full: AtomicBool,
}

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
