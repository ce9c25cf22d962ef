use crossbeam_channel::{Receiver, Sender, bounded};
use std::thread;

fn player(name: &str, serve: bool, hit: Sender<u32>, receive: Receiver<u32>) {
    if serve {
        hit.send(1).unwrap();
    }
    for rally in receive {
        println!("{name} returns hit {rally}");
        if rally == 5 {
            break; // dropping `hit` ends the other player's loop
        }
        hit.send(rally + 1).unwrap();
    }
}

fn main() {
    let (to_pong, from_ping) = bounded(0);
    let (to_ping, from_pong) = bounded(0);
    let ping = thread::spawn(move || player("ping", true, to_pong, from_pong));
    let pong = thread::spawn(move || player("pong", false, to_ping, from_ping));
    ping.join().unwrap();
    pong.join().unwrap();
    println!("game over");
}
