//! The design screen as the student reaches it: from the challenge card in chapter 1, with
//! the design file in the workspace, runs and grading arriving as messages from background
//! work, tweaks written into the file, and a pass saved in progress and counted.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;

#[path = "support/course_dir.rs"]
mod course_dir;

use sysdesign::cli::Env;
use sysdesign::theme::Theme;
use sysdesign::tui::design::app::{DesignJob, DesignMsg, DesignView, Panel};
use sysdesign::tui::model::{Model, Screen};
use sysdesign::tui::msg::{Effect, Msg};
use sysdesign::tui::{initial_model, update::update, view::view};

const CHALLENGE: &str = "size-a-tier";

fn model(width: u16, height: u16) -> (Model, tempfile::TempDir) {
    let ws = tempfile::tempdir().unwrap();
    let env = Env::new(None, Some(ws.path().to_path_buf()));
    (
        initial_model(&env, Rect::new(0, 0, width, height), Theme::MONO),
        ws,
    )
}

fn key(model: &mut Model, code: KeyCode) -> Vec<Effect> {
    update(model, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn draw(model: &Model) -> String {
    let area = model.size;
    let mut terminal = Terminal::new(TestBackend::new(area.width, area.height)).unwrap();
    terminal.draw(|f| view(model, f)).unwrap();
    let buffer = terminal.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..area.height {
        for x in 0..area.width {
            out.push_str(buffer[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

fn design_view(m: &Model) -> &DesignView {
    match &m.screen {
        Screen::Design(v) => v,
        _ => panic!("the design screen is open"),
    }
}

fn design_jobs(effects: &[Effect]) -> Vec<DesignJob> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Design(job) => Some(job.clone()),
            _ => None,
        })
        .collect()
}

/// Do the background jobs among `effects` as the event loop would, feeding what they report
/// back through `update` (and the jobs that causes), until none is left.
fn settle(m: &mut Model, effects: Vec<Effect>) {
    let mut jobs = design_jobs(&effects);
    while let Some(job) = jobs.pop() {
        let mut msgs = Vec::new();
        job.perform(&m.challenges, &mut |msg| msgs.push(msg));
        for msg in msgs {
            jobs.extend(design_jobs(&update(m, Msg::Design(msg))));
        }
    }
}

/// Open chapter 1 at the section that links the challenge and press D on its card.
fn open_challenge(m: &mut Model) -> Vec<Effect> {
    key(m, KeyCode::Enter);
    let lesson = m.course.lessons[0].lesson().unwrap().clone();
    let section = lesson
        .sections
        .iter()
        .position(|s| s.challenge.as_deref() == Some(CHALLENGE))
        .expect("chapter 1 links the challenge");
    sysdesign::tui::update::jump_to_section(m, section);
    let Screen::Reader(reader) = &m.screen else {
        panic!("the reader is open")
    };
    let card = reader.doc.lines.iter().any(|l| {
        l.spans
            .iter()
            .map(|s| s.content.as_ref())
            .collect::<String>()
            .contains("◆ Design challenge: size-a-tier (press D to open it)")
    });
    assert!(card, "the section shows the challenge card");
    // At every width, 80 columns included.
    let screen = draw(m);
    assert!(
        screen.lines().last().unwrap().contains(" D  challenge "),
        "the reader's footer offers the challenge:\n{screen}"
    );
    key(m, KeyCode::Char('D'))
}

fn design_file(ws: &tempfile::TempDir) -> std::path::PathBuf {
    ws.path().join("designs").join(format!("{CHALLENGE}.toml"))
}

#[test]
fn the_card_opens_the_screen_with_the_starting_design_written_once() {
    let (mut m, ws) = model(80, 24);
    let effects = open_challenge(&mut m);
    let file = design_file(&ws);
    let start = std::fs::read_to_string(&file).expect("the starting design is written");
    assert!(start.contains("instances = 4"), "{start}");
    assert!(effects.contains(&Effect::WatchExercise(Some(file.clone()))));
    // The run is background work: nothing has run yet.
    let jobs = design_jobs(&effects);
    assert!(
        matches!(jobs.as_slice(), [DesignJob::Run { seed: 1, .. }]),
        "{jobs:?}"
    );
    assert!(design_view(&m).running);
    assert!(m.animating().is_some(), "the spinner turns while it runs");
    // Leaving and coming back never overwrites the student's file.
    key(&mut m, KeyCode::Char('q'));
    assert!(
        matches!(m.screen, Screen::Reader(_)),
        "q goes back to the reader"
    );
    std::fs::write(&file, format!("# mine\n{start}")).unwrap();
    open_challenge(&mut m);
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .starts_with("# mine")
    );
}

#[test]
fn screens_at_80x24_and_200x60_initial_run_failing_and_passing_grades() {
    for (w, h) in [(80, 24), (200, 60)] {
        let (mut m, ws) = model(w, h);
        let effects = open_challenge(&mut m);
        insta::assert_snapshot!(format!("design_app_initial_{w}x{h}"), draw(&m));
        settle(&mut m, effects);
        assert!(!design_view(&m).running);
        insta::assert_snapshot!(format!("design_app_after_run_{w}x{h}"), draw(&m));

        // The starting design fails.
        let effects = key(&mut m, KeyCode::Char('g'));
        settle(&mut m, effects);
        let v = design_view(&m);
        assert_eq!(v.panel, Panel::Results);
        assert!(!v.grade.as_ref().unwrap().passed);
        insta::assert_snapshot!(format!("design_app_graded_fail_{w}x{h}"), draw(&m));
        assert!(!m.progress.challenge_passed(CHALLENGE));

        // One more instance of `search`, from the keys, saved into the file; then it passes.
        key(&mut m, KeyCode::Tab);
        assert_eq!(design_view(&m).panel, Panel::Design);
        key(&mut m, KeyCode::Down);
        let effects = key(&mut m, KeyCode::Char('+'));
        let text = std::fs::read_to_string(design_file(&ws)).unwrap();
        assert!(text.contains("instances = 5"), "{text}");
        assert!(
            text.starts_with("# Search:"),
            "the file's comments are kept:\n{text}"
        );
        settle(&mut m, effects);
        // The old grade says it is for an earlier version now.
        key(&mut m, KeyCode::Tab);
        key(&mut m, KeyCode::Tab);
        assert_eq!(design_view(&m).panel, Panel::Results);
        assert!(draw(&m).contains("for an earlier version of your file"));
        let effects = key(&mut m, KeyCode::Char('g'));
        settle(&mut m, effects);
        assert!(design_view(&m).grade.as_ref().unwrap().passed);
        assert!(!draw(&m).contains("for an earlier version of your file"));
        insta::assert_snapshot!(format!("design_app_graded_pass_{w}x{h}"), draw(&m));
        assert!(m.progress.challenge_passed(CHALLENGE));
    }
}

#[test]
fn grading_does_not_block_and_reports_each_seed() {
    let (mut m, _ws) = model(80, 24);
    let effects = open_challenge(&mut m);
    settle(&mut m, effects);
    let effects = key(&mut m, KeyCode::Char('g'));
    // `update` returned at once with the work still to do: the grade is not in yet.
    let jobs = design_jobs(&effects);
    assert!(
        matches!(jobs.as_slice(), [DesignJob::Grade { challenge, .. }] if challenge == CHALLENGE),
        "{jobs:?}"
    );
    assert_eq!(design_view(&m).grading, Some((0, 5)));
    assert!(design_view(&m).grade.is_none());
    assert!(draw(&m).contains("grading: seed 1 of 5"));
    // A second g while it runs starts nothing more.
    assert!(design_jobs(&key(&mut m, KeyCode::Char('g'))).is_empty());
    // The job runs elsewhere (a thread here, as in the app) and its messages arrive later.
    let challenges = m.challenges.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    let job = jobs.into_iter().next().unwrap();
    let worker =
        std::thread::spawn(move || job.perform(&challenges, &mut |msg| tx.send(msg).unwrap()));
    let mut progress = Vec::new();
    for msg in rx {
        if let DesignMsg::Grading { done, of } = &msg {
            progress.push((*done, *of));
        }
        update(&mut m, Msg::Design(msg));
        if let Some((done, of)) = design_view(&m).grading {
            assert!(draw(&m).contains(&format!("grading: seed {} of {of}", (done + 1).min(of))));
        }
    }
    worker.join().unwrap();
    assert_eq!(progress, (1..=5).map(|k| (k, 5)).collect::<Vec<_>>());
    assert!(design_view(&m).grading.is_none());
    assert!(design_view(&m).grade.is_some());
}

#[test]
fn a_parse_error_shows_where_and_a_fix_runs_again() {
    for (w, h) in [(80, 24), (200, 60)] {
        let (mut m, ws) = model(w, h);
        let effects = open_challenge(&mut m);
        settle(&mut m, effects);
        let file = design_file(&ws);
        let good = std::fs::read_to_string(&file).unwrap();
        std::fs::write(&file, good.replace("instances = 4", "instances = \"four\"")).unwrap();
        let effects = update(&mut m, Msg::ExerciseFileChanged(file.clone()));
        assert!(
            design_jobs(&effects).is_empty(),
            "a broken file does not run"
        );
        let screen = draw(&m);
        assert!(screen.contains("designs/size-a-tier.toml:"), "{screen}");
        assert!(screen.contains('^'), "a caret under the problem:\n{screen}");
        insta::assert_snapshot!(format!("design_app_parse_error_{w}x{h}"), screen);
        // Grading a broken file is refused with a reason, not attempted.
        assert!(design_jobs(&key(&mut m, KeyCode::Char('g'))).is_empty());
        // Saving a fix (the editor returning) runs it again.
        std::fs::write(&file, good.replace("instances = 4", "instances = 6")).unwrap();
        let effects = update(&mut m, Msg::EditorClosed);
        assert_eq!(design_jobs(&effects).len(), 1);
        settle(&mut m, effects);
        assert!(design_view(&m).problem.is_none());
        assert!(draw(&m).contains("search ×6"));
    }
}

#[test]
fn a_long_problem_is_wrapped_to_the_screen_not_cut() {
    let (mut m, ws) = model(80, 24);
    let effects = open_challenge(&mut m);
    settle(&mut m, effects);
    let file = design_file(&ws);
    let good = std::fs::read_to_string(&file).unwrap();
    let flat = |screen: &str| screen.split_whitespace().collect::<Vec<_>>().join(" ");

    // A misspelt key: the "did you mean" is on the screen, the caret still under the key.
    std::fs::write(&file, format!("{good}retires = 3\n")).unwrap();
    update(&mut m, Msg::ExerciseFileChanged(file.clone()));
    let screen = draw(&m);
    assert!(
        flat(&screen)
            .contains("unknown key `retires` in component `search`; did you mean `retries`?"),
        "{screen}"
    );
    assert!(
        screen.contains("| retires = 3") && screen.contains("| ^^^^^^^"),
        "{screen}"
    );
    insta::assert_snapshot!("design_app_unknown_key_80x24", screen);
    update(&mut m, Msg::Resize(200, 60));
    insta::assert_snapshot!("design_app_unknown_key_200x60", draw(&m));
    update(&mut m, Msg::Resize(80, 24));

    // A given fact changed: the whole explanation is readable, scrolling if it must.
    std::fs::write(
        &file,
        good.replace(
            "[[component]]\nname = \"search\"",
            "[[component]]\nname = \"search\"\nfanout = 2",
        ),
    )
    .unwrap();
    update(&mut m, Msg::ExerciseFileChanged(file.clone()));
    let problem = design_view(&m)
        .problem
        .clone()
        .expect("the changed given is refused");
    assert!(
        problem.contains("`fanout` is 1 in the challenge"),
        "{problem}"
    );
    let mut shown = String::new();
    for _ in 0..20 {
        shown.push_str(&draw(&m));
        key(&mut m, KeyCode::Down);
    }
    let last_words: Vec<&str> = problem.split_whitespace().rev().take(6).collect();
    for word in last_words {
        assert!(
            shown.contains(word),
            "`{word}` of {problem:?} is shown:\n{shown}"
        );
    }
    assert!(!shown.contains('…'), "nothing is cut:\n{shown}");
}

#[test]
fn a_file_that_is_not_text_is_said_as_the_cli_says_it() {
    let (mut m, ws) = model(80, 24);
    let effects = open_challenge(&mut m);
    settle(&mut m, effects);
    let file = design_file(&ws);
    std::fs::write(&file, b"#\xff\xfe binary\n").unwrap();
    let effects = update(&mut m, Msg::ExerciseFileChanged(file.clone()));
    assert!(design_jobs(&effects).is_empty(), "it does not run");
    let said = "file is not UTF-8 text (invalid byte at offset 1); save it as UTF-8";
    assert_eq!(
        design_view(&m).problem.as_deref(),
        Some(format!("designs/{CHALLENGE}.toml:1:1: error: {said}").as_str())
    );
    let cli = sysdesign::cli::design::load(&file).unwrap_err();
    assert_eq!(cli, format!("{}:1:1: error: {said}", file.display()));
    assert!(
        design_jobs(&key(&mut m, KeyCode::Char('g'))).is_empty(),
        "nor is it graded"
    );
}

#[test]
fn the_watcher_echo_of_a_tweak_does_not_run_twice() {
    let (mut m, ws) = model(80, 24);
    let effects = open_challenge(&mut m);
    settle(&mut m, effects);
    key(&mut m, KeyCode::Down);
    let effects = key(&mut m, KeyCode::Char('-'));
    assert_eq!(design_jobs(&effects).len(), 1);
    settle(&mut m, effects);
    let effects = update(&mut m, Msg::ExerciseFileChanged(design_file(&ws)));
    assert!(design_jobs(&effects).is_empty());
    // The load balancer has no knob: said, and nothing written.
    key(&mut m, KeyCode::Up);
    let before = std::fs::read_to_string(design_file(&ws)).unwrap();
    key(&mut m, KeyCode::Char('+'));
    assert!(draw(&m).contains("no capacity knob"));
    assert_eq!(std::fs::read_to_string(design_file(&ws)).unwrap(), before);
}

#[test]
fn a_pass_is_saved_and_counted_in_the_catalog() {
    let (mut m, ws) = model(80, 24);
    let lesson = m.course.lessons[0].lesson().unwrap().clone();
    let effects = open_challenge(&mut m);
    settle(&mut m, effects);
    key(&mut m, KeyCode::Down);
    let effects = key(&mut m, KeyCode::Char('+'));
    settle(&mut m, effects);
    let (done_before, _) = m.progress.completion(&lesson);
    let effects = key(&mut m, KeyCode::Char('g'));
    assert!(!effects.contains(&Effect::SaveProgress));
    let mut msgs = Vec::new();
    for job in design_jobs(&effects) {
        job.perform(&m.challenges, &mut |msg| msgs.push(msg));
    }
    let mut saved = false;
    for msg in msgs {
        saved |= update(&mut m, Msg::Design(msg)).contains(&Effect::SaveProgress);
    }
    assert!(saved, "a grade asks for a save");
    m.progress.save(&m.store).unwrap();
    let on_disk = m.store.read().progress;
    assert!(on_disk.challenge_passed(CHALLENGE));
    assert_eq!(on_disk.totals().challenges_passed, 1);
    // The lesson's total counts the challenge, and its done count the pass.
    let (done, total) = m.progress.completion(&lesson);
    assert_eq!(done, done_before + 1);
    assert_eq!(
        total,
        lesson.sections.len() + lesson.quizzes.len() + lesson.exercise_ids().count() + 1
    );
    let status = on_disk.chapter_status(&lesson);
    assert_eq!((status.challenges_passed, status.challenges), (1, 1));
    drop(ws);
}

#[test]
fn help_lists_the_design_screen_keys() {
    for (w, h) in [(80, 24), (200, 60)] {
        let (mut m, _ws) = model(w, h);
        open_challenge(&mut m);
        key(&mut m, KeyCode::Char('?'));
        let screen = draw(&m);
        // The help opens at the design screen's part of it, at every size.
        for line in [
            "│Design challenge",
            "select a component",
            "grade on the hidden seeds",
        ] {
            assert!(screen.contains(line), "{line}:\n{screen}");
        }
        insta::assert_snapshot!(format!("design_app_help_{w}x{h}"), screen);
        key(&mut m, KeyCode::Esc);
        assert!(
            matches!(m.screen, Screen::Design(_)),
            "Esc closes only the help"
        );
    }
}

#[test]
fn the_brief_at_both_sizes_and_the_failure_timeline_of_a_harder_challenge() {
    for (w, h) in [(80, 24), (200, 60)] {
        let (mut m, _ws) = model(w, h);
        let effects = open_challenge(&mut m);
        settle(&mut m, effects);
        key(&mut m, KeyCode::Tab);
        assert_eq!(design_view(&m).panel, Panel::Brief);
        let screen = draw(&m);
        assert!(screen.contains("Size a tier for a latency SLO"), "{screen}");
        insta::assert_snapshot!(format!("design_app_brief_{w}x{h}"), screen);
    }
    let (mut m, _ws) = model(80, 24);
    let effects = open_challenge(&mut m);
    settle(&mut m, effects);
    key(&mut m, KeyCode::Tab);
    // Tab without a grade goes back to the design, whose keys all fit 80 columns.
    key(&mut m, KeyCode::Tab);
    assert_eq!(design_view(&m).panel, Panel::Design);
    let screen = draw(&m);
    let footer = screen.lines().last().unwrap();
    assert!(
        footer.contains("+/-  size") && footer.contains("q  back"),
        "{footer}"
    );
    // A challenge with failures and several tiers, opened straight from its id.
    for (w, h) in [(80, 24), (200, 60)] {
        let (mut m, _ws) = model(w, h);
        let mut effects = Vec::new();
        sysdesign::tui::design::app::open(&mut m, "url-shortener", &mut effects);
        settle(&mut m, effects);
        let screen = draw(&m);
        assert!(screen.contains("zone outage"), "{screen}");
        insta::assert_snapshot!(format!("design_app_url_shortener_{w}x{h}"), screen);
        key(&mut m, KeyCode::Char('q'));
        assert!(
            matches!(m.screen, Screen::Catalog),
            "opened from the catalog, q returns there"
        );
    }
}

#[test]
fn an_editor_that_cannot_run_is_explained_over_the_screen() {
    let (mut m, _ws) = model(80, 24);
    let effects = open_challenge(&mut m);
    settle(&mut m, effects);
    let effects = key(&mut m, KeyCode::Char('e'));
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::OpenEditor(p) if p.ends_with("designs/size-a-tier.toml")))
    );
    let problem = "cannot run `nope` (No such file or directory); set $EDITOR";
    update(&mut m, Msg::EditorFailed(problem.into()));
    assert!(draw(&m).contains("cannot run `nope`"));
    key(&mut m, KeyCode::Enter);
    assert!(m.overlay.is_none());
    assert!(
        matches!(m.screen, Screen::Design(_)),
        "still on the design screen"
    );
}

