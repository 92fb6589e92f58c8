//! Strict JSON parsing shared by the build (schemas) and the runtime (events).
//!
//! `serde_json::Value` keeps the last of two equal keys and says nothing. An
//! ambiguous payload is an attack vector (two readers may pick different
//! values), so both the schema loader and `decode` reject duplicate keys here.
//! Nesting depth is bounded by serde_json's recursion limit (128), which turns
//! deep input into an error instead of a stack overflow.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::map::Entry;
use serde_json::{Map, Value};

thread_local! {
    /// (current nesting, limit) of the read in progress on this thread.
    static NESTING: Cell<(usize, usize)> = const { Cell::new((0, usize::MAX)) };
}

/// Bounds the nesting of every object and array read on this thread while it lives,
/// counted as a depth scan counts brackets (the outermost object is level 1). Without a
/// guard there is no bound but serde_json's own recursion limit.
pub struct NestingLimit((usize, usize));

impl NestingLimit {
    /// Starts counting from zero under `limit`.
    pub fn set(limit: usize) -> Self {
        NestingLimit(NESTING.with(|n| n.replace((0, limit))))
    }
}

impl Drop for NestingLimit {
    fn drop(&mut self) {
        NESTING.with(|n| n.set(self.0));
    }
}

/// One level of nesting, entered by every visitor that reads an object or an array.
pub struct Nested(());

impl Nested {
    /// Enters a level; an error when that passes the thread's [`NestingLimit`].
    #[inline]
    pub fn enter<E: de::Error>() -> Result<Nested, E> {
        NESTING.with(|n| {
            let (depth, limit) = n.get();
            if depth >= limit {
                return Err(E::custom(format_args!(
                    "nesting deeper than {limit} levels"
                )));
            }
            n.set((depth + 1, limit));
            Ok(Nested(()))
        })
    }
}

impl Drop for Nested {
    #[inline]
    fn drop(&mut self) {
        NESTING.with(|n| {
            let (depth, limit) = n.get();
            n.set((depth.saturating_sub(1), limit));
        });
    }
}

/// Builds a [`Value`], failing on the first duplicate key.
pub struct StrictVisitor;

impl<'de> DeserializeSeed<'de> for StrictVisitor {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(StrictVisitor)
    }
}

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("number is not finite"))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(StrictVisitor)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let _nested = Nested::enter()?;
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element_seed(StrictVisitor)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let _nested = Nested::enter()?;
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            // One lookup per key: the entry API hashes the key once for both the
            // duplicate check and the insert.
            match object.entry(key) {
                Entry::Occupied(first) => {
                    return Err(de::Error::custom(format_args!(
                        "duplicate key {:?} in one object; send each key once",
                        first.key()
                    )));
                }
                Entry::Vacant(slot) => {
                    slot.insert(map.next_value_seed(StrictVisitor)?);
                }
            }
        }
        Ok(Value::Object(object))
    }
}

/// Parses JSON text into a [`Value`], rejecting duplicate keys and trailing data.
///
/// It takes `&str`, already known to be UTF-8, so that serde_json does not validate
/// every string a second time (its slice reader does).
pub fn parse_strict(text: &str) -> Result<Value, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = StrictVisitor.deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}
