struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*: tiny, and the same on every machine
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

#[derive(Clone, Copy)]
enum Teller {
    Check,
    Debit,
    Done,
}

fn simulate(seed: u64, atomic_withdraw: bool) -> (i64, Vec<String>) {
    let mut rng = Rng(seed * 2 + 1);
    let mut balance = 100;
    let mut tellers = [Teller::Check; 2];
    let mut trace = Vec::new();
    while tellers.iter().any(|t| !matches!(t, Teller::Done)) {
        let ready: Vec<usize> = (0..2).filter(|&i| !matches!(tellers[i], Teller::Done)).collect();
        let i = ready[(rng.next() % ready.len() as u64) as usize];
        let name = ["A", "B"][i];
        tellers[i] = match tellers[i] {
            Teller::Check if balance < 80 => {
                trace.push(format!("{name} refused"));
                Teller::Done
            }
            Teller::Check if atomic_withdraw => {
                balance -= 80;
                trace.push(format!("{name} checked and debited -> {balance}"));
                Teller::Done
            }
            Teller::Check => {
                trace.push(format!("{name} checked {balance}"));
                Teller::Debit
            }
            Teller::Debit => {
                balance -= 80;
                trace.push(format!("{name} debited -> {balance}"));
                Teller::Done
            }
            Teller::Done => unreachable!(),
        };
    }
    (balance, trace)
}

fn main() {
    for atomic in [false, true] {
        let bad: Vec<u64> = (0..1_000).filter(|&seed| simulate(seed, atomic).0 < 0).collect();
        println!("atomic withdraw: {atomic}; {} of 1000 seeds overdraw", bad.len());
        if let Some(&seed) = bad.first() {
            let (balance, trace) = simulate(seed, atomic);
            println!("  first failing seed {seed}: {} => {balance}", trace.join(", "));
            let replay = simulate(seed, atomic);
            println!("  replaying seed {seed} gives the same trace: {}", replay.1 == trace);
        }
    }
}
