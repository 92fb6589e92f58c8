//! Support code for the generated types. Not a public API: names here may change
//! with any release. Generated code reaches it as `::event_contracts_runtime::__private`
//! (or the path `Config::runtime_crate` names), so a crate that holds generated code needs
//! no dependency but this runtime.

use std::cell::Cell;
use std::fmt;
use std::marker::PhantomData;
use std::thread::LocalKey;

use chrono::{DateTime, NaiveDate, SecondsFormat, TimeDelta, Utc};
use serde::de::{self, DeserializeSeed, Deserializer, SeqAccess, Visitor};
use serde::ser::{SerializeSeq, Serializer};
use serde::Serialize;
use serde_json::{Map, Value};

pub use crate::builder::BuildError;
pub use crate::decode::{
    decode, decode_value, deserialize_event, encode, encode_value, validate_value, Decoder,
    EnvelopeFinders, SchemaChoice,
};
pub use crate::error::{DecodeError, EncodeError};
pub use crate::event::{Envelope, EventKind, EventSet, SchemaEntry};
pub use crate::extra::Extra;
pub use crate::registry::schemas;
pub use crate::schema::{BundledSchema, SchemaAt};
pub use crate::upcast::table::{AddedProperty, BranchTest, MajorHistory, VersionEntry};
pub use crate::upcast::{StepFn, UpcastError};
pub use chrono;
pub use event_contracts_check::constraint::{
    check_length, check_number, check_pattern, ConstraintError, NumberBounds, Pattern,
};
pub use event_contracts_check::formats;
pub use event_contracts_check::keywords::{
    check_bounds, check_closed, check_const, check_enum, check_format, check_items, check_lengths,
    check_matches, check_object, check_present, check_required, check_type, Collector, Instance,
    JsonType,
};
use event_contracts_check::schema::KeywordSet;
pub use event_contracts_check::schema::Name;
pub use event_contracts_check::strict_json::{Nested, StrictVisitor};
pub use event_contracts_check::tree::{Refused, Tree, TreeDeserializer};
pub use event_contracts_derive::{
    Constrained, EventContract, Literals, Object, StringEnum, Tuple, Union,
};
pub use serde;
pub use serde_json;
pub use uuid;

/// How a field's value is read from and written to JSON without losing its spelling.
///
/// `read` may record the original JSON in `form` when the Rust value would be
/// written differently (an upper-case UUID, `5.0` for an integer). `write` uses
/// the form only while it still denotes the current value, so a field changed
/// after decoding is written canonically.
pub trait FieldValue: Sized {
    /// Reads a value, recording its original spelling in `form` when needed.
    fn read<'de, D: Deserializer<'de>>(d: D, form: &mut Option<Value>) -> Result<Self, D::Error>;
    /// Writes the value, in the spelling of `form` when it still denotes this value.
    fn write<S: Serializer>(&self, form: Option<&Value>, s: S) -> Result<S::Ok, S::Error>;

    /// Reads a value whose type holds less than its subschema, so that it must also satisfy
    /// the subschema at `at` of `schema` (all of it, or the keywords `at` names: see
    /// [`SchemaAt::only`]). By default the value is read into a [`Tree`], checked, then read
    /// from the tree. A type that can check what it has read without a tree overrides this:
    /// a [`Value`] is its own tree, and [`read_checked_items`](Self::read_checked_items)
    /// does it for arrays.
    fn read_checked<'de, D: Deserializer<'de>>(
        d: D,
        form: &mut Option<Value>,
        schema: &'static BundledSchema,
        at: &'static SchemaAt,
    ) -> Result<Self, D::Error> {
        read_through_tree(d, form, schema, at)
    }

    /// [`read_checked`](Self::read_checked) of an array of this type (`Vec<Self>`), which
    /// [`Vec`]'s implementation hands to its item type: an array of [`Value`]s (a tuple)
    /// is read as one `Value` and checked as that.
    fn read_checked_items<'de, D: Deserializer<'de>>(
        d: D,
        form: &mut Option<Value>,
        schema: &'static BundledSchema,
        at: &'static SchemaAt,
    ) -> Result<Vec<Self>, D::Error> {
        read_through_tree(d, form, schema, at)
    }
}

/// The default [`FieldValue::read_checked`]: the value is read into a [`Tree`], checked
/// against the subschema at `at`, then read from the tree. When the check covered the
/// whole subschema, the reads below it skip their own checks ([`PrecheckedGuard`]); a
/// check of some keywords only implies nothing below them, so nested checks run.
fn read_through_tree<'de, T: FieldValue, D: Deserializer<'de>>(
    d: D,
    form: &mut Option<Value>,
    schema: &'static BundledSchema,
    at: &'static SchemaAt,
) -> Result<T, D::Error> {
    let tree = Tree::from_deserializer(d)?;
    schema.check_at(at, &tree).map_err(de::Error::custom)?;
    let _checked = at.is_whole().then(PrecheckedGuard::enter);
    T::read(TreeDeserializer::new(&tree), form).map_err(de::Error::custom)
}

/// Why variant type `T` cannot hold `value`, read from a union whose check accepted it:
/// what JSON Schema allows and the Rust type cannot (an integer beyond `i64` and `u64`).
/// The read's own error, at the pointer below the union where it failed, or `None` if
/// `T` reads the value after all.
#[doc(hidden)]
pub fn why_unheld<T: FieldValue>(value: &Tree<'_>) -> Option<String> {
    let mut track = serde_path_to_error::Track::new();
    let mut spelling = None;
    let read = T::read(
        serde_path_to_error::Deserializer::new(TreeDeserializer::new(value), &mut track),
        &mut spelling,
    );
    match read {
        Ok(_) => None,
        Err(e) => {
            let at = crate::decode::path_to_pointer(&track.path());
            Some(if at.is_empty() {
                e.to_string()
            } else {
                format!("at {at}: {e}")
            })
        }
    }
}

/// The keywords a tuple struct checks itself as it reads: the number of its items.
const TUPLE_COUNTS: KeywordSet = KeywordSet::named(&["minItems", "maxItems"]);

/// [`FieldValue::read_checked`] of a tuple struct (`#[derive(Tuple)]`). A tuple whose
/// items after its list have a type (`additionalItems` with a schema) is exact but for
/// `minItems` and `maxItems`, which its read counts: a check of those alone is read
/// straight from the input. Any other check goes through a tree, as by default.
pub fn read_tuple_checked<'de, T: FieldValue, D: Deserializer<'de>>(
    d: D,
    form: &mut Option<Value>,
    schema: &'static BundledSchema,
    at: &'static SchemaAt,
) -> Result<T, D::Error> {
    if at.only_within(TUPLE_COUNTS) {
        T::read(d, form)
    } else {
        read_through_tree(d, form, schema, at)
    }
}

/// A scalar field type whose JSON is one leaf of a [`Tree`]: a string, number or boolean.
/// An array of leaves is checked without a tree read from the input ([`read_leaf_items`]).
pub trait Leaf: FieldValue {
    /// The value as it is written: in the spelling of `form` when its read recorded one
    /// (`5.0` for an integer), so that the leaf is the JSON that was read.
    fn leaf<'s>(&'s self, form: Option<&'s Value>) -> Tree<'s>;
}

impl Leaf for String {
    fn leaf<'s>(&'s self, _form: Option<&'s Value>) -> Tree<'s> {
        Tree::String(std::borrow::Cow::Borrowed(self))
    }
}

impl Leaf for bool {
    fn leaf<'s>(&'s self, _form: Option<&'s Value>) -> Tree<'s> {
        Tree::Bool(*self)
    }
}

/// A number's leaf: its recorded spelling, or `number` when there is none.
fn number_leaf(
    form: Option<&Value>,
    number: impl FnOnce() -> Option<serde_json::Number>,
) -> Tree<'_> {
    match form {
        Some(Value::Number(spelled)) => Tree::Number(spelled.clone()),
        _ => number().map_or(Tree::Null, Tree::Number),
    }
}

impl Leaf for i64 {
    fn leaf<'s>(&'s self, form: Option<&'s Value>) -> Tree<'s> {
        number_leaf(form, || Some((*self).into()))
    }
}

impl Leaf for u64 {
    fn leaf<'s>(&'s self, form: Option<&'s Value>) -> Tree<'s> {
        number_leaf(form, || Some((*self).into()))
    }
}

