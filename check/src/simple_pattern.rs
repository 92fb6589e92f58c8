//! A fast path for the simplest `pattern`s schemas write, such as a version's
//! `^\d+\.\d+\.\d+$`: matched here in one pass over the text, with the verdict the regular
//! expression engine gives, instead of through regress's backtracking matcher (which cost
//! more than reading the rest of a UUID-laden event's envelope).
//!
//! A pattern is simple when it is anchored at both ends (`^…$`) and between the anchors is
//! a sequence of atoms, each `\d`, an ASCII letter or digit, one of `` -_:@,=#%&'";<>~!` ``
//! or a space, or an escaped syntax character (`\.`, `\/`, …), each with no quantifier or
//! one of `?`, `*`, `+` — and every quantified atom is either the last one or is followed
//! by an atom that must match once or more (none or `+`) and admits no character the
//! quantified one admits. Then a greedy left-to-right match never has to give a character
//! back, so one pass decides exactly what the backtracking engine decides: the atom after
//! a quantified run cannot match any character of the run, so the run must take them all.
//! Every class is ASCII, so a non-ASCII character never matches, under Unicode or UTF-16
//! semantics alike; without the `m` flag, `$` matches only at the end of the text.
//!
//! Anything else (classes, groups, alternation, `.`, braces, lazy quantifiers, unanchored
//! patterns) is not simple: [`matches`] says `None` and the caller asks the engine.

/// What one atom admits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// `\d`: an ASCII digit.
    Digit,
    /// One ASCII byte.
    Byte(u8),
}

impl Class {
    fn admits(self, byte: u8) -> bool {
        match self {
            Class::Digit => byte.is_ascii_digit(),
            Class::Byte(b) => byte == b,
        }
    }

    fn disjoint(self, other: Class) -> bool {
        match (self, other) {
            (Class::Digit, Class::Digit) => false,
            (Class::Digit, Class::Byte(b)) | (Class::Byte(b), Class::Digit) => !b.is_ascii_digit(),
            (Class::Byte(a), Class::Byte(b)) => a != b,
        }
    }
}

/// How many times an atom matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Times {
    /// No quantifier.
    Once,
    /// `?`.
    AtMostOnce,
    /// `*`.
    Any,
    /// `+`.
    AtLeastOnce,
}

/// Unescaped bytes that stand for themselves in a simple pattern (besides ASCII letters
/// and digits): none is special in ECMA-262 outside a class, with or without the `u` flag.
const LITERALS: &[u8] = b"-_:@,=#%&'\";<>~! ";

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
    table
}

const KINDS: [Kind; 128] = kinds();

const fn escapable() -> [bool; 128] {
    let mut table = [false; 128];
    let mut i = 0;
    while i < ESCAPED.len() {
        table[ESCAPED[i] as usize] = true;
        i += 1;
    }
    table
}

const ESCAPABLE: [bool; 128] = escapable();

/// Simple patterns have at most this many atoms; longer ones go to the engine.
const MAX_ATOMS: usize = 24;

/// A simple pattern, read: its atoms in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SimplePattern {
    atoms: [(Class, Times); MAX_ATOMS],
    len: usize,
}

