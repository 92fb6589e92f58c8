#!/usr/bin/env python3
"""Writes the decode corpus: tests/corpus/events.jsonl and tests/corpus/verdicts.jsonl
(and sample.jsonl, the README's example input, picked from the same cases).

Line N of events.jsonl is one event, byte for byte as a consumer would receive it (some
lines are deliberately not UTF-8, not JSON, or too large). Line N of verdicts.jsonl says
what `event_contracts::decode` must answer for it:

    {"line": N, "case": "...", "topic": "...", "valid": bool,
     "error": null | "<DecodeError variant>",
     "violations": [{"pointer": "...", "keyword": "..."}],   # exact, in any order
     "oracle": "agrees" | "not-reached" | "out-of-range"}

`oracle` says how the jsonschema validator (`validate_value`) relates to the verdict:
- agrees: the input parses, and the validator gives the same verdict;
- not-reached: the input is rejected before it is a JSON value (size, depth, UTF-8,
  syntax, duplicate keys), so the validator never sees it;
- out-of-range: JSON Schema accepts the number but the Rust type cannot hold it
  (DecodeError::OutOfRange); the validator says valid.

The verdicts are written by hand below, from the schemas and the issue, never recorded
from the code under test. Run `python3 tests/corpus/generate.py` after editing this file;
tests/corpus.rs checks every line.
"""

import copy
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))

UUID_A = "6f1c2e9a-3b4d-4e5f-8a9b-0c1d2e3f4a5b"
ENVELOPE = {
    "eventId": UUID_A,
    "version": "1.0.0",
    "timestamp": "2026-03-01T12:00:00Z",
    "correlationId": "0b7e4c1a-5d2f-4a3b-9c8d-7e6f5a4b3c2d",
    "source": "catalog-service",
    "userId": "a1b2c3d4-e5f6-4789-abcd-ef0123456789",
}
PRODUCT_ID = "9e8d7c6b-5a49-4382-9171-605f4e3d2c1b"
SELLER_ID = "1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b"


def created(version="1.0.0"):
    event = dict(ENVELOPE, version=version, eventType="ProductCreated")
    event["data"] = {
        "productId": PRODUCT_ID,
        "name": "Trail running shoe",
        "description": "Lightweight shoe for rough trails",
        "price": 12999,
        "quantity": 40,
        "category": "sports",
        "sellerId": SELLER_ID,
    }
    return event


def updated(version="1.0.0"):
    event = dict(ENVELOPE, version=version, eventType="ProductUpdated")
    event["data"] = {
        "productId": PRODUCT_ID,
        "changes": {"price": 1.5, "quantity": 3},
        "previousState": {"price": 12999, "quantity": 40},
    }
    return event


def deleted(version="1.0.0"):
    event = dict(ENVELOPE, version=version, eventType="ProductDeleted")
    event["data"] = {"productId": PRODUCT_ID, "deletedAt": "2026-03-03T09:00:00Z"}
    return event


def low_stock(version="1.0.0"):
    event = dict(ENVELOPE, version=version, eventType="LowStockWarning")
    event["data"] = {
        "productId": PRODUCT_ID,
        "productName": "Trail running shoe",
        "currentQuantity": 3,
        "threshold": 5,
    }
    return event


def with_(event, pointer, value):
    """A copy of `event` with the value at `pointer` (e.g. "/data/price") set."""
    event = copy.deepcopy(event)
    parts = pointer.split("/")[1:]
    target = event
    for part in parts[:-1]:
        target = target[part]
    target[parts[-1]] = value
    return event


def without(event, pointer):
    event = copy.deepcopy(event)
    parts = pointer.split("/")[1:]
    target = event
    for part in parts[:-1]:
        target = target[part]
    del target[parts[-1]]
    return event


def text(event):
    return json.dumps(event, ensure_ascii=False)


CASES = []


def case(name, topic, event, valid, error=None, violations=(), oracle="agrees", raw=None):
    """One corpus line. `raw` maps placeholder strings in the JSON text to raw JSON text
    (numbers such as `-0` or `1e400` that Python cannot spell), or is the whole line as bytes."""
    if isinstance(raw, bytes):
        line = raw
    else:
        body = text(event)
        for placeholder, replacement in (raw or {}).items():
            quoted = json.dumps(placeholder)
            assert quoted in body, (name, placeholder)
            body = body.replace(quoted, replacement)
        line = body.encode("utf-8")
    assert b"\n" not in line, name
    if valid:
        assert error is None and not violations and oracle == "agrees", name
    else:
        assert error is not None, name
    assert all(c["case"] != name for c in CASES), f"duplicate case name {name}"
    CASES.append(
        {
            "bytes": line,
            "case": name,
            "topic": topic,
            "valid": valid,
            "error": error,
            "violations": [{"pointer": p, "keyword": k} for p, k in violations],
            "oracle": oracle,
        }
    )


def valid(name, topic, event, raw=None):
    case(name, topic, event, True, raw=raw)


def invalid(name, topic, event, *violations, raw=None):
    """A schema violation: the validator lists exactly `violations`."""
    case(name, topic, event, False, "Invalid", violations, raw=raw)


def rejected(name, topic, error, event=None, raw=None, violations=(("", "json"),)):
    """Rejected before it is a JSON value: the validator never sees it."""
    case(name, topic, event, False, error, violations, oracle="not-reached", raw=raw)


