//! One declarative table of parameters per engine. Each parameter is declared once: its key,
//! kind and range, default and help (the [`ParamSpec`] the CLI, the TUI and lesson TOML
//! read), next to how to read and write the engine's field. The shared code here lists the
//! settings and checks and applies `--set KEY=VALUE` and lesson values, so no engine writes
//! that by hand.
//!
//! ```ignore
//! const TABLE: [Param<CapSim>; 2] = [
//!     Param::choice("mode", &["cp", "ap"], "cp")
//!         .help("under a partition: cp refuses what it cannot confirm, ap answers anyway")
//!         .field(|s| s.mode.name(), |s, v| s.mode = Mode::from_name(v)),
//!     Param::float("write_ratio", 0.0, 1.0, "0.3")
//!         .help("share of client requests that are writes")
//!         .field(|s| s.write_ratio, |s, v| s.write_ratio = v),
//! ];
//! // KindSpec { params: &specs(&TABLE), .. }
//! ```

use std::marker::PhantomData;

use super::params::{ParamError, ParamKind, ParamSpec, ParamValue, unknown_key};

/// Writes a value, already checked against the spec, into the engine. A fallible setter may
/// still refuse a combination the range alone cannot express.
pub enum Setter<S, T> {
    Plain(fn(&mut S, T)),
    Fallible(fn(&mut S, T) -> Result<(), ParamError>),
}

impl<S, T> Setter<S, T> {
    fn apply(&self, sim: &mut S, value: T) -> Result<(), ParamError> {
        match self {
            Setter::Plain(set) => {
                set(sim, value);
                Ok(())
            }
            Setter::Fallible(set) => set(sim, value),
        }
    }
}

/// How a parameter reads and writes the engine's state, typed by the parameter's kind.
pub enum Field<S> {
    Int(fn(&S) -> i64, Setter<S, i64>),
    Float(fn(&S) -> f64, Setter<S, f64>),
    Bool(fn(&S) -> bool, Setter<S, bool>),
    /// The chosen option is handed over as the spec's own `'static` string.
    Choice(fn(&S) -> &'static str, Setter<S, &'static str>),
}

/// One row of an engine's table.
pub struct Param<S> {
    pub spec: ParamSpec,
    pub field: Field<S>,
}

/// The kind markers of a parameter still being declared, so that `field` takes accessors of
/// the kind's own type.
pub struct IntKind;
pub struct FloatKind;
pub struct BoolKind;
pub struct ChoiceKind;

/// A parameter declared but not yet given its field: add `.help(..)`, then `.field(..)`.
pub struct Declared<K> {
    spec: ParamSpec,
    kind: PhantomData<K>,
}

impl<K> Declared<K> {
    const fn new(key: &'static str, kind: ParamKind, default: &'static str) -> Self {
        Declared {
            spec: ParamSpec {
                key,
                kind,
                default,
                help: "",
            },
            kind: PhantomData,
        }
    }

    /// One line on what the parameter does, for `sim --list` and the TUI.
    pub const fn help(mut self, help: &'static str) -> Self {
        self.spec.help = help;
        self
    }
}

impl Param<()> {
    /// An integer in `min..=max`; `default` as it would be typed on the command line.
    pub const fn int(
        key: &'static str,
        min: i64,
        max: i64,
        default: &'static str,
    ) -> Declared<IntKind> {
        Declared::new(key, ParamKind::Int { min, max }, default)
    }

    /// A finite number in `min..=max`.
    pub const fn float(
        key: &'static str,
        min: f64,
        max: f64,
        default: &'static str,
    ) -> Declared<FloatKind> {
        Declared::new(key, ParamKind::Float { min, max }, default)
    }

    /// `true` or `false`.
    pub const fn flag(key: &'static str, default: &'static str) -> Declared<BoolKind> {
        Declared::new(key, ParamKind::Bool, default)
    }

    /// One of `options`.
    pub const fn choice(
        key: &'static str,
        options: &'static [&'static str],
        default: &'static str,
    ) -> Declared<ChoiceKind> {
        Declared::new(key, ParamKind::Choice(options), default)
    }
}

