//! The student's code behind the contract traits, for the visualizations: the reference
//! solutions answer through the serve protocol exactly as they would in process, and a
//! panicking or hanging implementation becomes an error the visualization can show.

use std::path::PathBuf;
use std::time::Duration;

use sysdesign::grade::live::{LiveImpl, start_source};
use sysdesign::grade::{Exercise, Grader, embedded_exercises};
use sysdesign::sim::contract::{
    Backend, Balancer, Participants, SagaOrchestrator, SagaOutcome, SagaStep, StepKind, TtlCache,
};

fn exercise(id: &str) -> Exercise {
    embedded_exercises()
        .0
        .into_iter()
        .find(|e| e.id == id)
        .unwrap_or_else(|| panic!("{id} is embedded"))
}

fn grader() -> Grader {
    Grader::new(PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("grade-live"))
}

fn start(id: &str, source: &str, capacity: usize) -> LiveImpl {
    match start_source(
        &grader(),
        &exercise(id),
        source,
        "lib.rs",
        capacity,
        &mut |_| {},
    ) {
        Ok(live) => live,
        Err(e) => panic!("{id} did not start: {e}"),
    }
}

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/grade/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).expect("fixture")
}

fn backends(spec: &[(&str, bool)]) -> Vec<Backend> {
    spec.iter()
        .map(|&(name, healthy)| Backend {
            name: name.to_string(),
            healthy,
            weight: 1,
            active: 0,
        })
        .collect()
}

#[test]
fn a_remote_balancer_answers_like_the_solution() {
    let solution = exercise("round-robin").solution;
    let LiveImpl::Balancer(mut remote) = start("round-robin", &solution, 0) else {
        panic!("round-robin is a balancer");
    };
    let cluster = backends(&[("A", true), ("B b", false), ("Ç", true)]);
    let picks: Vec<Option<usize>> = (0..4).map(|c| remote.pick(c, &cluster)).collect();
    assert_eq!(picks, vec![Some(0), Some(2), Some(0), Some(2)]);
    assert_eq!(remote.pick(1, &[]), None);
    assert_eq!(remote.error(), None);
    remote.reset().expect("reset");
    assert_eq!(
        remote.pick(0, &cluster),
        Some(0),
        "a reset starts the rotation over"
    );
}

#[test]
fn a_remote_cache_answers_like_the_solution() {
    let solution = exercise("ttl-cache").solution;
    let LiveImpl::TtlCache(mut remote) = start("ttl-cache", &solution, 2) else {
        panic!("ttl-cache is a cache");
    };
    assert_eq!(remote.set("user 1", "Zoë; x=1", Some(10), 0), None);
    assert_eq!(remote.get("user 1", 9).as_deref(), Some("Zoë; x=1"));
    assert_eq!(remote.ttl("user 1", 9), 1);
    assert_eq!(remote.get("user 1", 10), None);
    assert_eq!(remote.set("a", "1", None, 11), None);
    assert_eq!(remote.set("b", "2", None, 12), None);
    assert_eq!(remote.set("c", "3", None, 13).as_deref(), Some("a"));
    assert_eq!(remote.len(13), 2);
    assert!(remote.del("b", 14));
    assert_eq!(remote.ttl("b", 14), -2);
    assert_eq!(remote.error(), None);
    remote.reset(1).expect("reset");
    assert_eq!(remote.len(15), 0, "a reset empties the cache");
}

struct Recorder {
    fail_at: usize,
    calls: Vec<String>,
}

impl Participants for Recorder {
    fn execute(&mut self, step: usize) -> Result<(), String> {
        self.calls.push(format!("exec {step}"));
        if step == self.fail_at {
            Err("out of stock".to_string())
        } else {
            Ok(())
        }
    }

    fn compensate(&mut self, step: usize) -> Result<(), String> {
        self.calls.push(format!("comp {step}"));
        Ok(())
    }
}