def envelope_error(name, topic, event, error, keyword, pointer="", raw=None):
    """No schema can be chosen; the validator answers the same, since it needs one too.
    The error points at the envelope field that chooses the schema."""
    case(name, topic, event, False, error, [(pointer, keyword)], raw=raw)


def out_of_range(name, topic, event, pointer, raw=None):
    case(name, topic, event, False, "OutOfRange", [(pointer, "type")], oracle="out-of-range", raw=raw)


# --- every event type, valid as the seed writes them ------------------------------------
valid("created-1.0.0-minimal", "baseline", created())
full_created = created("1.1.0")
full_created["sessionId"] = "d4c3b2a1-6f5e-4987-8cba-9876543210fe"
full_created["metadata"] = {"userAgent": "Mozilla/5.0", "ipAddress": "203.0.113.7", "requestId": "req-42"}
full_created["data"]["createdAt"] = "2026-03-01T11:59:58.250+01:00"
full_created["data"]["metadata"] = {"color": "blue", "sizes": [40, 41, 42]}
valid("created-1.1.0-full", "baseline", full_created)
valid("created-1.1.0-minimal", "baseline", created("1.1.0"))
valid("updated-minimal", "baseline", updated())
full_updated = with_(updated(), "/data/changes", {"name": "Trail shoe", "description": "New text", "price": 1.5, "quantity": 3, "category": "sports"})
full_updated["data"]["updatedAt"] = "2026-03-02T08:30:00Z"
valid("updated-full", "baseline", full_updated)
valid("deleted-minimal", "baseline", deleted())
valid("deleted-with-reason", "baseline", with_(deleted(), "/data/reason", "Discontinued by the seller"))
valid("low-stock-minimal", "baseline", low_stock())
full_low = low_stock()
full_low["data"].update({"sellerId": SELLER_ID, "category": "sports", "severity": "critical"})
valid("low-stock-full", "baseline", full_low)

# --- 3: 5.0 is an integer ----------------------------------------------------------------
valid("quantity-5.0", "integer", with_(created(), "/data/quantity", 5.0))
valid("quantity-0.0", "integer", with_(created(), "/data/quantity", 0.0))
valid("quantity-1e2", "integer", with_(created(), "/data/quantity", "@N"), raw={"@N": "1e2"})
valid("quantity-1.0e0", "integer", with_(created(), "/data/quantity", "@N"), raw={"@N": "1.0e0"})
valid("current-quantity-3.0", "integer", with_(low_stock(), "/data/currentQuantity", 3.0))
valid("threshold-1E1", "integer", with_(low_stock(), "/data/threshold", "@N"), raw={"@N": "1E1"})
valid("changes-quantity-negative-3.0", "integer", with_(updated(), "/data/changes/quantity", -3.0))
valid("price-integer", "integer", with_(created(), "/data/price", 7))
valid("price-fraction", "integer", with_(created(), "/data/price", 19.99))
valid("changes-price-integer", "integer", with_(updated(), "/data/changes/price", 7))
invalid("quantity-5.5", "integer", with_(created(), "/data/quantity", 5.5), ("/data/quantity", "type"))
invalid("quantity-0.5e0", "integer", with_(created(), "/data/quantity", "@N"), ("/data/quantity", "type"), raw={"@N": "0.5e0"})
invalid("quantity-string", "integer", with_(created(), "/data/quantity", "5"), ("/data/quantity", "type"))
invalid("quantity-bool", "integer", with_(created(), "/data/quantity", True), ("/data/quantity", "type"))
invalid("quantity-null", "integer", with_(created(), "/data/quantity", None), ("/data/quantity", "type"))
invalid("quantity-negative", "integer", with_(created(), "/data/quantity", -1), ("/data/quantity", "minimum"))
invalid("quantity-negative-float", "integer", with_(created(), "/data/quantity", -1.0), ("/data/quantity", "minimum"))
invalid("threshold-2.5", "integer", with_(low_stock(), "/data/threshold", 2.5), ("/data/threshold", "type"))
invalid("current-quantity-negative", "integer", with_(low_stock(), "/data/currentQuantity", -3), ("/data/currentQuantity", "minimum"))
invalid("changes-quantity-3.5", "integer", with_(updated(), "/data/changes/quantity", 3.5), ("/data/changes/quantity", "type"))
invalid("changes-price-string", "integer", with_(updated(), "/data/changes/price", "7"), ("/data/changes/price", "type"))
invalid("price-string", "integer", with_(created(), "/data/price", "19.99"), ("/data/price", "type"))
invalid("price-negative", "integer", with_(created(), "/data/price", -0.01), ("/data/price", "minimum"))

