//! Every example of the corpus: decode (from bytes and from a value) gives the verdict of
//! its folder and exactly the violations the oracle reports, and every valid one encodes
//! back to exactly its JSON.

mod support;

use support::{examples, judge, oracle};

#[test]
fn every_example_decodes_as_the_oracle_judges_it() {
    let all = examples();
    assert!(all.len() >= 28, "only {} examples", all.len());
    let mut wrong = Vec::new();
    let mut valid = 0;
    for (path, expected) in &all {
        let text = std::fs::read_to_string(path).expect("an example reads");
        let event: serde_json::Value = serde_json::from_str(&text).expect("an example parses");
        match judge(&event) {
            Ok(verdict) if verdict == *expected => valid += usize::from(verdict),
            Ok(verdict) => wrong.push(format!(
                "{}: decoded as {}, but its folder says {}",
                path.display(),
                if verdict { "valid" } else { "invalid" },
                if *expected { "valid" } else { "invalid" }
            )),
            Err(why) => wrong.push(format!("{}: {why}", path.display())),
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
    assert!(valid >= 15, "only {valid} valid examples");
}

/// Every valid example is read on decode's fast path (one typed read, with the checks its
/// types carry: counted arrays and maps, checked fields), and no invalid one is: a typed
/// read stricter than the schema would push valid events onto the slow path, where the
/// verdict is still right but the cost is several times higher.
#[test]
fn valid_examples_take_the_fast_path_and_invalid_ones_do_not() {
    let decoder =
        event_contracts_runtime::Decoder::<event_contracts_corpus_crate::ShopEvent>::new();
    let mut wrong = Vec::new();
    for (path, valid) in examples() {
        let text = std::fs::read_to_string(&path).expect("an example reads");
        let (fast, _) = decoder.__fast_path(&text);
        if fast.is_some() != valid {
            wrong.push(format!(
                "{}: the fast path {} it",
                path.display(),
                if valid { "refuses" } else { "accepts" }
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The rules a map property's typed read checks itself (`minProperties`,
/// `maxProperties`, `propertyNames`), each broken alone on a valid example: the fast path
/// refuses the event, and decode reports exactly the oracle's violation.
#[test]
fn map_rules_broken_one_at_a_time() {
    use serde_json::json;
    let decoder =
        event_contracts_runtime::Decoder::<event_contracts_corpus_crate::ShopEvent>::new();
    let cases: &[(&str, &str, serde_json::Value, &str)] = &[
        (
            "account-updated/examples/1.0.0/valid/enterprise.json",
            "/changes",
            json!({}),
            "minProperties",
        ),
        (
            "account-updated/examples/1.0.0/valid/enterprise.json",
            "/changes",
            json!({"plan": "pro", "status": "active", "seats": 2, "email": "a@b.c", "name": "n", "billing": {}}),
            "maxProperties",
        ),
        (
            "account-updated/examples/1.0.0/valid/enterprise.json",
            "/changes",
            json!({"plan": "pro", "colour": "red"}),
            "propertyNames",
        ),
        (
            "catalog-restructured/examples/1.0.0/valid/leaf-root.json",
            "/root/name",
            json!({}),
            "minProperties",
        ),
        (
            "catalog-restructured/examples/1.0.0/valid/leaf-root.json",
            "/root/name",
            json!({"pt-BR": "Único", "english": "Only"}),
            "propertyNames",
        ),
        (
            "message-posted/examples/1.0.0/valid/text-to-email.json",
            "/reactions",
            json!({"thumbs_up": 2, "": 1}),
            "propertyNames",
        ),
        (
            "message-posted/examples/1.0.0/valid/text-to-email.json",
            "/reactions",
            json!({"a_very_long_emoji_name": 1}),
            "propertyNames",
        ),
    ];
    for (rel, pointer, value, keyword) in cases {
        let mut event = support::example(rel);
        *event
            .pointer_mut(pointer)
            .unwrap_or_else(|| panic!("{rel} has {pointer}")) = value.clone();
        let text = event.to_string();
        assert!(
            decoder.__fast_path(&text).0.is_none(),
            "{rel} with {pointer} = {value}"
        );
        let expected = oracle(&event).expect("the oracle judges it");
        assert_eq!(
            expected
                .iter()
                .map(|(p, k, _)| (p.as_str(), k.as_str()))
                .collect::<Vec<_>>(),
            vec![(*pointer, *keyword)],
            "{rel} with {pointer} = {value}: the case breaks one rule"
        );
        assert_eq!(judge(&event), Ok(false), "{rel} with {pointer} = {value}");
    }
}

/// The oracle's violations of the invalid examples, exactly: the examples break what they
/// say they break, and `every_example_decodes_as_the_oracle_judges_it` holds decode to
/// these same lists.
#[test]
fn invalid_examples_break_what_they_name() {
    let cases: &[(&str, &[(&str, &str)])] = &[
        (
            "account-updated/examples/1.0.0/invalid/conditionals.json",
            &[
                ("/account", "not"),
                ("/account", "required"),
                ("/account", "required"),
                ("/account", "required"),
                ("/changes", "minProperties"),
            ],
        ),
        (
            "account-updated/examples/1.0.0/invalid/else-and-dependencies.json",
            &[
                ("/account/billingAddress", "required"),
                ("/account/seats", "maximum"),
                ("/account/suspensionReason", "not"),
                ("/changes", "maxProperties"),
                ("/changes", "propertyNames"),
                ("/changes", "propertyNames"),
                ("/changes", "propertyNames"),
                ("/changes", "propertyNames"),
                ("/changes", "propertyNames"),
                ("/links/cutoff", "format"),
                ("/links/field", "format"),
                ("/links/filter", "format"),
                ("/links/ip", "format"),
                ("/links/renewsOn", "format"),
                ("/links/self", "format"),
                ("/links/sibling", "format"),
                ("/notes", "maxItems"),
                ("/notes/0", "not"),
                ("/profile", "minProperties"),
            ],
        ),
        (
            "catalog-restructured/examples/1.0.0/invalid/deep-violations.json",
            &[
                ("/moved", "uniqueItems"),
                ("/root/children/0/children/0/_flag", "type"),
                ("/root/children/0/children/0/meta", "additionalProperties"),
                ("/root/children/0/children/0/meta/n-b", "type"),
                ("/root/children/0/children/0/meta/x-a", "type"),
                ("/root/children/0/children/0/name", "propertyNames"),
                ("/root/children/0/name", "minProperties"),
                ("/root/children/0/slug", "pattern"),
                ("/root/children/1", "required"),
                ("/root/children/1/name/en", "minLength"),
                ("/root/featured", "anyOf"),
            ],
        ),
        (
            "catalog-restructured/examples/1.0.0/invalid/meta-too-many.json",
            &[("/root/meta", "maxProperties")],
        ),
        (
            "message-posted/examples/1.0.0/invalid/poll-repeats-option.json",
            &[("/message", "oneOf"), ("/recipient", "anyOf")],
        ),
        (
            "message-posted/examples/1.0.0/invalid/reply-matches-both-branches.json",
            &[("/replyTo", "oneOf")],
        ),
        (
            "message-posted/examples/1.0.0/invalid/unknown-kind.json",
            &[("/message", "oneOf")],
        ),
        (
            "message-posted/examples/1.0.0/invalid/variant-members.json",
            &[
                ("/attachment", "anyOf"),
                ("/message", "oneOf"),
                ("/reactions", "propertyNames"),
                ("/reactions/wave", "minimum"),
                ("/recipient", "anyOf"),
            ],
        ),
        (
            "order-placed/examples/1.0.0/invalid/literals-and-maps.json",
            &[
                ("/order/attributes/weight", "type"),
                ("/order/customer/loyaltyTier", "enum"),
                ("/order/giftWrap", "enum"),
                ("/order/labels/campaign", "maxLength"),
                ("/order/labels/channel", "enum"),
                ("/order/priority", "enum"),
                ("/order/rating", "enum"),
                ("/order/stock/LON-1", "required"),
                ("/order/tags/n", "type"),
            ],
        ),
        (
            "order-placed/examples/1.0.0/invalid/nullable-and-formats.json",
            &[
                ("/order/billingAddress", "oneOf"),
                ("/order/contact/ip", "format"),
                ("/order/contact/website", "format"),
                ("/order/couponCode", "minLength"),
                ("/order/customer/email", "format"),
                ("/order/customer/since", "format"),
                ("/order/lines", "minItems"),
                ("/order/shippingAddress", "anyOf"),
                ("/order/total/amount", "type"),
                ("/source", "format"),
                ("/trace", "anyOf"),
            ],
        ),
        (
            "order-placed/examples/1.0.0/invalid/required-nullable-missing.json",
            &[
                ("", "required"),
                ("/order", "required"),
                ("/order", "required"),
            ],
        ),
        (
            "reading-recorded/examples/1.0.0/invalid/closed-allof.json",
            &[
                ("/calibration", "additionalProperties"),
                ("/calibration/at", "format"),
                ("/device", "additionalProperties"),
                ("/position", "minItems"),
                ("/reading", "maxLength"),
                ("/samples", "minItems"),
            ],
        ),
        (
            "reading-recorded/examples/1.0.0/invalid/tuples-and-bounds.json",
            &[
                ("/batch", "exclusiveMaximum"),
                ("/device/address", "anyOf"),
                ("/device/host", "format"),
                ("/flags", "contains"),
                ("/flags", "uniqueItems"),
                ("/level", "enum"),
                ("/peaks", "contains"),
                ("/position", "additionalItems"),
                ("/position/0", "maximum"),
                ("/precision", "multipleOf"),
                ("/reading", "minimum"),
                ("/samples/0", "type"),
                ("/samples/1", "type"),
                ("/status", "enum"),
                ("/window", "additionalItems"),
                ("/window/0", "required"),
                ("/window/1", "additionalProperties"),
                ("/window/1/at", "format"),
            ],
        ),
    ];
    for (rel, expected) in cases {
        let found = oracle(&support::example(rel)).expect("a schema is chosen");
        let found: Vec<(&str, &str)> = found
            .iter()
            .map(|(p, k, _)| (p.as_str(), k.as_str()))
            .collect();
        assert_eq!(&found, expected, "{rel}");
    }
}