impl Leaf for f64 {
    fn leaf<'s>(&'s self, form: Option<&'s Value>) -> Tree<'s> {
        // A read f64 is finite (`FloatVisitor`), so `from_f64` has a number for it.
        number_leaf(form, || serde_json::Number::from_f64(*self))
    }
}

/// [`FieldValue::read_checked_items`] of [`Leaf`] items: the array is read straight into
/// its `Vec` (each item making its own checks, unless the check below covers the whole
/// subschema and so makes them), then a tree of its leaves, borrowing the
/// strings, is checked against the subschema at `at`. The leaves are the JSON that was
/// read (the spelling of each item that recorded one), so this accepts exactly what the
/// tree of the input would, without reading the array twice.
pub fn read_leaf_items<'de, T: Leaf, D: Deserializer<'de>>(
    d: D,
    form: &mut Option<Value>,
    schema: &'static BundledSchema,
    at: &'static SchemaAt,
) -> Result<Vec<T>, D::Error> {
    // A check of the whole subschema covers the items' own checks: they are made once,
    // by that check, as the tree path makes them.
    let items = {
        let _covered = at.is_whole().then(PrecheckedGuard::enter);
        <Vec<T> as FieldValue>::read(d, form)?
    };
    schema
        .check_at(at, &Tree::Array(leaves(&items, form.as_ref())))
        .map_err(de::Error::custom)?;
    Ok(items)
}

/// The leaves of `items` as they were read: each in the spelling `form` (the array's
/// recorded spellings, `null` for an item without one) kept for it.
fn leaves<'s, T: Leaf>(items: &'s [T], form: Option<&'s Value>) -> Vec<Tree<'s>> {
    let forms = match form {
        Some(Value::Array(forms)) if forms.len() == items.len() => Some(forms),
        _ => None,
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| item.leaf(forms.and_then(|f| f.get(i)).filter(|f| !f.is_null())))
        .collect()
}

/// Reads a [`Value`] and checks it against the subschema at `at`: what a `Value`-typed
/// field's check needs, without a [`Tree`] to read it again from. Nothing below a `Value`
/// has checks of its own, so [`PrecheckedGuard`] has nothing to skip.
fn read_checked_value<'de, D: Deserializer<'de>>(
    d: D,
    schema: &'static BundledSchema,
    at: &'static SchemaAt,
) -> Result<Value, D::Error> {
    let value = StrictVisitor.deserialize(d)?;
    schema.check_at(at, &value).map_err(de::Error::custom)?;
    Ok(value)
}

/// A seed that reads a [`FieldValue`] and hands back its spelling.
pub struct Read<'a, T> {
    form: &'a mut Option<Value>,
    _type: PhantomData<T>,
}

impl<'a, T> Read<'a, T> {
    /// A seed writing the spelling into `form`.
    pub fn new(form: &'a mut Option<Value>) -> Self {
        Read {
            form,
            _type: PhantomData,
        }
    }
}

impl<'de, T: FieldValue> DeserializeSeed<'de> for Read<'_, T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        T::read(d, self.form)
    }
}

/// Serializes a [`FieldValue`] with its recorded spelling.
pub struct Write<'a, T>(pub &'a T, pub Option<&'a Value>);

impl<T: FieldValue> Serialize for Write<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.write(self.1, s)
    }
}

/// The checked read of an array of [`Leaf`]s, in a `FieldValue` impl: [`read_leaf_items`].
macro_rules! leaf_items {
    () => {
        fn read_checked_items<'de, D: Deserializer<'de>>(
            d: D,
            form: &mut Option<Value>,
            schema: &'static BundledSchema,
            at: &'static SchemaAt,
        ) -> Result<Vec<Self>, D::Error> {
            read_leaf_items(d, form, schema, at)
        }
    };
}

/// Implements [`FieldValue`] for a leaf type whose serde impls already round-trip exactly.
macro_rules! plain_field_value {
    ($($ty:ty),* $(,)?) => {$(
        impl FieldValue for $ty {
            fn read<'de, D: Deserializer<'de>>(d: D, _form: &mut Option<Value>) -> Result<Self, D::Error> {
                <$ty as de::Deserialize>::deserialize(d)
            }
            fn write<S: Serializer>(&self, _form: Option<&Value>, s: S) -> Result<S::Ok, S::Error> {
                Serialize::serialize(self, s)
            }
            leaf_items!();
        }
    )*};
}

plain_field_value!(String, bool);

impl FieldValue for Value {
    fn read<'de, D: Deserializer<'de>>(d: D, _form: &mut Option<Value>) -> Result<Self, D::Error> {
        StrictVisitor.deserialize(d)
    }
    fn write<S: Serializer>(&self, _form: Option<&Value>, s: S) -> Result<S::Ok, S::Error> {
        self.serialize(s)
    }
    fn read_checked<'de, D: Deserializer<'de>>(
        d: D,
        _form: &mut Option<Value>,
        schema: &'static BundledSchema,
        at: &'static SchemaAt,
    ) -> Result<Self, D::Error> {
        read_checked_value(d, schema, at)
    }
    fn read_checked_items<'de, D: Deserializer<'de>>(
        d: D,
        _form: &mut Option<Value>,
        schema: &'static BundledSchema,
        at: &'static SchemaAt,
    ) -> Result<Vec<Self>, D::Error> {
        match read_checked_value(d, schema, at)? {
            Value::Array(items) => Ok(items),
            other => Err(not_a(&other, &"an array")),
        }
    }
}

/// The error of a typed read that found `value` where it expected something else, worded
/// as serde words it (`invalid type: string "x", expected an array`).
fn not_a<E: de::Error>(value: &Value, expected: &dyn de::Expected) -> E {
    let unexpected = match value {
        Value::Null => de::Unexpected::Unit,
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => de::Unexpected::Unsigned(u),
            (_, Some(i), _) => de::Unexpected::Signed(i),
            (_, _, Some(f)) => de::Unexpected::Float(f),
            _ => de::Unexpected::Other("number"),
        },
        Value::String(s) => de::Unexpected::Str(s),
        Value::Array(_) => de::Unexpected::Seq,
        Value::Object(_) => de::Unexpected::Map,
    };
    E::invalid_type(unexpected, expected)
}

impl FieldValue for Map<String, Value> {
    fn read<'de, D: Deserializer<'de>>(d: D, _form: &mut Option<Value>) -> Result<Self, D::Error> {
        object_or_error(StrictVisitor.deserialize(d)?)
    }
    fn write<S: Serializer>(&self, _form: Option<&Value>, s: S) -> Result<S::Ok, S::Error> {
        self.serialize(s)
    }
    fn read_checked<'de, D: Deserializer<'de>>(
        d: D,
        _form: &mut Option<Value>,
        schema: &'static BundledSchema,
        at: &'static SchemaAt,
    ) -> Result<Self, D::Error> {
        object_or_error(read_checked_value(d, schema, at)?)
    }
}

/// The members of `value`, or the error of a free-form object's read that found another kind.
fn object_or_error<E: de::Error>(value: Value) -> Result<Map<String, Value>, E> {
    match value {
        Value::Object(map) => Ok(map),
        other => Err(E::custom(format_args!(
            "expected an object, found {}",
            json_kind(&other)
        ))),
    }
}

/// The JSON type of a value, for messages.
pub fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a number",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

struct UuidVisitor<'a>(&'a mut Option<Value>);

impl Visitor<'_> for UuidVisitor<'_> {
    type Value = uuid::Uuid;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a UUID string in the hyphenated 8-4-4-4-12 form")
    }
    fn visit_str<E: de::Error>(self, text: &str) -> Result<uuid::Uuid, E> {
        parse_uuid(text, self.0).map_err(E::custom)
    }
}

/// Parses `format: uuid` text, recording a non-lower-case spelling.
pub fn parse_uuid(text: &str, form: &mut Option<Value>) -> Result<uuid::Uuid, String> {
    // Of the forms uuid parses, only the hyphenated 8-4-4-4-12 one is 36 characters long,
    // so this accepts exactly what `formats::is_uuid` does, in one pass over the text
    // instead of two: this runs for every UUID of every decoded event.
    let id = match uuid::Uuid::try_parse(text) {
        Ok(id) if text.len() == 36 => id,
        _ => {
            return Err(format!(
                "{text:?} is not a UUID in the hyphenated 8-4-4-4-12 form (format `uuid`)"
            ))
        }
    };
    // Every byte is looked at (no early exit), which the compiler turns into a few vector
    // operations over the 36 bytes: this scan was a third of the cost of reading a UUID.
    let upper_case = text
        .bytes()
        .fold(false, |found, b| found | b.is_ascii_uppercase());
    if upper_case {
        *form = Some(Value::String(text.to_owned()));
    }
    Ok(id)
}

