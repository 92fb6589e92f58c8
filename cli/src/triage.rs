//! `contracts triage`: why each dead-lettered message failed, grouped by cause.
//!
//! The seed's `processDLQ` logs each failed event and deletes it. Done properly, every
//! message is explained, grouped with the others that failed the same way, and the ones
//! that are valid once upgraded can be written out to be sent again. Nothing is dropped:
//! every input message lands in exactly one group.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::PathBuf;

use anyhow::Context;
use event_contracts::routing::{decode_body, DeliveryForm};
use event_contracts::{decode, encode, upcast_to_latest, DecodeError};
use serde_json::{json, Value};

use crate::Outcome;

/// Output formats of `contracts triage`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table of causes with counts, then each message.
    Table,
    /// One JSON document: `{"total", "requeueable", "groups": [{"cause", "count", "messages"}]}`.
    Json,
}

/// Arguments of `contracts triage`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Input: the JSON an SQS ReceiveMessage call returns ({\"Messages\": [{\"MessageId\", \
\"Body\", ...}]}, one or several responses in a row), or JSON Lines of message bodies. A \
body is the event itself (raw delivery) or the SNS notification envelope around it.

Each message is explained (not JSON, not an SQS body, an unknown event type, an unsupported \
version, each schema violation with its path) and grouped by cause, with counts. Messages \
that are valid once upgraded to the latest version of their major form the group \
\"requeueable\"; --requeue writes them, upgraded, as JSON Lines.

Exit status: 0 when every message is requeueable, 1 when any is not, 2 on a usage or I/O \
error.")]
pub struct Args {
    /// The DLQ dump to read; `-` or nothing reads standard input.
    #[arg(value_name = "FILE", default_value = "-")]
    input: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Write the requeueable messages here, upgraded, one event per line.
    #[arg(long, value_name = "OUT")]
    requeue: Option<PathBuf>,
}

/// One message of the dump.
#[derive(Debug)]
struct Message {
    /// 1-based position in the input.
    index: usize,
    /// The SQS message id, when the dump has one.
    message_id: Option<String>,
    /// The body as delivered.
    body: String,
}

/// What triage concluded about one message.
#[derive(Debug)]
struct Verdict {
    cause: String,
    errors: Vec<Value>,
    requeue: Option<Vec<u8>>,
}

/// The group name of messages that are valid once upgraded.
const REQUEUEABLE: &str = "requeueable: valid once upgraded";

