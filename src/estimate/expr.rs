//! A tiny arithmetic language for estimate formulas: numbers, parameter names, `+ - * / ^`,
//! unary minus and parentheses. `^` binds tightest and groups to the right.

use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Number(f64),
    Var(String),
    Neg(Box<Expr>),
    Binary(Box<Expr>, Op, Box<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Add,
    Sub,
    Mul,
    Div,
    Pow,
}

/// Why a formula does not parse, with the byte offset in the formula.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub at: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at character {})", self.message, self.at + 1)
    }
}

/// Why a formula has no value for some parameters.
#[derive(Debug, Clone, PartialEq)]
pub enum EvalError {
    DivisionByZero,
    /// Overflow, or a power such as (-8)^0.5 with no real value.
    NotFinite,
    UnknownName(String),
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EvalError::DivisionByZero => write!(f, "divides by zero"),
            EvalError::NotFinite => write!(f, "has no finite value"),
            EvalError::UnknownName(n) => write!(f, "uses `{n}`, which is not a parameter"),
        }
    }
}

/// Longer formulas are refused: parsing, evaluating and dropping a formula recurse as deep as
/// it nests, and a back-of-envelope estimate is a line, not a page.
pub const MAX_LEN: usize = 500;

pub fn parse(text: &str) -> Result<Expr, ParseError> {
    if text.len() > MAX_LEN {
        return Err(ParseError {
            at: MAX_LEN,
            message: format!(
                "the formula is {} characters long; an estimate's formula is at most {MAX_LEN}",
                text.len()
            ),
        });
    }
    let mut p = Parser { text, pos: 0 };
    let e = p.sum()?;
    p.skip_space();
    if p.pos < text.len() {
        return Err(p.error("unexpected text after the formula"));
    }
    Ok(e)
}

impl Expr {
    /// The value with each name given by `lookup`.
    pub fn eval(&self, lookup: &dyn Fn(&str) -> Option<f64>) -> Result<f64, EvalError> {
        let v = match self {
            Expr::Number(n) => *n,
            Expr::Var(name) => lookup(name).ok_or_else(|| EvalError::UnknownName(name.clone()))?,
            Expr::Neg(e) => -e.eval(lookup)?,
            Expr::Binary(a, op, b) => {
                let (a, b) = (a.eval(lookup)?, b.eval(lookup)?);
                match op {
                    Op::Add => a + b,
                    Op::Sub => a - b,
                    Op::Mul => a * b,
                    Op::Div if b == 0.0 => return Err(EvalError::DivisionByZero),
                    Op::Div => a / b,
                    Op::Pow => a.powf(b),
                }
            }
        };
        if v.is_finite() {
            Ok(v)
        } else {
            Err(EvalError::NotFinite)
        }
    }

    /// Every name the formula uses, in order of first use.
    pub fn names(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.collect_names(&mut out);
        out
    }

    fn collect_names<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Expr::Number(_) => {}
            Expr::Var(n) => {
                if !out.contains(&n.as_str()) {
                    out.push(n);
                }
            }
            Expr::Neg(e) => e.collect_names(out),
            Expr::Binary(a, _, b) => {
                a.collect_names(out);
                b.collect_names(out);
            }
        }
    }
}

struct Parser<'t> {
    text: &'t str,
    pos: usize,
}