impl FieldValue for uuid::Uuid {
    fn read<'de, D: Deserializer<'de>>(d: D, form: &mut Option<Value>) -> Result<Self, D::Error> {
        d.deserialize_str(UuidVisitor(form))
    }
    fn write<S: Serializer>(&self, form: Option<&Value>, s: S) -> Result<S::Ok, S::Error> {
        if let Some(Value::String(text)) = form {
            if uuid::Uuid::try_parse(text).ok().as_ref() == Some(self) {
                return s.serialize_str(text);
            }
        }
        let mut buf = uuid::Uuid::encode_buffer();
        s.serialize_str(self.hyphenated().encode_lower(&mut buf))
    }
}

/// Parses RFC 3339 `date-time` text into UTC, recording a non-canonical spelling.
pub fn parse_date_time(text: &str, form: &mut Option<Value>) -> Result<DateTime<Utc>, String> {
    let value = date_time_value(text).ok_or_else(|| {
        format!(
            "{text:?} is not an RFC 3339 date-time with an offset, e.g. 2026-03-01T12:00:00Z (format `date-time`)"
        )
    })?;
    let canonical =
        spelled_canonically(text).unwrap_or_else(|| canonical_date_time(&value) == text);
    if !canonical {
        *form = Some(match fraction_digits(text) {
            Some(digits) => Value::from(digits),
            None => Value::String(text.to_owned()),
        });
    }
    Ok(value)
}

/// For a date-time that chrono writes exactly with a fixed number of fraction digits (3, 6
/// or 9: `SecondsFormat::Millis`, `Micros`, `Nanos`), that number: the form `encode` needs,
/// kept without copying the text. JavaScript's `toISOString` writes every timestamp so
/// (`2026-02-02T02:40:00.000Z`), which is not the canonical spelling when the milliseconds
/// end in zeros.
///
/// The conditions are [`spelled_canonically`]'s: a four-digit year from 1000, `T`, `Z`, no
/// leap second; the text's fields are then the instant's, and its fraction's digits are
/// the nanoseconds', so chrono writes the same text.
fn fraction_digits(text: &str) -> Option<u8> {
    let b = text.as_bytes();
    let plain = b.len() >= 20
        && b[0] != b'0'
        && b[10] == b'T'
        && &b[17..19] != b"60"
        && b.last() == Some(&b'Z');
    match b.len() {
        24 | 27 | 30 if plain && b[19] == b'.' => u8::try_from(b.len() - 21).ok(),
        _ => None,
    }
}

/// The `SecondsFormat` that writes `value` with the fraction digits a form recorded, when
/// it holds them exactly (a value changed after decode may not).
fn fixed_fraction(digits: &serde_json::Number, value: &DateTime<Utc>) -> Option<SecondsFormat> {
    use chrono::Timelike;
    let (format, unit) = match digits.as_u64()? {
        3 => (SecondsFormat::Millis, 1_000_000),
        6 => (SecondsFormat::Micros, 1_000),
        9 => (SecondsFormat::Nanos, 1),
        _ => return None,
    };
    let nanos = value.nanosecond();
    (nanos < 1_000_000_000 && nanos.is_multiple_of(unit)).then_some(format)
}

/// Whether a date-time that parsed is spelled exactly as [`canonical_date_time`] writes
/// it, told from the text alone for the spellings events use; `None` when only
/// formatting the value can tell. This runs for every timestamp of every decoded event,
/// and formatting costs more than the rest of reading one.
///
/// With a four-digit year from 1000, `T`, `Z` and no leap second, the UTC instant has
/// the text's own fields, and chrono's `AutoSi` writes no fraction for whole seconds and
/// otherwise 3, 6 or 9 digits, the fewest that hold the nanoseconds: so a fraction of
/// 3, 6 or 9 digits is canonical unless its last three are zeros.
fn spelled_canonically(text: &str) -> Option<bool> {
    let b = text.as_bytes();
    // The canonical spelling is of UTC and ends in `Z`: an offset (`+01:00`, even
    // `+00:00`) or a lower-case `z` is never canonical.
    if b.last() != Some(&b'Z') {
        return Some(false);
    }
    let plain = b.len() >= 20
        && b[0] != b'0'
        && b[10] == b'T'
        && &b[17..19] != b"60"
        && b.last() == Some(&b'Z');
    if !plain {
        return None;
    }
    match b.len() {
        20 => Some(true),
        24 | 27 | 30 if b[19] == b'.' => Some(&b[b.len() - 4..b.len() - 1] != b"000"),
        _ => None,
    }
}

fn date_time_value(text: &str) -> Option<DateTime<Utc>> {
    let p = event_contracts_check::formats::parse_date_time(text)?;
    let date = NaiveDate::from_ymd_opt(i32::from(p.year), u32::from(p.month), u32::from(p.day))?;
    // chrono represents a leap second as second 59 with nanoseconds past 1e9.
    let (second, nano) = if p.second == 60 {
        (59, p.nanosecond + 1_000_000_000)
    } else {
        (u32::from(p.second), p.nanosecond)
    };
    let local = date.and_hms_nano_opt(u32::from(p.hour), u32::from(p.minute), second, nano)?;
    // Most timestamps are in UTC already; subtracting a zero offset is not free.
    let utc = match p.offset_minutes {
        0 => local,
        offset => local.checked_sub_signed(TimeDelta::minutes(i64::from(offset)))?,
    };
    Some(utc.and_utc())
}

/// The spelling `encode` uses for a timestamp with no recorded form.
pub fn canonical_date_time(value: &DateTime<Utc>) -> String {
    value.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// The text `encode` writes for a timestamp and the form decode kept for it (the
/// original text, or the count of its fraction digits): its spelling in the event, for a
/// read model that shows times as they were sent.
pub fn spelled_date_time(value: &DateTime<Utc>, form: Option<&Value>) -> String {
    match form {
        Some(Value::String(text)) if date_time_value(text).as_ref() == Some(value) => text.clone(),
        Some(Value::Number(digits)) => match fixed_fraction(digits, value) {
            Some(format) => value.to_rfc3339_opts(format, true),
            None => canonical_date_time(value),
        },
        _ => canonical_date_time(value),
    }
}

struct DateTimeVisitor<'a>(&'a mut Option<Value>);

impl Visitor<'_> for DateTimeVisitor<'_> {
    type Value = DateTime<Utc>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an RFC 3339 date-time string")
    }
    fn visit_str<E: de::Error>(self, text: &str) -> Result<DateTime<Utc>, E> {
        parse_date_time(text, self.0).map_err(E::custom)
    }
}

impl FieldValue for DateTime<Utc> {
    fn read<'de, D: Deserializer<'de>>(d: D, form: &mut Option<Value>) -> Result<Self, D::Error> {
        d.deserialize_str(DateTimeVisitor(form))
    }
    fn write<S: Serializer>(&self, form: Option<&Value>, s: S) -> Result<S::Ok, S::Error> {
        match form {
            Some(Value::String(text)) if date_time_value(text).as_ref() == Some(self) => {
                s.serialize_str(text)
            }
            _ => s.serialize_str(&spelled_date_time(self, form)),
        }
    }
}

/// 2^64 as an f64: the first float past `u64::MAX`.
const TWO_POW_64: f64 = 18_446_744_073_709_551_616.0;
/// 2^63 as an f64.
const TWO_POW_63: f64 = 9_223_372_036_854_775_808.0;

struct IntVisitor<'a, T>(&'a mut Option<Value>, PhantomData<T>);

impl<T: IntTarget> Visitor<'_> for IntVisitor<'_, T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        T::from_u64(v).ok_or_else(|| E::custom(T::range_message(&v.to_string())))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        T::from_i64(v).ok_or_else(|| E::custom(T::range_message(&v.to_string())))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        // JSON Schema counts 5.0 as an integer; keep its spelling so encode writes 5.0 again.
        if !v.is_finite() || v.fract() != 0.0 {
            return Err(E::custom(format_args!("expected an integer, found {v}")));
        }
        let value = T::from_f64(v).ok_or_else(|| E::custom(T::range_message(&v.to_string())))?;
        *self.0 = serde_json::Number::from_f64(v).map(Value::Number);
        Ok(value)
    }
}

