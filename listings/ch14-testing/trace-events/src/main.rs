use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::mpsc;
use std::thread;

static SEQ: AtomicU64 = AtomicU64::new(0);

struct Tracer {
    who: &'static str,
    events: Vec<(u64, &'static str, String)>,
}

impl Tracer {
    fn new(who: &'static str) -> Self {
        Tracer { who, events: Vec::new() }
    }
    fn event(&mut self, what: String) {
        let seq = SEQ.fetch_add(1, Relaxed);
        self.events.push((seq, self.who, what));
    }
}

fn main() {
    let (to_pong, pong_inbox) = mpsc::channel::<u64>();
    let (to_ping, ping_inbox) = mpsc::channel::<u64>();

    let (ping, pong) = thread::scope(|s| {
        let ping = s.spawn(move || {
            let mut t = Tracer::new("ping");
            for n in 1..=3 {
                t.event(format!("send {n}"));
                to_pong.send(n).unwrap();
                let reply = ping_inbox.recv().unwrap();
                t.event(format!("got reply {reply}"));
            }
            t
        });
        let pong = s.spawn(move || {
            let mut t = Tracer::new("pong");
            for n in pong_inbox {
                t.event(format!("recv {n}"));
                t.event(format!("send {}", n * 10));
                to_ping.send(n * 10).unwrap();
            }
            t
        });
        (ping.join().unwrap(), pong.join().unwrap())
    });

    let mut all: Vec<_> = ping.events.into_iter().chain(pong.events).collect();
    all.sort();
    for (seq, who, what) in all {
        println!("{seq:>2} {who}: {what}");
    }
}
