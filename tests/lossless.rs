//! Decoding loses nothing: for every valid `x`, `encode(decode(x))` equals `x` as a JSON
//! value, with unknown properties at any depth, numbers in integer or float form, UUIDs in
//! any case and timestamps in any RFC 3339 spelling.

mod support;

use std::sync::OnceLock;

use event_contracts::{
    decode_value, encode, encode_value, validate_value, Decoder, MAX_SUPPORTED_DEPTH,
};
use proptest::prelude::*;
use proptest::sample::{select, Index};
use serde_json::{json, Value};
use support::strategies::{self as s, Path, Step};

/// Valid examples and valid corpus events under 16 KiB.
fn seeds() -> &'static [Value] {
    static SEEDS: OnceLock<Vec<Value>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let examples = support::examples()
            .into_iter()
            .filter(|e| e.valid)
            .map(|e| e.value);
        let corpus = support::corpus()
            .into_iter()
            .filter(|c| c.verdict.valid && c.bytes.len() < 16 * 1024)
            .map(|c| c.value());
        examples.chain(corpus).collect()
    })
}

/// Strings with no constraint but a length that these stay within (name: 1..=255).
const FREE_TEXT: &[&str] = &[
    "/source",
    "/metadata/userAgent",
    "/metadata/ipAddress",
    "/metadata/requestId",
    "/data/name",
    "/data/description",
    "/data/reason",
    "/data/productName",
    "/data/changes/name",
    "/data/changes/description",
    "/data/changes/category",
];

