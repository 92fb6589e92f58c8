//! `contracts aws deploy|publish|consume|drain|redrive`: the routing contract on AWS (or
//! an emulator).
//!
//! Built only with the `aws` feature (`cargo build -p event-contracts-cli --features aws`),
//! so that everyday builds do not compile the AWS SDK. Every subcommand takes
//! `--endpoint-url` (e.g. a moto server on `http://127.0.0.1:5000`) and `--region`;
//! without them the normal AWS configuration chain applies (environment, profile, SSO,
//! container or instance credentials).

use std::cell::RefCell;
use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use event_contracts::routing::Queue;
use event_contracts::store::{JsonLinesReader, StoreError};
use event_contracts::{encode, ProductEvent};
use event_contracts_aws::{
    deploy_dedup_table, deploy_event_table, deploy_with, drain, redrive, Connection, Consumer,
    Deduplicator, Delivery, DeployOptions, DeployReport, Disposition, DrainOptions, MessageReport,
    Publisher, RedriveMethod, RedriveOptions,
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
    /// Run the consumer of a queue: each event, decoded and upcast to the newest minor,
    /// goes as one JSON line to --handler's standard input (or is printed). Exit 0
    /// acknowledges it; any other status, or a run past --handler-timeout, is a failure
    /// retried under the retry policy. SIGINT/SIGTERM stop it gracefully.
    Consume(ConsumeArgs),
    /// Export the messages of a queue (a dead-letter queue, typically) with their
    /// attributes, one SQS ReceiveMessage JSON document per line (what `contracts
    /// triage` reads). With --delete they are deleted, once --output is synced to disk.
    Drain(DrainArgs),
    /// Move the messages of a dead-letter queue back to the queue they failed in (not
    /// to the topic, so no other subscriber gets them again).
    Redrive(RedriveArgs),
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
    /// Also create the DynamoDB table of the event store, with this name (deletion
    /// protection and point-in-time recovery on).
    #[arg(long, value_name = "TABLE")]
    event_table: Option<String>,
    /// Also create the DynamoDB table consumers de-duplicate event ids in (TTL on).
    #[arg(long, value_name = "TABLE")]
    dedup_table: Option<String>,
    /// Encrypt the queues with this KMS key (id, ARN or alias) instead of SQS-managed keys.
    #[arg(long, value_name = "KEY")]
    queue_kms_key: Option<String>,
    /// Encrypt the topic with this KMS key.
    #[arg(long, value_name = "KEY")]
    topic_kms_key: Option<String>,
    /// Remove SQS subscriptions of the topic that schemas/routing.yaml does not name
    /// (without it they are reported as orphans).
    #[arg(long)]
    prune: bool,
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
struct ConsumeArgs {
    #[command(flatten)]
    connection: ConnectionArgs,
    /// The queue's name, e.g. notifications-queue.
    queue: String,
    /// Handle up to N messages at once.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=1000))]
    concurrency: u16,
    /// Run this through `sh -c` for each event, the event as one JSON line on its
    /// standard input (and CONTRACTS_QUEUE, CONTRACTS_MESSAGE_ID,
    /// CONTRACTS_RECEIVE_COUNT, CONTRACTS_SENT_VERSION in its environment). Without it,
    /// events are printed as JSON Lines.
    #[arg(long, value_name = "CMD")]
    handler: Option<String>,
    /// A handler still running after this long is killed and counts as failed.
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    handler_timeout: u64,
    /// Stop after receiving K messages (once they are finished).
    #[arg(long, value_name = "K")]
    max_messages: Option<u64>,
    /// Stop once no message has arrived for this long.
    #[arg(long, value_name = "SECONDS")]
    idle_exit: Option<u64>,
    /// Long-poll this long (0-20 s) per receive.
    #[arg(long, value_name = "SECONDS", default_value_t = 20, value_parser = clap::value_parser!(u64).range(0..=20))]
    wait_seconds: u64,
    /// The visibility timeout each receive asks for and each heartbeat renews (default:
    /// the queue's, from schemas/routing.yaml).
    #[arg(long, value_name = "SECONDS")]
    visibility_timeout: Option<u64>,
    /// How long an event of a type or major this build cannot read waits before its
    /// next receive.
    #[arg(long, value_name = "SECONDS", default_value_t = 3600)]
    unsupported_delay: u64,
    /// De-duplicate by eventId in this DynamoDB table (see `aws deploy --dedup-table`).
    #[arg(long, value_name = "TABLE")]
    dedup_table: Option<String>,
    /// How long a handled eventId is refused again.
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 86_400,
        requires = "dedup_table"
    )]
    dedup_window: u64,
    /// Each AWS call attempt may take this long (a receive: this beyond its wait).
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    operation_timeout: u64,
}

