//! Stand-ins: the site's heavy HTML (highlighted code, recorded output, inline SVG) handed to
//! mdBook as a placeholder holding only the fragment's text, and put back into the pages mdBook
//! wrote.
//!
//! mdBook parses every HTML block of a chapter into a tree, walks it for the search index and
//! the print page, and writes it out again: its cost grows with the number of elements, and a
//! highlighted chapter has ten times as many as the plain one (a span per token, a span per
//! line). None of those elements needs mdBook: they hold no heading, no link and no id that
//! the print page would rename (a diagram's marker ids are prefixed with its figure's id, so
//! they are unique in the book). The placeholder keeps the fragment's text, so the search
//! index reads what it read before.

use std::path::Path;
use std::sync::Mutex;

use anyhow::{Context, Result, bail};

use crate::util::lock;

const OPEN: &str = "<span data-fill=\"";
const CLOSE: &str = "</span>";

/// The fragments of one site build, by number.
#[derive(Default)]
pub(crate) struct Fills {
    fragments: Mutex<Vec<String>>,
}

impl Fills {
    /// `html` with the contents of its code blocks (`<code class="nohighlight…">`) and its
    /// `<svg>` pictures replaced by placeholders.
    pub(crate) fn stand_in(&self, html: &str) -> String {
        let mut out = String::with_capacity(html.len() / 4);
        let mut rest = html;
        loop {
            let code = rest.find("<code class=\"nohighlight");
            let svg = rest.find("<svg");
            match (code, svg) {
                (Some(c), s) if s.is_none_or(|s| c < s) => {
                    let Some(start_end) = rest[c..].find('>').map(|i| c + i + 1) else {
                        break;
                    };
                    let Some(inner_end) = rest[start_end..].find("</code>").map(|i| start_end + i) else {
                        break;
                    };
                    out.push_str(&rest[..start_end]);
                    self.placeholder(&mut out, &rest[start_end..inner_end], true);
                    rest = &rest[inner_end..];
                }
                (_, Some(s)) => {
                    let Some(end) = rest[s..].find("</svg>").map(|i| s + i + "</svg>".len()) else {
                        break;
                    };
                    out.push_str(&rest[..s]);
                    self.placeholder(&mut out, &rest[s..end], false);
                    rest = &rest[end..];
                }
                _ => break,
            }
        }
        out.push_str(rest);
        out
    }

    /// Keeps `fragment` and writes its placeholder: its text on one line (a blank line would
    /// end mdBook's HTML block) when `searchable`, else nothing.
    fn placeholder(&self, out: &mut String, fragment: &str, searchable: bool) {
        let n = {
            let mut fragments = lock(&self.fragments);
            fragments.push(fragment.to_string());
            fragments.len() - 1
        };
        out.push_str(OPEN);
        out.push_str(&n.to_string());
        out.push_str("\">");
        if searchable {
            // mdBook's search index puts a space where an element opens; so does this, and
            // the index gets the words it got from the fragment itself.
            let mut in_tag = false;
            let mut chars = fragment.chars().peekable();
            while let Some(c) = chars.next() {
                match c {
                    '<' => {
                        in_tag = true;
                        if chars.peek() != Some(&'/') {
                            out.push(' ');
                        }
                    }
                    '>' => in_tag = false,
                    '\n' if !in_tag => out.push(' '),
                    c if !in_tag => out.push(c),
                    _ => {}
                }
            }
        }
        out.push_str(CLOSE);
    }

    /// Puts every fragment back into the HTML pages under `dir` (chapter pages, the print
    /// page, the index page mdBook copies from the first chapter), on every core.
    pub(crate) fn apply(&self, dir: &Path) -> Result<()> {
        use rayon::prelude::*;
        let fragments = lock(&self.fragments);
        if fragments.is_empty() {
            return Ok(());
        }
        let pages: Vec<_> = walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "html"))
            .map(walkdir::DirEntry::into_path)
            .collect();
        pages.par_iter().try_for_each(|page| {
            let html =
                std::fs::read_to_string(page).with_context(|| format!("reading {}", page.display()))?;
            if !html.contains(OPEN) {
                return Ok(());
            }
            let filled = fill(&html, &fragments).with_context(|| format!("in {}", page.display()))?;
            std::fs::write(page, filled).with_context(|| format!("writing {}", page.display()))
        })
    }
}

/// `html` with each placeholder replaced by its fragment.
fn fill(html: &str, fragments: &[String]) -> Result<String> {
    let mut out = String::with_capacity(html.len() * 3);
    let mut rest = html;
    while let Some(at) = rest.find(OPEN) {
        out.push_str(&rest[..at]);
        let after = &rest[at + OPEN.len()..];
        let Some((number, text)) = after.split_once("\">") else {
            bail!("a placeholder that mdBook did not write back whole");
        };
        let Some(fragment) = number.parse::<usize>().ok().and_then(|n| fragments.get(n)) else {
            bail!("placeholder {number:?} stands for no fragment of this build");
        };
        let Some(end) = text.find(CLOSE) else {
            bail!("placeholder {number} is not closed");
        };
        out.push_str(fragment);
        rest = &text[end + CLOSE.len()..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BLOCK: &str = "<div class=\"listing\" id=\"listing-a\"><pre class=\"listing\"><code class=\"nohighlight hl-code\" data-lang=\"rust\"><span class=\"line\"><span class=\"hl-1\">fn</span> main() {}</span>\n<span class=\"line\"></span>\n<span class=\"line\">a &lt; b</span>\n</code></pre><figcaption><code>x</code></figcaption><svg class=\"figure-svg\"><text>axis</text></svg></div>";

    #[test]
    fn heavy_parts_become_one_line_placeholders_with_their_text_and_come_back_whole() {
        let fills = Fills::default();
        let light = fills.stand_in(BLOCK);
        assert_eq!(
            light,
            "<div class=\"listing\" id=\"listing-a\"><pre class=\"listing\"><code class=\"nohighlight hl-code\" data-lang=\"rust\"><span data-fill=\"0\">  fn main() {}    a &lt; b </span></code></pre><figcaption><code>x</code></figcaption><span data-fill=\"1\"></span></div>"
        );
        assert!(
            !light.contains('\n'),
            "no line, so no blank line, in the placeholder"
        );
        let dir = tempfile::tempdir().unwrap();
        let page = dir.path().join("ch01.html");
        std::fs::write(&page, format!("<main>{light}</main>")).unwrap();
        std::fs::write(
            dir.path().join("print.html"),
            format!("<main>{light}{light}</main>"),
        )
        .unwrap();
        fills.apply(dir.path()).unwrap();
        assert_eq!(
            std::fs::read_to_string(&page).unwrap(),
            format!("<main>{BLOCK}</main>")
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("print.html")).unwrap(),
            format!("<main>{BLOCK}{BLOCK}</main>")
        );
    }

    #[test]
    fn a_placeholder_for_nothing_is_an_error() {
        let fills = Fills::default();
        fills.stand_in(BLOCK);
        assert!(fill("<span data-fill=\"7\">x</span>", &lock(&fills.fragments)).is_err());
        assert!(fill("<span data-fill=\"0\">x", &lock(&fills.fragments)).is_err());
    }
}
