use std::sync::mpsc;
use std::sync::{Barrier, Mutex};
use std::thread;

fn main() {
    let forks: Vec<Mutex<()>> = (0..5).map(|_| Mutex::new(())).collect();
    let table = Barrier::new(5);
    let (report, reports) = mpsc::channel();
    thread::scope(|s| {
        for p in 0..5 {
            let (forks, table, report) = (&forks, &table, report.clone());
            s.spawn(move || {
                let left = p;
                let right = (p + 1) % 5;
                let _l = forks[left].lock().unwrap();
                report
                    .send(format!("philosopher {p} holds fork {left}, reaches for fork {right}"))
                    .unwrap();
                table.wait();
                let _r = forks[right].lock().unwrap();
                println!("philosopher {p} eats");
            });
        }
        drop(report);
        let mut lines: Vec<String> = reports.iter().take(5).collect();
        lines.sort();
        for line in lines {
            println!("{line}");
        }
        println!("everyone is holding one fork; waiting for dinner to end...");
    });
    println!("dinner is over");
}
