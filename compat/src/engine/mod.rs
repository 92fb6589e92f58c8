//! The diff: walks two schemas side by side and reports each change under the catalog rule
//! that names it. It judges nothing itself: the bump, whom it breaks and the fix come from
//! [`crate::rules`].
//!
//! The walk goes position by position through the instance: at each, it compares the
//! [`View`]s of what each version applies there. The phases live in submodules:
//! [`meta`] (annotations, defaults, unknown keywords, `$ref` siblings), [`scalars`] (enums,
//! types, strings, numbers), [`objects`], [`arrays`], [`logic`] (`not`, `if`/`then`/`else`)
//! and [`unions`] (`anyOf`/`oneOf`, branch by branch).
//!
//! Pairs of views already compared are remembered, so recursive schemas end, and depth and
//! work are bounded: past a bound the conservative `analysis-limit-reached` finding names
//! where the comparison stopped.

mod arrays;
mod logic;
mod meta;
mod objects;
mod scalars;
mod unions;

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use crate::node::{Loc, Schemas, OLD};
use crate::rules::{Breaks, Bump, Rule};
use crate::values::join;
use crate::view::{alternatives, View};

/// Nesting the walk follows at most.
const MAX_DEPTH: usize = 64;
/// Positions compared at most, sub-comparisons included.
const MAX_STEPS: usize = 60_000;
/// Alternatives a union expands into at most.
const MAX_ALTERNATIVES: usize = 64;

/// One step from a value to a value inside it (or to the same value, seen through a
/// chosen union branch or condition).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Seg {
    /// The top-level value.
    Root,
    /// A named property.
    Prop(String),
    /// An item: at a tuple position, or any item (`None`).
    Item(Option<usize>),
    /// A property the object does not declare.
    Extra,
    /// A property name (what `propertyNames` constrains), not a value.
    Key,
    /// The same value, under more schemas (a union branch, a condition).
    Alt,
}

/// One position of the walk and the schemas each version applies there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Level {
    pub seg: Seg,
    pub old: Vec<Loc>,
    pub new: Vec<Loc>,
}

/// Extra schemas the value at the finding's position must also match, for the version
/// that accepts the witness (`old`: when old accepts it, `new`: when new does). They point
/// the witness at the change, e.g. into the schema of a `not`. Each side may list several
/// sets, tried one at a time; none means the position's own schemas.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Focus {
    pub old: Vec<Vec<Loc>>,
    pub new: Vec<Vec<Loc>>,
}

impl Focus {
    /// One set per side (an empty set adds nothing).
    pub fn one(old: Vec<Loc>, new: Vec<Loc>) -> Focus {
        let set = |l: Vec<Loc>| if l.is_empty() { Vec::new() } else { vec![l] };
        Focus {
            old: set(old),
            new: set(new),
        }
    }
}

/// Where in an event a change bites, and the schemas each version applies on the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target {
    pub levels: Vec<Level>,
    pub focus: Focus,
}

impl Target {
    /// The instance path as a JSON pointer, with `*` for "any item" or "any undeclared property".
    pub fn path_text(&self) -> String {
        path_text(&self.levels)
    }
}

/// A change, before witnesses.
#[derive(Debug, Clone)]
pub(crate) struct RawFinding {
    pub rule: Rule,
    pub old_pointer: Option<String>,
    pub new_pointer: Option<String>,
    pub message: String,
    pub target: Target,
}

/// Keyword pointers of one finding: where the change is in each document, if there.
#[derive(Debug, Clone, Default)]
pub(crate) struct At {
    pub old: Option<String>,
    pub new: Option<String>,
}

impl At {
    pub fn new(old: Option<String>, new: Option<String>) -> At {
        At { old, new }
    }

    /// Falls back to the positions themselves when neither side has a pointer.
    pub fn or(self, old: Option<String>, new: Option<String>) -> At {
        if self.old.is_none() && self.new.is_none() {
            At { old, new }
        } else {
            self
        }
    }
}

/// Which way a change moves the set of accepted values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    /// The same values (as far as the policy cares).
    Equal,
    /// The new version accepts fewer.
    Tightened,
    /// The new version accepts more.
    Loosened,
    /// Some more, some fewer.
    Changed,
}

impl Direction {
    pub fn and(self, other: Direction) -> Direction {
        match (self, other) {
            (Direction::Equal, d) | (d, Direction::Equal) => d,
            (a, b) if a == b => a,
            _ => Direction::Changed,
        }
    }

