//! `not` and `if`/`then`/`else`. A change inside `then` or `else` is compared like any
//! other change of the value (under the condition); a change of a `not`'s schema, of an
//! `if`, or a branch added or removed is judged by direction under the construct's rules.

use super::{At, Direction, Engine, Focus, Seg};
use crate::node::Loc;
use crate::rules::Rule;
use crate::view::{Conditional, View};
use crate::Side;

impl Engine<'_> {
    pub(super) fn logic(&mut self, vo: &View, vn: &View) {
        self.nots(vo, vn);
        self.conditionals(vo, vn);
    }

    fn nots(&mut self, vo: &View, vn: &View) {
        let (no, nn) = (vo.nots.clone(), vn.nots.clone());
        let pairs = pair_up(
            no.len(),
            nn.len(),
            |i, j| self.equal(&no[i], &nn[j]),
            |_, _| false,
        );
        for (i, j) in pairs {
            let (a, b) = (i.map(|i| no[i].clone()), j.map(|j| nn[j].clone()));
            let (direction, detail) = match (&a, &b) {
                (Some(a), Some(b)) => {
                    let judgement = self.judge(Seg::Alt, vec![a.clone()], vec![b.clone()]);
                    self.pass_on(&judgement);
                    (judgement.direction.flipped(), judgement.detail())
                }
                // A `not` of values the other side never had changes nothing.
                (None, Some(b)) if self.never_had(Side::Old, b) => continue,
                (Some(a), None) if self.never_had(Side::New, a) => continue,
                (None, Some(_)) => (Direction::Tightened, " (it was added)".to_owned()),
                (Some(_), None) => (Direction::Loosened, " (it was removed)".to_owned()),
                (None, None) => continue,
            };
            let Some(rule) =
                direction.rule(Rule::NotTightened, Rule::NotLoosened, Rule::NotChanged)
            else {
                continue;
            };
            let message = format!(
                "the schema inside the `not` of {} changed{detail}",
                self.place()
            );
            let at = At::new(
                a.as_ref().and_then(Loc::pointer),
                b.as_ref().and_then(Loc::pointer),
            );
            // An event the new `not` schema matches is what new readers reject, and the reverse.
            let focus = Focus::one(b.into_iter().collect(), a.into_iter().collect());
            self.emit_focused(rule, at, message, focus);
        }
    }

    /// The conditionals of a view that are not decided by the view itself (a view that
    /// holds an `if` or an `else` is one branch of it).
    fn open_conditionals(&self, v: &View) -> Vec<Conditional> {
        let decided = |l: &Option<Loc>| {
            l.as_ref()
                .and_then(|l| self.s.resolve(l).ok())
                .is_some_and(|r| v.key.contains(&r))
        };
        v.conditionals
            .iter()
            .filter(|c| !decided(&Some(c.if_.clone())) && !decided(&c.else_))
            .cloned()
            .collect()
    }

    fn conditionals(&mut self, vo: &View, vn: &View) {
        let (co, cn) = (self.open_conditionals(vo), self.open_conditionals(vn));
        let pairs = pair_up(
            co.len(),
            cn.len(),
            |i, j| self.equal(&co[i].if_, &cn[j].if_),
            |i, j| co[i].role == cn[j].role,
        );
        for (i, j) in pairs {
            let a = i.map(|i| co[i].clone());
            let b = j.map(|j| cn[j].clone());
            match (a, b) {
                (Some(a), Some(b)) => self.conditional_pair(&a, &b),
                (None, Some(b)) if !self.implied(Side::Old, &b) => {
                    let message = format!("{} gained an if/then/else", self.place());
                    let at = At::new(None, b.if_.pointer());
                    let meets = b.then_.iter().map(|_| b.if_.clone()).collect();
                    let focus = Focus::one(meets, Vec::new());
                    self.emit_focused(Rule::ConditionalTightened, at, message, focus);
                }
                (Some(a), None) if !self.implied(Side::New, &a) => {
                    let message = format!("{} lost its if/then/else", self.place());
                    let at = At::new(a.if_.pointer(), None);
                    let meets = a.then_.iter().map(|_| a.if_.clone()).collect();
                    let focus = Focus::one(Vec::new(), meets);
                    self.emit_focused(Rule::ConditionalLoosened, at, message, focus);
                }
                _ => {}
            }
        }
    }

    /// Whether, in each version, `then` and `else` ask the same of the values either `if`
    /// could select (so a changed condition moves values between equal branches).
    fn branches_agree(&mut self, level: &super::Level, a: &Conditional, b: &Conditional) -> bool {
        let selected = self
            .s
            .view(std::slice::from_ref(&a.if_))
            .effective_types()
            .0
            | self
                .s
                .view(std::slice::from_ref(&b.if_))
                .effective_types()
                .0;
        let kinds = crate::node::Kind::of(crate::values::Types(selected));
        for (base, c) in [(&level.old, a), (&level.new, b)] {
            for kind in &kinds {
                let with = |branch: &Option<Loc>| -> Vec<Loc> {
                    base.iter()
                        .cloned()
                        .chain(branch.clone())
                        .chain(std::iter::once(kind.loc()))
                        .collect()
                };
                let (then_side, else_side) = (with(&c.then_), with(&c.else_));
                if self.judge(Seg::Alt, then_side, else_side).direction != Direction::Equal {
                    return false;
                }
            }
        }
        true
    }

    /// Whether two schemas validate the same values (cached).
    fn equal(&mut self, a: &Loc, b: &Loc) -> bool {
        self.judge(Seg::Alt, vec![a.clone()], vec![b.clone()])
            .direction
            == Direction::Equal
    }

    /// Whether no value `side` accepts at the current position matches `schema`.
    fn never_had(&self, side: Side, schema: &Loc) -> bool {
        let Some(level) = self.levels.last() else {
            return false;
        };
        let mut conj = match side {
            Side::Old => level.old.clone(),
            Side::New => level.new.clone(),
        };
        conj.push(schema.clone());
        self.disjoint(&conj, 0)
    }

    /// Whether what `side` asks at the current position already implies the conditional's
    /// requirements (so adding or removing it there changes nothing).
    fn implied(&mut self, side: Side, c: &Conditional) -> bool {
        let Some(level) = self.levels.last().cloned() else {
            return false;
        };
        let base = match side {
            Side::Old => level.old,
            Side::New => level.new,
        };
        let plus = |extra: &[&Loc]| -> Vec<Loc> {
            base.iter()
                .cloned()
                .chain(extra.iter().map(|l| (*l).clone()))
                .collect()
        };
        let then_implied = match &c.then_ {
            None => true,
            Some(t) => {
                let j = self.judge(Seg::Alt, plus(&[&c.if_]), plus(&[&c.if_, t]));
                j.direction == Direction::Equal
            }
        };
        let else_implied = match &c.else_ {
            None => true,
            Some(e) => self.judge(Seg::Alt, plus(&[]), plus(&[e])).direction == Direction::Equal,
        };
        then_implied && else_implied
    }

    fn conditional_pair(&mut self, a: &Conditional, b: &Conditional) {
        let Some(level) = self.levels.last().cloned() else {
            return;
        };
        let with = |base: &[Loc], extra: &[&Loc]| -> Vec<Loc> {
            base.iter()
                .cloned()
                .chain(extra.iter().map(|l| (*l).clone()))
                .collect()
        };
        let condition = self.judge(Seg::Alt, vec![a.if_.clone()], vec![b.if_.clone()]);
        self.pass_on(&condition);
        if condition.direction == Direction::Equal {
            // Changes inside the branches, under the (same) condition.
            if let (Some(ta), Some(tb)) = (&a.then_, &b.then_) {
                self.compare(
                    Seg::Alt,
                    with(&level.old, &[&a.if_, ta]),
                    with(&level.new, &[&b.if_, tb]),
                );
            }
            if let (Some(ea), Some(eb)) = (&a.else_, &b.else_) {
                self.compare(Seg::Alt, with(&level.old, &[ea]), with(&level.new, &[eb]));
            }
        }
        let presence = |x: &Option<Loc>, y: &Option<Loc>| match (x.is_some(), y.is_some()) {
            (false, true) => Direction::Tightened,
            (true, false) => Direction::Loosened,
            _ => Direction::Equal,
        };
        let branches = presence(&a.then_, &b.then_).and(presence(&a.else_, &b.else_));
        let irrelevant =
            condition.direction == Direction::Equal || self.branches_agree(&level, a, b);
        let moved = match (
            a.then_.is_some() && b.then_.is_some(),
            a.else_.is_some() && b.else_.is_some(),
        ) {
            _ if irrelevant => Direction::Equal,
            (true, true) => Direction::Changed,
            // More values meeting the `if` means more values held to `then`.
            (true, false) => condition.direction.flipped(),
            (false, true) => condition.direction,
            (false, false) => Direction::Equal,
        };
        let mut direction = branches.and(moved);
        // A `then` or `else` added where the old version already asks as much (or removed
        // where the new one still does) changes nothing.
        if moved == Direction::Equal
            && ((direction == Direction::Tightened && self.implied(Side::Old, b))
                || (direction == Direction::Loosened && self.implied(Side::New, a)))
        {
            direction = Direction::Equal;
        }
        let Some(rule) = direction.rule(
            Rule::ConditionalTightened,
            Rule::ConditionalLoosened,
            Rule::ConditionalChanged,
        ) else {
            return;
        };
        let detail = if moved == Direction::Equal {
            " (a `then` or `else` was added or removed)".to_owned()
        } else {
            format!(" (its `if` changed{})", condition.detail())
        };
        let message = format!("the if/then/else of {} changed{detail}", self.place());
        let at = At::new(a.if_.pointer(), b.if_.pointer());
        // A witness meets a condition: for a `then` added or removed, the one under which
        // its rejecting side asks more; for a moved condition, either one (values that meet
        // only one of them are the ones that move). An `else` added or removed needs a value
        // that fails the condition, which a focus cannot ask for.
        let focus = if moved != Direction::Equal {
            let both = vec![vec![b.if_.clone()], vec![a.if_.clone()]];
            Focus {
                old: both.clone(),
                new: both,
            }
        } else if a.then_.is_some() != b.then_.is_some() {
            Focus::one(vec![b.if_.clone()], vec![a.if_.clone()])
        } else {
            Focus::default()
        };
        self.emit_focused(rule, at, message, focus);
    }
}

