//! What is written into the output once the renderers are done: the sitemap, and the modes
//! that let a web server (another user) read every file.

use std::fmt::Write;
use std::path::Path;

use anyhow::{Context, Result};

use super::html::escape;
use crate::book::Book;

/// `sitemap.xml` for a site served at `site_url` (an absolute `https://` address, from
/// `book.toml`'s `output.html.site-url`): the home page and every chapter. `None` when the
/// site's address is not known, as a sitemap holds absolute addresses only.
pub(crate) fn sitemap(book: &Book, site_url: &str) -> Option<String> {
    if !site_url.starts_with("https://") && !site_url.starts_with("http://") {
        return None;
    }
    let base = format!("{}/", site_url.trim_end_matches('/'));
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let _ = writeln!(xml, "  <url><loc>{}</loc></url>", escape(&base));
    for chapter in &book.chapters {
        if let Some(page) = chapter
            .path
            .strip_prefix("src/")
            .and_then(|p| p.strip_suffix(".md"))
        {
            let _ = writeln!(
                xml,
                "  <url><loc>{}{}.html</loc></url>",
                escape(&base),
                escape(page)
            );
        }
    }
    xml.push_str("</urlset>\n");
    Some(xml)
}

/// Gives everything under `dir` the modes of a published site: 0755 directories, 0644
/// files, whatever the umask or an earlier build left (mdBook creates files with the
/// process's umask; a file written once with 0600 would otherwise keep it).
pub(crate) fn world_readable(dir: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.with_context(|| format!("walking {}", dir.display()))?;
        let mode = if entry.file_type().is_dir() {
            0o755
        } else if entry.file_type().is_file() {
            0o644
        } else {
            continue;
        };
        std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(mode))
            .with_context(|| format!("making {} readable", entry.path().display()))?;
    }
    Ok(())
}
