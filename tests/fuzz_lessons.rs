//! A mutation fuzzer for the lesson loader and the Markdown renderer, on stable Rust.
//!
//! It takes the shipped lessons and the hostile shapes issue 12 found (escape sequences,
//! lone CRs, thousands of nested quotes and lists, README HTML, huge tables and lines),
//! mutates them, and checks what every input must satisfy: no panic, no control character
//! in anything shown, a bounded number of bounded diagnostics, no problem that only the serde
//! reading found (the located checks catch everything first), no rendered line wider than
//! asked, and output proportional to the input.
//!
//! `cargo test` runs it for a few seconds. Run it longer by hand:
//!
//! ```sh
//! SYSDESIGN_FUZZ_SECS=600 cargo test --release --test fuzz_lessons -- --nocapture
//! ```
//!
//! `SYSDESIGN_FUZZ_SEED=N` replays a run; a failing input is written to
//! `target/tmp/fuzz-failures/CASE_SEED.toml`; `SYSDESIGN_FUZZ_SEED=CASE_SEED` replays that case first.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use sysdesign::cli::show::lesson_markdown;
use sysdesign::course::diagnostic::MAX_PER_FILE;
use sysdesign::course::lesson_file::{CHECKS_MISSED_IT, parse};
use sysdesign::course::{CourseSource, Diagnostic};
use sysdesign::markdown::{render, sanitize, to_ansi, to_plain};
use sysdesign::theme::Theme;

/// SplitMix64: small, seedable, and good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Inputs are kept under this many bytes, so one case stays fast in a debug build.
const MAX_INPUT: usize = 600_000;

fn fragments(rng: &mut Rng) -> Vec<u8> {
    let deep = 1 + rng.below(12_000);
    let long = 1 + rng.below(200_000);
    let pick = rng.below(25);
    let s: String = match pick {
        0 => "\u{1b}]52;c;cHduZWQ=\u{7}\u{1b}]0;pwned\u{7}\u{1b}[2J".into(),
        1 => r"\u001b]0;t\u0007\u202e\u0000".into(),
        2 => "\r".into(),
        3 => "\r\n".into(),
        4 => "> ".repeat(deep),
        5 => "- ".repeat(deep),
        6 => (0..deep.min(800))
            .map(|i| format!("{}- x\n", "  ".repeat(i)))
            .collect(),
        7 => format!("{} {}", ">".repeat(deep), "word ".repeat(long / 5)),
        8 => "<p align=\"center\">\n  <img src=\"x.png\" alt=\"logo &amp; <b>\">\n  <br/>\n</p>\n"
            .into(),
        9 => "<br/>".into(),
        10 => format!(
            "| Topic | Notes | Link |\n|---|---|---|\n| a<br>b | words and more words | https://example.com/{} |\n",
            "a".repeat(long.min(5_000))
        ),
        11 => "```rust\n".into(),
        12 => "\n[[section]]\nid = \"x\"\ntitle = \"X\"\nbody = '''\n".into(),
        13 => "\n[[quiz]]\nid = \"z\"\ntype = \"numeric\"\n".into(),
        14 => "\"".into(),
        15 => "'''".into(),
        16 => "= =\n".into(),
        17 => (0..deep.min(20_000))
            .map(|i| format!("bogus{i} = 1\n"))
            .collect(),
        18 => "x".repeat(long),
        19 => "|".repeat(deep.min(2_000)) + "\n" + &"|-".repeat(deep.min(2_000)) + "\n",
        20 => "*".repeat(deep) + "a" + &"*".repeat(deep),
        21 => "[".repeat(deep) + "](#anchor)",
        22 => "\u{0}\u{7}\u{8}\u{7f}\u{9b}\u{2066}".into(),
        23 => (0..deep.min(3_000))
            .map(|i| {
                format!(
                    "\n[[quiz]]\nid = \"fz{i}\"\ntype = \"single\"\nprompt = \"p\"\nchoices = [\"a\", \"b\"]\nanswer = 1\nexplanation = \"e\"\n"
                )
            })
            .collect(),
        _ => "<table><tr><td>x</td></tr></table>".into(),
    };
    s.into_bytes()
}

fn mutate(rng: &mut Rng, input: &mut Vec<u8>) {
    let rounds = 1 + rng.below(4);
    for _ in 0..rounds {
        let at = rng.below(input.len() + 1);
        match rng.below(8) {
            0..=2 => {
                let fragment = fragments(rng);
                input.splice(at..at, fragment);
            }
            3 => {
                let end = (at + rng.below(2_000)).min(input.len());
                input.drain(at..end);
            }
            4 => {
                let end = (at + rng.below(5_000)).min(input.len());
                let copy = input[at..end].to_vec();
                let times = 1 + rng.below(20);
                for _ in 0..times {
                    input.splice(at..at, copy.iter().copied());
                }
            }
            5 => {
                // Old Mac line endings, everywhere.
                for b in input.iter_mut() {
                    if *b == b'\n' {
                        *b = b'\r';
                    }
                }
            }
            6 => {
                if let Some(b) = input.get_mut(at) {
                    *b = rng.next() as u8;
                }
            }
            _ => {
                let fragment = fragments(rng);
                let end = (at + fragment.len()).min(input.len());
                input.splice(at..end, fragment);
            }
        }
    }
    input.truncate(MAX_INPUT);
}

