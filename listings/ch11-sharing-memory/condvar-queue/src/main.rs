use std::collections::VecDeque;
use std::sync::{Condvar, Mutex};
use std::thread;

struct Queue {
    jobs: VecDeque<u64>,
    closed: bool,
}

fn main() {
    let queue = Mutex::new(Queue { jobs: VecDeque::new(), closed: false });
    let changed = Condvar::new();
    let results = Mutex::new(Vec::new());

    thread::scope(|s| {
        for _ in 0..3 {
            s.spawn(|| {
                loop {
                    let mut q = changed
                        .wait_while(queue.lock().unwrap(), |q| q.jobs.is_empty() && !q.closed)
                        .unwrap();
                    let Some(n) = q.jobs.pop_front() else {
                        return;
                    };
                    drop(q);
                    results.lock().unwrap().push((n, n * n));
                }
            });
        }
        for n in 1..=6 {
            queue.lock().unwrap().jobs.push_back(n);
            changed.notify_one();
        }
        queue.lock().unwrap().closed = true;
        changed.notify_all();
    });

    let mut results = results.into_inner().unwrap();
    results.sort();
    for (n, square) in results {
        println!("{n} squared is {square}");
    }
}
