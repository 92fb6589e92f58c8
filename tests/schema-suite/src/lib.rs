//! Types generated from the JSON Schema Test Suite, one event per group of cases (see
//! `build.rs`); `tests/suite.rs` decodes every case with them.

include!(concat!(env!("OUT_DIR"), "/event_contracts.rs"));

/// The suite folder the types were generated from; empty when it was missing.
pub const SUITE_DIR: &str = env!("SUITE_DIR");

/// `[{"event": "Case0", "file": "draft7/allOf.json", "group": 0}, ...]`.
pub const CASES_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/cases.json"));
