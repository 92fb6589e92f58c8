//! `anyOf` and `oneOf`: each version's value is split into alternatives (a branch chosen
//! for each union, and one JSON type kind), the alternatives are matched old to new (by
//! kind, then by discriminator, reference, title and similarity), matched pairs are
//! compared like any other value, and what is left is a branch added or removed. A type
//! kind only one version has is a type change, whether written as `type` or as branches,
//! so `type: [T, "null"]`, `anyOf: [T, {"type": "null"}]` and the disjoint `oneOf` of the
//! same are one schema. Last, `oneOf` pairs are checked for overlap gained or lost.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::{At, Direction, Engine, Focus, Seg};
use crate::node::{Kind, Loc, UnionKind};
use crate::rules::Rule;
use crate::values::{json_eq, Types};
use crate::view::{Alt, Pick, View};

/// Pairs of alternatives scored by comparing them, at most (past it, by position).
const MAX_SCORED_PAIRS: usize = 64;

/// One alternative restricted to one type kind.
#[derive(Debug, Clone)]
struct KindAlt {
    kind: Kind,
    conj: Vec<Loc>,
    picks: Vec<Pick>,
    types: Types,
}

/// Whether two oneOf branches can both match a value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Overlap {
    Disjoint,
    /// They overlap; a value in both, when one was built.
    Overlapping,
    Unknown,
}

/// A matched pair of alternatives and whether the comparison found them equal.
#[derive(Debug, Clone, Copy)]
struct Matched {
    old: usize,
    new: usize,
    equal: bool,
    /// The findings of the pair's comparison, as a range of `findings`.
    found: (usize, usize),
}

