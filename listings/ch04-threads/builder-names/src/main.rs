use std::thread;

fn main() {
    let mut handles = Vec::new();
    for part in 0..3 {
        let handle = thread::Builder::new()
            .name(format!("checker-{part}"))
            .stack_size(64 * 1024)
            .spawn(move || {
                let me = thread::current();
                format!("{} checked part {part}", me.name().unwrap())
            })
            .expect("the OS refused to start a thread");
        handles.push(handle);
    }
    for handle in handles {
        println!("{}", handle.join().unwrap());
    }
}