# --- 3: uuid is only the hyphenated 8-4-4-4-12 form ----------------------------------------
valid("uuid-upper-case", "uuid", with_(created(), "/eventId", UUID_A.upper()))
valid("uuid-mixed-case", "uuid", with_(created(), "/data/sellerId", "1F2e3D4c-5B6a-4798-8A7b-6C5d4E3f2A1b"))
valid("uuid-nil", "uuid", with_(created(), "/correlationId", "00000000-0000-0000-0000-000000000000"))
valid("uuid-max", "uuid", with_(created(), "/userId", "ffffffff-ffff-ffff-ffff-ffffffffffff"))
valid("uuid-version-1", "uuid", with_(deleted(), "/data/productId", "c232ab00-9414-11ec-b3c8-9f6bdeced846"))
valid("uuid-session-upper", "uuid", with_(deleted(), "/sessionId", "D4C3B2A1-6F5E-4987-8CBA-9876543210FE"))
valid("uuid-optional-seller-upper", "uuid", with_(low_stock(), "/data/sellerId", SELLER_ID.upper()))
invalid("uuid-simple", "uuid", with_(created(), "/eventId", UUID_A.replace("-", "")), ("/eventId", "format"))
invalid("uuid-braced", "uuid", with_(created(), "/correlationId", "{" + UUID_A + "}"), ("/correlationId", "format"))
invalid("uuid-urn", "uuid", with_(created(), "/userId", "urn:uuid:" + UUID_A), ("/userId", "format"))
invalid("uuid-simple-upper", "uuid", with_(deleted(), "/data/productId", PRODUCT_ID.replace("-", "").upper()), ("/data/productId", "format"))
invalid("uuid-braced-session", "uuid", with_(updated(), "/sessionId", "{" + UUID_A + "}"), ("/sessionId", "format"))
invalid("uuid-urn-seller", "uuid", with_(low_stock(), "/data/sellerId", "urn:uuid:" + SELLER_ID), ("/data/sellerId", "format"))
invalid("uuid-35-chars", "uuid", with_(created(), "/eventId", UUID_A[:-1]), ("/eventId", "format"))
invalid("uuid-37-chars", "uuid", with_(created(), "/eventId", UUID_A + "0"), ("/eventId", "format"))
invalid("uuid-not-hex", "uuid", with_(created(), "/data/productId", "9e8d7c6b-5a49-4382-9171-605f4e3d2c1g"), ("/data/productId", "format"))
invalid("uuid-hyphens-misplaced", "uuid", with_(created(), "/eventId", "6f1c2e9a3-b4d-4e5f-8a9b-0c1d2e3f4a5b"), ("/eventId", "format"))
invalid("uuid-leading-space", "uuid", with_(created(), "/eventId", " " + UUID_A), ("/eventId", "format"))
invalid("uuid-trailing-newline", "uuid", with_(created(), "/eventId", UUID_A + "\n"), ("/eventId", "format"))
invalid("uuid-arabic-indic-digit", "uuid", with_(created(), "/eventId", "٦f1c2e9a-3b4d-4e5f-8a9b-0c1d2e3f4a5b"), ("/eventId", "format"))
invalid("uuid-empty", "uuid", with_(created(), "/sessionId", ""), ("/sessionId", "format"))
invalid("uuid-number", "uuid", with_(created(), "/eventId", 42), ("/eventId", "type"))

# --- 3: maxLength and minLength count code points -------------------------------------------
GRINNING = "\U0001F600"  # one code point, two UTF-16 units, four UTF-8 bytes
E_ACUTE_DECOMPOSED = "e\u0301"  # two code points, one grapheme
FAMILY = "\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466"  # seven code points, one grapheme
assert len(FAMILY) == 7
valid("name-255-astral", "length", with_(created(), "/data/name", GRINNING * 255))
invalid("name-256-astral", "length", with_(created(), "/data/name", GRINNING * 256), ("/data/name", "maxLength"))
valid("name-255-combining", "length", with_(created(), "/data/name", E_ACUTE_DECOMPOSED * 127 + "x"))
invalid("name-256-combining-128-graphemes", "length", with_(created(), "/data/name", E_ACUTE_DECOMPOSED * 128), ("/data/name", "maxLength"))
valid("name-255-zwj-sequences", "length", with_(created(), "/data/name", FAMILY * 36 + "abc"))
invalid("name-259-zwj-37-graphemes", "length", with_(created(), "/data/name", FAMILY * 37), ("/data/name", "maxLength"))
valid("name-255-ascii", "length", with_(created(), "/data/name", "x" * 255))
invalid("name-256-ascii", "length", with_(created(), "/data/name", "x" * 256), ("/data/name", "maxLength"))
invalid("name-256-two-byte", "length", with_(created(), "/data/name", "ü" * 256), ("/data/name", "maxLength"))
valid("name-one-astral", "length", with_(created(), "/data/name", GRINNING))
valid("name-one-combining-mark", "length", with_(created(), "/data/name", "\u0301"))
valid("name-one-space", "length", with_(created(), "/data/name", " "))
invalid("name-empty", "length", with_(created(), "/data/name", ""), ("/data/name", "minLength"))
valid("name-255-escaped-surrogate-pairs", "length", with_(created(), "/data/name", "@S"), raw={"@S": '"' + "\\ud83d\\ude00" * 255 + '"'})
invalid("name-256-escaped-surrogate-pairs", "length", with_(created(), "/data/name", "@S"), ("/data/name", "maxLength"), raw={"@S": '"' + "\\ud83d\\ude00" * 256 + '"'})
valid("description-1000-astral", "length", with_(created(), "/data/description", GRINNING * 1000))
invalid("description-1001-cjk", "length", with_(created(), "/data/description", "字" * 1001), ("/data/description", "maxLength"))
valid("description-empty", "length", with_(created(), "/data/description", ""))

