use std::future::Future;
use std::pin::Pin;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

type BoxedFuture = Pin<Box<dyn Future<Output = ()> + Send>>;

/// A spawned future, and the queue to put it back in when it is woken.
struct Task {
    future: Mutex<Option<BoxedFuture>>,
    queue: Sender<Arc<Task>>,
}

impl Wake for Task {
    fn wake(self: Arc<Self>) {
        let queue = self.queue.clone();
        let _ = queue.send(self);
    }
}

struct Executor {
    ready: Receiver<Arc<Task>>,
    sender: Sender<Arc<Task>>,
}

impl Executor {
    fn new() -> Executor {
        let (sender, ready) = mpsc::channel();
        Executor { ready, sender }
    }

    fn spawn(&self, future: impl Future<Output = ()> + Send + 'static) {
        let future = Mutex::new(Some(Box::pin(future) as BoxedFuture));
        let task = Arc::new(Task { future, queue: self.sender.clone() });
        self.sender.send(task).unwrap();
    }

    fn run(self) {
        drop(self.sender);
        while let Ok(task) = self.ready.recv() {
            let mut slot = task.future.lock().unwrap();
            let Some(mut future) = slot.take() else { continue }; // finished already
            let waker = Waker::from(task.clone());
            let mut cx = Context::from_waker(&waker);
            if future.as_mut().poll(&mut cx).is_pending() {
                *slot = Some(future);
            }
        }
    }
}

/// Give the thread to the other tasks, once.
fn yield_now() -> impl Future<Output = ()> {
    let mut yielded = false;
    std::future::poll_fn(move |cx| {
        if yielded {
            return Poll::Ready(());
        }
        yielded = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    })
}

fn main() {
    let executor = Executor::new();
    for (name, steps) in [("a", 3), ("b", 1), ("c", 2)] {
        executor.spawn(async move {
            for step in 1..=steps {
                println!("{name}: step {step}");
                yield_now().await;
            }
            println!("{name}: finished");
        });
    }
    executor.run();
    println!("the queue is closed: every task has finished");
}