#[derive(Debug, clap::Args)]
struct DrainArgs {
    #[command(flatten)]
    connection: ConnectionArgs,
    /// The queue's name, e.g. notifications-dlq.
    queue: String,
    /// Write here (one ReceiveMessage JSON document per line) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Delete the drained messages, each batch once the output file is synced to disk.
    /// Needs --output: a pipe cannot say that what it took is safely stored.
    #[arg(long, requires = "output")]
    delete: bool,
    /// Stop after this many messages.
    #[arg(long, value_name = "N")]
    max: Option<u64>,
    /// Long-poll this long (0-20 s) before deciding the queue is empty.
    #[arg(long, value_name = "SECONDS", default_value_t = 1, value_parser = clap::value_parser!(i32).range(0..=20))]
    wait_seconds: i32,
}

#[derive(Debug, clap::Args)]
struct RedriveArgs {
    #[command(flatten)]
    connection: ConnectionArgs,
    /// The dead-letter queue, e.g. notifications-dlq or notifications-queue-sns-dlq.
    dead_letter_queue: String,
    /// Copy (receive, send, delete after the send is confirmed) even where SQS could
    /// move the messages itself with StartMessageMoveTask.
    #[arg(long)]
    copy: bool,
    /// Move at most this many messages (implies --copy).
    #[arg(long, value_name = "N")]
    max: Option<u64>,
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
        Command::Consume(args) => runtime.block_on(run_consume(args)),
        Command::Drain(args) => runtime.block_on(run_drain(args)),
        Command::Redrive(args) => runtime.block_on(run_redrive(args)),
    }
}

