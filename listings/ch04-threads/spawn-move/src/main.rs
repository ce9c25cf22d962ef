use std::thread;

fn main() {
    let readings = vec![3, 1, 4, 1, 5];
    let handle = thread::spawn(move || {
        let total: i32 = readings.iter().sum();
        (readings, total)
    });
    let (readings, total) = handle.join().unwrap();
    println!("{} readings, total {total}", readings.len());
}
