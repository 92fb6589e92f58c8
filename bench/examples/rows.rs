//! Runs one bench row over part of a suite's corpus, for instruction counts: time moves by
//! tens of percent on a shared machine, callgrind's counts do not.
//!
//! ```sh
//! cargo build --release -p event-contracts-bench --example rows
//! valgrind --tool=callgrind --collect-atstart=no --toggle-collect='rows::measured' \
//!     target/release/examples/rows decode invalid
//! ```
//!
//! Arguments: the row (`decode`, `floor`, `read-once`, `typify`, `generic`, `generic-all`,
//! `value`), which events (`valid` or `invalid` by `decode`'s verdict, or `all`), at most
//! how many (default 20,000), the suite (default `decode`, the product's events) and how
//! many passes (default 1). Only `measured` runs while callgrind collects: the corpus, the
//! choice of events and every one-time cost (compiling schemas, regexes) come before.
//! Divide the instructions callgrind reports by the events printed.
//!
//! Without callgrind, the wall time of the fastest pass is printed per event: a quick look
//! at one kind of event (valid or invalid alone), which criterion's rows mix. It is as
//! noisy as the machine; compare rows in one run, and prefer instruction counts.

use std::process::ExitCode;

use event_contracts_bench::{generic, generic_validators, EnvelopeSearch, Suite, SUITES};

/// One row's verdict on one event.
type Accept<'a> = dyn FnMut(&[u8]) -> bool + 'a;

/// The row under measurement, over the chosen events: the events it accepted.
#[inline(never)]
fn measured(events: &[&[u8]], accept: &mut Accept) -> usize {
    events.iter().filter(|e| accept(e)).count()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(row), Some(which)) = (args.first(), args.get(1)) else {
        eprintln!("usage: rows <decode|floor|read-once|typify|generic|generic-all|value> <valid|invalid|all> [limit] [suite]");
        return ExitCode::from(2);
    };
    let limit: usize = match args.get(2).map(|n| n.parse()) {
        None => 20_000,
        Some(Ok(n)) => n,
        Some(Err(e)) => {
            eprintln!("the limit must be a number: {e}");
            return ExitCode::from(2);
        }
    };
    let name = args.get(3).map_or("decode", String::as_str);
    let passes: usize = match args.get(4).map(|n| n.parse()) {
        None => 1,
        Some(Ok(n)) if n > 0 => n,
        Some(_) => {
            eprintln!("the passes must be a number above 0");
            return ExitCode::from(2);
        }
    };
    let Some((_, make)) = SUITES.iter().find(|(group, _)| *group == name) else {
        eprintln!("no suite {name:?}; the suites are the groups in event_contracts_bench::SUITES");
        return ExitCode::from(2);
    };
    let suite: Suite = make();
    let events: Vec<&[u8]> = suite
        .events
        .iter()
        .map(Vec::as_slice)
        .filter(|e| match which.as_str() {
            "valid" => (suite.decode)(e),
            "invalid" => !(suite.decode)(e),
            _ => true,
        })
        .take(limit)
        .collect();
    let validators = generic_validators(&suite);
    let search = EnvelopeSearch::new(suite.envelope);
    let kinds: Vec<Option<&str>> = events.iter().map(|e| search.event_type(e)).collect();
    // Each pass takes exactly one kind per event, so the cycle stays in step.
    let mut next_kind = kinds.iter().cycle();
    let mut accept: Box<Accept> = match row.as_str() {
        "decode" => Box::new(suite.decode),
        "floor" => Box::new(|e| {
            search
                .event_type(e)
                .is_some_and(|kind| (suite.floor_slice)(kind, e))
        }),
        "read-once" => Box::new(|e| {
            next_kind
                .next()
                .copied()
                .flatten()
                .is_some_and(|kind| (suite.floor_slice)(kind, e))
        }),
        "typify" => Box::new(|e| match (search.event_type(e), search.version(e)) {
            (Some(kind), Some(version)) => (suite.typify)(kind, version, e),
            _ => false,
        }),
        "generic" => Box::new(|e| generic(&suite, &validators, e, false)),
        "generic-all" => Box::new(|e| generic(&suite, &validators, e, true)),
        "value" => Box::new(|e| serde_json::from_slice::<serde_json::Value>(e).is_ok()),
        other => {
            eprintln!("unknown row {other:?}");
            return ExitCode::from(2);
        }
    };
    // Events before the measured pass, so that lazily built state (compiled schemas,
    // regexes) is not counted; not for `read-once`, whose kinds are taken in order.
    if row != "read-once" {
        let _warm = events.iter().take(100).filter(|e| accept(e)).count();
    }
    let mut fastest = std::time::Duration::MAX;
    let mut accepted = 0;
    for _ in 0..passes {
        let started = std::time::Instant::now();
        accepted = measured(&events, &mut *accept);
        fastest = fastest.min(started.elapsed());
    }
    println!(
        "{row}: {} {which} events, {accepted} accepted, fastest of {passes} passes {:.0} ns per event",
        events.len(),
        fastest.as_nanos() as f64 / events.len().max(1) as f64
    );
    ExitCode::SUCCESS
}
