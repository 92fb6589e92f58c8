//! Runs the `contracts` binary for the CLI tests.

// Each test binary includes this module and uses part of it.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The workspace root: the command runs there, so paths read as in the README.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// What one run of the command printed and how it exited.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `contracts` with `args` from the workspace root, feeding `stdin`.
pub fn contracts(args: &[&str], stdin: &[u8]) -> Run {
    contracts_with_env(args, stdin, &[])
}

/// The same, with extra environment variables.
pub fn contracts_with_env(args: &[&str], stdin: &[u8], env: &[(&str, String)]) -> Run {
    contracts_in_env(args, stdin, env, &[])
}

/// The same, with extra environment variables and without the variables in `remove`.
pub fn contracts_in_env(
    args: &[&str],
    stdin: &[u8],
    env: &[(&str, String)],
    remove: &[&str],
) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_contracts"));
    for name in remove {
        command.env_remove(name);
    }
    let mut child = command
        .args(args)
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .current_dir(root())
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    let input = stdin.to_vec();
    // Written from a thread: a large input must not wait on a full stdout pipe.
    let writer = std::thread::spawn(move || {
        // The command may exit before reading everything (e.g. a usage error).
        let _ = pipe.write_all(&input);
    });
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    Run {
        code: output.status.code().unwrap(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}
