//! A YAML document as a tree that remembers the line of every node.
//!
//! Built from yaml-rust2's event parser rather than its `Yaml` loader, because the
//! loader drops positions and silently keeps the last of two equal keys. The tree is
//! deliberately small: scalars, sequences and mappings with string keys. Tags (such
//! as CloudFormation's `!GetAtt`), anchors and aliases are reported, not interpreted.

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::TScalarStyle;

/// Deeper nesting than this is refused (routing.yaml needs five levels).
const MAX_DEPTH: usize = 64;

/// One node and the 1-based line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub line: usize,
    pub kind: Kind,
}

/// What a node holds.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    /// A scalar: its text, and whether it was plain (unquoted), which decides its type.
    Scalar { text: String, plain: bool },
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in document order, without duplicate keys.
    Map(Vec<Entry>),
}

/// One key and value of a mapping.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    pub key: String,
    pub key_line: usize,
    pub value: Node,
}

/// A problem in the YAML itself, with its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub line: usize,
    pub message: String,
    pub help: String,
}

/// A plain scalar read with YAML 1.2's core schema.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Plain<'a> {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(&'a str),
}

impl Node {
    /// The scalar's value with its YAML type (quoted scalars are always strings).
    pub fn scalar(&self) -> Option<Plain<'_>> {
        match &self.kind {
            Kind::Scalar { text, plain: true } => Some(resolve_plain(text)),
            Kind::Scalar { text, plain: false } => Some(Plain::Str(text)),
            _ => None,
        }
    }

    /// What the node is, for messages: "a mapping", "a list", "the number 3", ...
    pub fn describe(&self) -> String {
        match &self.kind {
            Kind::Seq(_) => "a list".to_owned(),
            Kind::Map(_) => "a mapping".to_owned(),
            Kind::Scalar { .. } => match self.scalar() {
                Some(Plain::Null) | None => "empty".to_owned(),
                Some(Plain::Bool(b)) => format!("the boolean {b}"),
                Some(Plain::Int(i)) => format!("the number {i}"),
                Some(Plain::Float(f)) => format!("the number {f}"),
                Some(Plain::Str(s)) => format!("the text {s:?}"),
            },
        }
    }
}

/// Reads YAML 1.2 core-schema plain scalars: null, booleans, integers, floats, text.
pub(crate) fn resolve_plain(text: &str) -> Plain<'_> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Plain::Null,
        "true" | "True" | "TRUE" => return Plain::Bool(true),
        "false" | "False" | "FALSE" => return Plain::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Plain::Float(f64::INFINITY)
        }
        "-.inf" | "-.Inf" | "-.INF" => return Plain::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Plain::Float(f64::NAN),
        _ => {}
    }
    if let Some(hex) = text.strip_prefix("0x") {
        if let Ok(i) = i128::from_str_radix(hex, 16) {
            return Plain::Int(i);
        }
    }
    if let Some(octal) = text.strip_prefix("0o") {
        if let Ok(i) = i128::from_str_radix(octal, 8) {
            return Plain::Int(i);
        }
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(i) = text.parse::<i128>() {
            return Plain::Int(i);
        }
    }
    if is_core_float(digits) {
        if let Ok(f) = text.parse::<f64>() {
            return Plain::Float(f);
        }
    }
    Plain::Str(text)
}

/// `( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`, after the sign.
fn is_core_float(text: &str) -> bool {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", frac)) => digits(frac),
        Some((int, frac)) => digits(int) && (frac.is_empty() || digits(frac)),
        None => digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e)));
    mantissa_ok && exponent_ok
}

enum Frame {
    Seq {
        line: usize,
        items: Vec<Node>,
    },
    Map {
        line: usize,
        entries: Vec<Entry>,
        pending_key: Option<(String, usize)>,
    },
}

