//! Reading draft-07 keywords the way validators do: types as sets, bounds, local `$ref`s,
//! JSON equality with numbers compared by value, and a small local check of scalar keywords.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};

use serde_json::{Map, Value};

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

/// Draft-07 keywords the engine compares with rules of their own.
pub(crate) const HANDLED: &[&str] = &[
    "$ref",
    "$schema",
    "definitions",
    "default",
    "type",
    "enum",
    "const",
    "minLength",
    "maxLength",
    "pattern",
    "format",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "properties",
    "required",
    "additionalProperties",
    "minProperties",
    "maxProperties",
    "items",
    "minItems",
    "maxItems",
    "uniqueItems",
];

/// Draft-07 keywords the engine does not reason about: any change to them is major.
pub(crate) const UNSUPPORTED: &[&str] = &[
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "if",
    "then",
    "else",
    "patternProperties",
    "dependencies",
    "propertyNames",
    "additionalItems",
    "contains",
    "contentEncoding",
    "contentMediaType",
    "$id",
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

/// The `type` keyword as a set: absent means every type. `Err` when malformed.
pub(crate) fn declared_types(schema: &Map<String, Value>) -> Result<Types, ()> {
    match schema.get("type") {
        None => Ok(Types::ALL),
        Some(Value::String(name)) => Types::from_name(name).map(Types).ok_or(()),
        Some(Value::Array(names)) => names.iter().try_fold(Types::NONE, |acc, n| {
            let bit = n.as_str().and_then(Types::from_name).ok_or(())?;
            Ok(Types(acc.0 | bit))
        }),
        Some(_) => Err(()),
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

/// Follows local `$ref`s from `schema` (at `pointer`) until a schema without one.
/// Returns the schema reached and its pointer.
pub(crate) fn resolve<'a>(
    root: &'a Value,
    schema: &'a Value,
    pointer: &str,
) -> Result<(&'a Value, String), RefError> {
    let mut current = schema;
    let mut at = pointer.to_owned();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    while let Some(reference) = current.get("$ref") {
        let Some(reference) = reference.as_str() else {
            return Err(RefError::Unresolvable(reference.to_string()));
        };
        let target =
            ref_pointer(reference).ok_or_else(|| RefError::Unresolvable(reference.to_owned()))?;
        if !seen.insert(target.clone()) {
            return Err(RefError::Loop(reference.to_owned()));
        }
        current = root
            .pointer(&target)
            .ok_or_else(|| RefError::Unresolvable(reference.to_owned()))?;
        at = target;
    }
    Ok((current, at))
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

/// A non-negative integer keyword (`maxLength`, ...); `Err` when malformed.
pub(crate) fn count(schema: &Map<String, Value>, key: &str) -> Result<Option<u64>, ()> {
    match schema.get(key) {
        None => Ok(None),
        Some(Value::Number(n)) => match (n.as_u64(), n.as_f64()) {
            (Some(v), _) => Ok(Some(v)),
            (None, Some(f)) if f >= 0.0 && f.fract() == 0.0 && f < 1e19 => Ok(Some(f as u64)),
            _ => Err(()),
        },
        Some(_) => Err(()),
    }
}

/// A number keyword (`minimum`, ...); `Err` when malformed.
pub(crate) fn number(schema: &Map<String, Value>, key: &str) -> Result<Option<f64>, ()> {
    match schema.get(key) {
        None => Ok(None),
        Some(Value::Number(n)) => n.as_f64().map(Some).ok_or(()),
        Some(_) => Err(()),
    }
}

/// One end of a numeric range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Bound {
    pub value: f64,
    pub exclusive: bool,
    /// The keyword that set it.
    pub keyword: &'static str,
}

/// The tightest lower bound. For integer-only values an exclusive or fractional bound
/// becomes the inclusive integer bound it is equivalent to.
pub(crate) fn lower_bound(schema: &Map<String, Value>, integer: bool) -> Result<Option<Bound>, ()> {
    let inclusive = number(schema, "minimum")?.map(|v| Bound {
        value: v,
        exclusive: false,
        keyword: "minimum",
    });
    let exclusive = number(schema, "exclusiveMinimum")?.map(|v| Bound {
        value: v,
        exclusive: true,
        keyword: "exclusiveMinimum",
    });
    let normalize = |b: Bound| {
        if integer {
            let v = if b.exclusive {
                b.value.floor() + 1.0
            } else {
                b.value.ceil()
            };
            Bound {
                value: v,
                exclusive: false,
                keyword: b.keyword,
            }
        } else {
            b
        }
    };
    Ok(match (inclusive.map(normalize), exclusive.map(normalize)) {
        (Some(a), Some(b)) => Some(if lower_is_tighter(&b, &a) { b } else { a }),
        (a, b) => a.or(b),
    })
}

/// The tightest upper bound, normalized like [`lower_bound`].
pub(crate) fn upper_bound(schema: &Map<String, Value>, integer: bool) -> Result<Option<Bound>, ()> {
    let inclusive = number(schema, "maximum")?.map(|v| Bound {
        value: v,
        exclusive: false,
        keyword: "maximum",
    });
    let exclusive = number(schema, "exclusiveMaximum")?.map(|v| Bound {
        value: v,
        exclusive: true,
        keyword: "exclusiveMaximum",
    });
    let normalize = |b: Bound| {
        if integer {
            let v = if b.exclusive {
                b.value.ceil() - 1.0
            } else {
                b.value.floor()
            };
            Bound {
                value: v,
                exclusive: false,
                keyword: b.keyword,
            }
        } else {
            b
        }
    };
    Ok(match (inclusive.map(normalize), exclusive.map(normalize)) {
        (Some(a), Some(b)) => Some(if upper_is_tighter(&b, &a) { b } else { a }),
        (a, b) => a.or(b),
    })
}

/// Whether lower bound `a` admits strictly fewer numbers than `b`.
pub(crate) fn lower_is_tighter(a: &Bound, b: &Bound) -> bool {
    a.value > b.value || (a.value == b.value && a.exclusive && !b.exclusive)
}

/// Whether upper bound `a` admits strictly fewer numbers than `b`.
pub(crate) fn upper_is_tighter(a: &Bound, b: &Bound) -> bool {
    a.value < b.value || (a.value == b.value && a.exclusive && !b.exclusive)
}

/// `multipleOf` as it constrains values; `None` when it constrains nothing
/// (for integers, a step that divides 1, such as 1 or 0.5).
pub(crate) fn step(schema: &Map<String, Value>, integer: bool) -> Result<Option<f64>, ()> {
    match number(schema, "multipleOf")? {
        Some(m) if m <= 0.0 || !m.is_finite() => Err(()),
        Some(m) if integer && is_multiple(1.0, m) => Ok(None),
        other => Ok(other),
    }
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

/// Whether the scalar keywords of `schema` (type, string and number constraints) accept
/// `value`. Object and array keywords are not checked: callers use this to filter enum
/// values and generated scalars, and the real validator has the last word.
pub(crate) fn scalar_ok(schema: &Map<String, Value>, value: &Value) -> bool {
    if let Ok(types) = declared_types(schema) {
        if !Types::of(value).is_subset_of(types) {
            return false;
        }
    }
    match value {
        Value::String(s) => {
            let len = s.chars().count() as u64;
            if count(schema, "minLength")
                .ok()
                .flatten()
                .is_some_and(|m| len < m)
                || count(schema, "maxLength")
                    .ok()
                    .flatten()
                    .is_some_and(|m| len > m)
            {
                return false;
            }
            if let Some(Value::String(p)) = schema.get("pattern") {
                if pattern_matches(p, s) == Some(false) {
                    return false;
                }
            }
            if let Some(Value::String(f)) = schema.get("format") {
                if format_accepts(f, s) == Some(false) {
                    return false;
                }
            }
            true
        }
        Value::Number(n) => {
            let Some(x) = n.as_f64() else { return true };
            if let Ok(Some(b)) = lower_bound(schema, false) {
                if x < b.value || (b.exclusive && x == b.value) {
                    return false;
                }
            }
            if let Ok(Some(b)) = upper_bound(schema, false) {
                if x > b.value || (b.exclusive && x == b.value) {
                    return false;
                }
            }
            if let Ok(Some(m)) = step(schema, false) {
                if !is_multiple(x, m) {
                    return false;
                }
            }
            true
        }
        _ => true,
    }
}

/// The values `const` and `enum` allow together; `None` when neither is present
/// (any value), `Err` when `enum` is not an array.
pub(crate) fn allowed_values(schema: &Map<String, Value>) -> Result<Option<Vec<&Value>>, ()> {
    let from_enum: Option<Vec<&Value>> = match schema.get("enum") {
        None => None,
        Some(Value::Array(items)) => {
            let mut unique: Vec<&Value> = Vec::new();
            for item in items {
                if !unique.iter().any(|u| json_eq(u, item)) {
                    unique.push(item);
                }
            }
            Some(unique)
        }
        Some(_) => return Err(()),
    };
    Ok(match (schema.get("const"), from_enum) {
        (None, values) => values,
        (Some(c), None) => Some(vec![c]),
        (Some(c), Some(values)) => Some(values.into_iter().filter(|v| json_eq(v, c)).collect()),
    })
}

/// `additionalProperties` read as one of three shapes.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Additional<'a> {
    /// Absent, `true` or `{}`: any undeclared property is allowed.
    Open,
    /// `false`: none is.
    Closed,
    /// A schema every undeclared property must match.
    Schema(&'a Value),
}

impl<'a> Additional<'a> {
    pub fn of(schema: &'a Map<String, Value>) -> Additional<'a> {
        match schema.get("additionalProperties") {
            None | Some(Value::Bool(true)) => Additional::Open,
            Some(Value::Bool(false)) => Additional::Closed,
            Some(Value::Object(m)) if m.is_empty() => Additional::Open,
            Some(other) => Additional::Schema(other),
        }
    }
}

/// `required` as a set of names (non-strings are ignored; the loader rejects them).
pub(crate) fn required(schema: &Map<String, Value>) -> BTreeSet<String> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// The `patternProperties` patterns that match `name` (a pattern that does not compile is
/// taken to match: the conservative reading).
pub(crate) fn matching_patterns<'a>(
    schema: &'a Map<String, Value>,
    name: &str,
) -> Vec<(&'a String, &'a Value)> {
    schema
        .get("patternProperties")
        .and_then(Value::as_object)
        .map(|patterns| {
            patterns
                .iter()
                .filter(|(p, _)| pattern_matches(p, name).unwrap_or(true))
                .collect()
        })
        .unwrap_or_default()
}

/// An empty schema, standing for `true` wherever a schema position is absent.
pub(crate) static TRUE_SCHEMA: Value = Value::Bool(true);

/// Structural equivalence of two schemas for keywords the engine does not reason about:
/// `$ref`s are followed (so a change inside a referenced definition counts), annotations
/// are ignored, and `required`, `type` and `enum` compare as sets. Cycles are assumed
/// equal on a second visit, which is sound because every other position is compared.
pub(crate) struct Equivalence<'a> {
    old_root: &'a Value,
    new_root: &'a Value,
    assumed: BTreeSet<(String, String)>,
    budget: usize,
}

impl<'a> Equivalence<'a> {
    pub fn new(old_root: &'a Value, new_root: &'a Value) -> Self {
        Equivalence {
            old_root,
            new_root,
            assumed: BTreeSet::new(),
            budget: 20_000,
        }
    }

    /// Whether two schemas (at the given pointers) validate alike, structurally.
    pub fn schemas(&mut self, a: &Value, a_at: &str, b: &Value, b_at: &str, depth: usize) -> bool {
        if depth > 128 || self.budget == 0 {
            return false;
        }
        self.budget -= 1;
        let (a, a_at) = match resolve(self.old_root, a, a_at) {
            Ok((v, p)) => (v, p),
            Err(_) => (a, a_at.to_owned()),
        };
        let (b, b_at) = match resolve(self.new_root, b, b_at) {
            Ok((v, p)) => (v, p),
            Err(_) => (b, b_at.to_owned()),
        };
        if !self.assumed.insert((a_at.clone(), b_at.clone())) {
            return true;
        }
        match (a, b) {
            (Value::Object(x), Value::Object(y)) => {
                let keys: BTreeSet<&String> = x
                    .keys()
                    .chain(y.keys())
                    .filter(|k| !ANNOTATIONS.contains(&k.as_str()))
                    .collect();
                keys.into_iter().all(|k| match (x.get(k), y.get(k)) {
                    (Some(v), Some(w)) => {
                        self.keyword(k, v, &join(&a_at, k), w, &join(&b_at, k), depth)
                    }
                    _ => false,
                })
            }
            (Value::Bool(x), Value::Object(m)) | (Value::Object(m), Value::Bool(x)) => {
                *x && m.keys().all(|k| ANNOTATIONS.contains(&k.as_str()))
            }
            _ => json_eq(a, b),
        }
    }

    /// Whether one keyword's values are equivalent on both sides.
    pub fn keyword(
        &mut self,
        key: &str,
        a: &Value,
        a_at: &str,
        b: &Value,
        b_at: &str,
        depth: usize,
    ) -> bool {
        match key {
            "allOf" | "anyOf" | "oneOf" | "items" => match (a, b) {
                (Value::Array(x), Value::Array(y)) => {
                    x.len() == y.len()
                        && x.iter().zip(y).enumerate().all(|(i, (v, w))| {
                            let i = i.to_string();
                            self.schemas(v, &join(a_at, &i), w, &join(b_at, &i), depth + 1)
                        })
                }
                (Value::Array(_), _) | (_, Value::Array(_)) => false,
                _ => self.schemas(a, a_at, b, b_at, depth + 1),
            },
            "not"
            | "if"
            | "then"
            | "else"
            | "additionalItems"
            | "contains"
            | "propertyNames"
            | "additionalProperties" => self.schemas(a, a_at, b, b_at, depth + 1),
            "properties" | "patternProperties" | "definitions" | "dependencies" => {
                match (a.as_object(), b.as_object()) {
                    (Some(x), Some(y)) => {
                        x.len() == y.len()
                            && x.iter().all(|(k, v)| match y.get(k) {
                                Some(w) if v.is_array() || w.is_array() => as_set(v) == as_set(w),
                                Some(w) => {
                                    self.schemas(v, &join(a_at, k), w, &join(b_at, k), depth + 1)
                                }
                                None => false,
                            })
                    }
                    _ => json_eq(a, b),
                }
            }
            "required" | "type" | "enum" => as_set(a) == as_set(b),
            _ => json_eq(a, b),
        }
    }
}

/// An array's items as a sorted set of their JSON text (numbers normalized), else the value itself.
fn as_set(value: &Value) -> BTreeSet<String> {
    match value {
        Value::Array(items) => items.iter().map(canonical_text).collect(),
        other => std::iter::once(canonical_text(other)).collect(),
    }
}

/// JSON text in which integer-valued floats print as integers, so `1.0` and `1` agree.
fn canonical_text(value: &Value) -> String {
    match value {
        Value::Number(n) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => format!("{}", f as i64),
            _ => n.to_string(),
        },
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().map(canonical_text).collect();
            format!("[{}]", parts.join(","))
        }
        Value::Object(map) => {
            let parts: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}:{}", Value::String(k.clone()), canonical_text(v)))
                .collect();
            format!("{{{}}}", parts.join(","))
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn types_are_sets_with_integer_inside_number() {
        let number = declared_types(&obj(json!({"type": "number"}))).unwrap();
        let integer = declared_types(&obj(json!({"type": ["integer"]}))).unwrap();
        assert!(integer.is_subset_of(number));
        assert!(!number.is_subset_of(integer));
        assert_eq!(declared_types(&obj(json!({}))).unwrap(), Types::ALL);
        assert!(declared_types(&obj(json!({"type": "text"}))).is_err());
        assert_eq!(Types::of(&json!(1.0)), Types(Types::INTEGER));
        assert_eq!(Types::of(&json!(1.5)), Types(Types::FRACTION));
        assert_eq!(
            Types(Types::NUMBER | Types::NULL).describe(),
            "null or number"
        );
    }

    #[test]
    fn integer_bounds_normalize() {
        let s = obj(json!({"exclusiveMinimum": 0, "maximum": 9.5}));
        let lo = lower_bound(&s, true).unwrap().unwrap();
        assert_eq!((lo.value, lo.exclusive), (1.0, false));
        let hi = upper_bound(&s, true).unwrap().unwrap();
        assert_eq!((hi.value, hi.exclusive), (9.0, false));
        let lo = lower_bound(&s, false).unwrap().unwrap();
        assert_eq!(
            (lo.value, lo.exclusive, lo.keyword),
            (0.0, true, "exclusiveMinimum")
        );
        let both = obj(json!({"minimum": 1, "exclusiveMinimum": 1}));
        assert!(lower_bound(&both, false).unwrap().unwrap().exclusive);
    }

    #[test]
    fn refs_resolve_and_loops_stop() {
        let root = json!({"definitions": {"a": {"$ref": "#/definitions/b"}, "b": {"type": "string"},
                          "x": {"$ref": "#/definitions/y"}, "y": {"$ref": "#/definitions/x"}}});
        let start = json!({"$ref": "#/definitions/a"});
        let (v, p) = resolve(&root, &start, "/p").unwrap();
        assert_eq!(
            (v, p.as_str()),
            (&json!({"type": "string"}), "/definitions/b")
        );
        assert!(matches!(
            resolve(&root, &json!({"$ref": "#/definitions/x"}), ""),
            Err(RefError::Loop(_))
        ));
        assert!(matches!(
            resolve(&root, &json!({"$ref": "other.json#/a"}), ""),
            Err(RefError::Unresolvable(_))
        ));
        assert_eq!(
            ref_pointer("#/definitions/a%20b").as_deref(),
            Some("/definitions/a b")
        );
        assert_eq!(ref_pointer("#"), Some(String::new()));
    }

    #[test]
    fn scalar_checks_follow_the_keywords() {
        let s = obj(json!({"type": "string", "minLength": 2, "pattern": "^a", "format": "uuid"}));
        assert!(!scalar_ok(&s, &json!("a")));
        assert!(!scalar_ok(&s, &json!("ab")));
        assert!(!scalar_ok(&s, &json!(12)));
        let n = obj(json!({"type": "integer", "exclusiveMinimum": 0, "multipleOf": 5}));
        assert!(scalar_ok(&n, &json!(10)));
        assert!(!scalar_ok(&n, &json!(0)));
        assert!(!scalar_ok(&n, &json!(7)));
        assert!(!scalar_ok(&n, &json!(7.5)));
    }

    #[test]
    fn equality_compares_numbers_by_value() {
        assert!(json_eq(&json!({"a": [1, 2.0]}), &json!({"a": [1.0, 2]})));
        assert!(!json_eq(&json!([1, 2]), &json!([2, 1])));
        assert_eq!(
            allowed_values(&obj(json!({"const": "x"}))).unwrap(),
            Some(vec![&json!("x")])
        );
        assert_eq!(
            allowed_values(&obj(json!({"enum": ["x", "x", "y"]})))
                .unwrap()
                .unwrap()
                .len(),
            2
        );
    }

    #[test]
    fn equivalence_follows_refs_and_ignores_annotations() {
        let old = json!({"definitions": {"a": {"type": "string"}}, "oneOf": [{"$ref": "#/definitions/a"}]});
        let new = json!({"oneOf": [{"type": "string", "description": "inlined"}]});
        let mut eq = Equivalence::new(&old, &new);
        assert!(eq.keyword("oneOf", &old["oneOf"], "/oneOf", &new["oneOf"], "/oneOf", 0));
        let changed = json!({"oneOf": [{"type": "integer"}]});
        let mut eq = Equivalence::new(&old, &changed);
        assert!(!eq.keyword(
            "oneOf",
            &old["oneOf"],
            "/oneOf",
            &changed["oneOf"],
            "/oneOf",
            0
        ));
        let recursive = json!({"definitions": {"n": {"properties": {"c": {"$ref": "#/definitions/n"}}}},
                               "not": {"$ref": "#/definitions/n"}});
        let mut eq = Equivalence::new(&recursive, &recursive);
        assert!(eq.keyword(
            "not",
            &recursive["not"],
            "/not",
            &recursive["not"],
            "/not",
            0
        ));
    }
}
