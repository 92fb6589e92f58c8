//! SNS subscription filter policies over message attributes: the model, the parser
//! (from the policy's JSON) and the evaluator.
//!
//! The generator checks every policy of a `routing.yaml` with this parser
//! (`event-contracts-codegen` depends on this crate for it), so the build accepts exactly
//! the policies the runtime evaluates.
//!
//! The semantics are those of attribute-based filtering (`FilterPolicyScope:
//! MessageAttributes`) in the Amazon SNS Developer Guide, pages "Amazon SNS subscription
//! filter policies", "Filter policy constraints", "AND/OR logic", "String value
//! matching", "Numeric value matching" and "Key matching":
//! - a policy maps attribute names to arrays of conditions: AND across names, OR within
//!   one name's array; attributes the policy does not name are ignored;
//! - a `String.Array` attribute matches when any one of its elements matches;
//! - numbers are compared with five digits after the decimal point, within ±10^9;
//! - a policy names at most 5 attributes and holds at most 150 combinations (the
//!   product of its arrays' lengths);
//! - `"exists": false` only matches a message that has at least one attribute, and
//!   `"exists": true` needs a non-empty value.
//!
//! Where the guide says nothing, this evaluator is strict: a value of another type
//! never matches (a string condition never matches a `Number` attribute, a numeric one
//! never matches a `String`).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde_json::{Map, Value};

/// Text that is static in generated tables and owned when parsed at run time.
pub type Text = Cow<'static, str>;

/// The most attribute names one policy may hold (SNS quota).
pub const MAX_KEYS: usize = 5;

/// The most value combinations one policy may hold (SNS quota).
pub const MAX_COMBINATIONS: usize = 150;

/// The largest magnitude SNS compares numerically.
pub const NUMERIC_LIMIT: f64 = 1e9;

/// The operators this evaluator implements, as they are spelled in a policy.
pub const SUPPORTED_OPERATORS: [&str; 6] = [
    "anything-but",
    "equals-ignore-case",
    "exists",
    "numeric",
    "prefix",
    "suffix",
];

// SNS keeps five digits after the decimal point; 10^9 * 10^5 fits an i64 and is
// exact in an f64, so scaled values compare exactly.
const SCALE: f64 = 100_000.0;

/// A number as SNS compares it: rounded to five digits after the decimal point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Fixed(i64);

impl Fixed {
    /// The number whose value times 10^5 is `scaled` (generated tables use this).
    pub const fn from_scaled(scaled: i64) -> Fixed {
        Fixed(scaled)
    }

    /// The value times 10^5.
    pub const fn scaled(self) -> i64 {
        self.0
    }

    /// The number SNS would compare, or `None` outside ±10^9 or when not finite.
    pub fn from_f64(value: f64) -> Option<Fixed> {
        if value.is_finite() && value.abs() <= NUMERIC_LIMIT {
            // In range, so the product is at most 1e14 in magnitude: the cast is exact.
            Some(Fixed((value * SCALE).round() as i64))
        } else {
            None
        }
    }

    /// The value as a float.
    pub fn to_f64(self) -> f64 {
        self.0 as f64 / SCALE
    }

    fn to_json(self) -> Value {
        if self.0 % 100_000 == 0 {
            Value::from(self.0 / 100_000)
        } else {
            serde_json::Number::from_f64(self.to_f64())
                .map(Value::Number)
                .unwrap_or(Value::Null)
        }
    }
}

impl fmt::Display for Fixed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_f64())
    }
}

/// The value of one SNS message attribute, of a type SNS filters on.
#[derive(Debug, Clone, PartialEq)]
pub enum AttributeValue {
    /// `String`.
    String(String),
    /// `Number`.
    Number(f64),
    /// `String.Array`: a JSON array of strings, numbers, booleans and nulls.
    StringArray(Vec<ArrayItem>),
}

/// One element of a `String.Array` attribute.
#[derive(Debug, Clone, PartialEq)]
pub enum ArrayItem {
    /// A string.
    String(String),
    /// A number.
    Number(f64),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
}

