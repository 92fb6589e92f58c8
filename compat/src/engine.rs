//! The diff: walks two schemas side by side, following local `$ref`s, and reports each
//! change under the catalog rule that names it. It judges nothing itself: the bump,
//! whom it breaks and the fix come from [`crate::rules`].
//!
//! Pairs of schema positions already compared are remembered, so recursive schemas end
//! (a pair met again was, or is being, compared), and depth and work are bounded (past
//! the bound, the conservative `analysis-limit-reached` finding is reported).

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde_json::{Map, Value};

use crate::generate::Seg;
use crate::rules::{known, Bump, Rule};
use crate::schema::{
    allowed_values, count, declared_types, join, json_eq, lower_bound, lower_is_tighter,
    matching_patterns, required, resolve, scalar_ok, show, step, upper_bound, upper_is_tighter,
    Additional, Equivalence, RefError, Types, ANNOTATIONS, HANDLED, TRUE_SCHEMA, UNSUPPORTED,
};

const MAX_DEPTH: usize = 128;
const MAX_STEPS: usize = 50_000;

/// A schema position a witness draws values from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Spec {
    /// The schema at this pointer of its document.
    At(String),
    /// Anything (an absent schema).
    True,
    /// Nothing.
    False,
}

/// Where in an event a change bites, and the schema each side has there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target {
    pub path: Vec<Seg>,
    pub old: Spec,
    pub new: Spec,
}

/// A change, before witnesses.
#[derive(Debug, Clone)]
pub(crate) struct RawFinding {
    pub rule: &'static Rule,
    pub old_pointer: Option<String>,
    pub new_pointer: Option<String>,
    pub message: String,
    pub target: Target,
}

/// The instance path as a JSON pointer, with `*` for "any element" or "any undeclared property".
pub(crate) fn path_text(path: &[Seg]) -> String {
    path.iter()
        .map(|s| match s {
            Seg::Prop(name) => join("", name),
            Seg::Item | Seg::Extra => "/*".to_owned(),
        })
        .collect()
}

fn place(path: &[Seg]) -> String {
    match path.last() {
        None => "the top-level value".to_owned(),
        Some(Seg::Extra) => format!("{} (any undeclared property)", path_text(path)),
        Some(Seg::Item) => format!("{} (any item)", path_text(path)),
        Some(Seg::Prop(_)) => path_text(path),
    }
}

/// Compares `old` with `new` and returns every change found, in document order.
pub(crate) fn run(old: &Value, new: &Value) -> Vec<RawFinding> {
    let mut engine = Engine::new(old, new);
    engine.dialect();
    engine.compare(old, "", new, "", &mut Vec::new(), 0);
    let mut seen = HashSet::new();
    engine
        .findings
        .into_iter()
        .filter(|f| seen.insert((f.rule.id, f.old_pointer.clone(), f.new_pointer.clone())))
        .collect()
}

struct Engine<'a> {
    old_root: &'a Value,
    new_root: &'a Value,
    seen: HashSet<(String, String)>,
    findings: Vec<RawFinding>,
    steps: usize,
    limit_reported: bool,
    roots_equal: bool,
}

/// Keyword pointers of one finding: where the change is in each document, if there.
struct At {
    old: Option<String>,
    new: Option<String>,
}

impl At {
    fn both(old: String, new: String) -> At {
        At {
            old: Some(old),
            new: Some(new),
        }
    }
    fn keyword(
        o_at: &str,
        om: &Map<String, Value>,
        n_at: &str,
        nm: &Map<String, Value>,
        key: &str,
    ) -> At {
        At {
            old: om.contains_key(key).then(|| join(o_at, key)),
            new: nm.contains_key(key).then(|| join(n_at, key)),
        }
    }
}

impl<'a> Engine<'a> {
    fn new(old_root: &'a Value, new_root: &'a Value) -> Self {
        Engine {
            old_root,
            new_root,
            seen: HashSet::new(),
            findings: Vec::new(),
            steps: 0,
            limit_reported: false,
            roots_equal: json_eq(old_root, new_root),
        }
    }

    fn emit(&mut self, id: &str, at: At, path: &[Seg], old: Spec, new: Spec, message: String) {
        self.findings.push(RawFinding {
            rule: known(id),
            old_pointer: at.old,
            new_pointer: at.new,
            message,
            target: Target {
                path: path.to_vec(),
                old,
                new,
            },
        });
    }

    fn dialect(&mut self) {
        let read = |v: &Value| {
            v.get("$schema")
                .and_then(Value::as_str)
                .map(|s| s.trim_end_matches('#').to_owned())
        };
        let (o, n) = (read(self.old_root), read(self.new_root));
        if o != n {
            let at = At {
                old: o.as_ref().map(|_| "/$schema".to_owned()),
                new: n.as_ref().map(|_| "/$schema".to_owned()),
            };
            let message = format!(
                "$schema was {}, now {}",
                o.as_deref().unwrap_or("absent"),
                n.as_deref().unwrap_or("absent")
            );
            self.emit(
                "schema-dialect-changed",
                at,
                &[],
                Spec::At(String::new()),
                Spec::At(String::new()),
                message,
            );
        }
    }

