//! Typed access to a parameter value, checked against its kind's `ParamSpec` first, so an
//! engine's `set` can never be handed a value of the wrong type or out of range.

use super::params::{ParamError, ParamSpec, ParamValue, spec_for};

fn checked(specs: &[ParamSpec], key: &str, value: &ParamValue) -> Result<ParamValue, ParamError> {
    spec_for(specs, key)?.check(value)
}

fn wrong_type(key: &str, value: &ParamValue, expected: &str) -> ParamError {
    ParamError::BadValue {
        key: key.to_string(),
        value: value.to_string(),
        expected: expected.to_string(),
    }
}

pub fn int(specs: &[ParamSpec], key: &str, value: &ParamValue) -> Result<i64, ParamError> {
    checked(specs, key, value)?
        .as_int()
        .ok_or_else(|| wrong_type(key, value, "an integer"))
}

pub fn float(specs: &[ParamSpec], key: &str, value: &ParamValue) -> Result<f64, ParamError> {
    checked(specs, key, value)?
        .as_float()
        .ok_or_else(|| wrong_type(key, value, "a number"))
}

pub fn flag(specs: &[ParamSpec], key: &str, value: &ParamValue) -> Result<bool, ParamError> {
    checked(specs, key, value)?
        .as_bool()
        .ok_or_else(|| wrong_type(key, value, "true or false"))
}

/// The chosen option, returned as the spec's own `'static` string.
pub fn choice(
    specs: &'static [ParamSpec],
    key: &str,
    value: &ParamValue,
) -> Result<&'static str, ParamError> {
    let spec = spec_for(specs, key)?;
    let checked = spec.check(value)?;
    let (super::ParamKind::Choice(options), Some(picked)) = (spec.kind, checked.as_str()) else {
        return Err(wrong_type(key, value, "one of the listed choices"));
    };
    options
        .iter()
        .copied()
        .find(|o| *o == picked)
        .ok_or_else(|| wrong_type(key, value, &options.join("|")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::ParamKind;

    const SPECS: &[ParamSpec] = &[
        ParamSpec {
            key: "n",
            kind: ParamKind::Int { min: 1, max: 5 },
            default: "2",
            help: "",
        },
        ParamSpec {
            key: "mode",
            kind: ParamKind::Choice(&["a", "b"]),
            default: "a",
            help: "",
        },
    ];

    #[test]
    fn accepts_in_range_and_rejects_the_rest() {
        assert_eq!(int(SPECS, "n", &ParamValue::Int(5)), Ok(5));
        assert!(int(SPECS, "n", &ParamValue::Int(6)).is_err());
        assert!(int(SPECS, "n", &ParamValue::Bool(true)).is_err());
        assert!(matches!(
            int(SPECS, "m", &ParamValue::Int(1)),
            Err(ParamError::UnknownKey { .. })
        ));
        assert_eq!(
            choice(SPECS, "mode", &ParamValue::Choice("b".into())),
            Ok("b")
        );
        assert!(choice(SPECS, "mode", &ParamValue::Choice("c".into())).is_err());
        assert!(flag(SPECS, "mode", &ParamValue::Bool(true)).is_err());
    }
}
