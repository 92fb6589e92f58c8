//! `contracts validate`, run as a user runs it: the human report (snapshots, piped, so
//! without colour or progress bar), the exact JSON report and the exit codes.

use std::collections::BTreeMap;

use serde_json::{json, Value};

mod support;
use support::{contracts, root};

fn json_lines(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

fn corpus_line(name: &str) -> Vec<u8> {
    let verdicts = std::fs::read_to_string(root().join("tests/corpus/verdicts.jsonl")).unwrap();
    let events = std::fs::read(root().join("tests/corpus/events.jsonl")).unwrap();
    let index = verdicts
        .lines()
        .position(|l| serde_json::from_str::<Value>(l).unwrap()["case"] == name)
        .unwrap();
    events.split(|&b| b == b'\n').nth(index).unwrap().to_vec()
}

const SAMPLE: &str = "tests/corpus/sample.jsonl";

#[test]
fn human_report_of_the_sample() {
    let run = contracts(&["validate", SAMPLE], b"");
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, "");
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn json_report_of_the_sample_is_one_exact_object_per_line() {
    let run = contracts(&["validate", "--format", "json", SAMPLE], b"");
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, "");
    let valid = |line: u64, event_type: &str, version: &str| json!({"line": line, "valid": true, "eventType": event_type, "version": version, "errors": []});
    assert_eq!(
        json_lines(&run.stdout),
        [
            valid(1, "ProductCreated", "1.1.0"),
            valid(2, "LowStockWarning", "1.0.0"),
            json!({
                "line": 3, "valid": false, "eventType": "ProductCreated", "version": "1.0.0",
                "errors": [
                    {"path": "/data/name", "message": "\"\" is shorter than 1 character"},
                    {"path": "/data/price", "message": "-1 is less than the minimum of 0"},
                    {"path": "/data/category", "message": "\"toys\" is not one of \"electronics\", \"clothing\" or 4 other candidates"},
                ],
            }),
            valid(4, "ProductCreated", "1.0.0"),
            json!({
                "line": 5, "valid": false, "eventType": "ProductCreated", "version": "2.0.0",
                "errors": [{"path": "/version", "message": "ProductCreated version 2.0.0 is not supported: this build reads 1.0.0, 1.1.0; upgrade event-contracts to read it"}],
            }),
            json!({
                "line": 6, "valid": false, "eventType": null, "version": null,
                "errors": [{"path": "", "message": "the event is not valid JSON at column 439: duplicate key \"price\" in one object; send each key once"}],
            }),
        ]
    );
    // The exact bytes of a line, key order included: what a script parsing it relies on.
    assert_eq!(
        run.stdout.lines().next().unwrap(),
        r#"{"line":1,"valid":true,"eventType":"ProductCreated","version":"1.1.0","errors":[]}"#
    );
}

/// Lines a producer gets wrong, as the command meets them on standard input.
fn hostile_input() -> Vec<u8> {
    let valid = corpus_line("created-1.0.0-minimal");
    let mut input = Vec::new();
    input.extend_from_slice(&valid);
    input.extend_from_slice(b"\n\n   \n");
    input.extend_from_slice(&valid);
    input.extend_from_slice(b"\r\n");
    input.extend_from_slice(&corpus_line("utf8-latin-1-e-acute"));
    input.push(b'\n');
    input.extend_from_slice(&vec![b' '; 3_000]);
    input.extend_from_slice(b"{}\n[1, 2]\n");
    input.extend_from_slice(&corpus_line("depth-65"));
    input.push(b'\n');
    input.extend_from_slice(&corpus_line("quantity-2-pow-64"));
    input.push(b'\n');
    input.extend_from_slice(&corpus_line("version-trailing-newline"));
    input.push(b'\n');
    // Text from the event must not reach a terminal as an escape sequence.
    input.extend_from_slice(b"{\"eventType\": \"\\u001b[2J\", \"version\": \"1.0.0\"}\n");
    // The last line has no newline.
    input.extend_from_slice(&corpus_line("uuid-braced"));
    input
}

