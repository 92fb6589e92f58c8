//! `contracts aws deploy|publish|drain`: the routing contract on AWS (or an emulator).
//!
//! Built only with the `aws` feature (`cargo build -p event-contracts-cli --features aws`),
//! so that everyday builds do not compile the AWS SDK. Every subcommand takes
//! `--endpoint-url` (e.g. a moto server on `http://127.0.0.1:5000`) and `--region`;
//! without them the normal AWS configuration chain applies (environment, profile, SSO,
//! container or instance credentials).

use std::io::{self, Write};
use std::path::PathBuf;

use anyhow::Context;
use event_contracts::store::{JsonLinesReader, StoreError};
use event_contracts::ProductEvent;
use event_contracts_aws::{
    deploy, deploy_event_table, drain, Connection, DeployReport, DrainOptions, Publisher,
};
use serde_json::{json, Value};

use crate::Outcome;

/// `contracts aws`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Create or update the topic, queues, dead-letter queues, queue policies and
    /// subscriptions of schemas/routing.yaml. Running it again changes nothing.
    Deploy(DeployArgs),
    /// Validate every event of a JSON Lines file, then publish the valid ones to the topic
    /// with their eventType/version attributes. Invalid lines are refused and reported
    /// (exit 1); with --atomic, one invalid line means nothing is published.
    Publish(PublishArgs),
    /// Receive every message of a queue, print each body as one JSON line, then delete it.
    Drain(DrainArgs),
}

/// Where AWS is.
#[derive(Debug, clap::Args)]
struct ConnectionArgs {
    /// Send requests here instead of AWS, e.g. http://127.0.0.1:5000 for a local emulator.
    #[arg(long, value_name = "URL")]
    endpoint_url: Option<String>,
    /// The AWS region, instead of the configuration chain's.
    #[arg(long)]
    region: Option<String>,
}

