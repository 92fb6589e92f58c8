//! Project automation, in plain Rust: `cargo xtask <command>`.

use clap::{Parser, Subcommand};

mod bench;
mod compat;
mod compat_history;
mod fuzz;
mod regen;

/// event-contracts project tasks.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Rewrite every checked-in derived file (snapshots, docs/EVENTS.md).
    Regen(regen::Args),
    /// Check schema changes against the semver rules (the CI gate).
    Compat(compat::Args),
    /// Run the semver gate over the real schema histories and print its figures.
    CompatHistory(compat_history::Args),
    /// Benchmark decoding against the serde floor, the generic path and ajv.
    Bench(bench::Args),
    /// Run every fuzz target in fuzz/ for --time seconds and print its figures.
    Fuzz(fuzz::Args),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Regen(args) => regen::run(args),
        Command::Compat(args) => compat::run(args),
        Command::CompatHistory(args) => compat_history::run(args),
        Command::Bench(args) => bench::run(args),
        Command::Fuzz(args) => fuzz::run(args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            std::process::ExitCode::from(2)
        }
    }
}
