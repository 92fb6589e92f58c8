//! Values as validators read them: types as sets, JSON equality with numbers compared by
//! value, numeric bounds, patterns and formats, and pointers.

use std::cell::RefCell;
use std::collections::HashMap;

use serde_json::Value;

use event_contracts_schema::diag::escape_token;

/// Keywords that only document: validators ignore them.
pub(crate) const ANNOTATIONS: &[&str] = &[
    "title",
    "description",
    "$comment",
    "examples",
    "readOnly",
    "writeOnly",
    "deprecated",
];

/// A set of JSON types. `integer` and the non-integer numbers are separate members, so
/// that `number` = {integer, fraction} and subset tests are exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Types(pub u8);

impl Types {
    pub const NULL: u8 = 1;
    pub const BOOLEAN: u8 = 2;
    pub const OBJECT: u8 = 4;
    pub const ARRAY: u8 = 8;
    pub const STRING: u8 = 16;
    pub const INTEGER: u8 = 32;
    pub const FRACTION: u8 = 64;
    pub const NUMBER: u8 = Self::INTEGER | Self::FRACTION;
    pub const ALL: Types = Types(127);
    pub const NONE: Types = Types(0);

    pub fn has(self, bits: u8) -> bool {
        self.0 & bits != 0
    }

    pub fn is_subset_of(self, other: Types) -> bool {
        self.0 & !other.0 == 0
    }

    pub fn and(self, other: Types) -> Types {
        Types(self.0 & other.0)
    }

    pub fn minus(self, other: Types) -> Types {
        Types(self.0 & !other.0)
    }

    /// The bit of one type name; `None` for names draft-07 does not define.
    pub fn from_name(name: &str) -> Option<u8> {
        Some(match name {
            "null" => Self::NULL,
            "boolean" => Self::BOOLEAN,
            "object" => Self::OBJECT,
            "array" => Self::ARRAY,
            "string" => Self::STRING,
            "integer" => Self::INTEGER,
            "number" => Self::NUMBER,
            _ => return None,
        })
    }

    /// The type of one value (an integer-valued number such as `1.0` is an integer, as in draft-07).
    pub fn of(value: &Value) -> Types {
        Types(match value {
            Value::Null => Self::NULL,
            Value::Bool(_) => Self::BOOLEAN,
            Value::Object(_) => Self::OBJECT,
            Value::Array(_) => Self::ARRAY,
            Value::String(_) => Self::STRING,
            Value::Number(n) => match n.as_f64() {
                Some(f) if f.fract() != 0.0 => Self::FRACTION,
                _ => Self::INTEGER,
            },
        })
    }

    /// Names for people: `number` when both kinds of number are in, else `integer`.
    pub fn names(self) -> Vec<&'static str> {
        let mut out = Vec::new();
        for (bit, name) in [
            (Self::NULL, "null"),
            (Self::BOOLEAN, "boolean"),
            (Self::OBJECT, "object"),
            (Self::ARRAY, "array"),
            (Self::STRING, "string"),
        ] {
            if self.has(bit) {
                out.push(name);
            }
        }
        if self.0 & Self::NUMBER == Self::NUMBER {
            out.push("number");
        } else if self.has(Self::INTEGER) {
            out.push("integer");
        } else if self.has(Self::FRACTION) {
            out.push("non-integer number");
        }
        out
    }

    pub fn describe(self) -> String {
        if self == Types::ALL {
            return "any type".to_owned();
        }
        let names = self.names();
        if names.is_empty() {
            return "no type".to_owned();
        }
        names.join(" or ")
    }
}

/// JSON equality as JSON Schema defines it: numbers by value (`1 == 1.0`).
pub(crate) fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(i), Some(j)) => i == j,
            _ => match (x.as_u64(), y.as_u64()) {
                (Some(i), Some(j)) => i == j,
                _ => x.as_f64() == y.as_f64(),
            },
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_eq(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

/// Appends one token to a JSON pointer.
pub(crate) fn join(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape_token(token))
}

/// A value shown in a one-line message, shortened when long.
pub(crate) fn show(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 60 {
        let cut: String = text.chars().take(57).collect();
        format!("{cut}...")
    } else {
        text
    }
}

/// Why a `$ref` could not be followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RefError {
    /// Not a local `#...` reference, or nothing at the pointer.
    Unresolvable(String),
    /// The references loop without reaching a schema.
    Loop(String),
}

/// The JSON pointer of a local `$ref` (`#/definitions/a%20b` -> `/definitions/a b`).
pub(crate) fn ref_pointer(reference: &str) -> Option<String> {
    let fragment = reference.strip_prefix('#')?;
    let bytes = fragment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = fragment.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let pointer = String::from_utf8(out).ok()?;
    (pointer.is_empty() || pointer.starts_with('/')).then_some(pointer)
}

/// One end of a numeric range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Bound {
    pub value: f64,
    pub exclusive: bool,
    /// The keyword that set it.
    pub keyword: &'static str,
}

/// Whether lower bound `a` admits strictly fewer numbers than `b`.
pub(crate) fn lower_is_tighter(a: &Bound, b: &Bound) -> bool {
    a.value > b.value || (a.value == b.value && a.exclusive && !b.exclusive)
}

/// Whether upper bound `a` admits strictly fewer numbers than `b`.
pub(crate) fn upper_is_tighter(a: &Bound, b: &Bound) -> bool {
    a.value < b.value || (a.value == b.value && a.exclusive && !b.exclusive)
}

/// Whether `x` is an integer multiple of `m`, allowing for binary floating point.
pub(crate) fn is_multiple(x: f64, m: f64) -> bool {
    if m == 0.0 {
        return false;
    }
    let q = x / m;
    if !q.is_finite() {
        return false;
    }
    (q - q.round()).abs() < 1e-9
}

thread_local! {
    /// Compiled patterns: the engine, the generator and the witness search ask for the same ones often.
    static REGEX_CACHE: RefCell<HashMap<String, Option<regress::Regex>>> = RefCell::new(HashMap::new());
}

/// Whether `text` matches `pattern` (ECMA-262, unanchored); `None` when the pattern does not compile.
pub(crate) fn pattern_matches(pattern: &str, text: &str) -> Option<bool> {
    REGEX_CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache.len() > 4096 {
            cache.clear();
        }
        let regex = cache
            .entry(pattern.to_owned())
            .or_insert_with(|| regress::Regex::new(pattern).ok());
        regex.as_ref().map(|r| r.find(text).is_some())
    })
}

/// Whether a known `format` accepts `text`; `None` for formats this check does not know.
pub(crate) fn format_accepts(format: &str, text: &str) -> Option<bool> {
    match format {
        "uuid" => Some(event_contracts_check::formats::is_uuid(text)),
        "date-time" => Some(event_contracts_check::formats::is_date_time(text)),
        _ => None,
    }
}
