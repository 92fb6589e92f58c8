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
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let mut open = Open {
            members: Vec::with_capacity(32),
            items: Vec::with_capacity(8),
        };
        let tree = TreeSeed(&mut open).deserialize(&mut deserializer)?;
        deserializer.end()?;
        Ok(tree)
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

/// The members and items read so far of every object and array still open, on two stacks
/// shared by the whole parse: a container takes its own off the top when it closes, in a
/// vector of exactly their number (a vector grown member by member reallocates as it goes,
/// which cost more than the rest of the parse's allocations together).
struct Open<'de> {
    members: Vec<(Cow<'de, str>, Tree<'de>)>,
    items: Vec<Tree<'de>>,
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

struct TreeVisitor<'s, 'de>(&'s mut Open<'de>);

impl<'de> Visitor<'de> for TreeVisitor<'_, 'de> {
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
        Number::from_f64(v)
            .map(Tree::Number)
            .ok_or_else(|| E::custom("number is not finite"))
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
        d.deserialize_any(TreeVisitor(self.0))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Tree<'de>, A::Error> {
        let _nested = Nested::enter()?;
        let open = self.0;
        let start = open.items.len();
        while let Some(item) = seq.next_element_seed(TreeSeed(&mut *open))? {
            open.items.push(item);
        }
        Ok(Tree::Array(open.items.split_off(start)))
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
                members.iter().any(|(k, _)| *k == key)
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
        Ok(Tree::Object(open.members.split_off(start)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strict_json::{parse_strict, NestingLimit};
    use proptest::prelude::*;

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
