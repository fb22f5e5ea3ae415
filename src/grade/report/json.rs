use crate::grade::result::GradeResult;

/// A JSON array with one results.json (v3) object per exercise: `id`, `status`, `message`,
/// `seed`, `tests[]` and `duration_ms`.
pub fn json(results: &[GradeResult]) -> String {
    let results = &super::sanitized(results)[..];
    let mut text = serde_json::to_string_pretty(results)
        .unwrap_or_else(|e| format!("{{\"error\": \"cannot encode the results: {e}\"}}"));
    text.push('\n');
    text
}
