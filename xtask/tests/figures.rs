//! Figures on the page: the `figures` fixture (every kind once) rendered before any run (each
//! chart says it has no data), then after `cargo xtask build` has run its listings (drawn
//! from the recorded runs), as HTML and as ePub, through epubcheck; and a mistake in a figure
//! that only its run reveals, reported at its line.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The fixture rendered with `--no-test` into `out-before`, then built (tested first) into
/// `out`, once for all tests here.
fn built() -> &'static (common::Book, PathBuf, PathBuf) {
    static ONCE: OnceLock<(common::Book, PathBuf, PathBuf)> = OnceLock::new();
    ONCE.get_or_init(|| {
        let book = common::fixture("figures");
        let before = book.path("out-before");
        let status = book.xtask(&["build", "--no-test", "--out", before.to_str().unwrap()]);
        assert!(status.status.success(), "{}", common::stderr(&status));
        let out = book.path("out");
        let status = book.xtask(&["build", "--out", out.to_str().unwrap()]);
        assert!(
            status.status.success(),
            "{}{}",
            common::stdout(&status),
            common::stderr(&status)
        );
        (book, before, out)
    })
}

fn page(out: &Path) -> String {
    std::fs::read_to_string(out.join("html/figures.html")).unwrap()
}

/// The HTML of the figure `id` on the page: from its opening tag to its closing one.
fn figure<'a>(page: &'a str, id: &str) -> &'a str {
    let start = page
        .find(&format!("id=\"figure-{id}\""))
        .unwrap_or_else(|| panic!("no figure {id}"));
    let end = start + page[start..].find("</figure>").unwrap();
    &page[start..end]
}

#[test]
fn before_any_run_each_chart_says_it_has_no_data() {
    let (_, before, _) = built();
    let page = page(before);
    for id in ["amdahl-lines", "amdahl-bars", "amdahl-table", "turns"] {
        let html = figure(&page, id);
        assert!(html.contains("No data yet: listing <code>"), "{id}: {html}");
        assert!(!html.contains("<svg"), "{id}: {html}");
    }
    assert!(
        figure(&page, "pipeline").contains("<svg"),
        "a diagram needs no run"
    );
}