impl AttributeValue {
    /// The SNS data type name: `String`, `Number` or `String.Array`.
    pub fn data_type(&self) -> &'static str {
        match self {
            AttributeValue::String(_) => "String",
            AttributeValue::Number(_) => "Number",
            AttributeValue::StringArray(_) => "String.Array",
        }
    }

    /// The value as SNS carries it: the text, the number, or the array as JSON text.
    pub fn wire_value(&self) -> String {
        match self {
            AttributeValue::String(s) => s.clone(),
            AttributeValue::Number(n) => n.to_string(),
            AttributeValue::StringArray(items) => {
                let items: Vec<Value> = items
                    .iter()
                    .map(|item| match item {
                        ArrayItem::String(s) => Value::String(s.clone()),
                        // A non-finite number has no JSON spelling; SNS would refuse it.
                        ArrayItem::Number(n) => serde_json::Number::from_f64(*n)
                            .map(Value::Number)
                            .unwrap_or(Value::Null),
                        ArrayItem::Bool(b) => Value::Bool(*b),
                        ArrayItem::Null => Value::Null,
                    })
                    .collect();
                Value::Array(items).to_string()
            }
        }
    }

    /// Whether the value counts as present for `exists` ("a non-null and non-empty value").
    fn is_present(&self) -> bool {
        match self {
            AttributeValue::String(s) => !s.is_empty(),
            AttributeValue::Number(_) => true,
            AttributeValue::StringArray(items) => !items.is_empty(),
        }
    }

    /// Whether any element (the value itself, or one array element) satisfies `test`.
    fn any_item(&self, mut test: impl FnMut(Item<'_>) -> bool) -> bool {
        match self {
            AttributeValue::String(s) => test(Item::Str(s)),
            AttributeValue::Number(n) => test(Item::Num(*n)),
            AttributeValue::StringArray(items) => items.iter().any(|item| {
                test(match item {
                    ArrayItem::String(s) => Item::Str(s),
                    ArrayItem::Number(n) => Item::Num(*n),
                    ArrayItem::Bool(b) => Item::Bool(*b),
                    ArrayItem::Null => Item::Null,
                })
            }),
        }
    }
}

/// One value a condition is tested against.
#[derive(Clone, Copy)]
enum Item<'a> {
    Str(&'a str),
    Num(f64),
    Bool(bool),
    Null,
}

/// The message attributes of one SNS message, by name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MessageAttributes(BTreeMap<String, AttributeValue>);

impl MessageAttributes {
    /// No attributes.
    pub fn new() -> Self {
        MessageAttributes::default()
    }

    /// Sets one attribute, returning the value it replaces.
    pub fn insert(
        &mut self,
        name: impl Into<String>,
        value: AttributeValue,
    ) -> Option<AttributeValue> {
        self.0.insert(name.into(), value)
    }

    /// These attributes with one more set.
    pub fn with(mut self, name: impl Into<String>, value: AttributeValue) -> Self {
        self.insert(name, value);
        self
    }

    /// One attribute by name.
    pub fn get(&self, name: &str) -> Option<&AttributeValue> {
        self.0.get(name)
    }

    /// How many attributes there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every attribute, in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &AttributeValue)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }
}

impl<N: Into<String>> FromIterator<(N, AttributeValue)> for MessageAttributes {
    fn from_iter<I: IntoIterator<Item = (N, AttributeValue)>>(iter: I) -> Self {
        MessageAttributes(iter.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }
}

/// A plain value in a policy array: equal elements match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Literal {
    /// `"rugby"`: an equal string.
    String(Text),
    /// `301.5`: an equal number.
    Number(Fixed),
    /// `true` or `false`: an equal boolean array element.
    Bool(bool),
    /// `null`: a null array element.
    Null,
}

