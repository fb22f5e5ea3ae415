//! Every shipped challenge is solvable and not already solved: its starting design fails and
//! its reference design passes on every hidden seed. (`sysdesign check` proves the same for
//! a course directory.) Grading must also reject near-miss designs: mutants of a reference.

use std::path::Path;

use sysdesign::design::challenge::{self, Challenge};
use sysdesign::design::model::Spec;

fn builtin() -> Vec<Challenge> {
    let (challenges, problems) = challenge::load(None);
    assert!(
        problems.is_empty(),
        "{}",
        problems
            .iter()
            .map(|p| p.render())
            .collect::<Vec<_>>()
            .join("\n")
    );
    challenges
}

#[test]
fn every_start_fails_and_every_reference_passes() {
    let challenges = builtin();
    assert!(challenges.len() >= 12, "{} challenges", challenges.len());
    for chapter in 1..=9 {
        assert!(
            challenges.iter().any(|c| c.chapter == chapter),
            "chapter {chapter} has no challenge"
        );
    }
    // One thread per challenge: they are independent.
    let problems: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = challenges
            .chunks(1)
            .map(|one| scope.spawn(move || challenge::prove(one)))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("grading panicked"))
            .collect()
    });
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn grading_rejects_a_reference_with_less_capacity() {
    let c = builtin()
        .into_iter()
        .find(|c| c.id == "size-a-tier")
        .unwrap();
    let mut mutant = c.reference.clone();
    let Spec::Service(s) = &mut mutant.components[1].spec else {
        panic!("search is a service")
    };
    s.instances -= 1;
    let g = c.grade(&mutant, |_, _| {}).unwrap();
    assert!(!g.passed);
    assert_eq!(g.bottleneck.unwrap().component, "search");
    assert!(
        g.hint
            .unwrap()
            .contains("`search` is the busiest component")
    );
    assert!(g.explanation.is_none(), "the explanation waits for a pass");
}

/// The reference of `ttl-for-staleness` with another TTL on its cache.
fn with_ttl(c: &Challenge, ttl_s: f64) -> sysdesign::design::Design {
    let mut d = c.reference.clone();
    let i = d
        .find("price-cache")
        .expect("the reference has a price-cache");
    let Spec::Cache(s) = &mut d.components[i].spec else {
        panic!("price-cache is a cache")
    };
    s.ttl_s = Some(ttl_s);
    d
}

fn failed_checks(g: &challenge::Grade) -> Vec<&'static str> {
    let mut names: Vec<&str> = g
        .seeds
        .iter()
        .flat_map(|s| s.checks.iter().filter(|k| !k.passed).map(|k| k.name))
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

#[test]
fn grading_rejects_a_ttl_too_long_for_the_staleness_bound() {
    let c = builtin()
        .into_iter()
        .find(|c| c.id == "ttl-for-staleness")
        .unwrap();
    // A minute: the database is happy, but prices go up to a minute out of date.
    let g = c.grade(&with_ttl(&c, 60.0), |_, _| {}).unwrap();
    assert!(!g.passed);
    assert_eq!(failed_checks(&g), ["max staleness"], "{:?}", g.seeds);
    assert!(g.hint.unwrap().contains("shorten the TTL"));
}

#[test]
fn grading_rejects_a_ttl_too_short_for_the_database() {
    let c = builtin()
        .into_iter()
        .find(|c| c.id == "ttl-for-staleness")
        .unwrap();
    // Three seconds: fresh prices, but refetches swamp the 30 q/s database.
    let g = c.grade(&with_ttl(&c, 3.0), |_, _| {}).unwrap();
    assert!(!g.passed);
    let failed = failed_checks(&g);
    assert!(!failed.contains(&"max staleness"), "{failed:?}");
    assert!(
        failed.contains(&"error rate") && failed.contains(&"p99 latency"),
        "{failed:?}"
    );
    assert_eq!(g.bottleneck.unwrap().component, "catalog-db");
}