    /// The direction of a `not` whose schema moved this way.
    pub fn flipped(self) -> Direction {
        match self {
            Direction::Tightened => Direction::Loosened,
            Direction::Loosened => Direction::Tightened,
            d => d,
        }
    }

    /// Picks the rule for this direction; `None` when nothing changed.
    pub fn rule(self, tightened: Rule, loosened: Rule, changed: Rule) -> Option<Rule> {
        match self {
            Direction::Equal => None,
            Direction::Tightened => Some(tightened),
            Direction::Loosened => Some(loosened),
            Direction::Changed => Some(changed),
        }
    }

    fn of(rule: Rule) -> Direction {
        if rule.bump() < Bump::Major || !affects_validity(rule) {
            return Direction::Equal;
        }
        match rule.breaks() {
            Breaks::OldReadersOfNewEvents => Direction::Loosened,
            Breaks::NewReadersOfOldEvents => Direction::Tightened,
            _ => Direction::Changed,
        }
    }
}

/// Whether a rule's findings can change which values validate. `default`, unknown
/// keywords, `$ref` siblings and `$id` do not (as validators see them).
pub(crate) fn affects_validity(rule: Rule) -> bool {
    !matches!(
        rule,
        Rule::AnnotationChanged
            | Rule::DefaultChanged
            | Rule::UnknownKeywordChanged
            | Rule::RefSiblingChanged
            | Rule::IdChanged
            | Rule::SchemaDialectChanged
    )
}

/// What a sub-comparison found.
#[derive(Debug, Clone)]
pub(crate) struct Judgement {
    pub direction: Direction,
    /// Every finding, for callers that pass some on.
    pub findings: Vec<RawFinding>,
}

impl Judgement {
    /// The first finding that moves the direction, as a phrase for a message.
    pub fn detail(&self) -> String {
        self.findings
            .iter()
            .find(|f| Direction::of(f.rule) != Direction::Equal)
            .map_or_else(String::new, |f| format!(" ({})", f.message))
    }

    /// A measure of how different the two sides are, for matching union branches.
    pub fn distance(&self) -> usize {
        self.findings
            .iter()
            .map(|f| match f.rule.bump() {
                Bump::Major if affects_validity(f.rule) => 10,
                Bump::Major | Bump::Minor => 2,
                _ => 0,
            })
            .sum()
    }
}

/// The old and the new schemas of one comparison.
type Pair = (Vec<Loc>, Vec<Loc>);

/// State shared by an engine and the sub-engines it starts.
struct Shared {
    steps: Cell<usize>,
    /// Where the step budget ran out, with the pointers there.
    stopped_at: RefCell<Option<(String, At)>>,
    judgements: RefCell<HashMap<Pair, Judgement>>,
}

/// The walk over two schemas.
pub(crate) struct Engine<'s> {
    s: &'s Schemas,
    levels: Vec<Level>,
    seen: HashSet<Pair>,
    findings: Vec<RawFinding>,
    shared: Rc<Shared>,
    roots_equal: bool,
    /// The step budget ran out while this engine compared.
    truncated: bool,
}

/// Compares the two versions in `s` and returns every change found, in document order.
pub(crate) fn run(s: &Schemas) -> Vec<RawFinding> {
    let roots_equal = crate::values::json_eq(&s.doc(OLD), &s.doc(crate::node::NEW));
    let shared = Rc::new(Shared {
        steps: Cell::new(0),
        stopped_at: RefCell::new(None),
        judgements: RefCell::new(HashMap::new()),
    });
    let mut engine = Engine {
        s,
        levels: Vec::new(),
        seen: HashSet::new(),
        findings: Vec::new(),
        shared: shared.clone(),
        roots_equal,
        truncated: false,
    };
    engine.dialect();
    let root = (vec![Loc::root(OLD)], vec![Loc::root(crate::node::NEW)]);
    engine.compare(Seg::Root, root.0.clone(), root.1.clone());
    // The budget may have run out inside a sub-comparison: the verdict still says so.
    if let Some((place, at)) = shared.stopped_at.borrow_mut().take() {
        let message = format!(
            "the comparison stopped at {place}: the schemas have more than {MAX_STEPS} positions to compare"
        );
        engine.at_level(Seg::Root, root.0, root.1, |e| {
            e.emit(Rule::AnalysisLimitReached, at, message)
        });
    }
    let mut seen = HashSet::new();
    engine
        .findings
        .into_iter()
        .filter(|f| seen.insert((f.rule, f.old_pointer.clone(), f.new_pointer.clone())))
        .collect()
}

