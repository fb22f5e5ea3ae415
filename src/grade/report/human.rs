use crate::grade::result::{GradeResult, Status};

/// Every exercise with its verdict, every check in order, and for each check that did not
/// pass what was expected, what happened, and the student's output.
pub fn human(results: &[GradeResult]) -> String {
    let results = &super::sanitized(results)[..];
    let mut text = String::new();
    for result in results {
        let verdict = match result.status {
            Status::Pass => "PASS",
            Status::Fail => "FAIL",
            Status::Error => "ERROR",
        };
        text.push_str(&format!(
            "{}: {verdict}, {} of {} checks passed (seed {}, {:.2} s)\n",
            result.id,
            result.passed(),
            result.tests.len(),
            result.seed,
            result.duration_ms as f64 / 1000.0
        ));
        if let Some(message) = &result.message
            && result.tests.is_empty()
        {
            push_indented(&mut text, message, "    ");
        }
        for check in &result.tests {
            let mark = match check.status {
                Status::Pass => "ok   ",
                Status::Fail => "FAIL ",
                Status::Error => "ERROR",
            };
            text.push_str(&format!("  {mark} {}\n", check.name));
            if check.status != Status::Pass {
                if let Some(message) = &check.message {
                    push_indented(&mut text, message, "        ");
                }
                if let Some(output) = &check.output {
                    text.push_str("        your output:\n");
                    push_indented(&mut text, output, "        | ");
                }
            }
        }
        if let Some(first) = result.first_problem() {
            text.push_str(&format!(
                "  fix `{}` first; replay this run with --seed {}\n",
                first.name, result.seed
            ));
        }
    }
    if results.len() > 1 {
        let count = |s: Status| results.iter().filter(|r| r.status == s).count();
        text.push_str(&format!(
            "\nexercises: {} pass, {} fail, {} error\n",
            count(Status::Pass),
            count(Status::Fail),
            count(Status::Error)
        ));
    }
    text
}

fn push_indented(text: &mut String, body: &str, indent: &str) {
    for line in body.trim_end().lines() {
        text.push_str(indent);
        text.push_str(line);
        text.push('\n');
    }
}
