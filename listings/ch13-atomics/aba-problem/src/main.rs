use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

const NIL: usize = usize::MAX;

struct Node {
    value: char,
    next: usize,
}

struct Stack {
    head: AtomicUsize,
    slots: Vec<Node>, // slot index = "address"
    free: Vec<usize>, // freed slots, oldest first
}

impl Stack {
    fn push(&mut self, value: char) -> usize {
        let slot = if self.free.is_empty() {
            self.slots.push(Node { value, next: NIL });
            self.slots.len() - 1
        } else {
            let slot = self.free.remove(0);
            self.slots[slot] = Node { value, next: NIL };
            slot
        };
        self.slots[slot].next = self.head.load(SeqCst);
        self.head.store(slot, SeqCst);
        slot
    }

    fn pop(&mut self) -> Option<char> {
        let head = self.head.load(SeqCst);
        if head == NIL {
            return None;
        }
        self.head.store(self.slots[head].next, SeqCst);
        self.free.push(head);
        Some(self.slots[head].value)
    }

    fn show(&self) -> String {
        let mut out = Vec::new();
        let mut at = self.head.load(SeqCst);
        while at != NIL {
            let freed = if self.free.contains(&at) { " (freed!)" } else { "" };
            out.push(format!("{}@{}{}", self.slots[at].value, at, freed));
            at = self.slots[at].next;
        }
        out.join(" -> ")
    }
}

fn main() {
    let mut stack = Stack { head: AtomicUsize::new(NIL), slots: Vec::new(), free: Vec::new() };
    for v in ['c', 'b', 'a'] {
        stack.push(v);
    }
    println!("start:            {}", stack.show());

    // Thread 1 starts a pop: it reads head and head.next, then is preempted.
    let seen_head = stack.head.load(SeqCst);
    let seen_next = stack.slots[seen_head].next;
    println!("T1 reads:         head = slot {seen_head}, next = slot {seen_next}");

    // Thread 2 runs: pops a, pops b, pushes d (which reuses a's slot).
    let (x, y) = (stack.pop().unwrap(), stack.pop().unwrap());
    let d = stack.push('d');
    println!("T2 pops {x}, {y}; pushes d into slot {d}: {}", stack.show());

    // Thread 1 resumes: head still equals the slot it saw, so its CAS succeeds.
    let cas = stack.head.compare_exchange(seen_head, seen_next, SeqCst, SeqCst);
    println!("T1 CAS succeeds:  {}", cas.is_ok());
    println!("after T1's pop:   {}", stack.show());
}
