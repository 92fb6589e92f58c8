//! `contracts validate` against hostile streams: very deep nesting, a 100 MB line, a million
//! tiny lines. Input is generated while it is written to the child's stdin and the report
//! is read while it is produced, so the test itself never holds the input or the output.
//! Peak memory is the child's own VmHWM from /proc, read while it is still running.

use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};

use serde_json::{json, Value};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The corpus's minimal valid ProductCreated 1.0.0, one line.
const VALID: &[u8] = br#"{"eventId": "6f1c2e9a-3b4d-4e5f-8a9b-0c1d2e3f4a5b", "version": "1.0.0", "timestamp": "2026-03-01T12:00:00Z", "correlationId": "0b7e4c1a-5d2f-4a3b-9c8d-7e6f5a4b3c2d", "source": "catalog-service", "userId": "a1b2c3d4-e5f6-4789-abcd-ef0123456789", "eventType": "ProductCreated", "data": {"productId": "9e8d7c6b-5a49-4382-9171-605f4e3d2c1b", "name": "Trail running shoe", "description": "Lightweight shoe for rough trails", "price": 12999, "quantity": 40, "category": "sports", "sellerId": "1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b"}}"#;

/// A generous guard, not a measurement: constant-memory streaming stays far below it,
/// while buffering a 100 MB line or a million reports would exceed it.
const PEAK_MEMORY_GUARD_KIB: u64 = 64 * 1024;

fn spawn(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_contracts"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// The child's peak resident memory in KiB, or why it cannot be read here.
fn peak_memory_kib(pid: u32) -> Result<u64, String> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .map_err(|e| format!("/proc/{pid}/status is unreadable ({e})"))?;
    let line = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .ok_or_else(|| "/proc/<pid>/status has no VmHWM".to_owned())?;
    line.trim_start_matches("VmHWM:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .map_err(|e| format!("VmHWM {line:?}: {e}"))
}

/// Peak memory, as sampled by the feeding thread.
type Peak = Result<u64, String>;

/// Feeds the child from a thread: `write` writes the input in parts and may call
/// `sample` between them, e.g. right after the 100 MB line. Once everything is written the
/// peak memory is sampled a last time and stdin is closed. The child is alive at every
/// sample, because it cannot exit before stdin closes. (Reading its report to learn that it
/// has processed the input is not possible: piped output is block-buffered until exit.)
/// Each sample is VmHWM, which only grows: the peak up to that moment.
fn feed(
    child: &mut Child,
    write: impl FnOnce(&mut BufWriter<ChildStdin>, &mut dyn FnMut()) -> std::io::Result<()>
        + Send
        + 'static,
) -> std::thread::JoinHandle<Vec<Peak>> {
    let pipe = child.stdin.take().unwrap();
    let pid = child.id();
    std::thread::spawn(move || {
        let mut samples = Vec::new();
        let mut out = BufWriter::new(pipe);
        write(&mut out, &mut || samples.push(peak_memory_kib(pid))).unwrap();
        out.flush().unwrap();
        samples.push(peak_memory_kib(pid));
        samples
    })
}

/// The whole report, read while the child runs so that its pipe never fills; lines that
/// `keep` selects are kept, and the number of lines is returned with them.
fn read_report(child: &mut Child, mut keep: impl FnMut(&str) -> bool) -> (Vec<String>, usize) {
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let mut kept = Vec::new();
    let mut count = 0;
    for line in stdout.lines() {
        let line = line.unwrap();
        count += 1;
        if keep(&line) {
            kept.push(line);
        }
    }
    (kept, count)
}

/// Checks each peak-memory sample against the guard, or says why it was not taken.
fn check_peak_memory(samples: &[Peak], what: &str) {
    for sample in samples {
        match sample {
            Ok(kib) => {
                eprintln!("{what}: peak resident memory of `contracts validate` so far: {kib} KiB");
                assert!(
                    *kib < PEAK_MEMORY_GUARD_KIB,
                    "{what}: peak memory {kib} KiB; streaming should stay under {PEAK_MEMORY_GUARD_KIB} KiB"
                );
            }
            Err(why) => eprintln!("{what}: peak memory not checked: {why}"),
        }
    }
}

#[test]
fn nesting_100_000_deep_is_one_invalid_line_and_the_next_is_read() {
    let mut child = spawn(&["validate", "--format", "json"]);
    let feeder = feed(&mut child, |pipe, _| {
        pipe.write_all(b"{\"x\":")?;
        pipe.write_all(&[b'['; 100_000])?;
        pipe.write_all(&[b']'; 100_000])?;
        pipe.write_all(b"}\n")?;
        pipe.write_all(VALID)?;
        pipe.write_all(b"\n")
    });
    let (lines, count) = read_report(&mut child, |_| true);
    check_peak_memory(&feeder.join().unwrap(), "100,000 levels");
    assert_eq!(child.wait().unwrap().code(), Some(1));
    assert_eq!(count, 2);
    let reports: Vec<Value> = lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // The event object is level 1, so the 64th `[` (byte 5 + 63) is level 65.
    assert_eq!(
        reports,
        [
            json!({"line": 1, "valid": false, "eventType": null, "version": null, "errors": [
                {"path": "", "message": "the event nests arrays/objects deeper than 64 levels (at byte offset 68)"}
            ]}),
            json!({"line": 2, "valid": true, "eventType": "ProductCreated", "version": "1.0.0", "errors": []}),
        ]
    );
}

#[test]
fn a_100_mb_line_is_too_large_and_read_in_constant_memory() {
    const SIZE: usize = 100 * 1024 * 1024;
    let mut child = spawn(&["validate", "--format", "json"]);
    // A JSON object of SIZE bytes in all, generated 64 KiB at a time.
    let feeder = feed(&mut child, |pipe, sample| {
        let head = b"{\"padding\":\"";
        pipe.write_all(head)?;
        let chunk = [b'x'; 64 * 1024];
        let mut left = SIZE - head.len() - 2;
        while left > 0 {
            let n = left.min(chunk.len());
            pipe.write_all(&chunk[..n])?;
            left -= n;
        }
        pipe.write_all(b"\"}\n")?;
        pipe.flush()?;
        // All but the last pipe buffer of the line has been read by now: a child that
        // held the line would already be near 100 MB.
        sample();
        pipe.write_all(VALID)?;
        pipe.write_all(b"\n")
    });
    let (lines, count) = read_report(&mut child, |_| true);
    let samples = feeder.join().unwrap();
    assert_eq!(samples.len(), 2);
    check_peak_memory(&samples, "a 100 MB line");
    assert_eq!(child.wait().unwrap().code(), Some(1));
    assert_eq!(count, 2);
    assert_eq!(
        serde_json::from_str::<Value>(&lines[0]).unwrap(),
        json!({"line": 1, "valid": false, "eventType": null, "version": null, "errors": [
            {"path": "", "message": "the event is 104857600 bytes; the limit is 262144 bytes (raise it with --max-size)"}
        ]})
    );
    assert_eq!(
        serde_json::from_str::<Value>(&lines[1]).unwrap(),
        json!({"line": 2, "valid": true, "eventType": "ProductCreated", "version": "1.0.0", "errors": []})
    );
}

const LINES: usize = 1_000_000;

/// A million lines: every 1000th a valid event, the rest cycling through `tiny`.
fn feed_million(
    child: &mut Child,
    tiny: &'static [&'static [u8]],
) -> std::thread::JoinHandle<Vec<Peak>> {
    feed(child, move |pipe, _| {
        for n in 1..=LINES {
            if n % 1000 == 0 {
                pipe.write_all(VALID)?;
            } else {
                pipe.write_all(tiny[n % tiny.len()])?;
            }
            pipe.write_all(b"\n")?;
        }
        Ok(())
    })
}

