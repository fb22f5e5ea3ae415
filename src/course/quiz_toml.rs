//! A `[[quiz]]` as the lesson file spells it (`sysdesign schema lesson` is generated from
//! these types) and the model's [`Quiz`] built from it.

use schemars::JsonSchema;
use serde::Deserialize;

use super::lesson_toml::{ID, NOT_BLANK};
use super::model::{Quiz, QuizKind};
use super::ordered_table::OrderedTable;
use crate::estimate::{Estimate, Param, expr};

/// The step of an estimate parameter that does not give one.
pub const DEFAULT_STEP: f64 = 1.0;

/// One parameter of a randomized estimate: `{ min, max, step, label }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EstimateParam {
    pub min: f64,
    pub max: f64,
    /// Draws are multiples of `step` from `min`.
    #[serde(default)]
    pub step: Option<f64>,
    /// What the number is, shown in the quiz's "Given" line.
    #[schemars(regex(pattern = NOT_BLANK))]
    pub label: String,
}

impl EstimateParam {
    pub fn into_param(self, name: String) -> Param {
        Param {
            name,
            label: self.label,
            min: self.min,
            max: self.max,
            step: self.step.unwrap_or(DEFAULT_STEP),
        }
    }
}

/// One `[[quiz]]`; `type` decides which keys it takes.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "lowercase", deny_unknown_fields)]
pub enum QuizTable {
    /// One right choice among 2 to 9.
    Single {
        #[schemars(regex(pattern = ID))]
        id: String,
        /// Markdown.
        #[schemars(regex(pattern = NOT_BLANK))]
        prompt: String,
        /// Markdown: why the right answer is right. Shown after answering.
        #[schemars(regex(pattern = NOT_BLANK))]
        explanation: String,
        /// Markdown: shown after a first wrong answer, before the student retries.
        #[serde(default)]
        #[schemars(regex(pattern = NOT_BLANK))]
        hint: Option<String>,
        /// 2 to 9 choices.
        #[schemars(length(min = 2, max = 9))]
        choices: Vec<String>,
        /// The right choice, counting from 1.
        #[schemars(range(min = 1, max = 9))]
        answer: u32,
    },
    /// Several right choices among 2 to 9.
    Multiple {
        #[schemars(regex(pattern = ID))]
        id: String,
        /// Markdown.
        #[schemars(regex(pattern = NOT_BLANK))]
        prompt: String,
        /// Markdown: why the right answers are right.
        #[schemars(regex(pattern = NOT_BLANK))]
        explanation: String,
        /// Markdown: shown after a first wrong answer, before the student retries.
        #[serde(default)]
        #[schemars(regex(pattern = NOT_BLANK))]
        hint: Option<String>,
        /// 2 to 9 choices.
        #[schemars(length(min = 2, max = 9))]
        choices: Vec<String>,
        /// The right choices, counting from 1; each once.
        #[schemars(length(min = 1), inner(range(min = 1, max = 9)))]
        answers: Vec<u32>,
    },
    /// A number, right within a tolerance.
    Numeric {
        #[schemars(regex(pattern = ID))]
        id: String,
        /// Markdown.
        #[schemars(regex(pattern = NOT_BLANK))]
        prompt: String,
        /// Markdown: how to get the number.
        #[schemars(regex(pattern = NOT_BLANK))]
        explanation: String,
        /// Markdown: shown after a first wrong answer, before the student retries.
        #[serde(default)]
        #[schemars(regex(pattern = NOT_BLANK))]
        hint: Option<String>,
        /// The right number. A randomized estimate gives `formula` instead.
        #[serde(default)]
        answer: Option<f64>,
        /// Accepted distance from `answer` (absolute), zero or more.
        #[serde(default)]
        #[schemars(range(min = 0))]
        tolerance: Option<f64>,
        /// A randomized estimate: the answer as a formula (`+ - * / ^`, parentheses) of
        /// `params`, drawn anew for every attempt and review.
        #[serde(default)]
        formula: Option<String>,
        /// The parameters the formula uses, each drawn from its range.
        #[serde(default)]
        params: Option<OrderedTable<EstimateParam>>,
        /// `[lowest, highest]`: the range every answer of the formula must stay in.
        #[serde(default)]
        #[schemars(length(min = 2, max = 2))]
        bounds: Option<Vec<f64>>,
        /// Accepted distance from the computed answer, in percent of it (0 to 100).
        #[serde(default)]
        #[schemars(range(min = 0, max = 100))]
        tolerance_percent: Option<f64>,
        /// Shown after the input box, e.g. "req/s".
        #[serde(default)]
        unit: Option<String>,
    },
    /// Put 2 to 9 items in order; the student sees them shuffled.
    Ordering {
        #[schemars(regex(pattern = ID))]
        id: String,
        /// Markdown.
        #[schemars(regex(pattern = NOT_BLANK))]
        prompt: String,
        /// Markdown: why this order.
        #[schemars(regex(pattern = NOT_BLANK))]
        explanation: String,
        /// Markdown: shown after a first wrong answer, before the student retries.
        #[serde(default)]
        #[schemars(regex(pattern = NOT_BLANK))]
        hint: Option<String>,
        /// The items in the right order.
        #[schemars(length(min = 2, max = 9))]
        items: Vec<String>,
    },
}

