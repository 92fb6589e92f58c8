//! Proptest strategies for mutating events: JSON values, the strings and numbers where the
//! typed path and JSON Schema could part ways, and edits at any depth of an event.

use proptest::prelude::*;
use proptest::sample::{select, Index};
use serde_json::{Map, Number, Value};

/// One step into a JSON value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Item(usize),
}

/// Where a node sits in a value.
pub type Path = Vec<Step>;

/// The JSON pointer of `path`.
pub fn pointer(path: &[Step]) -> String {
    path.iter()
        .map(|step| match step {
            Step::Key(key) => format!("/{}", key.replace('~', "~0").replace('/', "~1")),
            Step::Item(i) => format!("/{i}"),
        })
        .collect()
}

/// Every node of `value` that `keep` accepts, with its path, in document order.
pub fn nodes(value: &Value, keep: &dyn Fn(&Path, &Value) -> bool) -> Vec<Path> {
    fn walk(
        value: &Value,
        path: &mut Path,
        keep: &dyn Fn(&Path, &Value) -> bool,
        out: &mut Vec<Path>,
    ) {
        if keep(path, value) {
            out.push(path.clone());
        }
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    path.push(Step::Key(key.clone()));
                    walk(child, path, keep, out);
                    path.pop();
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    path.push(Step::Item(i));
                    walk(child, path, keep, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, &mut Vec::new(), keep, &mut out);
    out
}

/// The node at `path`.
pub fn node_mut<'a>(value: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    path.iter()
        .try_fold(value, |node, step| match (node, step) {
            (Value::Object(map), Step::Key(key)) => map.get_mut(key),
            (Value::Array(items), Step::Item(i)) => items.get_mut(*i),
            _ => None,
        })
}

/// Removes the node at `path` (not the root).
pub fn remove(value: &mut Value, path: &[Step]) {
    let Some((last, parent)) = path.split_last() else {
        return;
    };
    match (node_mut(value, parent), last) {
        (Some(Value::Object(map)), Step::Key(key)) => {
            map.shift_remove(key);
        }
        (Some(Value::Array(items)), Step::Item(i)) if *i < items.len() => {
            items.remove(*i);
        }
        _ => {}
    }
}

/// Picks one path of `candidates` with `index`, if there is any.
pub fn pick<'a>(candidates: &'a [Path], index: &Index) -> Option<&'a Path> {
    (!candidates.is_empty()).then(|| index.get(candidates))
}

fn float(v: f64) -> Value {
    Number::from_f64(v).map_or(Value::Null, Value::Number)
}

/// 2^63 and 2^64 as floats: the edges of i64 and u64.
const TWO_POW_63: f64 = 9_223_372_036_854_775_808.0;
const TWO_POW_64: f64 = 18_446_744_073_709_551_616.0;

/// Numbers at the edges: integer and float forms, the ends of i64 and u64, -0.0, huge.
pub fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1_000i64..1_000).prop_map(Value::from),
        (-1_000i64..1_000).prop_map(|n| float(n as f64)),
        any::<f64>().prop_map(float),
        select(vec![
            0.0,
            -0.0,
            0.5,
            5.0,
            -1.0,
            1e-300,
            5e-324,
            1e19,
            1e20,
            1e300,
            -1e300,
            9_007_199_254_740_992.0,
            TWO_POW_63,
            -TWO_POW_63,
            TWO_POW_64,
            18_446_744_073_709_549_568.0, // the largest float below 2^64
        ])
        .prop_map(float),
        select(vec![
            Value::from(0u64),
            Value::from(u64::MAX),
            Value::from(i64::MAX),
            Value::from(i64::MIN),
            Value::from(1u64 << 63),
            Value::from(-1i64),
        ]),
    ]
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// UUID-shaped strings: the hyphenated form in any case, the forms the uuid crate also
/// parses (simple, braced, urn), and near misses.
pub fn uuid_like() -> impl Strategy<Value = String> {
    (any::<[u8; 16]>(), any::<u64>(), 0..8u8).prop_map(|(bytes, case_mask, form)| {
        let h = hex(&bytes);
        let hyphenated = format!(
            "{}-{}-{}-{}-{}",
            &h[..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..]
        );
        let cased = flip_case(&hyphenated, case_mask);
        match form {
            0..=2 => cased,
            3 => h,
            4 => format!("{{{cased}}}"),
            5 => format!("urn:uuid:{cased}"),
            6 => cased[1..].to_owned(),
            _ => format!("{}g", &cased[..35]),
        }
    })
}

