//! The interactive app, in the Elm Architecture: a `Model`, `Msg`s, `update` and a pure
//! `view`. One `select!` loop feeds it terminal events, a tick that exists only while
//! something animates, background channels, and signals. It draws only after a change.

pub mod design;
pub mod document;
mod editor;
pub mod exercise_view;
pub mod layout;
pub mod model;
pub mod msg;
pub mod quiz;
pub mod review_session;
pub mod search;
pub mod sql;
pub mod terminal;
pub mod update;
pub mod view;
pub mod viz;
pub mod viz_player;
mod watch;

use std::time::Duration;

use futures::StreamExt;
use ratatui::crossterm::event::{Event, EventStream, KeyEventKind};
use ratatui::crossterm::{
    execute, terminal::BeginSynchronizedUpdate, terminal::EndSynchronizedUpdate,
};
use ratatui::layout::Rect;
use tokio::sync::mpsc;

use crate::cli::Env;
use crate::theme::Theme;
use model::{Model, Overlay};
use msg::{Effect, Msg};

/// How long the reader must stay still before its position is saved.
const SAVE_AFTER_STILL: Duration = Duration::from_secs(1);

/// Run the TUI until the student quits. Returns the process exit code.
pub fn run(env: Env) -> i32 {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the event loop: {e}");
            return 2;
        }
    };
    runtime.block_on(run_async(env))
}

/// The model as the app starts: course loaded, progress read, the last lesson reopened.
pub fn initial_model(env: &Env, size: Rect, theme: Theme) -> Model {
    model_from(load_inputs(env), env, size, theme)
}

/// What the app reads before it can show the catalog: the slow part of start-up.
pub struct Inputs {
    course: crate::course::Course,
    exercises: Vec<crate::grade::Exercise>,
    challenges: Vec<crate::design::challenge::Challenge>,
    progress: crate::progress::Loaded,
}

pub fn load_inputs(env: &Env) -> Inputs {
    let (course, exercises, challenges) = load_course(env);
    Inputs {
        course,
        exercises,
        challenges,
        progress: env.progress_store().open(),
    }
}

/// The course, its exercises and its design challenges, parsed and validated: the slow part
/// of start-up, done after the first frame when the catalog can be drawn from the outline.
fn load_course(
    env: &Env,
) -> (
    crate::course::Course,
    Vec<crate::grade::Exercise>,
    Vec<crate::design::challenge::Challenge>,
) {
    let (exercises, _) = env.exercises();
    let ids = exercises.iter().map(|e| e.id.clone()).collect();
    let course = crate::course::Course::load(env.source.clone(), &ids);
    // Those that load; `sysdesign check` reports the rest.
    let challenges = crate::design::challenge::load(match &env.source {
        crate::course::CourseSource::Embedded => None,
        crate::course::CourseSource::Dir(dir) => Some(dir.as_path()),
    })
    .0;
    (course, exercises, challenges)
}

fn model_from(inputs: Inputs, env: &Env, size: Rect, theme: Theme) -> Model {
    let Inputs {
        course,
        exercises,
        challenges,
        progress: loaded,
    } = inputs;
    let store = env.progress_store();
    let notice = loaded.notice.clone();
    let mut model = Model::new(
        model::Content {
            course,
            exercises,
            challenges,
        },
        env.student_workspace(),
        crate::progress::LiveProgress::new(loaded),
        store,
        theme,
        size,
    );
    if model.progress.last_lesson.is_some() {
        let last = model.selected;
        update::open_lesson(&mut model, last);
    }
    if let Some(notice) = notice {
        model.overlay = Some(Overlay::Notice(notice));
    }
    model
}

