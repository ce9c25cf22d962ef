//! What every layer may use and that belongs to none of them: files, text, hashes, the
//! processes the engine starts. Nothing here knows about books, listings or rendering.

pub(crate) mod disk_cache;
pub(crate) mod exit;
pub(crate) mod fs;
pub(crate) mod hash;
pub(crate) mod process;
pub(crate) mod text;

use std::sync::{Mutex, MutexGuard};

/// Locks a mutex, carrying on after a panic elsewhere: every mutex in the crate guards data
/// that stays consistent between statements (a map, a set), so a poisoned one is still
/// usable.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
