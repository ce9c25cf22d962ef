//! The `cargo xtask` command line: parses the arguments and calls the library's commands.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, Parser, Subcommand, ValueEnum};
use xtask::{BenchOptions, Exit, Format, Options, Shard, default_root};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    about = "Tools of the book: test its listings, render the site and the ePub",
    after_help = "Examples:\n  cargo xtask test-listings                   check every listing\n  cargo xtask test-listings ch04-threads      check one chapter\n  cargo xtask build                           test, then render book/html and the ePub\n\nRun `cargo xtask <COMMAND> --help` for the options of a command."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract, build, run and check the listings against the outputs in the chapters.
    #[command(after_help = "Examples:\n  \
        cargo xtask test-listings                          every listing (cached ones are not rerun)\n  \
        cargo xtask test-listings ch04-threads spinner     one chapter and one listing\n  \
        cargo xtask test-listings ch04-threads --bless     rewrite failing outputs from real runs\n  \
        cargo xtask test-listings --runs 10 ch08-tokio     stress: run every listing 10 times\n  \
        cargo xtask test-listings --shard 2/4              the second of four CI shards\n  \
        cargo xtask test-listings --format json            one JSON object per listing\n\n\
        Exit status: 0 all passed, 1 a listing failed, 2 the book is malformed, 130 interrupted.")]
    TestListings(TestArgs),
    /// Write the listings' crates under listings/ from the chapters.
    #[command(after_help = "Examples:\n  \
        cargo xtask extract            bring listings/ up to date\n  \
        cargo xtask extract --check    fail if listings/ is out of date (CI)")]
    Extract {
        /// Change nothing; fail when listings/ differs from what the chapters say.
        #[arg(long)]
        check: bool,
        #[command(flatten)]
        book: BookArg,
    },
    /// Test the listings, then render the site (book/html) and the ePub (book/epub).
    #[command(after_help = "Examples:\n  \
        cargo xtask build              test every listing (cached), then render\n  \
        cargo xtask build --no-test    render only, for a quick preview\n\n\
        Outputs show what the listings printed when they passed (`test-listings` records it).\n\
        A book whose listings fail is not rendered: its badges would not be true.")]
    Build {
        /// Render without testing the listings: outputs show the runs recorded when they last
        /// passed, and their pattern where there is none.
        #[arg(long)]
        no_test: bool,
        /// Fail when an output has no recorded run to show (CI renders from merged recordings).
        #[arg(long)]
        require_recordings: bool,
        /// Where to write html/ and epub/ (default: book/ in the book's root).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        #[command(flatten)]
        book: BookArg,
    },
    /// Move recorded runs between machines: export a shard's, merge them where the book renders.
    #[command(subcommand)]
    Recordings(RecordingsCommand),
    /// Serve the site on 127.0.0.1, rebuilding and reloading it when the book changes.
    #[command(after_help = "Examples:\n  \
        cargo xtask serve              http://127.0.0.1:3000/\n  \
        cargo xtask serve --port 8000\n\n\
        Listings are not run while serving; `cargo xtask test-listings` checks them.")]
    Serve {
        /// The port on 127.0.0.1.
        #[arg(long, default_value_t = 3000)]
        port: u16,
        #[command(flatten)]
        book: BookArg,
    },
    /// Measure the engine and the renderer against plain tools, in one run; write the table.
    #[command(after_help = "Examples:\n  \
        cargo xtask bench                  every row, cold builds included (takes a while)\n  \
        cargo xtask bench --no-cold        warm, one edit, render and warm scaling only\n  \
        cargo xtask bench --runs 9         more runs per median\n\n\
        Scratch copies of the book go to target/bench/. BENCHMARKS.md records the figures.")]
    Bench {
        /// Runs per median for the fast rows (warm, one edit, render).
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// Runs per median for the cold rows (each builds every dependency from nothing).
        #[arg(long, default_value_t = 1)]
        cold_runs: usize,
        /// Skip the cold rows.
        #[arg(long)]
        no_cold: bool,
        /// The listing the one-edit row changes (default: the first simple one).
        #[arg(long, value_name = "ID")]
        edit: Option<String>,
        /// Only these rows (repeatable): cold, warm, edit, stress, render.
        #[arg(long, value_name = "ROW", value_parser = ["cold", "warm", "edit", "stress", "render"])]
        only: Vec<String>,
        #[command(flatten)]
        book: BookArg,
    },
    /// Which layers of the run sandbox the kernel allows (internal: run once by the engine).
    #[command(name = "__sandbox-probe", hide = true)]
    SandboxProbe,
    /// The run supervisor (internal: started by the engine for every run).
    #[command(name = "__supervise", hide = true)]
    Supervise {
        #[arg(long)]
        parent: i32,
        #[arg(long)]
        data_limit: u64,
        #[arg(long, default_value_t = 0)]
        nice: i32,
        program: OsString,
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<OsString>,
    },
}

