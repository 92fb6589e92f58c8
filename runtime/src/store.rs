//! The embedded event store: an append-only JSON Lines log behind a small trait.
//!
//! [`EventStore`] is what services use, so a DynamoDB store can take the log's place:
//! append one event, stream every event, stream the events of one stream (aggregate),
//! found by the key the generator was told about (`Config::stream_key`).
//!
//! [`JsonLinesStore`] keeps one event per line in a file.
//!
//! - An append encodes the event first, which validates it against its schema, so an
//!   invalid event never reaches the log. The whole line is then written with one
//!   `write_all` under a mutex, so appends from threads of one process never interleave,
//!   and synced to disk (`File::sync_data`) before `append` returns.
//! - If the file does not end with a newline (a crash cut the last append short), the
//!   next append starts a new line first: the cut line stays, and readers report it,
//!   instead of it swallowing the next event. One process should append to a log at a
//!   time; several processes are not coordinated.
//! - Reading streams: [`JsonLinesReader`] yields one decoded event per line, with its
//!   line number, in constant memory. A line that is not a valid event is reported with
//!   its line number and reading goes on; a line longer than the decoder's size limit is
//!   skipped without being held in memory. A blank line holds no event and is reported
//!   too, as `contracts validate` reports it; a newline at the very end starts no line.

use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::marker::PhantomData;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use crate::decode::{Decoder, DEFAULT_MAX_SIZE};
use crate::error::{DecodeError, EncodeError};
use crate::event::EventSet;

/// An event read from a store, with where it was read.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEvent<E> {
    /// Where the event is in the store: for a JSON Lines log, its 1-based line number.
    pub position: u64,
    /// The event, as decoded (never upcast).
    pub event: E,
}

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// Reading or writing the log failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The log file.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// One line of the log is not a valid event; the others are still read.
    #[error("line {line}: {source}")]
    Line {
        /// 1-based line number.
        line: u64,
        /// Why the line does not decode.
        source: DecodeError,
    },
    /// A line of the log is empty or blank: it holds no event.
    #[error("line {line}: the line is empty; JSON Lines holds one event on every line")]
    BlankLine {
        /// 1-based line number.
        line: u64,
    },
    /// The event was not appended: it does not encode as a valid event.
    #[error("the event was not appended: {0}")]
    Encode(#[from] EncodeError),
    /// Another store implementation failed.
    #[error("the event store failed: {0}")]
    Backend(Box<dyn std::error::Error + Send + Sync>),
}

/// A stream of stored events; errors are per event and the stream goes on after them.
pub type EventStream<'a, E> = Box<dyn Iterator<Item = Result<StoredEvent<E>, StoreError>> + 'a>;

/// Where events are kept: append-only, read in order.
pub trait EventStore {
    /// The events this store holds.
    type Event: EventSet;

    /// Validates and durably appends one event.
    fn append(&self, event: &Self::Event) -> Result<(), StoreError>;

    /// Every event, in append order.
    fn stream(&self) -> Result<EventStream<'_, Self::Event>, StoreError>;

    /// The events of one stream (aggregate): those whose `stream_key` is `key`, in
    /// append order. Errors pass through, since a line that does not decode may have
    /// belonged to this stream.
    fn stream_of(&self, key: &str) -> Result<EventStream<'_, Self::Event>, StoreError> {
        let key = key.to_owned();
        Ok(Box::new(self.stream()?.filter(move |item| match item {
            Ok(stored) => stored.event.stream_key().as_deref() == Some(key.as_str()),
            Err(_) => true,
        })))
    }
}

/// The appending half of a log, guarded by the store's mutex.
#[derive(Debug)]
struct Writer {
    file: File,
    /// Whether the file is empty or ends with a newline, so the next line starts cleanly.
    at_line_start: bool,
}

/// An append-only JSON Lines file of events of the set `E`.
#[derive(Debug)]
pub struct JsonLinesStore<E> {
    path: PathBuf,
    writer: Mutex<Writer>,
    max_size: usize,
    _events: PhantomData<fn() -> E>,
}

impl<E: EventSet> JsonLinesStore<E> {
    /// Opens the log at `path`, creating it (and syncing its directory) when missing.
    pub fn open(path: impl Into<PathBuf>) -> Result<Self, StoreError> {
        let path = path.into();
        let io_error = |source| StoreError::Io {
            path: path.clone(),
            source,
        };
        let existed = path.exists();
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(&path)
            .map_err(io_error)?;
        if !existed {
            sync_parent(&path).map_err(io_error)?;
        }
        let at_line_start = ends_with_newline(&mut file).map_err(io_error)?;
        Ok(JsonLinesStore {
            writer: Mutex::new(Writer {
                file,
                at_line_start,
            }),
            path,
            max_size: DEFAULT_MAX_SIZE,
            _events: PhantomData,
        })
    }

    /// Sets the largest event (line) read, in bytes; the default is [`DEFAULT_MAX_SIZE`].
    pub fn with_max_size(mut self, bytes: usize) -> Self {
        self.max_size = bytes;
        self
    }

    /// The log file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn io_error(&self, source: io::Error) -> StoreError {
        StoreError::Io {
            path: self.path.clone(),
            source,
        }
    }
}

