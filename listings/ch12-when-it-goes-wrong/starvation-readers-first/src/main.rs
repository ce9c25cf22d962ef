use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

#[derive(Default)]
struct State {
    readers: u32,
    writing: bool,
    writers_waiting: u32,
    overtaken: u32, // readers let in while a writer was waiting
}

struct Gate {
    state: Mutex<State>,
    changed: Condvar,
    writers_first: bool,
}

impl Gate {
    fn read(&self, hold: Duration) {
        let mut st = self.state.lock().unwrap();
        while st.writing || (self.writers_first && st.writers_waiting > 0) {
            st = self.changed.wait(st).unwrap();
        }
        st.readers += 1;
        if st.writers_waiting > 0 {
            st.overtaken += 1;
        }
        drop(st);
        thread::sleep(hold); // reading
        self.state.lock().unwrap().readers -= 1;
        self.changed.notify_all();
    }

    fn write(&self) {
        let mut st = self.state.lock().unwrap();
        st.writers_waiting += 1;
        while st.writing || st.readers > 0 {
            st = self.changed.wait(st).unwrap();
        }
        st.writers_waiting -= 1;
        st.writing = true;
        drop(st);
        // writing...
        self.state.lock().unwrap().writing = false;
        self.changed.notify_all();
    }
}

fn run(name: &str, writers_first: bool) -> Duration {
    let gate = Gate { state: Mutex::default(), changed: Condvar::new(), writers_first };
    let stop = AtomicBool::new(false);
    let waited = thread::scope(|s| {
        for r in 0..3 {
            let (gate, stop) = (&gate, &stop);
            s.spawn(move || {
                thread::sleep(Duration::from_millis(2 * r));
                while !stop.load(Ordering::Relaxed) {
                    gate.read(Duration::from_millis(6));
                }
            });
        }
        let writer = s.spawn(|| {
            thread::sleep(Duration::from_millis(20));
            let asked = Instant::now();
            gate.write();
            asked.elapsed()
        });
        thread::sleep(Duration::from_millis(500));
        stop.store(true, Ordering::Relaxed);
        writer.join().unwrap()
    });
    let overtaken = gate.state.lock().unwrap().overtaken;
    println!("{name}: writer waited {waited:.0?}, readers let in ahead of it: {overtaken}");
    waited
}

fn main() {
    let starved = run("readers first", false);
    let served = run("writers first", true);
    let yes = |b: bool| if b { "yes" } else { "no" };
    println!("readers first kept the writer out over 250 ms: {}", yes(starved.as_millis() > 250));
    println!("writers first let it in within 100 ms: {}", yes(served.as_millis() < 100));
}
