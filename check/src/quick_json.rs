//! A JSON reader for the paths that only need a verdict: it accepts a subset of what
//! `serde_json::Deserializer` accepts, hands every visitor exactly the calls serde_json
//! would make for that text, and refuses everything else with [`Refused`], which carries no
//! message.
//!
//! `decode`'s fast path reads a valid event straight into its generated type, and
//! [`crate::tree::Tree::parse`] reads an event whose typed read failed. Neither reports the
//! error of a refusal: `decode` then takes its slow path, and the tree is parsed again by
//! serde_json, whose message and position are what the caller reports. So the reader must
//! never accept what serde_json refuses, nor visit differently, and may refuse what
//! serde_json accepts (it costs a second read, not a wrong answer).
//!
//! What it reads itself: whitespace, `null`, `true`, `false`, strings without escapes
//! (borrowed from the text, as serde_json lends them), integers of at most 18 digits,
//! arrays and objects, nested at most as deep as serde_json allows. What it hands to
//! serde_json, on the token alone: a string with escapes and every other number (fractions,
//! exponents, long integers, `-0`), so those are read by serde_json's own code. What it
//! refuses: every syntax error, a struct or an enum written as an array or an object, and
//! bytes.
//!
//! Why: serde_json's `Deserializer` builds a message and a position for every error, and its
//! reads of keys and strings go through a scratch buffer and a `Reference`; this reader
//! skips both. A valid product event cost `decode` 1,750 fewer instructions with it (20,308
//! to 18,558) and an invalid one 5,660 fewer (docs/PERFORMANCE.md, "A ninth step").

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::tree::Refused;

/// How deep arrays and objects may nest before serde_json refuses the text
/// (its `remaining_depth` starts at 128 and refuses when it reaches zero).
const SERDE_JSON_DEPTH: u8 = 128;

/// The reader over one text. Read a value with any `Deserialize` type, then call
/// [`QuickReader::end`], as with `serde_json::Deserializer`.
#[derive(Debug)]
pub struct QuickReader<'de> {
    text: &'de str,
    at: usize,
    remaining_depth: u8,
}

/// A string read from the text: borrowed when it has no escapes, as serde_json lends it.
enum Text<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl<'de> QuickReader<'de> {
    /// A reader at the start of `text`.
    pub fn new(text: &'de str) -> Self {
        QuickReader {
            text,
            at: 0,
            remaining_depth: SERDE_JSON_DEPTH,
        }
    }

