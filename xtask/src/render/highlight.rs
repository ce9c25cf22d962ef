//! Syntax highlighting at build time, with syntect.
//!
//! Each token's style is resolved in all five of mdBook's themes, and the token gets one
//! flat span whose class names that combination (`hl-1a2b3c4d`, derived from the styles, so
//! pages are the same from build to build). The stylesheet then gives each class its colour
//! in each theme. Compared with one nested span per grammar scope, this makes code blocks
//! several times smaller, which matters because mdBook re-parses, walks and indexes every
//! node of our HTML. Readers without JavaScript (the ePub) get colours too.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;
use std::sync::Mutex;

use anyhow::{Context, Result};
use syntect::highlighting::{FontStyle, Highlighter as ThemeHighlighter, Style, Theme, ThemeSet};
use syntect::parsing::{
    ParseState, Scope, ScopeStack, SyntaxDefinition, SyntaxReference, SyntaxSet, SyntaxSetBuilder,
};
use syntect::util::LinesWithEndings;

/// mdBook's themes and the syntect theme that colours code in each, with the background code
/// sits on when it is not the syntect theme's own: InspiredGitHub's is the page's white, so
/// light code blocks get a surface of their own.
const THEMES: &[(&str, &str, Option<&str>)] = &[
    ("light", "InspiredGitHub", Some("#f6f8fa")),
    ("rust", "Solarized (light)", None),
    ("coal", "base16-eighties.dark", None),
    ("navy", "base16-ocean.dark", None),
    ("ayu", "base16-mocha.dark", None),
];

/// WCAG AA for normal text: code is read as closely as prose.
const MIN_CONTRAST: f64 = 4.5;

/// How a token looks in one theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
struct Look {
    fg: Rgb,
    bold: bool,
    italic: bool,
    underline: bool,
}

impl Look {
    fn of(style: Style) -> Look {
        Look {
            fg: (style.foreground.r, style.foreground.g, style.foreground.b),
            bold: style.font_style.contains(FontStyle::BOLD),
            italic: style.font_style.contains(FontStyle::ITALIC),
            underline: style.font_style.contains(FontStyle::UNDERLINE),
        }
    }
}

/// How a token looks in every theme, in [`THEMES`] order.
type Looks = [Look; 5];

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

/// Highlighted blocks kept between builds, under the target directory: an author's next
/// build highlights only the code that changed. Keyed by the block and the engine binary, so
/// a changed highlighter never serves old HTML.
struct DiskCache {
    path: std::path::PathBuf,
    /// From the last build.
    old: HashMap<String, Highlighted>,
    /// What this build used: what is written back (so the file never grows stale entries).
    used: Mutex<HashMap<String, Highlighted>>,
}

#[derive(Clone, serde::Serialize, serde::Deserialize)]
struct Highlighted {
    lines: Vec<String>,
    classes: Vec<(String, Looks)>,
}

