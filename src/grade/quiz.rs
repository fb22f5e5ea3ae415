//! Checking quizzes: a student's answer to a quiz item, and whether it is right.

use serde::{Deserialize, Serialize};

use crate::course::{Quiz, QuizKind};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Answer {
    /// 0-based choice.
    Single {
        choice: usize,
    },
    /// 0-based choices.
    Multiple {
        choices: Vec<usize>,
    },
    Numeric {
        value: f64,
    },
    /// The items as the student ordered them, each given by its index in the right order.
    Ordering {
        order: Vec<usize>,
    },
}

impl Quiz {
    pub fn is_correct(&self, answer: &Answer) -> bool {
        match (&self.kind, answer) {
            (QuizKind::Single { answer, .. }, Answer::Single { choice }) => answer == choice,
            (QuizKind::Multiple { answers, .. }, Answer::Multiple { choices }) => {
                let mut given = choices.clone();
                given.sort_unstable();
                given.dedup();
                &given == answers
            }
            (
                QuizKind::Numeric {
                    answer, tolerance, ..
                },
                Answer::Numeric { value },
            ) => {
                value.is_finite()
                    && (value - answer).abs() <= tolerance + f64::EPSILON * answer.abs().max(1.0)
            }
            (QuizKind::Ordering { items }, Answer::Ordering { order }) => {
                order.len() == items.len() && order.iter().enumerate().all(|(i, &o)| i == o)
            }
            _ => false,
        }
    }
}

/// The order an ordering quiz first shows its items in: a shuffle seeded by the quiz id, so it
/// is the same on every run, and never already solved.
pub fn initial_order(quiz_id: &str, len: usize) -> Vec<usize> {
    let seed = quiz_id.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
    });
    let mut rng = crate::sim::rng::Rng::new(seed);
    let mut order: Vec<usize> = (0..len).collect();
    for i in (1..len).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        order.swap(i, j);
    }
    if len >= 2 && order.iter().enumerate().all(|(i, &o)| i == o) {
        order.rotate_left(1);
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quiz(kind: QuizKind) -> Quiz {
        Quiz {
            id: "q".into(),
            prompt: String::new(),
            explanation: String::new(),
            hint: None,
            estimate: None,
            kind,
        }
    }

    #[test]
    fn numeric_answers_within_tolerance_pass() {
        let q = quiz(QuizKind::Numeric {
            answer: 8.76,
            tolerance: 0.1,
            unit: None,
        });
        assert!(q.is_correct(&Answer::Numeric { value: 8.86 }));
        assert!(q.is_correct(&Answer::Numeric { value: 8.7 }));
        assert!(!q.is_correct(&Answer::Numeric { value: 8.9 }));
        assert!(!q.is_correct(&Answer::Numeric { value: f64::NAN }));
    }

    #[test]
    fn multiple_needs_exactly_the_right_set() {
        let q = quiz(QuizKind::Multiple {
            choices: vec!["a".into(); 4],
            answers: vec![0, 2],
        });
        assert!(q.is_correct(&Answer::Multiple {
            choices: vec![2, 0]
        }));
        assert!(!q.is_correct(&Answer::Multiple { choices: vec![0] }));
        assert!(!q.is_correct(&Answer::Multiple {
            choices: vec![0, 1, 2]
        }));
    }

    #[test]
    fn ordering_and_single() {
        let o = quiz(QuizKind::Ordering {
            items: vec!["a".into(), "b".into(), "c".into()],
        });
        assert!(o.is_correct(&Answer::Ordering {
            order: vec![0, 1, 2]
        }));
        assert!(!o.is_correct(&Answer::Ordering {
            order: vec![1, 0, 2]
        }));
        let s = quiz(QuizKind::Single {
            choices: vec!["a".into(), "b".into()],
            answer: 1,
        });
        assert!(s.is_correct(&Answer::Single { choice: 1 }));
        assert!(!s.is_correct(&Answer::Numeric { value: 1.0 }));
    }

    #[test]
    fn initial_order_is_stable_and_never_solved() {
        for len in 2..9 {
            for id in ["a", "design-steps", "zz"] {
                let order = initial_order(id, len);
                assert_eq!(order, initial_order(id, len));
                assert!(order.iter().enumerate().any(|(i, &o)| i != o));
                let mut sorted = order.clone();
                sorted.sort_unstable();
                assert_eq!(sorted, (0..len).collect::<Vec<_>>());
            }
        }
    }
}
