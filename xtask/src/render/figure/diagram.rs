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
    let svg = svgbob::to_svg_with_settings(art, &settings);
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

#[cfg(test)]
mod tests {
    #[test]
    fn markers_are_renamed_per_figure() {
        let svg = super::draw("figure-a", "A box", "+--+    \n|  |--->\n+--+    \n");
        assert!(svg.contains("id=\"figure-a-arrow\""), "{svg}");
        assert!(!svg.contains("id=\"arrow\""), "{svg}");
        assert!(svg.contains("aria-label=\"A box\""), "{svg}");
        assert!(!svg.lines().any(|l| l.trim().is_empty()));
    }
}