#[test]
fn a_million_tiny_lines_are_each_reported_once_in_order() {
    // Tiny invalid inputs that fail at each stage: not an object, no envelope, not JSON, blank.
    let mut child = spawn(&["validate", "--format", "json"]);
    let feeder = feed_million(&mut child, &[b"1", b"{}", b"{", b""]);
    let mut valid = 0usize;
    let mut last_line = 0u64;
    let mut in_order = true;
    let (samples, count) = read_report(&mut child, |line| {
        let report: Value = serde_json::from_str(line).unwrap();
        let number = report["line"].as_u64().unwrap();
        in_order &= number == last_line + 1;
        last_line = number;
        if report["valid"] == json!(true) {
            valid += 1;
        }
        // One report of each kind of tiny line, and the first valid one.
        matches!(number, 1..=4 | 1000)
    });
    check_peak_memory(&feeder.join().unwrap(), "a million lines");
    assert_eq!(child.wait().unwrap().code(), Some(1));
    assert_eq!(
        (count, valid, last_line, in_order),
        (LINES, 1000, LINES as u64, true)
    );
    let messages: Vec<Value> = samples
        .iter()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["errors"].clone())
        .collect();
    assert_eq!(messages.len(), 5);
    assert_eq!(messages[4], json!([]));
    for errors in &messages[..4] {
        assert_eq!(errors.as_array().unwrap().len(), 1, "{errors}");
    }
}

#[test]
fn a_million_tiny_lines_have_an_exact_human_summary() {
    let mut child = spawn(&["validate"]);
    let feeder = feed_million(&mut child, &[b"{}"]);
    let mut last = String::new();
    let (_, count) = read_report(&mut child, |line| {
        last = line.to_owned();
        false
    });
    check_peak_memory(&feeder.join().unwrap(), "a million lines, human report");
    assert_eq!(child.wait().unwrap().code(), Some(1));
    // Each invalid line is reported in two lines (where, and its one error), then the summary.
    assert_eq!(count, 2 * 999_000 + 1);
    assert_eq!(last, "1000 valid, 999000 invalid (1000000 lines)");
}
