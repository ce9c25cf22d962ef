use std::future::Future;
use std::pin::{Pin, pin};
use std::task::{Context, Poll, Waker};

/// Counts down, one step per poll, then finishes.
struct Countdown {
    remaining: u32,
}

impl Future for Countdown {
    type Output = &'static str;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<&'static str> {
        if self.remaining == 0 {
            return Poll::Ready("liftoff");
        }
        println!("  countdown: {} to go", self.remaining);
        self.remaining -= 1;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

fn main() {
    let future = Countdown { remaining: 3 };
    println!("created the future; nothing has happened yet");

    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    for poll in 1.. {
        match future.as_mut().poll(&mut cx) {
            Poll::Pending => println!("poll {poll}: pending, so main may do other work"),
            Poll::Ready(result) => {
                println!("poll {poll}: ready with {result:?}");
                break;
            }
        }
    }
}
