//! A quiz item as the student answers it in the reader: the state of the answer being
//! built, key handling, and the lines it draws as.

use ratatui::text::{Line, Span};

use crate::course::{Quiz, QuizKind};
use crate::estimate::Drawn;
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
    /// Some answer was right, now or in an earlier session. A solved quiz stays solved (see
    /// `progress::QuizRecord`), whatever the latest attempt says.
    pub solved: bool,
    /// A wrong answer was given: the quiz's hint, if it has one, is shown from then on.
    pub missed: bool,
    /// The student asked for the explanation (`x`) before getting the answer right.
    pub explained: bool,
    /// A randomized estimate's numbers for this attempt, and how many draws came before
    /// (with `salt`, the seed of the next one).
    pub drawn: Option<Drawn>,
    pub draws: u64,
    pub salt: u64,
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
        QuizState::with_salt(quiz, saved, 0)
    }

    /// As `new`, with `salt` mixed into the seeds of a randomized estimate's draws: the
    /// review passes the time, so each review shows other numbers; tests pass a constant.
    pub fn with_salt(quiz: &Quiz, saved: Option<&QuizRecord>, salt: u64) -> QuizState {
        let mut state = QuizState {
            cursor: 0,
            draft: fresh_draft(quiz),
            verdict: None,
            solved: false,
            missed: false,
            explained: false,
            drawn: None,
            draws: saved.map_or(0, |r| r.attempts as u64),
            salt,
        };
        state.redraw(quiz);
        if let (Some(record), Some(_)) = (saved, &state.drawn) {
            // The saved answer was to other numbers: start blank, remembering only the
            // standing of the quiz.
            state.solved = record.solved;
            state.missed = !record.correct;
            return state;
        }
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
            state.solved = record.solved;
            state.missed = state.verdict == Some(false);
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

    /// The answer as drafted, or `None` while it is not an answer yet (nothing chosen, no
    /// number): submitting it is refused and counts as no attempt.
    fn answer(&self) -> Option<Answer> {
        match &self.draft {
            Draft::Single(c) => c.map(|choice| Answer::Single { choice }),
            Draft::Multiple(v) => {
                let choices: Vec<usize> = v
                    .iter()
                    .enumerate()
                    .filter(|(_, on)| **on)
                    .map(|(i, _)| i)
                    .collect();
                (!choices.is_empty()).then_some(Answer::Multiple { choices })
            }
            Draft::Numeric(s) => parse_number(s).ok().map(|value| Answer::Numeric { value }),
            Draft::Ordering { order, .. } => Some(Answer::Ordering {
                order: order.clone(),
            }),
        }
    }

    fn changed(&mut self) -> QuizOutcome {
        self.verdict = None;
        QuizOutcome::Changed
    }

    /// New numbers for a randomized estimate (nothing for other quizzes).
    fn redraw(&mut self, quiz: &Quiz) {
        let Some(estimate) = &quiz.estimate else {
            return;
        };
        let id = quiz.id.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
        });
        let seed = id ^ self.salt.rotate_left(17) ^ self.draws.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        self.drawn = estimate.draw(seed).ok();
        self.draws += 1;
    }

    /// Before the first key of a new attempt at a randomized estimate: new numbers, and
    /// the verdict on the old ones cleared. Returns whether it drew.
    pub fn new_attempt(&mut self, quiz: &Quiz) -> bool {
        if quiz.estimate.is_none() || self.verdict.is_none() {
            return false;
        }
        self.redraw(quiz);
        self.verdict = None;
        self.explained = false;
        self.draft = fresh_draft(quiz);
        true
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
                let correct = match (&quiz.estimate, &self.drawn, &answer) {
                    (Some(e), Some(d), Answer::Numeric { value }) => e.is_correct(d, *value),
                    _ => quiz.is_correct(&answer),
                };
                self.verdict = Some(correct);
                self.solved |= correct;
                self.missed |= !correct;
                QuizOutcome::Submitted(answer, correct)
            }
            None => QuizOutcome::Unchanged,
        }
    }

    /// `x`: show the explanation now, without a right answer first.
    pub fn explain(&mut self) -> QuizOutcome {
        if self.explained {
            return QuizOutcome::Unchanged;
        }
        self.explained = true;
        QuizOutcome::Changed
    }

    /// Whether the hint is on screen: after a wrong answer, until the answer is right.
    pub fn shows_hint(&self, quiz: &Quiz) -> bool {
        quiz.hint.is_some() && self.missed && self.verdict != Some(true)
    }

    /// Whether the explanation is on screen: after a right answer, on request, or after a
    /// wrong answer to a quiz with no hint to offer first.
    pub fn shows_explanation(&self, quiz: &Quiz) -> bool {
        self.verdict == Some(true)
            || self.explained
            || (self.verdict == Some(false) && quiz.hint.is_none())
    }

    /// Why Enter did nothing, for the footer.
    pub fn missing_input(&self) -> Option<String> {
        match &self.draft {
            Draft::Single(None) => Some("choose an answer first (1-9 or Space)".into()),
            Draft::Multiple(on) if !on.contains(&true) => {
                Some("choose at least one answer first (1-9 or Space)".into())
            }
            Draft::Numeric(s) if s.trim().is_empty() => Some("type a number first".into()),
            Draft::Numeric(s) => parse_number(s).err().map(|e| e.to_string()),
            _ => None,
        }
    }

    /// What the quiz header says after the quiz number: the verdict on the latest answer,
    /// and whether the quiz was solved before.
    pub fn status(&self) -> &'static str {
        match (self.verdict, self.solved) {
            (Some(true), _) => " ✓",
            (Some(false), true) => " ✓ solved earlier · latest answer ✗",
            (Some(false), false) => " ✗",
            (None, true) => " ✓ solved earlier",
            (None, false) => "",
        }
    }

    /// The lines of the interactive part: choices, input, verdict. The prompt and the
    /// explanation are Markdown, laid out once by the document and passed in.
    pub fn lines(
        &self,
        quiz: &Quiz,
        focused: bool,
        explanation: &[Line<'static>],
        hint: &[Line<'static>],
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
                if let (Some(e), Some(d)) = (&quiz.estimate, &self.drawn) {
                    let given = format!("Given: {}", crate::markdown::sanitize(&e.given(d)));
                    let room = width.saturating_sub(4).max(8);
                    for (n, part) in textwrap::wrap(&given, room).into_iter().enumerate() {
                        let lead = if n == 0 { "  " } else { "    " };
                        out.push(Line::from(Span::styled(
                            format!("{lead}{part}"),
                            theme.accent(),
                        )));
                    }
                }
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
                // Separators and exponents are read for the student: show the number taken.
                if let Ok(value) = parse_number(s)
                    && s.contains([',', 'e', 'E'])
                {
                    spans.push(Span::styled(format!("  reads as {value}"), theme.dim()));
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
        let say = |out: &mut Vec<Line<'static>>, text: &str, style| {
            let room = width.saturating_sub(4).max(8);
            for (n, part) in textwrap::wrap(text, room).into_iter().enumerate() {
                let lead = if n == 0 { "  " } else { "    " };
                out.push(Line::from(Span::styled(format!("{lead}{part}"), style)));
            }
        };
        match (self.verdict, self.solved) {
            (Some(true), _) => say(&mut out, "✓ Correct.", theme.good()),
            (Some(false), solved) => {
                say(
                    &mut out,
                    "✗ Not quite. Change your answer and press Enter to try again.",
                    theme.bad(),
                );
                if solved {
                    say(
                        &mut out,
                        "✓ You solved this quiz earlier, and that still counts.",
                        theme.good(),
                    );
                }
            }
            (None, true) => say(
                &mut out,
                "✓ You solved this quiz earlier; another answer is a free try.",
                theme.good(),
            ),
            (None, false) => {}
        }
        if self.shows_hint(quiz) {
            say(&mut out, "Hint:", theme.accent());
            out.extend(hint.iter().cloned());
        }
        if self.shows_explanation(quiz) {
            if let (Some(d), QuizKind::Numeric { unit, .. }) = (&self.drawn, &quiz.kind) {
                let unit = unit.as_deref().map(|u| format!(" {u}")).unwrap_or_default();
                say(
                    &mut out,
                    &format!(
                        "For these numbers the answer is {}{unit}. Change your answer for new numbers.",
                        crate::estimate::show_answer(d.answer)
                    ),
                    theme.good(),
                );
            }
            out.extend(explanation.iter().cloned());
        } else if self.verdict == Some(false) {
            say(&mut out, "(x shows the explanation)", theme.dim());
        }
        out
    }
}

/// The footer's word after a submitted answer.
pub fn quiz_flash(correct: bool, solved: bool, has_hint: bool) -> &'static str {
    match (correct, solved, has_hint) {
        (true, _, _) => "Correct!",
        (false, true, _) => "Not quite; you solved this quiz earlier, and that still counts.",
        (false, false, true) => "Not quite; read the hint and try again (x shows the explanation).",
        (false, false, false) => "Not quite; read the explanation and try again.",
    }
}