# --- 3: date-time is RFC 3339 ----------------------------------------------------------------
for name, stamp in [
    ("lower-case-t-and-z", "2026-03-01t12:00:00z"),
    ("positive-offset", "2026-03-01T17:30:00+05:30"),
    ("negative-zero-offset", "2026-03-01T12:00:00-00:00"),
    ("largest-offset", "2026-03-01T12:00:00+23:59"),
    ("nanoseconds", "2026-03-01T12:00:00.123456789Z"),
    ("twelve-fraction-digits", "2026-03-01T12:00:00.123456789012Z"),
    ("leap-second-utc", "2016-12-31T23:59:60Z"),
    ("leap-second-with-offset", "2016-12-31T18:59:60-05:00"),
    ("leap-second-lower-case", "2016-12-31t23:59:60.5z"),
    ("feb-29-leap-year", "2024-02-29T12:00:00Z"),
    ("feb-29-year-2000", "2000-02-29T12:00:00Z"),
    ("year-0000", "0000-01-01T00:00:00Z"),
    ("year-9999", "9999-12-31T23:59:59Z"),
]:
    valid(f"timestamp-{name}", "date-time", with_(created(), "/timestamp", stamp))
valid("created-at-offset", "date-time", with_(created(), "/data/createdAt", "2026-03-01T11:59:58.250+01:00"))
valid("updated-at-lower-case", "date-time", with_(updated(), "/data/updatedAt", "2026-03-02t08:30:00.5z"))
valid("deleted-at-fraction", "date-time", with_(deleted(), "/data/deletedAt", "2026-03-03T09:00:00.5Z"))
for name, stamp in [
    ("missing-offset", "2026-03-01T12:00:00"),
    ("space-separator", "2026-03-01 12:00:00Z"),
    ("date-only", "2026-03-01"),
    ("feb-30", "2026-02-30T12:00:00Z"),
    ("feb-29-non-leap-year", "2025-02-29T12:00:00Z"),
    ("feb-29-1900", "1900-02-29T12:00:00Z"),
    ("april-31", "2026-04-31T12:00:00Z"),
    ("month-13", "2026-13-01T12:00:00Z"),
    ("day-00", "2026-03-00T12:00:00Z"),
    ("hour-24", "2026-03-01T24:00:00Z"),
    ("minute-60", "2026-03-01T12:60:00Z"),
    ("second-61", "2026-03-01T23:59:61Z"),
    ("leap-second-not-at-end-of-utc-day", "2026-03-01T12:00:60Z"),
    ("leap-second-at-local-end-of-day-only", "2016-12-31T23:59:60+01:00"),
    ("offset-hour-24", "2026-03-01T12:00:00+24:00"),
    ("offset-minute-60", "2026-03-01T12:00:00+01:60"),
    ("offset-without-colon", "2026-03-01T12:00:00+0100"),
    ("empty-fraction", "2026-03-01T12:00:00.Z"),
    ("single-digit-month", "2026-3-01T12:00:00Z"),
    ("trailing-newline", "2026-03-01T12:00:00Z\n"),
    ("trailing-space", "2026-03-01T12:00:00Z "),
    ("arabic-indic-digits", "٢٠٢٦-03-01T12:00:00Z"),
]:
    invalid(f"timestamp-{name}", "date-time", with_(created(), "/timestamp", stamp), ("/timestamp", "format"))
invalid("timestamp-number", "date-time", with_(created(), "/timestamp", 1772366400), ("/timestamp", "type"))
invalid("created-at-feb-30", "date-time", with_(created(), "/data/createdAt", "2026-02-30T00:00:00Z"), ("/data/createdAt", "format"))
invalid("deleted-at-missing-offset", "date-time", with_(deleted(), "/data/deletedAt", "2026-03-03T09:00:00"), ("/data/deletedAt", "format"))
invalid("updated-at-not-a-date", "date-time", with_(updated(), "/data/updatedAt", "yesterday"), ("/data/updatedAt", "format"))

# --- 3: patterns are ECMA-262 (the version pattern ^\d+\.\d+\.\d+$) --------------------------
# A version that does not match chooses no schema: BadVersion, reported as a `pattern` problem.
for name, version in [
    ("trailing-newline", "1.0.0\n"),
    ("arabic-indic-digits", "١.٠.٠"),
    ("fullwidth-digits", "１.０.０"),
    ("two-parts", "1.0"),
    ("four-parts", "1.0.0.0"),
    ("v-prefix", "v1.0.0"),
    ("pre-release", "1.0.0-beta"),
    ("leading-space", " 1.0.0"),
    ("trailing-space", "1.0.0 "),
    ("empty-part", "1..0"),
]:
    envelope_error(f"version-{name}", "pattern", with_(created(), "/version", version), "BadVersion", "pattern", "/version")
valid("version-leading-zeros", "pattern", with_(created(), "/version", "01.0.0"))

# --- 5: nesting depth (the default limit is 64 levels) ----------------------------------------
def nested(levels):
    value = {}
    for _ in range(levels):
        value = {"a": value}
    return value


