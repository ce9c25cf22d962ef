use crossbeam_channel::unbounded;
use std::thread;
use std::time::Duration;

fn main() {
    let (jobs, queue) = unbounded::<u64>();
    let workers: Vec<_> = (0..3)
        .map(|_| {
            let queue = queue.clone();
            thread::spawn(move || {
                let mut done = 0;
                for job in queue {
                    thread::sleep(Duration::from_micros(job % 7 * 100));
                    done += 1;
                }
                done
            })
        })
        .collect();

    for job in 0..100 {
        jobs.send(job).unwrap();
    }
    drop(jobs);

    let mut total = 0;
    for (id, worker) in workers.into_iter().enumerate() {
        let done = worker.join().unwrap();
        println!("worker {id} ended after {done} jobs");
        total += done;
    }
    println!("{total} jobs done in all");
}
