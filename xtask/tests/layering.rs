//! Tidy tests: the layers of `xtask/src` import only downwards, no two modules import each
//! other, and no function is longer than `MAX_FN_LINES`.
//!
//! Layers, lowest first: `util` < `book` < `listings`, `render` (which know nothing of each
//! other) < `bench` < `lib.rs`, `main.rs`, `exit.rs`. `LAYERS` says what each top-level
//! module may import; anything else is a back-edge.
//!
//! The dependencies of a file are read from its code, with comments and string literals
//! skipped: `use` trees (`use crate::x::{y, z::w}`, `use super::..`, `use self::..`), inline
//! paths (`crate::x::y(..)`, `super::f()`), and paths that start with a child module the file
//! declares (`mod schedule;` then `schedule::execute(..)`). Each path is resolved to the
//! longest module (a file) it names: `crate::book::pattern::Expected` is `book::pattern`,
//! `crate::book::Book` is `book`.
//!
//! Two modules that import each other are a cycle, except a parent and its own child: a
//! `mod.rs` declares its children, and re-exports or calls them, while the children use the
//! types it defines (`book/mod.rs` is the model `book/parse.rs` fills in). That is
//! containment, not a cycle between stages.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What each top-level module may import besides itself. `""` is the crate root (`lib.rs`),
/// `main` the binary (`main.rs`, which reaches the library through `xtask::`).
const LAYERS: &[(&str, &[&str])] = &[
    ("util", &[]),
    ("book", &["util"]),
    ("listings", &["util", "book"]),
    ("render", &["util", "book"]),
    ("bench", &["util", "book", "listings", "render"]),
    ("exit", &["util", "book"]),
    ("", &["util", "book", "listings", "render", "bench", "exit"]),
    ("main", &[""]),
];

/// Known back-edges, each a (file, module it imports) pair, kept until they are fixed. None
/// today: `Exit` and `Misuse`, once at the top and returned by every layer's commands, live
/// in `util::exit`, and `report_error` in `book::diag`. An entry that no longer matches fails
/// the test, so the list can only shrink.
const KNOWN_BACK_EDGES: &[(&str, &str)] = &[];

#[test]
fn layers_import_only_downwards_and_no_two_modules_import_each_other() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(root.join("src")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "rs") {
            let rel = entry
                .path()
                .strip_prefix(root)
                .unwrap()
                .to_str()
                .unwrap()
                .to_string();
            files.insert(rel, std::fs::read_to_string(entry.path()).unwrap());
        }
    }
    assert!(files.len() >= 30, "read {} files of xtask/src", files.len());
    let graph = Graph::new(&files);
    // A checker that sees no edges passes everything: it must see the crate's real ones.
    assert!(graph.edges.len() >= 60, "only {} edges found", graph.edges.len());
    for (from, to) in [
        ("listings::check", "listings::matcher"),
        ("book::parse", "book"),
        ("render::markup::output", "book::pattern"),
        ("listings", "listings::schedule"),
        ("", "listings"),
    ] {
        let key = (module(from), module(to));
        assert!(
            graph.edges.contains_key(&key),
            "edge not seen: `{from}` -> `{to}`"
        );
    }

    let mut problems = graph.problems();
    let mut unused = Vec::new();
    for (file, to) in KNOWN_BACK_EDGES {
        let before = problems.len();
        problems.retain(|p| !(p.file == *file && p.to == module(to)));
        if problems.len() == before {
            unused.push(format!("{file} -> {to}"));
        }
    }
    let messages: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(messages.is_empty(), "layering broken:\n{}", messages.join("\n"));
    assert!(
        unused.is_empty(),
        "fixed, remove from KNOWN_BACK_EDGES: {unused:?}"
    );
}

