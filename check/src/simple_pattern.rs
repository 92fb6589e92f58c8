//! A fast path for the simple `pattern`s and `patternProperties` schemas write, such as a
//! version's `^\d+\.\d+\.\d+$`, a code's `^[A-Z0-9-]{3,20}$` or a prefix's `^x-`: matched
//! here in one pass over the text, with the verdict the regular expression engine gives,
//! instead of through regress's backtracking matcher (about 800 instructions a match in
//! the corpus bench, more than reading the rest of a UUID-laden event's envelope).
//!
//! A pattern is simple when it is anchored at the start (`^`), optionally at the end (`$`),
//! and between them is a sequence of elements, each an atom or a group, with no quantifier
//! or one of `?`, `*`, `+`, `{n}`, `{n,}`, `{n,m}` (not lazy). An atom is
//! - an ASCII letter or digit, one of `` -_:@,=#%&'";<>~!` `` or a space;
//! - an escaped syntax character (`\.`, `\/`, ...), `\d` or `\w`;
//! - a class of those (`[a-z0-9_-]`, `[\d.]`), not negated and not empty.
//!
//! A group (`(...)` or `(?:...)`, in a pattern anchored at both ends) holds atoms only, the
//! first of which must match at least once. Every element or atom matched a varying number
//! of times must admit no character that may come right after it: the first character of
//! each element that follows, up to the first that must match (inside a group, then the
//! group again when it may repeat, and what follows the group). Then a greedy
//! left-to-right match never has to give a character back, so one pass decides exactly
//! what the backtracking engine decides: a varying run stops exactly where what follows
//! begins, and a group repeats exactly while the text goes on with its first character
//! (if a repetition then fails, so does every other way to match). Every class is ASCII,
//! so a non-ASCII character never matches, under Unicode or UTF-16 semantics alike;
//! without the `m` flag, `$` matches only at the end of the text, and without it the text
//! may go on.
//!
//! Anything else (negated classes, alternation, nested groups, lookarounds, `.`, `\s`,
//! lazy or stacked quantifiers, patterns not anchored at the start) is not simple:
//! [`matches`] says `None` and the caller asks the engine.

/// What one atom admits: a set of ASCII bytes, one bit each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Class(u128);

/// `\d`.
const DIGITS: u128 = range(b'0', b'9');

/// `\w`: ASCII letters, digits and `_` (without the `i` flag, also under `u`).
const WORD: u128 = range(b'a', b'z') | range(b'A', b'Z') | DIGITS | 1 << b'_';

/// The bytes `lo..=hi`.
const fn range(lo: u8, hi: u8) -> u128 {
    let mut mask = 0u128;
    let mut b = lo;
    while b <= hi && b < 128 {
        mask |= 1 << b;
        b += 1;
    }
    mask
}

impl Class {
    fn admits(self, byte: u8) -> bool {
        byte < 128 && self.0 & (1 << byte) != 0
    }
}

/// How many times an atom matches: `min` and at most `max` (no bound when `None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Times {
    min: u32,
    max: Option<u32>,
}

impl Times {
    const ONCE: Times = Times {
        min: 1,
        max: Some(1),
    };

    fn fixed(self) -> bool {
        self.max == Some(self.min)
    }
}

/// Unescaped bytes that stand for themselves in a simple pattern (besides ASCII letters
/// and digits): none is special in ECMA-262 outside a class, with or without the `u` flag.
const LITERALS: &[u8] = b"-_:@,=#%&'\";<>~! ";

/// Unescaped bytes that stand for themselves inside a class, besides those: `-` only first
/// or last (elsewhere it makes a range), never `]`, `\`, `[` or a leading `^`.
const CLASS_LITERALS: &[u8] = b".*+?(){}|$/^";

/// Escaped bytes that stand for themselves: ECMA-262's syntax characters and `/`, the
/// identity escapes valid with and without the `u` flag.
const ESCAPED: &[u8] = b"^$\\.*+?()[]{}|/";

