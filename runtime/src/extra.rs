//! [`Extra`]: what a decoded object held beyond its typed fields.

use std::borrow::Cow;

use serde_json::{Map, Value};

/// Everything decode saw in one JSON object that the typed fields do not hold: the
/// properties the schema does not declare (the schemas leave objects open), and the
/// original spelling of values whose Rust type would normalise them (an upper-case
/// UUID, a timestamp with an offset, an integer written as `5.0`).
///
/// `encode` writes both back, so `encode(decode(x))` equals `x` as a JSON value and a
/// service that forwards, stores or upcasts an event loses nothing. Equality ignores
/// spellings: two events that differ only in how a UUID is cased are equal.
#[derive(Debug, Clone, Default)]
pub struct Extra {
    unknown: Map<String, Value>,
    /// Each spelling under its property's name: a declared property's name is the
    /// generated type's `&'static str`, so keeping a spelling copies no name.
    forms: Vec<(Cow<'static, str>, Value)>,
}

impl PartialEq for Extra {
    fn eq(&self, other: &Self) -> bool {
        self.unknown == other.unknown
    }
}

impl Extra {
    /// An empty `Extra`: no unknown properties, no spellings to keep.
    pub fn new() -> Self {
        Extra::default()
    }

    /// The properties the schema does not declare, in the order they were read.
    pub fn unknown(&self) -> &Map<String, Value> {
        &self.unknown
    }

    /// Mutable access to the undeclared properties, e.g. to add one before encoding.
    pub fn unknown_mut(&mut self) -> &mut Map<String, Value> {
        &mut self.unknown
    }

    /// Whether there is nothing beyond the typed fields.
    pub fn is_empty(&self) -> bool {
        self.unknown.is_empty() && self.forms.is_empty()
    }

    /// Forgets the original spellings, so `encode` writes every value in its canonical form.
    pub fn clear_spellings(&mut self) {
        self.forms.clear();
    }

    /// Takes the original spelling recorded for `key`, if any.
    #[doc(hidden)]
    pub fn take_form(&mut self, key: &str) -> Option<Value> {
        let index = self.forms.iter().position(|(k, _)| &**k == key)?;
        Some(self.forms.swap_remove(index).1)
    }

    #[doc(hidden)]
    pub fn form(&self, key: &str) -> Option<&Value> {
        self.forms.iter().find(|(k, _)| &**k == key).map(|(_, v)| v)
    }

    #[doc(hidden)]
    pub fn set_form(&mut self, key: &str, form: Value) {
        match self.forms.iter_mut().find(|(k, _)| &**k == key) {
            Some(slot) => slot.1 = form,
            None => self.forms.push((Cow::Owned(key.to_owned()), form)),
        }
    }

    /// [`set_form`](Self::set_form) for a declared property, whose name lives as long as
    /// the program: the name is kept, not copied.
    #[doc(hidden)]
    pub fn set_declared_form(&mut self, key: &'static str, form: Value) {
        match self.forms.iter_mut().find(|(k, _)| &**k == key) {
            Some(slot) => slot.1 = form,
            None => self.forms.push((Cow::Borrowed(key), form)),
        }
    }

    /// Adds an undeclared property read from input; a second one of the same name is an error.
    #[doc(hidden)]
    pub fn insert_unknown(&mut self, key: String, value: Value) -> Result<(), String> {
        if self.unknown.contains_key(&key) {
            return Err(format!(
                "duplicate key {key:?} in one object; send each key once"
            ));
        }
        self.unknown.insert(key, value);
        Ok(())
    }
}
