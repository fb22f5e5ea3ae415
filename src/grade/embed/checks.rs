//! The check runner compiled into every grading binary (the `sysdesign_checks` crate).
//!
//! std only, so the grader builds offline. The app writes this file out from its own binary;
//! students never edit it. Verdicts travel to the parent process (the app) on a private
//! channel, never on stdout or stderr:
//!
//! - The parent starts the binary with `--keeper` first: a small supervisor (see [`keeper`])
//!   that runs the real grading process as its child and kills every process that child
//!   starts when the run ends or the parent goes away.
//! - File descriptor 3 is a Unix socket to the parent. The first thing the grading process
//!   does, before any of the student's code runs, is take it (the inherited number is closed
//!   and the copy kept is close-on-exec, so nothing the student starts inherits it) and read
//!   the run's nonce from it. Every line it sends starts with [`MARKER`] and that nonce.
//!   A socket cannot be reopened through `/proc/self/fd`, and the student's file is compiled
//!   with `unsafe_code` forbidden, so their code has no handle on it.
//! - On stdout it writes only separators (`MARKER nonce output INDEX`) that tell the parent
//!   which check the student's own prints belong to. A line on stdout or stderr that carries
//!   the marker without the nonce is a forgery, and the parent rejects the whole run.

use std::fmt::{Debug, Display, Write as _};
use std::io::{BufRead, BufReader, Write};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

mod keeper;
mod wire;
pub use wire::{decode, encode};

use sysdesign_support::contract::{
    Backend, Balancer, Participants, SagaOrchestrator, SagaOutcome, SagaStep, StepKind, TtlCache,
};

/// Starts every protocol line. The record separator cannot be typed by accident.
pub const MARKER: &str = "\u{1e}sysdesign-check ";

/// The descriptor the parent passes the channel on.
const CHANNEL_FD: i32 = 3;

/// A check returns `Err` with a message saying what was expected and what happened.
pub type CheckFn = fn(&mut Ctx) -> Result<(), String>;

/// One named check of a harness. Checks run in the order the harness lists them.
pub struct Check {
    name: &'static str,
    task: Option<u32>,
    seeded: bool,
    run: CheckFn,
}

impl Check {
    /// A fixed check: the same inputs on every run, so it catches the same bugs whatever
    /// the seed. It may not use `ctx.rng()` or `ctx.seed()`.
    pub fn new(name: &'static str, run: CheckFn) -> Self {
        Check {
            name,
            task: None,
            seeded: false,
            run,
        }
    }

    /// A random check: its inputs come from the run's seed (`ctx.rng()`). It may add to the
    /// fixed checks but must never be the only one that catches a bug, since another seed
    /// could miss it; the mutant tests (tests/grade_mutants.rs) hold every harness to that.
    pub fn seeded(name: &'static str, run: CheckFn) -> Self {
        Check {
            seeded: true,
            ..Check::new(name, run)
        }
    }

    /// Links the check to a task of the exercise (Exercism results v3 `task_id`).
    pub fn task(mut self, task: u32) -> Self {
        self.task = Some(task);
        self
    }
}

/// What a check gets: the run's seed and a generator derived from it, for seeded checks.
pub struct Ctx {
    seed: u64,
    rng: Rng,
    check: &'static str,
    seeded: bool,
}

impl Ctx {
    #[track_caller]
    pub fn seed(&self) -> u64 {
        self.require_seeded();
        self.seed
    }

    #[track_caller]
    pub fn rng(&mut self) -> &mut Rng {
        self.require_seeded();
        &mut self.rng
    }

    /// A fixed check that reads the seed would pass or fail by luck; say so to the author,
    /// at the harness line that reads it.
    #[track_caller]
    fn require_seeded(&self) {
        assert!(
            self.seeded,
            "the harness's check `{}` uses the run's seed, so it must be made with \
             Check::seeded, not Check::new",
            self.check
        );
    }
}

/// SplitMix64, the same generator the simulations use.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`; `n` must be positive.
    pub fn below(&mut self, n: u64) -> u64 {
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    /// Fisher-Yates shuffle.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }
}

