//! Witnesses: for each major finding, a concrete event valid under one version and
//! rejected by the other, checked with the real validators.
//!
//! A witness is built, not searched for: the changed value is generated from what the
//! accepting version applies at the finding's position (plus the finding's focus), pushed
//! across the rejecting version's limit (the exact difference of the two schemas when the
//! `jsonschema` crate's canonical forms can compute it, else values just outside each limit
//! the rejecting side sets), and then placed in an event that satisfies the rest of both
//! versions (or of the accepting one, when both cannot hold). The validators decide.

use serde_json::{json, Value};

use crate::engine::{path_text, Level, Seg, Target};
use crate::generate::Gen;
use crate::node::{Kind, Loc, Schemas, NEW, OLD};
use crate::rules::{Breaks, Bump, Rule, Witnessing};
use crate::values::{json_eq, Types};
use crate::view::View;
use crate::{Evidence, Finding, Side, Witness};
use event_contracts_schema::load::compile_validator;

/// Changed values tried per finding and direction, at most.
const MAX_LEAVES: usize = 48;

/// Fills in the evidence of every major finding.
pub(crate) fn attach(s: &Schemas, findings: &mut [Finding]) {
    if !findings.iter().any(|f| f.rule.bump() == Bump::Major) {
        return;
    }
    let old = compile_validator(&s.doc(OLD));
    let new = compile_validator(&s.doc(NEW));
    for finding in findings.iter_mut().filter(|f| f.rule.bump() == Bump::Major) {
        finding.evidence = match (finding.rule.witnessing(), &old, &new) {
            (Witnessing::Impossible(reason), _, _) => {
                Evidence::Unavailable(format!("no witness can exist: {reason}"))
            }
            (_, Err(e), _) => Evidence::Unavailable(format!(
                "no witness could be built: the old schema does not compile ({e})"
            )),
            (_, _, Err(e)) => Evidence::Unavailable(format!(
                "no witness could be built: the new schema does not compile ({e})"
            )),
            (_, Ok(o), Ok(n)) => Builder::new(s, o, n).build(&finding.target, finding.rule),
        };
    }
}

struct Builder<'s> {
    s: &'s Schemas,
    generator: Gen<'s>,
    old: &'s jsonschema::Validator,
    new: &'s jsonschema::Validator,
    tried: usize,
    /// Events built that the accepting version accepts (the rejecting one accepted them too).
    reached: usize,
}

fn side_conj(level: &Level, side: Side) -> &[Loc] {
    match side {
        Side::Old => &level.old,
        Side::New => &level.new,
    }
}

impl<'s> Builder<'s> {
    fn new(s: &'s Schemas, old: &'s jsonschema::Validator, new: &'s jsonschema::Validator) -> Self {
        Builder {
            s,
            generator: Gen::new(s),
            old,
            new,
            tried: 0,
            reached: 0,
        }
    }

    fn build(&mut self, target: &Target, rule: Rule) -> Evidence {
        // The direction the rule predicts first; the other one still counts as a witness.
        let order = match rule.breaks() {
            Breaks::NewReadersOfOldEvents => [Side::Old, Side::New],
            _ => [Side::New, Side::Old],
        };
        for accept in order {
            if let Some(event) = self.direction(target, accept) {
                return Evidence::Witness(Witness {
                    event,
                    valid_under: accept,
                });
            }
        }
        Evidence::Unavailable(self.why_none(target, rule))
    }

    fn why_none(&self, target: &Target, rule: Rule) -> String {
        let at = match path_text(&target.levels) {
            p if p.is_empty() => "the top-level value".to_owned(),
            p => p,
        };
        if crate::canon::equal(self.s, &[Loc::root(OLD)], &[Loc::root(NEW)]) {
            return "no witness exists: the two versions accept exactly the same events (their \
                    canonical forms are equal), so this change breaks no event"
                .to_owned();
        }
        if let Some(last) = target.levels.last() {
            if crate::canon::equal(self.s, &last.old, &last.new) {
                return format!(
                    "no witness exists: the two versions accept exactly the same values at {at} \
                     (their canonical forms are equal), so this change breaks no event there"
                );
            }
        }
        if self.reached == 0 {
            return format!(
                "no witness could be built: none of the {} events built around {at} is valid \
                 under either version there, so no event reaches the change (the schemas around \
                 it accept no value at that position)",
                self.tried
            );
        }
        let overlap = matches!(rule, Rule::OneOfOverlapAdded | Rule::OneOfOverlapRemoved)
            .then(|| "the other branches of that oneOf".to_owned());
        if let Some(construct) = overlap.or_else(|| self.masking(target)) {
            return format!(
                "no witness could be built: {} events valid under one version reach {at}, and \
                 the other version accepts each of them: the change is masked there by {construct}, \
                 which the engine does not weigh against it",
                self.reached
            );
        }
        format!(
            "no witness could be built: none of the {} candidate events (varying {at}) is \
             valid under one version and rejected by the other",
            self.tried
        )
    }

