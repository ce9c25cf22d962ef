use loom::cell::UnsafeCell;
use loom::sync::Arc;
use loom::sync::atomic::AtomicBool;
use loom::sync::atomic::Ordering::{Acquire, Relaxed, Release};
use loom::thread;
use std::sync::atomic::{AtomicUsize, Ordering};

struct SpinLock {
    held: AtomicBool,
    data: UnsafeCell<u64>,
}

// SAFETY: `data` is touched only between a compare-exchange that set `held` (Acquire) and the
// store that clears it (Release), so only one thread at a time reaches it.
unsafe impl Sync for SpinLock {}

impl SpinLock {
    fn with_lock(&self, f: impl FnOnce(&mut u64)) {
        while self.held.compare_exchange_weak(false, true, Acquire, Relaxed).is_err() {
            thread::yield_now();
        }
        self.data.with_mut(|p| f(unsafe { &mut *p }));
        self.held.store(false, Release);
    }
}

static EXECUTIONS: AtomicUsize = AtomicUsize::new(0);

fn main() {
    loom::model(|| {
        EXECUTIONS.fetch_add(1, Ordering::Relaxed);
        let lock = Arc::new(SpinLock { held: AtomicBool::new(false), data: UnsafeCell::new(0) });
        let other = lock.clone();
        let t = thread::spawn(move || other.with_lock(|n| *n += 1));
        lock.with_lock(|n| *n += 1);
        t.join().unwrap();
        lock.with_lock(|n| assert_eq!(*n, 2));
    });
    let executions = EXECUTIONS.load(Ordering::Relaxed);
    println!("the spin lock is sound in all {executions} executions");
}