/// The checker on a small crate of its own: it must name a forbidden edge, a cycle between
/// two files, and a module with no layer; and it must accept what the rules allow.
#[test]
fn the_checker_reports_back_edges_and_cycles() {
    let graph = Graph::new(&small_crate());
    let edges: BTreeSet<String> = graph
        .edges
        .keys()
        .map(|(a, b)| format!("{} -> {}", a.join("::"), b.join("::")))
        .collect();
    let expected: BTreeSet<String> = [
        "book -> book::pattern",
        "book -> listings",
        "book::pattern -> book",
        "book::pattern -> util",
        "book::pattern -> util::text",
        "listings -> listings::run",
        "listings::report -> book",
        "listings::report -> book::pattern",
        "listings::report -> listings::schedule",
        "listings::schedule -> listings::report",
        "render -> book",
        "render -> listings::report",
        "util -> book",
        "util -> util::text",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(edges, expected);

    let problems: Vec<String> = graph.problems().iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        [
            "src/book/mod.rs:4: `book` imports `listings` (crate::listings::run): book may import only util",
            "src/extra.rs: module `extra` has no layer: add it to LAYERS",
            "src/listings/report.rs:4: `listings::report` and `listings::schedule` import each other (crate::listings::schedule::execute); src/listings/schedule.rs:1 (super::report::Reporter)",
            "src/render/mod.rs:1: `render` imports `listings::report` (crate::listings::report::Reporter): render may import only util, book",
            "src/util/mod.rs:5: `util` imports `book` (super::super::book::g): util may import nothing",
        ]
    );
}

/// The files of the small crate, each with one way to write (or not write) an import.
fn small_crate() -> BTreeMap<String, String> {
    [
        ("src/lib.rs", "mod util;\nmod book;\nmod listings;\nmod render;\nmod extra;\n"),
        // From inside `mod tests`, `super` is the file and `super::super` the root: util
        // imports book.
        (
            "src/util/mod.rs",
            "pub(crate) mod text;\n#[cfg(test)]\nmod tests {\n    use super::text::f;\n    fn t() { super::super::book::g(); }\n}\n",
        ),
        // No import: comments, strings, a byte string.
        (
            "src/util/text.rs",
            "// use crate::book::Book;\n/* /* crate::book */ crate::book */\n/// [`crate::render`]\nconst S: &str = \"crate::book::x \\\" crate::book\";\nconst B: &[u8] = b\"crate::book\";\n",
        ),
        // book imports listings inline: a back-edge. `super::pattern` is a child of book.
        (
            "src/book/mod.rs",
            "mod pattern;\nuse pattern::Line;\npub fn f() {\n    let _ = crate::listings::run();\n}\n",
        ),
        (
            "src/book/pattern.rs",
            "use super::Book;\nuse crate::util::{self, text::*};\nfn g<'a>(c: char) -> &'a str {\n    if c == '\"' { \"crate::render\" } else { r#\"crate::render\"# }\n}\n",
        ),
        // schedule <-> report: a cycle, through `use super::` one way and `crate::` the other.
        // `crate::listings::run()` calls a function of `listings`, not the module `run`.
        (
            "src/listings/mod.rs",
            "pub(crate) mod report;\nmod run;\npub(crate) mod schedule;\npub(crate) use run::run;\n",
        ),
        ("src/listings/run.rs", "pub(crate) fn run() {}\n"),
        ("src/listings/schedule.rs", "use super::report::Reporter;\n"),
        (
            "src/listings/report.rs",
            "use crate::book::{self, pattern::Line};\n\nfn h() {\n    crate::listings::schedule::execute();\n}\n",
        ),
        // render imports listings: forbidden between the two middle layers.
        ("src/render/mod.rs", "use crate::{book::Book, listings::report::Reporter};\n"),
        ("src/extra.rs", "#[cfg(test)]\nmod tests {\n    use super::*;\n}\n"),
    ]
    .into_iter()
    .map(|(p, s)| (p.to_string(), s.to_string()))
    .collect()
}

/// A module path: `listings::schedule` is `["listings", "schedule"]`, the root is `[]`.
type Module = Vec<String>;

