//! Syntax highlighting at build time, with syntect.
//!
//! Each token's style is resolved in all five of mdBook's themes, and the token gets one
//! flat span whose class names that combination (`hl-1a2b3c4d`, derived from the styles, so
//! pages are the same from build to build). The stylesheet ([`css`]) then gives each class
//! its colour in each theme. Compared with one nested span per grammar scope, this makes
//! code blocks several times smaller, which matters because mdBook re-parses, walks and
//! indexes every node of our HTML. Readers without JavaScript (the ePub) get colours too.

mod css;
mod disk_cache;

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;
use std::sync::Mutex;

use anyhow::{Context, Result};
use syntect::highlighting::{Highlighter as ThemeHighlighter, Theme, ThemeSet};
use syntect::parsing::{
    ParseState, Scope, ScopeStack, SyntaxDefinition, SyntaxReference, SyntaxSet, SyntaxSetBuilder,
};
use syntect::util::LinesWithEndings;

use super::html::{escape, escape_into};
use crate::util::lock;
use css::{Look, Looks, THEMES};
use disk_cache::{DiskCache, Highlighted};

/// A class name and the looks it stands for.
type Class = (String, Looks);

/// Loaded once and shared by every chapter and both renderers.
pub(crate) struct Highlighter {
    /// syntect's bundled grammars (shell, Python, ...), loaded lazily by syntect.
    syntaxes: SyntaxSet,
    /// Our grammars, looked up first: Rust (a leaner one than syntect's) and TOML (which
    /// syntect lacks). A set of their own, so the large bundled set is not rebuilt at every
    /// start.
    extra: SyntaxSet,
    /// The syntect themes, in [`THEMES`] order.
    themes: Vec<Theme>,
    /// Highlighted lines by (language, code): mdBook runs the preprocessor once per renderer,
    /// and the site and the ePub show the same code.
    memo: Mutex<HashMap<(String, String), Vec<String>>>,
    /// Every class handed out, and the looks it stands for: what the stylesheets describe.
    classes: Mutex<BTreeMap<String, Looks>>,
    /// Class (and looks) by scope stack: far fewer distinct stacks than tokens.
    stacks: Mutex<HashMap<Vec<Scope>, Option<Class>>>,
    /// How plain text looks in every theme: text that looks like this gets no span.
    plain: Looks,
    /// Blocks highlighted by earlier builds (see [`Highlighter::with_cache`]).
    disk: Option<DiskCache>,
}

impl Highlighter {
    pub(crate) fn new() -> Result<Highlighter> {
        let mut builder = SyntaxSetBuilder::new();
        let toml =
            SyntaxDefinition::load_from_str(include_str!("../../../assets/toml.sublime-syntax"), true, None)
                .context("loading the TOML grammar")?;
        builder.add(toml);
        // Ours, not syntect's bundled Rust grammar: it colours the same scopes in a third of
        // the time (see the grammar's header).
        let rust =
            SyntaxDefinition::load_from_str(include_str!("../../../assets/rust.sublime-syntax"), true, None)
                .context("loading the Rust grammar")?;
        builder.add(rust);
        let mut set = ThemeSet::load_defaults();
        let themes = THEMES
            .iter()
            .map(|(_, name, _)| {
                set.themes
                    .remove(*name)
                    .with_context(|| format!("syntect theme {name}"))
            })
            .collect::<Result<Vec<_>>>()?;
        let plain = std::array::from_fn(|t| Look::of(ThemeHighlighter::new(&themes[t]).get_default()));
        Ok(Highlighter {
            plain,
            syntaxes: SyntaxSet::load_defaults_newlines(),
            extra: builder.build(),
            themes,
            memo: Mutex::default(),
            classes: Mutex::default(),
            stacks: Mutex::default(),
            disk: None,
        })
    }

    /// A highlighter that reuses (and then saves) the blocks of earlier builds in `path`.
    pub(crate) fn with_cache(path: std::path::PathBuf) -> Result<Highlighter> {
        let mut h = Highlighter::new()?;
        h.disk = Some(DiskCache::open(path));
        Ok(h)
    }

    /// Writes the blocks this build used, if it has a cache and used anything new.
    pub(crate) fn save_cache(&self) -> Result<()> {
        self.disk.as_ref().map_or(Ok(()), DiskCache::save)
    }

