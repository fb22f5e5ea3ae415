//! The console's SQL runs here, on a thread of its own that keeps one in-memory database per
//! dataset, so a slow query (up to the sandbox's time limit per statement) never blocks the
//! UI, and tables or indexes the student creates stay until they ask for a fresh copy.

use std::collections::HashMap;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::sql::datasets::{self, Size};
use crate::sql::plan::{self, PlanStep};
use crate::sql::{Mode, Outcome, ResultSet, Sandbox, SqlError};

/// The most rows kept for the screen: nobody scrolls through more, and laying out a table
/// of the sandbox's 200,000-row cap on every frame would make typing lag.
pub const SHOWN_ROWS: usize = 1000;

/// The seed of the datasets, the same as `sysdesign sql`'s default: the console and the
/// CLI show the same rows.
const SEED: u64 = 1;

/// Run `sql` on `dataset`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// Results carry it back, so that a result of an older run is recognised and dropped.
    pub id: u64,
    pub dataset: String,
    pub sql: String,
    /// Build the dataset again first, dropping what earlier statements changed.
    pub fresh: bool,
}

/// What a job did, sent back as `Msg::SqlRan`.
#[derive(Debug, Clone, PartialEq)]
pub struct RunResult {
    pub id: u64,
    pub dataset: String,
    pub sql: String,
    /// The run started from a fresh copy of the dataset.
    pub fresh: bool,
    pub outcome: RunOutcome,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RunOutcome {
    /// Every statement ran.
    Ran {
        statements: usize,
        last: LastStatement,
        /// The plan of the last statement, when SQLite has one for it.
        plan: Option<Vec<PlanStep>>,
        elapsed: Duration,
    },
    /// `ran` statements ran, then one failed; the error is located in the job's `sql`.
    Failed {
        ran: usize,
        error: SqlError,
        elapsed: Duration,
    },
    /// The script has no statement (only blanks or comments).
    Empty,
    /// The dataset could not be built: what went wrong.
    Unavailable(String),
}

/// What the last statement of a script returned.
#[derive(Debug, Clone, PartialEq)]
pub enum LastStatement {
    /// Its rows, at most [`SHOWN_ROWS`] of them, and how many it returned in all.
    Rows { rows: ResultSet, total: usize },
    /// A statement without rows, and how many rows it changed.
    Changed(u64),
}

/// The handle the event loop keeps: jobs go in, results come out through the callback.
pub struct Worker {
    jobs: mpsc::Sender<Job>,
}

impl Worker {
    /// Starts the thread; `deliver` receives every result, in the thread.
    pub fn spawn(deliver: impl Fn(RunResult) + Send + 'static) -> Worker {
        let (jobs, inbox) = mpsc::channel::<Job>();
        std::thread::spawn(move || {
            let mut databases: HashMap<String, Sandbox> = HashMap::new();
            while let Ok(job) = inbox.recv() {
                deliver(run(&mut databases, job));
            }
        });
        Worker { jobs }
    }

    /// Queues a job. Gives it back if the thread is gone, so the caller can start another.
    pub fn send(&self, job: Job) -> Result<(), Job> {
        self.jobs.send(job).map_err(|e| e.0)
    }
}

fn run(databases: &mut HashMap<String, Sandbox>, job: Job) -> RunResult {
    if job.fresh {
        databases.remove(&job.dataset);
    }
    let outcome = match databases.entry(job.dataset.clone()) {
        std::collections::hash_map::Entry::Occupied(e) => execute(e.into_mut(), &job.sql),
        std::collections::hash_map::Entry::Vacant(slot) => match open(&job.dataset) {
            Ok(sandbox) => execute(slot.insert(sandbox), &job.sql),
            Err(problem) => RunOutcome::Unavailable(problem),
        },
    };
    RunResult {
        id: job.id,
        dataset: job.dataset,
        sql: job.sql,
        fresh: job.fresh,
        outcome,
    }
}

/// A fresh database holding `dataset`.
pub fn open(dataset: &str) -> Result<Sandbox, String> {
    let found = datasets::find(dataset).ok_or_else(|| {
        format!(
            "unknown dataset `{dataset}`; the console has {}",
            datasets::names().join(", ")
        )
    })?;
    found.open(SEED, Size::Full)
}

/// Runs `sql` (one or more statements) as a student's script, and plans its last statement.
pub fn execute(sandbox: &Sandbox, sql: &str) -> RunOutcome {
    sandbox.set_mode(Mode::Student);
    let started = Instant::now();
    let (ran, error) = sandbox.run_script(sql);
    let elapsed = started.elapsed();
    if let Some(error) = error {
        return RunOutcome::Failed {
            ran: ran.len(),
            error,
            elapsed,
        };
    }
    let Some(last) = ran.last() else {
        return RunOutcome::Empty;
    };
    // Planned after running, so that an index the script just created shows in the plan. A
    // statement SQLite cannot plan again (a CREATE that now exists) simply has no plan.
    let plan = plan::explain(sandbox, last.sql.trim_end_matches(';')).ok();
    let last_statement = match &last.outcome {
        Outcome::Rows(rows) => LastStatement::Rows {
            total: rows.rows.len(),
            rows: ResultSet {
                columns: rows.columns.clone(),
                rows: rows.rows.iter().take(SHOWN_ROWS).cloned().collect(),
            },
        },
        Outcome::Done { changes } => LastStatement::Changed(*changes),
    };
    RunOutcome::Ran {
        statements: ran.len(),
        last: last_statement,
        plan,
        elapsed,
    }
}
