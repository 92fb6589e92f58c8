//! Pairs of draft-07 schemas built from bytes, and the oracles a pair is held to. Shared by
//! the `compat_pairs` fuzz target (`fuzz/fuzz_targets/compat_pairs.rs`) and the
//! `compat_pairs` test, which runs it on inputs proptest draws; not part of the API:
//!
//! - the engine never panics or hangs, on draft-07 schemas of every keyword and on arbitrary JSON;
//! - a schema compared with itself has no findings;
//! - every verdict holds under the policy's own definitions (`compat::policy::check`): a
//!   patch verdict means both versions accept the same generated instances, a minor one
//!   that new instances pass the old version and old ones (without an added property) the
//!   new one, and every major finding has a witness the validator confirms or a documented
//!   reason why none can exist.
//!
//! The first byte picks the mode: most inputs build an old schema over every draft-07
//! keyword and a new one by a few edits of it (so that patch and minor verdicts are common
//! and their soundness is exercised); some build two arbitrary JSON values.

use crate::{self as compat, policy};
use serde_json::{json, Map, Value};

/// Instances drawn from each version per verdict the policy checks.
const SAMPLES: u64 = 24;

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

    fn pick<'v, T>(&mut self, options: &'v [T]) -> &'v T {
        &options[self.next() as usize % options.len()]
    }
}

const NAMES: &[&str] = &["a", "b", "c", "kind", "x-1"];

/// A string schema whose keywords can all hold at once (a random contradiction is not an
/// interesting change).
fn string_schema(input: &mut Bytes<'_>) -> Map<String, Value> {
    let mut s = Map::new();
    s.insert("type".into(), json!("string"));
    match input.next() % 5 {
        0 => {
            let min = input.next() % 4;
            s.insert("minLength".into(), json!(min));
            if input.next() & 1 != 0 {
                s.insert("maxLength".into(), json!(min + input.next() % 6));
            }
        }
        1 => {
            s.insert("format".into(), json!(input.pick(&["uuid", "date-time"])));
        }
        2 => {
            s.insert(
                "pattern".into(),
                json!(input.pick(&["^a", "b$", "^[a-c]+$", "x"])),
            );
            if input.next() & 1 != 0 {
                s.insert("maxLength".into(), json!(input.next() % 6 + 3));
            }
        }
        3 => {
            let n = input.next() % 3 + 1;
            let values: Vec<Value> = (0..n)
                .map(|i| json!(format!("v{}", (input.next() % 4) + i)))
                .collect();
            s.insert("enum".into(), Value::Array(values));
        }
        _ => {
            s.insert("contentMediaType".into(), json!("application/json"));
        }
    }
    s
}

fn number_schema(input: &mut Bytes<'_>, integer: bool) -> Map<String, Value> {
    let mut s = Map::new();
    s.insert(
        "type".into(),
        json!(if integer { "integer" } else { "number" }),
    );
    let flags = input.next();
    let low = i64::from(input.next() % 20) - 5;
    let high = low + 2 + i64::from(input.next() % 10);
    if flags & 1 != 0 {
        let key = if flags & 2 != 0 {
            "exclusiveMinimum"
        } else {
            "minimum"
        };
        s.insert(key.into(), json!(low));
    }
    if flags & 4 != 0 {
        let key = if flags & 8 != 0 {
            "exclusiveMaximum"
        } else {
            "maximum"
        };
        s.insert(key.into(), json!(high));
    }
    if flags & 16 != 0 {
        s.insert("multipleOf".into(), json!(input.pick(&[2.0, 3.0, 0.5])));
    }
    s
}

fn object_schema(input: &mut Bytes<'_>, depth: u32) -> Map<String, Value> {
    let mut s = Map::new();
    s.insert("type".into(), json!("object"));
    let n = input.next() % 4;
    let mut props = Map::new();
    let mut required = Vec::new();
    for _ in 0..n {
        let name = *input.pick(NAMES);
        if input.next() & 1 != 0 && !required.contains(&json!(name)) {
            required.push(json!(name));
        }
        props.insert(name.into(), schema(input, depth + 1));
    }
    s.insert("properties".into(), Value::Object(props));
    if !required.is_empty() {
        s.insert("required".into(), Value::Array(required));
    }
    let flags = input.next();
    if flags & 3 == 0 {
        s.insert("additionalProperties".into(), json!(false));
    } else if flags & 3 == 1 {
        s.insert("additionalProperties".into(), schema(input, depth + 1));
    }
    if flags & 4 != 0 {
        s.insert(
            "patternProperties".into(),
            json!({"^x-": schema(input, depth + 1)}),
        );
    }
    if flags & 8 != 0 {
        // Long enough for the names the schemas use ("kind").
        s.insert(
            "propertyNames".into(),
            json!({"maxLength": input.next() % 4 + 4}),
        );
    }
    if flags & 16 != 0 {
        let dep = if input.next() & 1 == 0 {
            json!(["b"])
        } else {
            schema(input, depth + 1)
        };
        s.insert("dependencies".into(), json!({"a": dep}));
    }
    let min = input.next() % 3;
    if flags & 32 != 0 {
        s.insert("minProperties".into(), json!(min));
    }
    if flags & 64 != 0 {
        s.insert(
            "maxProperties".into(),
            json!(u64::from(min.max(n)) + u64::from(input.next() % 3)),
        );
    }
    s
}

