//! Builds instances of a draft-07 schema: minimal ones (the base of every witness),
//! boundary samples of one subschema (the candidates a witness is made of), and random
//! ones driven by a [`Choices`] source (the property tests).
//!
//! The generator aims to produce valid instances but does not promise it: `not`,
//! `if`/`then`/`else`, `oneOf` exclusivity and a few interactions are left to the
//! validator, which every caller runs on the result. Work and depth are bounded, so a
//! recursive or unsatisfiable schema yields `None`, never a hang.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};

use serde_json::{Map, Number, Value};

use crate::regex_sample;
use crate::schema::{
    count, declared_types, is_multiple, lower_bound, matching_patterns, resolve, scalar_ok, step,
    upper_bound, Additional, Types, TRUE_SCHEMA,
};

/// A source of choices: `pick(n)` returns an index below `n`.
pub trait Choices {
    /// Chooses one of `n` options (`n >= 1`).
    fn pick(&mut self, n: usize) -> usize;
}

/// Always the first option: with it the generator builds its minimal instance.
#[derive(Debug, Clone, Copy, Default)]
pub struct FirstChoice;

impl Choices for FirstChoice {
    fn pick(&mut self, _n: usize) -> usize {
        0
    }
}

/// Pseudo-random choices from a seed (xorshift64*), reproducible across runs.
#[derive(Debug, Clone)]
pub struct SeededChoices {
    state: u64,
}

impl SeededChoices {
    /// Choices determined by `seed`.
    pub fn new(seed: u64) -> Self {
        SeededChoices {
            state: seed ^ 0x9E37_79B9_7F4A_7C15 | 1,
        }
    }
}

impl Choices for SeededChoices {
    fn pick(&mut self, n: usize) -> usize {
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        let x = self.state.wrapping_mul(0x2545_F491_4F6C_DD1D);
        (x % n.max(1) as u64) as usize
    }
}

/// One step of a path into an instance.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Seg {
    /// A named property.
    Prop(String),
    /// An element of an array (the first one is used).
    Item,
    /// A property the object does not declare.
    Extra,
}

const MAX_DEPTH: usize = 32;
const STEP_BUDGET: usize = 20_000;
/// Names for undeclared properties, tried in order.
const EXTRA_NAMES: &[&str] = &["extraProperty", "note", "zz", "legacy", "x_debug", "misc"];

/// Builds instances of schemas inside one root document.
pub struct Generator<'a> {
    root: &'a Value,
    steps: usize,
    avoid: BTreeSet<String>,
    /// Validators of nodes whose keywords the plans do not guarantee (`oneOf`, `not`, ...),
    /// by the node's JSON text; `None` when the node does not compile on its own.
    checks: HashMap<String, Option<jsonschema::Validator>>,
}

impl std::fmt::Debug for Generator<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Generator")
            .field("avoid", &self.avoid)
            .field("checked_nodes", &self.checks.len())
            .finish_non_exhaustive()
    }
}

/// Keywords whose constraints the plans approximate: candidates at such a node are
/// checked with a validator of the node before one is accepted.
const CHECKED: &[&str] = &[
    "oneOf",
    "anyOf",
    "allOf",
    "not",
    "if",
    "dependencies",
    "propertyNames",
    "contains",
    "patternProperties",
];

/// What to build at one node, before its children are chosen.
#[derive(Debug, Clone)]
enum Plan {
    Value(Value),
    Branch(usize),
    Object {
        optional: bool,
        extras: usize,
        patterned: bool,
    },
    Array {
        len: u64,
        duplicate: bool,
    },
}

impl<'a> Generator<'a> {
    /// A generator for schemas in `root` (local `$ref`s resolve against it).
    pub fn new(root: &'a Value) -> Self {
        Generator {
            root,
            steps: 0,
            avoid: BTreeSet::new(),
            checks: HashMap::new(),
        }
    }

    /// Names never used for undeclared properties (e.g. the properties a newer version declares).
    pub fn avoid_names<I: IntoIterator<Item = String>>(&mut self, names: I) {
        self.avoid.extend(names);
    }

    /// A small instance of `schema`, when the generator can build one.
    pub fn minimal(&mut self, schema: &Value) -> Option<Value> {
        self.steps = 0;
        self.value(schema, &mut FirstChoice, 0, true)
    }

    /// A random instance of `schema`, driven by `choices`.
    pub fn random(&mut self, schema: &Value, choices: &mut dyn Choices) -> Option<Value> {
        self.steps = 0;
        self.value(schema, choices, 0, true)
    }

    /// Varied values for one schema: boundaries of lengths and ranges, each type, each enum
    /// value, objects with and without optional and undeclared properties. Not all are valid.
    pub fn samples(&mut self, schema: &Value) -> Vec<Value> {
        self.steps = 0;
        let Some(node) = self.view(schema, 0) else {
            return Vec::new();
        };
        let plans = self.plans(&node, false);
        let mut out: Vec<Value> = Vec::new();
        for plan in &plans {
            if let Some(v) = self.build(&node, plan, &mut FirstChoice, 0, false) {
                if !out.contains(&v) {
                    out.push(v);
                }
            }
            if out.len() >= 48 {
                break;
            }
        }
        out
    }

