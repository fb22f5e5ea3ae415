//! A bounded time series: the last few hundred samples of a metric, for the sparklines.
//! A simulation can play for hours, so older samples are dropped.

use std::collections::VecDeque;

/// Samples kept; wider than any terminal, so a sparkline never runs out of history.
pub const SERIES_CAPACITY: usize = 512;

#[derive(Debug, Clone, PartialEq)]
pub struct Series<T> {
    samples: VecDeque<T>,
}

impl<T: Copy> Default for Series<T> {
    fn default() -> Self {
        Series {
            samples: VecDeque::with_capacity(SERIES_CAPACITY),
        }
    }
}

impl<T: Copy> Series<T> {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, sample: T) {
        if self.samples.len() == SERIES_CAPACITY {
            self.samples.pop_front();
        }
        self.samples.push_back(sample);
    }

    pub fn len(&self) -> usize {
        self.samples.len()
    }

    pub fn is_empty(&self) -> bool {
        self.samples.is_empty()
    }

    pub fn last(&self) -> Option<T> {
        self.samples.back().copied()
    }

    /// The last `n` samples, oldest first.
    pub fn recent(&self, n: usize) -> impl ExactSizeIterator<Item = T> + '_ {
        self.samples
            .iter()
            .skip(self.samples.len().saturating_sub(n))
            .copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_newest_samples() {
        let mut s = Series::new();
        for i in 0..(SERIES_CAPACITY + 10) {
            s.push(i);
        }
        assert_eq!(s.len(), SERIES_CAPACITY);
        assert_eq!(s.last(), Some(SERIES_CAPACITY + 9));
        assert_eq!(
            s.recent(3).collect::<Vec<_>>(),
            vec![
                SERIES_CAPACITY + 7,
                SERIES_CAPACITY + 8,
                SERIES_CAPACITY + 9
            ]
        );
        assert_eq!(s.recent(10_000).len(), SERIES_CAPACITY);
    }
}
