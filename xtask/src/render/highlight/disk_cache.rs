//! Highlighted blocks kept between builds (see [`crate::util::disk_cache`]).

/// A highlighted block: what a page shows, and what the stylesheet must describe for it.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub(super) struct Highlighted {
    /// One HTML fragment per line of the code.
    pub(super) lines: Vec<String>,
    /// Each class the lines use, in order of first use, with its looks.
    pub(super) classes: Vec<(String, super::css::Looks)>,
}

/// The blocks of the last build, and the ones this build used.
pub(super) type DiskCache = crate::util::disk_cache::DiskCache<Highlighted>;

#[cfg(test)]
mod tests {
    use super::super::Highlighter;

    #[test]
    fn a_second_build_reuses_highlighted_blocks() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("highlight.json");
        let first = Highlighter::with_cache(path.clone()).unwrap();
        let lines = first.lines("fn main() {}\n", "rust");
        first.save_cache().unwrap();
        let css = first.site_css();
        let second = Highlighter::with_cache(path.clone()).unwrap();
        assert!(second.disk.as_ref().unwrap().old_len() == 1);
        assert_eq!(second.lines("fn main() {}\n", "rust"), lines);
        assert_eq!(second.site_css(), css, "the classes come back with the block");

        // Highlighting again would give the same lines: only an entry no highlighter makes
        // shows that the block was read from the file.
        let mut entries: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let entry = entries.as_object_mut().unwrap().values_mut().next().unwrap();
        let look = entry["classes"][0][1].clone();
        entry["lines"] = serde_json::json!(["<span class=\"hl-doctored\">fn</span> main() {}"]);
        entry["classes"] = serde_json::json!([["hl-doctored", look]]);
        std::fs::write(&path, serde_json::to_vec(&entries).unwrap()).unwrap();
        let third = Highlighter::with_cache(path).unwrap();
        assert_eq!(
            third.lines("fn main() {}\n", "rust"),
            ["<span class=\"hl-doctored\">fn</span> main() {}"],
            "the block is served from the cache"
        );
        assert!(
            third.site_css().contains(".hl-code .hl-doctored {"),
            "its classes are described: {}",
            third.site_css()
        );
    }
}
