//! A quiz item as the student answers it in the reader: the state of the answer being
//! built, key handling, and the lines it draws as.

use ratatui::text::{Line, Span};

use crate::course::{Quiz, QuizKind};
use crate::grade::quiz::{Answer, initial_order};
use crate::progress::QuizRecord;
use crate::theme::Theme;

#[derive(Debug, Clone, PartialEq)]
pub struct QuizState {
    /// The highlighted row (choice or item).
    pub cursor: usize,
    pub draft: Draft,
    /// Set when the student submits; cleared when they change the answer to retry.
    pub verdict: Option<bool>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Draft {
    Single(Option<usize>),
    Multiple(Vec<bool>),
    Numeric(String),
    /// Item indices (in the right order's numbering) as currently arranged; `grabbed` is
    /// true while the item under the cursor moves with it.
    Ordering {
        order: Vec<usize>,
        grabbed: bool,
    },
}

/// What a key did to a quiz.
#[derive(Debug, Clone, PartialEq)]
pub enum QuizOutcome {
    Unchanged,
    Changed,
    Submitted(Answer, bool),
}

impl QuizState {
    pub fn new(quiz: &Quiz, saved: Option<&QuizRecord>) -> QuizState {
        let mut state = QuizState {
            cursor: 0,
            draft: fresh_draft(quiz),
            verdict: None,
        };
        if let Some(record) = saved {
            state.draft = match (&record.answer, &quiz.kind) {
                (Answer::Single { choice }, QuizKind::Single { .. }) => {
                    Draft::Single(Some(*choice))
                }
                (Answer::Multiple { choices }, QuizKind::Multiple { choices: all, .. }) => {
                    Draft::Multiple((0..all.len()).map(|i| choices.contains(&i)).collect())
                }
                (Answer::Numeric { value }, QuizKind::Numeric { .. }) => {
                    Draft::Numeric(value.to_string())
                }
                (Answer::Ordering { order }, QuizKind::Ordering { items })
                    if order.len() == items.len() =>
                {
                    Draft::Ordering {
                        order: order.clone(),
                        grabbed: false,
                    }
                }
                _ => state.draft,
            };
            state.verdict = Some(quiz.is_correct(&record.answer));
        }
        state
    }

    fn rows(&self) -> usize {
        match &self.draft {
            Draft::Single(_) | Draft::Numeric(_) => 0,
            Draft::Multiple(v) => v.len(),
            Draft::Ordering { order, .. } => order.len(),
        }
    }

    fn answer(&self) -> Option<Answer> {
        match &self.draft {
            Draft::Single(c) => c.map(|choice| Answer::Single { choice }),
            Draft::Multiple(v) => Some(Answer::Multiple {
                choices: v
                    .iter()
                    .enumerate()
                    .filter(|(_, on)| **on)
                    .map(|(i, _)| i)
                    .collect(),
            }),
            Draft::Numeric(s) => parse_number(s).map(|value| Answer::Numeric { value }),
            Draft::Ordering { order, .. } => Some(Answer::Ordering {
                order: order.clone(),
            }),
        }
    }

    fn changed(&mut self) -> QuizOutcome {
        self.verdict = None;
        QuizOutcome::Changed
    }

    pub fn up(&mut self, choices: usize) -> QuizOutcome {
        self.move_cursor(choices, -1)
    }
    pub fn down(&mut self, choices: usize) -> QuizOutcome {
        self.move_cursor(choices, 1)
    }

    fn move_cursor(&mut self, choices: usize, delta: isize) -> QuizOutcome {
        let rows = match &self.draft {
            Draft::Single(_) => choices,
            _ => self.rows(),
        };
        if rows == 0 {
            return QuizOutcome::Unchanged;
        }
        let next = (self.cursor as isize + delta).clamp(0, rows as isize - 1) as usize;
        if next == self.cursor {
            return QuizOutcome::Unchanged;
        }
        if let Draft::Ordering {
            order,
            grabbed: true,
        } = &mut self.draft
        {
            order.swap(self.cursor, next);
            self.cursor = next;
            return self.changed();
        }
        self.cursor = next;
        QuizOutcome::Changed
    }

