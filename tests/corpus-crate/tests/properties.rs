//! Property tests, one per shape the generator makes: instances near each schema's boundary
//! (valid examples with generated values in the shape's fields, and targeted mutations:
//! wrong type, out of range, extra key, missing required, duplicate items, other number
//! spellings) decode exactly as the `jsonschema` oracle judges them, from bytes and from a
//! value, and every accepted instance encodes back to exactly itself as a JSON value
//! (`support::judge`). Each property also requires both verdicts among its instances, so a
//! strategy that drifted to all-valid or all-invalid fails instead of passing vacuously.

mod support;

use std::cell::Cell;
use std::fmt::Debug;

use event_contracts_corpus_crate::{decode, decode_value, encode};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{select, subsequence};
use proptest::strategy::Union;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{json, Value};
use support::{judge, oracle, violations};

/// Cases per property: enough to reach every choice of every field many times, few enough
/// that the whole file runs in seconds in a debug build.
const CASES: u32 = 256;

/// The least share of each verdict a property must produce (one in sixteen).
const LEAST_OF_EACH: u32 = CASES / 16;

/// Runs `check` on `CASES` instances of `strategy`; fails with the (shrunk) instance when
/// `check` fails, or when fewer than `LEAST_OF_EACH` instances were accepted or refused.
fn holds_with<S>(name: &str, strategy: S, check: impl Fn(&S::Value) -> Result<bool, String>)
where
    S: Strategy,
    S::Value: Debug,
{
    let config = Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let accepted = Cell::new(0u32);
    let refused = Cell::new(0u32);
    let result = runner.run(&strategy, |instance| {
        let verdict = check(&instance).map_err(TestCaseError::fail)?;
        let count = if verdict { &accepted } else { &refused };
        count.set(count.get() + 1);
        Ok(())
    });
    if let Err(failure) = result {
        panic!("{name}: {failure}");
    }
    let (accepted, refused) = (accepted.get(), refused.get());
    eprintln!("{name}: {accepted} accepted, {refused} refused");
    assert!(
        accepted >= LEAST_OF_EACH && refused >= LEAST_OF_EACH,
        "{name}: {accepted} accepted and {refused} refused of {CASES}; the strategy no longer \
         straddles the schema's boundary"
    );
}

/// Every instance decodes as the oracle judges it and, when valid, encodes back to itself.
fn holds(name: &str, strategy: impl Strategy<Value = Value>) {
    holds_with(name, strategy, judge);
}

/// `judge`, and for an accepted event also that encode writes the entries of the maps at
/// `pointers` (the members other than the declared properties named beside each) in the
/// order they were sent: `Value` equality ignores member order, but the generated maps
/// promise to keep it. Declared properties are written in declaration order, first.
fn judge_keeping_order(event: &Value, pointers: &[(&str, &[&str])]) -> Result<bool, String> {
    if !judge(event)? {
        return Ok(false);
    }
    let bytes = serde_json::to_vec(event).map_err(|e| e.to_string())?;
    let decoded = decode(&bytes).map_err(|e| e.to_string())?;
    let written: Value = serde_json::from_slice(&encode(&decoded).map_err(|e| e.to_string())?)
        .map_err(|e| e.to_string())?;
    for (pointer, declared) in pointers {
        let keys = |value: &Value| -> Option<Vec<String>> {
            let members = value.pointer(pointer)?.as_object()?;
            Some(
                members
                    .keys()
                    .filter(|key| !declared.contains(&key.as_str()))
                    .cloned()
                    .collect(),
            )
        };
        if keys(&written) != keys(event) {
            return Err(format!(
                "encode reorders {pointer}: {:?} was sent, {:?} written",
                keys(event),
                keys(&written)
            ));
        }
    }
    Ok(true)
}

// ---------------------------------------------------------------------------------------
// Building instances: a valid example, with edits at JSON pointers.

/// An edit: the value to put at a pointer, or `None` to remove what is there.
type Edit = (&'static str, Option<Value>);

/// Puts `value` at `pointer` (appending a new member at the end), or removes the member or
/// item there; does nothing when the parent is not there (an earlier edit removed it).
fn put(event: &mut Value, pointer: &str, value: Option<Value>) {
    let (parent, key) = pointer.rsplit_once('/').expect("a pointer below the root");
    match (event.pointer_mut(parent), value) {
        (Some(Value::Object(members)), Some(value)) => {
            members.insert(key.to_owned(), value);
        }
        (Some(Value::Object(members)), None) => {
            members.shift_remove(key);
        }
        (Some(Value::Array(items)), value) => {
            let Ok(index) = key.parse::<usize>() else {
                return;
            };
            match value {
                Some(value) if index < items.len() => items[index] = value,
                Some(value) if index == items.len() => items.push(value),
                None if index < items.len() => {
                    items.remove(index);
                }
                _ => {}
            }
        }
        _ => {}
    }
}

/// An edit of `pointer` to a value of `values` (`None`: remove it).
fn at(
    pointer: &'static str,
    values: impl Strategy<Value = Option<Value>> + 'static,
) -> BoxedStrategy<Edit> {
    values.prop_map(move |value| (pointer, value)).boxed()
}

/// Events from one of `bases` (example files) with every edit of `valid` applied, and, in
/// half of them, one edit of `broken` applied after: the targeted mutation.
fn events(
    bases: &[&str],
    valid: impl Strategy<Value = Vec<Edit>> + 'static,
    broken: Vec<BoxedStrategy<Edit>>,
) -> BoxedStrategy<Value> {
    let bases: Vec<Value> = bases.iter().map(|rel| support::example(rel)).collect();
    let mutation = prop_oneof![Just(None), Union::new(broken).prop_map(Some)];
    (select(bases), valid, mutation)
        .prop_map(|(mut event, edits, mutation)| {
            for (pointer, value) in edits.into_iter().chain(mutation) {
                put(&mut event, pointer, value);
            }
            event
        })
        .boxed()
}

// ---------------------------------------------------------------------------------------
// Values near boundaries.

/// One of `items`.
fn one<T: Clone + Debug + 'static>(items: Vec<T>) -> BoxedStrategy<T> {
    select(items).boxed()
}

/// Present: always one of `values`.
fn some(values: impl Strategy<Value = Value> + 'static) -> BoxedStrategy<Option<Value>> {
    values.prop_map(Some).boxed()
}

/// Absent, or one of `values`.
fn maybe(values: impl Strategy<Value = Value> + 'static) -> BoxedStrategy<Option<Value>> {
    prop_oneof![1 => Just(None), 3 => values.prop_map(Some)].boxed()
}

/// Usually absent, sometimes one of `values`: for an undeclared member.
fn rarely(values: impl Strategy<Value = Value> + 'static) -> BoxedStrategy<Option<Value>> {
    prop_oneof![6 => Just(None), 1 => values.prop_map(Some)].boxed()
}

/// Mostly one of `valid`, sometimes one of `invalid` (eight to one): a field near its
/// boundary, mostly on the accepted side, so that several such fields together still
/// give valid events often.
fn edge<T: Clone + Debug + 'static>(
    valid: impl Strategy<Value = T> + 'static,
    invalid: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<T> {
    prop_oneof![8 => valid, 1 => invalid].boxed()
}

