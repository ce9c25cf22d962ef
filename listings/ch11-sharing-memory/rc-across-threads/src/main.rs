use std::rc::Rc;
use std::thread;

fn main() {
    let prices = Rc::new(vec![12, 7, 30]);
    let for_thread = Rc::clone(&prices);
    let handle = thread::spawn(move || {
        let total: i32 = for_thread.iter().sum();
        println!("total: {total}");
    });
    handle.join().unwrap();
    println!("owners: {}", Rc::strong_count(&prices));
}
