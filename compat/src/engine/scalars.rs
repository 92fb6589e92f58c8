//! Enums and consts, types, and the keywords of strings and numbers.

use serde_json::Value;

use super::{At, Engine};
use crate::node::Loc;
use crate::rules::Rule;
use crate::values::{is_multiple, join, json_eq, show, Bound, Types};
use crate::view::{Limit, View};

/// The values an enum allows (filtered by the view's other keywords), when it has one.
fn allowed(v: &View) -> Option<Vec<Value>> {
    v.values
        .as_ref()
        .map(|vs| vs.iter().filter(|x| v.scalar_ok(x)).cloned().collect())
}

/// The values of a view whose types have finitely many (`{"type": "null"}` is
/// `{"const": null}`), compared with an enum on the other side.
fn typed_values(v: &View) -> Option<Vec<Value>> {
    if v.types == Types::NONE || !v.types.is_subset_of(Types(Types::NULL | Types::BOOLEAN)) {
        return None;
    }
    let mut vs = Vec::new();
    if v.types.has(Types::NULL) {
        vs.push(Value::Null);
    }
    if v.types.has(Types::BOOLEAN) {
        vs.extend([Value::Bool(false), Value::Bool(true)]);
    }
    Some(vs.into_iter().filter(|x| v.scalar_ok(x)).collect())
}

fn union_types(values: &[Value]) -> Types {
    Types(values.iter().fold(0, |acc, v| acc | Types::of(v).0))
}

fn fmt_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

fn limit_text(l: &Limit) -> String {
    l.as_ref().map_or("none".to_owned(), |(v, _)| v.to_string())
}

/// One member of a set of keyword values on one side, with the node that wrote it.
type Member<T> = Option<(T, Loc)>;

/// Pairs the members of two sets that differ: changed pairs first, then the leftovers.
fn set_changes<T: Clone + PartialEq>(
    old: &[(T, Loc)],
    new: &[(T, Loc)],
) -> Vec<(Member<T>, Member<T>)> {
    let removed: Vec<(T, Loc)> = old
        .iter()
        .filter(|(x, _)| !new.iter().any(|(y, _)| x == y))
        .cloned()
        .collect();
    let added: Vec<(T, Loc)> = new
        .iter()
        .filter(|(y, _)| !old.iter().any(|(x, _)| x == y))
        .cloned()
        .collect();
    let n = removed.len().max(added.len());
    (0..n)
        .map(|i| (removed.get(i).cloned(), added.get(i).cloned()))
        .collect()
}

