//! The schema check that reports every violation: the generated `__check` functions walk
//! a parsed event with these helpers, one per keyword the schemas may use.
//!
//! The typed read (the fast path) stops at the first problem; this check runs only when
//! it failed, to list every violation with its JSON pointer and keyword. Messages follow
//! the wording of the `jsonschema` crate, which the test suite keeps as the oracle: the
//! two must report the same (pointer, keyword) pairs for every input.

use serde_json::{Number, Value};

use crate::constraint::{check_length, check_number, check_pattern, NumberBounds};
use crate::tree::Tree;
use crate::violation::Violation;

/// A parsed JSON document the check can walk: a [`Value`] (what `validate_value` and
/// `encode` check) or a [`Tree`] borrowing from the text (what `decode` checks when the
/// typed read failed). The generated `__check` functions are generic over it, so both
/// are checked by the same code.
pub trait Instance: serde::Serialize {
    /// An object's members, in order.
    type Members<'s>: Iterator<Item = (&'s str, &'s Self)> + Clone
    where
        Self: 's;
    /// The members, when this is an object.
    fn members(&self) -> Option<Self::Members<'_>>;
    /// The items, when this is an array.
    fn items(&self) -> Option<&[Self]>
    where
        Self: Sized;
    /// The text, when this is a string.
    fn as_str(&self) -> Option<&str>;
    /// The number, when this is one.
    fn as_number(&self) -> Option<&Number>;
    /// Whether this is `true` or `false`.
    fn is_bool(&self) -> bool;
    /// The boolean, when this is one.
    fn as_bool(&self) -> Option<bool>;
    /// Whether this is `null`.
    fn is_null(&self) -> bool;
    /// The member named `key`, when this is an object that has one.
    fn get(&self, key: &str) -> Option<&Self> {
        self.members()?.find(|(k, _)| *k == key).map(|(_, v)| v)
    }
}

type ValueMembers<'s> =
    std::iter::Map<serde_json::map::Iter<'s>, fn((&'s String, &'s Value)) -> (&'s str, &'s Value)>;

fn value_member<'s>((key, value): (&'s String, &'s Value)) -> (&'s str, &'s Value) {
    (key.as_str(), value)
}

fn tree_member<'s, 'a>(
    (key, value): &'s (std::borrow::Cow<'a, str>, Tree<'a>),
) -> (&'s str, &'s Tree<'a>) {
    (key.as_ref(), value)
}

impl Instance for Value {
    type Members<'s> = ValueMembers<'s>;
    fn members(&self) -> Option<ValueMembers<'_>> {
        self.as_object()
            .map(|o| o.iter().map(value_member as fn(_) -> _))
    }
    fn items(&self) -> Option<&[Value]> {
        self.as_array().map(Vec::as_slice)
    }
    fn as_str(&self) -> Option<&str> {
        Value::as_str(self)
    }
    fn as_number(&self) -> Option<&Number> {
        match self {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }
    fn is_bool(&self) -> bool {
        self.is_boolean()
    }
    fn as_bool(&self) -> Option<bool> {
        Value::as_bool(self)
    }
    fn is_null(&self) -> bool {
        Value::is_null(self)
    }
    fn get(&self, key: &str) -> Option<&Value> {
        self.as_object()?.get(key)
    }
}

type TreeMembers<'s, 'a> = std::iter::Map<
    std::slice::Iter<'s, (std::borrow::Cow<'a, str>, Tree<'a>)>,
    fn(&'s (std::borrow::Cow<'a, str>, Tree<'a>)) -> (&'s str, &'s Tree<'a>),
>;

impl<'a> Instance for Tree<'a> {
    type Members<'s>
        = TreeMembers<'s, 'a>
    where
        Self: 's;
    fn members(&self) -> Option<TreeMembers<'_, 'a>> {
        match self {
            Tree::Object(members) => Some(members.iter().map(tree_member as fn(_) -> _)),
            _ => None,
        }
    }
    fn items(&self) -> Option<&[Tree<'a>]> {
        match self {
            Tree::Array(items) => Some(items),
            _ => None,
        }
    }
    fn as_str(&self) -> Option<&str> {
        match self {
            Tree::String(text) => Some(text),
            _ => None,
        }
    }
    fn as_number(&self) -> Option<&Number> {
        match self {
            Tree::Number(n) => Some(n),
            _ => None,
        }
    }
    fn is_bool(&self) -> bool {
        matches!(self, Tree::Bool(_))
    }
    fn as_bool(&self) -> Option<bool> {
        match self {
            Tree::Bool(b) => Some(*b),
            _ => None,
        }
    }
    fn is_null(&self) -> bool {
        matches!(self, Tree::Null)
    }
}

