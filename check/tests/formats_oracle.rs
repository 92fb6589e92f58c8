//! Differential tests: for generated strings, each format's checker must give the oracle's
//! verdict (jsonschema 0.61 in draft-07 mode, see `support::oracle`).
//!
//! Each format draws from its own grammar (valid shapes and their edge cases), from
//! mutations of those (tokens of `support::NOISE` and of the format inserted, characters
//! deleted or replaced, texts cut short) and from arbitrary Unicode text.
//!
//! Run: `cargo test -p event-contracts-check --test formats_oracle`; `PROPTEST_CASES`
//! raises the number of cases.

mod support;

use std::cell::Cell;

use event_contracts_check::formats::{checker, is_date_time, is_uuid, CHECKED_FORMATS};
use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use support::{
    any_text, builtin_date_time_accepts, builtin_uuid_accepts, config, joined, mutated,
    oracle_accepts, pick, NOISE,
};

/// Cases per format; each draws from several generators.
const CASES: u32 = 4000;

/// Runs `strategy` through `verdicts` (ours, the reference's), which must agree on every
/// case; and, so that the comparison means something, each verdict must come up in at
/// least a twentieth of the cases (the most lopsided generator, `uri`, gives the rarer about
/// an eighth, so a floor of a tenth failed about one run in a thousand by chance).
/// Prints the counts (`--nocapture` shows them).
fn differential(
    label: &str,
    strategy: BoxedStrategy<String>,
    verdicts: impl Fn(&str) -> (bool, bool),
) {
    let accepted = Cell::new(0u32);
    let total = Cell::new(0u32);
    let mut runner = TestRunner::new(config(CASES));
    let outcome = runner.run(&strategy, |text| {
        let (ours, reference) = verdicts(&text);
        total.set(total.get() + 1);
        accepted.set(accepted.get() + u32::from(ours));
        prop_assert_eq!(ours, reference, "{} on {:?}", label, text);
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{label}: {failure}");
    }
    let (accepted, total) = (accepted.get(), total.get());
    eprintln!(
        "{label}: {total} cases agree, {accepted} valid, {} invalid",
        total - accepted
    );
    assert!(
        accepted >= total / 20 && total - accepted >= total / 20,
        "{label}: the generators are lopsided ({accepted} of {total} valid)"
    );
}

/// The format's checker against the oracle.
fn agrees(name: &'static str, strategy: BoxedStrategy<String>) {
    let check = checker(name).expect("a checked format");
    differential(name, strategy, |text| {
        (check(text), oracle_accepts(name, text))
    });
}

// ---------------------------------------------------------------- date, time, date-time

fn date() -> BoxedStrategy<String> {
    let year = prop_oneof![
        Just(0u32),
        Just(1900),
        Just(2000),
        Just(2023),
        Just(2024),
        Just(2100),
        Just(9999),
        0u32..10000
    ];
    (
        year,
        prop_oneof![3 => 1u32..=12, 1 => 0u32..=13],
        prop_oneof![4 => 1u32..=28, 1 => 0u32..=32, 1 => 28u32..=31],
    )
        .prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"))
        .boxed()
}

fn time() -> BoxedStrategy<String> {
    let valid = (
        (0u32..24, 0u32..60, 0u32..60),
        "(\\.[0-9]{1,12})?",
        pick(&["Z", "z", "+00:00", "-08:00", "+05:30", "+23:59", "-00:00"]),
    )
        .prop_map(|((h, m, s), f, o)| format!("{h:02}:{m:02}:{s:02}{f}{o}"));
    let clock = prop_oneof![
        1 => (0u32..=24, 0u32..=60, 0u32..=61),
        1 => (0u32..=23, Just(59u32), Just(60u32)),
        1 => Just((23u32, 59u32, 60u32)),
    ];
    let fraction = prop_oneof![
        Just(String::new()),
        Just(".".to_owned()),
        "\\.[0-9]{1,12}",
        "\\.[0-9a]{1,3}"
    ];
    let offset = prop_oneof![
        pick(&[
            "Z",
            "",
            "+0000",
            "Z ",
            "UTC",
            "+01",
            "+01:00:00",
            "+1:00",
            "−01:00"
        ]),
        (
            prop_oneof![Just('+'), Just('-')],
            prop_oneof![0u32..=24, Just(8u32)],
            prop_oneof![Just(0u32), Just(30), Just(59), Just(60), 0u32..=60],
        )
            .prop_map(|(sign, h, m)| format!("{sign}{h:02}:{m:02}")),
    ];
    let edgy = (clock, fraction, offset)
        .prop_map(|((h, m, s), f, o)| format!("{h:02}:{m:02}:{s:02}{f}{o}"));
    prop_oneof![valid, edgy].boxed()
}

fn date_time() -> BoxedStrategy<String> {
    (
        date(),
        pick(&["T", "T", "T", "T", "t", " ", "_", ""]),
        time(),
    )
        .prop_map(|(d, t, c)| format!("{d}{t}{c}"))
        .boxed()
}

const DATE_TOKENS: &[&str] = &[
    "0", "1", "2", "9", "-", ":", ".", "T", "t", "Z", "z", "+", "W", "60", "59", "23", "00", "٣",
    "１", " ",
];

fn date_like(base: fn() -> BoxedStrategy<String>) -> BoxedStrategy<String> {
    prop_oneof![
        6 => base(),
        2 => mutated(base(), DATE_TOKENS),
        1 => mutated(base(), NOISE),
        1 => any_text(),
    ]
    .boxed()
}

#[test]
fn date_agrees() {
    agrees("date", date_like(date));
}

#[test]
fn time_agrees() {
    agrees("time", date_like(time));
}

/// The oracle uses the project's `date-time`; jsonschema's own must agree with it.
#[test]
fn date_time_agrees_with_jsonschemas_own() {
    differential(
        "date-time (ours vs jsonschema's own)",
        date_like(date_time),
        |text| (is_date_time(text), builtin_date_time_accepts(text)),
    );
    agrees("date-time", date_like(date_time));
}

// ---------------------------------------------------------------- hostname, idn-hostname

const LABELS: &[&str] = &[
    "a",
    "example",
    "com",
    "localhost",
    "1",
    "123",
    "a-b",
    "a--b",
    "ab--c",
    "-a",
    "a-",
    "a_b",
    "xn--nxasmq6b",
    "xn--bcher-kva",
    "XN--NXASMQ6B",
    "Xn--bcher-kva",
    "xn--",
    "xn--a",
    "xn---",
    "xn--a-",
    "xn--ls8h",
    "xn--zca",
    "xn--4gbrim",
    "xn--hxajbheg2az3al",
    "xn--0",
    "xn--99999999",
];

/// Characters the IDNA rules single out, and their neighbours.
const IDNA_CHARS: &[&str] = &[
    "a", "l", "L", "-", "0", "é", "ß", "ς", "Ω", "\u{2126}", "Ａ", "\u{FB01}", "\u{0301}",
    "\u{0903}", "\u{20DD}", "\u{094D}", "\u{0D3B}", "\u{A9C0}", "\u{200C}", "\u{200D}", "\u{00B7}",
    "\u{0375}", "α", "\u{03E2}", "\u{1F00}", "\u{05F3}", "\u{05F4}", "א", "\u{FB1D}", "\u{30FB}",
    "あ", "ア", "\u{3040}", "\u{309B}", "\u{30A0}", "\u{4E00}", "\u{9FFF}", "\u{3400}", "\u{0660}",
    "\u{0669}", "\u{06F0}", "\u{06F9}", "\u{0640}", "\u{07FA}", "\u{302E}", "\u{3031}", "\u{303B}",
    "\u{06FD}", "\u{0F0B}", "\u{3007}", "\u{00A0}", "\u{2160}", "\u{00BD}", "$", "\u{FFFD}", "😀",
    "\u{E000}", "\u{0378}", "\u{0627}", "\u{0661}", "\u{3002}", "\u{FF0E}", "\u{FF61}", ".", "_",
    " ", "\u{00AD}",
];

fn unicode_label() -> BoxedStrategy<String> {
    prop::collection::vec(
        prop_oneof![4 => prop::sample::select(IDNA_CHARS).prop_map(str::to_owned), 1 => any::<char>().prop_map(String::from)],
        1..6,
    )
    .prop_map(|parts| parts.concat())
    .boxed()
}

/// `xn--` and the Punycode of a Unicode label.
fn a_label() -> BoxedStrategy<String> {
    unicode_label()
        .prop_filter_map("Punycode-encodable", |label| {
            idna::punycode::encode_str(&label).map(|code| format!("xn--{code}"))
        })
        .boxed()
}

fn ldh_label() -> BoxedStrategy<String> {
    prop_oneof![
        3 => pick(LABELS),
        2 => a_label(),
        2 => "[a-zA-Z0-9-]{0,6}",
        1 => "[a-z0-9]{61,65}",
    ]
    .boxed()
}

fn hostname() -> BoxedStrategy<String> {
    let name = (
        prop::collection::vec(ldh_label(), 1..5),
        pick(&["", "", "", "."]),
    )
        .prop_map(|(labels, end)| labels.join(".") + &end);
    // Near the 253-character limit.
    let long = (0usize..=66).prop_map(|n| {
        format!(
            "{}.{}.{}.{}",
            "a".repeat(63),
            "b".repeat(63),
            "c".repeat(63),
            "d".repeat(n)
        )
    });
    prop_oneof![6 => name, 1 => long].boxed()
}

const HOST_TOKENS: &[&str] = &[".", "..", "-", "--", "xn--", "a", "0", "é", "\u{3002}", "_"];

fn idn_hostname() -> BoxedStrategy<String> {
    let label = prop_oneof![
        2 => "[a-zà-öø-ÿα-ω一-龥ぁ-ん0-9]{1,6}",
        2 => unicode_label(),
        1 => ldh_label(),
    ];
    (
        prop::collection::vec(label, 1..4),
        pick(&[".", ".", "\u{3002}", "\u{FF0E}", "\u{FF61}"]),
        pick(&["", "", "", ".", "\u{3002}"]),
    )
        .prop_map(|(labels, dot, end)| labels.join(&dot) + &end)
        .boxed()
}

#[test]
fn hostname_agrees() {
    agrees(
        "hostname",
        prop_oneof![
            4 => hostname(),
            2 => mutated(hostname(), HOST_TOKENS),
            1 => mutated(hostname(), NOISE),
            1 => any_text(),
        ]
        .boxed(),
    );
}

#[test]
fn idn_hostname_agrees() {
    agrees(
        "idn-hostname",
        prop_oneof![
            4 => idn_hostname(),
            1 => hostname(),
            2 => mutated(idn_hostname(), HOST_TOKENS),
            1 => mutated(idn_hostname(), IDNA_CHARS),
            1 => any_text(),
        ]
        .boxed(),
    );
}

// ---------------------------------------------------------------- email, idn-email

const LOCAL_PARTS: &[&str] = &[
    "a",
    "joe",
    "a.b",
    "a+b",
    "Joe.Bloggs",
    ".a",
    "a.",
    "a..b",
    "\"a b\"",
    "\"\"",
    "\"a\\\"b\"",
    "\"a\\",
    "\"a@b\"",
    "\"a\\ b\"",
    "\"\\\"",
    "é",
    "\"é\"",
    "\"a é\"",
    "用户",
    "<a",
    "a<",
    "!#$%&'*+/=?^_`{|}~",
    "(comment)a",
    "a b",
    "a\tb",
    "\"a\tb\"",
    "\"a\u{7f}\"",
    "",
];

const DOMAINS: &[&str] = &[
    "example.com",
    "x",
    "localhost",
    "[127.0.0.1]",
    "[IPv6:::1]",
    "[ipv6:::1]",
    "[IPV6:fe80::1]",
    "[IPv6:1.2.3.4]",
    "[256.0.0.1]",
    "[foo]",
    "[Foo:bar]",
    "[]",
    "[::1]",
    "ex-ample.com",
    "-a.com",
    "a-.com",
    "a.com.",
    "xn--nxasmq6b.com",
    "XN--NXASMQ6B.com",
    "münchen.de",
    "例え.テスト",
    "a..b",
    "1.2.3.4",
    "_a.com",
    "ex_ample.com",
    "ＥＸ.com",
    "a\u{3002}com",
    "",
];

fn email() -> BoxedStrategy<String> {
    let local = prop_oneof![
        3 => "[a-z0-9]{1,8}(\\.[a-z0-9+_-]{1,8}){0,2}",
        4 => pick(LOCAL_PARTS),
        1 => "[a-z]{62,66}",
        1 => mutated(pick(LOCAL_PARTS), NOISE),
    ];
    let domain = prop_oneof![
        3 => "[a-z]{1,8}(\\.[a-z0-9-]{0,5}[a-z]){0,2}",
        3 => pick(DOMAINS),
        2 => hostname(),
        1 => idn_hostname(),
    ];
    let address = (local, pick(&["@", "@", "@", "@@", "", "\u{FF20}"]), domain)
        .prop_map(|(l, at, d)| format!("{l}{at}{d}"));
    (
        address,
        pick(&["", "", "", "", "Joe <", "\"J <\" <", "<", " <"]),
    )
        .prop_map(|(address, display)| {
            if display.is_empty() {
                address
            } else {
                format!("{display}{address}>")
            }
        })
        .boxed()
}

/// Mostly valid addresses, ASCII or not.
fn plain_email() -> BoxedStrategy<String> {
    (
        "[a-z0-9]{1,8}(\\.[a-z0-9_+-]{1,8}){0,2}|[a-zé用户]{1,4}",
        "[a-z]{1,8}(\\.[a-z]{2,5}){1,2}|[a-zé例え]{1,5}\\.[a-z]{2,3}",
    )
        .prop_map(|(local, domain)| format!("{local}@{domain}"))
        .boxed()
}

const EMAIL_TOKENS: &[&str] = &["@", ".", "\"", "\\", " <", ">", "[", "]", "é", "IPv6:", "a"];

#[test]
fn email_agrees() {
    agrees(
        "email",
        prop_oneof![
            3 => plain_email(),
            4 => email(),
            2 => mutated(email(), EMAIL_TOKENS),
            1 => mutated(email(), NOISE),
            1 => any_text(),
        ]
        .boxed(),
    );
}

#[test]
fn idn_email_agrees() {
    agrees(
        "idn-email",
        prop_oneof![
            3 => plain_email(),
            4 => email(),
            2 => mutated(email(), EMAIL_TOKENS),
            1 => mutated(email(), IDNA_CHARS),
            1 => any_text(),
        ]
        .boxed(),
    );
}

// ---------------------------------------------------------------- ipv4, ipv6

const OCTETS: &[&str] = &[
    "0", "1", "9", "10", "99", "100", "199", "200", "249", "250", "255", "256", "300", "999", "01",
    "001", "00", "1a", " 1", "+1", "-1", "0x1", "", "١", "1234",
];

fn ipv4() -> BoxedStrategy<String> {
    let octet = prop_oneof![
        3 => (0u32..=255).prop_map(|n| n.to_string()),
        1 => pick(OCTETS),
    ];
    prop_oneof![
        4 => prop::collection::vec(octet.clone(), 4..=4),
        1 => prop::collection::vec(octet, 3..=5),
    ]
    .prop_map(|octets| octets.join("."))
    .boxed()
}

fn ipv6() -> BoxedStrategy<String> {
    let group = prop_oneof![
        16 => "[0-9a-fA-F]{1,4}",
        1 => "[0-9a-f]{5}",
        1 => Just(String::new()),
        1 => pick(&["0", "00000", "g", "G", "-1", "١"]),
    ];
    let tail = prop_oneof![
        6 => Just(String::new()),
        1 => ipv4().prop_map(|v4| format!(":{v4}")),
        1 => pick(&[":1.2.3.4", "::1.2.3.4", ":255.255.255.255", ":1.2.3", ":01.2.3.4"]),
    ];
    (
        prop_oneof![
            prop::collection::vec(group.clone(), 8..=8),
            prop::collection::vec(group, 1..=9)
        ],
        any::<prop::sample::Index>(),
        any::<bool>(),
        tail,
        pick(&["", "", "", "", "", "", "%eth0", "%25eth0", "%", "/64", "]"]),
        prop::bool::weighted(0.1),
    )
        .prop_map(|(groups, place, elide, tail, suffix, bracket)| {
            let mut text = String::new();
            let elision = place.index(groups.len() + 1);
            for (i, group) in groups.iter().enumerate() {
                if elide && i == elision {
                    text.push_str("::");
                } else if i > 0 {
                    text.push(':');
                }
                text.push_str(group);
            }
            if elide && elision == groups.len() {
                text.push_str("::");
            }
            text.push_str(&tail);
            text.push_str(&suffix);
            if bracket {
                format!("[{text}]")
            } else {
                text
            }
        })
        .boxed()
}

/// Addresses as the standard library writes them (compressed, IPv4-mapped), and in full.
fn plain_ipv6() -> BoxedStrategy<String> {
    let group = prop_oneof![3 => Just(0u16), 1 => Just(0xffff), 2 => any::<u16>()];
    (prop::collection::vec(group, 8..=8), any::<bool>())
        .prop_map(|(groups, full)| {
            let segments: [u16; 8] = groups.try_into().expect("eight groups");
            if full {
                segments.map(|g| format!("{g:X}")).join(":")
            } else {
                std::net::Ipv6Addr::from(segments).to_string()
            }
        })
        .boxed()
}

const IP_TOKENS: &[&str] = &[":", "::", ".", "0", "1", "f", "F", "ffff", "%", "1.2.3.4"];

#[test]
fn ipv4_agrees() {
    agrees(
        "ipv4",
        prop_oneof![
            4 => ipv4(),
            2 => mutated(ipv4(), IP_TOKENS),
            1 => mutated(ipv4(), NOISE),
            1 => any_text(),
        ]
        .boxed(),
    );
}

#[test]
fn ipv6_agrees() {
    agrees(
        "ipv6",
        prop_oneof![
            4 => plain_ipv6(),
            4 => ipv6(),
            2 => mutated(ipv6(), IP_TOKENS),
            1 => mutated(ipv6(), NOISE),
            1 => any_text(),
        ]
        .boxed(),
    );
}

// ---------------------------------------------------------------- uri, iri and references

const SCHEMES: &[&str] = &[
    "http:", "https:", "urn:", "a+b-c.d:", "A:", "1a:", "+a:", "a_b:", "", "", "mailto:", ":",
    "é:", "h ttp:", "a",
];
const USER_INFOS: &[&str] = &[
    "",
    "",
    "user@",
    "u:p@",
    ":@",
    "@",
    "a@b@",
    "%41@",
    "%4@",
    "é@",
    "[@",
    "u p@",
    "\u{E000}@",
];
const HOSTS: &[&str] = &[
    "",
    "example.com",
    "a",
    "1.2.3.4",
    "256.1.1.1",
    "[::1]",
    "[v1.x]",
    "[V1F.a:b]",
    "[v.x]",
    "[v1.]",
    "[vz.x]",
    "[v1.%41]",
    "[::1%25eth0]",
    "[::1%eth0]",
    "[]",
    "[::1",
    "::1]",
    "[1.2.3.4]",
    "[::ffff:1.2.3.4]",
    "[::1.2.3.04]",
    "[::01.2.3.4]",
    "[1:2:3:4:5:6:7:8]",
    "[1:2:3:4:5:6:7:8:9]",
    "[1:2:3:4:5:6:7::]",
    "[1:2:3:4:5:6:7::8]",
    "[1::2::3]",
    "[::]",
    "[g::1]",
    "[12345::]",
    "ex%41mple",
    "ex%4mple",
    "éxample",
    "例え.jp",
    "a_b",
    "a~b",
    "a!$&'()*+,;=b",
    "\u{E000}",
    "\u{FFFE}",
];
const PORTS: &[&str] = &[
    "",
    "",
    ":",
    ":80",
    ":65536",
    ":99999999999",
    ":8a",
    "::80",
    ":-1",
    ":١",
];
const PATH_PIECES: &[&str] = &[
    "/",
    "/",
    "a",
    "//",
    "/a/b",
    "a:b",
    ":",
    "@",
    "%20",
    "%",
    "%2",
    "%zz",
    "é",
    "\u{E000}",
    "\u{FFFE}",
    "\u{10FFFD}",
    "\u{F0000}",
    "\u{200E}",
    " ",
    "\\",
    "{",
    "}",
    "|",
    "^",
    "`",
    "<",
    ">",
    "\"",
    ".",
    "..",
    "~",
    "!$&'()*+,;=",
    "[",
    "]",
    "?",
    "#",
    "😀",
    "\u{0080}",
    "\u{00A0}",
    "\u{D7FF}",
    "\u{F900}",
    "\u{FDCF}",
    "\u{FDD0}",
    "\u{FDF0}",
    "\u{FFEF}",
    "\u{FFF0}",
    "\u{1FFFE}",
    "\u{1FFFD}",
    "\u{E1000}",
    "\u{EFFFD}",
    "\u{E0FFF}",
    "\u{FFFFD}",
    "\u{100000}",
    "\u{10FFFF}",
    "\u{DFFFD}",
    "\u{E0000}",
];

fn uri_like() -> BoxedStrategy<String> {
    let rest = joined(pick(PATH_PIECES), 4);
    (
        (pick(SCHEMES), pick(&["//", "//", "", "/", "///"])),
        (pick(USER_INFOS), pick(HOSTS), pick(PORTS)),
        rest.clone(),
        prop_oneof![
            Just(String::new()),
            rest.clone().prop_map(|q| format!("?{q}"))
        ],
        prop_oneof![Just(String::new()), rest.prop_map(|f| format!("#{f}"))],
    )
        .prop_map(
            |((scheme, slashes), (user, host, port), path, query, fragment)| {
                format!("{scheme}{slashes}{user}{host}{port}{path}{query}{fragment}")
            },
        )
        .boxed()
}

/// The edges of RFC 3987's `ucschar` and `iprivate` ranges, on both sides.
const UCS_EDGES: &[&str] = &[
    "\u{9F}",
    "\u{A0}",
    "\u{D7FF}",
    "\u{E000}",
    "\u{F8FF}",
    "\u{F900}",
    "\u{FDCF}",
    "\u{FDD0}",
    "\u{FDEF}",
    "\u{FDF0}",
    "\u{FFEF}",
    "\u{FFF0}",
    "\u{FFFD}",
    "\u{FFFF}",
    "\u{10000}",
    "\u{1FFFD}",
    "\u{1FFFE}",
    "\u{DFFFD}",
    "\u{E0000}",
    "\u{E0FFF}",
    "\u{E1000}",
    "\u{EFFFD}",
    "\u{EFFFE}",
    "\u{F0000}",
    "\u{FFFFD}",
    "\u{FFFFE}",
    "\u{100000}",
    "\u{10FFFD}",
    "\u{10FFFF}",
];

/// Mostly valid URIs and IRIs: scheme, authority, path, query, fragment.
fn plain_uri(international: bool) -> BoxedStrategy<String> {
    // Non-ASCII now and then in IRIs only, so that most URIs stay valid.
    let edges = if international { 1 } else { 0 };
    let piece = prop_oneof![
        4 => "[a-zA-Z0-9._~!$&'()*+,;=:@-]{0,6}|%[0-9A-Fa-f]{2}|[é日]",
        edges => pick(UCS_EDGES),
    ];
    (
        "[a-zA-Z][a-zA-Z0-9+.-]{0,5}:",
        prop_oneof![
            "//[a-z0-9.-]{0,10}(:[0-9]{0,4})?",
            "//[a-z]{1,4}(:[a-z]{0,3})?@[a-z0-9.]{1,6}",
            "//\\[[0-9a-f:]{2,12}\\]",
            "//\\[[vV][0-9a-fA-F]{0,2}\\.[a-z:!]{0,3}\\]",
            Just(String::new()),
        ],
        prop::collection::vec(piece, 0..4)
            .prop_map(|segments| segments.iter().map(|s| format!("/{s}")).collect::<String>()),
        (
            "(\\?[a-z=&/?%0-9]{0,6})?",
            prop_oneof![3 => Just(String::new()), edges => pick(UCS_EDGES)],
            "(#[a-z/?]{0,4})?",
            prop_oneof![3 => Just(String::new()), edges => pick(UCS_EDGES)],
        )
            .prop_map(|(query, in_query, fragment, in_fragment)| {
                let query = if query.is_empty() {
                    query
                } else {
                    query + &in_query
                };
                let fragment = if fragment.is_empty() {
                    fragment
                } else {
                    fragment + &in_fragment
                };
                query + &fragment
            }),
        pick(&["", "", "", "", "x", "/"]),
    )
        .prop_map(|(scheme, authority, path, tail, relative)| {
            // Now and then a relative reference: the scheme dropped.
            if relative.is_empty() {
                format!("{scheme}{authority}{path}{tail}")
            } else {
                format!("{relative}{authority}{path}{tail}")
            }
        })
        .boxed()
}

fn uri_strategy(international: bool) -> BoxedStrategy<String> {
    prop_oneof![
        6 => plain_uri(international),
        3 => uri_like(),
        2 => mutated(uri_like(), PATH_PIECES),
        1 => mutated(uri_like(), NOISE),
        1 => any_text(),
    ]
    .boxed()
}

#[test]
fn uri_agrees() {
    agrees("uri", uri_strategy(false));
}

#[test]
fn uri_reference_agrees() {
    agrees("uri-reference", uri_strategy(false));
}

#[test]
fn iri_agrees() {
    agrees("iri", uri_strategy(true));
}

#[test]
fn iri_reference_agrees() {
    agrees("iri-reference", uri_strategy(true));
}

// ---------------------------------------------------------------- uri-template

const TEMPLATE_PIECES: &[&str] = &[
    "http://example.com/",
    "{a}",
    "{+a}",
    "{#a}",
    "{.a}",
    "{/a}",
    "{;a}",
    "{?a}",
    "{&a}",
    "{=a}",
    "{,a}",
    "{!a}",
    "{@a}",
    "{|a}",
    "{$a}",
    "{a,b}",
    "{a.b}",
    "{a..b}",
    "{a.}",
    "{a*}",
    "{a:1}",
    "{a:9999}",
    "{a:10000}",
    "{a:0}",
    "{a:01}",
    "{a*:3}",
    "{a:3*}",
    "{%41}",
    "{%4}",
    "{a%20b}",
    "{}",
    "{",
    "}",
    "{a",
    "a}",
    "{{a}}",
    "{a b}",
    "{ab,}",
    "{,}",
    "{_}",
    "{a-b}",
    "'",
    "%41",
    "%4",
    "%",
    " ",
    "\"",
    "<",
    ">",
    "\\",
    "^",
    "`",
    "|",
    "é",
    "\u{FFFE}",
    "\u{E000}",
    "\u{7f}",
    "\t",
    "/path",
    "?q=",
    "~",
    "{é}",
    "{+}",
    "{++a}",
    "{a:}",
    "{a:1a}",
];

#[test]
fn uri_template_agrees() {
    agrees(
        "uri-template",
        prop_oneof![
            4 => joined(pick(TEMPLATE_PIECES), 5),
            2 => mutated(joined(pick(TEMPLATE_PIECES), 4), TEMPLATE_PIECES),
            1 => mutated(uri_like(), NOISE),
            1 => any_text(),
        ]
        .boxed(),
    );
}

// ---------------------------------------------------------------- json-pointer, relative

const POINTER_PIECES: &[&str] = &[
    "/", "/", "a", "~0", "~1", "~", "~2", "~~", "~01", "é", "%25", " ", "\0", "#", "0", "-",
    "\u{7f}", "\\", "\"", "😀", "\u{FFFE}", "1",
];

fn pointer_like() -> BoxedStrategy<String> {
    (
        pick(&["", "/", "/", "#", "#/", "a"]),
        joined(pick(POINTER_PIECES), 6),
    )
        .prop_map(|(start, rest)| start + &rest)
        .boxed()
}

fn relative_pointer_like() -> BoxedStrategy<String> {
    let number = prop_oneof![
        3 => (0u32..200).prop_map(|n| n.to_string()),
        1 => pick(&[
            "01", "00", "-1", "+1", "", "99999999999999999999999", "1+1", "0-1", "٣",
        ]),
    ];
    (
        number,
        pick(&["", "#", "/", "/", "/", "##", "#/"]),
        joined(pick(POINTER_PIECES), 4),
    )
        .prop_map(|(number, mark, rest)| number + &mark + &rest)
        .boxed()
}

#[test]
fn json_pointer_agrees() {
    agrees(
        "json-pointer",
        prop_oneof![
            4 => pointer_like(),
            2 => mutated(pointer_like(), POINTER_PIECES),
            1 => any_text(),
        ]
        .boxed(),
    );
}

#[test]
fn relative_json_pointer_agrees() {
    agrees(
        "relative-json-pointer",
        prop_oneof![
            4 => relative_pointer_like(),
            2 => mutated(relative_pointer_like(), POINTER_PIECES),
            1 => any_text(),
        ]
        .boxed(),
    );
}

// ---------------------------------------------------------------- regex

const REGEX_PIECES: &[&str] = &[
    "a",
    "é",
    "😀",
    ".",
    "-",
    ",",
    "\\d",
    "\\D",
    "\\w",
    "\\s",
    "[a-z]",
    "[^a]",
    "[]",
    "[^]",
    "[a-]",
    "[-a]",
    "[--a]",
    "[a-z-9]",
    "[z-a]",
    "[\\d-a]",
    "[a-\\d]",
    "[\\d-]",
    "[\\b]",
    "[\\B]",
    "[\\-]",
    "[\\]]",
    "[\\1]",
    "[\\k<n>]",
    "[\\cA]",
    "[\\c1]",
    "[\\0]",
    "[\\p{L}]",
    "[",
    "]",
    "(",
    ")",
    "(?:",
    "(?<n>",
    "(?<n2>",
    "(?<$_>",
    "(?<π>",
    "(?<1a>",
    "(?<>",
    "(?<\\u0061>",
    "\\k<n>",
    "\\k<a>",
    "\\k",
    "\\1",
    "\\2",
    "\\10",
    "|",
    "*",
    "+",
    "?",
    "*?",
    "{1}",
    "{1,}",
    "{1,2}",
    "{2,1}",
    "{,2}",
    "{01,1}",
    "{",
    "}",
    "^",
    "$",
    "\\b",
    "\\B",
    "(?=",
    "(?!",
    "(?<=",
    "(?<!",
    "(?i:",
    "(?-i:",
    "(?i-s:",
    "(?ii:",
    "(?i-i:",
    "(?-:",
    "(?i)",
    "(?P<n>",
    "(?#",
    "\\p{L}",
    "\\P{Lu}",
    "\\p{Script=Greek}",
    "\\p{Foo=Bar}",
    "\\pL",
    "\\p{}",
    "\\p{L",
    "\\u{1F600}",
    "\\u{110000}",
    "\\u{}",
    "\\uD83D\\uDE00",
    "\\uD83D",
    "\\uDE00",
    "\\u004",
    "\\u0041",
    "\\x4",
    "\\x41",
    "\\c",
    "\\cA",
    "\\cz",
    "\\0",
    "\\00",
    "\\01",
    "\\-",
    "\\:",
    "\\/",
    "\\a",
    "\\é",
    "\\٣",
    "\\²",
    "\\ ",
    "\\_",
    "\\§",
    "\\",
    "\\A",
    "\\z",
    "\\n",
    "\\f",
    "\\v",
    "\\t",
    "\\r",
];

const GROUP_OPENERS: &[&str] = &[
    "(",
    "(?:",
    "(?<n>",
    "(?<m>",
    "(?<\\u006e>",
    "(?=",
    "(?!",
    "(?<=",
    "(?<!",
    "(?i:",
    "(?-i:",
    "(?i-s:",
    "(?-:",
    "(?ii:",
    "(?i-i:",
    "(?ims:",
    "(?-ims:",
    "(?m-:",
    "(?s",
    "(?<n",
];
const ATOMS: &[&str] = &[
    "a", ".", "\\d", "[a-z]", "[\\w-]", "\\k<n>", "\\k<m>", "\\1", "\\2", "\\p{L}", "é", "^", "$",
    "\\b", "",
];
const QUANTIFIERS: &[&str] = &["*", "+", "?", "*?", "{1,2}", "{2,1}", "{0}", "{1}?", "{3,}"];

/// Patterns built as trees, so that groups are mostly balanced and names, references and
/// modifiers meet in the places where their rules apply.
fn regex_tree() -> BoxedStrategy<String> {
    pick(ATOMS)
        .prop_recursive(4, 24, 3, |inner| {
            prop_oneof![
                (pick(GROUP_OPENERS), inner.clone())
                    .prop_map(|(open, body)| format!("{open}{body})")),
                prop::collection::vec(inner.clone(), 1..4).prop_map(|parts| parts.concat()),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a}|{b}")),
                (inner, pick(QUANTIFIERS)).prop_map(|(atom, q)| atom + &q),
            ]
        })
        .boxed()
}