/// The integer types generated fields use.
pub trait IntTarget: Sized + Copy {
    /// What the visitor expects, for messages.
    const EXPECTING: &'static str;
    /// From a JSON unsigned integer.
    fn from_u64(v: u64) -> Option<Self>;
    /// From a JSON negative integer.
    fn from_i64(v: i64) -> Option<Self>;
    /// From an integral float such as `5.0`.
    fn from_f64(v: f64) -> Option<Self>;
    /// As a float, to compare with a recorded spelling.
    fn as_f64(self) -> f64;
    /// The message for a value outside the type's range.
    fn range_message(v: &str) -> String;
}

impl IntTarget for u64 {
    const EXPECTING: &'static str = "an integer ≥ 0";
    fn from_u64(v: u64) -> Option<Self> {
        Some(v)
    }
    fn from_i64(v: i64) -> Option<Self> {
        u64::try_from(v).ok()
    }
    fn from_f64(v: f64) -> Option<Self> {
        (0.0..TWO_POW_64).contains(&v).then_some(v as u64)
    }
    fn as_f64(self) -> f64 {
        self as f64
    }
    fn range_message(v: &str) -> String {
        format!(
            "{v} is out of range: expected an integer from 0 to {}",
            u64::MAX
        )
    }
}

impl IntTarget for i64 {
    const EXPECTING: &'static str = "an integer";
    fn from_u64(v: u64) -> Option<Self> {
        i64::try_from(v).ok()
    }
    fn from_i64(v: i64) -> Option<Self> {
        Some(v)
    }
    fn from_f64(v: f64) -> Option<Self> {
        (-TWO_POW_63..TWO_POW_63).contains(&v).then_some(v as i64)
    }
    fn as_f64(self) -> f64 {
        self as f64
    }
    fn range_message(v: &str) -> String {
        format!(
            "{v} is out of range: expected an integer from {} to {}",
            i64::MIN,
            i64::MAX
        )
    }
}

macro_rules! int_field_value {
    ($($ty:ty),*) => {$(
        impl FieldValue for $ty {
            fn read<'de, D: Deserializer<'de>>(d: D, form: &mut Option<Value>) -> Result<Self, D::Error> {
                d.deserialize_any(IntVisitor::<$ty>(form, PhantomData))
            }
            fn write<S: Serializer>(&self, form: Option<&Value>, s: S) -> Result<S::Ok, S::Error> {
                if let Some(Value::Number(n)) = form {
                    if n.as_f64() == Some(IntTarget::as_f64(*self)) && IntTarget::from_f64(IntTarget::as_f64(*self)) == Some(*self) {
                        return n.serialize(s);
                    }
                }
                self.serialize(s)
            }
            leaf_items!();
        }
    )*};
}
int_field_value!(u64, i64);

struct FloatVisitor<'a>(&'a mut Option<Value>);

impl Visitor<'_> for FloatVisitor<'_> {
    type Value = f64;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number")
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        *self.0 = Some(Value::Number(v.into()));
        Ok(v as f64)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        *self.0 = Some(Value::Number(v.into()));
        Ok(v as f64)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        if v.is_finite() {
            Ok(v)
        } else {
            Err(E::custom("number out of range"))
        }
    }
}

impl FieldValue for f64 {
    fn read<'de, D: Deserializer<'de>>(d: D, form: &mut Option<Value>) -> Result<Self, D::Error> {
        d.deserialize_any(FloatVisitor(form))
    }
    fn write<S: Serializer>(&self, form: Option<&Value>, s: S) -> Result<S::Ok, S::Error> {
        if let Some(Value::Number(n)) = form {
            if n.as_f64() == Some(*self) {
                return n.serialize(s);
            }
        }
        if self.is_finite() {
            s.serialize_f64(*self)
        } else {
            Err(serde::ser::Error::custom(
                "a number field holds NaN or infinity, which JSON cannot carry",
            ))
        }
    }
    leaf_items!();
}

struct VecVisitor<'a, T>(&'a mut Option<Value>, PhantomData<T>);

impl<'de, T: FieldValue> Visitor<'de> for VecVisitor<'_, T> {
    type Value = Vec<T>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let _nested = Nested::enter()?;
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        // The items' spellings, `null` for an item without one; only once an item has one.
        let mut forms: Option<Vec<Value>> = None;
        loop {
            let mut form = None;
            match seq.next_element_seed(Read::<T>::new(&mut form))? {
                Some(item) => items.push(item),
                None => break,
            }
            match (&mut forms, form) {
                (Some(forms), form) => forms.push(form.unwrap_or(Value::Null)),
                (None, Some(form)) => {
                    let mut first = vec![Value::Null; items.len() - 1];
                    first.push(form);
                    forms = Some(first);
                }
                (None, None) => {}
            }
        }
        if let Some(forms) = forms {
            *self.0 = Some(Value::Array(forms));
        }
        Ok(items)
    }
}

impl<T: FieldValue> FieldValue for Vec<T> {
    fn read<'de, D: Deserializer<'de>>(d: D, form: &mut Option<Value>) -> Result<Self, D::Error> {
        d.deserialize_seq(VecVisitor::<T>(form, PhantomData))
    }
    fn read_checked<'de, D: Deserializer<'de>>(
        d: D,
        form: &mut Option<Value>,
        schema: &'static BundledSchema,
        at: &'static SchemaAt,
    ) -> Result<Self, D::Error> {
        T::read_checked_items(d, form, schema, at)
    }
    fn write<S: Serializer>(&self, form: Option<&Value>, s: S) -> Result<S::Ok, S::Error> {
        let forms = match form {
            Some(Value::Array(forms)) if forms.len() == self.len() => Some(forms),
            _ => None,
        };
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for (i, item) in self.iter().enumerate() {
            let item_form = forms.and_then(|f| f.get(i)).filter(|f| !f.is_null());
            seq.serialize_element(&Write(item, item_form))?;
        }
        seq.end()
    }
}

/// An object key, borrowed from the input when it has no escapes.
pub enum Key<'de> {
    /// Borrowed from the input.
    Borrowed(&'de str),
    /// Unescaped into a new string.
    Owned(String),
}

impl Key<'_> {
    /// The key text.
    pub fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(s) => s,
            Key::Owned(s) => s,
        }
    }
    /// The key as an owned string.
    pub fn into_string(self) -> String {
        match self {
            Key::Borrowed(s) => s.to_owned(),
            Key::Owned(s) => s,
        }
    }
}

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key::Borrowed(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key::Owned(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key::Owned(v))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

/// Reads a value into a [`Tree`] as a seed (a member's value, say).
struct TreeRead;

impl<'de> DeserializeSeed<'de> for TreeRead {
    type Value = Tree<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Tree<'de>, D::Error> {
        Tree::from_deserializer(d)
    }
}

/// An object being read whose first member was read ahead (its value into a [`Tree`]) and
/// is handed out again before the rest: how a tagged union reads its tag, when the object
/// starts with it, and then reads the variant straight from the input, without a tree of
/// the whole value. As a [`de::MapAccess`], it is the whole object again.
pub struct Replay<'de, A> {
    key: Option<Key<'de>>,
    value: Option<Tree<'de>>,
    map: A,
}

impl<'de, A: de::MapAccess<'de>> Replay<'de, A> {
    /// Reads the first member of `map` ahead, if the object has one.
    pub fn start(mut map: A) -> Result<Self, A::Error> {
        let key = map.next_key::<Key<'de>>()?;
        let value = match key {
            Some(_) => Some(map.next_value_seed(TreeRead)?),
            None => None,
        };
        Ok(Replay { key, value, map })
    }

    /// The first member's value, when its key is `tag`.
    pub fn first_if(&self, tag: &str) -> Option<&Tree<'de>> {
        match (&self.key, &self.value) {
            (Some(key), Some(value)) if key.as_str() == tag => Some(value),
            _ => None,
        }
    }

    /// The whole object as a deserializer, the member read ahead first.
    pub fn into_deserializer(self) -> de::value::MapAccessDeserializer<Self> {
        de::value::MapAccessDeserializer::new(self)
    }
}

