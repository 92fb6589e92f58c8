//! [`Extra`]: what a decoded object held beyond its typed fields.

use std::borrow::Cow;
use std::sync::LazyLock;

use serde_json::{Map, Value};
use smallvec::SmallVec;

/// Everything decode saw in one JSON object that the typed fields do not hold: the
/// properties the schema does not declare (the schemas leave objects open), and the
/// original spelling of values whose Rust type would normalise them (an upper-case
/// UUID, a timestamp with an offset, an integer written as `5.0`).
///
/// `encode` writes both back, so `encode(decode(x))` equals `x` as a JSON value and a
/// service that forwards, stores or upcasts an event loses nothing. Equality ignores
/// spellings: two events that differ only in how a UUID is cased are equal.
///
/// Every generated struct has one, and most objects have nothing beyond their fields: an
/// empty `Extra` is one null pointer, so it costs a struct 8 bytes (not the 96 of the two
/// collections), and nothing to create, move or drop.
#[derive(Debug, Clone, Default)]
pub struct Extra(Option<Box<Held>>);

/// What an `Extra` holds once it holds anything.
#[derive(Debug, Clone, Default)]
struct Held {
    unknown: Map<String, Value>,
    /// Each spelling under its property's name: a declared property's name is the
    /// generated type's `&'static str`, so keeping a spelling copies no name. The first
    /// is held in place: most objects that keep a spelling keep one (a timestamp written
    /// with milliseconds), and a vector of its own cost an allocation per object.
    forms: SmallVec<[(Cow<'static, str>, Value); 1]>,
}

/// The undeclared properties of an `Extra` that has none.
static NO_UNKNOWN: LazyLock<Map<String, Value>> = LazyLock::new(Map::new);

impl PartialEq for Extra {
    fn eq(&self, other: &Self) -> bool {
        self.unknown() == other.unknown()
    }
}

impl Extra {
    /// An empty `Extra`: no unknown properties, no spellings to keep.
    pub fn new() -> Self {
        Extra::default()
    }

    /// What this holds, made when first needed.
    fn held(&mut self) -> &mut Held {
        self.0.get_or_insert_with(Box::default)
    }

    /// The properties the schema does not declare, in the order they were read.
    pub fn unknown(&self) -> &Map<String, Value> {
        match &self.0 {
            Some(held) => &held.unknown,
            None => &NO_UNKNOWN,
        }
    }

    /// Mutable access to the undeclared properties, e.g. to add one before encoding.
    pub fn unknown_mut(&mut self) -> &mut Map<String, Value> {
        &mut self.held().unknown
    }

    /// Whether there is nothing beyond the typed fields.
    pub fn is_empty(&self) -> bool {
        self.0
            .as_ref()
            .is_none_or(|held| held.unknown.is_empty() && held.forms.is_empty())
    }

    /// Forgets the original spellings, so `encode` writes every value in its canonical form.
    pub fn clear_spellings(&mut self) {
        if let Some(held) = &mut self.0 {
            held.forms.clear();
        }
    }

    /// Takes the original spelling recorded for `key`, if any.
    #[doc(hidden)]
    pub fn take_form(&mut self, key: &str) -> Option<Value> {
        let forms = &mut self.0.as_mut()?.forms;
        let index = forms.iter().position(|(k, _)| &**k == key)?;
        Some(forms.swap_remove(index).1)
    }

    #[doc(hidden)]
    pub fn form(&self, key: &str) -> Option<&Value> {
        self.0
            .as_ref()?
            .forms
            .iter()
            .find(|(k, _)| &**k == key)
            .map(|(_, v)| v)
    }

    #[doc(hidden)]
    pub fn set_form(&mut self, key: &str, form: Value) {
        let forms = &mut self.held().forms;
        match forms.iter_mut().find(|(k, _)| &**k == key) {
            Some(slot) => slot.1 = form,
            None => forms.push((Cow::Owned(key.to_owned()), form)),
        }
    }

    /// [`set_form`](Self::set_form) for a declared property, whose name lives as long as
    /// the program: the name is kept, not copied.
    #[doc(hidden)]
    pub fn set_declared_form(&mut self, key: &'static str, form: Value) {
        let forms = &mut self.held().forms;
        match forms.iter_mut().find(|(k, _)| &**k == key) {
            Some(slot) => slot.1 = form,
            None => forms.push((Cow::Borrowed(key), form)),
        }
    }

    /// Adds an undeclared property read from input; a second one of the same name is an error.
    #[doc(hidden)]
    pub fn insert_unknown(&mut self, key: String, value: Value) -> Result<(), String> {
        let unknown = &mut self.held().unknown;
        if unknown.contains_key(&key) {
            return Err(format!(
                "duplicate key {key:?} in one object; send each key once"
            ));
        }
        unknown.insert(key, value);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_extra_is_one_pointer_and_holds_nothing() {
        assert_eq!(std::mem::size_of::<Extra>(), std::mem::size_of::<usize>());
        let mut extra = Extra::new();
        assert!(extra.is_empty());
        assert!(extra.unknown().is_empty());
        assert_eq!(extra.form("a"), None);
        assert_eq!(extra.take_form("a"), None);
        extra.clear_spellings();
        assert!(extra.0.is_none(), "reading and clearing make nothing");
        assert_eq!(extra, Extra::new());
    }

    #[test]
    fn spellings_and_unknown_properties_are_kept_and_compared_as_before() {
        let mut extra = Extra::new();
        extra.set_declared_form("price", Value::from(5));
        extra.set_form("price", Value::from(6));
        assert_eq!(extra.form("price"), Some(&Value::from(6)));
        assert!(!extra.is_empty());
        // Spellings do not count for equality.
        assert_eq!(extra, Extra::new());
        assert_eq!(extra.insert_unknown("x".to_owned(), Value::Null), Ok(()));
        assert_eq!(
            extra.insert_unknown("x".to_owned(), Value::Null),
            Err("duplicate key \"x\" in one object; send each key once".to_owned())
        );
        assert_ne!(extra, Extra::new());
        assert_eq!(extra.take_form("price"), Some(Value::from(6)));
        assert_eq!(extra.form("price"), None);
        extra.unknown_mut().remove("x");
        assert!(extra.is_empty());
    }
}
