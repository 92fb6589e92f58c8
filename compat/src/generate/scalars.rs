//! Strings and numbers that meet a view's scalar keywords: boundaries first.

use serde_json::{Number, Value};

use super::Gen;
use crate::regex_sample;
use crate::values::{is_multiple, json_eq};
use crate::view::View;

/// Strings past the usual samples, so that negated keywords (`not: {pattern}`, a format
/// the other version asks for) have something to reject.
const ODD_STRINGS: &[&str] = &["~", "A1-", "0", " ", "e30=", "{}", "x y"];

impl Gen<'_> {
    /// Strings that meet the view's string keywords, closest to the limits first.
    pub(crate) fn strings(&self, view: &View) -> Vec<Value> {
        let min = view.min_length.as_ref().map_or(0, |(m, _)| *m);
        let max = view.max_length.as_ref().map(|(m, _)| *m);
        if min > 100_000 {
            return Vec::new();
        }
        let mut candidates: Vec<String> = Vec::new();
        for (format, _) in &view.formats {
            candidates.extend(format_samples(format).iter().map(|s| (*s).to_owned()));
        }
        for (pattern, _) in &view.patterns {
            candidates.extend(regex_sample::matching_with_length(pattern, min, max));
        }
        if view
            .media_types
            .iter()
            .any(|(m, _)| m == "application/json")
        {
            candidates.extend(
                ["{}", "[]", "1", "123", "true", "null", "[1,2]", "{\"a\":1}"].map(str::to_owned),
            );
            // JSON allows whitespace after a value: a document of any length from 1 up.
            let pad = |n: u64| format!("1{}", " ".repeat(n.saturating_sub(1).min(10_000) as usize));
            candidates.push(pad(min.max(1)));
            candidates.extend(max.map(pad));
        }
        if !view.encodings.is_empty() {
            candidates.extend(["YQ==", "e30=", ""].map(str::to_owned));
        }
        let preferred = min.max(1).min(max.unwrap_or(u64::MAX));
        candidates.push("a".repeat(preferred as usize));
        candidates.push("a".repeat(min as usize));
        candidates.push("b".repeat(preferred as usize));
        candidates.push("a".repeat(min as usize + 1));
        if let Some(max) = max.filter(|m| *m <= 10_000) {
            candidates.push("a".repeat(max as usize));
        }
        candidates.extend(ODD_STRINGS.iter().map(|s| (*s).to_owned()));
        let mut out: Vec<Value> = Vec::new();
        for c in candidates {
            let v = Value::String(c);
            if view.scalar_ok(&v) && !out.contains(&v) {
                out.push(v);
            }
        }
        out
    }
}

/// Numbers inside the bounds and on the steps, closest to zero first.
pub(super) fn numbers(view: &View, integer: bool) -> Vec<Value> {
    let lo = view.lower_bound(integer).map(|(b, _)| b);
    let hi = view.upper_bound(integer).map(|(b, _)| b);
    let step = view.steps(integer).first().map(|(m, _)| *m);
    let mut raw: Vec<f64> = vec![0.0, 1.0, -1.0];
    if let Some(lo) = lo {
        raw.push(lo.value);
        let gap = hi.map_or(1.0, |h| {
            ((h.value - lo.value) / 2.0).clamp(f64::MIN_POSITIVE, 1.0)
        });
        raw.push(lo.value + gap);
        raw.push(lo.value + 1.0);
    }
    if let Some(hi) = hi {
        raw.push(hi.value);
        let gap = lo.map_or(1.0, |l| {
            ((hi.value - l.value) / 2.0).clamp(f64::MIN_POSITIVE, 1.0)
        });
        raw.push(hi.value - gap);
        raw.push(hi.value - 1.0);
    }
    // A few more points on the step, for distinct array items.
    let base = lo.map_or(0.0, |l| l.value);
    let unit = step.unwrap_or(1.0);
    raw.extend((1..=4).map(|k| base + unit * f64::from(k)));
    // Numbers off the usual steps, for values a `not: {multipleOf}` must let through.
    raw.extend([7.0, 11.0]);
    if !integer {
        raw.extend([0.5, 0.001, 0.37, 1.0 / 3.0]);
        raw.extend(lo.map(|l| l.value + 0.5));
        raw.extend(hi.map(|h| h.value - 0.5));
        // Off every half step too.
        raw.extend(lo.map(|l| l.value + 0.37));
        raw.extend(hi.map(|h| h.value - 0.37));
    }
    let mut out: Vec<Value> = Vec::new();
    for mut x in raw {
        if let Some(m) = step {
            x = (x / m).ceil() * m;
            if !is_multiple(x, m) {
                continue;
            }
        }
        if integer {
            x = x.ceil();
        }
        if let Some(v) = number_value(x) {
            if view.scalar_ok(&v) && !out.iter().any(|o| json_eq(o, &v)) {
                out.push(v);
            }
        }
    }
    out
}

/// A JSON number: integers print without a fraction.
pub(crate) fn number_value(x: f64) -> Option<Value> {
    if !x.is_finite() {
        return None;
    }
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        return Some(Value::from(x as i64));
    }
    Number::from_f64(x).map(Value::Number)
}

/// Strings in each known format.
fn format_samples(format: &str) -> &'static [&'static str] {
    match format {
        "uuid" => &[
            "00000000-0000-4000-8000-000000000000",
            "123e4567-e89b-42d3-a456-426614174000",
            "abcdefab-cdef-abcd-efab-cdefabcdefab",
            "FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF",
        ],
        "date-time" => &[
            "2024-01-01T00:00:00Z",
            "2024-02-29T23:59:59.5+01:00",
            "1998-12-31t23:59:60z",
            "2024-06-30T12:00:00-07:00",
        ],
        "date" => &["2024-01-01"],
        "time" => &["00:00:00Z"],
        "email" | "idn-email" => &["user@example.com"],
        "hostname" | "idn-hostname" => &["example.com"],
        "ipv4" => &["192.0.2.1"],
        "ipv6" => &["2001:db8::1"],
        "uri" | "iri" => &["https://example.com/"],
        "uri-reference" | "iri-reference" => &["https://example.com/", "/a"],
        "uri-template" => &["https://example.com/{id}"],
        "json-pointer" => &["/a"],
        "relative-json-pointer" => &["0"],
        "regex" => &["^a$"],
        "duration" => &["P1D"],
        _ => &[],
    }
}
