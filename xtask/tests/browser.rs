//! The rendered site in a real browser: the repository's book and the render fixture are
//! rendered, served on 127.0.0.1 and loaded in headless Chromium by
//! `tests/browser/check-site.js` (playwright-core and axe-core, installed by `npm ci` when
//! missing). It reports what a reader meets; the tests here judge it.
//!
//! Needs node and a Chromium (`/usr/bin/chromium`, or `CHROMIUM=/path`); `.ci/run` installs
//! both. Screenshots land in `target/screenshots/`: look at them after changing the theme.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::Value;

/// How long the whole browser session may take before the test gives up on it (it takes
/// about 40 s on two busy cores, most of it axe-core on the print page).
const TIMEOUT: Duration = Duration::from_secs(300);

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn script_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

fn screenshots() -> PathBuf {
    // CARGO_TARGET_TMPDIR is `target/tmp`; the screenshots go next to it.
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("screenshots")
}

/// What installs node and npm, named by every failure that lacks them.
const INSTALL_NODE: &str = "apt-get install -y nodejs npm; .ci/run does it";

/// The browser: `CHROMIUM` if set, else the first that is installed.
fn chromium() -> PathBuf {
    if let Some(p) = std::env::var_os("CHROMIUM") {
        let p = PathBuf::from(p);
        assert!(
            p.exists(),
            "CHROMIUM={}: no such file (apt-get install -y chromium installs one)",
            p.display()
        );
        return p;
    }
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
        "/usr/bin/google-chrome-stable",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
    .expect("no Chromium: apt-get install -y chromium (.ci/run does it), or CHROMIUM=/path/to/chrome")
}

/// `npm ci` in tests/browser/ when its packages are not there yet: the versions are the ones
/// in the committed package-lock.json. No browser is downloaded (playwright-core has no
/// install step); the system's Chromium is used.
fn install_packages() {
    let dir = script_dir();
    if dir.join("node_modules/playwright-core/package.json").exists()
        && dir.join("node_modules/axe-core/axe.min.js").exists()
    {
        return;
    }
    let out = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(&dir)
        .output()
        .unwrap_or_else(|e| panic!("running npm ({e}): the browser test needs node and npm: {INSTALL_NODE}"));
    assert!(
        out.status.success(),
        "npm ci in {} failed:\n{}{}",
        dir.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `xtask build --no-test --out OUT --book ROOT`.
fn render(root: &Path, out: &Path) {
    build(root, out, &["build", "--no-test", "--out"]);
}

/// `xtask ARGS OUT --book ROOT`.
fn build(root: &Path, out: &Path, args: &[&str]) {
    let status = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .arg(out)
        .arg("--book")
        .arg(root)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "rendering {}:\n{}",
        root.display(),
        common::stderr(&status)
    );
}

/// The render fixture with the repository's theme and site settings, so that its tab group
/// runs the real tabs.js and looks like the book.
fn fixture_with_theme() -> common::Book {
    with_theme(common::fixture("render"))
}

/// `book` with the repository's theme and site settings.
fn with_theme(book: common::Book) -> common::Book {
    let theme = repository().join("theme");
    for entry in std::fs::read_dir(&theme).unwrap() {
        let entry = entry.unwrap();
        book.write(
            &format!("theme/{}", entry.file_name().to_string_lossy()),
            &std::fs::read_to_string(entry.path()).unwrap(),
        );
    }
    let toml = book.read("book.toml");
    assert!(toml.contains("[output.html]\n"), "{toml}");
    book.write(
        "book.toml",
        &toml.replace(
            "[output.html]\n",
            "[output.html]\npreferred-dark-theme = \"navy\"\nadditional-css = [\"theme/listings.css\"]\nadditional-js = [\"theme/tabs.js\", \"theme/listings.js\"]\n",
        ),
    );
    book
}

/// The rendered chapters of a site (`chNN-*.html`, `appendix-*.html`), by name.
fn chapters(html: &Path) -> Vec<(String, String)> {
    let mut pages: Vec<(String, String)> = std::fs::read_dir(html)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| (n.starts_with("ch") || n.starts_with("appendix")) && n.ends_with(".html"))
        .map(|n| {
            let text = std::fs::read_to_string(html.join(&n)).unwrap();
            (n, text)
        })
        .collect();
    pages.sort();
    pages
}