/// Some of `edits` (one to three of them), for schemas with many fields where changing all
/// at once would leave almost no valid event.
fn some_of(edits: Vec<BoxedStrategy<Edit>>) -> BoxedStrategy<Vec<Edit>> {
    vec(Union::new(edits), 1..4).boxed()
}

/// Absent.
fn absent() -> BoxedStrategy<Option<Value>> {
    Just(None).boxed()
}

/// A value of each JSON type.
fn any_type() -> BoxedStrategy<Value> {
    one(vec![
        json!(null),
        json!(true),
        json!("x"),
        json!(""),
        json!(0),
        json!(7),
        json!(-1.5),
        json!([]),
        json!(["x"]),
        json!({}),
        json!({"x": 1}),
    ])
}

/// A string of one of the lengths `lengths` (in characters, some outside the BMP or
/// multibyte, because length is counted in code points).
fn text(lengths: &[usize]) -> BoxedStrategy<Value> {
    let chars = select(vec!['a', 'z', 'Q', '7', '-', ' ', '_', 'é', '😀']);
    select(lengths.to_vec())
        .prop_flat_map(move |n| vec(chars.clone(), n))
        .prop_map(|chars| Value::String(chars.into_iter().collect()))
        .boxed()
}

/// An integer in `low..=high`, written as an integer or with a `.0`.
fn integer(low: i64, high: i64) -> BoxedStrategy<Value> {
    (low..=high, any::<bool>())
        .prop_map(|(n, as_float)| spelled(n, as_float))
        .boxed()
}

fn spelled(n: i64, as_float: bool) -> Value {
    if as_float {
        json!(n as f64)
    } else {
        json!(n)
    }
}

/// A number near one of `points`: on it, a half, a hundredth or one away, either side;
/// whole numbers written either way.
fn number_near(points: &[f64]) -> BoxedStrategy<Value> {
    let deltas = vec![0.0, 0.5, -0.5, 0.01, -0.01, 1.0, -1.0];
    (select(points.to_vec()), select(deltas), any::<bool>())
        .prop_map(|(point, delta, as_float)| {
            let x = point + delta;
            if x.fract() == 0.0 && x.abs() < 1e15 && !as_float {
                json!(x as i64)
            } else {
                json!(x)
            }
        })
        .boxed()
}

fn strings(items: &[&str]) -> BoxedStrategy<Value> {
    one(items.iter().map(|s| json!(s)).collect())
}

fn uuid() -> BoxedStrategy<Value> {
    edge(
        prop_oneof![
            3 => "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
            1 => "[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}",
        ]
        .prop_map(Value::String),
        "[0-9a-g]{8}-?[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}[0-9a-f]{12,13}".prop_map(Value::String),
    )
}

fn email() -> BoxedStrategy<Value> {
    edge(
        "[a-z]{1,6}(\\.[a-z]{1,3})?@[a-z]{1,6}\\.(com|de|example)".prop_map(Value::String),
        prop_oneof![
            strings(&[
                "a@b",
                "@example.com",
                "a@",
                "a b@example.com",
                "a..b@example.com",
                "\"a b\"@example.com",
                "x@[127.0.0.1]",
                "x@-bad.com",
                "ünï@example.com",
            ]),
            "[a-z@. ]{0,8}".prop_map(Value::String),
        ],
    )
}

fn date_time() -> BoxedStrategy<Value> {
    edge(
        "20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?([Zz]|[+-](0[0-9]|1[0-4]):[0-5][0-9])"
            .prop_map(Value::String),
        strings(&[
            "2026-02-30T00:00:00Z",
            "2016-12-31T23:59:60Z",
            "2026-06-01T23:59:60Z",
            "2026-06-01 10:00:00Z",
            "2026-06-01T24:00:00Z",
            "2026-06-01T10:00:00",
            "2026-06-01",
            "2026-06-01T10:00:00+0100",
            "2026-06-01T10:00:00.Z",
        ]),
    )
}

/// A format's field: mostly a string of `valid`, else one of `invalid` or generated text
/// (which sometimes happens to be valid).
fn format(valid: &[&str], invalid: &[&str]) -> BoxedStrategy<Value> {
    edge(
        strings(valid),
        prop_oneof![
            strings(invalid),
            "[a-zA-Z0-9:/.#?%@{}~\\[\\] -]{0,10}".prop_map(Value::String)
        ],
    )
}

fn address() -> BoxedStrategy<Value> {
    (
        edge(text(&[1, 3]), text(&[0])),
        maybe(prop_oneof![Just(json!(null)), text(&[0, 4])]),
        edge(text(&[1, 5]), text(&[0])),
        maybe(edge(text(&[0, 5, 10]), text(&[11]))),
        edge(strings(&["GB", "DE"]), strings(&["gb", "GBR", ""])),
        rarely(any_type()),
    )
        .prop_map(|(line1, line2, city, postcode, country, extra)| {
            let mut address = json!({"line1": line1, "city": city, "country": country});
            put(&mut address, "/line2", line2);
            put(&mut address, "/postcode", postcode);
            put(&mut address, "/extra", extra);
            address
        })
        .boxed()
}

// ---------------------------------------------------------------------------------------
// The properties.

