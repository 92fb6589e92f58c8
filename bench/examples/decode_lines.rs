//! Row (d) on a file of events, for comparing two builds on the same bytes: decodes every
//! line of the file with `event_contracts::decode`, `passes` times, and prints each pass's
//! nanoseconds per event and the events accepted.
//!
//! ```sh
//! decode_lines target/bench-corpus/decode/events.jsonl 5 [limit]
//! ```

use std::time::Instant;

#[inline(never)]
fn measured(lines: &[&[u8]]) -> usize {
    lines
        .iter()
        .filter(|line| event_contracts::decode(line).is_ok())
        .count()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args
        .first()
        .expect("usage: decode_lines FILE [passes] [limit]");
    let passes: usize = args
        .get(1)
        .map_or(5, |n| n.parse().expect("passes: a number"));
    let limit: usize = args
        .get(2)
        .map_or(usize::MAX, |n| n.parse().expect("limit: a number"));
    let text = std::fs::read(path).expect("the file is readable");
    let lines: Vec<&[u8]> = text
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .take(limit)
        .collect();
    // One pass first, untimed: schemas compiled on first use are not counted.
    let _ = lines
        .iter()
        .take(100)
        .filter(|l| event_contracts::decode(l).is_ok())
        .count();
    for _ in 0..passes {
        let start = Instant::now();
        let accepted = measured(&lines);
        let ns = start.elapsed().as_nanos() as f64 / lines.len() as f64;
        println!("{ns:.0} ns/event, {accepted} of {} accepted", lines.len());
    }
}