impl<'de, A: de::MapAccess<'de>> de::MapAccess<'de> for Replay<'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        match self.key.take() {
            Some(Key::Borrowed(key)) => seed
                .deserialize(de::value::BorrowedStrDeserializer::new(key))
                .map(Some),
            Some(Key::Owned(key)) => seed
                .deserialize(de::value::StringDeserializer::new(key))
                .map(Some),
            None => self.map.next_key_seed(seed),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        match self.value.take() {
            Some(tree) => seed
                .deserialize(TreeDeserializer::new(&tree))
                .map_err(de::Error::custom),
            None => self.map.next_value_seed(seed),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        let ahead = usize::from(self.value.is_some());
        self.map.size_hint().map(|rest| rest + ahead)
    }
}

/// Stores a field read from input, rejecting a second occurrence of its key.
pub fn set_once<T, E: de::Error>(slot: &mut Option<T>, key: &str, value: T) -> Result<(), E> {
    if slot.is_some() {
        return Err(E::custom(format_args!(
            "duplicate key {key:?} in one object; send each key once"
        )));
    }
    *slot = Some(value);
    Ok(())
}

/// Reads a declared property's value into its slot, refusing a key sent twice, and keeps
/// its spelling in `extra` when it has one. Each arm of a generated struct's reader calls
/// this, so the reading of a field type is compiled once and shared by every field of that
/// type rather than repeated in every arm: the readers stay small (fewer instruction-cache
/// misses under callgrind's cache simulation, the same decode time; docs/PERFORMANCE.md).
#[inline(never)]
pub fn read_field<'de, A: de::MapAccess<'de>, T: FieldValue>(
    map: &mut A,
    slot: &mut Option<T>,
    key: &'static str,
    extra: &mut Extra,
) -> Result<(), A::Error> {
    let mut form = None;
    let value = map.next_value_seed(Read::<T>::new(&mut form))?;
    keep(slot, key, value, form, extra)
}

/// [`read_field`] for a property whose type holds less than its subschema (`check` on the
/// field): the value is read and checked against the subschema at `at` of `schema` by
/// [`FieldValue::read_checked`]. By default that reads it into a [`Tree`], checks the tree,
/// then reads it from the tree with the checks below it skipped, which that one implies;
/// when `at` checks only some keywords ([`SchemaAt::only`]: those the type cannot hold),
/// the typed read from the tree makes the checks below it itself. A `Value` (and an array
/// of them: a tuple) is read once and checked as it is. Inside a value an enclosing check
/// already covers ([`prechecked`]), it reads straight from the input as [`read_field`]
/// does. Only this property's value is read twice; the rest of its object is read once.
#[inline(never)]
pub fn read_checked_field<'de, A: de::MapAccess<'de>, T: FieldValue>(
    map: &mut A,
    slot: &mut Option<T>,
    key: &'static str,
    extra: &mut Extra,
    schema: &'static BundledSchema,
    at: &'static SchemaAt,
) -> Result<(), A::Error> {
    if prechecked() {
        return read_field(map, slot, key, extra);
    }
    let mut form = None;
    let value = map.next_value_seed(CheckedRead::<T> {
        form: &mut form,
        schema,
        at,
        _type: PhantomData,
    })?;
    keep(slot, key, value, form, extra)
}

/// What [`read_counted_field`] counts: the items of an array.
pub trait Counted {
    /// The number of items.
    fn count(&self) -> usize;
}

impl<T> Counted for Vec<T> {
    fn count(&self) -> usize {
        self.len()
    }
}

/// [`read_field`] for an array property whose type holds all its subschema says but
/// `minItems`/`maxItems`: the items are read straight into the `Vec`, then counted. What
/// [`read_checked_field`] would decide, without reading the value twice.
#[inline(never)]
pub fn read_counted_field<'de, A: de::MapAccess<'de>, T: FieldValue + Counted>(
    map: &mut A,
    slot: &mut Option<T>,
    key: &'static str,
    extra: &mut Extra,
    min: u64,
    max: Option<u64>,
) -> Result<(), A::Error> {
    read_field(map, slot, key, extra)?;
    let count = slot.as_ref().map_or(0, |v| v.count() as u64);
    if count < min || max.is_some_and(|max| count > max) {
        return Err(de::Error::custom(format_args!(
            "{key} has {}; the schema allows {}",
            counted(count, "item", "items"),
            allowed(min, max)
        )));
    }
    Ok(())
}

/// [`read_counted_field`] for an array of scalars whose subschema also says
/// `uniqueItems`: the items are compared by JSON equality as the leaves they were read as
/// (each in its recorded spelling, so `1` and `1.0` are equal, as the check has them),
/// with no tree of the input and no check.
#[inline(never)]
pub fn read_unique_field<'de, A: de::MapAccess<'de>, T: Leaf>(
    map: &mut A,
    slot: &mut Option<Vec<T>>,
    key: &'static str,
    extra: &mut Extra,
    min: u64,
    max: Option<u64>,
) -> Result<(), A::Error> {
    read_counted_field(map, slot, key, extra, min, max)?;
    let Some(items) = slot.as_ref() else {
        return Ok(());
    };
    if !event_contracts_check::schema::all_unique(&leaves(items, extra.form(key))) {
        return Err(de::Error::custom(format_args!(
            "{key} has equal items; the schema requires them unique (uniqueItems)"
        )));
    }
    Ok(())
}

/// The bounds of an object whose members were counted as they were read
/// (`#[object(min_properties, max_properties)]`): `minProperties` and `maxProperties`
/// count every member, declared or not.
#[inline(never)]
pub fn count_members<E: de::Error>(
    label: &str,
    count: u64,
    min: u64,
    max: Option<u64>,
) -> Result<(), E> {
    if count < min || max.is_some_and(|max| count > max) {
        return Err(E::custom(format_args!(
            "{label} has {}; the schema allows {}",
            counted(count, "property", "properties"),
            allowed(min, max)
        )));
    }
    Ok(())
}

/// `count` things, in words: "1 item", "3 items".
fn counted(count: u64, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// How many a count between `min` and `max` allows, in words: "exactly 2", "1 to 8",
/// "at least 1".
fn allowed(min: u64, max: Option<u64>) -> String {
    match max {
        Some(max) if max == min => format!("exactly {min}"),
        Some(max) => format!("{min} to {max}"),
        None => format!("at least {min}"),
    }
}

/// What [`read_map_field`] checks: the members of an object read into a map.
pub trait Members {
    /// The number of members.
    fn member_count(&self) -> usize;
    /// The first member name for which `keep` says no.
    fn find_name(&self, keep: impl FnMut(&str) -> bool) -> Option<&str>;
}

impl Members for Map<String, Value> {
    fn member_count(&self) -> usize {
        self.len()
    }
    fn find_name(&self, mut keep: impl FnMut(&str) -> bool) -> Option<&str> {
        self.keys().map(String::as_str).find(|k| !keep(k))
    }
}

impl<T> Members for indexmap::IndexMap<String, T> {
    fn member_count(&self) -> usize {
        self.len()
    }
    fn find_name(&self, mut keep: impl FnMut(&str) -> bool) -> Option<&str> {
        self.keys().map(String::as_str).find(|k| !keep(k))
    }
}

/// The member bounds of a map property: `minProperties`, `maxProperties`, and where its
/// `propertyNames` subschema is.
#[derive(Debug, Clone, Copy)]
pub struct MemberRule {
    /// `minProperties`, 0 when absent.
    pub min: u64,
    /// `maxProperties`.
    pub max: Option<u64>,
    /// `propertyNames`: the schema and the place of the subschema each name must satisfy.
    pub names: Option<(&'static BundledSchema, &'static SchemaAt)>,
}

/// [`read_field`] for a map property (a free-form object, or `additionalProperties` with a
/// schema) whose type holds all its subschema says but `minProperties`, `maxProperties`
/// and `propertyNames`: the map is read straight, then its members are counted and each
/// name is checked against `propertyNames`. What [`read_checked_field`] would decide,
/// without reading the value twice.
#[inline(never)]
pub fn read_map_field<'de, A: de::MapAccess<'de>, T: FieldValue + Members>(
    map: &mut A,
    slot: &mut Option<T>,
    key: &'static str,
    extra: &mut Extra,
    rule: &MemberRule,
) -> Result<(), A::Error> {
    read_field(map, slot, key, extra)?;
    let Some(value) = slot.as_ref() else {
        return Ok(());
    };
    let count = value.member_count() as u64;
    if count < rule.min || rule.max.is_some_and(|max| count > max) {
        return Err(de::Error::custom(format_args!(
            "{key} has {}; the schema allows {}",
            counted(count, "property", "properties"),
            allowed(rule.min, rule.max)
        )));
    }
    if let Some((schema, at)) = rule.names {
        if let Some(name) = value.find_name(|name| schema.is_valid_at(at, &Name(name))) {
            return Err(de::Error::custom(format_args!(
                "{key} has the property name {name:?}, which its propertyNames does not allow"
            )));
        }
    }
    Ok(())
}

/// The seed of [`read_checked_field`].
struct CheckedRead<'a, T> {
    form: &'a mut Option<Value>,
    schema: &'static BundledSchema,
    at: &'static SchemaAt,
    _type: PhantomData<T>,
}

