//! `regex`: ECMA-262 regular expression syntax, read as the oracle reads it.

/// `format: regex`: the `Pattern[+UnicodeMode, +NamedCaptureGroups]` grammar of
/// ECMA-262 (2025, so with duplicate group names in different alternatives and
/// `(?ims-ims:...)` modifier groups), widened as the oracle widens it: a backslash may
/// escape any character that is not alphanumeric (`\:`, `\-`, `\ ` pass), as patterns
/// without the `u` flag allow.
///
/// Worth knowing:
/// - `\p{...}` and `\P{...}` are checked for shape only (`\p{Foo}` and `\p{A=B}` pass,
///   `\pL` and `\p{}` do not);
/// - group names start with a letter, `$` or `_` and go on with letters, digits, `$`,
///   `_`, U+200C and U+200D (Rust's `is_alphabetic`/`is_alphanumeric` stand in for
///   `ID_Start`/`ID_Continue`), possibly written as `\u` escapes;
/// - `\1`..`\N` must not exceed the number of capturing groups, `\k<n>` must name one;
/// - refused: lone `{`, `}` or `]`, `\a` and other escaped letters, octal `\01`, `\c1`,
///   `\x4`, `\u{110000}`, ranges out of order or with a class escape as an end (`[z-a]`,
///   `[\w-a]`), quantified assertions (`^*`, `(?=a)+`), double quantifiers, Perl and
///   Python extensions (`(?i)`, `(?P<n>a)`, `(?#...)`, `\A`, `\z`).
///
/// Allocates for patterns with groups (to track group names).
pub fn is_regex(text: &str) -> bool {
    Parser {
        pattern: text,
        at: 0,
        open: Vec::new(),
        outer: Names::default(),
        capturing_groups: 0,
        largest_backreference: 0,
        named_references: Vec::new(),
        all_names: Vec::new(),
    }
    .pattern()
    .is_some()
}

/// What the last thing read was, which decides whether a quantifier may follow.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Last {
    /// The start of the pattern, of an alternative or of a group.
    Start,
    /// Something a quantifier applies to: a character, a class, a group.
    Atom,
    /// `^`, `$`, `\b`, `\B` or a lookaround, which may not be quantified.
    Assertion,
    Quantifier,
}

/// Group names declared in one disjunction: in the alternative being read (names of the
/// groups closed inside it included) and in the alternatives already read.
#[derive(Default)]
struct Names {
    current: Vec<String>,
    earlier: Vec<String>,
}

struct Group {
    lookaround: bool,
    names: Names,
}