impl Engine<'_> {
    /// Compares enums when either side has one, else types. Returns each side's types and
    /// whether either side is a finite set of values.
    pub(super) fn values_and_types(&mut self, vo: &View, vn: &View) -> (Types, Types, bool) {
        // Types are compared as types unless an enum is on either side: then a side with
        // finitely many typed values is that enum, so that `{"type": "null"}` against
        // `{"const": null}` is no change, while `null` to `string` still reads as a type change.
        let (ov, nv) = match (allowed(vo), allowed(vn)) {
            (None, None) => (None, None),
            (ov, nv) => (
                ov.or_else(|| typed_values(vo)),
                nv.or_else(|| typed_values(vn)),
            ),
        };
        let o_types = ov.as_deref().map_or(vo.effective_types(), union_types);
        let n_types = nv.as_deref().map_or(vn.effective_types(), union_types);
        let finite = ov.is_some() || nv.is_some();
        if finite {
            self.values(vo, ov, vn, nv);
        } else {
            self.types(vo, o_types, vn, n_types);
        }
        (o_types, n_types, finite)
    }

    /// Pointer to the `enum` entry (or `const`) that holds `value`.
    fn value_pointer(&self, v: &View, value: &Value) -> Option<String> {
        for at in v.valued.iter().filter(|l| l.is_version()) {
            let raw = self.s.value_at(at);
            let index = raw
                .as_ref()
                .and_then(|r| r.get("enum"))
                .and_then(Value::as_array)
                .and_then(|items| items.iter().position(|x| json_eq(x, value)));
            if let Some(i) = index {
                return Some(join(&join(&at.at, "enum"), &i.to_string()));
            }
            if raw.as_ref().and_then(|r| r.get("const")).is_some() {
                return at.keyword("const");
            }
        }
        None
    }

    /// The `enum` or `const` keyword of a view.
    fn values_keyword(&self, v: &View) -> Option<String> {
        let at = v.valued.iter().find(|l| l.is_version())?;
        let raw = self.s.value_at(at)?;
        at.keyword(if raw.get("enum").is_some() {
            "enum"
        } else {
            "const"
        })
    }

    fn values(&mut self, vo: &View, ov: Option<Vec<Value>>, vn: &View, nv: Option<Vec<Value>>) {
        match (ov, nv) {
            (Some(a), Some(b)) => {
                for v in b.iter().filter(|v| !a.iter().any(|x| json_eq(x, v))) {
                    let at = At::new(None, self.value_pointer(vn, v));
                    let message = format!("{} now allows {}", self.place(), show(v));
                    self.emit(Rule::EnumValueAdded, at, message);
                }
                for v in a.iter().filter(|v| !b.iter().any(|x| json_eq(x, v))) {
                    let at = At::new(self.value_pointer(vo, v), None);
                    let message = format!("{} no longer allows {}", self.place(), show(v));
                    self.emit(Rule::EnumValueRemoved, at, message);
                }
            }
            (None, Some(b)) => {
                let listed: Vec<String> = b.iter().map(show).collect();
                let message = format!("{} is now limited to {}", self.place(), listed.join(", "));
                let at = At::new(None, self.values_keyword(vn));
                self.emit(Rule::EnumIntroduced, at, message);
                for v in b.iter().filter(|v| !vo.scalar_ok(v)) {
                    let at = At::new(None, self.value_pointer(vn, v));
                    let message = format!(
                        "{} now allows {}, which the old version rejected",
                        self.place(),
                        show(v)
                    );
                    self.emit(Rule::EnumValueAdded, at, message);
                }
            }
            (Some(a), None) => {
                let listed: Vec<String> = a.iter().map(show).collect();
                let message = format!(
                    "{} was limited to {} and now is not",
                    self.place(),
                    listed.join(", ")
                );
                let at = At::new(self.values_keyword(vo), None);
                self.emit(Rule::EnumLifted, at, message);
                for v in a.iter().filter(|v| !vn.scalar_ok(v)) {
                    let at = At::new(self.value_pointer(vo, v), None);
                    let message = format!("{} no longer allows {}", self.place(), show(v));
                    self.emit(Rule::EnumValueRemoved, at, message);
                }
            }
            (None, None) => {}
        }
    }

    /// The rule for a change of type sets.
    pub(super) fn type_rule(o: Types, n: Types) -> Option<Rule> {
        if o == n {
            return None;
        }
        let added = n.minus(o);
        let removed = o.minus(n);
        let null = Types(Types::NULL);
        Some(match (added == Types::NONE, removed == Types::NONE) {
            (false, true) if added == null => Rule::TypeMadeNullable,
            (false, true) => Rule::TypeWidened,
            (true, false) if removed == null => Rule::TypeMadeNonNullable,
            (true, false) => Rule::TypeNarrowed,
            _ => Rule::TypeChanged,
        })
    }

    fn types(&mut self, vo: &View, o: Types, vn: &View, n: Types) {
        let Some(rule) = Self::type_rule(o, n) else {
            return;
        };
        let message = format!(
            "{} was {}, now {}",
            self.place(),
            o.describe(),
            n.describe()
        );
        let keyword = |v: &View| {
            v.typed
                .iter()
                .find(|l| l.is_version())
                .and_then(|l| l.keyword("type"))
        };
        let (ho, hn) = self.here();
        let at = At::new(keyword(vo), keyword(vn)).or(ho, hn);
        self.emit(rule, at, message);
    }

    pub(super) fn strings(&mut self, vo: &View, vn: &View) {
        self.lengths(vo, vn);
        for (key, old, new, [added, removed, changed]) in [
            (
                "pattern",
                &vo.patterns,
                &vn.patterns,
                [
                    Rule::PatternAdded,
                    Rule::PatternRemoved,
                    Rule::PatternChanged,
                ],
            ),
            (
                "format",
                &vo.formats,
                &vn.formats,
                [Rule::FormatAdded, Rule::FormatRemoved, Rule::FormatChanged],
            ),
            (
                "contentEncoding",
                &vo.encodings,
                &vn.encodings,
                [
                    Rule::ContentTightened,
                    Rule::ContentLoosened,
                    Rule::ContentChanged,
                ],
            ),
            (
                "contentMediaType",
                &vo.media_types,
                &vn.media_types,
                [
                    Rule::ContentTightened,
                    Rule::ContentLoosened,
                    Rule::ContentChanged,
                ],
            ),
        ] {
            for (a, b) in set_changes(old, new) {
                let rule = match (&a, &b) {
                    (None, Some(_)) => added,
                    (Some(_), None) => removed,
                    _ => changed,
                };
                let message = format!(
                    "the {key} of {} was {}, now {}",
                    self.place(),
                    a.as_ref()
                        .map_or("absent".to_owned(), |(x, _)| format!("{x:?}")),
                    b.as_ref()
                        .map_or("absent".to_owned(), |(x, _)| format!("{x:?}"))
                );
                let at = At::new(
                    a.and_then(|(_, l)| l.keyword(key)),
                    b.and_then(|(_, l)| l.keyword(key)),
                );
                self.emit(rule, at, message);
            }
        }
    }

    /// minLength and maxLength.
    fn lengths(&mut self, vo: &View, vn: &View) {
        self.lower_limit(
            &vo.min_length,
            &vn.min_length,
            "minLength",
            [Rule::StringLengthTightened, Rule::StringLengthLoosened],
        );
        self.upper_limit(
            &vo.max_length,
            &vn.max_length,
            "maxLength",
            [Rule::StringLengthTightened, Rule::StringLengthLoosened],
        );
    }

    /// A minimum count (absent = 0): up is tighter.
    pub(super) fn lower_limit(&mut self, a: &Limit, b: &Limit, key: &str, rules: [Rule; 2]) {
        let (x, y) = (
            a.as_ref().map_or(0, |(v, _)| *v),
            b.as_ref().map_or(0, |(v, _)| *v),
        );
        if x == y {
            return;
        }
        let rule = if y > x { rules[0] } else { rules[1] };
        let message = format!("the {key} of {} went from {x} to {y}", self.place());
        let at = At::new(
            a.as_ref().and_then(|(_, l)| l.keyword(key)),
            b.as_ref().and_then(|(_, l)| l.keyword(key)),
        );
        let (ho, hn) = self.here();
        self.emit(rule, at.or(ho, hn), message);
    }

    /// A maximum count (absent = unbounded): down is tighter.
    pub(super) fn upper_limit(&mut self, a: &Limit, b: &Limit, key: &str, rules: [Rule; 2]) {
        let (x, y) = (a.as_ref().map(|(v, _)| *v), b.as_ref().map(|(v, _)| *v));
        let rule = match (x, y) {
            (None, None) => return,
            (Some(x), Some(y)) if x == y => return,
            (None, Some(_)) => rules[0],
            (Some(_), None) => rules[1],
            (Some(x), Some(y)) if y < x => rules[0],
            _ => rules[1],
        };
        let message = format!(
            "the {key} of {} went from {} to {}",
            self.place(),
            limit_text(a),
            limit_text(b)
        );
        let at = At::new(
            a.as_ref().and_then(|(_, l)| l.keyword(key)),
            b.as_ref().and_then(|(_, l)| l.keyword(key)),
        );
        let (ho, hn) = self.here();
        self.emit(rule, at.or(ho, hn), message);
    }

    pub(super) fn numbers(&mut self, vo: &View, vn: &View, integer: bool) {
        self.bounds(vo, vn, integer);
        self.steps(vo, vn, integer);
    }

    fn bounds(&mut self, vo: &View, vn: &View, integer: bool) {
        let describe = |b: &Option<(Bound, Loc)>| match b {
            None => "none".to_owned(),
            Some((b, _)) => format!("{} {}", b.keyword, fmt_number(b.value)),
        };
        let keyword_at =
            |b: &Option<(Bound, Loc)>| b.as_ref().and_then(|(b, l)| l.keyword(b.keyword));
        type Tighter = fn(&Bound, &Bound) -> bool;
        type Located = Option<(Bound, Loc)>;
        let sides: [(&str, Located, Located, Tighter); 2] = [
            (
                "lower",
                vo.lower_bound(integer),
                vn.lower_bound(integer),
                crate::values::lower_is_tighter,
            ),
            (
                "upper",
                vo.upper_bound(integer),
                vn.upper_bound(integer),
                crate::values::upper_is_tighter,
            ),
        ];
        for (side, a, b, is_tighter) in sides {
            let rule = match (&a, &b) {
                (None, None) => None,
                (None, Some(_)) => Some(Rule::NumberRangeTightened),
                (Some(_), None) => Some(Rule::NumberRangeLoosened),
                (Some((x, _)), Some((y, _))) if is_tighter(y, x) => {
                    Some(Rule::NumberRangeTightened)
                }
                (Some((x, _)), Some((y, _))) if is_tighter(x, y) => Some(Rule::NumberRangeLoosened),
                _ => None,
            };
            if let Some(rule) = rule {
                let message = format!(
                    "the {side} bound of {} went from {} to {}",
                    self.place(),
                    describe(&a),
                    describe(&b)
                );
                let (ho, hn) = self.here();
                let at = At::new(keyword_at(&a), keyword_at(&b)).or(ho, hn);
                self.emit(rule, at, message);
            }
        }
    }

    fn steps(&mut self, vo: &View, vn: &View, integer: bool) {
        let (a, b) = (vo.steps(integer), vn.steps(integer));
        for (x, y) in set_changes(
            &a.iter()
                .map(|(m, l)| (m.to_bits(), l.clone()))
                .collect::<Vec<_>>(),
            &b.iter()
                .map(|(m, l)| (m.to_bits(), l.clone()))
                .collect::<Vec<_>>(),
        ) {
            let (x, y) = (
                x.map(|(m, l)| (f64::from_bits(m), l)),
                y.map(|(m, l)| (f64::from_bits(m), l)),
            );
            // A step is implied by the other side's when it divides one of them.
            let implied =
                |s: f64, others: &[(f64, Loc)]| others.iter().any(|(o, _)| is_multiple(*o, s));
            let rule = match (&x, &y) {
                (None, Some((n, _))) if implied(*n, &a) => continue,
                (Some((o, _)), None) if implied(*o, &b) => continue,
                (None, Some(_)) => Rule::MultipleOfTightened,
                (Some(_), None) => Rule::MultipleOfLoosened,
                (Some((o, _)), Some((n, _))) if is_multiple(*n, *o) => Rule::MultipleOfTightened,
                (Some((o, _)), Some((n, _))) if is_multiple(*o, *n) => Rule::MultipleOfLoosened,
                _ => Rule::MultipleOfChanged,
            };
            let show_step = |s: &Option<(f64, Loc)>| {
                s.as_ref()
                    .map_or("none".to_owned(), |(m, _)| fmt_number(*m))
            };
            let message = format!(
                "the multipleOf of {} went from {} to {}",
                self.place(),
                show_step(&x),
                show_step(&y)
            );
            let at = At::new(
                x.and_then(|(_, l)| l.keyword("multipleOf")),
                y.and_then(|(_, l)| l.keyword("multipleOf")),
            );
            self.emit(rule, at, message);
        }
    }
}