/// Nullable fields of every form (a type list with null, anyOf/oneOf with `{type: null}`,
/// required and optional): absent, `null`, a value, or a value of the wrong type or out of
/// range; decode keeps absent apart from null (the round trip would fail otherwise).
#[test]
fn nullable_fields_absent_null_or_a_value() {
    let span = prop_oneof![Just(json!(null)), "[0-9a-f]{16}".prop_map(Value::String)];
    let trace = prop_oneof![
        Just(json!(null)),
        (
            "[0-9a-f]{32}",
            maybe(span),
            maybe(any::<bool>().prop_map(Value::Bool))
        )
            .prop_map(|(id, span, sampled)| {
                let mut trace = json!({"traceId": id});
                put(&mut trace, "/spanId", span);
                put(&mut trace, "/sampled", sampled);
                trace
            }),
    ];
    let discount = prop_oneof![
        Just(json!(null)),
        integer(0, 1),
        (0u32..=100).prop_map(|hundredths| json!(f64::from(hundredths) / 100.0)),
    ];
    let valid = vec![
        at("/trace", some(trace)),
        at(
            "/order/shippingAddress",
            some(prop_oneof![Just(json!(null)), address()]),
        ),
        at(
            "/order/billingAddress",
            maybe(prop_oneof![Just(json!(null)), address()]),
        ),
        at(
            "/order/couponCode",
            maybe(prop_oneof![Just(json!(null)), text(&[4, 9, 16])]),
        ),
        at(
            "/order/note",
            some(prop_oneof![Just(json!(null)), text(&[0, 3])]),
        ),
        at("/order/lines/0/discount", maybe(discount)),
    ];
    let broken = vec![
        at("/trace", absent()),
        at(
            "/trace",
            some(prop_oneof![
                any_type(),
                Just(json!({"traceId": "xyz"})),
                Just(json!({"spanId": null}))
            ]),
        ),
        at(
            "/trace/spanId",
            some(prop_oneof![
                any_type(),
                "[0-9a-f]{15,17}".prop_map(Value::String)
            ]),
        ),
        at("/order/shippingAddress", absent()),
        at("/order/shippingAddress", some(any_type())),
        at("/order/billingAddress", some(any_type())),
        at("/order/shippingAddress/line2", some(any_type())),
        at(
            "/order/couponCode",
            some(prop_oneof![text(&[0, 3, 17]), any_type()]),
        ),
        at("/order/note", absent()),
        at("/order/note", some(any_type())),
        at(
            "/order/lines/0/discount",
            some(prop_oneof![number_near(&[0.0, 1.0]), any_type()]),
        ),
    ];
    holds(
        "nullable",
        events(
            &[
                "order-placed/examples/1.0.0/valid/full.json",
                "order-placed/examples/1.0.0/valid/minimal-digital.json",
                "order-placed/examples/1.0.0/valid/spellings-kept.json",
            ],
            valid,
            broken,
        ),
    );
    // In union variants and an untagged union's branch: `["string", "null"]` and
    // `["integer", "null"]` with a minimum.
    let valid = vec![
        at(
            "/message/alt",
            maybe(edge(
                prop_oneof![Just(json!(null)), text(&[0, 2])],
                any_type(),
            )),
        ),
        at(
            "/recipient/thread",
            maybe(edge(
                prop_oneof![Just(json!(null)), integer(1, 3)],
                prop_oneof![integer(-1, 0), Just(json!(1.5)), any_type()],
            )),
        ),
    ];
    holds(
        "nullable in variants",
        events(
            &["message-posted/examples/1.0.0/valid/image-to-channel.json"],
            valid,
            vec![
                at("/message/alt", some(any_type())),
                at("/recipient/thread", some(any_type())),
            ],
        ),
    );
}

/// The `oneOf` of message variants told apart by their `kind` constant: each variant with
/// generated members near their bounds, other and missing kinds, undeclared members of
/// closed and open variants; and the optional nullable members inside the variants.
#[test]
fn tagged_union_variants() {
    let mentions = vec(
        edge(
            strings(&["a@example.com", "b@example.com", "c@example.de"]),
            strings(&["not-an-email"]),
        ),
        0..3,
    )
    .prop_map(Value::from);
    let text_message = (edge(text(&[1, 2, 2000]), text(&[0, 2001])), maybe(mentions)).prop_map(
        |(body, mentions)| {
            let mut message = json!({"kind": "text", "body": body});
            put(&mut message, "/mentions", mentions);
            message
        },
    );
    let image = (
        format(
            &[
                "https://cdn.example.com/i/1.png",
                "urn:isbn:0451450523",
                "http://[::1]:80/x",
            ],
            &["cdn.example.com/i.png", "https://a b"],
        ),
        vec(edge(integer(1, 3), integer(-1, 0)), 2..3),
        rarely(edge(integer(1, 3), any_type())),
        maybe(prop_oneof![
            Just(json!(null)),
            text(&[0, 2]),
            Just(json!(3))
        ]),
    )
        .prop_map(|(url, mut size, third, alt)| {
            size.extend(third);
            let mut message = json!({"kind": "image", "url": url, "size": size});
            put(&mut message, "/alt", alt);
            message
        });
    let poll = (
        edge(text(&[1, 6]), text(&[0])),
        prop_oneof![
            Just(vec!["Here", "There"]),
            Just(vec!["Here", "There", "Anywhere"]),
            vec(
                select(vec!["Here", "There", "", "Anywhere", "Elsewhere"]),
                1..8
            ),
        ],
        maybe(date_time()),
        rarely(any_type()),
    )
        .prop_map(|(question, options, closes_at, extra)| {
            let mut message = json!({"kind": "poll", "question": question, "options": options});
            put(&mut message, "/closesAt", closes_at);
            put(&mut message, "/anonymous", extra);
            message
        });
    let reaction = (edge(text(&[1, 16]), text(&[0, 17])), uuid())
        .prop_map(|(emoji, target)| json!({"kind": "reaction", "emoji": emoji, "target": target}));
    let valid = vec![at(
        "/message",
        some(prop_oneof![text_message, image, poll, reaction]),
    )];
    let broken = vec![
        at(
            "/message/kind",
            some(prop_oneof![
                strings(&["video", "Text", "poll ", "", "image", "reaction"]),
                any_type()
            ]),
        ),
        at("/message/kind", absent()),
        at("/message/extra", some(any_type())),
        at("/message", some(any_type())),
        at("/message", absent()),
    ];
    holds(
        "tagged union",
        events(
            &["message-posted/examples/1.0.0/valid/text-to-email.json"],
            valid,
            broken,
        ),
    );
}

/// Untagged unions: the `anyOf` recipient (email, channel object or user id) and attachment
/// (file or link, or both), the `oneOf` replyTo whose two branches both accept a whole
/// number up to ten (refused), and the `anyOf` of two string formats.
#[test]
fn untagged_unions_and_one_of_overlap() {
    let channel = (
        edge(
            strings(&["#general", "#a-1"]),
            strings(&["general", "#UP", "#"]),
        ),
        maybe(edge(
            prop_oneof![Just(json!(null)), integer(1, 3)],
            prop_oneof![integer(-1, 0), Just(json!(1.5))],
        )),
        rarely(any_type()),
    )
        .prop_map(|(name, thread, extra)| {
            let mut channel = json!({"channel": name});
            put(&mut channel, "/thread", thread);
            put(&mut channel, "/extra", extra);
            channel
        });
    let recipient = prop_oneof![
        email(),
        channel,
        edge(integer(1, 3), prop_oneof![integer(-1, 0), Just(json!(1.5))]),
    ];
    let attachment = (
        maybe(edge(text(&[1, 8]), text(&[0]))),
        maybe(edge(
            prop_oneof![integer(0, 1), Just(json!(10485760))],
            prop_oneof![Just(json!(-1)), Just(json!(10485761)), Just(json!(2.5))],
        )),
        maybe(format(
            &["https://example.com/a", "mailto:x@example.com"],
            &["not a uri", "/relative"],
        )),
        maybe(prop_oneof![
            Just(json!(null)),
            text(&[0, 3]),
            Just(json!(4))
        ]),
    )
        .prop_map(|(file_name, bytes, href, preview)| {
            let mut attachment = json!({});
            put(&mut attachment, "/fileName", file_name);
            put(&mut attachment, "/bytes", bytes);
            put(&mut attachment, "/href", href);
            put(&mut attachment, "/preview", preview);
            attachment
        });
    // Whole numbers up to ten fit both branches (refused); larger ones, and halves up to
    // ten, fit one.
    let reply_to = prop_oneof![
        integer(-1, 30),
        (0i64..=22).prop_map(|halves| json!(halves as f64 / 2.0)),
        Just(json!(3.25)),
        Just(json!(100)),
        Just(json!(100.0)),
    ];
    let valid = vec![
        at("/recipient", maybe(recipient)),
        at("/attachment", maybe(attachment)),
        at("/replyTo", maybe(reply_to)),
    ];
    let broken = vec![
        at("/recipient", some(any_type())),
        at("/attachment", some(any_type())),
        at("/replyTo", some(any_type())),
    ];
    holds(
        "untagged anyOf/oneOf",
        events(
            &[
                "message-posted/examples/1.0.0/valid/text-to-email.json",
                "message-posted/examples/1.0.0/valid/reaction.json",
            ],
            valid,
            broken,
        ),
    );
    let address = format(
        &[
            "10.0.0.7",
            "2001:db8::12",
            "::",
            "::ffff:1.2.3.4",
            "0.0.0.0",
        ],
        &["192.0.2.300", "fe80::1%eth0", "1.2.3", "01.2.3.4", ""],
    );
    holds(
        "anyOf of two formats",
        events(
            &["reading-recorded/examples/1.0.0/valid/full.json"],
            vec![at("/device/address", some(address))],
            vec![
                at("/device/address", some(any_type())),
                at("/device/address", absent()),
            ],
        ),
    );
}