    /// A keyword on the way to the finding that can keep the change from showing in any
    /// event (a condition, a `not`, a oneOf, `contains`, `uniqueItems`, a schema
    /// dependency), named.
    fn masking(&self, target: &Target) -> Option<String> {
        let focused = target.focus.old.iter().chain(&target.focus.new).cloned();
        let conjs: Vec<Vec<Loc>> = target
            .levels
            .iter()
            .flat_map(|l| [l.old.clone(), l.new.clone()])
            .chain(focused)
            .collect();
        for conj in &conjs {
            let view = self.s.view(conj);
            for u in &view.unions {
                if self.s.node(&u.node).one_of.len() > 1 {
                    return Some(format!(
                        "the oneOf at {}",
                        u.node.keyword("oneOf").unwrap_or_default()
                    ));
                }
                // A sibling branch that accepts the value another way.
                for b in &u.branches {
                    if let Some(named) = masking_keyword(&self.s.node_of(b)) {
                        return Some(format!("{named}, in a sibling branch"));
                    }
                }
            }
            for part in &view.parts {
                if let Some(named) = masking_keyword(&part.node) {
                    return Some(named);
                }
            }
        }
        None
    }

    fn accepts(&self, side: Side, event: &Value) -> bool {
        match side {
            Side::Old => self.old.is_valid(event),
            Side::New => self.new.is_valid(event),
        }
    }

    /// A witness valid under `accept`, when one is found.
    fn direction(&mut self, target: &Target, accept: Side) -> Option<Value> {
        for leaf in self.leaves(target, accept) {
            for both in [true, false] {
                let Some(event) = self.embed(&target.levels, accept, leaf.clone(), both) else {
                    continue;
                };
                self.tried += 1;
                if self.accepts(accept, &event) {
                    if !self.accepts(accept.other(), &event) {
                        return Some(event);
                    }
                    self.reached += 1;
                }
            }
        }
        None
    }

    /// Values for the finding's position (`None`: the property left out), most telling first.
    fn leaves(&mut self, target: &Target, accept: Side) -> Vec<Option<Value>> {
        let Some(last) = target.levels.last() else {
            return Vec::new();
        };
        let own = side_conj(last, accept).to_vec();
        let rejecting = side_conj(last, accept.other()).to_vec();
        let focus = match accept {
            Side::Old => &target.focus.old,
            Side::New => &target.focus.new,
        };
        let sets: Vec<Vec<Loc>> = if focus.is_empty() {
            vec![Vec::new()]
        } else {
            focus.clone()
        };
        let mut out: Vec<Option<Value>> = Vec::new();
        if matches!(last.seg, Seg::Prop(_)) {
            out.push(None);
        }
        let share = MAX_LEAVES / sets.len();
        for set in sets {
            let accepting: Vec<Loc> = own.iter().cloned().chain(set).collect();
            for v in self.leaves_of(&accepting, &rejecting, share) {
                if out.len() < MAX_LEAVES && !out.contains(&v) {
                    out.push(v);
                }
            }
        }
        out
    }

    /// Values of `accepting` pushed across the limits of `rejecting`, at most `n`.
    fn leaves_of(&mut self, accepting: &[Loc], rejecting: &[Loc], n: usize) -> Vec<Option<Value>> {
        let mut out: Vec<Option<Value>> = Vec::new();
        let push = |out: &mut Vec<Option<Value>>, v: Value| {
            let v = Some(v);
            if out.len() < n && !out.contains(&v) {
                out.push(v);
            }
        };
        if let Some(d) = crate::canon::difference(self.s, accepting, rejecting) {
            let doc = self.s.add(d);
            for v in self.generator.candidates(&[Loc::root(doc)], 8) {
                push(&mut out, v);
            }
        }
        let (va, vr) = (self.s.view(accepting), self.s.view(rejecting));
        for hint in hints(self.s, &va, &vr) {
            let mut conj = accepting.to_vec();
            conj.push(hint);
            for v in self.generator.candidates(&conj, 3) {
                push(&mut out, v);
            }
        }
        for v in self.generator.candidates(accepting, 24) {
            push(&mut out, v);
        }
        out
    }

    /// The event around a value: every level from the finding's position up is built as a
    /// container holding the level below, satisfying both versions there (`both`) or the
    /// accepting one.
    fn embed(
        &mut self,
        levels: &[Level],
        accept: Side,
        leaf: Option<Value>,
        both: bool,
    ) -> Option<Value> {
        let mut child = leaf;
        for i in (1..levels.len()).rev() {
            let container = &levels[i - 1];
            let mut conj = side_conj(container, accept).to_vec();
            if both {
                conj.extend(side_conj(container, accept.other()).iter().cloned());
            }
            child = Some(match &levels[i].seg {
                Seg::Root | Seg::Alt => continue,
                Seg::Prop(name) => self.generator.object_with(&conj, name, child)?,
                Seg::Extra => self.generator.object_with_extra(&conj, child?)?,
                Seg::Item(index) => self.generator.array_with(&conj, *index, child?)?,
                Seg::Key => {
                    let name = child?;
                    self.generator.object_with_key(&conj, name.as_str()?)?
                }
            });
        }
        child
    }
}