/// What a byte of a simple pattern's body is, by table: the pattern is read for every
/// value checked, so it is read a byte at a time without searching lists.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Nothing a simple pattern holds.
    Other,
    /// A byte that stands for itself.
    Literal,
    /// `\`.
    Escape,
    /// `[`.
    Class,
}

const fn kinds() -> [Kind; 128] {
    let mut table = [Kind::Other; 128];
    let mut b = 0;
    while b < 128 {
        if (b as u8).is_ascii_alphanumeric() {
            table[b] = Kind::Literal;
        }
        b += 1;
    }
    let mut i = 0;
    while i < LITERALS.len() {
        table[LITERALS[i] as usize] = Kind::Literal;
        i += 1;
    }
    table[b'\\' as usize] = Kind::Escape;
    table[b'[' as usize] = Kind::Class;
    table
}

const KINDS: [Kind; 128] = kinds();

const fn table(bytes: &[u8]) -> [bool; 128] {
    let mut table = [false; 128];
    let mut i = 0;
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table
}

const ESCAPABLE: [bool; 128] = table(ESCAPED);

const IN_CLASS: [bool; 128] = table(CLASS_LITERALS);

/// Simple patterns have at most this many atoms; longer ones go to the engine.
const MAX_ATOMS: usize = 24;

/// Simple patterns have at most this many groups.
const MAX_GROUPS: usize = 4;

/// A simple pattern, read: its atoms in order, its groups (each a run of those atoms
/// repeated as a whole), and whether it is anchored at the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SimplePattern {
    atoms: [(Class, Times); MAX_ATOMS],
    len: usize,
    /// `(first atom, end atom, how many times)`, in order, none inside another.
    groups: [(usize, usize, Times); MAX_GROUPS],
    group_count: usize,
    to_end: bool,
}

/// An escape `\x` outside or inside a class: a class escape or a byte standing for itself.
fn escape(escaped: u8, in_class: bool) -> Option<Class> {
    match escaped {
        b'd' => Some(Class(DIGITS)),
        b'w' => Some(Class(WORD)),
        b'-' if in_class => Some(Class(1 << b'-')),
        b if ESCAPABLE.get(usize::from(b)) == Some(&true) => Some(Class(1 << b)),
        _ => None,
    }
}

/// One member of a class at `body[at..]`: a byte (which may start a range) or a class
/// escape, with where it ends.
fn class_member(body: &[u8], at: usize) -> Option<(Class, Option<u8>, usize)> {
    let first = *body.get(at)?;
    if first == b'\\' {
        let escaped = *body.get(at + 1)?;
        let class = escape(escaped, true)?;
        // `\d` and `\w` cannot end a range; a single escaped byte can.
        let byte = (!matches!(escaped, b'd' | b'w')).then_some(escaped);
        return Some((class, byte, at + 2));
    }
    let plain = first.is_ascii_alphanumeric()
        || LITERALS.contains(&first)
        || IN_CLASS.get(usize::from(first)) == Some(&true);
    (plain && first != b'-').then_some((Class(1 << first), Some(first), at + 1))
}

/// A class `[...]` at `body[at..]` (after the `[`): the bytes it admits and where it ends.
/// Negated classes admit non-ASCII text, and are not simple.
fn class(body: &[u8], mut at: usize) -> Option<(Class, usize)> {
    let mut mask = 0u128;
    if body.get(at) == Some(&b'^') {
        return None;
    }
    if body.get(at) == Some(&b'-') {
        mask |= 1 << b'-';
        at += 1;
    }
    loop {
        match body.get(at)? {
            b']' => break,
            b'-' if body.get(at + 1) == Some(&b']') => {
                mask |= 1 << b'-';
                at += 1;
            }
            _ => {
                let (member, byte, next) = class_member(body, at)?;
                at = next;
                if body.get(at) == Some(&b'-') && body.get(at + 1) != Some(&b']') {
                    let (_, hi, next) = class_member(body, at + 1)?;
                    let (lo, hi) = (byte?, hi?);
                    if lo > hi {
                        // A range out of order does not compile: the engine says so.
                        return None;
                    }
                    mask |= range(lo, hi);
                    at = next;
                } else {
                    mask |= member.0;
                }
            }
        }
    }
    // `[]` matches nothing; leave it to the engine.
    (mask != 0).then_some((Class(mask), at + 1))
}

