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
        let n = vo.nots.len().max(vn.nots.len());
        for i in 0..n {
            let (a, b) = (vo.nots.get(i).cloned(), vn.nots.get(i).cloned());
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
            let focus = Focus {
                old: b.into_iter().collect(),
                new: a.into_iter().collect(),
            };
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
        let mut roles: Vec<String> = co.iter().map(|c| c.role.clone()).collect();
        for c in &cn {
            if !roles.contains(&c.role) {
                roles.push(c.role.clone());
            }
        }
        for role in roles {
            let a = co.iter().find(|c| c.role == role).cloned();
            let b = cn.iter().find(|c| c.role == role).cloned();
            match (a, b) {
                (Some(a), Some(b)) => self.conditional_pair(&a, &b),
                (None, Some(b)) if !self.implied(Side::Old, &b) => {
                    let message = format!("{} gained an if/then/else", self.place());
                    let at = At::new(None, b.if_.pointer());
                    let focus = Focus {
                        old: if b.then_.is_some() {
                            vec![b.if_.clone()]
                        } else {
                            Vec::new()
                        },
                        new: Vec::new(),
                    };
                    self.emit_focused(Rule::ConditionalTightened, at, message, focus);
                }
                (Some(a), None) if !self.implied(Side::New, &a) => {
                    let message = format!("{} lost its if/then/else", self.place());
                    let at = At::new(a.if_.pointer(), None);
                    let focus = Focus {
                        old: Vec::new(),
                        new: if a.then_.is_some() {
                            vec![a.if_.clone()]
                        } else {
                            Vec::new()
                        },
                    };
                    self.emit_focused(Rule::ConditionalLoosened, at, message, focus);
                }
                _ => {}
            }
        }
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
        let moved = match (
            a.then_.is_some() && b.then_.is_some(),
            a.else_.is_some() && b.else_.is_some(),
        ) {
            _ if condition.direction == Direction::Equal => Direction::Equal,
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
        // A witness meets the condition under which its rejecting side asks more: the new
        // `if` when old accepts it, the old `if` when new does. (An `else` added or removed
        // needs a value that fails the condition, which a focus cannot ask for.)
        let then_changed = a.then_.is_some() != b.then_.is_some();
        let focus = if then_changed || (moved != Direction::Equal && b.then_.is_some()) {
            Focus {
                old: vec![b.if_.clone()],
                new: vec![a.if_.clone()],
            }
        } else {
            Focus::default()
        };
        self.emit_focused(rule, at, message, focus);
    }
}
