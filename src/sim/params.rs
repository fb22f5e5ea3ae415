//! Typed, range-checked simulation parameters, shared by `--set KEY=VALUE` and lesson TOML.

use std::fmt;

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum ParamValue {
    Int(i64),
    Float(f64),
    Bool(bool),
    Choice(String),
}

impl ParamValue {
    pub fn as_int(&self) -> Option<i64> {
        match self {
            ParamValue::Int(v) => Some(*v),
            _ => None,
        }
    }
    pub fn as_float(&self) -> Option<f64> {
        match self {
            ParamValue::Float(v) => Some(*v),
            ParamValue::Int(v) => Some(*v as f64),
            _ => None,
        }
    }
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            ParamValue::Bool(v) => Some(*v),
            _ => None,
        }
    }
    pub fn as_str(&self) -> Option<&str> {
        match self {
            ParamValue::Choice(v) => Some(v),
            _ => None,
        }
    }
}

impl fmt::Display for ParamValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamValue::Int(v) => write!(f, "{v}"),
            ParamValue::Float(v) => write!(f, "{v}"),
            ParamValue::Bool(v) => write!(f, "{v}"),
            ParamValue::Choice(v) => f.write_str(v),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ParamKind {
    Int { min: i64, max: i64 },
    Float { min: f64, max: f64 },
    Bool,
    Choice(&'static [&'static str]),
}

impl fmt::Display for ParamKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamKind::Int { min, max } => write!(f, "integer {min}..={max}"),
            ParamKind::Float { min, max } => write!(f, "number {min}..={max}"),
            ParamKind::Bool => f.write_str("true|false"),
            ParamKind::Choice(c) => f.write_str(&c.join("|")),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParamSpec {
    pub key: &'static str,
    pub kind: ParamKind,
    /// The default, written as it would be on the command line.
    pub default: &'static str,
    pub help: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamError {
    UnknownKey {
        key: String,
        valid: Vec<&'static str>,
    },
    BadValue {
        key: String,
        value: String,
        expected: String,
    },
    Rejected(String),
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamError::UnknownKey { key, valid } => {
                write!(f, "unknown key `{key}`; valid keys: {}", valid.join(", "))
            }
            ParamError::BadValue {
                key,
                value,
                expected,
            } => {
                write!(f, "bad value `{value}` for `{key}`; expected {expected}")
            }
            ParamError::Rejected(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for ParamError {}

impl ParamSpec {
    /// Parse a command-line value (`--set key=VALUE`) into a checked value.
    pub fn parse(&self, raw: &str) -> Result<ParamValue, ParamError> {
        let bad = || ParamError::BadValue {
            key: self.key.to_string(),
            value: raw.to_string(),
            expected: self.kind.to_string(),
        };
        let value = match self.kind {
            ParamKind::Int { .. } => ParamValue::Int(raw.trim().parse().map_err(|_| bad())?),
            ParamKind::Float { .. } => ParamValue::Float(raw.trim().parse().map_err(|_| bad())?),
            ParamKind::Bool => ParamValue::Bool(raw.trim().parse().map_err(|_| bad())?),
            ParamKind::Choice(_) => ParamValue::Choice(raw.trim().to_string()),
        };
        self.check(&value)
    }

    /// Check a typed value (from lesson TOML) against the kind and range.
    pub fn check(&self, value: &ParamValue) -> Result<ParamValue, ParamError> {
        let bad = || ParamError::BadValue {
            key: self.key.to_string(),
            value: value.to_string(),
            expected: self.kind.to_string(),
        };
        match (self.kind, value) {
            (ParamKind::Int { min, max }, ParamValue::Int(v)) if (min..=max).contains(v) => {
                Ok(value.clone())
            }
            (ParamKind::Float { min, max }, v) => match v.as_float() {
                Some(x) if x.is_finite() && x >= min && x <= max => Ok(ParamValue::Float(x)),
                _ => Err(bad()),
            },
            (ParamKind::Bool, ParamValue::Bool(_)) => Ok(value.clone()),
            (ParamKind::Choice(choices), ParamValue::Choice(c))
                if choices.contains(&c.as_str()) =>
            {
                Ok(value.clone())
            }
            _ => Err(bad()),
        }
    }

    pub fn default_value(&self) -> ParamValue {
        self.parse(self.default)
            .unwrap_or_else(|e| panic!("default of `{}` is invalid: {e}", self.key))
    }
}

/// Find `key` among `specs`, or say which keys exist.
pub fn spec_for<'a>(specs: &'a [ParamSpec], key: &str) -> Result<&'a ParamSpec, ParamError> {
    specs
        .iter()
        .find(|s| s.key == key)
        .ok_or_else(|| unknown_key(specs, key))
}

/// The error for a key that none of `specs` names, listing the keys that exist.
pub fn unknown_key(specs: &[ParamSpec], key: &str) -> ParamError {
    ParamError::UnknownKey {
        key: key.to_string(),
        valid: specs.iter().map(|s| s.key).collect(),
    }
}
