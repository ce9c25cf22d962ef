use std::thread;
use std::time::Duration;
use tokio::time::sleep;

async fn fetch(what: &'static str, ms: u64) -> String {
    let here = thread::current();
    println!("fetching {what} on thread '{}'", here.name().unwrap());
    sleep(Duration::from_millis(ms)).await;
    format!("{what}, after {ms} ms")
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("worker")
        .enable_all()
        .build()
        .unwrap();

    runtime.block_on(async {
        println!("main: spawning a task");
        let handle = tokio::spawn(fetch("the spawned task", 20));
        let result = handle.await.unwrap();
        println!("main: the task returned \"{result}\"");
    });
    println!("block_on returned on thread '{}'", thread::current().name().unwrap());
}
