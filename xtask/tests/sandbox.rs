//! The run sandbox against listings that try to get out of it (`fixtures/hostile/sandbox`),
//! and the report of a missing layer.
//!
//! Each hostile listing must get its verdict, and nothing outside its run may change: the
//! book, a HOME the test makes (with a planted `~/.ssh/id_ed25519`; never the real one), a
//! directory of `/tmp` outside the run, the host's `127.0.0.1` server and the Unix socket
//! (outside `/tmp` and `/run`) the test listens on. No
//! listing sends traffic anywhere but to a loopback address.
//!
//! The tests run the engine as whoever runs them (root here and in CI) with
//! `--require-sandbox`, so they fail rather than pass unprotected; `the_probe_as_*` say which
//! case this machine exercises: root, in a user namespace or not, and an unprivileged user.

mod common;

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::os::unix::net::UnixListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{Book, book_with, copy_tree, descendants, processes};
use serde_json::Value;

/// Tasks a run may have (`listings::sandbox::MAX_PIDS`).
const MAX_PIDS: usize = 4096;

/// The directory tests make their trees in that the sandbox does not hide (unlike `/tmp`):
/// what is refused there, Landlock refuses.
fn scratch(prefix: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(prefix)
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .unwrap()
}

/// Every file under `root` with its content.
fn tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(root).unwrap().to_path_buf();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// What the hostile listings aim at, made by the test.
struct Targets {
    home: tempfile::TempDir,
    outside: tempfile::TempDir,
    server: TcpListener,
    /// A Unix socket of the host's outside `/tmp` and `/run`, and the directory it is in.
    socket: (UnixListener, tempfile::TempDir),
    mark: String,
    secret: String,
}

impl Targets {
    fn new() -> Targets {
        let home = scratch("xtask-sandbox-home-");
        let mark = format!("xtask-sandbox-{}", std::process::id());
        let secret = format!("PLANTED-SECRET-{mark}");
        std::fs::create_dir(home.path().join(".ssh")).unwrap();
        std::fs::write(home.path().join(".ssh/id_ed25519"), &secret).unwrap();
        let outside = tempfile::Builder::new()
            .prefix("xtask-sandbox-outside-")
            .tempdir_in("/tmp")
            .unwrap();
        let server = TcpListener::bind("127.0.0.1:0").unwrap();
        server.set_nonblocking(true).unwrap();
        let socket_dir = scratch("xtask-sandbox-sock-");
        let socket = UnixListener::bind(socket_dir.path().join("s")).unwrap();
        socket.set_nonblocking(true).unwrap();
        Targets {
            home,
            outside,
            server,
            socket: (socket, socket_dir),
            mark,
            secret,
        }
    }

    /// The chapter with the placeholders filled in.
    fn fill(&self, text: &str) -> String {
        text.replace("@HOME@", self.home.path().to_str().unwrap())
            .replace("@OUTSIDE@", self.outside.path().to_str().unwrap())
            .replace("@MARK@", &self.mark)
            .replace("@PORT@", &self.server.local_addr().unwrap().port().to_string())
            .replace("@SOCKET@", self.socket_path().to_str().unwrap())
            .replace("@TESTPID@", &std::process::id().to_string())
    }

    fn socket_path(&self) -> PathBuf {
        let path = self.socket.1.path().join("s");
        // Longer, `connect` would fail for its length, and the listing's "refused" prove nothing.
        let through_proc = format!("/proc/{}/root{}", std::process::id(), path.display());
        assert!(
            through_proc.len() < 100,
            "{through_proc} is too long for a socket address"
        );
        path
    }

    /// The files in `/tmp` that listings named after the mark would have made.
    fn escaped_into_tmp(&self) -> Vec<PathBuf> {
        std::fs::read_dir("/tmp")
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(&self.mark))
            .collect()
    }
}

/// A copy of the sandbox fixture, outside `/tmp`, with `targets` filled in.
fn sandbox_book(targets: &Targets) -> Book {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile/sandbox");
    let dir = scratch("xtask-sandbox-book-");
    copy_tree(&src, dir.path());
    let chapter = dir.path().join("src/sandbox.md");
    let text = std::fs::read_to_string(&chapter).unwrap();
    std::fs::write(&chapter, targets.fill(&text)).unwrap();
    Book { dir }
}

