use std::sync::Mutex;

fn main() {
    let jobs = Mutex::new(vec![1, 2, 3]);
    match jobs.lock().unwrap().pop() {
        Some(job) => {
            println!("took job {job}; queueing a follow-up");
            jobs.lock().unwrap().push(job * 10);
            println!("queued");
        }
        None => println!("no jobs"),
    }
}