struct Session {
    result: Value,
    /// The fixture's crates as `cargo xtask extract` writes them, by path in the book.
    extracted: std::collections::BTreeMap<String, String>,
    listings_page: String,
    tabs_page: String,
}

/// Renders both books and runs the browser once for every test here.
fn session() -> &'static Session {
    static ONCE: OnceLock<Session> = OnceLock::new();
    ONCE.get_or_init(|| {
        let started = Instant::now();
        let chromium = chromium();
        install_packages();
        let tmp = tempfile::Builder::new()
            .prefix("xtask-browser-")
            .tempdir()
            .unwrap();
        let book_out = tmp.path().join("book");
        render(&repository(), &book_out);
        let fixture = fixture_with_theme();
        let fixture_out = fixture.path("out");
        render(fixture.root(), &fixture_out);
        let extract = fixture.xtask(&["extract"]);
        assert!(extract.status.success(), "{}", common::stderr(&extract));
        let extracted = [
            "listings/one/hello/src/main.rs",
            "listings/appendix/appendix-changed/src/main.rs",
        ]
        .into_iter()
        .map(|p| (p.to_string(), fixture.read(p)))
        .collect();
        // Every kind of figure, drawn from its listings' runs (`build` tests them first).
        let figures = with_theme(common::fixture("figures"));
        let figures_out = figures.path("out");
        build(figures.root(), &figures_out, &["build", "--out"]);
        let book_html = book_out.join("html");
        let chapters = chapters(&book_html);

        // The chapter with the most outputs shows listings best; the tabs chapter is the
        // side-by-side one once it has tabs, else any chapter with tabs, else the fixture's.
        let listings_page = chapters
            .iter()
            .max_by_key(|(name, html)| {
                (
                    html.matches("class=\"listing-output\"").count(),
                    std::cmp::Reverse(name.clone()),
                )
            })
            .map(|(name, _)| name.clone())
            .expect("the book has chapters");
        let has_tabs = |html: &str| html.contains("class=\"tab-group\"");
        let tabs = chapters
            .iter()
            .find(|(n, h)| n == "ch15-side-by-side.html" && has_tabs(h))
            .or_else(|| chapters.iter().find(|(_, h)| has_tabs(h)));
        let (tabs_site, tabs_page) = match tabs {
            Some((name, _)) => ("book", name.clone()),
            None => ("fixture", "two.html".to_string()),
        };

        let config = serde_json::json!({
            "chromium": chromium,
            "screenshots": screenshots(),
            "book": book_html,
            "fixture": fixture_out.join("html"),
            "figures": figures_out.join("html"),
            "listingsPage": listings_page,
            "tabsPage": { "site": tabs_site, "page": tabs_page },
        });
        let config_path = tmp.path().join("config.json");
        std::fs::write(&config_path, config.to_string()).unwrap();
        let stdout_path = tmp.path().join("stdout.json");
        let stderr_path = tmp.path().join("stderr.txt");
        let mut child = Command::new("node")
            .arg(script_dir().join("check-site.js"))
            .arg(&config_path)
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&stdout_path).unwrap())
            .stderr(std::fs::File::create(&stderr_path).unwrap())
            .spawn()
            .unwrap_or_else(|e| panic!("running node ({e}): the browser test needs it: {INSTALL_NODE}"));
        let deadline = Instant::now() + TIMEOUT;
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "the browser session took longer than {TIMEOUT:?}:\n{}",
                    std::fs::read_to_string(&stderr_path).unwrap_or_default()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        };
        let stdout = std::fs::read_to_string(&stdout_path).unwrap();
        let stderr = std::fs::read_to_string(&stderr_path).unwrap();
        assert!(status.success(), "check-site.js failed ({status}):\n{stderr}");
        let result: Value = serde_json::from_str(stdout.trim())
            .unwrap_or_else(|e| panic!("check-site.js printed no JSON ({e}):\n{stdout}\n{stderr}"));
        eprintln!(
            "browser session: {:.1?} in all, {} ms in the browser ({})",
            started.elapsed(),
            result["timings"]["total"],
            result["timings"]
        );
        Session {
            result,
            extracted,
            listings_page,
            tabs_page: format!("{tabs_site}/{tabs_page}"),
        }
    })
}