/// One condition of a policy array; the array matches when any condition does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// A plain value.
    Equals(Literal),
    /// `{"prefix": "bas"}`: a string that starts with it.
    Prefix(Text),
    /// `{"suffix": "ball"}`: a string that ends with it.
    Suffix(Text),
    /// `{"equals-ignore-case": "Rugby"}`: a string equal to it, ignoring case.
    EqualsIgnoreCase(Text),
    /// `{"anything-but": ...}`: a value that is none of these.
    AnythingBut(AnythingBut),
    /// `{"numeric": [...]}`: a number that compares as stated.
    Numeric(Numeric),
    /// `{"exists": true|false}`: the attribute is present, or absent.
    Exists(bool),
}

/// What an `anything-but` condition excludes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnythingBut {
    /// `"x"` or `["x", "y"]`: strings other than these.
    Strings(Cow<'static, [Text]>),
    /// `100` or `[100, 500]`: numbers other than these.
    Numbers(Cow<'static, [Fixed]>),
    /// `{"prefix": "order-"}`: strings that do not start with it.
    Prefix(Text),
    /// `{"suffix": ".tmp"}`: strings that do not end with it.
    Suffix(Text),
    /// `{"equals-ignore-case": ["a", "b"]}`: strings equal to none of these, ignoring case.
    EqualsIgnoreCase(Cow<'static, [Text]>),
}

/// A numeric comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numeric {
    /// `["=", 301.5]`.
    Equal(Fixed),
    /// `[">", 0, "<=", 150]` and its one-sided forms.
    Range {
        /// The lower bound, if any.
        lower: Option<Bound>,
        /// The upper bound, if any.
        upper: Option<Bound>,
    },
}

/// One end of a numeric range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bound {
    /// The bound.
    pub value: Fixed,
    /// Whether the bound itself is in the range (`<=`, `>=`).
    pub inclusive: bool,
}

/// The conditions on one attribute name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyFilter {
    /// The attribute name.
    pub name: Text,
    /// The conditions, any one of which must match.
    pub conditions: Cow<'static, [Condition]>,
}

/// A checked filter policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterPolicy {
    keys: Cow<'static, [KeyFilter]>,
}

/// Why a filter policy was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}{}", at_pointer(.pointer))]
pub struct PolicyError {
    /// JSON pointer, inside the policy, to the value at fault.
    pub pointer: String,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: String,
    /// The operator, when the problem is an operator this evaluator does not support.
    pub unsupported_operator: Option<String>,
}

fn at_pointer(pointer: &str) -> String {
    if pointer.is_empty() {
        String::new()
    } else {
        format!(" (at {pointer})")
    }
}

impl PolicyError {
    fn new(pointer: &str, message: impl Into<String>, help: impl Into<String>) -> Self {
        PolicyError {
            pointer: pointer.to_owned(),
            message: message.into(),
            help: help.into(),
            unsupported_operator: None,
        }
    }

    fn unsupported(pointer: &str, operator: &str, context: &str) -> Self {
        PolicyError {
            pointer: pointer.to_owned(),
            message: format!("the filter-policy operator {operator:?} is not supported{context}"),
            help: format!("use one of: {}", SUPPORTED_OPERATORS.join(", ")),
            unsupported_operator: Some(operator.to_owned()),
        }
    }
}

impl FilterPolicy {
    /// A policy from a generated table; the build already checked it.
    pub const fn from_static(keys: &'static [KeyFilter]) -> FilterPolicy {
        FilterPolicy {
            keys: Cow::Borrowed(keys),
        }
    }

    /// The conditions, one entry per attribute name, in the policy's order.
    pub fn keys(&self) -> &[KeyFilter] {
        &self.keys
    }

    /// How many value combinations the policy holds (SNS allows at most 150).
    pub fn combinations(&self) -> usize {
        self.keys
            .iter()
            .fold(1usize, |n, k| n.saturating_mul(k.conditions.len()))
    }

