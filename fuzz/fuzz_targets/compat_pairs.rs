//! The compatibility engine on pairs of schemas generated from the input. Oracle: it never
//! panics, and every witness it offers is accepted by the side it names and rejected by
//! the other, by the same validator the build uses.
#![no_main]

use event_contracts_compat::{self as compat, Side};
use event_contracts_schema::load::compile_validator;
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Map, Value};

/// Reads bytes one at a time; zero once they run out, so every input makes a schema.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn next(&mut self) -> u8 {
        let Some((&b, rest)) = self.0.split_first() else {
            return 0;
        };
        self.0 = rest;
        b
    }
}

/// A small draft-07 schema over the keywords the event schemas use.
fn schema(input: &mut Bytes<'_>, depth: u32) -> Value {
    let mut s = Map::new();
    let kind = input.next() % if depth >= 3 { 4 } else { 6 };
    match kind {
        0 => {
            s.insert("type".into(), json!("string"));
            let flags = input.next();
            if flags & 1 != 0 {
                s.insert("minLength".into(), json!(input.next() % 4));
            }
            if flags & 2 != 0 {
                s.insert("maxLength".into(), json!(input.next() % 8 + 1));
            }
            if flags & 4 != 0 {
                s.insert(
                    "format".into(),
                    json!(["uuid", "date-time"][input.next() as usize % 2]),
                );
            }
            if flags & 8 != 0 {
                s.insert(
                    "pattern".into(),
                    json!(["^a", "b$", "^[a-c]+$", "x"][input.next() as usize % 4]),
                );
            }
            if flags & 16 != 0 {
                let n = input.next() % 3 + 1;
                let values: Vec<Value> = (0..n)
                    .map(|i| json!(format!("v{}", (input.next() % 4) + i)))
                    .collect();
                s.insert("enum".into(), Value::Array(values));
            }
        }
        1 | 2 => {
            s.insert(
                "type".into(),
                json!(if kind == 1 { "integer" } else { "number" }),
            );
            let flags = input.next();
            let num = |b: u8| json!(i64::from(b % 20) - 5);
            if flags & 1 != 0 {
                s.insert("minimum".into(), num(input.next()));
            }
            if flags & 2 != 0 {
                s.insert("maximum".into(), num(input.next()));
            }
            if flags & 4 != 0 {
                s.insert("exclusiveMinimum".into(), num(input.next()));
            }
            if flags & 8 != 0 {
                s.insert(
                    "multipleOf".into(),
                    json!([2.0, 3.0, 0.5][input.next() as usize % 3]),
                );
            }
        }
        3 => {
            s.insert(
                "type".into(),
                json!(["boolean", "null"][input.next() as usize % 2]),
            );
        }
        4 => {
            s.insert("type".into(), json!("array"));
            s.insert("items".into(), schema(input, depth + 1));
        }
        _ => {
            s.insert("type".into(), json!("object"));
            let n = input.next() % 4;
            let mut props = Map::new();
            let mut required = Vec::new();
            for i in 0..n {
                let name = format!("p{}", (input.next() % 5) + i);
                if input.next() & 1 != 0 {
                    required.push(json!(name.clone()));
                }
                props.insert(name, schema(input, depth + 1));
            }
            s.insert("properties".into(), Value::Object(props));
            if !required.is_empty() {
                s.insert("required".into(), Value::Array(required));
            }
            if input.next() & 3 == 0 {
                s.insert("additionalProperties".into(), json!(false));
            }
        }
    }
    Value::Object(s)
}

fuzz_target!(|bytes: &[u8]| {
    let mut input = Bytes(bytes);
    let old = schema(&mut input, 0);
    let new = schema(&mut input, 0);
    let diff = compat::diff(&old, &new);
    if old == new {
        assert!(
            diff.findings.is_empty(),
            "{old} against itself: {:?}",
            diff.findings
        );
    }
    let (Ok(old_v), Ok(new_v)) = (compile_validator(&old), compile_validator(&new)) else {
        return;
    };
    for finding in &diff.findings {
        let Some(witness) = finding.witness() else {
            continue;
        };
        let accepted_by = match (
            old_v.is_valid(&witness.event),
            new_v.is_valid(&witness.event),
        ) {
            (true, false) => Side::Old,
            (false, true) => Side::New,
            both => panic!("{old} -> {new}: witness {} gets {both:?}", witness.event),
        };
        assert_eq!(
            accepted_by, witness.valid_under,
            "{old} -> {new}: {}",
            witness.event
        );
    }
});
