//! `decode` on arbitrary bytes. Oracles: it never panics; it returns exactly what the strict
//! `Value` route returns (`Decoder::parse`, then `decode_value`), errors included, so the
//! fast path and the slow path's borrowed tree can never drift from it; and when it
//! succeeds, the schema validator accepts the same JSON value and `encode` gives that value
//! back.
#![no_main]

use event_contracts::{decode, decode_value, encode, validate_value, Decoder};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|bytes: &[u8]| {
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