fn array_schema(input: &mut Bytes<'_>, depth: u32) -> Map<String, Value> {
    let mut s = Map::new();
    s.insert("type".into(), json!("array"));
    let flags = input.next();
    if flags & 1 != 0 {
        let n = input.next() % 3 + 1;
        let items: Vec<Value> = (0..n).map(|_| schema(input, depth + 1)).collect();
        s.insert("items".into(), Value::Array(items));
        if flags & 2 != 0 {
            s.insert("additionalItems".into(), schema(input, depth + 1));
        }
    } else {
        s.insert("items".into(), schema(input, depth + 1));
    }
    if flags & 4 != 0 {
        s.insert("contains".into(), schema(input, depth + 1));
    }
    let min = input.next() % 3;
    if flags & 8 != 0 {
        s.insert("minItems".into(), json!(min));
    }
    if flags & 16 != 0 {
        s.insert("maxItems".into(), json!(min + input.next() % 4 + 1));
    }
    if flags & 32 != 0 {
        s.insert("uniqueItems".into(), json!(true));
    }
    s
}

/// A draft-07 schema over every keyword; `depth` bounds nesting.
fn schema(input: &mut Bytes<'_>, depth: u32) -> Value {
    let kinds = if depth >= 3 { 5 } else { 13 };
    let s = match input.next() % kinds {
        0 => string_schema(input),
        1 => number_schema(input, true),
        2 => number_schema(input, false),
        3 => return json!({"type": input.pick(&["boolean", "null"])}),
        4 => return json!({"const": input.pick(&[json!("a"), json!(1), json!(null)])}),
        5 => object_schema(input, depth),
        6 => array_schema(input, depth),
        7 | 8 => {
            let key = *input.pick(&["anyOf", "oneOf", "allOf"]);
            let n = input.next() % 3 + 1;
            let branches: Vec<Value> = (0..n).map(|_| schema(input, depth + 1)).collect();
            return json!({ (key): branches });
        }
        9 => return json!({"anyOf": [schema(input, depth + 1), {"type": "null"}]}),
        10 => return json!({"not": schema(input, depth + 1)}),
        11 => {
            return json!({"if": schema(input, depth + 1), "then": schema(input, depth + 1),
                          "else": schema(input, depth + 1)})
        }
        _ => return json!({"$ref": format!("#/definitions/d{}", input.next() % 2)}),
    };
    Value::Object(s)
}

/// Every schema position in `value` (the keywords that hold subschemas), as pointers.
fn positions(value: &Value, at: String, out: &mut Vec<String>) {
    let Value::Object(m) = value else { return };
    out.push(at.clone());
    let escape = |k: &str| k.replace('~', "~0").replace('/', "~1");
    for (key, sub) in m {
        let here = format!("{at}/{}", escape(key));
        match key.as_str() {
            "items"
            | "additionalItems"
            | "additionalProperties"
            | "not"
            | "if"
            | "then"
            | "else"
            | "contains"
            | "propertyNames" => match sub {
                Value::Array(items) => {
                    for (i, v) in items.iter().enumerate() {
                        positions(v, format!("{here}/{i}"), out);
                    }
                }
                v => positions(v, here, out),
            },
            "anyOf" | "oneOf" | "allOf" => {
                for (i, v) in sub.as_array().into_iter().flatten().enumerate() {
                    positions(v, format!("{here}/{i}"), out);
                }
            }
            "properties" | "patternProperties" | "definitions" | "dependencies" => {
                for (k, v) in sub.as_object().into_iter().flatten() {
                    positions(v, format!("{here}/{}", escape(k)), out);
                }
            }
            _ => {}
        }
    }
}