impl ConnectionArgs {
    fn connection(&self) -> Connection {
        Connection {
            endpoint_url: self.endpoint_url.clone(),
            region: self.region.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// One line per resource.
    Human,
    /// One JSON document.
    Json,
}

#[derive(Debug, clap::Args)]
struct DeployArgs {
    #[command(flatten)]
    connection: ConnectionArgs,
    /// Also create the DynamoDB table of the event store, with this name.
    #[arg(long, value_name = "TABLE")]
    event_table: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

#[derive(Debug, clap::Args)]
struct PublishArgs {
    #[command(flatten)]
    connection: ConnectionArgs,
    /// The events, one per line; `-` or nothing reads standard input.
    #[arg(value_name = "FILE", default_value = "-")]
    input: PathBuf,
    /// Publish nothing if any line is invalid.
    #[arg(long)]
    atomic: bool,
}

#[derive(Debug, clap::Args)]
struct DrainArgs {
    #[command(flatten)]
    connection: ConnectionArgs,
    /// The queue's name, e.g. notifications-dlq.
    queue: String,
    /// Stop after this many messages.
    #[arg(long, value_name = "N")]
    max: Option<u64>,
    /// Long-poll this long (0-20 s) before deciding the queue is empty.
    #[arg(long, value_name = "SECONDS", default_value_t = 1, value_parser = clap::value_parser!(i32).range(0..=20))]
    wait_seconds: i32,
}

/// Runs `contracts aws …`.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    match args.command {
        Command::Deploy(args) => runtime.block_on(run_deploy(args)),
        Command::Publish(args) => runtime.block_on(run_publish(args)),
        Command::Drain(args) => runtime.block_on(run_drain(args)),
    }
}

async fn run_deploy(args: DeployArgs) -> anyhow::Result<Outcome> {
    let clients = args.connection.connection().clients().await?;
    let mut report = deploy(&clients).await?;
    if let Some(table) = &args.event_table {
        report
            .resources
            .push(deploy_event_table(&clients.dynamodb, table).await?);
    }
    let mut out = io::stdout().lock();
    match args.format {
        Format::Human => write_report(&mut out, &report)?,
        Format::Json => {
            let resources: Vec<Value> = report
                .resources
                .iter()
                .map(|r| {
                    json!({
                        "kind": r.kind.as_str(),
                        "name": r.name,
                        "arn": r.arn,
                        "change": r.change.to_string(),
                    })
                })
                .collect();
            let queues: serde_json::Map<String, Value> = report
                .queue_urls
                .iter()
                .map(|(name, url)| (name.clone(), Value::from(url.as_str())))
                .collect();
            let document = json!({
                "topicArn": report.topic_arn,
                "queueUrls": queues,
                "resources": resources,
                "warnings": report.warnings,
                "unchanged": report.is_unchanged(),
            });
            writeln!(out, "{document}")?;
        }
    }
    Ok(Outcome::Clean)
}

fn write_report(out: &mut impl Write, report: &DeployReport) -> io::Result<()> {
    for resource in &report.resources {
        writeln!(
            out,
            "{:<18} {:<45} {}",
            resource.kind.as_str(),
            resource.name,
            resource.change
        )?;
    }
    for warning in &report.warnings {
        writeln!(out, "warning: {warning}")?;
    }
    if report.is_unchanged() {
        writeln!(out, "everything already matched schemas/routing.yaml")?;
    }
    Ok(())
}

async fn run_publish(args: PublishArgs) -> anyhow::Result<Outcome> {
    let input = crate::input::open(&args.input)?;
    let (source, reader) = (input.source, input.reader);
    // Every line is checked before anything is sent; an invalid line never leaves.
    let mut events: Vec<(u64, ProductEvent)> = Vec::new();
    let mut problems = 0u64;
    for item in JsonLinesReader::new(reader).with_path(&source) {
        match item {
            Ok(stored) => events.push((stored.position, stored.event)),
            Err(error @ StoreError::Io { .. }) => return Err(error.into()),
            Err(error) => {
                eprintln!("{source}: {error}; not published");
                problems += 1;
            }
        }
    }
    if problems > 0 && args.atomic {
        eprintln!(
            "{source}: {problems} invalid line(s) and --atomic: nothing was published. Fix \
             them (`contracts validate {source}` lists every problem) and publish again."
        );
        return Ok(Outcome::Problems);
    }
    if events.is_empty() {
        eprintln!("{source}: no valid event; nothing was published");
        return Ok(if problems > 0 {
            Outcome::Problems
        } else {
            Outcome::Clean
        });
    }
    let clients = args.connection.connection().clients().await?;
    let publisher = Publisher::connect(clients.sns).await?;
    let only: Vec<ProductEvent> = events.iter().map(|(_, e)| e.clone()).collect();
    let report = publisher.publish_all(&only).await?;
    let mut out = io::stdout().lock();
    for published in &report.published {
        if let Some((line, event)) = events.get(published.index) {
            writeln!(
                out,
                "line {line}: published {} {} {} as message {}",
                event.event_type().as_str(),
                event.version().as_str(),
                event.event_id(),
                published.message_id
            )?;
        }
    }
    for failed in &report.failed {
        let line = events.get(failed.index).map_or(0, |(line, _)| *line);
        eprintln!(
            "{source}: line {line}: SNS refused event {}: {} {}",
            failed.event_id, failed.code, failed.message
        );
    }
    writeln!(
        out,
        "published {} of {} event(s) to {}",
        report.published.len(),
        events.len() as u64 + problems,
        publisher.topic_arn()
    )?;
    if problems > 0 {
        eprintln!("{source}: {problems} invalid line(s) refused");
    }
    Ok(if report.failed.is_empty() && problems == 0 {
        Outcome::Clean
    } else {
        Outcome::Problems
    })
}

async fn run_drain(args: DrainArgs) -> anyhow::Result<Outcome> {
    let clients = args.connection.connection().clients().await?;
    let mut out = io::stdout().lock();
    let options = DrainOptions {
        max: args.max,
        wait_seconds: args.wait_seconds,
    };
    // Each body is printed and flushed before its message is deleted: a message is
    // never lost, at worst printed twice.
    let drained = drain(&clients.sqs, &args.queue, options, |body| {
        writeln!(out, "{}", one_line(body))?;
        out.flush()
    })
    .await?;
    eprintln!("drained {drained} message(s) from {}", args.queue);
    Ok(Outcome::Clean)
}

/// A body as one JSON Lines line: unchanged when it is already one line; JSON spread
/// over lines compacted; anything else written as a JSON string.
fn one_line(body: &str) -> String {
    if !body.contains(['\n', '\r']) {
        return body.to_owned();
    }
    match serde_json::from_str::<Value>(body) {
        Ok(value) => value.to_string(),
        Err(_) => Value::from(body).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::one_line;

    #[test]
    fn one_line_bodies_are_kept_byte_for_byte() {
        assert_eq!(one_line(r#"{"a": 1.50}"#), r#"{"a": 1.50}"#);
    }

    #[test]
    fn json_over_several_lines_is_compacted() {
        assert_eq!(one_line("{\n  \"a\": 1\n}"), r#"{"a":1}"#);
    }

    #[test]
    fn other_text_over_several_lines_becomes_a_json_string() {
        assert_eq!(one_line("not\njson"), r#""not\njson""#);
    }
}
