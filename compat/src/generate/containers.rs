//! Objects and arrays, and containers built around a given member (the way a witness's
//! changed value is placed inside an otherwise valid event).

use serde_json::{Map, Value};

use super::{Choices, FirstChoice, Gen, NthChoice, Plan, SeededChoices};
use crate::node::{Dependency, Kind, Loc, Shape};
use crate::regex_sample;
use crate::view::View;

/// Names for undeclared properties, tried in order.
const EXTRA_NAMES: &[&str] = &["extraProperty", "note", "zz", "legacy", "x_debug", "misc"];

/// Which members an object plan includes.
#[derive(Debug, Clone, Copy)]
pub(super) struct ObjectShape {
    pub optional: bool,
    pub extras: usize,
    pub patterned: bool,
}

pub(super) fn object_plans(view: &View) -> Vec<Plan> {
    let object = |optional, extras, patterned| Plan::Object {
        optional,
        extras,
        patterned,
    };
    let mut plans = vec![object(false, 0, false), object(true, 0, false)];
    if view
        .object_parts()
        .any(|n| !n.pattern_properties.is_empty())
    {
        plans.push(object(false, 0, true));
    }
    plans.push(object(false, 1, false));
    let max = view.max_properties.as_ref().map_or(3, |(m, _)| *m);
    plans.push(object(true, max.min(8) as usize, false));
    plans
}

pub(super) fn array_plans(view: &View) -> Vec<Plan> {
    let min = view.min_items.as_ref().map_or(0, |(m, _)| *m);
    let max = view.max_items.as_ref().map(|(m, _)| *m);
    let mut lens = vec![min, min.max(1), min + 3];
    if let Some(max) = max {
        lens.push(max.min(min + 50));
        lens.retain(|l| *l <= max);
    }
    lens.dedup();
    let mut plans: Vec<Plan> = lens
        .into_iter()
        .map(|len| Plan::Array {
            len,
            duplicate: false,
        })
        .collect();
    if view.unique.is_none() && max.is_none_or(|m| m >= 2) {
        plans.push(Plan::Array {
            len: min.max(2),
            duplicate: true,
        });
    }
    plans
}