# The event object is level 1, data level 2, previousState level 3.
valid("depth-64", "depth", with_(updated(), "/data/previousState", nested(61)))
rejected("depth-65", "depth", "TooDeep", with_(updated(), "/data/previousState", nested(62)))
rejected("depth-arrays-5000", "depth", "TooDeep", with_(updated(), "/data/previousState", {"a": "@DEEP"}), raw={"@DEEP": "[" * 5000 + "]" * 5000})
rejected("depth-unknown-top-level-field", "depth", "TooDeep", with_(created(), "/extra", "@DEEP"), raw={"@DEEP": "[" * 64 + "]" * 64})
valid("depth-brackets-in-strings-do-not-count", "depth", with_(updated(), "/data/previousState", {"s": "[{" * 200 + '"\\'}))
rejected("depth-unclosed-brackets", "depth", "TooDeep", raw=b'{"eventType":"ProductCreated","x":' + b"[" * 100)

# --- 5: size limit (the default is 256 KiB) ----------------------------------------------------
oversized = with_(created(), "/padding", "")
padding = 256 * 1024 + 1 - len(text(oversized).encode())
oversized = with_(created(), "/padding", "x" * padding)
assert len(text(oversized).encode()) == 256 * 1024 + 1
rejected("size-limit-plus-one-byte", "size", "TooLarge", oversized)

# --- 5: duplicate keys are rejected at every level ---------------------------------------------
def dup(name, event, placeholder, members):
    rejected(name, "duplicate-key", "Syntax", event, raw={placeholder: members})


dup("duplicate-top-level-event-id", with_(created(), "/eventId", "@D"), "@D", f'"{UUID_A}", "eventId": "{PRODUCT_ID}"')
dup("duplicate-top-level-same-value", with_(created(), "/source", "@D"), "@D", '"a", "source": "a"')
dup("duplicate-event-type", with_(created(), "/eventType", "@D"), "@D", '"ProductCreated", "eventType": "ProductCreated"')
dup("duplicate-escaped-key", with_(created(), "/eventId", "@D"), "@D", f'"{UUID_A}", "\\u0065ventId": "{UUID_A}"')
dup("duplicate-unknown-top-level", with_(created(), "/x", "@D"), "@D", '1, "x": 2')
dup("duplicate-data-price", with_(created(), "/data/price", "@D"), "@D", '1, "price": 2')
dup("duplicate-envelope-metadata", with_(created(), "/metadata", "@D"), "@D", '{"requestId": "a", "requestId": "b"}')
dup("duplicate-previous-state", with_(updated(), "/data/previousState", "@D"), "@D", '{"price": 1, "price": 1}')
dup("duplicate-previous-state-nested", with_(updated(), "/data/previousState", "@D"), "@D", '{"a": {"b": {"c": 1, "c": 2}}}')
dup("duplicate-in-array-element", with_(updated(), "/data/previousState", "@D"), "@D", '{"list": [{"a": 1, "a": 1}]}')
dup("duplicate-changes", with_(updated(), "/data/changes", "@D"), "@D", '{"quantity": 1, "quantity": 2}')
dup("duplicate-data-metadata-1.1", with_(created("1.1.0"), "/data/metadata", "@D"), "@D", '{"k": 1, "k": 1}')
dup("duplicate-data-metadata-1.0-unknown", with_(created(), "/data/metadata", "@D"), "@D", '{"k": 1, "k": 2}')
dup("duplicate-data-object", with_(created(), "/data", "@D"), "@D", text(created()["data"]) + ', "data": ' + text(created()["data"]))

# --- 5: invalid UTF-8 and unpaired surrogates --------------------------------------------------
def utf8_case(name, field_bytes):
    line = text(with_(created(), "/source", "@U")).encode().replace(b'"@U"', b'"' + field_bytes + b'"')
    rejected(name, "utf-8", "InvalidUtf8", raw=line)


utf8_case("utf8-lone-continuation-byte", b"catalog\x80service")
utf8_case("utf8-byte-ff", b"\xff")
utf8_case("utf8-latin-1-e-acute", b"caf\xe9")
utf8_case("utf8-overlong-slash", b"\xc0\xaf")
utf8_case("utf8-truncated-sequence", b"\xe2\x82")
utf8_case("utf8-encoded-surrogate", b"\xed\xa0\x80")
rejected("escaped-lone-high-surrogate", "utf-8", "Syntax", with_(created(), "/data/name", "@S"), raw={"@S": '"\\ud800"'})
rejected("escaped-lone-low-surrogate", "utf-8", "Syntax", with_(created(), "/source", "@S"), raw={"@S": '"x\\udc00"'})
rejected("byte-order-mark", "utf-8", "Syntax", raw=b"\xef\xbb\xbf" + text(created()).encode())

