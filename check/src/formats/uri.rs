//! `uri`, `uri-reference` (RFC 3986) and `iri`, `iri-reference` (RFC 3987), by one
//! single-pass reader of the RFC 3986 grammar that RFC 3987 widens with non-ASCII.

use std::net::Ipv6Addr;

/// `format: uri`: RFC 3986 `URI`, a scheme then `:` then the hierarchical part, with an
/// optional `?query` and `#fragment`.
///
/// Worth knowing: the scheme is required (`//example.com` and `/a` are references,
/// not URIs); only ASCII is allowed, every `%` must start a `%HH` escape; a host is a
/// registered name, an IPv4 address or a bracketed IPv6 address or `vX.` future
/// literal (no zone ids); the port is any run of digits, even empty or huge; spaces,
/// `\`, `{`, `}`, `<`, `>`, `"`, `^`, `` ` ``, `|` and a second `#` are refused, and so is
/// a path after an authority that does not start with `/` (`http://a:b:c`).
pub fn is_uri(text: &str) -> bool {
    check(text.as_bytes(), Scheme::Required, Charset::Ascii)
}

/// `format: uri-reference`: RFC 3986 `URI-reference`, a [`is_uri`] URI or a relative
/// reference (`//host/path`, `/path`, `path`, `?query`, `#fragment`, the empty string).
///
/// Worth knowing: in a relative reference without an authority the first path segment
/// may not hold a `:` (`a:b` is a URI with scheme `a`, `1:b` is refused, `./1:b`
/// passes); `\` and spaces are refused anywhere.
pub fn is_uri_reference(text: &str) -> bool {
    check(text.as_bytes(), Scheme::Optional, Charset::Ascii)
}

/// `format: iri`: RFC 3987 `IRI`: a [`is_uri`] URI that may also hold the `ucschar`
/// characters (most non-ASCII letters, marks and symbols, not the private-use ones or
/// the noncharacters) in its user info, host name, path, query and fragment, and the
/// `iprivate` characters in its query only.
///
/// Worth knowing: the scheme and bracketed addresses stay ASCII; U+FFF0..U+FFFF and
/// the noncharacters are not `ucschar`, so they must be percent-encoded. As in the
/// oracle, the bidirectional formatting characters (U+200E, U+202A..U+202E) pass,
/// since the grammar allows them, though RFC 3987 section 4.1 forbids them.
pub fn is_iri(text: &str) -> bool {
    check(text.as_bytes(), Scheme::Required, Charset::International)
}