#[derive(Subcommand)]
enum RecordingsCommand {
    /// Write this book's recordings (and verdicts) to FILE.
    #[command(after_help = "Examples:\n  \
        cargo xtask test-listings --shard 1/3 && cargo xtask recordings export shard-1.json")]
    Export {
        file: PathBuf,
        #[command(flatten)]
        book: BookArg,
    },
    /// Add the recordings of exported FILES to this book's; refuses one made from another
    /// text of a listing, changing nothing.
    #[command(after_help = "Examples:\n  \
        cargo xtask recordings merge shard-*.json && cargo xtask build --no-test --require-recordings")]
    Merge {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        book: BookArg,
    },
}

#[derive(Args)]
struct BookArg {
    /// The book's root directory (with book.toml, src/ and Cargo.toml); default: this repository.
    #[arg(long, value_name = "DIR")]
    book: Option<PathBuf>,
}

impl BookArg {
    fn root(&self) -> PathBuf {
        self.book.clone().unwrap_or_else(default_root)
    }
}

/// `--format`, here rather than in the reporter, which knows nothing of clap.
#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Human,
    Json,
}

#[derive(Args)]
struct TestArgs {
    /// Listing ids or chapters (file stem like `ch04-threads`, or `src/ch04-threads.md`) to check; default: all.
    filters: Vec<String>,
    /// Rewrite the output blocks that failed from what the programs printed.
    #[arg(long)]
    bless: bool,
    /// Build and run every selected listing, even those unchanged since they last passed.
    #[arg(long)]
    force: bool,
    /// How many runs that use the CPU at once (default: the number of CPUs). Runs that wait
    /// (sleep, serve until `kill-after`) share the machine beyond it, up to four times as
    /// many, while the CPU has a core to spare; `exclusive` runs are always alone.
    #[arg(long, short)]
    jobs: Option<usize>,
    /// Run every selected output block at least N times; every run must match.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1000))]
    runs: Option<u32>,
    /// Only the K-th of N stable parts of the book, for CI matrices.
    #[arg(long, value_name = "K/N")]
    shard: Option<Shard>,
    /// How to print verdicts.
    #[arg(long, value_enum, default_value = "human")]
    format: FormatArg,
    /// No progress bar, even on a terminal.
    #[arg(long)]
    no_progress: bool,
    /// Fail unless every layer of the run sandbox (network, files, processes) is available
    /// (implied by `CI`).
    #[arg(long)]
    require_sandbox: bool,
    #[command(flatten)]
    book: BookArg,
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(exit) => exit.into(),
        Err(e) => xtask::report_error(&e).into(),
    }
}

fn run(cli: Cli) -> Result<Exit> {
    match cli.command {
        Command::TestListings(a) => {
            let opts = Options {
                filters: a.filters,
                bless: a.bless,
                force: a.force,
                jobs: a.jobs.unwrap_or_else(xtask::default_jobs),
                runs: a.runs,
                shard: a.shard,
                format: match a.format {
                    FormatArg::Human => Format::Human,
                    FormatArg::Json => Format::Json,
                },
                progress: !a.no_progress,
                require_sandbox: a.require_sandbox,
            };
            xtask::test_listings(&a.book.root(), &opts)
        }
        Command::Extract { check, book } => xtask::extract(&book.root(), check),
        Command::Build {
            no_test,
            require_recordings,
            out,
            book,
        } => xtask::build(&book.root(), !no_test, out.as_deref(), require_recordings),
        Command::Recordings(RecordingsCommand::Export { file, book }) => {
            xtask::export_recordings(&book.root(), &file)
        }
        Command::Recordings(RecordingsCommand::Merge { files, book }) => {
            xtask::merge_recordings(&book.root(), &files)
        }
        Command::Serve { port, book } => xtask::serve(&book.root(), port),
        Command::Bench {
            runs,
            cold_runs,
            no_cold,
            edit,
            only,
            book,
        } => {
            let opts = BenchOptions {
                runs,
                cold_runs,
                no_cold,
                edit,
                only,
            };
            xtask::bench(&book.root(), &opts)
        }
        Command::Supervise {
            parent,
            data_limit,
            nice,
            program,
            args,
        } => xtask::supervise(parent, data_limit, nice, program, args),
        Command::SandboxProbe => xtask::sandbox_probe(),
    }
}