/// `xtask ARGS` on `book` with `home` as HOME (cargo and rustup keep their own homes).
fn engine(book: &Book, args: &[&str], home: &Path) -> Command {
    let real_home = std::env::var("HOME").unwrap_or_else(|_| "/root".into());
    let cargo_home = std::env::var("CARGO_HOME").unwrap_or_else(|_| format!("{real_home}/.cargo"));
    let rustup_home = std::env::var("RUSTUP_HOME").unwrap_or_else(|_| format!("{real_home}/.rustup"));
    let mut c = book.command(args);
    c.env("HOME", home)
        .env("CARGO_HOME", cargo_home)
        .env("RUSTUP_HOME", rustup_home);
    c
}

/// Runs `command`, sampling how many processes it has below it; returns its output and the
/// largest number seen.
fn run_counting(mut command: Command) -> (std::process::Output, usize) {
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    let child = command.spawn().unwrap();
    let pid = child.id() as i32;
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampler = {
        let done = done.clone();
        std::thread::spawn(move || {
            let mut peak = 0;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                peak = peak.max(descendants(&processes(), pid).len());
                std::thread::sleep(Duration::from_millis(10));
            }
            peak
        })
    };
    let out = child.wait_with_output().unwrap();
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    (out, sampler.join().unwrap())
}

fn verdicts(stdout: &[u8]) -> BTreeMap<String, Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}"));
            (v["id"].as_str().unwrap().to_string(), v)
        })
        .collect()
}

