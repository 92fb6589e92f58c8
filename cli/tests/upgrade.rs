//! `contracts upgrade`, run as a user runs it: every event comes out at the latest version
//! of its major, in order, and a line that is not an event is reported, never dropped silently.

use serde_json::{json, Value};

mod support;
use support::{contracts, root};

fn example(path: &str) -> Value {
    let text = std::fs::read_to_string(root().join("schemas").join(path)).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn one_line(value: &Value) -> String {
    format!("{}\n", serde_json::to_string(value).unwrap())
}

fn output_events(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn a_1_0_0_product_created_comes_out_as_a_valid_1_1_0_event() {
    let original = example("product-created/examples/1.0.0/valid/full.json");
    let run = contracts(&["upgrade"], one_line(&original).as_bytes());
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    let out = output_events(&run.stdout);
    let mut expected = original.clone();
    expected["version"] = json!("1.1.0");
    expected["data"]["metadata"] = json!({});
    assert_eq!(out, [expected]);
    let choice = event_contracts::validate_value(&out[0]).unwrap();
    assert_eq!(choice.schema_version, (1, 1, 0));
}

#[test]
fn every_line_keeps_its_place_and_a_bad_one_is_reported_with_its_number() {
    let old = example("product-created/examples/1.0.0/valid/unknown-fields-kept.json");
    let latest = example("product-created/examples/1.1.0/valid/full.json");
    let deleted = example("product-deleted/examples/1.0.0/valid/with-reason.json");
    let mut invalid = old.clone();
    invalid["data"]["price"] = json!(-5);
    let input = [
        one_line(&old),
        one_line(&invalid),
        one_line(&latest),
        "\n".to_owned(),
        one_line(&deleted),
    ]
    .concat();
    let run = contracts(&["upgrade", "-"], input.as_bytes());
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "<stdin>: line 2: ProductCreated 1.0.0 is invalid under schemas/product-created/1.0.0.json (1 violation):\n  \
         /data/price: -5 is less than the minimum of 0 (minimum)\n\
         <stdin>: line 4: the line is empty; JSON Lines holds one event on every line\n\
         2 lines of <stdin> were not upgraded\n"
    );
    let mut upgraded = old.clone();
    upgraded["version"] = json!("1.1.0");
    upgraded["data"]["metadata"] = json!({});
    assert_eq!(output_events(&run.stdout), [upgraded, latest, deleted]);
}

#[test]
fn a_file_argument_is_read_like_standard_input() {
    let run = contracts(
        &[
            "upgrade",
            "schemas/product-created/examples/1.0.0/valid/minimal.json",
        ],
        b"",
    );
    // The example is pretty-printed over many lines: each line is reported, none written.
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.starts_with(
            "schemas/product-created/examples/1.0.0/valid/minimal.json: line 1: the event is not valid JSON"
        ),
        "{}",
        run.stderr
    );
    let run = contracts(&["upgrade", "cli/tests/fixtures/catalog.jsonl"], b"");
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    let out = output_events(&run.stdout);
    assert_eq!(out.len(), 10);
    assert_eq!(out[0]["version"], json!("1.1.0"));
    assert_eq!(out[0]["data"]["metadata"], json!({}));
    // Events without a newer minor are copied as they are.
    let log = std::fs::read_to_string(root().join("cli/tests/fixtures/catalog.jsonl")).unwrap();
    let originals: Vec<Value> = output_events(&log);
    assert_eq!(out[2..], originals[2..]);
    assert_eq!(out[1], originals[1]);
}

#[test]
fn a_missing_file_is_an_error() {
    let run = contracts(&["upgrade", "no/such/file.jsonl"], b"");
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("error: cannot open no/such/file.jsonl: "),
        "{}",
        run.stderr
    );
}