/// A decimal count in a quantifier.
fn count(body: &[u8], mut at: usize) -> Option<(u32, usize)> {
    let start = at;
    let mut n: u32 = 0;
    while let Some(d) = body.get(at).filter(|d| d.is_ascii_digit()) {
        n = n.checked_mul(10)?.checked_add(u32::from(d - b'0'))?;
        at += 1;
    }
    (at > start).then_some((n, at))
}

/// The quantifier at `body[at..]` and where it ends.
fn quantifier(body: &[u8], at: usize) -> Option<(Times, usize)> {
    let (times, end) = match body.get(at) {
        Some(b'?') => (
            Times {
                min: 0,
                max: Some(1),
            },
            at + 1,
        ),
        Some(b'*') => (Times { min: 0, max: None }, at + 1),
        Some(b'+') => (Times { min: 1, max: None }, at + 1),
        Some(b'{') => {
            let (min, next) = count(body, at + 1)?;
            match body.get(next)? {
                b'}' => (
                    Times {
                        min,
                        max: Some(min),
                    },
                    next + 1,
                ),
                b',' if body.get(next + 1) == Some(&b'}') => (Times { min, max: None }, next + 2),
                b',' => {
                    let (max, next) = count(body, next + 1)?;
                    if body.get(next) != Some(&b'}') || max < min {
                        return None;
                    }
                    (
                        Times {
                            min,
                            max: Some(max),
                        },
                        next + 1,
                    )
                }
                _ => return None,
            }
        }
        _ => return Some((Times::ONCE, at)),
    };
    // `a+?`, `a**`, `a{2}{3}`: lazy or stacked quantifiers are not simple.
    if matches!(body.get(end), Some(b'?' | b'*' | b'+' | b'{')) {
        return None;
    }
    Some((times, end))
}

/// One atom at `body[at..]` (not a group) and where it ends.
fn atom(body: &[u8], at: usize) -> Option<(Class, usize)> {
    let first = *body.get(at)?;
    match KINDS.get(usize::from(first)) {
        Some(Kind::Literal) => Some((Class(1 << first), at + 1)),
        Some(Kind::Escape) => Some((escape(*body.get(at + 1)?, false)?, at + 2)),
        Some(Kind::Class) => class(body, at + 1),
        _ => None,
    }
}

/// A top-level element while the pattern is read: an atom (`group` is `None`) or a group.
#[derive(Clone, Copy)]
struct Element {
    /// What its first character must be.
    first: Class,
    times: Times,
    /// The group's atoms, as indices into the atoms.
    group: Option<(usize, usize)>,
}

impl Element {
    fn nullable(self) -> bool {
        self.times.min == 0
    }
}

/// What may come right after the elements `rest` begin with, up to and including the first
/// one that must match (the end of the text, or of what is matched, is no character).
fn follow(rest: &[Element]) -> u128 {
    let mut set = 0;
    for e in rest {
        set |= e.first.0;
        if !e.nullable() {
            break;
        }
    }
    set
}

