use std::collections::BTreeMap;

/// One update from the writer: set the price, and change the stock by `delta`.
/// `seq` counts the writer's updates: 1, 2, 3, ...
#[derive(Clone, Copy)]
struct Update {
    seq: u64,
    price: u64,
    delta: i64,
}

/// Applies updates in whatever order they arrive.
#[derive(Default)]
struct Naive {
    price: u64,
    stock: i64,
}

impl Naive {
    fn receive(&mut self, u: Update) {
        self.price = u.price;
        self.stock += u.delta;
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

/// Every order of the items of `v`, by a simple variant of Heap's algorithm.
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
    let deltas = [5, -3, 10, -2];
    let mut sent: Vec<Update> = (1..=4)
        .map(|seq| Update { seq, price: 100 + seq, delta: deltas[seq as usize - 1] })
        .collect();
    let mut orders = Vec::new();
    permutations(&mut sent, 4, &mut orders);
    println!("sent: price 101, 102, 103, 104; stock +5, -3, +10, -2");
    println!("{} possible arrival orders", orders.len());

    let (mut naive_price, mut naive_stock, mut versioned_price, mut in_order_history) =
        (0, 0, 0, 0);
    for order in &orders {
        let (mut naive, mut versioned, mut in_order) =
            (Naive::default(), Versioned::default(), InOrder::default());
        for &u in order {
            naive.receive(u);
            versioned.receive(u);
            in_order.receive(u);
        }
        naive_price += (naive.price == 104) as u32;
        naive_stock += (naive.stock == 10) as u32;
        versioned_price += (versioned.price == 104) as u32;
        in_order_history += (in_order.history == [101, 102, 103, 104]) as u32;
    }
    println!(
        "apply on arrival:   final price 104 in {naive_price} orders, final stock 10 in {naive_stock}"
    );
    println!("newest version:     final price 104 in {versioned_price} orders");
    println!("reorder by seq:     saw 101, 102, 103, 104 in {in_order_history} orders");
}
