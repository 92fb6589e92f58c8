//! The oracle the formats are held to, and the generators the differential tests share.
#![allow(dead_code)] // Each test binary uses its own part of this module.

use std::collections::HashMap;
use std::sync::OnceLock;

use event_contracts_check::formats::{is_date_time, is_uuid, CHECKED_FORMATS};
use jsonschema::Validator;
use proptest::prelude::*;
use proptest::sample::{select, Index};
use serde_json::{json, Value};

/// The project's oracle for `{"format": name}`: jsonschema in draft-07 mode, formats
/// asserted, with the project's `uuid` and `date-time` registered (as in
/// `fuzz/src/oracle.rs` at the workspace root).
pub fn oracle(name: &str) -> Validator {
    jsonschema::draft7::options()
        .should_validate_formats(true)
        .with_format("uuid", is_uuid)
        .with_format("date-time", is_date_time)
        .build(&json!({ "format": name }))
        .unwrap_or_else(|e| panic!("the oracle does not compile {{\"format\": {name:?}}}: {e}"))
}

/// Whether the oracle accepts `text` as the format `name` (cached validators).
pub fn oracle_accepts(name: &str, text: &str) -> bool {
    oracle_accepts_value(name, &Value::String(text.to_owned()))
}

/// Whether the oracle accepts any JSON value under `{"format": name}`.
pub fn oracle_accepts_value(name: &str, value: &Value) -> bool {
    static ALL: OnceLock<HashMap<&'static str, Validator>> = OnceLock::new();
    let all = ALL.get_or_init(|| CHECKED_FORMATS.iter().map(|n| (*n, oracle(n))).collect());
    match all.get(name) {
        Some(validator) => validator.is_valid(value),
        None => oracle(name).is_valid(value),
    }
}

/// jsonschema's own `date-time` check (draft-07, no format registered), which the project
/// replaces with its own: the tests hold the two to the same verdicts.
pub fn builtin_date_time_accepts(text: &str) -> bool {
    static BUILTIN: OnceLock<Validator> = OnceLock::new();
    BUILTIN
        .get_or_init(|| {
            jsonschema::draft7::options()
                .should_validate_formats(true)
                .build(&json!({ "format": "date-time" }))
                .expect("the builtin date-time validator compiles")
        })
        .is_valid(&Value::String(text.to_owned()))
}

/// jsonschema's own `uuid` check, which it applies from draft 2019-09 on.
pub fn builtin_uuid_accepts(text: &str) -> bool {
    static BUILTIN: OnceLock<Validator> = OnceLock::new();
    BUILTIN
        .get_or_init(|| {
            jsonschema::draft201909::options()
                .should_validate_formats(true)
                .build(&json!({ "format": "uuid" }))
                .expect("the builtin uuid validator compiles")
        })
        .is_valid(&Value::String(text.to_owned()))
}

/// One of `options`, owned.
pub fn pick(options: &'static [&'static str]) -> BoxedStrategy<String> {
    select(options).prop_map(str::to_owned).boxed()
}

/// Up to `max` pieces from `pieces`, concatenated.
pub fn joined(pieces: BoxedStrategy<String>, max: usize) -> BoxedStrategy<String> {
    prop::collection::vec(pieces, 0..=max)
        .prop_map(|parts| parts.concat())
        .boxed()
}

/// Characters that break or bend most grammars: controls, separators, escapes, marks,
/// joiners, private use, noncharacters, astral characters, full-width forms.
pub const NOISE: &[&str] = &[
    "",
    " ",
    "\t",
    "\n",
    "\r",
    "\0",
    "\u{7f}",
    "%",
    "%2",
    "%41",
    "%zz",
    "%C3%A9",
    "-",
    ".",
    ":",
    "/",
    "?",
    "#",
    "@",
    "[",
    "]",
    "{",
    "}",
    "(",
    ")",
    "\\",
    "~",
    "'",
    "\"",
    "<",
    ">",
    "^",
    "`",
    "|",
    ",",
    ";",
    "=",
    "+",
    "*",
    "$",
    "!",
    "&",
    "_",
    "0",
    "9",
    "a",
    "Z",
    "é",
    "É",
    "ß",
    "\u{0301}",
    "\u{200C}",
    "\u{200D}",
    "\u{200E}",
    "\u{202E}",
    "\u{00A0}",
    "\u{3000}",
    "\u{FFFE}",
    "\u{FFFD}",
    "\u{E000}",
    "\u{F8FF}",
    "\u{FDD0}",
    "\u{10FFFD}",
    "\u{F0000}",
    "\u{E0001}",
    "😀",
    "Ⅷ",
    "٣",
    "۳",
    "\u{FF0E}",
    "\u{3002}",
    "ａ",
    "１",
];

/// `base`, then up to four edits, each inserting a token of `tokens`, deleting a
/// character, replacing one by a token, or cutting the text short, at a random place.
pub fn mutated(
    base: BoxedStrategy<String>,
    tokens: &'static [&'static str],
) -> BoxedStrategy<String> {
    let edit = (any::<Index>(), 0..4u8, select(tokens));
    (base, prop::collection::vec(edit, 1..=4))
        .prop_map(|(mut text, edits)| {
            for (place, kind, token) in edits {
                let bounds: Vec<usize> = text
                    .char_indices()
                    .map(|(i, _)| i)
                    .chain([text.len()])
                    .collect();
                let at = bounds[place.index(bounds.len())];
                let next = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
                match kind {
                    0 => text.insert_str(at, token),
                    1 => text.replace_range(at..next, ""),
                    2 => text.replace_range(at..next, token),
                    _ => text.truncate(at),
                }
            }
            text
        })
        .boxed()
}

/// Any short text at all, from all of Unicode.
pub fn any_text() -> BoxedStrategy<String> {
    prop::collection::vec(any::<char>(), 0..12)
        .prop_map(|chars| chars.into_iter().collect())
        .boxed()
}

/// The proptest configuration of the differential tests.
pub fn config(cases: u32) -> ProptestConfig {
    ProptestConfig::with_cases(cases)
}
