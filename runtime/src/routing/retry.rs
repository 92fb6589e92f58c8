//! The retry policy: capped exponential backoff with optional jitter (the seed's
//! `calculateDelay`), with the randomness injected so that tests are deterministic.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How a failed delivery is retried; the contract's values are the generated `RETRY_POLICY`.
///
/// `delay(attempt)` is `min(initial_delay * multiplier^attempt, max_delay)`, times a
/// factor in [0.5, 1] when `jitter` is on; `delay_seconds` rounds it to the whole
/// seconds SQS takes without moving its mean. Every input is accepted without panicking:
/// a `multiplier` below 1 or NaN counts as 1 (delays never shrink), an infinite one
/// reaches `max_delay` at the first retry, and a `max_delay` below `initial_delay`
/// caps every delay at `max_delay`, as `Math.min` does in the seed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// How many retries may follow the first attempt.
    pub max_retries: u32,
    /// The factor each retry's delay grows by.
    pub multiplier: f64,
    /// The delay before the first retry.
    pub initial_delay: Duration,
    /// The longest delay.
    pub max_delay: Duration,
    /// Whether each delay is scaled by a random factor in [0.5, 1].
    pub jitter: bool,
}

/// A source of randomness for jitter: each call returns a number in [0, 1).
///
/// Values outside [0, 1] are clamped into it and NaN counts as 0, so a faulty source
/// can skew delays but never break their bounds.
pub trait JitterSource {
    /// The next number in [0, 1).
    fn unit(&mut self) -> f64;
}

impl<F: FnMut() -> f64> JitterSource for F {
    fn unit(&mut self) -> f64 {
        self()
    }
}

/// SplitMix64: a small, fast, seedable generator; ample for spreading retries.
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator whose sequence is fixed by `seed` (for tests and replays).
    pub const fn new(seed: u64) -> Self {
        SplitMix64 { state: seed }
    }

    /// A generator seeded from the process's hash keys and the clock, different per call.
    pub fn from_entropy() -> Self {
        // RandomState carries per-process random keys (and changes them per instance):
        // enough to decorrelate services retrying at once, without another dependency.
        let mut hasher = RandomState::new().build_hasher();
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        hasher.write_u128(nanos);
        SplitMix64::new(hasher.finish())
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

impl JitterSource for SplitMix64 {
    fn unit(&mut self) -> f64 {
        // The top 53 bits fill an f64 mantissa exactly: uniform on [0, 1).
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

impl RetryPolicy {
    /// Whether another retry is allowed after `attempt` retries (0 before the first).
    pub fn should_retry(&self, attempt: u32) -> bool {
        attempt < self.max_retries
    }

    /// How many times a message is handled at most: the first attempt and `max_retries`
    /// retries.
    pub fn max_attempts(&self) -> u32 {
        self.max_retries.saturating_add(1)
    }

    /// The delay before retry number `attempt` in whole seconds, as SQS takes it
    /// (`ChangeMessageVisibility`, `DelaySeconds`).
    ///
    /// With jitter, the jittered delay is rounded down or up at random, up with a
    /// probability equal to its fraction of a second (a second draw from `source`), so
    /// the mean of the whole seconds is the mean of the jittered delay, 0.75 ×
    /// [`capped_delay`](Self::capped_delay); always rounding up would turn the first
    /// retry's 0.5 to 1 s into exactly 1 s and remove its jitter. Without jitter the
    /// delay is rounded up, so it is never shorter than the policy says.
    pub fn delay_seconds(&self, attempt: u32, source: &mut impl JitterSource) -> u64 {
        let delay = self.delay(attempt, source);
        let whole = delay.as_secs();
        if delay.subsec_nanos() == 0 {
            return whole;
        }
        if !self.jitter {
            return whole.saturating_add(1);
        }
        let fraction = f64::from(delay.subsec_nanos()) / 1e9;
        let unit = source.unit();
        // NaN counts as 0, like the jitter draw: a faulty source rounds up.
        let unit = if unit.is_nan() { 0.0 } else { unit };
        if unit < fraction {
            whole.saturating_add(1)
        } else {
            whole
        }
    }

    /// The delay before retry number `attempt` (0-based), without jitter.
    pub fn capped_delay(&self, attempt: u32) -> Duration {
        let max = self.max_delay;
        if self.initial_delay >= max {
            // The growth factor is at least 1, so the cap always wins.
            return max;
        }
        if self.initial_delay.is_zero() {
            return Duration::ZERO;
        }
        // `>=` is false for NaN, so NaN counts as 1 too.
        let multiplier = if self.multiplier >= 1.0 {
            self.multiplier
        } else {
            1.0
        };
        // Floats cannot overflow into a panic: a huge attempt gives +inf, which the
        // cap absorbs below. Both factors are positive, so the product is never NaN.
        let growth = multiplier.powf(f64::from(attempt));
        let nanos = self.initial_delay.as_nanos() as f64 * growth;
        if nanos >= max.as_nanos() as f64 {
            return max;
        }
        // Rounding `max` to an f64 may have raised it: compare again exactly.
        from_nanos(nanos as u128).min(max)
    }

    /// The delay before retry number `attempt` (0-based), jittered by `source` when on.
    pub fn delay(&self, attempt: u32, source: &mut impl JitterSource) -> Duration {
        let capped = self.capped_delay(attempt);
        if !self.jitter {
            return capped;
        }
        let unit = source.unit();
        let unit = if unit.is_nan() {
            0.0
        } else {
            unit.clamp(0.0, 1.0)
        };
        // capped * (0.5 + unit / 2), in whole nanoseconds and never below half or
        // above the whole: the lower half is rounded up, the random part down.
        let total = capped.as_nanos();
        let span = total / 2;
        let lower = total - span;
        let extra = ((span as f64 * unit) as u128).min(span);
        from_nanos(lower + extra)
    }
}

fn from_nanos(nanos: u128) -> Duration {
    let secs = nanos / 1_000_000_000;
    // The remainder is below 10^9, so it fits a u32.
    let sub = (nanos % 1_000_000_000) as u32;
    match u64::try_from(secs) {
        Ok(secs) => Duration::new(secs, sub),
        Err(_) => Duration::MAX,
    }
}
