//! What validators ignore or cannot read: annotations, `default`, keywords draft-07 does not
//! define, `$id`, keywords beside a `$ref`, `$schema`, and malformed keyword values.

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use serde_json::Value;

use super::{At, Engine};
use crate::node::{Loc, Node, NEW, OLD};
use crate::rules::Rule;
use crate::values::{json_eq, show, ANNOTATIONS};
use crate::view::View;

impl Engine<'_> {
    /// `$schema` of the two documents.
    pub(super) fn dialect(&mut self) {
        let read = |doc: Rc<Value>| {
            doc.get("$schema")
                .and_then(Value::as_str)
                .map(|s| s.trim_end_matches('#').to_owned())
        };
        let (o, n) = (read(self.s.doc(OLD)), read(self.s.doc(NEW)));
        if o != n {
            let at = At::new(
                o.as_ref().map(|_| "/$schema".to_owned()),
                n.as_ref().map(|_| "/$schema".to_owned()),
            );
            let message = format!(
                "$schema was {}, now {}",
                o.as_deref().unwrap_or("absent"),
                n.as_deref().unwrap_or("absent")
            );
            self.at_level(
                super::Seg::Root,
                vec![Loc::root(OLD)],
                vec![Loc::root(NEW)],
                |e| e.emit(Rule::SchemaDialectChanged, at, message),
            );
        }
    }

    /// Keywords next to a `$ref` (draft-07 validators ignore them, so any change is suspect),
    /// and the annotations beside two `$ref`s.
    pub(super) fn ref_siblings(&mut self, o: &Loc, n: &Loc) {
        let raw = |l: &Loc| match self.s.value_at(l) {
            Some(Value::Object(m)) if m.contains_key("$ref") => Some(m),
            _ => None,
        };
        let (mo, mn) = (raw(o), raw(n));
        if mo.is_none() && mn.is_none() {
            return;
        }
        let siblings = |m: &Option<serde_json::Map<String, Value>>| -> BTreeMap<String, Value> {
            m.iter()
                .flat_map(|m| m.iter())
                // `definitions` beside a `$ref` is where bundled schemas keep their targets.
                .filter(|(k, _)| {
                    !matches!(k.as_str(), "$ref" | "definitions" | "$schema" | "$id")
                        && !ANNOTATIONS.contains(&k.as_str())
                })
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        };
        let (so, sn) = (siblings(&mo), siblings(&mn));
        let keys: BTreeSet<&String> = so.keys().chain(sn.keys()).collect();
        for key in keys {
            let (a, b) = (so.get(key), sn.get(key));
            if a.zip(b).is_some_and(|(a, b)| json_eq(a, b)) {
                continue;
            }
            let at = At::new(a.and(o.keyword(key)), b.and(n.keyword(key)));
            let message = format!(
                "`{key}` next to the $ref of {} was {}, now {}; draft-07 validators ignore it",
                self.place(),
                a.map_or("absent".to_owned(), show),
                b.map_or("absent".to_owned(), show),
            );
            self.emit(Rule::RefSiblingChanged, at, message);
        }
        if let (Some(mo), Some(mn)) = (&mo, &mn) {
            let list = |m: &serde_json::Map<String, Value>| -> Vec<(&'static str, Value)> {
                ANNOTATIONS
                    .iter()
                    .filter_map(|k| m.get(*k).map(|v| (*k, v.clone())))
                    .collect()
            };
            self.annotations(&list(mo), o, &list(mn), n);
        }
    }

    /// Annotations, `default`, unknown keywords, `$id` and malformed keywords of the parts
    /// of both views, paired by role.
    pub(super) fn meta(&mut self, vo: &View, vn: &View) {
        let by_role = |v: &View| -> BTreeMap<String, Rc<Node>> {
            let mut m = BTreeMap::new();
            for p in v.parts.iter().filter(|p| p.node.loc.is_version()) {
                m.entry(p.role.clone()).or_insert_with(|| p.node.clone());
            }
            m
        };
        let (ro, rn) = (by_role(vo), by_role(vn));
        let roles: BTreeSet<&String> = ro.keys().chain(rn.keys()).collect();
        for role in roles {
            let (a, b) = (ro.get(role), rn.get(role));
            let empty = Vec::new();
            self.annotations(
                a.map_or(&empty, |n| &n.annotations),
                a.map_or(&Loc::anything(), |n| &n.loc),
                b.map_or(&empty, |n| &n.annotations),
                b.map_or(&Loc::anything(), |n| &n.loc),
            );
            self.default(a.map(|n| n.as_ref()), b.map(|n| n.as_ref()));
            self.unknown(a.map(|n| n.as_ref()), b.map(|n| n.as_ref()));
            self.malformed(a.map(|n| n.as_ref()), b.map(|n| n.as_ref()));
            self.not_a_schema(a.map(|n| n.as_ref()), b.map(|n| n.as_ref()));
        }
    }

    /// A position that holds neither an object nor a boolean on one side.
    fn not_a_schema(&mut self, a: Option<&Node>, b: Option<&Node>) {
        let bad = |n: Option<&Node>| n.is_some_and(|n| n.shape == crate::node::Shape::NotASchema);
        if !bad(a) && !bad(b) {
            return;
        }
        let raw = |n: Option<&Node>| n.and_then(|n| self.s.value_at(&n.loc));
        if raw(a).zip(raw(b)).is_some_and(|(u, v)| json_eq(&u, &v)) {
            return;
        }
        let message = format!(
            "{} is not a schema (an object or a boolean) in one of the versions and changed",
            self.place()
        );
        let at = At::new(
            a.and_then(|n| n.loc.pointer()),
            b.and_then(|n| n.loc.pointer()),
        );
        self.emit(Rule::UnsupportedKeywordChanged, at, message);
    }

    fn annotations(
        &mut self,
        a: &[(&'static str, Value)],
        a_at: &Loc,
        b: &[(&'static str, Value)],
        b_at: &Loc,
    ) {
        for key in ANNOTATIONS {
            let get = |list: &[(&'static str, Value)]| {
                list.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
            };
            let (x, y) = (get(a), get(b));
            let change = match (&x, &y) {
                (None, None) => continue,
                (Some(x), Some(y)) if json_eq(x, y) => continue,
                (None, Some(_)) => "added",
                (Some(_), None) => "removed",
                (Some(_), Some(_)) => "changed",
            };
            let at = At::new(
                x.as_ref().and_then(|_| a_at.keyword(key)),
                y.as_ref().and_then(|_| b_at.keyword(key)),
            );
            let message = format!("the {key} of {} was {change}", self.place());
            self.emit(Rule::AnnotationChanged, at, message);
        }
    }

    fn default(&mut self, a: Option<&Node>, b: Option<&Node>) {
        let (x, y) = (
            a.and_then(|n| n.default.as_ref()),
            b.and_then(|n| n.default.as_ref()),
        );
        let message = match (x, y) {
            (None, None) => return,
            (Some(x), Some(y)) if json_eq(x, y) => return,
            (None, Some(y)) => format!("{} gained the default {}", self.place(), show(y)),
            (Some(x), None) => format!("{} lost its default {}", self.place(), show(x)),
            (Some(x), Some(y)) => format!(
                "the default of {} went from {} to {}",
                self.place(),
                show(x),
                show(y)
            ),
        };
        let at = At::new(
            x.and(a).and_then(|n| n.loc.keyword("default")),
            y.and(b).and_then(|n| n.loc.keyword("default")),
        );
        self.emit(Rule::DefaultChanged, at, message);
    }

    fn unknown(&mut self, a: Option<&Node>, b: Option<&Node>) {
        let list = |n: Option<&Node>| -> BTreeMap<String, Value> {
            let mut m: BTreeMap<String, Value> = n
                .map(|n| n.unknown.iter().cloned().collect())
                .unwrap_or_default();
            // The document's own `$id` names it: an annotation. A subschema's `$id` moves
            // the base its references resolve against.
            if let Some(node) = n {
                if let Some(id) = &node.id {
                    let key = if node.loc.at.is_empty() {
                        "$id (root)"
                    } else {
                        "$id"
                    };
                    m.insert(key.to_owned(), id.clone());
                }
            }
            m
        };
        let (x, y) = (list(a), list(b));
        let keys: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
        for key in keys {
            let (u, v) = (x.get(key), y.get(key));
            if u.zip(v).is_some_and(|(u, v)| json_eq(u, v)) {
                continue;
            }
            let change = match (u, v) {
                (None, _) => "added",
                (_, None) => "removed",
                _ => "changed",
            };
            let written = if key == "$id (root)" {
                "$id"
            } else {
                key.as_str()
            };
            let at = At::new(
                u.and(a).and_then(|n| n.loc.keyword(written)),
                v.and(b).and_then(|n| n.loc.keyword(written)),
            );
            let (rule, message) = match key.as_str() {
                "$id (root)" => (
                    Rule::AnnotationChanged,
                    format!("the $id of the document was {change}"),
                ),
                "$id" => (
                    Rule::IdChanged,
                    format!(
                        "the $id of {} was {change}; references inside it resolve against it",
                        self.place()
                    ),
                ),
                _ => (
                    Rule::UnknownKeywordChanged,
                    format!(
                        "`{key}` of {} was {change}; draft-07 does not define `{key}`",
                        self.place()
                    ),
                ),
            };
            self.emit(rule, at, message);
        }
    }

    /// Keywords whose value is not valid draft-07 on either side.
    fn malformed(&mut self, a: Option<&Node>, b: Option<&Node>) {
        let list = |n: Option<&Node>| -> Vec<(&'static str, Value)> {
            n.map(|n| n.malformed.clone()).unwrap_or_default()
        };
        let (x, y) = (list(a), list(b));
        let keys: BTreeSet<&'static str> = x.iter().chain(y.iter()).map(|(k, _)| *k).collect();
        for key in keys {
            let get = |l: &[(&'static str, Value)]| {
                l.iter().find(|(k, _)| *k == key).map(|(_, v)| v.clone())
            };
            let (u, v) = (get(&x), get(&y));
            // The same malformed value on both sides means the same (undefined) thing.
            if u.as_ref()
                .zip(v.as_ref())
                .is_some_and(|(u, v)| json_eq(u, v))
            {
                continue;
            }
            let raw = |n: Option<&Node>| {
                n.and_then(|n| self.s.value_at(&n.loc))
                    .and_then(|v| v.get(key).cloned())
            };
            let (ru, rv) = (raw(a), raw(b));
            if ru
                .as_ref()
                .zip(rv.as_ref())
                .is_some_and(|(u, v)| json_eq(u, v))
            {
                continue;
            }
            let at = At::new(
                ru.as_ref().and(a).and_then(|n| n.loc.keyword(key)),
                rv.as_ref().and(b).and_then(|n| n.loc.keyword(key)),
            );
            let message = format!(
                "`{key}` of {} is not valid draft-07 in {} and changed ({} -> {})",
                self.place(),
                match (&u, &v) {
                    (Some(_), Some(_)) => "both versions",
                    (Some(_), None) => "the old version",
                    _ => "the new version",
                },
                ru.as_ref().map_or("absent".to_owned(), show),
                rv.as_ref().map_or("absent".to_owned(), show),
            );
            self.emit(Rule::UnsupportedKeywordChanged, at, message);
        }
    }
}
