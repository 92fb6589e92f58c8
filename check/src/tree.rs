//! A parsed JSON document that borrows from its text: what the schema check walks when the
//! typed read of an event failed.
//!
//! `serde_json::Value` owns every key and string and hashes every key into its map; for an
//! event that is read only to list its violations and then dropped, that costs three times
//! the parse. A [`Tree`] keeps unescaped strings and keys as slices of the text, objects as
//! their members in order, and nothing else. It is parsed by the same rules as
//! `strict_json::parse_strict` (duplicate keys and trailing data rejected with the same
//! messages, nesting counted against the thread's `NestingLimit`), writes the same compact
//! JSON as a `Value`, and converts to one when a typed read needs it.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Number, Value};

use crate::strict_json::Nested;

/// One JSON value, borrowing unescaped strings from the text it was parsed from.
#[derive(Debug, Clone, PartialEq)]
pub enum Tree<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as serde_json reads it.
    Number(Number),
    /// A string.
    String(Cow<'a, str>),
    /// An array.
    Array(Vec<Tree<'a>>),
    /// An object: its members in the order of the text, each key once.
    Object(Vec<(Cow<'a, str>, Tree<'a>)>),
}

/// Objects with more members than this check duplicates with a hash set instead of
/// comparing each new key with every earlier one.
const LINEAR_DUPLICATE_CHECK: usize = 16;

impl<'a> Tree<'a> {
    /// Parses JSON text, rejecting duplicate keys and trailing data, with serde_json's
    /// messages and positions (those of `strict_json::parse_strict`).
    pub fn parse(text: &'a str) -> Result<Tree<'a>, serde_json::Error> {
        // The quick reader first: it visits as serde_json does, and refuses without a
        // message; serde_json reads again only to word a refusal.
        let mut quick = crate::quick_json::QuickReader::new(text);
        if let Ok(tree) = Open::with_scratch(|open| TreeSeed(open).deserialize(&mut quick)) {
            if quick.end().is_ok() {
                return Ok(tree);
            }
        }
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let tree = Open::with_scratch(|open| TreeSeed(open).deserialize(&mut deserializer))?;
        deserializer.end()?;
        Ok(tree)
    }

    /// Reads one value from any deserializer, by the same rules as [`Tree::parse`]
    /// (duplicate keys refused, nesting counted), borrowing what the deserializer lends:
    /// how a checked type of generated code takes its value before checking it.
    pub fn from_deserializer<'de, D: Deserializer<'de>>(d: D) -> Result<Tree<'de>, D::Error> {
        d.deserialize_any(Lazy)
    }

    /// The same document as a [`Value`].
    pub fn to_value(&self) -> Value {
        match self {
            Tree::Null => Value::Null,
            Tree::Bool(b) => Value::Bool(*b),
            Tree::Number(n) => Value::Number(n.clone()),
            Tree::String(s) => Value::String(s.as_ref().to_owned()),
            Tree::Array(items) => Value::Array(items.iter().map(Tree::to_value).collect()),
            Tree::Object(members) => Value::Object(
                members
                    .iter()
                    .map(|(k, v)| (k.as_ref().to_owned(), v.to_value()))
                    .collect(),
            ),
        }
    }
}

impl Serialize for Tree<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Tree::Null => s.serialize_unit(),
            Tree::Bool(b) => s.serialize_bool(*b),
            Tree::Number(n) => n.serialize(s),
            Tree::String(text) => s.serialize_str(text),
            Tree::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Tree::Object(members) => {
                let mut map = s.serialize_map(Some(members.len()))?;
                for (key, value) in members {
                    map.serialize_entry(key.as_ref(), value)?;
                }
                map.end()
            }
        }
    }
}

/// Reads a typed value out of a [`Tree`] as serde_json reads one out of a `Value` (same
/// visits, same errors), lending the tree's borrowed strings and keys for the text's
/// lifetime: a checked type reads its fields from the tree it checked, so the value is
/// neither parsed twice nor copied into a `Value`.
///
/// Its errors are `serde_json::Error`s; [`TreeDeserializer::for_verdict`] makes one whose
/// errors are [`Refused`], for a read that only asks whether the value fits a type (no
/// message is formatted, and nothing is allocated for it).
#[derive(Debug)]
pub struct TreeDeserializer<'t, 'de, E = serde_json::Error>(&'t Tree<'de>, PhantomData<E>);