/// A map of generated entries (in generated order, which the round trip requires kept):
/// keys mostly from `keys`, sometimes from `odd_keys`; values from `values`.
fn map_of(
    keys: &[&str],
    odd_keys: &[&str],
    values: BoxedStrategy<Value>,
    sizes: std::ops::Range<usize>,
) -> BoxedStrategy<Value> {
    let owned = |keys: &[&str]| -> Vec<String> { keys.iter().map(|k| (*k).to_owned()).collect() };
    let key = if odd_keys.is_empty() {
        select(owned(keys)).boxed()
    } else {
        prop_oneof![8 => select(owned(keys)), 1 => select(owned(odd_keys))].boxed()
    };
    vec((key, values), sizes)
        .prop_map(|entries| Value::Object(entries.into_iter().collect()))
        .boxed()
}

/// Maps: `additionalProperties` with a schema (strings, objects, a type list), declared
/// properties beside the map, `propertyNames` by length, pattern and enum,
/// `patternProperties` with `additionalProperties: false`, `minProperties` and
/// `maxProperties`.
#[test]
fn maps_pattern_properties_and_property_names() {
    let keys = [
        "", "gift", "channel", "color", "size", "x-a", "_flag", "en", "ünï",
    ];
    let long_key = "k".repeat(17);
    let stock_level = (
        maybe(edge(integer(0, 2), integer(-1, -1))),
        maybe(edge(integer(0, 2), Just(json!(0.5)))),
        rarely(any_type()),
    )
        .prop_map(|(available, reserved, bin)| {
            let mut level = json!({});
            put(&mut level, "/available", available);
            put(&mut level, "/reserved", reserved);
            put(&mut level, "/bin", bin);
            level
        })
        .boxed();
    let labels = map_of(&keys, &[], edge(text(&[0, 32]), text(&[33])).boxed(), 0..3);
    let order_maps = vec![
        at("/order/labels", maybe(labels)),
        at(
            "/order/labels/channel",
            maybe(edge(strings(&["web", "app", "store"]), strings(&["shop"]))),
        ),
        at(
            "/order/tags",
            maybe(map_of(&keys, &[], edge(text(&[0, 40]), any_type()), 0..4)),
        ),
        at("/order/stock", maybe(map_of(&keys, &[], stock_level, 0..3))),
        at(
            "/order/attributes",
            maybe(map_of(
                &keys,
                &[],
                edge(
                    prop_oneof![
                        text(&[0, 3]),
                        number_near(&[0.0, 1.5]),
                        any::<bool>().prop_map(Value::Bool)
                    ],
                    any_type(),
                ),
                0..4,
            )),
        ),
    ];
    holds_with(
        "maps of order-placed",
        events(
            &["order-placed/examples/1.0.0/valid/full.json"],
            order_maps,
            vec![
                at("/order/tags", some(any_type())),
                at("/order/stock/W-1", some(Just(json!({"reserved": 1})))),
            ],
        ),
        |event| {
            judge_keeping_order(
                event,
                &[
                    ("/order/labels", &["channel"]),
                    ("/order/tags", &[]),
                    ("/order/stock", &[]),
                    ("/order/attributes", &["color", "size"]),
                ],
            )
        },
    );
    let reactions = map_of(
        &["thumbsup", "tada", "a", "0123456789abcdef", "ünï"],
        &["", &long_key],
        edge(
            integer(0, 3),
            prop_oneof![integer(-1, -1), Just(json!(0.5)), any_type()],
        ),
        0..4,
    );
    holds_with(
        "map with propertyNames by length",
        events(
            &["message-posted/examples/1.0.0/valid/text-to-email.json"],
            vec![at("/reactions", maybe(reactions))],
            vec![at("/reactions", some(any_type()))],
        ),
        |event| judge_keeping_order(event, &[("/reactions", &[])]),
    );
    let names = map_of(
        &["en", "fr", "de-DE", "pt-BR"],
        &["EN", "en-de", "eng", ""],
        edge(text(&[1, 4]), prop_oneof![text(&[0]), any_type()]),
        1..3,
    );
    // Each vendor key mostly with a value of its prefix's type (`x-` strings, `n-` numbers),
    // sometimes a key no pattern admits or a value of the other type; up to one entry past
    // `maxProperties`.
    let meta_entry = edge(
        prop_oneof![
            (select(vec!["x-a", "x-", "x-b"]), text(&[0, 2])),
            (select(vec!["n-b", "n-", "n-c"]), number_near(&[0.0, 2.0])),
        ],
        prop_oneof![
            (select(vec!["y", "_flag", "X-a"]), any_type()),
            (select(vec!["x-a", "n-b"]), any_type()),
        ],
    );
    let meta = vec(meta_entry, 0..6)
        .prop_map(|entries| {
            Value::Object(
                entries
                    .into_iter()
                    .map(|(key, value)| (key.to_owned(), value))
                    .collect(),
            )
        })
        .boxed();
    let flag = edge(any::<bool>().prop_map(Value::Bool), any_type());
    let catalog_maps = vec![
        at("/root/name", some(names)),
        at("/root/meta", maybe(meta.clone())),
        at("/root/children/0/meta", rarely(meta)),
        at("/root/_hidden", maybe(flag.clone())),
        at("/root/_", maybe(flag)),
    ];
    holds_with(
        "patternProperties and propertyNames by pattern",
        events(
            &["catalog-restructured/examples/1.0.0/valid/tree.json"],
            catalog_maps,
            vec![
                at("/root/hidden", some(any::<bool>().prop_map(Value::Bool))),
                at("/root/name", some(any_type())),
                at("/root/name", some(Just(json!({})))),
            ],
        ),
        |event| {
            let category: &[&str] = &["slug", "name", "children", "featured", "meta"];
            judge_keeping_order(
                event,
                &[
                    ("/root", category),
                    ("/root/name", &[]),
                    ("/root/meta", &[]),
                ],
            )
        },
    );
    let changes = map_of(
        &["plan", "status", "seats", "email", "name", "billing"],
        &["Plan", ""],
        any_type(),
        0..7,
    );
    holds(
        "free-form object with propertyNames enum and property counts",
        events(
            &["account-updated/examples/1.0.0/valid/enterprise.json"],
            vec![at("/changes", some(changes))],
            vec![at("/changes", absent())],
        ),
    );
}

