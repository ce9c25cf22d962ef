use std::thread;

fn main() {
    let handle = thread::spawn(|| {
        let readings: Vec<u32> = Vec::new();
        readings.iter().sum::<u32>() / readings.len() as u32
    });
    let average = handle.join().unwrap();
    println!("average: {average}");
}
