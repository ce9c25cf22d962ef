async fn fetch(name: &str) -> usize {
    println!("fetching {name}");
    name.len()
}

fn main() {
    let future = fetch("example.org");
    println!("got a future; nothing has run yet");
    let length = futures::executor::block_on(future);
    println!("finished: {length}");
}