impl Gen<'_> {
    pub(super) fn object(
        &mut self,
        view: &View,
        conj: &[Loc],
        shape: ObjectShape,
        choices: &mut dyn Choices,
        depth: usize,
    ) -> Option<Map<String, Value>> {
        // A schema dependency of a required name holds for every such object: build from it.
        let needed: Vec<Loc> = view
            .dependencies
            .iter()
            .filter(|(name, _, _)| view.required.contains_key(name))
            .filter_map(|(_, d, _)| match d {
                Dependency::Schema(l) if !conj.contains(l) => Some(l.clone()),
                _ => None,
            })
            .collect();
        if !needed.is_empty() {
            let mut next = conj.to_vec();
            next.extend(needed);
            next.push(Kind::Object.loc());
            return match self.value(&next, choices, depth + 1)? {
                Value::Object(m) => Some(m),
                _ => None,
            };
        }
        let mut out = Map::new();
        for name in view.required.keys() {
            let v = self.value(&view.property(name), choices, depth + 1)?;
            out.insert(name.clone(), v);
        }
        let max = view.max_properties.as_ref().map(|(m, _)| *m as usize);
        let min = view.min_properties.as_ref().map_or(0, |(m, _)| *m as usize);
        let full = |out: &Map<String, Value>| max.is_some_and(|m| out.len() >= m);
        for name in view.declared_names() {
            if out.contains_key(&name) || full(&out) {
                continue;
            }
            // Random mode includes each optional property by a coin flip.
            let include = (shape.optional && choices.pick(2) == 0) || out.len() < min;
            if include {
                if let Some(v) = self.value(&view.property(&name), choices, depth + 1) {
                    out.insert(name, v);
                }
            }
        }
        if shape.patterned {
            self.pattern_members(view, &mut out, choices, depth);
        }
        let extras = shape.extras.max(min.saturating_sub(out.len()));
        self.extras(view, &mut out, extras, choices, depth);
        self.name_dependencies(view, &mut out, choices, depth)?;
        Some(out)
    }

    /// One member per `patternProperties` pattern, named by a matching string.
    fn pattern_members(
        &mut self,
        view: &View,
        out: &mut Map<String, Value>,
        choices: &mut dyn Choices,
        depth: usize,
    ) {
        for (pattern, _) in view.patterns_of_properties() {
            let name = regex_sample::matching(&pattern, 4)
                .into_iter()
                .find(|n| !out.contains_key(n) && !view.declares(n));
            if let Some(name) = name {
                if let Some(v) = self.value(&view.property(&name), choices, depth + 1) {
                    out.insert(name, v);
                }
            }
        }
    }

    fn extras(
        &mut self,
        view: &View,
        out: &mut Map<String, Value>,
        count: usize,
        choices: &mut dyn Choices,
        depth: usize,
    ) {
        let max = view.max_properties.as_ref().map(|(m, _)| *m as usize);
        for i in 0..count {
            if max.is_some_and(|m| out.len() >= m) {
                break;
            }
            let Some(name) = self.extra_name(view, out, i) else {
                break;
            };
            let schemas = view.property(&name);
            let v = if schemas.is_empty() {
                match choices.pick(4) {
                    0 => Value::String("x".to_owned()),
                    1 => Value::from(1),
                    2 => Value::Bool(true),
                    _ => Value::Null,
                }
            } else {
                match self.value(&schemas, choices, depth + 1) {
                    Some(v) => v,
                    None => break,
                }
            };
            out.insert(name, v);
        }
    }

    /// Properties whose presence requires others (`dependencies`, array form).
    fn name_dependencies(
        &mut self,
        view: &View,
        out: &mut Map<String, Value>,
        choices: &mut dyn Choices,
        depth: usize,
    ) -> Option<()> {
        for (name, dep, _) in &view.dependencies {
            let Dependency::Names(needed) = dep else {
                continue;
            };
            if !out.contains_key(name) {
                continue;
            }
            for n in needed {
                if !out.contains_key(n) {
                    let v = self.value(&view.property(n), choices, depth + 1)?;
                    out.insert(n.clone(), v);
                }
            }
        }
        Some(())
    }

    /// The `skip`-th name free for an undeclared property: not declared, not avoided, not
    /// matched by a pattern, and accepted by `propertyNames`.
    pub(crate) fn extra_name(
        &self,
        view: &View,
        taken: &Map<String, Value>,
        skip: usize,
    ) -> Option<String> {
        let free = |name: &str| {
            !view.declares(name)
                && !taken.contains_key(name)
                && !self.avoided(name)
                && view
                    .object_parts()
                    .all(|n| n.patterns_matching(name).next().is_none())
                && view
                    .property_names
                    .iter()
                    .all(|l| self.s.accepts(l, &Value::String(name.to_owned())) != Some(false))
        };
        EXTRA_NAMES
            .iter()
            .map(|n| (*n).to_owned())
            .chain((0..64).map(|i| format!("extra{i}")))
            .filter(|n| free(n))
            .nth(skip)
    }

    pub(super) fn array(
        &mut self,
        view: &View,
        len: u64,
        duplicate: bool,
        choices: &mut dyn Choices,
        depth: usize,
    ) -> Option<Vec<Value>> {
        let unique = view.unique.is_some();
        let mut out: Vec<Value> = Vec::new();
        for i in 0..len.min(64) as usize {
            let schemas = view.item(Some(i));
            let mut v = self.value(&schemas, choices, depth + 1)?;
            if !duplicate && out.contains(&v) {
                // Distinct items (required under uniqueItems, and more telling anyway).
                let mut other = None;
                for k in 1..16 {
                    let candidate = if k < 8 {
                        self.value(&schemas, &mut NthChoice(Some(k)), depth + 1)
                    } else {
                        self.value(&schemas, &mut SeededChoices::new(k as u64), depth + 1)
                    };
                    if let Some(c) = candidate.filter(|c| !out.contains(c)) {
                        other = Some(c);
                        break;
                    }
                }
                match other {
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
        self.contained(view, &mut out, choices, depth)?;
        Some(out)
    }

    /// Adds an item that `contains` accepts, unless one is there.
    fn contained(
        &mut self,
        view: &View,
        out: &mut Vec<Value>,
        choices: &mut dyn Choices,
        depth: usize,
    ) -> Option<()> {
        if view.contains.is_empty() {
            return Some(());
        }
        let meets = |v: &Value| {
            view.contains
                .iter()
                .all(|l| self.s.accepts(l, v) != Some(false))
        };
        if out.iter().any(meets) {
            return Some(());
        }
        let mut schemas = view.item(Some(out.len()));
        schemas.extend(view.contains.iter().cloned());
        let v = self.value(&schemas, choices, depth + 1)?;
        let full = view
            .max_items
            .as_ref()
            .is_some_and(|(m, _)| out.len() as u64 >= *m);
        if full && !out.is_empty() {
            let last = out.len() - 1;
            out[last] = v;
        } else {
            out.push(v);
        }
        Some(())
    }

    /// The minimal value of `conj` restricted to one kind.
    fn minimal_of_kind(&mut self, conj: &[Loc], kind: Kind) -> Option<Value> {
        let mut c = conj.to_vec();
        c.push(kind.loc());
        self.value_with(&c, &mut FirstChoice)
    }

    /// An object of `conj` with member `name` set to `child` (removed when `None`).
    pub(crate) fn object_with(
        &mut self,
        conj: &[Loc],
        name: &str,
        child: Option<Value>,
    ) -> Option<Value> {
        self.extra_avoid.insert(name.to_owned());
        let base = self.minimal_of_kind(conj, Kind::Object);
        self.extra_avoid.remove(name);
        let Value::Object(mut m) = base? else {
            return None;
        };
        match child {
            Some(v) => {
                m.insert(name.to_owned(), v);
            }
            None => {
                m.remove(name);
            }
        }
        Some(Value::Object(m))
    }

    /// An object of `conj` with one undeclared member set to `child`.
    pub(crate) fn object_with_extra(&mut self, conj: &[Loc], child: Value) -> Option<Value> {
        let Value::Object(mut m) = self.minimal_of_kind(conj, Kind::Object)? else {
            return None;
        };
        let view = self.s.view(conj);
        let name = self.extra_name(&view, &m, 0)?;
        m.insert(name, child);
        Some(Value::Object(m))
    }

    /// An object of `conj` with a member named `key`.
    pub(crate) fn object_with_key(&mut self, conj: &[Loc], key: &str) -> Option<Value> {
        let Value::Object(mut m) = self.minimal_of_kind(conj, Kind::Object)? else {
            return None;
        };
        let view = self.s.view(conj);
        let schemas = view.property(key);
        let never = schemas
            .iter()
            .any(|l| self.s.node_of(l).shape == Shape::Never);
        let v = if schemas.is_empty() || never {
            Value::Null
        } else {
            self.value_with(&schemas, &mut FirstChoice)
                .unwrap_or(Value::Null)
        };
        m.insert(key.to_owned(), v);
        Some(Value::Object(m))
    }

    /// An array of `conj` with the item at `index` (`None`: the first) set to `child`.
    pub(crate) fn array_with(
        &mut self,
        conj: &[Loc],
        index: Option<usize>,
        child: Value,
    ) -> Option<Value> {
        let Value::Array(mut items) = self.minimal_of_kind(conj, Kind::Array)? else {
            return None;
        };
        let at = index.unwrap_or(0);
        let view = self.s.view(conj);
        while items.len() < at {
            let v = self.value_with(&view.item(Some(items.len())), &mut FirstChoice)?;
            items.push(v);
        }
        if items.len() == at {
            items.push(child);
        } else {
            items[at] = child;
        }
        // The item replaced may have been the one `contains` asked for.
        let meets = |v: &Value| {
            view.contains
                .iter()
                .all(|l| self.s.accepts(l, v) != Some(false))
        };
        if !view.contains.is_empty() && !items.iter().any(meets) {
            let mut schemas = view.item(Some(items.len()));
            schemas.extend(view.contains.iter().cloned());
            items.push(self.value_with(&schemas, &mut FirstChoice)?);
        }
        Some(Value::Array(items))
    }
}
