//! HTML pieces written in one place: escaping, badges and callout marks. The site and the
//! ePub (XHTML) share them, so each is valid in both.

use std::fmt::Display;

/// Escapes text for HTML and XHTML.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

/// [`escape`], appending to `out`: the highlighter escapes token by token into one line.
pub(crate) fn escape_into(out: &mut String, text: &str) {
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

/// How a badge reads: its colour in the theme's stylesheets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tone {
    /// Does not compile, panics, exits with a failure.
    Error,
    /// Stopped by the engine.
    Warn,
    /// A fact about how the run was checked.
    Info,
}

/// A badge: a short label on a listing's caption or an output's header.
pub(crate) fn badge(text: &str, tone: Tone) -> String {
    let kind = match tone {
        Tone::Error => "error",
        Tone::Warn => "warn",
        Tone::Info => "info",
    };
    format!("<span class=\"badge badge-{kind}\">{}</span>", escape(text))
}

/// Where a callout mark stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CalloutAt {
    /// At the end of a line of code (`// <1>` in the chapter).
    Code,
    /// In prose, pointing at the mark in the code (`<1>` in the chapter).
    Prose,
}

/// A callout mark: the same badge in code and in prose, so a reader matches them by eye.
pub(crate) fn callout(n: impl Display, at: CalloutAt) -> String {
    let class = match at {
        CalloutAt::Code => "callout",
        CalloutAt::Prose => "callout callout-ref",
    };
    format!("<span class=\"{class}\" title=\"callout {n}\">{n}</span>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_are_escaped() {
        assert_eq!(
            escape(r#"<a href="x">&'"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
