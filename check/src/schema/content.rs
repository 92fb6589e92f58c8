//! `contentEncoding` and `contentMediaType`, which `jsonschema` 0.61.2 asserts in draft 7:
//! the RFC 4648 encodings (padded, canonical trailing bits, as the `data-encoding` crate
//! decodes them) and the `application/json` media type.

/// An encoding `contentEncoding` can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    Base64,
    Base64Url,
    Base32,
    Base32Hex,
    Base16,
}

impl Encoding {
    /// The encoding named `name`, if `jsonschema` knows it.
    pub(crate) fn named(name: &str) -> Option<Encoding> {
        Some(match name {
            "base64" => Encoding::Base64,
            "base64url" => Encoding::Base64Url,
            "base32" => Encoding::Base32,
            "base32hex" => Encoding::Base32Hex,
            "base16" => Encoding::Base16,
            _ => return None,
        })
    }

    /// The decoded bytes, or `None` when `text` is not in this encoding.
    pub(crate) fn decode(self, text: &str) -> Option<Vec<u8>> {
        match self {
            Encoding::Base64 => decode_padded(text.as_bytes(), 6, base64_value),
            Encoding::Base64Url => decode_padded(text.as_bytes(), 6, base64url_value),
            Encoding::Base32 => decode_padded(text.as_bytes(), 5, base32_value),
            Encoding::Base32Hex => decode_padded(text.as_bytes(), 5, base32hex_value),
            // Upper-case hex; failing that, the text upper-cased (which `jsonschema` tries too,
            // so that lower-case hex is accepted).
            Encoding::Base16 => {
                decode_hex(text.as_bytes()).or_else(|| decode_hex(text.to_uppercase().as_bytes()))
            }
        }
    }
}

/// A media type `contentMediaType` can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MediaType {
    Json,
}

impl MediaType {
    /// The media type named `name`, if `jsonschema` knows it.
    pub(crate) fn named(name: &str) -> Option<MediaType> {
        (name == "application/json").then_some(MediaType::Json)
    }

    /// Whether `text` is of this media type.
    pub(crate) fn admits(self, text: &str) -> bool {
        match self {
            MediaType::Json => serde_json::from_str::<serde_json::Value>(text).is_ok(),
        }
    }
}

fn base64_value(b: u8) -> Option<u8> {
    match b {
        b'A'..=b'Z' => Some(b - b'A'),
        b'a'..=b'z' => Some(b - b'a' + 26),
        b'0'..=b'9' => Some(b - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

fn base64url_value(b: u8) -> Option<u8> {
    match b {
        b'-' => Some(62),
        b'_' => Some(63),
        b'+' | b'/' => None,
        _ => base64_value(b),
    }
}

fn base32_value(b: u8) -> Option<u8> {
    match b {
        b'A'..=b'Z' => Some(b - b'A'),
        b'2'..=b'7' => Some(b - b'2' + 26),
        _ => None,
    }
}

fn base32hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'A'..=b'V' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Blocks of `8 * bits / gcd`-ish symbols, each possibly ending in `=` padding: a block of
/// `n` symbols is valid when `n > 0` and its leftover bits are fewer than one symbol's and
/// all zero.
fn decode_padded(input: &[u8], bits: usize, value: fn(u8) -> Option<u8>) -> Option<Vec<u8>> {
    let block = if bits == 6 { 4 } else { 8 };
    if !input.len().is_multiple_of(block) {
        return None;
    }
    let mut out = Vec::with_capacity(input.len() / block * bits * block / 8);
    for chunk in input.chunks(block) {
        let padding = chunk.iter().rev().take_while(|b| **b == b'=').count();
        let symbols = block - padding;
        if symbols == 0 || bits * symbols % 8 >= bits {
            return None;
        }
        let mut acc: u64 = 0;
        for &b in &chunk[..symbols] {
            acc = (acc << bits) | u64::from(value(b)?);
        }
        let total = bits * symbols;
        let trailing = total % 8;
        if acc & ((1 << trailing) - 1) != 0 {
            return None;
        }
        let acc = acc >> trailing;
        let bytes = total / 8;
        for i in (0..bytes).rev() {
            out.push((acc >> (8 * i)) as u8);
        }
    }
    Some(out)
}

fn decode_hex(input: &[u8]) -> Option<Vec<u8>> {
    if !input.len().is_multiple_of(2) {
        return None;
    }
    let digit = |b: u8| match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    };
    input
        .chunks(2)
        .map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_4648_test_vectors_decode() {
        for (encoded, plain) in [
            ("", ""),
            ("Zg==", "f"),
            ("Zm8=", "fo"),
            ("Zm9v", "foo"),
            ("Zm9vYmFy", "foobar"),
        ] {
            assert_eq!(Encoding::Base64.decode(encoded).unwrap(), plain.as_bytes());
        }
        for (encoded, plain) in [
            ("MY======", "f"),
            ("MZXW6===", "foo"),
            ("MZXW6YTBOI======", "foobar"),
        ] {
            assert_eq!(Encoding::Base32.decode(encoded).unwrap(), plain.as_bytes());
        }
        assert_eq!(Encoding::Base32Hex.decode("CPNMU===").unwrap(), b"foo");
        assert_eq!(Encoding::Base16.decode("666F6f").unwrap(), b"foo");
        assert_eq!(Encoding::Base16.decode("\u{FB00}").unwrap(), [0xff]);
    }

    #[test]
    fn malformed_input_is_refused() {
        for bad in ["Zg", "Zh==", "Z===", "Zm9v!", "Zg==Zg=", "=Zg="] {
            assert_eq!(Encoding::Base64.decode(bad), None, "{bad}");
        }
        // Padded blocks may follow each other, as `data-encoding` decodes them.
        assert_eq!(Encoding::Base64.decode("Zg==Zg==").unwrap(), b"ff");
        assert_eq!(
            Encoding::Base64Url.decode("-_-_").unwrap(),
            [0xfb, 0xff, 0xbf]
        );
        assert_eq!(Encoding::Base16.decode("ABC"), None);
    }
}
