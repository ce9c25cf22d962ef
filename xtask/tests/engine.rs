//! The listing engine on fixture books: every verdict both ways, bless, the cache, shards,
//! extraction, and the author mistakes that make a book malformed.

mod common;

use common::{book_with, fixture, stderr, stdout, tree};

/// Listings of the `verdicts` fixture that must fail, with the reason they must fail for.
const FAILURES: &[(&str, &str)] = &[
    ("fail-mismatch", "printed something else"),
    ("fail-exit-101-not-met", "exited with status 0, expected 101"),
    ("fail-unexpected-panic", "exited with status 101, expected 0"),
    (
        "fail-kill-after-exits-early",
        "before `kill-after=2.0s`: it must still be running then",
    ),
    ("fail-timeout", "still running after 1.0s (its time limit)"),
    ("fail-runs-flaky", "of 30)"),
    ("fail-unordered-missing", "printed other lines (in any order)"),
    ("fail-placeholder-not-a-number", "printed something else"),
    (
        "fail-compile-fail-wrong-code",
        "fails to compile with error[E0382], but its output block expects error[E0308]",
    ),
    (
        "fail-compile-fail-compiles",
        "compiles, but it is marked `compile_fail`",
    ),
    ("fail-does-not-compile", "does not compile"),
    ("fail-warning", "compiles with warnings"),
    (
        "fail-warning-other",
        "compiles with other warnings than its `compiler` block expects",
    ),
    ("fail-prints-something", "printed something else"),
    ("fail-arrives-early", "before its `[after 2.000s]`"),
];

#[test]
fn every_verdict_both_ways() {
    let book = fixture("verdicts");
    let (code, verdicts, stderr) = book.verdicts(&[]);
    assert_eq!(
        code,
        Some(1),
        "a failing listing makes the exit status 1\n{stderr}"
    );

    let passing: Vec<&String> = verdicts.keys().filter(|id| id.starts_with("pass-")).collect();
    assert_eq!(passing.len(), 16, "the fixture's passing listings: {passing:?}");
    for id in passing {
        let v = &verdicts[id];
        assert_eq!(v["verdict"], "passed", "{id}: {v:#}");
    }
    let failing: Vec<&String> = verdicts.keys().filter(|id| id.starts_with("fail-")).collect();
    assert_eq!(
        failing.len(),
        FAILURES.len(),
        "every failing listing has its reason in FAILURES"
    );
    for (id, reason) in FAILURES {
        let v = &verdicts[*id];
        assert_eq!(v["verdict"], "failed", "{id}: {v:#}");
        let got = v["reason"].as_str().unwrap();
        assert!(
            got.contains(reason),
            "{id}: reason `{got}` should contain `{reason}`"
        );
    }
    assert_eq!(verdicts["pass-no-run"]["reason"], "compiled only (no_run)");
    assert!(
        stderr.trim_end().ends_with("16 passed, 15 failed, 0 skipped"),
        "{stderr}"
    );

    // Compiler errors point at the chapter line of the offending code, not at the block.
    let chapter = book.read("src/compiler.md");
    let line = chapter
        .lines()
        .position(|l| l.contains("let n: u32 = \"three\";"))
        .unwrap()
        + 1;
    assert_eq!(verdicts["fail-does-not-compile"]["line"], line);
    assert_eq!(verdicts["fail-does-not-compile"]["chapter"], "src/compiler.md");
    // A mismatch shows a diff with the expected line as written and the printed one.
    let detail = verdicts["fail-mismatch"]["detail"].as_str().unwrap();
    assert!(
        detail.contains("- goodbye, world") && detail.contains("+ hello, world"),
        "{detail}"
    );
    // Paths in compiler output are relative to the listing's crate.
    let detail = verdicts["fail-compile-fail-wrong-code"]["detail"]
        .as_str()
        .unwrap();
    assert!(detail.contains("--> src/main.rs:4:16"), "{detail}");
}

