//! Recorded runs: the `recorded` fixture (a listing printing every kind of part a pattern
//! lets vary, an unordered one, a measured one, a deterministic one) tested, then rendered:
//! the pages show what was printed, never matcher syntax, with the varying parts marked; a
//! failed run is never shown; recordings travel between books by export and merge.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use regex::Regex;

/// The output blocks of the fixture.
const OUTPUTS: usize = 6;

/// The fixture, its listings tested (every one passes), and `build --no-test` run on it:
/// (book, output directory, build's stderr).
fn tested() -> &'static (common::Book, PathBuf, String) {
    static ONCE: OnceLock<(common::Book, PathBuf, String)> = OnceLock::new();
    ONCE.get_or_init(|| {
        let book = common::fixture("recorded");
        let test = book.xtask(&["test-listings", "--no-progress"]);
        assert!(test.status.success(), "{}", common::stderr(&test));
        let out = book.path("out");
        let stderr = build(&book, &out, &["--no-test"]);
        (book, out, stderr)
    })
}

/// `build ARGS --out OUT`, which must succeed; returns its stderr.
fn build(book: &common::Book, out: &Path, args: &[&str]) -> String {
    let mut all = vec!["build", "--out", out.to_str().unwrap()];
    all.extend_from_slice(args);
    let status = book.xtask(&all);
    let stderr = common::stderr(&status);
    assert!(status.status.success(), "{stderr}");
    stderr
}

/// Every output block of an HTML page, by listing id.
fn outputs(html: &str) -> BTreeMap<String, String> {
    let block = Regex::new(
        r#"(?s)<div class="listing-output" data-listing="([^"]+)">.*?</pre>\s*(?:<p [^>]*>.*?</p>\s*)*</div>"#,
    )
    .unwrap();
    block
        .captures_iter(html)
        .map(|c| (c[1].to_string(), c[0].to_string()))
        .collect()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The matcher's syntax, which must never reach a reader of a recorded output.
const SYNTAX: &[&str] = &[
    "[..]",
    "[N]",
    "[ELAPSED]",
    "[ADDR]",
    ">...<",
    "\n...\n",
    "class=\"varies",
];

#[test]
fn pages_show_the_recorded_runs_with_what_varies_marked() {
    let (_, out, stderr) = tested();
    assert!(!stderr.contains("no recorded run"), "{stderr}");
    let page = read(&out.join("html/runs.html"));
    let blocks = outputs(&page);
    assert_eq!(blocks.len(), OUTPUTS, "{blocks:#?}");
    for (id, html) in &blocks {
        for syntax in SYNTAX {
            assert!(
                !html.contains(syntax),
                "{id}: `{syntax}` reached a reader:\n{html}"
            );
        }
    }
    let patterns = &blocks["patterns"];
    let vary = |checks: &str, value: &str| {
        Regex::new(&format!(
            r#"<span class="vary" title="varies between runs: the book checks {checks}">{value}</span>"#
        ))
        .unwrap()
    };
    for (checks, value) in [
        ("an integer", r"[0-9]+"),
        ("a hexadecimal address", r"0x[0-9a-f]+"),
        ("any text", std::env::consts::ARCH),
        ("a duration", r"[0-9.]+(ns|µs|ms|s)"),
    ] {
        assert!(vary(checks, value).is_match(patterns), "{checks}: {patterns}");
    }
    assert!(patterns.contains(">noise 0</span>") && patterns.contains(">noise 19</span>"));
    assert!(
        patterns.contains(
            "<details class=\"output-fold\"><summary>15 more lines, which vary between runs</summary>"
        ),
        "{patterns}"
    );
    assert!(patterns.contains("class=\"line vary-line\""));
    let workers = &blocks["workers"];
    assert!(workers.contains("worker 2 done") && workers.contains("lines in any order"));
    assert!(
        workers.contains(
            "title=\"these lines came in this order in this run; the book checks them in any order\""
        ),
        "{workers}"
    );
    let measured = &blocks["measured"];
    assert!(
        vary("a duration", r"[0-9.]+(ns|µs|ms|s)").is_match(measured),
        "{measured}"
    );
    let machine = Regex::new(r#"<p class="output-machine">Measured on [0-9]+ cores? \(.+\), .+, rustc [0-9.]+.*, 20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9:]{5} UTC\. "#).unwrap();
    assert!(machine.is_match(measured), "{measured}");
    assert_eq!(
        page.matches("output-machine").count(),
        1,
        "only the measured output says where"
    );
    let refused = &blocks["refused"];
    assert!(
        refused.contains("<span class=\"line diag-error\">error[E0382]: borrow of moved value: `s`</span>")
            && refused
                .contains("title=\"varies between compiler versions: the book checks nothing on this line\""),
        "what the compiler printed, varying across its versions: {refused}"
    );
    assert!(
        blocks["plain"].contains("<span class=\"line\">hello &lt;world&gt; &amp; you</span>\n</code></pre>"),
        "{}",
        blocks["plain"]
    );
}

#[test]
fn the_epub_shows_the_recorded_runs_in_words_and_passes_epubcheck() {
    let (_, out, _) = tested();
    let epub = out.join("epub/recorded-fixture.epub");
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&epub).unwrap()).unwrap();
    let mut page = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("OEBPS/runs.xhtml").unwrap(), &mut page).unwrap();
    for syntax in SYNTAX {
        assert!(!page.contains(syntax), "`{syntax}` reached a reader:\n{page}");
    }
    assert!(
        page.contains("[15 more lines, which vary between runs, are not shown]"),
        "{page}"
    );
    assert!(!page.contains("noise 9") && page.contains("noise 19") && !page.contains("<details"));
    assert!(page.contains(
        "Underlined: what varies between runs (an integer, lines the book does not check, a hexadecimal address, any text, a duration)."
    ), "{page}");
    assert!(page.contains("The lines may come in another order."));
    assert!(page.contains("<p class=\"output-machine\">Measured on "));
    let report = common::epubcheck(&epub);
    assert!(
        report.contains("Messages: 0 fatals / 0 errors / 0 warnings"),
        "{report}"
    );
}