/// Literal enums and consts of every kind: integer-typed (`[1, 2, 3]`), booleans with a
/// string, numbers with a string and null, numbers mixed with a string; members spelled as
/// integers and with `.0`, `-0.0`, and near misses and other types.
#[test]
fn literal_enums_with_every_spelling() {
    let near_misses = || {
        prop_oneof![
            integer(-1, 6),
            Just(json!(0.5)),
            Just(json!(2.25)),
            strings(&["1", "ask", "unrated", "max", "Max", "true", "2.5"]),
            any_type(),
            any::<bool>().prop_map(Value::Bool),
        ]
    };
    let literals = |members: Vec<Value>| edge(one(members), near_misses());
    holds(
        "literal enums of order-placed",
        events(
            &[
                "order-placed/examples/1.0.0/valid/full.json",
                "order-placed/examples/1.0.0/valid/spellings-kept.json",
            ],
            vec![
                at(
                    "/order/priority",
                    some(literals(vec![
                        json!(1),
                        json!(2),
                        json!(3),
                        json!(1.0),
                        json!(3.0),
                    ])),
                ),
                at(
                    "/order/giftWrap",
                    maybe(literals(vec![json!(true), json!(false), json!("ask")])),
                ),
                at(
                    "/order/rating",
                    maybe(literals(vec![
                        json!(1),
                        json!(1.0),
                        json!(2.5),
                        json!(5),
                        json!(5.0),
                        json!("unrated"),
                        json!(null),
                    ])),
                ),
                at(
                    "/order/total/currency",
                    some(edge(strings(&["EUR", "GBP", "JPY"]), strings(&["eur", ""]))),
                ),
            ],
            vec![
                at("/order/priority", absent()),
                at("/subject/kind", some(strings(&["Order", ""]))),
            ],
        ),
    );
    holds(
        "literal enums of reading-recorded",
        events(
            &[
                "reading-recorded/examples/1.0.0/valid/full.json",
                "reading-recorded/examples/1.0.0/valid/minimal.json",
            ],
            vec![
                at(
                    "/status",
                    some(literals(vec![
                        json!(0),
                        json!(-0.0),
                        json!(0.0),
                        json!(2),
                        json!(4),
                        json!(4.0),
                    ])),
                ),
                at(
                    "/level",
                    maybe(literals(vec![
                        json!(0.5),
                        json!(1),
                        json!(1.0),
                        json!(1.5),
                        json!("max"),
                    ])),
                ),
            ],
            vec![at("/status", absent())],
        ),
    );
}

/// Number spellings that a `Value` cannot carry (`1e0`, `10E-1`, `0.1e1`, `-0`, `1.00`,
/// `5e2`), written into the text of an event in integer, number, enum, union and tuple
/// positions: decode from those bytes agrees with the oracle on the parsed value, and a
/// valid event encodes to the same JSON value.
#[test]
fn number_spellings_in_the_text() {
    let spellings = [
        "1", "1.0", "1.00", "1e0", "1E0", "10e-1", "0.1e1", "1e+0", "2", "2.0", "2e0", "0.2e1",
        "3", "-0", "-0.0", "0", "0e0", "0.5", "5e-1", "2.5", "25e-1", "5", "5e0", "4", "4.0",
        "1.5", "15e-1", "1e2", "100.0", "1e1", "10", "2.50", "-1", "-1.0", "0.05", "5e-2",
    ];
    let templates = [
        (
            "order-placed/examples/1.0.0/valid/full.json",
            "/order/priority",
        ),
        (
            "order-placed/examples/1.0.0/valid/full.json",
            "/order/rating",
        ),
        (
            "order-placed/examples/1.0.0/valid/full.json",
            "/order/lines/0/quantity",
        ),
        (
            "order-placed/examples/1.0.0/valid/full.json",
            "/order/lines/0/discount",
        ),
        (
            "order-placed/examples/1.0.0/valid/full.json",
            "/order/total/amount",
        ),
        (
            "order-placed/examples/1.0.0/valid/full.json",
            "/order/attributes/weight",
        ),
        ("reading-recorded/examples/1.0.0/valid/full.json", "/status"),
        ("reading-recorded/examples/1.0.0/valid/full.json", "/level"),
        (
            "reading-recorded/examples/1.0.0/valid/full.json",
            "/position/2",
        ),
        (
            "reading-recorded/examples/1.0.0/valid/full.json",
            "/samples/1",
        ),
        (
            "reading-recorded/examples/1.0.0/valid/full.json",
            "/peaks/1",
        ),
        ("reading-recorded/examples/1.0.0/valid/full.json", "/batch"),
        (
            "reading-recorded/examples/1.0.0/valid/full.json",
            "/precision",
        ),
        (
            "reading-recorded/examples/1.0.0/valid/full.json",
            "/reading",
        ),
        (
            "message-posted/examples/1.0.0/valid/poll-to-user-id.json",
            "/replyTo",
        ),
        (
            "message-posted/examples/1.0.0/valid/poll-to-user-id.json",
            "/recipient",
        ),
        (
            "message-posted/examples/1.0.0/valid/image-to-channel.json",
            "/message/size/0",
        ),
        (
            "message-posted/examples/1.0.0/valid/image-to-channel.json",
            "/recipient/thread",
        ),
        (
            "message-posted/examples/1.0.0/valid/text-to-email.json",
            "/reactions/tada",
        ),
        (
            "account-updated/examples/1.0.0/valid/suspended-pro.json",
            "/account/seats",
        ),
        (
            "catalog-restructured/examples/1.0.0/valid/tree.json",
            "/root/meta/n-rank",
        ),
    ];
    let instances = (select(templates.to_vec()), select(spellings.to_vec())).prop_map(
        |((rel, pointer), spelling)| {
            // A marker string put where the number goes, then replaced in the text by the
            // number as spelled.
            let mut event = support::example(rel);
            put(&mut event, pointer, Some(json!("@@number@@")));
            serde_json::to_string(&event)
                .expect("JSON")
                .replace("\"@@number@@\"", spelling)
        },
    );
    holds_with("number spellings in the text", instances, |text| {
        judge_text(text)
    });
}