/// The instance path of some levels as a JSON pointer (`*`: any item or undeclared property).
pub(crate) fn path_text(levels: &[Level]) -> String {
    levels
        .iter()
        .filter_map(|l| match &l.seg {
            Seg::Prop(name) => Some(join("", name)),
            Seg::Item(Some(i)) => Some(format!("/{i}")),
            Seg::Item(None) | Seg::Extra => Some("/*".to_owned()),
            Seg::Root | Seg::Alt | Seg::Key => None,
        })
        .collect()
}

impl<'s> Engine<'s> {
    /// A fresh engine for a sub-comparison at the current position.
    fn sub(&self) -> Engine<'s> {
        Engine {
            s: self.s,
            levels: self.levels.clone(),
            seen: HashSet::new(),
            findings: Vec::new(),
            shared: self.shared.clone(),
            roots_equal: self.roots_equal,
            truncated: false,
        }
    }

    /// Where the walk is, for messages: a path, or "the top-level value".
    fn place(&self) -> String {
        place_of(&self.levels)
    }

    /// The place of the value that holds the current one.
    fn parent_place(&self) -> String {
        let mut levels = self.levels.clone();
        while let Some(l) = levels.pop() {
            if matches!(l.seg, Seg::Prop(_) | Seg::Item(_) | Seg::Extra | Seg::Key) {
                break;
            }
        }
        place_of(&levels)
    }

    fn target(&self, focus: Focus) -> Target {
        Target {
            levels: self.levels.clone(),
            focus,
        }
    }

    /// Reports a finding at the current position.
    fn emit(&mut self, rule: Rule, at: At, message: String) {
        self.emit_focused(rule, at, message, Focus::default());
    }

    /// Reports a finding at the current position, with a focus for its witness.
    fn emit_focused(&mut self, rule: Rule, at: At, message: String, focus: Focus) {
        let target = self.target(focus);
        self.findings.push(RawFinding {
            rule,
            old_pointer: at.old,
            new_pointer: at.new,
            message,
            target,
        });
    }

    /// Runs `f` one level down (an instance step or the same value under more schemas).
    fn at_level<R>(
        &mut self,
        seg: Seg,
        old: Vec<Loc>,
        new: Vec<Loc>,
        f: impl FnOnce(&mut Self) -> R,
    ) -> R {
        self.levels.push(Level { seg, old, new });
        let out = f(self);
        self.levels.pop();
        out
    }

    /// Compares what each version applies one level down.
    pub(crate) fn compare(&mut self, seg: Seg, old: Vec<Loc>, new: Vec<Loc>) {
        self.at_level(seg, old.clone(), new.clone(), |e| {
            e.compare_here(&old, &new)
        });
    }

    /// The first position of the current level on each side, for pointers.
    fn here(&self) -> (Option<String>, Option<String>) {
        match self.levels.last() {
            Some(l) => (
                l.old.first().and_then(Loc::pointer),
                l.new.first().and_then(Loc::pointer),
            ),
            None => (None, None),
        }
    }

    /// Counts one step; past the bounds, notes where and says stop.
    fn tick(&mut self) -> bool {
        let steps = self.shared.steps.get() + 1;
        self.shared.steps.set(steps);
        if self.levels.len() > MAX_DEPTH {
            let message = format!(
                "the comparison stopped at {}: the schemas nest deeper than {MAX_DEPTH} levels there",
                self.place()
            );
            let (o, n) = self.here();
            self.emit(Rule::AnalysisLimitReached, At::new(o, n), message);
            return false;
        }
        if steps <= MAX_STEPS {
            return true;
        }
        self.truncated = true;
        let mut stopped = self.shared.stopped_at.borrow_mut();
        if stopped.is_none() {
            let (o, n) = self.here();
            *stopped = Some((self.place(), At::new(o, n)));
        }
        false
    }

    fn compare_here(&mut self, old: &[Loc], new: &[Loc]) {
        if !self.tick() || crate::same::identical(self.s, old, new) {
            return;
        }
        if let (Some(o), Some(n)) = (old.first(), new.first()) {
            self.ref_siblings(o, n);
        }
        let (vo, vn) = (self.s.view(old), self.s.view(new));
        if !self.seen.insert((vo.key.clone(), vn.key.clone())) || !self.references(&vo, &vn) {
            return;
        }
        if vo.truncated || vn.truncated {
            let message = format!(
                "the comparison stopped at {}: more than 256 schemas (allOf branches and references) apply there",
                self.place()
            );
            let (o, n) = self.here();
            self.emit(Rule::AnalysisLimitReached, At::new(o, n), message);
            return;
        }
        self.meta(&vo, &vn);
        if self.falsity(&vo, &vn) || (vo.parts_trivial() && vn.parts_trivial()) {
            return;
        }
        match (
            alternatives(self.s, old, MAX_ALTERNATIVES),
            alternatives(self.s, new, MAX_ALTERNATIVES),
        ) {
            (Ok(ao), Ok(an)) if ao.len() == 1 && an.len() == 1 => {
                let (vo, vn) = (self.s.view(&ao[0].conj), self.s.view(&an[0].conj));
                self.facets(&vo, &vn);
            }
            (Ok(ao), Ok(an)) => self.unions(&vo, &vn, ao, an),
            (a, b) => {
                let unions: Vec<String> = a
                    .err()
                    .into_iter()
                    .chain(b.err())
                    .flatten()
                    .filter_map(|l| l.pointer())
                    .collect();
                let message = format!(
                    "the anyOf/oneOf at {} of {} combine into more than {MAX_ALTERNATIVES} alternatives, which the engine does not compare",
                    unions.join(", "),
                    self.place()
                );
                let (o, n) = self.here();
                self.emit(Rule::AnalysisLimitReached, At::new(o, n), message);
            }
        }
    }

    /// `$ref`s among the schemas that cannot be followed. Returns whether the comparison
    /// can go on.
    fn references(&mut self, vo: &View, vn: &View) -> bool {
        let (eo, en) = (vo.unresolved.first(), vn.unresolved.first());
        if eo.is_none() && en.is_none() {
            return true;
        }
        let (to, tn) = (eo.map(|(_, t)| t.clone()), en.map(|(_, t)| t.clone()));
        // The same unresolvable reference on both sides may still mean something different
        // (an external document, an `$id`): only identical documents are safe.
        if to != tn || !self.roots_equal {
            let describe = |t: &Option<String>| match t {
                Some(s) => format!("the unresolvable $ref {s:?}"),
                None => "a resolvable schema".to_owned(),
            };
            let message = if to == tn {
                format!(
                    "{} is {} in both versions, and the documents differ, so it cannot be compared",
                    self.place(),
                    describe(&to)
                )
            } else {
                format!(
                    "{} was {}, now {}",
                    self.place(),
                    describe(&to),
                    describe(&tn)
                )
            };
            let (ho, hn) = self.here();
            let pointer = |e: Option<&(Loc, String)>, here: Option<String>| match e {
                Some((l, _)) => l.keyword("$ref"),
                None => here,
            };
            let at = At::new(pointer(eo, ho), pointer(en, hn));
            self.emit(Rule::RefUnresolvable, at, message);
        }
        false
    }

    /// `false` on either side. Returns whether the comparison is over.
    fn falsity(&mut self, vo: &View, vn: &View) -> bool {
        let pointer = |v: &View| {
            v.parts
                .iter()
                .find(|p| p.node.shape == crate::node::Shape::Never && p.node.loc.is_version())
                .or_else(|| v.parts.iter().find(|p| p.node.loc.is_version()))
                .and_then(|p| p.node.loc.pointer())
        };
        match (vo.never, vn.never) {
            (true, true) => true,
            (false, true) => {
                let message = format!("{} now rejects every value (`false`)", self.place());
                let (o, n) = self.here();
                let at = At::new(pointer(vo), pointer(vn)).or(o, n);
                self.emit(Rule::SchemaNowFalse, at, message);
                true
            }
            (true, false) => {
                let message = format!(
                    "{} was `false` (no value allowed) and now accepts values",
                    self.place()
                );
                let (o, n) = self.here();
                let at = At::new(pointer(vo), pointer(vn)).or(o, n);
                self.emit(Rule::SchemaNoLongerFalse, at, message);
                true
            }
            (false, false) => false,
        }
    }

    /// Compares two views without open unions, keyword family by keyword family.
    fn facets(&mut self, vo: &View, vn: &View) {
        let (o_types, n_types, finite) = self.values_and_types(vo, vn);
        let common = o_types.and(n_types);
        if !finite && common.has(crate::values::Types::STRING) {
            self.strings(vo, vn);
        }
        if !finite && common.has(crate::values::Types::NUMBER) {
            let number = crate::values::Types(crate::values::Types::NUMBER);
            let integer = common.and(number) == crate::values::Types(crate::values::Types::INTEGER);
            self.numbers(vo, vn, integer);
        }
        if common.has(crate::values::Types::OBJECT) {
            self.objects(vo, vn);
        }
        if common.has(crate::values::Types::ARRAY) {
            self.arrays(vo, vn);
        }
        self.logic(vo, vn);
    }

    /// Compares `old` with `new` in a sub-engine and says which way they differ (cached).
    fn judge(&mut self, seg: Seg, old: Vec<Loc>, new: Vec<Loc>) -> Judgement {
        let key = (old.clone(), new.clone());
        if let Some(j) = self.shared.judgements.borrow().get(&key) {
            return j.clone();
        }
        let mut sub = self.sub();
        sub.compare(seg, old, new);
        let direction = if sub.truncated {
            Direction::Changed
        } else {
            sub.findings
                .iter()
                .map(|f| Direction::of(f.rule))
                .fold(Direction::Equal, Direction::and)
        };
        self.truncated |= sub.truncated;
        let judgement = Judgement {
            direction,
            findings: sub.findings,
        };
        self.shared
            .judgements
            .borrow_mut()
            .insert(key, judgement.clone());
        judgement
    }

    /// Passes on the findings of a judgement that stand on their own whatever the wrapper
    /// (annotations, defaults, unknown keywords, limits).
    fn pass_on(&mut self, judgement: &Judgement) {
        for f in &judgement.findings {
            if !affects_validity(f.rule)
                || matches!(
                    f.rule,
                    Rule::AnalysisLimitReached
                        | Rule::UnsupportedKeywordChanged
                        | Rule::RefUnresolvable
                )
            {
                self.findings.push(f.clone());
            }
        }
    }

    /// Whether two schemas validate the same values as far as the engine can tell.
    fn equivalent(&mut self, seg: Seg, old: Vec<Loc>, new: Vec<Loc>) -> bool {
        let j = self.judge(seg, old, new);
        j.findings.iter().all(|f| f.rule.bump() <= Bump::Patch)
    }
}

