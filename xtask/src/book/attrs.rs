//! The attributes of a listing block and of an output block: which exist, what values they
//! take, and the values they give.

use std::fmt::Display;
use std::ops::RangeInclusive;
use std::str::FromStr;
use std::time::Duration;

use super::finding::Finding;
use super::pattern::Expected;
use super::rules::{check_id, check_path};
use super::scan::{Attr, Block, split_args};
use super::{DEFAULT_TIMEOUT, OutputBlock, SourceFile, Stream};

const LISTING_ATTRS: &[&str] = &[
    "listing",
    "caption",
    "file",
    "compile_fail",
    "exclusive",
    "no_run",
    "tab",
    "base",
];
const OUTPUT_ATTRS: &[&str] = &[
    "exit",
    "kill-after",
    "timeout",
    "args",
    "env",
    "stream",
    "unordered",
    "runs",
    "bin",
    "compiler",
    "show-times",
    "with",
];

/// A `rust`, `toml` or `text` (a data file) block is a listing's when it says `listing=`; one with other attributes
/// but no `listing=` is a mistake (see [`not_a_listing`]).
pub(crate) fn is_listing(block: &Block) -> bool {
    matches!(block.lang.as_str(), "rust" | "toml" | "text")
        && block.attrs.iter().any(|attr| attr.key == "listing")
}

/// What is wrong with a `rust` block that has attributes but no `listing=`, if anything: it
/// would never be compiled.
pub(crate) fn not_a_listing(block: &Block) -> Option<Finding> {
    if block.attrs.is_empty() || block.lang != "rust" {
        return None;
    }
    let keys: Vec<_> = block.attrs.iter().map(|attr| attr.key.as_str()).collect();
    Some(match keys.iter().find(|k| !LISTING_ATTRS.contains(k)) {
        Some(k) => unknown_attr(k, LISTING_ATTRS),
        None => Finding::new(format!(
            "`{}` needs `listing=ID`; a rust block without it is never compiled",
            keys[0]
        )),
    })
}

/// A block of a listing, read: the listing's id, the file it gives, and the attributes only a
/// listing's first block may set.
pub(crate) struct ListingBlock {
    pub(crate) id: String,
    pub(crate) file: SourceFile,
    pub(crate) flags: ListingFlags,
}

/// The attributes of a listing that only its first block may set.
#[derive(Default)]
pub(crate) struct ListingFlags {
    pub(crate) caption: Option<String>,
    pub(crate) compile_fail: bool,
    pub(crate) exclusive: bool,
    pub(crate) no_run: bool,
    pub(crate) tab: Option<String>,
    /// `base=ID`: the earlier listing this one changes, whose diff the page shows.
    pub(crate) base: Option<String>,
    /// Whether the block sets any of the above, which a later block of a listing may not.
    pub(crate) sets_first_block_attrs: bool,
}

impl ListingFlags {
    fn set(&mut self, attr: &Attr) -> Result<(), Finding> {
        match attr.key.as_str() {
            "caption" => self.caption = Some(non_empty(attr)?),
            "tab" => self.tab = Some(non_empty(attr)?),
            "base" => {
                let id = non_empty(attr)?;
                check_id(&id)?;
                self.base = Some(id);
            }
            "compile_fail" => self.compile_fail = flag(attr)?,
            "exclusive" => self.exclusive = flag(attr)?,
            "no_run" => self.no_run = flag(attr)?,
            k => return Err(unknown_attr(k, LISTING_ATTRS)),
        }
        self.sets_first_block_attrs = true;
        Ok(())
    }
}

/// Reads a block that has `listing=`; `line` is its opening fence's.
pub(crate) fn listing_block(block: &Block, line: usize) -> Result<ListingBlock, Finding> {
    let mut id = None;
    let mut path = None;
    let mut flags = ListingFlags::default();
    let mut seen = Vec::new();
    for attr in &block.attrs {
        first_use(&mut seen, attr)?;
        match attr.key.as_str() {
            "listing" => id = Some(non_empty(attr)?),
            "file" => path = Some(non_empty(attr)?),
            _ => flags.set(attr)?,
        }
    }
    let id = id.expect("listing blocks have `listing=`");
    check_id(&id)?;
    if block.lang == "text" {
        match &path {
            None => {
                return Err(Finding::new(
                    "a `text` block of a listing is a data file of its crate: name it with `file=` (`file=data/words.txt`)",
                ));
            }
            Some(p) if p.ends_with(".rs") || p.ends_with(".toml") => {
                return Err(Finding::new(format!(
                    "`{p}` is code, not data: write it in a `rust` or `toml` block"
                )));
            }
            Some(_) => {}
        }
    }
    let path = path.unwrap_or_else(|| "src/main.rs".to_string());
    check_path(&path)?;
    if block.lang == "toml" && !path.ends_with(".toml") {
        return Err(Finding::new(format!(
            "a `toml` block holds a `.toml` file, not `{path}`"
        )));
    }
    let lang = if path.ends_with(".toml") {
        "toml"
    } else {
        block.lang.as_str()
    };
    let file = SourceFile {
        code: super::code::extract_code(&block.text, super::code::Syntax::of(lang)),
        path,
        lang: lang.to_string(),
        line,
        raw: block.text.clone(),
    };
    Ok(ListingBlock { id, file, flags })
}

