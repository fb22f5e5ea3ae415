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
    no_way_around(start, design)
}

/// The work must reach the challenge's components. Two ways a design could answer without
/// them: an `optional` call into one (a service that answers anyway when the call fails or
/// times out), and a queue on a workload with reads (a queue answers before the work is done,
/// which a write can take and a read cannot: it needs the data).
fn no_way_around(start: &Design, design: &Design) -> Result<(), String> {
    let optional_into = |d: &Design| -> Vec<String> {
        d.components
            .iter()
            .flat_map(|c| match &c.spec {
                Spec::Service(s) => s
                    .optional
                    .iter()
                    .map(|&j| d.components[c.calls[j]].name.clone())
                    .collect(),
                _ => Vec::new(),
            })
            .collect()
    };
    let allowed = optional_into(start);
    for c in &design.components {
        let Spec::Service(s) = &c.spec else { continue };
        for &j in &s.optional {
            let callee = c.calls[j];
            // The callee or anything behind it: a limiter or balancer in between changes nothing.
            let bypassed = reachable_from(design, callee).into_iter().find(|&i| {
                let name = &design.components[i].name;
                start.find(name).is_some() && !allowed.contains(name)
            });
            if let Some(given) = bypassed {
                let (callee, given) = (
                    &design.components[callee].name,
                    &design.components[given].name,
                );
                return Err(format!(
                    "`{}` calls `{callee}` as optional, so a request could succeed without the \
                     challenge's `{given}` doing its work; remove `{callee}` from `optional`",
                    c.name
                ));
            }
        }
    }
    let reads = start.workload.read_ratio;
    if reads > 0.0
        && let Some(q) = design
            .components
            .iter()
            .find(|c| matches!(c.spec, Spec::Queue(_)))
    {
        return Err(format!(
            "`{}` is a queue, and {}% of this challenge's requests are reads: a queue answers \
             at once and does the work later, so a read would get no data; queues carry writes",
            q.name,
            (reads * 1000.0).round() / 10.0
        ));
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

/// `from` and every component its calls lead to.
fn reachable_from(design: &Design, from: usize) -> Vec<usize> {
    let mut seen = vec![false; design.components.len()];
    let mut stack = vec![from];
    let mut out = Vec::new();
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        out.push(i);
        stack.extend(design.components[i].calls.iter().copied());
    }
    out
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
    fn an_optional_call_or_a_read_queue_around_the_given_components_is_refused() {
        let start = design(START);
        let front = START.replace("target = \"api\"", "target = \"front\"")
            + "\n[[component]]\nname = \"front\"\nkind = \"service\"\nservice_ms = 0.01\n\
               timeout_ms = 1\ncalls = [\"api\"]\noptional = [\"api\"]\n";
        let err = check(&start, &design(&front)).unwrap_err();
        assert!(err.contains("`front` calls `api` as optional"), "{err}");
        let queued = START.replace("target = \"api\"", "target = \"q\"")
            + "\n[[component]]\nname = \"q\"\nkind = \"queue\"\nconsumers = 4\ncalls = [\"api\"]\n";
        let err = check(&start, &design(&queued)).unwrap_err();
        assert!(
            err.contains("`q` is a queue, and 100% of this challenge's requests are reads"),
            "{err}"
        );
        // Writes may go through a queue.
        let writes = |t: &str| t.replace("rps = 100", "rps = 100\nread_ratio = 0.0");
        assert_eq!(
            check(&design(&writes(START)), &design(&writes(&queued))),
            Ok(())
        );
    }

    #[test]
    fn a_missing_or_retyped_component_is_refused() {
        let start = design(START);
        let renamed = START.replace("\"db\"", "\"fastdb\"");
        let err = check(&start, &design(&renamed)).unwrap_err();
        assert!(err.contains("`db` (database) is missing"), "{err}");
    }
}