impl Highlighter {
    pub(crate) fn new() -> Result<Highlighter> {
        let mut builder = SyntaxSetBuilder::new();
        let toml =
            SyntaxDefinition::load_from_str(include_str!("../../assets/toml.sublime-syntax"), true, None)
                .context("loading the TOML grammar")?;
        builder.add(toml);
        // Ours, not syntect's bundled Rust grammar: it colours the same scopes in a third of
        // the time (see the grammar's header).
        let rust =
            SyntaxDefinition::load_from_str(include_str!("../../assets/rust.sublime-syntax"), true, None)
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
        let old = std::fs::read(&path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        h.disk = Some(DiskCache {
            path,
            old,
            used: Mutex::default(),
        });
        Ok(h)
    }

    /// Writes the blocks this build used, if it has a cache and used anything new.
    pub(crate) fn save_cache(&self) -> Result<()> {
        let Some(disk) = &self.disk else { return Ok(()) };
        let used = disk.used.lock().unwrap_or_else(|e| e.into_inner());
        if used.len() == disk.old.len() && used.keys().all(|k| disk.old.contains_key(k)) {
            return Ok(());
        }
        let bytes = serde_json::to_vec(&*used)?;
        crate::util::fs::write_atomic(&disk.path, &bytes)
    }

    fn disk_key(code: &str, lang: &str) -> String {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (crate::util::hash::binary_identity(), lang, code).hash(&mut h);
        format!("{:016x}", h.finish())
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
        if let Some(lines) = self.memo.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return lines.clone();
        }
        let lines = match &self.disk {
            Some(disk) => {
                let k = Highlighter::disk_key(code, lang);
                let block = match disk.old.get(&k) {
                    Some(block) => {
                        let mut classes = self.classes.lock().unwrap_or_else(|e| e.into_inner());
                        classes.extend(block.classes.iter().cloned());
                        block.clone()
                    }
                    None => self.highlight_block(code, lang),
                };
                let lines = block.lines.clone();
                disk.used
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(k, block);
                lines
            }
            None => self.highlight_block(code, lang).lines,
        };
        self.memo
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, lines.clone());
        lines
    }

    /// Highlights a block and notes the classes it uses.
    fn highlight_block(&self, code: &str, lang: &str) -> Highlighted {
        self.highlight(code, lang).unwrap_or_else(|| Highlighted {
            lines: code.lines().map(escape).collect(),
            classes: Vec::new(),
        })
    }

    /// The block's lines, and each class they use (in order of first use) with its looks.
    fn highlight(&self, code: &str, lang: &str) -> Option<Highlighted> {
        let (set, syntax) = self.find(lang)?;
        let mut parse = ParseState::new(syntax);
        let mut stack = ScopeStack::new();
        let mut out = Vec::new();
        let mut used: Vec<(String, Looks)> = Vec::new();
        // A token's class depends only on its scope stack, and a block repeats a few dozen
        // stacks: each is resolved once per block (and once per build in `self.stacks`).
        let mut local: HashMap<Vec<Scope>, Option<usize>> = HashMap::new();
        // Building a theme's highlighter is not free: once per block, and only if needed.
        let mut highlighters: Option<Vec<ThemeHighlighter>> = None;
        let mut resolve = |stack: &ScopeStack, used: &mut Vec<(String, Looks)>| -> Option<usize> {
            if let Some(class) = local.get(stack.as_slice()) {
                return *class;
            }
            let class = self
                .class_for_stack(stack.as_slice(), &mut highlighters)
                .map(|(name, looks)| {
                    used.iter().position(|(n, _)| *n == name).unwrap_or_else(|| {
                        used.push((name, looks));
                        used.len() - 1
                    })
                });
            local.insert(stack.as_slice().to_vec(), class);
            class
        };
        for line in LinesWithEndings::from(code) {
            let ops = parse.parse_line(line, set).ok()?;
            let text = line.trim_end_matches(['\n', '\r']);
            let mut segments: Vec<(usize, Option<usize>)> = Vec::new();
            let mut at = 0;
            for (offset, op) in &ops {
                let offset = (*offset).min(text.len());
                if offset > at {
                    segments.push((at, resolve(&stack, &mut used)));
                    at = offset;
                }
                stack.apply(op).ok()?;
            }
            if at < text.len() {
                segments.push((at, resolve(&stack, &mut used)));
            }
            let mut html = String::new();
            let mut open: Option<usize> = None;
            for (k, &(start, class)) in segments.iter().enumerate() {
                let end = segments.get(k + 1).map_or(text.len(), |(s, _)| *s);
                let piece = &text[start..end];
                // Blank text looks the same in any colour: it joins the span around it
                // rather than closing it, unless that span underlines.
                let blank = piece.bytes().all(|b| b == b' ' || b == b'\t');
                let keep = blank && open.is_some_and(|o| !used[o].1.iter().any(|l| l.underline));
                if class != open && !keep {
                    if open.is_some() {
                        html.push_str("</span>");
                    }
                    if let Some(c) = class {
                        let _ = write!(html, "<span class=\"{}\">", used[c].0);
                    }
                    open = class;
                }
                escape_into(&mut html, piece);
            }
            if open.is_some() {
                html.push_str("</span>");
            }
            out.push(html);
        }
        Some(Highlighted {
            lines: out,
            classes: used,
        })
    }

    /// The class for text under `scopes`, with its looks (`None` where it looks like plain
    /// text in every theme), computed once per distinct stack.
    fn class_for_stack<'a>(
        &'a self,
        scopes: &[Scope],
        highlighters: &mut Option<Vec<ThemeHighlighter<'a>>>,
    ) -> Option<Class> {
        if let Some(class) = self.stacks.lock().unwrap_or_else(|e| e.into_inner()).get(scopes) {
            return class.clone();
        }
        let highlighters =
            highlighters.get_or_insert_with(|| self.themes.iter().map(ThemeHighlighter::new).collect());
        let looks: Looks = std::array::from_fn(|t| Look::of(highlighters[t].style_for_stack(scopes)));
        let class = (looks != self.plain).then(|| (self.class_for(looks), looks));
        self.stacks
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(scopes.to_vec(), class.clone());
        class
    }

    /// The class for a combination of looks: a hash of the looks, so that the same code gets
    /// the same classes in every build.
    fn class_for(&self, looks: Looks) -> String {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for look in &looks {
            for b in [
                look.fg.0,
                look.fg.1,
                look.fg.2,
                look.bold as u8,
                look.italic as u8,
                look.underline as u8,
            ] {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
        }
        let mut classes = self.classes.lock().unwrap_or_else(|e| e.into_inner());
        let mut name = format!("hl-{:08x}", h as u32);
        let mut n = 1;
        while let Some(existing) = classes.get(&name) {
            if *existing == looks {
                return name;
            }
            n += 1;
            name = format!("hl-{:08x}-{n}", h as u32);
        }
        classes.insert(name.clone(), looks);
        name
    }

    /// CSS for every mdBook theme, each rule under the theme's class (`.light .hl-…`), for
    /// the classes handed out so far (call it after highlighting).
    pub(crate) fn site_css(&self) -> Result<String> {
        let mut css = String::from(
            "/* Generated by `cargo xtask build` from syntect's themes; colours darkened or lightened\n   \
             where needed to reach a contrast of 4.5:1 with the code's background. */\n",
        );
        for (t, (class, _, _)) in THEMES.iter().enumerate() {
            css.push_str(&self.theme_css(t, &format!(".{class} ")));
        }
        Ok(css)
    }

    /// CSS for the ePub: the light theme only, unscoped.
    pub(crate) fn epub_css(&self) -> Result<String> {
        Ok(self.theme_css(0, ""))
    }

    /// One theme's rules: the code block's colours, then each class's.
    fn theme_css(&self, t: usize, scope: &str) -> String {
        let (bg, fg) = self.code_colours(t);
        let mut css = String::new();
        let _ = writeln!(
            css,
            "{scope}.hl-code {{ color: {}; background-color: {}; }}",
            hex(fg),
            hex(bg)
        );
        for (name, looks) in self.classes.lock().unwrap_or_else(|e| e.into_inner()).iter() {
            let look = looks[t];
            let _ = write!(
                css,
                "{scope}.hl-code .{name} {{ color: {};",
                hex(readable(look.fg, bg))
            );
            if look.bold {
                css.push_str(" font-weight: bold;");
            }
            if look.italic {
                css.push_str(" font-style: italic;");
            }
            if look.underline {
                css.push_str(" text-decoration: underline;");
            }
            css.push_str(" }\n");
        }
        css
    }

    /// The background code sits on in theme `t`, and its readable default text colour.
    fn code_colours(&self, t: usize) -> (Rgb, Rgb) {
        let settings = &self.themes[t].settings;
        let own = settings.background.map_or((255, 255, 255), |c| (c.r, c.g, c.b));
        let bg = THEMES[t].2.and_then(parse_hex).unwrap_or(own);
        let fg = settings.foreground.map_or((0, 0, 0), |c| (c.r, c.g, c.b));
        (bg, readable(fg, bg))
    }
}

