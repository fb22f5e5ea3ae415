//! A capped event log. A simulation can run for hours in the TUI, so only the most recent
//! entries are kept in memory; the count of every entry ever logged stays exact.

use std::collections::VecDeque;

use super::summary::LogEntry;

/// How many entries a log keeps. Older ones are dropped; counters elsewhere stay complete.
pub const LOG_CAPACITY: usize = 200;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventLog {
    entries: VecDeque<LogEntry>,
    total: u64,
}

impl EventLog {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, tick: u64, text: impl Into<String>) {
        if self.entries.len() == LOG_CAPACITY {
            self.entries.pop_front();
        }
        self.entries.push_back(LogEntry {
            tick,
            text: text.into(),
        });
        self.total += 1;
    }

    /// Push `text` unless the newest entry already says exactly that: a key held down at a
    /// limit logs the limit once, not once per repeat.
    pub fn push_unless_repeated(&mut self, tick: u64, text: impl Into<String>) {
        let text = text.into();
        if self.entries.back().is_some_and(|e| e.text == text) {
            return;
        }
        self.push(tick, text);
    }

    /// Entries ever pushed, including those dropped from memory.
    pub fn total(&self) -> u64 {
        self.total
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The kept entries, oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &LogEntry> + ExactSizeIterator {
        self.entries.iter()
    }

    /// The last `n` kept entries, oldest first.
    pub fn recent(&self, n: usize) -> impl Iterator<Item = &LogEntry> {
        self.entries
            .iter()
            .skip(self.entries.len().saturating_sub(n))
    }

    pub fn to_vec(&self) -> Vec<LogEntry> {
        self.entries.iter().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_repeated_entry_is_logged_once() {
        let mut log = EventLog::new();
        log.push_unless_repeated(1, "at the maximum");
        log.push_unless_repeated(2, "at the maximum");
        log.push(3, "something else");
        log.push_unless_repeated(4, "at the maximum");
        let texts: Vec<&str> = log.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(
            texts,
            ["at the maximum", "something else", "at the maximum"]
        );
    }

    proptest! {
        #[test]
        fn keeps_the_newest_entries_and_counts_all(n in 0usize..600) {
            let mut log = EventLog::new();
            for i in 0..n {
                log.push(i as u64, format!("event {i}"));
            }
            prop_assert_eq!(log.total(), n as u64);
            prop_assert_eq!(log.len(), n.min(LOG_CAPACITY));
            if n > 0 {
                prop_assert_eq!(log.iter().last().map(|e| e.tick), Some(n as u64 - 1));
                prop_assert_eq!(
                    log.iter().next().map(|e| e.tick),
                    Some(n.saturating_sub(LOG_CAPACITY) as u64)
                );
            }
            let recent: Vec<u64> = log.recent(3).map(|e| e.tick).collect();
            let expected: Vec<u64> = (n.saturating_sub(3)..n).map(|t| t as u64).collect();
            prop_assert_eq!(recent, expected);
        }
    }
}