async fn run_async(env: Env) -> i32 {
    let progress = env.progress_store().open();
    // The built-in course's catalog is drawn from its outline before the course is parsed,
    // when the app opens on the catalog (a returning student resumes in a lesson instead).
    let outline = match (&env.source, &progress.progress.last_lesson) {
        (crate::course::CourseSource::Embedded, None) => crate::course::Course::outline(),
        _ => None,
    };
    let spawn_loader = |env: Env| std::thread::spawn(move || load_course(&env));
    // Without an outline, parse the course while the terminal is set up and a first frame
    // is shown.
    let mut loader = outline.is_none().then(|| spawn_loader(env.clone()));
    // Before the terminal is taken: a SIGTERM while the course loads must still end the app
    // cleanly (terminal restored, progress saved) once the event loop sees it.
    let signals = Signals::new();
    let mut term = match terminal::enter() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot set up the terminal: {e}; is this an interactive terminal?");
            return 2;
        }
    };
    let size = term
        .size()
        .map(|s| Rect::new(0, 0, s.width, s.height))
        .unwrap_or_default();
    let theme = Theme::from_env();
    match outline {
        Some(outline) => {
            let first = model_from(
                Inputs {
                    course: outline,
                    exercises: Vec::new(),
                    challenges: Vec::new(),
                    progress: crate::progress::Loaded {
                        progress: progress.progress.clone(),
                        notice: progress.notice.clone(),
                        writable: progress.writable,
                    },
                },
                &env,
                size,
                theme,
            );
            let _ = term.draw(|frame| view::view(&first, frame));
            // Parsing starts after the first frame, so that it does not compete for a core.
            loader = Some(spawn_loader(env.clone()));
        }
        None => {
            let _ = term.draw(|frame| view::loading(frame, &theme, &env.pack.pack.title));
        }
    }
    let inputs = match loader.map(std::thread::JoinHandle::join) {
        Some(Ok((course, exercises, challenges))) => Inputs {
            course,
            exercises,
            challenges,
            progress,
        },
        _ => {
            terminal::restore();
            eprintln!("error: loading the course failed unexpectedly");
            return 1;
        }
    };
    let mut model = model_from(inputs, &env, size, theme);
    let (tx, mut rx) = mpsc::unbounded_channel::<Msg>();
    let _watcher = match model.course.source.lessons_dir() {
        Some(dir) => match watch::lessons(dir, tx.clone()) {
            Ok(w) => Some(w),
            Err(e) => {
                model.flash = Some(format!("live reload is off: {e}"));
                None
            }
        },
        None => None,
    };
    let mut exercises_watcher = match &model.course.source {
        crate::course::CourseSource::Dir(dir) => match watch::exercises(dir.clone(), tx.clone()) {
            Ok(w) => Some(w),
            Err(e) => {
                model.flash = Some(format!("not watching exercises/: {e}"));
                None
            }
        },
        crate::course::CourseSource::Embedded => None,
    };
    let code = event_loop(
        &mut term,
        &mut model,
        &tx,
        &mut rx,
        &mut exercises_watcher,
        signals,
    )
    .await;
    // A build in progress stops with us; a grading run stops when its keeper sees us go.
    crate::grade::stop_all();
    if let Err(e) = model.progress.save(&model.store) {
        terminal::restore();
        eprintln!("error: {e}");
        return 1;
    }
    terminal::restore();
    code
}