/// An instance longer than this (as compact JSON) is called "value" in messages.
const LONGEST_QUOTED: usize = 80;

/// Where the walk is, and what it found.
#[derive(Debug, Default)]
pub struct Collector {
    pointer: String,
    found: Vec<Violation>,
    /// Quote instances of any length (`jsonschema` does inside `propertyNames`).
    unmasked: bool,
}

impl Collector {
    /// An empty collector at the root of the event.
    pub fn new() -> Self {
        Collector::default()
    }

    /// A collector whose messages quote instances whatever their length.
    pub(crate) fn unmasked() -> Self {
        Collector {
            unmasked: true,
            ..Collector::default()
        }
    }

    /// The JSON pointer of the current position.
    pub fn pointer(&self) -> &str {
        &self.pointer
    }

    /// How many violations were recorded so far.
    pub fn len(&self) -> usize {
        self.found.len()
    }

    /// Whether no violation was recorded.
    pub fn is_empty(&self) -> bool {
        self.found.is_empty()
    }

    /// The violations, in the order the walk found them.
    pub fn into_violations(self) -> Vec<Violation> {
        self.found
    }

    /// Runs `check` one property deeper.
    pub fn at_key(&mut self, key: &str, check: impl FnOnce(&mut Self)) {
        let depth = self.pointer.len();
        self.pointer.push('/');
        if key.bytes().any(|b| b == b'~' || b == b'/') {
            for c in key.chars() {
                match c {
                    '~' => self.pointer.push_str("~0"),
                    '/' => self.pointer.push_str("~1"),
                    c => self.pointer.push(c),
                }
            }
        } else {
            // Almost every key: copied in one go rather than a character at a time.
            self.pointer.push_str(key);
        }
        check(self);
        self.pointer.truncate(depth);
    }

    /// Runs `check` one array item deeper.
    pub fn at_index(&mut self, index: usize, check: impl FnOnce(&mut Self)) {
        use std::fmt::Write as _;
        let depth = self.pointer.len();
        let _infallible = write!(self.pointer, "/{index}");
        check(self);
        self.pointer.truncate(depth);
    }

    /// Records a violation of `keyword` by `instance`; `message` gets the instance as
    /// JSON, or "value" when that is long.
    pub(crate) fn push(
        &mut self,
        keyword: &str,
        instance: &impl Instance,
        message: impl FnOnce(&str) -> String,
    ) {
        let shown = if self.unmasked {
            serde_json::to_string(instance).ok()
        } else {
            quoted_or_masked(instance)
        };
        self.push_message(keyword, message(shown.as_deref().unwrap_or("value")));
    }

    /// Whether `instance` is quoted in messages (else it is called "value").
    pub(crate) fn quotes(&self, instance: &impl Instance) -> bool {
        self.unmasked || quoted_or_masked(instance).is_some()
    }

    /// Records a violation of `keyword` at the current pointer, worded by the caller: for
    /// problems the schema itself cannot word (a schema that does not compile).
    pub fn report(&mut self, keyword: &str, message: String) {
        self.push_message(keyword, message);
    }

    /// Records a violation of `keyword` at the current pointer.
    pub(crate) fn push_message(&mut self, keyword: &str, message: String) {
        self.found.push(Violation {
            pointer: self.pointer.clone(),
            keyword: keyword.to_owned(),
            message,
        });
    }
}

/// `instance` as compact JSON when that is at most [`LONGEST_QUOTED`] bytes, else `None`.
/// Writing stops at the limit, so a large instance costs no more than a small one.
fn quoted_or_masked(instance: &impl Instance) -> Option<String> {
    struct Bounded(Vec<u8>);
    impl std::io::Write for Bounded {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            if self.0.len() + bytes.len() > LONGEST_QUOTED {
                return Err(std::io::ErrorKind::WriteZero.into());
            }
            self.0.extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut out = Bounded(Vec::new());
    // The compact form `Value`'s `Display` writes.
    serde_json::to_writer(&mut out, instance).ok()?;
    String::from_utf8(out.0).ok()
}

/// A JSON type as `type` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonType {
    /// `null`.
    Null,
    /// `object`.
    Object,
    /// `array`.
    Array,
    /// `string`.
    String,
    /// `integer`: a number with no fractional part (1.0 included, as in draft-07).
    Integer,
    /// `number`.
    Number,
    /// `boolean`.
    Boolean,
}

