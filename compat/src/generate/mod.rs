//! Builds instances from [`View`]s: minimal ones (the base of every witness), a few per
//! plan (each type, each enum value, objects with and without optional and undeclared
//! properties, arrays of several lengths), and random ones driven by a [`Choices`] source.
//!
//! The generator works on the same views the comparison reads, so a value for a set of
//! schemas that all apply at once (a property's declaration and the branch of a union
//! chosen for it, the old and the new version together) is built from their merged
//! keywords. What the plans do not guarantee (`not`, `if`/`then`/`else`, `oneOf`
//! exclusivity, `contains`, `propertyNames`, schema dependencies, content) is checked with
//! the validator of the node that asks for it. Work and depth are bounded, so a recursive
//! or unsatisfiable schema yields `None`, never a hang.

mod containers;
mod scalars;

use std::collections::BTreeSet;
use std::rc::Rc;

use serde_json::Value;

use crate::node::{Loc, Schemas, NEW};
use crate::values::Types;
use crate::view::View;

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

/// The `k`-th option at the first choice, the first option after it: the `k`-th plan of
/// a value with minimal parts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NthChoice(pub Option<usize>);

impl Choices for NthChoice {
    fn pick(&mut self, n: usize) -> usize {
        self.0.take().map_or(0, |k| k.min(n.saturating_sub(1)))
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

/// Nesting the generator builds at most.
const MAX_DEPTH: usize = 40;
/// Values built per call at most.
const STEP_BUDGET: usize = 20_000;

/// What to build at one position, before its children are chosen.
#[derive(Debug, Clone)]
pub(crate) enum Plan {
    Value(Value),
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

/// The generator over one [`Schemas`].
pub(crate) struct Gen<'s> {
    s: &'s Schemas,
    steps: usize,
    avoid: Rc<BTreeSet<String>>,
    extra_avoid: BTreeSet<String>,
    /// Nodes not checked with their validator (a oneOf whose overlap is being built).
    unchecked: Vec<Loc>,
}

impl<'s> Gen<'s> {
    /// A generator that never uses a name either version declares for an undeclared property.
    pub fn new(s: &'s Schemas) -> Self {
        Gen {
            s,
            steps: 0,
            avoid: s.declared_names(),
            extra_avoid: BTreeSet::new(),
            unchecked: Vec::new(),
        }
    }

    /// Leaves the nodes at `locs` unchecked (e.g. the oneOf whose branches must overlap).
    pub fn leave_unchecked(&mut self, locs: Vec<Loc>) {
        self.unchecked = locs;
    }

    /// More names never used for undeclared properties.
    pub fn avoid<I: IntoIterator<Item = String>>(&mut self, names: I) {
        self.extra_avoid.extend(names);
    }

    fn avoided(&self, name: &str) -> bool {
        self.avoid.contains(name) || self.extra_avoid.contains(name)
    }

    /// A value of `conj` built with `choices`.
    pub fn value_with(&mut self, conj: &[Loc], choices: &mut dyn Choices) -> Option<Value> {
        self.steps = 0;
        self.value(conj, choices, 0)
    }

    /// Up to `n` different values of `conj`: the minimal one, one per plan, then random ones.
    pub fn candidates(&mut self, conj: &[Loc], n: usize) -> Vec<Value> {
        let mut out: Vec<Value> = Vec::new();
        let push = |out: &mut Vec<Value>, v: Option<Value>| {
            if let Some(v) = v {
                if !out.contains(&v) {
                    out.push(v);
                }
            }
        };
        push(&mut out, self.value_with(conj, &mut FirstChoice));
        let view = self.s.view(conj);
        if view.unions.is_empty() {
            let plans = self.plans(&view, conj);
            for plan in plans.iter().take(n) {
                self.steps = 0;
                let v = self.build(&view, conj, plan, &mut FirstChoice, 0);
                if v.as_ref().is_some_and(|v| self.checked(&view, v)) {
                    push(&mut out, v);
                }
                if out.len() >= n {
                    return out;
                }
            }
        }
        for seed in 0..(2 * n as u64) {
            if out.len() >= n {
                break;
            }
            let v = self.value_with(conj, &mut SeededChoices::new(seed));
            push(&mut out, v);
        }
        out
    }

    fn tick(&mut self, depth: usize) -> bool {
        self.steps += 1;
        depth <= MAX_DEPTH && self.steps <= STEP_BUDGET
    }

    /// A value of `conj`: unions and conditions are decided first, then a plan is built.
    pub(crate) fn value(
        &mut self,
        conj: &[Loc],
        choices: &mut dyn Choices,
        depth: usize,
    ) -> Option<Value> {
        if !self.tick(depth) {
            return None;
        }
        let view = self.s.view(conj);
        if view.never || view.truncated || !view.unresolved.is_empty() {
            return None;
        }
        if let Some(u) = view.unions.first() {
            let n = u.branches.len();
            let first = choices.pick(n);
            for i in std::iter::once(first)
                .chain((0..n).filter(|i| *i != first))
                .take(8)
            {
                let mut next = conj.to_vec();
                next.push(u.branches[i].clone());
                if let Some(v) = self.value(&next, choices, depth + 1) {
                    return Some(v);
                }
            }
            return None;
        }
        if let Some(plans) = self.condition_plans(&view, conj) {
            let first = choices.pick(plans.len());
            for i in std::iter::once(first).chain((0..plans.len()).filter(|i| *i != first)) {
                let v = match &plans[i] {
                    Some(next) => self.value(next, choices, depth + 1),
                    None => self.build_view(&view, conj, choices, depth),
                };
                if v.is_some() {
                    return v;
                }
            }
            return None;
        }
        self.build_view(&view, conj, choices, depth)
    }

    /// For the first undecided `if`: the conjunction with `if` and `then`, and the one with
    /// `else` (`None`: build as is and let the check decide).
    fn condition_plans(&self, view: &View, conj: &[Loc]) -> Option<Vec<Option<Vec<Loc>>>> {
        let inside = |l: &Loc| self.s.resolve(l).is_ok_and(|r| view.key.contains(&r));
        let c = view.conditionals.iter().find(|c| {
            (c.then_.is_some() || c.else_.is_some())
                && !inside(&c.if_)
                && !c.else_.as_ref().is_some_and(inside)
        })?;
        let mut then_plan = conj.to_vec();
        then_plan.push(c.if_.clone());
        then_plan.extend(c.then_.clone());
        let else_plan = c.else_.as_ref().map(|e| {
            let mut p = conj.to_vec();
            p.push(e.clone());
            p
        });
        Some(vec![Some(then_plan), else_plan])
    }

    fn build_view(
        &mut self,
        view: &View,
        conj: &[Loc],
        choices: &mut dyn Choices,
        depth: usize,
    ) -> Option<Value> {
        let plans = self.plans(view, conj);
        if plans.is_empty() {
            return None;
        }
        let first = choices.pick(plans.len());
        let order = std::iter::once(first).chain((0..plans.len()).filter(|i| *i != first));
        for i in order.take(12) {
            if let Some(v) = self.build(view, conj, &plans[i], choices, depth) {
                if self.checked(view, &v) {
                    return Some(v);
                }
            }
        }
        None
    }

    /// Whether the nodes whose keywords the plans do not guarantee accept `value`.
    pub(crate) fn checked(&self, view: &View, value: &Value) -> bool {
        if !view.needs_check() {
            return true;
        }
        view.parts.iter().all(|p| {
            let n = &p.node;
            let asks = n.not.is_some()
                || n.if_.is_some()
                || n.contains.is_some()
                || n.property_names.is_some()
                || n.one_of.len() > 1
                || n.content_encoding.is_some()
                || n.content_media_type.is_some()
                || !n.malformed.is_empty()
                || n.dependencies
                    .iter()
                    .any(|(_, d)| matches!(d, crate::node::Dependency::Schema(_)));
            !asks || self.unchecked.contains(&n.loc) || self.s.accepts(&n.loc, value) != Some(false)
        })
    }

    /// The plans for a view without open unions.
    pub(crate) fn plans(&self, view: &View, conj: &[Loc]) -> Vec<Plan> {
        if view.never {
            return Vec::new();
        }
        if let Some(values) = &view.values {
            return values
                .iter()
                .filter(|v| view.scalar_ok(v))
                .map(|v| Plan::Value(v.clone()))
                .collect();
        }
        let mut plans = Vec::new();
        for t in type_order(view) {
            match t {
                Types::STRING => plans.extend(self.strings(view).into_iter().map(Plan::Value)),
                Types::INTEGER => {
                    plans.extend(scalars::numbers(view, true).into_iter().map(Plan::Value))
                }
                Types::FRACTION => plans.extend(
                    scalars::numbers(view, false)
                        .into_iter()
                        .filter(|v| Types::of(v) == Types(Types::FRACTION))
                        .map(Plan::Value),
                ),
                Types::BOOLEAN => {
                    plans.push(Plan::Value(Value::Bool(false)));
                    plans.push(Plan::Value(Value::Bool(true)));
                }
                Types::NULL => plans.push(Plan::Value(Value::Null)),
                Types::OBJECT => plans.extend(containers::object_plans(view)),
                Types::ARRAY => plans.extend(containers::array_plans(view)),
                _ => {}
            }
        }
        let _ = conj;
        plans
    }

    fn build(
        &mut self,
        view: &View,
        conj: &[Loc],
        plan: &Plan,
        choices: &mut dyn Choices,
        depth: usize,
    ) -> Option<Value> {
        match plan {
            Plan::Value(v) => Some(v.clone()),
            Plan::Object {
                optional,
                extras,
                patterned,
            } => {
                let shape = containers::ObjectShape {
                    optional: *optional,
                    extras: *extras,
                    patterned: *patterned,
                };
                self.object(view, conj, shape, choices, depth)
                    .map(Value::Object)
            }
            Plan::Array { len, duplicate } => self
                .array(view, *len, *duplicate, choices, depth)
                .map(Value::Array),
        }
    }
}

/// The order types are tried in: declared order (null last), else the type the keywords suggest.
fn type_order(view: &View) -> Vec<u8> {
    let declared = view.effective_types();
    let mut order: Vec<u8> = Vec::new();
    let suggest = |order: &mut Vec<u8>, t: u8| {
        if !order.contains(&t) {
            order.push(t);
        }
    };
    if view.object_parts().next().is_some() {
        suggest(&mut order, Types::OBJECT);
    }
    if view.array_parts().next().is_some() {
        suggest(&mut order, Types::ARRAY);
    }
    if view.min_length.is_some()
        || view.max_length.is_some()
        || !view.patterns.is_empty()
        || !view.formats.is_empty()
    {
        suggest(&mut order, Types::STRING);
    }
    if !view.lower.is_empty() || !view.upper.is_empty() || !view.steps.is_empty() {
        suggest(&mut order, Types::INTEGER);
        suggest(&mut order, Types::FRACTION);
    }
    for t in [
        Types::STRING,
        Types::INTEGER,
        Types::BOOLEAN,
        Types::OBJECT,
        Types::ARRAY,
        Types::FRACTION,
        Types::NULL,
    ] {
        suggest(&mut order, t);
    }
    order.retain(|t| declared.has(*t));
    order
}

/// Builds instances of one schema document: the generator behind the property tests.
pub struct Generator {
    schemas: Schemas,
    avoid: BTreeSet<String>,
}

impl std::fmt::Debug for Generator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Generator")
            .field("avoid", &self.avoid)
            .finish_non_exhaustive()
    }
}