/// Flips the case of the ASCII letters at the positions whose bit is set in `mask`.
pub fn flip_case(text: &str, mask: u64) -> String {
    text.chars()
        .enumerate()
        .map(|(i, c)| {
            if mask >> (i % 64) & 1 == 0 {
                c
            } else if c.is_ascii_lowercase() {
                c.to_ascii_uppercase()
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

/// Date-time-shaped strings around every rule of RFC 3339: impossible dates, leap years,
/// leap seconds, offsets at and past their limits, lower-case separators, missing parts.
pub fn date_time_like() -> impl Strategy<Value = String> {
    let year = prop_oneof![
        select(vec![2024u32, 2025, 2016, 1900, 2000, 0, 9999]),
        0..10_000u32
    ];
    let month = prop_oneof![select(vec![1u32, 2, 4, 12, 0, 13]), 1..13u32];
    let day = prop_oneof![select(vec![1u32, 28, 29, 30, 31, 0, 32]), 1..29u32];
    let hour = prop_oneof![select(vec![0u32, 23, 24]), 0..24u32];
    let minute = select(vec![0u32, 30, 59, 60]);
    let second = select(vec![0u32, 59, 60, 61]);
    let fraction = select(vec![
        "",
        "",
        ".5",
        ".250",
        ".123456789",
        ".123456789012",
        ".",
    ]);
    let separator = select(vec!["T", "T", "t", " "]);
    let offset = select(vec![
        "Z", "Z", "z", "+00:00", "-00:00", "+01:00", "-05:00", "+05:30", "+23:59", "+24:00",
        "+01:60", "+0100", "",
    ]);
    (year, month, day, hour, minute, second, fraction, separator, offset).prop_map(
        |(year, month, day, hour, minute, second, fraction, separator, offset)| {
            format!("{year:04}-{month:02}-{day:02}{separator}{hour:02}:{minute:02}:{second:02}{fraction}{offset}")
        },
    )
}

/// Version-shaped strings: known, unknown patch, newer minor, unknown major, not semver.
/// Mostly versions this build reads, so that the event is still checked past its envelope.
pub fn version_like() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => select(vec![
            "1.0.0",
            "1.1.0",
            "1.0.7",
            "1.1.3",
            "1.9.0",
            "01.0.0",
            "1.0.99999999999999999999",
        ])
        .prop_map(str::to_owned),
        1 => select(vec![
            "1.0.0", "1.1.0", "1.0.7", "1.1.3", "1.9.0", "2.0.0", "0.1.0", "01.0.0", "1.0", "1.0.0\n",
            "١.٠.٠", "1.0.0-rc.1", "",
        ])
        .prop_map(str::to_owned),
        1 => (0..3u32, 0..12u32, 0..10u32).prop_map(|(a, b, c)| format!("{a}.{b}.{c}")),
    ]
}

/// Every enum value of the schemas, and near misses.
pub fn enum_like() -> impl Strategy<Value = String> {
    select(vec![
        "electronics",
        "clothing",
        "books",
        "home",
        "sports",
        "other",
        "Sports",
        "toys",
        "low",
        "medium",
        "high",
        "critical",
        "HIGH",
        "urgent",
        "ProductCreated",
        "ProductUpdated",
        "ProductDeleted",
        "LowStockWarning",
        "productCreated",
    ])
    .prop_map(str::to_owned)
}

/// A string of exactly `code_points` code points made of `filler` (cycled).
pub fn sized(code_points: usize, filler: &str) -> String {
    filler.chars().cycle().take(code_points).collect()
}

/// Lengths at the schemas' length limits (1..=255, ..=1000) and one past them.
pub fn limit_length() -> impl Strategy<Value = usize> {
    select(vec![0usize, 1, 2, 254, 255, 256, 999, 1000, 1001])
}

/// Fillers in which code points, UTF-16 units, bytes and graphemes all differ.
pub fn filler() -> impl Strategy<Value = &'static str> {
    select(vec![
        "x",
        "é",
        "\u{1F600}",
        "e\u{301}",
        "字",
        "\u{1F468}\u{200D}\u{1F469}",
    ])
}

/// Strings whose length in code points sits at a schema limit or one past it.
pub fn sized_string() -> impl Strategy<Value = String> {
    (limit_length(), filler()).prop_map(|(n, filler)| sized(n, filler))
}

/// Any string: every shape above, and arbitrary Unicode (control characters included).
pub fn string() -> impl Strategy<Value = String> {
    prop_oneof![
        uuid_like(),
        date_time_like(),
        version_like(),
        enum_like(),
        sized_string(),
        prop::collection::vec(any::<char>(), 0..12).prop_map(|cs| cs.into_iter().collect()),
    ]
}

/// Object keys: the schemas' property names (so that added keys hit declared fields at
/// the wrong level, or replace them) and arbitrary ones.
pub fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        select(vec![
            "eventId",
            "eventType",
            "version",
            "timestamp",
            "correlationId",
            "source",
            "userId",
            "sessionId",
            "metadata",
            "data",
            "productId",
            "name",
            "description",
            "price",
            "quantity",
            "category",
            "sellerId",
            "createdAt",
            "changes",
            "previousState",
            "updatedAt",
            "deletedAt",
            "reason",
            "productName",
            "currentQuantity",
            "threshold",
            "severity",
            "userAgent",
            "ipAddress",
            "requestId",
        ])
        .prop_map(str::to_owned),
        "[a-zA-Z~/]{0,6}",
    ]
}

/// Any JSON value, a few levels deep.
pub fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number(),
        string().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 12, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..4)
                .prop_map(|members| Value::Object(members.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Whether `text` looks like a date-time (so that a timestamp edit targets it).
pub fn looks_like_date_time(text: &str) -> bool {
    text.len() >= 10
        && text.as_bytes().get(4) == Some(&b'-')
        && text.as_bytes().get(7) == Some(&b'-')
}

/// Whether `text` looks like a hyphenated UUID.
pub fn looks_like_uuid(text: &str) -> bool {
    text.len() == 36 && text.matches('-').count() == 4
}

/// Whether `v` is an integer outside the range of u64 (`unsigned`) or i64.
pub fn beyond_rust_integer(v: &Value, unsigned: bool) -> bool {
    let Value::Number(n) = v else {
        return false;
    };
    let Some(f) = n.as_f64() else {
        return false;
    };
    let integral = n.is_u64() || n.is_i64() || f.fract() == 0.0;
    let fits = if unsigned {
        n.is_u64() || (n.is_f64() && (0.0..TWO_POW_64).contains(&f))
    } else {
        n.is_i64() || (n.is_f64() && (-TWO_POW_63..TWO_POW_63).contains(&f))
    };
    integral && !fits
}