#[test]
fn regex_agrees() {
    agrees(
        "regex",
        prop_oneof![
            4 => regex_tree(),
            2 => mutated(regex_tree(), REGEX_PIECES),
            4 => joined(pick(REGEX_PIECES), 6),
            2 => mutated(joined(pick(REGEX_PIECES), 5), REGEX_PIECES),
            1 => mutated(joined(pick(REGEX_PIECES), 4), NOISE),
            1 => any_text(),
        ]
        .boxed(),
    );
}

// ---------------------------------------------------------------- uuid

const UUID_TOKENS: &[&str] = &["-", "0", "f", "F", "g", "{", "}", "urn:uuid:", " ", "é"];

fn uuid_like() -> BoxedStrategy<String> {
    prop_oneof![
        "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
        "[0-9a-f]{32}",
        "\\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\}",
        "urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
    ]
    .boxed()
}

fn uuid_strategy() -> BoxedStrategy<String> {
    prop_oneof![
        // The hyphenated form alone, so that about 3 cases in 10 are valid: with only the
        // four forms of `uuid_like`, 1 in 10 was, and the balance check below failed at
        // random (390 of 4,000 valid in one CI run).
        2 => "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
        3 => uuid_like(),
        3 => mutated(uuid_like(), UUID_TOKENS),
        1 => any_text(),
    ]
    .boxed()
}

