//! The rules of each format, as a table of exact expectations a reader can scan: every row
//! is checked against the format's checker and against the oracle. Rows marked `oracle`
//! are places where the oracle, and so the project, departs from the format's RFC.
//!
//! Run: `cargo test -p event-contracts-check --test formats_table`.

mod support;

use event_contracts_check::formats::checker;
use support::oracle_accepts;

const VALID: bool = true;
const INVALID: bool = false;

fn check_table(name: &str, rows: &[(&str, bool)]) {
    let check = checker(name).expect("a checked format");
    let mut wrong = Vec::new();
    for &(text, expected) in rows {
        if check(text) != expected {
            wrong.push(format!("ours on {text:?}: expected {expected}"));
        }
        if oracle_accepts(name, text) != expected {
            wrong.push(format!("oracle on {text:?}: expected {expected}"));
        }
    }
    assert!(wrong.is_empty(), "{name}:\n{}", wrong.join("\n"));
    assert!(rows.iter().any(|row| row.1) && rows.iter().any(|row| !row.1));
}

/// `xn--` and the Punycode of `label`.
fn a_label(label: &str) -> String {
    format!(
        "xn--{}",
        idna::punycode::encode_str(label).expect("encodes")
    )
}

#[test]
fn date_time() {
    check_table(
        "date-time",
        &[
            ("1963-06-19T08:30:06.283185Z", VALID),
            ("1963-06-19t08:30:06z", VALID),
            ("1998-12-31T23:59:60Z", VALID),
            ("1998-12-31T15:59:60.123-08:00", VALID),
            ("2024-02-29T00:00:00-00:00", VALID),
            ("2024-02-29T00:00:00.123456789123+05:30", VALID),
            ("1998-12-31T23:59:61Z", INVALID),
            ("1998-12-31T22:59:60Z", INVALID),
            ("1998-12-31T23:59:60+01:00", INVALID),
            ("1963-06-19 08:30:06Z", INVALID),
            ("1963-06-19T08:30:06", INVALID),
            ("1963-06-19T08:30:06.Z", INVALID),
            ("2021-02-29T00:00:00Z", INVALID),
            ("1963-06-19T08:30:06+24:00", INVALID),
            ("1963-06-19T08:30:06+0100", INVALID),
            ("1963-06-1\u{096F}T08:30:06Z", INVALID),
            ("06/19/1963 08:30:06 PST", INVALID),
            ("", INVALID),
        ],
    );
}

#[test]
fn date() {
    check_table(
        "date",
        &[
            ("1963-06-19", VALID),
            ("2020-02-29", VALID),
            ("2000-02-29", VALID),
            ("0000-01-01", VALID),
            ("2021-02-29", INVALID),
            ("1900-02-29", INVALID),
            ("2020-04-31", INVALID),
            ("2020-13-01", INVALID),
            ("2020-00-10", INVALID),
            ("2020-1-01", INVALID),
            ("20200101", INVALID),
            ("2020-W01-1", INVALID),
            ("2020-001", INVALID),
            ("+2020-01-01", INVALID),
            ("\u{09E7}\u{09EF}\u{09EC}\u{09E9}-06-19", INVALID),
            ("", INVALID),
        ],
    );
}

#[test]
fn time() {
    check_table(
        "time",
        &[
            ("08:30:06Z", VALID),
            ("08:30:06.283185z", VALID),
            ("23:59:60Z", VALID),
            ("15:59:60-08:00", VALID),
            ("00:00:00-00:00", VALID),
            ("08:30:06", INVALID),
            ("12:00:60Z", INVALID),
            ("23:59:60+01:00", INVALID),
            ("24:00:00Z", INVALID),
            ("08:30Z", INVALID),
            ("8:30:06Z", INVALID),
            ("08:30:06 PST", INVALID),
            ("08:30:06+24:00", INVALID),
            ("08:30:06.Z", INVALID),
            ("", INVALID),
        ],
    );
}

