//! `json-pointer` (RFC 6901) and `relative-json-pointer`
//! (draft-handrews-relative-json-pointer-01, the version draft-07 cites).

/// `format: json-pointer`: RFC 6901 section 3, the empty string or a sequence of
/// `/`-prefixed reference tokens in which `~` appears only as `~0` or `~1`.
///
/// Worth knowing: this is the string form, not the URI fragment form (`#/a` is
/// refused); any other character, control characters and non-ASCII included, is
/// allowed unescaped, so `/a b`, `/%25` and `//` are valid, while `a`, `/~` and `/~2`
/// are not.
pub fn is_json_pointer(text: &str) -> bool {
    text.is_empty() || (text.starts_with('/') && tokens_are_escaped(&text.as_bytes()[1..]))
}

/// `format: relative-json-pointer`: a non-negative integer (no leading zeros, no sign)
/// followed by either `#` alone or a JSON pointer (possibly empty).
///
/// Worth knowing: `0`, `1#`, `0/a~1b` and `10/` are valid; `01`, `-1`, `+1/a` (the
/// index manipulation of later revisions), `#`, `0##` and `/a` are not.
pub fn is_relative_json_pointer(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || (digits > 1 && bytes[0] == b'0') {
        return false;
    }
    match &bytes[digits..] {
        [] | [b'#'] => true,
        [b'/', tokens @ ..] => tokens_are_escaped(tokens),
        _ => false,
    }
}

/// Whether every `~` in `tokens` starts `~0` or `~1`; `/` separates tokens and any
/// other byte (UTF-8 continuation bytes included) is unescaped text.
fn tokens_are_escaped(tokens: &[u8]) -> bool {
    let mut bytes = tokens.iter();
    while let Some(byte) = bytes.next() {
        if *byte == b'~' && !matches!(bytes.next(), Some(b'0' | b'1')) {
            return false;
        }
    }
    true
}
