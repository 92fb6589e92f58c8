//! Numbers as draft-07 compares them: exactly across integers and floats, as `jsonschema`
//! 0.61.2 (built without `arbitrary-precision`) does with `num-cmp`, and `multipleOf` by the
//! same two routes it takes (integer divisors by integer arithmetic, fractional divisors in the
//! decimal reading both numbers print as).

use std::cmp::Ordering;
use std::fmt::Write as _;

use serde_json::Number;

/// A JSON number as serde_json holds it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Num {
    /// A non-negative integer.
    U(u64),
    /// A negative integer.
    I(i64),
    /// Anything else (finite).
    F(f64),
}

impl Num {
    /// The number's exact kind, as `as_u64`, then `as_i64`, then `as_f64` read it.
    pub(crate) fn of(n: &Number) -> Num {
        if let Some(u) = n.as_u64() {
            Num::U(u)
        } else if let Some(i) = n.as_i64() {
            Num::I(i)
        } else {
            // serde_json without `arbitrary_precision` holds every other number as a finite f64.
            Num::F(n.as_f64().unwrap_or(f64::NAN))
        }
    }
}

/// `i` against `f`, exactly (no rounding of either side).
fn int_vs_float(i: i128, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    // 2^127: past it (either way) no i128 can reach the float.
    const LIMIT: f64 = 170_141_183_460_469_231_731_687_303_715_884_105_728.0;
    if f >= LIMIT {
        return Some(Ordering::Less);
    }
    if f < -LIMIT {
        return Some(Ordering::Greater);
    }
    let whole = f.trunc();
    // In range and integral, so the cast is exact.
    let whole_int = whole as i128;
    Some(match i.cmp(&whole_int) {
        Ordering::Equal => 0.0f64.partial_cmp(&(f - whole))?,
        other => other,
    })
}

/// `a` against `b`, exactly; `None` only for NaN, which JSON cannot hold.
pub(crate) fn compare(a: Num, b: Num) -> Option<Ordering> {
    let int = |n: Num| match n {
        Num::U(u) => Some(i128::from(u)),
        Num::I(i) => Some(i128::from(i)),
        Num::F(_) => None,
    };
    match (a, b) {
        (Num::F(x), Num::F(y)) => x.partial_cmp(&y),
        (Num::F(x), other) => int_vs_float(int(other)?, x).map(Ordering::reverse),
        (other, Num::F(y)) => int_vs_float(int(other)?, y),
        (x, y) => Some(int(x)?.cmp(&int(y)?)),
    }
}

/// Whether two JSON numbers are equal as numbers (`1 == 1.0`).
pub(crate) fn equal(a: &Number, b: &Number) -> bool {
    compare(Num::of(a), Num::of(b)) == Some(Ordering::Equal)
}

/// Whether a JSON number is an integer in the draft-07 sense (`1.0` is one).
pub(crate) fn is_integer(n: &Number) -> bool {
    n.is_u64() || n.is_i64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
}

/// A small stack buffer to format a number into without allocating.
struct Digits {
    bytes: [u8; 48],
    len: usize,
}

impl Digits {
    fn new() -> Self {
        Digits {
            bytes: [0; 48],
            len: 0,
        }
    }
    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or("")
    }
}

