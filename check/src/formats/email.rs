//! `email` (RFC 5321 section 4.1.2) and `idn-email` (RFC 6531), as the oracle reads them:
//! the `email_address` crate's parse, then the domain checked as a host name or an
//! address literal.

use std::str::FromStr;

use email_address::EmailAddress;

use super::{is_hostname, is_idn_hostname, is_ipv4, is_ipv6};

/// `format: email`: a mailbox `local-part@domain` as the `email_address` crate (default
/// options) parses it, with an ASCII local part and a domain that is an [`is_hostname`]
/// host name, `[` IPv4 `]` or `[IPv6:` IPv6 `]` (the tag in any case).
///
/// Worth knowing:
/// - the local part is a dot-atom (`a.b+c`, not `.a`, `a.` or `a..b`) or a quoted string
///   (`"a b"@x.org`, `"a\"b"@x.org`), at most 64 bytes; the empty quoted string `""` is
///   allowed as RFC 5321 allows it;
/// - the last `@` splits the address, the domain is at most 254 bytes;
/// - as in the oracle (which inherits it from `email_address`), a display name is
///   accepted: `Joe <joe@example.com>` passes, checked on its address;
/// - other address-literal tags (`[Foo:bar]`) and host names with a trailing dot are
///   refused; a single-label domain (`joe@localhost`) passes.
///
/// Allocates only for an address holding ` <` (a display name) or starting `""@`.
pub fn is_email(text: &str) -> bool {
    is_mailbox(text, Charset::Ascii)
}

/// `format: idn-email`: an [`is_email`] address whose local part may hold any Unicode
/// letters (RFC 6531) and whose domain is an [`is_idn_hostname`] host name or an
/// address literal.
///
/// Worth knowing: `email_address` refuses non-ASCII inside a quoted local part; as in the
/// oracle, such an address is accepted when it parses with each non-ASCII character
/// replaced by `a` and the text after its last `@` is a valid domain (this path
/// allocates).
pub fn is_idn_email(text: &str) -> bool {
    is_mailbox(text, Charset::International)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Charset {
    Ascii,
    International,
}

fn is_mailbox(text: &str, charset: Charset) -> bool {
    if charset == Charset::Ascii && is_plain_mailbox(text) {
        return true;
    }
    is_any_mailbox(text, charset)
}

/// The common address, decided without the `email_address` crate's parse: a local part of
/// ASCII atoms joined by dots, at most 64 bytes, `@`, and an [`is_hostname`] host name.
/// Such an address is one [`is_any_mailbox`] accepts (`email_address` checks the same
/// local part, and a host name's labels are non-empty LDH atoms of at most 63 bytes,
/// within its 254); `false` only means "not this easy form".
fn is_plain_mailbox(text: &str) -> bool {
    let Some((local, domain)) = text.rsplit_once('@') else {
        return false;
    };
    local.len() <= 64
        && local
            .as_bytes()
            .split(|b| *b == b'.')
            .all(|atom| !atom.is_empty() && atom.iter().all(|b| is_ascii_atext(*b)))
        && is_hostname(domain)
}

/// RFC 5322 `atext` in ASCII: letters, digits and ``!#$%&'*+-/=?^_`{|}~``.
fn is_ascii_atext(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-/=?^_`{|}~".contains(&b)
}

/// Any mailbox `email_address` parses (a quoted local part, a display name, an address
/// literal, ...), its parts then checked for `charset`.
fn is_any_mailbox(text: &str, charset: Charset) -> bool {
    if let Some(domain) = text.strip_prefix("\"\"@") {
        // `email_address` refuses an empty quoted local part; any non-empty quoted one
        // stands in for it.
        return is_any_mailbox(&format!("\"a\"@{domain}"), charset);
    }
    let accept = |local: &str, domain: &str| {
        (charset == Charset::International || local.is_ascii()) && is_domain(domain, charset)
    };
    if let Some(verdict) = with_parts(text, accept) {
        return verdict;
    }
    if charset == Charset::Ascii || text.is_ascii() {
        return false;
    }
    let masked: String = text
        .chars()
        .map(|c| if c.is_ascii() { c } else { 'a' })
        .collect();
    if with_parts(&masked, |_, _| true).is_none() {
        return false;
    }
    text.rsplit_once('@')
        .is_some_and(|(_, domain)| is_domain(domain, charset))
}

/// `accept(local part, domain)` when `email_address` parses `text`, else `None`.
fn with_parts(text: &str, accept: impl FnOnce(&str, &str) -> bool) -> Option<bool> {
    if !text.contains(" <") {
        // Without a display name, `email_address` splits at the last `@` and checks the
        // two sides with these two functions; calling them spares its allocation.
        let (local, domain) = text.rsplit_once('@')?;
        let parses = !local.starts_with('<')
            && EmailAddress::is_valid_local_part(local)
            && EmailAddress::is_valid_domain(domain);
        return parses.then(|| accept(local, domain));
    }
    let parsed = EmailAddress::from_str(text).ok()?;
    Some(accept(parsed.local_part(), parsed.domain()))
}

/// A host name, or an address literal `[IPv4]` / `[IPv6:IPv6]`.
fn is_domain(domain: &str, charset: Charset) -> bool {
    if let Some(literal) = domain.strip_prefix('[').and_then(|d| d.strip_suffix(']')) {
        return match literal.get(..5) {
            Some(tag) if tag.eq_ignore_ascii_case("IPv6:") => is_ipv6(&literal[5..]),
            _ => is_ipv4(literal),
        };
    }
    match charset {
        Charset::Ascii => is_hostname(domain),
        Charset::International => is_idn_hostname(domain),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The easy form is decided as the full parse decides it, wherever it says yes.
    #[test]
    fn a_plain_mailbox_is_one_the_full_parse_accepts() {
        let atoms = ["a", "joe", "a.b", "x+y", "o'hara", "{x}", "1", "~", "a-b_c"];
        let locals = atoms
            .iter()
            .copied()
            .chain(["", ".a", "a.", "a..b", "a b", "\"q\"", "é"]);
        let domains = [
            "example.com",
            "x",
            "a-b.c",
            "1.2.3.4",
            "-a.com",
            "a-.com",
            "a..com",
            "a.com.",
            "[1.2.3.4]",
            "xn--nxasmq6b.com",
            "xn--a.com",
            "EXAMPLE.COM",
            "ex_ample.com",
            "",
        ];
        let long = "a".repeat(64);
        let longer = "a".repeat(65);
        let mut accepted = 0;
        for local in locals.chain([long.as_str(), longer.as_str()]) {
            for domain in domains {
                let text = format!("{local}@{domain}");
                let full = is_any_mailbox(&text, Charset::Ascii);
                if is_plain_mailbox(&text) {
                    accepted += 1;
                    assert!(full, "{text}: the easy form accepts what the parse refuses");
                }
                assert_eq!(is_email(&text), full, "{text}");
            }
        }
        assert!(accepted > 40, "the easy form took {accepted} addresses");
    }
}
