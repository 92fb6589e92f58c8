//! Every Unicode scalar value through the rules that read Unicode character by character:
//! the IDNA label rules of `hostname` (as an A-label) and `idn-hostname` (as itself), alone
//! and in the contexts the rules look at, and the RFC 3987 character ranges of each IRI
//! component. Each verdict must be the oracle's.
//!
//! Run: `cargo test -p event-contracts-check --test formats_every_code_point`.

mod support;

use event_contracts_check::formats::{
    is_hostname, is_idn_hostname, is_iri_reference, is_uri_reference,
};
use support::oracle_accepts;

/// `xn--` and the Punycode of `label`.
fn a_label(label: &str) -> String {
    format!(
        "xn--{}",
        idna::punycode::encode_str(label).expect("a short label encodes")
    )
}

/// The contexts every code point `c` is put in (text before, text after): alone, after a
/// letter (so that marks are not first), and before a zero width joiner (viramas).
const EVERYWHERE: [(&str, &str); 3] = [("", ""), ("a", ""), ("a", "\u{200D}")];

/// The contexts the rules of RFC 5892 appendix A read, for the Basic Multilingual Plane
/// (which holds every script they name): after `l·`, after U+0375 (which wants Greek
/// next), before U+05F3 (which wants Hebrew before), with U+30FB (which wants Hiragana,
/// Katakana or Han in the label) and with an Arabic-Indic digit (which does not mix with
/// the extended ones).
const IN_THE_BMP: [(&str, &str); 5] = [
    ("l\u{00B7}", ""),
    ("\u{0375}", ""),
    ("", "\u{05F3}"),
    ("\u{30FB}", ""),
    ("\u{0660}", ""),
];

/// Checks each code point in each of its contexts with `check` against the oracle for
/// `name`, building the text with `build`; returns the number of texts checked and accepted.
fn sweep(name: &str, check: fn(&str) -> bool, build: fn(&str) -> String) -> (usize, usize) {
    let mut disagreements = Vec::new();
    let (mut checked, mut accepted) = (0, 0);
    for c in (0..=0x10_FFFFu32).filter_map(char::from_u32) {
        let contexts = if u32::from(c) <= 0xFFFF {
            &[EVERYWHERE.as_slice(), IN_THE_BMP.as_slice()][..]
        } else {
            &[EVERYWHERE.as_slice()][..]
        };
        for (before, after) in contexts.iter().copied().flatten() {
            let text = build(&format!("{before}{c}{after}"));
            let ours = check(&text);
            checked += 1;
            accepted += usize::from(ours);
            if ours != oracle_accepts(name, &text) {
                disagreements.push(format!("U+{:04X} in {before:?}..{after:?}", u32::from(c)));
            }
        }
    }
    assert!(
        disagreements.is_empty(),
        "{name}: {} disagreements, the first: {:?}",
        disagreements.len(),
        &disagreements[..disagreements.len().min(20)]
    );
    eprintln!("{name}: {checked} texts agree, {accepted} valid");
    (checked, accepted)
}

/// Scalar values in all, and in the Basic Multilingual Plane (surrogates are not ones).
const SCALARS: usize = 0x11_0000 - 0x800;
const BMP_SCALARS: usize = 0x1_0000 - 0x800;

#[test]
fn hostname_a_labels_agree_for_every_code_point() {
    let (checked, accepted) = sweep("hostname", is_hostname, a_label);
    assert_eq!(checked, 3 * SCALARS + 5 * BMP_SCALARS);
    // Letters, marks and digits pass alone and after `a`: far from none, far from all.
    assert!(
        accepted > 200_000 && accepted < checked / 2,
        "{accepted} of {checked}"
    );
}

#[test]
fn idn_hostname_labels_agree_for_every_code_point() {
    let (checked, accepted) = sweep("idn-hostname", is_idn_hostname, str::to_owned);
    assert_eq!(checked, 3 * SCALARS + 5 * BMP_SCALARS);
    assert!(
        accepted > 200_000 && accepted < checked / 2,
        "{accepted} of {checked}"
    );
}

