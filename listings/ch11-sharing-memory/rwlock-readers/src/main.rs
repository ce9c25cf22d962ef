use std::sync::RwLock;
use std::thread;

struct Config {
    version: u32,
    greeting: String,
}

fn main() {
    let config = RwLock::new(Config { version: 1, greeting: "hello v1".into() });

    let first = config.read().unwrap();
    thread::scope(|s| {
        s.spawn(|| {
            let second = config.read().unwrap();
            println!("second reader sees version {}", second.version);
        });
    });
    println!("try_write while a reader holds it: {}", config.try_write().is_err());
    drop(first);

    let torn = thread::scope(|s| {
        let readers: Vec<_> = (0..3)
            .map(|_| {
                s.spawn(|| {
                    let mut torn = 0;
                    for _ in 0..20_000 {
                        let c = config.read().unwrap();
                        if c.greeting != format!("hello v{}", c.version) {
                            torn += 1;
                        }
                    }
                    torn
                })
            })
            .collect();
        s.spawn(|| {
            for v in 2..=500 {
                let mut c = config.write().unwrap();
                c.version = v;
                c.greeting = format!("hello v{v}");
            }
        });
        readers.into_iter().map(|r| r.join().unwrap()).sum::<u32>()
    });
    let c = config.read().unwrap();
    println!("final: version {}, {:?}", c.version, c.greeting);
    println!("torn reads seen: {torn}");
}