#[test]
fn pages_load_without_console_errors_or_failed_or_outside_requests() {
    let problems = &session().result["problems"];
    assert_eq!(problems, &serde_json::json!([]), "{problems:#}");
}

#[test]
fn listings_show_captions_and_outputs() {
    let s = session();
    let page = &s.result["pages"]["listings"];
    let captions = page["captions"].as_u64().unwrap();
    assert!(captions > 0, "{}: no listing captions: {page:#}", s.listings_page);
    assert_eq!(
        page["captionsVisible"].as_u64().unwrap(),
        captions - page["captionsInHiddenTabs"].as_u64().unwrap(),
        "every caption is shown, except in tabs not chosen: {page:#}"
    );
    assert!(
        page["firstCaption"].as_str().unwrap().starts_with("Listing "),
        "{page:#}"
    );
    assert!(page["outputs"].as_u64().unwrap() > 0, "{page:#}");
    assert_eq!(
        page["outputsWithText"], page["outputs"],
        "no empty output: {page:#}"
    );
    let print = &s.result["pages"]["print"];
    assert!(
        print["captions"].as_u64().unwrap() >= captions,
        "the print page holds every chapter's listings: {print:#}"
    );
}

#[test]
fn code_is_coloured_in_the_light_theme_and_in_the_dark_ones() {
    let colours = &session().result["colours"];
    // `prefersDark` is a reader whose system prefers dark and who chose nothing: mdBook picks
    // `preferred-dark-theme` from book.toml.
    for (run, theme) in [
        ("light", "light"),
        ("prefersDark", "navy"),
        ("rust", "rust"),
        ("coal", "coal"),
        ("navy", "navy"),
        ("ayu", "ayu"),
    ] {
        let c = &colours[run];
        let classes = c["theme"].as_str().unwrap_or_default();
        assert!(
            classes.split(' ').any(|x| x == theme),
            "{run}: the page is in theme {classes:?}, not {theme}"
        );
        let differing = c["coloursDifferingFromText"].as_u64().unwrap();
        assert!(
            differing >= 3,
            "{run}: only {differing} colours of highlighted code differ from the text colour {}: {c:#}",
            c["codeText"]
        );
    }
    assert_ne!(
        colours["light"]["codeBackground"], colours["prefersDark"]["codeBackground"],
        "dark code blocks are dark"
    );
}

