//! `decode` on arbitrary bytes. Oracle: it never panics; when it succeeds, the schema
//! validator accepts the same JSON value and `encode` gives that value back.
#![no_main]

use event_contracts::{decode, encode, validate_value, Decoder};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|bytes: &[u8]| {
    let Ok(event) = decode(bytes) else { return };
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