impl<'de, T: FieldValue> DeserializeSeed<'de> for CheckedRead<'_, T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        T::read_checked(d, self.form, self.schema, self.at)
    }
}

/// A builder's check of a field whose type holds less than its property's subschema:
/// every violation of the subschema at `pointer` by the value, as written, is added to
/// `problems` with its pointer from the object (`/lines`, `/lines/0/sku`), as a check of
/// the whole object words it.
pub fn check_built_field<T: FieldValue>(
    schema: &BundledSchema,
    pointer: &str,
    key: &'static str,
    value: &T,
    form: Option<&Value>,
    problems: &mut Vec<(&'static str, String)>,
) {
    match serde_json::to_value(Write(value, form)) {
        Ok(value) => {
            let mut collector = Collector::new();
            schema.validate(pointer, &value, &mut collector);
            let at = format!("/{}", key.replace('~', "~0").replace('/', "~1"));
            for mut violation in collector.into_violations() {
                violation.pointer.insert_str(0, &at);
                problems.push(("", violation.to_string()));
            }
        }
        Err(e) => problems.push((key, e.to_string())),
    }
}

/// Puts a property's value read once into its slot, and its spelling, if any, in `extra`.
fn keep<T, E: de::Error>(
    slot: &mut Option<T>,
    key: &'static str,
    value: T,
    form: Option<Value>,
    extra: &mut Extra,
) -> Result<(), E> {
    set_once(slot, key, value)?;
    if let Some(form) = form {
        extra.set_declared_form(key, form);
    }
    Ok(())
}

/// Reads an undeclared property into `extra`.
pub fn read_unknown<'de, A: de::MapAccess<'de>>(
    map: &mut A,
    extra: &mut Extra,
    key: Key<'de>,
) -> Result<(), A::Error> {
    let value = map.next_value_seed(StrictVisitor)?;
    extra
        .insert_unknown(key.into_string(), value)
        .map_err(de::Error::custom)
}

/// Reads a property that `patternProperties` matches into `extra`, its value checked
/// against the subschema of each pattern that matches the key (`pointers[i]` for
/// `patterns[i]`), unless an enclosing check already covers it ([`prechecked`]).
pub fn read_pattern_property<'de, A: de::MapAccess<'de>>(
    map: &mut A,
    extra: &mut Extra,
    key: Key<'de>,
    patterns: &[Pattern],
    pointers: &[&'static str],
    schema: &'static BundledSchema,
) -> Result<(), A::Error> {
    let value = map.next_value_seed(StrictVisitor)?;
    if !prechecked() {
        for (pattern, pointer) in patterns.iter().zip(pointers) {
            if pattern.is_match(key.as_str()) == Some(true) {
                schema.check(pointer, &value).map_err(de::Error::custom)?;
            }
        }
    }
    extra
        .insert_unknown(key.into_string(), value)
        .map_err(de::Error::custom)
}

/// Rejects a property that a closed object (`additionalProperties: false`) does not declare.
pub fn reject_unknown<E: de::Error>(key: &Key<'_>, type_name: &str) -> Result<(), E> {
    Err(E::custom(format_args!(
        "{type_name} does not allow the property {:?} (additionalProperties: false)",
        key.as_str()
    )))
}

/// Reads the discriminator and checks it names this event.
pub fn read_tag<'de, A: de::MapAccess<'de>>(
    map: &mut A,
    seen: &mut bool,
    key: &str,
    expected: &str,
) -> Result<(), A::Error> {
    if *seen {
        return Err(de::Error::custom(format_args!(
            "duplicate key {key:?} in one object; send each key once"
        )));
    }
    *seen = true;
    let value: Key<'de> = map.next_value()?;
    if value.as_str() != expected {
        return Err(de::Error::custom(format_args!(
            "{key} is {:?}, but this type holds {expected:?} events",
            value.as_str()
        )));
    }
    Ok(())
}

/// Sets a thread-local value for the life of the guard and restores the one it replaced,
/// so that nested reads (a checked type inside a checked type) leave it as they found it.
struct ScopedValue<T: Copy + 'static> {
    slot: &'static LocalKey<Cell<T>>,
    before: T,
}

impl<T: Copy + 'static> ScopedValue<T> {
    fn set(slot: &'static LocalKey<Cell<T>>, value: T) -> Self {
        ScopedValue {
            slot,
            before: slot.with(|c| c.replace(value)),
        }
    }
}

impl<T: Copy + 'static> Drop for ScopedValue<T> {
    fn drop(&mut self) {
        self.slot.with(|c| c.set(self.before));
    }
}

thread_local! {
    static READ_MINOR: Cell<u64> = const { Cell::new(u64::MAX) };
    static PRECHECKED: Cell<bool> = const { Cell::new(false) };
    static ERRORS_UNREAD: Cell<bool> = const { Cell::new(false) };
}

/// The minor version whose properties the current decode treats as declared.
///
/// Decoding a 1.0.x event into the 1.1 shape must treat a property added in 1.1
/// as unknown, as it was when the event was written; otherwise a 1.0 event that
/// happened to carry an undeclared property of that name would fail to decode.
pub fn read_minor() -> u64 {
    READ_MINOR.with(Cell::get)
}