impl SimplePattern {
    /// `pattern` read, when it is simple (see the module documentation).
    pub(crate) fn parse(pattern: &str) -> Option<SimplePattern> {
        let body = pattern.strip_prefix('^')?.strip_suffix('$')?.as_bytes();
        let mut simple = SimplePattern {
            atoms: [(Class::Digit, Times::Once); MAX_ATOMS],
            len: 0,
        };
        let mut at = 0;
        while let Some(&first) = body.get(at) {
            let class = match KINDS.get(usize::from(first)) {
                Some(Kind::Literal) => {
                    at += 1;
                    Class::Byte(first)
                }
                Some(Kind::Escape) => {
                    // A lone trailing backslash means the stripped `$` was escaped.
                    let escaped = *body.get(at + 1)?;
                    at += 2;
                    if escaped == b'd' {
                        Class::Digit
                    } else if ESCAPABLE.get(usize::from(escaped)) == Some(&true) {
                        Class::Byte(escaped)
                    } else {
                        return None;
                    }
                }
                _ => return None,
            };
            let times = match body.get(at) {
                Some(b'?') => Times::AtMostOnce,
                Some(b'*') => Times::Any,
                Some(b'+') => Times::AtLeastOnce,
                _ => Times::Once,
            };
            if times != Times::Once {
                at += 1;
                // `a+?`, `a**`, `a{2}`: lazy or stacked quantifiers are not simple.
                if matches!(body.get(at), Some(b'?' | b'*' | b'+' | b'{')) {
                    return None;
                }
            }
            if let Some(&(before, before_times)) =
                simple.len.checked_sub(1).and_then(|i| simple.atoms.get(i))
            {
                let forced = before_times == Times::Once
                    || (matches!(times, Times::Once | Times::AtLeastOnce)
                        && before.disjoint(class));
                if !forced {
                    return None;
                }
            }
            *simple.atoms.get_mut(simple.len)? = (class, times);
            simple.len += 1;
        }
        Some(simple)
    }

    /// Whether `text` matches, as the engine would decide it.
    pub(crate) fn is_match(&self, text: &str) -> bool {
        let text = text.as_bytes();
        let mut at = 0;
        for &(class, times) in &self.atoms[..self.len] {
            let admitted = |at: usize| text.get(at).is_some_and(|b| class.admits(*b));
            match times {
                Times::Once => {
                    if !admitted(at) {
                        return false;
                    }
                    at += 1;
                }
                Times::AtMostOnce => {
                    if admitted(at) {
                        at += 1;
                    }
                }
                Times::Any | Times::AtLeastOnce => {
                    let start = at;
                    while admitted(at) {
                        at += 1;
                    }
                    if times == Times::AtLeastOnce && at == start {
                        return false;
                    }
                }
            }
        }
        at == text.len()
    }
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
            r"\d+",              // not anchored at the start
            r"^\d+",             // nor at the end
            r"^\d+\$",           // an escaped dollar is no anchor
            r"^[0-9]+$",         // a class
            r"^(a|b)$",          // a group, alternation
            r"^a.b$",            // any character
            r"^a{2}$",           // braces
            r"^a+?$",            // lazy
            r"^\d+\d$",          // a run followed by what it admits: needs backtracking
            r"^a*a$",            // the same
            r"^a*b?a$",          // an optional atom after a run
            r"^a?b*c$",          // an optional atom followed by one that may match nothing
            r"^\w+$",            // an escape other than \d
            r"^é$",              // not ASCII
            r"^\d+\.\d+\.\d+\\", // no end anchor
        ] {
            assert!(!is_simple(pattern), "{pattern}");
            assert_eq!(matches(pattern, "anything"), None, "{pattern}");
        }
        for pattern in [r"^$", r"^a\\$", r"^\d+-\d+$", r"^v\d*\.x?y$", r"^ab+c$"] {
            assert!(is_simple(pattern), "{pattern}");
        }
        // As many atoms as fit, and one more.
        let longest = format!("^{}$", "a".repeat(MAX_ATOMS));
        assert_eq!(matches(&longest, &"a".repeat(MAX_ATOMS)), Some(true));
        assert_eq!(matches(&longest, &"a".repeat(MAX_ATOMS - 1)), Some(false));
        let too_long = format!("^{}$", "a".repeat(MAX_ATOMS + 1));
        assert_eq!(matches(&too_long, &"a".repeat(MAX_ATOMS + 1)), None);
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
        ];
        let quantifier = prop_oneof![
            3 => Just(""),
            1 => Just("?"),
            1 => Just("*"),
            2 => Just("+"),
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
        "[0-9ab.\\\\$ \\n\u{661}é-]{0,8}"
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
