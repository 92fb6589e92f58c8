//! `ipv4` and `ipv6`, read by the standard library's address parsers, which are strict
//! readings of the RFC grammars (and the ones the oracle uses).

use std::net::{Ipv4Addr, Ipv6Addr};

/// `format: ipv4`: the dotted-quad of RFC 2673 section 3.2, four decimal octets of 0 to
/// 255 with no leading zeros (`01.2.3.4` is refused, as it is ambiguous with octal),
/// no fewer parts (`127.1`), no hex (`0x7f.0.0.1`), no whitespace and no netmask.
pub fn is_ipv4(text: &str) -> bool {
    text.parse::<Ipv4Addr>().is_ok()
}

/// `format: ipv6`: RFC 4291 section 2.2 text forms: eight groups of one to four hex
/// digits, one `::` for a run of zero groups, and an IPv4 dotted-quad in place of the
/// last two groups (`::ffff:192.0.2.1`).
///
/// Worth knowing: zone ids (`fe80::1%eth0`, RFC 4007), brackets, prefix lengths
/// (`::1/128`), groups of five digits and a `::` that stands for nothing
/// (`1:2:3:4:5:6:7::8`) are refused; `::` alone, `1::` and `1:2:3:4:5:6:7::` pass.
pub fn is_ipv6(text: &str) -> bool {
    text.parse::<Ipv6Addr>().is_ok()
}