#[test]
fn email() {
    let long_local = format!("{}@example.com", "a".repeat(65));
    check_table(
        "email",
        &[
            ("joe.bloggs@example.com", VALID),
            ("te~st+tag@example.com", VALID),
            ("\"joe bloggs\"@example.com", VALID),
            ("\"\"@example.com", VALID),
            ("joe@[127.0.0.1]", VALID),
            ("joe@[IPv6:::1]", VALID),
            ("joe@[ipv6:::1]", VALID),
            ("joe@localhost", VALID),
            // oracle: a display name is accepted (email_address parses it).
            ("Joe <joe@example.com>", VALID),
            (".joe@example.com", INVALID),
            ("joe.@example.com", INVALID),
            ("jo..e@example.com", INVALID),
            ("joe@example.com.", INVALID),
            ("joe@[300.0.0.1]", INVALID),
            ("joe@[IPv6:1.2.3.4]", INVALID),
            ("joe@[Foo:bar]", INVALID),
            ("joe@-example.com", INVALID),
            ("joé@example.com", INVALID),
            ("joe", INVALID),
            ("joe@", INVALID),
            ("@example.com", INVALID),
            (&long_local, INVALID),
        ],
    );
}

#[test]
fn idn_email() {
    check_table(
        "idn-email",
        &[
            ("실례@실례.테스트", VALID),
            ("joé@example.com", VALID),
            ("\"joé bloggs\"@example.com", VALID),
            ("joe@例え.テスト", VALID),
            ("joe@[IPv6:::1]", VALID),
            ("2962", INVALID),
            ("joe@例え..テスト", INVALID),
            ("joe@\u{0640}.com", INVALID),
            (".joé@example.com", INVALID),
        ],
    );
}

#[test]
fn hostname() {
    let longest = format!(
        "{}.{}.{}.{}",
        "a".repeat(63),
        "b".repeat(63),
        "c".repeat(63),
        "d".repeat(61)
    );
    let too_long = format!("{longest}d");
    let upper_case_u_label = a_label("\u{03A9}mega");
    let zwnj_anywhere = a_label("a\u{200C}b");
    let unassigned_hiragana = a_label("a\u{3040}");
    let unlisted_virama = a_label("a\u{0D3B}\u{200D}b");
    let listed_virama = a_label("a\u{094D}\u{200D}b");
    let zwj_after_letter = a_label("ab\u{200D}");
    check_table(
        "hostname",
        &[
            ("www.example.com", VALID),
            ("xn--4gbrim.xn----rmckbbajlc6dj7bxne2c.xn--wgbh1c", VALID),
            ("1.2.3.4", VALID),
            ("hostname", VALID),
            (&"a".repeat(63), VALID),
            (&longest, VALID),
            (&listed_virama, VALID),
            // oracle: IDNA2008 refuses upper-case letters in a U-label, and U+200C without
            // its context (RFC 5892 A.1), and unassigned code points.
            (&upper_case_u_label, VALID),
            (&zwnj_anywhere, VALID),
            (&unassigned_hiragana, VALID),
            // oracle: U+0D3B is a virama, so RFC 5892 A.2 allows U+200D after it.
            (&unlisted_virama, INVALID),
            (&zwj_after_letter, INVALID),
            ("-a.com", INVALID),
            ("a-.com", INVALID),
            ("a..com", INVALID),
            // oracle: a trailing dot (fully qualified name) is refused.
            ("example.com.", INVALID),
            ("", INVALID),
            (".", INVALID),
            ("a_b.com", INVALID),
            ("ab--c.com", INVALID),
            // oracle: the `xn--` prefix is case-sensitive.
            ("XN--NXASMQ6B", INVALID),
            ("xn--nxasmq6b", VALID),
            ("xn--a", INVALID),
            ("ex ample.com", INVALID),
            ("例え.テスト", INVALID),
            (&"a".repeat(64), INVALID),
            (&too_long, INVALID),
        ],
    );
}

#[test]
fn idn_hostname() {
    check_table(
        "idn-hostname",
        &[
            ("실례.테스트", VALID),
            ("例え.テスト", VALID),
            ("EXAMPLE.com", VALID),
            ("ＥＸＡＭＰＬＥ.com", VALID),
            ("a\u{3002}b", VALID),
            ("xn--nxasmq6b", VALID),
            ("l\u{00B7}l", VALID),
            ("\u{30FB}\u{30A2}", VALID),
            ("\u{302E}실례.테스트", INVALID),
            ("a..b", INVALID),
            ("-a.com", INVALID),
            ("ab--c", INVALID),
            ("a.b.", INVALID),
            ("\u{0640}", INVALID),
            ("a\u{200D}b", INVALID),
            ("a\u{00B7}l", INVALID),
            ("\u{30FB}", INVALID),
            ("\u{0660}\u{06F0}", INVALID),
            ("", INVALID),
        ],
    );
}

