//! Randomized estimates: a numeric quiz whose numbers are drawn from declared ranges and
//! whose answer is a formula of them. Every attempt draws new numbers from a seed, so tests
//! replay the same ones; the tolerance is a percentage of the computed answer.

pub mod expr;

use expr::{EvalError, Expr};

use crate::sim::rng::Rng;

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The name the formula uses.
    pub name: String,
    /// What the student is told the number is, e.g. "daily active users (millions)".
    pub label: String,
    pub min: f64,
    pub max: f64,
    /// Drawn values are `min + k × step`, never above `max`.
    pub step: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    pub params: Vec<Param>,
    pub formula: Expr,
    /// The formula as written, for messages.
    pub formula_text: String,
    /// Every drawn answer must lie in `[bounds.0, bounds.1]`; `check` proves it.
    pub bounds: (f64, f64),
    /// Accepted error, in percent of the computed answer.
    pub tolerance_percent: f64,
}

/// One draw: a value per parameter (in `Estimate::params` order) and the answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Drawn {
    pub values: Vec<f64>,
    pub answer: f64,
}

/// How many seeded draws `problems` tries besides every corner of the ranges.
const CHECK_DRAWS: u64 = 256;

impl Estimate {
    /// The draw for `seed`. Errors only for a formula `problems` would reject.
    pub fn draw(&self, seed: u64) -> Result<Drawn, EvalError> {
        let values = self.values_for_seed(seed);
        let answer = self.answer_for(&values)?;
        Ok(Drawn { values, answer })
    }

    pub fn answer_for(&self, values: &[f64]) -> Result<f64, EvalError> {
        self.formula.eval(&|name| {
            self.params
                .iter()
                .position(|p| p.name == name)
                .and_then(|i| values.get(i).copied())
        })
    }

    /// The absolute tolerance for a computed answer.
    pub fn tolerance(&self, answer: f64) -> f64 {
        answer.abs() * self.tolerance_percent / 100.0
    }

    pub fn is_correct(&self, drawn: &Drawn, value: f64) -> bool {
        value.is_finite()
            && (value - drawn.answer).abs()
                <= self.tolerance(drawn.answer) + f64::EPSILON * drawn.answer.abs().max(1.0)
    }

    /// What is wrong with the formula over its ranges: a name that is no parameter, a
    /// division by zero, no finite value, or an answer outside `bounds`. It is evaluated at
    /// every corner of the ranges and at many seeded draws between them. Empty when sound.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        for name in self.formula.names() {
            if !self.params.iter().any(|p| p.name == name) {
                out.push(format!(
                    "the formula uses `{name}`, which is not a parameter; declare it in `params`"
                ));
            }
        }
        if !out.is_empty() {
            return out;
        }
        let corners = (0..1u64 << self.params.len().min(12)).map(|mask| {
            self.params
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    if mask >> i & 1 == 1 {
                        tidy(p.min + p.step * steps(p) as f64)
                    } else {
                        p.min
                    }
                })
                .collect::<Vec<f64>>()
        });
        let draws = (0..CHECK_DRAWS).map(|seed| self.values_for_seed(seed));
        for values in corners.chain(draws) {
            let given = self.describe(&values);
            match self.answer_for(&values) {
                Err(e) => {
                    out.push(format!("the formula {e} when {given}"));
                    break;
                }
                Ok(a) if a < self.bounds.0 || a > self.bounds.1 => {
                    out.push(format!(
                        "the answer is {} when {given}, outside `bounds` [{}, {}]",
                        show_answer(a),
                        self.bounds.0,
                        self.bounds.1
                    ));
                    break;
                }
                Ok(_) => {}
            }
        }
        out
    }

    fn values_for_seed(&self, seed: u64) -> Vec<f64> {
        let mut rng = Rng::new(seed ^ 0x9e37_79b9_7f4a_7c15);
        self.params
            .iter()
            .map(|p| tidy(p.min + p.step * rng.below(steps(p) + 1) as f64))
            .collect()
    }

    /// "dau = 2, peak = 5".
    fn describe(&self, values: &[f64]) -> String {
        self.params
            .iter()
            .zip(values)
            .map(|(p, v)| format!("{} = {}", p.name, show(*v)))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The line a student reads: "daily active users (millions) = 12 · peak factor = 3".
    pub fn given(&self, drawn: &Drawn) -> String {
        self.params
            .iter()
            .zip(&drawn.values)
            .map(|(p, v)| format!("{} = {}", p.label, show(*v)))
            .collect::<Vec<_>>()
            .join(" · ")
    }
}

