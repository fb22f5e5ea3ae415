//! `saga`: an order saga across the order, inventory, payment and shipping services, run over
//! and over, by an orchestrator or by choreography.
//!
//! Each saga is first run to its end against recording participants (see
//! `saga_participants`), then replayed one call per tick: the step diagram, each service's
//! local state and the command or event log change as the student watches. A failure injected
//! at a step makes the compensations run in reverse order; a failing compensation is retried,
//! and one that keeps failing leaves the saga stuck.
//!
//! A reader (a reporting query, say) polls the services every tick. A saga has no isolation,
//! so the reader sees stock held and cards charged for orders that are later rolled back.

use std::collections::VecDeque;

use super::contract::{MAX_ATTEMPTS, SagaOrchestrator, SagaOutcome, StepKind};
use super::event_log::EventLog;
use super::param_table::{self, Param, specs};
use super::registry::KindSpec;
use super::rng::Rng;
use super::saga_choreography;
use super::saga_orchestrator::SequentialOrchestrator;
use super::saga_participants::{Call, CallKind, Faults, ScriptedParticipants};
use super::saga_steps::{Effect, ORDER_SAGA, Service, StepDef, contract_steps, kind_name};
use super::summary::Summary;
use super::{Action, ParamError, Simulation};

pub const KIND: &str = "saga";

pub const MODES: &[&str] = &["orchestration", "choreography"];

const STEPS: usize = ORDER_SAGA.len();

const TABLE: [Param<SagaSim>; 5] = [
    Param::choice("mode", MODES, "orchestration")
        .help("a central orchestrator sends commands, or the services react to each other's events")
        .field(|s| s.mode.name(), |s, v| {
            s.mode = if v == "choreography" {
                Mode::Choreography
            } else {
                Mode::Orchestration
            };
            s.note_next_saga(format!("mode {}", s.mode.name()));
        }),
    Param::int("fail_at", 0, 6, "5")
        .help("the step that fails: 1 create_order .. 5 schedule_shipment (pivot), 6 approve_order (0: none)")
        .field(|s| s.fail_at as i64, |s, v| {
            s.fail_at = v as usize;
            s.note_next_saga(format!("fail_at={}", s.fail_at));
        }),
    Param::int("fail_compensation", 0, 6, "0")
        .help("the step whose compensation fails: 1, 3 or 4, the compensatable ones (0: none)")
        .fallible(|s| s.fail_compensation as i64, |s, v| {
            let step = v as usize;
            if let Some(def) = step.checked_sub(1).map(|i| &ORDER_SAGA[i])
                && def.kind != StepKind::Compensatable
            {
                return Err(ParamError::Rejected(format!(
                    "fail_compensation={step}: {} is {} and has no compensation; \
                     use 1, 3 or 4 (or 0 for none)",
                    def.name,
                    kind_name(def.kind)
                )));
            }
            s.fail_compensation = step;
            s.note_next_saga(format!("fail_compensation={step}"));
            Ok(())
        }),
    Param::int("failures", 1, 5, "1")
        .help("attempts that fail at a failing compensation or retriable step; 3 or more leaves the saga stuck")
        .field(|s| s.failures.into(), |s, v| {
            s.failures = v as u32;
            s.note_next_saga(format!("failures={}", s.failures));
        }),
    Param::int("pause", 1, 50, "4")
        .help("ticks between the end of one saga and the start of the next")
        .field(|s| s.pause as i64, |s, v| s.pause = v as u64),
];

pub const SPEC: KindSpec = KindSpec {
    name: KIND,
    title: "Saga: orchestration, choreography and compensations",
    description: "An order saga across order, inventory, payment and shipping, replayed one \
        call per tick. Inject a failure at any step and watch the compensations run in \
        reverse order; make a compensation fail and watch it retried, then stuck. A reader \
        polling the services sees the intermediate states, because a saga has no isolation.",
    params: &specs(&TABLE),
    build: SagaSim::boxed,
};