    /// Compares two schema positions as written (possibly `$ref`s).
    fn compare(
        &mut self,
        o: &'a Value,
        o_at: &str,
        n: &'a Value,
        n_at: &str,
        path: &mut Vec<Seg>,
        depth: usize,
    ) {
        self.steps += 1;
        if depth > MAX_DEPTH || self.steps > MAX_STEPS {
            if !self.limit_reported {
                self.limit_reported = true;
                let message = format!(
                    "the comparison stopped at {} (deeper than {MAX_DEPTH} levels or more than {MAX_STEPS} positions)",
                    place(path)
                );
                self.emit(
                    "analysis-limit-reached",
                    At::both(o_at.to_owned(), n_at.to_owned()),
                    path,
                    Spec::At(o_at.to_owned()),
                    Spec::At(n_at.to_owned()),
                    message,
                );
            }
            return;
        }
        let o_ref = o.get("$ref").is_some();
        let n_ref = n.get("$ref").is_some();
        if o_ref || n_ref {
            self.ref_siblings(o, o_at, n, n_at, path);
            if o_ref && n_ref {
                if let (Some(om), Some(nm)) = (o.as_object(), n.as_object()) {
                    self.annotations(om, o_at, nm, n_at, path);
                }
            }
        }
        let resolved_old = resolve(self.old_root, o, o_at);
        let resolved_new = resolve(self.new_root, n, n_at);
        let ((o, o_at), (n, n_at)) = match (resolved_old, resolved_new) {
            (Ok(a), Ok(b)) => (a, b),
            (a, b) => {
                let text = |r: &Result<(&Value, String), RefError>| match r {
                    Ok(_) => None,
                    Err(RefError::Unresolvable(s)) | Err(RefError::Loop(s)) => Some(s.clone()),
                };
                let (ta, tb) = (text(&a), text(&b));
                // The same unresolvable reference on both sides may still mean something
                // different (an external document, an `$id`): only identical documents are safe.
                if ta != tb || a.is_err() != b.is_err() || !self.roots_equal {
                    let describe = |t: &Option<String>| match t {
                        Some(s) => format!("the unresolvable $ref {s:?}"),
                        None => "a resolvable schema".to_owned(),
                    };
                    let message = if ta == tb {
                        format!(
                            "{} is {} in both versions, and the documents differ, so it cannot be compared",
                            place(path),
                            describe(&ta)
                        )
                    } else {
                        format!(
                            "{} was {}, now {}",
                            place(path),
                            describe(&ta),
                            describe(&tb)
                        )
                    };
                    let at = At {
                        old: Some(if ta.is_some() {
                            join(o_at, "$ref")
                        } else {
                            o_at.to_owned()
                        }),
                        new: Some(if tb.is_some() {
                            join(n_at, "$ref")
                        } else {
                            n_at.to_owned()
                        }),
                    };
                    self.emit(
                        "ref-unresolvable",
                        at,
                        path,
                        Spec::At(o_at.to_owned()),
                        Spec::At(n_at.to_owned()),
                        message,
                    );
                }
                return;
            }
        };
        if !self.seen.insert((o_at.clone(), n_at.clone())) {
            return;
        }
        self.compare_resolved(o, &o_at, n, &n_at, path, depth);
    }

