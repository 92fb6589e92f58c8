//! Upcast then downcast. The input is decoded (seeded with the examples, most inputs are
//! valid events); an event that decodes is brought to the latest version and back to its
//! own. Oracle: the round trip is exact, and it never panics.
#![no_main]

use event_contracts::{decode, downcast_to, encode_value, upcast_to_latest};
use libfuzzer_sys::fuzz_target;
use serde_json::json;

fuzz_target!(|bytes: &[u8]| {
    let Ok(event) = decode(bytes) else { return };
    let Ok(latest) = upcast_to_latest(&event) else {
        // Documented: an undeclared property the newer schema rejects fails the upcast.
        return;
    };
    let original = encode_value(&event).expect("a decoded event encodes");
    let version = original["version"]
        .as_str()
        .expect("a decoded event has a version");
    let back = downcast_to(&latest, version).expect("a downcast to the event's own version works");
    if back == event {
        return;
    }
    // The one documented exception (README, "Downcasting"): an old event that already
    // carried, undeclared, exactly the default of a property a later minor declares comes
    // back without it. The only such property today is ProductCreated 1.1.0's
    // data.metadata, default {}.
    let mut expected = original.clone();
    let removed = expected["data"]
        .as_object_mut()
        .and_then(|data| data.shift_remove("metadata"));
    assert_eq!(
        removed,
        Some(json!({})),
        "upcast then downcast changed {original}"
    );
    let back = encode_value(&back).expect("the downcast event encodes");
    assert_eq!(
        back, expected,
        "upcast then downcast changed more than the documented exception"
    );
});
