//! What the corpus, agreement, lossless and seed-equivalence tests share: the decode corpus
//! of `tests/corpus/` and the examples beside the schemas, read from disk.

// Each test binary that includes this module uses a different part of it.
#![allow(dead_code)]

// The oracle lives with the fuzz targets (`fuzz/src/oracle.rs`), which cannot be a
// dependency here (sanitizer flags, a workspace of its own); the tests include its source.
#[path = "../../fuzz/src/oracle.rs"]
pub mod oracle;
pub mod strategies;

use std::path::{Path, PathBuf};

use event_contracts::{DecodeError, Violation};
use serde::Deserialize;
use serde_json::Value;

/// How the jsonschema validator relates to a corpus verdict (see tests/corpus/generate.py).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Oracle {
    /// The input parses and the validator gives the same verdict.
    Agrees,
    /// Rejected before it is a JSON value; the validator never sees it.
    NotReached,
    /// JSON Schema accepts the number; the Rust type cannot hold it.
    OutOfRange,
}

/// One expected violation.
#[derive(Debug, Clone, Deserialize)]
pub struct ExpectedViolation {
    pub pointer: String,
    pub keyword: String,
}

/// One line of `tests/corpus/verdicts.jsonl`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Verdict {
    pub line: usize,
    pub case: String,
    pub topic: String,
    pub valid: bool,
    pub error: Option<String>,
    pub violations: Vec<ExpectedViolation>,
    pub oracle: Oracle,
}

/// A corpus event with its verdict.
#[derive(Debug, Clone)]
pub struct Case {
    pub verdict: Verdict,
    /// The line of `events.jsonl`, without its newline, byte for byte.
    pub bytes: Vec<u8>,
}

impl Case {
    /// The expected (pointer, keyword) pairs, sorted.
    pub fn expected_pairs(&self) -> Vec<(String, String)> {
        let mut pairs: Vec<(String, String)> = self
            .verdict
            .violations
            .iter()
            .map(|v| (v.pointer.clone(), v.keyword.clone()))
            .collect();
        pairs.sort();
        pairs
    }

    /// Parses the line as the default decoder does. Panics for lines that are not JSON.
    pub fn value(&self) -> Value {
        event_contracts::Decoder::new()
            .parse(&self.bytes)
            .unwrap_or_else(|e| panic!("{}: {e}", self.verdict.case))
    }
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every corpus case, in line order.
pub fn corpus() -> Vec<Case> {
    let dir = root().join("tests/corpus");
    let events = std::fs::read(dir.join("events.jsonl")).unwrap();
    let verdicts = std::fs::read_to_string(dir.join("verdicts.jsonl")).unwrap();
    let lines: Vec<&[u8]> = events
        .strip_suffix(b"\n")
        .expect("events.jsonl ends with a newline")
        .split(|&b| b == b'\n')
        .collect();
    let verdicts: Vec<Verdict> = verdicts
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(
        lines.len(),
        verdicts.len(),
        "events.jsonl and verdicts.jsonl must have one line per case; rerun tests/corpus/generate.py"
    );
    lines
        .into_iter()
        .zip(verdicts)
        .enumerate()
        .map(|(i, (bytes, verdict))| {
            assert_eq!(verdict.line, i + 1, "verdicts.jsonl is out of order");
            Case {
                verdict,
                bytes: bytes.to_vec(),
            }
        })
        .collect()
}

/// The corpus case named `name`.
pub fn case(name: &str) -> Case {
    corpus()
        .into_iter()
        .find(|c| c.verdict.case == name)
        .unwrap_or_else(|| panic!("no corpus case {name}"))
}

/// An example beside a schema version.
#[derive(Debug, Clone)]
pub struct Example {
    pub path: PathBuf,
    /// Whether it sits under `valid/`.
    pub valid: bool,
    /// The schema version folder it sits under, e.g. `1.0.0`.
    pub schema_version: String,
    /// The event folder it sits under, e.g. `product-created`.
    pub event_dir: String,
    pub value: Value,
}

/// Every example under `schemas/*/examples/`, sorted by path.
pub fn examples() -> Vec<Example> {
    let mut out = Vec::new();
    let mut stack = vec![root().join("schemas")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let parts = relative_parts(&path);
            let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
            // <event>/examples/<version>/<valid|invalid>/<name>.json
            if let [event_dir, "examples", version, verdict, _file] = parts.as_slice() {
                let value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
                out.push(Example {
                    valid: *verdict == "valid",
                    schema_version: (*version).to_owned(),
                    event_dir: (*event_dir).to_owned(),
                    path: path.clone(),
                    value,
                });
            }
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// The components of `path` below `schemas/`.
fn relative_parts(path: &Path) -> Vec<String> {
    let rel = path.strip_prefix(root().join("schemas")).unwrap();
    rel.iter()
        .map(|part| part.to_string_lossy().into_owned())
        .collect()
}

/// The variant name of a decode error, e.g. `Invalid` or `TooLarge`.
pub fn variant(error: &DecodeError) -> String {
    let debug = format!("{error:?}");
    debug
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// (pointer, keyword) of each violation, sorted.
pub fn pairs(violations: &[Violation]) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = violations
        .iter()
        .map(|v| (v.pointer.clone(), v.keyword.clone()))
        .collect();
    pairs.sort();
    pairs
}
