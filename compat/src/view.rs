//! A [`View`]: what a set of schema positions that all apply to one value ask of it, merged.
//!
//! A value at one position of an instance is usually constrained by several schemas at
//! once: a property's declaration and the `patternProperties` that match its name, the
//! branches of an `allOf`, the branch of a union chosen for it. The view follows `$ref`s and
//! `allOf` (and one-branch `anyOf`/`oneOf`, which mean their branch) into a list of
//! [`Part`]s and merges their keywords exactly: types and enums intersect, limits take the
//! tightest, `required` unites, and a property's schema is the list of what every part
//! applies to it. What cannot merge into one keyword (patterns, `not`, conditionals,
//! unions) is kept as a list. Unions whose branch is not chosen yet stay open;
//! [`alternatives`] chooses them.

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use serde_json::Value;

use crate::node::{Additional, Dependency, Items, Loc, Node, RawBound, Schemas, Shape, UnionKind};
use crate::values::{json_eq, lower_is_tighter, upper_is_tighter, Bound, Types};

/// Parts a view holds at most; past it the view is [`View::truncated`].
const MAX_PARTS: usize = 256;

/// One schema of a view, with the role it plays (so that the two versions' parts can be
/// paired: `""` for the position itself, `/allOf/1` for its second `allOf` branch, ...).
#[derive(Debug, Clone)]
pub(crate) struct Part {
    pub node: Rc<Node>,
    pub role: String,
}

/// An `anyOf` or `oneOf` with two branches or more.
#[derive(Debug, Clone)]
pub(crate) struct Union {
    /// The node that holds it.
    pub node: Loc,
    pub branches: Vec<Loc>,
}

/// A union whose branch is chosen: the branch is one of the view's parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pick {
    pub kind: UnionKind,
    pub node: Loc,
    /// The role of the node that holds the union.
    pub role: String,
    pub index: usize,
    pub branch: Loc,
    pub count: usize,
}

/// An `if` with its `then` and `else`.
#[derive(Debug, Clone)]
pub(crate) struct Conditional {
    pub role: String,
    pub if_: Loc,
    pub then_: Option<Loc>,
    pub else_: Option<Loc>,
}

/// A limit with the node that set it.
pub(crate) type Limit = Option<(u64, Loc)>;

/// The merged constraints of a set of positions.
#[derive(Debug, Clone)]
pub(crate) struct View {
    /// The resolved positions of the parts, sorted: the view's identity.
    pub key: Vec<Loc>,
    pub parts: Vec<Part>,
    /// A part is `false`.
    pub never: bool,
    /// There were more parts than a view holds.
    pub truncated: bool,
    /// Positions whose `$ref` cannot be followed, with the reference.
    pub unresolved: Vec<(Loc, String)>,
    pub types: Types,
    /// Nodes with a `type` keyword.
    pub typed: Vec<Loc>,
    pub values: Option<Vec<Value>>,
    /// Nodes with `enum` or `const`.
    pub valued: Vec<Loc>,
    pub min_length: Limit,
    pub max_length: Limit,
    pub patterns: Vec<(String, Loc)>,
    pub formats: Vec<(String, Loc)>,
    pub encodings: Vec<(String, Loc)>,
    pub media_types: Vec<(String, Loc)>,
    pub lower: Vec<(RawBound, Loc)>,
    pub upper: Vec<(RawBound, Loc)>,
    pub steps: Vec<(f64, Loc)>,
    /// Required names, with the node and index of the `required` entry.
    pub required: BTreeMap<String, (Loc, usize)>,
    pub min_properties: Limit,
    pub max_properties: Limit,
    pub property_names: Vec<Loc>,
    pub dependencies: Vec<(String, Dependency, Loc)>,
    pub min_items: Limit,
    pub max_items: Limit,
    pub unique: Option<Loc>,
    pub contains: Vec<Loc>,
    pub nots: Vec<Loc>,
    pub conditionals: Vec<Conditional>,
    /// Unions no branch of which is among the parts.
    pub unions: Vec<Union>,
    /// Unions with a chosen branch.
    pub picks: Vec<Pick>,
}

