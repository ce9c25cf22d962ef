//! GitHub Actions: where a contributor looks at a pull request. When the engine runs in a
//! workflow (`GITHUB_ACTIONS=true`), each failure is also printed as an `::error` workflow
//! command on its chapter line, which GitHub shows on the pull request's diff, and the
//! failing listings with their diffs are appended to the job summary (the Markdown file
//! named by `GITHUB_STEP_SUMMARY`). Anywhere else nothing changes.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};

/// The workflow the engine runs in.
pub(crate) struct GitHub {
    /// The job summary file, when GitHub gives one.
    summary: Option<PathBuf>,
}

/// One failure, as the reporter describes it.
pub(crate) struct Failed<'a> {
    pub(crate) id: &'a str,
    /// "Listing 3-1".
    pub(crate) name: String,
    /// The chapter, relative to the repository: `src/ch03-rayon.md`.
    pub(crate) path: &'a str,
    pub(crate) line: usize,
    pub(crate) reason: &'a str,
    /// The detail as plain text: a diff, the compiler's messages.
    pub(crate) detail: String,
}

impl GitHub {
    /// The workflow, when the variables GitHub sets say there is one.
    pub(crate) fn from_env() -> Option<GitHub> {
        (std::env::var("GITHUB_ACTIONS").as_deref() == Ok("true")).then(|| GitHub {
            summary: std::env::var_os("GITHUB_STEP_SUMMARY")
                .filter(|p| !p.is_empty())
                .map(PathBuf::from),
        })
    }

    /// The `::error` command that annotates the chapter line of a failure.
    pub(crate) fn annotation(failed: &Failed) -> String {
        let mut message = format!("listing `{}` {}", failed.id, failed.reason);
        if !failed.detail.trim().is_empty() {
            message.push('\n');
            message.push_str(failed.detail.trim_end());
        }
        format!(
            "::error file={},line={},title={}::{}\n",
            property(failed.path),
            failed.line,
            property(&format!("{} ({})", failed.name, failed.id)),
            data(&message)
        )
    }

    /// Appends the run to the job summary: the counts, then each failure with its detail.
    pub(crate) fn summarise(&self, counts: &str, failures: &[Failed]) -> Result<()> {
        let Some(path) = &self.summary else {
            return Ok(());
        };
        let mut md = format!("### Listings: {counts}\n\n");
        for f in failures {
            md.push_str(&format!(
                "#### `{}` ({}, `{}:{}`) {}\n\n",
                f.id, f.name, f.path, f.line, f.reason
            ));
            if !f.detail.trim().is_empty() {
                let lang = if f
                    .detail
                    .lines()
                    .any(|l| l.starts_with("- ") || l.starts_with("+ "))
                {
                    "diff"
                } else {
                    "text"
                };
                let fence = "`".repeat(longest_backtick_run(&f.detail).max(2) + 1);
                md.push_str(&format!("{fence}{lang}\n{}\n{fence}\n\n", f.detail.trim_end()));
            }
        }
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .with_context(|| format!("opening the job summary {}", path.display()))?;
        file.write_all(md.as_bytes())
            .with_context(|| format!("writing the job summary {}", path.display()))
    }
}

/// A fence longer than any run of backticks in the text, so the text cannot close it.
fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// A workflow command's message, escaped as GitHub's toolkit escapes it.
fn data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A workflow command's property value: also no `:` or `,`, which end it.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_annotation_is_one_line_with_its_properties_escaped() {
        let failed = Failed {
            id: "greet",
            name: "Listing 1-2".into(),
            path: "src/a,b.md",
            line: 21,
            reason: "printed something else",
            detail: "- 100%\n+ 99%\n".into(),
        };
        assert_eq!(
            GitHub::annotation(&failed),
            "::error file=src/a%2Cb.md,line=21,title=Listing 1-2 (greet)::listing `greet` printed something else%0A- 100%25%0A+ 99%25\n"
        );
    }
}
