//! The link check of the rendered site: every internal link (`href`, `src`, CSS `url()`)
//! names a file of the site, and every `#anchor` an element of its page, exactly once.
//!
//! It runs on the files mdBook wrote, not on the Markdown, because that is what readers
//! follow: cross-references rewritten by our preprocessor, links mdBook rewrote for the print
//! page, the theme's assets. External links are not followed (a build makes no request).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::Path;

use anyhow::{Context, Result};

/// A link that leads nowhere, or an id that makes an anchor ambiguous.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Broken {
    /// The page (or stylesheet) that holds the link, relative to the site's root.
    pub(crate) page: String,
    /// The link as written in the page; for a duplicate id, `#id`.
    pub(crate) link: String,
    /// Why it is broken.
    pub(crate) reason: String,
}

impl fmt::Display for Broken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: `{}`: {}", self.page, self.link, self.reason)
    }
}

/// Checks the site in `site` (the `html` output directory). `site_url` is mdBook's
/// `output.html.site-url` (default `/`): the path the site is served under, which the 404
/// page's `<base>` and any root-relative link start with.
pub(crate) fn check(site: &Path, site_url: &str) -> Result<Vec<Broken>> {
    let files = list(site)?;
    let pages: Vec<&String> = files.iter().filter(|f| f.ends_with(".html")).collect();
    let sheets: Vec<&String> = files.iter().filter(|f| f.ends_with(".css")).collect();
    // Parsing is most of the check, and pages are independent.
    let parsed: HashMap<String, Page> = {
        use rayon::prelude::*;
        pages
            .par_iter()
            .map(|rel| Ok(((*rel).clone(), Page::parse(&read(site, rel)?))))
            .collect::<Result<_>>()?
    };
    let index = Site {
        url: format!("/{}/", site_url.trim_matches('/')).replace("//", "/"),
        files: files.iter().cloned().collect(),
        pages: parsed,
    };
    let mut broken = Vec::new();
    for rel in pages {
        broken.extend(index.check_page(rel));
    }
    for rel in sheets {
        let links = css_urls(&read(site, rel)?);
        broken.extend(links.into_iter().filter_map(|link| {
            let reason = index.resolve_and_check(rel, None, &link).err()?;
            Some(Broken {
                page: rel.clone(),
                link,
                reason,
            })
        }));
    }
    broken.dedup();
    Ok(broken)
}

/// Every file of the site, relative to its root with `/` between parts, sorted.
fn list(site: &Path) -> Result<Vec<String>> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(site).sort_by_file_name() {
        let entry = entry.with_context(|| format!("listing {}", site.display()))?;
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(site)
                .expect("walkdir stays under its root");
            files.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(files)
}

fn read(site: &Path, rel: &str) -> Result<String> {
    std::fs::read_to_string(site.join(rel)).with_context(|| format!("reading {rel}"))
}

/// What a link may lead to.
struct Site {
    /// The path the site is served under, `/` or `/book/`.
    url: String,
    /// Every file, relative to the site's root.
    files: HashSet<String>,
    /// Every HTML page, parsed.
    pages: HashMap<String, Page>,
}

/// What the check needs from one HTML page.
#[derive(Debug, Default)]
struct Page {
    /// Every `id` (and `name` of an `<a>`) in the page.
    ids: HashSet<String>,
    /// Ids held by more than one element, with their count.
    duplicate_ids: BTreeMap<String, usize>,
    /// `href` and `src` values, entities decoded, in page order, each once.
    links: Vec<String>,
    /// The page's `<base href>`, if any (mdBook's 404 page has one).
    base: Option<String>,
}

impl Page {
    fn parse(html: &str) -> Page {
        let mut page = Page::default();
        let mut counts: HashMap<String, usize> = HashMap::new();
        let mut seen_links = HashSet::new();
        for tag in tags(html) {
            for (name, value) in &tag.attrs {
                match name.as_str() {
                    "id" => *counts.entry(value.clone()).or_default() += 1,
                    "name" if tag.name == "a" => {
                        counts.entry(value.clone()).or_default();
                    }
                    "href" if tag.name == "base" => page.base = Some(value.clone()),
                    "href" | "src" if seen_links.insert(value.clone()) => {
                        page.links.push(value.clone());
                    }
                    _ => {}
                }
            }
        }
        for (id, count) in counts {
            if count > 1 {
                page.duplicate_ids.insert(id.clone(), count);
            }
            page.ids.insert(id);
        }
        page
    }
}