const ACTIONS: &[Action] = &[
    Action {
        key: 'f',
        label: "move failure",
    },
    Action {
        key: 'c',
        label: "failing compensation",
    },
    Action {
        key: 'a',
        label: "fault repeats",
    },
    Action {
        key: 'm',
        label: "switch mode",
    },
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Orchestration,
    Choreography,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Orchestration => MODES[0],
            Mode::Choreography => MODES[1],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderState {
    None,
    Pending,
    Approved,
    Rejected,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentState {
    None,
    Charged(u32),
    Refunded(u32),
}

/// The services' local state for the current order, plus the inventory's stock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Services {
    pub order_id: u64,
    pub order: OrderState,
    pub stock: u32,
    /// Units reserved for the current order and not yet shipped or released.
    pub held: u32,
    pub payment: PaymentState,
    pub shipment_scheduled: bool,
}

impl Services {
    /// One service's state in a few words, as the diagram and the summary show it.
    pub fn describe(&self, service: Service) -> String {
        let id = self.order_id;
        match service {
            Service::Order => match self.order {
                OrderState::None => "-".to_string(),
                OrderState::Pending => format!("#{id} PENDING"),
                OrderState::Approved => format!("#{id} APPROVED"),
                OrderState::Rejected => format!("#{id} REJECTED"),
            },
            Service::Inventory if self.held > 0 => {
                format!("{} in stock, {} held for #{id}", self.stock, self.held)
            }
            Service::Inventory => format!("{} in stock", self.stock),
            Service::Payment => match self.payment {
                PaymentState::None => "-".to_string(),
                PaymentState::Charged(amount) => format!("#{id} charged ${amount}"),
                PaymentState::Refunded(amount) => format!("#{id} refunded ${amount}"),
            },
            Service::Shipping if self.shipment_scheduled => format!("#{id} scheduled"),
            Service::Shipping => "-".to_string(),
        }
    }
}

/// How far a step, or its compensation, has got in the current saga.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    NotRun,
    Succeeded { attempts: u32 },
    Failed { attempts: u32 },
}

