//! `cargo xtask compat`: the semver gate over schema changes.

use std::process::ExitCode;

/// Options of `cargo xtask compat`.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("compat is not written yet")
}
