//! `contracts validate`: checks every event of a JSON Lines file against its schema.

use std::borrow::Cow;

use std::io::{self, BufRead, BufWriter, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Context;
use event_contracts::{DecodeError, Decoder, DEFAULT_MAX_SIZE};
use serde::Serialize;
use serde_json::Value;

use crate::json_lines::{JsonLines, Line};
use crate::terminal::{ColorChoice, Painter, Progress};
use crate::Outcome;

/// The problem reported for an empty or blank line, which holds no event.
const EMPTY_LINE: &str = "the line is empty; JSON Lines holds one event on every line";

/// Arguments of `contracts validate`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Every line is one event. An empty or blank line is reported as invalid, since it holds no \
event; a newline at the very end of the input does not start a line.

Exit status: 0 when every line is a valid event, 1 when any line is not, 2 on a usage or \
I/O error.")]
pub struct Args {
    /// The JSON Lines file to read; `-` or nothing reads standard input.
    #[arg(value_name = "FILE", default_value = "-")]
    input: PathBuf,

    /// `human`: the invalid lines and a summary; `json`: one JSON object per input line.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,

    /// The largest event accepted, in bytes, or with a KiB or MiB suffix. A longer line is
    /// reported as too large without being read into memory.
    #[arg(long, value_name = "SIZE", default_value = "256KiB", value_parser = parse_size)]
    max_size: usize,

    /// When to colour the human format.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

/// How results are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// Readable: each invalid line with its problems, then a summary.
    Human,
    /// One object per input line: {"line", "valid", "eventType", "version", "errors"}.
    Json,
}

/// The verdict on one input line; its JSON form is what `--format json` prints.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct LineReport {
    line: u64,
    valid: bool,
    /// From the envelope, when the line is a JSON object with a string `eventType`.
    event_type: Option<String>,
    /// From the envelope, when the line is a JSON object with a string `version`.
    version: Option<String>,
    errors: Vec<ErrorReport>,
}

/// One problem of an invalid line.
#[derive(Debug, Serialize)]
struct ErrorReport {
    /// JSON pointer into the event; empty for the whole event.
    path: String,
    message: String,
}

/// Runs `contracts validate`.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let input = crate::input::open(&args.input)?;
    let source = input.source.clone();
    let stdout = io::stdout();
    let mut out = Output {
        stdout_is_terminal: stdout.is_terminal(),
        writer: BufWriter::new(stdout.lock()),
        painter: Painter::new(args.format == Format::Human && args.color.enabled()),
        format: args.format,
        source: &source,
    };
    // The size drives the progress bar only; without one (a pipe) it is a spinner.
    let totals = check_stream(input.reader, input.size, &args, &mut out)?;
    out.summary(&totals).context(WRITE_FAILED)?;
    out.writer.flush().context(WRITE_FAILED)?;
    Ok(if totals.invalid == 0 {
        Outcome::Clean
    } else {
        Outcome::Problems
    })
}

/// Counts of checked lines.
#[derive(Debug, Default)]
struct Totals {
    valid: u64,
    invalid: u64,
}

/// The context of a failure to write to standard output.
const WRITE_FAILED: &str = "cannot write the report";

/// Checks every line of `reader`, writing a report for each; `size` is for the progress bar.
fn check_stream(
    reader: impl BufRead,
    size: Option<u64>,
    args: &Args,
    out: &mut Output<'_, impl Write>,
) -> anyhow::Result<Totals> {
    let decoder = Decoder::new().max_size(args.max_size);
    let mut lines = JsonLines::new(reader, args.max_size);
    let progress = Progress::new(size);
    let mut totals = Totals::default();
    while let Some((number, line)) = lines
        .next_line()
        .with_context(|| format!("cannot read {}", out.source))?
    {
        let report = check_line(&decoder, number, line, args.max_size);
        if report.valid {
            totals.valid += 1;
        } else {
            totals.invalid += 1;
        }
        progress
            .suspend(|| out.report(&report))
            .context(WRITE_FAILED)?;
        // Redrawing is throttled by indicatif; updating every line would still cost a lock.
        if number % 256 == 0 {
            progress.update(lines.bytes_read(), totals.valid, totals.invalid);
        }
    }
    progress.finish();
    Ok(totals)
}

