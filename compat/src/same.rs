//! Whether two schema positions are written the same, `$ref`s followed: then nothing below
//! them can differ, and the walk skips them (an unchanged part of a large schema costs one
//! pass over its JSON, and an unchanged union is never expanded into alternatives).

use std::collections::HashSet;

use serde_json::Value;

use crate::node::{Loc, Schemas};
use crate::values::{json_eq, ref_pointer};

/// JSON values compared at most per question; past it, the answer is "not known the same".
const BUDGET: usize = 50_000;

/// Whether the schemas at `a` and `b` are the same JSON, references compared by target.
pub(crate) fn identical(s: &Schemas, a: &[Loc], b: &[Loc]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut check = Check {
        s,
        assumed: HashSet::new(),
        budget: BUDGET,
    };
    a.iter().zip(b).all(|(x, y)| check.locs(x, y))
}

struct Check<'s> {
    s: &'s Schemas,
    /// Pairs of positions being compared: met again, they are assumed the same (a
    /// recursive schema is the same when every other position is).
    assumed: HashSet<(Loc, Loc)>,
    budget: usize,
}

impl Check<'_> {
    fn locs(&mut self, a: &Loc, b: &Loc) -> bool {
        if !self.assumed.insert((a.clone(), b.clone())) {
            return true;
        }
        match (self.s.value_at(a), self.s.value_at(b)) {
            (Some(x), Some(y)) => self.values(a, &x, b, &y),
            _ => false,
        }
    }

    fn values(&mut self, a: &Loc, x: &Value, b: &Loc, y: &Value) -> bool {
        if self.budget == 0 {
            return false;
        }
        self.budget -= 1;
        match (x, y) {
            (Value::Object(m), Value::Object(n)) => {
                m.len() == n.len()
                    && m.iter().all(|(k, v)| match n.get(k) {
                        None => false,
                        Some(w) if k == "$ref" => self.refs(a, v, b, w),
                        Some(w) => self.values(&a.child(k), v, &b.child(k), w),
                    })
            }
            (Value::Array(m), Value::Array(n)) => {
                m.len() == n.len()
                    && m.iter().zip(n).enumerate().all(|(i, (v, w))| {
                        let i = i.to_string();
                        self.values(&a.child(&i), v, &b.child(&i), w)
                    })
            }
            _ => json_eq(x, y),
        }
    }

    /// Two `$ref`s: the same when they point at the same schema. One that cannot be
    /// followed is not known to be the same (the walk reports it).
    fn refs(&mut self, a: &Loc, x: &Value, b: &Loc, y: &Value) -> bool {
        match (
            x.as_str().and_then(ref_pointer),
            y.as_str().and_then(ref_pointer),
        ) {
            (Some(p), Some(q)) => self.locs(&Loc::new(a.doc, &p), &Loc::new(b.doc, &q)),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::{NEW, OLD};
    use serde_json::json;

    #[test]
    fn the_same_schema_under_other_definition_names_is_identical() {
        let old = json!({"definitions": {"a": {"type": "string"}, "n": {"properties": {"x": {"$ref": "#/definitions/n"}}}},
                         "properties": {"p": {"$ref": "#/definitions/a"}, "q": {"$ref": "#/definitions/n"}}});
        let new = json!({"definitions": {"b": {"type": "string"}, "m": {"properties": {"x": {"$ref": "#/definitions/m"}}}},
                         "properties": {"p": {"$ref": "#/definitions/b"}, "q": {"$ref": "#/definitions/m"}}});
        let s = Schemas::pair(&old, &new);
        let at = |doc, p: &str| vec![Loc::new(doc, p)];
        assert!(identical(
            &s,
            &at(OLD, "/properties"),
            &at(NEW, "/properties")
        ));
        assert!(!identical(
            &s,
            &at(OLD, "/definitions"),
            &at(NEW, "/definitions")
        ));
        let changed = json!({"definitions": {"a": {"type": "integer"}}, "properties": {"p": {"$ref": "#/definitions/a"}}});
        let s = Schemas::pair(&old, &changed);
        assert!(!identical(
            &s,
            &at(OLD, "/properties/p"),
            &at(NEW, "/properties/p")
        ));
    }
}