    /// CSS for every mdBook theme, each rule under the theme's class (`.light .hl-…`), for
    /// the classes handed out so far (call it after highlighting).
    pub(crate) fn site_css(&self) -> String {
        css::site(&self.themes, &lock(&self.classes))
    }

    /// CSS for the ePub: the light theme only, unscoped.
    pub(crate) fn epub_css(&self) -> String {
        css::epub(&self.themes, &lock(&self.classes))
    }

    fn find(&self, lang: &str) -> Option<(&SyntaxSet, &SyntaxReference)> {
        let token = match lang {
            "sh" | "shell" | "console" => "bash",
            "rs" => "rust",
            "py" => "python",
            other => other,
        };
        if let Some(s) = self.extra.find_syntax_by_token(token) {
            return Some((&self.extra, s));
        }
        self.syntaxes
            .find_syntax_by_token(token)
            .map(|s| (&self.syntaxes, s))
    }

    /// Highlights `code`; returns one HTML fragment per line, each with balanced tags, so
    /// that lines can be dropped (hidden lines) or decorated (callouts) one by one. Code in a
    /// language without a grammar comes back escaped.
    pub(crate) fn lines(&self, code: &str, lang: &str) -> Vec<String> {
        let key = (lang.to_string(), code.to_string());
        if let Some(lines) = lock(&self.memo).get(&key) {
            return lines.clone();
        }
        let lines = match &self.disk {
            Some(disk) => self.through_disk(disk, code, lang),
            None => self.highlight_block(code, lang).lines,
        };
        lock(&self.memo).insert(key, lines.clone());
        lines
    }

    /// The block's lines from the last build if it kept them (with the classes they use),
    /// else highlighted now; kept for the next build either way.
    fn through_disk(&self, disk: &DiskCache, code: &str, lang: &str) -> Vec<String> {
        let key = disk.key((lang, code));
        let block = match disk.old(&key) {
            Some(block) => {
                lock(&self.classes).extend(block.classes.iter().cloned());
                block.clone()
            }
            None => self.highlight_block(code, lang),
        };
        let lines = block.lines.clone();
        disk.keep(key, block);
        lines
    }

    /// Highlights a block and notes the classes it uses.
    fn highlight_block(&self, code: &str, lang: &str) -> Highlighted {
        self.highlight(code, lang).unwrap_or_else(|| Highlighted {
            lines: code.lines().map(escape).collect(),
            classes: Vec::new(),
        })
    }

    /// The block's lines, and each class they use (in order of first use) with its looks;
    /// `None` without a grammar for `lang`, or when the grammar fails on the code.
    fn highlight(&self, code: &str, lang: &str) -> Option<Highlighted> {
        let (set, syntax) = self.find(lang)?;
        let mut block = Block {
            highlighter: self,
            set,
            parse: ParseState::new(syntax),
            stack: ScopeStack::new(),
            local: HashMap::new(),
            themes: None,
            used: Vec::new(),
        };
        let lines = LinesWithEndings::from(code)
            .map(|line| block.line(line))
            .collect::<Option<_>>()?;
        Some(Highlighted {
            lines,
            classes: block.used,
        })
    }

    /// The class for text under `scopes`, with its looks (`None` where it looks like plain
    /// text in every theme), computed once per distinct stack.
    fn class_for_stack<'a>(
        &'a self,
        scopes: &[Scope],
        themes: &mut Option<Vec<ThemeHighlighter<'a>>>,
    ) -> Option<Class> {
        if let Some(class) = lock(&self.stacks).get(scopes) {
            return class.clone();
        }
        let themes = themes.get_or_insert_with(|| self.themes.iter().map(ThemeHighlighter::new).collect());
        let looks: Looks = std::array::from_fn(|t| Look::of(themes[t].style_for_stack(scopes)));
        let class = (looks != self.plain).then(|| (self.class_for(looks), looks));
        lock(&self.stacks).insert(scopes.to_vec(), class.clone());
        class
    }

    /// The class for a combination of looks: a hash of the looks, so that the same code gets
    /// the same classes in every build.
    fn class_for(&self, looks: Looks) -> String {
        let h = crate::util::hash::fnv1a(looks.into_iter().flat_map(Look::bytes)) as u32;
        let mut classes = lock(&self.classes);
        let mut name = format!("hl-{h:08x}");
        let mut n = 1;
        while let Some(existing) = classes.get(&name) {
            if *existing == looks {
                return name;
            }
            n += 1;
            name = format!("hl-{h:08x}-{n}");
        }
        classes.insert(name.clone(), looks);
        name
    }
}

