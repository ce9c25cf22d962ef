use std::io::Write;
use std::process::{Command, Stdio};

fn main() -> std::io::Result<()> {
    let mut sort = Command::new("sort").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn()?;
    let uniq = Command::new("uniq")
        .arg("-c")
        .stdin(Stdio::from(sort.stdout.take().unwrap()))
        .stdout(Stdio::piped())
        .spawn()?;

    let mut to_sort = sort.stdin.take().unwrap();
    for word in "the cat saw the dog and the dog saw the cat".split(' ') {
        writeln!(to_sort, "{word}")?;
    }
    drop(to_sort);

    let output = uniq.wait_with_output()?;
    print!("{}", String::from_utf8_lossy(&output.stdout));
    println!("sort: {}, uniq: {}", sort.wait()?, output.status);
    Ok(())
}
