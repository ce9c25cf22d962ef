use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

static WRITTEN: AtomicUsize = AtomicUsize::new(0);

fn main() -> std::io::Result<()> {
    let data = vec![b'x'; 1 << 20];
    let mut cat = Command::new("cat").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn()?;
    let mut to_cat = cat.stdin.take().unwrap();
    let mut from_cat = cat.stdout.take().unwrap();

    thread::spawn(|| {
        thread::sleep(Duration::from_millis(500));
        let early = WRITTEN.load(Ordering::SeqCst);
        thread::sleep(Duration::from_millis(500));
        let late = WRITTEN.load(Ordering::SeqCst);
        println!("after 0.5 s: {early} bytes written; in the next 0.5 s: {}", late - early);
    });

    println!("writing {} bytes to cat, then reading them back", data.len());
    for chunk in data.chunks(4096) {
        to_cat.write_all(chunk)?;
        WRITTEN.fetch_add(chunk.len(), Ordering::SeqCst);
    }
    drop(to_cat);

    let mut echoed = Vec::new();
    from_cat.read_to_end(&mut echoed)?;
    println!("read back {} bytes", echoed.len());
    Ok(())
}
