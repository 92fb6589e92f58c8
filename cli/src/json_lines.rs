//! Reading JSON Lines in constant memory: one reusable buffer, bounded by a size limit.
//!
//! A line longer than the limit is never held whole: the reader stops buffering it at the
//! limit, skips to the next newline and reports its size, so a file of any length, with
//! lines of any length, is read with at most `limit + 1` bytes of line buffer.

use std::io::{self, BufRead};

/// One line of the input, without its terminator (`\n`, or `\r\n`).
#[derive(Debug, PartialEq, Eq)]
pub enum Line<'a> {
    /// A line within the limit.
    Complete(&'a [u8]),
    /// A line longer than the limit, skipped unread; `size` is its length in bytes.
    TooLong { size: u64 },
}

/// Reads lines from `reader`, holding at most `limit + 1` bytes of any one line.
pub struct JsonLines<R> {
    reader: R,
    limit: usize,
    buffer: Vec<u8>,
    line_number: u64,
    bytes_read: u64,
}

impl<R: BufRead> JsonLines<R> {
    /// A reader of lines up to `limit` bytes each.
    pub fn new(reader: R, limit: usize) -> Self {
        JsonLines {
            reader,
            limit,
            buffer: Vec::new(),
            line_number: 0,
            bytes_read: 0,
        }
    }

    /// Bytes consumed so far, terminators included.
    pub fn bytes_read(&self) -> u64 {
        self.bytes_read
    }

    /// The next line and its 1-based number, or `None` at the end of the input.
    ///
    /// A newline at the very end of the input ends the last line; it does not start an
    /// empty one.
    pub fn next_line(&mut self) -> io::Result<Option<(u64, Line<'_>)>> {
        self.buffer.clear();
        let mut size: u64 = 0;
        let mut overflowed = false;
        let mut ends_with_cr = false;
        let mut started = false;
        loop {
            let available = match self.reader.fill_buf() {
                Ok(available) => available,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if available.is_empty() {
                if !started {
                    return Ok(None);
                }
                break;
            }
            started = true;
            let newline = available.iter().position(|&b| b == b'\n');
            let content = &available[..newline.unwrap_or(available.len())];
            size += content.len() as u64;
            if let Some(&last) = content.last() {
                ends_with_cr = last == b'\r';
            }
            // One byte of room beyond the limit for the `\r` of a `\r\n` terminator.
            if !overflowed {
                if self.buffer.len() + content.len() > self.limit.saturating_add(1) {
                    overflowed = true;
                } else {
                    self.buffer.extend_from_slice(content);
                }
            }
            let consumed = content.len() + usize::from(newline.is_some());
            self.reader.consume(consumed);
            self.bytes_read += consumed as u64;
            if newline.is_some() {
                break;
            }
        }
        self.line_number += 1;
        let size = size - u64::from(ends_with_cr);
        if overflowed || size > self.limit as u64 {
            return Ok(Some((self.line_number, Line::TooLong { size })));
        }
        // `size` fits the buffer: it is at most `limit`, and the buffer holds the whole line.
        let line = self.buffer.get(..size as usize).unwrap_or(&self.buffer);
        Ok(Some((self.line_number, Line::Complete(line))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every line of `input`, as owned values, read with a tiny buffer to cross chunk ends.
    fn lines(input: &[u8], limit: usize) -> Vec<(u64, Result<Vec<u8>, u64>)> {
        let reader = io::BufReader::with_capacity(3, input);
        let mut lines = JsonLines::new(reader, limit);
        let mut out = Vec::new();
        while let Some((n, line)) = lines.next_line().unwrap() {
            out.push((
                n,
                match line {
                    Line::Complete(bytes) => Ok(bytes.to_vec()),
                    Line::TooLong { size } => Err(size),
                },
            ));
        }
        assert_eq!(lines.bytes_read(), input.len() as u64);
        out
    }

    #[test]
    fn a_final_newline_ends_the_last_line_without_starting_another() {
        assert_eq!(
            lines(b"ab\ncd\n", 10),
            [(1, Ok(b"ab".to_vec())), (2, Ok(b"cd".to_vec()))]
        );
        assert_eq!(
            lines(b"ab\ncd", 10),
            [(1, Ok(b"ab".to_vec())), (2, Ok(b"cd".to_vec()))]
        );
        assert_eq!(lines(b"", 10), []);
    }

    #[test]
    fn empty_lines_are_lines() {
        assert_eq!(
            lines(b"\n\nx\n", 10),
            [(1, Ok(vec![])), (2, Ok(vec![])), (3, Ok(b"x".to_vec()))]
        );
    }

    #[test]
    fn crlf_terminators_are_removed_and_do_not_count_towards_the_limit() {
        assert_eq!(
            lines(b"abcd\r\nabcde\r\n", 4),
            [(1, Ok(b"abcd".to_vec())), (2, Err(5))]
        );
        // A lone `\r` inside a line is content.
        assert_eq!(lines(b"a\rb\n", 4), [(1, Ok(b"a\rb".to_vec()))]);
    }

    #[test]
    fn a_line_over_the_limit_is_skipped_with_its_full_size() {
        let mut input = vec![b'x'; 10_000];
        input.extend_from_slice(b"\nok\n");
        input.extend(vec![b'y'; 5]);
        assert_eq!(
            lines(&input, 4),
            [(1, Err(10_000)), (2, Ok(b"ok".to_vec())), (3, Err(5))]
        );
    }

    #[test]
    fn the_buffer_never_holds_more_than_the_limit_plus_one_byte() {
        let input = vec![b'x'; 1_000_000];
        let mut reader = JsonLines::new(io::BufReader::with_capacity(64, &input[..]), 100);
        assert_eq!(
            reader.next_line().unwrap(),
            Some((1, Line::TooLong { size: 1_000_000 }))
        );
        assert!(
            reader.buffer.capacity() <= 1_000,
            "{}",
            reader.buffer.capacity()
        );
    }

    #[test]
    fn lines_exactly_at_the_limit_are_complete() {
        assert_eq!(
            lines(b"abcd\nabcde\n", 4),
            [(1, Ok(b"abcd".to_vec())), (2, Err(5))]
        );
    }
}
