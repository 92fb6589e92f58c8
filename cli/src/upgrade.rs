//! `contracts upgrade`: rewrites a JSON Lines file of events, each at the latest version
//! of its major, streaming.

use std::io::{self, BufRead, BufWriter, Write};
use std::path::PathBuf;

use anyhow::Context;
use event_contracts::store::{JsonLinesReader, StoreError};
use event_contracts::{encode, upcast_to_latest_minor, ProductEvent};

use crate::Outcome;

/// Arguments of `contracts upgrade`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Reads one event per line and writes each, in the same order, at the newest version this \
build knows of the event's major: properties added since the event's version are filled \
with their schema defaults, and everything else, unknown properties included, is kept. \
An event already at that version is written unchanged.

A line that is not a valid event, or cannot be upgraded, is not written: it is reported on \
standard error with its line number, and the command goes on.

Exit status: 0 when every line was upgraded, 1 when any line was not, 2 on a usage or I/O \
error.")]
pub struct Args {
    /// The JSON Lines file to read; `-` or nothing reads standard input.
    #[arg(value_name = "FILE", default_value = "-")]
    input: PathBuf,
}

const WRITE_FAILED: &str = "cannot write the upgraded events";

/// Runs `contracts upgrade`.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let input = crate::input::open(&args.input)?;
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let source = input.source;
    let failed = upgrade_stream(input.reader, &source, &mut out)?;
    out.flush().context(WRITE_FAILED)?;
    if failed > 0 {
        if failed == 1 {
            eprintln!("1 line of {source} was not upgraded");
        } else {
            eprintln!("{failed} lines of {source} were not upgraded");
        }
        return Ok(Outcome::Problems);
    }
    Ok(Outcome::Clean)
}

/// Upgrades every line of `reader` into `out`; returns how many lines were not upgraded.
fn upgrade_stream(reader: impl BufRead, source: &str, out: &mut impl Write) -> anyhow::Result<u64> {
    let mut failed = 0u64;
    for item in JsonLinesReader::new(reader).with_path(source) {
        let stored = match item {
            Ok(stored) => stored,
            Err(error @ StoreError::Io { .. }) => {
                return Err(error).with_context(|| format!("cannot read {source}"))
            }
            Err(error) => {
                // Line errors carry their own "line N: " prefix.
                eprintln!("{source}: {error}");
                failed += 1;
                continue;
            }
        };
        match upgraded_line(&stored.event) {
            Ok(bytes) => {
                out.write_all(&bytes).context(WRITE_FAILED)?;
                out.write_all(b"\n").context(WRITE_FAILED)?;
            }
            Err(error) => {
                eprintln!(
                    "{source}: line {}: cannot upgrade: {error:#}",
                    stored.position
                );
                failed += 1;
            }
        }
    }
    Ok(failed)
}

/// One event at the latest version of its major, as JSON bytes (validated by `encode`).
fn upgraded_line(event: &ProductEvent) -> anyhow::Result<Vec<u8>> {
    let latest = upcast_to_latest_minor(event)?;
    Ok(encode(&latest)?)
}