    /// Space: choose, toggle, or grab/drop an item.
    pub fn toggle(&mut self) -> QuizOutcome {
        match &mut self.draft {
            Draft::Single(c) => *c = Some(self.cursor),
            Draft::Multiple(v) => {
                if let Some(on) = v.get_mut(self.cursor) {
                    *on = !*on;
                }
            }
            Draft::Ordering { grabbed, .. } => {
                *grabbed = !*grabbed;
                return QuizOutcome::Changed;
            }
            Draft::Numeric(_) => return QuizOutcome::Unchanged,
        }
        self.changed()
    }

    /// A digit key picks that choice directly (1-based), or types into a numeric answer.
    pub fn digit(&mut self, d: u32, choices: usize) -> QuizOutcome {
        match &mut self.draft {
            Draft::Numeric(s) => {
                if s.len() < 24 {
                    s.push(char::from_digit(d, 10).unwrap_or('0'));
                }
                self.changed()
            }
            Draft::Single(_) | Draft::Multiple(_) if d >= 1 && (d as usize) <= choices => {
                self.cursor = d as usize - 1;
                self.toggle()
            }
            _ => QuizOutcome::Unchanged,
        }
    }

    /// Other characters of a number: `.`, `-`, `e`.
    pub fn type_char(&mut self, c: char) -> QuizOutcome {
        match &mut self.draft {
            Draft::Numeric(s) if s.len() < 24 && matches!(c, '.' | '-' | 'e' | 'E' | ',') => {
                s.push(c);
                self.changed()
            }
            _ => QuizOutcome::Unchanged,
        }
    }

    pub fn backspace(&mut self) -> QuizOutcome {
        match &mut self.draft {
            Draft::Numeric(s) if !s.is_empty() => {
                s.pop();
                self.changed()
            }
            _ => QuizOutcome::Unchanged,
        }
    }

    pub fn submit(&mut self, quiz: &Quiz) -> QuizOutcome {
        if let Draft::Ordering { grabbed, .. } = &mut self.draft {
            *grabbed = false;
        }
        match self.answer() {
            Some(answer) => {
                let correct = quiz.is_correct(&answer);
                self.verdict = Some(correct);
                QuizOutcome::Submitted(answer, correct)
            }
            None => QuizOutcome::Unchanged,
        }
    }

    /// Why Enter did nothing, for the footer.
    pub fn missing_input(&self) -> Option<&'static str> {
        match &self.draft {
            Draft::Single(None) => Some("choose an answer first (1-9 or Space)"),
            Draft::Numeric(s) if self.answer().is_none() && !s.is_empty() => {
                Some("that is not a number")
            }
            Draft::Numeric(_) if self.answer().is_none() => Some("type a number first"),
            _ => None,
        }
    }