/// Runs `contracts triage`.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let mut input = Vec::new();
    if args.input.as_os_str() == "-" {
        io::stdin()
            .read_to_end(&mut input)
            .context("cannot read standard input")?;
    } else {
        File::open(&args.input)
            .and_then(|mut f| f.read_to_end(&mut input))
            .with_context(|| format!("cannot read {}", args.input.display()))?;
    }
    let (messages, blank_lines) = split_messages(&input);
    let mut groups: BTreeMap<String, Vec<(Message, Verdict)>> = BTreeMap::new();
    for message in messages {
        let verdict = judge(&message.body);
        groups
            .entry(verdict.cause.clone())
            .or_default()
            .push((message, verdict));
    }
    let total: usize = groups.values().map(Vec::len).sum();
    let requeueable = groups.get(REQUEUEABLE).map_or(0, Vec::len);
    if let Some(path) = &args.requeue {
        let mut out = Vec::new();
        for (_, verdict) in groups.get(REQUEUEABLE).into_iter().flatten() {
            if let Some(bytes) = &verdict.requeue {
                out.extend_from_slice(bytes);
                out.push(b'\n');
            }
        }
        std::fs::write(path, out).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let stdout = io::stdout();
    let mut out = stdout.lock();
    match args.format {
        Format::Json => {
            let doc = json!({
                "total": total,
                "requeueable": requeueable,
                "blankLines": blank_lines,
                "groups": groups.iter().map(|(cause, items)| json!({
                    "cause": cause,
                    "count": items.len(),
                    "messages": items.iter().map(|(m, v)| json!({
                        "index": m.index,
                        "messageId": m.message_id,
                        "errors": v.errors,
                    })).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            });
            writeln!(out, "{doc:#}")?;
        }
        Format::Table => {
            writeln!(out, "{total} message(s), {requeueable} requeueable")?;
            if blank_lines > 0 {
                writeln!(out, "{blank_lines} blank line(s) skipped")?;
            }
            writeln!(out, "{:>5}  cause", "count")?;
            for (cause, items) in &groups {
                writeln!(out, "{:>5}  {cause}", items.len())?;
            }
            for (cause, items) in &groups {
                writeln!(out, "\n{cause}:")?;
                for (m, v) in items {
                    let id = m.message_id.as_deref().unwrap_or("-");
                    writeln!(out, "  #{} (MessageId {id})", m.index)?;
                    for e in &v.errors {
                        let path = e.get("path").and_then(Value::as_str).unwrap_or("");
                        let message = e.get("message").and_then(Value::as_str).unwrap_or("");
                        writeln!(
                            out,
                            "      {}{message}",
                            if path.is_empty() {
                                String::new()
                            } else {
                                format!("{path}: ")
                            }
                        )?;
                    }
                }
            }
        }
    }
    Ok(if requeueable == total {
        Outcome::Clean
    } else {
        Outcome::Problems
    })
}

/// Splits the dump into messages: ReceiveMessage responses if the whole input is a
/// sequence of JSON documents with `Messages`, else one body per non-empty line; with
/// the number of blank lines skipped (counted, so that nothing is dropped unseen).
fn split_messages(input: &[u8]) -> (Vec<Message>, usize) {
    let documents: Result<Vec<Value>, _> = serde_json::Deserializer::from_slice(input)
        .into_iter::<Value>()
        .collect();
    if let Ok(documents) = documents {
        if !documents.is_empty() && documents.iter().all(|d| d.get("Messages").is_some()) {
            let mut out = Vec::new();
            for doc in documents {
                for m in doc["Messages"].as_array().into_iter().flatten() {
                    out.push(Message {
                        index: out.len() + 1,
                        message_id: m
                            .get("MessageId")
                            .and_then(Value::as_str)
                            .map(str::to_owned),
                        body: match m.get("Body") {
                            Some(Value::String(s)) => s.clone(),
                            Some(other) => other.to_string(),
                            None => String::new(),
                        },
                    });
                }
            }
            return (out, 0);
        }
    }
    let text = String::from_utf8_lossy(input);
    let blank = text.lines().filter(|l| l.trim().is_empty()).count();
    let messages = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| Message {
            index: i + 1,
            message_id: None,
            body: l.to_owned(),
        })
        .collect();
    (messages, blank)
}

fn judge(body: &str) -> Verdict {
    let error = |cause: String, message: String| Verdict {
        cause,
        errors: vec![json!({"path": "", "message": message})],
        requeue: None,
    };
    let sqs = match decode_body(body) {
        Ok(b) => b,
        Err(e) => {
            let cause = if serde_json::from_str::<Value>(body).is_err() {
                "not JSON".to_owned()
            } else {
                "not an event or SNS notification".to_owned()
            };
            return error(cause, e.to_string());
        }
    };
    let form = match sqs.form {
        DeliveryForm::Raw => "",
        DeliveryForm::SnsEnvelope => " (in an SNS envelope)",
    };
    let event = match decode(sqs.event.as_bytes()) {
        Ok(event) => event,
        Err(e) => {
            let cause = match &e {
                DecodeError::Syntax { .. } | DecodeError::InvalidUtf8 { .. } => {
                    format!("not JSON{form}")
                }
                DecodeError::UnsupportedVersion { event_type, .. } => {
                    format!("unsupported version of {event_type}")
                }
                DecodeError::UnknownEventType { event_type, .. } => {
                    format!("unknown event type {event_type:?}")
                }
                DecodeError::Invalid {
                    event_type,
                    violations,
                    ..
                } => {
                    let mut keys: Vec<String> = violations
                        .iter()
                        .map(|v| format!("{} {}", v.pointer, v.keyword))
                        .collect();
                    keys.sort();
                    keys.dedup();
                    format!("invalid {event_type}: {}", keys.join(", "))
                }
                other => format!(
                    "rejected: {}",
                    other.to_string().split(':').next().unwrap_or("error")
                ),
            };
            return Verdict {
                cause,
                errors: e
                    .violations()
                    .iter()
                    .map(|v| json!({"path": v.pointer, "message": v.message}))
                    .collect(),
                requeue: None,
            };
        }
    };
    match upcast_to_latest(&event)
        .map_err(|e| e.to_string())
        .and_then(|up| encode(&up).map_err(|e| e.to_string()))
    {
        Ok(bytes) => Verdict {
            cause: REQUEUEABLE.to_owned(),
            errors: Vec::new(),
            requeue: Some(bytes),
        },
        Err(message) => error(
            format!("cannot be upgraded: {}", event.event_type()),
            message,
        ),
    }
}