fn steps(p: &Param) -> u64 {
    if p.step <= 0.0 || p.max <= p.min {
        return 0;
    }
    ((p.max - p.min) / p.step + 1e-9).floor() as u64
}

/// Rounding noise from `min + k × step` removed (0.1 × 3 is 0.30000000000000004).
fn tidy(v: f64) -> f64 {
    (v * 1e9).round() / 1e9
}

/// A number as a person writes it: `12`, `2.5`, `1250000`.
pub fn show(v: f64) -> String {
    let t = tidy(v);
    if t.fract() == 0.0 && t.abs() < 1e15 {
        format!("{}", t as i64)
    } else {
        format!("{t}")
    }
}

/// A computed answer as shown to the student: whole above 100, else two decimals at most.
pub fn show_answer(v: f64) -> String {
    if v.abs() >= 100.0 {
        show(v.round())
    } else {
        show((v * 100.0).round() / 100.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peak_qps() -> Estimate {
        let text = "dau * 1000000 * requests / 86400 * peak";
        Estimate {
            params: vec![
                param("dau", 2.0, 50.0, 1.0),
                param("requests", 5.0, 40.0, 5.0),
                param("peak", 2.0, 5.0, 0.5),
            ],
            formula: expr::parse(text).unwrap(),
            formula_text: text.into(),
            bounds: (100.0, 200_000.0),
            tolerance_percent: 10.0,
        }
    }

    fn param(name: &str, min: f64, max: f64, step: f64) -> Param {
        Param {
            name: name.into(),
            label: name.into(),
            min,
            max,
            step,
        }
    }

    #[test]
    fn draws_are_seeded_on_the_grid_and_in_range() {
        let e = peak_qps();
        assert_eq!(e.draw(7), e.draw(7));
        let mut seen = std::collections::BTreeSet::new();
        for seed in 0..200 {
            let d = e.draw(seed).unwrap();
            for (p, v) in e.params.iter().zip(&d.values) {
                assert!(*v >= p.min && *v <= p.max, "{} = {v}", p.name);
                let k = (v - p.min) / p.step;
                assert!(
                    (k - k.round()).abs() < 1e-9,
                    "{} = {v} off the grid",
                    p.name
                );
            }
            assert_eq!(d.answer, e.answer_for(&d.values).unwrap());
            seen.insert(d.values[0] as i64);
        }
        assert!(seen.len() > 20, "draws vary: {seen:?}");
        assert!(e.problems().is_empty(), "{:?}", e.problems());
    }

    #[test]
    fn the_tolerance_is_a_share_of_the_computed_answer() {
        let e = peak_qps();
        let d = e.draw(3).unwrap();
        assert!(e.is_correct(&d, d.answer * 1.09));
        assert!(!e.is_correct(&d, d.answer * 1.11));
        assert!(!e.is_correct(&d, f64::NAN));
    }

    #[test]
    fn check_rejects_division_by_zero_unknown_names_and_answers_out_of_bounds() {
        let mut e = peak_qps();
        e.formula = expr::parse("dau / (peak - 2)").unwrap();
        let p = e.problems();
        assert!(
            p[0].contains("divides by zero when dau = 2, requests = 5, peak = 2"),
            "{p:?}"
        );

        let mut e = peak_qps();
        e.bounds = (100.0, 10_000.0);
        let p = e.problems();
        assert!(p[0].contains("outside `bounds` [100, 10000]"), "{p:?}");

        let mut e = peak_qps();
        e.formula = expr::parse("dau * rps").unwrap();
        assert!(e.problems()[0].contains("`rps`, which is not a parameter"));
    }

    #[test]
    fn numbers_read_as_written() {
        assert_eq!(show(12.0), "12");
        assert_eq!(show(0.1 * 3.0), "0.3");
        assert_eq!(show(2.5), "2.5");
    }
}
