//! `hostname` (RFC 1123 section 2.1, with the IDNA2008 A-label rules of RFC 5890-5892)
//! and `idn-hostname` (RFC 5890 section 2.3.2.3, through UTS #46 in the `idna` crate).

use idna::uts46::{AsciiDenyList, DnsLength, Hyphens, Uts46};
use unicode_general_category::{get_general_category, GeneralCategory};

/// `format: hostname`: dot-separated labels of ASCII letters, digits and `-`, each 1 to
/// 63 characters that neither start nor end with `-`, 253 characters in all.
///
/// Worth knowing:
/// - a trailing dot (`example.com.`) and empty labels are refused, and so is `.`;
/// - a label may start with a digit (RFC 1123), `1.2.3.4` is a valid host name;
/// - a label with `--` in its third and fourth places must be an A-label, `xn--`
///   followed by Punycode (RFC 3492) that decodes to a label the IDNA2008 rules allow
///   (see below); so `ab--c` and `xn--a` are refused, `xn--nxasmq6b` passes;
/// - as in the oracle, the prefix must be lowercase: `XN--NXASMQ6B` is refused;
/// - the decoded label may not start with a combining mark, and each character must be
///   a letter (`Lu Ll Lt Lm Lo`), a mark (`Mn Mc`), a decimal digit or ASCII, or one of
///   RFC 5892's exceptions. Unlike RFC 5892 the oracle does not refuse upper-case or
///   NFKC-unstable letters and skips the CONTEXTJ rule of U+200C; it allows U+200D only
///   after 50 of Unicode's 69 viramas (U+094D and its kind); it reads "Greek" after U+0375 as U+0370..U+03FF
///   and "Hebrew" before U+05F3/U+05F4 as U+0590..U+05FF, and it accepts every character
///   of U+3040..U+30FF and U+4E00..U+9FFF (unassigned ones and symbols included) as
///   Hiragana, Katakana or Han for U+30FB. This checker follows the oracle.
///
/// Allocates only to decode an `xn--` label.
pub fn is_hostname(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.is_empty() || bytes.len() > 253 {
        return false;
    }
    // One pass over the bytes: each must be LDH or a dot, and each label, as a dot or the
    // end closes it, is judged by its ends and length ([`is_ldh_label`] reads again only a
    // label with `--` in places three and four).
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'.' {
            if !is_closed_label(&bytes[start..i]) {
                return false;
            }
            start = i + 1;
        } else if !(b.is_ascii_alphanumeric() || b == b'-') {
            return false;
        }
    }
    is_closed_label(&bytes[start..])
}

/// A label of LDH bytes (the caller checked them): 1 to 63 bytes, no hyphen at either
/// end, and [`is_ldh_label`]'s A-label rule when its third and fourth bytes are hyphens.
fn is_closed_label(label: &[u8]) -> bool {
    match label {
        [] | [b'-', ..] | [.., b'-'] => false,
        _ if label.len() > 63 => false,
        _ if label.get(2..4) == Some(b"--") => is_ldh_label(label),
        _ => true,
    }
}

/// `format: idn-hostname`: a host name that may hold Unicode labels. The text is
/// converted by UTS #46 processing (`idna` crate, STD3 rules, hyphen checks and DNS
/// lengths on), which maps case and compatibility forms, splits on the ideographic
/// full stops (U+3002, U+FF0E, U+FF61) as well as `.`, and applies the IDNA2008 and
/// bidi rules; the ASCII form it yields must then pass [`is_hostname`].
///
/// Worth knowing: because of the UTS #46 mapping, `EXAMPLE.com` and `ＥＸＡＭＰＬＥ.com`
/// pass; `a..b`, a trailing dot, a leading or trailing `-`, `--` in places three and four
/// of a Unicode label, and names whose ASCII form exceeds 253 characters are refused.
/// Allocates when the text is not already a lowercase ASCII host name.
pub fn is_idn_hostname(text: &str) -> bool {
    // A lowercase LDH host name without `--` is its own UTS #46 form: the mapping changes
    // nothing, the hyphen, STD3 and length rules are the host name's, and no label is an
    // A-label to decode. `is_hostname` decides it.
    if text
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        && !text.contains("--")
    {
        return is_hostname(text);
    }
    by_uts46(text)
}

