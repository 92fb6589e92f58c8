//! What the command does differently on a terminal: colour and a progress bar.
//!
//! Piped output is plain: no ANSI codes, no progress bar, so that it can be diffed,
//! grepped and snapshotted.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// When to colour human output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour when standard output is a terminal and `NO_COLOR` is unset or empty.
    Auto,
    /// Always colour, even when piped.
    Always,
    /// Never colour.
    Never,
}

impl ColorChoice {
    /// Whether to colour standard output.
    pub fn enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            // https://no-color.org: a set, non-empty NO_COLOR disables colour.
            ColorChoice::Auto => {
                std::io::stdout().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

/// Paints text with ANSI styles, or leaves it plain.
#[derive(Debug, Clone, Copy)]
pub struct Painter {
    enabled: bool,
}

impl Painter {
    /// A painter that paints only when `enabled`.
    pub fn new(enabled: bool) -> Self {
        Painter { enabled }
    }

    fn paint(self, code: &str, text: &str) -> String {
        if self.enabled {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    /// Bold red: what failed.
    pub fn error(self, text: &str) -> String {
        self.paint("1;31", text)
    }

    /// Green: what passed.
    pub fn ok(self, text: &str) -> String {
        self.paint("32", text)
    }

    /// Bold: where.
    pub fn strong(self, text: &str) -> String {
        self.paint("1", text)
    }

    /// Cyan: a JSON pointer.
    pub fn pointer(self, text: &str) -> String {
        self.paint("36", text)
    }
}

/// A progress bar on standard error when it is a terminal; nothing otherwise.
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A bar over `total_bytes` (a spinner when the size is unknown, e.g. for a pipe).
    pub fn new(total_bytes: Option<u64>) -> Self {
        if !std::io::stderr().is_terminal() {
            return Progress { bar: None };
        }
        let (bar, template) = match total_bytes {
            Some(total) => (
                ProgressBar::new(total),
                "{bar:40} {bytes}/{total_bytes} {msg} ({eta} left)",
            ),
            None => (
                ProgressBar::new_spinner(),
                "{spinner} {bytes} read, {msg} ({bytes_per_sec})",
            ),
        };
        // The templates are constants; a template error would be a bug, and only costs the bar.
        let bar = match ProgressStyle::with_template(template) {
            Ok(style) => bar.with_style(style),
            Err(_) => bar,
        };
        bar.set_draw_target(ProgressDrawTarget::stderr());
        Progress { bar: Some(bar) }
    }

    /// Moves the bar to `bytes` read, with the counts so far.
    pub fn update(&self, bytes: u64, valid: u64, invalid: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(bytes);
            bar.set_message(format!("{valid} valid, {invalid} invalid"));
        }
    }

    /// Runs `write` with the bar hidden, so that output to the same terminal is not torn.
    pub fn suspend<T>(&self, write: impl FnOnce() -> T) -> T {
        match &self.bar {
            Some(bar) => bar.suspend(write),
            None => write(),
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