impl Schemas {
    /// The view of `conj` (cached).
    pub fn view(&self, conj: &[Loc]) -> Rc<View> {
        if let Some(v) = self.views.borrow().get(conj) {
            return v.clone();
        }
        let view = Rc::new(View::build(self, conj));
        let mut cache = self.views.borrow_mut();
        if cache.len() > 20_000 {
            cache.clear();
        }
        cache.insert(conj.to_vec(), view.clone());
        view
    }
}

fn tighter_min(current: &mut Limit, value: Option<u64>, at: &Loc) {
    if let Some(v) = value {
        if current.as_ref().is_none_or(|(c, _)| v > *c) {
            *current = Some((v, at.clone()));
        }
    }
}

fn tighter_max(current: &mut Limit, value: Option<u64>, at: &Loc) {
    if let Some(v) = value {
        if current.as_ref().is_none_or(|(c, _)| v < *c) {
            *current = Some((v, at.clone()));
        }
    }
}

impl View {
    fn empty() -> View {
        View {
            key: Vec::new(),
            parts: Vec::new(),
            never: false,
            truncated: false,
            unresolved: Vec::new(),
            types: Types::ALL,
            typed: Vec::new(),
            values: None,
            valued: Vec::new(),
            min_length: None,
            max_length: None,
            patterns: Vec::new(),
            formats: Vec::new(),
            encodings: Vec::new(),
            media_types: Vec::new(),
            lower: Vec::new(),
            upper: Vec::new(),
            steps: Vec::new(),
            required: BTreeMap::new(),
            min_properties: None,
            max_properties: None,
            property_names: Vec::new(),
            dependencies: Vec::new(),
            min_items: None,
            max_items: None,
            unique: None,
            contains: Vec::new(),
            nots: Vec::new(),
            conditionals: Vec::new(),
            unions: Vec::new(),
            picks: Vec::new(),
        }
    }

    fn build(s: &Schemas, conj: &[Loc]) -> View {
        let mut view = View::empty();
        view.collect(s, conj);
        for i in 0..view.parts.len() {
            let node = view.parts[i].node.clone();
            view.merge_scalars(&node);
            view.merge_containers(&node);
            view.merge_logic(&node, &view.parts[i].role.clone());
        }
        view.choose_unions(s);
        let mut key: Vec<Loc> = view.parts.iter().map(|p| p.node.loc.clone()).collect();
        key.sort();
        view.key = key;
        view
    }

    /// The parts: `conj` with `$ref`s, `allOf` and one-branch unions followed.
    fn collect(&mut self, s: &Schemas, conj: &[Loc]) {
        let mut seen: BTreeSet<Loc> = BTreeSet::new();
        let mut queue: Vec<(Loc, String)> = Vec::new();
        for (i, loc) in conj.iter().enumerate() {
            let role = self.role_of(s, loc, i);
            queue.push((loc.clone(), role));
            while let Some((written, role)) = queue.pop() {
                if let Err(e) = s.resolve(&written) {
                    let text = match e {
                        crate::values::RefError::Unresolvable(t)
                        | crate::values::RefError::Loop(t) => t,
                    };
                    if !self.unresolved.iter().any(|(l, _)| *l == written) {
                        self.unresolved.push((written.clone(), text));
                    }
                    continue;
                }
                let node = s.node_of(&written);
                if !seen.insert(node.loc.clone()) {
                    continue;
                }
                if self.parts.len() >= MAX_PARTS {
                    self.truncated = true;
                    return;
                }
                // Pushed in reverse so that branches are taken in order.
                for (j, b) in node.all_of.iter().enumerate().rev() {
                    queue.push((b.clone(), format!("{role}/allOf/{j}")));
                }
                for kind in [UnionKind::AnyOf, UnionKind::OneOf] {
                    if let [only] = node.union(kind) {
                        queue.push((only.clone(), format!("{role}/{}/0", kind.keyword())));
                    }
                }
                if node.shape == Shape::Never {
                    self.never = true;
                }
                self.parts.push(Part { node, role });
            }
        }
    }