#[test]
fn build_tests_first_so_every_output_has_its_recording() {
    let (book, _, _) = tested();
    let stderr = build(book, &book.path("out-tested"), &["--require-recordings"]);
    assert!(!stderr.contains("no recorded run"), "{stderr}");
}

/// The store of recordings under the book's target directory (one file per book).
fn store(book: &common::Book) -> PathBuf {
    let dir = book.path("target/xtask");
    let found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("listing-cache-")
        })
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    found.into_iter().next().unwrap()
}

#[test]
fn a_warm_run_answers_from_the_keys_and_leaves_the_recordings_as_they_were() {
    let book = common::fixture("recorded");
    let test = book.xtask(&["test-listings", "--no-progress"]);
    assert!(test.status.success(), "{}", common::stderr(&test));
    let path = store(&book);
    let before = std::fs::read(&path).unwrap();
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();

    let (code, verdicts, stderr) = book.verdicts(&[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        verdicts
            .values()
            .all(|v| v["verdict"] == "passed" && v["reason"] == "cached: unchanged since it last passed"),
        "every listing answered by the cache: {verdicts:?}"
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "a warm run rewrote the store"
    );
    assert_eq!(std::fs::metadata(&path).unwrap().modified().unwrap(), modified);
    let stderr = build(
        &book,
        &book.path("out-warm"),
        &["--no-test", "--require-recordings"],
    );
    assert!(!stderr.contains("no recorded run"), "{stderr}");
}

#[test]
fn a_failed_run_is_never_shown_and_outputs_without_a_recording_are_counted() {
    let book = common::fixture("recorded");
    let out = book.path("out");
    let stderr = build(&book, &out, &["--no-test"]);
    assert!(
        stderr.contains("6 output blocks have no recorded run and show their pattern"),
        "{stderr}"
    );
    let page = read(&out.join("html/runs.html"));
    let before = outputs(&page);
    assert!(before["mode"].contains("checked <span class=\"varies\""));

    let test = book.xtask(&["test-listings", "--no-progress"]);
    assert!(test.status.success(), "{}", common::stderr(&test));
    // Same text, another profile: the verdict's key changes, the book's does not, and the
    // listing now prints `unchecked 7`.
    let manifest = book.read("Cargo.toml");
    book.write(
        "Cargo.toml",
        &format!("{manifest}\n[profile.dev]\ndebug-assertions = false\n"),
    );
    let test = book.xtask(&["test-listings", "--no-progress", "mode"]);
    assert_eq!(test.status.code(), Some(1), "{}", common::stderr(&test));
    let stderr = build(&book, &out, &["--no-test"]);
    assert!(
        stderr.contains("1 output block has no recorded run and shows its pattern"),
        "{stderr}"
    );
    let page = read(&out.join("html/runs.html"));
    let blocks = outputs(&page);
    assert!(
        !page.contains("unchecked 7") && !blocks["mode"].contains("unchecked"),
        "a failed run reached the page: {}",
        blocks["mode"]
    );
    assert!(
        blocks["mode"].contains("checked <span class=\"varies\""),
        "{}",
        blocks["mode"]
    );
    assert_eq!(
        blocks["plain"], before["plain"],
        "a deterministic output renders as it did without a recording"
    );
    assert!(
        blocks["patterns"].contains("class=\"vary\""),
        "the others keep theirs"
    );

    let all = [
        "build",
        "--no-test",
        "--require-recordings",
        "--out",
        out.to_str().unwrap(),
    ];
    let strict = book.xtask(&all);
    assert_eq!(strict.status.code(), Some(1), "{}", common::stderr(&strict));
}

#[test]
fn recordings_travel_by_export_and_merge_and_a_foreign_key_is_refused() {
    let (tested, out, _) = tested();
    let file = tested.path("shard.json");
    let export = tested.xtask(&["recordings", "export", file.to_str().unwrap()]);
    assert!(export.status.success(), "{}", common::stderr(&export));
    assert!(common::stdout(&export).contains(&format!("exported {OUTPUTS} recordings")));

    // Another checkout of the same book, never tested: it renders what the first one ran.
    let other = common::fixture("recorded");
    let merge = other.xtask(&["recordings", "merge", file.to_str().unwrap()]);
    assert!(merge.status.success(), "{}", common::stderr(&merge));
    assert!(
        common::stdout(&merge)
            .contains("merged 6 recordings from 1 file; 0 output blocks of the book without one"),
        "{}",
        common::stdout(&merge)
    );
    let other_out = other.path("out");
    build(&other, &other_out, &["--no-test", "--require-recordings"]);
    let measured = |dir: &Path| outputs(&read(&dir.join("html/runs.html")))["measured"].clone();
    assert_eq!(measured(&other_out), measured(out), "the same run, on both");

    // A book whose `plain` says something else refuses the file, and keeps what it had.
    let edited = common::fixture("recorded");
    let chapter = edited.read("src/runs.md").replace("hello <world> & you", "bye");
    edited.write("src/runs.md", &chapter);
    let merge = edited.xtask(&["recordings", "merge", file.to_str().unwrap()]);
    let stderr = common::stderr(&merge);
    assert_eq!(merge.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("the recording of listing `plain` has key")
            && stderr.contains("it was made from another text of the listing"),
        "{stderr}"
    );
    let stderr = build(&edited, &edited.path("out"), &["--no-test"]);
    assert!(
        stderr.contains("6 output blocks have no recorded run"),
        "{stderr}"
    );

    // A book without the listing refuses it too.
    let fewer = common::fixture("recorded");
    let chapter = fewer.read("src/runs.md");
    let cut = chapter.find("Nothing varies here.").unwrap();
    fewer.write("src/runs.md", &chapter[..cut]);
    let merge = fewer.xtask(&["recordings", "merge", file.to_str().unwrap()]);
    let stderr = common::stderr(&merge);
    assert_eq!(merge.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("a recording of listing `mode`, which this book does not have"),
        "{stderr}"
    );
}