#[test]
fn figures_are_numbered_captioned_and_referenced() {
    let (_, _, out) = built();
    let page = page(out);
    assert!(page.contains(r##"<a class="figure-number" href="#figure-amdahl-lines">Figure 1-1</a><span class="figure-title">: Speedup against workers</span>"##), "{page}");
    assert!(page.contains(">Figure 1-5</a>"), "figures are numbered in order");
    assert!(
        page.contains(
            "<span class=\"figure-title\">: Tasks <code>a</code> and <code>b</code> on one thread</span>"
        ),
        "a caption's code spans"
    );
    assert!(page.contains(r##"<a href="#figure-amdahl-lines">Figure 1-1</a> draws"##));
    assert!(page.contains(r##"<a href="#figure-pipeline">Figure 1-5</a> has no data"##));
}

#[test]
fn charts_are_drawn_from_the_recorded_run() {
    let (_, _, out) = built();
    let page = page(out);
    let line = figure(&page, "amdahl-lines");
    assert_eq!(
        line.matches("<polyline class=\"fig-line-").count(),
        2,
        "two series: {line}"
    );
    assert!(line.contains("class=\"fig-ideal\""), "the ideal diagonal");
    assert!(
        line.contains("<title>90%: workers 8, speedup (x) 4.71</title>"),
        "{line}"
    );
    assert!(line.contains("role=\"img\" aria-label=\"Speedup against workers. A line chart of 2 series"));
    assert!(line.contains("<details class=\"figure-data\"><summary>The data</summary>"));
    assert!(
        line.contains("<tr><th>8</th><td>4.71</td><td>1.78</td></tr>"),
        "{line}"
    );
    assert!(line.contains("Data: the recorded run of <a href=\"#listing-amdahl\">Listing 1-1</a>, on "));
    let bars = figure(&page, "amdahl-bars");
    assert_eq!(
        bars.matches("<rect class=\"fig-fill-").count(),
        6 + 2,
        "six bars, two swatches"
    );
    let table = figure(&page, "amdahl-table");
    assert!(
        table.contains("<tr><th>50%</th><td>1.00x</td><td>1.33x</td><td>1.60x</td><td>1.78x</td></tr>"),
        "{table}"
    );
    assert!(!table.contains("<svg"), "a table is text");
    let turns = figure(&page, "turns");
    assert!(turns.contains("<title>a runs from 0 to 1</title>"), "{turns}");
    assert!(turns.contains("<title>b waits from 2 to 4</title>"), "{turns}");
    assert!(turns.contains("class=\"fig-wait\""));
    let pipeline = figure(&page, "pipeline");
    assert!(pipeline.contains("id=\"figure-pipeline-arrow\""), "{pipeline}");
    assert!(pipeline.contains("<pre class=\"figure-art\">+--------+"));
}

#[test]
fn the_epub_holds_each_drawing_as_an_svg_file_and_passes_epubcheck() {
    let (_, _, out) = built();
    let epub = out.join("epub/figures-fixture.epub");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&epub).unwrap()).unwrap();
    let mut chapter = String::new();
    zip.by_name("OEBPS/figures.xhtml")
        .unwrap()
        .read_to_string(&mut chapter)
        .unwrap();
    assert!(
        chapter.contains("<img src=\"figures/amdahl-lines.svg\" alt=\"Speedup against workers."),
        "{chapter}"
    );
    assert!(!chapter.contains("<svg"), "no inline SVG in the ePub's XHTML");
    for id in ["amdahl-lines", "amdahl-bars", "turns", "pipeline"] {
        let mut svg = String::new();
        zip.by_name(&format!("OEBPS/figures/{id}.svg"))
            .unwrap()
            .read_to_string(&mut svg)
            .unwrap();
        assert!(svg.starts_with("<?xml"), "{id}");
    }
    let report = common::epubcheck(&epub);
    assert!(
        report.contains("Messages: 0 fatals / 0 errors / 0 warnings"),
        "{report}"
    );
}

#[test]
fn data_the_run_does_not_print_is_an_error_at_the_figure_line() {
    let (book, _, _) = built();
    // The built book (its recordings are kept under its own path), with a figure asking for
    // a line the run never printed; the other tests only read what was rendered before.
    let written = book.read("src/figures.md");
    let chapter = written.replace(
        "amdahl /^p=(?<fraction>\\d+%) workers=(?<workers>[248])",
        "amdahl /^p=(?<fraction>\\d+%) threads=(?<workers>[248])",
    );
    assert_ne!(chapter, written);
    book.write("src/figures.md", &chapter);
    let out = book.path("out2");
    let status = book.xtask(&["build", "--no-test", "--out", out.to_str().unwrap()]);
    book.write("src/figures.md", &written);
    let stderr = common::stderr(&status);
    assert_eq!(status.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("error: no line of `amdahl`'s recorded run matches this regex"),
        "{stderr}"
    );
    assert!(stderr.contains("src/figures.md:36:1"), "{stderr}");
    assert!(!out.join("html").exists(), "nothing rendered");
}

#[test]
fn each_figure_names_the_machine_and_date_of_its_own_runs() {
    let book = common::fixture("figures");
    let status = book.xtask(&["test-listings", "--no-progress", "amdahl", "executor"]);
    assert!(status.status.success(), "{}", common::stderr(&status));
    // The executor's pass made on another day, as a cached pass from last week would be.
    let dir = book.path("target/xtask");
    let store = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("listing-cache-")
        })
        .expect("the recordings' store");
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&store).unwrap()).unwrap();
    json["listings"]["executor"]["machine"]["date"] = "2001-02-03 04:05".into();
    std::fs::write(&store, serde_json::to_string(&json).unwrap()).unwrap();
    let out = book.path("out-dated");
    let status = book.xtask(&["build", "--no-test", "--out", out.to_str().unwrap()]);
    assert!(status.status.success(), "{}", common::stderr(&status));
    let page = page(&out);
    assert!(
        figure(&page, "turns").contains("2001-02-03 04:05 UTC"),
        "{}",
        figure(&page, "turns")
    );
    let amdahl = figure(&page, "amdahl-lines");
    assert!(amdahl.contains(", on "), "{amdahl}");
    assert!(!amdahl.contains("2001-02-03"), "another listing's date: {amdahl}");
}
