//! The interactive app, in the Elm Architecture: a `Model`, `Msg`s, `update` and a pure
//! `view`. One `select!` loop feeds it terminal events, a tick that exists only while
//! something animates, background channels, and signals. It draws only after a change.

pub mod document;
mod editor;
pub mod exercise_view;
pub mod layout;
pub mod model;
pub mod msg;
pub mod quiz;
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
    progress: crate::progress::Loaded,
}

pub fn load_inputs(env: &Env) -> Inputs {
    let (exercises, _) = env.exercises();
    let ids = exercises.iter().map(|e| e.id.clone()).collect();
    let course = crate::course::Course::load(env.source.clone(), &ids);
    Inputs {
        course,
        exercises,
        progress: env.progress_store().load(),
    }
}

fn model_from(inputs: Inputs, env: &Env, size: Rect, theme: Theme) -> Model {
    let Inputs {
        course,
        exercises,
        progress: loaded,
    } = inputs;
    let store = env.progress_store();
    let mut model = Model::new(
        course,
        exercises,
        env.student_workspace(),
        loaded.progress,
        store,
        theme,
        size,
    );
    if model.progress.last_lesson.is_some() {
        let last = model.selected;
        update::open_lesson(&mut model, last);
    }
    if let Some(notice) = loaded.notice {
        model.overlay = Some(Overlay::Notice(notice));
    }
    model
}

async fn run_async(env: Env) -> i32 {
    // Parse the course while the terminal is set up and a first frame is shown.
    let loader = {
        let env = env.clone();
        std::thread::spawn(move || load_inputs(&env))
    };
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
    let _ = term.draw(|frame| view::loading(frame, &theme));
    let inputs = match loader.join() {
        Ok(inputs) => inputs,
        Err(_) => {
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
    let code = event_loop(&mut term, &mut model, &tx, &mut rx).await;
    // A build in progress stops with us; a grading run stops when its keeper sees us go.
    crate::grade::stop_all();
    if let Err(e) = model.store.save(&model.progress) {
        terminal::restore();
        eprintln!(
            "error: could not save progress to {}: {e}",
            model.store.path().display()
        );
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
) -> i32 {
    // Effects from building the first model (e.g. highlighting the reopened lesson).
    let mut pending: Vec<Effect> = std::mem::take(&mut model.effects);
    // `None` while the student's editor owns the terminal: no reader may compete for its keys.
    let mut events: Option<EventStream> = Some(EventStream::new());
    let mut signals = Signals::new();
    let mut exercise_watcher: Option<watch::Watcher> = None;
    let mut tick: Option<(Duration, tokio::time::Interval)> = None;
    let mut dirty = true;
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
                    let outcome = editor::open(&path);
                    if let Err(e) = terminal::resume(term) {
                        eprintln!("error: cannot take the terminal back after the editor: {e}");
                        return 1;
                    }
                    events = Some(EventStream::new());
                    dirty = true;
                    match outcome {
                        Ok(()) => pending_msgs.push(Msg::EditorClosed),
                        Err(e) => model.flash = Some(e),
                    }
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
                Effect::SaveProgress => {
                    if let Err(e) = model.store.save(&model.progress) {
                        model.flash = Some(format!("could not save progress: {e}"));
                    }
                }
                Effect::Quit => return 0,
            }
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
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => Msg::Terminate,
            },
            _ = async { tick.as_mut().expect("guarded").1.tick().await }, if tick.is_some() => Msg::Tick,
            Some(msg) = rx.recv() => msg,
            _ = signals.next() => Msg::Terminate,
        };
        pending.extend(update::update(model, msg));
        dirty = true;
    }
}

/// SIGTERM, SIGHUP and SIGINT all end the app cleanly (Ctrl-C in raw mode arrives as a key).
struct Signals {
    #[cfg(unix)]
    streams: Vec<tokio::signal::unix::Signal>,
}

impl Signals {
    fn new() -> Signals {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let streams = [
                SignalKind::terminate(),
                SignalKind::hangup(),
                SignalKind::interrupt(),
            ]
            .into_iter()
            .filter_map(|k| signal(k).ok())
            .collect();
            Signals { streams }
        }
        #[cfg(not(unix))]
        Signals {}
    }

    async fn next(&mut self) {
        #[cfg(unix)]
        {
            if self.streams.is_empty() {
                return std::future::pending().await;
            }
            let futures = self.streams.iter_mut().map(|s| Box::pin(s.recv()));
            futures::future::select_all(futures).await;
        }
        #[cfg(not(unix))]
        std::future::pending::<()>().await
    }
}
