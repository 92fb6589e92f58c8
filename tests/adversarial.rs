//! Hostile input against `decode`, beyond the corpus of `tests/corpus/` (which holds the
//! small cases: one duplicate key, one bad byte, 23-digit numbers). Each case here is large
//! or repeated enough to find what only scale finds (stack depth, quadratic work, memory),
//! and each asserts the exact outcome. The CLI side is in `cli/tests/adversarial.rs`.

use event_contracts::{
    decode, encode, encode_value, DecodeError, Decoder, ProductEvent, DEFAULT_MAX_DEPTH,
};
use serde_json::Value;

/// The corpus's minimal valid ProductCreated 1.0.0 with its `data` object left open: the
/// text between `{"productId": ...` and the closing braces is `data_tail`, so a case can
/// put hostile bytes in a key, a value or between tokens of a real event.
fn created_with(
    name: &[u8],
    description: &[u8],
    price: &[u8],
    quantity: &[u8],
    extra: &[u8],
) -> Vec<u8> {
    let mut out = br#"{"eventId": "6f1c2e9a-3b4d-4e5f-8a9b-0c1d2e3f4a5b", "version": "1.0.0", "timestamp": "2026-03-01T12:00:00Z", "correlationId": "0b7e4c1a-5d2f-4a3b-9c8d-7e6f5a4b3c2d", "source": "catalog-service", "userId": "a1b2c3d4-e5f6-4789-abcd-ef0123456789", "eventType": "ProductCreated", "data": {"productId": "9e8d7c6b-5a49-4382-9171-605f4e3d2c1b", "name": ""#.to_vec();
    out.extend_from_slice(name);
    out.extend_from_slice(br#"", "description": ""#);
    out.extend_from_slice(description);
    out.extend_from_slice(br#"", "price": "#);
    out.extend_from_slice(price);
    out.extend_from_slice(br#", "quantity": "#);
    out.extend_from_slice(quantity);
    out.extend_from_slice(
        br#", "category": "sports", "sellerId": "1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b""#,
    );
    out.extend_from_slice(extra);
    out.extend_from_slice(b"}}");
    out
}

fn plain_created(extra: &[u8]) -> Vec<u8> {
    created_with(b"Shoe", b"Light", b"12999", b"40", extra)
}

fn data_of(event: &ProductEvent) -> &event_contracts::product_created::Data {
    match event {
        ProductEvent::ProductCreated(created) => &created.data,
        other => panic!("expected ProductCreated, got {other:?}"),
    }
}

/// An unbounded string: `description` has maxLength 1000, an unknown property has none.
fn created_with_note(note: &[u8]) -> Vec<u8> {
    let mut extra = b", \"note\": \"".to_vec();
    extra.extend_from_slice(note);
    extra.push(b'"');
    plain_created(&extra)
}

/// Decodes with no size limit: these cases are about content, not size.
fn decode_unlimited(bytes: &[u8]) -> Result<ProductEvent, DecodeError> {
    Decoder::new().max_size(usize::MAX).decode(bytes)
}

/// The unknown `data.note` of a decoded event, as encode gives it back.
fn note_of(event: &ProductEvent) -> String {
    let value = encode_value(event).unwrap();
    value["data"]["note"].as_str().unwrap().to_owned()
}

/// `encode(decode(x))` equals `x` as a JSON value: nothing hostile input carries is lost.
fn assert_round_trip(bytes: &[u8]) {
    let event = decode_unlimited(bytes).unwrap_or_else(|e| panic!("{e}"));
    let encoded: Value = serde_json::from_slice(&encode(&event).unwrap()).unwrap();
    let original: Value = serde_json::from_slice(bytes).unwrap();
    assert_eq!(encoded, original);
}

// --- nesting ---

#[test]
fn nesting_100_000_deep_is_too_deep_at_the_first_bracket_past_the_limit() {
    // Arrays, objects and a mix, each closed properly, so only depth is wrong.
    let prefix = b"{\"eventType\":\"ProductCreated\",\"x\":";
    for (open, close) in [
        (&b"["[..], &b"]"[..]),
        (&b"{\"a\":"[..], &b"}"[..]),
        (&b"[{\"a\":"[..], &b"}]"[..]),
    ] {
        let levels = 100_000 / open.iter().filter(|b| matches!(b, b'[' | b'{')).count();
        let mut hostile = prefix.to_vec();
        for _ in 0..levels {
            hostile.extend_from_slice(open);
        }
        hostile.extend_from_slice(b"1");
        for _ in 0..levels {
            hostile.extend_from_slice(close);
        }
        hostile.push(b'}');
        // The event object is level 1; the 64th bracket of `x` is level 65.
        let brackets: Vec<usize> = hostile
            .iter()
            .enumerate()
            .filter(|(_, b)| matches!(b, b'[' | b'{'))
            .map(|(i, _)| i)
            .collect();
        let error = Decoder::new()
            .max_size(usize::MAX)
            .decode(&hostile)
            .unwrap_err();
        assert_eq!(
            error,
            DecodeError::TooDeep {
                limit: DEFAULT_MAX_DEPTH,
                offset: brackets[DEFAULT_MAX_DEPTH]
            }
        );
    }
}

#[test]
fn brackets_inside_strings_do_not_count_as_nesting() {
    // 100,000 brackets and escaped quotes in a string value: text, not structure.
    let note = "[{\\\"".repeat(100_000);
    let event = decode_unlimited(&created_with_note(note.as_bytes())).unwrap();
    assert_eq!(note_of(&event), "[{\"".repeat(100_000));
}

// --- duplicate keys ---

#[test]
fn ten_thousand_duplicate_keys_fail_at_the_second() {
    let extra = ", \"k\": 1".repeat(10_000);
    let bytes = plain_created(extra.as_bytes());
    let error = decode(&bytes).unwrap_err();
    let DecodeError::Syntax {
        message,
        line,
        column,
    } = &error
    else {
        panic!("{error:?}")
    };
    // The parser stops at the end of the second "k": the first duplicate, not the last.
    let second = bytes
        .windows(3)
        .enumerate()
        .filter(|(_, w)| w == b"\"k\"")
        .nth(1)
        .map(|(i, _)| i)
        .unwrap();
    assert_eq!(
        (message.as_str(), *line, *column),
        (
            format!(
                "duplicate key \"k\" in one object; send each key once at line 1 column {}",
                second + 3
            )
            .as_str(),
            1,
            second + 3
        )
    );
}

#[test]
fn ten_thousand_distinct_unknown_keys_are_all_kept() {
    let extra: String = (0..10_000).map(|i| format!(", \"k{i}\": {i}")).collect();
    let bytes = plain_created(extra.as_bytes());
    assert_round_trip(&bytes);
}

// --- escapes and surrogates ---

#[test]
fn long_runs_of_escapes_decode_to_the_characters_they_name() {
    let escapes = r#"\n\t\"\\\/\b\f\r\u00e9\u0000"#.repeat(10_000);
    let bytes = created_with_note(escapes.as_bytes());
    let event = decode_unlimited(&bytes).unwrap();
    assert_eq!(
        note_of(&event),
        "\n\t\"\\/\u{8}\u{c}\r\u{e9}\u{0}".repeat(10_000)
    );
    assert_round_trip(&bytes);
}

#[test]
fn surrogate_pairs_count_as_one_character_each_for_max_length() {
    // maxLength counts code points: 255 escaped pairs are a 255-character name.
    let name = r"\ud83d\ude00".repeat(255);
    let event = decode(&created_with(name.as_bytes(), b"x", b"1", b"1", b"")).unwrap();
    assert_eq!(data_of(&event).name.as_str(), "\u{1f600}".repeat(255));
    let name = r"\ud83d\ude00".repeat(256);
    let error = decode(&created_with(name.as_bytes(), b"x", b"1", b"1", b"")).unwrap_err();
    assert_eq!(
        support_pairs(&error),
        [("/data/name".to_owned(), "maxLength".to_owned())]
    );
    // 10,000 pairs in a field without a bound, escaped and raw, decode to the same text.
    let escaped = r"\ud83d\ude00".repeat(10_000);
    let raw = "\u{1f600}".repeat(10_000);
    let a = decode(&created_with_note(escaped.as_bytes())).unwrap();
    let b = decode(&created_with_note(raw.as_bytes())).unwrap();
    assert_eq!(note_of(&a), raw);
    assert_eq!(note_of(&b), raw);
}

fn support_pairs(error: &DecodeError) -> Vec<(String, String)> {
    error
        .violations()
        .iter()
        .map(|v| (v.pointer.clone(), v.keyword.to_owned()))
        .collect()
}

#[test]
fn lone_surrogates_after_a_long_valid_run_are_a_syntax_error() {
    let run = r"\ud83d\ude00".repeat(10_000);
    // serde_json's wording; the column is the 1-based column of the last hex digit read
    // (`at_quote`: it needed a following `\u` and found the closing quote instead).
    for (lone, message, at_quote) in [
        (r"\ud800", "unexpected end of hex escape", true),
        (r"\udbff", "unexpected end of hex escape", true),
        (r"\udc00", "lone leading surrogate in hex escape", false),
        (
            r"\ud800\u0041",
            "lone leading surrogate in hex escape",
            false,
        ),
        (
            r"\ud800\ud800",
            "lone leading surrogate in hex escape",
            false,
        ),
    ] {
        let bytes = created_with_note(format!("{run}{lone}").as_bytes());
        // The note's closing quote is followed only by `}}`.
        let quote = bytes.len() - 3;
        let column = if at_quote { quote + 1 } else { quote };
        assert_eq!(
            decode_unlimited(&bytes).unwrap_err(),
            DecodeError::Syntax {
                message: format!("{message} at line 1 column {column}"),
                line: 1,
                column
            },
            "{lone}"
        );
    }
}

// --- numbers with 10,000 digits ---

#[test]
fn ten_thousand_digit_numbers_have_exact_verdicts() {
    let big_integer = format!("1{}", "0".repeat(9_999));
    let tiny_fraction = format!("0.{}1", "0".repeat(9_998));
    let long_integer_fraction = format!("5.{}", "0".repeat(9_998));
    let many_fraction_digits = format!("1.{}", "5".repeat(9_998));

    // 10^9999 is beyond f64: the parser refuses it rather than reading infinity.
    for (price, quantity) in [(big_integer.as_str(), "1"), ("1", big_integer.as_str())] {
        let error = decode(&created_with(
            b"x",
            b"x",
            price.as_bytes(),
            quantity.as_bytes(),
            b"",
        ))
        .unwrap_err();
        assert!(
            matches!(&error, DecodeError::Syntax { message, .. } if message.starts_with("number out of range")),
            "{error:?}"
        );
    }
    // In a number field, a long fraction is a number: valid, and kept as spelled.
    for price in [&tiny_fraction, &many_fraction_digits] {
        let bytes = created_with(b"x", b"x", price.as_bytes(), b"1", b"");
        assert_round_trip(&bytes);
    }
    // In an integer field, 5.000… is the integer 5 (JSON Schema compares values)...
    let bytes = created_with(b"x", b"x", b"1", long_integer_fraction.as_bytes(), b"");
    assert_eq!(data_of(&decode(&bytes).unwrap()).quantity, 5);
    assert_round_trip(&bytes);
    // ...and a fraction that is not whole is a type error at the field...
    let bytes = created_with(b"x", b"x", b"1", many_fraction_digits.as_bytes(), b"");
    let error = decode(&bytes).unwrap_err();
    assert_eq!(
        support_pairs(&error),
        [("/data/quantity".to_owned(), "type".to_owned())],
        "{error}"
    );
    // ...except one below f64 resolution: 10^-9999 reads as 0.0, for the typed path and
    // the jsonschema validator alike (both compare IEEE-754 doubles), so it is the integer 0.
    // Documented in docs/RELIABILITY.md as a limit; the original spelling is still kept.
    let bytes = created_with(b"x", b"x", b"1", tiny_fraction.as_bytes(), b"");
    assert_eq!(data_of(&decode(&bytes).unwrap()).quantity, 0);
    assert_round_trip(&bytes);
}

// --- invalid UTF-8 ---

#[test]
fn invalid_utf8_in_every_position_is_reported_at_its_first_bad_byte() {
    let cases: [(&str, Vec<u8>, &[u8]); 8] = [
        ("in a key", plain_created(b", \"k\xff\": 1"), b"\xff"),
        (
            "in a string value",
            created_with(b"x", b"ab\xfe", b"1", b"1", b""),
            b"\xfe",
        ),
        ("between tokens", plain_created(b", \x80 \"k\": 1"), b"\x80"),
        (
            "overlong '/' (2 bytes)",
            created_with(b"x", b"a\xc0\xaf", b"1", b"1", b""),
            b"\xc0",
        ),
        (
            "overlong NUL (3 bytes)",
            created_with(b"\xe0\x80\x80", b"x", b"1", b"1", b""),
            b"\xe0",
        ),
        (
            "surrogate U+D800 in UTF-8",
            created_with(b"x", b"\xed\xa0\x80", b"1", b"1", b""),
            b"\xed",
        ),
        (
            "beyond U+10FFFF",
            created_with(b"x", b"\xf4\x90\x80\x80", b"1", b"1", b""),
            b"\xf4",
        ),
        (
            "a truncated sequence inside a value",
            created_with(b"\xe2\x82", b"x", b"1", b"1", b""),
            b"\xe2",
        ),
    ];
    for (what, bytes, bad) in cases {
        let offset = bytes.windows(bad.len()).position(|w| w == bad).unwrap();
        assert_eq!(
            decode(&bytes).unwrap_err(),
            DecodeError::InvalidUtf8 { offset },
            "{what}"
        );
    }
    // A multi-byte sequence cut off by the end of the input.
    let mut bytes = plain_created(b"");
    let end = bytes.len();
    bytes.extend_from_slice(b"\xf0\x9f\x98");
    assert_eq!(
        decode(&bytes).unwrap_err(),
        DecodeError::InvalidUtf8 { offset: end }
    );
}