    /// Parses and checks a policy, stopping at the first problem.
    pub fn from_json(value: &Value) -> Result<FilterPolicy, PolicyError> {
        FilterPolicy::from_json_all(value).map_err(|errors| {
            // `from_json_all` never fails without a reason; the fallback keeps that
            // invariant out of the way of a panic.
            errors.into_iter().next().unwrap_or_else(|| {
                PolicyError::new("", "the filter policy was refused", "check the policy")
            })
        })
    }

    /// Parses and checks a policy, reporting every problem (never an empty list).
    pub fn from_json_all(value: &Value) -> Result<FilterPolicy, Vec<PolicyError>> {
        let mut errors = Vec::new();
        let Value::Object(map) = value else {
            return Err(vec![PolicyError::new(
                "",
                format!(
                    "a filter policy is an object of attribute names to arrays of conditions, not {}",
                    kind(value)
                ),
                r#"write e.g. {"eventType": ["ProductCreated"]}"#,
            )]);
        };
        if map.is_empty() {
            errors.push(PolicyError::new(
                "",
                "the filter policy names no attribute",
                "name at least one attribute, or leave the filter policy out to receive every message",
            ));
        }
        if map.len() > MAX_KEYS {
            errors.push(PolicyError::new(
                "",
                format!(
                    "the filter policy names {} attributes; SNS accepts at most {MAX_KEYS}",
                    map.len()
                ),
                "split the subscription, or filter on fewer attributes",
            ));
        }
        let mut keys = Vec::with_capacity(map.len());
        for (name, conditions) in map {
            let pointer = format!("/{}", escape_token(name));
            if let Some(key) = parse_key(name, conditions, &pointer, &mut errors) {
                keys.push(key);
            }
        }
        let policy = FilterPolicy { keys: keys.into() };
        let combinations = policy.combinations();
        if combinations > MAX_COMBINATIONS {
            errors.push(PolicyError::new(
                "",
                format!(
                    "the filter policy holds {combinations} combinations of values; SNS accepts at most {MAX_COMBINATIONS}"
                ),
                "the count is the product of the arrays' lengths: shorten the arrays",
            ));
        }
        if errors.is_empty() {
            Ok(policy)
        } else {
            Err(errors)
        }
    }

    /// The policy as SNS's JSON (what to set as a subscription's `FilterPolicy`).
    pub fn to_json(&self) -> Value {
        let mut map = Map::new();
        for key in self.keys.iter() {
            let conditions = key.conditions.iter().map(Condition::to_json).collect();
            map.insert(key.name.to_string(), Value::Array(conditions));
        }
        Value::Object(map)
    }

    /// Whether SNS would deliver a message with these attributes to the subscription.
    pub fn matches(&self, attributes: &MessageAttributes) -> bool {
        // "exists": false only matches when at least one attribute is present, and
        // every other condition needs its own attribute: an attribute-less message
        // matches no policy.
        if attributes.is_empty() {
            return self.keys.is_empty();
        }
        self.keys
            .iter()
            .all(|key| key.matches(attributes.get(&key.name)))
    }
}

impl KeyFilter {
    /// Whether the attribute (or its absence) satisfies any of the conditions.
    pub fn matches(&self, value: Option<&AttributeValue>) -> bool {
        match value.filter(|v| v.is_present()) {
            None => self
                .conditions
                .iter()
                .any(|c| matches!(c, Condition::Exists(false))),
            Some(value) => self.conditions.iter().any(|c| match c {
                Condition::Exists(exists) => *exists,
                _ => value.any_item(|item| c.matches_item(item)),
            }),
        }
    }
}