impl Parser<'_> {
    fn error(&self, message: &str) -> ParseError {
        ParseError {
            at: self.pos,
            message: message.into(),
        }
    }

    fn skip_space(&mut self) {
        while self.text[self.pos..].starts_with(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn peek(&mut self) -> Option<char> {
        self.skip_space();
        self.text[self.pos..].chars().next()
    }

    fn sum(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.product()?;
        while let Some(c @ ('+' | '-')) = self.peek() {
            self.pos += 1;
            let op = if c == '+' { Op::Add } else { Op::Sub };
            left = Expr::Binary(Box::new(left), op, Box::new(self.product()?));
        }
        Ok(left)
    }

    fn product(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.unary()?;
        while let Some(c @ ('*' | '/')) = self.peek() {
            self.pos += 1;
            let op = if c == '*' { Op::Mul } else { Op::Div };
            left = Expr::Binary(Box::new(left), op, Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, ParseError> {
        if self.peek() == Some('-') {
            self.pos += 1;
            return Ok(Expr::Neg(Box::new(self.unary()?)));
        }
        self.power()
    }

    fn power(&mut self) -> Result<Expr, ParseError> {
        let base = self.atom()?;
        if self.peek() == Some('^') {
            self.pos += 1;
            // Right-associative, and `2^-1` is allowed.
            let exponent = self.unary()?;
            return Ok(Expr::Binary(Box::new(base), Op::Pow, Box::new(exponent)));
        }
        Ok(base)
    }

    fn atom(&mut self) -> Result<Expr, ParseError> {
        match self.peek() {
            Some('(') => {
                self.pos += 1;
                let e = self.sum()?;
                if self.peek() != Some(')') {
                    return Err(self.error("expected `)`"));
                }
                self.pos += 1;
                Ok(e)
            }
            Some(c) if c.is_ascii_digit() || c == '.' => {
                let rest = &self.text[self.pos..];
                let mut len = rest
                    .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '_'))
                    .unwrap_or(rest.len());
                // An exponent: 1e6, 2.5E-3.
                let tail = &rest[len..];
                if tail.starts_with(['e', 'E']) {
                    let after = tail[1..].strip_prefix(['+', '-']).unwrap_or(&tail[1..]);
                    let digits =
                        after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
                    if digits > 0 {
                        len += tail.len() - after.len() + digits;
                    }
                }
                let number = rest[..len].replace('_', "");
                let value = number
                    .parse::<f64>()
                    .map_err(|_| self.error(&format!("`{}` is not a number", &rest[..len])))?;
                self.pos += len;
                Ok(Expr::Number(value))
            }
            Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                let rest = &self.text[self.pos..];
                let len = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(rest.len());
                self.pos += len;
                Ok(Expr::Var(rest[..len].to_string()))
            }
            Some(c) => Err(self.error(&format!("unexpected `{c}`"))),
            None => Err(self.error("the formula ends too early")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str) -> Result<f64, EvalError> {
        parse(text).unwrap().eval(&|n| match n {
            "x" => Some(3.0),
            "zero" => Some(0.0),
            _ => None,
        })
    }

    #[test]
    fn precedence_associativity_and_numbers() {
        assert_eq!(value("1 + 2 * 3"), Ok(7.0));
        assert_eq!(value("(1 + 2) * 3"), Ok(9.0));
        assert_eq!(value("2 ^ 3 ^ 2"), Ok(512.0));
        assert_eq!(value("-2 ^ 2"), Ok(-4.0));
        assert_eq!(value("2 ^ -1"), Ok(0.5));
        assert_eq!(value("10 - 4 - 3"), Ok(3.0));
        assert_eq!(value("12 / 3 / 2"), Ok(2.0));
        assert_eq!(value("1e6 / 1_000"), Ok(1000.0));
        assert_eq!(value("2.5E-1 * x"), Ok(0.75));
    }

    #[test]
    fn a_formula_too_long_to_be_an_estimate_is_refused_not_overflowing_the_stack() {
        let deep = format!("{}x{}", "(".repeat(20_000), ")".repeat(20_000));
        let err = parse(&deep).unwrap_err();
        assert!(err.message.contains("at most 500"), "{}", err.message);
        let chain = vec!["-"; 20_000].join("") + "1";
        assert!(parse(&chain).is_err());
        // The longest allowed nests 249 deep, and parses and evaluates.
        let nested = format!("{}1{}", "(".repeat(249), ")".repeat(249));
        assert_eq!(parse(&nested).unwrap().eval(&|_| None), Ok(1.0));
    }

    #[test]
    fn errors_say_what_and_where() {
        assert_eq!(value("x / zero"), Err(EvalError::DivisionByZero));
        assert_eq!(value("(0 - x) ^ 0.5"), Err(EvalError::NotFinite));
        assert_eq!(value("y * 2"), Err(EvalError::UnknownName("y".into())));
        assert_eq!(
            parse("1 +").unwrap_err().message,
            "the formula ends too early"
        );
        assert_eq!(parse("(1 + 2").unwrap_err().message, "expected `)`");
        assert_eq!(parse("1 2").unwrap_err().at, 2);
        assert_eq!(
            parse("1 % 2").unwrap_err().message,
            "unexpected text after the formula"
        );
        assert_eq!(parse("a.b").unwrap_err().at, 1);
        assert_eq!(parse("x * y + x").unwrap().names(), ["x", "y"]);
    }
}