fn module(path: &str) -> Module {
    path.split("::")
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// Where one module first imports another: the file, its line, and the path as written.
#[derive(Debug, Clone)]
struct Site {
    file: String,
    line: usize,
    path: String,
}

/// Every module-to-module import of a crate, self-imports left out.
struct Graph {
    /// Module of each file.
    modules: BTreeMap<Module, String>,
    edges: BTreeMap<(Module, Module), Site>,
}

/// A broken rule, at the site that breaks it.
struct Problem {
    file: String,
    line: Option<usize>,
    to: Module,
    message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl Graph {
    /// The graph of `files` (paths like `src/listings/run.rs`, and their text).
    fn new(files: &BTreeMap<String, String>) -> Graph {
        let modules: BTreeMap<Module, String> =
            files.keys().map(|f| (module_of_file(f), f.clone())).collect();
        let mut edges = BTreeMap::new();
        for (file, text) in files {
            let from = module_of_file(file);
            for w in paths(text) {
                let Some(to) = resolve(&from, file, &w.path, &modules) else {
                    continue;
                };
                if to != from {
                    let site = Site {
                        file: file.clone(),
                        line: w.line,
                        path: w.written,
                    };
                    edges.entry((from.clone(), to)).or_insert(site);
                }
            }
        }
        Graph { modules, edges }
    }

    /// Back-edges, cycles and modules with no layer, in file order.
    fn problems(&self) -> Vec<Problem> {
        let mut problems: Vec<Problem> = self
            .modules
            .iter()
            .filter_map(|(m, file)| unlayered(m, file))
            .collect();
        for ((from, to), site) in &self.edges {
            problems.extend(back_edge(from, to, site));
            problems.extend(self.cycle(from, to, site));
        }
        problems.sort_by(|p, q| (&p.file, p.line).cmp(&(&q.file, q.line)));
        problems
    }

    /// The edge `from -> to` if `to` also imports `from`, reported once (from the smaller
    /// module) and not between a module and its own descendant (containment).
    fn cycle(&self, from: &Module, to: &Module, site: &Site) -> Option<Problem> {
        if from > to || to.starts_with(from) || from.starts_with(to) {
            return None;
        }
        let back = self.edges.get(&(to.clone(), from.clone()))?;
        let message = format!(
            "`{}` and `{}` import each other ({}); {}:{} ({})",
            from.join("::"),
            to.join("::"),
            site.path,
            back.file,
            back.line,
            back.path
        );
        Some(problem(site, to, message))
    }
}

/// A module whose top-level module is not in `LAYERS`.
fn unlayered(module: &Module, file: &str) -> Option<Problem> {
    allowed(top(module)).is_none().then(|| Problem {
        file: file.to_string(),
        line: None,
        to: Vec::new(),
        message: format!("module `{}` has no layer: add it to LAYERS", top(module)),
    })
}

/// The edge `from -> to` if it crosses layers in a way `LAYERS` does not allow.
fn back_edge(from: &Module, to: &Module, site: &Site) -> Option<Problem> {
    let (a, b) = (top(from), top(to));
    let may = allowed(a)?;
    if a == b || may.contains(&b) {
        return None;
    }
    let may = match may {
        [] => "nothing".to_string(),
        may => {
            let names: Vec<&str> = may
                .iter()
                .map(|m| if m.is_empty() { "lib.rs" } else { m })
                .collect();
            format!("only {}", names.join(", "))
        }
    };
    let message = format!(
        "`{a}` imports `{}` ({}): {a} may import {may}",
        to.join("::"),
        site.path
    );
    Some(problem(site, to, message))
}

fn problem(site: &Site, to: &Module, message: String) -> Problem {
    Problem {
        file: site.file.clone(),
        line: Some(site.line),
        to: to.clone(),
        message,
    }
}

/// The top-level module of a module: its layer's name (`""` for the root).
fn top(module: &Module) -> &str {
    module.first().map_or("", String::as_str)
}

/// What a top-level module may import, or `None` if it has no layer.
fn allowed(top: &str) -> Option<&'static [&'static str]> {
    LAYERS.iter().find(|(name, _)| *name == top).map(|(_, may)| *may)
}

/// `src/lib.rs` is the root, `src/main.rs` is `main`, `src/a/mod.rs` is `a`, `src/a/b.rs`
/// is `a::b`.
fn module_of_file(file: &str) -> Module {
    let rel = file.strip_prefix("src/").unwrap_or(file).trim_end_matches(".rs");
    let mut parts: Module = rel.split('/').map(String::from).collect();
    if parts == ["lib"] || parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// The module a path written in `file` (module `from`) names, if it is one of the crate's:
/// the longest module that is a prefix of the path, once `crate`, `super` and `self` are
/// resolved. A path inside an inline module (`mod tests { use super::*; }`) comes with that
/// module's name first, as `self`-relative segments (see `paths`).
fn resolve(from: &Module, file: &str, path: &[String], modules: &BTreeMap<Module, String>) -> Option<Module> {
    let binary = file == "src/main.rs";
    let (mut base, rest): (Module, &[String]) = match path.first()?.as_str() {
        // The binary reaches the library by its name, and only its root: the library's
        // modules are private (`xtask::bench` is the function, not the module).
        "xtask" if binary => return Some(Vec::new()),
        "crate" if binary => return None,
        "crate" => (Vec::new(), &path[1..]),
        "super" | "self" => (from.clone(), path),
        first if modules.contains_key(&[from.as_slice(), &[first.to_string()]].concat()) => {
            (from.clone(), path)
        }
        _ => return None,
    };
    let mut rest = rest.iter().peekable();
    while let Some(seg) = rest.next_if(|s| *s == "super" || *s == "self") {
        if seg == "super" {
            base.pop()?;
        }
    }
    base.extend(rest.cloned());
    (0..=base.len())
        .rev()
        .map(|n| base[..n].to_vec())
        .find(|m| modules.contains_key(m))
}

/// The longest a function in `xtask/src` may be, in lines from `fn` to its closing brace:
/// a longer one is several steps that want names.
const MAX_FN_LINES: usize = 80;

#[test]
fn no_function_is_longer_than_the_limit() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut long = Vec::new();
    for entry in walkdir::WalkDir::new(root.join("src")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "rs") {
            let rel = entry.path().strip_prefix(root).unwrap().display().to_string();
            let src = std::fs::read_to_string(entry.path()).unwrap();
            for (name, line, lines) in functions(&src) {
                if lines > MAX_FN_LINES {
                    long.push(format!("{rel}:{line}: fn {name} is {lines} lines"));
                }
            }
        }
    }
    assert!(
        long.is_empty(),
        "functions over {MAX_FN_LINES} lines (split them into named steps):\n{}",
        long.join("\n")
    );
}