impl Condition {
    fn matches_item(&self, item: Item<'_>) -> bool {
        match (self, item) {
            (Condition::Equals(Literal::String(want)), Item::Str(s)) => s == want.as_ref(),
            (Condition::Equals(Literal::Number(want)), Item::Num(n)) => {
                Fixed::from_f64(n) == Some(*want)
            }
            (Condition::Equals(Literal::Bool(want)), Item::Bool(b)) => b == *want,
            (Condition::Equals(Literal::Null), Item::Null) => true,
            (Condition::Prefix(p), Item::Str(s)) => s.starts_with(p.as_ref()),
            (Condition::Suffix(p), Item::Str(s)) => s.ends_with(p.as_ref()),
            (Condition::EqualsIgnoreCase(want), Item::Str(s)) => equal_ignoring_case(s, want),
            (Condition::AnythingBut(but), item) => but.matches_item(item),
            (Condition::Numeric(numeric), Item::Num(n)) => {
                Fixed::from_f64(n).is_some_and(|n| numeric.matches(n))
            }
            _ => false,
        }
    }

    fn to_json(&self) -> Value {
        let op = |name: &str, arg: Value| {
            let mut map = Map::new();
            map.insert(name.to_owned(), arg);
            Value::Object(map)
        };
        match self {
            Condition::Equals(Literal::String(s)) => Value::String(s.to_string()),
            Condition::Equals(Literal::Number(n)) => n.to_json(),
            Condition::Equals(Literal::Bool(b)) => Value::Bool(*b),
            Condition::Equals(Literal::Null) => Value::Null,
            Condition::Prefix(p) => op("prefix", Value::String(p.to_string())),
            Condition::Suffix(p) => op("suffix", Value::String(p.to_string())),
            Condition::EqualsIgnoreCase(p) => {
                op("equals-ignore-case", Value::String(p.to_string()))
            }
            Condition::AnythingBut(but) => op("anything-but", but.to_json(&op)),
            Condition::Numeric(numeric) => op("numeric", numeric.to_json()),
            Condition::Exists(b) => op("exists", Value::Bool(*b)),
        }
    }
}

impl AnythingBut {
    fn matches_item(&self, item: Item<'_>) -> bool {
        match (self, item) {
            (AnythingBut::Strings(list), Item::Str(s)) => !list.iter().any(|x| x.as_ref() == s),
            (AnythingBut::Numbers(list), Item::Num(n)) => {
                Fixed::from_f64(n).is_some_and(|n| !list.contains(&n))
            }
            (AnythingBut::Prefix(p), Item::Str(s)) => !s.starts_with(p.as_ref()),
            (AnythingBut::Suffix(p), Item::Str(s)) => !s.ends_with(p.as_ref()),
            (AnythingBut::EqualsIgnoreCase(list), Item::Str(s)) => {
                !list.iter().any(|x| equal_ignoring_case(s, x))
            }
            _ => false,
        }
    }

    fn to_json(&self, op: &dyn Fn(&str, Value) -> Value) -> Value {
        let strings = |list: &[Text]| {
            Value::Array(list.iter().map(|s| Value::String(s.to_string())).collect())
        };
        match self {
            AnythingBut::Strings(list) => strings(list),
            AnythingBut::Numbers(list) => Value::Array(list.iter().map(|n| n.to_json()).collect()),
            AnythingBut::Prefix(p) => op("prefix", Value::String(p.to_string())),
            AnythingBut::Suffix(p) => op("suffix", Value::String(p.to_string())),
            AnythingBut::EqualsIgnoreCase(list) => op("equals-ignore-case", strings(list)),
        }
    }
}

impl Numeric {
    /// Whether `n` satisfies the comparison.
    pub fn matches(&self, n: Fixed) -> bool {
        match *self {
            Numeric::Equal(want) => n == want,
            Numeric::Range { lower, upper } => {
                let above = lower.is_none_or(|b| n > b.value || (b.inclusive && n == b.value));
                let below = upper.is_none_or(|b| n < b.value || (b.inclusive && n == b.value));
                above && below
            }
        }
    }

    fn to_json(self) -> Value {
        let mut out = Vec::new();
        match self {
            Numeric::Equal(n) => {
                out.push(Value::from("="));
                out.push(n.to_json());
            }
            Numeric::Range { lower, upper } => {
                if let Some(b) = lower {
                    out.push(Value::from(if b.inclusive { ">=" } else { ">" }));
                    out.push(b.value.to_json());
                }
                if let Some(b) = upper {
                    out.push(Value::from(if b.inclusive { "<=" } else { "<" }));
                    out.push(b.value.to_json());
                }
            }
        }
        Value::Array(out)
    }
}