/// Checks one line: the decoder's verdict, with the envelope when it can be read.
fn check_line(decoder: &Decoder, number: u64, line: Line<'_>, limit: usize) -> LineReport {
    let invalid = |event_type, version, errors| LineReport {
        line: number,
        valid: false,
        event_type,
        version,
        errors,
    };
    let bytes = match line {
        Line::TooLong { size } => {
            // The library's message names its own API; the command's knob is --max-size.
            let message = format!(
                "the event is {size} bytes; the limit is {limit} bytes (raise it with --max-size)"
            );
            return invalid(None, None, vec![ErrorReport::whole(message)]);
        }
        Line::Complete(bytes) => bytes,
    };
    if bytes.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r')) {
        return invalid(None, None, vec![ErrorReport::whole(EMPTY_LINE.to_owned())]);
    }
    // A valid event is read straight from the bytes. An invalid one's report names its
    // envelope: from the error when it carries both fields (a schema violation, a value
    // out of range, an unsupported version), else from a second parse of the line.
    match decoder.decode(bytes) {
        Ok(event) => LineReport {
            line: number,
            valid: true,
            event_type: Some(event.event_type().as_str().to_owned()),
            version: Some(event.version().as_str().to_owned()),
            errors: Vec::new(),
        },
        Err(
            ref error @ (DecodeError::Invalid {
                ref event_type,
                ref version,
                ..
            }
            | DecodeError::OutOfRange {
                ref event_type,
                ref version,
                ..
            }
            | DecodeError::UnsupportedVersion {
                ref event_type,
                ref version,
                ..
            }),
        ) => invalid(
            Some(event_type.clone()),
            Some(version.clone()),
            errors_of(error),
        ),
        Err(error) => {
            let value = decoder.parse(bytes).ok();
            let envelope = |field: &str| {
                value
                    .as_ref()
                    .and_then(|v| v.get(field))
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            };
            invalid(
                envelope("eventType"),
                envelope("version"),
                errors_of(&error),
            )
        }
    }
}

fn errors_of(error: &DecodeError) -> Vec<ErrorReport> {
    // serde_json places a syntax error at "line 1 column N" of the event, which reads as
    // line 1 of the file here; the column within the line is what locates it.
    if let DecodeError::Syntax {
        message,
        line: 1,
        column,
    } = error
    {
        if let Some(what) = message.strip_suffix(&format!(" at line 1 column {column}")) {
            return vec![ErrorReport::whole(format!(
                "the event is not valid JSON at column {column}: {what}"
            ))];
        }
    }
    error
        .violations()
        .into_iter()
        .map(|v| ErrorReport {
            path: v.pointer,
            message: v.message,
        })
        .collect()
}

impl ErrorReport {
    /// A problem of the whole line.
    fn whole(message: String) -> Self {
        ErrorReport {
            path: String::new(),
            message,
        }
    }
}

/// Where reports go, in the chosen format.
struct Output<'a, W: Write> {
    writer: W,
    format: Format,
    painter: Painter,
    /// Shown before line numbers in the human format.
    source: &'a str,
    /// On a terminal each report is flushed at once, so that it shows while the run goes on.
    stdout_is_terminal: bool,
}

impl<W: Write> Output<'_, W> {
    fn report(&mut self, report: &LineReport) -> io::Result<()> {
        match self.format {
            Format::Json => {
                serde_json::to_writer(&mut self.writer, report)?;
                self.writer.write_all(b"\n")?;
            }
            Format::Human if report.valid => return Ok(()),
            Format::Human => self.human(report)?,
        }
        if self.stdout_is_terminal {
            self.writer.flush()?;
        }
        Ok(())
    }

    fn human(&mut self, report: &LineReport) -> io::Result<()> {
        let p = self.painter;
        let location = p.strong(&format!("{}:{}", self.source, report.line));
        let event = match (&report.event_type, &report.version) {
            (Some(event_type), Some(version)) => {
                format!(" {} {}", printable(event_type), printable(version))
            }
            (Some(event_type), None) => format!(" {}", printable(event_type)),
            _ => String::new(),
        };
        writeln!(self.writer, "{location}: {}{event}", p.error("invalid"))?;
        for error in &report.errors {
            let message = printable(&error.message);
            if error.path.is_empty() {
                writeln!(self.writer, "  {message}")?;
            } else {
                let path = p.pointer(&printable(&error.path));
                writeln!(self.writer, "  {path}: {message}")?;
            }
        }
        Ok(())
    }

    fn summary(&mut self, totals: &Totals) -> io::Result<()> {
        if self.format != Format::Human {
            return Ok(());
        }
        let p = self.painter;
        let valid = p.ok(&format!("{} valid", totals.valid));
        let invalid = format!("{} invalid", totals.invalid);
        let invalid = if totals.invalid > 0 {
            p.error(&invalid)
        } else {
            invalid
        };
        let lines = totals.valid + totals.invalid;
        let plural = if lines == 1 { "" } else { "s" };
        writeln!(self.writer, "{valid}, {invalid} ({lines} line{plural})")
    }
}