async fn run_deploy(args: DeployArgs) -> anyhow::Result<Outcome> {
    let clients = args.connection.connection().clients().await?;
    let options = DeployOptions {
        queue_kms_key: args.queue_kms_key.clone(),
        topic_kms_key: args.topic_kms_key.clone(),
        prune: args.prune,
    };
    let mut report = deploy_with(&clients, &options).await?;
    if let Some(table) = &args.event_table {
        report
            .resources
            .push(deploy_event_table(&clients.dynamodb, table).await?);
    }
    if let Some(table) = &args.dedup_table {
        report
            .resources
            .push(deploy_dedup_table(&clients.dynamodb, table).await?);
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
    for index in &report.not_sent {
        let line = events.get(*index).map_or(0, |(line, _)| *line);
        eprintln!("{source}: line {line}: not sent (publishing stopped)");
    }
    if let Some(error) = &report.error {
        eprintln!("{source}: publishing stopped: {error}");
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
    Ok(
        if report.failed.is_empty() && report.not_sent.is_empty() && problems == 0 {
            Outcome::Clean
        } else {
            Outcome::Problems
        },
    )
}

async fn run_drain(args: DrainArgs) -> anyhow::Result<Outcome> {
    let clients = args.connection.connection().clients().await?;
    let options = DrainOptions {
        max: args.max,
        wait_seconds: args.wait_seconds,
        delete: args.delete,
        ..DrainOptions::default()
    };
    let report = match &args.output {
        Some(path) => {
            let file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .with_context(|| format!("cannot open {}", path.display()))?;
            let out = RefCell::new(io::BufWriter::new(file));
            // Each batch is written, flushed and synced to disk before it is deleted: a
            // crash loses nothing, at worst a message is written twice.
            drain(
                &clients.sqs,
                &args.queue,
                options,
                |message| writeln!(out.borrow_mut(), "{}", message.to_receive_json()),
                || {
                    let mut out = out.borrow_mut();
                    out.flush()?;
                    out.get_ref().sync_all()
                },
            )
            .await?
        }
        None => {
            let out = RefCell::new(io::stdout().lock());
            drain(
                &clients.sqs,
                &args.queue,
                options,
                |message| writeln!(out.borrow_mut(), "{}", message.to_receive_json()),
                || out.borrow_mut().flush(),
            )
            .await?
        }
    };
    eprintln!(
        "drained {} message(s) from {}{}",
        report.drained,
        args.queue,
        if args.delete {
            format!(", deleted {}", report.deleted)
        } else {
            " (left in the queue; --delete removes them)".to_owned()
        }
    );
    if report.delete_failures > 0 {
        eprintln!(
            "{} delete(s) failed: those messages are still in {} and were written",
            report.delete_failures, args.queue
        );
        return Ok(Outcome::Problems);
    }
    Ok(Outcome::Clean)
}

async fn run_redrive(args: RedriveArgs) -> anyhow::Result<Outcome> {
    let clients = args.connection.connection().clients().await?;
    let options = RedriveOptions {
        max: args.max,
        copy: args.copy || args.max.is_some(),
        ..RedriveOptions::default()
    };
    let report = redrive(&clients.sqs, &args.dead_letter_queue, options).await?;
    match &report.method {
        RedriveMethod::MoveTask { task_handle } => println!(
            "started a message move task from {} to {} (task {task_handle}); SQS moves the \
             messages in the background",
            report.dead_letter_queue, report.source_queue
        ),
        RedriveMethod::Copied { move_task_refused } => {
            if let Some(why) = move_task_refused {
                eprintln!("StartMessageMoveTask was refused ({why}); copying instead");
            }
            println!(
                "moved {} message(s) from {} back to {}",
                report.moved, report.dead_letter_queue, report.source_queue
            );
        }
    }
    if report.delete_failures > 0 {
        eprintln!(
            "{} message(s) were sent back but could not be deleted from {}: they are \
             still there; do not redrive them again before they are handled",
            report.delete_failures, report.dead_letter_queue
        );
        return Ok(Outcome::Problems);
    }
    Ok(Outcome::Clean)
}

async fn run_consume(args: ConsumeArgs) -> anyhow::Result<Outcome> {
    let queue = Queue::from_name(&args.queue)
        .filter(|q| !q.is_dead_letter_queue())
        .with_context(|| {
            let names: Vec<&str> = Queue::ALL
                .iter()
                .filter(|q| !q.is_dead_letter_queue())
                .map(|q| q.name())
                .collect();
            format!(
                "{:?} is not a queue of schemas/routing.yaml; the queues are {} (dead-letter \
                 queues are read with `aws drain` and emptied with `aws redrive`)",
                args.queue,
                names.join(", ")
            )
        })?;
    let clients = args.connection.connection().clients().await?;
    let mut consumer = Consumer::connect(clients.sqs.clone(), queue)
        .await?
        .with_concurrency(usize::from(args.concurrency))
        .with_wait_time(Duration::from_secs(args.wait_seconds))
        .with_handler_timeout(Duration::from_secs(args.handler_timeout))
        .with_unsupported_delay(Duration::from_secs(args.unsupported_delay))
        .with_operation_timeout(Duration::from_secs(args.operation_timeout.max(1)))
        .on_report(log_report)
        .on_receive_error(|error| eprintln!("receive failed (retrying after a backoff): {error}"));
    if let Some(seconds) = args.visibility_timeout {
        consumer = consumer.with_visibility_timeout(Duration::from_secs(seconds));
    }
    if let Some(limit) = args.max_messages {
        consumer = consumer.with_message_limit(limit);
    }
    if let Some(idle) = args.idle_exit {
        consumer = consumer.with_idle_exit(Duration::from_secs(idle));
    }
    if let Some(table) = &args.dedup_table {
        consumer = consumer.with_deduplication(Deduplicator::new(
            clients.dynamodb.clone(),
            table,
            Duration::from_secs(args.dedup_window),
        ));
    }
    let stopping = Arc::new(AtomicBool::new(false));
    let stats = match &args.handler {
        Some(command) => {
            consumer
                .run(
                    |event, delivery| run_handler(command, event, delivery),
                    shutdown_signal(stopping.clone()),
                )
                .await?
        }
        None => {
            consumer
                .run(
                    |event, _delivery| async move { print_event(&event) },
                    shutdown_signal(stopping.clone()),
                )
                .await?
        }
    };
    eprintln!(
        "{}: {} received, {} handled, {} retried, {} dead-lettered, {} deferred, {} \
         duplicate(s), {} released, {} receive error(s){}",
        queue.name(),
        stats.messages,
        stats.handled,
        stats.retried,
        stats.dead_lettered,
        stats.deferred,
        stats.duplicates,
        stats.released,
        stats.receive_errors,
        if stopping.load(Ordering::Relaxed) {
            "; stopped by a signal"
        } else {
            ""
        }
    );
    Ok(if stats.acknowledge_errors > 0 {
        Outcome::Problems
    } else {
        Outcome::Clean
    })
}

/// Completes on SIGINT or SIGTERM; if the handlers cannot be installed, never.
async fn shutdown_signal(stopping: Arc<AtomicBool>) {
    use tokio::signal::unix::{signal, SignalKind};
    let (Ok(mut interrupt), Ok(mut terminate)) = (
        signal(SignalKind::interrupt()),
        signal(SignalKind::terminate()),
    ) else {
        eprintln!("cannot listen for SIGINT/SIGTERM; stop with SIGKILL");
        return std::future::pending().await;
    };
    tokio::select! {
        _ = interrupt.recv() => {},
        _ = terminate.recv() => {},
    }
    eprintln!("stopping: no new messages; finishing the ones in flight");
    stopping.store(true, Ordering::Relaxed);
}

/// One line on standard error per message, for operators.
fn log_report(report: &MessageReport) {
    let what = match &report.disposition {
        Disposition::Handled => "handled".to_owned(),
        Disposition::Retried { delay, error } => {
            format!("failed, retry in {} s: {error}", delay.as_secs())
        }
        Disposition::DeadLettered { reason, error } => {
            format!("dead-lettered ({}): {error}", reason.as_str())
        }
        Disposition::Deferred { delay, error } => {
            format!("deferred {} s: {error}", delay.as_secs())
        }
        Disposition::Duplicate => "duplicate: handled before, deleted".to_owned(),
        Disposition::Busy { delay } => {
            format!(
                "busy: another consumer holds it, retry in {} s",
                delay.as_secs()
            )
        }
        Disposition::Released => "released unstarted (its visibility was nearly over)".to_owned(),
        other => format!("{other:?}"),
    };
    let ack = report
        .acknowledge_error
        .as_deref()
        .map(|e| format!(" [acknowledging failed: {e}]"))
        .unwrap_or_default();
    eprintln!(
        "message {} (receive {}): {what}{ack}",
        report.message_id, report.receive_count
    );
}

/// Prints an event as one JSON line (the output when there is no --handler).
fn print_event(event: &ProductEvent) -> Result<(), String> {
    let bytes = encode(event).map_err(|e| e.to_string())?;
    let mut out = io::stdout().lock();
    out.write_all(&bytes)
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush())
        .map_err(|e| format!("cannot write the event to standard output: {e}"))
}

/// Runs the handler command for one event; exit 0 is success.
async fn run_handler(command: &str, event: ProductEvent, delivery: Delivery) -> Result<(), String> {
    use tokio::io::AsyncWriteExt;
    let mut line = encode(&event).map_err(|e| e.to_string())?;
    line.push(b'\n');
    let mut child = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .env("CONTRACTS_QUEUE", delivery.queue.name())
        .env("CONTRACTS_MESSAGE_ID", &delivery.message_id)
        .env(
            "CONTRACTS_RECEIVE_COUNT",
            delivery.receive_count.to_string(),
        )
        .env("CONTRACTS_SENT_VERSION", &delivery.sent_version)
        .stdin(std::process::Stdio::piped())
        // The handler's own output goes where ours does.
        .stdout(std::process::Stdio::inherit())
        .stderr(std::process::Stdio::inherit())
        // A handler past its timeout is dropped by the consumer: kill it then.
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("cannot start the handler `sh -c {command}`: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        // A handler that exits without reading its input is judged by its status alone.
        let _ = stdin.write_all(&line).await;
        drop(stdin);
    }
    let status = child
        .wait()
        .await
        .map_err(|e| format!("cannot wait for the handler: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the handler exited with {status}"))
    }
}
