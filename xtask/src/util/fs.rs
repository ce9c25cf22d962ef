//! Files: atomic writes and where the tools keep their state.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// Writes a file so that a crash leaves the old content or the new, never part of it: a
/// temporary file in the same directory, synced, then renamed over the original. A new file
/// is readable by everyone (as `std::fs::write` would make it under the usual umask): the
/// site and the ePub are served by other users.
pub(crate) fn write_atomic(path: &Path, content: &[u8]) -> Result<()> {
    use std::io::Write;
    use std::os::unix::fs::PermissionsExt;
    let dir = path.parent().context("a file path has a parent")?;
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut tmp =
        tempfile::NamedTempFile::new_in(dir).with_context(|| format!("writing into {}", dir.display()))?;
    tmp.write_all(content)?;
    tmp.as_file().sync_all()?;
    let permissions = match std::fs::metadata(path) {
        Ok(meta) => meta.permissions(),
        Err(_) => std::fs::Permissions::from_mode(0o644),
    };
    tmp.as_file().set_permissions(permissions)?;
    tmp.persist(path)
        .with_context(|| format!("replacing {}", path.display()))?;
    Ok(())
}

/// Cargo's target directory for the book: `CARGO_TARGET_DIR` or `<root>/target`.
pub(crate) fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() { dir } else { root.join(dir) }
        }
        None => root.join("target"),
    }
}

/// Where the tools keep a file of their own state: `<target>/xtask/<name>`. One place, so
/// that the engine, the renderer and the benchmarks name the same files.
pub(crate) fn xtask_file(root: &Path, name: &str) -> PathBuf {
    target_dir(root).join("xtask").join(name)
}
