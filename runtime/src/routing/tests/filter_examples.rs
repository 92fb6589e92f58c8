//! The filter evaluator against the examples of the Amazon SNS Developer Guide
//! (https://docs.aws.amazon.com/sns/latest/dg/): each documented policy, with the
//! message attributes the guide says it matches and does not match.

use serde_json::{json, Value};

use crate::routing::{
    matching_queues, publish_attributes, ArrayItem, AttributeValue, FilterPolicy,
    MessageAttributes, PolicyParseError, Subscription,
};

fn policy(text: &str) -> FilterPolicy {
    FilterPolicy::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn string(value: &str) -> AttributeValue {
    AttributeValue::String(value.to_owned())
}

fn number(value: f64) -> AttributeValue {
    AttributeValue::Number(value)
}

fn array(items: Value) -> AttributeValue {
    let Value::Array(items) = items else {
        panic!("not an array: {items}")
    };
    AttributeValue::StringArray(
        items
            .into_iter()
            .map(|item| match item {
                Value::String(s) => ArrayItem::String(s),
                Value::Number(n) => ArrayItem::Number(n.as_f64().unwrap_or(f64::NAN)),
                Value::Bool(b) => ArrayItem::Bool(b),
                Value::Null => ArrayItem::Null,
                other => panic!("not an array item: {other}"),
            })
            .collect(),
    )
}

fn one(name: &str, value: AttributeValue) -> MessageAttributes {
    MessageAttributes::new().with(name, value)
}

fn parse_error(text: &str) -> String {
    match FilterPolicy::parse(text) {
        Ok(p) => panic!("{text} was accepted as {p:?}"),
        Err(e) => e.to_string(),
    }
}

// "String value matching", exact matching: https://docs.aws.amazon.com/sns/latest/dg/string-value-matching.html
#[test]
fn string_exact_matching() {
    let p = policy(r#"{"customer_interests": ["rugby", "tennis"]}"#);
    assert!(p.matches(&one("customer_interests", string("rugby"))));
    assert!(p.matches(&one("customer_interests", string("tennis"))));
    assert!(p.matches(&one(
        "customer_interests",
        array(json!(["rugby", "tennis"]))
    )));
    assert!(!p.matches(&one("customer_interests", string("baseball"))));
    assert!(!p.matches(&one("customer_interests", array(json!(["baseball"])))));
    // "For string matching in the filter policy, the comparison is case-sensitive."
    assert!(!p.matches(&one("customer_interests", string("Rugby"))));
}

// "String value matching", prefix matching.
#[test]
fn string_prefix_matching() {
    let p = policy(r#"{"customer_interests": [{"prefix": "bas"}]}"#);
    assert!(p.matches(&one("customer_interests", string("baseball"))));
    assert!(p.matches(&one("customer_interests", string("basketball"))));
    assert!(!p.matches(&one("customer_interests", string("rugby"))));
}

// "String value matching", anything-but matching.
#[test]
fn string_anything_but_matching() {
    let p = policy(r#"{"customer_interests": [{"anything-but": ["rugby", "tennis"]}]}"#);
    assert!(p.matches(&one("customer_interests", string("baseball"))));
    assert!(p.matches(&one("customer_interests", string("football"))));
    // "because it contains a value that isn't rugby or tennis"
    assert!(p.matches(&one(
        "customer_interests",
        array(json!(["rugby", "baseball"]))
    )));
    assert!(!p.matches(&one("customer_interests", string("rugby"))));
    assert!(!p.matches(&one(
        "customer_interests",
        array(json!(["rugby", "tennis"]))
    )));
}

// "String value matching", using a prefix with the anything-but operator.
#[test]
fn string_anything_but_prefix_matching() {
    let p = policy(r#"{"event": [{"anything-but": {"prefix": "order-"}}]}"#);
    assert!(p.matches(&one("event", string("data-entry"))));
    assert!(p.matches(&one("event", string("order_number"))));
    assert!(!p.matches(&one("event", string("order-cancelled"))));
}

// "String value matching", IP address matching: documented, not implemented here, so
// the policy is refused by name rather than silently never matching.
#[test]
fn cidr_is_refused_by_name() {
    let err = FilterPolicy::parse(r#"{"source_ip": [{"cidr": "10.0.0.0/24"}]}"#).unwrap_err();
    let PolicyParseError::Policy(err) = err else {
        panic!("{err}")
    };
    assert_eq!(err.unsupported_operator.as_deref(), Some("cidr"));
    assert_eq!(err.pointer, "/source_ip/0/cidr");
    assert_eq!(
        err.to_string(),
        "the filter-policy operator \"cidr\" is not supported (at /source_ip/0/cidr)"
    );
    assert_eq!(
        err.help,
        "use one of: anything-but, equals-ignore-case, exists, numeric, prefix, suffix"
    );
}

// The suffix and equals-ignore-case operators, which the guide lists among the string
// operators; the cases follow the prefix example's pattern.
#[test]
fn suffix_and_equals_ignore_case() {
    let p = policy(r#"{"customer_interests": [{"suffix": "ball"}]}"#);
    assert!(p.matches(&one("customer_interests", string("baseball"))));
    assert!(!p.matches(&one("customer_interests", string("rugby"))));
    let p = policy(r#"{"customer_interests": [{"equals-ignore-case": "RUGBY"}]}"#);
    assert!(p.matches(&one("customer_interests", string("rugby"))));
    assert!(p.matches(&one("customer_interests", string("Rugby"))));
    assert!(!p.matches(&one("customer_interests", string("rugby league"))));
    let p = policy(r#"{"file": [{"anything-but": {"suffix": ".tmp"}}]}"#);
    assert!(p.matches(&one("file", string("a.txt"))));
    assert!(!p.matches(&one("file", string("a.tmp"))));
    let p = policy(r#"{"team": [{"anything-but": {"equals-ignore-case": ["a", "B"]}}]}"#);
    assert!(p.matches(&one("team", string("c"))));
    assert!(!p.matches(&one("team", string("A"))));
    assert!(!p.matches(&one("team", string("b"))));
}

// "Numeric value matching", exact matching: https://docs.aws.amazon.com/sns/latest/dg/numeric-value-matching.html
#[test]
fn numeric_exact_matching() {
    let p = policy(r#"{"price_usd": [{"numeric": ["=", 301.5]}]}"#);
    assert!(p.matches(&one("price_usd", number(301.5))));
    assert!(p.matches(&one("price_usd", number(3.015e2))));
    assert!(!p.matches(&one("price_usd", number(301.6))));
    // A numeric condition never matches a String attribute.
    assert!(!p.matches(&one("price_usd", string("301.5"))));
}

// "Numeric value matching", anything-but matching.
#[test]
fn numeric_anything_but_matching() {
    let p = policy(r#"{"price": [{"anything-but": [100, 500]}]}"#);
    assert!(p.matches(&one("price", number(101.0))));
    assert!(p.matches(&one("price", number(100.1))));
    // The guide's "Number.Array" is not a Publish data type; numbers in a String.Array
    // carry the same case: it contains a value that isn't 100 or 500.
    assert!(p.matches(&one("price", array(json!([100, 50])))));
    assert!(!p.matches(&one("price", number(100.0))));
}

// "Numeric value matching", value range matching.
#[test]
fn numeric_range_matching() {
    let negative = policy(r#"{"price_usd": [{"numeric": ["<", 0]}]}"#);
    assert!(negative.matches(&one("price_usd", number(-0.5))));
    assert!(!negative.matches(&one("price_usd", number(0.0))));
    assert!(!negative.matches(&one("price_usd", number(3.0))));
    // "positive numbers up to and including 150"
    let range = policy(r#"{"price_usd": [{"numeric": [">", 0, "<=", 150]}]}"#);
    assert!(range.matches(&one("price_usd", number(0.5))));
    assert!(range.matches(&one("price_usd", number(150.0))));
    assert!(!range.matches(&one("price_usd", number(0.0))));
    assert!(!range.matches(&one("price_usd", number(150.01))));
    let inclusive = policy(r#"{"n": [{"numeric": [">=", 10]}]}"#);
    assert!(inclusive.matches(&one("n", number(10.0))));
    assert!(!inclusive.matches(&one("n", number(9.99999))));
}

// "Filter policy constraints": five digits of accuracy after the decimal point, and
// values from -10^9 to 10^9: https://docs.aws.amazon.com/sns/latest/dg/subscription-filter-policy-constraints.html
#[test]
fn numeric_precision_and_range() {
    let p = policy(r#"{"n": [{"numeric": ["=", 1]}]}"#);
    assert!(p.matches(&one("n", number(1.000001))));
    assert!(!p.matches(&one("n", number(1.00001))));
    let big = policy(r#"{"n": [{"numeric": [">", 0]}]}"#);
    assert!(big.matches(&one("n", number(1e9))));
    assert!(!big.matches(&one("n", number(1e10))));
    assert_eq!(
        parse_error(r#"{"n": [{"numeric": [">", 10000000000]}]}"#),
        "10000000000 is outside the numbers SNS compares (-1e9 to 1e9) (at /n/0/numeric/1)"
    );
}

// "Key matching": exists true and false: https://docs.aws.amazon.com/sns/latest/dg/attribute-key-matching.html
#[test]
fn key_matching() {
    let with_store = MessageAttributes::new().with("store", string("fans")).with(
        "customer_interests",
        array(json!(["baseball", "basketball"])),
    );
    let without_store = one(
        "customer_interests",
        array(json!(["baseball", "basketball"])),
    );
    let exists = policy(r#"{"store": [{"exists": true}]}"#);
    assert!(exists.matches(&with_store));
    assert!(!exists.matches(&without_store));
    let absent = policy(r#"{"store": [{"exists": false}]}"#);
    assert!(!absent.matches(&with_store));
    assert!(absent.matches(&without_store));
    // "exists": false only matches if at least one attribute is present.
    assert!(!absent.matches(&MessageAttributes::new()));
}

// "AND/OR logic": https://docs.aws.amazon.com/sns/latest/dg/and-or-logic.html
#[test]
fn and_or_logic() {
    let and =
        policy(r#"{"customer_interests": ["rugby"], "price_usd": [{"numeric": [">", 100]}]}"#);
    let both = MessageAttributes::new()
        .with("customer_interests", string("rugby"))
        .with("price_usd", number(100.5));
    assert!(and.matches(&both));
    assert!(!and.matches(&both.clone().with("price_usd", number(99.0))));
    assert!(!and.matches(&one("customer_interests", string("rugby"))));
    let or = policy(r#"{"customer_interests": ["rugby", "football", "baseball"]}"#);
    for value in ["rugby", "football", "baseball"] {
        assert!(
            or.matches(&one("customer_interests", string(value))),
            "{value}"
        );
    }
    assert!(!or.matches(&one("customer_interests", string("hockey"))));
    // Attributes the policy does not name are ignored.
    assert!(or.matches(&one("customer_interests", string("rugby")).with("x", number(1.0))));
}

// "Example filter policies": the guide's message, one policy that accepts it and one
// that rejects it: https://docs.aws.amazon.com/sns/latest/dg/example-filter-policies.html
#[test]
fn example_filter_policies() {
    let message = MessageAttributes::new()
        .with(
            "customer_interests",
            array(json!(["soccer", "rugby", "hockey"])),
        )
        .with("store", string("example_corp"))
        .with("event", string("order_placed"))
        .with("price_usd", number(210.75));
    let accepts = policy(
        r#"{
            "store": ["example_corp"],
            "event": [{"anything-but": "order_cancelled"}],
            "customer_interests": ["rugby", "football", "baseball"],
            "price_usd": [{"numeric": [">=", 100]}]
        }"#,
    );
    assert!(accepts.matches(&message));
    let rejects = policy(
        r#"{
            "store": ["example_corp"],
            "event": ["order_cancelled"],
            "encrypted": [false],
            "customer_interests": ["basketball", "baseball"]
        }"#,
    );
    assert!(!rejects.matches(&message));
}

#[test]
fn booleans_and_nulls_match_array_elements() {
    let p = policy(r#"{"flags": [true, null]}"#);
    assert!(p.matches(&one("flags", array(json!([false, true])))));
    assert!(p.matches(&one("flags", array(json!([null])))));
    assert!(!p.matches(&one("flags", array(json!([false, "true"])))));
    assert!(!p.matches(&one("flags", string("true"))));
}

fn values(n: usize) -> String {
    let list: Vec<String> = (0..n).map(|i| format!("\"v{i}\"")).collect();
    format!("[{}]", list.join(", "))
}

// "Filter policy constraints": at most five keys, at most 150 combinations:
// https://docs.aws.amazon.com/sns/latest/dg/subscription-filter-policy-constraints.html
#[test]
fn the_quotas_are_enforced() {
    assert_eq!(
        parse_error(r#"{"a": ["x"], "b": ["x"], "c": ["x"], "d": ["x"], "e": ["x"], "f": ["x"]}"#),
        "the filter policy names 6 attributes; SNS accepts at most 5"
    );
    let under = format!(r#"{{"a": {}, "b": {}}}"#, values(11), values(11));
    assert_eq!(policy(&under).combinations(), 121);
    let over = format!(r#"{{"a": {}, "b": {}}}"#, values(13), values(12));
    assert_eq!(
        parse_error(&over),
        "the filter policy holds 156 combinations of values; SNS accepts at most 150"
    );
}

#[test]
fn malformed_policies_are_refused_with_their_place() {
    let cases = [
        (
            r#"{"a": {"b": ["x"]}}"#,
            "the conditions on \"a\" are an object; attribute-based filtering does not accept nested policies (at /a)",
        ),
        (r#"{"a": "x"}"#, "the conditions on \"a\" must be an array, not a string (at /a)"),
        (r#"{"a": []}"#, "the array of conditions on \"a\" is empty, so it matches no message (at /a)"),
        (r#"{}"#, "the filter policy names no attribute"),
        (r#"["a"]"#, "a filter policy is an object of attribute names to arrays of conditions, not an array"),
        (r#"{"$or": [{"a": ["x"]}, {"b": ["y"]}]}"#, "the filter-policy operator \"$or\" is not supported (at /$or)"),
        (r#"{"a": [{"wildcard": "x*"}]}"#, "the filter-policy operator \"wildcard\" is not supported (at /a/0/wildcard)"),
        (
            r#"{"a": [{"anything-but": {"wildcard": "x*"}}]}"#,
            "the filter-policy operator \"wildcard\" is not supported inside anything-but (at /a/0/anything-but/wildcard)",
        ),
        (
            r#"{"a": [{"prefix": "x", "suffix": "y"}]}"#,
            "an operator object holds exactly one operator, this one holds 2 (at /a/0)",
        ),
        (r#"{"a": [{"prefix": 1}]}"#, "\"prefix\" takes a string, not a number (at /a/0/prefix)"),
        (r#"{"a": [{"exists": "yes"}]}"#, "\"exists\" takes true or false, not a string (at /a/0/exists)"),
        (r#"{"a": [["x"]]}"#, "a condition cannot be an array (at /a/0)"),
        (
            r#"{"a": [{"anything-but": ["x", 1]}]}"#,
            "anything-but takes one string or number, a non-empty array of strings only or numbers only, or an object with prefix, suffix or equals-ignore-case; found an array (at /a/0/anything-but)",
        ),
        (r#"{"a": [{"numeric": ["!=", 1]}]}"#, "\"!=\" is not a numeric comparison operator (at /a/0/numeric/0)"),
        (r#"{"a": [{"numeric": [">", "1"]}]}"#, "\">\" must be followed by a number, not a string (at /a/0/numeric/1)"),
        (r#"{"a": [{"numeric": [">", 1, "<"]}]}"#, "\"numeric\" takes 2 or 4 items (one comparison or a range), not 3 (at /a/0/numeric)"),
        (r#"{"a": [{"numeric": ["<", 5, ">", 1]}]}"#, "a range starts with its lower bound (> or >=), not \"<\" (at /a/0/numeric/0)"),
        (r#"{"a": [{"numeric": [">", 1, ">", 5]}]}"#, "a range ends with its upper bound (< or <=), not \">\" (at /a/0/numeric/2)"),
        (r#"{"a": [{"numeric": [">", 5, "<", 1]}]}"#, "the range's lower bound 5 is not below its upper bound 1 (at /a/0/numeric)"),
        (r#"{"a": ["x"], "a": ["y"]}"#, "the filter policy is not valid JSON: duplicate key \"a\" in one object; send each key once at line 1 column 16"),
    ];
    for (text, expected) in cases {
        assert_eq!(parse_error(text), expected, "{text}");
    }
}

#[test]
fn every_problem_is_reported_at_once() {
    let value = json!({"a": [{"cidr": "10.0.0.0/8"}], "b": [{"numeric": ["<", 5, ">", 1]}]});
    let errors = FilterPolicy::from_json_all(&value).unwrap_err();
    let pointers: Vec<&str> = errors.iter().map(|e| e.pointer.as_str()).collect();
    assert_eq!(pointers, ["/a/0/cidr", "/b/0/numeric/0"]);
}

#[test]
fn policies_round_trip_to_sns_json() {
    let text = r#"{"a":["x",1,2.5,true,null],"b":[{"prefix":"p"},{"suffix":"s"},{"equals-ignore-case":"E"}],"c":[{"anything-but":["x","y"]},{"anything-but":[1,2]},{"anything-but":{"prefix":"t"}}],"d":[{"numeric":["=",3]},{"numeric":[">",0,"<=",150]},{"numeric":["<",-1.5]}],"e":[{"exists":false}]}"#;
    let p = policy(text);
    assert_eq!(p.to_json().to_string(), text);
    assert_eq!(FilterPolicy::from_json(&p.to_json()), Ok(p));
}

#[test]
fn route_follows_subscription_order_and_skips_non_matching() {
    let subscriptions = [
        Subscription {
            queue: "notifications",
            raw_message_delivery: false,
            filter_policy: Some(policy(
                r#"{"eventType": ["ProductCreated", "LowStockWarning"]}"#,
            )),
        },
        Subscription {
            queue: "audit",
            raw_message_delivery: true,
            filter_policy: None,
        },
        Subscription {
            queue: "analytics",
            raw_message_delivery: false,
            filter_policy: Some(policy(
                r#"{"eventType": ["ProductCreated", "ProductDeleted"]}"#,
            )),
        },
    ];
    let created = publish_attributes("ProductCreated", "1.1.0");
    assert_eq!(
        matching_queues(&subscriptions, &created),
        ["notifications", "audit", "analytics"]
    );
    let deleted = publish_attributes("ProductDeleted", "1.0.0");
    assert_eq!(
        matching_queues(&subscriptions, &deleted),
        ["audit", "analytics"]
    );
}

#[test]
fn publish_attributes_are_two_strings() {
    let attributes = publish_attributes("ProductCreated", "1.1.0");
    assert_eq!(
        attributes.to_publish_json(),
        json!({
            "eventType": {"DataType": "String", "StringValue": "ProductCreated"},
            "version": {"DataType": "String", "StringValue": "1.1.0"}
        })
    );
    assert_eq!(
        attributes.to_envelope_json(),
        json!({
            "eventType": {"Type": "String", "Value": "ProductCreated"},
            "version": {"Type": "String", "Value": "1.1.0"}
        })
    );
}
