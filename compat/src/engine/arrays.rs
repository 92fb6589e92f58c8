//! Arrays: `items` (one schema or a tuple), `additionalItems`, `contains`, the item counts
//! and `uniqueItems`.

use super::{At, Engine, Seg};
use crate::node::Loc;
use crate::rules::Rule;
use crate::view::View;

impl Engine<'_> {
    pub(super) fn arrays(&mut self, vo: &View, vn: &View) {
        self.items(vo, vn);
        self.contains(vo, vn);
        self.lower_limit(
            &vo.min_items,
            &vn.min_items,
            "minItems",
            [Rule::ArrayLengthTightened, Rule::ArrayLengthLoosened],
        );
        self.upper_limit(
            &vo.max_items,
            &vn.max_items,
            "maxItems",
            [Rule::ArrayLengthTightened, Rule::ArrayLengthLoosened],
        );
        self.unique(vo, vn);
    }

    fn items(&mut self, vo: &View, vn: &View) {
        let (to, tn) = (vo.tuple_len(), vn.tuple_len());
        if to.is_none() && tn.is_none() {
            let (oc, nc) = (vo.item(None), vn.item(None));
            if !oc.is_empty() || !nc.is_empty() {
                self.compare(Seg::Item(None), oc, nc);
            }
            return;
        }
        let len = to.unwrap_or(0).max(tn.unwrap_or(0));
        for i in 0..len {
            let (oc, nc) = (vo.item(Some(i)), vn.item(Some(i)));
            let both = to.is_some_and(|t| i < t) && tn.is_some_and(|t| i < t);
            if both {
                self.compare(Seg::Item(Some(i)), oc, nc);
            } else {
                let at = At::new(
                    Self::tuple_pointer(vo, Some(i)),
                    Self::tuple_pointer(vn, Some(i)),
                );
                let what = format!("the item at position {i}");
                self.wrapped(
                    Seg::Item(Some(i)),
                    (oc, nc),
                    [
                        Rule::TupleItemsTightened,
                        Rule::TupleItemsLoosened,
                        Rule::TupleItemsChanged,
                    ],
                    at,
                    &what,
                );
            }
        }
        // The items past every position.
        let (oc, nc) = (vo.item(None), vn.item(None));
        let has_rest = |v: &View| v.array_parts().any(|n| n.additional_items.is_some());
        if has_rest(vo) && has_rest(vn) && to.is_some() && tn.is_some() {
            self.compare(Seg::Item(Some(len)), oc, nc);
        } else {
            let at = At::new(Self::rest_pointer(vo), Self::rest_pointer(vn));
            let what = format!("the items from position {len} on");
            self.wrapped(
                Seg::Item(Some(len)),
                (oc, nc),
                [
                    Rule::AdditionalItemsTightened,
                    Rule::AdditionalItemsLoosened,
                    Rule::AdditionalItemsChanged,
                ],
                at,
                &what,
            );
        }
    }

    /// The `items` entry for a tuple position.
    fn tuple_pointer(v: &View, i: Option<usize>) -> Option<String> {
        v.item(i).first().and_then(Loc::pointer)
    }

    /// Where the items past a tuple are governed: `additionalItems` or a single `items`.
    fn rest_pointer(v: &View) -> Option<String> {
        v.array_parts()
            .find_map(|n| match (&n.items, &n.additional_items) {
                (crate::node::Items::Tuple(_), Some(l)) => l.pointer(),
                (crate::node::Items::Tuple(_), None) => n.loc.keyword("items"),
                (crate::node::Items::Single(l), _) => l.pointer(),
                _ => None,
            })
    }

    /// Judges `old` against `new` in a sub-comparison and reports the direction under the
    /// rule of the construct (not the rules inside it).
    fn wrapped(
        &mut self,
        seg: Seg,
        (old, new): (Vec<Loc>, Vec<Loc>),
        rules: [Rule; 3],
        at: At,
        what: &str,
    ) {
        let judgement = self.judge(seg.clone(), old.clone(), new.clone());
        self.pass_on(&judgement);
        let Some(rule) = judgement.direction.rule(rules[0], rules[1], rules[2]) else {
            return;
        };
        let message = format!("{what} of {} changed{}", self.place(), judgement.detail());
        let (ho, hn) = self.here();
        self.at_level(seg, old, new, |e| e.emit(rule, at.or(ho, hn), message));
    }

    fn contains(&mut self, vo: &View, vn: &View) {
        let (co, cn) = (vo.contains.clone(), vn.contains.clone());
        if co.is_empty() && cn.is_empty() {
            return;
        }
        let at = At::new(
            co.first().and_then(Loc::pointer),
            cn.first().and_then(Loc::pointer),
        );
        // An absent `contains` asks for nothing; a present one asks for an item.
        let (rule, detail) = match (co.is_empty(), cn.is_empty()) {
            (true, false) => (Some(Rule::ContainsTightened), " (it was added)".to_owned()),
            (false, true) => (Some(Rule::ContainsLoosened), " (it was removed)".to_owned()),
            _ => {
                let judgement = self.judge(Seg::Item(None), co.clone(), cn.clone());
                self.pass_on(&judgement);
                // An item schema that accepts fewer items makes fewer arrays pass.
                let rule = judgement.direction.rule(
                    Rule::ContainsTightened,
                    Rule::ContainsLoosened,
                    Rule::ContainsChanged,
                );
                (rule, judgement.detail())
            }
        };
        let Some(rule) = rule else {
            return;
        };
        let message = format!("the `contains` of {} changed{detail}", self.place());
        self.emit(rule, at, message);
    }

    fn unique(&mut self, vo: &View, vn: &View) {
        let (a, b) = (&vo.unique, &vn.unique);
        let (rule, message) = match (a.is_some(), b.is_some()) {
            (false, true) => (
                Rule::UniqueItemsAdded,
                format!("{} now requires unique items", self.place()),
            ),
            (true, false) => (
                Rule::UniqueItemsRemoved,
                format!("{} no longer requires unique items", self.place()),
            ),
            _ => return,
        };
        // `uniqueItems: false` is written too: point at it when it is.
        let written = |v: &View| {
            v.array_parts()
                .chain(v.parts.iter().map(|p| &p.node))
                .find(|n| {
                    self.s
                        .value_at(&n.loc)
                        .is_some_and(|raw| raw.get("uniqueItems").is_some())
                })
                .and_then(|n| n.loc.keyword("uniqueItems"))
        };
        let at = At::new(written(vo), written(vn));
        self.emit(rule, at, message);
    }
}