fn ends_with_newline(file: &mut File) -> io::Result<bool> {
    let len = file.metadata()?.len();
    if len == 0 {
        return Ok(true);
    }
    file.seek(SeekFrom::Start(len - 1))?;
    let mut last = [0u8; 1];
    file.read_exact(&mut last)?;
    Ok(last[0] == b'\n')
}

/// Makes a newly created file's directory entry durable, not only its contents.
fn sync_parent(path: &Path) -> io::Result<()> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => File::open(dir)?.sync_all(),
        _ => File::open(".")?.sync_all(),
    }
}

impl<E: EventSet> EventStore for JsonLinesStore<E> {
    type Event = E;

    fn append(&self, event: &E) -> Result<(), StoreError> {
        // Encoding validates; it happens before the lock so slow events do not serialize writers.
        let mut line = crate::decode::encode(event)?;
        line.push(b'\n');
        let mut writer = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        if !writer.at_line_start {
            line.insert(0, b'\n');
        }
        // Until the write is known complete, assume it was cut short.
        writer.at_line_start = false;
        writer.file.write_all(&line).map_err(|e| self.io_error(e))?;
        writer.at_line_start = true;
        writer.file.sync_data().map_err(|e| self.io_error(e))
    }

    fn stream(&self) -> Result<EventStream<'_, E>, StoreError> {
        // Under the lock every line in the file is whole, so reading up to its current
        // length never meets a half-written append.
        let len = {
            let writer = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
            writer.file.metadata().map_err(|e| self.io_error(e))?.len()
        };
        let file = File::open(&self.path).map_err(|e| self.io_error(e))?;
        let reader = JsonLinesReader::new(BufReader::new(file.take(len)))
            .with_max_size(self.max_size)
            .with_path(self.path.clone());
        Ok(Box::new(reader))
    }
}

/// Reads events of the set `E` from JSON Lines, one line at a time, in constant memory.
#[derive(Debug)]
pub struct JsonLinesReader<R, E> {
    reader: R,
    decoder: Decoder<E>,
    max_size: usize,
    path: PathBuf,
    line: u64,
    buf: Vec<u8>,
    done: bool,
}

impl<R: BufRead, E: EventSet> JsonLinesReader<R, E> {
    /// Reads from `reader` with the default decoder limits.
    pub fn new(reader: R) -> Self {
        JsonLinesReader {
            reader,
            decoder: Decoder::default(),
            max_size: DEFAULT_MAX_SIZE,
            path: PathBuf::from("-"),
            line: 0,
            buf: Vec::new(),
            done: false,
        }
    }

    /// Sets the largest event (line) read, in bytes; a longer line is reported, not buffered.
    pub fn with_max_size(mut self, bytes: usize) -> Self {
        self.max_size = bytes;
        self.decoder = Decoder::new().max_size(bytes);
        self
    }

    /// Names the source in I/O errors.
    pub fn with_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = path.into();
        self
    }

    /// Reads the next line into `buf` (at most `limit + 1` bytes of it, without its `\n`
    /// or `\r\n`); returns the line's full length, or `None` at the end of input.
    fn read_line(&mut self, limit: usize) -> io::Result<Option<usize>> {
        self.buf.clear();
        let mut total = 0usize;
        let mut any = false;
        let mut ends_with_cr = false;
        loop {
            let available = match self.reader.fill_buf() {
                Ok(bytes) => bytes,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if available.is_empty() {
                return Ok(any.then(|| self.end_line(total, ends_with_cr)));
            }
            any = true;
            let (chunk, consumed, found) = match available.iter().position(|&b| b == b'\n') {
                Some(i) => (&available[..i], i + 1, true),
                None => (available, available.len(), false),
            };
            // Past the limit only the length is counted: a huge line costs no memory.
            let room = (limit + 1).saturating_sub(self.buf.len());
            self.buf.extend_from_slice(&chunk[..chunk.len().min(room)]);
            total += chunk.len();
            if let Some(&last) = chunk.last() {
                ends_with_cr = last == b'\r';
            }
            self.reader.consume(consumed);
            if found {
                return Ok(Some(self.end_line(total, ends_with_cr)));
            }
        }
    }

    /// Drops the `\r` of a `\r\n` terminator, which is not part of the event.
    fn end_line(&mut self, total: usize, ends_with_cr: bool) -> usize {
        if !ends_with_cr {
            return total;
        }
        if self.buf.len() == total {
            self.buf.pop();
        }
        total - 1
    }
}

impl<R: BufRead, E: EventSet> Iterator for JsonLinesReader<R, E> {
    type Item = Result<StoredEvent<E>, StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let limit = self.max_size;
        let length = match self.read_line(limit) {
            Ok(Some(length)) => length,
            Ok(None) => {
                self.done = true;
                return None;
            }
            Err(source) => {
                // An I/O error may repeat forever; report it once and stop.
                self.done = true;
                return Some(Err(StoreError::Io {
                    path: self.path.clone(),
                    source,
                }));
            }
        };
        self.line += 1;
        let line = self.line;
        if length > limit {
            return Some(Err(StoreError::Line {
                line,
                source: DecodeError::TooLarge {
                    size: length,
                    limit,
                },
            }));
        }
        if self.buf.iter().all(u8::is_ascii_whitespace) {
            return Some(Err(StoreError::BlankLine { line }));
        }
        Some(
            self.decoder
                .decode(&self.buf)
                .map(|event| StoredEvent {
                    position: line,
                    event,
                })
                .map_err(|source| StoreError::Line { line, source }),
        )
    }
}
