//! `sysdesign design run FILE`: simulate a design file and print what it measured.

use std::path::Path;

use crate::design::{self, Design};
use crate::sim::design::Report;

/// Read and validate a design file; on failure, the rendered diagnostics.
pub fn load(path: &Path) -> Result<Design, String> {
    let bytes = std::fs::read(path).map_err(|e| {
        format!(
            "error: cannot read {}: {e}; give the path of a design file (TOML)",
            path.display()
        )
    })?;
    let shown = path.display().to_string();
    let source = design::decode(&shown, bytes).map_err(|d| d.render())?;
    design::parse(&shown, &source).map_err(|diags| {
        diags
            .iter()
            .map(|d| d.render())
            .collect::<Vec<_>>()
            .join("\n\n")
    })
}

pub fn run(file: &Path, seed: u64, duration_s: f64, json: bool) -> i32 {
    let design = match load(file) {
        Ok(d) => d,
        Err(message) => {
            eprintln!("{message}");
            return 2;
        }
    };
    if let Err(message) = design::work::check(&design, duration_s) {
        eprintln!("{}: error: {message}", file.display());
        return 2;
    }
    let report = design::simulate(&design, seed, duration_s);
    if json {
        match serde_json::to_string_pretty(&report) {
            Ok(text) => println!("{text}"),
            Err(e) => {
                eprintln!("error: cannot encode the report: {e}");
                return 1;
            }
        }
    } else {
        print!("{}", render(&report));
    }
    0
}

fn ms(x: Option<f64>) -> String {
    x.map_or("-".into(), |v| format!("{v:.1}"))
}

/// The report as a table for people.
pub fn render(r: &Report) -> String {
    let m = &r.metrics;
    let mut out = format!(
        "{} s simulated, seed {}: {} requests\n\
         p50 {} ms   p99 {} ms   errors {}   availability {}   {:.1} req/s ok\n\
         writes lost {}   cost ${:.0}/month (illustrative prices)\n\n",
        r.duration_s,
        r.seed,
        m.requests,
        ms(m.p50_ms),
        ms(m.p99_ms),
        crate::text::percent(m.error_rate),
        crate::text::percent(m.availability),
        m.throughput_rps,
        m.writes_lost,
        m.cost_per_month
    );
    let caches: Vec<_> = r
        .components
        .iter()
        .filter(|c| c.stale_reads.is_some())
        .collect();
    if !caches.is_empty() {
        out.push_str(&format!(
            "stale reads {} of successful reads   max staleness {:.0} ms\n",
            crate::text::percent(m.stale_read_rate),
            m.max_staleness_ms
        ));
        for c in &caches {
            out.push_str(&format!(
                "  {:<16} {} stale hits ({} of hits)   max {:.0} ms   p99 {} ms\n",
                c.name,
                c.stale_reads.unwrap_or(0),
                c.stale_ratio.map_or("-".into(), crate::text::percent),
                c.max_staleness_ms.unwrap_or(0.0),
                c.p99_staleness_ms.map_or("-".into(), |x| format!("{x:.0}")),
            ));
        }
        out.push('\n');
    }
    if m.abuser_requests > 0 {
        out.push_str(&format!(
            "abusive client: {} requests, {} rejected by rate limiting\n\n",
            m.abuser_requests, m.abuser_rejected
        ));
    }
    out.push_str(&format!(
        "{:<16} {:<12} {:>6} {:>9} {:>9} {:>8} {:>10} {:>8} {:>6}\n",
        "component", "kind", "util", "wait ms", "lat ms", "in sys", "served", "errors", "hits"
    ));
    for c in &r.components {
        out.push_str(&format!(
            "{:<16} {:<12} {:>6} {:>9} {:>9} {:>8.2} {:>10} {:>8} {:>6}\n",
            c.name,
            c.kind,
            c.utilization
                .map_or("-".into(), |u| format!("{:.0}%", u * 100.0)),
            ms(c.mean_wait_ms),
            ms(c.mean_latency_ms),
            c.mean_in_system,
            c.served,
            c.errors,
            c.hit_ratio
                .map_or("-".into(), |h| format!("{:.0}%", h * 100.0)),
        ));
    }
    if !r.errors.is_empty() {
        out.push_str(
            "\nfailed calls, where they failed (retries may have hidden some from clients):\n",
        );
        for e in &r.errors {
            out.push_str(&format!(
                "  {:<16} {:<20} {}\n",
                e.component, e.reason, e.count
            ));
        }
    }
    out
}
