use std::cell::UnsafeCell;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::AtomicBool;
use std::sync::atomic::Ordering::{Acquire, Relaxed, Release};
use std::thread;

struct SpinLock<T> {
    held: AtomicBool,
    data: UnsafeCell<T>,
}

// SAFETY: `data` is reached only through a `SpinGuard`, and only one guard exists at a time:
// `lock` creates one only after its compare-exchange set `held`, and the guard's drop clears it.
// So sharing the lock only ever moves the `T` from one thread to the next, which needs `T: Send`.
unsafe impl<T: Send> Sync for SpinLock<T> {}

/// Proof that this thread holds the lock; dropping it lets the lock go.
struct SpinGuard<'a, T> {
    spin: &'a SpinLock<T>,
}

// SAFETY: a `&SpinGuard` hands out `&T` (through `Deref`), so threads sharing one guard share
// the `T` itself, which is sound only when `T: Sync`. Without this line the guard would be
// `Sync` whenever `T: Send`, because its only field, a `&SpinLock<T>`, is.
unsafe impl<T: Sync> Sync for SpinGuard<'_, T> {}

impl<T> SpinLock<T> {
    fn new(data: T) -> Self {
        SpinLock { held: AtomicBool::new(false), data: UnsafeCell::new(data) }
    }

    fn lock(&self) -> SpinGuard<'_, T> {
        while self.held.compare_exchange_weak(false, true, Acquire, Relaxed).is_err() {
            while self.held.load(Relaxed) {
                std::hint::spin_loop();
            }
        }
        SpinGuard { spin: self }
    }
}

impl<T> Deref for SpinGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        unsafe { &*self.spin.data.get() }
    }
}

impl<T> DerefMut for SpinGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        unsafe { &mut *self.spin.data.get() }
    }
}

impl<T> Drop for SpinGuard<'_, T> {
    fn drop(&mut self) {
        self.spin.held.store(false, Release);
    }
}

fn main() {
    let log = SpinLock::new(Vec::new());
    thread::scope(|s| {
        for t in 0..4 {
            let log = &log;
            s.spawn(move || {
                for i in 0..50_000 {
                    log.lock().push((t, i));
                }
            });
        }
    });
    let log = log.lock();
    let in_order = (0..4).all(|t| {
        let mine: Vec<_> = log.iter().filter(|e| e.0 == t).map(|e| e.1).collect();
        mine == (0..50_000).collect::<Vec<_>>()
    });
    println!("entries: {}", log.len());
    println!("each thread's entries complete and in order: {in_order}");
}