    /// Refuses anything but whitespace after the value read.
    pub fn end(&mut self) -> Result<(), Refused> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(Refused),
        }
    }

    /// The next byte that is not whitespace (JSON's four), without taking it.
    #[inline]
    fn peek(&mut self) -> Option<u8> {
        let bytes = self.text.as_bytes();
        while let Some(&b) = bytes.get(self.at) {
            match b {
                b' ' | b'\n' | b'\t' | b'\r' => self.at += 1,
                _ => return Some(b),
            }
        }
        None
    }

    /// Takes `byte` after whitespace, or refuses.
    #[inline]
    fn expect(&mut self, byte: u8) -> Result<(), Refused> {
        if self.peek() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(Refused)
        }
    }

    /// Takes the literal `word` (`null`, `true`, `false`) at the current byte.
    #[inline]
    fn literal(&mut self, word: &[u8]) -> Result<(), Refused> {
        let end = self.at + word.len();
        if self.text.as_bytes().get(self.at..end) == Some(word) {
            self.at = end;
            Ok(())
        } else {
            Err(Refused)
        }
    }

    /// Reads the string that starts at the current byte (a `"`).
    #[inline]
    fn string(&mut self) -> Result<Text<'de>, Refused> {
        let bytes = self.text.as_bytes();
        let start = self.at + 1;
        let mut at = start;
        // Eight bytes at a time while eight remain, then one at a time.
        while let Some(chunk) = bytes.get(at..at + 8) {
            let word = u64::from_le_bytes(chunk.try_into().map_err(|_| Refused)?);
            let found = special(word);
            if found != 0 {
                return self.string_to(start, at + (found.trailing_zeros() / 8) as usize);
            }
            at += 8;
        }
        while let Some(&b) = bytes.get(at) {
            if b == b'"' || b == b'\\' || b < 0x20 {
                return self.string_to(start, at);
            }
            at += 1;
        }
        Err(Refused)
    }

    /// The string from `start` to the first special byte, at `stop`.
    #[inline]
    fn string_to(&mut self, start: usize, stop: usize) -> Result<Text<'de>, Refused> {
        let text = self.text;
        let bytes = text.as_bytes();
        match bytes.get(stop) {
            Some(b'"') => {
                self.at = stop + 1;
                // A `"` is one byte, so both ends are on character boundaries.
                text.get(start..stop).map(Text::Borrowed).ok_or(Refused)
            }
            Some(b'\\') => {
                // Find the closing quote, stepping over each escape's first two bytes, and
                // let serde_json unescape the token: its rules, its surrogate handling.
                let mut end = stop;
                loop {
                    match bytes.get(end) {
                        Some(b'\\') => end += 2,
                        Some(b'"') => break,
                        Some(_) => end += 1,
                        None => return Err(Refused),
                    }
                }
                let token = text.get(start - 1..=end).ok_or(Refused)?;
                let unescaped: String = serde_json::from_str(token).map_err(|_| Refused)?;
                self.at = end + 1;
                Ok(Text::Owned(unescaped))
            }
            // A control character, which JSON strings may not hold raw.
            _ => Err(Refused),
        }
    }

    /// Reads the number that starts at the current byte, visiting as serde_json does.
    fn number<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, Refused> {
        let bytes = self.text.as_bytes();
        let start = self.at;
        let negative = bytes.get(start) == Some(&b'-');
        let digits_start = start + usize::from(negative);
        let mut end = digits_start;
        let mut value: u64 = 0;
        while let Some(&b) = bytes.get(end) {
            if !b.is_ascii_digit() {
                break;
            }
            value = value.wrapping_mul(10).wrapping_add(u64::from(b - b'0'));
            end += 1;
        }
        let digits = end - digits_start;
        let plain_end = !matches!(bytes.get(end), Some(b'.' | b'e' | b'E'));
        let leading_zero = digits > 1 && bytes[digits_start] == b'0';
        if plain_end && (1..=18).contains(&digits) && !leading_zero && !(negative && value == 0) {
            self.at = end;
            return if negative {
                // At most 18 digits, so it fits an i64 and its negation does too.
                visitor.visit_i64(-(value as i64))
            } else {
                visitor.visit_u64(value)
            };
        }
        // Fractions, exponents, long integers and `-0`: serde_json reads the token with
        // its own code. The token runs over every byte a JSON number may hold; what
        // serde_json does not take of it is refused by `end`.
        while let Some(&b) = bytes.get(end) {
            if !matches!(b, b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-') {
                break;
            }
            end += 1;
        }
        let token = self.text.get(start..end).ok_or(Refused)?;
        let mut inner = serde_json::Deserializer::from_str(token);
        let value = inner.deserialize_any(visitor).map_err(|_| Refused)?;
        inner.end().map_err(|_| Refused)?;
        self.at = end;
        Ok(value)
    }

    /// Enters an array or object, as deep as serde_json allows.
    #[inline]
    fn descend(&mut self) -> Result<(), Refused> {
        // serde_json refuses when its count reaches zero; this refuses before it would,
        // leaving the count as it was, so that a visitor that went on after a refusal
        // could not wrap it.
        if self.remaining_depth <= 1 {
            return Err(Refused);
        }
        self.remaining_depth -= 1;
        Ok(())
    }

    fn seq<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, Refused> {
        self.at += 1;
        self.descend()?;
        let value = visitor.visit_seq(Items {
            reader: self,
            first: true,
        });
        self.remaining_depth += 1;
        let value = value?;
        self.expect(b']')?;
        Ok(value)
    }

    fn map<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, Refused> {
        self.at += 1;
        self.descend()?;
        let value = visitor.visit_map(Members {
            reader: self,
            first: true,
        });
        self.remaining_depth += 1;
        let value = value?;
        self.expect(b'}')?;
        Ok(value)
    }
}

/// The bytes of `word` (eight bytes of text, the first lowest) that are `"`, `\\` or a
/// control character, each flagged by its high bit. A borrow can flag a byte above a true
/// match but never below one, so the lowest flag is the first such byte.
#[inline]
fn special(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let quote = word ^ (ONES * u64::from(b'"'));
    let backslash = word ^ (ONES * u64::from(b'\\'));
    ((quote.wrapping_sub(ONES) & !quote)
        | (backslash.wrapping_sub(ONES) & !backslash)
        | (word.wrapping_sub(ONES * 0x20) & !word))
        & HIGH
}

struct Items<'r, 'de> {
    reader: &'r mut QuickReader<'de>,
    first: bool,
}

impl<'de> SeqAccess<'de> for Items<'_, 'de> {
    type Error = Refused;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Refused> {
        match self.reader.peek() {
            Some(b']') => return Ok(None),
            Some(b',') if !self.first => {
                self.reader.at += 1;
                // A trailing comma is refused by the value read after it.
            }
            Some(_) if self.first => self.first = false,
            _ => return Err(Refused),
        }
        seed.deserialize(&mut *self.reader).map(Some)
    }
}

struct Members<'r, 'de> {
    reader: &'r mut QuickReader<'de>,
    first: bool,
}

impl<'de> MapAccess<'de> for Members<'_, 'de> {
    type Error = Refused;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Refused> {
        match self.reader.peek() {
            Some(b'}') => return Ok(None),
            Some(b',') if !self.first => {
                self.reader.at += 1;
                if self.reader.peek() != Some(b'"') {
                    return Err(Refused);
                }
            }
            Some(b'"') if self.first => self.first = false,
            _ => return Err(Refused),
        }
        let key = self.reader.string()?;
        seed.deserialize(Key(key)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Refused> {
        self.reader.expect(b':')?;
        seed.deserialize(&mut *self.reader)
    }
}

/// `Deserializer` methods that take only a visitor and refuse.
macro_rules! refuse {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Refused> {
                Err(Refused)
            }
        )*
    };
}

