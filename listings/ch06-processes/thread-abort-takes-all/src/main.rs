use std::env;
use std::os::unix::process::ExitStatusExt;
use std::process::Command;
use std::thread;
use std::time::Duration;

fn child() {
    println!("child: the main thread starts a worker thread");
    let worker = thread::spawn(|| std::process::abort());
    thread::sleep(Duration::from_secs(1));
    println!("child: the main thread carries on");
    let _ = worker.join();
}

fn main() {
    if env::args().nth(1).as_deref() == Some("child") {
        return child();
    }
    let output = Command::new(env::current_exe().unwrap()).arg("child").output().unwrap();
    print!("{}", String::from_utf8_lossy(&output.stdout));
    match output.status.signal() {
        Some(signal) => println!("parent: the child was killed by signal {signal}"),
        None => println!("parent: the child exited with {}", output.status),
    }
}