    /// Values just past each limit of `schema`: one character, unit, item or property
    /// beyond a bound, a number off the step. Used to cross exactly one boundary.
    pub(crate) fn just_outside(&mut self, schema: &Value) -> Vec<Value> {
        self.steps = 0;
        let mut out = Vec::new();
        self.outside(schema, 0, &mut out);
        out
    }

    fn outside(&mut self, schema: &Value, depth: usize, out: &mut Vec<Value>) {
        let Some(node) = self.view(schema, depth) else {
            return;
        };
        if depth > 4 {
            return;
        }
        // Limits inside applicators constrain the same value: collect theirs too.
        for key in ["allOf", "anyOf", "oneOf"] {
            for branch in node
                .get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                self.outside(branch, depth + 1, out);
            }
        }
        for key in ["not", "if", "then", "else"] {
            if let Some(sub) = node.get(key) {
                self.outside(sub, depth + 1, out);
            }
        }
        let small = |n: u64| n < 10_000;
        if let Some(max) = count(&node, "maxLength")
            .ok()
            .flatten()
            .filter(|m| small(*m))
        {
            out.push(Value::String("a".repeat(max as usize + 1)));
        }
        if let Some(min) = count(&node, "minLength")
            .ok()
            .flatten()
            .filter(|m| *m > 0 && small(*m))
        {
            out.push(Value::String("a".repeat(min as usize - 1)));
        }
        let mut numbers: Vec<f64> = Vec::new();
        if let Some(lo) = lower_bound(&node, false).ok().flatten() {
            numbers.extend([lo.value - 1.0, lo.value - 0.5, lo.value]);
        }
        if let Some(hi) = upper_bound(&node, false).ok().flatten() {
            numbers.extend([hi.value + 1.0, hi.value + 0.5, hi.value]);
        }
        if let Some(m) = step(&node, false).ok().flatten() {
            numbers.extend([m / 2.0, m * 1.5, m + 1.0, 1.0]);
        }
        out.extend(numbers.into_iter().filter_map(number_value));
        let items = item_schema(&node, 0);
        if let Some(max) = count(&node, "maxItems").ok().flatten().filter(|m| *m < 64) {
            if let Some(array) = self.array(&node, max + 1, false, &mut FirstChoice, 0, false) {
                out.push(Value::Array(array));
            }
        }
        if let Some(min) = count(&node, "minItems")
            .ok()
            .flatten()
            .filter(|m| *m > 0 && *m < 64)
        {
            let mut array = Vec::new();
            for _ in 1..min {
                array.extend(self.value(&items, &mut FirstChoice, 1, true));
            }
            out.push(Value::Array(array));
        }
        if let Some(max) = count(&node, "maxProperties")
            .ok()
            .flatten()
            .filter(|m| *m < 64)
        {
            if let Some(mut object) = self.object(&node, true, 0, &mut FirstChoice, 0, false) {
                let mut i = 0;
                while (object.len() as u64) <= max && i < 70 {
                    object.insert(format!("extra{i}"), Value::from(i));
                    i += 1;
                }
                out.push(Value::Object(object));
            }
        }
    }

    /// An instance of `schema` with `leaf` placed at `path` (`None`: the property is absent).
    pub(crate) fn along(
        &mut self,
        schema: &Value,
        path: &[Seg],
        leaf: &Option<Value>,
    ) -> Option<Value> {
        self.steps = 0;
        self.place(schema, path, leaf, 0)?
    }

    fn place(
        &mut self,
        schema: &Value,
        path: &[Seg],
        leaf: &Option<Value>,
        depth: usize,
    ) -> Option<Option<Value>> {
        let Some((first, rest)) = path.split_first() else {
            return Some(leaf.clone());
        };
        if depth > MAX_DEPTH {
            return None;
        }
        let node = self.view(schema, depth)?;
        // Under anyOf/oneOf, the first branch that has the path wins.
        if let Some(branches) = branches_of(&node) {
            for i in 0..branches {
                if let Some(merged) = merge_branch(&node, i) {
                    let merged = Value::Object(merged);
                    if let Some(found) = self.place(&merged, path, leaf, depth + 1) {
                        return Some(found);
                    }
                }
            }
            return None;
        }
        match first {
            Seg::Prop(name) => {
                let mut base = self.object(&node, false, 0, &mut FirstChoice, depth, true)?;
                let child = property_schema(&node, name);
                match self.place(&child, rest, leaf, depth + 1)? {
                    Some(v) => base.insert(name.clone(), v),
                    None => base.remove(name),
                };
                Some(Some(Value::Object(base)))
            }
            Seg::Extra => {
                let mut base = self.object(&node, false, 0, &mut FirstChoice, depth, true)?;
                let name = self.extra_name(&node, &base, 0)?;
                let child = match Additional::of(&node) {
                    Additional::Open => TRUE_SCHEMA.clone(),
                    Additional::Closed => Value::Bool(false),
                    Additional::Schema(s) => s.clone(),
                };
                if let Some(v) = self.place(&child, rest, leaf, depth + 1)? {
                    base.insert(name, v);
                }
                Some(Some(Value::Object(base)))
            }
            Seg::Item => {
                let min = count(&node, "minItems").ok().flatten().unwrap_or(0).max(1);
                let mut base = self.array(&node, min, false, &mut FirstChoice, depth, true)?;
                let child = item_schema(&node, 0);
                match self.place(&child, rest, leaf, depth + 1)? {
                    Some(v) => {
                        if base.is_empty() {
                            base.push(v);
                        } else {
                            base[0] = v;
                        }
                    }
                    None => {
                        if !base.is_empty() {
                            base.remove(0);
                        }
                    }
                }
                Some(Some(Value::Array(base)))
            }
        }
    }

    fn value(
        &mut self,
        schema: &Value,
        choices: &mut dyn Choices,
        depth: usize,
        safe: bool,
    ) -> Option<Value> {
        self.steps += 1;
        if depth > MAX_DEPTH || self.steps > STEP_BUDGET {
            return None;
        }
        let node = self.view(schema, depth)?;
        let plans = self.plans(&node, safe);
        if plans.is_empty() {
            return None;
        }
        let check = self.check_for(schema);
        let first = choices.pick(plans.len());
        let order = std::iter::once(first).chain((0..plans.len()).filter(|i| *i != first));
        for i in order {
            if let Some(v) = self.build(&node, &plans[i], choices, depth, safe) {
                let passes = match &check {
                    Some(key) => self
                        .checks
                        .get(key)
                        .and_then(Option::as_ref)
                        .is_none_or(|c| c.is_valid(&v)),
                    None => true,
                };
                if passes {
                    return Some(v);
                }
            }
        }
        None
    }

    /// The cache key of a validator for `schema` when its keywords need one (compiled on
    /// first use, with the root's `definitions` so that local references resolve).
    fn check_for(&mut self, schema: &Value) -> Option<String> {
        let root: &Value = self.root;
        let (node, _) = resolve(root, schema, "").ok()?;
        let map = node.as_object()?;
        if !CHECKED.iter().any(|k| map.contains_key(*k)) {
            return None;
        }
        let key = node.to_string();
        if !self.checks.contains_key(&key) {
            let mut standalone = map.clone();
            if let Some(defs) = root.get("definitions") {
                standalone
                    .entry("definitions")
                    .or_insert_with(|| defs.clone());
            }
            let compiled =
                event_contracts_schema::load::compile_validator(&Value::Object(standalone)).ok();
            self.checks.insert(key.clone(), compiled);
        }
        Some(key)
    }

    /// The schema as an object with `$ref`s followed and `allOf` merged in; `None` for `false`.
    fn view<'s>(&self, schema: &'s Value, depth: usize) -> Option<Cow<'s, Map<String, Value>>>
    where
        'a: 's,
    {
        let root: &'s Value = self.root;
        let (node, _) = resolve(root, schema, "").ok()?;
        let map: Cow<'s, Map<String, Value>> = match node {
            Value::Bool(true) => Cow::Owned(Map::new()),
            Value::Object(m) => Cow::Borrowed(m),
            _ => return None,
        };
        match map.get("allOf").and_then(Value::as_array) {
            Some(branches) if depth <= MAX_DEPTH => {
                let mut merged = map.as_ref().clone();
                merged.remove("allOf");
                for branch in branches {
                    let branch = self.view(branch, depth + 1)?;
                    merge_into(&mut merged, &branch);
                }
                Some(Cow::Owned(merged))
            }
            _ => Some(map),
        }
    }

    fn plans(&mut self, node: &Map<String, Value>, safe: bool) -> Vec<Plan> {
        if let Some(n) = branches_of(node) {
            return (0..n).map(Plan::Branch).collect();
        }
        if let Ok(Some(values)) = crate::schema::allowed_values(node) {
            let ok: Vec<Plan> = values
                .iter()
                .filter(|v| scalar_ok(node, v))
                .map(|v| Plan::Value((*v).clone()))
                .collect();
            return ok;
        }
        let declared = declared_types(node).unwrap_or(Types::ALL);
        let mut plans = Vec::new();
        for t in type_order(node, declared) {
            match t {
                Types::STRING => plans.extend(self.strings(node).into_iter().map(Plan::Value)),
                Types::INTEGER => plans.extend(numbers(node, true).into_iter().map(Plan::Value)),
                Types::FRACTION => plans.extend(
                    numbers(node, false)
                        .into_iter()
                        .filter(|v| Types::of(v) == Types(Types::FRACTION))
                        .map(Plan::Value),
                ),
                Types::BOOLEAN => {
                    plans.push(Plan::Value(Value::Bool(false)));
                    plans.push(Plan::Value(Value::Bool(true)));
                }
                Types::NULL => plans.push(Plan::Value(Value::Null)),
                Types::OBJECT => {
                    let object = |optional, extras, patterned| Plan::Object {
                        optional,
                        extras,
                        patterned,
                    };
                    plans.push(object(false, 0, false));
                    plans.push(object(true, 0, false));
                    if node
                        .get("patternProperties")
                        .is_some_and(|p| p.as_object().is_some_and(|p| !p.is_empty()))
                    {
                        plans.push(object(false, 0, true));
                    }
                    let open = !matches!(Additional::of(node), Additional::Closed);
                    if open || !safe {
                        plans.push(object(false, 1, false));
                        let max = count(node, "maxProperties").ok().flatten().unwrap_or(3);
                        plans.push(object(true, max.min(8) as usize, false));
                    }
                    if !safe {
                        plans.push(Plan::Value(Value::Object(Map::new())));
                    }
                }
                Types::ARRAY => {
                    let min = count(node, "minItems").ok().flatten().unwrap_or(0);
                    let max = count(node, "maxItems").ok().flatten();
                    let mut lens = vec![min, min.max(1), min + 3];
                    if let Some(max) = max {
                        lens.push(max.min(min + 50));
                        lens.retain(|l| *l <= max);
                    }
                    lens.dedup();
                    for len in lens {
                        plans.push(Plan::Array {
                            len,
                            duplicate: false,
                        });
                    }
                    let unique = node.get("uniqueItems") == Some(&Value::Bool(true));
                    if !safe || !unique {
                        plans.push(Plan::Array {
                            len: min.max(2),
                            duplicate: true,
                        });
                    }
                }
                _ => {}
            }
        }
        plans
    }

    fn build(
        &mut self,
        node: &Map<String, Value>,
        plan: &Plan,
        choices: &mut dyn Choices,
        depth: usize,
        safe: bool,
    ) -> Option<Value> {
        match plan {
            Plan::Value(v) => Some(v.clone()),
            Plan::Branch(i) => {
                let merged = Value::Object(merge_branch(node, *i)?);
                self.value(&merged, choices, depth + 1, safe)
            }
            Plan::Object {
                optional,
                extras,
                patterned,
            } => {
                let mut object = self.object(node, *optional, *extras, choices, depth, safe)?;
                if *patterned {
                    self.pattern_members(node, &mut object, choices, depth, safe);
                }
                Some(Value::Object(object))
            }
            Plan::Array { len, duplicate } => self
                .array(node, *len, *duplicate, choices, depth, safe)
                .map(Value::Array),
        }
    }

    fn object(
        &mut self,
        node: &Map<String, Value>,
        optional: bool,
        extras: usize,
        choices: &mut dyn Choices,
        depth: usize,
        safe: bool,
    ) -> Option<Map<String, Value>> {
        let mut out = Map::new();
        let required = crate::schema::required(node);
        let props = node.get("properties").and_then(Value::as_object);
        let max = count(node, "maxProperties").ok().flatten();
        let min = count(node, "minProperties").ok().flatten().unwrap_or(0);
        for name in &required {
            let schema = property_schema(node, name);
            let v = self.value(&schema, choices, depth + 1, safe)?;
            out.insert(name.clone(), v);
        }
        if let Some(props) = props {
            for (name, schema) in props {
                if out.contains_key(name) || max.is_some_and(|m| out.len() as u64 >= m) {
                    continue;
                }
                // Random mode includes each optional property by a coin flip.
                let include = (optional && choices.pick(2) == 0) || (out.len() as u64) < min;
                if include {
                    if let Some(v) = self.value(schema, choices, depth + 1, safe) {
                        out.insert(name.clone(), v);
                    }
                }
            }
        }
        let mut wanted_extras = extras;
        if (out.len() as u64) < min {
            wanted_extras = wanted_extras.max((min - out.len() as u64) as usize);
        }
        for i in 0..wanted_extras {
            if max.is_some_and(|m| out.len() as u64 >= m) {
                break;
            }
            let Some(name) = self.extra_name(node, &out, i) else {
                break;
            };
            let v = match Additional::of(node) {
                Additional::Open => match choices.pick(4) {
                    0 => Value::String("x".to_owned()),
                    1 => Value::from(1),
                    2 => Value::Bool(true),
                    _ => Value::Null,
                },
                Additional::Closed => Value::String("x".to_owned()),
                Additional::Schema(s) => match self.value(s, choices, depth + 1, safe) {
                    Some(v) => v,
                    None => break,
                },
            };
            out.insert(name, v);
        }
        // A property whose presence requires others (dependencies, array form).
        if let Some(deps) = node.get("dependencies").and_then(Value::as_object) {
            for (name, dep) in deps {
                if !out.contains_key(name) {
                    continue;
                }
                for needed in dep
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                {
                    if !out.contains_key(needed) {
                        let schema = property_schema(node, needed);
                        let v = self.value(&schema, choices, depth + 1, safe)?;
                        out.insert(needed.to_owned(), v);
                    }
                }
            }
        }
        Some(out)
    }

    /// Adds one member for each `patternProperties` pattern, named by a matching string.
    fn pattern_members(
        &mut self,
        node: &Map<String, Value>,
        object: &mut Map<String, Value>,
        choices: &mut dyn Choices,
        depth: usize,
        safe: bool,
    ) {
        let Some(patterns) = node.get("patternProperties").and_then(Value::as_object) else {
            return;
        };
        let declared = node.get("properties").and_then(Value::as_object);
        for (pattern, schema) in patterns {
            let name = regex_sample::matching(pattern, 4)
                .into_iter()
                .find(|n| !object.contains_key(n) && !declared.is_some_and(|d| d.contains_key(n)));
            if let Some(name) = name {
                if let Some(v) = self.value(schema, choices, depth + 1, safe) {
                    object.insert(name, v);
                }
            }
        }
    }

    fn extra_name(
        &self,
        node: &Map<String, Value>,
        taken: &Map<String, Value>,
        skip: usize,
    ) -> Option<String> {
        let declared = node.get("properties").and_then(Value::as_object);
        let free = |name: &str| {
            !declared.is_some_and(|d| d.contains_key(name))
                && !taken.contains_key(name)
                && !self.avoid.contains(name)
                && matching_patterns(node, name).is_empty()
        };
        EXTRA_NAMES
            .iter()
            .map(|n| (*n).to_owned())
            .chain((0..64).map(|i| format!("extra{i}")))
            .filter(|n| free(n))
            .nth(skip)
    }

    fn array(
        &mut self,
        node: &Map<String, Value>,
        len: u64,
        duplicate: bool,
        choices: &mut dyn Choices,
        depth: usize,
        safe: bool,
    ) -> Option<Vec<Value>> {
        let unique = node.get("uniqueItems") == Some(&Value::Bool(true));
        let mut out: Vec<Value> = Vec::new();
        let len = len.min(64);
        for i in 0..len {
            let schema = item_schema(node, i as usize);
            let mut v = self.value(&schema, choices, depth + 1, safe)?;
            if !duplicate && out.contains(&v) {
                // Distinct items (required under uniqueItems, and more telling anyway):
                // take the first sample not used yet.
                let alternative = self
                    .samples_at(&schema, depth + 1)
                    .into_iter()
                    .find(|a| !out.contains(a));
                match alternative {
                    Some(a) => v = a,
                    None if unique => return None,
                    None => {}
                }
            }
            out.push(v);
        }
        if duplicate {
            if let Some(first) = out.first().cloned() {
                if out.len() < 2 {
                    out.push(first);
                } else {
                    out[1] = first;
                }
            }
        }
        if let Some(contains) = node.get("contains") {
            let v = self.value(contains, choices, depth + 1, safe)?;
            if !out.contains(&v) {
                out.push(v);
            }
        }
        Some(out)
    }

    /// A few values of `schema` for distinct array items: scalars when the schema has them
    /// (cheap), else the first few containers. Counted against the step budget.
    fn samples_at(&mut self, schema: &Value, depth: usize) -> Vec<Value> {
        self.steps += 1;
        if depth > MAX_DEPTH || self.steps > STEP_BUDGET {
            return Vec::new();
        }
        let Some(node) = self.view(schema, depth) else {
            return Vec::new();
        };
        let plans = self.plans(&node, true);
        let scalars: Vec<Value> = plans
            .iter()
            .filter_map(|p| match p {
                Plan::Value(v) => Some(v.clone()),
                _ => None,
            })
            .collect();
        if scalars.len() >= 2 {
            return scalars;
        }
        plans
            .iter()
            .take(4)
            .filter_map(|p| self.build(&node, p, &mut FirstChoice, depth, true))
            .collect()
    }

    fn strings(&self, node: &Map<String, Value>) -> Vec<Value> {
        let min = count(node, "minLength").ok().flatten().unwrap_or(0);
        let max = count(node, "maxLength").ok().flatten();
        if min > 100_000 {
            return Vec::new();
        }
        let mut candidates: Vec<String> = Vec::new();
        if let Some(format) = node.get("format").and_then(Value::as_str) {
            candidates.extend(format_samples(format).iter().map(|s| (*s).to_owned()));
        }
        if let Some(pattern) = node.get("pattern").and_then(Value::as_str) {
            candidates.extend(regex_sample::matching_with_length(pattern, min, max));
        }
        let preferred = min.max(1).min(max.unwrap_or(u64::MAX));
        candidates.push("a".repeat(preferred as usize));
        candidates.push("a".repeat(min as usize));
        candidates.push("b".repeat(preferred as usize));
        candidates.push("a".repeat(min as usize + 1));
        if let Some(max) = max.filter(|m| *m <= 10_000) {
            candidates.push("a".repeat(max as usize));
        }
        let mut out: Vec<Value> = Vec::new();
        for c in candidates {
            let v = Value::String(c);
            if scalar_ok(node, &v) && !out.contains(&v) {
                out.push(v);
            }
        }
        out
    }
}