#[test]
fn tabs_switch_on_click_and_arrow_keys_and_are_remembered() {
    let s = session();
    let tabs = &s.result["tabs"];
    let group = |state: &str| tabs["behaviour"][state][0].clone();
    let initial = group("initial");
    assert_eq!(initial["tablist"], true, "{initial:#}");
    assert_eq!(initial["labels"], serde_json::json!(["Threads", "Rayon"]));
    assert_eq!(initial["selected"], serde_json::json!(["Threads"]));
    assert_eq!(initial["tabindex"], serde_json::json!([0, -1]), "one Tab stop");
    assert_eq!(initial["panelsShown"], serde_json::json!([true, false]));
    assert_eq!(initial["panelsLabelled"], true);
    let clicked = group("afterClick");
    assert_eq!(clicked["selected"], serde_json::json!(["Rayon"]), "{clicked:#}");
    assert_eq!(clicked["panelsShown"], serde_json::json!([false, true]));
    assert_eq!(tabs["behaviour"]["focusAfterClick"], "Rayon");
    // The arrow keys move between tabs, and do not also turn the page (mdBook's shortcut):
    // the state is read on the same page.
    assert_eq!(
        group("afterArrowRight")["selected"],
        serde_json::json!(["Threads"])
    );
    assert_eq!(group("afterArrowLeft")["selected"], serde_json::json!(["Rayon"]));
    assert_eq!(
        group("afterReload")["selected"],
        serde_json::json!(["Rayon"]),
        "the choice is remembered"
    );
    let sidebar = &tabs["behaviour"]["sidebar"];
    assert_ne!(
        sidebar["before"], sidebar["afterEnter"],
        "Enter on the sidebar toggle opens or closes the sidebar: {sidebar:#}"
    );
    let page = &tabs[&s.tabs_page];
    let groups = page
        .as_array()
        .unwrap_or_else(|| panic!("{}: {page:#}", s.tabs_page));
    assert!(!groups.is_empty(), "{}: no tab group", s.tabs_page);
    for g in groups {
        assert_eq!(
            g["selected"].as_array().unwrap().len(),
            1,
            "{}: {g:#}",
            s.tabs_page
        );
        let shown = g["panelsShown"].as_array().unwrap();
        assert_eq!(
            shown.iter().filter(|v| **v == true).count(),
            1,
            "{}: {g:#}",
            s.tabs_page
        );
    }
}

#[test]
fn axe_finds_no_serious_or_critical_violation() {
    let axe = session().result["axe"].as_object().unwrap();
    let mut summary = String::new();
    let mut serious = Vec::new();
    for (page, violations) in axe {
        let violations = violations.as_array().unwrap();
        summary.push_str(&format!("{page}: {} violation(s)\n", violations.len()));
        for v in violations {
            let impact = v["impact"].as_str().unwrap_or("?");
            summary.push_str(&format!(
                "  {impact} {} ({} element(s)): {}\n",
                v["id"].as_str().unwrap(),
                v["nodes"],
                v["help"].as_str().unwrap()
            ));
            if impact == "serious" || impact == "critical" {
                serious.push(format!("{page}: {v:#}"));
            }
        }
    }
    println!("axe-core:\n{summary}");
    assert!(
        axe.keys().any(|k| k == "index.html")
            && axe.keys().any(|k| k == "print.html")
            && axe.keys().any(|k| k == "figures.html (navy)")
            && axe.len() >= 6,
        "axe ran on the home page, the tabs chapter in two themes and the print page: {summary}"
    );
    assert!(serious.is_empty(), "{summary}\n{}", serious.join("\n"));
}

#[test]
fn figures_are_drawn_in_the_colours_of_each_theme() {
    let figures = &session().result["figures"];
    let (light, navy) = (&figures["light"], &figures["navy"]);
    assert_eq!(
        light["svgs"], 4,
        "a line chart, a bar chart, a timeline, a diagram: {figures:#}"
    );
    for part in ["line", "lane", "label", "diagram"] {
        assert!(
            light[part].is_string() && navy[part].is_string(),
            "{part}: {figures:#}"
        );
        assert_ne!(
            light[part], navy[part],
            "{part} has one colour in both themes: {figures:#}"
        );
    }
    assert_eq!(
        light["label"], light["text"],
        "chart text is in the page's colour: {figures:#}"
    );
    assert_eq!(
        navy["label"], navy["text"],
        "chart text is in the page's colour: {figures:#}"
    );
}

#[test]
fn a_chapter_fits_a_phone_screen() {
    let phone = &session().result["pages"]["phone"];
    assert!(
        phone["scrollWidth"].as_u64() <= phone["clientWidth"].as_u64(),
        "the page scrolls sideways on a phone: {phone:#}"
    );
}