fn equal_ignoring_case(a: &str, b: &str) -> bool {
    // The ASCII comparison answers most cases without allocating.
    (a.len() == b.len() && a.eq_ignore_ascii_case(b)) || a.to_lowercase() == b.to_lowercase()
}

fn parse_key(
    name: &str,
    conditions: &Value,
    pointer: &str,
    errors: &mut Vec<PolicyError>,
) -> Option<KeyFilter> {
    if name == "$or" {
        errors.push(PolicyError::unsupported(pointer, "$or", ""));
        return None;
    }
    if name.is_empty() {
        errors.push(PolicyError::new(
            pointer,
            "an attribute name is empty",
            "name the message attribute to filter on",
        ));
        return None;
    }
    let items = match conditions {
        Value::Array(items) => items,
        Value::Object(_) => {
            errors.push(PolicyError::new(
                pointer,
                format!("the conditions on {name:?} are an object; attribute-based filtering does not accept nested policies"),
                format!(r#"write an array of conditions, e.g. "{name}": ["value"]"#),
            ));
            return None;
        }
        other => {
            errors.push(PolicyError::new(
                pointer,
                format!(
                    "the conditions on {name:?} must be an array, not {}",
                    kind(other)
                ),
                format!(r#"wrap the value in an array: "{name}": [{other}]"#),
            ));
            return None;
        }
    };
    if items.is_empty() {
        errors.push(PolicyError::new(
            pointer,
            format!("the array of conditions on {name:?} is empty, so it matches no message"),
            "list at least one value or operator",
        ));
        return None;
    }
    let before = errors.len();
    let conditions: Vec<Condition> = items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| parse_condition(item, &format!("{pointer}/{i}"), errors))
        .collect();
    (errors.len() == before).then(|| KeyFilter {
        name: Cow::Owned(name.to_owned()),
        conditions: conditions.into(),
    })
}

fn parse_condition(
    item: &Value,
    pointer: &str,
    errors: &mut Vec<PolicyError>,
) -> Option<Condition> {
    match item {
        Value::String(s) => Some(Condition::Equals(Literal::String(Cow::Owned(s.clone())))),
        Value::Number(_) => {
            parse_number(item, pointer, errors).map(|n| Condition::Equals(Literal::Number(n)))
        }
        Value::Bool(b) => Some(Condition::Equals(Literal::Bool(*b))),
        Value::Null => Some(Condition::Equals(Literal::Null)),
        Value::Array(_) => {
            errors.push(PolicyError::new(
                pointer,
                "a condition cannot be an array",
                "list the values directly in the attribute's array",
            ));
            None
        }
        Value::Object(map) => {
            let (operator, argument) = single_entry(map, pointer, errors)?;
            let pointer = format!("{pointer}/{}", escape_token(operator));
            match operator.as_str() {
                "prefix" => parse_text(operator, argument, &pointer, errors).map(Condition::Prefix),
                "suffix" => parse_text(operator, argument, &pointer, errors).map(Condition::Suffix),
                "equals-ignore-case" => parse_text(operator, argument, &pointer, errors)
                    .map(Condition::EqualsIgnoreCase),
                "anything-but" => {
                    parse_anything_but(argument, &pointer, errors).map(Condition::AnythingBut)
                }
                "numeric" => parse_numeric(argument, &pointer, errors).map(Condition::Numeric),
                "exists" => match argument {
                    Value::Bool(b) => Some(Condition::Exists(*b)),
                    other => {
                        errors.push(PolicyError::new(
                            &pointer,
                            format!("\"exists\" takes true or false, not {}", kind(other)),
                            r#"write {"exists": true} or {"exists": false}"#,
                        ));
                        None
                    }
                },
                other => {
                    errors.push(PolicyError::unsupported(&pointer, other, ""));
                    None
                }
            }
        }
    }
}

fn single_entry<'a>(
    map: &'a Map<String, Value>,
    pointer: &str,
    errors: &mut Vec<PolicyError>,
) -> Option<(&'a String, &'a Value)> {
    let mut entries = map.iter();
    match (entries.next(), entries.next()) {
        (Some(entry), None) => Some(entry),
        _ => {
            errors.push(PolicyError::new(
                pointer,
                format!(
                    "an operator object holds exactly one operator, this one holds {}",
                    map.len()
                ),
                r#"put each operator in its own object: [{"prefix": "a"}, {"suffix": "b"}]"#,
            ));
            None
        }
    }
}

