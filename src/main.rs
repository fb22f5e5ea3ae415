use std::path::PathBuf;

use clap::{Parser, Subcommand};

use sysdesign::cli::{self, Env};
use sysdesign::theme::ColorChoice;

/// A terminal workbook for backend architecture and systems design.
///
/// Run with no command to open the course. Every screen has a headless equivalent below.
#[derive(Parser)]
#[command(name = "sysdesign", version, about, long_about = None)]
struct Args {
    /// Load lessons/ (and exercises/) from DIR instead of the built-in course. In the app,
    /// lessons reload live when their files change.
    #[arg(long, global = true, value_name = "DIR")]
    course: Option<PathBuf>,
    /// Where progress and the exercise workspace live [default: the user's data directory].
    /// A course from --course keeps its own in `courses/<its id>/` there.
    #[arg(long, global = true, value_name = "DIR")]
    workspace: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// List chapters and lessons with their sizes and your progress.
    List {
        /// Machine-readable output.
        #[arg(long)]
        json: bool,
    },
    /// Print a rendered lesson.
    Show {
        /// The lesson id, e.g. `intro` (see `sysdesign list`).
        lesson: String,
        /// Wrap to this many columns [default: the terminal's width, or 80 when piped].
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(20..=1000))]
        width: Option<u16>,
        /// No colours or styles: the same as --color never.
        #[arg(long, conflicts_with = "color")]
        plain: bool,
        /// Colours and styles: `auto` (the default) uses them on a terminal, honouring
        /// NO_COLOR, CLICOLOR_FORCE and TERM=dumb; `always` also into a pipe, for `| less -R`.
        #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
        /// Print the lesson's answer key instead: each quiz with its answer, tolerance and
        /// explanation (for instructors reviewing quizzes).
        #[arg(long)]
        answers: bool,
    },
    /// Write a lesson as Markdown or one self-contained HTML file, with its quizzes as
    /// questions and answers at the end.
    Export {
        /// The lesson id, e.g. `intro` (see `sysdesign list`).
        lesson: String,
        #[arg(long, value_enum, default_value_t = cli::export::Format::Markdown)]
        format: cli::export::Format,
        /// Write to FILE instead of stdout.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Start a course pack, or add a lesson or an exercise to one. The files pass `check`
    /// as they are, and their comments show every option.
    New {
        #[command(subcommand)]
        what: cli::new::NewCommand,
    },
    /// Print the JSON Schema of a lesson, exercise or course.toml file, for editor
    /// completion and inline errors (see docs/authoring.md).
    Schema {
        #[arg(value_enum)]
        file: cli::schema::SchemaFile,
    },
    /// Validate every lesson and exercise; print every problem as path:line:col.
    ///
    /// Also proves that every exercise's starter fails and its reference solution passes.
    Check {
        /// Validate lessons and exercise files only; skip building the exercises.
        #[arg(long)]
        lessons_only: bool,
    },
    /// Run a simulation headless and print its metrics.
    Sim(SimArgs),
    /// Run SQL on a dataset in an in-memory SQLite database (stdin when no -e).
    Sql(cli::sql::SqlArgs),
    /// Grade your exercise solutions.
    Grade(sysdesign::grade::cli::GradeArgs),
    /// Manage exercises: list them, or reset one to its starter.
    Exercise {
        #[command(subcommand)]
        command: sysdesign::grade::cli::ExerciseCommand,
    },
    /// Simulate a whole architecture from a design file.
    Design {
        #[command(subcommand)]
        command: DesignCommand,
    },
    /// Design challenges: list them, or grade a design on their hidden seeds.
    Challenge {
        #[command(subcommand)]
        command: ChallengeCommand,
    },
    /// How many review cards are due, which, and when the next one is.
    ///
    /// Every quiz you answer becomes a card, scheduled by FSRS: a wrong answer comes back
    /// soon, a right one later. Review them with `r` in the catalog.
    Review {
        /// Machine-readable output.
        #[arg(long)]
        json: bool,
        /// Take this Unix time as now (for reproducible output).
        #[arg(long, hide = true, value_name = "UNIX_SECONDS")]
        now: Option<i64>,
    },
    /// Show your progress, or reset it (asks first in a terminal; --yes otherwise).
    Progress {
        /// Delete all progress (asks for confirmation).
        #[arg(long)]
        reset: bool,
        /// Do not ask for confirmation.
        #[arg(long, requires = "reset")]
        yes: bool,
    },
}