#[test]
fn writers_that_bypass_caches_cannot_be_invalidated_by_the_design() {
    let c = builtin()
        .into_iter()
        .find(|c| c.id == "ttl-for-staleness")
        .unwrap();
    assert!(c.writes_bypass_caches);
    // Switching the cache to cache-aside would invalidate on every write and serve no stale
    // price at any TTL; the challenge runs it with `write = "none"` all the same.
    let mut cheat = with_ttl(&c, 60.0);
    let i = cheat.find("price-cache").unwrap();
    let Spec::Cache(s) = &mut cheat.components[i].spec else {
        panic!("price-cache is a cache")
    };
    s.write = sysdesign::design::model::WritePolicy::CacheAside;
    let ungraded = sysdesign::sim::design::run(
        &cheat,
        sysdesign::sim::design::RunConfig {
            seed: 1,
            duration_s: 60.0,
        },
    );
    assert_eq!(
        ungraded.metrics.max_staleness_ms, 0.0,
        "cache-aside alone serves nothing stale"
    );
    let g = c.grade(&cheat, |_, _| {}).unwrap();
    assert_eq!(failed_checks(&g), ["max staleness"]);
}

#[test]
fn the_challenge_owns_the_workload() {
    let c = builtin()
        .into_iter()
        .find(|c| c.id == "size-a-tier")
        .unwrap();
    // Asking for a tenth of the traffic does not make the starting design pass.
    let mut cheat = c.start.clone();
    cheat.workload.rps /= 10.0;
    cheat.failures.clear();
    assert!(!c.grade(&cheat, |_, _| {}).unwrap().passed);
    let mut progress = Vec::new();
    c.grade(&c.reference, |done, of| progress.push((done, of)))
        .unwrap();
    assert_eq!(progress.last(), Some(&(5, 5)));
}

#[test]
fn a_broken_challenge_folder_is_reported_with_locations() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("challenges/too-few-seeds");
    std::fs::create_dir_all(&folder).unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("challenges/size-a-tier");
    for f in ["start.toml", "reference.toml"] {
        std::fs::copy(src.join(f), folder.join(f)).unwrap();
    }
    std::fs::write(
        folder.join("challenge.toml"),
        "id = \"other\"\nchapter = 1\ntitle = \"t\"\nstory = \"s\"\nexplanation = \"e\"\nseeds = [1, 2, 2, 18446744073709551616]\n\n[requirements]\np99_ms = 10\n\n[[failure]]\nkind = \"kill-instance\"\ncomponent = \"nope\"\nat_s = 1\n",
    )
    .unwrap();
    let (challenges, problems) = challenge::load(Some(dir.path()));
    assert!(challenges.is_empty());
    let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    let path = "challenges/too-few-seeds/challenge.toml";
    assert!(
        text.contains(&format!(
            "{path}:1:6: error: the id `other` must match the folder name `too-few-seeds`"
        )),
        "{text:?}"
    );
    assert!(
        text.contains(&format!("{path}:6:16: error: seed 2 is listed twice")),
        "{text:?}"
    );
    assert!(
        text.contains(&format!(
            "{path}:6:19: error: 18446744073709551616 in `seeds` is out of range; it must be from -9223372036854775808 to 9223372036854775807"
        )),
        "{text:?}"
    );
    assert!(
        !text.iter().any(|t| t.contains("must be integers")),
        "said once, as out of range: {text:?}"
    );
    assert!(
        text.iter().any(|t| t.starts_with(&format!(
            "{path}:6:9: error: a challenge needs at least 5 hidden seeds"
        ))),
        "{text:?}"
    );
}