/// One edit of `schema` at a position chosen by the input.
fn edit(schema: &mut Value, input: &mut Bytes<'_>) {
    let mut all = Vec::new();
    positions(schema, String::new(), &mut all);
    let at = all[input.next() as usize % all.len()].clone();
    let Some(Value::Object(m)) = schema.pointer_mut(&at) else {
        return;
    };
    match input.next() % 12 {
        0 => {
            m.insert("description".into(), json!("changed"));
        }
        1 => {
            let props = m.entry("properties").or_insert_with(|| json!({}));
            if let Some(p) = props.as_object_mut() {
                p.insert("added".into(), json!({"type": "string"}));
            }
        }
        2 => {
            m.remove("required");
        }
        3 => {
            m.insert("maxLength".into(), json!(input.next() % 5));
        }
        4 => {
            let inner = Value::Object(std::mem::take(m));
            m.insert("anyOf".into(), json!([inner, {"type": "null"}]));
        }
        5 => {
            for key in ["anyOf", "oneOf", "allOf"] {
                if let Some(Value::Array(items)) = m.get_mut(key) {
                    items.reverse();
                }
            }
        }
        6 => {
            if let Some(Value::Array(items)) = m.get_mut("anyOf") {
                let items = std::mem::take(items);
                m.remove("anyOf");
                m.insert("oneOf".into(), Value::Array(items));
            }
        }
        7 => {
            let key = *input.pick(&["not", "contains", "propertyNames", "additionalItems", "if"]);
            m.remove(key);
        }
        8 => {
            m.insert("minimum".into(), json!(i64::from(input.next() % 10) - 5));
        }
        9 => {
            let inner = Value::Object(std::mem::take(m));
            m.insert("allOf".into(), json!([inner]));
        }
        10 => {
            if let Some(Value::Array(items)) = m.get_mut("enum") {
                items.push(json!("added"));
            }
        }
        _ => {
            m.insert("additionalProperties".into(), json!(input.next() & 1 == 0));
        }
    }
}

/// An arbitrary JSON value (the engine must end on anything).
fn any_json(input: &mut Bytes<'_>, depth: u32) -> Value {
    match input.next() % if depth > 4 { 5 } else { 8 } {
        0 => Value::Null,
        1 => json!(input.next() & 1 == 0),
        2 => json!(i64::from(input.next()) - 128),
        3 => json!(*input.pick(&["type", "#", "#/definitions/a", "string", "$ref"])),
        4 => json!(f64::from(input.next()) / 7.0),
        5 => {
            let n = input.next() % 4;
            Value::Array((0..n).map(|_| any_json(input, depth + 1)).collect())
        }
        _ => {
            let keys = [
                "type",
                "properties",
                "items",
                "$ref",
                "anyOf",
                "oneOf",
                "allOf",
                "not",
                "if",
                "then",
                "else",
                "enum",
                "const",
                "required",
                "additionalProperties",
                "patternProperties",
                "dependencies",
                "propertyNames",
                "contains",
                "additionalItems",
                "definitions",
                "minimum",
                "maxLength",
                "multipleOf",
                "format",
                "pattern",
            ];
            let n = input.next() % 4;
            let mut m = Map::new();
            for _ in 0..n {
                m.insert((*input.pick(&keys)).to_owned(), any_json(input, depth + 1));
            }
            Value::Object(m)
        }
    }
}

/// Builds the pairs `bytes` describes and holds the engine to the oracles. Returns how many
/// instances the policy checked (none where a version does not compile); the error names the
/// pair and what failed.
pub fn run(bytes: &[u8]) -> Result<usize, String> {
    let mut input = Bytes(bytes);
    let mode = input.next();
    if mode % 16 == 15 {
        let (old, new) = (any_json(&mut input, 0), any_json(&mut input, 0));
        against_itself(&old)?;
        return check(&old, &new);
    }
    let mut old = schema(&mut input, 0);
    let defs = json!({"d0": schema(&mut input, 2), "d1": {"type": "object", "properties": {"n": {"$ref": "#/definitions/d1"}}}});
    if let Some(m) = old.as_object_mut() {
        m.insert("definitions".into(), defs);
    } else {
        old = json!({"allOf": [old], "definitions": defs});
    }
    against_itself(&old)?;
    // Several edits of the same schema, one at a time and then together, so that each input
    // tries more than one kind of change.
    let mut together = old.clone();
    let mut checked = 0;
    for _ in 0..3 {
        let mut new = old.clone();
        let mut replay = Bytes(input.0);
        edit(&mut new, &mut input);
        edit(&mut together, &mut replay);
        checked += check(&old, &new)?;
    }
    Ok(checked + check(&old, &together)?)
}

/// A schema compared with itself has no findings.
fn against_itself(schema: &Value) -> Result<(), String> {
    let same = compat::diff(schema, schema);
    if same.findings.is_empty() {
        return Ok(());
    }
    let findings: Vec<_> = same
        .findings
        .iter()
        .map(|f| (f.rule.id(), &f.pointer))
        .collect();
    Err(format!("{schema} against itself: {findings:?}"))
}

/// The diff of `old` and `new` holds under the policy; returns the instances checked.
fn check(old: &Value, new: &Value) -> Result<usize, String> {
    let diff = compat::diff(old, new);
    policy::check(old, new, &diff, SAMPLES).map_err(|e| {
        let findings: Vec<_> = diff
            .findings
            .iter()
            .map(|f| (f.rule.id(), &f.pointer, &f.message))
            .collect();
        format!("{old}\n-> {new}\n{e}\nfindings: {findings:?}")
    })
}