impl std::fmt::Write for Digits {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        if end > self.bytes.len() {
            return Err(std::fmt::Error);
        }
        self.bytes[self.len..end].copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// 2^53: past it not every integer is an f64.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_992.0;

/// `multipleOf`: whether `value` divided by `multiple` is an integer.
pub(crate) fn is_multiple_of(value: &Number, multiple: f64) -> bool {
    is_multiple_of_read(value, multiple, decimal_parts(multiple))
}

/// [`is_multiple_of`] with the multiple's decimal reading (`multiple_parts`, from
/// [`decimal_parts`]) made once, when the schema was compiled.
pub(crate) fn is_multiple_of_read(
    value: &Number,
    multiple: f64,
    multiple_parts: Option<(i128, i32)>,
) -> bool {
    if multiple.fract() == 0.0 {
        is_multiple_of_integer(value, multiple)
    } else {
        is_multiple_of_fraction(value, multiple, multiple_parts)
    }
}

fn is_multiple_of_integer(value: &Number, multiple: f64) -> bool {
    if multiple > 0.0 && multiple <= MAX_SAFE_INTEGER {
        // Exact in u64 by the bound above.
        let divisor = multiple as u64;
        if let Some(v) = value.as_u64() {
            return v % divisor == 0;
        }
        if let Some(v) = value.as_i64() {
            return v % (divisor as i64) == 0;
        }
        if value.as_f64().is_none_or(|f| f.abs() >= MAX_SAFE_INTEGER) {
            // jsonschema divides the digits the number prints as; they name the float exactly
            // below 1e16, and it prints larger ones with an exponent, which this declines.
            let mut text = Digits::new();
            if write!(text, "{value}").is_ok() {
                if let Some(answer) = decimal_digits_divide(text.as_str(), divisor) {
                    return answer;
                }
            }
        }
    }
    let Some(f) = value.as_f64() else {
        return false;
    };
    f.fract() == 0.0 && f % multiple == 0.0
}

/// Long division of a plain decimal's integer digits by `divisor`; `None` for exponent forms.
fn decimal_digits_divide(text: &str, divisor: u64) -> Option<bool> {
    if text.contains(['e', 'E']) {
        return None;
    }
    let text = text.strip_prefix('-').unwrap_or(text);
    let (digits, fraction) = match text.split_once('.') {
        Some((digits, fraction)) => (digits, Some(fraction)),
        None => (text, None),
    };
    if fraction.is_some_and(|f| !f.bytes().all(|b| b == b'0')) {
        return Some(false);
    }
    let mut remainder = 0u64;
    for byte in digits.bytes() {
        remainder = (remainder * 10 + u64::from(byte.wrapping_sub(b'0'))) % divisor;
    }
    Some(remainder == 0)
}

fn is_multiple_of_fraction(
    value: &Number,
    multiple: f64,
    multiple_parts: Option<(i128, i32)>,
) -> bool {
    let Some(f) = value.as_f64() else {
        return false;
    };
    if f == 0.0 {
        return true;
    }
    if f.abs() < multiple {
        return false;
    }
    if let Some(answer) = divides_in_decimal(f, multiple_parts) {
        return answer;
    }
    divides_as_fractions(f, multiple)
}

/// A finite float as the shortest decimal that reads back as it: `mantissa / 10^decimals`.
pub(crate) fn decimal_parts(value: f64) -> Option<(i128, i32)> {
    // A whole number below 2^53 is its own integer: the same decimal, without printing it.
    if value.fract() == 0.0 && value.abs() < MAX_SAFE_INTEGER {
        return Some((value as i128, 0));
    }
    let mut text = Digits::new();
    // `{:e}` writes the shortest round-trip digits, as `1.2345e-5`.
    write!(text, "{value:e}").ok()?;
    let text = text.as_str();
    let (digits, exponent) = text.split_once('e')?;
    let exponent: i32 = exponent.parse().ok()?;
    let negative = digits.starts_with('-');
    let mut mantissa: i128 = 0;
    let mut decimals: i32 = 0;
    let mut fractional = false;
    for byte in digits.bytes() {
        match byte {
            b'-' => {}
            b'.' => fractional = true,
            d => {
                mantissa = mantissa
                    .checked_mul(10)?
                    .checked_add(i128::from(d.checked_sub(b'0')?))?;
                decimals += i32::from(fractional);
            }
        }
    }
    Some((
        if negative { -mantissa } else { mantissa },
        decimals - exponent,
    ))
}

/// `value / multiple` is an integer, reading both as the decimals they print as; `None` when
/// that leaves i128.
fn divides_in_decimal(value: f64, multiple_parts: Option<(i128, i32)>) -> Option<bool> {
    let (value_mantissa, value_decimals) = decimal_parts(value)?;
    let (multiple_mantissa, multiple_decimals) = multiple_parts?;
    if multiple_mantissa == 0 {
        return None;
    }
    let shared = value_decimals.min(multiple_decimals);
    let scale = |mantissa: i128, decimals: i32| {
        let places = u32::try_from(decimals - shared).ok()?;
        mantissa.checked_mul(10_i128.checked_pow(places)?)
    };
    Some(scale(value_mantissa, multiple_decimals)? % scale(multiple_mantissa, value_decimals)? == 0)
}

/// The last resort `jsonschema` takes (through the `fraction` crate): each float becomes
/// `n / 10^p` for the first `p` that makes `float * 10^p` integral to within f64 epsilon, and
/// the quotient of the two fractions must have denominator one. Computed here with exact big
/// integers over the same floats.
fn divides_as_fractions(value: f64, multiple: f64) -> bool {
    let (Some((vn, vd)), Some((mn, md))) = (float_fraction(value), float_fraction(multiple)) else {
        return false;
    };
    // value / multiple = (vn * md) / (vd * mn): integral when the divisor divides the dividend.
    let dividend = vn.mul(&md);
    let divisor = vd.mul(&mn);
    if divisor.is_zero() {
        // A multiple within f64 epsilon of zero reads as 0/1; dividing by it makes an
        // infinite fraction, which has no denominator, and the crate counts that as whole.
        return true;
    }
    dividend.rem(&divisor).is_zero()
}

/// The `fraction` crate's reading of a float as numerator and denominator.
fn float_fraction(value: f64) -> Option<(Big, Big)> {
    let mut power = 0i32;
    // Signed, as the crate scales it: `floor` rounds negative values the other way.
    let mut scaled = value;
    loop {
        if (scaled.floor() - scaled).abs() < f64::EPSILON {
            break;
        }
        power += 1;
        scaled = value * 10f64.powi(power);
        if scaled.is_infinite() {
            return decimal_fraction(value.abs());
        }
    }
    Some((
        Big::of_float(scaled.abs())?,
        Big::of_float(10f64.powi(power))?,
    ))
}

/// The exact decimal `value` prints as (Rust's `Display`), as a fraction.
fn decimal_fraction(value: f64) -> Option<(Big, Big)> {
    let text = format!("{value}");
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut numerator = Big::zero();
    let mut denominator = Big::one();
    for byte in whole.bytes().chain(fraction.bytes()) {
        numerator = numerator
            .mul_small(10)
            .add_small(u32::from(byte.checked_sub(b'0')?));
    }
    for _ in 0..fraction.len() {
        denominator = denominator.mul_small(10);
    }
    Some((numerator, denominator))
}

/// A non-negative big integer, little-endian base 2^32: just enough arithmetic for the
/// fraction route above.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Big(Vec<u32>);

impl Big {
    fn zero() -> Big {
        Big(Vec::new())
    }
    fn one() -> Big {
        Big(vec![1])
    }
    fn trimmed(mut self) -> Big {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
        self
    }
    fn is_zero(&self) -> bool {
        self.0.iter().all(|&d| d == 0)
    }
    /// The integer part of a finite, non-negative float, exactly.
    fn of_float(f: f64) -> Option<Big> {
        if !f.is_finite() || f < 0.0 {
            return None;
        }
        let f = f.trunc();
        if f == 0.0 {
            return Some(Big::zero());
        }
        let bits = f.to_bits();
        let exponent = ((bits >> 52) & 0x7ff) as i32;
        let mantissa = if exponent == 0 {
            (bits & ((1 << 52) - 1)) << 1
        } else {
            (bits & ((1 << 52) - 1)) | (1 << 52)
        };
        // f = mantissa * 2^(exponent - 1075)
        let shift = exponent - 1075;
        let mut big = Big(vec![mantissa as u32, (mantissa >> 32) as u32]);
        if shift >= 0 {
            big = big.shl(shift as u32);
        } else {
            big = big.shr((-shift) as u32);
        }
        Some(big.trimmed())
    }
    fn shl(&self, bits: u32) -> Big {
        let words = (bits / 32) as usize;
        let rest = bits % 32;
        let mut out = vec![0u32; words];
        let mut carry = 0u32;
        for &d in &self.0 {
            if rest == 0 {
                out.push(d);
            } else {
                out.push((d << rest) | carry);
                carry = d >> (32 - rest);
            }
        }
        if carry != 0 {
            out.push(carry);
        }
        Big(out).trimmed()
    }
    fn shr(&self, bits: u32) -> Big {
        let words = (bits / 32) as usize;
        let rest = bits % 32;
        if words >= self.0.len() {
            return Big::zero();
        }
        let src = &self.0[words..];
        let mut out = Vec::with_capacity(src.len());
        for (i, &d) in src.iter().enumerate() {
            let high = src.get(i + 1).copied().unwrap_or(0);
            out.push(if rest == 0 {
                d
            } else {
                (d >> rest) | (high << (32 - rest))
            });
        }
        Big(out).trimmed()
    }
    fn mul_small(&self, factor: u32) -> Big {
        let mut out = Vec::with_capacity(self.0.len() + 1);
        let mut carry = 0u64;
        for &d in &self.0 {
            let product = u64::from(d) * u64::from(factor) + carry;
            out.push(product as u32);
            carry = product >> 32;
        }
        if carry != 0 {
            out.push(carry as u32);
        }
        Big(out).trimmed()
    }
    fn add_small(&self, addend: u32) -> Big {
        let mut out = self.0.clone();
        let mut carry = u64::from(addend);
        for d in &mut out {
            if carry == 0 {
                break;
            }
            let sum = u64::from(*d) + carry;
            *d = sum as u32;
            carry = sum >> 32;
        }
        if carry != 0 {
            out.push(carry as u32);
        }
        Big(out).trimmed()
    }
    fn mul(&self, other: &Big) -> Big {
        let mut out = vec![0u32; self.0.len() + other.0.len()];
        for (i, &a) in self.0.iter().enumerate() {
            let mut carry = 0u64;
            for (j, &b) in other.0.iter().enumerate() {
                let t = u64::from(a) * u64::from(b) + u64::from(out[i + j]) + carry;
                out[i + j] = t as u32;
                carry = t >> 32;
            }
            let mut k = i + other.0.len();
            while carry != 0 {
                let t = u64::from(out[k]) + carry;
                out[k] = t as u32;
                carry = t >> 32;
                k += 1;
            }
        }
        Big(out).trimmed()
    }
    fn bits(&self) -> u32 {
        match self.0.last() {
            None => 0,
            Some(&top) => (self.0.len() as u32 - 1) * 32 + (32 - top.leading_zeros()),
        }
    }
    fn bit(&self, index: u32) -> bool {
        self.0
            .get((index / 32) as usize)
            .is_some_and(|d| d >> (index % 32) & 1 == 1)
    }
    fn cmp_big(&self, other: &Big) -> Ordering {
        let (a, b) = (self.clone().trimmed(), other.clone().trimmed());
        a.0.len()
            .cmp(&b.0.len())
            .then_with(|| a.0.iter().rev().cmp(b.0.iter().rev()))
    }
    fn sub(&self, other: &Big) -> Big {
        let mut out = self.0.clone();
        let mut borrow = 0i64;
        for (i, d) in out.iter_mut().enumerate() {
            let t = i64::from(*d) - i64::from(other.0.get(i).copied().unwrap_or(0)) - borrow;
            if t < 0 {
                *d = (t + (1i64 << 32)) as u32;
                borrow = 1;
            } else {
                *d = t as u32;
                borrow = 0;
            }
        }
        Big(out).trimmed()
    }
    /// `self mod divisor`, by binary long division (slow, and only on a cold path).
    fn rem(&self, divisor: &Big) -> Big {
        let mut remainder = Big::zero();
        for index in (0..self.bits()).rev() {
            remainder = remainder.shl(1);
            if self.bit(index) {
                remainder = remainder.add_small(1);
            }
            if remainder.cmp_big(divisor) != Ordering::Less {
                remainder = remainder.sub(divisor);
            }
        }
        remainder
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn n(v: serde_json::Value) -> Number {
        match v {
            serde_json::Value::Number(n) => n,
            _ => unreachable!(),
        }
    }

    #[test]
    fn integers_and_floats_compare_exactly() {
        let big = Num::U(u64::MAX);
        // u64::MAX as f64 rounds up to 2^64.
        assert_eq!(
            compare(big, Num::F(18_446_744_073_709_551_616.0)),
            Some(Ordering::Less)
        );
        assert_eq!(compare(Num::U(1), Num::F(1.0)), Some(Ordering::Equal));
        assert_eq!(compare(Num::I(-1), Num::F(-0.5)), Some(Ordering::Less));
        assert_eq!(compare(Num::F(2.5), Num::U(2)), Some(Ordering::Greater));
        assert_eq!(compare(Num::I(-3), Num::U(0)), Some(Ordering::Less));
        assert!(equal(&n(json!(1)), &n(json!(1.0))));
        assert!(!equal(
            &n(json!(9007199254740993u64)),
            &n(json!(9007199254740992.0))
        ));
    }

    #[test]
    fn multiples_follow_decimal_reading() {
        assert!(is_multiple_of(&n(json!(0.3)), 0.1));
        assert!(is_multiple_of(&n(json!(4)), 2.0));
        assert!(!is_multiple_of(&n(json!(4.5)), 2.0));
        assert!(is_multiple_of(&n(json!(19.99)), 0.01));
        assert!(!is_multiple_of(&n(json!(0.075)), 0.02));
        assert!(is_multiple_of(&n(json!(-6)), 3.0));
        assert!(is_multiple_of(&n(json!(0.0)), 0.7));
        // Past i128 the fraction route decides; a divisor below f64 epsilon reads as zero there.
        assert!(is_multiple_of(&n(json!(1)), 1e-308));
        assert!(!is_multiple_of(&n(json!(1e300)), 0.7));
    }

    #[test]
    fn big_integers_divide_exactly() {
        let a = Big::of_float(1e20).unwrap();
        let b = Big::of_float(1e10).unwrap();
        assert!(a.rem(&b).is_zero());
        // 1e30 is not exactly 10^30 as a float.
        assert!(!Big::of_float(1e30).unwrap().rem(&b).is_zero());
        let seven = Big(vec![7]);
        assert_eq!(Big(vec![50]).rem(&seven), Big(vec![1]));
        assert_eq!(Big::of_float(4294967296.0).unwrap(), Big(vec![0, 1]));
        assert_eq!(Big::of_float(3.0).unwrap(), Big(vec![3]));
    }
}
