//! `cargo xtask regen [--check]`.

use std::process::ExitCode;

/// Options of `cargo xtask regen`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Change nothing; exit 1 naming every stale file.
    #[arg(long)]
    pub check: bool,
}

pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("regen is not written yet")
}