/// Sets [`read_minor`] for the life of the guard.
pub struct ReadMinorGuard(#[allow(dead_code)] ScopedValue<u64>);

impl ReadMinorGuard {
    /// Treats properties introduced after `minor` as unknown until dropped.
    pub fn set(minor: u64) -> Self {
        ReadMinorGuard(ScopedValue::set(&READ_MINOR, minor))
    }
}

/// Whether the value being read lies inside one that a checked type (or a union) has
/// already checked against its subschema, which holds every subschema below it: a checked
/// type nested there skips its own check, which could only repeat it. Without this, each
/// level of a recursive checked type checked the whole subtree below it again.
pub fn prechecked() -> bool {
    PRECHECKED.with(Cell::get)
}

/// Marks the reads under it as [`prechecked`] until dropped.
pub struct PrecheckedGuard(#[allow(dead_code)] ScopedValue<bool>);

impl PrecheckedGuard {
    /// Marks what is read from here on as inside a checked value.
    pub fn enter() -> Self {
        PrecheckedGuard(ScopedValue::set(&PRECHECKED, true))
    }

    /// Marks what is read from here on as checked by its own reads again: a union trying
    /// its variants' reads to choose one needs each read to check all it holds, even
    /// inside a value an enclosing check accepted.
    pub fn leave() -> Self {
        PrecheckedGuard(ScopedValue::set(&PRECHECKED, false))
    }
}

/// Whether the read under way drops its error unread: decode's fast path, which only asks
/// whether the typed read succeeded and on failure leaves the wording of every violation
/// to the slow path. A checked type then stops at its check's verdict instead of wording
/// the first violation.
pub fn errors_unread() -> bool {
    ERRORS_UNREAD.with(Cell::get)
}

/// Marks the reads under it as [`errors_unread`] until dropped.
pub struct ErrorsUnreadGuard(#[allow(dead_code)] ScopedValue<bool>);

impl ErrorsUnreadGuard {
    /// Marks what is read from here on as read for its verdict alone.
    pub fn enter() -> Self {
        ErrorsUnreadGuard(ScopedValue::set(&ERRORS_UNREAD, true))
    }
}

/// Converts a builder setter's argument, keeping the error text.
pub fn convert<T, V>(value: V) -> Result<T, String>
where
    V: TryInto<T>,
    V::Error: fmt::Display,
{
    value.try_into().map_err(|e| e.to_string())
}

/// Takes a required builder slot, noting a missing or invalid value.
pub fn take_required<T>(
    problems: &mut Vec<(&'static str, String)>,
    key: &'static str,
    slot: Option<Result<T, String>>,
) -> Option<T> {
    match slot {
        Some(Ok(v)) => Some(v),
        Some(Err(e)) => {
            problems.push((key, e));
            None
        }
        None => {
            problems.push((key, "is required but was not set".to_owned()));
            None
        }
    }
}

/// Takes an optional builder slot, noting an invalid value.
pub fn take_optional<T>(
    problems: &mut Vec<(&'static str, String)>,
    key: &'static str,
    slot: Option<Result<T, String>>,
) -> Option<T> {
    match slot {
        Some(Ok(v)) => Some(v),
        Some(Err(e)) => {
            problems.push((key, e));
            None
        }
        None => None,
    }
}

/// Checks a string `format` when a value is built; formats the runtime does not know
/// pass, as in JSON Schema.
pub fn check_string_format(text: &str, format: &str) -> Result<(), ConstraintError> {
    match event_contracts_check::formats::checker(format) {
        Some(is_valid) if !is_valid(text) => Err(ConstraintError::new(
            "format",
            // A read whose error goes unread (a union trying its variants, decode's fast
            // path) is spared the message.
            if errors_unread() {
                String::new()
            } else {
                format!("{text:?} is not a valid {format:?}")
            },
        )),
        _ => Ok(()),
    }
}

/// A map of the properties an object does not declare, typed by its
/// `additionalProperties` schema, in the order they were read.
pub type IndexMap<T> = indexmap::IndexMap<String, T>;

/// What a builder needs of the typed map of additional properties.
pub trait TypedMap {
    /// The type of the map's values.
    type Value;
    /// Adds or replaces an entry.
    fn insert_value(&mut self, key: String, value: Self::Value);
}

impl<T> TypedMap for indexmap::IndexMap<String, T> {
    type Value = T;
    fn insert_value(&mut self, key: String, value: T) {
        self.insert(key, value);
    }
}

/// Reads one event of type `T` and wraps it as the event set's variant: the generated
/// `deserialize_major` calls this from each of its arms. It is its own function, never
/// inlined, so that the reading's temporaries (each as large as the event) live in this
/// frame, one at a time, and not side by side in one frame per arm: with a few hundred
/// events of 16 KiB, that frame outgrew a 2 MiB thread stack in debug builds.
#[inline(never)]
pub fn deserialize_variant<'de, T, E, D>(
    d: D,
    wrap: impl FnOnce(T) -> E,
) -> Option<Result<E, D::Error>>
where
    T: serde::Deserialize<'de>,
    D: Deserializer<'de>,
{
    // `wrap` is the variant's constructor, inlined here: the event is moved into the set's
    // enum once, not passed through a function pointer.
    Some(match T::deserialize(d) {
        Ok(event) => Ok(wrap(event)),
        Err(e) => Err(e),
    })
}

/// Reads one additional property into the object's typed map, refusing a key sent twice;
/// its spelling, if it has one, is kept in `extra` under its key.
pub fn read_entry<'de, A: de::MapAccess<'de>, T: FieldValue>(
    map: &mut A,
    entries: &mut indexmap::IndexMap<String, T>,
    extra: &mut Extra,
    key: Key<'de>,
) -> Result<(), A::Error> {
    let mut form = None;
    let value = map.next_value_seed(Read::<T>::new(&mut form))?;
    let key = key.into_string();
    if entries.contains_key(&key) || extra.unknown().contains_key(&key) {
        return Err(de::Error::custom(format_args!(
            "duplicate key {key:?} in one object; send each key once"
        )));
    }
    if let Some(form) = form {
        extra.set_form(&key, form);
    }
    entries.insert(key, value);
    Ok(())
}

struct EntriesVisitor<'a, T>(&'a mut Option<Value>, PhantomData<T>);

impl<'de, T: FieldValue> Visitor<'de> for EntriesVisitor<'_, T> {
    type Value = indexmap::IndexMap<String, T>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let _nested = Nested::enter()?;
        let mut entries = indexmap::IndexMap::new();
        let mut forms = Map::new();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            let mut form = None;
            let value = map.next_value_seed(Read::<T>::new(&mut form))?;
            let key = key.into_string();
            if entries.contains_key(&key) {
                return Err(de::Error::custom(format_args!(
                    "duplicate key {key:?} in one object; send each key once"
                )));
            }
            if let Some(form) = form {
                forms.insert(key.clone(), form);
            }
            entries.insert(key, value);
        }
        if !forms.is_empty() {
            *self.0 = Some(Value::Object(forms));
        }
        Ok(entries)
    }
}

/// An object whose every property has the schema of `additionalProperties`: a typed map.
impl<T: FieldValue> FieldValue for indexmap::IndexMap<String, T> {
    fn read<'de, D: Deserializer<'de>>(d: D, form: &mut Option<Value>) -> Result<Self, D::Error> {
        d.deserialize_map(EntriesVisitor::<T>(form, PhantomData))
    }
    fn write<S: Serializer>(&self, form: Option<&Value>, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let forms = match form {
            Some(Value::Object(forms)) => Some(forms),
            _ => None,
        };
        let mut map = s.serialize_map(Some(self.len()))?;
        for (key, value) in self {
            map.serialize_entry(key, &Write(value, forms.and_then(|f| f.get(key))))?;
        }
        map.end()
    }
}

struct NullableVisitor<'a, T>(&'a mut Option<Value>, PhantomData<T>);

impl<'de, T: FieldValue> Visitor<'de> for NullableVisitor<'_, T> {
    type Value = Option<T>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a value or null")
    }
    fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        T::read(d, self.0).map(Some)
    }
}

/// A nullable value (`"type": [T, "null"]`, or a union with `{"type": "null"}`): `None` is
/// JSON `null`. An optional nullable property is `Option<Option<T>>`, so an absent
/// property and an explicit `null` stay apart.
impl<T: FieldValue> FieldValue for Option<T> {
    fn read<'de, D: Deserializer<'de>>(d: D, form: &mut Option<Value>) -> Result<Self, D::Error> {
        d.deserialize_option(NullableVisitor::<T>(form, PhantomData))
    }
    fn write<S: Serializer>(&self, form: Option<&Value>, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(value) => value.write(form, s),
            None => s.serialize_unit(),
        }
    }
}

/// A value of a recursive type (a tree's children), boxed.
impl<T: FieldValue> FieldValue for Box<T> {
    fn read<'de, D: Deserializer<'de>>(d: D, form: &mut Option<Value>) -> Result<Self, D::Error> {
        T::read(d, form).map(Box::new)
    }
    fn read_checked<'de, D: Deserializer<'de>>(
        d: D,
        form: &mut Option<Value>,
        schema: &'static BundledSchema,
        at: &'static SchemaAt,
    ) -> Result<Self, D::Error> {
        T::read_checked(d, form, schema, at).map(Box::new)
    }
    fn write<S: Serializer>(&self, form: Option<&Value>, s: S) -> Result<S::Ok, S::Error> {
        (**self).write(form, s)
    }
}

/// JSON `null`, where a schema allows nothing else (`"type": "null"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Null;

struct NullVisitor;

impl Visitor<'_> for NullVisitor {
    type Value = Null;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("null")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Null, E> {
        Ok(Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Null, E> {
        Ok(Null)
    }
}

impl FieldValue for Null {
    fn read<'de, D: Deserializer<'de>>(d: D, _form: &mut Option<Value>) -> Result<Self, D::Error> {
        d.deserialize_unit(NullVisitor)
    }
    fn write<S: Serializer>(&self, _form: Option<&Value>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_unit()
    }
}

impl Serialize for Null {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_unit()
    }
}

impl<'de> de::Deserialize<'de> for Null {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_unit(NullVisitor)
    }
}

/// A number as a `Literals` read compares it with its literals: an integer exactly, or a
/// float, as the deserializer reported it (and as serde_json's `Number` holds it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LiteralNumber {
    /// Written as an integer.
    Int(i128),
    /// Written with a fraction or an exponent.
    Float(f64),
}

