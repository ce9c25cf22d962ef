use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU32, Ordering};
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

struct Alarm {
    rung: bool,
    waker: Waker,
}

struct Sleep {
    duration: Duration,
    alarm: Option<Arc<Mutex<Alarm>>>,
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

/// Keep the processor busy for `duration`: a stand-in for real computation.
fn busy_for(duration: Duration) {
    let start = Instant::now();
    while start.elapsed() < duration {
        std::hint::spin_loop();
    }
}

/// Ten ticks, 20 ms apart; returns how late the latest wake-up was.
async fn ticker(ticks: Arc<AtomicU32>) -> Duration {
    let period = Duration::from_millis(20);
    let mut worst = Duration::ZERO;
    for _ in 0..10 {
        let asked = Instant::now();
        sleep(period).await;
        worst = worst.max(asked.elapsed().saturating_sub(period));
        ticks.fetch_add(1, Ordering::Relaxed);
    }
    worst
}

/// Returns the ticks counted while the hog worked, and the ticker's worst lateness.
fn run(hog_yields: bool) -> (u32, Duration) {
    let executor = Executor::new();
    let ticks = Arc::new(AtomicU32::new(0));
    let worst = Arc::new(Mutex::new(Duration::ZERO));
    let during = Arc::new(AtomicU32::new(0));

    let (t, w) = (ticks.clone(), worst.clone());
    executor.spawn(async move {
        *w.lock().unwrap() = ticker(t).await;
    });
    let (t, d) = (ticks.clone(), during.clone());
    executor.spawn(async move {
        let before = t.load(Ordering::Relaxed);
        let start = Instant::now();
        while start.elapsed() < Duration::from_millis(300) {
            busy_for(Duration::from_millis(1));
            if hog_yields {
                yield_now().await;
            }
        }
        d.store(t.load(Ordering::Relaxed) - before, Ordering::Relaxed);
    });
    executor.run();

    let label = if hog_yields { "hog yields every 1 ms:" } else { "hog never awaits:" };
    let during = during.load(Ordering::Relaxed);
    let worst = *worst.lock().unwrap();
    let late = worst.as_secs_f64() * 1000.0;
    println!("{label:<22} {during} ticks while it worked, worst lateness {late:.1} ms");
    (during, worst)
}

fn main() {
    let (_, never) = run(false);
    let (ticked, _) = run(true);
    let verdict = |claim| if claim { "yes" } else { "no" };
    let starved = never > Duration::from_millis(250);
    println!("the hog that never awaits held the ticker back over 250 ms: {}", verdict(starved));
    println!("the ticker ran while the yielding hog worked: {}", verdict(ticked > 0));
}