/// `judge` for an event given as text: decode from exactly these bytes agrees with the
/// oracle, and so does decode of the parsed value, and a valid event encodes to the parsed
/// value.
fn judge_text(text: &str) -> Result<bool, String> {
    let event: Value = serde_json::from_str(text).map_err(|e| format!("{text}: {e}"))?;
    let expected = oracle(&event).ok_or_else(|| format!("no schema for {text}"))?;
    let from_bytes = decode(text.as_bytes());
    let found = violations(&from_bytes)
        .map_err(|e| format!("decode failed outside the check on {text}: {e}"))?;
    if found != expected {
        return Err(format!(
            "decode and the oracle differ on {text}:\n  decode {found:?}\n  oracle {expected:?}"
        ));
    }
    if violations(&decode_value(&event)) != Ok(found) {
        return Err(format!("decode_value and decode differ on {text}"));
    }
    let Ok(decoded) = &from_bytes else {
        return Ok(false);
    };
    let written = encode(decoded).map_err(|e| format!("encode refuses {text}: {e}"))?;
    let back: Value = serde_json::from_slice(&written).map_err(|e| e.to_string())?;
    if back != event {
        return Err(format!(
            "encode gives\n  {back}\nnot\n  {event}\nfrom\n  {text}"
        ));
    }
    Ok(true)
}

/// Tuples: `items` arrays with `additionalItems: false` and with a schema, `minItems`,
/// `maxItems`, and a tuple of two objects; items near each position's bounds, of the wrong
/// type, objects missing a member or with one too many, and one item too many or too few.
#[test]
fn tuples_with_additional_items() {
    let latitude = edge(
        number_near(&[-89.0, 0.0, 89.0]),
        number_near(&[-90.0, 90.0]),
    );
    let longitude = edge(
        number_near(&[-179.0, 0.0, 179.0]),
        number_near(&[-180.0, 180.0]),
    );
    let position = (
        latitude,
        edge(longitude.prop_map(Some), Just(None)),
        prop_oneof![4 => Just(vec![]), 4 => vec(number_near(&[0.0, 34.0]), 1..2), 1 => vec(any_type(), 1..3)],
    )
        .prop_map(|(latitude, longitude, rest)| {
            let mut items = vec![latitude];
            items.extend(longitude);
            items.extend(rest);
            Value::from(items)
        });
    let samples = (
        edge(date_time(), number_near(&[0.0])),
        vec(edge(number_near(&[0.0, 21.5]), any_type()), 0..4),
    )
        .prop_map(|(start, values)| {
            let mut items = vec![start];
            items.extend(values);
            Value::from(items)
        });
    let too_many = (63usize..66).prop_map(|n| {
        let mut items = vec![json!("2026-06-01T09:00:00Z")];
        items.extend(std::iter::repeat_n(json!(1), n));
        Value::from(items)
    });
    // A tuple of two objects: each point mostly whole and valid, sometimes with a member
    // missing, of the wrong type or one too many; sometimes a third point.
    let broken_point = (
        edge(date_time(), any_type()),
        edge(number_near(&[0.0, 21.5]), any_type()),
        rarely(any_type()),
        0..4u8,
    )
        .prop_map(|(at, value, extra, drop)| {
            let mut point = serde_json::Map::new();
            if drop != 0 {
                point.insert("at".to_owned(), at);
            }
            if drop != 1 {
                point.insert("value".to_owned(), value);
            }
            if let Some(extra) = extra {
                point.insert("unit".to_owned(), extra);
            }
            Value::Object(point)
        });
    let whole_point = (date_time(), number_near(&[0.0, 21.5]))
        .prop_map(|(at, value)| json!({"at": at, "value": value}));
    let point = edge(whole_point, broken_point);
    let window = (vec(point.clone(), 2..3), rarely(point)).prop_map(|(mut points, third)| {
        points.extend(third);
        Value::from(points)
    });
    holds(
        "tuples of reading-recorded",
        events(
            &[
                "reading-recorded/examples/1.0.0/valid/full.json",
                "reading-recorded/examples/1.0.0/valid/minimal.json",
            ],
            vec![
                at("/position", some(position)),
                at("/samples", some(samples)),
                at("/window", maybe(window)),
            ],
            vec![
                at("/position/1", some(any_type())),
                at("/samples", some(prop_oneof![any_type(), too_many])),
                at("/window/1", some(any_type())),
                // The same point twice: refused by `uniqueItems` alone.
                at(
                    "/window",
                    some(Just(json!([
                        {"at": "2026-06-01T09:59:00Z", "value": 21.5},
                        {"at": "2026-06-01T09:59:00Z", "value": 21.5}
                    ]))),
                ),
            ],
        ),
    );
    let size = (
        vec(
            edge(
                integer(1, 3),
                prop_oneof![integer(-1, 0), Just(json!(1.5)), any_type()],
            ),
            1..3,
        ),
        rarely(integer(1, 2)),
    )
        .prop_map(|(mut items, extra)| {
            items.extend(extra);
            Value::from(items)
        });
    holds(
        "tuple inside a union variant",
        events(
            &["message-posted/examples/1.0.0/valid/image-to-channel.json"],
            vec![at("/message/size", some(size))],
            vec![at("/message/size", absent())],
        ),
    );
}

/// One category of the tree: each member mostly valid, sometimes past a bound.
fn category_node(
    children: BoxedStrategy<Vec<Value>>,
    featured: BoxedStrategy<Option<Value>>,
) -> BoxedStrategy<Value> {
    let slug = prop_oneof![
        30 => "[a-z0-9]{1,6}(-[a-z0-9]{1,4})?".prop_map(Value::String),
        1 => strings(&["Bad", "-x", "a--b", "", "abcdefghijabcdefghijabcdefghijabcdefghijk"]),
    ];
    let name = prop_oneof![
        30 => map_of(&["en", "fr", "de-DE"], &[], text(&[1, 5]), 1..3),
        1 => map_of(&["EN", "en-de", "en"], &[], text(&[0, 1]), 0..2),
    ];
    let extra = prop_oneof![
        30 => Just(None),
        2 => Just(Some(("_x", json!(true)))),
        1 => Just(Some(("_y", json!(1)))),
        1 => Just(Some(("other", json!(true)))),
    ];
    (slug, name, children, featured, extra)
        .prop_map(|(slug, name, children, featured, extra)| {
            let mut node = json!({"slug": slug, "name": name, "children": children});
            put(&mut node, "/featured", featured);
            if let Some((key, value)) = extra {
                put(&mut node, &format!("/{key}"), Some(value));
            }
            node
        })
        .boxed()
}

/// A category tree up to `depth` levels (each level a recursive `$ref`), with featured
/// categories (a nullable recursive reference) here and there.
fn category_tree(depth: u32) -> BoxedStrategy<Value> {
    let leaf = category_node(Just(Vec::new()).boxed(), maybe(Just(json!(null))));
    leaf.prop_recursive(depth, 24, 3, |inner| {
        let featured = prop_oneof![
            4 => Just(None),
            1 => Just(Some(json!(null))),
            1 => inner.clone().prop_map(Some),
        ]
        .boxed();
        category_node(vec(inner, 0..3).boxed(), featured)
    })
    .boxed()
}