/// The oracle uses the project's `uuid`; jsonschema's own (2019-09) must agree with it.
#[test]
fn uuid_agrees_with_jsonschemas_own() {
    differential("uuid (ours vs jsonschema's own)", uuid_strategy(), |text| {
        (is_uuid(text), builtin_uuid_accepts(text))
    });
    agrees("uuid", uuid_strategy());
}

// ---------------------------------------------------------------- every format, any text

proptest! {
    #![proptest_config(config(CASES))]

    /// Arbitrary Unicode text, longer than the generators' own, through every checker.
    #[test]
    fn every_format_agrees_on_arbitrary_text(text in ".{0,64}") {
        for name in CHECKED_FORMATS {
            let ours = checker(name).expect("a checked format")(&text);
            prop_assert_eq!(ours, oracle_accepts(name, &text), "{} on {:?}", name, text);
        }
    }
}

/// Long texts of one repeated piece, the shapes that make parsers recurse, backtrack or
/// overflow: each checker must answer (without a panic) as the oracle does.
#[test]
fn every_format_agrees_on_huge_texts() {
    let pieces = [
        "a", "(", ")", "[", "{", "%", "%4", "/", "~", ".", "a.", "-", ":", "::", "1.", "é",
        "\u{200D}", "xn--", "@", "\"", "\\", "{a}", "(?<n>a)", "0", "9", "T", "\u{FFFD}",
    ];
    for piece in pieces {
        for length in [1_000, 100_000] {
            let text = piece.repeat(length / piece.len().max(1));
            for name in CHECKED_FORMATS {
                let ours = checker(name).expect("a checked format")(&text);
                assert_eq!(
                    ours,
                    oracle_accepts(name, &text),
                    "{name} on {piece:?} × {length}"
                );
            }
        }
    }
}