    /// The lines of the interactive part: choices, input, verdict. The prompt and the
    /// explanation are Markdown, laid out once by the document and passed in.
    pub fn lines(
        &self,
        quiz: &Quiz,
        focused: bool,
        explanation: &[Line<'static>],
        width: usize,
        theme: &Theme,
    ) -> Vec<Line<'static>> {
        let mut out = Vec::new();
        // A choice wraps under its own text, after the marker and its number.
        let push_row = |out: &mut Vec<Line<'static>>,
                        marker: Span<'static>,
                        label: String,
                        text: &str,
                        style| {
            let indent = 2 + unicode_width::UnicodeWidthStr::width(label.as_str());
            let room = width.saturating_sub(indent).max(8);
            let text = crate::markdown::sanitize(text);
            for (n, part) in textwrap::wrap(&text, room).into_iter().enumerate() {
                let lead = if n == 0 {
                    vec![marker.clone(), Span::styled(label.clone(), style)]
                } else {
                    vec![Span::raw(" ".repeat(indent))]
                };
                let mut spans = lead;
                spans.push(Span::styled(part.into_owned(), style));
                out.push(Line::from(spans));
            }
        };
        let marker = |row: usize| -> Span<'static> {
            if focused && row == self.cursor {
                Span::styled("▶ ", theme.accent())
            } else {
                Span::raw("  ")
            }
        };
        let row_style = |row: usize| {
            if focused && row == self.cursor {
                theme.selected()
            } else {
                theme.text()
            }
        };
        match (&quiz.kind, &self.draft) {
            (QuizKind::Single { choices, .. }, Draft::Single(chosen)) => {
                for (i, c) in choices.iter().enumerate() {
                    let mark = if *chosen == Some(i) { "(•)" } else { "( )" };
                    push_row(
                        &mut out,
                        marker(i),
                        format!("{mark} {}. ", i + 1),
                        c,
                        row_style(i),
                    );
                }
            }
            (QuizKind::Multiple { choices, .. }, Draft::Multiple(on)) => {
                for (i, c) in choices.iter().enumerate() {
                    let mark = if on.get(i) == Some(&true) {
                        "[x]"
                    } else {
                        "[ ]"
                    };
                    push_row(
                        &mut out,
                        marker(i),
                        format!("{mark} {}. ", i + 1),
                        c,
                        row_style(i),
                    );
                }
            }
            (QuizKind::Numeric { unit, .. }, Draft::Numeric(s)) => {
                let cursor = if focused { "▏" } else { "" };
                let field = format!(" {s}{cursor} ");
                let mut spans = vec![
                    Span::raw("  Answer: "),
                    Span::styled(
                        format!("[{field:<14}]"),
                        if focused {
                            theme.selected()
                        } else {
                            theme.accent()
                        },
                    ),
                ];
                if let Some(u) = unit {
                    spans.push(Span::raw(format!(" {u}")));
                }
                out.push(Line::from(spans));
            }
            (QuizKind::Ordering { items }, Draft::Ordering { order, grabbed }) => {
                for (row, &item) in order.iter().enumerate() {
                    let hold = if focused && *grabbed && row == self.cursor {
                        "≡ "
                    } else {
                        "  "
                    };
                    push_row(
                        &mut out,
                        marker(row),
                        format!("{}. {hold}", row + 1),
                        &items[item],
                        row_style(row),
                    );
                }
            }
            _ => {}
        }
        match self.verdict {
            Some(true) => {
                out.push(Line::from(Span::styled("  ✓ Correct.", theme.good())));
                out.extend(explanation.iter().cloned());
            }
            Some(false) => {
                out.push(Line::from(Span::styled(
                    "  ✗ Not quite. Change your answer and press Enter to try again.",
                    theme.bad(),
                )));
                out.extend(explanation.iter().cloned());
            }
            None => {}
        }
        out
    }
}

/// A number as people type it: `43.2`, `4.38e1`, `1,250,000` (thousands separators), or
/// `43,2` (a decimal comma, when there is one comma and no point).
pub fn parse_number(text: &str) -> Option<f64> {
    let s = text.trim();
    let digits = s.trim_start_matches('-');
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let groups: Vec<&str> = whole.split(',').collect();
    let thousands = groups.len() > 1
        && (1..=3).contains(&groups[0].len())
        && groups[1..].iter().all(|g| g.len() == 3)
        && groups.iter().all(|g| g.chars().all(|c| c.is_ascii_digit()))
        && fraction.chars().all(|c| c.is_ascii_digit());
    let normalised = if thousands {
        s.replace(',', "")
    } else if s.matches(',').count() == 1 && !s.contains('.') {
        s.replace(',', ".")
    } else {
        s.to_string()
    };
    normalised.parse::<f64>().ok().filter(|v| v.is_finite())
}

fn fresh_draft(quiz: &Quiz) -> Draft {
    match &quiz.kind {
        QuizKind::Single { .. } => Draft::Single(None),
        QuizKind::Multiple { choices, .. } => Draft::Multiple(vec![false; choices.len()]),
        QuizKind::Numeric { .. } => Draft::Numeric(String::new()),
        QuizKind::Ordering { items } => Draft::Ordering {
            order: initial_order(&quiz.id, items.len()),
            grabbed: false,
        },
    }
}