/// The recursive category tree at several depths, with bounds broken at any depth, and
/// the `moved` array of unique slugs.
#[test]
fn recursive_tree_at_several_depths() {
    let moved = vec(
        edge(strings(&["a", "b", "sci-fi", "poetry"]), strings(&["Bad"])),
        0..3,
    )
    .prop_map(Value::from);
    holds(
        "recursive tree",
        events(
            &["catalog-restructured/examples/1.0.0/valid/leaf-root.json"],
            vec![
                at("/root", some(category_tree(5))),
                at("/moved", maybe(moved)),
            ],
            vec![
                at("/root/children", some(any_type())),
                at("/root/name", absent()),
            ],
        ),
    );
    // A chain `depth` categories deep, each the only child of the one above, and its
    // deepest node valid or not. (Depth 24 nests the JSON 50 levels, inside decode's
    // default limit of 64.)
    let chain = (1usize..=24, any::<bool>()).prop_map(|(depth, broken)| {
        let mut node = json!({"slug": "leaf", "name": {"en": "Leaf"}, "children": []});
        if broken {
            node["slug"] = json!("Leaf");
        }
        for level in 1..depth {
            node = json!({
                "slug": format!("level-{level}"),
                "name": {"en": "Level"},
                "children": [node],
            });
        }
        let mut event =
            support::example("catalog-restructured/examples/1.0.0/valid/leaf-root.json");
        event["root"] = node;
        event
    });
    holds("deep chains", chain);
}

/// `allOf` composition: the merged customer (a shared actor plus an extension), the
/// profile (merged, with `minProperties` across both parts, counted as it is read) and the
/// calibration (merged and closed, as its closed second part declares every property of the
/// first): members present and absent, near their bounds, and extra.
#[test]
fn all_of_merged_objects() {
    let customer = (
        uuid(),
        email(),
        maybe(edge(text(&[1, 80]), text(&[0, 81]))),
        edge(
            strings(&["none", "silver", "gold"]).prop_map(Some),
            prop_oneof![strings(&["Gold", ""]).prop_map(Some), Just(None)],
        ),
        maybe(format(
            &["2019-07-14", "2020-02-29"],
            &["2019-02-29", "2019-7-14"],
        )),
        maybe(any_type()),
    )
        .prop_map(|(id, email, name, tier, since, referrer)| {
            let mut customer = json!({"id": id, "email": email});
            put(&mut customer, "/displayName", name);
            put(&mut customer, "/loyaltyTier", tier);
            put(&mut customer, "/since", since);
            put(&mut customer, "/referrer", referrer);
            customer
        });
    holds(
        "allOf merged customer",
        events(
            &["order-placed/examples/1.0.0/valid/full.json"],
            vec![at("/order/customer", some(customer))],
            vec![
                at("/order/customer/id", absent()),
                at("/order/customer/email", some(any_type())),
            ],
        ),
    );
    let profile = (
        maybe(uuid()),
        maybe(email()),
        maybe(edge(strings(&["de", "en"]), strings(&["DE", "deu"]))),
        maybe(text(&[0, 3])),
        rarely(any_type()),
    )
        .prop_map(|(id, email, locale, name, extra)| {
            let mut profile = json!({});
            put(&mut profile, "/id", id);
            put(&mut profile, "/email", email);
            put(&mut profile, "/locale", locale);
            put(&mut profile, "/displayName", name);
            put(&mut profile, "/nickname", extra);
            profile
        });
    holds(
        "allOf with minProperties across parts",
        events(
            &["account-updated/examples/1.0.0/valid/enterprise.json"],
            vec![at("/profile", maybe(profile))],
            vec![at("/profile", some(any_type()))],
        ),
    );
    let calibration = (
        edge(date_time().prop_map(Some), Just(None)),
        maybe(email()),
        maybe(edge(number_near(&[0.0]), any_type())),
        rarely(any_type()),
    )
        .prop_map(|(at_time, by, offset, extra)| {
            let mut calibration = json!({});
            put(&mut calibration, "/at", at_time);
            put(&mut calibration, "/by", by);
            put(&mut calibration, "/offset", offset);
            put(&mut calibration, "/extra", extra);
            calibration
        });
    holds(
        "allOf with a closed part, merged",
        events(
            &["reading-recorded/examples/1.0.0/valid/full.json"],
            vec![at("/calibration", maybe(calibration))],
            vec![at("/calibration", some(any_type()))],
        ),
    );
}

/// `if`/`then`/`else`, `dependencies` of both forms and `not`, on the account: every
/// combination of plan and status with seats, closedAt, creditCard, billingAddress (with and
/// without postcode), taxId and suspensionReason present or absent; and the notes array's
/// `not` on items with `maxItems`.
#[test]
fn conditionals_and_dependencies() {
    let billing = prop_oneof![
        Just(json!({"line1": "a", "city": "b", "country": "DE"})),
        Just(json!({"line1": "a", "city": "b", "country": "DE", "postcode": "1"})),
    ];
    let account = (
        uuid(),
        edge(strings(&["free", "pro", "enterprise"]), strings(&["Enterprise"])),
        strings(&["active", "suspended", "closed"]),
        prop_oneof![1 => Just(None), 4 => integer(0, 7).prop_map(Some), 1 => Just(Some(json!(250)))],
        rarely(date_time()),
        rarely(edge(strings(&["4111111111111111"]), strings(&["4111"]))),
        maybe(billing),
        rarely(edge(text(&[5, 6]), text(&[4]))),
        rarely(strings(&["", "none", "None", "fraud"])),
    )
        .prop_map(
            |(id, plan, status, seats, closed_at, card, billing, tax_id, reason)| {
                let mut account = json!({"id": id, "plan": plan, "status": status});
                put(&mut account, "/seats", seats);
                put(&mut account, "/closedAt", closed_at);
                put(&mut account, "/creditCard", card);
                put(&mut account, "/billingAddress", billing);
                put(&mut account, "/taxId", tax_id);
                put(&mut account, "/suspensionReason", reason);
                account
            },
        );
    let notes = vec(
        edge(
            text(&[1, 3]).prop_filter("not blank", |t| {
                t.as_str().is_some_and(|t| !t.trim().is_empty())
            }),
            strings(&["", " ", "\t\n"]),
        ),
        0..4,
    )
    .prop_map(Value::from);
    holds(
        "if/then/else, dependencies and not",
        events(
            &[
                "account-updated/examples/1.0.0/valid/enterprise.json",
                "account-updated/examples/1.0.0/valid/closed-free.json",
            ],
            vec![at("/account", some(account)), at("/notes", maybe(notes))],
            vec![
                at("/account/plan", absent()),
                at("/account/extra", some(any_type())),
            ],
        ),
    );
}

