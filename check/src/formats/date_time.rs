//! `date-time`, `date` and `time`: RFC 3339 section 5.6, read strictly.

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

/// `format: date-time`: RFC 3339 section 5.6 `date-time`, a `full-date`, `T` or `t`,
/// and a `full-time` (see [`is_date`] and [`is_time`] for their rules).
///
/// Worth knowing: the offset is required (`2024-01-01T00:00:00` is refused), a space
/// does not replace the `T`, fractional seconds take any number of digits (past nine
/// they are truncated here), and a leap second is allowed only where it is 23:59:60
/// in UTC, so `1998-12-31T15:59:60-08:00` is valid and `1998-12-31T23:59:60+01:00`
/// is not.
pub fn parse_date_time(text: &str) -> Option<DateTimeParts> {
    let bytes = text.as_bytes();
    let date = full_date(bytes.get(..10)?)?;
    if !matches!(bytes.get(10), Some(b'T' | b't')) {
        return None;
    }
    let time = full_time(&bytes[11..])?;
    Some(DateTimeParts {
        year: date.year,
        month: date.month,
        day: date.day,
        hour: time.hour,
        minute: time.minute,
        second: time.second,
        nanosecond: time.nanosecond,
        offset_minutes: time.offset_minutes,
    })
}

/// Whether `text` is a valid RFC 3339 `date-time` (see [`parse_date_time`]).
pub fn is_date_time(text: &str) -> bool {
    parse_date_time(text).is_some()
}

/// `format: date`: RFC 3339 `full-date`, exactly `YYYY-MM-DD` in ASCII digits, for a
/// day that exists in the proleptic Gregorian calendar (`2020-02-29` is valid,
/// `2021-02-29` and `1900-02-29` are not). Year `0000` is allowed; a sign, a week
/// date (`2020-W01-1`), an ordinal date and digits beyond ASCII are not.
pub fn is_date(text: &str) -> bool {
    full_date(text.as_bytes()).is_some()
}

/// `format: time`: RFC 3339 `full-time`, `HH:MM:SS`, optional fractional seconds
/// (one or more digits after `.`), then a required offset: `Z`, `z` or `±HH:MM`
/// with hours up to 23 and minutes up to 59.
///
/// Worth knowing: seconds may be 60 only where the time is 23:59 in UTC once the
/// offset is applied (`23:59:60Z` and `15:59:60-08:00` are valid, `12:00:60Z` and
/// `23:59:60+01:00` are not); `-00:00` is accepted like `+00:00`.
pub fn is_time(text: &str) -> bool {
    full_time(text.as_bytes()).is_some()
}

struct FullDate {
    year: u16,
    month: u8,
    day: u8,
}

/// Exactly `YYYY-MM-DD`, calendar-checked.
fn full_date(bytes: &[u8]) -> Option<FullDate> {
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year = two_digits(bytes, 0)? * 100 + two_digits(bytes, 2)?;
    let month = two_digits(bytes, 5)?;
    let day = two_digits(bytes, 8)?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    Some(FullDate {
        year: year as u16,
        month: month as u8,
        day: day as u8,
    })
}

struct FullTime {
    hour: u8,
    minute: u8,
    second: u8,
    nanosecond: u32,
    offset_minutes: i16,
}

/// `HH:MM:SS[.fraction](Z|z|±HH:MM)`, with the leap-second rule.
fn full_time(bytes: &[u8]) -> Option<FullTime> {
    if bytes.get(2) != Some(&b':') || bytes.get(5) != Some(&b':') {
        return None;
    }
    let hour = two_digits(bytes, 0)?;
    let minute = two_digits(bytes, 3)?;
    let second = two_digits(bytes, 6)?;
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut at = 8;
    let mut nanosecond = 0u32;
    if bytes.get(at) == Some(&b'.') {
        let start = at + 1;
        let digits = bytes[start..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if digits == 0 {
            return None;
        }
        // Digits past nanoseconds are allowed by the grammar; they are truncated.
        for (n, digit) in bytes[start..start + digits].iter().take(9).enumerate() {
            nanosecond += u32::from(digit - b'0') * 10u32.pow(8 - n as u32);
        }
        at = start + digits;
    }
    let offset_minutes: i32 = match bytes.get(at)? {
        b'Z' | b'z' if at + 1 == bytes.len() => 0,
        sign @ (b'+' | b'-') if at + 6 == bytes.len() => {
            let hours = two_digits(bytes, at + 1)?;
            let minutes = two_digits(bytes, at + 4)?;
            if bytes[at + 3] != b':' || hours > 23 || minutes > 59 {
                return None;
            }
            let east = (hours * 60 + minutes) as i32;
            if *sign == b'-' {
                -east
            } else {
                east
            }
        }
        _ => return None,
    };
    if second == 60 {
        // A leap second exists only at the end of a UTC day.
        let utc_minutes = (hour * 60 + minute) as i32 - offset_minutes;
        if utc_minutes.rem_euclid(24 * 60) != 23 * 60 + 59 {
            return None;
        }
    }
    Some(FullTime {
        hour: hour as u8,
        minute: minute as u8,
        second: second as u8,
        nanosecond,
        offset_minutes: offset_minutes as i16,
    })
}

/// The two ASCII digits at `at` as a number; `None` when either is missing or not a digit.
fn two_digits(bytes: &[u8], at: usize) -> Option<u32> {
    match bytes.get(at..at + 2)? {
        [tens @ b'0'..=b'9', ones @ b'0'..=b'9'] => {
            Some(u32::from(tens - b'0') * 10 + u32::from(ones - b'0'))
        }
        _ => None,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_of_a_date_time() {
        assert_eq!(
            parse_date_time("1998-12-31T15:59:60.123456789123-08:00"),
            Some(DateTimeParts {
                year: 1998,
                month: 12,
                day: 31,
                hour: 15,
                minute: 59,
                second: 60,
                nanosecond: 123_456_789,
                offset_minutes: -480,
            })
        );
        assert_eq!(
            parse_date_time("2024-02-29t01:02:03.5+05:30")
                .map(|p| (p.nanosecond, p.offset_minutes)),
            Some((500_000_000, 330))
        );
        assert_eq!(
            parse_date_time("2024-02-29T01:02:03z").map(|p| p.offset_minutes),
            Some(0)
        );
    }

    #[test]
    fn short_and_truncated_inputs_are_refused_without_panicking() {
        let full = "2024-02-29T01:02:03.5+05:30";
        for end in 0..full.len() {
            assert!(!is_date_time(&full[..end]), "{:?}", &full[..end]);
        }
        let time = "01:02:03.5+05:30";
        for end in 0..time.len() {
            assert!(!is_time(&time[..end]), "{:?}", &time[..end]);
        }
    }
}
