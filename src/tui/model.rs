//! The whole state of the TUI. No terminal code here: `view` draws it, `update` changes it.

use ratatui::layout::Rect;

use super::document::{Document, LessonLayout};
use super::exercise_view::ExerciseView;
use super::layout::ReaderLayout;
use super::quiz::QuizState;
use super::viz_player::VizPlayer;
use crate::course::{Course, Lesson, LessonEntry};
use crate::grade::{Exercise, Workspace};
use crate::progress::{LiveProgress, ProgressStore};
use crate::theme::Theme;

pub struct Model {
    pub course: Course,
    pub exercises: Vec<Exercise>,
    pub workspace: Workspace,
    /// What the app shows; changes are saved to `store` as a read-merge-write.
    pub progress: LiveProgress,
    pub store: ProgressStore,
    pub theme: Theme,
    pub size: Rect,
    pub screen: Screen,
    /// The catalog's selected row (an index into `course.lessons`).
    pub selected: usize,
    pub overlay: Option<Overlay>,
    /// A one-line message in the footer until the next key.
    pub flash: Option<String>,
    pub quit: bool,
    /// Side effects asked for by helpers deep inside `update`; `update` returns them.
    pub effects: Vec<super::msg::Effect>,
    /// "Now" for the review schedule: the system clock, or a fixed instant in tests.
    pub clock: crate::review::Clock,
    /// The review session, shown over the catalog while open.
    pub review: Option<super::review_session::ReviewSession>,
    /// The course's design challenges (those that load; `sysdesign check` reports the rest).
    pub challenges: Vec<crate::design::challenge::Challenge>,
    /// Challenges kept at their last version that loaded because their files stopped loading
    /// under `--course DIR` (an instructor mid-edit), by id, with why: the design screen shows
    /// it until they load again.
    pub kept_challenges: std::collections::BTreeMap<String, Vec<crate::course::Diagnostic>>,
    /// The SQL console, once opened. It shows over the reader of any lesson that declares a
    /// console, and keeps its query, results and history while closed, across lessons and
    /// live reloads.
    pub sql: Option<Box<super::sql::SqlConsole>>,
}

pub enum Screen {
    Catalog,
    Reader(Box<Reader>),
    Exercise(Box<ExerciseView>),
    Design(Box<super::design::app::DesignView>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    Help {
        scroll: usize,
    },
    Contents {
        selected: usize,
    },
    /// A message that must be acknowledged (e.g. the progress file was corrupt).
    Notice(String),
}

pub struct Reader {
    /// Index into `course.lessons`.
    pub entry: usize,
    pub scroll: usize,
    pub layout: Option<LessonLayout>,
    pub doc: Document,
    pub quiz_states: Vec<QuizState>,
    /// The quiz receiving keys, if any.
    pub focused_quiz: Option<usize>,
    pub viz: Option<VizPlayer>,
    pub viz_hidden: bool,
    /// The simulation fills the reader's body.
    pub viz_zoomed: bool,
    /// Where the reader was when a live reload broke the lesson: fixing it returns there.
    pub anchor_kept: Option<(usize, f64)>,
    /// The search prompt or the matches of the last search, if any.
    pub search: Option<super::search::Search>,
    /// The in-page link `f` picked (an index into `doc.links`); Enter follows it.
    pub focused_link: Option<usize>,
}

/// What a course is made of, as loaded: its lessons, code exercises and design challenges.
pub struct Content {
    pub course: Course,
    pub exercises: Vec<Exercise>,
    pub challenges: Vec<crate::design::challenge::Challenge>,
}

impl Model {
    pub fn new(
        content: Content,
        workspace: Workspace,
        progress: LiveProgress,
        store: ProgressStore,
        theme: Theme,
        size: Rect,
    ) -> Model {
        let Content {
            course,
            exercises,
            challenges,
        } = content;
        let selected = progress
            .last_lesson
            .as_deref()
            .and_then(|id| course.entry_of(id))
            .unwrap_or(0);
        Model {
            challenges,
            course,
            exercises,
            workspace,
            progress,
            store,
            theme,
            size,
            screen: Screen::Catalog,
            selected,
            overlay: None,
            flash: None,
            quit: false,
            effects: Vec::new(),
            kept_challenges: Default::default(),
            clock: crate::review::Clock::System,
            review: None,
            sql: None,
        }
    }

    pub fn exercise_ids(&self) -> std::collections::HashSet<String> {
        self.exercises.iter().map(|e| e.id.clone()).collect()
    }

    pub fn reader(&self) -> Option<&Reader> {
        match &self.screen {
            Screen::Reader(r) => Some(r),
            Screen::Catalog | Screen::Exercise(_) | Screen::Design(_) => None,
        }
    }

    pub fn lesson_of(&self, reader: &Reader) -> Option<&Lesson> {
        self.course
            .lessons
            .get(reader.entry)
            .and_then(LessonEntry::lesson)
    }

    /// True while something moves on its own, so the event loop must run a tick.
    pub fn animating(&self) -> Option<std::time::Duration> {
        if let Screen::Exercise(view) = &self.screen {
            return view
                .grading
                .is_some()
                .then_some(std::time::Duration::from_millis(100));
        }
        if let Screen::Design(view) = &self.screen {
            return (view.running || view.grading.is_some())
                .then_some(std::time::Duration::from_millis(100));
        }
        let reader = self.reader()?;
        let viz = reader.viz.as_ref()?;
        (viz.playing && self.viz_visible(reader) && self.overlay.is_none())
            .then(|| viz.tick_period())
    }

    /// The simulation pane shows beside the text at wide sizes, and below it at narrow sizes
    /// only while its own section is on screen.
    pub fn viz_visible(&self, reader: &Reader) -> bool {
        let Some(viz) = &reader.viz else { return false };
        if reader.viz_hidden {
            return false;
        }
        let wide = ReaderLayout::compute(self.size, true, true, false)
            .viz
            .is_some_and(|v| v.height == self.size.height.saturating_sub(2));
        if wide || reader.viz_zoomed {
            return true;
        }
        // A focused quiz too tall for the text above the pane gets the whole body: nobody
        // should answer a quiz they cannot see.
        if let Some((_, len)) = reader.focused_quiz.and_then(|q| reader.doc.quiz_line(q)) {
            let room = ReaderLayout::compute(self.size, true, true, false)
                .text
                .height;
            if len > room as usize {
                return false;
            }
        }
        reader.doc.section_at(reader.scroll + 3) == viz.section
    }

    /// The reader's geometry for the current terminal size.
    pub fn reader_layout(&self, reader: &Reader) -> ReaderLayout {
        let lesson = self.lesson_of(reader);
        let has_viz = lesson.is_some_and(|l| l.visualization_count() > 0);
        ReaderLayout::compute(
            self.size,
            has_viz,
            self.viz_visible(reader),
            reader.viz_zoomed,
        )
    }
}