impl Site {
    /// The broken links of the page `rel`, and its ids that make an anchor ambiguous.
    fn check_page(&self, rel: &str) -> Vec<Broken> {
        let page = &self.pages[rel];
        let mut broken: Vec<Broken> = page
            .duplicate_ids
            .iter()
            .map(|(id, count)| Broken {
                page: rel.to_string(),
                link: format!("#{id}"),
                reason: format!("id=\"{id}\" is on {count} elements, so the anchor is ambiguous"),
            })
            .collect();
        for link in &page.links {
            if let Err(reason) = self.resolve_and_check(rel, page.base.as_deref(), link) {
                broken.push(Broken {
                    page: rel.to_string(),
                    link: link.clone(),
                    reason,
                });
            }
        }
        broken
    }

    /// Resolves `link`, found in `page`, and checks that its file exists and its anchor is
    /// there. External links (with a scheme, or `//host`) are not checked.
    fn resolve_and_check(
        &self,
        page: &str,
        base: Option<&str>,
        link: &str,
    ) -> std::result::Result<(), String> {
        if is_external(link) {
            return Ok(());
        }
        let (rest, fragment) = match link.split_once('#') {
            Some((r, f)) => (r, Some(f)),
            None => (link, None),
        };
        let path = percent_decode(rest.split('?').next().unwrap_or_default());
        let target = self.file(&self.document(page, base, &path)?, &path)?;
        let Some(fragment) = fragment else {
            return Ok(());
        };
        let id = percent_decode(fragment);
        // `#` alone is the top of the page; `#:~:text=` is a text fragment, not an id.
        if id.is_empty() || id.starts_with(":~:") {
            return Ok(());
        }
        match self.pages.get(&target) {
            Some(p) if p.ids.contains(&id) => Ok(()),
            Some(_) => Err(format!("no element with id=\"{id}\" in {target}")),
            // An anchor into a file that is not a page (a stylesheet, an image) is not ours to
            // judge.
            None => Ok(()),
        }
    }

    /// The document a relative link is resolved against: the page, or its `<base>`. A link
    /// that is only `#id` is checked against its own page even under a `<base>`: mdBook's 404
    /// page has one and links its heading as `#id`, which a browser resolves to the base
    /// (`index.html#id`). That is mdBook's template, harmless, and not ours to fix.
    fn document(&self, page: &str, base: Option<&str>, path: &str) -> std::result::Result<String, String> {
        match base {
            Some(b) if !path.is_empty() => site_path(without_origin(b), &self.url).ok_or_else(|| {
                format!(
                    "the page's <base href=\"{b}\"> is outside the site ({})",
                    self.url
                )
            }),
            _ => Ok(page.to_string()),
        }
    }

    /// The file of the site that `path` (decoded, without query or fragment) names from
    /// `from`: a directory means its `index.html`.
    fn file(&self, from: &str, path: &str) -> std::result::Result<String, String> {
        let target = if path.is_empty() {
            from.to_string()
        } else if path.starts_with('/') {
            site_path(path, &self.url)
                .ok_or_else(|| format!("outside the site, which is served under {}", self.url))?
        } else {
            let dir = from.rfind('/').map_or("", |i| &from[..=i]);
            normalise(&format!("{dir}{path}")).ok_or("leads above the site's root")?
        };
        let target = if target.is_empty() || target.ends_with('/') {
            format!("{target}index.html")
        } else if !self.files.contains(&target) && self.files.contains(&format!("{target}/index.html")) {
            format!("{target}/index.html")
        } else {
            target
        };
        if !self.files.contains(&target) {
            return Err(format!("no file {target} in the site"));
        }
        Ok(target)
    }
}

/// `https://example.com/book/` → `/book/`: mdBook writes `site-url` as the 404 page's
/// `<base>`, and an absolute one is the site's own address.
fn without_origin(url: &str) -> &str {
    match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => url,
    }
}