impl Engine<'_> {
    pub(super) fn unions(&mut self, vo: &View, vn: &View, ao: Vec<Alt>, an: Vec<Alt>) {
        let (ko, kn) = (self.split(ao), self.split(an));
        self.kinds(vo, vn, &ko, &kn);
        let mut matched: Vec<Matched> = Vec::new();
        for kind in Kind::ALL {
            let go: Vec<usize> = (0..ko.len()).filter(|i| ko[*i].kind == kind).collect();
            let gn: Vec<usize> = (0..kn.len()).filter(|i| kn[*i].kind == kind).collect();
            if go.is_empty() || gn.is_empty() {
                continue;
            }
            let pairs = self.match_group(&ko, &go, &kn, &gn);
            let first = matched.len();
            for &(i, j) in &pairs {
                let before = self.findings.len();
                self.compare(Seg::Alt, ko[i].conj.clone(), kn[j].conj.clone());
                let equal = self.findings[before..]
                    .iter()
                    .all(|f| !super::affects_validity(f.rule));
                let found = (before, self.findings.len());
                matched.push(Matched {
                    old: i,
                    new: j,
                    equal,
                    found,
                });
            }
            self.drop_shadowed(&ko, &kn, &mut matched[first..]);
            for &j in gn.iter().filter(|j| !pairs.iter().any(|p| p.1 == **j)) {
                if !self.covered(&kn[j], &ko, &go, true) {
                    self.branch_change(&kn[j], true);
                }
            }
            for &i in go.iter().filter(|i| !pairs.iter().any(|p| p.0 == **i)) {
                if !self.covered(&ko[i], &kn, &gn, false) {
                    self.branch_change(&ko[i], false);
                }
            }
        }
        self.overlaps(&ko, &kn, &matched);
    }

    /// In an `anyOf`, a changed pair of alternatives whose values an unchanged alternative
    /// accepts in both versions changes nothing: its findings are dropped.
    fn drop_shadowed(&mut self, ko: &[KindAlt], kn: &[KindAlt], pairs: &mut [Matched]) {
        let any_of = |a: &KindAlt| a.picks.iter().all(|p| p.kind == UnionKind::AnyOf);
        let mut dropped: Vec<(usize, usize)> = Vec::new();
        for m in pairs.iter().filter(|m| !m.equal) {
            if !any_of(&ko[m.old]) || !any_of(&kn[m.new]) {
                continue;
            }
            let shadowed = pairs.iter().filter(|c| c.equal).any(|c| {
                let inside = |e: &mut Self, outer: &[Loc], inner: &[Loc]| {
                    let d = e.judge(Seg::Alt, outer.to_vec(), inner.to_vec()).direction;
                    matches!(d, Direction::Equal | Direction::Tightened)
                };
                inside(self, &ko[c.old].conj, &ko[m.old].conj)
                    && inside(self, &kn[c.new].conj, &kn[m.new].conj)
            });
            if shadowed {
                dropped.push(m.found);
            }
        }
        let mut index = 0;
        self.findings.retain(|f| {
            let i = index;
            index += 1;
            !super::affects_validity(f.rule) || !dropped.iter().any(|(a, b)| (*a..*b).contains(&i))
        });
        // The ranges of later pairs moved; they are not read again.
        for m in pairs.iter_mut() {
            m.found = (0, 0);
        }
    }

    /// Splits alternatives by the type kinds their values can have.
    fn split(&self, alts: Vec<Alt>) -> Vec<KindAlt> {
        let mut out = Vec::new();
        for alt in alts {
            let view = self.s.view(&alt.conj);
            let types = match &view.values {
                Some(vs) => Types(
                    vs.iter()
                        .filter(|v| view.scalar_ok(v))
                        .fold(0, |acc, v| acc | Types::of(v).0),
                ),
                None => view.effective_types(),
            };
            for kind in Kind::of(types) {
                let mut conj = alt.conj.clone();
                conj.push(kind.loc());
                out.push(KindAlt {
                    kind,
                    conj,
                    picks: alt.picks.clone(),
                    types: types.and(kind.types()),
                });
            }
        }
        out
    }

    /// Where an alternative comes from: its last chosen branch, else the `type` keyword.
    fn origin(&self, alt: &KindAlt) -> Option<String> {
        if let Some(p) = alt.picks.last() {
            return p.branch.pointer();
        }
        let view = self.s.view(&alt.conj);
        view.typed
            .iter()
            .find(|l| l.is_version())
            .and_then(|l| l.keyword("type"))
            .or_else(|| alt.conj.first().and_then(Loc::pointer))
    }

    /// A type kind only one version has: a type change, however it is written.
    fn kinds(&mut self, vo: &View, vn: &View, ko: &[KindAlt], kn: &[KindAlt]) {
        let kinds = |k: &[KindAlt]| -> BTreeSet<Kind> { k.iter().map(|a| a.kind).collect() };
        let (so, sn) = (kinds(ko), kinds(kn));
        if so == sn {
            return;
        }
        let coarse = |s: &BTreeSet<Kind>| Types(s.iter().fold(0, |acc, k| acc | k.types().0));
        let Some(rule) = Self::type_rule(coarse(&so), coarse(&sn)) else {
            return;
        };
        let fine = |k: &[KindAlt]| Types(k.iter().fold(0, |acc, a| acc | a.types.0));
        let message = format!(
            "{} was {}, now {}",
            self.place(),
            fine(ko).describe(),
            fine(kn).describe()
        );
        let level = self.levels.last().cloned();
        let (old_all, new_all) = match level {
            Some(l) => (l.old, l.new),
            None => (Vec::new(), Vec::new()),
        };
        let added = kn.iter().find(|a| !so.contains(&a.kind));
        let removed = ko.iter().find(|a| !sn.contains(&a.kind));
        let at = At::new(
            removed.and_then(|a| self.origin(a)),
            added.and_then(|a| self.origin(a)),
        );
        let (ho, hn) = self.here();
        let at = at.or(ho, hn);
        let _ = (vo, vn);
        let (old, new) = match (added, removed) {
            (Some(a), _) => (old_all, a.conj.clone()),
            (None, Some(r)) => (r.conj.clone(), new_all),
            (None, None) => return,
        };
        self.at_level(Seg::Alt, old, new, |e| e.emit(rule, at, message));
    }

    /// The properties an alternative fixes to one value (`""`: the value itself), which
    /// tell union branches apart.
    fn discriminators(&self, alt: &KindAlt) -> BTreeMap<String, Value> {
        let view = self.s.view(&alt.conj);
        let mut out = BTreeMap::new();
        if let Some([only]) = view.values.as_deref() {
            out.insert(String::new(), only.clone());
        }
        if alt.kind == Kind::Object {
            for name in view.required.keys() {
                let prop = self.s.view(&view.property(name));
                if let Some([only]) = prop.values.as_deref() {
                    out.insert(name.clone(), only.clone());
                }
            }
        }
        out
    }

    /// The property names an alternative declares and requires: its shape, for matching.
    fn shape(&self, alt: &KindAlt) -> (BTreeSet<String>, BTreeSet<String>) {
        if alt.kind != Kind::Object {
            return (BTreeSet::new(), BTreeSet::new());
        }
        let view = self.s.view(&alt.conj);
        (
            view.declared_names().into_iter().collect(),
            view.required.keys().cloned().collect(),
        )
    }

    /// The `$ref` target and title of an alternative's last branch, for matching.
    fn label(&self, alt: &KindAlt) -> (Option<String>, Option<String>) {
        let Some(pick) = alt.picks.last() else {
            return (None, None);
        };
        let raw = self.s.value_at(&pick.branch);
        let reference = raw
            .as_ref()
            .and_then(|v| v.get("$ref"))
            .and_then(Value::as_str)
            .map(|r| r.rsplit('/').next().unwrap_or(r).to_owned());
        let view = self.s.view(&alt.conj);
        let title = view
            .parts
            .iter()
            .rev()
            .find_map(|p| p.node.annotations.iter().find(|(k, _)| *k == "title"))
            .and_then(|(_, v)| v.as_str().map(str::to_owned));
        (reference, title)
    }

    /// Pairs alternatives of one kind: never two whose discriminators differ; first those
    /// that share one, then those with the same reference or title, then the most similar.
    fn match_group(
        &mut self,
        ko: &[KindAlt],
        go: &[usize],
        kn: &[KindAlt],
        gn: &[usize],
    ) -> Vec<(usize, usize)> {
        if go.len() == 1 && gn.len() == 1 {
            return vec![(go[0], gn[0])];
        }
        let scored = go.len() * gn.len() <= MAX_SCORED_PAIRS;
        // (no shared discriminator, no shared label, distance, shape distance, branch choices
        // that differ, position gap).
        type Candidate = ((bool, bool, usize, usize, usize, usize), usize, usize);
        let mut candidates: Vec<Candidate> = Vec::new();
        for (ri, &i) in go.iter().enumerate() {
            let (dio, lo) = (self.discriminators(&ko[i]), self.label(&ko[i]));
            let so = self.shape(&ko[i]);
            for (rj, &j) in gn.iter().enumerate() {
                let djn = self.discriminators(&kn[j]);
                let shared: Vec<&String> = dio.keys().filter(|k| djn.contains_key(*k)).collect();
                if shared.iter().any(|k| !json_eq(&dio[*k], &djn[*k])) {
                    continue;
                }
                let ln = self.label(&kn[j]);
                let same_label =
                    (lo.0.is_some() && lo.0 == ln.0) || (lo.1.is_some() && lo.1 == ln.1);
                let distance = if scored {
                    self.judge(Seg::Alt, ko[i].conj.clone(), kn[j].conj.clone())
                        .distance()
                } else {
                    0
                };
                let sn = self.shape(&kn[j]);
                let shape = so.0.symmetric_difference(&sn.0).count()
                    + so.1.symmetric_difference(&sn.1).count();
                let picks = pick_distance(&ko[i].picks, &kn[j].picks);
                let key = (
                    shared.is_empty(),
                    !same_label,
                    distance,
                    shape,
                    picks,
                    ri.abs_diff(rj),
                );
                candidates.push((key, i, j));
            }
        }
        candidates.sort_by_key(|c| c.0);
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        for (_, i, j) in candidates {
            if !pairs.iter().any(|p| p.0 == i || p.1 == j) {
                pairs.push((i, j));
            }
        }
        pairs.sort_unstable();
        pairs
    }

    /// Whether an unmatched alternative's values are all accepted by an alternative of the
    /// other version (so nothing was added or removed).
    fn covered(&mut self, alt: &KindAlt, others: &[KindAlt], group: &[usize], added: bool) -> bool {
        // An alternative reached through anyOf alone accepts every value it describes, so
        // comparing with it decides.
        let decided = group
            .iter()
            .filter(|&&i| others[i].picks.iter().all(|p| p.kind == UnionKind::AnyOf))
            .any(|&i| {
                let (old, new) = if added {
                    (others[i].conj.clone(), alt.conj.clone())
                } else {
                    (alt.conj.clone(), others[i].conj.clone())
                };
                let j = self.judge(Seg::Alt, old, new);
                let d = j.direction;
                if added {
                    matches!(d, Direction::Equal | Direction::Tightened)
                } else {
                    matches!(d, Direction::Equal | Direction::Loosened)
                }
            });
        if decided {
            return true;
        }
        // Under a oneOf, a value is accepted only when one branch matches: ask the other
        // version's schemas at this position about the alternative's values.
        let Some(level) = self.levels.last().cloned() else {
            return false;
        };
        let (own_side, other_side) = if added {
            (&level.new, &level.old)
        } else {
            (&level.old, &level.new)
        };
        // `None` when a schema does not compile: then nothing is known.
        let accepted = |side: &[Loc], v: &Value| -> Option<bool> {
            side.iter()
                .map(|l| self.s.accepts(l, v))
                .try_fold(true, |all, r| r.map(|r| all && r))
        };
        let mut generator = crate::generate::Gen::new(self.s);
        // The alternative's values, whether or not its oneOf lets them through ...
        generator.leave_unchecked(alt.picks.iter().map(|p| p.node.clone()).collect());
        // ... and those its own version rejects (another branch matches them too) add nothing.
        let values = generator.candidates(&alt.conj, 12);
        !values.is_empty()
            && values.iter().all(|v| {
                matches!(
                    (accepted(own_side, v), accepted(other_side, v)),
                    (Some(false), Some(_)) | (Some(true), Some(true))
                )
            })
    }

    fn branch_change(&mut self, alt: &KindAlt, added: bool) {
        let Some(level) = self.levels.last().cloned() else {
            return;
        };
        let origin = self.origin(alt);
        let (keyword, index) = match alt.picks.last() {
            Some(p) => (p.kind.keyword(), format!(" {}", p.index)),
            None => ("anyOf/oneOf", String::new()),
        };
        let what = format!("{} values", alt.types.describe());
        let (rule, message, at, old, new) = if added {
            (
                Rule::UnionBranchAdded,
                format!(
                    "{} gained the {keyword} branch{index}, which accepts {what} no old branch accepts",
                    self.place()
                ),
                At::new(None, origin),
                level.old,
                alt.conj.clone(),
            )
        } else {
            (
                Rule::UnionBranchRemoved,
                format!(
                    "{} lost the {keyword} branch{index}, which accepted {what} no new branch accepts",
                    self.place()
                ),
                At::new(origin, None),
                alt.conj.clone(),
                level.new,
            )
        };
        self.at_level(Seg::Alt, old, new, |e| e.emit(rule, at, message));
    }

    /// oneOf pairs that gained or lost an overlap.
    fn overlaps(&mut self, ko: &[KindAlt], kn: &[KindAlt], matched: &[Matched]) {
        let pairs_of = |alts: &[KindAlt]| -> BTreeMap<(Loc, String), Vec<(usize, usize)>> {
            // oneOf unions -> (branch index, alternative index) of each alternative.
            let mut out: BTreeMap<(Loc, String), Vec<(usize, usize)>> = BTreeMap::new();
            for (a, alt) in alts.iter().enumerate() {
                for p in alt.picks.iter().filter(|p| p.kind == UnionKind::OneOf) {
                    out.entry((p.node.clone(), p.role.clone()))
                        .or_default()
                        .push((p.index, a));
                }
            }
            out
        };
        let (uo, un) = (pairs_of(ko), pairs_of(kn));
        for ((node, role), members) in &un {
            self.union_overlaps(node, role, members, (ko, kn), matched, &uo, true);
        }
        for ((node, role), members) in &uo {
            self.union_overlaps(node, role, members, (ko, kn), matched, &un, false);
        }
    }

    /// The overlap checks of one oneOf union of one side (`is_new`), pair by pair.
    #[allow(clippy::too_many_arguments)]
    fn union_overlaps(
        &mut self,
        node: &Loc,
        role: &str,
        members: &[(usize, usize)],
        (ko, kn): (&[KindAlt], &[KindAlt]),
        matched: &[Matched],
        other_unions: &BTreeMap<(Loc, String), Vec<(usize, usize)>>,
        is_new: bool,
    ) {
        let _ = role;
        let (mine, theirs) = if is_new { (kn, ko) } else { (ko, kn) };
        let counterpart = |a: usize, mine_side: bool| -> Option<(usize, bool)> {
            let new_side = mine_side == is_new;
            matched
                .iter()
                .find(|m| if new_side { m.new == a } else { m.old == a })
                .map(|m| (if new_side { m.old } else { m.new }, m.equal))
        };
        // The branches of the other version's oneOfs written the same as a branch of this one.
        let mut twins: BTreeMap<usize, Vec<(Loc, usize)>> = BTreeMap::new();
        let holder = self.s.node(node);
        for &(b, _) in members {
            if twins.contains_key(&b) {
                continue;
            }
            let Some(branch) = holder.one_of.get(b) else {
                continue;
            };
            let mut found = Vec::new();
            for (other_node, _) in other_unions.keys() {
                let other = self.s.node(other_node);
                for (k, candidate) in other.one_of.iter().enumerate() {
                    if crate::same::identical(
                        self.s,
                        std::slice::from_ref(branch),
                        std::slice::from_ref(candidate),
                    ) {
                        found.push((other_node.clone(), k));
                    }
                }
            }
            twins.insert(b, found);
        }
        // The alternatives of each branch.
        let mut branches: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for &(b, a) in members {
            branches.entry(b).or_default().push(a);
        }
        let branches: Vec<(usize, Vec<usize>)> = branches.into_iter().collect();
        // The other version's counterparts of two alternatives, when both are branches of
        // one oneOf there (whatever its role: a change may nest it differently).
        let shared_union = |ai: usize, aj: usize| -> Option<(Pick, Pick)> {
            let ((oi, _), (oj, _)) = counterpart(ai, true).zip(counterpart(aj, true))?;
            theirs[oi].picks.iter().find_map(|pi| {
                let pj = theirs[oj].picks.iter().find(|pj| {
                    pj.kind == UnionKind::OneOf && pj.node == pi.node && pj.index != pi.index
                })?;
                (pi.kind == UnionKind::OneOf
                    && other_unions.contains_key(&(pi.node.clone(), pi.role.clone())))
                .then(|| (pi.clone(), pj.clone()))
            })
        };
        for (x, (bi, alts_i)) in branches.iter().enumerate() {
            for (bj, alts_j) in &branches[x + 1..] {
                let (bi, bj) = (*bi, *bj);
                let (ai, aj) = (alts_i[0], alts_j[0]);
                let other = alts_i
                    .iter()
                    .flat_map(|a| alts_j.iter().map(move |b| (*a, *b)))
                    .take(64)
                    .find_map(|(a, b)| shared_union(a, b));
                if !is_new && other.is_some() {
                    continue; // checked from the new side
                }
                // The same two branches, written the same, in one oneOf of the other version.
                let same = twins.get(&bi).into_iter().flatten().any(|(u, k)| {
                    twins
                        .get(&bj)
                        .into_iter()
                        .flatten()
                        .any(|(v, l)| u == v && k != l)
                });
                if same {
                    continue;
                }
                let branch_of = |alt: &KindAlt| {
                    alt.picks
                        .iter()
                        .find(|p| p.node == *node && p.kind == UnionKind::OneOf)
                        .map(|p| p.branch.clone())
                };
                let (Some(li), Some(lj)) = (branch_of(&mine[ai]), branch_of(&mine[aj])) else {
                    continue;
                };
                let other_pair = other.map(|(pi, pj)| (pi.branch, pj.branch, false));
                self.pair_overlap(node, (bi, bj), (&li, &lj), other_pair, is_new);
            }
        }
    }

    /// Decides one pair and reports what changed.
    fn pair_overlap(
        &mut self,
        node: &Loc,
        (bi, bj): (usize, usize),
        (li, lj): (&Loc, &Loc),
        other_pair: Option<(Loc, Loc, bool)>,
        is_new: bool,
    ) {
        let Some(level) = self.levels.last().cloned() else {
            return;
        };
        let (mine_base, theirs_base) = if is_new {
            (&level.new, &level.old)
        } else {
            (&level.old, &level.new)
        };
        let with = |base: &[Loc], a: &Loc, b: &Loc| -> Vec<Loc> {
            base.iter().cloned().chain([a.clone(), b.clone()]).collect()
        };
        let here = self.overlap(&with(mine_base, li, lj), li, lj, node);
        let there = match &other_pair {
            Some((oi, oj, _)) => {
                let holder = holder_of(oi);
                Some(self.overlap(&with(theirs_base, oi, oj), oi, oj, &holder))
            }
            None => None,
        };
        let union_at = node.keyword("oneOf");
        // Both overlap: whether the overlap itself grew or shrank, on values of each.
        let grew = match (is_new, &here, &there, &other_pair) {
            (
                true,
                Overlap::Overlapping,
                Some(Overlap::Overlapping | Overlap::Unknown),
                Some((oi, oj, _)),
            ) => {
                let outside = |e: &mut Self, from: Vec<Loc>, union: &Loc, a: &Loc, b: &Loc| {
                    let mut generator = crate::generate::Gen::new(e.s);
                    generator.leave_unchecked(vec![union.clone()]);
                    generator.candidates(&from, 12).iter().any(|v| {
                        e.s.accepts(a, v) == Some(false) || e.s.accepts(b, v) == Some(false)
                    })
                };
                let holder = holder_of(oi);
                if outside(self, with(mine_base, li, lj), node, oi, oj) {
                    Some(Direction::Loosened)
                } else if outside(self, with(theirs_base, oi, oj), &holder, li, lj) {
                    Some(Direction::Tightened)
                } else {
                    None
                }
            }
            _ => None,
        };
        let (rule, gained) = match (is_new, &here, &there) {
            (true, Overlap::Overlapping, Some(Overlap::Overlapping)) => match grew {
                Some(Direction::Loosened) => (Rule::OneOfOverlapAdded, true),
                Some(Direction::Tightened) => (Rule::OneOfOverlapRemoved, false),
                _ => return,
            },
            // The old overlap could not be decided: values of the new one that the old
            // branches do not both accept are overlap gained.
            (true, Overlap::Overlapping, Some(Overlap::Unknown))
                if grew == Some(Direction::Loosened) =>
            {
                (Rule::OneOfOverlapAdded, true)
            }
            (true, Overlap::Overlapping, None | Some(Overlap::Disjoint)) => {
                (Rule::OneOfOverlapAdded, true)
            }
            (true, Overlap::Disjoint, Some(Overlap::Overlapping)) => {
                (Rule::OneOfOverlapRemoved, false)
            }
            (false, Overlap::Overlapping, None) => (Rule::OneOfOverlapRemoved, false),
            (_, Overlap::Unknown, _) | (_, _, Some(Overlap::Unknown)) => {
                let message = format!(
                    "whether branches {bi} and {bj} of the oneOf of {} can both match a value could not be decided, so the change to them cannot be judged",
                    self.place()
                );
                let at = if is_new {
                    At::new(None, union_at)
                } else {
                    At::new(union_at, None)
                };
                self.emit(Rule::AnalysisLimitReached, at, message);
                return;
            }
            _ => return,
        };
        let message = if gained {
            format!(
                "branches {bi} and {bj} of the oneOf of {} now both accept some values, which the oneOf therefore rejects",
                self.place()
            )
        } else {
            format!(
                "values that matched two branches of the oneOf of {} (and were rejected) now match at most one",
                self.place()
            )
        };
        // The witness is a value in both overlapping branches, accepted by the version
        // where they did not have to be exclusive.
        let overlapping = vec![li.clone(), lj.clone()];
        let (at, focus) = if is_new {
            (At::new(None, union_at), Focus::one(overlapping, Vec::new()))
        } else {
            (At::new(union_at, None), Focus::one(Vec::new(), overlapping))
        };
        let _ = gained;
        self.emit_focused(rule, at, message, focus);
    }

    /// Whether the schemas `conj` (a base and two branches of the oneOf held by `union`)
    /// can match one value.
    pub(crate) fn overlap(&mut self, conj: &[Loc], a: &Loc, b: &Loc, union: &Loc) -> Overlap {
        if self.disjoint(conj, 0) {
            return Overlap::Disjoint;
        }
        // A finite set of values: try each, and no overlap when none fits both.
        if let Some(values) = self.s.view(conj).values.clone() {
            let both = |v: &Value| {
                self.s.accepts(a, v) == Some(true) && self.s.accepts(b, v) == Some(true)
            };
            return if values.iter().any(both) {
                Overlap::Overlapping
            } else {
                Overlap::Disjoint
            };
        }
        let mut generator = crate::generate::Gen::new(self.s);
        generator.leave_unchecked(vec![union.clone()]);
        for value in generator.candidates(conj, 12) {
            if self.s.accepts(a, &value) == Some(true) && self.s.accepts(b, &value) == Some(true) {
                return Overlap::Overlapping;
            }
        }
        Overlap::Unknown
    }

    /// Whether no value can match `conj`, from its keywords alone: a `false`, no type left,
    /// no enum value left, or a required property whose schemas are disjoint.
    pub(super) fn disjoint(&self, conj: &[Loc], depth: usize) -> bool {
        let view = self.s.view(conj);
        if view.never || view.effective_types() == Types::NONE {
            return true;
        }
        if let Some(values) = &view.values {
            if !values.iter().any(|v| view.scalar_ok(v)) {
                return true;
            }
        }
        if let (Some((lo, _)), Some((hi, _))) = (view.lower_bound(false), view.upper_bound(false)) {
            let only_numbers = view.types.is_subset_of(Types(Types::NUMBER));
            if only_numbers
                && (lo.value > hi.value || (lo.value == hi.value && (lo.exclusive || hi.exclusive)))
            {
                return true;
            }
        }
        if depth >= 3 {
            return false;
        }
        if view.types.is_subset_of(Types(Types::OBJECT))
            && view
                .required
                .keys()
                .any(|name| self.disjoint(&view.property(name), depth + 1))
        {
            return true;
        }
        // Items every array must have.
        let min_items = view.min_items.as_ref().map_or(0, |(m, _)| *m).min(8) as usize;
        if view.types.is_subset_of(Types(Types::ARRAY))
            && (0..min_items).any(|i| self.disjoint(&view.item(Some(i)), depth + 1))
        {
            return true;
        }
        // A union: disjoint when every alternative is.
        if !view.unions.is_empty() {
            if let Ok(alts) = crate::view::alternatives(self.s, conj, 16) {
                return alts.iter().all(|a| self.disjoint(&a.conj, depth + 1));
            }
        }
        false
    }
}

/// How many union branch choices two alternatives make differently (by the role of the
/// union and the branch's place in it): alternatives alike in every other way are matched
/// to the one that chose the same branches.
fn pick_distance(a: &[Pick], b: &[Pick]) -> usize {
    let key = |p: &Pick| (p.role.clone(), p.kind, p.index);
    let left: BTreeSet<_> = a.iter().map(key).collect();
    let right: BTreeSet<_> = b.iter().map(key).collect();
    left.symmetric_difference(&right).count()
}

/// The node that holds a union branch: branches are `<node>/oneOf/<i>`, two levels down.
fn holder_of(branch: &Loc) -> Loc {
    branch
        .at
        .rsplit_once('/')
        .and_then(|(up, _)| up.rsplit_once('/'))
        .map_or_else(|| branch.clone(), |(node, _)| Loc::new(branch.doc, node))
}
