//! A design file: TOML in, a validated [`Design`] (or every problem, with line and column) out.

use std::collections::HashMap;
use std::ops::Range;

use toml::de::{DeTable, DeValue};

use super::model::*;
use crate::course::Diagnostic;
use crate::course::diagnostic::did_you_mean;
use crate::course::schema::{Fields, FileCtx};
use crate::sim::balancers::STRATEGIES;

const TOP_KEYS: &[&str] = &["workload", "component", "failure"];
const WORKLOAD_KEYS: &[&str] = &[
    "rps",
    "target",
    "arrivals",
    "read_ratio",
    "keys",
    "zipf_s",
    "clients",
    "abuser_rps",
    "timeout_ms",
    "surge",
];
const SURGE_KEYS: &[&str] = &["at_s", "duration_s", "factor"];
const COMMON_KEYS: &[&str] = &["name", "kind", "calls", "zones"];
const SERVICE_KEYS: &[&str] = &[
    "instances",
    "concurrency",
    "service_ms",
    "service_time",
    "sigma",
    "queue_limit",
    "timeout_ms",
    "retries",
    "backoff_ms",
    "breaker",
    "fanout",
    "optional",
];
const CACHE_KEYS: &[&str] = &["capacity", "policy", "ttl_s", "write", "hit_ms"];
const LB_KEYS: &[&str] = &["strategy", "health_check_s", "retries"];
const DATABASE_KEYS: &[&str] = &[
    "shards",
    "sharding",
    "replicas",
    "replication",
    "replica_lag_ms",
    "concurrency",
    "read_ms",
    "write_ms",
    "service_time",
    "sigma",
    "queue_limit",
    "failover_s",
];
const QUEUE_KEYS: &[&str] = &["consumers", "limit", "retries"];
const LIMITER_KEYS: &[&str] = &["rate_rps", "burst", "per_client"];
const BREAKER_KEYS: &[&str] = &["failures", "open_s"];
const FAILURE_KEYS: &[&str] = &[
    "kind",
    "at_s",
    "duration_s",
    "component",
    "instance",
    "shard",
    "zone",
    "factor",
];

/// The largest key space: the engine keeps per-key tables.
pub const MAX_KEYS: i64 = 1_000_000;
const MAX_INSTANCES: i64 = 1_000;
/// Components in one design.
pub const MAX_COMPONENTS: usize = 1_000;

/// A failure as written, before its names are resolved against a design. Challenges keep
/// their schedule in this form and resolve it against each student's design.
#[derive(Debug, Clone, PartialEq)]
pub struct FailureSpec {
    pub kind: String,
    pub at_s: f64,
    pub duration_s: Option<f64>,
    pub component: Option<String>,
    /// For `kill-instance` (default 0) and `slow` (default: every instance).
    pub instance: Option<u32>,
    pub shard: u32,
    /// `None`: the zone holding the most instances.
    pub zone: Option<String>,
    pub factor: f64,
}

