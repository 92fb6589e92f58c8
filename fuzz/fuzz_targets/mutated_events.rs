//! Structure-aware: a valid example event, changed at positions the input chooses with
//! values chosen to sit on the schemas' edges. Oracles: the schema check reports what the
//! `jsonschema` crate reports (pointer, keyword and message), and the typed read gives the
//! same verdict as the check in both directions; the only refusal the typed read may add is
//! an integer no `i64` holds, at the pointer it names.
#![no_main]

use event_contracts_fuzz::oracle;

use event_contracts::{decode_typed_value, validate_value, DecodeError};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

/// The valid examples beside the schemas, compiled in so each run needs no files.
const SEEDS: &[&str] = &[
    include_str!("../../schemas/product-created/examples/1.0.0/valid/full.json"),
    include_str!("../../schemas/product-created/examples/1.0.0/valid/minimal.json"),
    include_str!(
        "../../schemas/product-created/examples/1.0.0/valid/integer-written-as-float.json"
    ),
    include_str!("../../schemas/product-created/examples/1.0.0/valid/unknown-fields-kept.json"),
    include_str!("../../schemas/product-created/examples/1.1.0/valid/full.json"),
    include_str!("../../schemas/product-updated/examples/1.0.0/valid/full.json"),
    include_str!("../../schemas/product-deleted/examples/1.0.0/valid/with-reason.json"),
    include_str!("../../schemas/low-stock-warning/examples/1.0.0/valid/full.json"),
];

/// Values on the edges of what the schemas say: empty, boundary lengths and numbers,
/// near-miss formats, wrong types.
fn edge_value(pick: u8, text: &str) -> Value {
    match pick % 24 {
        0 => json!(null),
        1 => json!(true),
        2 => json!(0),
        3 => json!(-1),
        4 => json!(-0.0),
        5 => json!(1.5),
        6 => json!(5.0),
        7 => json!(u64::MAX),
        8 => json!(i64::MIN),
        9 => json!(1e300),
        10 => json!(""),
        11 => json!("x".repeat(255)),
        12 => json!("é".repeat(256)),
        13 => json!("6F1C2E9A-3B4D-4E5F-8A9B-0C1D2E3F4A5B"),
        14 => json!("6f1c2e9a3b4d4e5f8a9b0c1d2e3f4a5b"),
        15 => json!("2026-03-01T12:00:00+01:00"),
        16 => json!("2026-02-30T12:00:00Z"),
        17 => json!("2026-03-01t12:00:00.123456789z"),
        18 => json!([]),
        19 => json!({}),
        20 => json!("1.0.0"),
        21 => json!("1.9.0"),
        22 => json!("2.0.0"),
        _ => json!(text),
    }
}

/// Every pointer into `value`, in document order.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let p = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(p.clone());
                pointers(v, p, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let p = format!("{at}/{i}");
                out.push(p.clone());
                pointers(v, p, out);
            }
        }
        _ => {}
    }
}

fuzz_target!(|bytes: &[u8]| {
    let Some((&seed, ops)) = bytes.split_first() else {
        return;
    };
    let Ok(mut event) = serde_json::from_str::<Value>(SEEDS[seed as usize % SEEDS.len()]) else {
        return;
    };
    // Each 3-byte op: which position, what to do there, which edge value.
    for op in ops.chunks_exact(3) {
        let mut all = Vec::new();
        pointers(&event, String::new(), &mut all);
        if all.is_empty() {
            break;
        }
        let at = &all[op[0] as usize % all.len()];
        let text = String::from_utf8_lossy(ops).into_owned();
        match op[1] % 3 {
            0 => {
                if let Some(slot) = event.pointer_mut(at) {
                    *slot = edge_value(op[2], &text);
                }
            }
            1 => {
                // Remove the property (or array element).
                let (parent, last) = at.rsplit_once('/').unwrap_or(("", at));
                match event.pointer_mut(parent) {
                    Some(Value::Object(map)) => {
                        map.shift_remove(&last.replace("~1", "/").replace("~0", "~"));
                    }
                    Some(Value::Array(items)) => {
                        if let Ok(i) = last.parse::<usize>() {
                            if i < items.len() {
                                items.remove(i);
                            }
                        }
                    }
                    _ => {}
                }
            }
            _ => {
                // Add an unknown property next to it.
                let (parent, _) = at.rsplit_once('/').unwrap_or(("", at));
                if let Some(Value::Object(map)) = event.pointer_mut(parent) {
                    map.insert(format!("k{}", op[2]), edge_value(op[2], &text));
                }
            }
        }
    }
    if let Err(difference) = oracle::agrees_with_oracle(&event) {
        panic!("{difference}");
    }
    let validator = validate_value(&event).is_ok();
    let typed = match decode_typed_value(&event) {
        Ok(_) => true,
        // JSON Schema accepts any integer; a Rust i64 or u64 field cannot hold them all. That
        // gap is documented and reported as OutOfRange. It is the only way the typed read may
        // refuse what the check accepts: the value at the pointer must be a number no i64
        // holds, else the typed read is stricter than the schema, which is a bug.
        Err(DecodeError::OutOfRange {
            pointer, message, ..
        }) if validator => {
            let beyond_i64 = event
                .pointer(&pointer)
                .and_then(Value::as_number)
                .is_some_and(|n| n.as_i64().is_none());
            assert!(
                beyond_i64,
                "the typed read refuses what the schema accepts at {pointer:?} ({message}): {event}"
            );
            return;
        }
        Err(_) => false,
    };
    assert_eq!(
        typed, validator,
        "typed {typed}, validator {validator}: {event}"
    );
});