#[test]
fn a_changed_challenge_under_course_dir_reruns_the_open_screen_against_it() {
    let course = course_dir::shipped(&["lessons", "exercises", "challenges"]);
    let ws = tempfile::tempdir().unwrap();
    let env = Env::new(
        Some(course.path().to_path_buf()),
        Some(ws.path().to_path_buf()),
    );
    let mut m = initial_model(&env, Rect::new(0, 0, 80, 24), Theme::MONO);
    let effects = open_challenge(&mut m);
    settle(&mut m, effects);
    let requirement = |m: &Model| {
        design_view(m)
            .screen
            .as_ref()
            .and_then(|s| s.requirements.p99_ms)
    };
    assert_eq!(requirement(&m), Some(150.0));

    // The instructor tightens the SLO: the open screen runs the same file against it.
    let file = course.path().join("challenges/size-a-tier/challenge.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("p99_ms = 150", "p99_ms = 120")).unwrap();
    let effects = update(&mut m, Msg::ChallengesChanged);
    assert_eq!(m.flash.as_deref(), Some("challenges reloaded"));
    assert_eq!(requirement(&m), Some(120.0));
    assert!(
        matches!(design_jobs(&effects).as_slice(), [DesignJob::Run { .. }]),
        "the design runs again"
    );
    settle(&mut m, effects);
    assert!(draw(&m).contains("120"), "{}", draw(&m));

    // Mid-edit the file does not load: the last good version stays, and the footer says why.
    std::fs::write(&file, "id = \"size-a-tier\"\nchapter = \n").unwrap();
    let effects = update(&mut m, Msg::ChallengesChanged);
    settle(&mut m, effects);
    let said = m.flash.clone().unwrap_or_default();
    assert!(
        said.starts_with("challenges/size-a-tier/challenge.toml:2:")
            && said.ends_with("keeping the last version that loaded"),
        "{said}"
    );
    assert_eq!(requirement(&m), Some(120.0));
    assert!(m.challenges.iter().any(|c| c.id == CHALLENGE));
    // The screen says so too, after the next key and after reopening it.
    let why = "challenges/size-a-tier/challenge.toml:2:";
    let flat = |m: &Model| draw(m).split_whitespace().collect::<Vec<_>>().join(" ");
    key(&mut m, KeyCode::Tab);
    key(&mut m, KeyCode::Tab);
    let shown = flat(&m);
    assert!(
        shown.contains(why) && shown.contains("this screen runs the last version that loaded"),
        "{}",
        draw(&m)
    );
    insta::assert_snapshot!("design_app_challenge_does_not_load_80x24", draw(&m));
    update(&mut m, Msg::Resize(200, 60));
    let wide = draw(&m);
    assert!(
        wide.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .contains(why),
        "{wide}"
    );
    insta::assert_snapshot!("design_app_challenge_does_not_load_200x60", wide);
    update(&mut m, Msg::Resize(80, 24));
    key(&mut m, KeyCode::Char('q'));
    assert!(matches!(m.screen, Screen::Reader(_)));
    let effects = key(&mut m, KeyCode::Char('D'));
    settle(&mut m, effects);
    assert!(flat(&m).contains(why), "{}", draw(&m));
    // Fixed, it loads again and the notice is gone.
    std::fs::write(&file, text.replace("p99_ms = 150", "p99_ms = 130")).unwrap();
    let effects = update(&mut m, Msg::ChallengesChanged);
    settle(&mut m, effects);
    assert_eq!(requirement(&m), Some(130.0));
    assert!(!flat(&m).contains(why), "{}", draw(&m));

    // The folder is gone: the screen closes, back to the reader.
    std::fs::remove_dir_all(course.path().join("challenges/size-a-tier")).unwrap();
    let effects = update(&mut m, Msg::ChallengesChanged);
    assert!(matches!(m.screen, Screen::Reader(_)));
    assert!(effects.contains(&Effect::WatchExercise(None)));
    assert_eq!(
        m.flash.as_deref(),
        Some("challenge `size-a-tier` is gone from challenges/")
    );
}

/// The stop flag of a run job.
fn stop_of(job: &DesignJob) -> sysdesign::tui::design::app::StopFlag {
    match job {
        DesignJob::Run { stop, .. } => stop.clone(),
        other => panic!("not a run: {other:?}"),
    }
}

#[test]
fn a_newer_design_stops_the_run_under_way_and_runs_itself() {
    let (mut m, ws) = model(80, 24);
    let effects = open_challenge(&mut m);
    let first = design_jobs(&effects).pop().expect("the first run");
    let first_stop = stop_of(&first);
    // The student saves a new version while the first run is still going.
    let text = std::fs::read_to_string(design_file(&ws)).unwrap();
    std::fs::write(
        design_file(&ws),
        text.replace("instances = 4", "instances = 6"),
    )
    .unwrap();
    let effects = update(&mut m, Msg::ExerciseFileChanged(design_file(&ws)));
    assert!(
        first_stop.is_stopped(),
        "the superseded run is told to stop"
    );
    assert!(design_jobs(&effects).is_empty(), "one run at a time");
    // The stopped run reports back; the newer design runs at once, on a fresh flag.
    let mut msgs = Vec::new();
    first.perform(&m.challenges, &mut |msg| msgs.push(msg));
    assert!(
        matches!(msgs.as_slice(), [DesignMsg::Stopped { .. }]),
        "{msgs:?}"
    );
    let effects = update(&mut m, Msg::Design(msgs.pop().unwrap()));
    let second = design_jobs(&effects).pop().expect("the newer design runs");
    assert!(!stop_of(&second).is_stopped());
    settle(&mut m, vec![Effect::Design(second.clone())]);
    assert!(draw(&m).contains("search ×6"));
    // Leaving the screen stops a run nobody will see.
    let effects = update(&mut m, Msg::ExerciseFileChanged(design_file(&ws)));
    assert!(design_jobs(&effects).is_empty());
    std::fs::write(
        design_file(&ws),
        text.replace("instances = 4", "instances = 7"),
    )
    .unwrap();
    let effects = update(&mut m, Msg::ExerciseFileChanged(design_file(&ws)));
    let third = design_jobs(&effects)
        .pop()
        .expect("a run of the third version");
    key(&mut m, KeyCode::Char('q'));
    assert!(stop_of(&third).is_stopped());
}