impl SimplePattern {
    /// `pattern` read, when it is simple (see the module documentation).
    pub(crate) fn parse(pattern: &str) -> Option<SimplePattern> {
        let body = pattern.strip_prefix('^')?;
        // A `$` at the end is the anchor unless escaped; an escaped one leaves a lone
        // trailing backslash, which the reading below refuses.
        let (body, to_end) = match body.strip_suffix('$') {
            Some(body) => (body.as_bytes(), true),
            None => (body.as_bytes(), false),
        };
        let mut simple = SimplePattern {
            atoms: [(Class(0), Times::ONCE); MAX_ATOMS],
            len: 0,
            groups: [(0, 0, Times::ONCE); MAX_GROUPS],
            group_count: 0,
            to_end,
        };
        // Read on every call of `check_pattern`: no allocation.
        let mut elements = [Element {
            first: Class(0),
            times: Times::ONCE,
            group: None,
        }; MAX_ATOMS];
        let mut element_count = 0;
        let mut at = 0;
        while at < body.len() {
            if body[at] == b'(' {
                // A group: `(...)` or `(?:...)`, of atoms only, whose first atom must match.
                at += 1;
                if body.get(at) == Some(&b'?') {
                    if body.get(at + 1) != Some(&b':') {
                        return None;
                    }
                    at += 2;
                }
                let start = simple.len;
                while body.get(at) != Some(&b')') {
                    let (class, next) = atom(body, at)?;
                    let (times, next) = quantifier(body, next)?;
                    at = next;
                    *simple.atoms.get_mut(simple.len)? = (class, times);
                    simple.len += 1;
                }
                let (first, first_times) =
                    *simple.atoms.get(start).filter(|_| simple.len > start)?;
                if first_times.min == 0 {
                    return None;
                }
                let (times, next) = quantifier(body, at + 1)?;
                at = next;
                *simple.groups.get_mut(simple.group_count)? = (start, simple.len, times);
                simple.group_count += 1;
                *elements.get_mut(element_count)? = Element {
                    first,
                    times,
                    group: Some((start, simple.len)),
                };
                element_count += 1;
            } else {
                let (class, next) = atom(body, at)?;
                let (times, next) = quantifier(body, next)?;
                at = next;
                *simple.atoms.get_mut(simple.len)? = (class, times);
                simple.len += 1;
                *elements.get_mut(element_count)? = Element {
                    first: class,
                    times,
                    group: None,
                };
                element_count += 1;
            }
        }
        // A group cut short by the text could still let an open-ended pattern match with
        // fewer repetitions: left to the engine.
        if !to_end && simple.group_count > 0 {
            return None;
        }
        // Every choice a greedy match makes must be forced: an element matched a varying
        // number of times admits nothing that may come right after it, so it takes every
        // character it can (and if more are there than it may take, nothing matches).
        let elements = &elements[..element_count];
        for (k, e) in elements.iter().enumerate() {
            let after = follow(&elements[k + 1..]);
            if !e.times.fixed() && e.first.0 & after != 0 {
                return None;
            }
            let Some((start, end)) = e.group else {
                continue;
            };
            // Inside a group, what follows its last atoms is the group again (when it may
            // repeat) or what follows the group.
            let again = if e.times.max == Some(1) { 0 } else { e.first.0 };
            let atoms = &simple.atoms[start..end];
            for (j, &(class, times)) in atoms.iter().enumerate() {
                let mut after_atom = 0;
                let mut forced = false;
                for &(next, next_times) in &atoms[j + 1..] {
                    after_atom |= next.0;
                    if next_times.min > 0 {
                        forced = true;
                        break;
                    }
                }
                if !forced {
                    after_atom |= again | after;
                }
                if !times.fixed() && class.0 & after_atom != 0 {
                    return None;
                }
            }
        }
        Some(simple)
    }