fn check_diagnostic(d: &Diagnostic) -> Result<(), String> {
    let rendered = d.render();
    if sanitize(&rendered) != rendered {
        return Err(format!("control character in a diagnostic: {rendered:?}"));
    }
    if rendered.len() > 4_096 {
        return Err(format!(
            "diagnostic of {} bytes: {:?}",
            rendered.len(),
            &rendered[..200]
        ));
    }
    Ok(())
}

/// Everything one input must satisfy.
fn check(input: &[u8], rng: &mut Rng) -> Result<(), String> {
    match parse("lessons/01-fuzz.toml", input) {
        Err(diags) => {
            if diags.is_empty() || diags.len() > MAX_PER_FILE + 1 {
                return Err(format!("{} diagnostics", diags.len()));
            }
            // The located checks and the serde reading the model is built from agree.
            if let Some(d) = diags.iter().find(|d| d.message.contains(CHECKS_MISSED_IT)) {
                return Err(format!("the checks missed what serde refused: {d}"));
            }
            diags.iter().try_for_each(check_diagnostic)
        }
        Ok(parsed) => {
            if parsed.warnings.len() > MAX_PER_FILE + 1 {
                return Err(format!("{} warnings", parsed.warnings.len()));
            }
            parsed.warnings.iter().try_for_each(check_diagnostic)?;
            let markdown = lesson_markdown(&parsed.lesson);
            let width = 10 + rng.below(200) as u16;
            for theme in [Theme::MONO, Theme::COLOR] {
                let rendered = render(&markdown, width, &theme);
                for line in &rendered.lines {
                    if line.width() > usize::from(width.max(10)) {
                        return Err(format!("line of {} columns at {width}", line.width()));
                    }
                    for span in &line.spans {
                        if sanitize(&span.content) != span.content {
                            return Err(format!("control character shown: {:?}", span.content));
                        }
                    }
                }
                let shown = if theme.color {
                    to_ansi(&rendered.lines)
                } else {
                    to_plain(&rendered.lines)
                };
                // Output grows with the input, never with its nesting. Tables set the
                // constants: a long cell in a narrow column pads every other column on
                // each of its lines (13 bytes shown per byte in one fuzzed table), and
                // every table row is a full-width line of box drawing, 3 bytes a column,
                // however short its source line. Plus room for a small lesson's chrome.
                let source_lines = markdown.lines().count();
                let bound = 24 * markdown.len() + 4 * usize::from(width) * source_lines + 16_384;
                if shown.len() > bound {
                    return Err(format!(
                        "{} bytes shown for {} bytes of Markdown at width {width}",
                        shown.len(),
                        markdown.len()
                    ));
                }
            }
            Ok(())
        }
    }
}

fn seeds() -> Vec<Vec<u8>> {
    let mut seeds: Vec<Vec<u8>> = CourseSource::Embedded
        .lesson_files()
        .expect("embedded lessons")
        .into_iter()
        .map(|f| f.bytes.into_owned())
        .collect();
    // The smallest lesson that loads, for mutations to land in a valid frame.
    seeds.push(
        br#"id = "demo"
chapter = 1
title = "Demo"
summary = "A demo lesson."
minutes = 5
objectives = ["Learn"]

[[section]]
id = "one"
title = "One"
body = '''
Some *Markdown*.
'''
"#
        .to_vec(),
    );
    seeds
}

#[test]
fn mutated_lessons_load_and_render_safely() {
    let secs: u64 = std::env::var("SYSDESIGN_FUZZ_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let seed: u64 = std::env::var("SYSDESIGN_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
        });
    let seeds = seeds();
    let deadline = Instant::now() + Duration::from_secs(secs);
    let mut cases = 0u64;
    let mut slowest = (Duration::ZERO, 0u64);
    // At least one case, so `SYSDESIGN_FUZZ_SECS=0` replays exactly the seed given.
    while cases == 0 || Instant::now() < deadline {
        // Each case has its own seed, so one failing case replays alone.
        let case_seed = seed.wrapping_add(cases.wrapping_mul(0x9e37_79b9));
        let mut rng = Rng(case_seed);
        let mut input = seeds[rng.below(seeds.len())].clone();
        mutate(&mut rng, &mut input);
        let started = Instant::now();
        let outcome =
            catch_unwind(AssertUnwindSafe(|| check(&input, &mut rng))).unwrap_or_else(|panic| {
                let what = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                Err(format!("panic: {what}"))
            });
        let took = started.elapsed();
        if took > slowest.0 {
            slowest = (took, case_seed);
        }
        if let Err(problem) = outcome {
            let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-failures");
            let _ = std::fs::create_dir_all(&dir);
            let file = dir.join(format!("{case_seed}.toml"));
            let _ = std::fs::write(&file, &input);
            panic!(
                "case {cases} (SYSDESIGN_FUZZ_SEED={seed}, case seed {case_seed}): {problem}\ninput: {}",
                file.display()
            );
        }
        cases += 1;
    }
    eprintln!(
        "fuzz_lessons: {cases} cases in {secs} s, seed {seed}, slowest case {:.1?} (case seed {})",
        slowest.0, slowest.1
    );
    assert!(cases > 0, "no case ran");
}
