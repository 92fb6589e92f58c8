//! `decode` on arbitrary bytes. Oracles: it never panics; it returns exactly what the strict
//! `Value` route returns (`Decoder::parse`, then `decode_value`), errors included, so the
//! fast path and the slow path's borrowed tree can never drift from it; and when it
//! succeeds, the schema validator accepts the same JSON value and `encode` gives that value
//! back. And the quick reader, which the fast path and the tree read with, reads a `Value`
//! from the same text exactly when serde_json does, and the same one.
#![no_main]

use event_contracts::{decode, decode_value, encode, validate_value, Decoder};
use event_contracts_check::quick_json::QuickReader;
use libfuzzer_sys::fuzz_target;
use serde::Deserialize;
use serde_json::Value;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(text) = std::str::from_utf8(bytes) {
        let mut reader = QuickReader::new(text);
        let quick = Value::deserialize(&mut reader)
            .ok()
            .filter(|_| reader.end().is_ok());
        let theirs = serde_json::from_str::<Value>(text).ok();
        let written = |v: &Value| serde_json::to_string(v).unwrap_or_default();
        assert_eq!(
            quick.as_ref().map(written),
            theirs.as_ref().map(written),
            "the quick reader and serde_json read different values"
        );
    }
    let decoded = decode(bytes);
    let via_value = Decoder::new()
        .parse(bytes)
        .and_then(|value| decode_value(&value));
    assert_eq!(decoded, via_value, "decode and the Value route disagree");
    let Ok(event) = decoded else { return };
    let value: Value = Decoder::new()
        .parse(bytes)
        .expect("decode succeeded, so the bytes parse");
    assert!(
        validate_value(&value).is_ok(),
        "decode accepted what the validator rejects"
    );
    let encoded: Value =
        serde_json::from_slice(&encode(&event).expect("a decoded event encodes")).expect("JSON");
    assert_eq!(encoded, value, "encode(decode(x)) differs from x");
});