fn place_of(levels: &[Level]) -> String {
    let text = path_text(levels);
    let last = levels
        .iter()
        .rev()
        .find(|l| !matches!(l.seg, Seg::Alt | Seg::Root));
    match last.map(|l| &l.seg) {
        None => "the top-level value".to_owned(),
        Some(Seg::Extra) => format!("{text} (any undeclared property)"),
        Some(Seg::Item(None)) => format!("{text} (any item)"),
        Some(Seg::Key) => format!(
            "the property names of {}",
            if text.is_empty() {
                "the top-level value".to_owned()
            } else {
                text
            }
        ),
        Some(_) => text,
    }
}

impl View {
    /// Whether every part accepts anything (`true` or `{}` with only annotations).
    fn parts_trivial(&self) -> bool {
        self.parts.iter().all(|p| {
            let n = &p.node;
            n.shape == crate::node::Shape::Any
                || (n.shape == crate::node::Shape::Object
                    && n.types.is_none()
                    && n.values.is_none()
                    && !n.has_object_keywords()
                    && !n.has_array_keywords()
                    && n.min_length.is_none()
                    && n.max_length.is_none()
                    && n.pattern.is_none()
                    && n.format.is_none()
                    && n.content_encoding.is_none()
                    && n.content_media_type.is_none()
                    && n.lower.is_empty()
                    && n.upper.is_empty()
                    && n.multiple_of.is_none()
                    && n.any_of.is_empty()
                    && n.one_of.is_empty()
                    && n.all_of.is_empty()
                    && n.not.is_none()
                    && n.if_.is_none()
                    && n.malformed.is_empty()
                    && n.unknown.is_empty()
                    && n.default.is_none()
                    && n.id.is_none())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn ids(old: Value, new: Value) -> Vec<&'static str> {
        let s = Schemas::pair(&old, &new);
        run(&s).iter().map(|f| f.rule.id()).collect()
    }

    #[test]
    fn identical_and_equivalent_schemas_have_no_findings() {
        let s = json!({"type": "object", "properties": {"a": {"type": "string", "enum": ["x", "y"]}}, "required": ["a"]});
        assert!(ids(s.clone(), s).is_empty());
        assert!(ids(json!({"const": "x"}), json!({"enum": ["x"]})).is_empty());
        assert!(ids(json!({"type": ["string"]}), json!({"type": "string"})).is_empty());
        assert!(ids(json!({"enum": ["a", "b"]}), json!({"enum": ["b", "a"]})).is_empty());
        assert!(ids(
            json!({"type": "integer", "exclusiveMinimum": 0}),
            json!({"type": "integer", "minimum": 1})
        )
        .is_empty());
        assert!(ids(
            json!({"type": "integer", "multipleOf": 1}),
            json!({"type": "integer"})
        )
        .is_empty());
        assert!(ids(
            json!({"type": "string", "enum": ["a"]}),
            json!({"enum": ["a"]})
        )
        .is_empty());
        assert!(ids(
            json!({"type": ["string", "null"], "maxLength": 3}),
            json!({"anyOf": [{"type": "string", "maxLength": 3}, {"type": "null"}]})
        )
        .is_empty());
        assert!(ids(
            json!({"anyOf": [{"type": "string"}, {"type": "null"}]}),
            json!({"oneOf": [{"type": "null"}, {"type": "string"}]})
        )
        .is_empty());
        assert!(ids(
            json!({"allOf": [{"type": "string"}]}),
            json!({"type": "string"})
        )
        .is_empty());
    }

    #[test]
    fn recursive_schemas_terminate() {
        let tree = json!({"definitions": {"n": {"type": "object", "properties": {
            "children": {"type": "array", "items": {"$ref": "#/definitions/n"}}, "v": {"type": "string"}}}},
            "$ref": "#/definitions/n"});
        let mut changed = tree.clone();
        changed["definitions"]["n"]["properties"]["v"]["maxLength"] = json!(3);
        assert!(ids(tree.clone(), tree.clone()).is_empty());
        assert_eq!(ids(tree, changed), ["string-length-tightened"]);
        let looping = json!({"definitions": {"a": {"$ref": "#/definitions/b"}, "b": {"$ref": "#/definitions/a"}}, "$ref": "#/definitions/a"});
        assert!(ids(looping.clone(), looping).is_empty());
    }

    #[test]
    fn mutual_recursion_with_different_periods_ends() {
        let two = json!({"definitions": {"a": {"properties": {"x": {"$ref": "#/definitions/b"}}}, "b": {"properties": {"x": {"$ref": "#/definitions/a"}}}}, "$ref": "#/definitions/a"});
        let three = json!({"definitions": {"a": {"properties": {"x": {"$ref": "#/definitions/b"}}}, "b": {"properties": {"x": {"$ref": "#/definitions/c"}}}, "c": {"properties": {"x": {"$ref": "#/definitions/a"}}}}, "$ref": "#/definitions/a"});
        assert_eq!(ids(two, three), Vec::<&str>::new());
    }

    #[test]
    fn deep_nesting_reports_the_limit_once() {
        let mut deep = json!({"type": "string"});
        for _ in 0..200 {
            deep = json!({"type": "object", "properties": {"x": deep}});
        }
        let mut other = json!({"type": "integer"});
        for _ in 0..200 {
            other = json!({"type": "object", "properties": {"x": other}});
        }
        assert_eq!(ids(deep, other), ["analysis-limit-reached"]);
    }

    #[test]
    fn a_union_branch_that_cannot_be_followed_ends_the_comparison_there() {
        let old = json!({"anyOf": [{"$ref": "other.json#/a"}, {"type": "string"}]});
        let new = json!({"anyOf": [{"$ref": "other.json#/a"}, {"type": "integer"}]});
        assert!(ids(old.clone(), old.clone()).is_empty());
        let found = ids(old, new);
        assert!(found.contains(&"ref-unresolvable"), "{found:?}");
    }

    #[test]
    fn paths_name_elements_and_undeclared_properties() {
        let level = |seg| Level {
            seg,
            old: Vec::new(),
            new: Vec::new(),
        };
        let levels = [
            level(Seg::Root),
            level(Seg::Prop("a/b".into())),
            level(Seg::Alt),
            level(Seg::Item(None)),
            level(Seg::Item(Some(2))),
            level(Seg::Extra),
        ];
        assert_eq!(path_text(&levels), "/a~1b/*/2/*");
        assert_eq!(place_of(&levels), "/a~1b/*/2/* (any undeclared property)");
        assert_eq!(place_of(&levels[..1]), "the top-level value");
    }

    #[test]
    fn directions_combine() {
        use Direction::*;
        assert_eq!(Equal.and(Tightened), Tightened);
        assert_eq!(Tightened.and(Loosened), Changed);
        assert_eq!(Loosened.flipped(), Tightened);
        assert_eq!(Changed.flipped(), Changed);
    }
}
