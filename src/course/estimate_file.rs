//! Checking the keys of a randomized numeric quiz: `formula`, `params`, `bounds`,
//! `tolerance_percent`. The formula is evaluated over its ranges here, so `sysdesign check`
//! and loading reject one that divides by zero or leaves its bounds. The model's estimate is
//! built from the serde reading once the checks pass (`quiz_toml.rs`), with the same
//! `EstimateParam::into_param` and `estimate_of`.

use toml::de::DeValue;

use super::quiz_toml::{EstimateParam, estimate_of};
use super::schema::{Fields, FileCtx, number_value};
use crate::estimate::{Param, expr};

/// True when the estimate has no problem; otherwise each was reported with its location.
pub(super) fn check_estimate(ctx: &mut FileCtx, fields: &Fields) -> bool {
    check(ctx, fields).is_some()
}

fn check(ctx: &mut FileCtx, fields: &Fields) -> Option<()> {
    for key in ["answer", "tolerance"] {
        if let Some(v) = fields.get(key) {
            ctx.error(
                v.span(),
                format!(
                    "`{key}` does not go with `formula`: the answer is computed from the drawn \
                     numbers; give `tolerance_percent` instead"
                ),
            );
        }
    }
    let formula = fields.string(ctx, "formula", true)?;
    let parsed = match expr::parse(formula.get_ref()) {
        Ok(e) => Some(e),
        Err(e) => {
            ctx.error(formula.span(), format!("`formula` does not parse: {e}"));
            None
        }
    };
    let tolerance = fields.number(ctx, "tolerance_percent", true);
    if let Some(t) = &tolerance
        && !(0.0..=100.0).contains(t.get_ref())
    {
        ctx.error(t.span(), "`tolerance_percent` must be from 0 to 100");
    }
    let bounds = bounds(ctx, fields);
    let params = params(ctx, fields);
    fields.string(ctx, "unit", false);
    let (formula_expr, tolerance, bounds, params) = (parsed?, tolerance?, bounds?, params?);
    let estimate = estimate_of(
        formula_expr,
        formula.get_ref().clone(),
        params,
        bounds,
        tolerance.into_inner(),
    );
    let problems = estimate.problems();
    for p in &problems {
        ctx.error(formula.span(), p.clone());
    }
    problems.is_empty().then_some(())
}

fn bounds(ctx: &mut FileCtx, fields: &Fields) -> Option<(f64, f64)> {
    let Some(v) = fields.get("bounds") else {
        ctx.error(
            fields.span.clone(),
            format!(
                "{} has a `formula` but no `bounds = [lowest, highest]` for its answer",
                fields.what
            ),
        );
        return None;
    };
    let pair = match v.get_ref() {
        DeValue::Array(items) if items.len() == 2 => {
            match (
                number_value(items[0].get_ref()),
                number_value(items[1].get_ref()),
            ) {
                (Some(lo), Some(hi)) if lo <= hi && lo.is_finite() && hi.is_finite() => {
                    Some((lo, hi))
                }
                _ => None,
            }
        }
        _ => None,
    };
    if pair.is_none() {
        ctx.error(
            v.span(),
            "`bounds` must be two numbers, lowest first: [lowest, highest]",
        );
    }
    pair
}

fn params(ctx: &mut FileCtx, fields: &Fields) -> Option<Vec<Param>> {
    let Some((table, span)) = fields.table(ctx, "params") else {
        if fields.get("params").is_none() {
            ctx.error(
                fields.span.clone(),
                format!(
                    "{} has a `formula` but no `params` table for its numbers",
                    fields.what
                ),
            );
        }
        return None;
    };
    if table.is_empty() {
        ctx.error(span, "`params` needs at least one parameter");
        return None;
    }
    let mut out = Vec::new();
    let mut ok = true;
    for (name, value) in table.iter() {
        let name_text: &str = name.get_ref();
        let DeValue::Table(inner) = value.get_ref() else {
            ctx.error(
                value.span(),
                format!(
                    "parameter `{name_text}` must be a table: {{ min = 2, max = 50, label = \"…\" }}"
                ),
            );
            ok = false;
            continue;
        };
        let f = Fields::new(inner, value.span(), format!("parameter `{name_text}`"));
        f.deny_unknown(ctx, &["min", "max", "step", "label"]);
        let min = f.number(ctx, "min", true);
        let max = f.number(ctx, "max", true);
        let step = f.number(ctx, "step", false);
        let label = f.string(ctx, "label", true);
        if !name_text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
            || name_text.starts_with(|c: char| c.is_ascii_digit())
        {
            ctx.error(
                name.span(),
                format!("parameter name `{name_text}` must be letters, digits and _, not starting with a digit"),
            );
            ok = false;
        }
        match (min, max, label) {
            (Some(min), Some(max), Some(label)) => {
                let param = EstimateParam {
                    min: min.into_inner(),
                    max: *max.get_ref(),
                    step: step.as_ref().map(|s| *s.get_ref()),
                    label: label.into_inner(),
                }
                .into_param(name_text.to_string());
                if param.min > param.max {
                    ctx.error(
                        max.span(),
                        format!("`max` of `{name_text}` is below its `min`"),
                    );
                    ok = false;
                }
                if param.step <= 0.0 {
                    let at = step.map_or(value.span(), |s| s.span());
                    ctx.error(at, "`step` must be more than zero");
                    ok = false;
                }
                out.push(param);
            }
            _ => ok = false,
        }
    }
    ok.then_some(out)
}