#[test]
fn ipv4() {
    check_table(
        "ipv4",
        &[
            ("192.168.0.1", VALID),
            ("0.0.0.0", VALID),
            ("255.255.255.255", VALID),
            ("256.0.0.1", INVALID),
            ("01.2.3.4", INVALID),
            ("1.2.3", INVALID),
            ("1.2.3.4.5", INVALID),
            ("0x7f.0.0.1", INVALID),
            ("1.2.3.4 ", INVALID),
            ("\u{0661}.2.3.4", INVALID),
            ("127.0.0.1/8", INVALID),
            ("", INVALID),
        ],
    );
}

#[test]
fn ipv6() {
    check_table(
        "ipv6",
        &[
            ("::1", VALID),
            ("::", VALID),
            ("1::", VALID),
            ("1:2:3:4:5:6:7::", VALID),
            ("::ffff:192.0.2.1", VALID),
            ("FE80::1", VALID),
            ("1:2:3:4:5:6:7:8", VALID),
            ("1:2:3:4:5:6:7:8:9", INVALID),
            ("1:2:3:4:5:6:7::8", INVALID),
            ("12345::", INVALID),
            ("::1%eth0", INVALID),
            ("[::1]", INVALID),
            ("::1/128", INVALID),
            ("1::2::3", INVALID),
            ("::ffff:01.2.3.4", INVALID),
            (":1::", INVALID),
            ("1:", INVALID),
            ("", INVALID),
        ],
    );
}

#[test]
fn uri() {
    check_table(
        "uri",
        &[
            ("http://example.com/a?b=c#d", VALID),
            ("urn:isbn:0451450523", VALID),
            ("mailto:joe@example.com", VALID),
            ("http://[::1]:80/", VALID),
            ("http://[v1.x]/", VALID),
            ("http://user:pw@host:/p", VALID),
            ("http://example.com:99999999", VALID),
            ("a:", VALID),
            ("//example.com", INVALID),
            ("/a", INVALID),
            ("http://exa mple.com", INVALID),
            ("http://example.com/a\\b", INVALID),
            ("http://[::1%25eth0]/", INVALID),
            ("http://[1.2.3.4]/", INVALID),
            ("http://[v1.]/", INVALID),
            ("http://a:b:c", INVALID),
            ("http://éxample.com", INVALID),
            ("1a:b", INVALID),
            ("http://%zz", INVALID),
            ("http://a#b#c", INVALID),
            ("", INVALID),
        ],
    );
}

#[test]
fn uri_reference() {
    check_table(
        "uri-reference",
        &[
            ("", VALID),
            ("#", VALID),
            ("?q", VALID),
            ("/a", VALID),
            ("a/b", VALID),
            ("./1:b", VALID),
            ("//host", VALID),
            ("http://x", VALID),
            ("1:b", INVALID),
            ("\\\\WINDOWS\\fileshare", INVALID),
            ("#a#b", INVALID),
            ("a b", INVALID),
            ("é", INVALID),
        ],
    );
}

#[test]
fn iri() {
    check_table(
        "iri",
        &[
            ("http://ƒøø.ßår/?∂éœ=πîx#πîüx", VALID),
            ("http://例え.テスト/パス", VALID),
            ("http://a/?\u{E000}", VALID),
            ("http://a/\u{E000}", INVALID),
            ("http://a/#\u{E000}", INVALID),
            ("http://a/\u{FFFE}", INVALID),
            // oracle: RFC 3987 section 4.1 forbids bidi formatting characters such as
            // U+200E, though its grammar's `ucschar` holds them.
            ("http://a/\u{200E}", VALID),
            ("é://a", INVALID),
            ("http://[::é]", INVALID),
            ("//ƒøø.ßår/", INVALID),
        ],
    );
}

#[test]
fn iri_reference() {
    check_table(
        "iri-reference",
        &[
            ("", VALID),
            ("//ƒøø.ßår/?∂éœ=πîx#πîüx", VALID),
            ("résumé", VALID),
            ("\\\\WINDOWS\\filëßåré", INVALID),
            ("#ƒrägmen#t", INVALID),
            ("é:b", INVALID),
        ],
    );
}