impl LiteralNumber {
    /// JSON equality (`1.0` equals `1`): integers exactly, a float and another number as
    /// `f64`, as the check compares them.
    pub fn equals(self, other: LiteralNumber) -> bool {
        match (self, other) {
            (LiteralNumber::Int(a), LiteralNumber::Int(b)) => a == b,
            (LiteralNumber::Int(a), LiteralNumber::Float(b))
            | (LiteralNumber::Float(b), LiteralNumber::Int(a)) => a as f64 == b,
            (LiteralNumber::Float(a), LiteralNumber::Float(b)) => a == b,
        }
    }

    /// Whether it is written as a float (its JSON text then has a `.` or an exponent).
    pub fn is_float(self) -> bool {
        matches!(self, LiteralNumber::Float(_))
    }

    /// The number as serde_json would have read it.
    pub fn to_value(self) -> Value {
        match self {
            LiteralNumber::Int(i) => match (u64::try_from(i), i64::try_from(i)) {
                (Ok(u), _) => Value::from(u),
                (_, Ok(i)) => Value::from(i),
                _ => Value::from(i as f64),
            },
            LiteralNumber::Float(f) => serde_json::Number::from_f64(f)
                .map(Value::Number)
                .unwrap_or(Value::Null),
        }
    }
}

impl fmt::Display for LiteralNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_value())
    }
}

/// The error of a `Literals` read that found `value` (shown as JSON) among none of its
/// literals (`expected`: "one of 1, 2, 3").
pub fn not_a_literal<E: de::Error>(value: impl fmt::Display, expected: &str) -> E {
    E::custom(format_args!("{value} is not {expected}"))
}

/// Whether `value` is a number equal to the number written `literal`, by JSON equality
/// (`1.0` equals `1`): integers compare exactly, others as `f64`.
pub fn number_is<J: Instance>(value: &J, literal: &str) -> bool {
    let Some(number) = value.as_number() else {
        return false;
    };
    match serde_json::from_str::<serde_json::Number>(literal) {
        Ok(expected) => numbers_equal(number, &expected),
        Err(_) => false,
    }
}

fn numbers_equal(a: &serde_json::Number, b: &serde_json::Number) -> bool {
    if let (Some(x), Some(y)) = (a.as_i64(), b.as_i64()) {
        return x == y;
    }
    if let (Some(x), Some(y)) = (a.as_u64(), b.as_u64()) {
        return x == y;
    }
    matches!((a.as_f64(), b.as_f64()), (Some(x), Some(y)) if x == y)
}

/// Whether `value` equals the JSON written `literal`, by JSON equality (numbers by value,
/// objects by members, arrays by items).
pub fn json_is<J: Instance>(value: &J, literal: &str) -> bool {
    match (
        serde_json::to_value(value),
        serde_json::from_str::<Value>(literal),
    ) {
        (Ok(value), Ok(expected)) => json_equal(&value, &expected),
        _ => false,
    }
}

fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => numbers_equal(x, y),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_equal(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_date_time_spellings_are_judged_without_formatting() {
        let cases = [
            ("2026-03-01T12:00:00Z", Some(true)),
            ("2026-03-01T12:00:00.120Z", Some(true)),
            ("2026-03-01T12:00:00.000Z", Some(false)),
            ("2026-03-01T12:00:00.123456Z", Some(true)),
            ("2026-03-01T12:00:00.123000Z", Some(false)),
            ("2026-03-01T12:00:00.123456789Z", Some(true)),
            ("2026-03-01T12:00:00.123456000Z", Some(false)),
            ("2026-03-01T12:00:00.1Z", None),
            ("2026-03-01t12:00:00Z", None),
            ("2026-03-01T12:00:00z", Some(false)),
            ("2026-03-01T12:00:00+00:00", Some(false)),
            ("2026-03-01T11:59:58.250+01:00", Some(false)),
            ("0999-03-01T12:00:00Z", None),
            ("2016-12-31T23:59:60Z", None),
        ];
        for (text, expected) in cases {
            assert_eq!(spelled_canonically(text), expected, "{text}");
        }
    }

    proptest::proptest! {
        /// Wherever the text alone decides, it decides as formatting the value would; and
        /// every date-time the format accepts is written back as it was read.
        #[test]
        fn the_spelling_shortcut_agrees_with_formatting(
            year in 0u32..=9999,
            month in 1u32..=12,
            day in 1u32..=31,
            hour in 0u32..=23,
            minute in 0u32..=59,
            second in 0u32..=60,
            fraction in proptest::option::of("[0-9]{0,7}(000)?"),
            t in proptest::sample::select(vec!["T", "t"]),
            offset in proptest::sample::select(vec!["Z", "z", "+00:00", "+01:30", "-05:00"]),
        ) {
            let fraction = fraction.map(|f| format!(".{f}")).unwrap_or_default();
            let text = format!(
                "{year:04}-{month:02}-{day:02}{t}{hour:02}:{minute:02}:{second:02}{fraction}{offset}"
            );
            if let Some(value) = date_time_value(&text) {
                if let Some(fast) = spelled_canonically(&text) {
                    proptest::prop_assert_eq!(fast, canonical_date_time(&value) == text, "{}", text);
                }
                // And every one is written back exactly as it was read.
                proptest::prop_assert_eq!(written(&text), Some(text.clone()), "{}", text);
            }
        }
    }

    /// A timestamp's text as `encode` writes it back from the value and the form read.
    fn written(text: &str) -> Option<String> {
        let mut form = None;
        let value = parse_date_time(text, &mut form).ok()?;
        let json = serde_json::to_value(Write(&value, form.as_ref())).ok()?;
        json.as_str().map(str::to_owned)
    }

    #[test]
    fn fixed_fractions_are_kept_as_their_digits_and_written_back() {
        for (text, digits) in [
            ("2026-02-02T02:40:00.000Z", Some(3)),
            ("2026-02-02T02:40:00.120000Z", Some(6)),
            ("2026-02-02T02:40:00.100000000Z", Some(9)),
            ("2026-02-02T02:40:00.0Z", None),
            ("2026-02-02T02:40:00.000+00:00", None),
            ("0999-02-02T02:40:00.000Z", None),
            ("2016-12-31T23:59:60.000Z", None),
        ] {
            let mut form = None;
            parse_date_time(text, &mut form).expect("a date-time");
            let kept = match &form {
                Some(Value::Number(n)) => n.as_u64(),
                _ => None,
            };
            assert_eq!(kept, digits, "{text}");
            assert_eq!(written(text).as_deref(), Some(text), "{text}");
        }
        // A value changed after decode that the digits cannot hold is written canonically.
        let mut form = None;
        let value = parse_date_time("2026-02-02T02:40:00.000Z", &mut form).expect("a date-time");
        let changed = value + TimeDelta::microseconds(5);
        let json = serde_json::to_value(Write(&changed, form.as_ref())).expect("JSON");
        assert_eq!(json, "2026-02-02T02:40:00.000005Z");
        let changed = value + TimeDelta::milliseconds(5);
        let json = serde_json::to_value(Write(&changed, form.as_ref())).expect("JSON");
        assert_eq!(json, "2026-02-02T02:40:00.005Z");
    }

    /// `parse_uuid` checks the format with the uuid parser; it must accept exactly what the
    /// validator's `is_uuid` accepts, whatever other forms the uuid crate reads.
    #[test]
    fn parse_uuid_accepts_exactly_the_uuid_format() {
        let texts = [
            "6f1c2e9a-3b4d-4e5f-8a9b-0c1d2e3f4a5b",
            "6F1C2E9A-3B4D-4E5F-8A9B-0C1D2E3F4A5B",
            "6f1c2e9a3b4d4e5f8a9b0c1d2e3f4a5b",
            "{6f1c2e9a-3b4d-4e5f-8a9b-0c1d2e3f4a5b}",
            "urn:uuid:6f1c2e9a-3b4d-4e5f-8a9b-0c1d2e3f4a5b",
            "6f1c2e9a-3b4d-4e5f-8a9b-0c1d2e3f4a5g",
            "6f1c2e9a+3b4d-4e5f-8a9b-0c1d2e3f4a5b",
            "6f1c2e9a-3b4d-4e5f-8a9b0-c1d2e3f4a5b",
            "6f1c2e9a-3b4d-4e5f-8a9b-0c1d2e3f4a5",
            "",
            "6f1c2e9a-3b4d-4e5f-8a9b-0c1d2e3f4a5\u{e9}",
        ];
        for text in texts {
            assert_eq!(
                parse_uuid(text, &mut None).is_ok(),
                event_contracts_check::formats::is_uuid(text),
                "{text}"
            );
        }
    }
}
