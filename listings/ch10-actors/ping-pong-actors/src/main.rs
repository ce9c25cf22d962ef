use tokio::sync::mpsc;

struct Ball {
    rally: u32,
    return_to: mpsc::Sender<Ball>,
}

fn spawn_player(name: &'static str) -> (mpsc::Sender<Ball>, tokio::task::JoinHandle<()>) {
    let (address, mut mailbox) = mpsc::channel::<Ball>(8);
    let me = address.clone();
    let task = tokio::spawn(async move {
        while let Some(ball) = mailbox.recv().await {
            println!("{name} returns hit {}", ball.rally);
            if ball.rally == 5 {
                break;
            }
            let reply = Ball { rally: ball.rally + 1, return_to: me.clone() };
            ball.return_to.send(reply).await.unwrap();
        }
    });
    (address, task)
}

#[tokio::main]
async fn main() {
    let (ping, ping_task) = spawn_player("ping");
    let (pong, pong_task) = spawn_player("pong");
    pong.send(Ball { rally: 1, return_to: ping }).await.unwrap();
    pong_task.await.unwrap();
    ping_task.abort();
    println!("game over");
}