#[test]
fn uri_template() {
    check_table(
        "uri-template",
        &[
            ("http://example.com/dictionary/{term:1}/{term}", VALID),
            ("{+path}/here", VALID),
            ("{#frag}{?x,y}{&z}{;p}{.d}{/s}", VALID),
            ("{var:9999}{list*}", VALID),
            ("{=a}{!b}{@c}{|d}{,e}", VALID),
            ("'{a.b}{%41}", VALID),
            ("\u{FFFE}", VALID),
            ("", VALID),
            ("http://example.com/dictionary/{term:1}/{term", INVALID),
            ("{}", INVALID),
            ("{a:0}", INVALID),
            ("{a:10000}", INVALID),
            ("{a*:3}", INVALID),
            ("{a.}", INVALID),
            ("{a b}", INVALID),
            ("{a,}", INVALID),
            ("a b", INVALID),
            ("}", INVALID),
            ("%4", INVALID),
            ("\"", INVALID),
            ("<>", INVALID),
        ],
    );
}

#[test]
fn json_pointer() {
    check_table(
        "json-pointer",
        &[
            ("", VALID),
            ("/", VALID),
            ("/foo/0", VALID),
            ("/a~1b", VALID),
            ("/m~0n", VALID),
            ("/ ", VALID),
            ("//", VALID),
            ("/%25", VALID),
            ("/é", VALID),
            ("a", INVALID),
            ("#", INVALID),
            ("#/a", INVALID),
            ("/~", INVALID),
            ("/~2", INVALID),
            ("/a~", INVALID),
            ("0", INVALID),
        ],
    );
}

#[test]
fn relative_json_pointer() {
    check_table(
        "relative-json-pointer",
        &[
            ("0", VALID),
            ("1", VALID),
            ("10", VALID),
            ("0#", VALID),
            ("1/a", VALID),
            ("0/a~1b", VALID),
            ("10/", VALID),
            ("2/0/", VALID),
            ("01", INVALID),
            ("-1", INVALID),
            ("+1/a", INVALID),
            ("#", INVALID),
            ("0##", INVALID),
            ("/a", INVALID),
            ("", INVALID),
            ("1#/", INVALID),
            ("\u{0663}", INVALID),
        ],
    );
}

#[test]
fn regex() {
    check_table(
        "regex",
        &[
            ("([abc])+\\s+$", VALID),
            ("", VALID),
            ("(?<n>a)\\k<n>", VALID),
            ("(?<n>a)|(?<n>b)", VALID),
            ("(?i:a)(?-m:b)", VALID),
            ("\\p{L}\\P{Script=Greek}", VALID),
            // oracle: property names are not checked against Unicode's.
            ("\\p{Foo}", VALID),
            // oracle: non-alphanumeric identity escapes, which the `u` flag refuses.
            ("\\:\\-\\ ", VALID),
            ("a{2,3}?", VALID),
            ("[\\d-]", VALID),
            ("(?<=a+)b", VALID),
            ("\\u{1F600}\\uD83D", VALID),
            ("^(abc]", INVALID),
            ("\\a", INVALID),
            ("\\pL", INVALID),
            ("(?i)a", INVALID),
            ("(?P<n>a)", INVALID),
            ("a{2,1}", INVALID),
            ("[z-a]", INVALID),
            ("[\\w-a]", INVALID),
            ("(?=a)*", INVALID),
            ("\\1", INVALID),
            ("(?<n>a)(?<n>b)", INVALID),
            ("{", INVALID),
            ("]", INVALID),
            ("\\00", INVALID),
            ("\\x4", INVALID),
            ("\\u{110000}", INVALID),
            ("(?-:a)", INVALID),
            ("(?ii:a)", INVALID),
        ],
    );
}

#[test]
fn uuid() {
    check_table(
        "uuid",
        &[
            ("2eb8aa08-aa98-11ea-b4aa-73b441d16380", VALID),
            ("2EB8AA08-AA98-11EA-B4AA-73B441D16380", VALID),
            ("00000000-0000-0000-0000-000000000000", VALID),
            ("2eb8aa08aa9811eab4aa73b441d16380", INVALID),
            ("{2eb8aa08-aa98-11ea-b4aa-73b441d16380}", INVALID),
            ("urn:uuid:2eb8aa08-aa98-11ea-b4aa-73b441d16380", INVALID),
            ("2eb8aa08-aa98-11ea-b4aa-73b441d1638g", INVALID),
            ("2eb8-aa08-aa98-11ea-b4aa73b441d16380", INVALID),
        ],
    );
}