/// Reads an `output` block; `line` is its opening fence's, `stdin` the text of the `stdin`
/// block before it.
pub(crate) fn output_block(
    block: &Block,
    line: usize,
    stdin: Option<String>,
) -> Result<OutputBlock, Finding> {
    let run = RunAttrs::read(&block.attrs)?;
    let timeout = run.timeout()?;
    let expected = Expected::parse(&block.text)?;
    if run.unordered && expected.has_sections() {
        return Err(Finding::new(
            "an `unordered` block has no order to divide into sections: drop `unordered`, and put `[any order]` ... `[end]` around the lines that come in any order",
        ));
    }
    Ok(OutputBlock {
        line,
        content: block.content.clone(),
        indent: block.indent.clone(),
        expected,
        exit: run.exit.unwrap_or(0),
        kill_after: run.kill_after,
        timeout,
        args: run.args,
        env: run.env,
        stream: run.stream.unwrap_or(Stream::Both),
        unordered: run.unordered,
        runs: run.runs.unwrap_or(1),
        bin: run.bin,
        stdin,
        compiler: run.compiler,
        show_times: run.show_times,
        with: run.with,
    })
}

/// An output block's attributes as given; `None` is "not given".
#[derive(Default)]
struct RunAttrs {
    exit: Option<i32>,
    kill_after: Option<Duration>,
    timeout: Option<Duration>,
    args: Vec<String>,
    env: Vec<(String, String)>,
    stream: Option<Stream>,
    unordered: bool,
    runs: Option<u32>,
    bin: Option<String>,
    compiler: bool,
    show_times: bool,
    with: Vec<String>,
}

impl RunAttrs {
    fn read(attrs: &[Attr]) -> Result<RunAttrs, Finding> {
        let mut run = RunAttrs::default();
        let mut seen = Vec::new();
        for attr in attrs {
            first_use(&mut seen, attr)?;
            run.set(attr)?;
        }
        Ok(run)
    }

    fn set(&mut self, attr: &Attr) -> Result<(), Finding> {
        match attr.key.as_str() {
            "exit" => self.exit = Some(exit_code(value(attr)?)?),
            "kill-after" => self.kill_after = Some(duration(value(attr)?)?),
            "timeout" => self.timeout = Some(duration(value(attr)?)?),
            "args" => self.args = split_args(value(attr)?).map_err(|e| format!("malformed `args`: {e}"))?,
            "env" => self.env = env_pairs(value(attr)?)?,
            "stream" => self.stream = Some(stream(value(attr)?)?),
            "unordered" => self.unordered = flag(attr)?,
            "runs" => self.runs = Some(runs(value(attr)?)?),
            "bin" => self.bin = Some(value(attr)?.to_string()),
            "compiler" => self.compiler = flag(attr)?,
            "show-times" => self.show_times = flag(attr)?,
            "with" => {
                let paths = split_args(value(attr)?).map_err(|e| format!("malformed `with`: {e}"))?;
                if let Some(bad) = paths.iter().find(|p| check_path(p).is_err()) {
                    return Err(Finding::new(format!(
                        "`with={bad}` must name a file of the listing, such as `data/words.txt`"
                    )));
                }
                self.with = paths;
            }
            k => return Err(unknown_attr(k, OUTPUT_ATTRS)),
        }
        Ok(())
    }

    /// The run's time limit. A `kill-after` run gets five seconds past its kill unless the
    /// block says otherwise, so that the kill, not the limit, ends it.
    fn timeout(&self) -> Result<Duration, Finding> {
        let Some(kill) = self.kill_after else {
            return Ok(self.timeout.unwrap_or(DEFAULT_TIMEOUT));
        };
        if self.exit.is_some() {
            return Err("`kill-after` and `exit` contradict: a killed program has no exit status".into());
        }
        match self.timeout {
            None => Ok(DEFAULT_TIMEOUT.max(kill + Duration::from_secs(5))),
            Some(timeout) if kill >= timeout => Err("`kill-after` must be shorter than `timeout`".into()),
            Some(timeout) => Ok(timeout),
        }
    }
}

