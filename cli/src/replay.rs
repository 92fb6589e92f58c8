//! `contracts replay`: replays a JSON Lines event log into the product catalog read model
//! and prints it, whole or as of a time, for every product or one.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use anyhow::Context;
use chrono::{DateTime, Utc};
use event_contracts::replay::{
    happened_by, replay_with_history, CatalogReport, HistoryEntry, Outcome as EventOutcome,
    ProductReport, RejectionReport,
};
use event_contracts::store::{JsonLinesReader, StoreError};
use event_contracts::ProductCatalog;
use uuid::Uuid;

use crate::Outcome;

/// Arguments of `contracts replay`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Events apply in the order of the log, not sorted by timestamp. With --as-of, only the \
events whose timestamp is at or before that time apply, still in log order. An event that \
does not fit the catalog (an update of an unknown product, a previousState that disagrees, \
a repeated eventId, anything after a deletion) is listed under \"rejected\" with its \
eventId and the reason, and left out of the catalog.

In JSON: {\"asOf\", \"products\": [{\"productId\", \"name\", \"description\", \"price\", \
\"quantity\", \"category\", \"sellerId\", \"deleted\", \"deletedReason\", \"createdAt\", \
\"updatedAt\", \"lowStock\": null | {\"severity\", \"currentQuantity\", \"threshold\"}}], \
\"rejected\": [{\"eventId\", \"reason\"}]}, products sorted by productId.

Exit status: 0 when every line of the log is an event, 1 when a line is not (it is reported \
on standard error and the rest is replayed), 2 on a usage or I/O error.")]
pub struct Args {
    /// The JSON Lines event log; `-` reads standard input.
    #[arg(value_name = "FILE")]
    input: PathBuf,

    /// Replay only the events whose timestamp is at or before this RFC 3339 time, e.g.
    /// 2026-03-01T12:00:00Z.
    #[arg(long, value_name = "RFC 3339", value_parser = parse_as_of)]
    as_of: Option<AsOf>,

    /// Show one product, and only the rejected events about it; the table adds its history.
    #[arg(long, value_name = "UUID", value_parser = parse_product)]
    product: Option<Uuid>,

    /// `table` for people, `json` for programs.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

/// How the catalog is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// Aligned columns, the rejected events, and with --product the product's history.
    Table,
    /// The catalog report as one JSON document.
    Json,
}

/// The `--as-of` time: the instant, and the text given, which the report echoes.
#[derive(Debug, Clone)]
struct AsOf {
    text: String,
    at: DateTime<Utc>,
}

fn parse_as_of(text: &str) -> Result<AsOf, String> {
    let invalid = || {
        format!("{text:?} is not an RFC 3339 date-time with an offset, e.g. 2026-03-01T12:00:00Z")
    };
    // The same rule as the schemas' `format: date-time`, so --as-of reads as events do.
    if !event_contracts::formats::is_date_time(text) {
        return Err(invalid());
    }
    let at = DateTime::parse_from_rfc3339(text).map_err(|_| invalid())?;
    Ok(AsOf {
        text: text.to_owned(),
        at: at.with_timezone(&Utc),
    })
}

fn parse_product(text: &str) -> Result<Uuid, String> {
    Uuid::try_parse(text).map_err(|e| format!("{text:?} is not a UUID: {e}"))
}

const WRITE_FAILED: &str = "cannot write the catalog";

/// Runs `contracts replay`.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let input = crate::input::open(&args.input)?;
    let (source, reader) = (input.source, input.reader);
    let mut bad_lines = 0u64;
    let mut read_error = None;
    let as_of = args.as_of.as_ref().map(|a| a.at);
    let events = JsonLinesReader::new(reader)
        .with_path(&source)
        .filter_map(|item| match item {
            Ok(stored) => Some(stored.event),
            Err(error @ StoreError::Io { .. }) => {
                read_error = Some(error);
                None
            }
            Err(error) => {
                // Line errors carry their own "line N: " prefix.
                eprintln!("{source}: {error}");
                bad_lines += 1;
                None
            }
        })
        .filter(|event| as_of.is_none_or(|at| happened_by(event, &at)));
    let (catalog, history) = match args.product {
        Some(product) => {
            let (catalog, history) = replay_with_history(events, product);
            (catalog, Some(history))
        }
        None => (ProductCatalog::replay(events), None),
    };
    if let Some(error) = read_error {
        return Err(error).with_context(|| format!("cannot read {source}"));
    }
    let report = report(&catalog, args.as_of.map(|a| a.text), args.product);
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &report).context(WRITE_FAILED)?;
            out.write_all(b"\n").context(WRITE_FAILED)?;
        }
        Format::Table => {
            let table = render_table(&report, args.product.zip(history.as_deref()));
            out.write_all(table.as_bytes()).context(WRITE_FAILED)?;
        }
    }
    out.flush().context(WRITE_FAILED)?;
    if bad_lines > 0 {
        if bad_lines == 1 {
            eprintln!("1 line of {source} is not an event and was left out");
        } else {
            eprintln!("{bad_lines} lines of {source} are not events and were left out");
        }
        return Ok(Outcome::Problems);
    }
    Ok(Outcome::Clean)
}