impl Generator {
    /// A generator for `root` (local `$ref`s resolve against it).
    pub fn new(root: &Value) -> Self {
        Generator {
            schemas: Schemas::pair(root, root),
            avoid: BTreeSet::new(),
        }
    }

    /// Names never used for undeclared properties (e.g. the properties a newer version declares).
    pub fn avoid_names<I: IntoIterator<Item = String>>(&mut self, names: I) {
        self.avoid.extend(names);
    }

    /// A small instance of the document, when the generator can build one.
    pub fn minimal(&mut self) -> Option<Value> {
        self.random(&mut FirstChoice)
    }

    /// An instance of the document driven by `choices`.
    pub fn random(&mut self, choices: &mut dyn Choices) -> Option<Value> {
        let mut g = Gen::new(&self.schemas);
        g.avoid(self.avoid.iter().cloned());
        g.value_with(&[Loc::root(NEW)], choices)
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
        let v = Generator::new(&schema).minimal().unwrap();
        assert_eq!(
            v,
            json!({"id": "00000000-0000-4000-8000-000000000000", "version": "0.0.0", "n": 5,
                   "tags": ["aa", "bb"], "kind": "a", "at": "2024-01-01T00:00:00Z"})
        );
        assert!(valid(&schema, &v));
    }

    #[test]
    fn branches_all_of_and_conditions_are_followed() {
        let schema = json!({"allOf": [{"type": "object", "required": ["a"]}, {"properties": {"a": {"type": "integer", "minimum": 2}}}],
                            "properties": {"b": {"oneOf": [{"type": "string"}, {"type": "null"}]}}, "required": ["b"],
                            "if": {"properties": {"a": {"const": 2}}}, "then": {"required": ["c"]}});
        let v = Generator::new(&schema).minimal().unwrap();
        assert!(valid(&schema, &v), "{v}");
        assert_eq!(v["a"], json!(2));
        assert!(v.get("c").is_some(), "{v}");
        let not = json!({"type": "string", "not": {"enum": ["a", "b"]}});
        let v = Generator::new(&not).minimal().unwrap();
        assert!(valid(&not, &v), "{v}");
    }

