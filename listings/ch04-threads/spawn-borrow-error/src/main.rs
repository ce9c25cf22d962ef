use std::thread;

fn main() {
    let readings = vec![3, 1, 4, 1, 5];
    let handle = thread::spawn(|| {
        let total: i32 = readings.iter().sum();
        println!("total: {total}");
    });
    handle.join().unwrap();
}
