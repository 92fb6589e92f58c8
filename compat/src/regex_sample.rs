//! Builds strings that match an ECMA-262 pattern, so that generated instances satisfy
//! `pattern` (the envelope's `version`, a SKU format, ...).
//!
//! The parser covers the syntax schemas use: literals, escapes, classes, `.`, groups,
//! alternation, anchors and quantifiers. Lookarounds and word boundaries generate
//! nothing and backreferences make the pattern unsupported; every sample is checked
//! against the real regex engine, so an approximation can only cost a sample, never
//! produce a wrong one.

use crate::values::pattern_matches;

#[derive(Debug, Clone)]
enum Node {
    Empty,
    Literal(char),
    Class {
        ranges: Vec<(char, char)>,
        negated: bool,
    },
    Any,
    Seq(Vec<Node>),
    Alt(Vec<Node>),
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
    },
}

/// How a sample chooses where the pattern leaves a choice.
#[derive(Debug, Clone, Copy)]
struct Strategy {
    extra_repeats: u32,
    alternative: usize,
    class_choice: usize,
}

/// Strings that match `pattern` (verified), shortest first; empty when none could be built.
pub(crate) fn matching(pattern: &str, limit: usize) -> Vec<String> {
    let Some(ast) = Parser::new(pattern).parse() else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    for extra_repeats in [0, 1, 2, 4, 9, 17] {
        for alternative in 0..3 {
            for class_choice in 0..2 {
                let strategy = Strategy {
                    extra_repeats,
                    alternative,
                    class_choice,
                };
                let mut text = String::new();
                if generate(&ast, strategy, &mut text, 0).is_none() {
                    continue;
                }
                if !out.contains(&text) && pattern_matches(pattern, &text) == Some(true) {
                    out.push(text);
                }
                if out.len() >= limit {
                    return out;
                }
            }
        }
    }
    out.sort_by_key(|s| s.chars().count());
    out
}

/// A string of a length in `min..=max` characters that matches `pattern`, when one is found.
pub(crate) fn matching_with_length(pattern: &str, min: u64, max: Option<u64>) -> Vec<String> {
    let fits = |s: &str| {
        let n = s.chars().count() as u64;
        n >= min && max.is_none_or(|m| n <= m)
    };
    let samples = matching(pattern, 24);
    let mut out: Vec<String> = samples.iter().filter(|s| fits(s)).cloned().collect();
    if out.is_empty() {
        // Unanchored patterns match inside a longer string: pad on the side without an anchor.
        for s in &samples {
            let len = s.chars().count() as u64;
            if len >= min {
                continue;
            }
            let pad = "a".repeat((min - len) as usize);
            for candidate in [format!("{s}{pad}"), format!("{pad}{s}")] {
                if fits(&candidate) && pattern_matches(pattern, &candidate) == Some(true) {
                    out.push(candidate);
                }
            }
        }
    }
    out
}

fn generate(node: &Node, s: Strategy, out: &mut String, depth: usize) -> Option<()> {
    if depth > 200 || out.len() > 100_000 {
        return None;
    }
    match node {
        Node::Empty => {}
        Node::Literal(c) => out.push(*c),
        Node::Any => out.push(if s.class_choice == 0 { 'a' } else { 'b' }),
        Node::Class { ranges, negated } => {
            out.push(pick_class_char(ranges, *negated, s.class_choice)?)
        }
        Node::Seq(items) => {
            for item in items {
                generate(item, s, out, depth + 1)?;
            }
        }
        Node::Alt(branches) => {
            let branch = branches.get(s.alternative % branches.len().max(1))?;
            generate(branch, s, out, depth + 1)?;
        }
        Node::Repeat { node, min, max } => {
            let mut n = min.saturating_add(s.extra_repeats);
            if let Some(max) = max {
                n = n.min(*max);
            }
            for _ in 0..n.min(1000) {
                generate(node, s, out, depth + 1)?;
            }
        }
    }
    Some(())
}

fn in_ranges(ranges: &[(char, char)], c: char) -> bool {
    ranges.iter().any(|(lo, hi)| *lo <= c && c <= *hi)
}

fn pick_class_char(ranges: &[(char, char)], negated: bool, choice: usize) -> Option<char> {
    const PREFERRED: [char; 12] = ['a', 'A', '0', 'b', 'B', '1', '_', '-', '.', ' ', '~', '!'];
    if negated {
        return PREFERRED
            .iter()
            .copied()
            .filter(|c| !in_ranges(ranges, *c))
            .nth(choice % 2)
            .or_else(|| PREFERRED.iter().copied().find(|c| !in_ranges(ranges, *c)));
    }
    let preferred: Vec<char> = PREFERRED
        .iter()
        .copied()
        .filter(|c| in_ranges(ranges, *c))
        .collect();
    if let Some(c) = preferred.get(choice % preferred.len().max(1)) {
        return Some(*c);
    }
    ranges.get(choice % ranges.len().max(1)).map(|(lo, _)| *lo)
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    depth: usize,
}

