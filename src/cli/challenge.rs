//! `sysdesign challenge list` and `sysdesign challenge run ID`: design challenges, graded
//! headless on hidden seeds. Exit codes: 0 pass, 1 fail, 2 bad input.

use std::path::{Path, PathBuf};

use serde_json::json;

use super::Env;
use crate::course::CourseSource;
use crate::design::challenge::{self, Challenge, Grade};

pub fn load(env: &Env) -> Result<Vec<Challenge>, i32> {
    let dir = match &env.source {
        CourseSource::Embedded => None,
        CourseSource::Dir(d) => Some(d.as_path()),
    };
    let (challenges, problems) = challenge::load(dir);
    if !problems.is_empty() {
        for p in &problems {
            eprintln!("{}\n", p.render());
        }
        return Err(2);
    }
    Ok(challenges)
}

pub fn list(env: &Env, json: bool) -> i32 {
    let challenges = match load(env) {
        Ok(c) => c,
        Err(code) => return code,
    };
    if json {
        let items: Vec<_> = challenges
            .iter()
            .map(|c| {
                json!({
                    "id": c.id,
                    "chapter": c.chapter,
                    "title": c.title,
                    "requirements": c.requirements,
                    "seeds": c.seeds.len(),
                    "duration_s": c.duration_s,
                })
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&items).unwrap_or_default()
        );
        return 0;
    }
    for c in &challenges {
        println!("{:>2}  {:<24} {}", c.chapter, c.id, c.title);
    }
    0
}

pub fn run(env: &Env, id: &str, design: Option<&Path>, json: bool) -> i32 {
    let challenges = match load(env) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let Some(c) = challenges.iter().find(|c| c.id == id) else {
        let ids: Vec<&str> = challenges.iter().map(|c| c.id.as_str()).collect();
        let hint = crate::course::diagnostic::did_you_mean(id, ids.iter().copied())
            .map_or(format!("; challenges: {}", ids.join(", ")), |c| {
                format!("; did you mean `{c}`?")
            });
        eprintln!("error: no challenge `{id}`{hint}");
        return 2;
    };
    let path: PathBuf = match design {
        Some(p) => p.to_path_buf(),
        None => {
            let p = challenge::workspace_path(&env.workspace, &c.id);
            if !p.exists() {
                let written = p
                    .parent()
                    .map_or(Ok(()), std::fs::create_dir_all)
                    .and_then(|_| std::fs::write(&p, &c.start_source));
                if let Err(e) = written {
                    eprintln!(
                        "error: cannot write the starting design to {}: {e}",
                        p.display()
                    );
                    return 2;
                }
                eprintln!(
                    "wrote the starting design to {}; edit it and run this again",
                    p.display()
                );
            }
            p
        }
    };
    let d = match super::design::load(&path) {
        Ok(d) => d,
        Err(message) => {
            eprintln!("{message}");
            return 2;
        }
    };
    let grade = match c.grade(&d, |_, _| {}) {
        Ok(g) => g,
        Err(message) => {
            eprintln!("{}: error: {message}", path.display());
            return 2;
        }
    };
    if design.is_none() {
        record(env, &c.id, grade.passed);
    }
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&grade).unwrap_or_default()
        );
    } else {
        print!("{}", render(c, &grade));
    }
    if grade.passed { 0 } else { 1 }
}

/// Save a grade of the workspace's design in progress, as `sysdesign grade` and the app do:
/// in the lessons that link the challenge. A problem saving is a warning; the verdict stands.
fn record(env: &Env, id: &str, passed: bool) {
    let lessons = env.load_course().lessons_linking(id);
    if lessons.is_empty() {
        eprintln!("{}", unlinked_note(id));
        return;
    }
    let change = crate::progress::Change::ChallengeGraded {
        challenge: id.to_string(),
        lessons,
        passed,
    };
    match env.progress_store().update(|p| change.apply(p)) {
        Ok(saved) => {
            if let Some(notice) = saved.notice {
                eprintln!("note: {notice}");
            }
        }
        Err(e) => eprintln!("warning: {e}"),
    }
}

/// Why a grade of `id` was not saved: progress keeps a pass in the lessons that link it.
pub(super) fn unlinked_note(id: &str) -> String {
    format!(
        "note: no lesson links challenge `{id}`, so this grade is not saved in progress; \
         `sysdesign check` says where to link it"
    )
}

