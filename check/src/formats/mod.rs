//! The string formats of draft-07, checked exactly as the project's oracle checks them.
//!
//! The runtime (typed decoding, the schema check) and the build (example checks) both
//! use these, so they can never disagree on what a valid `uuid` or `hostname` is. The
//! oracle is the `jsonschema` crate (0.61) in draft-07 mode with format assertion on and
//! this module's [`is_uuid`] and [`is_date_time`] registered; every checker here accepts
//! exactly what it accepts, which the tests in `check/tests/formats_*.rs` hold it to.
//! Where the oracle departs from a format's RFC, the checker's documentation says so.
//!
//! Each checker is total (no panic on any text) and allocates nothing for ASCII input
//! except where its documentation says otherwise.

mod date_time;
mod email;
mod hostname;
mod ip;
mod pointer;
mod regex;
mod uri;
mod uri_template;

pub use date_time::{is_date, is_date_time, is_time, parse_date_time, DateTimeParts};
pub use email::{is_email, is_idn_email};
pub use hostname::{is_hostname, is_idn_hostname};
pub use ip::{is_ipv4, is_ipv6};
pub use pointer::{is_json_pointer, is_relative_json_pointer};
pub use regex::is_regex;
pub use uri::{is_iri, is_iri_reference, is_uri, is_uri_reference};
pub use uri_template::is_uri_template;

/// The checker of a format, or None for a format JSON Schema validators ignore.
///
/// These are the draft-07 formats plus `uuid` (from 2019-09, which the project's schemas
/// use). Any other name, `duration` included (the oracle checks it only from 2019-09 on),
/// is an annotation: every string passes.
pub fn checker(name: &str) -> Option<fn(&str) -> bool> {
    Some(match name {
        "date-time" => is_date_time,
        "date" => is_date,
        "time" => is_time,
        "email" => is_email,
        "idn-email" => is_idn_email,
        "hostname" => is_hostname,
        "idn-hostname" => is_idn_hostname,
        "ipv4" => is_ipv4,
        "ipv6" => is_ipv6,
        "uri" => is_uri,
        "uri-reference" => is_uri_reference,
        "iri" => is_iri,
        "iri-reference" => is_iri_reference,
        "uri-template" => is_uri_template,
        "json-pointer" => is_json_pointer,
        "relative-json-pointer" => is_relative_json_pointer,
        "regex" => is_regex,
        "uuid" => is_uuid,
        _ => return None,
    })
}

/// Every format [`checker`] knows, in the order of the draft-07 specification, then `uuid`.
pub const CHECKED_FORMATS: [&str; 18] = [
    "date-time",
    "date",
    "time",
    "email",
    "idn-email",
    "hostname",
    "idn-hostname",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "iri",
    "iri-reference",
    "uri-template",
    "json-pointer",
    "relative-json-pointer",
    "regex",
    "uuid",
];

/// `format: uuid` (RFC 4122 as read by JSON Schema 2019-09+): only the hyphenated
/// 8-4-4-4-12 form of hex digits, upper or lower case. The `uuid` crate also
/// parses the simple, braced and `urn:uuid:` forms; those are rejected here.
pub fn is_uuid(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() != 36 {
        return false;
    }
    bytes.iter().enumerate().all(|(i, b)| match i {
        8 | 13 | 18 | 23 => *b == b'-',
        _ => b.is_ascii_hexdigit(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checker_knows_every_listed_format_and_nothing_else() {
        for name in CHECKED_FORMATS {
            assert!(checker(name).is_some(), "{name}");
        }
        for name in [
            "duration",
            "color",
            "int32",
            "",
            "URI",
            "date_time",
            "uuid ",
        ] {
            assert!(checker(name).is_none(), "{name}");
        }
    }

    #[test]
    fn checker_maps_each_name_to_its_own_function() {
        // One string per format that only that format (of those listed) accepts or
        // refuses in a telling way, so a swapped arm fails here.
        let pairs: [(&str, &str, bool); 6] = [
            ("uuid", "123e4567-e89b-12d3-a456-426614174000", true),
            ("date", "2020-01-01", true),
            ("time", "2020-01-01", false),
            ("ipv4", "::1", false),
            ("ipv6", "::1", true),
            ("json-pointer", "0/a", false),
        ];
        for (name, text, expected) in pairs {
            assert_eq!(
                checker(name).map(|f| f(text)),
                Some(expected),
                "{name} {text}"
            );
        }
    }
}