struct Parser<'a> {
    pattern: &'a str,
    at: usize,
    open: Vec<Group>,
    /// The names of the top-level disjunction.
    outer: Names,
    capturing_groups: u64,
    largest_backreference: u64,
    named_references: Vec<String>,
    all_names: Vec<String>,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<char> {
        self.pattern[self.at..].chars().next()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += c.len_utf8();
        Some(c)
    }

    fn eat(&mut self, expected: char) -> bool {
        let found = self.peek() == Some(expected);
        if found {
            self.at += expected.len_utf8();
        }
        found
    }

    fn pattern(mut self) -> Option<()> {
        let mut last = Last::Start;
        while let Some(c) = self.next() {
            last = match c {
                '|' => {
                    let names = self.innermost_names();
                    let current = std::mem::take(&mut names.current);
                    names.earlier.extend(current);
                    Last::Start
                }
                '(' => {
                    self.open_group()?;
                    Last::Start
                }
                ')' => {
                    let group = self.open.pop()?;
                    let parent = self.innermost_names();
                    parent.current.extend(group.names.current);
                    parent.current.extend(group.names.earlier);
                    if group.lookaround {
                        Last::Assertion
                    } else {
                        Last::Atom
                    }
                }
                '*' | '+' | '?' => self.quantify(last)?,
                '{' => {
                    self.braced_quantifier()?;
                    self.quantify(last)?
                }
                '}' | ']' => return None,
                '^' | '$' => Last::Assertion,
                '\\' => self.atom_escape()?,
                '[' => {
                    self.class()?;
                    Last::Atom
                }
                _ => Last::Atom,
            };
        }
        let referenced_names_exist = self
            .named_references
            .iter()
            .all(|name| self.all_names.contains(name));
        (self.open.is_empty()
            && self.largest_backreference <= self.capturing_groups
            && referenced_names_exist)
            .then_some(())
    }

    fn innermost_names(&mut self) -> &mut Names {
        match self.open.last_mut() {
            Some(group) => &mut group.names,
            None => &mut self.outer,
        }
    }

    /// After a quantifier: its optional lazy `?`; it applies only to an atom.
    fn quantify(&mut self, last: Last) -> Option<Last> {
        self.eat('?');
        (last == Last::Atom).then_some(Last::Quantifier)
    }

    /// After `(`: a capturing, named, non-capturing, modifier or lookaround group.
    fn open_group(&mut self) -> Option<()> {
        let mut lookaround = false;
        if self.eat('?') {
            match self.next()? {
                ':' => {}
                '=' | '!' => lookaround = true,
                '<' if self.eat('=') || self.eat('!') => lookaround = true,
                '<' => {
                    let name = self.group_name()?;
                    self.declare(name)?;
                    self.capturing_groups += 1;
                }
                first => self.modifiers(first)?,
            }
        } else {
            self.capturing_groups += 1;
        }
        self.open.push(Group {
            lookaround,
            names: Names::default(),
        });
        Some(())
    }

    /// A name may repeat only in another alternative of some enclosing disjunction, so
    /// it may not be in the current alternative of any open one.
    fn declare(&mut self, name: String) -> Option<()> {
        let taken = self.outer.current.contains(&name)
            || self
                .open
                .iter()
                .any(|group| group.names.current.contains(&name));
        if taken {
            return None;
        }
        self.all_names.push(name.clone());
        self.innermost_names().current.push(name);
        Some(())
    }

    /// `(?ims-ims:` after its `?`, `first` read: at least one flag, none twice.
    fn modifiers(&mut self, first: char) -> Option<()> {
        let mut seen = 0u8;
        let mut dash = false;
        let mut c = first;
        while c != ':' {
            let flag = match c {
                'i' => 1,
                'm' => 2,
                's' => 4,
                '-' if !dash => {
                    dash = true;
                    0
                }
                _ => return None,
            };
            if seen & flag != 0 {
                return None;
            }
            seen |= flag;
            c = self.next()?;
        }
        (seen != 0).then_some(())
    }

    /// `GroupName` after its `<`, through its `>`; the name with escapes decoded.
    fn group_name(&mut self) -> Option<String> {
        let mut name = String::new();
        loop {
            let c = match self.next()? {
                '>' => break,
                '\\' => {
                    if !self.eat('u') {
                        return None;
                    }
                    char::from_u32(self.unicode_escape()?)?
                }
                c => c,
            };
            let allowed = if name.is_empty() {
                c.is_alphabetic() || c == '$' || c == '_'
            } else {
                c.is_alphanumeric() || matches!(c, '$' | '_' | '\u{200C}' | '\u{200D}')
            };
            if !allowed {
                return None;
            }
            name.push(c);
        }
        (!name.is_empty()).then_some(name)
    }

    /// After `{`: `n}`, `n,}` or `n,m}` with `n <= m`, bounds of any size.
    fn braced_quantifier(&mut self) -> Option<()> {
        let low = self.digits()?;
        if self.eat(',') && self.peek() != Some('}') {
            let high = self.digits()?;
            let (low, high) = (low.trim_start_matches('0'), high.trim_start_matches('0'));
            if (low.len(), low) > (high.len(), high) {
                return None;
            }
        }
        self.eat('}').then_some(())
    }

    /// One or more ASCII digits.
    fn digits(&mut self) -> Option<&'a str> {
        let start = self.at;
        let count = self.pattern[start..]
            .bytes()
            .take_while(u8::is_ascii_digit)
            .count();
        self.at += count;
        (count > 0).then(|| &self.pattern[start..start + count])
    }

    /// An escape outside a class, after its `\`.
    fn atom_escape(&mut self) -> Option<Last> {
        match self.next()? {
            'b' | 'B' => return Some(Last::Assertion),
            'd' | 'D' | 's' | 'S' | 'w' | 'W' => {}
            'p' | 'P' => self.property()?,
            'k' => {
                if !self.eat('<') {
                    return None;
                }
                let name = self.group_name()?;
                self.named_references.push(name);
            }
            '1'..='9' => {
                self.at -= 1;
                let number = self.digits()?.parse().unwrap_or(u64::MAX);
                self.largest_backreference = self.largest_backreference.max(number);
            }
            c => {
                self.character_escape(c)?;
            }
        }
        Some(Last::Atom)
    }

    /// `CharacterEscape` after its first character `c`: the code point it stands for.
    fn character_escape(&mut self, c: char) -> Option<u32> {
        Some(match c {
            'f' => 0x0C,
            'n' => 0x0A,
            'r' => 0x0D,
            't' => 0x09,
            'v' => 0x0B,
            'c' => {
                let letter = self.next()?;
                if !letter.is_ascii_alphabetic() {
                    return None;
                }
                u32::from(letter) % 32
            }
            '0' if !self.peek().is_some_and(|d| d.is_ascii_digit()) => 0,
            'x' => {
                let high = self.hex_digit()?;
                high * 16 + self.hex_digit()?
            }
            'u' => self.unicode_escape()?,
            c if !c.is_alphanumeric() => u32::from(c),
            _ => return None,
        })
    }

    fn hex_digit(&mut self) -> Option<u32> {
        self.next()?.to_digit(16)
    }

    /// After `\u`: `{hex}` up to U+10FFFF, or four hex digits, a lead surrogate joining
    /// a trail surrogate written as a second `\uXXXX` right after it.
    fn unicode_escape(&mut self) -> Option<u32> {
        if self.eat('{') {
            let mut value: u32 = 0;
            let mut any = false;
            while !self.eat('}') {
                value = value.saturating_mul(16).saturating_add(self.hex_digit()?);
                any = true;
            }
            return (any && value <= 0x10_FFFF).then_some(value);
        }
        let lead = self.four_hex_digits()?;
        if (0xD800..0xDC00).contains(&lead) && self.pattern[self.at..].starts_with("\\u") {
            let before_trail = self.at;
            self.at += 2;
            match self.four_hex_digits() {
                Some(trail) if (0xDC00..0xE000).contains(&trail) => {
                    return Some(0x1_0000 + ((lead - 0xD800) << 10) + (trail - 0xDC00));
                }
                _ => self.at = before_trail,
            }
        }
        Some(lead)
    }

    fn four_hex_digits(&mut self) -> Option<u32> {
        (0..4).try_fold(0, |value, _| Some(value * 16 + self.hex_digit()?))
    }

    /// After `\p` or `\P`: `{Name}` or `{Name=Value}`, each `[A-Za-z0-9_]+`.
    fn property(&mut self) -> Option<()> {
        if !self.eat('{') {
            return None;
        }
        self.property_word()?;
        if self.eat('=') {
            self.property_word()?;
        }
        self.eat('}').then_some(())
    }

    fn property_word(&mut self) -> Option<()> {
        let count = self.pattern[self.at..]
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count();
        self.at += count;
        (count > 0).then_some(())
    }

    /// A character class after its `[`.
    fn class(&mut self) -> Option<()> {
        self.eat('^');
        loop {
            if self.eat(']') {
                return Some(());
            }
            let start = self.class_atom()?;
            // A `-` before the closing bracket is itself, not a range.
            if self.peek() == Some('-') && !self.pattern[self.at + 1..].starts_with(']') {
                self.at += 1;
                let end = self.class_atom()?;
                if !matches!((start, end), (Some(start), Some(end)) if start <= end) {
                    return None;
                }
            }
        }
    }

    /// One class atom: the code point it stands for, or `None` for a set such as `\d`.
    fn class_atom(&mut self) -> Option<Option<u32>> {
        let c = self.next()?;
        if c != '\\' {
            return Some(Some(u32::from(c)));
        }
        Some(match self.next()? {
            'b' => Some(0x08),
            '-' => Some(u32::from('-')),
            'd' | 'D' | 's' | 'S' | 'w' | 'W' => None,
            'p' | 'P' => {
                self.property()?;
                None
            }
            c => Some(self.character_escape(c)?),
        })
    }
}