/// Schemas of values just past each limit the rejecting side sets and the accepting side
/// does not: types and values it lacks, lengths, bounds, counts, patterns and formats.
fn hints(s: &Schemas, accepting: &View, rejecting: &View) -> Vec<Loc> {
    let mut out: Vec<Value> = Vec::new();
    let (ta, tr) = (accepting.effective_types(), rejecting.effective_types());
    let mut locs: Vec<Loc> = Kind::of(ta.minus(tr)).into_iter().map(Kind::loc).collect();
    if ta.has(Types::FRACTION) && !tr.has(Types::FRACTION) {
        out.push(json!({"type": "number", "not": {"multipleOf": 1}}));
    }
    match (&accepting.values, &rejecting.values) {
        (Some(av), Some(rv)) => out.extend(
            av.iter()
                .filter(|v| !rv.iter().any(|w| json_eq(v, w)))
                .map(|v| json!({"const": v})),
        ),
        (None, Some(rv)) => out.push(json!({"not": {"enum": rv}})),
        _ => {}
    }
    out.extend(string_hints(accepting, rejecting));
    out.extend(number_hints(rejecting));
    if let Some((m, _)) = &rejecting.max_properties {
        out.push(json!({"type": "object", "minProperties": m + 1}));
    }
    if let Some((m, _)) = rejecting.min_properties.as_ref().filter(|(m, _)| *m > 0) {
        out.push(json!({"type": "object", "maxProperties": m - 1}));
    }
    if let Some((m, _)) = &rejecting.max_items {
        out.push(json!({"type": "array", "minItems": m + 1}));
    }
    if let Some((m, _)) = rejecting.min_items.as_ref().filter(|(m, _)| *m > 0) {
        out.push(json!({"type": "array", "maxItems": m - 1}));
    }
    locs.extend(out.into_iter().map(|v| Loc::root(s.add(v))));
    locs
}

fn string_hints(accepting: &View, rejecting: &View) -> Vec<Value> {
    let mut out = Vec::new();
    if let Some((m, _)) = &rejecting.max_length {
        out.push(json!({"type": "string", "minLength": m + 1}));
    }
    if let Some((m, _)) = rejecting.min_length.as_ref().filter(|(m, _)| *m > 0) {
        out.push(json!({"type": "string", "maxLength": m - 1}));
    }
    let fresh = |mine: &[(String, Loc)], theirs: &[(String, Loc)]| -> Vec<String> {
        theirs
            .iter()
            .filter(|(x, _)| !mine.iter().any(|(y, _)| x == y))
            .map(|(x, _)| x.clone())
            .collect()
    };
    for p in fresh(&accepting.patterns, &rejecting.patterns) {
        out.push(json!({"type": "string", "not": {"pattern": p}}));
    }
    for f in fresh(&accepting.formats, &rejecting.formats) {
        out.push(json!({"type": "string", "not": {"format": f}}));
    }
    for m in fresh(&accepting.media_types, &rejecting.media_types) {
        out.push(json!({"type": "string", "not": {"contentMediaType": m}}));
    }
    for e in fresh(&accepting.encodings, &rejecting.encodings) {
        out.push(json!({"type": "string", "not": {"contentEncoding": e}}));
    }
    out
}

fn number_hints(rejecting: &View) -> Vec<Value> {
    let mut out = Vec::new();
    if let Some((b, _)) = rejecting.upper_bound(false) {
        out.push(if b.exclusive {
            json!({"type": "number", "minimum": b.value})
        } else {
            json!({"type": "number", "exclusiveMinimum": b.value})
        });
    }
    if let Some((b, _)) = rejecting.lower_bound(false) {
        out.push(if b.exclusive {
            json!({"type": "number", "maximum": b.value})
        } else {
            json!({"type": "number", "exclusiveMaximum": b.value})
        });
    }
    for (m, _) in &rejecting.steps {
        out.push(json!({"type": "number", "not": {"multipleOf": m}}));
    }
    out
}

/// The keyword of a node that can keep a change below it from showing in any event.
fn masking_keyword(n: &crate::node::Node) -> Option<String> {
    let named = |what: &str, at: Option<String>| {
        Some(format!(
            "the {what} at {}",
            at.unwrap_or_else(|| "the position".to_owned())
        ))
    };
    if let Some(if_) = &n.if_ {
        return named("if/then/else", if_.pointer());
    }
    if let Some(not) = &n.not {
        return named("not", not.pointer());
    }
    if let Some(c) = &n.contains {
        return named("contains", c.pointer());
    }
    if n.one_of.len() > 1 {
        return named("oneOf", n.loc.keyword("oneOf"));
    }
    if n.unique {
        return named("uniqueItems", n.loc.keyword("uniqueItems"));
    }
    let dependency = n.dependencies.iter().find_map(|(_, d)| match d {
        crate::node::Dependency::Schema(l) => Some(l),
        _ => None,
    });
    if let Some(d) = dependency {
        return named("schema dependency", d.pointer());
    }
    None
}
