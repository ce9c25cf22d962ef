use std::thread;
use std::time::Duration;

fn main() {
    let download = thread::spawn(|| {
        for i in 1..=3 {
            println!("download: chunk {i} of 3");
            thread::sleep(Duration::from_millis(10));
        }
    });
    let spinner = thread::spawn(|| {
        for c in ['|', '/', '-', '\\'] {
            println!("spinner: {c}");
            thread::sleep(Duration::from_millis(10));
        }
    });
    download.join().unwrap();
    spinner.join().unwrap();
    println!("all tasks finished");
}