/// One block being highlighted, line by line.
struct Block<'h> {
    highlighter: &'h Highlighter,
    set: &'h SyntaxSet,
    parse: ParseState,
    stack: ScopeStack,
    /// A token's class depends only on its scope stack, and a block repeats a few dozen
    /// stacks: each is resolved once per block (and once per build in
    /// [`Highlighter::stacks`]).
    local: HashMap<Vec<Scope>, Option<usize>>,
    /// Building a theme's highlighter is not free: once per block, and only if needed.
    themes: Option<Vec<ThemeHighlighter<'h>>>,
    /// Each class the block uses, in order of first use: what [`Highlighted::classes`] holds.
    used: Vec<Class>,
}

impl Block<'_> {
    /// The next line (with its line ending) as HTML.
    fn line(&mut self, line: &str) -> Option<String> {
        let ops = self.parse.parse_line(line, self.set).ok()?;
        let text = line.trim_end_matches(['\n', '\r']);
        // Where each run of text under one scope stack starts, and its class.
        let mut segments: Vec<(usize, Option<usize>)> = Vec::new();
        let mut at = 0;
        for (offset, op) in &ops {
            let offset = (*offset).min(text.len());
            if offset > at {
                segments.push((at, self.class()));
                at = offset;
            }
            self.stack.apply(op).ok()?;
        }
        if at < text.len() {
            segments.push((at, self.class()));
        }
        Some(self.html(text, &segments))
    }

    /// The index in `used` of the class for text under the current stack.
    fn class(&mut self) -> Option<usize> {
        if let Some(class) = self.local.get(self.stack.as_slice()) {
            return *class;
        }
        let class = self
            .highlighter
            .class_for_stack(self.stack.as_slice(), &mut self.themes)
            .map(|(name, looks)| {
                self.used.iter().position(|(n, _)| *n == name).unwrap_or_else(|| {
                    self.used.push((name, looks));
                    self.used.len() - 1
                })
            });
        self.local.insert(self.stack.as_slice().to_vec(), class);
        class
    }

    /// A line of text as flat spans, one per run of a class.
    fn html(&self, text: &str, segments: &[(usize, Option<usize>)]) -> String {
        let mut html = String::new();
        let mut open: Option<usize> = None;
        for (k, &(start, class)) in segments.iter().enumerate() {
            let end = segments.get(k + 1).map_or(text.len(), |(s, _)| *s);
            let piece = &text[start..end];
            // Blank text looks the same in any colour: it joins the span around it rather
            // than closing it, unless that span underlines.
            let blank = piece.bytes().all(|b| b == b' ' || b == b'\t');
            let keep = blank && open.is_some_and(|o| !self.used[o].1.iter().any(|l| l.underline));
            if class != open && !keep {
                if open.is_some() {
                    html.push_str("</span>");
                }
                if let Some(c) = class {
                    let _ = write!(html, "<span class=\"{}\">", self.used[c].0);
                }
                open = class;
            }
            escape_into(&mut html, piece);
        }
        if open.is_some() {
            html.push_str("</span>");
        }
        html
    }
}

#[cfg(test)]
mod tests {
    use super::css::{MIN_CONTRAST, code_colours, contrast, readable};
    use super::*;

    /// Each token of `code` with the innermost scope our Rust grammar gives it, whitespace
    /// and unscoped text left out.
    fn scopes(code: &str) -> Vec<(String, String)> {
        let h = Highlighter::new().unwrap();
        let (set, syntax) = h.find("rust").unwrap();
        assert_eq!(syntax.scope.build_string(), "source.rust");
        let mut parse = ParseState::new(syntax);
        let mut stack = ScopeStack::new();
        let mut out = Vec::new();
        for line in LinesWithEndings::from(code) {
            let mut at = 0;
            let mut push = |stack: &ScopeStack, text: &str| {
                let scope = stack.as_slice().last().unwrap().build_string();
                if !text.trim().is_empty() && scope != "source.rust" {
                    out.push((text.trim().to_string(), scope));
                }
            };
            for (offset, op) in parse.parse_line(line, set).unwrap() {
                if offset > at {
                    push(&stack, &line[at..offset]);
                    at = offset;
                }
                stack.apply(&op).unwrap();
            }
            push(&stack, &line[at..]);
        }
        out
    }