/// The order types are tried in: declared order (null last), else the type the keywords suggest.
fn type_order(node: &Map<String, Value>, declared: Types) -> Vec<u8> {
    let mut order: Vec<u8> = Vec::new();
    if let Some(Value::String(_)) | Some(Value::Array(_)) = node.get("type") {
        let names: Vec<&str> = match node.get("type") {
            Some(Value::String(s)) => vec![s.as_str()],
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        for name in names {
            match name {
                "number" => order.extend([Types::INTEGER, Types::FRACTION]),
                other => order.extend(Types::from_name(other)),
            }
        }
        order.sort_by_key(|t| *t == Types::NULL);
        order.dedup();
        return order;
    }
    let has = |keys: &[&str]| keys.iter().any(|k| node.contains_key(*k));
    if has(&[
        "properties",
        "required",
        "additionalProperties",
        "minProperties",
        "maxProperties",
        "patternProperties",
        "dependencies",
        "propertyNames",
    ]) {
        order.push(Types::OBJECT);
    }
    if has(&[
        "items",
        "minItems",
        "maxItems",
        "uniqueItems",
        "contains",
        "additionalItems",
    ]) {
        order.push(Types::ARRAY);
    }
    if has(&["minLength", "maxLength", "pattern", "format"]) {
        order.push(Types::STRING);
    }
    if has(&[
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
    ]) {
        order.push(Types::INTEGER);
        order.push(Types::FRACTION);
    }
    for t in [
        Types::STRING,
        Types::INTEGER,
        Types::BOOLEAN,
        Types::NULL,
        Types::OBJECT,
        Types::ARRAY,
        Types::FRACTION,
    ] {
        if !order.contains(&t) {
            order.push(t);
        }
    }
    order.retain(|t| declared.has(*t));
    order
}

/// Numbers inside the bounds and on the step, closest to zero first.
fn numbers(node: &Map<String, Value>, integer: bool) -> Vec<Value> {
    let lo = lower_bound(node, integer).ok().flatten();
    let hi = upper_bound(node, integer).ok().flatten();
    let m = step(node, integer).ok().flatten();
    let mut raw: Vec<f64> = vec![0.0, 1.0, -1.0];
    if let Some(lo) = lo {
        raw.push(lo.value);
        let gap = hi.map_or(1.0, |h| {
            ((h.value - lo.value) / 2.0).clamp(f64::MIN_POSITIVE, 1.0)
        });
        raw.push(lo.value + gap);
        raw.push(lo.value + 1.0);
    }
    if let Some(hi) = hi {
        raw.push(hi.value);
        let gap = lo.map_or(1.0, |l| {
            ((hi.value - l.value) / 2.0).clamp(f64::MIN_POSITIVE, 1.0)
        });
        raw.push(hi.value - gap);
        raw.push(hi.value - 1.0);
    }
    // A few more points on the step, for distinct array items.
    let base = lo.map_or(0.0, |l| l.value);
    let unit = m.unwrap_or(1.0);
    raw.extend((1..=4).map(|k| base + unit * f64::from(k)));
    if !integer {
        raw.push(0.5);
        raw.extend(lo.map(|l| l.value + 0.5));
        raw.extend(hi.map(|h| h.value - 0.5));
    }
    let mut out: Vec<Value> = Vec::new();
    for x in raw {
        let mut x = x;
        if let Some(m) = m {
            x = (x / m).ceil() * m;
            if !is_multiple(x, m) {
                continue;
            }
        }
        if integer {
            x = x.ceil();
        }
        if let Some(lo) = lo {
            if x < lo.value || (lo.exclusive && x == lo.value) {
                continue;
            }
        }
        if let Some(hi) = hi {
            if x > hi.value || (hi.exclusive && x == hi.value) {
                continue;
            }
        }
        if let Some(v) = number_value(x) {
            if scalar_ok(node, &v) && !out.iter().any(|o| crate::schema::json_eq(o, &v)) {
                out.push(v);
            }
        }
    }
    out
}

/// A JSON number: integers print without a fraction.
fn number_value(x: f64) -> Option<Value> {
    if !x.is_finite() {
        return None;
    }
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        return Some(Value::from(x as i64));
    }
    Number::from_f64(x).map(Value::Number)
}

