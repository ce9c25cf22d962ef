use std::env;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

fn main() -> std::io::Result<()> {
    let mut grep = Command::new("grep")
        .args(env::args().skip(1))
        .arg("ERROR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let mut requests = grep.stdin.take().unwrap();
    let mut replies = BufReader::new(grep.stdout.take().unwrap());
    for line in ["ERROR disk full", "ERROR disk still full"] {
        writeln!(requests, "{line}")?;
        println!("sent {line:?}, waiting for grep to pass it on");
        let mut reply = String::new();
        replies.read_line(&mut reply)?;
        println!("grep passed on {:?}", reply.trim_end());
    }
    drop(requests);
    println!("grep: {}", grep.wait()?);
    Ok(())
}