impl JsonType {
    /// The name `type` gives it.
    pub fn name(self) -> &'static str {
        match self {
            JsonType::Null => "null",
            JsonType::Object => "object",
            JsonType::Array => "array",
            JsonType::String => "string",
            JsonType::Integer => "integer",
            JsonType::Number => "number",
            JsonType::Boolean => "boolean",
        }
    }

    pub(crate) fn admits(self, value: &impl Instance) -> bool {
        match self {
            JsonType::Null => value.is_null(),
            JsonType::Object => value.members().is_some(),
            JsonType::Array => value.items().is_some(),
            JsonType::String => value.as_str().is_some(),
            JsonType::Number => value.as_number().is_some(),
            JsonType::Boolean => value.is_bool(),
            JsonType::Integer => value.as_number().is_some_and(|n| {
                n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
            }),
        }
    }
}

/// `type`: whether `value` has the type; a violation when it has not.
pub fn check_type(value: &impl Instance, expected: JsonType, c: &mut Collector) -> bool {
    if expected.admits(value) {
        return true;
    }
    c.push("type", value, |v| {
        format!("{v} is not of type \"{}\"", expected.name())
    });
    false
}

/// `type: object`, handing back the members when it is one.
pub fn check_object<'v, J: Instance>(value: &'v J, c: &mut Collector) -> Option<J::Members<'v>> {
    check_type(value, JsonType::Object, c);
    value.members()
}

/// `required`: one violation per missing name, at the object.
pub fn check_required<'v, J: Instance + 'v>(
    members: impl Iterator<Item = (&'v str, &'v J)> + Clone,
    names: &[&str],
    c: &mut Collector,
) {
    let met: Vec<(&str, bool)> = names
        .iter()
        .map(|n| (*n, members.clone().any(|(k, _)| k == *n)))
        .collect();
    check_present(&met, c);
}

/// `required`, from a pass over the members: one violation per name not met, at the object.
pub fn check_present(required: &[(&str, bool)], c: &mut Collector) {
    for (name, met) in required {
        if !met {
            let quoted = Value::String((*name).to_owned()).to_string();
            c.push_message("required", format!("{quoted} is a required property"));
        }
    }
}

/// `additionalProperties: false`: one violation naming every undeclared property.
pub fn check_closed<'v, J: Instance + 'v>(
    members: impl Iterator<Item = (&'v str, &'v J)>,
    declared: &[&str],
    c: &mut Collector,
) {
    let unexpected: Vec<&str> = members
        .map(|(k, _)| k)
        .filter(|k| !declared.contains(k))
        .collect();
    if unexpected.is_empty() {
        return;
    }
    let list: Vec<String> = unexpected.iter().map(|k| format!("'{k}'")).collect();
    let verb = if unexpected.len() == 1 { "was" } else { "were" };
    c.push_message(
        "additionalProperties",
        format!(
            "Additional properties are not allowed ({} {verb} unexpected)",
            list.join(", ")
        ),
    );
}

/// `enum` over strings (any instance type can fail it).
pub fn check_enum(value: &impl Instance, options: &[&str], c: &mut Collector) {
    if value.as_str().is_some_and(|s| options.contains(&s)) {
        return;
    }
    let quoted: Vec<String> = options
        .iter()
        .map(|o| Value::String((*o).to_owned()).to_string())
        .collect();
    let listed = match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [first, second, third] => format!("{first}, {second} or {third}"),
        [first, second] => format!("{first} or {second}"),
        [first, second, rest @ ..] => {
            format!("{first}, {second} or {} other candidates", rest.len())
        }
    };
    c.push("enum", value, |v| format!("{v} is not one of {listed}"));
}

/// `const` with a string.
pub fn check_const(value: &impl Instance, expected: &str, c: &mut Collector) {
    if value.as_str() == Some(expected) {
        return;
    }
    let quoted = Value::String(expected.to_owned()).to_string();
    c.push("const", value, |_| format!("{quoted} was expected"));
}