    /// The role of the `i`-th position of a conjunction: the position itself, a branch
    /// chosen for a union of the parts before it, or an extra schema by its place.
    fn role_of(&self, s: &Schemas, loc: &Loc, i: usize) -> String {
        if i == 0 {
            return String::new();
        }
        for part in &self.parts {
            for kind in [UnionKind::AnyOf, UnionKind::OneOf] {
                if part.node.union(kind).contains(loc) {
                    return format!("{}/{}|", part.role, kind.keyword());
                }
            }
            for (keyword, sub) in [("if", &part.node.if_), ("else", &part.node.else_)] {
                if sub.as_ref() == Some(loc) {
                    return format!("{}/{keyword}", part.role);
                }
            }
            if part.node.then_.as_ref() == Some(loc) {
                return format!("{}/then", part.role);
            }
        }
        let _ = s;
        format!("+{i}")
    }

    fn merge_scalars(&mut self, node: &Node) {
        let at = &node.loc;
        if let Some(t) = node.types {
            self.types = self.types.and(t);
            self.typed.push(at.clone());
        }
        if let Some(values) = &node.values {
            self.values = Some(match self.values.take() {
                None => values.clone(),
                Some(current) => current
                    .into_iter()
                    .filter(|v| values.iter().any(|w| json_eq(v, w)))
                    .collect(),
            });
            self.valued.push(at.clone());
        }
        tighter_min(&mut self.min_length, node.min_length, at);
        tighter_max(&mut self.max_length, node.max_length, at);
        let add = |list: &mut Vec<(String, Loc)>, v: &Option<String>| {
            if let Some(v) = v {
                if !list.iter().any(|(x, _)| x == v) {
                    list.push((v.clone(), at.clone()));
                }
            }
        };
        add(&mut self.patterns, &node.pattern);
        add(&mut self.formats, &node.format);
        add(&mut self.encodings, &node.content_encoding);
        add(&mut self.media_types, &node.content_media_type);
        self.lower
            .extend(node.lower.iter().map(|b| (*b, at.clone())));
        self.upper
            .extend(node.upper.iter().map(|b| (*b, at.clone())));
        if let Some(m) = node.multiple_of {
            if !self.steps.iter().any(|(x, _)| *x == m) {
                self.steps.push((m, at.clone()));
            }
        }
    }

    fn merge_containers(&mut self, node: &Node) {
        let at = &node.loc;
        for (i, name) in node.required.iter().enumerate() {
            self.required
                .entry(name.clone())
                .or_insert_with(|| (at.clone(), i));
        }
        tighter_min(&mut self.min_properties, node.min_properties, at);
        tighter_max(&mut self.max_properties, node.max_properties, at);
        self.property_names.extend(node.property_names.clone());
        self.dependencies.extend(
            node.dependencies
                .iter()
                .map(|(n, d)| (n.clone(), d.clone(), at.clone())),
        );
        tighter_min(&mut self.min_items, node.min_items, at);
        tighter_max(&mut self.max_items, node.max_items, at);
        if node.unique && self.unique.is_none() {
            self.unique = Some(at.clone());
        }
        self.contains.extend(node.contains.clone());
    }

    fn merge_logic(&mut self, node: &Node, role: &str) {
        self.nots.extend(node.not.clone());
        if let Some(if_) = &node.if_ {
            // `then` and `else` without `if` are ignored by validators, and so here.
            self.conditionals.push(Conditional {
                role: role.to_owned(),
                if_: if_.clone(),
                then_: node.then_.clone(),
                else_: node.else_.clone(),
            });
        }
    }

    /// Sorts the unions of the parts into those with a chosen branch and open ones.
    fn choose_unions(&mut self, s: &Schemas) {
        let here: BTreeSet<Loc> = self.parts.iter().map(|p| p.node.loc.clone()).collect();
        for part in &self.parts {
            for kind in [UnionKind::AnyOf, UnionKind::OneOf] {
                let branches = part.node.union(kind);
                if branches.len() < 2 {
                    continue;
                }
                let chosen = branches.iter().position(|b| match s.resolve(b) {
                    Ok(r) => here.contains(&r),
                    Err(_) => false,
                });
                match chosen {
                    Some(index) => self.picks.push(Pick {
                        kind,
                        node: part.node.loc.clone(),
                        role: part.role.clone(),
                        index,
                        branch: branches[index].clone(),
                        count: branches.len(),
                    }),
                    None => self.unions.push(Union {
                        node: part.node.loc.clone(),
                        branches: branches.to_vec(),
                    }),
                }
            }
        }
    }