impl<E> Clone for TreeDeserializer<'_, '_, E> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<E> Copy for TreeDeserializer<'_, '_, E> {}

impl<'t, 'de> TreeDeserializer<'t, 'de> {
    /// A deserializer over `tree`.
    pub fn new(tree: &'t Tree<'de>) -> Self {
        TreeDeserializer(tree, PhantomData)
    }
}

impl<'t, 'de> TreeDeserializer<'t, 'de, Refused> {
    /// A deserializer over `tree` whose errors carry no message: for a read whose verdict
    /// alone is wanted.
    pub fn for_verdict(tree: &'t Tree<'de>) -> Self {
        TreeDeserializer(tree, PhantomData)
    }
}

/// The error of a read that only asks whether a value fits a type: it keeps no message, so
/// a refusal costs no formatting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused;

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the value does not fit the type")
    }
}

impl std::error::Error for Refused {}

impl de::Error for Refused {
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        Refused
    }
}

impl<'de, E: de::Error> Deserializer<'de> for TreeDeserializer<'_, 'de, E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Tree::Null => visitor.visit_unit(),
            Tree::Bool(b) => visitor.visit_bool(*b),
            // As serde_json's `Number` visits itself (without arbitrary precision).
            Tree::Number(n) => {
                if let Some(u) = n.as_u64() {
                    visitor.visit_u64(u)
                } else if let Some(i) = n.as_i64() {
                    visitor.visit_i64(i)
                } else if let Some(f) = n.as_f64() {
                    visitor.visit_f64(f)
                } else {
                    Err(de::Error::custom("a number out of range"))
                }
            }
            Tree::String(Cow::Borrowed(text)) => visitor.visit_borrowed_str(text),
            Tree::String(Cow::Owned(text)) => visitor.visit_str(text),
            Tree::Array(items) => {
                let mut access = TreeItems(items.iter(), PhantomData);
                let value = visitor.visit_seq(&mut access)?;
                match access.0.len() {
                    0 => Ok(value),
                    _ => Err(de::Error::invalid_length(
                        items.len(),
                        &"fewer elements in array",
                    )),
                }
            }
            Tree::Object(members) => {
                let mut access = TreeMembers {
                    members: members.iter(),
                    value: None,
                    error: PhantomData,
                };
                let value = visitor.visit_map(&mut access)?;
                match access.members.len() {
                    0 => Ok(value),
                    _ => Err(de::Error::invalid_length(
                        members.len(),
                        &"fewer elements in map",
                    )),
                }
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Tree::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        match self.0 {
            Tree::String(Cow::Borrowed(text)) => {
                visitor.visit_enum(de::value::BorrowedStrDeserializer::new(text))
            }
            Tree::String(Cow::Owned(text)) => {
                visitor.visit_enum(de::value::StrDeserializer::new(text))
            }
            _ => self.deserialize_any(visitor),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

/// An array's items, lent one by one.
struct TreeItems<'t, 'de, E>(std::slice::Iter<'t, Tree<'de>>, PhantomData<E>);

impl<'de, E: de::Error> SeqAccess<'de> for TreeItems<'_, 'de, E> {
    type Error = E;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Self::Error> {
        self.0
            .next()
            .map(|item| seed.deserialize(TreeDeserializer::<E>(item, PhantomData)))
            .transpose()
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

/// An object's members, lent one by one.
struct TreeMembers<'t, 'de, E> {
    members: std::slice::Iter<'t, (Cow<'de, str>, Tree<'de>)>,
    value: Option<&'t Tree<'de>>,
    error: PhantomData<E>,
}

impl<'de, E: de::Error> MapAccess<'de> for TreeMembers<'_, 'de, E> {
    type Error = E;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        let Some((key, value)) = self.members.next() else {
            return Ok(None);
        };
        self.value = Some(value);
        match key {
            Cow::Borrowed(key) => seed.deserialize(de::value::BorrowedStrDeserializer::new(key)),
            Cow::Owned(key) => seed.deserialize(de::value::StrDeserializer::new(key)),
        }
        .map(Some)
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        match self.value.take() {
            Some(value) => seed.deserialize(TreeDeserializer::<E>(value, PhantomData)),
            None => Err(de::Error::custom(
                "a map value was asked for before its key",
            )),
        }
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.members.len())
    }
}

/// The members and items read so far of every object and array still open, on two stacks
/// shared by the whole parse: a container takes its own off the top when it closes, in a
/// vector of exactly their number (a vector grown member by member reallocates as it goes,
/// which cost more than the rest of the parse's allocations together).
struct Open<'de> {
    members: Vec<(Cow<'de, str>, Tree<'de>)>,
    items: Vec<Tree<'de>>,
}

thread_local! {
    /// The stacks of the last parse on this thread, empty, kept for the next one: a checked
    /// property of generated code parses a small value, and allocating room for a typical
    /// event each time cost more than the parse (about 200 instructions per value).
    static SCRATCH: std::cell::Cell<Option<Open<'static>>> = const { std::cell::Cell::new(None) };
}

impl<'de> Open<'de> {
    /// Runs `parse` over this thread's scratch stacks (room for a typical event the first
    /// time: growing them member by member cost about 4,000 instructions per corpus event),
    /// and keeps them for the next parse. A parse nested in another (none is today) gets
    /// stacks of its own.
    fn with_scratch<T>(parse: impl FnOnce(&mut Open<'de>) -> T) -> T {
        let kept = SCRATCH.with(std::cell::Cell::take);
        let mut open = match kept {
            Some(kept) => kept.relabel(),
            None => Open {
                members: Vec::with_capacity(32),
                items: Vec::with_capacity(8),
            },
        };
        let out = parse(&mut open);
        // A failed parse leaves what it had read on the stacks.
        open.members.clear();
        open.items.clear();
        SCRATCH.with(|slot| slot.set(Some(open.relabel())));
        out
    }

    /// The same (empty) stacks, for values that borrow from another text. Collecting a
    /// vector's `into_iter` into one of the same layout reuses its buffer, so nothing is
    /// allocated or copied.
    // `filter` would keep the items' lifetime; `filter_map` lets the collect change it.
    #[allow(clippy::unnecessary_filter_map)]
    fn relabel<'b>(mut self) -> Open<'b> {
        self.members.clear();
        self.items.clear();
        Open {
            members: self.members.into_iter().filter_map(|_| None).collect(),
            items: self.items.into_iter().filter_map(|_| None).collect(),
        }
    }
}

struct TreeSeed<'s, 'de>(&'s mut Open<'de>);

impl<'de> DeserializeSeed<'de> for TreeSeed<'_, 'de> {
    type Value = Tree<'de>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Tree<'de>, D::Error> {
        deserializer.deserialize_any(TreeVisitor(self.0))
    }
}

/// A key, borrowed from the text unless it holds escapes.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(KeySeed)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object key")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

/// The visitor of [`Tree::from_deserializer`]: a scalar becomes its leaf as it comes;
/// only an array or an object takes this thread's scratch stacks (`Open::with_scratch`),
/// whose taking and giving back cost more than a scalar's whole read.
struct Lazy;

impl<'de> Visitor<'de> for Lazy {
    type Value = Tree<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Tree<'de>, E> {
        Ok(Tree::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Tree<'de>, E> {
        Ok(Tree::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Tree<'de>, E> {
        Ok(Tree::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Tree<'de>, E> {
        float_leaf(v)
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Tree<'de>, E> {
        Ok(Tree::String(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Tree<'de>, E> {
        Ok(Tree::String(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Tree<'de>, E> {
        Ok(Tree::String(Cow::Owned(v)))
    }
    fn visit_unit<E>(self) -> Result<Tree<'de>, E> {
        Ok(Tree::Null)
    }
    fn visit_none<E>(self) -> Result<Tree<'de>, E> {
        Ok(Tree::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Tree<'de>, D::Error> {
        d.deserialize_any(Lazy)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Tree<'de>, A::Error> {
        Open::with_scratch(|open| TreeVisitor(open).visit_seq(seq))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Tree<'de>, A::Error> {
        Open::with_scratch(|open| TreeVisitor(open).visit_map(map))
    }
}

/// A float's leaf: JSON has no NaN or infinity.
fn float_leaf<'de, E: de::Error>(v: f64) -> Result<Tree<'de>, E> {
    Number::from_f64(v)
        .map(Tree::Number)
        .ok_or_else(|| E::custom("number is not finite"))
}

struct TreeVisitor<'s, 'de>(&'s mut Open<'de>);

impl<'de> Visitor<'de> for TreeVisitor<'_, 'de> {
    type Value = Tree<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    // A scalar is its leaf, as `Lazy` makes it.
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Tree<'de>, E> {
        Lazy.visit_bool(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Tree<'de>, E> {
        Lazy.visit_i64(v)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Tree<'de>, E> {
        Lazy.visit_u64(v)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Tree<'de>, E> {
        Lazy.visit_f64(v)
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Tree<'de>, E> {
        Lazy.visit_borrowed_str(v)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Tree<'de>, E> {
        Lazy.visit_str(v)
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Tree<'de>, E> {
        Lazy.visit_string(v)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Tree<'de>, E> {
        Lazy.visit_unit()
    }
    fn visit_none<E: de::Error>(self) -> Result<Tree<'de>, E> {
        Lazy.visit_none()
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Tree<'de>, D::Error> {
        d.deserialize_any(TreeVisitor(self.0))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Tree<'de>, A::Error> {
        let _nested = Nested::enter()?;
        let open = self.0;
        let start = open.items.len();
        while let Some(item) = seq.next_element_seed(TreeSeed(&mut *open))? {
            open.items.push(item);
        }
        // Exactly their number, copied off the stack (`split_off(0)` would hand over the
        // stack itself and allocate a new one as large).
        Ok(Tree::Array(open.items.drain(start..).collect()))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tree<'de>, A::Error> {
        let _nested = Nested::enter()?;
        let open = self.0;
        let start = open.members.len();
        // Filled only once the object outgrows the linear check.
        let mut seen: std::collections::HashSet<Cow<'de, str>> = std::collections::HashSet::new();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let members = &open.members[start..];
            let duplicate = if members.len() < LINEAR_DUPLICATE_CHECK {
                // Lengths and first bytes first: most keys differ there, and comparing
                // them costs less than a call to compare the bytes.
                let (length, first) = (key.len(), key.as_bytes().first());
                members
                    .iter()
                    .any(|(k, _)| k.len() == length && k.as_bytes().first() == first && *k == key)
            } else {
                if seen.is_empty() {
                    seen.extend(members.iter().map(|(k, _)| k.clone()));
                }
                !seen.insert(key.clone())
            };
            if duplicate {
                // The wording and position of `StrictVisitor`'s error.
                return Err(de::Error::custom(format_args!(
                    "duplicate key {key:?} in one object; send each key once"
                )));
            }
            let value = map.next_value_seed(TreeSeed(&mut *open))?;
            open.members.push((key, value));
        }
        Ok(Tree::Object(open.members.drain(start..).collect()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strict_json::{parse_strict, NestingLimit};
    use proptest::prelude::*;

    #[test]
    fn the_scratch_stacks_are_reused_not_reallocated() {
        let open = Open {
            members: Vec::with_capacity(32),
            items: Vec::with_capacity(8),
        };
        let (members, items) = (open.members.as_ptr() as usize, open.items.as_ptr() as usize);
        let open: Open<'_> = open.relabel();
        assert_eq!(open.members.as_ptr() as usize, members);
        assert_eq!(open.items.as_ptr() as usize, items);
        assert!(open.members.capacity() >= 32 && open.items.capacity() >= 8);
        // A parse leaves them on the thread, empty, with their room, and the next one's
        // result is its own exactly sized vector, not the stack.
        let tree = Tree::parse(r#"{"a": [1, 2, 3], "b": {"c": null}}"#).expect("valid JSON");
        let kept = SCRATCH
            .with(std::cell::Cell::take)
            .expect("the stacks are kept");
        assert!(kept.members.is_empty() && kept.items.is_empty());
        assert!(kept.members.capacity() >= 32 && kept.items.capacity() >= 8);
        match &tree {
            Tree::Object(members) => {
                assert_eq!(members.len(), 2);
                assert_eq!(members.capacity(), 2);
            }
            other => panic!("not an object: {other:?}"),
        }
        SCRATCH.with(|slot| slot.set(Some(kept)));
    }

    /// Both parsers' verdicts and messages, and the documents they build.
    fn same_as_strict(text: &str) {
        let strict = parse_strict(text).map_err(|e| e.to_string());
        let tree = Tree::parse(text).map_err(|e| e.to_string());
        match (&strict, &tree) {
            (Ok(value), Ok(tree)) => {
                assert_eq!(&tree.to_value(), value, "{text}");
                assert_eq!(
                    serde_json::to_string(tree).unwrap(),
                    serde_json::to_string(value).unwrap(),
                    "{text}"
                );
            }
            (Err(a), Err(b)) => assert_eq!(a, b, "{text}"),
            _ => panic!("{text}: strict {strict:?}, tree {tree:?}"),
        }
    }

    #[test]
    fn parses_as_the_strict_parser_does() {
        for text in [
            r#"{"a":1,"b":[true,null,-2,3.5e3,"x\u00e9\"y"],"c":{"d":"e"}}"#,
            r#"{"a":1,"a":2}"#,
            r#"{"a\u0062":1,"ab":2}"#,
            r#"{"a":{"b":1,"b":2}}"#,
            r#"[1,2,]"#,
            r#"{"a":1} x"#,
            r#"{"a":[{"b":1,"c":[2,3]},{"d":{}}],"e":[[],[{}],[[1],{"x":[]}]],"f":1}"#,
            r#"{"a":[{"b":1,"b":2}],"c":3}"#,
            r#"[{"a":[1,{"b":[2]}]},[3,[4,{"c":5}]],6]"#,
            r#"{"a":1e400}"#,
            r#"18446744073709551616"#,
            r#""\ud800""#,
            "\"tab\there\"",
            "",
            "  ",
            r#"{"a":"#,
        ] {
            same_as_strict(text);
        }
    }

    #[test]
    fn duplicates_are_found_in_large_objects_too() {
        let members: Vec<String> = (0..40).map(|i| format!("\"k{i}\":{i}")).collect();
        let unique = format!("{{{}}}", members.join(","));
        same_as_strict(&unique);
        assert!(Tree::parse(&unique).is_ok());
        for at in [1, 15, 16, 17, 39] {
            let text = format!("{{{},\"k{at}\":0}}", members.join(","));
            same_as_strict(&text);
            let error = Tree::parse(&text).unwrap_err().to_string();
            assert!(
                error.starts_with(&format!("duplicate key \"k{at}\"")),
                "{error}"
            );
        }
    }

    #[test]
    fn nesting_is_counted_against_the_limit() {
        let _limit = NestingLimit::set(3);
        assert!(Tree::parse("[[[]]]").is_ok());
        let error = Tree::parse("[[[[]]]]").unwrap_err().to_string();
        assert!(error.starts_with("nesting deeper than 3 levels"), "{error}");
        assert_eq!(
            error,
            parse_strict("[[[[]]]]").unwrap_err().to_string(),
            "the strict parser words it the same"
        );
    }

    #[test]
    fn unescaped_strings_and_keys_are_borrowed() {
        let text = r#"{"plain":"text","esc\u0061ped":"a\nb"}"#;
        let Tree::Object(members) = Tree::parse(text).unwrap() else {
            panic!("not an object")
        };
        assert!(matches!(members[0].0, Cow::Borrowed("plain")));
        assert!(matches!(members[0].1, Tree::String(Cow::Borrowed("text"))));
        assert!(matches!(&members[1].0, Cow::Owned(k) if k == "escaped"));
        assert!(matches!(&members[1].1, Tree::String(Cow::Owned(s)) if s == "a\nb"));
    }

    #[test]
    fn a_value_read_from_the_tree_is_the_tree_as_a_value() {
        use serde::Deserialize;
        let text = r#"{"a":[1,-2,3.5,true,null,"x\u00e9"],"b":{"c":{}},"d":"plain"}"#;
        let tree = Tree::parse(text).unwrap();
        let read = Value::deserialize(TreeDeserializer::new(&tree)).unwrap();
        assert_eq!(read, tree.to_value());
        assert_eq!(read, serde_json::from_str::<Value>(text).unwrap());
        // Borrowed strings and keys are lent for the text's lifetime.
        let borrowed: std::collections::BTreeMap<&str, &str> =
            Deserialize::deserialize(TreeDeserializer::new(&Tree::parse(r#"{"k":"v"}"#).unwrap()))
                .unwrap();
        assert_eq!(borrowed.get("k"), Some(&"v"));
    }

    #[test]
    fn reading_from_the_tree_fails_as_reading_from_a_value_fails() {
        use serde::Deserialize;
        for (text, what) in [
            (r#"{"a":1}"#, "a string"),
            ("[1]", "a map"),
            ("\"x\"", "u64"),
        ] {
            let tree = Tree::parse(text).unwrap();
            let value: Value = serde_json::from_str(text).unwrap();
            let (from_tree, from_value) = match what {
                "a string" => (
                    String::deserialize(TreeDeserializer::new(&tree)).unwrap_err(),
                    String::deserialize(&value).unwrap_err(),
                ),
                "a map" => (
                    std::collections::BTreeMap::<String, u64>::deserialize(TreeDeserializer::new(
                        &tree,
                    ))
                    .unwrap_err(),
                    std::collections::BTreeMap::<String, u64>::deserialize(&value).unwrap_err(),
                ),
                _ => (
                    u64::deserialize(TreeDeserializer::new(&tree)).unwrap_err(),
                    u64::deserialize(&value).unwrap_err(),
                ),
            };
            assert_eq!(from_tree.to_string(), from_value.to_string(), "{text}");
        }
        let tree = Tree::parse("null").unwrap();
        assert_eq!(
            Option::<u64>::deserialize(TreeDeserializer::new(&tree)).unwrap(),
            None
        );
    }

    /// A read for its verdict alone gives the verdict the worded read gives, for every
    /// JSON type and the typed shapes generated code reads (numbers of each width, strings,
    /// maps, sequences, options).
    #[test]
    fn a_read_for_its_verdict_agrees_with_the_worded_read() {
        use serde::Deserialize;
        use std::collections::BTreeMap;
        fn same<T: for<'de> Deserialize<'de> + PartialEq + std::fmt::Debug>(tree: &Tree<'_>) {
            let worded = T::deserialize(TreeDeserializer::new(tree));
            let verdict = T::deserialize(TreeDeserializer::for_verdict(tree));
            assert_eq!(worded.ok(), verdict.ok(), "{}", tree.to_value());
        }
        for text in [
            "null",
            "true",
            "0",
            "-1",
            "7.0",
            "2.5",
            "1e400",
            "18446744073709551615",
            "\"ab\"",
            "[]",
            "[1, 2]",
            "[1, \"a\"]",
            r#"{"a": 1}"#,
            r#"{"a": "b"}"#,
            "{}",
        ] {
            let Ok(tree) = Tree::parse(text) else {
                continue;
            };
            same::<u64>(&tree);
            same::<i64>(&tree);
            same::<f64>(&tree);
            same::<bool>(&tree);
            same::<String>(&tree);
            same::<Option<u64>>(&tree);
            same::<Vec<u64>>(&tree);
            same::<BTreeMap<String, u64>>(&tree);
            same::<Value>(&tree);
        }
        let refused = u64::deserialize(TreeDeserializer::for_verdict(&Tree::parse("-1").unwrap()));
        assert_eq!(refused, Err(Refused));
    }

    /// JSON text from a small grammar, with duplicate keys, escapes and odd numbers likely.
    fn json_text() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            Just("null".to_owned()),
            Just("true".to_owned()),
            "-?[0-9]{1,3}(\\.[0-9]{1,3})?([eE][+-]?[0-9]{1,3})?",
            "\"[a-c\\\\\"é/]{0,4}\"",
            Just("\"\\u00e9\\n\"".to_owned()),
        ];
        leaf.prop_recursive(4, 32, 5, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5)
                    .prop_map(|items| format!("[{}]", items.join(","))),
                prop::collection::vec(("[ab]{1,2}", inner), 0..5).prop_map(|members| {
                    let members: Vec<String> = members
                        .into_iter()
                        .map(|(k, v)| format!("\"{k}\":{v}"))
                        .collect();
                    format!("{{{}}}", members.join(","))
                }),
            ]
        })
    }

    proptest! {
        #[test]
        fn any_text_parses_as_the_strict_parser_parses_it(text in json_text()) {
            same_as_strict(&text);
        }
    }
}
