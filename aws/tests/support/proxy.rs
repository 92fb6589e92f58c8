//! A fault-injecting HTTP proxy on 127.0.0.1 in front of moto: it forwards each request
//! on a fresh connection, except those it chose to fail, which get a 500, a dropped
//! connection, or no answer at all (a stall that only a client timeout ends).
//!
//! Requests are chosen by their AWS operation (the `X-Amz-Target` header of the JSON
//! protocols, e.g. `AmazonSQS.ReceiveMessage`, or the `Action=` of a query-protocol
//! body such as SNS's `PublishBatch`) and a repeating pattern, so a run is reproducible.

#![allow(dead_code)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What happens to a request that the pattern fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Forwarded untouched.
    Pass,
    /// `500 Internal Server Error` with an AWS JSON error body.
    ServerError,
    /// The connection is closed without an answer.
    Drop,
    /// No answer for a minute: the client's timeout must end it.
    Stall,
}

/// The proxy: its endpoint and its counts.
pub struct FaultProxy {
    /// `http://127.0.0.1:<port>`.
    pub endpoint: String,
    /// Requests of the chosen operation seen.
    pub matched: Arc<AtomicU64>,
    /// Of those, failed.
    pub failed: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FaultProxy {
    /// A proxy to `upstream` (`http://127.0.0.1:<port>`) that applies `pattern[n %
    /// pattern.len()]` to the n-th request whose operation contains `operation`.
    pub async fn start(upstream: &str, operation: &'static str, pattern: Vec<Fault>) -> FaultProxy {
        let upstream = upstream
            .strip_prefix("http://")
            .expect("an http:// upstream")
            .to_owned();
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a free port");
        let endpoint = format!("http://{}", listener.local_addr().expect("its address"));
        let matched = Arc::new(AtomicU64::new(0));
        let failed = Arc::new(AtomicU64::new(0));
        let pattern = Arc::new(pattern);
        let (seen, broken) = (matched.clone(), failed.clone());
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let upstream = upstream.clone();
                let pattern = pattern.clone();
                let (seen, broken) = (seen.clone(), broken.clone());
                tokio::spawn(async move {
                    let _ = serve(client, &upstream, operation, &pattern, &seen, &broken).await;
                });
            }
        });
        FaultProxy {
            endpoint,
            matched,
            failed,
            task,
        }
    }
}

/// One HTTP/1.1 request: its head and body.
struct Request {
    head: String,
    body: Vec<u8>,
}

/// Reads one request from a keep-alive connection; `None` at its end.
async fn read_request(
    stream: &mut TcpStream,
    buffer: &mut Vec<u8>,
) -> std::io::Result<Option<Request>> {
    loop {
        if let Some(end) = find(buffer, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buffer[..end]).into_owned();
            let length = header(&head, "content-length")
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(0);
            while buffer.len() < end + 4 + length {
                if read_more(stream, buffer).await? == 0 {
                    return Ok(None);
                }
            }
            let body = buffer[end + 4..end + 4 + length].to_vec();
            buffer.drain(..end + 4 + length);
            return Ok(Some(Request { head, body }));
        }
        if read_more(stream, buffer).await? == 0 {
            return Ok(None);
        }
    }
}

async fn read_more(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> std::io::Result<usize> {
    let mut chunk = [0u8; 16 * 1024];
    let n = stream.read(&mut chunk).await?;
    buffer.extend_from_slice(&chunk[..n]);
    Ok(n)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn header<'h>(head: &'h str, name: &str) -> Option<&'h str> {
    head.lines().skip(1).find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.trim().eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

/// The operation a request calls: `X-Amz-Target`, else the body's `Action=`.
fn operation_of(request: &Request) -> String {
    if let Some(target) = header(&request.head, "x-amz-target") {
        return target.to_owned();
    }
    let body = String::from_utf8_lossy(&request.body);
    body.split('&')
        .find_map(|pair| pair.strip_prefix("Action="))
        .unwrap_or("")
        .to_owned()
}

async fn serve(
    mut client: TcpStream,
    upstream: &str,
    operation: &str,
    pattern: &[Fault],
    seen: &AtomicU64,
    broken: &AtomicU64,
) -> std::io::Result<()> {
    let mut buffer = Vec::new();
    while let Some(request) = read_request(&mut client, &mut buffer).await? {
        let fault = if operation_of(&request).contains(operation) {
            let n = seen.fetch_add(1, Ordering::SeqCst);
            pattern[(n as usize) % pattern.len()]
        } else {
            Fault::Pass
        };
        if fault != Fault::Pass {
            broken.fetch_add(1, Ordering::SeqCst);
        }
        match fault {
            Fault::Pass => {
                let answer = forward(upstream, &request).await?;
                client.write_all(&answer).await?;
            }
            Fault::ServerError => {
                let body = br#"{"__type":"InternalError","message":"injected by the fault proxy"}"#;
                let head = format!(
                    "HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/x-amz-json-1.0\r\nx-amzn-query-error: InternalError;Receiver\r\nContent-Length: {}\r\n\r\n",
                    body.len()
                );
                client.write_all(head.as_bytes()).await?;
                client.write_all(body).await?;
            }
            Fault::Drop => return Ok(()),
            Fault::Stall => {
                tokio::time::sleep(Duration::from_secs(60)).await;
                return Ok(());
            }
        }
    }
    Ok(())
}

/// Sends the request to moto on a fresh connection and returns its whole answer, with
/// a `Content-Length` so the client's connection can stay open.
async fn forward(upstream: &str, request: &Request) -> std::io::Result<Vec<u8>> {
    let mut server = TcpStream::connect(upstream).await?;
    let mut head: Vec<&str> = request
        .head
        .lines()
        .filter(|line| !line.to_ascii_lowercase().starts_with("connection:"))
        .collect();
    head.push("Connection: close");
    let mut bytes = head.join("\r\n").into_bytes();
    bytes.extend_from_slice(b"\r\n\r\n");
    bytes.extend_from_slice(&request.body);
    server.write_all(&bytes).await?;
    let mut answer = Vec::new();
    server.read_to_end(&mut answer).await?;
    // Re-frame: moto answers with Content-Length (werkzeug), but closes the connection;
    // the client must not be told to close, nor be left without a length.
    let Some(end) = find(&answer, b"\r\n\r\n") else {
        return Ok(answer);
    };
    let head = String::from_utf8_lossy(&answer[..end]).into_owned();
    let body = &answer[end + 4..];
    let mut lines: Vec<String> = head
        .lines()
        .filter(|line| {
            let lower = line.to_ascii_lowercase();
            !lower.starts_with("connection:")
                && !lower.starts_with("content-length:")
                && !lower.starts_with("transfer-encoding:")
        })
        .map(str::to_owned)
        .collect();
    lines.push(format!("Content-Length: {}", body.len()));
    let mut framed = lines.join("\r\n").into_bytes();
    framed.extend_from_slice(b"\r\n\r\n");
    framed.extend_from_slice(body);
    Ok(framed)
}