    fn scope_of<'a>(tokens: &'a [(String, String)], text: &str) -> &'a str {
        tokens
            .iter()
            .find(|(t, _)| t == text)
            .map(|(_, s)| s.as_str())
            .unwrap_or_else(|| panic!("no token {text:?} in {tokens:?}"))
    }

    /// Rust with one of everything the themes colour.
    const SAMPLE: &str = concat!(
        "#[derive(Debug)]\n",
        "struct Account<'a> {\n",
        "    pub owner: &'a str,\n",
        "    balance: u64\n",
        "}\n",
        "impl Drop for Account<'_> {\n",
        "    fn drop(&mut self) {}\n",
        "}\n",
        "/// Sums.\n",
        "async fn total(items: Vec<u64>, mut limit: usize) -> Option<u64> {\n",
        "    let c = 'x'; // a char, not a lifetime\n",
        "    let raw = r#\"a \"quoted\" word\"#;\n",
        "    /* outer /* nested */ still a comment */\n",
        "    let sum: u64 = items.iter().map(|n| n * 2).sum::<u64>();\n",
        "    println!(\"{sum} and {{}}\\n\");\n",
        "    if sum > MAX_TOTAL { return None; }\n",
        "    Some(tokio::spawn(work(0x1F, 2.5e3)).await.ok()?)\n",
        "}\n",
    );

    /// A token of [`SAMPLE`] and the scope it must get.
    const EXPECTED_SCOPES: &[(&str, &str)] = &[
        ("derive", "variable.annotation.rust"),
        ("struct", "storage.type.struct.rust"),
        ("Account", "entity.name.struct.rust"),
        ("'a", "storage.modifier.lifetime.rust"),
        ("owner", "variable.other.member.rust"),
        ("balance", "variable.other.member.rust"),
        ("impl", "storage.type.impl.rust"),
        ("drop", "entity.name.function.rust"),
        ("self", "variable.parameter.rust"),
        ("Sums.", "comment.line.documentation.rust"),
        ("async", "storage.modifier.rust"),
        ("items", "variable.parameter.rust"),
        ("limit", "variable.parameter.rust"),
        ("Vec", "support.type.rust"),
        ("usize", "storage.type.rust"),
        ("let", "storage.type.rust"),
        ("x", "string.quoted.single.rust"),
        ("a char, not a lifetime", "comment.line.double-slash.rust"),
        ("a \"quoted\" word", "string.quoted.double.raw.rust"),
        ("still a comment", "comment.block.rust"),
        ("n", "variable.parameter.rust"),
        ("map", "support.function.rust"),
        ("sum", "support.function.rust"),
        ("println!", "support.macro.rust"),
        ("{sum}", "constant.other.placeholder.rust"),
        ("{{", "constant.character.escape.rust"),
        ("\\n", "constant.character.escape.rust"),
        ("if", "keyword.control.rust"),
        ("MAX_TOTAL", "constant.other.rust"),
        ("return", "keyword.control.rust"),
        ("spawn", "support.function.rust"),
        ("0x1F", "constant.numeric.integer.hexadecimal.rust"),
        ("2.5e3", "constant.numeric.float.rust"),
        ("await", "keyword.control.rust"),
        ("?", "keyword.operator.rust"),
    ];

    #[test]
    fn the_rust_grammar_names_what_the_themes_colour() {
        let t = scopes(SAMPLE);
        for (text, scope) in EXPECTED_SCOPES {
            assert_eq!(scope_of(&t, text), *scope, "{text}");
        }
        // `impl Drop for Account`: the type is named, the trait is not.
        assert_eq!(
            t.iter()
                .filter(|(_, s)| s == "entity.name.impl.rust")
                .map(|(t, _)| t.as_str())
                .collect::<Vec<_>>(),
            ["Account"]
        );
        // The raw string closed at `"#`, not at the inner quotes: `;` after it is code.
        assert!(
            !t.iter()
                .any(|(text, s)| text.contains(';') && s.starts_with("string"))
        );
    }

    /// How deeply spans nest in an HTML fragment, at most; `None` if a `</span>` closes
    /// nothing or a span is left open.
    fn span_depth(html: &str) -> Option<usize> {
        let (mut depth, mut max) = (0usize, 0);
        let mut rest = html;
        while let Some(i) = rest.find('<') {
            rest = &rest[i..];
            if rest.starts_with("</span>") {
                depth = depth.checked_sub(1)?;
            } else if rest.starts_with("<span") {
                depth += 1;
                max = max.max(depth);
            }
            rest = &rest[1..];
        }
        (depth == 0).then_some(max)
    }

    #[test]
    fn lines_are_flat_balanced_and_stable() {
        let h = Highlighter::new().unwrap();
        let lines = h.lines("/* a\nb */\nfn main() {}\n", "rust");
        assert_eq!(lines.len(), 3);
        for l in &lines {
            assert_eq!(l.matches("<span").count(), l.matches("</span>").count(), "{l}");
            assert!(
                span_depth(l).is_some_and(|d| d <= 1),
                "one span per token, none inside another: {l}"
            );
            assert!(
                !l.contains("hl-code"),
                "the block's class is markup's, not a line's: {l}"
            );
        }
        assert!(
            lines[1].starts_with("<span class=\"hl-"),
            "a comment's second line keeps its style: {}",
            lines[1]
        );
        assert_eq!(
            lines[0].split("<span").nth(1).map(|s| s.split('"').nth(1)),
            lines[1].split("<span").nth(1).map(|s| s.split('"').nth(1)),
            "the same style, the same class"
        );
        assert!(
            lines[2].contains("<span class=\"hl-"),
            "`fn` is coloured: {}",
            lines[2]
        );
        let again = Highlighter::new().unwrap().lines("fn main() {}\n", "rust");
        assert_eq!(
            again[0], lines[2],
            "classes do not depend on the order of highlighting"
        );
    }

    #[test]
    fn toml_and_unknown_languages() {
        let h = Highlighter::new().unwrap();
        let lines = h.lines("[package]\nname = \"x\"\n", "toml");
        assert!(lines[0].contains("<span class=\"hl-"), "{}", lines[0]);
        assert!(lines[1].contains("&quot;x&quot;</span>"), "{}", lines[1]);
        assert_eq!(h.lines("a < b\n", "no-such-language"), vec!["a &lt; b"]);
    }

    #[test]
    fn every_code_colour_reads_on_its_background() {
        let h = Highlighter::new().unwrap();
        h.lines(
            "// comment\nfn main() { let s = \"x\"; println!(\"{s}\"); }\n",
            "rust",
        );
        h.lines("[package]\nname = \"x\" # comment\n", "toml");
        for t in 0..THEMES.len() {
            let (bg, fg) = code_colours(&h.themes, t);
            assert!(contrast(fg, bg) >= MIN_CONTRAST, "{}: text", THEMES[t].1);
            for (name, looks) in h.classes.lock().unwrap().iter() {
                let c = contrast(readable(looks[t].fg, bg), bg);
                assert!(c >= MIN_CONTRAST, "{}: {name} is {c:.2}", THEMES[t].1);
            }
        }
        let css = h.epub_css();
        assert!(
            css.contains(".hl-code { color: ") && css.contains("background-color: #f6f8fa"),
            "{css}"
        );
        assert!(
            !css.contains("#969896"),
            "InspiredGitHub's grey comments are darkened"
        );
    }

    #[test]
    fn css_is_scoped_per_theme() {
        let h = Highlighter::new().unwrap();
        h.lines("fn main() {}\n", "rust");
        let css = h.site_css();
        for class in ["light", "rust", "coal", "navy", "ayu"] {
            assert!(css.contains(&format!(".{class} .hl-code .hl-")), "{class}");
        }
        assert!(!css.lines().any(|l| l.starts_with(".hl-")), "no unscoped rule");
    }
}
