use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;

/// The server's state: a balance, the replies to requests it has applied, and a fault to inject.
#[derive(Default)]
struct Bank {
    balance: u64,
    applied: HashMap<String, u64>, // request id -> the balance it produced
    lose_next_reply: bool,
}

/// Apply one request line; return the reply, or None for a request it does not understand.
fn apply(bank: &mut Bank, request: &str) -> Option<u64> {
    match request.split_whitespace().collect::<Vec<_>>()[..] {
        ["DEPOSIT", amount] => {
            bank.balance += amount.parse::<u64>().ok()?;
            Some(bank.balance)
        }
        ["DEPOSIT", amount, id] => {
            if let Some(&reply) = bank.applied.get(id) {
                return Some(reply);
            }
            bank.balance += amount.parse::<u64>().ok()?;
            bank.applied.insert(id.to_string(), bank.balance);
            Some(bank.balance)
        }
        _ => None,
    }
}

fn serve(listener: TcpListener, bank: Arc<Mutex<Bank>>) {
    for stream in listener.incoming().flatten() {
        let mut request = String::new();
        if BufReader::new(&stream).read_line(&mut request).is_err() {
            continue;
        }
        let mut bank = bank.lock().unwrap();
        let Some(reply) = apply(&mut bank, &request) else { continue };
        if std::mem::take(&mut bank.lose_next_reply) {
            continue;
        }
        let _ = writeln!(&stream, "OK {reply}");
    }
}

/// Send a request; if the connection closes before a reply comes, try again, up to 3 times.
fn call_with_retry(addr: SocketAddr, request: &str) -> u64 {
    for attempt in 1..=3 {
        let stream = TcpStream::connect(addr).unwrap();
        writeln!(&stream, "{request}").unwrap();
        let mut reply = String::new();
        BufReader::new(&stream).read_line(&mut reply).unwrap();
        match reply.trim_end().strip_prefix("OK ") {
            Some(balance) => {
                println!("  attempt {attempt}: OK, balance {balance}");
                return balance.parse().unwrap();
            }
            None => println!("  attempt {attempt}: the connection closed without a reply"),
        }
    }
    panic!("no reply after 3 attempts");
}

fn main() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let bank = Arc::new(Mutex::new(Bank::default()));
    let server_bank = bank.clone();
    thread::spawn(move || serve(listener, server_bank));

    for request in ["DEPOSIT 100", "DEPOSIT 100 req-8f2c"] {
        *bank.lock().unwrap() = Bank { lose_next_reply: true, ..Bank::default() };
        println!("{request}, on a fresh account:");
        call_with_retry(addr, request);
        let balance = bank.lock().unwrap().balance;
        let times = if balance == 100 { "once" } else { "twice" };
        println!("  the server's books: balance {balance}, the deposit was applied {times}");
    }
}