/// `Err("{context}: expected {expected:?}; got {got:?}")` unless the two are equal.
pub fn expect_eq<T: PartialEq + Debug>(
    context: impl Display,
    expected: T,
    got: T,
) -> Result<(), String> {
    if expected == got {
        Ok(())
    } else {
        Err(format!("{context}: expected {expected:?}; got {got:?}"))
    }
}

/// `Err(message())` unless `condition` holds.
pub fn expect(condition: bool, message: impl FnOnce() -> String) -> Result<(), String> {
    if condition { Ok(()) } else { Err(message()) }
}

/// How to make the student's implementation of a contract trait, for `--serve` (their code
/// in the visualization). The cache is made with the visualization's capacity.
pub enum Live {
    Balancer(fn() -> Box<dyn Balancer>),
    TtlCache(fn(usize) -> Box<dyn TtlCache>),
    Saga(fn() -> Box<dyn SagaOrchestrator>),
}

/// The instance `--serve` is answering for; `new` replaces it.
enum Instance {
    Balancer(Box<dyn Balancer>),
    TtlCache(Box<dyn TtlCache>),
    Saga(Box<dyn SagaOrchestrator>),
}

impl Live {
    fn make(&self, capacity: usize) -> Instance {
        match self {
            Live::Balancer(make) => Instance::Balancer(make()),
            Live::TtlCache(make) => Instance::TtlCache(make(capacity)),
            Live::Saga(make) => Instance::Saga(make()),
        }
    }
}

/// The grading binary's entry point. `--keeper ARGS` supervises a grading process started
/// with ARGS; `--list` names the checks, `--run FROM --seed S` runs them from index FROM on,
/// `--serve` answers contract calls sent on the channel.
pub fn main(checks: Vec<Check>, live: Option<fn() -> Live>) {
    // Entered once per process: a second call can only come from the student's code, trying
    // to run checks of its own choosing on the real channel.
    static ENTERED: AtomicBool = AtomicBool::new(false);
    if ENTERED.swap(true, Ordering::SeqCst) {
        tampered("the student's code called the grader's entry point");
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--keeper") {
        keeper::run(&args[1..]);
    }
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse::<u64>().ok())
    };
    let Some(channel) = Channel::take() else {
        eprintln!("this program is run by sysdesign's grader; run `sysdesign grade` instead");
        std::process::exit(2);
    };
    install_panic_hook();
    if args.iter().any(|a| a == "--list") {
        for (index, check) in checks.iter().enumerate() {
            let task = check.task.map_or("null".to_string(), |t| t.to_string());
            channel.emit(&format!(
                "{{\"event\":\"check\",\"index\":{index},\"name\":{},\"task\":{task}}}",
                json_string(check.name)
            ));
        }
    } else if args.iter().any(|a| a == "--serve") {
        match live {
            Some(make) => serve(&channel, make()),
            None => channel.emit("{\"event\":\"error\",\"message\":\"this exercise has no live mode\"}"),
        }
    } else {
        let from = arg("--run").unwrap_or(0) as usize;
        let seed = arg("--seed").unwrap_or(0);
        run_checks(&channel, &checks, from, seed);
    }
}

/// Stops the process at once when the student's code reached for the grader's machinery.
fn tampered(what: &str) -> ! {
    eprintln!("sysdesign grader: {what}; this run is void");
    std::process::exit(3);
}

/// The private channel to the parent, taken before the student's code first runs.
struct Channel {
    nonce: String,
    writer: Mutex<std::os::unix::net::UnixStream>,
    reader: Mutex<BufReader<std::os::unix::net::UnixStream>>,
}

impl Channel {
    /// Takes descriptor 3 and reads the run's nonce from it. `None` when it is not a socket
    /// from the grader (someone ran the binary by hand).
    fn take() -> Option<Channel> {
        use std::os::fd::FromRawFd;
        // The inherited number is closed once a close-on-exec copy is made: nothing the
        // student's code starts inherits the channel, and fd 3 no longer reaches it.
        // SAFETY: descriptor 3 is the socket the grader passed; it is owned here and nowhere
        // else in this process, and `from_raw_fd` takes that ownership.
        let inherited = unsafe { std::os::unix::net::UnixStream::from_raw_fd(CHANNEL_FD) };
        let kept = inherited.try_clone().ok();
        drop(inherited);
        let kept = kept?;
        let mut reader = BufReader::new(kept.try_clone().ok()?);
        let mut nonce = String::new();
        reader.read_line(&mut nonce).ok()?;
        let nonce = nonce.trim().to_string();
        if nonce.len() < 16 || !nonce.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        Some(Channel {
            nonce,
            writer: Mutex::new(kept),
            reader: Mutex::new(reader),
        })
    }

