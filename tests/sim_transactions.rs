//! The transactions simulation reproduces PostgreSQL's isolation behaviour: the anomaly table
//! of the PostgreSQL documentation ("Transaction Isolation", where read uncommitted behaves
//! as read committed), extended with lost update and write skew, and the errors that stop
//! them.

use sysdesign::sim::transactions::{
    CONCURRENT_UPDATE, Isolation, RW_DEPENDENCIES, TransactionsSim,
};
use sysdesign::sim::{ParamValue, Simulation};

fn finished(scenario: &str, isolation: Isolation) -> TransactionsSim {
    let mut sim = TransactionsSim::new(1);
    sim.set("scenario", &ParamValue::Choice(scenario.into()))
        .expect("scenario");
    sim.set("isolation", &ParamValue::Choice(isolation.name().into()))
        .expect("isolation");
    for _ in 0..100 {
        sim.step();
    }
    assert!(
        sim.finished(),
        "{scenario} under {isolation:?} is still running"
    );
    sim
}

use Isolation::{
    ReadCommitted as RC, ReadUncommitted as RU, RepeatableRead as RR, Serializable as S,
};

/// (scenario, level, anomaly happens, the error that stops it).
const TABLE: &[(&str, Isolation, bool, Option<&str>)] = &[
    ("dirty-read", RU, false, None),
    ("dirty-read", RC, false, None),
    ("dirty-read", RR, false, None),
    ("dirty-read", S, false, None),
    ("non-repeatable-read", RU, true, None),
    ("non-repeatable-read", RC, true, None),
    ("non-repeatable-read", RR, false, None),
    ("non-repeatable-read", S, false, None),
    ("phantom", RU, true, None),
    ("phantom", RC, true, None),
    ("phantom", RR, false, None),
    ("phantom", S, false, None),
    ("lost-update", RU, true, None),
    ("lost-update", RC, true, None),
    ("lost-update", RR, false, Some(CONCURRENT_UPDATE)),
    ("lost-update", S, false, Some(CONCURRENT_UPDATE)),
    ("write-skew", RU, true, None),
    ("write-skew", RC, true, None),
    ("write-skew", RR, true, None),
    ("write-skew", S, false, Some(RW_DEPENDENCIES)),
];

#[test]
fn every_scenario_and_level_gives_postgresqls_anomaly_table() {
    let mut wrong = Vec::new();
    for (scenario, level, anomaly, error) in TABLE {
        let sim = finished(scenario, *level);
        let got = (sim.anomaly(), sim.abort_reason().map(|(_, r)| r));
        if got != (Some(*anomaly), *error) {
            wrong.push(format!(
                "{scenario} under {}: expected anomaly {anomaly}, error {error:?}; got {got:?}",
                level.name()
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_summary_reports_the_anomaly_and_the_abort_reason() {
    let sim = finished("write-skew", S);
    let summary = sim.summary();
    assert_eq!(summary.metrics["anomaly"], 0.0);
    assert_eq!(summary.metrics["aborted"], 1.0);
    let t2 = &summary.entities["transactions"][1];
    assert_eq!(t2["abort_reason"], serde_json::json!(RW_DEPENDENCIES));
    let sim = finished("write-skew", RR);
    assert_eq!(sim.summary().metrics["anomaly"], 1.0);
}

#[test]
fn the_anomaly_is_unknown_until_the_schedule_has_run() {
    let mut sim = TransactionsSim::new(1);
    sim.step();
    assert_eq!(sim.anomaly(), None);
    assert!(!sim.summary().metrics.contains_key("anomaly"));
}

#[test]
fn under_read_committed_a_reader_sees_the_committed_row_while_a_writer_holds_it() {
    let mut sim = TransactionsSim::new(1);
    sim.set("scenario", &ParamValue::Choice("dirty-read".into()))
        .expect("scenario");
    sim.step(); // T1 writes alice = 200, uncommitted
    assert_eq!(sim.view(0)["alice"], 200, "T1 sees its own write");
    assert_eq!(sim.view(1)["alice"], 100, "T2 sees only committed data");
    assert_eq!(sim.committed()["alice"], 100);
}

#[test]
fn a_serial_reordering_removes_every_anomaly() {
    for scenario in [
        "non-repeatable-read",
        "phantom",
        "lost-update",
        "write-skew",
    ] {
        let mut sim = finished(scenario, RC);
        // Move every T1 step before every T2 step: select each T1 step in turn, move it
        // to the front.
        let mut changed = true;
        while changed {
            changed = false;
            for i in 1..sim.schedule().len() {
                if sim.schedule()[i].txn == 0 && sim.schedule()[i - 1].txn == 1 {
                    while sim.selected() < i {
                        sim.act(']');
                    }
                    while sim.selected() > i {
                        sim.act('[');
                    }
                    assert!(sim.act('m'));
                    changed = true;
                }
            }
        }
        for _ in 0..100 {
            sim.step();
        }
        assert_eq!(sim.anomaly(), Some(false), "{scenario} run serially");
    }
}

#[test]
fn a_second_writer_of_a_row_waits_for_the_first_to_end() {
    let mut sim = TransactionsSim::new(1);
    sim.set("scenario", &ParamValue::Choice("lost-update".into()))
        .expect("scenario");
    for _ in 0..4 {
        sim.step(); // both read, T1 writes, T2 tries to write
    }
    assert!(matches!(
        sim.txns()[1].state,
        sysdesign::sim::transactions::TxnState::Waiting { row: "widget" }
    ));
    sim.step(); // T1 commits, releasing the lock
    sim.step(); // T2's write runs now
    assert_eq!(sim.view(1)["widget"], 9);
    assert_eq!(sim.summary().metrics["lock_waits"], 1.0);
}

/// `sysdesign sim transactions --json` for each scenario under repeatable read, compared with
/// tests/golden/sim/transactions-SCENARIO.json (UPDATE_GOLDEN=1 rewrites them).
#[test]
fn each_scenario_matches_its_golden_json_under_repeatable_read() {
    let mut failures = Vec::new();
    for scenario in sysdesign::sim::transactions::SCENARIOS {
        let summary = sysdesign::sim::run::run(
            "transactions",
            42,
            50,
            &[
                ("scenario".to_string(), scenario.name.to_string()),
                ("isolation".to_string(), "repeatable-read".to_string()),
            ],
        )
        .expect("runs");
        let actual = serde_json::to_string_pretty(&summary).expect("json") + "\n";
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!(
            "tests/golden/sim/transactions-{}.json",
            scenario.name
        ));
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(&path, &actual).expect("write golden");
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(expected) if expected == actual => {}
            Ok(_) => failures.push(format!("{} changed", path.display())),
            Err(e) => failures.push(format!("{}: {e}; run with UPDATE_GOLDEN=1", path.display())),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
