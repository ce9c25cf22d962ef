use std::collections::BTreeMap;
use std::thread;
use std::time::{Duration, Instant};

type Callback = Box<dyn FnOnce(&mut EventLoop)>;

struct EventLoop {
    start: Instant,
    now: Duration, // when the callback that is running was due
    timers: BTreeMap<(Duration, u64), Callback>,
    next_id: u64,
}

impl EventLoop {
    fn new() -> EventLoop {
        let (start, now, timers) = (Instant::now(), Duration::ZERO, BTreeMap::new());
        EventLoop { start, now, timers, next_id: 0 }
    }

    /// Call `callback` once `ms` milliseconds have passed.
    fn after(&mut self, ms: u64, callback: impl FnOnce(&mut EventLoop) + 'static) {
        let due = self.now + Duration::from_millis(ms);
        self.timers.insert((due, self.next_id), Box::new(callback));
        self.next_id += 1;
    }

    fn now_ms(&self) -> u128 {
        self.now.as_millis()
    }

    fn run(&mut self) {
        while let Some(((due, _), callback)) = self.timers.pop_first() {
            let wait = (self.start + due).saturating_duration_since(Instant::now());
            thread::sleep(wait);
            self.now = due;
            callback(self);
        }
    }
}

/// Pretend to fetch `what` from a server that answers after `ms` milliseconds.
fn fetch(
    el: &mut EventLoop,
    what: &'static str,
    ms: u64,
    on_reply: impl FnOnce(&mut EventLoop, &'static str) + 'static,
) {
    el.after(ms, move |el| on_reply(el, what));
}

fn main() {
    let mut el = EventLoop::new();
    // Job A: fetch a user, then that user's orders.
    fetch(&mut el, "user 7", 30, |el, user| {
        println!("{:>3} ms  A got {user}", el.now_ms());
        fetch(el, "3 orders", 30, move |el, orders| {
            println!("{:>3} ms  A got {orders} of {user}", el.now_ms());
        });
    });
    // Job B: three requests, each needing the answer to the one before.
    fetch(&mut el, "config", 20, |el, config| {
        println!("{:>3} ms  B got {config}", el.now_ms());
        fetch(el, "token", 25, |el, token| {
            println!("{:>3} ms  B got {token}", el.now_ms());
            fetch(el, "report", 25, |el, report| {
                println!("{:>3} ms  B got {report}", el.now_ms());
            });
        });
    });
    println!("  0 ms  both jobs started; the loop takes over");
    el.run();
    println!("{:>3} ms  no timers left: the loop ends", el.now_ms());
}