/// The reference of `c` with every given component's node made faster in one way: each such
/// change alone must be refused, naming what was changed, so no challenge is passed by
/// claiming quicker machines than the story gives.
#[test]
fn grading_refuses_a_design_with_faster_nodes_than_the_story_gives() {
    let mut refused = 0;
    for c in builtin() {
        for given in &c.start.components {
            let Some(index) = c.reference.find(&given.name) else {
                panic!("{}: the reference dropped `{}`", c.id, given.name)
            };
            let mut cheats: Vec<(&str, sysdesign::design::Design)> = Vec::new();
            let mut cheat = |key: &'static str, edit: &dyn Fn(&mut Spec)| {
                let mut d = c.reference.clone();
                edit(&mut d.components[index].spec);
                cheats.push((key, d));
            };
            match &given.spec {
                Spec::Service(_) => {
                    cheat("service_ms", &|s| {
                        if let Spec::Service(s) = s {
                            s.service_ms /= 4.0
                        }
                    });
                    cheat("concurrency", &|s| {
                        if let Spec::Service(s) = s {
                            s.concurrency *= 4
                        }
                    });
                }
                Spec::Database(_) => {
                    cheat("read_ms", &|s| {
                        if let Spec::Database(d) = s {
                            d.read_ms /= 4.0
                        }
                    });
                    cheat("write_ms", &|s| {
                        if let Spec::Database(d) = s {
                            d.write_ms /= 4.0
                        }
                    });
                    cheat("concurrency", &|s| {
                        if let Spec::Database(d) = s {
                            d.concurrency *= 4
                        }
                    });
                    cheat("replica_lag_ms", &|s| {
                        if let Spec::Database(d) = s {
                            d.replica_lag_ms = d.replica_lag_ms / 4.0 + 0.5
                        }
                    });
                }
                Spec::Cache(_) | Spec::Cdn(_) => cheat("hit_ms", &|s| {
                    if let Spec::Cache(c) | Spec::Cdn(c) = s {
                        c.hit_ms = c.hit_ms / 4.0 + 0.01
                    }
                }),
                _ => {}
            }
            for (key, design) in cheats {
                let refused_with = c.grade(&design, |_, _| {}).err().unwrap_or_else(|| {
                    panic!("{}: a faster `{}`.{key} was graded", c.id, given.name)
                });
                assert!(
                    refused_with.contains(&format!("`{}`'s `{key}`", given.name)),
                    "{}: {refused_with}",
                    c.id
                );
                refused += 1;
            }
        }
    }
    assert!(refused >= 40, "only {refused} changes tried");
}

/// The reference of `c` with `front` put before its entry point: the workload now arrives at
/// `front`, which calls the old target.
fn with_front(c: &Challenge, front: &str) -> sysdesign::design::Design {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("challenges")
        .join(&c.id)
        .join("reference.toml");
    let text = std::fs::read_to_string(path).unwrap();
    let target = &c.reference.components[c.reference.workload.target].name;
    let text = text.replacen(&format!("target = \"{target}\""), "target = \"front\"", 1)
        + &format!("\n[[component]]\nname = \"front\"\n{front}\ncalls = [\"{target}\"]\n");
    sysdesign::design::parse("front.toml", &text).unwrap_or_else(|d| panic!("{}: {d:?}", c.id))
}

/// Ways around the work, each tried on every challenge: a service that answers anyway when
/// the real path fails (an optional call with a 1 ms timeout), a queue that answers reads
/// before any work is done, and a cache where the story says nothing can be cached.
#[test]
fn grading_refuses_a_design_that_answers_without_doing_the_work() {
    for c in builtin() {
        let target = c.reference.components[c.reference.workload.target]
            .name
            .clone();
        let optional = with_front(
            &c,
            &format!(
                "kind = \"service\"\nservice_ms = 0.01\nconcurrency = 1000\ntimeout_ms = 1\noptional = [\"{target}\"]"
            ),
        );
        let err = c.grade(&optional, |_, _| {}).err();
        assert!(
            err.as_deref().is_some_and(|e| e.contains("as optional")),
            "{}: {err:?}",
            c.id
        );
        let queue = with_front(&c, "kind = \"queue\"\nconsumers = 1000\nlimit = 1000000");
        let graded = c.grade(&queue, |_, _| {});
        if c.start.workload.read_ratio > 0.0 {
            assert!(
                graded.as_ref().is_err_and(|e| e.contains("is a queue")),
                "{}: {:?}",
                c.id,
                graded.map(|g| g.passed)
            );
        } else {
            assert!(graded.is_ok_and(|g| !g.passed), "{}", c.id);
        }
        if c.uncacheable.is_some() {
            let cache = with_front(&c, "kind = \"cache\"\ncapacity = 1000000");
            let err = c.grade(&cache, |_, _| {}).err();
            assert!(
                err.as_deref()
                    .is_some_and(|e| e.contains("nothing here can be cached")),
                "{}: {err:?}",
                c.id
            );
        }
    }
}

#[test]
fn a_queue_whose_consumers_fall_behind_fails_on_the_work_left_at_the_end() {
    let c = builtin()
        .into_iter()
        .find(|c| c.id == "absorb-a-burst")
        .unwrap();
    let mut d = c.reference.clone();
    for comp in &mut d.components {
        if let Spec::Queue(q) = &mut comp.spec {
            q.consumers = 1;
        }
    }
    let g = c.grade(&d, |_, _| {}).unwrap();
    assert_eq!(failed_checks(&g), ["queued at end"], "{:?}", g.seeds);
    assert!(!g.passed);
}
