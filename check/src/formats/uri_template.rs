//! `uri-template`: RFC 6570 section 2, level 4 syntax.

/// `format: uri-template`: RFC 6570 literals and `{...}` expressions. An expression is
/// an optional operator (`+ # . / ; ? &`, or one of the reserved `= , ! @ |`) and a
/// comma-separated list of variables; a variable name is `ALPHA / DIGIT / _ /
/// pct-encoded` characters, joined by single dots, with an optional `:1`..`:9999`
/// prefix or `*` explode modifier.
///
/// Worth knowing: `'` is a literal (RFC erratum 6937); space, `"`, `<`, `>`, `\`, `^`,
/// `` ` ``, `|`, control characters, stray braces and broken `%` escapes are not. As in
/// the oracle, every non-ASCII character is a literal, beyond RFC 6570's `ucschar` and
/// `iprivate` (so U+FFFE passes). Nothing is expanded, so `{a:0}`, `{}`, `{a,}`,
/// `{a.}` and `{a:10000}` are refused and `{a*:3}` is refused too.
pub fn is_uri_template(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        at = match byte {
            b'{' => match expression(bytes, at + 1) {
                Some(end) => end,
                None => return false,
            },
            b'%' if is_pct_encoded(bytes, at) => at + 3,
            _ if is_literal(byte) => at + 1,
            _ => return false,
        };
    }
    true
}

/// The end of the expression whose `{` ends just before `at`, after its `}`.
fn expression(bytes: &[u8], mut at: usize) -> Option<usize> {
    if bytes.get(at).is_some_and(|b| b"+#./;?&=,!@|".contains(b)) {
        at += 1;
    }
    loop {
        at = variable(bytes, at)?;
        match bytes.get(at)? {
            b',' => at += 1,
            b'}' => return Some(at + 1),
            _ => return None,
        }
    }
}

/// The end of one `varspec`: a name and its optional modifier.
fn variable(bytes: &[u8], mut at: usize) -> Option<usize> {
    loop {
        let start = at;
        while let Some(&byte) = bytes.get(at) {
            if byte.is_ascii_alphanumeric() || byte == b'_' {
                at += 1;
            } else if byte == b'%' && is_pct_encoded(bytes, at) {
                at += 3;
            } else {
                break;
            }
        }
        if at == start {
            return None;
        }
        if bytes.get(at) != Some(&b'.') {
            break;
        }
        at += 1;
    }
    match bytes.get(at) {
        Some(b'*') => Some(at + 1),
        Some(b':') => {
            let digits = bytes[at + 1..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            (matches!(bytes.get(at + 1), Some(b'1'..=b'9')) && digits <= 4)
                .then_some(at + 1 + digits)
        }
        _ => Some(at),
    }
}

fn is_pct_encoded(bytes: &[u8], at: usize) -> bool {
    matches!(bytes.get(at + 1..at + 3), Some([high, low]) if high.is_ascii_hexdigit() && low.is_ascii_hexdigit())
}

/// A byte that may appear outside an expression as itself.
fn is_literal(byte: u8) -> bool {
    !matches!(
        byte,
        0x00..=0x20 | b'"' | b'%' | b'<' | b'>' | b'\\' | b'^' | b'`' | b'{' | b'|' | b'}' | 0x7F
    )
}
