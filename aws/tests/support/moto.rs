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

/// The Python interpreter of a `moto_server` console script: its shebang line.
fn interpreter(server: &Path) -> Option<PathBuf> {
    let text = std::fs::read_to_string(server).ok()?;
    let first = text.lines().next()?.strip_prefix("#!")?.trim();
    Some(PathBuf::from(first.split_whitespace().next()?))
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
            let python = interpreter(&server)
                .unwrap_or_else(|| panic!("{} has no #! line naming its Python", server.display()));
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
