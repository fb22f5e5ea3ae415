//! Splits a grading process's combined stdout and stderr into the runtime's output
//! separators and the student's own output, with bounded memory however much it prints.
//! Verdicts never travel here (see `embed/checks.rs`): a marker line on this stream is either
//! a separator carrying the run's nonce, or a forgery.

use std::io::Read;

/// Starts every protocol line; must match `MARKER` in `embed/checks.rs`.
pub const MARKER: &str = "\u{1e}sysdesign-check ";

/// A line longer than this is passed on in pieces, so a flood without newlines cannot
/// exhaust memory.
const MAX_LINE: usize = 64 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamEvent {
    /// The student's output, with the newlines the protocol inserted removed.
    Output(String),
    /// The payload of a protocol line.
    Marker(String),
    /// The stream closed: the process exited or closed its output.
    End,
}

/// Reads `source` to its end, passing on events; stops early when `send` returns false.
pub fn pump(mut source: impl Read, mut send: impl FnMut(StreamEvent) -> bool) {
    let mut splitter = Splitter::default();
    let mut buf = [0u8; 8192];
    loop {
        let n = match source.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        for event in splitter.feed(&buf[..n]) {
            if !send(event) {
                return;
            }
        }
    }
    for event in splitter.finish() {
        send(event);
    }
    send(StreamEvent::End);
}

/// The protocol writes `"\n" MARKER payload "\n"`: the leading newline keeps a protocol line
/// apart from a `print!` without one, and is not part of the student's output.
#[derive(Default)]
pub struct Splitter {
    line: Vec<u8>,
    /// A complete output line whose newline is held back until we know whether the protocol
    /// put it there.
    held: Option<String>,
}

impl Splitter {
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<StreamEvent> {
        let mut events = Vec::new();
        for &b in bytes {
            if b == b'\n' {
                let line = std::mem::take(&mut self.line);
                self.complete_line(line, &mut events);
            } else {
                self.line.push(b);
                if self.line.len() >= MAX_LINE {
                    self.spill(&mut events);
                }
            }
        }
        events
    }

    pub fn finish(&mut self) -> Vec<StreamEvent> {
        let mut events = Vec::new();
        if let Some(held) = self.held.take() {
            events.push(StreamEvent::Output(held + "\n"));
        }
        if !self.line.is_empty() {
            let line = std::mem::take(&mut self.line);
            events.push(StreamEvent::Output(
                String::from_utf8_lossy(&line).into_owned(),
            ));
        }
        events
    }

    fn complete_line(&mut self, line: Vec<u8>, events: &mut Vec<StreamEvent>) {
        let marker = MARKER.as_bytes();
        if let Some(at) = find(&line, marker) {
            let before = String::from_utf8_lossy(&line[..at]).into_owned();
            let payload = String::from_utf8_lossy(&line[at + marker.len()..]).into_owned();
            // The held line's newline was the protocol's, so it is dropped.
            let mut text = self.held.take().unwrap_or_default();
            text.push_str(&before);
            if !text.is_empty() {
                events.push(StreamEvent::Output(text));
            }
            events.push(StreamEvent::Marker(payload));
        } else {
            if let Some(held) = self.held.take() {
                events.push(StreamEvent::Output(held + "\n"));
            }
            self.held = Some(String::from_utf8_lossy(&line).into_owned());
        }
    }

