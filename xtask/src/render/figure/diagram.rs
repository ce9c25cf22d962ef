//! Diagrams drawn as text in the chapter (pipelines, actor topologies, state machines,
//! happens-before graphs), turned into SVG by svgbob: lines in the text's colour, so they read
//! in every theme, and the art itself kept as the text alternative.

/// The art as SVG. svgbob names its arrow-head markers with fixed ids; each figure's get its
/// own prefix, so that two diagrams on a page (or the print page) share no id.
pub(super) fn draw(id: &str, label: &str, art: &str) -> String {
    let settings = svgbob::Settings {
        stroke_color: "currentColor".into(),
        fill_color: "currentColor".into(),
        background: "transparent".into(),
        font_family: "\"Source Code Pro\", ui-monospace, Menlo, Consolas, monospace".into(),
        include_backdrop: false,
        ..Default::default()
    };
    let svg = svgbob::to_svg_with_settings(&escape_words(art), &settings);
    let mut svg = svg.replacen(
        "class=\"svgbob\"",
        &format!(
            "class=\"svgbob figure-svg\" role=\"img\" aria-label=\"{}\"",
            crate::render::html::escape(label)
        ),
        1,
    );
    for marker in ["arrow", "diamond", "circle", "open_circle", "big_open_circle"] {
        svg = svg
            .replace(&format!("id=\"{marker}\""), &format!("id=\"{id}-{marker}\""))
            .replace(&format!("url(#{marker})"), &format!("url(#{id}-{marker})"));
    }
    // Indentation and line breaks would be blank-ish lines inside the page's HTML block.
    svg.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Words such as `store(Release)`, `(clone)` or `keep_primes` would come out as arcs and
/// low lines: svgbob draws `(`, `)` and `_` even inside a word. Quoting a word makes svgbob
/// set it as text; the quotes take the place of two spaces after it (or, where there is only
/// one, of the spaces either side), so every column after it stays where the author drew it.
/// svgbob sets quoted text where the opening quote is.
fn escape_words(art: &str) -> String {
    let mut out = String::with_capacity(art.len());
    for line in art.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        let chars: Vec<char> = body.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let start = i;
            while i < chars.len() && chars[i] != ' ' {
                i += 1;
            }
            if start == i {
                out.push(' ');
                i += 1;
                continue;
            }
            let word: String = chars[start..i].iter().collect();
            let space_at = |j: usize| j >= chars.len() || chars[j] == ' ';
            // How many spaces after the word the quotes take: two keep the text in its
            // column; with one, the space before goes too and the text moves one column left.
            let taken = if !needs_quotes(&word) {
                0
            } else if space_at(i) && space_at(i + 1) {
                2
            } else if start > 0 && out.ends_with(' ') && space_at(i) {
                out.pop();
                1
            } else {
                0
            };
            if taken == 0 {
                out.push_str(&word);
            } else {
                out.push('"');
                out.push_str(&word);
                out.push('"');
                i = (i + taken).min(chars.len());
            }
        }
        out.push_str(end);
    }
    out
}

/// A word with a letter or digit beside a parenthesis or an underscore: text, not drawing.
fn needs_quotes(word: &str) -> bool {
    let chars: Vec<char> = word.chars().collect();
    chars.windows(2).any(|w| {
        let (a, b) = (w[0], w[1]);
        (a.is_alphanumeric() && matches!(b, '(' | ')' | '_'))
            || (matches!(a, '(' | ')' | '_') && b.is_alphanumeric())
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn words_with_parentheses_and_underscores_are_quoted_in_place() {
        let art = "| f.store(Release) <3>|--->| keep_primes  |\n(x)\n--- ( ) _ \n";
        let escaped = super::escape_words(art);
        assert_eq!(
            escaped,
            "|\"f.store(Release)\"<3>|--->| \"keep_primes\"|\n\"(x)\"\n--- ( ) _ \n"
        );
        for (a, b) in art.lines().zip(escaped.lines()).take(1) {
            assert_eq!(a.chars().count(), b.chars().count());
        }
        let svg = super::draw("figure-a", "A box", art);
        assert!(svg.contains(">f.store(Release)</text>"), "{svg}");
        assert!(svg.contains(">keep_primes</text>"), "{svg}");
    }

    #[test]
    fn markers_are_renamed_per_figure() {
        let svg = super::draw("figure-a", "A box", "+--+    \n|  |--->\n+--+    \n");
        assert!(svg.contains("id=\"figure-a-arrow\""), "{svg}");
        assert!(!svg.contains("id=\"arrow\""), "{svg}");
        assert!(svg.contains("aria-label=\"A box\""), "{svg}");
        assert!(!svg.lines().any(|l| l.trim().is_empty()));
    }
}
