use std::rc::Rc;
use std::thread;

fn main() {
    let readings = Rc::new(vec![3, 1, 4, 1, 5]);
    let for_thread = Rc::clone(&readings);
    let handle = thread::spawn(move || for_thread.iter().sum::<i32>());
    println!("total: {}", handle.join().unwrap());
}
