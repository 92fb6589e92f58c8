//! A moto server (the AWS API emulator, PyPI `moto[server]`) on 127.0.0.1 for one test.
//!
//! The server is found at `$MOTO_SERVER`, else at `target/moto-venv/bin/moto_server`
//! (where `.ci/run` installs it), else as `moto_server` on the PATH. Each [`Moto`] is its
//! own server on a free port, killed when dropped, so tests never share state.
//!
//! Without a server the test is skipped with a message saying how to install one,
//! except under `CI=true`, where a missing server fails the test.

#![allow(dead_code)]

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Credentials and region the tests give the SDK; moto accepts any.
pub const REGION: &str = "us-east-1";
pub const ACCESS_KEY: &str = "testing";
pub const SECRET_KEY: &str = "testing";

pub struct Moto {
    child: Child,
    pub endpoint: String,
    log: PathBuf,
}

fn workspace_root() -> PathBuf {
    // Both the aws crate and the CLI crate sit one level below the workspace root.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn find_server() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("MOTO_SERVER") {
        return Some(PathBuf::from(path));
    }
    let venv = workspace_root().join("target/moto-venv/bin/moto_server");
    if venv.is_file() {
        return Some(venv);
    }
    let on_path = std::env::var_os("PATH")?;
    std::env::split_paths(&on_path)
        .map(|dir| dir.join("moto_server"))
        .find(|candidate| candidate.is_file())
}

