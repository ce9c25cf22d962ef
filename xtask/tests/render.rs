//! The rendered book: the `render` fixture (every feature once) as HTML and ePub, and the
//! repository's own book through epubcheck.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use regex::Regex;

/// The fixture rendered once for all tests here (`--no-test`: rendering needs no runs),
/// under a umask that lets no one else read what is created, over an ePub an earlier build
/// left readable by its owner only: the output must be world-readable all the same.
fn rendered() -> &'static (common::Book, PathBuf) {
    static ONCE: OnceLock<(common::Book, PathBuf)> = OnceLock::new();
    ONCE.get_or_init(|| {
        let book = common::fixture("render");
        let out = book.path("out");
        let old_epub = out.join("epub/render-fixture.epub");
        std::fs::create_dir_all(old_epub.parent().unwrap()).unwrap();
        std::fs::write(&old_epub, "an old build").unwrap();
        set_mode(&old_epub, 0o600);
        let build = book.command(&["build", "--no-test", "--out", out.to_str().unwrap()]);
        let status = under_umask_077(&build).output().unwrap();
        assert!(status.status.success(), "{}", common::stderr(&status));
        (book, out)
    })
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// `command` run by a shell that first sets the umask to 077.
fn under_umask_077(command: &Command) -> Command {
    let mut sh = Command::new("/bin/sh");
    sh.arg("-c")
        .arg("umask 077 && exec \"$@\"")
        .arg("sh")
        .arg(command.get_program())
        .args(command.get_args());
    for (key, value) in command.get_envs() {
        match value {
            Some(value) => sh.env(key, value),
            None => sh.env_remove(key),
        };
    }
    sh
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
    assert!(
        one.contains(r#"<span class="line hidden-line"><span class="hl-"#),
        "hidden lines are in the page, marked, for the copy button and the toggle"
    );
    assert!(one.contains("hidden_helper"), "the call that uses it is shown");
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
    the_books_archive_builds_a_listing_offline(&out.path().join("html/concurrent-rust-listings.tar.gz"));
}

/// The repository's listings archive holds `Cargo.lock`, and a listing builds in it with
/// what cargo already has (the book's dependencies are in the local registry).
fn the_books_archive_builds_a_listing_offline(archive: &Path) {
    let dir = tempfile::tempdir().unwrap();
    let untar = Command::new("tar")
        .arg("-xzf")
        .arg(archive)
        .arg("-C")
        .arg(dir.path())
        .status()
        .unwrap();
    assert!(untar.success());
    let workspace = dir.path().join("concurrent-rust-listings");
    assert!(workspace.join("Cargo.lock").exists());
    let manifest = std::fs::read_to_string(workspace.join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains("members = [\"listings/*/*\"]") && !manifest.contains("package.xtask"),
        "{manifest}"
    );
    build_offline(&workspace, &dir.path().join("target"), "primes-sequential");
}

#[test]
fn hidden_lines_are_shown_on_demand_on_the_site_and_left_out_of_the_epub_with_a_note() {
    let one = page("one.html");
    let hidden = Regex::new(r#"<span class="line hidden-line">(.*)\n</span>"#).unwrap();
    let line = hidden.captures(&one).expect("a hidden line on the site");
    assert!(line[1].contains("hidden_helper"), "{}", &line[0]);
    let (_, out) = rendered();
    let css = std::fs::read_to_string(out.join("html/theme/listings.css")).unwrap_or_default();
    let js = std::fs::read_to_string(out.join("html/theme/listings.js")).unwrap_or_default();
    // The fixture has no theme of its own: the browser test runs the real one.
    assert!(css.is_empty() && js.is_empty());
    let files = epub_files(&out.join("epub/render-fixture.epub"));
    let one = &files["OEBPS/one.xhtml"];
    assert!(
        !one.contains("hidden_helper() -&gt; u32"),
        "no hidden line in the ePub"
    );
    assert!(
        one.contains(r#"<p class="listing-note">1 line of this file is not shown; the whole crate is <a href="https://example.com/listings/one/hello">listings/one/hello</a>.</p>"#),
        "{one}"
    );
}

/// The lines of `pre`'s code as `<mark><hidden?>text`, markup removed.
fn code_lines(html: &str, id: &str) -> Vec<String> {
    let start = html
        .find(&format!("id=\"listing-{id}\""))
        .unwrap_or_else(|| panic!("{id}"));
    let code = &html[start..];
    let code = &code[code.find("<code").unwrap()..code.find("</code>").unwrap()];
    let line =
        Regex::new(r#"(?s)<span class="line([^"]*)">(.*?)\n?</span>\n?(?:<span class="line|$)"#).unwrap();
    let tag = Regex::new(r"<[^>]+>").unwrap();
    let mut lines = Vec::new();
    let mut rest = code;
    while let Some(c) = line.captures(rest) {
        let class = &c[1];
        let mark = if class.contains("line-added") {
            "+"
        } else if class.contains("line-removed") {
            "-"
        } else {
            " "
        };
        let hidden = if class.contains("hidden-line") { "#" } else { "" };
        let text = tag
            .replace_all(&c[2], "")
            .replace("&quot;", "\"")
            .replace("&gt;", ">");
        lines.push(format!("{mark}{hidden}{text}"));
        rest = &rest[c.get(2).unwrap().end()..];
    }
    lines
}

#[test]
fn a_listing_with_a_base_marks_its_changes_on_the_site_and_in_the_epub() {
    let appendix = page("appendix.html");
    assert!(
        appendix.contains(r#"<pre class="listing-code listing-diff">"#),
        "{appendix}"
    );
    assert!(appendix.contains(
        r##"<p class="listing-base">Changes against <a href="one.html#listing-hello">Listing 1-1</a>"##
    ));
    assert_eq!(
        code_lines(&appendix, "appendix-changed"),
        [
            " #fn hidden_helper() -> u32 { 42 }",
            "+#fn unused_helper() {}",
            " fn main() {",
            "-    println!(\"hello {}\", hidden_helper());",
            "+    let who = \"appendix\";",
            "+    println!(\"hello {who} {}\", hidden_helper());",
            " }",
        ]
    );
    let (_, out) = rendered();
    let files = epub_files(&out.join("epub/render-fixture.epub"));
    let appendix = &files["OEBPS/appendix.xhtml"];
    assert!(appendix.contains(r##"Changes against <a href="one.xhtml#listing-hello">Listing 1-1</a>"##));
    assert_eq!(
        code_lines(appendix, "appendix-changed"),
        [
            " fn main() {",
            "-    println!(\"hello {}\", hidden_helper());",
            "+    let who = \"appendix\";",
            "+    println!(\"hello {who} {}\", hidden_helper());",
            " }",
        ],
        "the ePub marks the changed lines, without the hidden ones"
    );
}

#[test]
fn pages_have_an_edit_link_and_the_site_a_sitemap() {
    let one = page("one.html");
    assert!(
        one.contains(r#"<a href="https://example.com/edit/src/one.md" title="Suggest an edit""#),
        "mdBook's edit link, from edit-url-template"
    );
    let (_, out) = rendered();
    let sitemap = std::fs::read_to_string(out.join("html/sitemap.xml")).unwrap();
    assert_eq!(
        sitemap,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n  \
         <url><loc>https://example.com/fixture/</loc></url>\n  \
         <url><loc>https://example.com/fixture/one.html</loc></url>\n  \
         <url><loc>https://example.com/fixture/two.html</loc></url>\n  \
         <url><loc>https://example.com/fixture/appendix.html</loc></url>\n\
         </urlset>\n"
    );
}

#[test]
fn everything_under_the_output_is_world_readable() {
    use std::os::unix::fs::PermissionsExt;
    let (_, out) = rendered();
    let mut seen = 0;
    for entry in walkdir::WalkDir::new(out) {
        let entry = entry.unwrap();
        let mode = entry.metadata().unwrap().permissions().mode() & 0o777;
        let want = if entry.file_type().is_dir() { 0o755 } else { 0o644 };
        assert_eq!(mode, want, "{}: {mode:o}", entry.path().display());
        seen += 1;
    }
    assert!(seen > 20, "{seen} entries");
}

/// `tar -tvzf`: one line per entry, with its mode, owner, time and path.
fn tar_listing(archive: &Path) -> String {
    let out = Command::new("tar")
        .arg("--numeric-owner")
        .arg("-tvzf")
        .arg(archive)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_listings_archive_is_linked_reproducible_and_a_workspace_cargo_builds() {
    for (name, first) in [
        ("one.html", "hello"),
        ("two.html", "sum-threads"),
        ("appendix.html", "appendix-demo"),
    ] {
        let html = page(name);
        let caption = &html[html.find(&format!("id=\"listing-{first}\"")).unwrap()..];
        let caption = &caption[..caption.find("</figcaption>").unwrap()];
        assert!(
            caption.contains(r#"<a class="listing-download" href="render-fixture-listings.tar.gz""#),
            "{name}: the first listing links the archive: {caption}"
        );
        assert_eq!(
            html.matches("listing-download").count(),
            1,
            "{name}: only the first"
        );
    }
    let (_, out) = rendered();
    let archive = out.join("html/render-fixture-listings.tar.gz");
    let listing = tar_listing(&archive);
    for line in listing.lines() {
        let dir = line.starts_with('d');
        let mode = if dir { "drwxr-xr-x 0/0" } else { "-rw-r--r-- 0/0" };
        assert!(line.starts_with(mode), "{line}");
        assert!(
            line.contains(" 1970-01-01 00:00 render-fixture-listings/"),
            "{line}"
        );
    }
    let paths: Vec<&str> = listing.lines().map(|l| l.rsplit(' ').next().unwrap()).collect();
    assert!(paths.contains(&"render-fixture-listings/Cargo.toml"), "{listing}");
    assert!(paths.contains(&"render-fixture-listings/listings/one/hello/src/main.rs"));

    // The same book elsewhere, later: the same bytes.
    let again = common::fixture("render");
    let out2 = again.path("elsewhere");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let status = again.xtask(&["build", "--no-test", "--out", out2.to_str().unwrap()]);
    assert!(status.status.success(), "{}", common::stderr(&status));
    let bytes = std::fs::read(&archive).unwrap();
    assert!(
        bytes == std::fs::read(out2.join("html/render-fixture-listings.tar.gz")).unwrap(),
        "two builds of the same book give the same archive"
    );

    // Extracted, it is a workspace where `cargo build -p ID` builds a listing.
    let dir = tempfile::tempdir().unwrap();
    let untar = Command::new("tar")
        .arg("-xzf")
        .arg(&archive)
        .arg("-C")
        .arg(dir.path())
        .status()
        .unwrap();
    assert!(untar.success());
    let workspace = dir.path().join("render-fixture-listings");
    let hello = std::fs::read_to_string(workspace.join("listings/one/hello/src/main.rs")).unwrap();
    assert!(
        hello.starts_with("fn hidden_helper() -> u32 { 42 }\n"),
        "the file as extracted: {hello}"
    );
    build_offline(&workspace, &dir.path().join("target"), "hello");
    assert!(dir.path().join("target/debug/hello").exists());
}

/// `cargo build --offline -p package` in an unpacked listings archive: the archive alone is
/// enough to build a listing.
fn build_offline(workspace: &Path, target: &Path, package: &str) {
    let build = Command::new(env!("CARGO"))
        .args(["build", "--offline", "--quiet", "-p", package])
        .current_dir(workspace)
        .env("CARGO_TARGET_DIR", target)
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
}
