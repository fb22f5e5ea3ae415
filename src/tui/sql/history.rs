//! The queries run in the console, newest last, browsed with Ctrl-P / Ctrl-N (or Up on the
//! first line, Down on the last). What was being typed is kept while browsing and comes back
//! past the newest entry, as a shell does it.

/// Older entries are dropped past this many.
const MAX_ENTRIES: usize = 200;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    entries: Vec<String>,
    /// The entry shown while browsing; `None` when editing the draft.
    browsing: Option<usize>,
    /// The text being typed before browsing started.
    draft: String,
}

impl History {
    /// A history holding `queries`, oldest first (as saved by `history_file`).
    pub fn from_entries(mut queries: Vec<String>) -> History {
        if queries.len() > MAX_ENTRIES {
            queries.drain(..queries.len() - MAX_ENTRIES);
        }
        History {
            entries: queries,
            ..History::default()
        }
    }

    pub fn entries(&self) -> &[String] {
        &self.entries
    }

    /// Remembers a query that ran; a repeat of the newest entry is not added twice.
    pub fn push(&mut self, query: &str) {
        let query = query.trim_end();
        if query.trim().is_empty() {
            return;
        }
        self.browsing = None;
        if self.entries.last().is_some_and(|last| last == query) {
            return;
        }
        self.entries.push(query.to_string());
        if self.entries.len() > MAX_ENTRIES {
            self.entries.remove(0);
        }
    }

    /// The entry before the one shown, given the editor's text now. `None` at the oldest.
    pub fn older(&mut self, current: &str) -> Option<&str> {
        let at = match self.browsing {
            None if self.entries.is_empty() => return None,
            None => {
                self.draft = current.to_string();
                self.entries.len() - 1
            }
            Some(0) => return None,
            Some(i) => i - 1,
        };
        self.browsing = Some(at);
        Some(&self.entries[at])
    }

    /// The entry after the one shown, or the draft past the newest. `None` when not browsing.
    pub fn newer(&mut self) -> Option<&str> {
        let i = self.browsing?;
        if i + 1 < self.entries.len() {
            self.browsing = Some(i + 1);
            Some(&self.entries[i + 1])
        } else {
            self.browsing = None;
            Some(&self.draft)
        }
    }

    /// Which entry is shown, 1-based, and how many there are: for the status line.
    pub fn position(&self) -> Option<(usize, usize)> {
        self.browsing.map(|i| (i + 1, self.entries.len()))
    }

    /// The student typed: they are editing, not browsing, from now on.
    pub fn stop_browsing(&mut self) {
        self.browsing = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browsing_back_and_forth_returns_to_the_draft() {
        let mut h = History::default();
        h.push("SELECT 1");
        h.push("SELECT 2");
        h.push("SELECT 2");
        assert_eq!(h.entries().len(), 2);
        assert_eq!(h.older("draft"), Some("SELECT 2"));
        assert_eq!(h.older("ignored"), Some("SELECT 1"));
        assert_eq!(h.older("ignored"), None);
        assert_eq!(h.newer(), Some("SELECT 2"));
        assert_eq!(h.newer(), Some("draft"));
        assert_eq!(h.newer(), None);
    }

    #[test]
    fn blank_queries_are_not_remembered() {
        let mut h = History::default();
        h.push("  \n ");
        assert!(h.entries().is_empty());
        assert_eq!(h.older(""), None);
    }
}
