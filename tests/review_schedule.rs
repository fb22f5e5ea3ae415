//! The review schedule: FSRS intervals grow after right answers and shrink after wrong ones,
//! cards live in progress and survive its read-merge-write, and the queue mixes chapters.
//! Every time here is a fixed instant; the wall clock is never read.

use sysdesign::cli::Env;
use sysdesign::grade::quiz::Answer;
use sysdesign::progress::{Change, LiveProgress, Progress, ProgressStore};
use sysdesign::review::{ReviewCard, due_cards, summary};

/// 2026-01-01T00:00:00Z.
const T0: i64 = 1_767_225_600;
const MINUTE: i64 = 60;
const DAY: i64 = 86_400;

/// Answer at each card's due time, as a student working the queue does.
fn run(answers: &[bool]) -> Vec<ReviewCard> {
    let mut cards: Vec<ReviewCard> = Vec::new();
    let mut now = T0;
    for &right in answers {
        let card = ReviewCard::answered(cards.last(), right, now);
        now = card.due;
        cards.push(card);
    }
    cards
}

#[test]
fn intervals_grow_after_right_answers() {
    let cards = run(&[true, true, true, true, true]);
    let intervals: Vec<i64> = cards.iter().map(ReviewCard::interval).collect();
    for pair in intervals.windows(2) {
        assert!(pair[1] > pair[0], "{intervals:?}");
    }
    assert!(
        intervals[0] <= 15 * MINUTE,
        "a new right answer comes back within the session: {intervals:?}"
    );
    assert!(
        intervals[4] >= 7 * DAY,
        "after five right answers, a week or more: {intervals:?}"
    );
}

#[test]
fn a_wrong_answer_brings_the_card_back_soon() {
    let right = run(&[true, true, true, true]);
    let settled = right.last().unwrap();
    assert!(settled.interval() >= DAY, "{settled:?}");
    let wrong = ReviewCard::answered(Some(settled), false, settled.due);
    assert!(
        wrong.interval() < settled.interval() && wrong.interval() <= 10 * MINUTE,
        "a lapse shrinks the interval to minutes: {} after {}",
        wrong.interval(),
        settled.interval()
    );
    assert_eq!(wrong.lapses, settled.lapses + 1);
    // A first answer that is wrong comes back sooner than a first answer that is right.
    let first_wrong = ReviewCard::answered(None, false, T0);
    let first_right = ReviewCard::answered(None, true, T0);
    assert!(first_wrong.interval() < first_right.interval());
    // And recovering from the lapse grows again.
    let back = ReviewCard::answered(Some(&wrong), true, wrong.due);
    assert!(back.interval() > wrong.interval());
}

#[test]
fn the_same_answers_at_the_same_times_give_the_same_schedule() {
    assert_eq!(
        run(&[true, false, true, true]),
        run(&[true, false, true, true])
    );
}

fn answer(lesson: &str, quiz: &str, correct: bool, at: i64) -> [Change; 2] {
    [
        Change::QuizAnswered {
            lesson: lesson.into(),
            quiz: quiz.into(),
            answer: Answer::Single { choice: 0 },
            correct,
        },
        Change::CardReviewed {
            lesson: lesson.into(),
            quiz: quiz.into(),
            correct,
            at,
        },
    ]
}

#[test]
fn cards_are_saved_in_progress_and_merge_with_other_writers() {
    let dir = tempfile::tempdir().unwrap();
    let store = ProgressStore::in_dir(dir.path());
    let mut app = LiveProgress::new(store.open());
    for c in answer("intro", "perf-vs-scale", true, T0) {
        app.record(c);
    }
    // Another writer saves meanwhile.
    store
        .update(|p| {
            Change::ExerciseGraded {
                exercise: "round-robin".into(),
                passed: true,
            }
            .apply(p)
        })
        .unwrap();
    app.save(&store).unwrap();
    let on_disk = store.read().progress;
    assert!(on_disk.exercise_passed("round-robin"));
    let card = on_disk.lessons["intro"].quizzes["perf-vs-scale"]
        .card
        .clone()
        .unwrap();
    assert_eq!(card, ReviewCard::answered(None, true, T0));
    // A later answer keeps the card and moves it on.
    for c in answer("intro", "perf-vs-scale", true, card.due) {
        app.record(c);
    }
    app.save(&store).unwrap();
    let again = &store.read().progress.lessons["intro"].quizzes["perf-vs-scale"];
    assert_eq!(again.attempts, 2);
    assert!(again.card.as_ref().unwrap().interval() > card.interval());
}

#[test]
fn files_without_cards_still_load_and_a_reset_meanwhile_schedules_nothing() {
    let old = r#"{"version": 1, "lessons": {"intro": {"quizzes": {
        "q": {"answer": {"type": "single", "choice": 1}, "correct": true, "attempts": 1}}}}}"#;
    let p: Progress = serde_json::from_str(old).unwrap();
    assert_eq!(p.lessons["intro"].quizzes["q"].card, None);
    let mut empty = Progress::default();
    Change::CardReviewed {
        lesson: "intro".into(),
        quiz: "q".into(),
        correct: true,
        at: T0,
    }
    .apply(&mut empty);
    assert_eq!(empty, Progress::default());
}

#[test]
fn the_queue_holds_due_cards_mixed_across_chapters() {
    let course = Env::new(None, None).load_course();
    let mut p = Progress::default();
    // Three quizzes of chapter 1 answered first, then two of chapter 5, one wrong.
    let answers = [
        ("intro", "perf-vs-scale", true, T0),
        ("intro", "nines-month", true, T0 + 1),
        ("intro", "series-three", true, T0 + 2),
        ("caching", "hit-ratio-db-load", true, T0 + 3),
        ("caching", "avg-latency", false, T0 + 4),
    ];
    for (lesson, quiz, right, at) in answers {
        for c in answer(lesson, quiz, right, at) {
            c.apply(&mut p);
        }
    }
    assert!(
        due_cards(&course, &p, T0 + 5).is_empty(),
        "nothing due at once"
    );
    let s = summary(&course, &p, T0 + 5);
    assert_eq!((s.cards, s.due), (5, 0));
    let wrong_due = p.lessons["caching"].quizzes["avg-latency"]
        .card
        .as_ref()
        .unwrap()
        .due;
    assert_eq!(
        s.next_due,
        Some(wrong_due),
        "the wrong answer is the next due"
    );

    let later = T0 + DAY;
    let due = due_cards(&course, &p, later);
    let order: Vec<(&str, u32)> = due.iter().map(|c| (c.lesson.as_str(), c.chapter)).collect();
    assert_eq!(order.len(), 5, "{order:?}");
    assert_eq!(
        order.iter().map(|(_, ch)| *ch).collect::<Vec<_>>(),
        [5, 1, 5, 1, 1],
        "chapters take turns, the one with the most overdue card (the wrong answer) first"
    );
    // Each card links back to the section that embeds its quiz.
    let intro = course.find("intro").unwrap();
    for card in due.iter().filter(|c| c.lesson == "intro") {
        assert!(intro.sections[card.section].quizzes.contains(&card.quiz));
    }
    assert_eq!(summary(&course, &p, later).due, 5);
}
