//! `cargo xtask compat-history`: the compatibility gate over the histories of real schemas
//! in `compat/tests/compat-history/`, with the figures `docs/COMPAT.md` shows.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use event_contracts_compat::history;

/// Options of `cargo xtask compat-history`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder of histories (default: compat/tests/compat-history).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Rewrite FIGURES.md in the folder (then run `cargo xtask regen` for docs/COMPAT.md).
    #[arg(long)]
    pub write: bool,
    /// Also print each finding of each version pair.
    #[arg(long)]
    pub verbose: bool,
}

/// Runs the subcommand.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = args
        .dir
        .unwrap_or_else(|| root.join("compat/tests/compat-history"));
    let started = std::time::Instant::now();
    let results = history::run_histories(&dir)?;
    if args.verbose {
        for r in &results {
            println!("{} [{}]", r.name, r.required);
            for (rule, evidence) in &r.findings {
                println!("  {rule} ({evidence:?})");
            }
        }
    }
    print!("{}", history::figures_markdown(&results));
    eprintln!(
        "{} version pairs compared in {:.1} s",
        results.len(),
        started.elapsed().as_secs_f64()
    );
    if args.write {
        let path = dir.join("FIGURES.md");
        std::fs::write(&path, history::figures_file(&results))
            .with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}