/// Every challenge must be linked by a section, as exercises are: a student finds challenges
/// only through their cards in a lesson, and a pass is saved in the lessons that link it.
fn unlinked(
    challenges: &[Challenge],
    course: &crate::course::Course,
    dir: Option<&Path>,
) -> Vec<crate::course::Diagnostic> {
    let lessons: Vec<_> = course.ready().collect();
    challenges
        .iter()
        .filter(|c| course.lessons_linking(&c.id).is_empty())
        .map(|c| {
            let place = match lessons.iter().find(|l| l.chapter == c.chapter) {
                Some(l) => format!("a section of chapter {}'s lesson `{}`", c.chapter, l.id),
                None => "the section that teaches it".to_string(),
            };
            let message = format!(
                "no section links challenge `{id}`, so no student finds it in the app and a \
                 pass is not saved; add `challenge = \"{id}\"` to {place}",
                id = c.id
            );
            let path = format!("challenges/{}/challenge.toml", c.id);
            challenge::meta_source(dir, &c.id)
                .and_then(|text| {
                    let span = super::check::value_span(&text, "id")?;
                    let map = crate::course::SourceMap::new(&text);
                    Some(crate::course::Diagnostic::at(
                        &path,
                        &map,
                        span,
                        message.clone(),
                    ))
                })
                .unwrap_or_else(|| crate::course::Diagnostic::whole_file(&path, message))
        })
        .collect()
}

/// The verdict as a table: one row per requirement, one column per seed.
pub fn render(c: &Challenge, g: &Grade) -> String {
    let passed = g.seeds.iter().filter(|s| s.passed).count();
    let mut out = format!(
        "{} · {}: {} ({passed} of {} seeds pass)\n\n",
        c.id,
        c.title,
        if g.passed { "PASS" } else { "FAIL" },
        g.seeds.len()
    );
    let names: Vec<(&str, &str)> = g
        .seeds
        .first()
        .map(|s| {
            s.checks
                .iter()
                .map(|k| (k.name, k.target.as_str()))
                .collect()
        })
        .unwrap_or_default();
    out.push_str(&format!("{:<14} {:<12}", "requirement", "target"));
    for s in &g.seeds {
        out.push_str(&format!(" {:>16}", format!("seed {}", s.seed)));
    }
    out.push('\n');
    for (i, (name, target)) in names.iter().enumerate() {
        out.push_str(&format!("{name:<14} {target:<12}"));
        for s in &g.seeds {
            let k = &s.checks[i];
            let mark = if k.passed { "✓" } else { "✗" };
            out.push_str(&format!(" {:>16}", format!("{} {mark}", k.measured)));
        }
        out.push('\n');
    }
    if let Some(b) = &g.bottleneck {
        out.push_str(&format!(
            "\nbottleneck: {} at {:.0}% utilization\n",
            b.component,
            b.utilization * 100.0
        ));
    }
    if !g.errors.is_empty() {
        out.push_str(
            "failed calls, where they failed (retries may have hidden some from clients):\n",
        );
        for e in g.errors.iter().take(5) {
            out.push_str(&format!(
                "  {:<16} {:<20} {}\n",
                e.component, e.reason, e.count
            ));
        }
    }
    if let Some(h) = &g.hint {
        out.push_str(&format!("\nhint: {h}\n"));
    }
    if let Some(e) = &g.explanation {
        out.push_str(&format!("\n{}\n", e.trim_end()));
    }
    out
}

/// For `sysdesign check`: validate the challenges and the lessons' links to them and, with
/// `prove`, show that every starting design fails and every reference design passes. Prints
/// each problem and returns how many there were, with the number of challenges proven.
pub fn check(env: &Env, course: &crate::course::Course, prove: bool) -> (usize, usize) {
    let dir = match &env.source {
        CourseSource::Embedded => None,
        CourseSource::Dir(d) => Some(d.as_path()),
    };
    let (challenges, problems) = challenge::load(dir);
    // An "… and N more" line stands for the N problems it holds back.
    let mut errors: usize = problems.iter().map(|p| p.problems()).sum();
    for p in &problems {
        eprintln!("{}\n", p.render());
    }
    let ids: Vec<&str> = challenges.iter().map(|c| c.id.as_str()).collect();
    for lesson in course.ready() {
        for s in &lesson.sections {
            if let Some(id) = &s.challenge
                && !ids.contains(&id.as_str())
            {
                let hint = crate::course::diagnostic::did_you_mean(id, ids.iter().copied())
                    .map_or(format!("; challenges: {}", ids.join(", ")), |c| {
                        format!("; did you mean `{c}`?")
                    });
                eprintln!(
                    "{}: error: section `{}` links to no challenge `{id}`{hint}\n",
                    lesson.path, s.id
                );
                errors += 1;
            }
        }
    }
    for problem in unlinked(&challenges, course, dir) {
        eprintln!("{}\n", problem.render());
        errors += 1;
    }
    if !prove {
        return (errors, 0);
    }
    for p in challenge::prove(&challenges) {
        eprintln!("{p}\n");
        errors += 1;
    }
    (errors, challenges.len())
}