/// Strings in each known format.
fn format_samples(format: &str) -> &'static [&'static str] {
    match format {
        "uuid" => &[
            "00000000-0000-4000-8000-000000000000",
            "123e4567-e89b-42d3-a456-426614174000",
            "abcdefab-cdef-abcd-efab-cdefabcdefab",
            "FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF",
        ],
        "date-time" => &[
            "2024-01-01T00:00:00Z",
            "2024-02-29T23:59:59.5+01:00",
            "1998-12-31t23:59:60z",
            "2024-06-30T12:00:00-07:00",
        ],
        "date" => &["2024-01-01"],
        "time" => &["00:00:00Z"],
        "email" | "idn-email" => &["user@example.com"],
        "hostname" | "idn-hostname" => &["example.com"],
        "ipv4" => &["192.0.2.1"],
        "ipv6" => &["2001:db8::1"],
        "uri" | "iri" => &["https://example.com/"],
        "uri-reference" | "iri-reference" => &["https://example.com/", "/a"],
        "uri-template" => &["https://example.com/{id}"],
        "json-pointer" => &["/a"],
        "relative-json-pointer" => &["0"],
        "regex" => &["^a$"],
        "duration" => &["P1D"],
        _ => &[],
    }
}

/// The number of anyOf/oneOf branches, when the node branches.
fn branches_of(node: &Map<String, Value>) -> Option<usize> {
    ["anyOf", "oneOf"]
        .iter()
        .find_map(|k| node.get(*k).and_then(Value::as_array))
        .map(Vec::len)
        .filter(|n| *n > 0)
}