/// `Deserializer` methods for number types, each read as [`deserialize_f64`] reads any
/// number.
///
/// [`deserialize_f64`]: Deserializer::deserialize_f64
macro_rules! as_number {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
                self.deserialize_f64(visitor)
            }
        )*
    };
}

/// A member's name, which every read takes as a string (serde_json would also parse it as a
/// number or a bool for a key of that type; this reader refuses those, so they take the
/// slow path).
struct Key<'de>(Text<'de>);

impl<'de> Deserializer<'de> for Key<'de> {
    type Error = Refused;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        match self.0 {
            Text::Borrowed(text) => visitor.visit_borrowed_str(text),
            Text::Owned(text) => visitor.visit_str(&text),
        }
    }

    serde::forward_to_deserialize_any! {
        str string identifier
    }

    refuse! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_f32
        deserialize_f64 deserialize_char deserialize_bytes deserialize_byte_buf
        deserialize_option deserialize_unit deserialize_seq deserialize_map
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: V,
    ) -> Result<V::Value, Refused> {
        Err(Refused)
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: V,
    ) -> Result<V::Value, Refused> {
        Err(Refused)
    }
    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value, Refused> {
        Err(Refused)
    }
    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        _: V,
    ) -> Result<V::Value, Refused> {
        Err(Refused)
    }
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Refused> {
        Err(Refused)
    }
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Refused> {
        Err(Refused)
    }
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        visitor.visit_unit()
    }
}

impl<'de> Deserializer<'de> for &mut QuickReader<'de> {
    type Error = Refused;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        match self.peek().ok_or(Refused)? {
            b'n' => {
                self.literal(b"null")?;
                visitor.visit_unit()
            }
            b't' => {
                self.literal(b"true")?;
                visitor.visit_bool(true)
            }
            b'f' => {
                self.literal(b"false")?;
                visitor.visit_bool(false)
            }
            b'"' => match self.string()? {
                Text::Borrowed(text) => visitor.visit_borrowed_str(text),
                Text::Owned(text) => visitor.visit_str(&text),
            },
            b'-' | b'0'..=b'9' => self.number(visitor),
            b'[' => self.seq(visitor),
            b'{' => self.map(visitor),
            _ => Err(Refused),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        match self.peek() {
            Some(b't' | b'f') => self.deserialize_any(visitor),
            _ => Err(Refused),
        }
    }

    as_number! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_u8
        deserialize_u16 deserialize_u32 deserialize_u64 deserialize_f32
    }

    /// Every number type, as serde_json reads them: the number as it is written, visited
    /// as `u64`, `i64` or `f64`, for the visitor to take or refuse.
    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        match self.peek() {
            Some(b'-' | b'0'..=b'9') => self.number(visitor),
            _ => Err(Refused),
        }
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        self.deserialize_str(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        match self.peek() {
            Some(b'"') => self.deserialize_any(visitor),
            _ => Err(Refused),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        self.deserialize_str(visitor)
    }

    /// Bytes are read from strings or arrays by serde_json; nothing generated reads them,
    /// so they are refused and read by serde_json on the slow path.
    fn deserialize_bytes<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Refused> {
        Err(Refused)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Refused> {
        Err(Refused)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        match self.peek() {
            Some(b'n') => {
                self.literal(b"null")?;
                visitor.visit_none()
            }
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        match self.peek() {
            Some(b'n') => self.deserialize_any(visitor),
            _ => Err(Refused),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, Refused> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, Refused> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        match self.peek() {
            Some(b'[') => self.seq(visitor),
            _ => Err(Refused),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, Refused> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        visitor: V,
    ) -> Result<V::Value, Refused> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        match self.peek() {
            Some(b'{') => self.map(visitor),
            _ => Err(Refused),
        }
    }

    /// A struct written as an object. serde_json also reads one written as an array;
    /// this reader refuses that, and the slow path reads it.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Refused> {
        self.deserialize_map(visitor)
    }

    /// A unit variant written as a string. serde_json also reads `{"Variant": value}`;
    /// this reader refuses that, and the slow path reads it.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Refused> {
        match self.peek() {
            Some(b'"') => match self.string()? {
                Text::Borrowed(text) => {
                    visitor.visit_enum(de::value::BorrowedStrDeserializer::<Refused>::new(text))
                }
                Text::Owned(text) => {
                    visitor.visit_enum(de::value::StrDeserializer::<Refused>::new(&text))
                }
            },
            _ => Err(Refused),
        }
    }

    /// A value read and dropped, checked as strictly as one that is kept.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        self.deserialize_any(visitor)
    }
}
