//! Project automation, in plain Rust: `cargo xtask <command>`.

use clap::{Parser, Subcommand};

mod compat;
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
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Regen(args) => regen::run(args),
        Command::Compat(args) => compat::run(args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            std::process::ExitCode::from(2)
        }
    }
}