/// [`is_idn_hostname`] by UTS #46 processing, for any text.
fn by_uts46(text: &str) -> bool {
    Uts46::new()
        .to_ascii(
            text.as_bytes(),
            AsciiDenyList::STD3,
            Hyphens::Check,
            DnsLength::Verify,
        )
        .is_ok_and(|ascii| is_hostname(&ascii))
}

/// One label of a host name: LDH, 1 to 63 bytes, no hyphen at either end, and an A-label
/// when its third and fourth characters are hyphens.
fn is_ldh_label(label: &[u8]) -> bool {
    let ldh = match (label.first(), label.last()) {
        (Some(first), Some(last)) => {
            label.len() <= 63
                && *first != b'-'
                && *last != b'-'
                && label
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
        }
        _ => false,
    };
    if !ldh || label.get(2..4) != Some(b"--") {
        return ldh;
    }
    match label.strip_prefix(b"xn--") {
        Some(encoded) => std::str::from_utf8(encoded)
            .ok()
            .and_then(idna::punycode::decode)
            .is_some_and(|decoded| is_u_label(&decoded)),
        None => false,
    }
}

/// Whether a decoded label satisfies the IDNA2008 character rules as the oracle applies
/// them (see [`is_hostname`]).
fn is_u_label(label: &[char]) -> bool {
    if label.first().is_some_and(|c| {
        matches!(
            get_general_category(*c),
            GeneralCategory::NonspacingMark
                | GeneralCategory::SpacingMark
                | GeneralCategory::EnclosingMark
        )
    }) {
        return false;
    }
    let mut katakana_middle_dot = false;
    let mut japanese = false;
    let mut arabic_indic_digits = false;
    let mut extended_arabic_indic_digits = false;
    for (i, &c) in label.iter().enumerate() {
        let before = i.checked_sub(1).map(|j| label[j]);
        let after = label.get(i + 1).copied();
        let allowed = match c {
            // RFC 5892 appendix A.1 (ZERO WIDTH NON-JOINER): not checked by the oracle.
            '\u{200C}' => true,
            // A.2 ZERO WIDTH JOINER: after a virama.
            '\u{200D}' => before.is_some_and(|b| VIRAMAS.binary_search(&b).is_ok()),
            // A.3 MIDDLE DOT: between two `l`.
            '\u{00B7}' => before == Some('l') && after == Some('l'),
            // A.4 GREEK LOWER NUMERAL SIGN: before a Greek character.
            '\u{0375}' => after.is_some_and(|a| ('\u{0370}'..='\u{03FF}').contains(&a)),
            // A.5, A.6 HEBREW GERESH and GERSHAYIM: after a Hebrew character.
            '\u{05F3}' | '\u{05F4}' => {
                before.is_some_and(|b| ('\u{0590}'..='\u{05FF}').contains(&b))
            }
            // A.7 KATAKANA MIDDLE DOT: somewhere in a label with Japanese script.
            '\u{30FB}' => {
                katakana_middle_dot = true;
                true
            }
            '\u{3040}'..='\u{30FF}' | '\u{4E00}'..='\u{9FFF}' => {
                japanese = true;
                true
            }
            // A.8, A.9: the two sets of Arabic-Indic digits may not mix.
            '\u{0660}'..='\u{0669}' => {
                arabic_indic_digits = true;
                true
            }
            '\u{06F0}'..='\u{06F9}' => {
                extended_arabic_indic_digits = true;
                true
            }
            // Appendix B.1 exceptions: DISALLOWED whatever their category.
            '\u{0640}'
            | '\u{07FA}'
            | '\u{302E}'
            | '\u{302F}'
            | '\u{3031}'..='\u{3035}'
            | '\u{303B}' => false,
            // B.1 exceptions: PVALID whatever their category.
            '\u{06FD}' | '\u{06FE}' | '\u{0F0B}' | '\u{3007}' => true,
            c if c.is_ascii() => true,
            c => matches!(
                get_general_category(c),
                GeneralCategory::UppercaseLetter
                    | GeneralCategory::LowercaseLetter
                    | GeneralCategory::TitlecaseLetter
                    | GeneralCategory::ModifierLetter
                    | GeneralCategory::OtherLetter
                    | GeneralCategory::NonspacingMark
                    | GeneralCategory::SpacingMark
                    | GeneralCategory::DecimalNumber
            ),
        };
        if !allowed {
            return false;
        }
    }
    let middle_dot_stands_alone = katakana_middle_dot && !japanese;
    let digits_mix = arabic_indic_digits && extended_arabic_indic_digits;
    !(middle_dot_stands_alone || digits_mix)
}

