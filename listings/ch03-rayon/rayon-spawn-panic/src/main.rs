use rayon::prelude::*;
use std::os::unix::process::ExitStatusExt;
use std::process::Command;
use std::{panic, thread, time::Duration};

fn main() {
    if std::env::args().nth(1).as_deref() == Some("child") {
        rayon::spawn(|| panic!("a spawned task failed"));
        thread::sleep(Duration::from_secs(5));
        println!("child: still alive");
        return;
    }
    let result = panic::catch_unwind(|| {
        let check = |i| if i == 42 { panic!("item {i} failed") } else { i };
        (0..100).into_par_iter().map(check).sum::<u32>()
    });
    println!("main: the iterator's panic came back as an error: {}", result.is_err());

    let me = std::env::current_exe().unwrap();
    let status = Command::new(me).arg("child").status().unwrap();
    let signal = status.signal().expect("the child should not exit normally");
    println!("main: the child was killed by signal {signal}");
}
