use std::ops::Deref;
use std::ptr::NonNull;
use std::sync::atomic::Ordering::{Acquire, Relaxed, Release};
use std::sync::atomic::{AtomicU64, AtomicUsize, fence};
use std::thread;

struct Inner<T> {
    owners: AtomicUsize,
    data: T,
}

/// A pointer to a heap block that counts its owners, like `Arc`.
struct Shared<T> {
    inner: NonNull<Inner<T>>,
}

// SAFETY: as for `Arc`: every owner reaches `&T`, so `T` must be `Sync`, and whichever owner is
// last drops the `T`, on its own thread, so `T` must be `Send`.
unsafe impl<T: Send + Sync> Send for Shared<T> {}
unsafe impl<T: Send + Sync> Sync for Shared<T> {}

impl<T> Shared<T> {
    fn new(data: T) -> Self {
        let inner = Box::new(Inner { owners: AtomicUsize::new(1), data });
        Shared { inner: NonNull::from(Box::leak(inner)) }
    }

    fn inner(&self) -> &Inner<T> {
        // SAFETY: the block lives as long as any owner does, and `self` is one.
        unsafe { self.inner.as_ref() }
    }
}

impl<T> Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.inner().data
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        self.inner().owners.fetch_add(1, Relaxed);
        Shared { inner: self.inner }
    }
}

impl<T> Drop for Shared<T> {
    fn drop(&mut self) {
        if self.inner().owners.fetch_sub(1, Release) == 1 {
            fence(Acquire);
            // SAFETY: we were the last owner, and the fence makes every other owner's use of
            // the block happen before this point.
            drop(unsafe { Box::from_raw(self.inner.as_ptr()) });
        }
    }
}

struct Slots([AtomicU64; 4]);

static COMPLETE: AtomicUsize = AtomicUsize::new(0);

impl Drop for Slots {
    fn drop(&mut self) {
        let seen: Vec<u64> = self.0.iter().map(|slot| slot.load(Relaxed)).collect();
        if seen == [1, 2, 3, 4] {
            COMPLETE.fetch_add(1, Relaxed);
        }
    }
}

fn main() {
    for _ in 0..1_000 {
        let slots = Shared::new(Slots([0, 0, 0, 0].map(AtomicU64::new)));
        thread::scope(|s| {
            for i in 0..4 {
                let mine = slots.clone();
                s.spawn(move || mine.0[i].store(i as u64 + 1, Relaxed));
            }
            drop(slots); // one of the four threads will be the last owner
        });
    }
    let complete = COMPLETE.load(Relaxed);
    println!("1000 values; the last owner saw all four slots filled for {complete}");
}
