//! The facts of a challenge's story that a design may not change.
//!
//! A challenge states how fast its machines are: "each request keeps one of an instance's two
//! threads busy for 20 ms", "a database that answers 30 queries a second". Those numbers live
//! in the starting design's components, and without this check a student could pass by
//! writing `service_ms = 5`. What a design chooses is how many instances, replicas, shards
//! and consumers, what sits in front (caches, queues, limiters) and how calls behave
//! (timeouts, retries, breakers); what one node can do is given.

use super::model::{Component, Design, ServiceTime, Spec};

/// Checks `design` against the challenge's starting design `start`: every component of the
/// start is still there, of the same kind, with the same per-node performance. The message
/// names the first difference and what to write instead.
pub fn check(start: &Design, design: &Design) -> Result<(), String> {
    for given in &start.components {
        let Some(index) = design.find(&given.name) else {
            return Err(format!(
                "the challenge's `{}` ({}) is missing: keep it in the design; you choose what \
                 goes around it and how many of it run, not whether it exists",
                given.name,
                given.kind().name()
            ));
        };
        let theirs = &design.components[index];
        if theirs.kind() != given.kind() {
            return Err(format!(
                "`{}` is a {} in the challenge; keep it a {}",
                given.name,
                given.kind().name(),
                given.kind().name()
            ));
        }
        if let Some((key, want, got)) = changed_fact(given, theirs) {
            return Err(format!(
                "`{}`'s `{key}` is {want} in the challenge, not {got}: how fast one node works \
                 is a fact of the story; change how many run, or what is in front of them",
                given.name
            ));
        }
    }
    Ok(())
}

/// The first per-node performance parameter that differs: (key, the challenge's, the design's).
fn changed_fact(given: &Component, theirs: &Component) -> Option<(&'static str, String, String)> {
    let facts: Vec<(&'static str, String, String)> = match (&given.spec, &theirs.spec) {
        (Spec::Service(a), Spec::Service(b)) => vec![
            (
                "concurrency",
                a.concurrency.to_string(),
                b.concurrency.to_string(),
            ),
            (
                "service_ms",
                a.service_ms.to_string(),
                b.service_ms.to_string(),
            ),
            ("service_time", shape(a.service_time), shape(b.service_time)),
            ("fanout", a.fanout.to_string(), b.fanout.to_string()),
        ],
        (Spec::Database(a), Spec::Database(b)) => vec![
            (
                "concurrency",
                a.concurrency.to_string(),
                b.concurrency.to_string(),
            ),
            ("read_ms", a.read_ms.to_string(), b.read_ms.to_string()),
            ("write_ms", a.write_ms.to_string(), b.write_ms.to_string()),
            ("service_time", shape(a.service_time), shape(b.service_time)),
            // How far a replica trails is the network's and the disks', not a setting; how
            // soon a replica is promoted (`failover_s`) is configured, so it is the design's.
            (
                "replica_lag_ms",
                a.replica_lag_ms.to_string(),
                b.replica_lag_ms.to_string(),
            ),
        ],
        (Spec::Cache(a), Spec::Cache(b)) | (Spec::Cdn(a), Spec::Cdn(b)) => {
            vec![("hit_ms", a.hit_ms.to_string(), b.hit_ms.to_string())]
        }
        _ => Vec::new(),
    };
    facts.into_iter().find(|(_, want, got)| want != got)
}

fn shape(t: ServiceTime) -> String {
    match t {
        ServiceTime::Exponential => "\"exponential\"".into(),
        ServiceTime::Constant => "\"constant\"".into(),
        ServiceTime::Lognormal { sigma } => format!("\"lognormal\" (sigma {sigma})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn design(text: &str) -> Design {
        crate::design::parse("test.toml", text).expect("a valid design")
    }

    const START: &str = r#"
[workload]
rps = 100
target = "api"

[[component]]
name = "api"
kind = "service"
instances = 2
concurrency = 2
service_ms = 20
calls = ["db"]

[[component]]
name = "db"
kind = "database"
concurrency = 3
read_ms = 100
write_ms = 100
"#;

    #[test]
    fn choosing_counts_and_adding_components_is_allowed() {
        let start = design(START);
        let more = START
            .replace("instances = 2", "instances = 9")
            .replace("calls = [\"db\"]", "calls = [\"cache\"]")
            + "replicas = 2\n\n[[component]]\nname = \"cache\"\nkind = \"cache\"\ncapacity = 500\ncalls = [\"db\"]\n";
        assert_eq!(check(&start, &design(&more)), Ok(()));
    }

    #[test]
    fn a_faster_node_is_refused_naming_the_key() {
        let start = design(START);
        for (from, to, key) in [
            (
                "service_ms = 20",
                "service_ms = 5",
                "`api`'s `service_ms` is 20",
            ),
            (
                "concurrency = 2",
                "concurrency = 8",
                "`api`'s `concurrency` is 2",
            ),
            ("read_ms = 100", "read_ms = 1", "`db`'s `read_ms` is 100"),
            (
                "concurrency = 3",
                "concurrency = 30",
                "`db`'s `concurrency` is 3",
            ),
        ] {
            let err = check(&start, &design(&START.replace(from, to))).unwrap_err();
            assert!(err.contains(key), "{from} → {to}: {err}");
        }
    }

    #[test]
    fn a_missing_or_retyped_component_is_refused() {
        let start = design(START);
        let renamed = START.replace("\"db\"", "\"fastdb\"");
        let err = check(&start, &design(&renamed)).unwrap_err();
        assert!(err.contains("`db` (database) is missing"), "{err}");
    }
}
