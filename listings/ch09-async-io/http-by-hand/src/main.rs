use std::collections::HashMap;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

type Site = Arc<HashMap<&'static str, &'static str>>;

/// Read one request from `stream` and answer it with a page of `site`, or 404.
async fn respond(stream: TcpStream, site: &Site) -> io::Result<()> {
    let mut stream = BufReader::new(stream);
    let mut request_line = String::new();
    stream.read_line(&mut request_line).await?; // "GET /about HTTP/1.1"
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

async fn serve(listener: TcpListener, site: Site) {
    loop {
        let (stream, _) = listener.accept().await.unwrap();
        let site = site.clone();
        tokio::spawn(async move { respond(stream, &site).await });
    }
}

/// GET `path` from `addr`; return the status code and the whole response.
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

/// The body of an HTTP response: everything after the first empty line.
fn body(response: &str) -> &str {
    response.split_once("\r\n\r\n").map_or("", |(_, body)| body)
}

#[tokio::main]
async fn main() -> io::Result<()> {
    let site = Arc::new(HashMap::from([("/", "<h1>Hello</h1>")]));
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(serve(listener, site));

    let (status, response) = get(addr, "/").await?;
    println!("GET / gave {status}. The whole response:");
    println!("{response}");
    let (status, response) = get(addr, "/missing").await?;
    println!("GET /missing gave {status}, with body {:?}", body(&response));
    Ok(())
}