/// The node with its anyOf/oneOf replaced by branch `i` merged in.
fn merge_branch(node: &Map<String, Value>, i: usize) -> Option<Map<String, Value>> {
    let key = ["anyOf", "oneOf"]
        .into_iter()
        .find(|k| node.contains_key(*k))?;
    let branch = node.get(key)?.as_array()?.get(i)?;
    let mut merged = node.clone();
    merged.remove(key);
    let mut wrapper = Map::new();
    wrapper.insert("allOf".to_owned(), Value::Array(vec![branch.clone()]));
    merge_into(&mut merged, &wrapper);
    Some(merged)
}

/// Merges `extra` into `base` as `allOf` would: properties and required combine, types
/// intersect, and a keyword both have becomes an `allOf` of the two.
fn merge_into(base: &mut Map<String, Value>, extra: &Map<String, Value>) {
    for (key, value) in extra {
        match (key.as_str(), base.get_mut(key)) {
            (_, None) => {
                base.insert(key.clone(), value.clone());
            }
            ("properties", Some(Value::Object(props))) => {
                if let Value::Object(more) = value {
                    for (name, schema) in more {
                        let merged = match props.get(name) {
                            Some(existing) => {
                                let mut m = Map::new();
                                m.insert(
                                    "allOf".to_owned(),
                                    Value::Array(vec![existing.clone(), schema.clone()]),
                                );
                                Value::Object(m)
                            }
                            None => schema.clone(),
                        };
                        props.insert(name.clone(), merged);
                    }
                }
            }
            ("required", Some(Value::Array(names))) => {
                for name in value.as_array().into_iter().flatten() {
                    if !names.contains(name) {
                        names.push(name.clone());
                    }
                }
            }
            ("type", Some(existing)) => {
                let a = declared_types(&single("type", existing.clone())).unwrap_or(Types::ALL);
                let b = declared_types(&single("type", value.clone())).unwrap_or(Types::ALL);
                let both = a.and(b);
                let names: Vec<Value> = both
                    .names()
                    .into_iter()
                    .map(|n| Value::String(n.to_owned()))
                    .collect();
                *existing = Value::Array(names);
            }
            ("allOf", Some(Value::Array(items))) => {
                items.extend(value.as_array().into_iter().flatten().cloned());
            }
            (_, Some(existing)) if existing == value => {}
            (_, Some(_)) => {
                // Both constrain the same keyword: keep ours; the validator checks the result.
            }
        }
    }
}