    /// Whether `text` matches, as the engine would decide it.
    pub(crate) fn is_match(&self, text: &str) -> bool {
        let text = text.as_bytes();
        if self.group_count == 0 {
            // Most patterns: one run over the atoms.
            return run(&self.atoms[..self.len], text, 0)
                .is_some_and(|at| !self.to_end || at == text.len());
        }
        let mut at: usize = 0;
        let mut i = 0;
        let mut groups = self.groups[..self.group_count].iter().peekable();
        while i < self.len {
            match groups.next_if(|g| g.0 == i) {
                Some(&(start, end, times)) => {
                    let first = self.atoms[start].0;
                    let mut count = 0u32;
                    while times.max.is_none_or(|max| count < max)
                        && text.get(at).is_some_and(|b| first.admits(*b))
                    {
                        match run(&self.atoms[start..end], text, at) {
                            Some(next) => at = next,
                            None => return false,
                        }
                        count += 1;
                    }
                    if count < times.min {
                        return false;
                    }
                    i = end;
                }
                None => {
                    match run(&self.atoms[i..=i], text, at) {
                        Some(next) => at = next,
                        None => return false,
                    }
                    i += 1;
                }
            }
        }
        !self.to_end || at == text.len()
    }
}

/// `atoms` matched greedily from `text[at..]`: where they end, or `None` when one of them
/// cannot match as often as it must.
#[inline]
fn run(atoms: &[(Class, Times)], text: &[u8], mut at: usize) -> Option<usize> {
    for &(class, times) in atoms {
        let start = at;
        let limit = times.max.map_or(text.len(), |max| {
            text.len().min(start.saturating_add(max as usize))
        });
        while at < limit && class.admits(text[at]) {
            at += 1;
        }
        if at - start < times.min as usize {
            return None;
        }
    }
    Some(at)
}

