use std::collections::BTreeMap;

/// One update from the writer: set the price. `seq` is the writer's own counter.
#[derive(Clone, Copy)]
struct Update {
    seq: u64,
    price: u64,
}

/// Applies updates in whatever order they arrive.
#[derive(Default)]
struct Naive {
    price: u64,
}

impl Naive {
    fn receive(&mut self, u: Update) {
        self.price = u.price;
    }
}

/// Keeps an update only if it is newer than what it has: last writer wins, by version.
#[derive(Default)]
struct Versioned {
    price: u64,
    seq: u64,
}

impl Versioned {
    fn receive(&mut self, u: Update) {
        if u.seq > self.seq {
            (self.price, self.seq) = (u.price, u.seq);
        }
    }
}

/// Holds back early arrivals until the gap before them is filled, as TCP does with segments.
#[derive(Default)]
struct InOrder {
    price: u64,
    next: u64,
    early: BTreeMap<u64, Update>,
    history: Vec<u64>,
}

impl InOrder {
    fn receive(&mut self, u: Update) {
        self.early.insert(u.seq, u);
        while let Some(u) = self.early.remove(&(self.next + 1)) {
            self.price = u.price;
            self.history.push(u.price);
            self.next = u.seq;
        }
    }
}

/// Every order of the items of `v`, by Heap's algorithm.
fn permutations(v: &mut Vec<Update>, k: usize, out: &mut Vec<Vec<Update>>) {
    if k <= 1 {
        out.push(v.clone());
        return;
    }
    for i in 0..k {
        permutations(v, k - 1, out);
        let j = if k % 2 == 0 { i } else { 0 };
        v.swap(j, k - 1);
    }
}

fn main() {
    let mut sent: Vec<Update> = (1..=4)
        .map(|seq| Update {
            seq,
            price: 100 + seq,
        })
        .collect();
    let mut orders = Vec::new();
    permutations(&mut sent, 4, &mut orders);
    println!(
        "the writer set the price to 101, 102, 103, 104; {} possible arrival orders",
        orders.len()
    );

    let (mut naive_ok, mut versioned_ok, mut in_order_ok, mut adds_ok) = (0, 0, 0, 0);
    for order in &orders {
        let (mut naive, mut versioned, mut in_order) =
            (Naive::default(), Versioned::default(), InOrder::default());
        let mut stock: i64 = 0;
        for &u in order {
            naive.receive(u);
            versioned.receive(u);
            in_order.receive(u);
            stock += 5;
        }
        naive_ok += (naive.price == 104) as u32;
        versioned_ok += (versioned.price == 104) as u32;
        in_order_ok += (in_order.history == [101, 102, 103, 104]) as u32;
        adds_ok += (stock == 20) as u32;
    }
    println!("apply on arrival:         ends at 104 in {naive_ok} orders");
    println!("keep the newest version:  ends at 104 in {versioned_ok} orders");
    println!("reorder by sequence:      sees 101, 102, 103, 104 in {in_order_ok} orders");
    println!("four commutative +5s:     end at 20 in {adds_ok} orders");
}
