//! The seven chapter simulations (cap, message-queue, rate-limiter, circuit-breaker,
//! consistent-hash, replication, rolling-deploy) keep the registry's contract: parameters
//! round-trip, bad input is refused without a panic, action keys stay clear of the app's
//! keys, summaries serialize, logs stay capped, and a seed replays byte for byte.

use proptest::prelude::*;
use sysdesign::sim::{ParamError, ParamKind, ParamValue, find};

const KINDS: [&str; 7] = [
    "cap",
    "message-queue",
    "rate-limiter",
    "circuit-breaker",
    "consistent-hash",
    "replication",
    "rolling-deploy",
];

/// Keys the TUI keeps for itself (navigation, play/pause, step, speed, reset, help, quit).
const APP_KEYS: &[char] = &[
    'j', 'k', 'g', 'G', 'h', 'l', 'n', 'p', 't', 'e', 'q', 'r', ' ', '.', '+', '-', '?', '\t',
];

#[test]
fn settings_list_every_parameter_in_spec_order_at_its_default() {
    for kind in KINDS {
        let spec = find(kind).expect("registered");
        let sim = (spec.build)(1);
        assert_eq!(sim.kind(), kind);
        let settings = sim.settings();
        let keys: Vec<&str> = settings.iter().map(|(k, _)| *k).collect();
        let spec_keys: Vec<&str> = spec.params.iter().map(|p| p.key).collect();
        assert_eq!(keys, spec_keys, "{kind}");
        for (param, (_, value)) in spec.params.iter().zip(&settings) {
            assert_eq!(&param.default_value(), value, "{kind}.{}", param.key);
        }
    }
}

#[test]
fn every_parameter_accepts_its_bounds_and_refuses_beyond_them() {
    for kind in KINDS {
        let spec = find(kind).expect("registered");
        for param in spec.params {
            let mut sim = (spec.build)(1);
            let (good, bad): (Vec<ParamValue>, Vec<ParamValue>) = match param.kind {
                ParamKind::Int { min, max } => (
                    vec![ParamValue::Int(min), ParamValue::Int(max)],
                    vec![
                        ParamValue::Int(max.saturating_add(1)),
                        ParamValue::Int(min - 1),
                    ],
                ),
                ParamKind::Float { min, max } => (
                    vec![ParamValue::Float(min), ParamValue::Float(max)],
                    vec![ParamValue::Float(f64::NAN), ParamValue::Float(max + 1.0)],
                ),
                ParamKind::Bool => (
                    vec![ParamValue::Bool(true), ParamValue::Bool(false)],
                    vec![ParamValue::Int(1)],
                ),
                ParamKind::Choice(options) => (
                    options
                        .iter()
                        .map(|o| ParamValue::Choice(o.to_string()))
                        .collect(),
                    vec![ParamValue::Choice("nonsense".into())],
                ),
            };
            for value in good {
                // A combination an engine forbids (both rollout bounds at 0) is refused as
                // such; anything else in range must be taken and reported back.
                match sim.set(param.key, &value) {
                    Ok(()) => {
                        let now = sim.settings();
                        let (_, got) = now.iter().find(|(k, _)| *k == param.key).unwrap();
                        assert_eq!(got.to_string(), value.to_string(), "{kind}.{}", param.key);
                    }
                    Err(ParamError::Rejected(_)) => {}
                    Err(e) => panic!("{kind}.{} refused {value}: {e}", param.key),
                }
                sim.step();
            }
            for value in bad {
                assert!(
                    sim.set(param.key, &value).is_err(),
                    "{kind}.{} took {value}",
                    param.key
                );
            }
        }
        let mut sim = (spec.build)(1);
        assert!(matches!(
            sim.set("no_such_key", &ParamValue::Int(1)),
            Err(ParamError::UnknownKey { .. })
        ));
    }
}

#[test]
fn actions_avoid_the_app_keys_and_unknown_keys_are_refused() {
    for kind in KINDS {
        let mut sim = (find(kind).expect("registered").build)(1);
        let actions = sim.actions();
        assert!(!actions.is_empty(), "{kind} offers faults or toggles");
        for action in actions {
            assert!(
                !APP_KEYS.contains(&action.key),
                "{kind} uses the app's key {:?}",
                action.key
            );
            assert!(!action.label.is_empty());
        }
        let mut keys: Vec<char> = actions.iter().map(|a| a.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), actions.len(), "{kind} repeats a key");
        for &key in APP_KEYS {
            assert!(!sim.act(key), "{kind} took {key:?}");
        }
    }
}

#[test]
fn a_long_run_keeps_the_log_capped_and_counters_complete() {
    for kind in KINDS {
        let mut sim = (find(kind).expect("registered").build)(3);
        let keys: Vec<char> = sim.actions().iter().map(|a| a.key).collect();
        for tick in 0..5_000u64 {
            if tick % 7 == 0 {
                sim.act(keys[(tick / 7) as usize % keys.len()]);
            }
            sim.step();
        }
        let summary = sim.summary();
        assert_eq!(summary.ticks, 5_000);
        assert!(
            summary.log.len() <= 200,
            "{kind} kept {} entries",
            summary.log.len()
        );
        assert!(summary.log.windows(2).all(|w| w[0].tick <= w[1].tick));
        assert!(!summary.entities.is_empty(), "{kind} names its entities");
        assert!(summary.metrics.values().all(|v| v.is_finite()), "{kind}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn a_seed_and_the_same_inputs_replay_byte_for_byte(
        kind in prop::sample::select(KINDS.to_vec()),
        seed: u64,
        actions in prop::collection::vec((0u64..200, any::<prop::sample::Index>()), 0..10),
    ) {
        let run = || {
            let mut sim = (find(kind).expect("registered").build)(seed);
            let keys: Vec<char> = sim.actions().iter().map(|a| a.key).collect();
            for t in 0..200 {
                for (at, index) in &actions {
                    if *at == t {
                        sim.act(keys[index.index(keys.len())]);
                    }
                }
                sim.step();
            }
            serde_json::to_string(&sim.summary()).expect("summary serializes")
        };
        let first = run();
        prop_assert_eq!(&first, &run());
        prop_assert!(!first.contains("null"), "a metric is not a number: {}", first);
    }
}