#[test]
fn the_length_check_measures_functions_and_skips_literals() {
    let body = "    x += 1;\n".repeat(81);
    let src = format!(
        "fn short() {{\n    let s = \"fn fake() {{\";\n}}\n\nfn long(a: u8) -> u8 {{\n{body}    a\n}}\nfn decl();\n"
    );
    let found = functions(&src);
    let names: Vec<(&str, usize, usize)> = found.iter().map(|(n, l, c)| (n.as_str(), *l, *c)).collect();
    assert_eq!(names, [("short", 1, 3), ("long", 5, 84)]);
}

/// Every function with a body in a file: its name, the line of `fn`, and its length in lines.
fn functions(src: &str) -> Vec<(String, usize, usize)> {
    let toks = tokens(src);
    let mut out = Vec::new();
    for (i, (tok, line)) in toks.iter().enumerate() {
        let (Tok::Ident(kw), Some((Tok::Ident(name), _))) = (tok, toks.get(i + 1)) else {
            continue;
        };
        if kw != "fn" {
            continue;
        }
        // The body opens at the first `{` outside the signature's brackets; a `;` first means
        // a declaration without one.
        let mut depth = 0i32;
        let mut j = i + 2;
        let open = loop {
            match toks.get(j) {
                Some((Tok::Punct('(' | '[' | '<'), _)) => depth += 1,
                Some((Tok::Punct(')' | ']' | '>'), _)) => depth -= 1,
                Some((Tok::Punct('{'), _)) if depth <= 0 => break Some(j),
                Some((Tok::Punct(';'), _)) if depth <= 0 => break None,
                None => break None,
                _ => {}
            }
            j += 1;
        };
        let Some(open) = open else { continue };
        let mut braces = 0;
        for (tok, end) in &toks[open..] {
            match tok {
                Tok::Punct('{') => braces += 1,
                Tok::Punct('}') => braces -= 1,
                _ => {}
            }
            if braces == 0 {
                out.push((name.clone(), *line, end - line + 1));
                break;
            }
        }
    }
    out
}

/// A token of Rust code: comments, whitespace and literals are dropped.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    /// `::`
    Sep,
    Punct(char),
}