    /// Sends one protocol line to the parent.
    fn emit(&self, payload: &str) {
        let line = format!("{MARKER}{} {payload}\n", self.nonce);
        let mut writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        if writer.write_all(line.as_bytes()).is_err() {
            // The parent is gone: nobody is left to grade for.
            std::process::exit(4);
        }
    }

    /// The next request line from the parent; `None` when it closed the channel.
    fn receive(&self) -> Option<String> {
        let mut reader = self.reader.lock().unwrap_or_else(|p| p.into_inner());
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => None,
            Ok(_) => Some(line.trim_end_matches(['\n', '\r']).to_string()),
        }
    }

    /// Marks where check `index`'s part of the student's output begins, on stdout itself, so
    /// the parent can tell whose output is whose. Flushes what the student printed before.
    fn separate_output(&self, index: usize) {
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        // A newline first, so the separator never shares a line with the student's `print!`.
        let _ = write!(out, "\n{MARKER}{} output {index}\n", self.nonce);
        let _ = out.flush();
    }
}

fn run_checks(channel: &Channel, checks: &[Check], from: usize, seed: u64) {
    for (index, check) in checks.iter().enumerate().skip(from) {
        channel.emit(&format!(
            "{{\"event\":\"start\",\"index\":{index},\"name\":{}}}",
            json_string(check.name)
        ));
        channel.separate_output(index);
        let mut ctx = Ctx {
            seed,
            rng: Rng::new(seed ^ (index as u64 + 1).wrapping_mul(0xA076_1D64_78BD_642F)),
            check: check.name,
            seeded: check.seeded,
        };
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| (check.run)(&mut ctx)));
        let (status, message) = match outcome {
            Ok(Ok(())) => ("pass", None),
            Ok(Err(message)) => ("fail", Some(message)),
            Err(_) => ("fail", Some(take_panic_message())),
        };
        let _ = std::io::stdout().flush();
        let message = message.map_or("null".to_string(), |m| json_string(&m));
        channel.emit(&format!(
            "{{\"event\":\"end\",\"index\":{index},\"status\":\"{status}\",\"message\":{message}}}"
        ));
    }
}

static PANIC_MESSAGE: Mutex<Option<String>> = Mutex::new(None);

/// Records the panic message and where it happened instead of printing it, so the report can
/// show it as the check's message.
fn install_panic_hook() {
    panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let text = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic with a non-text payload".to_string());
        let message = match info.location() {
            Some(at) => format!(
                "panicked at {}:{}:{}: {text}",
                at.file(),
                at.line(),
                at.column()
            ),
            None => format!("panicked: {text}"),
        };
        if let Ok(mut slot) = PANIC_MESSAGE.lock() {
            *slot = Some(message);
        }
    }));
}

fn take_panic_message() -> String {
    PANIC_MESSAGE
        .lock()
        .ok()
        .and_then(|mut slot| slot.take())
        .unwrap_or_else(|| "panicked".to_string())
}

fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}


/// Answers one request line per line received on the channel; the answers go back on it, so
/// the student's own prints cannot be mistaken for one. `new [CAPACITY]` makes a fresh
/// instance (the visualization's reset); nothing is made before it.
fn serve(channel: &Channel, live: Live) {
    let mut instance: Option<Instance> = None;
    while let Some(line) = channel.receive() {
        let words: Vec<&str> = line.split(' ').collect();
        let reply = panic::catch_unwind(AssertUnwindSafe(|| match (&mut instance, &words[..]) {
            (_, ["new", rest @ ..]) => {
                let capacity = rest.first().and_then(|c| c.parse().ok()).unwrap_or(16);
                instance = Some(live.make(capacity));
                Some("ok".to_string())
            }
            (None, _) => None,
            (Some(Instance::Balancer(balancer)), _) => serve_balancer(balancer.as_mut(), &words),
            (Some(Instance::TtlCache(cache)), _) => serve_cache(cache.as_mut(), &words),
            (Some(Instance::Saga(saga)), _) => serve_saga(saga.as_mut(), &words, channel),
        }));
        match reply {
            Ok(Some(answer)) => channel.emit(&answer),
            Ok(None) => channel.emit(&format!("bad-request {}", encode(&line))),
            Err(_) => channel.emit(&format!("panic {}", encode(&take_panic_message()))),
        }
    }
}