type Rgb = (u8, u8, u8);

fn parse_hex(s: &str) -> Option<Rgb> {
    let h = s.strip_prefix('#')?;
    if h.len() != 6 && h.len() != 8 {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(h.get(i..i + 2)?, 16).ok();
    Some((byte(0)?, byte(2)?, byte(4)?))
}

fn hex((r, g, b): Rgb) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// WCAG 2 relative luminance.
fn luminance((r, g, b): Rgb) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}

/// WCAG 2 contrast ratio, from 1 to 21.
fn contrast(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// `fg`, mixed towards black or white in small steps until it reads on `bg`.
fn readable(fg: Rgb, bg: Rgb) -> Rgb {
    let target = if luminance(bg) > 0.18 { 0.0 } else { 255.0 };
    let mix = |c: u8, t: f64| (f64::from(c) + (target - f64::from(c)) * t).round() as u8;
    let mut t = 0.0;
    let mut c = fg;
    // A little above the threshold, so rounding in a browser never lands below it.
    while contrast(c, bg) < MIN_CONTRAST + 0.05 && t < 1.0 {
        t += 0.02;
        c = (mix(fg.0, t), mix(fg.1, t), mix(fg.2, t));
    }
    c
}

/// Escapes text for HTML and XHTML.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

/// [`escape`], appending to `out`.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
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

    #[test]
    fn the_rust_grammar_names_what_the_themes_colour() {
        let t = scopes(concat!(
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
        ));
        for (text, scope) in [
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
        ] {
            assert_eq!(scope_of(&t, text), scope, "{text}");
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

    #[test]
    fn lines_are_flat_balanced_and_stable() {
        let h = Highlighter::new().unwrap();
        let lines = h.lines("/* a\nb */\nfn main() {}\n", "rust");
        assert_eq!(lines.len(), 3);
        for l in &lines {
            assert_eq!(l.matches("<span").count(), l.matches("</span>").count(), "{l}");
            assert!(
                !l.contains("<span class=\"hl-") || !l.contains("<span class=\"hl-code"),
                "{l}"
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
    fn a_second_build_reuses_highlighted_blocks() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("highlight.json");
        let first = Highlighter::with_cache(path.clone()).unwrap();
        let lines = first.lines("fn main() {}\n", "rust");
        first.save_cache().unwrap();
        let css = first.site_css().unwrap();
        let second = Highlighter::with_cache(path).unwrap();
        assert!(second.disk.as_ref().unwrap().old.len() == 1);
        assert_eq!(second.lines("fn main() {}\n", "rust"), lines);
        assert_eq!(
            second.site_css().unwrap(),
            css,
            "the classes come back with the block"
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
            let (bg, fg) = h.code_colours(t);
            assert!(contrast(fg, bg) >= MIN_CONTRAST, "{}: text", THEMES[t].1);
            for (name, looks) in h.classes.lock().unwrap().iter() {
                let c = contrast(readable(looks[t].fg, bg), bg);
                assert!(c >= MIN_CONTRAST, "{}: {name} is {c:.2}", THEMES[t].1);
            }
        }
        let css = h.epub_css().unwrap();
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
    fn readable_keeps_colours_that_already_read() {
        assert_eq!(
            readable((0x32, 0x32, 0x32), (0xff, 0xff, 0xff)),
            (0x32, 0x32, 0x32)
        );
        let darker = readable((0x96, 0x98, 0x96), (0xf6, 0xf8, 0xfa));
        assert!(contrast(darker, (0xf6, 0xf8, 0xfa)) >= MIN_CONTRAST);
        let lighter = readable((0x65, 0x73, 0x7e), (0x2b, 0x30, 0x3b));
        assert!(lighter.0 > 0x65 && contrast(lighter, (0x2b, 0x30, 0x3b)) >= MIN_CONTRAST);
    }

    #[test]
    fn css_is_scoped_per_theme() {
        let h = Highlighter::new().unwrap();
        h.lines("fn main() {}\n", "rust");
        let css = h.site_css().unwrap();
        for class in ["light", "rust", "coal", "navy", "ayu"] {
            assert!(css.contains(&format!(".{class} .hl-code .hl-")), "{class}");
        }
        assert!(!css.lines().any(|l| l.starts_with(".hl-")), "no unscoped rule");
    }
}
