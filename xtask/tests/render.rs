//! The rendered book: the `render` fixture (every feature once) as HTML and ePub, and the
//! repository's own book through epubcheck.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use regex::Regex;

/// The fixture rendered once for all tests here (`--no-test`: rendering needs no runs).
fn rendered() -> &'static (common::Book, PathBuf) {
    static ONCE: OnceLock<(common::Book, PathBuf)> = OnceLock::new();
    ONCE.get_or_init(|| {
        let book = common::fixture("render");
        let out = book.path("out");
        let status = book.xtask(&["build", "--no-test", "--out", out.to_str().unwrap()]);
        assert!(status.status.success(), "{}", common::stderr(&status));
        (book, out)
    })
}

fn page(name: &str) -> String {
    let (_, out) = rendered();
    std::fs::read_to_string(out.join("html").join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn pages() -> BTreeMap<String, String> {
    let (_, out) = rendered();
    std::fs::read_dir(out.join("html"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn listings_are_numbered_and_captioned() {
    let one = page("one.html");
    assert!(one.contains(r##"<a class="listing-number" href="#listing-hello">Listing 1-1</a><span class="listing-title">: Say <code>hello</code> &amp; more</span>"##), "{one}");
    assert!(one.contains(r#"<figure class="listing" id="listing-boom">"#));
    assert!(
        one.contains(">Listing 1-3</a>"),
        "numbers count every listing of the chapter"
    );
    let two = page("two.html");
    for n in 1..=5 {
        assert!(two.contains(&format!(">Listing 2-{n}</a>")), "Listing 2-{n}");
    }
    assert!(
        page("appendix.html").contains(">Listing A-1</a>"),
        "appendices are lettered"
    );
    assert!(
        one.contains(r#"href="https://example.com/listings/one/hello""#),
        "a link to the listing's crate"
    );
}

#[test]
fn cross_references_render_as_links_that_resolve() {
    let one = page("one.html");
    assert!(
        one.contains(r##"<a href="#listing-hello">Listing 1-1</a>"##),
        "{one}"
    );
    assert!(
        one.contains(r##"<a href="#listing-boom">the panic</a>"##),
        "an author's link text is kept"
    );
    assert!(one.contains(r##"<a href="appendix.html#listing-appendix-demo">Listing A-1</a>"##));
    assert!(page("two.html").contains(r##"<a href="one.html#listing-hello">Listing 1-1</a>"##));

    // Every link to an anchor in the book finds its target.
    let pages = pages();
    let href = Regex::new(r#"href="([a-z0-9-]*\.html)?#([^"]+)""#).unwrap();
    let mut checked = 0;
    for (name, html) in &pages {
        for c in href.captures_iter(html) {
            let target = c.get(1).map_or(name.as_str(), |m| m.as_str());
            let id = &c[2];
            let Some(target_html) = pages.get(target) else {
                panic!("{name}: link to missing page {target}")
            };
            assert!(
                target_html.contains(&format!("id=\"{id}\"")),
                "{name}: #{id} not found in {target}"
            );
            checked += 1;
        }
    }
    assert!(checked > 10, "{checked} anchor links checked");
}

#[test]
fn code_is_highlighted_at_build_time_with_hidden_lines_and_callouts() {
    for (name, html) in pages() {
        assert!(
            !html.contains("language-rust"),
            "{name}: pre-highlighted code must not be highlighted again"
        );
    }
    let one = page("one.html");
    assert!(one.contains(r#"<code class="nohighlight hl-code" data-lang="rust">"#));
    assert!(one.contains("<span class=\"hl-"), "syntect classes");
    assert!(!one.contains("fn hidden_helper"), "hidden lines are not shown");
    assert!(one.contains("hidden_helper"), "the call that uses it is");
    assert!(!one.contains("&lt;1&gt;"), "callout markers become badges");
    assert!(
        one.contains(r#"<span class="callout" title="callout 1">1</span></span>"#),
        "badge on the code line"
    );
    assert!(
        one.contains(r#"<span class="callout callout-ref" title="callout 1">1</span> prints"#),
        "badge in prose"
    );
    assert!(
        one.contains("<code>&lt;2&gt;</code>"),
        "`<2>` in inline code stays literal"
    );
    let two = page("two.html");
    let toml = &two[two.find(r#"data-lang="toml""#).expect("a TOML block")..];
    let toml = &toml[..toml.find("</code>").unwrap()];
    assert!(
        toml.contains(r#"<span class="hl-"#),
        "TOML is highlighted: {toml}"
    );
    assert!(
        two.contains(r#"<span class="prompt">$ </span>"#),
        "console blocks show a prompt"
    );
    let (_, out) = rendered();
    let css = std::fs::read_to_string(out.join("html/syntax.css")).unwrap();
    for theme in ["light", "rust", "coal", "navy", "ayu"] {
        assert!(
            css.contains(&format!(".{theme} .hl-")),
            "syntax.css styles the {theme} theme"
        );
    }
}

#[test]
fn outputs_show_no_matcher_syntax_and_carry_checked_badges() {
    let output = Regex::new(r#"(?s)<div class="listing-output".*?</pre>"#).unwrap();
    let mut outputs = 0;
    for (name, html) in pages() {
        for m in output.find_iter(&html) {
            outputs += 1;
            let text = m.as_str();
            for pattern in ["[..]", "[N]", "[ELAPSED]", "[ADDR]", ">...<", "\n...\n"] {
                assert!(
                    !text.contains(pattern),
                    "{name}: `{pattern}` reached a reader:\n{text}"
                );
            }
        }
    }
    assert!(outputs >= 9, "{outputs} output blocks");
    let one = page("one.html");
    assert!(one.contains(r#"<span class="varies" title="differs between runs: "#));
    assert!(one.contains("varies-lines"), "`...` becomes a mark too");
    assert!(one.contains("panics (exit status 101)"));
    assert!(one.contains("does not compile"));
    assert!(one.contains("$ cargo build -p refused --features compile-fail"));
    let two = page("two.html");
    assert!(two.contains("still running after 1 s: stopped"));
    assert!(two.contains("lines in any order"));
    assert!(
        two.contains("$ cargo run -p workers -- a &#39;b c&#39;")
            || two.contains("$ cargo run -p workers -- a 'b c'")
    );
    assert!(two.contains("standard input"));
    assert!(two.contains("compiled, not run"));
}

#[test]
fn prose_straight_after_a_closing_fence_is_still_markdown() {
    // Raw HTML in Markdown runs on until a blank line: without one after the listing's HTML,
    // this paragraph would reach the reader as `[](listing:...)` and backticks.
    let two = page("two.html");
    assert!(
        two.contains("straight after the fence: <a href=\"#listing-sum-rayon\">Listing 2-2</a>")
            && two.contains("sums with <code>par_iter</code>."),
        "{two}"
    );
}

#[test]
fn tabbed_listings_form_one_group_on_the_site() {
    let two = page("two.html");
    let group = two.find(r#"<div class="tab-group">"#).expect("a tab group");
    let end = two.find("Prose ends the group").unwrap();
    let html = &two[group..end];
    assert!(
        html.contains(r#"aria-controls="panel-sum-threads" aria-selected="true">Threads</button>"#),
        "{html}"
    );
    assert!(html.contains(r#">Rayon</button>"#));
    assert!(html.contains(r#"id="panel-sum-rayon""#) && html.contains(r#"id="listing-sum-rayon""#));
    assert_eq!(
        two.matches(r#"<div class="tab-group">"#).count(),
        1,
        "prose ends the group"
    );
}

/// The render fixture with `extra` appended to `src/two.md`, built: (exit status, stderr).
fn build_with_two_ending(extra: &str) -> (Option<i32>, String) {
    let book = common::fixture("render");
    let two = book.read("src/two.md");
    book.write("src/two.md", &format!("{two}\n{extra}\n"));
    let out = book.path("out");
    let status = book.xtask(&["build", "--no-test", "--out", out.to_str().unwrap()]);
    (status.status.code(), common::stderr(&status))
}

#[test]
fn a_link_to_a_missing_page_fails_the_build_naming_the_page_and_the_link() {
    let (code, stderr) = build_with_two_ending("See [the missing chapter](nowhere.md).");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("two.html (from src/two.md): `nowhere.html`: no file nowhere.html in the site"),
        "{stderr}"
    );
}

#[test]
fn a_link_to_a_missing_anchor_fails_the_build_naming_the_page_and_the_link() {
    let (code, stderr) = build_with_two_ending("See [the first one](one.md#no-such-anchor).");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "two.html (from src/two.md): `one.html#no-such-anchor`: no element with id=\"no-such-anchor\" in one.html"
        ),
        "{stderr}"
    );
}

#[test]
fn a_heading_named_like_a_listing_does_not_take_its_anchor() {
    // mdBook gives the heading the id `sum-threads`; the listing's anchor is
    // `listing-sum-threads`, so neither is ambiguous and the link check passes.
    let (code, stderr) =
        build_with_two_ending("## Sum threads\n\nAgain: [](listing:sum-threads), [up](#sum-threads).");
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn an_output_the_build_does_not_render_is_an_error_naming_book_toml() {
    let book = common::fixture("render");
    let toml = book.read("book.toml");
    book.write("book.toml", &format!("{toml}\n[output.markdown]\n"));
    let out = book.path("out");
    let status = book.xtask(&["build", "--no-test", "--out", out.to_str().unwrap()]);
    let stderr = common::stderr(&status);
    assert_eq!(status.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("book.toml: `[output.markdown]`: `cargo xtask build` renders the site"),
        "{stderr}"
    );
}

fn epub_files(path: &Path) -> BTreeMap<String, String> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut files = BTreeMap::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut bytes).unwrap();
        files.insert(f.name().to_string(), String::from_utf8_lossy(&bytes).into_owned());
    }
    files
}

#[test]
fn the_epub_holds_every_chapter_as_static_xhtml() {
    let (_, out) = rendered();
    let epub = out.join("epub/render-fixture.epub");
    let files = epub_files(&epub);
    let names: Vec<&String> = files.keys().collect();
    for f in [
        "mimetype",
        "OEBPS/content.opf",
        "OEBPS/nav.xhtml",
        "OEBPS/cover.svg",
        "OEBPS/one.xhtml",
        "OEBPS/two.xhtml",
        "OEBPS/appendix.xhtml",
        "OEBPS/stylesheet.css",
    ] {
        assert!(files.contains_key(f), "{f} in {names:?}");
    }
    let opf = &files["OEBPS/content.opf"];
    assert!(
        opf.contains("<dc:title>Render Fixture</dc:title>") && opf.contains("Fixture Author"),
        "{opf}"
    );
    let nav = &files["OEBPS/nav.xhtml"];
    assert!(
        nav.contains("1. One") && nav.contains("2. Two") && nav.contains("Appendix"),
        "{nav}"
    );
    let one = &files["OEBPS/one.xhtml"];
    assert!(
        one.contains(r#"href="appendix.xhtml#listing-appendix-demo">Listing A-1</a>"#),
        "links go to .xhtml"
    );
    assert!(one.contains("<span class=\"hl-"), "code arrives highlighted");
    assert!(!one.contains("<script"), "no scripts in the ePub");
    let two = &files["OEBPS/two.xhtml"];
    assert!(!two.contains("<button"), "tabs are panels one after another");
    assert!(
        two.contains(r#"<p class="tab-label">Threads</p>"#)
            && two.contains(r#"<p class="tab-label">Rayon</p>"#)
    );
    assert!(
        files["OEBPS/stylesheet.css"].contains(".hl-"),
        "the code colours travel with the ePub"
    );
}

#[test]
fn the_fixture_epub_passes_epubcheck() {
    let (_, out) = rendered();
    let report = common::epubcheck(&out.join("epub/render-fixture.epub"));
    assert!(
        report.contains("Messages: 0 fatals / 0 errors / 0 warnings"),
        "{report}"
    );
}

#[test]
fn the_book_renders_and_its_epub_passes_epubcheck() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let out = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["build", "--no-test", "--out"])
        .arg(out.path())
        .arg("--book")
        .arg(root)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    assert!(out.path().join("html/index.html").exists());
    let search = std::fs::read_dir(out.path().join("html"))
        .unwrap()
        .flatten()
        .any(|e| e.file_name().to_string_lossy().starts_with("searchindex"));
    assert!(search, "search is on");
    // No Markdown reaches a reader as text (a paragraph swallowed by a listing's HTML).
    for entry in std::fs::read_dir(out.path().join("html")).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".html") {
            let html = std::fs::read_to_string(entry.path()).unwrap();
            for text in ["](listing:", "](#listing-"] {
                assert!(!html.contains(text), "{name} shows `{text}` as text");
            }
        }
    }
    let report = common::epubcheck(&out.path().join("epub/concurrent-rust.epub"));
    assert!(
        report.contains("Messages: 0 fatals / 0 errors / 0 warnings"),
        "{report}"
    );
}