    /// Passes on all of an over-long line except a tail that could be the start of a marker.
    fn spill(&mut self, events: &mut Vec<StreamEvent>) {
        if find(&self.line, MARKER.as_bytes()).is_some() {
            return;
        }
        let keep = MARKER.len() - 1;
        let mut cut = self.line.len() - keep;
        while cut > 0 && (self.line[cut] & 0b1100_0000) == 0b1000_0000 {
            cut -= 1;
        }
        let head: Vec<u8> = self.line.drain(..cut).collect();
        if let Some(held) = self.held.take() {
            events.push(StreamEvent::Output(held + "\n"));
        }
        events.push(StreamEvent::Output(
            String::from_utf8_lossy(&head).into_owned(),
        ));
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The student's output for one check, capped at a number of characters.
#[derive(Debug, Clone, Default)]
pub struct CappedOutput {
    text: String,
    chars: usize,
    truncated: bool,
}

pub const TRUNCATED_NOTE: &str = "\n[output truncated]";

impl CappedOutput {
    pub fn push(&mut self, chunk: &str, limit: usize) {
        for c in chunk.chars() {
            if self.chars >= limit {
                self.truncated = true;
                return;
            }
            // Control characters could move the cursor or retitle the terminal when shown.
            let c = if c.is_control() && c != '\n' && c != '\t' {
                '\u{FFFD}'
            } else {
                c
            };
            self.text.push(c);
            self.chars += 1;
        }
    }

    /// `None` when the check printed nothing.
    pub fn finish(self) -> Option<String> {
        if self.text.is_empty() && !self.truncated {
            None
        } else if self.truncated {
            Some(self.text + TRUNCATED_NOTE)
        } else {
            Some(self.text)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn run(chunks: &[&[u8]]) -> Vec<StreamEvent> {
        let mut s = Splitter::default();
        let mut events = Vec::new();
        for chunk in chunks {
            events.extend(s.feed(chunk));
        }
        events.extend(s.finish());
        events
    }

    fn output_of(events: &[StreamEvent]) -> String {
        events
            .iter()
            .filter_map(|e| match e {
                StreamEvent::Output(t) => Some(t.as_str()),
                _ => None,
            })
            .collect()
    }

    fn markers_of(events: &[StreamEvent]) -> Vec<String> {
        events
            .iter()
            .filter_map(|e| match e {
                StreamEvent::Marker(t) => Some(t.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn protocol_newlines_are_not_output() {
        let stream = format!("\n{MARKER}a\nhello\n\n{MARKER}b\nno newline\n{MARKER}c\n");
        let events = run(&[stream.as_bytes()]);
        assert_eq!(markers_of(&events), vec!["a", "b", "c"]);
        assert_eq!(
            events,
            vec![
                StreamEvent::Marker("a".into()),
                StreamEvent::Output("hello\n".into()),
                StreamEvent::Marker("b".into()),
                StreamEvent::Output("no newline".into()),
                StreamEvent::Marker("c".into()),
            ]
        );
    }

    #[test]
    fn capped_output_says_it_was_cut() {
        let mut out = CappedOutput::default();
        out.push("abcdef", 4);
        assert_eq!(out.finish().unwrap(), format!("abcd{TRUNCATED_NOTE}"));
        let mut quiet = CappedOutput::default();
        quiet.push("", 4);
        assert_eq!(quiet.finish(), None);
        let mut escape = CappedOutput::default();
        escape.push("\u{1b}[2J", 10);
        assert_eq!(escape.finish().unwrap(), "\u{FFFD}[2J");
    }

    proptest! {
        /// However the student's output and the protocol lines are interleaved and however
        /// the bytes are split into reads, every marker arrives intact and in order, and the
        /// output is exactly what the student printed.
        #[test]
        fn markers_survive_any_chunking(
            pieces in prop::collection::vec(("[a-z \n]{0,40}", "[a-z]{1,8}"), 0..8),
            split in 1usize..50,
            flood in 0usize..3,
        ) {
            let mut stream = Vec::new();
            let mut printed = String::new();
            for (i, (text, payload)) in pieces.iter().enumerate() {
                let text = if i == 0 { text.repeat(flood * 2000 + 1) } else { text.clone() };
                stream.extend_from_slice(text.as_bytes());
                printed.push_str(&text);
                stream.extend_from_slice(format!("\n{MARKER}{payload}\n").as_bytes());
            }
            let chunks: Vec<&[u8]> = stream.chunks(split).collect();
            let events = run(&chunks);
            let expected: Vec<String> = pieces.iter().map(|(_, p)| p.clone()).collect();
            prop_assert_eq!(markers_of(&events), expected);
            prop_assert_eq!(output_of(&events), printed);
        }
    }
}
