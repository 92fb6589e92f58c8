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