    #[test]
    fn recursion_and_contradiction_end() {
        let endless = json!({"definitions": {"n": {"type": "object", "required": ["c"], "properties": {"c": {"$ref": "#/definitions/n"}}}},
                             "$ref": "#/definitions/n"});
        assert_eq!(Generator::new(&endless).minimal(), None);
        let closed = json!({"type": "object", "required": ["x"], "additionalProperties": false});
        assert_eq!(Generator::new(&closed).minimal(), None);
        let tree = json!({"definitions": {"n": {"type": "object", "properties": {"c": {"type": "array", "items": {"$ref": "#/definitions/n"}}}}},
                          "$ref": "#/definitions/n"});
        let mut g = Generator::new(&tree);
        for seed in 0..50 {
            let v = g.random(&mut SeededChoices::new(seed));
            assert!(v.as_ref().is_none_or(|v| valid(&tree, v)), "{v:?}");
        }
    }

    #[test]
    fn candidates_cover_the_boundaries() {
        let s = Schemas::pair(
            &json!({"type": "string", "minLength": 1, "maxLength": 3}),
            &json!({}),
        );
        let c = Gen::new(&s).candidates(&[Loc::root(crate::node::OLD)], 6);
        assert_eq!(c[0], json!("a"));
        assert!(c.contains(&json!("aaa")), "{c:?}");
        let s = Schemas::pair(
            &json!({"type": "integer", "minimum": 2, "maximum": 10}),
            &json!({}),
        );
        let c = Gen::new(&s).candidates(&[Loc::root(crate::node::OLD)], 8);
        assert_eq!(&c[..3], &[json!(2), json!(3), json!(10)]);
        let s = Schemas::pair(&json!({}), &json!({}));
        let kinds: BTreeSet<u8> = Gen::new(&s)
            .candidates(&[Loc::root(crate::node::OLD)], 40)
            .iter()
            .map(|v| Types::of(v).0)
            .collect();
        assert_eq!(kinds.len(), 7, "{kinds:?}");
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