/// Parses one YAML document. Problems that leave the tree readable (a tag, a duplicate
/// key) are reported alongside it; a syntax error leaves no tree.
pub(crate) fn parse(text: &str) -> (Option<Node>, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Node> = None;
    let mut documents = 0usize;
    loop {
        let (event, marker) = match parser.next_token() {
            Ok(next) => next,
            Err(e) => {
                problems.push(Problem {
                    line: e.marker().line(),
                    message: format!("the file is not valid YAML: {}", e.info()),
                    help: "fix the YAML syntax at that line".to_owned(),
                });
                return (None, problems);
            }
        };
        let line = marker.line();
        let node = match event {
            Event::StreamEnd => break,
            Event::StreamStart | Event::DocumentEnd | Event::Nothing => continue,
            Event::DocumentStart => {
                documents += 1;
                if documents == 2 {
                    problems.push(Problem {
                        line,
                        message: "the file holds more than one YAML document".to_owned(),
                        help: "keep one document: remove the `---` separator and merge the parts"
                            .to_owned(),
                    });
                }
                continue;
            }
            Event::Alias(_) => {
                problems.push(anchor_problem(line));
                Node {
                    line,
                    kind: Kind::Scalar {
                        text: String::new(),
                        plain: true,
                    },
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                if anchor > 0 {
                    problems.push(anchor_problem(line));
                }
                if let Some(tag) = tag {
                    problems.push(tag_problem(line, &format!("{}{}", tag.handle, tag.suffix)));
                }
                Node {
                    line,
                    kind: Kind::Scalar {
                        text,
                        plain: style == TScalarStyle::Plain,
                    },
                }
            }
            Event::SequenceStart(anchor, ref tag) | Event::MappingStart(anchor, ref tag) => {
                if anchor > 0 {
                    problems.push(anchor_problem(line));
                }
                if let Some(tag) = tag {
                    problems.push(tag_problem(line, &format!("{}{}", tag.handle, tag.suffix)));
                }
                if stack.len() >= MAX_DEPTH {
                    problems.push(Problem {
                        line,
                        message: format!("the document nests deeper than {MAX_DEPTH} levels"),
                        help: "routing.yaml needs five levels at most; flatten the structure"
                            .to_owned(),
                    });
                    return (None, problems);
                }
                stack.push(if matches!(event, Event::SequenceStart(..)) {
                    Frame::Seq {
                        line,
                        items: Vec::new(),
                    }
                } else {
                    Frame::Map {
                        line,
                        entries: Vec::new(),
                        pending_key: None,
                    }
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::Seq { line, items }) => Node {
                    line,
                    kind: Kind::Seq(items),
                },
                Some(Frame::Map { line, entries, .. }) => Node {
                    line,
                    kind: Kind::Map(entries),
                },
                // The parser balances its events; an unmatched end has nothing to close.
                None => continue,
            },
        };
        match stack.last_mut() {
            None => {
                if root.is_none() {
                    root = Some(node);
                }
            }
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                entries,
                pending_key,
                ..
            }) => match pending_key.take() {
                None => match node.kind {
                    Kind::Scalar { text, .. } => *pending_key = Some((text, node.line)),
                    _ => {
                        problems.push(Problem {
                            line: node.line,
                            message: format!("a mapping key is {}, not text", node.describe()),
                            help: "write keys as plain text".to_owned(),
                        });
                        // Keep the entry readable: its value is still checked under "?".
                        *pending_key = Some(("?".to_owned(), node.line));
                    }
                },
                Some((key, key_line)) => {
                    if let Some(first) = entries.iter().find(|e| e.key == key) {
                        problems.push(Problem {
                            line: key_line,
                            message: format!(
                                "the key {key:?} appears twice in one mapping (first at line {})",
                                first.key_line
                            ),
                            help: "keep one of them: YAML readers disagree on which one wins"
                                .to_owned(),
                        });
                    } else {
                        entries.push(Entry {
                            key,
                            key_line,
                            value: node,
                        });
                    }
                }
            },
        }
    }
    (root, problems)
}

fn anchor_problem(line: usize) -> Problem {
    Problem {
        line,
        message: "YAML anchors (&name) and aliases (*name) are not supported in routing.yaml"
            .to_owned(),
        help: "write each value out where it is used".to_owned(),
    }
}