impl Parser {
    fn new(pattern: &str) -> Self {
        Parser {
            chars: pattern.chars().collect(),
            pos: 0,
            depth: 0,
        }
    }

    fn parse(mut self) -> Option<Node> {
        let node = self.alternation()?;
        (self.pos == self.chars.len()).then_some(node)
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn alternation(&mut self) -> Option<Node> {
        self.depth += 1;
        if self.depth > 100 {
            return None;
        }
        let mut branches = vec![self.sequence()?];
        while self.eat('|') {
            branches.push(self.sequence()?);
        }
        self.depth -= 1;
        Some(if branches.len() == 1 {
            branches.pop()?
        } else {
            Node::Alt(branches)
        })
    }

    fn sequence(&mut self) -> Option<Node> {
        let mut items = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom()?;
            let atom = self.quantifier(atom)?;
            items.push(atom);
        }
        Some(Node::Seq(items))
    }

    fn quantifier(&mut self, atom: Node) -> Option<Node> {
        let (min, max) = match self.peek() {
            Some('*') => {
                self.pos += 1;
                (0, None)
            }
            Some('+') => {
                self.pos += 1;
                (1, None)
            }
            Some('?') => {
                self.pos += 1;
                (0, Some(1))
            }
            Some('{') => match self.braces() {
                Some(bounds) => bounds,
                None => return Some(atom),
            },
            _ => return Some(atom),
        };
        self.eat('?'); // lazy: same strings
        Some(Node::Repeat {
            node: Box::new(atom),
            min,
            max,
        })
    }

    /// `{n}`, `{n,}`, `{n,m}`; anything else is a literal `{` (as in Annex B).
    fn braces(&mut self) -> Option<(u32, Option<u32>)> {
        let start = self.pos;
        self.pos += 1;
        let number = |p: &mut Parser| -> Option<u32> {
            let from = p.pos;
            while p.peek().is_some_and(|c| c.is_ascii_digit()) {
                p.pos += 1;
            }
            let text: String = p.chars[from..p.pos].iter().collect();
            text.parse().ok()
        };
        let result = (|| {
            let min = number(self)?;
            let max = if self.eat(',') {
                if self.peek() == Some('}') {
                    None
                } else {
                    Some(number(self)?)
                }
            } else {
                Some(min)
            };
            self.eat('}').then_some((min, max))
        })();
        if result.is_none() {
            self.pos = start;
        }
        result
    }

    fn atom(&mut self) -> Option<Node> {
        let c = self.peek()?;
        self.pos += 1;
        Some(match c {
            '^' | '$' => Node::Empty,
            '.' => Node::Any,
            '(' => {
                let mut lookaround = false;
                if self.eat('?') {
                    match self.peek()? {
                        ':' => self.pos += 1,
                        '=' | '!' => {
                            self.pos += 1;
                            lookaround = true;
                        }
                        '<' => {
                            self.pos += 1;
                            if self.eat('=') || self.eat('!') {
                                lookaround = true;
                            } else {
                                while self.peek()? != '>' {
                                    self.pos += 1;
                                }
                                self.pos += 1;
                            }
                        }
                        _ => return None,
                    }
                }
                let inner = self.alternation()?;
                if !self.eat(')') {
                    return None;
                }
                if lookaround {
                    Node::Empty
                } else {
                    inner
                }
            }
            '[' => self.class()?,
            '\\' => self.escape(false)?,
            '{' => {
                // A `{` that does not start a quantifier is a literal in Annex B patterns.
                Node::Literal('{')
            }
            ')' | '*' | '+' | '?' => return None,
            other => Node::Literal(other),
        })
    }

    fn class(&mut self) -> Option<Node> {
        let negated = self.eat('^');
        let mut ranges: Vec<(char, char)> = Vec::new();
        let mut first = true;
        loop {
            let c = self.peek()?;
            if c == ']' && !first {
                self.pos += 1;
                break;
            }
            if c == ']' {
                // `[]` matches nothing; `[^]` matches anything.
                self.pos += 1;
                return Some(if negated {
                    Node::Any
                } else {
                    Node::Class {
                        ranges: Vec::new(),
                        negated: false,
                    }
                });
            }
            first = false;
            let lo = self.class_atom(&mut ranges)?;
            let Some(lo) = lo else { continue };
            if self.peek() == Some('-') && self.chars.get(self.pos + 1) != Some(&']') {
                self.pos += 1;
                let hi = self.class_atom(&mut ranges)?;
                match hi {
                    Some(hi) if hi >= lo => ranges.push((lo, hi)),
                    Some(_) => return None,
                    None => {
                        ranges.push((lo, lo));
                        ranges.push(('-', '-'));
                    }
                }
            } else {
                ranges.push((lo, lo));
            }
        }
        Some(Node::Class { ranges, negated })
    }