/// The viramas after which the oracle allows U+200D: the code points of
/// Canonical_Combining_Class 9 (Virama) it knows, 50 of the 69 in Unicode 16, found by
/// asking it about each of the 69 (`check/tests/formats_hostname.rs` keeps the list and
/// the 19 it refuses, such as U+0D3B and U+A9C0, in step). Sorted for binary search.
const VIRAMAS: [char; 50] = [
    '\u{094D}',
    '\u{09CD}',
    '\u{0A4D}',
    '\u{0ACD}',
    '\u{0B4D}',
    '\u{0BCD}',
    '\u{0C4D}',
    '\u{0CCD}',
    '\u{0D4D}',
    '\u{0DCA}',
    '\u{0E3A}',
    '\u{0F84}',
    '\u{1039}',
    '\u{1714}',
    '\u{1734}',
    '\u{17D2}',
    '\u{1A60}',
    '\u{1B44}',
    '\u{1BAA}',
    '\u{1BF2}',
    '\u{1BF3}',
    '\u{2D7F}',
    '\u{A806}',
    '\u{A8C4}',
    '\u{A953}',
    '\u{ABED}',
    '\u{10A3F}',
    '\u{11046}',
    '\u{1107F}',
    '\u{110B9}',
    '\u{11133}',
    '\u{111C0}',
    '\u{11235}',
    '\u{112EA}',
    '\u{1134D}',
    '\u{11442}',
    '\u{114C2}',
    '\u{115BF}',
    '\u{1163F}',
    '\u{116B6}',
    '\u{1172B}',
    '\u{11839}',
    '\u{119E0}',
    '\u{11A34}',
    '\u{11A47}',
    '\u{11A99}',
    '\u{11C3F}',
    '\u{11D44}',
    '\u{11D45}',
    '\u{11D97}',
];

#[cfg(test)]
mod tests {

    /// A lowercase LDH name without `--` is decided by `is_hostname` as UTS #46
    /// processing decides it: empty and long labels, hyphens at the ends, long names.
    #[test]
    fn a_lowercase_ldh_name_is_decided_as_uts46_decides_it() {
        let label63 = "a".repeat(63);
        let label64 = "a".repeat(64);
        let long = vec!["abcdefghi"; 25].join(".");
        let cases = [
            "a",
            "a-b",
            "-a",
            "a-",
            "a.b",
            "a..b",
            "a.",
            ".a",
            "",
            "123",
            "1.2.3.4",
            "ex-ample.co-m",
            "a-.b",
            "a.-b",
            label63.as_str(),
            label64.as_str(),
            long.as_str(),
            &long[..long.len() - 1],
        ];
        for text in cases {
            assert_eq!(is_idn_hostname(text), by_uts46(text), "{text:?}");
        }
    }

    use super::*;

    #[test]
    fn viramas_are_sorted_and_distinct() {
        assert!(VIRAMAS.windows(2).all(|pair| pair[0] < pair[1]));
    }
}
