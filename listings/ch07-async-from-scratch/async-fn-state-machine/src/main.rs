use std::future::Future;
use std::pin::{Pin, pin};
use std::task::{Context, Poll, Waker};

/// Not ready the first time it is polled, ready the second time.
struct YieldOnce {
    yielded: bool,
}

impl Future for YieldOnce {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.yielded {
            return Poll::Ready(());
        }
        self.yielded = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

async fn add_slowly(a: u32, b: u32) -> u32 {
    println!("    started with {a} and {b}");
    YieldOnce { yielded: false }.await;
    println!("    resumed after the first await");
    YieldOnce { yielded: false }.await;
    println!("    resumed after the second await");
    a + b
}

/// The same function as a hand-written state machine.
enum AddSlowly {
    Start { a: u32, b: u32 },
    AtFirstAwait { a: u32, b: u32, inner: YieldOnce },
    AtSecondAwait { a: u32, b: u32, inner: YieldOnce },
    Done,
}

impl Future for AddSlowly {
    type Output = u32;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
        let state = self.get_mut(); // allowed: AddSlowly holds nothing that cares about pinning
        loop {
            match *state {
                AddSlowly::Start { a, b } => {
                    println!("    started with {a} and {b}");
                    *state = AddSlowly::AtFirstAwait { a, b, inner: YieldOnce { yielded: false } };
                }
                AddSlowly::AtFirstAwait { a, b, ref mut inner } => {
                    if Pin::new(inner).poll(cx).is_pending() {
                        return Poll::Pending;
                    }
                    println!("    resumed after the first await");
                    *state = AddSlowly::AtSecondAwait { a, b, inner: YieldOnce { yielded: false } };
                }
                AddSlowly::AtSecondAwait { a, b, ref mut inner } => {
                    if Pin::new(inner).poll(cx).is_pending() {
                        return Poll::Pending;
                    }
                    println!("    resumed after the second await");
                    *state = AddSlowly::Done;
                    return Poll::Ready(a + b);
                }
                AddSlowly::Done => panic!("polled after it finished"),
            }
        }
    }
}

/// Poll a future until it is ready, saying so at each poll.
fn drive(name: &str, future: impl Future<Output = u32>) {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    for poll in 1.. {
        println!("  poll {poll}");
        if let Poll::Ready(sum) = future.as_mut().poll(&mut cx) {
            println!("{name}: {sum}");
            return;
        }
    }
}

fn main() {
    drive("async fn", add_slowly(2, 3));
    drive("hand-written", AddSlowly::Start { a: 2, b: 3 });
}