    /// The parts with object keywords.
    pub fn object_parts(&self) -> impl Iterator<Item = &Rc<Node>> {
        self.parts
            .iter()
            .map(|p| &p.node)
            .filter(|n| n.has_object_keywords())
    }

    /// The parts with array keywords.
    pub fn array_parts(&self) -> impl Iterator<Item = &Rc<Node>> {
        self.parts
            .iter()
            .map(|p| &p.node)
            .filter(|n| n.has_array_keywords())
    }

    /// Whether some part declares property `name`.
    pub fn declares(&self, name: &str) -> bool {
        self.object_parts().any(|n| n.declared(name).is_some())
    }

    /// Every name some part declares, in order.
    pub fn declared_names(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for n in self.object_parts() {
            for (name, _) in &n.properties {
                if !out.contains(name) {
                    out.push(name.clone());
                }
            }
        }
        out
    }

    /// The schemas the parts apply to property `name`.
    pub fn property(&self, name: &str) -> Vec<Loc> {
        let mut out: Vec<Loc> = Vec::new();
        for n in self.object_parts() {
            for l in n.property(name) {
                if !out.contains(&l) {
                    out.push(l);
                }
            }
        }
        out
    }

    /// The schemas the parts apply to a property none of them declares and no pattern matches.
    pub fn other_names(&self) -> Vec<Loc> {
        let mut out: Vec<Loc> = Vec::new();
        for n in self.object_parts() {
            match &n.additional {
                Additional::Open => {}
                Additional::Closed => out.push(Loc::nothing()),
                Additional::Schema(l) => out.push(l.clone()),
            }
        }
        out.dedup();
        out
    }

    /// Every `patternProperties` pattern, with the schemas each pattern has.
    pub fn patterns_of_properties(&self) -> BTreeMap<String, Vec<Loc>> {
        let mut out: BTreeMap<String, Vec<Loc>> = BTreeMap::new();
        for n in self.object_parts() {
            for (p, l) in &n.pattern_properties {
                out.entry(p.clone()).or_default().push(l.clone());
            }
        }
        out
    }

    /// Whether some part forbids undeclared properties outright.
    pub fn closed(&self) -> bool {
        self.object_parts()
            .any(|n| n.additional == Additional::Closed)
    }

    /// The schemas the parts apply to the item at `index` (`None`: past every tuple).
    pub fn item(&self, index: Option<usize>) -> Vec<Loc> {
        let mut out: Vec<Loc> = Vec::new();
        for n in self.array_parts() {
            for l in n.item(index) {
                if !out.contains(&l) {
                    out.push(l);
                }
            }
        }
        out
    }

    /// The longest tuple of the parts, when one has a tuple `items`.
    pub fn tuple_len(&self) -> Option<usize> {
        self.array_parts()
            .filter_map(|n| match &n.items {
                Items::Tuple(t) => Some(t.len()),
                _ => None,
            })
            .max()
    }

    /// The tightest lower bound; for integers, an exclusive or fractional bound becomes the
    /// inclusive integer bound it means.
    pub fn lower_bound(&self, integer: bool) -> Option<(Bound, Loc)> {
        let mut best: Option<(Bound, Loc)> = None;
        for (raw, at) in &self.lower {
            let b = normalize(*raw, integer, true);
            if best.as_ref().is_none_or(|(c, _)| lower_is_tighter(&b, c)) {
                best = Some((b, at.clone()));
            }
        }
        best
    }