/// The tokens of a file, each with its line.
fn tokens(src: &str) -> Vec<(Tok, usize)> {
    let s: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    while i < s.len() {
        let start = i;
        let c = s[i];
        let next = s.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < s.len() && s[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i = skip_block_comment(&s, i);
        } else if c == '"' {
            i = skip_string(&s, i + 1, None);
        } else if c == '\'' {
            i = skip_quote(&s, i);
        } else if c.is_alphabetic() || c == '_' {
            while i < s.len() && (s[i].is_alphanumeric() || s[i] == '_') {
                i += 1;
            }
            let word: String = s[start..i].iter().collect();
            match literal_after_prefix(&s, &word, i) {
                Some(end) => i = end,
                None => out.push((Tok::Ident(word), line)),
            }
        } else if c.is_ascii_digit() {
            while i < s.len() && (s[i].is_alphanumeric() || s[i] == '_') {
                i += 1;
            }
        } else if c == ':' && next == Some(':') {
            out.push((Tok::Sep, line));
            i += 2;
        } else {
            if !c.is_whitespace() {
                out.push((Tok::Punct(c), line));
            }
            i += 1;
        }
        line += s[start..i].iter().filter(|&&c| c == '\n').count();
    }
    out
}

/// After `/*` at `i`: the index past the comment (comments nest).
fn skip_block_comment(s: &[char], mut i: usize) -> usize {
    let mut depth = 0;
    while i < s.len() {
        if s[i] == '/' && s.get(i + 1) == Some(&'*') {
            depth += 1;
            i += 2;
        } else if s[i] == '*' && s.get(i + 1) == Some(&'/') {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    i
}

/// From just inside a string's opening quote: the index past its end. A raw string
/// (`raw` is its number of `#`s) has no escapes and ends at `"` and as many `#`s.
fn skip_string(s: &[char], mut i: usize, raw: Option<usize>) -> usize {
    while i < s.len() {
        match raw {
            None if s[i] == '\\' => i += 2,
            None if s[i] == '"' => return i + 1,
            Some(n) if s[i] == '"' && s[i + 1..].iter().take(n).filter(|&&c| c == '#').count() == n => {
                return i + 1 + n;
            }
            _ => i += 1,
        }
    }
    i
}

/// At a `'`: past a character literal (`'a'`, `'\n'`, `'\u{1F600}'`), or past the quote of a
/// lifetime or label (whose name is then lexed as an identifier, harmlessly).
fn skip_quote(s: &[char], i: usize) -> usize {
    if s.get(i + 1) == Some(&'\\') {
        let close = (i + 3..s.len()).find(|&k| s[k] == '\'').unwrap_or(s.len());
        return close + 1;
    }
    if s.get(i + 2) == Some(&'\'') {
        return i + 3;
    }
    i + 1
}

/// If `word` (ending at `i`) is a literal's prefix (`b"`, `r"`, `r#"`, `br#"`, `c"`, `b'`),
/// the index past the literal. `r#ident` is a raw identifier, not a literal.
fn literal_after_prefix(s: &[char], word: &str, i: usize) -> Option<usize> {
    let at = s.get(i).copied();
    match word {
        "b" | "c" if at == Some('"') => Some(skip_string(s, i + 1, None)),
        "b" if at == Some('\'') => Some(skip_quote(s, i)),
        "r" | "br" | "cr" => {
            let hashes = s[i..].iter().take_while(|&&c| c == '#').count();
            (s.get(i + hashes) == Some(&'"')).then(|| skip_string(s, i + hashes + 1, Some(hashes)))
        }
        _ => None,
    }
}

/// A path in a file: as written, what it names for `resolve`, and its line.
struct Written {
    written: String,
    path: Vec<String>,
    line: usize,
}

/// The crate-relative paths of a file, each with its line: every leaf of its `use` trees and
/// every inline path that starts with `crate`, `super`, `self` or a name (`resolve` keeps
/// the crate's). A path inside an inline module (`mod tests { .. }`) is made relative to the
/// file's module (see `from_inline`).
fn paths(src: &str) -> Vec<Written> {
    let toks = tokens(src);
    let tok = |k: usize| toks.get(k).map(|t| &t.0);
    let mut out = Vec::new();
    let mut depth = 0;
    // The brace depth inside each inline module that encloses the current token.
    let mut inline: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let mut found = Vec::new();
        match &toks[i].0 {
            Tok::Punct('{') => depth += 1,
            Tok::Punct('}') => {
                if inline.last() == Some(&depth) {
                    inline.pop();
                }
                depth -= 1;
            }
            Tok::Ident(w) if w == "mod" && matches!(tok(i + 2), Some(Tok::Punct('{'))) => {
                inline.push(depth + 1);
            }
            Tok::Ident(w) if w == "use" => i = use_tree(&toks, i + 1, &[], &mut found),
            Tok::Ident(_) if tok(i + 1) == Some(&Tok::Sep) && (i == 0 || tok(i - 1) != Some(&Tok::Sep)) => {
                let (path, called, end) = path_at(&toks, i);
                found.push(Written {
                    written: path.join("::"),
                    // A call or a macro (`crate::book::load(..)`) names a function in the
                    // module before it, even where a module of the same name exists
                    // (`book::load`, private, whose `load` the book re-exports).
                    path: path[..path.len() - usize::from(called)].to_vec(),
                    line: toks[i].1,
                });
                i = end - 1;
            }
            _ => {}
        }
        for mut w in found {
            w.path = from_inline(w.path, inline.len());
            out.push(w);
        }
        i += 1;
    }
    out
}

/// A path written `levels` inline modules deep, made relative to the file's module. Enough
/// `super`s climb out to the file (`super::x` in `mod tests` is the file's `self::x`); a path
/// that starts with `crate` means what it says anywhere; any other one names items of the
/// inline module, none of the crate's modules.
fn from_inline(path: Vec<String>, levels: usize) -> Vec<String> {
    if levels == 0 || path[0] == "crate" {
        return path;
    }
    let supers = path.iter().take_while(|s| *s == "super").count();
    if supers >= levels {
        let mut out = vec!["self".to_string()];
        out.extend(path[levels..].iter().cloned());
        return out;
    }
    vec!["<inline>".to_string()]
}

/// The path `a::b::c` that starts at token `i`, whether it is called (`(` or `!` follows),
/// and the index past it.
fn path_at(toks: &[(Tok, usize)], mut i: usize) -> (Vec<String>, bool, usize) {
    let mut path = Vec::new();
    while let Some((Tok::Ident(w), _)) = toks.get(i) {
        path.push(w.clone());
        match (toks.get(i + 1), toks.get(i + 2)) {
            (Some((Tok::Sep, _)), Some((Tok::Ident(_), _))) => i += 2,
            (Some((Tok::Punct('(' | '!'), _)), _) => return (path, true, i + 1),
            _ => return (path, false, i + 1),
        }
    }
    (path, false, i)
}

/// Reads the use tree at `i` under `prefix`, pushing each leaf's full path and line; returns
/// the index past it (past its `,` in a group; at the `;` at the top level).
fn use_tree(toks: &[(Tok, usize)], mut i: usize, prefix: &[String], out: &mut Vec<Written>) -> usize {
    let tok = |k: usize| toks.get(k).map(|t| &t.0);
    let mut path = prefix.to_vec();
    loop {
        match tok(i) {
            // `{self, ..}` is the prefix itself.
            Some(Tok::Ident(w)) if w == "self" && !path.is_empty() => i += 1,
            Some(Tok::Ident(w)) => {
                path.push(w.clone());
                i += 1;
            }
            Some(Tok::Punct('*')) => i += 1,
            Some(Tok::Punct('{')) => {
                i += 1;
                while !matches!(tok(i), Some(Tok::Punct('}')) | None) {
                    i = use_tree(toks, i, &path, out);
                }
                return past_comma(toks, i + 1);
            }
            _ => break,
        }
        if tok(i) == Some(&Tok::Sep) {
            i += 1;
        } else {
            break;
        }
    }
    if !path.is_empty() {
        out.push(Written {
            written: path.join("::"),
            path,
            line: toks[i.min(toks.len()) - 1].1,
        });
    }
    // `as name`: the alias is not part of the path.
    if matches!(tok(i), Some(Tok::Ident(w)) if w == "as") {
        i += 2;
    }
    past_comma(toks, i)
}

/// `i`, or past the `,` at `i` that ends a tree in a group.
fn past_comma(toks: &[(Tok, usize)], i: usize) -> usize {
    match toks.get(i).map(|t| &t.0) {
        Some(Tok::Punct(',')) => i + 1,
        _ => i,
    }
}