fn parse_text(
    operator: &str,
    argument: &Value,
    pointer: &str,
    errors: &mut Vec<PolicyError>,
) -> Option<Text> {
    match argument {
        Value::String(s) => Some(Cow::Owned(s.clone())),
        other => {
            errors.push(PolicyError::new(
                pointer,
                format!("{operator:?} takes a string, not {}", kind(other)),
                format!(r#"write {{"{operator}": "text"}}"#),
            ));
            None
        }
    }
}

fn parse_number(value: &Value, pointer: &str, errors: &mut Vec<PolicyError>) -> Option<Fixed> {
    let parsed = value.as_f64().and_then(Fixed::from_f64);
    if parsed.is_none() {
        errors.push(PolicyError::new(
            pointer,
            format!("{value} is outside the numbers SNS compares (-1e9 to 1e9)"),
            "use a number between -1000000000 and 1000000000",
        ));
    }
    parsed
}

fn parse_anything_but(
    argument: &Value,
    pointer: &str,
    errors: &mut Vec<PolicyError>,
) -> Option<AnythingBut> {
    let homogeneous = "anything-but takes one string or number, a non-empty array of strings only or numbers only, or an object with prefix, suffix or equals-ignore-case";
    match argument {
        Value::String(s) => Some(AnythingBut::Strings(vec![Cow::Owned(s.clone())].into())),
        Value::Number(_) => {
            parse_number(argument, pointer, errors).map(|n| AnythingBut::Numbers(vec![n].into()))
        }
        Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_string) => {
            let list: Vec<Text> = items
                .iter()
                .filter_map(Value::as_str)
                .map(|s| Cow::Owned(s.to_owned()))
                .collect();
            Some(AnythingBut::Strings(list.into()))
        }
        Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_number) => {
            let before = errors.len();
            let list: Vec<Fixed> = items
                .iter()
                .enumerate()
                .filter_map(|(i, n)| parse_number(n, &format!("{pointer}/{i}"), errors))
                .collect();
            (errors.len() == before).then(|| AnythingBut::Numbers(list.into()))
        }
        Value::Object(map) => {
            let (operator, inner) = single_entry(map, pointer, errors)?;
            let pointer = format!("{pointer}/{}", escape_token(operator));
            match operator.as_str() {
                "prefix" => parse_text(operator, inner, &pointer, errors).map(AnythingBut::Prefix),
                "suffix" => parse_text(operator, inner, &pointer, errors).map(AnythingBut::Suffix),
                "equals-ignore-case" => match inner {
                    Value::String(s) => Some(AnythingBut::EqualsIgnoreCase(
                        vec![Cow::Owned(s.clone())].into(),
                    )),
                    Value::Array(items)
                        if !items.is_empty() && items.iter().all(Value::is_string) =>
                    {
                        let list: Vec<Text> = items
                            .iter()
                            .filter_map(Value::as_str)
                            .map(|s| Cow::Owned(s.to_owned()))
                            .collect();
                        Some(AnythingBut::EqualsIgnoreCase(list.into()))
                    }
                    other => {
                        errors.push(PolicyError::new(
                            &pointer,
                            format!(
                                "\"equals-ignore-case\" inside anything-but takes a string or a non-empty array of strings, not {}",
                                kind(other)
                            ),
                            r#"write {"anything-but": {"equals-ignore-case": ["a", "b"]}}"#,
                        ));
                        None
                    }
                },
                other => {
                    errors.push(PolicyError::unsupported(
                        &pointer,
                        other,
                        " inside anything-but",
                    ));
                    None
                }
            }
        }
        other => {
            errors.push(PolicyError::new(
                pointer,
                format!("{homogeneous}; found {}", kind(other)),
                r#"write e.g. {"anything-but": ["a", "b"]} or {"anything-but": {"prefix": "tmp-"}}"#,
            ));
            None
        }
    }
}

