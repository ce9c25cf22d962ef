use std::sync::Mutex;
use std::thread;

fn main() {
    let forks: Vec<Mutex<()>> = (0..5).map(|_| Mutex::new(())).collect();
    let meals: Vec<u32> = thread::scope(|s| {
        let diners: Vec<_> = (0..5)
            .map(|p| {
                let forks = &forks;
                s.spawn(move || {
                    let (left, right) = (p, (p + 1) % 5);
                    let (first, second) = (left.min(right), left.max(right));
                    let mut eaten = 0;
                    for _ in 0..10_000 {
                        let _a = forks[first].lock().unwrap();
                        let _b = forks[second].lock().unwrap();
                        eaten += 1; // eating
                    }
                    eaten
                })
            })
            .collect();
        diners.into_iter().map(|d| d.join().unwrap()).collect()
    });
    for (p, n) in meals.iter().enumerate() {
        println!("philosopher {p} ate {n} meals");
    }
}