/// `text` with its control characters escaped (`\n`, `\u{1b}`): text from an event must
/// neither break the report's lines nor send escape sequences to a terminal.
fn printable(text: &str) -> Cow<'_, str> {
    if text.chars().any(char::is_control) {
        Cow::Owned(
            text.chars()
                .map(|c| {
                    if c.is_control() {
                        c.escape_default().to_string()
                    } else {
                        c.to_string()
                    }
                })
                .collect(),
        )
    } else {
        Cow::Borrowed(text)
    }
}

/// Parses `--max-size`: bytes, or a number with a `KiB` or `MiB` suffix.
fn parse_size(text: &str) -> Result<usize, String> {
    let (digits, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => text.split_at(i),
        None => (text, ""),
    };
    let multiplier: usize = match unit {
        "" => 1,
        "KiB" => 1 << 10,
        "MiB" => 1 << 20,
        _ => return Err(size_hint(text)),
    };
    let number: usize = digits.parse().map_err(|_| size_hint(text))?;
    match number.checked_mul(multiplier) {
        Some(0) => Err("the size limit must be at least 1 byte".to_owned()),
        Some(bytes) => Ok(bytes),
        None => Err(format!("{text} is larger than this machine can address")),
    }
}

fn size_hint(text: &str) -> String {
    format!(
        "{text:?} is not a size: give bytes, or a number with KiB or MiB, e.g. {DEFAULT_MAX_SIZE} or 256KiB"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_bytes_or_binary_units() {
        assert_eq!(parse_size("262144"), Ok(262_144));
        assert_eq!(parse_size("256KiB"), Ok(262_144));
        assert_eq!(parse_size("2MiB"), Ok(2_097_152));
        assert_eq!(parse_size("1"), Ok(1));
        assert_eq!(
            parse_size("0"),
            Err("the size limit must be at least 1 byte".to_owned())
        );
        assert_eq!(
            parse_size("256KB"),
            Err(
                "\"256KB\" is not a size: give bytes, or a number with KiB or MiB, e.g. 262144 or 256KiB"
                    .to_owned()
            )
        );
        assert!(parse_size("KiB").is_err());
        assert!(parse_size("-1").is_err());
        assert!(parse_size("99999999999999999999999MiB").is_err());
        assert_eq!(
            parse_size("17592186044416MiB"),
            Err("17592186044416MiB is larger than this machine can address".to_owned())
        );
    }

    fn check(bytes: &[u8]) -> LineReport {
        check_line(&Decoder::new(), 7, Line::Complete(bytes), DEFAULT_MAX_SIZE)
    }

    #[test]
    fn blank_lines_are_invalid_with_a_message_saying_why() {
        for blank in [&b""[..], b"   ", b"\t\r"] {
            let report = check(blank);
            assert!(!report.valid);
            assert_eq!(report.errors.len(), 1);
            assert_eq!(report.errors[0].path, "");
            assert_eq!(report.errors[0].message, EMPTY_LINE);
        }
    }

    #[test]
    fn the_envelope_is_reported_when_readable() {
        let report = check(br#"{"eventType": "ProductCreated", "version": "9.0.0"}"#);
        assert_eq!(report.event_type.as_deref(), Some("ProductCreated"));
        assert_eq!(report.version.as_deref(), Some("9.0.0"));
        let report = check(br#"{"eventType": 5, "version": "1.0.0"}"#);
        assert_eq!(report.event_type, None);
        assert_eq!(report.version.as_deref(), Some("1.0.0"));
        // An ambiguous payload has no envelope to trust.
        let report = check(br#"{"eventType": "ProductCreated", "eventType": "ProductDeleted"}"#);
        assert_eq!((report.event_type, report.version), (None, None));
        assert_eq!(
            report.errors[0].message,
            "the event is not valid JSON at column 43: duplicate key \"eventType\" in one object; send each key once"
        );
    }

    #[test]
    fn control_characters_from_events_are_escaped() {
        assert_eq!(printable("1.0.0"), "1.0.0");
        assert_eq!(printable("1.0.0\n"), "1.0.0\\n");
        assert_eq!(printable("\u{1b}[31mred\tx"), "\\u{1b}[31mred\\tx");
        assert_eq!(printable("é😀"), "é😀");
    }

    #[test]
    fn too_long_lines_name_the_option_that_raises_the_limit() {
        let report = check_line(&Decoder::new(), 1, Line::TooLong { size: 300_000 }, 1_000);
        assert_eq!(
            report.errors[0].message,
            "the event is 300000 bytes; the limit is 1000 bytes (raise it with --max-size)"
        );
    }
}
