use std::collections::HashMap;
use std::collections::HashSet;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::net::TcpStream;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

type Site = Arc<HashMap<&'static str, &'static str>>;

async fn respond(stream: TcpStream, site: &Site) -> io::Result<()> {
    let mut stream = BufReader::new(stream);
    let mut request_line = String::new();
    stream.read_line(&mut request_line).await?;
    loop {
        let mut header = String::new();
        stream.read_line(&mut header).await?;
        if header == "\r\n" || header.is_empty() {
            break;
        }
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("/");
    let (status, body) = match site.get(path) {
        Some(page) => ("200 OK", *page),
        None => ("404 Not Found", "<h1>Not found</h1>"),
    };
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
    stream.get_mut().write_all(response.as_bytes()).await
}

async fn get(addr: SocketAddr, path: &str) -> io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(addr).await?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await?;
    let mut response = String::new();
    stream.read_to_string(&mut response).await?;
    let status = response.split_whitespace().nth(1).and_then(|code| code.parse().ok());
    let status = status.ok_or(io::Error::new(io::ErrorKind::InvalidData, "no status"))?;
    Ok((status, response))
}

/// Requests the server is working on now, and the most there ever were.
#[derive(Default)]
struct InFlight {
    now: AtomicUsize,
    most: AtomicUsize,
}

/// The server of the previous listing, answering each request after 50 ms.
async fn serve_slowly(listener: TcpListener, site: Site, in_flight: Arc<InFlight>) {
    loop {
        let (stream, _) = listener.accept().await.unwrap();
        let (site, in_flight) = (site.clone(), in_flight.clone());
        tokio::spawn(async move {
            let now = in_flight.now.fetch_add(1, Ordering::SeqCst) + 1;
            in_flight.most.fetch_max(now, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(50)).await;
            in_flight.now.fetch_sub(1, Ordering::SeqCst);
            let _ = respond(stream, &site).await;
        });
    }
}

/// The targets of the `href="..."` attributes in `page`.
fn links(page: &str) -> Vec<String> {
    page.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(String::from)
        .collect()
}

struct Fetched {
    path: String,
    found_on: String,
    status: u16,
    body: String,
}

fn spawn_fetch(
    tasks: &mut JoinSet<Fetched>,
    permits: &Arc<Semaphore>,
    addr: SocketAddr,
    path: String,
    found_on: String,
) {
    let permits = permits.clone();
    tasks.spawn(async move {
        let _permit = permits.acquire_owned().await.unwrap();
        let (status, response) = get(addr, &path).await.unwrap();
        let body = response.split_once("\r\n\r\n").map_or("", |(_, b)| b).to_string();
        Fetched { path, found_on, status, body }
    });
}

/// Crawl everything reachable from "/", with at most `limit` requests at a time.
async fn crawl(addr: SocketAddr, limit: usize) -> Vec<Fetched> {
    let permits = Arc::new(Semaphore::new(limit));
    let mut seen = HashSet::from(["/".to_string()]);
    let mut tasks = JoinSet::new();
    spawn_fetch(&mut tasks, &permits, addr, "/".into(), "-".into());
    let mut fetched = Vec::new();
    while let Some(page) = tasks.join_next().await {
        let page = page.unwrap();
        for link in links(&page.body) {
            if seen.insert(link.clone()) {
                spawn_fetch(&mut tasks, &permits, addr, link, page.path.clone());
            }
        }
        fetched.push(page);
    }
    fetched.sort_by(|a, b| a.path.cmp(&b.path));
    fetched
}

#[tokio::main]
async fn main() {
    let site: Site = Arc::new(HashMap::from([
        (
            "/",
            r#"<a href="/about">About</a> <a href="/blog">Blog</a> <a href="/contact">Contact</a>"#,
        ),
        ("/about", r#"<a href="/">Home</a> <a href="/team">Our team</a>"#),
        ("/team", r#"<a href="/about">About us</a>"#),
        ("/contact", r#"<a href="/">Home</a>"#),
        ("/blog", r#"<a href="/blog/1">First post</a> <a href="/blog/2">Second post</a>"#),
        ("/blog/1", r#"<a href="/blog">All posts</a> <a href="/blog/2">Next</a>"#),
        ("/blog/2", r#"<a href="/blog/1">Previous</a> <a href="/blog/3">Next</a>"#),
    ]));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let in_flight = Arc::new(InFlight::default());
    tokio::spawn(serve_slowly(listener, site, in_flight.clone()));

    let fetched = crawl(addr, 2).await;
    println!("crawled {} URLs, at most 2 requests at a time", fetched.len());
    for page in &fetched {
        println!("  {} {}", page.status, page.path);
    }
    for page in fetched.iter().filter(|page| page.status != 200) {
        println!("broken link: {} on page {} ({})", page.path, page.found_on, page.status);
    }
    let most = in_flight.most.load(Ordering::SeqCst);
    println!("the server saw at most {most} requests at once");
}