# --- 5: numbers beyond the Rust type's range ---------------------------------------------------
valid("quantity-u64-max", "number-range", with_(created(), "/data/quantity", 18446744073709551615))
valid("quantity-1e19-fits-u64", "number-range", with_(created(), "/data/quantity", "@N"), raw={"@N": "1e19"})
out_of_range("quantity-2-pow-64", "number-range", with_(created(), "/data/quantity", 18446744073709551616), "/data/quantity")
out_of_range("quantity-1e20", "number-range", with_(created(), "/data/quantity", "@N"), "/data/quantity", raw={"@N": "1e20"})
out_of_range("quantity-1e300", "number-range", with_(created(), "/data/quantity", "@N"), "/data/quantity", raw={"@N": "1e300"})
out_of_range("threshold-23-digits", "number-range", with_(low_stock(), "/data/threshold", 99999999999999999999999), "/data/threshold")
valid("changes-quantity-i64-max", "number-range", with_(updated(), "/data/changes/quantity", 9223372036854775807))
valid("changes-quantity-i64-min", "number-range", with_(updated(), "/data/changes/quantity", -9223372036854775808))
out_of_range("changes-quantity-i64-max-plus-one", "number-range", with_(updated(), "/data/changes/quantity", 9223372036854775808), "/data/changes/quantity")
out_of_range("changes-quantity-minus-1e19", "number-range", with_(updated(), "/data/changes/quantity", "@N"), "/data/changes/quantity", raw={"@N": "-1e19"})
invalid("quantity-minus-2-pow-64", "number-range", with_(created(), "/data/quantity", -18446744073709551616), ("/data/quantity", "minimum"))
# A number out of range and a schema violation elsewhere: the schema's verdict comes first.
invalid(
    "quantity-2-pow-64-and-negative-price",
    "number-range",
    with_(with_(created(), "/data/quantity", 18446744073709551616), "/data/price", -1),
    ("/data/price", "minimum"),
)
valid("price-1e308", "number-range", with_(created(), "/data/price", "@N"), raw={"@N": "1e308"})
valid("price-beyond-u64", "number-range", with_(created(), "/data/price", 18446744073709551616))
valid("price-1e-400-underflows-to-zero", "number-range", with_(created(), "/data/price", "@N"), raw={"@N": "1e-400"})
valid("previous-state-huge-integer", "number-range", with_(updated(), "/data/previousState", {"big": 10**30}))
for name, event, raw_number in [
    ("price-1e400", with_(created(), "/data/price", "@N"), "1e400"),
    ("quantity-1e400", with_(created(), "/data/quantity", "@N"), "1e400"),
    ("changes-price-minus-1e400", with_(updated(), "/data/changes/price", "@N"), "-1e400"),
    ("previous-state-1e400", with_(updated(), "/data/previousState", {"x": "@N"}), "1e400"),
    ("unknown-field-1e999999", with_(created(), "/x", "@N"), "1e999999"),
]:
    rejected(name, "number-range", "Syntax", event, raw={"@N": raw_number})

# --- 5: negative zero is zero --------------------------------------------------------------------
valid("quantity-minus-0", "negative-zero", with_(created(), "/data/quantity", "@N"), raw={"@N": "-0"})
valid("quantity-minus-0.0", "negative-zero", with_(created(), "/data/quantity", -0.0))
valid("price-minus-0", "negative-zero", with_(created(), "/data/price", "@N"), raw={"@N": "-0"})
valid("price-minus-0.0", "negative-zero", with_(created(), "/data/price", -0.0))
valid("threshold-minus-0", "negative-zero", with_(low_stock(), "/data/threshold", "@N"), raw={"@N": "-0"})
valid("changes-quantity-minus-0", "negative-zero", with_(updated(), "/data/changes/quantity", "@N"), raw={"@N": "-0"})

# --- 2: the version policy for readers -----------------------------------------------------------
valid("created-unknown-patch-1.0.7", "version-policy", created("1.0.7"))
valid("created-unknown-patch-1.1.3", "version-policy", created("1.1.3"))
newer = created("1.9.0")
newer["routing"] = {"region": "eu-west-1", "priority": 2}
newer["data"]["warehouse"] = {"aisle": 7, "bins": [1.5, "B"]}
newer["data"]["metadata"] = {"color": "blue"}
newer["metadata"] = {"requestId": "req-9", "tenant": "acme"}
valid("created-newer-minor-1.9.0-unknown-fields-kept", "version-policy", newer)
invalid("created-newer-minor-data-metadata-not-object", "version-policy", with_(created("1.9.0"), "/data/metadata", "free text"), ("/data/metadata", "type"))
invalid("created-newer-minor-still-requires-name", "version-policy", without(created("1.9.0"), "/data/name"), ("/data", "required"))
valid("low-stock-unknown-patch-1.0.7", "version-policy", low_stock("1.0.7"))
valid("low-stock-newer-minor-1.3.0", "version-policy", with_(low_stock("1.3.0"), "/data/trend", "falling"))
valid("deleted-newer-minor-1.5.2", "version-policy", deleted("1.5.2"))
valid("updated-newer-minor-1.2.0", "version-policy", with_(updated("1.2.0"), "/data/changes/color", "red"))
# The pattern ^\d+\.\d+\.\d+$ bounds no number: a part beyond u64 is still a version,
# larger than any this build knows.
valid("created-patch-beyond-u64", "version-policy", created("1.0.99999999999999999999"))
valid("created-minor-beyond-u64", "version-policy", created("1.99999999999999999999.0"))
for name, event in [
    ("created-major-beyond-u64", created("99999999999999999999.0.0")),
    ("created-major-2", created("2.0.0")),
    ("created-major-0", created("0.9.0")),
    ("created-major-10", created("10.0.0")),
    ("low-stock-major-2", low_stock("2.0.0")),
    ("updated-major-3", updated("3.1.4")),
]:
    envelope_error(name, "version-policy", event, "UnsupportedVersion", "json", "/version")
