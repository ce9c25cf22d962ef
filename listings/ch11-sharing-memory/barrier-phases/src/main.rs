use std::sync::{Barrier, Mutex};
use std::thread;
use std::time::Duration;

fn main() {
    let barrier = Barrier::new(4);
    let log = Mutex::new(Vec::new());
    let leaders = Mutex::new(Vec::new());

    thread::scope(|s| {
        for id in 0..4u64 {
            let (barrier, log, leaders) = (&barrier, &log, &leaders);
            s.spawn(move || {
                for phase in 1..=3 {
                    thread::sleep(Duration::from_millis(id * 5));
                    log.lock().unwrap().push((phase, id));
                    if barrier.wait().is_leader() {
                        leaders.lock().unwrap().push(phase);
                    }
                }
            });
        }
    });

    let log = log.into_inner().unwrap();
    for phase in 1..=3 {
        let mut ids: Vec<u64> = log.iter().filter(|e| e.0 == phase).map(|e| e.1).collect();
        ids.sort();
        println!("phase {phase}: workers {ids:?} arrived");
    }
    let out_of_order = log.windows(2).filter(|w| w[1].0 < w[0].0).count();
    println!("log entries out of phase order: {out_of_order}");
    println!("leader chosen in phases: {:?}", leaders.into_inner().unwrap());
}
