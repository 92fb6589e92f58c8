//! `contracts`: the command line of the event contracts.
//!
//! Each subcommand is a module with an `Args` struct (its clap arguments) and a `run`
//! function. To add one: write the module, add a variant to [`Command`] and a line to
//! [`Command::run`].

#[cfg(feature = "aws")]
mod aws;
mod input;
mod json_lines;
mod replay;
mod route;
mod terminal;
mod triage;
mod upgrade;
mod validate;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Check event files against the JSON Schema contracts of the product platform.
#[derive(Debug, Parser)]
#[command(name = "contracts", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate a JSON Lines file of events, one event per line, against their schemas.
    Validate(validate::Args),
    /// Rewrite a JSON Lines file of events, each at the latest version of its major.
    Upgrade(upgrade::Args),
    /// Replay a JSON Lines event log into the product catalog and print it.
    Replay(replay::Args),
    /// Print the queues the routing contract delivers each event to.
    Route(route::Args),
    /// Explain why dead-lettered messages failed, grouped by cause.
    Triage(triage::Args),
    /// Deploy the routing contract to AWS, publish events, drain queues (`aws` feature).
    #[cfg(feature = "aws")]
    Aws(aws::Args),
}

impl Command {
    fn run(self) -> anyhow::Result<Outcome> {
        match self {
            Command::Validate(args) => validate::run(args),
            Command::Upgrade(args) => upgrade::run(args),
            Command::Replay(args) => replay::run(args),
            Command::Route(args) => route::run(args),
            Command::Triage(args) => triage::run(args),
            #[cfg(feature = "aws")]
            Command::Aws(args) => aws::run(args),
        }
    }
}

/// How a subcommand that did its job ended. A subcommand that could not do its job
/// returns an error instead, which exits with [`EXIT_ERROR`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing to report: exit 0.
    Clean,
    /// The input has problems (e.g. an invalid event): exit 1.
    Problems,
}

/// The exit code of a usage or I/O error; clap uses it for usage errors too.
const EXIT_ERROR: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command.run() {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::Problems) => ExitCode::from(1),
        // The reader of our output went away (`contracts validate … | head`): the run is
        // incomplete, so neither verdict holds, and there is no one left to tell.
        Err(error) if is_broken_pipe(&error) => ExitCode::from(EXIT_ERROR),
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
