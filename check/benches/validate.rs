//! The compiled validator against `jsonschema` 0.61.2 (the oracle) on a real event schema:
//! `product-created` 1.1.0 bundled with the common envelope, as the build bundles it, and a
//! valid and an invalid example event. Rows: `is_valid` and the full list of violations,
//! over `Value` and over `Tree`.
//!
//! `cargo bench -p event-contracts-check --bench validate`

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use event_contracts_check::{formats, Collector, CompiledSchema, Tree};
use serde_json::Value;

fn read(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The event schema with the envelope's definitions copied in and its `$ref`s made local.
fn bundled(schemas: &Path) -> Value {
    let envelope = read(&schemas.join("common/envelope.json"));
    let text = std::fs::read_to_string(schemas.join("product-created/1.1.0.json")).unwrap();
    let text = text.replace("../common/envelope.json#/definitions/", "#/definitions/");
    let mut schema: Value = serde_json::from_str(&text).unwrap();
    schema["definitions"] = envelope["definitions"].clone();
    schema
}

fn bench(c: &mut Criterion) {
    let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let schema = bundled(&schemas);
    let examples = schemas.join("product-created/examples/1.1.0");
    let valid = read(
        &examples.join("valid").join(
            std::fs::read_dir(examples.join("valid"))
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .min()
                .unwrap(),
        ),
    );
    let mut invalid = valid.clone();
    invalid["data"]["name"] = Value::from("");
    invalid["data"]["quantity"] = Value::from(1.5);
    invalid["eventId"] = Value::from("not-a-uuid");

    let compiled = CompiledSchema::compile(&schema).expect("the bundled schema compiles");
    let oracle = jsonschema::draft7::options()
        .should_validate_formats(true)
        .with_format("uuid", formats::is_uuid)
        .with_format("date-time", formats::is_date_time)
        .build(&schema)
        .expect("jsonschema compiles the bundled schema");
    let root = compiled.root();
    assert!(compiled.is_valid(root, &valid));
    assert!(!compiled.is_valid(root, &invalid));
    let valid_text = valid.to_string();
    let invalid_text = invalid.to_string();
    let valid_tree = Tree::parse(&valid_text).unwrap();
    let invalid_tree = Tree::parse(&invalid_text).unwrap();

    let mut group = c.benchmark_group("product-created");
    group.bench_function("compiled is_valid, valid Value", |b| {
        b.iter(|| compiled.is_valid(root, std::hint::black_box(&valid)))
    });
    group.bench_function("compiled is_valid, valid Tree", |b| {
        b.iter(|| compiled.is_valid(root, std::hint::black_box(&valid_tree)))
    });
    group.bench_function("jsonschema is_valid, valid Value", |b| {
        b.iter(|| oracle.is_valid(std::hint::black_box(&valid)))
    });
    group.bench_function("compiled violations, invalid Value", |b| {
        b.iter(|| {
            let mut c = Collector::new();
            compiled.validate(root, std::hint::black_box(&invalid), &mut c);
            c.into_violations().len()
        })
    });
    group.bench_function("compiled violations, invalid Tree", |b| {
        b.iter(|| {
            let mut c = Collector::new();
            compiled.validate(root, std::hint::black_box(&invalid_tree), &mut c);
            c.into_violations().len()
        })
    });
    group.bench_function("jsonschema violations, invalid Value", |b| {
        b.iter(|| {
            oracle
                .iter_errors(std::hint::black_box(&invalid))
                .map(|e| e.to_string().len())
                .sum::<usize>()
        })
    });
    // Where the time of a valid event goes: each top-level property's subschema alone.
    for name in ["eventId", "version", "timestamp", "data", "metadata"] {
        let node = compiled
            .node_at(&format!("/properties/{name}"))
            .expect("a declared property");
        let member = &valid[name];
        group.bench_function(format!("compiled is_valid, /{name}"), |b| {
            b.iter(|| compiled.is_valid(node, std::hint::black_box(member)))
        });
    }
    group.bench_function("compile", |b| {
        b.iter(|| CompiledSchema::compile(std::hint::black_box(&schema)).is_ok())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