#[test]
fn hostile_listings_are_refused_and_change_nothing_outside_their_run() {
    let targets = Targets::new();
    let book = sandbox_book(&targets);
    let sources_before = tree(&book.path("src"));
    let home_before = tree(targets.home.path());
    let args = [
        "test-listings",
        "--format",
        "json",
        "--no-progress",
        "--require-sandbox",
    ];
    let (out, peak) = run_counting(engine(&book, &args, targets.home.path()));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let found = verdicts(&out.stdout);
    let ids = [
        "pass-writes-to-its-chapter",
        "pass-writes-to-home",
        "pass-reads-ssh-key",
        "pass-writes-to-tmp",
        "pass-reaches-host-server",
        "pass-reaches-host-unix-socket",
        "pass-sees-only-lo",
        "pass-fork-bomb",
        "pass-undoes-the-sandbox",
    ];
    for id in ids {
        let v = found
            .get(id)
            .unwrap_or_else(|| panic!("no verdict for {id}:\n{stderr}"));
        assert_eq!(v["verdict"], "passed", "{id}: {v:#}\n{stderr}");
    }
    assert_eq!(found.len(), ids.len(), "{stdout}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");

    assert_eq!(tree(&book.path("src")), sources_before, "the chapter changed");
    assert_eq!(tree(targets.home.path()), home_before, "the HOME changed");
    assert!(
        std::fs::read_dir(targets.outside.path())
            .unwrap()
            .next()
            .is_none(),
        "a listing wrote to a directory of /tmp"
    );
    assert_eq!(
        targets.escaped_into_tmp(),
        Vec::<PathBuf>::new(),
        "a listing wrote to /tmp"
    );
    assert!(
        matches!(targets.server.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "a listing reached the host's 127.0.0.1"
    );
    assert!(
        matches!(targets.socket.0.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "a listing reached the host's Unix socket"
    );
    assert!(
        !stdout.contains(&targets.secret) && !stderr.contains(&targets.secret),
        "the planted key was read"
    );
    // The fork bomb filled its cgroup, not the machine: the engine, cargo, the other runs
    // and the bomb's at most MAX_PIDS tasks.
    assert!(peak < MAX_PIDS + 64, "{peak} processes below the engine");
    assert!(
        peak > 200,
        "the fork bomb never forked ({peak} processes at most)"
    );
    let left: Vec<_> = processes()
        .into_iter()
        .filter(|p| p.cmdline.contains(book.root().to_str().unwrap()))
        .collect();
    assert!(left.is_empty(), "left running: {left:#?}");
}

/// A book of one listing that prints a line, and nothing hostile.
fn harmless_book() -> Book {
    book_with(&[(
        "one.md",
        "# One\n\n```rust listing=hello\nfn main() {\n    println!(\"hello\");\n}\n```\n\n```output\nhello\n```\n",
    )])
}

#[test]
fn a_missing_layer_is_reported_once_and_refused_under_require_sandbox_and_ci() {
    let book = harmless_book();
    let run = |args: &[&str], ci: bool| {
        let mut all = vec!["test-listings", "--no-progress", "--force"];
        all.extend_from_slice(args);
        let mut c = book.command(&all);
        c.env("XTASK_SANDBOX_SIMULATE_MISSING", "network,processes");
        if ci {
            c.env("CI", "true");
        }
        let out = c.output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };

    let (code, stderr) = run(&[], false);
    assert_eq!(code, Some(0), "{stderr}");
    let report = "warning: listings run without\n  \
        network isolation: simulated (XTASK_SANDBOX_SIMULATE_MISSING)\n  \
        a process limit: simulated (XTASK_SANDBOX_SIMULATE_MISSING)\n";
    assert!(stderr.contains(report), "{stderr}");
    assert_eq!(stderr.matches("listings run without").count(), 1, "{stderr}");
    assert!(!stderr.contains("file confinement"), "{stderr}");

    for (args, ci) in [(&["--require-sandbox"][..], false), (&[][..], true)] {
        let (code, stderr) = run(args, ci);
        assert_eq!(code, Some(2), "{args:?} CI={ci}: {stderr}");
        assert!(
            stderr.contains("error: --require-sandbox (implied by CI): listings would run without\n  network isolation: simulated"),
            "{stderr}"
        );
    }
}

/// From a working directory under `/tmp`, which the sandbox hides: the probe must not
/// mistake that for a missing layer.
#[test]
fn without_a_missing_layer_nothing_is_reported() {
    let book = harmless_book();
    let cwd = tempfile::Builder::new()
        .prefix("xtask-sandbox-cwd-")
        .tempdir_in("/tmp")
        .unwrap();
    let out = book
        .command(&["test-listings", "--no-progress", "--require-sandbox"])
        .current_dir(cwd.path())
        .output()
        .unwrap();
    let stderr = common::stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("listings run without"), "{stderr}");
}

/// What `xtask __sandbox-probe` finds, run through `prefix` (e.g. `setpriv` to another user).
fn probe(prefix: &[&str]) -> Value {
    let xtask = env!("CARGO_BIN_EXE_xtask");
    let mut c = match prefix.split_first() {
        Some((first, rest)) => {
            let mut c = Command::new(first);
            c.args(rest).arg(xtask);
            c
        }
        None => Command::new(xtask),
    };
    let out = c.arg("__sandbox-probe").current_dir("/").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(text.trim())
        .unwrap_or_else(|e| panic!("{e}: {text}{}", String::from_utf8_lossy(&out.stderr)))
}

#[test]
fn the_probe_as_this_user_finds_every_layer() {
    let found = probe(&[]);
    eprintln!("this machine, as this user: {found:#}");
    for layer in ["network", "files", "processes"] {
        assert_eq!(found[layer]["ok"], true, "{layer}: {found:#}");
    }
}

/// As an unprivileged user (`nobody`), when the tests run as root: the layers a user who is
/// not root gets, user namespace and all. Elsewhere the tests already run unprivileged and
/// the test above covers it.
#[test]
fn the_probe_as_an_unprivileged_user() {
    let root = std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(2) == Some("0"));
    let setpriv = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"];
    if !root || Command::new("setpriv").arg("--version").output().is_err() {
        eprintln!("not root, or no setpriv: the probe as this user covers the unprivileged case");
        return;
    }
    let found = probe(&setpriv);
    eprintln!("this machine, as nobody: {found:#}");
    let restricted = std::fs::read_to_string("/proc/sys/kernel/apparmor_restrict_unprivileged_userns")
        .is_ok_and(|v| v.trim() == "1");
    if restricted {
        // Ubuntu's AppArmor: the layer is missing, and the probe must say why.
        assert_eq!(found["network"]["ok"], false, "{found:#}");
        assert!(found["network"]["how"].as_str().unwrap().contains("AppArmor"));
    } else {
        assert_eq!(found["network"]["ok"], true, "{found:#}");
        assert_eq!(found["userns"], true, "{found:#}");
        // No cgroup for nobody; in its own user namespace, RLIMIT_NPROC counts per run.
        assert_eq!(found["processes"]["ok"], true, "{found:#}");
        assert!(
            found["processes"]["how"]
                .as_str()
                .unwrap()
                .contains("RLIMIT_NPROC"),
            "{found:#}"
        );
    }
    assert_eq!(found["files"]["ok"], true, "{found:#}");
}

