//! `cargo xtask serve`: the site on 127.0.0.1, rebuilt when a chapter, the theme or
//! `book.toml` changes, and reloaded in the browser.
//!
//! A small static file server is enough for a local preview: it injects a script into every
//! page that polls a version number and reloads the page when a rebuild bumps it. Changes
//! are found by polling modification times, which needs no platform-specific watcher.

use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use anyhow::{Context, Result};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const RELOAD_SCRIPT: &str = r#"<script>
(function () {
  let seen = null;
  setInterval(function () {
    fetch("/__xtask/version").then(r => r.text()).then(v => {
      if (seen !== null && v !== seen) { location.reload(); }
      seen = v;
    }).catch(() => {});
  }, 700);
})();
</script>"#;

/// Builds the site, serves it on `127.0.0.1:port`, and rebuilds on changes until Ctrl-C.
pub(crate) fn serve(root: &Path, port: u16) -> Result<crate::exit::Exit> {
    let version = Arc::new(AtomicU64::new(0));
    if let Err(e) = rebuild(root) {
        report(&e);
    }
    let site = super::output_dir(root).join("html");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .with_context(|| format!("binding 127.0.0.1:{port}"))?;
        println!(
            "serving {} on http://127.0.0.1:{}/ (Ctrl-C to stop)",
            site.display(),
            listener.local_addr()?.port()
        );
        let watcher = tokio::task::spawn_blocking({
            let root = root.to_path_buf();
            let version = version.clone();
            move || watch(&root, &version)
        });
        tokio::select! {
            r = accept(&listener, &site, &version) => match r? {},
            _ = tokio::signal::ctrl_c() => {}
        }
        watcher.abort();
        Ok::<(), anyhow::Error>(())
    })?;
    Ok(crate::exit::Exit::Ok)
}

/// Answers every connection, each on a task of its own; returns only on an error.
async fn accept(listener: &TcpListener, site: &Path, version: &Arc<AtomicU64>) -> Result<Infallible> {
    loop {
        let (stream, _) = listener.accept().await?;
        let site = site.to_path_buf();
        let version = version.clone();
        tokio::spawn(async move {
            let _ = respond(stream, &site, &version).await;
        });
    }
}

/// Parses and renders the book again. A malformed book is an error holding its
/// [`BookErrors`](crate::book::BookErrors), and nothing is rendered: the previous site stays
/// served.
fn rebuild(root: &Path) -> Result<()> {
    let book = crate::book::load(root)?;
    let rendered = super::render(Arc::new(book), None)?;
    if let Some(note) = rendered.note() {
        eprintln!("{note}");
    }
    Ok(())
}

/// Prints why a rebuild failed, the way a command's error is printed (a malformed book as
/// diagnostics into its chapters), and that serving goes on.
fn report(error: &anyhow::Error) {
    crate::exit::report_error(error);
    eprintln!("the site was not rebuilt; serving the last one built");
}

/// The newest modification time under the book's sources.
fn newest(root: &Path) -> SystemTime {
    let mut newest = SystemTime::UNIX_EPOCH;
    for dir in ["src", "theme"] {
        for entry in walkdir::WalkDir::new(root.join(dir)).into_iter().flatten() {
            if let Some(m) = entry.metadata().ok().and_then(|m| m.modified().ok()) {
                newest = newest.max(m);
            }
        }
    }
    if let Ok(m) = std::fs::metadata(root.join("book.toml")).and_then(|m| m.modified()) {
        newest = newest.max(m);
    }
    newest
}

fn watch(root: &Path, version: &AtomicU64) {
    let mut last = newest(root);
    loop {
        std::thread::sleep(Duration::from_millis(400));
        let now = newest(root);
        if now > last {
            last = now;
            let start = std::time::Instant::now();
            match rebuild(root) {
                Ok(()) => {
                    version.fetch_add(1, Ordering::SeqCst);
                    println!("rebuilt in {:.2?}", start.elapsed());
                }
                Err(e) => report(&e),
            }
        }
    }
}

async fn respond(mut stream: TcpStream, site: &Path, version: &AtomicU64) -> Result<()> {
    let mut buf = vec![0u8; 8192];
    let n = stream.read(&mut buf).await?;
    let request = String::from_utf8_lossy(&buf[..n]);
    let path = request
        .lines()
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or("/");
    if path == "/__xtask/version" {
        let body = version.load(Ordering::SeqCst).to_string();
        return send(&mut stream, "200 OK", "text/plain", body.as_bytes()).await;
    }
    let Some(file) = resolve(site, path) else {
        return send(&mut stream, "404 Not Found", "text/plain", b"not found").await;
    };
    let Ok(mut body) = std::fs::read(&file) else {
        return send(&mut stream, "404 Not Found", "text/plain", b"not found").await;
    };
    let kind = content_type(&file);
    if kind.starts_with("text/html") {
        let html = String::from_utf8_lossy(&body).replace("</body>", &format!("{RELOAD_SCRIPT}</body>"));
        body = html.into_bytes();
    }
    send(&mut stream, "200 OK", kind, &body).await
}

/// The file a URL path names inside the site, never outside it.
fn resolve(site: &Path, path: &str) -> Option<PathBuf> {
    let decoded = path.replace("%20", " ");
    let rel = decoded.trim_start_matches('/');
    if rel.split('/').any(|part| part == "..") {
        return None;
    }
    let mut file = site.join(rel);
    if file.is_dir() {
        file = file.join("index.html");
    }
    file.is_file().then_some(file)
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css",
        "js" => "text/javascript",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

async fn send(stream: &mut TcpStream, status: &str, kind: &str, body: &[u8]) -> Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body).await?;
    Ok(())
}