/// A design file's bytes as text; `path` is how the author knows the file. The CLI and the
/// design screen both read files through this, so they say the same thing about one that is
/// not text.
pub fn decode(path: &str, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|e| {
        Diagnostic::whole_file(
            path,
            format!(
                "file is not UTF-8 text (invalid byte at offset {}); save it as UTF-8",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

/// Parse and validate a design file. `path` is how the author knows the file.
pub fn parse(path: &str, source: &str) -> Result<Design, Vec<Diagnostic>> {
    if source.trim().is_empty() {
        return Err(vec![Diagnostic::whole_file(
            path,
            "file is empty; a design needs a [workload] and at least one [[component]]".into(),
        )]);
    }
    let (doc, errors) = DeTable::parse_recoverable(source);
    if !errors.is_empty() {
        return Err(errors
            .iter()
            .map(|e| {
                let span = e.span().unwrap_or(0..0);
                Diagnostic::at(
                    path,
                    &crate::course::SourceMap::new(source),
                    span,
                    format!("invalid TOML: {}", e.message().trim()),
                )
            })
            .collect());
    }
    let mut ctx = FileCtx::new(path, source);
    let top = Fields::new(doc.get_ref(), 0..0, "the design");
    let design = design(&mut ctx, &top);
    match design {
        Some(d) if ctx.diagnostics.is_empty() => Ok(d),
        _ => {
            let mut diags = ctx.diagnostics;
            diags.sort_by_key(|d| (d.line, d.col));
            if diags.is_empty() {
                diags.push(Diagnostic::whole_file(
                    path,
                    "the design could not be read".into(),
                ));
            }
            Err(diags)
        }
    }
}

/// Read a number with a default, and report it when it falls outside `lo..=hi`.
fn number(ctx: &mut FileCtx, f: &Fields, key: &str, default: Option<f64>, lo: f64, hi: f64) -> f64 {
    let Some(v) = f.number(ctx, key, default.is_none()) else {
        return default.unwrap_or(lo);
    };
    let x = *v.get_ref();
    if x < lo || x > hi {
        // As written: an integer too large for 64 bits is read as the nearest float, which
        // is not the number the author typed.
        let written = ctx.source.get(v.span()).unwrap_or_default().trim();
        ctx.error(
            v.span(),
            format!(
                "`{key}` is {written}; it must be from {} to {} in {}",
                trim(lo),
                trim(hi),
                f.what
            ),
        );
    }
    x
}

fn trim(x: f64) -> String {
    if x == x.trunc() && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

fn integer(
    ctx: &mut FileCtx,
    f: &Fields,
    key: &str,
    default: Option<i64>,
    lo: i64,
    hi: i64,
) -> u32 {
    match f.integer(ctx, key, default.is_none(), lo..=hi) {
        Some(v) => *v.get_ref() as u32,
        None => default.unwrap_or(lo) as u32,
    }
}

fn boolean(ctx: &mut FileCtx, f: &Fields, key: &str, default: bool) -> bool {
    match f.get(key) {
        None => default,
        Some(v) => match v.get_ref() {
            DeValue::Boolean(b) => *b,
            other => {
                ctx.error(
                    v.span(),
                    format!("`{key}` must be true or false, not {}", other.type_str()),
                );
                default
            }
        },
    }
}

/// A string that must be one of `allowed`, with a suggestion when it is close to one.
fn choice<'a>(
    ctx: &mut FileCtx,
    f: &Fields,
    key: &str,
    default: Option<&'a str>,
    allowed: &[&'a str],
) -> Option<&'a str> {
    let Some(v) = f.string(ctx, key, default.is_none()) else {
        return default;
    };
    match allowed.iter().find(|a| **a == v.get_ref().as_str()) {
        Some(a) => Some(a),
        None => {
            let hint = match did_you_mean(v.get_ref(), allowed.iter().copied()) {
                Some(c) => format!("; did you mean `{c}`?"),
                None => format!("; expected one of: {}", allowed.join(", ")),
            };
            ctx.error(
                v.span(),
                format!("`{key}` cannot be `{}`{hint}", v.get_ref()),
            );
            None
        }
    }
}

fn design(ctx: &mut FileCtx, top: &Fields) -> Option<Design> {
    top.deny_unknown(ctx, TOP_KEYS);
    let Some((wtable, wspan)) = top.table(ctx, "workload") else {
        if top.get("workload").is_none() {
            ctx.error(
                0..0,
                "the design has no [workload]; add one with `rps` and `target`",
            );
        }
        return None;
    };
    let tables = top.tables(ctx, "component");
    if tables.is_empty() {
        ctx.error(
            0..0,
            "the design has no components; add at least one [[component]] with `name` and `kind`",
        );
        return None;
    }
    if tables.len() > MAX_COMPONENTS {
        // The engine numbers components in 16 bits, and checks walk call chains recursively.
        let (_, span) = &tables[MAX_COMPONENTS];
        ctx.error(
            span.clone(),
            format!(
                "the design has {} components; a design has at most {MAX_COMPONENTS} \
                 (describe a tier of identical machines as one component with `instances`)",
                tables.len()
            ),
        );
        return None;
    }
    // Names first, so that `calls` and `target` can point at components further down.
    let mut names: HashMap<String, (usize, Range<usize>)> = HashMap::new();
    let mut ordered = Vec::new();
    for (n, (table, span)) in tables.iter().enumerate() {
        let f = Fields::new(table, span.clone(), format!("[[component]] #{}", n + 1));
        let name = f.string(ctx, "name", true);
        if let Some(name) = &name {
            let text = name.get_ref().clone();
            if !text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                ctx.error(
                    name.span(),
                    format!("component name `{text}` may use only letters, digits, `-` and `_`"),
                );
            }
            if let Some((_, first)) = names.get(&text) {
                let line = ctx.source[..first.start].matches('\n').count() + 1;
                ctx.error(
                    name.span(),
                    format!("duplicate component name `{text}` (first used on line {line})"),
                );
            } else {
                names.insert(text.clone(), (n, name.span()));
            }
            ordered.push(text);
        } else {
            ordered.push(String::new());
        }
    }
    let known: Vec<&str> = ordered
        .iter()
        .map(String::as_str)
        .filter(|s| !s.is_empty())
        .collect();
    let resolve =
        |ctx: &mut FileCtx, name: &str, span: Range<usize>, what: &str| match names.get(name) {
            Some((i, _)) => Some(*i),
            None => {
                let hint = match did_you_mean(name, known.iter().copied()) {
                    Some(c) => format!("; did you mean `{c}`?"),
                    None => format!("; components: {}", known.join(", ")),
                };
                ctx.error(span, format!("{what} `{name}` names no component{hint}"));
                None
            }
        };

    let wf = Fields::new(wtable, wspan, "[workload]");
    wf.deny_unknown(ctx, WORKLOAD_KEYS);
    let rps = number(ctx, &wf, "rps", None, 0.001, 10_000_000.0);
    let target = wf
        .string(ctx, "target", true)
        .and_then(|t| resolve(ctx, t.get_ref(), t.span(), "`target`"));
    let arrivals = match choice(
        ctx,
        &wf,
        "arrivals",
        Some("poisson"),
        &["poisson", "uniform"],
    ) {
        Some("uniform") => Arrivals::Uniform,
        _ => Arrivals::Poisson,
    };
    let read_ratio = number(ctx, &wf, "read_ratio", Some(1.0), 0.0, 1.0);
    let keys = integer(ctx, &wf, "keys", Some(1000), 1, MAX_KEYS);
    let zipf_s = number(ctx, &wf, "zipf_s", Some(0.0), 0.0, 5.0);
    let clients = integer(ctx, &wf, "clients", Some(1000), 1, 1_000_000);
    let abuser_rps = number(ctx, &wf, "abuser_rps", Some(0.0), 0.0, 10_000_000.0);
    let timeout_ms = number(ctx, &wf, "timeout_ms", Some(10_000.0), 1.0, 3_600_000.0);
    let mut surges = Vec::new();
    for (t, span) in wf.tables(ctx, "surge") {
        let sf = Fields::new(t, span, "[[workload.surge]]");
        sf.deny_unknown(ctx, SURGE_KEYS);
        surges.push(Surge {
            at_s: number(ctx, &sf, "at_s", None, 0.0, 1e7),
            duration_s: number(ctx, &sf, "duration_s", None, 0.001, 1e7),
            factor: number(ctx, &sf, "factor", None, 0.0, 1000.0),
        });
    }

    let mut zones: Vec<String> = Vec::new();
    let mut components = Vec::new();
    let mut call_spans: Vec<Vec<Range<usize>>> = Vec::new();
    let mut name_spans = Vec::new();
    for (n, (table, span)) in tables.iter().enumerate() {
        let what = if ordered[n].is_empty() {
            format!("[[component]] #{}", n + 1)
        } else {
            format!("component `{}`", ordered[n])
        };
        let f = Fields::new(table, span.clone(), what);
        let kind_value = f.string(ctx, "kind", true);
        let kind = kind_value.as_ref().and_then(|k| {
            let found = Kind::from_name(k.get_ref());
            if found.is_none() {
                let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
                let hint = match did_you_mean(k.get_ref(), names.iter().copied()) {
                    Some(c) => format!("; did you mean `{c}`?"),
                    None => format!("; kinds: {}", names.join(", ")),
                };
                ctx.error(k.span(), format!("unknown kind `{}`{hint}", k.get_ref()));
            }
            found
        });
        let own: &[&str] = match kind {
            Some(Kind::Service) => SERVICE_KEYS,
            Some(Kind::Cache) | Some(Kind::Cdn) => CACHE_KEYS,
            Some(Kind::Lb) => LB_KEYS,
            Some(Kind::Database) => DATABASE_KEYS,
            Some(Kind::Queue) => QUEUE_KEYS,
            Some(Kind::RateLimiter) => LIMITER_KEYS,
            None => &[],
        };
        if kind.is_some() {
            let allowed: Vec<&str> = COMMON_KEYS.iter().chain(own).copied().collect();
            f.deny_unknown(ctx, &allowed);
        }
        let mut calls = Vec::new();
        let mut spans = Vec::new();
        let raw = f.strings(ctx, "calls", false).unwrap_or_default();
        let raw_calls = raw.len();
        for c in raw {
            if let Some(i) = resolve(ctx, c.get_ref(), c.span(), "`calls` entry") {
                if calls.contains(&i) {
                    ctx.error(
                        c.span(),
                        format!("`{}` is called twice; list it once", c.get_ref()),
                    );
                }
                calls.push(i);
                spans.push(c.span());
            }
        }
        let mut zone_ids = Vec::new();
        for z in f.strings(ctx, "zones", false).unwrap_or_default() {
            let name = z.get_ref().trim().to_string();
            if name.is_empty() {
                ctx.error(z.span(), "a zone name must not be empty");
                continue;
            }
            let id = match zones.iter().position(|k| *k == name) {
                Some(i) => i,
                None => {
                    zones.push(name);
                    zones.len() - 1
                }
            };
            zone_ids.push(id);
        }
        if zone_ids.is_empty() {
            // Everything unplaced shares one default zone.
            let id = match zones.iter().position(|k| k == "a") {
                Some(i) => i,
                None => {
                    zones.push("a".into());
                    zones.len() - 1
                }
            };
            zone_ids.push(id);
        }
        let mut spec = kind.map(|k| spec(ctx, &f, k));
        if let Some(Spec::Service(s)) = &mut spec {
            for o in f.strings(ctx, "optional", false).unwrap_or_default() {
                let name = o.get_ref();
                match names.get(name).map(|(i, _)| *i) {
                    Some(i) if calls.contains(&i) => s
                        .optional
                        .push(calls.iter().position(|&c| c == i).unwrap_or(0)),
                    _ => ctx.error(
                        o.span(),
                        format!(
                            "`optional` lists `{name}`, which is not in this component's `calls`"
                        ),
                    ),
                }
            }
        }
        // Call arity by kind.
        if let Some(k) = kind {
            let at = f.get("calls").map_or(span.clone(), |v| v.span());
            match k {
                Kind::Database if raw_calls > 0 => {
                    ctx.error(at, "a database calls nothing; remove `calls`")
                }
                Kind::Lb | Kind::Cache | Kind::Cdn | Kind::Queue | Kind::RateLimiter
                    if raw_calls != 1 =>
                {
                    let role = match k {
                        Kind::Lb => "the service it balances",
                        Kind::Cache | Kind::Cdn => "its origin, asked on a miss",
                        Kind::Queue => "the component its consumers call",
                        _ => "the component it protects",
                    };
                    ctx.error(
                        at,
                        format!(
                            "a {} calls exactly one component, {role}: e.g. `calls = [\"x\"]`",
                            k.name()
                        ),
                    );
                }
                _ => {}
            }
        }
        name_spans.push(f.get("name").map_or(span.clone(), |v| v.span()));
        call_spans.push(spans);
        if let Some(spec) = spec {
            components.push(Component {
                name: ordered[n].clone(),
                spec,
                calls,
                zones: zone_ids,
                span: span.clone(),
            });
        }
    }
    if components.len() != tables.len() {
        return None;
    }
    // An lb balances the instances of one service.
    for (i, c) in components.iter().enumerate() {
        if c.kind() == Kind::Lb
            && let Some(&d) = c.calls.first()
            && components[d].kind() != Kind::Service
        {
            ctx.error(
                call_spans[i][0].clone(),
                format!(
                    "an lb balances the instances of a service, and `{}` is a {}",
                    components[d].name,
                    components[d].kind().name()
                ),
            );
        }
    }
    check_cycles(ctx, &components, &call_spans);
    let target = target?;
    check_reachable(ctx, &components, target, &name_spans);
    let mut design = Design {
        workload: Workload {
            rps,
            target,
            arrivals,
            read_ratio,
            keys,
            zipf_s,
            clients,
            abuser_rps,
            timeout_ms,
            surges,
        },
        components,
        zones,
        failures: Vec::new(),
    };
    let specs = failure_specs(ctx, top);
    if ctx.diagnostics.is_empty() {
        for (spec, span) in specs {
            match resolve_failure(&design, &spec) {
                Ok(f) => design.failures.push(f),
                Err(message) => ctx.error(span, message),
            }
        }
    }
    Some(design)
}

fn service_time(ctx: &mut FileCtx, f: &Fields) -> ServiceTime {
    match choice(
        ctx,
        f,
        "service_time",
        Some("exponential"),
        ServiceTime::NAMES,
    ) {
        Some("constant") => ServiceTime::Constant,
        Some("lognormal") => ServiceTime::Lognormal {
            sigma: number(ctx, f, "sigma", Some(0.5), 0.01, 3.0),
        },
        _ => {
            if let Some(v) = f.get("sigma") {
                ctx.error(v.span(), "`sigma` shapes a lognormal service time; add `service_time = \"lognormal\"` or remove it");
            }
            ServiceTime::Exponential
        }
    }
}

fn spec(ctx: &mut FileCtx, f: &Fields, kind: Kind) -> Spec {
    match kind {
        Kind::Service => {
            let breaker = f.table(ctx, "breaker").map(|(t, span)| {
                let bf = Fields::new(t, span, "`breaker`");
                bf.deny_unknown(ctx, BREAKER_KEYS);
                Breaker {
                    failures: integer(ctx, &bf, "failures", Some(5), 1, 1000),
                    open_s: number(ctx, &bf, "open_s", Some(5.0), 0.001, 3600.0),
                }
            });
            Spec::Service(ServiceSpec {
                instances: integer(ctx, f, "instances", Some(1), 1, MAX_INSTANCES),
                concurrency: integer(ctx, f, "concurrency", Some(1), 1, 10_000),
                service_ms: number(ctx, f, "service_ms", None, 0.001, 600_000.0),
                service_time: service_time(ctx, f),
                queue_limit: integer(ctx, f, "queue_limit", Some(1000), 0, 10_000_000),
                timeout_ms: f
                    .get("timeout_ms")
                    .map(|_| number(ctx, f, "timeout_ms", None, 0.001, 3_600_000.0)),
                retries: integer(ctx, f, "retries", Some(0), 0, 10),
                backoff_ms: number(ctx, f, "backoff_ms", Some(10.0), 0.0, 600_000.0),
                breaker,
                fanout: integer(ctx, f, "fanout", Some(1), 1, 1000),
                optional: Vec::new(),
            })
        }
        Kind::Cache | Kind::Cdn => {
            choice(ctx, f, "policy", Some("lru"), &["lru"]);
            let write = match choice(ctx, f, "write", Some("cache-aside"), WritePolicy::NAMES) {
                Some("write-through") => WritePolicy::WriteThrough,
                Some("none") => WritePolicy::None,
                _ => WritePolicy::CacheAside,
            };
            let spec = CacheSpec {
                capacity: integer(ctx, f, "capacity", None, 1, MAX_KEYS),
                ttl_s: f
                    .get("ttl_s")
                    .map(|_| number(ctx, f, "ttl_s", None, 0.001, 1e7)),
                write,
                hit_ms: number(
                    ctx,
                    f,
                    "hit_ms",
                    Some(if kind == Kind::Cdn { 5.0 } else { 0.5 }),
                    0.0,
                    10_000.0,
                ),
            };
            if kind == Kind::Cdn {
                Spec::Cdn(spec)
            } else {
                Spec::Cache(spec)
            }
        }
        Kind::Lb => Spec::Lb(LbSpec {
            strategy: choice(ctx, f, "strategy", Some("round-robin"), STRATEGIES)
                .unwrap_or("round-robin")
                .to_string(),
            health_check_s: number(ctx, f, "health_check_s", Some(5.0), 0.01, 3600.0),
            retries: integer(ctx, f, "retries", Some(0), 0, 10),
        }),
        Kind::Database => Spec::Database(DatabaseSpec {
            shards: integer(ctx, f, "shards", Some(1), 1, 256),
            sharding: match choice(ctx, f, "sharding", Some("hash"), &["hash", "range"]) {
                Some("range") => Sharding::Range,
                _ => Sharding::Hash,
            },
            replicas: integer(ctx, f, "replicas", Some(0), 0, 15),
            replication: match choice(ctx, f, "replication", Some("async"), &["async", "sync"]) {
                Some("sync") => Replication::Sync,
                _ => Replication::Async,
            },
            replica_lag_ms: number(ctx, f, "replica_lag_ms", Some(100.0), 0.0, 3_600_000.0),
            concurrency: integer(ctx, f, "concurrency", Some(4), 1, 10_000),
            read_ms: number(ctx, f, "read_ms", None, 0.001, 600_000.0),
            write_ms: number(ctx, f, "write_ms", None, 0.001, 600_000.0),
            service_time: service_time(ctx, f),
            queue_limit: integer(ctx, f, "queue_limit", Some(1000), 0, 10_000_000),
            failover_s: number(ctx, f, "failover_s", Some(30.0), 0.0, 3600.0),
        }),
        Kind::Queue => Spec::Queue(QueueSpec {
            consumers: integer(ctx, f, "consumers", Some(1), 1, 10_000),
            limit: integer(ctx, f, "limit", Some(10_000), 0, 100_000_000),
            retries: integer(ctx, f, "retries", Some(3), 0, 100),
        }),
        Kind::RateLimiter => Spec::RateLimiter(LimiterSpec {
            rate_rps: number(ctx, f, "rate_rps", None, 0.001, 10_000_000.0),
            burst: integer(ctx, f, "burst", Some(1), 1, 10_000_000),
            per_client: boolean(ctx, f, "per_client", false),
        }),
    }
}

/// Report the `calls` entry that closes each cycle; requests would loop forever.
fn check_cycles(ctx: &mut FileCtx, components: &[Component], call_spans: &[Vec<Range<usize>>]) {
    // 0 unvisited, 1 on the stack, 2 done.
    let mut state = vec![0u8; components.len()];
    fn visit(
        i: usize,
        components: &[Component],
        state: &mut [u8],
        path: &mut Vec<usize>,
        found: &mut Vec<(usize, usize, Vec<usize>)>,
    ) {
        state[i] = 1;
        path.push(i);
        for (k, &d) in components[i].calls.iter().enumerate() {
            match state[d] {
                1 => {
                    let from = path.iter().position(|&p| p == d).unwrap_or(0);
                    found.push((i, k, path[from..].to_vec()));
                }
                0 => visit(d, components, state, path, found),
                _ => {}
            }
        }
        path.pop();
        state[i] = 2;
    }
    let mut found = Vec::new();
    for i in 0..components.len() {
        if state[i] == 0 {
            visit(i, components, &mut state, &mut Vec::new(), &mut found);
        }
    }
    for (i, k, cycle) in found {
        let mut names: Vec<&str> = cycle.iter().map(|&c| components[c].name.as_str()).collect();
        names.push(names[0]);
        ctx.error(
            call_spans[i][k].clone(),
            format!(
                "`calls` makes a cycle ({}); a request would loop forever; remove one of these calls",
                names.join(" → ")
            ),
        );
    }
}

fn check_reachable(
    ctx: &mut FileCtx,
    components: &[Component],
    target: usize,
    name_spans: &[Range<usize>],
) {
    let mut seen = vec![false; components.len()];
    let mut stack = vec![target];
    while let Some(i) = stack.pop() {
        if !std::mem::replace(&mut seen[i], true) {
            stack.extend(components[i].calls.iter().copied());
        }
    }
    for (i, c) in components.iter().enumerate() {
        if !seen[i] {
            ctx.error(
                name_spans[i].clone(),
                format!(
                    "component `{}` is unreachable: no request from `{}` (the workload's target) ever gets to it; call it from somewhere or remove it",
                    c.name, components[target].name
                ),
            );
        }
    }
}

/// The `[[failure]]` tables of a file, unresolved, with the span of each table.
pub fn failure_specs(ctx: &mut FileCtx, top: &Fields) -> Vec<(FailureSpec, Range<usize>)> {
    let mut out = Vec::new();
    for (t, span) in top.tables(ctx, "failure") {
        let f = Fields::new(t, span.clone(), "[[failure]]");
        f.deny_unknown(ctx, FAILURE_KEYS);
        let Some(kind) = choice(ctx, &f, "kind", None, FailureKind::NAMES) else {
            continue;
        };
        let needs_component = matches!(
            kind,
            "kill-instance" | "primary-failover" | "cold-cache" | "slow"
        );
        let component = f
            .string(ctx, "component", needs_component)
            .map(|s| s.into_inner());
        let factor = match kind {
            "slow" | "surge" => number(ctx, &f, "factor", None, 0.0, 1000.0),
            _ => 1.0,
        };
        let duration_s = if kind == "cold-cache" {
            None
        } else {
            f.get("duration_s")
                .map(|_| number(ctx, &f, "duration_s", None, 0.001, 1e7))
        };
        let spec = FailureSpec {
            kind: kind.to_string(),
            at_s: number(ctx, &f, "at_s", None, 0.0, 1e7),
            duration_s,
            component,
            instance: f
                .get("instance")
                .map(|_| integer(ctx, &f, "instance", Some(0), 0, 1_000_000)),
            shard: integer(ctx, &f, "shard", Some(0), 0, 1_000_000),
            zone: f.string(ctx, "zone", false).map(|s| s.into_inner()),
            factor,
        };
        out.push((spec, span));
    }
    out
}

/// Bind a failure's names to a design's components and zones.
pub fn resolve_failure(design: &Design, spec: &FailureSpec) -> Result<Failure, String> {
    let component = |want: &[Kind]| -> Result<usize, String> {
        let name = spec.component.as_deref().unwrap_or("");
        let i = design.find(name).ok_or_else(|| {
            let known: Vec<&str> = design.components.iter().map(|c| c.name.as_str()).collect();
            format!(
                "the `{}` failure names component `{name}`, which the design does not have; components: {}",
                spec.kind,
                known.join(", ")
            )
        })?;
        let kind = design.components[i].kind();
        if !want.contains(&kind) {
            let names: Vec<&str> = want.iter().map(|k| k.name()).collect();
            return Err(format!(
                "a `{}` failure applies to a {}, and `{name}` is a {}",
                spec.kind,
                names.join(" or "),
                kind.name()
            ));
        }
        Ok(i)
    };
    let kind = match spec.kind.as_str() {
        "kill-instance" => {
            let c = component(&[Kind::Service, Kind::Database, Kind::Cache, Kind::Cdn])?;
            FailureKind::KillInstance {
                component: c,
                instance: instance_of(design, c, spec.instance.unwrap_or(0))?,
            }
        }
        "primary-failover" => {
            let c = component(&[Kind::Database])?;
            let Spec::Database(db) = &design.components[c].spec else {
                unreachable!("checked to be a database")
            };
            if spec.shard >= db.shards {
                return Err(format!(
                    "`{}` has {} shard(s), numbered from 0; there is no shard {}",
                    design.components[c].name, db.shards, spec.shard
                ));
            }
            FailureKind::PrimaryFailover {
                component: c,
                shard: spec.shard,
            }
        }
        "cold-cache" => FailureKind::ColdCache {
            component: component(&[Kind::Cache, Kind::Cdn])?,
        },
        "slow" => {
            let c = component(&[Kind::Service, Kind::Database])?;
            FailureKind::Slow {
                component: c,
                instance: spec
                    .instance
                    .map(|i| instance_of(design, c, i))
                    .transpose()?,
                factor: spec.factor,
            }
        }
        "surge" => FailureKind::Surge {
            factor: spec.factor,
        },
        "zone-outage" => {
            let zone = match &spec.zone {
                Some(z) => design.zones.iter().position(|k| k == z).ok_or_else(|| {
                    format!(
                        "zone `{z}` holds no component; zones: {}",
                        design.zones.join(", ")
                    )
                })?,
                None => busiest_zone(design),
            };
            FailureKind::ZoneOutage { zone }
        }
        other => return Err(format!("unknown failure kind `{other}`")),
    };
    Ok(Failure {
        at_s: spec.at_s,
        duration_s: spec.duration_s,
        kind,
    })
}

fn instance_of(design: &Design, c: usize, instance: u32) -> Result<u32, String> {
    let n = design.components[c].instance_count();
    if instance >= n {
        return Err(format!(
            "`{}` has {n} instance(s), numbered from 0; there is no instance {instance}",
            design.components[c].name
        ));
    }
    Ok(instance)
}

/// The zone holding the most instances (the first on a tie): the outage that hurts most, so
/// that a design cannot dodge a challenge's outage by naming its zones differently.
pub fn busiest_zone(design: &Design) -> usize {
    let mut count = vec![0u64; design.zones.len().max(1)];
    for c in &design.components {
        for i in 0..c.instance_count() as usize {
            count[c.zones[i % c.zones.len()]] += 1;
        }
    }
    let max = count.iter().copied().max().unwrap_or(0);
    count.iter().position(|&n| n == max).unwrap_or(0)
}