macro_rules! field_methods {
    ($kind:ty, $t:ty, $variant:ident) => {
        impl Declared<$kind> {
            /// Read the engine's field with `get`, write it with `set`.
            pub const fn field<S>(self, get: fn(&S) -> $t, set: fn(&mut S, $t)) -> Param<S> {
                Param {
                    spec: self.spec,
                    field: Field::$variant(get, Setter::Plain(set)),
                }
            }

            /// Like `field`, with a setter that may refuse the value.
            pub const fn fallible<S>(
                self,
                get: fn(&S) -> $t,
                set: fn(&mut S, $t) -> Result<(), ParamError>,
            ) -> Param<S> {
                Param {
                    spec: self.spec,
                    field: Field::$variant(get, Setter::Fallible(set)),
                }
            }
        }
    };
}

field_methods!(IntKind, i64, Int);
field_methods!(FloatKind, f64, Float);
field_methods!(BoolKind, bool, Bool);
field_methods!(ChoiceKind, &'static str, Choice);

/// The `Simulation` methods every engine answers alike: its kind, its clock (the engine's
/// `now` field, in ticks), its parameters through its table, its action keys and the
/// downcast for the TUI widget. Invoke inside `impl Simulation for ...`.
macro_rules! common_methods {
    (kind: $kind:expr, table: $table:expr, actions: $actions:expr $(,)?) => {
        fn kind(&self) -> &'static str {
            $kind
        }

        fn now(&self) -> u64 {
            self.now
        }

        fn set(
            &mut self,
            key: &str,
            value: &$crate::sim::ParamValue,
        ) -> Result<(), $crate::sim::ParamError> {
            $crate::sim::param_table::set(&$table, self, key, value)
        }

        fn settings(&self) -> Vec<(&'static str, $crate::sim::ParamValue)> {
            $crate::sim::param_table::settings(&$table, self)
        }

        fn actions(&self) -> &'static [$crate::sim::Action] {
            $actions
        }

        fn as_any(&self) -> &dyn std::any::Any {
            self
        }
    };
}
pub(crate) use common_methods;

/// The specs of a table, in its order: what `KindSpec::params` holds.
pub const fn specs<S, const N: usize>(table: &[Param<S>; N]) -> [ParamSpec; N] {
    let mut out = [ParamSpec {
        key: "",
        kind: ParamKind::Bool,
        default: "",
        help: "",
    }; N];
    let mut i = 0;
    while i < N {
        out[i] = table[i].spec;
        i += 1;
    }
    out
}

/// Every parameter's current value, in table order: `Simulation::settings`.
pub fn settings<S>(table: &[Param<S>], sim: &S) -> Vec<(&'static str, ParamValue)> {
    table
        .iter()
        .map(|p| {
            let value = match &p.field {
                Field::Int(get, _) => ParamValue::Int(get(sim)),
                Field::Float(get, _) => ParamValue::Float(get(sim)),
                Field::Bool(get, _) => ParamValue::Bool(get(sim)),
                Field::Choice(get, _) => ParamValue::Choice(get(sim).to_string()),
            };
            (p.spec.key, value)
        })
        .collect()
}

