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
use std::cell::Cell;

fn main() {
    let lock = SpinLock::new(Cell::new(0u64));
    let guard = lock.lock();
    thread::scope(|s| {
        for _ in 0..2 {
            let guard = &guard;
            s.spawn(move || {
                for _ in 0..1_000_000 {
                    guard.set(guard.get() + 1);
                }
            });
        }
    });
    println!("{}", guard.get());
}
