//! The `compat_pairs` fuzz target's oracles (see `compat/src/pairs.rs`) on inputs proptest draws
//! from a fixed seed, so that `cargo test` holds every verdict to the policy's own
//! definitions on the same schemas each run; the fuzz target explores further.

use event_contracts_compat::pairs;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

proptest! {
    #![proptest_config(Config {
        cases: 384,
        rng_seed: RngSeed::Fixed(17),
        ..Config::default()
    })]

    #[test]
    fn every_verdict_on_generated_pairs_holds_under_the_policy(
        bytes in proptest::collection::vec(any::<u8>(), 0..112)
    ) {
        if let Err(failure) = pairs::run(&bytes) {
            return Err(TestCaseError::fail(failure));
        }
    }
}

/// The edges of the input space: no bytes (every choice zero), and the largest byte everywhere
/// (the last option of every choice, the arbitrary-JSON mode). A schema built from zeros
/// compiles, so the policy checks instances of it (the oracle is not vacuous).
#[test]
fn empty_and_saturated_inputs_hold_under_the_policy() {
    let checked = pairs::run(&[]).unwrap_or_else(|failure| panic!("no bytes: {failure}"));
    assert!(
        checked > 0,
        "no instance checked for the schema of no bytes"
    );
    let inputs: [&[u8]; 2] = [&[0; 64], &[255; 96]];
    for bytes in inputs {
        if let Err(failure) = pairs::run(bytes) {
            panic!("{bytes:?}: {failure}");
        }
    }
}
