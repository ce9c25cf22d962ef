use std::future::Future;
use std::pin::Pin;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::thread;
use std::time::{Duration, Instant};

type BoxedFuture = Pin<Box<dyn Future<Output = ()> + Send>>;

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
            let Some(mut future) = slot.take() else { continue };
            let waker = Waker::from(task.clone());
            let mut cx = Context::from_waker(&waker);
            if future.as_mut().poll(&mut cx).is_pending() {
                *slot = Some(future);
            }
        }
    }
}

/// What a sleep shares with the thread that will wake it.
struct Alarm {
    rung: bool,
    waker: Waker,
}

struct Sleep {
    duration: Duration,
    alarm: Option<Arc<Mutex<Alarm>>>, // None until the first poll
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if let Some(alarm) = &self.alarm {
            let mut alarm = alarm.lock().unwrap();
            if alarm.rung {
                return Poll::Ready(());
            }
            alarm.waker = cx.waker().clone();
            return Poll::Pending;
        }
        let alarm = Arc::new(Mutex::new(Alarm { rung: false, waker: cx.waker().clone() }));
        let for_thread = alarm.clone();
        let duration = self.duration;
        thread::spawn(move || {
            thread::sleep(duration);
            let mut alarm = for_thread.lock().unwrap();
            alarm.rung = true;
            alarm.waker.wake_by_ref();
        });
        self.alarm = Some(alarm);
        Poll::Pending
    }
}

fn sleep(duration: Duration) -> Sleep {
    Sleep { duration, alarm: None }
}

fn main() {
    let start = Instant::now();
    let executor = Executor::new();
    for (name, ms) in [("slow", 300), ("quick", 100), ("medium", 200)] {
        executor.spawn(async move {
            println!("{name}: sleeping {ms} ms from {} ms", start.elapsed().as_millis());
            sleep(Duration::from_millis(ms)).await;
            let (thread, at) = (thread::current(), start.elapsed().as_millis());
            println!("{name}: awake at {at} ms on thread '{}'", thread.name().unwrap());
        });
    }
    executor.run();
    let elapsed = start.elapsed();
    println!("all done after {elapsed:.0?}; the sleeps add up to 600 ms");
    let overlapped = elapsed < Duration::from_millis(600);
    println!("the sleeps overlapped: {}", if overlapped { "yes" } else { "no" });
}
