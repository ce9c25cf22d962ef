use std::thread;

fn main() {
    let handle = thread::Builder::new()
        .name("parser".to_string())
        .spawn(|| "12x".parse::<u32>().expect("a valid reading"))
        .unwrap();
    match handle.join() {
        Ok(n) => println!("parsed {n}"),
        Err(payload) => {
            let message = payload
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| payload.downcast_ref::<&str>().copied())
                .unwrap_or("(not a string)");
            println!("the parser thread failed: {message}");
        }
    }
    println!("main is still running");
}