/// An edit that keeps a valid event valid (in nearly every case) but changes its spelling
/// or adds what the typed fields do not hold.
#[derive(Debug, Clone)]
enum Respelling {
    /// Adds an undeclared property to any object, at any depth.
    AddUnknown(Index, String, Value),
    /// Writes an integer as a float (`5` → `5.0`) or an integral float as an integer.
    Renumber(Index),
    /// Flips the case of letters of a UUID.
    FlipCase(Index, u64),
    /// Replaces a timestamp with another valid RFC 3339 spelling.
    Retime(Index, String),
    /// Replaces a free-text string with arbitrary Unicode.
    Retext(Index, String),
    /// Replaces any node inside `previousState`, which holds anything.
    Reshape(Index, Value),
    /// Sets a version this build reads.
    Version(&'static str),
}

/// Valid RFC 3339 date-times in every spelling: `t`/`z`, offsets, fractions, leap seconds.
fn valid_date_time() -> impl Strategy<Value = String> {
    let composed = (
        0..10_000u32,
        1..=12u32,
        1..=28u32,
        0..24u32,
        0..60u32,
        0..60u32,
        select(vec![
            "",
            ".5",
            ".250",
            ".000",
            ".123456789",
            ".1234567891234",
        ]),
        select(vec!["T", "t"]),
        select(vec![
            "Z", "z", "+00:00", "-00:00", "+01:00", "-05:30", "+23:59", "-23:59",
        ]),
    )
        .prop_map(|(y, mo, d, h, mi, sec, frac, sep, off)| {
            format!("{y:04}-{mo:02}-{d:02}{sep}{h:02}:{mi:02}:{sec:02}{frac}{off}")
        });
    prop_oneof![
        4 => composed,
        1 => select(vec![
            "2016-12-31T23:59:60Z",
            "2016-12-31t23:59:60.999z",
            "2016-12-31T18:59:60-05:00",
            "2017-01-01T00:59:60+01:00",
            "2024-02-29T00:00:00Z",
            "2000-02-29T23:59:59.999999999+00:00",
            "0000-01-01T00:00:00+23:59",
            "9999-12-31T23:59:59-23:59",
        ])
        .prop_map(str::to_owned),
    ]
}

fn respelling() -> impl Strategy<Value = Respelling> {
    let unknown_key = prop_oneof![
        "x-[a-z]{1,5}",
        "[\\PC~/]{1,4}".prop_map(|k| format!("x-{k}"))
    ];
    prop_oneof![
        (any::<Index>(), unknown_key, s::json())
            .prop_map(|(i, k, v)| Respelling::AddUnknown(i, k, v)),
        any::<Index>().prop_map(Respelling::Renumber),
        (any::<Index>(), any::<u64>()).prop_map(|(i, m)| Respelling::FlipCase(i, m)),
        (any::<Index>(), valid_date_time()).prop_map(|(i, t)| Respelling::Retime(i, t)),
        (any::<Index>(), prop::collection::vec(any::<char>(), 1..40))
            .prop_map(|(i, cs)| Respelling::Retext(i, cs.into_iter().collect())),
        (any::<Index>(), s::json()).prop_map(|(i, v)| Respelling::Reshape(i, v)),
        select(vec![
            "1.0.0",
            "1.0.7",
            "1.1.0",
            "1.1.3",
            "1.9.0",
            "01.0.0",
            "1.0.99999999999999999999"
        ])
        .prop_map(Respelling::Version),
    ]
}

fn under(path: &Path, prefix: &[&str]) -> bool {
    path.len() > prefix.len()
        && path
            .iter()
            .zip(prefix)
            .all(|(step, key)| step == &Step::Key((*key).to_owned()))
}

fn apply(value: &mut Value, edit: &Respelling) {
    let set = |value: &mut Value, path: Option<&Path>, new: Value| {
        if let Some(node) = path.and_then(|p| s::node_mut(value, p)) {
            *node = new;
        }
    };
    match edit {
        Respelling::AddUnknown(i, key, new) => {
            let objects = s::nodes(value, &|_, v| v.is_object());
            if let Some(Value::Object(map)) =
                s::pick(&objects, i).and_then(|p| s::node_mut(value, p))
            {
                map.insert(key.clone(), new.clone());
            }
        }
        Respelling::Renumber(i) => {
            let numbers = s::nodes(value, &|_, v| v.is_number());
            let Some(node) = s::pick(&numbers, i).and_then(|p| s::node_mut(value, p)) else {
                return;
            };
            // Only where the float holds the integer exactly (|n| < 2^53).
            let respelled = match (node.as_i64(), node.as_f64()) {
                (Some(n), _) if n.unsigned_abs() < 1 << 53 => json!(n as f64),
                (None, Some(f)) if node.is_f64() && f.fract() == 0.0 && f.abs() < 9e15 => {
                    json!(f as i64)
                }
                _ => return,
            };
            *node = respelled;
        }
        Respelling::FlipCase(i, mask) => {
            let uuids = s::nodes(value, &|_, v| v.as_str().is_some_and(s::looks_like_uuid));
            if let Some(node) = s::pick(&uuids, i).and_then(|p| s::node_mut(value, p)) {
                *node = Value::String(s::flip_case(node.as_str().unwrap_or_default(), *mask));
            }
        }
        Respelling::Retime(i, text) => {
            let stamps = s::nodes(value, &|_, v| {
                v.as_str().is_some_and(s::looks_like_date_time)
            });
            set(value, s::pick(&stamps, i), Value::String(text.clone()));
        }
        Respelling::Retext(i, text) => {
            let free = s::nodes(value, &|p, v| {
                v.is_string() && FREE_TEXT.contains(&s::pointer(p).as_str())
            });
            set(value, s::pick(&free, i), Value::String(text.clone()));
        }
        Respelling::Reshape(i, new) => {
            let inside = s::nodes(value, &|p, _| under(p, &["data", "previousState"]));
            set(value, s::pick(&inside, i), new.clone());
        }
        Respelling::Version(version) => {
            value["version"] = json!(version);
        }
    }
}

/// Checks that `x` survives decoding and encoding, from a value and from bytes.
fn check_lossless(x: &Value) -> Result<(), String> {
    let event = decode_value(x).map_err(|e| format!("a valid event does not decode: {e}"))?;
    let encoded = encode_value(&event).map_err(|e| format!("encode failed: {e}"))?;
    if encoded != *x {
        return Err(format!(
            "encode(decode(x)) differs:\n  x:    {x}\n  got:  {encoded}"
        ));
    }
    // From bytes, as a consumer receives it. Mutations may nest past the default limit.
    let bytes = serde_json::to_vec(x).map_err(|e| e.to_string())?;
    let decoded = Decoder::new()
        .max_depth(MAX_SUPPORTED_DEPTH)
        .decode(&bytes)
        .map_err(|e| format!("the bytes do not decode: {e}"))?;
    let written = encode(&decoded).map_err(|e| format!("encode failed: {e}"))?;
    let again: Value = serde_json::from_slice(&written).map_err(|e| e.to_string())?;
    if again != *x {
        return Err(format!(
            "the byte round trip differs:\n  x:    {x}\n  got:  {again}"
        ));
    }
    if decoded != event {
        return Err("decoding the value and the bytes gave different events".to_owned());
    }
    Ok(())
}

proptest! {
    // 10 000 cases take about 5 s in a debug build. Keep a failure as a named
    // regression test in this file, not in a proptest-regressions file.
    #![proptest_config(ProptestConfig {
        cases: 10_000,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn encode_of_decode_is_the_identity_on_valid_events(
        seed in any::<Index>(),
        edits in prop::collection::vec(respelling(), 1..6),
    ) {
        let mut x = seed.get(seeds()).clone();
        for edit in &edits {
            apply(&mut x, edit);
        }
        // A version change can make an event invalid (a 1.0 event's undeclared data.metadata
        // read as 1.1); only valid events are in scope.
        prop_assume!(validate_value(&x).is_ok());
        if let Err(problem) = check_lossless(&x) {
            return Err(TestCaseError::fail(problem));
        }
    }
}

#[test]
fn every_seed_round_trips() {
    for seed in seeds() {
        assert_eq!(check_lossless(seed), Ok(()), "{seed}");
    }
}

#[test]
fn respellings_are_kept_exactly() {
    let mut x = seeds()
        .iter()
        .find(|v| v["eventType"] == "ProductCreated" && v["version"] == "1.1.0")
        .unwrap()
        .clone();
    x["eventId"] = json!("6F1C2E9A-3b4d-4E5F-8A9B-0C1D2E3F4A5B");
    x["timestamp"] = json!("2016-12-31t18:59:60.5-05:00");
    x["data"]["quantity"] = json!(40.0);
    x["data"]["price"] = json!(9_007_199_254_740_993u64);
    x["data"]["metadata"] = json!({"n": -0.0, "big": u64::MAX, "f": 1e300});
    x["data"]["x-deep"] = json!({"a": [{"b": [1, 1.0, "1"]}]});
    x["x-top"] = json!(null);
    assert_eq!(check_lossless(&x), Ok(()));
}
