//! Finds the line of the value a JSON pointer names, in JSON text as written.
//!
//! serde_json keeps no positions in a `Value`, and a diagnostic without a line
//! makes the reader search. This is a small scanner that follows the pointer
//! through the text without building anything. Depth is bounded, so hostile
//! text cannot overflow the stack: past the bound the line is simply unknown.

const MAX_DEPTH: usize = 512;

/// The 1-based line where the value at `pointer` starts, if the text has it.
pub fn line_of(text: &str, pointer: &str) -> Option<usize> {
    let offset = offset_of(text, pointer)?;
    Some(
        text.as_bytes()[..offset]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1,
    )
}

/// The byte offset where the value at `pointer` starts.
pub fn offset_of(text: &str, pointer: &str) -> Option<usize> {
    let tokens = crate::diag::pointer_tokens(pointer);
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        pos: 0,
    };
    scanner.skip_ws();
    for token in &tokens {
        match scanner.peek()? {
            b'{' => scanner.enter_member(token)?,
            b'[' => scanner.enter_element(token.parse().ok()?)?,
            _ => return None,
        }
    }
    Some(scanner.pos)
}

struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.pos += 1;
        }
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        self.skip_ws();
        (self.peek()? == byte).then(|| self.pos += 1)
    }

    /// Reads a string token and returns its unescaped contents.
    fn string(&mut self) -> Option<String> {
        self.skip_ws();
        let start = self.pos;
        self.expect(b'"')?;
        loop {
            match self.peek()? {
                b'\\' => self.pos += 2,
                b'"' => {
                    self.pos += 1;
                    break;
                }
                _ => self.pos += 1,
            }
        }
        let raw = std::str::from_utf8(self.bytes.get(start..self.pos)?).ok()?;
        serde_json::from_str(raw).ok()
    }

    /// Skips one whole value.
    fn skip_value(&mut self, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_ws();
        match self.peek()? {
            b'"' => {
                self.string()?;
            }
            open @ (b'{' | b'[') => {
                self.pos += 1;
                let close = if open == b'{' { b'}' } else { b']' };
                self.skip_ws();
                if self.peek()? == close {
                    self.pos += 1;
                    return Some(());
                }
                loop {
                    if open == b'{' {
                        self.string()?;
                        self.expect(b':')?;
                    }
                    self.skip_value(depth + 1)?;
                    self.skip_ws();
                    match self.peek()? {
                        b',' => self.pos += 1,
                        c if c == close => {
                            self.pos += 1;
                            break;
                        }
                        _ => return None,
                    }
                }
            }
            _ => {
                while !matches!(
                    self.peek(),
                    None | Some(b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t')
                ) {
                    self.pos += 1;
                }
            }
        }
        Some(())
    }

    /// At a `{`, moves to the start of the member value named `key`.
    fn enter_member(&mut self, key: &str) -> Option<()> {
        self.expect(b'{')?;
        loop {
            self.skip_ws();
            if self.peek()? == b'}' {
                return None;
            }
            let name = self.string()?;
            self.expect(b':')?;
            self.skip_ws();
            if name == key {
                return Some(());
            }
            self.skip_value(0)?;
            self.skip_ws();
            if self.peek()? == b',' {
                self.pos += 1;
            }
        }
    }

    /// At a `[`, moves to the start of element `index`.
    fn enter_element(&mut self, index: usize) -> Option<()> {
        self.expect(b'[')?;
        for _ in 0..index {
            self.skip_value(0)?;
            self.expect(b',')?;
        }
        self.skip_ws();
        (self.peek()? != b']').then_some(())
    }
}

#[cfg(test)]
mod tests {
    use super::line_of;

    const TEXT: &str = "{\n  \"a\": 1,\n  \"b\": {\n    \"c/d\": [10,\n      20]\n  }\n}\n";

    #[test]
    fn finds_lines_of_members_and_elements() {
        assert_eq!(line_of(TEXT, ""), Some(1));
        assert_eq!(line_of(TEXT, "/a"), Some(2));
        assert_eq!(line_of(TEXT, "/b"), Some(3));
        assert_eq!(line_of(TEXT, "/b/c~1d"), Some(4));
        assert_eq!(line_of(TEXT, "/b/c~1d/0"), Some(4));
        assert_eq!(line_of(TEXT, "/b/c~1d/1"), Some(5));
    }

    #[test]
    fn missing_paths_have_no_line() {
        assert_eq!(line_of(TEXT, "/zz"), None);
        assert_eq!(line_of(TEXT, "/b/c~1d/2"), None);
        assert_eq!(line_of(TEXT, "/a/x"), None);
        assert_eq!(line_of("[[[[", "/0/0/0/0/0"), None);
    }

    #[test]
    fn deep_text_does_not_overflow() {
        let deep = "[".repeat(100_000);
        assert_eq!(line_of(&deep, "/1"), None);
    }
}