fn is_external(link: &str) -> bool {
    if link.starts_with("//") {
        return true;
    }
    // A scheme: letters, digits, `+-.`, then `:` before any `/`, `?` or `#`.
    match link.find(':') {
        Some(i) => {
            let scheme = &link[..i];
            !scheme.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        None => false,
    }
}

/// A root-relative path (`/book/ch01.html`) as a path inside the site (`ch01.html`), when
/// it is under `site_url`.
fn site_path(path: &str, site_url: &str) -> Option<String> {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    if !path.starts_with('/') {
        // A relative `<base>` is relative to the page; mdBook writes none.
        return normalise(path);
    }
    let with_slash = if path.ends_with('/') {
        path.to_string()
    } else {
        format!("{path}/")
    };
    if !with_slash.starts_with(site_url) {
        return None;
    }
    normalise(&path[site_url.len().min(path.len())..])
}

/// Removes `.` and `..` segments; `None` when `..` climbs above the root. A trailing `/`
/// is kept (it names a directory's index).
fn normalise(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    let mut out = parts.join("/");
    if path.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let (Some(hi), Some(lo)) = (
                bytes.get(i + 1).and_then(|&b| (b as char).to_digit(16)),
                bytes.get(i + 2).and_then(|&b| (b as char).to_digit(16)),
            )
        {
            out.push((hi * 16 + lo) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A start tag: its lower-case name and the attributes links and anchors are made of
/// ([`LINK_ATTRS`]), values with entities decoded.
struct Tag {
    name: String,
    attrs: Vec<(String, String)>,
}

/// The attributes [`Page::parse`] reads. Others (tens of thousands of `class` on highlighted
/// code) are skipped without being copied.
const LINK_ATTRS: [&str; 4] = ["id", "name", "href", "src"];

/// The start tags of an HTML document, skipping comments, declarations and the contents of
/// `<script>` and `<style>` (text there is not markup). Text in `<pre>` and `<code>` needs no
/// special case: `<` there is escaped.
fn tags(html: &str) -> Vec<Tag> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |i| &after[i + 3..]);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") || rest.starts_with("</") {
            rest = rest.find('>').map_or("", |i| &rest[i + 1..]);
            continue;
        }
        let Some((tag, after)) = start_tag(&rest[1..]) else {
            rest = &rest[1..];
            continue;
        };
        rest = after;
        if tag.name == "script" || tag.name == "style" {
            let close = format!("</{}", tag.name);
            rest = find_ci(rest, &close).map_or("", |i| &rest[i..]);
        }
        if !tag.attrs.is_empty() {
            out.push(tag);
        }
    }
    out
}

/// Parses `name attr="v" ...>` (after the `<`); returns the tag and the text after `>`.
fn start_tag(s: &str) -> Option<(Tag, &str)> {
    let name_len = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or(s.len());
    if name_len == 0 || !s.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let raw_name = &s[..name_len];
    // Named only where it matters: most tags (highlighted code's spans) have no link.
    let tag = |attrs: Vec<(String, String)>| {
        let matters = !attrs.is_empty()
            || ["script", "style"]
                .iter()
                .any(|n| n.eq_ignore_ascii_case(raw_name));
        let name = if matters {
            raw_name.to_ascii_lowercase()
        } else {
            String::new()
        };
        Tag { name, attrs }
    };
    let mut rest = &s[name_len..];
    let mut attrs = Vec::new();
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
        if let Some(after) = rest.strip_prefix('>') {
            return Some((tag(attrs), after));
        }
        if rest.is_empty() {
            return Some((tag(attrs), rest));
        }
        let key_len = rest
            .find(|c: char| c.is_ascii_whitespace() || "=>/".contains(c))
            .unwrap_or(rest.len())
            .max(1);
        let key = &rest[..key_len];
        rest = rest[key_len..].trim_start();
        let mut value = "";
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            (value, rest) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let body = &after[1..];
                    let end = body.find(q).unwrap_or(body.len());
                    (&body[..end], body.get(end + 1..).unwrap_or(""))
                }
                _ => {
                    let end = after
                        .find(|c: char| c.is_ascii_whitespace() || c == '>')
                        .unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
        }
        if LINK_ATTRS.iter().any(|a| a.eq_ignore_ascii_case(key)) {
            attrs.push((key.to_ascii_lowercase(), decode_entities(value)));
        }
    }
}

