//! The listings archive: every listing's crate in one `.tar.gz` on the site, with a
//! workspace manifest and `Cargo.lock`, so that a reader who extracts it can `cargo run -p
//! ID` without cloning the repository. Releases attach the same file.
//!
//! The archive is reproducible: the same book gives the same bytes. Entries are sorted,
//! every entry has the same modification time, owner and mode (0644 files, 0755
//! directories), and the gzip header carries no time or name.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{Context, Result};

use crate::book::Book;

/// What the archive holds, by path inside its top directory: given by the caller, because
/// how a listing becomes a crate is the listings layer's business, not the renderer's.
pub(crate) type CrateFiles = fn(&Book) -> Result<BTreeMap<String, Vec<u8>>>;

/// The modification time of every entry: the epoch, so that building the book again, on
/// another day or machine, gives the same bytes.
const MTIME: u64 = 0;

/// The archive's file name on the site and its top directory: `concurrent-rust-listings`
/// for "Concurrent Rust".
pub(crate) fn stem(title: &str) -> String {
    format!("{}-listings", super::epub::file_stem(title))
}

/// Writes `files` as `<stem>/<path>` entries of a gzipped tar at `path`.
pub(crate) fn write(path: &Path, stem: &str, files: &BTreeMap<String, Vec<u8>>) -> Result<()> {
    let bytes = archive(stem, files).context("making the listings archive")?;
    crate::util::fs::write_atomic(path, &bytes).with_context(|| format!("writing {}", path.display()))
}

/// The archive's bytes.
fn archive(stem: &str, files: &BTreeMap<String, Vec<u8>>) -> Result<Vec<u8>> {
    let gz = flate2::GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), flate2::Compression::best());
    let mut tar = tar::Builder::new(gz);
    let mut dirs = BTreeSet::from([String::new()]);
    for path in files.keys() {
        let mut at = path.as_str();
        while let Some((parent, _)) = at.rsplit_once('/') {
            dirs.insert(format!("{parent}/"));
            at = parent;
        }
    }
    // Directories first, so that an extractor creates each with its mode before its files.
    for dir in &dirs {
        let mut header = header(tar::EntryType::Directory, 0o755, 0);
        tar.append_data(&mut header, format!("{stem}/{dir}"), std::io::empty())?;
    }
    for (path, content) in files {
        let mut header = header(tar::EntryType::Regular, 0o644, content.len() as u64);
        tar.append_data(&mut header, format!("{stem}/{path}"), content.as_slice())?;
    }
    Ok(tar.into_inner()?.finish()?)
}

/// A header with nothing of the machine in it: owner 0, no user or group name, fixed time.
fn header(kind: tar::EntryType, mode: u32, size: u64) -> tar::Header {
    let mut header = tar::Header::new_ustar();
    header.set_entry_type(kind);
    header.set_mode(mode);
    header.set_size(size);
    header.set_mtime(MTIME);
    header.set_uid(0);
    header.set_gid(0);
    header
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_files_give_the_same_bytes_with_directories_first() {
        let files: BTreeMap<String, Vec<u8>> = [
            ("listings/one/hello/src/main.rs", "fn main() {}\n"),
            ("Cargo.toml", "[workspace]\n"),
        ]
        .into_iter()
        .map(|(p, c)| (p.to_string(), c.as_bytes().to_vec()))
        .collect();
        let bytes = archive("x-listings", &files).unwrap();
        assert_eq!(bytes, archive("x-listings", &files).unwrap());
        let mut read = tar::Archive::new(flate2::read::GzDecoder::new(bytes.as_slice()));
        let entries: Vec<(String, u32, u64)> = read
            .entries()
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                let h = e.header();
                (
                    e.path().unwrap().to_string_lossy().into_owned(),
                    h.mode().unwrap(),
                    h.mtime().unwrap(),
                )
            })
            .collect();
        let names: Vec<&str> = entries.iter().map(|(n, _, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "x-listings/",
                "x-listings/listings/",
                "x-listings/listings/one/",
                "x-listings/listings/one/hello/",
                "x-listings/listings/one/hello/src/",
                "x-listings/Cargo.toml",
                "x-listings/listings/one/hello/src/main.rs",
            ]
        );
        assert!(entries.iter().all(|(n, mode, mtime)| {
            *mtime == MTIME && *mode == if n.ends_with('/') { 0o755 } else { 0o644 }
        }));
    }
}