/// Why typed text is not taken as a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumberError {
    NotANumber,
    /// One comma followed by exactly three digits, as in `8,000` or `1,500`: eight thousand
    /// with a thousands separator, or eight with a decimal comma. Guessing either way grades
    /// someone wrongly, so the student is asked to write it plainly.
    Ambiguous {
        whole: String,
        after: String,
    },
}

impl std::fmt::Display for NumberError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NumberError::NotANumber => {
                write!(
                    f,
                    "that is not a number: write it like 43.2, 1250000 or 4.3e1"
                )
            }
            NumberError::Ambiguous { whole, after } => {
                let whole = whole.trim_start_matches('-');
                write!(
                    f,
                    "{whole},{after} is ambiguous: type {whole}{after} (thousands) or \
                     {whole}.{after} (decimal)"
                )
            }
        }
    }
}

/// A number as people type it: `43.2`, `4.38e1`, `1,250,000` or `1,250.5` (thousands
/// separators), `43,2` or `0,008` (a decimal comma). A lone comma before exactly three digits
/// (`8,000`, `2,500`) could be either and is refused as ambiguous, unless the part before it
/// is `0` (`0,500` is a half: a thousands group never follows a leading zero).
pub fn parse_number(text: &str) -> Result<f64, NumberError> {
    let s = text.trim();
    let unsigned = s.strip_prefix('-').unwrap_or(s);
    let mantissa = unsigned.split(['e', 'E']).next().unwrap_or(unsigned);
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let normalised = match mantissa.matches(',').count() {
        0 => s.to_string(),
        1 if !mantissa.contains('.') => {
            let (whole, after) = mantissa.split_once(',').unwrap_or((mantissa, ""));
            if !digits(whole) || !digits(after) {
                return Err(NumberError::NotANumber);
            }
            if after.len() == 3 && whole.len() <= 3 && !whole.starts_with('0') {
                return Err(NumberError::Ambiguous {
                    whole: whole.to_string(),
                    after: after.to_string(),
                });
            }
            s.replacen(',', ".", 1)
        }
        _ => {
            // Thousands groups: 1-3 digits, then groups of exactly 3, then maybe a fraction.
            let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
            let groups: Vec<&str> = whole.split(',').collect();
            let grouped = (1..=3).contains(&groups[0].len())
                && !(groups[0].starts_with('0'))
                && groups[1..].iter().all(|g| g.len() == 3)
                && groups.iter().all(|g| digits(g))
                && fraction.bytes().all(|b| b.is_ascii_digit());
            if !grouped {
                return Err(NumberError::NotANumber);
            }
            s.replace(',', "")
        }
    };
    // Rust's float grammar, minus the words it also accepts (`inf`, `NaN`).
    if normalised.contains(|c: char| c.is_ascii_alphabetic() && c != 'e' && c != 'E') {
        return Err(NumberError::NotANumber);
    }
    normalised
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or(NumberError::NotANumber)
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
            ("x", "explain"),
            ("Tab", "next quiz"),
            ("Esc", "leave quiz"),
        ],
        QuizKind::Multiple { .. } => &[
            ("↑↓", "move"),
            ("1-9/Space", "toggle"),
            ("Enter", "submit"),
            ("x", "explain"),
            ("Tab", "next quiz"),
            ("Esc", "leave quiz"),
        ],
        QuizKind::Numeric { .. } => &[
            ("0-9 . -", "type"),
            ("Backspace", "erase"),
            ("Enter", "submit"),
            ("x", "explain"),
            ("Tab", "next quiz"),
            ("Esc", "leave quiz"),
        ],
        QuizKind::Ordering { .. } => &[
            ("↑↓", "move"),
            ("Space", "grab/drop"),
            ("Enter", "submit"),
            ("x", "explain"),
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
            hint: None,
            estimate: None,
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

    fn text_of(s: &QuizState, q: &Quiz) -> String {
        let hint = [Line::from("HINT-TEXT")];
        let explanation = [Line::from("EXPLANATION-TEXT")];
        s.lines(q, true, &explanation, &hint, 60, &Theme::MONO)
            .iter()
            .map(|l| l.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn a_wrong_answer_shows_the_hint_and_the_explanation_waits() {
        let mut q = single();
        q.hint = Some("h".into());
        let mut s = QuizState::new(&q, None);
        s.digit(1, 3);
        s.submit(&q);
        let shown = text_of(&s, &q);
        assert!(shown.contains("HINT-TEXT"), "{shown}");
        assert!(!shown.contains("EXPLANATION-TEXT"), "{shown}");
        assert!(shown.contains("x shows the explanation"), "{shown}");
        // Retrying keeps the hint in view.
        s.digit(3, 3);
        assert!(text_of(&s, &q).contains("HINT-TEXT"));
        // Asking for the explanation shows it, hint still there.
        assert_eq!(s.explain(), QuizOutcome::Changed);
        assert_eq!(s.explain(), QuizOutcome::Unchanged);
        let shown = text_of(&s, &q);
        assert!(shown.contains("EXPLANATION-TEXT") && shown.contains("HINT-TEXT"));
        // A right answer: the explanation, and the hint has done its job.
        s.digit(2, 3);
        assert!(matches!(s.submit(&q), QuizOutcome::Submitted(_, true)));
        let shown = text_of(&s, &q);
        assert!(shown.contains("EXPLANATION-TEXT") && !shown.contains("HINT-TEXT"));
    }

    #[test]
    fn no_hint_before_a_wrong_answer_and_none_to_show_without_one() {
        let mut q = single();
        q.hint = Some("h".into());
        let mut s = QuizState::new(&q, None);
        assert!(!text_of(&s, &q).contains("HINT-TEXT"));
        s.digit(2, 3);
        s.submit(&q);
        assert!(!text_of(&s, &q).contains("HINT-TEXT"), "right first time");
        // A quiz without a hint explains a wrong answer at once, as before.
        let q = single();
        let mut s = QuizState::new(&q, None);
        s.digit(1, 3);
        s.submit(&q);
        let shown = text_of(&s, &q);
        assert!(shown.contains("EXPLANATION-TEXT") && !shown.contains("HINT-TEXT"));
        // A wrong answer saved earlier brings the hint back after a relaunch.
        let mut hinted = single();
        hinted.hint = Some("h".into());
        let record = QuizRecord::answered(None, Answer::Single { choice: 0 }, false);
        let again = QuizState::new(&hinted, Some(&record));
        assert!(text_of(&again, &hinted).contains("HINT-TEXT"));
    }

    #[test]
    fn ordering_moves_grabbed_item() {
        let q = Quiz {
            id: "o".into(),
            prompt: "p".into(),
            explanation: "e".into(),
            hint: None,
            estimate: None,
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
        assert_eq!(parse_number("43.2"), Ok(43.2));
        assert_eq!(parse_number("43,2"), Ok(43.2));
        assert_eq!(parse_number("1,250,000"), Ok(1_250_000.0));
        assert_eq!(parse_number("-1,250.5"), Ok(-1250.5));
        assert_eq!(parse_number("4.38e1"), Ok(43.8));
        assert_eq!(parse_number("4,38e1"), Ok(43.8));
        assert_eq!(parse_number("1,2,3"), Err(NumberError::NotANumber));
        assert_eq!(parse_number("abc"), Err(NumberError::NotANumber));
        assert_eq!(parse_number("inf"), Err(NumberError::NotANumber));
        assert_eq!(parse_number("1.250,5"), Err(NumberError::NotANumber));
    }

    #[test]
    fn a_lone_comma_before_three_digits_is_refused() {
        // The cases: `0,008` was taken as 8 and `0,500` as 500.
        assert_eq!(parse_number("0,008"), Ok(0.008));
        assert_eq!(parse_number("0,500"), Ok(0.5));
        let err = parse_number("8,000").unwrap_err();
        assert_eq!(
            err.to_string(),
            "8,000 is ambiguous: type 8000 (thousands) or 8.000 (decimal)"
        );
        assert!(parse_number("-2,500").is_err());
        // Other grouping makes it clear.
        assert_eq!(parse_number("12,345,678"), Ok(12_345_678.0));
        assert_eq!(parse_number("8,000.5"), Ok(8000.5));
        assert_eq!(parse_number("1234,567"), Ok(1234.567));
    }

    #[test]
    fn an_empty_multiple_choice_answer_is_refused() {
        let q = Quiz {
            id: "m".into(),
            prompt: "p".into(),
            explanation: "e".into(),
            hint: None,
            estimate: None,
            kind: QuizKind::Multiple {
                choices: vec!["a".into(), "b".into()],
                answers: vec![0],
            },
        };
        let mut s = QuizState::new(&q, None);
        assert_eq!(s.submit(&q), QuizOutcome::Unchanged);
        assert_eq!(s.verdict, None, "no verdict, so no explanation");
        assert_eq!(
            s.missing_input().as_deref(),
            Some("choose at least one answer first (1-9 or Space)")
        );
        s.toggle();
        s.toggle();
        assert_eq!(s.submit(&q), QuizOutcome::Unchanged, "toggled off again");
        s.digit(1, 2);
        assert!(matches!(s.submit(&q), QuizOutcome::Submitted(_, true)));
    }

    #[test]
    fn a_solved_quiz_stays_solved_after_a_wrong_answer() {
        let q = Quiz {
            id: "n".into(),
            prompt: "p".into(),
            explanation: "e".into(),
            hint: None,
            estimate: None,
            kind: QuizKind::Numeric {
                answer: 8.0,
                tolerance: 0.0,
                unit: None,
            },
        };
        let theme = Theme::MONO;
        let mut s = QuizState::new(&q, None);
        s.digit(8, 0);
        assert!(matches!(s.submit(&q), QuizOutcome::Submitted(_, true)));
        for c in "000".chars() {
            s.digit(c.to_digit(10).unwrap(), 0);
        }
        assert_eq!(s.status(), " ✓ solved earlier");
        assert!(matches!(s.submit(&q), QuizOutcome::Submitted(_, false)));
        assert_eq!(s.status(), " ✓ solved earlier · latest answer ✗");
        let text: Vec<String> = s
            .lines(&q, true, &[], &[], 60, &theme)
            .iter()
            .map(|l| l.to_string())
            .collect();
        assert!(text.iter().any(|l| l.contains("✗ Not quite")), "{text:?}");
        assert!(
            text.iter().any(|l| l.contains("solved this quiz earlier")),
            "{text:?}"
        );

        // After a relaunch, from the saved record: the same on screen.
        let record = crate::progress::QuizRecord::answered(
            Some(&crate::progress::QuizRecord::answered(
                None,
                Answer::Numeric { value: 8.0 },
                true,
            )),
            Answer::Numeric { value: 8000.0 },
            false,
        );
        let again = QuizState::new(&q, Some(&record));
        assert_eq!(again.status(), s.status());
        assert_eq!(again.draft, Draft::Numeric("8000".into()));
    }

    #[test]
    fn numeric_typing() {
        let q = Quiz {
            id: "n".into(),
            prompt: "p".into(),
            explanation: "e".into(),
            hint: None,
            estimate: None,
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
        assert_eq!(s.missing_input().as_deref(), Some("type a number first"));
    }
}
