//! `contracts route`: which queues the routing contract delivers each event to.

use std::io::{self, BufRead, BufWriter, Write};
use std::path::PathBuf;

use anyhow::Context;
use event_contracts::routing;
use event_contracts::Decoder;
use serde_json::json;

use crate::json_lines::{JsonLines, Line};
use crate::Outcome;

/// Output formats of `contracts route`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One readable line per event.
    Human,
    /// One JSON object per event: `{"line", "eventType", "queues"}`.
    Json,
}

/// Arguments of `contracts route`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Reads one event per line and prints the queues the SNS filter policies of \
schemas/routing.yaml deliver it to, evaluated on the message attributes a publisher sends \
(eventType and version). An invalid event is routed nowhere: it is printed with its error.

Exit status: 0 when every line is a valid event, 1 when any is not, 2 on a usage or I/O \
error.")]
pub struct Args {
    /// The JSON Lines file to read; `-` or nothing reads standard input.
    #[arg(value_name = "FILE", default_value = "-")]
    input: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

/// Runs `contracts route`.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let input = crate::input::open(&args.input)?;
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let invalid = route_stream(input.reader, args.format, &mut out)?;
    out.flush().context("cannot write the routes")?;
    Ok(if invalid > 0 {
        Outcome::Problems
    } else {
        Outcome::Clean
    })
}

fn route_stream(reader: impl BufRead, format: Format, out: &mut impl Write) -> anyhow::Result<u64> {
    let decoder = Decoder::new();
    let limit = event_contracts::DEFAULT_MAX_SIZE;
    let mut lines = JsonLines::new(reader, limit);
    let mut invalid = 0u64;
    while let Some((number, line)) = lines.next_line().context("cannot read the input")? {
        let result = match line {
            Line::Complete(bytes) if bytes.iter().all(u8::is_ascii_whitespace) => continue,
            Line::Complete(bytes) => decoder.decode(bytes).map_err(|e| e.to_string()),
            Line::TooLong { size } => Err(format!(
                "the line is {size} bytes; the limit is {limit} bytes"
            )),
        };
        match (result, format) {
            (Ok(event), Format::Json) => {
                let queues: Vec<&str> = routing::route(&event).iter().map(|q| q.name()).collect();
                let row = json!({"line": number, "eventType": event.event_type().as_str(), "queues": queues});
                writeln!(out, "{row}")?;
            }
            (Ok(event), Format::Human) => {
                let queues: Vec<&str> = routing::route(&event).iter().map(|q| q.name()).collect();
                let to = if queues.is_empty() {
                    "no queue".to_owned()
                } else {
                    queues.join(", ")
                };
                writeln!(
                    out,
                    "line {number}: {} {} -> {to}",
                    event.event_type(),
                    event.version().as_str()
                )?;
            }
            (Err(error), Format::Json) => {
                invalid += 1;
                let row = json!({"line": number, "eventType": null, "queues": [], "error": error});
                writeln!(out, "{row}")?;
            }
            (Err(error), Format::Human) => {
                invalid += 1;
                writeln!(out, "line {number}: not routed: {error}")?;
            }
        }
    }
    Ok(invalid)
}