    /// The tightest upper bound, normalized like [`View::lower_bound`].
    pub fn upper_bound(&self, integer: bool) -> Option<(Bound, Loc)> {
        let mut best: Option<(Bound, Loc)> = None;
        for (raw, at) in &self.upper {
            let b = normalize(*raw, integer, false);
            if best.as_ref().is_none_or(|(c, _)| upper_is_tighter(&b, c)) {
                best = Some((b, at.clone()));
            }
        }
        best
    }

    /// The steps that constrain values (for integers, steps dividing 1 constrain nothing).
    pub fn steps(&self, integer: bool) -> Vec<(f64, Loc)> {
        self.steps
            .iter()
            .filter(|(m, _)| !(integer && crate::values::is_multiple(1.0, *m)))
            .cloned()
            .collect()
    }

    /// The types values can have: the declared ones, and only integers when an integer step
    /// leaves no room for other numbers.
    pub fn effective_types(&self) -> Types {
        let integral = self.steps.iter().any(|(m, _)| m.fract() == 0.0);
        if integral {
            self.types.minus(Types(Types::FRACTION))
        } else {
            self.types
        }
    }

    /// Whether the scalar keywords accept `value` (types, enums, strings, numbers); object,
    /// array and logic keywords are left to the validator.
    pub fn scalar_ok(&self, value: &Value) -> bool {
        if !Types::of(value).is_subset_of(self.types) {
            return false;
        }
        if let Some(values) = &self.values {
            if !values.iter().any(|v| json_eq(v, value)) {
                return false;
            }
        }
        match value {
            Value::String(s) => self.string_ok(s),
            Value::Number(n) => n.as_f64().is_none_or(|x| self.number_ok(x)),
            _ => true,
        }
    }

    fn string_ok(&self, s: &str) -> bool {
        let len = s.chars().count() as u64;
        if self.min_length.as_ref().is_some_and(|(m, _)| len < *m)
            || self.max_length.as_ref().is_some_and(|(m, _)| len > *m)
        {
            return false;
        }
        let patterns_ok = self
            .patterns
            .iter()
            .all(|(p, _)| crate::values::pattern_matches(p, s) != Some(false));
        let formats_ok = self
            .formats
            .iter()
            .all(|(f, _)| crate::values::format_accepts(f, s) != Some(false));
        patterns_ok && formats_ok
    }

    fn number_ok(&self, x: f64) -> bool {
        if let Some((b, _)) = self.lower_bound(false) {
            if x < b.value || (b.exclusive && x == b.value) {
                return false;
            }
        }
        if let Some((b, _)) = self.upper_bound(false) {
            if x > b.value || (b.exclusive && x == b.value) {
                return false;
            }
        }
        self.steps
            .iter()
            .all(|(m, _)| crate::values::is_multiple(x, *m))
    }

    /// Whether some part has a keyword the generator's plans do not guarantee, so that a
    /// built value must be checked with the validator.
    pub fn needs_check(&self) -> bool {
        !self.nots.is_empty()
            || !self.conditionals.is_empty()
            || !self.contains.is_empty()
            || !self.property_names.is_empty()
            || self.picks.iter().any(|p| p.kind == UnionKind::OneOf)
            || !self.encodings.is_empty()
            || !self.media_types.is_empty()
            || self
                .dependencies
                .iter()
                .any(|(_, d, _)| matches!(d, Dependency::Schema(_)))
            || self.parts.iter().any(|p| !p.node.malformed.is_empty())
    }
}

fn normalize(raw: RawBound, integer: bool, lower: bool) -> Bound {
    let value = match (integer, lower, raw.exclusive) {
        (false, _, _) => raw.value,
        (true, true, true) => raw.value.floor() + 1.0,
        (true, true, false) => raw.value.ceil(),
        (true, false, true) => raw.value.ceil() - 1.0,
        (true, false, false) => raw.value.floor(),
    };
    Bound {
        value,
        exclusive: raw.exclusive && !integer,
        keyword: raw.keyword,
    }
}

/// One way to satisfy a view's unions: a branch chosen for each.
#[derive(Debug, Clone)]
pub(crate) struct Alt {
    pub conj: Vec<Loc>,
    pub picks: Vec<Pick>,
}

