//! The parser and loader on small books written to a temporary directory: every diagnostic an
//! author can meet, one test each, rendered whole as the author reads it; and the values a
//! well-formed chapter parses into.
//!
//! Snapshots are inline; after a deliberate change of wording, bless them with
//! `SNAPSHOTS=overwrite cargo test -p xtask --lib book::tests` and read the diff.

use snapbox::data::Inline;
use snapbox::str;
use tempfile::TempDir;

use super::diag::BookErrors;
use super::pattern::Line;
use super::{Book, Listing, OutputBlock, SourceFile, load};

/// A book in a temporary directory: `src/SUMMARY.md` naming its chapters, and the chapters.
struct TempBook {
    dir: TempDir,
}

impl TempBook {
    /// `chapters` are (file name under `src/`, text), in reading order.
    fn new(chapters: &[(&str, &str)]) -> TempBook {
        let book = TempBook {
            dir: tempfile::Builder::new().prefix("xtask-parse-").tempdir().unwrap(),
        };
        let mut summary = String::from("# Summary\n\n");
        for (name, text) in chapters {
            summary.push_str(&format!("- [{name}]({name})\n"));
            book.write(&format!("src/{name}"), text);
        }
        book.write("src/SUMMARY.md", &summary);
        book
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn load(&self) -> Result<Book, BookErrors> {
        load(self.dir.path())
    }

    /// Every finding as an author reads it (no colour), the temporary directory redacted.
    fn errors(&self) -> String {
        let errors = match self.load() {
            Ok(_) => panic!("the book loaded, but a mistake was expected"),
            Err(errors) => errors,
        };
        let rendered: String = errors.0.iter().map(|d| d.render(false)).collect();
        let root = self.dir.path().to_str().unwrap();
        rendered.replace(root, "[ROOT]")
    }
}

/// The findings of a book whose one chapter, `src/bad.md`, holds `text`.
fn mistakes(text: &str) -> String {
    TempBook::new(&[("bad.md", text)]).errors()
}

/// `actual` against an inline snapshot. Paths are compared as written: a `\` in a message
/// is part of it.
fn assert_snapshot(actual: String, expected: Inline) {
    snapbox::Assert::new()
        .action_env(snapbox::assert::DEFAULT_ACTION_ENV)
        .normalize_paths(false)
        .eq(actual, expected);
}

// Fences and info strings -----------------------------------------------------------------------

#[test]
fn unterminated_fence() {
    assert_snapshot(
        mistakes("# T\n\n```rust listing=a\nfn main() {}\n"),
        str![[r#"
error: unterminated code fence: no closing ````` for this block
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a
  │ ^^^^^^^^^^^^^^^^^


"#]],
    );
}

/// An output block left open runs to the end of the chapter.
#[test]
fn unterminated_output_block_runs_to_the_end() {
    assert_snapshot(
        mistakes("# T\n\n```rust listing=a\nfn main() {}\n```\n\n```output\nx\n"),
        str![[r#"
error: unterminated code fence: no closing ````` for this block
  ┌─ src/bad.md:7:1
  │
7 │ ```output
  │ ^^^^^^^^^

error: listing `a` has no output block: add one after it, or mark it `no_run` and say why in the chapter
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a
  │ ^^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn unterminated_tilde_fence() {
    assert_snapshot(
        mistakes("# T\n\n~~~~rust listing=a\nfn main() {}\n~~~\n"),
        str![[r#"
error: unterminated code fence: no closing `~~~~` for this block
  ┌─ src/bad.md:3:1
  │
3 │ ~~~~rust listing=a
  │ ^^^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn info_string_with_an_unclosed_quote() {
    assert_snapshot(
        mistakes("# T\n\n```rust listing=a caption=\"x\nfn main() {}\n```\n"),
        str![[r#"
error: malformed info string: unclosed quote "
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a caption="x
  │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^


"#]],
    );
}

/// Inside quotes, a `\` escapes the next character; at the end it escapes nothing.
#[test]
fn info_string_ending_in_a_backslash() {
    assert_snapshot(
        mistakes("# T\n\n```rust listing=a caption=\"x\\\nfn main() {}\n```\n"),
        str![[r#"
error: malformed info string: a `\` ends the text
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a caption="x\
  │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn backtick_in_a_backtick_fence_info_string() {
    assert_snapshot(
        mistakes("# T\n\n```rust listing=a caption=`x`\nfn main() {}\n```\n"),
        str![[r#"
error: this fence is not a code block: its info string contains a backtick
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a caption=`x`
  │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  │
  = Markdown forbids backticks after a ``` fence; fence the block with ~~~ instead

error: unterminated code fence: no closing ````` for this block
  ┌─ src/bad.md:5:1
  │
5 │ ```
  │ ^^^


"#]],
    );
}

// Where stdin and output blocks go --------------------------------------------------------------

#[test]
fn output_block_after_prose_only() {
    assert_snapshot(
        mistakes("# T\n\nSome prose.\n\n```output\nhello\n```\n"),
        str![[r#"
error: output block with no listing
  ┌─ src/bad.md:5:1
  │
5 │ ```output
  │ ^^^^^^^^^ no listing before it
  │
  = an output block follows its listing with only prose between


"#]],
    );
}

/// An illustration is not a listing: an output block after it has none.
#[test]
fn output_block_after_an_illustration() {
    assert_snapshot(
        mistakes("# T\n\n```rust\nfn main() {}\n```\n\n```output\nx\n```\n"),
        str![[r#"
error: output block with no listing
  ┌─ src/bad.md:7:1
  │
7 │ ```output
  │ ^^^^^^^^^ no listing before it
  │
  = an output block follows its listing with only prose between


"#]],
    );
}

#[test]
fn stdin_followed_by_another_block() {
    assert_snapshot(
        mistakes(
            "# T\n\n```rust listing=a\nfn main() {}\n```\n\n```stdin\nx\n```\n\n```rust\nfn x() {}\n```\n",
        ),
        str![[r#"
error: a `stdin` block must come right before an `output` block
  ┌─ src/bad.md:7:1
  │
7 │ ```stdin
  │ ^^^^^^^^ followed by another code block instead

error: listing `a` has no output block: add one after it, or mark it `no_run` and say why in the chapter
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a
  │ ^^^^^^^^^^^^^^^^^


"#]],
    );
}

/// A `stdin` block with no output block after it, at the end of the chapter.
#[test]
fn stdin_at_the_end_of_the_chapter() {
    assert_snapshot(
        mistakes("# T\n\n```rust listing=a\nfn main() {}\n```\n\n```output\nx\n```\n\n```stdin\nx\n```\n"),
        str![[r#"
error: a `stdin` block must come right before an `output` block
   ┌─ src/bad.md:11:1
   │
11 │ ```stdin
   │ ^^^^^^^^


"#]],
    );
}

#[test]
fn stdin_with_attributes() {
    assert_snapshot(
        mistakes(
            "# T\n\n```rust listing=a\nfn main() {}\n```\n\n```stdin lines=2\nx\n```\n\n```output\nx\n```\n",
        ),
        str![[r#"
error: a `stdin` block takes no attributes
  ┌─ src/bad.md:7:1
  │
7 │ ```stdin lines=2
  │ ^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn two_stdin_blocks() {
    assert_snapshot(
        mistakes(
            "# T\n\n```rust listing=a\nfn main() {}\n```\n\n```stdin\nx\n```\n\n```stdin\ny\n```\n\n```output\nx\n```\n",
        ),
        str![[r#"
error: two `stdin` blocks for one output block
  ┌─ src/bad.md:7:1
  │
7 │ ```stdin
  │ ^^^^^^^^


"#]],
    );
}

// The blocks of one listing ---------------------------------------------------------------------

#[test]
fn same_id_again_in_the_chapter() {
    assert_snapshot(
        mistakes(
            "# T\n\n```rust listing=a\nfn main() {}\n```\n\n```output\nx\n```\n\n```rust listing=a\nfn main() {}\n```\n\n```output\nx\n```\n",
        ),
        str![[r#"
error: duplicate listing id `a`
   ┌─ src/bad.md:11:1
   │
11 │ ```rust listing=a
   │ ^^^^^^^^^^^^^^^^^ second listing with this id
   │
   = first used at src/bad.md:3


"#]],
    );
}

#[test]
fn listing_continues_after_its_output_block() {
    assert_snapshot(
        mistakes(
            "# T\n\n```rust listing=a\nfn main() {}\n```\n\n```output\nx\n```\n\n```rust listing=a file=src/lib.rs\npub fn f() {}\n```\n",
        ),
        str![[r#"
error: listing `a` continues after its output block
   ┌─ src/bad.md:11:1
   │
11 │ ```rust listing=a file=src/lib.rs
   │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   │
   = put all blocks of a listing before its output blocks


"#]],
    );
}

#[test]
fn two_blocks_for_one_file() {
    assert_snapshot(
        mistakes(
            "# T\n\n```rust listing=a\nfn main() {}\n```\n\n```rust listing=a\nfn main() {}\n```\n\n```output\nx\n```\n",
        ),
        str![[r#"
error: listing `a` already has a block for `src/main.rs`
  ┌─ src/bad.md:7:1
  │
7 │ ```rust listing=a
  │ ^^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn first_block_attributes_on_a_later_block() {
    assert_snapshot(
        mistakes(
            "# T\n\n```rust listing=a\nfn main() {}\n```\n\n```rust listing=a file=src/lib.rs exclusive\npub fn f() {}\n```\n\n```output\nx\n```\n",
        ),
        str![[r#"
error: `caption`, `compile_fail`, `exclusive`, `no_run`, `tab` and `base` belong on the first block of listing `a`
  ┌─ src/bad.md:7:1
  │
7 │ ```rust listing=a file=src/lib.rs exclusive
  │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^


"#]],
    );
}

// Listing attributes ----------------------------------------------------------------------------

#[test]
fn unknown_listing_attribute() {
    assert_snapshot(
        mistakes("# T\n\n```rust listing=a captoin=\"x\"\nfn main() {}\n```\n\n```output\nx\n```\n"),
        str![[r#"
error: unknown attribute `captoin`; known: listing, caption, file, compile_fail, exclusive, no_run, tab, base
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a captoin="x"
  │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

error: output block with no listing
  ┌─ src/bad.md:7:1
  │
7 │ ```output
  │ ^^^^^^^^^ no listing before it
  │
  = an output block follows its listing with only prose between


"#]],
    );
}

#[test]
fn rust_block_with_attributes_but_no_listing() {
    assert_snapshot(
        mistakes("# T\n\n```rust caption=\"x\"\nfn main() {}\n```\n"),
        str![[r#"
error: `caption` needs `listing=ID`; a rust block without it is never compiled
  ┌─ src/bad.md:3:1
  │
3 │ ```rust caption="x"
  │ ^^^^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn rust_block_with_a_misspelt_listing() {
    assert_snapshot(
        mistakes("# T\n\n```rust lisitng=a\nfn main() {}\n```\n"),
        str![[r#"
error: unknown attribute `lisitng`; known: listing, caption, file, compile_fail, exclusive, no_run, tab, base
  ┌─ src/bad.md:3:1
  │
3 │ ```rust lisitng=a
  │ ^^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn listing_attribute_given_twice() {
    assert_snapshot(
        mistakes("# T\n\n```rust listing=a no_run no_run\nfn main() {}\n```\n"),
        str![[r#"
error: attribute `no_run` given twice
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a no_run no_run
  │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn listing_id_empty() {
    assert_snapshot(
        mistakes("# T\n\n```rust listing=\nfn main() {}\n```\n"),
        str![[r#"
error: `listing` needs a value: `listing=...`
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=
  │ ^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn caption_without_a_value() {
    assert_snapshot(
        mistakes("# T\n\n```rust listing=a caption\nfn main() {}\n```\n"),
        str![[r#"
error: `caption` needs a value: `caption=...`
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a caption
  │ ^^^^^^^^^^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn flag_with_a_value() {
    assert_snapshot(
        mistakes("# T\n\n```rust listing=a no_run=yes\nfn main() {}\n```\n"),
        str![[r#"
error: `no_run` takes no value
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a no_run=yes
  │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn toml_block_holding_a_rust_file() {
    assert_snapshot(
        mistakes("# T\n\n```toml listing=a file=src/main.rs\n[package]\n```\n"),
        str![[r#"
error: a `toml` block holds a `.toml` file, not `src/main.rs`
  ┌─ src/bad.md:3:1
  │
3 │ ```toml listing=a file=src/main.rs
  │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn listing_id_not_lower_case() {
    assert_snapshot(
        mistakes("# T\n\n```rust listing=Bad_Id\nfn main() {}\n```\n\n```output\nx\n```\n"),
        str![[r#"
error: bad listing id `Bad_Id`: use lower-case letters, digits and single dashes, starting with a letter
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=Bad_Id
  │ ^^^^^^^^^^^^^^^^^^^^^^

error: output block with no listing
  ┌─ src/bad.md:7:1
  │
7 │ ```output
  │ ^^^^^^^^^ no listing before it
  │
  = an output block follows its listing with only prose between


"#]],
    );
}

#[test]
fn listing_id_cargo_reserves() {
    assert_snapshot(
        mistakes("# T\n\n```rust listing=test\nfn main() {}\n```\n\n```output\nx\n```\n"),
        str![[r#"
error: bad listing id `test`: cargo reserves this name
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=test
  │ ^^^^^^^^^^^^^^^^^^^^

error: output block with no listing
  ┌─ src/bad.md:7:1
  │
7 │ ```output
  │ ^^^^^^^^^ no listing before it
  │
  = an output block follows its listing with only prose between


"#]],
    );
}

#[test]
fn file_path_escaping_upwards() {
    assert_snapshot(
        mistakes("# T\n\n```rust listing=a file=../../etc/x.rs\nfn main() {}\n```\n\n```output\nx\n```\n"),
        str![[r#"
error: `file=../../etc/x.rs` must be a relative path inside the crate, such as `src/lib.rs` (no `..`, no absolute path)
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a file=../../etc/x.rs
  │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

error: output block with no listing
  ┌─ src/bad.md:7:1
  │
7 │ ```output
  │ ^^^^^^^^^ no listing before it
  │
  = an output block follows its listing with only prose between


"#]],
    );
}

#[test]
fn file_path_absolute() {
    assert_snapshot(
        mistakes("# T\n\n```rust listing=a file=/tmp/x.rs\nfn main() {}\n```\n\n```output\nx\n```\n"),
        str![[r#"
error: `file=/tmp/x.rs` must be a relative path inside the crate, such as `src/lib.rs` (no `..`, no absolute path)
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a file=/tmp/x.rs
  │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

error: output block with no listing
  ┌─ src/bad.md:7:1
  │
7 │ ```output
  │ ^^^^^^^^^ no listing before it
  │
  = an output block follows its listing with only prose between


"#]],
    );
}

#[test]
fn file_path_escaping_through_src() {
    assert_snapshot(
        mistakes(
            "# T\n\n```rust listing=a file=src/../../../escape.rs\nfn main() {}\n```\n\n```output\nx\n```\n",
        ),
        str![[r#"
error: `file=src/../../../escape.rs` must be a relative path inside the crate, such as `src/lib.rs` (no `..`, no absolute path)
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a file=src/../../../escape.rs
  │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

error: output block with no listing
  ┌─ src/bad.md:7:1
  │
7 │ ```output
  │ ^^^^^^^^^ no listing before it
  │
  = an output block follows its listing with only prose between


"#]],
    );
}

#[test]
fn file_path_outside_src() {
    assert_snapshot(
        mistakes("# T\n\n```rust listing=a file=notes.rs\nfn main() {}\n```\n\n```output\nx\n```\n"),
        str![[r#"
error: `file=notes.rs`: a listing's files are `Cargo.toml`, `build.rs`, under `src/`, or data files under `data/`
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a file=notes.rs
  │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

error: output block with no listing
  ┌─ src/bad.md:7:1
  │
7 │ ```output
  │ ^^^^^^^^^ no listing before it
  │
  = an output block follows its listing with only prose between


"#]],
    );
}

// Output attributes -----------------------------------------------------------------------------

/// A listing `a` whose output block has `attrs` in its info string.
fn output_with(attrs: &str) -> String {
    format!("# T\n\n```rust listing=a\nfn main() {{}}\n```\n\n```output {attrs}\nx\n```\n")
}

#[test]
fn unknown_output_attribute() {
    assert_snapshot(
        mistakes(&output_with("colour=red")),
        str![[r#"
error: unknown attribute `colour`; known: exit, kill-after, timeout, args, env, stream, unordered, runs, bin, compiler, show-times, with
  ┌─ src/bad.md:7:1
  │
7 │ ```output colour=red
  │ ^^^^^^^^^^^^^^^^^^^^

error: listing `a` has no output block: add one after it, or mark it `no_run` and say why in the chapter
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a
  │ ^^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn output_attribute_given_twice() {
    assert_snapshot(
        mistakes(&output_with("exit=1 exit=2")),
        str![[r#"
error: attribute `exit` given twice
  ┌─ src/bad.md:7:1
  │
7 │ ```output exit=1 exit=2
  │ ^^^^^^^^^^^^^^^^^^^^^^^

error: listing `a` has no output block: add one after it, or mark it `no_run` and say why in the chapter
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a
  │ ^^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn exit_without_a_value() {
    assert_snapshot(
        mistakes(&output_with("exit")),
        str![[r#"
error: `exit` needs a value: `exit=...`
  ┌─ src/bad.md:7:1
  │
7 │ ```output exit
  │ ^^^^^^^^^^^^^^

error: listing `a` has no output block: add one after it, or mark it `no_run` and say why in the chapter
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a
  │ ^^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn unordered_with_a_value() {
    assert_snapshot(
        mistakes(&output_with("unordered=yes")),
        str![[r#"
error: `unordered` takes no value
  ┌─ src/bad.md:7:1
  │
7 │ ```output unordered=yes
  │ ^^^^^^^^^^^^^^^^^^^^^^^

error: listing `a` has no output block: add one after it, or mark it `no_run` and say why in the chapter
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a
  │ ^^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn timeout_without_a_unit() {
    assert_snapshot(
        mistakes(&output_with("timeout=5")),
        str![[r#"
error: malformed duration `5`: write it like `500ms`, `2s` or `1.5s`
  ┌─ src/bad.md:7:1
  │
7 │ ```output timeout=5
  │ ^^^^^^^^^^^^^^^^^^^

error: listing `a` has no output block: add one after it, or mark it `no_run` and say why in the chapter
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a
  │ ^^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn kill_after_not_a_duration() {
    assert_snapshot(
        mistakes(&output_with("kill-after=soon")),
        str![[r#"
error: malformed duration `soon`: write it like `500ms`, `2s` or `1.5s`
  ┌─ src/bad.md:7:1
  │
7 │ ```output kill-after=soon
  │ ^^^^^^^^^^^^^^^^^^^^^^^^^

error: listing `a` has no output block: add one after it, or mark it `no_run` and say why in the chapter
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a
  │ ^^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn timeout_in_hours() {
    assert_snapshot(
        mistakes(&output_with("timeout=2h")),
        str![[r#"
error: malformed duration `2h`: write it like `500ms`, `2s` or `1.5s`
  ┌─ src/bad.md:7:1
  │
7 │ ```output timeout=2h
  │ ^^^^^^^^^^^^^^^^^^^^

error: listing `a` has no output block: add one after it, or mark it `no_run` and say why in the chapter
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a
  │ ^^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn timeout_of_zero() {
    assert_snapshot(
        mistakes(&output_with("timeout=0s")),
        str![[r#"
error: duration `0s` out of range: more than 0 and at most 1 hour
  ┌─ src/bad.md:7:1
  │
7 │ ```output timeout=0s
  │ ^^^^^^^^^^^^^^^^^^^^

error: listing `a` has no output block: add one after it, or mark it `no_run` and say why in the chapter
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a
  │ ^^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn kill_after_not_shorter_than_timeout() {
    assert_snapshot(
        mistakes(&output_with("timeout=1s kill-after=2s")),
        str![[r#"
error: `kill-after` must be shorter than `timeout`
  ┌─ src/bad.md:7:1
  │
7 │ ```output timeout=1s kill-after=2s
  │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

error: listing `a` has no output block: add one after it, or mark it `no_run` and say why in the chapter
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a
  │ ^^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn kill_after_with_exit() {
    assert_snapshot(
        mistakes(&output_with("kill-after=1s exit=3")),
        str![[r#"
error: `kill-after` and `exit` contradict: a killed program has no exit status
  ┌─ src/bad.md:7:1
  │
7 │ ```output kill-after=1s exit=3
  │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

error: listing `a` has no output block: add one after it, or mark it `no_run` and say why in the chapter
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a
  │ ^^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn exit_not_a_number() {
    assert_snapshot(
        mistakes(&output_with("exit=boom")),
        str![[r#"
error: malformed exit code `boom`: an integer from 0 to 255
  ┌─ src/bad.md:7:1
  │
7 │ ```output exit=boom
  │ ^^^^^^^^^^^^^^^^^^^

error: listing `a` has no output block: add one after it, or mark it `no_run` and say why in the chapter
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a
  │ ^^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn exit_over_255() {
    assert_snapshot(
        mistakes(&output_with("exit=300")),
        str![[r#"
error: malformed exit code `300`: an integer from 0 to 255
  ┌─ src/bad.md:7:1
  │
7 │ ```output exit=300
  │ ^^^^^^^^^^^^^^^^^^

error: listing `a` has no output block: add one after it, or mark it `no_run` and say why in the chapter
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a
  │ ^^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn exit_negative() {
    assert_snapshot(
        mistakes(&output_with("exit=-1")),
        str![[r#"
error: malformed exit code `-1`: an integer from 0 to 255
  ┌─ src/bad.md:7:1
  │
7 │ ```output exit=-1
  │ ^^^^^^^^^^^^^^^^^

error: listing `a` has no output block: add one after it, or mark it `no_run` and say why in the chapter
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a
  │ ^^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn runs_zero() {
    assert_snapshot(
        mistakes(&output_with("runs=0")),
        str![[r#"
error: malformed `runs=0`: an integer from 1 to 1000
  ┌─ src/bad.md:7:1
  │
7 │ ```output runs=0
  │ ^^^^^^^^^^^^^^^^

error: listing `a` has no output block: add one after it, or mark it `no_run` and say why in the chapter
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a
  │ ^^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn runs_over_1000() {
    assert_snapshot(
        mistakes(&output_with("runs=1001")),
        str![[r#"
error: malformed `runs=1001`: an integer from 1 to 1000
  ┌─ src/bad.md:7:1
  │
7 │ ```output runs=1001
  │ ^^^^^^^^^^^^^^^^^^^

error: listing `a` has no output block: add one after it, or mark it `no_run` and say why in the chapter
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a
  │ ^^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn args_with_an_unclosed_quote() {
    assert_snapshot(
        mistakes(&output_with("args=\"one 'two\"")),
        str![[r#"
error: malformed `args`: unclosed quote '
  ┌─ src/bad.md:7:1
  │
7 │ ```output args="one 'two"
  │ ^^^^^^^^^^^^^^^^^^^^^^^^^

error: listing `a` has no output block: add one after it, or mark it `no_run` and say why in the chapter
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a
  │ ^^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn env_with_an_unclosed_quote() {
    assert_snapshot(
        mistakes(&output_with("env=\"A='b\"")),
        str![[r#"
error: malformed `env`: unclosed quote '
  ┌─ src/bad.md:7:1
  │
7 │ ```output env="A='b"
  │ ^^^^^^^^^^^^^^^^^^^^

error: listing `a` has no output block: add one after it, or mark it `no_run` and say why in the chapter
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a
  │ ^^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn env_entry_without_a_value() {
    assert_snapshot(
        mistakes(&output_with("env=NAME")),
        str![[r#"
error: malformed `env` entry `NAME`: write `NAME=value`
  ┌─ src/bad.md:7:1
  │
7 │ ```output env=NAME
  │ ^^^^^^^^^^^^^^^^^^

error: listing `a` has no output block: add one after it, or mark it `no_run` and say why in the chapter
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a
  │ ^^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn stream_unknown() {
    assert_snapshot(
        mistakes(&output_with("stream=stdrr")),
        str![[r#"
error: malformed `stream=stdrr`: one of both, stdout, stderr
  ┌─ src/bad.md:7:1
  │
7 │ ```output stream=stdrr
  │ ^^^^^^^^^^^^^^^^^^^^^^

error: listing `a` has no output block: add one after it, or mark it `no_run` and say why in the chapter
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a
  │ ^^^^^^^^^^^^^^^^^


"#]],
    );
}

// Output blocks that check nothing --------------------------------------------------------------

#[test]
fn output_block_of_patterns_only() {
    assert_snapshot(
        mistakes("# T\n\n```rust listing=a\nfn main() {}\n```\n\n```output\n[N]\n...\n[..]\n```\n"),
        str![[r#"
error: this output block holds no literal word, so any output would match it: write at least one word the program prints
  ┌─ src/bad.md:7:1
  │
7 │ ```output
  │ ^^^^^^^^^

error: listing `a` has no output block: add one after it, or mark it `no_run` and say why in the chapter
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a
  │ ^^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn output_block_of_elapsed_and_addr_only() {
    assert_snapshot(
        mistakes("# T\n\n```rust listing=a\nfn main() {}\n```\n\n```output\n[ELAPSED] [ADDR]\n...\n```\n"),
        str![[r#"
error: this output block holds no literal word, so any output would match it: write at least one word the program prints
  ┌─ src/bad.md:7:1
  │
7 │ ```output
  │ ^^^^^^^^^

error: listing `a` has no output block: add one after it, or mark it `no_run` and say why in the chapter
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a
  │ ^^^^^^^^^^^^^^^^^


"#]],
    );
}

// Listings and their runs -----------------------------------------------------------------------

#[test]
fn listing_without_an_output_block() {
    assert_snapshot(
        mistakes("# T\n\n```rust listing=a\nfn main() {}\n```\n\nNo output follows.\n"),
        str![[r#"
error: listing `a` has no output block: add one after it, or mark it `no_run` and say why in the chapter
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a
  │ ^^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn no_run_listing_with_an_output_block() {
    assert_snapshot(
        mistakes("# T\n\n```rust listing=a no_run\nfn main() {}\n```\n\n```output\nx\n```\n"),
        str![[r#"
error: listing `a` is `no_run`: it is never run, so it has no output block
  ┌─ src/bad.md:7:1
  │
7 │ ```output
  │ ^^^^^^^^^


"#]],
    );
}

#[test]
fn no_run_and_compile_fail() {
    assert_snapshot(
        mistakes("# T\n\n```rust listing=a no_run compile_fail\nfn main() {}\n```\n"),
        str![[r#"
error: listing `a` is both `no_run` and `compile_fail`
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a no_run compile_fail
  │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn library_only_listing_that_runs() {
    assert_snapshot(
        mistakes("# T\n\n```rust listing=a file=src/lib.rs\npub fn f() {}\n```\n\n```output\nx\n```\n"),
        str![[r#"
error: listing `a` has no binary to run (`src/main.rs` or `src/bin/NAME.rs`); a library-only listing is `no_run`
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a file=src/lib.rs
  │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn bin_that_the_listing_does_not_build() {
    assert_snapshot(
        mistakes("# T\n\n```rust listing=a\nfn main() {}\n```\n\n```output bin=other\nx\n```\n"),
        str![[r#"
error: output block at line 7 runs `bin=other`, but listing `a` builds only: a
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a
  │ ^^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn several_binaries_and_no_bin() {
    assert_snapshot(
        mistakes(
            "# T\n\n```rust listing=a file=src/bin/one.rs\nfn main() {}\n```\n\n```rust listing=a file=src/bin/two.rs\nfn main() {}\n```\n\n```output\nx\n```\n",
        ),
        str![[r#"
error: output block at line 11 must say which binary of `a` to run: `bin=NAME` (one of one, two)
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a file=src/bin/one.rs
  │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^


"#]],
    );
}

// compile_fail listings -------------------------------------------------------------------------

#[test]
fn compile_fail_without_an_error_code() {
    assert_snapshot(
        mistakes("# T\n\n```rust listing=a compile_fail\nfn main() {}\n```\n\n```output\nsome error\n```\n"),
        str![[r#"
error: the output block of a compile_fail listing must contain an `error[Ennnn]` line: the error it expects
  ┌─ src/bad.md:7:1
  │
7 │ ```output
  │ ^^^^^^^^^

error: listing `a` has no output block: add one after it, or mark it `no_run` and say why in the chapter
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a compile_fail
  │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn compile_fail_with_two_output_blocks() {
    assert_snapshot(
        mistakes(
            "# T\n\n```rust listing=a compile_fail\nfn main() {}\n```\n\n```output\nerror[E0308]: x\n```\n\n```output\nerror[E0308]: x\n```\n",
        ),
        str![[r#"
error: compile_fail listing `a` has one output block: the compiler's
   ┌─ src/bad.md:11:1
   │
11 │ ```output
   │ ^^^^^^^^^


"#]],
    );
}

#[test]
fn compile_fail_with_run_attributes() {
    assert_snapshot(
        mistakes(
            "# T\n\n```rust listing=a compile_fail\nfn main() {}\n```\n\n```output exit=1\nerror[E0308]: x\n```\n",
        ),
        str![[r#"
error: compile_fail listing `a` is never run: its output block holds the compiler's diagnostics and takes no run attributes
  ┌─ src/bad.md:7:1
  │
7 │ ```output exit=1
  │ ^^^^^^^^^^^^^^^^

error: listing `a` has no output block: add one after it, or mark it `no_run` and say why in the chapter
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a compile_fail
  │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn compile_fail_library() {
    assert_snapshot(
        mistakes(
            "# T\n\n```rust listing=a compile_fail\nfn main() {}\n```\n\n```rust listing=a file=src/lib.rs\npub fn f() {}\n```\n\n```output\nerror[E0308]: x\n```\n",
        ),
        str![[r#"
error: compile_fail listing `a` must be a binary: a library would break `cargo build --workspace`
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a compile_fail
  │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^


"#]],
    );
}

// A listing's Cargo.toml ------------------------------------------------------------------------

/// A listing `a` whose `Cargo.toml` is `manifest`.
fn manifest(manifest: &str) -> String {
    format!(
        "# T\n\n```toml listing=a file=Cargo.toml\n{manifest}```\n\n```rust listing=a\nfn main() {{}}\n```\n\n```output\nx\n```\n"
    )
}

#[test]
fn manifest_not_toml() {
    assert_snapshot(
        mistakes(&manifest("[package\n")),
        str![[r#"
error: the `Cargo.toml` of `a` is not valid TOML: TOML parse error at line 1, column 9
  |
1 | [package
  |         ^
unclosed table, expected `]`

  ┌─ src/bad.md:3:1
  │
3 │ ```toml listing=a file=Cargo.toml
  │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn manifest_with_another_name() {
    assert_snapshot(
        mistakes(&manifest("[package]\nname = \"b\"\n")),
        str![[r#"
error: the `Cargo.toml` of `a` must say `name = "a"` in `[package]`
  ┌─ src/bad.md:3:1
  │
3 │ ```toml listing=a file=Cargo.toml
  │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn manifest_pinning_a_version() {
    assert_snapshot(
        mistakes(&manifest(
            "[package]\nname = \"a\"\n\n[dependencies]\nregex = \"1\"\n",
        )),
        str![[r#"
error: `regex` in the `Cargo.toml` of `a` must be `regex.workspace = true`: versions come from the root `[workspace.dependencies]`
  ┌─ src/bad.md:3:1
  │
3 │ ```toml listing=a file=Cargo.toml
  │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^


"#]],
    );
}

// Rules across chapters -------------------------------------------------------------------------

/// The findings of a book of two chapters: `src/good.md`, whose listing is `first`, then
/// `src/bad.md` holding `text`.
fn across_chapters(text: &str) -> String {
    let good = "# Good\n\n```rust listing=first\nfn main() {}\n```\n\n```output\none\n```\n";
    TempBook::new(&[("good.md", good), ("bad.md", text)]).errors()
}

/// The same id in another chapter: the second use is the mistake.
#[test]
fn same_id_in_another_chapter() {
    assert_snapshot(
        across_chapters("# T\n\n```rust listing=first\nfn main() {}\n```\n\n```output\nx\n```\n"),
        str![[r#"
error: duplicate listing id `first`
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=first
  │ ^^^^^^^^^^^^^^^^^^^^^ second listing with this id
  │
  = first used at src/good.md:3; ids name crates and anchors, so they are unique in the book


"#]],
    );
}

#[test]
fn reference_to_an_unknown_listing() {
    assert_snapshot(
        across_chapters(
            "# T\n\nAs [](listing:nowhere) shows.\n\n```rust listing=a\nfn main() {}\n```\n\n```output\nx\n```\n",
        ),
        str![[r#"
error: reference to unknown listing `nowhere`
  ┌─ src/bad.md:3:4
  │
3 │ As [](listing:nowhere) shows.
  │    ^^^^^^^^^^^^^^^^^^^ no listing has this id


"#]],
    );
}

#[test]
fn reference_from_a_list_item() {
    assert_snapshot(
        across_chapters("# T\n\n- a list item that says [](listing:nowhere)\n"),
        str![[r#"
error: reference to unknown listing `nowhere`
  ┌─ src/bad.md:3:25
  │
3 │ - a list item that says [](listing:nowhere)
  │                         ^^^^^^^^^^^^^^^^^^^ no listing has this id


"#]],
    );
}

/// `base=` names a listing that must exist and come earlier in the book.
#[test]
fn base_that_no_listing_has() {
    assert_snapshot(
        across_chapters(
            "# T\n\n```rust listing=changed base=nowhere\nfn main() {}\n```\n\n```output\nx\n```\n",
        ),
        str![[r#"
error: `base=nowhere`: no listing has this id
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=changed base=nowhere
  │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ the listing this one changes must exist


"#]],
    );
}

#[test]
fn base_that_comes_later() {
    let first = "# First\n\n```rust listing=early base=late\nfn main() {}\n```\n\n```output\nx\n```\n";
    let second = "# Second\n\n```rust listing=late\nfn main() {}\n```\n\n```output\nx\n```\n";
    assert_snapshot(
        TempBook::new(&[("first.md", first), ("second.md", second)]).errors(),
        str![[r#"
error: `base=late` comes after it
  ┌─ src/first.md:3:1
  │
3 │ ```rust listing=early base=late
  │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ a listing changes one that comes before it
  │
  = `late` is at src/second.md:3


"#]],
    );
}

#[test]
fn base_that_is_the_listing_itself() {
    assert_snapshot(
        mistakes("# T\n\n```rust listing=a base=a\nfn main() {}\n```\n\n```output\nx\n```\n"),
        str![[r#"
error: `base=a` is this listing itself
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a base=a
  │ ^^^^^^^^^^^^^^^^^^^^^^^^ a listing changes one that comes before it
  │
  = `a` is at src/bad.md:3


"#]],
    );
}

#[test]
fn base_on_a_later_block_of_a_listing() {
    assert_snapshot(
        across_chapters(
            "# T\n\n```rust listing=a\nfn main() {}\n```\n\n```rust listing=a file=src/lib.rs base=first\npub fn f() {}\n```\n\n```output\nx\n```\n",
        ),
        str![[r#"
error: `caption`, `compile_fail`, `exclusive`, `no_run`, `tab` and `base` belong on the first block of listing `a`
  ┌─ src/bad.md:7:1
  │
7 │ ```rust listing=a file=src/lib.rs base=first
  │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn every_mistake_of_a_book_at_once() {
    let text = "# T\n\n```output\nx\n```\n\n```rust listing=a bogus\nfn main() {}\n```\n";
    let book = TempBook::new(&[("bad.md", text)]);
    let errors = book.load().unwrap_err();
    assert_snapshot(
        errors.to_string(),
        str![[r#"
src/bad.md:3: output block with no listing
src/bad.md:7: unknown attribute `bogus`; known: listing, caption, file, compile_fail, exclusive, no_run, tab, base
the book is malformed: 2 error(s)
"#]],
    );
    assert_snapshot(
        book.errors(),
        str![[r#"
error: output block with no listing
  ┌─ src/bad.md:3:1
  │
3 │ ```output
  │ ^^^^^^^^^ no listing before it
  │
  = an output block follows its listing with only prose between

error: unknown attribute `bogus`; known: listing, caption, file, compile_fail, exclusive, no_run, tab, base
  ┌─ src/bad.md:7:1
  │
7 │ ```rust listing=a bogus
  │ ^^^^^^^^^^^^^^^^^^^^^^^


"#]],
    );
}

// The summary and book.toml ------------------------------------------------------------------

/// A well-formed book of one chapter, `src/good.md`.
fn good_book() -> TempBook {
    let good = "# Good\n\n```rust listing=first\nfn main() {}\n```\n\n```output\none\n```\n";
    TempBook::new(&[("good.md", good)])
}

#[test]
fn summary_missing() {
    let book = good_book();
    std::fs::remove_file(book.dir.path().join("src/SUMMARY.md")).unwrap();
    assert_snapshot(
        book.errors(),
        str![[r#"
error: cannot read [ROOT]/src/SUMMARY.md: No such file or directory (os error 2)
  ┌─ src/SUMMARY.md:1:1
  │
1 │ 
  │ ^


"#]],
    );
}

#[test]
fn summary_mdbook_cannot_parse() {
    let book = good_book();
    book.write(
        "src/SUMMARY.md",
        "# Summary\n\n- [Good](good.md)\n\n[Suffix](good.md)\n\n- [Late](good.md)\n",
    );
    assert_snapshot(
        book.errors(),
        str![[r#"
error: mdBook cannot parse the summary: There was an error parsing the suffix chapters: failed to parse SUMMARY.md line 7, column 1: Suffix chapters cannot be followed by a list
  ┌─ src/SUMMARY.md:1:1
  │
1 │ # Summary
  │ ^


"#]],
    );
}

#[test]
fn summary_names_a_missing_chapter() {
    let book = good_book();
    book.write(
        "src/SUMMARY.md",
        "# Summary\n\n- [Good](good.md)\n- [Gone](gone.md)\n",
    );
    assert_snapshot(
        book.errors(),
        str![[r#"
error: cannot read chapter src/gone.md: No such file or directory (os error 2)
  ┌─ src/SUMMARY.md:4:1
  │
4 │ - [Gone](gone.md)
  │ ^^^^^^^^^^^^^^^^^ named here


"#]],
    );
}

#[test]
fn book_toml_not_toml() {
    let book = good_book();
    book.write("book.toml", "[book\n");
    assert_snapshot(
        book.errors(),
        str![[r#"
error: book.toml is not valid TOML: unclosed table, expected `]`
  ┌─ book.toml:1:6
  │
1 │ [book
  │      ^


"#]],
    );
}

#[test]
fn book_toml_check_formatting_not_a_boolean() {
    let book = good_book();
    book.write(
        "book.toml",
        "[preprocessor.listings]\ncheck-formatting = \"yes\"\n",
    );
    assert_snapshot(
        book.errors(),
        str![[r#"
error: `check-formatting` is `true` or `false`
  ┌─ book.toml:2:1
  │
2 │ check-formatting = "yes"
  │ ^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn book_toml_unreadable() {
    let book = good_book();
    std::fs::create_dir(book.dir.path().join("book.toml")).unwrap();
    assert_snapshot(
        book.errors(),
        str![[r#"
error: cannot read [ROOT]/book.toml: Is a directory (os error 21)
  ┌─ book.toml:1:1
  │
1 │ 
  │ ^


"#]],
    );
}

// Parsed values ------------------------------------------------------------------------------

/// A book of `chapters` that must load.
fn parsed(chapters: &[(&str, &str)]) -> Book {
    let book = TempBook::new(chapters);
    book.load().unwrap_or_else(|e| panic!("{e}"))
}

/// Each block of chapter `index`: its range, its kind, and the first line of its text, so
/// that a wrong range shows as the wrong line.
fn blocks(book: &Book, index: usize) -> String {
    let chapter = &book.chapters[index];
    let mut out = String::new();
    for b in &chapter.blocks {
        let text = &chapter.source[b.range.clone()];
        let first = text.lines().next().unwrap_or("");
        out.push_str(&format!("{:?} {:?} {first:?}\n", b.range, b.kind));
    }
    out
}

const TWO_FILES: &str = r#"# Threads

```toml listing=spinner file=Cargo.toml caption="A spinner, in two files" exclusive tab=Cargo
[package]
name = "spinner" # <1>
```

Some prose between the files.

```rust listing=spinner
# use std::io::BufRead;
fn main() { // <1>
    for line in std::io::stdin().lock().lines() {
        println!("{} {}", line.unwrap(), std::env::args().count());
    }
}
```

```stdin
one
two
```

```output args="a 'b c'" env="K=v L=w" exit=3 stream=stdout runs=2 timeout=2s unordered
one [N]
...
```
"#;

#[test]
fn a_listing_of_two_files_with_stdin_and_a_run() {
    let book = parsed(&[("threads.md", TWO_FILES)]);
    assert_eq!(book.listings.len(), 1);
    assert_snapshot(
        describe(&book.listings[0]),
        str![[r##"
"spinner": chapter 0, line 3, number 1, caption Some("A spinner, in two files"), tab Some("Cargo")
compile_fail false, exclusive true, no_run false
file "Cargo.toml" (toml) at line 3
  raw "[package]\nname = \"spinner\" # <1>\n"
  code "[package]\nname = \"spinner\"\n"
file "src/main.rs" (rust) at line 10
  raw "# use std::io::BufRead;\nfn main() { // <1>\n    for line in std::io::stdin().lock().lines() {\n        println!(\"{} {}\", line.unwrap(), std::env::args().count());\n    }\n}\n"
  code "use std::io::BufRead;\nfn main() {\n    for line in std::io::stdin().lock().lines() {\n        println!(\"{} {}\", line.unwrap(), std::env::args().count());\n    }\n}\n"
output at line 24, content 482..494, indent ""
  expected "one [N]\n...\n" as [Pattern("one [N]"), Any]
  exit 3, kill-after None, timeout 2s, runs 2, unordered true
  args ["a", "b c"], env [("K", "v"), ("L", "w")], stream Stdout, bin None, stdin Some("one\ntwo\n")

"##]],
    );
    assert_snapshot(
        blocks(&book, 0),
        str![[r#"
11..141 Listing { listing: 0, file: 0 } "```toml listing=spinner file=Cargo.toml caption=\"A spinner, in two files\" exclusive tab=Cargo"
174..370 Listing { listing: 0, file: 1 } "```rust listing=spinner"
372..392 Stdin { listing: 0, block: 0 } "```stdin"
394..497 Output { listing: 0, block: 0 } "```output args=\"a 'b c'\" env=\"K=v L=w\" exit=3 stream=stdout runs=2 timeout=2s unordered"

"#]],
    );
}

/// Every field of a listing, its files and output blocks, one value a line. The patterns
/// name every field, so that a field added to the model must be added here.
fn describe(listing: &Listing) -> String {
    let Listing {
        id,
        chapter,
        line,
        number,
        caption,
        files,
        compile_fail,
        exclusive,
        no_run,
        tab,
        base,
        outputs,
    } = listing;
    let mut out = format!(
        "{id:?}: chapter {chapter}, line {line}, number {number}, caption {caption:?}, tab {tab:?}\n\
         compile_fail {compile_fail}, exclusive {exclusive}, no_run {no_run}\n"
    );
    if let Some(base) = base {
        out.push_str(&format!("base {base:?}\n"));
    }
    for SourceFile {
        path,
        lang,
        line,
        raw,
        code,
    } in files
    {
        out.push_str(&format!(
            "file {path:?} ({lang}) at line {line}\n  raw {raw:?}\n  code {code:?}\n"
        ));
    }
    for output in outputs {
        out.push_str(&describe_output(output));
    }
    out
}

fn describe_output(output: &OutputBlock) -> String {
    let OutputBlock {
        line,
        content,
        indent,
        expected,
        exit,
        kill_after,
        timeout,
        args,
        env,
        stream,
        unordered,
        runs,
        bin,
        stdin,
        compiler,
        show_times,
        with,
    } = output;
    let lines: Vec<_> = (expected.lines.iter())
        .map(|expected_line| match expected_line {
            Line::Literal(s) => format!("Literal({s:?})"),
            Line::Pattern(s, _) => format!("Pattern({s:?})"),
            Line::Any => "Any".to_string(),
            Line::Directive(d, _) => format!("{d:?}"),
        })
        .collect();
    let compiler = match (compiler, show_times) {
        (true, _) => ", the compiler's",
        (false, true) => ", times shown",
        (false, false) => "",
    };
    let with = if with.is_empty() {
        String::new()
    } else {
        format!(", with {with:?}")
    };
    format!(
        "output at line {line}, content {content:?}, indent {indent:?}{compiler}{with}\n  \
         expected {:?} as [{}]\n  \
         exit {exit}, kill-after {kill_after:?}, timeout {timeout:?}, runs {runs}, unordered {unordered}\n  \
         args {args:?}, env {env:?}, stream {stream:?}, bin {bin:?}, stdin {stdin:?}\n",
        expected.text,
        lines.join(", ")
    )
}

const ILLUSTRATIONS: &str = "# Lists

```rust
fn illustration() {}
```

```console
$ cargo run
```

1. Build it:

   ```rust listing=nested
   fn main() { println!(\"in a list\"); }
   ```

2. Run it:

   ```output kill-after=8s
   in a list
   ```

> ```output bin=nested
> in a quote
> ```

- ```output
  on the marker's line
  ```
";

/// What bless does to chapter 0, done by hand: every output block's content replaced by
/// two lines, each prefixed with the block's `indent`. The chapter must parse again into the
/// same blocks, each output block now expecting those two lines.
fn blocks_after_bless(book: &Book) -> String {
    let chapter = &book.chapters[0];
    let edits = (book.listings.iter().flat_map(|listing| &listing.outputs))
        .map(|output| {
            (
                output.content.clone(),
                format!("{0}blessed\n{0}twice\n", output.indent),
            )
        })
        .collect();
    let blessed = crate::util::text::splice(&chapter.source, edits);
    let again = parsed(&[(chapter.path.trim_start_matches("src/"), &blessed)]);
    let expected: Vec<_> = (again.listings.iter().flat_map(|listing| &listing.outputs))
        .map(|output| format!("{:?}", output.expected.text))
        .collect();
    format!("{}{}\n", blocks(&again, 0), expected.join(" "))
}

#[test]
fn illustrations_and_output_blocks_in_lists_and_quotes() {
    let book = parsed(&[("lists.md", ILLUSTRATIONS)]);
    let outputs: Vec<_> = (book.listings[0].outputs.iter())
        .map(|output| {
            let content = &book.chapters[0].source[output.content.clone()];
            format!(
                "line {}, indent {:?}, content {content:?}, kill-after {:?}, timeout {:?}, bin {:?}",
                output.line, output.indent, output.kill_after, output.timeout, output.bin
            )
        })
        .collect();
    assert_snapshot(
        outputs.join("\n"),
        str![[r#"
line 19, indent "   ", content "   in a list\n", kill-after Some(8s), timeout 13s, bin None
line 23, indent "> ", content "> in a quote\n", kill-after None, timeout 10s, bin Some("nested")
line 27, indent "  ", content "  on the marker's line\n", kill-after None, timeout 10s, bin None
"#]],
    );
    assert_snapshot(
        blocks_after_bless(&book),
        str![[r#"
9..41 Other { lang: "rust", text: "fn illustration() {}\n" } "```rust"
43..69 Other { lang: "console", text: "$ cargo run\n" } "```console"
88..157 Listing { listing: 0, file: 0 } "```rust listing=nested"
174..224 Output { listing: 0, block: 0 } "```output kill-after=8s"
228..272 Output { listing: 0, block: 1 } "```output bin=nested"
276..309 Output { listing: 0, block: 2 } "```output"
"blessed\ntwice\n" "blessed\ntwice\n" "blessed\ntwice\n"

"#]],
    );
    assert_snapshot(
        blocks(&book, 0),
        str![[r#"
9..41 Other { lang: "rust", text: "fn illustration() {}\n" } "```rust"
43..69 Other { lang: "console", text: "$ cargo run\n" } "```console"
88..157 Listing { listing: 0, file: 0 } "```rust listing=nested"
174..217 Output { listing: 0, block: 0 } "```output kill-after=8s"
221..260 Output { listing: 0, block: 1 } "```output bin=nested"
264..302 Output { listing: 0, block: 2 } "```output"

"#]],
    );
}

#[test]
fn listing_indexes_are_the_books() {
    let one = "# One\n\n```rust listing=first\nfn main() {}\n```\n\n```output\none\n```\n";
    let two = "# Two\n\n```rust listing=second\nfn main() {}\n```\n\n```output\ntwo\n```\n\n\
               ```rust listing=third no_run\nfn main() {}\n```\n";
    let book = parsed(&[("one.md", one), ("two.md", two)]);
    let listings: Vec<_> = (book.listings.iter())
        .map(|listing| {
            let Listing {
                id,
                chapter,
                line,
                number,
                ..
            } = listing;
            format!("{id} chapter {chapter} line {line} number {number}")
        })
        .collect();
    assert_snapshot(
        listings.join("\n"),
        str![[r#"
first chapter 0 line 3 number 1
second chapter 1 line 3 number 1
third chapter 1 line 11 number 2
"#]],
    );
    assert_snapshot(
        blocks(&book, 1),
        str![[r#"
7..46 Listing { listing: 1, file: 0 } "```rust listing=second"
48..65 Output { listing: 1, block: 0 } "```output"
67..112 Listing { listing: 2, file: 0 } "```rust listing=third no_run"

"#]],
    );
}

// Figures ------------------------------------------------------------------------------------

/// A chapter with one listing, `primes`, that the figures below take their data from.
const WITH_PRIMES: &str =
    "# T\n\n```rust listing=primes\nfn main() {}\n```\n\n```output\nthreads 1 speedup 1.00x\n```\n\n";

/// The findings of a figure block placed after [`WITH_PRIMES`]'s listing.
fn figure_mistakes(figure: &str) -> String {
    mistakes(&format!("{WITH_PRIMES}{figure}"))
}

/// The findings of drawing the figures of `figure` (after [`WITH_PRIMES`]) from a run of
/// `primes` that printed `printed`.
fn data_mistakes(figure: &str, printed: &[&str]) -> String {
    let book = TempBook::new(&[("bad.md", &format!("{WITH_PRIMES}{figure}"))]);
    let loaded = book.load().unwrap_or_else(|e| panic!("{e}"));
    let printed: Vec<String> = printed.iter().map(|s| s.to_string()).collect();
    let lines = |id: &str, output: usize| (id == "primes" && output == 0).then_some(printed.as_slice());
    match super::figure_data(&loaded, &lines) {
        Ok(data) => panic!("the figures were drawn, but a mistake was expected: {data:?}"),
        Err(errors) => errors.0.iter().map(|d| d.render(false)).collect(),
    }
}

#[test]
fn figure_of_an_unknown_kind() {
    assert_snapshot(
        figure_mistakes("```figure id=f kind=pie caption=\"A\"\nprimes /x/\n```\n"),
        str![[r#"
error: unknown figure kind `pie`; known: line, bar, table, timeline, diagram
   ┌─ src/bad.md:11:1
   │
11 │ ```figure id=f kind=pie caption="A"
   │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn figure_without_a_caption() {
    assert_snapshot(
        figure_mistakes("```figure id=f kind=line x=a y=b\nprimes /(?<a>1)(?<b>2)/\n```\n"),
        str![[r#"
error: a figure needs `caption=...`
   ┌─ src/bad.md:11:1
   │
11 │ ```figure id=f kind=line x=a y=b
   │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn figure_data_line_missing_a_field() {
    assert_snapshot(
        figure_mistakes(
            "```figure id=f kind=line x=threads y=speedup caption=\"A\"\nprimes /threads (?<threads>\\d+)/\n```\n",
        ),
        str![[r#"
error: this data line gives no field `speedup`
   ┌─ src/bad.md:12:1
   │
12 │ primes /threads (?<threads>\d+)/
   │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ add a group `(?<speedup>...)` to the regex, or `speedup="..."` before it


"#]],
    );
}

#[test]
fn figure_data_line_that_is_not_one() {
    assert_snapshot(
        figure_mistakes(
            "```figure id=f kind=table rows=a columns=b cell=c caption=\"A\"\nprimes threads\n```\n",
        ),
        str![[r#"
error: malformed data line
   ┌─ src/bad.md:12:1
   │
12 │ primes threads
   │ ^^^^^^^^^^^^^^ expected `LISTING-ID [field="value" ...] /REGEX/`


"#]],
    );
}

#[test]
fn figure_regex_that_does_not_compile() {
    assert_snapshot(
        figure_mistakes(
            "```figure id=f kind=table rows=a columns=b cell=c caption=\"A\"\nprimes /(?<a>x/\n```\n",
        ),
        str![[r#"
error: malformed regex: unclosed group
   ┌─ src/bad.md:12:1
   │
12 │ primes /(?<a>x/
   │ ^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn figure_from_an_unknown_listing() {
    assert_snapshot(
        figure_mistakes(
            "```figure id=f kind=table rows=a columns=b cell=c caption=\"A\"\nprimez /(?<a>x)(?<b>y)(?<c>z)/\nprimes#2 /(?<a>x)(?<b>y)(?<c>z)/\n```\n",
        ),
        str![[r#"
error: figure data from unknown listing `primez`
   ┌─ src/bad.md:12:1
   │
12 │ primez /(?<a>x)(?<b>y)(?<c>z)/
   │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ no listing has this id

error: listing `primes` has 1 output block(s), not 2
   ┌─ src/bad.md:13:1
   │
13 │ primes#2 /(?<a>x)(?<b>y)(?<c>z)/
   │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `#N` counts the listing's output blocks from 1


"#]],
    );
}

#[test]
fn figure_references_and_ids() {
    assert_snapshot(
        figure_mistakes(
            "```figure id=f kind=diagram caption=\"A\"\n+--+\n```\n\n```figure id=f kind=diagram caption=\"B\"\n+--+\n```\n\nSee [](figure:g).\n",
        ),
        str![[r#"
error: duplicate figure id `f`
   ┌─ src/bad.md:15:1
   │
15 │ ```figure id=f kind=diagram caption="B"
   │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ second figure with this id
   │
   = first used at src/bad.md:11

error: reference to unknown figure `g`
   ┌─ src/bad.md:19:5
   │
19 │ See [](figure:g).
   │     ^^^^^^^^^^^^ no figure has this id


"#]],
    );
}

#[test]
fn figure_data_the_run_does_not_contain() {
    assert_snapshot(
        data_mistakes(
            "```figure id=f kind=line x=threads y=speedup caption=\"A\"\nprimes /^workers (?<threads>\\d+) speedup (?<speedup>[0-9.]+)x$/\n```\n",
            &["threads 1 speedup 1.00x", "threads 2 speedup 1.90x"],
        ),
        str![[r#"
error: no line of `primes`'s recorded run matches this regex
   ┌─ src/bad.md:12:1
   │
12 │ primes /^workers (?<threads>\d+) speedup (?<speedup>[0-9.]+)x$/
   │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ the data this figure needs is not in the run
   │
   = the run printed:
         threads 1 speedup 1.00x
         threads 2 speedup 1.90x


"#]],
    );
}

#[test]
fn figure_value_that_is_not_a_number() {
    assert_snapshot(
        data_mistakes(
            "```figure id=f kind=bar group=threads bar=threads value=speedup caption=\"A\"\nprimes /^threads (?<threads>\\d+) speedup (?<speedup>\\S+)$/\n```\n",
            &["threads 1 speedup 1.00x"],
        ),
        str![[r#"
error: field `speedup` is `1.00x`, not a number
   ┌─ src/bad.md:12:1
   │
12 │ primes /^threads (?<threads>\d+) speedup (?<speedup>\S+)$/
   │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ a chart's values must be numbers
   │
   = capture only the digits: `(?<speedup>[0-9.]+)x`, not `(?<speedup>.+)`


"#]],
    );
}

#[test]
fn figure_value_below_a_log_axis() {
    assert_snapshot(
        data_mistakes(
            "```figure id=f kind=bar group=threads bar=threads value=speedup log caption=\"A\"\nprimes /^threads (?<threads>\\d+) speedup (?<speedup>[0-9.]+)x$/\n```\n",
            &["threads 1 speedup 0.00x"],
        ),
        str![[r#"
error: field `speedup` is `0.00`, not above 0
   ┌─ src/bad.md:12:1
   │
12 │ primes /^threads (?<threads>\d+) speedup (?<speedup>[0-9.]+)x$/
   │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ a `log` axis has no place for zero or less


"#]],
    );
}

#[test]
fn figure_with_two_values_for_one_cell_or_an_unknown_event() {
    assert_snapshot(
        data_mistakes(
            "```figure id=f kind=table rows=a columns=b cell=c caption=\"A\"\nprimes a=\"x\" b=\"y\" /(?<c>speedup)/\n```\n\n```figure id=g kind=timeline lane=t at=n event=e caption=\"B\"\nprimes /^(?<t>\\w+) (?<n>\\d+) (?<e>\\w+)/\n```\n",
            &["threads 1 speedup 1.00x", "threads 2 speedup 1.90x"],
        ),
        str![[r#"
error: two values for `a` = `x` and `b` = `y`
   ┌─ src/bad.md:12:1
   │
12 │ primes a="x" b="y" /(?<c>speedup)/
   │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ this line matches a second time
   │
   = make the regex match one printed line per cell

error: unknown timeline event `speedup`
   ┌─ src/bad.md:16:1
   │
16 │ primes /^(?<t>\w+) (?<n>\d+) (?<e>\w+)/
   │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ an event is `start`, `wait`, `stop` (or `resume`, `end`)


"#]],
    );
}

#[test]
fn figures_are_numbered_and_their_data_arranged() {
    let text = format!(
        "{WITH_PRIMES}```figure id=f kind=line x=n y=s series=k ideal caption=\"A\"\nprimes k=\"run\" /^threads (?<n>\\d+) speedup (?<s>[0-9.]+)x$/\n```\n\n```figure id=g kind=timeline lane=t at=n event=e caption=\"B\"\nprimes#1 /^(?<t>\\w+) (?<n>\\d+) (?<e>start|stop)/\n```\n"
    );
    let book = parsed(&[("a.md", "# A\n"), ("b.md", &text)]);
    let names: Vec<String> = (book.figures.iter())
        .map(|f| {
            format!(
                "{} chapter {} line {} number {}",
                f.id, f.chapter, f.line, f.number
            )
        })
        .collect();
    assert_eq!(
        names,
        ["f chapter 1 line 11 number 1", "g chapter 1 line 15 number 2"]
    );
    let printed: Vec<String> = [
        "threads 1 speedup 1.00x",
        "threads 2 speedup 1.90x",
        "threads 3 start",
        "threads 9 stop",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let lines = |_: &str, _: usize| Some(printed.as_slice());
    let data = super::figure_data(&book, &lines).unwrap();
    assert_eq!(
        format!("{data:?}"),
        r#"[Line([Series { name: "run", points: [(1.0, 1.0), (2.0, 1.9)] }]), Timeline([Lane { name: "threads", spans: [Span { from: 3.0, to: 9.0, waiting: false }] }])]"#
    );
    let none = |_: &str, _: usize| None;
    assert_eq!(
        format!("{:?}", super::figure_data(&book, &none).unwrap()[0]),
        r#"Missing { listing: "primes" }"#
    );
}

// Sections and compiler blocks ------------------------------------------------------------------

#[test]
fn a_section_without_its_end() {
    assert_snapshot(
        mistakes("# T\n\n```rust listing=a\nfn main() {}\n```\n\n```output\nstart\n[any order]\na\nb\n```\n"),
        str![[r#"
error: line 2 of the block: `[any order]` has no `[end]`
  ┌─ src/bad.md:7:1
  │
7 │ ```output
  │ ^^^^^^^^^

error: listing `a` has no output block: add one after it, or mark it `no_run` and say why in the chapter
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a
  │ ^^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn an_interleaved_line_that_names_no_group() {
    assert_snapshot(
        mistakes(
            "# T\n\n```rust listing=a\nfn main() {}\n```\n\n```output\n[interleaved by worker [N]]\nworker 1: go\nmain: go\n[end]\n```\n",
        ),
        str![[r#"
error: line 3 of the block: `main: go` does not name its group: `worker [N]` matches nothing in it (write the group's name literally)
  ┌─ src/bad.md:7:1
  │
7 │ ```output
  │ ^^^^^^^^^

error: listing `a` has no output block: add one after it, or mark it `no_run` and say why in the chapter
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a
  │ ^^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn sections_in_an_unordered_block() {
    assert_snapshot(
        mistakes(
            "# T\n\n```rust listing=a\nfn main() {}\n```\n\n```output unordered\n[any order]\na\nb\n[end]\n```\n",
        ),
        str![[r#"
error: an `unordered` block has no order to divide into sections: drop `unordered`, and put `[any order]` ... `[end]` around the lines that come in any order
  ┌─ src/bad.md:7:1
  │
7 │ ```output unordered
  │ ^^^^^^^^^^^^^^^^^^^

error: listing `a` has no output block: add one after it, or mark it `no_run` and say why in the chapter
  ┌─ src/bad.md:3:1
  │
3 │ ```rust listing=a
  │ ^^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn a_compiler_block_without_a_warning() {
    assert_snapshot(
        mistakes(
            "# T\n\n```rust listing=a\nfn main() {}\n```\n\n```output compiler\nnote: nothing\n```\n\n```output\nx\n```\n",
        ),
        str![[r#"
error: a `compiler` block must contain a `warning` line: the warning the listing shows
  ┌─ src/bad.md:7:1
  │
7 │ ```output compiler
  │ ^^^^^^^^^^^^^^^^^^


"#]],
    );
}

#[test]
fn a_compiler_block_with_run_attributes() {
    assert_snapshot(
        mistakes(
            "# T\n\n```rust listing=a\nfn main() {}\n```\n\n```output compiler exit=1\nwarning: unused\n```\n\n```output\nx\n```\n",
        ),
        str![[r#"
error: a `compiler` block holds the compiler's warnings and takes no run attributes
  ┌─ src/bad.md:7:1
  │
7 │ ```output compiler exit=1
  │ ^^^^^^^^^^^^^^^^^^^^^^^^^


"#]],
    );
}
