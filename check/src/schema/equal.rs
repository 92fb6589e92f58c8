//! JSON equality as draft-07 defines it for `enum`, `const` and `uniqueItems`: numbers by
//! value (`1 == 1.0`), objects by their members whatever the order, arrays item by item.

use super::number;
use crate::keywords::Instance;

/// Whether `a` and `b` are the same JSON value; they may be of different representations
/// (an instance against a schema's `Value`).
pub(crate) fn equal<A: Instance, B: Instance>(a: &A, b: &B) -> bool {
    if let Some(x) = a.as_str() {
        return b.as_str() == Some(x);
    }
    if let Some(x) = a.as_number() {
        return b.as_number().is_some_and(|y| number::equal(x, y));
    }
    if let Some(x) = a.as_bool() {
        return b.as_bool() == Some(x);
    }
    if a.is_null() {
        return b.is_null();
    }
    if let Some(xs) = a.items() {
        return b
            .items()
            .is_some_and(|ys| xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| equal(x, y)));
    }
    if let (Some(xs), Some(ys)) = (a.members(), b.members()) {
        // Keys are unique in both, so equal counts and every key matched is equality.
        return xs.clone().count() == ys.count()
            && xs
                .into_iter()
                .all(|(k, x)| b.get(k).is_some_and(|y| equal(x, y)));
    }
    false
}

/// Arrays up to this length are checked for duplicates pair by pair.
const PAIRWISE: usize = 32;

/// `uniqueItems`: whether no two items are equal.
pub fn all_unique<J: Instance>(items: &[J]) -> bool {
    if items.len() <= PAIRWISE {
        return items
            .iter()
            .enumerate()
            .all(|(i, x)| items[i + 1..].iter().all(|y| !equal(x, y)));
    }
    // Equal values hash alike; only items of equal hash are compared.
    let mut hashed: Vec<(u64, usize)> = items
        .iter()
        .enumerate()
        .map(|(i, x)| (hash(x), i))
        .collect();
    hashed.sort_unstable();
    hashed.chunk_by(|a, b| a.0 == b.0).all(|run| {
        run.iter().enumerate().all(|(i, (_, x))| {
            run[i + 1..]
                .iter()
                .all(|(_, y)| !equal(&items[*x], &items[*y]))
        })
    })
}

/// A hash that equal values share: numbers by their f64 value, objects independent of order.
fn hash<J: Instance>(value: &J) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    if let Some(s) = value.as_str() {
        (1u8, s).hash(&mut h);
    } else if let Some(n) = value.as_number() {
        let f = n.as_f64().unwrap_or(0.0);
        let bits = if f == 0.0 { 0 } else { f.to_bits() };
        (2u8, bits).hash(&mut h);
    } else if let Some(b) = value.as_bool() {
        (3u8, b).hash(&mut h);
    } else if let Some(items) = value.items() {
        4u8.hash(&mut h);
        for item in items {
            hash(item).hash(&mut h);
        }
    } else if let Some(members) = value.members() {
        let mut combined = 0u64;
        for (k, v) in members {
            let mut member = std::collections::hash_map::DefaultHasher::new();
            (k, hash(v)).hash(&mut member);
            combined ^= member.finish();
        }
        (5u8, combined).hash(&mut h);
    } else {
        0u8.hash(&mut h);
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Tree;
    use serde_json::json;

    #[test]
    fn numbers_objects_and_arrays_compare_by_value() {
        assert!(equal(&json!(1), &json!(1.0)));
        assert!(equal(
            &json!({"a": 1, "b": [2]}),
            &json!({"b": [2.0], "a": 1})
        ));
        assert!(!equal(&json!({"a": 1}), &json!({"a": 1, "b": 2})));
        assert!(!equal(&json!([1, 2]), &json!([2, 1])));
        assert!(!equal(&json!(false), &json!(0)));
        assert!(!equal(&json!(null), &json!({})));
        let tree = Tree::parse(r#"{"b":[2.0],"a":1}"#).unwrap();
        assert!(equal(&tree, &json!({"a": 1, "b": [2]})));
    }

    #[test]
    fn uniqueness_by_value_at_any_length() {
        assert!(!all_unique(&[json!(1), json!(1.0)]));
        assert!(all_unique(&[json!(1), json!("1")]));
        let mut many: Vec<_> = (0..100).map(|i| json!({"i": i})).collect();
        assert!(all_unique(&many));
        many.push(json!({"i": 7.0}));
        assert!(!all_unique(&many));
    }
}
