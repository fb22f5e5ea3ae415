//! Bad design files: every problem is reported at its line and column, with a suggestion
//! where one helps, and nothing panics.

use sysdesign::design::{self, Design};
use sysdesign::sim::design::{RunConfig, run};

fn errors(src: &str) -> Vec<String> {
    match design::parse("d.toml", src) {
        Ok(_) => panic!("expected errors"),
        Err(d) => d.iter().map(|d| d.to_string()).collect(),
    }
}

fn ok(src: &str) -> Design {
    design::parse("d.toml", src).unwrap_or_else(|d| panic!("{}", d[0].render()))
}

const HEAD: &str = "[workload]\nrps = 100\ntarget = \"api\"\n";

#[test]
fn unknown_kind_suggests_the_closest() {
    let e = errors(&format!(
        "{HEAD}\n[[component]]\nname = \"api\"\nkind = \"servce\"\n"
    ));
    assert_eq!(
        e,
        ["d.toml:7:8: error: unknown kind `servce`; did you mean `service`?"]
    );
}

#[test]
fn unknown_key_for_the_kind_suggests_the_closest() {
    let e = errors(&format!(
        "{HEAD}\n[[component]]\nname = \"api\"\nkind = \"service\"\nservice_ms = 5\ninstance = 3\n"
    ));
    assert_eq!(
        e,
        ["d.toml:9:1: error: unknown key `instance` in component `api`; did you mean `instances`?"]
    );
}

#[test]
fn calls_cycle_is_pointed_at() {
    let e = errors(&format!(
        "{HEAD}\n[[component]]\nname = \"api\"\nkind = \"service\"\nservice_ms = 5\ncalls = [\"b\"]\n\n\
         [[component]]\nname = \"b\"\nkind = \"service\"\nservice_ms = 5\ncalls = [\"api\"]\n"
    ));
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].starts_with("d.toml:15:10: error: `calls` makes a cycle (api → b → api)"),
        "{e:?}"
    );
}

#[test]
fn unreachable_component_is_reported_at_its_name() {
    let e = errors(&format!(
        "{HEAD}\n[[component]]\nname = \"api\"\nkind = \"service\"\nservice_ms = 5\n\n\
         [[component]]\nname = \"orphan\"\nkind = \"cache\"\ncapacity = 10\ncalls = [\"api\"]\n"
    ));
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].starts_with("d.toml:11:8: error: component `orphan` is unreachable"),
        "{e:?}"
    );
}

#[test]
fn values_out_of_range_say_the_range() {
    let e = errors(
        "[workload]\nrps = 100\ntarget = \"api\"\nread_ratio = 1.5\n\n\
         [[component]]\nname = \"api\"\nkind = \"service\"\nservice_ms = 5\ninstances = 0\n",
    );
    assert_eq!(
        e,
        [
            "d.toml:4:14: error: `read_ratio` is 1.5; it must be from 0 to 1 in [workload]",
            "d.toml:10:13: error: `instances` is 0; it must be from 1 to 1000",
        ]
    );
}

#[test]
fn integers_beyond_64_bits_are_out_of_range_not_of_the_wrong_type() {
    let e = errors(
        "[workload]\nrps = 99999999999999999999\ntarget = \"api\"\n\n\
         [[component]]\nname = \"api\"\nkind = \"service\"\nservice_ms = 5\n\
         instances = 18446744073709551616\n",
    );
    assert_eq!(
        e,
        [
            "d.toml:2:7: error: `rps` is 99999999999999999999; it must be from 0.001 to 10000000 in [workload]",
            "d.toml:9:13: error: `instances` is 18446744073709551616; it must be from 1 to 1000",
        ]
    );
}

#[test]
fn calls_and_target_name_real_components() {
    let e = errors(
        "[workload]\nrps = 100\ntarget = \"ap\"\n\n[[component]]\nname = \"api\"\nkind = \"service\"\nservice_ms = 5\ncalls = [\"dbb\"]\n\n[[component]]\nname = \"db\"\nkind = \"database\"\nread_ms = 1\nwrite_ms = 1\n",
    );
    assert!(
        e.iter()
            .any(|m| m.contains("`target` `ap` names no component; did you mean `api`?")),
        "{e:?}"
    );
    assert!(
        e.iter()
            .any(|m| m.contains("`calls` entry `dbb` names no component; did you mean `db`?")),
        "{e:?}"
    );
}

#[test]
fn kinds_have_their_call_shapes() {
    let e = errors(
        "[workload]\nrps = 100\ntarget = \"lb\"\n\n[[component]]\nname = \"lb\"\nkind = \"lb\"\ncalls = [\"db\"]\n\n\
         [[component]]\nname = \"db\"\nkind = \"database\"\nread_ms = 1\nwrite_ms = 1\n",
    );
    assert!(
        e[0].contains("an lb balances the instances of a service, and `db` is a database"),
        "{e:?}"
    );
}

#[test]
fn garbage_never_panics() {
    for src in [
        "",
        "[workload",
        "workload = 3",
        "[workload]\nrps = \"fast\"\ntarget = 1\n[[component]]\nkind = 4\n",
        "[[component]]\nname = \"a b\"\nkind = \"queue\"\n",
        "[workload]\nrps = 1\ntarget = \"x\"\n[[component]]\nname = \"x\"\nkind = \"lb\"\n",
    ] {
        assert!(design::parse("d.toml", src).is_err(), "{src}");
    }
}

#[test]
fn runs_are_deterministic_per_seed() {
    let d = ok(&format!(
        "{HEAD}\n[[component]]\nname = \"api\"\nkind = \"service\"\nconcurrency = 2\nservice_ms = 5\n"
    ));
    let cfg = |seed| RunConfig {
        seed,
        duration_s: 30.0,
    };
    assert_eq!(run(&d, cfg(1)), run(&d, cfg(1)));
    assert_ne!(run(&d, cfg(1)).metrics, run(&d, cfg(2)).metrics);
}

#[test]
fn a_zone_outage_without_a_zone_takes_the_busiest() {
    let d = ok(&format!(
        "{HEAD}\n[[component]]\nname = \"api\"\nkind = \"service\"\nservice_ms = 5\ninstances = 3\nzones = [\"x\", \"y\"]\n\n\
         [[failure]]\nkind = \"zone-outage\"\nat_s = 1\n"
    ));
    assert_eq!(d.zones, ["x", "y"]);
    assert_eq!(
        d.failures[0].kind,
        design::model::FailureKind::ZoneOutage { zone: 0 }
    );
}

#[test]
fn a_design_of_more_components_than_the_engine_numbers_is_refused_where_it_goes_over() {
    let mut src = String::from("[workload]\nrps = 10\ntarget = \"s0\"\n");
    for i in 0..1001 {
        src.push_str(&format!(
            "\n[[component]]\nname = \"s{i}\"\nkind = \"service\"\nservice_ms = 1\n"
        ));
        if i < 1000 {
            src.push_str(&format!("calls = [\"s{}\"]\n", i + 1));
        }
    }
    let e = errors(&src);
    let line = src.lines().count() - 3;
    assert_eq!(
        e,
        [format!(
            "d.toml:{line}:1: error: the design has 1001 components; a design has at most 1000 \
             (describe a tier of identical machines as one component with `instances`)"
        )]
    );
    // A thousand, in a chain, is fine.
    let fine = src.replace("calls = [\"s1000\"]\n", "");
    let fine = &fine[..fine.rfind("\n[[component]]").unwrap()];
    assert_eq!(ok(fine).components.len(), 1000);
}