fn find_ci(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// The entities that appear in attribute values: named ones for markup characters and
/// numeric ones.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest[..rest.len().min(12)].find(';') else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let c = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `url(...)` references of a stylesheet, except `data:` ones.
fn css_urls(css: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = css;
    while let Some(i) = rest.find("url(") {
        rest = &rest[i + 4..];
        let Some(end) = rest.find(')') else { break };
        let url = rest[..end].trim().trim_matches(['"', '\'']).to_string();
        rest = &rest[end + 1..];
        if !url.is_empty() && !url.starts_with("data:") && !out.contains(&url) {
            out.push(url);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let p = dir.path().join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        dir
    }

    fn broken(files: &[(&str, &str)]) -> Vec<String> {
        let dir = site(files);
        check(dir.path(), "/")
            .unwrap()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn links_that_resolve_pass() {
        let found = broken(&[
            (
                "index.html",
                r##"<!DOCTYPE html><html><head><link rel="stylesheet" href="css/a.css?v=1">
                <script src="x.js"></script><script>let s = "<a href='nowhere.html'>";</script>
                <style>a::before { content: "<a href='gone.html'>"; }</style></head>
                <body><a href="ch1.html#intro">1</a><a href="#top" id="top">top</a><a href="#">up</a>
                <!-- <a href="commented-out.html"> --><code>&lt;a href="escaped.html"&gt;</code>
                <a href="https://example.com/x.html">out</a><a href="mailto:a@b.c">mail</a>
                <a href=sub/>sub</a><a href="ch1.html#caf%C3%A9">utf-8 anchor</a>
                <img src="img/a%20b.png" alt=""></body></html>"##,
            ),
            (
                "ch1.html",
                r#"<h1 id="intro">x</h1><p id="café"></p><a href="./sub/../index.html#top">"#,
            ),
            ("sub/index.html", r#"<a href="../ch1.html">"#),
            (
                "css/a.css",
                "@font-face { src: url('../fonts/f.woff2') } .x { background: url(data:image/png;base64,AA) }",
            ),
            ("fonts/f.woff2", ""),
            ("x.js", ""),
            ("img/a b.png", ""),
        ]);
        assert_eq!(found, Vec::<String>::new());
    }

    #[test]
    fn a_missing_page_a_missing_anchor_and_a_duplicate_id_are_reported() {
        let found = broken(&[
            (
                "index.html",
                r##"<a href="nowhere.html">x</a><a href="ch1.html#gone">y</a><a href="#here">z</a><p id="here"></p>"##,
            ),
            (
                "ch1.html",
                r#"<h2 id="twice"></h2><figure id="twice"></figure><a href="../up.html">"#,
            ),
            ("css/a.css", "src: url(\"../fonts/missing.woff2\")"),
        ]);
        assert_eq!(
            found,
            vec![
                "ch1.html: `#twice`: id=\"twice\" is on 2 elements, so the anchor is ambiguous",
                "ch1.html: `../up.html`: leads above the site's root",
                "index.html: `nowhere.html`: no file nowhere.html in the site",
                "index.html: `ch1.html#gone`: no element with id=\"gone\" in ch1.html",
                "css/a.css: `../fonts/missing.woff2`: no file fonts/missing.woff2 in the site",
            ]
        );
    }

    #[test]
    fn a_base_element_and_the_site_url_are_followed() {
        let files = [
            (
                "404.html",
                r##"<base href="/book/"><h1 id="lost"><a href="#lost">lost</a></h1><a href="ch1.html">1</a><link href="css/a.css">"##,
            ),
            (
                "ch1.html",
                r#"<a href="/book/index.html">home</a><a href="/elsewhere/x.html">"#,
            ),
            ("index.html", ""),
            ("css/a.css", ""),
        ];
        let dir = site(&files);
        let found: Vec<String> = check(dir.path(), "/book/")
            .unwrap()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            found,
            vec!["ch1.html: `/elsewhere/x.html`: outside the site, which is served under /book/"]
        );
    }

    #[test]
    fn pieces() {
        assert!(is_external("https://x") && is_external("//cdn/x") && is_external("mailto:x"));
        assert!(!is_external("a.html") && !is_external("a.html#b:c") && !is_external("#x"));
        assert_eq!(normalise("a/./b/../c/").as_deref(), Some("a/c/"));
        assert_eq!(normalise("../a"), None);
        assert_eq!(percent_decode("a%20b%"), "a b%");
        assert_eq!(decode_entities("a&amp;b&#39;&#x41;&bogus"), "a&b'A&bogus");
    }
}
