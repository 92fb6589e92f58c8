//! Decoding throughput: each generated crate's `decode` against the serde floor, typify's
//! types, the generic `jsonschema` path and a SIMD parse, on one corpus per crate (the rows
//! are described in `src/lib.rs` and `docs/PERFORMANCE.md`).
//!
//! Each suite's corpus is also written to `target/bench-corpus/<group>/events.jsonl` with
//! its bundled schemas, and the events each row accepts to `accepted.json` there, so that
//! `cargo xtask bench` can time `contracts validate` and ajv on the very same lines and
//! print every row's verdicts beside its time.
//!
//! Run with `cargo xtask bench`, or `cargo bench -p event-contracts-bench --bench decode`.

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use serde_json::Value;

use event_contracts_bench::{
    accepted, generic, generic_validators, known_kinds, simd_tape, write_corpus, EnvelopeSearch,
    Suite,
};

fn bench_suite(c: &mut Criterion, suite: &Suite) {
    let events = &suite.events;
    let bytes: u64 = events.iter().map(|e| e.len() as u64).sum();
    let validators = generic_validators(suite);
    let search = EnvelopeSearch::new(suite.envelope);
    let kinds = known_kinds(suite);
    let mut scratch: Vec<u8> = Vec::with_capacity(1 << 16);
    let mut buffers = simd_json::Buffers::new(1 << 12);

    // Each row once, untimed: the events it accepts, so a reader sees whether the rows
    // agree on the verdicts (the floor and typify check less than decode does).
    let floor_picked = |e: &[u8]| {
        search
            .event_type(e)
            .is_some_and(|kind| (suite.floor_slice)(kind, e))
    };
    let typify_picked = |e: &[u8]| match (search.event_type(e), search.version(e)) {
        (Some(kind), Some(version)) => (suite.typify)(kind, version, e),
        _ => false,
    };
    let read_once = || {
        events
            .iter()
            .zip(&kinds)
            .filter(|(e, kind)| kind.as_deref().is_some_and(|k| (suite.floor_slice)(k, e)))
            .count()
    };
    let counts = [
        (
            "a_simd_json_tape",
            accepted(events, |e| simd_tape(e, &mut scratch, &mut buffers)),
        ),
        (
            "a_value",
            accepted(events, |e| serde_json::from_slice::<Value>(e).is_ok()),
        ),
        ("b_typed_floor", accepted(events, floor_picked)),
        ("b_typed_read_once", read_once()),
        ("t_typify", accepted(events, typify_picked)),
        (
            "c_generic",
            accepted(events, |e| generic(suite, &validators, e, false)),
        ),
        (
            "c_generic_all_errors",
            accepted(events, |e| generic(suite, &validators, e, true)),
        ),
        ("d_decode", accepted(events, suite.decode)),
    ];
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../target/bench-corpus")
        .join(suite.group);
    let report: serde_json::Map<String, Value> = counts
        .iter()
        .map(|(id, n)| ((*id).to_owned(), Value::from(*n)))
        .collect();
    let written = write_corpus(suite, &dir).and_then(|()| {
        std::fs::write(
            dir.join("accepted.json"),
            serde_json::to_vec_pretty(&report).unwrap_or_default(),
        )
    });
    if let Err(e) = written {
        eprintln!("could not write the corpus to {}: {e}", dir.display());
    }
    for (event_type, version, why) in suite.typify_refused {
        eprintln!(
            "{}: typify refuses {event_type} {version} (row t rejects its events unread): {why}",
            suite.group
        );
    }
    eprintln!(
        "{}: {} events, {} bytes; accepted per row: {}",
        suite.group,
        events.len(),
        bytes,
        counts
            .iter()
            .map(|(id, n)| format!("{id} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );

    let mut group = c.benchmark_group(suite.group);
    // A pass over the corpus takes a fraction of a second: ten passes per row are enough
    // on a shared two-core machine, and Flat sampling keeps it to exactly that.
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.throughput(Throughput::Bytes(bytes));

    // The physical ceiling: simd-json's tape (structure and scalars found, nothing built),
    // on a copy of each event since it parses in place; the copy is part of the row. The
    // parser's buffers are reused from event to event, as a consumer loop would.
    group.bench_function("a_simd_json_tape", |b| {
        b.iter(|| accepted(events, |e| simd_tape(e, &mut scratch, &mut buffers)))
    });
    group.bench_function("a_value", |b| {
        b.iter(|| accepted(events, |e| serde_json::from_slice::<Value>(e).is_ok()))
    });
    // The floor: the struct picked by a substring search for the discriminator (no parse),
    // then one typed read.
    group.bench_function("b_typed_floor", |b| {
        b.iter(|| accepted(events, floor_picked))
    });
    // The floor's typed read alone, each event's struct picked before the timing starts.
    // No decoder picks the struct for free, so this bounds every serde_json-based decode.
    group.bench_function("b_typed_read_once", |b| b.iter(read_once));
    // typify's types, picked by type and version the same way: one read, no schema check
    // beyond what the types hold.
    group.bench_function("t_typify", |b| b.iter(|| accepted(events, typify_picked)));
    group.bench_function("c_generic", |b| {
        b.iter(|| accepted(events, |e| generic(suite, &validators, e, false)))
    });
    group.bench_function("c_generic_all_errors", |b| {
        b.iter(|| accepted(events, |e| generic(suite, &validators, e, true)))
    });
    group.bench_function("d_decode", |b| b.iter(|| accepted(events, suite.decode)));
    group.finish();
}

fn bench_decode(c: &mut Criterion) {
    for (_, suite) in event_contracts_bench::SUITES {
        bench_suite(c, &suite());
    }
}

criterion_group!(benches, bench_decode);
criterion_main!(benches);