/// The report, narrowed to one product (and the rejections about it) when asked.
fn report(catalog: &ProductCatalog, as_of: Option<String>, product: Option<Uuid>) -> CatalogReport {
    let mut report = catalog.report();
    report.as_of = as_of;
    if let Some(product) = product {
        report.products = catalog
            .product(&product)
            .map(ProductReport::from)
            .into_iter()
            .collect();
        report.rejected = catalog
            .rejections()
            .iter()
            .filter(|r| r.product_id == product)
            .map(RejectionReport::from)
            .collect();
    }
    report
}

/// Control characters would break the columns; they are shown escaped.
fn cell(text: &str) -> String {
    if text.chars().any(char::is_control) {
        text.escape_debug().to_string()
    } else {
        text.to_owned()
    }
}

/// Lays out rows in columns two spaces apart, the columns in `numeric` aligned right;
/// the last column is not padded.
fn columns(rows: &[Vec<String>], numeric: &[usize]) -> String {
    let count = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..count)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (i, c) in row.iter().enumerate() {
            let pad = " ".repeat(widths[i].saturating_sub(c.chars().count()));
            if numeric.contains(&i) {
                line.push_str(&pad);
                line.push_str(c);
            } else {
                line.push_str(c);
                if i + 1 < row.len() {
                    line.push_str(&pad);
                }
            }
            if i + 1 < row.len() {
                line.push_str("  ");
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The table format: a heading, the products, the rejected events, and a product's history.
fn render_table(report: &CatalogReport, history: Option<(Uuid, &[HistoryEntry])>) -> String {
    let mut out = String::new();
    let deleted = report.products.iter().filter(|p| p.deleted).count();
    out.push_str(&format!(
        "Catalog {}: {}, {} deleted\n\n",
        match &report.as_of {
            Some(at) => format!("as of {at}"),
            None => "after every event".to_owned(),
        },
        plural(report.products.len(), "product", "products"),
        deleted
    ));
    if report.products.is_empty() {
        out.push_str("No products.\n");
    } else {
        let mut rows = vec![[
            "PRODUCT",
            "NAME",
            "PRICE",
            "QTY",
            "CATEGORY",
            "STATUS",
            "LOW STOCK",
            "CREATED",
            "UPDATED",
        ]
        .map(str::to_owned)
        .to_vec()];
        for p in &report.products {
            let status = match (&p.deleted, &p.deleted_reason) {
                (false, _) => "active".to_owned(),
                (true, None) => "deleted".to_owned(),
                (true, Some(reason)) => format!("deleted: {}", cell(reason)),
            };
            let low_stock = match &p.low_stock {
                None => "-".to_owned(),
                Some(l) => format!(
                    "{} {}/{}",
                    l.severity.as_deref().unwrap_or("warning"),
                    l.current_quantity,
                    l.threshold
                ),
            };
            rows.push(vec![
                p.product_id.clone(),
                cell(&p.name),
                p.price.to_string(),
                p.quantity.to_string(),
                p.category.clone(),
                status,
                low_stock,
                p.created_at.clone(),
                p.updated_at.clone(),
            ]);
        }
        out.push_str(&columns(&rows, &[2, 3]));
    }
    out.push('\n');
    if report.rejected.is_empty() {
        out.push_str("No rejected events.\n");
    } else {
        out.push_str(&format!(
            "{}:\n",
            plural(report.rejected.len(), "rejected event", "rejected events")
        ));
        let rows: Vec<Vec<String>> = report
            .rejected
            .iter()
            .map(|r| vec![format!("  {}", r.event_id), cell(&r.reason)])
            .collect();
        out.push_str(&columns(&rows, &[]));
    }
    if let Some((product, entries)) = history {
        out.push_str(&format!("\nHistory of {product}:\n"));
        if entries.is_empty() {
            out.push_str("  no events\n");
        }
        let rows: Vec<Vec<String>> = entries
            .iter()
            .map(|h| {
                vec![
                    format!("  {}", h.timestamp),
                    h.event_type.to_string(),
                    h.event_id.to_string(),
                    match &h.outcome {
                        EventOutcome::Applied(_) => "applied".to_owned(),
                        EventOutcome::Rejected(reason) => {
                            format!("rejected: {}", cell(&reason.to_string()))
                        }
                    },
                ]
            })
            .collect();
        out.push_str(&columns(&rows, &[]));
    }
    out
}