/// The 69 code points of Canonical_Combining_Class 9 (Virama) in Unicode 16
/// (DerivedCombiningClass.txt): the oracle allows U+200D after 50 of them, not after
/// the 19 below, although RFC 5892 appendix A.2 allows all 69.
#[test]
fn zero_width_joiner_follows_only_the_viramas_the_oracle_knows() {
    const REFUSED: [u32; 19] = [
        0x0D3B, 0x0D3C, 0x0EBA, 0x103A, 0x1715, 0x1BAB, 0xA82C, 0xA9C0, 0xAAF6, 0x11070, 0x11134,
        0x113CE, 0x113CF, 0x113D0, 0x1193D, 0x1193E, 0x11F41, 0x11F42, 0x1612F,
    ];
    const ALLOWED: [u32; 50] = [
        0x094D, 0x09CD, 0x0A4D, 0x0ACD, 0x0B4D, 0x0BCD, 0x0C4D, 0x0CCD, 0x0D4D, 0x0DCA, 0x0E3A,
        0x0F84, 0x1039, 0x1714, 0x1734, 0x17D2, 0x1A60, 0x1B44, 0x1BAA, 0x1BF2, 0x1BF3, 0x2D7F,
        0xA806, 0xA8C4, 0xA953, 0xABED, 0x10A3F, 0x11046, 0x1107F, 0x110B9, 0x11133, 0x111C0,
        0x11235, 0x112EA, 0x1134D, 0x11442, 0x114C2, 0x115BF, 0x1163F, 0x116B6, 0x1172B, 0x11839,
        0x119E0, 0x11A34, 0x11A47, 0x11A99, 0x11C3F, 0x11D44, 0x11D45, 0x11D97,
    ];
    for (list, expected) in [(&REFUSED[..], false), (&ALLOWED[..], true)] {
        for &code in list {
            let virama = char::from_u32(code).expect("a scalar value");
            let alone = a_label(&format!("a{virama}b"));
            let joined = a_label(&format!("a{virama}\u{200D}b"));
            assert!(is_hostname(&alone), "U+{code:04X} alone");
            assert_eq!(is_hostname(&joined), expected, "U+{code:04X} before U+200D");
            assert_eq!(
                oracle_accepts("hostname", &joined),
                expected,
                "oracle, U+{code:04X}"
            );
        }
    }
}

/// Every scalar value in each IRI component that RFC 3987 widens (user info, host, path,
/// query, fragment), and in the scheme, which it does not: `iri-reference` must give the
/// oracle's verdict for each, and `uri-reference` too (which refuses all non-ASCII).
#[test]
fn iri_components_agree_for_every_code_point() {
    const COMPONENTS: [(&str, &str); 6] = [
        ("//", "@host/"),
        ("//", ".example/"),
        ("s:/a", "b"),
        ("s:?", ""),
        ("s:#", ""),
        ("", "s:"),
    ];
    let mut disagreements = Vec::new();
    let mut accepted = 0;
    for c in (0..=0x10_FFFFu32).filter_map(char::from_u32) {
        for (before, after) in COMPONENTS {
            let text = format!("{before}{c}{after}");
            let ours = is_iri_reference(&text);
            accepted += usize::from(ours);
            if ours != oracle_accepts("iri-reference", &text) {
                disagreements.push(format!("iri-reference {text:?}"));
            }
            if c.is_ascii() && is_uri_reference(&text) != oracle_accepts("uri-reference", &text) {
                disagreements.push(format!("uri-reference {text:?}"));
            }
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} disagreements, the first: {:?}",
        disagreements.len(),
        &disagreements[..disagreements.len().min(20)]
    );
    // Most of Unicode is `ucschar` in five of the six places; none of it in a scheme.
    assert!(
        accepted > 4 * SCALARS && accepted < 5 * SCALARS,
        "{accepted}"
    );
}