#[test]
fn human_report_names_chapter_lines_and_ends_with_the_summary() {
    let book = book_with(&[(
        "one.md",
        "# One\n\n```rust listing=greet\nfn main() { println!(\"hi\"); }\n```\n\n```output\nhello\n```\n",
    )]);
    let out = book.xtask(&["test-listings", "--no-progress"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("src/one.md:7:1"), "{text}");
    assert!(text.contains("listing `greet` printed something else"), "{text}");
    assert!(text.contains("Listing 1-1"), "{text}");
    assert_eq!(
        text.lines().last(),
        Some("0 passed, 1 failed, 0 skipped"),
        "{text}"
    );
}

const BLESS_CHAPTER: &str = r#"# Bless

Prose stays as it is.

```rust listing=numbers
fn main() {
    println!("run {}", std::process::id());
    println!("result: 43");
    println!("noise");
    println!("end");
}
```

```output
run [N]
result: 42
end
```

```rust listing=workers
fn main() {
    println!("w1");
    println!("w3");
}
```

```output unordered
w3
w2
w1
```

```rust listing=refused compile_fail
fn main() {
    let s = String::from("x");
    let t = s;
    println!("{s}{t}");
}
```

```output
error[E0382]: an old message
```

```rust listing=fine
fn main() {
    println!("fine");
}
```

```output
fine
```

The end.
"#;

#[test]
fn bless_round_trip() {
    let book = book_with(&[("bless.md", BLESS_CHAPTER)]);
    // With `--format json`, stdout is JSON lines only: what bless did goes to stderr.
    let out = book.xtask(&["test-listings", "--bless", "--no-progress", "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the run that blesses still reports what failed"
    );
    assert!(
        stderr(&out).contains("blessed 3 output block(s) in src/bless.md"),
        "{}",
        stderr(&out)
    );
    for line in stdout(&out).lines() {
        assert!(
            serde_json::from_str::<serde_json::Value>(line).is_ok(),
            "not a JSON line on stdout: {line}"
        );
    }

    let blessed = book.read("src/bless.md");
    assert!(
        blessed.contains("```output\nrun [N]\nresult: 43\nnoise\nend\n```"),
        "matching lines keep their patterns, changed lines change in place:\n{blessed}"
    );
    assert!(
        blessed.contains("```output unordered\nw3\nw1\n```"),
        "unordered keeps its order:\n{blessed}"
    );
    assert!(
        blessed.contains("error[E0382]: borrow of moved value: `s`"),
        "{blessed}"
    );
    assert!(blessed.contains("```output\nfine\n```") && blessed.contains("Prose stays as it is."));
    assert!(blessed.ends_with("The end.\n"));

    let out = book.xtask(&["test-listings", "--no-progress"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "a blessed book passes:\n{}",
        stdout(&out)
    );
}

#[test]
fn bless_refuses_under_ci() {
    let book = book_with(&[("bless.md", BLESS_CHAPTER)]);
    let out = book
        .command(&["test-listings", "--bless"])
        .env("CI", "true")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("refuses to run when `CI` is set"),
        "{}",
        stderr(&out)
    );
    assert_eq!(book.read("src/bless.md"), BLESS_CHAPTER);
}

fn two_listings(second_output: &str) -> String {
    format!(
        "# Cache\n\n```rust listing=first\nfn main() {{ println!(\"one\"); }}\n```\n\n```output\none\n```\n\n\
         ```rust listing=second\nfn main() {{ println!(\"two\"); }}\n```\n\n```output\n{second_output}\n```\n"
    )
}

#[test]
fn unchanged_listings_are_cached_and_changes_are_seen() {
    let book = book_with(&[("cache.md", &two_listings("two"))]);
    let (code, v, _) = book.verdicts(&[]);
    assert_eq!(code, Some(0));
    assert!(
        v.values()
            .all(|v| v["verdict"] == "passed" && v["reason"].is_null()),
        "{v:?}"
    );

    let (code, v, _) = book.verdicts(&[]);
    assert_eq!(code, Some(0));
    for id in ["first", "second"] {
        assert_eq!(v[id]["reason"], "cached: unchanged since it last passed", "{id}");
    }

    // Prose edits (which move listings down) keep the cache.
    let moved = format!(
        "# Cache\n\nA new paragraph.\n\nAnd another.\n{}",
        &two_listings("two")["# Cache\n".len()..]
    );
    book.write("src/cache.md", &moved);
    let (_, v, _) = book.verdicts(&[]);
    assert_eq!(v["first"]["reason"], "cached: unchanged since it last passed");

    // A changed expectation is checked again, and its failure is not cached.
    book.write("src/cache.md", &two_listings("deux"));
    let (code, v, _) = book.verdicts(&[]);
    assert_eq!(code, Some(1));
    assert_eq!(v["first"]["reason"], "cached: unchanged since it last passed");
    assert_eq!(v["second"]["verdict"], "failed");
    let (_, v, _) = book.verdicts(&[]);
    assert_eq!(v["second"]["verdict"], "failed", "failures are never cached");

    // --force runs everything.
    book.write("src/cache.md", &two_listings("two"));
    let (code, v, _) = book.verdicts(&["--force"]);
    assert_eq!(code, Some(0));
    assert!(v.values().all(|v| v["reason"].is_null()), "{v:?}");
}

#[test]
fn shards_cover_every_listing_exactly_once() {
    let mut chapter = String::from("# Shards\n");
    for i in 0..12 {
        chapter.push_str(&format!(
            "\n```rust listing=listing-{i}\nfn main() {{ println!(\"{i}\"); }}\n```\n\n```output\n{i}\n```\n"
        ));
    }
    let book = book_with(&[("shards.md", &chapter)]);
    let mut runs_of = std::collections::BTreeMap::<String, usize>::new();
    for k in 1..=3 {
        let (code, v, stderr) = book.verdicts(&["--shard", &format!("{k}/3")]);
        assert_eq!(code, Some(0), "{stderr}");
        assert_eq!(v.len(), 12);
        for (id, v) in v {
            if v["verdict"] == "passed" {
                *runs_of.entry(id).or_default() += 1;
            } else {
                assert_eq!(v["verdict"], "skipped");
            }
        }
    }
    assert_eq!(runs_of.len(), 12, "{runs_of:?}");
    assert!(runs_of.values().all(|&n| n == 1), "{runs_of:?}");

    let out = book.xtask(&["test-listings", "--shard", "4/3"]);
    assert_eq!(out.status.code(), Some(2), "K > N is a usage error");
}

#[test]
fn filters_select_listings_and_chapters_and_reject_unknown_names() {
    let book = book_with(&[("cache.md", &two_listings("two"))]);
    let (code, v, _) = book.verdicts(&["second"]);
    assert_eq!(code, Some(0));
    assert_eq!(v["first"]["verdict"], "skipped");
    assert_eq!(v["second"]["verdict"], "passed");
    let (_, v, _) = book.verdicts(&["cache"]);
    assert!(v.values().all(|v| v["verdict"] == "passed"));
    let out = book.xtask(&["test-listings", "no-such-thing"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("`no-such-thing` names no listing and no chapter"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_book_can_require_listings_formatted_as_cargo_fmt_does() {
    let chapter = "# Fmt\n\n```rust listing=tidy\nfn main() {\n    println!(\"tidy\");\n}\n```\n\n```output\ntidy\n```\n\n\
                   ```rust listing=messy\n# const WORD: &str = \"messy\";\nfn main() { println!(\"{WORD}\"); } // <1>\n```\n\n```output\nmessy\n```\n";
    let book = book_with(&[("fmt.md", chapter)]);
    let (code, v, _) = book.verdicts(&[]);
    assert_eq!(
        code,
        Some(0),
        "without the setting, formatting is the author's business: {v:?}"
    );

    let toml = book.read("book.toml");
    book.write(
        "book.toml",
        &format!("{toml}\n[preprocessor.listings]\ncheck-formatting = true\n"),
    );
    let (code, v, _) = book.verdicts(&[]);
    assert_eq!(code, Some(1));
    assert_eq!(v["tidy"]["verdict"], "passed");
    assert_eq!(v["messy"]["verdict"], "failed");
    assert!(
        v["messy"]["reason"]
            .as_str()
            .unwrap()
            .contains("is not formatted as `cargo fmt` formats it")
    );
    let line = v["messy"]["line"].as_u64().unwrap();
    assert!(
        (13..=14).contains(&line),
        "a chapter line of the block, where rustfmt's hunk starts: {line}"
    );
    let detail = v["messy"]["detail"].as_str().unwrap();
    assert!(detail.contains("+    println!(\"{WORD}\");"), "{detail}");

    book.write(
        "book.toml",
        &format!("{toml}\n[preprocessor.listings]\ncheck-formatting = \"yes\"\n"),
    );
    let out = book.xtask(&["test-listings"]);
    assert_eq!(out.status.code(), Some(2), "a malformed setting is an error");
    assert!(stderr(&out).contains("book.toml"), "{}", stderr(&out));
}

#[test]
fn runs_option_stresses_every_listing() {
    let chapter = "# Runs\n\n```rust listing=coin\nfn main() {\n    let n = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();\n    println!(\"{}\", if (n / 1000) % 2 == 0 { \"heads\" } else { \"tails\" });\n}\n```\n\n```output\nheads\n```\n";
    let book = book_with(&[("runs.md", chapter)]);
    let (code, v, _) = book.verdicts(&["--runs", "30"]);
    assert_eq!(code, Some(1), "30 runs of a coin toss do not all come up heads");
    assert!(
        v["coin"]["reason"].as_str().unwrap().contains("of 30)"),
        "{:?}",
        v["coin"]
    );
}

#[test]
fn extract_writes_only_what_changed_and_removes_stale_crates() {
    let book = book_with(&[("cache.md", &two_listings("two"))]);
    let out = book.xtask(&["extract"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let manifest = book.path("listings/cache/first/Cargo.toml");
    let main = book.read("listings/cache/first/src/main.rs");
    assert_eq!(main, "fn main() { println!(\"one\"); }\n");
    assert!(
        book.read("listings/cache/first/Cargo.toml")
            .contains("name = \"first\"")
    );
    let before = std::fs::metadata(&manifest).unwrap().modified().unwrap();

    let out = book.xtask(&["extract", "--check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    std::thread::sleep(std::time::Duration::from_millis(20));
    assert_eq!(book.xtask(&["extract"]).status.code(), Some(0));
    assert_eq!(
        std::fs::metadata(&manifest).unwrap().modified().unwrap(),
        before,
        "unchanged files are not rewritten"
    );

    // Drop the second listing: the check fails, naming the stale crate; extract removes it.
    book.write(
        "src/cache.md",
        "# Cache\n\n```rust listing=first\nfn main() { println!(\"one\"); }\n```\n\n```output\none\n```\n",
    );
    let out = book.xtask(&["extract", "--check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("stale: listings/cache/second"),
        "{}",
        stderr(&out)
    );
    assert!(
        book.path("listings/cache/second").exists(),
        "--check changes nothing"
    );
    assert_eq!(book.xtask(&["extract"]).status.code(), Some(0));
    assert!(!book.path("listings/cache/second").exists());
    assert!(book.path("listings/cache/first/src/main.rs").exists());
}

/// Author mistakes for the contract below: one found in its chapter, one found only once
/// every chapter is read. (chapter text, line of the finding, words the message must contain.)
/// Every diagnostic of the parser, rendered whole, is tested in-process: `src/book/tests.rs`.
const MISTAKES: &[(&str, usize, &str)] = &[
    (
        "# T\n\n```rust listing=a\nfn main() {}\n",
        3,
        "unterminated code fence",
    ),
    // The id of a listing of good.md.
    (
        "# T\n\n```rust listing=first\nfn main() {}\n```\n\n```output\nx\n```\n",
        3,
        "duplicate listing id `first`",
    ),
];

/// A malformed book: every command that reads it exits 2 and names the file and line, and
/// nothing is written: no file of the book changes, and the crates extracted before the
/// mistake are left exactly as they were.
#[test]
fn author_mistakes_are_errors_with_file_and_line_and_nothing_is_written() {
    for (text, line, words) in MISTAKES {
        let book = book_with(&[("good.md", &two_listings("two"))]);
        let out = book.xtask(&["extract"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        book.write(
            "src/SUMMARY.md",
            "# Summary\n\n- [good.md](good.md)\n- [bad.md](bad.md)\n",
        );
        book.write("src/bad.md", text);
        let before = tree(book.root());
        let modified = |p: &str| std::fs::metadata(book.path(p)).unwrap().modified().unwrap();
        let crate_time = modified("listings/good/first/src/main.rs");

        for args in [
            &["test-listings", "--no-progress"][..],
            &["test-listings", "--bless"],
            &["extract"],
        ] {
            let out = book.xtask(args);
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(2), "{args:?}: exit 2 for:\n{text}\n{err}");
            assert!(
                err.contains(&format!("src/bad.md:{line}:")),
                "{args:?}: `src/bad.md:{line}` in:\n{err}\nfor:\n{text}"
            );
            assert!(err.contains(words), "{args:?}: `{words}` in:\n{err}");
            assert!(err.contains("nothing was written"), "{args:?}: {err}");
            assert!(
                tree(book.root()) == before,
                "{args:?} wrote something for:\n{text}"
            );
            assert_eq!(modified("listings/good/first/src/main.rs"), crate_time);
            assert!(!book.path("target").exists(), "{args:?} built something");
        }
    }
}

#[test]
fn all_mistakes_of_a_book_are_reported_at_once() {
    let text = "# T\n\n```output\nx\n```\n\n```rust listing=a bogus\nfn main() {}\n```\n";
    let book = book_with(&[("bad.md", text)]);
    let err = stderr(&book.xtask(&["test-listings"]));
    assert!(
        err.contains("src/bad.md:3:") && err.contains("src/bad.md:7:"),
        "{err}"
    );
    assert!(err.contains("the book is malformed (2 errors)"), "{err}");
}

#[test]
fn a_missing_chapter_is_named_in_the_summary() {
    let book = book_with(&[("good.md", &two_listings("two"))]);
    book.write(
        "src/SUMMARY.md",
        "# Summary\n\n- [Good](good.md)\n- [Gone](gone.md)\n",
    );
    let out = book.xtask(&["test-listings"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("src/SUMMARY.md:4:"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("cannot read chapter src/gone.md"),
        "{}",
        stderr(&out)
    );
}

const GITHUB_CHAPTER: &str = "# On GitHub\n\n```rust listing=greets\nfn main() {\n    println!(\"hello, world\");\n}\n```\n\n```output\ngoodbye, world\n```\n\n```rust listing=counts\nfn main() {\n    println!(\"1 2 3\");\n}\n```\n\n```output\n1 2 3\n```\n";

/// In a GitHub workflow, a failure is annotated on its chapter line (so the pull request's
/// diff shows it) and listed with its diff in the job summary; elsewhere neither happens.
#[test]
fn in_a_github_workflow_failures_are_annotated_and_summarised() {
    let book = book_with(&[("github.md", GITHUB_CHAPTER)]);
    let summary = book.path("step-summary.md");
    std::fs::write(&summary, "earlier steps wrote this\n").unwrap();
    let out = book
        .command(&["test-listings", "--no-progress"])
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let printed = stdout(&out);
    let annotations: Vec<&str> = printed.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(
        annotations,
        [
            "::error file=src/github.md,line=9,title=Listing 1-1 (greets)::listing `greets` printed something else%0A- expected  + printed%0A- goodbye, world%0A+ hello, world"
        ],
        "{printed}"
    );
    assert_eq!(
        std::fs::read_to_string(&summary).unwrap(),
        "earlier steps wrote this\n### Listings: 1 passed, 1 failed, 0 skipped\n\n\
         #### `greets` (Listing 1-1, `src/github.md:9`) printed something else\n\n\
         ```diff\n- expected  + printed\n- goodbye, world\n+ hello, world\n```\n\n"
    );

    // The same run on a contributor's machine: no workflow commands, no summary.
    let local = book
        .command(&["test-listings", "--no-progress", "--force"])
        .output()
        .unwrap();
    assert_eq!(local.status.code(), Some(1));
    assert!(!stdout(&local).contains("::error"), "{}", stdout(&local));
}

/// A `compile_fail` listing beside a library-only `no_run` one, on an empty target.
const LIBRARY_BESIDE_COMPILE_FAIL: &str = "# Lib\n\n\
```rust listing=refused compile_fail\nfn main() {\n    let v = vec![1];\n    let w = v;\n    println!(\"{v:?} {w:?}\");\n}\n```\n\n\
```output\nerror[E0382]: borrow of moved value: `v`\n...\n```\n\n\
It is a library, so there is nothing to run.\n\n\
```rust listing=just-a-library file=src/lib.rs no_run\npub fn answer() -> u32 {\n    42\n}\n```\n";

/// A build that produces no executable is still a build: the library listing's verdict does
/// not depend on whether the `compile_fail` listing beside it was cached. And the only cargo
/// errors are the expected ones, so cargo's failure is not reported as an error of its own.
#[test]
fn a_library_built_beside_a_compile_fail_listing_compiles_and_cargo_is_not_blamed() {
    let book = book_with(&[("lib.md", LIBRARY_BESIDE_COMPILE_FAIL)]);
    for run in ["cold", "warm"] {
        let (code, verdicts, stderr) = book.verdicts(&["--force"]);
        assert_eq!(code, Some(0), "{run}: {verdicts:#?}\n{stderr}");
        assert_eq!(
            verdicts["just-a-library"]["reason"], "compiled only (no_run)",
            "{run}: {stderr}"
        );
        assert_eq!(verdicts["refused"]["verdict"], "passed", "{run}");
        assert!(!stderr.contains("cargo failed"), "{run}: {stderr}");
    }
    // A failure no verdict explains is still reported: a dependency the workspace lacks.
    let manifest = "```toml listing=just-a-library file=Cargo.toml\n[package]\nname = \"just-a-library\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\nnowhere.workspace = true\n```\n";
    book.write(
        "src/lib.md",
        &format!("{LIBRARY_BESIDE_COMPILE_FAIL}\n{manifest}"),
    );
    let (code, verdicts, stderr) = book.verdicts(&["--force"]);
    assert_eq!(code, Some(1), "{verdicts:#?}");
    assert!(stderr.contains("error: cargo failed"), "{stderr}");
    assert!(stderr.contains("nowhere"), "{stderr}");
}

/// A root manifest with no `[workspace.package]` (so no edition to inherit) still builds
/// every listing.
#[test]
fn a_workspace_without_a_package_table_builds_its_listings() {
    let book = book_with(&[(
        "one.md",
        "# One\n\n```rust listing=greet\nfn main() {\n    println!(\"hi\");\n}\n```\n\n```output\nhi\n```\n",
    )]);
    book.write(
        "Cargo.toml",
        "[workspace]\nresolver = \"3\"\nmembers = [\"listings/*/*\"]\n",
    );
    let (code, verdicts, stderr) = book.verdicts(&[]);
    assert_eq!(code, Some(0), "{verdicts:#?}\n{stderr}");
    assert_eq!(verdicts["greet"]["verdict"], "passed");
}

/// Runs that sleep do not hold a CPU slot: eight listings that each sleep 1.5 s finish
/// together with `--jobs 1` far sooner than one after the other (12 s).
#[test]
fn sleeping_runs_share_the_machine_beyond_the_jobs() {
    let mut chapter = String::from("# Sleep\n");
    for i in 0..8 {
        chapter.push_str(&format!(
            "\n```rust listing=sleeper-{i}\nfn main() {{\n    std::thread::sleep(std::time::Duration::from_millis(1500));\n    println!(\"slept {i}\");\n}}\n```\n\n```output\nslept {i}\n```\n"
        ));
    }
    let book = book_with(&[("sleep.md", &chapter)]);
    let (code, _, stderr) = book.verdicts(&["--jobs", "1"]);
    assert_eq!(code, Some(0), "{stderr}");
    // Built now: the second time measures the runs.
    let start = std::time::Instant::now();
    let (code, verdicts, stderr) = book.verdicts(&["--jobs", "1", "--force"]);
    let took = start.elapsed();
    assert_eq!(code, Some(0), "{verdicts:#?}\n{stderr}");
    assert!(
        took < std::time::Duration::from_secs(8),
        "eight sleeping runs took {took:?} with --jobs 1"
    );
}

/// Every form of output block on a listing whose output varies in just the way the form
/// allows, twenty runs each.
#[test]
fn every_form_of_output_block_passes_twenty_runs() {
    let book = fixture("forms");
    let (code, verdicts, stderr) = book.verdicts(&["--runs", "20"]);
    assert_eq!(code, Some(0), "{verdicts:#?}\n{stderr}");
    assert_eq!(verdicts.len(), 7, "{verdicts:#?}");
    assert!(
        verdicts.values().all(|v| v["verdict"] == "passed"),
        "{verdicts:#?}"
    );
}

/// `--bless --runs N` writes placeholders for exactly what differed between the runs.
#[test]
fn bless_with_runs_proposes_placeholders_for_what_differed() {
    let chapter = "# Propose\n\n```rust listing=pids\nfn main() {\n    println!(\"started\");\n    println!(\"process {} at work\", std::process::id());\n    println!(\"done\");\n}\n```\n\n```output\nstarted\nprocess 1 at work\ndone\n```\n";
    let book = book_with(&[("propose.md", chapter)]);
    let out = book.xtask(&["test-listings", "--no-progress", "--bless", "--runs", "5"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the block failed before bless: {}",
        stdout(&out)
    );
    let text = book.read("src/propose.md");
    assert!(
        text.contains("```output\nstarted\nprocess [N] at work\ndone\n```"),
        "{text}"
    );
    let (code, _, stderr) = book.verdicts(&["--runs", "5"]);
    assert_eq!(code, Some(0), "{stderr}");
}