# data.metadata was added in 1.1.0. A 1.0.x event that carries one wrote an undeclared
# property, which 1.0.0 allows in any shape: it is valid, and kept as an unknown property.
for name, value in [
    ("string", "free text"),
    ("number", 42),
    ("null", None),
    ("array", [1, 2]),
    ("object", {"k": "v"}),
]:
    valid(f"created-1.0.0-undeclared-data-metadata-{name}", "version-policy", with_(created(), "/data/metadata", value))
valid("created-1.0.7-undeclared-data-metadata-string", "version-policy", with_(created("1.0.7"), "/data/metadata", "free text"))
invalid("created-1.1.0-data-metadata-string", "version-policy", with_(created("1.1.0"), "/data/metadata", "free text"), ("/data/metadata", "type"))
invalid("created-1.1.0-data-metadata-null", "version-policy", with_(created("1.1.0"), "/data/metadata", None), ("/data/metadata", "type"))
invalid("created-1.1.0-data-metadata-array", "version-policy", with_(created("1.1.0"), "/data/metadata", []), ("/data/metadata", "type"))
valid("created-1.1.0-data-metadata-empty", "version-policy", with_(created("1.1.0"), "/data/metadata", {}))
invalid("created-1.0.0-envelope-metadata-string", "version-policy", with_(created(), "/metadata", "chrome"), ("/metadata", "type"))

# --- the envelope: what chooses a schema ----------------------------------------------------------
for name, body in [("array", "[]"), ("string", '"event"'), ("null", "null"), ("number", "42"), ("boolean", "true")]:
    envelope_error(f"not-an-object-{name}", "envelope", None, "NotAnObject", "type", "", raw=body.encode())
envelope_error("empty-object", "envelope", {}, "MissingEnvelope", "required", "")
envelope_error("missing-event-type", "envelope", without(created(), "/eventType"), "MissingEnvelope", "required")
envelope_error("missing-version", "envelope", without(created(), "/version"), "MissingEnvelope", "required")
envelope_error("event-type-number", "envelope", with_(created(), "/eventType", 5), "MissingEnvelope", "required")
envelope_error("version-number", "envelope", with_(created(), "/version", 1), "MissingEnvelope", "required")
envelope_error("event-type-wrong-case", "envelope", with_(created(), "/eventType", "productCreated"), "UnknownEventType", "enum", "/eventType")
envelope_error("event-type-unknown", "envelope", with_(created(), "/eventType", "ProductArchived"), "UnknownEventType", "enum", "/eventType")
envelope_error("event-type-trailing-space", "envelope", with_(created(), "/eventType", "ProductCreated "), "UnknownEventType", "enum", "/eventType")
# A ProductCreated body labelled ProductDeleted is checked as a ProductDeleted.
invalid("event-type-of-another-event", "envelope", with_(created(), "/eventType", "ProductDeleted"), ("/data", "required"))

# --- JSON syntax --------------------------------------------------------------------------------
minimal = text(created())
for name, body in [
    ("empty-line", ""),
    ("whitespace-only-line", "   \t "),
    ("truncated", minimal[:40]),
    ("trailing-comma", minimal[:-1] + ", }"),
    ("two-objects-on-one-line", minimal + " " + minimal),
    ("trailing-garbage", minimal + " x"),
    ("single-quotes", minimal.replace('"source"', "'source'")),
    ("unquoted-key", minimal.replace('"source"', "source")),
    ("comment", minimal[:-1] + " /* note */ }"),
    ("nan-literal", minimal.replace('"price": 12999', '"price": NaN')),
    ("infinity-literal", minimal.replace('"price": 12999', '"price": Infinity')),
    ("hex-number", minimal.replace('"quantity": 40', '"quantity": 0x28')),
    ("leading-zero", minimal.replace('"quantity": 40', '"quantity": 040')),
    ("plus-sign", minimal.replace('"quantity": 40', '"quantity": +40')),
    ("raw-tab-in-string", minimal.replace('"catalog-service"', '"catalog\tservice"')),
]:
    assert body != minimal or name in ("empty-line",), name
    rejected(f"syntax-{name}", "syntax", "Syntax", raw=body.encode())