/// The built binary of listing `id` in `book` (after a run of the engine).
fn binary(book: &Book, id: &str) -> PathBuf {
    book.path("target/listings").join(id)
}

/// Makes `path` and its parents up to `root` traversable by anyone.
fn open_up(root: &Path, path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let mut p = Some(path);
    while let Some(dir) = p {
        let mode = std::fs::metadata(dir).unwrap().permissions().mode();
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode | 0o755)).unwrap();
        if dir == root {
            break;
        }
        p = dir.parent();
    }
}

/// The supervisor run as `nobody` with the plan the probe finds for `nobody`, on a listing
/// the engine built as root: the unprivileged case end to end (user namespace, Landlock,
/// `RLIMIT_NPROC`), where the tests themselves run as root. `XTASK_SANDBOX` is the engine's
/// internal plan (`listings::sandbox::Plan`): the probe's answer and the run's directory.
#[test]
fn the_sandbox_holds_for_an_unprivileged_user() {
    let root = std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(2) == Some("0"));
    let setpriv = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"];
    if !root || Command::new("setpriv").arg("--version").output().is_err() {
        eprintln!("not root, or no setpriv: the other tests run unprivileged already");
        return;
    }
    let found = probe(&setpriv);
    if found["network"]["ok"] != true {
        eprintln!("no user namespaces for nobody here: {found:#}");
        return;
    }
    let targets = Targets::new();
    let book = sandbox_book(&targets);
    let args = [
        "test-listings",
        "--no-progress",
        "--require-sandbox",
        "pass-reaches-host-unix-socket",
        "pass-sees-only-lo",
        "pass-fork-bomb",
    ];
    let out = engine(&book, &args, targets.home.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));

    // A directory anyone may write to: only the sandbox keeps nobody out of it.
    let open = scratch("xtask-sandbox-open-");
    open_up(Path::new(env!("CARGO_TARGET_TMPDIR")), open.path());
    std::fs::set_permissions(open.path(), std::os::unix::fs::PermissionsExt::from_mode(0o777)).unwrap();
    let run_dir = scratch("xtask-sandbox-run-");
    for d in ["work", "home", "tmp"] {
        std::fs::create_dir(run_dir.path().join(d)).unwrap();
    }
    let chown = Command::new("chown")
        .args(["-R", "65534:65534"])
        .arg(run_dir.path())
        .status()
        .unwrap();
    assert!(chown.success());
    open_up(Path::new(env!("CARGO_TARGET_TMPDIR")), run_dir.path());
    open_up(book.root(), &book.path("target/listings"));
    open_up(Path::new(env!("CARGO_TARGET_TMPDIR")), book.root());
    let plan = serde_json::json!({ "probe": found, "dir": run_dir.path() }).to_string();
    let supervise = |program: &Path, args: &[&str]| {
        let mut c = Command::new(setpriv[0]);
        c.args(&setpriv[1..])
            .arg(env!("CARGO_BIN_EXE_xtask"))
            .args(["__supervise", "--parent", &std::process::id().to_string()])
            .args(["--data-limit", &(4u64 << 30).to_string(), "--"])
            .arg(program)
            .args(args)
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .env("XTASK_SANDBOX", &plan)
            .env("TMPDIR", run_dir.path().join("tmp"))
            .env("HOME", run_dir.path().join("home"))
            .current_dir(run_dir.path().join("work"));
        let out = c.output().unwrap();
        (out.status.code(), common::stdout(&out), common::stderr(&out))
    };

    let (code, stdout, stderr) = supervise(&binary(&book, "pass-sees-only-lo"), &[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        stdout, "if_nameindex: lo\n/proc/net/dev: lo\n/sys/class/net: lo\n",
        "{stderr}"
    );
    let (code, stdout, stderr) = supervise(&binary(&book, "pass-fork-bomb"), &[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        stdout, "fork refused after some children: Resource temporarily unavailable (os error 11)\n",
        "{stderr}"
    );
    let target = open.path().join("escaped");
    let script = format!(
        "echo x > {}; echo x > $TMPDIR/mine && echo wrote TMPDIR",
        target.display()
    );
    let (code, stdout, stderr) = supervise(Path::new("/bin/sh"), &["-c", &script]);
    assert_eq!((code, stdout.as_str()), (Some(0), "wrote TMPDIR\n"), "{stderr}");
    // The directory is not in the run's root (only the run's own directory and binary are);
    // were it there, Landlock would refuse the write.
    assert!(
        stderr.contains("Permission denied") || stderr.contains("Directory nonexistent"),
        "{stderr}"
    );
    assert!(!target.exists(), "nobody wrote outside its run");
}

/// A listing that reads a data file of its crate: the file is a `text` block of the listing,
/// and `with=` copies it into the run's working directory. The sandbox stays on: the crate's
/// own copy is still out of reach.
const READS_WORDS: &str = r#"# Data

```rust listing=reads-words
use std::fs;

fn main() {
    let words = fs::read_to_string("data/words.txt").expect("data/words.txt in the working directory");
    println!("{} words", words.split_whitespace().count());
    let in_crate = concat!(env!("CARGO_MANIFEST_DIR"), "/data/words.txt");
    let seen = if fs::read_to_string(in_crate).is_ok() { "readable" } else { "hidden" };
    println!("the crate's own copy: {seen}");
}
```

```text listing=reads-words file=data/words.txt
alpha beta gamma
```

```output WITH
3 words
the crate's own copy: hidden
```
"#;

fn words_book(with: &str) -> Book {
    let dir = scratch("xtask-sandbox-with-");
    let book = book_with(&[("one.md", &READS_WORDS.replace("WITH", with))]);
    copy_tree(book.root(), dir.path());
    Book { dir }
}

#[test]
fn a_listing_reads_a_file_of_its_own_through_with_and_the_sandbox_stays_on() {
    let args = [
        "test-listings",
        "--no-progress",
        "--require-sandbox",
        "--format",
        "json",
    ];
    let book = words_book("with=data/words.txt");
    let out = book.xtask(&args);
    let found = verdicts(&out.stdout);
    assert_eq!(
        found["reads-words"]["verdict"],
        "passed",
        "{found:?}\n{}",
        common::stderr(&out)
    );
    assert_eq!(
        std::fs::read_to_string(book.path("listings/one/reads-words/data/words.txt")).unwrap(),
        "alpha beta gamma\n",
        "the data file is extracted with the crate"
    );

    // Without `with=`, the run's working directory is empty and the program panics.
    let book = words_book("");
    let out = book.xtask(&args);
    let found = verdicts(&out.stdout);
    assert_ne!(found["reads-words"]["verdict"], "passed", "{found:?}");

    // A file the listing does not have is the author's mistake, at the output block's line.
    let book = words_book("with=data/nope.txt");
    let out = book.xtask(&["test-listings", "--no-progress"]);
    assert_eq!(out.status.code(), Some(2), "{}", common::stderr(&out));
    let stderr = common::stderr(&out);
    assert!(
        stderr.contains(
            "copies `data/nope.txt` into its run (`with=`), but listing `reads-words` has no such file"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("one.md:19"), "{stderr}");
}