#[derive(Subcommand)]
enum DesignCommand {
    /// Run a design file and print latency, errors, cost and per-component figures.
    Run {
        /// The design file (TOML; see docs/authoring.md, "Design files and challenges").
        file: PathBuf,
        /// The seed of the random workload; the same seed gives the same run.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Simulated seconds to run.
        #[arg(long, default_value_t = 60.0, value_parser = parse_duration)]
        duration: f64,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum ChallengeCommand {
    /// List the challenges.
    List {
        /// Machine-readable output.
        #[arg(long)]
        json: bool,
    },
    /// Grade a design on the challenge's hidden seeds (exit 0 pass, 1 fail, 2 bad input).
    Run {
        /// The challenge id (see `sysdesign challenge list`).
        id: String,
        /// The design file [default: designs/ID.toml in the workspace, created from the
        /// challenge's starting design when missing].
        #[arg(long, value_name = "FILE")]
        design: Option<PathBuf>,
        /// Print the verdict as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Simulated seconds: at least one, so that a run has requests to measure.
fn parse_duration(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if (1.0..=86_400.0).contains(&x) => Ok(x),
        _ => Err(format!("`{s}` is not a duration of 1 to 86400 seconds")),
    }
}

#[derive(clap::Args)]
struct SimArgs {
    /// The simulation, e.g. `load-balancer` (see --list).
    #[arg(required_unless_present = "list")]
    kind: Option<String>,
    /// List the simulations with their keys and defaults.
    #[arg(long, conflicts_with = "kind")]
    list: bool,
    /// The seed of the random workload; the same seed gives the same run.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// How many logical ticks to run.
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u64).range(0..=10_000_000))]
    ticks: u64,
    /// Set a parameter, e.g. --set strategy=least-connections (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = parse_key_value)]
    sets: Vec<(String, String)>,
    /// Print a machine-readable summary: settings, metrics, per-entity counters, event log.
    #[arg(long)]
    json: bool,
}

fn parse_key_value(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .filter(|(k, _)| !k.is_empty())
        .ok_or_else(|| format!("`{s}` is not KEY=VALUE"))
}

/// `sysdesign list | head` should stop quietly when `head` has read enough, as other Unix
/// tools do, instead of panicking on the closed pipe. (Not for the TUI: it owns a terminal.)
#[cfg(unix)]
fn exit_quietly_on_closed_pipe() {
    // SAFETY: restoring the default disposition of SIGPIPE at start-up, before any thread.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn main() {
    let args = Args::parse();
    #[cfg(unix)]
    if args.command.is_some() {
        exit_quietly_on_closed_pipe();
    }
    let env = Env::new(args.course, args.workspace);
    // A course whose course.toml is broken, or that needs a newer sysdesign, is not opened.
    // `check` reports the problems itself; `sim`, `new` and `schema` do not read the course.
    let opens_course = !matches!(
        args.command,
        Some(
            Command::Sim(_) | Command::Check { .. } | Command::New { .. } | Command::Schema { .. }
        )
    );
    if opens_course && let Err(code) = env.refuse_unusable_pack() {
        std::process::exit(code);
    }
    let code = match args.command {
        None => sysdesign::tui::run(env),
        Some(Command::List { json }) => cli::list::run(&env, json),
        Some(Command::Show {
            lesson,
            width,
            plain,
            color,
            answers,
        }) => cli::show::run(
            &env,
            &lesson,
            width,
            if plain { ColorChoice::Never } else { color },
            answers,
        ),
        Some(Command::Export {
            lesson,
            format,
            output,
        }) => cli::export::run(&env, &lesson, format, output.as_deref()),
        Some(Command::New { what }) => cli::new::run(&what, &env),
        Some(Command::Schema { file }) => cli::schema::run(file),
        Some(Command::Check { lessons_only }) => cli::check::run(&env, !lessons_only),
        Some(Command::Sim(args)) => cli::sim::run(
            args.kind.as_deref(),
            args.list,
            args.seed,
            args.ticks,
            &args.sets,
            args.json,
        ),
        Some(Command::Sql(args)) => cli::sql::run(&args),
        Some(Command::Grade(args)) => cli::exercises::grade(&env, &args),
        Some(Command::Exercise { command }) => cli::exercises::exercise(&env, &command),
        Some(Command::Design {
            command:
                DesignCommand::Run {
                    file,
                    seed,
                    duration,
                    json,
                },
        }) => cli::design::run(&file, seed, duration, json),
        Some(Command::Challenge { command }) => match command {
            ChallengeCommand::List { json } => cli::challenge::list(&env, json),
            ChallengeCommand::Run { id, design, json } => {
                cli::challenge::run(&env, &id, design.as_deref(), json)
            }
        },
        Some(Command::Progress { reset, yes }) => cli::progress::run(&env, reset, yes),
        Some(Command::Review { json, now }) => cli::review::run(
            &env,
            json,
            now.map_or(
                sysdesign::review::Clock::System,
                sysdesign::review::Clock::Fixed,
            ),
        ),
    };
    std::process::exit(code);
}