    /// One class member: a character (returned), or a class escape added to `ranges` (`None`).
    fn class_atom(&mut self, ranges: &mut Vec<(char, char)>) -> Option<Option<char>> {
        let c = self.peek()?;
        self.pos += 1;
        if c != '\\' {
            return Some(Some(c));
        }
        match self.escape(true)? {
            Node::Literal(ch) => Some(Some(ch)),
            Node::Class { ranges: more, .. } => {
                ranges.extend(more);
                Some(None)
            }
            _ => Some(None),
        }
    }

    fn escape(&mut self, in_class: bool) -> Option<Node> {
        let c = self.peek()?;
        self.pos += 1;
        let class = |ranges: Vec<(char, char)>, negated: bool| Node::Class { ranges, negated };
        let digits = vec![('0', '9')];
        let word = vec![('a', 'z'), ('A', 'Z'), ('0', '9'), ('_', '_')];
        let space = vec![(' ', ' '), ('\t', '\t'), ('\n', '\n'), ('\r', '\r')];
        Some(match c {
            'd' => class(digits, false),
            'w' => class(word, false),
            's' => class(space, false),
            // Inside a class a negated escape is approximated by a few members outside it.
            'D' if in_class => class(vec![('a', 'z')], false),
            'W' if in_class => class(vec![('-', '-'), ('~', '~')], false),
            'S' if in_class => class(vec![('a', 'z')], false),
            'D' => class(digits, true),
            'W' => class(word, true),
            'S' => class(space, true),
            'b' if in_class => Node::Literal('\u{8}'),
            'b' | 'B' => Node::Empty,
            'n' => Node::Literal('\n'),
            'r' => Node::Literal('\r'),
            't' => Node::Literal('\t'),
            'v' => Node::Literal('\u{b}'),
            'f' => Node::Literal('\u{c}'),
            '0' => Node::Literal('\0'),
            '1'..='9' => return None, // backreference
            'x' => {
                let hex: String = self.chars.get(self.pos..self.pos + 2)?.iter().collect();
                self.pos += 2;
                Node::Literal(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?)
            }
            'u' => {
                if self.eat('{') {
                    let from = self.pos;
                    while self.peek()? != '}' {
                        self.pos += 1;
                    }
                    let hex: String = self.chars[from..self.pos].iter().collect();
                    self.pos += 1;
                    Node::Literal(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?)
                } else {
                    let hex: String = self.chars.get(self.pos..self.pos + 4)?.iter().collect();
                    self.pos += 4;
                    Node::Literal(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?)
                }
            }
            'c' => {
                let letter = self.peek()?;
                self.pos += 1;
                Node::Literal(char::from_u32(letter as u32 % 32)?)
            }
            'p' | 'P' => {
                // Unicode property classes: approximated by ASCII letters, then verified.
                if self.eat('{') {
                    while self.peek()? != '}' {
                        self.pos += 1;
                    }
                    self.pos += 1;
                }
                class(vec![('a', 'z'), ('A', 'Z')], c == 'P')
            }
            other => Node::Literal(other),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_match_common_patterns() {
        for pattern in [
            r"^\d+\.\d+\.\d+$",
            "^[A-Z]{3}-[0-9]{4}$",
            "^(red|green|blue)$",
            r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$",
            "a+b*c?",
            r"^\w{2,5}(?:-\w+)*$",
            r"^[\u0041-\u005A]+$",
            "^x{2}y{1,}z{0,3}$",
            "(?=a)a",
            "^$",
        ] {
            let samples = matching(pattern, 8);
            assert!(!samples.is_empty(), "no sample for {pattern}");
            for s in &samples {
                assert_eq!(
                    pattern_matches(pattern, s),
                    Some(true),
                    "{s:?} for {pattern}"
                );
            }
        }
        assert_eq!(matching(r"^\d+\.\d+\.\d+$", 1), vec!["0.0.0".to_owned()]);
    }

    #[test]
    fn lengths_are_met_by_choice_or_padding() {
        let s = matching_with_length("^[a-z]+$", 5, Some(6));
        assert!(!s.is_empty());
        assert!(s.iter().all(|x| (5..=6).contains(&x.chars().count())));
        let padded = matching_with_length("ab", 6, None);
        assert!(padded
            .iter()
            .all(|x| x.contains("ab") && x.chars().count() >= 6));
        assert!(!padded.is_empty());
        assert!(matching_with_length("^ab$", 6, None).is_empty());
    }

    #[test]
    fn unsupported_or_broken_patterns_give_nothing() {
        assert!(matching(r"(a)\1", 4).is_empty());
        assert!(matching("(ab", 4).is_empty());
        assert!(matching("[z-a]", 4).is_empty());
    }
}
