//! The quick reader against serde_json, the reader it stands in for: on every text it
//! accepts, a read gives what serde_json's gives; for a `Value` (every JSON text, visited
//! through `deserialize_any`) it accepts exactly what serde_json accepts; it refuses a
//! struct written as an array and an enum written as an object, which serde_json reads.

mod support;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use event_contracts_check::quick_json::QuickReader;
use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

/// `T` read from `text` by the quick reader, `None` when it refuses.
fn quick<T: DeserializeOwned>(text: &str) -> Option<T> {
    let mut reader = QuickReader::new(text);
    let value = T::deserialize(&mut reader).ok()?;
    reader.end().ok()?;
    Some(value)
}

/// `T` read from `text` by serde_json, `None` when it refuses.
fn serde<T: DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_str(text).ok()
}

/// The value as serde_json writes it: tells `1` from `1.0` and `-0.0` from `0.0`.
fn written(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// Both readers on `text` as a `Value`: the same verdict, and the same value when accepted.
/// Returns whether the text was accepted.
fn agree(text: &str) -> bool {
    let ours = quick::<Value>(text);
    let theirs = serde::<Value>(text);
    assert_eq!(
        ours.is_some(),
        theirs.is_some(),
        "verdicts differ on {text:?}: quick {ours:?}, serde_json {theirs:?}"
    );
    if let (Some(ours), Some(theirs)) = (&ours, &theirs) {
        assert_eq!(ours, theirs, "values differ on {text:?}");
        assert_eq!(
            written(ours),
            written(theirs),
            "spellings differ on {text:?}"
        );
    }
    ours.is_some()
}

#[test]
fn accepts_what_serde_json_accepts_and_reads_it_the_same() {
    let accepted = [
        "null",
        "true",
        "false",
        "0",
        "-1",
        "42",
        "123456789012345678",
        "-123456789012345678",
        "1234567890123456789",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775808",
        "-9223372036854775809",
        "-0",
        "0.0",
        "-0.0",
        "1.5",
        "1e2",
        "1E+2",
        "1e-2",
        "5.0",
        "2.2250738585072014e-308",
        "\"\"",
        "\"plain\"",
        "\"h\u{e9}llo \u{1f600}\"",
        "\"tab\\tnew\\nline \\\" \\\\ \\/ \\b \\f \\r\"",
        "\"\\u0000\"",
        "\"\\ud83d\\ude00\"",
        "\"exactly8\"",
        "\"sixteen bytes...\"",
        "[]",
        "{}",
        "[1,2,3]",
        " \t\n\r{ \"a\" : [ 1 , { } , [ ] ] , \"b\" : null } \n",
        "{\"a\":1,\"a\":2}",
        "{\"k\\u00e9y\":\"v\"}",
    ];
    for text in accepted {
        assert!(agree(text), "{text:?} should be accepted");
    }
}

#[test]
fn refuses_what_serde_json_refuses() {
    let refused = [
        "",
        " ",
        "nul",
        "nulls",
        "tru",
        "True",
        "01",
        "-01",
        "-",
        "1.",
        ".5",
        "1e",
        "1e+",
        "+1",
        "1-2",
        "1e400",
        "-1e400",
        "NaN",
        "\"unclosed",
        "\"raw\u{1}control\"",
        "\"raw\ttab\"",
        "\"\\x\"",
        "\"\\u12\"",
        "\"\\ud800\"",
        "\"\\ude00\"",
        "\"\\",
        "[1,]",
        "[,1]",
        "[1 2]",
        "[1",
        "{\"a\":1,}",
        "{,}",
        "{\"a\" 1}",
        "{\"a\":1 \"b\":2}",
        "{1:2}",
        "{\"a\"}",
        "{\"a\":}",
        "1 2",
        "{} {}",
        "\u{feff}{}",
        "[1]]",
    ];
    for text in refused {
        assert!(!agree(text), "{text:?} should be refused");
    }
}

#[test]
fn nests_exactly_as_deep_as_serde_json() {
    let nested = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    assert!(agree(&nested(127)));
    assert!(!agree(&nested(128)));
    assert!(!agree(&nested(10_000)));
    let objects = |depth: usize| format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
    assert!(agree(&objects(127)));
    assert!(!agree(&objects(128)));
}

#[test]
fn lends_strings_without_escapes_as_serde_json_does() {
    fn borrowed<'de, T: Deserialize<'de>>(text: &'de str) -> (bool, bool) {
        let mut reader = QuickReader::new(text);
        let ours = T::deserialize(&mut reader).is_ok() && reader.end().is_ok();
        let theirs = serde_json::from_str::<T>(text).is_ok();
        (ours, theirs)
    }
    assert_eq!(borrowed::<&str>("\"plain\""), (true, true));
    assert_eq!(borrowed::<&str>("\"esc\\naped\""), (false, false));
    assert_eq!(borrowed::<BTreeMap<&str, u8>>("{\"key\":1}"), (true, true));
    assert_eq!(
        borrowed::<BTreeMap<&str, u8>>("{\"k\\u0065y\":1}"),
        (false, false)
    );
}

#[derive(Debug, PartialEq, Deserialize)]
enum Colour {
    Red,
    Green,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Typed {
    count: u32,
    delta: i8,
    ratio: f64,
    name: Option<String>,
    tags: Vec<String>,
    colour: Colour,
    pair: (bool, char),
}

#[test]
fn typed_reads_agree_and_refusals_are_the_documented_ones() {
    let good = r#"{"count": 7, "delta": -3, "ratio": 2, "name": null, "tags": ["a", "b\u0021"],
        "colour": "Green", "pair": [true, "x"]}"#;
    let ours = quick::<Typed>(good).expect("the quick reader reads it");
    assert_eq!(Some(&ours), serde::<Typed>(good).as_ref());
    assert_eq!(ours.ratio, 2.0);
    assert_eq!(ours.tags, ["a", "b!"]);
    assert_eq!(ours.colour, Colour::Green);

    // Refused by both: a type the number does not fit, a wrong type, an unknown member.
    for text in [
        r#"{"count": -7, "delta": 0, "ratio": 0, "name": null, "tags": [], "colour": "Red", "pair": [true, "x"]}"#,
        r#"{"count": 7, "delta": 300, "ratio": 0, "name": null, "tags": [], "colour": "Red", "pair": [true, "x"]}"#,
        r#"{"count": 7.0, "delta": 0, "ratio": 0, "name": null, "tags": [], "colour": "Red", "pair": [true, "x"]}"#,
        r#"{"count": 7, "delta": 0, "ratio": "0", "name": null, "tags": [], "colour": "Red", "pair": [true, "x"]}"#,
        r#"{"count": 7, "delta": 0, "ratio": 0, "name": null, "tags": [], "colour": "Blue", "pair": [true, "x"]}"#,
        r#"{"count": 7, "delta": 0, "ratio": 0, "name": null, "tags": [], "colour": "Red", "pair": [true, "xy"]}"#,
        r#"{"count": 7, "delta": 0, "ratio": 0, "name": null, "tags": [], "colour": "Red", "pair": [true]}"#,
        r#"{"count": 7, "delta": 0, "ratio": 0, "name": null, "tags": [], "colour": "Red", "pair": [true, "x", 1]}"#,
        r#"{"count": 7, "delta": 0, "ratio": 0, "name": null, "tags": [], "colour": "Red", "pair": [true, "x"], "more": 1}"#,
    ] {
        assert_eq!(quick::<Typed>(text), None, "{text}");
        assert_eq!(serde::<Typed>(text), None, "{text}");
    }

    // Read by serde_json, refused by the quick reader (the caller reads again with
    // serde_json): a struct written as an array, an enum written as an object.
    let as_array = r#"[7, -3, 2, null, [], "Red", [true, "x"]]"#;
    assert!(serde::<Typed>(as_array).is_some());
    assert_eq!(quick::<Typed>(as_array), None);
    assert_eq!(serde::<Colour>(r#"{"Red": null}"#), Some(Colour::Red));
    assert_eq!(quick::<Colour>(r#"{"Red": null}"#), None);
    assert_eq!(quick::<Colour>(r#""Red""#), Some(Colour::Red));
    assert_eq!(quick::<Colour>(r#""R\u0065d""#), Some(Colour::Red));
}

/// Any JSON value, nested a few levels.
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1e6f64..1e6).prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "[a-z\u{e9}\u{1f600}\"\\\\\n\t\u{1}/ ]{0,20}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(("[a-z\"\\\\\u{e9}]{0,8}", inner), 0..6)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

/// Pieces of JSON's alphabet that the edits insert or put in place of a character.
const PIECES: &[&str] = &[
    "",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "\\",
    "\\u",
    "\\ud800",
    "0",
    "-",
    ".",
    "e",
    "+",
    "1",
    "9",
    " ",
    "\n",
    "\u{1}",
    "\u{e9}",
    "null",
    "tru",
    "\"\"",
    "-0",
    "1e400",
    "00",
    "18446744073709551616",
];

/// Edited texts read, and how many of them both readers accepted.
static EDITED: AtomicUsize = AtomicUsize::new(0);
static EDITED_ACCEPTED: AtomicUsize = AtomicUsize::new(0);

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    /// Every value serde_json writes, compact or pretty, reads back the same.
    #[test]
    fn reads_every_written_value(value in json()) {
        let compact = serde_json::to_string(&value).unwrap_or_default();
        prop_assert!(agree(&compact));
        let pretty = serde_json::to_string_pretty(&value).unwrap_or_default();
        prop_assert!(agree(&pretty));
    }

    /// A written value with one to four edits (`support::mutated`: a piece inserted, a
    /// character deleted or replaced, the text cut short): both readers give the same
    /// verdict, and the same value when they accept it.
    #[test]
    fn edited_texts_get_serde_json_verdicts(
        text in support::mutated(
            json().prop_map(|v| serde_json::to_string(&v).unwrap_or_default()).boxed(),
            PIECES,
        ),
    ) {
        EDITED.fetch_add(1, Ordering::Relaxed);
        if agree(&text) {
            EDITED_ACCEPTED.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// The edits make both verdicts: a property whose texts were all refused (or all accepted)
/// would compare little. Runs the property above on its own, to count.
#[test]
fn edited_texts_make_both_verdicts() {
    edited_texts_get_serde_json_verdicts();
    let (all, accepted) = (
        EDITED.load(Ordering::Relaxed),
        EDITED_ACCEPTED.load(Ordering::Relaxed),
    );
    println!("edited texts: {all}, accepted by both readers: {accepted}");
    assert!(all >= 2_000, "{all} edited texts");
    assert!(
        accepted >= all / 20 && all - accepted >= all / 20,
        "{accepted} of {all} accepted"
    );
}