impl Progress {
    fn word(self) -> &'static str {
        match self {
            Progress::NotRun => "not run",
            Progress::Succeeded { .. } => "ok",
            Progress::Failed { .. } => "failed",
        }
    }

    fn attempts(self) -> u32 {
        match self {
            Progress::NotRun => 0,
            Progress::Succeeded { attempts } | Progress::Failed { attempts } => attempts,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepView {
    pub def: &'static StepDef,
    pub forward: Progress,
    pub compensation: Progress,
    /// 1 for the first compensation that succeeded in this saga, 2 for the next, ...
    pub compensation_rank: Option<u32>,
}

/// What the reader saw on one tick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Observation {
    pub tick: u64,
    pub saga: u64,
    pub seen: Services,
    /// It saw stock held or a card charged that the saga later undid.
    pub dirty: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SagaTotals {
    pub started: u64,
    pub completed: u64,
    pub compensated: u64,
    pub stuck: u64,
    pub executions: u64,
    pub compensations: u64,
    pub failed_calls: u64,
    pub dirty_reads: u64,
    /// Calls beyond the recording cap, made but not replayed.
    pub calls_dropped: u64,
}

/// The saga being replayed, or the last one.
#[derive(Debug, Clone)]
pub struct SagaRun {
    pub number: u64,
    pub mode: Mode,
    pub label: &'static str,
    pub faults: Faults,
    pub quantity: u32,
    pub amount: u32,
    pub calls: Vec<Call>,
    /// Calls replayed so far.
    pub replayed: usize,
    pub outcome: SagaOutcome,
    /// Where a student's orchestrator first differs from the reference, if it does.
    pub mismatch: Option<String>,
}

impl SagaRun {
    pub fn finished(&self) -> bool {
        self.replayed == self.calls.len()
    }
}

/// Reader observations kept for the widget.
const OBSERVATIONS_KEPT: usize = 64;
const INITIAL_STOCK: u32 = 20;

pub struct SagaSim {
    seed: u64,
    rng: Rng,
    now: u64,
    mode: Mode,
    fail_at: usize,
    fail_compensation: usize,
    failures: u32,
    pause: u64,
    orchestrator: Box<dyn SagaOrchestrator + Send>,
    label: &'static str,
    custom: bool,
    run: Option<SagaRun>,
    next_start: u64,
    steps: [StepView; STEPS],
    next_rank: u32,
    services: Services,
    observations: VecDeque<Observation>,
    totals: SagaTotals,
    log: EventLog,
}

fn fresh_steps() -> [StepView; STEPS] {
    std::array::from_fn(|i| StepView {
        def: &ORDER_SAGA[i],
        forward: Progress::NotRun,
        compensation: Progress::NotRun,
        compensation_rank: None,
    })
}

fn step_kinds() -> [StepKind; STEPS] {
    std::array::from_fn(|i| ORDER_SAGA[i].kind)
}

fn failure_reasons() -> [&'static str; STEPS] {
    std::array::from_fn(|i| ORDER_SAGA[i].failure)
}

fn describe_call(call: &Call) -> String {
    let name = ORDER_SAGA.get(call.step).map_or("?", |s| match call.kind {
        CallKind::Execute => s.name,
        CallKind::Compensate => s.compensation.unwrap_or(s.name),
    });
    let verb = match call.kind {
        CallKind::Execute => "execute",
        CallKind::Compensate => "compensate",
    };
    let result = if call.result.is_ok() { "ok" } else { "fails" };
    format!("{verb} {name} {result}")
}

/// The first call or outcome where `theirs` differs from the reference's.
fn first_difference(
    theirs: &[Call],
    their_outcome: &SagaOutcome,
    reference: &[Call],
    reference_outcome: &SagaOutcome,
) -> Option<String> {
    let same = |a: &Call, b: &Call| a.step == b.step && a.kind == b.kind && a.result == b.result;
    for (n, pair) in theirs.iter().zip(reference).enumerate() {
        if !same(pair.0, pair.1) {
            return Some(format!(
                "call {}: the reference would {}, yours did {}",
                n + 1,
                describe_call(pair.1),
                describe_call(pair.0)
            ));
        }
    }
    if theirs.len() != reference.len() {
        let n = theirs.len().min(reference.len());
        return Some(match reference.get(n) {
            Some(call) => format!(
                "after {n} calls the reference would {}, yours stopped",
                describe_call(call)
            ),
            None => format!(
                "after {n} calls the reference stops, yours went on to {}",
                describe_call(&theirs[n])
            ),
        });
    }
    (their_outcome != reference_outcome)
        .then(|| format!("outcome {their_outcome:?}; the reference says {reference_outcome:?}"))
}

impl SagaSim {
    pub fn new(seed: u64) -> Self {
        SagaSim {
            seed,
            rng: Rng::new(seed),
            now: 0,
            mode: Mode::Orchestration,
            fail_at: 5,
            fail_compensation: 0,
            failures: 1,
            pause: 4,
            orchestrator: Box::new(SequentialOrchestrator),
            label: "reference",
            custom: false,
            run: None,
            next_start: 1,
            steps: fresh_steps(),
            next_rank: 1,
            services: Services {
                order_id: 0,
                order: OrderState::None,
                stock: INITIAL_STOCK,
                held: 0,
                payment: PaymentState::None,
                shipment_scheduled: false,
            },
            observations: VecDeque::with_capacity(OBSERVATIONS_KEPT),
            totals: SagaTotals::default(),
            log: EventLog::new(),
        }
    }

    pub fn boxed(seed: u64) -> Box<dyn Simulation> {
        Box::new(Self::new(seed))
    }

    /// Orchestrate with `orchestrator` instead of the reference, e.g. the student's own, from
    /// the next saga on. Each saga it runs is also run by the reference, and the log says where
    /// the two first differ.
    pub fn set_orchestrator(
        &mut self,
        orchestrator: Box<dyn SagaOrchestrator + Send>,
        label: &'static str,
    ) {
        self.orchestrator = orchestrator;
        self.label = label;
        self.custom = true;
        self.log.push(
            self.now,
            format!("orchestrator: {label}, from the next saga"),
        );
    }

    pub fn orchestrator_label(&self) -> &'static str {
        self.label
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The current saga, or the last one; `None` before the first starts.
    pub fn current(&self) -> Option<&SagaRun> {
        self.run.as_ref()
    }

    pub fn steps(&self) -> &[StepView] {
        &self.steps
    }

    pub fn services(&self) -> &Services {
        &self.services
    }

    pub fn observations(&self) -> impl DoubleEndedIterator<Item = &Observation> {
        self.observations.iter()
    }

    pub fn totals(&self) -> SagaTotals {
        self.totals
    }

    pub fn log(&self) -> &EventLog {
        &self.log
    }

    /// The fault settings the next saga will run with.
    pub fn faults(&self) -> Faults {
        Faults {
            fail_step: self.fail_at.checked_sub(1),
            fail_compensation: self.fail_compensation.checked_sub(1),
            failures: self.failures,
        }
    }

    fn start_saga(&mut self) {
        self.totals.started += 1;
        let number = self.totals.started;
        let quantity = 1 + self.rng.below(3) as u32;
        let amount = 10 + self.rng.below(90) as u32;
        if self.services.stock < quantity {
            self.services.stock += INITIAL_STOCK;
            self.log.push(self.now, "inventory restocked");
        }
        let faults = self.faults();
        let kinds = step_kinds();
        let reasons = failure_reasons();
        let script = || ScriptedParticipants::new(&kinds, faults).with_reasons(&reasons);
        let mut participants = script();
        let (outcome, label) = match self.mode {
            Mode::Orchestration => (
                self.orchestrator.run(&contract_steps(), &mut participants),
                self.label,
            ),
            Mode::Choreography => (
                saga_choreography::run(&ORDER_SAGA, &mut participants),
                "events",
            ),
        };
        self.totals.calls_dropped += participants.dropped();
        let calls = participants.into_calls();
        let mismatch = (self.custom && self.mode == Mode::Orchestration)
            .then(|| {
                let mut reference = script();
                let expected = SequentialOrchestrator.run(&contract_steps(), &mut reference);
                first_difference(&calls, &outcome, reference.calls(), &expected)
            })
            .flatten();

        self.steps = fresh_steps();
        self.next_rank = 1;
        self.services = Services {
            order_id: 1000 + number,
            order: OrderState::None,
            held: 0,
            payment: PaymentState::None,
            shipment_scheduled: false,
            ..self.services
        };
        self.log.push(
            self.now,
            format!(
                "saga #{number} starts ({}): order #{}, {quantity} items, ${amount}",
                self.mode.name(),
                1000 + number
            ),
        );
        if let Some(diff) = &mismatch {
            self.log.push(
                self.now,
                format!("# {label} differs from the reference: {diff}"),
            );
        }
        self.run = Some(SagaRun {
            number,
            mode: self.mode,
            label,
            faults,
            quantity,
            amount,
            calls,
            replayed: 0,
            outcome,
            mismatch,
        });
    }

    fn replay_next(&mut self) {
        let Some(run) = self.run.as_mut() else {
            return;
        };
        let Some(call) = run.calls.get(run.replayed).cloned() else {
            return;
        };
        run.replayed += 1;
        let (quantity, amount, mode) = (run.quantity, run.amount, run.mode);
        let Some(def) = ORDER_SAGA.get(call.step) else {
            let err = call.result.err().unwrap_or_default();
            self.totals.failed_calls += 1;
            self.log.push(
                self.now,
                format!(
                    "call to step {}, which does not exist: {err}",
                    call.step + 1
                ),
            );
            return;
        };
        let progress = match &call.result {
            Ok(()) => Progress::Succeeded {
                attempts: call.attempt,
            },
            Err(_) => {
                self.totals.failed_calls += 1;
                Progress::Failed {
                    attempts: call.attempt,
                }
            }
        };
        let view = &mut self.steps[call.step];
        match call.kind {
            CallKind::Execute => {
                self.totals.executions += 1;
                view.forward = progress;
                if call.result.is_ok() {
                    apply(&mut self.services, def.effect, quantity, amount);
                }
            }
            CallKind::Compensate => {
                self.totals.compensations += 1;
                view.compensation = progress;
                if call.result.is_ok() {
                    view.compensation_rank = Some(self.next_rank);
                    self.next_rank += 1;
                    undo(&mut self.services, def.effect);
                }
            }
        }
        let text = log_line(mode, def, &call);
        self.log.push(self.now, text);
    }

    fn finish_saga(&mut self) {
        let Some(run) = self.run.as_ref() else {
            return;
        };
        let number = run.number;
        let step_name = |i: usize| ORDER_SAGA.get(i).map_or("?", |s| s.name);
        let text = match &run.outcome {
            SagaOutcome::Completed => {
                self.totals.completed += 1;
                format!("saga #{number} completed")
            }
            SagaOutcome::Compensated { failed_step } => {
                self.totals.compensated += 1;
                let mut undone: Vec<(u32, &str)> = self
                    .steps
                    .iter()
                    .filter_map(|s| Some((s.compensation_rank?, s.def.compensation?)))
                    .collect();
                undone.sort_unstable();
                let names: Vec<&str> = undone.into_iter().map(|(_, n)| n).collect();
                format!(
                    "saga #{number} compensated: {} failed; undone newest first: {}",
                    step_name(*failed_step),
                    if names.is_empty() {
                        "nothing".to_string()
                    } else {
                        names.join(", ")
                    }
                )
            }
            SagaOutcome::Stuck { step, reason } => {
                self.totals.stuck += 1;
                format!(
                    "saga #{number} STUCK at {}: {reason}; a human must step in",
                    step_name(*step)
                )
            }
        };
        self.log.push(self.now, text);

        let end = self.services;
        let mut dirty = 0;
        for seen in self.observations.iter_mut().filter(|o| o.saga == number) {
            let saw_held = seen.seen.held > 0 && end.held == 0 && end.order != OrderState::Approved;
            let saw_charge = matches!(seen.seen.payment, PaymentState::Charged(_))
                && matches!(end.payment, PaymentState::Refunded(_));
            seen.dirty = saw_held || saw_charge;
            dirty += u64::from(seen.dirty);
        }
        if dirty > 0 {
            self.totals.dirty_reads += dirty;
            self.log.push(
                self.now,
                format!("reader saw {dirty} states of #{number} that were later undone"),
            );
        }
        self.next_start = self.now + self.pause;
    }

    fn observe(&mut self, saga: u64) {
        if self.observations.len() == OBSERVATIONS_KEPT {
            self.observations.pop_front();
        }
        self.observations.push_back(Observation {
            tick: self.now,
            saga,
            seen: self.services,
            dirty: false,
        });
    }

    fn note_next_saga(&mut self, what: String) {
        self.log
            .push(self.now, format!("# {what}, from the next saga"));
    }
}

fn apply(services: &mut Services, effect: Effect, quantity: u32, amount: u32) {
    match effect {
        Effect::CreateOrder => services.order = OrderState::Pending,
        Effect::CheckStock => {}
        Effect::ReserveStock => {
            let held = quantity.min(services.stock);
            services.stock -= held;
            services.held += held;
        }
        Effect::ChargePayment => services.payment = PaymentState::Charged(amount),
        Effect::ScheduleShipment => services.shipment_scheduled = true,
        Effect::ApproveOrder => {
            services.order = OrderState::Approved;
            // The held units are now sold.
            services.held = 0;
        }
    }
}

fn undo(services: &mut Services, effect: Effect) {
    match effect {
        Effect::CreateOrder => services.order = OrderState::Rejected,
        Effect::ReserveStock => {
            services.stock += services.held;
            services.held = 0;
        }
        Effect::ChargePayment => {
            if let PaymentState::Charged(amount) = services.payment {
                services.payment = PaymentState::Refunded(amount);
            }
        }
        // Not compensatable: there is nothing to undo.
        Effect::CheckStock | Effect::ScheduleShipment | Effect::ApproveOrder => {}
    }
}

/// One log line per call: a command and its reply under orchestration, the event a service
/// reacted to and the one it published under choreography. Each names the step or the
/// compensation.
fn log_line(mode: Mode, def: &StepDef, call: &Call) -> String {
    let service = def.service.name();
    let (verb, name) = match call.kind {
        CallKind::Execute => ("execute", def.name),
        CallKind::Compensate => ("compensate", def.compensation.unwrap_or(def.name)),
    };
    let attempt = if call.attempt > 1 {
        format!(" (attempt {}/{MAX_ATTEMPTS})", call.attempt)
    } else {
        String::new()
    };
    let result = match &call.result {
        Ok(()) => "ok".to_string(),
        Err(e) => format!("FAILED: {e}"),
    };
    match mode {
        Mode::Orchestration => {
            format!("orchestrator -> {service}: {verb} {name}{attempt}: {result}")
        }
        Mode::Choreography => {
            let trigger = call.trigger.unwrap_or("?");
            let published = call
                .published
                .map_or_else(String::new, |e| format!(", publishes {e}"));
            format!("{service} on {trigger}: {verb} {name}{attempt}: {result}{published}")
        }
    }
}

impl Simulation for SagaSim {
    param_table::common_methods!(kind: KIND, table: TABLE, actions: ACTIONS);

    fn step(&mut self) {
        self.now += 1;
        let replaying = self.run.as_ref().is_some_and(|r| !r.finished());
        if replaying {
            self.replay_next();
        } else if self.now >= self.next_start {
            self.start_saga();
        } else {
            // Between sagas nothing changes, so the reader has nothing new to see.
            return;
        }
        let Some(run) = &self.run else {
            return;
        };
        let (number, finished) = (run.number, run.finished());
        self.observe(number);
        if finished {
            self.finish_saga();
        }
    }

    fn action_label(&self, key: char) -> Option<String> {
        match key {
            'm' if self.mode == Mode::Orchestration => Some("choreography".into()),
            'm' => Some("orchestration".into()),
            _ => None,
        }
    }

    fn act(&mut self, key: char) -> bool {
        match key {
            'f' => {
                self.fail_at = (self.fail_at + 1) % (STEPS + 1);
                self.note_next_saga(format!("fail_at={}", self.fail_at));
            }
            'c' => {
                // Cycle none -> each compensatable step -> none.
                let compensatable: Vec<usize> = (1..=STEPS)
                    .filter(|&n| ORDER_SAGA[n - 1].kind == StepKind::Compensatable)
                    .collect();
                let at = compensatable
                    .iter()
                    .position(|&n| n == self.fail_compensation);
                self.fail_compensation = match at {
                    None => compensatable[0],
                    Some(i) => compensatable.get(i + 1).copied().unwrap_or(0),
                };
                self.note_next_saga(format!("fail_compensation={}", self.fail_compensation));
            }
            'a' => {
                self.failures = self.failures % MAX_ATTEMPTS + 1;
                self.note_next_saga(format!("failures={}", self.failures));
            }
            'm' => {
                self.mode = match self.mode {
                    Mode::Orchestration => Mode::Choreography,
                    Mode::Choreography => Mode::Orchestration,
                };
                self.note_next_saga(format!("mode {}", self.mode.name()));
            }
            _ => return false,
        }
        true
    }

    fn summary(&self) -> Summary {
        use serde_json::json;
        let t = self.totals;
        let metrics = [
            ("sagas", t.started as f64),
            ("completed", t.completed as f64),
            ("compensated", t.compensated as f64),
            ("stuck", t.stuck as f64),
            ("executions", t.executions as f64),
            ("compensations", t.compensations as f64),
            ("failed_calls", t.failed_calls as f64),
            ("dirty_reads", t.dirty_reads as f64),
            ("calls_dropped", t.calls_dropped as f64),
            ("stock", f64::from(self.services.stock)),
        ];
        let steps = self
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| {
                [
                    ("step", json!(i + 1)),
                    ("name", json!(s.def.name)),
                    ("service", json!(s.def.service.name())),
                    ("kind", json!(kind_name(s.def.kind))),
                    ("executed", json!(s.forward.word())),
                    ("execute_attempts", json!(s.forward.attempts())),
                    ("compensation", json!(s.def.compensation)),
                    ("compensated", json!(s.compensation.word())),
                    ("compensate_attempts", json!(s.compensation.attempts())),
                    ("compensation_order", json!(s.compensation_rank)),
                ]
                .into_iter()
                .collect()
            })
            .collect();
        let services = Service::ALL
            .iter()
            .map(|&s| {
                [
                    ("name", json!(s.name())),
                    ("state", json!(self.services.describe(s))),
                ]
                .into_iter()
                .collect()
            })
            .collect();
        Summary::of(
            self,
            self.seed,
            metrics,
            [("steps", steps), ("services", services)],
            self.log.to_vec(),
        )
    }
    fn note(&mut self, text: &str) {
        self.log.push_unless_repeated(self.now, text);
    }

    fn plug(&mut self, plug: Option<super::Plug>, label: &'static str) -> Result<(), String> {
        match plug {
            Some(super::Plug::Saga(orchestrator)) => self.set_orchestrator(orchestrator, label),
            None => {
                self.set_orchestrator(Box::new(SequentialOrchestrator), "reference");
                self.custom = false;
            }
            Some(_) => return Err("the saga simulation runs a SagaOrchestrator".into()),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::ParamValue;

    fn run_one(sim: &mut SagaSim) {
        let before = sim.totals().started;
        while sim.totals().started == before {
            sim.step();
        }
        while !sim.current().is_some_and(SagaRun::finished) {
            sim.step();
        }
        sim.step();
    }

    fn texts(sim: &SagaSim) -> Vec<String> {
        sim.log().iter().map(|e| e.text.clone()).collect()
    }

    #[test]
    fn a_failing_pivot_is_compensated_in_reverse_and_the_reader_sees_it() {
        let mut sim = SagaSim::new(1);
        run_one(&mut sim);
        let log = texts(&sim);
        let compensations: Vec<&String> =
            log.iter().filter(|t| t.contains(": compensate ")).collect();
        assert_eq!(compensations.len(), 3, "{log:#?}");
        assert!(compensations[0].contains("refund_payment"));
        assert!(compensations[1].contains("release_stock"));
        assert!(compensations[2].contains("reject_order"));
        assert!(log.iter().any(|t| t.contains(
            "compensated: schedule_shipment failed; undone newest first: refund_payment, release_stock, reject_order"
        )));
        assert_eq!(sim.services().held, 0);
        assert_eq!(sim.services().stock, INITIAL_STOCK);
        assert!(sim.totals().dirty_reads > 0);
        assert_eq!(sim.totals().compensated, 1);
    }

    #[test]
    fn choreography_logs_events_and_compensates_the_same_way() {
        let mut sim = SagaSim::new(1);
        sim.act('m');
        run_one(&mut sim);
        let log = texts(&sim);
        assert!(
            log.iter().any(|t| t.starts_with(
                "inventory on StockAvailable: execute reserve_stock: ok, publishes StockReserved"
            )),
            "{log:#?}"
        );
        assert!(log.iter().any(|t| t.starts_with(
            "payment on ShipmentFailed: compensate refund_payment: ok, publishes PaymentRefunded"
        )));
        assert!(
            log.iter()
                .any(|t| t.starts_with("order on StockReleased: compensate reject_order: ok"))
        );
    }

    #[test]
    fn a_compensation_failing_every_attempt_leaves_the_saga_stuck() {
        let mut sim = SagaSim::new(1);
        sim.set("fail_compensation", &ParamValue::Int(3)).unwrap();
        sim.set("failures", &ParamValue::Int(3)).unwrap();
        run_one(&mut sim);
        assert_eq!(sim.totals().stuck, 1);
        assert_eq!(
            sim.steps()[2].compensation,
            Progress::Failed { attempts: 3 }
        );
        assert_eq!(sim.steps()[0].compensation, Progress::NotRun);
        assert!(
            texts(&sim)
                .iter()
                .any(|t| t.contains("STUCK at reserve_stock"))
        );
    }

    #[test]
    fn read_only_steps_have_no_compensation_to_fail() {
        let mut sim = SagaSim::new(1);
        let err = sim
            .set("fail_compensation", &ParamValue::Int(2))
            .unwrap_err();
        assert!(
            err.to_string().contains("check_stock is read-only"),
            "{err}"
        );
    }

    #[test]
    fn without_a_fault_the_saga_completes() {
        let mut sim = SagaSim::new(1);
        sim.set("fail_at", &ParamValue::Int(0)).unwrap();
        run_one(&mut sim);
        assert_eq!(sim.totals().completed, 1);
        assert_eq!(sim.services().order, OrderState::Approved);
        assert_eq!(sim.totals().dirty_reads, 0);
    }

    #[test]
    fn a_students_orchestrator_is_compared_with_the_reference() {
        use crate::sim::contract::{Participants, SagaStep};
        /// Compensates in forward order: the classic mistake.
        struct ForwardUndo;
        impl SagaOrchestrator for ForwardUndo {
            fn run(&mut self, steps: &[SagaStep], p: &mut dyn Participants) -> SagaOutcome {
                for i in 0..steps.len() {
                    if p.execute(i).is_err() {
                        for j in 0..i {
                            let _ = p.compensate(j);
                        }
                        return SagaOutcome::Compensated { failed_step: i };
                    }
                }
                SagaOutcome::Completed
            }
        }
        let mut sim = SagaSim::new(1);
        sim.set_orchestrator(Box::new(ForwardUndo), "yours");
        run_one(&mut sim);
        let diff = sim.current().and_then(|r| r.mismatch.clone()).unwrap();
        assert_eq!(
            diff,
            "call 6: the reference would compensate refund_payment ok, yours did compensate reject_order ok"
        );
    }
}
