//! A listing's text as written and as compiled: hidden lines and callout markers. The
//! renderer reads the same rules, so that the page shows what the compiler saw.

/// How a block's language writes hidden lines and callout markers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Syntax {
    /// Rust: `# ` hides a line from the page, `// <1>` marks a callout.
    Rust,
    /// Any other language (TOML, shell, Python): no hidden lines, `# <1>` marks a callout.
    Hash,
}

impl Syntax {
    /// The syntax of a block whose info string names `lang`.
    pub(crate) fn of(lang: &str) -> Syntax {
        if lang == "rust" {
            Syntax::Rust
        } else {
            Syntax::Hash
        }
    }
}

/// The code as compiled: hidden lines (`# `) shown to the compiler, callout markers
/// (`// <1>`) removed. Line numbers are kept: line `n` of the code is line `n` of the block.
pub(crate) fn extract_code(text: &str, syntax: Syntax) -> String {
    let mut code = String::with_capacity(text.len());
    for line in text.lines() {
        let line = match syntax {
            Syntax::Rust => hidden_line(line).map_or(line.to_string(), |(_, l)| l),
            Syntax::Hash => line.to_string(),
        };
        let (line, _) = strip_callout(&line, syntax);
        code.push_str(line);
        code.push('\n');
    }
    code
}

/// For a Rust line: `Some((hidden, text))` when it uses the hidden-line syntax. `# x` and a
/// lone `#` are hidden; `##x` is shown as `#x` (rustdoc's escape).
pub(crate) fn hidden_line(line: &str) -> Option<(bool, String)> {
    let trimmed = line.trim_start();
    let indent = &line[..line.len() - trimmed.len()];
    if trimmed == "#" {
        Some((true, String::new()))
    } else if let Some(rest) = trimmed.strip_prefix("# ") {
        Some((true, format!("{indent}{rest}")))
    } else if trimmed.starts_with("##") {
        Some((false, format!("{indent}{}", &trimmed[1..])))
    } else {
        None
    }
}

/// Splits a trailing callout marker off a code line: `foo(); // <1>` → (`foo();`, Some(1)).
pub(crate) fn strip_callout(line: &str, syntax: Syntax) -> (&str, Option<u32>) {
    let comment = match syntax {
        Syntax::Rust => "//",
        Syntax::Hash => "#",
    };
    let trimmed = line.trim_end();
    if let Some(rest) = trimmed.strip_suffix('>')
        && let Some(open) = rest.rfind('<')
        && let Ok(n) = rest[open + 1..].parse::<u32>()
    {
        let before = rest[..open].trim_end();
        if let Some(code) = before.strip_suffix(comment) {
            return (code.trim_end(), Some(n));
        }
    }
    (line, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_lines_and_callouts() {
        let code = extract_code(
            "# use std::thread;\nfn main() { // <1>\n    ##[derive(Debug)]\n#\n}\n",
            Syntax::Rust,
        );
        assert_eq!(code, "use std::thread;\nfn main() {\n    #[derive(Debug)]\n\n}\n");
        assert_eq!(
            strip_callout("x = 1; // <12>", Syntax::Rust),
            ("x = 1;", Some(12))
        );
        assert_eq!(
            strip_callout("let v = a < b; // x <2", Syntax::Rust),
            ("let v = a < b; // x <2", None)
        );
        assert_eq!(
            strip_callout("name = \"x\" # <1>", Syntax::Hash),
            ("name = \"x\"", Some(1))
        );
    }
}