/// Check `value` against `key`'s spec, then write it: `Simulation::set`. An unknown key names
/// the valid ones; a value of the wrong type or out of range says what was expected.
pub fn set<S>(
    table: &[Param<S>],
    sim: &mut S,
    key: &str,
    value: &ParamValue,
) -> Result<(), ParamError> {
    let Some(param) = table.iter().find(|p| p.spec.key == key) else {
        let specs: Vec<ParamSpec> = table.iter().map(|p| p.spec).collect();
        return Err(unknown_key(&specs, key));
    };
    let checked = param.spec.check(value)?;
    let wrong_type = |expected: &str| ParamError::BadValue {
        key: key.to_string(),
        value: value.to_string(),
        expected: expected.to_string(),
    };
    match (&param.field, &checked) {
        (Field::Int(_, set), ParamValue::Int(v)) => set.apply(sim, *v),
        (Field::Float(_, set), ParamValue::Float(v)) => set.apply(sim, *v),
        (Field::Bool(_, set), ParamValue::Bool(v)) => set.apply(sim, *v),
        (Field::Choice(_, set), ParamValue::Choice(picked)) => {
            let ParamKind::Choice(options) = param.spec.kind else {
                return Err(wrong_type("one of the listed choices"));
            };
            let option = options
                .iter()
                .copied()
                .find(|o| o == picked)
                .ok_or_else(|| wrong_type(&options.join("|")))?;
            set.apply(sim, option)
        }
        // A table whose field does not match its spec's kind: the spec's check let a value
        // of another type through, so refuse it rather than write nonsense.
        _ => Err(wrong_type(&param.spec.kind.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Toy {
        n: u32,
        ratio: f64,
        on: bool,
        mode: &'static str,
    }

    const TABLE: [Param<Toy>; 4] = [
        Param::int("n", 1, 5, "2").help("a small count").fallible(
            |t| t.n.into(),
            |t, v| {
                if v == 4 {
                    return Err(ParamError::Rejected("4 is unlucky".into()));
                }
                t.n = v as u32;
                Ok(())
            },
        ),
        Param::float("ratio", 0.0, 1.0, "0.5").field(|t| t.ratio, |t, v| t.ratio = v),
        Param::flag("on", "false").field(|t| t.on, |t, v| t.on = v),
        Param::choice("mode", &["a", "b"], "a").field(|t| t.mode, |t, v| t.mode = v),
    ];
    const SPECS: [ParamSpec; 4] = specs(&TABLE);

    #[test]
    fn specs_keep_the_declared_order_and_help() {
        let keys: Vec<&str> = SPECS.iter().map(|s| s.key).collect();
        assert_eq!(keys, ["n", "ratio", "on", "mode"]);
        assert_eq!(SPECS[0].help, "a small count");
        assert_eq!(SPECS[0].kind, ParamKind::Int { min: 1, max: 5 });
        assert_eq!(SPECS[1].help, "");
    }

    #[test]
    fn set_checks_then_writes_and_settings_read_back() {
        let mut toy = Toy::default();
        set(&TABLE, &mut toy, "n", &ParamValue::Int(5)).unwrap();
        set(&TABLE, &mut toy, "ratio", &ParamValue::Int(1)).unwrap();
        set(&TABLE, &mut toy, "on", &ParamValue::Bool(true)).unwrap();
        set(&TABLE, &mut toy, "mode", &ParamValue::Choice("b".into())).unwrap();
        assert_eq!(
            settings(&TABLE, &toy),
            vec![
                ("n", ParamValue::Int(5)),
                ("ratio", ParamValue::Float(1.0)),
                ("on", ParamValue::Bool(true)),
                ("mode", ParamValue::Choice("b".into())),
            ]
        );
    }

    #[test]
    fn bad_values_and_keys_are_refused_without_writing() {
        let mut toy = Toy::default();
        for (key, value) in [
            ("n", ParamValue::Int(6)),
            ("n", ParamValue::Bool(true)),
            ("ratio", ParamValue::Float(f64::NAN)),
            ("on", ParamValue::Int(1)),
            ("mode", ParamValue::Choice("c".into())),
        ] {
            assert!(
                matches!(
                    set(&TABLE, &mut toy, key, &value),
                    Err(ParamError::BadValue { .. })
                ),
                "{key}={value}"
            );
        }
        assert_eq!(
            set(&TABLE, &mut toy, "n", &ParamValue::Int(4)),
            Err(ParamError::Rejected("4 is unlucky".into()))
        );
        match set(&TABLE, &mut toy, "m", &ParamValue::Int(1)) {
            Err(ParamError::UnknownKey { key, valid }) => {
                assert_eq!(key, "m");
                assert_eq!(valid, ["n", "ratio", "on", "mode"]);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!((toy.n, toy.on, toy.mode), (0, false, ""));
    }
}