/// Every combination of branches of the open unions of `conj` (nested unions included).
/// `Err` with the unions' pointers when there would be more than `limit`.
pub(crate) fn alternatives(s: &Schemas, conj: &[Loc], limit: usize) -> Result<Vec<Alt>, Vec<Loc>> {
    let mut out = Vec::new();
    let mut stack = vec![conj.to_vec()];
    let mut unions_seen: Vec<Loc> = Vec::new();
    while let Some(current) = stack.pop() {
        let view = s.view(&current);
        match view.unions.first() {
            None => out.push(Alt {
                conj: current,
                picks: view.picks.clone(),
            }),
            Some(u) => {
                if !unions_seen.contains(&u.node) {
                    unions_seen.push(u.node.clone());
                }
                for b in u.branches.iter().rev() {
                    let mut next = current.clone();
                    next.push(b.clone());
                    if s.resolve(b).is_err() {
                        // A branch that cannot be followed never becomes a part, so the
                        // union would stay open: it is an alternative as it is (its view
                        // lists the reference as unresolved).
                        out.push(Alt {
                            conj: next,
                            picks: view.picks.clone(),
                        });
                    } else {
                        stack.push(next);
                    }
                }
            }
        }
        if out.len() + stack.len() > limit || view.truncated {
            return Err(unions_seen);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::{Kind, NEW, OLD};
    use serde_json::json;

    #[test]
    fn all_of_merges_exactly() {
        let root = json!({"definitions": {"base": {"type": "object", "required": ["a"], "properties": {"a": {"type": "string", "maxLength": 9}}}},
            "allOf": [{"$ref": "#/definitions/base"}, {"properties": {"a": {"minLength": 2}, "b": {"type": "integer"}}, "required": ["b"]}],
            "maxProperties": 4});
        let s = Schemas::pair(&root, &json!({}));
        let v = s.view(&[Loc::root(OLD)]);
        assert_eq!(v.parts.len(), 3);
        assert_eq!(v.types, Types(Types::OBJECT));
        assert_eq!(v.required.keys().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(
            v.property("a"),
            vec![
                Loc::new(OLD, "/definitions/base/properties/a"),
                Loc::new(OLD, "/allOf/1/properties/a")
            ]
        );
        let a = s.view(&v.property("a"));
        assert_eq!(
            (
                a.min_length.clone().map(|x| x.0),
                a.max_length.clone().map(|x| x.0)
            ),
            (Some(2), Some(9))
        );
        assert_eq!(v.max_properties.as_ref().map(|x| x.0), Some(4));
        assert_eq!(v.parts[2].role, "/allOf/1");
    }

    #[test]
    fn unions_expand_into_alternatives_and_split_by_kind() {
        let root = json!({"anyOf": [{"type": "string"}, {"oneOf": [{"type": "integer"}, {"type": "null"}]}], "description": "x"});
        let s = Schemas::pair(&root, &json!({"type": ["string", "null"]}));
        let alts = alternatives(&s, &[Loc::root(OLD)], 64).unwrap();
        assert_eq!(alts.len(), 3);
        let types: Vec<Types> = alts.iter().map(|a| s.view(&a.conj).types).collect();
        assert_eq!(
            types,
            [
                Types(Types::STRING),
                Types(Types::INTEGER),
                Types(Types::NULL)
            ]
        );
        assert_eq!(alts[2].picks.len(), 2);
        let nullable = s.view(&[Loc::root(NEW), Kind::Null.loc()]);
        assert_eq!(nullable.types, Types(Types::NULL));
        assert!(alternatives(&s, &[Loc::root(OLD)], 2).is_err());
    }

    #[test]
    fn a_one_branch_union_is_its_branch() {
        let root = json!({"oneOf": [{"type": "string", "maxLength": 3}]});
        let s = Schemas::pair(&root, &root);
        let v = s.view(&[Loc::root(OLD)]);
        assert!(v.unions.is_empty());
        assert_eq!(v.types, Types(Types::STRING));
        assert_eq!(v.max_length.as_ref().map(|x| x.0), Some(3));
    }
}
