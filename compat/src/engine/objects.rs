//! Objects: declared properties (added, removed, renamed, made required or optional),
//! `additionalProperties`, `patternProperties`, `propertyNames`, `dependencies` and the
//! property counts.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;

use super::{At, Direction, Engine, Focus, Seg};
use crate::node::{Dependency, Loc, Shape};
use crate::rules::Rule;
use crate::view::View;

/// What an object did with a name it does not declare.
enum Governing {
    /// Any value was allowed.
    Open,
    /// No value was allowed (`additionalProperties: false`, or a `false` pattern).
    Restricted(String),
    /// A schema (additionalProperties or a pattern) constrained the value.
    Schema,
}

impl Engine<'_> {
    pub(super) fn objects(&mut self, vo: &View, vn: &View) {
        self.properties(vo, vn);
        self.additional(vo, vn);
        self.pattern_properties(vo, vn);
        self.property_names(vo, vn);
        self.dependencies(vo, vn);
        self.lower_limit(
            &vo.min_properties,
            &vn.min_properties,
            "minProperties",
            [Rule::PropertyCountTightened, Rule::PropertyCountLoosened],
        );
        self.upper_limit(
            &vo.max_properties,
            &vn.max_properties,
            "maxProperties",
            [Rule::PropertyCountTightened, Rule::PropertyCountLoosened],
        );
    }

    /// How `schemas` (what a view applies to an undeclared name) treat the name.
    fn governing(&self, schemas: &[Loc], view: &View) -> Governing {
        if schemas.is_empty() {
            return Governing::Open;
        }
        let never = schemas
            .iter()
            .any(|l| self.s.node_of(l).shape == Shape::Never);
        if never {
            let why = if view.closed() {
                "additionalProperties was false".to_owned()
            } else {
                "a patternProperties schema `false` matched that name".to_owned()
            };
            return Governing::Restricted(why);
        }
        let trivial = schemas
            .iter()
            .all(|l| self.s.view(std::slice::from_ref(l)).parts_trivial());
        if trivial {
            Governing::Open
        } else {
            Governing::Schema
        }
    }

    /// A removed and an added property with the same schema and the same required-ness.
    fn renames(&mut self, vo: &View, vn: &View) -> BTreeMap<String, String> {
        let (o_names, n_names) = (vo.declared_names(), vn.declared_names());
        let added: Vec<&String> = n_names
            .iter()
            .filter(|k| !vo.declares(k) && !vo.required.contains_key(*k))
            .collect();
        let mut renamed: BTreeMap<String, String> = BTreeMap::new();
        if added.is_empty() {
            return renamed;
        }
        for old_name in o_names
            .iter()
            .filter(|k| !vn.declares(k) && !vn.required.contains_key(*k))
        {
            let required = vo.required.contains_key(old_name);
            let candidate = added.iter().copied().find(|new_name| {
                !renamed.values().any(|taken| taken == *new_name)
                    && required == vn.required.contains_key(*new_name)
                    && self.equivalent(
                        Seg::Prop((*new_name).clone()),
                        vo.property(old_name),
                        vn.property(new_name),
                    )
            });
            if let Some(new_name) = candidate {
                renamed.insert(old_name.clone(), new_name.clone());
            }
        }
        renamed
    }

    fn properties(&mut self, vo: &View, vn: &View) {
        let renamed = self.renames(vo, vn);
        let renamed_to: BTreeSet<&String> = renamed.values().collect();
        let names: BTreeSet<String> = vo
            .declared_names()
            .into_iter()
            .chain(vn.declared_names())
            .chain(vo.required.keys().cloned())
            .chain(vn.required.keys().cloned())
            .collect();
        for name in names {
            let (od, nd) = (vo.declares(&name), vn.declares(&name));
            let (oc, nc) = (vo.property(&name), vn.property(&name));
            match (od, nd) {
                (true, true) => {
                    self.compare(Seg::Prop(name.clone()), oc.clone(), nc.clone());
                    self.at_level(Seg::Prop(name.clone()), oc, nc, |e| {
                        e.requiredness(vo, vn, &name)
                    });
                }
                (false, true) if renamed_to.contains(&name) => {}
                (false, true) => self.added(vo, vn, &name),
                (true, false) => match renamed.get(&name) {
                    Some(to) => self.renamed(vo, vn, &name, to),
                    None => self.removed(vo, vn, &name),
                },
                (false, false) => {
                    let (oc, nc) = (oc.clone(), nc.clone());
                    self.at_level(Seg::Prop(name.clone()), oc, nc, |e| {
                        e.requiredness(vo, vn, &name)
                    });
                }
            }
        }
    }

    /// The pointer of a property's declaration on one side.
    fn declaration(v: &View, name: &str) -> Option<String> {
        v.object_parts()
            .find_map(|n| n.declared(name).cloned())
            .and_then(|l| l.pointer())
    }

    fn required_pointer(v: &View, name: &str) -> Option<String> {
        let (at, i) = v.required.get(name)?;
        at.child("required").keyword(&i.to_string())
    }

    /// A property the new version declares and the old one did not.
    fn added(&mut self, vo: &View, vn: &View, name: &str) {
        let (oc, nc) = (vo.property(name), vn.property(name));
        let mut governing = self.governing(&oc, vo);
        if matches!(governing, Governing::Restricted(_)) && self.s.view(&nc).never {
            // Declared, but another part still rejects the name: nothing changes for events.
            governing = Governing::Open;
        }
        let (or, nr) = (
            vo.required.contains_key(name),
            vn.required.contains_key(name),
        );
        let decl = Self::declaration(vn, name);
        self.at_level(Seg::Prop(name.to_owned()), oc.clone(), nc.clone(), |e| {
            let parent = e.parent_place();
            if or {
                // Already required (undeclared) in the old version: compare its shapes.
                match &governing {
                    Governing::Restricted(why) => {
                        let message = format!(
                            "property {name:?} is now declared on {parent}, which {why} in the old version"
                        );
                        e.emit(Rule::PropertyAddedToClosedObject, At::new(None, decl.clone()), message);
                    }
                    _ => e.compare_here(&oc, &nc),
                }
                e.requiredness(vo, vn, name);
                return;
            }
            if nr {
                let message = format!("{parent} gained the required property {name:?}");
                e.emit(Rule::RequiredPropertyAdded, At::new(None, decl.clone()), message);
            }
            match governing {
                Governing::Restricted(why) => {
                    let message = format!(
                        "{parent} gained the property {name:?}, but {why} in the old version"
                    );
                    e.emit(Rule::PropertyAddedToClosedObject, At::new(None, decl), message);
                }
                Governing::Schema => {
                    // The name was allowed in the shape additionalProperties (or a pattern)
                    // gave it: the declaration is an addition (minor) plus whatever its
                    // shape changes.
                    if !nr {
                        let message = format!(
                            "{parent} gained the optional property {name:?}, allowed before by additionalProperties or patternProperties"
                        );
                        e.emit(Rule::OptionalPropertyAdded, At::new(None, decl), message);
                    }
                    e.compare_here(&oc, &nc);
                }
                Governing::Open if !nr => {
                    let message = format!("{parent} gained the optional property {name:?}");
                    e.emit(Rule::OptionalPropertyAdded, At::new(None, decl), message);
                }
                Governing::Open => {}
            }
        });
    }

    /// A property the old version declared and the new one does not.
    fn removed(&mut self, vo: &View, vn: &View, name: &str) {
        let (oc, nc) = (vo.property(name), vn.property(name));
        let governing = self.governing(&nc, vn);
        let or = vo.required.contains_key(name);
        let decl = Self::declaration(vo, name);
        let kind = if or { "required" } else { "optional" };
        self.at_level(Seg::Prop(name.to_owned()), oc, nc, |e| {
            let parent = e.parent_place();
            let (rule, message) = match governing {
                Governing::Open => (
                    Rule::PropertyRemoved,
                    format!("{parent} lost the {kind} property {name:?}"),
                ),
                Governing::Restricted(why) => (
                    Rule::PropertyRemovedFromClosedObject,
                    format!("{parent} lost the {kind} property {name:?}, and {why}"),
                ),
                Governing::Schema => (
                    Rule::PropertyRemovedFromClosedObject,
                    format!(
                        "{parent} lost the {kind} property {name:?}, and additionalProperties or patternProperties restrict undeclared properties"
                    ),
                ),
            };
            e.emit(rule, At::new(decl, None), message);
        });
    }

    fn renamed(&mut self, vo: &View, vn: &View, from: &str, to: &str) {
        let at = At::new(Self::declaration(vo, from), Self::declaration(vn, to));
        let parent = self.place();
        let message = format!("property {from:?} of {parent} was renamed to {to:?} (same schema)");
        // The witness lacks whichever name the other side requires.
        let name = if vn.required.contains_key(to) {
            to
        } else {
            from
        };
        let (oc, nc) = (vo.property(name), vn.property(name));
        self.at_level(Seg::Prop(name.to_owned()), oc, nc, |e| {
            e.emit(Rule::PropertyRenamed, at, message)
        });
    }

    /// Required-ness of one property that exists on both sides (declared or not). Runs at
    /// the property's level.
    fn requiredness(&mut self, vo: &View, vn: &View, name: &str) {
        let (or, nr) = (
            vo.required.contains_key(name),
            vn.required.contains_key(name),
        );
        if or == nr {
            return;
        }
        let parent = self.parent_place();
        if or {
            let message = format!("property {name:?} of {parent} is no longer required");
            let new = Self::declaration(vn, name)
                .or_else(|| vn.parts.first().and_then(|p| p.node.loc.pointer()));
            let at = At::new(Self::required_pointer(vo, name), new);
            self.emit(Rule::PropertyMadeOptional, at, message);
        } else {
            let message = format!("property {name:?} of {parent} is now required");
            let at = At::new(None, Self::required_pointer(vn, name));
            self.emit(Rule::PropertyMadeRequired, at, message);
        }
    }

    /// The `additionalProperties` keyword that restricts undeclared names, on one side.
    fn additional_keyword(v: &View) -> Option<String> {
        v.object_parts()
            .find(|n| n.additional != crate::node::Additional::Open)
            .and_then(|n| n.loc.keyword("additionalProperties"))
    }

    fn additional(&mut self, vo: &View, vn: &View) {
        let (oo, no) = (vo.other_names(), vn.other_names());
        if oo.is_empty() && no.is_empty() {
            return;
        }
        let at = At::new(Self::additional_keyword(vo), Self::additional_keyword(vn));
        let (oclosed, nclosed) = (vo.closed(), vn.closed());
        self.at_level(Seg::Extra, oo.clone(), no.clone(), |e| {
            match (oclosed, nclosed) {
                (true, true) => {}
                (false, true) => {
                    let message = format!(
                        "{} no longer allows properties it does not declare",
                        e.parent_place()
                    );
                    e.emit(Rule::AdditionalPropertiesClosed, at, message);
                }
                (true, false) => {
                    let message = format!(
                        "{} now allows properties it does not declare",
                        e.parent_place()
                    );
                    e.emit(Rule::AdditionalPropertiesOpened, at, message);
                }
                (false, false) => e.compare_here(&oo, &no),
            }
        });
    }

    /// A property name matching `pattern` that neither version declares.
    fn sample_name(&self, pattern: &str, vo: &View, vn: &View) -> Option<String> {
        crate::regex_sample::matching(pattern, 8)
            .into_iter()
            .find(|n| !vo.declares(n) && !vn.declares(n))
    }

    fn pattern_properties(&mut self, vo: &View, vn: &View) {
        let (po, pn) = (vo.patterns_of_properties(), vn.patterns_of_properties());
        let patterns: BTreeSet<&String> = po.keys().chain(pn.keys()).collect();
        for pattern in patterns {
            let Some(name) = self.sample_name(pattern, vo, vn) else {
                let message = format!(
                    "the patternProperties pattern {pattern:?} of {} changed, and no property name matching it could be built to compare what it allows",
                    self.place()
                );
                let ptr = |p: &BTreeMap<String, Vec<Loc>>| {
                    p.get(pattern)
                        .and_then(|l| l.first())
                        .and_then(Loc::pointer)
                };
                if !po.contains_key(pattern) || !pn.contains_key(pattern) {
                    self.emit(
                        Rule::AnalysisLimitReached,
                        At::new(ptr(&po), ptr(&pn)),
                        message,
                    );
                }
                continue;
            };
            let (oc, nc) = (vo.property(&name), vn.property(&name));
            match (po.get(pattern), pn.get(pattern)) {
                (Some(_), Some(_)) => self.compare(Seg::Prop(name), oc, nc),
                (a, b) => {
                    let judgement = self.judge(Seg::Prop(name.clone()), oc.clone(), nc.clone());
                    self.pass_on(&judgement);
                    let Some(rule) = judgement.direction.rule(
                        Rule::PatternPropertiesTightened,
                        Rule::PatternPropertiesLoosened,
                        Rule::PatternPropertiesChanged,
                    ) else {
                        continue;
                    };
                    let change = if a.is_none() { "gained" } else { "lost" };
                    let message = format!(
                        "{} {change} the patternProperties pattern {pattern:?}, which changes what a property such as {name:?} may hold{}",
                        self.place(),
                        judgement.detail()
                    );
                    let at = At::new(
                        a.and_then(|l| l.first()).and_then(Loc::pointer),
                        b.and_then(|l| l.first()).and_then(Loc::pointer),
                    );
                    self.at_level(Seg::Prop(name), oc, nc, |e| e.emit(rule, at, message));
                }
            }
        }
    }

    fn property_names(&mut self, vo: &View, vn: &View) {
        let (po, pn) = (vo.property_names.clone(), vn.property_names.clone());
        if po.is_empty() && pn.is_empty() {
            return;
        }
        let string = crate::node::Kind::String.loc();
        let judgement = self.judge(
            Seg::Key,
            std::iter::once(string.clone()).chain(po.clone()).collect(),
            std::iter::once(string).chain(pn.clone()).collect(),
        );
        self.pass_on(&judgement);
        let Some(rule) = judgement.direction.rule(
            Rule::PropertyNamesTightened,
            Rule::PropertyNamesLoosened,
            Rule::PropertyNamesChanged,
        ) else {
            return;
        };
        let message = format!(
            "the propertyNames of {} changed{}",
            self.place(),
            judgement.detail()
        );
        let at = At::new(
            po.first().and_then(Loc::pointer),
            pn.first().and_then(Loc::pointer),
        );
        self.at_level(Seg::Key, po, pn, |e| e.emit(rule, at, message));
    }

    fn dependencies(&mut self, vo: &View, vn: &View) {
        type Deps = BTreeMap<String, (BTreeSet<String>, Vec<Loc>, Vec<Loc>)>;
        let read = |v: &View| -> Deps {
            let mut out: Deps = BTreeMap::new();
            for (name, dep, node) in &v.dependencies {
                let entry = out.entry(name.clone()).or_default();
                entry.2.push(node.child("dependencies").child(name));
                match dep {
                    Dependency::Names(names) => entry.0.extend(names.iter().cloned()),
                    Dependency::Schema(l) => entry.1.push(l.clone()),
                }
            }
            out
        };
        let (dold, dnew) = (read(vo), read(vn));
        let names: BTreeSet<&String> = dold.keys().chain(dnew.keys()).collect();
        let empty = (BTreeSet::new(), Vec::new(), Vec::new());
        for name in names {
            let (a, b) = (
                dold.get(name).unwrap_or(&empty),
                dnew.get(name).unwrap_or(&empty),
            );
            let mut direction = Direction::Equal;
            let added: Vec<&String> = b.0.difference(&a.0).collect();
            let removed: Vec<&String> = a.0.difference(&b.0).collect();
            if !added.is_empty() {
                direction = direction.and(Direction::Tightened);
            }
            if !removed.is_empty() {
                direction = direction.and(Direction::Loosened);
            }
            let mut detail = String::new();
            if !a.1.is_empty() || !b.1.is_empty() {
                let conj = |l: &Vec<Loc>| {
                    if l.is_empty() {
                        vec![Loc::anything()]
                    } else {
                        l.clone()
                    }
                };
                let judgement = self.judge(Seg::Alt, conj(&a.1), conj(&b.1));
                self.pass_on(&judgement);
                direction = direction.and(judgement.direction);
                detail = judgement.detail();
            }
            let Some(rule) = direction.rule(
                Rule::DependenciesTightened,
                Rule::DependenciesLoosened,
                Rule::DependenciesChanged,
            ) else {
                continue;
            };
            let list = |names: &[&String]| {
                names
                    .iter()
                    .map(|n| format!("{n:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let mut what = Vec::new();
            if !added.is_empty() {
                what.push(format!("now requires {}", list(&added)));
            }
            if !removed.is_empty() {
                what.push(format!("no longer requires {}", list(&removed)));
            }
            if what.is_empty() {
                what.push("requires a different schema".to_owned());
            }
            let message = format!(
                "on {}, property {name:?} {}{detail}",
                self.place(),
                what.join(" and ")
            );
            let at = At::new(
                a.2.first().and_then(Loc::pointer),
                b.2.first().and_then(Loc::pointer),
            );
            // The witness carries the property, so that the dependency applies.
            let present = self.s.add(json!({"required": [name]}));
            let with = |deps: &[Loc]| -> Vec<Loc> {
                std::iter::once(Loc::root(present))
                    .chain(deps.iter().cloned())
                    .collect()
            };
            let focus = Focus::one(with(&a.1), with(&b.1));
            self.emit_focused(rule, at, message, focus);
        }
    }
}