    /// Keywords next to a `$ref`: draft-07 validators ignore them, so any change is suspect.
    fn ref_siblings(&mut self, o: &'a Value, o_at: &str, n: &'a Value, n_at: &str, path: &[Seg]) {
        let siblings = |v: &'a Value| -> BTreeMap<&'a String, &'a Value> {
            match v.as_object() {
                Some(m) if m.contains_key("$ref") => m
                    .iter()
                    // `definitions` beside a `$ref` is where bundled schemas keep their targets.
                    .filter(|(k, _)| {
                        !matches!(k.as_str(), "$ref" | "definitions" | "$schema")
                            && !ANNOTATIONS.contains(&k.as_str())
                    })
                    .collect(),
                _ => BTreeMap::new(),
            }
        };
        let (so, sn) = (siblings(o), siblings(n));
        let keys: BTreeSet<&String> = so.keys().chain(sn.keys()).copied().collect();
        for key in keys {
            let (a, b) = (so.get(key), sn.get(key));
            if a.zip(b).is_some_and(|(a, b)| json_eq(a, b)) {
                continue;
            }
            let at = At {
                old: a.map(|_| join(o_at, key)),
                new: b.map(|_| join(n_at, key)),
            };
            let message = format!(
                "`{key}` next to the $ref of {} was {}, now {}; draft-07 validators ignore it",
                place(path),
                a.map_or("absent".to_owned(), |v| show(v)),
                b.map_or("absent".to_owned(), |v| show(v)),
            );
            self.emit(
                "ref-sibling-changed",
                at,
                path,
                Spec::At(o_at.to_owned()),
                Spec::At(n_at.to_owned()),
                message,
            );
        }
    }

    fn compare_resolved(
        &mut self,
        o: &'a Value,
        o_at: &str,
        n: &'a Value,
        n_at: &str,
        path: &mut Vec<Seg>,
        depth: usize,
    ) {
        let o_false = *o == Value::Bool(false);
        let n_false = *n == Value::Bool(false);
        let here = || (Spec::At(o_at.to_owned()), Spec::At(n_at.to_owned()));
        match (o_false, n_false) {
            (true, true) => return,
            (false, true) => {
                let message = format!("{} now rejects every value (`false`)", place(path));
                self.emit(
                    "schema-now-false",
                    At::both(o_at.to_owned(), n_at.to_owned()),
                    path,
                    Spec::At(o_at.to_owned()),
                    Spec::False,
                    message,
                );
                return;
            }
            (true, false) => {
                let message = format!(
                    "{} was `false` (no value allowed) and now accepts values",
                    place(path)
                );
                self.emit(
                    "schema-no-longer-false",
                    At::both(o_at.to_owned(), n_at.to_owned()),
                    path,
                    Spec::False,
                    Spec::At(n_at.to_owned()),
                    message,
                );
                return;
            }
            (false, false) => {}
        }
        let empty: &'a Map<String, Value> = empty_map();
        let as_map = |v: &'a Value| -> Option<&'a Map<String, Value>> {
            match v {
                Value::Object(m) => Some(m),
                Value::Bool(true) => Some(empty),
                _ => None,
            }
        };
        let (Some(om), Some(nm)) = (as_map(o), as_map(n)) else {
            if !json_eq(o, n) {
                let (so, sn) = here();
                let message = format!(
                    "{} is not a schema object in one of the versions and changed",
                    place(path)
                );
                self.emit(
                    "unsupported-keyword-changed",
                    At::both(o_at.to_owned(), n_at.to_owned()),
                    path,
                    so,
                    sn,
                    message,
                );
            }
            return;
        };
        if om.is_empty() && nm.is_empty() {
            return; // both accept anything: nothing below can differ
        }
        self.annotations(om, o_at, nm, n_at, path);
        self.default(om, o_at, nm, n_at, path);
        self.other_keywords(om, o_at, nm, n_at, path);

        let (o_values, n_values) = self.value_sets(om, o_at, nm, n_at, path);
        let (o_decl, n_decl) = self.declared_pair(om, o_at, nm, n_at, path);
        // An integer step leaves no room for non-integers: `number` then means `integer`.
        let integral = |m: &Map<String, Value>, t: Types| match step(m, false) {
            Ok(Some(s)) if s.fract() == 0.0 => t.minus(Types(Types::FRACTION)),
            _ => t,
        };
        let (o_decl, n_decl) = (integral(om, o_decl), integral(nm, n_decl));
        let o_types = o_values.as_ref().map_or(o_decl, |vs| union_types(vs));
        let n_types = n_values.as_ref().map_or(n_decl, |vs| union_types(vs));
        let finite = o_values.is_some() || n_values.is_some();
        if finite {
            self.values(om, o_at, o_values, nm, n_at, n_values, path);
        } else {
            self.types(om, o_at, o_types, nm, n_at, n_types, path);
        }
        let common = o_types.and(n_types);
        if !finite && common.has(Types::STRING) {
            self.strings(om, o_at, nm, n_at, path);
        }
        if !finite && common.has(Types::NUMBER) {
            let integer = common.and(Types(Types::NUMBER)) == Types(Types::INTEGER);
            self.numbers(om, o_at, nm, n_at, path, integer);
        }
        if common.has(Types::OBJECT) {
            self.objects(om, o_at, nm, n_at, path, depth);
        }
        if common.has(Types::ARRAY) {
            self.arrays(om, o_at, nm, n_at, path, depth);
        }
    }

    fn annotations(
        &mut self,
        om: &Map<String, Value>,
        o_at: &str,
        nm: &Map<String, Value>,
        n_at: &str,
        path: &[Seg],
    ) {
        for key in ANNOTATIONS {
            let (a, b) = (om.get(*key), nm.get(*key));
            let change = match (a, b) {
                (None, None) => continue,
                (Some(a), Some(b)) if json_eq(a, b) => continue,
                (None, Some(_)) => "added",
                (Some(_), None) => "removed",
                (Some(_), Some(_)) => "changed",
            };
            let message = format!("the {key} of {} was {change}", place(path));
            self.emit(
                "annotation-changed",
                At::keyword(o_at, om, n_at, nm, key),
                path,
                Spec::True,
                Spec::True,
                message,
            );
        }
    }

    fn default(
        &mut self,
        om: &Map<String, Value>,
        o_at: &str,
        nm: &Map<String, Value>,
        n_at: &str,
        path: &[Seg],
    ) {
        let (a, b) = (om.get("default"), nm.get("default"));
        let message = match (a, b) {
            (None, None) => return,
            (Some(a), Some(b)) if json_eq(a, b) => return,
            (None, Some(b)) => format!("{} gained the default {}", place(path), show(b)),
            (Some(a), None) => format!("{} lost its default {}", place(path), show(a)),
            (Some(a), Some(b)) => format!(
                "the default of {} went from {} to {}",
                place(path),
                show(a),
                show(b)
            ),
        };
        self.emit(
            "default-changed",
            At::keyword(o_at, om, n_at, nm, "default"),
            path,
            Spec::At(o_at.to_owned()),
            Spec::At(n_at.to_owned()),
            message,
        );
    }

    /// Keywords the engine does not reason about (compared structurally) and unknown ones.
    fn other_keywords(
        &mut self,
        om: &'a Map<String, Value>,
        o_at: &str,
        nm: &'a Map<String, Value>,
        n_at: &str,
        path: &[Seg],
    ) {
        let keys: BTreeSet<&String> = om.keys().chain(nm.keys()).collect();
        for key in keys {
            let k = key.as_str();
            if ANNOTATIONS.contains(&k) || HANDLED.contains(&k) {
                continue;
            }
            let (a, b) = (om.get(k), nm.get(k));
            let unsupported = UNSUPPORTED.contains(&k);
            let same = match (a, b) {
                (Some(a), Some(b)) if unsupported => Equivalence::new(self.old_root, self.new_root)
                    .keyword(k, a, &join(o_at, k), b, &join(n_at, k), 0),
                (Some(a), Some(b)) => json_eq(a, b),
                _ => false,
            };
            if same {
                continue;
            }
            let change = match (a, b) {
                (None, _) => "added",
                (_, None) => "removed",
                _ => "changed",
            };
            let (rule, message) = if unsupported {
                (
                    "unsupported-keyword-changed",
                    format!(
                        "`{k}` of {} was {change}; the engine does not reason about `{k}`",
                        place(path)
                    ),
                )
            } else {
                (
                    "unknown-keyword-changed",
                    format!(
                        "`{k}` of {} was {change}; draft-07 does not define `{k}`",
                        place(path)
                    ),
                )
            };
            self.emit(
                rule,
                At::keyword(o_at, om, n_at, nm, k),
                path,
                Spec::At(o_at.to_owned()),
                Spec::At(n_at.to_owned()),
                message,
            );
        }
        // Tuple-form `items` is not compared element by element.
        let (a, b) = (om.get("items"), nm.get("items"));
        if a.is_some_and(Value::is_array) || b.is_some_and(Value::is_array) {
            let same = match (a, b) {
                (Some(a), Some(b)) => Equivalence::new(self.old_root, self.new_root).keyword(
                    "items",
                    a,
                    &join(o_at, "items"),
                    b,
                    &join(n_at, "items"),
                    0,
                ),
                _ => false,
            };
            if !same {
                let message = format!(
                    "the tuple `items` of {} changed; the engine does not reason about tuples",
                    place(path)
                );
                self.emit(
                    "unsupported-keyword-changed",
                    At::keyword(o_at, om, n_at, nm, "items"),
                    path,
                    Spec::At(o_at.to_owned()),
                    Spec::At(n_at.to_owned()),
                    message,
                );
            }
        }
    }

    /// The values `enum`/`const` allow on each side (filtered by that side's other keywords).
    #[allow(clippy::type_complexity)]
    fn value_sets(
        &mut self,
        om: &'a Map<String, Value>,
        o_at: &str,
        nm: &'a Map<String, Value>,
        n_at: &str,
        path: &[Seg],
    ) -> (Option<Vec<&'a Value>>, Option<Vec<&'a Value>>) {
        let read = |m: &'a Map<String, Value>| {
            allowed_values(m).map(|vs| {
                vs.map(|vs| {
                    vs.into_iter()
                        .filter(|v| scalar_ok(m, v))
                        .collect::<Vec<_>>()
                })
            })
        };
        let (a, b) = (read(om), read(nm));
        if a.is_err() || b.is_err() {
            self.malformed(om, o_at, nm, n_at, path, "enum");
        }
        (a.unwrap_or(None), b.unwrap_or(None))
    }

    /// The `type` keyword of each side as a set (malformed: any type, and the change is reported).
    fn declared_pair(
        &mut self,
        om: &Map<String, Value>,
        o_at: &str,
        nm: &Map<String, Value>,
        n_at: &str,
        path: &[Seg],
    ) -> (Types, Types) {
        let (a, b) = (declared_types(om), declared_types(nm));
        if a.is_err() || b.is_err() {
            self.malformed(om, o_at, nm, n_at, path, "type");
        }
        (a.unwrap_or(Types::ALL), b.unwrap_or(Types::ALL))
    }

    #[allow(clippy::too_many_arguments)]
    fn values(
        &mut self,
        om: &Map<String, Value>,
        o_at: &str,
        o_values: Option<Vec<&Value>>,
        nm: &Map<String, Value>,
        n_at: &str,
        n_values: Option<Vec<&Value>>,
        path: &[Seg],
    ) {
        let (so, sn) = (Spec::At(o_at.to_owned()), Spec::At(n_at.to_owned()));
        match (o_values, n_values) {
            (Some(a), Some(b)) => {
                for v in &b {
                    if !a.iter().any(|x| json_eq(x, v)) {
                        let at = At {
                            old: None,
                            new: Some(value_pointer(nm, n_at, v)),
                        };
                        let message = format!("{} now allows {}", place(path), show(v));
                        self.emit(
                            "enum-value-added",
                            at,
                            path,
                            so.clone(),
                            sn.clone(),
                            message,
                        );
                    }
                }
                for v in &a {
                    if !b.iter().any(|x| json_eq(x, v)) {
                        let at = At {
                            old: Some(value_pointer(om, o_at, v)),
                            new: None,
                        };
                        let message = format!("{} no longer allows {}", place(path), show(v));
                        self.emit(
                            "enum-value-removed",
                            at,
                            path,
                            so.clone(),
                            sn.clone(),
                            message,
                        );
                    }
                }
            }
            (None, Some(b)) => {
                let key = if nm.contains_key("enum") {
                    "enum"
                } else {
                    "const"
                };
                let listed: Vec<String> = b.iter().map(|v| show(v)).collect();
                let message = format!("{} is now limited to {}", place(path), listed.join(", "));
                self.emit(
                    "enum-introduced",
                    At {
                        old: None,
                        new: Some(join(n_at, key)),
                    },
                    path,
                    so.clone(),
                    sn.clone(),
                    message,
                );
                for v in &b {
                    if !scalar_ok(om, v) {
                        let at = At {
                            old: None,
                            new: Some(value_pointer(nm, n_at, v)),
                        };
                        let message = format!(
                            "{} now allows {}, which the old version rejected",
                            place(path),
                            show(v)
                        );
                        self.emit(
                            "enum-value-added",
                            at,
                            path,
                            so.clone(),
                            sn.clone(),
                            message,
                        );
                    }
                }
            }
            (Some(a), None) => {
                let key = if om.contains_key("enum") {
                    "enum"
                } else {
                    "const"
                };
                let listed: Vec<String> = a.iter().map(|v| show(v)).collect();
                let message = format!(
                    "{} was limited to {} and now is not",
                    place(path),
                    listed.join(", ")
                );
                let at = At {
                    old: Some(join(o_at, key)),
                    new: None,
                };
                self.emit("enum-lifted", at, path, so.clone(), sn.clone(), message);
                for v in &a {
                    if !scalar_ok(nm, v) {
                        let at = At {
                            old: Some(value_pointer(om, o_at, v)),
                            new: None,
                        };
                        let message = format!("{} no longer allows {}", place(path), show(v));
                        self.emit(
                            "enum-value-removed",
                            at,
                            path,
                            so.clone(),
                            sn.clone(),
                            message,
                        );
                    }
                }
            }
            (None, None) => {}
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn types(
        &mut self,
        om: &Map<String, Value>,
        o_at: &str,
        o_t: Types,
        nm: &Map<String, Value>,
        n_at: &str,
        n_t: Types,
        path: &[Seg],
    ) {
        if o_t == n_t {
            return;
        }
        let added = n_t.minus(o_t);
        let removed = o_t.minus(n_t);
        let null = Types(Types::NULL);
        let rule = match (added == Types::NONE, removed == Types::NONE) {
            (false, true) if added == null => "type-made-nullable",
            (false, true) => "type-widened",
            (true, false) if removed == null => "type-made-non-nullable",
            (true, false) => "type-narrowed",
            _ => "type-changed",
        };
        let message = format!(
            "{} was {}, now {}",
            place(path),
            o_t.describe(),
            n_t.describe()
        );
        self.emit(
            rule,
            At::keyword(o_at, om, n_at, nm, "type").or_node(o_at, n_at),
            path,
            Spec::At(o_at.to_owned()),
            Spec::At(n_at.to_owned()),
            message,
        );
    }

    fn strings(
        &mut self,
        om: &Map<String, Value>,
        o_at: &str,
        nm: &Map<String, Value>,
        n_at: &str,
        path: &[Seg],
    ) {
        let (so, sn) = (Spec::At(o_at.to_owned()), Spec::At(n_at.to_owned()));
        // Lengths: a missing minLength is 0, a missing maxLength is unbounded.
        match (count(om, "minLength"), count(nm, "minLength")) {
            (Ok(a), Ok(b)) => {
                let (a, b) = (a.unwrap_or(0), b.unwrap_or(0));
                if a != b {
                    let rule = if b > a {
                        "string-length-tightened"
                    } else {
                        "string-length-loosened"
                    };
                    let message = format!("the minLength of {} went from {a} to {b}", place(path));
                    self.emit(
                        rule,
                        At::keyword(o_at, om, n_at, nm, "minLength"),
                        path,
                        so.clone(),
                        sn.clone(),
                        message,
                    );
                }
            }
            _ => self.malformed(om, o_at, nm, n_at, path, "minLength"),
        }
        match (count(om, "maxLength"), count(nm, "maxLength")) {
            (Ok(a), Ok(b)) => {
                if let Some(rule) = upper_change(a, b) {
                    let message = format!(
                        "the maxLength of {} went from {} to {}",
                        place(path),
                        limit(a),
                        limit(b)
                    );
                    self.emit(
                        &rule.replace("{}", "string-length"),
                        At::keyword(o_at, om, n_at, nm, "maxLength"),
                        path,
                        so.clone(),
                        sn.clone(),
                        message,
                    );
                }
            }
            _ => self.malformed(om, o_at, nm, n_at, path, "maxLength"),
        }
        for (key, added, removed, changed) in [
            (
                "pattern",
                "pattern-added",
                "pattern-removed",
                "pattern-changed",
            ),
            ("format", "format-added", "format-removed", "format-changed"),
        ] {
            let (a, b) = (om.get(key), nm.get(key));
            let rule = match (a, b) {
                (None, None) => continue,
                (Some(a), Some(b)) if json_eq(a, b) => continue,
                (None, Some(_)) => added,
                (Some(_), None) => removed,
                (Some(_), Some(_)) => changed,
            };
            let message = format!(
                "the {key} of {} was {}, now {}",
                place(path),
                a.map_or("absent".to_owned(), show),
                b.map_or("absent".to_owned(), show)
            );
            self.emit(
                rule,
                At::keyword(o_at, om, n_at, nm, key),
                path,
                so.clone(),
                sn.clone(),
                message,
            );
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn numbers(
        &mut self,
        om: &Map<String, Value>,
        o_at: &str,
        nm: &Map<String, Value>,
        n_at: &str,
        path: &[Seg],
        integer: bool,
    ) {
        let (so, sn) = (Spec::At(o_at.to_owned()), Spec::At(n_at.to_owned()));
        let describe = |b: &Option<crate::schema::Bound>| match b {
            None => "none".to_owned(),
            Some(b) => format!("{} {}", b.keyword, fmt_number(b.value)),
        };
        let keyword_at = |b: &Option<crate::schema::Bound>, m: &Map<String, Value>, at: &str| {
            b.as_ref()
                .filter(|b| m.contains_key(b.keyword))
                .map(|b| join(at, b.keyword))
        };
        type BoundOf = fn(&Map<String, Value>, bool) -> Result<Option<crate::schema::Bound>, ()>;
        type Tighter = fn(&crate::schema::Bound, &crate::schema::Bound) -> bool;
        // The lower and upper bound are judged the same way; only the reader and the
        // direction of "tighter" differ.
        let sides: [(&str, BoundOf, Tighter, &str); 2] = [
            ("lower", lower_bound, lower_is_tighter, "minimum"),
            ("upper", upper_bound, upper_is_tighter, "maximum"),
        ];
        for (side, bound_of, is_tighter, keyword) in sides {
            match (bound_of(om, integer), bound_of(nm, integer)) {
                (Ok(a), Ok(b)) => {
                    let rule = match (&a, &b) {
                        (None, None) => None,
                        (None, Some(_)) => Some("number-range-tightened"),
                        (Some(_), None) => Some("number-range-loosened"),
                        (Some(x), Some(y)) if is_tighter(y, x) => Some("number-range-tightened"),
                        (Some(x), Some(y)) if is_tighter(x, y) => Some("number-range-loosened"),
                        _ => None,
                    };
                    if let Some(rule) = rule {
                        let message = format!(
                            "the {side} bound of {} went from {} to {}",
                            place(path),
                            describe(&a),
                            describe(&b)
                        );
                        let at = At {
                            old: keyword_at(&a, om, o_at),
                            new: keyword_at(&b, nm, n_at),
                        };
                        self.emit(rule, at, path, so.clone(), sn.clone(), message);
                    }
                }
                _ => self.malformed(om, o_at, nm, n_at, path, keyword),
            }
        }
        match (step(om, integer), step(nm, integer)) {
            (Ok(a), Ok(b)) => {
                let rule = match (a, b) {
                    (None, None) => None,
                    (None, Some(_)) => Some("multiple-of-tightened"),
                    (Some(_), None) => Some("multiple-of-loosened"),
                    (Some(x), Some(y)) if x == y => None,
                    (Some(x), Some(y)) if crate::schema::is_multiple(y, x) => {
                        Some("multiple-of-tightened")
                    }
                    (Some(x), Some(y)) if crate::schema::is_multiple(x, y) => {
                        Some("multiple-of-loosened")
                    }
                    _ => Some("multiple-of-changed"),
                };
                if let Some(rule) = rule {
                    let show_step = |s: Option<f64>| s.map_or("none".to_owned(), fmt_number);
                    let message = format!(
                        "the multipleOf of {} went from {} to {}",
                        place(path),
                        show_step(a),
                        show_step(b)
                    );
                    self.emit(
                        rule,
                        At::keyword(o_at, om, n_at, nm, "multipleOf"),
                        path,
                        so.clone(),
                        sn.clone(),
                        message,
                    );
                }
            }
            _ => self.malformed(om, o_at, nm, n_at, path, "multipleOf"),
        }
    }

    fn objects(
        &mut self,
        om: &'a Map<String, Value>,
        o_at: &str,
        nm: &'a Map<String, Value>,
        n_at: &str,
        path: &mut Vec<Seg>,
        depth: usize,
    ) {
        let empty = empty_map();
        let o_props = match om.get("properties") {
            None => empty,
            Some(Value::Object(p)) => p,
            Some(_) => {
                self.malformed(om, o_at, nm, n_at, path, "properties");
                return;
            }
        };
        let n_props = match nm.get("properties") {
            None => empty,
            Some(Value::Object(p)) => p,
            Some(_) => {
                self.malformed(om, o_at, nm, n_at, path, "properties");
                return;
            }
        };
        let (o_req, n_req) = (required(om), required(nm));
        let o_props_at = join(o_at, "properties");
        let n_props_at = join(n_at, "properties");

        // Renames: a removed and an added property with the same schema and the same required-ness.
        let mut renamed: BTreeMap<&String, &String> = BTreeMap::new();
        let added: Vec<&String> = n_props
            .keys()
            .filter(|k| !o_props.contains_key(*k) && !o_req.contains(*k))
            .collect();
        for (old_name, old_schema) in o_props
            .iter()
            .filter(|(k, _)| !n_props.contains_key(*k) && !n_req.contains(*k))
        {
            let candidate = added.iter().copied().find(|new_name| {
                !renamed.values().any(|taken| taken == new_name)
                    && o_req.contains(old_name) == n_req.contains(*new_name)
                    && self.equivalent(
                        old_schema,
                        &join(&o_props_at, old_name),
                        &n_props[*new_name],
                        &join(&n_props_at, new_name),
                    )
            });
            if let Some(new_name) = candidate {
                renamed.insert(old_name, new_name);
            }
        }
        let renamed_to: BTreeSet<&String> = renamed.values().copied().collect();

        let names: BTreeSet<&String> = o_props
            .keys()
            .chain(n_props.keys())
            .chain(o_req.iter())
            .chain(n_req.iter())
            .collect();
        for name in names {
            let (od, nd) = (o_props.get(name), n_props.get(name));
            let (or, nr) = (o_req.contains(name), n_req.contains(name));
            let o_p = join(&o_props_at, name);
            let n_p = join(&n_props_at, name);
            path.push(Seg::Prop(name.clone()));
            match (od, nd) {
                (Some(ov), Some(nv)) => {
                    self.compare(ov, &o_p, nv, &n_p, path, depth + 1);
                    self.requiredness(om, o_at, nm, n_at, name, or, nr, Some(&n_p), path);
                }
                (None, Some(_)) if renamed_to.contains(name) => {}
                (None, Some(nv)) => {
                    // Only what governed the name in the old version matters: object-level
                    // keywords that did not change (maxProperties, propertyNames, allOf, ...)
                    // constrain both versions alike.
                    let governing = governing(om, o_at, name);
                    if or {
                        // Already required (undeclared) in the old version: compare its shapes.
                        match &governing {
                            Governing::Open(_) => self.compare(
                                &TRUE_SCHEMA,
                                &join(&o_p, "(undeclared)"),
                                nv,
                                &n_p,
                                path,
                                depth + 1,
                            ),
                            Governing::Schema(at, schema) => {
                                self.compare(schema, at, nv, &n_p, path, depth + 1)
                            }
                            Governing::Restricted(spec, why) => {
                                let message = format!("property {name:?} is now declared on {}, which {why} in the old version", place(&path[..path.len() - 1]));
                                self.emit(
                                    "property-added-to-closed-object",
                                    At {
                                        old: None,
                                        new: Some(n_p.clone()),
                                    },
                                    path,
                                    spec.clone(),
                                    Spec::At(n_p.clone()),
                                    message,
                                );
                            }
                        }
                        self.requiredness(om, o_at, nm, n_at, name, or, nr, Some(&n_p), path);
                    } else {
                        let parent = place(&path[..path.len() - 1]);
                        let old_spec = governing.spec();
                        if nr {
                            let message = format!("{parent} gained the required property {name:?}");
                            self.emit(
                                "required-property-added",
                                At {
                                    old: None,
                                    new: Some(n_p.clone()),
                                },
                                path,
                                old_spec.clone(),
                                Spec::At(n_p.clone()),
                                message,
                            );
                        }
                        match governing {
                            Governing::Restricted(spec, why) => {
                                let message = format!("{parent} gained the property {name:?}, but {why} in the old version");
                                self.emit(
                                    "property-added-to-closed-object",
                                    At {
                                        old: None,
                                        new: Some(n_p.clone()),
                                    },
                                    path,
                                    spec,
                                    Spec::At(n_p.clone()),
                                    message,
                                );
                            }
                            Governing::Schema(at, schema) => {
                                // The name was allowed with additionalProperties' shape: the
                                // declaration is an addition (minor) plus whatever its shape changes.
                                if !nr {
                                    let message = format!("{parent} gained the optional property {name:?}, allowed before by additionalProperties");
                                    self.emit(
                                        "optional-property-added",
                                        At {
                                            old: None,
                                            new: Some(n_p.clone()),
                                        },
                                        path,
                                        old_spec,
                                        Spec::At(n_p.clone()),
                                        message,
                                    );
                                }
                                self.compare(schema, &at, nv, &n_p, path, depth + 1);
                            }
                            Governing::Open(_) if !nr => {
                                let message =
                                    format!("{parent} gained the optional property {name:?}");
                                self.emit(
                                    "optional-property-added",
                                    At {
                                        old: None,
                                        new: Some(n_p.clone()),
                                    },
                                    path,
                                    old_spec,
                                    Spec::At(n_p.clone()),
                                    message,
                                );
                            }
                            Governing::Open(_) => {}
                        }
                    }
                }
                (Some(_), None) => {
                    let parent = place(&path[..path.len() - 1]);
                    if let Some(new_name) = renamed.get(name) {
                        let message = format!("property {name:?} of {parent} was renamed to {new_name:?} (same schema)");
                        let at = At {
                            old: Some(o_p.clone()),
                            new: Some(join(&n_props_at, new_name)),
                        };
                        // The witness lacks whichever name the other side requires.
                        let (wpath, old_spec, new_spec) = if n_req.contains(*new_name) {
                            let mut p = path[..path.len() - 1].to_vec();
                            p.push(Seg::Prop((*new_name).clone()));
                            (
                                p,
                                governing(om, o_at, new_name).spec(),
                                Spec::At(join(&n_props_at, new_name)),
                            )
                        } else {
                            (
                                path.clone(),
                                Spec::At(o_p.clone()),
                                governing(nm, n_at, name).spec(),
                            )
                        };
                        self.emit("property-renamed", at, &wpath, old_spec, new_spec, message);
                    } else {
                        let governing = governing(nm, n_at, name);
                        let spec = governing.spec();
                        let (rule, message) = match governing {
                            Governing::Open(_) => (
                                "property-removed",
                                format!(
                                    "{parent} lost the {} property {name:?}",
                                    if or { "required" } else { "optional" }
                                ),
                            ),
                            Governing::Restricted(_, why) => (
                                "property-removed-from-closed-object",
                                format!(
                                    "{parent} lost the {} property {name:?}, and {why}",
                                    if or { "required" } else { "optional" }
                                ),
                            ),
                            Governing::Schema(..) => (
                                "property-removed-from-closed-object",
                                format!(
                                    "{parent} lost the {} property {name:?}, and additionalProperties restricts undeclared properties",
                                    if or { "required" } else { "optional" }
                                ),
                            ),
                        };
                        self.emit(
                            rule,
                            At {
                                old: Some(o_p.clone()),
                                new: None,
                            },
                            path,
                            Spec::At(o_p.clone()),
                            spec,
                            message,
                        );
                    }
                }
                (None, None) => {
                    self.requiredness(om, o_at, nm, n_at, name, or, nr, None, path);
                }
            }
            path.pop();
        }

        self.additional(om, o_at, nm, n_at, path, depth);

        self.counts(
            om,
            o_at,
            nm,
            n_at,
            path,
            "minProperties",
            "maxProperties",
            "property-count",
        );
    }

    /// Required-ness of one property that exists on both sides (declared or not).
    #[allow(clippy::too_many_arguments)]
    fn requiredness(
        &mut self,
        om: &Map<String, Value>,
        o_at: &str,
        nm: &Map<String, Value>,
        n_at: &str,
        name: &str,
        or: bool,
        nr: bool,
        declared_new: Option<&String>,
        path: &[Seg],
    ) {
        if or == nr {
            return;
        }
        let old_spec = property_spec(om, o_at, name);
        let new_spec = property_spec(nm, n_at, name);
        let parent = place(&path[..path.len().saturating_sub(1)]);
        if or {
            let message = format!("property {name:?} of {parent} is no longer required");
            let at = At {
                old: required_pointer(om, o_at, name),
                new: declared_new.cloned().or_else(|| Some(n_at.to_owned())),
            };
            self.emit(
                "property-made-optional",
                at,
                path,
                old_spec,
                new_spec,
                message,
            );
        } else {
            let message = format!("property {name:?} of {parent} is now required");
            let at = At {
                old: None,
                new: required_pointer(nm, n_at, name),
            };
            self.emit(
                "property-made-required",
                at,
                path,
                old_spec,
                new_spec,
                message,
            );
        }
    }

    fn additional(
        &mut self,
        om: &'a Map<String, Value>,
        o_at: &str,
        nm: &'a Map<String, Value>,
        n_at: &str,
        path: &mut Vec<Seg>,
        depth: usize,
    ) {
        let (oa, na) = (Additional::of(om), Additional::of(nm));
        let o_k = join(o_at, "additionalProperties");
        let n_k = join(n_at, "additionalProperties");
        let at = At::keyword(o_at, om, n_at, nm, "additionalProperties");
        let spec = |a: Additional, k: &str| match a {
            Additional::Open => Spec::True,
            Additional::Closed => Spec::False,
            Additional::Schema(_) => Spec::At(k.to_owned()),
        };
        let mut extra = path.clone();
        extra.push(Seg::Extra);
        match (oa, na) {
            (Additional::Open, Additional::Open) | (Additional::Closed, Additional::Closed) => {}
            (Additional::Open | Additional::Schema(_), Additional::Closed) => {
                let message = format!(
                    "{} no longer allows properties it does not declare",
                    place(path)
                );
                self.emit(
                    "additional-properties-closed",
                    at,
                    &extra,
                    spec(oa, &o_k),
                    Spec::False,
                    message,
                );
            }
            (Additional::Closed, Additional::Open | Additional::Schema(_)) => {
                let message = format!("{} now allows properties it does not declare", place(path));
                self.emit(
                    "additional-properties-opened",
                    at,
                    &extra,
                    Spec::False,
                    spec(na, &n_k),
                    message,
                );
            }
            (a, b) => {
                let ov = match a {
                    Additional::Schema(s) => s,
                    _ => om.get("additionalProperties").unwrap_or(&TRUE_SCHEMA),
                };
                let nv = match b {
                    Additional::Schema(s) => s,
                    _ => nm.get("additionalProperties").unwrap_or(&TRUE_SCHEMA),
                };
                path.push(Seg::Extra);
                self.compare(ov, &o_k, nv, &n_k, path, depth + 1);
                path.pop();
            }
        }
    }

    fn arrays(
        &mut self,
        om: &'a Map<String, Value>,
        o_at: &str,
        nm: &'a Map<String, Value>,
        n_at: &str,
        path: &mut Vec<Seg>,
        depth: usize,
    ) {
        let (a, b) = (om.get("items"), nm.get("items"));
        if (a.is_some() || b.is_some())
            && !a.is_some_and(Value::is_array)
            && !b.is_some_and(Value::is_array)
        {
            path.push(Seg::Item);
            self.compare(
                a.unwrap_or(&TRUE_SCHEMA),
                &join(o_at, "items"),
                b.unwrap_or(&TRUE_SCHEMA),
                &join(n_at, "items"),
                path,
                depth + 1,
            );
            path.pop();
        }
        self.counts(
            om,
            o_at,
            nm,
            n_at,
            path,
            "minItems",
            "maxItems",
            "array-length",
        );
        let unique = |m: &Map<String, Value>| m.get("uniqueItems") == Some(&Value::Bool(true));
        let (so, sn) = (Spec::At(o_at.to_owned()), Spec::At(n_at.to_owned()));
        match (unique(om), unique(nm)) {
            (false, true) => {
                let message = format!("{} now requires unique items", place(path));
                self.emit(
                    "unique-items-added",
                    At::keyword(o_at, om, n_at, nm, "uniqueItems"),
                    path,
                    so,
                    sn,
                    message,
                );
            }
            (true, false) => {
                let message = format!("{} no longer requires unique items", place(path));
                self.emit(
                    "unique-items-removed",
                    At::keyword(o_at, om, n_at, nm, "uniqueItems"),
                    path,
                    so,
                    sn,
                    message,
                );
            }
            _ => {}
        }
    }

    /// A pair of count keywords (minItems/maxItems, minProperties/maxProperties).
    #[allow(clippy::too_many_arguments)]
    fn counts(
        &mut self,
        om: &Map<String, Value>,
        o_at: &str,
        nm: &Map<String, Value>,
        n_at: &str,
        path: &[Seg],
        key_min: &str,
        key_max: &str,
        family: &str,
    ) {
        let (so, sn) = (Spec::At(o_at.to_owned()), Spec::At(n_at.to_owned()));
        match (count(om, key_min), count(nm, key_min)) {
            (Ok(a), Ok(b)) => {
                let (a, b) = (a.unwrap_or(0), b.unwrap_or(0));
                if a != b {
                    let direction = if b > a { "tightened" } else { "loosened" };
                    let message = format!("the {key_min} of {} went from {a} to {b}", place(path));
                    self.emit(
                        &format!("{family}-{direction}"),
                        At::keyword(o_at, om, n_at, nm, key_min),
                        path,
                        so.clone(),
                        sn.clone(),
                        message,
                    );
                }
            }
            _ => self.malformed(om, o_at, nm, n_at, path, key_min),
        }
        match (count(om, key_max), count(nm, key_max)) {
            (Ok(a), Ok(b)) => {
                if let Some(rule) = upper_change(a, b) {
                    let message = format!(
                        "the {key_max} of {} went from {} to {}",
                        place(path),
                        limit(a),
                        limit(b)
                    );
                    self.emit(
                        &rule.replace("{}", family),
                        At::keyword(o_at, om, n_at, nm, key_max),
                        path,
                        so.clone(),
                        sn.clone(),
                        message,
                    );
                }
            }
            _ => self.malformed(om, o_at, nm, n_at, path, key_max),
        }
    }

    /// A keyword whose value is not what draft-07 allows: its change is judged conservatively.
    fn malformed(
        &mut self,
        om: &Map<String, Value>,
        o_at: &str,
        nm: &Map<String, Value>,
        n_at: &str,
        path: &[Seg],
        key: &str,
    ) {
        let same = om
            .get(key)
            .zip(nm.get(key))
            .is_some_and(|(a, b)| json_eq(a, b));
        if !same {
            let message = format!(
                "`{key}` of {} is malformed in one of the versions and changed",
                place(path)
            );
            self.emit(
                "unsupported-keyword-changed",
                At::keyword(o_at, om, n_at, nm, key),
                path,
                Spec::At(o_at.to_owned()),
                Spec::At(n_at.to_owned()),
                message,
            );
        }
    }

    /// Whether two subschemas validate the same instances as far as the engine can tell.
    fn equivalent(&self, o: &'a Value, o_at: &str, n: &'a Value, n_at: &str) -> bool {
        let mut sub = Engine::new(self.old_root, self.new_root);
        sub.steps = self.steps;
        sub.compare(o, o_at, n, n_at, &mut Vec::new(), 0);
        sub.findings.iter().all(|f| f.rule.bump <= Bump::Patch)
    }
}

impl At {
    /// Falls back to the node itself when neither side writes the keyword.
    fn or_node(self, o_at: &str, n_at: &str) -> At {
        if self.old.is_none() && self.new.is_none() {
            At::both(o_at.to_owned(), n_at.to_owned())
        } else {
            self
        }
    }
}

/// What decides the shape of a property an object does not declare.
enum Governing<'a> {
    /// Anything is allowed (the spec says where, for witnesses).
    Open(Spec),
    /// `additionalProperties` is this schema (at this pointer): the name had exactly that shape.
    Schema(String, &'a Value),
    /// `additionalProperties: false`, or a matching `patternProperties`.
    Restricted(Spec, String),
}

impl Governing<'_> {
    fn spec(&self) -> Spec {
        match self {
            Governing::Open(s) | Governing::Restricted(s, _) => s.clone(),
            Governing::Schema(at, _) => Spec::At(at.clone()),
        }
    }
}

fn governing<'a>(m: &'a Map<String, Value>, at: &str, name: &str) -> Governing<'a> {
    if let Some((pattern, _)) = matching_patterns(m, name).first() {
        let spec = Spec::At(join(&join(at, "patternProperties"), pattern));
        return Governing::Restricted(
            spec,
            format!("patternProperties {pattern:?} governed that name"),
        );
    }
    match Additional::of(m) {
        Additional::Open => Governing::Open(match m.get("additionalProperties") {
            Some(_) => Spec::At(join(at, "additionalProperties")),
            None => Spec::True,
        }),
        Additional::Closed => {
            Governing::Restricted(Spec::False, "additionalProperties was false".to_owned())
        }
        Additional::Schema(schema) => Governing::Schema(join(at, "additionalProperties"), schema),
    }
}