/// `minLength` and `maxLength`, on a string (other types pass, as in JSON Schema).
pub fn check_lengths(value: &impl Instance, min: Option<u64>, max: Option<u64>, c: &mut Collector) {
    let Some(text) = value.as_str() else { return };
    let plural = |n: u64| if n == 1 { "" } else { "s" };
    if let Some(max) = max {
        if check_length(text, None, Some(max)).is_err() {
            c.push("maxLength", value, |v| {
                format!("{v} is longer than {max} character{}", plural(max))
            });
        }
    }
    if let Some(min) = min {
        if check_length(text, Some(min), None).is_err() {
            c.push("minLength", value, |v| {
                format!("{v} is shorter than {min} character{}", plural(min))
            });
        }
    }
}

/// `pattern`, on a string. `regex` is `None` when the pattern did not compile (the build
/// refuses such a schema, so this only guards against a broken invariant).
pub fn check_matches(
    value: &impl Instance,
    regex: Option<&regress::Regex>,
    pattern: &str,
    c: &mut Collector,
) {
    let Some(text) = value.as_str() else { return };
    let matches = regex.is_some_and(|re| check_pattern(text, re, pattern).is_ok());
    if !matches {
        c.push("pattern", value, |v| {
            format!("{v} does not match \"{pattern}\"")
        });
    }
}

/// `format`, on a string.
pub fn check_format(
    value: &impl Instance,
    format: &str,
    is_valid: fn(&str) -> bool,
    c: &mut Collector,
) {
    let Some(text) = value.as_str() else { return };
    if !is_valid(text) {
        c.push("format", value, |v| format!("{v} is not a \"{format}\""));
    }
}

/// The numeric keywords, on a number, each reported on its own.
pub fn check_bounds(value: &impl Instance, bounds: &NumberBounds, c: &mut Collector) {
    let Some(number) = value.as_number().and_then(Number::as_f64) else {
        return;
    };
    let only = |bounds: NumberBounds| check_number(number, &bounds).is_ok();
    let keywords: [(&str, Option<f64>, &str, NumberBounds); 5] = [
        (
            "minimum",
            bounds.minimum,
            "is less than the minimum of",
            NumberBounds {
                minimum: bounds.minimum,
                ..NumberBounds::default()
            },
        ),
        (
            "maximum",
            bounds.maximum,
            "is greater than the maximum of",
            NumberBounds {
                maximum: bounds.maximum,
                ..NumberBounds::default()
            },
        ),
        (
            "exclusiveMinimum",
            bounds.exclusive_minimum,
            "is less than or equal to the minimum of",
            NumberBounds {
                exclusive_minimum: bounds.exclusive_minimum,
                ..NumberBounds::default()
            },
        ),
        (
            "exclusiveMaximum",
            bounds.exclusive_maximum,
            "is greater than or equal to the maximum of",
            NumberBounds {
                exclusive_maximum: bounds.exclusive_maximum,
                ..NumberBounds::default()
            },
        ),
        (
            "multipleOf",
            bounds.multiple_of,
            "is not a multiple of",
            NumberBounds {
                multiple_of: bounds.multiple_of,
                ..NumberBounds::default()
            },
        ),
    ];
    for (keyword, limit, says, alone) in keywords {
        let Some(limit) = limit else { continue };
        if !only(alone) {
            let limit = show_number(limit);
            c.push(keyword, value, |v| format!("{v} {says} {limit}"));
        }
    }
}