/// The keywords of the order's delivery about its members together (`anyOf`, `oneOf`,
/// `allOf` of `if`/`then`, `not` and property rules, `dependencies` with a schema), which
/// the generated `__holds` decides on the typed value: every member present or absent,
/// near each rule's edge, and members kept in the typed map (`express-note`) or refused by
/// it.
#[test]
fn residual_keywords_over_typed_members() {
    let address = prop_oneof![
        Just(json!({"line1": "a", "city": "b", "country": "DE"})),
        Just(json!({"line1": "a", "city": "b"})),
    ];
    let delivery = (
        edge(
            strings(&["standard", "express", "pickup"]),
            strings(&["Pickup"]),
        ),
        maybe(address),
        maybe(number_near(&[0.0, 30.5])),
        maybe(prop_oneof![
            integer(0, 13),
            Just(json!(4.0)),
            Just(json!(2.5))
        ]),
        maybe(prop_oneof![4 => any::<bool>().prop_map(Value::Bool), 1 => any_type()]),
        maybe(strings(&["dhl", "ups", "dpd", "DHL"])),
        maybe(strings(&["", "9-12", " "])),
        maybe(prop_oneof![4 => strings(&["yes"]), 1 => any_type()]),
    )
        .prop_map(
            |(method, address, weight, parcels, fragile, carrier, window, note)| {
                let mut delivery = json!({"method": method});
                put(&mut delivery, "/address", address);
                put(&mut delivery, "/weight", weight);
                put(&mut delivery, "/parcels", parcels);
                put(&mut delivery, "/fragile", fragile);
                put(&mut delivery, "/carrier", carrier);
                put(&mut delivery, "/window", window);
                put(&mut delivery, "/express-note", note);
                delivery
            },
        );
    holds(
        "the delivery's rules over its members",
        events(
            &["order-placed/examples/1.0.0/valid/full.json"],
            vec![at("/order/delivery", maybe(delivery))],
            vec![
                at("/order/delivery/method", absent()),
                at("/order/delivery", some(any_type())),
            ],
        ),
    );
}

/// Array bounds: `minItems`, `maxItems`, `uniqueItems` (strings repeated, also in a union
/// variant) and `contains` (a const, and a minimum over integers spelled either way).
#[test]
fn array_bounds_unique_items_and_contains() {
    let flags = prop_oneof![
        Just(vec!["calibrated"]),
        Just(vec!["battery-low", "calibrated"]),
        vec(
            select(vec![
                "calibrated",
                "battery-low",
                "estimated",
                "clipped",
                "Calibrated"
            ]),
            0..5
        ),
    ]
    .prop_map(Value::from);
    let peaks = vec(
        prop_oneof![
            integer(98, 101),
            Just(json!(99.5)),
            Just(json!(100.5)),
            Just(json!(1e3))
        ],
        0..10,
    )
    .prop_map(Value::from);
    holds(
        "uniqueItems, contains, minItems and maxItems",
        events(
            &["reading-recorded/examples/1.0.0/valid/full.json"],
            vec![at("/flags", maybe(flags)), at("/peaks", maybe(peaks))],
            vec![
                at("/flags", some(any_type())),
                at("/peaks/0", some(any_type())),
            ],
        ),
    );
    let names = vec![
        "Here",
        "There",
        "Anywhere",
        "Nowhere",
        "here",
        "Elsewhere",
        "Somewhere",
    ];
    let options =
        edge(subsequence(names.clone(), 2..=6), vec(select(names), 1..8)).prop_map(Value::from);
    let mentions = vec(
        strings(&["a@example.com", "b@example.com", "A@example.com"]),
        0..3,
    )
    .prop_map(Value::from);
    holds(
        "uniqueItems inside union variants",
        events(
            &[
                "message-posted/examples/1.0.0/valid/poll-to-user-id.json",
                "message-posted/examples/1.0.0/valid/text-to-email.json",
            ],
            vec![
                at("/message/options", some(options)),
                at("/message/mentions", maybe(mentions)),
            ],
            vec![at("/message/options", some(any_type()))],
        ),
    );
}

/// Every draft-07 format the corpus uses: one to three fields at a time given strings near
/// their grammar's edges, from pools and generated text.
#[test]
fn formats() {
    let links = vec![
        at(
            "/links/self",
            maybe(format(
                &["/accounts/7e8f", "https://x.example/a?b#c", "#frag", ""],
                &["a b", "%zz", "\\bad"],
            )),
        ),
        at(
            "/links/docs",
            maybe(format(
                &["https://exämple.de/dokumente", "http://[::1]", "urn:x"],
                &["relative/path", "https://a b"],
            )),
        ),
        at(
            "/links/docsRef",
            maybe(format(&["../hilfe", "ü/ö", ""], &["http://x y", "\\x"])),
        ),
        at(
            "/links/search",
            maybe(format(
                &["https://api.example.com/{?q,page}", "/{a}/{b*}", "x"],
                &["{x", "x}"],
            )),
        ),
        at(
            "/links/field",
            maybe(format(
                &["/account/seats", "", "/a~1b"],
                &["/a~2", "account"],
            )),
        ),
        at(
            "/links/sibling",
            maybe(format(&["1/plan", "0#", "2"], &["-1/x", "01/a"])),
        ),
        at(
            "/links/filter",
            maybe(format(
                &["^[a-z]+$", "\\p{L}", "(?<n>a)"],
                &["(", "[", "a{2,1}"],
            )),
        ),
        at(
            "/links/owner",
            maybe(format(
                &["ops@example.de", "ö@bücher.example"],
                &["a@", "a@b@c"],
            )),
        ),
        at(
            "/links/host",
            maybe(format(
                &["bücher.example", "xn--bcher-kva.example", "a"],
                &["-x.example", "a..b", "ex_ample.com"],
            )),
        ),
        at(
            "/links/renewsOn",
            maybe(format(
                &["2027-01-01", "2028-02-29"],
                &["2027-02-29", "2027-1-1", "2027-13-01"],
            )),
        ),
        at(
            "/links/cutoff",
            maybe(format(
                &["23:59:59Z", "12:00:00+01:00", "12:00:00.5z", "23:59:60Z"],
                &["24:00:00Z", "12:00:00", "12:60:00Z"],
            )),
        ),
        at(
            "/links/ip",
            maybe(format(
                &["fe80::1", "::", "::ffff:192.0.2.1", "1:2:3:4:5:6:7:8"],
                &["1::2::3", "12345::", "192.0.2.1"],
            )),
        ),
        at("/eventId", some(uuid())),
        at("/occurredAt", some(date_time())),
    ];
    holds(
        "formats of account-updated",
        events(
            &["account-updated/examples/1.0.0/valid/enterprise.json"],
            some_of(links),
            vec![at("/links/extra", some(any_type()))],
        ),
    );
    let order = vec![
        at(
            "/source",
            some(format(
                &[
                    "orders-1.eu-west.shop.example",
                    "Orders-3.Example",
                    "x.y.z",
                    "a",
                ],
                &["-bad", "a..b", "a_b", "ünï.example"],
            )),
        ),
        at("/order/contact/email", maybe(email())),
        at(
            "/order/contact/website",
            maybe(format(
                &["https://ada.example/profile", "mailto:a@b"],
                &["ada.example", "https://a b"],
            )),
        ),
        at(
            "/order/contact/ip",
            maybe(format(
                &["192.0.2.10", "0.0.0.0", "255.255.255.255"],
                &["256.0.0.1", "1.2.3", "01.2.3.4"],
            )),
        ),
        at(
            "/order/customer/since",
            maybe(format(&["2019-07-14"], &["2019-02-29", "19-07-14"])),
        ),
    ];
    holds(
        "formats of order-placed",
        events(
            &["order-placed/examples/1.0.0/valid/full.json"],
            some_of(order),
            vec![at("/source", some(any_type()))],
        ),
    );
}