impl QuizTable {
    pub fn id(&self) -> &str {
        match self {
            QuizTable::Single { id, .. }
            | QuizTable::Multiple { id, .. }
            | QuizTable::Numeric { id, .. }
            | QuizTable::Ordering { id, .. } => id,
        }
    }

    /// The model's quiz: answers counted from 0, a randomized estimate's formula parsed.
    /// The lesson checks have already reported every problem with its location, so an error
    /// here means they and this reading disagree.
    pub fn into_quiz(self) -> Result<Quiz, String> {
        let (id, prompt, explanation, hint, kind, estimate) = match self {
            QuizTable::Single {
                id,
                prompt,
                explanation,
                hint,
                choices,
                answer,
            } => {
                let answer = choice_index(answer, choices.len())?;
                let kind = QuizKind::Single { choices, answer };
                (id, prompt, explanation, hint, kind, None)
            }
            QuizTable::Multiple {
                id,
                prompt,
                explanation,
                hint,
                choices,
                answers,
            } => {
                let mut picked = answers
                    .into_iter()
                    .map(|a| choice_index(a, choices.len()))
                    .collect::<Result<Vec<_>, _>>()?;
                picked.sort_unstable();
                let kind = QuizKind::Multiple {
                    choices,
                    answers: picked,
                };
                (id, prompt, explanation, hint, kind, None)
            }
            QuizTable::Numeric {
                id,
                prompt,
                explanation,
                hint,
                formula: Some(formula),
                params,
                bounds,
                tolerance_percent,
                unit,
                ..
            } => {
                let (estimate, kind) = estimate(
                    formula,
                    params.unwrap_or_default(),
                    bounds,
                    tolerance_percent,
                    unit,
                )?;
                (id, prompt, explanation, hint, kind, Some(estimate))
            }
            QuizTable::Numeric {
                id,
                prompt,
                explanation,
                hint,
                formula: None,
                answer,
                tolerance,
                unit,
                ..
            } => {
                let (Some(answer), Some(tolerance)) = (answer, tolerance) else {
                    return Err(format!(
                        "numeric quiz `{id}` needs `answer` and `tolerance`"
                    ));
                };
                let kind = QuizKind::Numeric {
                    answer,
                    tolerance: tolerance.max(0.0),
                    unit,
                };
                (id, prompt, explanation, hint, kind, None)
            }
            QuizTable::Ordering {
                id,
                prompt,
                explanation,
                hint,
                items,
            } => (
                id,
                prompt,
                explanation,
                hint,
                QuizKind::Ordering { items },
                None,
            ),
        };
        Ok(Quiz {
            id,
            prompt,
            explanation,
            hint,
            kind,
            estimate,
        })
    }
}

/// A 1-based choice number as an index into `count` choices.
fn choice_index(number: u32, count: usize) -> Result<usize, String> {
    (number as usize)
        .checked_sub(1)
        .filter(|&i| i < count)
        .ok_or_else(|| format!("answer {number} is out of range; there are {count} choices"))
}

/// The estimate with everything the lesson checks already proved: the formula parses and,
/// over every parameter's range, evaluates inside its bounds.
pub fn estimate_of(
    formula: expr::Expr,
    formula_text: String,
    params: Vec<Param>,
    bounds: (f64, f64),
    tolerance_percent: f64,
) -> Estimate {
    Estimate {
        params,
        formula,
        formula_text,
        bounds,
        tolerance_percent: tolerance_percent.clamp(0.0, 100.0),
    }
}

