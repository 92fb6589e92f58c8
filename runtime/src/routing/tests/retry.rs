//! The retry policy: the seed's delays exactly, and its invariants for any input.

use std::time::Duration;

use proptest::prelude::*;

use crate::routing::{JitterSource, RetryPolicy, SplitMix64};

/// The seed's `retryConfig` (the generated `RETRY_POLICY` is tested against
/// `schemas/routing.yaml` in `generated.rs`).
const SEED: RetryPolicy = RetryPolicy {
    max_retries: 3,
    multiplier: 2.0,
    initial_delay: Duration::from_millis(1000),
    max_delay: Duration::from_millis(30000),
    jitter: true,
};

#[test]
fn the_seed_delays_double_up_to_the_cap() {
    let delays: Vec<u128> = (0..8).map(|a| SEED.capped_delay(a).as_millis()).collect();
    assert_eq!(delays, [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    assert_eq!(SEED.capped_delay(u32::MAX), Duration::from_secs(30));
}

#[test]
fn three_retries_are_allowed() {
    let allowed: Vec<bool> = (0..5).map(|a| SEED.should_retry(a)).collect();
    assert_eq!(allowed, [true, true, true, false, false]);
}

#[test]
fn jitter_scales_by_half_to_whole() {
    assert_eq!(SEED.delay(2, &mut || 0.0), Duration::from_millis(2000));
    assert_eq!(SEED.delay(2, &mut || 0.5), Duration::from_millis(3000));
    assert_eq!(SEED.delay(2, &mut || 0.75), Duration::from_millis(3500));
    // A faulty source is clamped: its numbers skew delays but cannot break the bounds.
    assert_eq!(SEED.delay(2, &mut || 7.0), Duration::from_millis(4000));
    assert_eq!(SEED.delay(2, &mut || -1.0), Duration::from_millis(2000));
    assert_eq!(SEED.delay(2, &mut || f64::NAN), Duration::from_millis(2000));
    let off = RetryPolicy {
        jitter: false,
        ..SEED
    };
    let mut never = || -> f64 { panic!("jitter is off: the source must not be asked") };
    assert_eq!(off.delay(2, &mut never), Duration::from_millis(4000));
}

#[test]
fn whole_seconds_round_at_random_by_the_fraction() {
    // Draws: the jitter factor, then the rounding. Attempt 0 with the lowest factor is
    // 0.5 s: a rounding draw below 0.5 rounds up, one at or above it rounds down.
    let draws = |values: [f64; 2]| {
        let mut values = values.into_iter();
        move || values.next().expect("two draws")
    };
    assert_eq!(SEED.delay_seconds(0, &mut draws([0.0, 0.49])), 1);
    assert_eq!(SEED.delay_seconds(0, &mut draws([0.0, 0.5])), 0);
    // 2.5 s (attempt 2, factor 0.625): 2 or 3 s.
    assert_eq!(SEED.delay_seconds(2, &mut draws([0.25, 0.1])), 3);
    assert_eq!(SEED.delay_seconds(2, &mut draws([0.25, 0.9])), 2);
    // A whole number of seconds takes no rounding draw.
    let mut once = draws([1.0, f64::NAN]);
    assert_eq!(SEED.delay_seconds(2, &mut once), 4);
    assert!(once().is_nan(), "the rounding draw was not taken");
    // A NaN rounding draw rounds up.
    assert_eq!(SEED.delay_seconds(0, &mut draws([0.0, f64::NAN])), 1);
    // Without jitter, partial seconds round up and the source is never asked.
    let off = RetryPolicy {
        jitter: false,
        initial_delay: Duration::from_millis(1500),
        ..SEED
    };
    let mut never = || -> f64 { panic!("jitter is off: the source must not be asked") };
    assert_eq!(off.delay_seconds(0, &mut never), 2);
    assert_eq!(off.delay_seconds(1, &mut never), 3);
}

#[test]
fn whole_seconds_keep_the_mean_of_the_jittered_delay() {
    // The mean of delay_seconds is 0.75 x the capped delay: 0.75 s for the first retry
    // (rounding up would make it 1 s every time), 3 s for the third.
    let mut source = SplitMix64::new(2024);
    const N: u32 = 200_000;
    for (attempt, mean, values) in [(0, 0.75, 0..=1), (2, 3.0, 2..=4)] {
        let mut sum = 0u64;
        for _ in 0..N {
            let seconds = SEED.delay_seconds(attempt, &mut source);
            assert!(values.contains(&seconds), "attempt {attempt}: {seconds}");
            sum += seconds;
        }
        let measured = sum as f64 / f64::from(N);
        // The standard error is below 0.002 s for both; 0.01 is five of them.
        assert!(
            (measured - mean).abs() < 0.01,
            "attempt {attempt}: mean {measured}, expected {mean}"
        );
    }
}

#[test]
fn max_attempts_is_one_more_than_max_retries() {
    assert_eq!(SEED.max_attempts(), 4);
    let most = RetryPolicy {
        max_retries: u32::MAX,
        ..SEED
    };
    assert_eq!(most.max_attempts(), u32::MAX);
}

#[test]
fn jitter_is_deterministic_for_a_seed() {
    let mut a = SplitMix64::new(42);
    let mut b = SplitMix64::new(42);
    let first: Vec<Duration> = (0..4).map(|n| SEED.delay(n, &mut a)).collect();
    let second: Vec<Duration> = (0..4).map(|n| SEED.delay(n, &mut b)).collect();
    assert_eq!(first, second);
}

// SplitMix64's published reference output for seed 0.
#[test]
fn splitmix64_matches_its_reference_sequence() {
    let mut g = SplitMix64::new(0);
    let out: Vec<u64> = (0..3).map(|_| g.next_u64()).collect();
    assert_eq!(
        out,
        [
            0xe220_a839_7b1d_cdaf,
            0x6e78_9e6a_a1b9_65f4,
            0x06c4_5d18_8009_454f
        ]
    );
    let mut g = SplitMix64::new(0);
    let unit = g.unit();
    assert_eq!(
        unit,
        (0xe220_a839_7b1d_cdafu64 >> 11) as f64 / (1u64 << 53) as f64
    );
    assert!((0.0..1.0).contains(&unit));
}

fn millis() -> impl Strategy<Value = Duration> {
    (0u64..=120_000).prop_map(Duration::from_millis)
}

/// Any duration, from zero to `Duration::MAX`, weighted towards the extremes.
fn any_duration() -> impl Strategy<Value = Duration> {
    prop_oneof![
        Just(Duration::ZERO),
        Just(Duration::MAX),
        millis(),
        (any::<u64>(), 0u32..1_000_000_000).prop_map(|(s, n)| Duration::new(s, n)),
    ]
}

/// Any multiplier, including NaN, infinities, negatives and values just above 1.
fn any_multiplier() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(1.0),
        Just(1.0 + f64::EPSILON),
        1.0f64..10.0,
        any::<f64>(),
    ]
}