fn tag_problem(line: usize, tag: &str) -> Problem {
    Problem {
        line,
        message: format!("YAML tags such as {tag} are not supported in routing.yaml"),
        help: "name queues and topics by their names, e.g. `deadLetterQueue: notifications-dlq`, not with CloudFormation tags".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(text: &str) -> Node {
        let (node, problems) = parse(text);
        assert_eq!(problems, []);
        node.unwrap_or_else(|| panic!("no tree for {text}"))
    }

    #[test]
    fn lines_are_one_based_and_keys_keep_theirs() {
        let node = tree("# comment\na: 1\nb:\n  - x\n  - 'y'\n");
        let Kind::Map(entries) = &node.kind else {
            panic!("{node:?}")
        };
        assert_eq!(entries[0].key, "a");
        assert_eq!(entries[0].key_line, 2);
        assert_eq!(entries[0].value.line, 2);
        assert_eq!(entries[1].key_line, 3);
        let Kind::Seq(items) = &entries[1].value.kind else {
            panic!("{node:?}")
        };
        assert_eq!(items[0].line, 4);
        assert_eq!(items[1].line, 5);
        assert_eq!(items[1].scalar(), Some(Plain::Str("y")));
    }

    #[test]
    fn plain_scalars_follow_the_core_schema() {
        assert_eq!(resolve_plain("30"), Plain::Int(30));
        assert_eq!(resolve_plain("-7"), Plain::Int(-7));
        assert_eq!(resolve_plain("0x1F"), Plain::Int(31));
        assert_eq!(resolve_plain("0o17"), Plain::Int(15));
        assert_eq!(resolve_plain("2.5"), Plain::Float(2.5));
        assert_eq!(resolve_plain("1e3"), Plain::Float(1000.0));
        assert_eq!(resolve_plain(".5"), Plain::Float(0.5));
        assert_eq!(resolve_plain("true"), Plain::Bool(true));
        assert_eq!(resolve_plain("~"), Plain::Null);
        // YAML 1.1's booleans are text in 1.2.
        assert_eq!(resolve_plain("yes"), Plain::Str("yes"));
        assert_eq!(resolve_plain("1.2.3"), Plain::Str("1.2.3"));
        assert_eq!(resolve_plain("e3"), Plain::Str("e3"));
        assert_eq!(
            resolve_plain("notifications-queue"),
            Plain::Str("notifications-queue")
        );
    }

    #[test]
    fn quoted_numbers_stay_text() {
        let node = tree("a: \"30\"\n");
        let Kind::Map(entries) = &node.kind else {
            panic!("{node:?}")
        };
        assert_eq!(entries[0].value.scalar(), Some(Plain::Str("30")));
    }

    #[test]
    fn tags_anchors_and_duplicates_are_reported_with_lines() {
        let (node, problems) = parse("a: !GetAtt X.Arn\nb: &x 1\nc: *x\na: 2\n");
        assert!(node.is_some());
        let lines: Vec<(usize, &str)> = problems
            .iter()
            .map(|p| (p.line, p.message.as_str()))
            .collect();
        assert_eq!(
            lines,
            [
                (
                    1,
                    "YAML tags such as !GetAtt are not supported in routing.yaml"
                ),
                (
                    2,
                    "YAML anchors (&name) and aliases (*name) are not supported in routing.yaml"
                ),
                (
                    3,
                    "YAML anchors (&name) and aliases (*name) are not supported in routing.yaml"
                ),
                (
                    4,
                    "the key \"a\" appears twice in one mapping (first at line 1)"
                ),
            ]
        );
    }

    #[test]
    fn syntax_errors_name_their_line() {
        let (node, problems) = parse("a:\n  b: [1, 2\nc: 3\n");
        assert_eq!(node, None);
        assert_eq!(problems.len(), 1);
        assert!(problems[0]
            .message
            .starts_with("the file is not valid YAML: "));
        assert_eq!(problems[0].line, 3);
    }

    #[test]
    fn deep_nesting_is_refused_without_recursion() {
        // Flow collections hit the parser's own limit first.
        let (node, problems) = parse(&"[".repeat(10_000));
        assert_eq!(node, None);
        assert_eq!(problems.len(), 1);
        assert_eq!(
            problems[0].message,
            "the file is not valid YAML: recursion limit exceeded"
        );
        // Block mappings reach ours.
        let text: String = (0..100)
            .map(|depth| format!("{}a:\n", " ".repeat(depth)))
            .collect();
        let (node, problems) = parse(&text);
        assert_eq!(node, None);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line, 65);
        assert_eq!(
            problems[0].message,
            "the document nests deeper than 64 levels"
        );
    }

    #[test]
    fn a_second_document_is_reported() {
        let (_, problems) = parse("a: 1\n---\nb: 2\n");
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line, 2);
    }
}