# --- every other keyword, at every level --------------------------------------------------------
invalid("category-wrong-case", "constraint", with_(created(), "/data/category", "Sports"), ("/data/category", "enum"))
invalid("category-empty", "constraint", with_(created(), "/data/category", ""), ("/data/category", "enum"))
invalid("category-number", "constraint", with_(created(), "/data/category", 5), ("/data/category", "type"), ("/data/category", "enum"))
invalid("missing-data", "constraint", without(created(), "/data"), ("", "required"))
invalid("missing-event-id-and-source", "constraint", without(without(created(), "/eventId"), "/source"), ("", "required"), ("", "required"))
invalid("missing-seller", "constraint", without(created(), "/data/sellerId"), ("/data", "required"))
invalid("missing-name-and-price", "constraint", without(without(created(), "/data/name"), "/data/price"), ("/data", "required"), ("/data", "required"))
invalid("data-array", "constraint", with_(created(), "/data", []), ("/data", "type"))
invalid("source-number", "constraint", with_(created(), "/source", 42), ("/source", "type"))
invalid("source-null", "constraint", with_(created(), "/source", None), ("/source", "type"))
invalid("envelope-metadata-user-agent-number", "constraint", with_(created(), "/metadata", {"userAgent": 5}), ("/metadata/userAgent", "type"))
invalid("session-id-null", "constraint", with_(created(), "/sessionId", None), ("/sessionId", "type"))
invalid("created-at-null", "constraint", with_(created(), "/data/createdAt", None), ("/data/createdAt", "type"))
invalid(
    "three-violations-at-once",
    "constraint",
    with_(with_(with_(created(), "/data/name", ""), "/data/price", -1), "/data/category", "toys"),
    ("/data/name", "minLength"),
    ("/data/price", "minimum"),
    ("/data/category", "enum"),
)
invalid(
    "violations-at-every-level",
    "constraint",
    with_(with_(with_(created(), "/eventId", "nope"), "/metadata", {"ipAddress": False}), "/data/quantity", 1.5),
    ("/eventId", "format"),
    ("/metadata/ipAddress", "type"),
    ("/data/quantity", "type"),
)
invalid("deleted-reason-number", "constraint", with_(deleted(), "/data/reason", 5), ("/data/reason", "type"))
invalid("deleted-missing-deleted-at", "constraint", without(deleted(), "/data/deletedAt"), ("/data", "required"))
invalid("updated-previous-state-array", "constraint", with_(updated(), "/data/previousState", []), ("/data/previousState", "type"))
invalid("updated-previous-state-string", "constraint", with_(updated(), "/data/previousState", "x"), ("/data/previousState", "type"))
invalid("updated-previous-state-null", "constraint", with_(updated(), "/data/previousState", None), ("/data/previousState", "type"))
valid("updated-previous-state-empty", "constraint", with_(updated(), "/data/previousState", {}))
valid("updated-changes-empty", "constraint", with_(updated(), "/data/changes", {}))
invalid("updated-missing-changes", "constraint", without(updated(), "/data/changes"), ("/data", "required"))
invalid("updated-changes-name-number", "constraint", with_(updated(), "/data/changes/name", 5), ("/data/changes/name", "type"))
valid("updated-changes-category-free-text", "constraint", with_(updated(), "/data/changes/category", "anything at all"))
invalid("low-stock-severity-unknown", "constraint", with_(low_stock(), "/data/severity", "urgent"), ("/data/severity", "enum"))
invalid("low-stock-severity-upper-case", "constraint", with_(low_stock(), "/data/severity", "HIGH"), ("/data/severity", "enum"))
invalid("low-stock-missing-product-name", "constraint", without(low_stock(), "/data/productName"), ("/data", "required"))
valid("low-stock-category-free-text", "constraint", with_(low_stock(), "/data/category", "garden & outdoor"))

# --- unknown properties at any depth are allowed (and kept) ---------------------------------------
valid("unknown-top-level-object", "unknown-fields", with_(created(), "/trace", {"flags": 1, "spans": [{"id": "a", "ms": 1.0}]}))
valid("unknown-in-data", "unknown-fields", with_(created(), "/data/warehouse", {"aisle": 7, "bins": [None, True, -0.0, 1e300]}))
valid("unknown-in-envelope-metadata", "unknown-fields", with_(created(), "/metadata", {"userAgent": "curl/8", "tenant": {"id": 7}}))
valid("unknown-in-changes", "unknown-fields", with_(updated(), "/data/changes/color", "red"))
valid("unknown-proto-keys", "unknown-fields", with_(with_(created(), "/__proto__", {"polluted": True}), "/constructor", "x"))
valid("unknown-key-with-pointer-characters", "unknown-fields", with_(created(), "/data/a~b", {"c/d": 1}))
valid("unknown-empty-key", "unknown-fields", with_(created(), "/", "empty key"))
valid("unknown-unicode-key", "unknown-fields", with_(deleted(), "/data/причина", "склад"))
valid("unknown-field-named-like-a-declared-one-elsewhere", "unknown-fields", with_(deleted(), "/data/price", "not declared here"))


# The README's example run of `contracts validate`: a few lines a reader can follow.
SAMPLE = [
    "created-1.1.0-full",
    "low-stock-full",
    "three-violations-at-once",
    "uuid-upper-case",
    "created-major-2",
    "duplicate-data-price",
]


def main():
    by_name = {c["case"]: c for c in CASES}
    with open(os.path.join(HERE, "sample.jsonl"), "wb") as sample:
        for name in SAMPLE:
            sample.write(by_name[name]["bytes"] + b"\n")
    with open(os.path.join(HERE, "events.jsonl"), "wb") as events:
        for c in CASES:
            events.write(c["bytes"] + b"\n")
    with open(os.path.join(HERE, "verdicts.jsonl"), "w", encoding="utf-8") as verdicts:
        for n, c in enumerate(CASES, start=1):
            record = {"line": n}
            record.update({k: v for k, v in c.items() if k != "bytes"})
            verdicts.write(json.dumps(record, ensure_ascii=False) + "\n")
    valid_count = sum(c["valid"] for c in CASES)
    print(f"{len(CASES)} events: {valid_count} valid, {len(CASES) - valid_count} invalid")


if __name__ == "__main__":
    main()
