use std::process::Command;

fn main() {
    let output = Command::new("sh")
        .args(["-c", "echo to stdout; echo to stderr >&2; exit 3"])
        .output()
        .expect("could not start sh");
    println!("status: {}", output.status);
    println!("exit code: {:?}", output.status.code());
    println!("stdout: {:?}", String::from_utf8_lossy(&output.stdout));
    println!("stderr: {:?}", String::from_utf8_lossy(&output.stderr));
}