fn exit_code(v: &str) -> Result<i32, Finding> {
    integer_in(v, 0..=255).map_err(|range| format!("malformed exit code `{v}`: {range}").into())
}

fn runs(v: &str) -> Result<u32, Finding> {
    integer_in(v, 1..=1000).map_err(|range| format!("malformed `runs={v}`: {range}").into())
}

/// `v` as an integer in `range`; the error says what is allowed, for the caller's message.
fn integer_in<T>(v: &str, range: RangeInclusive<T>) -> Result<T, String>
where
    T: FromStr + PartialOrd + Display,
{
    v.parse::<T>()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or_else(|| format!("an integer from {} to {}", range.start(), range.end()))
}

fn env_pairs(v: &str) -> Result<Vec<(String, String)>, Finding> {
    let pairs = split_args(v).map_err(|e| format!("malformed `env`: {e}"))?;
    pairs
        .into_iter()
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
            _ => Err(format!("malformed `env` entry `{pair}`: write `NAME=value`").into()),
        })
        .collect()
}

fn stream(v: &str) -> Result<Stream, Finding> {
    match v {
        "both" => Ok(Stream::Both),
        "stdout" => Ok(Stream::Stdout),
        "stderr" => Ok(Stream::Stderr),
        v => Err(format!("malformed `stream={v}`: one of both, stdout, stderr").into()),
    }
}

/// `500ms`, `2s`, `1.5s`, `1m`.
pub(crate) fn duration(s: &str) -> Result<Duration, Finding> {
    let bad = || {
        Finding::new(format!(
            "malformed duration `{s}`: write it like `500ms`, `2s` or `1.5s`"
        ))
    };
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .ok_or_else(bad)?;
    let (number, unit) = s.split_at(split);
    let n: f64 = number.parse().map_err(|_| bad())?;
    let secs = match unit {
        "ms" => n / 1000.0,
        "s" => n,
        "m" => n * 60.0,
        _ => return Err(bad()),
    };
    if !(secs > 0.0 && secs <= 3600.0) {
        return Err(Finding::new(format!(
            "duration `{s}` out of range: more than 0 and at most 1 hour"
        )));
    }
    Ok(Duration::from_secs_f64(secs))
}

/// Rejects the second use of an attribute in one block.
fn first_use<'a>(seen: &mut Vec<&'a str>, attr: &'a Attr) -> Result<(), Finding> {
    if seen.contains(&attr.key.as_str()) {
        return Err(Finding::new(format!("attribute `{}` given twice", attr.key)));
    }
    seen.push(&attr.key);
    Ok(())
}

/// The value of a `key=value` attribute (possibly empty).
fn value(attr: &Attr) -> Result<&str, Finding> {
    attr.value.as_deref().ok_or_else(|| needs_value(attr))
}

/// The value of a `key=value` attribute that must say something: an id, a path, a caption.
fn non_empty(attr: &Attr) -> Result<String, Finding> {
    match value(attr)? {
        "" => Err(needs_value(attr)),
        v => Ok(v.to_string()),
    }
}

fn needs_value(attr: &Attr) -> Finding {
    Finding::new(format!("`{}` needs a value: `{}=...`", attr.key, attr.key))
}

/// A flag attribute: present means true, and it takes no value.
fn flag(attr: &Attr) -> Result<bool, Finding> {
    match &attr.value {
        None => Ok(true),
        Some(_) => Err(Finding::new(format!("`{}` takes no value", attr.key))),
    }
}

fn unknown_attr(key: &str, known: &[&str]) -> Finding {
    Finding::new(format!("unknown attribute `{key}`; known: {}", known.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(duration("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(duration("1.5s").unwrap(), Duration::from_millis(1500));
        assert_eq!(duration("2m").unwrap(), Duration::from_secs(120));
        for bad in ["", "5", "ms", "1.2.3s", "5h", "0s", "-1s"] {
            assert!(duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn integers_in_range() {
        assert_eq!(integer_in("0", 0..=255), Ok(0));
        assert_eq!(integer_in("255", 0..=255), Ok(255));
        for bad in ["256", "-1", "x", ""] {
            assert_eq!(
                integer_in::<i32>(bad, 0..=255),
                Err("an integer from 0 to 255".to_string()),
                "{bad}"
            );
        }
    }
}
