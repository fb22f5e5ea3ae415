//! In-page links: `[Caching](#caching)` jumps to the heading whose GitHub-style slug is
//! `caching`. Lessons pasted from a README keep their table of contents working.

/// The anchor GitHub gives a heading: lowercased, punctuation dropped (hyphens and
/// underscores stay), each space a hyphen. `"Cache-aside: when?"` → `"cache-aside-when"`.
pub fn slug(heading: &str) -> String {
    heading
        .trim()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' | '_' => Some(c),
            c if c.is_alphanumeric() => Some(c),
            _ => None,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Slugs for headings in document order, with GitHub's `-1`, `-2` suffixes for repeats.
pub fn unique_slugs<'a>(headings: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut seen = std::collections::HashMap::<String, usize>::new();
    headings
        .into_iter()
        .map(|h| {
            let base = slug(h);
            let count = seen.entry(base.clone()).or_insert(0);
            let out = if *count == 0 {
                base
            } else {
                format!("{base}-{count}")
            };
            *count += 1;
            out
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_slugs() {
        assert_eq!(slug("Cache-aside: when?"), "cache-aside-when");
        assert_eq!(
            slug("Step 1: Outline use cases"),
            "step-1-outline-use-cases"
        );
        assert_eq!(slug("CAP theorem"), "cap-theorem");
        assert_eq!(slug("SQL or NoSQL"), "sql-or-nosql");
        assert_eq!(slug("Über_cache"), "über_cache");
    }

    #[test]
    fn repeated_headings_get_numbered() {
        assert_eq!(
            unique_slugs(["Use cases", "Use cases", "Other", "Use cases"]),
            ["use-cases", "use-cases-1", "other", "use-cases-2"]
        );
    }
}
