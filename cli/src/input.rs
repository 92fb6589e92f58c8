//! Where a subcommand reads from: the file it is given, or standard input for `-`.

use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::Path;

use anyhow::Context;

/// An opened input.
pub struct Input {
    /// How reports name it: the path as given, or `<stdin>`.
    pub source: String,
    /// The bytes, buffered.
    pub reader: Box<dyn BufRead>,
    /// The file's size, for progress bars; `None` for standard input.
    pub size: Option<u64>,
}

/// Opens `path`, or standard input when it is `-`.
pub fn open(path: &Path) -> anyhow::Result<Input> {
    if path.as_os_str() == "-" {
        return Ok(Input {
            source: "<stdin>".to_owned(),
            reader: Box::new(io::stdin().lock()),
            size: None,
        });
    }
    let source = path.display().to_string();
    let file = File::open(path).with_context(|| format!("cannot open {source}"))?;
    let size = file.metadata().ok().map(|m| m.len());
    Ok(Input {
        source,
        reader: Box::new(BufReader::with_capacity(1 << 16, file)),
        size,
    })
}