/// A schema's number as it was most likely written: integral values without ".0".
fn show_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// An array's items, each checked by `item` at its index.
pub fn check_items<J: Instance>(
    value: &J,
    c: &mut Collector,
    mut item: impl FnMut(&J, &mut Collector),
) {
    let Some(items) = value.items() else {
        return;
    };
    for (index, value) in items.iter().enumerate() {
        c.at_index(index, |c| item(value, c));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn found(check: impl FnOnce(&mut Collector)) -> Vec<(String, String, String)> {
        let mut c = Collector::new();
        check(&mut c);
        c.into_violations()
            .into_iter()
            .map(|v| (v.pointer, v.keyword, v.message))
            .collect()
    }

    fn one(pointer: &str, keyword: &str, message: &str) -> Vec<(String, String, String)> {
        vec![(pointer.to_owned(), keyword.to_owned(), message.to_owned())]
    }

    #[test]
    fn pointers_escape_tilde_and_slash_and_count_items() {
        let got = found(|c| {
            c.at_key("a/b~c", |c| {
                c.at_index(3, |c| {
                    check_type(&json!(1), JsonType::String, c);
                });
            });
        });
        assert_eq!(
            got,
            one("/a~1b~0c/3", "type", "1 is not of type \"string\"")
        );
    }

    #[test]
    fn integer_admits_integral_floats_as_draft_07_does() {
        assert!(JsonType::Integer.admits(&json!(1.0)));
        assert!(JsonType::Integer.admits(&json!(-3)));
        assert!(!JsonType::Integer.admits(&json!(1.5)));
        assert!(!JsonType::Integer.admits(&json!("1")));
        assert!(JsonType::Number.admits(&json!(1)));
    }

    #[test]
    fn required_and_closed_objects() {
        let object = json!({"a": 1, "x": 2, "y": 3});
        let object = object.members().unwrap();
        assert_eq!(
            found(|c| check_required(object.clone(), &["a", "b"], c)),
            one("", "required", "\"b\" is a required property")
        );
        assert_eq!(
            found(|c| check_closed(object.clone(), &["a"], c)),
            one(
                "",
                "additionalProperties",
                "Additional properties are not allowed ('x', 'y' were unexpected)"
            )
        );
        assert_eq!(
            found(|c| check_closed(object.clone(), &["a", "x", "y"], c)),
            vec![]
        );
    }

    #[test]
    fn enums_list_three_options_or_two_and_a_count() {
        assert_eq!(
            found(|c| check_enum(&json!("z"), &["a", "b", "c"], c)),
            one("", "enum", "\"z\" is not one of \"a\", \"b\" or \"c\"")
        );
        assert_eq!(
            found(|c| check_enum(&json!(1), &["a", "b", "c", "d", "e"], c)),
            one(
                "",
                "enum",
                "1 is not one of \"a\", \"b\" or 3 other candidates"
            )
        );
        assert_eq!(found(|c| check_enum(&json!("a"), &["a"], c)), vec![]);
        assert_eq!(
            found(|c| check_const(&json!("B"), "A", c)),
            one("", "const", "\"A\" was expected")
        );
    }

    #[test]
    fn strings_report_each_keyword_and_mask_long_values() {
        assert_eq!(
            found(|c| check_lengths(&json!(""), Some(1), Some(255), c)),
            one("", "minLength", "\"\" is shorter than 1 character")
        );
        let long = "x".repeat(100);
        assert_eq!(
            found(|c| check_lengths(&json!(long), None, Some(10), c)),
            one("", "maxLength", "value is longer than 10 characters")
        );
        let re = regress::Regex::new("^a+$").unwrap();
        assert_eq!(
            found(|c| check_matches(&json!("b"), Some(&re), "^a+$", c)),
            one("", "pattern", "\"b\" does not match \"^a+$\"")
        );
        assert_eq!(
            found(|c| check_format(&json!("nope"), "uuid", crate::formats::is_uuid, c)),
            one("", "format", "\"nope\" is not a \"uuid\"")
        );
        // Keywords for strings pass other types: `type` reports those.
        assert_eq!(
            found(|c| check_lengths(&json!(5), Some(9), None, c)),
            vec![]
        );
    }

    #[test]
    fn values_are_quoted_up_to_80_bytes_of_json() {
        let at_limit = json!("x".repeat(78));
        assert_eq!(quoted_or_masked(&at_limit), Some(at_limit.to_string()));
        assert_eq!(quoted_or_masked(&json!("x".repeat(79))), None);
        let big = json!({"a": vec![1; 100_000]});
        assert_eq!(quoted_or_masked(&big), None);
    }

    #[test]
    fn numbers_report_every_bound_they_break() {
        let bounds = NumberBounds {
            minimum: Some(0.0),
            maximum: Some(10.0),
            exclusive_minimum: None,
            exclusive_maximum: Some(0.5),
            multiple_of: Some(2.0),
        };
        let got: Vec<String> = found(|c| check_bounds(&json!(-1), &bounds, c))
            .into_iter()
            .map(|(_, _, m)| m)
            .collect();
        assert_eq!(
            got,
            [
                "-1 is less than the minimum of 0",
                "-1 is not a multiple of 2"
            ]
        );
        assert_eq!(
            found(|c| check_bounds(&json!(0.75), &bounds, c))[0].2,
            "0.75 is greater than or equal to the maximum of 0.5"
        );
    }
}
