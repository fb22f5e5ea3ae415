//! The contract every registered simulation kind keeps with the TUI and the CLI: its
//! defaults are the ones it advertises, its action keys do not collide with the app's, and
//! it rejects what it does not know.

use sysdesign::sim::{ParamError, ParamValue, kinds};

/// Keys the app itself uses around a visualization (movement, playback, help, quit).
const APP_KEYS: &[char] = &[
    'j', 'k', 'g', 'G', 'h', 'l', 'n', 'p', 't', 'e', 'q', 'r', ' ', '.', '+', '-', '?', '\t',
];

#[test]
fn settings_start_at_the_advertised_defaults_in_spec_order() {
    for kind in kinds() {
        let sim = (kind.build)(1);
        let settings = sim.settings();
        let keys: Vec<&str> = settings.iter().map(|(k, _)| *k).collect();
        let spec_keys: Vec<&str> = kind.params.iter().map(|p| p.key).collect();
        assert_eq!(keys, spec_keys, "{}", kind.name);
        for ((key, value), spec) in settings.iter().zip(kind.params) {
            assert_eq!(value, &spec.default_value(), "{} {key}", kind.name);
        }
    }
}

#[test]
fn every_default_can_be_set_back() {
    for kind in kinds() {
        let mut sim = (kind.build)(1);
        for spec in kind.params {
            sim.set(spec.key, &spec.default_value())
                .unwrap_or_else(|e| panic!("{} {}: {e}", kind.name, spec.key));
        }
        assert_eq!(sim.kind(), kind.name);
    }
}

#[test]
fn unknown_keys_name_the_valid_ones() {
    for kind in kinds() {
        let mut sim = (kind.build)(1);
        match sim.set("no_such_key", &ParamValue::Int(1)) {
            Err(ParamError::UnknownKey { valid, .. }) => {
                let spec_keys: Vec<&str> = kind.params.iter().map(|p| p.key).collect();
                assert_eq!(valid, spec_keys, "{}", kind.name);
            }
            other => panic!("{}: {other:?}", kind.name),
        }
    }
}

#[test]
fn action_keys_are_unique_and_leave_the_apps_keys_alone() {
    for kind in kinds() {
        let sim = (kind.build)(1);
        let actions = sim.actions();
        let mut keys: Vec<char> = actions.iter().map(|a| a.key).collect();
        for key in &keys {
            assert!(
                !APP_KEYS.contains(key),
                "{} uses the app's key {key:?}",
                kind.name
            );
        }
        for action in actions {
            assert!(!action.label.is_empty(), "{} {:?}", kind.name, action.key);
        }
        let n = keys.len();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), n, "{} repeats a key", kind.name);
    }
}

#[test]
fn every_action_applies_and_other_keys_are_refused() {
    for kind in kinds() {
        let mut sim = (kind.build)(3);
        for _ in 0..5 {
            sim.step();
        }
        for action in sim.actions() {
            assert!(sim.act(action.key), "{} {:?}", kind.name, action.key);
            sim.step();
        }
        assert!(!sim.act('Q'), "{}", kind.name);
        let summary = sim.summary();
        assert_eq!(summary.kind, kind.name);
        assert_eq!(summary.ticks, sim.now());
    }
}