fn serve_balancer(balancer: &mut dyn Balancer, words: &[&str]) -> Option<String> {
    let ["pick", client, list] = words else {
        return None;
    };
    let client = client.parse().ok()?;
    let mut backends = Vec::new();
    if *list != "-" {
        for entry in list.split(';') {
            let [name, healthy, weight, active] =
                entry.split(',').collect::<Vec<_>>().try_into().ok()?;
            backends.push(Backend {
                name: decode(name)?,
                healthy: healthy == "1",
                weight: weight.parse().ok()?,
                active: active.parse().ok()?,
            });
        }
    }
    Some(match balancer.pick(client, &backends) {
        Some(index) => format!("some {index}"),
        None => "none".to_string(),
    })
}

fn serve_cache(cache: &mut dyn TtlCache, words: &[&str]) -> Option<String> {
    let some_or_none = |value: Option<String>| match value {
        Some(v) => format!("some {}", encode(&v)),
        None => "none".to_string(),
    };
    Some(match words {
        ["get", key, now] => some_or_none(cache.get(&decode(key)?, now.parse().ok()?)),
        ["set", key, value, ttl, now] => {
            let ttl = if *ttl == "-" {
                None
            } else {
                Some(ttl.parse().ok()?)
            };
            some_or_none(cache.set(&decode(key)?, &decode(value)?, ttl, now.parse().ok()?))
        }
        ["del", key, now] => format!("bool {}", cache.del(&decode(key)?, now.parse().ok()?)),
        ["ttl", key, now] => format!("int {}", cache.ttl(&decode(key)?, now.parse().ok()?)),
        ["len", now] => format!("int {}", cache.len(now.parse().ok()?)),
        _ => return None,
    })
}

/// Relays each participant call to the parent and waits for its answer on the channel.
struct RemoteParticipants<'a> {
    channel: &'a Channel,
}

impl RemoteParticipants<'_> {
    fn call(&mut self, verb: &str, step: usize) -> Result<(), String> {
        self.channel.emit(&format!("{verb} {step}"));
        match self.channel.receive() {
            Some(answer) if answer == "ok" => Ok(()),
            Some(answer) => Err(answer
                .strip_prefix("err ")
                .and_then(decode)
                .unwrap_or_else(|| "the participant failed".to_string())),
            None => Err("the visualization stopped answering".to_string()),
        }
    }
}

impl Participants for RemoteParticipants<'_> {
    fn execute(&mut self, step: usize) -> Result<(), String> {
        self.call("execute", step)
    }

    fn compensate(&mut self, step: usize) -> Result<(), String> {
        self.call("compensate", step)
    }
}

fn serve_saga(
    saga: &mut dyn SagaOrchestrator,
    words: &[&str],
    channel: &Channel,
) -> Option<String> {
    let ["run", list] = words else {
        return None;
    };
    let mut steps = Vec::new();
    if *list != "-" {
        for entry in list.split(';') {
            let (name, kind) = entry.split_once(',')?;
            let kind = match kind {
                "C" => StepKind::Compensatable,
                "R" => StepKind::ReadOnly,
                "P" => StepKind::Pivot,
                "T" => StepKind::Retriable,
                _ => return None,
            };
            steps.push(SagaStep {
                name: decode(name)?,
                kind,
            });
        }
    }
    let outcome = saga.run(&steps, &mut RemoteParticipants { channel });
    Some(match outcome {
        SagaOutcome::Completed => "outcome completed".to_string(),
        SagaOutcome::Compensated { failed_step } => format!("outcome compensated {failed_step}"),
        SagaOutcome::Stuck { step, reason } => format!("outcome stuck {step} {}", encode(&reason)),
    })
}
