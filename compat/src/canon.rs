//! Exact differences of schemas, from the canonical forms of the `jsonschema` crate: the
//! schema of every value one side accepts and the other rejects. The witness builder
//! generates from it when it can be computed (the canonical form does not model every
//! schema; then the builder relies on its own hints).

use std::panic::{catch_unwind, AssertUnwindSafe};

use jsonschema::canonical::{options, CanonicalSchema, Containment, Satisfiability};
use jsonschema::Draft;
use serde_json::Value;

use crate::node::{Loc, Schemas};

fn canonical(s: &Schemas, loc: &Loc) -> Option<CanonicalSchema> {
    let doc = s.doc(loc.doc);
    let prepared = options()
        .with_draft(Draft::Draft7)
        .should_validate_formats(true)
        .offline()
        .prepare(&doc)
        .ok()?;
    prepared.canonicalize_at(&loc.at).ok()
}

fn conjunction(s: &Schemas, conj: &[Loc]) -> Option<CanonicalSchema> {
    let mut out: Option<CanonicalSchema> = None;
    for loc in conj {
        let c = canonical(s, loc)?;
        out = Some(match out {
            None => c,
            Some(acc) => acc.intersect(&c).ok()?,
        });
    }
    out
}

/// The schema of the values every schema of `accepting` accepts and some schema of
/// `rejecting` rejects, when the canonical form expresses it and it may have values.
pub(crate) fn difference(s: &Schemas, accepting: &[Loc], rejecting: &[Loc]) -> Option<Value> {
    // The canonical module is experimental: a panic inside it must cost a candidate source,
    // never the comparison.
    catch_unwind(AssertUnwindSafe(|| {
        let a = conjunction(s, accepting)?;
        let r = conjunction(s, rejecting)?;
        let d = a.subtract(&r).ok()?;
        if d.satisfiability() == Satisfiability::No {
            return None;
        }
        Some(d.to_json_schema())
    }))
    .ok()
    .flatten()
}

/// Whether the two conjunctions provably accept the same values.
pub(crate) fn equal(s: &Schemas, a: &[Loc], b: &[Loc]) -> bool {
    catch_unwind(AssertUnwindSafe(|| {
        let (Some(x), Some(y)) = (conjunction(s, a), conjunction(s, b)) else {
            return false;
        };
        matches!(x.covers(&y), Ok(Containment::Yes)) && matches!(y.covers(&x), Ok(Containment::Yes))
    }))
    .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::{NEW, OLD};
    use serde_json::json;

    #[test]
    fn the_difference_of_a_tightened_limit_is_the_values_past_it() {
        let s = Schemas::pair(
            &json!({"type": "string", "maxLength": 10}),
            &json!({"type": "string", "maxLength": 5}),
        );
        let d = difference(&s, &[Loc::root(OLD)], &[Loc::root(NEW)]).unwrap();
        assert_eq!(d["minLength"], json!(6));
        assert_eq!(difference(&s, &[Loc::root(NEW)], &[Loc::root(OLD)]), None);
        assert!(!equal(&s, &[Loc::root(OLD)], &[Loc::root(NEW)]));
        let t = Schemas::pair(
            &json!({"type": ["string", "null"]}),
            &json!({"anyOf": [{"type": "null"}, {"type": "string"}]}),
        );
        assert!(equal(&t, &[Loc::root(OLD)], &[Loc::root(NEW)]));
    }
}
