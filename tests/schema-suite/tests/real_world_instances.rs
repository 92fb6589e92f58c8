//! Public real-world schemas (`tests/real-world/`, chosen in `build.rs`) decoded on
//! instances built from the schemas themselves, not only on the payloads their publishers
//! ship: eighteen of the twenty-three (Sentry, MCP, Airbyte, Jupyter, A2A) ship none, so
//! without this their generated types would be compiled and never read.
//!
//! For each schema, [`Builder`] walks it from a fixed seed and builds instances meant to be
//! valid: every required member and a random half of the optional ones, one branch of each
//! `oneOf`/`anyOf`, one type of each `type` list, a value of each `enum`, strings of each
//! `format`, counts within `minItems`/`maxItems`, numbers within their bounds. Not every one
//! is valid (branches overlap, `allOf` parts narrow each other, `if`/`then` is ignored): the
//! oracle judges each. A third are then broken at a random place (a member dropped, one
//! added, a value replaced by one of another type). Every instance must decode exactly as
//! the oracle judges it, from bytes and from a value, with the same violations, and a
//! decoded one must encode back to itself (`support::disagreement`).
//!
//! The test also holds the builder to its purpose: each schema gets valid and invalid
//! instances, so that both the typed read and the slow path's check are exercised.

mod support;

use std::collections::BTreeMap;

use event_contracts_runtime::DecodeError;
use event_contracts_schema_suite::{decode, REAL_WORLD_JSON};
use serde_json::{json, Map, Value};

/// Instances built for each schema; `REAL_WORLD_INSTANCES` sets another number (the
/// assertions on the counts of valid and invalid instances scale with it).
const PER_SCHEMA: u64 = 200;

fn per_schema() -> u64 {
    std::env::var("REAL_WORLD_INSTANCES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(PER_SCHEMA)
}

/// Below this depth optional members are included at random; at and past it only the
/// required ones are, so that recursive definitions (Sentry's, MCP's) end.
const OPTIONAL_DEPTH: usize = 6;

/// SplitMix64: small, seedable, the same sequence on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// A valid spelling of each format the corpus uses (and the other draft-07 formats).
fn formatted(format: &str, rng: &mut Rng) -> Option<String> {
    let pick = |options: &[&str], rng: &mut Rng| options[rng.below(options.len())].to_owned();
    Some(match format {
        "date-time" => pick(
            &[
                "2024-05-06T07:08:09Z",
                "2021-12-31T23:59:59.123+01:00",
                "1999-01-01T00:00:00-08:00",
            ],
            rng,
        ),
        "date" => pick(&["2024-05-06", "2000-02-29"], rng),
        "time" => pick(&["07:08:09Z", "23:59:59.5+02:00"], rng),
        "uri" => pick(
            &[
                "https://example.com/a/b?c=d#e",
                "urn:isbn:0451450523",
                "mailto:someone@example.com",
            ],
            rng,
        ),
        "uri-reference" | "iri-reference" => pick(&["/a/b", "../c", "https://example.com"], rng),
        "iri" => "https://example.com/ä".to_owned(),
        "uri-template" => pick(
            &[
                "https://api.github.com/repos/o/r/issues{/number}",
                "https://example.com/{id}",
                "https://example.com/plain",
            ],
            rng,
        ),
        "email" | "idn-email" => "someone@example.com".to_owned(),
        "hostname" | "idn-hostname" => "example.com".to_owned(),
        "ipv4" => "192.0.2.1".to_owned(),
        "ipv6" => "2001:db8::1".to_owned(),
        "json-pointer" => "/a/0".to_owned(),
        "relative-json-pointer" => "0/a".to_owned(),
        "regex" => "^a+$".to_owned(),
        "uuid" => pick(
            &[
                "123e4567-e89b-12d3-a456-426614174000",
                "6BA7B810-9DAD-11D1-80B4-00C04FD430C8",
            ],
            rng,
        ),
        _ => return None,
    })
}

/// Builds instances of one schema document.
struct Builder<'a> {
    root: &'a Value,
    rng: Rng,
}