async fn event_loop(
    term: &mut terminal::Term,
    model: &mut Model,
    tx: &mpsc::UnboundedSender<Msg>,
    rx: &mut mpsc::UnboundedReceiver<Msg>,
    exercises_watcher: &mut Option<watch::Watcher>,
    mut signals: Signals,
) -> i32 {
    // Effects from building the first model (e.g. highlighting the reopened lesson).
    let mut pending: Vec<Effect> = std::mem::take(&mut model.effects);
    // `None` while the student's editor owns the terminal: no reader may compete for its keys.
    let mut events: Option<EventStream> = Some(EventStream::new());
    let mut exercise_watcher: Option<watch::Watcher> = None;
    // The SQL console's thread, started by its first query.
    let mut sql_worker: Option<sql::worker::Worker> = None;
    let mut tick: Option<(Duration, tokio::time::Interval)> = None;
    let mut dirty = true;
    // When the reading position is saved: a moment after the student stops moving.
    let mut save_at: Option<tokio::time::Instant> = None;
    // Messages produced by effects themselves (e.g. the editor closing).
    let mut pending_msgs: Vec<Msg> = Vec::new();
    loop {
        for msg in pending_msgs.drain(..) {
            pending.extend(update::update(model, msg));
        }
        for effect in pending.drain(..) {
            match effect {
                Effect::WarmHighlighting(texts) => {
                    let tx = tx.clone();
                    std::thread::spawn(move || {
                        for text in &texts {
                            crate::markdown::warm_highlighting(text);
                        }
                        let _ = tx.send(Msg::HighlightReady);
                    });
                }
                Effect::Grade(exercise) => {
                    let (tx, workspace) = (tx.clone(), model.workspace.clone());
                    std::thread::spawn(move || {
                        let progress = tx.clone();
                        let result =
                            workspace.grade(&exercise, crate::grade::fresh_seed(), &mut |event| {
                                let _ = progress.send(Msg::Grading(event));
                            });
                        let _ = tx.send(Msg::Graded(Box::new(result)));
                    });
                }
                Effect::OpenEditor(path) => {
                    // The editor owns the terminal until it exits; our event reader must not
                    // compete with it for keys, so it is dropped and made anew afterwards.
                    drop(events.take());
                    terminal::restore();
                    let outcome = terminal::with_default_stop(|| editor::open(&path));
                    if let Err(e) = terminal::resume(term) {
                        eprintln!("error: cannot take the terminal back after the editor: {e}");
                        return 1;
                    }
                    events = Some(EventStream::new());
                    dirty = true;
                    pending_msgs.push(match outcome {
                        Ok(()) => Msg::EditorClosed,
                        Err(e) => Msg::EditorFailed(e),
                    });
                }
                Effect::WatchExercise(path) => {
                    // Dropping the old watcher stops it.
                    exercise_watcher.take();
                    if let Some(path) = path {
                        match watch::file(path, tx.clone()) {
                            Ok(w) => {
                                exercise_watcher.replace(w);
                            }
                            Err(e) => {
                                model.flash =
                                    Some(format!("not watching your file ({e}); press g to grade"))
                            }
                        }
                    }
                }
                Effect::EnsureWorkspace => match model.workspace.ensure(&model.exercises) {
                    Ok(report) if report.created => {
                        model.flash = Some(format!(
                            "created your exercise workspace at {}",
                            model.workspace.root().display()
                        ))
                    }
                    Ok(_) => {}
                    Err(e) => {
                        model.flash = Some(format!(
                            "cannot set up {}: {e}",
                            model.workspace.root().display()
                        ))
                    }
                },
                Effect::StartLive(exercise) => {
                    let (tx, workspace) = (tx.clone(), model.workspace.clone());
                    std::thread::spawn(move || {
                        // The ttl-cache simulation starts with a capacity of 6; it resets the
                        // cache to its own capacity whenever that changes.
                        let result =
                            crate::grade::live::start(&workspace, &exercise, 6, &mut |_| {});
                        let _ = tx.send(Msg::LiveReady {
                            exercise: exercise.id.clone(),
                            result,
                        });
                    });
                }
                Effect::ResetExercise(exercise) => {
                    if let Err(e) = model.workspace.reset(&exercise) {
                        model.flash = Some(format!("could not reset {}: {e}", exercise.id));
                    }
                }
                Effect::RunSql(job) => {
                    let spawn = || {
                        let tx = tx.clone();
                        sql::worker::Worker::spawn(move |result| {
                            let _ = tx.send(Msg::SqlRan(Box::new(result)));
                        })
                    };
                    let worker = sql_worker.get_or_insert_with(spawn);
                    // A worker whose thread has gone is replaced once.
                    if let Err(job) = worker.send(job) {
                        let _ = sql_worker.insert(spawn()).send(job);
                    }
                }
                Effect::SaveSqlHistory(queries) => {
                    let path = sql::history_file::path(model.workspace.root());
                    if let Err(e) = sql::history_file::save(&path, &queries) {
                        model.flash = Some(format!("cannot save {}: {e}", path.display()));
                    }
                }
                Effect::SaveProgress => {
                    save_at = None;
                    save_progress(model);
                }
                Effect::SaveProgressSoon => {
                    save_at = Some(tokio::time::Instant::now() + SAVE_AFTER_STILL);
                }
                Effect::Suspend => {
                    // What was read so far is saved before the stop: a stopped job may never
                    // be continued.
                    save_progress(model);
                    drop(events.take());
                    terminal::restore();
                    terminal::stop_self();
                    if let Err(e) = terminal::resume(term) {
                        eprintln!("error: cannot take the terminal back after a stop: {e}");
                        return 1;
                    }
                    events = Some(EventStream::new());
                    dirty = true;
                }
                Effect::Design(job) => design::app::spawn(job, &model.challenges, tx.clone()),
                Effect::Quit => return 0,
            }
        }
        // Messages that effects produced (the editor closing) are handled, and their effects
        // run, before the next wait: the screen must not show a state they change.
        if !pending_msgs.is_empty() {
            continue;
        }
        if dirty {
            let _ = execute!(std::io::stdout(), BeginSynchronizedUpdate);
            let drawn = term.draw(|frame| view::view(model, frame));
            let _ = execute!(std::io::stdout(), EndSynchronizedUpdate);
            if let Err(e) = drawn {
                terminal::restore();
                eprintln!("error: drawing failed: {e}");
                return 1;
            }
            dirty = false;
        }
        // The tick exists only while something animates: an idle app sleeps in `select!`.
        match (model.animating(), &tick) {
            (Some(period), Some((p, _))) if *p == period => {}
            (Some(period), _) => {
                let mut interval =
                    tokio::time::interval_at(tokio::time::Instant::now() + period, period);
                interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
                tick = Some((period, interval));
            }
            (None, _) => tick = None,
        }
        let msg = tokio::select! {
            event = async { events.as_mut().expect("reader present outside the editor").next().await } => match event {
                Some(Ok(Event::Key(key))) if key.kind == KeyEventKind::Press => Msg::Key(key),
                Some(Ok(Event::Mouse(m))) => Msg::Mouse(m),
                Some(Ok(Event::Resize(w, h))) => Msg::Resize(w, h),
                Some(Ok(Event::Paste(text))) => Msg::Paste(text),
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => Msg::Terminate,
            },
            _ = async { tick.as_mut().expect("guarded").1.tick().await }, if tick.is_some() => Msg::Tick,
            Some(msg) = rx.recv() => msg,
            _ = async { tokio::time::sleep_until(save_at.expect("guarded")).await }, if save_at.is_some() => {
                save_at = None;
                // Only a problem (in the footer) needs drawing.
                dirty = save_progress(model);
                continue;
            }
            signal = signals.next() => match signal {
                Signal::Terminate => Msg::Terminate,
                Signal::Suspend => {
                    pending.push(Effect::Suspend);
                    continue;
                }
                Signal::Continue => {
                    // After our own stop the terminal is already back; after a SIGSTOP the
                    // shell may have reset it. Either way every cell is drawn again.
                    if let Err(e) = terminal::resume(term) {
                        eprintln!("error: cannot take the terminal back: {e}");
                        return 1;
                    }
                    dirty = true;
                    continue;
                }
            },
        };
        if matches!(msg, Msg::ExercisesChanged | Msg::ChallengesChanged)
            && let (Some(w), crate::course::CourseSource::Dir(dir)) =
                (exercises_watcher.as_mut(), &model.course.source)
        {
            watch::rewatch_folders(w, dir);
        }
        pending.extend(update::update(model, msg));
        dirty = true;
    }
}