/// A randomized numeric quiz: its estimate, and the numeric kind it stands for (the
/// answer at every parameter's minimum).
fn estimate(
    formula: String,
    params: OrderedTable<EstimateParam>,
    bounds: Option<Vec<f64>>,
    tolerance_percent: Option<f64>,
    unit: Option<String>,
) -> Result<(Estimate, QuizKind), String> {
    let parsed = expr::parse(&formula).map_err(|e| format!("`formula` does not parse: {e}"))?;
    let Some(&[lowest, highest]) = bounds.as_deref() else {
        return Err("`bounds` must be two numbers: [lowest, highest]".into());
    };
    let tolerance_percent =
        tolerance_percent.ok_or("a `formula` needs `tolerance_percent`".to_string())?;
    let params = params
        .0
        .into_iter()
        .map(|(name, p)| p.into_param(name))
        .collect();
    let estimate = estimate_of(
        parsed,
        formula,
        params,
        (lowest, highest),
        tolerance_percent,
    );
    let at_minimum: Vec<f64> = estimate.params.iter().map(|p| p.min).collect();
    let answer = estimate
        .answer_for(&at_minimum)
        .map_err(|e| format!("`formula` at the parameters' minimums: {e}"))?;
    let kind = QuizKind::Numeric {
        answer,
        tolerance: estimate.tolerance(answer),
        unit,
    };
    Ok((estimate, kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quiz(text: &str) -> Result<Quiz, String> {
        let head = "id = \"q\"\nprompt = \"P\"\nexplanation = \"E\"\n";
        toml::from_str::<QuizTable>(&format!("{head}{text}"))
            .map_err(|e| e.to_string())?
            .into_quiz()
    }

    #[test]
    fn answers_count_from_zero_in_the_model() {
        let single =
            quiz("type = \"single\"\nchoices = [\"a\", \"b\", \"c\"]\nanswer = 3").unwrap();
        assert_eq!(
            single.kind,
            QuizKind::Single {
                choices: vec!["a".into(), "b".into(), "c".into()],
                answer: 2
            }
        );
        let multiple =
            quiz("type = \"multiple\"\nchoices = [\"a\", \"b\", \"c\"]\nanswers = [3, 1]").unwrap();
        assert!(matches!(multiple.kind, QuizKind::Multiple { answers, .. } if answers == [0, 2]));
    }

    #[test]
    fn a_numeric_quiz_takes_an_integer_answer_as_a_number() {
        let q = quiz("type = \"numeric\"\nanswer = 12\ntolerance = 0.5\nunit = \"ms\"").unwrap();
        assert_eq!(
            q.kind,
            QuizKind::Numeric {
                answer: 12.0,
                tolerance: 0.5,
                unit: Some("ms".into())
            }
        );
        assert_eq!(q.estimate, None);
    }

    #[test]
    fn an_estimate_keeps_its_parameters_in_file_order() {
        let q = quiz(
            "type = \"numeric\"\nformula = \"zeta * alpha\"\nbounds = [1, 1000]\n\
             tolerance_percent = 10\n\
             params = { zeta = { min = 2, max = 9, label = \"Z\" }, alpha = { min = 3, max = 9, step = 3, label = \"A\" } }",
        )
        .unwrap();
        let estimate = q.estimate.expect("an estimate");
        let names: Vec<&str> = estimate.params.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["zeta", "alpha"]);
        assert_eq!(estimate.params[0].step, DEFAULT_STEP);
        assert_eq!(estimate.params[1].step, 3.0);
        assert_eq!(estimate.bounds, (1.0, 1000.0));
        // The model's numeric answer is the one at every parameter's minimum: 2 × 3.
        assert!(matches!(q.kind, QuizKind::Numeric { answer, tolerance, .. }
            if answer == 6.0 && (tolerance - 0.6).abs() < 1e-12));
    }

    #[test]
    fn what_the_checks_would_have_refused_is_an_error_not_a_panic() {
        for text in [
            "type = \"single\"\nchoices = [\"a\", \"b\"]\nanswer = 0",
            "type = \"single\"\nchoices = [\"a\", \"b\"]\nanswer = 3",
            "type = \"multiple\"\nchoices = [\"a\", \"b\"]\nanswers = [0]",
            "type = \"numeric\"\nanswer = 1",
            "type = \"numeric\"\nformula = \"x +\"\nbounds = [0, 1]\ntolerance_percent = 1",
            "type = \"numeric\"\nformula = \"x\"\nbounds = [0]\ntolerance_percent = 1",
            "type = \"numeric\"\nformula = \"x\"\nbounds = [0, 1]",
            "type = \"numeric\"\nformula = \"x / y\"\nbounds = [0, 1]\ntolerance_percent = 1\n\
             params = { x = { min = 1, max = 2, label = \"X\" }, y = { min = 0, max = 2, label = \"Y\" } }",
        ] {
            assert!(quiz(text).is_err(), "{text}");
        }
    }
}