fn single(key: &str, value: Value) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert(key.to_owned(), value);
    m
}

/// The schema a property of this object must match.
fn property_schema(node: &Map<String, Value>, name: &str) -> Value {
    if let Some(s) = node.get("properties").and_then(|p| p.get(name)) {
        return s.clone();
    }
    if let Some((_, s)) = matching_patterns(node, name).first() {
        return (*s).clone();
    }
    match Additional::of(node) {
        Additional::Open => TRUE_SCHEMA.clone(),
        Additional::Closed => Value::Bool(false),
        Additional::Schema(s) => s.clone(),
    }
}

/// The schema element `i` of this array must match.
fn item_schema(node: &Map<String, Value>, i: usize) -> Value {
    match node.get("items") {
        None => TRUE_SCHEMA.clone(),
        Some(Value::Array(items)) => items
            .get(i)
            .cloned()
            .or_else(|| node.get("additionalItems").cloned())
            .unwrap_or(Value::Bool(true)),
        Some(s) => s.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn valid(schema: &Value, instance: &Value) -> bool {
        event_contracts_schema::load::compile_validator(schema)
            .unwrap()
            .is_valid(instance)
    }

    #[test]
    fn minimal_instances_are_valid() {
        let schema = json!({
            "definitions": {"id": {"type": "string", "format": "uuid"}},
            "type": "object",
            "required": ["id", "version", "n", "tags", "kind", "at"],
            "properties": {
                "id": {"$ref": "#/definitions/id"},
                "version": {"type": "string", "pattern": "^\\d+\\.\\d+\\.\\d+$"},
                "n": {"type": "integer", "exclusiveMinimum": 3, "multipleOf": 5},
                "tags": {"type": "array", "items": {"type": "string", "minLength": 2}, "minItems": 2, "uniqueItems": true},
                "kind": {"enum": ["a", "b"]},
                "at": {"type": "string", "format": "date-time"},
                "opt": {"type": "null"}
            },
            "additionalProperties": false
        });
        let v = Generator::new(&schema).minimal(&schema).unwrap();
        assert_eq!(
            v,
            json!({"id": "00000000-0000-4000-8000-000000000000", "version": "0.0.0", "n": 5,
                   "tags": ["aa", "bb"], "kind": "a", "at": "2024-01-01T00:00:00Z"})
        );
        assert!(valid(&schema, &v));
    }

    #[test]
    fn branches_and_all_of_are_followed() {
        let schema = json!({"allOf": [{"type": "object", "required": ["a"]}, {"properties": {"a": {"type": "integer", "minimum": 2}}}],
                            "properties": {"b": {"oneOf": [{"type": "string"}, {"type": "null"}]}}, "required": ["b"]});
        let v = Generator::new(&schema).minimal(&schema).unwrap();
        assert_eq!(v, json!({"a": 2, "b": "a"}));
        assert!(valid(&schema, &v));
    }

    #[test]
    fn recursion_and_contradiction_end() {
        let endless = json!({"definitions": {"n": {"type": "object", "required": ["c"], "properties": {"c": {"$ref": "#/definitions/n"}}}},
                             "$ref": "#/definitions/n"});
        assert_eq!(Generator::new(&endless).minimal(&endless), None);
        let closed = json!({"type": "object", "required": ["x"], "additionalProperties": false});
        assert_eq!(Generator::new(&closed).minimal(&closed), None);
        let tree = json!({"definitions": {"n": {"type": "object", "properties": {"c": {"type": "array", "items": {"$ref": "#/definitions/n"}}}}},
                          "$ref": "#/definitions/n"});
        let mut g = Generator::new(&tree);
        for seed in 0..50 {
            let v = g.random(&tree, &mut SeededChoices::new(seed));
            assert!(v.as_ref().is_none_or(|v| valid(&tree, v)), "{v:?}");
        }
    }

    #[test]
    fn samples_cover_the_boundaries() {
        let schema = json!({"type": "string", "minLength": 1, "maxLength": 3});
        let s = Generator::new(&schema).samples(&schema);
        assert_eq!(s, vec![json!("a"), json!("b"), json!("aa"), json!("aaa")]);
        let n = json!({"type": "integer", "minimum": 2, "maximum": 10});
        assert_eq!(
            Generator::new(&n).samples(&n),
            vec![
                json!(2),
                json!(3),
                json!(10),
                json!(9),
                json!(4),
                json!(5),
                json!(6)
            ]
        );
        let any = json!({});
        let kinds: BTreeSet<&str> = Generator::new(&any)
            .samples(&any)
            .iter()
            .map(|v| match v {
                Value::Null => "null",
                Value::Bool(_) => "boolean",
                Value::Number(_) => "number",
                Value::String(_) => "string",
                Value::Array(_) => "array",
                Value::Object(_) => "object",
            })
            .collect();
        assert_eq!(kinds.len(), 6);
    }

    #[test]
    fn along_places_a_value_deep_inside() {
        let schema = json!({"type": "object", "required": ["data"], "properties": {
            "data": {"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "string"}}}}}});
        let mut g = Generator::new(&schema);
        let path = [
            Seg::Prop("data".into()),
            Seg::Prop("tags".into()),
            Seg::Item,
        ];
        assert_eq!(
            g.along(&schema, &path, &Some(json!(7))),
            Some(json!({"data": {"tags": [7]}}))
        );
        let extra = [Seg::Prop("data".into()), Seg::Extra];
        assert_eq!(
            g.along(&schema, &extra, &Some(json!(1))),
            Some(json!({"data": {"extraProperty": 1}}))
        );
        let gone = [Seg::Prop("data".into())];
        assert_eq!(g.along(&schema, &gone, &None), Some(json!({})));
    }

    #[test]
    fn seeded_choices_are_reproducible() {
        let mut a = SeededChoices::new(7);
        let mut b = SeededChoices::new(7);
        let xs: Vec<usize> = (0..20).map(|_| a.pick(10)).collect();
        let ys: Vec<usize> = (0..20).map(|_| b.pick(10)).collect();
        assert_eq!(xs, ys);
        assert!(xs.iter().any(|x| *x != xs[0]));
    }
}