#[test]
fn screenshots_are_saved_for_a_person_to_look_at() {
    let shots = session().result["screenshots"].as_array().unwrap();
    assert!(shots.len() >= 12, "{shots:?}");
    for shot in shots {
        let path = Path::new(shot.as_str().unwrap());
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        assert!(size > 10_000, "{}: {size} bytes", path.display());
    }
    println!("screenshots in {}", screenshots().display());
}

/// `[[class, shown], ...]` for each line of a listing, as the browser reported it.
fn shown(state: &Value) -> Vec<(String, bool)> {
    state
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l[0].as_str().unwrap().to_string(), l[1].as_bool().unwrap()))
        .collect()
}

fn hidden_shown(state: &Value) -> Vec<bool> {
    shown(state)
        .into_iter()
        .filter(|(c, _)| c.contains("hidden-line"))
        .map(|(_, s)| s)
        .collect()
}

/// What the copy button copied: the clipboard if the page could read it, else what
/// clipboard.js handed to the browser to copy.
fn copied(copied: &Value) -> &str {
    copied["clipboard"]
        .as_str()
        .or(copied["handed"].as_str())
        .unwrap_or_else(|| panic!("nothing copied: {copied:#}"))
}

#[test]
fn hidden_lines_show_and_hide_by_mouse_and_keyboard_and_copy_copies_the_whole_file() {
    let s = session();
    for theme in ["light", "navy"] {
        let h = &s.result["listingTools"][format!("hidden-{theme}")];
        assert_eq!(
            hidden_shown(&h["initial"]),
            [false],
            "{theme}: hidden at first: {h:#}"
        );
        assert_eq!(h["label"], "Show hidden line");
        assert_eq!(h["expandedBefore"], "false");
        assert!(
            h["focused"].as_str().unwrap().contains("hidden-toggle"),
            "Tab reaches the toggle: {h:#}"
        );
        assert_eq!(
            hidden_shown(&h["afterEnter"]),
            [true],
            "{theme}: Enter shows them: {h:#}"
        );
        assert_eq!(h["labelAfterEnter"], "Hide hidden line");
        assert_eq!(h["expandedAfterEnter"], "true");
        assert_eq!(
            hidden_shown(&h["afterSpace"]),
            [false],
            "{theme}: Space hides them again"
        );
        assert_eq!(
            hidden_shown(&h["afterClick"]),
            [true],
            "{theme}: and a click shows them"
        );
        assert_eq!(
            copied(&h["copied"]),
            s.extracted["listings/one/hello/src/main.rs"],
            "{theme}: the copy button copies the file as extracted: hidden lines in, callout badges out"
        );
    }
}

#[test]
fn a_listing_with_a_base_switches_between_its_changes_and_the_whole_listing() {
    let s = session();
    for theme in ["light", "navy"] {
        let d = &s.result["listingTools"][format!("diff-{theme}")];
        let removed = |state: &Value| {
            shown(state)
                .into_iter()
                .filter(|(c, _)| c.contains("line-removed"))
                .map(|(_, s)| s)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            removed(&d["initial"]),
            [true],
            "{theme}: the changes show the removed line: {d:#}"
        );
        assert_eq!(
            d["buttons"],
            serde_json::json!([["Changes", "true"], ["Whole listing", "false"]])
        );
        assert_eq!(
            removed(&d["whole"]),
            [false],
            "{theme}: Enter on \"Whole listing\" hides it"
        );
        assert_eq!(
            d["buttonsWhole"],
            serde_json::json!([["Changes", "false"], ["Whole listing", "true"]])
        );
        assert_eq!(
            removed(&d["back"]),
            [true],
            "{theme}: a click brings the changes back"
        );
        assert_eq!(
            copied(&d["copied"]),
            s.extracted["listings/appendix/appendix-changed/src/main.rs"],
            "{theme}: the copy is the listing's own file, without the lines it removed"
        );
    }
}