fn parse_numeric(
    argument: &Value,
    pointer: &str,
    errors: &mut Vec<PolicyError>,
) -> Option<Numeric> {
    let shape_help = r#"write ["<op>", number] with op one of =, <, <=, >, >=, or a range [">" or ">=", low, "<" or "<=", high]"#;
    let Value::Array(items) = argument else {
        errors.push(PolicyError::new(
            pointer,
            format!("\"numeric\" takes an array, not {}", kind(argument)),
            shape_help,
        ));
        return None;
    };
    if items.len() != 2 && items.len() != 4 {
        errors.push(PolicyError::new(
            pointer,
            format!(
                "\"numeric\" takes 2 or 4 items (one comparison or a range), not {}",
                items.len()
            ),
            shape_help,
        ));
        return None;
    }
    let before = errors.len();
    let mut comparisons = Vec::new();
    for (i, pair) in items.chunks(2).enumerate() {
        let op_pointer = format!("{pointer}/{}", 2 * i);
        let op = match &pair[0] {
            Value::String(op) if ["=", "<", "<=", ">", ">="].contains(&op.as_str()) => op.as_str(),
            other => {
                errors.push(PolicyError::new(
                    &op_pointer,
                    format!("{other} is not a numeric comparison operator"),
                    shape_help,
                ));
                continue;
            }
        };
        let value_pointer = format!("{pointer}/{}", 2 * i + 1);
        if !pair[1].is_number() {
            errors.push(PolicyError::new(
                &value_pointer,
                format!(
                    "{op:?} must be followed by a number, not {}",
                    kind(&pair[1])
                ),
                shape_help,
            ));
            continue;
        }
        if let Some(n) = parse_number(&pair[1], &value_pointer, errors) {
            comparisons.push((op, n, op_pointer));
        }
    }
    if errors.len() != before {
        return None;
    }
    let bound = |op: &str, value: Fixed| Bound {
        value,
        inclusive: op.ends_with('='),
    };
    match comparisons.as_slice() {
        [("=", n, _)] => Some(Numeric::Equal(*n)),
        [(op, n, _)] if op.starts_with('>') => Some(Numeric::Range {
            lower: Some(bound(op, *n)),
            upper: None,
        }),
        [(op, n, _)] => Some(Numeric::Range {
            lower: None,
            upper: Some(bound(op, *n)),
        }),
        [(low_op, low, low_pointer), (high_op, high, high_pointer)] => {
            if !low_op.starts_with('>') {
                errors.push(PolicyError::new(
                    low_pointer,
                    format!("a range starts with its lower bound (> or >=), not {low_op:?}"),
                    shape_help,
                ));
                None
            } else if !high_op.starts_with('<') {
                errors.push(PolicyError::new(
                    high_pointer,
                    format!("a range ends with its upper bound (< or <=), not {high_op:?}"),
                    shape_help,
                ));
                None
            } else if low >= high {
                errors.push(PolicyError::new(
                    pointer,
                    format!("the range's lower bound {low} is not below its upper bound {high}"),
                    "swap the bounds, or use [\"=\", n] for one value",
                ));
                None
            } else {
                Some(Numeric::Range {
                    lower: Some(bound(low_op, *low)),
                    upper: Some(bound(high_op, *high)),
                })
            }
        }
        _ => None,
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}