#[test]
fn a_remote_saga_calls_back_the_local_participants() {
    let solution = exercise("saga-orchestrator").solution;
    let LiveImpl::Saga(mut remote) = start("saga-orchestrator", &solution, 0) else {
        panic!("saga-orchestrator is a saga");
    };
    let steps: Vec<SagaStep> = [
        ("order", StepKind::Compensatable),
        ("check", StepKind::ReadOnly),
        ("payment", StepKind::Compensatable),
        ("inventory", StepKind::Pivot),
    ]
    .into_iter()
    .map(|(name, kind)| SagaStep {
        name: name.to_string(),
        kind,
    })
    .collect();
    let mut participants = Recorder {
        fail_at: 3,
        calls: Vec::new(),
    };
    let outcome = remote.run(&steps, &mut participants);
    assert_eq!(outcome, SagaOutcome::Compensated { failed_step: 3 });
    assert_eq!(
        participants.calls,
        vec!["exec 0", "exec 1", "exec 2", "exec 3", "comp 2", "comp 0"]
    );
    let mut all_good = Recorder {
        fail_at: usize::MAX,
        calls: Vec::new(),
    };
    assert_eq!(remote.run(&steps, &mut all_good), SagaOutcome::Completed);
    assert_eq!(remote.error(), None);
}

#[test]
fn a_panic_is_reported_and_the_process_lives_on() {
    let LiveImpl::Balancer(mut remote) = start("round-robin", &fixture("panics.rs"), 0) else {
        panic!("round-robin is a balancer");
    };
    let cluster = backends(&[("A", true), ("B", true)]);
    assert_eq!(remote.pick(0, &cluster), Some(0));
    assert_eq!(remote.pick(0, &cluster), Some(1));
    assert_eq!(remote.pick(0, &cluster), None);
    let error = remote.error().expect("an error").to_string();
    assert!(error.starts_with("your code panicked at "), "{error}");
    assert!(error.contains("index out of bounds"), "{error}");
    assert!(remote.process_mut().is_alive());
}

#[test]
fn a_panic_in_the_load_balancer_pane_names_the_students_line_and_stays_in_the_log() {
    use sysdesign::sim::Simulation;
    use sysdesign::sim::load_balancer::LoadBalancerSim;

    let source = fixture("panics.rs");
    let live = start_source(
        &grader(),
        &exercise("round-robin"),
        &source,
        "exercises/round-robin/src/lib.rs",
        0,
        &mut |_| {},
    )
    .expect("starts");
    let (plug, problems) = live.into_plug();
    let mut sim = LoadBalancerSim::new(7);
    sim.plug(Some(plug), "yours").expect("plugged");
    for _ in 0..20 {
        sim.step();
        // What the app does after every tick.
        for problem in problems.take_unlogged() {
            sim.note(&problem);
        }
    }
    let log: Vec<String> = sim.log().iter().map(|e| e.text.clone()).collect();
    let panic = log
        .iter()
        .find(|t| t.starts_with("your code panicked at "))
        .unwrap_or_else(|| panic!("no panic in the log: {log:#?}"));
    assert!(
        panic.starts_with("your code panicked at exercises/round-robin/src/lib.rs:18:"),
        "{panic}"
    );
    assert!(!log.iter().any(|t| t.contains("crates/")), "{log:#?}");
    assert!(
        !log.iter().any(|t| t.contains("no healthy server")),
        "the servers are all up: {log:#?}"
    );
}

#[test]
fn a_hang_is_stopped_and_every_later_call_fails_fast() {
    let LiveImpl::Balancer(mut remote) = start("round-robin", &fixture("loops_forever.rs"), 0)
    else {
        panic!("round-robin is a balancer");
    };
    remote.process_mut().set_timeout(Duration::from_millis(300));
    let down = backends(&[("A", false)]);
    assert_eq!(remote.pick(0, &down), None);
    assert_eq!(
        remote.error(),
        Some("your code did not answer within 300 ms (an infinite loop?)")
    );
    assert!(!remote.process_mut().is_alive());
    let up = backends(&[("A", true)]);
    let started = std::time::Instant::now();
    assert_eq!(remote.pick(0, &up), None);
    assert!(started.elapsed() < Duration::from_millis(300));
}

#[test]
fn an_exercise_without_a_live_mode_is_refused() {
    let error = match start_source(
        &grader(),
        &exercise("token-bucket"),
        "",
        "lib.rs",
        0,
        &mut |_| {},
    ) {
        Ok(_) => panic!("token-bucket has no live mode"),
        Err(e) => e,
    };
    assert_eq!(
        error,
        "exercise `token-bucket` cannot run in a visualization"
    );
}

#[test]
fn the_proxies_can_live_inside_a_simulation() {
    fn runs_in_a_simulation<T: Send + 'static>() {}
    runs_in_a_simulation::<sysdesign::grade::live::RemoteBalancer>();
    runs_in_a_simulation::<sysdesign::grade::live::RemoteTtlCache>();
    runs_in_a_simulation::<sysdesign::grade::live::RemoteSagaOrchestrator>();
}