impl Builder<'_> {
    /// The schema `schema` stands for: `$ref`s followed (local ones; the corpus has no
    /// other kind), with at most 32 hops.
    fn resolve<'s>(&'s self, mut schema: &'s Value) -> &'s Value {
        for _ in 0..32 {
            match schema.get("$ref").and_then(Value::as_str) {
                Some(reference) => {
                    let pointer = reference.strip_prefix('#').unwrap_or(reference);
                    match self.root.pointer(pointer) {
                        Some(target) => schema = target,
                        None => return &Value::Bool(true),
                    }
                }
                None => return schema,
            }
        }
        schema
    }

    /// `schema` with one branch of each `oneOf`/`anyOf` and every `allOf` part merged in:
    /// `properties` and `required` joined, other keywords taken from the part.
    fn flatten(&mut self, schema: &Value, depth: usize) -> Map<String, Value> {
        let schema = self.resolve(schema).clone();
        let Value::Object(mut obj) = schema else {
            return Map::new();
        };
        if depth > 16 {
            return obj;
        }
        let mut parts = Vec::new();
        if let Some(Value::Array(all)) = obj.remove("allOf") {
            parts.extend(all);
        }
        for combinator in ["oneOf", "anyOf"] {
            if let Some(Value::Array(branches)) = obj.remove(combinator) {
                if !branches.is_empty() {
                    let i = self.rng.below(branches.len());
                    parts.push(branches[i].clone());
                }
            }
        }
        for part in parts {
            let flat = self.flatten(&part, depth + 1);
            for (key, value) in flat {
                match (key.as_str(), obj.get_mut(&key), value) {
                    ("properties", Some(Value::Object(mine)), Value::Object(theirs)) => {
                        for (name, schema) in theirs {
                            mine.insert(name, schema);
                        }
                    }
                    ("required", Some(Value::Array(mine)), Value::Array(theirs)) => {
                        for name in theirs {
                            if !mine.contains(&name) {
                                mine.push(name);
                            }
                        }
                    }
                    // The parent's `type` stays when a part repeats it or names none.
                    ("type", Some(_), _) => {}
                    (_, _, value) => {
                        obj.insert(key, value);
                    }
                }
            }
        }
        obj
    }

    fn instance(&mut self, schema: &Value, depth: usize) -> Value {
        if depth > 24 {
            return Value::Null;
        }
        if let Value::Bool(_) = self.resolve(schema) {
            return json!("anything");
        }
        let obj = self.flatten(schema, 0);
        if let Some(value) = obj.get("const") {
            return value.clone();
        }
        if let Some(Value::Array(options)) = obj.get("enum") {
            if !options.is_empty() {
                return options[self.rng.below(options.len())].clone();
            }
        }
        let ty = match obj.get("type") {
            Some(Value::String(t)) => t.clone(),
            Some(Value::Array(types)) if !types.is_empty() => {
                // Mostly the non-null type, so that what is under it is read too.
                let named: Vec<&str> = types.iter().filter_map(Value::as_str).collect();
                let not_null: Vec<&str> = named.iter().copied().filter(|t| *t != "null").collect();
                if !not_null.is_empty() && self.rng.chance(85) {
                    not_null[self.rng.below(not_null.len())].to_owned()
                } else {
                    named[self.rng.below(named.len())].to_owned()
                }
            }
            _ if obj.contains_key("properties") || obj.contains_key("required") => {
                "object".to_owned()
            }
            _ if obj.contains_key("items") => "array".to_owned(),
            _ => ["string", "integer", "boolean", "object"][self.rng.below(4)].to_owned(),
        };
        match ty.as_str() {
            "object" => self.object(&obj, depth),
            "array" => self.array(&obj, depth),
            "string" => self.string(&obj),
            "integer" => self.integer(&obj),
            "number" => match self.integer(&obj) {
                Value::Number(n) if self.rng.chance(50) => {
                    json!(n.as_f64().unwrap_or(0.0) + 0.5)
                }
                other => other,
            },
            "boolean" => json!(self.rng.chance(50)),
            _ => Value::Null,
        }
    }

    fn object(&mut self, obj: &Map<String, Value>, depth: usize) -> Value {
        let required: Vec<String> = obj
            .get("required")
            .and_then(Value::as_array)
            .map(|r| {
                r.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        let properties = obj
            .get("properties")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let mut out = Map::new();
        for (name, schema) in &properties {
            let wanted = required.contains(name) || (depth < OPTIONAL_DEPTH && self.rng.chance(50));
            if wanted {
                let value = self.instance(schema, depth + 1);
                out.insert(name.clone(), value);
            }
        }
        // Required members no property declares: any value.
        for name in &required {
            if !out.contains_key(name) {
                out.insert(name.clone(), json!("x"));
            }
        }
        match obj.get("additionalProperties") {
            Some(Value::Bool(false)) => {}
            Some(extra @ Value::Object(_)) => {
                for i in 0..self.rng.below(3) {
                    let key = format!("extra{i}");
                    if !out.contains_key(&key) {
                        let value = self.instance(extra, depth + 1);
                        out.insert(key, value);
                    }
                }
            }
            _ => {}
        }
        Value::Object(out)
    }

    fn array(&mut self, obj: &Map<String, Value>, depth: usize) -> Value {
        let min = obj.get("minItems").and_then(Value::as_u64).unwrap_or(0) as usize;
        let max = obj
            .get("maxItems")
            .and_then(Value::as_u64)
            .map(|m| m as usize);
        match obj.get("items") {
            Some(Value::Array(list)) => {
                let count = max.map_or(list.len(), |m| m.min(list.len()));
                let items = list.iter().take(count).cloned().collect::<Vec<_>>();
                Value::Array(items.iter().map(|s| self.instance(s, depth + 1)).collect())
            }
            items => {
                let spread = if depth < OPTIONAL_DEPTH { 3 } else { 1 };
                let mut count = min + self.rng.below(spread);
                if let Some(max) = max {
                    count = count.min(max);
                }
                let item = items.cloned().unwrap_or(Value::Bool(true));
                Value::Array(
                    (0..count)
                        .map(|_| self.instance(&item, depth + 1))
                        .collect(),
                )
            }
        }
    }

    fn string(&mut self, obj: &Map<String, Value>) -> Value {
        if let Some(text) = obj
            .get("format")
            .and_then(Value::as_str)
            .and_then(|f| formatted(f, &mut self.rng))
        {
            return json!(text);
        }
        let min = obj.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
        let max = obj
            .get("maxLength")
            .and_then(Value::as_u64)
            .map_or(min + 8, |m| m as usize);
        let words = [
            "",
            "a",
            "octocat",
            "é-ünïcödé",
            "with \"quotes\" and \\",
            "42",
        ];
        let mut text: String = words[self.rng.below(words.len())].to_owned();
        while text.chars().count() < min {
            text.push('z');
        }
        json!(text.chars().take(max.max(min)).collect::<String>())
    }

    fn integer(&mut self, obj: &Map<String, Value>) -> Value {
        let number = |key: &str| obj.get(key).and_then(Value::as_f64);
        let low = number("minimum")
            .or(number("exclusiveMinimum").map(|m| m + 1.0))
            .unwrap_or(0.0);
        let high = number("maximum")
            .or(number("exclusiveMaximum").map(|m| m - 1.0))
            .unwrap_or(low + 100.0);
        let low = low.ceil().max(-1e15);
        let high = high.floor().min(1e15).max(low);
        let span = (high - low) as u64;
        let value = low as i64 + (self.rng.next() % (span + 1)) as i64;
        // Sometimes spelled as a float (`5.0`), which JSON Schema counts an integer and
        // decode must write back as it was read.
        if self.rng.chance(10) {
            json!(value as f64)
        } else {
            json!(value)
        }
    }
}

/// Breaks `value` at a random place: a member dropped or added, or a value replaced by
/// one of another type.
fn break_somewhere(value: &mut Value, rng: &mut Rng) {
    // Walk down a few levels at random, then break what is there (at the top, one time in
    // four, the whole instance).
    let mut pointer = String::new();
    let mut here = &*value;
    for _ in 0..rng.below(5) {
        let step = match here {
            Value::Object(members) if !members.is_empty() => {
                let i = rng.below(members.len());
                members
                    .iter()
                    .nth(i)
                    .map(|(k, v)| (k.replace('~', "~0").replace('/', "~1"), v))
            }
            Value::Array(items) if !items.is_empty() => {
                let i = rng.below(items.len());
                Some((i.to_string(), &items[i]))
            }
            _ => None,
        };
        match step {
            Some((token, next)) if next.is_object() || next.is_array() => {
                pointer.push('/');
                pointer.push_str(&token);
                here = next;
            }
            _ => break,
        }
    }
    let Some(at) = value.pointer_mut(&pointer) else {
        return;
    };
    if pointer.is_empty() && rng.chance(25) {
        *at = replacement(at, rng);
        return;
    }
    match (rng.below(3), &mut *at) {
        (0, Value::Object(members)) if !members.is_empty() => {
            let i = rng.below(members.len());
            if let Some(key) = members.keys().nth(i).cloned() {
                members.remove(&key);
            }
        }
        (1, Value::Object(members)) => {
            members.insert("zzUnknown".to_owned(), json!(1));
        }
        (_, Value::Object(members)) if !members.is_empty() => {
            let i = rng.below(members.len());
            if let Some(member) = members.values_mut().nth(i) {
                *member = replacement(member, rng);
            }
        }
        (_, Value::Array(items)) if !items.is_empty() => {
            let i = rng.below(items.len());
            items[i] = replacement(&items[i], rng);
        }
        (_, other) => *other = replacement(other, rng),
    }
}

/// A value of another JSON type than `value` or, one time in three, of the same type
/// with a value on an edge: an empty string, an impossible date, a malformed URI, a
/// negative, fractional or huge number, an empty array or object.
fn replacement(value: &Value, rng: &mut Rng) -> Value {
    let kind = |v: &Value| std::mem::discriminant(v);
    let options = [
        json!(null),
        json!(true),
        json!(-7),
        json!(2.5),
        json!("mutated"),
        json!([]),
        json!({}),
    ];
    let edges = match value {
        Value::String(_) => vec![
            json!(""),
            json!("2024-02-30T25:00:00Z"),
            json!("http://[::1"),
            json!("x"),
        ],
        Value::Number(_) => vec![json!(-1), json!(1.5), json!(1e20), json!(0)],
        Value::Array(_) => vec![json!([]), json!([null])],
        Value::Object(_) => vec![json!({})],
        _ => Vec::new(),
    };
    if !edges.is_empty() && rng.chance(33) {
        return edges[rng.below(edges.len())].clone();
    }
    loop {
        let candidate = &options[rng.below(options.len())];
        if kind(candidate) != kind(value) {
            return candidate.clone();
        }
    }
}

/// Whether `value` holds an integer (JSON Schema's sense: `1e20` is one) that neither an
/// `i64` nor a `u64` holds: the documented limit (`docs/RELIABILITY.md`, "Known
/// disagreements of the generated types").
fn holds_a_big_integer(value: &Value) -> bool {
    match value {
        Value::Number(n) => {
            n.as_i64().is_none()
                && n.as_u64().is_none()
                && n.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        Value::Array(items) => items.iter().any(holds_a_big_integer),
        Value::Object(members) => members.values().any(holds_a_big_integer),
        _ => false,
    }
}

/// The documented limit, and nothing else: the oracle accepts an instance with an integer
/// too big for Rust, and decode refuses it as `OutOfRange` (never reads another number).
fn is_the_big_integer_limit(event: &str, data: &Value, accepted: bool) -> bool {
    let bytes = serde_json::to_vec(&json!({"kind": event, "version": "1.0.0", "data": data}))
        .expect("JSON");
    accepted
        && holds_a_big_integer(data)
        && matches!(decode(&bytes), Err(DecodeError::OutOfRange { .. }))
}

#[test]
fn instances_built_from_each_schema_decode_as_the_oracle_judges_them() {
    let typed: Vec<Value> = serde_json::from_str(REAL_WORLD_JSON).expect("build.rs writes JSON");
    let mut disagreements = BTreeMap::new();
    let mut counts = BTreeMap::new();
    let mut bigs = BTreeMap::new();
    for (n, entry) in typed.iter().enumerate() {
        let event = entry["event"].as_str().expect("an event");
        let rel = entry["schema"].as_str().expect("a schema path");
        let schema = support::read_json(rel);
        let validator = support::oracle(&schema);
        let mut builder = Builder {
            root: &schema,
            rng: Rng(0x5EED_0000 + n as u64),
        };
        let (mut valid, mut invalid, mut big) = (0, 0, 0);
        for i in 0..per_schema() {
            let mut data = builder.instance(&schema, 0);
            if i % 3 == 2 {
                break_somewhere(&mut data, &mut builder.rng);
            }
            let accepted = support::oracle_violations(&validator, &data).is_empty();
            if accepted {
                valid += 1;
            } else {
                invalid += 1;
            }
            if is_the_big_integer_limit(event, &data, accepted) {
                big += 1;
            } else if let Some(why) = support::disagreement(event, &data, &validator) {
                disagreements
                    .entry(rel.to_owned())
                    .or_insert_with(Vec::new)
                    .push(format!("{why}\n    instance: {data}"));
            }
        }
        counts.insert(rel.to_owned(), (valid, invalid));
        bigs.insert(rel.to_owned(), big);
    }
    for (rel, (valid, invalid)) in &counts {
        println!(
            "{rel}: {valid} valid, {invalid} invalid; {} valid with an integer beyond i64/u64, refused as OutOfRange",
            bigs[rel]
        );
    }
    assert!(
        disagreements.is_empty(),
        "instances that decode otherwise than the oracle judges them:\n{}",
        disagreements
            .iter()
            .map(|(rel, whys)| format!(
                "{rel} ({}):\n  {}",
                whys.len(),
                whys[..whys.len().min(3)].join("\n  ")
            ))
            .collect::<Vec<_>>()
            .join("\n")
    );
    // The builder reaches both paths on every schema: if a schema change made its instances
    // all invalid (or the breaking all harmless), this would say so.
    let lopsided: Vec<_> = counts
        .iter()
        .filter(|(_, (valid, invalid))| *valid < per_schema() / 4 || *invalid == 0)
        .collect();
    assert!(
        lopsided.is_empty(),
        "schemas the builder does not exercise both ways: {lopsided:?}"
    );
    assert_eq!(counts.len(), 23);
}
