//! `sysdesign review`: how many review cards are due, which, and when the next one is.
//! Read-only, like `sysdesign progress`.

use serde::Serialize;

use crate::course::Course;
use crate::progress::Progress;
use crate::review::{Clock, due_cards, summary};

use super::Env;

#[derive(Serialize)]
struct Report {
    cards: usize,
    due: usize,
    /// RFC 3339, UTC.
    next_due: Option<String>,
    due_cards: Vec<DueRow>,
}

#[derive(Serialize)]
struct DueRow {
    lesson: String,
    quiz: String,
    section: String,
    due: String,
}

pub fn run(env: &Env, json: bool, clock: Clock) -> i32 {
    let loaded = env.progress_store().read();
    if let Some(n) = &loaded.notice {
        eprintln!("note: {n}");
    }
    if !loaded.writable {
        return 1;
    }
    let course = env.load_course();
    let now = clock.now();
    if json {
        println!("{}", json_report(&course, &loaded.progress, now));
    } else {
        print!("{}", text_report(&course, &loaded.progress, now));
    }
    0
}

pub fn json_report(course: &Course, progress: &Progress, now: i64) -> String {
    let s = summary(course, progress, now);
    let due_cards = due_cards(course, progress, now)
        .into_iter()
        .filter_map(|c| {
            let lesson = course.find(&c.lesson)?;
            Some(DueRow {
                quiz: lesson.quizzes[c.quiz].id.clone(),
                section: lesson.sections[c.section].id.clone(),
                lesson: c.lesson,
                due: rfc3339(c.due),
            })
        })
        .collect();
    let report = Report {
        cards: s.cards,
        due: s.due,
        next_due: s.next_due.map(rfc3339),
        due_cards,
    };
    serde_json::to_string_pretty(&report).expect("the report serialises")
}

pub fn text_report(course: &Course, progress: &Progress, now: i64) -> String {
    let s = summary(course, progress, now);
    let mut out = String::new();
    if s.cards == 0 {
        out.push_str(
            "No review cards yet: every quiz you answer becomes one. Open the course and \
             answer a few.\n",
        );
        return out;
    }
    out.push_str(&format!(
        "{} due now, of {} review {}.\n",
        s.due,
        s.cards,
        if s.cards == 1 { "card" } else { "cards" }
    ));
    if let Some(next) = s.next_due {
        out.push_str(&format!(
            "next: {} (in {})\n",
            utc_minutes(next),
            span(next - now)
        ));
    }
    let due = due_cards(course, progress, now);
    if !due.is_empty() {
        out.push_str("\ndue (press r in the catalog to review them):\n");
        for c in due {
            let Some(lesson) = course.find(&c.lesson) else {
                continue;
            };
            out.push_str(&format!(
                "  {}.{} {} · {}\n",
                lesson.chapter,
                c.section + 1,
                crate::markdown::sanitize(&lesson.sections[c.section].title),
                lesson.quizzes[c.quiz].id
            ));
        }
    }
    out
}

fn datetime(t: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(t, 0).unwrap_or_default()
}

fn rfc3339(t: i64) -> String {
    datetime(t).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn utc_minutes(t: i64) -> String {
    datetime(t).format("%Y-%m-%d %H:%M UTC").to_string()
}

/// A positive duration in its two largest units: "3 d 4 h", "12 min", "40 s".
pub fn span(seconds: i64) -> String {
    let s = seconds.max(0);
    let (d, h, m) = (s / 86_400, s % 86_400 / 3_600, s % 3_600 / 60);
    match (d, h, m) {
        (0, 0, 0) => format!("{s} s"),
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, 0, _) => format!("{d} d"),
        (d, h, _) => format!("{d} d {h} h"),
    }
}