/// Keys that work inside a focused quiz, for the footer.
pub fn hints(quiz: &Quiz) -> &'static [(&'static str, &'static str)] {
    match quiz.kind {
        QuizKind::Single { .. } => &[
            ("↑↓", "move"),
            ("1-9/Space", "choose"),
            ("Enter", "submit"),
            ("Tab", "next quiz"),
            ("Esc", "leave quiz"),
        ],
        QuizKind::Multiple { .. } => &[
            ("↑↓", "move"),
            ("1-9/Space", "toggle"),
            ("Enter", "submit"),
            ("Tab", "next quiz"),
            ("Esc", "leave quiz"),
        ],
        QuizKind::Numeric { .. } => &[
            ("0-9 . -", "type"),
            ("Backspace", "erase"),
            ("Enter", "submit"),
            ("Tab", "next quiz"),
            ("Esc", "leave quiz"),
        ],
        QuizKind::Ordering { .. } => &[
            ("↑↓", "move"),
            ("Space", "grab/drop"),
            ("Enter", "submit"),
            ("Tab", "next quiz"),
            ("Esc", "leave quiz"),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn single() -> Quiz {
        Quiz {
            id: "q".into(),
            prompt: "p".into(),
            explanation: "e".into(),
            kind: QuizKind::Single {
                choices: vec!["a".into(), "b".into(), "c".into()],
                answer: 1,
            },
        }
    }

    #[test]
    fn choose_submit_retry() {
        let q = single();
        let mut s = QuizState::new(&q, None);
        assert_eq!(s.submit(&q), QuizOutcome::Unchanged, "nothing chosen yet");
        s.digit(1, 3);
        assert_eq!(
            s.submit(&q),
            QuizOutcome::Submitted(Answer::Single { choice: 0 }, false)
        );
        assert_eq!(s.verdict, Some(false));
        s.down(3);
        s.toggle();
        assert_eq!(s.verdict, None, "changing the answer clears the verdict");
        assert_eq!(
            s.submit(&q),
            QuizOutcome::Submitted(Answer::Single { choice: 1 }, true)
        );
    }

    #[test]
    fn ordering_moves_grabbed_item() {
        let q = Quiz {
            id: "o".into(),
            prompt: "p".into(),
            explanation: "e".into(),
            kind: QuizKind::Ordering {
                items: vec!["a".into(), "b".into(), "c".into()],
            },
        };
        let mut s = QuizState::new(&q, None);
        let Draft::Ordering { order, .. } = s.draft.clone() else {
            panic!()
        };
        s.toggle();
        s.down(0);
        let Draft::Ordering { order: moved, .. } = &s.draft else {
            panic!()
        };
        assert_eq!(moved[1], order[0]);
        assert_eq!(moved[0], order[1]);
    }

    #[test]
    fn numbers_as_people_type_them() {
        assert_eq!(parse_number("43.2"), Some(43.2));
        assert_eq!(parse_number("43,2"), Some(43.2));
        assert_eq!(parse_number("1,250,000"), Some(1_250_000.0));
        assert_eq!(parse_number("-1,250.5"), Some(-1250.5));
        assert_eq!(parse_number("4.38e1"), Some(43.8));
        assert_eq!(parse_number("1,2,3"), None);
        assert_eq!(parse_number("abc"), None);
    }

    #[test]
    fn numeric_typing() {
        let q = Quiz {
            id: "n".into(),
            prompt: "p".into(),
            explanation: "e".into(),
            kind: QuizKind::Numeric {
                answer: 8.76,
                tolerance: 0.1,
                unit: Some("hours".into()),
            },
        };
        let mut s = QuizState::new(&q, None);
        for c in "8.8".chars() {
            match c.to_digit(10) {
                Some(d) => s.digit(d, 0),
                None => s.type_char(c),
            };
        }
        assert!(matches!(s.submit(&q), QuizOutcome::Submitted(_, true)));
        s.backspace();
        s.backspace();
        s.backspace();
        assert_eq!(s.missing_input(), Some("type a number first"));
    }
}