/// Save progress now (on leaving, on a stop, a moment after reading stops). Returns whether
/// it has something to say, in the footer.
fn save_progress(model: &mut Model) -> bool {
    match model.progress.save(&model.store) {
        Ok(None) => false,
        Ok(Some(notice)) => {
            model.overlay = Some(Overlay::Notice(notice));
            true
        }
        Err(e) => {
            model.flash = Some(e.to_string());
            true
        }
    }
}

/// What a signal asks of the app.
enum Signal {
    /// SIGTERM, SIGHUP and SIGINT all end the app cleanly (Ctrl-C in raw mode arrives as a key).
    Terminate,
    /// SIGTSTP from outside (`kill -TSTP`): suspend as Ctrl-Z does.
    Suspend,
    /// SIGCONT: take the terminal back and draw everything again.
    Continue,
}

struct Signals {
    #[cfg(unix)]
    streams: Vec<(Signal, tokio::signal::unix::Signal)>,
}

impl Signals {
    fn new() -> Signals {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let streams = [
                (Signal::Terminate, SignalKind::terminate()),
                (Signal::Terminate, SignalKind::hangup()),
                (Signal::Terminate, SignalKind::interrupt()),
                (Signal::Suspend, SignalKind::from_raw(libc::SIGTSTP)),
                (Signal::Continue, SignalKind::from_raw(libc::SIGCONT)),
            ]
            .into_iter()
            .filter_map(|(what, k)| signal(k).ok().map(|s| (what, s)))
            .collect();
            Signals { streams }
        }
        #[cfg(not(unix))]
        Signals {}
    }

    async fn next(&mut self) -> Signal {
        #[cfg(unix)]
        {
            if self.streams.is_empty() {
                return std::future::pending().await;
            }
            let futures = self.streams.iter_mut().map(|(_, s)| Box::pin(s.recv()));
            let (_, index, _) = futures::future::select_all(futures).await;
            match self.streams[index].0 {
                Signal::Terminate => Signal::Terminate,
                Signal::Suspend => Signal::Suspend,
                Signal::Continue => Signal::Continue,
            }
        }
        #[cfg(not(unix))]
        std::future::pending::<Signal>().await
    }
}