/// A Python interpreter that can `import moto`, for the server found at `server`.
///
/// Tried in order, and the first that imports moto wins: the `python3`/`python` beside
/// the script (a virtual environment's `bin/`, also through symlinks); the script's
/// `#!` interpreter, either a path or `/usr/bin/env [-S] NAME [ARGS]` looked up on the
/// `PATH`; for a pyenv shim (a shell script that runs `pyenv exec`), the script
/// `pyenv which moto_server` names, the same way; `python3` on the `PATH`.
fn python_for(server: &Path) -> Result<PathBuf, String> {
    let mut candidates: Vec<PathBuf> = Vec::new();
    let mut scripts = vec![server.to_path_buf()];
    if let Ok(real) = std::fs::canonicalize(server) {
        scripts.push(real);
    }
    let text = std::fs::read_to_string(server).unwrap_or_default();
    if text.contains("pyenv") {
        let which = Command::new("pyenv")
            .args(["which", "moto_server"])
            .stderr(Stdio::null())
            .output();
        if let Ok(out) = which {
            let path = String::from_utf8_lossy(&out.stdout).trim().to_owned();
            if out.status.success() && !path.is_empty() {
                scripts.push(PathBuf::from(path));
            }
        }
    }
    for script in &scripts {
        if let Some(dir) = script.parent() {
            candidates.push(dir.join("python3"));
            candidates.push(dir.join("python"));
        }
        if let Some(interpreter) = std::fs::read_to_string(script)
            .ok()
            .and_then(|text| shebang_interpreter(&text))
        {
            candidates.push(interpreter);
        }
    }
    candidates.extend(on_path("python3"));
    let mut tried = Vec::new();
    for candidate in candidates {
        if tried.contains(&candidate) || !candidate.is_file() {
            continue;
        }
        let imports = Command::new(&candidate)
            .args(["-c", "import moto.moto_server.werkzeug_app"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        if imports {
            return Ok(candidate);
        }
        tried.push(candidate);
    }
    Err(format!(
        "no Python that can import moto was found for {} (tried {tried:?}); set MOTO_SERVER \
         to the moto_server of a virtual environment",
        server.display()
    ))
}

/// The interpreter a `#!` line names: its path, or for `/usr/bin/env [-S] NAME`, NAME
/// looked up on the `PATH`.
fn shebang_interpreter(text: &str) -> Option<PathBuf> {
    let line = text.lines().next()?.strip_prefix("#!")?;
    let mut words = line.split_whitespace();
    let first = words.next()?;
    if Path::new(first)
        .file_name()
        .is_some_and(|name| name == "env")
    {
        let name = words.find(|word| !word.starts_with('-') && !word.contains('='))?;
        return on_path(name);
    }
    Some(PathBuf::from(first))
}

/// `name` looked up on the `PATH`.
fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// Serves moto's application one request at a time.
const SERIALIZED: &str = "\
import sys
from werkzeug.serving import run_simple
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
run_simple(sys.argv[1], int(sys.argv[2]), DomainDispatcherApplication(create_backend_app), threaded=False)
";

impl Moto {
    /// Starts a server, or returns `None` (after saying why) when none is installed and
    /// this is not CI.
    pub fn start() -> Option<Moto> {
        Moto::launch(false)
    }

    /// The same server handling one request at a time (requests from concurrent clients
    /// queue), for tests whose correctness needs the atomicity that AWS gives and moto's
    /// threaded server does not.
    pub fn start_serialized() -> Option<Moto> {
        Moto::launch(true)
    }

    fn launch(serialized: bool) -> Option<Moto> {
        let Some(server) = find_server() else {
            let how = "install it with `python3 -m venv target/moto-venv && \
                       target/moto-venv/bin/pip install 'moto[server]==5.1.22'`, \
                       or set MOTO_SERVER to its moto_server";
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("CI=true and no moto server was found: {how}");
            }
            eprintln!("SKIPPED: no moto server was found; {how}");
            return None;
        };
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port on 127.0.0.1");
        let log = std::env::temp_dir().join(format!("moto-{port}.log"));
        let out = std::fs::File::create(&log).expect("moto's log file");
        let err = out.try_clone().expect("moto's log file");
        let mut command = if serialized {
            let python = python_for(&server).unwrap_or_else(|why| panic!("{why}"));
            let mut command = Command::new(python);
            command.args(["-c", SERIALIZED, "127.0.0.1", &port.to_string()]);
            command
        } else {
            let mut command = Command::new(&server);
            command.args(["-H", "127.0.0.1", "-p", &port.to_string()]);
            command
        };
        let child = command
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", server.display()));
        let mut moto = Moto {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
            log,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = moto.child.try_wait() {
                panic!(
                    "moto_server exited with {status} before listening:\n{}",
                    std::fs::read_to_string(&moto.log).unwrap_or_default()
                );
            }
            assert!(
                Instant::now() < deadline,
                "moto_server did not listen on port {port} within 60 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Some(moto)
    }

    /// The environment a child process (the CLI) needs to reach this server through the
    /// normal configuration chain: credentials and region, and no profile or instance
    /// metadata lookups.
    pub fn child_env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AWS_ACCESS_KEY_ID", ACCESS_KEY.to_owned()),
            ("AWS_SECRET_ACCESS_KEY", SECRET_KEY.to_owned()),
            ("AWS_REGION", REGION.to_owned()),
            ("AWS_EC2_METADATA_DISABLED", "true".to_owned()),
            ("AWS_CONFIG_FILE", "/nonexistent/aws-config".to_owned()),
            (
                "AWS_SHARED_CREDENTIALS_FILE",
                "/nonexistent/aws-credentials".to_owned(),
            ),
        ]
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}

#[cfg(test)]
mod shebang_tests {
    use super::shebang_interpreter;
    use std::path::PathBuf;

    #[test]
    fn a_direct_interpreter_is_its_path() {
        assert_eq!(
            shebang_interpreter("#!/opt/venv/bin/python3.12 -u\nimport re"),
            Some(PathBuf::from("/opt/venv/bin/python3.12"))
        );
    }

    #[test]
    fn env_shebangs_name_a_program_on_the_path() {
        // `sh` is on every PATH these tests run with; its name stands in for python3.
        for line in [
            "#!/usr/bin/env sh",
            "#!/usr/bin/env -S sh -u",
            "#!/usr/bin/env A=1 sh",
        ] {
            let found = shebang_interpreter(line).unwrap_or_else(|| panic!("{line}"));
            assert!(found.ends_with("sh"), "{line}: {found:?}");
            assert!(found.is_absolute(), "{line}: {found:?}");
        }
        assert_eq!(shebang_interpreter("no shebang"), None);
    }
}
