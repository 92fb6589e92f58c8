//! The compatibility engine on pairs of schemas built from the input, held to the oracles of
//! `event_contracts_compat::pairs` (shared with the `compat_pairs` test of event-contracts-compat):
//! no panic or hang, no findings for a schema against itself, every patch and minor verdict
//! sound under the policy's own definitions on generated instances, and every major finding
//! with a witness the validator confirms or a documented reason why none can exist.
#![no_main]

use libfuzzer_sys::fuzz_target;

use event_contracts_compat::pairs;

fuzz_target!(|bytes: &[u8]| {
    if let Err(failure) = pairs::run(bytes) {
        panic!("{failure}");
    }
});