#[test]
fn human_report_of_hostile_input_on_stdin() {
    let run = contracts(&["validate", "--max-size", "2KiB"], &hostile_input());
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, "");
    assert!(!run.stdout.contains('\x1b'));
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn json_report_of_hostile_input_is_exact() {
    let run = contracts(
        &["validate", "-", "--format", "json", "--max-size", "2KiB"],
        &hostile_input(),
    );
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, "");
    let invalid = |line: u64, event_type: Value, version: Value, errors: Value| json!({"line": line, "valid": false, "eventType": event_type, "version": version, "errors": errors});
    let empty = json!([{"path": "", "message": "the line is empty; JSON Lines holds one event on every line"}]);
    let created = json!("ProductCreated");
    assert_eq!(
        json_lines(&run.stdout),
        [
            json!({"line": 1, "valid": true, "eventType": "ProductCreated", "version": "1.0.0", "errors": []}),
            invalid(2, Value::Null, Value::Null, empty.clone()),
            invalid(3, Value::Null, Value::Null, empty),
            json!({"line": 4, "valid": true, "eventType": "ProductCreated", "version": "1.0.0", "errors": []}),
            invalid(
                5,
                Value::Null,
                Value::Null,
                json!([{"path": "", "message": "the event is not UTF-8: invalid byte sequence at byte offset 180"}])
            ),
            invalid(
                6,
                Value::Null,
                Value::Null,
                json!([{"path": "", "message": "the event is 3002 bytes; the limit is 2048 bytes (raise it with --max-size)"}])
            ),
            invalid(
                7,
                Value::Null,
                Value::Null,
                json!([{"path": "", "message": "the event is an array, not a JSON object"}])
            ),
            invalid(
                8,
                Value::Null,
                Value::Null,
                json!([{"path": "", "message": "the event nests arrays/objects deeper than 64 levels (at byte offset 769)"}])
            ),
            invalid(
                9,
                created.clone(),
                json!("1.0.0"),
                json!([{"path": "/data/quantity", "message": "18446744073709552000 is out of range: expected an integer from 0 to 18446744073709551615"}])
            ),
            invalid(
                10,
                created.clone(),
                json!("1.0.0\n"),
                json!([{"path": "/version", "message": "version \"1.0.0\\n\" is not MAJOR.MINOR.PATCH (e.g. \"1.0.0\")"}])
            ),
            invalid(
                11,
                json!("\u{1b}[2J"),
                json!("1.0.0"),
                json!([{"path": "/eventType", "message": "unknown event type \"\\u{1b}[2J\"; this build knows LowStockWarning, ProductCreated, ProductDeleted, ProductUpdated"}])
            ),
            invalid(
                12,
                created,
                json!("1.0.0"),
                json!([{"path": "/correlationId", "message": "\"{6f1c2e9a-3b4d-4e5f-8a9b-0c1d2e3f4a5b}\" is not a \"uuid\""}])
            ),
        ]
    );
}

