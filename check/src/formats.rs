//! The string formats the schemas use, checked exactly as JSON Schema defines them.
//!
//! The runtime (typed decoding, the schema check) and the build (example checks) both
//! use these, so they can never disagree on what a valid `uuid` or `date-time` is.

/// The check of the format `name`, or `None` for a format the schema check ignores (as
/// `jsonschema` ignores formats it does not know). The one entry point the compiled
/// validator (`crate::schema`) uses.
pub fn checker(name: &str) -> Option<fn(&str) -> bool> {
    match name {
        "uuid" => Some(is_uuid),
        "date-time" => Some(is_date_time),
        _ => None,
    }
}

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

/// The parts of an RFC 3339 `date-time`, after its grammar and calendar checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateTimeParts {
    pub year: u16,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    /// 0..=60; 60 only for a leap second that falls on 23:59:60 UTC.
    pub second: u8,
    pub nanosecond: u32,
    /// Offset east of UTC, in minutes.
    pub offset_minutes: i16,
}

/// `format: date-time`: RFC 3339 section 5.6. `T`/`t` separate date and time,
/// `Z`/`z` or `±hh:mm` is the offset and is required, the date must exist, and
/// a leap second is allowed only where it is 23:59:60 in UTC.
pub fn parse_date_time(text: &str) -> Option<DateTimeParts> {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let slice = b.get(range)?;
        if slice.is_empty() || !slice.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(
            slice
                .iter()
                .fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0')),
        )
    };
    if b.len() < 20 {
        return None;
    }
    let year = digits(0..4)?;
    let month = digits(5..7)?;
    let day = digits(8..10)?;
    if b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't') {
        return None;
    }
    let hour = digits(11..13)?;
    let minute = digits(14..16)?;
    let second = digits(17..19)?;
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let mut i = 19;
    let mut nanosecond = 0u32;
    if b[i] == b'.' {
        let start = i + 1;
        let mut end = start;
        while end < b.len() && b[end].is_ascii_digit() {
            end += 1;
        }
        if end == start {
            return None;
        }
        // Digits past nanoseconds are allowed by the grammar; they are truncated.
        for (n, d) in b[start..end].iter().enumerate() {
            if n < 9 {
                nanosecond = nanosecond * 10 + u32::from(d - b'0');
            }
        }
        for _ in (end - start)..9 {
            nanosecond = nanosecond.saturating_mul(10);
        }
        i = end;
    }
    let offset_minutes: i32 = match b.get(i)? {
        b'Z' | b'z' if i + 1 == b.len() => 0,
        sign @ (b'+' | b'-') if i + 6 == b.len() => {
            let oh = digits(i + 1..i + 3)?;
            let om = digits(i + 4..i + 6)?;
            if b[i + 3] != b':' || oh > 23 || om > 59 {
                return None;
            }
            let total = (oh * 60 + om) as i32;
            if *sign == b'-' {
                -total
            } else {
                total
            }
        }
        _ => return None,
    };
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    if second == 60 {
        // A leap second exists only at the end of a UTC day.
        let utc_minutes = (hour * 60 + minute) as i32 - offset_minutes;
        if utc_minutes.rem_euclid(24 * 60) != 23 * 60 + 59 {
            return None;
        }
    }
    Some(DateTimeParts {
        year: year as u16,
        month: month as u8,
        day: day as u8,
        hour: hour as u8,
        minute: minute as u8,
        second: second as u8,
        nanosecond,
        offset_minutes: offset_minutes as i16,
    })
}

/// Whether `text` is a valid RFC 3339 `date-time`.
pub fn is_date_time(text: &str) -> bool {
    parse_date_time(text).is_some()
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 0,
    }
}
