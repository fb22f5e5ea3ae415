use crate::grade::result::{CheckResult, GradeResult, Status};

/// JUnit XML: one `<testsuite>` per exercise and one `<testcase>` per check, so any CI system
/// can show a class's results. A build error is a single `build` testcase with an `<error>`.
pub fn junit(results: &[GradeResult]) -> String {
    let results = &super::sanitized(results)[..];
    let count = |s: Status| {
        results
            .iter()
            .map(|r| cases(r).iter().filter(|c| c.status == s).count())
            .sum::<usize>()
    };
    let tests: usize = results.iter().map(|r| cases(r).len()).sum();
    let time: u64 = results.iter().map(|r| r.duration_ms).sum();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml.push_str(&format!(
        "<testsuites name=\"sysdesign\" tests=\"{tests}\" failures=\"{}\" errors=\"{}\" time=\"{}\">\n",
        count(Status::Fail),
        count(Status::Error),
        seconds(time)
    ));
    for result in results {
        let cases = cases(result);
        let failures = cases.iter().filter(|c| c.status == Status::Fail).count();
        let errors = cases.iter().filter(|c| c.status == Status::Error).count();
        xml.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\" time=\"{}\">\n",
            escape(&result.id),
            cases.len(),
            seconds(result.duration_ms)
        ));
        xml.push_str(&format!(
            "    <properties>\n      <property name=\"seed\" value=\"{}\"/>\n    </properties>\n",
            result.seed
        ));
        for case in &cases {
            push_case(&mut xml, &result.id, case);
        }
        xml.push_str("  </testsuite>\n");
    }
    xml.push_str("</testsuites>\n");
    xml
}

/// The checks of a result, or one `build` case standing for a run that never got to them.
fn cases(result: &GradeResult) -> Vec<CheckResult> {
    if result.tests.is_empty() && result.status == Status::Error {
        vec![CheckResult {
            name: "build".to_string(),
            status: Status::Error,
            message: result.message.clone(),
            output: None,
            task_id: None,
        }]
    } else {
        result.tests.clone()
    }
}

fn push_case(xml: &mut String, suite: &str, case: &CheckResult) {
    let open = format!(
        "    <testcase name=\"{}\" classname=\"{}\"",
        escape(&case.name),
        escape(suite)
    );
    if case.status == Status::Pass && case.output.is_none() {
        xml.push_str(&open);
        xml.push_str("/>\n");
        return;
    }
    xml.push_str(&open);
    xml.push_str(">\n");
    let message = case.message.as_deref().unwrap_or("");
    let first_line = message.lines().next().unwrap_or("");
    match case.status {
        Status::Pass => {}
        Status::Fail => xml.push_str(&format!(
            "      <failure message=\"{}\">{}</failure>\n",
            escape(first_line),
            escape(message)
        )),
        Status::Error => xml.push_str(&format!(
            "      <error message=\"{}\">{}</error>\n",
            escape(first_line),
            escape(message)
        )),
    }
    if let Some(output) = &case.output {
        xml.push_str(&format!(
            "      <system-out>{}</system-out>\n",
            escape(output)
        ));
    }
    xml.push_str("    </testcase>\n");
}

fn seconds(ms: u64) -> String {
    format!("{}.{:03}", ms / 1000, ms % 1000)
}

/// Escapes text for XML content and attributes, replacing characters XML 1.0 cannot hold.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(
            escape("a<b & \"c\" 'd'>\u{1b}"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;\u{FFFD}"
        );
    }

    proptest! {
        /// Escaped text holds no markup character and no character XML 1.0 forbids.
        #[test]
        fn escaped_text_is_always_valid_xml_text(text in any::<String>()) {
            let escaped = escape(&text);
            prop_assert!(!escaped.contains(['<', '>', '"', '\'']));
            prop_assert!(escaped.chars().all(|c| c == '\t' || c == '\r' || (c as u32) >= 0x20));
            let ampersands_are_entities = escaped.match_indices('&').all(|(i, _)| {
                ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#10;"]
                    .iter()
                    .any(|e| escaped[i..].starts_with(e))
            });
            prop_assert!(ampersands_are_entities);
        }
    }
}