/// Whether `text` matches `pattern`, when the pattern is simple; `None` otherwise.
pub(crate) fn matches(pattern: &str, text: &str) -> Option<bool> {
    SimplePattern::parse(pattern).map(|simple| simple.is_match(text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn regress_matches(pattern: &str, text: &str, flags: &str) -> bool {
        regress::Regex::with_flags(pattern, flags)
            .unwrap_or_else(|e| panic!("{pattern:?} does not compile: {e}"))
            .find(text)
            .is_some()
    }

    fn is_simple(pattern: &str) -> bool {
        SimplePattern::parse(pattern).is_some()
    }

    #[test]
    fn a_version_pattern_is_simple_and_decided() {
        let version = r"^\d+\.\d+\.\d+$";
        assert!(is_simple(version));
        for (text, expected) in [
            ("1.0.0", true),
            ("10.20.30", true),
            ("1.0", false),
            ("1.0.0.0", false),
            ("1..0", false),
            ("1.0.0\n", false),
            ("\n1.0.0", false),
            (" 1.0.0", false),
            ("1.0.x", false),
            ("1.0.\u{661}", false),
            ("", false),
        ] {
            assert_eq!(matches(version, text), Some(expected), "{text:?}");
            assert_eq!(regress_matches(version, text, ""), expected, "{text:?}");
        }
    }

    #[test]
    fn only_simple_patterns_are_decided() {
        for pattern in [
            r"\d+",           // not anchored at the start
            r"^\d+\$",        // an escaped dollar at the end: left to the engine
            r"^[^0-9]+$",     // a negated class admits non-ASCII text
            r"^[]$",          // an empty class
            r"^[a-\d]$",      // a range ending in a class escape
            r"^[z-a]$",       // a range out of order
            r"^[a-b-c]$",     // a dash after a range
            r"^[ab$",         // an unclosed class
            r"^(a|b)$",       // a group, alternation
            r"^a.b$",         // any character
            r"^a{2,1}$",      // braces out of order
            r"^a{x}$",        // braces that are no quantifier
            r"^a{2}?$",       // lazy
            r"^a+?$",         // lazy
            r"^a{2}{3}$",     // stacked
            r"^\d+\d$",       // a run followed by what it admits: needs backtracking
            r"^a*a$",         // the same
            r"^[a-c]{1,3}b$", // the same, with a class and a bound
            r"^a*b?a$",       // an optional atom after a run
            r"^(a)*a$",       // a repeated group followed by what it begins with
            r"^(a|b)?$",      // alternation in a group
            r"^((a)b)?$",     // a group in a group
            r"^(b?a)*$",      // a group whose first atom may match nothing
            r"^(?=a)a$",      // a lookahead
            r"^a(-b)?",       // a group in an open-ended pattern
            r"^\d+(\d)?$",    // a group that admits what comes before it
            r"^(ab)*a$",      // a group that repeats into what follows it
            r"^(ab+)*b$",     // a run at a group's end followed by what it admits
            r"^\s+$",         // \s admits non-ASCII spaces
            r"^é$",           // not ASCII
        ] {
            assert!(!is_simple(pattern), "{pattern}");
            assert_eq!(matches(pattern, "anything"), None, "{pattern}");
        }
        for pattern in [
            r"^$",
            r"^",
            r"^a\\$",
            r"^\d+-\d+$",
            r"^v\d*\.x?y$",
            r"^ab+c$",
            r"^\d+",
            r"^x-",
            r"^_",
            r"^[A-Z0-9-]{3,20}$",
            r"^[0-9a-f]{16}$",
            r"^[a-z]{2}$",
            r"^#[a-z0-9-]+$",
            r"^\w{2,}$",
            r"^[-.\]]{0,2}x$",
            r"^a?b*c$",
            r"^[a-z0-9]+(-[a-z0-9]+)*$",
            r"^[a-z]{2}(-[A-Z]{2})?$",
            r"^\d+\.\d+(\.\d+)?$",
            r"^(?:ab){2}c$",
        ] {
            assert!(is_simple(pattern), "{pattern}");
        }
        // As many atoms as fit, and one more.
        let longest = format!("^{}$", "a".repeat(MAX_ATOMS));
        assert_eq!(matches(&longest, &"a".repeat(MAX_ATOMS)), Some(true));
        assert_eq!(matches(&longest, &"a".repeat(MAX_ATOMS - 1)), Some(false));
        let too_long = format!("^{}$", "a".repeat(MAX_ATOMS + 1));
        assert_eq!(matches(&too_long, &"a".repeat(MAX_ATOMS + 1)), None);
    }

    #[test]
    fn classes_counts_and_open_ends_are_decided_as_regress_decides() {
        for (pattern, text) in [
            (r"^[A-Z0-9-]{3,20}$", "AB-12"),
            (r"^[A-Z0-9-]{3,20}$", "AB"),
            (r"^[A-Z0-9-]{3,20}$", "ab-12"),
            (r"^[A-Z0-9-]{3,20}$", &"A".repeat(21)),
            (r"^[0-9a-f]{16}$", "00f067aa0ba902b7"),
            (r"^[0-9a-f]{16}$", "00f067aa0ba902b"),
            (r"^x-", "x-vendor"),
            (r"^x-", "y-vendor"),
            (r"^x-", "x"),
            (r"^_", "_hidden"),
            (r"^_", "shown_"),
            (r"^\w{2,}$", "a_1"),
            (r"^\w{2,}$", "a-1"),
            (r"^[a-z]{2}", "en-GB"),
            (r"^[a-z]{2}", "e"),
            (r"^\d{2}\.", "12.5"),
            (r"^[-.\]]{0,2}x$", "-]x"),
            (r"^[-.\]]{0,2}x$", "-.]x"),
            (r"^[a-z0-9]+(-[a-z0-9]+)*$", "winter-sale-2026"),
            (r"^[a-z0-9]+(-[a-z0-9]+)*$", "winter--sale"),
            (r"^[a-z0-9]+(-[a-z0-9]+)*$", "winter-"),
            (r"^[a-z0-9]+(-[a-z0-9]+)*$", "-winter"),
            (r"^[a-z]{2}(-[A-Z]{2})?$", "en"),
            (r"^[a-z]{2}(-[A-Z]{2})?$", "en-GB"),
            (r"^[a-z]{2}(-[A-Z]{2})?$", "en-gb"),
            (r"^[a-z]{2}(-[A-Z]{2})?$", "en-"),
            (r"^\d+\.\d+(\.\d+)?$", "1.2"),
            (r"^\d+\.\d+(\.\d+)?$", "1.2.3"),
            (r"^\d+\.\d+(\.\d+)?$", "1.2.3.4"),
            (r"^(?:ab){2}c$", "ababc"),
            (r"^(?:ab){2}c$", "abc"),
        ] {
            assert_eq!(
                matches(pattern, text),
                Some(regress_matches(pattern, text, "u")),
                "{pattern:?} on {text:?}"
            );
        }
    }

    /// Patterns from the simple grammar and near it, most of them simple.
    fn pattern() -> impl Strategy<Value = String> {
        let atom = prop_oneof![
            Just(r"\d".to_owned()),
            Just(r"\.".to_owned()),
            Just(r"\\".to_owned()),
            Just(r"\$".to_owned()),
            Just("a".to_owned()),
            Just("b".to_owned()),
            Just("1".to_owned()),
            Just("-".to_owned()),
            Just(" ".to_owned()),
            Just(r"\w".to_owned()),
            Just("[a-c]".to_owned()),
            Just("[0-9a]".to_owned()),
            Just(r"[-.\d]".to_owned()),
            Just("[b-]".to_owned()),
            Just("[^a]".to_owned()),
            Just("(-a)".to_owned()),
            Just(r"(\.\d+)".to_owned()),
            Just("(?:ab)".to_owned()),
            Just("(a|b)".to_owned()),
            Just("(b?a)".to_owned()),
        ];
        let quantifier = prop_oneof![
            3 => Just(""),
            1 => Just("?"),
            1 => Just("*"),
            2 => Just("+"),
            1 => Just("{2}"),
            1 => Just("{1,3}"),
            1 => Just("{0,2}"),
            1 => Just("{2,}"),
        ];
        (
            prop::collection::vec((atom, quantifier), 0..6),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(atoms, start, end)| {
                let body: String = atoms.into_iter().map(|(a, q)| a + q).collect();
                format!(
                    "{}{body}{}",
                    if start { "^" } else { "" },
                    if end { "$" } else { "" }
                )
            })
    }

    /// Texts over the characters those patterns use, and a few others.
    fn text() -> impl Strategy<Value = String> {
        "[0-9abcz_.\\\\$ \\n\u{661}é-]{0,8}"
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]
        /// Wherever the fast path decides, it decides as regress does, with and without
        /// the `u` flag.
        #[test]
        fn simple_patterns_match_as_regress_matches(pattern in pattern(), text in text()) {
            if let Some(fast) = matches(&pattern, &text) {
                prop_assert_eq!(fast, regress_matches(&pattern, &text, ""), "{:?} on {:?}", pattern, text);
                prop_assert_eq!(fast, regress_matches(&pattern, &text, "u"), "{:?} on {:?} (u)", pattern, text);
            }
        }

        /// The texts a simple pattern matches are found too: a text built from the
        /// pattern's own atoms is decided as regress decides it.
        #[test]
        fn matching_texts_are_found(
            runs in prop::collection::vec((prop_oneof![Just(r"\d"), Just("a"), Just(r"\."), Just("-")], 0usize..3, 1usize..4), 1..5),
            digits in "[0-9]{12}",
        ) {
            let mut pattern = String::from("^");
            let mut text = String::new();
            let mut digits = digits.chars().cycle();
            for (atom, quantifier, count) in runs {
                pattern.push_str(atom);
                pattern.push_str(["", "?", "+"][quantifier]);
                let count = if quantifier == 1 { count.min(1) } else if quantifier == 0 { 1 } else { count };
                for _ in 0..count {
                    match atom {
                        r"\d" => text.push(digits.next().unwrap_or('0')),
                        "a" => text.push('a'),
                        r"\." => text.push('.'),
                        _ => text.push('-'),
                    }
                }
            }
            pattern.push('$');
            if let Some(fast) = matches(&pattern, &text) {
                prop_assert_eq!(fast, regress_matches(&pattern, &text, "u"), "{:?} on {:?}", pattern, text);
            }
        }
    }
}