/// Pairs the old and new members of a list (`not`s, conditionals): first those that are
/// equivalent, then those in the same role, then in order; what is left stands alone.
fn pair_up(
    old: usize,
    new: usize,
    mut equivalent: impl FnMut(usize, usize) -> bool,
    same_role: impl Fn(usize, usize) -> bool,
) -> Vec<(Option<usize>, Option<usize>)> {
    let mut taken_old = vec![false; old];
    let mut taken_new = vec![false; new];
    let mut out = Vec::new();
    let mut pass = |test: &mut dyn FnMut(usize, usize) -> bool, out: &mut Vec<_>| {
        for (i, taken) in taken_old.iter_mut().enumerate() {
            if *taken {
                continue;
            }
            if let Some(j) = (0..new).find(|&j| !taken_new[j] && test(i, j)) {
                *taken = true;
                taken_new[j] = true;
                out.push((Some(i), Some(j)));
            }
        }
    };
    pass(&mut equivalent, &mut out);
    pass(&mut |i, j| same_role(i, j), &mut out);
    pass(&mut |_, _| true, &mut out);
    out.extend((0..old).filter(|i| !taken_old[*i]).map(|i| (Some(i), None)));
    out.extend((0..new).filter(|j| !taken_new[*j]).map(|j| (None, Some(j))));
    out
}
