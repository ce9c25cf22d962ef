use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::thread;

fn main() -> std::io::Result<()> {
    let data = vec![b'x'; 1 << 20];
    let mut cat = Command::new("cat").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn()?;
    let mut to_cat = cat.stdin.take().unwrap();
    let mut from_cat = cat.stdout.take().unwrap();

    println!("writing {} bytes to cat, then reading them back", data.len());
    let writer = thread::spawn(move || {
        to_cat.write_all(&data)?;
        Ok::<usize, std::io::Error>(data.len())
    });

    let mut echoed = Vec::new();
    from_cat.read_to_end(&mut echoed)?;
    let written = writer.join().unwrap()?;
    println!("wrote {written} bytes, read back {} bytes", echoed.len());
    println!("cat: {}", cat.wait()?);
    Ok(())
}