fn any_policy() -> impl Strategy<Value = RetryPolicy> {
    (
        any::<u32>(),
        any_multiplier(),
        any_duration(),
        any_duration(),
        any::<bool>(),
    )
        .prop_map(
            |(max_retries, multiplier, initial_delay, max_delay, jitter)| RetryPolicy {
                max_retries,
                multiplier,
                initial_delay,
                max_delay,
                jitter,
            },
        )
}

fn any_attempt() -> impl Strategy<Value = u32> {
    prop_oneof![0u32..64, Just(u32::MAX), Just(u32::MAX - 1), any::<u32>()]
}

proptest! {
    #[test]
    fn jittered_delays_lie_between_half_and_whole(
        policy in any_policy(),
        attempt in any_attempt(),
        unit in prop_oneof![0.0f64..1.0, any::<f64>()],
    ) {
        let policy = RetryPolicy { jitter: true, ..policy };
        let capped = policy.capped_delay(attempt);
        let delay = policy.delay(attempt, &mut || unit);
        prop_assert!(delay <= capped, "{delay:?} > {capped:?}");
        prop_assert!(delay.as_nanos() * 2 >= capped.as_nanos(), "{delay:?} < half of {capped:?}");
    }

    #[test]
    fn the_capped_delay_never_decreases(policy in any_policy(), attempt in any_attempt()) {
        let next = attempt.saturating_add(1);
        prop_assert!(policy.capped_delay(attempt) <= policy.capped_delay(next));
    }

    #[test]
    fn no_delay_exceeds_the_maximum(
        policy in any_policy(),
        attempt in any_attempt(),
        seed in any::<u64>(),
    ) {
        prop_assert!(policy.capped_delay(attempt) <= policy.max_delay);
        prop_assert!(policy.delay(attempt, &mut SplitMix64::new(seed)) <= policy.max_delay);
    }

    #[test]
    fn sane_policies_follow_the_formula(
        initial in 1u64..=10_000,
        max in 1u64..=600_000,
        multiplier in 1.0f64..4.0,
        attempt in 0u32..40,
    ) {
        let policy = RetryPolicy {
            max_retries: 3,
            multiplier,
            initial_delay: Duration::from_millis(initial),
            max_delay: Duration::from_millis(max),
            jitter: false,
        };
        let expected = (initial as f64 * multiplier.powi(attempt as i32)).min(max as f64);
        let actual = policy.capped_delay(attempt).as_secs_f64() * 1000.0;
        // Whole nanoseconds: within a microsecond of the real-number formula.
        prop_assert!((actual - expected).abs() < 1e-3, "{actual} vs {expected}");
    }
}
