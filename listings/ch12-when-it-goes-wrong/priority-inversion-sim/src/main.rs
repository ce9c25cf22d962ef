use Step::{Lock, Unlock, Work};

#[derive(Clone, Copy, PartialEq)]
enum Step {
    Lock,
    Work,
    Unlock,
}

struct Task {
    name: char,
    priority: u8,
    arrives: usize,
    steps: Vec<Step>,
}

fn pick(tasks: &[Task], tick: usize, owner: Option<usize>, inheritance: bool) -> Option<usize> {
    let ready = |i: usize| tasks[i].arrives <= tick && !tasks[i].steps.is_empty();
    let blocked = |i: usize| tasks[i].steps[0] == Lock && owner.is_some();
    let priority = |i: usize| {
        let mut p = tasks[i].priority;
        if inheritance && owner == Some(i) {
            for (j, task) in tasks.iter().enumerate() {
                if ready(j) && blocked(j) {
                    p = p.max(task.priority);
                }
            }
        }
        p
    };
    (0..tasks.len()).filter(|&i| ready(i) && !blocked(i)).max_by_key(|&i| priority(i))
}

fn simulate(inheritance: bool) -> (String, usize) {
    let mut tasks = [
        Task { name: 'L', priority: 1, arrives: 0, steps: vec![Lock, Work, Work, Work, Unlock] },
        Task { name: 'H', priority: 3, arrives: 2, steps: vec![Lock, Work, Unlock] },
        Task { name: 'M', priority: 2, arrives: 3, steps: vec![Work; 8] },
    ];
    let (mut owner, mut timeline, mut high_done) = (None, String::new(), 0);
    for tick in 0.. {
        let Some(run) = pick(&tasks, tick, owner, inheritance) else { break };
        match tasks[run].steps.remove(0) {
            Lock => owner = Some(run),
            Unlock => owner = None,
            Work => {}
        }
        timeline.push(tasks[run].name);
        if tasks[run].name == 'H' && tasks[run].steps.is_empty() {
            high_done = tick + 1;
        }
    }
    (timeline, high_done)
}

fn main() {
    println!("tick                  0123456789012345");
    for (label, inheritance) in [("no inheritance", false), ("priority inheritance", true)] {
        let (timeline, done) = simulate(inheritance);
        println!("{label:<21} {timeline}   H: arrived at 2, done at {done}");
    }
}
