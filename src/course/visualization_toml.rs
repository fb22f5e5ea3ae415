//! A section's `visualization = { kind, seed, params }` as the lesson file spells it, its
//! JSON Schema (generated from the simulation registry), and the model's
//! [`VisualizationRef`] built from it.

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;

use super::model::VisualizationRef;
use super::ordered_table::OrderedTable;
use crate::sim::{self, ParamKind, ParamValue};

/// The seed of a visualization that does not give one.
pub const DEFAULT_SEED: u64 = 42;

/// `visualization = { kind = "...", seed = 42, params = { ... } }`: which simulation runs
/// beside the section, and its settings. The kinds and their parameters come from the
/// simulation registry (`sysdesign sim --list`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Visualization {
    pub kind: String,
    #[serde(default)]
    pub seed: Option<u64>,
    #[serde(default)]
    pub params: OrderedTable<toml::Value>,
}

impl Visualization {
    /// The model's visualization: each parameter typed and checked by its kind's registry
    /// entry. The lesson checks have already reported every problem with its location, so
    /// an error here means they and this reading disagree.
    pub fn into_model(self) -> Result<VisualizationRef, String> {
        let spec = sim::find(&self.kind)
            .ok_or_else(|| format!("unknown visualization kind `{}`", self.kind))?;
        let mut params = Vec::with_capacity(self.params.0.len());
        for (name, value) in self.params.0 {
            let pspec = spec
                .params
                .iter()
                .find(|p| p.key == name)
                .ok_or_else(|| format!("`{}` has no parameter `{name}`", spec.name))?;
            let typed =
                param_value(&value).ok_or_else(|| format!("`{name}` must be {}", pspec.kind))?;
            let checked = pspec.check(&typed).map_err(|e| e.to_string())?;
            params.push((name, checked));
        }
        Ok(VisualizationRef {
            kind: self.kind,
            seed: self.seed.unwrap_or(DEFAULT_SEED),
            params,
        })
    }
}

/// A parameter's value as the registry types it; the registry's `check` then converts an
/// integer given for a decimal parameter.
fn param_value(value: &toml::Value) -> Option<ParamValue> {
    match value {
        toml::Value::String(s) => Some(ParamValue::Choice(s.clone())),
        toml::Value::Boolean(b) => Some(ParamValue::Bool(*b)),
        toml::Value::Integer(i) => Some(ParamValue::Int(*i)),
        toml::Value::Float(f) => Some(ParamValue::Float(*f)),
        _ => None,
    }
}

impl JsonSchema for Visualization {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Visualization".into()
    }

    /// One alternative per simulation kind, each listing exactly the parameters that kind takes.
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let kinds: Vec<serde_json::Value> = sim::kinds()
            .iter()
            .map(|kind| {
                let params: serde_json::Map<String, serde_json::Value> = kind
                    .params
                    .iter()
                    .map(|p| {
                        let mut schema = param_schema(&p.kind);
                        schema.insert(
                            "description".into(),
                            format!("{} (default {})", p.help, p.default).into(),
                        );
                        (p.key.to_string(), serde_json::Value::Object(schema))
                    })
                    .collect();
                serde_json::json!({
                    "type": "object",
                    "description": format!("{}: {}", kind.title, kind.description),
                    "properties": {
                        "kind": { "const": kind.name },
                        "seed": {
                            "description": format!("Seed of the simulated workload; the same seed gives the same run (default {DEFAULT_SEED})."),
                            "type": "integer",
                            "minimum": 0
                        },
                        "params": {
                            "type": "object",
                            "properties": params,
                            "additionalProperties": false
                        }
                    },
                    "required": ["kind"],
                    "additionalProperties": false
                })
            })
            .collect();
        let names: Vec<&str> = sim::kinds().iter().map(|k| k.name).collect();
        json_schema!({
            "description": "A live simulation beside the text (see `sysdesign sim --list`).",
            "type": "object",
            "properties": { "kind": { "enum": names } },
            "required": ["kind"],
            "oneOf": kinds
        })
    }
}

fn param_schema(kind: &ParamKind) -> serde_json::Map<String, serde_json::Value> {
    let value = match kind {
        ParamKind::Int { min, max } => {
            serde_json::json!({ "type": "integer", "minimum": min, "maximum": max })
        }
        ParamKind::Float { min, max } => {
            serde_json::json!({ "type": "number", "minimum": min, "maximum": max })
        }
        ParamKind::Bool => serde_json::json!({ "type": "boolean" }),
        ParamKind::Choice(choices) => serde_json::json!({ "type": "string", "enum": choices }),
    };
    match value {
        serde_json::Value::Object(map) => map,
        _ => serde_json::Map::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<VisualizationRef, String> {
        toml::from_str::<Visualization>(text)
            .map_err(|e| e.to_string())?
            .into_model()
    }

    #[test]
    fn builds_the_model_with_typed_parameters_in_file_order() {
        let spec = &sim::kinds()[0];
        let mut text = format!("kind = \"{}\"\n[params]\n", spec.name);
        for p in spec.params.iter().rev() {
            text.push_str(&format!("{} = {}\n", p.key, toml_literal(p)));
        }
        let viz = read(&text).unwrap();
        assert_eq!(viz.kind, spec.name);
        assert_eq!(viz.seed, DEFAULT_SEED);
        let keys: Vec<&str> = viz.params.iter().map(|(k, _)| k.as_str()).collect();
        let expected: Vec<&str> = spec.params.iter().rev().map(|p| p.key).collect();
        assert_eq!(keys, expected);
        for ((_, value), p) in viz.params.iter().zip(spec.params.iter().rev()) {
            assert_eq!(value, &p.default_value(), "{}", p.key);
        }
    }

    fn toml_literal(p: &sim::ParamSpec) -> String {
        match p.kind {
            ParamKind::Choice(_) => format!("\"{}\"", p.default),
            ParamKind::Float { .. } if !p.default.contains('.') => format!("{}.0", p.default),
            _ => p.default.to_string(),
        }
    }

    #[test]
    fn disagreements_are_errors_not_panics() {
        assert!(read("kind = \"no-such-simulation\"").is_err());
        let spec = &sim::kinds()[0];
        let unknown = format!("kind = \"{}\"\nparams = {{ zzzz = 1 }}", spec.name);
        assert!(read(&unknown).is_err());
        let dated = format!(
            "kind = \"{}\"\nparams = {{ {} = 1979-05-27 }}",
            spec.name, spec.params[0].key
        );
        assert!(read(&dated).is_err());
        assert!(read("kind = \"x\"\nseed = -1").is_err());
    }
}