/// What the command says about every corpus line agrees with the corpus verdicts, as the
/// held-out corpus will be checked.
#[test]
fn every_corpus_verdict_through_the_command() {
    let run = contracts(
        &["validate", "--format", "json", "tests/corpus/events.jsonl"],
        b"",
    );
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, "");
    let reports = json_lines(&run.stdout);
    let verdicts: Vec<Value> = std::fs::read_to_string(root().join("tests/corpus/verdicts.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let events = std::fs::read(root().join("tests/corpus/events.jsonl")).unwrap();
    let events: Vec<&[u8]> = events[..events.len() - 1].split(|&b| b == b'\n').collect();
    assert_eq!(reports.len(), verdicts.len());
    let mut wrong = Vec::new();
    for ((report, verdict), event) in reports.iter().zip(&verdicts).zip(&events) {
        let paths = |errors: &Value, key: &str| -> BTreeMap<String, usize> {
            let mut count = BTreeMap::new();
            for e in errors.as_array().unwrap() {
                *count
                    .entry(e[key].as_str().unwrap().to_owned())
                    .or_default() += 1;
            }
            count
        };
        // The envelope is reported when the line parses and holds string fields.
        let parsed = event_contracts::Decoder::new().parse(event).ok();
        let envelope = |field: &str| {
            parsed
                .as_ref()
                .and_then(|v| v.get(field))
                .filter(|v| v.is_string())
                .cloned()
                .unwrap_or(Value::Null)
        };
        let expected = (
            &verdict["line"],
            &verdict["valid"],
            envelope("eventType"),
            envelope("version"),
            paths(&verdict["violations"], "pointer"),
        );
        let got = (
            &report["line"],
            &report["valid"],
            report["eventType"].clone(),
            report["version"].clone(),
            paths(&report["errors"], "path"),
        );
        if expected != got {
            wrong.push(format!(
                "{}: expected {expected:?}, got {got:?}",
                verdict["case"]
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn valid_input_exits_0_with_only_the_summary() {
    let mut input = corpus_line("created-1.1.0-full");
    input.push(b'\n');
    input.extend_from_slice(&corpus_line("low-stock-full"));
    input.push(b'\n');
    for args in [&["validate"][..], &["validate", "-"]] {
        let run = contracts(args, &input);
        assert_eq!(run.code, 0);
        assert_eq!(run.stdout, "2 valid, 0 invalid (2 lines)\n");
        assert_eq!(run.stderr, "");
    }
}

#[test]
fn empty_input_is_clean() {
    let run = contracts(&["validate"], b"");
    assert_eq!(run.code, 0);
    assert_eq!(run.stdout, "0 valid, 0 invalid (0 lines)\n");
    let run = contracts(&["validate", "--format", "json"], b"");
    assert_eq!((run.code, run.stdout.as_str()), (0, ""));
}

#[test]
fn a_missing_file_exits_2_naming_it() {
    let run = contracts(&["validate", "no/such/events.jsonl"], b"");
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "error: cannot open no/such/events.jsonl: No such file or directory (os error 2)\n"
    );
}

#[test]
fn a_read_error_exits_2_naming_the_file() {
    let run = contracts(&["validate", "tests"], b"");
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.starts_with("error: cannot read tests: "),
        "{}",
        run.stderr
    );
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["validate", "--format", "xml"][..],
        &["validate", "--max-size", "0"],
        &["validate", "--max-size", "12KB"],
        &["validate", "a.jsonl", "b.jsonl"],
        &["validate", "--colour", "never"],
        &["check"],
    ] {
        let run = contracts(args, b"");
        assert_eq!(run.code, 2, "{args:?}");
        assert_eq!(run.stdout, "", "{args:?}");
        assert!(
            run.stderr.starts_with("error: "),
            "{args:?}: {}",
            run.stderr
        );
    }
    // No subcommand: the overview, on standard error.
    let run = contracts(&[], b"");
    assert_eq!((run.code, run.stdout.as_str()), (2, ""));
    assert!(
        run.stderr.contains("\nUsage: contracts <COMMAND>\n"),
        "{}",
        run.stderr
    );
    let run = contracts(&["validate", "--max-size", "12KB"], b"");
    assert!(
        run.stderr.starts_with(
            "error: invalid value '12KB' for '--max-size <SIZE>': \"12KB\" is not a size: give bytes, or a number with KiB or MiB, e.g. 262144 or 256KiB\n"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn piped_output_has_no_colour_unless_asked_for() {
    let sample = std::fs::read(root().join(SAMPLE)).unwrap();
    for args in [
        &["validate"][..],
        &["validate", "--color", "never"],
        &["validate", "--color", "auto"],
    ] {
        let run = contracts(args, &sample);
        assert!(!run.stdout.contains('\x1b'), "{args:?}");
        assert!(!run.stderr.contains('\x1b'), "{args:?}");
    }
    let run = contracts(&["validate", "--color", "always"], &sample);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "\x1b[1m<stdin>:3\x1b[0m: \x1b[1;31minvalid\x1b[0m ProductCreated 1.0.0"
    );
    assert_eq!(
        lines[1],
        "  \x1b[36m/data/name\x1b[0m: \"\" is shorter than 1 character"
    );
    assert_eq!(
        lines.last().unwrap(),
        &"\x1b[32m3 valid\x1b[0m, \x1b[1;31m3 invalid\x1b[0m (6 lines)"
    );
    // JSON is for machines: never coloured.
    let run = contracts(
        &["validate", "--format", "json", "--color", "always"],
        &sample,
    );
    assert!(!run.stdout.contains('\x1b'));
}

/// A line far over the limit is reported with its size and skipped, and the lines after
/// it are still read; raising `--max-size` admits it.
#[test]
fn a_huge_line_is_too_large_until_the_limit_is_raised() {
    let mut event: Value = serde_json::from_slice(&corpus_line("created-1.0.0-minimal")).unwrap();
    event["padding"] = json!("");
    let base = serde_json::to_vec(&event).unwrap().len();
    event["padding"] = json!("x".repeat(3 * 1024 * 1024 - base));
    let mut input = serde_json::to_vec(&event).unwrap();
    assert_eq!(input.len(), 3 * 1024 * 1024);
    input.push(b'\n');
    input.extend_from_slice(&corpus_line("created-1.0.0-minimal"));
    input.push(b'\n');

    let run = contracts(&["validate", "--format", "json"], &input);
    assert_eq!(run.code, 1);
    assert_eq!(
        json_lines(&run.stdout),
        [
            json!({"line": 1, "valid": false, "eventType": null, "version": null, "errors": [
                {"path": "", "message": "the event is 3145728 bytes; the limit is 262144 bytes (raise it with --max-size)"}
            ]}),
            json!({"line": 2, "valid": true, "eventType": "ProductCreated", "version": "1.0.0", "errors": []}),
        ]
    );
    let run = contracts(&["validate", "--max-size", "3MiB"], &input);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "2 valid, 0 invalid (2 lines)\n")
    );
}

#[test]
fn version_and_help_name_the_command() {
    let run = contracts(&["--version"], b"");
    assert_eq!((run.code, run.stdout.as_str()), (0, "contracts 0.1.0\n"));
    let run = contracts(&["validate", "--help"], b"");
    assert_eq!(run.code, 0);
    assert!(run.stdout.starts_with(
        "Validate a JSON Lines file of events, one event per line, against their schemas\n\nUsage: contracts validate [OPTIONS] [FILE]\n"
    ));
    assert!(run.stdout.contains(
        "Exit status: 0 when every line is a valid event, 1 when any line is not, 2 on a usage or I/O error."
    ));
}

/// The README shows the command's real output; this keeps it real.
#[test]
fn the_readme_shows_the_real_output_on_the_sample() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    for (args, shown) in [
        (
            &["validate", SAMPLE][..],
            "validate tests/corpus/sample.jsonl\n",
        ),
        (
            &["validate", "--format", "json", SAMPLE],
            "validate --format json tests/corpus/sample.jsonl\n",
        ),
    ] {
        let run = contracts(args, b"");
        let block = format!(
            "$ cargo run -q -p event-contracts-cli -- {shown}{}",
            run.stdout
        );
        assert!(
            readme.contains(&block),
            "README.md must show this output of `contracts {}`:\n{block}",
            args.join(" ")
        );
    }
}