/// `format: iri-reference`: RFC 3987 `IRI-reference`, an [`is_iri`] IRI or a relative
/// reference with the same non-ASCII rules.
pub fn is_iri_reference(text: &str) -> bool {
    check(text.as_bytes(), Scheme::Optional, Charset::International)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Scheme {
    Required,
    Optional,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Charset {
    Ascii,
    International,
}

/// Which characters a component allows unencoded, beside ASCII alphanumerics and the
/// unreserved marks `- . _ ~`, and whether percent-encodings are allowed.
#[derive(Clone, Copy)]
struct Component {
    sub_delims: bool,
    extra: &'static [u8],
    ucschar: bool,
    iprivate: bool,
}

const USER_INFO: Component = Component {
    sub_delims: true,
    extra: b":",
    ucschar: true,
    iprivate: false,
};
const REG_NAME: Component = Component {
    sub_delims: true,
    extra: b"",
    ucschar: true,
    iprivate: false,
};
/// `segment-nz-nc`: a first segment of a relative path, which may not hold `:`.
const NO_COLON_SEGMENT: Component = Component {
    sub_delims: true,
    extra: b"@",
    ucschar: true,
    iprivate: false,
};
const PATH: Component = Component {
    sub_delims: true,
    extra: b":@/",
    ucschar: true,
    iprivate: false,
};
const QUERY: Component = Component {
    sub_delims: true,
    extra: b":@/?",
    ucschar: true,
    iprivate: true,
};
const FRAGMENT: Component = Component {
    sub_delims: true,
    extra: b":@/?",
    ucschar: true,
    iprivate: false,
};

fn check(bytes: &[u8], scheme: Scheme, charset: Charset) -> bool {
    let reader = Reader { bytes, charset };
    let Some(mut at) = reader.scheme_and_hierarchy(scheme) else {
        return false;
    };
    if bytes.get(at) == Some(&b'?') {
        let Some(end) = reader.run(at + 1, QUERY) else {
            return false;
        };
        at = end;
    }
    if bytes.get(at) == Some(&b'#') {
        let Some(end) = reader.run(at + 1, FRAGMENT) else {
            return false;
        };
        at = end;
    }
    at == bytes.len()
}

struct Reader<'a> {
    bytes: &'a [u8],
    charset: Charset,
}

impl Reader<'_> {
    /// The end of the scheme (if any), authority (if any) and path; `None` when they are
    /// malformed.
    fn scheme_and_hierarchy(&self, scheme: Scheme) -> Option<usize> {
        let bytes = self.bytes;
        let after_scheme = match self.scheme_end() {
            Some(colon) => colon + 1,
            None if scheme == Scheme::Required => return None,
            None => {
                // A relative reference: if its first segment holds a colon it would
                // read as a scheme, so it is refused.
                if !bytes.starts_with(b"//") {
                    let first = self.run(0, NO_COLON_SEGMENT)?;
                    if bytes.get(first) == Some(&b':') {
                        return None;
                    }
                }
                0
            }
        };
        if bytes[after_scheme..].starts_with(b"//") {
            let authority_start = after_scheme + 2;
            let authority_end = bytes[authority_start..]
                .iter()
                .position(|b| matches!(b, b'/' | b'?' | b'#'))
                .map_or(bytes.len(), |n| authority_start + n);
            if !self.authority(authority_start, authority_end) {
                return None;
            }
            self.run(authority_end, PATH)
        } else {
            self.run(after_scheme, PATH)
        }
    }

    /// The index of the `:` that ends a leading scheme, `ALPHA *( ALPHA / DIGIT / + - . )`.
    fn scheme_end(&self) -> Option<usize> {
        let bytes = self.bytes;
        if !bytes.first()?.is_ascii_alphabetic() {
            return None;
        }
        let end = bytes
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')))?;
        (bytes[end] == b':').then_some(end)
    }

    /// `[ userinfo "@" ] host [ ":" port ]` over `start..end`.
    fn authority(&self, start: usize, end: usize) -> bool {
        let mut host_start = start;
        if let Some(at_sign) = self.bytes[start..end].iter().position(|b| *b == b'@') {
            if self.run(start, USER_INFO) != Some(start + at_sign) {
                return false;
            }
            host_start = start + at_sign + 1;
        }
        let host_end = if self.bytes.get(host_start) == Some(&b'[') {
            let Some(close) = self.bytes[host_start..end].iter().position(|b| *b == b']') else {
                return false;
            };
            if !is_ip_literal(&self.bytes[host_start + 1..host_start + close]) {
                return false;
            }
            host_start + close + 1
        } else {
            match self.run(host_start, REG_NAME) {
                Some(host_end) if host_end <= end => host_end,
                _ => return false,
            }
        };
        match self.bytes[host_end..end] {
            [] => true,
            [b':', ref port @ ..] => port.iter().all(u8::is_ascii_digit),
            _ => false,
        }
    }

    /// The end of the run of characters `component` allows from `at`; `None` on a `%`
    /// that does not start a `%HH` escape.
    fn run(&self, mut at: usize, component: Component) -> Option<usize> {
        let bytes = self.bytes;
        while let Some(&byte) = bytes.get(at) {
            if byte.is_ascii_alphanumeric()
                || matches!(byte, b'-' | b'.' | b'_' | b'~')
                || (component.sub_delims && b"!$&'()*+,;=".contains(&byte))
                || component.extra.contains(&byte)
            {
                at += 1;
            } else if byte == b'%' {
                match bytes.get(at + 1..at + 3) {
                    Some([high, low]) if high.is_ascii_hexdigit() && low.is_ascii_hexdigit() => {
                        at += 3
                    }
                    _ => return None,
                }
            } else if byte >= 0x80 && self.charset == Charset::International {
                let (code_point, length) = decode_utf8(&bytes[at..]);
                if (component.ucschar && is_ucschar(code_point))
                    || (component.iprivate && is_iprivate(code_point))
                {
                    at += length;
                } else {
                    break;
                }
            } else {
                break;
            }
        }
        Some(at)
    }
}

/// `IP-literal` without its brackets: an IPv6 address or `IPvFuture`.
fn is_ip_literal(inner: &[u8]) -> bool {
    if let [b'v' | b'V', rest @ ..] = inner {
        let hex = rest.iter().take_while(|b| b.is_ascii_hexdigit()).count();
        return hex > 0
            && rest.get(hex) == Some(&b'.')
            && rest.len() > hex + 1
            && rest[hex + 1..]
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:".contains(b));
    }
    std::str::from_utf8(inner).is_ok_and(|text| text.parse::<Ipv6Addr>().is_ok())
}

/// The code point starting `bytes` (which holds valid UTF-8 from a `str`) and its length.
fn decode_utf8(bytes: &[u8]) -> (u32, usize) {
    let length = match bytes[0] {
        0xF0.. => 4,
        0xE0.. => 3,
        _ => 2,
    };
    let head = u32::from(bytes[0]) & (0x7F >> length);
    let code_point = bytes[1..length]
        .iter()
        .fold(head, |acc, b| (acc << 6) | u32::from(b & 0x3F));
    (code_point, length)
}

/// RFC 3987 `ucschar`.
fn is_ucschar(c: u32) -> bool {
    matches!(c, 0xA0..=0xD7FF | 0xF900..=0xFDCF | 0xFDF0..=0xFFEF)
        || (matches!(c, 0x1_0000..=0xD_FFFF | 0xE_1000..=0xE_FFFF) && c & 0xFFFF <= 0xFFFD)
}

/// RFC 3987 `iprivate`.
fn is_iprivate(c: u32) -> bool {
    matches!(c, 0xE000..=0xF8FF) || (matches!(c, 0xF_0000..=0x10_FFFF) && c & 0xFFFF <= 0xFFFD)
}