/// The schema a property has on one side: its declaration, or what governs undeclared ones.
fn property_spec(m: &Map<String, Value>, at: &str, name: &str) -> Spec {
    match m.get("properties").and_then(|p| p.get(name)) {
        Some(_) => Spec::At(join(&join(at, "properties"), name)),
        None => governing(m, at, name).spec(),
    }
}

fn required_pointer(m: &Map<String, Value>, at: &str, name: &str) -> Option<String> {
    let items = m.get("required")?.as_array()?;
    let i = items.iter().position(|v| v.as_str() == Some(name))?;
    Some(join(&join(at, "required"), &i.to_string()))
}

/// Pointer to the `enum` entry (or `const`) that holds `value`.
fn value_pointer(m: &Map<String, Value>, at: &str, value: &Value) -> String {
    if let Some(i) = m
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|items| items.iter().position(|v| json_eq(v, value)))
    {
        return join(&join(at, "enum"), &i.to_string());
    }
    join(at, "const")
}

fn union_types(values: &[&Value]) -> Types {
    Types(values.iter().fold(0, |acc, v| acc | Types::of(v).0))
}

/// Direction of a change of an upper limit (absent = unbounded), as a rule-id template.
fn upper_change(a: Option<u64>, b: Option<u64>) -> Option<&'static str> {
    match (a, b) {
        (None, None) => None,
        (Some(x), Some(y)) if x == y => None,
        (None, Some(_)) => Some("{}-tightened"),
        (Some(_), None) => Some("{}-loosened"),
        (Some(x), Some(y)) if y < x => Some("{}-tightened"),
        _ => Some("{}-loosened"),
    }
}

fn limit(v: Option<u64>) -> String {
    v.map_or("none".to_owned(), |v| v.to_string())
}

fn fmt_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

fn empty_map() -> &'static Map<String, Value> {
    static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    EMPTY.get_or_init(Map::new)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ids(old: Value, new: Value) -> Vec<&'static str> {
        run(&old, &new).iter().map(|f| f.rule.id).collect()
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
    fn paths_name_elements_and_undeclared_properties() {
        assert_eq!(
            path_text(&[Seg::Prop("a/b".into()), Seg::Item, Seg::Extra]),
            "/a~1b/*/*"
        );
    }
}
